/*
 * catalog_io.h — the catalogue in and out: import (JSON or CSV, all or
 * nothing), export (JSON or CSV, exact round trip), and the bridge from a
 * canonical procedure to the store.
 */
#ifndef MOTCUA_CATALOG_IO_H
#define MOTCUA_CATALOG_IO_H
#include <jansson.h>
#include "core/buf.h"
#include "store/store.h"

/* Imports a file: JSON ("format": "motcua-procedures/1") when it starts
 * with '{', else CSV with the header row of catalog_csv_columns.  Every
 * procedure is checked before anything is written; on the first problem
 * nothing changes and detail says where ("dòng N: …") and why. */
enum err catalog_import(struct store *st, const char *actor, const char *data, size_t len,
                        const char *name, size_t *count, size_t *changed, char *detail,
                        size_t dlen);
/* Exports the latest version of every procedure, ordered by code. */
enum err catalog_export(struct store *st, int csv, struct buf *out);
/* Stores one canonical procedure (admin form, API). */
enum err catalog_put(struct store *st, const char *actor, json_t *canon, const char *source,
                     int *changed);
/* The procedure object of a stored version (its data plus its status). */
json_t *catalog_object(const struct store_proc *p);

#endif
