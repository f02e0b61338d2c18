/*
 * admin_open311.c — /quan-tri/open311: the admin issues Open311 API keys
 * to client applications (the key shown once), sees when each was last
 * used, and revokes them.  Issue and revoke are audited (app/open311.c).
 */
#include <stdio.h>
#include <string.h>
#include "app/open311.h"
#include "web/web.h"

static int
key_row(const struct store_open311_key *k, void *arg)
{
	char created[40], used[40] = "", revoked[40] = "";
	vn_fmt_datetime(k->created_at, created, sizeof created);
	if (k->last_used)
		vn_fmt_datetime(k->last_used, used, sizeof used);
	if (k->revoked_at)
		vn_fmt_datetime(k->revoked_at, revoked, sizeof revoked);
	json_array_append_new(arg, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)k->id, "name",
	                                     k->name, "prefix", k->prefix, "created_at", created, "created_by",
	                                     k->created_by, "last_used", used, "uses", (json_int_t)k->uses,
	                                     "revoked_at", revoked));
	return 0;
}

/* The page; issued = {name, key} right after issuing, error = why not. */
static enum err
keys_page(struct http_req *req, struct http_resp *resp, int status, json_t *issued, const char *name,
          const char *error, const char *flash)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	json_t *keys = json_array();
	enum err e = app_open311_keys(&app->core, &ac, key_row, keys);
	json_t *d = e ? NULL : web_page_data(req, resp, "Khóa API Open311");
	if (!d) {
		json_decref(keys);
		json_decref(issued);
		return e ? e : ERR_NOMEM;
	}
	char base[300], endpoint[340];
	if (app->public_url[0])
		snprintf(base, sizeof base, "%s", app->public_url);
	else
		web_base_url(req, base, sizeof base);
	snprintf(endpoint, sizeof endpoint, "%s/open311/v2/discovery.xml", base);
	json_object_set_new(d, "endpoint", json_string(endpoint));
	json_object_set_new(d, "count", json_integer((json_int_t)json_array_size(keys)));
	json_object_set_new(d, "keys", keys);
	json_object_set_new(d, "f", json_pack("{s:s}", "name", name ? name : ""));
	if (issued)
		json_object_set_new(d, "issued", issued);
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	if (flash)
		json_object_set_new(d, "flash", json_pack("{s:s}", "message", flash));
	/* a page that shows a key once is never cached */
	http_resp_header(resp, "Cache-Control", "no-store");
	resp->status = status;
	return web_render(req, resp, "admin_open311", d);
}

enum err
admin_open311(struct http_req *req, struct http_resp *resp)
{
	const char *ok = form_get(&req->query, "ok");
	return keys_page(req, resp, 200, NULL, NULL, NULL,
	                 ok && !strcmp(ok, "thu-hoi") ? "Đã thu hồi khóa: ứng dụng đó không gửi được phản ánh nữa." : NULL);
}

enum err
admin_open311_issue(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *name = form_get(&req->form, "name");
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	char key[APP_OPEN311_KEY_MAX];
	int64_t id = 0;
	enum err e = app_open311_key_issue(&app->core, &ac, name, key, sizeof key, &id, &f);
	if (e == ERR_MISSING_FIELD || e == ERR_INVALID_FIELD)
		return keys_page(req, resp, 400, NULL, name, f.msg, NULL);
	if (e)
		return e;
	/* shown in this answer only (a POST answer, not a redirect: the key
	 * never travels in a URL nor sits in a page that can be reloaded) */
	json_t *issued = json_pack("{s:s,s:s}", "name", name, "key", key);
	return keys_page(req, resp, 201, issued, NULL, NULL, NULL);
}

enum err
admin_open311_revoke(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	long id;
	if (web_parse_int(http_param(req, 0), 1, 2000000000L, &id) != 0)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	enum err e = app_open311_key_revoke(&app->core, &ac, id);
	if (e && e != ERR_CONFLICT)
		return e;
	http_redirect(resp, "/quan-tri/open311?ok=thu-hoi");
	return ERR_OK;
}
