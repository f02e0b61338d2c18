/*
 * pages_lookup.c — the public lookup (/tra-cuu) and the rating form.  The
 * form posts (the phone number or ID never travels in a URL, a log or the
 * browser's history); GET /tra-cuu?ma=CODE — the receipt's QR code —
 * shows the form with the code filled in and nothing else.  The proof and
 * its guard against guessing are src/app/lookup.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/digital.h"
#include "app/lookup.h"
#include "core/dossier_fsm.h"
#include "core/text.h"
#include "web/desk.h"
#include "web/web.h"

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

static int
pub_event(const struct store_dossier_event *ev, void *arg)
{
	char at[40];
	vn_fmt_datetime(ev->at, at, sizeof at);
	enum dfsm_state s;
	const char *lbl = dfsm_state_from_code(ev->to, &s) == 0 ? dfsm_state_info(s)->public_label : "";
	/* what the applicant may see: when and which step, never who; the
	 * reason of a refusal or supplement request is shown apart (found_view) */
	json_array_append_new(arg, json_pack("{s:s,s:s,s:s}", "at", at, "step", desk_action_title(ev->action),
	                                     "status", lbl));
	return 0;
}

/* The proven dossier as the applicant sees it, with the rating form. */
static json_t *
found_view(struct http_req *req, struct app_lookup *l)
{
	struct web_app *app = req->app;
	json_t *v = desk_dossier_view(req, &l->d, (int64_t)time(NULL));
	if (!v)
		return NULL;
	json_t *pub = json_pack("{s:s,s:s,s:s,s:O,s:O,s:O,s:O,s:O}", "code", l->d.code, "procedure_name",
	    l->d.procedure_name, "status_label", json_string_value(json_object_get(v, "public_label")),
	    "received", json_object_get(v, "received"), "due", json_object_get(v, "due"), "appointment",
	    json_object_get(v, "appointment"), "finished", json_object_get(v, "finished"), "is_late",
	    json_object_get(v, "is_late"));
	json_decref(v);
	if (!pub)
		return NULL;
	json_t *steps = json_array();
	app_lookup_events(&app->core, l, pub_event, steps);
	json_object_set_new(pub, "steps", steps);
	if (l->reason && strcmp(l->d.status, "waiting_supplement") == 0) {
		json_t *m = json_array();
		for (size_t i = 0; i < l->nmissing; i++)
			json_array_append_new(m, json_pack("{s:s}", "name", l->missing[i]));
		json_object_set_new(pub, "supplement", json_pack("{s:s,s:o}", "reason", l->reason, "missing", m));
	} else if (l->reason)
		json_object_set_new(pub, "refusal", json_pack("{s:s}", "reason", l->reason));
	json_object_set_new(pub, "result_download", json_boolean(app_result_downloadable(&app->core, &l->d)));
	if (l->rating[0] && app_rating_label(l->rating))
		json_object_set_new(pub, "rated", json_string(app_rating_label(l->rating)));
	else if (l->rateable) {
		json_t *levels = json_array();
		const char *picked = fv(req, "muc");
		for (size_t i = 0; i < 3; i++)
			json_array_append_new(levels, json_pack("{s:s,s:s,s:b}", "code", app_rating_levels[i].code,
			    "label", app_rating_levels[i].label, "checked", strcmp(picked, app_rating_levels[i].code) == 0));
		json_object_set_new(pub, "rate", json_pack("{s:o,s:s}", "levels", levels, "comment", fv(req, "y_kien")));
	}
	return pub;
}

/* Runs the lookup into d; the status it answers with. */
static enum err
add_result(struct http_req *req, json_t *d, const char *code, const char *key, int *status)
{
	struct web_app *app = req->app;
	struct app_proof p = {code, key, req->client};
	struct app_lookup l;
	enum err e = app_lookup(&app->core, &p, &l);
	if (e == ERR_MISSING_FIELD) {
		json_object_set_new(d, "error", json_string("Vui lòng nhập cả mã hồ sơ và số điện thoại (hoặc số định danh cá nhân 12 số) của người nộp."));
		*status = 400;
	} else if (e == ERR_THROTTLED) {
		json_object_set_new(d, "error", json_string(err_message(ERR_LOOKUP_THROTTLED)));
		*status = 429;
	} else if (e == ERR_NOT_FOUND) {
		/* the same words for an unknown code and a wrong phone */
		json_object_set_new(d, "not_found", json_true());
		*status = 404;
	} else if (e) {
		return e;
	} else {
		json_t *pub = found_view(req, &l);
		app_lookup_free(&l);
		if (!pub)
			return ERR_NOMEM;
		json_object_set_new(d, "found", pub);
	}
	return ERR_OK;
}

/* The lookup page; run: check the proof; rate_error re-shows a refused rating. */
static enum err
lookup_page(struct http_req *req, struct http_resp *resp, const char *code, const char *key, int run,
            int status, const char *rate_error)
{
	json_t *d = web_page_data(req, resp, "Tra cứu hồ sơ");
	if (!d)
		return ERR_NOMEM;
	json_object_set_new(d, "s", json_pack("{s:s,s:s}", "ma", code, "dien_thoai", run ? key : ""));
	enum err e = run ? add_result(req, d, code, key, &status) : ERR_OK;
	if (e) {
		json_decref(d);
		return e;
	}
	if (rate_error)
		json_object_set_new(d, "rate_error", json_string(rate_error));
	if (!run && form_get(&req->query, "ok"))
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message",
		                                          "Cảm ơn ông/bà đã đánh giá. Ý kiến được gửi tới lãnh đạo cơ quan."));
	resp->status = status;
	http_resp_header(resp, "Cache-Control", "no-store");
	return web_render(req, resp, "lookup", d);
}

/* GET /tra-cuu[?ma=CODE]: the form, the code filled in from the QR code. */
enum err
page_lookup(struct http_req *req, struct http_resp *resp)
{
	const char *code = form_get(&req->query, "ma");
	char c[72];
	snprintf(c, sizeof c, "%.60s", code ? code : "");
	return lookup_page(req, resp, c, "", 0, 200, NULL);
}

/* POST /tra-cuu: the proof. */
enum err
page_lookup_post(struct http_req *req, struct http_resp *resp)
{
	return lookup_page(req, resp, fv(req, "ma"), fv(req, "dien_thoai"), 1, 200, NULL);
}

/* POST /tra-cuu/danh-gia: the applicant rates a finished dossier, once,
 * proving who they are the same way as the lookup. */
enum err
page_rate(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *code = fv(req, "ma"), *key = fv(req, "dien_thoai");
	struct app_proof p = {code, key, req->client};
	struct app_fail f = {"", ""};
	enum err e = app_rate(&app->core, &p, fv(req, "muc"), fv(req, "y_kien"), &f);
	if (e == ERR_INVALID_FIELD || e == ERR_DOSSIER_STATE)
		return lookup_page(req, resp, code, key, 1, err_status(e), f.msg);
	if (e == ERR_EXISTS)
		return lookup_page(req, resp, code, key, 1, 409, NULL);
	if (e == ERR_NOT_FOUND || e == ERR_MISSING_FIELD || e == ERR_THROTTLED)
		return lookup_page(req, resp, code, key, 1, 200, NULL);
	if (e)
		return e;
	struct buf loc = BUF_INIT;
	buf_puts(&loc, "/tra-cuu?ok=1&ma=");
	web_urlencode(&loc, code);
	http_redirect(resp, buf_str(&loc));
	buf_free(&loc);
	return ERR_OK;
}
