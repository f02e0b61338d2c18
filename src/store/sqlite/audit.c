/*
 * audit.c — the keyed, hash-chained audit trail and its verifier.
 *
 * Each event's hash covers the previous event's hash and the event's own
 * fields, each written as "<length>:<bytes>" so no choice of field
 * contents can make two different events hash alike.  The first event's
 * previous hash is 64 zeros.
 *
 * The chain is keyed: from event `from` on (recorded in DIR/audit.key
 * with the key itself) the hash is HMAC-SHA256 under a 32-byte key held
 * outside the database, so whoever can rewrite the database but does not
 * hold the key cannot recompute a valid chain.  Events before `from`
 * (data folders from before issue #11) keep their plain SHA-256; they are
 * protected all the same, since the first keyed event covers their last
 * hash.  A fresh folder is keyed from event 1.  Without its key a chain
 * cannot be proved, so `check` then fails, and no event can be written.
 *
 * db_audit() must run inside the transaction of the change it records
 * (db_tx), which also serialises writers, so the chain never forks.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include "store/files.h"
#include "store/sqlite/db.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define KEY_FILE "audit.key"
#define KEY_MAGIC "motcua-audit-key 1"

/* ---- the key file ------------------------------------------------------- */

/* Format (text, so it can be printed and kept on paper too):
 *   motcua-audit-key 1
 *   from <first keyed event id>
 *   key <64 hex digits>                                                    */
void
audit_key_load(const char *dir, struct audit_key *k)
{
	memset(k, 0, sizeof *k);
	char *text = NULL;
	size_t len = 0;
	enum err e = files_read(dir, KEY_FILE, 4096, &text, &len);
	if (e) {
		/* absent is NONE; present but unreadable (a link, too big) is BAD */
		char path[4200];
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", dir, KEY_FILE);
		k->state = e == ERR_NOT_FOUND && lstat(path, &sb) != 0 ? AKEY_NONE : AKEY_BAD;
		return;
	}
	long long from = 0;
	char hex[80] = "";
	k->state = AKEY_BAD;
	if (sscanf(text, KEY_MAGIC "\nfrom %lld\nkey %79s", &from, hex) == 2 && from > 0 &&
	    strlen(hex) == 64 &&
	    sodium_hex2bin(k->key, sizeof k->key, hex, 64, NULL, NULL, NULL) == 0) {
		k->from = (int64_t)from;
		k->state = AKEY_OK;
	}
	sodium_memzero(text, len);
	free(text);
}

static enum err
key_create(const char *dir, int64_t from, struct audit_key *k)
{
	char hex[65], text[160], path[4200];
	randombytes_buf(k->key, sizeof k->key);
	sodium_bin2hex(hex, sizeof hex, k->key, sizeof k->key);
	int n = snprintf(text, sizeof text, KEY_MAGIC "\nfrom %" PRId64 "\nkey %s\n", from, hex);
	snprintf(path, sizeof path, "%s/%s", dir, KEY_FILE);
	mode_t old = umask(077);   /* the key file is 0600 from its first byte */
	int rc = files_write_atomic(dir, path, text, (size_t)n);
	umask(old);
	sodium_memzero(text, sizeof text);
	sodium_memzero(hex, sizeof hex);
	if (rc != 0 || chmod(path, 0600) != 0)
		return ERR_INTERNAL;
	k->from = from;
	k->state = AKEY_OK;
	return ERR_OK;
}

enum err
audit_key_ensure(struct conn *c)
{
	struct store *st = db_store(c);
	struct audit_key *k = db_audit_key(st);
	assert(!sqlite3_get_autocommit(db_handle(c)));   /* under the write lock */
	if (k->state == AKEY_OK)
		return ERR_OK;
	/* another process may have made it since we opened */
	audit_key_load(store_dir(st), k);
	if (k->state == AKEY_OK)
		return ERR_OK;
	if (k->state == AKEY_BAD)
		return ERR_AUDIT_KEY;
	sqlite3_stmt *s = db_stmt(c, "SELECT coalesce(max(id), 0), coalesce(max(keyed), 0) FROM audit_events");
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_row(s);
	int64_t last = e ? 0 : sqlite3_column_int64(s, 0);
	int keyed = e ? 0 : sqlite3_column_int(s, 1);
	sqlite3_reset(s);
	if (e)
		return e;
	if (keyed)   /* the chain's key is lost: never start a second one */
		return ERR_AUDIT_KEY;
	return key_create(store_dir(st), last + 1, k);
}

/* ---- hashing -------------------------------------------------------------- */

/* Plain SHA-256 or HMAC-SHA256, fed the same way. */
struct mac {
	int keyed;
	crypto_hash_sha256_state h;
	crypto_auth_hmacsha256_state m;
};

static void
mac_update(struct mac *x, const void *p, size_t n)
{
	if (x->keyed)
		crypto_auth_hmacsha256_update(&x->m, p, n);
	else
		crypto_hash_sha256_update(&x->h, p, n);
}

static void
mac_field(struct mac *x, const char *s)
{
	char len[24];
	size_t n = strlen(s);
	int k = snprintf(len, sizeof len, "%zu:", n);
	mac_update(x, len, (size_t)k);
	mac_update(x, s, n);
}

/* hex must hold 65 bytes; key NULL for the plain SHA-256 of old events. */
static void
event_hash(const unsigned char *key, const char *prev, int64_t id, int64_t at_us, const char *actor,
           const char *action, const char *object, const char *details, char *hex)
{
	struct mac x = {.keyed = key != NULL};
	unsigned char out[32];
	char num[32];
	if (key)
		crypto_auth_hmacsha256_init(&x.m, key, 32);
	else
		crypto_hash_sha256_init(&x.h);
	mac_field(&x, prev);
	snprintf(num, sizeof num, "%" PRId64, id);
	mac_field(&x, num);
	snprintf(num, sizeof num, "%" PRId64, at_us);
	mac_field(&x, num);
	mac_field(&x, actor);
	mac_field(&x, action);
	mac_field(&x, object);
	mac_field(&x, details);
	if (key)
		crypto_auth_hmacsha256_final(&x.m, out);
	else
		crypto_hash_sha256_final(&x.h, out);
	sodium_bin2hex(hex, 65, out, sizeof out);
	sodium_memzero(&x, sizeof x);
}

/* ---- the writer ----------------------------------------------------------- */

static const char SQL_LAST[] =
    "SELECT id, hash, at_us FROM audit_events ORDER BY id DESC LIMIT 1";
static const char SQL_INSERT[] =
    "INSERT INTO audit_events (id, at_us, actor, action, object, details, prev_hash, hash, keyed)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

enum err
db_audit(struct conn *c, const char *actor, const char *action, const char *object,
         json_t *details)
{
	assert(actor && *actor && action && *action && object);
	assert(!sqlite3_get_autocommit(db_handle(c)));   /* inside the change's transaction */
	enum err e = audit_key_ensure(c);
	if (e)
		return e;
	const struct audit_key *k = db_audit_key(db_store(c));
	sqlite3_stmt *s = db_stmt(c, SQL_LAST);
	if (!s)
		return ERR_INTERNAL;
	char prev[65] = ZERO_HASH;
	int64_t id = 1, last_at = 0;
	if ((e = q_row(s)) == ERR_OK) {
		id = sqlite3_column_int64(s, 0) + 1;
		db_col_text(s, 1, prev, sizeof prev);
		last_at = sqlite3_column_int64(s, 2);
	}
	if ((e = q_end(s, e)) != ERR_OK)
		return e;
	assert(k->state == AKEY_OK && id >= k->from);   /* never an unkeyed event after the key */
	struct timeval tv;
	gettimeofday(&tv, NULL);
	int64_t at = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	if (at <= last_at)      /* keep instants strictly increasing along the chain */
		at = last_at + 1;
	char *det = details ? json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	const char *d = det ? det : "{}";
	char hex[65];
	event_hash(k->key, prev, id, at, actor, action, object, d, hex);
	if (!(s = db_stmt(c, SQL_INSERT)))
		e = ERR_INTERNAL;
	else if (!(e = q_bind(s, "iitttttti", id, at, actor, action, object, d, prev, hex, (int64_t)1)))
		e = q_exec(s);
	free(det);
	return e;
}

/* ---- verification of the chain ------------------------------------------------ */

/* Walks the chain in id order: consecutive ids, each prev_hash the
 * previous hash, each hash recomputed (keyed from key->from on).  Stops
 * at the first event that fails. */
static enum err
verify_chain(struct conn *c, const struct audit_key *key, struct store_check *out)
{
	sqlite3_stmt *s = db_stmt(c, "SELECT id, at_us, actor, action, object, details, prev_hash, hash, keyed"
	                             " FROM audit_events ORDER BY id");
	if (!s)
		return ERR_INTERNAL;
	char prev[65] = ZERO_HASH;
	int64_t expect_id = 1;
	enum err e;
	while ((e = q_row(s)) == ERR_OK) {
		int64_t id = sqlite3_column_int64(s, 0);
		const char *f[6];
		for (int i = 0; i < 6; i++)
			f[i] = db_col_str(s, i + 2);
		int keyed = key->state == AKEY_OK && id >= key->from;
		const char *why = NULL;
		char hex[65] = "";
		if (!keyed && sqlite3_column_int(s, 8))
			why = key->state == AKEY_OK ? "sự kiện đánh dấu có khóa nhưng nằm trước mốc khóa"
			                            : "sự kiện có khóa nhưng không có khóa để kiểm chứng";
		else if (keyed && !sqlite3_column_int(s, 8))
			why = "sự kiện sau mốc khóa lại không có khóa (bị hạ cấp)";
		else
			event_hash(keyed ? key->key : NULL, prev, id, sqlite3_column_int64(s, 1), f[0], f[1],
			           f[2], f[3], hex);
		if (why)
			;
		else if (id != expect_id)
			why = "thiếu sự kiện (số thứ tự bị ngắt quãng)";
		else if (strcmp(f[4], prev) != 0)
			why = "mã băm của sự kiện trước không khớp";
		else if (strcmp(f[5], hex) != 0)
			why = keyed ? "nội dung sự kiện đã bị sửa (mã khóa HMAC không khớp)"
			            : "nội dung sự kiện đã bị sửa (mã băm không khớp)";
		if (why) {
			out->first_bad = id;
			snprintf(out->bad_reason, sizeof out->bad_reason, "%s", why);
			break;
		}
		memcpy(prev, hex, sizeof prev);
		expect_id = id + 1;
		out->events++;
		out->events_keyed += keyed;
		out->head_id = id;
		memcpy(out->head_hash, hex, sizeof out->head_hash);
	}
	return q_end(s, e);
}

/* The key's part of the verdict: present and readable whenever the
 * chain has events; a missing key is a failure, since a chain rewritten
 * in plain SHA-256 after deleting the key would otherwise pass. */
static void
verify_key(const struct audit_key *key, int64_t nevents, const char *dir, struct store_check *out)
{
	out->key_ok = key->state == AKEY_OK || (key->state == AKEY_NONE && nevents == 0);
	if (key->state == AKEY_BAD)
		snprintf(out->key_msg, sizeof out->key_msg, "tệp khóa %s/" KEY_FILE " hỏng hoặc không đọc được", dir);
	else if (!out->key_ok)
		snprintf(out->key_msg, sizeof out->key_msg,
		         "không có tệp khóa %s/" KEY_FILE ": không chứng minh được nhật ký chưa bị viết lại "
		         "(chép lại khóa từ nơi cất giữ riêng)", dir);
}

static enum err
integrity(struct conn *c, struct store_check *out)
{
	sqlite3 *db = db_handle(c);
	sqlite3_stmt *s;
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
			         "vi phạm khóa ngoại trong bảng %s", db_col_str(s, 0));
		}
		sqlite3_finalize(s);
	}
	return ERR_OK;
}

/* The append-only guards: for each event table a BEFORE UPDATE and a
 * BEFORE DELETE trigger that aborts, unconditionally. */
static enum err
verify_guards(struct conn *c, struct store_check *out)
{
	static const char *const tables[] = {"audit_events", "dossier_events", "dossier_ratings",
	                                     "dossier_attachments", "case_events"};
	static const char SQL[] =
	    "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = ?1 || '_no_' || ?2"
	    " AND tbl_name = ?1 AND sql LIKE '%BEFORE ' || ?2 || ' ON ' || ?1 || '%'"
	    " AND sql LIKE '%RAISE(ABORT%' AND sql NOT LIKE '% WHEN %'";
	out->guards_ok = 1;
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		size_t n = strlen(out->guard_tables);
		snprintf(out->guard_tables + n, sizeof out->guard_tables - n, "%s%s", n ? ", " : "", tables[i]);
		for (int j = 0; j < 2; j++) {
			const char *what = j ? "delete" : "update";
			sqlite3_stmt *s = db_stmt(c, SQL);
			int64_t found = 0;
			enum err e = s ? q_bind(s, "tt", tables[i], what) : ERR_INTERNAL;
			if (e || (e = q_int(s, &found, NULL)))
				return e;
			if (found != 1) {
				out->guards_ok = 0;
				n = strlen(out->guards_missing);
				snprintf(out->guards_missing + n, sizeof out->guards_missing - n, "%s%s_no_%s",
				         n ? ", " : "", tables[i], what);
			}
		}
	}
	return ERR_OK;
}

static enum err
check_fn(struct conn *c, void *arg)
{
	struct store_check *out = arg;
	struct store *st = db_store(c);
	memset(out, 0, sizeof *out);
	/* the key may have been made by another process since we opened */
	struct audit_key key = *db_audit_key(st);
	if (key.state != AKEY_OK)
		audit_key_load(store_dir(st), &key);
	enum err e;
	if ((e = integrity(c, out)) || (e = verify_guards(c, out)) || (e = verify_chain(c, &key, out)))
		goto done;
	int64_t total = 0;
	sqlite3_stmt *s = db_stmt(c, "SELECT count(*) FROM audit_events");
	if (!s || (e = q_int(s, &total, NULL)))
		goto done;
	verify_key(&key, total, store_dir(st), out);
	if ((e = db_check_tables(c, out)) == ERR_OK)
		e = db_check_files(c, out);
done:
	sodium_memzero(&key, sizeof key);
	return e ? e : ERR_OK;
}

enum err
store_check(struct store *st, struct store_check *out)
{
	return db_read(st, check_fn, out);
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
	enum err e = q_bind(s, "i", h->id);
	return e ? e : q_text(s, 0, h->hash, 65);
}

enum err
store_audit_hash_at(struct store *st, int64_t id, char hash[65])
{
	struct hash_at h = {id, hash};
	hash[0] = '\0';
	return db_read(st, hash_at_fn, &h);
}
