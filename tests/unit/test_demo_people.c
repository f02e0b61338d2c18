/*
 * test_demo_people.c — core/demo_people.c: the seeded stream is the same
 * for the same seed and differs for another; 100 000 made-up people
 * follow the surname shares (Nguyễn ≈ 38 %, Trần ≈ 11 %), split by sex,
 * and every ID number and phone passes the desk's own checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/demo_people.h"
#include "core/ident.h"

static void
stream_is_seeded(void **state)
{
	(void)state;
	struct demo_rng a, b, c;
	demo_rng_seed(&a, 42);
	demo_rng_seed(&b, 42);
	demo_rng_seed(&c, 43);
	int differ = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = demo_rng_next(&a);
		assert_true(x == demo_rng_next(&b));
		differ += x != demo_rng_next(&c);
	}
	assert_true(differ > 990);
	/* below n stays below n, and reaches both ends */
	int lo = 0, hi = 0;
	for (int i = 0; i < 10000; i++) {
		uint32_t v = demo_rng_below(&a, 7);
		assert_true(v < 7);
		lo += v == 0;
		hi += v == 6;
	}
	assert_true(lo > 1000 && hi > 1000);
}

static void
people_follow_the_shares(void **state)
{
	(void)state;
	struct demo_rng r;
	demo_rng_seed(&r, 7);
	enum { N = 100000 };
	int nguyen = 0, tran = 0, male = 0, thi = 0;
	for (int i = 0; i < N; i++) {
		struct demo_person p;
		demo_person(&r, 2026, 18, 80, &p);
		nguyen += strncmp(p.name, "Nguyễn ", strlen("Nguyễn ")) == 0;
		tran += strncmp(p.name, "Trần ", strlen("Trần ")) == 0;
		male += p.male;
		thi += strstr(p.name, " Thị ") != NULL && p.male;   /* "Thị" is a woman's middle name */
		assert_true(p.birth_year >= 2026 - 80 && p.birth_year <= 2026 - 18);
		char why[200];
		if (ident_pid_check(p.id_number, p.birth_year, p.male ? 1 : 2, why, sizeof why) != IDENT_OK)
			fail_msg("%s (%d, %s): %s", p.id_number, p.birth_year, p.male ? "nam" : "nữ", why);
		assert_int_equal(ident_phone_kind(p.phone), IDENT_PHONE_MOBILE);
	}
	assert_in_range(nguyen, N * 36 / 100, N * 40 / 100);
	assert_in_range(tran, N * 10 / 100, N * 12 / 100);
	assert_in_range(male, N * 48 / 100, N * 52 / 100);
	assert_int_equal(thi, 0);
	const char *const *names;
	const double *shares;
	size_t n = demo_surnames(&names, &shares);
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += shares[i];
	assert_true(total > 99.0 && total < 101.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stream_is_seeded),
		cmocka_unit_test(people_follow_the_shares),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
