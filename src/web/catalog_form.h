/*
 * catalog_form.h — the admin form of a procedure: the posted fields into
 * struct proc (documents, steps and legal basis one per line), and the
 * form's values back from a procedure or from what was posted.
 */
#ifndef MOTCUA_CATALOG_FORM_H
#define MOTCUA_CATALOG_FORM_H
#include <jansson.h>
#include "app/app.h"
#include "core/proc.h"
#include "http/http.h"

/* The procedure the posted form describes, under `code`, with `status`.
 * ERR_OK (the service checks the rest), or a number that is not one
 * (days, amount, a document's count) refused in f. */
enum err catalog_form_read(struct http_req *req, const char *code, enum proc_status status,
                           struct proc *p, struct app_fail *f);
/* The form's values (strings, choices) for a procedure (new reference). */
json_t *catalog_form_values(const struct proc *p);
/* The form's values as posted, to show a refused form again. */
json_t *catalog_form_posted(struct http_req *req, const char *code);

#endif
