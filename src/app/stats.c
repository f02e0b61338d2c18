/*
 * stats.c — see stats.h.  The figures are the sums of the dossiers'
 * facts (app/facts.c, store/facts.h) over the period, by procedure, unit,
 * officer and channel, regrouped here by field; only the pending
 * dossiers are read one by one, to judge them at now.  A list walks the
 * same facts row by row with the same measures_of and pending_of, so it
 * cannot disagree with its count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/calendar.h"
#include "app/digital.h"
#include "app/dossier.h"
#include "app/facts.h"
#include "app/stats.h"
#include "core/deadline.h"
#include "core/roles.h"
#include "core/text.h"
#include "core/vntime.h"

static const char *const GROUP_CODES[APP_SG_N] = {"thu-tuc", "linh-vuc", "bo-phan", "can-bo", "kenh"};
static const char *const GROUP_LABELS[APP_SG_N] = {"Thủ tục", "Lĩnh vực", "Bộ phận xử lý", "Cán bộ xử lý",
                                                   "Kênh tiếp nhận"};
static const char *const MEASURE_CODES[APP_SM_N] = {
	"tiep-nhan", "da-xong", "dang-giai-quyet", "truoc-han", "dung-han", "tre-han", "con-han", "qua-han",
	"truc-tuyen", "so-hoa", "danh-gia", "hai-long", "da-nop-phi"};
static const char *const MEASURE_LABELS[APP_SM_N] = {
	"Tiếp nhận", "Đã giải quyết", "Đang giải quyết", "Xong trước hạn", "Xong đúng hạn", "Xong trễ hạn",
	"Đang còn hạn", "Đang quá hạn", "Nộp trực tuyến", "Đã số hóa", "Có đánh giá", "Hài lòng",
	"Đã nộp phí, lệ phí"};

const char *app_stats_group_code(int g) { return g >= 0 && g < APP_SG_N ? GROUP_CODES[g] : ""; }
const char *app_stats_group_label(int g) { return g >= 0 && g < APP_SG_N ? GROUP_LABELS[g] : ""; }
const char *app_stats_measure_code(int m) { return m >= 0 && m < APP_SM_N ? MEASURE_CODES[m] : ""; }
const char *app_stats_measure_label(int m) { return m >= 0 && m < APP_SM_N ? MEASURE_LABELS[m] : ""; }

static int
parse_in(const char *const *codes, int n, const char *code)
{
	for (int i = 0; code && i < n; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

int app_stats_group_parse(const char *code) { return parse_in(GROUP_CODES, APP_SG_N, code); }
int app_stats_measure_parse(const char *code) { return parse_in(MEASURE_CODES, APP_SM_N, code); }

static const char *const CHANNEL_LABELS[] = {"Trực tiếp tại Bộ phận Một cửa", "Trực tuyến", "Qua bưu chính"};

/* Names looked up once per pass (a procedure's field, an officer's name). */
struct name_entry {
	char key[48];
	char name[600];
};
struct pass {
	struct app *a;
	const struct actor *ac;
	int64_t now;
	struct name_entry **names;
	size_t nnames, capnames;
	/* the figures … */
	struct app_stats *s;
	size_t cap[APP_SG_N];
	/* … or the list of one figure */
	int g, m;
	size_t listed;
	const char *key;
	int (*fn)(const struct store_dossier *, void *);
	void *arg;
	enum err e;
	int stop;
};

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap * 2 : 16;
	void *q = realloc(p, n * size);
	if (q)
		*cap = n;
	return q;
}

/* key "f:<procedure code>" → its field; "p:<code>" → the procedure's
 * name; "u:<id>" → the officer's name.  Entries are allocated one by one,
 * so a name handed out stays where it is while others are added. */
static const char *
name_of(struct pass *p, const char *key, const char *fallback)
{
	for (size_t i = 0; i < p->nnames; i++)
		if (strcmp(p->names[i]->key, key) == 0)
			return p->names[i]->name;
	struct name_entry **v = grow(p->names, &p->capnames, p->nnames + 1, sizeof *v);
	if (!v)
		return fallback;
	p->names = v;
	struct name_entry *e = malloc(sizeof *e);
	if (!e)
		return fallback;
	p->names[p->nnames++] = e;
	snprintf(e->key, sizeof e->key, "%s", key);
	snprintf(e->name, sizeof e->name, "%s", fallback);
	if (key[0] == 'f' || key[0] == 'p') {
		struct store_proc_terms pt;
		if (store_proc_terms(p->a->st, key + 2, 0, &pt) == ERR_OK) {
			const char *n = key[0] == 'f' ? pt.field : pt.name;
			if (n[0])
				snprintf(e->name, sizeof e->name, "%s", n);
		}
	} else {
		struct store_user u;
		if (store_user_by_id(p->a->st, strtoll(key + 2, NULL, 10), &u) == ERR_OK)
			snprintf(e->name, sizeof e->name, "%s", u.full_name[0] ? u.full_name : u.username);
	}
	return e->name;
}

static void
names_free(struct pass *p)
{
	for (size_t i = 0; i < p->nnames; i++)
		free(p->names[i]);
	free(p->names);
}

/* A group of dossiers (a row of the sums, or one pending dossier) as the
 * statistics see it: its row key and name in every grouping, and the
 * measures it adds. */
struct facts {
	const char *key[APP_SG_N], *name[APP_SG_N];
	char officer_key[24], unit_key[256];
	int64_t c[APP_SM_N];
	int64_t work_secs, fee;
};

static void
keys_of(struct pass *p, const struct store_facts_key *k, struct facts *x)
{
	char fk[64];
	snprintf(fk, sizeof fk, "f:%s", k->procedure_code);
	char pk[64];
	snprintf(pk, sizeof pk, "p:%s", k->procedure_code);
	x->key[APP_SG_PROCEDURE] = k->procedure_code;
	x->name[APP_SG_PROCEDURE] = name_of(p, pk, k->procedure_code);
	x->key[APP_SG_FIELD] = x->name[APP_SG_FIELD] = name_of(p, fk, "Khác");
	snprintf(x->unit_key, sizeof x->unit_key, "%s", k->unit[0] ? k->unit : "-"); /* "" would mean all */
	x->key[APP_SG_UNIT] = x->unit_key;
	x->name[APP_SG_UNIT] = k->unit[0] ? k->unit : "Chưa chuyển bộ phận xử lý";
	snprintf(x->officer_key, sizeof x->officer_key, "%lld", (long long)k->assignee);
	x->key[APP_SG_OFFICER] = x->officer_key;
	if (k->assignee) {
		char uk[32];
		snprintf(uk, sizeof uk, "u:%lld", (long long)k->assignee);
		x->name[APP_SG_OFFICER] = name_of(p, uk, "Cán bộ đã xóa");
	} else {
		x->name[APP_SG_OFFICER] = "Chưa giao cán bộ";
	}
	x->key[APP_SG_CHANNEL] = k->channel;
	x->name[APP_SG_CHANNEL] = k->channel;
	for (int i = 0; app_channel_names[i]; i++)
		if (strcmp(app_channel_names[i], k->channel) == 0 && i < 3)
			x->name[APP_SG_CHANNEL] = CHANNEL_LABELS[i];
}

/* The measures of summed facts v (pending ones not split: see pending_of). */
static void
measures_of(const int64_t *v, struct facts *x)
{
	int64_t *c = x->c;
	c[APP_SM_RECEIVED] = v[SF_COUNTED];
	c[APP_SM_EARLY] = v[SF_EARLY];
	c[APP_SM_ON_TIME] = v[SF_ON_TIME];
	c[APP_SM_LATE] = v[SF_LATE];
	c[APP_SM_FINISHED] = v[SF_EARLY] + v[SF_ON_TIME] + v[SF_LATE];
	c[APP_SM_ONLINE] = v[SF_ONLINE];
	c[APP_SM_DIGITISED] = v[SF_DIGITISED];
	c[APP_SM_RATED] = v[SF_RATE_VERY] + v[SF_RATE_OK] + v[SF_RATE_BAD];
	c[APP_SM_SATISFIED] = v[SF_RATE_VERY] + v[SF_RATE_OK];
	for (int i = 0; i < SF_PAY_CHANNELS; i++) {
		c[APP_SM_PAID] += v[SF_PAY_N0 + i];
		x->fee += v[SF_PAY_A0 + i];
	}
	x->work_secs = v[SF_WORK_SECS];
}

/* A pending dossier judged at now: in time or overdue. */
static void
pending_of(struct pass *p, const struct store_facts *f, struct facts *x)
{
	int in = app_facts_in_time(f, p->now);
	if (in < 0)
		return;
	x->c[APP_SM_PENDING] = 1;
	x->c[in ? APP_SM_IN_TIME : APP_SM_OVERDUE] = 1;
}

static void
add_row(struct app_stats_row *r, const struct facts *x)
{
	for (int m = 0; m < APP_SM_N; m++)
		r->c[m] += x->c[m];
	r->work_secs += x->work_secs;
	r->fee += x->fee;
}

static struct app_stats_row *
row_of(struct app_stats_table *tb, size_t *cap, const char *key, const char *name)
{
	for (size_t i = 0; i < tb->n; i++)
		if (strcmp(tb->rows[i].key, key) == 0)
			return &tb->rows[i];
	struct app_stats_row *rows = grow(tb->rows, cap, tb->n + 1, sizeof *rows);
	if (!rows)
		return NULL;
	tb->rows = rows;
	struct app_stats_row *r = &tb->rows[tb->n++];
	memset(r, 0, sizeof *r);
	snprintf(r->key, sizeof r->key, "%s", key);
	snprintf(r->name, sizeof r->name, "%s", name);
	return r;
}

static int
tally(struct pass *p, const struct facts *x)
{
	struct app_stats *s = p->s;
	for (int g = 0; g < APP_SG_N; g++) {
		struct app_stats_row *r = row_of(&s->g[g], &p->cap[g], x->key[g], x->name[g]);
		if (!r) {
			p->e = ERR_NOMEM;
			return 1;
		}
		add_row(r, x);
	}
	add_row(&s->all, x);
	return 0;
}

static int
tally_sum(const struct store_facts_key *k, const int64_t v[SF_N], void *arg)
{
	struct pass *p = arg;
	if (!v[SF_COUNTED])
		return 0;
	struct facts x;
	memset(&x, 0, sizeof x);
	keys_of(p, k, &x);
	measures_of(v, &x);
	struct app_stats *s = p->s;
	for (int i = 0; i < SF_PAY_CHANNELS; i++) {
		s->pay[i].n += v[SF_PAY_N0 + i];
		s->pay[i].amount += v[SF_PAY_A0 + i];
	}
	return tally(p, &x);
}

static int
tally_pending(const struct store_facts *f, const char *code, void *arg)
{
	(void)code;
	struct pass *p = arg;
	struct facts x;
	memset(&x, 0, sizeof x);
	pending_of(p, f, &x);
	if (!x.c[APP_SM_PENDING])
		return 0;
	keys_of(p, &f->k, &x);
	return tally(p, &x);
}

/* One dossier of a list: in measure m and group g's row key? */
static int
list_one(const struct store_facts *f, const char *code, void *arg)
{
	struct pass *p = arg;
	if (!f->v[SF_COUNTED])
		return 0;
	struct facts x;
	memset(&x, 0, sizeof x);
	measures_of(f->v, &x);
	pending_of(p, f, &x);
	if (!x.c[p->m])
		return 0;
	keys_of(p, &f->k, &x);
	if (p->key && p->key[0] && strcmp(x.key[p->g], p->key) != 0)
		return 0;
	(void)code;
	struct store_dossier d;
	enum err e = store_dossier_get_id(p->a->st, f->dossier_id, &d);
	if (e == ERR_NOT_FOUND)
		return 0;
	if (e) {
		p->e = e;
		return 1;
	}
	int stop = p->fn(&d, p->arg);
	store_dossier_free(&d);
	if (stop || ++p->listed >= 10000) {
		p->stop = 1;
		return 1;
	}
	return 0;
}

/* Checks the actor and the period; brings the facts up to date. */
static enum err
check(struct pass *p, cal_day from, cal_day to, struct app_fail *f)
{
	if (!(p->ac->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_VIEWER)))
		return ERR_FORBIDDEN;
	if (to < from)
		return app_fail(f, ERR_OUT_OF_RANGE, "den", "Ngày “đến” không được trước ngày “từ”.");
	if (to - from > 3660)
		return app_fail(f, ERR_OUT_OF_RANGE, "den", "Khoảng thời gian tối đa 10 năm.");
	return app_facts_sync(p->a);
}

/* Rows by name as a Vietnamese reader looks for them (tones folded), the
 * catch-all rows (no unit "-", no officer "0") last. */
struct sort_key {
	char *key;
	int last;
	size_t i;
};

static int
by_key(const void *x, const void *y)
{
	const struct sort_key *a = x, *b = y;
	if (a->last != b->last)
		return a->last - b->last;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->i > b->i) - (a->i < b->i);
}

static enum err
sort_table(struct app_stats_table *tb)
{
	if (tb->n < 2)
		return ERR_OK;
	struct sort_key *k = calloc(tb->n, sizeof *k);
	struct app_stats_row *rows = malloc(tb->n * sizeof *rows);
	enum err e = k && rows ? ERR_OK : ERR_NOMEM;
	for (size_t i = 0; !e && i < tb->n; i++) {
		const char *key = tb->rows[i].key;
		k[i] = (struct sort_key){text_fold(tb->rows[i].name), strcmp(key, "-") == 0 || strcmp(key, "0") == 0, i};
		if (!k[i].key)
			e = ERR_NOMEM;
	}
	if (!e) {
		qsort(k, tb->n, sizeof *k, by_key);
		for (size_t j = 0; j < tb->n; j++)
			rows[j] = tb->rows[k[j].i];
		free(tb->rows);
		tb->rows = rows;
		rows = NULL;
	}
	for (size_t i = 0; k && i < tb->n; i++)
		free(k[i].key);
	free(k);
	free(rows);
	return e;
}

enum err
app_stats_period(struct app *a, const struct actor *ac, cal_day from, cal_day to, int64_t now,
                 struct app_stats *out, struct app_fail *f)
{
	memset(out, 0, sizeof *out);
	snprintf(out->all.name, sizeof out->all.name, "Tổng cộng");
	struct pass p = {.a = a, .ac = ac, .now = now, .s = out};
	enum err e = check(&p, from, to, f);
	if (!e)
		e = store_facts_sum(a->st, from, to, NULL, tally_sum, &p);
	if (!e && !p.e) {
		struct store_facts_filter flt = {.from = from, .to = to, .which = SFW_PENDING};
		e = store_facts_each(a->st, &flt, tally_pending, &p);
	}
	if (!e)
		e = p.e;
	/* the payment channels that took any fee, in their order */
	size_t n = 0;
	for (int i = 0; i < SF_PAY_CHANNELS; i++)
		if (out->pay[i].n) {
			struct app_stats_pay pay = out->pay[i];
			snprintf(pay.channel, sizeof pay.channel, "%s", app_pay_channel_names[i]);
			out->pay[n++] = pay;
		}
	for (size_t i = n; i < sizeof out->pay / sizeof out->pay[0]; i++)
		memset(&out->pay[i], 0, sizeof out->pay[i]);
	out->npay = n;
	names_free(&p);
	struct cal_hours h = CAL_HOURS_DEFAULT;
	struct calsnap *cs = cal_acquire(a);
	if (cs) {
		h = cs->hours;
		cal_release(a, cs);
	}
	out->day_secs = 60LL * ((h.am_close - h.am_open) + (h.pm_close - h.pm_open));
	for (int g = 0; !e && g < APP_SG_N; g++)
		e = sort_table(&out->g[g]);
	if (e)
		app_stats_free(out);
	return e;
}

enum err
app_stats_dossiers(struct app *a, const struct actor *ac, cal_day from, cal_day to, int64_t now, int g,
                   const char *key, int m, int (*fn)(const struct store_dossier *, void *), void *arg,
                   struct app_fail *f)
{
	if (g < 0 || g >= APP_SG_N || m < 0 || m >= APP_SM_N)
		return app_fail(f, ERR_INVALID_FIELD, "chi_so", "Chỉ số hoặc nhóm không có.");
	struct pass p = {.a = a, .ac = ac, .now = now, .g = g, .m = m, .key = key, .fn = fn, .arg = arg};
	enum err e = check(&p, from, to, f);
	if (!e) {
		int pend = m == APP_SM_PENDING || m == APP_SM_IN_TIME || m == APP_SM_OVERDUE;
		struct store_facts_filter flt = {.from = from, .to = to,
		                                 .which = pend ? SFW_PENDING : m == APP_SM_LATE ? SFW_LATE_LIST : SFW_ALL,
		                                 .procedure = g == APP_SG_PROCEDURE ? key : NULL};
		e = store_facts_each(a->st, &flt, list_one, &p);
	}
	names_free(&p);
	return e ? e : p.e;
}

void
app_stats_free(struct app_stats *s)
{
	for (int g = 0; g < APP_SG_N; g++)
		free(s->g[g].rows);
	memset(s, 0, sizeof *s);
}

double
app_stats_avg(const struct app_stats *s, const struct app_stats_row *r)
{
	if (!r->c[APP_SM_FINISHED] || s->day_secs <= 0)
		return 0;
	return (double)r->work_secs / (double)s->day_secs / (double)r->c[APP_SM_FINISHED];
}

static void
comma(char *out)
{
	char *dot = strchr(out, '.');
	if (dot)
		*dot = ',';
}

void
app_stats_avg_days(const struct app_stats *s, const struct app_stats_row *r, char *out, size_t n)
{
	if (!r->c[APP_SM_FINISHED]) {
		snprintf(out, n, "—");
		return;
	}
	snprintf(out, n, "%.1f", app_stats_avg(s, r));
	comma(out);
}

void
app_stats_pct(int64_t part, int64_t whole, char *out, size_t n)
{
	if (!whole) {
		snprintf(out, n, "—");
		return;
	}
	snprintf(out, n, "%.1f%%", 100.0 * (double)part / (double)whole);
	comma(out);
}
