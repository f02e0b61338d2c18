/*
 * db.c — SQLite connections, statement cache, migrations and the
 * transaction runner.
 *
 * Durability: WAL with synchronous=FULL, so an acknowledged commit
 * survives power loss.  Each thread (an HTTP worker, the CLI) gets its own
 * connection through a pthread key; connections are also listed in the
 * store so store_close() can close those of threads that are gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "embed.h"
#include "store/sqlite/db.h"
#include "store/sqlite/fts_vi.h"

#define STMT_CACHE 96

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

struct store {
	char path[4096];
	char wal_path[4200];
	char dir[4096];
	pthread_key_t key;
	pthread_mutex_t lock;
	struct conn *conns;
	int version;
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
open_db(const char *path)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                             SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close_v2(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	/* Vietnamese search tokenizer, collation and vi_fold() on every connection. */
	if (fts_vi_register(db) != SQLITE_OK) {
		sqlite3_close_v2(db);
		return NULL;
	}
	if (exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	             "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;") != SQLITE_OK) {
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
	c->db = open_db(st->path);
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

sqlite3_stmt *
db_stmt(struct conn *c, const char *sql)
{
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

void
db_col_text(sqlite3_stmt *s, int col, char *out, size_t outlen)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	snprintf(out, outlen, "%s", t ? (const char *)t : "");
}

static void
backoff(int attempt)
{
	struct timespec ts = {0, (long)(1000000L * (1 << (attempt < 8 ? attempt : 8)))};
	nanosleep(&ts, NULL);
}

enum err
db_tx(struct store *st, db_tx_fn fn, void *arg)
{
	struct conn *c = db_conn(st);
	if (!c)
		return ERR_UNAVAILABLE;
	enum err e = ERR_BUSY;
	for (int attempt = 0; attempt < 12; attempt++) {
		if (attempt)
			backoff(attempt);
		int rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			e = db_err(rc);
			if (e == ERR_BUSY)
				continue;
			return e;
		}
		e = fn(c, arg);
		if (e == ERR_OK) {
			rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
			if (rc == SQLITE_OK)
				return ERR_OK;
			e = db_err(rc);
		}
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		if (e != ERR_BUSY)
			return e;
	}
	return e;
}

enum err
db_read(struct store *st, db_tx_fn fn, void *arg)
{
	struct conn *c = db_conn(st);
	if (!c)
		return ERR_UNAVAILABLE;
	return fn(c, arg);
}

/* ---- migrations ---------------------------------------------------- */

#define MIG_PREFIX "sql/sqlite/"

static int
migrate(sqlite3 *db, int *version, char *err, size_t errlen)
{
	sqlite3_stmt *s;
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

int
store_open(struct store **out, const char *dir, char *err, size_t errlen)
{
	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "không tạo được thư mục dữ liệu %s: %s", dir, strerror(errno));
		return -1;
	}
	struct store *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, errlen, "hết bộ nhớ");
		return -1;
	}
	snprintf(st->path, sizeof st->path, "%s/motcua.db", dir);
	snprintf(st->dir, sizeof st->dir, "%s", dir);
	snprintf(st->wal_path, sizeof st->wal_path, "%s-wal", st->path);
	pthread_mutex_init(&st->lock, NULL);
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
	*out = st;
	return 0;
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

