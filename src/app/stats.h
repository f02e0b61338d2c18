/*
 * stats.h — statistics of the dossiers received in a period (issue #15
 * item 1), grouped by procedure, field, unit, officer and channel:
 * received, finished, pending; early / on time / late / overdue (DOMAIN
 * decision 6, the same classification as the timeliness report:
 * app_timeliness); the average processing time in working days of the
 * legal calendar; ratings; the online share; digitised dossiers; fees
 * collected, by payment channel, in whole đồng.
 *
 * Every figure opens to its dossiers: app_stats_dossiers walks the same
 * period with the same per-dossier facts and keeps those of one group
 * and one measure, so a list can never disagree with its count.
 */
#ifndef MOTCUA_APP_STATS_H
#define MOTCUA_APP_STATS_H
#include "app/app.h"
#include "core/calendar.h"

enum app_stats_group {
	APP_SG_PROCEDURE, APP_SG_FIELD, APP_SG_UNIT, APP_SG_OFFICER, APP_SG_CHANNEL, APP_SG_N
};
/* Measures: each a count of dossiers (the ones the figure opens to). */
enum app_stats_measure {
	APP_SM_RECEIVED,   /* received for processing (not held, not refused at the desk) */
	APP_SM_FINISHED,   /* = EARLY + ON_TIME + LATE */
	APP_SM_PENDING,    /* = IN_TIME + OVERDUE */
	APP_SM_EARLY, APP_SM_ON_TIME, APP_SM_LATE, APP_SM_IN_TIME, APP_SM_OVERDUE,
	APP_SM_ONLINE,     /* received through the online channel */
	APP_SM_DIGITISED,  /* every checklist line has a scan (scanned or reused) */
	APP_SM_RATED,      /* the applicant gave a rating */
	APP_SM_SATISFIED,  /* … "very satisfied" or "satisfied" */
	APP_SM_PAID,       /* the fee was paid (amount in fee) */
	APP_SM_N
};

struct app_stats_row {
	char key[96];         /* what the list filters on: the procedure code, the field or unit
	                       * ("-" none), the officer's id ("0" none), the channel code */
	char name[600];       /* as a reader sees it */
	int64_t c[APP_SM_N];
	int64_t work_secs;    /* office time of the finished ones, received → finished */
	int64_t fee;          /* đồng collected (paid dossiers) */
};
struct app_stats_table {
	struct app_stats_row *rows;
	size_t n;
};
struct app_stats_pay {
	char channel[16];     /* app_pay_channel_names; "" when not recorded */
	int64_t n, amount;
};
struct app_stats {
	struct app_stats_table g[APP_SG_N];
	struct app_stats_row all;
	struct app_stats_pay pay[5];
	size_t npay;
	int64_t day_secs;     /* office seconds of one working day (the average's unit) */
};

/* The statistics of dossiers received on local days [from, to] (at most
 * ten years), counted at now.  Leaders, inspectors and the administrator. */
enum err app_stats_period(struct app *a, const struct actor *ac, cal_day from, cal_day to, int64_t now,
                          struct app_stats *out, struct app_fail *f);
void app_stats_free(struct app_stats *s);

/* The dossiers behind one figure: those received in [from, to], of group
 * g's row key (NULL or "" = all), that count in measure m; fn gets each,
 * oldest received first (at most 10 000), returns non-zero to stop. */
enum err app_stats_dossiers(struct app *a, const struct actor *ac, cal_day from, cal_day to, int64_t now,
                            int g, const char *key, int m,
                            int (*fn)(const struct store_dossier *, void *), void *arg, struct app_fail *f);

/* "3,5" working days on average of the finished ones; "—" when none. */
void app_stats_avg_days(const struct app_stats *s, const struct app_stats_row *r, char *out, size_t n);
/* The average as a number (0 when none finished). */
double app_stats_avg(const struct app_stats *s, const struct app_stats_row *r);
/* "12,5%": part of whole; "—" when whole is 0. */
void app_stats_pct(int64_t part, int64_t whole, char *out, size_t n);

/* Codes and labels: "thu-tuc", "linh-vuc", … and "tiep-nhan", "da-xong", … */
const char *app_stats_group_code(int g);
const char *app_stats_group_label(int g);
const char *app_stats_measure_code(int m);
const char *app_stats_measure_label(int m);
int app_stats_group_parse(const char *code);   /* -1 when unknown */
int app_stats_measure_parse(const char *code); /* -1 when unknown */

#endif
