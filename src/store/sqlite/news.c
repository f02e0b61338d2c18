/*
 * news.c — news and announcements with their search index, the images
 * editors upload (content-addressed files next to the database) and the
 * per-day visit counters.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "core/text.h"
#include "core/vntime.h"
#include "store/news.h"
#include "core/sniff.h"
#include "store/files.h"
#include "store/sqlite/db.h"
#include "store/sqlite/fts_vi.h"

#define COLS "n.id, n.slug, n.title, n.summary, n.body, n.category, n.kind, n.status, n.author," \
             " n.published_at, n.created_at, n.updated_at"

static const char SQL_BY_SLUG[] = "SELECT " COLS " FROM news n WHERE n.slug = ?1"
                                  " AND (?2 = 0 OR n.status = 'published')";
static const char SQL_BY_ID[] = "SELECT " COLS " FROM news n WHERE n.id = ?1";
static const char SQL_SLUG_USED[] = "SELECT 1 FROM news WHERE slug = ?";
static const char SQL_INSERT[] =
    "INSERT INTO news (slug, title, summary, body, category, kind, status, published_at, author,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)";
static const char SQL_UPDATE[] =
    "UPDATE news SET title = ?2, summary = ?3, body = ?4, category = ?5, kind = ?6, status = ?7,"
    " published_at = CASE WHEN ?9 IS NOT NULL THEN ?9"
    "  WHEN ?7 = 'published' THEN COALESCE(published_at, ?8) ELSE published_at END,"
    " updated_at = ?8 WHERE id = ?1";
static const char SQL_STATUS[] =
    "UPDATE news SET status = ?2, updated_at = ?3,"
    " published_at = CASE WHEN ?2 = 'published' THEN COALESCE(published_at, ?3) ELSE published_at END"
    " WHERE id = ?1";
static const char SQL_FTS_DELETE[] = "DELETE FROM news_fts WHERE rowid = ?";
static const char SQL_FTS_INSERT[] =
    "INSERT INTO news_fts (rowid, title, summary, body) VALUES (?, ?, ?, ?)";

/* The filters every list shares: ?1 category, ?2 kind, ?3 published only,
 * ?4/?5 published_at range (?5 = 0: none), ?6 excluded id. */
#define COND " (?1 IS NULL OR n.category = ?1) AND (?2 IS NULL OR n.kind = ?2)" \
             " AND (?3 = 0 OR n.status = 'published')" \
             " AND (?5 = 0 OR (n.published_at >= ?4 AND n.published_at < ?5)) AND n.id <> ?6"
static const char SQL_LIST[] = "SELECT " COLS " FROM news n WHERE" COND
    " ORDER BY CASE WHEN ?3 = 0 THEN n.updated_at ELSE n.published_at END DESC, n.id DESC"
    " LIMIT ?8 OFFSET ?9";
static const char SQL_COUNT[] = "SELECT count(*) FROM news n WHERE" COND;
static const char SQL_LIST_MATCH[] = "SELECT " COLS " FROM news_fts JOIN news n ON n.id = news_fts.rowid"
    " WHERE news_fts MATCH ?7 AND" COND
    " ORDER BY bm25(news_fts, 10.0, 4.0, 1.0), n.published_at DESC, n.id DESC LIMIT ?8 OFFSET ?9";
static const char SQL_COUNT_MATCH[] = "SELECT count(*) FROM news_fts JOIN news n ON n.id = news_fts.rowid"
    " WHERE news_fts MATCH ?7 AND" COND;
static const char SQL_MONTHS[] =
    "SELECT CAST(strftime('%Y', published_at + " VN_UTC_OFFSET_SQL ", 'unixepoch') AS INTEGER),"
    " CAST(strftime('%m', published_at + " VN_UTC_OFFSET_SQL ", 'unixepoch') AS INTEGER), count(*)"
    " FROM news WHERE status = 'published' AND published_at IS NOT NULL"
    " GROUP BY 1, 2 ORDER BY 1 DESC, 2 DESC LIMIT 120";
static const char SQL_IMAGE_INSERT[] =
    "INSERT INTO news_images (sha256, ext, size, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (sha256) DO NOTHING";
static const char SQL_VISIT_ADD[] =
    "INSERT INTO visit_days (day, visits) VALUES (date(?1 + " VN_UTC_OFFSET_SQL ", 'unixepoch'), ?2)"
    " ON CONFLICT (day) DO UPDATE SET visits = visits + ?2";
static const char SQL_VISIT_TOTAL[] = "SELECT COALESCE(sum(visits), 0) FROM visit_days";

void
news_item_free(struct news_item *n)
{
	free(n->title);
	free(n->summary);
	free(n->body);
	n->title = n->summary = n->body = NULL;
}

static int
read_row(sqlite3_stmt *s, struct news_item *n)
{
	memset(n, 0, sizeof *n);
	n->id = sqlite3_column_int64(s, 0);
	db_col_text(s, 1, n->slug, sizeof n->slug);
	n->title = db_col_dup(s, 2);
	n->summary = db_col_dup(s, 3);
	n->body = db_col_dup(s, 4);
	db_col_text(s, 5, n->category, sizeof n->category);
	db_col_text(s, 6, n->kind, sizeof n->kind);
	db_col_text(s, 7, n->status, sizeof n->status);
	db_col_text(s, 8, n->author, sizeof n->author);
	n->published_at = sqlite3_column_int64(s, 9);
	n->created_at = sqlite3_column_int64(s, 10);
	n->updated_at = sqlite3_column_int64(s, 11);
	if (!n->title || !n->summary || !n->body) {
		news_item_free(n);
		return -1;
	}
	return 0;
}

static enum err
fts_put(struct conn *c, int64_t id, const struct news_in *in)
{
	sqlite3_stmt *s = db_stmt(c, SQL_FTS_DELETE);
	enum err e = s ? q_bind(s, "i", id) : ERR_INTERNAL;
	if (e || (e = q_exec(s)))
		return e;
	if (!(s = db_stmt(c, SQL_FTS_INSERT)))
		return ERR_INTERNAL;
	e = q_bind(s, "itss", id, in->title, in->summary, in->search_body);
	return e ? e : q_exec(s);
}

/* The slug base of a title: its search key with every run of anything
 * but [a-z0-9] turned into one "-", cut at a word end within 80 bytes. */
static void
slug_base(const char *title, char *out, size_t n)
{
	char *f = text_fold(title);
	size_t k = 0, max = n - 1 < 80 ? n - 1 : 80;
	int dash = 0;
	for (const char *p = f ? f : ""; *p && k < max; p++) {
		char ch = *p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			if (dash && k > 0 && k + 1 < max)
				out[k++] = '-';
			dash = 0;
			out[k++] = ch;
		} else {
			dash = 1;
		}
	}
	out[k] = '\0';
	free(f);
	if (k == max) { /* cut at the last dash when one is not too far back */
		char *d = strrchr(out, '-');
		if (d && d - out > 40)
			*d = '\0';
	}
	if (!out[0])
		snprintf(out, n, "tin");
}

static int
slug_used(struct conn *c, const char *slug)
{
	sqlite3_stmt *s = db_stmt(c, SQL_SLUG_USED);
	enum err e = s ? q_bind(s, "t", slug) : ERR_INTERNAL;
	if (!e && (e = q_row(s)) == ERR_OK)
		sqlite3_reset(s);
	return e == ERR_OK ? 1 : e == ERR_NOT_FOUND ? 0 : -1;
}

struct news_arg {
	const char *actor;
	const struct news_in *in;
	int64_t id;
	const char *status;
	char slug[NEWS_SLUG_MAX + 8];
};

static enum err
audit_news(struct conn *c, const char *actor, const char *action, int64_t id, const char *slug,
           const char *title, const char *status, int64_t published_at)
{
	char obj[48];
	snprintf(obj, sizeof obj, "news:%lld", (long long)id);
	json_t *d = json_pack("{s:s,s:s?,s:s}", "slug", slug, "title", title, "status", status);
	if (d && published_at) {
		char iso[VN_RFC3339_MAX];
		vn_fmt_rfc3339(published_at, iso, sizeof iso);
		json_object_set_new(d, "published_at", json_string(iso));
	}
	enum err e = db_audit(c, actor, action, obj, d);
	json_decref(d);
	return e;
}

static enum err
create_fn(struct conn *c, void *arg)
{
	struct news_arg *a = arg;
	char base[80];
	slug_base(a->in->title, base, sizeof base);
	snprintf(a->slug, sizeof a->slug, "%s", base);
	for (int i = 2;; i++) {
		int used = slug_used(c, a->slug);
		if (used < 0)
			return ERR_INTERNAL;
		if (!used)
			break;
		if (i > 10000)
			return ERR_CONFLICT;
		snprintf(a->slug, sizeof a->slug, "%s-%d", base, i);
	}
	int64_t now = (int64_t)time(NULL);
	int pub = strcmp(a->in->status, "published") == 0;
	const struct news_in *in = a->in;
	sqlite3_stmt *s = db_stmt(c, SQL_INSERT);
	enum err e = s ? q_bind(s, "ttsstttIti", a->slug, in->title, in->summary, in->body,
	                        in->category, in->kind, in->status,
	                        in->published_at ? in->published_at : pub ? now : 0, a->actor, now)
	               : ERR_INTERNAL;
	if (e || (e = q_exec(s)))
		return e;
	a->id = sqlite3_last_insert_rowid(db_handle(c));
	if ((e = fts_put(c, a->id, a->in)) != ERR_OK)
		return e;
	return audit_news(c, a->actor, "news.create", a->id, a->slug, a->in->title, a->in->status,
	                  a->in->published_at);
}

enum err
store_news_create(struct store *st, const char *actor, const struct news_in *in,
                  int64_t *id_out, char *slug_out)
{
	struct news_arg a = {.actor = actor, .in = in};
	enum err e = db_tx(st, create_fn, &a);
	if (!e && id_out)
		*id_out = a.id;
	if (!e && slug_out)
		snprintf(slug_out, NEWS_SLUG_MAX + 8, "%s", a.slug);
	return e;
}

/* The slug of id into a->slug; ERR_NOT_FOUND when there is no such article. */
static enum err
slug_of(struct conn *c, struct news_arg *a)
{
	sqlite3_stmt *s = db_stmt(c, SQL_BY_ID);
	enum err e = s ? q_bind(s, "i", a->id) : ERR_INTERNAL;
	return e ? e : q_text(s, 1, a->slug, sizeof a->slug);
}

static enum err
update_fn(struct conn *c, void *arg)
{
	struct news_arg *a = arg;
	enum err e = slug_of(c, a);
	if (e)
		return e;
	const struct news_in *in = a->in;
	sqlite3_stmt *s = db_stmt(c, SQL_UPDATE);
	e = s ? q_bind(s, "itsstttiI", a->id, in->title, in->summary, in->body, in->category, in->kind,
	               in->status, (int64_t)time(NULL), in->published_at)
	      : ERR_INTERNAL;
	if (e || (e = q_exec(s)))
		return e;
	if ((e = fts_put(c, a->id, a->in)) != ERR_OK)
		return e;
	return audit_news(c, a->actor, "news.update", a->id, a->slug, a->in->title, a->in->status,
	                  a->in->published_at);
}

enum err
store_news_update(struct store *st, const char *actor, int64_t id, const struct news_in *in)
{
	struct news_arg a = {.actor = actor, .in = in, .id = id};
	return db_tx(st, update_fn, &a);
}

static enum err
status_fn(struct conn *c, void *arg)
{
	struct news_arg *a = arg;
	enum err e = slug_of(c, a);
	if (e)
		return e;
	sqlite3_stmt *s = db_stmt(c, SQL_STATUS);
	e = s ? q_bind(s, "iti", a->id, a->status, (int64_t)time(NULL)) : ERR_INTERNAL;
	if (e || (e = q_exec(s)))
		return e;
	return audit_news(c, a->actor, strcmp(a->status, "published") == 0 ? "news.publish" : "news.unpublish",
	                  a->id, a->slug, NULL, a->status, 0);
}

enum err
store_news_set_status(struct store *st, const char *actor, int64_t id, const char *status)
{
	if (strcmp(status, "published") != 0 && strcmp(status, "draft") != 0)
		return ERR_INVALID_FIELD;
	struct news_arg a = {.actor = actor, .id = id, .status = status};
	return db_tx(st, status_fn, &a);
}

struct get_arg {
	const char *slug;
	int64_t id;
	int published_only;
	struct news_item *out;
};

static enum err
get_fn(struct conn *c, void *arg)
{
	struct get_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->slug ? SQL_BY_SLUG : SQL_BY_ID);
	if (!s)
		return ERR_INTERNAL;
	enum err e = a->slug ? q_bind(s, "td", a->slug, a->published_only) : q_bind(s, "i", a->id);
	if (!e && (e = q_row(s)) == ERR_OK) {
		e = read_row(s, a->out) ? ERR_NOMEM : ERR_OK;
		sqlite3_reset(s);
	}
	return e;
}

enum err
store_news_by_slug(struct store *st, const char *slug, int published_only, struct news_item *out)
{
	struct get_arg a = {.slug = slug, .published_only = published_only, .out = out};
	return db_read(st, get_fn, &a);
}

enum err
store_news_by_id(struct store *st, int64_t id, struct news_item *out)
{
	struct get_arg a = {.id = id, .out = out};
	return db_read(st, get_fn, &a);
}

struct list_arg {
	const struct news_query *q;
	char *match;               /* the FTS5 expression built from q->text */
	int (*fn)(const struct news_item *, void *);
	void *arg;
	int64_t *total;
};

static enum err
bind_query(sqlite3_stmt *s, const struct list_arg *a)
{
	const struct news_query *q = a->q;
	enum err e = q_bind(s, "TTdiii", q->category, q->kind, q->published_only ? 1 : 0,
	                    q->to > 0 ? q->from : (int64_t)0, q->to > 0 ? q->to : (int64_t)0, q->exclude_id);
	return !e && a->match ? q_bind(s, "------t", a->match) : e;
}

static enum err
list_fn(struct conn *c, void *arg)
{
	struct list_arg *a = arg;
	const struct news_query *q = a->q;
	sqlite3_stmt *s;
	enum err e;
	if (a->total) {
		if (!(s = db_stmt(c, a->match ? SQL_COUNT_MATCH : SQL_COUNT)))
			return ERR_INTERNAL;
		if ((e = bind_query(s, a)) || (e = q_int(s, a->total, NULL)))
			return e;
	}
	if (!(s = db_stmt(c, a->match ? SQL_LIST_MATCH : SQL_LIST)))
		return ERR_INTERNAL;
	if ((e = bind_query(s, a)) ||
	    (e = q_bind(s, "-------dd", q->limit > 0 ? q->limit : 20, q->offset > 0 ? q->offset : 0)))
		return e;
	while ((e = q_row(s)) == ERR_OK) {
		struct news_item n;
		if (read_row(s, &n)) {
			e = ERR_NOMEM;
			break;
		}
		int stop = a->fn(&n, a->arg);
		news_item_free(&n);
		if (stop)
			break;
	}
	return q_end(s, e);
}

enum err
store_news_list(struct store *st, const struct news_query *q,
                int (*fn)(const struct news_item *, void *), void *arg, int64_t *total)
{
	assert(st && q && fn);
	struct list_arg a = {q, NULL, fn, arg, total};
	if (total)
		*total = 0;
	if (q->text && *q->text && !(a.match = fts_vi_query(q->text)))
		return ERR_OK;   /* nothing searchable typed: nothing matches */
	enum err e = db_read(st, list_fn, &a);   /* the count and the page: one snapshot */
	free(a.match);
	return e;
}

struct months_arg {
	int (*fn)(int, int, int64_t, void *);
	void *arg;
};

static enum err
months_fn(struct conn *c, void *arg)
{
	struct months_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_MONTHS);
	if (!s)
		return ERR_INTERNAL;
	enum err e;
	while ((e = q_row(s)) == ERR_OK)
		if (a->fn(sqlite3_column_int(s, 0), sqlite3_column_int(s, 1), sqlite3_column_int64(s, 2), a->arg))
			break;
	return q_end(s, e);
}

enum err
store_news_months(struct store *st, int (*fn)(int, int, int64_t, void *), void *arg)
{
	struct months_arg a = {fn, arg};
	return db_read(st, months_fn, &a);
}

/* ---- images ------------------------------------------------------------ */

/* Images live in the one file store (store/files.c), recorded here with
 * their type; the file is written before, and outside, the transaction
 * that records it. */

static const char SQL_IMAGE_GET[] = "SELECT ext FROM news_images WHERE sha256 = ?";

struct image_arg {
	const char *actor;
	size_t len;
	const char *ext;
	char hex[65];
	char name[80];
};

static enum err
image_fn(struct conn *c, void *arg)
{
	struct image_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_IMAGE_INSERT);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "ttiit", a->hex, a->ext, (int64_t)a->len, (int64_t)time(NULL), a->actor);
	if (!e)
		e = q_exec(s);
	if (e)
		return e;
	if (sqlite3_changes(db_handle(c)) == 0)
		return ERR_OK; /* the same image was uploaded before */
	char obj[96];
	snprintf(obj, sizeof obj, "image:%s", a->name);
	json_t *d = json_pack("{s:I,s:s}", "size", (json_int_t)a->len, "type", a->ext);
	e = db_audit(c, a->actor, "news.image_upload", obj, d);
	json_decref(d);
	return e;
}

enum err
store_image_put(struct store *st, const char *actor, const void *data, size_t len,
                char *name_out, size_t name_len)
{
	if (len > NEWS_IMAGE_MAX)
		return ERR_BODY_TOO_LARGE;
	struct image_arg a = {.actor = actor, .len = len};
	const char *mime = sniff_mime(data, len);
	if (!mime || strncmp(mime, "image/", 6) != 0 || !(a.ext = sniff_ext(mime)))
		return ERR_UNSUPPORTED_MEDIA;
	enum err e = store_file_put(st, data, len, a.hex);
	if (e)
		return e;
	snprintf(a.name, sizeof a.name, "%s.%s", a.hex, a.ext);
	e = db_tx(st, image_fn, &a);
	if (!e && snprintf(name_out, name_len, "%s", a.name) >= (int)name_len)
		return ERR_INTERNAL;
	return e;
}

struct image_get_arg {
	char sha[65];
	const char *ext;
	int known;
};

static enum err
image_known_fn(struct conn *c, void *arg)
{
	struct image_get_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_IMAGE_GET);
	if (!s)
		return ERR_INTERNAL;
	char ext[8] = "";
	enum err e = q_bind(s, "t", a->sha);
	if (!e)
		e = q_text(s, 0, ext, sizeof ext);
	a->known = !e && strcmp(ext, a->ext) == 0;
	return e == ERR_NOT_FOUND ? ERR_OK : e;
}

enum err
store_image_get(struct store *st, const char *name, char **data, size_t *len, const char **mime)
{
	*data = NULL;
	*len = 0;
	size_t n = name ? strlen(name) : 0;
	if (n < 68 || n > 69 || name[64] != '.')
		return ERR_NOT_FOUND;
	struct image_get_arg a = {.ext = name + 65};
	snprintf(a.sha, sizeof a.sha, "%.64s", name);
	static const char *const types[] = {"image/jpeg", "image/png", "image/webp"};
	*mime = NULL;
	for (size_t i = 0; i < 3; i++)
		if (strcmp(sniff_ext(types[i]), a.ext) == 0)
			*mime = types[i];
	if (!files_hex_ok(a.sha) || !*mime)
		return ERR_NOT_FOUND;
	/* only what was uploaded as a news image: the file store also holds
	 * dossier scans, which are never public */
	enum err e = db_read(st, image_known_fn, &a);
	if (e || !a.known)
		return e ? e : ERR_NOT_FOUND;
	char legacy[96], rel[128];
	snprintf(legacy, sizeof legacy, "anh/%s", name);
	if (files_locate(store_dir(st), a.sha, legacy, rel, sizeof rel) != 0)
		return ERR_NOT_FOUND;
	return files_read(store_dir(st), rel, NEWS_IMAGE_MAX, data, len);
}

/* ---- visits ------------------------------------------------------------ */

static enum err
visit_fn(struct conn *c, void *arg)
{
	const int64_t *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_VISIT_ADD);
	enum err e = s ? q_bind(s, "ii", a[0], a[1]) : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

enum err
store_visit_add(struct store *st, int64_t now, int64_t n)
{
	assert(n > 0);
	int64_t a[2] = {now, n};
	return db_tx(st, visit_fn, a);
}

static enum err
visit_total_fn(struct conn *c, void *arg)
{
	sqlite3_stmt *s = db_stmt(c, SQL_VISIT_TOTAL);
	return s ? q_int(s, arg, NULL) : ERR_INTERNAL;
}

enum err
store_visit_total(struct store *st, int64_t *total)
{
	return db_read(st, visit_total_fn, total);
}
