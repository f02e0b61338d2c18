/*
 * plans.h — the yearly plans (issue #16 item 1): the administrative
 * reform plan (kế hoạch cải cách hành chính) and the IT application plan
 * (kế hoạch ứng dụng công nghệ thông tin, chuyển đổi số) of each year,
 * the document that issued each, and their tasks with the reform field,
 * the responsible unit and person, cooperating units, start and due days,
 * expected output, budget line, progress, status and evidence files.
 *
 * Who may do what (checked here, per record):
 *   - the admin and the leaders create plans, issue them, add and edit
 *     tasks, cancel or reopen a task and carry the open tasks of a year
 *     into the next year's plan; they report on any task;
 *   - an officer or clerk reports progress and attaches evidence on the
 *     tasks of his unit or those naming him responsible;
 *   - every staff account reads every plan (the inspector too): the
 *     leader's view is all units, each unit filters to its own.
 * Overdue is read from the day, never stored: an open task (not done,
 * not cancelled) whose due day has passed is overdue by so many days; one
 * due within APP_PLAN_REMIND_DAYS is "due soon" and is what the
 * reminders list.
 */
#ifndef MOTCUA_APP_PLANS_H
#define MOTCUA_APP_PLANS_H
#include "app/app.h"
#include "core/roles.h"
#include "store/plans.h"

#define APP_PLAN_MANAGE (ROLE_ADMIN | ROLE_LEADER)
#define APP_PLAN_READ ROLE_STAFF
#define APP_PLAN_REMIND_DAYS 7
#define APP_PLAN_FILE_MAX (10 * 1024 * 1024)

/* Labels: "reform" → "Kế hoạch cải cách hành chính"; NULL when unknown. */
const char *app_plan_kind_label(const char *kind);
const char *app_plan_status_label(const char *status);
/* The fields a task of a plan of kind may belong to, in display order. */
struct app_plan_field {
	const char *code, *label;
};
size_t app_plan_fields(const char *kind, const struct app_plan_field **out);
const char *app_plan_field_label(const char *kind, const char *code);

/* A task as the day sees it. */
struct app_plan_task {
	struct store_plan_task t;
	int open;                 /* not done, not cancelled */
	int overdue_days;         /* open and past its due day: by how many days (else 0) */
	int due_in;               /* open and not overdue: days left (0 = due today) */
	int soon;                 /* open, due within APP_PLAN_REMIND_DAYS */
	int late_days;            /* done after its due day: by how many days (else 0) */
	int can_report;           /* the actor may report on it and attach evidence */
	int can_edit;             /* the actor may edit, cancel or reopen it */
};

/* Figures over a plan's tasks (those listed). */
struct app_plan_sum {
	int tasks, done, done_late, in_progress, not_started, cancelled, overdue, soon;
	int progress;             /* the mean progress of the tasks not cancelled, % */
	int done_pct;             /* done / tasks not cancelled, % (0 when none) */
	int64_t budget;           /* sum of the tasks' budgets, đồng */
};

enum err app_plans(struct app *a, const struct actor *ac, int (*fn)(const struct store_plan *, void *), void *arg);
enum err app_plan_get(struct app *a, const struct actor *ac, int64_t id, struct store_plan *out);
/* The plan of kind for year; ERR_NOT_FOUND when there is none. */
enum err app_plan_find(struct app *a, const struct actor *ac, int year, const char *kind, struct store_plan *out);
/* Creates (in->id 0) or edits a plan's head: year, kind (creation only),
 * title, and the issuing document (number, day, signer: all three or
 * none).  ERR_INVALID_FIELD with f; ERR_EXISTS when the year has one. */
enum err app_plan_save(struct app *a, const struct actor *ac, const struct store_plan *in, int64_t now,
                       struct app_fail *f, int64_t *id);

/* The tasks of plan id, of unit ("" for all), as the day `now` sees them;
 * sum (may be NULL) gets the figures. */
enum err app_plan_tasks(struct app *a, const struct actor *ac, int64_t plan_id, const char *unit, int64_t now,
                        int (*fn)(const struct app_plan_task *, void *), void *arg, struct app_plan_sum *sum);
enum err app_plan_task_get(struct app *a, const struct actor *ac, int64_t id, int64_t now,
                           struct app_plan_task *out);
/* Adds a task to in->plan_id (in->id 0) or edits task in->id at
 * in->version: title, field, unit, person, cooperating units, start and
 * due days (within the plan's year), output, budget line and amount. */
enum err app_plan_task_save(struct app *a, const struct actor *ac, const struct store_plan_task *in, int64_t now,
                            struct app_fail *f, int64_t *id);
/* A progress report: progress 0–100, status (done sets 100 % and the
 * day; only a manager cancels or reopens), what was done. */
enum err app_plan_task_report(struct app *a, const struct actor *ac, int64_t id, int64_t version, int progress,
                              const char *status, const char *note, int64_t now, struct app_fail *f);
enum err app_plan_task_events(struct app *a, const struct actor *ac, int64_t id,
                              int (*fn)(const struct store_plan_event *, void *), void *arg);
/* The reminders: open tasks due within APP_PLAN_REMIND_DAYS or overdue,
 * earliest first — for a manager or the inspector every unit's, for
 * others those of their unit or naming them. */
enum err app_plan_reminders(struct app *a, const struct actor *ac, int64_t now,
                            int (*fn)(const struct app_plan_task *, void *), void *arg);
/* Carries the open tasks of plan id into the plan of the same kind of
 * the next year (created, unissued, when there is none); *n how many,
 * *to the next year's plan. */
enum err app_plan_carry(struct app *a, const struct actor *ac, int64_t id, int64_t now, struct app_fail *f,
                        int *n, int64_t *to);

/* Evidence: a PDF, JPEG or PNG up to APP_PLAN_FILE_MAX. */
enum err app_plan_file_add(struct app *a, const struct actor *ac, int64_t id, const void *data, size_t len,
                           const char *name, int64_t now, struct app_fail *f);
enum err app_plan_files(struct app *a, const struct actor *ac, int64_t id,
                        int (*fn)(const struct store_plan_file *, void *), void *arg);
/* The bytes of one evidence file (malloc'd). */
enum err app_plan_file_get(struct app *a, const struct actor *ac, int64_t id, const char *sha256,
                           struct store_plan_file *meta, char **data, size_t *len);

/* The units named on active staff accounts, sorted, each once (for the
 * forms' choices); fn returns non-zero to stop. */
enum err app_plan_units(struct app *a, int (*fn)(const char *unit, void *), void *arg);
/* The active staff accounts who may be named responsible. */
enum err app_plan_people(struct app *a, int (*fn)(const struct store_user *, void *), void *arg);

#endif
