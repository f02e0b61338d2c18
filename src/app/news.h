/*
 * news.h — the portal's news service: news and announcements, their
 * categories, the public list and article, the editors' drafts and
 * publication, and the images editors upload.
 *
 * Editors are admins and leaders (checked here, not only in the route
 * table); everyone else sees published articles only.  The body is
 * Markdown: the face that parses it (view/markdown.h) hands the service
 * its plain text for the search index, so the service never sees a
 * rendering.
 */
#ifndef MOTCUA_APP_NEWS_H
#define MOTCUA_APP_NEWS_H
#include <stddef.h>
#include <stdint.h>
#include "app/app.h"
#include "store/news.h"

#define APP_NEWS_TITLE_MAX 200     /* code points */
#define APP_NEWS_SUMMARY_MAX 500
#define APP_NEWS_BODY_MAX (200 * 1024)   /* bytes of Markdown */
#define APP_NEWS_QUERY_MAX 200     /* bytes of a search text */
#define APP_NEWS_ALT_MAX 200       /* code points of an image's description */

/* A category or a kind: stored code, URL value (kinds), label. */
struct app_news_label {
	const char *code, *param, *label;
};
extern const struct app_news_label app_news_categories[];
extern const size_t app_news_ncategories;
extern const struct app_news_label app_news_kinds[];
extern const size_t app_news_nkinds;
/* The label of a category code; NULL for an unknown one. */
const char *app_news_category_label(const char *code);
/* The label of a kind code ("Tin tức" for anything but announcement). */
const char *app_news_kind_label(const char *code);
/* A kind's URL value or code → its code; NULL when unknown. */
const char *app_news_kind_from_param(const char *p);

/* Whether the actor writes news (admin, leader). */
int app_news_editor(const struct actor *ac);

/* What a list shows. */
struct app_news_filter {
	const char *text;          /* what a person typed, or NULL */
	const char *category;      /* a category code, or NULL */
	const char *kind;          /* a kind code, or NULL */
	int64_t from, to;          /* published in [from, to) when to > 0 (UTC) */
	int64_t exclude_id;        /* leave this article out (related news) */
	int drafts;                /* editors: drafts too (the admin list) */
	int limit, offset;
};
/* Newest first, or by relevance when searching; fn gets each (non-zero
 * stops); *total (may be NULL) counts all that match.  ERR_OUT_OF_RANGE
 * for a text over APP_NEWS_QUERY_MAX, ERR_INVALID_FIELD for an unknown
 * category or kind, ERR_FORBIDDEN for drafts asked by a non-editor. */
enum err app_news_list(struct app *a, const struct actor *ac, const struct app_news_filter *q,
                       int (*fn)(const struct news_item *, void *), void *arg, int64_t *total);
/* Months (UTC+7) with published articles, newest first. */
enum err app_news_months(struct app *a, int (*fn)(int year, int month, int64_t n, void *), void *arg);
/* A published article by its slug (anyone); ERR_NOT_FOUND. */
enum err app_news_article(struct app *a, const char *slug, struct news_item *out);
/* Any article by id, drafts included (editors only). */
enum err app_news_get(struct app *a, const struct actor *ac, int64_t id, struct news_item *out);

/* What an editor writes. */
enum app_news_publish { APP_NEWS_KEEP, APP_NEWS_PUBLISH, APP_NEWS_DRAFT };
struct app_news_in {
	const char *title, *summary, *body;
	const char *plain;         /* the body's plain text (search index); NULL when the body
	                              could not be read (the face says why) */
	const char *category, *kind;
	const char *date;          /* the publication date, "YYYY-MM-DD" (UTC+7), not after
	                              today; NULL or "": now when first published, else kept */
	enum app_news_publish publish;   /* KEEP on create = draft */
};
/* Validates (title, lengths, control characters, category, kind, body)
 * and stores; a refusal is ERR_INVALID_FIELD with f saying which and why
 * in Vietnamese, and nothing is written. */
enum err app_news_create(struct app *a, const struct actor *ac, const struct app_news_in *in,
                         int64_t *id, struct app_fail *f);
/* Replaces an article's fields (the slug stays); KEEP keeps its status. */
enum err app_news_update(struct app *a, const struct actor *ac, int64_t id,
                         const struct app_news_in *in, struct app_fail *f);
/* Publishes (publish != 0) or withdraws an article. */
enum err app_news_set_status(struct app *a, const struct actor *ac, int64_t id, int publish);

/* Stores an uploaded image (JPEG, PNG, WebP by content; at most
 * NEWS_IMAGE_MAX bytes); name gets "<sha256>.<ext>".  Refusals carry a
 * Vietnamese reason in f. */
enum err app_news_image_put(struct app *a, const struct actor *ac, const void *data, size_t len,
                            const char *alt, char *name, size_t namelen, struct app_fail *f);
/* An uploaded image (anyone): *data malloc'd, *mime its type. */
enum err app_news_image_get(struct app *a, const char *name, char **data, size_t *len,
                            const char **mime);

#endif
