/*
 * pages_report.c — /bao-cao: timeliness of the dossiers received in a
 * period (DOMAIN decision 6) — the rate and the main counts first, then by
 * field, by officer and by unit — with the late ones listed and
 * whether the applicant got a written apology — for the leader's monthly
 * look, the inspector, and the province (CSV that Excel opens).
 *
 * Every count is computed from the dossiers themselves at request time
 * (app_timeliness), so the report cannot drift from the desk.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/report.h"
#include "core/calendar.h"
#include "core/deadline.h"
#include "report/csv.h"
#include "web/web.h"

/* The count columns after the name, as the tables and the CSV show them. */
static const struct {
	int col;                 /* APP_TL_*, or -1 for the on-time rate */
	const char *label;
} COLS[] = {
	{APP_TL_RECEIVED, "Tiếp nhận"},
	{APP_TL_EARLY, "Xong trước hạn"},
	{APP_TL_ON_TIME, "Xong đúng hạn"},
	{APP_TL_LATE, "Xong trễ hạn"},
	{APP_TL_IN_TIME, "Đang giải quyết còn hạn"},
	{APP_TL_OVERDUE, "Đang quá hạn"},
	{-1, "Tỷ lệ đúng hạn"},     /* the rate */
	{APP_TL_OTHER, "Rút, dừng xử lý"},
	{APP_TL_HELD, "Chưa tiếp nhận"},
	{APP_TL_REFUSED, "Từ chối tiếp nhận"},
};
#define NCOLS (sizeof COLS / sizeof COLS[0])

/* The three breakdowns, in the page's and the CSV's order. */
static const struct {
	const char *id, *caption, *head;
	size_t table;   /* offset in struct app_report */
} GROUPS[] = {
	{"bc-linh-vuc", "Theo lĩnh vực", "Lĩnh vực", offsetof(struct app_report, by_field)},
	{"bc-can-bo", "Theo cán bộ xử lý (người đang giữ hoặc giữ hồ sơ sau cùng)", "Cán bộ xử lý",
	 offsetof(struct app_report, by_officer)},
	{"bc-bo-phan", "Theo bộ phận xử lý", "Bộ phận", offsetof(struct app_report, by_unit)},
};
#define NGROUPS (sizeof GROUPS / sizeof GROUPS[0])

static const struct app_report_table *
group_table(const struct app_report *r, size_t g)
{
	return (const struct app_report_table *)((const char *)r + GROUPS[g].table);
}

/* A row's cells as text: the counts and the rate. */
static void
row_cells(const int64_t *c, char cells[NCOLS][32])
{
	for (size_t j = 0; j < NCOLS; j++) {
		if (COLS[j].col < 0)
			app_report_rate(c, cells[j], sizeof cells[j]);
		else
			snprintf(cells[j], sizeof cells[j], "%lld", (long long)c[COLS[j].col]);
	}
}

/* {"name", "cells": [{"label", "value", "rate"}]}: each cell carries its
 * column's label, which a phone shows beside it (the table as cards). */
static json_t *
row_json(const char *name, const int64_t *c)
{
	char cells[NCOLS][32];
	row_cells(c, cells);
	json_t *a = json_array();
	for (size_t j = 0; j < NCOLS; j++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "label", COLS[j].label, "value", cells[j], "rate",
		                                   COLS[j].col < 0));
	return json_pack("{s:s,s:o}", "name", name, "cells", a);
}

static json_t *
groups_json(const struct app_report *r)
{
	json_t *head = json_array();
	for (size_t j = 0; j < NCOLS; j++)
		json_array_append_new(head, json_string(COLS[j].label));
	json_t *groups = json_array();
	for (size_t g = 0; g < NGROUPS; g++) {
		const struct app_report_table *tb = group_table(r, g);
		json_t *rows = json_array();
		for (size_t i = 0; i < tb->n; i++)
			json_array_append_new(rows, row_json(tb->rows[i].name, tb->rows[i].c));
		json_array_append_new(groups, json_pack("{s:s,s:s,s:s,s:O,s:o,s:o}", "id", GROUPS[g].id, "caption",
		                                        GROUPS[g].caption, "head", GROUPS[g].head, "cols", head,
		                                        "rows", rows, "all", row_json("Tổng cộng", r->all)));
	}
	json_decref(head);
	return groups;
}

/* The figures a leader reads first, above everything else. */
static json_t *
summary_json(const struct app_report *r)
{
	const int64_t *c = r->all;
	char rate[16];
	app_report_rate(c, rate, sizeof rate);
	return json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "rate", rate, "received", (json_int_t)c[APP_TL_RECEIVED],
	                 "finished", (json_int_t)(c[APP_TL_EARLY] + c[APP_TL_ON_TIME] + c[APP_TL_LATE]), "late",
	                 (json_int_t)(c[APP_TL_LATE] + c[APP_TL_OVERDUE]), "pending",
	                 (json_int_t)(c[APP_TL_IN_TIME] + c[APP_TL_OVERDUE]), "overdue", (json_int_t)c[APP_TL_OVERDUE],
	                 "refused", (json_int_t)c[APP_TL_REFUSED], "held", (json_int_t)c[APP_TL_HELD]);
}

/* A late dossier's facts as text, for the page and the CSV. */
struct late_text {
	char due[32], fin[32], appt[32];
	const char *state, *apology;
};

static void
late_text(const struct app_report_late *l, struct late_text *t)
{
	vn_fmt_datetime(l->due_at, t->due, sizeof t->due);
	t->fin[0] = t->appt[0] = 0;
	if (l->finished_at)
		vn_fmt_datetime(l->finished_at, t->fin, sizeof t->fin);
	if (l->appointment_at)
		vn_fmt_datetime(l->appointment_at, t->appt, sizeof t->appt);
	t->state = l->finished ? "Đã xong, trễ hạn" : "Đang quá hạn";
	t->apology = l->apology == APP_APOLOGY_LATE ? "Gửi muộn" : l->apology == APP_APOLOGY_ON_TIME ? "Có" : "Không có";
}

static json_t *
late_json(const struct app_report *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nlate; i++) {
		const struct app_report_late *l = &r->late[i];
		struct late_text t;
		late_text(l, &t);
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:s}", "code", l->code,
		    "procedure", l->procedure, "field", l->field, "officer", l->officer, "unit", l->unit, "due", t.due,
		    "finished", t.fin, "apology", t.appt, "has_apology", l->apology != APP_APOLOGY_NONE, "apology_late",
		    l->apology == APP_APOLOGY_LATE, "state", t.state));
	}
	return a;
}

/* The report as CSV for Excel: the counts by field (first, as before),
 * by officer and by unit, each with its total; then the late dossiers,
 * one a row.  Every cell goes through the CSV writer's formula guard. */
static enum err
report_csv(struct http_resp *resp, const struct app_report *r, const char *from_s, const char *to_s)
{
	struct buf out = BUF_INIT;
	buf_puts(&out, CSV_BOM);
	for (size_t g = 0; g < NGROUPS; g++) {
		const struct app_report_table *tb = group_table(r, g);
		const char *row[1 + NCOLS] = {GROUPS[g].head};
		if (g) {
			csv_write_row_const(&out, NULL, 0);
			csv_write_row_const(&out, &GROUPS[g].caption, 1);
		}
		for (size_t j = 0; j < NCOLS; j++)
			row[1 + j] = COLS[j].label;
		csv_write_row_const(&out, row, 1 + NCOLS);
		for (size_t i = 0; i <= tb->n; i++) {
			char cells[NCOLS][32];
			row_cells(i < tb->n ? tb->rows[i].c : r->all, cells);
			row[0] = i < tb->n ? tb->rows[i].name : "Tổng cộng";
			for (size_t j = 0; j < NCOLS; j++)
				row[1 + j] = cells[j];
			csv_write_row_const(&out, row, 1 + NCOLS);
		}
	}
	static const char *const title[] = {"Hồ sơ trễ hạn và quá hạn"};
	static const char *const head[] = {"Mã hồ sơ", "Thủ tục", "Lĩnh vực", "Cán bộ xử lý", "Bộ phận", "Hạn trả",
	                                   "Tình trạng", "Xong lúc", "Phiếu xin lỗi", "Hẹn lại"};
	csv_write_row_const(&out, NULL, 0);
	csv_write_row_const(&out, title, 1);
	csv_write_row_const(&out, head, 10);
	for (size_t i = 0; i < r->nlate; i++) {
		const struct app_report_late *l = &r->late[i];
		struct late_text t;
		late_text(l, &t);
		const char *row[10] = {l->code, l->procedure, l->field, l->officer, l->unit, t.due,
		                       t.state, t.fin, t.apology, t.appt};
		csv_write_row_const(&out, row, 10);
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
		size_t late_max = fmt && strcmp(fmt, "csv") == 0 ? APP_REPORT_LATE_ALL : APP_REPORT_LATE_MAX;
		enum err e = app_report_timeliness_n(&app->core, &ac, fd, td, now, late_max, &rep, &f);
		if (e)
			return e;
	}
	if (!bad && fmt && strcmp(fmt, "csv") == 0) {
		enum err e = report_csv(resp, &rep, from_s, to_s);
		app_report_free(&rep);
		return e;
	}
	json_t *summary = summary_json(&rep);
	json_t *groups = groups_json(&rep);
	json_t *late = late_json(&rep);
	json_int_t late_more = rep.nlate_all > (int64_t)rep.nlate ? (json_int_t)(rep.nlate_all - (int64_t)rep.nlate) : 0;
	json_t *apologies = json_pack("{s:I,s:I,s:I}", "on_time", (json_int_t)rep.apologies[APP_APOLOGY_ON_TIME],
	                              "late", (json_int_t)rep.apologies[APP_APOLOGY_LATE], "none",
	                              (json_int_t)rep.apologies[APP_APOLOGY_NONE]);
	app_report_free(&rep);
	json_t *dd = web_page_data(req, resp, "Báo cáo giải quyết hồ sơ đúng hạn");
	if (!dd) {
		json_decref(summary);
		json_decref(groups);
		json_decref(late);
		json_decref(apologies);
		return ERR_NOMEM;
	}
	json_object_set_new(dd, "r", json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:b,s:I,s:I}", "tu", from_s, "den",
	                                       to_s, "tu_label", from_l, "den_label", to_l, "summary", summary,
	                                       "groups", groups, "late", late, "apologies", apologies, "ok", !bad,
	                                       "late_more", late_more, "late_shown", (json_int_t)APP_REPORT_LATE_MAX));
	if (bad) {
		json_object_set_new(dd, "error", json_string(bad));
		resp->status = 400;
	}
	return web_render(req, resp, "report", dd);
}
