/*
 * catalog.h — the catalogue of administrative procedures as a service:
 * the public catalogue (the latest published version of each procedure),
 * the administrators' view (the latest version, drafts and retired ones
 * included), writing one procedure or a whole file, publishing and
 * retiring, and the export.
 *
 * Only administrators write, see drafts or retired procedures, or export
 * (checked here as well as in the route table); anyone reads the
 * published catalogue.  Procedures are typed (core/proc.h); a file's or
 * a form's rendering is the face's business.
 */
#ifndef MOTCUA_APP_CATALOG_H
#define MOTCUA_APP_CATALOG_H
#include <stddef.h>
#include <stdint.h>
#include "app/app.h"
#include "core/proc.h"

#define APP_CATALOG_QUERY_MAX 200   /* bytes of a search text */

/* Whether the actor manages the catalogue (admin). */
int app_catalog_admin(const struct actor *ac);

/* What a list shows. */
struct app_catalog_query {
	const char *text;          /* what a person typed, or NULL */
	const char *field;         /* an exact field, or NULL */
	enum proc_online online_level;   /* PROC_ONLINE_UNSET: any */
	int all;                   /* admins: the latest version of every procedure */
	int limit, offset;
};
/* Published procedures (or, with q->all, every one), ranked when
 * searching, else in Vietnamese order of the name; fn gets each (it may
 * keep p->proc by moving it out); *total (may be NULL) counts all that
 * match.  ERR_OUT_OF_RANGE for a text over APP_CATALOG_QUERY_MAX,
 * ERR_INVALID_FIELD for an unknown online level, ERR_FORBIDDEN for `all`
 * asked by a non-admin. */
enum err app_catalog_list(struct app *a, const struct actor *ac, const struct app_catalog_query *q,
                          int (*fn)(struct store_proc *, void *), void *arg, int64_t *total);
/* Fields of published procedures with their counts. */
enum err app_catalog_fields(struct app *a, int (*fn)(const char *field, int64_t n, void *),
                            void *arg);
/* The latest published version of `code` (anyone), or with latest != 0
 * the latest version whatever its status (admins; has_draft says a draft
 * waits).  ERR_NOT_FOUND, ERR_FORBIDDEN. */
enum err app_catalog_get(struct app *a, const struct actor *ac, const char *code, int latest,
                         struct store_proc *out);

/* Writes one procedure (the admin form, the API): is_new refuses a code
 * already there (ERR_EXISTS), else the code must exist (ERR_NOT_FOUND).
 * A refusal (proc_check) is ERR_INVALID_FIELD / ERR_MISSING_FIELD with
 * f naming the field, and nothing is written.  Editing a published
 * version adds a new version. */
enum err app_catalog_put(struct app *a, const struct actor *ac, const struct proc *p, int is_new,
                         const char *source, struct app_fail *f);
/* Writes a whole file's procedures, all or nothing: each is checked and
 * a code may appear once; *changed counts the new or changed ones. */
enum err app_catalog_import(struct app *a, const struct actor *ac, const struct proc *v, size_t n,
                            const char *source, size_t *changed, struct app_fail *f);
/* Publishes (PROC_PUBLISHED) or retires (PROC_RETIRED) the latest version. */
enum err app_catalog_set_status(struct app *a, const struct actor *ac, const char *code,
                                enum proc_status status);
/* Every procedure's latest version, sorted by code (*v: free with
 * proc_array_free). */
enum err app_catalog_export(struct app *a, const struct actor *ac, struct proc **v, size_t *n);

#endif
