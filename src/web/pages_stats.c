/*
 * pages_stats.c — /bao-cao/thong-ke: the statistics of a period (issue
 * #15 item 1) grouped by procedure, field, unit, officer or channel, with
 * a server-rendered SVG bar chart (no JavaScript, direct labels, so it
 * reads printed in black and white; the table stays the source), exports
 * to CSV and XLSX (a sheet per grouping, numbers as numbers), the printed
 * report on A4 (/bao-cao/thong-ke/in) and, behind every figure, the list
 * of its dossiers (/bao-cao/ho-so).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "app/digital.h"
#include "app/dossier.h"
#include "app/stats.h"
#include "core/calendar.h"
#include "core/money.h"
#include "core/vntime.h"
#include "report/csv.h"
#include "web/print.h"
#include "web/web.h"

/* The columns of every table, export and printed report. */
enum { K_COUNT, K_RATE, K_AVG, K_ONLINE_SHARE, K_FEE };
static const struct {
	int kind, m;           /* K_*; the measure a count (or the fee) opens to */
	const char *label;
} COLS[] = {
	{K_COUNT, APP_SM_RECEIVED, "Tiếp nhận"},
	{K_COUNT, APP_SM_FINISHED, "Đã giải quyết"},
	{K_COUNT, APP_SM_EARLY, "Xong trước hạn"},
	{K_COUNT, APP_SM_ON_TIME, "Xong đúng hạn"},
	{K_COUNT, APP_SM_LATE, "Xong trễ hạn"},
	{K_RATE, -1, "Tỷ lệ đúng hạn"},
	{K_COUNT, APP_SM_PENDING, "Đang giải quyết"},
	{K_COUNT, APP_SM_OVERDUE, "Đang quá hạn"},
	{K_AVG, -1, "Thời gian giải quyết bình quân (ngày làm việc)"},
	{K_COUNT, APP_SM_ONLINE, "Nộp trực tuyến"},
	{K_ONLINE_SHARE, -1, "Tỷ lệ trực tuyến"},
	{K_COUNT, APP_SM_DIGITISED, "Đã số hóa"},
	{K_COUNT, APP_SM_RATED, "Có đánh giá"},
	{K_COUNT, APP_SM_SATISFIED, "Hài lòng"},
	{K_FEE, APP_SM_PAID, "Phí, lệ phí đã thu (đồng)"},
};
#define NCOLS (sizeof COLS / sizeof COLS[0])

/* A period asked for: tu/den (yyyy-mm-dd), this month by default. */
struct period {
	cal_day from, to;
	char tu[16], den[16], tu_l[16], den_l[16];
	int group;
	const char *bad;
};

static void
period_of(struct http_req *req, int64_t now, struct period *p)
{
	memset(p, 0, sizeof *p);
	const char *from_s = form_get(&req->query, "tu"), *to_s = form_get(&req->query, "den");
	const char *g = form_get(&req->query, "nhom");
	cal_day first, today;
	vn_month_so_far(now, &first, &today);
	p->from = first;
	p->to = today;
	if ((from_s && *from_s && cal_parse_ymd(from_s, &p->from) != 0) ||
	    (to_s && *to_s && cal_parse_ymd(to_s, &p->to) != 0))
		p->bad = "Ngày phải có dạng năm-tháng-ngày (ví dụ 2026-11-01).";
	else if (p->to < p->from)
		p->bad = "Ngày “đến” không được trước ngày “từ”.";
	else if (p->to - p->from > 3660)
		p->bad = "Khoảng thời gian tối đa 10 năm.";
	p->group = g && *g ? app_stats_group_parse(g) : APP_SG_FIELD;
	if (p->group < 0) {
		p->group = APP_SG_FIELD;
		if (!p->bad)
			p->bad = "Cách nhóm không có.";
	}
	if (p->bad) {
		p->from = first;
		p->to = today;
	}
	cal_format_ymd(p->from, p->tu, sizeof p->tu);
	cal_format_ymd(p->to, p->den, sizeof p->den);
	vn_day_short(p->from, p->tu_l, sizeof p->tu_l);
	vn_day_short(p->to, p->den_l, sizeof p->den_l);
}

/* "/bao-cao/ho-so?tu=…&den=…&nhom=…&khoa=…&chi-so=…" */
static char *
list_href(const struct period *p, int g, const char *key, const char *name, int m)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "/bao-cao/ho-so?tu=%s&den=%s&nhom=%s&chi-so=%s", p->tu, p->den, app_stats_group_code(g),
	           app_stats_measure_code(m));
	if (key) {
		buf_puts(&b, "&khoa=");
		web_urlencode(&b, key);
		buf_puts(&b, "&ten=");
		web_urlencode(&b, name);
	}
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	buf_putc(&b, 0);
	return b.data;
}

/* A cell's text (the page's, the CSV's). */
static void
cell_text(const struct app_stats *s, const struct app_stats_row *r, size_t j, char *out, size_t n)
{
	switch (COLS[j].kind) {
	case K_COUNT: snprintf(out, n, "%lld", (long long)r->c[COLS[j].m]); break;
	case K_RATE:
		app_stats_pct(r->c[APP_SM_EARLY] + r->c[APP_SM_ON_TIME], r->c[APP_SM_FINISHED], out, n);
		break;
	case K_AVG: app_stats_avg_days(s, r, out, n); break;
	case K_ONLINE_SHARE: app_stats_pct(r->c[APP_SM_ONLINE], r->c[APP_SM_RECEIVED], out, n); break;
	default: money_figures(r->fee, out, n); break;
	}
}

static json_t *
row_json(const struct period *p, const struct app_stats *s, const struct app_stats_row *r, const char *key)
{
	json_t *cells = json_array();
	for (size_t j = 0; j < NCOLS; j++) {
		char v[48];
		cell_text(s, r, j, v, sizeof v);
		json_t *c = json_pack("{s:s,s:s}", "label", COLS[j].label, "value", v);
		if (COLS[j].m >= 0 && (COLS[j].kind == K_FEE ? r->c[APP_SM_PAID] : r->c[COLS[j].m])) {
			char *h = list_href(p, p->group, key, r->name, COLS[j].m);
			if (h)
				json_object_set_new(c, "href", json_string(h));
			free(h);
		}
		json_array_append_new(cells, c);
	}
	return json_pack("{s:s,s:o}", "name", r->name, "cells", cells);
}

/* The chart: one horizontal bar per row for "received", split into
 * finished and pending by a hatch, each bar labelled with its numbers. */
static json_t *
chart_json(const struct app_stats *s, const struct app_stats_table *tb)
{
	int64_t max = 1;
	for (size_t i = 0; i < tb->n; i++)
		if (tb->rows[i].c[APP_SM_RECEIVED] > max)
			max = tb->rows[i].c[APP_SM_RECEIVED];
	json_t *bars = json_array();
	const int width = 360, row_h = 44;
	for (size_t i = 0; i < tb->n; i++) {
		const struct app_stats_row *r = &tb->rows[i];
		int wf = (int)(width * r->c[APP_SM_FINISHED] / max), wp = (int)(width * r->c[APP_SM_PENDING] / max);
		char label[160], rate[16];
		app_stats_pct(r->c[APP_SM_EARLY] + r->c[APP_SM_ON_TIME], r->c[APP_SM_FINISHED], rate, sizeof rate);
		snprintf(label, sizeof label, "%lld tiếp nhận: %lld xong (đúng hạn %s), %lld đang giải quyết",
		         (long long)r->c[APP_SM_RECEIVED], (long long)r->c[APP_SM_FINISHED], rate,
		         (long long)r->c[APP_SM_PENDING]);
		int y = (int)i * row_h;
		json_array_append_new(bars, json_pack("{s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:i}", "name", r->name, "label",
		                                      label, "y", y + 14, "ty", y + 10, "ly", y + 38, "wf", wf,
		                                      "wp", wp, "xp", wf));
	}
	(void)s;
	return json_pack("{s:o,s:i,s:i}", "bars", bars, "h", (int)tb->n * row_h + 4, "w", width + 4);
}

static json_t *
pay_json(const struct app_stats *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->npay; i++) {
		char amount[40];
		money_figures(s->pay[i].amount, amount, sizeof amount);
		const char *l = app_pay_channel_label(s->pay[i].channel);
		json_array_append_new(a, json_pack("{s:s,s:I,s:s}", "label", l[0] ? l : "Không ghi hình thức",
		                                   "n", (json_int_t)s->pay[i].n, "amount", amount));
	}
	return a;
}

static json_t *
table_json(const struct period *p, const struct app_stats *s)
{
	const struct app_stats_table *tb = &s->g[p->group];
	json_t *rows = json_array(), *head = json_array(), *tabs = json_array();
	for (size_t j = 0; j < NCOLS; j++)
		json_array_append_new(head, json_string(COLS[j].label));
	for (size_t i = 0; i < tb->n; i++)
		json_array_append_new(rows, row_json(p, s, &tb->rows[i], tb->rows[i].key));
	for (int g = 0; g < APP_SG_N; g++) {
		char h[160];
		snprintf(h, sizeof h, "/bao-cao/thong-ke?tu=%s&den=%s&nhom=%s", p->tu, p->den, app_stats_group_code(g));
		json_array_append_new(tabs, json_pack("{s:s,s:s,s:b}", "label", app_stats_group_label(g), "href", h,
		                                      "current", g == p->group));
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:b}", "tu", p->tu, "den", p->den,
	                 "tu_label", p->tu_l, "den_label", p->den_l, "nhom", app_stats_group_code(p->group),
	                 "head_name", app_stats_group_label(p->group), "cols", head, "rows", rows, "all",
	                 row_json(p, s, &s->all, NULL), "tabs", tabs, "chart", chart_json(s, tb), "pay", pay_json(s),
	                 "ok", 1);
}

/* ---- CSV -------------------------------------------------------------------- */

static enum err
stats_csv(struct http_resp *resp, const struct period *p, const struct app_stats *s)
{
	struct buf out = BUF_INIT;
	buf_puts(&out, CSV_BOM);
	for (int g = 0; g < APP_SG_N; g++) {
		const struct app_stats_table *tb = &s->g[g];
		const char *row[1 + NCOLS] = {app_stats_group_label(g)};
		if (g)
			csv_write_row_const(&out, NULL, 0);
		for (size_t j = 0; j < NCOLS; j++)
			row[1 + j] = COLS[j].label;
		csv_write_row_const(&out, row, 1 + NCOLS);
		for (size_t i = 0; i <= tb->n; i++) {
			const struct app_stats_row *r = i < tb->n ? &tb->rows[i] : &s->all;
			char cells[NCOLS][48];
			row[0] = r->name;
			for (size_t j = 0; j < NCOLS; j++) {
				if (COLS[j].kind == K_FEE)
					snprintf(cells[j], sizeof cells[j], "%lld", (long long)r->fee);
				else
					cell_text(s, r, j, cells[j], sizeof cells[j]);
				row[1 + j] = cells[j];
			}
			csv_write_row_const(&out, row, 1 + NCOLS);
		}
	}
	resp->content_type = "text/csv; charset=utf-8";
	char disp[120];
	snprintf(disp, sizeof disp, "attachment; filename=\"thong-ke-%s-%s.csv\"", p->tu, p->den);
	http_resp_header(resp, "Content-Disposition", disp);
	buf_append(&resp->body, out.data, out.len);
	int oom = out.oom;
	buf_free(&out);
	return oom ? ERR_NOMEM : ERR_OK;
}

/* ---- XLSX ------------------------------------------------------------------- */

static lxw_datetime
lxw_day(cal_day d)
{
	int y, m, dd;
	cal_ymd(d, &y, &m, &dd);
	return (lxw_datetime){y, m, dd, 0, 0, 0};
}

/* Sheet names: at most 31 characters, none of []:*?/\ — the labels are. */
static void
xlsx_sheet(lxw_workbook *wb, const struct period *p, const struct app_stats *s, int g, lxw_format *bold,
           lxw_format *date, lxw_format *pct, lxw_format *dec, lxw_format *money)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, app_stats_group_label(g));
	if (!ws)
		return;
	worksheet_write_string(ws, 0, 0, "Hồ sơ tiếp nhận từ ngày", bold);
	lxw_datetime f = lxw_day(p->from), t = lxw_day(p->to);
	worksheet_write_datetime(ws, 0, 1, &f, date);
	worksheet_write_string(ws, 0, 2, "đến ngày", bold);
	worksheet_write_datetime(ws, 0, 3, &t, date);
	worksheet_write_string(ws, 2, 0, app_stats_group_label(g), bold);
	for (size_t j = 0; j < NCOLS; j++)
		worksheet_write_string(ws, 2, (lxw_col_t)(1 + j), COLS[j].label, bold);
	worksheet_set_column(ws, 0, 0, 40, NULL);
	worksheet_set_column(ws, 1, (lxw_col_t)NCOLS, 14, NULL);
	const struct app_stats_table *tb = &s->g[g];
	for (size_t i = 0; i <= tb->n; i++) {
		const struct app_stats_row *r = i < tb->n ? &tb->rows[i] : &s->all;
		lxw_row_t y = (lxw_row_t)(3 + i);
		worksheet_write_string(ws, y, 0, r->name, i < tb->n ? NULL : bold);
		for (size_t j = 0; j < NCOLS; j++) {
			lxw_col_t x = (lxw_col_t)(1 + j);
			int64_t fin = r->c[APP_SM_FINISHED], rec = r->c[APP_SM_RECEIVED];
			switch (COLS[j].kind) {
			case K_COUNT: worksheet_write_number(ws, y, x, (double)r->c[COLS[j].m], NULL); break;
			case K_RATE:
				if (fin)
					worksheet_write_number(ws, y, x,
					    (double)(r->c[APP_SM_EARLY] + r->c[APP_SM_ON_TIME]) / (double)fin, pct);
				break;
			case K_AVG:
				if (fin)
					worksheet_write_number(ws, y, x, app_stats_avg(s, r), dec);
				break;
			case K_ONLINE_SHARE:
				if (rec)
					worksheet_write_number(ws, y, x, (double)r->c[APP_SM_ONLINE] / (double)rec, pct);
				break;
			default: worksheet_write_number(ws, y, x, (double)r->fee, money); break;
			}
		}
	}
}

static enum err
stats_xlsx(struct http_resp *resp, const struct period *p, const struct app_stats *s)
{
	char path[] = "/tmp/motcua-xlsx-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return ERR_INTERNAL;
	close(fd);
	lxw_workbook_options o = {.constant_memory = LXW_FALSE, .tmpdir = "/tmp"};
	lxw_workbook *wb = workbook_new_opt(path, &o);
	if (!wb) {
		unlink(path);
		return ERR_NOMEM;
	}
	lxw_format *bold = workbook_add_format(wb), *date = workbook_add_format(wb), *pct = workbook_add_format(wb);
	lxw_format *dec = workbook_add_format(wb), *money = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_num_format(date, "dd/mm/yyyy");
	format_set_num_format(pct, "0.0%");
	format_set_num_format(dec, "0.0");
	format_set_num_format(money, "#,##0");
	for (int g = 0; g < APP_SG_N; g++)
		xlsx_sheet(wb, p, s, g, bold, date, pct, dec, money);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Phí theo hình thức nộp");
	if (ws) {
		worksheet_write_string(ws, 0, 0, "Hình thức nộp", bold);
		worksheet_write_string(ws, 0, 1, "Số hồ sơ", bold);
		worksheet_write_string(ws, 0, 2, "Số tiền (đồng)", bold);
		worksheet_set_column(ws, 0, 0, 36, NULL);
		for (size_t i = 0; i < s->npay; i++) {
			const char *l = app_pay_channel_label(s->pay[i].channel);
			worksheet_write_string(ws, (lxw_row_t)(1 + i), 0, l[0] ? l : "Không ghi hình thức", NULL);
			worksheet_write_number(ws, (lxw_row_t)(1 + i), 1, (double)s->pay[i].n, NULL);
			worksheet_write_number(ws, (lxw_row_t)(1 + i), 2, (double)s->pay[i].amount, money);
		}
	}
	lxw_error le = workbook_close(wb);
	FILE *fp = le == LXW_NO_ERROR ? fopen(path, "rb") : NULL;
	enum err e = fp ? ERR_OK : ERR_INTERNAL;
	char chunk[16384];
	size_t n;
	while (fp && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_append(&resp->body, chunk, n);
	if (fp)
		fclose(fp);
	unlink(path);
	if (e)
		return e;
	resp->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	char disp[120];
	snprintf(disp, sizeof disp, "attachment; filename=\"thong-ke-%s-%s.xlsx\"", p->tu, p->den);
	http_resp_header(resp, "Content-Disposition", disp);
	return resp->body.oom ? ERR_NOMEM : ERR_OK;
}

/* ---- pages ------------------------------------------------------------------ */

static enum err
compute(struct http_req *req, const struct period *p, int64_t now, struct app_stats *s)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	return app_stats_period(&app->core, &ac, p->from, p->to, now, s, &f);
}

enum err
page_stats(struct http_req *req, struct http_resp *resp)
{
	int64_t now = (int64_t)time(NULL);
	struct period p;
	period_of(req, now, &p);
	const char *fmt = form_get(&req->query, "dinh_dang");
	struct app_stats s;
	enum err e = compute(req, &p, now, &s);
	if (e)
		return e;
	if (!p.bad && fmt && (strcmp(fmt, "csv") == 0 || strcmp(fmt, "xlsx") == 0)) {
		e = fmt[0] == 'c' ? stats_csv(resp, &p, &s) : stats_xlsx(resp, &p, &s);
		app_stats_free(&s);
		return e;
	}
	json_t *t = table_json(&p, &s);
	app_stats_free(&s);
	json_t *dd = web_page_data(req, resp, "Thống kê giải quyết thủ tục hành chính");
	if (!dd || !t) {
		json_decref(dd);
		json_decref(t);
		return ERR_NOMEM;
	}
	json_object_set_new(dd, "s", t);
	if (p.bad) {
		json_object_set_new(dd, "error", json_string(p.bad));
		resp->status = 400;
	}
	return web_render(req, resp, "stats", dd);
}

enum err
page_stats_print(struct http_req *req, struct http_resp *resp)
{
	int64_t now = (int64_t)time(NULL);
	struct period p;
	period_of(req, now, &p);
	if (p.bad)
		return ERR_OUT_OF_RANGE;
	struct app_stats s;
	enum err e = compute(req, &p, now, &s);
	if (e)
		return e;
	json_t *t = table_json(&p, &s);
	app_stats_free(&s);
	json_t *d = web_print_data(req, "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "", now);
	if (!d || !t) {
		json_decref(d);
		json_decref(t);
		return ERR_NOMEM;
	}
	char back[160];
	snprintf(back, sizeof back, "/bao-cao/thong-ke?tu=%s&den=%s&nhom=%s", p.tu, p.den,
	         app_stats_group_code(p.group));
	json_object_set_new(d, "back", json_pack("{s:s,s:s}", "href", back, "label", "Về trang thống kê"));
	json_object_set_new(d, "wide", json_true());
	json_object_set_new(d, "s", t);
	return web_print_render(req, resp, "stats_print", d);
}

struct list_ctx {
	json_t *rows;
	size_t n;
};

static int
list_row(const struct store_dossier *d, void *arg)
{
	struct list_ctx *c = arg;
	char rec[32] = "", due[32] = "", fin[32] = "";
	vn_fmt_datetime(d->received_at, rec, sizeof rec);
	if (d->due_at)
		vn_fmt_datetime(d->due_at, due, sizeof due);
	if (d->finished_at)
		vn_fmt_datetime(d->finished_at, fin, sizeof fin);
	json_array_append_new(c->rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "code", d->code, "procedure",
	                                         d->procedure_name ? d->procedure_name : d->procedure_code,
	                                         "applicant", d->applicant_name ? d->applicant_name : "",
	                                         "received", rec, "due", due, "finished", fin, "timeliness",
	                                         app_timeliness_label(app_timeliness(d, (int64_t)time(NULL)))));
	return ++c->n >= 10000;
}

enum err
page_stats_list(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t now = (int64_t)time(NULL);
	struct period p;
	period_of(req, now, &p);
	const char *mc = form_get(&req->query, "chi-so"), *key = form_get(&req->query, "khoa");
	const char *name = form_get(&req->query, "ten");
	int m = app_stats_measure_parse(mc ? mc : "tiep-nhan");
	if (m < 0 && !p.bad)
		p.bad = "Chỉ số không có.";
	struct list_ctx c = {json_array(), 0};
	if (!c.rows)
		return ERR_NOMEM;
	if (!p.bad) {
		struct actor ac;
		web_actor_of(req, &ac);
		struct app_fail f = {"", ""};
		enum err e = app_stats_dossiers(&app->core, &ac, p.from, p.to, now, p.group, key, m, list_row, &c, &f);
		if (e) {
			json_decref(c.rows);
			return e;
		}
	}
	json_t *dd = web_page_data(req, resp, "Hồ sơ theo số liệu thống kê");
	if (!dd) {
		json_decref(c.rows);
		return ERR_NOMEM;
	}
	char back[160];
	snprintf(back, sizeof back, "/bao-cao/thong-ke?tu=%s&den=%s&nhom=%s", p.tu, p.den,
	         app_stats_group_code(p.group));
	json_object_set_new(dd, "l", json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:s}", "tu_label", p.tu_l, "den_label",
	                                       p.den_l, "measure", m >= 0 ? app_stats_measure_label(m) : "",
	                                       "group", app_stats_group_label(p.group), "key", key && name ? name : "",
	                                       "n", (json_int_t)c.n, "rows", c.rows, "back", back));
	if (p.bad) {
		json_object_set_new(dd, "error", json_string(p.bad));
		resp->status = 400;
	}
	return web_render(req, resp, "stats_list", dd);
}
