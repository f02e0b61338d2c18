/*
 * admin_catalog.c — the admin pages of the catalogue: the list with every
 * status, one form to create or edit a procedure (catalog_form.c), publish
 * and retire, import and export.  Editing a published procedure saves a
 * new version; dossiers keep the version they were received under.  The
 * service (app/catalog.h) checks who may and what is valid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/catalog.h"
#include "web/catalog_form.h"
#include "web/catalog_io.h"
#include "web/web.h"

static const char *
fv(struct http_req *req, const char *k)
{
	const char *v = form_get(&req->form, k);
	return v ? v : "";
}

static int
admin_one(struct store_proc *sp, void *arg)
{
	json_t *items = arg;
	const char *st = sp->status;
	json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:i,s:s,s:b,s:b}", "code", sp->proc.code,
	    "name", sp->proc.name, "field", sp->proc.field, "version", sp->version, "status_label",
	    strcmp(st, "draft") == 0 ? "Bản nháp" : strcmp(st, "retired") == 0 ? "Đã bãi bỏ" : "Đang công bố",
	    "draft", strcmp(st, "draft") == 0, "retired", strcmp(st, "retired") == 0));
	return 0;
}

/* The admin list page's data ("adm"), every status. */
static enum err
admin_list(struct http_req *req, struct http_resp *resp, json_t **d)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	json_t *items = json_array();
	struct app_catalog_query q = {.online_level = PROC_ONLINE_UNSET, .all = 1, .limit = 100000};
	int64_t total = 0;
	enum err e = app_catalog_list(&app->core, &ac, &q, admin_one, items, &total);
	*d = e ? NULL : web_page_data(req, resp, "Quản lý thủ tục hành chính");
	if (!*d) {
		json_decref(items);
		return e ? e : ERR_NOMEM;
	}
	json_object_set_new(*d, "adm", json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total));
	return ERR_OK;
}

enum err
admin_catalog(struct http_req *req, struct http_resp *resp)
{
	json_t *d;
	enum err e = admin_list(req, resp, &d);
	if (e)
		return e;
	const char *ok = form_get(&req->query, "ok");
	if (ok)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message",
		    strcmp(ok, "cong-bo") == 0 ? "Đã công bố thủ tục." : strcmp(ok, "bai-bo") == 0 ? "Đã bãi bỏ thủ tục."
		    : "Đã lưu thủ tục."));
	return web_render(req, resp, "admin_catalog", d);
}

static enum err
edit_page(struct http_req *req, struct http_resp *resp, json_t *values, int is_new, int status,
          enum err err, const char *detail, const struct store_proc *cur)
{
	json_t *d = values ? web_page_data(req, resp, is_new ? "Thêm thủ tục hành chính" : "Sửa thủ tục hành chính") : NULL;
	if (!d) {
		json_decref(values);
		return ERR_NOMEM;
	}
	json_object_set_new(values, "is_new", json_boolean(is_new));
	if (cur) {
		json_object_set_new(values, "version", json_integer(cur->version));
		json_object_set_new(values, "published", json_boolean(strcmp(cur->status, "published") == 0));
		json_object_set_new(values, "is_draft", json_boolean(strcmp(cur->status, "draft") == 0));
		json_object_set_new(values, "retired", json_boolean(strcmp(cur->status, "retired") == 0));
	}
	json_object_set_new(d, "f", values);
	if (err)
		json_object_set_new(d, "error", json_pack("{s:s,s:s,s:s}", "message", err_message(err), "code",
		                                          err_code(err), "detail", detail ? detail : ""));
	resp->status = status;
	return web_render(req, resp, "admin_procedure", d);
}

enum err
admin_procedure_new(struct http_req *req, struct http_resp *resp)
{
	struct proc blank;
	if (proc_init(&blank) != 0 || proc_set(&blank.level, "Cấp xã") != 0 ||
	    proc_set(&blank.agency, "Ủy ban nhân dân cấp xã") != 0) {
		proc_free(&blank);
		return ERR_NOMEM;
	}
	json_t *v = catalog_form_values(&blank);
	proc_free(&blank);
	return edit_page(req, resp, v, 1, 200, ERR_OK, NULL, NULL);
}

enum err
admin_procedure(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_proc sp;
	enum err e = app_catalog_get(&app->core, &ac, http_param(req, 0), 1, &sp);
	if (e)
		return e;
	e = edit_page(req, resp, catalog_form_values(&sp.proc), 0, 200, ERR_OK, NULL, &sp);
	store_proc_free(&sp);
	return e;
}

/* Create (code from the form) or edit (code from the path); the button
 * pressed says draft or publish.  A refusal shows the form as posted. */
static enum err
save(struct http_req *req, struct http_resp *resp, const char *code, int is_new)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	int publish = strcmp(fv(req, "action"), "publish") == 0;
	struct store_proc cur;
	enum err ce = is_new ? ERR_NOT_FOUND : app_catalog_get(&app->core, &ac, code, 1, &cur);
	if (ce && ce != ERR_NOT_FOUND)
		return ce;
	if (!is_new && ce)
		return ERR_NOT_FOUND;
	struct proc p;
	struct app_fail f = {0};
	enum err e = catalog_form_read(req, code, publish ? PROC_PUBLISHED : PROC_DRAFT, &p, &f);
	if (!e) {
		e = app_catalog_put(&app->core, &ac, &p, is_new, "web", &f);
		proc_free(&p);
	}
	if (e == ERR_OK)
		http_redirect(resp, publish ? "/quan-tri/thu-tuc?ok=cong-bo" : "/quan-tri/thu-tuc?ok=luu");
	else if (e != ERR_NOMEM && e != ERR_FORBIDDEN && e != ERR_INTERNAL)
		e = edit_page(req, resp, catalog_form_posted(req, code), is_new, err_status(e), e, f.msg,
		              ce ? NULL : &cur);
	if (!ce)
		store_proc_free(&cur);
	return e;
}

enum err
admin_procedure_create(struct http_req *req, struct http_resp *resp)
{
	return save(req, resp, fv(req, "code"), 1);
}

enum err
admin_procedure_update(struct http_req *req, struct http_resp *resp)
{
	return save(req, resp, http_param(req, 0), 0);
}

enum err
admin_procedure_status(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	const char *s = fv(req, "status");
	int st = proc_enum_find(proc_statuses, s);
	if (st != PROC_PUBLISHED && st != PROC_RETIRED)
		return ERR_INVALID_FIELD;
	enum err e = app_catalog_set_status(&app->core, &ac, http_param(req, 0), (enum proc_status)st);
	if (e)
		return e;
	http_redirect(resp, st == PROC_PUBLISHED ? "/quan-tri/thu-tuc?ok=cong-bo" : "/quan-tri/thu-tuc?ok=bai-bo");
	return ERR_OK;
}

enum err
admin_catalog_export(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	const char *fmt = form_get(&req->query, "dinh-dang");
	int csv = fmt && strcmp(fmt, "csv") == 0;
	buf_reset(&resp->body);
	enum err e = catalog_export_as(&app->core, &ac, csv, &resp->body);
	if (e)
		return e;
	resp->content_type = csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
	http_resp_header(resp, "Content-Disposition", csv ? "attachment; filename=\"thu-tuc.csv\""
	                                                  : "attachment; filename=\"thu-tuc.json\"");
	return ERR_OK;
}

enum err
admin_catalog_import(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const struct form_field *f = NULL;
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].name, "file") == 0)
			f = &req->form.v[i];
	struct actor ac;
	web_actor_of(req, &ac);
	char detail[512];
	size_t n = 0, ch = 0;
	enum err e = f && f->value_len ? catalog_import_as(&app->core, &ac, f->value, f->value_len,
	                                                   f->filename ? f->filename : "", &n, &ch, detail,
	                                                   sizeof detail)
	                               : ERR_MISSING_FIELD;
	if (!e) {
		http_redirect(resp, "/quan-tri/thu-tuc?ok=nhap");
		return ERR_OK;
	}
	json_t *d;
	enum err le = admin_list(req, resp, &d);
	if (le)
		return le;
	json_object_set_new(d, "error", json_pack("{s:s,s:s}", "message", err_message(e), "detail",
	                                          f ? detail : "Chọn tệp .json hoặc .csv để nạp."));
	resp->status = err_status(e);
	return web_render(req, resp, "admin_catalog", d);
}
