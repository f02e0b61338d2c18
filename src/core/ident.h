/*
 * ident.h — identifiers that people type or read back: the 12-digit
 * personal ID (DOMAIN decision 11), Vietnamese phone numbers (DOMAIN
 * section 7) and the dossier code (DOMAIN decision 7).
 *
 * Pure rules: no I/O, no allocation, no locale.  Every function that
 * writes into a caller's buffer writes at most n bytes, always ends it
 * with a NUL when n > 0, and leaves "" there when it fails.  Inputs are
 * expected already trimmed by the caller; none of these functions trims.
 */
#ifndef MOTCUA_IDENT_H
#define MOTCUA_IDENT_H
#include <stddef.h>

/* One enum of results for the whole module; 0 is success.  Values are
 * stable (append only): callers may store or map them. */
enum ident_result {
	IDENT_OK = 0,
	IDENT_ARG,              /* caller error: NULL, sex not 0/1/2, year < 0 */
	IDENT_SPACE,            /* output buffer too small */
	IDENT_PID_FORMAT,       /* not exactly 12 ASCII digits */
	IDENT_PID_PROVINCE,     /* digits 1–3 not a known province code */
	IDENT_PID_CENTURY_SEX,  /* digit 4 disagrees with the birth century or sex */
	IDENT_PID_YEAR,         /* digits 5–6 disagree with the birth year */
	IDENT_PHONE_FORMAT,     /* a character or separator that is not allowed */
	IDENT_PHONE_LENGTH,     /* wrong number of digits */
	IDENT_PHONE_PREFIX,     /* not a Vietnamese mobile or landline prefix */
	IDENT_CODE_FORMAT,      /* dossier code not AGENCY-YYMMDD-NNNN */
	IDENT_CODE_AGENCY,      /* agency part empty, too long or bad characters */
	IDENT_CODE_DATE,        /* YYMMDD is not a real date */
	IDENT_CODE_SEQ          /* sequence < 1, too large, or not canonical */
};

/* A short Vietnamese sentence for any ident_result ("" never: unknown
 * values get a generic sentence).  Static storage. */
const char *ident_strerror(int r);

/* ---- personal ID (số định danh cá nhân, CCCD) -------------------------- */

#define IDENT_PID_LEN 12

/* Checks s against DOMAIN decision 11:
 *  - exactly 12 ASCII digits, nothing else (no spaces, signs, letters);
 *  - digits 1–3: one of the 63 province codes of
 *    shared/data/province-codes.txt;
 *  - digit 4: century and sex: 0 male / 1 female born 1900–1999,
 *    2 male / 3 female born 2000–2099 [V]; 4/5 → 2100–2199, 6/7 →
 *    2200–2299, 8/9 → 2300–2399 continue the same rule [NV]: they are
 *    accepted, and agree only with a birth year in that century;
 *  - digits 5–6: birth year mod 100.
 * birth_year 0 = unknown (the century and year checks are skipped);
 * sex 0 = unknown, 1 = male, 2 = female (0 skips the sex check).
 * There is no check digit; none is invented.
 * Returns an ident_result and writes a Vietnamese explanation into why
 * (n bytes, may be NULL/0; "" on success), e.g. "Mã tỉnh 065 không tồn
 * tại".  The explanation never repeats the typed characters except the
 * digits it names.  Checks run in digit order and report the first
 * failure. */
int ident_pid_check(const char *s, int birth_year, int sex, char *why, size_t n);

/* The province code (1 for "001…") when s is 12 digits with a known
 * province code; -1 otherwise. */
int ident_pid_province(const char *s);

/* The birth year that digits 4–6 encode (1900–2399), or -1 when s is not
 * 12 digits.  Lets a caller refuse a birth year in the future. */
int ident_pid_birth_year(const char *s);

/* 1 male / 2 female from digit 4, or 0 when s is not 12 digits. */
int ident_pid_sex(const char *s);

/* "********4567": the last 4 digits only, for public pages and receipts.
 * s must be 12 digits (the province is not checked, so a stored number
 * always masks); out needs 13 bytes.  Returns out, or NULL (out set to ""
 * when n > 0). */
const char *ident_pid_mask(const char *s, char *out, size_t n);

/* The 63 province codes, ascending (for tests and pickers). */
size_t ident_province_codes(const int **codes);

/* ---- phone numbers ------------------------------------------------------- */

enum ident_phone_kind {
	IDENT_PHONE_NONE = 0,       /* not a valid number */
	IDENT_PHONE_MOBILE = 1,     /* 0 + 3x/5x/7x/8x/9x, 10 digits [V] */
	IDENT_PHONE_LANDLINE = 2    /* 02…, 11 digits [NV] */
};

/* Canonical form: 10 digits for a mobile ("0912345678"), 11 for a
 * landline ("02438251234"), always starting with 0.  Buffer sizes: */
#define IDENT_PHONE_MAX 11
#define IDENT_PHONE_SIZE (IDENT_PHONE_MAX + 1)

/* Normalises a Vietnamese phone number into out (n bytes; 12 always
 * suffice).  Accepted input: ASCII digits with single separators between
 * them (one of ' ' '.' '-', or a parenthesised group such as "(024)" or
 * "+84 (0) 91…"; at most one pair of parentheses); a leading "+84", "84"
 * or "0084" becomes 0, and a 0 right after the country code is dropped
 * ("+84 0912…").  11-digit 01xx mobile numbers are converted by the
 * 2018–2019 table (0169 123 4567 → 0391234567).  Anything else, including
 * leading or trailing spaces, Unicode digits or spaces, and 01xx prefixes
 * that were never allocated, is refused.  Returns IDENT_OK,
 * IDENT_PHONE_FORMAT / _LENGTH / _PREFIX, IDENT_SPACE or IDENT_ARG.
 * Landlines are accepted (DOMAIN marks their format NV): tell them apart
 * with ident_phone_kind. */
int ident_phone_normalize(const char *in, char *out, size_t n);

/* The kind of any input ident_phone_normalize accepts (raw or already
 * canonical); IDENT_PHONE_NONE if it refuses it. */
int ident_phone_kind(const char *in);

/* 1 when a and b both normalise to the same number, 0 otherwise (also
 * when either is invalid).  For the public lookup (dossier code + phone). */
int ident_phone_same(const char *a, const char *b);

/* ---- dossier code -------------------------------------------------------- */

/* <agency>-<YYMMDD>-<NNNN> (DOMAIN decision 7). The agency is 1–32 of
 * [A-Z0-9.], starting and ending with a letter or digit, no "..";
 * YYMMDD is a real date in 2000–2099; the sequence is ≥ 1, written with at
 * least 4 digits (0001) and as many as it needs past 9999 (10000), at most
 * 9 digits.  So a code is at most 32+1+6+1+9 = 49 characters. */
#define IDENT_AGENCY_MAX 32
#define IDENT_SEQ_MAX 999999999L
#define IDENT_DOSSIER_CODE_MAX 49
#define IDENT_DOSSIER_CODE_SIZE (IDENT_DOSSIER_CODE_MAX + 1)

struct ident_dossier_code {
	char agency[IDENT_AGENCY_MAX + 1];   /* upper case */
	int yy, mm, dd;                      /* yy 0–99 means 2000–2099 */
	long seq;
};

/* Writes the canonical code into out (n bytes; IDENT_DOSSIER_CODE_SIZE
 * always suffices).  The agency must already be upper case (it comes from
 * configuration, so a lower-case one is a configuration error and is
 * refused with IDENT_CODE_AGENCY).  Returns an ident_result. */
int ident_dossier_code_format(const char *agency, int yy, int mm, int dd,
    long seq, char *out, size_t n);

/* Parses a code as people type it back: case-insensitive (the agency is
 * stored upper case in out), otherwise exact — no spaces, no signs, and
 * the sequence only in its canonical spelling (exactly 4 digits up to
 * 9999, no leading zero past it: "0001", "10000"; "00001" is refused), so
 * one dossier has one spelling.  Returns an ident_result; out is zeroed
 * on failure. */
int ident_dossier_code_parse(const char *s, struct ident_dossier_code *out);

#endif
