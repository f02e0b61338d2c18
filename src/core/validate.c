/* validate.c — see validate.h. */
#include <string.h>
#include "core/validate.h"

static int
is_code_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

int
validate_agency_code(const char *code)
{
	size_t n = strlen(code);
	if (n < 3 || n > 32)
		return 0;
	/* QCVN 102:2016: NNN.NN.NN.XNN */
	static const int groups[] = {3, 2, 2, 3};
	const char *p = code;
	int ok = 1;
	for (size_t g = 0; g < 4 && ok; g++) {
		for (int i = 0; i < groups[g] && ok; i++, p++)
			if (!is_code_char(*p))
				ok = 0;   /* stop here: never read past the NUL */
		if (ok && g < 3 && *p++ != '.')
			ok = 0;
	}
	if (ok && *p == '\0')
		return 1;
	/* QĐ 20/2020: a letter, digits, then ".digits" groups, e.g. G09.01 */
	p = code;
	if (!(*p >= 'A' && *p <= 'Z'))
		return 0;
	p++;
	int digits = 0;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.' && digits > 0 && p[1] >= '0' && p[1] <= '9')
			digits = 0;
		else
			return 0;
	}
	return digits > 0;
}

int
validate_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7f || strchr("<>\"(),;:[]\\", *p))
			return 0;
	const char *dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0' && at[1] != '.';
}
