/*
 * test_backup.c — `motcua backup` takes a consistent copy while the server
 * serves and writes; the copy restores (docs/OPERATIONS.md) to the same
 * data with a valid audit chain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "driver.h"

static struct srv S;
static atomic_int writing;
static atomic_int written;

static int
setup(void **state)
{
	(void)state;
	return group_start(&S);
}

static int
teardown(void **state)
{
	(void)state;
	return group_stop(&S);
}

/* An admin adds holiday overrides one after another (each a transaction
 * with its audit event) until told to stop. */
static void *
writer(void *arg)
{
	(void)arg;
	struct client a;
	struct reply r;
	char csrf[128];
	client_init(&a, &S);
	if (login(&a, "admin", S.admin_pw) != 303)
		return NULL;
	get(&a, "/quan-tri/lich?nam=2030", &r);
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	for (int day = 1; atomic_load(&writing) && day <= 28; day++) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "day=2030-03-%02d&kind=off&name=Ngh%%E1%%BB%%89+th%%E1%%BB%%AD+%d&csrf=", day, day);
		urlenc(&b, csrf);
		post_form(&a, "/quan-tri/lich/ngay", buf_str(&b), &r);
		if (r.status == 303)
			atomic_fetch_add(&written, 1);
		reply_free(&r);
		buf_free(&b);
	}
	client_free(&a);
	return NULL;
}

static char *
cli_out(const char *dir, const char *a1, const char *a2, const char *a3, const char *a4)
{
	struct buf out = BUF_INIT;
	int rc = run_cli(NULL, &out, a1, a2, "--data", dir, a3, a4, NULL);
	if (rc != 0)
		fail_msg("motcua %s %s: %s", a1, a2, buf_str(&out));
	return buf_detach(&out);
}

static void
restore(const char *backup, char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/motcua-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char cmd[700];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s/motcua.db'", backup, dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_backup_while_serving(void **state)
{
	(void)state;
	char b1[300], b2[300], r1[64], r2[64];
	snprintf(b1, sizeof b1, "%s/backup-1.db", S.dir);
	snprintf(b2, sizeof b2, "%s/backup-2.db", S.dir);
	atomic_store(&writing, 1);
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (atomic_load(&written) < 3)
		usleep(20000);
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "backup", "--data", S.dir, "--to", b1, NULL), 0);
	atomic_store(&writing, 0);
	pthread_join(t, NULL);
	/* a backup never overwrites a file */
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "backup", "--data", S.dir, "--to", b1, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "đã tồn tại"));

	/* the copy taken mid-writes restores to a valid database and chain */
	restore(b1, r1, sizeof r1);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", r1, NULL), 0);
	assert_non_null(strstr(buf_str(&out), "KẾT QUẢ: ĐẠT"));

	/* quiet now: a second copy restores to exactly the live data */
	assert_int_equal(run_cli(NULL, &out, "backup", "--data", S.dir, "--to", b2, NULL), 0);
	restore(b2, r2, sizeof r2);
	const char *what[][4] = {
		{"user", "list", NULL, NULL},
		{"export", "procedures", NULL, NULL},
		{"calendar", "holidays", "--year", "2030"},
	};
	for (size_t i = 0; i < sizeof what / sizeof what[0]; i++) {
		char *live = cli_out(S.dir, what[i][0], what[i][1], what[i][2], what[i][3]);
		char *back = cli_out(r2, what[i][0], what[i][1], what[i][2], what[i][3]);
		assert_string_equal(live, back);
		free(live);
		free(back);
	}
	char *h = cli_out(r2, "calendar", "holidays", "--year", "2030");
	assert_non_null(strstr(h, "2030-03-01\tNghỉ thử 1\toverride"));
	free(h);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", r2, NULL), 0);
	buf_free(&out);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", r1, r2);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_while_serving),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
