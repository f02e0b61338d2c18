/*
 * facts.h — every dossier's statistics facts and their sums per day and
 * per month (issue #15 item 6; sql/sqlite/0018-facts.sql).
 *
 * A dossier's facts are the groups it counts in (procedure, unit, officer,
 * channel, local day received) and the measures it adds (enum below).
 * The store notes every dossier a write transaction touches (triggers on
 * dossiers, events, ratings and attachments); just before COMMIT it hands
 * the noted ids to the hook the application set (app/facts.c), which
 * computes each one's facts and calls store_facts_put — inside the same
 * transaction, so the sums can never disagree with the dossiers.
 * store_facts_put applies the difference to the sums.
 *
 * What moves with the clock is not summed: a pending dossier is counted
 * in SF_PENDING, and readers judge it in time or overdue (and on time
 * under the index's rule) from its row (store_facts_each).
 */
#ifndef MOTCUA_STORE_FACTS_H
#define MOTCUA_STORE_FACTS_H
#include <stddef.h>
#include <stdint.h>
#include "core/errors.h"

struct store;

enum store_fact_measure {
	SF_COUNTED,        /* received for processing (the legal clock started, not refused at the desk) */
	SF_EARLY, SF_ON_TIME, SF_LATE,   /* finished (DOMAIN decision 6) */
	SF_PENDING,        /* counted and not finished: judged when read */
	SF_OTHER,          /* counted, then withdrawn or stopped */
	SF_HELD,           /* kept at the desk, never received (not counted) */
	SF_REFUSED,        /* refused at reception (not counted) */
	SF_ONLINE,         /* counted, submitted online */
	SF_DIGITISED,      /* counted, every checklist line scanned */
	SF_RATE_VERY, SF_RATE_OK, SF_RATE_BAD, /* counted, rated so */
	SF_WORK_SECS,      /* finished: office seconds from receipt to finish */
	SF_APOL_NONE, SF_APOL_ON_TIME, SF_APOL_LATE, /* finished late, by its best apology */
	SF_I21,            /* finished on time under the index's rule (766 2.1) */
	SF_I33,            /* 766 3.3 numerator */
	SF_I36D, SF_I36N,  /* 766 3.6 denominator / numerator */
	SF_I41D, SF_I41N,  /* 766 4.1 */
	SF_I42, SF_I43,    /* 766 4.2, 4.3 numerators */
	SF_I54,            /* finished: late under the index's rule or rated not satisfied (766 5.4) */
	SF_PROC_ONLINE_USED, /* an online-offered procedure's dossier submitted online (766 3.2) */
	SF_PAY_N0, SF_PAY_N1, SF_PAY_N2, SF_PAY_N3,  /* counted and paid, by payment channel (app_pay_channel_names) */
	SF_PAY_A0, SF_PAY_A1, SF_PAY_A2, SF_PAY_A3,  /* the amounts paid, whole đồng */
	SF_N
};
#define SF_PAY_CHANNELS 4

struct store_facts_key {
	char procedure_code[48];
	char unit[256];               /* "" = not handed to a unit */
	int64_t assignee;             /* 0 = nobody */
	char channel[16];
};

struct store_facts {
	int64_t dossier_id;
	int64_t day;                  /* local day received (cal_day) */
	struct store_facts_key k;
	int pending, late_list;       /* late_list: finished late, or pending */
	int apology;                  /* 0 none, 1 in time, 2 sent late */
	int rating;                   /* 0 none, 1 very satisfied, 2 satisfied, 3 not satisfied */
	/* judging a pending dossier: DOMAIN decision 6 and the index's rule */
	int64_t due_at, paused_at, received_at, appointment, supp_secs, nsupp, waiting_since;
	int64_t v[SF_N];
};

/* The application's hook: compute and store_facts_put the facts of each
 * of the n dossiers (ids), inside the caller's write transaction. */
typedef enum err (*store_facts_hook)(struct store *st, const int64_t *ids, size_t n, void *arg);
void store_facts_set_hook(struct store *st, store_facts_hook fn, void *arg);
/* Within the hook only: replaces the dossier's facts, moving the sums. */
enum err store_facts_put(struct store *st, const struct store_facts *f);

/* The sums over local days [from, to], one call of fn per group
 * (procedure, unit, officer, channel); procedure NULL or "" = all. */
enum err store_facts_sum(struct store *st, int64_t from, int64_t to, const char *procedure,
                         int (*fn)(const struct store_facts_key *, const int64_t v[SF_N], void *), void *arg);

enum store_facts_which { SFW_ALL, SFW_PENDING, SFW_LATE_LIST };
struct store_facts_filter {
	int64_t from, to;             /* local days received */
	enum store_facts_which which;
	const char *procedure;        /* NULL / "" = any */
	int64_t after_id;             /* keyset: dossiers after this id (oldest received first) */
};
/* The rows matching, oldest received first: fn gets each row and the
 * dossier's code (non-zero stops) — "" for SFW_PENDING, read to be judged
 * (store_dossier_get_id names one). */
enum err store_facts_each(struct store *st, const struct store_facts_filter *flt,
                          int (*fn)(const struct store_facts *, const char *code, void *), void *arg);

/* Has the hook compute the dossiers noted outside a hooked transaction
 * (another process, the sqlite3 shell): a no-op when none are noted. */
enum err store_facts_sync(struct store *st);
/* Feeds up to limit dossiers that predate the facts (migration 0018) to
 * the hook, in one transaction; *left = how many remain. */
enum err store_facts_backlog(struct store *st, int limit, int64_t *left);

#endif
