/*
 * catalog_io.h — the catalogue's files, for the web and the CLI: a JSON
 * (docs/catalogue-format.md) or CSV file into checked procedures, and
 * procedures back into the file (export → import → export is exact).
 */
#ifndef MOTCUA_CATALOG_IO_H
#define MOTCUA_CATALOG_IO_H
#include "app/app.h"
#include "core/buf.h"
#include "core/proc.h"

/* Reads a file: JSON ("format": "motcua-procedures/1") when it starts
 * with '{', else CSV with the header row of catalog_csv_columns.  Every
 * procedure is read and checked (proc_check); on the first problem *v is
 * NULL and detail says where ("dòng N: …") and why.  *v: free with
 * proc_array_free. */
enum err catalog_parse(const char *data, size_t len, struct proc **v, size_t *n, char *detail,
                       size_t dlen);
/* Writes procedures, in the order given, as the JSON or CSV file. */
enum err catalog_write(const struct proc *v, size_t n, int csv, struct buf *out);

/* Imports a file through the service, all or nothing; detail says what
 * was refused (the file's line, or the service's reason). */
enum err catalog_import_as(struct app *a, const struct actor *ac, const char *data, size_t len,
                           const char *name, size_t *count, size_t *changed, char *detail,
                           size_t dlen);
/* Exports every procedure's latest version, ordered by code. */
enum err catalog_export_as(struct app *a, const struct actor *ac, int csv, struct buf *out);

/* The same for the CLI (init, import, export): the service over st,
 * acting as the system under the audit name `actor`. */
enum err catalog_import(struct store *st, const char *actor, const char *data, size_t len,
                        const char *name, size_t *count, size_t *changed, char *detail,
                        size_t dlen);
enum err catalog_export(struct store *st, int csv, struct buf *out);

#endif
