/*
 * test_store_sqlite.c — what only the SQLite backend can be asked: its
 * waiting is bounded.  Another connection holds the write lock (as a long
 * checkpoint or a stuck process would); a write through the store gives
 * up with ERR_BUSY after about DB_BUSY_BUDGET_MS, never holding its
 * caller for the minute the old 12 × 5 s busy loop could; reads go on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store/store.h"

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
test_bounded_wait(void **state)
{
	(void)state;
	char dir[] = "/tmp/motcua-store-XXXXXX", err[256], path[128];
	assert_non_null(mkdtemp(dir));
	struct store *st;
	assert_int_equal(store_open(&st, dir, err, sizeof err), 0);
	assert_int_equal(store_init(st, "UBND xã Thử", "000.00.00.H38", 1, "admin", "$argon2id$x"), ERR_OK);
	snprintf(path, sizeof path, "%s/motcua.db", dir);
	sqlite3 *other;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	struct store_user u = {.active = 1};
	snprintf(u.username, sizeof u.username, "cho.doi");
	snprintf(u.role, sizeof u.role, "clerk");
	snprintf(u.pwhash, sizeof u.pwhash, "$argon2id$x");
	int64_t t0 = now_ms();
	assert_int_equal(store_user_create(st, "cli", &u, NULL), ERR_BUSY);
	int64_t waited = now_ms() - t0;
	if (waited < 1500 || waited > 3500)
		fail_msg("waited %lld ms, want about 2000", (long long)waited);
	/* reads are not blocked by a writer (WAL) */
	struct store_agency ag;
	t0 = now_ms();
	assert_int_equal(store_agency_get(st, &ag), ERR_OK);
	assert_true(now_ms() - t0 < 500);
	/* the lock released, the same write goes through at once */
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_user_create(st, "cli", &u, NULL), ERR_OK);
	sqlite3_close(other);
	store_close(st);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounded_wait),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
