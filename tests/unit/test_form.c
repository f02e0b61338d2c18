/* test_form.c — URL-encoded forms, query strings and cookies
 * (src/http/form.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "http/form.h"

#define PARSE(f, lit, max) form_parse_urlencoded(f, lit, sizeof(lit) - 1, max)

static void
test_basic(void **state)
{
	(void)state;
	struct form f = FORM_INIT;
	assert_int_equal(PARSE(&f, "a=1&b=hello+world&c=%41%42%2b&d=&e", 10), ERR_OK);
	assert_int_equal(f.n, 5);
	assert_string_equal(form_get(&f, "a"), "1");
	assert_string_equal(form_get(&f, "b"), "hello world");
	assert_string_equal(form_get(&f, "c"), "AB+");
	assert_string_equal(form_get(&f, "d"), "");
	assert_string_equal(form_get(&f, "e"), "");
	assert_int_equal(f.v[1].value_len, 11);
	assert_null(f.v[0].filename);
	assert_null(f.v[0].content_type);
	assert_null(form_get(&f, "zz"));
	assert_null(form_get(&f, "A"));   /* names are case-sensitive */
	form_free(&f);
	assert_int_equal(f.n, 0);
	assert_null(f.v);
}

static void
test_empty_and_separators(void **state)
{
	(void)state;
	struct form f = FORM_INIT;
	assert_int_equal(form_parse_urlencoded(&f, "", 0, 10), ERR_OK);
	assert_int_equal(f.n, 0);
	assert_int_equal(PARSE(&f, "&&a=1&&&b=2&", 10), ERR_OK);
	assert_int_equal(f.n, 2);
	/* '=' in a value stays; empty name is kept */
	assert_int_equal(PARSE(&f, "x=a=b&=v", 10), ERR_OK);
	assert_string_equal(form_get(&f, "x"), "a=b");
	assert_string_equal(form_get(&f, ""), "v");
	form_free(&f);
}

static void
test_repeated(void **state)
{
	(void)state;
	struct form f = FORM_INIT;
	assert_int_equal(PARSE(&f, "tag=a&tag=b&x=1&tag=c", 10), ERR_OK);
	assert_int_equal(form_count(&f, "tag"), 3);
	assert_int_equal(form_count(&f, "x"), 1);
	assert_int_equal(form_count(&f, "y"), 0);
	assert_string_equal(form_get(&f, "tag"), "a");
	form_free(&f);
}

static void
test_vietnamese_nfc(void **state)
{
	(void)state;
	struct form f = FORM_INIT;
	/* "Nguyễn" precomposed percent-encoded, decomposed percent-encoded,
	 * and raw UTF-8 in the query */
	assert_int_equal(PARSE(&f, "a=Nguy%E1%BB%85n&b=Nguye%CC%82%CC%83n&c=Nguyễn&"
	                           "t%C3%AAn=%C4%90%E1%BB%A9c", 10), ERR_OK);
	assert_string_equal(form_get(&f, "a"), "Nguyễn");
	assert_string_equal(form_get(&f, "b"), "Nguyễn");
	assert_int_equal(f.v[1].value_len, strlen("Nguyễn"));
	assert_string_equal(form_get(&f, "c"), "Nguyễn");
	assert_string_equal(form_get(&f, "tên"), "Đức");
	form_free(&f);
}

static void
test_bad_escapes(void **state)
{
	(void)state;
	struct form f = FORM_INIT;
	assert_int_equal(PARSE(&f, "a=%", 10), ERR_BAD_FORM);
	assert_int_equal(PARSE(&f, "a=%4", 10), ERR_BAD_FORM);
	assert_int_equal(PARSE(&f, "a=%G1", 10), ERR_BAD_FORM);
	assert_int_equal(PARSE(&f, "a=%1G", 10), ERR_BAD_FORM);
	assert_int_equal(PARSE(&f, "%zz=1", 10), ERR_BAD_FORM);
	/* "%4" at the very end of len must not read the byte after it */
	assert_int_equal(form_parse_urlencoded(&f, "a=%41", 4, 10), ERR_BAD_FORM);
	assert_int_equal(f.n, 0);
	form_free(&f);
}

static void
test_bad_utf8(void **state)
{
	(void)state;
	struct form f = FORM_INIT;
	assert_int_equal(PARSE(&f, "a=%FF", 10), ERR_BAD_UTF8);
	assert_int_equal(PARSE(&f, "a=%C3", 10), ERR_BAD_UTF8);
	assert_int_equal(PARSE(&f, "a=%ED%A0%80", 10), ERR_BAD_UTF8);   /* surrogate */
	assert_int_equal(PARSE(&f, "a=%C0%80", 10), ERR_BAD_UTF8);      /* overlong */
	assert_int_equal(PARSE(&f, "a=x%00y", 10), ERR_BAD_UTF8);       /* NUL */
	assert_int_equal(PARSE(&f, "%80=1", 10), ERR_BAD_UTF8);
	assert_int_equal(PARSE(&f, "a=\xff", 10), ERR_BAD_UTF8);
	/* a raw NUL byte inside the input */
	assert_int_equal(PARSE(&f, "a=1&b=x\0y", 10), ERR_BAD_UTF8);
	assert_int_equal(f.n, 0);
	form_free(&f);
}

static void
test_too_many(void **state)
{
	(void)state;
	struct form f = FORM_INIT;
	assert_int_equal(PARSE(&f, "a=1&b=2&c=3", 3), ERR_OK);
	form_free(&f);
	assert_int_equal(PARSE(&f, "a=1&b=2&c=3&d=4", 3), ERR_TOO_MANY_FIELDS);
	assert_int_equal(f.n, 0);
	assert_int_equal(PARSE(&f, "a=1", 0), ERR_TOO_MANY_FIELDS);
	/* empty pairs do not count */
	assert_int_equal(PARSE(&f, "&&&&a=1&&&&", 1), ERR_OK);
	form_free(&f);
}

/* Appending: the query then the body; an error leaves the earlier
 * fields untouched, and max_fields bounds the total. */
static void
test_append_and_rollback(void **state)
{
	(void)state;
	struct form f = FORM_INIT;
	assert_int_equal(PARSE(&f, "q=1&page=2", 10), ERR_OK);
	assert_int_equal(PARSE(&f, "x=1&y=%ZZ", 10), ERR_BAD_FORM);
	assert_int_equal(f.n, 2);
	assert_int_equal(PARSE(&f, "x=1&y=2&z=3", 4), ERR_TOO_MANY_FIELDS);
	assert_int_equal(f.n, 2);
	assert_int_equal(PARSE(&f, "x=1&y=2", 4), ERR_OK);
	assert_int_equal(f.n, 4);
	assert_string_equal(form_get(&f, "page"), "2");
	assert_string_equal(form_get(&f, "y"), "2");
	form_free(&f);
}

static void
test_many_fields_grow(void **state)
{
	(void)state;
	struct form f = FORM_INIT;
	char s[16000];
	size_t o = 0;
	for (int i = 0; i < 1000; i++)
		o += (size_t)snprintf(s + o, sizeof s - o, "%sk%d=%d", i ? "&" : "", i, i);
	assert_int_equal(form_parse_urlencoded(&f, s, o, 1000), ERR_OK);
	assert_int_equal(f.n, 1000);
	assert_string_equal(form_get(&f, "k999"), "999");
	form_free(&f);
}

static void
test_cookie(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(form_cookie("sid=abc123", "sid", out, sizeof out), 0);
	assert_string_equal(out, "abc123");
	assert_int_equal(form_cookie("a=1; sid=xyz; b=2", "sid", out, sizeof out), 0);
	assert_string_equal(out, "xyz");
	assert_int_equal(form_cookie("a=1;sid=xyz;b=2", "b", out, sizeof out), 0);
	assert_string_equal(out, "2");
	assert_int_equal(form_cookie("  a = 1 ;\tsid = q ", "sid", out, sizeof out), 0);
	assert_string_equal(out, "q");
	/* quoted value */
	assert_int_equal(form_cookie("sid=\"quoted\"", "sid", out, sizeof out), 0);
	assert_string_equal(out, "quoted");
	/* first match wins; names are exact (no prefix, no case folding) */
	assert_int_equal(form_cookie("sid=1; sid=2", "sid", out, sizeof out), 0);
	assert_string_equal(out, "1");
	assert_int_equal(form_cookie("xsid=1; SID=2", "sid", out, sizeof out), -1);
	assert_int_equal(form_cookie("sidx=1", "sid", out, sizeof out), -1);
	/* empty value */
	assert_int_equal(form_cookie("sid=; a=1", "sid", out, sizeof out), 0);
	assert_string_equal(out, "");
	/* absent, NULL, no '=' */
	assert_int_equal(form_cookie("a=1", "sid", out, sizeof out), -1);
	assert_int_equal(form_cookie("", "sid", out, sizeof out), -1);
	assert_int_equal(form_cookie(NULL, "sid", out, sizeof out), -1);
	assert_int_equal(form_cookie("sid", "sid", out, sizeof out), -1);
	assert_int_equal(form_cookie(";;;", "sid", out, sizeof out), -1);
	/* too long for out: refused, not truncated */
	assert_int_equal(form_cookie("sid=12345", "sid", out, 5), -1);
	assert_int_equal(form_cookie("sid=1234", "sid", out, 5), 0);
	assert_string_equal(out, "1234");
	assert_int_equal(form_cookie("sid=1", "sid", out, 0), -1);
	/* bytes outside cookie-octet */
	assert_int_equal(form_cookie("sid=a b", "sid", out, sizeof out), -1);
	assert_int_equal(form_cookie("sid=a\\b", "sid", out, sizeof out), -1);
	assert_int_equal(form_cookie("sid=a,b", "sid", out, sizeof out), -1);
	assert_int_equal(form_cookie("sid=\x01", "sid", out, sizeof out), -1);
	assert_int_equal(form_cookie("sid=\xc3\xa9", "sid", out, sizeof out), -1);
	assert_int_equal(form_cookie("sid=\"", "sid", out, sizeof out), -1);
	/* a bad unrelated cookie does not hide ours */
	assert_int_equal(form_cookie("x=\"bad value\"; sid=ok", "sid", out, sizeof out), 0);
	assert_string_equal(out, "ok");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_empty_and_separators),
		cmocka_unit_test(test_repeated),
		cmocka_unit_test(test_vietnamese_nfc),
		cmocka_unit_test(test_bad_escapes),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_append_and_rollback),
		cmocka_unit_test(test_many_fields_grow),
		cmocka_unit_test(test_cookie),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
