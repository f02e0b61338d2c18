/*
 * budget.h — the reform budget's storage (issue #16 item 5;
 * store/sqlite/budget.c, migration 0022): budget lines per year (planned,
 * allocated) and the spending entries against them.  Every write is one
 * transaction with its audit event.  The rules are in app/budget.c.
 */
#ifndef MOTCUA_STORE_BUDGET_H
#define MOTCUA_STORE_BUDGET_H
#include <stdint.h>
#include "core/errors.h"

struct store;

struct store_budget_line {
	int64_t id;
	int year;
	char name[600];
	char field[24];            /* a reform field code of app/plans.c, "" for several */
	char source[400];          /* where the money comes from */
	int64_t planned, allocated;
	/* read: the sum of its entries, how many, the tasks naming it */
	int64_t spent;
	int spends, tasks;
};

struct store_budget_spend {
	int64_t id;
	int64_t line_id;
	int32_t day;               /* cal_day */
	int64_t amount;            /* đồng; negative: a correction */
	char content[2000];
	char doc_number[100];
	int32_t doc_day;           /* 0: none */
	int64_t task_id;           /* 0: none */
	char task_title[300];      /* read */
	char sha256[65];           /* "" when no scan */
	char file_name[200];
	char file_mime[40];
	char actor[96];
	int64_t at;
};

/* Inserts (l->id 0; *id gets it) or replaces a line's name, field, source,
 * planned and allocated amounts; "budget.line.create" / ".update".
 * ERR_EXISTS for a second line of the same name in a year. */
enum err store_budget_line_put(struct store *st, const char *actor, const struct store_budget_line *l, int64_t now,
                               int64_t *id);
enum err store_budget_line_get(struct store *st, int64_t id, struct store_budget_line *out);
/* The lines of a year (0: every year), by year then id. */
enum err store_budget_lines(struct store *st, int year, int (*fn)(const struct store_budget_line *, void *),
                            void *arg);
/* Adds an entry when the line's spent plus its amount stays within
 * [0, allocated] (checked in the transaction: ERR_OUT_OF_RANGE when it
 * would not); "budget.spend". */
enum err store_budget_spend_add(struct store *st, const struct store_budget_spend *s, int64_t now, int64_t *id);
/* The entries of a line, oldest first. */
enum err store_budget_spends(struct store *st, int64_t line_id, int (*fn)(const struct store_budget_spend *, void *),
                             void *arg);
enum err store_budget_spend_get(struct store *st, int64_t id, struct store_budget_spend *out);

#endif
