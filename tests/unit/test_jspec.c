/* test_jspec.c — JSON body parsing and spec reading (src/http/jspec.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/buf.h"
#include "core/jspec.h"

static json_t *
parse_ok(const char *s)
{
	enum err e = ERR_INTERNAL;
	char d[200];
	json_t *j = jspec_parse(s, strlen(s), &e, d, sizeof d);
	if (!j)
		fail_msg("parse failed: %s", d);
	assert_int_equal(e, ERR_OK);
	return j;
}

static void
expect_parse_error(const char *s, size_t len, enum err want, const char *want_prefix)
{
	enum err e = ERR_OK;
	char d[200];
	json_t *j = jspec_parse(s, len, &e, d, sizeof d);
	assert_null(j);
	assert_int_equal(e, want);
	if (want_prefix && strncmp(d, want_prefix, strlen(want_prefix)) != 0)
		fail_msg("detail \"%s\" does not start with \"%s\"", d, want_prefix);
}

#define BAD(lit, want, prefix) expect_parse_error(lit, sizeof(lit) - 1, want, prefix)

static void
test_parse(void **state)
{
	(void)state;
	json_t *j = parse_ok("{\"a\": 1, \"b\": [true, null, \"x\"]}");
	assert_true(json_is_object(j));
	json_decref(j);
	j = parse_ok("[]");
	json_decref(j);
	/* detail reports line and column in Vietnamese */
	BAD("{\n  \"a\": 1,\n  \"b\" 2\n}", ERR_BAD_JSON, "dòng 3, cột ");
	BAD("{\"a\": 1", ERR_BAD_JSON, "dòng 1, cột ");
	BAD("", ERR_BAD_JSON, NULL);
	BAD("{\"a\":1} x", ERR_BAD_JSON, NULL);
	BAD("{\"a\":1,\"a\":2}", ERR_BAD_JSON, NULL);     /* duplicate key */
	BAD("\"just a string\"", ERR_BAD_JSON, NULL);
	BAD("{\"a\":\"x\\u0000y\"}", ERR_BAD_JSON, NULL); /* escaped NUL */
	BAD("{\"a\":\"x\0y\"}", ERR_BAD_JSON, NULL);      /* raw NUL */
	BAD("{\"a\":\"\\ud800\"}", ERR_BAD_JSON, NULL);   /* lone surrogate */
	BAD("{\"a\":99999999999999999999999}", ERR_BAD_JSON, NULL);
	BAD("{\"a\":1.5e999}", ERR_BAD_JSON, NULL);
	/* invalid UTF-8 */
	BAD("{\"a\":\"\xff\"}", ERR_BAD_UTF8, "dòng 1");
	BAD("{\"a\":\"\xc3\"}", ERR_BAD_UTF8, NULL);
	BAD("{\"a\":\"\xed\xa0\x80\"}", ERR_BAD_UTF8, NULL);
	BAD("{\"a\":\"\xc0\x80\"}", ERR_BAD_UTF8, NULL);
	BAD("{\"\xff\":1}", ERR_BAD_UTF8, NULL);
	/* NULL arguments are tolerated */
	enum err e;
	assert_null(jspec_parse(NULL, 0, &e, NULL, 0));
	assert_int_equal(e, ERR_BAD_JSON);
	j = jspec_parse("{}", 2, NULL, NULL, 0);
	assert_non_null(j);
	json_decref(j);
	/* only len bytes are read */
	j = jspec_parse("{}garbage", 2, &e, NULL, 0);
	assert_non_null(j);
	json_decref(j);
}

static void
test_depth(void **state)
{
	(void)state;
	char s[200];
	/* 32 levels pass, 33 fail, brackets inside strings do not count */
	memset(s, '[', 32);
	memset(s + 32, ']', 32);
	s[64] = '\0';
	json_decref(parse_ok(s));
	memset(s, '[', 33);
	memset(s + 33, ']', 33);
	expect_parse_error(s, 66, ERR_BAD_JSON, "dòng 1, cột 33: lồng quá 32 tầng");
	json_decref(parse_ok("{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}"));
	/* a huge unbalanced input is refused cheaply, without recursion */
	size_t n = 1 << 20;
	char *big = malloc(n);
	memset(big, '[', n);
	expect_parse_error(big, n, ERR_BAD_JSON, NULL);
	free(big);
}

static void
test_read_basic(void **state)
{
	(void)state;
	json_t *root = parse_ok("{\"username\":\"admin\",\"password\":\"secret pw\","
	                        "\"days\":30,\"same_day\":true}");
	const char *user = NULL, *pass = NULL;
	json_int_t n = 5;
	int flag = 0;
	char d[200] = "junk";
	struct jspec spec[] = {
		JSPEC_STRING("username", &user, JSPEC_REQUIRED, 1, 64),
		JSPEC_STRING("password", &pass, JSPEC_REQUIRED, 1, 1024),
		JSPEC_INT("days", &n, JSPEC_OPTIONAL, 0, 3650),
		JSPEC_BOOL("same_day", &flag, JSPEC_OPTIONAL),
		JSPEC_END
	};
	assert_int_equal(jspec_read(root, spec, d, sizeof d), ERR_OK);
	assert_string_equal(user, "admin");
	assert_string_equal(pass, "secret pw");
	assert_int_equal(n, 30);
	assert_int_equal(flag, 1);
	assert_string_equal(d, "");
	json_decref(root);

	/* optional fields absent or null keep their defaults */
	root = parse_ok("{\"username\":\"a\",\"password\":\"b\",\"days\":null}");
	n = 5;
	flag = 0;
	assert_int_equal(jspec_read(root, spec, d, sizeof d), ERR_OK);
	assert_int_equal(n, 5);
	assert_int_equal(flag, 0);
	json_decref(root);
}

/* Parses json, reads it with spec, checks the result; returns the root
 * (outputs point into it) for the caller to json_decref. */
static json_t *
read_root(const char *json, const struct jspec *spec, enum err want,
          const char *want_detail)
{
	char d[300];
	json_t *root = parse_ok(json);
	enum err e = jspec_read(root, spec, d, sizeof d);
	if (e != want)
		fail_msg("%s: got %d want %d (%s)", json, e, want, d);
	if (want_detail)
		assert_string_equal(d, want_detail);
	return root;
}

static void
expect_read(const char *json, const struct jspec *spec, enum err want,
            const char *want_detail)
{
	json_decref(read_root(json, spec, want, want_detail));
}

static void
test_read_errors(void **state)
{
	(void)state;
	const char *user = NULL;
	json_int_t n = 0;
	int flag = 0;
	json_t *obj = NULL, *arr = NULL;
	struct jspec spec[] = {
		JSPEC_STRING("username", &user, JSPEC_REQUIRED, 2, 5),
		JSPEC_INT("days", &n, JSPEC_OPTIONAL, -3, 3650),
		JSPEC_BOOL("same_day", &flag, JSPEC_OPTIONAL),
		JSPEC_OBJECT("applicant", &obj, JSPEC_OPTIONAL),
		JSPEC_ARRAY("documents", &arr, JSPEC_OPTIONAL, 1, 2),
		JSPEC_END
	};
	expect_read("{}", spec, ERR_MISSING_FIELD, "Trường \"username\": bắt buộc");
	expect_read("{\"username\":null}", spec, ERR_MISSING_FIELD, "Trường \"username\": bắt buộc");
	expect_read("{\"username\":5}", spec, ERR_INVALID_FIELD, "Trường \"username\": phải là chuỗi ký tự");
	expect_read("{\"username\":\"a\"}", spec, ERR_INVALID_FIELD, "Trường \"username\": phải có ít nhất 2 ký tự");
	expect_read("{\"username\":\"abcdef\"}", spec, ERR_INVALID_FIELD, "Trường \"username\": dài quá 5 ký tự");
	/* lengths count characters, not bytes: 5 Vietnamese letters fit */
	expect_read("{\"username\":\"Đứcễữ\"}", spec, ERR_OK, NULL);
	expect_read("{\"username\":\"Đứcễữa\"}", spec, ERR_INVALID_FIELD, NULL);
	expect_read("{\"username\":\"ab\",\"days\":\"5\"}", spec, ERR_INVALID_FIELD, "Trường \"days\": phải là số nguyên");
	expect_read("{\"username\":\"ab\",\"days\":5.0}", spec, ERR_INVALID_FIELD, NULL);
	expect_read("{\"username\":\"ab\",\"days\":3651}", spec, ERR_INVALID_FIELD, "Trường \"days\": phải nằm trong khoảng từ -3 đến 3650");
	expect_read("{\"username\":\"ab\",\"days\":-4}", spec, ERR_INVALID_FIELD, NULL);
	expect_read("{\"username\":\"ab\",\"days\":-3}", spec, ERR_OK, NULL);
	assert_int_equal(n, -3);
	expect_read("{\"username\":\"ab\",\"same_day\":1}", spec, ERR_INVALID_FIELD, "Trường \"same_day\": phải là true hoặc false");
	expect_read("{\"username\":\"ab\",\"applicant\":[]}", spec, ERR_INVALID_FIELD, "Trường \"applicant\": phải là một đối tượng JSON");
	expect_read("{\"username\":\"ab\",\"documents\":{}}", spec, ERR_INVALID_FIELD, "Trường \"documents\": phải là một mảng JSON");
	expect_read("{\"username\":\"ab\",\"documents\":[]}", spec, ERR_INVALID_FIELD, "Trường \"documents\": phải có từ 1 đến 2 phần tử");
	expect_read("{\"username\":\"ab\",\"documents\":[1,2,3]}", spec, ERR_INVALID_FIELD, NULL);
	json_t *root = read_root("{\"username\":\"ab\",\"documents\":[1],\"applicant\":{\"x\":1}}", spec, ERR_OK, NULL);
	assert_int_equal(json_array_size(arr), 1);
	assert_true(json_is_object(obj));
	json_decref(root);
	/* unknown keys, reported before anything else */
	expect_read("{\"usrname\":\"ab\"}", spec, ERR_INVALID_FIELD, "Trường \"usrname\": không có trong dữ liệu được chấp nhận");
	expect_read("{\"username\":\"ab\",\"a\\nb\\\"\":1}", spec, ERR_INVALID_FIELD, "Trường \"a?b\"\": không có trong dữ liệu được chấp nhận");
	/* the root must be an object */
	expect_read("[1]", spec, ERR_BAD_JSON, NULL);
}

static void
test_allow_extra_and_enum(void **state)
{
	(void)state;
	static const char *const channels[] = {"counter", "online", "post", NULL};
	int ch = -1;
	struct jspec spec[] = {
		JSPEC_ENUM("channel", &ch, JSPEC_REQUIRED, channels),
		JSPEC_END_ALLOW_EXTRA
	};
	expect_read("{\"channel\":\"post\",\"other\":[1,2]}", spec, ERR_OK, NULL);
	assert_int_equal(ch, 2);   /* an int: safe after the root is gone */
	expect_read("{\"channel\":\"fax\"}", spec, ERR_INVALID_FIELD,
	            "Trường \"channel\": phải là một trong các giá trị: counter, online, post");
	expect_read("{\"channel\":1}", spec, ERR_INVALID_FIELD, NULL);
	expect_read("{\"other\":1}", spec, ERR_MISSING_FIELD, NULL);
}

/* Decomposed text is replaced in the tree by NFC; the pointer returned
 * points at the NFC text and lives with the root. */
static void
test_nfc_in_place(void **state)
{
	(void)state;
	const char *name = NULL;
	struct jspec spec[] = {
		JSPEC_STRING("name", &name, JSPEC_REQUIRED, 1, 6),
		JSPEC_END
	};
	char d[200];
	json_t *root = parse_ok("{\"name\":\"Nguye\\u0302\\u0303n\"}");
	assert_int_equal(jspec_read(root, spec, d, sizeof d), ERR_OK);
	assert_string_equal(name, "Nguyễn");
	assert_ptr_equal(name, json_string_value(json_object_get(root, "name")));
	json_decref(root);
	/* raw decomposed UTF-8 too: 8 code points before NFC, 6 after */
	root = parse_ok("{\"name\":\"Nguye\xcc\x82\xcc\x83n\"}");
	assert_int_equal(jspec_read(root, spec, d, sizeof d), ERR_OK);
	assert_string_equal(name, "Nguyễn");
	json_decref(root);
	/* a string with NUL built by code (jansson refuses it in input) */
	root = json_pack("{s:s%}", "name", "a\0b", (size_t)3);
	assert_int_equal(jspec_read(root, spec, d, sizeof d), ERR_BAD_UTF8);
	assert_string_equal(d, "Trường \"name\": chứa ký tự không hợp lệ");
	json_decref(root);
}

static void
test_nested(void **state)
{
	(void)state;
	const char *code = NULL, *aname = NULL, *phone = NULL;
	json_t *docs = NULL;
	struct jspec applicant[] = {
		JSPEC_STRING("name", &aname, JSPEC_REQUIRED, 1, 100),
		JSPEC_STRING("phone", &phone, JSPEC_OPTIONAL, 0, 20),
		JSPEC_END
	};
	struct jspec spec[] = {
		JSPEC_STRING("procedure_code", &code, JSPEC_REQUIRED, 1, 32),
		JSPEC_NESTED("applicant", applicant, JSPEC_REQUIRED),
		JSPEC_ARRAY("documents", &docs, JSPEC_OPTIONAL, 0, 10),
		JSPEC_END
	};
	json_t *r0 = read_root("{\"procedure_code\":\"1.001193\",\"applicant\":{\"name\":\"Lê Thị B\"}}",
	                       spec, ERR_OK, NULL);
	assert_string_equal(aname, "Lê Thị B");
	assert_string_equal(code, "1.001193");
	assert_null(phone);
	json_decref(r0);
	expect_read("{\"procedure_code\":\"1\",\"applicant\":{}}", spec,
	            ERR_MISSING_FIELD, "Trường \"applicant.name\": bắt buộc");
	expect_read("{\"procedure_code\":\"1\",\"applicant\":{\"name\":\"x\",\"zip\":1}}", spec,
	            ERR_INVALID_FIELD, "Trường \"applicant.zip\": không có trong dữ liệu được chấp nhận");
	expect_read("{\"procedure_code\":\"1\",\"applicant\":\"x\"}", spec,
	            ERR_INVALID_FIELD, "Trường \"applicant\": phải là một đối tượng JSON");
	expect_read("{\"procedure_code\":\"1\"}", spec,
	            ERR_MISSING_FIELD, "Trường \"applicant\": bắt buộc");

	/* array elements read one by one with a path */
	const char *dname = NULL;
	json_int_t count = 1;
	struct jspec doc[] = {
		JSPEC_STRING("name", &dname, JSPEC_REQUIRED, 1, 200),
		JSPEC_INT("count", &count, JSPEC_OPTIONAL, 1, 100),
		JSPEC_END
	};
	json_t *root = parse_ok("{\"procedure_code\":\"1\",\"applicant\":{\"name\":\"x\"},"
	                        "\"documents\":[{\"name\":\"Tờ khai\"},{\"name\":\"CCCD\",\"count\":0}]}");
	char d[200];
	assert_int_equal(jspec_read(root, spec, d, sizeof d), ERR_OK);
	size_t i;
	json_t *el;
	enum err e = ERR_OK;
	json_array_foreach(docs, i, el) {
		char path[32];
		snprintf(path, sizeof path, "documents[%zu]", i);
		if ((e = jspec_read_path(el, doc, path, d, sizeof d)) != ERR_OK)
			break;
	}
	assert_int_equal(e, ERR_INVALID_FIELD);
	assert_string_equal(d, "Trường \"documents[1].count\": phải nằm trong khoảng từ 1 đến 100");
	assert_int_equal(jspec_read_path(json_array_get(docs, 0), doc, "documents[0]", d, sizeof d), ERR_OK);
	json_t *str = json_string("x");
	assert_int_equal(jspec_read_path(str, doc, "documents[0]", d, sizeof d), ERR_INVALID_FIELD);
	assert_string_equal(d, "Trường \"documents[0]\": phải là một đối tượng JSON");
	json_decref(str);
	json_decref(root);
}

/* A short detail buffer is cut at a character boundary, never inside
 * "ờ" (3 bytes), and always NUL-terminated. */
static void
test_detail_truncation(void **state)
{
	(void)state;
	const char *s = NULL;
	struct jspec spec[] = { JSPEC_STRING("x", &s, JSPEC_REQUIRED, 1, 2), JSPEC_END };
	json_t *root = parse_ok("{}");
	char d[16];
	for (size_t len = 1; len <= sizeof d; len++) {
		memset(d, 'Z', sizeof d);
		assert_int_equal(jspec_read(root, spec, d, len), ERR_MISSING_FIELD);
		size_t n = strlen(d);
		assert_true(n < len);
		assert_memory_equal(d, "Trường \"x\": bắt buộc", n);
		/* no cut character: the prefix is valid UTF-8 */
		assert_true(n == 0 || ((unsigned char)"Trường \"x\": bắt buộc"[n] & 0xC0) != 0x80);
	}
	assert_int_equal(jspec_read(root, spec, NULL, 0), ERR_MISSING_FIELD);
	json_decref(root);
	/* a long unknown key is quoted short */
	struct buf b = BUF_INIT;
	buf_puts(&b, "{\"");
	for (int i = 0; i < 300; i++)
		buf_puts(&b, "ờ");
	buf_puts(&b, "\":1}");
	root = parse_ok(b.data);
	char big[400];
	assert_int_equal(jspec_read(root, spec, big, sizeof big), ERR_INVALID_FIELD);
	assert_true(strlen(big) < 200);   /* bytes: 64 of key + the sentence */
	assert_non_null(strstr(big, "…"));
	json_decref(root);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_read_basic),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_allow_extra_and_enum),
		cmocka_unit_test(test_nfc_in_place),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_detail_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
