/*
 * facts.h — a dossier's statistics facts (store/facts.h), decided here
 * and only here: the store's hook computes them for every dossier a write
 * transaction touched, and the reports (stats.c, index766.c, report.c,
 * staff.c) read their sums and judge the pending ones with the functions
 * below at the instant asked.
 */
#ifndef MOTCUA_APP_FACTS_H
#define MOTCUA_APP_FACTS_H
#include "app/app.h"
#include "store/facts.h"

/* Sets the store's hook (app_init) and feeds the dossiers older than the
 * facts through it, a chunk per transaction; 0 or -1 with err set. */
int app_facts_start(struct app *a, char *err, size_t errlen);
void app_facts_stop(struct app *a);
/* Before a report reads the sums: the dossiers noted outside a hooked
 * transaction (another process) are computed first. */
enum err app_facts_sync(struct app *a);

/* A pending dossier (v[SF_PENDING]) judged at now under DOMAIN decision
 * 6: 1 in time, 0 overdue; -1 when it is not pending in that sense. */
int app_facts_in_time(const struct store_facts *f, int64_t now);
/* The index's (766 2.1) on-time rule for an open dossier at judge. */
int app_facts_i766_on_time(const struct store_facts *f, int64_t judge);

#endif
