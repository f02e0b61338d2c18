/*
 * kiosk.c — the rating kiosk and the leader's list of comments (kiosk.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "app/dossier.h"
#include "app/kiosk.h"
#include "app/lookup.h"
#include "core/roles.h"
#include "core/text.h"

int
app_kiosk_may_invite(struct app *a, const struct actor *ac, const struct store_dossier *d)
{
	char level[24];
	return ac->role == ROLE_CLERK && strcmp(d->status, "returned") == 0 &&
	       store_rating_get(a->st, d->code, level, sizeof level) == ERR_NOT_FOUND;
}

enum err
app_kiosk_invite(struct app *a, const struct actor *ac, const char *code, struct app_fail *f)
{
	if (ac->role != ROLE_CLERK)
		return ERR_FORBIDDEN;
	struct store_dossier d;
	enum err e = app_dossier_get(a, ac, code, &d);
	if (e)
		return e;
	int ok = app_kiosk_may_invite(a, ac, &d);
	char canon[64];
	snprintf(canon, sizeof canon, "%s", d.code);
	store_dossier_free(&d);
	if (!ok)
		return app_fail(f, ERR_DOSSIER_STATE, "", "Chỉ mời đánh giá hồ sơ đã trả kết quả và chưa được đánh giá.");
	return store_kiosk_set(a->st, ac->name, canon, (int64_t)time(NULL));
}

enum err
app_kiosk_current(struct app *a, const struct actor *ac, char *code, size_t n, char *procedure, size_t pn)
{
	if (ac->role != ROLE_CLERK)
		return ERR_FORBIDDEN;
	int64_t at = 0;
	enum err e = store_kiosk_get(a->st, ac->name, code, n, &at);
	if (e)
		return e;
	struct store_dossier d;
	if ((int64_t)time(NULL) - at > APP_KIOSK_TTL || store_dossier_get(a->st, code, &d) != ERR_OK) {
		code[0] = 0;
		return ERR_NOT_FOUND;
	}
	int ok = app_kiosk_may_invite(a, ac, &d);
	snprintf(procedure, pn, "%s", d.procedure_name);
	store_dossier_free(&d);
	if (!ok) {
		code[0] = 0;
		return ERR_NOT_FOUND;
	}
	return ERR_OK;
}

enum err
app_kiosk_rate(struct app *a, const struct actor *ac, const char *code, const char *level, const char *comment,
               struct app_fail *f)
{
	if (!app_rating_label(level))
		return app_fail(f, ERR_INVALID_FIELD, "level",
		                "Vui lòng chọn một mức: Rất hài lòng, Hài lòng hoặc Không hài lòng.");
	if (comment && text_length(comment, strlen(comment)) > 1000)
		return app_fail(f, ERR_INVALID_FIELD, "comment", "Ý kiến tối đa 1.000 ký tự.");
	char cur[64], proc[16];
	enum err e = app_kiosk_current(a, ac, cur, sizeof cur, proc, sizeof proc);
	if (e == ERR_NOT_FOUND || (!e && (!code || strcmp(cur, code) != 0)))
		return app_fail(f, ERR_CONFLICT, "", "Phiên đánh giá đã kết thúc; mời ông/bà liên hệ cán bộ tiếp nhận.");
	if (e)
		return e;
	char actor[96];
	snprintf(actor, sizeof actor, "applicant:%s", cur);
	e = store_rating_add(a->st, actor, cur, level, comment ? comment : "", (int64_t)time(NULL));
	if (e && e != ERR_EXISTS)
		return e;
	enum err c = store_kiosk_clear(a->st, ac->name, cur);
	return e ? e : c;
}

enum err
app_rating_comments(struct app *a, const struct actor *ac, int64_t from, int64_t to,
                    int (*fn)(const char *, const char *, const char *, const char *, int64_t, void *),
                    void *arg)
{
	if (!(ac->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_VIEWER)))
		return ERR_FORBIDDEN;
	if (to <= from)
		return ERR_OUT_OF_RANGE;
	return store_rating_comments(a->st, from, to, 500, fn, arg);
}
