/*
 * visits.h — the portal's visit counter, kept in memory.
 *
 * A page view from a client address not yet seen in the current
 * 30-minute window is a visit.  Visits are counted in memory (an atomic
 * counter) and written to the database by a background thread every
 * `flush_secs` seconds and once more when the counter stops (a clean
 * shutdown), so no page view writes to the database.  The figure shown
 * is what is stored plus what is pending.  Addresses are never stored:
 * the window's set holds SipHash values under a key drawn at start.
 *
 * Limits, on purpose: the set holds VISITS_SET_MAX clients per window; a
 * flood of more new addresses than that in one window is not counted
 * (robots, not visitors).  Clients behind one address (a NAT) count once
 * per window.  A crash loses at most flush_secs seconds of visits.  A
 * visit is dated (UTC+7) by the flush that writes it.
 */
#ifndef MOTCUA_APP_VISITS_H
#define MOTCUA_APP_VISITS_H
#include <stdint.h>
#include "core/errors.h"
#include "store/store.h"

#define VISITS_WINDOW 1800          /* seconds a client counts once */
#define VISITS_ACTIVE_WINDOW 300    /* "đang truy cập": seen in the last 5 minutes */
#define VISITS_SET_MAX 4096         /* clients per window (power of two) */
#define VISITS_FLUSH_DEFAULT 60     /* seconds between writes */

struct visits;

struct visit_figures {
	int64_t total;              /* stored + pending */
	int64_t now;                /* clients seen in the last VISITS_ACTIVE_WINDOW */
};

/* Starts the counter over st, reading the stored total; flush_secs > 0
 * starts the writer thread (0: only visits_flush and visits_stop write).
 * NULL when out of memory or the store cannot be read. */
struct visits *visits_start(struct store *st, int flush_secs);
/* Writes what is pending, stops the thread and frees v (NULL is fine).
 * Returns the last write's result. */
enum err visits_stop(struct visits *v);
/* Writes the pending visits now; on failure they stay pending. */
enum err visits_flush(struct visits *v);
/* One page view by client (an address) at now; count = 0 for a view that
 * is not a visitor's (a robot): it only reads the figures. */
void visits_view(struct visits *v, const char *client, int count, int64_t now,
                 struct visit_figures *out);
/* Visits counted and not yet written. */
int64_t visits_pending(struct visits *v);

#endif
