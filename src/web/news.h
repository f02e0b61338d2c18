/*
 * news.h — the portal's handlers (pages_news.c): news and announcements,
 * the Atom feed, uploaded images, the visit counter, and the admin pages
 * where editors (admin, leader) write.  Declared here rather than in
 * web.h so the portal stays one file pair; routes.c includes this.
 */
#ifndef MOTCUA_WEB_NEWS_H
#define MOTCUA_WEB_NEWS_H
#include <jansson.h>
#include "http/http.h"

/* public */
enum err page_news_list(struct http_req *, struct http_resp *);     /* GET /tin-tuc */
enum err page_news_atom(struct http_req *, struct http_resp *);     /* GET /tin-tuc/atom.xml */
enum err page_news_article(struct http_req *, struct http_resp *);  /* GET /tin-tuc/{slug} */
enum err page_image(struct http_req *, struct http_resp *);         /* GET /anh/{file} */

/* admin and leader */
enum err admin_news(struct http_req *, struct http_resp *);
enum err admin_news_new(struct http_req *, struct http_resp *);
enum err admin_news_create(struct http_req *, struct http_resp *);
enum err admin_news_edit(struct http_req *, struct http_resp *);
enum err admin_news_update(struct http_req *, struct http_resp *);
enum err admin_news_status(struct http_req *, struct http_resp *);
enum err admin_news_image_form(struct http_req *, struct http_resp *);
enum err admin_news_image(struct http_req *, struct http_resp *);

/*
 * For the home page (and any public page):
 *
 * news_visit counts the page view (app/visits.h: in memory, one visit
 * per client address per 30 minutes, no cookie, no database write) and
 * returns {"total":N,"now":M}: the visits ever counted and the clients
 * seen in the last 5 minutes.  User agents that look like robots (bot,
 * crawl, spider, slurp, curl, wget, python, headless — so tests that
 * want to be counted set a normal browser User-Agent) are not counted.
 * NULL when the server runs no counter (or out of memory).
 * Render it with {{#visits}}{{> news_visits}}{{/visits}}.
 *
 * news_latest returns {"items":[…]} with the n newest published
 * articles (title, href, date, kind, excerpt); render it with
 * {{#news}}{{> news_items}}{{/news}} (items get h3 headings when the
 * object also has "h3": true); NULL only when out of memory.
 */
json_t *news_visit(struct http_req *req, struct http_resp *resp);
/* Counts the view as news_visit does and gives the figures; -1 when the
 * server runs no counter. */
int news_visit_count(struct http_req *req, int64_t *total, int64_t *now);
json_t *news_latest(struct http_req *req, int n);

#endif
