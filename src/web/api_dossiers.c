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
