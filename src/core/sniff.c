/*
 * sniff.c — see sniff.h.
 */
#include <string.h>
#include "core/sniff.h"

const char *
sniff_mime(const void *data, size_t n)
{
	const unsigned char *p = data;
	if (!p)
		return NULL;
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "image/jpeg";
	if (n >= 16 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(p + 12, "IHDR", 4) == 0)
		return "image/png";
	if (n >= 16 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBPVP8", 7) == 0)
		return "image/webp";
	return NULL;
}

const char *
sniff_ext(const char *mime)
{
	static const struct {
		const char *mime, *ext;
	} map[] = {
		{"application/pdf", "pdf"},
		{"image/jpeg", "jpg"},
		{"image/png", "png"},
		{"image/webp", "webp"},
	};
	for (size_t i = 0; mime && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(mime, map[i].mime) == 0)
			return map[i].ext;
	return NULL;
}
