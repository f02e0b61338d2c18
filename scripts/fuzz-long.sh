#!/usr/bin/env bash
# fuzz-long.sh — runs every libFuzzer target for SECONDS each (default 600),
# JOBS at a time (default 2), and writes the figures to docs/fuzzing.md:
# executions, speed, coverage, corpus size, and whether anything crashed.
# Not part of make check (hours of CPU); `make fuzz` is the short version.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-600}
JOBS=${JOBS:-2}
make -s build/gen/embed.c
FLAGS=$(make -s -f - print <<'MK'
include Makefile
print: ; @echo $(FUZZ_CFLAGS)
MK
)
mkdir -p build/fuzz-long
targets=$(ls tests/fuzz/fuzz_*.c | xargs -n1 basename | sed 's/\.c$//')
lib_src=$(make -s -f - print <<'MK'
include Makefile
print: ; @echo $(LIB_SRC) build/gen/embed.c
MK
)
libs=$(make -s -f - print <<'MK'
include Makefile
print: ; @echo $(LIBS)
MK
)
run_one() {
	t=$1
	out=build/fuzz-long/$t
	mkdir -p "$out/corpus"
	clang-14 $FLAGS -o "$out/bin" "tests/fuzz/$t.c" $lib_src $libs
	start=$(date +%s)
	set +e
	nice -n 19 "$out/bin" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
		-artifact_prefix="$out/" "$out/corpus" "tests/fuzz/corpus/$t" >"$out/log" 2>&1
	rc=$?
	set -e
	end=$(date +%s)
	echo "$rc $((end - start))" >"$out/result"
}
export -f run_one
export FLAGS lib_src libs SECONDS_EACH
printf '%s\n' $targets | xargs -P "$JOBS" -I{} bash -c 'run_one {}'
{
	echo "# Fuzzing figures"
	echo
	echo "Each target of tests/fuzz/ ran under libFuzzer (clang-14, -fsanitize=fuzzer,address,undefined)"
	echo "for $SECONDS_EACH s on $(nproc) cores ($JOBS at a time, nice 19), $(date -u +%F), with"
	echo "\`scripts/fuzz-long.sh $SECONDS_EACH\`. Seeds: tests/fuzz/corpus/<target>/; make check replays them."
	echo
	echo "| target | seconds | executions | exec/s | coverage (edges) | features | corpus | result |"
	echo "|---|---:|---:|---:|---:|---:|---:|---|"
	for t in $targets; do
		out=build/fuzz-long/$t
		read -r rc secs <"$out/result"
		execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/log" | grep -o '[0-9]*$' || echo '?')
		speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$out/log" | grep -o '[0-9]*$' || echo '?')
		last=$(grep -E '^#[0-9]+' "$out/log" | tail -1)
		cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*' || echo '?')
		ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*' || echo '?')
		corp=$(ls "$out/corpus" | wc -l)
		if [ "$rc" = 0 ]; then res="no crash"; else res="**FAILED (rc $rc, see build/fuzz-long/$t/log)**"; fi
		echo "| $t | $secs | $execs | $speed | $cov | $ft | $corp | $res |"
	done
} >docs/fuzzing.md
cat docs/fuzzing.md
