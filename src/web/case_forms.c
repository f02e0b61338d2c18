/*
 * case_forms.c — intake of complaints, denunciations, petitions and
 * feedback at the desk and by post (/don-thu/tiep-nhan: the kind picker,
 * then the kind's form with the scans), and the printed notices of a
 * case on A4 under the state header of the dossier forms (print.html):
 *   bien-nhan     Giấy biên nhận đơn / Phiếu tiếp nhận
 *   thu-ly        Thông báo thụ lý / Quyết định thụ lý tố cáo
 *   khong-thu-ly  Thông báo không thụ lý, with its reasons
 *   gia-han       Quyết định gia hạn giải quyết tố cáo (kéo dài thời hạn)
 *   quyet-dinh    Quyết định giải quyết / kết luận / văn bản trả lời
 *   chuyen-don    Phiếu chuyển đơn
 * Each prints what the case's timeline recorded (number, date, reasons)
 * and cites its article from core/case_rules.c.  The sender is named
 * only to a user who may see him (app_case_party_visible): a notice to a
 * denouncer printed by anyone else carries no name.
 */
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/cases.h"
#include "core/vntime.h"
#include "web/cases_web.h"
#include "web/desk.h"
#include "web/print.h"
#include "web/web.h"

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

static const char *
qv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->query, name);
	return v ? v : "";
}

/* One line each: what the kind is for, as the clerk explains it. */
static const char *const EXPLAIN[CASE_NKINDS] = {
	[CASE_COMPLAINT_1] = "Đề nghị xem xét lại quyết định hành chính, hành vi hành chính của cơ quan hoặc cán bộ xã "
	                     "xâm phạm quyền, lợi ích của người khiếu nại (lần đầu).",
	[CASE_COMPLAINT_2] = "Không đồng ý với quyết định giải quyết khiếu nại lần đầu, hoặc đã quá thời hạn mà khiếu nại "
	                     "lần đầu chưa được giải quyết.",
	[CASE_DENUNCIATION] = "Báo cho cơ quan có thẩm quyền biết hành vi vi phạm pháp luật của cán bộ, cơ quan, tổ chức, "
	                      "cá nhân; danh tính người tố cáo được giữ bí mật.",
	[CASE_PETITION_REG] = "Phản ánh, kiến nghị về quy định hành chính: nội dung, tính hợp pháp, sự phù hợp của quy "
	                      "định, thủ tục hành chính.",
	[CASE_FEEDBACK] = "Phản ánh về hạ tầng, môi trường, trật tự, thái độ phục vụ…; người gửi có thể không ghi tên.",
	[CASE_SUGGESTION] = "Góp ý khác cho hoạt động của cơ quan; người gửi có thể không ghi tên.",
};

/* ---- intake ---------------------------------------------------------------- */

/* The feedback categories of this kind, with their extra questions
 * (named attr_<category>_<question>), as typed. */
static json_t *
categories_of(struct http_req *req, const struct case_type *t, int posted)
{
	struct web_app *app = req->app;
	struct app_case_category *cs;
	size_t n;
	json_t *a = json_array();
	if (app_case_categories(&app->core, &cs, &n) != ERR_OK)
		return a;
	const char *picked = fv(req, "category");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(cs[i].kind, t->code) != 0)
			continue;
		json_t *qs = json_array();
		for (int j = 0; j < cs[i].nattrs; j++) {
			char field[120];
			snprintf(field, sizeof field, "attr_%s_%s", cs[i].code, cs[i].attrs[j].code);
			const char *dt = cs[i].attrs[j].datatype;
			json_t *vals = json_array();
			for (int k = 0; k < cs[i].attrs[j].nvals; k++) {
				int on = 0;
				for (size_t x = 0; posted && x < req->form.n; x++)
					on |= !strcmp(req->form.v[x].name, field) &&
					      !strcmp(req->form.v[x].value, cs[i].attrs[j].vals[k].key);
				json_array_append_new(vals, json_pack("{s:s,s:s,s:b,s:i}", "key", cs[i].attrs[j].vals[k].key,
				                                      "name", cs[i].attrs[j].vals[k].name, "on", on, "k", k));
			}
			json_array_append_new(qs, json_pack("{s:s,s:s,s:b,s:b,s:b,s:b,s:s,s:o}", "field", field, "label",
			    cs[i].attrs[j].description, "required", cs[i].attrs[j].required, "single",
			    !strcmp(dt, "singlevaluelist"), "multi", !strcmp(dt, "multivaluelist"), "text",
			    strcmp(dt, "singlevaluelist") && strcmp(dt, "multivaluelist"), "value", fv(req, field),
			    "vals", vals));
		}
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:b,s:o}", "code", cs[i].code, "name", cs[i].name,
		                                   "description", cs[i].description, "selected",
		                                   !strcmp(picked, cs[i].code), "questions", qs));
	}
	free(cs);
	return a;
}

/* A fresh idempotency key, or the posted one: sending a form twice
 * records one case. */
static void
add_key(struct http_req *req, json_t *d)
{
	char token[40];
	const char *posted = fv(req, "submission");
	size_t len = strlen(posted);
	if (len >= 16 && len < sizeof token && strspn(posted, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                                                      "0123456789-_") == len) {
		snprintf(token, sizeof token, "%s", posted);
	} else {
		unsigned char rnd[18];
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2base64(token, sizeof token, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	}
	json_object_set_new(d, "submission", json_string(token));
}

static enum err
intake_page(struct http_req *req, struct http_resp *resp, int status, const char *kind, enum err fail,
            const struct app_fail *f)
{
	json_t *d = web_page_data(req, resp, "Tiếp nhận đơn");
	if (!d)
		return ERR_NOMEM;
	const struct case_type *t = *kind ? case_type_by_code(kind) : NULL;
	json_t *kinds = json_array();
	for (int i = 0; i < CASE_NKINDS; i++) {
		const struct case_type *k = case_type_of((enum case_kind)i);
		json_array_append_new(kinds, json_pack("{s:s,s:s,s:s,s:b}", "code", k->code, "label", k->label, "explain",
		                                       EXPLAIN[i], "selected", k == t));
	}
	json_object_set_new(d, "kinds", kinds);
	if (*kind && !t) {
		fail = ERR_INVALID_FIELD;
		status = 400;
		f = NULL;
		json_object_set_new(d, "error", json_pack("{s:s,s:s,s:s}", "message", "Loại đơn không hợp lệ.", "code",
		                                          err_code(fail), "detail", "Hãy chọn một loại đơn trong danh sách."));
	}
	int posted = req->form.n > 0;
	if (t) {
		char today[16];
		cal_format_ymd(vn_day((int64_t)time(NULL)), today, sizeof today);
		json_t *k = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:o}", "code", t->code, "label", t->label, "law",
		    t->cite, "explain", EXPLAIN[t->kind], "identity", t->identity_required, "anonymous", t->anonymous_allowed,
		    "respondent", t->kind <= CASE_DENUNCIATION, "denunciation", t->kind == CASE_DENUNCIATION, "parent",
		    t->kind == CASE_COMPLAINT_2, "categories", categories_of(req, t, posted));
		json_object_set_new(k, "today", json_string(today));
		json_object_set_new(d, "k", k);
		static const char *const fields[] = {"name", "id_number", "phone", "email", "party_address", "respondent",
		                                     "parent_code", "subject", "content", "papers", "address", "received_on"};
		json_t *typed = json_object();
		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
			json_object_set_new(typed, fields[i], json_string(fv(req, fields[i])));
		json_object_set_new(typed, "post", json_boolean(!strcmp(fv(req, "channel"), "post")));
		json_object_set_new(typed, "anonymous", json_boolean(*fv(req, "an_danh")));
		json_object_set_new(d, "f", typed);
	}
	if (fail && f)   /* the message in Vietnamese words only: no internal field names */
		json_object_set_new(d, "error", json_pack("{s:s,s:s,s:s}", "message", err_message(fail), "code",
		                                          err_code(fail), "detail", f->msg));
	add_key(req, d);
	resp->status = status;
	return web_render(req, resp, "cases_intake", d);
}

enum err
cases_intake(struct http_req *req, struct http_resp *resp)
{
	return intake_page(req, resp, 200, qv(req, "loai"), ERR_OK, NULL);
}

/* The strings the service's struct points to while it is read. */
struct intake_bufs {
	struct app_case_file_in files[APP_CASE_FILES + 1];
	struct app_case_attr attrs[APP_CASE_ATTRS + 1];
	char multi[APP_CASE_ATTRS][1200];
};

/* The answers to the picked category's questions: a multi-valued one
 * joins its ticked values with "\n". */
static enum err
read_attrs(struct http_req *req, struct app_case_in *in, struct intake_bufs *b, struct app_fail *f)
{
	const char *cat = in->category ? in->category : "";
	char prefix[80];
	int k = snprintf(prefix, sizeof prefix, "attr_%s_", cat);
	if (!*cat || k >= (int)sizeof prefix)
		return ERR_OK;
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < req->form.n; i++) {
		const struct form_field *x = &req->form.v[i];
		if (strncmp(x->name, prefix, plen) != 0 || x->filename || !*x->value)
			continue;
		const char *code = x->name + plen;
		size_t j = 0;
		while (j < in->nattrs && strcmp(b->attrs[j].code, code) != 0)
			j++;
		if (j == in->nattrs) {
			if (j >= APP_CASE_ATTRS)
				return app_fail(f, ERR_INVALID_FIELD, "attribute", "Quá nhiều câu trả lời bổ sung.");
			snprintf(b->multi[j], sizeof b->multi[j], "%s", x->value);
			b->attrs[j] = (struct app_case_attr){code, b->multi[j]};
			in->nattrs++;
		} else {
			size_t used = strlen(b->multi[j]);
			snprintf(b->multi[j] + used, sizeof b->multi[j] - used, "\n%s", x->value);
		}
	}
	in->attrs = b->attrs;
	return ERR_OK;
}

static enum err
read_intake(struct http_req *req, struct app_case_in *in, struct intake_bufs *b, struct app_fail *f)
{
	const struct case_type *t = case_type_by_code(fv(req, "kind"));
	if (!t)
		return app_fail(f, ERR_INVALID_FIELD, "kind", "Loại đơn không hợp lệ.");
	*in = (struct app_case_in){.kind = t->kind, .channel = APP_CASE_DESK, .category = fv(req, "category"),
	                           .subject = fv(req, "subject"), .content = fv(req, "content"),
	                           .respondent = fv(req, "respondent"), .papers = fv(req, "papers"),
	                           .address = fv(req, "address"), .anonymous = *fv(req, "an_danh") != 0,
	                           .parent_code = *fv(req, "parent_code") ? fv(req, "parent_code") : NULL,
	                           .key = *fv(req, "submission") ? fv(req, "submission") : NULL};
	if (!strcmp(fv(req, "channel"), "post"))
		in->channel = APP_CASE_POST;
	else if (strcmp(fv(req, "channel"), "desk") != 0)
		return app_fail(f, ERR_INVALID_FIELD, "channel", "Hình thức nhận đơn không hợp lệ.");
	if (in->channel == APP_CASE_POST) {
		int64_t day;
		if (vn_parse_date(fv(req, "received_on"), &day) != 0)
			return app_fail(f, ERR_BAD_DATE, "received_at", "Vui lòng ghi ngày đơn đến qua bưu chính.");
		in->received_at = day;
	}
	static const struct {
		const char *field;
		size_t off, size;
	} party[] = {
	    {"name", offsetof(struct app_case_party, name), sizeof in->party.name},
	    {"id_number", offsetof(struct app_case_party, id_number), sizeof in->party.id_number},
	    {"phone", offsetof(struct app_case_party, phone), sizeof in->party.phone},
	    {"email", offsetof(struct app_case_party, email), sizeof in->party.email},
	    {"party_address", offsetof(struct app_case_party, address), sizeof in->party.address},
	};
	for (size_t i = 0; i < sizeof party / sizeof party[0]; i++) {
		const char *v = fv(req, party[i].field);
		if (strlen(v) >= party[i].size)
			return app_fail(f, ERR_INVALID_FIELD, party[i].field, "Thông tin người gửi quá dài.");
		memcpy((char *)&in->party + party[i].off, v, strlen(v) + 1);
	}
	size_t nf = 0;
	for (size_t i = 0; i < req->form.n && nf <= APP_CASE_FILES; i++) {
		const struct form_field *x = &req->form.v[i];
		if (!strcmp(x->name, "files") && x->filename && x->value_len)
			b->files[nf++] = (struct app_case_file_in){x->value, x->value_len, x->filename};
	}
	in->files = b->files;
	in->nfiles = nf;
	return read_attrs(req, in, b, f);
}

enum err
cases_intake_post(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	static _Thread_local struct intake_bufs b;
	struct app_case_in in;
	struct app_case_brief out;
	struct app_fail f = {"", ""};
	struct actor ac;
	web_actor_of(req, &ac);
	enum err e = read_intake(req, &in, &b, &f);
	if (!e)
		e = app_case_submit(&app->core, &ac, &in, &out, &f);
	sodium_memzero(&in.party, sizeof in.party);
	if (e == ERR_NOMEM || e == ERR_INTERNAL || e == ERR_BUSY)
		return e;
	if (e)
		return intake_page(req, resp, err_status(e), fv(req, "kind"), e, &f);
	char loc[120];
	snprintf(loc, sizeof loc, "/don-thu/%s?ok=%s", out.code, out.existing ? "resent" : "submit");
	http_redirect(resp, loc);
	return ERR_OK;
}

/* ---- printed notices --------------------------------------------------------- */

enum notice { N_RECEIPT, N_ACCEPT, N_REJECT, N_EXTEND, N_DECIDE, N_FORWARD, N_COUNT };
static const char *const NOTICE_KEYS[N_COUNT] = {"bien-nhan", "thu-ly", "khong-thu-ly", "gia-han", "quyet-dinh",
                                                 "chuyen-don"};
static const char *const NOTICE_EVENTS[N_COUNT] = {"submit", "accept", "reject", "extend", "decide", "forward"};

/* Who the sender is called on paper, by kind. */
static const char *
sender_title(enum case_kind k)
{
	switch (k) {
	case CASE_COMPLAINT_1:
	case CASE_COMPLAINT_2: return "người khiếu nại";
	case CASE_DENUNCIATION: return "người tố cáo";
	case CASE_SUGGESTION: return "người góp ý";
	default: return "người phản ánh, kiến nghị";
	}
}

/* The sender as the notice names him: only to whom may see him. */
static enum err
add_recipient(struct web_app *app, const struct actor *ac, const struct app_case *c, json_t *n)
{
	json_object_set_new(n, "sender_title", json_string(sender_title(c->kind)));
	if (c->anonymous) {
		json_object_set_new(n, "unnamed", json_string("Đơn không ghi tên người gửi."));
		return ERR_OK;
	}
	if (!app_case_party_visible(&app->core, ac, c)) {
		json_object_set_new(n, "unnamed", json_string("Thông tin người tố cáo được giữ bí mật (Luật Tố cáo 2018, "
		                                              "Điều 47); cán bộ được giao ghi họ tên khi gửi."));
		return ERR_OK;
	}
	struct app_case_party p;
	enum err e = app_case_party(&app->core, ac, c->code, &p);
	if (e == ERR_NOT_FOUND || e == ERR_FORBIDDEN)
		return ERR_OK;
	if (e)
		return e;
	json_object_set_new(n, "party", json_pack("{s:s,s:s}", "name", p.name, "address", p.address));
	sodium_memzero(&p, sizeof p);
	return ERR_OK;
}

static json_t *
words(int64_t t)
{
	char b[VN_WORDS_MAX];
	vn_fmt_date_words(t, b, sizeof b);
	return json_string(b);
}

/* What the notice says, by kind of notice; the event ev recorded it. */
static void
notice_body(struct web_app *app, enum notice which, const struct app_case *c, const struct app_case_event *ev,
            json_t *n)
{
	const struct case_type *t = case_type_of(c->kind);
	const struct case_limit *intake = case_limit_at(c->kind, CASE_ST_RECEIVED);
	const struct case_limit *resolve = case_limit_at(c->kind, CASE_ST_ACCEPTED);
	json_t *bases = json_array();
	json_array_append_new(bases, json_string(t->cite));
	switch (which) {
	case N_RECEIPT:
		if (intake) {
			json_object_set_new(n, "limit", case_limit_view(app, c->kind, CASE_ST_RECEIVED));
			json_object_set_new(n, "acceptance", json_boolean(t->has_acceptance));
			if (c->stage == CASE_ST_RECEIVED && c->due_at)
				json_object_set_new(n, "due", words(c->due_at - 1));
		}
		json_decref(bases);
		return;
	case N_ACCEPT:
		if (intake)
			json_array_append_new(bases, json_string(intake->cite));
		if (resolve) {
			json_object_set_new(n, "limit", case_limit_view(app, c->kind, CASE_ST_ACCEPTED));
			if (c->resolve_due && !c->extensions && !c->complexity)
				json_object_set_new(n, "due", words(c->resolve_due - 1));
		}
		break;
	case N_REJECT:
	case N_FORWARD:
		if (intake)
			json_array_append_new(bases, json_string(intake->cite));
		break;
	case N_EXTEND:
	case N_DECIDE:
		if (resolve)
			json_array_append_new(bases, json_string(resolve->cite));
		if (which == N_EXTEND) {
			json_error_t je;
			json_t *det = json_loads(ev->details, 0, &je);
			json_int_t due = json_integer_value(json_object_get(det, "due_at"));
			if (due > 0)
				json_object_set_new(n, "due", words((int64_t)due - 1));
			json_int_t cx = json_integer_value(json_object_get(det, "complexity"));
			json_object_set_new(n, "complexity", json_string(cx == 2 ? "đặc biệt phức tạp" : "phức tạp"));
			json_object_set_new(n, "times", json_integer(json_integer_value(json_object_get(det, "extensions"))));
			json_decref(det);
		}
		if (which == N_DECIDE) {
			if (c->verdict[0])
				json_object_set_new(n, "verdict", json_string(!strcmp(c->verdict, "dung") ? "đúng"
				                                              : !strcmp(c->verdict, "sai") ? "sai"
				                                                                           : "đúng một phần"));
			json_object_set_new(n, "text", json_string(c->decision_text ? c->decision_text : ""));
		}
		break;
	default:
		break;
	}
	json_object_set_new(n, "bases", bases);
}

enum err
cases_print(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *which_s = http_param(req, 1);
	enum notice which = N_RECEIPT;
	while (which < N_COUNT && strcmp(NOTICE_KEYS[which], which_s) != 0)
		which++;
	if (which == N_COUNT)
		return ERR_NOT_FOUND;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_case c;
	enum err e = app_case_get(&app->core, &ac, http_param(req, 0), &c);
	if (e)
		return e;
	const struct case_type *t = case_type_of(c.kind);
	struct app_case_event *ev = NULL, *hit = NULL, *submit = NULL;
	size_t nev = 0;
	if ((e = app_case_events(&app->core, &ac, c.code, &ev, &nev)) != ERR_OK) {
		app_case_free(&c);
		return e;
	}
	for (size_t i = 0; i < nev; i++) {
		if (!strcmp(ev[i].action, "submit"))
			submit = &ev[i];
		/* the extension of the resolution limit, not of the intake's */
		if (!strcmp(ev[i].action, NOTICE_EVENTS[which]) &&
		    (which != N_EXTEND || strcmp(ev[i].stage_from, "received") != 0))
			hit = &ev[i];
	}
	if (!hit && which == N_RECEIPT)
		hit = submit;
	const char *titles[N_COUNT] = {t->has_acceptance ? "Giấy biên nhận đơn" : "Phiếu tiếp nhận",
	                               t->accept_doc,
	                               t->reject_doc,
	                               c.kind == CASE_DENUNCIATION ? "Quyết định gia hạn giải quyết tố cáo"
	                                                           : "Thông báo kéo dài thời hạn giải quyết",
	                               t->decide_doc,
	                               "Phiếu chuyển đơn"};
	json_t *d = NULL, *n = NULL;
	if (!hit) {
		e = ERR_NOT_FOUND;
	} else if (!(d = web_print_data(req, titles[which], "", hit->at ? hit->at : c.received_at)) ||
	           !(n = json_object())) {
		e = ERR_NOMEM;
	}
	if (!e)
		e = add_recipient(app, &ac, &c, n);
	if (e) {
		json_decref(d);
		json_decref(n);
		free(ev);
		app_case_free(&c);
		return e;
	}
	char back[64];
	snprintf(back, sizeof back, "/don-thu/%s", c.code);
	json_object_set_new(d, "back", json_pack("{s:s,s:s}", "href", back, "label", "Trở lại đơn"));
	json_object_set_new(d, "notice", json_pack("{s:s,s:s}", "unit", which == N_RECEIPT ? "Bộ phận Tiếp công dân" : "",
	                                           "no", which == N_RECEIPT ? c.code : hit->doc_no));
	static const char *const flags[N_COUNT] = {"receipt", "accept", "reject", "extend", "decide", "forward"};
	json_object_set_new(n, flags[which], json_true());
	json_object_set_new(n, "title", json_string(titles[which]));
	json_object_set_new(n, "code", json_string(c.code));
	json_object_set_new(n, "kind", json_string(t->label));
	json_object_set_new(n, "subject", json_string(c.subject));
	json_object_set_new(n, "respondent", json_string(c.respondent));
	json_object_set_new(n, "papers", json_string(c.papers));
	json_object_set_new(n, "channel", json_string(app_case_channel_label(c.channel)));
	json_object_set_new(n, "received", words(c.received_at));
	json_object_set_new(n, "note", json_string(hit->note));
	char signer[256];
	desk_person_name(app, hit->actor, signer, sizeof signer);
	json_object_set_new(n, "signer", json_string(signer));
	json_object_set_new(n, "forwarded_to", json_string(c.forwarded_to));
	if (c.duplicate_of[0])
		json_object_set_new(n, "duplicate_of", json_string(c.duplicate_of));
	notice_body(app, which, &c, hit, n);
	free(ev);
	app_case_free(&c);
	json_object_set_new(d, "n", n);
	return web_print_render(req, resp, "cases_notice", d);
}
