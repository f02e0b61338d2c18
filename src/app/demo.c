/*
 * demo.c — `motcua demo`: made-up dossiers that look like a commune's
 * real year (issue #15 item 5).  Everything is drawn from one seeded
 * stream (core/demo_people.h), so the same seed and last day give the
 * same data.  Each dossier's whole story is planned in office time from
 * its receipt (the legal calendar and hours of app/calendar.h, the due
 * instant of core/deadline.h), then cut at the end of the last day:
 * what would happen later is still pending.  Batches go to the store's
 * bulk path (store_demo_put).
 *
 * The mixes are inventions that look like a commune's one-stop desk
 * [I: no published statistics at hand]; they are named constants here,
 * and docs/OPERATIONS.md says they are not measurements.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/calendar.h"
#include "app/demo.h"
#include "core/deadline.h"
#include "core/demo_people.h"
#include "core/ident.h"
#include "core/lunar.h"
#include "core/text.h"
#include "core/vntime.h"

#define DEMO_BATCH 10000
#define OFFICE_DAY (8 * 3600)             /* office seconds in a working day (default hours) */
#define RING 8192                          /* recent applicants who may come back */

/* The procedure mix [I]: copies certified from originals and signature
 * certification dominate a commune desk, then birth registration and
 * marital-status certificates, deaths, marriages and residence.  A
 * published procedure with a time limit not named here weighs 0.2. */
static const struct {
	const char *code;
	double weight;
} proc_weights[] = {
	{"2.000815", 30}, {"2.000884", 12}, {"1.001193", 14}, {"1.004873", 9}, {"2.000635", 6},
	{"1.000656", 5},  {"1.000894", 5},  {"1.004194", 4},  {"1.004222", 3}, {"2.001035", 2},
	{"1.002755", 1},  {"1.003197", 1},  {"1.010028", 1},  {"1.010038", 1}, {"2.001406", 0.5},
	{"2.001019", 0.3}, {"2.001016", 0.2}, {"1.004884", 0.5}, {"1.004837", 0.3},
};

/* Outcomes and channels [I]. */
#define P_WITHDRAW 0.010     /* withdrawn by the applicant while processed */
#define P_REFUSE 0.015       /* refused by the leader after appraisal */
#define P_REFUSE_ONLINE 0.04 /* an online submission refused at intake */
#define P_SUPPLEMENT 0.08    /* one supplement request */
#define P_SUPPLEMENT2 0.015  /* two (late under Decision 766's rule) */
#define P_EARLY 0.22
#define P_LATE 0.07
#define P_APOLOGY 0.6        /* of the late ones, an apology (form 04) */
#define P_RATED 0.3
#define P_REPEAT 0.12        /* the applicant came before (their scans can be reused) */

struct dproc {
	int64_t version_id, fee;
	char *code, *name, *field;
	int days, same_day, cutoff;
	double weight;
	struct store_doc docs[STORE_DEMO_FILES];
	char *docname[STORE_DEMO_FILES];   /* owned: docs[k].name */
	size_t ndocs;
	char scan[STORE_DEMO_FILES][65], result[65];
	int64_t scan_size[STORE_DEMO_FILES], result_size;
};

/* What one generated dossier owns (the store's structs point into it). */
struct owned {
	struct demo_person who;
	struct store_person person;
	char dob[11], key[160], address[320], masked[16], note[8];
	struct store_change_facts facts[6];
	const char *missing[2][1];
	size_t nfacts;
};

struct ring_entry {
	struct demo_person who;
	char code[64];
};

struct gen {
	struct store *st;
	const struct app_demo_opts *o;
	struct demo_rng rng;
	struct calsnap *cs;
	struct store_agency ag;
	struct dproc *procs;
	size_t nprocs;
	double *weights;
	struct store_demo_dossier *batch;
	struct owned *own;
	size_t n;
	struct ring_entry *ring;
	size_t nring;
	int64_t done, now, batches;
	double span_pos;              /* 0 at the first day, 1 at the last */
};

static double
weight_of(const char *code)
{
	for (size_t i = 0; i < sizeof proc_weights / sizeof proc_weights[0]; i++)
		if (strcmp(proc_weights[i].code, code) == 0)
			return proc_weights[i].weight;
	return 0.2;
}

/* A small stand-in scan: the file store needs real bytes. */
static enum err
put_scan(struct store *st, const char *what, const char *code, char sha[65], int64_t *size)
{
	char body[512];
	int n = snprintf(body, sizeof body, "%%PDF-1.4\n%% motcua demo: %s %s\n%%%%EOF\n", code, what);
	*size = n;
	return store_file_put(st, body, (size_t)n, sha);
}

static int
take_proc(struct store_proc *sp, void *arg)
{
	struct gen *g = arg;
	const struct proc *p = &sp->proc;
	int has_limit = p->time_limit.same_day || p->time_limit.days >= 0;
	if (!has_limit || p->time_limit.days > DL_MAX_DAYS)
		return 0;
	struct dproc *np = realloc(g->procs, (g->nprocs + 1) * sizeof *np);
	if (!np)
		return 1;
	g->procs = np;
	struct dproc *d = &g->procs[g->nprocs++];
	memset(d, 0, sizeof *d);
	d->version_id = sp->version_id;
	d->code = strdup(p->code);
	d->name = strdup(p->name);
	d->field = strdup(p->field ? p->field : "");
	d->days = p->time_limit.same_day ? 0 : p->time_limit.days;
	d->same_day = p->time_limit.same_day;
	d->cutoff = DL_CUTOFF_DEFAULT;
	if (p->time_limit.cutoff && vn_parse_hhmm(p->time_limit.cutoff, &d->cutoff) != 0)
		d->cutoff = DL_CUTOFF_DEFAULT;
	d->fee = p->fee.amount > 0 ? p->fee.amount : 0;
	d->weight = weight_of(p->code);
	for (size_t i = 0; i < p->ndocuments && d->ndocs < STORE_DEMO_FILES - 1; i++) {
		d->docs[d->ndocs].name = d->docname[d->ndocs] = strdup(p->documents[i].name);
		d->docs[d->ndocs].received = 1;
		d->docs[d->ndocs].form = proc_forms[p->documents[i].form];
		d->docs[d->ndocs].count = p->documents[i].count;
		d->ndocs++;
	}
	return 0;
}

static enum err
load_procs(struct gen *g)
{
	struct store_proc_query q = {.published_only = 1, .limit = 100000};
	int64_t total;
	enum err e = store_proc_list(g->st, &q, take_proc, g, &total);
	if (e)
		return e;
	if (!g->nprocs)
		return ERR_NOT_FOUND;
	if (!(g->weights = malloc(g->nprocs * sizeof *g->weights)))
		return ERR_NOMEM;
	for (size_t i = 0; i < g->nprocs && !e; i++) {
		struct dproc *d = &g->procs[i];
		if (!d->code || !d->name || !d->field)
			return ERR_NOMEM;
		g->weights[i] = d->weight;
		for (size_t k = 0; k < d->ndocs && !e; k++)
			e = d->docs[k].name ? put_scan(g->st, d->docs[k].name, d->code, d->scan[k], &d->scan_size[k])
			                    : ERR_NOMEM;
		if (!e)
			e = put_scan(g->st, "kết quả", d->code, d->result, &d->result_size);
	}
	return e;
}

static void
free_procs(struct gen *g)
{
	for (size_t i = 0; i < g->nprocs; i++) {
		free(g->procs[i].code);
		free(g->procs[i].name);
		free(g->procs[i].field);
		for (size_t k = 0; k < g->procs[i].ndocs; k++)
			free(g->procs[i].docname[k]);
	}
	free(g->procs);
	free(g->weights);
}

/* The seasonal weight of a working day [I]: the weeks before Tết are the
 * busiest (papers wanted before the holiday), the days right after it
 * quiet; Mondays busier than Fridays.  Days off weigh nothing. */
static double
day_weight(const struct cal *c, cal_day day)
{
	if (!cal_is_working(c, day))
		return 0;
	int y, m, d;
	cal_ymd(day, &y, &m, &d);
	double w = 1.0;
	for (int ly = y; ly <= y + 1; ly++) {
		struct lunar_date tet = {1, 1, ly, 0};
		int ty, tm, td;
		if (lunar_to_solar(&tet, &ty, &tm, &td) != 0)
			continue;
		cal_day t = cal_day_from_ymd(ty, tm, td);
		if (day >= t - 21 && day < t)
			w = 1.6;
		else if (day >= t && day < t + 14)
			w = 0.6;
	}
	int wd = cal_weekday(day);
	return w * (wd == 1 ? 1.15 : wd == 5 ? 0.9 : 1.0);
}

/* office time arithmetic on the generator's calendar */
static int64_t
add_work(struct gen *g, int64_t t, int64_t secs)
{
	int64_t out = t;
	if (dl_add_work(&g->cs->cal, &g->cs->hours, t, secs < 0 ? 0 : secs, &out) != DL_OK)
		return t + secs;
	return out;
}

/* ---- one dossier's story ------------------------------------------------ */

struct story {
	struct gen *g;
	struct store_demo_dossier *d;
	int cut;
	const char *status, *stage;
	int64_t last;
};

/* Appends one action if it happens before the end of the last day. */
static int
step(struct story *s, int64_t at, const char *actor, const char *action, const char *to,
     const char *stage, const char *note, const struct store_change_facts *f)
{
	if (at <= s->last)
		at = s->last + 60;
	if (s->cut || at > s->g->now || s->d->nev >= STORE_DEMO_EVENTS) {
		s->cut = 1;
		return 0;
	}
	struct store_demo_event *ev = &s->d->ev[s->d->nev++];
	*ev = (struct store_demo_event){.at = at, .actor = actor, .action = action, .from = s->status,
	                                .to = to, .note = note ? note : "", .facts = f};
	s->status = to;
	s->stage = stage;
	s->last = at;
	s->d->updated_at = at;
	return 1;
}

static struct store_change_facts *
facts(struct owned *o)
{
	struct store_change_facts *f = &o->facts[o->nfacts++];
	memset(f, 0, sizeof *f);
	return f;
}

#define CLERK "user:demo.tiepnhan"
#define OFFICER "user:demo.chuyenvien"
#define LEADER "user:demo.lanhdao"

/* The person: a returning applicant now and then, else a new one. */
static const char *
pick_person(struct gen *g, struct owned *o, int year)
{
	if (g->nring && demo_rng_unit(&g->rng) < P_REPEAT) {
		struct ring_entry *r = &g->ring[demo_rng_below(&g->rng, (uint32_t)(g->nring < RING ? g->nring : RING))];
		if (r->code[0]) {
			o->who = r->who;
			return r->code;
		}
	}
	demo_person(&g->rng, year, 18, 80, &o->who);
	return NULL;
}

/* Plans dossier i received at t0 (office hours of a working day). */
static void
plan(struct gen *g, size_t i, int64_t t0)
{
	struct demo_rng *r = &g->rng;
	struct store_demo_dossier *d = &g->batch[i];
	struct owned *o = &g->own[i];
	memset(d, 0, sizeof *d);
	memset(o, 0, sizeof *o);
	const struct dproc *p = &g->procs[demo_rng_pick(r, g->weights, g->nprocs)];
	int y, m, dd;
	cal_ymd(vn_day(t0), &y, &m, &dd);
	const char *reuse = pick_person(g, o, y);
	snprintf(o->dob, sizeof o->dob, "%04d-%02d-%02d", o->who.birth_year, o->who.birth_month, o->who.birth_day);
	char *key = text_fold(o->who.name);
	snprintf(o->key, sizeof o->key, "%s", key ? key : "");
	free(key);
	snprintf(o->address, sizeof o->address, "Thôn %u, %s", 1 + demo_rng_below(r, 12),
	         strncmp(g->ag.name, "UBND ", 5) == 0 ? g->ag.name + 5 : g->ag.name);
	o->person = (struct store_person){o->who.name, o->who.id_number, o->dob,
	                                  o->who.male ? "male" : "female", o->who.phone, NULL, o->address, NULL};
	/* channels: online grows from 15 % to 35 % over the span [I] */
	double online = 0.15 + 0.20 * g->span_pos, u = demo_rng_unit(r);
	const char *channel = u < online ? "online" : u < online + 0.04 ? "post" : "counter";
	int is_online = channel[0] == 'o';
	struct store_dossier_in *in = &d->in;
	*in = (struct store_dossier_in){
		.agency = g->ag.code, .yy = y % 100, .mm = m, .dd = dd, .procedure_version_id = p->version_id,
		.procedure_code = p->code, .procedure_name = p->name, .channel = channel, .fee = p->fee,
		.applicant_name = o->who.name, .applicant_key = o->key, .id_number = o->who.id_number,
		.phone = o->who.phone, .note = "", .status = is_online ? "new" : "received", .stage = "",
		.unit = "", .received_at = t0, .person = &o->person, .docs = p->docs, .ndocs = p->ndocs,
	};
	/* fees, paid at intake: cash at the desk, online or by bank otherwise [I] */
	if (p->fee <= 0) {
		in->fee_status = "exempt";
	} else {
		in->fee_status = "paid";
		in->paid_at = t0;
		in->pay_channel = is_online ? (demo_rng_unit(r) < 0.7 ? "online" : "bank")
		                  : channel[0] == 'p' ? "bank" : demo_rng_unit(r) < 0.85 ? "cash" : "bank";
	}
	d->clerk = is_online ? "citizen:demo" : CLERK;
	d->updated_at = t0;
	struct story s = {g, d, 0, in->status, "", t0};
	/* digitised at intake, more so as the years pass [I] */
	int digitised = demo_rng_unit(r) < 0.45 + 0.45 * g->span_pos;
	if (digitised)
		for (size_t k = 0; k < p->ndocs; k++) {
			int reused = reuse && demo_rng_unit(r) < 0.5;
			d->files[d->nfiles++] = (struct store_demo_file){
				.sha256 = p->scan[k], .name = "ban-quet.pdf", .mime = "application/pdf", .kind = "component",
				.component_name = p->docs[k].name, .reused_from = reused ? reuse : "",
				.size = p->scan_size[k], .component = (int)k + 1};
		}
	/* receipt: an online submission is received by the desk later */
	int64_t t1 = t0;
	if (is_online) {
		t1 = add_work(g, t0, 600 + demo_rng_below(r, 4 * 3600));
		if (demo_rng_unit(r) < P_REFUSE_ONLINE) {
			step(&s, t1, CLERK, "refuse_intake", "refused_at_intake", "", "Hồ sơ không thuộc thẩm quyền giải quyết", NULL);
			goto done;
		}
		if (!step(&s, t1, CLERK, "receive", "received", "", "", NULL))
			goto done;
	}
	int64_t due = t1;
	dl_due(&g->cs->cal, &g->cs->hours, t1, p->days, p->same_day, p->cutoff, &due);
	d->due_at = due;
	int64_t W = 0;
	dl_work_seconds(&g->cs->cal, &g->cs->hours, t1, due, &W);
	if (W < 1200)
		W = 1200;
	/* the outcome and the finish, in office seconds after receipt */
	double v = demo_rng_unit(r);
	int withdraw = v < P_WITHDRAW, refuse = !withdraw && v < P_WITHDRAW + P_REFUSE;
	double t = demo_rng_unit(r);
	int late = t < P_LATE, early = !late && t < P_LATE + P_EARLY;
	int64_t xf = late ? W + 1800 + (int64_t)demo_rng_below(r, 3 * OFFICE_DAY)
	             : early ? (int64_t)(W * (0.15 + 0.35 * demo_rng_unit(r)))
	                     : (int64_t)(W * (0.55 + 0.44 * demo_rng_unit(r)));
	double sv = demo_rng_unit(r);
	int nsup = sv < P_SUPPLEMENT2 ? 2 : sv < P_SUPPLEMENT2 + P_SUPPLEMENT ? 1 : 0;
	int64_t xs[2] = {xf / 4, xf / 2}, ps[2];
	for (int k = 0; k < 2; k++)
		ps[k] = OFFICE_DAY / 2 + demo_rng_below(r, 3 * OFFICE_DAY);
#define AT(x) add_work(g, t1, (x) + ((nsup > 0 && (x) > xs[0]) ? ps[0] : 0) + ((nsup > 1 && (x) > xs[1]) ? ps[1] : 0))
	struct store_change_facts *fa = facts(o);
	fa->unit = p->field;
	if (!step(&s, AT(xf / 20 + 60), CLERK, "assign", "processing", "with_officer", "", fa))
		goto done;
	d->in.unit = p->field;   /* the hand-over gives the unit the dossier */
	for (int k = 0; k < nsup; k++) {
		struct store_change_facts *fm = facts(o);
		o->missing[k][0] = p->ndocs ? p->docs[demo_rng_below(r, (uint32_t)p->ndocs)].name : "Giấy tờ tùy thân";
		fm->missing = o->missing[k];
		fm->nmissing = 1;
		int64_t pa = AT(xs[k]);
		if (!step(&s, pa, OFFICER, "request_supplement", "waiting_supplement", "", "Thiếu giấy tờ", fm)) {
			goto done;
		}
		d->paused_at = pa;
		d->resume_state = "processing";
		d->resume_stage = "with_officer";
		int64_t back = add_work(g, pa, ps[k]);
		if (!step(&s, back, CLERK, "supplement_received", "processing", "with_officer", "", NULL))
			goto done;
		int64_t nd = due;
		dl_resume(&g->cs->cal, &g->cs->hours, due, pa, back, &nd);
		due = d->due_at = nd;
		d->paused_at = 0;
		d->resume_state = d->resume_stage = NULL;
	}
	if (withdraw) {
		if (step(&s, AT(xf / 3), CLERK, "withdraw", "withdrawn", "", "Người nộp xin rút hồ sơ", NULL))
			d->finished_at = s.last;
		goto done;
	}
	if (!step(&s, AT(xf * 7 / 10), OFFICER, "submit_for_approval", "processing", "with_leader", "", NULL))
		goto done;
	if (refuse) {
		if (step(&s, AT(xf * 8 / 10), LEADER, "refuse", "stopped", "", "Không đủ điều kiện giải quyết", NULL))
			d->finished_at = s.last;
		goto done;
	}
	if (!step(&s, AT(xf * 85 / 100), LEADER, "approve", "processing", "approved", "", NULL))
		goto done;
	if (late && demo_rng_unit(r) < P_APOLOGY) {
		/* form 04 before the promise passes (a fifth of them after it) */
		struct store_change_facts *fp = facts(o);
		int after = demo_rng_unit(r) < 0.2;
		int64_t at = after ? add_work(g, due, 600) : add_work(g, t1, (W > 3600 ? W - 1800 : W / 2) +
		                     (nsup > 0 ? ps[0] : 0) + (nsup > 1 ? ps[1] : 0));
		fp->new_date = add_work(g, due, xf - W + OFFICE_DAY);
		fp->late = after;
		if (step(&s, at, LEADER, "apologize", "processing", "approved", "Cần thêm thời gian xác minh", fp))
			d->appointment_at = fp->new_date;
		else
			goto done;
	}
	if (!step(&s, AT(xf), OFFICER, "result_ready", "result_ready", "", "", NULL))
		goto done;
	d->finished_at = s.last;
	if (digitised && d->nfiles < STORE_DEMO_FILES)
		d->files[d->nfiles++] = (struct store_demo_file){
			.sha256 = p->result, .name = "ket-qua.pdf", .mime = "application/pdf", .kind = "result",
			.component_name = "", .reused_from = "", .size = p->result_size};
	struct store_change_facts *fr = facts(o);
	fr->recipient = o->who.name;
	fr->recipient_id = ident_pid_mask(o->who.id_number, o->masked, sizeof o->masked);
	int64_t ret = add_work(g, s.last, demo_rng_unit(r) < 0.6 ? 600 : demo_rng_below(r, 2 * OFFICE_DAY));
	if (!step(&s, ret, CLERK, "return", "returned", "", "", fr))
		goto done;
	if (demo_rng_unit(r) < P_RATED) {
		double q = demo_rng_unit(r);
		d->rating = q < (late ? 0.3 : 0.03) ? "unsatisfied" : q < 0.5 ? "satisfied" : "very_satisfied";
		d->rated_at = s.last + 60 + demo_rng_below(r, 48 * 3600);
		if (d->rated_at > g->now)
			d->rating = NULL;
	}
#undef AT
done:
	d->status = s.status;
	d->stage = s.stage;
	if (strcmp(s.status, "new") == 0)
		d->due_at = 0;
	if (d->resume_state == NULL)
		d->resume_state = d->resume_stage = "";
}

/* Writes the batch and remembers its applicants for later visits. */
static enum err
flush(struct gen *g)
{
	int64_t first, last;
	enum err e = store_demo_put(g->st, "system:demo", g->batch, g->n, &first, &last);
	if (e)
		return e;
	for (size_t i = 0; i < g->n; i++) {
		struct ring_entry *r = &g->ring[(g->nring++) % RING];
		r->who = g->own[i].who;
		snprintf(r->code, sizeof r->code, "%s", g->batch[i].code);
	}
	g->done += (int64_t)g->n;
	g->batches++;
	g->n = 0;
	if (g->o->progress)
		g->o->progress(g->done, g->o->dossiers, g->o->arg);
	return ERR_OK;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* n receipt instants of a working day, in order (the code follows it). */
static void
day_times(struct gen *g, cal_day day, int64_t *t, size_t n)
{
	const struct cal_hours *h = &g->cs->hours;
	for (size_t i = 0; i < n; i++) {
		/* mornings are busier [I] */
		int am = demo_rng_unit(&g->rng) < 0.6;
		int lo = am ? h->am_open : h->pm_open, hi = am ? h->am_close : h->pm_close;
		int sec = lo * 60 + (int)demo_rng_below(&g->rng, (uint32_t)((hi - lo) * 60));
		t[i] = vn_instant(day, 0) + sec;
	}
	qsort(t, n, sizeof *t, cmp_i64);
}

static enum err
generate(struct gen *g, cal_day first, cal_day last)
{
	const struct app_demo_opts *o = g->o;
	size_t ndays = (size_t)(last - first + 1);
	double *cum = malloc((ndays + 1) * sizeof *cum);
	if (!cum)
		return ERR_NOMEM;
	cum[0] = 0;
	for (size_t i = 0; i < ndays; i++)
		cum[i + 1] = cum[i] + day_weight(&g->cs->cal, first + (cal_day)i);
	enum err e = cum[ndays] > 0 ? ERR_OK : ERR_OUT_OF_RANGE;
	int64_t *times = NULL;
	size_t cap = 0;
	int64_t given = 0;
	for (size_t i = 0; i < ndays && !e; i++) {
		int64_t upto = (int64_t)((double)o->dossiers * cum[i + 1] / cum[ndays] + 0.5);
		if (i + 1 == ndays)
			upto = o->dossiers;
		size_t n = (size_t)(upto - given);
		given = upto;
		if (!n)
			continue;
		if (n > cap) {
			int64_t *nt = realloc(times, n * sizeof *nt);
			if (!nt) {
				e = ERR_NOMEM;
				break;
			}
			times = nt;
			cap = n;
		}
		g->span_pos = ndays > 1 ? (double)i / (double)(ndays - 1) : 1.0;
		day_times(g, first + (cal_day)i, times, n);
		for (size_t k = 0; k < n && !e; k++) {
			plan(g, g->n++, times[k]);
			if (g->n == (o->batch ? o->batch : DEMO_BATCH))
				e = flush(g);
		}
	}
	if (!e && g->n)
		e = flush(g);
	free(times);
	free(cum);
	return e;
}

enum err
app_demo_generate(struct store *st, const struct app_demo_opts *o, struct app_demo_result *out)
{
	if (o->dossiers <= 0 || o->years < 1 || o->years > 30)
		return ERR_OUT_OF_RANGE;
	struct gen g = {.st = st, .o = o};
	demo_rng_seed(&g.rng, o->seed);
	enum err e = store_agency_get(st, &g.ag);
	if (e)
		return e;
	cal_day last = o->until, first = last - (cal_day)(365 * o->years) + 1;
	int fy, ly, m, d;
	cal_ymd(first, &fy, &m, &d);
	cal_ymd(last, &ly, &m, &d);
	/* one more year: stories received in December end in January */
	if ((e = calsnap_build(st, fy, ly - fy + 2, &g.cs)))
		return e;
	g.now = vn_instant(last + 1, 0) - 1;
	size_t bn = o->batch ? o->batch : DEMO_BATCH;
	g.batch = calloc(bn, sizeof *g.batch);
	g.own = calloc(bn, sizeof *g.own);
	g.ring = calloc(RING, sizeof *g.ring);
	e = g.batch && g.own && g.ring ? load_procs(&g) : ERR_NOMEM;
	if (!e)
		e = generate(&g, first, last);
	if (out) {
		*out = (struct app_demo_result){g.done, g.batches, first, last, (int64_t)g.nprocs};
	}
	free_procs(&g);
	free(g.batch);
	free(g.own);
	free(g.ring);
	calsnap_free(g.cs);
	return e;
}
