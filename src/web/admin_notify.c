/*
 * admin_notify.c — /quan-tri/thong-bao: the delivery log (newest messages,
 * state, attempts, last error; filter by state) and the message templates'
 * editor with a preview (over app/notify.c).
 */
#include <stdio.h>
#include <string.h>
#include "app/notify.h"
#include "core/vntime.h"
#include "web/web.h"

static const char *const STATES[] = {"queued", "sending", "sent", "failed", NULL};

static const char *
channel_label(const char *ch)
{
	return strcmp(ch, "sms") == 0 ? "SMS" : "Thư điện tử";
}

static const char *
kind_label(const char *key)
{
	size_t n;
	const struct app_notify_kind *k = app_notify_kinds(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(k[i].key, key) == 0)
			return k[i].label;
	return key;
}

/* ---- the delivery log ---- */

/* The recipient as the log shows it.  A one-time sign-in code (secret)
 * went to a citizen who may be about to file a denunciation online: his
 * phone or address is shown masked (first three and last two
 * characters), so the log cannot be matched against a case's sender
 * (Luật Tố cáo 2018, Điều 47–48).  Other messages are shown in full. */
static void
shown_recipient(const struct store_outbox_row *r, char *out, size_t n)
{
	size_t len = strlen(r->recipient);
	if (!r->secret || len < 6) {
		snprintf(out, n, "%s", r->recipient);
		return;
	}
	snprintf(out, n, "%.3s•••%s", r->recipient, r->recipient + len - 2);
}

static int
log_row(const struct store_outbox_row *r, void *arg)
{
	char created[32] = "", sent[32] = "", next[32] = "", to[400];
	shown_recipient(r, to, sizeof to);
	vn_fmt_datetime(r->created_at, created, sizeof created);
	if (r->sent_at)
		vn_fmt_datetime(r->sent_at, sent, sizeof sent);
	if (strcmp(r->state, "queued") == 0)
		vn_fmt_datetime(r->next_at, next, sizeof next);
	json_array_append_new(arg, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:b,s:b}",
	    "id", (json_int_t)r->id, "created", created, "sent", sent, "next", next, "channel",
	    channel_label(r->channel), "recipient", to, "kind", kind_label(r->tmpl), "dossier",
	    r->dossier_code, "attempts", r->attempts, "state", r->state, "state_label",
	    app_notify_state_label(r->state), "error", r->last_error, "subject", r->subject, "body",
	    r->body, "failed", strcmp(r->state, "failed") == 0, "ok", strcmp(r->state, "sent") == 0));
	return 0;
}

enum err
admin_notify_log(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	const char *state = form_get(&req->query, "trang-thai");
	if (state && *state && !app_notify_state_label(state)[0])
		return ERR_INVALID_FIELD;
	json_t *rows = json_array();
	int64_t total = 0;
	enum err e = app_notify_log(&app->core, &ac, state, 200, log_row, rows, &total);
	if (e) {
		json_decref(rows);
		return e;
	}
	json_t *d = web_page_data(req, resp, "Nhật ký gửi thông báo");
	if (!d) {
		json_decref(rows);
		return ERR_NOMEM;
	}
	json_t *filters = json_array();
	json_array_append_new(filters, json_pack("{s:s,s:s,s:b}", "value", "", "label", "Tất cả", "current",
	                                         !state || !*state));
	for (size_t i = 0; STATES[i]; i++)
		json_array_append_new(filters, json_pack("{s:s,s:s,s:b}", "value", STATES[i], "label",
		                                         app_notify_state_label(STATES[i]), "current",
		                                         state && strcmp(state, STATES[i]) == 0));
	json_object_set_new(d, "filters", filters);
	json_object_set_new(d, "rows", rows);
	json_object_set_new(d, "total", json_integer(total));
	json_object_set_new(d, "state_label", json_string(state && *state ? app_notify_state_label(state) : ""));
	return web_render(req, resp, "admin_notify", d);
}

/* ---- templates ---- */

static int
tmpl_row(const struct store_msg_template *t, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:s,s:s}", "key", t->key, "channel", t->channel,
	                                     "kind", kind_label(t->key), "channel_label",
	                                     channel_label(t->channel), "subject", t->subject));
	return 0;
}

enum err
admin_notify_templates(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	json_t *rows = json_array();
	enum err e = app_notify_templates(&app->core, &ac, tmpl_row, rows);
	json_t *d = e ? NULL : web_page_data(req, resp, "Mẫu tin nhắn gửi người dân");
	if (!d) {
		json_decref(rows);
		return e ? e : ERR_NOMEM;
	}
	json_object_set_new(d, "rows", rows);
	const char *ok = form_get(&req->query, "ok");
	if (ok && strcmp(ok, "luu") == 0)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", "Đã lưu mẫu tin nhắn."));
	return web_render(req, resp, "admin_notify_templates", d);
}

/* The editor: the template as given (saved or posted), its names and its
 * preview; error, when given, says why it was not saved. */
static enum err
editor(struct http_req *req, struct http_resp *resp, int status, const char *key, const char *channel,
       const char *subject, const char *body, const char *error, int previewed)
{
	struct web_app *app = req->app;
	json_t *d = web_page_data(req, resp, "Sửa mẫu tin nhắn");
	if (!d)
		return ERR_NOMEM;
	size_t n;
	const struct app_notify_kind *k = app_notify_kinds(&n);
	json_t *names = json_array();
	for (size_t i = 0; i < n; i++)
		if (strcmp(k[i].key, key) == 0)
			for (size_t j = 0; k[i].names[j]; j++) {
				char nm[48];
				snprintf(nm, sizeof nm, "{{%s}}", k[i].names[j]);
				json_array_append_new(names, json_string(nm));
			}
	struct buf ps = BUF_INIT, pb = BUF_INIT;
	app_notify_preview(&app->core, key, subject, body, &ps, &pb);
	json_object_set_new(d, "t", json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o}", "key", key, "channel", channel,
	                                      "kind", kind_label(key), "channel_label", channel_label(channel),
	                                      "subject", subject, "body", body, "email",
	                                      strcmp(channel, "email") == 0, "names", names));
	json_object_set_new(d, "preview", json_pack("{s:s,s:s,s:b}", "subject", buf_str(&ps), "body",
	                                            buf_str(&pb), "posted", previewed));
	buf_free(&ps);
	buf_free(&pb);
	if (error)
		json_object_set_new(d, "error", json_pack("{s:s}", "message", error));
	resp->status = status;
	return web_render(req, resp, "admin_notify_edit", d);
}

enum err
admin_notify_template(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_msg_template t;
	enum err e = app_notify_template(&app->core, &ac, http_param(req, 0), http_param(req, 1), &t);
	if (e)
		return e;
	e = editor(req, resp, 200, t.key, t.channel, t.subject, t.body, NULL, 0);
	store_msg_template_free(&t);
	return e;
}

enum err
admin_notify_template_set(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	const char *key = http_param(req, 0), *channel = http_param(req, 1);
	struct store_msg_template cur;
	enum err e = app_notify_template(&app->core, &ac, key, channel, &cur);
	if (e)
		return e;
	store_msg_template_free(&cur);
	const char *subject = form_get(&req->form, "subject"), *body = form_get(&req->form, "body");
	subject = subject ? subject : "";
	body = body ? body : "";
	if (form_get(&req->form, "xem-truoc"))   /* the preview button: nothing saved */
		return editor(req, resp, 200, key, channel, subject, body, NULL, 1);
	struct app_fail f = {"", ""};
	e = app_notify_template_set(&app->core, &ac, key, channel, subject, body, &f);
	if (e == ERR_INVALID_FIELD || e == ERR_MISSING_FIELD)
		return editor(req, resp, 400, key, channel, subject, body, f.msg, 0);
	if (e)
		return e;
	http_redirect(resp, "/quan-tri/thong-bao/mau?ok=luu");
	return ERR_OK;
}
