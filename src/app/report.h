/*
 * report.h — the timeliness report (/bao-cao): dossiers received in a
 * period by field — early, on time, late, pending in time, overdue — and
 * the late ones with or without a written apology (DOMAIN decision 6).
 */
#ifndef MOTCUA_APP_REPORT_H
#define MOTCUA_APP_REPORT_H
#include "app/app.h"
#include "core/calendar.h"

enum { APP_TL_RECEIVED, APP_TL_EARLY, APP_TL_ON_TIME, APP_TL_LATE, APP_TL_IN_TIME, APP_TL_OVERDUE,
       APP_TL_OTHER, APP_TL_N };

struct app_report_row {
	char field[200];             /* lĩnh vực ("Khác" when unknown) */
	int64_t c[APP_TL_N];
};
/* A late dossier's written apology (form 04): none, one sent before the
 * promised time, or only one recorded after it (sent late). */
enum { APP_APOLOGY_NONE, APP_APOLOGY_ON_TIME, APP_APOLOGY_LATE, APP_APOLOGY_N };
struct app_report_late {
	char code[64];
	char procedure[600];
	char field[200];
	int64_t due_at, finished_at, appointment_at; /* appointment: an apology's new date */
	int finished;                /* done late (else still overdue) */
	int apology;                 /* APP_APOLOGY_* */
};
struct app_report {
	struct app_report_row *rows; /* by field name */
	size_t nrows;
	int64_t all[APP_TL_N];
	struct app_report_late *late;
	size_t nlate;
	int64_t apologies[APP_APOLOGY_N]; /* the late dossiers by their apology */
};

/* Dossiers received on local days [from, to] (at most ten years), counted
 * at now.  Leaders, inspectors and the administrator. */
enum err app_report_timeliness(struct app *a, const struct actor *ac, cal_day from, cal_day to,
                               int64_t now, struct app_report *out, struct app_fail *f);
void app_report_free(struct app_report *r);
/* "93,5%" of finished dossiers done early or on time; "—" when none finished. */
void app_report_rate(const int64_t c[APP_TL_N], char *out, size_t n);

#endif
