/*
 * admin_users.c — the admin pages for accounts: list, create, edit role
 * and unit, disable or enable, reset password.  Roles are enforced by the
 * route table (admin only); these handlers validate input and render.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/roles.h"
#include "web/web.h"

static json_t *
roles_json(const char *selected)
{
	const unsigned *list;
	unsigned n = role_list(&list);
	json_t *a = json_array();
	for (unsigned i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", role_name(list[i]), "label",
		                                   role_label(list[i]), "selected",
		                                   selected && strcmp(selected, role_name(list[i])) == 0));
	return a;
}

static int
add_user_json(const struct store_user *u, void *arg)
{
	char when[32];
	vn_fmt_datetime(u->created_at, when, sizeof when);
	json_array_append_new(arg, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:s}", "id",
	    (json_int_t)u->id, "username", u->username, "full_name", u->full_name, "role", u->role,
	    "role_label", role_label(role_from_name(u->role)), "unit", u->unit, "active", u->active,
	    "created_at", when));
	return 0;
}

enum err
admin_users(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	json_t *users = json_array();
	enum err e = store_user_each(app->st, add_user_json, users);
	if (e) {
		json_decref(users);
		return e;
	}
	json_t *d = web_page_data(req, resp, "Quản lý tài khoản");
	if (!d) {
		json_decref(users);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "users", users);
	const char *ok = form_get(&req->query, "ok");
	if (ok && strcmp(ok, "tao") == 0)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message",
		                                          "Đã tạo tài khoản."));
	return web_render(req, resp, "admin_users", d);
}

static const char *
field(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

static enum err
new_form(struct http_req *req, struct http_resp *resp, int status, enum err e, const char *fld)
{
	json_t *d = web_page_data(req, resp, "Thêm tài khoản");
	if (!d)
		return ERR_NOMEM;
	json_object_set_new(d, "roles", roles_json(status == 200 ? "clerk" : field(req, "role")));
	json_object_set_new(d, "form", json_pack("{s:s,s:s,s:s}", "username", field(req, "username"),
	                                         "full_name", field(req, "full_name"), "unit",
	                                         field(req, "unit")));
	if (e) {
		json_object_set_new(d, "error", json_pack("{s:s,s:s,s:s}", "message", err_message(e),
		                                          "code", err_code(e), "field", fld));
	}
	resp->status = status;
	return web_render(req, resp, "admin_user_new", d);
}

enum err
admin_user_new(struct http_req *req, struct http_resp *resp)
{
	return new_form(req, resp, 200, ERR_OK, "");
}

/* Checks the fields of a new or edited account; names the bad field. */
static enum err
check_profile(const char *full_name, const char *role, const char *unit, const char **fld)
{
	if (strlen(full_name) > 200) {
		*fld = "full_name";
		return ERR_INVALID_FIELD;
	}
	if (!role_from_name(role)) {
		*fld = "role";
		return ERR_BAD_ROLE;
	}
	if (strlen(unit) > 200) {
		*fld = "unit";
		return ERR_INVALID_FIELD;
	}
	return ERR_OK;
}

enum err
admin_user_create(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_user u = {0};
	const char *fld = "";
	const char *pw = field(req, "password"), *pw2 = field(req, "password2");
	enum err e = web_username_ok(field(req, "username"));
	if (e)
		fld = "username";
	if (!e)
		e = check_profile(field(req, "full_name"), field(req, "role"), field(req, "unit"), &fld);
	if (!e && (e = web_password_ok(pw)) != ERR_OK)
		fld = "password";
	if (!e && strcmp(pw, pw2) != 0) {
		e = ERR_INVALID_FIELD;
		fld = "password2";
	}
	if (e)
		return new_form(req, resp, err_status(e), e, fld);
	snprintf(u.username, sizeof u.username, "%s", field(req, "username"));
	snprintf(u.full_name, sizeof u.full_name, "%s", field(req, "full_name"));
	snprintf(u.role, sizeof u.role, "%s", field(req, "role"));
	snprintf(u.unit, sizeof u.unit, "%s", field(req, "unit"));
	u.active = 1;
	if ((e = web_hash_password(pw, u.pwhash, sizeof u.pwhash)) != ERR_OK)
		return e;
	char actor[96];
	web_actor(req, actor, sizeof actor);
	e = store_user_create(app->st, actor, &u, NULL);
	if (e == ERR_EXISTS)
		return new_form(req, resp, 409, e, "username");
	if (e)
		return e;
	http_redirect(resp, "/quan-tri/tai-khoan?ok=tao");
	return ERR_OK;
}

static int
parse_id(const char *s, int64_t *id)
{
	if (!s || !*s || strlen(s) > 18)
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	*id = strtoll(s, NULL, 10);
	return *id > 0 ? 0 : -1;
}

static enum err
user_page(struct http_req *req, struct http_resp *resp, int status, enum err err,
          const char *flash)
{
	struct web_app *app = req->app;
	int64_t id;
	struct store_user u;
	if (parse_id(http_param(req, 0), &id) != 0)
		return ERR_NOT_FOUND;
	enum err e = store_user_by_id(app->st, id, &u);
	if (e)
		return e;
	json_t *d = web_page_data(req, resp, u.username);
	if (!d)
		return ERR_NOMEM;
	json_object_set_new(d, "account", json_pack("{s:I,s:s,s:s,s:s,s:s,s:b}", "id", (json_int_t)u.id,
	    "username", u.username, "full_name", u.full_name, "role_label",
	    role_label(role_from_name(u.role)), "unit", u.unit, "active", u.active));
	json_object_set_new(d, "roles", roles_json(u.role));
	if (err)
		json_object_set_new(d, "error", json_pack("{s:s,s:s}", "message", err_message(err),
		                                          "code", err_code(err)));
	if (flash)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", flash));
	resp->status = status;
	return web_render(req, resp, "admin_user", d);
}

enum err
admin_user(struct http_req *req, struct http_resp *resp)
{
	static const struct {
		const char *key, *msg;
	} msgs[] = {
		{"sua", "Đã lưu thông tin tài khoản."},
		{"khoa", "Đã khóa tài khoản. Các phiên đăng nhập của tài khoản đã kết thúc."},
		{"mo", "Đã mở khóa tài khoản."},
		{"matkhau", "Đã đặt lại mật khẩu. Các phiên đăng nhập cũ đã kết thúc."},
	};
	const char *ok = form_get(&req->query, "ok");
	const char *flash = NULL;
	for (size_t i = 0; ok && i < sizeof msgs / sizeof msgs[0]; i++)
		if (strcmp(ok, msgs[i].key) == 0)
			flash = msgs[i].msg;
	return user_page(req, resp, 200, ERR_OK, flash);
}

static void
redirect_user(struct http_resp *resp, int64_t id, const char *ok)
{
	char loc[96];
	snprintf(loc, sizeof loc, "/quan-tri/tai-khoan/%" PRId64 "?ok=%s", id, ok);
	http_redirect(resp, loc);
}

enum err
admin_user_update(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (parse_id(http_param(req, 0), &id) != 0)
		return ERR_NOT_FOUND;
	const char *fld;
	enum err e = check_profile(field(req, "full_name"), field(req, "role"), field(req, "unit"), &fld);
	struct web_user *me = web_user(req);
	/* An admin cannot take away their own admin role (no lock-out). */
	if (!e && me->u.id == id && strcmp(field(req, "role"), "admin") != 0)
		e = ERR_SELF_DISABLE;
	if (e)
		return user_page(req, resp, err_status(e), e, NULL);
	char actor[96];
	web_actor(req, actor, sizeof actor);
	e = store_user_update(app->st, actor, id, field(req, "full_name"), field(req, "role"),
	                      field(req, "unit"));
	if (e)
		return e;
	redirect_user(resp, id, "sua");
	return ERR_OK;
}

enum err
admin_user_active(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (parse_id(http_param(req, 0), &id) != 0)
		return ERR_NOT_FOUND;
	const char *a = field(req, "active");
	if (strcmp(a, "0") != 0 && strcmp(a, "1") != 0)
		return user_page(req, resp, 400, ERR_INVALID_FIELD, NULL);
	int active = a[0] == '1';
	if (!active && web_user(req)->u.id == id)
		return user_page(req, resp, 409, ERR_SELF_DISABLE, NULL);
	char actor[96];
	web_actor(req, actor, sizeof actor);
	enum err e = store_user_set_active(app->st, actor, id, active);
	if (e)
		return e;
	redirect_user(resp, id, active ? "mo" : "khoa");
	return ERR_OK;
}

enum err
admin_user_password(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t id;
	if (parse_id(http_param(req, 0), &id) != 0)
		return ERR_NOT_FOUND;
	const char *pw = field(req, "password"), *pw2 = field(req, "password2");
	enum err e = web_password_ok(pw);
	if (!e && strcmp(pw, pw2) != 0)
		e = ERR_INVALID_FIELD;
	if (e)
		return user_page(req, resp, err_status(e), e, NULL);
	char hash[160], actor[96];
	if ((e = web_hash_password(pw, hash, sizeof hash)) != ERR_OK)
		return e;
	web_actor(req, actor, sizeof actor);
	e = store_user_set_password(app->st, actor, id, hash);
	if (e)
		return e;
	redirect_user(resp, id, "matkhau");
	return ERR_OK;
}
