/*
 * test_group_commit.c — db_tx_group, the grouped transaction runner of
 * the SQLite backend (a test of the backend itself, like test_fts_vi):
 *   - 16 threads write at once; jobs run on another thread's connection
 *     (they were grouped), each job's failure undoes only its own rows,
 *     every other row is there once, and the audit chain the jobs wrote
 *     verifies;
 *   - a writer outside holding the lock makes every waiting job give up
 *     with ERR_BUSY within the busy budget, and the next batch goes
 *     through once it lets go;
 *   - with MOTCUA_GROUP_COMMIT=0 at open each job runs on its own thread;
 *   - 16 threads of plain db_tx whose transactions each take 20 ms all
 *     get through: the writer gate serves them in turn (on SQLite's busy
 *     handler alone some lost every round until their budget ran out).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store/sqlite/db.h"
#include "store/store.h"

#define THREADS 16
#define PER_THREAD 60

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct store *
open_store(char *dir)
{
	char err[256];
	struct store *st;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(store_open(&st, dir, err, sizeof err), 0);
	assert_int_equal(store_init(st, "UBND xã Thử", "000.00.00.H38", 1, "admin", "$argon2id$x"), ERR_OK);
	return st;
}

static void
close_store(struct store *st, const char *dir)
{
	store_close(st);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static enum err
make_table(struct conn *c, void *arg)
{
	(void)arg;
	return sqlite3_exec(db_handle(c), "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT) STRICT", NULL,
	                    NULL, NULL) == SQLITE_OK ? ERR_OK : ERR_INTERNAL;
}

/* One job: a row k and its audit event; every seventh fails after both
 * (its work must vanish, the batch must not). */
struct job {
	struct store *st;
	int k;
	pthread_t caller, ran_on;
	int conn_is_mine;      /* db_conn(st) on the running thread is c */
};

static enum err
job_fn(struct conn *c, void *arg)
{
	struct job *j = arg;
	j->ran_on = pthread_self();
	j->conn_is_mine = db_conn(j->st) == c;
	sqlite3_stmt *s = db_stmt(c, "INSERT INTO t (k, v) VALUES (?, ?)");
	enum err e = s ? q_bind(s, "is", (int64_t)j->k, "hàng") : ERR_INTERNAL;
	if (!e)
		e = q_exec(s);
	char obj[32];
	snprintf(obj, sizeof obj, "test:%d", j->k);
	if (!e)
		e = db_audit(c, "thu", "test.group", obj, NULL);
	return e ? e : j->k % 7 == 0 ? ERR_CONFLICT : ERR_OK;
}

struct runner {
	struct store *st;
	int first, n;
	struct job *jobs;
	enum err *res;
};

static void *
run_jobs(void *arg)
{
	struct runner *r = arg;
	for (int i = 0; i < r->n; i++) {
		struct job *j = &r->jobs[r->first + i];
		*j = (struct job){.st = r->st, .k = r->first + i + 1, .caller = pthread_self()};
		r->res[r->first + i] = db_tx_group(r->st, job_fn, j);
	}
	return NULL;
}

/* Runs THREADS × PER_THREAD jobs; returns how many ran on another thread. */
static int
run_all(struct store *st, struct job *jobs, enum err *res)
{
	pthread_t th[THREADS];
	struct runner r[THREADS];
	for (int i = 0; i < THREADS; i++) {
		r[i] = (struct runner){st, i * PER_THREAD, PER_THREAD, jobs, res};
		assert_int_equal(pthread_create(&th[i], NULL, run_jobs, &r[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	int moved = 0;
	for (int i = 0; i < THREADS * PER_THREAD; i++) {
		assert_true(jobs[i].conn_is_mine);
		moved += !pthread_equal(jobs[i].caller, jobs[i].ran_on);
	}
	return moved;
}

static enum err
count_fn(struct conn *c, void *arg)
{
	int64_t *n = arg;
	sqlite3_stmt *s = db_stmt(c, "SELECT count(*), coalesce(sum(k), 0) FROM t");
	if (!s || q_row(s) != ERR_OK)
		return ERR_INTERNAL;
	n[0] = sqlite3_column_int64(s, 0);
	n[1] = sqlite3_column_int64(s, 1);
	return q_end(s, ERR_NOT_FOUND);
}

static void
test_grouped(void **state)
{
	(void)state;
	char dir[] = "/tmp/motcua-group-XXXXXX";
	struct store *st = open_store(dir);
	assert_int_equal(db_tx(st, make_table, NULL), ERR_OK);
	static struct job jobs[THREADS * PER_THREAD];
	static enum err res[THREADS * PER_THREAD];
	int moved = run_all(st, jobs, res);
	int64_t want_n = 0, want_sum = 0;
	for (int i = 0; i < THREADS * PER_THREAD; i++) {
		int k = i + 1;
		assert_int_equal(res[i], k % 7 == 0 ? ERR_CONFLICT : ERR_OK);
		if (k % 7) {
			want_n++;
			want_sum += k;
		}
	}
	/* every good row once, no failed one (k is the key: no duplicates) */
	int64_t n[2];
	assert_int_equal(db_read(st, count_fn, n), ERR_OK);
	assert_int_equal(n[0], want_n);
	assert_int_equal(n[1], want_sum);
	/* the jobs shared commits: some ran on a leader's thread */
	printf("group: %d of %d jobs ran in another thread's commit\n", moved, THREADS * PER_THREAD);
	assert_true(moved > 0);
	/* the chain holds the good jobs' events in commit order */
	struct store_check chk;
	assert_int_equal(store_check(st, &chk), ERR_OK);
	assert_int_equal(chk.first_bad, 0);
	assert_true(chk.key_ok);
	assert_true(chk.events >= want_n);
	close_store(st, dir);
}

/* While another connection holds the write lock, every queued job gives
 * up with ERR_BUSY after about the budget, never much later. */
struct busy_arg {
	struct store *st;
	int k;
	enum err e;
	int64_t waited;
};

static void *
busy_one(void *arg)
{
	struct busy_arg *b = arg;
	struct job j = {.st = b->st, .k = b->k, .caller = pthread_self()};
	int64_t t0 = now_ms();
	b->e = db_tx_group(b->st, job_fn, &j);
	b->waited = now_ms() - t0;
	return NULL;
}

static void
test_busy(void **state)
{
	(void)state;
	char dir[] = "/tmp/motcua-group-XXXXXX", path[128];
	struct store *st = open_store(dir);
	assert_int_equal(db_tx(st, make_table, NULL), ERR_OK);
	snprintf(path, sizeof path, "%s/motcua.db", dir);
	sqlite3 *other;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	struct busy_arg b[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		b[i] = (struct busy_arg){.st = st, .k = i + 1};
		assert_int_equal(pthread_create(&th[i], NULL, busy_one, &b[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(b[i].e, ERR_BUSY);
		/* at most two budgets: one batch's behind another's */
		if (b[i].waited < 1500 || b[i].waited > 6000)
			fail_msg("job %d waited %lld ms", i, (long long)b[i].waited);
	}
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	struct job j = {.st = st, .k = 10, .caller = pthread_self()};
	assert_int_equal(db_tx_group(st, job_fn, &j), ERR_OK);
	int64_t n[2];
	assert_int_equal(db_read(st, count_fn, n), ERR_OK);
	assert_int_equal(n[0], 1);
	assert_int_equal(n[1], 10);
	close_store(st, dir);
}

/* The switch: MOTCUA_GROUP_COMMIT=0 when the store opens is plain db_tx. */
static void
test_switched_off(void **state)
{
	(void)state;
	setenv("MOTCUA_GROUP_COMMIT", "0", 1);
	char dir[] = "/tmp/motcua-group-XXXXXX";
	struct store *st = open_store(dir);
	unsetenv("MOTCUA_GROUP_COMMIT");
	assert_int_equal(db_tx(st, make_table, NULL), ERR_OK);
	static struct job jobs[THREADS * PER_THREAD];
	static enum err res[THREADS * PER_THREAD];
	assert_int_equal(run_all(st, jobs, res), 0);
	for (int i = 0; i < THREADS * PER_THREAD; i++)
		assert_int_equal(res[i], (i + 1) % 7 == 0 ? ERR_CONFLICT : ERR_OK);
	close_store(st, dir);
}

/* A slow writer: its row, then 20 ms inside the transaction. */
static enum err
slow_fn(struct conn *c, void *arg)
{
	struct job *j = arg;
	sqlite3_stmt *s = db_stmt(c, "INSERT INTO t (k, v) VALUES (?, ?)");
	enum err e = s ? q_bind(s, "is", (int64_t)j->k, "chậm") : ERR_INTERNAL;
	if (!e)
		e = q_exec(s);
	struct timespec ts = {0, 20 * 1000000L};
	nanosleep(&ts, NULL);
	return e;
}

#define SLOW_EACH 8

static void *
run_slow(void *arg)
{
	struct runner *r = arg;
	for (int i = 0; i < r->n; i++) {
		struct job *j = &r->jobs[r->first + i];
		*j = (struct job){.st = r->st, .k = r->first + i + 1};
		r->res[r->first + i] = db_tx(r->st, slow_fn, j);
	}
	return NULL;
}

static void
test_writers_take_turns(void **state)
{
	(void)state;
	char dir[] = "/tmp/motcua-group-XXXXXX";
	struct store *st = open_store(dir);
	assert_int_equal(db_tx(st, make_table, NULL), ERR_OK);
	static struct job jobs[THREADS * SLOW_EACH];
	static enum err res[THREADS * SLOW_EACH];
	pthread_t th[THREADS];
	struct runner r[THREADS];
	for (int i = 0; i < THREADS; i++) {
		r[i] = (struct runner){st, i * SLOW_EACH, SLOW_EACH, jobs, res};
		assert_int_equal(pthread_create(&th[i], NULL, run_slow, &r[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	int busy = 0;
	for (int i = 0; i < THREADS * SLOW_EACH; i++)
		busy += res[i] != ERR_OK;
	if (busy)
		fail_msg("%d of %d writers gave up", busy, THREADS * SLOW_EACH);
	int64_t n[2];
	assert_int_equal(db_read(st, count_fn, n), ERR_OK);
	assert_int_equal(n[0], THREADS * SLOW_EACH);
	close_store(st, dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grouped),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_switched_off),
		cmocka_unit_test(test_writers_take_turns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
