/*
 * pages_citizen.c — the citizen's pages under /cong-dan (issue #13):
 * sign-in by a one-time code, the online procedures, the guided
 * submission form, and "Hồ sơ của tôi" (list, timeline, files, a
 * supplement, a withdrawal request).  Thin: every check and write is in
 * src/app (citizen.c, online.c), where each dossier's owner is checked.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/catalog.h"
#include "app/citizen.h"
#include "app/digital.h"
#include "app/notify.h"
#include "app/online.h"
#include "core/dossier_fsm.h"
#include "core/money.h"
#include "web/desk.h"
#include "web/web.h"

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

/* A local path to go back to after signing in ("/cong-dan/…", or the
 * online form of a complaint or denunciation "/gui-don/…"). */
static const char *
next_of(struct http_req *req)
{
	const char *n = form_get(&req->form, "next");
	if (!n)
		n = form_get(&req->query, "next");
	if (!n || (strncmp(n, "/cong-dan/", 10) != 0 && strncmp(n, "/gui-don/", 9) != 0) || strstr(n, "//") ||
	    strpbrk(n, "\\\r\n"))
		return "/cong-dan/ho-so";
	return n;
}

/* ---- sign-in ------------------------------------------------------------- */

static enum err
signin_page(struct http_req *req, struct http_resp *resp, int status, const char *contact, int sent,
            const struct app_fail *f)
{
	json_t *d = web_page_data(req, resp, "Đăng nhập công dân");
	json_object_set_new(d, "form", json_pack("{s:s,s:s,s:b}", "contact", contact, "next", next_of(req),
	                                         "sent", sent));
	if (f && f->msg[0])
		json_object_set_new(d, "error", json_pack("{s:s}", "message", f->msg));
	resp->status = status;
	return web_render(req, resp, "citizen_signin", d);
}

enum err
citizen_signin(struct http_req *req, struct http_resp *resp)
{
	return signin_page(req, resp, 200, "", 0, NULL);
}

enum err
citizen_code_post(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct app_fail f = {"", ""};
	int wait = 0;
	enum err e = app_citizen_code_send(&app->core, fv(req, "contact"), req->client, &wait, &f);
	if (e == ERR_CODE_THROTTLED) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", wait);
		http_resp_header(resp, "Retry-After", ra);
	}
	if (e && !f.msg[0])
		return e;
	/* the code went to the contact as normalised: say which */
	char contact[256];
	const char *ch;
	if (app_citizen_contact(fv(req, "contact"), contact, sizeof contact, &ch) != 0)
		snprintf(contact, sizeof contact, "%s", fv(req, "contact"));
	return signin_page(req, resp, e ? err_status(e) : 200, contact, e == ERR_OK, &f);
}

enum err
citizen_signin_post(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct app_fail f = {"", ""};
	char token[APP_CITIZEN_TOKEN];
	struct actor ac;
	enum err e = app_citizen_sign_in(&app->core, fv(req, "contact"), fv(req, "code"), token, sizeof token, &ac,
	                                 &f);
	if (e && !f.msg[0])
		return e;
	if (e)
		return signin_page(req, resp, err_status(e), fv(req, "contact"), 1, &f);
	web_citizen_cookie(req, resp, token);
	http_redirect(resp, next_of(req));
	return ERR_OK;
}

enum err
citizen_signout(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	char token[128];
	if (web_citizen_token(req, token, sizeof token))
		app_citizen_sign_out(&app->core, token);
	web_citizen_cookie(req, resp, NULL);
	http_redirect(resp, "/cong-dan/dang-nhap");
	return ERR_OK;
}

/* ---- online procedures and the guided form ------------------------------- */

static int
proc_row(struct store_proc *sp, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s,s:s,s:b}", "code", sp->code, "name", sp->proc.name, "full",
	                                     sp->proc.online_level == PROC_ONLINE_FULL));
	return 0;
}

enum err
citizen_procedures(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor pub;
	web_actor_of(req, &pub);
	json_t *rows = json_array();
	enum proc_online lv[] = {PROC_ONLINE_FULL, PROC_ONLINE_PARTIAL};
	for (size_t i = 0; i < 2; i++) {
		struct app_catalog_query q = {.online_level = lv[i], .limit = 500};
		enum err e = app_catalog_list(&app->core, &pub, &q, proc_row, rows, NULL);
		if (e) {
			json_decref(rows);
			return e;
		}
	}
	json_t *d = web_page_data(req, resp, "Nộp hồ sơ trực tuyến");
	json_object_set_new(d, "procedures", rows);
	return web_render(req, resp, "citizen_procedures", d);
}

/* The form of a procedure: checklist with an upload per item, the fee. */
static enum err
submit_page(struct http_req *req, struct http_resp *resp, int status, const struct app_fail *f)
{
	struct web_app *app = req->app;
	struct store_proc sp;
	enum err e = app_online_procedure(&app->core, http_param(req, 0), &sp);
	if (e)
		return e;
	const struct proc *p = &sp.proc;
	json_t *items = json_array();
	for (size_t i = 0; i < p->ndocuments && i < 100; i++)
		json_array_append_new(items, json_pack("{s:i,s:s,s:b,s:i}", "i", (int)i, "name", p->documents[i].name,
		                                       "needed", app_online_item_needed(p, i), "count",
		                                       p->documents[i].count));
	char fig[40] = "", words[300] = "";
	json_t *fee = json_null();
	if (p->fee.amount > 0 && money_figures(p->fee.amount, fig, sizeof fig) > 0 &&
	    money_words(p->fee.amount, words, sizeof words) > 0)
		fee = json_pack("{s:s,s:s}", "figures", fig, "words", words);
	json_t *d = web_page_data(req, resp, "Nộp hồ sơ trực tuyến");
	char contact[256] = "";
	struct actor ac;
	web_citizen(req, &ac, contact, sizeof contact);
	int is_mail = strchr(contact, '@') != NULL;
	char key[40];
	unsigned char rnd[12];
	snprintf(key, sizeof key, "%s", fv(req, "submission"));
	if (!key[0]) {
		static const char hex[] = "0123456789abcdef";
		randombytes_buf(rnd, sizeof rnd);
		for (size_t i = 0; i < sizeof rnd; i++) {
			key[2 * i] = hex[rnd[i] >> 4];
			key[2 * i + 1] = hex[rnd[i] & 15];
		}
		key[2 * sizeof rnd] = '\0';
	}
	json_object_set_new(d, "proc", json_pack("{s:s,s:s,s:o,s:o,s:s,s:b}", "code", sp.code, "name", p->name,
	    "items", items, "fee", fee, "fee_text", p->fee.text ? p->fee.text : "", "partial",
	    p->online_level == PROC_ONLINE_PARTIAL));
	json_object_set_new(d, "form", json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "name", fv(req, "ho_ten"),
	    "id_number", fv(req, "so_dinh_danh"), "phone", *fv(req, "dien_thoai") ? fv(req, "dien_thoai")
	    : is_mail ? "" : contact, "email", *fv(req, "thu_dien_tu") ? fv(req, "thu_dien_tu") : is_mail ? contact : "",
	    "address", fv(req, "dia_chi"), "submission", key));
	if (f && f->msg[0])
		json_object_set_new(d, "error", json_pack("{s:s,s:s}", "message", f->msg, "field", f->field));
	store_proc_free(&sp);
	resp->status = status;
	return web_render(req, resp, "citizen_submit", d);
}

enum err
citizen_submit_form(struct http_req *req, struct http_resp *resp)
{
	return submit_page(req, resp, 200, NULL);
}

static const char *
opt(struct http_req *req, const char *name)
{
	const char *v = fv(req, name);
	return *v ? v : NULL;
}

enum err
citizen_submit(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	if (web_citizen(req, &ac, NULL, 0) != ERR_OK)
		return ERR_UNAUTHENTICATED;
	/* file fields "tep_<item>": the item from the name, never the file's */
	struct app_online_file files[APP_ONLINE_FILES];
	size_t n = 0;
	struct app_fail f = {"", ""};
	for (size_t i = 0; i < req->form.n; i++) {
		const struct form_field *ff = &req->form.v[i];
		long item;
		if (!ff->filename || strncmp(ff->name, "tep_", 4) != 0 || !ff->value_len)
			continue;
		if (web_parse_int(ff->name + 4, 0, 99, &item) != 0 || n == APP_ONLINE_FILES) {
			app_fail(&f, ERR_INVALID_FIELD, "files", "tệp tải lên không hợp lệ hoặc quá nhiều tệp");
			return submit_page(req, resp, 400, &f);
		}
		files[n++] = (struct app_online_file){(size_t)item, ff->value, ff->value_len};
	}
	struct app_online in = {
		.procedure_code = http_param(req, 0),
		.applicant = {opt(req, "ho_ten"), opt(req, "so_dinh_danh"), NULL, -1, opt(req, "dien_thoai"),
		              opt(req, "thu_dien_tu"), opt(req, "dia_chi")},
		.files = files, .nfiles = n, .note = fv(req, "ghi_chu"), .key = opt(req, "submission"),
	};
	struct app_dossier_brief b;
	enum err e = app_online_submit(&app->core, &ac, &in, &b, &f);
	if (e && f.msg[0] && e != ERR_FORBIDDEN)
		return submit_page(req, resp, err_status(e), &f);
	if (e)
		return e;
	char loc[160];
	snprintf(loc, sizeof loc, "/cong-dan/ho-so/%s?da-nop=1", b.code);
	http_redirect(resp, loc);
	return ERR_OK;
}

/* ---- Hồ sơ của tôi -------------------------------------------------------- */

static int
list_row(const struct store_dossier *sd, void *arg)
{
	enum dfsm_state s;
	const char *lbl = dfsm_state_from_code(sd->status, &s) == 0 ? dfsm_state_info(s)->public_label : "";
	char at[40];
	vn_fmt_datetime(sd->received_at, at, sizeof at);
	json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:s}", "code", sd->code, "procedure_name",
	                                     sd->procedure_name, "status_label", lbl, "submitted", at));
	return 0;
}

enum err
citizen_dossiers(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	char contact[256];
	if (web_citizen(req, &ac, contact, sizeof contact) != ERR_OK)
		return ERR_UNAUTHENTICATED;
	json_t *rows = json_array();
	enum err e = app_citizen_dossiers(&app->core, &ac, list_row, rows);
	if (e) {
		json_decref(rows);
		return e;
	}
	json_t *d = web_page_data(req, resp, "Hồ sơ của tôi");
	json_object_set_new(d, "dossiers", rows);
	json_object_set_new(d, "contact", json_string(contact));
	return web_render(req, resp, "citizen_dossiers", d);
}

/* The timeline as the citizen sees it, and the last reason the desk gave
 * (a supplement request or a refusal) with the papers it named. */
struct tl {
	json_t *steps, *why;
};

static int
tl_event(const struct store_dossier_event *ev, void *arg)
{
	struct tl *t = arg;
	char at[40];
	vn_fmt_datetime(ev->at, at, sizeof at);
	enum dfsm_state s;
	const char *lbl = dfsm_state_from_code(ev->to, &s) == 0 ? dfsm_state_info(s)->public_label : "";
	json_array_append_new(t->steps, json_pack("{s:s,s:s,s:s}", "at", at, "step", desk_action_title(ev->action),
	                                          "status", lbl));
	int asks = strcmp(ev->action, "request_supplement") == 0;
	int refuses = strcmp(ev->action, "refuse_intake") == 0 || strcmp(ev->action, "refuse") == 0 ||
	              strcmp(ev->action, "stop") == 0;
	if (asks || refuses) {
		json_t *m = json_array();
		for (size_t i = 0; i < ev->nmissing; i++)
			json_array_append_new(m, json_pack("{s:s}", "name", ev->missing[i]));
		json_decref(t->why);
		t->why = json_pack("{s:s,s:b,s:o}", "reason", ev->note ? ev->note : "", "supplement", asks, "missing", m);
	} else if (strcmp(ev->action, "supplement_received") == 0) {
		json_decref(t->why);
		t->why = NULL;
	}
	return 0;
}

static int
file_row(const struct store_attachment *at, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s,s:s,s:I}", "sha", at->sha256, "name", at->name, "kb",
	                                     (json_int_t)((at->size + 1023) / 1024)));
	return 0;
}

static int
message_row(const struct store_outbox_row *r, void *arg)
{
	char at[40];
	vn_fmt_datetime(r->sent_at ? r->sent_at : r->created_at, at, sizeof at);
	int mail = strcmp(r->channel, "email") == 0;
	json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "at", at, "channel",
	                                     mail ? "Thư điện tử" : "Tin nhắn SMS", "to", r->recipient, "subject",
	                                     r->subject ? r->subject : "", "text", r->body ? r->body : "",
	                                     "sent", strcmp(r->state, "sent") == 0));
	return 0;
}

static enum err
dossier_page(struct http_req *req, struct http_resp *resp, int status, const struct app_fail *f)
{
	struct web_app *app = req->app;
	struct actor ac;
	if (web_citizen(req, &ac, NULL, 0) != ERR_OK)
		return ERR_UNAUTHENTICATED;
	struct store_dossier sd;
	enum err e = app_citizen_dossier(&app->core, &ac, http_param(req, 0), &sd);
	if (e)
		return e;
	json_t *v = desk_dossier_view(req, &sd, (int64_t)time(NULL));
	struct tl t = {json_array(), NULL};
	json_t *files = json_array(), *msgs = json_array();
	if (!v || (e = app_citizen_events(&app->core, &ac, sd.code, tl_event, &t)) ||
	    (e = app_citizen_attachments(&app->core, &ac, sd.code, file_row, files)) ||
	    (e = app_citizen_messages(&app->core, &ac, sd.code, message_row, msgs))) {
		json_decref(v);
		json_decref(t.steps);
		json_decref(t.why);
		json_decref(files);
		json_decref(msgs);
		store_dossier_free(&sd);
		return e ? e : ERR_NOMEM;
	}
	char reason[1000] = "";
	int64_t asked = 0;
	int has_req = app_online_withdraw_request(&app->core, &ac, sd.code, reason, sizeof reason, &asked) == ERR_OK;
	enum dfsm_state s;
	int open = dfsm_state_from_code(sd.status, &s) == 0 && !dfsm_state_info(s)->terminal &&
	           !dfsm_state_info(s)->finished;
	json_t *d = web_page_data(req, resp, "Hồ sơ của tôi");
	json_object_set_new(v, "steps", t.steps);
	json_object_set_new(v, "files", files);
	json_object_set_new(v, "messages", msgs);
	json_object_set_new(v, "result_file", json_boolean(app_result_downloadable(&app->core, &sd)));
	if (t.why)
		json_object_set_new(v, "why", t.why);
	json_object_set_new(v, "waiting_supplement", json_boolean(strcmp(sd.status, "waiting_supplement") == 0));
	json_object_set_new(v, "may_withdraw", json_boolean(open && !has_req));
	if (has_req)
		json_object_set_new(v, "withdraw_asked", json_pack("{s:s}", "reason", reason));
	json_object_set_new(d, "d", v);
	json_object_set_new(d, "just_submitted", json_boolean(form_get(&req->query, "da-nop") != NULL));
	if (f && f->msg[0])
		json_object_set_new(d, "error", json_pack("{s:s}", "message", f->msg));
	store_dossier_free(&sd);
	resp->status = status;
	return web_render(req, resp, "citizen_dossier", d);
}

enum err
citizen_dossier(struct http_req *req, struct http_resp *resp)
{
	return dossier_page(req, resp, 200, NULL);
}

enum err
citizen_attachment(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	if (web_citizen(req, &ac, NULL, 0) != ERR_OK)
		return ERR_UNAUTHENTICATED;
	struct store_attachment meta;
	char *data;
	size_t len;
	enum err e = app_citizen_attachment(&app->core, &ac, http_param(req, 0), http_param(req, 1), &meta, &data,
	                                    &len);
	if (e)
		return e;
	buf_reset(&resp->body);
	buf_append(&resp->body, data, len);
	free(data);
	if (resp->body.oom)
		return ERR_NOMEM;
	resp->content_type = strcmp(meta.mime, "application/pdf") == 0 ? "application/pdf"
	                     : strcmp(meta.mime, "image/png") == 0     ? "image/png"
	                                                               : "image/jpeg";
	http_resp_header(resp, "Content-Disposition", "attachment");
	http_resp_header(resp, "Cache-Control", "private, no-store");
	return ERR_OK;
}

/* GET /cong-dan/ho-so/{code}/ket-qua: the electronic result of his own
 * dossier, once it is ready. */
enum err
citizen_result(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	if (web_citizen(req, &ac, NULL, 0) != ERR_OK)
		return ERR_UNAUTHENTICATED;
	struct store_attachment meta;
	char *data = NULL;
	size_t len = 0;
	struct app_fail f = {"", ""};
	enum err e = app_citizen_result(&app->core, &ac, http_param(req, 0), &meta, &data, &len, &f);
	if (e == ERR_DOSSIER_STATE)
		return dossier_page(req, resp, err_status(e), &f);
	if (e)
		return e;
	return desk_send_result(resp, http_param(req, 0), &meta, data, len);
}

/* The answer to a citizen's action on his dossier: its page again with
 * the reason when refused, else back to it. */
static enum err
after_action(struct http_req *req, struct http_resp *resp, enum err e, const struct app_fail *f)
{
	if (e && f->msg[0])
		return dossier_page(req, resp, err_status(e), f);
	if (e)
		return e;
	char loc[160];
	snprintf(loc, sizeof loc, "/cong-dan/ho-so/%s", http_param(req, 0));
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
citizen_supplement(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	if (web_citizen(req, &ac, NULL, 0) != ERR_OK)
		return ERR_UNAUTHENTICATED;
	const struct form_field *ff = NULL;
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].name, "tep") == 0 && req->form.v[i].filename)
			ff = &req->form.v[i];
	struct app_fail f = {"", ""};
	enum err e = app_online_supplement(&app->core, &ac, http_param(req, 0), ff ? ff->value : "",
	                                   ff ? ff->value_len : 0, &f);
	return after_action(req, resp, e, &f);
}

enum err
citizen_withdraw(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	if (web_citizen(req, &ac, NULL, 0) != ERR_OK)
		return ERR_UNAUTHENTICATED;
	struct app_fail f = {"", ""};
	enum err e = app_online_withdraw(&app->core, &ac, http_param(req, 0), fv(req, "ly_do"), &f);
	return after_action(req, resp, e, &f);
}
