/*
 * catalog_model.c — see catalog_model.h.  Validation is declared with
 * jspec (http/jspec.h); the canonical object is then rebuilt field by
 * field in the documented order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/calendar.h"
#include "core/deadline.h"
#include "core/proc.h"
#include "http/jspec.h"
#include "web/catalog_model.h"

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static enum err
fail(enum err e, char *detail, size_t dlen, const char *fmt, const char *a)
{
	snprintf(detail, dlen, fmt, a);
	return e;
}

/* Each element of a string array: 1..max characters, NFC (via jspec). */
static enum err
string_list(json_t *arr, const char *name, size_t maxlen, json_t **out, char *detail, size_t dlen)
{
	*out = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *s = NULL;
		json_t *wrap = json_pack("{s:O}", "v", v);
		struct jspec sp[] = {JSPEC_STRING("v", &s, JSPEC_REQUIRED, 1, (json_int_t)maxlen), JSPEC_END};
		char path[64];
		snprintf(path, sizeof path, "%s[%zu]", name, i);
		enum err e = jspec_read_path(wrap, sp, path, detail, dlen);
		if (!e)
			json_array_append_new(*out, json_string(s));
		json_decref(wrap);
		if (e) {
			/* name the element, not the wrapper key */
			snprintf(detail, dlen, "Trường \"%s\": phải là chuỗi 1–%zu ký tự", path, maxlen);
			json_decref(*out);
			*out = NULL;
			return e;
		}
	}
	return ERR_OK;
}

/* A procedure as read from any JSON, before it is made canonical. */
struct proc_read {
	const char *code, *name, *field, *agency, *level;
	const char *tl_text, *cutoff, *fee_text, *fee_ex;
	const char *result, *pub_dec, *pub_date, *sources;
	json_int_t days, amount;
	int same_day, kind, online, status, conf, national;
	json_t *docs, *steps, *basis, *verify;
};

static enum err
read_fields(json_t *in, struct proc_read *r, char *detail, size_t dlen)
{
	*r = (struct proc_read){.agency = "", .level = "", .tl_text = "", .fee_text = "", .fee_ex = "",
	                        .sources = "", .days = -1, .amount = -1, .online = -1, .conf = -1};
	struct jspec tl[] = {
		JSPEC_INT("days", &r->days, JSPEC_OPTIONAL, 0, DL_MAX_DAYS),
		JSPEC_BOOL("same_day", &r->same_day, JSPEC_OPTIONAL),
		JSPEC_STRING("cutoff", &r->cutoff, JSPEC_OPTIONAL, 5, 5),
		JSPEC_STRING("text", &r->tl_text, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_END,
	};
	struct jspec fee[] = {
		JSPEC_INT("amount", &r->amount, JSPEC_OPTIONAL, 0, 1000000000000LL),
		JSPEC_STRING("text", &r->fee_text, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_STRING("exemptions", &r->fee_ex, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_END,
	};
	struct jspec pub[] = {
		JSPEC_STRING("decision", &r->pub_dec, JSPEC_OPTIONAL, 1, 200),
		JSPEC_STRING("date", &r->pub_date, JSPEC_OPTIONAL, 10, 10),
		JSPEC_END,
	};
	struct jspec spec[] = {
		JSPEC_STRING("code", &r->code, JSPEC_REQUIRED, 4, 40),
		JSPEC_ENUM("code_kind", &r->kind, JSPEC_OPTIONAL, proc_code_kinds),
		JSPEC_STRING("name", &r->name, JSPEC_REQUIRED, 3, 500),
		JSPEC_STRING("field", &r->field, JSPEC_REQUIRED, 2, 200),
		JSPEC_STRING("agency", &r->agency, JSPEC_OPTIONAL, 0, 200),
		JSPEC_STRING("level", &r->level, JSPEC_OPTIONAL, 0, 100),
		JSPEC_NESTED("time_limit", tl, JSPEC_OPTIONAL),
		JSPEC_NESTED("fee", fee, JSPEC_OPTIONAL),
		JSPEC_ARRAY("documents", &r->docs, JSPEC_OPTIONAL, 0, 100),
		JSPEC_ARRAY("steps", &r->steps, JSPEC_OPTIONAL, 0, 50),
		JSPEC_ARRAY("legal_basis", &r->basis, JSPEC_OPTIONAL, 0, 50),
		JSPEC_STRING("result", &r->result, JSPEC_OPTIONAL, 1, 500),
		JSPEC_ENUM("online_level", &r->online, JSPEC_OPTIONAL, proc_online_levels),
		JSPEC_NESTED("publication", pub, JSPEC_OPTIONAL),
		JSPEC_ENUM("status", &r->status, JSPEC_OPTIONAL, proc_statuses),
		JSPEC_ENUM("confidence", &r->conf, JSPEC_OPTIONAL, proc_confidences),
		JSPEC_STRING("sources", &r->sources, JSPEC_OPTIONAL, 0, 4000),
		JSPEC_ARRAY("to_verify", &r->verify, JSPEC_OPTIONAL, 0, 20),
		JSPEC_END,
	};
	return jspec_read(in, spec, detail, dlen);
}

/* The checks across fields: the code's form, the cut-off, the date, a
 * same-day limit. */
static enum err
check_fields(json_t *in, struct proc_read *r, char *detail, size_t dlen)
{
	r->national = proc_code_national(r->code);
	if (!r->national && !proc_code_local(r->code))
		return fail(ERR_INVALID_FIELD, detail, dlen,
		            "Trường \"code\": mã thủ tục quốc gia dạng 1.001193 hoặc mã địa phương dạng XA.HT.01 (nhận được \"%s\")", r->code);
	if (json_is_string(json_object_get(in, "code_kind")) && r->kind != (r->national ? 0 : 1))
		return fail(ERR_INVALID_FIELD, detail, dlen, "Trường \"code_kind\": không khớp với dạng mã \"%s\"", r->code);
	int cut = 0;
	if (r->cutoff && vn_parse_hhmm(r->cutoff, &cut) != 0)
		return fail(ERR_INVALID_FIELD, detail, dlen, "Trường \"time_limit.cutoff\": giờ dạng HH:MM (nhận được \"%s\")", r->cutoff);
	cal_day pd;
	if (r->pub_date && cal_parse_ymd(r->pub_date, &pd) != 0)
		return fail(ERR_INVALID_FIELD, detail, dlen, "Trường \"publication.date\": ngày dạng YYYY-MM-DD (nhận được \"%s\")", r->pub_date);
	if (r->same_day && r->days > 0)
		return fail(ERR_INVALID_FIELD, detail, dlen, "%s", "Trường \"time_limit\": thủ tục giải quyết trong ngày thì số ngày phải là 0");
	if (r->same_day)
		r->days = 0;
	return ERR_OK;
}

/* The checklist, canonical (*out new reference). */
static enum err
read_docs(json_t *docs, json_t **out, char *detail, size_t dlen)
{
	size_t i;
	json_t *v;
	*out = json_array();
	json_array_foreach(docs, i, v) {
		const char *dn = NULL, *tmpl = "";
		int form = 0;
		json_int_t count = 1;
		struct jspec ds[] = {
			JSPEC_STRING("name", &dn, JSPEC_REQUIRED, 1, 500),
			JSPEC_ENUM("form", &form, JSPEC_OPTIONAL, proc_forms),
			JSPEC_INT("count", &count, JSPEC_OPTIONAL, 1, 100),
			JSPEC_STRING("template", &tmpl, JSPEC_OPTIONAL, 0, 300),
			JSPEC_END,
		};
		char path[48];
		snprintf(path, sizeof path, "documents[%zu]", i);
		enum err e = jspec_read_path(v, ds, path, detail, dlen);
		if (e) {
			json_decref(*out);
			*out = NULL;
			return e;
		}
		json_array_append_new(*out, json_pack("{s:s,s:s,s:I,s:s}", "name", dn, "form", proc_forms[form],
		                                      "count", count, "template", tmpl));
	}
	return ERR_OK;
}

/* The fields still to verify, each one the model knows (*out new reference). */
static enum err
read_verify(json_t *verify, json_t **out, char *detail, size_t dlen)
{
	size_t i;
	json_t *v;
	*out = json_array();
	json_array_foreach(verify, i, v) {
		const char *f = json_string_value(v);
		int ok = 0;
		for (const char *const *p = proc_verify_fields; f && *p; p++)
			ok |= strcmp(f, *p) == 0;
		if (!ok) {
			json_decref(*out);
			*out = NULL;
			return fail(ERR_INVALID_FIELD, detail, dlen, "Trường \"to_verify\": không có trường \"%s\"", f ? f : "?");
		}
		json_array_append_new(*out, json_string(f));
	}
	return ERR_OK;
}

/* The canonical object; takes the references of the four lists. */
static json_t *
canonical(const struct proc_read *r, json_t *docs, json_t *steps, json_t *basis, json_t *verify)
{
	json_t *out = json_object();
	json_object_set_new(out, "code", json_string(r->code));
	json_object_set_new(out, "code_kind", json_string(r->national ? "national" : "local"));
	json_object_set_new(out, "name", json_string(r->name));
	json_object_set_new(out, "field", json_string(r->field));
	json_object_set_new(out, "agency", json_string(r->agency));
	json_object_set_new(out, "level", json_string(r->level));
	json_object_set_new(out, "time_limit", json_pack("{s:o,s:b,s:o,s:s}",
	    "days", r->days >= 0 ? json_integer(r->days) : json_null(), "same_day", r->same_day,
	    "cutoff", str_or_null(r->cutoff), "text", r->tl_text));
	json_object_set_new(out, "fee", json_pack("{s:o,s:s,s:s}",
	    "amount", r->amount >= 0 ? json_integer(r->amount) : json_null(), "text", r->fee_text,
	    "exemptions", r->fee_ex));
	json_object_set_new(out, "documents", docs);
	json_object_set_new(out, "steps", steps);
	json_object_set_new(out, "legal_basis", basis);
	json_object_set_new(out, "result", str_or_null(r->result));
	json_object_set_new(out, "online_level", r->online >= 0 ? json_string(proc_online_levels[r->online]) : json_null());
	json_object_set_new(out, "publication", json_pack("{s:o,s:o}", "decision", str_or_null(r->pub_dec),
	                                                  "date", str_or_null(r->pub_date)));
	json_object_set_new(out, "status", json_string(proc_statuses[r->status]));
	json_object_set_new(out, "confidence", r->conf >= 0 ? json_string(proc_confidences[r->conf]) : json_null());
	json_object_set_new(out, "sources", json_string(r->sources));
	json_object_set_new(out, "to_verify", verify);
	return out;
}

json_t *
catalog_normalize(json_t *in, enum err *e, char *detail, size_t dlen)
{
	struct proc_read r;
	if ((*e = read_fields(in, &r, detail, dlen)) != ERR_OK || (*e = check_fields(in, &r, detail, dlen)) != ERR_OK)
		return NULL;
	json_t *docs = NULL, *steps = NULL, *basis = NULL, *verify = NULL, *empty = json_array();
	*e = read_docs(r.docs ? r.docs : empty, &docs, detail, dlen);
	if (!*e)
		*e = string_list(r.steps ? r.steps : empty, "steps", 2000, &steps, detail, dlen);
	if (!*e)
		*e = string_list(r.basis ? r.basis : empty, "legal_basis", 500, &basis, detail, dlen);
	if (!*e)
		*e = read_verify(r.verify ? r.verify : empty, &verify, detail, dlen);
	json_decref(empty);
	if (*e) {
		json_decref(docs);
		json_decref(steps);
		json_decref(basis);
		return NULL;
	}
	return canonical(&r, docs, steps, basis, verify);
}

/* ---- CSV mapping ---------------------------------------------------------- */

const char *const catalog_csv_columns[] = {
	"code", "code_kind", "name", "field", "agency", "level",
	"time_limit_days", "time_limit_same_day", "time_limit_cutoff", "time_limit_text",
	"fee_amount", "fee_text", "fee_exemptions",
	"documents", "steps", "legal_basis", "result", "online_level",
	"publication_decision", "publication_date", "status", "confidence", "sources", "to_verify",
	NULL,
};
#define NCOLS 24

static char *
cell_of(const json_t *v)
{
	if (!v || json_is_null(v))
		return strdup("");
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_true(v))
		return strdup("true");
	if (json_is_false(v))
		return strdup("false");
	if (json_is_integer(v)) {
		char b[32];
		snprintf(b, sizeof b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return strdup(b);
	}
	return json_dumps(v, JSON_COMPACT);
}

char **
catalog_csv_cells(const json_t *p, size_t *n)
{
	char **c = calloc(NCOLS, sizeof *c);
	if (!c)
		return NULL;
	const json_t *tl = json_object_get(p, "time_limit"), *fee = json_object_get(p, "fee"),
	             *pub = json_object_get(p, "publication");
	const json_t *vals[NCOLS] = {
		json_object_get(p, "code"), json_object_get(p, "code_kind"), json_object_get(p, "name"),
		json_object_get(p, "field"), json_object_get(p, "agency"), json_object_get(p, "level"),
		json_object_get(tl, "days"), json_object_get(tl, "same_day"), json_object_get(tl, "cutoff"),
		json_object_get(tl, "text"), json_object_get(fee, "amount"), json_object_get(fee, "text"),
		json_object_get(fee, "exemptions"), json_object_get(p, "documents"),
		json_object_get(p, "steps"), json_object_get(p, "legal_basis"), json_object_get(p, "result"),
		json_object_get(p, "online_level"), json_object_get(pub, "decision"),
		json_object_get(pub, "date"), json_object_get(p, "status"), json_object_get(p, "confidence"),
		json_object_get(p, "sources"), json_object_get(p, "to_verify"),
	};
	for (size_t i = 0; i < NCOLS; i++)
		c[i] = cell_of(vals[i]);
	*n = NCOLS;
	return c;
}

void
catalog_csv_cells_free(char **cells, size_t n)
{
	for (size_t i = 0; cells && i < n; i++)
		free(cells[i]);
	free(cells);
}

static json_t *
nullable(const char *s)
{
	return *s ? json_string(s) : json_null();
}

json_t *
catalog_from_csv_cells(char *const *c, size_t n, char *detail, size_t dlen)
{
	if (n != NCOLS) {
		snprintf(detail, dlen, "cần %d cột, có %zu", NCOLS, n);
		return NULL;
	}
	json_t *nested[4];
	const int nested_col[4] = {13, 14, 15, 23};
	for (int k = 0; k < 4; k++) {
		const char *s = c[nested_col[k]];
		json_error_t je;
		nested[k] = *s ? json_loads(s, JSON_REJECT_DUPLICATES, &je) : json_array();
		if (!nested[k] || !json_is_array(nested[k])) {
			snprintf(detail, dlen, "cột \"%s\": phải là mảng JSON", catalog_csv_columns[nested_col[k]]);
			for (int j = 0; j <= k; j++)
				json_decref(nested[j]);
			return NULL;
		}
	}
	json_t *days = json_null(), *amount = json_null();
	char *end;
	if (*c[6]) {
		long v = strtol(c[6], &end, 10);
		days = *end ? json_string(c[6]) : json_integer(v); /* a non-number fails validation */
	}
	if (*c[10]) {
		long long v = strtoll(c[10], &end, 10);
		amount = *end ? json_string(c[10]) : json_integer(v);
	}
	json_t *same = strcmp(c[7], "true") == 0 ? json_true() : strcmp(c[7], "false") == 0 || !*c[7] ? json_false() : json_string(c[7]);
	return json_pack("{s:s,s:o,s:s,s:s,s:s,s:s,s:{s:o,s:o,s:o,s:s},s:{s:o,s:s,s:s},s:o,s:o,s:o,"
	                 "s:o,s:o,s:{s:o,s:o},s:o,s:o,s:s,s:o}",
	                 "code", c[0], "code_kind", nullable(c[1]), "name", c[2], "field", c[3],
	                 "agency", c[4], "level", c[5],
	                 "time_limit", "days", days, "same_day", same, "cutoff", nullable(c[8]), "text", c[9],
	                 "fee", "amount", amount, "text", c[11], "exemptions", c[12],
	                 "documents", nested[0], "steps", nested[1], "legal_basis", nested[2],
	                 "result", nullable(c[16]), "online_level", nullable(c[17]),
	                 "publication", "decision", nullable(c[18]), "date", nullable(c[19]),
	                 "status", nullable(c[20]), "confidence", nullable(c[21]), "sources", c[22],
	                 "to_verify", nested[3]);
}
