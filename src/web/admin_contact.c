/*
 * admin_contact.c — /quan-tri/co-quan: the admin sets where citizens send
 * feedback (address, phone, e-mail), shown in every public page's footer.
 */
#include <stdio.h>
#include <string.h>
#include "app/contact.h"
#include "web/web.h"

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

static enum err
contact_page(struct http_req *req, struct http_resp *resp, int status, const struct store_contact *c,
             const char *error, const char *flash)
{
	json_t *d = web_page_data(req, resp, "Thông tin liên hệ của cơ quan");
	if (!d)
		return ERR_NOMEM;
	json_object_set_new(d, "f", json_pack("{s:s,s:s,s:s}", "address", c->address, "phone", c->phone,
	                                      "email", c->email));
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	if (flash)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", flash));
	resp->status = status;
	return web_render(req, resp, "admin_contact", d);
}

enum err
admin_contact(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_contact c;
	enum err e = app_contact_get(&app->core, &c);
	if (e)
		return e;
	const char *ok = form_get(&req->query, "ok");
	return contact_page(req, resp, 200, &c, NULL, ok && strcmp(ok, "luu") == 0 ? "Đã lưu thông tin liên hệ." : NULL);
}

enum err
admin_contact_set(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_contact c;
	snprintf(c.address, sizeof c.address, "%s", fv(req, "address"));
	snprintf(c.phone, sizeof c.phone, "%s", fv(req, "phone"));
	snprintf(c.email, sizeof c.email, "%s", fv(req, "email"));
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	enum err e = app_contact_set(&app->core, &ac, &c, &f);
	if (e == ERR_INVALID_FIELD)
		return contact_page(req, resp, 400, &c, f.msg, NULL);
	if (e)
		return e;
	http_redirect(resp, "/quan-tri/co-quan?ok=luu");
	return ERR_OK;
}
