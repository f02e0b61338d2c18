/*
 * facts.c — see store/facts.h.  The statements over the 35 measure
 * columns are written out once at first use (pthread_once) so the column
 * lists cannot drift from SF_N.
 */
#include <assert.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/calendar.h"
#include "store/facts.h"
#include "store/sqlite/db.h"

#define ROW_COLS "dossier_id, day, procedure_code, unit, assignee, channel, pending, late_list, apology, rating," \
	" due_at, paused_at, received_at, appointment, supp_secs, nsupp, waiting_since"
#define ROW_NCOLS 17

static char SQL_OLD[1024];      /* a dossier's stored facts */
static char SQL_PUT[2048];      /* INSERT OR REPLACE of a row */
static char SQL_AGG[4096];      /* upsert of a sum row, adding */
static char SQL_SUM[4096];      /* sums over a grain's periods */
static char SQL_EACH[3][2048];  /* rows of a period: all, pending, late list */
static pthread_once_t sql_once = PTHREAD_ONCE_INIT;

static size_t put(char *b, size_t n, size_t at, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static size_t
put(char *b, size_t n, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(b + at, at < n ? n - at : 0, fmt, ap);
	va_end(ap);
	assert(k >= 0 && at + (size_t)k < n);
	return at + (size_t)k;
}

static void
build_sql(void)
{
	size_t at = put(SQL_OLD, sizeof SQL_OLD, 0, "SELECT day, procedure_code, unit, assignee, channel");
	for (int i = 0; i < SF_N; i++)
		at = put(SQL_OLD, sizeof SQL_OLD, at, ", v%d", i);
	put(SQL_OLD, sizeof SQL_OLD, at, " FROM dossier_facts WHERE dossier_id = ?");

	at = put(SQL_PUT, sizeof SQL_PUT, 0, "INSERT OR REPLACE INTO dossier_facts (" ROW_COLS "");
	for (int i = 0; i < SF_N; i++)
		at = put(SQL_PUT, sizeof SQL_PUT, at, ", v%d", i);
	at = put(SQL_PUT, sizeof SQL_PUT, at, ") VALUES (?");
	for (int i = 1; i < ROW_NCOLS + SF_N; i++)
		at = put(SQL_PUT, sizeof SQL_PUT, at, ", ?");
	put(SQL_PUT, sizeof SQL_PUT, at, ")");

	at = put(SQL_AGG, sizeof SQL_AGG, 0,
	         "INSERT INTO facts_agg (grain, period, procedure_code, unit, assignee, channel");
	for (int i = 0; i < SF_N; i++)
		at = put(SQL_AGG, sizeof SQL_AGG, at, ", v%d", i);
	at = put(SQL_AGG, sizeof SQL_AGG, at, ") VALUES (?, ?, ?, ?, ?, ?");
	for (int i = 0; i < SF_N; i++)
		at = put(SQL_AGG, sizeof SQL_AGG, at, ", ?");
	at = put(SQL_AGG, sizeof SQL_AGG, at,
	         ") ON CONFLICT (grain, period, procedure_code, unit, assignee, channel) DO UPDATE SET");
	for (int i = 0; i < SF_N; i++)
		at = put(SQL_AGG, sizeof SQL_AGG, at, i ? ", v%d = v%d + excluded.v%d" : " v%d = v%d + excluded.v%d", i, i, i);

	/* summed here, not by GROUP BY: SQLite's SUM() steps and sorter cost
	 * three times the reading */
	at = put(SQL_SUM, sizeof SQL_SUM, 0, "SELECT procedure_code, unit, assignee, channel");
	for (int i = 0; i < SF_N; i++)
		at = put(SQL_SUM, sizeof SQL_SUM, at, ", v%d", i);
	put(SQL_SUM, sizeof SQL_SUM, at,
	    " FROM facts_agg WHERE grain = ?1 AND period BETWEEN ?2 AND ?3 AND (?4 = '' OR procedure_code = ?4)");

	static const char *const where[3] = {"", " AND f.pending = 1", " AND f.late_list = 1"};
	for (int w = 0; w < 3; w++) {
		at = put(SQL_EACH[w], sizeof SQL_EACH[w], 0, "SELECT f.dossier_id");
		static const char *const cols[] = {"day", "procedure_code", "unit", "assignee", "channel", "pending",
		                                   "late_list", "apology", "rating", "due_at", "paused_at",
		                                   "received_at", "appointment", "supp_secs", "nsupp", "waiting_since"};
		for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
			int k = snprintf(SQL_EACH[w] + at, sizeof SQL_EACH[w] - at, ", f.%s", cols[i]);
			at += (size_t)k;
		}
		for (int i = 0; i < SF_N; i++)
			at = put(SQL_EACH[w], sizeof SQL_EACH[w], at, ", f.v%d", i);
		/* the pending rows are judged, not listed: no code, no join */
		int k = snprintf(SQL_EACH[w] + at, sizeof SQL_EACH[w] - at,
		                 w == SFW_PENDING ? ", '' FROM dossier_facts f"
		                                    " WHERE f.day BETWEEN ?1 AND ?2 AND (?3 = '' OR f.procedure_code = ?3)%s"
		                                    " ORDER BY f.day, f.dossier_id"
		                                  : ", d.code FROM dossier_facts f JOIN dossiers d ON d.id = f.dossier_id"
		                                    " WHERE f.day BETWEEN ?1 AND ?2 AND (?3 = '' OR f.procedure_code = ?3)%s"
		                                    " ORDER BY f.day, f.dossier_id",
		                 where[w]);
		assert(k > 0 && at + (size_t)k < sizeof SQL_EACH[w]);
	}
}

static const char SQL_DIRTY[] = "SELECT dossier_id FROM facts_dirty ORDER BY dossier_id LIMIT 512";
static const char SQL_CLEAN[] = "DELETE FROM facts_dirty WHERE dossier_id BETWEEN ? AND ?";
static const char SQL_ANY_DIRTY[] = "SELECT EXISTS (SELECT 1 FROM facts_dirty)";
static const char SQL_BACKLOG_MOVE[] =
    "INSERT OR IGNORE INTO facts_dirty (dossier_id)"
    " SELECT dossier_id FROM facts_backlog ORDER BY dossier_id LIMIT ?";
static const char SQL_BACKLOG_DROP[] =
    "DELETE FROM facts_backlog WHERE dossier_id IN"
    " (SELECT dossier_id FROM facts_backlog ORDER BY dossier_id LIMIT ?)";
static const char SQL_ANY_BACKLOG[] = "SELECT EXISTS (SELECT 1 FROM facts_backlog)";

/* ---- before COMMIT: the noted dossiers through the hook ---- */

enum err
facts_flush(struct conn *c)
{
	store_facts_hook fn;
	void *arg;
	db_facts_hook(db_store(c), &fn, &arg);
	if (!fn)
		return ERR_OK;
	for (;;) {
		sqlite3_stmt *s = db_stmt(c, SQL_DIRTY);
		if (!s)
			return ERR_NOMEM;
		int64_t ids[512];
		size_t n = 0;
		enum err e;
		while (n < 512 && (e = q_row(s)) == ERR_OK)
			ids[n++] = sqlite3_column_int64(s, 0);
		if ((e = q_end(s, n == 512 ? ERR_NOT_FOUND : e)) != ERR_OK)
			return e;
		if (!n)
			return ERR_OK;
		if ((e = fn(db_store(c), ids, n, arg)) != ERR_OK)
			return e;
		sqlite3_stmt *d = db_stmt(c, SQL_CLEAN);
		if (!d)
			return ERR_NOMEM;
		if ((e = q_bind(d, "ii", ids[0], ids[n - 1])) || (e = q_exec(d)))
			return e;
	}
}

/* ---- one dossier's facts ---- */

static enum err
agg_add(struct conn *c, int grain, int64_t period, const struct store_facts_key *k, const int64_t *v, int sign)
{
	sqlite3_stmt *s = db_stmt(c, SQL_AGG);
	if (!s)
		return ERR_NOMEM;
	sqlite3_bind_int(s, 1, grain);
	sqlite3_bind_int64(s, 2, period);
	sqlite3_bind_text(s, 3, k->procedure_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, k->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, k->assignee);
	sqlite3_bind_text(s, 6, k->channel, -1, SQLITE_STATIC);
	for (int i = 0; i < SF_N; i++)
		sqlite3_bind_int64(s, 7 + i, sign * v[i]);
	return q_exec(s);
}

static int64_t
month_of(int64_t day)
{
	int y, m, d;
	cal_ymd((cal_day)day, &y, &m, &d);
	return cal_day_from_ymd(y, m, 1);
}

static enum err
agg_both(struct conn *c, int64_t day, const struct store_facts_key *k, const int64_t *v, int sign)
{
	int any = 0;
	for (int i = 0; i < SF_N; i++)
		any |= v[i] != 0;
	if (!any)
		return ERR_OK;
	enum err e = agg_add(c, 0, day, k, v, sign);
	return e ? e : agg_add(c, 1, month_of(day), k, v, sign);
}

static int
same_key(const struct store_facts_key *a, const struct store_facts_key *b)
{
	return a->assignee == b->assignee && strcmp(a->procedure_code, b->procedure_code) == 0 &&
	       strcmp(a->unit, b->unit) == 0 && strcmp(a->channel, b->channel) == 0;
}

enum err
store_facts_put(struct store *st, const struct store_facts *f)
{
	pthread_once(&sql_once, build_sql);
	struct conn *c = db_conn(st);
	if (!c)
		return ERR_UNAVAILABLE;
	/* only inside a write transaction: the hook's */
	assert(!sqlite3_get_autocommit(db_handle(c)));
	sqlite3_stmt *s = db_stmt(c, SQL_OLD);
	if (!s)
		return ERR_NOMEM;
	sqlite3_bind_int64(s, 1, f->dossier_id);
	struct store_facts old;
	memset(&old, 0, sizeof old);
	enum err e = q_row(s);
	int had = e == ERR_OK;
	if (had) {
		old.day = sqlite3_column_int64(s, 0);
		db_col_text(s, 1, old.k.procedure_code, sizeof old.k.procedure_code);
		db_col_text(s, 2, old.k.unit, sizeof old.k.unit);
		old.k.assignee = sqlite3_column_int64(s, 3);
		db_col_text(s, 4, old.k.channel, sizeof old.k.channel);
		for (int i = 0; i < SF_N; i++)
			old.v[i] = sqlite3_column_int64(s, 5 + i);
	}
	if ((e = q_end(s, had ? ERR_OK : e)) != ERR_OK)
		return e;
	int moved = !had || old.day != f->day || !same_key(&old.k, &f->k) ||
	            memcmp(old.v, f->v, sizeof old.v) != 0;
	if (moved && had && (e = agg_both(c, old.day, &old.k, old.v, -1)) != ERR_OK)
		return e;
	if (moved && (e = agg_both(c, f->day, &f->k, f->v, 1)) != ERR_OK)
		return e;
	sqlite3_stmt *p = db_stmt(c, SQL_PUT);
	if (!p)
		return ERR_NOMEM;
	int64_t ints[] = {f->pending, f->late_list, f->apology, f->rating, f->due_at, f->paused_at,
	                  f->received_at, f->appointment, f->supp_secs, f->nsupp, f->waiting_since};
	sqlite3_bind_int64(p, 1, f->dossier_id);
	sqlite3_bind_int64(p, 2, f->day);
	sqlite3_bind_text(p, 3, f->k.procedure_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(p, 4, f->k.unit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(p, 5, f->k.assignee);
	sqlite3_bind_text(p, 6, f->k.channel, -1, SQLITE_STATIC);
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		sqlite3_bind_int64(p, 7 + (int)i, ints[i]);
	for (int i = 0; i < SF_N; i++)
		sqlite3_bind_int64(p, ROW_NCOLS + 1 + i, f->v[i]);
	return q_exec(p);
}

/* ---- reading the sums ---- */

/* The groups met, summed in an open-addressing table. */
struct group {
	struct store_facts_key k;
	int64_t v[SF_N];
	int used;
};
struct sum_arg {
	int64_t from, to;
	const char *procedure;
	struct group *g;
	size_t cap, n;
	enum err e;
};

static uint64_t
key_hash(const struct store_facts_key *k)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)k->assignee;
	const char *parts[3] = {k->procedure_code, k->unit, k->channel};
	for (int i = 0; i < 3; i++) {
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
			h = (h ^ *p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

static struct group *
group_of(struct sum_arg *a, const struct store_facts_key *k)
{
	if (2 * (a->n + 1) > a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 256;
		struct group *g = calloc(cap, sizeof *g);
		if (!g)
			return NULL;
		for (size_t i = 0; i < a->cap; i++)
			if (a->g[i].used) {
				size_t j = key_hash(&a->g[i].k) & (cap - 1);
				while (g[j].used)
					j = (j + 1) & (cap - 1);
				g[j] = a->g[i];
			}
		free(a->g);
		a->g = g;
		a->cap = cap;
	}
	size_t j = key_hash(k) & (a->cap - 1);
	while (a->g[j].used && !same_key(&a->g[j].k, k))
		j = (j + 1) & (a->cap - 1);
	if (!a->g[j].used) {
		a->g[j].used = 1;
		a->g[j].k = *k;
		a->n++;
	}
	return &a->g[j];
}

static enum err
sum_range(struct conn *c, struct sum_arg *a, int grain, int64_t from, int64_t to)
{
	if (to < from)
		return ERR_OK;
	sqlite3_stmt *s = db_stmt(c, SQL_SUM);
	if (!s)
		return ERR_NOMEM;
	sqlite3_bind_int(s, 1, grain);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	sqlite3_bind_text(s, 4, a->procedure ? a->procedure : "", -1, SQLITE_STATIC);
	enum err e;
	while ((e = q_row(s)) == ERR_OK) {
		struct store_facts_key k;
		db_col_text(s, 0, k.procedure_code, sizeof k.procedure_code);
		db_col_text(s, 1, k.unit, sizeof k.unit);
		k.assignee = sqlite3_column_int64(s, 2);
		db_col_text(s, 3, k.channel, sizeof k.channel);
		struct group *g = group_of(a, &k);
		if (!g) {
			e = ERR_NOMEM;
			break;
		}
		for (int i = 0; i < SF_N; i++)
			g->v[i] += sqlite3_column_int64(s, 4 + i);
	}
	return q_end(s, e);
}

/* Whole months inside [from, to] from the month sums, the days at either
 * end from the day sums. */
static enum err
sum_fn(struct conn *c, void *arg)
{
	struct sum_arg *a = arg;
	int64_t m0 = month_of(a->from);
	if (m0 < a->from) {
		int y, m, d;
		cal_ymd((cal_day)a->from, &y, &m, &d);
		m0 = m == 12 ? cal_day_from_ymd(y + 1, 1, 1) : cal_day_from_ymd(y, m + 1, 1);
	}
	int64_t end = month_of(a->to + 1); /* first day after the last whole month */
	if (m0 >= end)
		return sum_range(c, a, 0, a->from, a->to);
	enum err e = sum_range(c, a, 0, a->from, m0 - 1);
	if (!e)
		e = sum_range(c, a, 1, m0, end - 1);
	if (!e)
		e = sum_range(c, a, 0, end, a->to);
	return e;
}

enum err
store_facts_sum(struct store *st, int64_t from, int64_t to, const char *procedure,
                int (*fn)(const struct store_facts_key *, const int64_t v[SF_N], void *), void *arg)
{
	pthread_once(&sql_once, build_sql);
	struct sum_arg a = {.from = from, .to = to, .procedure = procedure};
	enum err e = db_read(st, sum_fn, &a);
	for (size_t i = 0; !e && i < a.cap; i++)
		if (a.g[i].used && fn(&a.g[i].k, a.g[i].v, arg))
			break;
	free(a.g);
	return e;
}

struct each_arg {
	const struct store_facts_filter *flt;
	int (*fn)(const struct store_facts *, const char *code, void *);
	void *arg;
};

static enum err
each_fn(struct conn *c, void *arg)
{
	struct each_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_EACH[a->flt->which]);
	if (!s)
		return ERR_NOMEM;
	sqlite3_bind_int64(s, 1, a->flt->from);
	sqlite3_bind_int64(s, 2, a->flt->to);
	sqlite3_bind_text(s, 3, a->flt->procedure ? a->flt->procedure : "", -1, SQLITE_STATIC);
	enum err e;
	while ((e = q_row(s)) == ERR_OK) {
		struct store_facts f;
		memset(&f, 0, sizeof f);
		f.dossier_id = sqlite3_column_int64(s, 0);
		f.day = sqlite3_column_int64(s, 1);
		db_col_text(s, 2, f.k.procedure_code, sizeof f.k.procedure_code);
		db_col_text(s, 3, f.k.unit, sizeof f.k.unit);
		f.k.assignee = sqlite3_column_int64(s, 4);
		db_col_text(s, 5, f.k.channel, sizeof f.k.channel);
		f.pending = sqlite3_column_int(s, 6);
		f.late_list = sqlite3_column_int(s, 7);
		f.apology = sqlite3_column_int(s, 8);
		f.rating = sqlite3_column_int(s, 9);
		int64_t *ints[] = {&f.due_at, &f.paused_at, &f.received_at, &f.appointment, &f.supp_secs, &f.nsupp,
		                   &f.waiting_since};
		for (int i = 0; i < 7; i++)
			*ints[i] = sqlite3_column_int64(s, 10 + i);
		for (int i = 0; i < SF_N; i++)
			f.v[i] = sqlite3_column_int64(s, ROW_NCOLS + i);
		char code[64];
		db_col_text(s, ROW_NCOLS + SF_N, code, sizeof code);
		if (a->fn(&f, code, a->arg))
			break;
	}
	return q_end(s, e);
}

enum err
store_facts_each(struct store *st, const struct store_facts_filter *flt,
                 int (*fn)(const struct store_facts *, const char *code, void *), void *arg)
{
	assert(flt->which <= SFW_LATE_LIST);
	pthread_once(&sql_once, build_sql);
	struct each_arg a = {.flt = flt, .fn = fn, .arg = arg};
	return db_read(st, each_fn, &a);
}

/* ---- catching up ---- */

struct exists_arg {
	const char *sql;
	int64_t v;
};

static enum err
exists_fn(struct conn *c, void *arg)
{
	struct exists_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->sql);
	if (!s)
		return ERR_NOMEM;
	return q_int(s, &a->v, NULL);
}

static enum err
exists(struct store *st, const char *sql, int64_t *out)
{
	struct exists_arg a = {sql, 0};
	enum err e = db_read(st, exists_fn, &a);
	*out = a.v;
	return e;
}

static enum err
nothing_fn(struct conn *c, void *arg)
{
	(void)c;
	(void)arg;
	return ERR_OK;
}

enum err
store_facts_sync(struct store *st)
{
	store_facts_hook fn;
	void *arg;
	db_facts_hook(st, &fn, &arg);
	int64_t any = 0;
	enum err e = fn ? exists(st, SQL_ANY_DIRTY, &any) : ERR_OK;
	/* an empty transaction: facts_flush runs before its COMMIT */
	return e || !any ? e : db_tx(st, nothing_fn, NULL);
}

static enum err
backlog_fn(struct conn *c, void *arg)
{
	int limit = *(int *)arg;
	sqlite3_stmt *s = db_stmt(c, SQL_BACKLOG_MOVE);
	enum err e = s ? ERR_OK : ERR_NOMEM;
	if (!e && !(e = q_bind(s, "i", (int64_t)limit)))
		e = q_exec(s);
	sqlite3_stmt *d = e ? NULL : db_stmt(c, SQL_BACKLOG_DROP);
	if (!e && !d)
		e = ERR_NOMEM;
	if (!e && !(e = q_bind(d, "i", (int64_t)limit)))
		e = q_exec(d);
	return e;
}

enum err
store_facts_backlog(struct store *st, int limit, int64_t *left)
{
	*left = 0;
	enum err e = exists(st, SQL_ANY_BACKLOG, left);
	if (e || !*left)
		return e;
	if ((e = db_tx(st, backlog_fn, &limit)) != ERR_OK)
		return e;
	return exists(st, SQL_ANY_BACKLOG, left);
}
