/*
 * staff.c — see staff.h.  The timeliness report's officer table
 * (app_report_timeliness_n, without its list), which carries the apologies and ratings of
 * each officer's dossiers from the same facts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/staff.h"

enum err
app_staff_performance(struct app *a, const struct actor *ac, cal_day from, cal_day to, int64_t now,
                      struct app_staff_row **rows, size_t *n, struct app_fail *f)
{
	*rows = NULL;
	*n = 0;
	struct app_report r;
	enum err e = app_report_timeliness_n(a, ac, from, to, now, 0, &r, f);
	if (e)
		return e;
	struct app_staff_row *out = calloc(r.by_officer.n ? r.by_officer.n : 1, sizeof *out);
	if (!out) {
		app_report_free(&r);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < r.by_officer.n; i++) {
		const struct app_report_row *o = &r.by_officer.rows[i];
		snprintf(out[i].name, sizeof out[i].name, "%s", o->name);
		memcpy(out[i].c, o->c, sizeof out[i].c);
		out[i].late_apology = o->late_apology;
		out[i].late_no_apology = o->late_no_apology;
		memcpy(out[i].ratings, o->ratings, sizeof out[i].ratings);
	}
	*rows = out;
	*n = r.by_officer.n;
	app_report_free(&r);
	return ERR_OK;
}
