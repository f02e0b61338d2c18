/* fuzz_cookie.c — form_cookie: first line of the input is the cookie
 * name, the rest the Cookie header.  A value found must fit and hold only
 * cookie-octets. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char *nl = strchr(s, '\n');
	const char *name = "sid", *header = s;
	if (nl) {
		*nl = '\0';
		name = s;
		header = nl + 1;
	}
	static const size_t sizes[] = {1, 8, 64, 4096};
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		char *out = malloc(sizes[k]);
		if (!out)
			break;
		if (form_cookie(header, name, out, sizes[k]) == 0) {
			size_t n = strnlen(out, sizes[k]);
			if (n >= sizes[k])
				abort();
			for (size_t i = 0; i < n; i++) {
				unsigned char c = (unsigned char)out[i];
				if (c < 0x21 || c > 0x7E || c == '"' || c == ',' ||
				    c == ';' || c == '\\')
					abort();
			}
		}
		free(out);
	}
	form_cookie(NULL, name, s, size + 1);
	free(s);
	return 0;
}
