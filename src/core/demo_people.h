/*
 * demo_people.h — made-up but realistic Vietnamese people for `motcua
 * demo` (issue #15 item 5): a deterministic random stream, full names
 * drawn from the real surname distribution with middle and given names
 * by sex, personal ID numbers that pass ident_pid_check, and mobile
 * numbers with prefixes carriers really use.  Pure: no I/O, no clock.
 */
#ifndef MOTCUA_DEMO_PEOPLE_H
#define MOTCUA_DEMO_PEOPLE_H
#include <stddef.h>
#include <stdint.h>

/* splitmix64: one 64-bit state, the same stream for the same seed on
 * every machine (no libc rand, whose sequence differs between libcs). */
struct demo_rng {
	uint64_t s;
};
void demo_rng_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(struct demo_rng *r);
/* Uniform in [0, n) (n > 0). */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n);
/* Uniform in [0, 1). */
double demo_rng_unit(struct demo_rng *r);
/* An index into weights[0..n) drawn with those (non-negative) weights. */
size_t demo_rng_pick(struct demo_rng *r, const double *weights, size_t n);

/* One person.  name is NFC UTF-8 "Họ Đệm Tên". */
struct demo_person {
	char name[96];
	int male;                 /* 1 male, 0 female */
	int birth_year, birth_month, birth_day;
	char id_number[13];       /* 12 digits (core/ident.h rules) */
	char phone[11];           /* 10-digit mobile */
};
/* A person of age [min_age, max_age] in year `year`. */
void demo_person(struct demo_rng *r, int year, int min_age, int max_age, struct demo_person *out);

/* The surname table (for tests): n entries with their shares in %. */
size_t demo_surnames(const char *const **names, const double **shares);

#endif
