/*
 * test_basics.c — the small shared pieces: buf, the error registry,
 * roles, agency-code validation and the router.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>
#include "core/buf.h"
#include "core/errors.h"
#include "core/roles.h"
#include "core/validate.h"
#include "core/money.h"
#include "http/router.h"

static void
test_buf(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_string_equal(buf_str(&b), "");
	buf_puts(&b, "xin ");
	buf_printf(&b, "chào %d", 2026);
	buf_putc(&b, '!');
	assert_string_equal(buf_str(&b), "xin chào 2026!");
	assert_int_equal(b.len, strlen("xin chào 2026!"));
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, 'x');
	assert_int_equal(b.len, strlen("xin chào 2026!") + 10000);
	buf_reset(&b);
	assert_string_equal(buf_str(&b), "");
	buf_append(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	char *s = buf_detach(&b);
	assert_memory_equal(s, "a\0b", 4);
	free(s);
	assert_null(b.data);
	char *e = buf_detach(&b);
	assert_string_equal(e, "");
	free(e);
	buf_free(&b);
}

static void
test_errors(void **state)
{
	(void)state;
	assert_string_equal(err_code(ERR_BODY_TOO_LARGE), "body_too_large");
	assert_int_equal(err_status(ERR_BODY_TOO_LARGE), 413);
	assert_int_equal(err_status(ERR_BAD_JSON), 400);
	assert_int_equal(err_status(ERR_THROTTLED), 429);
	assert_int_equal(err_status(ERR_CSRF), 403);
	assert_non_null(strstr(err_message(ERR_NOT_FOUND), "Không tìm thấy"));
	/* out of range falls back to internal_error, never crashes */
	assert_string_equal(err_code((enum err)9999), "internal_error");
	assert_int_equal(err_status((enum err)-1), 500);
	/* every code is unique and snake_case, every message non-empty */
	for (int i = 0; i < ERR__COUNT; i++) {
		const char *c = err_code((enum err)i);
		for (const char *p = c; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9'));
		assert_true(strlen(err_message((enum err)i)) > 5);
		for (int j = i + 1; j < ERR__COUNT; j++)
			assert_string_not_equal(c, err_code((enum err)j));
	}
}

static void
test_roles(void **state)
{
	(void)state;
	assert_int_equal(role_from_name("admin"), ROLE_ADMIN);
	assert_int_equal(role_from_name("viewer"), ROLE_VIEWER);
	assert_int_equal(role_from_name("Admin"), 0);
	assert_int_equal(role_from_name(""), 0);
	assert_int_equal(role_from_name(NULL), 0);
	assert_string_equal(role_name(ROLE_CLERK), "clerk");
	assert_null(role_name(ROLE_ADMIN | ROLE_CLERK));
	assert_string_equal(role_label(ROLE_LEADER), "Lãnh đạo");
	const unsigned *list;
	assert_int_equal(role_list(&list), 5);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(role_from_name(role_name(list[i])), list[i]);
}

static void
test_agency_code(void **state)
{
	(void)state;
	assert_true(validate_agency_code("000.00.00.H38"));
	assert_true(validate_agency_code("000.00.04.G14"));
	assert_true(validate_agency_code("G09.01"));
	assert_true(validate_agency_code("H38.12.03"));
	assert_false(validate_agency_code("000.00.00.H3"));
	assert_false(validate_agency_code("000.00.00.h38"));
	assert_false(validate_agency_code("000.00.00.H38."));
	assert_false(validate_agency_code("G09."));
	assert_false(validate_agency_code("G.09"));
	assert_false(validate_agency_code(""));
	assert_false(validate_agency_code("ab"));
	assert_false(validate_agency_code("000-00-00-H38"));
}

static enum err
h(struct http_req *r, struct http_resp *p)
{
	(void)r;
	(void)p;
	return ERR_OK;
}

static const struct http_route routes[] = {
	{"GET", "/", h, 0, 0, 0},
	{"GET", "/a/moi", h, 0, 0, 0},
	{"GET", "/a/{id}", h, 0, 0, 0},
	{"POST", "/a/{id}/khoa", h, 0, 0, 0},
	{"GET", "/b/{x}/c/{y}", h, 0, 0, 0},
};

static void
test_router(void **state)
{
	(void)state;
	char buf[256];
	const struct http_route *rt;
	const char *params[HTTP_MAX_PARAMS];
	size_t np;
	size_t n = sizeof routes / sizeof routes[0];
	assert_int_equal(router_match(routes, n, "GET", "/", buf, sizeof buf, &rt, params, &np), ROUTE_FOUND);
	assert_ptr_equal(rt, &routes[0]);
	assert_int_equal(router_match(routes, n, "GET", "/a/moi", buf, sizeof buf, &rt, params, &np), ROUTE_FOUND);
	assert_ptr_equal(rt, &routes[1]);
	assert_int_equal(router_match(routes, n, "GET", "/a/42/", buf, sizeof buf, &rt, params, &np), ROUTE_FOUND);
	assert_ptr_equal(rt, &routes[2]);
	assert_int_equal(np, 1);
	assert_string_equal(params[0], "42");
	assert_int_equal(router_match(routes, n, "POST", "/a/7/khoa", buf, sizeof buf, &rt, params, &np), ROUTE_FOUND);
	assert_string_equal(params[0], "7");
	assert_int_equal(router_match(routes, n, "GET", "/a/7/khoa", buf, sizeof buf, &rt, params, &np), ROUTE_NO_METHOD);
	assert_int_equal(router_match(routes, n, "GET", "/b/1/c/2", buf, sizeof buf, &rt, params, &np), ROUTE_FOUND);
	assert_int_equal(np, 2);
	assert_string_equal(params[1], "2");
	assert_int_equal(router_match(routes, n, "HEAD", "/a/moi", buf, sizeof buf, &rt, params, &np), ROUTE_FOUND);
	assert_int_equal(router_match(routes, n, "GET", "/a", buf, sizeof buf, &rt, params, &np), ROUTE_NO_PATH);
	assert_int_equal(router_match(routes, n, "GET", "/a/1/2/3", buf, sizeof buf, &rt, params, &np), ROUTE_NO_PATH);
	assert_int_equal(router_match(routes, n, "DELETE", "/", buf, sizeof buf, &rt, params, &np), ROUTE_NO_METHOD);
	char longp[300];
	memset(longp, 'a', sizeof longp - 1);
	longp[0] = '/';
	longp[sizeof longp - 1] = '\0';
	assert_int_equal(router_match(routes, n, "GET", longp, buf, sizeof buf, &rt, params, &np), ROUTE_NO_PATH);
	assert_int_equal(router_match(routes, n, "GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r", buf, sizeof buf, &rt, params, &np), ROUTE_NO_PATH);
}

static void
test_money(void **state)
{
	(void)state;
	static const struct {
		long long v;
		const char *fig, *words;
	} cases[] = {
		{0, "0", "Không đồng"},
		{15, "15", "Mười lăm đồng"},
		{21, "21", "Hai mươi mốt đồng"},
		{24, "24", "Hai mươi tư đồng"},
		{105, "105", "Một trăm linh năm đồng"},
		{2000, "2.000", "Hai nghìn đồng"},
		{8000, "8.000", "Tám nghìn đồng"},
		{1005, "1.005", "Một nghìn không trăm linh năm đồng"},
		{200000, "200.000", "Hai trăm nghìn đồng"},
		{1250000, "1.250.000", "Một triệu hai trăm năm mươi nghìn đồng"},
		{1000000001, "1.000.000.001", "Một tỷ không trăm linh một đồng"},
		{-8000, "-8.000", "Âm tám nghìn đồng"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char f[64], w[512];
		assert_true(money_figures(cases[i].v, f, sizeof f) > 0);
		assert_string_equal(f, cases[i].fig);
		assert_true(money_words(cases[i].v, w, sizeof w) > 0);
		assert_string_equal(w, cases[i].words);
	}
	char tiny[4];
	assert_int_equal(money_figures(1000000, tiny, sizeof tiny), -1);
	assert_int_equal(money_words(1000000, tiny, sizeof tiny), -1);
}

/* The fee line of a receipt: figures and words, or no fee in words. */
static void
test_fee_label(void **state)
{
	(void)state;
	char b[512];
	assert_true(money_fee_label(8000, NULL, b, sizeof b) > 0);
	assert_string_equal(b, "8.000 đồng (bằng chữ: Tám nghìn đồng)");
	assert_true(money_fee_label(8000, "Miễn lệ phí", b, sizeof b) > 0);   /* a fee paid is a fee */
	assert_string_equal(b, "8.000 đồng (bằng chữ: Tám nghìn đồng)");
	assert_true(money_fee_label(0, NULL, b, sizeof b) > 0);
	assert_string_equal(b, "Không thu phí");
	assert_true(money_fee_label(0, "", b, sizeof b) > 0);
	assert_string_equal(b, "Không thu phí");
	assert_true(money_fee_label(0, "Miễn lệ phí đăng ký giám hộ (Luật HT Đ11(1)(b))", b, sizeof b) > 0);
	assert_string_equal(b, "Miễn lệ phí đăng ký giám hộ (Luật HT Đ11(1)(b))");
	char tiny[8];
	assert_int_equal(money_fee_label(0, NULL, tiny, sizeof tiny), -1);
	assert_string_equal(tiny, "");
	assert_int_equal(money_fee_label(8000, NULL, tiny, sizeof tiny), -1);
	assert_string_equal(tiny, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_agency_code),
		cmocka_unit_test(test_router),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_fee_label),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
