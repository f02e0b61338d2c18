/*
 * kiosk.c — the desk tablet's rating page (/mot-cua/quay-danh-gia): its
 * own layout with no way out (no menu, no links), waiting for the clerk's
 * invitation (the applicant presses "Bắt đầu đánh giá": no timed reload,
 * which WCAG 2.2.1 and axe refuse), then the dossier's three levels and a
 * comment, then thanks and back to waiting; the clerk's invitation from the dossier page; and the
 * leader's list of the comments (src/app/kiosk.h decides).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "app/kiosk.h"
#include "app/lookup.h"
#include "core/vntime.h"
#include "view/tmpl.h"
#include "web/desk.h"
#include "web/web.h"

static const char *
kv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

/* The tablet's page in the kiosk layout; never cached. */
static enum err
kiosk_render(struct http_req *req, struct http_resp *resp, int status, const char *error)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	json_t *d = web_page_data(req, resp, "Đánh giá mức độ hài lòng");
	if (!d)
		return ERR_NOMEM;
	char code[64] = "", proc[512] = "";
	enum err e = app_kiosk_current(&app->core, &ac, code, sizeof code, proc, sizeof proc);
	if (e && e != ERR_NOT_FOUND) {
		json_decref(d);
		return e;
	}
	if (!e) {
		json_t *levels = json_array();
		for (size_t i = 0; i < 3; i++)
			json_array_append_new(levels, json_pack("{s:s,s:s,s:b}", "code", app_rating_levels[i].code, "label",
			                                        app_rating_levels[i].label, "checked",
			                                        strcmp(kv(req, "muc"), app_rating_levels[i].code) == 0));
		json_object_set_new(d, "rate", json_pack("{s:s,s:s,s:o,s:s}", "code", code, "procedure", proc, "levels",
		                                         levels, "comment", kv(req, "y_kien")));
	} else {
		json_object_set_new(d, "waiting", json_true());
		json_object_set_new(d, "none", json_boolean(form_get(&req->query, "bat-dau") != NULL));
	}
	if (form_get(&req->query, "cam-on") && e)
		json_object_set_new(d, "thanks", json_true());
	if (error)
		json_object_set_new(d, "error", json_string(error));
	resp->status = status;
	http_resp_header(resp, "Cache-Control", "no-store");
	buf_reset(&resp->body);
	int rc = tmpl_render_page(app->tmpl, "kiosk", "kiosk_rate", d, &resp->body);
	json_decref(d);
	if (rc != 0 || resp->body.oom)
		return ERR_INTERNAL;
	resp->content_type = "text/html; charset=utf-8";
	return ERR_OK;
}

/* GET /mot-cua/quay-danh-gia */
enum err
desk_kiosk(struct http_req *req, struct http_resp *resp)
{
	return kiosk_render(req, resp, 200, NULL);
}

/* POST /mot-cua/quay-danh-gia: the applicant's rating. */
enum err
desk_kiosk_rate(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	enum err e = app_kiosk_rate(&app->core, &ac, kv(req, "ma"), kv(req, "muc"), kv(req, "y_kien"), &f);
	if (e == ERR_INVALID_FIELD || e == ERR_CONFLICT)
		return kiosk_render(req, resp, err_status(e), f.msg);
	if (e == ERR_EXISTS)
		return kiosk_render(req, resp, 409, "Hồ sơ này đã được đánh giá.");
	if (e)
		return e;
	http_redirect(resp, "/mot-cua/quay-danh-gia?cam-on=1");
	return ERR_OK;
}

/* POST /mot-cua/ho-so/{code}/moi-danh-gia: the clerk invites the rating. */
enum err
desk_kiosk_invite(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *code = http_param(req, 0);
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	enum err e = app_kiosk_invite(&app->core, &ac, code, &f);
	if (e == ERR_DOSSIER_STATE)
		return desk_dossier_page(req, resp, code, err_status(e), e, &f);
	if (e)
		return e;
	char loc[200];
	snprintf(loc, sizeof loc, "/mot-cua/ho-so/%s?ok=kiosk", code);
	http_redirect(resp, loc);
	return ERR_OK;
}

static int
comment_add(const char *code, const char *procedure, const char *level, const char *comment, int64_t at,
            void *arg)
{
	char when[40];
	vn_fmt_datetime(at, when, sizeof when);
	const char *l = app_rating_label(level);
	json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "code", code, "procedure", procedure,
	                                     "level", l ? l : level, "comment", comment, "at", when,
	                                     "unsatisfied", strcmp(level, "unsatisfied") == 0));
	return 0;
}

/* GET /mot-cua/y-kien-danh-gia[?from=YYYY-MM-DD&to=YYYY-MM-DD]: the
 * comments applicants left with their ratings (default the last 90 days). */
enum err
desk_rating_comments(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	const char *fs = form_get(&req->query, "from"), *ts = form_get(&req->query, "to");
	int64_t now = (int64_t)time(NULL), from = now - 90 * 86400, to = now + 1;
	int bad = (fs && *fs && vn_parse_date(fs, &from) != 0) || (ts && *ts && vn_parse_date(ts, &to) != 0);
	if (!bad && ts && *ts)
		to += 86400;
	json_t *list = json_array();
	enum err e = bad ? ERR_OK : app_rating_comments(&app->core, &ac, from, to, comment_add, list);
	if (e && e != ERR_OUT_OF_RANGE) {
		json_decref(list);
		return e;
	}
	json_t *d = web_page_data(req, resp, "Ý kiến đánh giá của người dân");
	if (!d) {
		json_decref(list);
		return ERR_NOMEM;
	}
	char f1[16], t1[16];
	struct vn_tm tf, tt;
	vn_local(from, &tf);
	vn_local(to - 1, &tt);
	snprintf(f1, sizeof f1, "%04d-%02d-%02d", tf.year, tf.month, tf.day);
	snprintf(t1, sizeof t1, "%04d-%02d-%02d", tt.year, tt.month, tt.day);
	json_object_set_new(d, "comments", list);
	json_object_set_new(d, "q", json_pack("{s:s,s:s}", "from", f1, "to", t1));
	if (bad || e)
		json_object_set_new(d, "error", json_string("Khoảng ngày không hợp lệ: ghi ngày theo dạng năm-tháng-ngày, "
		                                            "ngày đầu không sau ngày cuối."));
	resp->status = bad || e ? 400 : 200;
	return web_render(req, resp, "rating_comments", d);
}
