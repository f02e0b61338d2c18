/*
 * pagecache.c — the render cache of the public pages (pagecache.h).
 *
 * A kept page is its body cut at its holes: n pieces of text and n - 1
 * holes between them.  Pages live in a chained hash table by key (path,
 * then each query argument as "&name=value" in the order sent) and in a
 * list by age, oldest first, which eviction pops.  One read-write lock:
 * a hit copies the pieces under the read lock (a memcpy of some tens of
 * kilobytes); a miss renders with no lock held and stores under the
 * write lock.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "web/news.h"
#include "web/pagecache.h"
#include "web/web.h"

#define NBUCKETS 1024
#define KEY_MAX 1024            /* longer keys are not kept */
#define MARK_LEN 34             /* "ph" + 32 hex: a hole's marker, then its letter */
#define MAX_HOLES 32

struct page {
	struct page *next;          /* in its bucket */
	struct page *older, *newer; /* by age */
	uint64_t hash;
	char *key;
	uint64_t rev;               /* app_public_rev when rendered */
	int64_t expires;            /* monotonic seconds */
	const char *content_type;   /* a static string */
	size_t npieces;
	size_t piece_len[MAX_HOLES + 1];
	enum page_hole hole[MAX_HOLES];
	char *text;                 /* the pieces, one after another */
	size_t text_len;
	size_t bytes;               /* what it costs the budget */
};

struct pagecache {
	pthread_rwlock_t lock;
	struct page *bucket[NBUCKETS];
	struct page *oldest, *newest;
	size_t bytes, pages, max_bytes;
	int64_t ttl;
	uint64_t rev;               /* the revision the kept pages are of */
	char mark[MARK_LEN + 1];
	char hole_text[HOLE_N][MARK_LEN + 2];
	unsigned char hash_key[16];
	atomic_uint_least64_t hits, misses, stored, evicted;
};

static const char hole_letter[HOLE_N] = {'c', 't', 'n'};

/* The cache this thread is rendering for (web_cached), else NULL. */
static _Thread_local const struct pagecache *filling;

static int64_t
mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

struct pagecache *
pagecache_new(size_t max_bytes, int64_t ttl)
{
	struct pagecache *pc = calloc(1, sizeof *pc);
	if (!pc)
		return NULL;
	if (pthread_rwlock_init(&pc->lock, NULL) != 0) {
		free(pc);
		return NULL;
	}
	pc->max_bytes = max_bytes;
	pc->ttl = ttl;
	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof rnd);
	randombytes_buf(pc->hash_key, sizeof pc->hash_key);
	memcpy(pc->mark, "ph", 2);
	sodium_bin2hex(pc->mark + 2, sizeof pc->mark - 2, rnd, sizeof rnd);
	for (int h = 0; h < HOLE_N; h++) {
		memcpy(pc->hole_text[h], pc->mark, MARK_LEN);
		pc->hole_text[h][MARK_LEN] = hole_letter[h];
		pc->hole_text[h][MARK_LEN + 1] = '\0';
	}
	return pc;
}

static void
page_free(struct page *p)
{
	free(p->key);
	free(p->text);
	free(p);
}

/* Takes p out of the table and the age list and frees it (write lock). */
static void
page_drop(struct pagecache *pc, struct page *p)
{
	struct page **pp = &pc->bucket[p->hash % NBUCKETS];
	while (*pp && *pp != p)
		pp = &(*pp)->next;
	if (*pp)
		*pp = p->next;
	if (p->older)
		p->older->newer = p->newer;
	else
		pc->oldest = p->newer;
	if (p->newer)
		p->newer->older = p->older;
	else
		pc->newest = p->older;
	pc->bytes -= p->bytes;
	pc->pages--;
	page_free(p);
}

void
pagecache_free(struct pagecache *pc)
{
	if (!pc)
		return;
	while (pc->oldest)
		page_drop(pc, pc->oldest);
	pthread_rwlock_destroy(&pc->lock);
	free(pc);
}

void
pagecache_stats(struct pagecache *pc, struct pagecache_stats *out)
{
	memset(out, 0, sizeof *out);
	if (!pc)
		return;
	out->hits = atomic_load(&pc->hits);
	out->misses = atomic_load(&pc->misses);
	out->stored = atomic_load(&pc->stored);
	out->evicted = atomic_load(&pc->evicted);
	pthread_rwlock_rdlock(&pc->lock);
	out->bytes = pc->bytes;
	out->pages = pc->pages;
	pthread_rwlock_unlock(&pc->lock);
}

const char *
web_hole(enum page_hole h)
{
	return filling && h < HOLE_N ? filling->hole_text[h] : NULL;
}

/* ---- keys -------------------------------------------------------------- */

/* The page's key into b: the path, then "&name=value" for each query
 * argument as sent.  -1 when it is too long to keep. */
static int
page_key(const struct http_req *req, struct buf *b)
{
	buf_puts(b, req->path);
	for (size_t i = 0; i < req->query.n; i++) {
		buf_putc(b, '&');
		buf_puts(b, req->query.v[i].name);
		buf_putc(b, '=');
		buf_puts(b, req->query.v[i].value);
	}
	return b->oom || b->len > KEY_MAX ? -1 : 0;
}

static uint64_t
key_hash(const struct pagecache *pc, const char *key, size_t len)
{
	uint64_t h;
	crypto_shorthash_siphash24((unsigned char *)&h, (const unsigned char *)key, len, pc->hash_key);
	return h;
}

static struct page *
page_find(const struct pagecache *pc, uint64_t hash, const char *key)
{
	for (struct page *p = pc->bucket[hash % NBUCKETS]; p; p = p->next)
		if (p->hash == hash && strcmp(p->key, key) == 0)
			return p;
	return NULL;
}

/* ---- holes ------------------------------------------------------------- */

/* Cuts body at its holes into p (pieces, holes); -1 when a marker is
 * followed by no known letter or there are too many holes. */
static int
page_cut(const struct pagecache *pc, const char *body, size_t len, struct page *p)
{
	size_t start = 0;
	p->npieces = 0;
	for (;;) {
		const char *m = memmem(body + start, len - start, pc->mark, MARK_LEN);
		if (!m) {
			p->piece_len[p->npieces++] = len - start;
			break;
		}
		size_t at = (size_t)(m - body);
		if (at + MARK_LEN >= len || p->npieces >= MAX_HOLES)
			return -1;
		int h = 0;
		while (h < HOLE_N && hole_letter[h] != body[at + MARK_LEN])
			h++;
		if (h == HOLE_N)
			return -1;
		p->piece_len[p->npieces] = at - start;
		p->hole[p->npieces++] = (enum page_hole)h;
		start = at + MARK_LEN + 1;
	}
	/* the pieces without the markers */
	p->text = malloc(len ? len : 1);
	if (!p->text)
		return -1;
	size_t src = 0, dst = 0;
	for (size_t i = 0; i < p->npieces; i++) {
		memcpy(p->text + dst, body + src, p->piece_len[i]);
		dst += p->piece_len[i];
		src += p->piece_len[i] + MARK_LEN + 1;
	}
	p->text_len = dst;
	return 0;
}

/* What fills the holes for this request: the CSRF token (and its cookie
 * when the visitor has none yet), the visit figures (the view counted). */
struct fill {
	const char *csrf;
	int visits;             /* -1 unknown yet, 0 no counter, 1 figures below */
	char total[24], now[24];
};

static const char *
hole_value(struct http_req *req, struct http_resp *resp, struct fill *f, enum page_hole h)
{
	if (h == HOLE_CSRF) {
		if (!f->csrf)
			f->csrf = web_csrf(req, resp);
		return f->csrf;
	}
	if (f->visits < 0) {
		int64_t t, n;
		f->visits = news_visit_count(req, &t, &n) == 0;
		snprintf(f->total, sizeof f->total, "%lld", (long long)(f->visits ? t : 0));
		snprintf(f->now, sizeof f->now, "%lld", (long long)(f->visits ? n : 0));
	}
	return h == HOLE_VISITS_TOTAL ? f->total : f->now;
}

/* Writes p's body with this request's values into resp. */
static void
page_fill(const struct page *p, struct http_req *req, struct http_resp *resp, struct fill *f)
{
	buf_reset(&resp->body);
	size_t off = 0;
	for (size_t i = 0; i < p->npieces; i++) {
		buf_append(&resp->body, p->text + off, p->piece_len[i]);
		off += p->piece_len[i];
		if (i + 1 < p->npieces)
			buf_puts(&resp->body, hole_value(req, resp, f, p->hole[i]));
	}
	resp->content_type = p->content_type;
}

/* ---- storing ----------------------------------------------------------- */

/* Keeps p (write lock held by the caller): drops every page of an older
 * revision first, replaces a page of the same key, then evicts the
 * oldest pages until p fits.  Frees p when it cannot be kept. */
static void
page_keep(struct pagecache *pc, struct page *p)
{
	if (p->rev != pc->rev) {
		if (p->rev < pc->rev) {   /* rendered before a newer change: useless */
			page_free(p);
			return;
		}
		while (pc->oldest) {
			page_drop(pc, pc->oldest);
			atomic_fetch_add(&pc->evicted, 1);
		}
		pc->rev = p->rev;
	}
	struct page *old = page_find(pc, p->hash, p->key);
	if (old)
		page_drop(pc, old);
	if (p->bytes > pc->max_bytes / 4) {
		page_free(p);
		return;
	}
	while (pc->oldest && pc->bytes + p->bytes > pc->max_bytes) {
		page_drop(pc, pc->oldest);
		atomic_fetch_add(&pc->evicted, 1);
	}
	struct page **b = &pc->bucket[p->hash % NBUCKETS];
	p->next = *b;
	*b = p;
	p->older = pc->newest;
	p->newer = NULL;
	if (pc->newest)
		pc->newest->newer = p;
	else
		pc->oldest = p;
	pc->newest = p;
	pc->bytes += p->bytes;
	pc->pages++;
	atomic_fetch_add(&pc->stored, 1);
}

/* A page for key from the body render left in resp; NULL when it cannot
 * be kept (then resp->body still has its holes: the caller fills them). */
static struct page *
page_from(struct pagecache *pc, const char *key, size_t klen, uint64_t hash, uint64_t rev,
          const struct http_resp *resp)
{
	struct page *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->key = strdup(key);
	if (!p->key || page_cut(pc, resp->body.data ? resp->body.data : "", resp->body.len, p) != 0) {
		page_free(p);
		return NULL;
	}
	p->hash = hash;
	p->rev = rev;
	p->expires = mono_now() + pc->ttl;
	p->content_type = resp->content_type;
	p->bytes = sizeof *p + klen + 1 + p->text_len;
	return p;
}

enum err
web_cached(struct http_req *req, struct http_resp *resp,
           enum err (*render)(struct http_req *, struct http_resp *))
{
	struct web_app *app = req->app;
	struct pagecache *pc = app->pages;
	struct buf key = BUF_INIT;
	if (!pc || web_user(req) || strcmp(req->method, "GET") != 0 || page_key(req, &key) != 0) {
		buf_free(&key);
		return render(req, resp);
	}
	uint64_t hash = key_hash(pc, buf_str(&key), key.len);
	uint64_t rev = app_public_rev(&app->core);
	struct fill f = {.visits = -1};
	pthread_rwlock_rdlock(&pc->lock);
	struct page *hit = page_find(pc, hash, buf_str(&key));
	if (hit && hit->rev == rev && hit->expires > mono_now()) {
		page_fill(hit, req, resp, &f);
		pthread_rwlock_unlock(&pc->lock);
		buf_free(&key);
		atomic_fetch_add(&pc->hits, 1);
		return resp->body.oom ? ERR_NOMEM : ERR_OK;
	}
	pthread_rwlock_unlock(&pc->lock);
	atomic_fetch_add(&pc->misses, 1);

	filling = pc;
	enum err e = render(req, resp);
	filling = NULL;
	if (e) {
		buf_free(&key);
		return e;
	}
	struct page *p = NULL;
	if (resp->status == 200 && resp->nheaders == 0 && !resp->static_body && !resp->has_file &&
	    !resp->body.oom)
		p = page_from(pc, buf_str(&key), key.len, hash, rev, resp);
	buf_free(&key);
	if (!p) {   /* not kept: fill its holes in place */
		struct page tmp = {0};
		if (page_cut(pc, buf_str(&resp->body), resp->body.len, &tmp) != 0) {
			free(tmp.text);
			return ERR_INTERNAL;
		}
		tmp.content_type = resp->content_type;
		page_fill(&tmp, req, resp, &f);
		free(tmp.text);
		return resp->body.oom ? ERR_NOMEM : ERR_OK;
	}
	page_fill(p, req, resp, &f);
	pthread_rwlock_wrlock(&pc->lock);
	page_keep(pc, p);
	pthread_rwlock_unlock(&pc->lock);
	return resp->body.oom ? ERR_NOMEM : ERR_OK;
}
