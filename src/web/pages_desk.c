/*
 * pages_desk.c — the one-stop desk's screens (issue #5 item 3): queues and
 * search (/mot-cua), intake (/mot-cua/tiep-nhan), the dossier page with
 * its timeline, actions and attachments (/mot-cua/ho-so/{code}), and the
 * public lookup (/tra-cuu).  Every change goes through dossier_svc.h, the
 * same code as the API; forms carry the dossier's version, so a page left
 * open while a colleague acted gets "changed by someone else", not a
 * silent overwrite.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/dossier_fsm.h"
#include "core/ident.h"
#include "core/money.h"
#include "core/roles.h"
#include "core/text.h"
#include "web/calendar_svc.h"
#include "web/catalog_io.h"
#include "web/desk.h"
#include "web/dossier_svc.h"
#include "web/web.h"

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

static const char *
qv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->query, name);
	return v ? v : "";
}

/* ---- shared views ------------------------------------------------------- */

void
desk_fmt_date(int64_t t, char *out, size_t n)
{
	if (!t) {
		snprintf(out, n, "%s", "");
		return;
	}
	int y, m, d;
	cal_ymd(dl_local_day(t), &y, &m, &d);
	snprintf(out, n, "%02d/%02d/%04d", d, m, y);
}

/* "16 giờ 10 phút, ngày 04/02/2027" — the forms' way of writing instants. */
void
desk_fmt_long(int64_t t, char *out, size_t n)
{
	if (!t) {
		snprintf(out, n, "%s", "");
		return;
	}
	int y, m, d, s = dl_local_seconds(t);
	cal_ymd(dl_local_day(t), &y, &m, &d);
	snprintf(out, n, "%02d giờ %02d phút, ngày %02d/%02d/%04d", s / 3600, s / 60 % 60, d, m, y);
}

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
	web_fmt_local(t, a, sizeof a);
	desk_fmt_date(t, b, sizeof b);
	desk_fmt_long(t, c, sizeof c);
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
		int y, m, dday;
		cal_ymd(dd, &y, &m, &dday);
		char b[16];
		snprintf(b, sizeof b, "%02d/%02d/%04d", dday, m, y);
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
	const char *tl = dsvc_timeliness(d, now);
	char fig[40] = "0", words[400] = "Không đồng";
	money_figures(d->fee, fig, sizeof fig);
	money_words(d->fee, words, sizeof words);
	char lookup[300];
	desk_lookup_url(req, d->code, lookup, sizeof lookup);
	json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s}",
	    "code", d->code, "procedure_code", d->procedure_code, "procedure_name", d->procedure_name,
	    "applicant", a, "documents", docs, "documents_received", received, "channel_label",
	    channel_label(d->channel), "status", d->status, "status_label", si ? si->label : d->status,
	    "public_label", si ? si->public_label : "", "stage_label",
	    sg != DFSM_STAGE_NONE ? dfsm_stage_info(sg)->label : "", "note", d->note, "unit", d->unit,
	    "fee_figures", fig, "fee_words", words, "lookup_url", lookup, "version",
	    (json_int_t)d->version, "received_by",
	    strncmp(d->received_by, "user:", 5) == 0 ? d->received_by + 5 : d->received_by);
	if (!o)
		return NULL;
	json_object_set_new(o, "has_fee", json_boolean(d->fee > 0));
	json_object_set_new(o, "national_status", json_integer(si ? si->national : 0));
	json_object_set_new(o, "timeliness", json_string(tl ? tl : ""));
	json_object_set_new(o, "timeliness_label", json_string(dsvc_timeliness_label(tl)));
	json_object_set_new(o, "is_late", json_boolean(tl && (strcmp(tl, "late") == 0 || strcmp(tl, "overdue") == 0)));
	json_object_set_new(o, "paused", json_boolean(d->paused_at != 0));
	/* due today (UTC+7) and not finished: the queues show it in red, with words */
	int open = si && !si->terminal && s != DFSM_S_RESULT_READY;
	json_object_set_new(o, "due_today", json_boolean(open && d->due_at > 0 &&
	                                                 (d->due_at + 7 * 3600) / 86400 == (now + 7 * 3600) / 86400));
	json_object_set_new(o, "ready", json_boolean(s == DFSM_S_RESULT_READY || s == DFSM_S_RETURNED));
	set_time(o, "received", d->received_at);
	set_time(o, "due", d->due_at);
	set_time(o, "appointment", d->appointment_at);
	set_time(o, "finished", d->finished_at);
	set_time(o, "paused_since", d->paused_at);
	char href[160];
	snprintf(href, sizeof href, "/mot-cua/ho-so/%s", d->code);
	json_object_set_new(o, "href", json_string(href));
	if (d->assignee) {
		struct store_user u;
		struct web_app *app = req->app;
		if (store_user_by_id(app->st, d->assignee, &u) == ERR_OK)
			json_object_set_new(o, "assignee_name",
			                    json_string(u.full_name[0] ? u.full_name : u.username));
	}
	return o;
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

/* ---- queues and search --------------------------------------------------- */

struct rows {
	json_t *a;
	struct http_req *req;
	int64_t now;
};

static int
row_add(const struct store_dossier *d, void *arg)
{
	struct rows *r = arg;
	json_t *o = desk_dossier_view(r->req, d, r->now);
	if (o)
		json_array_append_new(r->a, o);
	return 0;
}

static const struct {
	const char *key, *label;
} queues[] = {
	{"viec-cua-toi", "Việc của tôi"},
	{"don-vi", "Đơn vị của tôi"},
	{"sap-den-han", "Sắp đến hạn"},
	{"qua-han", "Quá hạn"},
	{"cho-bo-sung", "Chờ người nộp bổ sung"},
	{"hen-tra-hom-nay", "Hẹn trả hôm nay"},
	{"tim-kiem", "Tìm kiếm"},
};

enum err
desk_home(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct web_user *wu = web_user(req);
	const char *queue = qv(req, "hang");
	const char *text = qv(req, "q"), *status = qv(req, "trang_thai");
	const char *from = qv(req, "tu"), *to = qv(req, "den");
	int searching = *text || *status || *from || *to;
	if (!*queue)
		queue = searching ? "tim-kiem" : "viec-cua-toi";
	size_t qi = 0;
	while (qi < sizeof queues / sizeof queues[0] && strcmp(queues[qi].key, queue) != 0)
		qi++;
	if (qi == sizeof queues / sizeof queues[0])
		return ERR_NOT_FOUND;
	int64_t now = (int64_t)time(NULL);
	struct store_dossier_query q = {.limit = 100};
	char ph[IDENT_PHONE_SIZE], *fold = NULL, err[200] = "";
	if (strcmp(queue, "viec-cua-toi") == 0) {
		q.statuses = DSVC_PENDING;
		q.by_due = 1;
		if (wu->role & ROLE_CLERK)
			q.statuses = "new,received,result_ready";
		else if (wu->role & ROLE_OFFICER) {
			q.assignee = wu->u.id;
			q.statuses = "processing,waiting_supplement,waiting_payment";
		} else if (wu->role & ROLE_LEADER)
			q.stage = "with_leader";
	} else if (strcmp(queue, "don-vi") == 0) {
		q.unit = wu->u.unit;
		q.statuses = DSVC_PENDING;
		q.by_due = 1;
	} else if (strcmp(queue, "sap-den-han") == 0) {
		/* due within the next two working days */
		struct calsnap *cs = cal_acquire(app);
		int64_t soon = now + 2 * 86400;
		if (cs) {
			dl_add_work(&cs->cal, &cs->hours, now, 2 * 8 * 3600, &soon);
			cal_release(app, cs);
		}
		q.statuses = "received,processing";
		q.due_before = soon;
		q.by_due = 1;
	} else if (strcmp(queue, "qua-han") == 0) {
		q.statuses = "received,processing";
		q.due_before = now;
		q.by_due = 1;
	} else if (strcmp(queue, "cho-bo-sung") == 0) {
		q.statuses = "waiting_supplement,waiting_payment";
	} else if (strcmp(queue, "hen-tra-hom-nay") == 0) {
		/* today's appointments (UTC+7 day), ready or not: the desk sees at
		 * a glance which are not ready */
		int64_t day0 = (now + 7 * 3600) / 86400 * 86400 - 7 * 3600;
		q.statuses = "received,processing,waiting_supplement,waiting_payment,result_ready,returned";
		q.due_from = day0;
		q.due_before = day0 + 86400;
		q.by_due = 1;
	} else {
		if (strlen(text) > 200)
			snprintf(err, sizeof err, "Từ khóa tối đa 200 ký tự.");
		dsvc_query_text(text, &q, ph, sizeof ph, &fold);
		enum dfsm_state st;
		if (*status && dfsm_state_from_code(status, &st) != 0)
			snprintf(err, sizeof err, "Trạng thái không tồn tại.");
		else if (*status)
			q.statuses = status;
		cal_day day;
		if (*from && cal_parse_ymd(from, &day) != 0)
			snprintf(err, sizeof err, "Ngày “từ” phải có dạng năm-tháng-ngày.");
		else if (*from)
			q.from = dl_instant(day, 0);
		if (*to && cal_parse_ymd(to, &day) != 0)
			snprintf(err, sizeof err, "Ngày “đến” phải có dạng năm-tháng-ngày.");
		else if (*to)
			q.to = dl_instant(day, 0) + 86400;
	}
	struct rows r = {json_array(), req, now};
	int64_t total = 0;
	enum err e = ERR_OK;
	if (!err[0] && (strcmp(queue, "tim-kiem") != 0 || searching))
		e = store_dossier_list(app->st, &q, row_add, &r, &total);
	free(fold);
	if (e) {
		json_decref(r.a);
		return e;
	}
	json_t *d = web_page_data(req, resp, "Bộ phận Một cửa");
	if (!d) {
		json_decref(r.a);
		return ERR_NOMEM;
	}
	json_t *tabs = json_array();
	for (size_t i = 0; i < sizeof queues / sizeof queues[0]; i++)
		json_array_append_new(tabs, json_pack("{s:s,s:s,s:b}", "key", queues[i].key, "label",
		                                      queues[i].label, "current", i == qi));
	json_t *states = json_array();
	for (int i = 0; i < DFSM_NSTATES; i++) {
		const struct dfsm_state_info *si = dfsm_state_info((enum dfsm_state)i);
		json_array_append_new(states, json_pack("{s:s,s:s,s:b}", "code", si->code, "label",
		                                        si->label, "selected", strcmp(status, si->code) == 0));
	}
	json_object_set_new(d, "tabs", tabs);
	json_object_set_new(d, "states", states);
	json_object_set_new(d, "queue_label", json_string(queues[qi].label));
	json_object_set_new(d, "is_search", json_boolean(strcmp(queue, "tim-kiem") == 0));
	json_object_set_new(d, "searched", json_boolean(searching));
	json_object_set_new(d, "rows", r.a);
	json_object_set_new(d, "total", json_integer(total));
	json_object_set_new(d, "more", json_boolean(total > (int64_t)json_array_size(r.a)));
	json_object_set_new(d, "can_receive", json_boolean(wu->role & ROLE_CLERK));
	json_object_set_new(d, "s", json_pack("{s:s,s:s,s:s}", "q", text, "tu", from, "den", to));
	if (strcmp(queue, "hen-tra-hom-nay") == 0) {
		size_t i, not_ready = 0;
		json_t *v;
		json_array_foreach(r.a, i, v)
			not_ready += !json_is_true(json_object_get(v, "ready"));
		json_object_set_new(d, "today", json_pack("{s:I}", "not_ready", (json_int_t)not_ready));
	}
	/* what applicants said in the last 30 days (DOMAIN decision 9) */
	int64_t rc3[3];
	if (store_rating_counts(app->st, now - 30 * 86400, now + 1, rc3) == ERR_OK && rc3[0] + rc3[1] + rc3[2] > 0) {
		int64_t sum = rc3[0] + rc3[1] + rc3[2];
		char pct[16];
		snprintf(pct, sizeof pct, "%.0f%%", 100.0 * (double)(rc3[0] + rc3[1]) / (double)sum);
		json_object_set_new(d, "ratings", json_pack("{s:I,s:I,s:I,s:I,s:s}", "very", (json_int_t)rc3[0], "ok",
		                                            (json_int_t)rc3[1], "no", (json_int_t)rc3[2], "total",
		                                            (json_int_t)sum, "pct", pct));
	}
	/* the leader approves several dossiers at once from his queue */
	json_object_set_new(d, "bulk", json_boolean((wu->role & ROLE_LEADER) && strcmp(queue, "viec-cua-toi") == 0));
	long approved, failed;
	const char *dv = qv(req, "duyet"), *lv = qv(req, "loi");
	if (*dv && web_parse_int(dv, 0, 100, &approved) == 0 && web_parse_int(*lv ? lv : "0", 0, 100, &failed) == 0) {
		char msg[400];
		int k = snprintf(msg, sizeof msg, "Đã phê duyệt %ld hồ sơ.", approved);
		if (failed)
			snprintf(msg + k, sizeof msg - (size_t)k,
			         " %ld hồ sơ chưa được phê duyệt vì vừa có người khác thao tác hoặc không còn chờ phê "
			         "duyệt — hãy mở từng hồ sơ để xem.", failed);
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", failed ? "error" : "ok", "message", msg));
	}
	if (err[0]) {
		json_object_set_new(d, "error", json_string(err));
		resp->status = 400;
	}
	return web_render(req, resp, "desk", d);
}

/* ---- intake ---------------------------------------------------------------- */

struct proc_pick {
	json_t *a;
	const char *selected;
};

static int
pick_add(const struct store_proc *p, void *arg)
{
	struct proc_pick *pp = arg;
	json_t *o = catalog_object(p);
	if (!o)
		return 0;
	json_t *tl = json_object_get(o, "time_limit");
	int usable = json_is_true(json_object_get(tl, "same_day")) ||
	             json_is_integer(json_object_get(tl, "days"));
	if (usable)
		json_array_append_new(pp->a, json_pack("{s:s,s:s,s:s,s:b}", "code", p->code, "name",
		    json_string_value(json_object_get(o, "name")), "field",
		    json_string_value(json_object_get(o, "field")),
		    "selected", pp->selected && strcmp(pp->selected, p->code) == 0));
	json_decref(o);
	return 0;
}

/* The intake page: the procedure picker, then (once one is picked) its
 * checklist and the applicant form.  `error` re-renders a refused form
 * with what was typed. */
static enum err
intake_page(struct http_req *req, struct http_resp *resp, int status, const char *pcode,
            enum err e, const char *detail)
{
	struct web_app *app = req->app;
	json_t *d = web_page_data(req, resp, "Tiếp nhận hồ sơ");
	if (!d)
		return ERR_NOMEM;
	struct proc_pick pp = {json_array(), pcode};
	struct store_proc_query pq = {.published_only = 1, .limit = 1000};
	int64_t total;
	enum err le = store_proc_list(app->st, &pq, pick_add, &pp, &total);
	if (le) {
		json_decref(d);
		json_decref(pp.a);
		return le;
	}
	/* the clerk's quick search: "ks", "khai sinh", "chung thuc" */
	const char *quick = qv(req, "tim");
	if (*quick && strlen(quick) <= 100) {
		char *fq = text_fold(quick);
		json_t *hits = json_array();
		for (int score = 3; fq && *fq && score >= 1; score--) {
			size_t i;
			json_t *v;
			json_array_foreach(pp.a, i, v) {
				char *fn = text_fold(json_string_value(json_object_get(v, "name")));
				if (fn && text_quick_match(fn, fq) == score)
					json_array_append(hits, v);
				free(fn);
			}
		}
		free(fq);
		/* one hit: it is the one */
		if (json_array_size(hits) == 1 && !(pcode && *pcode))
			pcode = json_string_value(json_object_get(json_array_get(hits, 0), "code"));
		json_object_set_new(d, "quick", json_pack("{s:s,s:o,s:I}", "q", quick, "hits", hits, "n",
		                                          (json_int_t)json_array_size(hits)));
	}
	json_object_set_new(d, "procedures", pp.a);
	int posted = req->form.n > 0;
	if (pcode && *pcode) {
		struct store_proc sp;
		le = store_proc_get(app->st, pcode, 1, &sp);
		if (le == ERR_NOT_FOUND) {
			json_object_set_new(d, "error", json_pack("{s:s,s:s}", "message",
			    "Không có thủ tục đang công bố với mã này.", "code", "procedure_not_published"));
			status = 400;
		} else if (le) {
			json_decref(d);
			return le;
		} else {
			json_t *p = catalog_object(&sp);
			store_proc_free(&sp);
			if (!p) {
				json_decref(d);
				return ERR_NOMEM;
			}
			json_t *docs = json_object_get(p, "documents");
			size_t i;
			json_t *v;
			json_array_foreach(docs, i, v) {
				char k[40];
				json_object_set_new(v, "i", json_integer((json_int_t)i));
				snprintf(k, sizeof k, "doc_%zu_received", i);
				json_object_set_new(v, "checked", json_boolean(!posted || form_get(&req->form, k)));
				snprintf(k, sizeof k, "doc_%zu_form", i);
				const char *f = posted ? fv(req, k) : json_string_value(json_object_get(v, "form"));
				if (!f || !*f)
					f = "copy";
				json_object_set_new(v, "is_original", json_boolean(strcmp(f, "original") == 0));
				json_object_set_new(v, "is_copy", json_boolean(strcmp(f, "copy") == 0));
				json_object_set_new(v, "is_present", json_boolean(strcmp(f, "present") == 0));
				snprintf(k, sizeof k, "doc_%zu_count", i);
				json_int_t qn = json_integer_value(json_object_get(v, "count"));
				char cnt[24];
				snprintf(cnt, sizeof cnt, "%lld", (long long)(qn > 0 ? qn : 1));
				json_object_set_new(v, "count", json_string(posted ? fv(req, k) : cnt));
			}
			json_t *amount = json_object_get(json_object_get(p, "fee"), "amount");
			char fee[32] = "0";
			if (json_is_integer(amount))
				snprintf(fee, sizeof fee, "%lld", (long long)json_integer_value(amount));
			json_object_set_new(d, "proc", p);
			json_object_set_new(d, "f", json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:b}",
			    "name", fv(req, "name"), "id_number", fv(req, "id_number"), "dob", fv(req, "dob"),
			    "phone", fv(req, "phone"), "email", fv(req, "email"), "address", fv(req, "address"),
			    "rep_name", fv(req, "rep_name"), "rep_id", fv(req, "rep_id"), "rep_phone",
			    fv(req, "rep_phone"), "rep_relation", fv(req, "rep_relation"), "fee",
			    posted ? fv(req, "fee") : fee, "note", fv(req, "note"), "copies",
			    posted ? fv(req, "copies") : "1", "male", strcmp(fv(req, "sex"), "male") == 0,
			    "female", strcmp(fv(req, "sex"), "female") == 0, "online",
			    strcmp(fv(req, "channel"), "online") == 0, "post", strcmp(fv(req, "channel"), "post") == 0,
			    "counter", !posted || strcmp(fv(req, "channel"), "counter") == 0));
		}
	}
	if (e) {
		json_object_set_new(d, "error", json_pack("{s:s,s:s,s:s}", "message", err_message(e),
		                                          "code", err_code(e), "detail", detail ? detail : ""));
	}
	/* one token per filled-in form: sending it twice receives one dossier */
	char token[40];
	const char *posted_token = posted ? fv(req, "submission") : "";
	if (*posted_token && dsvc_key_ok(posted_token) == 0) {
		snprintf(token, sizeof token, "%s", posted_token);
	} else {
		unsigned char rnd[18];
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2base64(token, sizeof token, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	}
	json_object_set_new(d, "submission", json_string(token));
	resp->status = status;
	return web_render(req, resp, "desk_intake", d);
}

enum err
desk_intake(struct http_req *req, struct http_resp *resp)
{
	return intake_page(req, resp, 200, qv(req, "thu_tuc"), ERR_OK, NULL);
}

/* A form field as a JSON string, or nothing when left empty. */
static void
opt_str(json_t *o, const char *key, const char *v)
{
	if (v && *v)
		json_object_set_new(o, key, json_string(v));
}

enum err
desk_intake_post(struct http_req *req, struct http_resp *resp)
{
	const char *pcode = fv(req, "procedure_code");
	json_t *app = json_object(), *body = json_object(), *docs = json_array();
	json_object_set_new(app, "name", json_string(fv(req, "name")));
	opt_str(app, "id_number", fv(req, "id_number"));
	opt_str(app, "date_of_birth", fv(req, "dob"));
	opt_str(app, "sex", fv(req, "sex"));
	opt_str(app, "phone", fv(req, "phone"));
	opt_str(app, "email", fv(req, "email"));
	opt_str(app, "address", fv(req, "address"));
	json_object_set_new(body, "procedure_code", json_string(pcode));
	opt_str(body, "channel", fv(req, "channel"));
	json_object_set_new(body, "applicant", app);
	if (*fv(req, "rep_name") || *fv(req, "rep_id") || *fv(req, "rep_phone")) {
		json_t *rep = json_object();
		json_object_set_new(rep, "name", json_string(fv(req, "rep_name")));
		opt_str(rep, "id_number", fv(req, "rep_id"));
		opt_str(rep, "phone", fv(req, "rep_phone"));
		opt_str(rep, "relation", fv(req, "rep_relation"));
		json_object_set_new(body, "representative", rep);
	}
	char detail[400] = "";
	enum err e = ERR_OK;
	long n;
	const char *fee = fv(req, "fee");
	if (*fee) {
		if (web_parse_int(fee, 0, 1000000000, &n) != 0) {
			e = ERR_INVALID_FIELD;
			snprintf(detail, sizeof detail, "fee: lệ phí là số đồng, không âm, không có dấu chấm");
		} else
			json_object_set_new(body, "fee", json_integer(n));
	}
	for (size_t i = 0; !e && i < 100; i++) {
		char k[40];
		snprintf(k, sizeof k, "doc_%zu_name", i);
		const char *dn = form_get(&req->form, k);
		if (!dn)
			break;
		snprintf(k, sizeof k, "doc_%zu_received", i);
		int rec = form_get(&req->form, k) != NULL;
		snprintf(k, sizeof k, "doc_%zu_form", i);
		const char *f = fv(req, k);
		snprintf(k, sizeof k, "doc_%zu_count", i);
		const char *c = fv(req, k);
		json_t *doc = json_pack("{s:s,s:b}", "name", dn, "received", rec);
		opt_str(doc, "form", f);
		if (*c) {
			if (web_parse_int(c, 0, 100, &n) != 0) {
				e = ERR_INVALID_FIELD;
				snprintf(detail, sizeof detail, "documents[%zu].count: số bản từ 0 đến 100", i);
			} else
				json_object_set_new(doc, "count", json_integer(n));
		}
		json_array_append_new(docs, doc);
	}
	json_object_set_new(body, "documents", docs);
	opt_str(body, "note", fv(req, "note"));
	if (strcmp(fv(req, "intake"), "hold") == 0)
		json_object_set_new(body, "intake", json_string("hold"));
	json_t *out = NULL;
	const char *token = fv(req, "submission");
	if (!e && *token && dsvc_key_ok(token) != 0) {
		e = ERR_INVALID_FIELD;
		snprintf(detail, sizeof detail, "submission: mã lần gửi không hợp lệ; hãy tải lại trang tiếp nhận");
	}
	if (!e)
		e = dsvc_create(req, body, *token ? token : NULL, &out, detail, sizeof detail);
	json_decref(body);
	if (e == ERR_NOMEM || e == ERR_INTERNAL || e == ERR_BUSY)
		return e;
	if (e)
		return intake_page(req, resp, err_status(e), pcode, e, detail);
	char loc[160];
	snprintf(loc, sizeof loc, "/mot-cua/ho-so/%s?ok=%s",
	         json_string_value(json_object_get(out, "code")),
	         json_is_true(json_object_get(out, "replayed")) ? "resent"
	         : strcmp(fv(req, "intake"), "hold") == 0 ? "hold" : "receive");
	json_decref(out);
	http_redirect(resp, loc);
	return ERR_OK;
}

/* ---- the dossier page ------------------------------------------------------ */

static const char *
action_label_done(const char *a)
{
	static const struct {
		const char *action, *msg;
	} t[] = {
		{"receive", "Đã tiếp nhận hồ sơ. Hãy in Giấy tiếp nhận và hẹn trả kết quả (mẫu 01) cho người nộp."},
		{"resent", "Biểu mẫu này đã được gửi trước đó và hồ sơ đã được tiếp nhận một lần; không tạo hồ sơ trùng. Đây là hồ sơ đó."},
		{"request_supplement", "Đã ghi yêu cầu bổ sung; thời hạn giải quyết tạm dừng. In Phiếu yêu cầu bổ sung (mẫu 02)."},
		{"refuse_intake", "Đã từ chối tiếp nhận. In Phiếu từ chối (mẫu 03) cho người nộp."},
		{"refuse", "Đã từ chối giải quyết. In Phiếu từ chối (mẫu 03) cho người nộp."},
		{"apologize", "Đã lập Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)."},
		{"attach", "Đã đính kèm tệp."},
		{"hold", "Đã lưu hồ sơ, chưa tiếp nhận: chọn Tiếp nhận, Yêu cầu bổ sung hoặc Từ chối tiếp nhận bên dưới."},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(a, t[i].action) == 0)
			return t[i].msg;
	return "Đã lưu thao tác.";
}

struct ev_ctx {
	json_t *a;
};

static const char *
action_title(const char *action)
{
	enum dfsm_action a;
	if (strcmp(action, "submit") == 0)
		return "Nộp hồ sơ";
	if (dfsm_action_from_name(action, &a) == 0)
		return dfsm_action_info(a)->label;
	return action;
}

static const char *
state_label(const char *code)
{
	enum dfsm_state s;
	return dfsm_state_from_code(code, &s) == 0 ? dfsm_state_info(s)->label : code;
}

static int
ev_add(const struct store_dossier_event *ev, void *arg)
{
	struct ev_ctx *c = arg;
	char at[40];
	web_fmt_local(ev->at, at, sizeof at);
	json_error_t je;
	json_t *det = json_loads(ev->details, 0, &je);
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "at", at, "actor",
	                      strncmp(ev->actor, "user:", 5) == 0 ? ev->actor + 5 : ev->actor, "action",
	                      action_title(ev->action), "to", state_label(ev->to), "note", ev->note,
	                      "who", json_string_value(json_object_get(det, "assignee_name"))
	                                 ? json_string_value(json_object_get(det, "assignee_name"))
	                                 : json_string_value(json_object_get(det, "unit"))
	                                       ? json_string_value(json_object_get(det, "unit")) : "");
	const char *rcp = json_string_value(json_object_get(det, "recipient"));
	if (o && rcp)
		json_object_set_new(o, "recipient", json_string(rcp));
	json_decref(det);
	if (o)
		json_array_append_new(c->a, o);
	return 0;
}

static int
att_add(const struct store_attachment *at, void *arg)
{
	char when[40];
	web_fmt_local(at->at, when, sizeof when);
	json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:I,s:s}", "sha", at->sha256, "name",
	                                     at->name, "mime", at->mime, "kb",
	                                     (json_int_t)((at->size + 1023) / 1024), "at", when));
	return 0;
}

struct staff_ctx {
	json_t *officers, *leaders;
};

static int
staff_add(const struct store_user *u, void *arg)
{
	struct staff_ctx *c = arg;
	if (!u->active)
		return 0;
	unsigned r = role_from_name(u->role);
	json_t *o = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)u->id, "name",
	                      u->full_name[0] ? u->full_name : u->username, "unit", u->unit);
	if (r & (ROLE_OFFICER | ROLE_LEADER))
		json_array_append(c->officers, o);
	if (r & ROLE_LEADER)
		json_array_append(c->leaders, o);
	json_decref(o);
	return 0;
}

/* Which inputs each action's form shows. */
static json_t *
action_form(enum dfsm_action a)
{
	const struct dfsm_action_info *ai = dfsm_action_info(a);
	int note_req = a == DFSM_A_REFUSE_INTAKE || a == DFSM_A_REFUSE || a == DFSM_A_REQUEST_SUPPLEMENT ||
	               a == DFSM_A_STOP || a == DFSM_A_SEND_BACK || a == DFSM_A_APOLOGIZE;
	const char *note_label = "Ghi chú";
	switch (a) {
	case DFSM_A_REQUEST_SUPPLEMENT:
		note_label = "Giấy tờ cần bổ sung, hoàn thiện và lý do";
		break;
	case DFSM_A_REFUSE_INTAKE:
	case DFSM_A_REFUSE:
		note_label = "Lý do từ chối";
		break;
	case DFSM_A_APOLOGIZE:
		note_label = "Lý do chậm trả kết quả";
		break;
	case DFSM_A_STOP:
		note_label = "Lý do dừng xử lý";
		break;
	case DFSM_A_SEND_BACK:
		note_label = "Lý do trả lại";
		break;
	case DFSM_A_REQUEST_PAYMENT:
		note_label = "Nghĩa vụ tài chính cần thực hiện";
		break;
	default:
		break;
	}
	int danger = a == DFSM_A_REFUSE_INTAKE || a == DFSM_A_REFUSE || a == DFSM_A_STOP;
	return json_pack("{s:s,s:s,s:b,s:s,s:b,s:b,s:b,s:b,s:b,s:b}", "name", ai->name, "label",
	                 ai->label, "note_required", note_req, "note_label", note_label, "assign",
	                 a == DFSM_A_ASSIGN || a == DFSM_A_FORWARD, "leader",
	                 a == DFSM_A_SUBMIT_FOR_APPROVAL, "step",
	                 a == DFSM_A_ASSIGN || a == DFSM_A_FORWARD || a == DFSM_A_SUBMIT_FOR_APPROVAL,
	                 "new_date", a == DFSM_A_APOLOGIZE, "recipient", a == DFSM_A_RETURN, "danger",
	                 danger);
}

static enum err
dossier_page(struct http_req *req, struct http_resp *resp, const char *code, int status,
             enum err fail, const char *detail)
{
	struct web_app *app = req->app;
	struct web_user *wu = web_user(req);
	struct store_dossier sd;
	enum err e = store_dossier_get(app->st, code, &sd);
	if (e)
		return e;
	int64_t now = (int64_t)time(NULL);
	json_t *v = desk_dossier_view(req, &sd, now);
	struct dfsm_dossier fd;
	enum dfsm_action acts[DFSM_NACTIONS];
	int na = dsvc_fsm_view(&sd, &fd) == 0 ? dfsm_actions_allowed(&fd, wu->role, now, acts, DFSM_NACTIONS) : 0;
	store_dossier_free(&sd);
	if (!v)
		return ERR_NOMEM;
	json_t *events = json_array(), *atts = json_array(), *forms = json_array();
	struct ev_ctx ec = {events};
	struct staff_ctx sc = {json_array(), json_array()};
	if ((e = store_dossier_events(app->st, code, ev_add, &ec)) == ERR_OK &&
	    (e = store_attachments(app->st, code, att_add, atts)) == ERR_OK)
		e = store_user_each(app->st, staff_add, &sc);
	int has_supp = 0, has_refusal = 0, has_apology = 0;
	for (int i = 0; i < na && i < DFSM_NACTIONS; i++)
			json_array_append_new(forms, action_form(acts[i]));
	/* which printed forms exist for this dossier */
	size_t i;
	json_t *x;
	json_array_foreach(events, i, x) {
		const char *a = json_string_value(json_object_get(x, "action"));
		has_supp |= strcmp(a, dfsm_action_info(DFSM_A_REQUEST_SUPPLEMENT)->label) == 0;
		has_refusal |= strcmp(a, dfsm_action_info(DFSM_A_REFUSE)->label) == 0 ||
		               strcmp(a, dfsm_action_info(DFSM_A_REFUSE_INTAKE)->label) == 0;
		has_apology |= strcmp(a, dfsm_action_info(DFSM_A_APOLOGIZE)->label) == 0;
	}
	json_t *d = e ? NULL : web_page_data(req, resp, "Hồ sơ");
	if (!d) {
		json_decref(v);
		json_decref(events);
		json_decref(atts);
		json_decref(forms);
		json_decref(sc.officers);
		json_decref(sc.leaders);
		return e ? e : ERR_NOMEM;
	}
	char title[120];
	snprintf(title, sizeof title, "Hồ sơ %s", json_string_value(json_object_get(v, "code")));
	json_object_set_new(d, "title", json_string(title));
	json_object_set_new(d, "d", v);
	json_object_set_new(d, "events", events);
	json_object_set_new(d, "attachments", atts);
	json_object_set_new(d, "actions", forms);
	json_object_set_new(d, "officers", sc.officers);
	json_object_set_new(d, "leaders", sc.leaders);
	json_object_set_new(d, "can_attach", json_boolean(wu->role & (ROLE_CLERK | ROLE_OFFICER | ROLE_LEADER)));
	json_object_set_new(d, "prints", json_pack("{s:b,s:b,s:b}", "supplement", has_supp, "refusal",
	                                           has_refusal, "apology", has_apology));
	const char *ok = qv(req, "ok");
	if (*ok && !fail)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message",
		                                          action_label_done(ok)));
	if (fail)
		json_object_set_new(d, "error", json_pack("{s:s,s:s,s:s}", "message", err_message(fail),
		                                          "code", err_code(fail), "detail",
		                                          detail ? detail : ""));
	resp->status = status;
	return web_render(req, resp, "desk_dossier", d);
}

enum err
desk_dossier(struct http_req *req, struct http_resp *resp)
{
	return dossier_page(req, resp, http_param(req, 0), 200, ERR_OK, NULL);
}

enum err
desk_action(struct http_req *req, struct http_resp *resp)
{
	const char *code = http_param(req, 0);
	json_t *body = json_object();
	json_object_set_new(body, "action", json_string(fv(req, "action")));
	opt_str(body, "note", fv(req, "note"));
	opt_str(body, "new_date", fv(req, "new_date"));
	opt_str(body, "recipient", fv(req, "recipient"));
	opt_str(body, "recipient_id", fv(req, "recipient_id"));
	opt_str(body, "unit", fv(req, "unit"));
	char detail[400] = "";
	enum err e = ERR_OK;
	long n;
	struct {
		const char *field, *key;
		long lo, hi;
	} ints[] = {
		{"assignee", "assignee", 1, 1000000000},
		{"step_days", "step_days", 0, 365},
		{"version", "expected_version", 1, 2000000000},
	};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		const char *s = fv(req, ints[i].field);
		if (!*s)
			continue;
		if (web_parse_int(s, ints[i].lo, ints[i].hi, &n) != 0) {
			e = ERR_INVALID_FIELD;
			snprintf(detail, sizeof detail, "%s: số không hợp lệ", ints[i].field);
			break;
		}
		json_object_set_new(body, ints[i].key, json_integer(n));
	}
	json_t *out = NULL;
	if (!e)
		e = dsvc_act(req, code, body, &out, detail, sizeof detail);
	json_decref(body);
	json_decref(out);
	if (e == ERR_NOT_FOUND || e == ERR_NOMEM || e == ERR_INTERNAL || e == ERR_BUSY)
		return e;
	if (e)
		return dossier_page(req, resp, code, err_status(e), e, detail);
	char loc[200];
	snprintf(loc, sizeof loc, "/mot-cua/ho-so/%s?ok=%s", code, fv(req, "action"));
	http_redirect(resp, loc);
	return ERR_OK;
}

/* POST /mot-cua/phe-duyet: the leader approves the ticked dossiers
 * (ho_so=CODE:VERSION, at most 100), each as its own action with its own
 * audit event; one changed meanwhile by someone else is left for him to
 * open, the others go through. */
enum err
desk_bulk_approve(struct http_req *req, struct http_resp *resp)
{
	long approved = 0, failed = 0, picked = 0;
	const char *note = fv(req, "note");
	for (size_t i = 0; i < req->form.n; i++) {
		if (strcmp(req->form.v[i].name, "ho_so") != 0)
			continue;
		if (++picked > 100)
			return ERR_TOO_MANY_FIELDS;
		const char *v = req->form.v[i].value;
		const char *colon = strrchr(v, ':');
		char code[80];
		long ver;
		if (!colon || colon - v >= (ptrdiff_t)sizeof code || web_parse_int(colon + 1, 1, 2000000000, &ver) != 0)
			return ERR_INVALID_FIELD;
		snprintf(code, sizeof code, "%.*s", (int)(colon - v), v);
		json_t *body = json_pack("{s:s,s:I}", "action", "approve", "expected_version", (json_int_t)ver);
		if (*note)
			json_object_set_new(body, "note", json_string(note));
		json_t *out = NULL;
		char detail[300] = "";
		enum err e = dsvc_act(req, code, body, &out, detail, sizeof detail);
		json_decref(body);
		json_decref(out);
		if (e == ERR_NOMEM || e == ERR_INTERNAL || e == ERR_BUSY)
			return e;
		if (e)
			failed++;
		else
			approved++;
	}
	if (!picked)
		return ERR_MISSING_FIELD;
	char loc[120];
	snprintf(loc, sizeof loc, "/mot-cua?hang=viec-cua-toi&duyet=%ld&loi=%ld", approved, failed);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
desk_attach(struct http_req *req, struct http_resp *resp)
{
	const char *code = http_param(req, 0);
	const struct form_field *f = NULL;
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].name, "file") == 0 && req->form.v[i].filename)
			f = &req->form.v[i];
	char detail[300] = "";
	enum err e = f ? dsvc_attach(req, code, f->filename, (const unsigned char *)f->value,
	                             f->value_len, detail, sizeof detail)
	               : ERR_INVALID_FIELD;
	if (!f)
		snprintf(detail, sizeof detail, "file: chưa chọn tệp");
	if (e == ERR_NOT_FOUND || e == ERR_NOMEM || e == ERR_INTERNAL)
		return e;
	if (e)
		return dossier_page(req, resp, code, err_status(e), e, detail);
	char loc[200];
	snprintf(loc, sizeof loc, "/mot-cua/ho-so/%s?ok=attach", code);
	http_redirect(resp, loc);
	return ERR_OK;
}

struct att_find {
	const char *sha;
	struct store_attachment found;
	int ok;
};

static int
att_find(const struct store_attachment *a, void *arg)
{
	struct att_find *f = arg;
	if (strcmp(a->sha256, f->sha) == 0) {
		f->found = *a;
		f->ok = 1;
		return 1;
	}
	return 0;
}

enum err
desk_attachment(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct att_find f = {.sha = http_param(req, 1)};
	enum err e = store_attachments(app->st, http_param(req, 0), att_find, &f);
	if (e)
		return e;
	if (!f.ok)
		return ERR_NOT_FOUND;
	char *data;
	size_t len;
	if ((e = store_file_get(app->st, f.sha, &data, &len)) != ERR_OK)
		return e;
	buf_reset(&resp->body);
	buf_append(&resp->body, data, len);
	free(data);
	if (resp->body.oom)
		return ERR_NOMEM;
	/* the type was sniffed at upload; never rendered inline as anything else */
	resp->content_type = strcmp(f.found.mime, "application/pdf") == 0 ? "application/pdf"
	                     : strcmp(f.found.mime, "image/png") == 0     ? "image/png"
	                                                                  : "image/jpeg";
	http_resp_header(resp, "Content-Disposition", "inline");
	http_resp_header(resp, "Cache-Control", "private, no-store");
	return ERR_OK;
}

/* ---- public lookup ------------------------------------------------------- */

static int
pub_event(const struct store_dossier_event *ev, void *arg)
{
	char at[40];
	web_fmt_local(ev->at, at, sizeof at);
	enum dfsm_state s;
	const char *lbl = dfsm_state_from_code(ev->to, &s) == 0 ? dfsm_state_info(s)->public_label : "";
	/* what the applicant may see: when and which step, never who or why
	 * internally (notes of a refusal reach them on the printed form) */
	json_array_append_new(arg, json_pack("{s:s,s:s,s:s}", "at", at, "step",
	                                     action_title(ev->action), "status", lbl));
	return 0;
}

/* The applicant's proof: the dossier code and their phone, or the last
 * four digits of their ID.  1 with *sd loaded (store_dossier_free), 0 for
 * no match (an unknown code and a wrong key look the same), or -1 with *e. */
static int
lookup_match(struct web_app *app, const char *code, const char *key, struct store_dossier *sd, enum err *e)
{
	*e = store_dossier_get(app->st, code, sd);
	if (*e == ERR_NOT_FOUND) {
		*e = ERR_OK;
		return 0;
	}
	if (*e)
		return -1;
	size_t kl = strlen(key);
	if ((sd->phone[0] && ident_phone_same(key, sd->phone) == 1) ||
	    (kl == 4 && strlen(sd->id_number) == 12 && memcmp(sd->id_number + 8, key, 4) == 0))
		return 1;
	store_dossier_free(sd);
	return 0;
}

static const struct {
	const char *code, *label;
} rating_levels[] = {
	{"very_satisfied", "Rất hài lòng"},
	{"satisfied", "Hài lòng"},
	{"unsatisfied", "Không hài lòng"},
};

static const char *
rating_label(const char *code)
{
	for (size_t i = 0; i < sizeof rating_levels / sizeof rating_levels[0]; i++)
		if (strcmp(rating_levels[i].code, code) == 0)
			return rating_levels[i].label;
	return NULL;
}

/* A finished dossier may be rated (once): returned, refused, withdrawn, stopped. */
static int
rateable(const struct store_dossier *sd)
{
	enum dfsm_state st;
	return dfsm_state_from_code(sd->status, &st) == 0 && dfsm_state_info(st)->terminal;
}

/* The lookup page; rate_err / rate_detail re-show a refused rating. */
static enum err
lookup_page(struct http_req *req, struct http_resp *resp, const char *code, const char *key, int status,
            const char *rate_error)
{
	struct web_app *app = req->app;
	json_t *d = web_page_data(req, resp, "Tra cứu hồ sơ");
	if (!d)
		return ERR_NOMEM;
	resp->status = status;
	json_object_set_new(d, "s", json_pack("{s:s,s:s}", "ma", code, "dien_thoai", key));
	if (*code || *key) {
		if (!*code || !*key || strlen(code) > 60 || strlen(key) > 30) {
			json_object_set_new(d, "error", json_string("Vui lòng nhập cả mã hồ sơ và số điện thoại (hoặc 4 số cuối số định danh cá nhân) của người nộp."));
			resp->status = 400;
		} else {
			struct store_dossier sd;
			enum err e;
			int ok = lookup_match(app, code, key, &sd, &e);
			if (ok < 0) {
				json_decref(d);
				return e;
			}
			if (ok) {
				int64_t now = (int64_t)time(NULL);
				json_t *v = desk_dossier_view(req, &sd, now);
				json_t *pub = json_pack("{s:s,s:s,s:s,s:O,s:O,s:O,s:O,s:O}", "code", sd.code,
				    "procedure_name", sd.procedure_name, "status_label",
				    json_string_value(json_object_get(v, "public_label")), "received",
				    json_object_get(v, "received"), "due", json_object_get(v, "due"),
				    "appointment", json_object_get(v, "appointment"), "finished",
				    json_object_get(v, "finished"), "is_late", json_object_get(v, "is_late"));
				json_t *steps = json_array();
				store_dossier_events(app->st, sd.code, pub_event, steps);
				json_object_set_new(pub, "steps", steps);
				/* the rating: asked once the dossier is finished */
				char level[24] = "";
				enum err re = store_rating_get(app->st, sd.code, level, sizeof level);
				if (re && re != ERR_NOT_FOUND) {
					json_decref(pub);
					json_decref(v);
					json_decref(d);
					store_dossier_free(&sd);
					return re;
				}
				if (!re && rating_label(level))
					json_object_set_new(pub, "rated", json_string(rating_label(level)));
				else if (rateable(&sd)) {
					json_t *levels = json_array();
					const char *picked = qv(req, "muc");
					for (size_t i = 0; i < sizeof rating_levels / sizeof rating_levels[0]; i++)
						json_array_append_new(levels, json_pack("{s:s,s:s,s:b}", "code", rating_levels[i].code,
						    "label", rating_levels[i].label, "checked",
						    strcmp(picked, rating_levels[i].code) == 0));
					json_object_set_new(pub, "rate", json_pack("{s:o,s:s}", "levels", levels,
					    "comment", fv(req, "y_kien")));
				}
				json_object_set_new(d, "found", pub);
				json_decref(v);
				store_dossier_free(&sd);
			} else {
				/* the same words for an unknown code and a wrong phone */
				json_object_set_new(d, "not_found", json_true());
				resp->status = 404;
			}
		}
	}
	if (rate_error)
		json_object_set_new(d, "rate_error", json_string(rate_error));
	if (*qv(req, "ok"))
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message",
		                                          "Cảm ơn ông/bà đã đánh giá. Ý kiến được gửi tới lãnh đạo cơ quan."));
	http_resp_header(resp, "Cache-Control", "no-store");
	return web_render(req, resp, "lookup", d);
}

enum err
page_lookup(struct http_req *req, struct http_resp *resp)
{
	return lookup_page(req, resp, qv(req, "ma"), qv(req, "dien_thoai"), 200, NULL);
}

/* POST /tra-cuu/danh-gia: the applicant rates a finished dossier, once,
 * proving who they are the same way as the lookup. */
enum err
page_rate(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *code = fv(req, "ma"), *key = fv(req, "dien_thoai");
	const char *level = fv(req, "muc"), *comment = fv(req, "y_kien");
	if (!*code || !*key || strlen(code) > 60 || strlen(key) > 30)
		return lookup_page(req, resp, code, key, 400, NULL);
	if (!rating_label(level))
		return lookup_page(req, resp, code, key, 400, "Vui lòng chọn một mức: Rất hài lòng, Hài lòng hoặc Không hài lòng.");
	if (text_length(comment, strlen(comment)) > 1000)
		return lookup_page(req, resp, code, key, 400, "Ý kiến tối đa 1.000 ký tự.");
	struct store_dossier sd;
	enum err e;
	int ok = lookup_match(app, code, key, &sd, &e);
	if (ok < 0)
		return e;
	if (!ok)
		return lookup_page(req, resp, code, key, 404, NULL);
	int can = rateable(&sd);
	char actor[120];
	snprintf(actor, sizeof actor, "applicant:%s", sd.code);
	store_dossier_free(&sd);
	if (!can)
		return lookup_page(req, resp, code, key, 409, "Hồ sơ chưa giải quyết xong; ông/bà có thể đánh giá khi nhận kết quả.");
	e = store_rating_add(app->st, actor, code, level, comment, (int64_t)time(NULL));
	if (e == ERR_EXISTS)
		return lookup_page(req, resp, code, key, 409, NULL);
	if (e)
		return e;
	struct buf loc = BUF_INIT;
	buf_puts(&loc, "/tra-cuu?ok=1&ma=");
	web_urlencode(&loc, code);
	buf_puts(&loc, "&dien_thoai=");
	web_urlencode(&loc, key);
	http_redirect(resp, buf_str(&loc));
	buf_free(&loc);
	return ERR_OK;
}
