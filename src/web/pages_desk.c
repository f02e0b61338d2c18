/*
 * pages_desk.c — the desk's home (/mot-cua): its queues as tabs (the
 * table in src/app/dossier_queue.c), the search, the last 30 days'
 * ratings and the leader's bulk-approval result.  Lists only what the
 * signed-in account may read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/dossier.h"
#include "app/lookup.h"
#include "core/deadline.h"
#include "core/roles.h"
#include "web/desk.h"
#include "web/web.h"

static const char *
qv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->query, name);
	return v ? v : "";
}

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

/* The search form's fields into s; a Vietnamese message in err when one is wrong. */
static void
read_search(struct http_req *req, struct app_search *s, char *err, size_t n)
{
	const char *status = qv(req, "trang_thai"), *from = qv(req, "tu"), *to = qv(req, "den");
	int64_t t;
	s->text = qv(req, "q");
	s->statuses = *status ? status : NULL;
	s->limit = 100;
	if (*from && vn_parse_date(from, &t) != 0)
		snprintf(err, n, "Ngày “từ” phải có dạng năm-tháng-ngày.");
	else if (*from)
		s->from = t;
	if (*to && vn_parse_date(to, &t) != 0)
		snprintf(err, n, "Ngày “đến” phải có dạng năm-tháng-ngày.");
	else if (*to)
		s->to = t + 86400;
}

/* The tabs and the state picker. */
static void
add_tabs(json_t *d, size_t current, const char *status)
{
	size_t nq;
	const struct app_queue *qs = app_queues(&nq);
	json_t *tabs = json_array(), *states = json_array();
	for (size_t i = 0; i < nq; i++)
		json_array_append_new(tabs, json_pack("{s:s,s:s,s:b}", "key", qs[i].key, "label", qs[i].label,
		                                      "current", i == current));
	for (int i = 0; i < DFSM_NSTATES; i++) {
		const struct dfsm_state_info *si = dfsm_state_info((enum dfsm_state)i);
		json_array_append_new(states, json_pack("{s:s,s:s,s:b}", "code", si->code, "label", si->label,
		                                        "selected", strcmp(status, si->code) == 0));
	}
	json_object_set_new(d, "tabs", tabs);
	json_object_set_new(d, "states", states);
	json_object_set_new(d, "queue_label", json_string(qs[current].label));
}

/* What applicants said in the last 30 days (DOMAIN decision 9). */
static void
add_ratings(struct http_req *req, json_t *d, int64_t now)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	int64_t c[3];
	if (app_rating_counts(&app->core, &ac, now - 30 * 86400, now + 1, c) != ERR_OK || !(c[0] + c[1] + c[2]))
		return;
	int64_t sum = c[0] + c[1] + c[2];
	char pct[16];
	snprintf(pct, sizeof pct, "%.0f%%", 100.0 * (double)(c[0] + c[1]) / (double)sum);
	json_object_set_new(d, "ratings", json_pack("{s:I,s:I,s:I,s:I,s:s}", "very", (json_int_t)c[0], "ok",
	                                            (json_int_t)c[1], "no", (json_int_t)c[2], "total",
	                                            (json_int_t)sum, "pct", pct));
}

/* After the leader's bulk approval: how many went through. */
static void
add_bulk_result(struct http_req *req, json_t *d)
{
	long approved, failed;
	const char *dv = qv(req, "duyet"), *lv = qv(req, "loi");
	if (!*dv || web_parse_int(dv, 0, 100, &approved) != 0 || web_parse_int(*lv ? lv : "0", 0, 100, &failed) != 0)
		return;
	char msg[400];
	int k = snprintf(msg, sizeof msg, "Đã phê duyệt %ld hồ sơ.", approved);
	if (failed)
		snprintf(msg + k, sizeof msg - (size_t)k,
		         " %ld hồ sơ chưa được phê duyệt vì vừa có người khác thao tác hoặc không còn chờ phê "
		         "duyệt — hãy mở từng hồ sơ để xem.", failed);
	json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", failed ? "error" : "ok", "message", msg));
}

/* Lists the queue (or runs the search) into r; err for a bad search field. */
static enum err
list_rows(struct http_req *req, const char *queue, int searching, struct rows *r, int64_t *total,
          char *err, size_t n)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	if (strcmp(queue, "tim-kiem") != 0)
		return app_queue_list(&app->core, &ac, queue, r->now, 100, row_add, r, total);
	struct app_search s = {.count_max = APP_COUNT_MAX};
	read_search(req, &s, err, n);
	if (err[0] || !searching)
		return ERR_OK;
	struct app_fail f = {"", ""};
	enum err e = app_dossier_search(&app->core, &ac, &s, row_add, r, total, &f);
	if (e && f.msg[0]) {
		snprintf(err, n, "%.190s", f.field[0] && strcmp(f.field, "status") == 0 ? "Trạng thái không tồn tại." : f.msg);
		return ERR_OK;
	}
	return e;
}

enum err
desk_home(struct http_req *req, struct http_resp *resp)
{
	struct web_user *wu = web_user(req);
	const char *queue = qv(req, "hang"), *text = qv(req, "q"), *status = qv(req, "trang_thai");
	int searching = *text || *status || *qv(req, "tu") || *qv(req, "den");
	if (!*queue)
		queue = searching ? "tim-kiem" : "viec-cua-toi";
	size_t nq, qi = 0;
	const struct app_queue *qs = app_queues(&nq);
	while (qi < nq && strcmp(qs[qi].key, queue) != 0)
		qi++;
	if (qi == nq)
		return ERR_NOT_FOUND;
	struct rows r = {json_array(), req, (int64_t)time(NULL)};
	int64_t total = 0;
	char err[200] = "";
	enum err e = list_rows(req, queue, searching, &r, &total, err, sizeof err);
	json_t *d = e ? NULL : web_page_data(req, resp, "Bộ phận Một cửa");
	if (!d) {
		json_decref(r.a);
		return e ? e : ERR_NOMEM;
	}
	add_tabs(d, qi, status);
	json_object_set_new(d, "is_search", json_boolean(strcmp(queue, "tim-kiem") == 0));
	json_object_set_new(d, "searched", json_boolean(searching));
	json_object_set_new(d, "total", json_integer(total > APP_COUNT_MAX ? APP_COUNT_MAX : total));
	json_object_set_new(d, "total_more", json_boolean(total > APP_COUNT_MAX));
	json_object_set_new(d, "more", json_boolean(total > (int64_t)json_array_size(r.a)));
	json_object_set_new(d, "can_receive", json_boolean(wu->role & ROLE_CLERK));
	json_object_set_new(d, "s", json_pack("{s:s,s:s,s:s}", "q", text, "tu", qv(req, "tu"), "den", qv(req, "den")));
	if (strcmp(queue, "hen-tra-hom-nay") == 0) {
		size_t i, not_ready = 0;
		json_t *v;
		json_array_foreach(r.a, i, v)
			not_ready += !json_is_true(json_object_get(v, "ready"));
		json_object_set_new(d, "today", json_pack("{s:I}", "not_ready", (json_int_t)not_ready));
	}
	json_object_set_new(d, "rows", r.a);
	add_ratings(req, d, r.now);
	web_plan_reminders(req, d);
	/* the leader approves several dossiers at once from his queue */
	json_object_set_new(d, "bulk", json_boolean((wu->role & ROLE_LEADER) && strcmp(queue, "viec-cua-toi") == 0));
	add_bulk_result(req, d);
	if (err[0]) {
		json_object_set_new(d, "error", json_string(err));
		resp->status = 400;
	}
	return web_render(req, resp, "desk", d);
}
