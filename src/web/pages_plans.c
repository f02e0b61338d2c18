/*
 * pages_plans.c — the yearly plans (issue #16 item 1), thin pages over
 * app/plans.c:
 *   /ke-hoach                          the plans by year, the reminders, a new plan
 *   /ke-hoach/nhac-viec                open tasks due within 7 days or overdue
 *   /ke-hoach/{id}[?don-vi=]           a plan: its issuing document, its tasks (all
 *                                      units or one), figures; /in prints it (A4
 *                                      landscape), /chuyen-nam carries the open
 *                                      tasks to next year, /nhiem-vu-moi adds a task
 *   /ke-hoach/nhiem-vu/{id}            a task: progress report, evidence, history;
 *                                      /sua edits it, /bao-cao reports, /minh-chung
 *                                      attaches evidence, /minh-chung/{sha} reads it
 * Who may open which is in routes.c; who may touch which record in app/plans.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/budget.h"
#include "app/plans.h"
#include "core/calendar.h"
#include "core/money.h"
#include "core/vntime.h"
#include "web/print.h"
#include "web/web.h"

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

static const char *
qv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->query, name);
	return v ? v : "";
}

static int
param_id(struct http_req *req, int i, int64_t *id)
{
	long v;
	if (web_parse_int(http_param(req, i), 1, 2000000000L, &v) != 0)
		return -1;
	*id = v;
	return 0;
}

static void
day_text(int32_t day, char *out, size_t n)
{
	if (day > 0)
		vn_day_short(day, out, n);
	else
		snprintf(out, n, "%s", "");
}

static void
ymd_text(int32_t day, char *out, size_t n)
{
	if (day > 0)
		cal_format_ymd(day, out, n);
	else
		snprintf(out, n, "%s", "");
}

static json_t *
plan_json(const struct store_plan *p)
{
	char day[16];
	day_text(p->doc_day, day, sizeof day);
	const char *kl = app_plan_kind_label(p->kind);
	int live = p->tasks - p->cancelled;
	return json_pack("{s:I,s:i,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:i,s:i,s:i}", "id", (json_int_t)p->id, "year", p->year,
	                 "next_year", p->year + 1,
	                 "kind", p->kind, "kind_label", kl ? kl : p->kind, "title", p->title, "doc_number",
	                 p->doc_number, "doc_day", day, "doc_signer", p->doc_signer, "issued", p->doc_day > 0, "tasks",
	                 p->tasks, "done", p->done, "done_pct", live ? (p->done * 100 + live / 2) / live : 0);
}

/* What a task row shows, the day's judgement in words. */
static json_t *
task_json(const struct app_plan_task *v)
{
	const struct store_plan_task *t = &v->t;
	char start[16], due[16], done[16], budget[40] = "", state[120];
	day_text(t->start_day, start, sizeof start);
	day_text(t->due_day, due, sizeof due);
	day_text(t->done_day, done, sizeof done);
	if (t->budget)
		money_figures(t->budget, budget, sizeof budget);
	const char *sl = app_plan_status_label(t->status), *fl = app_plan_field_label(t->kind, t->field);
	if (v->overdue_days)
		snprintf(state, sizeof state, "Quá hạn %d ngày", v->overdue_days);
	else if (v->open && v->due_in == 0)
		snprintf(state, sizeof state, "Đến hạn hôm nay");
	else if (v->soon)
		snprintf(state, sizeof state, "Còn %d ngày", v->due_in);
	else if (v->late_days)
		snprintf(state, sizeof state, "Hoàn thành chậm %d ngày", v->late_days);
	else if (strcmp(t->status, "done") == 0)
		snprintf(state, sizeof state, "Hoàn thành đúng hạn");
	else
		state[0] = '\0';
	json_t *o = json_pack("{s:I,s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s}", "id",
	                      (json_int_t)t->id, "plan_id", (json_int_t)t->plan_id, "no", t->no, "title", t->title,
	                      "field", t->field, "field_label", fl ? fl : t->field, "unit", t->unit, "person",
	                      t->person_name, "coop_units", t->coop_units, "start", start, "due", due, "done_day", done,
	                      "output", t->output, "budget_line", t->budget_line, "budget", budget, "progress",
	                      t->progress, "status", t->status, "status_label", sl ? sl : t->status);
	if (!o)
		return NULL;
	json_object_set_new(o, "state", json_string(state));
	json_object_set_new(o, "overdue", json_boolean(v->overdue_days > 0));
	json_object_set_new(o, "soon", json_boolean(v->soon));
	json_object_set_new(o, "late", json_boolean(v->late_days > 0));
	json_object_set_new(o, "open", json_boolean(v->open));
	json_object_set_new(o, "can_report", json_boolean(v->can_report));
	json_object_set_new(o, "can_edit", json_boolean(v->can_edit));
	json_object_set_new(o, "year", json_integer(t->year));
	json_object_set_new(o, "carried_from", json_integer(t->carried_from));
	json_object_set_new(o, "carried_to", json_integer(t->carried_to));
	json_object_set_new(o, "version", json_integer(t->version));
	return o;
}

static int
task_add(const struct app_plan_task *v, void *arg)
{
	json_t *o = task_json(v);
	if (o)
		json_array_append_new(arg, o);
	return 0;
}

static json_t *
sum_json(const struct app_plan_sum *s)
{
	char budget[40];
	money_figures(s->budget, budget, sizeof budget);
	return json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:s}", "tasks", s->tasks, "done", s->done,
	                 "done_late", s->done_late, "in_progress", s->in_progress, "not_started", s->not_started,
	                 "cancelled", s->cancelled, "overdue", s->overdue, "soon", s->soon, "progress", s->progress,
	                 "done_pct", s->done_pct, "budget", budget);
}

/* A page's end: the flash and the error (when given), the status, the template. */
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
can(struct http_req *req, unsigned roles)
{
	struct web_user *wu = web_user(req);
	return wu && (wu->role & roles);
}

static int
plan_add(const struct store_plan *p, void *arg)
{
	json_t *o = plan_json(p);
	if (o)
		json_array_append_new(arg, o);
	return 0;
}

static int
count_task(const struct app_plan_task *v, void *arg)
{
	int *n = arg;
	n[0] += v->overdue_days > 0;
	n[1] += v->overdue_days == 0;
	return 0;
}

void
web_plan_reminders(struct http_req *req, json_t *d)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	int n[2] = {0, 0};
	if (app_plan_reminders(&app->core, &ac, (int64_t)time(NULL), count_task, n) != ERR_OK || !(n[0] + n[1]))
		return;
	json_object_set_new(d, "plan_remind", json_pack("{s:i,s:i,s:i}", "overdue", n[0], "soon", n[1], "days",
	                                                APP_PLAN_REMIND_DAYS));
}

/* ---- the plans ------------------------------------------------------------------ */
static json_t *
kinds_json(const char *sel)
{
	json_t *a = json_array();
	static const char *const codes[] = {"reform", "it"};
	for (size_t i = 0; i < 2; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", codes[i], "label",
		                                   app_plan_kind_label(codes[i]), "selected", strcmp(sel, codes[i]) == 0));
	return a;
}

static enum err
plans_page(struct http_req *req, struct http_resp *resp, int status, const char *error)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	json_t *d = web_page_data(req, resp, "Kế hoạch cải cách hành chính");
	json_t *rows = json_array();
	if (!d || !rows) {
		json_decref(d);
		json_decref(rows);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "plans", rows);
	enum err e = app_plans(&app->core, &ac, plan_add, rows);
	if (e) {
		json_decref(d);
		return e;
	}
	struct vn_tm now;
	vn_local((int64_t)time(NULL), &now);
	const char *year = error ? fv(req, "year") : "";
	char ybuf[8];
	snprintf(ybuf, sizeof ybuf, "%d", now.year);
	json_object_set_new(d, "f", json_pack("{s:s,s:o,s:s}", "year", *year ? year : ybuf, "kinds",
	                                      kinds_json(error ? fv(req, "kind") : "reform"), "title",
	                                      error ? fv(req, "title") : ""));
	json_object_set_new(d, "can_manage", json_boolean(can(req, APP_PLAN_MANAGE)));
	web_plan_reminders(req, d);
	return finish(req, resp, d, NULL, error, status, "plans");
}

enum err
plans_home(struct http_req *req, struct http_resp *resp)
{
	return plans_page(req, resp, 200, NULL);
}

static int
plan_err_status(enum err e)
{
	return e == ERR_FORBIDDEN ? 403 : e == ERR_CONFLICT || e == ERR_EXISTS ? 409 : e == ERR_UNSUPPORTED_MEDIA ? 415 : 400;
}

enum err
plans_create(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_plan p;
	memset(&p, 0, sizeof p);
	long y;
	p.year = web_parse_int(fv(req, "year"), 2000, 2100, &y) == 0 ? (int)y : 0;
	snprintf(p.kind, sizeof p.kind, "%.7s", fv(req, "kind"));
	snprintf(p.title, sizeof p.title, "%s", fv(req, "title"));
	struct app_fail f = {"", ""};
	int64_t id = 0;
	enum err e = app_plan_save(&app->core, &ac, &p, (int64_t)time(NULL), &f, &id);
	if (e && f.msg[0])
		return plans_page(req, resp, plan_err_status(e), f.msg);
	if (e)
		return e;
	char loc[64];
	snprintf(loc, sizeof loc, "/ke-hoach/%lld?ok=tao", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
plans_reminders(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	json_t *d = web_page_data(req, resp, "Nhắc việc kế hoạch");
	json_t *rows = json_array();
	if (!d || !rows) {
		json_decref(d);
		json_decref(rows);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "rows", rows);
	enum err e = app_plan_reminders(&app->core, &ac, (int64_t)time(NULL), task_add, rows);
	if (e) {
		json_decref(d);
		return e;
	}
	json_object_set_new(d, "days", json_integer(APP_PLAN_REMIND_DAYS));
	json_object_set_new(d, "all_units", json_boolean(can(req, APP_PLAN_MANAGE | ROLE_VIEWER)));
	json_object_set_new(d, "unit", json_string(web_user(req)->u.unit));
	return web_render(req, resp, "plan_reminders", d);
}

/* ---- one plan ---------------------------------------------------------------------- */
struct unit_list {
	json_t *a;
	const char *sel;
};

static int
unit_add(const char *unit, void *arg)
{
	struct unit_list *u = arg;
	json_array_append_new(u->a, json_pack("{s:s,s:b}", "value", unit, "selected", strcmp(unit, u->sel) == 0));
	return 0;
}

static json_t *
units_json(struct http_req *req, const char *sel)
{
	struct web_app *app = req->app;
	struct unit_list u = {json_array(), sel};
	if (u.a)
		(void)app_plan_units(&app->core, unit_add, &u);
	return u.a;
}

/* The plan's head, its tasks (of unit, "" all) and figures into d. */
static enum err
plan_data(struct http_req *req, json_t *d, int64_t id, const char *unit, struct store_plan *p)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	enum err e = app_plan_get(&app->core, &ac, id, p);
	if (e)
		return e;
	json_t *rows = json_array();
	if (!rows)
		return ERR_NOMEM;
	json_object_set_new(d, "tasks", rows);
	struct app_plan_sum sum;
	if ((e = app_plan_tasks(&app->core, &ac, id, unit, (int64_t)time(NULL), task_add, rows, &sum)))
		return e;
	json_object_set_new(d, "plan", plan_json(p));
	json_object_set_new(d, "sum", sum_json(&sum));
	json_object_set_new(d, "unit", json_string(unit));
	return ERR_OK;
}

static enum err
plan_page(struct http_req *req, struct http_resp *resp, int64_t id, int status, const char *error)
{
	const char *unit = qv(req, "don-vi");
	json_t *d = web_page_data(req, resp, "Kế hoạch");
	if (!d)
		return ERR_NOMEM;
	struct store_plan p;
	enum err e = plan_data(req, d, id, unit, &p);
	if (e) {
		json_decref(d);
		return e;
	}
	char title[700];
	snprintf(title, sizeof title, "%s", p.title);
	json_object_set_new(d, "title", json_string(title));
	json_object_set_new(d, "units", units_json(req, unit));
	json_object_set_new(d, "my_unit", json_string(web_user(req)->u.unit));
	json_object_set_new(d, "can_manage", json_boolean(can(req, APP_PLAN_MANAGE)));
	char doc_day[16];
	ymd_text(p.doc_day, doc_day, sizeof doc_day);
	json_object_set_new(d, "h", json_pack("{s:s,s:s,s:s,s:s}", "title", error ? fv(req, "title") : p.title,
	                                      "doc_number", error ? fv(req, "doc_number") : p.doc_number, "doc_day",
	                                      error ? fv(req, "doc_day") : doc_day, "doc_signer",
	                                      error ? fv(req, "doc_signer") : p.doc_signer));
	const char *ok = qv(req, "ok");
	const char *flash = strcmp(ok, "tao") == 0      ? "Đã lập kế hoạch. Hãy ghi văn bản ban hành và thêm nhiệm vụ."
	                    : strcmp(ok, "luu") == 0    ? "Đã lưu kế hoạch."
	                    : strcmp(ok, "nhiem-vu") == 0 ? "Đã thêm nhiệm vụ vào kế hoạch."
	                                                  : NULL;
	char carried[160];
	if (strcmp(ok, "chuyen") == 0) {
		snprintf(carried, sizeof carried, "Đã chuyển %s nhiệm vụ chưa hoàn thành sang kế hoạch năm %d.",
		         *qv(req, "n") ? qv(req, "n") : "0", p.year + 1);
		flash = carried;
	}
	return finish(req, resp, d, flash, error, status, "plan");
}

enum err
plan_view(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	return plan_page(req, resp, id, 200, NULL);
}

enum err
plan_update(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_plan p;
	memset(&p, 0, sizeof p);
	p.id = id;
	snprintf(p.title, sizeof p.title, "%s", fv(req, "title"));
	snprintf(p.doc_number, sizeof p.doc_number, "%s", fv(req, "doc_number"));
	snprintf(p.doc_signer, sizeof p.doc_signer, "%s", fv(req, "doc_signer"));
	struct app_fail f = {"", ""};
	cal_day day = 0;
	if (*fv(req, "doc_day") && cal_parse_ymd(fv(req, "doc_day"), &day) != 0)
		return plan_page(req, resp, id, 400, "Ngày ban hành không hợp lệ (dạng năm-tháng-ngày).");
	p.doc_day = day;
	enum err e = app_plan_save(&app->core, &ac, &p, (int64_t)time(NULL), &f, NULL);
	if (e && f.msg[0])
		return plan_page(req, resp, id, plan_err_status(e), f.msg);
	if (e)
		return e;
	char loc[64];
	snprintf(loc, sizeof loc, "/ke-hoach/%lld?ok=luu", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
plan_print(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	const char *unit = qv(req, "don-vi");
	struct store_plan p;
	enum err e = app_plan_get(&app->core, &ac, id, &p);
	if (e)
		return e;
	/* dated the day it was issued; a draft today */
	json_t *d = web_print_data(req, "Kế hoạch", "", p.doc_day > 0 ? vn_instant(p.doc_day, 8 * 60) : (int64_t)time(NULL));
	if (!d)
		return ERR_NOMEM;
	if ((e = plan_data(req, d, id, unit, &p))) {
		json_decref(d);
		return e;
	}
	char back[48];
	snprintf(back, sizeof back, "/ke-hoach/%lld", (long long)id);
	json_object_set_new(d, "wide", json_true());
	json_object_set_new(d, "notice", json_pack("{s:s}", "no", p.doc_number));
	json_object_set_new(d, "back", json_pack("{s:s,s:s}", "href", back, "label", p.title));
	return web_print_render(req, resp, "plan_print", d);
}

enum err
plan_carry(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id, to = 0;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	int n = 0;
	enum err e = app_plan_carry(&app->core, &ac, id, (int64_t)time(NULL), &f, &n, &to);
	if (e && f.msg[0])
		return plan_page(req, resp, id, plan_err_status(e), f.msg);
	if (e)
		return e;
	char loc[80];
	snprintf(loc, sizeof loc, "/ke-hoach/%lld?ok=chuyen&n=%d", (long long)id, n);
	http_redirect(resp, loc);
	return ERR_OK;
}

/* ---- a task: the form ----------------------------------------------------------------- */
struct people_list {
	json_t *a;
	int64_t sel;
};

static int
person_add(const struct store_user *u, void *arg)
{
	struct people_list *p = arg;
	char label[600];
	snprintf(label, sizeof label, "%s%s%s", u->full_name, u->unit[0] ? " — " : "", u->unit);
	json_array_append_new(p->a, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)u->id, "label", label, "selected",
	                                      u->id == p->sel));
	return 0;
}

struct line_list {
	json_t *a;
	int64_t sel;
};

static int
line_add(const struct store_budget_line *l, void *arg)
{
	struct line_list *ll = arg;
	json_array_append_new(ll->a, json_pack("{s:I,s:s,s:b}", "value", (json_int_t)l->id, "label", l->name, "selected",
	                                       l->id == ll->sel));
	return 0;
}

/* The task form's data: what was typed (after a refusal) or the task's. */
static json_t *
task_form(struct http_req *req, const struct store_plan *p, const struct store_plan_task *t, int typed)
{
	struct web_app *app = req->app;
	const struct app_plan_field *fl;
	size_t nf = app_plan_fields(p->kind, &fl);
	const char *field = typed ? fv(req, "field") : t->field;
	json_t *fields = json_array();
	for (size_t i = 0; i < nf; i++)
		json_array_append_new(fields, json_pack("{s:s,s:s,s:b}", "value", fl[i].code, "label", fl[i].label,
		                                        "selected", strcmp(field, fl[i].code) == 0));
	long pid = 0;
	if (typed)
		(void)web_parse_int(fv(req, "person_id"), 0, 2000000000L, &pid);
	struct people_list pl = {json_array(), typed ? pid : t->person_id};
	if (pl.a)
		(void)app_plan_people(&app->core, person_add, &pl);
	long bl = 0;
	if (typed)
		(void)web_parse_int(fv(req, "budget_line"), 0, 2000000000L, &bl);
	struct line_list ll = {json_array(), typed ? bl : t->budget_line_id};
	struct actor ac;
	web_actor_of(req, &ac);
	if (ll.a)
		(void)app_budget_lines(&app->core, &ac, p->year, line_add, &ll);
	char start[16], due[16], budget[40] = "";
	ymd_text(t->start_day, start, sizeof start);
	ymd_text(t->due_day, due, sizeof due);
	if (t->budget)
		money_figures(t->budget, budget, sizeof budget);
	json_t *o = json_pack("{s:s,s:o,s:s,s:o,s:s,s:s,s:s,s:s,s:o,s:s}", "title", typed ? fv(req, "title") : t->title,
	                      "fields", fields, "unit", typed ? fv(req, "unit") : t->unit, "people", pl.a, "coop_units",
	                      typed ? fv(req, "coop_units") : t->coop_units, "start", typed ? fv(req, "start") : start,
	                      "due", typed ? fv(req, "due") : due, "output", typed ? fv(req, "output") : t->output,
	                      "lines", ll.a, "budget",
	                      typed ? fv(req, "budget") : budget);
	if (o) {
		json_object_set_new(o, "units", units_json(req, ""));
		json_object_set_new(o, "id", json_integer(t->id));
		json_object_set_new(o, "version", json_integer(t->version));
		json_object_set_new(o, "plan_id", json_integer(p->id));
		char first[16], last[16];
		cal_format_ymd(cal_day_from_ymd(p->year, 1, 1), first, sizeof first);
		cal_format_ymd(cal_day_from_ymd(p->year, 12, 31), last, sizeof last);
		json_object_set_new(o, "min", json_string(first));
		json_object_set_new(o, "max", json_string(last));
	}
	return o;
}

static enum err
task_form_page(struct http_req *req, struct http_resp *resp, const struct store_plan *p,
               const struct store_plan_task *t, int typed, int status, const char *error)
{
	json_t *d = web_page_data(req, resp, t->id ? "Sửa nhiệm vụ" : "Thêm nhiệm vụ");
	json_t *f = task_form(req, p, t, typed);
	if (!d || !f) {
		json_decref(d);
		json_decref(f);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "f", f);
	json_object_set_new(d, "plan", plan_json(p));
	return finish(req, resp, d, NULL, error, status, "plan_task_form");
}

enum err
plan_task_new(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_plan p;
	enum err e = app_plan_get(&app->core, &ac, id, &p);
	if (e)
		return e;
	struct store_plan_task *t = calloc(1, sizeof *t);
	if (!t)
		return ERR_NOMEM;
	t->plan_id = id;
	snprintf(t->unit, sizeof t->unit, "%s", ac.unit);
	t->start_day = cal_day_from_ymd(p.year, 1, 1);
	t->due_day = cal_day_from_ymd(p.year, 12, 31);
	e = task_form_page(req, resp, &p, t, 0, 200, NULL);
	free(t);
	return e;
}

/* The task the form describes into t (days 0 when they do not parse). */
static int
task_of_form(struct http_req *req, struct store_plan_task *t)
{
	snprintf(t->title, sizeof t->title, "%s", fv(req, "title"));
	snprintf(t->field, sizeof t->field, "%.23s", fv(req, "field"));
	snprintf(t->unit, sizeof t->unit, "%s", fv(req, "unit"));
	snprintf(t->coop_units, sizeof t->coop_units, "%s", fv(req, "coop_units"));
	snprintf(t->output, sizeof t->output, "%s", fv(req, "output"));
	long pid = 0, bl = 0;
	if (*fv(req, "person_id") && web_parse_int(fv(req, "person_id"), 0, 2000000000L, &pid) != 0)
		return -1;
	if (*fv(req, "budget_line") && web_parse_int(fv(req, "budget_line"), 0, 2000000000L, &bl) != 0)
		return -1;
	t->budget_line_id = bl;
	t->person_id = pid;
	cal_day d;
	t->start_day = cal_parse_ymd(fv(req, "start"), &d) == 0 ? d : 0;
	t->due_day = cal_parse_ymd(fv(req, "due"), &d) == 0 ? d : 0;
	if (!*fv(req, "budget"))
		t->budget = 0;
	else if (web_parse_money(fv(req, "budget"), &t->budget) != 0 || t->budget < 0)
		t->budget = -1;   /* the service says what is wrong */
	long v;
	if (*fv(req, "version") && web_parse_int(fv(req, "version"), 0, 2000000000L, &v) == 0)
		t->version = v;
	return 0;
}

static enum err
task_save(struct http_req *req, struct http_resp *resp, int64_t plan_id, int64_t task_id)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_plan_task *t = calloc(1, sizeof *t);
	if (!t)
		return ERR_NOMEM;
	t->plan_id = plan_id;
	t->id = task_id;
	struct app_fail f = {"", ""};
	int64_t id = 0;
	enum err e = task_of_form(req, t) != 0
	                 ? app_fail(&f, ERR_INVALID_FIELD, "person_id", "Chọn người chịu trách nhiệm và dòng kinh phí trong danh sách.")
	                 : app_plan_task_save(&app->core, &ac, t, (int64_t)time(NULL), &f, &id);
	if (e && f.msg[0]) {
		struct store_plan p;
		enum err pe = ERR_OK;
		if (task_id) {
			struct app_plan_task v;
			pe = app_plan_task_get(&app->core, &ac, task_id, (int64_t)time(NULL), &v);
			plan_id = pe ? 0 : v.t.plan_id;
		}
		if (!pe)
			pe = app_plan_get(&app->core, &ac, plan_id, &p);
		e = pe ? pe : task_form_page(req, resp, &p, t, 1, plan_err_status(e), f.msg);
		free(t);
		return e;
	}
	free(t);
	if (e)
		return e;
	char loc[80];
	if (task_id)
		snprintf(loc, sizeof loc, "/ke-hoach/nhiem-vu/%lld?ok=sua", (long long)task_id);
	else
		snprintf(loc, sizeof loc, "/ke-hoach/%lld?ok=nhiem-vu#nv-%lld", (long long)plan_id, (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
plan_task_create(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	return task_save(req, resp, id, 0);
}

enum err
plan_task_edit(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_plan_task *v = malloc(sizeof *v);
	if (!v)
		return ERR_NOMEM;
	struct store_plan p;
	enum err e = app_plan_task_get(&app->core, &ac, id, (int64_t)time(NULL), v);
	if (!e)
		e = app_plan_get(&app->core, &ac, v->t.plan_id, &p);
	if (!e && !v->can_edit)
		e = ERR_FORBIDDEN;
	if (!e)
		e = task_form_page(req, resp, &p, &v->t, 0, 200, NULL);
	free(v);
	return e;
}

enum err
plan_task_update(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	return task_save(req, resp, 0, id);
}

/* ---- a task: the page, reports, evidence -------------------------------------------------- */
static int
event_add(const struct store_plan_event *ev, void *arg)
{
	static const char *const ACTIONS[][2] = {
		{"create", "Giao nhiệm vụ"}, {"edit", "Sửa nhiệm vụ"}, {"report", "Báo cáo tiến độ"},
		{"carry", "Chuyển năm"},     {"file", "Đính kèm minh chứng"},
	};
	const char *al = ev->action;
	for (size_t i = 0; i < sizeof ACTIONS / sizeof ACTIONS[0]; i++)
		if (strcmp(ACTIONS[i][0], ev->action) == 0)
			al = ACTIONS[i][1];
	char at[24];
	vn_fmt_datetime(ev->at, at, sizeof at);
	const char *sl = ev->status[0] ? app_plan_status_label(ev->status) : NULL;
	const char *who = strncmp(ev->actor_name, "user:", 5) == 0 ? ev->actor_name + 5 : ev->actor_name;
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "at", at, "who", who, "action", al, "status", sl ? sl : "",
	                      "note", ev->note);
	if (o && ev->progress >= 0)
		json_object_set_new(o, "progress", json_integer(ev->progress));
	if (o)
		json_array_append_new(arg, o);
	return 0;
}

struct files_ctx {
	json_t *a;
	int64_t id;
};

static int
file_add(const struct store_plan_file *f, void *arg)
{
	struct files_ctx *c = arg;
	char at[24], href[160];
	vn_fmt_datetime(f->at, at, sizeof at);
	snprintf(href, sizeof href, "/ke-hoach/nhiem-vu/%lld/minh-chung/%s", (long long)c->id, f->sha256);
	json_array_append_new(c->a, json_pack("{s:s,s:s,s:I,s:s}", "name", f->name, "href", href, "kb",
	                                      (json_int_t)((f->size + 1023) / 1024), "at", at));
	return 0;
}

static json_t *
statuses_json(const char *sel, int manager)
{
	json_t *a = json_array();
	static const char *const codes[] = {"not_started", "in_progress", "done", "cancelled"};
	for (size_t i = 0; i < 4; i++) {
		if (i == 3 && !manager)
			break;
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", codes[i], "label",
		                                   app_plan_status_label(codes[i]), "selected", strcmp(sel, codes[i]) == 0));
	}
	return a;
}

static enum err
task_page(struct http_req *req, struct http_resp *resp, int64_t id, int status, const char *error)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_plan_task *v = malloc(sizeof *v);
	if (!v)
		return ERR_NOMEM;
	enum err e = app_plan_task_get(&app->core, &ac, id, (int64_t)time(NULL), v);
	struct store_plan p;
	if (!e)
		e = app_plan_get(&app->core, &ac, v->t.plan_id, &p);
	json_t *d = e ? NULL : web_page_data(req, resp, "Nhiệm vụ kế hoạch");
	json_t *task = d ? task_json(v) : NULL, *events = json_array(), *files = json_array();
	if (!e && (!d || !task || !events || !files))
		e = ERR_NOMEM;
	struct files_ctx fc = {files, id};
	if (!e)
		e = app_plan_task_events(&app->core, &ac, id, event_add, events);
	if (!e)
		e = app_plan_files(&app->core, &ac, id, file_add, &fc);
	if (e) {
		free(v);
		json_decref(d);
		json_decref(task);
		json_decref(events);
		json_decref(files);
		return e;
	}
	json_object_set_new(d, "t", task);
	json_object_set_new(d, "plan", plan_json(&p));
	json_object_set_new(d, "events", events);
	json_object_set_new(d, "files", files);
	char pr[8];
	snprintf(pr, sizeof pr, "%d", v->t.progress);
	json_object_set_new(d, "r", json_pack("{s:s,s:o,s:s}", "progress", error ? fv(req, "progress") : pr, "statuses",
	                                      statuses_json(error ? fv(req, "status") : v->t.status, v->can_edit),
	                                      "note", error ? fv(req, "note") : ""));
	const char *ok = qv(req, "ok");
	const char *flash = strcmp(ok, "bao-cao") == 0      ? "Đã ghi báo cáo tiến độ."
	                    : strcmp(ok, "minh-chung") == 0 ? "Đã đính kèm minh chứng."
	                    : strcmp(ok, "sua") == 0        ? "Đã lưu nhiệm vụ."
	                                                    : NULL;
	free(v);
	return finish(req, resp, d, flash, error, status, "plan_task");
}

enum err
plan_task_view(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	return task_page(req, resp, id, 200, NULL);
}

enum err
plan_task_report(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	long progress, version;
	struct app_fail f = {"", ""};
	enum err e;
	if (web_parse_int(fv(req, "progress"), 0, 100, &progress) != 0)
		e = app_fail(&f, ERR_INVALID_FIELD, "progress", "Tiến độ là số phần trăm từ 0 đến 100.");
	else if (web_parse_int(fv(req, "version"), 1, 2000000000L, &version) != 0)
		e = app_fail(&f, ERR_BAD_FORM, "version", "Biểu mẫu thiếu phiên bản nhiệm vụ: hãy tải lại trang.");
	else
		e = app_plan_task_report(&app->core, &ac, id, version, (int)progress, fv(req, "status"), fv(req, "note"),
		                         (int64_t)time(NULL), &f);
	if (e && f.msg[0])
		return task_page(req, resp, id, plan_err_status(e), f.msg);
	if (e)
		return e;
	char loc[80];
	snprintf(loc, sizeof loc, "/ke-hoach/nhiem-vu/%lld?ok=bao-cao", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
plan_task_attach(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	const char *data = NULL, *name = NULL;
	size_t len = 0;
	for (size_t i = 0; i < req->form.n; i++)
		if (!strcmp(req->form.v[i].name, "file") && req->form.v[i].filename && req->form.v[i].value_len) {
			data = req->form.v[i].value;
			len = req->form.v[i].value_len;
			name = req->form.v[i].filename;
		}
	struct app_fail f = {"", ""};
	enum err e = app_plan_file_add(&app->core, &ac, id, data, len, name, (int64_t)time(NULL), &f);
	if (e && f.msg[0])
		return task_page(req, resp, id, plan_err_status(e), f.msg);
	if (e)
		return e;
	char loc[80];
	snprintf(loc, sizeof loc, "/ke-hoach/nhiem-vu/%lld?ok=minh-chung", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
plan_task_file(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (param_id(req, 0, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_plan_file meta;
	char *data;
	size_t len;
	enum err e = app_plan_file_get(&app->core, &ac, id, http_param(req, 1), &meta, &data, &len);
	return e ? e : web_send_upload(resp, data, len, meta.mime);
}
