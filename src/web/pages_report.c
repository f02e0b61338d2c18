/*
 * pages_report.c — /bao-cao: timeliness of the dossiers received in a
 * period (DOMAIN decision 6), by field, with the late ones listed and
 * whether the applicant got a written apology — for the leader's monthly
 * look, the inspector, and the province (CSV that Excel opens).
 *
 * Every count is computed from the dossiers themselves at request time
 * (app_timeliness), so the report cannot drift from the desk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/report.h"
#include "core/calendar.h"
#include "core/deadline.h"
#include "report/csv.h"
#include "web/web.h"

static json_t *
row_json(const char *name, const int64_t *c)
{
	char rate[16];
	app_report_rate(c, rate, sizeof rate);
	return json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:s}", "name", name, "received", (json_int_t)c[APP_TL_RECEIVED],
	                 "early", (json_int_t)c[APP_TL_EARLY], "on_time", (json_int_t)c[APP_TL_ON_TIME], "late",
	                 (json_int_t)c[APP_TL_LATE], "in_time", (json_int_t)c[APP_TL_IN_TIME], "overdue",
	                 (json_int_t)c[APP_TL_OVERDUE], "rate", rate);
}

static json_t *
late_json(const struct app_report *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nlate; i++) {
		const struct app_report_late *l = &r->late[i];
		char due[32], fin[32] = "", appt[32] = "";
		vn_fmt_datetime(l->due_at, due, sizeof due);
		if (l->finished_at)
			vn_fmt_datetime(l->finished_at, fin, sizeof fin);
		if (l->appointment_at)
			vn_fmt_datetime(l->appointment_at, appt, sizeof appt);
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:s}", "code", l->code,
		    "procedure", l->procedure, "field", l->field, "due", due, "finished", fin, "apology", appt,
		    "has_apology", l->apology != APP_APOLOGY_NONE, "apology_late", l->apology == APP_APOLOGY_LATE,
		    "state", l->finished ? "Đã xong, trễ hạn" : "Đang quá hạn"));
	}
	return a;
}

/* The report as CSV for Excel. */
static enum err
report_csv(struct http_resp *resp, const struct app_report *r, const char *from_s, const char *to_s)
{
	struct buf out = BUF_INIT;
	buf_puts(&out, CSV_BOM);
	static const char *const head[] = {"Lĩnh vực", "Tiếp nhận", "Xong trước hạn", "Xong đúng hạn",
	                                   "Xong trễ hạn", "Đang giải quyết còn hạn", "Đang quá hạn",
	                                   "Tỷ lệ đúng hạn"};
	csv_write_row_const(&out, head, 8);
	for (size_t i = 0; i <= r->nrows; i++) {
		const int64_t *c = i < r->nrows ? r->rows[i].c : r->all;
		char cells[6][32], rate[16];
		const char *row[8] = {i < r->nrows ? r->rows[i].field : "Tổng cộng"};
		for (int j = 0; j < 6; j++) {
			snprintf(cells[j], sizeof cells[j], "%lld", (long long)c[APP_TL_RECEIVED + j]);
			row[j + 1] = cells[j];
		}
		app_report_rate(c, rate, sizeof rate);
		row[7] = rate;
		csv_write_row_const(&out, row, 8);
	}
	resp->content_type = "text/csv; charset=utf-8";
	char disp[120];
	snprintf(disp, sizeof disp, "attachment; filename=\"bao-cao-dung-han-%s-%s.csv\"", from_s, to_s);
	http_resp_header(resp, "Content-Disposition", disp);
	buf_append(&resp->body, out.data, out.len);
	int oom = out.oom;
	buf_free(&out);
	return oom ? ERR_NOMEM : ERR_OK;
}

enum err
page_report(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *from_s = form_get(&req->query, "tu"), *to_s = form_get(&req->query, "den");
	const char *fmt = form_get(&req->query, "dinh_dang");
	int64_t now = (int64_t)time(NULL);
	cal_day first, today;
	vn_month_so_far(now, &first, &today);
	char def_from[16], def_to[16];
	cal_format_ymd(first, def_from, sizeof def_from);
	cal_format_ymd(today, def_to, sizeof def_to);
	if (!from_s || !*from_s)
		from_s = def_from;
	if (!to_s || !*to_s)
		to_s = def_to;
	cal_day fd, td;
	const char *bad = NULL;
	if (cal_parse_ymd(from_s, &fd) != 0 || cal_parse_ymd(to_s, &td) != 0)
		bad = "Ngày phải có dạng năm-tháng-ngày (ví dụ 2026-11-01).";
	else if (td < fd)
		bad = "Ngày “đến” không được trước ngày “từ”.";
	else if (td - fd > 3660)
		bad = "Khoảng thời gian tối đa 10 năm.";
	/* from here on only the parsed dates, written back canonically */
	char cf[16] = "", ct[16] = "", from_l[16] = "", to_l[16] = "";
	if (!bad) {
		cal_format_ymd(fd, cf, sizeof cf);
		vn_day_short(fd, from_l, sizeof from_l);
		cal_format_ymd(td, ct, sizeof ct);
		vn_day_short(td, to_l, sizeof to_l);
		from_s = cf;
		to_s = ct;
	}
	struct app_report rep = {0};
	if (!bad) {
		struct actor ac;
		web_actor_of(req, &ac);
		struct app_fail f = {"", ""};
		enum err e = app_report_timeliness(&app->core, &ac, fd, td, now, &rep, &f);
		if (e)
			return e;
	}
	if (!bad && fmt && strcmp(fmt, "csv") == 0) {
		enum err e = report_csv(resp, &rep, from_s, to_s);
		app_report_free(&rep);
		return e;
	}
	json_t *ordered = json_array();
	for (size_t i = 0; i < rep.nrows; i++)
		json_array_append_new(ordered, row_json(rep.rows[i].field, rep.rows[i].c));
	json_t *all = row_json("Tổng cộng", rep.all);
	json_t *late = late_json(&rep);
	json_t *apologies = json_pack("{s:I,s:I,s:I}", "on_time", (json_int_t)rep.apologies[APP_APOLOGY_ON_TIME],
	                              "late", (json_int_t)rep.apologies[APP_APOLOGY_LATE], "none",
	                              (json_int_t)rep.apologies[APP_APOLOGY_NONE]);
	app_report_free(&rep);
	json_t *dd = web_page_data(req, resp, "Báo cáo giải quyết hồ sơ đúng hạn");
	if (!dd) {
		json_decref(ordered);
		json_decref(all);
		json_decref(late);
		json_decref(apologies);
		return ERR_NOMEM;
	}
	json_object_set_new(dd, "r", json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:b}", "tu", from_s, "den", to_s,
	                                       "tu_label", from_l, "den_label", to_l, "rows", ordered, "all", all,
	                                       "late", late, "apologies", apologies, "ok", !bad));
	if (bad) {
		json_object_set_new(dd, "error", json_string(bad));
		resp->status = 400;
	}
	return web_render(req, resp, "report", dd);
}
