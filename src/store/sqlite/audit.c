/*
 * audit.c — the hash-chained audit trail.
 *
 * Each event's hash is SHA-256 over the previous event's hash and the
 * event's own fields, each written as "<length>:<bytes>" so no choice of
 * field contents can make two different events hash alike.  The first
 * event's previous hash is 64 zeros.  db_audit() must run inside the
 * transaction of the change it records (db_tx), which also serialises
 * writers, so the chain never forks.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include "store/sqlite/db.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static void
hash_field(crypto_hash_sha256_state *h, const char *s)
{
	char len[24];
	size_t n = strlen(s);
	int k = snprintf(len, sizeof len, "%zu:", n);
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
	crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

/* hex must hold 65 bytes. */
static void
event_hash(const char *prev, int64_t id, int64_t at_us, const char *actor,
           const char *action, const char *object, const char *details, char *hex)
{
	crypto_hash_sha256_state h;
	unsigned char out[crypto_hash_sha256_BYTES];
	char num[32];
	crypto_hash_sha256_init(&h);
	hash_field(&h, prev);
	snprintf(num, sizeof num, "%" PRId64, id);
	hash_field(&h, num);
	snprintf(num, sizeof num, "%" PRId64, at_us);
	hash_field(&h, num);
	hash_field(&h, actor);
	hash_field(&h, action);
	hash_field(&h, object);
	hash_field(&h, details);
	crypto_hash_sha256_final(&h, out);
	sodium_bin2hex(hex, 65, out, sizeof out);
}

static const char SQL_LAST[] =
    "SELECT id, hash, at_us FROM audit_events ORDER BY id DESC LIMIT 1";
static const char SQL_INSERT[] =
    "INSERT INTO audit_events (id, at_us, actor, action, object, details, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

enum err
db_audit(struct conn *c, const char *actor, const char *action, const char *object,
         json_t *details)
{
	sqlite3_stmt *s = db_stmt(c, SQL_LAST);
	if (!s)
		return ERR_INTERNAL;
	char prev[65] = ZERO_HASH;
	int64_t id = 1, last_at = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0) + 1;
		db_col_text(s, 1, prev, sizeof prev);
		last_at = sqlite3_column_int64(s, 2);
	} else if (rc != SQLITE_DONE) {
		return db_err(rc);
	}
	sqlite3_reset(s);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	int64_t at = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	if (at <= last_at)      /* keep instants strictly increasing along the chain */
		at = last_at + 1;
	char *det = details ? json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	const char *d = det ? det : "{}";
	char hex[65];
	event_hash(prev, id, at, actor, action, object, d, hex);
	s = db_stmt(c, SQL_INSERT);
	if (!s) {
		free(det);
		return ERR_INTERNAL;
	}
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	sqlite3_bind_text(s, 3, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, object, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, d, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, hex, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	free(det);
	return rc == SQLITE_DONE ? ERR_OK : db_err(rc);
}

/* ---- verification -------------------------------------------------- */

static enum err
check_fn(struct conn *c, void *arg)
{
	struct store_check *out = arg;
	sqlite3 *db = db_handle(c);
	sqlite3_stmt *s;
	memset(out, 0, sizeof *out);

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
		return ERR_INTERNAL;
	if (sqlite3_step(s) == SQLITE_ROW) {
		db_col_text(s, 0, out->integrity_msg, sizeof out->integrity_msg);
		out->integrity_ok = strcmp(out->integrity_msg, "ok") == 0;
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW) {
			out->integrity_ok = 0;
			snprintf(out->integrity_msg, sizeof out->integrity_msg,
			         "vi phạm khóa ngoại trong bảng %s", sqlite3_column_text(s, 0));
		}
		sqlite3_finalize(s);
	}

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
	                           " AND name IN ('audit_events_no_update', 'audit_events_no_delete')",
	                       -1, &s, NULL) == SQLITE_OK) {
		out->guards_ok = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 2;
		sqlite3_finalize(s);
	}

	if (sqlite3_prepare_v2(db, "SELECT id, at_us, actor, action, object, details, prev_hash, hash"
	                           " FROM audit_events ORDER BY id",
	                       -1, &s, NULL) != SQLITE_OK)
		return ERR_INTERNAL;
	char prev[65] = ZERO_HASH;
	int64_t expect_id = 1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		const char *f[6];
		for (int i = 0; i < 6; i++) {
			const unsigned char *t = sqlite3_column_text(s, i + 2);
			f[i] = t ? (const char *)t : "";
		}
		char hex[65];
		event_hash(prev, id, sqlite3_column_int64(s, 1), f[0], f[1], f[2], f[3], hex);
		const char *why = NULL;
		if (id != expect_id)
			why = "thiếu sự kiện (số thứ tự bị ngắt quãng)";
		else if (strcmp(f[4], prev) != 0)
			why = "mã băm của sự kiện trước không khớp";
		else if (strcmp(f[5], hex) != 0)
			why = "nội dung sự kiện đã bị sửa (mã băm không khớp)";
		if (why) {
			out->first_bad = id;
			snprintf(out->bad_reason, sizeof out->bad_reason, "%s", why);
			break;
		}
		memcpy(prev, hex, sizeof prev);
		expect_id = id + 1;
		out->events++;
		out->head_id = id;
		memcpy(out->head_hash, hex, sizeof out->head_hash);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(rc);
	return ERR_OK;
}

enum err
store_check(struct store *st, struct store_check *out)
{
	enum err e = db_read(st, check_fn, out);
	return e ? e : db_check_files(st, out);
}

/* ---- events that change nothing else ------------------------------- */

struct record_arg {
	const char *actor, *action, *object;
	json_t *details;
};

static enum err
record_fn(struct conn *c, void *arg)
{
	struct record_arg *a = arg;
	return db_audit(c, a->actor, a->action, a->object, a->details);
}

enum err
store_audit_record(struct store *st, const char *actor, const char *action, const char *object,
                   const char *details_json)
{
	struct record_arg a = {actor, action, object, NULL};
	if (details_json && !(a.details = json_loads(details_json, 0, NULL)))
		return ERR_BAD_JSON;
	enum err e = db_tx(st, record_fn, &a);
	json_decref(a.details);
	return e;
}

struct hash_at {
	int64_t id;
	char *hash;
};

static enum err
hash_at_fn(struct conn *c, void *arg)
{
	struct hash_at *h = arg;
	sqlite3_stmt *s = db_stmt(c, "SELECT hash FROM audit_events WHERE id = ?1");
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_int64(s, 1, h->id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		db_col_text(s, 0, h->hash, 65);
		return ERR_OK;
	}
	return rc == SQLITE_DONE ? ERR_NOT_FOUND : db_err(rc);
}

enum err
store_audit_hash_at(struct store *st, int64_t id, char hash[65])
{
	struct hash_at h = {id, hash};
	hash[0] = '\0';
	return db_read(st, hash_at_fn, &h);
}
