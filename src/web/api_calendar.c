/*
 * api_calendar.c — the legal clock over the API: days off of a year, the
 * due instant of a time limit, and the lunar date of a day.  Public: the
 * answers are the law, not anyone's data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/lunar.h"
#include "app/calendar.h"
#include "web/web.h"

/* Parses a decimal integer in [lo, hi]; 0 or -1. */
int
web_parse_int(const char *s, long lo, long hi, long *out)
{
	if (!s || !*s || strlen(s) > 12)
		return -1;
	const char *p = s;
	if (*p == '-')
		p++;
	if (!*p)
		return -1;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	long v = strtol(s, NULL, 10);
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

json_t *
web_holidays_json(const struct cal_year *y)
{
	json_t *a = json_array();
	for (int i = 0; i < y->nspecial; i++) {
		const struct cal_special *s = &y->special[i];
		if (!s->off)
			continue;
		char d[16];
		cal_format_ymd(s->day, d, sizeof d);
		json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "date", d, "name", s->name, "kind",
		                                   cal_kind_code((enum cal_kind)s->kind)));
	}
	return a;
}

enum err
api_cal_holidays(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	long year;
	if (web_parse_int(form_get(&req->query, "year"), CAL_MIN_YEAR, CAL_MAX_YEAR, &year) != 0) {
		http_error(req, resp, ERR_OUT_OF_RANGE, "year: năm từ 1900 đến 2199");
		return ERR_OK;
	}
	struct calsnap *s;
	enum err e = cal_for(&app->core, (int)year, 1, &s);
	if (e)
		return e;
	const struct cal_year *y = cal_year_of(&s->cal, (int)year);
	json_t *a = y ? web_holidays_json(y) : NULL;
	cal_release(&app->core, s);
	if (!a)
		return ERR_INTERNAL;
	http_json(resp, 200, a);
	return ERR_OK;
}

enum err
api_cal_due(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *from = form_get(&req->query, "from");
	const char *same = form_get(&req->query, "same_day");
	const char *cut = form_get(&req->query, "cutoff");
	int64_t t;
	long days = 0;
	int cutoff = DL_CUTOFF_DEFAULT, same_day = 0;
	if (!from || vn_parse_rfc3339(from, &t) != 0) {
		http_error(req, resp, ERR_BAD_TIME, "from: thời điểm RFC 3339, ví dụ 2027-02-04T16:10:00+07:00");
		return ERR_OK;
	}
	if (same && strcmp(same, "true") != 0 && strcmp(same, "false") != 0) {
		http_error(req, resp, ERR_INVALID_FIELD, "same_day: true hoặc false");
		return ERR_OK;
	}
	same_day = same && strcmp(same, "true") == 0;
	const char *ds = form_get(&req->query, "days");
	if (!same_day || ds) {
		if (web_parse_int(ds, 0, DL_MAX_DAYS, &days) != 0) {
			http_error(req, resp, ERR_OUT_OF_RANGE, "days: số ngày làm việc từ 0 đến 3650");
			return ERR_OK;
		}
	}
	if (cut && vn_parse_hhmm(cut, &cutoff) != 0) {
		http_error(req, resp, ERR_BAD_TIME, "cutoff: giờ dạng HH:MM, ví dụ 15:00");
		return ERR_OK;
	}
	int y, m, d;
	cal_ymd(vn_day(t), &y, &m, &d);
	struct calsnap *s;
	enum err e = cal_for(&app->core, y, CAL_DUE_SPAN, &s);
	if (e) {
		http_error(req, resp, e, "from: năm từ 1900 đến 2199");
		return ERR_OK;
	}
	int64_t due;
	int rc = dl_due(&s->cal, &s->hours, t, (int)days, same_day, cutoff, &due);
	cal_release(&app->core, s);
	if (rc != DL_OK) {
		http_error(req, resp, ERR_OUT_OF_RANGE, "hạn xử lý vượt quá năm 2199");
		return ERR_OK;
	}
	char out[VN_RFC3339_MAX];
	vn_fmt_rfc3339(due, out, sizeof out);
	http_json(resp, 200, json_pack("{s:s}", "due_at", out));
	return ERR_OK;
}

enum err
api_cal_lunar(struct http_req *req, struct http_resp *resp)
{
	const char *ds = form_get(&req->query, "date");
	cal_day day;
	struct lunar_date ld;
	int y, m, d;
	if (!ds || cal_parse_ymd(ds, &day) != 0) {
		http_error(req, resp, ERR_BAD_DATE, "date: ngày dạng YYYY-MM-DD từ 1900 đến 2199");
		return ERR_OK;
	}
	cal_ymd(day, &y, &m, &d);
	if (lunar_from_solar(y, m, d, &ld) != 0) {
		http_error(req, resp, ERR_OUT_OF_RANGE, "date: ngoài phạm vi lịch âm 1900–2199");
		return ERR_OK;
	}
	char canchi[LUNAR_NAME_MAX];
	lunar_canchi_year(ld.year, canchi, sizeof canchi);
	http_json(resp, 200, json_pack("{s:s,s:i,s:i,s:i,s:b,s:s}", "date", ds, "lunar_day", ld.day,
	                               "lunar_month", ld.month, "lunar_year", ld.year, "leap", ld.leap,
	                               "year_name", canchi));
	return ERR_OK;
}
