/*
 * jspec.h — declarative reading of JSON request bodies (after GNU Taler's
 * json specs).  It lives in core/ (pure, jansson only) so the procedure
 * codec (core/proc_json.c) reads files and stored rows with the same
 * reader, and the same wording, as http/ reads request bodies.
 *
 * A handler parses the body with jspec_parse, then states what it expects
 * as an array of specs and lets jspec_read check and extract everything:
 *
 *	const char *user = NULL, *name = NULL;
 *	json_int_t days = 5;
 *	int same_day = 0, channel = 0;
 *	json_t *docs = NULL;
 *	static const char *const channels[] = {"counter", "online", "post", NULL};
 *	struct jspec applicant[] = {
 *		JSPEC_STRING("name", &name, JSPEC_REQUIRED, 1, 100),
 *		JSPEC_END
 *	};
 *	struct jspec spec[] = {
 *		JSPEC_STRING("username", &user, JSPEC_REQUIRED, 1, 64),
 *		JSPEC_INT("days", &days, JSPEC_OPTIONAL, 0, 3650),
 *		JSPEC_BOOL("same_day", &same_day, JSPEC_OPTIONAL),
 *		JSPEC_ENUM("channel", &channel, JSPEC_REQUIRED, channels),
 *		JSPEC_NESTED("applicant", applicant, JSPEC_REQUIRED),
 *		JSPEC_ARRAY("documents", &docs, JSPEC_OPTIONAL, 0, 50),
 *		JSPEC_END
 *	};
 *	e = jspec_read(root, spec, detail, sizeof detail);
 *
 * The first violation gives ERR_MISSING_FIELD or ERR_INVALID_FIELD (or
 * ERR_BAD_UTF8) with a Vietnamese detail naming the field, e.g.
 * `Trường "applicant.name": bắt buộc`, ready for the error reply.
 *
 * Rules: an absent optional field, or one that is JSON null, leaves its
 * output untouched (so initialise outputs to their defaults); a required
 * field that is absent or null is missing.  Strings must be valid UTF-8
 * without NUL and are replaced in the tree by their NFC form, so the
 * returned pointer is NFC text; it lives as long as root.  Lengths are
 * counted in characters (code points of the NFC text).  Integers must be
 * JSON integers (5, not 5.0).  Keys not in the spec are refused unless
 * the spec ends with JSPEC_END_ALLOW_EXTRA.  On error the outputs may be
 * partly written.
 */
#ifndef MOTCUA_CORE_JSPEC_H
#define MOTCUA_CORE_JSPEC_H
#include <stddef.h>
#include <jansson.h>
#include "core/errors.h"

/* Deepest nesting of arrays and objects jspec_parse accepts. */
#define JSPEC_MAX_DEPTH 32

#define JSPEC_OPTIONAL 0
#define JSPEC_REQUIRED 1

enum jspec_type {
	JSPEC_T_END,          /* end of spec; unknown keys refused */
	JSPEC_T_END_EXTRA,    /* end of spec; unknown keys ignored */
	JSPEC_T_STRING,       /* const char **, length min..max characters */
	JSPEC_T_INT,          /* json_int_t *, value min..max */
	JSPEC_T_BOOL,         /* int *, 0 or 1 */
	JSPEC_T_ENUM,         /* int *, index of the string in choices */
	JSPEC_T_OBJECT,       /* json_t ** (borrowed from root) */
	JSPEC_T_ARRAY,        /* json_t ** (borrowed), min..max elements */
	JSPEC_T_NESTED,       /* an object read with the spec `nested` */
};

struct jspec {
	const char *name;
	enum jspec_type type;
	int required;
	void *out;
	json_int_t min, max;
	const char *const *choices;   /* JSPEC_T_ENUM: NULL-terminated */
	const struct jspec *nested;   /* JSPEC_T_NESTED */
};

/* The conditional expressions make the compiler check the output type. */
#define JSPEC_STRING(n, p, req, lo, hi) \
	{ .name = (n), .type = JSPEC_T_STRING, .required = (req), \
	  .out = (1 ? (p) : (const char **)0), .min = (lo), .max = (hi) }
#define JSPEC_INT(n, p, req, lo, hi) \
	{ .name = (n), .type = JSPEC_T_INT, .required = (req), \
	  .out = (1 ? (p) : (json_int_t *)0), .min = (lo), .max = (hi) }
#define JSPEC_BOOL(n, p, req) \
	{ .name = (n), .type = JSPEC_T_BOOL, .required = (req), \
	  .out = (1 ? (p) : (int *)0) }
#define JSPEC_ENUM(n, p, req, list) \
	{ .name = (n), .type = JSPEC_T_ENUM, .required = (req), \
	  .out = (1 ? (p) : (int *)0), .choices = (list) }
#define JSPEC_OBJECT(n, p, req) \
	{ .name = (n), .type = JSPEC_T_OBJECT, .required = (req), \
	  .out = (1 ? (p) : (json_t **)0) }
#define JSPEC_ARRAY(n, p, req, lo, hi) \
	{ .name = (n), .type = JSPEC_T_ARRAY, .required = (req), \
	  .out = (1 ? (p) : (json_t **)0), .min = (lo), .max = (hi) }
#define JSPEC_NESTED(n, spec, req) \
	{ .name = (n), .type = JSPEC_T_NESTED, .required = (req), \
	  .nested = (spec) }
#define JSPEC_END { .name = NULL, .type = JSPEC_T_END }
#define JSPEC_END_ALLOW_EXTRA { .name = NULL, .type = JSPEC_T_END_EXTRA }

/*
 * Parses a request body (an object or array at the top; duplicate keys
 * refused).  Returns the tree (the caller json_decref's it) or NULL with
 * *e set: ERR_BAD_UTF8 for invalid UTF-8, ERR_BAD_JSON for anything else
 * wrong, including nesting deeper than JSPEC_MAX_DEPTH, ERR_NOMEM.  The
 * detail (may be NULL) then reads "dòng L, cột C: <what>" in Vietnamese.
 */
json_t *jspec_parse(const char *body, size_t len, enum err *e, char *detail,
                    size_t dlen);

/* Checks obj against spec and fills the outputs (see above).  A root that
 * is not an object is ERR_BAD_JSON. */
enum err jspec_read(json_t *obj, const struct jspec *spec, char *detail,
                    size_t dlen);

/* The same for an object inside the body, with field names in details
 * prefixed by path (e.g. "documents[2]" gives "documents[2].name"); a
 * non-object is then ERR_INVALID_FIELD naming path. */
enum err jspec_read_path(json_t *obj, const struct jspec *spec,
                         const char *path, char *detail, size_t dlen);

#endif
