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
key_matches(const struct store_dossier *d, const char *key)
{
	char want[IDENT_PHONE_SIZE + 16], have[IDENT_PHONE_SIZE + 16];
	int is_id;
	key_norm(key, want, &is_id);
	memset(have, 0, sizeof have);
	snprintf(have, sizeof have, "%s", is_id ? d->id_number : d->phone);
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

/* One proof's reads: the guard's counts, the dossier, its rating. */
struct proof_read {
	struct app *a;
	const struct app_proof *p;
	struct app_lookup *out;
	char code[80], ck[96], cl[96];
	const char *keys[2];
	int64_t per_code, per_client, window, fails[2], now;
	int wrong;                 /* an unknown code or a wrong key: count it */
};

static enum err
proof_read(void *arg)
{
	struct proof_read *r = arg;
	struct app_lookup *out = r->out;
	enum err e = store_guess_count(r->a->st, r->keys, 2, r->now, r->window, r->fails);
	if (e)
		return e;
	if (r->fails[0] >= r->per_code || r->fails[1] >= r->per_client)
		return ERR_THROTTLED;
	static const struct store_dossier dummy = {.phone = "0000000000", .id_number = "000000000000"};
	e = store_dossier_get(r->a->st, r->code, &out->d);
	if (e && e != ERR_NOT_FOUND)
		return e;
	int found = !e;
	int ok = key_matches(found ? &out->d : &dummy, r->p->key) & found;
	if (!ok) {
		if (found)
			store_dossier_free(&out->d);
		memset(out, 0, sizeof *out);
		r->wrong = 1;
		return ERR_NOT_FOUND;
	}
	e = store_rating_get(r->a->st, out->d.code, out->rating, sizeof out->rating);
	if (e && e != ERR_NOT_FOUND) {
		app_lookup_free(out);
		return e;
	}
	return ERR_OK;
}

/* The last event of the kind the dossier's state calls for: a supplement
 * request while waiting for one, a refusal once refused. */
struct told {
	const char *want;
	struct app_lookup *out;
	int oom;
};

static int
told_event(const struct store_dossier_event *ev, void *arg)
{
	struct told *t = arg;
	if (strcmp(ev->action, t->want) != 0)
		return 0;
	struct app_lookup *l = t->out;
	for (size_t i = 0; i < l->nmissing; i++)
		free(l->missing[i]);
	free(l->missing);
	free(l->reason);
	l->missing = NULL;
	l->nmissing = 0;
	l->reason = strdup(ev->note ? ev->note : "");
	if (ev->nmissing && (l->missing = calloc(ev->nmissing, sizeof *l->missing)) != NULL)
		for (; l->nmissing < ev->nmissing; l->nmissing++)
			if (!(l->missing[l->nmissing] = strdup(ev->missing[l->nmissing])))
				break;
	t->oom = !l->reason || (ev->nmissing && l->nmissing != ev->nmissing);
	return 0;
}

/* Fills what the applicant is told from the timeline (lookup.h). */
static enum err
what_told(struct app *a, struct app_lookup *l)
{
	struct told t = {NULL, l, 0};
	if (strcmp(l->d.status, "waiting_supplement") == 0)
		t.want = "request_supplement";
	else if (strcmp(l->d.status, "refused_at_intake") == 0)
		t.want = "refuse_intake";
	else if (strcmp(l->d.status, "stopped") == 0)
		t.want = "refuse";   /* a refusal after processing; a plain stop says nothing */
	if (!t.want)
		return ERR_OK;
	enum err e = store_dossier_events(a->st, l->d.code, told_event, &t);
	return e ? e : t.oom ? ERR_NOMEM : ERR_OK;
}

enum err
app_lookup(struct app *a, const struct app_proof *p, struct app_lookup *out)
{
	memset(out, 0, sizeof *out);
	if (!p->code || !p->key || !*p->code || !*p->key || strlen(p->code) > 80 || strlen(p->key) > 40)
		return ERR_MISSING_FIELD;
	struct proof_read r = {.a = a, .p = p, .out = out, .now = (int64_t)time(NULL)};
	canon_code(a, p->code, r.code, sizeof r.code);
	snprintf(r.ck, sizeof r.ck, "code:%s", r.code);
	snprintf(r.cl, sizeof r.cl, "client:%s", p->client && *p->client ? p->client : "?");
	r.keys[0] = r.ck;
	r.keys[1] = r.cl;
	limits(a, &r.per_code, &r.per_client, &r.window);
	/* the reads in one snapshot; a failure is written after it */
	enum err e = store_snapshot(a->st, proof_read, &r);
	if (e == ERR_NOT_FOUND && r.wrong) {
		e = store_guess_fail(a->st, r.keys, 2, r.now, r.window, r.fails);
		return e ? e : ERR_NOT_FOUND;
	}
	if (e)
		return e;
	enum dfsm_state st;
	out->rateable = !out->rating[0] && dfsm_state_from_code(out->d.status, &st) == 0 &&
	                dfsm_state_info(st)->terminal;
	if ((e = what_told(a, out)) != ERR_OK)
		app_lookup_free(out);
	return e;
}

void
app_lookup_free(struct app_lookup *l)
{
	if (l->d.code[0])
		store_dossier_free(&l->d);
	for (size_t i = 0; i < l->nmissing; i++)
		free(l->missing[i]);
	free(l->missing);
	free(l->reason);
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
