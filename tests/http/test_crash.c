/*
 * test_crash.c — crash safety (issue #6): clerks post dossiers from
 * several threads while the server is killed with SIGKILL at a random
 * moment; after a restart on the same folder every dossier whose 201
 * reply was received in full is there, with its audit event, each
 * agency-day's numbers are 1..N without gaps or repeats (and match the
 * day's counter), and `motcua check` passes.
 *
 * MOTCUA_CRASH_ROUNDS (default 20) sets the number of kills;
 * MOTCUA_CRASH_SEED repeats a run (the seed is printed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "driver.h"

#define THREADS 8
#define CODE_LEN 48

static struct srv S;
static char CLERK[200];
static atomic_int running;

#define BIRTH "{\"procedure_code\":\"1.001193\",\"channel\":\"counter\",\"applicant\":" \
	"{\"name\":\"Trần Văn Bình\",\"id_number\":\"001085012345\",\"date_of_birth\":\"1985-03-02\"," \
	"\"sex\":\"male\",\"phone\":\"0912345678\",\"address\":\"Thôn Đông, xã Phong Hải\"}," \
	"\"documents\":[{\"name\":\"Tờ khai đăng ký khai sinh\",\"received\":true,\"form\":\"original\",\"count\":1}]}"

/* ---- a growable list of codes ------------------------------------------ */

struct codes {
	char (*v)[CODE_LEN];
	size_t n, cap;
};

static void
codes_add(struct codes *c, const char *s, size_t len)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->v = realloc(c->v, c->cap * sizeof *c->v);
		assert_non_null(c->v);
	}
	snprintf(c->v[c->n++], CODE_LEN, "%.*s", (int)len, s);
}

static int
cmp_code(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
codes_sort(struct codes *c)
{
	if (c->n)
		qsort(c->v, c->n, sizeof *c->v, cmp_code);
}

static int
codes_has(const struct codes *c, const char *s)
{
	return c->n && bsearch(s, c->v, c->n, sizeof *c->v, cmp_code) != NULL;
}

/* ---- the seeded generator (splitmix64) ---------------------------------- */

static uint64_t rng;

static uint64_t
rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* ---- clients -------------------------------------------------------------- */

static size_t
sink(char *p, size_t size, size_t n, void *arg)
{
	buf_append(arg, p, size * n);
	return size * n;
}

struct worker {
	struct codes acked;   /* codes whose 201 arrived in full, this round */
	int refused;          /* 1 if its last request was cut (or refused) by the kill */
	int other;            /* any HTTP status but 201 */
	char other_body[256];
};

/* Posts dossiers one after another until told to stop or the server
 * dies.  Its own curl calls (not req()), to keep the connection and to
 * stay quiet when the kill cuts a request. */
static void *
work(void *arg)
{
	struct worker *w = arg;
	CURL *h = curl_easy_init();
	struct buf url = BUF_INIT, body = BUF_INIT;
	buf_printf(&url, "%s/api/v1/dossiers", S.url);
	struct curl_slist *hl = curl_slist_append(NULL, "Content-Type: application/json");
	hl = curl_slist_append(hl, CLERK);
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, BIRTH);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(BIRTH));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	while (atomic_load(&running)) {
		body.len = 0;
		CURLcode rc = curl_easy_perform(h);
		long st = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st);
		if (rc != CURLE_OK) {   /* the server is gone: this request was cut */
			w->refused++;
			break;
		}
		const char *p = strstr(buf_str(&body), "\"code\":\"");
		if (st == 201 && p) {
			codes_add(&w->acked, p + 8, strcspn(p + 8, "\""));
		} else if (!w->other++) {
			snprintf(w->other_body, sizeof w->other_body, "%ld %s", st, buf_str(&body));
		}
	}
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	buf_free(&url);
	buf_free(&body);
	return NULL;
}

static void
token_for(const char *user, char *hdr, size_t n)
{
	bearer_for(&S, user, "mat-khau-thu-123", hdr, n);
}

/* ---- what the database holds ---------------------------------------------- */

struct seq {
	char prefix[CODE_LEN];   /* "AGENCY-YYMMDD" */
	long last;
};

struct state {
	struct codes dossiers;   /* every code in the table, sorted */
	struct codes audited;    /* codes with a dossier.receive event, sorted */
	long audit_rows;
	struct seq *seqs;
	size_t nseqs;
};

static void
state_free(struct state *s)
{
	free(s->dossiers.v);
	free(s->audited.v);
	free(s->seqs);
	memset(s, 0, sizeof *s);
}

static void
read_state(struct state *out)
{
	memset(out, 0, sizeof *out);
	char path[400];
	snprintf(path, sizeof path, "%s/motcua.db", S.dir);
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("open %s: %s", path, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 5000);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT code FROM dossiers", -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		codes_add(&out->dossiers, (const char *)sqlite3_column_text(s, 0),
		          (size_t)sqlite3_column_bytes(s, 0));
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT object FROM audit_events WHERE action = 'dossier.receive'",
	                                    -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *o = (const char *)sqlite3_column_text(s, 0);
		out->audit_rows++;
		if (strncmp(o, "dossier:", 8) == 0)
			codes_add(&out->audited, o + 8, strlen(o + 8));
	}
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT agency || '-' || day, last FROM dossier_sequences",
	                                    -1, &s, NULL), SQLITE_OK);
	size_t cap = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (out->nseqs == cap) {
			cap = cap ? cap * 2 : 8;
			out->seqs = realloc(out->seqs, cap * sizeof *out->seqs);
			assert_non_null(out->seqs);
		}
		struct seq *q = &out->seqs[out->nseqs++];
		snprintf(q->prefix, sizeof q->prefix, "%s", (const char *)sqlite3_column_text(s, 0));
		q->last = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	codes_sort(&out->dossiers);
	codes_sort(&out->audited);
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* Each agency-day's numbers are exactly 1..N, and N is the day's counter.
 * Sorted codes keep each agency-day together; its numbers are sorted as
 * numbers (past 9999 they grow a digit). */
static void
check_sequences(const struct state *st)
{
	long *nums = calloc(st->dossiers.n + 1, sizeof *nums);
	assert_non_null(nums);
	size_t i = 0;
	while (i < st->dossiers.n) {
		const char *first = st->dossiers.v[i];
		const char *dash = strrchr(first, '-');
		assert_non_null(dash);
		size_t plen = (size_t)(dash - first);
		size_t n = 0;
		for (; i < st->dossiers.n && strncmp(st->dossiers.v[i], first, plen) == 0 &&
		       st->dossiers.v[i][plen] == '-';
		     i++)
			nums[n++] = atol(st->dossiers.v[i] + plen + 1);
		qsort(nums, n, sizeof *nums, cmp_long);
		for (size_t k = 0; k < n; k++)
			if (nums[k] != (long)k + 1)
				fail_msg("%.*s: number %ld where %zu was due (a gap or a repeat)", (int)plen, first,
				         nums[k], k + 1);
		int found = 0;
		for (size_t k = 0; k < st->nseqs; k++)
			if (strlen(st->seqs[k].prefix) == plen && strncmp(st->seqs[k].prefix, first, plen) == 0) {
				found = 1;
				if (st->seqs[k].last != (long)n)
					fail_msg("%.*s: the counter says %ld, the table holds 1..%zu", (int)plen, first,
					         st->seqs[k].last, n);
			}
		if (!found)
			fail_msg("%.*s: no counter row", (int)plen, first);
	}
	free(nums);
	/* no counter ahead of its dossiers either (a number taken, then lost) */
	long counted = 0;
	for (size_t k = 0; k < st->nseqs; k++)
		counted += st->seqs[k].last;
	assert_int_equal(counted, (long)st->dossiers.n);
}

/* ---- the test --------------------------------------------------------------- */

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0)
		return -1;
	if (add_user(&S, "thu.clerk", "clerk", NULL, "mat-khau-thu-123") != 0)
		return -1;
	token_for("thu.clerk", CLERK, sizeof CLERK);
	return strlen(CLERK) > 40 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return group_stop(&S);
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_kill_while_receiving(void **state)
{
	(void)state;
	const char *e = getenv("MOTCUA_CRASH_ROUNDS");
	int rounds = e && atoi(e) > 0 ? atoi(e) : 20;
	e = getenv("MOTCUA_CRASH_SEED");
	uint64_t seed = e && *e ? strtoull(e, NULL, 10)
	                        : (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
	rng = seed;
	printf("crash: seed %llu (MOTCUA_CRASH_SEED=%llu repeats the delays)\n", (unsigned long long)seed,
	       (unsigned long long)seed);
	fflush(stdout);
	double t0 = now_s();
	struct codes all = {0};       /* every acknowledged code so far */
	long lost = 0, refused = 0;
	int done = 0;
	for (int round = 0; round < rounds; round++) {
		unsigned delay_ms = 50 + (unsigned)(rnd() % 351);
		struct worker w[THREADS];
		pthread_t t[THREADS];
		memset(w, 0, sizeof w);
		atomic_store(&running, 1);
		for (int i = 0; i < THREADS; i++)
			pthread_create(&t[i], NULL, work, &w[i]);
		usleep(delay_ms * 1000);
		assert_int_equal(srv_stop(&S, SIGKILL), 128 + SIGKILL);
		atomic_store(&running, 0);
		struct codes acked = {0};
		for (int i = 0; i < THREADS; i++) {
			pthread_join(t[i], NULL);
			if (w[i].other)
				fail_msg("round %d: %d replies other than 201, first: %s", round, w[i].other,
				         w[i].other_body);
			for (size_t k = 0; k < w[i].acked.n; k++) {
				codes_add(&acked, w[i].acked.v[k], strlen(w[i].acked.v[k]));
				codes_add(&all, w[i].acked.v[k], strlen(w[i].acked.v[k]));
			}
			refused += w[i].refused;
			free(w[i].acked.v);
		}

		/* the same folder again */
		char dir[sizeof S.dir];
		snprintf(dir, sizeof dir, "%s", S.dir);
		if (srv_start(&S, dir) != 0)
			fail_msg("round %d: the server did not restart after SIGKILL (see %s/server.log)", round, dir);

		/* every acknowledged dossier is served */
		struct client c;
		client_init(&c, &S);
		for (size_t k = 0; k < acked.n; k++) {
			char path[160];
			struct reply r;
			snprintf(path, sizeof path, "/api/v1/dossiers/%s", acked.v[k]);
			req(&c, "GET", path, NULL, NULL, 0, CLERK, &r);
			if (r.status != 200) {
				fprintf(stderr, "round %d: acknowledged %s → %ld\n", round, acked.v[k], r.status);
				lost++;
			}
			reply_free(&r);
		}
		client_free(&c);

		/* and in the database: every one acknowledged so far, each
		 * dossier with exactly one receive event, no gaps */
		struct state st;
		read_state(&st);
		codes_sort(&all);
		for (size_t k = 0; k < all.n; k++) {
			if (!codes_has(&st.dossiers, all.v[k]))
				fail_msg("round %d: acknowledged %s is gone", round, all.v[k]);
			if (!codes_has(&st.audited, all.v[k]))
				fail_msg("round %d: acknowledged %s has no dossier.receive event", round, all.v[k]);
		}
		for (size_t k = 1; k < all.n; k++)
			if (strcmp(all.v[k - 1], all.v[k]) == 0)
				fail_msg("round %d: code %s acknowledged twice", round, all.v[k]);
		for (size_t k = 0; k < st.dossiers.n; k++)
			if (!codes_has(&st.audited, st.dossiers.v[k]))
				fail_msg("round %d: dossier %s has no dossier.receive event", round, st.dossiers.v[k]);
		for (size_t k = 0; k < st.audited.n; k++)
			if (!codes_has(&st.dossiers, st.audited.v[k]))
				fail_msg("round %d: dossier.receive event for %s, but no such dossier", round,
				         st.audited.v[k]);
		if (st.audit_rows != (long)st.dossiers.n)
			fail_msg("round %d: %ld dossier.receive events for %zu dossiers", round, st.audit_rows,
			         st.dossiers.n);
		check_sequences(&st);

		struct buf out = BUF_INIT;
		int rc = run_cli(NULL, &out, "check", "--data", S.dir, NULL);
		if (rc != 0)
			fail_msg("round %d: motcua check → %d\n%s", round, rc, buf_str(&out));
		buf_free(&out);
		printf("round %2d: killed after %3u ms, %3zu acknowledged, %zu dossiers in all\n", round + 1,
		       delay_ms, acked.n, st.dossiers.n);
		fflush(stdout);
		state_free(&st);
		free(acked.v);
		done++;
	}

	/* once more, every acknowledged code through the API */
	struct client c;
	client_init(&c, &S);
	for (size_t k = 0; k < all.n; k++) {
		char path[160];
		struct reply r;
		snprintf(path, sizeof path, "/api/v1/dossiers/%s", all.v[k]);
		req(&c, "GET", path, NULL, NULL, 0, CLERK, &r);
		if (r.status != 200)
			lost++;
		reply_free(&r);
	}
	client_free(&c);
	struct state st;
	read_state(&st);
	printf("crash: %d/%d rounds, %zu acknowledged, %ld lost (%ld requests cut or refused by the kills, "
	       "%zu dossiers stored, %.1f s)\n",
	       done, rounds, all.n, lost, refused, st.dossiers.n, now_s() - t0);
	state_free(&st);
	assert_int_equal(lost, 0);
	assert_true(all.n > 0);
	free(all.v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_while_receiving),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
