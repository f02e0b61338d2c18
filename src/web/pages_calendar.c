/*
 * pages_calendar.c — the public working calendar (/lich): twelve months
 * with lunar dates, days off and make-up working days marked, printable;
 * and the admin page (/quan-tri/lich) to edit a year's overrides, mark a
 * year as a complete official schedule, import a notice file and set the
 * office hours.  Every change rebuilds the shared calendar at once, so
 * the CLI, the API and this page all answer from the same data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/lunar.h"
#include "app/calendar.h"
#include "web/web.h"

static const char *const weekday_vi[7] = {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
                                          "Thứ Năm", "Thứ Sáu", "Thứ Bảy"};

static int
today_local(cal_day *out)
{
	*out = vn_day((int64_t)time(NULL));
	return 0;
}

/* "Thứ Hai, 01/02/2027" */
static void
day_label(cal_day day, char *out, size_t n)
{
	char dmy[16];
	vn_day_short(day, dmy, sizeof dmy);
	snprintf(out, n, "%s, %s", weekday_vi[cal_weekday(day)], dmy);
}

static const char *
kind_label(int kind)
{
	switch (kind) {
	case CAL_RULE:
		return "Theo Bộ luật Lao động";
	case CAL_COMPENSATORY:
		return "Nghỉ bù";
	default:
		return "Theo thông báo chính thức";
	}
}

/* The year asked for by ?nam=, default this year; -1 when malformed. */
static int
year_param(struct http_req *req)
{
	const char *s = form_get(&req->query, "nam");
	cal_day today;
	today_local(&today);
	int y, m, d;
	cal_ymd(today, &y, &m, &d);
	if (!s)
		return y;
	long v;
	if (web_parse_int(s, CAL_MIN_YEAR, CAL_MAX_YEAR, &v) != 0)
		return -1;
	return (int)v;
}

static json_t *
month_json(const struct cal *c, int year, int month, cal_day today)
{
	char title[64];
	snprintf(title, sizeof title, "Tháng %d năm %d", month, year);
	json_t *weeks = json_array();
	cal_day first = cal_day_from_ymd(year, month, 1);
	int ndays = lunar_solar_month_days(year, month);
	int lead = (cal_weekday(first) + 6) % 7; /* Monday first */
	json_t *week = json_array();
	for (int i = 0; i < lead; i++)
		json_array_append_new(week, json_pack("{s:b}", "blank", 1));
	for (int d = 1; d <= ndays; d++) {
		cal_day day = first + d - 1;
		struct lunar_date ld;
		char lunar[40] = "";
		if (lunar_from_solar(year, month, d, &ld) == 0) {
			if (ld.day == 1)
				snprintf(lunar, sizeof lunar, "%d/%d%s", ld.day, ld.month, ld.leap ? "N" : "");
			else
				snprintf(lunar, sizeof lunar, "%d", ld.day);
		}
		const struct cal_special *sp = cal_special_of(c, day);
		int working = cal_is_working(c, day) == 1;
		int wd = cal_weekday(day);
		char label[64];
		day_label(day, label, sizeof label);
		json_t *cell = json_pack("{s:i,s:s,s:b,s:b,s:b,s:b,s:s}", "d", d, "lunar", lunar, "off",
		                         !working && sp && sp->off, "weekend", !working && !(sp && sp->off),
		                         "work", working && sp && !sp->off, "today", day == today,
		                         "label", label);
		if (sp)
			json_object_set_new(cell, "name", json_string(sp->name));
		json_array_append_new(week, cell);
		if (wd == 0 || d == ndays) {
			json_array_append_new(weeks, json_pack("{s:o}", "days", week));
			week = json_array();
		}
		(void)wd;
	}
	json_decref(week);
	return json_pack("{s:s,s:o}", "title", title, "weeks", weeks);
}

static json_t *
year_lists(const struct cal_year *y, json_t **work_out)
{
	json_t *off = json_array(), *work = json_array();
	for (int i = 0; i < y->nspecial; i++) {
		const struct cal_special *s = &y->special[i];
		char label[64];
		day_label(s->day, label, sizeof label);
		json_t *row = json_pack("{s:s,s:s,s:s}", "date", label, "name", s->name, "kind",
		                        kind_label(s->kind));
		json_array_append_new(s->off ? off : work, row);
	}
	*work_out = work;
	return off;
}

enum err
page_calendar(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int year = year_param(req);
	if (year < 0)
		return ERR_OUT_OF_RANGE;
	struct calsnap *s;
	enum err e = cal_for(&app->core, year, 1, &s);
	if (e)
		return e;
	const struct cal_year *y = cal_year_of(&s->cal, year);
	if (!y) {
		cal_release(&app->core, s);
		return ERR_INTERNAL;
	}
	cal_day today;
	today_local(&today);
	char title[64], canchi[LUNAR_NAME_MAX] = "";
	snprintf(title, sizeof title, "Lịch làm việc năm %d", year);
	json_t *d = web_page_data(req, resp, title);
	if (!d) {
		cal_release(&app->core, s);
		return ERR_NOMEM;
	}
	json_t *months = json_array();
	for (int m = 1; m <= 12; m++)
		json_array_append_new(months, month_json(&s->cal, year, m, today));
	json_t *work;
	json_t *off = year_lists(y, &work);
	lunar_canchi_year(year, canchi, sizeof canchi);
	int offcount = 0;
	for (int i = 0; i < y->nspecial; i++)
		offcount += y->special[i].off && cal_weekday(y->special[i].day) % 6 != 0;
	int has_work = json_array_size(work) > 0;
	json_object_set_new(d, "cal", json_pack("{s:i,s:s,s:b,s:o,s:o,s:o,s:i,s:b}", "year", year,
	    "canchi", canchi, "complete", y->complete, "months", months, "offdays", off,
	    "workdays", work, "weekday_off", offcount, "has_work", has_work));
	if (year > CAL_MIN_YEAR)
		json_object_set_new(json_object_get(d, "cal"), "prev", json_integer(year - 1));
	if (year < CAL_MAX_YEAR)
		json_object_set_new(json_object_get(d, "cal"), "next", json_integer(year + 1));
	cal_release(&app->core, s);
	return web_render(req, resp, "calendar", d);
}

/* ---- admin ------------------------------------------------------------- */

static enum err
admin_page(struct http_req *req, struct http_resp *resp, int year, int status, enum err err,
           const char *detail, const char *flash)
{
	struct web_app *app = req->app;
	struct store_calendar sc;
	enum err e = store_calendar_load(app->st, &sc);
	if (e)
		return e;
	char title[64], prefix[8];
	snprintf(title, sizeof title, "Quản lý lịch nghỉ năm %d", year);
	snprintf(prefix, sizeof prefix, "%04d-", year);
	json_t *rows = json_array();
	for (size_t i = 0; i < sc.nrows; i++) {
		const struct store_holiday *h = &sc.rows[i];
		if (strncmp(h->day, prefix, 5) != 0)
			continue;
		cal_day day;
		char label[64] = "";
		if (cal_parse_ymd(h->day, &day) == 0)
			day_label(day, label, sizeof label);
		json_array_append_new(rows, json_pack("{s:s,s:s,s:b,s:s,s:s,s:s,s:b}", "day", h->day,
		    "label", label, "work", h->work, "name", h->name, "document", h->document,
		    "confidence", h->confidence, "unverified", h->document[0] == '\0' || strcmp(h->confidence, "NV") == 0));
	}
	int complete = 0;
	for (size_t i = 0; i < sc.ncomplete; i++)
		complete |= sc.complete_years[i] == year;
	char hh[4][24];
	for (int i = 0; i < 4; i++)
		snprintf(hh[i], sizeof hh[i], "%02d:%02d", sc.hours[i] / 60, sc.hours[i] % 60);
	store_calendar_free(&sc);
	json_t *d = web_page_data(req, resp, title);
	if (!d) {
		json_decref(rows);
		return ERR_NOMEM;
	}
	int has_rows = json_array_size(rows) > 0;
	json_object_set_new(d, "adm", json_pack("{s:i,s:i,s:i,s:o,s:b,s:b,s:{s:s,s:s,s:s,s:s}}", "year", year,
	    "prev", year - 1, "next", year + 1, "rows", rows, "has_rows", has_rows, "complete", complete, "hours", "am_open",
	    hh[0], "am_close", hh[1], "pm_open", hh[2], "pm_close", hh[3]));
	if (err)
		json_object_set_new(d, "error", json_pack("{s:s,s:s,s:s}", "message", err_message(err),
		                                          "code", err_code(err), "detail", detail ? detail : ""));
	if (flash)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", flash));
	resp->status = status;
	return web_render(req, resp, "admin_calendar", d);
}

enum err
admin_calendar(struct http_req *req, struct http_resp *resp)
{
	int year = year_param(req);
	if (year < 0)
		return ERR_OUT_OF_RANGE;
	const char *ok = form_get(&req->query, "ok");
	const char *flash = NULL;
	if (ok && strcmp(ok, "luu") == 0)
		flash = "Đã lưu. Lịch làm việc, hạn xử lý và API đã cập nhật theo thay đổi.";
	else if (ok && strcmp(ok, "nhap") == 0)
		flash = "Đã nạp tệp lịch nghỉ.";
	return admin_page(req, resp, year, 200, ERR_OK, NULL, flash);
}

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

static void
redirect_year(struct http_resp *resp, int year, const char *ok)
{
	char loc[64];
	snprintf(loc, sizeof loc, "/quan-tri/lich?nam=%d&ok=%s", year, ok);
	http_redirect(resp, loc);
}

/* After a change: rebuild the shared calendar, then show the year. */
static enum err
changed(struct http_req *req, struct http_resp *resp, int year, const char *ok)
{
	enum err e = cal_reload(&((struct web_app *)req->app)->core);
	if (e)
		return e;
	redirect_year(resp, year, ok);
	return ERR_OK;
}

enum err
admin_calendar_set(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_holiday h = {0};
	cal_day day;
	int y, m, d;
	if (cal_parse_ymd(fv(req, "day"), &day) != 0)
		return admin_page(req, resp, year_param(req) > 0 ? year_param(req) : 2026, 400, ERR_BAD_DATE,
		                  "Ngày phải có dạng YYYY-MM-DD.", NULL);
	cal_ymd(day, &y, &m, &d);
	const char *kind = fv(req, "kind");
	const char *name = fv(req, "name");
	size_t nl = strlen(name);
	if ((strcmp(kind, "off") != 0 && strcmp(kind, "work") != 0))
		return admin_page(req, resp, y, 400, ERR_INVALID_FIELD, "Loại ngày phải là nghỉ hoặc làm bù.", NULL);
	if (nl == 0 || nl >= sizeof h.name)
		return admin_page(req, resp, y, 400, ERR_MISSING_FIELD, "Tên ngày: bắt buộc, tối đa 127 byte.", NULL);
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20)
			return admin_page(req, resp, y, 400, ERR_INVALID_FIELD, "Tên ngày chứa ký tự điều khiển.", NULL);
	if (strlen(fv(req, "document")) >= sizeof h.document)
		return admin_page(req, resp, y, 400, ERR_INVALID_FIELD, "Văn bản căn cứ quá dài.", NULL);
	/* a year holds at most CAL_MAX_OVERRIDES_PER_YEAR adjusted days */
	struct store_calendar sc;
	if (store_calendar_load(app->st, &sc) == ERR_OK) {
		char prefix[8], dd[11];
		int count = 0, exists = 0;
		snprintf(prefix, sizeof prefix, "%04d-", y);
		cal_format_ymd(day, dd, sizeof dd);
		for (size_t i = 0; i < sc.nrows; i++) {
			count += strncmp(sc.rows[i].day, prefix, 5) == 0;
			exists |= strcmp(sc.rows[i].day, dd) == 0;
		}
		store_calendar_free(&sc);
		if (!exists && count >= CAL_MAX_OVERRIDES_PER_YEAR)
			return admin_page(req, resp, y, 400, ERR_OUT_OF_RANGE,
			                  "Một năm có tối đa 60 ngày điều chỉnh.", NULL);
	}
	cal_format_ymd(day, h.day, sizeof h.day);
	h.work = strcmp(kind, "work") == 0;
	snprintf(h.name, sizeof h.name, "%s", name);
	snprintf(h.document, sizeof h.document, "%s", fv(req, "document"));
	snprintf(h.confidence, sizeof h.confidence, "%s", h.document[0] ? "V" : "NV");
	char actor[96];
	web_actor(req, actor, sizeof actor);
	enum err e = store_holiday_set(app->st, actor, &h);
	if (e)
		return e;
	return changed(req, resp, y, "luu");
}

enum err
admin_calendar_delete(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	cal_day day;
	int y, m, d;
	if (cal_parse_ymd(fv(req, "day"), &day) != 0)
		return ERR_BAD_DATE;
	cal_ymd(day, &y, &m, &d);
	char actor[96];
	web_actor(req, actor, sizeof actor);
	enum err e = store_holiday_delete(app->st, actor, fv(req, "day"));
	if (e)
		return e;
	return changed(req, resp, y, "luu");
}

enum err
admin_calendar_complete(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	long year;
	const char *c = fv(req, "complete");
	if (web_parse_int(fv(req, "year"), CAL_MIN_YEAR, CAL_MAX_YEAR, &year) != 0)
		return ERR_OUT_OF_RANGE;
	if (strcmp(c, "0") != 0 && strcmp(c, "1") != 0)
		return admin_page(req, resp, (int)year, 400, ERR_INVALID_FIELD, NULL, NULL);
	char actor[96];
	web_actor(req, actor, sizeof actor);
	enum err e = store_holiday_year_complete(app->st, actor, (int)year, c[0] == '1');
	if (e)
		return e;
	return changed(req, resp, (int)year, "luu");
}

enum err
admin_calendar_import(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const struct form_field *f = NULL;
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].name, "file") == 0)
			f = &req->form.v[i];
	int year = year_param(req) > 0 ? year_param(req) : 2026;
	if (!f || !f->value_len)
		return admin_page(req, resp, year, 400, ERR_MISSING_FIELD, "Chọn tệp lịch nghỉ (.tsv) để nạp.", NULL);
	char actor[96], detail[300];
	web_actor(req, actor, sizeof actor);
	size_t n = 0;
	enum err e = cal_import_text(app->st, actor, f->value, f->value_len,
	                             f->filename ? f->filename : "", &n, detail, sizeof detail);
	if (e)
		return admin_page(req, resp, year, err_status(e), e, detail, NULL);
	/* show the imported year */
	const char *p = strstr(f->value, "# year: ");
	long iy = year;
	if (p) {
		char ys[5];
		memcpy(ys, p + 8, 4);
		ys[4] = '\0';
		web_parse_int(ys, CAL_MIN_YEAR, CAL_MAX_YEAR, &iy);
	}
	return changed(req, resp, (int)iy, "nhap");
}

enum err
admin_calendar_hours(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *names[4] = {"am_open", "am_close", "pm_open", "pm_close"};
	int h[4];
	int year = year_param(req) > 0 ? year_param(req) : 2026;
	for (int i = 0; i < 4; i++)
		if (vn_parse_hhmm(fv(req, names[i]), &h[i]) != 0)
			return admin_page(req, resp, year, 400, ERR_BAD_TIME, "Giờ phải có dạng HH:MM.", NULL);
	struct cal_hours ch = {h[0], h[1], h[2], h[3]};
	if (!cal_hours_valid(&ch))
		return admin_page(req, resp, year, 400, ERR_INVALID_FIELD,
		                  "Giờ mở cửa phải trước giờ đóng cửa, buổi sáng trước buổi chiều.", NULL);
	char actor[96];
	web_actor(req, actor, sizeof actor);
	enum err e = store_hours_set(app->st, actor, h);
	if (e)
		return e;
	return changed(req, resp, year, "luu");
}
