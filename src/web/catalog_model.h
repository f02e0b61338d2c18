/*
 * catalog_model.h — the procedure model (issue #4, docs/catalogue-format.md):
 * one function turns any JSON rendering of a procedure into its canonical
 * form (fixed key order, defaults filled, every field checked), so the
 * admin form, the API, the JSON and CSV importers and the exporter all
 * agree on what a procedure is, and export → import → export is exact.
 */
#ifndef MOTCUA_CATALOG_MODEL_H
#define MOTCUA_CATALOG_MODEL_H
#include <jansson.h>
#include "core/errors.h"

#define CATALOG_FORMAT "motcua-procedures/1"

/* Canonical copy of in (a new reference), or NULL with the first problem
 * in Vietnamese in detail ("documents[2].form: …") and *e set. */
json_t *catalog_normalize(json_t *in, enum err *e, char *detail, size_t dlen);

/* The CSV columns, in order (NULL-terminated). Nested values (documents,
 * steps, legal_basis, to_verify) are JSON text in their cell. */
extern const char *const catalog_csv_columns[];
/* One canonical procedure → one CSV row's cells (strings to free with
 * catalog_csv_cells_free). */
char **catalog_csv_cells(const json_t *proc, size_t *n);
void catalog_csv_cells_free(char **cells, size_t n);
/* One CSV row (cells in catalog_csv_columns order) → a procedure object
 * to be normalised; NULL with detail on a malformed nested cell. */
json_t *catalog_from_csv_cells(char *const *cells, size_t n, char *detail, size_t dlen);

#endif
