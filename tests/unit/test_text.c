/* test_text.c — UTF-8 validation, NFC, folding (src/core/text.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/buf.h"
#include "core/text.h"

#define VALID(lit) text_utf8_valid(lit, sizeof(lit) - 1)

static void
test_valid_accepts(void **state)
{
	(void)state;
	assert_true(text_utf8_valid("", 0));
	assert_true(text_utf8_valid(NULL, 0));
	assert_true(VALID("hello"));
	assert_true(VALID("Nguyễn Văn Đức"));
	assert_true(VALID("\xc2\x80"));               /* U+0080, smallest 2-byte */
	assert_true(VALID("\xe0\xa0\x80"));           /* U+0800 */
	assert_true(VALID("\xed\x9f\xbf"));           /* U+D7FF, below surrogates */
	assert_true(VALID("\xee\x80\x80"));           /* U+E000, above surrogates */
	assert_true(VALID("\xef\xbf\xbf"));           /* U+FFFF (noncharacter, still UTF-8) */
	assert_true(VALID("\xf0\x90\x80\x80"));       /* U+10000 */
	assert_true(VALID("\xf4\x8f\xbf\xbf"));       /* U+10FFFF */
	assert_true(VALID("😀"));
}

static void
test_valid_rejects(void **state)
{
	(void)state;
	assert_false(VALID("a\0b"));                  /* NUL is not text */
	assert_false(VALID("\0"));
	assert_false(VALID("\xc0\x80"));              /* overlong NUL */
	assert_false(VALID("\xc1\xbf"));              /* overlong */
	assert_false(VALID("\xe0\x80\x80"));          /* overlong 3-byte */
	assert_false(VALID("\xe0\x9f\xbf"));
	assert_false(VALID("\xf0\x80\x80\x80"));      /* overlong 4-byte */
	assert_false(VALID("\xf0\x8f\xbf\xbf"));
	assert_false(VALID("\xed\xa0\x80"));          /* U+D800 */
	assert_false(VALID("\xed\xbf\xbf"));          /* U+DFFF */
	assert_false(VALID("\xf4\x90\x80\x80"));      /* U+110000 */
	assert_false(VALID("\xf5\x80\x80\x80"));
	assert_false(VALID("\xff"));
	assert_false(VALID("\xfe"));
	assert_false(VALID("\x80"));                  /* lone continuation */
	assert_false(VALID("a\xbf"));
	assert_false(VALID("\xc3"));                  /* truncated */
	assert_false(VALID("\xe1\xba"));
	assert_false(VALID("\xf0\x9f\x98"));
	assert_false(VALID("\xc3\x28"));              /* bad continuation */
	assert_false(VALID("\xe1\xba\x28"));
	/* Never reads past len: a valid sequence cut by len is invalid. */
	assert_false(text_utf8_valid("\xc3\xa9", 1));
	assert_true(text_utf8_valid("a\xc3\xa9", 1));
}

static void
test_nfc(void **state)
{
	(void)state;
	enum err e = ERR_INTERNAL;
	/* "Nguyễn" decomposed: e + circumflex + tilde */
	const char dec[] = "Nguye\xcc\x82\xcc\x83n";
	char *p = text_nfc(dec, sizeof dec - 1, &e);
	assert_int_equal(e, ERR_OK);
	assert_string_equal(p, "Nguyễn");
	free(p);
	/* marks in the other canonical order compose the same */
	const char dec2[] = "Nguye\xcc\x83\xcc\x82n";
	p = text_nfc(dec2, sizeof dec2 - 1, &e);
	assert_non_null(p);
	free(p);
	/* already NFC, ASCII, empty */
	p = text_nfc("Đăng ký", strlen("Đăng ký"), &e);
	assert_string_equal(p, "Đăng ký");
	free(p);
	p = text_nfc("abc", 3, NULL);
	assert_string_equal(p, "abc");
	free(p);
	p = text_nfc("", 0, &e);
	assert_int_equal(e, ERR_OK);
	assert_string_equal(p, "");
	free(p);
	/* only len bytes are read */
	p = text_nfc("abcdef", 3, &e);
	assert_string_equal(p, "abc");
	free(p);
}

static void
test_nfc_rejects(void **state)
{
	(void)state;
	enum err e = ERR_OK;
	assert_null(text_nfc("a\0b", 3, &e));
	assert_int_equal(e, ERR_BAD_UTF8);
	e = ERR_OK;
	assert_null(text_nfc("\xed\xa0\x80", 3, &e));
	assert_int_equal(e, ERR_BAD_UTF8);
	e = ERR_OK;
	assert_null(text_nfc("\xc3", 1, &e));
	assert_int_equal(e, ERR_BAD_UTF8);
}

/* A run of marks is allowed up to TEXT_MAX_MARKS, refused beyond, also
 * when the marks hide inside precomposed characters (U+0F73 = 2 marks). */
static void
test_nfc_mark_runs(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	enum err e;
	buf_putc(&b, 'a');
	for (int i = 0; i < TEXT_MAX_MARKS; i++)
		buf_puts(&b, i % 2 ? "\xcc\x81" : "\xcc\xa3");   /* U+0301 / U+0323 */
	char *p = text_nfc(b.data, b.len, &e);
	assert_int_equal(e, ERR_OK);
	free(p);
	buf_puts(&b, "\xcc\x81");
	assert_null(text_nfc(b.data, b.len, &e));
	assert_int_equal(e, ERR_BAD_UTF8);
	assert_null(text_fold(b.data));
	/* a starter resets the run */
	buf_puts(&b, "b");
	buf_reset(&b);
	for (int r = 0; r < 100; r++) {
		buf_putc(&b, 'x');
		for (int i = 0; i < 20; i++)
			buf_puts(&b, "\xcc\x81");
	}
	p = text_nfc(b.data, b.len, &e);
	assert_int_equal(e, ERR_OK);
	free(p);
	buf_reset(&b);
	for (int i = 0; i < 16; i++)
		buf_puts(&b, "\xe0\xbd\xb3");   /* U+0F73 */
	assert_null(text_nfc(b.data, b.len, &e));
	assert_int_equal(e, ERR_BAD_UTF8);
	/* a mark inside a Latin Extended letter counts too (found by
	 * fuzz_text: U+0201 is a + U+030F); NFC must then stay idempotent */
	buf_reset(&b);
	buf_puts(&b, "\xc8\x81");   /* U+0201 */
	for (int i = 0; i < TEXT_MAX_MARKS; i++)
		buf_puts(&b, "\xcc\xa3");
	assert_null(text_nfc(b.data, b.len, &e));
	buf_reset(&b);
	buf_puts(&b, "\xc8\x81");
	for (int i = 0; i < TEXT_MAX_MARKS - 1; i++)
		buf_puts(&b, "\xcc\xa3");
	p = text_nfc(b.data, b.len, &e);
	assert_non_null(p);
	char *q = text_nfc(p, strlen(p), &e);
	assert_non_null(q);
	assert_string_equal(p, q);
	free(p);
	free(q);
	buf_free(&b);
}

/* Large input stays fast (the quadratic mark sort is never reached). */
static void
test_nfc_large(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	enum err e;
	for (int i = 0; i < 100000; i++)
		buf_puts(&b, "Nguye\xcc\x82\xcc\x83n ");
	char *p = text_nfc(b.data, b.len, &e);
	assert_int_equal(e, ERR_OK);
	assert_int_equal(strlen(p), 100000 * strlen("Nguyễn "));
	free(p);
	buf_free(&b);
}

static void
expect_fold(const char *in, const char *want)
{
	char *p = text_fold(in);
	assert_non_null(p);
	assert_string_equal(p, want);
	free(p);
}

static void
test_fold(void **state)
{
	(void)state;
	expect_fold("Đăng Ký  KHAI sinh", "dang ky khai sinh");
	/* decomposed input folds the same */
	expect_fold("D\xcc\x9b", "d");    /* D + horn (odd, still stripped) */
	expect_fold("\xc4\x90" "a\xcc\x86" "ng Ky\xcc\x81" "  KHAI sinh", "dang ky khai sinh");
	expect_fold("  \t Nguyễn\n\r Văn   Đức \t", "nguyen van duc");
	expect_fold("", "");
	expect_fold("   ", "");
	expect_fold("àáảãạăằắẳẵặâầấẩẫậ", "aaaaaaaaaaaaaaaaa");
	expect_fold("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", "aaaaaaaaaaaaaaaaa");
	expect_fold("èéẻẽẹêềếểễệ ÈÉẺẼẸÊỀẾỂỄỆ", "eeeeeeeeeee eeeeeeeeeee");
	expect_fold("ìíỉĩị ÌÍỈĨỊ", "iiiii iiiii");
	expect_fold("òóỏõọôồốổỗộơờớởỡợ", "ooooooooooooooooo");
	expect_fold("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", "ooooooooooooooooo");
	expect_fold("ùúủũụưừứửữự ÙÚỦŨỤƯỪỨỬỮỰ", "uuuuuuuuuuu uuuuuuuuuuu");
	expect_fold("ỳýỷỹỵ ỲÝỶỸỴ đĐ", "yyyyy yyyyy dd");
	expect_fold("Ủy ban nhân dân xã Đông Hòa", "uy ban nhan dan xa dong hoa");
	/* full-width, NBSP, soft hyphen, ideographic space */
	expect_fold("\xef\xbc\xa1\xef\xbc\xa2" "C\xc2\xa0" "x\xc2\xad" "y\xe3\x80\x80" "z", "abc xy z");
	/* case folding beyond ASCII */
	expect_fold("STRASSE Straße", "strasse strasse");
	assert_null(text_fold("\xff"));
	assert_null(text_fold(NULL));
}

static void
test_length_prefix_trim(void **state)
{
	(void)state;
	const char *s = "Đức";
	assert_int_equal(text_length(s, strlen(s)), 3);
	assert_int_equal(text_length("", 0), 0);
	assert_int_equal(text_length("😀a", strlen("😀a")), 2);
	/* "Đ" is 2 bytes, "ứ" 3 */
	assert_int_equal(text_utf8_prefix(s, strlen(s), 100), strlen(s));
	assert_int_equal(text_utf8_prefix(s, strlen(s), 1), 0);
	assert_int_equal(text_utf8_prefix(s, strlen(s), 2), 2);
	assert_int_equal(text_utf8_prefix(s, strlen(s), 3), 2);
	assert_int_equal(text_utf8_prefix(s, strlen(s), 4), 2);
	assert_int_equal(text_utf8_prefix(s, strlen(s), 5), 5);
	size_t n;
	const char *t = text_trim(" \t\xc2\xa0 Hà Nội \xe3\x80\x80\r\n", strlen(" \t\xc2\xa0 Hà Nội \xe3\x80\x80\r\n"), &n);
	assert_int_equal(n, strlen("Hà Nội"));
	assert_memory_equal(t, "Hà Nội", n);
	t = text_trim("   ", 3, &n);
	assert_int_equal(n, 0);
	t = text_trim("", 0, &n);
	assert_int_equal(n, 0);
	t = text_trim("x", 1, &n);
	assert_int_equal(n, 1);
}

static void
test_quick_match(void **state)
{
	(void)state;
	const char *ks = "thu tuc dang ky khai sinh";
	assert_int_equal(text_quick_match(ks, "khai sinh"), 3);
	assert_int_equal(text_quick_match(ks, "khai"), 3);
	assert_int_equal(text_quick_match(ks, "dang k sinh"), 2);
	assert_int_equal(text_quick_match(ks, "ks"), 1);
	assert_int_equal(text_quick_match(ks, "dkks"), 1);
	assert_int_equal(text_quick_match(ks, "kt"), 0);
	assert_int_equal(text_quick_match(ks, "k"), 3);          /* a word starts with k */
	assert_int_equal(text_quick_match(ks, "x"), 0);
	assert_int_equal(text_quick_match(ks, ""), 0);
	assert_int_equal(text_quick_match(ks, "hai sinh"), 0);    /* not at a word start */
	assert_int_equal(text_quick_match("chung thuc ban sao tu ban chinh", "chung thuc"), 3);
	assert_int_equal(text_quick_match("chung thuc ban sao tu ban chinh", "ct"), 1);
	assert_int_equal(text_quick_match("", "ks"), 0);
}

/* The words of a folded name for the name keys: punctuation runs become
 * one space, none at the ends, letters beyond ASCII kept. */
static void
test_words(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"nguyen van an", "nguyen van an"},
		{"le <script>alert(1)</script> \"duc\" & <b>anh</b>", "le script alert 1 script duc b anh b"},
		{"  --o'neil--  ", "o neil"},
		{"", ""},
		{"...", ""},
		{"tr\xc6\xb0\xe1\xbb\x9dng 2", "tr\xc6\xb0\xe1\xbb\x9dng 2"},
	};
	char out[128];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		text_words(cases[i][0], out);
		assert_string_equal(out, cases[i][1]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quick_match),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_valid_accepts),
		cmocka_unit_test(test_valid_rejects),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_nfc_rejects),
		cmocka_unit_test(test_nfc_mark_runs),
		cmocka_unit_test(test_nfc_large),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_length_prefix_trim),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
