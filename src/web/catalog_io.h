/*
 * catalog_io.h — the catalogue's files, for the web and the CLI: a JSON
 * (docs/catalogue-format.md) or CSV file into checked procedures, and
 * procedures back into the file (export → import → export is exact).
 */
#ifndef MOTCUA_CATALOG_IO_H
#define MOTCUA_CATALOG_IO_H
#include <jansson.h>
#include "core/buf.h"
#include "core/proc.h"
#include "store/store.h"

/* Reads a file: JSON ("format": "motcua-procedures/1") when it starts
 * with '{', else CSV with the header row of catalog_csv_columns.  Every
 * procedure is read and checked (proc_check); on the first problem *v is
 * NULL and detail says where ("dòng N: …") and why.  *v: free with
 * catalog_procs_free. */
enum err catalog_parse(const char *data, size_t len, struct proc **v, size_t *n, char *detail,
                       size_t dlen);
void catalog_procs_free(struct proc *v, size_t n);
/* Writes procedures, in the order given, as the JSON or CSV file. */
enum err catalog_write(const struct proc *v, size_t n, int csv, struct buf *out);

/* Imports a file, all or nothing (one code once per file). */
enum err catalog_import(struct store *st, const char *actor, const char *data, size_t len,
                        const char *name, size_t *count, size_t *changed, char *detail,
                        size_t dlen);
/* Exports the latest version of every procedure, ordered by code. */
enum err catalog_export(struct store *st, int csv, struct buf *out);
/* Stores one checked procedure (admin form, API). */
enum err catalog_put(struct store *st, const char *actor, const struct proc *p, const char *source,
                     int *changed);
/* The procedure object of a stored version (the codec's canonical form). */
json_t *catalog_object(const struct store_proc *p);

#endif
