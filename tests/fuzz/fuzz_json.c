/* fuzz_json.c — jspec_parse then jspec_read with the dossier intake spec
 * (a nested object, an enum, an array read element by element). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/text.h"
#include "core/jspec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
detail_ok(const char *d, size_t cap)
{
	size_t n = strnlen(d, cap);
	if (n >= cap || !text_utf8_valid(d, n))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char d[128];
	enum err e;
	json_t *root = jspec_parse((const char *)data, size, &e, d, sizeof d);
	detail_ok(d, sizeof d);
	if (!root) {
		if (e != ERR_BAD_JSON && e != ERR_BAD_UTF8 && e != ERR_NOMEM)
			abort();
		return 0;
	}
	static const char *const channels[] = {"counter", "online", "post", NULL};
	static const char *const sexes[] = {"male", "female", NULL};
	const char *code = NULL, *name = NULL, *id = NULL, *note = NULL;
	int channel = 0, sex = -1, received = 0;
	json_int_t count = 1;
	json_t *docs = NULL, *extra = NULL;
	struct jspec applicant[] = {
		JSPEC_STRING("name", &name, JSPEC_REQUIRED, 1, 100),
		JSPEC_STRING("id_number", &id, JSPEC_OPTIONAL, 9, 12),
		JSPEC_ENUM("sex", &sex, JSPEC_OPTIONAL, sexes),
		JSPEC_END_ALLOW_EXTRA
	};
	struct jspec spec[] = {
		JSPEC_STRING("procedure_code", &code, JSPEC_REQUIRED, 1, 32),
		JSPEC_ENUM("channel", &channel, JSPEC_OPTIONAL, channels),
		JSPEC_NESTED("applicant", applicant, JSPEC_OPTIONAL),
		JSPEC_ARRAY("documents", &docs, JSPEC_OPTIONAL, 0, 50),
		JSPEC_OBJECT("extra", &extra, JSPEC_OPTIONAL),
		JSPEC_STRING("note", &note, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_END
	};
	const char *dname = NULL;
	struct jspec doc[] = {
		JSPEC_STRING("name", &dname, JSPEC_REQUIRED, 1, 200),
		JSPEC_BOOL("received", &received, JSPEC_OPTIONAL),
		JSPEC_INT("count", &count, JSPEC_OPTIONAL, 1, 100),
		JSPEC_END
	};
	e = jspec_read(root, spec, d, sizeof d);
	detail_ok(d, sizeof d);
	if (e == ERR_OK) {
		if (!code || !text_utf8_valid(code, strlen(code)))
			abort();
		size_t i;
		json_t *el;
		json_array_foreach(docs, i, el) {
			char path[32];
			snprintf(path, sizeof path, "documents[%zu]", i);
			if (jspec_read_path(el, doc, path, d, sizeof d) != ERR_OK)
				break;
			detail_ok(d, sizeof d);
		}
	} else if (e != ERR_MISSING_FIELD && e != ERR_INVALID_FIELD &&
	           e != ERR_BAD_UTF8 && e != ERR_BAD_JSON && e != ERR_NOMEM) {
		abort();
	}
	json_decref(root);
	return 0;
}
