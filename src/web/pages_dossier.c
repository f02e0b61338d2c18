/*
 * pages_dossier.c — the desk's dossier page (/mot-cua/ho-so/{code}): the
 * dossier, its timeline and attachments, and a form for each action the
 * signed-in account may take on it now (src/app/dossier.h decides).
 * Forms carry the dossier's version, so a page left open while a
 * colleague acted gets "changed by someone else", not a silent overwrite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/dossier.h"
#include "core/roles.h"
#include "web/desk.h"
#include "web/dossier_json.h"
#include "web/web.h"

static const char *
action_label_done(const char *a)
{
	static const struct {
		const char *action, *msg;
	} t[] = {
		{"receive", "Đã tiếp nhận hồ sơ. Hãy in Giấy tiếp nhận và hẹn trả kết quả (mẫu 01) cho người nộp."},
		{"resent", "Biểu mẫu này đã được gửi trước đó và hồ sơ đã được tiếp nhận một lần; không tạo hồ sơ trùng. Đây là hồ sơ đó."},
		{"request_supplement", "Đã ghi yêu cầu bổ sung; thời hạn giải quyết tạm dừng. In Phiếu yêu cầu bổ sung (mẫu 02)."},
		{"refuse_intake", "Đã từ chối tiếp nhận. In Phiếu từ chối (mẫu 03) cho người nộp."},
		{"refuse", "Đã từ chối giải quyết. In Phiếu từ chối (mẫu 03) cho người nộp."},
		{"apologize", "Đã lập Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)."},
		{"attach", "Đã đính kèm tệp."},
		{"reuse", "Đã dùng lại bản quét từ hồ sơ trước của cùng người nộp."},
		{"result", "Đã đính kèm kết quả điện tử; người nộp tải được khi hồ sơ có kết quả."},
		{"payment", "Đã ghi nhận phí, lệ phí."},
		{"kiosk", "Đã mời đánh giá: máy tính bảng tại quầy đang hiện hồ sơ này cho người nhận kết quả."},
		{"hold", "Đã lưu hồ sơ, chưa tiếp nhận: chọn Tiếp nhận, Yêu cầu bổ sung hoặc Từ chối tiếp nhận bên dưới."},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(a, t[i].action) == 0)
			return t[i].msg;
	return "Đã lưu thao tác.";
}

struct ev_ctx {
	json_t *a;
	struct web_app *app;
};

static int
ev_add(const struct store_dossier_event *ev, void *arg)
{
	struct ev_ctx *c = arg;
	char at[40], who[256];
	vn_fmt_datetime(ev->at, at, sizeof at);
	desk_person_name(c->app, ev->actor, who, sizeof who);
	json_error_t je;
	json_t *det = json_loads(ev->details, 0, &je);
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "at", at, "actor", who, "action",
	                      desk_action_title(ev->action), "to", web_status_label(ev->to), "note", ev->note,
	                      "who", json_string_value(json_object_get(det, "assignee_name"))
	                                 ? json_string_value(json_object_get(det, "assignee_name"))
	                                 : json_string_value(json_object_get(det, "unit"))
	                                       ? json_string_value(json_object_get(det, "unit")) : "");
	const char *rcp = json_string_value(json_object_get(det, "recipient"));
	if (o && rcp)
		json_object_set_new(o, "recipient", json_string(rcp));
	if (o && ev->late)
		json_object_set_new(o, "late", json_true());
	if (o && ev->nmissing) {
		json_t *m = json_array();
		for (size_t i = 0; i < ev->nmissing; i++)
			json_array_append_new(m, json_string(ev->missing[i]));
		json_object_set_new(o, "missing", m);
	}
	json_decref(det);
	if (o)
		json_array_append_new(c->a, o);
	return 0;
}

static int
att_add(const struct store_attachment *at, void *arg)
{
	char when[40];
	vn_fmt_datetime(at->at, when, sizeof when);
	json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:I,s:s}", "sha", at->sha256, "name",
	                                     at->name, "mime", at->mime, "kb",
	                                     (json_int_t)((at->size + 1023) / 1024), "at", when));
	return 0;
}

struct staff_ctx {
	json_t *officers, *leaders;
};

static int
staff_add(const struct store_user *u, void *arg)
{
	struct staff_ctx *c = arg;
	if (!u->active)
		return 0;
	unsigned r = role_from_name(u->role);
	json_t *o = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)u->id, "name",
	                      u->full_name[0] ? u->full_name : u->username, "unit", u->unit);
	if (r & (ROLE_OFFICER | ROLE_LEADER))
		json_array_append(c->officers, o);
	if (r & ROLE_LEADER)
		json_array_append(c->leaders, o);
	json_decref(o);
	return 0;
}

/* Actions that end or refuse the dossier: styled apart from the main
 * action and listed after the others. */
static int
action_danger(enum dfsm_action a)
{
	return a == DFSM_A_REFUSE_INTAKE || a == DFSM_A_REFUSE || a == DFSM_A_STOP || a == DFSM_A_WITHDRAW;
}

/* Which inputs each action's form shows. */
static json_t *
action_form(enum dfsm_action a, int hand_due)
{
	const struct dfsm_action_info *ai = dfsm_action_info(a);
	int note_req = a == DFSM_A_REFUSE_INTAKE || a == DFSM_A_REFUSE || a == DFSM_A_REQUEST_SUPPLEMENT ||
	               a == DFSM_A_STOP || a == DFSM_A_SEND_BACK || a == DFSM_A_APOLOGIZE;
	const char *note_label = "Ghi chú";
	switch (a) {
	case DFSM_A_REQUEST_SUPPLEMENT:
		note_label = "Giấy tờ cần bổ sung, hoàn thiện và lý do";
		break;
	case DFSM_A_REFUSE_INTAKE:
	case DFSM_A_REFUSE:
		note_label = "Lý do từ chối";
		break;
	case DFSM_A_APOLOGIZE:
		note_label = "Lý do chậm trả kết quả";
		break;
	case DFSM_A_STOP:
		note_label = "Lý do dừng xử lý";
		break;
	case DFSM_A_SEND_BACK:
		note_label = "Lý do trả lại";
		break;
	case DFSM_A_REQUEST_PAYMENT:
		note_label = "Nghĩa vụ tài chính cần thực hiện";
		break;
	default:
		break;
	}
	return json_pack("{s:s,s:s,s:b,s:s,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b,s:b}", "name", ai->name, "label",
	                 ai->label, "note_required", note_req, "note_label", note_label, "assign",
	                 a == DFSM_A_ASSIGN || a == DFSM_A_FORWARD, "leader",
	                 a == DFSM_A_SUBMIT_FOR_APPROVAL, "step",
	                 a == DFSM_A_ASSIGN || a == DFSM_A_FORWARD || a == DFSM_A_SUBMIT_FOR_APPROVAL,
	                 "new_date", a == DFSM_A_APOLOGIZE, "recipient", a == DFSM_A_RETURN, "missing",
	                 a == DFSM_A_REQUEST_SUPPLEMENT, "danger", action_danger(a), "hand_due",
	                 hand_due && a == DFSM_A_RECEIVE, "confirm", a == DFSM_A_WITHDRAW);
}

/* Which printed forms exist for this dossier, from its timeline. */
static json_t *
prints_of(json_t *events)
{
	int supp = 0, refusal = 0, apology = 0;
	size_t i;
	json_t *x;
	json_array_foreach(events, i, x) {
		const char *a = json_string_value(json_object_get(x, "action"));
		supp |= strcmp(a, dfsm_action_info(DFSM_A_REQUEST_SUPPLEMENT)->label) == 0;
		refusal |= strcmp(a, dfsm_action_info(DFSM_A_REFUSE)->label) == 0 ||
		           strcmp(a, dfsm_action_info(DFSM_A_REFUSE_INTAKE)->label) == 0;
		apology |= strcmp(a, dfsm_action_info(DFSM_A_APOLOGIZE)->label) == 0;
	}
	return json_pack("{s:b,s:b,s:b}", "supplement", supp, "refusal", refusal, "apology", apology);
}

/* The timeline, attachments and the people a dossier can be handed to. */
static enum err
add_lists(struct http_req *req, const struct actor *ac, const char *code, json_t *d)
{
	struct web_app *app = req->app;
	json_t *events = json_array(), *atts = json_array();
	struct ev_ctx ec = {events, app};
	struct staff_ctx sc = {json_array(), json_array()};
	enum err e;
	if ((e = app_dossier_events(&app->core, ac, code, ev_add, &ec)) == ERR_OK &&
	    (e = app_dossier_attachments(&app->core, ac, code, att_add, atts)) == ERR_OK)
		e = store_user_each(app->st, staff_add, &sc);
	json_object_set_new(d, "prints", prints_of(events));
	json_object_set_new(d, "events", events);
	json_object_set_new(d, "attachments", atts);
	json_object_set_new(d, "officers", sc.officers);
	json_object_set_new(d, "leaders", sc.leaders);
	return e;
}

enum err
desk_dossier_page(struct http_req *req, struct http_resp *resp, const char *code, int status,
             enum err fail, const struct app_fail *f)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_dossier sd;
	enum err e = app_dossier_get(&app->core, &ac, code, &sd);
	if (e)
		return e;
	json_t *v = desk_dossier_view(req, &sd, (int64_t)time(NULL));
	if (v)
		desk_dossier_detail(req, &sd, v);
	enum dfsm_action acts[DFSM_NACTIONS];
	int na = app_dossier_actions(&app->core, &ac, &sd, acts, DFSM_NACTIONS);
	int may_act = app_dossier_may_act(&app->core, &ac, &sd);
	/* received later, a held dossier without a verified time limit takes
	 * the appointment the clerk sets */
	int hand_due = !sd.due_at && app_due_by_hand_needed(&app->core, NULL, &sd);
	store_dossier_free(&sd);
	json_t *d = v ? web_page_data(req, resp, "Hồ sơ") : NULL;
	if (!d) {
		json_decref(v);
		return ERR_NOMEM;
	}
	if ((e = add_lists(req, &ac, code, d)) != ERR_OK) {
		json_decref(v);
		json_decref(d);
		return e;
	}
	json_t *forms = json_array();
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < na && i < DFSM_NACTIONS; i++)
			if (action_danger(acts[i]) == pass)
				json_array_append_new(forms, action_form(acts[i], hand_due));
	char title[120];
	snprintf(title, sizeof title, "Hồ sơ %s", json_string_value(json_object_get(v, "code")));
	json_object_set_new(d, "title", json_string(title));
	json_object_set_new(d, "d", v);
	json_object_set_new(d, "actions", forms);
	json_object_set_new(d, "can_attach", json_boolean(may_act));
	if ((e = desk_digital_view(req, &ac, code, may_act, d)) != ERR_OK) {
		json_decref(d);
		return e;
	}
	const char *ok = form_get(&req->query, "ok");
	if (ok && *ok && !fail)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", action_label_done(ok)));
	if (fail)   /* Vietnamese words only: no internal field names */
		json_object_set_new(d, "error", json_pack("{s:s,s:s,s:s}", "message", err_message(fail), "code",
		                                          err_code(fail), "detail", f ? f->msg : ""));
	resp->status = status;
	return web_render(req, resp, "desk_dossier", d);
}

enum err
desk_dossier(struct http_req *req, struct http_resp *resp)
{
	return desk_dossier_page(req, resp, http_param(req, 0), 200, ERR_OK, NULL);
}
