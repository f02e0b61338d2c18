/*
 * proc_json.h — the one codec of docs/catalogue-format.md: a procedure's
 * canonical JSON (keys in the documented order, defaults filled) ↔
 * struct proc.  The store keeps this form (without the status) and the
 * faces use it for files, the API and templates, so export → import →
 * export is byte-exact.
 */
#ifndef MOTCUA_CORE_PROC_JSON_H
#define MOTCUA_CORE_PROC_JSON_H
#include <jansson.h>
#include "core/proc.h"

#define PROC_FORMAT "motcua-procedures/1"

/* Reads any JSON rendering of one procedure into *p (proc_init'ed here;
 * absent or null optional members take their defaults, code_kind follows
 * the code when absent, a same-day limit gets 0 days, strings become NFC
 * in `in`) and checks it with proc_check.  ERR_OK, or the first problem
 * in *pb (jspec's wording for types and lengths) with *p freed. */
enum err proc_from_json(json_t *in, struct proc *p, struct proc_problem *pb);
/* The canonical object of p (a new reference), NULL when out of memory. */
json_t *proc_to_json(const struct proc *p);

/* The stored form: the canonical object without "status", compact
 * (malloc'd text; NULL when out of memory). */
char *proc_stored_dump(const struct proc *p);
/* A stored form back, with the version's status; ERR_OK, ERR_INTERNAL
 * for a row that is not a valid procedure, ERR_NOMEM. */
enum err proc_stored_load(const char *text, enum proc_status status, struct proc *p);

#endif
