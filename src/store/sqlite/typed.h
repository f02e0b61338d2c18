/*
 * typed.h — the SQLite backend's JSON documents built from store.h's
 * typed inputs (a dossier's applicant and checklist, an action's facts).
 * Internal to src/store/sqlite.
 */
#ifndef MOTCUA_STORE_TYPED_H
#define MOTCUA_STORE_TYPED_H
#include <jansson.h>
#include "store/store.h"

/* malloc'd JSON texts; NULL when out of memory. */
char *typed_applicant_json(const struct store_person *p, const struct store_person *rep);
char *typed_documents_json(const struct store_doc *d, size_t n);
char *typed_facts_json(const struct store_change_facts *f);
/* Fills ev's late and missing from its details; returns the parsed object
 * (json_decref it after ev is used, as ev points into it), or NULL. */
json_t *typed_event_facts(struct store_dossier_event *ev);

#endif
