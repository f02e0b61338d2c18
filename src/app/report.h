/*
 * report.h — the timeliness report (/bao-cao): dossiers received in a
 * period — early, on time, late, pending in time, overdue — by field, by
 * the officer who holds (or last held) each dossier and by the unit
 * holding it; the late ones with or without a written apology (DOMAIN
 * decision 6).  A dossier refused at reception, or still waiting to be
 * accepted, was never received for processing: it is counted apart, not
 * in "received".
 */
#ifndef MOTCUA_APP_REPORT_H
#define MOTCUA_APP_REPORT_H
#include "app/app.h"
#include "core/calendar.h"

enum {
	APP_TL_RECEIVED,  /* received for processing: the sum of EARLY … OTHER */
	APP_TL_EARLY, APP_TL_ON_TIME, APP_TL_LATE, /* finished */
	APP_TL_IN_TIME, APP_TL_OVERDUE,            /* pending */
	APP_TL_OTHER,     /* received, then withdrawn or stopped (incl. refused after processing) */
	APP_TL_HELD,      /* not received yet: kept at the desk until the papers are complete */
	APP_TL_REFUSED,   /* refused at reception (form 03): never received */
	APP_TL_N
};

struct app_report_row {
	char name[256];              /* the field, the officer's full name or the unit */
	int64_t c[APP_TL_N];
	int64_t late_apology, late_no_apology; /* late or overdue: with a written apology, without */
	int64_t ratings[3];          /* very satisfied, satisfied, not satisfied */
};
struct app_report_table {
	struct app_report_row *rows;
	size_t n;
};
/* A late dossier's written apology (form 04): none, one sent before the
 * promised time, or only one recorded after it (sent late). */
enum { APP_APOLOGY_NONE, APP_APOLOGY_ON_TIME, APP_APOLOGY_LATE, APP_APOLOGY_N };
struct app_report_late {
	char code[64];
	char procedure[600];
	char field[200];
	char officer[256];           /* who holds (or last held) it; "" when nobody */
	char unit[256];
	int64_t due_at, finished_at, appointment_at; /* appointment: an apology's new date */
	int finished;                /* done late (else still overdue) */
	int apology;                 /* APP_APOLOGY_* */
};
struct app_report {
	struct app_report_table by_field;   /* by field name ("Khác" when unknown) */
	struct app_report_table by_officer; /* by full name; APP_REPORT_NO_OFFICER last */
	struct app_report_table by_unit;    /* by unit; APP_REPORT_NO_UNIT last */
	int64_t all[APP_TL_N];
	struct app_report_late *late; /* the overdue ones, then those finished late, */
	size_t nlate;                 /* at most late_max (APP_REPORT_LATE_MAX) … */
	int64_t nlate_all;            /* … of this many */
	int64_t apologies[APP_APOLOGY_N]; /* the late dossiers by their apology */
};
#define APP_REPORT_LATE_MAX 200      /* on the page */
#define APP_REPORT_LATE_ALL 100000   /* in the CSV */
#define APP_REPORT_NO_OFFICER "Chưa giao cán bộ"
#define APP_REPORT_NO_UNIT "Chưa chuyển bộ phận xử lý"

/* Dossiers received on local days [from, to] (at most ten years), counted
 * at now.  Leaders, inspectors and the administrator. */
enum err app_report_timeliness(struct app *a, const struct actor *ac, cal_day from, cal_day to,
                               int64_t now, struct app_report *out, struct app_fail *f);
/* The same listing at most late_max late dossiers (0: none, only the
 * counts; the CSV export asks for APP_REPORT_LATE_ALL). */
enum err app_report_timeliness_n(struct app *a, const struct actor *ac, cal_day from, cal_day to, int64_t now,
                                 size_t late_max, struct app_report *out, struct app_fail *f);
void app_report_free(struct app_report *r);
/* "93,5%" of finished dossiers done early or on time; "—" when none finished. */
void app_report_rate(const int64_t c[APP_TL_N], char *out, size_t n);

#endif
