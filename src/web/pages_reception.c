/*
 * pages_reception.c — citizen reception (issue #14 item 4), thin pages
 * over app/reception.c:
 *   /lich-tiep-cong-dan               the published schedule (public, cached)
 *   /tiep-cong-dan                    the staff's start: this week's sessions
 *   /tiep-cong-dan/lich[/{id}]        the schedule, edited (admin, leader)
 *   /tiep-cong-dan/so[?thang=]        the register of a month; /moi records a
 *                                     visit, /in prints it (A4 landscape),
 *                                     /xuat gives it as CSV
 *   /tiep-cong-dan/doi-thoai[/{id}]   dialogue meetings; /moi records one,
 *                                     /{id}/in prints its minutes (biên bản)
 * Who may open which is in routes.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/reception.h"
#include "core/calendar.h"
#include "report/csv.h"
#include "web/pagecache.h"
#include "web/print.h"
#include "web/web.h"

#define PUBLIC_DAYS 28          /* the public page shows the next four weeks */
#define HOME_DAYS 7

static const char *const WEEKDAY_VI[7] = {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
                                          "Thứ Năm", "Thứ Sáu", "Thứ Bảy"};

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

/* "Thứ Năm, 10/12/2026" */
static void
day_label(int32_t day, char *out, size_t n)
{
	char dmy[16];
	vn_day_short(day, dmy, sizeof dmy);
	snprintf(out, n, "%s, %s", WEEKDAY_VI[cal_weekday(day)], dmy);
}

/* "07:30–11:00" */
static void
time_range(int from, int to, char *out, size_t n)
{
	snprintf(out, n, "%02d:%02d–%02d:%02d", from / 60, from % 60, to / 60, to % 60);
}

static int
can(struct http_req *req, unsigned roles)
{
	struct web_user *wu = web_user(req);
	return wu && (wu->role & roles);
}

static json_t *
slot_json(const struct store_rc_slot *s)
{
	char when[64], hours[32];
	if (s->weekday >= 0)
		snprintf(when, sizeof when, "%s hằng tuần", WEEKDAY_VI[s->weekday]);
	else
		day_label(s->day, when, sizeof when);
	time_range(s->start_min, s->end_min, hours, sizeof hours);
	const char *rl = app_rc_role_label(s->role);
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)s->id, "role_label",
	                 rl ? rl : s->role, "person", s->person, "title", s->title, "when", when, "hours",
	                 hours, "place", s->place, "note", s->note);
}

static int
slot_add(const struct store_rc_slot *s, void *arg)
{
	json_t *o = slot_json(s);
	if (o)
		json_array_append_new(arg, o);
	return 0;
}

static int
session_add(const struct app_rc_session *ses, void *arg)
{
	json_t *o = slot_json(ses->slot);
	if (!o)
		return 0;
	char day[48];
	day_label(ses->day, day, sizeof day);
	json_object_set_new(o, "day", json_string(day));
	if (ses->off[0])
		json_object_set_new(o, "off", json_string(ses->off));
	json_array_append_new(arg, o);
	return 0;
}

/* The sessions of the ndays from today, and the standing schedule. */
static enum err
add_schedule(struct http_req *req, json_t *d, int ndays)
{
	struct web_app *app = req->app;
	json_t *ses = json_array(), *slots = json_array();
	json_object_set_new(d, "sessions", ses);
	json_object_set_new(d, "slots", slots);
	if (!ses || !slots)
		return ERR_NOMEM;
	enum err e = app_rc_sessions(&app->core, vn_day((int64_t)time(NULL)), ndays, session_add, ses);
	return e ? e : app_rc_slots(&app->core, slot_add, slots);
}

/* ---- the public page ------------------------------------------------------- */
static enum err
render_public(struct http_req *req, struct http_resp *resp)
{
	json_t *d = web_page_data(req, resp, "Lịch tiếp công dân");
	if (!d)
		return ERR_NOMEM;
	enum err e = add_schedule(req, d, PUBLIC_DAYS);
	if (e) {
		json_decref(d);
		return e;
	}
	return web_render(req, resp, "reception_public", d);
}

enum err
page_reception_public(struct http_req *req, struct http_resp *resp)
{
	return web_cached(req, resp, render_public);
}

/* ---- the staff's start page ------------------------------------------------- */
enum err
rc_home(struct http_req *req, struct http_resp *resp)
{
	json_t *d = web_page_data(req, resp, "Tiếp công dân");
	if (!d)
		return ERR_NOMEM;
	enum err e = add_schedule(req, d, HOME_DAYS);
	if (e) {
		json_decref(d);
		return e;
	}
	json_object_set_new(d, "can", json_pack("{s:b,s:b,s:b}", "schedule", can(req, APP_RC_SCHEDULE),
	                                        "write", can(req, APP_RC_WRITE), "read",
	                                        can(req, APP_RC_READ)));
	return web_render(req, resp, "reception_home", d);
}

/* ---- the schedule, edited ----------------------------------------------------- */
/* The form's values: what was typed (after a refusal) or the slot's. */
static json_t *
slot_form(const char *role, const char *person, const char *title, int weekday, const char *day,
          const char *start, const char *end, const char *place, const char *note, int64_t id)
{
	json_t *roles = json_array(), *days = json_array();
	static const char *const codes[] = {"chairman", "vice", "officer"};
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(roles, json_pack("{s:s,s:s,s:b}", "value", codes[i], "label",
		                                       app_rc_role_label(codes[i]), "selected",
		                                       strcmp(role, codes[i]) == 0));
	for (int i = 1; i <= 7; i++)   /* Monday first, as a week is read */
		json_array_append_new(days, json_pack("{s:i,s:s,s:b}", "value", i % 7, "label",
		                                      WEEKDAY_VI[i % 7], "selected", weekday == i % 7));
	return json_pack("{s:o,s:s,s:s,s:o,s:b,s:s,s:s,s:s,s:s,s:s,s:I}", "roles", roles, "person",
	                 person, "title", title, "days", days, "dated", weekday < 0, "day", day,
	                 "start", start, "end", end, "place", place, "note", note, "id", (json_int_t)id);
}

static enum err
schedule_page(struct http_req *req, struct http_resp *resp, int status, json_t *form,
              const char *error, const char *flash)
{
	struct web_app *app = req->app;
	json_t *d = web_page_data(req, resp, "Lịch tiếp công dân — cập nhật");
	json_t *slots = json_array();
	if (!d || !slots || !form) {
		json_decref(d);
		json_decref(slots);
		json_decref(form);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "slots", slots);
	json_object_set_new(d, "f", form);
	enum err e = app_rc_slots(&app->core, slot_add, slots);
	if (e) {
		json_decref(d);
		return e;
	}
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	if (flash)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", flash));
	resp->status = status;
	return web_render(req, resp, "reception_schedule", d);
}

enum err
rc_schedule(struct http_req *req, struct http_resp *resp)
{
	const char *ok = form_get(&req->query, "ok");
	const char *flash = !ok ? NULL
	                    : strcmp(ok, "luu") == 0 ? "Đã lưu lịch tiếp công dân; cổng thông tin đã cập nhật."
	                    : strcmp(ok, "xoa") == 0 ? "Đã xóa buổi tiếp khỏi lịch."
	                                             : NULL;
	return schedule_page(req, resp, 200,
	                     slot_form("chairman", "", "", 4, "", "07:30", "11:00", "", "", 0), NULL, flash);
}

static int
parse_id(struct http_req *req, int64_t *id)
{
	long v;
	if (web_parse_int(http_param(req, 0), 1, 2000000000L, &v) != 0)
		return -1;
	*id = v;
	return 0;
}

/* The slot the form describes; minutes -1 and weekday -1/day 0 for what
 * does not parse (the service says what is wrong). */
static void
slot_of_form(struct http_req *req, struct store_rc_slot *s)
{
	memset(s, 0, sizeof *s);
	snprintf(s->role, sizeof s->role, "%s", fv(req, "role"));
	snprintf(s->person, sizeof s->person, "%s", fv(req, "person"));
	snprintf(s->title, sizeof s->title, "%s", fv(req, "title"));
	snprintf(s->place, sizeof s->place, "%s", fv(req, "place"));
	snprintf(s->note, sizeof s->note, "%s", fv(req, "note"));
	long wd;
	cal_day day;
	int dated = strcmp(fv(req, "repeat"), "date") == 0;
	s->weekday = -1;
	if (!dated && web_parse_int(fv(req, "weekday"), 0, 6, &wd) == 0)
		s->weekday = (int)wd;
	else if (dated && cal_parse_ymd(fv(req, "day"), &day) == 0)
		s->day = day;
	if (vn_parse_hhmm(fv(req, "start"), &s->start_min) != 0)
		s->start_min = -1;
	if (vn_parse_hhmm(fv(req, "end"), &s->end_min) != 0)
		s->end_min = -1;
}

static json_t *
slot_form_typed(struct http_req *req, const struct store_rc_slot *s, int64_t id)
{
	return slot_form(s->role, s->person, s->title, strcmp(fv(req, "repeat"), "date") == 0 ? -1 : s->weekday,
	                 fv(req, "day"), fv(req, "start"), fv(req, "end"), s->place, s->note, id);
}

static enum err
slot_save(struct http_req *req, struct http_resp *resp, int64_t id)
{
	struct web_app *app = req->app;
	struct store_rc_slot s;
	slot_of_form(req, &s);
	s.id = id;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	enum err e = app_rc_slot_save(&app->core, &ac, &s, &f, NULL);
	if (e == ERR_INVALID_FIELD) {
		json_t *form = slot_form_typed(req, &s, id);
		if (!id)
			return schedule_page(req, resp, 400, form, f.msg, NULL);
		json_t *d = web_page_data(req, resp, "Sửa buổi tiếp công dân");
		if (!d) {
			json_decref(form);
			return ERR_NOMEM;
		}
		json_object_set_new(d, "f", form);
		json_object_set_new(d, "error", json_pack("{s:s}", "message", f.msg));
		resp->status = 400;
		return web_render(req, resp, "reception_slot", d);
	}
	if (e)
		return e;
	http_redirect(resp, "/tiep-cong-dan/lich?ok=luu");
	return ERR_OK;
}

enum err
rc_slot_create(struct http_req *req, struct http_resp *resp)
{
	return slot_save(req, resp, 0);
}

enum err
rc_slot(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	struct store_rc_slot s;
	if (parse_id(req, &id) != 0)
		return ERR_NOT_FOUND;
	enum err e = app_rc_slot_get(&app->core, id, &s);
	if (e)
		return e;
	char day[16] = "", start[16], end[16];
	if (s.weekday < 0)
		cal_format_ymd(s.day, day, sizeof day);
	snprintf(start, sizeof start, "%02d:%02d", s.start_min / 60 % 100, s.start_min % 60);
	snprintf(end, sizeof end, "%02d:%02d", s.end_min / 60 % 100, s.end_min % 60);
	json_t *d = web_page_data(req, resp, "Sửa buổi tiếp công dân");
	if (!d)
		return ERR_NOMEM;
	json_object_set_new(d, "f", slot_form(s.role, s.person, s.title, s.weekday, day, start, end, s.place,
	                                      s.note, s.id));
	return web_render(req, resp, "reception_slot", d);
}

enum err
rc_slot_update(struct http_req *req, struct http_resp *resp)
{
	int64_t id;
	if (parse_id(req, &id) != 0)
		return ERR_NOT_FOUND;
	return slot_save(req, resp, id);
}

enum err
rc_slot_delete(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (parse_id(req, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	enum err e = app_rc_slot_delete(&app->core, &ac, id);
	if (e)
		return e;
	http_redirect(resp, "/tiep-cong-dan/lich?ok=xoa");
	return ERR_OK;
}

/* ---- the register ------------------------------------------------------------ */
/* ?thang=YYYY-MM, this month by default; -1 for one that is not a month. */
static int
month_of(struct http_req *req, int *y, int *m)
{
	struct vn_tm now;
	vn_local((int64_t)time(NULL), &now);
	*y = now.year;
	*m = now.month;
	const char *s = form_get(&req->query, "thang");
	if (!s || !*s)
		return 0;
	long yy, mm;
	char ys[5], ms[3];
	if (strlen(s) != 7 || s[4] != '-')
		return -1;
	memcpy(ys, s, 4), ys[4] = '\0';
	memcpy(ms, s + 5, 2), ms[2] = '\0';
	if (web_parse_int(ys, 2000, 2100, &yy) != 0 || web_parse_int(ms, 1, 12, &mm) != 0)
		return -1;
	*y = (int)yy;
	*m = (int)mm;
	return 0;
}

struct reg {
	json_t *rows;
	int people, petitions, kinds[4];
};

static const char *const KIND_CODES[4] = {"complaint", "denunciation", "petition", "other"};

static int
visit_add(const struct store_rc_visit *v, void *arg)
{
	struct reg *r = arg;
	char at[24];
	vn_fmt_datetime(v->at, at, sizeof at);
	const char *kl = app_rc_kind_label(v->kind);
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:b,s:s}", "no",
	                      (json_int_t)json_array_size(r->rows) + 1, "at", at, "name", v->name,
	                      "id_number", v->id_number, "address", v->address, "phone", v->phone,
	                      "people", v->people, "kind_label", kl ? kl : v->kind, "matter", v->matter,
	                      "received_by", v->received_by, "guidance", v->guidance, "petition",
	                      v->petition, "petition_code", v->petition_code);
	if (o)
		json_array_append_new(r->rows, o);
	r->people += v->people;
	r->petitions += v->petition;
	for (int k = 0; k < 4; k++)
		r->kinds[k] += strcmp(v->kind, KIND_CODES[k]) == 0;
	return 0;
}

/* The month's rows and figures into d ("rows", "sum", "month"). */
static enum err
register_data(struct http_req *req, json_t *d, int y, int m)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct reg r = {json_array(), 0, 0, {0}};
	if (!r.rows)
		return ERR_NOMEM;
	json_object_set_new(d, "rows", r.rows);
	enum err e = app_rc_visits(&app->core, &ac, y, m, visit_add, &r);
	if (e)
		return e;
	char ym[8], label[32];
	snprintf(ym, sizeof ym, "%04d-%02d", y, m);
	snprintf(label, sizeof label, "tháng %02d năm %04d", m, y);
	json_object_set_new(d, "month", json_pack("{s:s,s:s}", "value", ym, "label", label));
	json_object_set_new(d, "sum", json_pack("{s:I,s:i,s:i,s:i,s:i,s:i,s:i}", "visits",
	                                        (json_int_t)json_array_size(r.rows), "people", r.people,
	                                        "petitions", r.petitions, "complaint", r.kinds[0],
	                                        "denunciation", r.kinds[1], "petition", r.kinds[2],
	                                        "other", r.kinds[3]));
	return ERR_OK;
}

enum err
rc_register(struct http_req *req, struct http_resp *resp)
{
	int y, m;
	if (month_of(req, &y, &m) != 0)
		return ERR_BAD_DATE;
	json_t *d = web_page_data(req, resp, "Sổ tiếp công dân");
	if (!d)
		return ERR_NOMEM;
	enum err e = register_data(req, d, y, m);
	if (e) {
		json_decref(d);
		return e;
	}
	json_object_set_new(d, "can_write", json_boolean(can(req, APP_RC_WRITE)));
	const char *ok = form_get(&req->query, "ok");
	if (ok && strcmp(ok, "ghi") == 0)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message",
		                                          "Đã ghi vào sổ tiếp công dân."));
	return web_render(req, resp, "reception_register", d);
}

enum err
rc_register_print(struct http_req *req, struct http_resp *resp)
{
	int y, m;
	if (month_of(req, &y, &m) != 0)
		return ERR_BAD_DATE;
	json_t *d = web_print_data(req, "Sổ tiếp công dân", "", (int64_t)time(NULL));
	if (!d)
		return ERR_NOMEM;
	enum err e = register_data(req, d, y, m);
	if (e) {
		json_decref(d);
		return e;
	}
	json_object_set_new(d, "wide", json_true());
	json_object_set_new(d, "unit", json_string("Bộ phận Tiếp công dân"));
	json_object_set_new(d, "back", json_pack("{s:s,s:s}", "href", "/tiep-cong-dan/so", "label",
	                                         "Sổ tiếp công dân"));
	return web_print_render(req, resp, "reception_register_print", d);
}

struct csv_ctx {
	struct buf *out;
};

static int
visit_csv(const struct store_rc_visit *v, void *arg)
{
	struct csv_ctx *c = arg;
	char at[24], people[16];
	vn_fmt_datetime(v->at, at, sizeof at);
	snprintf(people, sizeof people, "%d", v->people);
	const char *kl = app_rc_kind_label(v->kind);
	const char *row[12] = {at, v->name, v->id_number, v->address, v->phone, people,
	                       kl ? kl : v->kind, v->matter, v->received_by, v->guidance,
	                       v->petition ? "Có" : "Không", v->petition_code};
	csv_write_row_const(c->out, row, 12);
	return 0;
}

enum err
rc_register_csv(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int y, m;
	if (month_of(req, &y, &m) != 0)
		return ERR_BAD_DATE;
	struct actor ac;
	web_actor_of(req, &ac);
	struct buf *out = &resp->body;
	buf_reset(out);
	buf_puts(out, CSV_BOM);
	static const char *const head[12] = {"Ngày giờ tiếp", "Họ và tên", "Số định danh", "Địa chỉ",
	                                     "Điện thoại", "Số người", "Loại việc", "Nội dung",
	                                     "Người tiếp", "Hướng dẫn, trả lời", "Nhận đơn",
	                                     "Số, ký hiệu đơn"};
	csv_write_row_const(out, head, 12);
	struct csv_ctx c = {out};
	enum err e = app_rc_visits(&app->core, &ac, y, m, visit_csv, &c);
	if (!e && out->oom)
		e = ERR_NOMEM;
	if (!e) {
		resp->content_type = "text/csv; charset=utf-8";
		char disp[96];
		snprintf(disp, sizeof disp, "attachment; filename=\"so-tiep-cong-dan-%04d-%02d.csv\"", y, m);
		http_resp_header(resp, "Content-Disposition", disp);
		http_resp_header(resp, "Cache-Control", "private, no-store");
	}
	return e;
}

/* The date and time fields' values now ("2026-12-03", "07:45"). */
static void
now_fields(char *date, size_t dn, char *hm, size_t hn)
{
	int64_t now = (int64_t)time(NULL);
	cal_format_ymd(vn_day(now), date, dn);
	unsigned s = (unsigned)vn_seconds(now) % 86400u;
	snprintf(hm, hn, "%02u:%02u", s / 3600u, s / 60u % 60u);
}

/* The instant of the form's "ngay" and "gio"; 0 when they do not parse. */
static int64_t
at_of_form(struct http_req *req)
{
	cal_day day;
	int min;
	if (cal_parse_ymd(fv(req, "ngay"), &day) != 0 || vn_parse_hhmm(fv(req, "gio"), &min) != 0)
		return 0;
	return vn_instant(day, min);
}

static const char *
my_name(struct http_req *req)
{
	struct web_user *wu = web_user(req);
	return !wu ? "" : wu->u.full_name[0] ? wu->u.full_name : wu->u.username;
}

static enum err
visit_page(struct http_req *req, struct http_resp *resp, int status, const char *error)
{
	json_t *d = web_page_data(req, resp, "Ghi sổ tiếp công dân");
	if (!d)
		return ERR_NOMEM;
	char date[16], hm[8];
	now_fields(date, sizeof date, hm, sizeof hm);
	int typed = error != NULL;
	json_t *kinds = json_array();
	for (int k = 0; k < 4; k++)
		json_array_append_new(kinds, json_pack("{s:s,s:s,s:b}", "value", KIND_CODES[k], "label",
		                                       app_rc_kind_label(KIND_CODES[k]), "selected",
		                                       typed && strcmp(fv(req, "kind"), KIND_CODES[k]) == 0));
	json_object_set_new(d, "f", json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:b,s:s}",
	    "ngay", typed ? fv(req, "ngay") : date, "gio", typed ? fv(req, "gio") : hm,
	    "name", fv(req, "name"), "id_number", fv(req, "id_number"), "address", fv(req, "address"),
	    "phone", fv(req, "phone"), "people", typed ? fv(req, "people") : "1", "kinds", kinds,
	    "matter", fv(req, "matter"), "received_by", typed ? fv(req, "received_by") : my_name(req),
	    "guidance", fv(req, "guidance"), "petition", strcmp(fv(req, "petition"), "1") == 0,
	    "petition_code", fv(req, "petition_code")));
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	resp->status = status;
	return web_render(req, resp, "reception_visit", d);
}

enum err
rc_visit_new(struct http_req *req, struct http_resp *resp)
{
	return visit_page(req, resp, 200, NULL);
}

enum err
rc_visit_create(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_rc_visit *v = calloc(1, sizeof *v);
	if (!v)
		return ERR_NOMEM;
	v->at = at_of_form(req);
	snprintf(v->name, sizeof v->name, "%s", fv(req, "name"));
	snprintf(v->id_number, sizeof v->id_number, "%s", fv(req, "id_number"));
	snprintf(v->address, sizeof v->address, "%s", fv(req, "address"));
	snprintf(v->phone, sizeof v->phone, "%s", fv(req, "phone"));
	long people;
	v->people = web_parse_int(fv(req, "people"), 1, 10000, &people) == 0 ? (int)people : 0;
	snprintf(v->kind, sizeof v->kind, "%s", fv(req, "kind"));
	snprintf(v->matter, sizeof v->matter, "%s", fv(req, "matter"));
	snprintf(v->received_by, sizeof v->received_by, "%s", fv(req, "received_by"));
	snprintf(v->guidance, sizeof v->guidance, "%s", fv(req, "guidance"));
	v->petition = strcmp(fv(req, "petition"), "1") == 0;
	snprintf(v->petition_code, sizeof v->petition_code, "%s", fv(req, "petition_code"));
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	enum err e = app_rc_visit_add(&app->core, &ac, v, (int64_t)time(NULL), &f, NULL);
	int64_t at = v->at;
	free(v);
	if (e == ERR_INVALID_FIELD)
		return visit_page(req, resp, 400, f.msg);
	if (e)
		return e;
	struct vn_tm t;
	vn_local(at, &t);
	char to[64];
	snprintf(to, sizeof to, "/tiep-cong-dan/so?thang=%04d-%02d&ok=ghi", t.year, t.month);
	http_redirect(resp, to);
	return ERR_OK;
}

/* ---- dialogue meetings ------------------------------------------------------------ */
static json_t *
dialogue_json(const struct store_rc_dialogue *d)
{
	char at[24], words[VN_WORDS_MAX];
	vn_fmt_datetime(d->at, at, sizeof at);
	vn_fmt_words(d->at, words, sizeof words);
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s}", "id", (json_int_t)d->id, "t",
	                 (json_int_t)d->at, "at", at,
	                 "at_words", words, "place", d->place, "chair", d->chair, "participants",
	                 d->participants, "attendees", d->attendees, "topics", d->topics, "conclusions",
	                 d->conclusions, "followup", d->followup);
}

static int
dialogue_add(const struct store_rc_dialogue *d, void *arg)
{
	json_t *o = dialogue_json(d);
	if (o)
		json_array_append_new(arg, o);
	return 0;
}

enum err
rc_dialogues(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	json_t *d = web_page_data(req, resp, "Đối thoại với Nhân dân");
	json_t *rows = json_array();
	if (!d || !rows) {
		json_decref(d);
		json_decref(rows);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "rows", rows);
	enum err e = app_rc_dialogues(&app->core, &ac, dialogue_add, rows);
	if (e) {
		json_decref(d);
		return e;
	}
	json_object_set_new(d, "can_write", json_boolean(can(req, APP_RC_WRITE)));
	return web_render(req, resp, "reception_dialogues", d);
}

static enum err
dialogue_page(struct http_req *req, struct http_resp *resp, int status, const char *error)
{
	json_t *d = web_page_data(req, resp, "Ghi cuộc đối thoại");
	if (!d)
		return ERR_NOMEM;
	char date[16], hm[8];
	now_fields(date, sizeof date, hm, sizeof hm);
	int typed = error != NULL;
	json_object_set_new(d, "f", json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "ngay",
	    typed ? fv(req, "ngay") : date, "gio", typed ? fv(req, "gio") : hm, "place", fv(req, "place"),
	    "chair", fv(req, "chair"), "participants", fv(req, "participants"), "attendees",
	    fv(req, "attendees"), "topics", fv(req, "topics"), "conclusions", fv(req, "conclusions"),
	    "followup", fv(req, "followup")));
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	resp->status = status;
	return web_render(req, resp, "reception_dialogue_new", d);
}

enum err
rc_dialogue_new(struct http_req *req, struct http_resp *resp)
{
	return dialogue_page(req, resp, 200, NULL);
}

enum err
rc_dialogue_create(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_rc_dialogue *d = calloc(1, sizeof *d);
	if (!d)
		return ERR_NOMEM;
	d->at = at_of_form(req);
	snprintf(d->place, sizeof d->place, "%s", fv(req, "place"));
	snprintf(d->chair, sizeof d->chair, "%s", fv(req, "chair"));
	long n;
	d->participants = web_parse_int(fv(req, "participants"), 1, 100000, &n) == 0 ? (int)n : 0;
	snprintf(d->attendees, sizeof d->attendees, "%s", fv(req, "attendees"));
	snprintf(d->topics, sizeof d->topics, "%s", fv(req, "topics"));
	snprintf(d->conclusions, sizeof d->conclusions, "%s", fv(req, "conclusions"));
	snprintf(d->followup, sizeof d->followup, "%s", fv(req, "followup"));
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	int64_t id = 0;
	enum err e = app_rc_dialogue_add(&app->core, &ac, d, (int64_t)time(NULL), &f, &id);
	free(d);
	if (e == ERR_INVALID_FIELD)
		return dialogue_page(req, resp, 400, f.msg);
	if (e)
		return e;
	char to[64];
	snprintf(to, sizeof to, "/tiep-cong-dan/doi-thoai/%lld", (long long)id);
	http_redirect(resp, to);
	return ERR_OK;
}

/* The meeting of the path's {id} as JSON, or an error. */
static enum err
dialogue_of(struct http_req *req, json_t **out)
{
	struct web_app *app = req->app;
	int64_t id;
	if (parse_id(req, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_rc_dialogue *d = malloc(sizeof *d);
	if (!d)
		return ERR_NOMEM;
	enum err e = app_rc_dialogue_get(&app->core, &ac, id, d);
	*out = e ? NULL : dialogue_json(d);
	free(d);
	return e ? e : *out ? ERR_OK : ERR_NOMEM;
}

enum err
rc_dialogue(struct http_req *req, struct http_resp *resp)
{
	json_t *m;
	enum err e = dialogue_of(req, &m);
	if (e)
		return e;
	json_t *d = web_page_data(req, resp, "Cuộc đối thoại với Nhân dân");
	if (!d) {
		json_decref(m);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "m", m);
	return web_render(req, resp, "reception_dialogue", d);
}

enum err
rc_dialogue_print(struct http_req *req, struct http_resp *resp)
{
	json_t *m;
	enum err e = dialogue_of(req, &m);
	if (e)
		return e;
	json_t *d = web_print_data(req, "Biên bản đối thoại", "",
	                           (int64_t)json_integer_value(json_object_get(m, "t")));
	if (!d) {
		json_decref(m);
		return ERR_NOMEM;
	}
	char back[64];
	snprintf(back, sizeof back, "/tiep-cong-dan/doi-thoai/%lld",
	         (long long)json_integer_value(json_object_get(m, "id")));
	json_object_set_new(d, "m", m);
	json_object_set_new(d, "no_unit", json_true());   /* the People's Committee itself */
	json_object_set_new(d, "back", json_pack("{s:s,s:s}", "href", back, "label", "Cuộc đối thoại"));
	return web_print_render(req, resp, "reception_minutes_print", d);
}
