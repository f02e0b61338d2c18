/*
 * test_portal.c — the public pages' render cache and the portal's own
 * data (issue #12, items 9 and 10) against the real binary: a write that
 * changes a public page shows at once (news published, dated and edited;
 * a procedure retired and published again; the footer's contact); views
 * write nothing to the database; what differs between visitors (the CSRF
 * token, the visit figures, the signed-in header) is never shared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "driver.h"

#define UA_BROWSER "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"

static struct srv S;
static struct client A; /* signed in as admin */

static int
setup(void **state)
{
	(void)state;
	/* visits are written by a timer: not during this test */
	static const char *const args[] = {"--visit-flush", "3600", NULL};
	srv_extra_args = args;
	if (group_start(&S) != 0)
		return -1;
	client_init(&A, &S);
	return login(&A, "admin", S.admin_pw) == 303 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&A);
	return group_stop(&S);
}

/* GET path from a visitor who is not signed in (a browser, so counted);
 * asserts the status, keeps the body in r. */
static void
visit(struct client *c, const char *path, long status, struct reply *r)
{
	assert_int_equal(req(c, "GET", path, NULL, NULL, 0, UA_BROWSER, r), 0);
	assert_int_equal(r->status, status);
}

static int
page_has(struct client *c, const char *path, const char *text)
{
	struct reply r;
	visit(c, path, 200, &r);
	int yes = reply_has(&r, text);
	reply_free(&r);
	return yes;
}

/* Posts fields (urlencoded, without csrf) to path after reading page's token. */
static long
admin_post(const char *page, const char *path, const char *fields, char *loc, size_t loclen)
{
	struct reply r;
	long st = submit_form(&A, page, path, fields, &r);
	if (loc)
		reply_header(&r, "Location", loc, loclen);
	reply_free(&r);
	return st;
}

static void
test_writes_show_at_once(void **state)
{
	(void)state;
	struct client v;
	client_init(&v, &S);
	/* the pages are rendered (and kept) before each write */
	assert_false(page_has(&v, "/tin-tuc", "Chỉ thị về cải cách"));
	assert_false(page_has(&v, "/tin-tuc?ngay=2017-09-14", "Chỉ thị về cải cách"));
	assert_false(page_has(&v, "/", "Chỉ thị về cải cách"));

	char loc[200] = "";
	assert_int_equal(admin_post("/quan-tri/tin-tuc/moi", "/quan-tri/tin-tuc/moi",
	                            "title=Ch%E1%BB%89+th%E1%BB%8B+v%E1%BB%81+c%E1%BA%A3i+c%C3%A1ch"
	                            "&summary=&body=N%E1%BB%99i+dung.&category=cai-cach-hanh-chinh"
	                            "&kind=announcement&date=2017-09-14&action=publish",
	                            loc, sizeof loc), 303);
	assert_true(page_has(&v, "/tin-tuc", "Chỉ thị về cải cách"));
	assert_true(page_has(&v, "/tin-tuc?ngay=2017-09-14", "Chỉ thị về cải cách"));
	assert_true(page_has(&v, "/tin-tuc?ngay=2017-09-14", "14/09/2017"));
	assert_false(page_has(&v, "/tin-tuc?ngay=2017-09-15", "Chỉ thị về cải cách"));
	assert_true(page_has(&v, "/", "Chỉ thị về cải cách"));
	assert_true(page_has(&v, "/tin-tuc/chi-thi-ve-cai-cach", "14/09/2017"));

	/* an edit: the article's page changes at once */
	char edit[64];
	assert_non_null(strstr(loc, "/quan-tri/tin-tuc/"));
	snprintf(edit, sizeof edit, "%.*s", (int)(strcspn(strstr(loc, "/quan-tri/"), "?")), strstr(loc, "/quan-tri/"));
	assert_int_equal(admin_post(edit, edit,
	                            "title=Ch%E1%BB%89+th%E1%BB%8B+s%E1%BB%91+07&summary=&body=N%E1%BB%99i+dung."
	                            "&category=cai-cach-hanh-chinh&kind=announcement&date=2017-09-14&action=save",
	                            NULL, 0), 303);
	assert_true(page_has(&v, "/tin-tuc/chi-thi-ve-cai-cach", "Chỉ thị số 07"));
	assert_true(page_has(&v, "/tin-tuc", "Chỉ thị số 07"));

	/* a procedure retired disappears from the catalogue at once, and comes back */
	assert_true(page_has(&v, "/thu-tuc/1.001193", "khai sinh"));
	assert_true(page_has(&v, "/thu-tuc?q=khai+sinh", "1.001193"));
	assert_int_equal(admin_post("/quan-tri/thu-tuc", "/quan-tri/thu-tuc/1.001193/trang-thai", "status=retired",
	                            NULL, 0), 303);
	struct reply r;
	visit(&v, "/thu-tuc/1.001193", 404, &r);
	reply_free(&r);
	assert_false(page_has(&v, "/thu-tuc?q=khai+sinh", "/thu-tuc/1.001193\""));
	assert_int_equal(admin_post("/quan-tri/thu-tuc", "/quan-tri/thu-tuc/1.001193/trang-thai", "status=published",
	                            NULL, 0), 303);
	assert_true(page_has(&v, "/thu-tuc/1.001193", "khai sinh"));

	/* the footer's contact, set by the admin, on every public page at once */
	assert_false(page_has(&v, "/", "0234 3861 234"));
	assert_int_equal(admin_post("/quan-tri/co-quan", "/quan-tri/co-quan",
	                            "address=Th%C3%B4n+Ph%C3%BA+L%E1%BB%99c&phone=0234+3861+234"
	                            "&email=ubnd%40phonghai.gov.vn", NULL, 0), 303);
	assert_true(page_has(&v, "/", "0234 3861 234"));
	assert_true(page_has(&v, "/thu-tuc", "ubnd@phonghai.gov.vn"));
	assert_true(page_has(&v, "/tin-tuc", "href=\"tel:02343861234\""));
	/* refused input changes nothing */
	assert_int_equal(admin_post("/quan-tri/co-quan", "/quan-tri/co-quan", "address=&phone=g%E1%BB%8Di&email=",
	                            NULL, 0), 400);
	assert_true(page_has(&v, "/", "0234 3861 234"));
	client_free(&v);
}

/* size and modification time of a file, "" when it does not exist */
static void
file_state(const char *dir, const char *name, char *out, size_t n)
{
	char path[400];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (stat(path, &st) != 0)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%lld:%lld.%09ld", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		         st.st_mtim.tv_nsec);
}

static void
test_views_write_nothing(void **state)
{
	(void)state;
	static const char *const pages[] = {"/", "/thu-tuc", "/thu-tuc?q=khai+sinh", "/thu-tuc/1.001193",
	                                    "/tin-tuc", "/tin-tuc?ngay=2017-09-14", "/tin-tuc/chi-thi-ve-cai-cach"};
	struct client warm;
	client_init(&warm, &S);
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		struct reply r;
		visit(&warm, pages[i], 200, &r);
		reply_free(&r);
	}
	client_free(&warm);
	char db0[80], wal0[80], db1[80], wal1[80];
	file_state(S.dir, "motcua.db", db0, sizeof db0);
	file_state(S.dir, "motcua.db-wal", wal0, sizeof wal0);
	for (int round = 0; round < 30; round++) {
		struct client c;   /* a new visitor each round: new cookie, counted */
		client_init(&c, &S);
		for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
			struct reply r;
			visit(&c, pages[i], 200, &r);
			reply_free(&r);
		}
		client_free(&c);
	}
	file_state(S.dir, "motcua.db", db1, sizeof db1);
	file_state(S.dir, "motcua.db-wal", wal1, sizeof wal1);
	assert_string_equal(db0, db1);
	assert_string_equal(wal0, wal1);
	/* and they came from the cache: 210 views, at least 200 hits */
	struct reply m;
	get(&A, "/metrics", &m);
	assert_int_equal(m.status, 200);
	const char *h = strstr(buf_str(&m.body), "motcua_pagecache_requests_total{outcome=\"hit\"} ");
	assert_non_null(h);
	assert_true(atol(strchr(h, '}') + 2) >= 200);
	reply_free(&m);
}

/* The CSRF token value of the first form in r. */
static void
token_of(const struct reply *r, char *out, size_t n)
{
	assert_int_equal(csrf_of(r, out, n), 0);
	assert_true(strlen(out) > 20);
}

static void
test_nothing_personal_is_shared(void **state)
{
	(void)state;
	struct client a, b;
	client_init(&a, &S);
	client_init(&b, &S);
	struct reply ra, rb, ra2;
	visit(&a, "/", 200, &ra);
	visit(&b, "/", 200, &rb);
	visit(&a, "/", 200, &ra2);
	char ta[128], tb[128], ta2[128];
	token_of(&ra, ta, sizeof ta);
	token_of(&rb, tb, sizeof tb);
	token_of(&ra2, ta2, sizeof ta2);
	assert_string_not_equal(ta, tb);   /* each visitor his own token */
	assert_string_equal(ta, ta2);      /* the same visitor keeps his */
	/* the visit figures are numbers, filled per response */
	const char *dd = strstr(buf_str(&rb.body), "Tổng lượt truy cập</dt><dd>");
	assert_non_null(dd);
	dd += strlen("Tổng lượt truy cập</dt><dd>");
	assert_true(dd[0] >= '1' && dd[0] <= '9');
	reply_free(&ra);
	reply_free(&rb);
	reply_free(&ra2);
	/* the token from a kept page is accepted: the lookup form answers, not a CSRF refusal */
	struct reply r;
	assert_int_equal(submit_form(&a, "/", "/tra-cuu", "ma=X-260101-0001&dien_thoai=0905123456", &r), 404);
	reply_free(&r);
	/* signed in: the header says who, and never reaches a visitor */
	struct reply ad;
	get(&A, "/", &ad);
	assert_true(reply_has(&ad, "Đăng xuất"));
	reply_free(&ad);
	assert_false(page_has(&b, "/", "Đăng xuất"));
	client_free(&a);
	client_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writes_show_at_once),
		cmocka_unit_test(test_views_write_nothing),
		cmocka_unit_test(test_nothing_personal_is_shared),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
