/*
 * online.c — online submission, supplements and withdrawal requests from
 * citizens (online.h).  The intake itself is the desk's (app_dossier_receive
 * with hold, channel online, the citizen as owner), so an online dossier
 * is numbered, stored and audited exactly as one received at the counter,
 * and the clerk's "receive" later starts its clock by the same rules.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/citizen.h"
#include "app/online.h"
#include "core/roles.h"
#include "core/sniff.h"
#include "core/text.h"

enum err
app_online_procedure(struct app *a, const char *code, struct store_proc *out)
{
	enum err e = store_proc_get(a->st, code ? code : "", 1, out);
	if (e)
		return e;
	enum proc_online lv = out->proc.online_level;
	if (lv != PROC_ONLINE_FULL && lv != PROC_ONLINE_PARTIAL) {
		store_proc_free(out);
		return ERR_NOT_ONLINE;
	}
	return ERR_OK;
}

/* The catalogue has no "optional" flag: it words an optional paper with
 * "(nếu có)" ("if any") in its name, as the national database does. */
int
app_online_item_needed(const struct proc *p, size_t i)
{
	return i < p->ndocuments && p->documents[i].form != PROC_PRESENT &&
	       !strstr(p->documents[i].name, "nếu có");
}

/* A scan's type by its bytes (PDF, JPEG, PNG), or a refusal in f. */
static enum err
scan_check(const void *data, size_t len, const char *field, const char **mime, struct app_fail *f)
{
	if (!len)
		return app_fail(f, ERR_MISSING_FIELD, field, "chưa chọn tệp");
	if (len > APP_MAX_ATTACHMENT)
		return app_fail(f, ERR_BODY_TOO_LARGE, field, "tệp lớn hơn 10 MB");
	*mime = sniff_mime(data, len);
	if (!*mime || strcmp(*mime, "image/webp") == 0)
		return app_fail(f, ERR_UNSUPPORTED_MEDIA, field,
		                "chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên)");
	return ERR_OK;
}

/* The stored name of an upload: the checklist item's, cut to fit, and
 * the extension of its real type. */
static void
item_file_name(const char *item, const char *mime, int nth, char *out, size_t n)
{
	char base[200];
	size_t k = strlen(item);
	if (k > 180) {
		k = 180;
		while (k && ((unsigned char)item[k] & 0xC0) == 0x80)
			k--;
	}
	snprintf(base, sizeof base, "%.*s", (int)k, item);
	if (nth > 1)
		snprintf(out, n, "%s (%d).%s", base, nth, sniff_ext(mime));
	else
		snprintf(out, n, "%s.%s", base, sniff_ext(mime));
}

enum err
app_online_submit(struct app *a, const struct actor *ac, const struct app_online *in,
                  struct app_dossier_brief *out, struct app_fail *f)
{
	assert(a && ac && in && out);
	memset(out, 0, sizeof *out);
	if (ac->role != ROLE_CITIZEN || ac->user_id <= 0)
		return app_fail(f, ERR_FORBIDDEN, "", "đăng nhập bằng mã xác nhận để nộp hồ sơ trực tuyến");
	if (in->nfiles > APP_ONLINE_FILES)
		return app_fail(f, ERR_INVALID_FIELD, "files", "tối đa 40 tệp trong một lần nộp");
	struct store_proc sp;
	enum err e = app_online_procedure(a, in->procedure_code, &sp);
	if (e == ERR_NOT_FOUND)
		return app_fail(f, ERR_PROCEDURE_UNKNOWN, "procedure_code", "không có thủ tục này");
	if (e == ERR_NOT_ONLINE)
		return app_fail(f, e, "procedure_code", "thủ tục này chỉ nộp tại Bộ phận Một cửa");
	if (e)
		return e;
	const struct proc *p = &sp.proc;
	size_t nd = p->ndocuments < 100 ? p->ndocuments : 100;
	struct app_doc docs[100];
	int have[100] = {0};
	struct store_attachment *files = calloc(in->nfiles ? in->nfiles : 1, sizeof *files);
	if (!files) {
		store_proc_free(&sp);
		return ERR_NOMEM;
	}
	/* every file: a real scan, for a real item; nothing stored yet */
	for (size_t i = 0; i < in->nfiles && !e; i++) {
		const struct app_online_file *u = &in->files[i];
		char field[48];
		const char *mime = NULL;
		snprintf(field, sizeof field, "documents[%zu]", u->item);
		if (u->item >= nd)
			e = app_fail(f, ERR_INVALID_FIELD, field, "tệp không thuộc giấy tờ nào của thủ tục");
		else if ((e = scan_check(u->data, u->len, field, &mime, f)) == ERR_OK) {
			have[u->item]++;
			files[i].size = (int64_t)u->len;
			snprintf(files[i].mime, sizeof files[i].mime, "%s", mime);
			item_file_name(p->documents[u->item].name, mime, have[u->item], files[i].name,
			               sizeof files[i].name);
		}
	}
	for (size_t i = 0; i < nd && !e; i++) {
		char field[48];
		snprintf(field, sizeof field, "documents[%zu]", i);
		if (app_online_item_needed(p, i) && !have[i])
			e = app_fail(f, ERR_MISSING_FIELD, field, "chưa tải lên giấy tờ này");
		docs[i] = (struct app_doc){p->documents[i].name, have[i] > 0, (int)p->documents[i].form,
		                           p->documents[i].count};
	}
	/* the files (content-addressed, harmless if the intake then fails),
	 * then the dossier with its owner and their records, at once */
	for (size_t i = 0; i < in->nfiles && !e; i++)
		e = store_file_put(a->st, in->files[i].data, in->files[i].len, files[i].sha256);
	if (!e) {
		struct app_intake it = {
			.procedure_code = p->code, .channel = 1, .applicant = in->applicant, .hold = 1,
			.docs = docs, .ndocs = nd, .fee = -1, .note = in->note, .key = in->key,
			.citizen_id = ac->user_id, .files = files, .nfiles = in->nfiles,
		};
		e = app_dossier_receive(a, ac, &it, out, f);
	}
	free(files);
	store_proc_free(&sp);
	return e;
}

enum err
app_online_supplement(struct app *a, const struct actor *ac, const char *code, const void *data, size_t len,
                      struct app_fail *f)
{
	struct store_dossier d;
	enum err e = app_citizen_dossier(a, ac, code, &d);
	if (e)
		return e;
	const char *mime = NULL;
	int waiting = strcmp(d.status, "waiting_supplement") == 0;
	if (!waiting)
		e = app_fail(f, ERR_DOSSIER_STATE, "file", "hồ sơ không ở trạng thái chờ bổ sung giấy tờ");
	else
		e = scan_check(data, len, "file", &mime, f);
	struct store_attachment at = {.size = (int64_t)len, .at = (int64_t)time(NULL)};
	if (!e) {
		snprintf(at.mime, sizeof at.mime, "%s", mime);
		item_file_name("Giấy tờ bổ sung", mime, 1, at.name, sizeof at.name);
		e = store_file_put(a->st, data, len, at.sha256);
	}
	if (!e && (e = store_attachment_add(a->st, ac->name, d.code, &at)) == ERR_EXISTS)
		e = app_fail(f, ERR_EXISTS, "file", "hồ sơ đã có tệp này");
	store_dossier_free(&d);
	return e;
}

enum err
app_online_withdraw(struct app *a, const struct actor *ac, const char *code, const char *reason,
                    struct app_fail *f)
{
	struct store_dossier d;
	enum err e = app_citizen_dossier(a, ac, code, &d);
	if (e)
		return e;
	enum dfsm_state s;
	size_t rn = 0;
	const char *r = reason ? text_trim(reason, strlen(reason), &rn) : "";
	char why[1000];
	snprintf(why, sizeof why, "%.*s", (int)text_utf8_prefix(r, rn, 999), r);
	if (dfsm_state_from_code(d.status, &s) != 0 || dfsm_state_info(s)->terminal ||
	    dfsm_state_info(s)->finished)
		e = app_fail(f, ERR_DOSSIER_STATE, "", "hồ sơ đã giải quyết xong hoặc đã kết thúc, không rút được");
	else if (!why[0])
		e = app_fail(f, ERR_DOSSIER_REASON, "reason", "ghi lý do xin rút hồ sơ");
	else if ((e = store_withdraw_request_put(a->st, ac->name, d.code, ac->user_id, why,
	                                         (int64_t)time(NULL))) == ERR_EXISTS)
		e = app_fail(f, ERR_EXISTS, "", "đã gửi yêu cầu rút hồ sơ này; Bộ phận Một cửa đang xem xét");
	store_dossier_free(&d);
	return e;
}

enum err
app_online_withdraw_request(struct app *a, const struct actor *ac, const char *code, char *reason, size_t n,
                            int64_t *at)
{
	struct store_dossier d;
	enum err e = ac->role == ROLE_CITIZEN ? app_citizen_dossier(a, ac, code, &d)
	                                      : app_dossier_get(a, ac, code, &d);
	if (e)
		return e == ERR_FORBIDDEN ? ERR_NOT_FOUND : e;
	e = store_withdraw_request_get(a->st, d.code, reason, n, at);
	store_dossier_free(&d);
	return e;
}

int
app_channel_national(const char *channel)
{
	/* by index in app_channel_names: counter, online, post */
	for (int i = 0; channel && app_channel_names[i]; i++)
		if (strcmp(channel, app_channel_names[i]) == 0)
			return i + 1;
	return 0;
}
