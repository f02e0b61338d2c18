/*
 * errors.h — the one registry of error codes.
 *
 * Every error a client can see has a stable code (snake_case, English,
 * part of the API contract), an HTTP status and a Vietnamese message for
 * people.  The table is src/core/errors.def; add a row there, never a
 * string literal at the call site.  Functions return ERR_OK (0) or an
 * enum err value.
 */
#ifndef MOTCUA_ERRORS_H
#define MOTCUA_ERRORS_H

enum err {
#define ERR_ROW(id, code, status, message) id,
#include "core/errors.def"
#undef ERR_ROW
	ERR__COUNT
};

/* Stable machine code, e.g. "body_too_large". */
const char *err_code(enum err e);
/* HTTP status to answer with. */
int err_status(enum err e);
/* Vietnamese message for people. */
const char *err_message(enum err e);

#endif
