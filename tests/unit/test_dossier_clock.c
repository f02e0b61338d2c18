/*
 * test_dossier_clock.c — the dossier's legal clock as a pure function
 * (core/dossier_clock.c): start, pause, resume, stop and a hand-over's
 * budget, on the 2026–2027 calendar built by rule (DOMAIN decisions 4–6).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/deadline.h"
#include "core/dossier_clock.h"

static const struct cal_hours H = CAL_HOURS_DEFAULT;
static struct cal *C;

static int64_t
T(const char *s)
{
	int64_t t;
	if (vn_parse_rfc3339(s, &t) != 0)
		fail_msg("cannot parse %s", s);
	return t;
}

static void
expect_instant(int64_t got, const char *want)
{
	char b[VN_RFC3339_MAX];
	vn_fmt_rfc3339(got, b, sizeof b);
	if (strcmp(b, want) != 0)
		fail_msg("got %s, want %s", b, want);
}

static int
setup(void **state)
{
	(void)state;
	C = malloc(sizeof *C);
	assert_non_null(C);
	return cal_build(C, 2026, 2, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	free(C);
	return 0;
}

/* Start: the limit counted from the receipt; a receipt after the 15:00
 * cut-off counts from the next working day. */
static void
test_start(void **state)
{
	(void)state;
	struct dclock c = {0};
	struct dclock_limit l = {3, 0, DL_CUTOFF_DEFAULT};
	/* Monday 2026-11-30 10:00 + 3 working days → Thursday 17:00 */
	assert_int_equal(dclock_apply(C, &H, &c, DFSM_CLOCK_START, T("2026-11-30T10:00:00+07:00"), &l), DL_OK);
	expect_instant(c.due, "2026-12-03T17:00:00+07:00");
	assert_int_equal(c.paused, 0);
	/* 15:30 is after the cut-off: Tuesday counts as day 0 → Friday */
	assert_int_equal(dclock_apply(C, &H, &c, DFSM_CLOCK_START, T("2026-11-30T15:30:00+07:00"), &l), DL_OK);
	expect_instant(c.due, "2026-12-04T17:00:00+07:00");
	/* same day */
	struct dclock_limit same = {0, 1, DL_CUTOFF_DEFAULT};
	assert_int_equal(dclock_apply(C, &H, &c, DFSM_CLOCK_START, T("2026-11-30T09:00:00+07:00"), &same), DL_OK);
	expect_instant(c.due, "2026-11-30T17:00:00+07:00");
	/* no limit, a negative one: refused, nothing changed */
	struct dclock before = c;
	struct dclock_limit bad = {-1, 0, DL_CUTOFF_DEFAULT};
	assert_int_equal(dclock_apply(C, &H, &c, DFSM_CLOCK_START, T("2026-11-30T09:00:00+07:00"), NULL), DL_EINVAL);
	assert_int_equal(dclock_apply(C, &H, &c, DFSM_CLOCK_START, T("2026-11-30T09:00:00+07:00"), &bad), DL_EINVAL);
	assert_memory_equal(&c, &before, sizeof c);
}

/* A pause moves the due instant by exactly the office time it lasted. */
static void
test_pause_resume(void **state)
{
	(void)state;
	struct dclock c = {.due = T("2026-12-03T17:00:00+07:00")};
	assert_int_equal(dclock_apply(C, &H, &c, DFSM_CLOCK_PAUSE, T("2026-12-01T16:00:00+07:00"), NULL), DL_OK);
	assert_int_equal(c.paused, T("2026-12-01T16:00:00+07:00"));
	/* a second pause keeps the first instant */
	assert_int_equal(dclock_apply(C, &H, &c, DFSM_CLOCK_PAUSE, T("2026-12-02T08:00:00+07:00"), NULL), DL_OK);
	assert_int_equal(c.paused, T("2026-12-01T16:00:00+07:00"));
	/* resumed Wednesday 09:30: paused 1 h Tuesday + 2 h Wednesday morning = 3 office
	 * hours, added to Thursday 17:00 → Friday 07:30 + 3 h */
	assert_int_equal(dclock_apply(C, &H, &c, DFSM_CLOCK_RESUME, T("2026-12-02T09:30:00+07:00"), NULL), DL_OK);
	assert_int_equal(c.paused, 0);
	expect_instant(c.due, "2026-12-04T10:30:00+07:00");
	/* a resume without a pause changes nothing */
	struct dclock before = c;
	assert_int_equal(dclock_apply(C, &H, &c, DFSM_CLOCK_RESUME, T("2026-12-02T10:00:00+07:00"), NULL), DL_OK);
	assert_memory_equal(&c, &before, sizeof c);
	/* a clock held at intake (no due yet) has nothing to pause */
	struct dclock held = {0};
	assert_int_equal(dclock_apply(C, &H, &held, DFSM_CLOCK_PAUSE, T("2026-12-01T16:00:00+07:00"), NULL), DL_OK);
	assert_int_equal(held.paused, 0);
	/* resuming before the pause began is an error, nothing changed */
	struct dclock p = {.due = T("2026-12-03T17:00:00+07:00"), .paused = T("2026-12-02T10:00:00+07:00")};
	before = p;
	assert_int_equal(dclock_apply(C, &H, &p, DFSM_CLOCK_RESUME, T("2026-12-02T09:00:00+07:00"), NULL), DL_EINVAL);
	assert_memory_equal(&p, &before, sizeof p);
}

/* Stop records the finish and closes an open pause; the due instant stays. */
static void
test_stop(void **state)
{
	(void)state;
	struct dclock c = {.due = T("2026-12-03T17:00:00+07:00"), .paused = T("2026-12-02T10:00:00+07:00")};
	assert_int_equal(dclock_apply(C, &H, &c, DFSM_CLOCK_STOP, T("2026-12-02T11:00:00+07:00"), NULL), DL_OK);
	assert_int_equal(c.finished, T("2026-12-02T11:00:00+07:00"));
	assert_int_equal(c.paused, 0);
	expect_instant(c.due, "2026-12-03T17:00:00+07:00");
	struct dclock before = c;
	assert_int_equal(dclock_apply(C, &H, &c, DFSM_CLOCK_NONE, T("2026-12-05T11:00:00+07:00"), NULL), DL_OK);
	assert_memory_equal(&c, &before, sizeof c);
}

/* A hand-over's own budget, never past the dossier's due instant. */
static void
test_step_due(void **state)
{
	(void)state;
	int64_t due = T("2026-12-10T17:00:00+07:00"), s;
	assert_int_equal(dclock_step_due(C, &H, T("2026-12-01T10:00:00+07:00"), 1, due, &s), DL_OK);
	expect_instant(s, "2026-12-02T17:00:00+07:00");
	assert_int_equal(dclock_step_due(C, &H, T("2026-12-01T10:00:00+07:00"), 0, due, &s), DL_OK);
	expect_instant(s, "2026-12-01T17:00:00+07:00");
	assert_int_equal(dclock_step_due(C, &H, T("2026-12-01T10:00:00+07:00"), 30, due, &s), DL_OK);
	assert_int_equal(s, due);
	assert_int_equal(dclock_step_due(C, &H, T("2026-12-01T10:00:00+07:00"), -1, due, &s), DL_OK);
	assert_int_equal(s, due);
	/* outside the calendar's window */
	assert_int_equal(dclock_step_due(C, &H, T("2026-12-30T10:00:00+07:00"), 400, 0, &s), DL_ERANGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_pause_resume),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_step_due),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
