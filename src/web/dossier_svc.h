/*
 * dossier_svc.h — the one-stop desk's operations, shared by the API
 * (api_dossiers.c) and the desk pages (pages_desk.c): both hand in the
 * same JSON shape, so there is one set of checks and one set of messages.
 */
#ifndef MOTCUA_DOSSIER_SVC_H
#define MOTCUA_DOSSIER_SVC_H
#include <jansson.h>
#include "core/dossier_fsm.h"
#include "web/web.h"

/* Receives a dossier described by `body` (the POST /api/v1/dossiers
 * shape, see docs/openapi.yaml).  On success *out is the reply object
 * (code, status, due_at, …).  On a refusal, detail names the field and
 * why, and nothing is stored.  key (the intake form's token or the API's
 * Idempotency-Key; NULL for none) makes a repeated send return the dossier
 * the first one created, with "replayed": true, instead of a second one. */
enum err dsvc_create(struct http_req *req, json_t *body, const char *key, json_t **out, char *detail,
                     size_t dlen);
/* A submission key: 16–100 characters of A–Z a–z 0–9 _ - ; 0 or -1. */
int dsvc_key_ok(const char *key);

/* Takes an action on dossier `code` (the POST …/actions shape).  When
 * body has "expected_version", a dossier changed since gives ERR_CONFLICT. */
enum err dsvc_act(struct http_req *req, const char *code, json_t *body, json_t **out,
                  char *detail, size_t dlen);

/* The dossier's timeliness now: "early", "on_time", "late", "in_time",
 * "overdue"; NULL when it does not count (refused, withdrawn, stopped). */
const char *dsvc_timeliness(const struct store_dossier *d, int64_t now);
/* The Vietnamese label of a timeliness code ("" for NULL). */
const char *dsvc_timeliness_label(const char *code);

/* The FSM's view of a stored dossier; 0 or -1 when inconsistent. */
int dsvc_fsm_view(const struct store_dossier *sd, struct dfsm_dossier *out);

/* The full staff view of a dossier as JSON (the GET /api/v1/dossiers/{code}
 * reply): applicant, checklist, fee, instants, status labels, timeliness. */
json_t *dsvc_json(const struct store_dossier *d, int64_t now);

/* The states in which the clock runs or waits: queues of work to do. */
#define DSVC_PENDING "new,received,processing,waiting_supplement,waiting_payment"

/* Fills q's text alternatives from what was typed in a search box: a
 * dossier code, a 12-digit ID, a phone number or part of a name (tones
 * and case ignored).  ph is the caller's buffer for the normalised phone;
 * *fold is malloc'd (free it). */
void dsvc_query_text(const char *text, struct store_dossier_query *q, char *ph, size_t phn,
                     char **fold);

/* Largest attachment accepted. */
#define DSVC_MAX_ATTACHMENT (10 * 1024 * 1024)
/* Checks (type sniffed from the bytes: PDF, JPEG, PNG), stores the file
 * content-addressed and records it on the dossier. */
enum err dsvc_attach(struct http_req *req, const char *code, const char *name,
                     const unsigned char *data, size_t len, char *detail, size_t dlen);

#endif
