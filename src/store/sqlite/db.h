/*
 * db.h — internals shared by the SQLite operation files: per-thread
 * connections, the statement cache and its bind/step helpers (q_*), the
 * transaction runner, read snapshots and the audit writer.  Nothing
 * outside src/store includes this.
 */
#ifndef MOTCUA_STORE_DB_H
#define MOTCUA_STORE_DB_H
#include <sqlite3.h>
#include <jansson.h>
#include "store/facts.h"
#include "store/store.h"

struct conn;

/* This thread's connection to st (opened on first use); NULL on failure. */
struct conn *db_conn(struct store *st);
sqlite3 *db_handle(struct conn *c);
struct store *db_store(struct conn *c);
/* A prepared statement for sql, cached per connection by the pointer of
 * the SQL text (pass string constants), reset and with bindings cleared. */
sqlite3_stmt *db_stmt(struct conn *c, const char *sql);
/* Maps a SQLite result code to our errors (BUSY → ERR_BUSY, …). */
enum err db_err(int rc);

/* ---- the one bind/step helper set ------------------------------------ */
/* Binds the arguments to parameters 1, 2, … of s in order; each letter of
 * fmt says what the next argument is:
 *   t  const char *          text; NULL binds NULL
 *   T  const char *          text; NULL or "" binds NULL
 *   s  const char *          text; NULL binds "" (columns NOT NULL DEFAULT '')
 *   i  int64_t               integer
 *   I  int64_t               integer; 0 binds NULL
 *   d  int                   integer
 *   b  const void *, int     blob of that many bytes
 *   -  (no argument)         leaves the parameter NULL
 * Texts and blobs are bound SQLITE_STATIC: they must outlive the step.
 * A NULL is bound by leaving the parameter alone, so s must come fresh
 * from db_stmt (bindings cleared); a statement may be bound in parts
 * ("TT" then "--dd").
 * Returns ERR_OK, or ERR_INTERNAL when a bind fails (wrong count). */
enum err q_bind(sqlite3_stmt *s, const char *fmt, ...);
/* Steps s once for a statement that returns no row, then resets it. */
enum err q_exec(sqlite3_stmt *s);
/* Steps s: ERR_OK with a row to read (the caller resets s when done, or
 * steps again), ERR_NOT_FOUND when there are no more rows, or the error.
 * On anything but ERR_OK s is reset. */
enum err q_row(sqlite3_stmt *s);
/* Ends a row loop: resets s and turns ERR_NOT_FOUND (rows exhausted)
 * into ERR_OK; any other e is returned as is. */
enum err q_end(sqlite3_stmt *s, enum err e);
/* Steps s to the end and gives column 0 of its first row in *v (0 when
 * there is none; *found, when given, says which).  For counts and
 * INSERT/UPDATE … RETURNING. */
enum err q_int(sqlite3_stmt *s, int64_t *v, int *found);
/* Steps s once and copies column col of its row into out (bounded, ""
 * for NULL), then resets s: for lookups of one value by a key.
 * ERR_NOT_FOUND when there is no row (out is left as it was). */
enum err q_text(sqlite3_stmt *s, int col, char *out, size_t outlen);
/* Copies a column's text into a bounded buffer ("" for NULL). */
void db_col_text(sqlite3_stmt *s, int col, char *out, size_t outlen);
/* A column's text, "" for NULL (valid until the next step or reset). */
const char *db_col_str(sqlite3_stmt *s, int col);
/* A malloc'd copy of a column's text ("" for NULL); NULL when out of memory. */
char *db_col_dup(sqlite3_stmt *s, int col);

/* ---- transactions ------------------------------------------------------ */
/* Runs fn inside BEGIN IMMEDIATE … COMMIT.  When the database is busy
 * (another writer holds the lock, or fn or COMMIT reports it) the whole
 * transaction is retried after a jittered, doubling pause; the total
 * wait is bounded by DB_BUSY_BUDGET_MS, after which ERR_BUSY is returned
 * (the HTTP layer answers 503): a worker is never held for long.  Any
 * other error rolls back and is returned. */
#define DB_BUSY_BUDGET_MS 2000
typedef enum err (*db_tx_fn)(struct conn *c, void *arg);
/* The facts hook (store/facts.h) and the step that runs it before every
 * COMMIT (facts.c). */
void db_facts_hook(struct store *st, store_facts_hook *fn, void **arg);
enum err facts_flush(struct conn *c);
enum err db_tx(struct store *st, db_tx_fn fn, void *arg);
/* db_tx for many small, independent writes arriving at once (dossier
 * intake): the call queues fn and waits; one waiting thread runs every
 * queued fn in one transaction, each in its own savepoint, and commits
 * them together (one fsync for all).  fn runs on that thread with its
 * connection c: it must reach the database only through c (or store
 * calls on the same thread, which find c's open transaction) and keep
 * its state in arg.  Its own error undoes only its own work; ERR_BUSY
 * and a failed COMMIT are every job's.  The results, the bounded wait
 * and the commit order (audit events in commit order) are db_tx's.
 * With MOTCUA_GROUP_COMMIT=0 in the environment when the store was
 * opened, it is db_tx. */
enum err db_tx_group(struct store *st, db_tx_fn fn, void *arg);
/* Runs fn in one read transaction: every statement fn runs sees the same
 * snapshot of the database (a list and its count agree even while
 * others write).  Inside a transaction already, fn simply runs in it. */
enum err db_read(struct store *st, db_tx_fn fn, void *arg);

/* Inside db_tx: indexes the folded name key of the new dossier id for
 * the search by name (dossier_name_keys, migration 0019; dossiers.c). */
enum err db_dossier_name_add(struct conn *c, int64_t id, const char *key);

/* ---- the audit trail (audit.c) ----------------------------------------- */
/* Appends one audit event in the current transaction (must be inside
 * db_tx).  details is a JSON object or NULL; it is not consumed.  The
 * event is keyed with the data folder's audit key (created on the first
 * write when the chain has never been keyed); ERR_AUDIT_KEY when the
 * chain was keyed but the key is gone. */
enum err db_audit(struct conn *c, const char *actor, const char *action,
                  const char *object, json_t *details);

/* The audit key: 32 bytes from DIR/audit.key, used from event `from` on. */
struct audit_key {
	int state;                 /* AKEY_NONE, AKEY_OK, AKEY_BAD (unreadable) */
	int64_t from;              /* the first event keyed with it */
	unsigned char key[32];
};
enum { AKEY_NONE, AKEY_OK, AKEY_BAD };
/* The store's copy of the key (loaded by store_open).  Guarded by the
 * write lock: only changed inside db_tx. */
struct audit_key *db_audit_key(struct store *st);
/* Reads DIR/audit.key into k (state NONE when there is no such file). */
void audit_key_load(const char *dir, struct audit_key *k);
/* Inside db_tx: makes sure the store has a key, creating DIR/audit.key
 * (0600) when the chain has never been keyed, starting at the next event. */
enum err audit_key_ensure(struct conn *c);

/* ---- the outbox (outbox.c) ----------------------------------------------- */
/* Inside db_tx: writes msgs (store.h struct store_outbox_msg) rendered
 * from their templates, for dossier (id, code, version after the change)
 * or, with dossier_id 0, as messages of their own. */
enum err db_outbox_insert(struct conn *c, int64_t dossier_id, const char *code, int64_t version,
                          const struct store_outbox_msg *msgs, size_t n, int64_t now);

/* ---- verification -------------------------------------------------------- */
/* The file half of store_check: every attachment and image the database
 * refers to is on disk with its hash (backup.c). */
/* An attachment's kind, component, component name and reused_from from
 * columns col … col + 3 (dossiers.c; digital.c reads them too). */
void store_att_extra(sqlite3_stmt *s, int col, struct store_attachment *at);
enum err db_check_files(struct conn *c, struct store_check *out);
/* The business tables agree with the audit chain (verify.c). */
enum err db_check_tables(struct conn *c, struct store_check *out);

#endif
