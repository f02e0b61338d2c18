/*
 * api_dossiers.c — the dossier API (DESIGN.md "Dossier intake",
 * docs/openapi.yaml): JSON bodies read into the services' structs
 * (src/app/dossier.h), the results written back as JSON.  No rule lives
 * here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/dossier.h"
#include "core/deadline.h"
#include "core/jspec.h"
#include "web/desk.h"
#include "web/dossier_json.h"
#include "web/web.h"

static enum err
refuse(struct http_req *req, struct http_resp *resp, enum err e, const struct app_fail *f)
{
	/* the words for people in detail, the input at fault apart */
	http_error_field(req, resp, e, f && f->msg[0] ? f->msg : NULL, f ? f->field : NULL);
	return ERR_OK;
}

/* ---- intake ------------------------------------------------------------------ */

/* The checklist of the body into docs (at most 100). */
static enum err
read_docs(json_t *arr, struct app_doc *docs, size_t *n, char *detail, size_t dlen)
{
	size_t i;
	json_t *v;
	*n = 0;
	json_array_foreach(arr, i, v) {
		const char *dn = NULL;
		int received = 1, form = 0;
		json_int_t count = 1;
		struct jspec ds[] = {
			JSPEC_STRING("name", &dn, JSPEC_REQUIRED, 1, 500),
			JSPEC_BOOL("received", &received, JSPEC_OPTIONAL),
			JSPEC_ENUM("form", &form, JSPEC_OPTIONAL, app_doc_form_names),
			JSPEC_INT("count", &count, JSPEC_OPTIONAL, 0, 100),
			JSPEC_END,
		};
		char path[40];
		snprintf(path, sizeof path, "documents[%zu]", i);
		enum err e = jspec_read_path(v, ds, path, detail, dlen);
		if (e)
			return e;
		docs[(*n)++] = (struct app_doc){dn, received, form, (int)count};
	}
	return ERR_OK;
}

/* The POST /api/v1/dossiers body into in (strings point into body). */
static enum err
read_intake(json_t *body, struct app_intake *in, struct app_doc *docs, char *detail, size_t dlen)
{
	struct app_person *p = &in->applicant;
	int intake = 0;
	json_int_t fee = -1;
	json_t *darr = NULL;
	const char *due = NULL;
	static const char *const intakes[] = {"receive", "hold", NULL};
	struct jspec rep[] = {
		JSPEC_STRING("name", &in->rep.name, JSPEC_REQUIRED, 1, 200),
		JSPEC_STRING("id_number", &in->rep.id_number, JSPEC_OPTIONAL, 1, 20),
		JSPEC_STRING("phone", &in->rep.phone, JSPEC_OPTIONAL, 1, 30),
		JSPEC_STRING("relation", &in->rep.relation, JSPEC_OPTIONAL, 0, 100),
		JSPEC_END,
	};
	struct jspec pay[] = {
		JSPEC_ENUM("status", &in->pay.status, JSPEC_REQUIRED, app_fee_status_names),
		JSPEC_ENUM("channel", &in->pay.channel, JSPEC_OPTIONAL, app_pay_channel_names),
		JSPEC_STRING("receipt_no", &in->pay.receipt_no, JSPEC_OPTIONAL, 0, 200),
		JSPEC_END,
	};
	struct jspec applicant[] = {
		JSPEC_STRING("name", &p->name, JSPEC_REQUIRED, 1, 200),
		JSPEC_STRING("id_number", &p->id_number, JSPEC_OPTIONAL, 1, 20),
		JSPEC_STRING("date_of_birth", &p->date_of_birth, JSPEC_OPTIONAL, 10, 10),
		JSPEC_ENUM("sex", &p->sex, JSPEC_OPTIONAL, app_sex_names),
		JSPEC_STRING("phone", &p->phone, JSPEC_OPTIONAL, 1, 30),
		JSPEC_STRING("email", &p->email, JSPEC_OPTIONAL, 3, 254),
		JSPEC_STRING("address", &p->address, JSPEC_OPTIONAL, 0, 500),
		JSPEC_END,
	};
	struct jspec spec[] = {
		JSPEC_STRING("procedure_code", &in->procedure_code, JSPEC_REQUIRED, 4, 40),
		JSPEC_ENUM("channel", &in->channel, JSPEC_OPTIONAL, app_channel_names),
		JSPEC_NESTED("applicant", applicant, JSPEC_REQUIRED),
		JSPEC_NESTED("representative", rep, JSPEC_OPTIONAL),
		JSPEC_ENUM("intake", &intake, JSPEC_OPTIONAL, intakes),
		JSPEC_ARRAY("documents", &darr, JSPEC_OPTIONAL, 0, 100),
		JSPEC_INT("fee", &fee, JSPEC_OPTIONAL, 0, 1000000000),
		JSPEC_NESTED("payment", pay, JSPEC_OPTIONAL),
		JSPEC_STRING("note", &in->note, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_STRING("due_at", &due, JSPEC_OPTIONAL, 1, 40),
		JSPEC_END,
	};
	p->sex = -1;
	enum err e = jspec_read(body, spec, detail, dlen);
	if (e)
		return e;
	in->hold = intake == 1;
	/* the appointment set by hand (a procedure without a verified limit) */
	if (due && vn_parse_rfc3339(due, &in->due_by_hand) != 0) {
		snprintf(detail, dlen, "Ngày giờ hẹn trả (due_at) phải là thời điểm RFC 3339, ví dụ "
		         "2026-12-08T16:00:00+07:00.");
		return ERR_BAD_TIME;
	}
	in->fee = fee;
	in->docs = docs;
	return read_docs(darr, docs, &in->ndocs, detail, dlen);
}

/* The reply of an intake (the field order of the first API). */
static json_t *
intake_json(const struct app_dossier_brief *b)
{
	json_t *o = json_pack("{s:s,s:s,s:i,s:o,s:o,s:s}", "code", b->code, "status", b->status,
	                      "national_status", b->national_status, "received_at", web_json_instant(b->received_at),
	                      "due_at", web_json_instant(b->due_at), "procedure_code", b->procedure_code);
	if (o && b->procedure_version)
		json_object_set_new(o, "procedure_version", json_integer(b->procedure_version));
	if (o)
		json_object_set_new(o, "fee", json_integer(b->fee));
	if (o)
		json_object_set_new(o, "due_by_hand", json_boolean(b->due_by_hand));
	if (o && b->replayed)
		json_object_set_new(o, "replayed", json_true());
	return o;
}

/* The reply of an action. */
static json_t *
action_json(const struct app_dossier_brief *b)
{
	json_t *o = json_pack("{s:s,s:s,s:i,s:s,s:s,s:o,s:I}", "code", b->code, "status", b->status,
	                      "national_status", b->national_status, "status_label", web_status_label(b->status),
	                      "stage", b->stage, "due_at", web_json_instant(b->due_at), "version", (json_int_t)b->version);
	if (o && b->appointment_at)
		json_object_set_new(o, "appointment_at", web_json_instant(b->appointment_at));
	if (o)
		json_object_set_new(o, "due_by_hand", json_boolean(b->due_by_hand));
	return o;
}

enum err
api_dossier_create(struct http_req *req, struct http_resp *resp)
{
	struct app_intake in = {0};
	struct app_doc docs[100];
	struct app_fail f = {"", ""};
	char detail[400] = "";
	enum err e = read_intake(req->json, &in, docs, detail, sizeof detail);
	if (e) {
		http_error(req, resp, e, detail[0] ? detail : NULL);
		return ERR_OK;
	}
	in.key = http_header(req, "Idempotency-Key");
	if (in.key && app_submission_key_ok(in.key) != 0)
		return refuse(req, resp, ERR_INVALID_FIELD,
		              &(struct app_fail){"Idempotency-Key", "16–100 ký tự A–Z, a–z, 0–9, _ hoặc -"});
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_dossier_brief b;
	struct web_app *app = req->app;
	if ((e = app_dossier_receive(&app->core, &ac, &in, &b, &f)) != ERR_OK)
		return refuse(req, resp, e, &f);
	char loc[160];
	snprintf(loc, sizeof loc, "/api/v1/dossiers/%s", b.code);
	http_resp_header(resp, "Location", loc);
	/* a repeat of an earlier send: 200 with what that send created */
	http_json(resp, b.replayed ? 200 : 201, intake_json(&b));
	return ERR_OK;
}

/* ---- reading ---------------------------------------------------------------- */

static int
event_json(const struct store_dossier_event *ev, void *arg)
{
	json_error_t je;
	json_t *det = json_loads(ev->details, 0, &je);
	json_t *o = json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:o}", "at", web_json_instant(ev->at), "actor",
	                      ev->actor, "action", ev->action, "from", ev->from, "to", ev->to, "note",
	                      ev->note, "details", det ? det : json_object());
	if (o && ev->step_due)
		json_object_set_new(o, "step_due", web_json_instant(ev->step_due));
	json_array_append_new(arg, o);
	return 0;
}

enum err
api_dossier_get(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_dossier d;
	enum err e = app_dossier_get(&app->core, &ac, http_param(req, 0), &d);
	if (e)
		return e;
	json_t *out = web_dossier_json(&d, (int64_t)time(NULL));
	json_t *events = json_array();
	e = app_dossier_events(&app->core, &ac, d.code, event_json, events);
	store_dossier_free(&d);
	if (e || !out) {
		json_decref(out);
		json_decref(events);
		return e ? e : ERR_NOMEM;
	}
	json_object_set_new(out, "events", events);
	http_json(resp, 200, out);
	return ERR_OK;
}

struct list_ctx {
	json_t *items;
	int64_t now;
};

static int
list_item(const struct store_dossier *d, void *arg)
{
	struct list_ctx *c = arg;
	json_t *o = web_dossier_json(d, c->now);
	if (o) {
		json_object_del(o, "documents");
		json_array_append_new(c->items, o);
	}
	return 0;
}

/* A YYYY-MM-DD query parameter as the instant its local day starts. */
static int
day_param(struct http_req *req, const char *name, int64_t *out)
{
	const char *v = form_get(&req->query, name);
	if (!v || !*v)
		return 0;
	return vn_parse_date(v, out) == 0 ? 1 : -1;
}

/* GET /api/v1/dossiers?q=&status=&from=&to=&assignee=&overdue=&limit=&offset=&after= */
static enum err
read_search(struct http_req *req, struct app_search *s, struct app_fail *f)
{
	long n;
	const char *v;
	int r;
	s->statuses = form_get(&req->query, "status");
	s->text = form_get(&req->query, "q");
	if ((r = day_param(req, "from", &s->from)) < 0)
		return app_fail(f, ERR_BAD_DATE, "from", "ngày dạng YYYY-MM-DD");
	if ((r = day_param(req, "to", &s->to)) < 0)
		return app_fail(f, ERR_BAD_DATE, "to", "ngày dạng YYYY-MM-DD");
	if (r)
		s->to += 86400;
	if ((v = form_get(&req->query, "assignee")) && *v) {
		if (web_parse_int(v, 1, 1000000000, &n) != 0)
			return app_fail(f, ERR_INVALID_FIELD, "assignee", "mã người dùng");
		s->assignee = n;
	}
	s->limit = 50;
	if ((v = form_get(&req->query, "limit")) && *v) {
		if (web_parse_int(v, 1, 500, &n) != 0)
			return app_fail(f, ERR_INVALID_FIELD, "limit", "từ 1 đến 500");
		s->limit = (int)n;
	}
	if ((v = form_get(&req->query, "offset")) && *v) {
		if (web_parse_int(v, 0, 1000000, &n) != 0)
			return app_fail(f, ERR_INVALID_FIELD, "offset", "từ 0");
		s->offset = (int)n;
	}
	s->overdue = (v = form_get(&req->query, "overdue")) && strcmp(v, "true") == 0;
	s->after = form_get(&req->query, "after");
	s->count_max = APP_COUNT_MAX;
	return ERR_OK;
}

enum err
api_dossiers_list(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct app_search s = {0};
	struct app_fail f = {"", ""};
	enum err e = read_search(req, &s, &f);
	if (e)
		return refuse(req, resp, e, &f);
	struct actor ac;
	web_actor_of(req, &ac);
	struct list_ctx c = {json_array(), (int64_t)time(NULL)};
	int64_t total = 0;
	if ((e = app_dossier_search(&app->core, &ac, &s, list_item, &c, &total, &f)) != ERR_OK) {
		json_decref(c.items);
		return f.msg[0] ? refuse(req, resp, e, &f) : e;
	}
	/* total stops counting past APP_COUNT_MAX (total_more); the next page
	 * by cursor is after this page's last code */
	size_t n = json_array_size(c.items);
	json_t *last = n == (size_t)s.limit ? json_object_get(json_array_get(c.items, n - 1), "code") : NULL;
	int more = total > APP_COUNT_MAX;
	json_t *o = json_pack("{s:o,s:I,s:b,s:i,s:i}", "items", c.items, "total",
	                      (json_int_t)(more ? APP_COUNT_MAX : total), "total_more", more, "limit", s.limit,
	                      "offset", s.offset);
	if (o && last)
		json_object_set(o, "next", last);
	http_json(resp, 200, o);
	return ERR_OK;
}

/* ---- actions ---------------------------------------------------------------- */

/* "missing": an array of strings into out (pointing into arr). */
static enum err
read_missing(json_t *arr, const char **out, size_t *n, char *detail, size_t dlen)
{
	size_t i;
	json_t *v;
	*n = 0;
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v)) {
			snprintf(detail, dlen, "missing[%zu]: phải là chuỗi (tên giấy tờ còn thiếu)", i);
			return ERR_INVALID_FIELD;
		}
		out[(*n)++] = json_string_value(v);
	}
	return ERR_OK;
}

enum err
api_dossier_action(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *act = json_string_value(json_object_get(req->json, "action"));
	if (act && strcmp(act, "record_payment") == 0)   /* no step of the state machine */
		return api_record_payment(req, resp);
	struct app_action in = {.step_days = -1};
	json_int_t assignee = 0, step_days = -1, expected = 0;
	json_t *missing = NULL;
	const char *miss[STORE_MISSING_MAX];
	struct jspec spec[] = {
		JSPEC_STRING("action", &in.action, JSPEC_REQUIRED, 1, 40),
		JSPEC_STRING("note", &in.note, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_INT("assignee", &assignee, JSPEC_OPTIONAL, 1, 1000000000),
		JSPEC_STRING("unit", &in.unit, JSPEC_OPTIONAL, 1, 200),
		JSPEC_INT("step_days", &step_days, JSPEC_OPTIONAL, 0, 365),
		JSPEC_STRING("new_date", &in.new_date, JSPEC_OPTIONAL, 10, 40),
		JSPEC_STRING("recipient", &in.recipient, JSPEC_OPTIONAL, 1, 200),
		JSPEC_STRING("recipient_id", &in.recipient_id, JSPEC_OPTIONAL, 1, 40),
		JSPEC_ARRAY("missing", &missing, JSPEC_OPTIONAL, 1, STORE_MISSING_MAX),
		JSPEC_INT("expected_version", &expected, JSPEC_OPTIONAL, 1, INT64_MAX),
		JSPEC_END,
	};
	char detail[400] = "";
	enum err e = jspec_read(req->json, spec, detail, sizeof detail);
	if (!e && missing)
		e = read_missing(missing, miss, &in.nmissing, detail, sizeof detail);
	if (e) {
		http_error(req, resp, e, detail[0] ? detail : NULL);
		return ERR_OK;
	}
	in.missing = miss;
	in.assignee = assignee;
	in.step_days = (int)step_days;
	in.expected_version = expected;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_dossier_brief b;
	struct app_fail f = {"", ""};
	if ((e = app_dossier_act(&app->core, &ac, http_param(req, 0), &in, &b, &f)) != ERR_OK)
		return refuse(req, resp, e, &f);
	http_json(resp, 200, action_json(&b));
	return ERR_OK;
}
