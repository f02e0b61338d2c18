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
#include "http/jspec.h"
#include "web/catalog_model.h"

int
catalog_code_national(const char *c)
{
	/* D.DDDDDD */
	if (strlen(c) != 8 || c[1] != '.')
		return 0;
	for (int i = 0; i < 8; i++)
		if (i != 1 && (c[i] < '0' || c[i] > '9'))
			return 0;
	return 1;
}

int
catalog_code_local(const char *c)
{
	/* LETTERS(.ALNUM)+ e.g. XA.HT.01 — visibly not a national code */
	size_t n = strlen(c);
	if (n < 4 || n > 40 || c[0] < 'A' || c[0] > 'Z')
		return 0;
	int dots = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = c[i];
		if (ch == '.') {
			if (i == 0 || i == n - 1 || c[i - 1] == '.')
				return 0;
			dots++;
		} else if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) {
			return 0;
		}
	}
	return dots > 0;
}

static const char *const code_kinds[] = {"national", "local", NULL};
static const char *const doc_forms[] = {"original", "copy", "present", "either", NULL};
static const char *const online_levels[] = {"full", "partial", "none", NULL};
static const char *const statuses[] = {"draft", "published", "retired", NULL};
static const char *const confidences[] = {"V", "I", "NV", NULL};
static const char *const verify_fields[] = {"code", "time_limit", "fee", "documents", "steps",
                                            "legal_basis", "result", "online_level", "publication",
                                            "agency", "level", NULL};

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

json_t *
catalog_normalize(json_t *in, enum err *e, char *detail, size_t dlen)
{
	const char *code = NULL, *name = NULL, *field = NULL, *agency = "", *level = "";
	const char *tl_text = "", *cutoff = NULL, *fee_text = "", *fee_ex = "";
	const char *result = NULL, *pub_dec = NULL, *pub_date = NULL, *sources = "";
	json_int_t days = -1, amount = -1;
	int same_day = 0, kind = 0, online = -1, status = 0, conf = -1;
	json_t *docs = NULL, *steps = NULL, *basis = NULL, *verify = NULL;
	struct jspec tl[] = {
		JSPEC_INT("days", &days, JSPEC_OPTIONAL, 0, DL_MAX_DAYS),
		JSPEC_BOOL("same_day", &same_day, JSPEC_OPTIONAL),
		JSPEC_STRING("cutoff", &cutoff, JSPEC_OPTIONAL, 5, 5),
		JSPEC_STRING("text", &tl_text, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_END,
	};
	struct jspec fee[] = {
		JSPEC_INT("amount", &amount, JSPEC_OPTIONAL, 0, 1000000000000LL),
		JSPEC_STRING("text", &fee_text, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_STRING("exemptions", &fee_ex, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_END,
	};
	struct jspec pub[] = {
		JSPEC_STRING("decision", &pub_dec, JSPEC_OPTIONAL, 1, 200),
		JSPEC_STRING("date", &pub_date, JSPEC_OPTIONAL, 10, 10),
		JSPEC_END,
	};
	struct jspec spec[] = {
		JSPEC_STRING("code", &code, JSPEC_REQUIRED, 4, 40),
		JSPEC_ENUM("code_kind", &kind, JSPEC_OPTIONAL, code_kinds),
		JSPEC_STRING("name", &name, JSPEC_REQUIRED, 3, 500),
		JSPEC_STRING("field", &field, JSPEC_REQUIRED, 2, 200),
		JSPEC_STRING("agency", &agency, JSPEC_OPTIONAL, 0, 200),
		JSPEC_STRING("level", &level, JSPEC_OPTIONAL, 0, 100),
		JSPEC_NESTED("time_limit", tl, JSPEC_OPTIONAL),
		JSPEC_NESTED("fee", fee, JSPEC_OPTIONAL),
		JSPEC_ARRAY("documents", &docs, JSPEC_OPTIONAL, 0, 100),
		JSPEC_ARRAY("steps", &steps, JSPEC_OPTIONAL, 0, 50),
		JSPEC_ARRAY("legal_basis", &basis, JSPEC_OPTIONAL, 0, 50),
		JSPEC_STRING("result", &result, JSPEC_OPTIONAL, 1, 500),
		JSPEC_ENUM("online_level", &online, JSPEC_OPTIONAL, online_levels),
		JSPEC_NESTED("publication", pub, JSPEC_OPTIONAL),
		JSPEC_ENUM("status", &status, JSPEC_OPTIONAL, statuses),
		JSPEC_ENUM("confidence", &conf, JSPEC_OPTIONAL, confidences),
		JSPEC_STRING("sources", &sources, JSPEC_OPTIONAL, 0, 4000),
		JSPEC_ARRAY("to_verify", &verify, JSPEC_OPTIONAL, 0, 20),
		JSPEC_END,
	};
	*e = jspec_read(in, spec, detail, dlen);
	if (*e)
		return NULL;
	int national = catalog_code_national(code);
	if (!national && !catalog_code_local(code)) {
		*e = fail(ERR_INVALID_FIELD, detail, dlen,
		          "Trường \"code\": mã thủ tục quốc gia dạng 1.001193 hoặc mã địa phương dạng XA.HT.01 (nhận được \"%s\")", code);
		return NULL;
	}
	if (json_is_string(json_object_get(in, "code_kind")) && kind != (national ? 0 : 1)) {
		*e = fail(ERR_INVALID_FIELD, detail, dlen, "Trường \"code_kind\": không khớp với dạng mã \"%s\"", code);
		return NULL;
	}
	int cut = 0;
	if (cutoff && dl_parse_hhmm(cutoff, &cut) != 0) {
		*e = fail(ERR_INVALID_FIELD, detail, dlen, "Trường \"time_limit.cutoff\": giờ dạng HH:MM (nhận được \"%s\")", cutoff);
		return NULL;
	}
	cal_day pd;
	if (pub_date && cal_parse_ymd(pub_date, &pd) != 0) {
		*e = fail(ERR_INVALID_FIELD, detail, dlen, "Trường \"publication.date\": ngày dạng YYYY-MM-DD (nhận được \"%s\")", pub_date);
		return NULL;
	}
	if (same_day && days > 0) {
		*e = fail(ERR_INVALID_FIELD, detail, dlen, "%s", "Trường \"time_limit\": thủ tục giải quyết trong ngày thì số ngày phải là 0");
		return NULL;
	}
	if (same_day)
		days = 0;

	json_t *odocs = json_array(), *osteps = NULL, *obasis = NULL, *overify = json_array();
	size_t i;
	json_t *v;
	if (docs) {
		json_array_foreach(docs, i, v) {
			const char *dn = NULL, *tmpl = "";
			int form = 0;
			json_int_t count = 1;
			struct jspec ds[] = {
				JSPEC_STRING("name", &dn, JSPEC_REQUIRED, 1, 500),
				JSPEC_ENUM("form", &form, JSPEC_OPTIONAL, doc_forms),
				JSPEC_INT("count", &count, JSPEC_OPTIONAL, 1, 100),
				JSPEC_STRING("template", &tmpl, JSPEC_OPTIONAL, 0, 300),
				JSPEC_END,
			};
			char path[48];
			snprintf(path, sizeof path, "documents[%zu]", i);
			if ((*e = jspec_read_path(v, ds, path, detail, dlen)) != ERR_OK) {
				json_decref(odocs);
				json_decref(overify);
				return NULL;
			}
			json_array_append_new(odocs, json_pack("{s:s,s:s,s:I,s:s}", "name", dn, "form",
			                                       doc_forms[form], "count", count, "template", tmpl));
		}
	}
	json_t *empty = json_array();
	*e = string_list(steps ? steps : empty, "steps", 2000, &osteps, detail, dlen);
	if (!*e)
		*e = string_list(basis ? basis : empty, "legal_basis", 500, &obasis, detail, dlen);
	json_decref(empty);
	if (*e) {
		json_decref(odocs);
		json_decref(osteps);
		json_decref(overify);
		return NULL;
	}
	if (verify) {
		json_array_foreach(verify, i, v) {
			const char *f = json_string_value(v);
			int ok = 0;
			for (const char *const *p = verify_fields; f && *p; p++)
				ok |= strcmp(f, *p) == 0;
			if (!ok) {
				*e = fail(ERR_INVALID_FIELD, detail, dlen, "Trường \"to_verify\": không có trường \"%s\"", f ? f : "?");
				json_decref(odocs);
				json_decref(osteps);
				json_decref(obasis);
				json_decref(overify);
				return NULL;
			}
			json_array_append_new(overify, json_string(f));
		}
	}
	json_t *out = json_object();
	json_object_set_new(out, "code", json_string(code));
	json_object_set_new(out, "code_kind", json_string(national ? "national" : "local"));
	json_object_set_new(out, "name", json_string(name));
	json_object_set_new(out, "field", json_string(field));
	json_object_set_new(out, "agency", json_string(agency));
	json_object_set_new(out, "level", json_string(level));
	json_object_set_new(out, "time_limit", json_pack("{s:o,s:b,s:o,s:s}",
	    "days", days >= 0 ? json_integer(days) : json_null(), "same_day", same_day,
	    "cutoff", str_or_null(cutoff), "text", tl_text));
	json_object_set_new(out, "fee", json_pack("{s:o,s:s,s:s}",
	    "amount", amount >= 0 ? json_integer(amount) : json_null(), "text", fee_text,
	    "exemptions", fee_ex));
	json_object_set_new(out, "documents", odocs);
	json_object_set_new(out, "steps", osteps);
	json_object_set_new(out, "legal_basis", obasis);
	json_object_set_new(out, "result", str_or_null(result));
	json_object_set_new(out, "online_level", online >= 0 ? json_string(online_levels[online]) : json_null());
	json_object_set_new(out, "publication", json_pack("{s:o,s:o}", "decision", str_or_null(pub_dec),
	                                                  "date", str_or_null(pub_date)));
	json_object_set_new(out, "status", json_string(statuses[status]));
	json_object_set_new(out, "confidence", conf >= 0 ? json_string(confidences[conf]) : json_null());
	json_object_set_new(out, "sources", json_string(sources));
	json_object_set_new(out, "to_verify", overify);
	*e = ERR_OK;
	return out;
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
