/*
 * test_app_backup.c — the backup service (src/app/backup.c) on a
 * temporary store, without a server: only an admin (or the system) may
 * take, list or download; an archive taken is a tar in the folder, listed
 * newest first, and every take and download is an audit event; names
 * that are not archives of the folder are not found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "app/app.h"
#include "app/backup.h"
#include "core/roles.h"
#include "app_fixture.h"

static char DIR_[64], BDIR[128];
static struct store *ST;
static struct app A;

static int64_t
events(void)
{
	struct store_check c;
	assert_int_equal(store_check(ST, &c), ERR_OK);
	return c.events;
}

static int
setup(void **state)
{
	(void)state;
	char err[200];
	if (fixture_open(DIR_, "bk", &ST, &A) != 0)
		return -1;
	snprintf(BDIR, sizeof BDIR, "%s/sao-luu", DIR_);
	return app_backup_start(&A, BDIR, -1, 3, err, sizeof err);
}

static int
teardown(void **state)
{
	(void)state;
	app_backup_stop(&A);
	return fixture_close(DIR_, ST, &A);
}

static void
test_names(void **state)
{
	(void)state;
	int m = 0;
	assert_int_equal(app_backup_parse_at("01:30", &m), 0);
	assert_int_equal(m, 90);
	assert_int_equal(app_backup_parse_at("off", &m), 0);
	assert_int_equal(m, -1);
	assert_int_equal(app_backup_parse_at("24:00", &m), -1);
	assert_int_equal(app_backup_parse_at("1:30", &m), -1);
	assert_true(app_backup_name_ok("motcua-20261128-013000.tar"));
	assert_true(app_backup_name_ok("motcua-20261128-013000-tu-dong.tar"));
	assert_false(app_backup_name_ok("motcua-20261128-013000.tar.gz"));
	assert_false(app_backup_name_ok("../motcua.db"));
	assert_false(app_backup_name_ok("motcua-2026112x-013000.tar"));
}

static void
test_only_admin(void **state)
{
	(void)state;
	static const unsigned roles[] = {ROLE_LEADER, ROLE_CLERK, ROLE_OFFICER, ROLE_VIEWER, ROLE_PUBLIC};
	int64_t before = events();
	for (size_t i = 0; i < sizeof roles / sizeof *roles; i++) {
		struct actor ac = {.user_id = 7, .role = roles[i], .name = "user:someone"};
		struct app_backup_result r;
		struct app_backup_status s;
		int fd;
		uint64_t size;
		assert_int_equal(app_backup_take(&A, &ac, &r), ERR_FORBIDDEN);
		assert_int_equal(app_backup_status(&A, &ac, &s), ERR_FORBIDDEN);
		app_backup_status_free(&s);
		assert_int_equal(app_backup_open(&A, &ac, "motcua-20261128-013000.tar", &fd, &size), ERR_FORBIDDEN);
		assert_int_equal(fd, -1);
	}
	assert_int_equal(events(), before);
	struct stat sb;
	assert_int_not_equal(stat(BDIR, &sb), 0);   /* nothing was written */
}

static void
test_take_list_open(void **state)
{
	(void)state;
	struct actor admin = {.user_id = 1, .role = ROLE_ADMIN, .name = "user:admin"};
	int64_t before = events();
	struct app_backup_result r;
	assert_int_equal(app_backup_take(&A, &admin, &r), ERR_OK);
	assert_true(app_backup_name_ok(r.name));
	assert_true(r.info.bytes > 0);
	assert_int_equal(events(), before + 1);

	struct app_backup_status s;
	assert_int_equal(app_backup_status(&A, &admin, &s), ERR_OK);
	assert_int_equal(s.count, 1);
	assert_string_equal(s.archives[0].name, r.name);
	assert_false(s.archives[0].nightly);
	assert_true(s.archives[0].bytes > 0);
	assert_int_equal(s.at, -1);
	assert_int_equal(s.keep, 3);
	assert_false(s.running);
	assert_true(s.free_bytes > 0);
	uint64_t listed = (uint64_t)s.archives[0].bytes;
	app_backup_status_free(&s);

	int fd;
	uint64_t size;
	assert_int_equal(app_backup_open(&A, &admin, r.name, &fd, &size), ERR_OK);
	assert_true(fd >= 0);
	assert_int_equal(size, listed);
	char head[263];
	assert_int_equal(pread(fd, head, sizeof head, 0), (ssize_t)sizeof head);
	assert_memory_equal(head + 257, "ustar", 5);   /* a tar archive */
	close(fd);
	assert_int_equal(events(), before + 2);         /* the download is recorded */

	/* names that are no archive of the folder */
	assert_int_equal(app_backup_open(&A, &admin, "../motcua.db", &fd, &size), ERR_NOT_FOUND);
	assert_int_equal(app_backup_open(&A, &admin, "motcua-20000101-000000.tar", &fd, &size), ERR_NOT_FOUND);
	assert_int_equal(app_backup_open(&A, &admin, NULL, &fd, &size), ERR_NOT_FOUND);
	assert_int_equal(events(), before + 2);
}

static void
test_to_path(void **state)
{
	(void)state;
	struct actor sys;
	app_actor_system(&sys, "system:cli");
	char path[160];
	snprintf(path, sizeof path, "%s/ra-ngoai.tar", DIR_);
	int64_t before = events();
	struct app_backup_result r;
	assert_int_equal(app_backup_to(&A, &sys, path, &r), ERR_OK);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal((int64_t)sb.st_size, r.info.bytes);
	assert_int_equal(events(), before + 1);
	struct actor clerk = {.role = ROLE_CLERK, .name = "user:clerk"};
	snprintf(path, sizeof path, "%s/khong.tar", DIR_);
	assert_int_equal(app_backup_to(&A, &clerk, path, &r), ERR_FORBIDDEN);
	assert_int_not_equal(stat(path, &sb), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_only_admin),
		cmocka_unit_test(test_take_list_open),
		cmocka_unit_test(test_to_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
