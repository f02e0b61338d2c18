/*
 * dossier_queue.c — the desk's queues (a table: key, label, how its query
 * is built) and the dossier search, both limited to the dossiers the
 * actor may read (dossier.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/calendar.h"
#include "app/dossier.h"
#include "core/deadline.h"
#include "core/ident.h"
#include "core/roles.h"
#include "core/text.h"

/* Limits q to what ac may read (the same rule as app_dossier_may_read). */
static void
scope(const struct app *a, const struct actor *ac, struct store_dossier_query *q)
{
	if (ac->role == ROLE_OFFICER || (ac->role == ROLE_LEADER && !a->leaders_see_all && ac->unit[0])) {
		q->scope_user = ac->user_id;
		q->scope_unit = ac->unit[0] ? ac->unit : NULL;
	}
}

/* ---- queues ------------------------------------------------------------------ */

typedef void (*queue_fill)(struct app *, const struct actor *, int64_t now, struct store_dossier_query *);

static void
q_mine(struct app *a, const struct actor *ac, int64_t now, struct store_dossier_query *q)
{
	(void)a, (void)now;
	q->statuses = APP_PENDING;
	q->by_due = 1;
	if (ac->role == ROLE_CLERK)
		q->statuses = "new,received,result_ready";
	else if (ac->role == ROLE_OFFICER) {
		q->assignee = ac->user_id;
		q->statuses = "processing,waiting_supplement,waiting_payment";
	} else if (ac->role == ROLE_LEADER)
		q->stage = "with_leader";
}

static void
q_unit(struct app *a, const struct actor *ac, int64_t now, struct store_dossier_query *q)
{
	(void)a, (void)now;
	q->unit = ac->unit;
	q->statuses = APP_PENDING;
	q->by_due = 1;
}

/* due within the next two working days */
static void
q_soon(struct app *a, const struct actor *ac, int64_t now, struct store_dossier_query *q)
{
	(void)ac;
	struct calsnap *cs = cal_acquire(a);
	int64_t soon = now + 2 * 86400;
	if (cs) {
		dl_add_work(&cs->cal, &cs->hours, now, 2 * 8 * 3600, &soon);
		cal_release(a, cs);
	}
	q->statuses = "received,processing";
	q->due_before = soon;
	q->by_due = 1;
}

static void
q_overdue(struct app *a, const struct actor *ac, int64_t now, struct store_dossier_query *q)
{
	(void)a, (void)ac;
	q->statuses = "received,processing";
	q->due_before = now;
	q->by_due = 1;
}

static void
q_waiting(struct app *a, const struct actor *ac, int64_t now, struct store_dossier_query *q)
{
	(void)a, (void)ac, (void)now;
	q->statuses = "waiting_supplement,waiting_payment";
}

/* today's appointments (UTC+7 day), ready or not: the desk sees at a
 * glance which are not ready */
static void
q_today(struct app *a, const struct actor *ac, int64_t now, struct store_dossier_query *q)
{
	(void)a, (void)ac;
	int64_t day0 = vn_instant(vn_day(now), 0);
	q->statuses = "received,processing,waiting_supplement,waiting_payment,result_ready,returned";
	q->due_from = day0;
	q->due_before = day0 + 86400;
	q->by_due = 1;
}

/* The tabs, in order, and how each builds its query (NULL: the search). */
static const struct app_queue queue_list[] = {
	{"viec-cua-toi", "Việc của tôi"},
	{"don-vi", "Đơn vị của tôi"},
	{"sap-den-han", "Sắp đến hạn"},
	{"qua-han", "Quá hạn"},
	{"cho-bo-sung", "Chờ người nộp bổ sung"},
	{"hen-tra-hom-nay", "Hẹn trả hôm nay"},
	{"tim-kiem", "Tìm kiếm"},
};
static const queue_fill queue_fills[] = {q_mine, q_unit, q_soon, q_overdue, q_waiting, q_today, NULL};
#define NQUEUES (sizeof queue_list / sizeof queue_list[0])
_Static_assert(NQUEUES == sizeof queue_fills / sizeof queue_fills[0], "one fill per queue");

const struct app_queue *
app_queues(size_t *n)
{
	*n = NQUEUES;
	return queue_list;
}

enum err
app_queue_list(struct app *a, const struct actor *ac, const char *key, int64_t now, int limit,
               int (*fn)(const struct store_dossier *, void *), void *arg, int64_t *total)
{
	queue_fill fill = NULL;
	for (size_t i = 0; i < NQUEUES && !fill; i++)
		if (strcmp(queue_list[i].key, key) == 0)
			fill = queue_fills[i];
	if (!fill)
		return ERR_NOT_FOUND;
	struct store_dossier_query q = {.limit = limit, .count_max = APP_COUNT_MAX};
	fill(a, ac, now, &q);
	scope(a, ac, &q);
	return store_dossier_list(a->st, &q, fn, arg, total);
}

/* ---- search ------------------------------------------------------------------- */

int
app_dossier_code(const struct app *a, const char *typed, char *out, size_t n)
{
	struct ident_dossier_code dc;
	char text[72], full[IDENT_DOSSIER_CODE_SIZE + IDENT_AGENCY_MAX + 2];
	size_t tl;
	const char *t = text_trim(typed, strlen(typed), &tl);
	if (tl > 64)
		return -1;
	snprintf(text, sizeof text, "%.*s", (int)tl, t);
	if (ident_dossier_code_parse(text, &dc) != IDENT_OK) {
		if (tl > 16)
			return -1;
		snprintf(full, sizeof full, "%.32s-%.16s", a->agency.code, text);
		if (ident_dossier_code_parse(full, &dc) != IDENT_OK)
			return -1;
	}
	return ident_dossier_code_format(dc.agency, dc.yy, dc.mm, dc.dd, dc.seq, out, n) == IDENT_OK ? 0 : -1;
}

/* Fills q from search text: a dossier code, a 12-digit ID, a phone number
 * or part of a name (tones and case ignored).  code, ph: the caller's
 * buffers; *fold is malloc'd (free it). */
static void
query_text(const struct app *a, const char *text, struct store_dossier_query *q, char *code, size_t cn,
           char *ph, size_t phn, char **fold)
{
	*fold = NULL;
	if (app_dossier_code(a, text, code, cn) == 0) {
		/* a whole dossier code is looked up through its index only */
		q->code = code;
		return;
	}
	q->code = text;
	size_t n = strlen(text), digits = 0;
	for (size_t i = 0; i < n; i++)
		digits += text[i] >= '0' && text[i] <= '9';
	if (digits == n && n == 12)
		q->id_number = text;
	if (ident_phone_normalize(text, ph, phn) == IDENT_OK)
		q->phone = ph;
	/* text without letters (an ID, a phone) never scans names */
	int letters = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		letters |= (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p >= 0x80;
	*fold = letters ? text_fold(text) : NULL;
	if (*fold && **fold)
		q->name_key = *fold;
}

static enum err
statuses_ok(const char *v, struct app_fail *f)
{
	enum dfsm_state s;
	char one[40];
	for (const char *p = v; *p;) {
		size_t k = strcspn(p, ",");
		snprintf(one, sizeof one, "%.*s", (int)(k < 39 ? k : 39), p);
		if (k >= 39 || dfsm_state_from_code(one, &s) != 0)
			return app_fail(f, ERR_INVALID_FIELD, "status", "mã trạng thái không tồn tại");
		p += k + (p[k] == ',');
	}
	return ERR_OK;
}

enum err
app_dossier_search(struct app *a, const struct actor *ac, const struct app_search *s,
                   int (*fn)(const struct store_dossier *, void *), void *arg, int64_t *total,
                   struct app_fail *f)
{
	struct store_dossier_query q = {.from = s->from, .to = s->to, .assignee = s->assignee,
	                                .limit = s->limit, .offset = s->offset, .count_max = s->count_max};
	enum err e;
	if (s->statuses && *s->statuses && (e = statuses_ok(s->statuses, f)) != ERR_OK)
		return e;
	q.statuses = s->statuses && *s->statuses ? s->statuses : NULL;
	if (s->overdue) {
		q.due_before = (int64_t)time(NULL);
		if (!q.statuses)
			q.statuses = APP_PENDING;
		q.by_due = 1;
	}
	size_t tl;
	const char *text = s->text ? text_trim(s->text, strlen(s->text), &tl) : NULL;
	char t[204], code[IDENT_DOSSIER_CODE_SIZE], ph[IDENT_PHONE_SIZE], code_after[IDENT_DOSSIER_CODE_SIZE];
	char *fold = NULL;
	if (text && tl > 200)
		return app_fail(f, ERR_INVALID_FIELD, "q", "từ khóa tối đa 200 ký tự");
	if (text && tl) {
		snprintf(t, sizeof t, "%.*s", (int)tl, text);
		query_text(a, t, &q, code, sizeof code, ph, sizeof ph, &fold);
	}
	scope(a, ac, &q);
	if (s->after && *s->after) {
		/* the cursor is a dossier the actor may read: its code in full form */
		if (app_dossier_code(a, s->after, code_after, sizeof code_after) != 0) {
			free(fold);
			return app_fail(f, ERR_INVALID_FIELD, "after", "mã hồ sơ không hợp lệ");
		}
		if (q.name_key) {
			free(fold);
			return app_fail(f, ERR_INVALID_FIELD, "after",
			                "tìm theo tên xếp theo tên, không theo mã: hãy dùng offset");
		}
		q.after = code_after;
	}
	e = store_dossier_list(a->st, &q, fn, arg, total);
	free(fold);
	if (e == ERR_NOT_FOUND && q.after)
		return app_fail(f, ERR_INVALID_FIELD, "after", "không có hồ sơ mang mã này");
	return e;
}

static int
top_keep(const char *code, int64_t count, void *arg)
{
	struct app *a = arg;
	if (a->top_n < APP_TOP_MAX) {
		snprintf(a->top[a->top_n].code, sizeof a->top[0].code, "%s", code);
		a->top[a->top_n++].count = count;
	}
	return a->top_n == APP_TOP_MAX;
}

enum err
app_top_procedures(struct app *a, int64_t now, int n, int (*fn)(const char *code, int64_t count, void *),
                   void *arg)
{
	struct app_top top[APP_TOP_MAX];
	int have;
	enum err e = ERR_OK;
	pthread_mutex_lock(&a->top_lock);
	if (!a->top_at || now - a->top_at >= APP_TOP_TTL || now < a->top_at) {
		a->top_n = 0;
		e = store_dossier_top_procedures(a->st, now - 365 * 86400, APP_TOP_MAX, top_keep, a);
		a->top_at = e ? 0 : now;
	}
	have = e ? 0 : a->top_n;
	memcpy(top, a->top, sizeof top);
	pthread_mutex_unlock(&a->top_lock);
	for (int i = 0; i < have && i < n; i++)
		if (fn(top[i].code, top[i].count, arg))
			break;
	return e;
}
