/*
 * test_app_catalog.c — the catalogue service (src/app/catalog.c) on a
 * temporary store, without a server: only admins write, see drafts or
 * export; a refused procedure writes nothing; draft → publish → a new
 * version; retire; an import is all or nothing (a code twice refuses the
 * whole file); the export is sorted by code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/app.h"
#include "app/catalog.h"
#include "core/roles.h"
#include "app_fixture.h"

static char DIR_[64];
static struct store *ST;
static struct app A;
static const struct actor ADMIN = {.user_id = 1, .role = ROLE_ADMIN, .name = "user:admin"};
static const struct actor LEADER = {.user_id = 2, .role = ROLE_LEADER, .name = "user:leader"};
static const struct actor PUBLIC = {.role = ROLE_PUBLIC, .name = "anonymous"};

static int
setup(void **state)
{
	(void)state;
	return fixture_open(DIR_, "catalog", &ST, &A);
}

static int
teardown(void **state)
{
	(void)state;
	return fixture_close(DIR_, ST, &A);
}

static void
mk(struct proc *p, const char *code, const char *name, enum proc_status status)
{
	assert_int_equal(proc_init(p), 0);
	proc_set(&p->code, code);
	proc_set(&p->name, name);
	proc_set(&p->field, "Hộ tịch");
	p->code_kind = proc_code_national(code) ? PROC_NATIONAL : PROC_LOCAL;
	p->time_limit.days = 3;
	p->status = status;
}

static int
count_one(struct store_proc *p, void *arg)
{
	(void)p;
	(*(int *)arg)++;
	return 0;
}

/* How many procedures the actor's list shows (all: the admin view). */
static int
listed(const struct actor *ac, int all)
{
	int n = 0;
	struct app_catalog_query q = {.online_level = PROC_ONLINE_UNSET, .all = all, .limit = 100};
	assert_int_equal(app_catalog_list(&A, ac, &q, count_one, &n, NULL), ERR_OK);
	return n;
}

static void
test_authorization(void **state)
{
	(void)state;
	struct proc p;
	struct app_fail f;
	mk(&p, "1.000001", "Thủ tục thứ nhất", PROC_DRAFT);
	assert_int_equal(app_catalog_put(&A, &LEADER, &p, 1, "test", &f), ERR_FORBIDDEN);
	assert_int_equal(app_catalog_put(&A, &PUBLIC, &p, 1, "test", &f), ERR_FORBIDDEN);
	assert_int_equal(app_catalog_import(&A, &LEADER, &p, 1, "test", NULL, &f), ERR_FORBIDDEN);
	assert_int_equal(listed(&ADMIN, 1), 0);
	assert_int_equal(app_catalog_put(&A, &ADMIN, &p, 1, "test", &f), ERR_OK);
	assert_int_equal(app_catalog_put(&A, &ADMIN, &p, 1, "test", &f), ERR_EXISTS);
	proc_free(&p);
	struct store_proc sp;
	assert_int_equal(app_catalog_get(&A, &PUBLIC, "1.000001", 0, &sp), ERR_NOT_FOUND); /* a draft */
	assert_int_equal(app_catalog_get(&A, &LEADER, "1.000001", 1, &sp), ERR_FORBIDDEN);
	assert_int_equal(app_catalog_get(&A, &ADMIN, "1.000001", 1, &sp), ERR_OK);
	assert_int_equal(sp.proc.status, PROC_DRAFT);
	store_proc_free(&sp);
	assert_int_equal(listed(&PUBLIC, 0), 0);
	struct app_catalog_query q = {.online_level = PROC_ONLINE_UNSET, .all = 1};
	assert_int_equal(app_catalog_list(&A, &LEADER, &q, count_one, &(int){0}, NULL), ERR_FORBIDDEN);
	assert_int_equal(app_catalog_set_status(&A, &LEADER, "1.000001", PROC_PUBLISHED), ERR_FORBIDDEN);
	struct proc *v;
	size_t n;
	assert_int_equal(app_catalog_export(&A, &LEADER, &v, &n), ERR_FORBIDDEN);
}

static void
test_refusal_writes_nothing(void **state)
{
	(void)state;
	struct proc p;
	struct app_fail f;
	mk(&p, "1.000002", "Thủ tục thứ hai", PROC_PUBLISHED);
	proc_doc_add(&p, "Tờ khai", PROC_ORIGINAL, 1, "");
	proc_doc_add(&p, "Giấy tờ", PROC_COPY, 0, "");
	assert_int_equal(app_catalog_put(&A, &ADMIN, &p, 1, "test", &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "documents[1].count");
	assert_non_null(strstr(f.msg, "Trường \"documents[1].count\""));
	proc_free(&p);
	struct store_proc sp;
	assert_int_equal(app_catalog_get(&A, &ADMIN, "1.000002", 1, &sp), ERR_NOT_FOUND);
	mk(&p, "1.000009", "Thủ tục chưa có", PROC_DRAFT);
	assert_int_equal(app_catalog_put(&A, &ADMIN, &p, 0, "test", &f), ERR_NOT_FOUND);
	proc_free(&p);
}

static void
test_versions(void **state)
{
	(void)state;
	struct proc p;
	struct app_fail f;
	struct store_proc sp;
	mk(&p, "1.000003", "Thủ tục thứ ba", PROC_DRAFT);
	assert_int_equal(app_catalog_put(&A, &ADMIN, &p, 1, "test", &f), ERR_OK);
	assert_int_equal(app_catalog_set_status(&A, &ADMIN, "1.000003", PROC_PUBLISHED), ERR_OK);
	assert_int_equal(app_catalog_get(&A, &PUBLIC, "1.000003", 0, &sp), ERR_OK);
	assert_int_equal(sp.version, 1);
	assert_int_equal(sp.proc.time_limit.days, 3);
	store_proc_free(&sp);
	/* an edit of a published procedure is a new draft version; the public keeps version 1 */
	p.time_limit.days = 5;
	assert_int_equal(app_catalog_put(&A, &ADMIN, &p, 0, "test", &f), ERR_OK);
	assert_int_equal(app_catalog_get(&A, &PUBLIC, "1.000003", 0, &sp), ERR_OK);
	assert_int_equal(sp.version, 1);
	assert_int_equal(sp.has_draft, 1);
	store_proc_free(&sp);
	assert_int_equal(app_catalog_set_status(&A, &ADMIN, "1.000003", PROC_PUBLISHED), ERR_OK);
	assert_int_equal(app_catalog_get(&A, &PUBLIC, "1.000003", 0, &sp), ERR_OK);
	assert_int_equal(sp.version, 2);
	assert_int_equal(sp.proc.time_limit.days, 5);
	store_proc_free(&sp);
	/* retire: gone from the public catalogue, kept for admins */
	assert_int_equal(app_catalog_set_status(&A, &ADMIN, "1.000003", PROC_RETIRED), ERR_OK);
	assert_int_equal(app_catalog_get(&A, &PUBLIC, "1.000003", 0, &sp), ERR_NOT_FOUND);
	assert_int_equal(app_catalog_get(&A, &ADMIN, "1.000003", 1, &sp), ERR_OK);
	assert_int_equal(sp.proc.status, PROC_RETIRED);
	store_proc_free(&sp);
	assert_int_equal(app_catalog_set_status(&A, &ADMIN, "1.000003", PROC_DRAFT), ERR_INVALID_FIELD);
	proc_free(&p);
}

static void
test_import_and_export(void **state)
{
	(void)state;
	struct proc v[3];
	struct app_fail f;
	size_t changed = 0;
	mk(&v[0], "XA.HT.02", "Thủ tục địa phương", PROC_PUBLISHED);
	mk(&v[1], "1.000010", "Thủ tục mười", PROC_PUBLISHED);
	mk(&v[2], "XA.HT.02", "Thủ tục trùng mã", PROC_PUBLISHED);
	int before = listed(&ADMIN, 1);
	assert_int_equal(app_catalog_import(&A, &ADMIN, v, 3, "test", &changed, &f), ERR_INVALID_FIELD);
	assert_non_null(strstr(f.msg, "XA.HT.02 xuất hiện hai lần"));
	assert_int_equal(listed(&ADMIN, 1), before);   /* all or nothing */
	assert_int_equal(app_catalog_import(&A, &ADMIN, v, 2, "test", &changed, &f), ERR_OK);
	assert_int_equal(changed, 2);
	assert_int_equal(app_catalog_import(&A, &ADMIN, v, 2, "test", &changed, &f), ERR_OK);
	assert_int_equal(changed, 0);
	for (int i = 0; i < 3; i++)
		proc_free(&v[i]);
	struct proc *out;
	size_t n;
	assert_int_equal(app_catalog_export(&A, &ADMIN, &out, &n), ERR_OK);
	assert_int_equal(n, (size_t)listed(&ADMIN, 1));
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(out[i - 1].code, out[i].code) < 0);
	assert_string_equal(out[n - 1].code, "XA.HT.02");
	proc_array_free(out, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authorization),
		cmocka_unit_test(test_refusal_writes_nothing),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_import_and_export),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
