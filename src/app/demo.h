/*
 * demo.h — `motcua demo`: realistic made-up dossiers for trials and
 * benchmarks (issue #15 item 5).  Written through the store's bulk path
 * (store_demo_put: one transaction and one audit event per batch).
 */
#ifndef MOTCUA_APP_DEMO_H
#define MOTCUA_APP_DEMO_H
#include <stdint.h>
#include "core/calendar.h"
#include "core/errors.h"
#include "store/store.h"

struct app_demo_opts {
	int64_t dossiers;            /* how many (> 0) */
	int years;                   /* spread over this many years ending `until` (1..30) */
	uint64_t seed;               /* the same seed and until give the same data */
	cal_day until;               /* the last day of receipts ("today"); the stories
	                                are cut at its end, so later steps are pending */
	size_t batch;                /* dossiers per transaction (0 = 20 000) */
	/* called after each batch (may be NULL) */
	void (*progress)(int64_t done, int64_t total, void *arg);
	void *arg;
};
struct app_demo_result {
	int64_t dossiers, batches;
	cal_day first_day, last_day;
	int64_t procedures;          /* procedures drawn from (those with a verified time limit) */
};
/* Generates o->dossiers dossiers on an initialised data folder.  Only
 * published procedures with a verified time limit are drawn (the others
 * need an appointment set by hand, which a generator cannot promise);
 * ERR_NOT_FOUND when there is none. */
enum err app_demo_generate(struct store *st, const struct app_demo_opts *o, struct app_demo_result *out);

#endif
