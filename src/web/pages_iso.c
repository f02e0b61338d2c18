/*
 * pages_iso.c — the quality management system (issue #16 item 4), thin
 * pages over app/iso.c:
 *   /iso                         the processes (current versions), open
 *                                nonconformities (overdue in red)
 *   /iso/moi                     a new process
 *   /iso/{id}[?phien-ban=N]      a process: a version, its history, the
 *                                revision form; /in prints it on A4
 *   /iso/danh-gia[/{id}]         internal audits; an audit's findings, new
 *                                findings, closing a corrective action
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/iso.h"
#include "core/calendar.h"
#include "core/vntime.h"
#include "web/print.h"
#include "web/web.h"

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

static int
pid(struct http_req *req, int i, int64_t *id)
{
	long v;
	if (web_parse_int(http_param(req, i), 1, 2000000000L, &v) != 0)
		return -1;
	*id = v;
	return 0;
}

static int
writer(struct http_req *req)
{
	struct web_user *wu = web_user(req);
	return wu && (wu->role & APP_ISO_WRITE);
}

/* Text lines into a JSON array of strings (blank lines dropped). */
static json_t *
lines_json(const char *s)
{
	json_t *a = json_array();
	while (a && *s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s = e ? e + 1 : s + strlen(s);
	}
	return a;
}

static json_t *
version_json(const struct store_iso_version *v)
{
	char eff[16], at[24];
	vn_day_short(v->effective_day, eff, sizeof eff);
	vn_fmt_datetime(v->created_at, at, sizeof at);
	json_t *o = json_pack("{s:I,s:s,s:i,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:s,s:i,s:b}", "id",
	                      (json_int_t)v->process_id, "code", v->code, "version", v->version, "title", v->title, "owner",
	                      v->owner, "scope", v->scope, "steps", lines_json(v->steps), "forms", lines_json(v->forms),
	                      "records", lines_json(v->records), "retention", v->retention, "procedures", v->procedures,
	                      "effective", eff, "approved_by", v->approved_by, "change_note", v->change_note,
	                      "versions", v->versions, "current", v->version == v->versions);
	if (o)
		json_object_set_new(o, "at", json_string(at));
	return o;
}

static int
version_add(const struct store_iso_version *v, void *arg)
{
	json_t *o = version_json(v);
	if (o)
		json_array_append_new(arg, o);
	return 0;
}

static json_t *
finding_json(const struct store_iso_finding *f, int32_t today)
{
	char due[16] = "", closed[16] = "", aday[16];
	if (f->due_day)
		vn_day_short(f->due_day, due, sizeof due);
	if (f->closed_day)
		vn_day_short(f->closed_day, closed, sizeof closed);
	vn_day_short(f->audit_day, aday, sizeof aday);
	int overdue = !f->closed_day && f->due_day && today > f->due_day ? today - f->due_day : 0;
	return json_pack("{s:I,s:I,s:s,s:b,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:b,s:s}", "id", (json_int_t)f->id, "audit_id",
	                 (json_int_t)f->audit_id, "process", f->process_code, "nc", strcmp(f->kind, "nonconformity") == 0,
	                 "description", f->description, "action", f->action, "unit", f->unit, "due", due, "closed",
	                 closed, "closed_note", f->closed_note, "overdue_days", overdue, "open", !f->closed_day,
	                 "audit_day", aday);
}

struct finds {
	json_t *a;
	int32_t today;
};

static int
finding_add(const struct store_iso_finding *f, void *arg)
{
	struct finds *fs = arg;
	json_t *o = finding_json(f, fs->today);
	if (o)
		json_array_append_new(fs->a, o);
	return 0;
}

static enum err
finish(struct http_req *req, struct http_resp *resp, json_t *d, const char *flash, const char *error, int status,
       const char *page)
{
	if (flash)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", flash));
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	resp->status = status;
	return web_render(req, resp, page, d);
}

static int
iso_status(enum err e)
{
	return e == ERR_FORBIDDEN ? 403 : e == ERR_CONFLICT || e == ERR_EXISTS ? 409 : 400;
}

enum err
iso_home(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	json_t *d = web_page_data(req, resp, "Hệ thống quản lý chất lượng");
	json_t *rows = json_array();
	struct finds fs = {json_array(), vn_day((int64_t)time(NULL))};
	if (!d || !rows || !fs.a) {
		json_decref(d);
		json_decref(rows);
		json_decref(fs.a);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "processes", rows);
	json_object_set_new(d, "open", fs.a);
	enum err e = app_iso_list(&app->core, &ac, version_add, rows);
	if (!e)
		e = app_iso_findings(&app->core, &ac, 0, finding_add, &fs);
	if (e) {
		json_decref(d);
		return e;
	}
	json_object_set_new(d, "can_write", json_boolean(writer(req)));
	return finish(req, resp, d, NULL, NULL, 200, "iso");
}

/* ---- a process ------------------------------------------------------------------ */
static void
version_of_form(struct http_req *req, struct store_iso_version *v)
{
	memset(v, 0, sizeof *v);
	snprintf(v->code, sizeof v->code, "%s", fv(req, "code"));
	snprintf(v->title, sizeof v->title, "%s", fv(req, "title"));
	snprintf(v->owner, sizeof v->owner, "%s", fv(req, "owner"));
	snprintf(v->scope, sizeof v->scope, "%s", fv(req, "scope"));
	snprintf(v->steps, sizeof v->steps, "%s", fv(req, "steps"));
	snprintf(v->forms, sizeof v->forms, "%s", fv(req, "forms"));
	snprintf(v->records, sizeof v->records, "%s", fv(req, "records"));
	snprintf(v->retention, sizeof v->retention, "%s", fv(req, "retention"));
	snprintf(v->procedures, sizeof v->procedures, "%s", fv(req, "procedures"));
	snprintf(v->approved_by, sizeof v->approved_by, "%s", fv(req, "approved_by"));
	snprintf(v->change_note, sizeof v->change_note, "%s", fv(req, "change_note"));
	cal_day day;
	v->effective_day = cal_parse_ymd(fv(req, "effective_day"), &day) == 0 ? day : 0;
}

/* The form's values: v's, or (typed) what was posted. */
static json_t *
form_json(struct http_req *req, const struct store_iso_version *v, int typed)
{
	char eff[16] = "";
	if (v->effective_day > 0)
		cal_format_ymd(v->effective_day, eff, sizeof eff);
	if (!v->effective_day && !typed)
		cal_format_ymd(vn_day((int64_t)time(NULL)), eff, sizeof eff);
#define F(name, val) typed ? fv(req, name) : (val)
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i}", "code", F("code", v->code), "title",
	                 F("title", v->title), "owner", F("owner", v->owner), "scope", F("scope", v->scope), "steps",
	                 F("steps", v->steps), "forms", F("forms", v->forms), "records", F("records", v->records),
	                 "retention", F("retention", v->retention), "procedures", F("procedures", v->procedures),
	                 "effective_day", F("effective_day", eff), "approved_by", F("approved_by", v->approved_by),
	                 "change_note", typed ? fv(req, "change_note") : "", "base", v->version);
#undef F
}

static enum err
new_page(struct http_req *req, struct http_resp *resp, int typed, int status, const char *error)
{
	json_t *d = web_page_data(req, resp, "Quy trình mới");
	struct store_iso_version *v = calloc(1, sizeof *v);
	json_t *f = v ? form_json(req, v, typed) : NULL;
	free(v);
	if (!d || !f) {
		json_decref(d);
		json_decref(f);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "f", f);
	return finish(req, resp, d, NULL, error, status, "iso_new");
}

enum err
iso_new(struct http_req *req, struct http_resp *resp)
{
	return new_page(req, resp, 0, 200, NULL);
}

enum err
iso_create(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_iso_version *v = malloc(sizeof *v);
	if (!v)
		return ERR_NOMEM;
	version_of_form(req, v);
	struct app_fail f = {"", ""};
	int64_t id = 0;
	enum err e = app_iso_save(&app->core, &ac, v, 0, (int64_t)time(NULL), &f, &id);
	free(v);
	if (e && f.msg[0])
		return new_page(req, resp, 1, iso_status(e), f.msg);
	if (e)
		return e;
	char loc[64];
	snprintf(loc, sizeof loc, "/iso/%lld?ok=tao", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

static enum err
process_page(struct http_req *req, struct http_resp *resp, int64_t id, int typed, int status, const char *error)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	long want = 0;
	const char *pv = form_get(&req->query, "phien-ban");
	if (pv && *pv && web_parse_int(pv, 1, 100000, &want) != 0)
		return ERR_NOT_FOUND;
	struct store_iso_version *v = malloc(sizeof *v), *cur = malloc(sizeof *cur);
	enum err e = v && cur ? app_iso_get(&app->core, &ac, id, (int)want, v) : ERR_NOMEM;
	if (!e)
		e = app_iso_get(&app->core, &ac, id, 0, cur);
	json_t *d = e ? NULL : web_page_data(req, resp, "Quy trình");
	json_t *hist = json_array();
	if (!e && (!d || !hist))
		e = ERR_NOMEM;
	if (!e)
		e = app_iso_history(&app->core, &ac, id, version_add, hist);
	if (e) {
		free(v);
		free(cur);
		json_decref(d);
		json_decref(hist);
		return e;
	}
	json_object_set_new(d, "p", version_json(v));
	json_object_set_new(d, "history", hist);
	json_object_set_new(d, "f", form_json(req, cur, typed));
	json_object_set_new(d, "current_version", json_integer(cur->version));
	json_object_set_new(d, "can_write", json_boolean(writer(req)));
	free(v);
	free(cur);
	const char *ok = form_get(&req->query, "ok");
	const char *flash = !ok ? NULL : !strcmp(ok, "tao") ? "Đã ban hành quy trình."
	                               : !strcmp(ok, "sua") ? "Đã ban hành phiên bản mới của quy trình; phiên bản cũ vẫn được lưu."
	                                                    : NULL;
	return finish(req, resp, d, flash, error, status, "iso_process");
}

enum err
iso_process(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	if (pid(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	return process_page(req, resp, id, 0, 200, NULL);
}

enum err
iso_revise(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (pid(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_iso_version *v = malloc(sizeof *v);
	if (!v)
		return ERR_NOMEM;
	version_of_form(req, v);
	v->process_id = id;
	long base = 0;
	(void)web_parse_int(fv(req, "base"), 0, 100000, &base);
	struct app_fail f = {"", ""};
	enum err e = app_iso_save(&app->core, &ac, v, (int)base, (int64_t)time(NULL), &f, NULL);
	free(v);
	if (e && f.msg[0])
		return process_page(req, resp, id, 1, iso_status(e), f.msg);
	if (e)
		return e;
	char loc[64];
	snprintf(loc, sizeof loc, "/iso/%lld?ok=sua", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
iso_print(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (pid(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_iso_version *v = malloc(sizeof *v);
	enum err e = v ? app_iso_get(&app->core, &ac, id, 0, v) : ERR_NOMEM;
	json_t *d = e ? NULL : web_print_data(req, "Quy trình", "", vn_instant(v->effective_day, 8 * 60));
	if (!e && !d)
		e = ERR_NOMEM;
	if (e) {
		free(v);
		return e;
	}
	char back[48];
	snprintf(back, sizeof back, "/iso/%lld", (long long)id);
	json_object_set_new(d, "p", version_json(v));
	json_object_set_new(d, "notice", json_pack("{s:s}", "no", v->code));
	json_object_set_new(d, "back", json_pack("{s:s,s:s}", "href", back, "label", v->title));
	free(v);
	return web_print_render(req, resp, "iso_print", d);
}

/* ---- audits ------------------------------------------------------------------------ */
static json_t *
audit_json(const struct store_iso_audit *au)
{
	char day[16];
	vn_day_short(au->day, day, sizeof day);
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:i}", "id", (json_int_t)au->id, "day", day, "scope", au->scope,
	                 "auditors", au->auditors, "summary", au->summary, "findings", au->findings, "open", au->open);
}

static int
audit_add(const struct store_iso_audit *au, void *arg)
{
	json_t *o = audit_json(au);
	if (o)
		json_array_append_new(arg, o);
	return 0;
}

static enum err
audits_page(struct http_req *req, struct http_resp *resp, int status, const char *error)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	json_t *d = web_page_data(req, resp, "Đánh giá nội bộ");
	json_t *rows = json_array();
	if (!d || !rows) {
		json_decref(d);
		json_decref(rows);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "audits", rows);
	enum err e = app_iso_audits(&app->core, &ac, audit_add, rows);
	if (e) {
		json_decref(d);
		return e;
	}
	char today[16];
	cal_format_ymd(vn_day((int64_t)time(NULL)), today, sizeof today);
	json_object_set_new(d, "f", json_pack("{s:s,s:s,s:s,s:s}", "day", error ? fv(req, "day") : today, "scope",
	                                      error ? fv(req, "scope") : "", "auditors", error ? fv(req, "auditors") : "",
	                                      "summary", error ? fv(req, "summary") : ""));
	json_object_set_new(d, "can_write", json_boolean(writer(req)));
	return finish(req, resp, d, NULL, error, status, "iso_audits");
}

enum err
iso_audits(struct http_req *req, struct http_resp *resp)
{
	return audits_page(req, resp, 200, NULL);
}

enum err
iso_audit_create(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_iso_audit au;
	memset(&au, 0, sizeof au);
	cal_day day;
	au.day = cal_parse_ymd(fv(req, "day"), &day) == 0 ? day : 0;
	snprintf(au.scope, sizeof au.scope, "%s", fv(req, "scope"));
	snprintf(au.auditors, sizeof au.auditors, "%s", fv(req, "auditors"));
	snprintf(au.summary, sizeof au.summary, "%s", fv(req, "summary"));
	struct app_fail f = {"", ""};
	int64_t id = 0;
	enum err e = app_iso_audit_add(&app->core, &ac, &au, (int64_t)time(NULL), &f, &id);
	if (e && f.msg[0])
		return audits_page(req, resp, iso_status(e), f.msg);
	if (e)
		return e;
	char loc[64];
	snprintf(loc, sizeof loc, "/iso/danh-gia/%lld", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

struct pick {
	json_t *a;
	int64_t sel;
};

static int
process_pick(const struct store_iso_version *v, void *arg)
{
	struct pick *p = arg;
	char label[700];
	snprintf(label, sizeof label, "%s — %s", v->code, v->title);
	json_array_append_new(p->a, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)v->process_id, "label", label,
	                                      "selected", v->process_id == p->sel));
	return 0;
}

static enum err
audit_page(struct http_req *req, struct http_resp *resp, int64_t id, int status, const char *error)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_iso_audit au;
	enum err e = app_iso_audit_get(&app->core, &ac, id, &au);
	if (e)
		return e;
	json_t *d = web_page_data(req, resp, "Đánh giá nội bộ");
	struct finds fs = {json_array(), vn_day((int64_t)time(NULL))};
	long sel = 0;
	if (error)
		(void)web_parse_int(fv(req, "process_id"), 0, 2000000000L, &sel);
	struct pick pk = {json_array(), sel};
	if (!d || !fs.a || !pk.a) {
		json_decref(d);
		json_decref(fs.a);
		json_decref(pk.a);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "findings", fs.a);
	json_object_set_new(d, "processes", pk.a);
	e = app_iso_findings(&app->core, &ac, id, finding_add, &fs);
	if (!e)
		e = app_iso_list(&app->core, &ac, process_pick, &pk);
	if (e) {
		json_decref(d);
		return e;
	}
	json_object_set_new(d, "a", audit_json(&au));
	const char *kind = error ? fv(req, "kind") : "nonconformity";
	json_object_set_new(d, "f", json_pack("{s:b,s:s,s:s,s:s,s:s}", "nc", strcmp(kind, "observation") != 0,
	                                      "description", error ? fv(req, "description") : "", "action",
	                                      error ? fv(req, "action") : "", "unit", error ? fv(req, "unit") : "",
	                                      "due_day", error ? fv(req, "due_day") : ""));
	json_object_set_new(d, "can_write", json_boolean(writer(req)));
	return finish(req, resp, d, NULL, error, status, "iso_audit");
}

enum err
iso_audit(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	if (pid(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	return audit_page(req, resp, id, 200, NULL);
}

enum err
iso_finding_create(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (pid(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_iso_finding *fd = calloc(1, sizeof *fd);
	if (!fd)
		return ERR_NOMEM;
	fd->audit_id = id;
	snprintf(fd->kind, sizeof fd->kind, "%.15s", fv(req, "kind"));
	snprintf(fd->description, sizeof fd->description, "%s", fv(req, "description"));
	snprintf(fd->action, sizeof fd->action, "%s", fv(req, "action"));
	snprintf(fd->unit, sizeof fd->unit, "%s", fv(req, "unit"));
	long p = 0;
	cal_day day;
	struct app_fail f = {"", ""};
	enum err e = ERR_OK;
	if (*fv(req, "process_id") && web_parse_int(fv(req, "process_id"), 0, 2000000000L, &p) != 0)
		e = app_fail(&f, ERR_INVALID_FIELD, "process_id", "Chọn quy trình trong danh sách.");
	else if (*fv(req, "due_day") && cal_parse_ymd(fv(req, "due_day"), &day) != 0)
		e = app_fail(&f, ERR_INVALID_FIELD, "due_day", "Thời hạn khắc phục không hợp lệ.");
	else if (*fv(req, "due_day"))
		fd->due_day = day;
	fd->process_id = p;
	if (!e)
		e = app_iso_finding_add(&app->core, &ac, fd, (int64_t)time(NULL), &f, NULL);
	free(fd);
	if (e && f.msg[0])
		return audit_page(req, resp, id, iso_status(e), f.msg);
	if (e)
		return e;
	char loc[64];
	snprintf(loc, sizeof loc, "/iso/danh-gia/%lld", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
iso_finding_close(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id, fid;
	if (pid(req, 0, &id) != 0 || pid(req, 1, &fid) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	enum err e = app_iso_finding_close(&app->core, &ac, id, fid, fv(req, "note"), (int64_t)time(NULL), &f);
	if (e && f.msg[0])
		return audit_page(req, resp, id, iso_status(e), f.msg);
	if (e)
		return e;
	char loc[64];
	snprintf(loc, sizeof loc, "/iso/danh-gia/%lld", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}
