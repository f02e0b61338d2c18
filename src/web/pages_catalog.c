/*
 * pages_catalog.c — the published catalogue of procedures: the public
 * list with search and filters (/thu-tuc), the printable procedure page
 * (/thu-tuc/{code}), the JSON API, and the admin pages to create, edit
 * (a new version when the current one is published), publish and retire.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/money.h"
#include "core/text.h"
#include "core/roles.h"
#include "app/catalog.h"
#include "core/proc_json.h"
#include "web/pagecache.h"
#include "web/web.h"

#define PAGE_SIZE 20

/* Vietnamese labels of the model's codes: {code, label} rows; the last
 * row (code NULL) is the label for anything else. */
struct label { const char *code, *label; };
static const struct label online_labels[] = {
	{"full", "Dịch vụ công trực tuyến toàn trình"}, {"partial", "Dịch vụ công trực tuyến một phần"},
	{NULL, "Không cung cấp trực tuyến"}};
static const struct label form_labels[] = {
	{"copy", "Bản sao"}, {"present", "Xuất trình (không nộp)"},
	{"either", "Bản chính hoặc bản sao"}, {NULL, "Bản chính"}};
static const struct label status_labels[] = {
	{"draft", "Bản nháp"}, {"retired", "Đã bãi bỏ"}, {"superseded", "Đã thay thế"},
	{NULL, "Đang công bố"}};

static const char *
label_of(const struct label *t, const char *code)
{
	for (; t->code; t++)
		if (code && strcmp(code, t->code) == 0)
			return t->label;
	return t->label;
}

static const char *
online_label(const char *lvl)
{
	return lvl ? label_of(online_labels, lvl) : NULL;
}

static int
needs_check(const json_t *p, const char *field)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(p, "to_verify"), i, v)
		if (strcmp(json_string_value(v), field) == 0)
			return 1;
	return 0;
}

/* Display fields added to a canonical procedure object (in place). */
static void
decorate(json_t *p)
{
	json_t *tl = json_object_get(p, "time_limit"), *fee = json_object_get(p, "fee");
	char label[256];
	const char *cut = json_string_value(json_object_get(tl, "cutoff"));
	if (json_is_true(json_object_get(tl, "same_day")))
		snprintf(label, sizeof label, "Trong ngày làm việc%s%s%s", cut ? " (hồ sơ nhận sau " : "",
		         cut ? cut : "", cut ? " trả trong ngày làm việc tiếp theo)" : "");
	else if (json_is_integer(json_object_get(tl, "days")))
		snprintf(label, sizeof label, "%lld ngày làm việc",
		         (long long)json_integer_value(json_object_get(tl, "days")));
	else
		label[0] = '\0';
	json_object_set_new(p, "time_label", json_string(label));
	json_object_set_new(p, "time_unverified", json_boolean(!label[0] || needs_check(p, "time_limit")));
	json_t *amount = json_object_get(fee, "amount");
	if (json_is_integer(amount)) {
		json_int_t a = json_integer_value(amount);
		char fig[48], words[512];
		money_figures(a, fig, sizeof fig);
		money_words(a, words, sizeof words);
		if (a == 0)
			snprintf(label, sizeof label, "Không thu phí, lệ phí");
		else
			snprintf(label, sizeof label, "%s đồng", fig);
		json_object_set_new(p, "fee_label", json_string(label));
		if (a > 0)
			json_object_set_new(p, "fee_words", json_string(words));
	}
	json_object_set_new(p, "fee_unverified", json_boolean(!json_is_integer(amount) && !*json_string_value(json_object_get(fee, "text"))));
	const char *ol = online_label(json_string_value(json_object_get(p, "online_level")));
	if (ol)
		json_object_set_new(p, "online_label", json_string(ol));
	/* full or partial: the citizen may submit it online (issue #13) */
	const char *lv = json_string_value(json_object_get(p, "online_level"));
	json_object_set_new(p, "online_submit", json_boolean(lv && (strcmp(lv, "full") == 0 ||
	                                                             strcmp(lv, "partial") == 0)));
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(p, "documents"), i, d)
		json_object_set_new(d, "form_label", json_string(label_of(form_labels, json_string_value(json_object_get(d, "form")))));
	json_object_set_new(p, "is_local", json_boolean(strcmp(json_string_value(json_object_get(p, "code_kind")), "local") == 0));
	json_object_set_new(p, "status_label", json_string(label_of(status_labels, json_string_value(json_object_get(p, "status")))));
	json_object_set_new(p, "result_unverified", json_boolean(json_is_null(json_object_get(p, "result"))));
	/* dates on citizen pages read dd/mm/yyyy */
	const char *pd = json_string_value(json_object_get(json_object_get(p, "publication"), "date"));
	cal_day pday;
	if (pd && cal_parse_ymd(pd, &pday) == 0) {
		char dmy[16];
		vn_day_short(pday, dmy, sizeof dmy);
		json_object_set_new(p, "pub_date_label", json_string(dmy));
	}
	json_object_set_new(p, "pub_unverified", json_boolean(json_is_null(json_object_get(json_object_get(p, "publication"), "decision"))));
	json_object_set_new(p, "has_steps", json_boolean(json_array_size(json_object_get(p, "steps")) > 0));
	json_object_set_new(p, "has_documents", json_boolean(json_array_size(json_object_get(p, "documents")) > 0));
}

/* ---- list (public, API, admin) -------------------------------------------- */

struct collect {
	json_t *items;
	int admin;
};

static int
collect_one(struct store_proc *sp, void *arg)
{
	struct collect *c = arg;
	json_t *o = proc_to_json(&sp->proc);
	if (!o)
		return 0;
	decorate(o);
	json_object_set_new(o, "version", json_integer(sp->version));
	if (c->admin)
		json_object_set_new(o, "has_draft", json_boolean(sp->has_draft));
	json_array_append_new(c->items, o);
	return 0;
}

static int
add_field(const char *f, int64_t n, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s,s:I}", "name", f, "count", (json_int_t)n));
	return 0;
}

/* Reads ?q= &linh-vuc= &muc-do= &trang= (or the API's names) into q. */
static enum err
read_query(struct http_req *req, struct app_catalog_query *q, int api, int *page)
{
	const char *field = form_get(&req->query, api ? "field" : "linh-vuc");
	const char *level = form_get(&req->query, api ? "online_level" : "muc-do");
	q->text = form_get(&req->query, "q");
	q->field = field && *field ? field : NULL;
	q->online_level = level && *level ? (enum proc_online)proc_enum_find(proc_online_levels, level)
	                                  : PROC_ONLINE_UNSET;
	long v;
	if (api) {
		q->limit = 20;
		q->offset = 0;
		if (form_get(&req->query, "limit")) {
			if (web_parse_int(form_get(&req->query, "limit"), 1, 200, &v) != 0)
				return ERR_OUT_OF_RANGE;
			q->limit = (int)v;
		}
		if (form_get(&req->query, "offset")) {
			if (web_parse_int(form_get(&req->query, "offset"), 0, 1000000, &v) != 0)
				return ERR_OUT_OF_RANGE;
			q->offset = (int)v;
		}
		*page = 1;
	} else {
		*page = 1;
		if (form_get(&req->query, "trang")) {
			if (web_parse_int(form_get(&req->query, "trang"), 1, 100000, &v) != 0)
				return ERR_OUT_OF_RANGE;
			*page = (int)v;
		}
		q->limit = PAGE_SIZE;
		q->offset = (*page - 1) * PAGE_SIZE;
	}
	return ERR_OK;
}

/* A link to page n of the current search, with its filters. */
static json_t *
page_link(struct http_req *req, int n)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "/thu-tuc?trang=%d", n);
	const char *keys[] = {"q", "linh-vuc", "muc-do"};
	for (int i = 0; i < 3; i++) {
		const char *v = form_get(&req->query, keys[i]);
		if (!v || !*v)
			continue;
		buf_printf(&b, "&%s=", keys[i]);
		web_urlencode(&b, v);
	}
	json_t *s = json_string(buf_str(&b));
	buf_free(&b);
	return s;
}

static enum err
render_catalog(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_catalog_query q = {0};
	int page;
	enum err e = read_query(req, &q, 0, &page);
	if (e)
		return e;
	struct collect c = {json_array(), 0};
	int64_t total = 0;
	e = app_catalog_list(&app->core, &ac, &q, collect_one, &c, &total);
	if (e) {
		json_decref(c.items);
		return e;
	}
	json_t *fields = json_array();
	app_catalog_fields(&app->core, add_field, fields);
	const char *sel = form_get(&req->query, "linh-vuc");
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
		json_object_set_new(f, "selected", json_boolean(sel && strcmp(sel, json_string_value(json_object_get(f, "name"))) == 0));
	const char *lvl = form_get(&req->query, "muc-do");
	json_t *levels = json_array();
	const char *lv[3] = {"full", "partial", "none"};
	for (int k = 0; k < 3; k++)
		json_array_append_new(levels, json_pack("{s:s,s:s,s:b}", "value", lv[k], "label",
		                                        online_label(lv[k]), "selected", lvl && strcmp(lvl, lv[k]) == 0));
	json_t *d = web_page_data(req, resp, "Thủ tục hành chính");
	if (!d) {
		json_decref(c.items);
		json_decref(fields);
		json_decref(levels);
		return ERR_NOMEM;
	}
	int pages = (int)((total + PAGE_SIZE - 1) / PAGE_SIZE);
	json_t *cat = json_pack("{s:o,s:I,s:o,s:o,s:s,s:b,s:i,s:i}", "items", c.items, "total",
	                        (json_int_t)total, "fields", fields, "levels", levels, "q", q.text ? q.text : "",
	                        "searching", q.text && *q.text, "page", page, "pages", pages);
	if (page > 1)
		json_object_set_new(cat, "prev", page_link(req, page - 1));
	if (page < pages)
		json_object_set_new(cat, "next", page_link(req, page + 1));
	json_object_set_new(d, "cat", cat);
	return web_render(req, resp, "catalog", d);
}

enum err
page_catalog(struct http_req *req, struct http_resp *resp)
{
	return web_cached(req, resp, render_catalog);
}

static enum err
render_procedure(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_proc sp;
	enum err e = app_catalog_get(&app->core, NULL, http_param(req, 0), 0, &sp);
	if (e)
		return e;
	json_t *p = proc_to_json(&sp.proc);
	char when[32];
	vn_fmt_datetime(sp.published_at ? sp.published_at : sp.created_at, when, sizeof when);
	int version = sp.version;
	store_proc_free(&sp);
	if (!p)
		return ERR_INTERNAL;
	decorate(p);
	json_object_set_new(p, "version", json_integer(version));
	json_object_set_new(p, "published_label", json_string(when));
	json_t *d = web_page_data(req, resp, json_string_value(json_object_get(p, "name")));
	if (!d) {
		json_decref(p);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "proc", p);
	return web_render(req, resp, "procedure", d);
}

enum err
page_procedure(struct http_req *req, struct http_resp *resp)
{
	return web_cached(req, resp, render_procedure);
}

enum err
api_procedures(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_catalog_query q = {0};
	int page;
	struct collect c = {json_array(), 0};
	int64_t total = 0;
	enum err e = read_query(req, &q, 1, &page);
	if (!e)
		e = app_catalog_list(&app->core, &ac, &q, collect_one, &c, &total);
	if (e == ERR_OUT_OF_RANGE || e == ERR_INVALID_FIELD) {
		json_decref(c.items);
		http_error(req, resp, e, "q ≤ 200 ký tự; limit 1–200; offset ≥ 0; online_level: full, partial, none");
		return ERR_OK;
	}
	if (e) {
		json_decref(c.items);
		return e;
	}
	/* the list carries the summary; the full record is at /procedures/{code} */
	size_t i;
	json_t *o;
	json_t *items = json_array();
	json_array_foreach(c.items, i, o)
		json_array_append_new(items, json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "code",
		    json_object_get(o, "code"), "name", json_object_get(o, "name"), "field",
		    json_object_get(o, "field"), "online_level", json_object_get(o, "online_level"),
		    "time_limit", json_object_get(o, "time_limit"), "fee", json_object_get(o, "fee"),
		    "version", json_object_get(o, "version")));
	json_decref(c.items);
	http_json(resp, 200, json_pack("{s:I,s:i,s:i,s:o}", "total", (json_int_t)total, "limit", q.limit,
	                               "offset", q.offset, "items", items));
	return ERR_OK;
}

enum err
api_procedure(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_proc sp;
	enum err e = app_catalog_get(&app->core, NULL, http_param(req, 0), 0, &sp);
	if (e)
		return e;
	json_t *p = proc_to_json(&sp.proc);
	if (p)
		json_object_set_new(p, "version", json_integer(sp.version));
	store_proc_free(&sp);
	if (!p)
		return ERR_INTERNAL;
	http_json(resp, 200, p);
	return ERR_OK;
}
