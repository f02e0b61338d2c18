/*
 * stats.c — see stats.h.  One pass over the dossiers received in the
 * period; each dossier's facts (its row in every grouping, the measures
 * it counts in) are computed once by facts_of, shared by the figures
 * and by the lists behind them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/calendar.h"
#include "app/digital.h"
#include "app/dossier.h"
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
	char name[256];
};
struct pass {
	struct app *a;
	const struct actor *ac;
	struct calsnap *cs;
	int64_t now;
	struct name_entry *names;
	size_t nnames, capnames;
	/* the figures … */
	struct app_stats *s;
	size_t cap[APP_SG_N];
	/* … or the list of one figure */
	int g, m;
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

/* key "f:<procedure code>" → its field; "u:<id>" → the officer's name. */
static const char *
name_of(struct pass *p, const char *key, const char *fallback)
{
	for (size_t i = 0; i < p->nnames; i++)
		if (strcmp(p->names[i].key, key) == 0)
			return p->names[i].name;
	struct name_entry *e = grow(p->names, &p->capnames, p->nnames + 1, sizeof *e);
	if (!e)
		return fallback;
	p->names = e;
	e = &p->names[p->nnames++];
	snprintf(e->key, sizeof e->key, "%s", key);
	snprintf(e->name, sizeof e->name, "%s", fallback);
	if (key[0] == 'f') {
		struct store_proc_terms pt;
		if (store_proc_terms(p->a->st, key + 2, 0, &pt) == ERR_OK && pt.field[0])
			snprintf(e->name, sizeof e->name, "%s", pt.field);
	} else {
		struct store_user u;
		if (store_user_by_id(p->a->st, strtoll(key + 2, NULL, 10), &u) == ERR_OK)
			snprintf(e->name, sizeof e->name, "%s", u.full_name[0] ? u.full_name : u.username);
	}
	return e->name;
}

/* One dossier as the statistics see it. */
struct facts {
	int counts;                     /* received for processing */
	const char *key[APP_SG_N], *name[APP_SG_N];
	char officer_key[24];
	unsigned char in[APP_SM_N];
	int64_t work_secs, fee;
};

static void
facts_of(struct pass *p, const struct store_dossier *d, struct facts *x)
{
	memset(x, 0, sizeof *x);
	/* Received for processing: the receipt started the legal clock (as
	 * the timeliness report: held and refused-at-the-desk are apart). */
	x->counts = d->due_at && strcmp(d->status, "refused_at_intake") != 0;
	char fk[64];
	snprintf(fk, sizeof fk, "f:%s", d->procedure_code);
	x->key[APP_SG_PROCEDURE] = d->procedure_code;
	x->name[APP_SG_PROCEDURE] = d->procedure_name ? d->procedure_name : d->procedure_code;
	x->key[APP_SG_FIELD] = x->name[APP_SG_FIELD] = name_of(p, fk, "Khác");
	x->key[APP_SG_UNIT] = d->unit && d->unit[0] ? d->unit : "-"; /* "" would mean all */
	x->name[APP_SG_UNIT] = d->unit && d->unit[0] ? d->unit : "Chưa chuyển bộ phận xử lý";
	snprintf(x->officer_key, sizeof x->officer_key, "%lld", (long long)d->assignee);
	x->key[APP_SG_OFFICER] = x->officer_key;
	if (d->assignee) {
		char uk[32];
		snprintf(uk, sizeof uk, "u:%lld", (long long)d->assignee);
		x->name[APP_SG_OFFICER] = name_of(p, uk, "Cán bộ đã xóa");
	} else {
		x->name[APP_SG_OFFICER] = "Chưa giao cán bộ";
	}
	x->key[APP_SG_CHANNEL] = d->channel;
	x->name[APP_SG_CHANNEL] = d->channel;
	for (int i = 0; app_channel_names[i]; i++)
		if (strcmp(app_channel_names[i], d->channel) == 0 && i < 3)
			x->name[APP_SG_CHANNEL] = CHANNEL_LABELS[i];
	if (!x->counts)
		return;
	x->in[APP_SM_RECEIVED] = 1;
	static const char *const tl[] = {"early", "on_time", "late", "in_time", "overdue"};
	const char *t = app_timeliness(d, p->now);
	for (int i = 0; t && i < 5; i++)
		if (strcmp(t, tl[i]) == 0)
			x->in[APP_SM_EARLY + i] = 1;
	x->in[APP_SM_FINISHED] = x->in[APP_SM_EARLY] | x->in[APP_SM_ON_TIME] | x->in[APP_SM_LATE];
	x->in[APP_SM_PENDING] = x->in[APP_SM_IN_TIME] | x->in[APP_SM_OVERDUE];
	x->in[APP_SM_ONLINE] = strcmp(d->channel, "online") == 0;
	struct app_digitised dg;
	if (app_dossier_digitised(p->a, p->ac, d->code, &dg) == ERR_OK)
		x->in[APP_SM_DIGITISED] = dg.components > 0 && dg.digitised == dg.components;
	char level[32];
	if (store_rating_get(p->a->st, d->code, level, sizeof level) == ERR_OK) {
		x->in[APP_SM_RATED] = 1;
		x->in[APP_SM_SATISFIED] = strcmp(level, "unsatisfied") != 0;
	}
	if (strcmp(d->fee_status, "paid") == 0) {
		x->in[APP_SM_PAID] = 1;
		x->fee = d->fee;
	}
	if (x->in[APP_SM_FINISHED] && p->cs && d->received_at && d->finished_at >= d->received_at &&
	    dl_work_seconds(&p->cs->cal, &p->cs->hours, d->received_at, d->finished_at, &x->work_secs) != 0)
		x->work_secs = 0;
}

static void
add_row(struct app_stats_row *r, const struct facts *x)
{
	for (int m = 0; m < APP_SM_N; m++)
		r->c[m] += x->in[m];
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
tally_one(const struct store_dossier *d, void *arg)
{
	struct pass *p = arg;
	struct facts x;
	facts_of(p, d, &x);
	if (!x.counts)
		return 0;
	struct app_stats *s = p->s;
	for (int g = 0; g < APP_SG_N; g++) {
		struct app_stats_row *r = row_of(&s->g[g], &p->cap[g], x.key[g], x.name[g]);
		if (!r) {
			p->e = ERR_NOMEM;
			return 1;
		}
		add_row(r, &x);
	}
	add_row(&s->all, &x);
	if (x.in[APP_SM_PAID]) {
		size_t i = 0;
		while (i < s->npay && strcmp(s->pay[i].channel, d->pay_channel) != 0)
			i++;
		if (i == s->npay && s->npay < sizeof s->pay / sizeof s->pay[0])
			snprintf(s->pay[s->npay++].channel, sizeof s->pay[0].channel, "%s", d->pay_channel);
		if (i < s->npay) {
			s->pay[i].n++;
			s->pay[i].amount += x.fee;
		}
	}
	return 0;
}

static int
list_one(const struct store_dossier *d, void *arg)
{
	struct pass *p = arg;
	struct facts x;
	facts_of(p, d, &x);
	if (!x.counts || !x.in[p->m] || (p->key && p->key[0] && strcmp(x.key[p->g], p->key) != 0))
		return 0;
	if (p->fn(d, p->arg)) {
		p->stop = 1;
		return 1;
	}
	return 0;
}

/* Checks the actor and the period, then walks the dossiers received in
 * it (oldest first) through fn. */
static enum err
walk(struct pass *p, cal_day from, cal_day to, int (*fn)(const struct store_dossier *, void *),
     struct app_fail *f)
{
	if (!(p->ac->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_VIEWER)))
		return ERR_FORBIDDEN;
	if (to < from)
		return app_fail(f, ERR_OUT_OF_RANGE, "den", "Ngày “đến” không được trước ngày “từ”.");
	if (to - from > 3660)
		return app_fail(f, ERR_OUT_OF_RANGE, "den", "Khoảng thời gian tối đa 10 năm.");
	int y, mo, dd;
	cal_ymd(from, &y, &mo, &dd);
	if (cal_for(p->a, y, CAL_DUE_SPAN, &p->cs) != ERR_OK)
		p->cs = NULL;
	struct store_dossier_query q = {.from = vn_instant(from, 0), .to = vn_instant(to, 0) + 86400,
	                                .limit = 1000};
	for (int64_t total = 1; !p->e && !p->stop && q.offset < total && q.offset <= 10000000;
	     q.offset += q.limit) {
		enum err e = store_dossier_list(p->a->st, &q, fn, p, &total);
		if (e && !p->e)
			p->e = e;
	}
	if (p->cs)
		cal_release(p->a, p->cs);
	free(p->names);
	return p->e;
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
	enum err e = walk(&p, from, to, tally_one, f);
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
	return walk(&p, from, to, list_one, f);
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
