/*
 * test_tar.c — ustar headers as GNU tar reads them: fields, checksum,
 * long names split into prefix, base-256 sizes, unsafe names refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/tar.h"

static unsigned
sum_as_spaces(const unsigned char *h)
{
	unsigned s = 0;
	for (int i = 0; i < TAR_BLOCK; i++)
		s += (i >= 148 && i < 156) ? ' ' : h[i];
	return s;
}

static void
test_fields(void **state)
{
	(void)state;
	unsigned char h[TAR_BLOCK];
	assert_int_equal(tar_header(h, "files/ab/abcdef", 1234, 0640, 1700000000), 0);
	assert_string_equal((char *)h, "files/ab/abcdef");
	assert_string_equal((char *)h + 100, "0000640");
	assert_string_equal((char *)h + 124, "00000002322");        /* 1234 in octal */
	assert_string_equal((char *)h + 136, "14524770400");        /* 1700000000 */
	assert_int_equal(h[156], '0');
	assert_memory_equal(h + 257, "ustar\0" "00", 8);
	assert_string_equal((char *)h + 265, "motcua");
	assert_int_equal(strtoul((char *)h + 148, NULL, 8), sum_as_spaces(h));
	assert_int_equal(h[148 + 6], '\0');
	assert_int_equal(h[148 + 7], ' ');
}

static void
test_long_names(void **state)
{
	(void)state;
	unsigned char h[TAR_BLOCK];
	char name[300];
	/* 120 bytes: prefix "dir…" + name of 60 */
	snprintf(name, sizeof name, "%0*d/%0*d", 59, 0, 60, 1);
	assert_int_equal(tar_header(h, name, 1, 0600, 0), 0);
	assert_int_equal(strlen((char *)h + 345), 59);
	assert_int_equal(strnlen((char *)h, 100), 60);
	/* a last component over 100 bytes cannot be split */
	snprintf(name, sizeof name, "a/%0*d", 101, 0);
	assert_int_equal(tar_header(h, name, 1, 0600, 0), -1);
	/* over 255 bytes in all */
	memset(name, 'a', 256);
	name[128] = '/';
	name[256] = 0;
	assert_int_equal(tar_header(h, name, 1, 0600, 0), -1);
}

static void
test_unsafe_names(void **state)
{
	(void)state;
	unsigned char h[TAR_BLOCK];
	const char *bad[] = {"", "/etc/passwd", "../x", "a/../b", "a/./b", "a//b", "a/", "a\nb", "a/..", "."};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (tar_header(h, bad[i], 1, 0600, 0) != -1)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(tar_header(h, "motcua.db", 1, 0600, 0), 0);
	assert_int_equal(tar_header(h, "a..b/.c", 1, 0600, 0), 0);
}

static void
test_sizes(void **state)
{
	(void)state;
	unsigned char h[TAR_BLOCK];
	assert_int_equal(tar_header(h, "x", 077777777777ULL, 0600, 0), 0);
	assert_string_equal((char *)h + 124, "77777777777");
	/* 8 GiB needs base-256 */
	assert_int_equal(tar_header(h, "x", 1ULL << 33, 0600, 0), 0);
	assert_int_equal(h[124], 0x80);
	assert_int_equal(h[124 + 7], 0x02);
	assert_int_equal(h[124 + 11], 0);
	assert_int_equal(strtoul((char *)h + 148, NULL, 8), sum_as_spaces(h));
	assert_int_equal(tar_padding(0), 0);
	assert_int_equal(tar_padding(1), 511);
	assert_int_equal(tar_padding(512), 0);
	assert_int_equal(tar_padding(513), 511);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_unsafe_names),
		cmocka_unit_test(test_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
