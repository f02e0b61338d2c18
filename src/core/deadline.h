/*
 * deadline.h — the legal clock of a dossier (DOMAIN decisions 4–6).
 *
 * Instants are int64 Unix seconds (UTC).  Office time is UTC+7; a civil
 * date is a cal_day (calendar.h).  Every function reads a built
 * `struct cal` and the agency's `struct cal_hours` and writes only its
 * out-parameters: no I/O, no clock reads, no allocation, thread-safe.
 *
 * Return codes: DL_OK (0); DL_EINVAL (-1) for bad input (days < 0 or >
 * DL_MAX_DAYS, invalid hours, cut-off outside 00:00–24:00, t1 < t0 …);
 * DL_ERANGE (-2) when the answer needs a year the `struct cal` window
 * does not hold (build a window around the dates, or answer 400 for years
 * outside 1900–2199).
 */
#ifndef MOTCUA_DEADLINE_H
#define MOTCUA_DEADLINE_H
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/vntime.h"   /* local days, instants, RFC 3339 */

#define DL_OK 0
#define DL_EINVAL (-1)
#define DL_ERANGE (-2)

#define DL_MAX_DAYS 3650            /* longest time limit accepted */
#define DL_CUTOFF_DEFAULT (15 * 60) /* 15:00, minutes after midnight */

/*
 * The day a receipt counts from (decision 4): the local day of `received`
 * if it is a working day and the receipt is not after the cut-off;
 * otherwise the next working day (received "at its opening").  A receipt
 * at exactly the cut-off minute (15:00:00) counts on its own day.  The
 * effective cut-off is never later than the office's closing time.
 */
int dl_receipt_day(const struct cal *c, const struct cal_hours *h,
    int64_t received, int cutoff_min, cal_day *out);

/*
 * Due instant of a dossier received at `received` with a limit of `days`
 * working days: closing time of the days-th working day after the receipt
 * day.  same_day != 0 or days == 0: closing time of the receipt day.
 * Example: received Saturday with 1 day → receipt day Monday → due
 * Tuesday 17:00.
 */
int dl_due(const struct cal *c, const struct cal_hours *h, int64_t received,
    int days, int same_day, int cutoff_min, int64_t *due);

/* Office time (seconds inside the sessions of working days) between t0
 * and t1 (t0 <= t1). */
int dl_work_seconds(const struct cal *c, const struct cal_hours *h,
    int64_t t0, int64_t t1, int64_t *out);
/* The instant at which `secs` seconds of office time have passed after t
 * (secs >= 0; a duration that ends exactly at a session's end gives that
 * end, e.g. 17:00, not the next opening). */
int dl_add_work(const struct cal *c, const struct cal_hours *h, int64_t t,
    int64_t secs, int64_t *out);
/* Decision 5: the due instant after a pause from paused_at to resumed_at
 * moves by exactly the office time of the pause. */
int dl_resume(const struct cal *c, const struct cal_hours *h, int64_t due,
    int64_t paused_at, int64_t resumed_at, int64_t *new_due);

/* Decision 6. */
enum dl_timeliness {
	DL_EARLY,     /* trước hạn: finished on a date before the due date */
	DL_ON_TIME,   /* đúng hạn: finished on the due date, by the due time */
	DL_LATE,      /* quá hạn: finished after the due time */
	DL_IN_TIME,   /* còn hạn: pending, due time not passed */
	DL_OVERDUE,   /* quá hạn: pending, due time passed */
};
/* finished != 0: `at` is the finish instant; else `at` is now and the
 * dossier is pending.  An instant equal to the due instant is in time. */
enum dl_timeliness dl_timeliness(int64_t due, int finished, int64_t at);
/* "early", "on_time", "late", "in_time", "overdue". */
const char *dl_timeliness_code(enum dl_timeliness t);
/* "Trước hạn", "Đúng hạn", "Quá hạn", "Còn hạn", "Quá hạn". */
const char *dl_timeliness_label(enum dl_timeliness t);


/*
 * An appointment set by hand at intake, for a procedure whose time limit
 * the law texts at hand do not give (issue #12): it must lie after `now`,
 * on a working day of the legal calendar, inside one of the office's
 * sessions (an opening or closing minute included, 17:00 is the usual due
 * time), and at most DL_HAND_MAX_DAYS calendar days after `now`.
 */
#define DL_HAND_MAX_DAYS 90   /* longer than any limit the seed's sources name (40 days) */
enum dl_hand {
	DL_HAND_OK = 0,
	DL_HAND_PAST,     /* not after now */
	DL_HAND_TOO_FAR,  /* more than DL_HAND_MAX_DAYS after now */
	DL_HAND_DAY_OFF,  /* a weekend, holiday or other day off */
	DL_HAND_HOURS,    /* outside the office's sessions */
	DL_HAND_RANGE,    /* the calendar window does not hold its year */
};
enum dl_hand dl_hand_due_check(const struct cal *c, const struct cal_hours *h, int64_t now,
    int64_t due);

#endif
