/*
 * test_sniff.c — the one content sniffer (src/core/sniff.c): each type by
 * its first bytes, the boundaries (one byte short of a signature), and
 * files dressed as something they are not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include "core/sniff.h"

static const unsigned char PNG1x1[] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
	0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde};

static void
test_each_type(void **state)
{
	(void)state;
	assert_string_equal(sniff_mime("%PDF-1.7\n", 9), "application/pdf");
	assert_string_equal(sniff_mime("\xFF\xD8\xFF\xE0", 4), "image/jpeg");
	assert_string_equal(sniff_mime(PNG1x1, sizeof PNG1x1), "image/png");
	assert_string_equal(sniff_mime("RIFF\x24\0\0\0WEBPVP8 ", 16), "image/webp");
	assert_string_equal(sniff_mime("RIFF\x24\0\0\0WEBPVP8L", 16), "image/webp");
	assert_string_equal(sniff_mime("RIFF\x24\0\0\0WEBPVP8X", 16), "image/webp");
}

static void
test_boundaries(void **state)
{
	(void)state;
	/* one byte short of each signature is nothing */
	assert_null(sniff_mime("%PDF", 4));
	assert_null(sniff_mime("\xFF\xD8\xFF", 3));
	assert_null(sniff_mime(PNG1x1, 15));
	assert_null(sniff_mime("RIFF\x24\0\0\0WEBPVP8 ", 15));
	assert_null(sniff_mime(NULL, 10));
	assert_null(sniff_mime("", 0));
}

static void
test_disguises(void **state)
{
	(void)state;
	/* HTML behind a PNG signature (no IHDR) */
	const char fake[] = "\x89PNG\r\n\x1a\n<html><body>hi</body></html>";
	assert_null(sniff_mime(fake, sizeof fake - 1));
	/* a RIFF that is a WAV, not a WebP */
	assert_null(sniff_mime("RIFF\x24\0\0\0WAVEfmt ", 16));
	/* text, script, an executable */
	assert_null(sniff_mime("<script>alert(1)</script>", 25));
	assert_null(sniff_mime("\x7f" "ELF\2\1\1\0\0\0\0\0\0\0\0\0", 16));
	/* "%PDF-" later in the file does not count */
	assert_null(sniff_mime(" %PDF-1.4", 9));
}

static void
test_ext(void **state)
{
	(void)state;
	assert_string_equal(sniff_ext("application/pdf"), "pdf");
	assert_string_equal(sniff_ext("image/jpeg"), "jpg");
	assert_string_equal(sniff_ext("image/png"), "png");
	assert_string_equal(sniff_ext("image/webp"), "webp");
	assert_null(sniff_ext("text/html"));
	assert_null(sniff_ext(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_type),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_disguises),
		cmocka_unit_test(test_ext),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
