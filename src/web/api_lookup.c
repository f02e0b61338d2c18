/*
 * api_lookup.c — the applicant's lookup over the API and the ratings
 * tally (src/app/lookup.h holds the proof and its guard).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "app/lookup.h"
#include "core/dossier_fsm.h"
#include "core/deadline.h"
#include "core/jspec.h"
#include "web/web.h"

static enum err
lookup_reply(struct http_req *req, struct http_resp *resp, const char *code, const char *key)
{
	struct web_app *app = req->app;
	struct app_proof p = {code, key, req->client};
	struct app_lookup l;
	enum err e = app_lookup(&app->core, &p, &l);
	if (e == ERR_THROTTLED)
		return ERR_LOOKUP_THROTTLED;
	if (e == ERR_MISSING_FIELD) {
		http_error(req, resp, e, "code và phone (hoặc id_number): mã hồ sơ và số điện thoại đầy đủ hoặc số định danh 12 chữ số");
		return ERR_OK;
	}
	if (e)
		return e;
	enum dfsm_state s;
	const struct dfsm_state_info *si = dfsm_state_from_code(l.d.status, &s) == 0 ? dfsm_state_info(s) : NULL;
	json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:s,s:o,s:o}", "code", l.d.code, "procedure_code",
	                      l.d.procedure_code, "status", l.d.status, "national_status",
	                      si ? si->national : 0, "status_label", si ? si->public_label : "",
	                      "received_at", web_json_instant(l.d.received_at), "due_at", web_json_instant(l.d.due_at));
	if (o && l.d.appointment_at)
		json_object_set_new(o, "appointment_at", web_json_instant(l.d.appointment_at));
	if (o)
		json_object_set_new(o, "rating", l.rating[0] ? json_string(l.rating) : json_null());
	if (o && l.reason)
		json_object_set_new(o, "reason", json_string(l.reason));
	if (o && l.nmissing) {
		json_t *m = json_array();
		for (size_t i = 0; i < l.nmissing; i++)
			json_array_append_new(m, json_string(l.missing[i]));
		json_object_set_new(o, "missing", m);
	}
	app_lookup_free(&l);
	if (!o)
		return ERR_NOMEM;
	http_resp_header(resp, "Cache-Control", "no-store");
	http_json(resp, 200, o);
	return ERR_OK;
}

/* GET /api/v1/lookup/{code}?phone=…|id_number=… — kept for integrations;
 * POST /api/v1/lookup keeps the key out of URLs and logs. */
enum err
api_lookup(struct http_req *req, struct http_resp *resp)
{
	const char *key = form_get(&req->query, "phone");
	if (!key || !*key)
		key = form_get(&req->query, "id_number");
	return lookup_reply(req, resp, http_param(req, 0), key ? key : "");
}

/* POST /api/v1/lookup {"code", "phone" | "id_number"} */
enum err
api_lookup_post(struct http_req *req, struct http_resp *resp)
{
	const char *code = NULL, *phone = NULL, *idn = NULL;
	struct jspec spec[] = {
		JSPEC_STRING("code", &code, JSPEC_REQUIRED, 1, 80),
		JSPEC_STRING("phone", &phone, JSPEC_OPTIONAL, 1, 40),
		JSPEC_STRING("id_number", &idn, JSPEC_OPTIONAL, 1, 40),
		JSPEC_END,
	};
	char detail[300] = "";
	enum err e = jspec_read(req->json, spec, detail, sizeof detail);
	if (e) {
		http_error(req, resp, e, detail[0] ? detail : NULL);
		return ERR_OK;
	}
	return lookup_reply(req, resp, code, phone ? phone : idn ? idn : "");
}

/* GET /api/v1/ratings?from=YYYY-MM-DD&to=YYYY-MM-DD (both days included,
 * UTC+7; default the last 30 days): how applicants rated the service. */
enum err
api_ratings(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *from = form_get(&req->query, "from"), *to = form_get(&req->query, "to");
	int64_t now = (int64_t)time(NULL), f = now - 30 * 86400, t = now + 1;
	if (from) {
		if (vn_parse_date(from, &f) != 0) {
			http_error(req, resp, ERR_BAD_DATE, "from: YYYY-MM-DD");
			return ERR_OK;
		}
	}
	if (to) {
		if (vn_parse_date(to, &t) != 0) {
			http_error(req, resp, ERR_BAD_DATE, "to: YYYY-MM-DD");
			return ERR_OK;
		}
		t += 86400;
	}
	struct actor ac;
	web_actor_of(req, &ac);
	int64_t c[3];
	enum err e = app_rating_counts(&app->core, &ac, f, t, c);
	if (e == ERR_OUT_OF_RANGE) {
		http_error(req, resp, e, "to: không trước from");
		return ERR_OK;
	}
	if (e)
		return e;
	int64_t total = c[0] + c[1] + c[2];
	json_t *o = json_pack("{s:o,s:o,s:I,s:I,s:I,s:I,s:o}", "from", web_json_instant(f), "until", web_json_instant(t),
	                      "very_satisfied", (json_int_t)c[0], "satisfied", (json_int_t)c[1],
	                      "unsatisfied", (json_int_t)c[2], "total", (json_int_t)total, "satisfied_share",
	                      total ? json_real((double)(c[0] + c[1]) / (double)total) : json_null());
	http_json(resp, 200, o);
	return ERR_OK;
}
