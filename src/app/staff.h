/*
 * staff.h — staff performance for the yearly evaluation (issue #15 item
 * 4): per officer, the dossiers received in a period that he holds or
 * last held — handled, finished early or on time, late with and without
 * a written apology (app/report.h's rules), still overdue — and the
 * applicants' ratings of them.  Leaders, inspectors and the administrator.
 */
#ifndef MOTCUA_APP_STAFF_H
#define MOTCUA_APP_STAFF_H
#include "app/report.h"

struct app_staff_row {
	char name[256];               /* full name; APP_REPORT_NO_OFFICER for dossiers nobody holds */
	int64_t c[APP_TL_N];          /* the report's counts (APP_TL_*) */
	int64_t late_apology, late_no_apology; /* late or overdue: with a written apology, without */
	int64_t ratings[3];           /* very satisfied, satisfied, not satisfied */
};
/* Rows in the report's order (by name, the unassigned last); *rows
 * malloc'd (free()). */
enum err app_staff_performance(struct app *a, const struct actor *ac, cal_day from, cal_day to, int64_t now,
                               struct app_staff_row **rows, size_t *n, struct app_fail *f);

#endif
