/*
 * index766.c — see index766.h.  One pass over the dossiers received in
 * the period: each dossier's membership in every numerator and
 * denominator is decided by member() alone, so the counts and the lists
 * behind them cannot disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/cases.h"
#include "app/digital.h"
#include "app/dossier.h"
#include "app/index766.h"
#include "core/case_rules.h"
#include "core/deadline.h"
#include "core/roles.h"

/* The dossier-level indicators, in the order of member()'s bits. */
static const char *const DOSSIER_IDS[] = {"2.1", "3.3", "3.6", "4.1", "4.2", "4.3", "5.4"};
#define NDOS (sizeof DOSSIER_IDS / sizeof DOSSIER_IDS[0])

/* What the index needs of a procedure version, cached per version. */
struct proc_fact {
	int64_t version_id;
	char code[48];
	int online;                   /* partial or full online service */
	int paper_result;             /* the result is a paper (a result is named) */
};

struct scan {
	struct app *a;
	const struct actor *ac;
	const struct app_i766_query *q;
	int64_t judge, now;
	struct proc_fact *pf;
	size_t npf, cappf;
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
	int stopped;
	enum err e;
};

static const struct proc_fact *
proc_fact(struct scan *s, const struct store_dossier *d)
{
	for (size_t i = 0; i < s->npf; i++)
		if (s->pf[i].version_id == d->procedure_version_id)
			return &s->pf[i];
	if (s->npf == s->cappf) {
		size_t n = s->cappf ? s->cappf * 2 : 16;
		struct proc_fact *p = realloc(s->pf, n * sizeof *p);
		if (!p)
			return NULL;
		s->pf = p;
		s->cappf = n;
	}
	struct proc_fact *f = &s->pf[s->npf++];
	memset(f, 0, sizeof *f);
	f->version_id = d->procedure_version_id;
	snprintf(f->code, sizeof f->code, "%s", d->procedure_code);
	struct store_proc p;
	if (d->procedure_version_id && store_proc_version(s->a->st, d->procedure_version_id, &p) == ERR_OK) {
		f->online = p.proc.online_level == PROC_ONLINE_FULL || p.proc.online_level == PROC_ONLINE_PARTIAL;
		f->paper_result = p.proc.result && p.proc.result[0];
		store_proc_free(&p);
	}
	return f;
}

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

/* The timeline's facts for the index's on-time rule: the receipt (the
 * first move to "received"), supplement requests after it and their
 * waits, and the due instant's moves (the legal clock adds each pause's
 * office time to it), which give back the appointment made at receipt. */
struct tl {
	struct i766_dossier f;
	int64_t receipt, moved;
};

static int
tl_event(const struct store_dossier_event *ev, void *arg)
{
	struct tl *t = arg;
	if (ev->due_before && ev->due_after)
		t->moved += ev->due_after - ev->due_before;
	if (!t->receipt) {
		if (ev->to && strcmp(ev->to, "received") == 0)
			t->receipt = ev->at;
		return 0;
	}
	if (strcmp(ev->action, "request_supplement") == 0) {
		t->f.nsupplements++;
		if (!t->f.waiting_since)
			t->f.waiting_since = ev->at;
	} else if (t->f.waiting_since && strcmp(ev->to ? ev->to : "", "waiting_supplement") != 0) {
		/* the wait ends with whatever moves it on (papers received,
		 * withdrawal, refusal) */
		if (ev->at > t->f.waiting_since)
			t->f.supplement_secs += ev->at - t->f.waiting_since;
		t->f.waiting_since = 0;
	}
	return 0;
}

static int
rated_unsatisfied(struct app *a, const char *code)
{
	char level[32];
	return store_rating_get(a->st, code, level, sizeof level) == ERR_OK && strcmp(level, "unsatisfied") == 0;
}

/* Sets in[i] / nu[i] for the dossier-level indicators DOSSIER_IDS[i];
 * returns 0 when the dossier does not count (not received for
 * processing), -1 on a failure. */
static int
member(struct scan *s, const struct store_dossier *d, const struct proc_fact *pf, int in[NDOS], int nu[NDOS])
{
	memset(in, 0, NDOS * sizeof *in);
	memset(nu, 0, NDOS * sizeof *nu);
	if (!d->due_at || strcmp(d->status, "refused_at_intake") == 0)
		return 0;
	struct tl t = {.f = {.received_at = d->received_at}};
	if (store_dossier_events(s->a->st, d->code, tl_event, &t) != ERR_OK)
		return -1;
	t.f.appointment = d->due_at - t.moved;
	t.f.ended_at = d->finished_at;
	if (t.f.ended_at && t.f.waiting_since) {
		t.f.supplement_secs += t.f.ended_at > t.f.waiting_since ? t.f.ended_at - t.f.waiting_since : 0;
		t.f.waiting_since = 0;
	}
	int on_time = i766_on_time(&t.f, s->judge);
	struct app_digitised dg;
	if (app_dossier_digitised(s->a, s->ac, d->code, &dg) != ERR_OK)
		return -1;
	int online = strcmp(d->channel, "online") == 0;
	int e_result_ok = !pf->paper_result || dg.result;
	/* 2.1 */
	in[0] = 1;
	nu[0] = on_time;
	/* 3.3: online, with an electronic result where the result is a paper */
	in[1] = 1;
	nu[1] = online && e_result_ok;
	/* 3.6: a fee above zero, paid online */
	in[2] = d->fee > 0;
	nu[2] = in[2] && strcmp(d->fee_status, "paid") == 0 && strcmp(d->pay_channel, "online") == 0;
	/* 4.1: procedures whose result is a paper; the result as a file */
	in[3] = pf->paper_result;
	nu[3] = in[3] && dg.result;
	/* 4.2: every checklist line digitised, and the electronic result where needed */
	in[4] = 1;
	nu[4] = dg.components > 0 && dg.digitised >= dg.components && e_result_ok;
	/* 4.3: at least one component reused */
	in[5] = 1;
	nu[5] = dg.reused > 0;
	/* 5.4: the numerator counts the bad ones: late under the index's
	 * rule, or rated "not satisfied" (score: 100 % − their share) */
	in[6] = 1;
	nu[6] = !on_time || rated_unsatisfied(s->a, d->code);
	return 1;
}

static int
each(const struct store_dossier *d, void *arg)
{
	struct scan *s = arg;
	if (s->q->procedure && s->q->procedure[0] && strcmp(d->procedure_code, s->q->procedure) != 0)
		return 0;
	const struct proc_fact *pf = proc_fact(s, d);
	if (!pf) {
		s->e = ERR_NOMEM;
		return 1;
	}
	int in[NDOS], nu[NDOS];
	int r = member(s, d, pf, in, nu);
	if (r < 0) {
		s->e = ERR_INTERNAL;
		return 1;
	}
	if (!r)
		return 0;
	if (s->want >= 0) {
		if ((s->numerator ? nu : in)[s->want] && s->fn(d->code, s->arg)) {
			s->stopped = 1;
			return 1;
		}
		return 0;
	}
	for (size_t i = 0; i < NDOS; i++) {
		s->den[i] += in[i];
		s->num[i] += nu[i];
	}
	const char *tl = app_timeliness(d, s->judge);
	s->dom_den++;
	s->dom_ok += tl && (strcmp(tl, "early") == 0 || strcmp(tl, "on_time") == 0 || strcmp(tl, "in_time") == 0);
	struct proc_use *u = use_of(s, d->procedure_code);
	if (!u) {
		s->e = ERR_NOMEM;
		return 1;
	}
	u->online_used |= pf->online && strcmp(d->channel, "online") == 0;
	u->fee_bearing |= in[2];
	u->paid_online |= nu[2];
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
	s->judge = end < s->now ? end : s->now;
	struct store_dossier_query dq = {.from = vn_instant(s->q->from, 0), .to = end, .limit = 1000};
	for (int64_t total = 1; !s->e && !s->stopped && dq.offset < total; dq.offset += dq.limit) {
		enum err e = store_dossier_list(s->a->st, &dq, each, s, &total);
		if (e && !s->e)
			s->e = e;
	}
	return s->e;
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
	struct scan s = {.a = a, .ac = ac, .q = q, .now = now, .want = -1};
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
	free(s.pf);
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
	struct actor sys;
	reader(&sys);
	struct scan s = {.a = a, .ac = &sys, .q = q, .now = now, .want = want, .numerator = numerator, .fn = fn,
	                 .arg = arg};
	e = run(&s);
	free(s.pf);
	free(s.use);
	return e;
}
