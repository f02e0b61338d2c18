/* test_ident.c — personal ID, phone numbers, dossier codes (src/core/ident.c).
 * Run from the repository root (reads tests/unit/data/province-codes.txt,
 * and ../shared/data/province-codes.txt when it is there). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/ident.h"

/* ---- personal ID ---------------------------------------------------------- */

/* Compares the embedded table with one copy of province-codes.txt: same
 * codes, same order, exactly 3 digits a line.  Returns rows compared, or
 * -1 when the file is absent. */
static int
compare_province_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	const int *codes;
	size_t n = ident_province_codes(&codes);
	char line[64];
	size_t i = 0;
	while (fgets(line, sizeof line, f)) {
		size_t len = strcspn(line, "\r\n");
		line[len] = '\0';
		assert_int_equal(len, 3);
		for (size_t k = 0; k < 3; k++)
			assert_true(line[k] >= '0' && line[k] <= '9');
		assert_true(i < n);
		assert_int_equal(atoi(line), codes[i]);
		i++;
	}
	fclose(f);
	assert_int_equal(i, n);
	return (int)i;
}

static void
test_province_table_matches_file(void **state)
{
	(void)state;
	const int *codes;
	size_t n = ident_province_codes(&codes);
	assert_int_equal(n, 63);
	for (size_t i = 1; i < n; i++)
		assert_true(codes[i - 1] < codes[i]);   /* sorted, no duplicate */
	assert_int_equal(compare_province_file("tests/unit/data/province-codes.txt"), 63);
	/* the source of truth, when the shared folder is beside the repo */
	int r = compare_province_file("../shared/data/province-codes.txt");
	assert_true(r == -1 || r == 63);
	/* every code of the table is accepted, every other is refused */
	char id[32];
	for (int p = 0; p < 1000; p++) {
		snprintf(id, sizeof id, "%03d085012345", p);
		int known = 0;
		for (size_t i = 0; i < n; i++)
			known |= codes[i] == p;
		assert_int_equal(ident_pid_province(id), known ? p : -1);
		assert_int_equal(ident_pid_check(id, 1985, 1, NULL, 0),
		    known ? IDENT_OK : IDENT_PID_PROVINCE);
	}
}

static void
test_pid_valid_examples(void **state)
{
	(void)state;
	char why[256];
	/* Hà Nội, male, 1985 */
	assert_int_equal(ident_pid_check("001085012345", 1985, 1, why, sizeof why), IDENT_OK);
	assert_string_equal(why, "");
	/* TP.HCM, female, 2003 */
	assert_int_equal(ident_pid_check("079303004567", 2003, 2, why, sizeof why), IDENT_OK);
	/* Cần Thơ female 1990; Đà Nẵng male 2010; Hải Phòng female 1999 */
	assert_int_equal(ident_pid_check("092190123456", 1990, 2, why, sizeof why), IDENT_OK);
	assert_int_equal(ident_pid_check("048210000001", 2010, 1, why, sizeof why), IDENT_OK);
	assert_int_equal(ident_pid_check("031199999999", 1999, 2, why, sizeof why), IDENT_OK);
	/* unknown year and sex: only the shape and province */
	assert_int_equal(ident_pid_check("001085012345", 0, 0, why, sizeof why), IDENT_OK);
	assert_int_equal(ident_pid_check("096999000000", 0, 0, why, sizeof why), IDENT_OK);
	/* year known, sex unknown; sex known, year unknown */
	assert_int_equal(ident_pid_check("001085012345", 1985, 0, why, sizeof why), IDENT_OK);
	assert_int_equal(ident_pid_check("001085012345", 0, 1, why, sizeof why), IDENT_OK);
	assert_int_equal(ident_pid_check("001185012345", 0, 1, why, sizeof why), IDENT_PID_CENTURY_SEX);
	/* why may be absent */
	assert_int_equal(ident_pid_check("001085012345", 1985, 1, NULL, 0), IDENT_OK);
	assert_int_equal(ident_pid_check("001085012345", 1985, 1, why, 0), IDENT_OK);
}

static void
test_pid_format(void **state)
{
	(void)state;
	char why[256];
	static const char *bad[] = {
		"", "0", "00108501234", "0010850123456", "00108501234 ",
		" 001085012345", "001 085 012 345", "+01085012345", "-01085012345",
		"00108501234a", "A01085012345", "001085O12345", "0010850123.4",
		"001085012345\n", "00108501234\t", "0010850１2345",  /* full-width 1 */
		"001085012345001085012345",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(ident_pid_check(bad[i], 0, 0, why, sizeof why), IDENT_PID_FORMAT);
		assert_true(why[0] != '\0');
		assert_int_equal(ident_pid_province(bad[i]), -1);
		assert_int_equal(ident_pid_birth_year(bad[i]), -1);
		assert_int_equal(ident_pid_sex(bad[i]), 0);
	}
	/* an embedded NUL ends the string: 11 digits */
	assert_int_equal(ident_pid_check("00108501234\0" "5", 0, 0, why, sizeof why), IDENT_PID_FORMAT);
	assert_string_equal(why, "Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập 11 chữ số)");
	assert_int_equal(ident_pid_check("0010850123456", 0, 0, why, sizeof why), IDENT_PID_FORMAT);
	assert_string_equal(why, "Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập 13 chữ số)");
	assert_int_equal(ident_pid_check("", 0, 0, why, sizeof why), IDENT_PID_FORMAT);
	assert_string_equal(why, "Chưa nhập số định danh cá nhân");
	/* position by character, not byte: "đ" is one character */
	assert_int_equal(ident_pid_check("0đ1085012345", 0, 0, why, sizeof why), IDENT_PID_FORMAT);
	assert_string_equal(why, "Số định danh cá nhân chỉ gồm chữ số: ký tự thứ 2 không phải chữ số");
	assert_int_equal(ident_pid_check("00108501234x", 0, 0, why, sizeof why), IDENT_PID_FORMAT);
	assert_string_equal(why, "Số định danh cá nhân chỉ gồm chữ số: ký tự thứ 12 không phải chữ số");
	/* caller errors */
	assert_int_equal(ident_pid_check(NULL, 0, 0, why, sizeof why), IDENT_ARG);
	assert_int_equal(ident_pid_check("001085012345", -1, 0, why, sizeof why), IDENT_ARG);
	assert_int_equal(ident_pid_check("001085012345", 0, 3, why, sizeof why), IDENT_ARG);
	assert_int_equal(ident_pid_check("001085012345", 0, -1, why, sizeof why), IDENT_ARG);
	assert_int_equal(ident_pid_province(NULL), -1);
}

static void
test_pid_province(void **state)
{
	(void)state;
	char why[256];
	assert_int_equal(ident_pid_check("065085012345", 1985, 1, why, sizeof why), IDENT_PID_PROVINCE);
	assert_string_equal(why, "Mã tỉnh 065 không tồn tại");
	assert_int_equal(ident_pid_check("000085012345", 0, 0, why, sizeof why), IDENT_PID_PROVINCE);
	assert_string_equal(why, "Mã tỉnh 000 không tồn tại");
	assert_int_equal(ident_pid_check("097085012345", 0, 0, why, sizeof why), IDENT_PID_PROVINCE);
	assert_int_equal(ident_pid_check("999085012345", 0, 0, why, sizeof why), IDENT_PID_PROVINCE);
	assert_int_equal(ident_pid_check("003085012345", 0, 0, why, sizeof why), IDENT_PID_PROVINCE);
	/* the province is checked before the century */
	assert_int_equal(ident_pid_check("065985012345", 1985, 2, why, sizeof why), IDENT_PID_PROVINCE);
	assert_int_equal(ident_pid_province("001085012345"), 1);
	assert_int_equal(ident_pid_province("079303004567"), 79);
	assert_int_equal(ident_pid_province("096000000000"), 96);
	assert_int_equal(ident_pid_province("065085012345"), -1);
}

/* Every digit 4 against a year in each century and each sex. */
static void
test_pid_century_sex_table(void **state)
{
	(void)state;
	char id[32], why[256];
	for (int d = 0; d <= 9; d++) {
		int c0 = 1900 + (d / 2) * 100;
		int dsex = d % 2 == 0 ? 1 : 2;
		snprintf(id, sizeof id, "001%d85012345", d);
		assert_int_equal(ident_pid_birth_year(id), c0 + 85);
		assert_int_equal(ident_pid_sex(id), dsex);
		/* format-only check accepts every digit 4 (4–9 are NV) */
		assert_int_equal(ident_pid_check(id, 0, 0, why, sizeof why), IDENT_OK);
		for (int c = 1800; c <= 2500; c += 100) {
			int year = c + 85;
			int want = (c == c0) ? IDENT_OK : IDENT_PID_CENTURY_SEX;
			assert_int_equal(ident_pid_check(id, year, 0, why, sizeof why), want);
			for (int sex = 1; sex <= 2; sex++) {
				int w = want != IDENT_OK ? want
				    : sex == dsex ? IDENT_OK : IDENT_PID_CENTURY_SEX;
				assert_int_equal(ident_pid_check(id, year, sex, why, sizeof why), w);
				assert_int_equal(ident_pid_check(id, 0, sex, why, sizeof why),
				    sex == dsex ? IDENT_OK : IDENT_PID_CENTURY_SEX);
			}
		}
	}
	/* century boundaries */
	assert_int_equal(ident_pid_check("001000012345", 1900, 1, why, sizeof why), IDENT_OK);
	assert_int_equal(ident_pid_check("001099012345", 1999, 1, why, sizeof why), IDENT_OK);
	assert_int_equal(ident_pid_check("001200012345", 2000, 1, why, sizeof why), IDENT_OK);
	assert_int_equal(ident_pid_check("001000012345", 2000, 1, why, sizeof why), IDENT_PID_CENTURY_SEX);
	assert_int_equal(ident_pid_check("001299012345", 1999, 1, why, sizeof why), IDENT_PID_CENTURY_SEX);
	assert_int_equal(ident_pid_check("001399012345", 2099, 2, why, sizeof why), IDENT_OK);
	assert_int_equal(ident_pid_check("001400012345", 2100, 1, why, sizeof why), IDENT_OK);
	assert_int_equal(ident_pid_check("001300012345", 2100, 2, why, sizeof why), IDENT_PID_CENTURY_SEX);
	/* a year before 1900 or after 2399 never agrees */
	assert_int_equal(ident_pid_check("001099012345", 1899, 1, why, sizeof why), IDENT_PID_CENTURY_SEX);
	assert_int_equal(ident_pid_check("001900012345", 2400, 1, why, sizeof why), IDENT_PID_CENTURY_SEX);
	assert_int_equal(ident_pid_check("001000012345", 1, 1, why, sizeof why), IDENT_PID_CENTURY_SEX);
}

static void
test_pid_messages(void **state)
{
	(void)state;
	char why[256];
	assert_int_equal(ident_pid_check("001285012345", 1985, 1, why, sizeof why), IDENT_PID_CENTURY_SEX);
	assert_string_equal(why, "Chữ số thứ 4 (2: nam, sinh 2000–2099) không khớp năm sinh 1985");
	assert_int_equal(ident_pid_check("079103004567", 2003, 2, why, sizeof why), IDENT_PID_CENTURY_SEX);
	assert_string_equal(why, "Chữ số thứ 4 (1: nữ, sinh 1900–1999) không khớp năm sinh 2003");
	assert_int_equal(ident_pid_check("079303004567", 2003, 1, why, sizeof why), IDENT_PID_CENTURY_SEX);
	assert_string_equal(why, "Chữ số thứ 4 (3: nữ, sinh 2000–2099) không khớp giới tính nam");
	assert_int_equal(ident_pid_check("001085012345", 1986, 1, why, sizeof why), IDENT_PID_YEAR);
	assert_string_equal(why, "Chữ số thứ 5–6 (85) không khớp năm sinh 1986");
	assert_int_equal(ident_pid_check("001205012345", 2050, 1, why, sizeof why), IDENT_PID_YEAR);
	assert_string_equal(why, "Chữ số thứ 5–6 (05) không khớp năm sinh 2050");
	/* a short buffer is cut at a character boundary, still NUL-ended */
	char small[15];   /* "Chữ số th" is 13 bytes; "ứ" (3 bytes) would end at 16 */
	memset(small, 'Z', sizeof small);
	assert_int_equal(ident_pid_check("001285012345", 1985, 1, small, sizeof small), IDENT_PID_CENTURY_SEX);
	assert_true(strlen(small) < sizeof small);
	assert_string_equal(small, "Chữ số th");
	char one[1] = {'Z'};
	assert_int_equal(ident_pid_check("001285012345", 1985, 1, one, 1), IDENT_PID_CENTURY_SEX);
	assert_int_equal(one[0], '\0');
	/* the failure is reported in digit order: century before year */
	assert_int_equal(ident_pid_check("001286012345", 1985, 1, why, sizeof why), IDENT_PID_CENTURY_SEX);
	/* year digits at each edge */
	assert_int_equal(ident_pid_check("001200012345", 2001, 1, why, sizeof why), IDENT_PID_YEAR);
	assert_int_equal(ident_pid_check("001099012345", 1998, 1, why, sizeof why), IDENT_PID_YEAR);
	/* every result has a sentence */
	for (int r = IDENT_OK; r <= IDENT_CODE_SEQ + 1; r++)
		assert_true(ident_strerror(r)[0] != '\0');
}

static void
test_pid_mask(void **state)
{
	(void)state;
	char out[13];
	assert_ptr_equal(ident_pid_mask("001085014567", out, sizeof out), out);
	assert_string_equal(out, "********4567");
	/* an unknown province still masks (old records) */
	assert_non_null(ident_pid_mask("065085010000", out, sizeof out));
	assert_string_equal(out, "********0000");
	/* refusals leave "" and never overflow */
	char small[12];
	memset(small, 'Z', sizeof small);
	assert_null(ident_pid_mask("001085014567", small, sizeof small));
	assert_string_equal(small, "");
	assert_null(ident_pid_mask("00108501456", out, sizeof out));
	assert_string_equal(out, "");
	assert_null(ident_pid_mask("00108501456x", out, sizeof out));
	assert_null(ident_pid_mask(NULL, out, sizeof out));
	assert_null(ident_pid_mask("001085014567", NULL, 0));
}

/* ---- phone numbers -------------------------------------------------------- */

static void
expect_phone(const char *in, const char *want, int kind)
{
	char out[IDENT_PHONE_SIZE];
	int r = ident_phone_normalize(in, out, sizeof out);
	if (r != IDENT_OK)
		fail_msg("%s: %d", in, r);
	assert_string_equal(out, want);
	assert_int_equal(ident_phone_kind(in), kind);
	/* canonical is a fixed point */
	char again[IDENT_PHONE_SIZE];
	assert_int_equal(ident_phone_normalize(out, again, sizeof again), IDENT_OK);
	assert_string_equal(again, out);
	assert_true(ident_phone_same(in, want));
}

static void
test_phone_mobile(void **state)
{
	(void)state;
	expect_phone("0912345678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("+84 91 234 5678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("+84912345678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("84-912-345-678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("84912345678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("0084 912 345 678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("+84 (0) 912 345 678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("+84 0912 345 678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("0912.345.678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("0912-345-678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("(091) 234 5678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("091 (234) 5678", "0912345678", IDENT_PHONE_MOBILE);
	expect_phone("0 9 1 2 3 4 5 6 7 8", "0912345678", IDENT_PHONE_MOBILE);
	/* every mobile range */
	expect_phone("0321234567", "0321234567", IDENT_PHONE_MOBILE);
	expect_phone("0561234567", "0561234567", IDENT_PHONE_MOBILE);
	expect_phone("0701234567", "0701234567", IDENT_PHONE_MOBILE);
	expect_phone("0861234567", "0861234567", IDENT_PHONE_MOBILE);
	expect_phone("0999999999", "0999999999", IDENT_PHONE_MOBILE);
}

static void
test_phone_old_11_digit(void **state)
{
	(void)state;
	expect_phone("0169 123 4567", "0391234567", IDENT_PHONE_MOBILE);
	expect_phone("+84 169 123 4567", "0391234567", IDENT_PHONE_MOBILE);
	expect_phone("01201234567", "0701234567", IDENT_PHONE_MOBILE);
	expect_phone("01231234567", "0831234567", IDENT_PHONE_MOBILE);
	expect_phone("0186.123.4567", "0561234567", IDENT_PHONE_MOBILE);
	expect_phone("0199-123-4567", "0591234567", IDENT_PHONE_MOBILE);
	/* the whole table */
	static const char *map[][2] = {
		{"0120", "070"}, {"0121", "079"}, {"0122", "077"}, {"0126", "076"},
		{"0128", "078"}, {"0123", "083"}, {"0124", "084"}, {"0125", "085"},
		{"0127", "081"}, {"0129", "082"}, {"0162", "032"}, {"0163", "033"},
		{"0164", "034"}, {"0165", "035"}, {"0166", "036"}, {"0167", "037"},
		{"0168", "038"}, {"0169", "039"}, {"0186", "056"}, {"0188", "058"},
		{"0199", "059"},
	};
	char in[32], want[32];
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		snprintf(in, sizeof in, "%s7654321", map[i][0]);
		snprintf(want, sizeof want, "%s7654321", map[i][1]);
		expect_phone(in, want, IDENT_PHONE_MOBILE);
	}
	/* every other 01xx is refused */
	int accepted = 0;
	for (int k = 0; k < 100; k++) {
		snprintf(in, sizeof in, "01%02d7654321", k);
		char out[IDENT_PHONE_SIZE];
		int r = ident_phone_normalize(in, out, sizeof out);
		assert_true(r == IDENT_OK || r == IDENT_PHONE_PREFIX);
		accepted += r == IDENT_OK;
	}
	assert_int_equal(accepted, 21);
	/* 10-digit 01… is neither old nor new */
	char out[IDENT_PHONE_SIZE];
	assert_int_equal(ident_phone_normalize("0169123456", out, sizeof out), IDENT_PHONE_PREFIX);
}

static void
test_phone_landline(void **state)
{
	(void)state;
	expect_phone("024 3825 1234", "02438251234", IDENT_PHONE_LANDLINE);
	expect_phone("(024) 3825 1234", "02438251234", IDENT_PHONE_LANDLINE);
	expect_phone("+84 24 3825 1234", "02438251234", IDENT_PHONE_LANDLINE);
	expect_phone("028.3829.1234", "02838291234", IDENT_PHONE_LANDLINE);
	expect_phone("0236 382 1234", "02363821234", IDENT_PHONE_LANDLINE);   /* 4-digit area code */
	char out[IDENT_PHONE_SIZE];
	assert_int_equal(ident_phone_normalize("024 3825 123", out, sizeof out), IDENT_PHONE_LENGTH);
	assert_int_equal(ident_phone_normalize("024 3825 12345", out, sizeof out), IDENT_PHONE_LENGTH);
	assert_int_equal(ident_phone_kind("0912345678"), IDENT_PHONE_MOBILE);
	assert_int_equal(ident_phone_kind("02438251234"), IDENT_PHONE_LANDLINE);
	assert_int_equal(ident_phone_kind("012345"), IDENT_PHONE_NONE);
	assert_int_equal(ident_phone_kind(NULL), IDENT_PHONE_NONE);
}

static void
test_phone_rejects(void **state)
{
	(void)state;
	char out[IDENT_PHONE_SIZE];
	static const struct {
		const char *in;
		int want;
	} bad[] = {
		{"012345", IDENT_PHONE_LENGTH},
		{"09123456789", IDENT_PHONE_LENGTH},
		{"091234567", IDENT_PHONE_LENGTH},
		{"", IDENT_PHONE_LENGTH},
		{"0", IDENT_PHONE_LENGTH},
		{"+84", IDENT_PHONE_LENGTH},
		{"091234567890123456789", IDENT_PHONE_LENGTH},
		{"0912abc678", IDENT_PHONE_FORMAT},
		{"O912345678", IDENT_PHONE_FORMAT},
		{"abc", IDENT_PHONE_FORMAT},
		{" 0912345678", IDENT_PHONE_FORMAT},
		{"0912345678 ", IDENT_PHONE_FORMAT},
		{"0912  345678", IDENT_PHONE_FORMAT},
		{"0912..345678", IDENT_PHONE_FORMAT},
		{"0912-.345678", IDENT_PHONE_FORMAT},
		{"0912345678-", IDENT_PHONE_FORMAT},
		{"-0912345678", IDENT_PHONE_FORMAT},
		{"++84912345678", IDENT_PHONE_FORMAT},
		{"84+912345678", IDENT_PHONE_FORMAT},
		{"(091 234 5678", IDENT_PHONE_FORMAT},
		{"091) 234 5678", IDENT_PHONE_FORMAT},
		{"(091) (234) 5678", IDENT_PHONE_FORMAT},
		{"091()2345678", IDENT_PHONE_FORMAT},
		{"((091)) 2345678", IDENT_PHONE_FORMAT},
		{"0912/345/678", IDENT_PHONE_FORMAT},
		{"0912\t345678", IDENT_PHONE_FORMAT},
		{"0912\xc2\xa0" "345678", IDENT_PHONE_FORMAT},   /* NBSP */
		{"０912345678", IDENT_PHONE_FORMAT},               /* full-width 0 */
		{"+1 212 555 1234", IDENT_PHONE_PREFIX},
		{"+44 20 7946 0958", IDENT_PHONE_PREFIX},
		{"0412345678", IDENT_PHONE_PREFIX},
		{"0612345678", IDENT_PHONE_PREFIX},
		{"0012345678", IDENT_PHONE_PREFIX},
		{"912345678", IDENT_PHONE_PREFIX},   /* the leading 0 is required */
		{"01001234567", IDENT_PHONE_PREFIX},   /* 0100 was never a mobile prefix */
		{"0212345678", IDENT_PHONE_LENGTH},    /* landline needs 11 digits */
		{"+84 00912345678", IDENT_PHONE_PREFIX},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(out, 'Z', sizeof out);
		int r = ident_phone_normalize(bad[i].in, out, sizeof out);
		if (r != bad[i].want)
			fail_msg("%s: got %d want %d", bad[i].in, r, bad[i].want);
		assert_string_equal(out, "");
		assert_int_equal(ident_phone_kind(bad[i].in), IDENT_PHONE_NONE);
		assert_false(ident_phone_same(bad[i].in, bad[i].in));
	}
	/* embedded NUL: the rest is not seen */
	assert_int_equal(ident_phone_normalize("09123\0" "45678", out, sizeof out), IDENT_PHONE_LENGTH);
	assert_int_equal(ident_phone_normalize(NULL, out, sizeof out), IDENT_ARG);
	assert_int_equal(ident_phone_normalize("0912345678", NULL, 0), IDENT_ARG);
}

static void
test_phone_buffer(void **state)
{
	(void)state;
	char out[16];
	/* exactly enough */
	memset(out, 'Z', sizeof out);
	assert_int_equal(ident_phone_normalize("+84 91 234 5678", out, 11), IDENT_OK);
	assert_string_equal(out, "0912345678");
	assert_int_equal(out[11], 'Z');
	/* one short: nothing past n, "" */
	memset(out, 'Z', sizeof out);
	assert_int_equal(ident_phone_normalize("0912345678", out, 10), IDENT_SPACE);
	assert_int_equal(out[0], '\0');
	for (size_t i = 1; i < sizeof out; i++)
		assert_int_equal(out[i], 'Z');
	assert_int_equal(ident_phone_normalize("02438251234", out, 11), IDENT_SPACE);
	assert_int_equal(ident_phone_normalize("02438251234", out, 12), IDENT_OK);
	memset(out, 'Z', sizeof out);
	assert_int_equal(ident_phone_normalize("0912345678", out, 0), IDENT_SPACE);
	assert_int_equal(out[0], 'Z');
}

static void
test_phone_same(void **state)
{
	(void)state;
	assert_true(ident_phone_same("0912 345 678", "+84912345678"));
	assert_true(ident_phone_same("01691234567", "039 123 4567"));
	assert_false(ident_phone_same("0912345678", "0912345679"));
	assert_false(ident_phone_same("0912345678", NULL));
	assert_false(ident_phone_same("", ""));
}

/* ---- dossier code --------------------------------------------------------- */

static void
test_code_format(void **state)
{
	(void)state;
	char out[IDENT_DOSSIER_CODE_SIZE];
	assert_int_equal(ident_dossier_code_format("000.00.00.H38", 25, 3, 14, 1, out, sizeof out), IDENT_OK);
	assert_string_equal(out, "000.00.00.H38-250314-0001");
	assert_int_equal(ident_dossier_code_format("G09.01", 24, 12, 31, 42, out, sizeof out), IDENT_OK);
	assert_string_equal(out, "G09.01-241231-0042");
	assert_int_equal(ident_dossier_code_format("X", 0, 1, 1, 9999, out, sizeof out), IDENT_OK);
	assert_string_equal(out, "X-000101-9999");
	/* widening past 9999 */
	assert_int_equal(ident_dossier_code_format("X", 0, 1, 1, 10000, out, sizeof out), IDENT_OK);
	assert_string_equal(out, "X-000101-10000");
	assert_int_equal(ident_dossier_code_format("X", 99, 12, 31, IDENT_SEQ_MAX, out, sizeof out), IDENT_OK);
	assert_string_equal(out, "X-991231-999999999");
	/* the longest code fits IDENT_DOSSIER_CODE_SIZE exactly */
	const char *a32 = "ABCDEFGHIJ0123456789ABCDEFGHIJ01";
	assert_int_equal(strlen(a32), 32);
	assert_int_equal(ident_dossier_code_format(a32, 99, 12, 31, IDENT_SEQ_MAX, out, sizeof out), IDENT_OK);
	assert_int_equal(strlen(out), IDENT_DOSSIER_CODE_MAX);
	/* leap days */
	assert_int_equal(ident_dossier_code_format("X", 24, 2, 29, 1, out, sizeof out), IDENT_OK);
	assert_int_equal(ident_dossier_code_format("X", 0, 2, 29, 1, out, sizeof out), IDENT_OK);
	assert_int_equal(ident_dossier_code_format("X", 25, 2, 29, 1, out, sizeof out), IDENT_CODE_DATE);
	/* refusals */
	assert_int_equal(ident_dossier_code_format("X", 25, 2, 30, 1, out, sizeof out), IDENT_CODE_DATE);
	assert_string_equal(out, "");
	assert_int_equal(ident_dossier_code_format("X", 25, 4, 31, 1, out, sizeof out), IDENT_CODE_DATE);
	assert_int_equal(ident_dossier_code_format("X", 25, 13, 1, 1, out, sizeof out), IDENT_CODE_DATE);
	assert_int_equal(ident_dossier_code_format("X", 25, 0, 1, 1, out, sizeof out), IDENT_CODE_DATE);
	assert_int_equal(ident_dossier_code_format("X", 25, 1, 0, 1, out, sizeof out), IDENT_CODE_DATE);
	assert_int_equal(ident_dossier_code_format("X", 100, 1, 1, 1, out, sizeof out), IDENT_CODE_DATE);
	assert_int_equal(ident_dossier_code_format("X", -1, 1, 1, 1, out, sizeof out), IDENT_CODE_DATE);
	assert_int_equal(ident_dossier_code_format("X", 25, 1, 1, 0, out, sizeof out), IDENT_CODE_SEQ);
	assert_int_equal(ident_dossier_code_format("X", 25, 1, 1, -5, out, sizeof out), IDENT_CODE_SEQ);
	assert_int_equal(ident_dossier_code_format("X", 25, 1, 1, IDENT_SEQ_MAX + 1, out, sizeof out), IDENT_CODE_SEQ);
	static const char *bad_agency[] = {
		"", "g09.01", "G09-01", ".G09", "G09.", "G09..01", "G 09", "Đ09",
		"ABCDEFGHIJ0123456789ABCDEFGHIJ012",   /* 33 */
	};
	for (size_t i = 0; i < sizeof bad_agency / sizeof bad_agency[0]; i++)
		assert_int_equal(ident_dossier_code_format(bad_agency[i], 25, 1, 1, 1, out, sizeof out), IDENT_CODE_AGENCY);
	assert_int_equal(ident_dossier_code_format(NULL, 25, 1, 1, 1, out, sizeof out), IDENT_ARG);
	/* buffer: exact fit, one short */
	char small[32];
	memset(small, 'Z', sizeof small);
	assert_int_equal(ident_dossier_code_format("X", 25, 1, 1, 1, small, 14), IDENT_OK);
	assert_string_equal(small, "X-250101-0001");
	memset(small, 'Z', sizeof small);
	assert_int_equal(ident_dossier_code_format("X", 25, 1, 1, 1, small, 13), IDENT_SPACE);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'Z');
	assert_int_equal(small[13], 'Z');
}

static void
test_code_parse(void **state)
{
	(void)state;
	struct ident_dossier_code c;
	assert_int_equal(ident_dossier_code_parse("000.00.00.H38-250314-0001", &c), IDENT_OK);
	assert_string_equal(c.agency, "000.00.00.H38");
	assert_int_equal(c.yy, 25);
	assert_int_equal(c.mm, 3);
	assert_int_equal(c.dd, 14);
	assert_int_equal(c.seq, 1);
	assert_int_equal(ident_dossier_code_parse("G09.01-241231-10000", &c), IDENT_OK);
	assert_int_equal(c.seq, 10000);
	/* lower case is accepted and stored upper case */
	assert_int_equal(ident_dossier_code_parse("000.00.00.h38-250314-0001", &c), IDENT_OK);
	assert_string_equal(c.agency, "000.00.00.H38");
	assert_int_equal(ident_dossier_code_parse("g09.01-240229-0007", &c), IDENT_OK);
	assert_string_equal(c.agency, "G09.01");

	static const struct {
		const char *in;
		int want;
	} bad[] = {
		{"", IDENT_CODE_FORMAT},
		{"G09.01", IDENT_CODE_FORMAT},
		{"G09.01-250314", IDENT_CODE_FORMAT},
		{"G09.01-250314-", IDENT_CODE_FORMAT},
		{"G09.01-250314-0001-2", IDENT_CODE_FORMAT},
		{"G09.01--250314-0001", IDENT_CODE_FORMAT},
		{"-250314-0001", IDENT_CODE_AGENCY},
		{"G09..01-250314-0001", IDENT_CODE_AGENCY},
		{"G09_01-250314-0001", IDENT_CODE_AGENCY},
		{"G09.01.-250314-0001", IDENT_CODE_AGENCY},
		{"ABCDEFGHIJ0123456789ABCDEFGHIJ012-250314-0001", IDENT_CODE_AGENCY},
		{"G09.01-25031-0001", IDENT_CODE_FORMAT},
		{"G09.01-2503140-0001", IDENT_CODE_FORMAT},
		{"G09.01-25O314-0001", IDENT_CODE_FORMAT},
		{"G09.01-250230-0001", IDENT_CODE_DATE},   /* 30 February */
		{"G09.01-250229-0001", IDENT_CODE_DATE},   /* 2025 is not leap */
		{"G09.01-251301-0001", IDENT_CODE_DATE},
		{"G09.01-250100-0001", IDENT_CODE_DATE},
		{"G09.01-250431-0001", IDENT_CODE_DATE},
		{"G09.01-250314-001", IDENT_CODE_SEQ},
		{"G09.01-250314-1", IDENT_CODE_SEQ},
		{"G09.01-250314-0000", IDENT_CODE_SEQ},
		{"G09.01-250314-00001", IDENT_CODE_SEQ},   /* not canonical */
		{"G09.01-250314-09999", IDENT_CODE_SEQ},
		{"G09.01-250314-1000000000", IDENT_CODE_SEQ},
		{"G09.01-250314-+001", IDENT_CODE_FORMAT},
		{"G09.01-250314-0001 ", IDENT_CODE_FORMAT},
		{" G09.01-250314-0001", IDENT_CODE_AGENCY},
		{"G09.01-250314-00a1", IDENT_CODE_FORMAT},
		{"G09.01-250314-0001\n", IDENT_CODE_FORMAT},
		/* overlong: 32-char agency + 10-digit seq is 50 > 49 */
		{"ABCDEFGHIJ0123456789ABCDEFGHIJ01-991231-1000000000", IDENT_CODE_FORMAT},
		{"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", IDENT_CODE_FORMAT},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&c, 0x5a, sizeof c);
		int r = ident_dossier_code_parse(bad[i].in, &c);
		if (r != bad[i].want)
			fail_msg("%s: got %d want %d", bad[i].in, r, bad[i].want);
		assert_string_equal(c.agency, "");
		assert_int_equal(c.seq, 0);
	}
	/* embedded NUL ends the code */
	assert_int_equal(ident_dossier_code_parse("G09.01-250314-00\0" "01", &c), IDENT_CODE_SEQ);
	assert_int_equal(ident_dossier_code_parse(NULL, &c), IDENT_ARG);
	assert_int_equal(ident_dossier_code_parse("G09.01-250314-0001", NULL), IDENT_ARG);
	/* the longest code parses */
	assert_int_equal(ident_dossier_code_parse("ABCDEFGHIJ0123456789ABCDEFGHIJ01-991231-999999999", &c), IDENT_OK);
	assert_int_equal(c.seq, IDENT_SEQ_MAX);
}

/* format → parse → format gives the same string and fields, over every
 * day of 2000–2099 and sequences across the 4-digit boundary. */
static void
test_code_round_trip(void **state)
{
	(void)state;
	static const long seqs[] = {1, 9, 10, 999, 1000, 9998, 9999, 10000,
	    10001, 99999, 100000, 123456789, IDENT_SEQ_MAX};
	static const char *agencies[] = {"000.00.00.H38", "G09.01", "X", "H29.47.01"};
	char s[IDENT_DOSSIER_CODE_SIZE], t[IDENT_DOSSIER_CODE_SIZE];
	struct ident_dossier_code c;
	int days = 0;
	for (int yy = 0; yy <= 99; yy++) {
		for (int mm = 1; mm <= 12; mm++) {
			for (int dd = 1; dd <= 31; dd++) {
				long seq = seqs[(size_t)(yy + mm + dd) % (sizeof seqs / sizeof seqs[0])];
				const char *ag = agencies[(size_t)dd % 4];
				int r = ident_dossier_code_format(ag, yy, mm, dd, seq, s, sizeof s);
				if (r == IDENT_CODE_DATE)
					continue;
				assert_int_equal(r, IDENT_OK);
				days++;
				assert_int_equal(ident_dossier_code_parse(s, &c), IDENT_OK);
				assert_string_equal(c.agency, ag);
				assert_int_equal(c.yy, yy);
				assert_int_equal(c.mm, mm);
				assert_int_equal(c.dd, dd);
				assert_int_equal(c.seq, seq);
				assert_int_equal(ident_dossier_code_format(c.agency, c.yy, c.mm, c.dd, c.seq, t, sizeof t), IDENT_OK);
				assert_string_equal(s, t);
			}
		}
	}
	assert_int_equal(days, 36525);   /* 100 years, 25 of them leap */
	/* every sequence near the boundary */
	for (long seq = 9990; seq <= 10010; seq++) {
		assert_int_equal(ident_dossier_code_format("X", 25, 1, 1, seq, s, sizeof s), IDENT_OK);
		assert_int_equal(strlen(s), seq <= 9999 ? 13u : 14u);
		assert_int_equal(ident_dossier_code_parse(s, &c), IDENT_OK);
		assert_int_equal(c.seq, seq);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_province_table_matches_file),
		cmocka_unit_test(test_pid_valid_examples),
		cmocka_unit_test(test_pid_format),
		cmocka_unit_test(test_pid_province),
		cmocka_unit_test(test_pid_century_sex_table),
		cmocka_unit_test(test_pid_messages),
		cmocka_unit_test(test_pid_mask),
		cmocka_unit_test(test_phone_mobile),
		cmocka_unit_test(test_phone_old_11_digit),
		cmocka_unit_test(test_phone_landline),
		cmocka_unit_test(test_phone_rejects),
		cmocka_unit_test(test_phone_buffer),
		cmocka_unit_test(test_phone_same),
		cmocka_unit_test(test_code_format),
		cmocka_unit_test(test_code_parse),
		cmocka_unit_test(test_code_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
