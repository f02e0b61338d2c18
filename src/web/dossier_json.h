/*
 * dossier_json.h — a dossier as the API writes it (docs/openapi.yaml).
 */
#ifndef MOTCUA_WEB_DOSSIER_JSON_H
#define MOTCUA_WEB_DOSSIER_JSON_H
#include <jansson.h>
#include "store/store.h"

/* The full staff view (GET /api/v1/dossiers/{code}): applicant,
 * checklist, fee, instants, labels, timeliness. */
json_t *web_dossier_json(const struct store_dossier *d, int64_t now);
/* How its fee was settled: {"status","channel","receipt_no","paid_at"}. */
json_t *web_payment_json(const struct store_dossier *d);
/* The staff label of a state code (the code itself when unknown). */
const char *web_status_label(const char *code);

#endif
