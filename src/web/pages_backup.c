/*
 * pages_backup.c — the admin's backup page /quan-tri/sao-luu: take a
 * backup now, list and download the archives, see the nightly schedule
 * and how the last nightly run went.  A thin face over app/backup.c.
 */
#include <stdio.h>
#include <string.h>
#include "app/backup.h"
#include "core/vntime.h"
#include "web/web.h"

static void
fmt_size(int64_t bytes, char *out, size_t n)
{
	if (bytes >= 1000000)
		snprintf(out, n, "%.1f MB", (double)bytes / 1e6);
	else
		snprintf(out, n, "%.0f kB", (double)bytes / 1e3 + 0.5);
}

/* The last nightly run, in one sentence. */
static json_t *
last_run(const struct app_backup_status *s)
{
	if (!s->last_at)
		return NULL;
	char when[32], msg[700];
	vn_fmt_datetime(s->last_at, when, sizeof when);
	if (s->last_err)
		snprintf(msg, sizeof msg, "%s: thất bại — %s", when, s->last_msg);
	else if (s->last_missing)
		snprintf(msg, sizeof msg, "%s: %s, thiếu %lld tệp (%s)", when, s->last_name,
		         (long long)s->last_missing, s->last_msg);
	else
		snprintf(msg, sizeof msg, "%s: %s — đạt", when, s->last_name);
	return json_string(msg);
}

static json_t *
archives_json(const struct app_backup_status *s)
{
	json_t *items = json_array();
	for (size_t i = 0; items && i < s->count; i++) {
		const struct app_backup_archive *r = &s->archives[i];
		char when[32], size[32];
		vn_fmt_datetime(r->mtime, when, sizeof when);
		fmt_size(r->bytes, size, sizeof size);
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:b}", "name", r->name, "at", when, "size",
		                                       size, "nightly", r->nightly));
	}
	return items;
}

static enum err
backup_page(struct http_req *req, struct http_resp *resp, int status, json_t *flash)
{
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_backup_status s;
	enum err e = app_backup_status(&((struct web_app *)req->app)->core, &ac, &s);
	json_t *d = e ? NULL : web_page_data(req, resp, "Sao lưu dữ liệu");
	if (!d) {
		json_decref(flash);
		app_backup_status_free(&s);
		return e ? e : ERR_NOMEM;
	}
	json_object_set_new(d, "archives", archives_json(&s));
	json_object_set_new(d, "count", json_integer((json_int_t)s.count));
	json_object_set_new(d, "dir", json_string(s.dir));
	if (s.free_bytes >= 0) {
		char free_s[32];
		snprintf(free_s, sizeof free_s, "%.1f GB", (double)s.free_bytes / 1e9);
		json_object_set_new(d, "free", json_string(free_s));
	}
	if (s.low_space)
		json_object_set_new(d, "low_space", json_true());
	if (s.at >= 0) {
		char at[16];
		snprintf(at, sizeof at, "%02d:%02d", (s.at / 60) % 24, s.at % 60);
		json_object_set_new(d, "schedule", json_pack("{s:s,s:i}", "at", at, "keep", s.keep));
	}
	json_t *last = last_run(&s);
	if (last)
		json_object_set_new(d, "last", last);
	json_object_set_new(d, "running", json_boolean(s.running));
	app_backup_status_free(&s);
	if (flash)
		json_object_set_new(d, "flash", flash);
	e = web_render(req, resp, "admin_backup", d);
	if (!e)
		resp->status = status;
	return e;
}

static json_t *
flash(const char *kind, const char *msg)
{
	return json_pack("{s:s,s:s}", "kind", kind, "message", msg);
}

enum err
admin_backup(struct http_req *req, struct http_resp *resp)
{
	const char *ok = form_get(&req->query, "ok");
	json_t *f = NULL;
	if (ok && app_backup_name_ok(ok)) {
		char msg[200];
		snprintf(msg, sizeof msg,
		         "Đã sao lưu vào tệp %s. Hãy tải về và cất ở nơi khác (ổ đĩa khác, máy chủ của tỉnh).", ok);
		f = flash("ok", msg);
	}
	return backup_page(req, resp, 200, f);
}

enum err
admin_backup_create(struct http_req *req, struct http_resp *resp)
{
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_backup_result o;
	enum err e = app_backup_take(&((struct web_app *)req->app)->core, &ac, &o);
	char msg[800];
	if (e == ERR_BACKUP_RUNNING)
		return backup_page(req, resp, 409, flash("error", err_message(e)));
	if (e == ERR_FORBIDDEN || e == ERR_UNAVAILABLE)
		return e;
	if (e) {
		snprintf(msg, sizeof msg, "Sao lưu thất bại: %s", o.err[0] ? o.err : err_message(e));
		return backup_page(req, resp, err_status(e), flash("error", msg));
	}
	if (o.info.missing) {
		snprintf(msg, sizeof msg,
		         "Đã sao lưu vào tệp %s, nhưng %lld tệp đính kèm hoặc ảnh bị thiếu hay hỏng nên không có trong "
		         "bản sao lưu (đầu tiên: %s). Hãy báo cán bộ kỹ thuật chạy motcua check.",
		         o.name, (long long)o.info.missing, o.info.first_missing);
		return backup_page(req, resp, 200, flash("error", msg));
	}
	char loc[96];
	snprintf(loc, sizeof loc, "/quan-tri/sao-luu?ok=%s", o.name);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
admin_backup_download(struct http_req *req, struct http_resp *resp)
{
	struct actor ac;
	web_actor_of(req, &ac);
	const char *name = http_param(req, 0);
	int fd;
	uint64_t size;
	enum err e = app_backup_open(&((struct web_app *)req->app)->core, &ac, name, &fd, &size);
	if (e)
		return e;
	resp->content_type = "application/x-tar";
	char disp[120];
	snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", name);
	http_resp_header(resp, "Content-Disposition", disp);
	http_send_file(resp, fd, size);
	return ERR_OK;
}
