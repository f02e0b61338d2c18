/*
 * pages_report.c — /bao-cao: timeliness of the dossiers received in a
 * period (DOMAIN decision 6), by field, with the late ones listed and
 * whether the applicant got a written apology — for the leader's monthly
 * look, the inspector, and the province (CSV that Excel opens).
 *
 * Every count is computed from the dossiers themselves at request time
 * (dsvc_timeliness), so the report cannot drift from the desk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/calendar.h"
#include "core/deadline.h"
#include "report/csv.h"
#include "web/catalog_io.h"
#include "web/desk.h"
#include "web/dossier_svc.h"
#include "web/web.h"

/* Columns of a row, in order. */
enum { C_RECEIVED, C_EARLY, C_ON_TIME, C_LATE, C_IN_TIME, C_OVERDUE, C_OTHER, C_N };

struct tally {
	struct web_app *app;
	json_t *fields;   /* field name → [C_N counts] */
	json_t *proc_field;  /* procedure code → field name (cache) */
	int64_t all[C_N];
	json_t *late;     /* the late and overdue dossiers */
	int64_t now;
	enum err e;
};

static const char *
field_of(struct tally *t, const char *code)
{
	json_t *f = json_object_get(t->proc_field, code);
	if (f)
		return json_string_value(f);
	const char *name = "Khác";
	struct store_proc sp;
	json_t *o = NULL;
	if (store_proc_get(t->app->st, code, 0, &sp) == ERR_OK) {
		o = catalog_object(&sp);
		store_proc_free(&sp);
		const char *fv = json_string_value(json_object_get(o, "field"));
		if (fv && *fv)
			name = fv;
	}
	json_object_set_new(t->proc_field, code, json_string(name));
	json_decref(o);
	return json_string_value(json_object_get(t->proc_field, code));
}

static int
count_one(const struct store_dossier *d, void *arg)
{
	struct tally *t = arg;
	const char *tl = dsvc_timeliness(d, t->now);
	int col = !tl ? C_OTHER : strcmp(tl, "early") == 0 ? C_EARLY : strcmp(tl, "on_time") == 0 ? C_ON_TIME
	        : strcmp(tl, "late") == 0 ? C_LATE : strcmp(tl, "in_time") == 0 ? C_IN_TIME : C_OVERDUE;
	const char *field = field_of(t, d->procedure_code);
	json_t *row = json_object_get(t->fields, field);
	if (!row) {
		row = json_array();
		for (int i = 0; i < C_N; i++)
			json_array_append_new(row, json_integer(0));
		json_object_set_new(t->fields, field, row);
	}
	int cols[2] = {C_RECEIVED, col};
	for (int k = 0; k < 2; k++) {
		json_t *c = json_array_get(row, (size_t)cols[k]);
		json_integer_set(c, json_integer_value(c) + 1);
		t->all[cols[k]]++;
	}
	if (col == C_LATE || col == C_OVERDUE) {
		char due[32], fin[32] = "", appt[32] = "";
		web_fmt_local(d->due_at, due, sizeof due);
		if (d->finished_at)
			web_fmt_local(d->finished_at, fin, sizeof fin);
		if (d->appointment_at)
			web_fmt_local(d->appointment_at, appt, sizeof appt);
		json_array_append_new(t->late, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s}", "code", d->code,
		    "procedure", d->procedure_name, "field", field, "due", due, "finished", fin, "apology", appt,
		    "has_apology", d->appointment_at != 0, "state", col == C_LATE ? "Đã xong, trễ hạn" : "Đang quá hạn"));
	}
	return 0;
}

/* "93,5%" of finished dossiers done early or on time; "—" when none finished. */
static void
rate_text(const int64_t *c, char *out, size_t n)
{
	int64_t done = c[C_EARLY] + c[C_ON_TIME] + c[C_LATE];
	if (!done) {
		snprintf(out, n, "—");
		return;
	}
	snprintf(out, n, "%.1f%%", 100.0 * (double)(c[C_EARLY] + c[C_ON_TIME]) / (double)done);
	char *dot = strchr(out, '.');
	if (dot)
		*dot = ',';
}

static json_t *
row_json(const char *name, const int64_t *c)
{
	char rate[16];
	rate_text(c, rate, sizeof rate);
	return json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:s}", "name", name, "received", (json_int_t)c[C_RECEIVED],
	                 "early", (json_int_t)c[C_EARLY], "on_time", (json_int_t)c[C_ON_TIME], "late",
	                 (json_int_t)c[C_LATE], "in_time", (json_int_t)c[C_IN_TIME], "overdue",
	                 (json_int_t)c[C_OVERDUE], "rate", rate);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "name")),
	              json_string_value(json_object_get(*(json_t *const *)b, "name")));
}

enum err
page_report(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *from_s = form_get(&req->query, "tu"), *to_s = form_get(&req->query, "den");
	const char *fmt = form_get(&req->query, "dinh_dang");
	int64_t now = (int64_t)time(NULL);
	int y, m, d;
	cal_ymd(dl_local_day(now), &y, &m, &d);
	char def_from[16], def_to[16];
	snprintf(def_from, sizeof def_from, "%04d-%02d-01", y, m);
	snprintf(def_to, sizeof def_to, "%04d-%02d-%02d", y, m, d);
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
		int a, b, c;
		cal_ymd(fd, &a, &b, &c);
		snprintf(cf, sizeof cf, "%04d-%02d-%02d", a, b, c);
		snprintf(from_l, sizeof from_l, "%02d/%02d/%04d", c, b, a);
		cal_ymd(td, &a, &b, &c);
		snprintf(ct, sizeof ct, "%04d-%02d-%02d", a, b, c);
		snprintf(to_l, sizeof to_l, "%02d/%02d/%04d", c, b, a);
		from_s = cf;
		to_s = ct;
	}
	struct tally t = {.app = app, .fields = json_object(), .proc_field = json_object(), .late = json_array(),
	                  .now = now};
	if (!bad) {
		struct store_dossier_query q = {.from = dl_instant(fd, 0), .to = dl_instant(td, 0) + 86400,
		                                .limit = 1000};
		for (int64_t total = 1; !t.e && q.offset < total; q.offset += q.limit) {
			t.e = store_dossier_list(app->st, &q, count_one, &t, &total);
			if (q.offset > 10000000)
				break;
		}
	}
	json_decref(t.proc_field);
	if (t.e) {
		json_decref(t.fields);
		json_decref(t.late);
		return t.e;
	}
	json_t *rows = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(t.fields, k, v) {
		int64_t c[C_N];
		for (int i = 0; i < C_N; i++)
			c[i] = json_integer_value(json_array_get(v, (size_t)i));
		json_array_append_new(rows, row_json(k, c));
	}
	json_decref(t.fields);
	/* fields in a stable order */
	size_t n = json_array_size(rows);
	json_t **sorted = malloc((n ? n : 1) * sizeof *sorted);
	for (size_t i = 0; sorted && i < n; i++)
		sorted[i] = json_array_get(rows, i);
	if (sorted)
		qsort(sorted, n, sizeof *sorted, cmp_name);
	json_t *ordered = json_array();
	for (size_t i = 0; sorted && i < n; i++)
		json_array_append(ordered, sorted[i]);
	free(sorted);
	json_decref(rows);
	json_t *all = row_json("Tổng cộng", t.all);

	if (!bad && fmt && strcmp(fmt, "csv") == 0) {
		struct buf out = BUF_INIT;
		buf_puts(&out, CSV_BOM);
		static const char *const head[] = {"Lĩnh vực", "Tiếp nhận", "Xong trước hạn", "Xong đúng hạn",
		                                   "Xong trễ hạn", "Đang giải quyết còn hạn", "Đang quá hạn",
		                                   "Tỷ lệ đúng hạn"};
		csv_write_row_const(&out, head, 8);
		json_array_append(ordered, all);
		size_t i;
		json_array_foreach(ordered, i, v) {
			char cells[7][32];
			const char *row[8] = {json_string_value(json_object_get(v, "name"))};
			static const char *const keys[] = {"received", "early", "on_time", "late", "in_time", "overdue"};
			for (int j = 0; j < 6; j++) {
				snprintf(cells[j], sizeof cells[j], "%lld", (long long)json_integer_value(json_object_get(v, keys[j])));
				row[j + 1] = cells[j];
			}
			row[7] = json_string_value(json_object_get(v, "rate"));
			csv_write_row_const(&out, row, 8);
		}
		json_decref(ordered);
		json_decref(all);
		json_decref(t.late);
		resp->content_type = "text/csv; charset=utf-8";
		char disp[120];
		snprintf(disp, sizeof disp, "attachment; filename=\"bao-cao-dung-han-%s-%s.csv\"", from_s, to_s);
		http_resp_header(resp, "Content-Disposition", disp);
		buf_append(&resp->body, out.data, out.len);
		buf_free(&out);
		return ERR_OK;
	}

	json_t *dd = web_page_data(req, resp, "Báo cáo giải quyết hồ sơ đúng hạn");
	if (!dd) {
		json_decref(ordered);
		json_decref(all);
		json_decref(t.late);
		return ERR_NOMEM;
	}
	json_object_set_new(dd, "r", json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:b}", "tu", from_s, "den", to_s,
	                                       "tu_label", from_l, "den_label", to_l, "rows", ordered, "all", all,
	                                       "late", t.late, "ok", !bad));
	if (bad) {
		json_object_set_new(dd, "error", json_string(bad));
		resp->status = 400;
	}
	return web_render(req, resp, "report", dd);
}
