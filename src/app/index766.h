/*
 * index766.h — the Decision 766 service index computed from the dossiers
 * (REFORM.md §1, core/index766.h for the table and rules): for dossiers
 * received in a period (any range of local days, at most ten years),
 * optionally of one procedure, each indicator motcua can compute with its
 * numerator, denominator, ratio and points, the group totals, and the
 * dossiers behind every numerator and denominator.  The index's on-time
 * rule (2.1) is shown beside DOMAIN decision 6's (app_timeliness).
 *
 * Leaders, inspectors and the administrator; the public page gets the
 * agency-wide figures only (no dossier, no person).
 */
#ifndef MOTCUA_APP_INDEX766_H
#define MOTCUA_APP_INDEX766_H
#include "app/app.h"
#include "core/calendar.h"
#include "core/index766.h"

#define APP_I766_MAX 32
struct app_i766_query {
	cal_day from, to;             /* received on local days [from, to] */
	const char *procedure;        /* a procedure code, NULL / "" = all */
};
struct app_i766_figure {
	const struct i766_indicator *in;
	int64_t num, den;
	double ratio, points;
	int defined;                  /* 0: no denominator (shown "—") */
	int per_dossier;              /* num and den count dossiers (a list opens them) */
};
struct app_i766 {
	struct app_i766_figure fig[APP_I766_MAX];
	size_t n;                     /* = i766_nindicators */
	double group_points[5], total;
	int64_t judge;                /* pending dossiers judged at this instant */
	/* 2.1 under DOMAIN decision 6, for comparison: early or on time, or
	 * pending in time / received */
	int64_t domain_on_time, domain_den;
};
enum err app_index766(struct app *a, const struct actor *ac, const struct app_i766_query *q, int64_t now,
                      struct app_i766 *out, struct app_fail *f);
/* The same figures for the public dashboard (anyone: no dossier named). */
enum err app_index766_public(struct app *a, const struct app_i766_query *q, int64_t now, struct app_i766 *out,
                             struct app_fail *f);
/* The dossiers behind indicator id's numerator (numerator = 1) or
 * denominator, newest received first: fn gets each code (non-zero stops).
 * ERR_NOT_FOUND for an indicator that does not count dossiers. */
enum err app_index766_dossiers(struct app *a, const struct actor *ac, const struct app_i766_query *q,
                               int64_t now, const char *id, int numerator,
                               int (*fn)(const char *code, void *), void *arg, struct app_fail *f);

#endif
