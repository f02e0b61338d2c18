/* catalog_csv.c — see catalog_csv.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "web/catalog_csv.h"

/* ---- CSV mapping ---------------------------------------------------------- */

const char *const catalog_csv_columns[] = {
	"code", "code_kind", "name", "field", "agency", "level",
	"time_limit_days", "time_limit_same_day", "time_limit_cutoff", "time_limit_text",
	"fee_amount", "fee_text", "fee_exemptions",
	"documents", "steps", "legal_basis", "result", "online_level",
	"publication_decision", "publication_date", "status", "confidence", "sources", "to_verify",
	NULL,
};
#define NCOLS CATALOG_CSV_NCOLS

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
