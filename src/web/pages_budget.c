/*
 * pages_budget.c — the reform budget (issue #16 item 5), thin pages over
 * app/budget.c:
 *   /ngan-sach[?nam=]            the lines of a year: planned, allocated,
 *                                spent, left; planned against spent by
 *                                field; a new line
 *   /ngan-sach/{id}              a line: its figures, its spending entries
 *                                with their vouchers, the plan tasks using it;
 *                                edited there, /chi records spending
 *   /ngan-sach/chi/{id}/chung-tu the scan of an entry's voucher
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
#include "web/web.h"

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

static void
money(int64_t v, char *out, size_t n)
{
	if (v < 0) {
		out[0] = '-';
		money_figures(-v, out + 1, n - 1);
	} else {
		money_figures(v, out, n);
	}
}

static int
year_of(struct http_req *req)
{
	const char *s = form_get(&req->query, "nam");
	long y;
	if (s && *s && web_parse_int(s, 2000, 2100, &y) == 0)
		return (int)y;
	struct vn_tm now;
	vn_local((int64_t)time(NULL), &now);
	return now.year;
}

static json_t *
line_json(const struct store_budget_line *l)
{
	char planned[40], allocated[40], spent[40], left[40];
	money(l->planned, planned, sizeof planned);
	money(l->allocated, allocated, sizeof allocated);
	money(l->spent, spent, sizeof spent);
	money(l->allocated - l->spent, left, sizeof left);
	const char *fl = l->field[0] ? app_plan_field_label("reform", l->field) : "Nhiều lĩnh vực, chung";
	int pct = l->allocated ? (int)((l->spent * 100 + l->allocated / 2) / l->allocated) : 0;
	return json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i}", "id", (json_int_t)l->id, "year",
	                 l->year, "name", l->name, "field", l->field, "field_label", fl ? fl : l->field, "source",
	                 l->source, "planned", planned, "allocated", allocated, "spent", spent, "left", left, "pct", pct,
	                 "spends", l->spends, "tasks", l->tasks);
}

struct sums {
	json_t *rows;
	int64_t planned, allocated, spent;
};

static int
line_add(const struct store_budget_line *l, void *arg)
{
	struct sums *s = arg;
	json_t *o = line_json(l);
	if (o)
		json_array_append_new(s->rows, o);
	s->planned += l->planned;
	s->allocated += l->allocated;
	s->spent += l->spent;
	return 0;
}

static json_t *
fields_json(const char *sel)
{
	json_t *a = json_array();
	const struct app_plan_field *fl;
	size_t n = app_plan_fields("reform", &fl);
	json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", "", "label", "Nhiều lĩnh vực, chung", "selected",
	                                   !*sel));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", fl[i].code, "label", fl[i].label, "selected",
		                                   strcmp(sel, fl[i].code) == 0));
	return a;
}

static enum err
budget_page(struct http_req *req, struct http_resp *resp, int year, int status, const char *error)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	json_t *d = web_page_data(req, resp, "Kinh phí cải cách hành chính");
	struct sums s = {json_array(), 0, 0, 0};
	if (!d || !s.rows) {
		json_decref(d);
		json_decref(s.rows);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "lines", s.rows);
	enum err e = app_budget_lines(&app->core, &ac, year, line_add, &s);
	struct app_budget_field bf[APP_BUDGET_FIELDS_MAX];
	size_t nbf = 0;
	if (!e)
		e = app_budget_by_field(&app->core, &ac, year, bf, &nbf);
	if (e) {
		json_decref(d);
		return e;
	}
	json_t *fields = json_array();
	for (size_t i = 0; i < nbf; i++) {
		if (!bf[i].lines)
			continue;
		char p[40], al[40], sp[40];
		money(bf[i].planned, p, sizeof p);
		money(bf[i].allocated, al, sizeof al);
		money(bf[i].spent, sp, sizeof sp);
		int pct = bf[i].planned ? (int)((bf[i].spent * 100 + bf[i].planned / 2) / bf[i].planned) : 0;
		json_array_append_new(fields, json_pack("{s:s,s:s,s:s,s:s,s:i}", "label", bf[i].label, "planned", p,
		                                        "allocated", al, "spent", sp, "pct", pct));
	}
	json_object_set_new(d, "fields", fields);
	char p[40], al[40], sp[40], left[40];
	money(s.planned, p, sizeof p);
	money(s.allocated, al, sizeof al);
	money(s.spent, sp, sizeof sp);
	money(s.allocated - s.spent, left, sizeof left);
	json_object_set_new(d, "total", json_pack("{s:s,s:s,s:s,s:s}", "planned", p, "allocated", al, "spent", sp,
	                                          "left", left));
	json_object_set_new(d, "year", json_integer(year));
	json_object_set_new(d, "prev", json_integer(year - 1));
	json_object_set_new(d, "next", json_integer(year + 1));
	struct web_user *wu = web_user(req);
	json_object_set_new(d, "can_write", json_boolean(wu && (wu->role & APP_BUDGET_WRITE)));
	json_object_set_new(d, "f", json_pack("{s:s,s:o,s:s,s:s,s:s}", "name", error ? fv(req, "name") : "", "fields",
	                                      fields_json(error ? fv(req, "field") : ""), "source",
	                                      error ? fv(req, "source") : "", "planned", error ? fv(req, "planned") : "",
	                                      "allocated", error ? fv(req, "allocated") : ""));
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	resp->status = status;
	return web_render(req, resp, "budget", d);
}

enum err
budget_home(struct http_req *req, struct http_resp *resp)
{
	return budget_page(req, resp, year_of(req), 200, NULL);
}

static int
budget_status(enum err e)
{
	return e == ERR_FORBIDDEN ? 403 : e == ERR_EXISTS ? 409 : e == ERR_UNSUPPORTED_MEDIA ? 415 : 400;
}

/* The line the form describes; -1 when an amount is not one. */
static int
line_of_form(struct http_req *req, struct store_budget_line *l)
{
	memset(l, 0, sizeof *l);
	snprintf(l->name, sizeof l->name, "%s", fv(req, "name"));
	snprintf(l->field, sizeof l->field, "%.23s", fv(req, "field"));
	snprintf(l->source, sizeof l->source, "%s", fv(req, "source"));
	long y;
	l->year = web_parse_int(fv(req, "year"), 2000, 2100, &y) == 0 ? (int)y : 0;
	if (web_parse_money(fv(req, "planned"), &l->planned) != 0 || web_parse_money(fv(req, "allocated"), &l->allocated) != 0)
		return -1;
	return 0;
}

enum err
budget_create(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_budget_line l;
	struct app_fail f = {"", ""};
	int64_t id = 0;
	enum err e = line_of_form(req, &l) != 0
	                 ? app_fail(&f, ERR_INVALID_FIELD, "planned", "Ghi số tiền dự kiến và dự toán được giao bằng số đồng (ví dụ 15.000.000).")
	                 : app_budget_line_save(&app->core, &ac, &l, (int64_t)time(NULL), &f, &id);
	if (e && f.msg[0])
		return budget_page(req, resp, l.year ? l.year : year_of(req), budget_status(e), f.msg);
	if (e)
		return e;
	char loc[64];
	snprintf(loc, sizeof loc, "/ngan-sach/%lld?ok=tao", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

/* ---- one line ------------------------------------------------------------------------- */
static int
param_id(struct http_req *req, int64_t *id)
{
	long v;
	if (web_parse_int(http_param(req, 0), 1, 2000000000L, &v) != 0)
		return -1;
	*id = v;
	return 0;
}

static int
spend_add(const struct store_budget_spend *s, void *arg)
{
	char day[16], doc_day[16] = "", amount[40];
	vn_day_short(s->day, day, sizeof day);
	if (s->doc_day > 0)
		vn_day_short(s->doc_day, doc_day, sizeof doc_day);
	money(s->amount, amount, sizeof amount);
	json_t *o = json_pack("{s:I,s:s,s:s,s:b,s:s,s:s,s:s,s:I,s:s,s:b,s:s}", "id", (json_int_t)s->id, "day", day,
	                      "amount", amount, "negative", s->amount < 0, "content", s->content, "doc_number",
	                      s->doc_number, "doc_day", doc_day, "task_id", (json_int_t)s->task_id, "task_title",
	                      s->task_title, "scan", s->sha256[0] != 0, "file_name", s->file_name);
	if (o)
		json_array_append_new(arg, o);
	return 0;
}

struct task_list {
	json_t *a;
	int64_t line_id;
	const char *sel;
};

static int
task_pick(const struct app_plan_task *v, void *arg)
{
	struct task_list *tl = arg;
	char value[24], label[400];
	snprintf(value, sizeof value, "%lld", (long long)v->t.id);
	snprintf(label, sizeof label, "%d. %.300s", v->t.no, v->t.title);
	json_array_append_new(tl->a, json_pack("{s:s,s:s,s:b,s:b}", "value", value, "label", label, "selected",
	                                       strcmp(value, tl->sel) == 0, "uses", v->t.budget_line_id == tl->line_id));
	return 0;
}

static enum err
line_page(struct http_req *req, struct http_resp *resp, int64_t id, int status, const char *error)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_budget_line l;
	enum err e = app_budget_line_get(&app->core, &ac, id, &l);
	if (e)
		return e;
	json_t *d = web_page_data(req, resp, "Dòng kinh phí");
	json_t *spends = json_array(), *line = line_json(&l);
	if (!d || !spends || !line) {
		json_decref(d);
		json_decref(spends);
		json_decref(line);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "l", line);
	json_object_set_new(d, "spends", spends);
	if ((e = app_budget_spends(&app->core, &ac, id, spend_add, spends))) {
		json_decref(d);
		return e;
	}
	/* the tasks of the year's plans: those using the line, and the choice for an entry */
	struct task_list tl = {json_array(), id, error ? fv(req, "task_id") : ""};
	struct store_plan p;
	static const char *const kinds[] = {"reform", "it"};
	for (size_t k = 0; k < 2; k++)
		if (app_plan_find(&app->core, &ac, l.year, kinds[k], &p) == ERR_OK)
			(void)app_plan_tasks(&app->core, &ac, p.id, "", (int64_t)time(NULL), task_pick, &tl, NULL);
	json_object_set_new(d, "tasks", tl.a);
	char planned[40], allocated[40], today[16];
	money(l.planned, planned, sizeof planned);
	money(l.allocated, allocated, sizeof allocated);
	cal_format_ymd(vn_day((int64_t)time(NULL)), today, sizeof today);
	json_object_set_new(d, "e", json_pack("{s:s,s:o,s:s,s:s,s:s}", "name", error ? fv(req, "name") : l.name, "fields",
	                                      fields_json(error ? fv(req, "field") : l.field), "source",
	                                      error ? fv(req, "source") : l.source, "planned",
	                                      error ? fv(req, "planned") : planned, "allocated",
	                                      error ? fv(req, "allocated") : allocated));
	json_object_set_new(d, "s", json_pack("{s:s,s:s,s:s,s:s,s:s}", "day", error ? fv(req, "day") : today, "amount",
	                                      error ? fv(req, "amount") : "", "content", error ? fv(req, "content") : "",
	                                      "doc_number", error ? fv(req, "doc_number") : "", "doc_day",
	                                      error ? fv(req, "doc_day") : ""));
	struct web_user *wu = web_user(req);
	json_object_set_new(d, "can_write", json_boolean(wu && (wu->role & APP_BUDGET_WRITE)));
	const char *ok = form_get(&req->query, "ok");
	const char *flash = !ok ? NULL
	                    : strcmp(ok, "tao") == 0 ? "Đã thêm dòng kinh phí."
	                    : strcmp(ok, "luu") == 0 ? "Đã lưu dòng kinh phí."
	                    : strcmp(ok, "chi") == 0 ? "Đã ghi khoản chi."
	                                             : NULL;
	if (flash)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", flash));
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	resp->status = status;
	return web_render(req, resp, "budget_line", d);
}

enum err
budget_line_view(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	if (param_id(req, &id) != 0)
		return ERR_NOT_FOUND;
	return line_page(req, resp, id, 200, NULL);
}

enum err
budget_line_update(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (param_id(req, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_budget_line l;
	struct app_fail f = {"", ""};
	enum err e = line_of_form(req, &l) != 0
	                 ? app_fail(&f, ERR_INVALID_FIELD, "planned", "Ghi số tiền dự kiến và dự toán được giao bằng số đồng (ví dụ 15.000.000).")
	                 : ERR_OK;
	l.id = id;
	if (!e)
		e = app_budget_line_save(&app->core, &ac, &l, (int64_t)time(NULL), &f, NULL);
	if (e && f.msg[0])
		return line_page(req, resp, id, budget_status(e), f.msg);
	if (e)
		return e;
	char loc[64];
	snprintf(loc, sizeof loc, "/ngan-sach/%lld?ok=luu", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
budget_spend(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (param_id(req, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_budget_spend_in in = {.line_id = id, .content = fv(req, "content"), .doc_number = fv(req, "doc_number")};
	struct app_fail f = {"", ""};
	enum err e = ERR_OK;
	cal_day day;
	long task = 0;
	if (cal_parse_ymd(fv(req, "day"), &day) != 0)
		e = app_fail(&f, ERR_INVALID_FIELD, "day", "Ghi ngày chi (năm-tháng-ngày).");
	else if (web_parse_money(fv(req, "amount"), &in.amount) != 0)
		e = app_fail(&f, ERR_INVALID_FIELD, "amount", "Ghi số tiền chi bằng số đồng (ví dụ 2.500.000; điều chỉnh giảm ghi số âm).");
	else if (*fv(req, "doc_day") && cal_parse_ymd(fv(req, "doc_day"), &in.doc_day) != 0)
		e = app_fail(&f, ERR_INVALID_FIELD, "doc_day", "Ngày chứng từ không hợp lệ.");
	else if (*fv(req, "task_id") && web_parse_int(fv(req, "task_id"), 0, 2000000000L, &task) != 0)
		e = app_fail(&f, ERR_INVALID_FIELD, "task_id", "Chọn nhiệm vụ trong danh sách.");
	in.day = day;
	in.task_id = task;
	for (size_t i = 0; i < req->form.n; i++)
		if (!strcmp(req->form.v[i].name, "file") && req->form.v[i].filename && req->form.v[i].value_len) {
			in.file = req->form.v[i].value;
			in.file_len = req->form.v[i].value_len;
			in.file_name = req->form.v[i].filename;
		}
	if (!e)
		e = app_budget_spend(&app->core, &ac, &in, (int64_t)time(NULL), &f, NULL);
	if (e && f.msg[0])
		return line_page(req, resp, id, budget_status(e), f.msg);
	if (e)
		return e;
	char loc[64];
	snprintf(loc, sizeof loc, "/ngan-sach/%lld?ok=chi", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
budget_voucher(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (param_id(req, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_budget_spend *meta = malloc(sizeof *meta);
	if (!meta)
		return ERR_NOMEM;
	char *data;
	size_t len;
	enum err e = app_budget_spend_file(&app->core, &ac, id, meta, &data, &len);
	if (!e)
		e = web_send_upload(resp, data, len, meta->file_mime);
	free(meta);
	return e;
}
