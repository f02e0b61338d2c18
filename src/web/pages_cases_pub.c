/*
 * pages_cases_pub.c — the citizen's side of complaints, denunciations,
 * petitions and feedback (issue #14 items 2, 3, 6): the online form
 * (/gui-don), the receipt with the legal date of acceptance, following a
 * case with its code and full phone (/tra-cuu-don), "Đơn thư của tôi" for
 * a signed-in citizen, the published answers (/phan-anh-da-tra-loi) and
 * the statistics (/thong-ke-don).
 *
 * Thin: who may submit which kind, the identity a complaint needs, the
 * due dates, the lookup's guard and what may be public are all
 * src/app/cases.c's.  What this file adds is the one rule of the web
 * face: a complaint or denunciation sent online comes from a citizen
 * signed in with a one-time code (a proven phone or e-mail), which
 * becomes the sender's contact.  No page here ever names a staff member
 * or shows a sender to anyone but himself.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/cases.h"
#include "core/calendar.h"
#include "web/cases_pub.h"
#include "web/pagecache.h"
#include "web/web.h"

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

/* The kinds offered online, in the order a citizen meets them, with the
 * plain words that tell them apart. */
static const struct {
	enum case_kind kind;
	const char *title, *explain;
} offered[] = {
	{CASE_FEEDBACK, "Phản ánh, kiến nghị",
	 "Báo cho chính quyền xã một việc cần xử lý: đường hư hỏng, đèn không sáng, rác thải, lấn chiếm, thái độ "
	 "phục vụ… Không bắt buộc ghi tên."},
	{CASE_PETITION_REG, "Kiến nghị về quy định hành chính",
	 "Một quy định, thủ tục hành chính còn phiền hà, không hợp lý hoặc trái với quy định khác: ông/bà đề nghị sửa "
	 "đổi. Không bắt buộc ghi tên."},
	{CASE_SUGGESTION, "Góp ý",
	 "Ý kiến góp ý cho hoạt động của chính quyền xã. Không bắt buộc ghi tên."},
	{CASE_COMPLAINT_1, "Khiếu nại",
	 "Ông/bà cho rằng một quyết định hành chính hoặc việc làm của cơ quan, cán bộ là trái pháp luật, xâm phạm "
	 "quyền lợi của mình, và đề nghị xem xét lại. Phải ghi rõ họ tên, địa chỉ; cần đăng nhập bằng mã xác thực."},
	{CASE_COMPLAINT_2, "Khiếu nại lần hai",
	 "Ông/bà không đồng ý với quyết định giải quyết khiếu nại lần đầu, hoặc đã quá hạn mà khiếu nại chưa được "
	 "giải quyết. Cần đăng nhập bằng mã xác thực."},
	{CASE_DENUNCIATION, "Tố cáo",
	 "Báo cho cơ quan có thẩm quyền hành vi vi phạm pháp luật của cán bộ, cơ quan hay người khác. Phải ghi rõ họ "
	 "tên, địa chỉ; cần đăng nhập bằng mã xác thực. Họ tên, địa chỉ, bút tích của người tố cáo được giữ bí mật."},
};
#define NOFFERED (sizeof offered / sizeof offered[0])

static int
offered_at(const char *code)
{
	const struct case_type *t = case_type_by_code(code ? code : "");
	for (size_t i = 0; t && i < NOFFERED; i++)
		if (offered[i].kind == t->kind)
			return (int)i;
	return -1;
}

/* An instant for a page ("" when never). */
static json_t *
at_text(int64_t t)
{
	char b[40] = "";
	if (t)
		vn_fmt_datetime(t, b, sizeof b);
	return json_string(b);
}

/* The last day of a legal limit that ends at 24:00 ("" when none). */
static json_t *
due_text(int64_t due)
{
	char b[40] = "";
	if (due > 0)
		vn_fmt_date(due - 1, b, sizeof b);
	return json_string(b);
}

/* ---- the kinds, and the form of one ------------------------------------------ */

/* GET /gui-don: what each kind is, one link each. */
enum err
case_pub_kinds(struct http_req *req, struct http_resp *resp)
{
	json_t *kinds = json_array();
	for (size_t i = 0; i < NOFFERED; i++) {
		const struct case_type *t = case_type_of(offered[i].kind);
		json_array_append_new(kinds, json_pack("{s:s,s:s,s:s,s:b}", "code", t->code, "title", offered[i].title,
		                                       "explain", offered[i].explain, "identity", t->identity_required));
	}
	json_t *d = web_page_data(req, resp, "Gửi phản ánh, kiến nghị, khiếu nại, tố cáo");
	json_object_set_new(d, "kinds", kinds);
	return web_render(req, resp, "case_kinds", d);
}

/* The questions of a category, with what was answered (values from the
 * posted form, one field per question, a multivaluelist as checkboxes). */
static json_t *
questions(struct http_req *req, const struct app_case_category *k)
{
	json_t *qs = json_array();
	for (int j = 0; j < k->nattrs; j++) {
		char name[64];
		snprintf(name, sizeof name, "attr_%s", k->attrs[j].code);
		const char *dt = k->attrs[j].datatype;
		json_t *vals = json_array();
		for (int m = 0; m < k->attrs[j].nvals; m++) {
			int on = 0;
			for (size_t i = 0; i < req->form.n; i++)
				if (!req->form.v[i].filename && !strcmp(req->form.v[i].name, name) &&
				    !strcmp(req->form.v[i].value, k->attrs[j].vals[m].key))
					on = 1;
			json_array_append_new(vals, json_pack("{s:s,s:s,s:b,s:i}", "key", k->attrs[j].vals[m].key, "name",
			                                      k->attrs[j].vals[m].name, "on", on, "m", m));
		}
		json_array_append_new(qs, json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:o}", "field", name, "code",
		    k->attrs[j].code, "label", k->attrs[j].description, "required", k->attrs[j].required, "list",
		    !strcmp(dt, "singlevaluelist"), "multi", !strcmp(dt, "multivaluelist"), "long", !strcmp(dt, "text"),
		    "vals", vals));
		json_object_set_new(json_array_get(qs, json_array_size(qs) - 1), "value", json_string(fv(req, name)));
	}
	return qs;
}

/* A fresh key that makes a resent form return the first case. */
static void
new_key(char key[40])
{
	unsigned char r[12];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(key, 40, r, sizeof r);
}

/* The form of kind t; the category from the post or ?linh-vuc=. */
static enum err
form_page(struct http_req *req, struct http_resp *resp, int status, const struct app_fail *f)
{
	struct web_app *app = req->app;
	int at = offered_at(http_param(req, 0));
	if (at < 0)
		return ERR_NOT_FOUND;
	const struct case_type *t = case_type_of(offered[at].kind);
	struct actor ac;
	char contact[256] = "";
	int signed_in = web_citizen(req, &ac, contact, sizeof contact) == ERR_OK;
	struct app_case_category *cats = NULL;
	size_t ncats = 0;
	enum err e = app_case_categories(&app->core, &cats, &ncats);
	if (e)
		return e;
	const char *picked = form_get(&req->form, "linh_vuc");
	if (!picked)
		picked = form_get(&req->query, "linh-vuc");
	if (!picked)
		picked = "";
	json_t *clist = json_array(), *qs = json_array();
	for (size_t i = 0; i < ncats; i++) {
		if (strcmp(cats[i].kind, t->code) != 0)
			continue;
		int on = !strcmp(picked, cats[i].code);
		json_array_append_new(clist, json_pack("{s:s,s:s,s:s,s:b}", "code", cats[i].code, "name", cats[i].name,
		                                       "description", cats[i].description, "on", on));
		if (on) {
			json_decref(qs);
			qs = questions(req, &cats[i]);
		}
	}
	free(cats);
	char key[40];
	snprintf(key, sizeof key, "%s", fv(req, "submission"));
	if (!key[0] || strlen(key) != 24)
		new_key(key);
	int is_mail = strchr(contact, '@') != NULL;
	json_t *d = web_page_data(req, resp, offered[at].title);
	json_object_set_new(d, "k", json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:b}", "code", t->code, "title",
	    offered[at].title, "explain", offered[at].explain, "identity", t->identity_required, "anonymous",
	    t->anonymous_allowed, "respondent", t->identity_required, "denunciation", t->kind == CASE_DENUNCIATION,
	    "second", t->kind == CASE_COMPLAINT_2, "signed_in", signed_in));
	json_object_set_new(d, "categories", clist);
	json_object_set_new(d, "questions", qs);
	json_object_set_new(d, "contact", json_pack("{s:s,s:b}", "value", contact, "mail", is_mail));
	json_object_set_new(d, "form", json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}",
	    "category", picked, "subject", fv(req, "tieu_de"), "content", fv(req, "noi_dung"), "respondent",
	    fv(req, "doi_tuong"), "place", fv(req, "dia_diem"), "parent", fv(req, "ma_don_truoc"), "name",
	    fv(req, "ho_ten"), "address", fv(req, "dia_chi"), "phone", fv(req, "dien_thoai"), "email",
	    fv(req, "thu_dien_tu"), "submission", key, "anonymous", *fv(req, "an_danh") != '\0'));
	json_object_set_new(d, "id_number", json_string(fv(req, "so_dinh_danh")));
	json_object_set_new(d, "action", json_string(signed_in ? "/cong-dan/gui-don/" : "/gui-don/"));
	if (!signed_in) {
		struct buf next = BUF_INIT;
		buf_puts(&next, "/cong-dan/dang-nhap?next=");
		struct buf target = BUF_INIT;
		buf_printf(&target, "/gui-don/%s", t->code);
		web_urlencode(&next, buf_str(&target));
		json_object_set_new(d, t->identity_required ? "signin" : "signin_files", json_string(buf_str(&next)));
		buf_free(&next);
		buf_free(&target);
	}
	if (f && f->msg[0])
		json_object_set_new(d, "error", json_pack("{s:s,s:s}", "message", f->msg, "field", f->field));
	resp->status = status;
	http_resp_header(resp, "Cache-Control", "no-store");
	return web_render(req, resp, "case_form", d);
}

/* GET /gui-don/{kind}[?linh-vuc=CODE] */
enum err
case_pub_form(struct http_req *req, struct http_resp *resp)
{
	return form_page(req, resp, 200, NULL);
}

/* The answers to the category's questions: each "attr_<code>" field, the
 * values of a repeated one joined by "\n" (a multivaluelist). */
struct answers {
	struct app_case_attr a[APP_CASE_ATTRS];
	struct buf v[APP_CASE_ATTRS];
	char code[APP_CASE_ATTRS][48];
	size_t n;
};

static int
read_answers(struct http_req *req, struct answers *s)
{
	for (size_t i = 0; i < req->form.n; i++) {
		const struct form_field *ff = &req->form.v[i];
		if (ff->filename || strncmp(ff->name, "attr_", 5) != 0 || !ff->value[0])
			continue;
		const char *code = ff->name + 5;
		size_t k = 0;
		while (k < s->n && strcmp(s->code[k], code) != 0)
			k++;
		if (k == s->n) {
			if (s->n == APP_CASE_ATTRS || strlen(code) >= sizeof s->code[0])
				return -1;
			snprintf(s->code[k], sizeof s->code[k], "%s", code);
			s->v[k] = (struct buf)BUF_INIT;
			s->n++;
		} else {
			buf_putc(&s->v[k], '\n');
		}
		buf_puts(&s->v[k], ff->value);
	}
	for (size_t k = 0; k < s->n; k++)
		s->a[k] = (struct app_case_attr){s->code[k], buf_str(&s->v[k])};
	return 0;
}

static void
answers_free(struct answers *s)
{
	for (size_t k = 0; k < s->n; k++)
		buf_free(&s->v[k]);
}

/* The receipt: the code, how to follow the case, and for a complaint or
 * denunciation the day by which the sender hears whether it is accepted,
 * with the article that sets it. */
static enum err
receipt_page(struct http_req *req, struct http_resp *resp, const struct app_case_brief *b, int followable)
{
	const struct case_type *t = case_type_of(b->kind);
	const struct case_limit *l = case_limit_at(b->kind, CASE_ST_RECEIVED);
	json_t *d = web_page_data(req, resp, "Đã nhận đơn");
	json_t *r = json_pack("{s:s,s:s,s:o,s:o,s:b,s:b,s:s}", "code", b->code, "kind", t->label, "received",
	                      at_text(b->received_at), "due", due_text(b->due_at), "acceptance", t->has_acceptance,
	                      "followable", followable, "duplicate_of", b->duplicate_of);
	if (l && b->due_at > 0)
		json_object_set_new(r, "limit", json_pack("{s:s,s:s,s:b}", "what", l->what, "cite", l->cite, "agency",
		                                          l->agency_set));
	json_object_set_new(d, "r", r);
	http_resp_header(resp, "Cache-Control", "no-store");
	return web_render(req, resp, "case_receipt", d);
}

/* POST /gui-don/{kind} (multipart): the case, then its receipt. */
enum err
case_pub_submit(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int at = offered_at(http_param(req, 0));
	if (at < 0)
		return ERR_NOT_FOUND;
	const struct case_type *t = case_type_of(offered[at].kind);
	struct actor ac;
	char contact[256] = "";
	int signed_in = web_citizen(req, &ac, contact, sizeof contact) == ERR_OK;
	struct app_fail f = {"", ""};
	if (t->identity_required && !signed_in) {
		app_fail(&f, ERR_UNAUTHENTICATED, "signin",
		         "Đơn khiếu nại, tố cáo gửi trực tuyến cần xác thực người gửi: vui lòng đăng nhập bằng mã gửi "
		         "qua điện thoại trước khi gửi đơn.");
		return form_page(req, resp, 401, &f);
	}
	if (!signed_in)
		web_actor_of(req, &ac);
	struct app_case_file_in files[CASE_PUB_FILES];
	size_t nf = 0;
	for (size_t i = 0; i < req->form.n; i++) {
		const struct form_field *ff = &req->form.v[i];
		if (!ff->filename || strcmp(ff->name, "tep") != 0 || !ff->value_len)
			continue;
		if (nf == CASE_PUB_FILES) {
			app_fail(&f, ERR_INVALID_FIELD, "files", "Tối đa 3 tệp đính kèm.");
			return form_page(req, resp, 400, &f);
		}
		files[nf++] = (struct app_case_file_in){ff->value, ff->value_len, ff->filename};
	}
	struct answers ans = {.n = 0};
	if (read_answers(req, &ans) != 0) {
		answers_free(&ans);
		app_fail(&f, ERR_INVALID_FIELD, "attribute", "Quá nhiều câu trả lời bổ sung.");
		return form_page(req, resp, 400, &f);
	}
	int anonymous = t->anonymous_allowed && *fv(req, "an_danh");
	struct app_case_in in = {
	    .kind = t->kind,
	    .channel = APP_CASE_ONLINE,
	    .category = fv(req, "linh_vuc"),
	    .subject = fv(req, "tieu_de"),
	    .content = fv(req, "noi_dung"),
	    .respondent = fv(req, "doi_tuong"),
	    .address = fv(req, "dia_diem"),
	    .parent_code = *fv(req, "ma_don_truoc") ? fv(req, "ma_don_truoc") : NULL,
	    .anonymous = anonymous,
	    .files = files,
	    .nfiles = nf,
	    .attrs = ans.a,
	    .nattrs = ans.n,
	    .key = *fv(req, "submission") ? fv(req, "submission") : NULL,
	};
	snprintf(in.party.name, sizeof in.party.name, "%s", fv(req, "ho_ten"));
	snprintf(in.party.address, sizeof in.party.address, "%s", fv(req, "dia_chi"));
	snprintf(in.party.id_number, sizeof in.party.id_number, "%s", fv(req, "so_dinh_danh"));
	if (t->identity_required) {
		/* the proven contact is the sender's: the code went there (a
		 * contact too long for the case's fields is never cut: refused) */
		int mail = strchr(contact, '@') != NULL;
		size_t room = mail ? sizeof in.party.email : sizeof in.party.phone;
		if (strlen(contact) >= room) {
			answers_free(&ans);
			app_fail(&f, ERR_INVALID_FIELD, "party", "Thư điện tử đăng nhập quá dài để ghi vào đơn.");
			return form_page(req, resp, 400, &f);
		}
		snprintf(mail ? in.party.email : in.party.phone, room, "%.*s", (int)room - 1, contact);
	} else {
		snprintf(in.party.phone, sizeof in.party.phone, "%s", fv(req, "dien_thoai"));
		snprintf(in.party.email, sizeof in.party.email, "%s", fv(req, "thu_dien_tu"));
	}
	if (strlen(fv(req, "ho_ten")) >= sizeof in.party.name || strlen(fv(req, "dia_chi")) >= sizeof in.party.address ||
	    strlen(fv(req, "so_dinh_danh")) >= sizeof in.party.id_number ||
	    strlen(fv(req, "dien_thoai")) >= sizeof in.party.phone ||
	    strlen(fv(req, "thu_dien_tu")) >= sizeof in.party.email) {
		answers_free(&ans);
		app_fail(&f, ERR_INVALID_FIELD, "party", "Thông tin người gửi quá dài.");
		return form_page(req, resp, 400, &f);
	}
	struct app_case_brief b;
	enum err e = app_case_submit(&app->core, &ac, &in, &b, &f);
	answers_free(&ans);
	int followable = !anonymous && in.party.phone[0];
	sodium_memzero(&in.party, sizeof in.party);
	if (e && f.msg[0])
		return form_page(req, resp, err_status(e), &f);
	if (e)
		return e;
	return receipt_page(req, resp, &b, followable);
}

/* ---- following a case ----------------------------------------------------------- */

/* What the sender sees of his case: stage, dates, the reason of a refusal
 * or forwarding, the published answer; never who handles it. */
static json_t *
public_view(const struct app_case_public *p)
{
	const struct case_type *t = case_type_of(p->kind);
	int final = case_stage_final(p->stage);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:o}", "code", p->code, "kind", t->label,
	                 "stage", case_stage_label(p->kind, p->stage), "category", p->category_name, "subject",
	                 p->subject, "received", at_text(p->received_at), "accepted", at_text(p->accepted_at),
	                 "decided", at_text(p->decided_at), "closed", at_text(p->closed_at), "due",
	                 due_text(final ? 0 : p->due_at), "reason", p->reason, "answer",
	                 p->public_answer ? p->public_answer : "", "published", at_text(p->published_at));
}

static enum err
lookup_page(struct http_req *req, struct http_resp *resp, int run)
{
	struct web_app *app = req->app;
	const char *code = run ? fv(req, "ma") : form_get(&req->query, "ma");
	char c[72];
	snprintf(c, sizeof c, "%.60s", code ? code : "");
	json_t *d = web_page_data(req, resp, "Theo dõi đơn");
	json_object_set_new(d, "s", json_pack("{s:s}", "ma", c));
	if (run) {
		struct app_case_public p;
		enum err e = app_case_lookup(&app->core, req->client, fv(req, "ma"), fv(req, "dien_thoai"), &p);
		if (e == ERR_MISSING_FIELD) {
			json_object_set_new(d, "error", json_string("Vui lòng nhập cả mã đơn và số điện thoại người gửi."));
			resp->status = 400;
		} else if (e == ERR_LOOKUP_THROTTLED) {
			json_object_set_new(d, "error", json_string(err_message(ERR_LOOKUP_THROTTLED)));
			resp->status = 429;
		} else if (e == ERR_NOT_FOUND) {
			/* the same words for an unknown code and a wrong phone */
			json_object_set_new(d, "not_found", json_true());
			resp->status = 404;
		} else if (e) {
			json_decref(d);
			return e;
		} else {
			json_object_set_new(d, "found", public_view(&p));
			app_case_public_free(&p);
		}
	}
	http_resp_header(resp, "Cache-Control", "no-store");
	return web_render(req, resp, "case_lookup", d);
}

/* GET /tra-cuu-don[?ma=CODE] */
enum err
case_pub_lookup(struct http_req *req, struct http_resp *resp)
{
	return lookup_page(req, resp, 0);
}

/* POST /tra-cuu-don: code and full phone (never in a URL). */
enum err
case_pub_lookup_post(struct http_req *req, struct http_resp *resp)
{
	return lookup_page(req, resp, 1);
}

/* GET /cong-dan/don-thu: the cases the signed-in citizen sent. */
enum err
case_pub_mine(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	if (web_citizen(req, &ac, NULL, 0) != ERR_OK)
		return ERR_UNAUTHENTICATED;
	struct app_case_row *rows;
	size_t n;
	enum err e = app_case_mine(&app->core, &ac, &rows, &n);
	if (e)
		return e;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:o}", "code", rows[i].code, "kind",
		    case_type_of(rows[i].kind)->short_label, "subject", rows[i].subject, "stage",
		    case_stage_label(rows[i].kind, rows[i].stage), "received", at_text(rows[i].received_at)));
	free(rows);
	json_t *d = web_page_data(req, resp, "Đơn thư của tôi");
	json_object_set_new(d, "cases", list);
	http_resp_header(resp, "Cache-Control", "private, no-store");
	return web_render(req, resp, "citizen_cases", d);
}

/* GET /cong-dan/don-thu/{code}: one of his cases, its steps (when, what;
 * never who), the decision or answer addressed to him. */
enum err
case_pub_mine_one(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	if (web_citizen(req, &ac, NULL, 0) != ERR_OK)
		return ERR_UNAUTHENTICATED;
	struct app_case c;
	enum err e = app_case_get(&app->core, &ac, http_param(req, 0), &c);
	if (e)
		return e;
	struct app_case_event *ev = NULL;
	size_t nev = 0;
	if ((e = app_case_events(&app->core, &ac, c.code, &ev, &nev))) {
		app_case_free(&c);
		return e;
	}
	json_t *steps = json_array();
	for (size_t i = 0; i < nev; i++)
		json_array_append_new(steps, json_pack("{s:o,s:s}", "at", at_text(ev[i].at), "step",
		                                       ev[i].action_label[0] ? ev[i].action_label : "Tiếp nhận đơn"));
	free(ev);
	int final = case_stage_final(c.stage);
	char reason[1500] = "";
	if (c.stage == CASE_ST_FORWARDED)
		snprintf(reason, sizeof reason, "Đã chuyển đến: %.300s. %.1000s", c.forwarded_to, c.reason);
	else if (c.stage == CASE_ST_NOT_ACCEPTED || c.stage == CASE_ST_MERGED || c.stage == CASE_ST_WITHDRAWN)
		snprintf(reason, sizeof reason, "%s", c.reason);
	json_t *v = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:s,s:o,s:o}", "code", c.code, "kind",
	    case_type_of(c.kind)->label, "stage", case_stage_label(c.kind, c.stage), "category", c.category_name,
	    "subject", c.subject, "content", c.content ? c.content : "", "received", at_text(c.received_at), "due",
	    due_text(final ? 0 : c.due_at), "decided", at_text(c.decided_at), "reason", reason, "decision",
	    c.decided_at && c.decision_text ? c.decision_text : "", "answer", c.public_answer ? c.public_answer : "",
	    "published", at_text(c.published_at), "steps", steps);
	app_case_free(&c);
	json_t *d = web_page_data(req, resp, "Đơn thư của tôi");
	json_object_set_new(d, "c", v);
	http_resp_header(resp, "Cache-Control", "private, no-store");
	return web_render(req, resp, "citizen_case", d);
}

/* ---- the published answers -------------------------------------------------------- */

#define ANSWERS_PAGE 20

static enum err
render_answers(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	long page = 1;
	const char *tp = form_get(&req->query, "trang");
	if (tp && web_parse_int(tp, 1, 10000, &page) != 0)
		return ERR_NOT_FOUND;
	struct app_case_public_filter flt = {.published_only = 1, .offset = (int)(page - 1) * ANSWERS_PAGE,
	                                     .limit = ANSWERS_PAGE};
	struct app_case_public *l;
	size_t n, total;
	enum err e = app_case_public_list(&app->core, &flt, &l, &n, &total);
	if (e)
		return e;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:o}", "code", l[i].code, "subject", l[i].subject,
		                                       "category", l[i].category_name, "published",
		                                       at_text(l[i].published_at)));
	app_case_public_list_free(l, n);
	json_t *d = web_page_data(req, resp, "Phản ánh, kiến nghị đã trả lời");
	json_object_set_new(d, "items", items);
	json_object_set_new(d, "total", json_integer((json_int_t)total));
	if (page > 1)
		json_object_set_new(d, "prev", json_integer(page - 1));
	if ((size_t)page * ANSWERS_PAGE < total)
		json_object_set_new(d, "next", json_integer(page + 1));
	return web_render(req, resp, "case_answers", d);
}

/* GET /phan-anh-da-tra-loi[?trang=N] (the public page cache) */
enum err
case_pub_answers(struct http_req *req, struct http_resp *resp)
{
	return web_cached(req, resp, render_answers);
}

static enum err
render_answer(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct app_case_public p;
	enum err e = app_case_public_get(&app->core, http_param(req, 0), &p);
	if (e)
		return e;
	if (!p.published_at) {
		app_case_public_free(&p);
		return ERR_NOT_FOUND;
	}
	json_t *d = web_page_data(req, resp, p.subject);
	json_object_set_new(d, "a", json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s}", "code", p.code, "kind",
	    case_type_of(p.kind)->label, "subject", p.subject, "category", p.category_name, "stage",
	    case_stage_label(p.kind, p.stage), "received", at_text(p.received_at), "published",
	    at_text(p.published_at), "answer", p.public_answer));
	app_case_public_free(&p);
	return web_render(req, resp, "case_answer", d);
}

/* GET /phan-anh-da-tra-loi/{code} */
enum err
case_pub_answer(struct http_req *req, struct http_resp *resp)
{
	return web_cached(req, resp, render_answer);
}

/* ---- statistics ------------------------------------------------------------------- */

static json_t *
stats_table(struct app *a, const char *by, const char *id, int64_t from, int64_t to, enum err *e)
{
	struct app_case_stats_row *rows;
	size_t n;
	if ((*e = app_case_stats(a, by, from, to, &rows, &n)))
		return NULL;
	json_t *list = json_array();
	long sum[7] = {0};
	for (size_t i = 0; i < n; i++) {
		const struct app_case_stats_row *r = &rows[i];
		long v[7] = {r->received, r->finished, r->on_time, r->late, r->open, r->overdue_open, r->duplicates};
		for (int k = 0; k < 7; k++)
			sum[k] += v[k];
		json_array_append_new(list, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "label", r->label, "received",
		    (json_int_t)v[0], "finished", (json_int_t)v[1], "on_time", (json_int_t)v[2], "late", (json_int_t)v[3],
		    "open", (json_int_t)v[4], "overdue", (json_int_t)v[5], "duplicates", (json_int_t)v[6]));
	}
	free(rows);
	return json_pack("{s:s,s:o,s:b,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I}}", "id", id, "rows", list, "any", n > 0, "sum", "received",
	                 (json_int_t)sum[0], "finished", (json_int_t)sum[1], "on_time", (json_int_t)sum[2], "late",
	                 (json_int_t)sum[3], "open", (json_int_t)sum[4], "overdue", (json_int_t)sum[5], "duplicates",
	                 (json_int_t)sum[6]);
}

/* GET /thong-ke-don[?nam=YYYY[&thang=M]]: received in the period, by kind
 * and by field; duplicates counted apart. */
enum err
case_pub_stats(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int y, m, dd;
	cal_ymd(vn_day((int64_t)time(NULL)), &y, &m, &dd);
	long year = y, month = 0;
	const char *ys = form_get(&req->query, "nam"), *ms = form_get(&req->query, "thang");
	int bad = (ys && *ys && web_parse_int(ys, 2000, 2100, &year) != 0) ||
	          (ms && *ms && web_parse_int(ms, 1, 12, &month) != 0);
	if (bad)
		year = y, month = 0;
	cal_day d0 = cal_day_from_ymd((int)year, month ? (int)month : 1, 1);
	cal_day d1 = month == 12 || !month ? cal_day_from_ymd((int)year + 1, 1, 1)
	                                   : cal_day_from_ymd((int)year, (int)month + 1, 1);
	int64_t from = vn_instant(d0, 0), to = vn_instant(d1, 0);
	enum err e = ERR_OK;
	json_t *by_kind = stats_table(&app->core, "kind", "tk-loai", from, to, &e);
	json_t *by_cat = e ? NULL : stats_table(&app->core, "category", "tk-linh-vuc", from, to, &e);
	if (e) {
		json_decref(by_kind);
		return e;
	}
	json_t *months = json_array();
	for (int k = 0; k <= 12; k++)
	{
		char lbl[24];
		if (k)
			snprintf(lbl, sizeof lbl, "Tháng %d", k);
		else
			snprintf(lbl, sizeof lbl, "Cả năm");
		json_array_append_new(months, json_pack("{s:i,s:s,s:b}", "m", k, "label", lbl, "on", k == month));
	}
	char period[40];
	if (month)
		snprintf(period, sizeof period, "tháng %ld/%ld", month, year);
	else
		snprintf(period, sizeof period, "năm %ld", year);
	json_t *d = web_page_data(req, resp, "Thống kê tiếp nhận, giải quyết đơn");
	json_object_set_new(d, "by_kind", by_kind);
	json_object_set_new(d, "by_category", by_cat);
	json_object_set_new(d, "q", json_pack("{s:I,s:s,s:o}", "year", (json_int_t)year, "period", period, "months",
	                                      months));
	if (bad) {
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "error", "message",
		                                          "Năm hoặc tháng không hợp lệ; đang hiển thị năm nay."));
		resp->status = 400;
	}
	return web_render(req, resp, "case_stats", d);
}
