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
#include "core/text.h"
#include "core/vntime.h"
#include "web/web.h"

/* The answer is written straight into the body, in the bytes jansson's
 * compact dump would give (keys in this order, UTF-8 as is, the same
 * escapes): it is the hottest public route, and building then dumping a
 * json_t cost more than the dossier's read. */
static void
put_str(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (!text_utf8_valid(s, strlen(s))) {   /* jansson refuses it: say nothing */
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '"');
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, run, (size_t)(s - run));
		run = s + 1;
		buf_putc(b, '\\');
		switch (c) {
		case '"': buf_putc(b, '"'); break;
		case '\\': buf_putc(b, '\\'); break;
		case '\b': buf_putc(b, 'b'); break;
		case '\f': buf_putc(b, 'f'); break;
		case '\n': buf_putc(b, 'n'); break;
		case '\r': buf_putc(b, 'r'); break;
		case '\t': buf_putc(b, 't'); break;
		default:
			buf_puts(b, "u00");
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
	buf_append(b, run, (size_t)(s - run));
	buf_putc(b, '"');
}

static void
put_key(struct buf *b, const char *key, const char *value)
{
	buf_putc(b, ',');
	put_str(b, key);
	buf_putc(b, ':');
	put_str(b, value);
}

static void
put_instant(struct buf *b, const char *key, int64_t t)
{
	char s[VN_RFC3339_MAX];
	if (t)
		vn_fmt_rfc3339(t, s, sizeof s);
	buf_putc(b, ',');
	put_str(b, key);
	buf_putc(b, ':');
	if (t)
		put_str(b, s);
	else
		buf_puts(b, "null");
}

static enum err
lookup_reply(struct http_req *req, struct http_resp *resp, const char *code, const char *key)
{
	struct web_app *app = req->app;
	struct app_proof p = {code, key, req->client};
	struct app_lookup_brief l;
	enum err e = app_lookup_brief(&app->core, &p, &l);
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
	struct buf *b = &resp->body;
	buf_reset(b);
	buf_puts(b, "{\"code\":");
	put_str(b, l.d.code);
	put_key(b, "procedure_code", l.d.procedure_code);
	put_key(b, "status", l.d.status);
	buf_printf(b, ",\"national_status\":%d", si ? si->national : 0);
	put_key(b, "status_label", si ? si->public_label : "");
	put_instant(b, "received_at", l.d.received_at);
	put_instant(b, "due_at", l.d.due_at);
	if (l.d.appointment_at)
		put_instant(b, "appointment_at", l.d.appointment_at);
	if (l.d.rating[0])
		put_key(b, "rating", l.d.rating);
	else
		buf_puts(b, ",\"rating\":null");
	if (l.reason)
		put_key(b, "reason", l.reason);
	if (l.nmissing) {
		buf_puts(b, ",\"missing\":[");
		for (size_t i = 0; i < l.nmissing; i++) {
			if (i)
				buf_putc(b, ',');
			put_str(b, l.missing[i]);
		}
		buf_putc(b, ']');
	}
	buf_putc(b, '}');
	app_lookup_brief_free(&l);
	if (b->oom)
		return ERR_NOMEM;
	resp->status = 200;
	resp->content_type = "application/json; charset=utf-8";
	return ERR_OK;   /* Cache-Control: no-store, as every answer by default */
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
