/*
 * pages.c — the home page, sign-in and sign-out, static assets, health
 * and metrics.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "core/roles.h"
#include "embed.h"
#include "store/store.h"
#include "app/catalog.h"
#include "web/news.h"
#include "app/dossier.h"
#include "web/pagecache.h"
#include "web/web.h"

/* Procedures most citizens of a commune come for (civil status and
 * authentication, DOMAIN section 2), shown on the home page until dossier
 * counts (issue #5) can rank them by real use.  Codes not in the
 * catalogue are skipped. */
static const char *const common_codes[] = {"1.001193", "1.000894", "1.000656", "2.000815",
                                           "2.000884", "1.004873", "2.000635", "1.004222"};

struct common_ctx {
	struct web_app *app;
	json_t *a;
};

static int
add_common(const char *code, int64_t count, void *arg)
{
	struct common_ctx *c = arg;
	size_t i;
	json_t *v;
	json_array_foreach(c->a, i, v)
		if (strcmp(json_string_value(json_object_get(v, "code")), code) == 0)
			return 0;
	struct store_proc sp;
	if (app_catalog_get(&c->app->core, NULL, code, 0, &sp) != ERR_OK)
		return 0;
	json_array_append_new(c->a, json_pack("{s:s,s:s,s:I}", "code", sp.proc.code, "name", sp.proc.name,
	                                      "count", (json_int_t)count));
	store_proc_free(&sp);
	return json_array_size(c->a) >= 6;
}

/* The procedures most received in the last year, topped up from a fixed
 * list of everyday ones while the desk is new. */
static json_t *
common_procedures(struct web_app *app)
{
	struct common_ctx c = {app, json_array()};
	app_top_procedures(&app->core, (int64_t)time(NULL), 6, add_common, &c);
	for (size_t i = 0; i < sizeof common_codes / sizeof common_codes[0] && json_array_size(c.a) < 6; i++)
		add_common(common_codes[i], 0, &c);
	return c.a;
}

static enum err
render_home(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct web_user *wu = web_user(req);
	json_t *d = web_page_data(req, resp, "Trang chủ");
	if (!d)
		return ERR_NOMEM;
	json_t *visits = news_visit(req, resp);
	if (visits)
		json_object_set_new(d, "visits", visits);
	json_t *news = news_latest(req, 5);
	if (news) {
		json_object_set_new(news, "h3", json_true());
		json_object_set_new(d, "news", news);
	}
	json_t *common = common_procedures(app);
	json_object_set_new(d, "has_common", json_boolean(json_array_size(common) > 0));
	json_object_set_new(d, "common", common);
	if (wu) {
		json_t *tiles = json_array();
		if (wu->role & ROLE_ADMIN) {
			json_array_append_new(tiles, json_pack("{s:s,s:s,s:s}", "href", "/quan-tri/tai-khoan",
			    "label", "Quản lý tài khoản", "desc",
			    "Tạo tài khoản cho cán bộ, phân vai trò, khóa tài khoản và đặt lại mật khẩu."));
			json_array_append_new(tiles, json_pack("{s:s,s:s,s:s}", "href", "/quan-tri/thu-tuc",
			    "label", "Quản lý thủ tục hành chính", "desc",
			    "Thêm, sửa, công bố, bãi bỏ thủ tục; nhập, xuất danh mục JSON và CSV."));
			json_array_append_new(tiles, json_pack("{s:s,s:s,s:s}", "href", "/quan-tri/co-quan",
			    "label", "Thông tin liên hệ của cơ quan", "desc",
			    "Địa chỉ, điện thoại, thư điện tử nhận góp ý hiện ở cuối mọi trang của cổng."));
			json_array_append_new(tiles, json_pack("{s:s,s:s,s:s}", "href", "/quan-tri/lich",
			    "label", "Lịch nghỉ và giờ làm việc", "desc",
			    "Nạp thông báo lịch nghỉ lễ, Tết; ngày làm bù; giờ làm việc của cơ quan."));
		}
		if (wu->role & (ROLE_CLERK | ROLE_OFFICER | ROLE_LEADER | ROLE_VIEWER))
			json_array_append_new(tiles, json_pack("{s:s,s:s,s:s}", "href", "/mot-cua", "label",
			    "Bộ phận Một cửa", "desc",
			    "Tiếp nhận hồ sơ, hàng đợi của bạn, hồ sơ sắp đến hạn và quá hạn, in phiếu."));
		if (wu->role & (ROLE_ADMIN | ROLE_LEADER))
			json_array_append_new(tiles, json_pack("{s:s,s:s,s:s}", "href", "/quan-tri/tin-tuc",
			    "label", "Quản lý tin tức", "desc", "Viết, đăng tin tức và thông báo của cơ quan."));
		json_array_append_new(tiles, json_pack("{s:s,s:s,s:s}", "href", "/api/v1/me", "label",
		    "Thông tin tài khoản (API)", "desc",
		    "Dữ liệu tài khoản đang đăng nhập dưới dạng JSON, dành cho tích hợp."));
		json_object_set_new(d, "tiles", tiles);
	}
	return web_render(req, resp, "home", d);
}

enum err
page_home(struct http_req *req, struct http_resp *resp)
{
	return web_cached(req, resp, render_home);
}

/* Only local paths are followed after sign-in (no open redirect). */
static const char *
safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strchr(next, ':'))
		return "/";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x20)
			return "/";
	return next;
}

static enum err
login_form(struct http_req *req, struct http_resp *resp, int status, const char *username,
           const char *next, const char *error)
{
	json_t *d = web_page_data(req, resp, "Đăng nhập");
	if (!d)
		return ERR_NOMEM;
	json_object_set_new(d, "form", json_pack("{s:s,s:s}", "username", username ? username : "",
	                                         "next", safe_next(next)));
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	resp->status = status;
	return web_render(req, resp, "login", d);
}

enum err
page_login(struct http_req *req, struct http_resp *resp)
{
	if (web_user(req)) {
		http_redirect(resp, safe_next(form_get(&req->query, "next")));
		return ERR_OK;
	}
	return login_form(req, resp, 200, NULL, form_get(&req->query, "next"), NULL);
}

enum err
page_login_post(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *username = form_get(&req->form, "username");
	const char *password = form_get(&req->form, "password");
	const char *next = form_get(&req->form, "next");
	if (!username || !*username || !password || !*password)
		return login_form(req, resp, 400, username, next,
		                  "Vui lòng nhập tên đăng nhập và mật khẩu.");
	int wait = 0;
	struct store_user u;
	enum err e = web_sign_in(req, username, password, &u, &wait);
	if (e == ERR_THROTTLED) {
		char msg[256], ra[16];
		snprintf(msg, sizeof msg, "%s Thử lại sau %d giây.", err_message(ERR_THROTTLED), wait);
		snprintf(ra, sizeof ra, "%d", wait);
		http_resp_header(resp, "Retry-After", ra);
		return login_form(req, resp, 429, username, next, msg);
	}
	if (e == ERR_BAD_CREDENTIALS)
		return login_form(req, resp, 401, username, next, err_message(ERR_BAD_CREDENTIALS));
	if (e)
		return e;
	web_device_remember(req, resp, &u);
	char token[64], cookie[256];
	int64_t exp;
	e = web_session_start(req, &u, "web", token, sizeof token, &exp);
	if (e)
		return e;
	snprintf(cookie, sizeof cookie, "motcua_session=%s; Path=/; HttpOnly; SameSite=Lax%s", token,
	         app->secure_cookies ? "; Secure" : "");
	http_resp_header(resp, "Set-Cookie", cookie);
	http_redirect(resp, safe_next(next));
	return ERR_OK;
}

enum err
page_logout(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct web_user *wu = web_user(req);
	char actor[96];
	web_actor(req, actor, sizeof actor);
	enum err e = store_session_delete(app->st, wu->token_hash, actor);
	if (e)
		return e;
	http_resp_header(resp, "Set-Cookie",
	                 "motcua_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
	http_redirect(resp, "/dang-nhap");
	return ERR_OK;
}

static const char *
mime_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},           {".png", "image/png"},
		{".ico", "image/x-icon"},            {".txt", "text/plain; charset=utf-8"},
		{".woff2", "font/woff2"},
	};
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

enum err
page_static(struct http_req *req, struct http_resp *resp)
{
	const char *file = http_param(req, 0);
	char name[256];
	/* Embedded files only: a name is looked up, never opened, so "../"
	 * cannot reach the file system; still refuse it plainly. */
	if (!file || strstr(file, "..") || strchr(file, '/') ||
	    snprintf(name, sizeof name, "src/view/static/%s", file) >= (int)sizeof name)
		return ERR_NOT_FOUND;
	const struct embed_file *f = embed_find(name);
	if (!f)
		return ERR_NOT_FOUND;
	resp->static_body = f->data;
	resp->static_len = f->len;
	resp->content_type = mime_of(file);
	http_resp_header(resp, "Cache-Control", "public, max-age=3600");
	return ERR_OK;
}

enum err
page_healthz(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	http_json(resp, 200, json_pack("{s:s}", "status", "ok"));
	return ERR_OK;
}

/* Metrics are for the machine's own monitoring: loopback clients, or an
 * admin signed in. */
enum err
page_metrics(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	buf_reset(&resp->body);
	http_metrics(http_server_of(req), &resp->body);
	struct pagecache_stats ps;
	pagecache_stats(app->pages, &ps);
	buf_printf(&resp->body,
	           "# HELP motcua_pagecache_requests_total Public page views by render cache outcome.\n"
	           "# TYPE motcua_pagecache_requests_total counter\n"
	           "motcua_pagecache_requests_total{outcome=\"hit\"} %llu\n"
	           "motcua_pagecache_requests_total{outcome=\"miss\"} %llu\n"
	           "# HELP motcua_pagecache_evicted_total Pages dropped (stale revision or over budget).\n"
	           "# TYPE motcua_pagecache_evicted_total counter\n"
	           "motcua_pagecache_evicted_total %llu\n"
	           "# HELP motcua_pagecache_bytes Bytes the render cache holds.\n"
	           "# TYPE motcua_pagecache_bytes gauge\n"
	           "motcua_pagecache_bytes %zu\n",
	           (unsigned long long)ps.hits, (unsigned long long)ps.misses,
	           (unsigned long long)ps.evicted, ps.bytes);
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	return ERR_OK;
}
