/*
 * pages_dossier_act.c — what the desk's forms post about a dossier: an
 * action, the leader's bulk approval (attachments: desk_digital.c); and an attachment
 * read back.  Each reads its form into the service's struct and calls
 * src/app/dossier.h; a refusal re-shows the dossier page with the reason.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/dossier.h"
#include "web/desk.h"
#include "web/web.h"

static const char *
opt(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v && *v ? v : NULL;
}

/* The form's "missing" textarea, one paper a line (blank lines skipped),
 * split in buf into lines; more than STORE_MISSING_MAX lines are all
 * passed on for the service to refuse. */
/* The strings of an action form that the service's struct points to. */
struct missing_lines {
	char buf[16384];
	const char *line[STORE_MISSING_MAX + 1];
	char due[VN_RFC3339_MAX];   /* an appointment set by hand, as new_date */
};

static size_t
split_missing(const char *text, struct missing_lines *m)
{
	size_t n = 0;
	snprintf(m->buf, sizeof m->buf, "%s", text ? text : "");
	for (char *save = NULL, *t = strtok_r(m->buf, "\r\n", &save); t && n <= STORE_MISSING_MAX;
	     t = strtok_r(NULL, "\r\n", &save))
		if (t[strspn(t, " \t")])
			m->line[n++] = t;
	return n;
}

/* The action form into in. */
static enum err
read_action(struct http_req *req, struct app_action *in, struct missing_lines *m, struct app_fail *f)
{
	*in = (struct app_action){.action = opt(req, "action"), .note = opt(req, "note"),
	                          .new_date = opt(req, "new_date"), .recipient = opt(req, "recipient"),
	                          .recipient_id = opt(req, "recipient_id"), .unit = opt(req, "unit"),
	                          .step_days = -1};
	/* receiving a held dossier without a verified time limit: the
	 * appointment the clerk sets, as the service's new_date */
	int64_t hand;
	enum err e = desk_hand_due(req, "new_date", &hand, f);
	if (e)
		return e;
	if (hand) {
		vn_fmt_rfc3339(hand, m->due, sizeof m->due);
		in->new_date = m->due;
	}
	in->nmissing = split_missing(opt(req, "missing"), m);
	in->missing = m->line;
	static const struct {
		const char *field, *label;
		long lo, hi;
	} ints[] = {
		{"assignee", "Cán bộ nhận hồ sơ", 1, 1000000000},
		{"step_days", "Số ngày làm việc cho bước này", 0, 365},
		{"version", "Phiên bản hồ sơ", 1, 2000000000},
	};
	long v[3] = {0, -1, 0};
	for (size_t i = 0; i < 3; i++) {
		const char *s = opt(req, ints[i].field);
		if (s && web_parse_int(s, ints[i].lo, ints[i].hi, &v[i]) != 0) {
			char msg[160];
			snprintf(msg, sizeof msg, "%s: số không hợp lệ", ints[i].label);
			return app_fail(f, ERR_INVALID_FIELD, ints[i].field, msg);
		}
	}
	in->assignee = v[0];
	in->step_days = (int)v[1];
	in->expected_version = v[2];
	return ERR_OK;
}

enum err
desk_action(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *code = http_param(req, 0);
	struct app_action in;
	struct app_fail f = {"", ""};
	struct app_dossier_brief b;
	struct actor ac;
	web_actor_of(req, &ac);
	static _Thread_local struct missing_lines m;
	enum err e = read_action(req, &in, &m, &f);
	/* withdrawing ends the dossier for good: the page asks the clerk to
	 * confirm (a required box, so it works without JavaScript) */
	const char *sure = opt(req, "xac_nhan");
	if (!e && in.action && strcmp(in.action, "withdraw") == 0 && !(sure && strcmp(sure, "1") == 0))
		e = app_fail(&f, ERR_MISSING_FIELD, "confirm",
		             "Hồ sơ chưa được rút: hãy đánh dấu ô xác nhận người nộp đã yêu cầu rút hồ sơ.");
	if (!e)
		e = app_dossier_act(&app->core, &ac, code, &in, &b, &f);
	if (e == ERR_NOT_FOUND || e == ERR_NOMEM || e == ERR_INTERNAL || e == ERR_BUSY)
		return e;
	if (e)
		return desk_dossier_page(req, resp, code, err_status(e), e, &f);
	char loc[200];
	snprintf(loc, sizeof loc, "/mot-cua/ho-so/%s?ok=%s", b.code, in.action);
	http_redirect(resp, loc);
	return ERR_OK;
}

/* POST /mot-cua/phe-duyet: the leader approves the ticked dossiers
 * (ho_so=CODE:VERSION, at most 100), each as its own action with its own
 * audit event; one changed meanwhile by someone else is left for him to
 * open, the others go through. */
enum err
desk_bulk_approve(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	long approved = 0, failed = 0, picked = 0;
	for (size_t i = 0; i < req->form.n; i++) {
		if (strcmp(req->form.v[i].name, "ho_so") != 0)
			continue;
		if (++picked > 100)
			return ERR_TOO_MANY_FIELDS;
		const char *v = req->form.v[i].value;
		const char *colon = strrchr(v, ':');
		char code[80];
		long ver;
		if (!colon || colon - v >= (ptrdiff_t)sizeof code || web_parse_int(colon + 1, 1, 2000000000, &ver) != 0)
			return ERR_INVALID_FIELD;
		snprintf(code, sizeof code, "%.*s", (int)(colon - v), v);
		struct app_action in = {.action = "approve", .note = opt(req, "note"), .step_days = -1,
		                        .expected_version = ver};
		struct app_dossier_brief b;
		enum err e = app_dossier_act(&app->core, &ac, code, &in, &b, NULL);
		if (e == ERR_NOMEM || e == ERR_INTERNAL || e == ERR_BUSY)
			return e;
		if (e)
			failed++;
		else
			approved++;
	}
	if (!picked)
		return ERR_MISSING_FIELD;
	char loc[120];
	snprintf(loc, sizeof loc, "/mot-cua?hang=viec-cua-toi&duyet=%ld&loi=%ld", approved, failed);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
desk_attachment(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct actor ac;
	web_actor_of(req, &ac);
	struct store_attachment meta;
	char *data;
	size_t len;
	enum err e = app_dossier_attachment(&app->core, &ac, http_param(req, 0), http_param(req, 1), &meta,
	                                    &data, &len);
	return e ? e : web_send_upload(resp, data, len, meta.mime);
}
