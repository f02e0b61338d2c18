/*
 * desk_view.c — what the desk's pages and printed forms show of a
 * dossier (desk.h): labels, local times, the fee in figures and words,
 * the public lookup address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/dossier.h"
#include "core/deadline.h"
#include "core/money.h"
#include "core/proc.h"
#include "app/online.h"
#include "web/desk.h"
#include "web/web.h"

static const char *
channel_label(const char *c)
{
	if (strcmp(c, "online") == 0)
		return "Trực tuyến";
	if (strcmp(c, "post") == 0)
		return "Qua bưu chính";
	return "Trực tiếp tại Bộ phận Một cửa";
}

static const char *
form_label(const char *f)
{
	if (!f)
		return "";
	if (strcmp(f, "original") == 0)
		return "Bản chính";
	if (strcmp(f, "copy") == 0)
		return "Bản sao";
	if (strcmp(f, "present") == 0)
		return "Xuất trình";
	return "Bản chính hoặc bản sao";
}

static void
set_time(json_t *o, const char *key, int64_t t)
{
	char a[40], b[40], c[64];
	vn_fmt_datetime(t, a, sizeof a);
	vn_fmt_date(t, b, sizeof b);
	vn_fmt_words(t, c, sizeof c);
	json_object_set_new(o, key, t ? json_pack("{s:s,s:s,s:s}", "at", a, "date", b, "long", c)
	                              : json_null());
}

/* Everything the pages and forms print about a dossier. */
json_t *
desk_dossier_view(struct http_req *req, const struct store_dossier *d, int64_t now)
{
	json_error_t je;
	json_t *a = json_loads(d->applicant, 0, &je);
	json_t *docs = json_loads(d->documents, 0, &je);
	if (!a)
		a = json_object();
	if (!docs)
		docs = json_array();
	/* applicant */
	const char *sex = json_string_value(json_object_get(a, "sex"));
	json_object_set_new(a, "sex_label", json_string(!sex ? "" : strcmp(sex, "male") == 0 ? "Nam" : "Nữ"));
	const char *dob = json_string_value(json_object_get(a, "date_of_birth"));
	cal_day dd;
	if (dob && cal_parse_ymd(dob, &dd) == 0) {
		char b[16];
		vn_day_short(dd, b, sizeof b);
		json_object_set_new(a, "dob_label", json_string(b));
	}
	size_t i;
	json_t *v;
	int received = 0;
	json_array_foreach(docs, i, v) {
		json_object_set_new(v, "no", json_integer((json_int_t)i + 1));
		json_object_set_new(v, "form_label",
		                    json_string(form_label(json_string_value(json_object_get(v, "form")))));
		received += json_is_true(json_object_get(v, "received"));
	}
	enum dfsm_state s;
	const struct dfsm_state_info *si = dfsm_state_from_code(d->status, &s) == 0 ? dfsm_state_info(s) : NULL;
	enum dfsm_stage sg = DFSM_STAGE_NONE;
	if (d->stage[0])
		dfsm_stage_from_code(d->stage, &sg);
	const char *tl = app_timeliness(d, now);
	char fee[400];
	money_fee_label(d->fee, NULL, fee, sizeof fee);
	char lookup[300];
	desk_lookup_url(req, d->code, lookup, sizeof lookup);
	json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I}",
	    "code", d->code, "procedure_code", d->procedure_code, "procedure_name", d->procedure_name,
	    "applicant", a, "documents", docs, "documents_received", received, "channel_label",
	    channel_label(d->channel), "status", d->status, "status_label", si ? si->label : d->status,
	    "public_label", si ? si->public_label : "", "stage_label",
	    sg != DFSM_STAGE_NONE && !(si && si->terminal) ? dfsm_stage_info(sg)->label : "", "note", d->note, "unit", d->unit,
	    "fee_label", fee, "lookup_url", lookup, "version", (json_int_t)d->version);
	if (!o)
		return NULL;
	json_object_set_new(o, "has_fee", json_boolean(d->fee > 0));
	json_object_set_new(o, "payment", desk_payment_json(d));
	json_object_set_new(o, "national_status", json_integer(si ? si->national : 0));
	json_object_set_new(o, "national_channel", json_integer(app_channel_national(d->channel)));
	json_object_set_new(o, "timeliness", json_string(tl ? tl : ""));
	json_object_set_new(o, "timeliness_label", json_string(app_timeliness_label(tl)));
	json_object_set_new(o, "is_late", json_boolean(tl && (strcmp(tl, "late") == 0 || strcmp(tl, "overdue") == 0)));
	json_object_set_new(o, "paused", json_boolean(d->paused_at != 0));
	/* due today (UTC+7) and not finished: the queues show it in red, with words */
	int open = si && !si->terminal && s != DFSM_S_RESULT_READY;
	json_object_set_new(o, "due_today", json_boolean(open && d->due_at > 0 &&
	                                                 vn_day(d->due_at) == vn_day(now)));
	json_object_set_new(o, "ready", json_boolean(s == DFSM_S_RESULT_READY || s == DFSM_S_RETURNED));
	set_time(o, "received", d->received_at);
	set_time(o, "due", d->due_at);
	/* set by the clerk at intake: the receipt and the page say so */
	json_object_set_new(o, "due_by_hand", json_boolean(d->due_by_hand && d->due_at));
	set_time(o, "appointment", d->appointment_at);
	set_time(o, "finished", d->finished_at);
	set_time(o, "paused_since", d->paused_at);
	char href[160];
	snprintf(href, sizeof href, "/mot-cua/ho-so/%s", d->code);
	json_object_set_new(o, "href", json_string(href));
	/* a finished dossier (returned, refused, withdrawn, stopped) is held
	 * by nobody: the last assignee stays on the timeline only */
	if (d->assignee && si && !si->terminal) {
		struct store_user u;
		struct web_app *app = req->app;
		if (store_user_by_id(app->st, d->assignee, &u) == ERR_OK)
			json_object_set_new(o, "assignee_name",
			                    json_string(u.full_name[0] ? u.full_name : u.username));
	}
	return o;
}

void
desk_person_name(struct web_app *app, const char *actor, char *out, size_t n)
{
	const char *username = strncmp(actor, "user:", 5) == 0 ? actor + 5 : actor;
	struct store_user u;
	if (*username && store_user_by_name(app->st, username, &u) == ERR_OK && u.full_name[0])
		snprintf(out, n, "%s", u.full_name);
	else
		snprintf(out, n, "%s", username);
}

void
desk_dossier_detail(struct http_req *req, const struct store_dossier *d, json_t *v)
{
	struct web_app *app = req->app;
	char who[256], exempt[PROC_TEXT_MAX + 8], fee[PROC_TEXT_MAX + 8];
	desk_person_name(app, d->received_by, who, sizeof who);
	json_object_set_new(v, "received_by", json_string(who));
	app_dossier_exemption(&app->core, d, exempt, sizeof exempt);
	if (money_fee_label(d->fee, exempt, fee, sizeof fee) >= 0)
		json_object_set_new(v, "fee_label", json_string(fee));
	/* a citizen's request to withdraw, for the clerk to act on */
	char reason[1000];
	int64_t asked = 0;
	struct actor ac;
	web_actor_of(req, &ac);
	if (app_online_withdraw_request(&app->core, &ac, d->code, reason, sizeof reason, &asked) == ERR_OK) {
		char at[40];
		vn_fmt_datetime(asked, at, sizeof at);
		json_object_set_new(v, "withdraw_request", json_pack("{s:s,s:s}", "reason", reason, "at", at));
	}
}

void
desk_lookup_url(struct http_req *req, const char *code, char *out, size_t n)
{
	/* The address the applicant's phone opens: --public-url when given,
	 * else this server as the desk reached it.  A Host header with
	 * anything but a host name and port is not printed on a legal form. */
	const char *host = http_header(req, "Host");
	int ok = host && *host && strlen(host) < 200;
	for (const char *p = host; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		     *p == '.' || *p == '-' || *p == ':' || *p == '[' || *p == ']';
	struct web_app *app = req->app;
	if (app->public_url[0])
		snprintf(out, n, "%s/tra-cuu?ma=%s", app->public_url, code);
	else
		snprintf(out, n, "%s://%s/tra-cuu?ma=%s", app->secure_cookies ? "https" : "http",
		         ok ? host : "localhost", code);
}

int
web_public_url_ok(const char *url)
{
	const char *h = strncmp(url, "https://", 8) == 0 ? url + 8
	                : strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
	if (!h || !*h || strlen(url) > 200)
		return -1;
	for (const char *p = h; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '-' || *p == ':'))
			return -1;
	return 0;
}


const char *
desk_action_title(const char *action)
{
	enum dfsm_action a;
	if (strcmp(action, "submit") == 0)
		return "Nộp hồ sơ";
	if (dfsm_action_from_name(action, &a) == 0)
		return dfsm_action_info(a)->label;
	return action;
}


enum err
desk_hand_due(struct http_req *req, const char *field, int64_t *out, struct app_fail *f)
{
	const char *ds = form_get(&req->form, "due_date"), *ts = form_get(&req->form, "due_time");
	ds = ds ? ds : "";
	ts = ts ? ts : "";
	*out = 0;
	if (!*ds && !*ts)
		return ERR_OK;
	cal_day day;
	int minute;
	if (cal_parse_ymd(ds, &day) != 0)
		return app_fail(f, ERR_BAD_DATE, field, "Ghi ngày hẹn trả kết quả (ngày/tháng/năm).");
	if (vn_parse_hhmm(ts, &minute) != 0)
		return app_fail(f, ERR_BAD_TIME, field, "Ghi giờ hẹn trả kết quả (giờ:phút, ví dụ 16:00).");
	*out = vn_instant(day, minute);
	return ERR_OK;
}
