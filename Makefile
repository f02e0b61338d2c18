# motcua — build, run, test.  See README.md; the contracts are in
# ../shared/DESIGN.md ("Contracts that issues fix").
#
#   make          build/motcua
#   make run      install deps, build, serve http://127.0.0.1:8080 (data in ./var)
#   make check    install deps, build, every test; last line "check: N passed, M failed"
#   make fuzz     run each libFuzzer target for FUZZ_SECONDS (not part of check)
#   make hardening  sqlmap against every form and API parameter (not part of check)

CC      ?= cc
PKGS    := libmicrohttpd sqlite3 jansson libsodium libutf8proc icu-i18n icu-uc libqrencode libcurl xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
           -Wshadow -Wpointer-arith -Wcast-qual -Wsign-compare -fno-common -Wvla
BASE_CFLAGS := -std=c17 -D_GNU_SOURCE $(WARN) -Isrc $(PKG_CFLAGS) -g -MMD -MP
REL_CFLAGS  := -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong
SAN_CFLAGS  := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TSAN_CFLAGS := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
LIBS    := $(PKG_LIBS) -lpthread -lm

LIB_SRC := $(sort $(wildcard src/core/*.c src/store/*.c src/store/sqlite/*.c src/app/*.c \
             src/http/*.c src/web/*.c src/view/*.c src/report/*.c)) src/embed_find.c
EMBED_IN := $(sort $(wildcard src/view/templates/*.html src/view/static/* sql/sqlite/*.sql data/holidays/*.tsv data/procedures.json))

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
HTTP_SRC := $(sort $(wildcard tests/http/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all run check deps test unit http asan tests-rel tests-asan tests-tsan fuzz fuzz-replay browser bench clean hardening
all: build/motcua

# ---- generated sources -------------------------------------------------
build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -o $@ $<

build/gen/embed.c: build/tools/embed $(EMBED_IN)
	@mkdir -p $(@D)
	build/tools/embed $@ $(EMBED_IN)

# ---- one object tree per flavour (rel, asan, tsan) ------------------------
define flavour
$(1)_OBJ := $$(patsubst %.c,build/$(1)/%.o,$$(LIB_SRC)) build/$(1)/gen/embed.o
build/$(1)/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$(BASE_CFLAGS) $(2) -c -o $$@ $$<
build/$(1)/gen/embed.o: build/gen/embed.c
	@mkdir -p $$(@D)
	$$(CC) $$(BASE_CFLAGS) $(2) -c -o $$@ $$<
build/$(1)/libmotcua.a: $$($(1)_OBJ)
	@rm -f $$@
	ar rcs $$@ $$^
build/$(1)/motcua: build/$(1)/src/main.o build/$(1)/libmotcua.a
	$$(CC) $(2) -o $$@ $$^ $$(LIBS)
build/$(1)/unit/%: tests/unit/%.c build/$(1)/libmotcua.a
	@mkdir -p $$(@D)
	$$(CC) $$(BASE_CFLAGS) $(2) -Wno-missing-prototypes -o $$@ $$< build/$(1)/libmotcua.a $$(LIBS) -lcmocka
build/$(1)/http/%: tests/http/%.c tests/http/driver.c tests/http/driver.h build/$(1)/libmotcua.a
	@mkdir -p $$(@D)
	$$(CC) $$(BASE_CFLAGS) $(2) -Wno-missing-prototypes -Itests/http -o $$@ $$< tests/http/driver.c build/$(1)/libmotcua.a $$(LIBS) -lcmocka -lcurl
build/$(1)/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c build/$(1)/libmotcua.a
	@mkdir -p $$(@D)
	$$(CC) $$(BASE_CFLAGS) $(2) -Wno-missing-prototypes -o $$@ $$< tests/fuzz/replay.c build/$(1)/libmotcua.a $$(LIBS)
endef
$(eval $(call flavour,rel,$(REL_CFLAGS)))
$(eval $(call flavour,asan,$(SAN_CFLAGS)))
$(eval $(call flavour,tsan,$(TSAN_CFLAGS)))

build/motcua: build/rel/motcua
	cp $< $@

UNIT_BINS := $(patsubst tests/unit/%.c,%,$(UNIT_SRC))
HTTP_BINS := $(patsubst tests/http/%.c,%,$(HTTP_SRC))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRC))

tests-rel: build/motcua $(addprefix build/rel/unit/,$(UNIT_BINS)) $(addprefix build/rel/http/,$(HTTP_BINS)) $(addprefix build/rel/fuzz/,$(FUZZ_BINS))
tests-asan: build/asan/motcua $(addprefix build/asan/unit/,$(UNIT_BINS)) $(addprefix build/asan/http/,$(HTTP_BINS))
# ThreadSanitizer: the server and the HTTP tests (the threads live in the server)
tests-tsan: build/tsan/motcua $(addprefix build/tsan/http/,$(HTTP_BINS)) build/tsan/unit/test_visits build/tsan/unit/test_group_commit

# ---- the contracts -------------------------------------------------------
deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) -s --no-print-directory build/motcua
	build/motcua serve --data var --listen 127.0.0.1:8080

# the three flavours build side by side on every core (CHECK_JOBS to choose)
check: deps
	$(MAKE) -j$(or $(CHECK_JOBS),$(shell nproc)) tests-rel tests-asan tests-tsan
	scripts/check.sh

# ---- sqlmap against every parameter (not part of check) -------------------
hardening:
	scripts/hardening.sh

# ---- fuzzing with libFuzzer (clang-14) ------------------------------------
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -Isrc $(PKG_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined
fuzz: build/gen/embed.c
	@mkdir -p build/fuzz
	@for t in $(FUZZ_BINS); do \
	  clang-14 $(FUZZ_CFLAGS) -o build/fuzz/$$t tests/fuzz/$$t.c $(LIB_SRC) build/gen/embed.c $(LIBS) || exit 1; \
	  mkdir -p build/fuzz/corpus-$$t; \
	  build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus-$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# ---- benchmarks (never part of check) ---------------------------------------
bench: build/rel/libmotcua.a build/motcua
	@mkdir -p build/bench
	$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -Wno-missing-prototypes -o build/bench/bench_due bench/bench_due.c build/rel/libmotcua.a $(LIBS)
	build/bench/bench_due
	$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -Wno-missing-prototypes -o build/bench/bench_desk bench/bench_desk.c build/rel/libmotcua.a $(LIBS)
	build/bench/bench_desk
	$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -Wno-missing-prototypes -o build/bench/bench_backup bench/bench_backup.c build/rel/libmotcua.a $(LIBS)
	build/bench/bench_backup
	$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -Wno-missing-prototypes -Itests/http -o build/bench/bench_http bench/bench_http.c tests/http/driver.c build/rel/libmotcua.a $(LIBS) -lcurl
	build/bench/bench_http build/motcua
	bash bench/bench_pages.sh build/motcua
	bash bench/bench_demo.sh build/motcua
	$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -Wno-missing-prototypes -o build/bench/bench_reads bench/bench_reads.c build/rel/libmotcua.a $(LIBS)
	$(MAKE) --no-print-directory build/bench/bench_intake
	build/bench/bench_intake build/motcua
	bash bench/bench_scale.sh build/motcua

# intake against a plain loop of durable single-row transactions (issue #15)
build/bench/bench_intake: bench/bench_intake.c tests/http/driver.c tests/http/driver.h build/rel/libmotcua.a
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -Wno-missing-prototypes -Itests/http -o $@ bench/bench_intake.c tests/http/driver.c build/rel/libmotcua.a $(LIBS) -lcurl

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
