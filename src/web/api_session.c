/*
 * api_session.c — signing in and out through the JSON API, and the
 * account behind a token.
 */
#include <stdio.h>
#include <string.h>
#include "core/roles.h"
#include "core/jspec.h"
#include "web/web.h"

enum err
api_session_create(struct http_req *req, struct http_resp *resp)
{
	const char *username = NULL, *password = NULL;
	struct jspec spec[] = {
		JSPEC_STRING("username", &username, JSPEC_REQUIRED, 1, 64),
		JSPEC_STRING("password", &password, JSPEC_REQUIRED, 1, 1024),
		JSPEC_END,
	};
	char detail[256] = "";
	enum err e = jspec_read(req->json, spec, detail, sizeof detail);
	if (e) {
		http_error(req, resp, e, detail);
		return ERR_OK;
	}
	int wait = 0;
	struct store_user u;
	e = web_sign_in(req, username, password, &u, &wait);
	if (e == ERR_THROTTLED) {
		char ra[16], msg[64];
		snprintf(ra, sizeof ra, "%d", wait);
		snprintf(msg, sizeof msg, "Thử lại sau %d giây.", wait);
		http_resp_header(resp, "Retry-After", ra);
		http_error(req, resp, ERR_THROTTLED, msg);
		return ERR_OK;
	}
	if (e)
		return e;
	web_device_remember(req, resp, &u);
	char token[64], exp_s[40];
	int64_t exp;
	if ((e = web_session_start(req, &u, "api", token, sizeof token, &exp)) != ERR_OK)
		return e;
	vn_fmt_rfc3339(exp, exp_s, sizeof exp_s);
	http_json(resp, 201, json_pack("{s:s,s:s}", "token", token, "expires_at", exp_s));
	return ERR_OK;
}

enum err
api_session_delete(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	char actor[96];
	web_actor(req, actor, sizeof actor);
	enum err e = store_session_delete(app->st, web_user(req)->token_hash, actor);
	if (e)
		return e;
	resp->status = 204;
	return ERR_OK;
}

static json_t *
user_json(const struct store_user *u)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:b}", "id", (json_int_t)u->id, "username",
	                 u->username, "full_name", u->full_name, "role", u->role, "unit", u->unit,
	                 "active", u->active);
}

enum err
api_me(struct http_req *req, struct http_resp *resp)
{
	http_json(resp, 200, user_json(&web_user(req)->u));
	return ERR_OK;
}

static int
add_user(const struct store_user *u, void *arg)
{
	json_array_append_new(arg, user_json(u));
	return 0;
}

enum err
api_users(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	json_t *a = json_array();
	enum err e = store_user_each(app->st, add_user, a);
	if (e) {
		json_decref(a);
		return e;
	}
	http_json(resp, 200, json_pack("{s:o}", "users", a));
	return ERR_OK;
}
