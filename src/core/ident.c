/* ident.c — see ident.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core/ident.h"

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_upper_alnum(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z');
}

/* Writes the formatted sentence into why, cut (if it must be) at a UTF-8
 * character boundary so the result is always valid UTF-8. */
static void say(char *why, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
say(char *why, size_t n, const char *fmt, ...)
{
	if (!why || n == 0)
		return;
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	size_t len = k < 0 ? 0 : (size_t)k;
	if (len >= sizeof tmp)
		len = sizeof tmp - 1;
	if (len > n - 1) {
		len = n - 1;
		/* back off over continuation bytes to a lead byte, drop it too */
		while (len > 0 && ((unsigned char)tmp[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(why, tmp, len);
	why[len] = '\0';
}

static void
clear(char *out, size_t n)
{
	if (out && n > 0)
		out[0] = '\0';
}

const char *
ident_strerror(int r)
{
	switch (r) {
	case IDENT_OK: return "Hợp lệ";
	case IDENT_ARG: return "Tham số không hợp lệ";
	case IDENT_SPACE: return "Vùng nhớ kết quả quá nhỏ";
	case IDENT_PID_FORMAT: return "Số định danh cá nhân phải gồm đúng 12 chữ số";
	case IDENT_PID_PROVINCE: return "Mã tỉnh (3 chữ số đầu của số định danh cá nhân) không tồn tại";
	case IDENT_PID_CENTURY_SEX: return "Chữ số thứ 4 của số định danh cá nhân không khớp thế kỷ sinh hoặc giới tính";
	case IDENT_PID_YEAR: return "Chữ số thứ 5–6 của số định danh cá nhân không khớp năm sinh";
	case IDENT_PHONE_FORMAT: return "Số điện thoại chỉ gồm chữ số, có thể ngăn cách bằng dấu cách, dấu chấm, gạch ngang hoặc ngoặc đơn";
	case IDENT_PHONE_LENGTH: return "Số điện thoại không đúng độ dài (di động 10 chữ số, cố định 11 chữ số)";
	case IDENT_PHONE_PREFIX: return "Đầu số điện thoại không hợp lệ";
	case IDENT_CODE_FORMAT: return "Mã hồ sơ không đúng dạng MÃCƠQUAN-YYMMDD-NNNN";
	case IDENT_CODE_AGENCY: return "Mã cơ quan trong mã hồ sơ không hợp lệ";
	case IDENT_CODE_DATE: return "Ngày trong mã hồ sơ không tồn tại";
	case IDENT_CODE_SEQ: return "Số thứ tự trong mã hồ sơ không hợp lệ";
	default: return "Giá trị không hợp lệ";
	}
}

/* ---- personal ID ---------------------------------------------------------- */

/* shared/data/province-codes.txt (63 pre-2025 codes, DOMAIN section 7 [I]),
 * ascending.  tests/unit/test_ident.c checks this table equals its copy
 * tests/unit/data/province-codes.txt line for line. */
static const int provinces[] = {
	1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25,
	26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48,
	49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75,
	77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
};
#define NPROVINCES (sizeof provinces / sizeof provinces[0])

size_t
ident_province_codes(const int **codes)
{
	if (codes)
		*codes = provinces;
	return NPROVINCES;
}

static int
province_known(int code)
{
	size_t lo = 0, hi = NPROVINCES;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (provinces[mid] == code)
			return 1;
		if (provinces[mid] < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* 1 if s is exactly 12 ASCII digits.  Reads at most 13 bytes. */
static int
pid_shape(const char *s)
{
	if (!s)
		return 0;
	for (int i = 0; i < IDENT_PID_LEN; i++)
		if (!is_digit(s[i]))
			return 0;   /* also stops at the NUL */
	return s[IDENT_PID_LEN] == '\0';
}

static int
digits_value(const char *s, int k)
{
	int v = 0;
	for (int i = 0; i < k; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int
ident_pid_province(const char *s)
{
	if (!pid_shape(s))
		return -1;
	int p = digits_value(s, 3);
	return province_known(p) ? p : -1;
}

int
ident_pid_birth_year(const char *s)
{
	if (!pid_shape(s))
		return -1;
	int d = s[3] - '0';
	return 1900 + (d / 2) * 100 + digits_value(s + 4, 2);
}

int
ident_pid_sex(const char *s)
{
	if (!pid_shape(s))
		return 0;
	return (s[3] - '0') % 2 == 0 ? 1 : 2;
}

const char *
ident_pid_mask(const char *s, char *out, size_t n)
{
	if (!out || n < IDENT_PID_LEN + 1 || !pid_shape(s)) {
		clear(out, n);
		return NULL;
	}
	memset(out, '*', IDENT_PID_LEN - 4);
	memcpy(out + IDENT_PID_LEN - 4, s + IDENT_PID_LEN - 4, 4);
	out[IDENT_PID_LEN] = '\0';
	return out;
}

/* Explains a malformed ID: the first non-digit (by character, not byte,
 * position) or the length.  Never echoes the input. */
static void
pid_format_why(const char *s, char *why, size_t n)
{
	size_t chars = 0, digits = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;   /* UTF-8 continuation byte */
		chars++;
		if (!is_digit((char)*p)) {
			say(why, n, "Số định danh cá nhân chỉ gồm chữ số: "
			    "ký tự thứ %zu không phải chữ số", chars);
			return;
		}
		digits++;
	}
	if (digits == 0)
		say(why, n, "Chưa nhập số định danh cá nhân");
	else
		say(why, n, "Số định danh cá nhân phải gồm đúng 12 chữ số "
		    "(đã nhập %zu chữ số)", digits);
}

static const char *
sex_word(int sex)
{
	return sex == 1 ? "nam" : "nữ";
}

int
ident_pid_check(const char *s, int birth_year, int sex, char *why, size_t n)
{
	clear(why, n);
	if (!s || birth_year < 0 || sex < 0 || sex > 2) {
		say(why, n, "%s", ident_strerror(IDENT_ARG));
		return IDENT_ARG;
	}
	if (!pid_shape(s)) {
		pid_format_why(s, why, n);
		return IDENT_PID_FORMAT;
	}
	int prov = digits_value(s, 3);
	if (!province_known(prov)) {
		say(why, n, "Mã tỉnh %03d không tồn tại", prov);
		return IDENT_PID_PROVINCE;
	}
	int d = s[3] - '0';
	int c0 = 1900 + (d / 2) * 100;          /* first year of the century */
	int dsex = d % 2 == 0 ? 1 : 2;
	if (birth_year != 0 && (birth_year < c0 || birth_year > c0 + 99)) {
		say(why, n, "Chữ số thứ 4 (%d: %s, sinh %d–%d) không khớp năm sinh %d",
		    d, sex_word(dsex), c0, c0 + 99, birth_year);
		return IDENT_PID_CENTURY_SEX;
	}
	if (sex != 0 && sex != dsex) {
		say(why, n, "Chữ số thứ 4 (%d: %s, sinh %d–%d) không khớp giới tính %s",
		    d, sex_word(dsex), c0, c0 + 99, sex_word(sex));
		return IDENT_PID_CENTURY_SEX;
	}
	int yy = digits_value(s + 4, 2);
	if (birth_year != 0 && birth_year % 100 != yy) {
		say(why, n, "Chữ số thứ 5–6 (%02d) không khớp năm sinh %d",
		    yy, birth_year);
		return IDENT_PID_YEAR;
	}
	return IDENT_OK;
}

/* ---- phone numbers -------------------------------------------------------- */

/* The 11 → 10 digit mobile conversion of 15/9/2018–30/6/2019: the old
 * 4-digit prefix becomes the new 3-digit one, the last 7 digits stay.
 * [V] = listed in DOMAIN section 7; the others are the Ministry's
 * published table as reprinted by the press (plo.vn 5/2018, fptcorp.com.vn;
 * several agree) [I]. */
static const struct {
	char old[5];
	char new_[4];
} old_prefixes[] = {
	{"0120", "070"},   /* MobiFone [V] */
	{"0121", "079"},   /* MobiFone [I] */
	{"0122", "077"},   /* MobiFone [I] */
	{"0123", "083"},   /* VinaPhone [V] */
	{"0124", "084"},   /* VinaPhone [I] */
	{"0125", "085"},   /* VinaPhone [I] */
	{"0126", "076"},   /* MobiFone [I] */
	{"0127", "081"},   /* VinaPhone [I] */
	{"0128", "078"},   /* MobiFone [I] */
	{"0129", "082"},   /* VinaPhone [I] */
	{"0162", "032"},   /* Viettel [I] */
	{"0163", "033"},   /* Viettel [I] */
	{"0164", "034"},   /* Viettel [I] */
	{"0165", "035"},   /* Viettel [I] */
	{"0166", "036"},   /* Viettel [I] */
	{"0167", "037"},   /* Viettel [I] */
	{"0168", "038"},   /* Viettel [I] */
	{"0169", "039"},   /* Viettel [V] */
	{"0186", "056"},   /* Vietnamobile [V] */
	{"0188", "058"},   /* Vietnamobile [I] */
	{"0199", "059"},   /* Gmobile [V] */
};

static int
is_sep(char c)
{
	return c == ' ' || c == '.' || c == '-';
}

/* More digits than any accepted spelling has ("0084" + 11-digit old
 * mobile = 15): stop collecting early. */
#define PHONE_DIGITS_CAP 16

/* Reads the digits of in into d (NUL-terminated) checking the separator
 * grammar; *plus tells whether it began with '+'.  Returns an
 * ident_result. */
static int
phone_digits(const char *in, char d[PHONE_DIGITS_CAP + 1], int *plus)
{
	const char *p = in;
	size_t nd = 0;
	int open = 0, pairs = 0;
	*plus = 0;
	if (*p == '+') {
		*plus = 1;
		p++;
	}
	if (*p == '(') {
		open = pairs = 1;
		p++;
	}
	if (!is_digit(*p))
		return *p == '\0' && p == in ? IDENT_PHONE_LENGTH : IDENT_PHONE_FORMAT;
	while (*p) {
		if (is_digit(*p)) {
			if (nd == PHONE_DIGITS_CAP)
				return IDENT_PHONE_LENGTH;
			d[nd++] = *p++;
			continue;
		}
		/* a gap between digits: [ .-] | [ .-]( | ( | ) | )[ .-] */
		const char *g = p;
		if (*p == ')') {
			if (!open)
				return IDENT_PHONE_FORMAT;
			open = 0;
			p++;
			if (is_sep(*p))
				p++;
		} else if (*p == '(' || is_sep(*p)) {
			if (is_sep(*p))
				p++;
			if (*p == '(') {
				if (pairs)
					return IDENT_PHONE_FORMAT;
				open = pairs = 1;
				p++;
			}
		} else {
			return IDENT_PHONE_FORMAT;
		}
		if (*p == '\0') {
			/* only a closing parenthesis may end the number */
			if (!(g[0] == ')' && p - g == 1))
				return IDENT_PHONE_FORMAT;
		} else if (!is_digit(*p)) {
			return IDENT_PHONE_FORMAT;
		}
	}
	if (open)
		return IDENT_PHONE_FORMAT;
	d[nd] = '\0';
	return IDENT_OK;
}

/* Normalises into a local buffer big enough for any result; *kind set on
 * success. */
static int
phone_canon(const char *in, char canon[IDENT_PHONE_SIZE], int *kind)
{
	char d[PHONE_DIGITS_CAP + 1];
	int plus;
	*kind = IDENT_PHONE_NONE;
	if (!in)
		return IDENT_ARG;
	int r = phone_digits(in, d, &plus);
	if (r != IDENT_OK)
		return r;
	const char *rest;            /* the national number after its leading 0 */
	if (plus) {
		if (strncmp(d, "84", 2) != 0)
			return IDENT_PHONE_PREFIX;   /* not Vietnam */
		rest = d + 2;
	} else if (strncmp(d, "0084", 4) == 0) {
		rest = d + 4;
	} else if (strncmp(d, "84", 2) == 0) {
		rest = d + 2;   /* no national number starts with 8 */
	} else if (d[0] == '0') {
		rest = d + 1;
	} else {
		return IDENT_PHONE_PREFIX;
	}
	if (rest != d + 1 && rest[0] == '0')
		rest++;   /* "+84 (0) 912…", "+84 0912…" */
	size_t len = strlen(rest) + 1;   /* with the leading 0 */
	if (len == 11 && rest[0] == '1') {
		for (size_t i = 0; i < sizeof old_prefixes / sizeof old_prefixes[0]; i++) {
			if (memcmp(old_prefixes[i].old + 1, rest, 3) == 0) {
				memcpy(canon, old_prefixes[i].new_, 3);
				memcpy(canon + 3, rest + 3, 7);
				canon[10] = '\0';
				*kind = IDENT_PHONE_MOBILE;
				return IDENT_OK;
			}
		}
		return IDENT_PHONE_PREFIX;
	}
	switch (rest[0]) {
	case '3': case '5': case '7': case '8': case '9':
		if (len != 10)
			return IDENT_PHONE_LENGTH;
		*kind = IDENT_PHONE_MOBILE;
		break;
	case '2':
		if (len != 11)
			return IDENT_PHONE_LENGTH;
		*kind = IDENT_PHONE_LANDLINE;
		break;
	case '\0':
		return IDENT_PHONE_LENGTH;
	default:
		return len < 10 || len > 11 ? IDENT_PHONE_LENGTH : IDENT_PHONE_PREFIX;
	}
	canon[0] = '0';
	memcpy(canon + 1, rest, len);   /* with its NUL */
	return IDENT_OK;
}

int
ident_phone_normalize(const char *in, char *out, size_t n)
{
	char canon[IDENT_PHONE_SIZE];
	int kind;
	clear(out, n);
	if (!out)
		return IDENT_ARG;
	int r = phone_canon(in, canon, &kind);
	if (r != IDENT_OK)
		return r;
	size_t len = strlen(canon);
	if (len + 1 > n)
		return IDENT_SPACE;
	memcpy(out, canon, len + 1);
	return IDENT_OK;
}

int
ident_phone_kind(const char *in)
{
	char canon[IDENT_PHONE_SIZE];
	int kind;
	return phone_canon(in, canon, &kind) == IDENT_OK ? kind : IDENT_PHONE_NONE;
}

int
ident_phone_same(const char *a, const char *b)
{
	char ca[IDENT_PHONE_SIZE], cb[IDENT_PHONE_SIZE];
	int ka, kb;
	return phone_canon(a, ca, &ka) == IDENT_OK &&
	    phone_canon(b, cb, &kb) == IDENT_OK && strcmp(ca, cb) == 0;
}

/* ---- dossier code --------------------------------------------------------- */

static int
real_date(int yy, int mm, int dd)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (yy < 0 || yy > 99 || mm < 1 || mm > 12 || dd < 1)
		return 0;
	int max = mdays[mm - 1];
	if (mm == 2 && yy % 4 == 0)
		max = 29;   /* 2000–2099: every fourth year, 2000 included */
	return dd <= max;
}

/* Agency syntax on exactly len bytes of a (upper case already). */
static int
agency_ok(const char *a, size_t len)
{
	if (len < 1 || len > IDENT_AGENCY_MAX)
		return 0;
	if (a[0] == '.' || a[len - 1] == '.')
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (a[i] == '.') {
			if (a[i + 1] == '.')
				return 0;
		} else if (!is_upper_alnum(a[i])) {
			return 0;
		}
	}
	return 1;
}

int
ident_dossier_code_format(const char *agency, int yy, int mm, int dd,
    long seq, char *out, size_t n)
{
	clear(out, n);
	if (!agency || !out)
		return IDENT_ARG;
	size_t alen = strnlen(agency, IDENT_AGENCY_MAX + 1);
	if (!agency_ok(agency, alen))
		return IDENT_CODE_AGENCY;
	if (!real_date(yy, mm, dd))
		return IDENT_CODE_DATE;
	if (seq < 1 || seq > IDENT_SEQ_MAX)
		return IDENT_CODE_SEQ;
	char tmp[IDENT_DOSSIER_CODE_SIZE + 8];
	int k = snprintf(tmp, sizeof tmp, "%s-%02d%02d%02d-%04ld",
	    agency, yy, mm, dd, seq);
	if (k < 0 || (size_t)k >= sizeof tmp)
		return IDENT_ARG;   /* cannot happen: every part is bounded */
	if ((size_t)k + 1 > n)
		return IDENT_SPACE;
	memcpy(out, tmp, (size_t)k + 1);
	return IDENT_OK;
}

int
ident_dossier_code_parse(const char *s, struct ident_dossier_code *out)
{
	if (out)
		memset(out, 0, sizeof *out);
	if (!s || !out)
		return IDENT_ARG;
	size_t len = strnlen(s, IDENT_DOSSIER_CODE_MAX + 1);
	if (len > IDENT_DOSSIER_CODE_MAX)
		return IDENT_CODE_FORMAT;
	/* split at the two '-' (the agency has none) */
	const char *d1 = memchr(s, '-', len);
	if (!d1)
		return IDENT_CODE_FORMAT;
	const char *d2 = memchr(d1 + 1, '-', len - (size_t)(d1 + 1 - s));
	if (!d2 || memchr(d2 + 1, '-', len - (size_t)(d2 + 1 - s)))
		return IDENT_CODE_FORMAT;
	const char *date = d1 + 1, *num = d2 + 1;
	size_t alen = (size_t)(d1 - s), dlen = (size_t)(d2 - date);
	size_t nlen = len - (size_t)(num - s);

	char agency[IDENT_AGENCY_MAX + 1];
	if (alen < 1 || alen > IDENT_AGENCY_MAX)
		return IDENT_CODE_AGENCY;
	for (size_t i = 0; i < alen; i++) {
		char c = s[i];
		agency[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	agency[alen] = '\0';
	if (!agency_ok(agency, alen))
		return IDENT_CODE_AGENCY;

	if (dlen != 6)
		return IDENT_CODE_FORMAT;
	for (size_t i = 0; i < 6; i++)
		if (!is_digit(date[i]))
			return IDENT_CODE_FORMAT;
	int yy = digits_value(date, 2), mm = digits_value(date + 2, 2),
	    dd = digits_value(date + 4, 2);
	if (!real_date(yy, mm, dd))
		return IDENT_CODE_DATE;

	if (nlen < 4)
		return nlen == 0 ? IDENT_CODE_FORMAT : IDENT_CODE_SEQ;
	for (size_t i = 0; i < nlen; i++)
		if (!is_digit(num[i]))
			return IDENT_CODE_FORMAT;
	if (nlen > 9 || (nlen > 4 && num[0] == '0'))
		return IDENT_CODE_SEQ;   /* too large, or not the canonical spelling */
	long seq = 0;
	for (size_t i = 0; i < nlen; i++)
		seq = seq * 10 + (num[i] - '0');
	if (seq < 1)
		return IDENT_CODE_SEQ;

	memcpy(out->agency, agency, alen + 1);
	out->yy = yy;
	out->mm = mm;
	out->dd = dd;
	out->seq = seq;
	return IDENT_OK;
}
