/*
 * index766.c — see index766.h.  The dossier-level indicators are the
 * sums of the dossiers' facts (app/facts.c) over the period; the open
 * dossiers are judged one by one at the period's end.  A count and the
 * list behind it both go through member() and open_member(), so they
 * cannot disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/cases.h"
#include "app/digital.h"
#include "app/dossier.h"
#include "app/facts.h"
#include "app/index766.h"
#include "core/case_rules.h"
#include "core/deadline.h"
#include "core/roles.h"

/* The dossier-level indicators, in the order of member()'s bits. */
static const char *const DOSSIER_IDS[] = {"2.1", "3.3", "3.6", "4.1", "4.2", "4.3", "5.4"};
#define NDOS (sizeof DOSSIER_IDS / sizeof DOSSIER_IDS[0])

struct scan {
	struct app *a;
	const struct app_i766_query *q;
	int64_t judge;
	/* tallies */
	int64_t num[NDOS], den[NDOS];
	int64_t dom_ok, dom_den;
	/* per procedure code: online dossiers, fee-bearing, paid online */
	struct proc_use {
		char code[48];
		int online_used, fee_bearing, paid_online;
	} *use;
	size_t nuse, capuse;
	/* a list instead of tallies */
	int want;                     /* index in DOSSIER_IDS, -1 = tally */
	int numerator;
	int (*fn)(const char *code, void *);
	void *arg;
	enum err e;
};

static struct proc_use *
use_of(struct scan *s, const char *code)
{
	for (size_t i = 0; i < s->nuse; i++)
		if (strcmp(s->use[i].code, code) == 0)
			return &s->use[i];
	if (s->nuse == s->capuse) {
		size_t n = s->capuse ? s->capuse * 2 : 16;
		struct proc_use *u = realloc(s->use, n * sizeof *u);
		if (!u)
			return NULL;
		s->use = u;
		s->capuse = n;
	}
	struct proc_use *u = &s->use[s->nuse++];
	memset(u, 0, sizeof *u);
	snprintf(u->code, sizeof u->code, "%s", code);
	return u;
}

/* The dossier-level indicators of summed facts v (DOSSIER_IDS' order):
 * in[i] the denominator, nu[i] the numerator.  The open dossiers' 2.1 and
 * 5.4 (judged at the period's end) are added by open_one. */
static void
member(const int64_t *v, int64_t in[NDOS], int64_t nu[NDOS])
{
	/* 2.1: the index's on-time rule (supplement time subtracted, two
	 * supplement requests make it late) */
	in[0] = v[SF_COUNTED];
	nu[0] = v[SF_I21];
	/* 3.3: online, with an electronic result where the result is a paper */
	in[1] = v[SF_COUNTED];
	nu[1] = v[SF_I33];
	/* 3.6: a fee above zero, paid online */
	in[2] = v[SF_I36D];
	nu[2] = v[SF_I36N];
	/* 4.1: procedures whose result is a paper; the result as a file */
	in[3] = v[SF_I41D];
	nu[3] = v[SF_I41N];
	/* 4.2: every checklist line digitised, and the electronic result where needed */
	in[4] = v[SF_COUNTED];
	nu[4] = v[SF_I42];
	/* 4.3: at least one component reused */
	in[5] = v[SF_COUNTED];
	nu[5] = v[SF_I43];
	/* 5.4: the numerator counts the bad ones: late under the index's
	 * rule, or rated "not satisfied" (score: 100 % − their share) */
	in[6] = v[SF_COUNTED];
	nu[6] = v[SF_I54];
}

/* An open dossier at the judgement instant: 2.1 and 5.4, and DOMAIN's
 * "pending in time" for the comparison. */
static void
open_member(const struct scan *s, const struct store_facts *f, int64_t nu[NDOS], int64_t *dom_ok)
{
	if (!f->pending)
		return;
	int on_time = app_facts_i766_on_time(f, s->judge);
	nu[0] += on_time;
	nu[6] += !on_time || f->rating == 3;
	*dom_ok += app_facts_in_time(f, s->judge) == 1;
}

static int
sum_one(const struct store_facts_key *k, const int64_t v[SF_N], void *arg)
{
	struct scan *s = arg;
	if (!v[SF_COUNTED])
		return 0;
	int64_t in[NDOS], nu[NDOS];
	member(v, in, nu);
	for (size_t i = 0; i < NDOS; i++) {
		s->den[i] += in[i];
		s->num[i] += nu[i];
	}
	s->dom_den += v[SF_COUNTED];
	s->dom_ok += v[SF_EARLY] + v[SF_ON_TIME];
	struct proc_use *u = use_of(s, k->procedure_code);
	if (!u) {
		s->e = ERR_NOMEM;
		return 1;
	}
	u->online_used |= v[SF_PROC_ONLINE_USED] > 0;
	u->fee_bearing |= v[SF_I36D] > 0;
	u->paid_online |= v[SF_I36N] > 0;
	return 0;
}

static int
open_one(const struct store_facts *f, const char *code, void *arg)
{
	(void)code;
	struct scan *s = arg;
	open_member(s, f, s->num, &s->dom_ok);
	return 0;
}

/* One dossier of a list. */
static int
list_one(const struct store_facts *f, const char *code, void *arg)
{
	struct scan *s = arg;
	if (!f->v[SF_COUNTED])
		return 0;
	int64_t in[NDOS], nu[NDOS], dom = 0;
	member(f->v, in, nu);
	open_member(s, f, nu, &dom);
	if ((s->numerator ? nu : in)[s->want] && s->fn(code, s->arg))
		return 1;
	return 0;
}

static enum err
check_query(const struct app_i766_query *q, struct app_fail *f)
{
	if (q->to < q->from)
		return app_fail(f, ERR_OUT_OF_RANGE, "den", "Ngày “đến” không được trước ngày “từ”.");
	if (q->to - q->from > 3660)
		return app_fail(f, ERR_OUT_OF_RANGE, "den", "Khoảng thời gian tối đa 10 năm.");
	return ERR_OK;
}

static enum err
run(struct scan *s)
{
	int64_t end = vn_instant(s->q->to, 0) + 86400;
	if (end < s->judge)
		s->judge = end;
	enum err e = app_facts_sync(s->a);
	struct store_facts_filter flt = {.from = s->q->from, .to = s->q->to, .procedure = s->q->procedure};
	if (!e && s->want >= 0)
		return store_facts_each(s->a->st, &flt, list_one, s);
	if (!e)
		e = store_facts_sum(s->a->st, s->q->from, s->q->to, s->q->procedure, sum_one, s);
	flt.which = SFW_PENDING;
	if (!e && !s->e)
		e = store_facts_each(s->a->st, &flt, open_one, s);
	return e ? e : s->e;
}

/* 3.1 and 3.2 over the catalogue: published procedures (or the one asked
 * for), those offered online, those of them used online in the period. */
struct cat {
	struct scan *s;
	int64_t procs, online, online_used;
};

static int
cat_proc(struct store_proc *p, void *arg)
{
	struct cat *c = arg;
	const char *want = c->s->q->procedure;
	if (want && want[0] && strcmp(p->code, want) != 0)
		return 0;
	int online = p->proc.online_level == PROC_ONLINE_FULL || p->proc.online_level == PROC_ONLINE_PARTIAL;
	c->procs++;
	c->online += online;
	if (online)
		for (size_t i = 0; i < c->s->nuse; i++)
			if (strcmp(c->s->use[i].code, p->code) == 0 && c->s->use[i].online_used) {
				c->online_used++;
				break;
			}
	return 0;
}

/* 5.2 and 5.3: feedback (phản ánh, kiến nghị, góp ý) received in the
 * period; handled on time, or pending within its limit at the judgement
 * instant.  motcua records no dislike or re-raise of an answer, so 5.3
 * counts the feedback neither overdue nor answered late. */
static enum err
feedback(struct app *a, const struct actor *ac, const struct app_i766_query *q, int64_t judge, int64_t *ok,
         int64_t *all)
{
	static const enum case_kind kinds[] = {CASE_PETITION_REG, CASE_FEEDBACK, CASE_SUGGESTION};
	*ok = *all = 0;
	for (size_t k = 0; k < 3; k++) {
		struct app_case_filter flt = {.kind = (int)kinds[k], .stage = CASE_NSTAGES, .from = vn_instant(q->from, 0),
		                              .to = vn_instant(q->to, 0) + 86400, .limit = 200, .order = "received"};
		for (size_t total = 1; (size_t)flt.offset < total; flt.offset += flt.limit) {
			struct app_case_row *rows = NULL;
			size_t n = 0;
			enum err e = app_case_list(a, ac, &flt, &rows, &n, &total);
			if (e)
				return e;
			for (size_t i = 0; i < n; i++) {
				struct app_case c;
				if ((e = app_case_get(a, ac, rows[i].code, &c)) != ERR_OK) {
					free(rows);
					return e;
				}
				int good = c.finished_late == 0 ||
				           (c.finished_late < 0 && (!c.due_at || c.due_at >= judge));
				app_case_free(&c);
				(*all)++;
				*ok += good;
			}
			free(rows);
			if (!n)
				break;
		}
	}
	return ERR_OK;
}

static void
set_fig(struct app_i766 *out, const struct i766_indicator *in, int64_t num, int64_t den, int per_dossier)
{
	size_t i = (size_t)(in - i766_indicators);
	struct app_i766_figure *g = &out->fig[i];
	g->num = num;
	g->den = den;
	g->per_dossier = per_dossier;
	g->points = i766_score(in, num, den, &g->ratio, &g->defined);
}

/* The index reads every dossier and feedback of the agency, whoever
 * asked (the caller checked who may see the figures): an inspector's
 * reading, so the figures do not depend on the asker's unit. */
static void
reader(struct actor *sys)
{
	memset(sys, 0, sizeof *sys);
	sys->role = ROLE_VIEWER;
	snprintf(sys->name, sizeof sys->name, "system:chi-so-766");
}

static enum err
compute(struct app *a, const struct app_i766_query *q, int64_t now, struct app_i766 *out, struct app_fail *f)
{
	memset(out, 0, sizeof *out);
	struct actor sys;
	reader(&sys);
	const struct actor *ac = &sys;
	enum err e = check_query(q, f);
	if (e)
		return e;
	struct scan s = {.a = a, .q = q, .judge = now, .want = -1};
	if ((e = run(&s)) == ERR_OK) {
		struct cat c = {.s = &s};
		struct store_proc_query pq = {.published_only = 1, .limit = 1000};
		for (int64_t total = 1; !e && pq.offset < total; pq.offset += pq.limit)
			e = store_proc_list(a->st, &pq, cat_proc, &c, &total);
		int64_t fee_procs = 0, paid_procs = 0, fb_ok = 0, fb_all = 0;
		for (size_t i = 0; i < s.nuse; i++) {
			fee_procs += s.use[i].fee_bearing;
			paid_procs += s.use[i].paid_online;
		}
		if (!e)
			e = feedback(a, ac, q, s.judge, &fb_ok, &fb_all);
		if (!e) {
			out->n = i766_nindicators;
			for (size_t i = 0; i < out->n; i++) {
				out->fig[i].in = &i766_indicators[i];
				out->fig[i].defined = 0;
			}
			for (size_t i = 0; i < NDOS; i++)
				set_fig(out, i766_find(DOSSIER_IDS[i]), s.num[i], s.den[i], 1);
			set_fig(out, i766_find("3.1"), c.online, c.procs, 0);
			set_fig(out, i766_find("3.2"), c.online_used, c.online, 0);
			set_fig(out, i766_find("3.5b"), paid_procs, fee_procs, 0);
			set_fig(out, i766_find("5.2"), fb_ok, fb_all, 0);
			set_fig(out, i766_find("5.3"), fb_ok, fb_all, 0);
			for (size_t i = 0; i < out->n; i++) {
				out->group_points[out->fig[i].in->group - 1] += out->fig[i].points;
				out->total += out->fig[i].points;
			}
			out->judge = s.judge;
			out->domain_on_time = s.dom_ok;
			out->domain_den = s.dom_den;
		}
	}
	free(s.use);
	return e;
}

enum err
app_index766(struct app *a, const struct actor *ac, const struct app_i766_query *q, int64_t now,
             struct app_i766 *out, struct app_fail *f)
{
	if (!(ac->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_VIEWER)))
		return ERR_FORBIDDEN;
	return compute(a, q, now, out, f);
}

enum err
app_index766_public(struct app *a, const struct app_i766_query *q, int64_t now, struct app_i766 *out,
                    struct app_fail *f)
{
	/* aggregates only leave this function */
	return compute(a, q, now, out, f);
}

enum err
app_index766_dossiers(struct app *a, const struct actor *ac, const struct app_i766_query *q, int64_t now,
                      const char *id, int numerator, int (*fn)(const char *code, void *), void *arg,
                      struct app_fail *f)
{
	if (!(ac->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_VIEWER)))
		return ERR_FORBIDDEN;
	enum err e = check_query(q, f);
	if (e)
		return e;
	int want = -1;
	for (size_t i = 0; id && i < NDOS; i++)
		if (strcmp(id, DOSSIER_IDS[i]) == 0)
			want = (int)i;
	if (want < 0)
		return app_fail(f, ERR_NOT_FOUND, "chi_so", "Chỉ số này không tính theo hồ sơ.");
	struct scan s = {.a = a, .q = q, .judge = now, .want = want, .numerator = numerator, .fn = fn,
	                 .arg = arg};
	e = run(&s);
	free(s.use);
	return e;
}
