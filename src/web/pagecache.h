/*
 * pagecache.h — the render cache of the public pages (home, catalogue,
 * procedure, news): what a page rendered for a visitor who is not signed
 * in, kept in memory by path and query, so a view costs a copy instead
 * of database reads and a template run.
 *
 * What differs between visitors never enters a kept body: the page is
 * rendered once with holes (random markers, unknown to anyone who types
 * content) where the CSRF token and the visit figures go, and every
 * response fills them for its own request.  Signed-in visitors are
 * served fresh pages (their header, their token).
 *
 * A kept page is stale when what the public pages show has changed
 * (app_public_rev: the catalogue, news and contact services bump it after
 * their write commits) or when it is older than the cache's lifetime
 * (what moves with time alone: the year, the home page's ranking of
 * procedures by dossiers received, a change by another process).  The
 * cache holds at most its byte budget; past it the oldest pages go.
 */
#ifndef MOTCUA_WEB_PAGECACHE_H
#define MOTCUA_WEB_PAGECACHE_H
#include <stddef.h>
#include <stdint.h>
#include "core/errors.h"

struct http_req;
struct http_resp;
struct pagecache;

#define PAGECACHE_BYTES (32u << 20)   /* default budget */
#define PAGECACHE_TTL 60              /* default lifetime, seconds */

/* A cache of at most max_bytes of pages, each kept ttl seconds; NULL when
 * out of memory. */
struct pagecache *pagecache_new(size_t max_bytes, int64_t ttl);
void pagecache_free(struct pagecache *pc);

/* What the cache did, for /metrics and the tests. */
struct pagecache_stats {
	uint64_t hits, misses, stored, evicted;
	size_t bytes, pages;
};
void pagecache_stats(struct pagecache *pc, struct pagecache_stats *out);

/* The holes a page may leave for what differs between requests. */
enum page_hole { HOLE_CSRF, HOLE_VISITS_TOTAL, HOLE_VISITS_NOW, HOLE_N };

/* While a handler renders for the cache (in web_cached, this thread), the
 * text to put where the hole goes; NULL when not rendering for it. */
const char *web_hole(enum page_hole h);

/* Serves a public GET page from the cache, or runs render and keeps what
 * it gave when it may be kept (status 200, no header of its own, a visitor
 * not signed in, the app's cache enabled). */
enum err web_cached(struct http_req *req, struct http_resp *resp,
                    enum err (*render)(struct http_req *, struct http_resp *));

#endif
