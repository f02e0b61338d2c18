/*
 * dossier_digital.c — a dossier's scans per checklist line, scans reused
 * from the same person's earlier dossiers, the result as a file and its
 * download by the applicant (digital.h).  The file itself is stored by
 * app_dossier_attach's path (dossier_files.c): sniffed, capped, content-
 * addressed; a reuse stores nothing new, it records the earlier file.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/citizen.h"
#include "app/digital.h"
#include "app/dossier.h"
#include "app/lookup.h"
#include "core/roles.h"

/* The checklist line's name into out; 0, or -1 when there is no such line. */
struct line_find {
	int want, found;
	char *out;
	size_t n;
	int count;
};

static int
line_find(int no, const char *name, void *arg)
{
	struct line_find *x = arg;
	x->count = no;
	if (no == x->want) {
		snprintf(x->out, x->n, "%s", name);
		x->found = 1;
	}
	return 0;
}

/* The earlier scan to reuse: a component attachment of dossier `from`
 * with that hash.  */
struct scan_find {
	const char *sha;
	struct store_attachment *out;
	int found;
};

static int
scan_find(const struct store_attachment *at, void *arg)
{
	struct scan_find *x = arg;
	if (strcmp(at->sha256, x->sha) != 0 || strcmp(at->kind, "result") == 0)
		return 0;
	*x->out = *at;
	x->found = 1;
	return 1;
}

/* Fills at from the earlier dossier's scan, after checking it belongs to
 * the same person (the same non-empty ID number) and the actor may read
 * it; one refusal for every way it does not, so a code of someone
 * else's dossier tells nothing. */
static enum err
reuse_of(struct app *a, const struct actor *ac, const struct store_dossier *d, const struct app_attach *in,
         struct store_attachment *at, struct app_fail *f)
{
	static const char no[] = "Không có bản quét này trong hồ sơ trước của cùng người nộp (cùng số định danh).";
	char from[64];
	if (!in->reuse_sha || strlen(in->reuse_sha) != 64 || app_dossier_code(a, in->reuse_code, from, sizeof from) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "reused_from", no);
	struct store_dossier e;
	if (strcmp(from, d->code) == 0 || !d->id_number[0] || store_dossier_get(a->st, from, &e) != ERR_OK)
		return app_fail(f, ERR_INVALID_FIELD, "reused_from", no);
	int same = strcmp(e.id_number, d->id_number) == 0 && app_dossier_may_read(a, ac, &e);
	store_dossier_free(&e);
	if (!same)
		return app_fail(f, ERR_INVALID_FIELD, "reused_from", no);
	struct store_attachment old;
	struct scan_find x = {in->reuse_sha, &old, 0};
	enum err r = store_attachments(a->st, from, scan_find, &x);
	if (r)
		return r;
	if (!x.found)
		return app_fail(f, ERR_INVALID_FIELD, "reused_from", no);
	snprintf(at->sha256, sizeof at->sha256, "%s", old.sha256);
	snprintf(at->name, sizeof at->name, "%s", old.name);
	snprintf(at->mime, sizeof at->mime, "%s", old.mime);
	at->size = old.size;
	snprintf(at->reused_from, sizeof at->reused_from, "%s", from);
	return ERR_OK;
}

/* The states in which a result may be attached: received and not ended
 * by a refusal, a withdrawal or a stop. */
static int
result_state_ok(const char *status)
{
	static const char *const ok[] = {"received", "processing", "waiting_supplement", "waiting_payment",
	                                 "result_ready", "returned"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(status, ok[i]) == 0)
			return 1;
	return 0;
}

enum err
app_dossier_attach_as(struct app *a, const struct actor *ac, const char *code, const struct app_attach *in,
                      struct app_fail *f)
{
	assert(a && ac && in);
	struct store_dossier d;
	enum err e = store_dossier_get(a->st, code, &d);
	if (e)
		return e;
	if (!app_dossier_may_act(a, ac, &d)) {
		store_dossier_free(&d);
		return ERR_FORBIDDEN;
	}
	struct store_attachment at = {.at = (int64_t)time(NULL)};
	if (in->kind == APP_ATT_RESULT) {
		snprintf(at.kind, sizeof at.kind, "result");
		if (!(ac->role & (ROLE_OFFICER | ROLE_LEADER)))
			e = app_fail(f, ERR_FORBIDDEN, "kind", "Chỉ công chức xử lý hoặc lãnh đạo đính kèm kết quả.");
		else if (!result_state_ok(d.status))
			e = app_fail(f, ERR_DOSSIER_STATE, "kind", "Hồ sơ chưa được tiếp nhận hoặc đã bị từ chối, "
			             "rút, dừng: không đính kèm kết quả.");
		else if (in->component || in->reuse_code)
			e = app_fail(f, ERR_INVALID_FIELD, "kind", "Kết quả là một tệp mới, không gắn với giấy tờ nào.");
	} else if (in->kind != APP_ATT_COMPONENT) {
		e = app_fail(f, ERR_INVALID_FIELD, "kind", "Loại tệp không hợp lệ.");
	} else {
		snprintf(at.kind, sizeof at.kind, "component");
		struct line_find x = {in->component, 0, at.component_name, sizeof at.component_name, 0};
		if (in->component < 0 || (in->component > 0 &&
		    ((e = store_dossier_checklist(a->st, d.code, line_find, &x)) != ERR_OK || !x.found)))
			e = e ? e : app_fail(f, ERR_INVALID_FIELD, "component", "Giấy tờ không có trong danh mục của hồ sơ.");
		at.component = in->component;
		if (!e && in->reuse_code && *in->reuse_code)
			e = reuse_of(a, ac, &d, in, &at, f);
	}
	char canon[64];
	snprintf(canon, sizeof canon, "%s", d.code);
	store_dossier_free(&d);
	if (e)
		return e;
	if (at.reused_from[0]) {
		e = store_attachment_add(a->st, ac->name, canon, &at);
		return e == ERR_EXISTS ? app_fail(f, ERR_EXISTS, "file", "Hồ sơ đã có tệp này.") : e;
	}
	return app_dossier_attach_file(a, ac, canon, in->file_name, in->data, in->len, &at, f);
}

/* ---- what is digitised ---- */

static int
dig_line(int no, const char *name, void *arg)
{
	(void)name;
	struct app_digitised *o = arg;
	o->components = no;
	return 0;
}

static int
dig_att(const struct store_attachment *at, void *arg)
{
	struct app_digitised *o = arg;
	if (strcmp(at->kind, "result") == 0) {
		o->result = 1;
		return 0;
	}
	if (at->component < 1 || at->component > o->components || at->component > APP_CHECKLIST_MAX)
		return 0;
	unsigned char *l = &o->line[at->component - 1];
	if (!*l)
		o->digitised++;
	if (at->reused_from[0] && *l != 2) {
		o->reused++;
		*l = 2;
	} else if (!*l)
		*l = 1;
	return 0;
}

enum err
app_digitised_of(struct app *a, const char *code, struct app_digitised *out)
{
	memset(out, 0, sizeof *out);
	enum err e = store_dossier_checklist(a->st, code, dig_line, out);
	return e ? e : store_attachments(a->st, code, dig_att, out);
}

enum err
app_dossier_digitised(struct app *a, const struct actor *ac, const char *code, struct app_digitised *out)
{
	memset(out, 0, sizeof *out);
	struct store_dossier d;
	enum err e = app_dossier_get(a, ac, code, &d);
	if (e)
		return e;
	char canon[64];
	snprintf(canon, sizeof canon, "%s", d.code);
	store_dossier_free(&d);
	if ((e = store_dossier_checklist(a->st, canon, dig_line, out)) != ERR_OK)
		return e;
	return store_attachments(a->st, canon, dig_att, out);
}

enum err
app_dossier_checklist(struct app *a, const struct actor *ac, const char *code,
                      int (*fn)(int no, const char *name, void *), void *arg)
{
	struct store_dossier d;
	enum err e = app_dossier_get(a, ac, code, &d);
	if (e)
		return e;
	char canon[64];
	snprintf(canon, sizeof canon, "%s", d.code);
	store_dossier_free(&d);
	return store_dossier_checklist(a->st, canon, fn, arg);
}

/* Only the earlier dossiers the actor may read are offered (an officer
 * reads his own and his unit's). */
struct scans_filter {
	struct app *a;
	const struct actor *ac;
	int (*fn)(const char *, const struct store_attachment *, void *);
	void *arg;
};

static int
scans_readable(const char *code, const struct store_attachment *at, void *arg)
{
	struct scans_filter *x = arg;
	struct store_dossier e;
	if (store_dossier_get(x->a->st, code, &e) != ERR_OK)
		return 0;
	int may = app_dossier_may_read(x->a, x->ac, &e);
	store_dossier_free(&e);
	return may ? x->fn(code, at, x->arg) : 0;
}

enum err
app_person_scans(struct app *a, const struct actor *ac, const char *code,
                 int (*fn)(const char *, const struct store_attachment *, void *), void *arg)
{
	struct store_dossier d;
	enum err e = app_dossier_get(a, ac, code, &d);
	if (e)
		return e;
	/* reuse is offered to those who may act on this dossier */
	if (!app_dossier_may_act(a, ac, &d)) {
		store_dossier_free(&d);
		return ERR_OK;
	}
	struct scans_filter x = {a, ac, fn, arg};
	e = store_person_scans(a->st, d.id_number, d.code, 50, scans_readable, &x);
	store_dossier_free(&d);
	return e;
}

/* ---- the electronic result for the applicant ---- */

struct result_find {
	struct store_attachment *out;
	int found;
};

static int
result_find(const struct store_attachment *at, void *arg)
{
	struct result_find *x = arg;
	if (strcmp(at->kind, "result") == 0) {
		*x->out = *at;   /* the last one attached wins */
		x->found = 1;
	}
	return 0;
}

static int
result_ready(const char *status)
{
	return strcmp(status, "result_ready") == 0 || strcmp(status, "returned") == 0;
}

int
app_result_downloadable(struct app *a, const struct store_dossier *d)
{
	struct store_attachment at;
	struct result_find x = {&at, 0};
	return result_ready(d->status) && store_attachments(a->st, d->code, result_find, &x) == ERR_OK && x.found;
}

/* The result file of dossier code (in state status) with its audit
 * event in actor's name: ERR_DOSSIER_STATE (f says why) before it is
 * ready or when none is attached. */
static enum err
result_file(struct app *a, const char *code, const char *status, const char *actor,
            struct store_attachment *meta, char **data, size_t *len, struct app_fail *f)
{
	if (!result_ready(status))
		return app_fail(f, ERR_DOSSIER_STATE, "", "Hồ sơ chưa có kết quả; ông/bà tải kết quả điện tử "
		                "khi hồ sơ đã giải quyết xong.");
	struct result_find x = {meta, 0};
	enum err e = store_attachments(a->st, code, result_find, &x);
	if (e != ERR_OK)
		return e;
	if (!x.found)
		return app_fail(f, ERR_DOSSIER_STATE, "", "Hồ sơ này không có kết quả điện tử; mời ông/bà nhận "
		                "bản giấy tại Bộ phận Một cửa.");
	if ((e = store_file_get(a->st, meta->sha256, data, len)) != ERR_OK)
		return e;
	if ((e = store_dossier_file_event(a->st, actor, code, "dossier.result_download", meta->sha256)) != ERR_OK) {
		free(*data);
		*data = NULL;
	}
	return e;
}

enum err
app_lookup_result(struct app *a, const struct app_proof *p, struct store_attachment *meta, char **data,
                  size_t *len, struct app_fail *f)
{
	struct app_lookup l;
	enum err e = app_lookup(a, p, &l);
	if (e)
		return e;
	char code[64], status[32], actor[96];
	snprintf(code, sizeof code, "%s", l.d.code);
	snprintf(status, sizeof status, "%s", l.d.status);
	app_lookup_free(&l);
	snprintf(actor, sizeof actor, "applicant:%s", code);
	return result_file(a, code, status, actor, meta, data, len, f);
}

enum err
app_citizen_result(struct app *a, const struct actor *ac, const char *code, struct store_attachment *meta,
                   char **data, size_t *len, struct app_fail *f)
{
	struct store_dossier d;
	enum err e = app_citizen_dossier(a, ac, code, &d);
	if (e)
		return e;
	e = result_file(a, d.code, d.status, ac->name, meta, data, len, f);
	store_dossier_free(&d);
	return e;
}
