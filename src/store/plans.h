/*
 * plans.h — the yearly plans' storage (issue #16 item 1;
 * store/sqlite/plans.c, migration 0022): plans, their tasks, each task's
 * history and evidence files.  Every write is one transaction with its
 * audit event; a task's change is checked against the version the
 * writer read (optimistic lock, ERR_CONFLICT when someone changed it
 * first).  The rules (who may write what, which values are valid) are in
 * app/plans.c.
 */
#ifndef MOTCUA_STORE_PLANS_H
#define MOTCUA_STORE_PLANS_H
#include <stdint.h>
#include "core/errors.h"

struct store;

struct store_plan {
	int64_t id;
	int year;
	char kind[8];             /* "reform" or "it" */
	char title[600];
	char doc_number[100];     /* the issuing document: "35/KH-UBND" */
	int32_t doc_day;          /* its date (cal_day), 0 when not issued */
	char doc_signer[200];
	char created_by[96];
	int64_t created_at, updated_at;
	/* counts over its tasks (filled by the list and get) */
	int tasks, done, cancelled;
};

struct store_plan_task {
	int64_t id;
	int64_t plan_id;
	int no;                   /* its number in the plan, from 1 */
	char title[2000];
	char field[24];           /* app/plans.c's field codes */
	char unit[256];
	int64_t person_id;        /* 0: none named */
	char person_name[256];    /* read: the account's full name */
	char coop_units[1000];
	int32_t start_day, due_day, done_day;   /* cal_day; done_day 0 unless done */
	char output[2000];
	int64_t budget_line_id;   /* a budget line (store/budget.h) of the same year, 0: none */
	char budget_line[600];    /* read: its name */
	int64_t budget;           /* whole đồng */
	int progress;             /* 0–100 */
	char status[16];          /* not_started, in_progress, done, cancelled */
	int64_t carried_from, carried_to;
	int64_t version;
	char updated_by[96];
	int64_t updated_at;
	/* read: the plan's year and kind */
	int year;
	char kind[8];
};

struct store_plan_event {
	int64_t at;
	const char *actor_name, *action, *status, *note;
	int progress;             /* -1 when the event carries none */
};

struct store_plan_file {
	char sha256[65];
	char name[200];
	char mime[40];
	int64_t size;
	int64_t at;
	char actor[96];
};

/* Inserts (p->id 0; *id gets it) or replaces a plan's head (title and
 * issuing document) with the event "plan.create" / "plan.update".
 * ERR_EXISTS when the year already has a plan of that kind;
 * ERR_NOT_FOUND for an unknown id. */
enum err store_plan_put(struct store *st, const char *actor, const struct store_plan *p, int64_t now,
                        int64_t *id);
enum err store_plan_get(struct store *st, int64_t id, struct store_plan *out);
enum err store_plan_find(struct store *st, int year, const char *kind, struct store_plan *out);
/* Every plan, newest year first, reform before IT. */
enum err store_plans(struct store *st, int (*fn)(const struct store_plan *, void *), void *arg);

/* Adds a task at the end of its plan (t->no is set here) with the event
 * "plan.task.create" and the first line of its history. */
enum err store_plan_task_add(struct store *st, const char *actor, const char *actor_name,
                             struct store_plan_task *t, int64_t now, int64_t *id);
/* Replaces what a leader edits of task t->id (title … budget, person,
 * unit, dates) when its version is still t->version; ERR_CONFLICT when it
 * moved; event "plan.task.update" and a history line. */
enum err store_plan_task_edit(struct store *st, const char *actor, const char *actor_name,
                              const struct store_plan_task *t, int64_t now);
/* A progress report on task id at version: progress, status, done_day
 * (0 unless done) and what was done; event "plan.task.report". */
enum err store_plan_task_report(struct store *st, const char *actor, const char *actor_name, int64_t id,
                                int64_t version, int progress, const char *status, int32_t done_day,
                                const char *note, int64_t now);
enum err store_plan_task_get(struct store *st, int64_t id, struct store_plan_task *out);
/* The tasks of plan_id in order; unit "" for all, else only that unit's;
 * person_id > 0: only those of that person or, with unit, of that unit. */
enum err store_plan_tasks(struct store *st, int64_t plan_id, const char *unit, int64_t person_id,
                          int (*fn)(const struct store_plan_task *, void *), void *arg);
/* Open tasks (not done, not cancelled) of any plan due by `until`
 * (cal_day), earliest first; unit/person_id as store_plan_tasks. */
enum err store_plan_tasks_due(struct store *st, int32_t until, const char *unit, int64_t person_id,
                              int (*fn)(const struct store_plan_task *, void *), void *arg);
/* The task's history, oldest first. */
enum err store_plan_task_events(struct store *st, int64_t id,
                                int (*fn)(const struct store_plan_event *, void *), void *arg);

/* Carries every open task of plan `from` without a carried_to into plan
 * `to` (appended in order, start/due days given by the caller's fn per
 * task, progress and status kept, carried_from/carried_to linked), with
 * one event "plan.carry"; *n gets how many moved. */
enum err store_plan_carry(struct store *st, const char *actor, const char *actor_name, int64_t from,
                          int64_t to, void (*days)(const struct store_plan_task *, int32_t *start,
                                                   int32_t *due, void *), void *arg, int64_t now,
                          int *n);

/* Records an evidence file already stored (store_file_put) on task id,
 * with the event "plan.task.file"; ERR_EXISTS when the task has it. */
enum err store_plan_file_add(struct store *st, const char *actor, const char *actor_name, int64_t id,
                             const struct store_plan_file *f, int64_t now);
enum err store_plan_files(struct store *st, int64_t id, int (*fn)(const struct store_plan_file *, void *),
                          void *arg);
enum err store_plan_file_get(struct store *st, int64_t id, const char *sha256, struct store_plan_file *out);

#endif
