/*
 * pages_forms.c — the printed forms of the one-stop desk (issue #5 item 4;
 * DOMAIN "Forms (TT 01/2018)"), on A4 under the state header, each with a
 * QR code of the public lookup address:
 *   01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả   /mot-cua/ho-so/{code}/in/01
 *   02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ    …/in/02
 *   03 Phiếu từ chối tiếp nhận, giải quyết hồ sơ  …/in/03
 *   04 Phiếu xin lỗi và hẹn lại ngày trả kết quả  …/in/04
 *   05 Phiếu kiểm soát quá trình giải quyết hồ sơ …/in/05
 *   06 Sổ theo dõi hồ sơ                          /mot-cua/so-theo-doi?tu=&den=
 * Forms 02–04 print what the dossier's timeline recorded (the request,
 * the reason, the new date); a dossier without that step has no such form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/dossier_fsm.h"
#include "core/ident.h"
#include "view/tmpl.h"
#include "app/calendar.h"
#include "web/desk.h"
#include "app/dossier.h"
#include "web/print.h"
#include "web/qr.h"
#include "web/web.h"

/* The place name for "…, ngày … tháng … năm …": what follows "xã",
 * "phường" or "thị trấn" in the agency's name, else the whole name. */
static void
place_of(const char *agency, char *out, size_t n)
{
	static const char *const units[] = {"thị trấn ", "phường ", "xã ", "Thị trấn ", "Phường ", "Xã "};
	const char *best = NULL;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		const char *p = strstr(agency, units[i]);
		if (p && (!best || p > best))
			best = p + strlen(units[i]);
	}
	snprintf(out, n, "%s", best && *best ? best : agency);
}

/* What every printed form's header holds: the title, the agency, the form
 * number, "<place>, ngày dd tháng mm năm yyyy" for the day the paper was
 * made (dated: the receipt's day of receipt, a request's or a refusal's
 * own day, the register's day of printing — a reprint keeps its date) and
 * the signed-in user by full name. */
json_t *
web_print_data(struct http_req *req, const char *title, const char *form_no, int64_t dated)
{
	struct web_app *app = req->app;
	json_t *d = json_pack("{s:s,s:s,s:{s:s,s:s,s:b}}", "title", title, "form_no", form_no, "agency",
	                      "name", app->agency.name, "code", app->agency.code, "demo", app->agency.demo);
	if (!d)
		return NULL;
	char place[300], words[VN_WORDS_MAX], line[400];
	place_of(app->agency.name, place, sizeof place);
	vn_fmt_date_words(dated, words, sizeof words);
	snprintf(line, sizeof line, "%s, %s", place, words);
	json_object_set_new(d, "place_date", json_string(line));
	struct web_user *wu = web_user(req);
	if (wu)
		json_object_set_new(d, "officer", json_string(wu->u.full_name[0] ? wu->u.full_name : wu->u.username));
	return d;
}

enum err
web_print_render(struct http_req *req, struct http_resp *resp, const char *page, json_t *data)
{
	struct web_app *app = req->app;
	if (!data)
		return ERR_NOMEM;
	buf_reset(&resp->body);
	int rc = tmpl_render_page(app->tmpl, "print", page, data, &resp->body);
	json_decref(data);
	if (rc != 0 || resp->body.oom)
		return ERR_INTERNAL;
	resp->content_type = "text/html; charset=utf-8";
	http_resp_header(resp, "Cache-Control", "private, no-store");
	return ERR_OK;
}

/* The timeline with its details, for the forms. */
static int
ev_raw(const struct store_dossier_event *ev, void *arg)
{
	json_error_t je;
	json_t *det = json_loads(ev->details, 0, &je);
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:I}", "t", (json_int_t)ev->at, "actor",
	                      strncmp(ev->actor, "user:", 5) == 0 ? ev->actor + 5 : ev->actor, "action",
	                      ev->action, "from", ev->from, "to", ev->to, "note", ev->note, "details",
	                      det ? det : json_object(), "step_due", (json_int_t)ev->step_due);
	if (o)
		json_array_append_new(arg, o);
	return 0;
}

/* The last event whose action is one of names (NULL-terminated), or NULL. */
static json_t *
last_event(json_t *events, const char *const *names)
{
	json_t *found = NULL;
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e) {
		const char *a = json_string_value(json_object_get(e, "action"));
		for (const char *const *n = names; *n; n++)
			if (strcmp(a, *n) == 0)
				found = e;
	}
	return found;
}

/* When the dossier left the step begun by event i: the next event that
 * moved it (an apology or another note leaves it where it is); 0 while
 * the step is still open. */
static int64_t
left_at(json_t *events, size_t i)
{
	for (size_t j = i + 1; j < json_array_size(events); j++) {
		json_t *e = json_array_get(events, j);
		if (strcmp(json_string_value(json_object_get(e, "action")), "apologize") != 0)
			return json_integer_value(json_object_get(e, "t"));
	}
	return 0;
}

/* Form 05: one row per hand-over; each step's result compares when the
 * dossier left that step (left_at) with the step's own budget (early /
 * on time / late), a step still open counts against now. */
static json_t *
control_rows(struct web_app *app, json_t *events, int64_t now)
{
	json_t *rows = json_array();
	size_t n = json_array_size(events);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(events, i);
		const char *action = json_string_value(json_object_get(e, "action"));
		int64_t at = json_integer_value(json_object_get(e, "t"));
		int64_t step_due = json_integer_value(json_object_get(e, "step_due"));
		json_t *det = json_object_get(e, "details");
		const char *to_name = json_string_value(json_object_get(det, "assignee_name"));
		if (!to_name)
			to_name = json_string_value(json_object_get(det, "unit"));
		const char *giver = json_string_value(json_object_get(e, "actor"));
		char giver_name[256], when[64], due_s[64] = "";
		desk_person_name(app, giver, giver_name, sizeof giver_name);
		vn_fmt_words(at, when, sizeof when);
		const char *result = "";
		if (step_due) {
			vn_fmt_words(step_due, due_s, sizeof due_s);
			int64_t done = left_at(events, i);
			enum dl_timeliness t = done ? dl_timeliness(step_due, 1, done) : dl_timeliness(step_due, 0, now);
			result = app_timeliness_label(dl_timeliness_code(t));
		}
		enum dfsm_action a;
		const char *label = strcmp(action, "submit") == 0 ? "Nộp hồ sơ"
		                    : dfsm_action_from_name(action, &a) == 0 ? dfsm_action_info(a)->label : action;
		json_array_append_new(rows, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "no",
		    (json_int_t)i + 1, "step", label, "giver", giver_name, "receiver",
		    to_name ? to_name : "", "at", when, "step_due", due_s, "result", result, "note",
		    json_string_value(json_object_get(e, "note"))));
	}
	return rows;
}

/* What forms 02–04 print of their event: when, by whom, the note, the
 * missing papers (02), the new date (04). */
static json_t *
ev_view(struct web_app *app, json_t *ev)
{
	char when[64], who[256];
	vn_fmt_words(json_integer_value(json_object_get(ev, "t")), when, sizeof when);
	desk_person_name(app, json_string_value(json_object_get(ev, "actor")), who, sizeof who);
	json_t *x = json_pack("{s:s,s:s,s:s,s:b}", "at", when, "by", who, "note",
	                      json_string_value(json_object_get(ev, "note")), "at_intake",
	                      strcmp(json_string_value(json_object_get(ev, "action")), "refuse_intake") == 0);
	json_t *det = json_object_get(ev, "details");
	if (x && json_is_array(json_object_get(det, "missing")))
		json_object_set(x, "missing", json_object_get(det, "missing"));
	const char *nd = json_string_value(json_object_get(det, "new_date"));
	int64_t ndt;
	if (x && nd && vn_parse_rfc3339(nd, &ndt) == 0) {
		char b[64];
		vn_fmt_words(ndt, b, sizeof b);
		json_object_set_new(x, "new_date", json_string(b));
	}
	return x;
}

enum err
desk_print(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *which = http_param(req, 1);
	static const struct {
		const char *no, *page, *title;
	} forms[] = {
		{"01", "form_01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"},
		{"02", "form_02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"},
		{"03", "form_03", "Phiếu từ chối tiếp nhận, giải quyết hồ sơ"},
		{"04", "form_04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"},
		{"05", "form_05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"},
	};
	size_t k = 0;
	while (k < sizeof forms / sizeof forms[0] && strcmp(forms[k].no, which) != 0)
		k++;
	if (k == sizeof forms / sizeof forms[0])
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_dossier sd;
	enum err e = app_dossier_get(&app->core, &ac, http_param(req, 0), &sd);
	if (e)
		return e;
	int64_t now = (int64_t)time(NULL);
	json_t *v = desk_dossier_view(req, &sd, now);
	if (v)
		desk_dossier_detail(req, &sd, v);
	int64_t received_at = sd.received_at;
	store_dossier_free(&sd);
	json_t *events = json_array();
	if (!v || (e = app_dossier_events(&app->core, &ac, http_param(req, 0), ev_raw, events)) != ERR_OK) {
		json_decref(v);
		json_decref(events);
		return e ? e : ERR_NOMEM;
	}
	json_t *ev = NULL;
	static const char *const supp[] = {"request_supplement", NULL};
	static const char *const refusal[] = {"refuse_intake", "refuse", NULL};
	static const char *const apology[] = {"apologize", NULL};
	if (k == 1)
		ev = last_event(events, supp);
	else if (k == 2)
		ev = last_event(events, refusal);
	else if (k == 3)
		ev = last_event(events, apology);
	if ((k >= 1 && k <= 3 && !ev) || (k == 0 && json_is_null(json_object_get(v, "due")))) {
		json_decref(v);
		json_decref(events);
		return ERR_NOT_FOUND;
	}
	int64_t dated = ev ? json_integer_value(json_object_get(ev, "t")) : received_at ? received_at : now;
	json_t *d = web_print_data(req, forms[k].title, forms[k].no, dated);
	if (!d) {
		json_decref(v);
		json_decref(events);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "qr", qr_svg_json(json_string_value(json_object_get(v, "lookup_url"))));
	if (ev)
		json_object_set_new(d, "ev", ev_view(app, ev));
	if (k == 4)
		json_object_set_new(d, "rows", control_rows(app, events, now));
	json_decref(events);
	json_object_set_new(d, "d", v);
	return web_print_render(req, resp, forms[k].page, d);
}

/* ---- form 06: the register ------------------------------------------------ */

struct reg_ctx {
	json_t *rows;
	struct http_req *req;
	int64_t now;
};

static int
reg_add(const struct store_dossier *sd, void *arg)
{
	struct reg_ctx *c = arg;
	json_t *v = desk_dossier_view(c->req, sd, c->now);
	if (v)
		json_array_insert_new(c->rows, 0, v);   /* the store gives newest first */
	return 0;
}

enum err
desk_register(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t now = (int64_t)time(NULL);
	cal_day first, today, from_d, to_d;
	vn_month_so_far(now, &first, &today);
	const char *from = form_get(&req->query, "tu"), *to = form_get(&req->query, "den");
	char defs[2][16];
	cal_format_ymd(first, defs[0], sizeof defs[0]);
	cal_format_ymd(today, defs[1], sizeof defs[1]);
	if (!from || !*from)
		from = defs[0];
	if (!to || !*to)
		to = defs[1];
	if (cal_parse_ymd(from, &from_d) != 0 || cal_parse_ymd(to, &to_d) != 0 || to_d < from_d)
		return ERR_BAD_DATE;
	if (to_d - from_d > 366)
		return ERR_OUT_OF_RANGE;
	struct app_search q = {.from = vn_instant(from_d, 0), .to = vn_instant(to_d, 0) + 86400, .limit = 1000};
	struct reg_ctx c = {json_array(), req, now};
	int64_t total = 0;
	struct actor ac;
	web_actor_of(req, &ac);
	enum err e = app_dossier_search(&app->core, &ac, &q, reg_add, &c, &total, NULL);
	if (e) {
		json_decref(c.rows);
		return e;
	}
	size_t i;
	json_t *r;
	int counts[5] = {0};
	json_array_foreach(c.rows, i, r) {
		json_object_set_new(r, "no", json_integer((json_int_t)i + 1));
		const char *t = json_string_value(json_object_get(r, "timeliness"));
		static const char *const codes[] = {"early", "on_time", "late", "in_time", "overdue"};
		for (int k = 0; k < 5; k++)
			if (t && strcmp(t, codes[k]) == 0)
				counts[k]++;
	}
	json_t *dd = web_print_data(req, "Sổ theo dõi hồ sơ", "06", now);
	if (!dd) {
		json_decref(c.rows);
		return ERR_NOMEM;
	}
	char a[16], b[16];
	vn_day_short(from_d, a, sizeof a);
	vn_day_short(to_d, b, sizeof b);
	json_object_set_new(dd, "rows", c.rows);
	json_object_set_new(dd, "wide", json_true());   /* A4 landscape (print.html) */
	json_object_set_new(dd, "range", json_pack("{s:s,s:s,s:s,s:s}", "from", a, "to", b, "tu", from,
	                                           "den", to));
	json_object_set_new(dd, "total", json_integer(total));
	json_object_set_new(dd, "truncated", json_boolean(total > (int64_t)json_array_size(c.rows)));
	json_object_set_new(dd, "counts", json_pack("{s:i,s:i,s:i,s:i,s:i}", "early", counts[0],
	                                            "on_time", counts[1], "late", counts[2], "in_time",
	                                            counts[3], "overdue", counts[4]));
	return web_print_render(req, resp, "form_06", dd);
}
