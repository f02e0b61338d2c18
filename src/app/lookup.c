/*
 * lookup.c — see lookup.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/dossier.h"
#include "app/lookup.h"
#include "core/dossier_fsm.h"
#include "core/ident.h"
#include "core/roles.h"
#include "core/text.h"

#define DEF_PER_CODE 10
#define DEF_PER_CLIENT 30
#define DEF_WINDOW (15 * 60)

static void
limits(const struct app *a, int64_t *per_code, int64_t *per_client, int64_t *window)
{
	*per_code = a->lookup.per_code > 0 ? a->lookup.per_code : DEF_PER_CODE;
	*per_client = a->lookup.per_client > 0 ? a->lookup.per_client : DEF_PER_CLIENT;
	*window = a->lookup.window > 0 ? a->lookup.window : DEF_WINDOW;
}

/* The key as stored: a 12-digit ID as is, a phone normalised; both zero
 * padded to the same width so the comparison does the same work. */
static void
key_norm(const char *key, char out[IDENT_PHONE_SIZE + 16], int *is_id)
{
	memset(out, 0, IDENT_PHONE_SIZE + 16);
	size_t n = strlen(key);
	*is_id = n == 12 && strspn(key, "0123456789") == 12;
	if (*is_id)
		memcpy(out, key, 12);
	else if (ident_phone_normalize(key, out, IDENT_PHONE_SIZE) != IDENT_OK)
		memset(out, 0, IDENT_PHONE_SIZE + 16);
}

/* Constant-time equality of two fixed-width buffers. */
static int
same(const char *x, const char *y, size_t n)
{
	volatile unsigned char d = 0;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(x[i] ^ y[i]);
	return d == 0;
}

static int
key_matches(const char *phone, const char *id_number, const char *key)
{
	char want[IDENT_PHONE_SIZE + 16], have[IDENT_PHONE_SIZE + 16];
	int is_id;
	key_norm(key, want, &is_id);
	memset(have, 0, sizeof have);
	snprintf(have, sizeof have, "%s", is_id ? id_number : phone);
	/* an empty key never matches an empty field */
	return same(want, have, sizeof want) & (want[0] != 0);
}

/* The canonical code of what was typed, or the text itself (bounded). */
static void
canon_code(const struct app *a, const char *typed, char *out, size_t n)
{
	if (app_dossier_code(a, typed, out, n) != 0)
		snprintf(out, n, "%.64s", typed);
}

/* What the applicant is told: the caller's fields. */
struct told {
	char **reason;
	char ***missing;
	size_t *nmissing;
};

static void
told_free(const struct told *t)
{
	for (size_t i = 0; i < *t->nmissing; i++)
		free((*t->missing)[i]);
	free(*t->missing);
	free(*t->reason);
	*t->missing = NULL;
	*t->nmissing = 0;
	*t->reason = NULL;
}

/* One proof's reads, in one snapshot: the guard's counts, the dossier
 * (get: the caller's record, with phone and id_number pointing into it;
 * ERR_NOT_FOUND for an unknown code) and what the applicant is told. */
struct proof_read {
	struct app *a;
	const struct app_proof *p;
	enum err (*get)(struct proof_read *r);
	void (*drop)(struct proof_read *r);   /* frees what get read */
	void *rec;
	const char *phone, *id_number, *status, *dcode; /* of the record read */
	struct told told;
	char code[80], ck[96], cl[96];
	const char *keys[2];
	int64_t per_code, per_client, window, fails[2], now;
	int wrong;                 /* an unknown code or a wrong key: count it */
};

/* The last event of the kind the dossier's state calls for: a supplement
 * request while waiting for one, a refusal once refused. */
struct told_arg {
	const char *want;
	const struct told *t;
	int oom;
};

static int
told_event(const struct store_dossier_event *ev, void *arg)
{
	struct told_arg *ta = arg;
	if (strcmp(ev->action, ta->want) != 0)
		return 0;
	const struct told *t = ta->t;
	told_free(t);
	*t->reason = strdup(ev->note ? ev->note : "");
	if (ev->nmissing && (*t->missing = calloc(ev->nmissing, sizeof **t->missing)) != NULL)
		for (; *t->nmissing < ev->nmissing; (*t->nmissing)++)
			if (!((*t->missing)[*t->nmissing] = strdup(ev->missing[*t->nmissing])))
				break;
	ta->oom = !*t->reason || (ev->nmissing && *t->nmissing != ev->nmissing);
	return 0;
}

/* Fills what the applicant is told from the timeline (lookup.h). */
static enum err
what_told(struct proof_read *r)
{
	struct told_arg ta = {NULL, &r->told, 0};
	if (strcmp(r->status, "waiting_supplement") == 0)
		ta.want = "request_supplement";
	else if (strcmp(r->status, "refused_at_intake") == 0)
		ta.want = "refuse_intake";
	else if (strcmp(r->status, "stopped") == 0)
		ta.want = "refuse";   /* a refusal after processing; a plain stop says nothing */
	if (!ta.want)
		return ERR_OK;
	enum err e = store_dossier_events(r->a->st, r->dcode, told_event, &ta);
	return e ? e : ta.oom ? ERR_NOMEM : ERR_OK;
}

static enum err
proof_read(void *arg)
{
	struct proof_read *r = arg;
	enum err e = store_guess_count(r->a->st, r->keys, 2, r->now, r->window, r->fails);
	if (e)
		return e;
	if (r->fails[0] >= r->per_code || r->fails[1] >= r->per_client)
		return ERR_THROTTLED;
	e = r->get(r);
	if (e && e != ERR_NOT_FOUND)
		return e;
	int found = !e;
	int ok = key_matches(found ? r->phone : "0000000000", found ? r->id_number : "000000000000",
	                     r->p->key) & found;
	if (!ok) {
		if (found)
			r->drop(r);
		r->wrong = 1;
		return ERR_NOT_FOUND;
	}
	if ((e = what_told(r)) != ERR_OK) {
		told_free(&r->told);
		r->drop(r);
	}
	return e;
}

/* The proof behind both lookups: checks, the guard, the reads (r->get),
 * a failure counted after them. */
static enum err
prove(struct app *a, const struct app_proof *p, struct proof_read *r)
{
	if (!p->code || !p->key || !*p->code || !*p->key || strlen(p->code) > 80 || strlen(p->key) > 40)
		return ERR_MISSING_FIELD;
	r->a = a;
	r->p = p;
	r->now = (int64_t)time(NULL);
	canon_code(a, p->code, r->code, sizeof r->code);
	snprintf(r->ck, sizeof r->ck, "code:%s", r->code);
	snprintf(r->cl, sizeof r->cl, "client:%s", p->client && *p->client ? p->client : "?");
	r->keys[0] = r->ck;
	r->keys[1] = r->cl;
	limits(a, &r->per_code, &r->per_client, &r->window);
	/* the reads in one snapshot; a failure is written after it */
	enum err e = store_snapshot(a->st, proof_read, r);
	if (e == ERR_NOT_FOUND && r->wrong) {
		e = store_guess_fail(a->st, r->keys, 2, r->now, r->window, r->fails);
		return e ? e : ERR_NOT_FOUND;
	}
	return e;
}

/* What get read: the keys to compare, the state and code for what_told. */
static enum err
read_as(struct proof_read *r, const char *phone, const char *id_number, const char *status,
        const char *code)
{
	r->phone = phone;
	r->id_number = id_number;
	r->status = status;
	r->dcode = code;
	return ERR_OK;
}

/* app_lookup's record: the whole dossier and its rating. */
static enum err
full_get(struct proof_read *r)
{
	struct app_lookup *l = r->rec;
	enum err e = store_dossier_get(r->a->st, r->code, &l->d);
	if (e)
		return e;
	e = store_rating_get(r->a->st, l->d.code, l->rating, sizeof l->rating);
	if (e && e != ERR_NOT_FOUND) {
		store_dossier_free(&l->d);
		memset(&l->d, 0, sizeof l->d);
		return e;
	}
	return read_as(r, l->d.phone, l->d.id_number, l->d.status, l->d.code);
}

static void
full_drop(struct proof_read *r)
{
	struct app_lookup *l = r->rec;
	store_dossier_free(&l->d);
	memset(l, 0, sizeof *l);
}

enum err
app_lookup(struct app *a, const struct app_proof *p, struct app_lookup *out)
{
	memset(out, 0, sizeof *out);
	struct proof_read r = {.get = full_get, .drop = full_drop, .rec = out,
	                       .told = {&out->reason, &out->missing, &out->nmissing}};
	enum err e = prove(a, p, &r);
	if (e)
		return e;
	enum dfsm_state st;
	out->rateable = !out->rating[0] && dfsm_state_from_code(out->d.status, &st) == 0 &&
	                dfsm_state_info(st)->terminal;
	return ERR_OK;
}

/* app_lookup_brief's record: the answer's fields only. */
static enum err
brief_get(struct proof_read *r)
{
	struct app_lookup_brief *l = r->rec;
	enum err e = store_dossier_brief(r->a->st, r->code, &l->d);
	if (e)
		return e;
	return read_as(r, l->d.phone, l->d.id_number, l->d.status, l->d.code);
}

static void
brief_drop(struct proof_read *r)
{
	memset(r->rec, 0, sizeof(struct app_lookup_brief));
}

enum err
app_lookup_brief(struct app *a, const struct app_proof *p, struct app_lookup_brief *out)
{
	memset(out, 0, sizeof *out);
	struct proof_read r = {.get = brief_get, .drop = brief_drop, .rec = out,
	                       .told = {&out->reason, &out->missing, &out->nmissing}};
	return prove(a, p, &r);
}

void
app_lookup_brief_free(struct app_lookup_brief *l)
{
	struct told t = {&l->reason, &l->missing, &l->nmissing};
	told_free(&t);
	memset(l, 0, sizeof *l);
}

void
app_lookup_free(struct app_lookup *l)
{
	if (l->d.code[0])
		store_dossier_free(&l->d);
	struct told t = {&l->reason, &l->missing, &l->nmissing};
	told_free(&t);
	memset(l, 0, sizeof *l);
}

enum err
app_lookup_events(struct app *a, const struct app_lookup *l,
                  int (*fn)(const struct store_dossier_event *, void *), void *arg)
{
	return l->d.code[0] ? store_dossier_events(a->st, l->d.code, fn, arg) : ERR_NOT_FOUND;
}

/* ---- ratings ---------------------------------------------------------------- */

const struct app_rating_level app_rating_levels[3] = {
	{"very_satisfied", "Rất hài lòng"},
	{"satisfied", "Hài lòng"},
	{"unsatisfied", "Không hài lòng"},
};

const char *
app_rating_label(const char *code)
{
	for (size_t i = 0; code && i < 3; i++)
		if (strcmp(app_rating_levels[i].code, code) == 0)
			return app_rating_levels[i].label;
	return NULL;
}

enum err
app_rate(struct app *a, const struct app_proof *p, const char *level, const char *comment,
         struct app_fail *f)
{
	if (!app_rating_label(level))
		return app_fail(f, ERR_INVALID_FIELD, "level",
		                "Vui lòng chọn một mức: Rất hài lòng, Hài lòng hoặc Không hài lòng.");
	if (comment && text_length(comment, strlen(comment)) > 1000)
		return app_fail(f, ERR_INVALID_FIELD, "comment", "Ý kiến tối đa 1.000 ký tự.");
	struct app_lookup l;
	enum err e = app_lookup(a, p, &l);
	if (e)
		return e;
	int can = l.rateable, rated = l.rating[0] != 0;
	char actor[96], code[64];
	snprintf(code, sizeof code, "%s", l.d.code);
	snprintf(actor, sizeof actor, "applicant:%s", l.d.code);
	app_lookup_free(&l);
	if (rated)
		return ERR_EXISTS;
	if (!can)
		return app_fail(f, ERR_DOSSIER_STATE, "",
		                "Hồ sơ chưa giải quyết xong; ông/bà có thể đánh giá khi nhận kết quả.");
	return store_rating_add(a->st, actor, code, level, comment ? comment : "", (int64_t)time(NULL));
}

enum err
app_rating_counts(struct app *a, const struct actor *ac, int64_t from, int64_t to, int64_t out[3])
{
	if (!(ac->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_VIEWER | ROLE_CLERK | ROLE_OFFICER)))
		return ERR_FORBIDDEN;
	if (to <= from)
		return ERR_OUT_OF_RANGE;
	return store_rating_counts(a->st, from, to, out);
}
