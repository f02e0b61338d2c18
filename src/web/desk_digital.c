/*
 * desk_digital.c — the desk's and the applicant's faces of digitised
 * dossiers and fees (src/app/digital.h): the scan per checklist line and
 * its reuse, the result file, the payment line and its form, the result
 * downloaded from the public lookup, and the API's "record_payment".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/digital.h"
#include "app/dossier.h"
#include "app/kiosk.h"
#include "app/lookup.h"
#include "core/jspec.h"
#include "core/roles.h"
#include "web/desk.h"
#include "web/dossier_json.h"
#include "web/web.h"

static const char *
fopt(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v && *v ? v : NULL;
}

json_t *
desk_payment_json(const struct store_dossier *d)
{
	char at[40] = "";
	if (d->paid_at)
		vn_fmt_datetime(d->paid_at, at, sizeof at);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b}", "status", d->fee_status, "status_label",
	                 app_fee_status_label(d->fee_status), "channel", d->pay_channel, "channel_label",
	                 app_pay_channel_label(d->pay_channel), "receipt_no", d->receipt_no, "paid_at", at,
	                 "paid", strcmp(d->fee_status, "paid") == 0, "exempt", strcmp(d->fee_status, "exempt") == 0,
	                 "unpaid", strcmp(d->fee_status, "unpaid") == 0);
}

enum err
desk_read_payment(struct http_req *req, struct app_fee_in *in, struct app_fail *f)
{
	/* one select: "unpaid", "exempt", or the channel it was paid through */
	const char *how = fopt(req, "thanh_toan");
	*in = (struct app_fee_in){.receipt_no = fopt(req, "so_bien_lai"), .amount = -1};
	if (!how)
		return ERR_OK;
	if (strcmp(how, "unpaid") == 0 || strcmp(how, "exempt") == 0) {
		in->status = strcmp(how, "exempt") == 0 ? APP_FEE_EXEMPT : APP_FEE_UNPAID;
		return ERR_OK;
	}
	for (int i = 1; app_pay_channel_names[i]; i++)
		if (strcmp(how, app_pay_channel_names[i]) == 0) {
			in->status = APP_FEE_PAID;
			in->channel = i;
			return ERR_OK;
		}
	return app_fail(f, ERR_INVALID_FIELD, "fee_status", "Chọn tình trạng nộp phí, lệ phí trong danh sách.");
}

/* ---- the dossier page ---- */

struct page_ctx {
	json_t *lines, *scans, *result;
	char code[64];
};

static int
line_add(int no, const char *name, void *arg)
{
	struct page_ctx *c = arg;
	json_array_append_new(c->lines, json_pack("{s:i,s:s,s:b,s:s,s:[]}", "no", no, "name", name, "digitised", 0,
	                                          "reused_from", "", "files"));
	return 0;
}

static int
att_mark(const struct store_attachment *at, void *arg)
{
	struct page_ctx *c = arg;
	char href[300], when[40];
	snprintf(href, sizeof href, "/mot-cua/ho-so/%s/dinh-kem/%s", c->code, at->sha256);
	vn_fmt_datetime(at->at, when, sizeof when);
	json_t *file = json_pack("{s:s,s:s,s:s,s:s}", "name", at->name, "href", href, "at", when, "reused_from",
	                         at->reused_from);
	if (strcmp(at->kind, "result") == 0) {
		json_decref(c->result);
		c->result = file;   /* the last one attached */
		return 0;
	}
	json_t *l = at->component > 0 ? json_array_get(c->lines, (size_t)at->component - 1) : NULL;
	if (!l) {
		json_decref(file);
		return 0;
	}
	json_object_set_new(l, "digitised", json_true());
	if (at->reused_from[0])
		json_object_set_new(l, "reused_from", json_string(at->reused_from));
	json_array_append_new(json_object_get(l, "files"), file);
	return 0;
}

static int
scan_add(const char *code, const struct store_attachment *at, void *arg)
{
	struct page_ctx *c = arg;
	char value[140], label[600];
	snprintf(value, sizeof value, "%s|%s", code, at->sha256);
	snprintf(label, sizeof label, "%s — %s (%s)", code, at->component_name[0] ? at->component_name : "bản quét",
	         at->name);
	json_array_append_new(c->scans, json_pack("{s:s,s:s}", "value", value, "label", label));
	return 0;
}

enum err
desk_digital_view(struct http_req *req, const struct actor *ac, const char *code, int may_act, json_t *d)
{
	struct web_app *app = req->app;
	struct store_dossier sd;
	enum err e = app_dossier_get(&app->core, ac, code, &sd);
	if (e)
		return e;
	struct page_ctx c = {json_array(), json_array(), NULL, ""};
	snprintf(c.code, sizeof c.code, "%s", sd.code);
	char fee[32];
	snprintf(fee, sizeof fee, "%lld", (long long)sd.fee);
	json_object_set_new(d, "pay_form", ac->role == ROLE_CLERK && strcmp(sd.fee_status, "unpaid") == 0
	                                       ? json_pack("{s:s}", "fee", fee) : json_null());
	json_object_set_new(d, "kiosk_invite", json_boolean(app_kiosk_may_invite(&app->core, ac, &sd)));
	store_dossier_free(&sd);
	struct app_digitised dg;
	if ((e = app_dossier_checklist(&app->core, ac, c.code, line_add, &c)) == ERR_OK &&
	    (e = app_dossier_attachments(&app->core, ac, c.code, att_mark, &c)) == ERR_OK &&
	    (e = app_person_scans(&app->core, ac, c.code, scan_add, &c)) == ERR_OK)
		e = app_dossier_digitised(&app->core, ac, c.code, &dg);
	json_object_set_new(d, "checklist", c.lines);
	json_object_set_new(d, "reuse_scans", c.scans);
	json_object_set_new(d, "result_file", c.result ? c.result : json_null());
	if (!e)
		json_object_set_new(d, "digitised", json_pack("{s:i,s:i,s:i,s:b}", "components", dg.components,
		                                              "digitised", dg.digitised, "reused", dg.reused,
		                                              "result", dg.result));
	json_object_set_new(d, "can_scan", json_boolean(may_act && json_array_size(c.lines) > 0));
	json_object_set_new(d, "can_attach_result", json_boolean(may_act && (ac->role & (ROLE_OFFICER | ROLE_LEADER))));
	return e;
}

/* POST /mot-cua/ho-so/{code}/le-phi: the clerk records the payment. */
enum err
desk_pay(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *code = http_param(req, 0);
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	struct app_fee_in in;
	enum err e = desk_read_payment(req, &in, &f);
	long n;
	if (!e && fopt(req, "so_tien")) {
		if (web_parse_int(fopt(req, "so_tien"), 0, 1000000000, &n) != 0)
			e = app_fail(&f, ERR_INVALID_FIELD, "fee", "Số tiền là số đồng, không âm, không có dấu chấm.");
		in.amount = n;
	}
	if (!e)
		e = app_dossier_pay(&app->core, &ac, code, &in, &f);
	if (e == ERR_NOT_FOUND || e == ERR_NOMEM || e == ERR_INTERNAL || e == ERR_FORBIDDEN)
		return e;
	if (e)
		return desk_dossier_page(req, resp, code, err_status(e), e, &f);
	char loc[200];
	snprintf(loc, sizeof loc, "/mot-cua/ho-so/%s?ok=payment", code);
	http_redirect(resp, loc);
	return ERR_OK;
}

/* POST /mot-cua/ho-so/{code}/dinh-kem: a scan (of a checklist line, or
 * reused from an earlier dossier of the same person) or the result. */
enum err
desk_attach(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *code = http_param(req, 0);
	struct app_attach in = {.kind = APP_ATT_COMPONENT};
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].name, "file") == 0 && req->form.v[i].filename && req->form.v[i].value_len) {
			in.file_name = req->form.v[i].filename;
			in.data = req->form.v[i].value;
			in.len = req->form.v[i].value_len;
		}
	struct app_fail f = {"", ""};
	enum err e = ERR_OK;
	const char *kind = fopt(req, "kind"), *line = fopt(req, "component"), *reuse = fopt(req, "reuse");
	long n = 0;
	char rc[80] = "";
	if (kind && strcmp(kind, "result") == 0)
		in.kind = APP_ATT_RESULT;
	else if (kind && strcmp(kind, "component") != 0)
		e = app_fail(&f, ERR_INVALID_FIELD, "kind", "Loại tệp không hợp lệ.");
	if (!e && line && web_parse_int(line, 0, APP_CHECKLIST_MAX, &n) != 0)
		e = app_fail(&f, ERR_INVALID_FIELD, "component", "Giấy tờ không có trong danh mục của hồ sơ.");
	in.component = (int)n;
	if (!e && reuse) {
		const char *bar = strchr(reuse, '|');
		snprintf(rc, sizeof rc, "%.*s", bar ? (int)(bar - reuse) : 0, reuse);
		in.reuse_code = rc;
		in.reuse_sha = bar ? bar + 1 : "";
	} else if (!e && !in.data)
		e = app_fail(&f, ERR_INVALID_FIELD, "file", "Chưa chọn tệp.");
	struct actor ac;
	web_actor_of(req, &ac);
	if (!e)
		e = app_dossier_attach_as(&app->core, &ac, code, &in, &f);
	if (e == ERR_NOT_FOUND || e == ERR_NOMEM || e == ERR_INTERNAL || (e == ERR_FORBIDDEN && !f.msg[0]))
		return e;
	if (e)
		return desk_dossier_page(req, resp, code, err_status(e), e, &f);
	char loc[200];
	snprintf(loc, sizeof loc, "/mot-cua/ho-so/%s?ok=%s", code,
	         in.kind == APP_ATT_RESULT ? "result" : in.reuse_code ? "reuse" : "attach");
	http_redirect(resp, loc);
	return ERR_OK;
}

/* POST /tra-cuu/ket-qua: the applicant downloads the electronic result,
 * proving who he is as the lookup does (code + full phone or ID, in the
 * body, never the URL), under the same guard and throttle. */
enum err
page_lookup_result(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *code = form_get(&req->form, "ma"), *key = form_get(&req->form, "dien_thoai");
	struct app_proof p = {code ? code : "", key ? key : "", req->client};
	struct store_attachment meta;
	char *data = NULL;
	size_t len = 0;
	struct app_fail f = {"", ""};
	enum err e = app_lookup_result(&app->core, &p, &meta, &data, &len, &f);
	if (e == ERR_THROTTLED)
		return ERR_LOOKUP_THROTTLED;
	if (e == ERR_MISSING_FIELD || e == ERR_NOT_FOUND) {
		/* the same answer for an unknown code and a wrong phone */
		http_error(req, resp, ERR_NOT_FOUND, "Không tìm thấy hồ sơ với mã và số điện thoại (hoặc số định "
		           "danh) đã nhập.");
		return ERR_OK;
	}
	if (e == ERR_DOSSIER_STATE) {
		http_error(req, resp, e, f.msg);
		return ERR_OK;
	}
	if (e)
		return e;
	return desk_send_result(resp, p.code, &meta, data, len);
}

enum err
desk_send_result(struct http_resp *resp, const char *code, const struct store_attachment *meta, char *data,
                 size_t len)
{
	buf_reset(&resp->body);
	buf_append(&resp->body, data, len);
	free(data);
	if (resp->body.oom)
		return ERR_NOMEM;
	int pdf = strcmp(meta->mime, "application/pdf") == 0, png = strcmp(meta->mime, "image/png") == 0;
	resp->content_type = pdf ? "application/pdf" : png ? "image/png" : "image/jpeg";
	char name[64], cd[200];
	size_t k = 0;   /* the code as typed: only its safe characters in the header */
	for (const char *p = code; *p && k + 1 < sizeof name; p++)
		if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '-' || *p == '.')
			name[k++] = *p;
	name[k] = '\0';
	snprintf(cd, sizeof cd, "attachment; filename=\"ket-qua-%s.%s\"", name, pdf ? "pdf" : png ? "png" : "jpg");
	http_resp_header(resp, "Content-Disposition", cd);
	http_resp_header(resp, "Cache-Control", "private, no-store");
	return ERR_OK;
}

/* POST /api/v1/dossiers/{code}/actions {"action":"record_payment",
 * "payment":{"status":"paid|exempt","channel","receipt_no","amount"}}. */
enum err
api_record_payment(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *action = NULL, *note = NULL;
	struct app_fee_in in = {.amount = -1};
	json_int_t amount = -1;
	struct jspec pay[] = {
		JSPEC_ENUM("status", &in.status, JSPEC_REQUIRED, app_fee_status_names),
		JSPEC_ENUM("channel", &in.channel, JSPEC_OPTIONAL, app_pay_channel_names),
		JSPEC_STRING("receipt_no", &in.receipt_no, JSPEC_OPTIONAL, 0, 200),
		JSPEC_INT("amount", &amount, JSPEC_OPTIONAL, 0, 1000000000),
		JSPEC_END,
	};
	struct jspec spec[] = {
		JSPEC_STRING("action", &action, JSPEC_REQUIRED, 1, 40),
		JSPEC_STRING("note", &note, JSPEC_OPTIONAL, 0, 2000),
		JSPEC_NESTED("payment", pay, JSPEC_REQUIRED),
		JSPEC_END,
	};
	char detail[400] = "";
	enum err e = jspec_read(req->json, spec, detail, sizeof detail);
	if (e) {
		http_error(req, resp, e, detail[0] ? detail : NULL);
		return ERR_OK;
	}
	in.amount = amount;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	if ((e = app_dossier_pay(&app->core, &ac, http_param(req, 0), &in, &f)) != ERR_OK) {
		if (!f.msg[0])
			return e;
		http_error_field(req, resp, e, f.msg, f.field);
		return ERR_OK;
	}
	struct store_dossier d;
	if ((e = app_dossier_get(&app->core, &ac, http_param(req, 0), &d)) != ERR_OK)
		return e;
	json_t *o = json_pack("{s:s,s:I,s:o}", "code", d.code, "fee", (json_int_t)d.fee, "payment",
	                      web_payment_json(&d));
	store_dossier_free(&d);
	if (!o)
		return ERR_NOMEM;
	http_json(resp, 200, o);
	return ERR_OK;
}
