/* fuzz_proc.c — the procedure codec's reader (core/proc_json.c): any JSON
 * either becomes a procedure that passes proc_check and survives
 * write → read → write unchanged, or is refused with a UTF-8 message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/jspec.h"
#include "core/proc_json.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* p written, read back and written again gives the same text. */
static void
round_trip(const struct proc *p)
{
	json_t *o = proc_to_json(p);
	char *a = o ? json_dumps(o, JSON_COMPACT) : NULL;
	struct proc q;
	if (!o || !a || proc_from_json(o, &q, NULL) != ERR_OK)
		abort();
	json_t *o2 = proc_to_json(&q);
	char *b = o2 ? json_dumps(o2, JSON_COMPACT) : NULL;
	if (!b || strcmp(a, b) != 0)
		abort();
	char *stored = proc_stored_dump(&q);
	struct proc r;
	if (!stored || proc_stored_load(stored, q.status, &r) != ERR_OK)
		abort();
	proc_free(&r);
	free(stored);
	free(a);
	free(b);
	json_decref(o);
	json_decref(o2);
	proc_free(&q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char d[128];
	enum err e;
	json_t *root = jspec_parse((const char *)data, size, &e, d, sizeof d);
	if (!root)
		return 0;
	struct proc p;
	struct proc_problem pb;
	e = proc_from_json(root, &p, &pb);
	if (e == ERR_OK) {
		if (proc_check(&p, NULL) != ERR_OK)
			abort();
		round_trip(&p);
		proc_free(&p);
	} else if (e == ERR_MISSING_FIELD || e == ERR_INVALID_FIELD || e == ERR_BAD_UTF8 ||
	           e == ERR_BAD_JSON) {
		size_t n = strnlen(pb.msg, sizeof pb.msg);
		if (n >= sizeof pb.msg || !text_utf8_valid(pb.msg, n) || strncmp(pb.msg, "Trường \"", 10) != 0)
			abort();
	} else if (e != ERR_NOMEM) {
		abort();
	}
	json_decref(root);
	return 0;
}
