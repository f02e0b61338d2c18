/*
 * db.h — internals shared by the SQLite operation files: per-thread
 * connections, the statement cache, the transaction runner and the
 * audit writer.  Nothing outside src/store includes this.
 */
#ifndef MOTCUA_STORE_DB_H
#define MOTCUA_STORE_DB_H
#include <sqlite3.h>
#include <jansson.h>
#include "store/store.h"

struct conn;

/* This thread's connection to st (opened on first use); NULL on failure. */
struct conn *db_conn(struct store *st);
sqlite3 *db_handle(struct conn *c);
/* A prepared statement for sql, cached per connection by the pointer of
 * the SQL text (pass string constants), reset and with bindings cleared. */
sqlite3_stmt *db_stmt(struct conn *c, const char *sql);
/* Maps a SQLite result code to our errors (BUSY → ERR_BUSY, …). */
enum err db_err(int rc);

/* Runs fn inside BEGIN IMMEDIATE … COMMIT, retrying on ERR_BUSY with
 * backoff.  Any other error rolls back and is returned. */
typedef enum err (*db_tx_fn)(struct conn *c, void *arg);
enum err db_tx(struct store *st, db_tx_fn fn, void *arg);
/* Runs fn outside a write transaction (reads). */
enum err db_read(struct store *st, db_tx_fn fn, void *arg);

/* Appends one audit event in the current transaction (must be inside
 * db_tx).  details is a JSON object or NULL; it is not consumed. */
enum err db_audit(struct conn *c, const char *actor, const char *action,
                  const char *object, json_t *details);

/* The file half of store_check: every attachment and image the database
 * refers to is on disk with its hash (backup.c). */
enum err db_check_files(struct store *st, struct store_check *out);

/* Copies a column's text into a bounded buffer. */
void db_col_text(sqlite3_stmt *s, int col, char *out, size_t outlen);

#endif
