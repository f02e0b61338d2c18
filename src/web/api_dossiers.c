/*
 * api_dossiers.c — dossier intake and reading over the API (issue #5,
 * DESIGN.md "Dossier intake"): the applicant and checklist are checked
 * (personal ID per DOMAIN decision 11, phone normalised), the procedure's
 * published version is pinned, the due instant is counted on the legal
 * clock, and the dossier is numbered and stored in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/dossier_fsm.h"
#include "core/roles.h"
#include "core/ident.h"
#include "core/text.h"
#include "http/jspec.h"
#include "web/calendar_svc.h"
#include "web/catalog_io.h"
#include "web/dossier_svc.h"
#include "web/web.h"

static const char *const channels[] = {"counter", "online", "post", NULL};
static const char *const sexes[] = {"male", "female", NULL};
static const char *const forms[] = {"original", "copy", "present", "either", NULL};
static const char *const intakes[] = {"receive", "hold", NULL};

static enum err
bad(struct http_req *req, struct http_resp *resp, enum err e, const char *detail)
{
	http_error(req, resp, e, detail);
	return ERR_OK;
}

static enum err
fail(char *detail, size_t dlen, enum err e, const char *why)
{
	snprintf(detail, dlen, "%s", why);
	return e;
}

/* Something@something.something, no spaces or controls. */
static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.')
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ')
			return 0;
	return s[strlen(s) - 1] != '.';
}

/* A dossier must be findable by its applicant at /tra-cuu: a phone or a
 * 12-digit ID (whose last four digits are the other key). */
static int
id_or_phone(const char *idn, const char *ph)
{
	return (ph && ph[0]) || (idn && strlen(idn) == 12);
}

/* The due instant of a procedure's time limit for a receipt at `at`. */
static enum err
due_for(struct web_app *app, json_t *proc, int64_t at, int64_t *due)
{
	json_t *tl = json_object_get(proc, "time_limit");
	int same = json_is_true(json_object_get(tl, "same_day"));
	json_t *days = json_object_get(tl, "days");
	if (!same && !json_is_integer(days))
		return ERR_NO_TIME_LIMIT;
	int cutoff = DL_CUTOFF_DEFAULT;
	const char *c = json_string_value(json_object_get(tl, "cutoff"));
	if (c && dl_parse_hhmm(c, &cutoff) != 0)
		cutoff = DL_CUTOFF_DEFAULT;
	int y, m, d;
	cal_ymd(dl_local_day(at), &y, &m, &d);
	struct calsnap *s;
	enum err e = cal_for(app, y, CAL_DUE_SPAN, &s);
	if (e)
		return e;
	int rc = dl_due(&s->cal, &s->hours, at, same ? 0 : (int)json_integer_value(days), same, cutoff, due);
	cal_release(app, s);
	return rc == DL_OK ? ERR_OK : ERR_OUT_OF_RANGE;
}

int
dsvc_key_ok(const char *key)
{
	size_t n = strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
	return key[n] == '\0' && n >= 16 && n <= 100 ? 0 : -1;
}

/* The reply for a repeated send: the dossier the first send created. */
static enum err
replay_reply(struct web_app *app, const char *code, json_t **reply)
{
	struct store_dossier sd;
	enum err e = store_dossier_get(app->st, code, &sd);
	if (e)
		return e;
	enum dfsm_state st;
	char rat[DL_RFC3339_MAX], dat[DL_RFC3339_MAX];
	dl_format_rfc3339(sd.received_at, rat, sizeof rat);
	dl_format_rfc3339(sd.due_at, dat, sizeof dat);
	*reply = json_pack("{s:s,s:s,s:i,s:s,s:o,s:s,s:I,s:b}", "code", sd.code, "status", sd.status,
	                   "national_status", dfsm_state_from_code(sd.status, &st) == 0 ? dfsm_national_code(st) : 0,
	                   "received_at", rat, "due_at", sd.due_at ? json_string(dat) : json_null(),
	                   "procedure_code", sd.procedure_code, "fee", (json_int_t)sd.fee, "replayed", 1);
	store_dossier_free(&sd);
	return *reply ? ERR_OK : ERR_NOMEM;
}

enum err
dsvc_create(struct http_req *req, json_t *body, const char *idem, json_t **reply, char *detail, size_t dlen)
{
	struct web_app *app = req->app;
	const char *pcode = NULL, *note = "";
	int channel = 0, sex = -1, intake = 0;
	json_int_t fee = -1;
	json_t *docs = NULL;
	const char *rname = NULL, *rid = NULL, *rphone = NULL, *rrel = NULL;
	struct jspec rep[] = {
		JSPEC_STRING("name", &rname, JSPEC_REQUIRED, 1, 200),
		JSPEC_STRING("id_number", &rid, JSPEC_OPTIONAL, 1, 20),
		JSPEC_STRING("phone", &rphone, JSPEC_OPTIONAL, 1, 30),
		JSPEC_STRING("relation", &rrel, JSPEC_OPTIONAL, 0, 100),
		JSPEC_END,
	};
	const char *name = NULL, *idn = NULL, *dob = NULL, *phone = NULL, *email = NULL, *addr = NULL;
	struct jspec applicant[] = {
		JSPEC_STRING("name", &name, JSPEC_REQUIRED, 1, 200),
		JSPEC_STRING("id_number", &idn, JSPEC_OPTIONAL, 1, 20),
		JSPEC_STRING("date_of_birth", &dob, JSPEC_OPTIONAL, 10, 10),
		JSPEC_ENUM("sex", &sex, JSPEC_OPTIONAL, sexes),
		JSPEC_STRING("phone", &phone, JSPEC_OPTIONAL, 1, 30),
		JSPEC_STRING("email", &email, JSPEC_OPTIONAL, 3, 254),
		JSPEC_STRING("address", &addr, JSPEC_OPTIONAL, 0, 500),
		JSPEC_END,
	};
	struct jspec spec[] = {
		JSPEC_STRING("procedure_code", &pcode, JSPEC_REQUIRED, 4, 40),
		JSPEC_ENUM("channel", &channel, JSPEC_OPTIONAL, channels),
		JSPEC_NESTED("applicant", applicant, JSPEC_REQUIRED),
		JSPEC_NESTED("representative", rep, JSPEC_OPTIONAL),
		JSPEC_ENUM("intake", &intake, JSPEC_OPTIONAL, intakes),
		JSPEC_ARRAY("documents", &docs, JSPEC_OPTIONAL, 0, 100),
		JSPEC_INT("fee", &fee, JSPEC_OPTIONAL, 0, 1000000000),
		JSPEC_STRING("note", &note, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_END,
	};
	detail[0] = 0;
	enum err e = jspec_read(body, spec, detail, dlen);
	if (e)
		return e;
	/* the applicant */
	int birth_year = 0;
	cal_day dob_day;
	if (dob) {
		int y, m, d;
		if (cal_parse_ymd(dob, &dob_day) != 0)
			return fail(detail, dlen, ERR_BAD_DATE, "applicant.date_of_birth: ngày dạng YYYY-MM-DD (ví dụ 1990-05-17)");
		cal_ymd(dob_day, &y, &m, &d);
		birth_year = y;
	}
	if (idn) {
		char why[200];
		if (ident_pid_check(idn, birth_year, sex < 0 ? 0 : sex + 1, why, sizeof why) != IDENT_OK) {
			snprintf(detail, dlen, "applicant.id_number: %s", why);
			return ERR_BAD_ID_NUMBER;
		}
	}
	if (rid) {
		char why[200];
		if (ident_pid_check(rid, 0, 0, why, sizeof why) != IDENT_OK) {
			snprintf(detail, dlen, "representative.id_number: %s", why);
			return ERR_BAD_ID_NUMBER;
		}
	}
	char rph[IDENT_PHONE_SIZE] = "";
	if (rphone && ident_phone_normalize(rphone, rph, sizeof rph) != IDENT_OK)
		return fail(detail, dlen, ERR_BAD_PHONE, "representative.phone: số di động 10 chữ số hoặc số cố định");
	char ph[IDENT_PHONE_SIZE] = "";
	if (phone && ident_phone_normalize(phone, ph, sizeof ph) != IDENT_OK)
		return fail(detail, dlen, ERR_BAD_PHONE, "applicant.phone: số di động 10 chữ số (0912345678, +84 912 345 678) hoặc số cố định");
	if (email && !email_ok(email))
		return fail(detail, dlen, ERR_INVALID_FIELD, "applicant.email: địa chỉ thư điện tử không hợp lệ");
	if (!id_or_phone(idn, ph))
		return fail(detail, dlen, ERR_INVALID_FIELD, "applicant.phone: cần số điện thoại hoặc số định danh để người nộp tra cứu hồ sơ");
	/* the checklist as received */
	json_t *checklist = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(docs, i, v) {
		const char *dn = NULL;
		int received = 1, form = 0;
		json_int_t count = 1;
		struct jspec ds[] = {
			JSPEC_STRING("name", &dn, JSPEC_REQUIRED, 1, 500),
			JSPEC_BOOL("received", &received, JSPEC_OPTIONAL),
			JSPEC_ENUM("form", &form, JSPEC_OPTIONAL, forms),
			JSPEC_INT("count", &count, JSPEC_OPTIONAL, 0, 100),
			JSPEC_END,
		};
		char path[40];
		snprintf(path, sizeof path, "documents[%zu]", i);
		if ((e = jspec_read_path(v, ds, path, detail, dlen)) != ERR_OK) {
			json_decref(checklist);
			return e;
		}
		json_array_append_new(checklist, json_pack("{s:s,s:b,s:s,s:I}", "name", dn, "received",
		                                           received, "form", forms[form], "count", count));
	}
	/* the procedure, as published now */
	struct store_proc sp;
	e = store_proc_get(app->st, pcode, 1, &sp);
	if (e) {
		json_decref(checklist);
		if (e == ERR_NOT_FOUND)
			return fail(detail, dlen, ERR_PROCEDURE_UNKNOWN, "procedure_code");
		return e;
	}
	json_t *proc = catalog_object(&sp);
	int64_t version_id = sp.version_id;
	int version = sp.version;
	store_proc_free(&sp);
	int64_t now = (int64_t)time(NULL), due = 0;
	e = proc ? due_for(app, proc, now, &due) : ERR_INTERNAL;
	json_t *pfee = json_object_get(json_object_get(proc, "fee"), "amount");
	if (fee < 0)
		fee = json_is_integer(pfee) ? json_integer_value(pfee) : 0;
	char pname[600];
	snprintf(pname, sizeof pname, "%s", proc ? json_string_value(json_object_get(proc, "name")) : "");
	json_decref(proc);
	if (e) {
		json_decref(checklist);
		if (e == ERR_NO_TIME_LIMIT)
			snprintf(detail, dlen, "procedure_code: %s", pcode);
		return e;
	}
	json_t *app_json = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:s}", "name", name,
	    "id_number", idn ? json_string(idn) : json_null(),
	    "date_of_birth", dob ? json_string(dob) : json_null(),
	    "sex", sex >= 0 ? json_string(sexes[sex]) : json_null(),
	    "phone", ph[0] ? json_string(ph) : json_null(),
	    "email", email ? json_string(email) : json_null(), "address", addr ? addr : "");
	if (rname)
		json_object_set_new(app_json, "representative",
		    json_pack("{s:s,s:o,s:o,s:s}", "name", rname, "id_number",
		              rid ? json_string(rid) : json_null(), "phone",
		              rph[0] ? json_string(rph) : json_null(), "relation", rrel ? rrel : ""));
	char *app_s = json_dumps(app_json, JSON_COMPACT);
	char *docs_s = json_dumps(checklist, JSON_COMPACT);
	char *key = text_fold(name);
	json_decref(app_json);
	json_decref(checklist);
	int y, m, d;
	cal_ymd(dl_local_day(now), &y, &m, &d);
	struct store_dossier_in in = {
		.agency = app->agency.code, .yy = y % 100, .mm = m, .dd = d,
		.procedure_version_id = version_id, .procedure_code = pcode, .procedure_name = pname,
		.channel = channels[channel], .fee = fee, .unit = "",
		.applicant = app_s, .applicant_name = name, .applicant_key = key ? key : "",
		.id_number = idn, .phone = ph, .documents = docs_s, .note = note,
		.status = dfsm_state_info(intake ? DFSM_S_NEW : DFSM_S_RECEIVED)->code, .stage = "",
		.received_at = now, .due_at = intake ? 0 : due,
	};
	char code[96], actor[96];
	web_actor(req, actor, sizeof actor);
	int replayed = 0;
	e = (app_s && docs_s) ? store_dossier_create_once(app->st, actor, idem, &in, code, sizeof code, &replayed)
	                      : ERR_NOMEM;
	free(app_s);
	free(docs_s);
	free(key);
	if (e)
		return e;
	if (replayed)
		return replay_reply(app, code, reply);
	char rat[DL_RFC3339_MAX], dat[DL_RFC3339_MAX];
	dl_format_rfc3339(now, rat, sizeof rat);
	dl_format_rfc3339(due, dat, sizeof dat);
	*reply = json_pack("{s:s,s:s,s:i,s:s,s:o,s:s,s:i,s:I}", "code", code, "status", in.status,
	                   "national_status", dfsm_national_code(intake ? DFSM_S_NEW : DFSM_S_RECEIVED),
	                   "received_at", rat, "due_at", intake ? json_null() : json_string(dat), "procedure_code", pcode, "procedure_version", version, "fee",
	                   (json_int_t)in.fee);
	return *reply ? ERR_OK : ERR_NOMEM;
}

enum err
api_dossier_create(struct http_req *req, struct http_resp *resp)
{
	char detail[400] = "";
	json_t *out = NULL;
	const char *key = http_header(req, "Idempotency-Key");
	if (key && dsvc_key_ok(key) != 0)
		return bad(req, resp, ERR_INVALID_FIELD, "Idempotency-Key: 16–100 ký tự A–Z, a–z, 0–9, _ hoặc -");
	enum err e = dsvc_create(req, req->json, key, &out, detail, sizeof detail);
	if (e)
		return bad(req, resp, e, detail[0] ? detail : NULL);
	char loc[160];
	snprintf(loc, sizeof loc, "/api/v1/dossiers/%s", json_string_value(json_object_get(out, "code")));
	http_resp_header(resp, "Location", loc);
	/* a repeat of an earlier send: 200 with what that send created */
	http_json(resp, json_is_true(json_object_get(out, "replayed")) ? 200 : 201, out);
	return ERR_OK;
}

/* ---- reading ------------------------------------------------------------- */

int
dsvc_fsm_view(const struct store_dossier *sd, struct dfsm_dossier *out)
{
	memset(out, 0, sizeof *out);
	if (dfsm_state_from_code(sd->status, &out->state) != 0)
		return -1;
	out->stage = DFSM_STAGE_NONE;
	if (sd->stage[0] && dfsm_stage_from_code(sd->stage, &out->stage) != 0)
		return -1;
	if (sd->resume_state[0] && dfsm_state_from_code(sd->resume_state, &out->resume_state) != 0)
		return -1;
	if (sd->resume_stage[0] && dfsm_stage_from_code(sd->resume_stage, &out->resume_stage) != 0)
		return -1;
	out->due = sd->due_at;
	out->appointment = sd->appointment_at;
	return 0;
}

const char *
dsvc_timeliness(const struct store_dossier *d, int64_t now)
{
	enum dfsm_state s;
	if (dfsm_state_from_code(d->status, &s) != 0)
		return NULL;
	const struct dfsm_state_info *si = dfsm_state_info(s);
	if (!si->counts_for_timeliness || !d->due_at)
		return NULL;
	/* DOMAIN decision 6: an apology moves the appointment, never the
	 * legal due instant — a dossier finished after it is late. */
	if (d->finished_at)
		return dl_timeliness_code(dl_timeliness(d->due_at, 1, d->finished_at));
	/* waiting on the applicant: the clock is stopped at paused_at */
	return dl_timeliness_code(dl_timeliness(d->due_at, 0, d->paused_at ? d->paused_at : now));
}

const char *
dsvc_timeliness_label(const char *code)
{
	static const struct {
		const char *code, *label;
	} t[] = {
		{"early", "Trước hạn"}, {"on_time", "Đúng hạn"}, {"late", "Trễ hạn"},
		{"in_time", "Trong hạn"}, {"overdue", "Quá hạn"},
	};
	for (size_t i = 0; code && i < sizeof t / sizeof t[0]; i++)
		if (strcmp(code, t[i].code) == 0)
			return t[i].label;
	return "";
}

static json_t *
instant(int64_t t)
{
	if (!t)
		return json_null();
	char b[DL_RFC3339_MAX];
	dl_format_rfc3339(t, b, sizeof b);
	return json_string(b);
}

json_t *
dsvc_json(const struct store_dossier *d, int64_t now)
{
	json_error_t je;
	json_t *applicant = json_loads(d->applicant, 0, &je);
	json_t *docs = json_loads(d->documents, 0, &je);
	enum dfsm_state s;
	const struct dfsm_state_info *si = dfsm_state_from_code(d->status, &s) == 0 ? dfsm_state_info(s) : NULL;
	enum dfsm_stage sg = DFSM_STAGE_NONE;
	if (d->stage[0])
		dfsm_stage_from_code(d->stage, &sg);
	const char *tl = dsvc_timeliness(d, now);
	json_t *out = json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:I,s:s}",
	    "code", d->code, "status", d->status, "national_status", si ? si->national : 0,
	    "status_label", si ? si->label : "", "stage", d->stage, "stage_label",
	    dfsm_stage_info(sg) ? dfsm_stage_info(sg)->label : "", "procedure_code",
	    d->procedure_code, "procedure_name", d->procedure_name, "channel", d->channel,
	    "applicant", applicant ? applicant : json_object(), "documents",
	    docs ? docs : json_array(), "note", d->note, "fee", (json_int_t)d->fee, "unit", d->unit);
	if (!out)
		return NULL;
	json_object_set_new(out, "received_at", instant(d->received_at));
	json_object_set_new(out, "due_at", instant(d->due_at));
	json_object_set_new(out, "paused_at", instant(d->paused_at));
	json_object_set_new(out, "appointment_at", instant(d->appointment_at));
	json_object_set_new(out, "finished_at", instant(d->finished_at));
	json_object_set_new(out, "timeliness", tl ? json_string(tl) : json_null());
	json_object_set_new(out, "assignee", d->assignee ? json_integer(d->assignee) : json_null());
	json_object_set_new(out, "received_by", json_string(d->received_by));
	json_object_set_new(out, "version", json_integer(d->version));
	return out;
}

static int
event_json(const struct store_dossier_event *ev, void *arg)
{
	json_error_t je;
	json_t *det = json_loads(ev->details, 0, &je);
	json_t *o = json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:o}", "at", instant(ev->at), "actor",
	                      ev->actor, "action", ev->action, "from", ev->from, "to", ev->to, "note",
	                      ev->note, "details", det ? det : json_object());
	if (o && ev->step_due)
		json_object_set_new(o, "step_due", instant(ev->step_due));
	json_array_append_new(arg, o);
	return 0;
}

enum err
api_dossier_get(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_dossier d;
	enum err e = store_dossier_get(app->st, http_param(req, 0), &d);
	if (e)
		return e;
	json_t *out = dsvc_json(&d, (int64_t)time(NULL));
	json_t *events = json_array();
	e = store_dossier_events(app->st, d.code, event_json, events);
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

/* GET /api/v1/dossiers?q=&status=&from=&to=&assignee=&overdue=&limit=&offset= */
struct list_ctx {
	json_t *items;
	int64_t now;
};

static int
list_item(const struct store_dossier *d, void *arg)
{
	struct list_ctx *c = arg;
	json_t *o = dsvc_json(d, c->now);
	if (o) {
		json_object_del(o, "documents");
		json_array_append_new(c->items, o);
	}
	return 0;
}

/* Fills q from a search text: a dossier code, a 12-digit ID, a phone
 * number or part of a name (tones and case ignored).  key and ph are the
 * caller's buffers; *fold is malloc'd (free it). */
void
dsvc_query_text(const char *text, struct store_dossier_query *q, char *ph, size_t phn, char **fold)
{
	*fold = NULL;
	if (!text || !*text)
		return;
	q->code = text;
	size_t n = strlen(text), digits = 0;
	for (size_t i = 0; i < n; i++)
		digits += text[i] >= '0' && text[i] <= '9';
	if (digits == n && n == 12)
		q->id_number = text;
	if (ident_phone_normalize(text, ph, phn) == IDENT_OK)
		q->phone = ph;
	/* a whole dossier code, or text without letters (an ID, a phone),
	 * is looked up through the indexes; only a name part scans names */
	struct ident_dossier_code dc;
	if (ident_dossier_code_parse(text, &dc) == IDENT_OK)
		return;
	int letters = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		letters |= (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p >= 0x80;
	*fold = letters ? text_fold(text) : NULL;
	if (*fold && **fold)
		q->name_key = *fold;
}

/* Parses a YYYY-MM-DD local date into the instant its day starts. */
static int
day_start(const char *s, int64_t *out)
{
	cal_day d;
	if (cal_parse_ymd(s, &d) != 0)
		return -1;
	*out = dl_instant(d, 0);
	return 0;
}

enum err
api_dossiers_list(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_dossier_query q = {0};
	const char *v;
	long n;
	char ph[IDENT_PHONE_SIZE];
	char *fold = NULL;
	if ((v = form_get(&req->query, "status")) && *v) {
		enum dfsm_state s;
		char one[40];
		const char *p = v;
		while (*p) {
			size_t k = strcspn(p, ",");
			snprintf(one, sizeof one, "%.*s", (int)(k < 39 ? k : 39), p);
			if (k >= 39 || dfsm_state_from_code(one, &s) != 0)
				return bad(req, resp, ERR_INVALID_FIELD, "status: mã trạng thái không tồn tại");
			p += k + (p[k] == ',');
		}
		q.statuses = v;
	}
	if ((v = form_get(&req->query, "from")) && *v && day_start(v, &q.from) != 0)
		return bad(req, resp, ERR_BAD_DATE, "from: ngày dạng YYYY-MM-DD");
	if ((v = form_get(&req->query, "to")) && *v) {
		if (day_start(v, &q.to) != 0)
			return bad(req, resp, ERR_BAD_DATE, "to: ngày dạng YYYY-MM-DD");
		q.to += 86400;
	}
	if ((v = form_get(&req->query, "assignee")) && *v) {
		if (web_parse_int(v, 1, 1000000000, &n) != 0)
			return bad(req, resp, ERR_INVALID_FIELD, "assignee: mã người dùng");
		q.assignee = n;
	}
	q.limit = 50;
	if ((v = form_get(&req->query, "limit")) && *v) {
		if (web_parse_int(v, 1, 500, &n) != 0)
			return bad(req, resp, ERR_INVALID_FIELD, "limit: từ 1 đến 500");
		q.limit = (int)n;
	}
	if ((v = form_get(&req->query, "offset")) && *v) {
		if (web_parse_int(v, 0, 1000000, &n) != 0)
			return bad(req, resp, ERR_INVALID_FIELD, "offset: từ 0");
		q.offset = (int)n;
	}
	int64_t now = (int64_t)time(NULL);
	if ((v = form_get(&req->query, "overdue")) && strcmp(v, "true") == 0) {
		q.due_before = now;
		if (!q.statuses)
			q.statuses = DSVC_PENDING;
		q.by_due = 1;
	}
	v = form_get(&req->query, "q");
	if (v && strlen(v) > 200)
		return bad(req, resp, ERR_INVALID_FIELD, "q: tối đa 200 ký tự");
	dsvc_query_text(v, &q, ph, sizeof ph, &fold);
	struct list_ctx c = {json_array(), now};
	int64_t total = 0;
	enum err e = store_dossier_list(app->st, &q, list_item, &c, &total);
	free(fold);
	if (e) {
		json_decref(c.items);
		return e;
	}
	http_json(resp, 200, json_pack("{s:o,s:I,s:i,s:i}", "items", c.items, "total",
	                               (json_int_t)total, "limit", q.limit, "offset", q.offset));
	return ERR_OK;
}

/* ---- actions ------------------------------------------------------------ */

static enum err
fsm_err(int rc)
{
	switch (rc) {
	case DFSM_E_STATE:
		return ERR_DOSSIER_STATE;
	case DFSM_E_ROLE:
		return ERR_FORBIDDEN;
	case DFSM_E_LATE:
		return ERR_DOSSIER_LATE;
	case DFSM_E_REASON:
		return ERR_DOSSIER_REASON;
	default:
		return ERR_INVALID_FIELD;
	}
}

static const char *
fsm_detail(int rc, enum dfsm_action a)
{
	if (rc != DFSM_E_ARGS)
		return NULL;
	switch (a) {
	case DFSM_A_ASSIGN:
	case DFSM_A_FORWARD:
		return "assignee: chọn cán bộ hoặc đơn vị nhận hồ sơ";
	case DFSM_A_APOLOGIZE:
		return "new_date: ngày hẹn mới phải sau ngày hẹn hiện tại";
	case DFSM_A_RETURN:
		return "recipient: ghi họ tên và số giấy tờ của người nhận kết quả";
	default:
		return "thiếu thông tin cho thao tác này";
	}
}

enum err
dsvc_act(struct http_req *req, const char *code, json_t *body, json_t **reply, char *detail,
         size_t dlen)
{
	struct web_app *app = req->app;
	const char *action = NULL, *note = NULL, *new_date = NULL, *recipient = NULL, *recipient_id = NULL;
	const char *unit = NULL;
	json_int_t assignee = 0, step_days = -1, expected = 0;
	struct jspec spec[] = {
		JSPEC_STRING("action", &action, JSPEC_REQUIRED, 1, 40),
		JSPEC_STRING("note", &note, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_INT("assignee", &assignee, JSPEC_OPTIONAL, 1, 1000000000),
		JSPEC_STRING("unit", &unit, JSPEC_OPTIONAL, 1, 200),
		JSPEC_INT("step_days", &step_days, JSPEC_OPTIONAL, 0, 365),
		JSPEC_STRING("new_date", &new_date, JSPEC_OPTIONAL, 10, 40),
		JSPEC_STRING("recipient", &recipient, JSPEC_OPTIONAL, 1, 200),
		JSPEC_STRING("recipient_id", &recipient_id, JSPEC_OPTIONAL, 1, 40),
		JSPEC_INT("expected_version", &expected, JSPEC_OPTIONAL, 1, INT64_MAX),
		JSPEC_END,
	};
	detail[0] = 0;
	enum err e = jspec_read(body, spec, detail, dlen);
	if (e)
		return e;
	enum dfsm_action act;
	if (dfsm_action_from_name(action, &act) != 0)
		return fail(detail, dlen, ERR_INVALID_FIELD, "action: thao tác không tồn tại");
	struct store_dossier sd;
	e = store_dossier_get(app->st, code, &sd);
	if (e)
		return e;
	struct dfsm_dossier fd;
	if (dsvc_fsm_view(&sd, &fd) != 0) {
		store_dossier_free(&sd);
		return ERR_INTERNAL;
	}
	if (expected && expected != sd.version) {
		store_dossier_free(&sd);
		return ERR_CONFLICT;
	}
	int64_t now = (int64_t)time(NULL), nd = 0;
	if (new_date) {
		/* a date alone means the end of that day's office hours */
		cal_day day;
		if (strlen(new_date) == 10 && cal_parse_ymd(new_date, &day) == 0)
			nd = dl_instant(day, 17 * 60);
		else if (dl_parse_rfc3339(new_date, &nd) != 0) {
			store_dossier_free(&sd);
			return fail(detail, dlen, ERR_BAD_TIME, "new_date: ngày YYYY-MM-DD hoặc thời điểm RFC 3339");
		}
	}
	char assignee_name[256] = "", unit_buf[256];
	if (assignee) {
		struct store_user u;
		if (store_user_by_id(app->st, assignee, &u) != ERR_OK || !u.active ||
		    !(role_from_name(u.role) & (ROLE_OFFICER | ROLE_LEADER | ROLE_CLERK))) {
			store_dossier_free(&sd);
			return fail(detail, dlen, ERR_INVALID_FIELD, "assignee: không có cán bộ đang làm việc với mã này");
		}
		snprintf(assignee_name, sizeof assignee_name, "%s", u.full_name[0] ? u.full_name : u.username);
		if (!unit && u.unit[0]) {
			/* the dossier moves to the person's unit (its queue) */
			snprintf(unit_buf, sizeof unit_buf, "%s", u.unit);
			unit = unit_buf;
		}
	}
	struct dfsm_args args = {.reason = note, .assignee = assignee, .unit = unit ? 1 : 0,
	                         .new_date = nd, .recipient = recipient, .recipient_id = recipient_id};
	struct dfsm_result out;
	int rc = dfsm_apply(&fd, act, web_user(req)->role, now, &args, &out);
	if (rc != DFSM_OK) {
		store_dossier_free(&sd);
		const char *why = fsm_detail(rc, act);
		if (why)
			snprintf(detail, dlen, "%s", why);
		return fsm_err(rc);
	}
	/* the legal clock (DOMAIN decision 5): a pause moves the due instant
	 * by exactly the office time it lasted */
	int64_t due = sd.due_at, paused = sd.paused_at, finished = sd.finished_at, step_due = 0;
	struct calsnap *cs = NULL;
	int y, m, d;
	cal_ymd(dl_local_day(paused ? paused : now), &y, &m, &d);
	if ((e = cal_for(app, y, CAL_DUE_SPAN, &cs)) != ERR_OK) {
		store_dossier_free(&sd);
		return e;
	}
	if (out.clock == DFSM_CLOCK_START) {
		/* decision 4: the clock starts when the desk accepts, under the
		 * procedure version the dossier was submitted for */
		struct store_proc sp;
		if ((e = store_proc_version(app->st, sd.procedure_version_id, &sp)) == ERR_OK) {
			json_t *proc = catalog_object(&sp);
			store_proc_free(&sp);
			cal_release(app, cs);
			cs = NULL;
			e = proc ? due_for(app, proc, now, &due) : ERR_NOMEM;
			json_decref(proc);
		}
	} else if (out.clock == DFSM_CLOCK_PAUSE) {
		if (due)   /* a clock not started yet has nothing to pause */
			paused = now;
	} else if (out.clock == DFSM_CLOCK_RESUME && paused) {
		if (dl_resume(&cs->cal, &cs->hours, due, paused, now, &due) != DL_OK)
			e = ERR_OUT_OF_RANGE;
		paused = 0;
	} else if (out.clock == DFSM_CLOCK_STOP) {
		finished = now;
		paused = 0;
	}
	/* a hand-over's own budget: step_days working days from now, else
	 * the dossier's due instant */
	if (!e && (act == DFSM_A_ASSIGN || act == DFSM_A_FORWARD || act == DFSM_A_SUBMIT_FOR_APPROVAL ||
	           act == DFSM_A_SEND_BACK)) {
		step_due = due;
		if (step_days >= 0 && dl_due(&cs->cal, &cs->hours, now, (int)step_days, step_days == 0,
		                             24 * 60, &step_due) != DL_OK)
			e = ERR_OUT_OF_RANGE;
		if (!e && step_due > due)
			step_due = due;
	}
	if (cs)
		cal_release(app, cs);
	if (e) {
		store_dossier_free(&sd);
		return e;
	}
	json_t *det = json_object();
	if (assignee) {
		json_object_set_new(det, "assignee", json_integer(assignee));
		json_object_set_new(det, "assignee_name", json_string(assignee_name));
	}
	if (unit)
		json_object_set_new(det, "unit", json_string(unit));
	if (nd)
		json_object_set_new(det, "new_date", instant(nd));
	if (recipient)
		json_object_set_new(det, "recipient", json_string(recipient));
	if (recipient_id)
		json_object_set_new(det, "recipient_id", json_string(recipient_id));
	if (due != sd.due_at) {
		json_object_set_new(det, "due_before", instant(sd.due_at));
		json_object_set_new(det, "due_at", instant(due));
	}
	char *dets = json_dumps(det, JSON_COMPACT);
	json_decref(det);
	const struct dfsm_state_info *si = dfsm_state_info(out.state);
	int waiting = out.state == DFSM_S_WAITING_SUPPLEMENT || out.state == DFSM_S_WAITING_PAYMENT;
	struct store_dossier_change ch = {
		.expected_version = sd.version, .action = action, .from_status = sd.status,
		.status = si->code, .stage = dfsm_stage_info(out.stage)->code,
		.resume_state = waiting ? dfsm_state_info(out.resume_state)->code : "",
		.resume_stage = waiting ? dfsm_stage_info(out.resume_stage)->code : "",
		.note = note, .details = dets, .event = out.event, .due_at = due, .paused_at = paused,
		.appointment_at = act == DFSM_A_APOLOGIZE ? nd : sd.appointment_at, .finished_at = finished,
		.assignee = assignee ? assignee : sd.assignee, .unit = unit, .step_due = step_due, .at = now,
	};
	char actor[96];
	web_actor(req, actor, sizeof actor);
	e = dets ? store_dossier_apply(app->st, actor, sd.code, &ch) : ERR_NOMEM;
	free(dets);
	char dcode[64];
	snprintf(dcode, sizeof dcode, "%s", sd.code);
	int64_t version = sd.version + 1;
	store_dossier_free(&sd);
	if (e)
		return e;
	json_t *o = json_pack("{s:s,s:s,s:i,s:s,s:s,s:o,s:I}", "code", dcode, "status", si->code,
	                      "national_status", si->national, "status_label", si->label, "stage",
	                      dfsm_stage_info(out.stage)->code, "due_at", instant(due), "version",
	                      (json_int_t)version);
	if (o && ch.appointment_at)
		json_object_set_new(o, "appointment_at", instant(ch.appointment_at));
	*reply = o;
	return o ? ERR_OK : ERR_NOMEM;
}

enum err
api_dossier_action(struct http_req *req, struct http_resp *resp)
{
	char detail[400] = "";
	json_t *out = NULL;
	enum err e = dsvc_act(req, http_param(req, 0), req->json, &out, detail, sizeof detail);
	if (e)
		return bad(req, resp, e, detail[0] ? detail : NULL);
	http_json(resp, 200, out);
	return ERR_OK;
}

/* ---- attachments -------------------------------------------------------- */

/* The type by the first bytes, never by the name or the browser's word. */
static const char *
sniff(const unsigned char *p, size_t n)
{
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "image/jpeg";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	return NULL;
}

enum err
dsvc_attach(struct http_req *req, const char *code, const char *name, const unsigned char *data,
            size_t len, char *detail, size_t dlen)
{
	struct web_app *app = req->app;
	detail[0] = 0;
	if (!len)
		return fail(detail, dlen, ERR_INVALID_FIELD, "file: chưa chọn tệp");
	if (len > DSVC_MAX_ATTACHMENT)
		return fail(detail, dlen, ERR_INVALID_FIELD, "file: tệp lớn hơn 10 MB");
	const char *mime = sniff(data, len);
	if (!mime)
		return fail(detail, dlen, ERR_UNSUPPORTED_MEDIA, "file: chỉ nhận bản quét PDF, JPEG hoặc PNG");
	struct store_dossier sd;
	enum err e = store_dossier_get(app->st, code, &sd);
	if (e)
		return e;
	store_dossier_free(&sd);
	struct store_attachment a = {.size = (int64_t)len, .at = (int64_t)time(NULL)};
	/* the shown name: the file's name without any folder, at most 200 bytes */
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	if (!*base)
		base = "tep-dinh-kem";
	enum err ne;
	char *nfc = text_nfc(base, strlen(base), &ne);
	snprintf(a.name, sizeof a.name, "%.200s", nfc ? nfc : "tep-dinh-kem");
	free(nfc);
	snprintf(a.mime, sizeof a.mime, "%s", mime);
	if ((e = store_file_put(app->st, data, len, a.sha256)) != ERR_OK)
		return e;
	char actor[96];
	web_actor(req, actor, sizeof actor);
	e = store_attachment_add(app->st, actor, code, &a);
	if (e == ERR_EXISTS)
		return fail(detail, dlen, ERR_EXISTS, "file: hồ sơ đã có tệp này");
	return e;
}

/* ---- public lookup ------------------------------------------------------- */

/* GET /api/v1/lookup/{code}?phone=… (or ?id4= the last four digits of the
 * ID): a code alone reveals nothing; a wrong phone and an unknown code get
 * the same 404. */
enum err
api_lookup(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *phone = form_get(&req->query, "phone");
	const char *id4 = form_get(&req->query, "id4");
	struct store_dossier sd;
	enum err e = store_dossier_get(app->st, http_param(req, 0), &sd);
	if (e && e != ERR_NOT_FOUND)
		return e;
	int ok = 0;
	if (!e) {
		if (phone && sd.phone[0])
			ok = ident_phone_same(phone, sd.phone) == 1;
		size_t n = strlen(sd.id_number);
		if (!ok && id4 && strlen(id4) == 4 && n == 12)
			ok = memcmp(sd.id_number + 8, id4, 4) == 0;
	}
	if (!ok) {
		if (!e)
			store_dossier_free(&sd);
		return ERR_NOT_FOUND;
	}
	enum dfsm_state s;
	const struct dfsm_state_info *si = dfsm_state_from_code(sd.status, &s) == 0 ? dfsm_state_info(s) : NULL;
	char rat[DL_RFC3339_MAX], dat[DL_RFC3339_MAX], aat[DL_RFC3339_MAX] = "";
	dl_format_rfc3339(sd.received_at, rat, sizeof rat);
	dl_format_rfc3339(sd.due_at, dat, sizeof dat);
	if (sd.appointment_at)
		dl_format_rfc3339(sd.appointment_at, aat, sizeof aat);
	json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:s}", "code", sd.code, "procedure_code",
	                      sd.procedure_code, "status", sd.status, "national_status",
	                      si ? si->national : 0, "status_label", si ? si->public_label : "",
	                      "received_at", rat, "due_at", dat);
	if (aat[0])
		json_object_set_new(o, "appointment_at", json_string(aat));
	char level[24];
	e = store_rating_get(app->st, sd.code, level, sizeof level);
	store_dossier_free(&sd);
	if (e && e != ERR_NOT_FOUND) {
		json_decref(o);
		return e;
	}
	json_object_set_new(o, "rating", e ? json_null() : json_string(level));
	http_json(resp, 200, o);
	return ERR_OK;
}

/* GET /api/v1/ratings?from=YYYY-MM-DD&to=YYYY-MM-DD (both days included,
 * UTC+7; default the last 30 days): how applicants rated the service. */
enum err
api_ratings(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *from = form_get(&req->query, "from"), *to = form_get(&req->query, "to");
	int64_t now = (int64_t)time(NULL), f = now - 30 * 86400, t = now + 1;
	if (from && day_start(from, &f) != 0)
		return bad(req, resp, ERR_BAD_DATE, "from: YYYY-MM-DD");
	if (to && day_start(to, &t) != 0)
		return bad(req, resp, ERR_BAD_DATE, "to: YYYY-MM-DD");
	if (to)
		t += 86400;
	if (t <= f)
		return bad(req, resp, ERR_OUT_OF_RANGE, "to: không trước from");
	int64_t c[3];
	enum err e = store_rating_counts(app->st, f, t, c);
	if (e)
		return e;
	int64_t total = c[0] + c[1] + c[2];
	char fs[DL_RFC3339_MAX], ts[DL_RFC3339_MAX];
	dl_format_rfc3339(f, fs, sizeof fs);
	dl_format_rfc3339(t, ts, sizeof ts);
	json_t *o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:o}", "from", fs, "until", ts, "very_satisfied",
	                      (json_int_t)c[0], "satisfied", (json_int_t)c[1], "unsatisfied", (json_int_t)c[2],
	                      "total", (json_int_t)total, "satisfied_share",
	                      total ? json_real((double)(c[0] + c[1]) / (double)total) : json_null());
	http_json(resp, 200, o);
	return ERR_OK;
}
