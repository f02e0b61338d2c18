/*
 * pages_staff.c — /bao-cao/can-bo: per officer, the dossiers received in
 * a period that he holds or last held — handled, on-time rate, late with
 * and without a written apology, still overdue — and the applicants'
 * ratings (app/staff.h), for the yearly evaluation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/staff.h"
#include "core/deadline.h"
#include "web/web.h"

static json_t *
row_json(const struct app_staff_row *r)
{
	char rate[16];
	app_report_rate(r->c, rate, sizeof rate);
	int64_t finished = r->c[APP_TL_EARLY] + r->c[APP_TL_ON_TIME] + r->c[APP_TL_LATE];
	return json_pack("{s:s,s:I,s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "name", r->name, "handled",
	                 (json_int_t)r->c[APP_TL_RECEIVED], "finished", (json_int_t)finished, "rate", rate, "late",
	                 (json_int_t)(r->c[APP_TL_LATE] + r->c[APP_TL_OVERDUE]), "apology", (json_int_t)r->late_apology,
	                 "no_apology", (json_int_t)r->late_no_apology, "r0", (json_int_t)r->ratings[0], "r1",
	                 (json_int_t)r->ratings[1], "r2", (json_int_t)r->ratings[2]);
}

enum err
page_staff(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t now = (int64_t)time(NULL);
	cal_day first, today;
	vn_month_so_far(now, &first, &today);
	const char *from_s = form_get(&req->query, "tu"), *to_s = form_get(&req->query, "den");
	cal_day fd = first, td = today;
	const char *bad = NULL;
	if ((from_s && *from_s && cal_parse_ymd(from_s, &fd) != 0) || (to_s && *to_s && cal_parse_ymd(to_s, &td) != 0))
		bad = "Ngày phải có dạng năm-tháng-ngày (ví dụ 2026-11-01).";
	char tu[16], den[16], tu_l[16], den_l[16];
	cal_format_ymd(fd, tu, sizeof tu);
	cal_format_ymd(td, den, sizeof den);
	vn_day_short(fd, tu_l, sizeof tu_l);
	vn_day_short(td, den_l, sizeof den_l);
	struct app_staff_row *rows = NULL;
	size_t n = 0;
	struct app_fail f = {"", ""};
	if (!bad) {
		struct actor ac;
		web_actor_of(req, &ac);
		enum err e = app_staff_performance(&app->core, &ac, fd, td, now, &rows, &n, &f);
		if (e == ERR_OUT_OF_RANGE)
			bad = f.msg;
		else if (e)
			return e;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, row_json(&rows[i]));
	free(rows);
	json_t *dd = web_page_data(req, resp, "Kết quả giải quyết hồ sơ theo cán bộ");
	if (!dd) {
		json_decref(a);
		return ERR_NOMEM;
	}
	json_object_set_new(dd, "r", json_pack("{s:b,s:s,s:s,s:s,s:s,s:o}", "ok", !bad, "tu", tu, "den", den, "tu_label",
	                                       tu_l, "den_label", den_l, "rows", a));
	if (bad) {
		json_object_set_new(dd, "error", json_string(bad));
		resp->status = 400;
	}
	return web_render(req, resp, "staff", dd);
}
