/*
 * catalog_csv.h — the catalogue's CSV layout: one procedure per row, the
 * columns below; a row maps to and from the canonical JSON object of the
 * codec (core/proc_json.h), which checks it.
 */
#ifndef MOTCUA_CATALOG_CSV_H
#define MOTCUA_CATALOG_CSV_H
#include <jansson.h>
#include "core/errors.h"

/* The CSV columns, in order (NULL-terminated). Nested values (documents,
 * steps, legal_basis, to_verify) are JSON text in their cell. */
extern const char *const catalog_csv_columns[];
#define CATALOG_CSV_NCOLS 24
/* One canonical procedure → one CSV row's cells (strings to free with
 * catalog_csv_cells_free). */
char **catalog_csv_cells(const json_t *proc, size_t *n);
void catalog_csv_cells_free(char **cells, size_t n);
/* One CSV row (cells in catalog_csv_columns order) → a procedure object
 * to be normalised; NULL with detail on a malformed nested cell. */
json_t *catalog_from_csv_cells(char *const *cells, size_t n, char *detail, size_t dlen);

#endif
