/*
 * iso.c — the quality management system (iso.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/iso.h"
#include "core/vntime.h"

static int
can(const struct actor *ac, unsigned roles)
{
	return ac && (ac->role & roles);
}

enum err
app_iso_list(struct app *a, const struct actor *ac, int (*fn)(const struct store_iso_version *, void *), void *arg)
{
	return can(ac, APP_ISO_READ) ? store_iso_list(a->st, fn, arg) : ERR_FORBIDDEN;
}

enum err
app_iso_get(struct app *a, const struct actor *ac, int64_t id, int version, struct store_iso_version *out)
{
	return can(ac, APP_ISO_READ) ? store_iso_get(a->st, id, version, out) : ERR_FORBIDDEN;
}

enum err
app_iso_history(struct app *a, const struct actor *ac, int64_t id, int (*fn)(const struct store_iso_version *, void *),
                void *arg)
{
	return can(ac, APP_ISO_READ) ? store_iso_history(a->st, id, fn, arg) : ERR_FORBIDDEN;
}

/* A code such as "QT-01" or "QT.TP.05": letters, digits, '.', '-', '/'. */
static int
code_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 30)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' ||
		      *s == '-' || *s == '/'))
			return 0;
	return 1;
}

enum err
app_iso_save(struct app *a, const struct actor *ac, const struct store_iso_version *in, int base, int64_t now,
             struct app_fail *f, int64_t *id)
{
	if (!can(ac, APP_ISO_WRITE))
		return ERR_FORBIDDEN;
	struct store_iso_version *v = calloc(1, sizeof *v);
	if (!v)
		return ERR_NOMEM;
	enum err e = ERR_INVALID_FIELD;
	v->process_id = in->process_id;
	if (in->process_id) {
		struct store_iso_version *cur = malloc(sizeof *cur);
		enum err ge = cur ? store_iso_get(a->st, in->process_id, 0, cur) : ERR_NOMEM;
		if (!ge)
			snprintf(v->code, sizeof v->code, "%s", cur->code);
		free(cur);
		if (ge) {
			e = ge;
			goto out;
		}
	} else if (!code_ok(in->code)) {
		app_fail(f, e, "code", "Ghi mã quy trình: chữ, số, dấu chấm, gạch ngang (ví dụ QT-01), tối đa 30 ký tự.");
		goto out;
	} else {
		snprintf(v->code, sizeof v->code, "%s", in->code);
	}
	static const struct {
		size_t off, size, max;
		int lines, required;
		const char *field, *msg;
	} T[] = {
		{offsetof(struct store_iso_version, title), sizeof v->title, 300, 0, 1, "title", "Ghi tên quy trình (tối đa 300 ký tự)."},
		{offsetof(struct store_iso_version, owner), sizeof v->owner, 200, 0, 1, "owner", "Ghi đơn vị, người chủ trì quy trình (tối đa 200 ký tự)."},
		{offsetof(struct store_iso_version, scope), sizeof v->scope, 1000, 1, 0, "scope", "Phạm vi áp dụng tối đa 1000 ký tự."},
		{offsetof(struct store_iso_version, steps), sizeof v->steps, 4000, 1, 1, "steps", "Ghi các bước thực hiện, mỗi bước một dòng (tối đa 4000 ký tự)."},
		{offsetof(struct store_iso_version, forms), sizeof v->forms, 1000, 1, 0, "forms", "Biểu mẫu tối đa 1000 ký tự, mỗi mẫu một dòng."},
		{offsetof(struct store_iso_version, records), sizeof v->records, 1000, 1, 0, "records", "Hồ sơ lưu tối đa 1000 ký tự, mỗi loại một dòng."},
		{offsetof(struct store_iso_version, retention), sizeof v->retention, 300, 0, 0, "retention", "Thời gian lưu hồ sơ tối đa 300 ký tự."},
		{offsetof(struct store_iso_version, procedures), sizeof v->procedures, 500, 0, 0, "procedures", "Mã thủ tục áp dụng tối đa 500 ký tự, cách nhau bởi dấu phẩy."},
		{offsetof(struct store_iso_version, approved_by), sizeof v->approved_by, 120, 0, 1, "approved_by", "Ghi người phê duyệt (tối đa 120 ký tự)."},
		{offsetof(struct store_iso_version, change_note), sizeof v->change_note, 500, 1, 0, "change_note", "Nội dung sửa đổi tối đa 500 ký tự."},
	};
	for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
		char *dst = (char *)v + T[i].off;
		const char *src = (const char *)in + T[i].off;
		if (app_text_take(dst, T[i].size, src, T[i].max, T[i].lines) != 0 || (T[i].required && !dst[0])) {
			app_fail(f, e, T[i].field, T[i].msg);
			goto out;
		}
	}
	if (in->process_id && !v->change_note[0]) {
		app_fail(f, e, "change_note", "Ghi nội dung sửa đổi của phiên bản mới.");
		goto out;
	}
	if (in->effective_day <= 0) {
		app_fail(f, e, "effective_day", "Ghi ngày quy trình có hiệu lực.");
		goto out;
	}
	v->effective_day = in->effective_day;
	(void)now;
	if (in->process_id) {
		e = store_iso_revise(a->st, ac->name, v, base, now);
		if (!e && id)
			*id = in->process_id;
		if (e == ERR_CONFLICT)
			app_fail(f, e, "", "Quy trình vừa được người khác sửa thành phiên bản mới. Hãy tải lại trang rồi sửa lại.");
	} else {
		e = store_iso_create(a->st, ac->name, v, now, id);
		if (e == ERR_EXISTS)
			app_fail(f, e, "code", "Mã quy trình này đã có.");
	}
out:
	free(v);
	return e;
}

enum err
app_iso_audits(struct app *a, const struct actor *ac, int (*fn)(const struct store_iso_audit *, void *), void *arg)
{
	return can(ac, APP_ISO_READ) ? store_iso_audits(a->st, fn, arg) : ERR_FORBIDDEN;
}

enum err
app_iso_audit_get(struct app *a, const struct actor *ac, int64_t id, struct store_iso_audit *out)
{
	return can(ac, APP_ISO_READ) ? store_iso_audit_get(a->st, id, out) : ERR_FORBIDDEN;
}

enum err
app_iso_audit_add(struct app *a, const struct actor *ac, const struct store_iso_audit *in, int64_t now,
                  struct app_fail *f, int64_t *id)
{
	if (!can(ac, APP_ISO_WRITE))
		return ERR_FORBIDDEN;
	struct store_iso_audit au;
	memset(&au, 0, sizeof au);
	if (in->day <= 0 || in->day > vn_day(now))
		return app_fail(f, ERR_INVALID_FIELD, "day", "Ghi ngày đánh giá (không sau hôm nay).");
	au.day = in->day;
	if (app_text_take(au.scope, sizeof au.scope, in->scope, 500, 1) != 0 || !au.scope[0])
		return app_fail(f, ERR_INVALID_FIELD, "scope", "Ghi phạm vi đánh giá (tối đa 500 ký tự).");
	if (app_text_take(au.auditors, sizeof au.auditors, in->auditors, 300, 0) != 0 || !au.auditors[0])
		return app_fail(f, ERR_INVALID_FIELD, "auditors", "Ghi người đánh giá (tối đa 300 ký tự).");
	if (app_text_take(au.summary, sizeof au.summary, in->summary, 2000, 1) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "summary", "Kết luận tối đa 2000 ký tự.");
	return store_iso_audit_add(a->st, ac->name, &au, now, id);
}

enum err
app_iso_finding_add(struct app *a, const struct actor *ac, const struct store_iso_finding *in, int64_t now,
                    struct app_fail *f, int64_t *id)
{
	if (!can(ac, APP_ISO_WRITE))
		return ERR_FORBIDDEN;
	struct store_iso_audit au;
	enum err e = store_iso_audit_get(a->st, in->audit_id, &au);
	if (e)
		return e;
	struct store_iso_finding *v = calloc(1, sizeof *v);
	if (!v)
		return ERR_NOMEM;
	v->audit_id = in->audit_id;
	e = ERR_INVALID_FIELD;
	if (strcmp(in->kind, "nonconformity") != 0 && strcmp(in->kind, "observation") != 0) {
		app_fail(f, e, "kind", "Chọn loại phát hiện: điểm không phù hợp hoặc khuyến nghị.");
		goto out;
	}
	snprintf(v->kind, sizeof v->kind, "%s", in->kind);
	if (in->process_id) {
		struct store_iso_version *p = malloc(sizeof *p);
		enum err pe = p ? store_iso_get(a->st, in->process_id, 0, p) : ERR_NOMEM;
		free(p);
		if (pe) {
			app_fail(f, e, "process_id", "Chọn quy trình trong danh sách.");
			goto out;
		}
		v->process_id = in->process_id;
	}
	if (app_text_take(v->description, sizeof v->description, in->description, 1000, 1) != 0 || !v->description[0]) {
		app_fail(f, e, "description", "Ghi nội dung phát hiện (tối đa 1000 ký tự).");
		goto out;
	}
	if (app_text_take(v->action, sizeof v->action, in->action, 1000, 1) != 0 ||
	    app_text_take(v->unit, sizeof v->unit, in->unit, 120, 0) != 0) {
		app_fail(f, e, "action", "Hành động khắc phục tối đa 1000 ký tự, đơn vị thực hiện tối đa 120 ký tự.");
		goto out;
	}
	v->due_day = in->due_day;
	if (!strcmp(v->kind, "nonconformity") && (!v->action[0] || !v->unit[0] || v->due_day < au.day)) {
		app_fail(f, e, "action",
		         "Điểm không phù hợp cần hành động khắc phục, đơn vị thực hiện và thời hạn (không trước ngày đánh giá).");
		goto out;
	}
	if (v->due_day && v->due_day < au.day) {
		app_fail(f, e, "due_day", "Thời hạn khắc phục không được trước ngày đánh giá.");
		goto out;
	}
	e = store_iso_finding_add(a->st, ac->name, v, now, id);
out:
	free(v);
	return e;
}

enum err
app_iso_finding_close(struct app *a, const struct actor *ac, int64_t audit_id, int64_t id, const char *note,
                      int64_t now, struct app_fail *f)
{
	if (!can(ac, APP_ISO_WRITE))
		return ERR_FORBIDDEN;
	char text[2000];
	if (app_text_take(text, sizeof text, note ? note : "", 500, 1) != 0 || !text[0])
		return app_fail(f, ERR_INVALID_FIELD, "note", "Ghi kết quả khắc phục (tối đa 500 ký tự).");
	enum err e = store_iso_finding_close(a->st, ac->name, audit_id, id, vn_day(now), text);
	if (e == ERR_CONFLICT)
		return app_fail(f, e, "", "Phát hiện này đã được đóng.");
	return e;
}

enum err
app_iso_findings(struct app *a, const struct actor *ac, int64_t audit_id,
                 int (*fn)(const struct store_iso_finding *, void *), void *arg)
{
	return can(ac, APP_ISO_READ) ? store_iso_findings(a->st, audit_id, fn, arg) : ERR_FORBIDDEN;
}
