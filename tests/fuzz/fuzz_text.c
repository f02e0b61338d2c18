/* fuzz_text.c — text_utf8_valid, text_nfc and text_fold, with the
 * properties the rest of motcua relies on: NFC output is valid UTF-8 and
 * stable under a second NFC; folding ignores normalisation; the fold of a
 * fold is itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int valid = text_utf8_valid(s, size);
	enum err e;
	char *nfc = text_nfc(s, size, &e);
	if (!valid && nfc)
		abort();
	if (nfc) {
		size_t n = strlen(nfc);
		if (e != ERR_OK || !text_utf8_valid(nfc, n))
			abort();
		char *again = text_nfc(nfc, n, &e);
		if (!again || strcmp(again, nfc) != 0)
			abort();
		free(again);
		(void)text_length(nfc, n);
		size_t tl;
		const char *t = text_trim(nfc, n, &tl);
		if (t < nfc || t + tl > nfc + n)
			abort();
		size_t cut = text_utf8_prefix(nfc, n, size / 2);
		if (cut > n || !text_utf8_valid(nfc, cut))
			abort();

		char *f1 = text_fold(nfc);
		char *z = malloc(size + 1);
		if (!z)
			abort();
		memcpy(z, s, size);
		z[size] = '\0';
		char *f0 = text_fold(z);   /* s has no NUL: it is valid */
		if (!f1 || !f0 || strcmp(f0, f1) != 0)
			abort();
		if (!text_utf8_valid(f1, strlen(f1)))
			abort();
		char *ff = text_fold(f1);
		if (!ff || strcmp(ff, f1) != 0)
			abort();
		free(ff);
		free(f0);
		free(f1);
		free(z);
		free(nfc);
	} else if (valid && e != ERR_BAD_UTF8 && e != ERR_NOMEM) {
		abort();
	}
	return 0;
}
