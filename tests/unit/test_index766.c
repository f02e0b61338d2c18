/*
 * test_index766.c — the Decision 766 indicator table, its scores and the
 * index's own on-time rule (REFORM.md §1) over hand-made dossiers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/index766.h"

#define DAY 86400

static void
table_sums_and_targets(void **state)
{
	(void)state;
	double sum[6] = {0};
	for (size_t i = 0; i < i766_nindicators; i++) {
		const struct i766_indicator *in = &i766_indicators[i];
		assert_true(in->group >= 1 && in->group <= 5);
		assert_true(in->target > 0 && in->target <= 1);
		sum[in->group] += in->max;
		assert_ptr_equal(i766_find(in->id), in);
	}
	for (int g = 1; g <= 5; g++)
		assert_true(sum[g] <= i766_groups[g - 1].max);
	assert_true(sum[2] == 20);   /* 2.1 is the whole group */
	assert_null(i766_find("9.9"));
	assert_int_equal(i766_find("1.1")->how, I766_NATIONAL);
	assert_int_equal(i766_find("4.5")->how, I766_NATIONAL);
	assert_int_equal(i766_find("2.1")->how, I766_COMPUTED);
}

static void
scores(void **state)
{
	(void)state;
	double r;
	int def;
	/* 3.3: target 50 %: 30 of 100 online = 6 × 0.3/0.5 = 3.6 */
	assert_true(i766_score(i766_find("3.3"), 30, 100, &r, &def) == 3.6);
	assert_true(def && r == 0.3);
	/* above the target: capped at the maximum */
	assert_true(i766_score(i766_find("3.3"), 70, 100, &r, &def) == 6);
	/* 2.1: 2 of 3 → 13.33 (2 decimals) */
	assert_true(i766_score(i766_find("2.1"), 2, 3, &r, &def) == 13.33);
	/* no denominator: 5.2/5.3 full points, others undefined */
	assert_true(i766_score(i766_find("5.2"), 0, 0, &r, &def) == 6);
	assert_true(def);
	assert_true(i766_score(i766_find("5.3"), 0, 0, &r, &def) == 6);
	assert_true(i766_score(i766_find("3.6"), 0, 0, &r, &def) == 0);
	assert_false(def);
	/* 5.4: 100 % − 5 % bad = 95 % ≥ 90 % → full; 20 % bad → 6 × 0.8/0.9 = 5.33 */
	assert_true(i766_score(i766_find("5.4"), 5, 100, &r, &def) == 6);
	assert_true(i766_score(i766_find("5.4"), 20, 100, &r, &def) == 5.33);
}

static const int64_t R = 1800000000;  /* received */

static void
on_time_rule(void **state)
{
	(void)state;
	struct i766_dossier d = {.received_at = R, .appointment = R + 5 * DAY};
	/* finished on the appointment: on time; a second later: late */
	d.ended_at = R + 5 * DAY;
	assert_true(i766_on_time(&d, R + 30 * DAY));
	d.ended_at = R + 5 * DAY + 1;
	assert_false(i766_on_time(&d, R + 30 * DAY));
	/* one supplement of two days: its time is subtracted → on time */
	d.ended_at = R + 7 * DAY;
	d.nsupplements = 1;
	d.supplement_secs = 2 * DAY;
	assert_true(i766_on_time(&d, R + 30 * DAY));
	/* … but only the supplement time: a day more is late */
	d.ended_at = R + 8 * DAY;
	assert_false(i766_on_time(&d, R + 30 * DAY));
	/* two supplement requests: late, however early it ended */
	d.ended_at = R + DAY;
	d.nsupplements = 2;
	d.supplement_secs = 0;
	assert_false(i766_on_time(&d, R + 30 * DAY));
	/* pending: judged at the period's end */
	struct i766_dossier p = {.received_at = R, .appointment = R + 5 * DAY};
	assert_true(i766_on_time(&p, R + 4 * DAY));
	assert_false(i766_on_time(&p, R + 6 * DAY));
	/* pending and waiting on the applicant since day 3: the wait is
	 * subtracted up to the judgement instant */
	p.nsupplements = 1;
	p.waiting_since = R + 3 * DAY;
	assert_true(i766_on_time(&p, R + 20 * DAY));
	/* a closed supplement of one day and still pending at day 6 */
	p.waiting_since = 0;
	p.supplement_secs = DAY;
	assert_true(i766_on_time(&p, R + 6 * DAY));
	assert_false(i766_on_time(&p, R + 6 * DAY + 1));
	/* never received: never on time */
	struct i766_dossier n = {0};
	assert_false(i766_on_time(&n, R));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_sums_and_targets),
		cmocka_unit_test(scores),
		cmocka_unit_test(on_time_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
