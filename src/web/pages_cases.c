/*
 * pages_cases.c — the staff's work screens of complaints, denunciations,
 * petitions and feedback (issue #14 item 5): the queues (/don-thu) by
 * stage group, "mine", overdue and due soon with their counts; the case
 * page (/don-thu/{code}) with the running legal limit and its article,
 * the sender (only to whom app_case_party_visible allows: a denouncer's
 * identity is for the handler and the deciding leader alone), files,
 * timeline and one form per action the service allows now; the forms'
 * posts; a file read back.  Every decision is the service's
 * (src/app/cases.h); this file reads forms and prints views.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/cases.h"
#include "core/roles.h"
#include "core/vntime.h"
#include "web/cases_web.h"
#include "web/desk.h"
#include "web/web.h"

static const char *
qv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->query, name);
	return v ? v : "";
}

static const char *
opt(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v && *v ? v : NULL;
}

json_t *
case_due_view(int64_t due, int overdue, int64_t now)
{
	if (!due)
		return json_null();
	/* a limit ends at 24:00 of its last day: that day is the one printed */
	char date[32], words[64];
	vn_fmt_date(due - 1, date, sizeof date);
	long days = (long)(vn_day(due - 1) - vn_day(now));
	int late = overdue || due <= now;
	if (late)
		snprintf(words, sizeof words, "quá hạn %ld ngày", days < 0 ? -days : 1);
	else if (days == 0)
		snprintf(words, sizeof words, "hạn hôm nay");
	else
		snprintf(words, sizeof words, "còn %ld ngày", days);
	return json_pack("{s:s,s:s,s:b}", "date", date, "words", words, "late", late);
}

json_t *
case_limit_view(struct web_app *app, enum case_kind kind, enum case_stage stage)
{
	const struct case_limit *l = case_limit_at(kind, stage);
	if (!l)
		return json_null();
	char span[160];
	const char *unit = l->unit == CASE_WORKING_DAYS ? "ngày làm việc" : "ngày";
	if (l->agency_set)
		snprintf(span, sizeof span, "%d ngày làm việc (thời hạn do cơ quan quy định)", app_case_answer_days(&app->core));
	else if (l->complex_days)
		snprintf(span, sizeof span, "%d %s; vụ việc phức tạp: %d %s", l->days, unit, l->complex_days, unit);
	else
		snprintf(span, sizeof span, "%d %s", l->days, unit);
	return json_pack("{s:s,s:s,s:s,s:s}", "what", l->what, "cite", l->cite, "note", l->note ? l->note : "", "span",
	                 span);
}

/* ---- the queues ------------------------------------------------------------ */

/* The tabs: a stage group, or a cut across the open cases. */
static const struct tab {
	const char *key, *label;
	int nst, stages[5];     /* stage -1: every open stage */
	int mine, overdue, due_soon, ended;
} TABS[] = {
	{"cua-toi", "Của tôi", 1, {-1}, 1, 0, 0, 0},
	{"cho-thu-ly", "Chờ thụ lý / phân loại", 1, {CASE_ST_RECEIVED}, 0, 0, 0, 0},
	{"dang-giai-quyet", "Đang giải quyết", 3, {CASE_ST_ACCEPTED, CASE_ST_VERIFYING, CASE_ST_DIALOGUE}, 0, 0, 0, 0},
	{"cho-gui", "Chờ gửi, công khai", 1, {CASE_ST_DECIDED}, 0, 0, 0, 0},
	{"ket-thuc", "Đã kết thúc", 5,
	 {CASE_ST_CLOSED, CASE_ST_NOT_ACCEPTED, CASE_ST_FORWARDED, CASE_ST_WITHDRAWN, CASE_ST_MERGED}, 0, 0, 0, 1},
	{"qua-han", "Quá hạn", 1, {-1}, 0, 1, 0, 0},
	{"sap-den-han", "Sắp đến hạn", 1, {-1}, 0, 0, 1, 0},
};
#define NTABS (sizeof TABS / sizeof TABS[0])
#define QUEUE_MAX 100

static int
row_due_cmp(const void *x, const void *y)
{
	const struct app_case_row *a = x, *b = y;
	if (!a->due_at != !b->due_at)
		return a->due_at ? -1 : 1;
	return a->due_at < b->due_at ? -1 : a->due_at > b->due_at ? 1 : strcmp(a->code, b->code);
}

static int
row_updated_cmp(const void *x, const void *y)
{
	const struct app_case_row *a = x, *b = y;
	return a->updated_at > b->updated_at ? -1 : a->updated_at < b->updated_at ? 1 : strcmp(b->code, a->code);
}

/* The tab's rows (malloc'd) and how many there are in all. */
static enum err
tab_rows(struct web_app *app, const struct actor *ac, const struct tab *t, int kind, const char *q,
         struct app_case_row **out, size_t *n, size_t *total)
{
	*out = NULL;
	*n = *total = 0;
	for (int i = 0; i < t->nst; i++) {
		struct app_case_filter f = {.kind = kind, .stage = t->stages[i], .mine = t->mine, .overdue = t->overdue,
		                            .due_soon = t->due_soon, .q = q, .limit = QUEUE_MAX,
		                            .order = t->ended ? "updated" : "due"};
		struct app_case_row *r;
		size_t rn, rt;
		enum err e = app_case_list(&app->core, ac, &f, &r, &rn, &rt);
		if (e) {
			free(*out);
			*out = NULL;
			return e;
		}
		struct app_case_row *m = realloc(*out, (*n + rn + 1) * sizeof *m);
		if (!m) {
			free(r);
			free(*out);
			*out = NULL;
			return ERR_NOMEM;
		}
		memcpy(m + *n, r, rn * sizeof *r);
		free(r);
		*out = m;
		*n += rn;
		*total += rt;
	}
	if (t->due_soon) {
		/* the store counts the overdue cases among those due before the
		 * horizon; the rows left them out, so does the count */
		struct app_case_filter f = {.kind = kind, .stage = -1, .overdue = 1, .q = q, .limit = 1};
		struct app_case_row *r;
		size_t rn, late = 0;
		if (app_case_list(&app->core, ac, &f, &r, &rn, &late) == ERR_OK)
			free(r);
		*total = *total > late ? *total - late : 0;
	}
	if (*n)
		qsort(*out, *n, sizeof **out, t->ended ? row_updated_cmp : row_due_cmp);
	if (*n > QUEUE_MAX)
		*n = QUEUE_MAX;
	return ERR_OK;
}

static json_t *
row_view(const struct app_case_row *r, int64_t now)
{
	const struct case_type *t = case_type_of(r->kind);
	char received[32], href[64];
	vn_fmt_date(r->received_at, received, sizeof received);
	snprintf(href, sizeof href, "/don-thu/%s", r->code);
	int open = !case_stage_final(r->stage);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s}", "code", r->code, "href", href, "kind",
	                 t ? t->label : "", "subject", r->subject, "received", received, "stage",
	                 case_stage_label(r->kind, r->stage), "due",
	                 open ? case_due_view(r->due_at, r->overdue, now) : json_null(), "handler", r->handler_name);
}

/* "3 đơn sắp đến hạn, 1 đơn quá hạn" over every open case the actor reads. */
static void
add_banner(struct web_app *app, const struct actor *ac, json_t *d)
{
	size_t n, overdue = 0, soon = 0;
	struct app_case_row *r;
	struct app_case_filter f = {.kind = -1, .stage = -1, .overdue = 1, .limit = 1};
	if (app_case_list(&app->core, ac, &f, &r, &n, &overdue) == ERR_OK)
		free(r);
	f = (struct app_case_filter){.kind = -1, .stage = -1, .due_soon = 1, .limit = 1};
	size_t all = 0;
	if (app_case_list(&app->core, ac, &f, &r, &n, &all) == ERR_OK)
		free(r);
	/* the store counts the overdue ones among those due before the horizon */
	soon = all > overdue ? all - overdue : 0;
	if (!soon && !overdue)
		return;
	json_object_set_new(d, "banner", json_pack("{s:I,s:I}", "soon", (json_int_t)soon, "overdue", (json_int_t)overdue));
}

enum err
cases_home(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct web_user *wu = web_user(req);
	struct actor ac;
	web_actor_of(req, &ac);
	const char *key = qv(req, "hang"), *q = qv(req, "q"), *kind = qv(req, "loai");
	if (!*key)
		key = wu->role & (ROLE_OFFICER | ROLE_LEADER) ? "cua-toi" : "cho-thu-ly";
	size_t ti = 0;
	while (ti < NTABS && strcmp(TABS[ti].key, key) != 0)
		ti++;
	if (ti == NTABS)
		return ERR_NOT_FOUND;
	int k = -1;
	char err[200] = "";
	if (*kind) {
		const struct case_type *t = case_type_by_code(kind);
		if (t)
			k = (int)t->kind;
		else
			snprintf(err, sizeof err, "Loại đơn không hợp lệ.");
	}
	if (strlen(q) > 200)
		snprintf(err, sizeof err, "Từ khóa tìm kiếm tối đa 200 ký tự.");
	struct app_case_row *rows = NULL;
	size_t n = 0, total = 0;
	enum err e = err[0] ? ERR_OK : tab_rows(app, &ac, &TABS[ti], k, q, &rows, &n, &total);
	if (e)
		return e;
	json_t *d = web_page_data(req, resp, "Đơn thư");
	if (!d) {
		free(rows);
		return ERR_NOMEM;
	}
	int64_t now = (int64_t)time(NULL);
	json_t *a = json_array(), *tabs = json_array(), *kinds = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, row_view(&rows[i], now));
	free(rows);
	for (size_t i = 0; i < NTABS; i++) {
		struct buf href = BUF_INIT;
		buf_printf(&href, "/don-thu?hang=%s", TABS[i].key);
		if (k >= 0)
			buf_printf(&href, "&loai=%s", case_type_of((enum case_kind)k)->code);
		if (*q) {
			buf_puts(&href, "&q=");
			web_urlencode(&href, q);
		}
		json_array_append_new(tabs, json_pack("{s:s,s:s,s:b}", "href", href.oom ? "/don-thu" : buf_str(&href),
		                                      "label", TABS[i].label, "current", i == ti));
		buf_free(&href);
	}
	for (int i = 0; i < CASE_NKINDS; i++) {
		const struct case_type *t = case_type_of((enum case_kind)i);
		json_array_append_new(kinds, json_pack("{s:s,s:s,s:b}", "code", t->code, "label", t->label, "selected", i == k));
	}
	json_object_set_new(d, "rows", a);
	json_object_set_new(d, "tabs", tabs);
	json_object_set_new(d, "kinds", kinds);
	json_object_set_new(d, "tab", json_pack("{s:s,s:s}", "key", TABS[ti].key, "label", TABS[ti].label));
	json_object_set_new(d, "q", json_string(q));
	json_object_set_new(d, "total", json_integer((json_int_t)total));
	json_object_set_new(d, "more", json_boolean(total > n));
	json_object_set_new(d, "can_receive", json_boolean(wu->role & (ROLE_CLERK | ROLE_OFFICER | ROLE_LEADER)));
	add_banner(app, &ac, d);
	if (err[0]) {
		json_object_set_new(d, "error", json_string(err));
		resp->status = 400;
	}
	return web_render(req, resp, "cases", d);
}

/* ---- the case page --------------------------------------------------------- */

static const char *
done_message(const char *ok)
{
	static const struct {
		const char *key, *msg;
	} t[] = {
	    {"resent", "Biểu mẫu này đã được gửi trước đó; không tạo đơn trùng. Đây là đơn đã tiếp nhận."},
	    {"assign", "Đã giao người xử lý."},
	    {"accept", "Đã thụ lý. In thông báo (quyết định) thụ lý bên dưới."},
	    {"reject", "Đã ghi không thụ lý. In thông báo không thụ lý, có lý do, cho người gửi."},
	    {"forward", "Đã chuyển đơn. In phiếu chuyển đơn bên dưới."},
	    {"verify", "Đã chuyển sang xác minh."},
	    {"dialogue", "Đã ghi nhận buổi đối thoại."},
	    {"extend", "Đã gia hạn; thời hạn mới ở trên."},
	    {"decide", "Đã ban hành. In văn bản bên dưới và gửi cho người gửi đơn."},
	    {"publish", "Đã công khai kết quả (không có thông tin cá nhân)."},
	    {"close", "Đã kết thúc đơn."},
	    {"withdraw", "Đã ghi rút đơn."},
	    {"merge", "Đã gộp vào đơn trùng."},
	    {"note", "Đã ghi chú."},
	    {"attach", "Đã đính kèm tệp."},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(ok, t[i].key))
			return t[i].msg;
	return NULL;
}

static const char *
verdict_label(const char *v)
{
	return !strcmp(v, "dung") ? "Đúng" : !strcmp(v, "dung-mot-phan") ? "Đúng một phần" : !strcmp(v, "sai") ? "Sai" : "";
}

static void
set_time(json_t *o, const char *key, int64_t t)
{
	char b[40];
	if (!t)
		return;
	vn_fmt_datetime(t, b, sizeof b);
	json_object_set_new(o, key, json_string(b));
}

/* What the page prints about a case (never its sender). */
static json_t *
case_view(struct web_app *app, const struct app_case *c, int64_t now)
{
	const struct case_type *t = case_type_of(c->kind);
	char href[64];
	snprintf(href, sizeof href, "/don-thu/%s", c->code);
	int open = !case_stage_final(c->stage);
	json_t *v = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:b,s:b}", "code", c->code, "href",
	    href, "kind", t->label, "kind_code", t->code, "law", t->cite, "stage", case_stage_label(c->kind, c->stage),
	    "channel", app_case_channel_label(c->channel), "subject", c->subject, "content", c->content ? c->content : "",
	    "respondent", c->respondent, "papers", c->papers, "address", c->address, "version", c->version,
	    "open", open, "remote", c->remote);
	if (!v)
		return NULL;
	static const struct {
		const char *key;
		size_t off;
	} texts[] = {
	    {"category", offsetof(struct app_case, category_name)}, {"handler", offsetof(struct app_case, handler_name)},
	    {"decider", offsetof(struct app_case, decider_name)},   {"unit", offsetof(struct app_case, unit)},
	    {"duplicate_of", offsetof(struct app_case, duplicate_of)}, {"parent", offsetof(struct app_case, parent)},
	    {"forwarded_to", offsetof(struct app_case, forwarded_to)}, {"reason", offsetof(struct app_case, reason)},
	    {"decision_no", offsetof(struct app_case, decision_no)},
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		const char *s = (const char *)c + texts[i].off;
		if (*s)
			json_object_set_new(v, texts[i].key, json_string(s));
	}
	if (c->decision_text && *c->decision_text)
		json_object_set_new(v, "decision_text", json_string(c->decision_text));
	if (c->public_answer && *c->public_answer)
		json_object_set_new(v, "public_answer", json_string(c->public_answer));
	if (c->verdict[0])
		json_object_set_new(v, "verdict", json_string(verdict_label(c->verdict)));
	set_time(v, "received", c->received_at);
	set_time(v, "accepted", c->accepted_at);
	set_time(v, "decided", c->decided_at);
	set_time(v, "closed", c->closed_at);
	set_time(v, "published", c->published_at);
	if (c->linked)
		json_object_set_new(v, "linked", json_integer(c->linked));
	if (c->complexity)
		json_object_set_new(v, "complexity", json_string(c->complexity == 2 ? "đặc biệt phức tạp" : "phức tạp"));
	if (c->extensions)
		json_object_set_new(v, "extensions", json_integer(c->extensions));
	if (c->finished_late >= 0 && c->decided_at)
		json_object_set_new(v, "finished", json_string(c->finished_late ? "quá hạn" : "đúng hạn"));
	if (open) {
		json_object_set_new(v, "due", case_due_view(c->due_at, c->overdue, now));
		json_object_set_new(v, "limit", c->due_at ? case_limit_view(app, c->kind, c->stage) : json_null());
	}
	if (c->resolve_due && c->resolve_due != c->due_at)
		json_object_set_new(v, "resolve_due", case_due_view(c->resolve_due, 0, c->decided_at ? c->decided_at : now));
	return v;
}

/* Which notices this case has, from its timeline (case_forms.c prints them). */
static json_t *
prints_of(const struct app_case *c, const struct app_case_event *ev, size_t n)
{
	const struct case_type *t = case_type_of(c->kind);
	int have[6] = {1, 0, 0, 0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		const char *a = ev[i].action;
		have[1] |= !strcmp(a, "accept");
		have[2] |= !strcmp(a, "reject");
		have[3] |= !strcmp(a, "extend") && strcmp(ev[i].stage_from, "received") != 0;
		have[4] |= !strcmp(a, "decide");
		have[5] |= !strcmp(a, "forward");
	}
	static const char *const keys[] = {"bien-nhan", "thu-ly", "khong-thu-ly", "gia-han", "quyet-dinh", "chuyen-don"};
	const char *labels[] = {t->has_acceptance ? "Giấy biên nhận đơn" : "Phiếu tiếp nhận",
	                        t->accept_doc,
	                        t->reject_doc,
	                        c->kind == CASE_DENUNCIATION ? "Quyết định gia hạn giải quyết tố cáo"
	                                                     : "Thông báo kéo dài thời hạn giải quyết",
	                        t->decide_doc,
	                        "Phiếu chuyển đơn"};
	json_t *a = json_array();
	for (int i = 0; i < 6; i++)
		if (have[i])
			json_array_append_new(a, json_pack("{s:s,s:s}", "key", keys[i], "label", labels[i]));
	return a;
}

static json_t *
events_view(struct web_app *app, enum case_kind kind, const struct app_case_event *ev, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		char at[40], who[256];
		desk_person_name(app, ev[i].actor, who, sizeof who);
		vn_fmt_datetime(ev[i].at, at, sizeof at);
		enum case_stage to;
		const char *stage = case_stage_from_code(ev[i].stage_to, &to) == 0 && strcmp(ev[i].stage_to, ev[i].stage_from)
		                        ? case_stage_label(kind, to) : "";
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "at", at, "actor", who, "action",
		                                   ev[i].action_label, "stage", stage, "note", ev[i].note, "doc_no",
		                                   ev[i].doc_no));
	}
	return a;
}

static json_t *
files_view(const char *href, const struct app_case_file *fs, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		char at[40], link[160];
		vn_fmt_datetime(fs[i].at, at, sizeof at);
		snprintf(link, sizeof link, "%s/tep/%s", href, fs[i].sha256);
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:I}", "href", link, "name", fs[i].name, "at", at, "kb",
		                                   (json_int_t)((fs[i].size + 1023) / 1024)));
	}
	return a;
}

struct staff_ctx {
	json_t *officers, *leaders;
};

static int
staff_add(const struct store_user *u, void *arg)
{
	struct staff_ctx *c = arg;
	unsigned r = role_from_name(u->role);
	if (!u->active || !(r & (ROLE_OFFICER | ROLE_LEADER)))
		return 0;
	json_t *o = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)u->id, "name", u->full_name[0] ? u->full_name : u->username,
	                      "unit", u->unit);
	json_array_append(c->officers, o);
	if (r & ROLE_LEADER)
		json_array_append(c->leaders, o);
	json_decref(o);
	return 0;
}

/* One form per action the actor may take now, with the inputs it needs. */
static json_t *
action_forms(const struct app_case *c, unsigned bits)
{
	const struct case_type *t = case_type_of(c->kind);
	int judged = c->kind == CASE_COMPLAINT_1 || c->kind == CASE_COMPLAINT_2 || c->kind == CASE_DENUNCIATION;
	json_t *a = json_array();
	/* the actions that end a case without a decision come last */
	static const enum case_action order[] = {CASE_A_ASSIGN, CASE_A_ACCEPT, CASE_A_VERIFY,  CASE_A_DIALOGUE,
	                                         CASE_A_EXTEND, CASE_A_DECIDE, CASE_A_PUBLISH, CASE_A_CLOSE,
	                                         CASE_A_NOTE,   CASE_A_FORWARD, CASE_A_REJECT, CASE_A_MERGE,
	                                         CASE_A_WITHDRAW};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		enum case_action x = order[i];
		if (!(bits & (1u << x)))
			continue;
		const char *note_label = NULL;
		int note_req = 0;
		switch (x) {
		case CASE_A_REJECT: note_label = "Lý do không thụ lý"; note_req = 1; break;
		case CASE_A_FORWARD: note_label = "Ghi chú, lý do chuyển"; break;
		case CASE_A_VERIFY: note_label = "Nội dung cần xác minh"; break;
		case CASE_A_EXTEND: note_label = "Lý do gia hạn"; note_req = 1; break;
		case CASE_A_CLOSE: note_label = "Ghi chú (đã gửi cho ai, cách gửi)"; break;
		case CASE_A_WITHDRAW: note_label = "Căn cứ rút đơn (đơn xin rút, biên bản)"; note_req = 1; break;
		case CASE_A_NOTE: note_label = "Nội dung ghi chú"; note_req = 1; break;
		case CASE_A_ASSIGN: note_label = "Ghi chú"; break;
		default: break;
		}
		const char *doc_label = x == CASE_A_ACCEPT ? "Số văn bản thụ lý"
		                        : x == CASE_A_REJECT ? "Số thông báo không thụ lý"
		                        : x == CASE_A_EXTEND ? "Số văn bản gia hạn"
		                        : x == CASE_A_DECIDE ? "Số văn bản" : NULL;
		json_t *o = json_pack("{s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b}", "code", case_action_code(x),
		    "label", case_action_label(c->kind, x), "assign", x == CASE_A_ASSIGN, "remote",
		    x == CASE_A_ACCEPT && t->has_acceptance, "forward", x == CASE_A_FORWARD, "dialogue", x == CASE_A_DIALOGUE,
		    "extend", x == CASE_A_EXTEND, "decide", x == CASE_A_DECIDE, "verdict", x == CASE_A_DECIDE && judged,
		    "publish", x == CASE_A_PUBLISH, "merge", x == CASE_A_MERGE, "confirm", x == CASE_A_WITHDRAW, "danger",
		    x == CASE_A_REJECT || x == CASE_A_WITHDRAW || x == CASE_A_MERGE);
		if (note_label)
			json_object_set_new(o, "note", json_pack("{s:s,s:b}", "label", note_label, "required", note_req));
		if (doc_label)
			json_object_set_new(o, "doc", json_pack("{s:s,s:b}", "label", doc_label,
			                                        "required", x == CASE_A_DECIDE && judged));
		if (x == CASE_A_DECIDE)
			json_object_set_new(o, "decide_doc", json_string(t->decide_doc));
		if (x == CASE_A_EXTEND)
			json_object_set_new(o, "very", json_boolean(c->kind == CASE_DENUNCIATION && c->stage != CASE_ST_RECEIVED));
		json_array_append_new(a, o);
	}
	return a;
}

/* The sender block: the party, or why it is not shown. */
static enum err
add_party(struct web_app *app, const struct actor *ac, const struct app_case *c, json_t *d)
{
	if (c->anonymous) {
		json_object_set_new(d, "party_note", json_string("Đơn không ghi tên người gửi (ẩn danh)."));
		return ERR_OK;
	}
	if (!app_case_party_visible(&app->core, ac, c)) {
		json_object_set_new(d, "party_note",
		    json_string("Thông tin người tố cáo được giữ bí mật (Luật Tố cáo 2018, Điều 47)."));
		return ERR_OK;
	}
	struct app_case_party p;
	enum err e = app_case_party(&app->core, ac, c->code, &p);
	if (e == ERR_FORBIDDEN || e == ERR_NOT_FOUND)
		return ERR_OK;
	if (e)
		return e;
	json_object_set_new(d, "party", json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "name", p.name, "id_number", p.id_number,
	                                          "phone", p.phone, "email", p.email, "address", p.address,
	                                          "confidential", case_type_of(c->kind)->confidential_party));
	return ERR_OK;
}

/* The receipt shown right after intake (?ok=submit). */
static void
add_receipt(struct web_app *app, const struct app_case *c, json_t *d, int64_t now)
{
	const struct case_limit *l = case_limit_at(c->kind, CASE_ST_RECEIVED);
	json_t *r = json_pack("{s:s,s:o}", "code", c->code, "due", case_due_view(c->due_at, 0, now));
	if (l)
		json_object_set_new(r, "limit", case_limit_view(app, c->kind, CASE_ST_RECEIVED));
	json_object_set_new(r, "acceptance", json_boolean(case_type_of(c->kind)->has_acceptance));
	if (c->duplicate_of[0])
		json_object_set_new(r, "duplicate_of", json_string(c->duplicate_of));
	json_object_set_new(d, "receipt", r);
}

enum err
case_page(struct http_req *req, struct http_resp *resp, const char *code, int status, enum err fail,
          const struct app_fail *f)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_case c;
	enum err e = app_case_get(&app->core, &ac, code, &c);
	if (e)
		return e;
	int64_t now = (int64_t)time(NULL);
	struct app_case_event *ev = NULL;
	struct app_case_file *fs = NULL;
	size_t nev = 0, nfs = 0;
	json_t *d = NULL, *v = case_view(app, &c, now);
	struct staff_ctx sc = {json_array(), json_array()};
	if (!v)
		e = ERR_NOMEM;
	if (!e)
		e = app_case_events(&app->core, &ac, c.code, &ev, &nev);
	if (!e)
		e = app_case_files(&app->core, &ac, c.code, &fs, &nfs);
	if (!e)
		e = store_user_each(app->st, staff_add, &sc);
	if (!e && !(d = web_page_data(req, resp, "Đơn thư")))
		e = ERR_NOMEM;
	if (!e)
		e = add_party(app, &ac, &c, d);
	if (e) {
		json_decref(v);
		json_decref(d);
		json_decref(sc.officers);
		json_decref(sc.leaders);
		free(ev);
		free(fs);
		app_case_free(&c);
		return e;
	}
	char title[80];
	snprintf(title, sizeof title, "Đơn %s", c.code);
	json_object_set_new(d, "title", json_string(title));
	json_object_set_new(d, "prints", prints_of(&c, ev, nev));
	json_object_set_new(d, "events", events_view(app, c.kind, ev, nev));
	json_object_set_new(d, "files", files_view(json_string_value(json_object_get(v, "href")), fs, nfs));
	free(ev);
	free(fs);
	unsigned bits = app_case_actions(&app->core, &ac, &c);
	json_object_set_new(d, "actions", action_forms(&c, bits));
	json_object_set_new(d, "can_attach", json_boolean(bits != 0));
	json_object_set_new(d, "officers", sc.officers);
	json_object_set_new(d, "leaders", sc.leaders);
	const char *ok = qv(req, "ok");
	if (!fail && !strcmp(ok, "submit"))
		add_receipt(app, &c, d, now);
	else if (!fail && done_message(ok))
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", done_message(ok)));
	app_case_free(&c);
	json_object_set_new(d, "c", v);
	if (fail)   /* Vietnamese words only: no internal field names */
		json_object_set_new(d, "error", json_pack("{s:s,s:s,s:s}", "message", err_message(fail), "code",
		                                          err_code(fail), "detail", f ? f->msg : ""));
	resp->status = status;
	return web_render(req, resp, "cases_case", d);
}

enum err
cases_case(struct http_req *req, struct http_resp *resp)
{
	return case_page(req, resp, http_param(req, 0), 200, ERR_OK, NULL);
}

/* ---- the forms' posts ------------------------------------------------------ */

/* A decimal id field into *out (0 when empty); -1 when malformed. */
static int
id_field(struct http_req *req, const char *name, int64_t *out)
{
	long v = 0;
	const char *s = opt(req, name);
	if (s && web_parse_int(s, 1, 2000000000, &v) != 0)
		return -1;
	*out = v;
	return 0;
}

/* The action form into in. */
static enum err
read_act(struct http_req *req, struct app_case_act *in, struct app_fail *f)
{
	*in = (struct app_case_act){.note = opt(req, "note"), .forwarded_to = opt(req, "forwarded_to"),
	                            .doc_no = opt(req, "doc_no"), .decision_text = opt(req, "decision_text"),
	                            .verdict = opt(req, "verdict"), .public_answer = opt(req, "public_answer"),
	                            .dialogue_people = opt(req, "dialogue_people"),
	                            .dialogue_result = opt(req, "dialogue_result"), .merge_into = opt(req, "merge_into"),
	                            .remote = -1};
	if (case_action_from_code(opt(req, "action"), &in->action) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "action", "Thao tác không hợp lệ.");
	long v;
	if (!opt(req, "version") || web_parse_int(opt(req, "version"), 1, 2000000000, &v) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "version", "Phiên bản đơn không hợp lệ; hãy tải lại trang.");
	in->version = (int)v;
	if (id_field(req, "handler_id", &in->handler_id) || id_field(req, "decider_id", &in->decider_id))
		return app_fail(f, ERR_INVALID_FIELD, "handler_id", "Người được giao không hợp lệ.");
	if (in->action == CASE_A_ACCEPT)
		in->remote = opt(req, "remote") ? 1 : 0;
	if (opt(req, "complexity")) {
		if (web_parse_int(opt(req, "complexity"), 1, 2, &v) != 0)
			return app_fail(f, ERR_INVALID_FIELD, "complexity", "Mức độ phức tạp không hợp lệ.");
		in->complexity = (int)v;
	}
	if (in->action == CASE_A_DIALOGUE) {
		int64_t day;
		if (!opt(req, "dialogue_at") || vn_parse_date(opt(req, "dialogue_at"), &day) != 0)
			return app_fail(f, ERR_BAD_DATE, "dialogue_at", "Vui lòng ghi ngày đối thoại (ngày/tháng/năm).");
		in->dialogue_at = day + 8 * 3600;   /* the working morning of that day */
		if (in->dialogue_at > (int64_t)time(NULL))
			in->dialogue_at = day;
	}
	if (in->action == CASE_A_WITHDRAW && !opt(req, "xac_nhan"))
		return app_fail(f, ERR_MISSING_FIELD, "confirm",
		                "Đơn chưa được rút: hãy đánh dấu ô xác nhận người gửi đã yêu cầu rút đơn.");
	return ERR_OK;
}

enum err
cases_act(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *code = http_param(req, 0);
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_case_act in;
	struct app_fail f = {"", ""};
	enum err e = read_act(req, &in, &f);
	if (!e)
		e = app_case_act(&app->core, &ac, code, &in, &f);
	if (e == ERR_NOT_FOUND && !f.msg[0])
		return e;
	if (e == ERR_NOMEM || e == ERR_INTERNAL || e == ERR_BUSY)
		return e;
	if (e)
		return case_page(req, resp, code, err_status(e), e, &f);
	char loc[120];
	snprintf(loc, sizeof loc, "/don-thu/%s?ok=%s#trang-thai", code, case_action_code(in.action));
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
cases_attach(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *code = http_param(req, 0);
	struct app_case_file_in file = {0};
	for (size_t i = 0; i < req->form.n; i++)
		if (!strcmp(req->form.v[i].name, "file") && req->form.v[i].filename && req->form.v[i].value_len)
			file = (struct app_case_file_in){req->form.v[i].value, req->form.v[i].value_len,
			                                 req->form.v[i].filename};
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_fail f = {"", ""};
	enum err e = file.data ? app_case_attach(&app->core, &ac, code, "desk", &file, &f)
	                       : app_fail(&f, ERR_MISSING_FIELD, "file", "Chưa chọn tệp.");
	if (e == ERR_NOT_FOUND || e == ERR_NOMEM || e == ERR_INTERNAL || (e == ERR_FORBIDDEN && !f.msg[0]))
		return e;
	if (e)
		return case_page(req, resp, code, err_status(e), e, &f);
	char loc[120];
	snprintf(loc, sizeof loc, "/don-thu/%s?ok=attach", code);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
cases_file(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct app_case_file meta;
	void *data;
	size_t len;
	enum err e = app_case_file_get(&app->core, &ac, http_param(req, 0), http_param(req, 1), &meta, &data, &len);
	return e ? e : web_send_upload(resp, data, len, meta.mime);
}
