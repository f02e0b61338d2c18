/*
 * pages_news.c — the agency's portal: news and announcements (/tin-tuc)
 * with search without tones, filters, news by date and a monthly
 * archive; the article page with related news (/tin-tuc/{slug}); the
 * Atom feed; uploaded images (/anh/{file}); the visit counter; and the
 * admin pages where editors (admin, leader) write in the Markdown subset
 * of view/markdown.h and upload images.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "core/calendar.h"
#include "core/roles.h"
#include "core/text.h"
#include "app/news.h"
#include "view/markdown.h"
#include "view/tmpl.h"
#include "web/news.h"
#include "web/pagecache.h"
#include "app/visits.h"
#include "web/web.h"

#define PAGE_SIZE 10
#define ADMIN_PAGE_SIZE 20
#define EXCERPT_CHARS 220

/* ---- visits ------------------------------------------------------------- */

/* Robots, scripts and headless browsers are not visitors. */
static int
is_bot(const char *ua)
{
	static const char *const marks[] = {"bot", "crawl", "spider", "slurp", "curl", "wget",
	                                    "python", "headless", "scrapy", "httpclient", "java/",
	                                    "go-http", "libwww", "okhttp", "preview"};
	if (!ua || strlen(ua) < 8)
		return 1;
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strcasestr(ua, marks[i]))
			return 1;
	return 0;
}

int
news_visit_count(struct http_req *req, int64_t *total, int64_t *now)
{
	struct web_app *app = req->app;
	if (!app->core.visits)
		return -1;
	struct visit_figures f;
	visits_view(app->core.visits, req->client, !is_bot(http_header(req, "User-Agent")),
	            (int64_t)time(NULL), &f);
	*total = f.total;
	*now = f.now;
	return 0;
}

json_t *
news_visit(struct http_req *req, struct http_resp *resp)
{
	(void)resp;
	struct web_app *app = req->app;
	if (!app->core.visits)
		return NULL;
	/* rendering for the render cache: holes, and the view is counted
	 * when the response fills them */
	if (web_hole(HOLE_VISITS_TOTAL))
		return json_pack("{s:s,s:s}", "total", web_hole(HOLE_VISITS_TOTAL), "now",
		                 web_hole(HOLE_VISITS_NOW));
	int64_t total, now;
	news_visit_count(req, &total, &now);
	return json_pack("{s:I,s:I}", "total", (json_int_t)total, "now", (json_int_t)now);
}

/* ---- list items ------------------------------------------------------------ */

struct collect {
	json_t *items;
	int admin;
	int64_t newest; /* latest updated_at (Atom) */
	struct web_app *app;
	int with_content; /* Atom: the body as HTML */
};

/* The body's Markdown tree; an unparsable body (cannot happen for what
 * the form accepted) shows as nothing. */
static json_t *
body_tree(const char *body)
{
	json_t *t = md_parse(body, strlen(body), NULL, 0);
	return t ? t : json_array();
}

static json_t *
item_json(const struct news_item *n, int admin)
{
	char date[32] = "", iso[40] = "", href[NEWS_SLUG_MAX + 24];
	if (n->published_at) {
		vn_fmt_date(n->published_at, date, sizeof date);
		vn_fmt_rfc3339(n->published_at, iso, sizeof iso);
	}
	snprintf(href, sizeof href, "/tin-tuc/%s", n->slug);
	char *excerpt = NULL;
	if (!n->summary[0]) {
		json_t *t = body_tree(n->body);
		excerpt = md_plain(t, EXCERPT_CHARS);
		json_decref(t);
	}
	const char *cl = app_news_category_label(n->category);
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b}", "id", (json_int_t)n->id,
	    "slug", n->slug, "title", n->title, "href", href, "date", date, "datetime", iso,
	    "excerpt", n->summary[0] ? n->summary : excerpt ? excerpt : "", "kind_label", app_news_kind_label(n->kind),
	    "category", n->category, "category_label", cl ? cl : n->category,
	    "is_announcement", strcmp(n->kind, "announcement") == 0,
	    "published", strcmp(n->status, "published") == 0);
	free(excerpt);
	if (o && admin) {
		char upd[32];
		vn_fmt_datetime(n->updated_at, upd, sizeof upd);
		json_object_set_new(o, "updated", json_string(upd));
		json_object_set_new(o, "status_label", json_string(strcmp(n->status, "published") == 0 ? "Đã đăng" : "Bản nháp"));
	}
	return o;
}

static int
collect_one(const struct news_item *n, void *arg)
{
	struct collect *c = arg;
	json_t *o = item_json(n, c->admin);
	if (!o)
		return 1;
	if (n->updated_at > c->newest)
		c->newest = n->updated_at;
	if (c->with_content) {
		char upd[40];
		vn_fmt_rfc3339(n->updated_at > n->published_at ? n->updated_at : n->published_at, upd, sizeof upd);
		json_object_set_new(o, "updated_iso", json_string(upd));
		json_t *t = body_tree(n->body);
		struct buf b = BUF_INIT;
		if (tmpl_render(c->app->tmpl, "md", t, &b) == 0 && !b.oom)
			json_object_set_new(o, "content", json_string(buf_str(&b)));
		buf_free(&b);
		json_decref(t);
	}
	json_array_append_new(c->items, o);
	return 0;
}

json_t *
news_latest(struct http_req *req, int n)
{
	struct web_app *app = req->app;
	struct app_news_filter q = {.limit = n > 0 && n <= 50 ? n : 5};
	struct collect c = {.items = json_array(), .app = app};
	if (!c.items)
		return NULL;
	app_news_list(&app->core, NULL, &q, collect_one, &c, NULL);
	return json_pack("{s:o}", "items", c.items);
}

/* ---- the public list ------------------------------------------------------ */

/* Appends "&key=value" (value percent-encoded) to b. */
static void
add_param(struct buf *b, const char *key, const char *v)
{
	if (!v || !*v)
		return;
	buf_printf(b, "%c%s=", strchr(buf_str(b), '?') ? '&' : '?', key);
	web_urlencode(b, v);
}

static json_t *
list_link(struct http_req *req, int page)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "/tin-tuc");
	const char *keys[] = {"q", "chuyen-muc", "loai", "ngay", "thang"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		add_param(&b, keys[i], form_get(&req->query, keys[i]));
	if (page > 1) {
		char p[16];
		snprintf(p, sizeof p, "%d", page);
		add_param(&b, "trang", p);
	}
	json_t *s = json_string(buf_str(&b));
	buf_free(&b);
	return s;
}

static int
add_month(int year, int month, int64_t n, void *arg)
{
	char href[40], label[64];
	snprintf(href, sizeof href, "/tin-tuc?thang=%04d-%02d", year, month);
	snprintf(label, sizeof label, "Tháng %d/%d", month, year);
	json_array_append_new(arg, json_pack("{s:s,s:s,s:I}", "href", href, "label", label, "count", (json_int_t)n));
	return json_array_size(arg) >= 24;
}

/* ?ngay=YYYY-MM-DD or ?thang=YYYY-MM into a UTC range; 0, or -1 when malformed. */
static int
date_range(struct http_req *req, struct app_news_filter *q, char *label, size_t n)
{
	const char *day = form_get(&req->query, "ngay");
	const char *month = form_get(&req->query, "thang");
	cal_day d;
	if (day && *day) {
		if (cal_parse_ymd(day, &d) != 0)
			return -1;
		char dmy[16];
		vn_day_short(d, dmy, sizeof dmy);
		q->from = vn_instant(d, 0);
		q->to = q->from + 86400;
		snprintf(label, n, "ngày %s", dmy);
	} else if (month && *month) {
		char ymd[16];
		long y, m;
		if (strlen(month) != 7 || month[4] != '-')
			return -1;
		snprintf(ymd, sizeof ymd, "%s-01", month);
		if (cal_parse_ymd(ymd, &d) != 0)
			return -1;
		char ys[5] = {month[0], month[1], month[2], month[3], 0};
		web_parse_int(ys, 1, 9999, &y);
		web_parse_int(month + 5, 1, 12, &m);
		cal_day next = m == 12 ? cal_day_from_ymd((int)y + 1, 1, 1) : cal_day_from_ymd((int)y, (int)m + 1, 1);
		q->from = vn_instant(d, 0);
		q->to = vn_instant(next, 0);
		snprintf(label, n, "tháng %ld/%ld", m, y);
	}
	return 0;
}

static enum err
render_news_list(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct app_news_filter q = {.limit = PAGE_SIZE};
	const char *text = form_get(&req->query, "q");
	const char *cat = form_get(&req->query, "chuyen-muc");
	const char *kind = form_get(&req->query, "loai");
	char when[64] = "";
	long page = 1;
	if (text && strlen(text) > 200)
		return ERR_OUT_OF_RANGE;
	if (cat && *cat) {
		if (!app_news_category_label(cat))
			return ERR_INVALID_FIELD;
		q.category = cat;
	}
	if (kind && *kind && !(q.kind = app_news_kind_from_param(kind)))
		return ERR_INVALID_FIELD;
	if (date_range(req, &q, when, sizeof when) != 0)
		return ERR_BAD_DATE;
	if (form_get(&req->query, "trang") && web_parse_int(form_get(&req->query, "trang"), 1, 100000, &page) != 0)
		return ERR_OUT_OF_RANGE;
	q.offset = (int)(page - 1) * PAGE_SIZE;
	q.text = text;
	struct collect c = {.items = json_array(), .app = app};
	int64_t total = 0;
	enum err e = app_news_list(&app->core, NULL, &q, collect_one, &c, &total);
	if (e) {
		json_decref(c.items);
		return e;
	}
	json_t *months = json_array();
	app_news_months(&app->core, add_month, months);
	json_t *cats = json_array();
	for (size_t i = 0; i < app_news_ncategories; i++)
		json_array_append_new(cats, json_pack("{s:s,s:s,s:b}", "value", app_news_categories[i].code, "label", app_news_categories[i].label,
		                                      "selected", cat && strcmp(cat, app_news_categories[i].code) == 0));
	json_t *kinds = json_array();
	for (size_t i = 0; i < app_news_nkinds; i++)
		json_array_append_new(kinds, json_pack("{s:s,s:s,s:b}", "value", app_news_kinds[i].param, "label", app_news_kinds[i].label,
		                                       "selected", q.kind && strcmp(q.kind, app_news_kinds[i].code) == 0));
	char title[128];
	if (when[0])
		snprintf(title, sizeof title, "Tin %s", when);
	else if (q.kind)
		snprintf(title, sizeof title, "%s", app_news_kind_label(q.kind));
	else
		snprintf(title, sizeof title, "Tin tức – Thông báo");
	json_t *visits = news_visit(req, resp);
	json_t *d = web_page_data(req, resp, title);
	if (!d) {
		json_decref(c.items);
		json_decref(months);
		json_decref(cats);
		json_decref(kinds);
		json_decref(visits);
		return ERR_NOMEM;
	}
	int pages = (int)((total + PAGE_SIZE - 1) / PAGE_SIZE);
	const char *day = form_get(&req->query, "ngay");
	json_t *l = json_pack("{s:s,s:o,s:I,s:s,s:s,s:b,s:o,s:o,s:o,s:i,s:i,s:b}", "q", text ? text : "",
	    "items", c.items, "total", (json_int_t)total, "when", when, "day", day ? day : "",
	    "searching", text && *text, "months", months, "cats", cats, "kinds", kinds, "page", (int)page,
	    "pages", pages > 1 ? pages : 0, "filtered", (text && *text) || q.category || q.kind || when[0]);
	if (page > 1)
		json_object_set_new(l, "prev", list_link(req, (int)page - 1));
	if (page < pages)
		json_object_set_new(l, "next", list_link(req, (int)page + 1));
	json_object_set_new(d, "news", l);
	json_object_set_new(d, "visits", visits);
	return web_render(req, resp, "news", d);
}

enum err
page_news_list(struct http_req *req, struct http_resp *resp)
{
	return web_cached(req, resp, render_news_list);
}

/* ---- the article ----------------------------------------------------------- */

static enum err
render_news_article(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct news_item n;
	const char *slug = http_param(req, 0);
	enum err e = app_news_article(&app->core, slug, &n);
	if (e)
		return e;
	json_t *a = item_json(&n, 0);
	json_t *tree = body_tree(n.body);
	if (a) {
		json_object_set_new(a, "body", tree);
		json_object_set_new(a, "has_summary", json_boolean(n.summary[0] != 0));
		/* an edit after publication (a dated article's writing is no edit) */
		if (n.updated_at > n.published_at + 60 && n.updated_at > n.created_at + 60) {
			char upd[32];
			vn_fmt_datetime(n.updated_at, upd, sizeof upd);
			json_object_set_new(a, "updated", json_string(upd));
		}
	} else {
		json_decref(tree);
	}
	struct app_news_filter q = {.category = n.category, .exclude_id = n.id, .limit = 5};
	struct collect c = {.items = json_array(), .app = app};
	app_news_list(&app->core, NULL, &q, collect_one, &c, NULL);
	json_t *visits = news_visit(req, resp);
	json_t *d = web_page_data(req, resp, n.title);
	news_item_free(&n);
	if (!d || !a) {
		json_decref(d);
		json_decref(a);
		json_decref(c.items);
		json_decref(visits);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "article", a);
	json_object_set_new(d, "related", c.items);
	json_object_set_new(d, "visits", visits);
	return web_render(req, resp, "news_article", d);
}

enum err
page_news_article(struct http_req *req, struct http_resp *resp)
{
	return web_cached(req, resp, render_news_article);
}

/* ---- Atom ------------------------------------------------------------------ */

void
web_base_url(struct http_req *req, char *out, size_t n)
{
	struct web_app *app = req->app;
	const char *host = http_header(req, "Host");
	int ok = host && *host && strlen(host) < 256;
	for (const char *p = host; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		     *p == '.' || *p == '-' || *p == ':' || *p == '[' || *p == ']';
	snprintf(out, n, "%s://%s", app->secure_cookies ? "https" : "http", ok ? host : "localhost");
}

enum err
page_news_atom(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct app_news_filter q = {.limit = 20};
	struct collect c = {.items = json_array(), .app = app, .with_content = 1};
	enum err e = app_news_list(&app->core, NULL, &q, collect_one, &c, NULL);
	if (e) {
		json_decref(c.items);
		return e;
	}
	char base[300], updated[40];
	web_base_url(req, base, sizeof base);
	vn_fmt_rfc3339(c.newest ? c.newest : (int64_t)time(NULL), updated, sizeof updated);
	json_t *d = json_pack("{s:s,s:s,s:s,s:o}", "base", base, "agency", app->agency.name,
	                      "updated", updated, "items", c.items);
	if (!d)
		return ERR_NOMEM;
	buf_reset(&resp->body);
	int rc = tmpl_render(app->tmpl, "news_atom", d, &resp->body);
	json_decref(d);
	if (rc != 0 || resp->body.oom)
		return ERR_INTERNAL;
	resp->content_type = "application/atom+xml; charset=utf-8";
	http_resp_header(resp, "Cache-Control", "public, max-age=300");
	return ERR_OK;
}

/* ---- images ---------------------------------------------------------------- */

enum err
page_image(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	char *data;
	size_t len;
	const char *mime;
	enum err e = app_news_image_get(&app->core, http_param(req, 0), &data, &len, &mime);
	if (e)
		return e;
	buf_reset(&resp->body);
	buf_append(&resp->body, data, len);
	free(data);
	if (resp->body.oom)
		return ERR_NOMEM;
	resp->content_type = mime;
	/* the name is the content's hash: it never changes */
	http_resp_header(resp, "Cache-Control", "public, max-age=31536000, immutable");
	return ERR_OK;
}

/* ---- admin ------------------------------------------------------------------ */

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

static json_t *
cat_options(const char *sel)
{
	json_t *a = json_array();
	for (size_t i = 0; i < app_news_ncategories; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", app_news_categories[i].code, "label", app_news_categories[i].label,
		                                   "selected", sel && strcmp(sel, app_news_categories[i].code) == 0));
	return a;
}

static json_t *
kind_options(const char *sel)
{
	json_t *a = json_array();
	for (size_t i = 0; i < app_news_nkinds; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", app_news_kinds[i].code, "label", app_news_kinds[i].label,
		                                   "selected", sel ? strcmp(sel, app_news_kinds[i].code) == 0 : i == 0));
	return a;
}

enum err
admin_news(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	long page = 1;
	if (form_get(&req->query, "trang") && web_parse_int(form_get(&req->query, "trang"), 1, 100000, &page) != 0)
		return ERR_OUT_OF_RANGE;
	struct app_news_filter q = {.drafts = 1, .limit = ADMIN_PAGE_SIZE, .offset = (int)(page - 1) * ADMIN_PAGE_SIZE};
	struct collect c = {.items = json_array(), .admin = 1, .app = app};
	int64_t total = 0;
	struct actor ac;
	web_actor_of(req, &ac);
	enum err e = app_news_list(&app->core, &ac, &q, collect_one, &c, &total);
	if (e) {
		json_decref(c.items);
		return e;
	}
	json_t *d = web_page_data(req, resp, "Quản lý tin tức");
	if (!d) {
		json_decref(c.items);
		return ERR_NOMEM;
	}
	int pages = (int)((total + ADMIN_PAGE_SIZE - 1) / ADMIN_PAGE_SIZE);
	json_t *adm = json_pack("{s:o,s:I,s:i,s:i,s:b}", "items", c.items, "total", (json_int_t)total, "page",
	                        (int)page, "pages", pages > 1 ? pages : 0, "has_items", total > 0);
	char link[64];
	if (page > 1) {
		snprintf(link, sizeof link, "/quan-tri/tin-tuc?trang=%ld", page - 1);
		json_object_set_new(adm, "prev", json_string(link));
	}
	if (page < pages) {
		snprintf(link, sizeof link, "/quan-tri/tin-tuc?trang=%ld", page + 1);
		json_object_set_new(adm, "next", json_string(link));
	}
	json_object_set_new(d, "adm", adm);
	const char *ok = form_get(&req->query, "ok");
	if (ok && strcmp(ok, "luu") == 0)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", "Đã lưu tin."));
	return web_render(req, resp, "admin_news", d);
}

/* The edit form with the given values (an article, or what was posted). */
static enum err
edit_form(struct http_req *req, struct http_resp *resp, int status, const struct news_item *n,
          int from_post, const char *error, const char *flash)
{
	json_t *f;
	if (from_post)
		f = json_pack("{s:s,s:s,s:s,s:o,s:o}", "title", fv(req, "title"), "summary", fv(req, "summary"),
		              "body", fv(req, "body"), "cats", cat_options(fv(req, "category")), "kinds",
		              kind_options(fv(req, "kind")));
	else if (n)
		f = json_pack("{s:s,s:s,s:s,s:o,s:o}", "title", n->title, "summary", n->summary, "body", n->body,
		              "cats", cat_options(n->category), "kinds", kind_options(n->kind));
	else
		f = json_pack("{s:s,s:s,s:s,s:o,s:o}", "title", "", "summary", "", "body", "", "cats",
		              cat_options(NULL), "kinds", kind_options(NULL));
	if (!f)
		return ERR_NOMEM;
	char date[16] = "";
	if (!from_post && n && n->published_at)
		cal_format_ymd(vn_day(n->published_at), date, sizeof date);
	json_object_set_new(f, "date", json_string(from_post ? fv(req, "date") : date));
	if (n) {
		char href[NEWS_SLUG_MAX + 24];
		snprintf(href, sizeof href, "/tin-tuc/%s", n->slug);
		json_object_set_new(f, "id", json_integer(n->id));
		json_object_set_new(f, "href", json_string(href));
		json_object_set_new(f, "published", json_boolean(strcmp(n->status, "published") == 0));
	}
	json_object_set_new(f, "is_new", json_boolean(!n));
	json_t *d = web_page_data(req, resp, n ? "Sửa tin" : "Viết tin mới");
	if (!d) {
		json_decref(f);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "f", f);
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	if (flash)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", flash));
	resp->status = status;
	return web_render(req, resp, "admin_news_edit", d);
}

static int
parse_id(struct http_req *req, int64_t *id)
{
	long v;
	if (web_parse_int(http_param(req, 0), 1, 2000000000L, &v) != 0)
		return -1;
	*id = v;
	return 0;
}

enum err
admin_news_new(struct http_req *req, struct http_resp *resp)
{
	return edit_form(req, resp, 200, NULL, 0, NULL, NULL);
}

enum err
admin_news_edit(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	struct news_item n;
	if (parse_id(req, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	enum err e = app_news_get(&app->core, &ac, id, &n);
	if (e)
		return e;
	const char *ok = form_get(&req->query, "ok");
	e = edit_form(req, resp, 200, &n, 0, NULL, ok && strcmp(ok, "luu") == 0 ? "Đã lưu tin." : NULL);
	news_item_free(&n);
	return e;
}

/* The posted form as the service's input; the body's Markdown is read
 * here (a view matter) and its plain text given to the service (*plain,
 * malloc'd; NULL with why set when the body cannot be read). */
static void
read_form(struct http_req *req, struct app_news_in *in, char **plain, char *why, size_t whylen)
{
	const char *body = fv(req, "body"), *action = fv(req, "action");
	*plain = NULL;
	if (strlen(body) <= MD_MAX_INPUT) {
		json_t *t = md_parse(body, strlen(body), why, whylen);
		if (t)
			*plain = md_plain(t, 0);
		json_decref(t);
	}
	in->title = fv(req, "title");
	in->summary = fv(req, "summary");
	in->body = body;
	in->plain = *plain ? *plain : strlen(body) > MD_MAX_INPUT ? "" : NULL;
	in->category = fv(req, "category");
	in->kind = fv(req, "kind");
	in->date = fv(req, "date");
	in->publish = strcmp(action, "publish") == 0 ? APP_NEWS_PUBLISH
	              : strcmp(action, "draft") == 0 ? APP_NEWS_DRAFT : APP_NEWS_KEEP;
}

/* The refusal as the editor reads it: the Markdown reader's own reason
 * when the body could not be read. */
static const char *
refusal(const struct app_fail *f, const char *why)
{
	if (strcmp(f->field, "body") == 0 && strcmp(f->msg, "Nội dung không hợp lệ.") == 0 && why[0])
		return why;
	return f->msg[0] ? f->msg : "Nội dung không hợp lệ.";
}

static enum err
saved(struct http_resp *resp, int64_t id)
{
	char loc[64];
	snprintf(loc, sizeof loc, "/quan-tri/tin-tuc/%lld?ok=luu", (long long)id);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
admin_news_create(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct app_news_in in;
	char *plain, why[256] = "";
	read_form(req, &in, &plain, why, sizeof why);
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	int64_t id;
	enum err e = app_news_create(&app->core, &ac, &in, &id, &f);
	free(plain);
	if (e == ERR_INVALID_FIELD)
		return edit_form(req, resp, 400, NULL, 1, refusal(&f, why), NULL);
	return e ? e : saved(resp, id);
}

enum err
admin_news_update(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (parse_id(req, &id) != 0)
		return ERR_NOT_FOUND;
	struct app_news_in in;
	char *plain, why[256] = "";
	read_form(req, &in, &plain, why, sizeof why);
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	enum err e = app_news_update(&app->core, &ac, id, &in, &f);
	free(plain);
	if (e == ERR_INVALID_FIELD) {
		struct news_item n;
		e = app_news_get(&app->core, &ac, id, &n);
		if (!e)
			e = edit_form(req, resp, 400, &n, 1, refusal(&f, why), NULL);
		news_item_free(&n);
		return e;
	}
	return e ? e : saved(resp, id);
}

enum err
admin_news_status(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (parse_id(req, &id) != 0)
		return ERR_NOT_FOUND;
	const char *status = fv(req, "status");
	if (strcmp(status, "published") != 0 && strcmp(status, "draft") != 0)
		return ERR_INVALID_FIELD;
	struct actor ac;
	web_actor_of(req, &ac);
	enum err e = app_news_set_status(&app->core, &ac, id, strcmp(status, "published") == 0);
	return e ? e : saved(resp, id);
}

static enum err
image_page(struct http_req *req, struct http_resp *resp, int status, const char *error,
           const char *name, const char *alt)
{
	json_t *d = web_page_data(req, resp, "Tải ảnh lên");
	if (!d)
		return ERR_NOMEM;
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	if (name) {
		char src[160];
		struct buf b = BUF_INIT;
		snprintf(src, sizeof src, "/anh/%s", name);
		/* the alt text must not close the brackets of the snippet */
		buf_puts(&b, "![");
		for (const char *p = alt && *alt ? alt : MD_DEFAULT_ALT; *p; p++) {
			if (*p == '[' || *p == ']' || *p == '\\')
				buf_putc(&b, '\\');
			buf_putc(&b, *p == '\n' || *p == '\r' ? ' ' : *p);
		}
		buf_printf(&b, "](%s)", src);
		json_object_set_new(d, "img", json_pack("{s:s,s:s,s:s}", "src", src, "snippet", buf_str(&b),
		                                        "alt", alt && *alt ? alt : MD_DEFAULT_ALT));
		buf_free(&b);
	}
	resp->status = status;
	return web_render(req, resp, "admin_news_image", d);
}

enum err
admin_news_image_form(struct http_req *req, struct http_resp *resp)
{
	return image_page(req, resp, 200, NULL, NULL, NULL);
}

enum err
admin_news_image(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const struct form_field *f = NULL;
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].name, "file") == 0 && req->form.v[i].filename)
			f = &req->form.v[i];
	const char *alt = fv(req, "alt");
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail fail = {"", ""};
	char name[96];
	enum err e = app_news_image_put(&app->core, &ac, f ? f->value : NULL, f ? f->value_len : 0, alt, name,
	                                sizeof name, &fail);
	if (e == ERR_INVALID_FIELD)
		return image_page(req, resp, 400, fail.msg, NULL, NULL);
	if (e)
		return e;
	return image_page(req, resp, 200, NULL, name, alt);
}
