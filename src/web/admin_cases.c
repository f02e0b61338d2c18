/*
 * admin_cases.c — /quan-tri/don-thu: the admin sets the agency's own
 * target for feedback that has no legal time limit, and whether the
 * commune is a remote area (the longer legal limits of complaints).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/cases.h"
#include "web/web.h"

static enum err
settings_page(struct http_req *req, struct http_resp *resp, int status, int days, int remote, const char *error,
              const char *flash)
{
	json_t *d = web_page_data(req, resp, "Thiết lập đơn thư");
	if (!d)
		return ERR_NOMEM;
	json_object_set_new(d, "f", json_pack("{s:i,s:b}", "answer_days", days, "remote", remote));
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	if (flash)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", flash));
	resp->status = status;
	return web_render(req, resp, "admin_cases", d);
}

enum err
admin_cases(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *ok = form_get(&req->query, "ok");
	return settings_page(req, resp, 200, app_case_answer_days(&app->core), app_case_remote_area(&app->core), NULL,
	                     ok && !strcmp(ok, "luu") ? "Đã lưu thiết lập đơn thư." : NULL);
}

enum err
admin_cases_set(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *dv = form_get(&req->form, "answer_days");
	const char *rv = form_get(&req->form, "remote");
	char *end = NULL;
	long days = dv && *dv ? strtol(dv, &end, 10) : 0;
	if (!end || *end)
		days = 0;
	int remote = rv && !strcmp(rv, "1");
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	enum err e = app_case_settings_set(&app->core, &ac, days > 0 && days <= 1000 ? (int)days : 0, remote, &f);
	if (e == ERR_OUT_OF_RANGE)
		return settings_page(req, resp, 400, app_case_answer_days(&app->core), remote, f.msg, NULL);
	if (e)
		return e;
	http_redirect(resp, "/quan-tri/don-thu?ok=luu");
	return ERR_OK;
}
