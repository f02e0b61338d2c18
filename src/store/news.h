/*
 * news.h — the portal's store operations: news and announcements, the
 * images editors upload, and the per-day visit counters.
 *
 * Same rules as store.h: no SQL and no SQLite type here, times are Unix
 * seconds UTC, strings are UTF-8 NFC, every change runs in one
 * transaction with its audit event.  The one exception is the visit
 * counter: a page view is not an act of an official, and one audit row
 * per visitor would fill the append-only trail with nothing worth
 * auditing, so store_visit_add writes the counter alone.
 */
#ifndef MOTCUA_STORE_NEWS_H
#define MOTCUA_STORE_NEWS_H
#include <stddef.h>
#include <stdint.h>
#include "store/store.h"

#define NEWS_SLUG_MAX 96          /* bytes of a slug (ASCII a-z 0-9 -) */
#define NEWS_IMAGE_MAX (5u << 20) /* bytes of one uploaded image */

/* What an editor writes.  Categories and kinds are the codes of the
 * migration's CHECK lists; the caller validates them first. */
struct news_in {
	const char *title;
	const char *summary;       /* "" allowed */
	const char *body;          /* Markdown source */
	const char *search_body;   /* plain text of the body, indexed for search */
	const char *category;
	const char *kind;          /* news | announcement */
	const char *status;        /* draft | published */
	int64_t published_at;      /* the publication date the editor set (UTC instant),
	                              0: now when first published, else kept */
};

struct news_item {
	int64_t id;
	char slug[NEWS_SLUG_MAX + 8];
	char *title, *summary, *body;  /* malloc'd (news_item_free) */
	char category[32];
	char kind[16];
	char status[16];
	char author[96];
	int64_t published_at;      /* 0 when never published */
	int64_t created_at, updated_at;
};
void news_item_free(struct news_item *n);

struct news_query {
	const char *text;          /* what a person typed, or NULL: titles, summaries and
	                              bodies holding every word (the last as a prefix);
	                              a text with no searchable word matches nothing */
	const char *category;      /* or NULL */
	const char *kind;          /* or NULL */
	int64_t from, to;          /* published_at in [from, to) when to > 0 */
	int published_only;        /* public views */
	int64_t exclude_id;        /* leave this article out (related news), 0 none */
	int limit, offset;
};

/* Creates an article; its slug comes from the folded title (made unique
 * with -2, -3, …).  published_at is in->published_at when set, else now
 * when published.  *id_out and
 * slug_out (NEWS_SLUG_MAX + 8 bytes) may be NULL. */
enum err store_news_create(struct store *st, const char *actor, const struct news_in *in,
                           int64_t *id_out, char *slug_out);
/* Replaces the fields of an article (the slug stays, so links keep
 * working); in->published_at, when set, replaces the publication date.
 * ERR_NOT_FOUND for an unknown id. */
enum err store_news_update(struct store *st, const char *actor, int64_t id,
                           const struct news_in *in);
/* Publishes ("published") or withdraws ("draft") an article.  The first
 * publication sets published_at; later ones keep it. */
enum err store_news_set_status(struct store *st, const char *actor, int64_t id,
                               const char *status);
/* By slug (published_only for the public) or by id; ERR_NOT_FOUND. */
enum err store_news_by_slug(struct store *st, const char *slug, int published_only,
                            struct news_item *out);
enum err store_news_by_id(struct store *st, int64_t id, struct news_item *out);
/* Newest first (by published_at, then id; drafts by updated_at), or by
 * relevance when matching; fn gets each (stop with non-zero); *total is
 * the count of all that match (may be NULL). */
enum err store_news_list(struct store *st, const struct news_query *q,
                         int (*fn)(const struct news_item *, void *), void *arg,
                         int64_t *total);
/* Months (UTC+7) that have published articles, newest first, with counts. */
enum err store_news_months(struct store *st, int (*fn)(int year, int month, int64_t n, void *),
                           void *arg);

/* ---- images: in the one file store (store_file_put) ----------------- */
/* Stores an image after sniffing its first bytes (core/sniff.h): JPEG,
 * PNG or WebP only (ERR_UNSUPPORTED_MEDIA otherwise, whatever its name
 * says), at most NEWS_IMAGE_MAX bytes (ERR_BODY_TOO_LARGE); the file is
 * written first, then recorded with an audit event.  The same bytes
 * stored twice are one file.  name_out (at least 80 bytes) gets
 * "<sha256>.<ext>", served at /anh/<name>. */
enum err store_image_put(struct store *st, const char *actor, const void *data, size_t len,
                         char *name_out, size_t name_len);
/* Reads image name ("<64 hex>.jpg|png|webp" of an uploaded image; any
 * other name, or a file that was not uploaded as an image, is
 * ERR_NOT_FOUND) into *data (malloc'd, the caller frees); *mime gets its
 * type. */
enum err store_image_get(struct store *st, const char *name, char **data, size_t *len,
                         const char **mime);

/* ---- visits ---------------------------------------------------------- */
/* Adds n visits to the UTC+7 day of now (one write for many visits:
 * app/visits.c counts in memory and calls this periodically). */
enum err store_visit_add(struct store *st, int64_t now, int64_t n);
/* All visits ever counted. */
enum err store_visit_total(struct store *st, int64_t *total);

#endif
