/*
 * api_cases.c — the case API for staff (docs/openapi.yaml): a clerk
 * recording feedback that came through another system (channel "api"),
 * reading a case, and acting on it.  JSON bodies are read by spec into
 * the service's structs (src/app/cases.h); who may do what to which case
 * is the service's.
 *
 * The sender of a case is part of the answer only when the caller may
 * read it (app_case_party_visible): for a denunciation, its assigned
 * handler and its deciding leader — and each such read is an audit event
 * (app_case_party).  Everyone else gets "sender": null and
 * "sender_hidden": true.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/cases.h"
#include "core/jspec.h"
#include "web/cases_pub.h"
#include "web/web.h"

static enum err
refuse(struct http_req *req, struct http_resp *resp, enum err e, const struct app_fail *f)
{
	http_error_field(req, resp, e, f && f->msg[0] ? f->msg : NULL, f ? f->field : NULL);
	return ERR_OK;
}

static const char *const kind_codes[] = {"khieu-nai-1", "khieu-nai-2", "to-cao", "kien-nghi-qdhc", "phan-anh",
                                         "gop-y", NULL};

/* "attributes": {"code": "value" | ["v1", "v2"]} into the answers (the
 * values of a list joined by "\n"; strings point into body or buf). */
static enum err
read_attrs(json_t *obj, struct app_case_attr *out, struct buf *vals, size_t *n, char *detail, size_t dlen)
{
	const char *k;
	json_t *v;
	*n = 0;
	json_object_foreach(obj, k, v) {
		if (*n == APP_CASE_ATTRS) {
			snprintf(detail, dlen, "attributes: tối đa %d câu trả lời", APP_CASE_ATTRS);
			return ERR_INVALID_FIELD;
		}
		struct buf *b = &vals[*n];
		if (json_is_string(v)) {
			buf_puts(b, json_string_value(v));
		} else if (json_is_array(v) && json_array_size(v) <= 20) {
			size_t i;
			json_t *x;
			json_array_foreach(v, i, x) {
				if (!json_is_string(x))
					goto bad;
				if (i)
					buf_putc(b, '\n');
				buf_puts(b, json_string_value(x));
			}
		} else {
			goto bad;
		}
		if (b->oom)
			return ERR_NOMEM;
		out[*n] = (struct app_case_attr){k, buf_str(b)};
		(*n)++;
		continue;
	bad:
		snprintf(detail, dlen, "attributes.%.60s: phải là chuỗi hoặc mảng chuỗi", k);
		return ERR_INVALID_FIELD;
	}
	return ERR_OK;
}

/* POST /api/v1/cases */
enum err
api_case_create(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct app_case_in in = {.channel = APP_CASE_API};
	int kind = 0, anonymous = 0;
	const char *name = NULL, *idn = NULL, *phone = NULL, *email = NULL, *addr = NULL;
	json_t *loc = NULL, *attrs = NULL;
	struct jspec sender[] = {
		JSPEC_STRING("name", &name, JSPEC_OPTIONAL, 0, 100),
		JSPEC_STRING("id_number", &idn, JSPEC_OPTIONAL, 0, 15),
		JSPEC_STRING("phone", &phone, JSPEC_OPTIONAL, 0, 23),
		JSPEC_STRING("email", &email, JSPEC_OPTIONAL, 0, 127),
		JSPEC_STRING("address", &addr, JSPEC_OPTIONAL, 0, 300),
		JSPEC_END,
	};
	struct jspec spec[] = {
		JSPEC_ENUM("kind", &kind, JSPEC_REQUIRED, kind_codes),
		JSPEC_STRING("category", &in.category, JSPEC_OPTIONAL, 0, 47),
		JSPEC_STRING("subject", &in.subject, JSPEC_REQUIRED, 1, 200),
		JSPEC_STRING("content", &in.content, JSPEC_REQUIRED, 1, 8000),
		JSPEC_STRING("address", &in.address, JSPEC_OPTIONAL, 0, 300),
		JSPEC_OBJECT("location", &loc, JSPEC_OPTIONAL),
		JSPEC_BOOL("anonymous", &anonymous, JSPEC_OPTIONAL),
		JSPEC_NESTED("sender", sender, JSPEC_OPTIONAL),
		JSPEC_OBJECT("attributes", &attrs, JSPEC_OPTIONAL),
		JSPEC_STRING("source", &in.source, JSPEC_OPTIONAL, 0, 60),
		JSPEC_END,
	};
	char detail[400] = "";
	enum err e = jspec_read(req->json, spec, detail, sizeof detail);
	struct app_case_attr av[APP_CASE_ATTRS];
	struct buf vals[APP_CASE_ATTRS];
	for (size_t i = 0; i < APP_CASE_ATTRS; i++)
		vals[i] = (struct buf)BUF_INIT;
	if (!e && attrs)
		e = read_attrs(attrs, av, vals, &in.nattrs, detail, sizeof detail);
	if (!e && loc) {
		json_t *lat = json_object_get(loc, "lat"), *lon = json_object_get(loc, "lon");
		if (!json_is_number(lat) || !json_is_number(lon) || json_object_size(loc) != 2) {
			snprintf(detail, sizeof detail, "location: {\"lat\": số, \"lon\": số}");
			e = ERR_INVALID_FIELD;
		} else {
			in.has_location = 1;
			in.lat = json_number_value(lat);
			in.lon = json_number_value(lon);
		}
	}
	if (e) {
		for (size_t i = 0; i < APP_CASE_ATTRS; i++)
			buf_free(&vals[i]);
		http_error(req, resp, e, detail[0] ? detail : NULL);
		return ERR_OK;
	}
	in.kind = (enum case_kind)kind;
	in.anonymous = anonymous;
	in.attrs = av;
	snprintf(in.party.name, sizeof in.party.name, "%s", name ? name : "");
	snprintf(in.party.id_number, sizeof in.party.id_number, "%s", idn ? idn : "");
	snprintf(in.party.phone, sizeof in.party.phone, "%s", phone ? phone : "");
	snprintf(in.party.email, sizeof in.party.email, "%s", email ? email : "");
	snprintf(in.party.address, sizeof in.party.address, "%s", addr ? addr : "");
	in.key = http_header(req, "Idempotency-Key");
	struct actor ac;
	web_actor_of(req, &ac);
	if (!in.source || !*in.source)
		in.source = ac.name;
	struct app_case_brief b;
	struct app_fail f = {"", ""};
	e = app_case_submit(&app->core, &ac, &in, &b, &f);
	for (size_t i = 0; i < APP_CASE_ATTRS; i++)
		buf_free(&vals[i]);
	if (e)
		return refuse(req, resp, e, &f);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/cases/%s", b.code);
	http_resp_header(resp, "Location", path);
	json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:b}", "code", b.code, "kind", case_type_of(b.kind)->code, "stage",
	                      case_stage_code(CASE_ST_RECEIVED), "received_at", web_json_instant(b.received_at),
	                      "due_at", web_json_instant(b.due_at), "replayed", b.existing);
	if (o && b.duplicate_of[0])
		json_object_set_new(o, "duplicate_of", json_string(b.duplicate_of));
	http_json(resp, b.existing ? 200 : 201, o);
	return ERR_OK;
}

/* The case as staff read it; with_party: the sender too when ac may
 * (audited). */
static enum err
case_json(struct app *a, const struct actor *ac, const char *code, int with_party, json_t **out)
{
	struct app_case c;
	enum err e = app_case_get(a, ac, code, &c);
	if (e)
		return e;
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:i}", "code",
	    c.code, "kind", case_type_of(c.kind)->code, "stage", case_stage_code(c.stage), "stage_label",
	    case_stage_label(c.kind, c.stage), "channel", app_case_channel_code(c.channel), "category", c.category,
	    "subject", c.subject, "content", c.content ? c.content : "", "respondent", c.respondent, "address",
	    c.address, "anonymous", c.anonymous, "received_at", web_json_instant(c.received_at), "accepted_at",
	    web_json_instant(c.accepted_at), "decided_at", web_json_instant(c.decided_at), "closed_at",
	    web_json_instant(c.closed_at), "due_at", web_json_instant(c.due_at), "resolve_due",
	    web_json_instant(c.resolve_due), "overdue", c.overdue, "version", c.version);
	if (!o) {
		app_case_free(&c);
		return ERR_NOMEM;
	}
	json_object_set_new(o, "handler_id", c.handler_id ? json_integer(c.handler_id) : json_null());
	json_object_set_new(o, "decider_id", c.decider_id ? json_integer(c.decider_id) : json_null());
	json_object_set_new(o, "reason", json_string(c.reason));
	json_object_set_new(o, "forwarded_to", json_string(c.forwarded_to));
	json_object_set_new(o, "decision_no", json_string(c.decision_no));
	json_object_set_new(o, "decision_text", json_string(c.decision_text ? c.decision_text : ""));
	json_object_set_new(o, "public_answer", json_string(c.public_answer ? c.public_answer : ""));
	json_object_set_new(o, "published_at", web_json_instant(c.published_at));
	if (c.duplicate_of[0])
		json_object_set_new(o, "duplicate_of", json_string(c.duplicate_of));
	json_t *acts = json_array();
	unsigned bits = app_case_actions(a, ac, &c);
	for (int i = 0; i < CASE_NACTIONS; i++)
		if (bits & (1u << i))
			json_array_append_new(acts, json_string(case_action_code((enum case_action)i)));
	json_object_set_new(o, "actions", acts);
	int visible = app_case_party_visible(a, ac, &c);
	app_case_free(&c);
	struct app_case_party p;
	if (visible && with_party && (e = app_case_party(a, ac, code, &p)) == ERR_OK) {
		json_object_set_new(o, "sender", json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", p.name, "id_number",
		                                           p.id_number, "phone", p.phone, "email", p.email, "address",
		                                           p.address));
		sodium_memzero(&p, sizeof p);
	} else {
		json_object_set_new(o, "sender", json_null());
	}
	json_object_set_new(o, "sender_hidden", json_boolean(!visible));
	*out = o;
	return ERR_OK;
}

/* GET /api/v1/cases/{code} */
enum err
api_case_get(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	json_t *o;
	enum err e = case_json(&app->core, &ac, http_param(req, 0), 1, &o);
	if (e)
		return e;
	http_resp_header(resp, "Cache-Control", "private, no-store");
	http_json(resp, 200, o);
	return ERR_OK;
}

/* POST /api/v1/cases/{code}/actions {"action": "assign", …} → the case. */
enum err
api_case_action(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct app_case_act in = {.remote = -1};
	const char *action = NULL, *dialogue_at = NULL;
	json_int_t version = 0, handler = 0, decider = 0, complexity = 0;
	int remote = -1;
	struct jspec spec[] = {
		JSPEC_STRING("action", &action, JSPEC_REQUIRED, 1, 24),
		JSPEC_INT("version", &version, JSPEC_OPTIONAL, 1, INT32_MAX),
		JSPEC_STRING("note", &in.note, JSPEC_OPTIONAL, 0, 1000),
		JSPEC_INT("handler_id", &handler, JSPEC_OPTIONAL, 1, INT64_MAX),
		JSPEC_INT("decider_id", &decider, JSPEC_OPTIONAL, 1, INT64_MAX),
		JSPEC_STRING("forwarded_to", &in.forwarded_to, JSPEC_OPTIONAL, 0, 200),
		JSPEC_STRING("doc_no", &in.doc_no, JSPEC_OPTIONAL, 0, 40),
		JSPEC_STRING("decision_text", &in.decision_text, JSPEC_OPTIONAL, 0, 8000),
		JSPEC_STRING("verdict", &in.verdict, JSPEC_OPTIONAL, 0, 20),
		JSPEC_STRING("public_answer", &in.public_answer, JSPEC_OPTIONAL, 0, 8000),
		JSPEC_INT("complexity", &complexity, JSPEC_OPTIONAL, 1, 2),
		JSPEC_BOOL("remote", &remote, JSPEC_OPTIONAL),
		JSPEC_STRING("dialogue_at", &dialogue_at, JSPEC_OPTIONAL, 1, 40),
		JSPEC_STRING("dialogue_people", &in.dialogue_people, JSPEC_OPTIONAL, 0, 300),
		JSPEC_STRING("dialogue_result", &in.dialogue_result, JSPEC_OPTIONAL, 0, 800),
		JSPEC_STRING("merge_into", &in.merge_into, JSPEC_OPTIONAL, 0, 23),
		JSPEC_END,
	};
	char detail[400] = "";
	enum err e = jspec_read(req->json, spec, detail, sizeof detail);
	if (!e && case_action_from_code(action, &in.action) != 0) {
		snprintf(detail, sizeof detail, "action: thao tác không có (assign, accept, reject, forward, verify, "
		                                "dialogue, extend, decide, publish, close, withdraw, merge, note)");
		e = ERR_INVALID_FIELD;
	}
	if (!e && dialogue_at && vn_parse_rfc3339(dialogue_at, &in.dialogue_at) != 0) {
		snprintf(detail, sizeof detail, "dialogue_at: thời điểm RFC 3339, ví dụ 2026-12-08T09:00:00+07:00");
		e = ERR_BAD_TIME;
	}
	if (e) {
		http_error(req, resp, e, detail[0] ? detail : NULL);
		return ERR_OK;
	}
	in.version = (int)version;
	in.handler_id = handler;
	in.decider_id = decider;
	in.complexity = (int)complexity;
	in.remote = remote;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	if ((e = app_case_act(&app->core, &ac, http_param(req, 0), &in, &f)) != ERR_OK)
		return refuse(req, resp, e, &f);
	json_t *o;
	/* the sender is read on GET only: every read of it is an audit event */
	if ((e = case_json(&app->core, &ac, http_param(req, 0), 0, &o)))
		return e;
	http_json(resp, 200, o);
	return ERR_OK;
}
