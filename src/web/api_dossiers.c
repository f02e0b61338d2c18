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
#include "core/ident.h"
#include "core/text.h"
#include "http/jspec.h"
#include "web/calendar_svc.h"
#include "web/catalog_io.h"
#include "web/web.h"

static const char *const channels[] = {"counter", "online", "post", NULL};
static const char *const sexes[] = {"male", "female", NULL};
static const char *const forms[] = {"original", "copy", "present", "either", NULL};

static enum err
bad(struct http_req *req, struct http_resp *resp, enum err e, const char *detail)
{
	http_error(req, resp, e, detail);
	return ERR_OK;
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

enum err
api_dossier_create(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *pcode = NULL, *note = "";
	int channel = 0, sex = -1;
	json_t *docs = NULL;
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
		JSPEC_ARRAY("documents", &docs, JSPEC_OPTIONAL, 0, 100),
		JSPEC_STRING("note", &note, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_END,
	};
	char detail[300] = "";
	enum err e = jspec_read(req->json, spec, detail, sizeof detail);
	if (e)
		return bad(req, resp, e, detail);
	/* the applicant */
	int birth_year = 0;
	cal_day dob_day;
	if (dob) {
		int y, m, d;
		if (cal_parse_ymd(dob, &dob_day) != 0)
			return bad(req, resp, ERR_BAD_DATE, "applicant.date_of_birth: ngày dạng YYYY-MM-DD");
		cal_ymd(dob_day, &y, &m, &d);
		birth_year = y;
	}
	if (idn) {
		char why[200];
		if (ident_pid_check(idn, birth_year, sex < 0 ? 0 : sex + 1, why, sizeof why) != IDENT_OK)
			return bad(req, resp, ERR_BAD_ID_NUMBER, why);
	}
	char ph[IDENT_PHONE_SIZE] = "";
	if (phone && ident_phone_normalize(phone, ph, sizeof ph) != IDENT_OK)
		return bad(req, resp, ERR_BAD_PHONE, "applicant.phone: số di động 10 chữ số (0912345678, +84 912 345 678) hoặc số cố định");
	if (email && !strchr(email, '@'))
		return bad(req, resp, ERR_INVALID_FIELD, "applicant.email: địa chỉ thư điện tử không hợp lệ");
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
		if ((e = jspec_read_path(v, ds, path, detail, sizeof detail)) != ERR_OK) {
			json_decref(checklist);
			return bad(req, resp, e, detail);
		}
		json_array_append_new(checklist, json_pack("{s:s,s:b,s:s,s:I}", "name", dn, "received",
		                                           received, "form", forms[form], "count", count));
	}
	/* the procedure, as published now */
	struct store_proc sp;
	e = store_proc_get(app->st, pcode, 1, &sp);
	if (e) {
		json_decref(checklist);
		return bad(req, resp, e == ERR_NOT_FOUND ? ERR_PROCEDURE_UNKNOWN : e, "procedure_code");
	}
	json_t *proc = catalog_object(&sp);
	int64_t version_id = sp.version_id;
	int version = sp.version;
	store_proc_free(&sp);
	int64_t now = (int64_t)time(NULL), due = 0;
	e = proc ? due_for(app, proc, now, &due) : ERR_INTERNAL;
	json_decref(proc);
	if (e) {
		json_decref(checklist);
		return bad(req, resp, e, NULL);
	}
	json_t *app_json = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:s}", "name", name,
	    "id_number", idn ? json_string(idn) : json_null(),
	    "date_of_birth", dob ? json_string(dob) : json_null(),
	    "sex", sex >= 0 ? json_string(sexes[sex]) : json_null(),
	    "phone", ph[0] ? json_string(ph) : json_null(),
	    "email", email ? json_string(email) : json_null(), "address", addr ? addr : "");
	char *app_s = json_dumps(app_json, JSON_COMPACT);
	char *docs_s = json_dumps(checklist, JSON_COMPACT);
	char *key = text_fold(name);
	json_decref(app_json);
	json_decref(checklist);
	int y, m, d;
	cal_ymd(dl_local_day(now), &y, &m, &d);
	struct store_dossier_in in = {
		.agency = app->agency.code, .yy = y % 100, .mm = m, .dd = d,
		.procedure_version_id = version_id, .procedure_code = pcode, .channel = channels[channel],
		.applicant = app_s, .applicant_name = name, .applicant_key = key ? key : "",
		.id_number = idn, .phone = ph, .documents = docs_s, .note = note,
		.status = dfsm_state_info(DFSM_S_RECEIVED)->code, .stage = "",
		.received_at = now, .due_at = due,
	};
	char code[96], actor[96];
	web_actor(req, actor, sizeof actor);
	e = (app_s && docs_s) ? store_dossier_create(app->st, actor, &in, code, sizeof code) : ERR_NOMEM;
	free(app_s);
	free(docs_s);
	free(key);
	if (e)
		return e;
	char rat[DL_RFC3339_MAX], dat[DL_RFC3339_MAX];
	dl_format_rfc3339(now, rat, sizeof rat);
	dl_format_rfc3339(due, dat, sizeof dat);
	char loc[160];
	snprintf(loc, sizeof loc, "/api/v1/dossiers/%s", code);
	http_resp_header(resp, "Location", loc);
	http_json(resp, 201, json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:i}", "code", code, "status",
	                               in.status, "national_status", dfsm_national_code(DFSM_S_RECEIVED),
	                               "received_at", rat, "due_at", dat, "procedure_code", pcode,
	                               "procedure_version", version));
	return ERR_OK;
}

enum err
api_dossier_get(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_dossier d;
	enum err e = store_dossier_get(app->st, http_param(req, 0), &d);
	if (e)
		return e;
	json_error_t je;
	json_t *applicant = json_loads(d.applicant, 0, &je);
	json_t *docs = json_loads(d.documents, 0, &je);
	char rat[DL_RFC3339_MAX], dat[DL_RFC3339_MAX];
	dl_format_rfc3339(d.received_at, rat, sizeof rat);
	dl_format_rfc3339(d.due_at, dat, sizeof dat);
	enum dfsm_state s;
	int national = dfsm_state_from_code(d.status, &s) == 0 ? dfsm_national_code(s) : 0;
	json_t *out = json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s}", "code", d.code,
	    "status", d.status, "national_status", national, "stage", d.stage, "procedure_code",
	    d.procedure_code, "channel", d.channel, "applicant", applicant ? applicant : json_null(),
	    "documents", docs ? docs : json_array(), "note", d.note, "received_at", rat, "due_at", dat);
	json_object_set_new(out, "received_by", json_string(d.received_by));
	store_dossier_free(&d);
	http_json(resp, 200, out);
	return ERR_OK;
}

/* ---- actions ------------------------------------------------------------ */

/* The FSM's view of a stored dossier. */
static int
fsm_view(const struct store_dossier *sd, struct dfsm_dossier *out)
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

enum err
api_dossier_action(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *action = NULL, *note = NULL, *new_date = NULL, *recipient = NULL, *recipient_id = NULL;
	const char *unit = NULL;
	json_int_t assignee = 0;
	struct jspec spec[] = {
		JSPEC_STRING("action", &action, JSPEC_REQUIRED, 1, 40),
		JSPEC_STRING("note", &note, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_INT("assignee", &assignee, JSPEC_OPTIONAL, 1, 1000000000),
		JSPEC_STRING("unit", &unit, JSPEC_OPTIONAL, 1, 200),
		JSPEC_STRING("new_date", &new_date, JSPEC_OPTIONAL, 20, 40),
		JSPEC_STRING("recipient", &recipient, JSPEC_OPTIONAL, 1, 200),
		JSPEC_STRING("recipient_id", &recipient_id, JSPEC_OPTIONAL, 1, 40),
		JSPEC_END,
	};
	char detail[300] = "";
	enum err e = jspec_read(req->json, spec, detail, sizeof detail);
	if (e)
		return bad(req, resp, e, detail);
	enum dfsm_action act;
	if (dfsm_action_from_name(action, &act) != 0)
		return bad(req, resp, ERR_INVALID_FIELD, "action: thao tác không tồn tại");
	struct store_dossier sd;
	e = store_dossier_get(app->st, http_param(req, 0), &sd);
	if (e)
		return e;
	struct dfsm_dossier fd;
	if (fsm_view(&sd, &fd) != 0) {
		store_dossier_free(&sd);
		return ERR_INTERNAL;
	}
	int64_t now = (int64_t)time(NULL), nd = 0;
	if (new_date && dl_parse_rfc3339(new_date, &nd) != 0) {
		store_dossier_free(&sd);
		return bad(req, resp, ERR_BAD_TIME, "new_date: thời điểm RFC 3339");
	}
	struct dfsm_args args = {.reason = note, .assignee = assignee, .unit = unit ? 1 : 0,
	                         .new_date = nd, .recipient = recipient, .recipient_id = recipient_id};
	struct dfsm_result out;
	int rc = dfsm_apply(&fd, act, web_user(req)->role, now, &args, &out);
	if (rc != DFSM_OK) {
		store_dossier_free(&sd);
		return bad(req, resp, fsm_err(rc), NULL);
	}
	/* the legal clock (DOMAIN decision 5): a pause moves the due instant
	 * by exactly the office time it lasted */
	int64_t due = sd.due_at, paused = sd.paused_at, finished = sd.finished_at;
	if (out.clock == DFSM_CLOCK_PAUSE) {
		paused = now;
	} else if (out.clock == DFSM_CLOCK_RESUME && paused) {
		int y, m, d;
		cal_ymd(dl_local_day(paused), &y, &m, &d);
		struct calsnap *cs;
		if ((e = cal_for(app, y, CAL_DUE_SPAN, &cs)) == ERR_OK) {
			if (dl_resume(&cs->cal, &cs->hours, due, paused, now, &due) != DL_OK)
				e = ERR_OUT_OF_RANGE;
			cal_release(app, cs);
		}
		if (e) {
			store_dossier_free(&sd);
			return e;
		}
		paused = 0;
	} else if (out.clock == DFSM_CLOCK_STOP) {
		finished = now;
		paused = 0;
	}
	json_t *det = json_object();
	if (assignee)
		json_object_set_new(det, "assignee", json_integer(assignee));
	if (unit)
		json_object_set_new(det, "unit", json_string(unit));
	if (nd)
		json_object_set_new(det, "new_date", json_string(new_date));
	if (recipient)
		json_object_set_new(det, "recipient", json_string(recipient));
	if (recipient_id) {
		char masked[32];
		json_object_set_new(det, "recipient_id", json_string(recipient_id));
		(void)masked;
	}
	if (due != sd.due_at)
		json_object_set_new(det, "due_at", json_integer(due));
	char *dets = json_dumps(det, JSON_COMPACT);
	json_decref(det);
	const struct dfsm_state_info *si = dfsm_state_info(out.state);
	struct store_dossier_change ch = {
		.expected_version = sd.version, .action = action, .from_status = sd.status,
		.status = si->code, .stage = dfsm_stage_info(out.stage)->code,
		.resume_state = (out.state == DFSM_S_WAITING_SUPPLEMENT || out.state == DFSM_S_WAITING_PAYMENT)
		                    ? dfsm_state_info(out.resume_state)->code : "",
		.resume_stage = (out.state == DFSM_S_WAITING_SUPPLEMENT || out.state == DFSM_S_WAITING_PAYMENT)
		                    ? dfsm_stage_info(out.resume_stage)->code : "",
		.note = note, .details = dets, .event = out.event, .due_at = due, .paused_at = paused,
		.appointment_at = act == DFSM_A_APOLOGIZE ? nd : sd.appointment_at, .finished_at = finished,
		.assignee = assignee ? assignee : sd.assignee, .at = now,
	};
	char actor[96];
	web_actor(req, actor, sizeof actor);
	e = store_dossier_apply(app->st, actor, sd.code, &ch);
	free(dets);
	char code[64];
	snprintf(code, sizeof code, "%s", sd.code);
	store_dossier_free(&sd);
	if (e)
		return e;
	char dat[DL_RFC3339_MAX];
	dl_format_rfc3339(due, dat, sizeof dat);
	http_json(resp, 200, json_pack("{s:s,s:s,s:i,s:s,s:s}", "code", code, "status", si->code,
	                               "national_status", si->national, "stage",
	                               dfsm_stage_info(out.stage)->code, "due_at", dat));
	return ERR_OK;
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
	store_dossier_free(&sd);
	http_json(resp, 200, o);
	return ERR_OK;
}
