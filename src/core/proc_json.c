/*
 * proc_json.c — see proc_json.h.  Types and lengths are declared with
 * jspec (core/jspec.h), so a wrong member reads as it always has
 * (`Trường "documents[2].form": phải là một trong các giá trị: …`); the
 * rules across fields are proc_check's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/deadline.h"
#include "core/jspec.h"
#include "core/proc_json.h"

/* A procedure as jspec reads it: strings borrowed from the tree. */
struct proc_read {
	const char *code, *name, *field, *agency, *level;
	const char *tl_text, *cutoff, *fee_text, *fee_ex;
	const char *result, *pub_dec, *pub_date, *sources;
	json_int_t days, amount;
	int same_day, kind, online, status, conf;
	json_t *docs, *steps, *basis, *verify;
};

/* jspec's detail into a problem: the path is the text between the first
 * two quotes of `Trường "path": …`. */
static enum err
from_detail(enum err e, const char *detail, struct proc_problem *pb)
{
	if (!pb)
		return e;
	snprintf(pb->msg, sizeof pb->msg, "%s", detail);
	const char *a = strchr(detail, '"'), *b = a ? strchr(a + 1, '"') : NULL;
	int n = b ? (int)(b - a - 1) : 0;
	snprintf(pb->field, sizeof pb->field, "%.*s", n, n ? a + 1 : "");
	return e;
}

static enum err
read_fields(json_t *in, struct proc_read *r, char *detail, size_t dlen)
{
	*r = (struct proc_read){.agency = "", .level = "", .tl_text = "", .fee_text = "", .fee_ex = "",
	                        .sources = "", .days = PROC_NONE, .amount = PROC_NONE, .kind = PROC_NONE,
	                        .online = PROC_NONE, .conf = PROC_NONE};
	struct jspec tl[] = {
		JSPEC_INT("days", &r->days, JSPEC_OPTIONAL, 0, DL_MAX_DAYS),
		JSPEC_BOOL("same_day", &r->same_day, JSPEC_OPTIONAL),
		JSPEC_STRING("cutoff", &r->cutoff, JSPEC_OPTIONAL, 5, 5),
		JSPEC_STRING("text", &r->tl_text, JSPEC_OPTIONAL, 0, PROC_TEXT_MAX),
		JSPEC_END,
	};
	struct jspec fee[] = {
		JSPEC_INT("amount", &r->amount, JSPEC_OPTIONAL, 0, PROC_FEE_MAX),
		JSPEC_STRING("text", &r->fee_text, JSPEC_OPTIONAL, 0, PROC_TEXT_MAX),
		JSPEC_STRING("exemptions", &r->fee_ex, JSPEC_OPTIONAL, 0, PROC_TEXT_MAX),
		JSPEC_END,
	};
	struct jspec pub[] = {
		JSPEC_STRING("decision", &r->pub_dec, JSPEC_OPTIONAL, 1, PROC_DECISION_MAX),
		JSPEC_STRING("date", &r->pub_date, JSPEC_OPTIONAL, 10, 10),
		JSPEC_END,
	};
	struct jspec spec[] = {
		JSPEC_STRING("code", &r->code, JSPEC_REQUIRED, PROC_CODE_MIN, PROC_CODE_MAX),
		JSPEC_ENUM("code_kind", &r->kind, JSPEC_OPTIONAL, proc_code_kinds),
		JSPEC_STRING("name", &r->name, JSPEC_REQUIRED, PROC_NAME_MIN, PROC_NAME_MAX),
		JSPEC_STRING("field", &r->field, JSPEC_REQUIRED, PROC_FIELD_MIN, PROC_FIELD_MAX),
		JSPEC_STRING("agency", &r->agency, JSPEC_OPTIONAL, 0, PROC_AGENCY_MAX),
		JSPEC_STRING("level", &r->level, JSPEC_OPTIONAL, 0, PROC_LEVEL_MAX),
		JSPEC_NESTED("time_limit", tl, JSPEC_OPTIONAL),
		JSPEC_NESTED("fee", fee, JSPEC_OPTIONAL),
		JSPEC_ARRAY("documents", &r->docs, JSPEC_OPTIONAL, 0, PROC_DOCS_MAX),
		JSPEC_ARRAY("steps", &r->steps, JSPEC_OPTIONAL, 0, PROC_STEPS_MAX),
		JSPEC_ARRAY("legal_basis", &r->basis, JSPEC_OPTIONAL, 0, PROC_BASIS_MAX),
		JSPEC_STRING("result", &r->result, JSPEC_OPTIONAL, 1, PROC_RESULT_MAX),
		JSPEC_ENUM("online_level", &r->online, JSPEC_OPTIONAL, proc_online_levels),
		JSPEC_NESTED("publication", pub, JSPEC_OPTIONAL),
		JSPEC_ENUM("status", &r->status, JSPEC_OPTIONAL, proc_statuses),
		JSPEC_ENUM("confidence", &r->conf, JSPEC_OPTIONAL, proc_confidences),
		JSPEC_STRING("sources", &r->sources, JSPEC_OPTIONAL, 0, PROC_SOURCES_MAX),
		JSPEC_ARRAY("to_verify", &r->verify, JSPEC_OPTIONAL, 0, PROC_VERIFY_MAX),
		JSPEC_END,
	};
	return jspec_read(in, spec, detail, dlen);
}

/* The scalar members into p (copies); 0 or -1. */
static int
copy_fields(const struct proc_read *r, struct proc *p)
{
	if (proc_set(&p->code, r->code) || proc_set(&p->name, r->name) || proc_set(&p->field, r->field) ||
	    proc_set(&p->agency, r->agency) || proc_set(&p->level, r->level) ||
	    proc_set(&p->time_limit.cutoff, r->cutoff) || proc_set(&p->time_limit.text, r->tl_text) ||
	    proc_set(&p->fee.text, r->fee_text) || proc_set(&p->fee.exemptions, r->fee_ex) ||
	    proc_set(&p->result, r->result) || proc_set(&p->publication.decision, r->pub_dec) ||
	    proc_set(&p->publication.date, r->pub_date) || proc_set(&p->sources, r->sources))
		return -1;
	p->code_kind = r->kind != PROC_NONE ? (enum proc_code_kind)r->kind
	             : proc_code_national(r->code) ? PROC_NATIONAL : PROC_LOCAL;
	p->time_limit.same_day = r->same_day;
	p->time_limit.days = r->same_day && r->days == PROC_NONE ? 0 : (int)r->days;
	p->fee.amount = r->amount;
	p->online_level = (enum proc_online)r->online;
	p->status = (enum proc_status)r->status;
	p->confidence = (enum proc_confidence)r->conf;
	return 0;
}

/* The checklist (NFC by jspec). */
static enum err
read_docs(json_t *docs, struct proc *p, char *detail, size_t dlen)
{
	size_t i;
	json_t *v;
	json_array_foreach(docs, i, v) {
		const char *dn = NULL, *tmpl = "";
		int form = 0;
		json_int_t count = 1;
		struct jspec ds[] = {
			JSPEC_STRING("name", &dn, JSPEC_REQUIRED, 1, PROC_DOC_NAME_MAX),
			JSPEC_ENUM("form", &form, JSPEC_OPTIONAL, proc_forms),
			JSPEC_INT("count", &count, JSPEC_OPTIONAL, 1, PROC_DOC_COUNT_MAX),
			JSPEC_STRING("template", &tmpl, JSPEC_OPTIONAL, 0, PROC_DOC_TEMPLATE_MAX),
			JSPEC_END,
		};
		char path[48];
		snprintf(path, sizeof path, "documents[%zu]", i);
		enum err e = jspec_read_path(v, ds, path, detail, dlen);
		if (e)
			return e;
		if (proc_doc_add(p, dn, (enum proc_form)form, (int)count, tmpl) != 0)
			return ERR_NOMEM;
	}
	return ERR_OK;
}

/* Each element of a string array: 1..max characters, NFC (via jspec). */
static enum err
read_strings(json_t *arr, const char *name, size_t maxlen, struct proc_strs *out, char *detail,
             size_t dlen)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *s = NULL;
		json_t *wrap = json_pack("{s:O}", "v", v);
		struct jspec sp[] = {JSPEC_STRING("v", &s, JSPEC_REQUIRED, 1, (json_int_t)maxlen), JSPEC_END};
		char path[64];
		snprintf(path, sizeof path, "%s[%zu]", name, i);
		enum err e = wrap ? jspec_read_path(wrap, sp, path, detail, dlen) : ERR_NOMEM;
		if (!e && proc_strs_add(out, s) != 0)
			e = ERR_NOMEM;
		json_decref(wrap);
		if (e == ERR_NOMEM)
			return e;
		if (e) { /* name the element, not the wrapper key */
			snprintf(detail, dlen, "Trường \"%s\": phải là chuỗi 1–%zu ký tự", path, maxlen);
			return e;
		}
	}
	return ERR_OK;
}

/* to_verify as given (proc_check knows the names). */
static enum err
read_verify(json_t *verify, struct proc *p, char *detail, size_t dlen)
{
	size_t i;
	json_t *v;
	json_array_foreach(verify, i, v) {
		const char *f = json_string_value(v);
		if (!f) {
			snprintf(detail, dlen, "Trường \"to_verify\": không có trường \"?\"");
			return ERR_INVALID_FIELD;
		}
		if (proc_strs_add(&p->to_verify, f) != 0)
			return ERR_NOMEM;
	}
	return ERR_OK;
}

static enum err
read_lists(const struct proc_read *r, struct proc *p, char *detail, size_t dlen)
{
	json_t *empty = json_array();
	if (!empty)
		return ERR_NOMEM;
	enum err e = read_docs(r->docs ? r->docs : empty, p, detail, dlen);
	if (!e)
		e = read_strings(r->steps ? r->steps : empty, "steps", PROC_STEP_MAX, &p->steps, detail, dlen);
	if (!e)
		e = read_strings(r->basis ? r->basis : empty, "legal_basis", PROC_BASIS_ITEM_MAX,
		                 &p->legal_basis, detail, dlen);
	if (!e)
		e = read_verify(r->verify ? r->verify : empty, p, detail, dlen);
	json_decref(empty);
	return e;
}

/* Reads in into p; check: apply proc_check (a stored row was checked
 * when written, under the rules of its day, and is read as it is). */
static enum err
decode(json_t *in, struct proc *p, int check, struct proc_problem *pb)
{
	char detail[320];
	struct proc_read r;
	if (proc_init(p) != 0) {
		proc_free(p);
		return ERR_NOMEM;
	}
	enum err e = read_fields(in, &r, detail, sizeof detail);
	if (e) {
		proc_free(p);
		return from_detail(e, detail, pb);
	}
	if (copy_fields(&r, p) != 0) {
		proc_free(p);
		return ERR_NOMEM;
	}
	/* the rules across fields come before the lists, as they always did:
	 * the first check sees no list yet, the second sees them */
	e = check ? proc_check(p, pb) : ERR_OK;
	if (!e && (e = read_lists(&r, p, detail, sizeof detail)) != ERR_OK && e != ERR_NOMEM)
		from_detail(e, detail, pb);
	else if (!e && check)
		e = proc_check(p, pb);
	if (e)
		proc_free(p);
	return e;
}

enum err
proc_from_json(json_t *in, struct proc *p, struct proc_problem *pb)
{
	return decode(in, p, 1, pb);
}

/* ---- writing -------------------------------------------------------------- */

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
str_or_empty(const char *s)
{
	return json_string(s ? s : "");
}

static json_t *
strings(const struct proc_strs *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

static json_t *
documents(const struct proc *p)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < p->ndocuments; i++) {
		const struct proc_doc *d = &p->documents[i];
		json_array_append_new(a, json_pack("{s:s,s:s,s:i,s:s}", "name", d->name, "form",
		                                   proc_forms[d->form], "count", d->count, "template",
		                                   d->template_ ? d->template_ : ""));
	}
	return a;
}

/* The enum's name, or null for none. */
static json_t *
enum_or_null(const char *const *names, int v)
{
	return v >= 0 ? json_string(names[v]) : json_null();
}

json_t *
proc_to_json(const struct proc *p)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	int same = p->time_limit.same_day;
	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "code_kind", json_string(proc_code_kinds[p->code_kind]));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "field", json_string(p->field));
	json_object_set_new(o, "agency", str_or_empty(p->agency));
	json_object_set_new(o, "level", str_or_empty(p->level));
	json_object_set_new(o, "time_limit", json_pack("{s:o,s:b,s:o,s:o}",
	    "days", p->time_limit.days >= 0 ? json_integer(p->time_limit.days) : json_null(),
	    "same_day", same, "cutoff", str_or_null(p->time_limit.cutoff), "text", str_or_empty(p->time_limit.text)));
	json_object_set_new(o, "fee", json_pack("{s:o,s:o,s:o}",
	    "amount", p->fee.amount >= 0 ? json_integer(p->fee.amount) : json_null(),
	    "text", str_or_empty(p->fee.text), "exemptions", str_or_empty(p->fee.exemptions)));
	json_object_set_new(o, "documents", documents(p));
	json_object_set_new(o, "steps", strings(&p->steps));
	json_object_set_new(o, "legal_basis", strings(&p->legal_basis));
	json_object_set_new(o, "result", str_or_null(p->result));
	json_object_set_new(o, "online_level", enum_or_null(proc_online_levels, (int)p->online_level));
	json_object_set_new(o, "publication", json_pack("{s:o,s:o}", "decision", str_or_null(p->publication.decision),
	                                                "date", str_or_null(p->publication.date)));
	json_object_set_new(o, "status", json_string(proc_statuses[p->status]));
	json_object_set_new(o, "confidence", enum_or_null(proc_confidences, (int)p->confidence));
	json_object_set_new(o, "sources", str_or_empty(p->sources));
	json_object_set_new(o, "to_verify", strings(&p->to_verify));
	if (json_object_size(o) != 18) {   /* a member ran out of memory */
		json_decref(o);
		return NULL;
	}
	return o;
}

char *
proc_stored_dump(const struct proc *p)
{
	json_t *o = proc_to_json(p);
	if (!o)
		return NULL;
	json_object_del(o, "status");
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

enum err
proc_stored_load(const char *text, enum proc_status status, struct proc *p)
{
	json_error_t je;
	json_t *o = json_loads(text, 0, &je);
	if (!o)
		return ERR_INTERNAL;
	enum err e = decode(o, p, 0, NULL);
	json_decref(o);
	if (e)
		return e == ERR_NOMEM ? e : ERR_INTERNAL;
	p->status = status;
	return ERR_OK;
}
