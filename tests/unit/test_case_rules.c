/*
 * test_case_rules.c — the case types' time limits (core/case_rules.c)
 * against the articles they cite: calendar days vs working days, the
 * longer limits of complex cases and remote areas, the extensions of a
 * denunciation, a limit across Tết, and that no figure lacks its
 * citation.  Calendar: the built-in rules (Tết Bính Ngọ: Mon 16/02 – Fri
 * 20/02/2026 off).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/calendar.h"
#include "core/case_rules.h"
#include "core/roles.h"
#include "core/vntime.h"

static struct cal CAL;

static int
setup(void **state)
{
	(void)state;
	/* the built-in rules (DOMAIN decision 3): Tết 2026 Mon 16 – Fri 20/02 off */
	struct cal_config cfg = {0};
	return cal_build(&CAL, 2025, 3, &cfg);
}

static cal_day
D(int y, int m, int d)
{
	return cal_day_from_ymd(y, m, d);
}

static cal_day
due_day(enum case_kind k, enum case_stage s, cal_day from, int remote, int longer, int ext)
{
	cal_day out = 0;
	assert_int_equal(case_due_day(case_limit_at(k, s), &CAL, from, remote, longer, ext, 10, &out), 0);
	return out;
}

/* Every limit cites an article ("Điều N") or says plainly that the law
 * has no figure and the agency sets it; its figures are positive. */
static void
test_citations(void **state)
{
	(void)state;
	int n;
	case_limit_all(0, &n);
	assert_true(n >= 12);
	for (int i = 0; i < n; i++) {
		const struct case_limit *l = case_limit_all(i, &n);
		assert_non_null(l);
		assert_non_null(l->cite);
		assert_true(strlen(l->cite) > 10);
		assert_non_null(l->what);
		assert_true(l->stages != 0);
		if (l->agency_set) {
			assert_int_equal(l->days, 0);
			assert_non_null(strstr(l->cite, "Không có thời hạn luật định"));
		} else {
			assert_non_null(strstr(l->cite, "Điều "));
			assert_true(l->days > 0);
		}
	}
	for (int k = 0; k < CASE_NKINDS; k++) {
		const struct case_type *t = case_type_of((enum case_kind)k);
		assert_non_null(t->cite);
		assert_true(strlen(t->cite) > 5);
		assert_ptr_equal(case_type_by_code(t->code), t);
	}
}

/* Complaints Law 2011 art. 27 + TT 07/2013 art. 5(1): acceptance within
 * 10 working days of receipt.  Received Thu 03/12/2026: the weekends of
 * 5–6 and 12–13 are skipped → Thu 17/12/2026. */
static void
test_complaint_acceptance(void **state)
{
	(void)state;
	const struct case_limit *l = case_limit_at(CASE_COMPLAINT_1, CASE_ST_RECEIVED);
	assert_int_equal(l->unit, CASE_WORKING_DAYS);
	assert_int_equal(l->days, 10);
	assert_non_null(strstr(l->cite, "Điều 27"));
	assert_int_equal(due_day(CASE_COMPLAINT_1, CASE_ST_RECEIVED, D(2026, 12, 3), 0, 0, 0), D(2026, 12, 17));
	const struct case_limit *l2 = case_limit_at(CASE_COMPLAINT_2, CASE_ST_RECEIVED);
	assert_non_null(strstr(l2->cite, "Điều 36"));
	assert_int_equal(l2->days, 10);
}

/* Art. 28: first instance ≤ 30 days from acceptance, complex ≤ 45; remote
 * 45, complex remote 60.  Calendar days; a last day off moves to the next
 * working day (Civil Code art. 148(5)). */
static void
test_complaint_first_instance(void **state)
{
	(void)state;
	const struct case_limit *l = case_limit_at(CASE_COMPLAINT_1, CASE_ST_VERIFYING);
	assert_non_null(strstr(l->cite, "Điều 28"));
	assert_int_equal(l->unit, CASE_DAYS);
	assert_int_equal(l->days, 30);
	assert_int_equal(l->complex_days, 45);
	assert_int_equal(l->days_remote, 45);
	assert_int_equal(l->complex_days_remote, 60);
	assert_ptr_equal(case_limit_at(CASE_COMPLAINT_1, CASE_ST_ACCEPTED), l);
	assert_ptr_equal(case_limit_at(CASE_COMPLAINT_1, CASE_ST_DIALOGUE), l);
	/* accepted Tue 01/09/2026 (a holiday, no matter: the event's day is not
	 * counted): +30 = Thu 01/10/2026, a working day */
	assert_int_equal(due_day(CASE_COMPLAINT_1, CASE_ST_ACCEPTED, D(2026, 9, 1), 0, 0, 0), D(2026, 10, 1));
	/* accepted Fri 02/10/2026: +30 = Sun 01/11 → Mon 02/11 */
	assert_int_equal(due_day(CASE_COMPLAINT_1, CASE_ST_ACCEPTED, D(2026, 10, 2), 0, 0, 0), D(2026, 11, 2));
	/* complex: 45 days; remote: 45; remote complex: 60 */
	assert_int_equal(due_day(CASE_COMPLAINT_1, CASE_ST_ACCEPTED, D(2026, 9, 1), 0, 1, 0), D(2026, 10, 16));
	assert_int_equal(due_day(CASE_COMPLAINT_1, CASE_ST_ACCEPTED, D(2026, 9, 1), 1, 0, 0), D(2026, 10, 16));
	/* 01/09 + 60 = Sat 31/10 → Mon 02/11 */
	assert_int_equal(due_day(CASE_COMPLAINT_1, CASE_ST_ACCEPTED, D(2026, 9, 1), 1, 1, 0), D(2026, 11, 2));
	/* Art. 32: the decision is sent within 3 working days */
	const struct case_limit *s = case_limit_at(CASE_COMPLAINT_1, CASE_ST_DECIDED);
	assert_non_null(strstr(s->cite, "Điều 32"));
	assert_int_equal(s->unit, CASE_WORKING_DAYS);
	assert_int_equal(s->days, 3);
}

/* Art. 37: second instance ≤ 45 days, complex 60; remote 60, complex 70. */
static void
test_complaint_second_instance(void **state)
{
	(void)state;
	const struct case_limit *l = case_limit_at(CASE_COMPLAINT_2, CASE_ST_ACCEPTED);
	assert_non_null(strstr(l->cite, "Điều 37"));
	assert_int_equal(l->days, 45);
	assert_int_equal(l->complex_days, 60);
	assert_int_equal(l->days_remote, 60);
	assert_int_equal(l->complex_days_remote, 70);
	assert_int_equal(due_day(CASE_COMPLAINT_2, CASE_ST_ACCEPTED, D(2026, 3, 2), 1, 1, 0), D(2026, 5, 11));
	const struct case_limit *s = case_limit_at(CASE_COMPLAINT_2, CASE_ST_DECIDED);
	assert_non_null(strstr(s->cite, "Điều 41"));
	assert_int_equal(s->days, 7);
}

/* Denunciations Law 2018 art. 24(1): 7 working days to register, classify
 * and check; up to 10 when checks at many places are needed.  Art. 30: 30
 * days from acceptance; extended once (complex) or twice (very complex),
 * each ≤ 30 days.  Art. 35(3): the conclusion is sent within 5 working days. */
static void
test_denunciation(void **state)
{
	(void)state;
	const struct case_limit *in = case_limit_at(CASE_DENUNCIATION, CASE_ST_RECEIVED);
	assert_non_null(strstr(in->cite, "Điều 24"));
	assert_int_equal(in->unit, CASE_WORKING_DAYS);
	assert_int_equal(in->days, 7);
	assert_int_equal(in->complex_days, 10);
	/* received Thu 03/12/2026: 7 working days → Mon 14/12; 10 → Thu 17/12 */
	assert_int_equal(due_day(CASE_DENUNCIATION, CASE_ST_RECEIVED, D(2026, 12, 3), 0, 0, 0), D(2026, 12, 14));
	assert_int_equal(due_day(CASE_DENUNCIATION, CASE_ST_RECEIVED, D(2026, 12, 3), 0, 1, 0), D(2026, 12, 17));
	const struct case_limit *r = case_limit_at(CASE_DENUNCIATION, CASE_ST_VERIFYING);
	assert_non_null(strstr(r->cite, "Điều 30"));
	assert_int_equal(r->days, 30);
	assert_int_equal(r->ext_days, 30);
	assert_int_equal(r->ext_max, 2);
	/* accepted Mon 02/11/2026: +30 = Wed 02/12; one extension +60 = Fri 01/01/2027
	 * (New Year's Day off) → Mon 04/01/2027; two: +90 = Sun 31/01/2027 → Mon 01/02 */
	assert_int_equal(due_day(CASE_DENUNCIATION, CASE_ST_ACCEPTED, D(2026, 11, 2), 0, 0, 0), D(2026, 12, 2));
	assert_int_equal(due_day(CASE_DENUNCIATION, CASE_ST_ACCEPTED, D(2026, 11, 2), 0, 0, 1), D(2027, 1, 4));
	assert_int_equal(due_day(CASE_DENUNCIATION, CASE_ST_ACCEPTED, D(2026, 11, 2), 0, 0, 2), D(2027, 2, 1));
	/* a third extension never adds: the law's maximum */
	assert_int_equal(due_day(CASE_DENUNCIATION, CASE_ST_ACCEPTED, D(2026, 11, 2), 0, 0, 3), D(2027, 2, 1));
	struct case_clock ck = {.accepted_at = 1, .extensions = 0};
	assert_int_equal(case_extension(CASE_DENUNCIATION, CASE_ST_VERIFYING, &ck, 1), CASE_EXT_ADD);
	ck.extensions = 1;
	/* a second extension only for a very complex case */
	assert_int_equal(case_extension(CASE_DENUNCIATION, CASE_ST_VERIFYING, &ck, 1), CASE_EXT_NO);
	assert_int_equal(case_extension(CASE_DENUNCIATION, CASE_ST_VERIFYING, &ck, 2), CASE_EXT_ADD);
	ck.extensions = 2;
	assert_int_equal(case_extension(CASE_DENUNCIATION, CASE_ST_VERIFYING, &ck, 2), CASE_EXT_NO);
	/* intake: once to 10 working days */
	struct case_clock ci = {.received_at = 1};
	assert_int_equal(case_extension(CASE_DENUNCIATION, CASE_ST_RECEIVED, &ci, 1), CASE_EXT_LONGER);
	ci.intake_ext = 1;
	assert_int_equal(case_extension(CASE_DENUNCIATION, CASE_ST_RECEIVED, &ci, 1), CASE_EXT_NO);
	/* complaints: the longer limit once; acceptance never */
	struct case_clock kc = {.accepted_at = 1};
	assert_int_equal(case_extension(CASE_COMPLAINT_1, CASE_ST_VERIFYING, &kc, 1), CASE_EXT_LONGER);
	kc.complexity = 1;
	assert_int_equal(case_extension(CASE_COMPLAINT_1, CASE_ST_VERIFYING, &kc, 1), CASE_EXT_NO);
	assert_int_equal(case_extension(CASE_COMPLAINT_1, CASE_ST_RECEIVED, &kc, 1), CASE_EXT_NO);
	const struct case_limit *s = case_limit_at(CASE_DENUNCIATION, CASE_ST_DECIDED);
	assert_non_null(strstr(s->cite, "Điều 35"));
	assert_int_equal(s->days, 5);
}

/* Across Tết 2026 (off Sat 14/02 – Sun 22/02 by the built-in rules):
 * working days skip the whole holiday; a calendar-day limit ending in it
 * moves to the first working day after it. */
static void
test_across_tet(void **state)
{
	(void)state;
	/* a denunciation received Wed 11/02/2026: 7 working days = Thu 12, Fri 13,
	 * Mon 23, Tue 24, Wed 25, Thu 26, Fri 27/02 */
	assert_int_equal(cal_is_working(&CAL, D(2026, 2, 17)), 0);
	assert_int_equal(due_day(CASE_DENUNCIATION, CASE_ST_RECEIVED, D(2026, 2, 11), 0, 0, 0), D(2026, 2, 27));
	/* a complaint accepted Sun 18/01/2026: +30 = Tue 17/02 (Tết) → Mon 23/02 */
	assert_int_equal(due_day(CASE_COMPLAINT_1, CASE_ST_ACCEPTED, D(2026, 1, 18), 0, 0, 0), D(2026, 2, 23));
	/* the instant: 24:00 of the last day, UTC+7 */
	struct case_clock k = {.received_at = vn_instant(D(2026, 2, 11), 9 * 60)};
	int64_t due;
	assert_int_equal(case_due(case_limit_at(CASE_DENUNCIATION, CASE_ST_RECEIVED), &CAL, &k, &due), 0);
	assert_int_equal(due, vn_instant(D(2026, 2, 28), 0));
	/* nothing before its start */
	struct case_clock none = {0};
	assert_int_equal(case_due(case_limit_at(CASE_COMPLAINT_1, CASE_ST_ACCEPTED), &CAL, &none, &due), 0);
	assert_int_equal(due, 0);
}

/* Decree 20/2008 art. 9(1)(d): a petition on regulations outside the
 * commune's power is forwarded within 5 working days. Feedback and
 * suggestions have no legal figure: the agency's own target. */
static void
test_petitions(void **state)
{
	(void)state;
	const struct case_limit *l = case_limit_at(CASE_PETITION_REG, CASE_ST_RECEIVED);
	assert_non_null(strstr(l->cite, "Điều 9"));
	assert_int_equal(l->days, 5);
	assert_int_equal(due_day(CASE_PETITION_REG, CASE_ST_RECEIVED, D(2026, 12, 3), 0, 0, 0), D(2026, 12, 10));
	const struct case_limit *f = case_limit_at(CASE_FEEDBACK, CASE_ST_RECEIVED);
	assert_int_equal(f->agency_set, 1);
	cal_day out;
	assert_int_equal(case_due_day(f, &CAL, D(2026, 12, 3), 0, 0, 0, 10, &out), 0);
	assert_int_equal(out, D(2026, 12, 17));
	assert_int_equal(case_due_day(f, &CAL, D(2026, 12, 3), 0, 0, 0, 0, &out), -1);
}

/* The steps: who may do what at which stage. */
static void
test_steps(void **state)
{
	(void)state;
	enum case_stage to;
	assert_int_equal(case_step(CASE_COMPLAINT_1, CASE_ST_RECEIVED, CASE_A_ACCEPT, ROLE_LEADER, &to), 0);
	assert_int_equal(to, CASE_ST_ACCEPTED);
	assert_int_equal(case_step(CASE_COMPLAINT_1, CASE_ST_RECEIVED, CASE_A_ACCEPT, ROLE_CLERK, &to), -2);
	assert_int_equal(case_step(CASE_COMPLAINT_1, CASE_ST_RECEIVED, CASE_A_DECIDE, ROLE_LEADER, &to), -1);
	assert_int_equal(case_step(CASE_DENUNCIATION, CASE_ST_VERIFYING, CASE_A_DIALOGUE, ROLE_LEADER, &to), -1);
	assert_int_equal(case_step(CASE_COMPLAINT_1, CASE_ST_VERIFYING, CASE_A_DIALOGUE, ROLE_OFFICER, &to), 0);
	assert_int_equal(to, CASE_ST_DIALOGUE);
	assert_int_equal(case_step(CASE_FEEDBACK, CASE_ST_RECEIVED, CASE_A_DECIDE, ROLE_OFFICER, &to), 0);
	assert_int_equal(case_step(CASE_COMPLAINT_1, CASE_ST_CLOSED, CASE_A_WITHDRAW, ROLE_LEADER, &to), -1);
	assert_int_equal(case_step(CASE_COMPLAINT_1, CASE_ST_RECEIVED, CASE_A_NOTE, ROLE_VIEWER, &to), -2);
	assert_int_equal(case_step(CASE_COMPLAINT_1, CASE_ST_RECEIVED, CASE_A_NOTE, ROLE_ADMIN, &to), -2);
	for (int s = 0; s < CASE_NSTAGES; s++) {
		enum case_stage back;
		assert_int_equal(case_stage_from_code(case_stage_code((enum case_stage)s), &back), 0);
		assert_int_equal(back, s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_citations),         cmocka_unit_test(test_complaint_acceptance),
	    cmocka_unit_test(test_complaint_first_instance), cmocka_unit_test(test_complaint_second_instance),
	    cmocka_unit_test(test_denunciation),      cmocka_unit_test(test_across_tet),
	    cmocka_unit_test(test_petitions),         cmocka_unit_test(test_steps),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
