/*
 * budget.h — the reform budget (issue #16 item 5): budget lines per year
 * (planned, allocated, spent) serving a reform field, linked to the plan
 * tasks that name them, and the spending entries with their vouchers.
 *
 * Who may do what: the admin and the leaders keep the lines and record
 * spending; the inspector (viewer) reads.  Spending never goes beyond the
 * allocation, nor below zero (a correction is a negative entry with its
 * reason); an allocation never falls under what was spent.
 */
#ifndef MOTCUA_APP_BUDGET_H
#define MOTCUA_APP_BUDGET_H
#include "app/app.h"
#include "core/roles.h"
#include "store/budget.h"

#define APP_BUDGET_WRITE (ROLE_ADMIN | ROLE_LEADER)
#define APP_BUDGET_READ (ROLE_ADMIN | ROLE_LEADER | ROLE_VIEWER)
#define APP_BUDGET_FILE_MAX (10 * 1024 * 1024)

enum err app_budget_lines(struct app *a, const struct actor *ac, int year,
                          int (*fn)(const struct store_budget_line *, void *), void *arg);
enum err app_budget_line_get(struct app *a, const struct actor *ac, int64_t id, struct store_budget_line *out);
/* Creates (in->id 0) or edits a line: year (creation only), name, field
 * ("" or a reform field), source, planned and allocated (whole đồng). */
enum err app_budget_line_save(struct app *a, const struct actor *ac, const struct store_budget_line *in, int64_t now,
                              struct app_fail *f, int64_t *id);

/* A spending entry: in->line_id, day (not after today, in the line's
 * year), amount (≠ 0), content, voucher number/day, optional task of a
 * plan of the same year, optional scan (PDF, JPEG or PNG). */
struct app_budget_spend_in {
	int64_t line_id;
	int32_t day;
	int64_t amount;
	const char *content, *doc_number;
	int32_t doc_day;
	int64_t task_id;
	const void *file;
	size_t file_len;
	const char *file_name;
};
enum err app_budget_spend(struct app *a, const struct actor *ac, const struct app_budget_spend_in *in, int64_t now,
                          struct app_fail *f, int64_t *id);
enum err app_budget_spends(struct app *a, const struct actor *ac, int64_t line_id,
                           int (*fn)(const struct store_budget_spend *, void *), void *arg);
/* The scan of entry id (malloc'd). */
enum err app_budget_spend_file(struct app *a, const struct actor *ac, int64_t id, struct store_budget_spend *meta,
                               char **data, size_t *len);

/* Planned, allocated and spent of a year by reform field (code "" for
 * lines serving several), in the fields' order. */
struct app_budget_field {
	const char *code, *label;
	int64_t planned, allocated, spent;
	int lines;
};
#define APP_BUDGET_FIELDS_MAX 16
enum err app_budget_by_field(struct app *a, const struct actor *ac, int year, struct app_budget_field *out,
                             size_t *n);

#endif
