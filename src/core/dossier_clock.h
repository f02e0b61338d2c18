/*
 * dossier_clock.h — the legal clock of one dossier as a pure function
 * (DOMAIN decisions 4–6): what an action's clock effect (dossier_fsm.h
 * enum dfsm_clock) does to the dossier's due, pause and finish instants.
 *
 * No I/O, no clock reads, no allocation: the caller passes the built
 * calendar, the office hours and `now`; the function writes only *c.
 */
#ifndef MOTCUA_DOSSIER_CLOCK_H
#define MOTCUA_DOSSIER_CLOCK_H
#include <stdint.h>
#include "core/calendar.h"
#include "core/dossier_fsm.h"

/* A dossier's clock; 0 = not set. */
struct dclock {
	int64_t due;       /* legal due instant, moved by pauses */
	int64_t paused;    /* since when the clock waits on the applicant */
	int64_t finished;  /* when the clock stopped */
};

/* A procedure's time limit (DOMAIN decision 4). */
struct dclock_limit {
	int days;          /* working days; ignored when same_day */
	int same_day;      /* due at the receipt day's closing time */
	int cutoff;        /* minutes after midnight: later receipts count next day */
};

/*
 * Applies one clock effect at `now`:
 *   START  due = the limit counted from now (a clock restarted keeps no pause)
 *   PAUSE  paused = now, when the clock has started (due set) and is not paused
 *   RESUME due moves by exactly the office time of the pause; paused = 0
 *   STOP   finished = now; an open pause is closed (paused = 0)
 *   NONE   nothing
 * Returns DL_OK, DL_EINVAL (bad limit, now before the pause) or DL_ERANGE
 * (the calendar window does not hold the years needed); *c is unchanged
 * on failure.  `limit` is read only by START (may be NULL otherwise).
 */
int dclock_apply(const struct cal *cal, const struct cal_hours *h, struct dclock *c,
                 enum dfsm_clock op, int64_t now, const struct dclock_limit *limit);

/*
 * A hand-over's own budget: `step_days` working days from now (0 = today's
 * closing time), never past the dossier's due instant; step_days < 0
 * means "until the dossier's due instant".  DL_OK or an error as above.
 */
int dclock_step_due(const struct cal *cal, const struct cal_hours *h, int64_t now,
                    int step_days, int64_t due, int64_t *out);

#endif
