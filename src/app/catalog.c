/*
 * catalog.c — see catalog.h.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/catalog.h"
#include "core/roles.h"

int
app_catalog_admin(const struct actor *ac)
{
	return ac && (ac->role & ROLE_ADMIN);
}

enum err
app_catalog_list(struct app *a, const struct actor *ac, const struct app_catalog_query *q,
                 int (*fn)(struct store_proc *, void *), void *arg, int64_t *total)
{
	assert(a && q);
	if (total)
		*total = 0;
	if (q->all && !app_catalog_admin(ac))
		return ERR_FORBIDDEN;
	if (q->text && strlen(q->text) > APP_CATALOG_QUERY_MAX)
		return ERR_OUT_OF_RANGE;
	if (q->online_level != PROC_ONLINE_UNSET &&
	    (q->online_level < 0 || q->online_level > PROC_ONLINE_NO))
		return ERR_INVALID_FIELD;
	struct store_proc_query sq = {
		.text = q->text, .field = q->field && *q->field ? q->field : NULL,
		.online_level = q->online_level >= 0 ? proc_online_levels[q->online_level] : NULL,
		.published_only = !q->all, .limit = q->limit, .offset = q->offset,
	};
	return store_proc_list(a->st, &sq, fn, arg, total);
}

enum err
app_catalog_fields(struct app *a, int (*fn)(const char *, int64_t, void *), void *arg)
{
	return store_proc_fields(a->st, fn, arg);
}

enum err
app_catalog_get(struct app *a, const struct actor *ac, const char *code, int latest,
                struct store_proc *out)
{
	assert(a && code);
	if (latest && !app_catalog_admin(ac))
		return ERR_FORBIDDEN;
	return store_proc_get(a->st, code, !latest, out);
}

/* p checked; a refusal names the field. */
static enum err
check(const struct proc *p, const char *where, struct app_fail *f)
{
	struct proc_problem pb;
	enum err e = proc_check(p, &pb);
	if (e == ERR_OK || e == ERR_NOMEM)
		return e;
	char msg[sizeof f->msg];
	snprintf(msg, sizeof msg, "%s%s", where, pb.msg);
	return app_fail(f, e, pb.field, msg);
}

enum err
app_catalog_put(struct app *a, const struct actor *ac, const struct proc *p, int is_new,
                const char *source, struct app_fail *f)
{
	assert(a && p);
	if (!app_catalog_admin(ac))
		return app_fail(f, ERR_FORBIDDEN, "", "Chỉ quản trị viên được sửa danh mục thủ tục.");
	enum err e = check(p, "", f);
	if (e)
		return e;
	struct store_proc cur;
	e = store_proc_get(a->st, p->code, 0, &cur);
	if (e == ERR_OK)
		store_proc_free(&cur);
	if (e && e != ERR_NOT_FOUND)
		return e;
	if (is_new && e == ERR_OK)
		return app_fail(f, ERR_EXISTS, "code", "Mã thủ tục này đã có trong danh mục.");
	if (!is_new && e == ERR_NOT_FOUND)
		return app_fail(f, ERR_NOT_FOUND, "code", "Không có thủ tục với mã này.");
	return app_public_write(a, store_proc_put(a->st, ac->name, p, 1, source, NULL));
}

enum err
app_catalog_import(struct app *a, const struct actor *ac, const struct proc *v, size_t n,
                   const char *source, size_t *changed, struct app_fail *f)
{
	assert(a && (v || !n));
	if (!app_catalog_admin(ac))
		return app_fail(f, ERR_FORBIDDEN, "", "Chỉ quản trị viên được nạp danh mục thủ tục.");
	for (size_t i = 0; i < n; i++) {
		char where[96];
		snprintf(where, sizeof where, "thủ tục thứ %zu: ", i + 1);
		enum err e = check(&v[i], where, f);
		if (e)
			return e;
		for (size_t j = 0; j < i; j++)
			if (strcmp(v[i].code, v[j].code) == 0) {
				char msg[160];
				snprintf(msg, sizeof msg, "mã thủ tục %s xuất hiện hai lần trong tệp", v[i].code);
				return app_fail(f, ERR_INVALID_FIELD, "code", msg);
			}
	}
	return app_public_write(a, store_proc_put(a->st, ac->name, v, n, source, changed));
}

enum err
app_catalog_set_status(struct app *a, const struct actor *ac, const char *code,
                       enum proc_status status)
{
	assert(a && code);
	if (!app_catalog_admin(ac))
		return ERR_FORBIDDEN;
	if (status != PROC_PUBLISHED && status != PROC_RETIRED)
		return ERR_INVALID_FIELD;
	return app_public_write(a, store_proc_set_status(a->st, ac->name, code, proc_statuses[status]));
}

struct export_arg {
	struct proc *v;
	size_t n, cap;
	int oom;
};

/* Moves each listed version's procedure into the array. */
static int
export_one(struct store_proc *p, void *arg)
{
	struct export_arg *x = arg;
	if (x->n == x->cap) {
		size_t c = x->cap ? x->cap * 2 : 64;
		struct proc *q = realloc(x->v, c * sizeof *q);
		if (!q) {
			x->oom = 1;
			return 1;
		}
		x->v = q;
		x->cap = c;
	}
	x->v[x->n++] = p->proc;
	memset(&p->proc, 0, sizeof p->proc);
	return 0;
}

static int
by_code(const void *x, const void *y)
{
	return strcmp(((const struct proc *)x)->code, ((const struct proc *)y)->code);
}

enum err
app_catalog_export(struct app *a, const struct actor *ac, struct proc **v, size_t *n)
{
	assert(a && v && n);
	*v = NULL;
	*n = 0;
	if (!app_catalog_admin(ac))
		return ERR_FORBIDDEN;
	struct export_arg x = {0};
	struct store_proc_query q = {.limit = 1000000};
	enum err e = store_proc_list(a->st, &q, export_one, &x, NULL);
	if (!e && x.oom)
		e = ERR_NOMEM;
	if (e) {
		proc_array_free(x.v, x.n);
		return e;
	}
	if (x.n)
		qsort(x.v, x.n, sizeof *x.v, by_code);
	*v = x.v;
	*n = x.n;
	return ERR_OK;
}
