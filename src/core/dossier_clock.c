/*
 * dossier_clock.c — see dossier_clock.h.
 */
#include <assert.h>
#include "core/deadline.h"
#include "core/dossier_clock.h"

int
dclock_apply(const struct cal *cal, const struct cal_hours *h, struct dclock *c,
             enum dfsm_clock op, int64_t now, const struct dclock_limit *limit)
{
	assert(cal && h && c);
	struct dclock n = *c;
	int rc = DL_OK;
	switch (op) {
	case DFSM_CLOCK_NONE:
		return DL_OK;
	case DFSM_CLOCK_START:
		if (!limit || limit->days < 0)
			return DL_EINVAL;
		rc = dl_due(cal, h, now, limit->same_day ? 0 : limit->days, limit->same_day,
		            limit->cutoff, &n.due);
		n.paused = 0;
		n.finished = 0;
		break;
	case DFSM_CLOCK_PAUSE:
		/* a clock not started yet (held at intake) has nothing to pause */
		if (n.due && !n.paused)
			n.paused = now;
		break;
	case DFSM_CLOCK_RESUME:
		if (n.paused) {
			if (now < n.paused)
				return DL_EINVAL;
			rc = dl_resume(cal, h, n.due, n.paused, now, &n.due);
			n.paused = 0;
		}
		break;
	case DFSM_CLOCK_STOP:
		n.finished = now;
		n.paused = 0;
		break;
	default:
		return DL_EINVAL;
	}
	if (rc != DL_OK)
		return rc;
	*c = n;
	return DL_OK;
}

int
dclock_step_due(const struct cal *cal, const struct cal_hours *h, int64_t now, int step_days,
                int64_t due, int64_t *out)
{
	assert(cal && h && out);
	int64_t s = due;
	if (step_days >= 0) {
		int rc = dl_due(cal, h, now, step_days, step_days == 0, 24 * 60, &s);
		if (rc != DL_OK)
			return rc;
		if (due && s > due)
			s = due;
	}
	*out = s;
	return DL_OK;
}
