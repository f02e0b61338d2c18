/*
 * db.c — SQLite connections, statement cache, migrations and the
 * transaction runner.
 *
 * Durability: WAL with synchronous=FULL, so an acknowledged commit
 * survives power loss.  Each thread (an HTTP worker, the CLI) gets its own
 * connection through a pthread key; connections are also listed in the
 * store so store_close() can close those of threads that are gone.
 *
 * Writers of this process take turns at the writer gate, first come first
 * served, before BEGIN IMMEDIATE: SQLite's busy handler polls with
 * sleeps, so sixteen threads retrying on it let some of them lose every
 * round until their budget ran out (a clerk's intake answered "database
 * busy" under load).  The gate hands the turn from one writer to the
 * next; a writer waits for its turn at most WRITER_WAIT_S.  Other
 * processes (the CLI, sqlite3) still meet SQLite's lock: there SQLite's
 * own busy handler waits at most BUSY_TIMEOUT_MS per attempt, and db_tx
 * retries a busy transaction with jittered, doubling pauses until
 * DB_BUSY_BUDGET_MS have passed in all, then gives up with ERR_BUSY.
 * Reads of several statements run in one read transaction (a snapshot)
 * and never wait at the gate.
 *
 * Group commit: db_tx_group queues a transaction; one of the waiting
 * threads (the leader) runs every queued job in one BEGIN IMMEDIATE …
 * COMMIT, each in its own savepoint, so concurrent intakes share one
 * fsync.  MOTCUA_GROUP_COMMIT=0 at startup makes it plain db_tx.
 *
 * Invariants are checked with assert() (SQLite's way): cheap checks on
 * arguments and states the code relies on.  Both builds keep them on —
 * the Makefile never defines NDEBUG, so a broken invariant stops the
 * process with a message instead of writing wrong data.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "embed.h"
#include "store/sqlite/db.h"
#include "store/sqlite/fts_vi.h"

#define BUSY_TIMEOUT_MS 100
#define WRITER_WAIT_S 30   /* the longest wait for the writer gate */

#define STMT_CACHE 384  /* above the number of statements in src/store/sqlite (about 180) */

struct conn {
	sqlite3 *db;
	struct store *st;
	struct conn *next;
	size_t nstmt;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
};

struct tx_job;

/* A writer waiting at the gate (on its own stack). */
struct gate_wait {
	pthread_cond_t cv;
	int granted;               /* the turn was handed to it (under wlock) */
	struct gate_wait *next;
};

struct store {
	char path[4096];
	char wal_path[4200];
	char dir[4096];
	pthread_key_t key;
	pthread_mutex_t lock;
	struct conn *conns;
	int version;
	enum store_mode mode;
	struct audit_key akey;
	store_facts_hook facts_fn;  /* the application's (store_facts_set_hook) */
	void *facts_arg;
	int group;                      /* group commit on (db_tx_group) */
	pthread_mutex_t glock;          /* guards the queue below */
	struct tx_job *ghead, *gtail;   /* waiting jobs; the head's thread leads */
	pthread_mutex_t wlock;          /* the writer gate: guards the three below */
	int wbusy;                      /* a writer of this process holds the turn */
	struct gate_wait *whead, *wtail; /* writers waiting for it, in arrival order */
};

enum err
db_err(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return ERR_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ERR_BUSY;
	case SQLITE_CONSTRAINT:
		return ERR_CONFLICT;
	case SQLITE_NOMEM:
		return ERR_NOMEM;
	default:
		return ERR_INTERNAL;
	}
}

static void
conn_close(struct conn *c)
{
	for (size_t i = 0; i < c->nstmt; i++)
		sqlite3_finalize(c->cache[i].stmt);
	sqlite3_close_v2(c->db);
	free(c);
}

/* Thread exit: close this thread's connection. */
static void
conn_destructor(void *p)
{
	struct conn *c = p;
	struct store *st = c->st;
	pthread_mutex_lock(&st->lock);
	for (struct conn **pp = &st->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	pthread_mutex_unlock(&st->lock);
	conn_close(c);
}

static int
exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fprintf(stderr, "sqlite: %s\n", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc;
}

static sqlite3 *
open_db(const char *path, int create)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db,
	                         SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
	                             SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close_v2(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	/* Vietnamese search tokenizer, collation and vi_fold() on every connection. */
	if (fts_vi_register(db) != SQLITE_OK) {
		sqlite3_close_v2(db);
		return NULL;
	}
	/* temp_store=MEMORY: the small temporary b-trees of RETURNING and of
	 * the CHECK (… IN (…)) lists would otherwise create and delete a file
	 * in /var/tmp per statement (a tenth of an intake's CPU).  No request
	 * sorts a large set any more (every list reads an index range); the
	 * migrations, which build indexes over millions of rows, run with
	 * FILE (migrate). */
	if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	             "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF; PRAGMA temp_store=MEMORY;") != SQLITE_OK) {
		sqlite3_close_v2(db);
		return NULL;
	}
	return db;
}

struct conn *
db_conn(struct store *st)
{
	struct conn *c = pthread_getspecific(st->key);
	if (c)
		return c;
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->db = open_db(st->path, st->mode == STORE_CREATE);
	if (!c->db) {
		free(c);
		return NULL;
	}
	c->st = st;
	pthread_mutex_lock(&st->lock);
	c->next = st->conns;
	st->conns = c;
	pthread_mutex_unlock(&st->lock);
	pthread_setspecific(st->key, c);
	return c;
}

sqlite3 *
db_handle(struct conn *c)
{
	return c->db;
}

struct store *
db_store(struct conn *c)
{
	return c->st;
}

struct audit_key *
db_audit_key(struct store *st)
{
	return &st->akey;
}

sqlite3_stmt *
db_stmt(struct conn *c, const char *sql)
{
	assert(c && sql);
	for (size_t i = 0; i < c->nstmt; i++)
		if (c->cache[i].sql == sql) {
			sqlite3_reset(c->cache[i].stmt);
			sqlite3_clear_bindings(c->cache[i].stmt);
			return c->cache[i].stmt;
		}
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlite prepare: %s\n", sqlite3_errmsg(c->db));
		return NULL;
	}
	if (c->nstmt < STMT_CACHE) {
		c->cache[c->nstmt].sql = sql;
		c->cache[c->nstmt].stmt = s;
		c->nstmt++;
	} else {
		/* Cache full (cannot happen with our fixed set of statements):
		 * evict the oldest so the statement still works. */
		sqlite3_finalize(c->cache[0].stmt);
		memmove(&c->cache[0], &c->cache[1], (STMT_CACHE - 1) * sizeof c->cache[0]);
		c->cache[STMT_CACHE - 1].sql = sql;
		c->cache[STMT_CACHE - 1].stmt = s;
	}
	return s;
}

/* ---- the bind/step helpers ------------------------------------------------ */

enum err
q_bind(sqlite3_stmt *s, const char *fmt, ...)
{
	assert(s && fmt);
	va_list ap;
	va_start(ap, fmt);
	int rc = SQLITE_OK, i = 1;
	for (const char *f = fmt; *f && rc == SQLITE_OK; f++, i++) {
		const char *t;
		int64_t v;
		switch (*f) {
		case 't':
		case 'T':
		case 's':
			t = va_arg(ap, const char *);
			if (*f == 's' && !t)
				t = "";
			if (!t || (*f == 'T' && !*t))
				;   /* already NULL: db_stmt cleared the bindings */
			else
				rc = sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
			break;
		case 'i':
		case 'I':
			v = va_arg(ap, int64_t);
			if (*f != 'I' || v)
				rc = sqlite3_bind_int64(s, i, v);
			break;
		case 'd':
			rc = sqlite3_bind_int(s, i, va_arg(ap, int));
			break;
		case 'b':
			t = va_arg(ap, const char *);
			rc = sqlite3_bind_blob(s, i, t, va_arg(ap, int), SQLITE_STATIC);
			break;
		case '-':
			break;
		default:
			assert(!"q_bind: unknown format letter");
			rc = SQLITE_MISUSE;
		}
	}
	va_end(ap);
	return rc == SQLITE_OK ? ERR_OK : ERR_INTERNAL;
}

enum err
q_exec(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	assert(rc != SQLITE_ROW);   /* a statement that returns rows is read with q_row */
	return rc == SQLITE_DONE ? ERR_OK : db_err(rc);
}

enum err
q_row(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return ERR_OK;
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? ERR_NOT_FOUND : db_err(rc) ? db_err(rc) : ERR_INTERNAL;
}

enum err
q_end(sqlite3_stmt *s, enum err e)
{
	sqlite3_reset(s);
	return e == ERR_NOT_FOUND ? ERR_OK : e;
}

enum err
q_int(sqlite3_stmt *s, int64_t *v, int *found)
{
	int rc = sqlite3_step(s);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (found)
		*found = rc == SQLITE_ROW;
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? ERR_OK : db_err(rc);
}

enum err
q_text(sqlite3_stmt *s, int col, char *out, size_t outlen)
{
	enum err e = q_row(s);
	if (e == ERR_OK) {
		db_col_text(s, col, out, outlen);
		sqlite3_reset(s);
	}
	return e;
}

void
db_col_text(sqlite3_stmt *s, int col, char *out, size_t outlen)
{
	if (!outlen)
		return;
	const char *t = (const char *)sqlite3_column_text(s, col);
	size_t n = t ? strnlen(t, outlen - 1) : 0;   /* as snprintf "%s": cut to fit */
	memcpy(out, t ? t : "", n);
	out[n] = '\0';
}

const char *
db_col_str(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	return t ? (const char *)t : "";
}

char *
db_col_dup(sqlite3_stmt *s, int col)
{
	return strdup(db_col_str(s, col));
}

/* ---- the transaction runner ------------------------------------------------ */

static int64_t
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps before retry `attempt` (1, 2, …): a random pause in
 * [base/2, base] with base = 4 ms doubling up to 256 ms, never past the
 * deadline.  The jitter keeps workers that collided from colliding again.
 * Returns 0, or -1 when the budget is spent. */
static int
backoff(int attempt, int64_t deadline)
{
	int64_t left = deadline - mono_ms();
	if (left <= 0)
		return -1;
	int64_t base = (int64_t)4 << (attempt < 6 ? attempt : 6);
	int64_t ms = base / 2 + (int64_t)randombytes_uniform((uint32_t)(base / 2 + 1));
	if (ms > left)
		ms = left;
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
	return 0;
}

/* Transaction control, prepared once per connection (sqlite3_exec would
 * parse the text again on every call: a tenth of a lookup's work). */
static const char SQL_BEGIN[] = "BEGIN";
static const char SQL_BEGIN_IMMEDIATE[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

/* Runs one of the statements above; a SQLite result code. */
static int
ctl(struct conn *c, const char *sql)
{
	sqlite3_stmt *s = db_stmt(c, sql);
	if (!s)
		return SQLITE_NOMEM;
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Ends whatever transaction is still open (after a failure). */
static void
rollback_open(struct conn *c)
{
	if (!sqlite3_get_autocommit(c->db))
		ctl(c, SQL_ROLLBACK);
}

void
store_facts_set_hook(struct store *st, store_facts_hook fn, void *arg)
{
	st->facts_fn = fn;
	st->facts_arg = arg;
}

void
db_facts_hook(struct store *st, store_facts_hook *fn, void **arg)
{
	*fn = st->facts_fn;
	*arg = st->facts_arg;
}

/* Ends the open transaction: COMMIT when e is ERR_OK, else (or when the
 * COMMIT fails) ROLLBACK.  The transaction's result. */
static enum err
tx_end(struct conn *c, enum err e)
{
	if (e == ERR_OK) {
		int rc = ctl(c, SQL_COMMIT);
		if (rc == SQLITE_OK)
			return ERR_OK;
		e = db_err(rc);
	}
	rollback_open(c);
	return e;
}

/* The store's step before a transaction commits, run after each
 * transaction's (or grouped job's) fn, inside it: a failure undoes that
 * fn's work like its own error would.  It computes the statistics facts
 * of the dossiers the work touched (store/facts.h). */
static enum err
before_commit(struct conn *c)
{
	return facts_flush(c);
}

/* Takes the writer's turn, waiting behind the writers that came first:
 * 0, or -1 after WRITER_WAIT_S (the caller answers ERR_BUSY). */
static int
gate_enter(struct store *st)
{
	pthread_mutex_lock(&st->wlock);
	if (!st->wbusy && !st->whead) {
		st->wbusy = 1;
		pthread_mutex_unlock(&st->wlock);
		return 0;
	}
	struct gate_wait me = {.granted = 0};
	pthread_cond_init(&me.cv, NULL);
	if (st->wtail)
		st->wtail->next = &me;
	else
		st->whead = &me;
	st->wtail = &me;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WRITER_WAIT_S;
	int rc = 0;
	while (!me.granted && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&me.cv, &st->wlock, &until);
	if (!me.granted) {   /* out of the queue, which the turn never reached */
		struct gate_wait **p = &st->whead, *prev = NULL;
		while (*p != &me) {
			prev = *p;
			p = &(*p)->next;
		}
		*p = me.next;
		if (st->wtail == &me)
			st->wtail = prev;
	}
	pthread_mutex_unlock(&st->wlock);
	pthread_cond_destroy(&me.cv);
	return me.granted ? 0 : -1;
}

/* Hands the turn to the first writer waiting, or frees the gate. */
static void
gate_leave(struct store *st)
{
	pthread_mutex_lock(&st->wlock);
	assert(st->wbusy);
	struct gate_wait *w = st->whead;
	if (w) {
		st->whead = w->next;
		if (!st->whead)
			st->wtail = NULL;
		w->granted = 1;   /* wbusy stays set: the turn passes to w */
		pthread_cond_signal(&w->cv);
	} else {
		st->wbusy = 0;
	}
	pthread_mutex_unlock(&st->wlock);
}

/* One attempt of fn in BEGIN IMMEDIATE … COMMIT. */
static enum err
tx_once(struct conn *c, db_tx_fn fn, void *arg)
{
	if (gate_enter(c->st) != 0)
		return ERR_BUSY;
	int rc = ctl(c, SQL_BEGIN_IMMEDIATE);
	enum err e = db_err(rc);
	if (rc == SQLITE_OK) {
		e = fn(c, arg);
		if (e == ERR_OK)
			e = before_commit(c);
		e = tx_end(c, e);
	}
	gate_leave(c->st);
	return e;
}

enum err
db_tx(struct store *st, db_tx_fn fn, void *arg)
{
	assert(st && fn);
	struct conn *c = db_conn(st);
	if (!c)
		return ERR_UNAVAILABLE;
	/* a write never nests: the caller is not inside a transaction */
	assert(sqlite3_get_autocommit(c->db));
	int64_t deadline = mono_ms() + DB_BUSY_BUDGET_MS;
	enum err e;
	for (int attempt = 0;; attempt++) {
		if (attempt && backoff(attempt, deadline) != 0)
			return ERR_BUSY;
		e = tx_once(c, fn, arg);
		if (e != ERR_BUSY)
			break;
	}
	assert(sqlite3_get_autocommit(c->db));
	return e;
}

/* ---- group commit ----------------------------------------------------------- */

/* A transaction waiting in db_tx_group: its function, its result, and
 * the condition its thread sleeps on.  Lives on the waiter's stack; the
 * leader touches it only until it sets done under glock. */
struct tx_job {
	db_tx_fn fn;
	void *arg;
	enum err result;
	int lost;              /* SQLite ended the batch's transaction under this job */
	int done;              /* result is final (set under glock) */
	pthread_cond_t cv;
	struct tx_job *next;
};

/* The most jobs one commit takes: bounds the leader's own wait and the
 * transaction's length (the next leader takes the rest at once). */
#define GROUP_MAX 64

static const char SQL_SAVEPOINT[] = "SAVEPOINT job";
static const char SQL_RELEASE[] = "RELEASE job";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO job";

/* Runs one job in its savepoint inside the batch's transaction.  Its own
 * failure rolls back to the savepoint and is its result alone (ERR_OK is
 * returned, so the batch goes on); ERR_BUSY and failures of the
 * savepoint statements stop the batch; *lost is set when SQLite ended the
 * whole transaction under the job (an I/O error, out of memory). */
static enum err
group_job(struct conn *c, struct tx_job *j, int *lost)
{
	int rc = ctl(c, SQL_SAVEPOINT);
	if (rc != SQLITE_OK)
		return db_err(rc);
	enum err e = j->fn(c, j->arg);
	if (e == ERR_OK)
		e = before_commit(c);
	j->result = e;
	if (sqlite3_get_autocommit(c->db)) {
		j->result = e ? e : ERR_INTERNAL;
		j->lost = *lost = 1;
		return j->result;
	}
	if (e == ERR_OK)
		rc = ctl(c, SQL_RELEASE);
	else if (e == ERR_BUSY)
		return e;
	else if ((rc = ctl(c, SQL_ROLLBACK_TO)) == SQLITE_OK)
		rc = ctl(c, SQL_RELEASE);
	return db_err(rc);
}

/* One attempt of the batch: BEGIN IMMEDIATE, each job not lost in a
 * savepoint, one COMMIT.  ERR_OK when committed (each job's result is
 * then its own); else the error that stopped the batch, everything
 * rolled back. */
static enum err
group_once(struct conn *c, struct tx_job **jobs, size_t n, int *lost)
{
	*lost = 0;
	if (gate_enter(c->st) != 0)
		return ERR_BUSY;
	int rc = ctl(c, SQL_BEGIN_IMMEDIATE);
	enum err e = db_err(rc);
	if (rc == SQLITE_OK) {
		for (size_t i = 0; i < n && !e; i++)
			if (!jobs[i]->lost)
				e = group_job(c, jobs[i], lost);
		e = tx_end(c, e);
	}
	gate_leave(c->st);
	return e;
}

/* The leader's work: the batch with db_tx's retries.  A busy database
 * retries the whole batch with backoff until the budget is spent; a
 * transaction lost under one job runs the others again without it; any
 * other failure of the batch is every job's result (except a job's own
 * error, which it keeps). */
static void
group_run(struct conn *c, struct tx_job **jobs, size_t n)
{
	int64_t deadline = mono_ms() + DB_BUSY_BUDGET_MS;
	enum err e;
	int lost;
	for (int attempt = 0;; attempt++) {
		if (attempt && backoff(attempt, deadline) != 0) {
			e = ERR_BUSY;
			break;
		}
		e = group_once(c, jobs, n, &lost);
		if (e == ERR_OK)
			return;
		if (e != ERR_BUSY && !lost)
			break;
	}
	for (size_t i = 0; i < n; i++)
		if (!jobs[i]->lost && (e == ERR_BUSY || jobs[i]->result == ERR_OK))
			jobs[i]->result = e;
	assert(sqlite3_get_autocommit(c->db));
}

enum err
db_tx_group(struct store *st, db_tx_fn fn, void *arg)
{
	assert(st && fn);
	if (!st->group)
		return db_tx(st, fn, arg);
	struct conn *c = db_conn(st);
	if (!c)
		return ERR_UNAVAILABLE;
	assert(sqlite3_get_autocommit(c->db));   /* a write never nests */
	struct tx_job me = {.fn = fn, .arg = arg};
	pthread_cond_init(&me.cv, NULL);
	pthread_mutex_lock(&st->glock);
	if (st->gtail)
		st->gtail->next = &me;
	else
		st->ghead = &me;
	st->gtail = &me;
	while (!me.done && st->ghead != &me)
		pthread_cond_wait(&me.cv, &st->glock);
	if (me.done) {   /* a leader ran it */
		pthread_mutex_unlock(&st->glock);
		pthread_cond_destroy(&me.cv);
		return me.result;
	}
	/* the head of the queue leads: it takes every job queued behind it
	 * (up to GROUP_MAX) and runs them on its own connection, while
	 * newcomers queue for the next commit */
	struct tx_job *jobs[GROUP_MAX];
	size_t n = 0;
	for (struct tx_job *j = st->ghead; j && n < GROUP_MAX; j = j->next)
		jobs[n++] = j;
	pthread_mutex_unlock(&st->glock);
	group_run(c, jobs, n);
	pthread_mutex_lock(&st->glock);
	st->ghead = jobs[n - 1]->next;
	if (!st->ghead)
		st->gtail = NULL;
	/* a waiter returns (and its job leaves the stack) once it holds
	 * glock again, so each is signalled while we still hold it */
	for (size_t i = 1; i < n; i++) {
		jobs[i]->done = 1;
		pthread_cond_signal(&jobs[i]->cv);
	}
	if (st->ghead)   /* the next leader */
		pthread_cond_signal(&st->ghead->cv);
	pthread_mutex_unlock(&st->glock);
	pthread_cond_destroy(&me.cv);
	return me.result;
}

enum err
db_read(struct store *st, db_tx_fn fn, void *arg)
{
	assert(st && fn);
	struct conn *c = db_conn(st);
	if (!c)
		return ERR_UNAVAILABLE;
	if (!sqlite3_get_autocommit(c->db))
		return fn(c, arg);
	int64_t deadline = mono_ms() + DB_BUSY_BUDGET_MS;
	enum err e;
	for (int attempt = 0;; attempt++) {
		if (attempt && backoff(attempt, deadline) != 0)
			return ERR_BUSY;
		int rc = ctl(c, SQL_BEGIN);
		if (rc != SQLITE_OK)
			return db_err(rc);
		e = fn(c, arg);
		/* a read transaction has nothing to commit: end it either way */
		rc = ctl(c, e ? SQL_ROLLBACK : SQL_COMMIT);
		if (!e && rc != SQLITE_OK)
			e = db_err(rc);
		rollback_open(c);
		if (e != ERR_BUSY)
			break;
	}
	return e;
}

struct snapshot_arg {
	enum err (*fn)(void *);
	void *arg;
};

static enum err
snapshot_fn(struct conn *c, void *arg)
{
	(void)c;
	struct snapshot_arg *a = arg;
	return a->fn(a->arg);
}

enum err
store_snapshot(struct store *st, enum err (*fn)(void *arg), void *arg)
{
	struct snapshot_arg a = {fn, arg};
	return db_read(st, snapshot_fn, &a);
}

/* ---- migrations ---------------------------------------------------- */

#define MIG_PREFIX "sql/sqlite/"

/* Applies every embedded migration newer than PRAGMA user_version, each
 * in its own transaction.  Another process may be opening the same
 * folder: wait for its lock up to the whole busy budget. */
static int
migrate_all(sqlite3 *db, int *version, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	sqlite3_busy_timeout(db, DB_BUSY_BUDGET_MS);
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return -1;
	int cur = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	for (size_t i = 0; i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		if (strncmp(f->name, MIG_PREFIX, strlen(MIG_PREFIX)) != 0)
			continue;
		int n = atoi(f->name + strlen(MIG_PREFIX));
		if (n <= cur)
			continue;
		if (exec(db, "BEGIN IMMEDIATE") != SQLITE_OK) {
			snprintf(err, errlen, "không bắt đầu được giao dịch nâng cấp CSDL");
			return -1;
		}
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", n);
		if (exec(db, (const char *)f->data) != SQLITE_OK || exec(db, pragma) != SQLITE_OK) {
			exec(db, "ROLLBACK");
			snprintf(err, errlen, "nâng cấp CSDL thất bại ở %s", f->name);
			return -1;
		}
		if (exec(db, "COMMIT") != SQLITE_OK) {
			snprintf(err, errlen, "không ghi được nâng cấp CSDL %s", f->name);
			return -1;
		}
		cur = n;
	}
	*version = cur;
	return 0;
}

static int
migrate(sqlite3 *db, int *version, char *err, size_t errlen)
{
	exec(db, "PRAGMA temp_store=FILE");
	int rc = migrate_all(db, version, err, errlen);
	exec(db, "PRAGMA temp_store=MEMORY");
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	return rc;
}

/* Refuses a folder without a database, creating nothing (check, backup,
 * user, import … must never turn a mistyped path into an empty, "sound"
 * data folder).  Returns 0 when DIR/motcua.db is a file. */
static int
must_exist(const char *dir, const char *path, char *err, size_t errlen)
{
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "không có thư mục dữ liệu %s. Kiểm tra lại đường dẫn --data, "
		                      "hoặc tạo dữ liệu mới bằng: motcua init --data %s", dir, dir);
		return -1;
	}
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "thư mục %s không chứa dữ liệu motcua (không có tệp motcua.db). "
		                      "Kiểm tra lại đường dẫn --data, hoặc tạo dữ liệu mới bằng: motcua init --data %s",
		         dir, dir);
		return -1;
	}
	return 0;
}

static enum err
key_fn(struct conn *c, void *arg)
{
	(void)arg;
	return audit_key_ensure(c);
}

int
store_open_mode(struct store **out, const char *dir, enum store_mode mode, char *err, size_t errlen)
{
	assert(out && dir && err && errlen > 0);
	assert(mode == STORE_CREATE || mode == STORE_EXISTING);
	char path[4096];
	if (snprintf(path, sizeof path, "%s/motcua.db", dir) >= (int)sizeof path) {
		snprintf(err, errlen, "đường dẫn thư mục dữ liệu quá dài");
		return -1;
	}
	if (mode == STORE_EXISTING && must_exist(dir, path, err, errlen) != 0)
		return -1;
	if (mode == STORE_CREATE && mkdir(dir, 0750) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "không tạo được thư mục dữ liệu %s: %s", dir, strerror(errno));
		return -1;
	}
	struct store *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, errlen, "hết bộ nhớ");
		return -1;
	}
	st->mode = mode;
	snprintf(st->path, sizeof st->path, "%s", path);
	snprintf(st->dir, sizeof st->dir, "%s", dir);
	snprintf(st->wal_path, sizeof st->wal_path, "%s-wal", st->path);
	pthread_mutex_init(&st->lock, NULL);
	pthread_mutex_init(&st->glock, NULL);
	pthread_mutex_init(&st->wlock, NULL);
	/* read once: the switch for measuring intake without group commit */
	const char *g = getenv("MOTCUA_GROUP_COMMIT");
	st->group = !(g && strcmp(g, "0") == 0);
	if (pthread_key_create(&st->key, conn_destructor) != 0) {
		free(st);
		snprintf(err, errlen, "không tạo được khóa luồng");
		return -1;
	}
	struct conn *c = db_conn(st);
	if (!c) {
		snprintf(err, errlen, "không mở được cơ sở dữ liệu %s", st->path);
		store_close(st);
		return -1;
	}
	if (migrate(c->db, &st->version, err, errlen) != 0) {
		store_close(st);
		return -1;
	}
	audit_key_load(dir, &st->akey);
	/* init and serve write; they make sure the audit key exists first */
	enum err e = mode == STORE_CREATE ? db_tx(st, key_fn, NULL) : ERR_OK;
	if (e) {
		if (e == ERR_AUDIT_KEY)
			snprintf(err, errlen, "thiếu hoặc hỏng khóa nhật ký kiểm toán %s/audit.key trong khi nhật ký "
			                      "đã được khóa bằng nó. Hãy chép lại tệp audit.key từ nơi cất giữ riêng "
			                      "(xem docs/OPERATIONS.md) rồi chạy lại.", dir);
		else
			snprintf(err, errlen, "không tạo được khóa nhật ký kiểm toán %s/audit.key: %s", dir,
			         err_message(e));
		store_close(st);
		return -1;
	}
	*out = st;
	return 0;
}

int
store_open(struct store **out, const char *dir, char *err, size_t errlen)
{
	return store_open_mode(out, dir, STORE_CREATE, err, errlen);
}

void
store_close(struct store *st)
{
	if (!st)
		return;
	struct conn *mine = pthread_getspecific(st->key);
	if (mine)
		pthread_setspecific(st->key, NULL);
	pthread_mutex_lock(&st->lock);
	struct conn *c = st->conns;
	st->conns = NULL;
	pthread_mutex_unlock(&st->lock);
	while (c) {
		struct conn *next = c->next;
		conn_close(c);
		c = next;
	}
	pthread_key_delete(st->key);
	pthread_mutex_destroy(&st->lock);
	assert(!st->ghead);   /* nobody waits on a closing store */
	pthread_mutex_destroy(&st->glock);
	pthread_mutex_destroy(&st->wlock);
	free(st);
}

int
store_schema_version(struct store *st)
{
	return st->version;
}

const char *
store_dir(const struct store *st)
{
	return st->dir;
}

int64_t
store_db_size(struct store *st)
{
	struct stat sb;
	int64_t n = 0;
	if (stat(st->path, &sb) == 0)
		n += sb.st_size;
	if (stat(st->wal_path, &sb) == 0)
		n += sb.st_size;
	return n;
}

