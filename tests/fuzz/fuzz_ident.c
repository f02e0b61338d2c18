/* fuzz_ident.c — the three parsers of core/ident.c on the input as a
 * NUL-terminated string, with the properties callers rely on:
 *  - personal ID: accepted iff 12 digits with a known province; then it
 *    agrees with the year and sex it encodes, and masks to its last 4;
 *    the explanation is valid UTF-8 and stays inside its buffer;
 *  - phone: a normalised number is 10 or 11 digits starting with 0 and
 *    normalises to itself, with the same kind; output never passes n;
 *  - dossier code: a parsed code formats back to the canonical string,
 *    which is the input up to letter case and parses to the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/ident.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
dup_n(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static void
check_pid(const char *s, size_t n)
{
	char *why = malloc(n ? n : 1);   /* exactly n bytes: ASan sees overflows */
	if (!why)
		abort();
	int r = ident_pid_check(s, 0, 0, why, n);
	if (n > 0 && (strnlen(why, n) == n || !text_utf8_valid(why, strlen(why))))
		abort();
	int prov = ident_pid_province(s);
	if ((r == IDENT_OK) != (prov >= 0))
		abort();
	if (r != IDENT_OK && r != IDENT_PID_FORMAT && r != IDENT_PID_PROVINCE)
		abort();
	char mask[13];
	const char *m = ident_pid_mask(s, mask, sizeof mask);
	if (r == IDENT_OK) {
		int year = ident_pid_birth_year(s), sex = ident_pid_sex(s);
		if (year < 1900 || year > 2399 || sex < 1 || sex > 2)
			abort();
		if (ident_pid_check(s, year, sex, why, n) != IDENT_OK)
			abort();
		if (ident_pid_check(s, year + 1, sex, NULL, 0) == IDENT_OK)
			abort();
		if (ident_pid_check(s, year, 3 - sex, NULL, 0) != IDENT_PID_CENTURY_SEX)
			abort();
		if (!m || strncmp(m, "********", 8) != 0 || strcmp(m + 8, s + 8) != 0)
			abort();
	}
	free(why);
}

static void
check_phone(const char *s, size_t n)
{
	char canon[IDENT_PHONE_SIZE];
	int r = ident_phone_normalize(s, canon, sizeof canon);
	int kind = ident_phone_kind(s);
	if ((r == IDENT_OK) != (kind != IDENT_PHONE_NONE))
		abort();
	if (r == IDENT_OK) {
		size_t len = strlen(canon);
		if (canon[0] != '0' || len != (kind == IDENT_PHONE_MOBILE ? 10u : 11u))
			abort();
		for (size_t i = 0; i < len; i++)
			if (canon[i] < '0' || canon[i] > '9')
				abort();
		char again[IDENT_PHONE_SIZE];
		if (ident_phone_normalize(canon, again, sizeof again) != IDENT_OK ||
		    strcmp(again, canon) != 0 || ident_phone_kind(canon) != kind ||
		    !ident_phone_same(s, canon))
			abort();
	}
	/* a buffer of exactly n bytes */
	char *out = malloc(n ? n : 1);
	if (!out)
		abort();
	int r2 = ident_phone_normalize(s, out, n);
	if (r == IDENT_OK) {
		if (n > strlen(canon) ? (r2 != IDENT_OK || strcmp(out, canon) != 0)
		    : r2 != IDENT_SPACE)
			abort();
	} else if (r2 != r) {
		abort();
	}
	free(out);
}

static void
check_code(const char *s)
{
	struct ident_dossier_code c, c2;
	if (ident_dossier_code_parse(s, &c) != IDENT_OK)
		return;
	char canon[IDENT_DOSSIER_CODE_SIZE];
	if (ident_dossier_code_format(c.agency, c.yy, c.mm, c.dd, c.seq,
	    canon, sizeof canon) != IDENT_OK)
		abort();
	if (strcasecmp(canon, s) != 0)   /* one spelling per code, up to case */
		abort();
	if (ident_dossier_code_parse(canon, &c2) != IDENT_OK ||
	    strcmp(c.agency, c2.agency) != 0 || c.yy != c2.yy || c.mm != c2.mm ||
	    c.dd != c2.dd || c.seq != c2.seq)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = dup_n(data, size);
	size_t n = size ? (size_t)data[0] % 80 : 0;
	check_pid(s, n);
	check_phone(s, n % 16);
	check_code(s);
	free(s);
	return 0;
}
