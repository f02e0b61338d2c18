/*
 * facts.c — see facts.h.  facts_of() is the one place that decides what a
 * dossier counts in: the statistics (DOMAIN decision 6), the timeliness
 * report, staff performance and the Decision 766 index all read its sums.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/calendar.h"
#include "app/digital.h"
#include "app/dossier.h"
#include "app/facts.h"
#include "core/deadline.h"
#include "core/index766.h"
#include "core/vntime.h"

struct batch {
	struct app *a;
	struct calsnap *cs;
	int cs_year;
};

/* What the facts need of a procedure version (a->facts_pv keeps them). */
static struct app_pver
pver_of(struct batch *b, int64_t id)
{
	struct app *a = b->a;
	pthread_mutex_lock(&a->facts_lock);
	for (size_t i = 0; i < a->facts_npv; i++)
		if (a->facts_pv[i].id == id) {
			struct app_pver v = a->facts_pv[i];
			pthread_mutex_unlock(&a->facts_lock);
			return v;
		}
	pthread_mutex_unlock(&a->facts_lock);
	struct app_pver v = {.id = id};
	struct store_proc p;
	if (id && store_proc_version(a->st, id, &p) == ERR_OK) {
		v.online = p.proc.online_level == PROC_ONLINE_FULL || p.proc.online_level == PROC_ONLINE_PARTIAL;
		v.paper_result = p.proc.result && p.proc.result[0];
		store_proc_free(&p);
	}
	pthread_mutex_lock(&a->facts_lock);
	if (a->facts_npv == sizeof a->facts_pv / sizeof a->facts_pv[0])
		a->facts_npv = 0;
	a->facts_pv[a->facts_npv++] = v;
	pthread_mutex_unlock(&a->facts_lock);
	return v;
}

/* The timeline's facts: the index's on-time rule (the receipt, the
 * supplement requests after it and their waits, the due instant's moves
 * that give back the appointment made at receipt) and the best apology
 * (one in time beats one sent late). */
struct tl {
	struct i766_dossier f;
	int64_t receipt, moved;
	int apology;
};

static int
tl_event(const struct store_dossier_event *ev, void *arg)
{
	struct tl *t = arg;
	if (strcmp(ev->action, "apologize") == 0) {
		int k = ev->late ? 2 : 1;
		if (!t->apology || k == 1)
			t->apology = k;
	}
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

static int64_t
work_secs(struct batch *b, const struct store_dossier *d)
{
	int y, m, dd;
	cal_ymd(vn_day(d->received_at), &y, &m, &dd);
	if (!b->cs || b->cs_year != y) {
		if (b->cs)
			cal_release(b->a, b->cs);
		b->cs = NULL;
		if (cal_for(b->a, y, CAL_DUE_SPAN, &b->cs) != ERR_OK)
			return 0;
		b->cs_year = y;
	}
	int64_t w = 0;
	if (dl_work_seconds(&b->cs->cal, &b->cs->hours, d->received_at, d->finished_at, &w) != 0)
		return 0;
	return w;
}

static enum err
facts_of(struct batch *b, const struct store_dossier *d, struct store_facts *f)
{
	memset(f, 0, sizeof *f);
	f->dossier_id = d->id;
	f->day = vn_day(d->received_at);
	snprintf(f->k.procedure_code, sizeof f->k.procedure_code, "%s", d->procedure_code);
	snprintf(f->k.unit, sizeof f->k.unit, "%s", d->unit ? d->unit : "");
	f->k.assignee = d->assignee;
	snprintf(f->k.channel, sizeof f->k.channel, "%s", d->channel);
	f->due_at = d->due_at;
	f->paused_at = d->paused_at;
	f->received_at = d->received_at;
	int64_t *v = f->v;
	/* where it counts (app/report.h): refused at the desk, held (never
	 * received: no due instant), or by its timeliness */
	if (strcmp(d->status, "refused_at_intake") == 0) {
		v[SF_REFUSED] = 1;
		return ERR_OK;
	}
	if (!d->due_at) {
		v[SF_HELD] = 1;
		return ERR_OK;
	}
	v[SF_COUNTED] = 1;
	const char *t = app_timeliness(d, d->received_at);
	if (!t)
		v[SF_OTHER] = 1;
	else if (strcmp(t, "early") == 0)
		v[SF_EARLY] = 1;
	else if (strcmp(t, "on_time") == 0)
		v[SF_ON_TIME] = 1;
	else if (strcmp(t, "late") == 0)
		v[SF_LATE] = 1;
	else
		v[SF_PENDING] = 1;
	f->late_list = v[SF_LATE] || v[SF_PENDING];
	int online = strcmp(d->channel, "online") == 0;
	v[SF_ONLINE] = online;

	struct app_digitised dg;
	enum err e = app_digitised_of(b->a, d->code, &dg);
	if (e)
		return e;
	v[SF_DIGITISED] = dg.components > 0 && dg.digitised == dg.components;

	char level[32];
	e = store_rating_get(b->a->st, d->code, level, sizeof level);
	if (e == ERR_OK) {
		f->rating = strcmp(level, "very_satisfied") == 0 ? 1 : strcmp(level, "satisfied") == 0 ? 2 : 3;
		v[SF_RATE_VERY + f->rating - 1] = 1;
	} else if (e != ERR_NOT_FOUND) {
		return e;
	}
	if (strcmp(d->fee_status, "paid") == 0) {
		int ch = 0;
		for (int i = 1; app_pay_channel_names[i]; i++)
			if (strcmp(app_pay_channel_names[i], d->pay_channel) == 0)
				ch = i;
		v[SF_PAY_N0 + ch] = 1;
		v[SF_PAY_A0 + ch] = d->fee;
	}
	if ((v[SF_EARLY] || v[SF_ON_TIME] || v[SF_LATE]) && d->received_at && d->finished_at >= d->received_at)
		v[SF_WORK_SECS] = work_secs(b, d);

	struct tl tl = {.f = {.received_at = d->received_at}};
	if ((e = store_dossier_events(b->a->st, d->code, tl_event, &tl)) != ERR_OK)
		return e;
	f->apology = tl.apology;
	if (v[SF_LATE])
		v[SF_APOL_NONE + tl.apology] = 1;

	/* Decision 766 (app/index766.c reads these) */
	struct app_pver pv = pver_of(b, d->procedure_version_id);
	tl.f.appointment = d->due_at - tl.moved;
	tl.f.ended_at = d->finished_at;
	if (tl.f.ended_at && tl.f.waiting_since) {
		tl.f.supplement_secs += tl.f.ended_at > tl.f.waiting_since ? tl.f.ended_at - tl.f.waiting_since : 0;
		tl.f.waiting_since = 0;
	}
	f->appointment = tl.f.appointment;
	f->supp_secs = tl.f.supplement_secs;
	f->nsupp = tl.f.nsupplements;
	f->waiting_since = tl.f.waiting_since;
	f->pending = !d->finished_at; /* the index judges it at the period's end */
	int e_result_ok = !pv.paper_result || dg.result;
	if (d->finished_at) {
		int on_time = i766_on_time(&tl.f, d->finished_at);
		v[SF_I21] = on_time;
		v[SF_I54] = !on_time || f->rating == 3;
	}
	v[SF_I33] = online && e_result_ok;
	v[SF_I36D] = d->fee > 0;
	v[SF_I36N] = v[SF_I36D] && strcmp(d->fee_status, "paid") == 0 && strcmp(d->pay_channel, "online") == 0;
	v[SF_I41D] = pv.paper_result;
	v[SF_I41N] = pv.paper_result && dg.result;
	v[SF_I42] = dg.components > 0 && dg.digitised >= dg.components && e_result_ok;
	v[SF_I43] = dg.reused > 0;
	v[SF_PROC_ONLINE_USED] = pv.online && online;
	return ERR_OK;
}

static enum err
hook(struct store *st, const int64_t *ids, size_t n, void *arg)
{
	(void)st;
	struct batch b = {.a = arg};
	enum err e = ERR_OK;
	for (size_t i = 0; !e && i < n; i++) {
		struct store_dossier d;
		e = store_dossier_get_id(b.a->st, ids[i], &d);
		if (e == ERR_NOT_FOUND) {
			e = ERR_OK;
			continue;
		}
		if (e)
			break;
		struct store_facts f;
		if ((e = facts_of(&b, &d, &f)) == ERR_OK)
			e = store_facts_put(b.a->st, &f);
		store_dossier_free(&d);
	}
	if (b.cs)
		cal_release(b.a, b.cs);
	return e;
}

int
app_facts_start(struct app *a, char *err, size_t errlen)
{
	pthread_mutex_init(&a->facts_lock, NULL);
	store_facts_set_hook(a->st, hook, a);
	a->facts_on = 1;
	int64_t left = 1;
	while (left) {
		enum err e = store_facts_backlog(a->st, 2000, &left);
		if (e) {
			snprintf(err, errlen, "không tính được số liệu thống kê của hồ sơ cũ (%s)", err_code(e));
			return -1;
		}
	}
	return 0;
}

void
app_facts_stop(struct app *a)
{
	store_facts_set_hook(a->st, NULL, NULL);
	pthread_mutex_destroy(&a->facts_lock);
}

enum err
app_facts_sync(struct app *a)
{
	return store_facts_sync(a->st);
}

int
app_facts_in_time(const struct store_facts *f, int64_t now)
{
	if (!f->v[SF_PENDING])
		return -1;
	/* waiting on the applicant: the clock is stopped at paused_at */
	return dl_timeliness(f->due_at, 0, f->paused_at ? f->paused_at : now) == DL_IN_TIME;
}

int
app_facts_i766_on_time(const struct store_facts *f, int64_t judge)
{
	struct i766_dossier d = {.received_at = f->received_at, .appointment = f->appointment,
	                         .nsupplements = (int)f->nsupp, .supplement_secs = f->supp_secs,
	                         .waiting_since = f->waiting_since};
	return i766_on_time(&d, judge);
}
