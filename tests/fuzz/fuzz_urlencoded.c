/* fuzz_urlencoded.c — form_parse_urlencoded on arbitrary bytes; every
 * field that comes out must be NFC-clean UTF-8, and an error must leave
 * the form as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/text.h"
#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form f = FORM_INIT;
	/* one field already there, as when a body follows a query string */
	if (form_parse_urlencoded(&f, "q=1", 3, 64) != ERR_OK)
		abort();
	enum err e = form_parse_urlencoded(&f, (const char *)data, size, 64);
	if (e != ERR_OK && f.n != 1)
		abort();
	if (f.n > 64)
		abort();
	for (size_t i = 0; i < f.n; i++) {
		const struct form_field *fl = &f.v[i];
		if (!text_utf8_valid(fl->name, strlen(fl->name)) ||
		    !text_utf8_valid(fl->value, fl->value_len) ||
		    strlen(fl->value) != fl->value_len || fl->filename ||
		    fl->content_type)
			abort();
		if (!form_get(&f, fl->name) || form_count(&f, fl->name) == 0)
			abort();
	}
	form_free(&f);
	return 0;
}
