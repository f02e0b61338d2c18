/*
 * test_crash.c — crash safety (issue #6): clerks post dossiers from
 * several threads while the server is killed with SIGKILL at a random
 * moment; after a restart on the same folder every dossier whose 201
 * reply was received in full is there, with its audit event, each
 * agency-day's numbers are 1..N without gaps or repeats (and match the
 * day's counter), and `motcua check` passes.
 *
 * The same with group commit in view (issue #15 item 6): 16 clients send
 * each dossier with its own Idempotency-Key while the server is killed;
 * after each restart every acknowledged dossier is there once, numbers
 * are dense, `motcua check` passes; at the end every key is sent again:
 * an acknowledged one returns its dossier's code (200), a cut one either
 * the dossier its first send made or a new one, and the folder holds
 * exactly one dossier per key.
 *
 * MOTCUA_CRASH_ROUNDS (default 20, 5 for the keyed test) sets the number
 * of kills; MOTCUA_CRASH_SEED repeats a run (the seed is printed).
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
#define KEYED_THREADS 16
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
	/* the keyed test: each request with its own Idempotency-Key */
	int keyed, round, no;
	struct codes keys;    /* the keys sent, in order */
	struct codes key_code;   /* the code acknowledged for each, "" when cut */
};

/* The request's headers: JSON, the clerk's token, and key if not NULL. */
static struct curl_slist *
headers(const char *key)
{
	struct curl_slist *hl = curl_slist_append(NULL, "Content-Type: application/json");
	hl = curl_slist_append(hl, CLERK);
	hl = curl_slist_append(hl, "Expect:");
	if (key) {
		char h[96];
		snprintf(h, sizeof h, "Idempotency-Key: %s", key);
		hl = curl_slist_append(hl, h);
	}
	return hl;
}

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
	curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, BIRTH);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(BIRTH));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	while (atomic_load(&running)) {
		char key[CODE_LEN];
		snprintf(key, sizeof key, "grp-r%02d-t%02d-n%06zu", w->round, w->no, w->keys.n);
		struct curl_slist *hl = headers(w->keyed ? key : NULL);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
		body.len = 0;
		CURLcode rc = curl_easy_perform(h);
		curl_slist_free_all(hl);
		long st = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st);
		const char *p = strstr(buf_str(&body), "\"code\":\"");
		int ok = rc == CURLE_OK && st == 201 && p;
		if (w->keyed) {
			codes_add(&w->keys, key, strlen(key));
			codes_add(&w->key_code, ok ? p + 8 : "", ok ? strcspn(p + 8, "\"") : 0);
		}
		if (rc != CURLE_OK) {   /* the server is gone: this request was cut */
			w->refused++;
			break;
		}
		if (ok) {
			codes_add(&w->acked, p + 8, strcspn(p + 8, "\""));
		} else if (!w->other++) {
			snprintf(w->other_body, sizeof w->other_body, "%ld %s", st, buf_str(&body));
		}
	}
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

/* What one round of kills adds to a test's totals. */
struct totals {
	struct codes all;        /* every acknowledged code so far */
	struct codes keys;       /* keyed: every key sent … */
	struct codes key_code;   /* … and its acknowledged code, "" when cut */
	long lost, refused;
};

/* Posts from nt clients (keyed or not) for delay_ms, kills the server,
 * restarts it on the same folder and proves what it holds: every
 * acknowledged dossier served and stored once with its receive event,
 * dense numbers, `motcua check`.  Returns the dossiers stored. */
static size_t
kill_round(int round, int nt, int keyed, unsigned delay_ms, struct totals *t)
{
	struct worker w[KEYED_THREADS];
	pthread_t th[KEYED_THREADS];
	assert_true(nt <= KEYED_THREADS);
	memset(w, 0, sizeof w);
	atomic_store(&running, 1);
	for (int i = 0; i < nt; i++) {
		w[i].keyed = keyed, w[i].round = round, w[i].no = i;
		pthread_create(&th[i], NULL, work, &w[i]);
	}
	usleep(delay_ms * 1000);
	assert_int_equal(srv_stop(&S, SIGKILL), 128 + SIGKILL);
	atomic_store(&running, 0);
	struct codes acked = {0};
	for (int i = 0; i < nt; i++) {
		pthread_join(th[i], NULL);
		if (w[i].other)
			fail_msg("round %d: %d replies other than 201, first: %s", round, w[i].other,
			         w[i].other_body);
		for (size_t k = 0; k < w[i].acked.n; k++) {
			codes_add(&acked, w[i].acked.v[k], strlen(w[i].acked.v[k]));
			codes_add(&t->all, w[i].acked.v[k], strlen(w[i].acked.v[k]));
		}
		for (size_t k = 0; k < w[i].keys.n; k++) {
			codes_add(&t->keys, w[i].keys.v[k], strlen(w[i].keys.v[k]));
			codes_add(&t->key_code, w[i].key_code.v[k], strlen(w[i].key_code.v[k]));
		}
		t->refused += w[i].refused;
		free(w[i].acked.v);
		free(w[i].keys.v);
		free(w[i].key_code.v);
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
			t->lost++;
		}
		reply_free(&r);
	}
	client_free(&c);

	/* and in the database: every one acknowledged so far, each
	 * dossier with exactly one receive event, no gaps */
	struct state st;
	read_state(&st);
	struct codes *all = &t->all;
	codes_sort(all);
	for (size_t k = 0; k < all->n; k++) {
		if (!codes_has(&st.dossiers, all->v[k]))
			fail_msg("round %d: acknowledged %s is gone", round, all->v[k]);
		if (!codes_has(&st.audited, all->v[k]))
			fail_msg("round %d: acknowledged %s has no dossier.receive event", round, all->v[k]);
	}
	for (size_t k = 1; k < all->n; k++)
		if (strcmp(all->v[k - 1], all->v[k]) == 0)
			fail_msg("round %d: code %s acknowledged twice", round, all->v[k]);
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
	size_t n = st.dossiers.n;
	printf("round %2d: killed after %3u ms, %3zu acknowledged, %zu dossiers in all\n", round + 1,
	       delay_ms, acked.n, n);
	fflush(stdout);
	state_free(&st);
	free(acked.v);
	return n;
}

/* The number of kills (MOTCUA_CRASH_ROUNDS, else dflt) and the seeded
 * delays (MOTCUA_CRASH_SEED repeats them). */
static int
rounds_and_seed(int dflt)
{
	const char *e = getenv("MOTCUA_CRASH_ROUNDS");
	int rounds = e && atoi(e) > 0 ? atoi(e) : dflt;
	e = getenv("MOTCUA_CRASH_SEED");
	uint64_t seed = e && *e ? strtoull(e, NULL, 10)
	                        : (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
	rng = seed;
	printf("crash: seed %llu (MOTCUA_CRASH_SEED=%llu repeats the delays)\n", (unsigned long long)seed,
	       (unsigned long long)seed);
	fflush(stdout);
	return rounds;
}

static void
test_kill_while_receiving(void **state)
{
	(void)state;
	int rounds = rounds_and_seed(20);
	double t0 = now_s();
	struct totals t = {0};
	int done = 0;
	for (int round = 0; round < rounds; round++, done++)
		kill_round(round, THREADS, 0, 50 + (unsigned)(rnd() % 351), &t);

	/* once more, every acknowledged code through the API */
	struct client c;
	client_init(&c, &S);
	for (size_t k = 0; k < t.all.n; k++) {
		char path[160];
		struct reply r;
		snprintf(path, sizeof path, "/api/v1/dossiers/%s", t.all.v[k]);
		req(&c, "GET", path, NULL, NULL, 0, CLERK, &r);
		if (r.status != 200)
			t.lost++;
		reply_free(&r);
	}
	client_free(&c);
	struct state st;
	read_state(&st);
	printf("crash: %d/%d rounds, %zu acknowledged, %ld lost (%ld requests cut or refused by the kills, "
	       "%zu dossiers stored, %.1f s)\n",
	       done, rounds, t.all.n, t.lost, t.refused, st.dossiers.n, now_s() - t0);
	state_free(&st);
	assert_int_equal(t.lost, 0);
	assert_true(t.all.n > 0);
	free(t.all.v);
}

/* The keyed test's resends: key k's answer (status, code) into its slot. */
struct resend {
	const struct codes *keys;
	long *status;
	char (*code)[CODE_LEN];
};

struct resender {
	struct resend *r;
	int no;               /* sends keys no, no + 16, … */
	pthread_t th;
};

static void *
resend_work(void *arg)
{
	struct resender *w = arg;
	struct resend *r = w->r;
	CURL *h = curl_easy_init();
	char url[200];
	snprintf(url, sizeof url, "%s/api/v1/dossiers", S.url);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, BIRTH);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(BIRTH));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	struct buf body = BUF_INIT;
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	for (size_t k = (size_t)w->no; k < r->keys->n; k += KEYED_THREADS) {
		struct curl_slist *hl = headers(r->keys->v[k]);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
		body.len = 0;
		if (curl_easy_perform(h) == CURLE_OK)
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status[k]);
		curl_slist_free_all(hl);
		const char *p = strstr(buf_str(&body), "\"code\":\"");
		if (p)
			snprintf(r->code[k], CODE_LEN, "%.*s", (int)strcspn(p + 8, "\""), p + 8);
	}
	buf_free(&body);
	curl_easy_cleanup(h);
	return NULL;
}

/* Sixteen clerks, each dossier with its own key, killed mid-load (group
 * commit takes their intakes in shared commits); then every key sent
 * again. */
static void
test_kill_with_keys(void **state)
{
	(void)state;
	int rounds = rounds_and_seed(5);
	struct state st;
	read_state(&st);
	size_t before = st.dossiers.n;   /* the first test's */
	state_free(&st);
	struct totals t = {0};
	for (int round = 0; round < rounds; round++)
		kill_round(round, KEYED_THREADS, 1, 100 + (unsigned)(rnd() % 401), &t);
	assert_int_equal(t.lost, 0);

	/* every key again, from 16 clients at once (so resends of keys
	 * share commits too): an acknowledged one gives its code back (200),
	 * a cut one the dossier its first send made (200) or a new one (201) */
	struct resend r = {.keys = &t.keys, .status = calloc(t.keys.n, sizeof *r.status),
	                   .code = calloc(t.keys.n, sizeof *r.code)};
	assert_true(r.status && r.code);
	struct resender rs[KEYED_THREADS];
	for (int i = 0; i < KEYED_THREADS; i++) {
		rs[i] = (struct resender){.r = &r, .no = i};
		pthread_create(&rs[i].th, NULL, resend_work, &rs[i]);
	}
	for (int i = 0; i < KEYED_THREADS; i++)
		pthread_join(rs[i].th, NULL);
	struct codes got = {0};
	size_t replayed = 0;
	for (size_t k = 0; k < t.keys.n; k++) {
		if (!r.code[k][0] || (r.status[k] != 200 && r.status[k] != 201))
			fail_msg("resend of %s: %ld", t.keys.v[k], r.status[k]);
		if (t.key_code.v[k][0] && (r.status[k] != 200 || strcmp(r.code[k], t.key_code.v[k]) != 0))
			fail_msg("resend of acknowledged %s: %ld %s, first answer %s", t.keys.v[k], r.status[k],
			         r.code[k], t.key_code.v[k]);
		replayed += r.status[k] == 200;
		codes_add(&got, r.code[k], strlen(r.code[k]));
	}
	free(r.status);
	free(r.code);
	/* one dossier per key: no two keys share one, nothing without a key */
	codes_sort(&got);
	for (size_t k = 1; k < got.n; k++)
		if (strcmp(got.v[k - 1], got.v[k]) == 0)
			fail_msg("two keys answered with %s", got.v[k]);
	read_state(&st);
	printf("keys: %zu sent over %d kills, %zu acknowledged, %zu found again on resend; "
	       "%zu dossiers for them\n",
	       t.keys.n, rounds, t.all.n, replayed, st.dossiers.n - before);
	assert_int_equal(st.dossiers.n - before, t.keys.n);
	for (size_t k = 0; k < got.n; k++)
		assert_true(codes_has(&st.dossiers, got.v[k]));
	check_sequences(&st);
	state_free(&st);
	struct buf out = BUF_INIT;
	if (run_cli(NULL, &out, "check", "--data", S.dir, NULL) != 0)
		fail_msg("motcua check after the resends:\n%s", buf_str(&out));
	buf_free(&out);
	assert_true(t.all.n > 0);
	free(t.all.v);
	free(t.keys.v);
	free(t.key_code.v);
	free(got.v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_while_receiving),
		cmocka_unit_test(test_kill_with_keys),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
