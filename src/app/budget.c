/*
 * budget.c — the reform budget (budget.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/budget.h"
#include "app/plans.h"
#include "core/calendar.h"
#include "core/sniff.h"
#include "core/text.h"
#include "core/vntime.h"

#define AMOUNT_MAX 1000000000000000LL   /* a million billion đồng */

static int
can(const struct actor *ac, unsigned roles)
{
	return ac && (ac->role & roles);
}

enum err
app_budget_lines(struct app *a, const struct actor *ac, int year, int (*fn)(const struct store_budget_line *, void *),
                 void *arg)
{
	if (!can(ac, APP_BUDGET_READ))
		return ERR_FORBIDDEN;
	return store_budget_lines(a->st, year, fn, arg);
}

enum err
app_budget_line_get(struct app *a, const struct actor *ac, int64_t id, struct store_budget_line *out)
{
	if (!can(ac, APP_BUDGET_READ))
		return ERR_FORBIDDEN;
	return store_budget_line_get(a->st, id, out);
}

enum err
app_budget_line_save(struct app *a, const struct actor *ac, const struct store_budget_line *in, int64_t now,
                     struct app_fail *f, int64_t *id)
{
	if (!can(ac, APP_BUDGET_WRITE))
		return ERR_FORBIDDEN;
	struct store_budget_line l;
	memset(&l, 0, sizeof l);
	l.id = in->id;
	if (in->id) {
		struct store_budget_line old;
		enum err e = store_budget_line_get(a->st, in->id, &old);
		if (e)
			return e;
		l.year = old.year;
	} else if (in->year < 2000 || in->year > 2100) {
		return app_fail(f, ERR_INVALID_FIELD, "year", "Năm ngân sách phải từ 2000 đến 2100.");
	} else {
		l.year = in->year;
	}
	if (app_text_take(l.name, sizeof l.name, in->name, 200, 0) != 0 || !l.name[0])
		return app_fail(f, ERR_INVALID_FIELD, "name", "Ghi tên dòng kinh phí (tối đa 200 ký tự, trên một dòng).");
	if (in->field[0] && !app_plan_field_label("reform", in->field))
		return app_fail(f, ERR_INVALID_FIELD, "field", "Chọn lĩnh vực cải cách trong danh sách.");
	snprintf(l.field, sizeof l.field, "%s", in->field);
	if (app_text_take(l.source, sizeof l.source, in->source, 120, 0) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "source", "Nguồn kinh phí tối đa 120 ký tự, trên một dòng.");
	if (in->planned < 0 || in->planned > AMOUNT_MAX || in->allocated < 0 || in->allocated > AMOUNT_MAX)
		return app_fail(f, ERR_INVALID_FIELD, in->planned < 0 || in->planned > AMOUNT_MAX ? "planned" : "allocated",
		                "Số tiền là số đồng, không âm (ví dụ 15.000.000).");
	l.planned = in->planned;
	l.allocated = in->allocated;
	enum err e = store_budget_line_put(a->st, ac->name, &l, now, id);
	if (e == ERR_EXISTS)
		return app_fail(f, e, "name", "Năm này đã có dòng kinh phí cùng tên.");
	if (e == ERR_OUT_OF_RANGE)
		return app_fail(f, e, "allocated", "Dự toán được giao không được nhỏ hơn số đã chi.");
	return e;
}

enum err
app_budget_spend(struct app *a, const struct actor *ac, const struct app_budget_spend_in *in, int64_t now,
                 struct app_fail *f, int64_t *id)
{
	if (!can(ac, APP_BUDGET_WRITE))
		return ERR_FORBIDDEN;
	struct store_budget_line line;
	enum err e = store_budget_line_get(a->st, in->line_id, &line);
	if (e)
		return e;
	struct store_budget_spend *s = calloc(1, sizeof *s);
	if (!s)
		return ERR_NOMEM;
	s->line_id = in->line_id;
	e = ERR_INVALID_FIELD;
	int y = 0, m, d;
	if (in->day > 0)
		cal_ymd(in->day, &y, &m, &d);
	if (in->day <= 0 || y != line.year || in->day > vn_day(now)) {
		char msg[160];
		snprintf(msg, sizeof msg, "Ngày chi phải trong năm %d và không sau hôm nay.", line.year);
		app_fail(f, e, "day", msg);
		goto out;
	}
	s->day = in->day;
	if (!in->amount || in->amount > AMOUNT_MAX || in->amount < -AMOUNT_MAX) {
		app_fail(f, e, "amount", "Ghi số tiền chi (đồng); điều chỉnh giảm ghi số âm kèm lý do.");
		goto out;
	}
	s->amount = in->amount;
	if (app_text_take(s->content, sizeof s->content, in->content ? in->content : "", 500, 1) != 0 || !s->content[0]) {
		app_fail(f, e, "content", "Ghi nội dung chi (tối đa 500 ký tự).");
		goto out;
	}
	if (app_text_take(s->doc_number, sizeof s->doc_number, in->doc_number ? in->doc_number : "", 50, 0) != 0) {
		app_fail(f, e, "doc_number", "Số chứng từ tối đa 50 ký tự.");
		goto out;
	}
	if (in->doc_day < 0 || in->doc_day > vn_day(now)) {
		app_fail(f, e, "doc_day", "Ngày chứng từ không được sau hôm nay.");
		goto out;
	}
	s->doc_day = in->doc_day;
	if (in->task_id) {
		struct store_plan_task *t = malloc(sizeof *t);
		enum err te = t ? store_plan_task_get(a->st, in->task_id, t) : ERR_NOMEM;
		int same_year = !te && t->year == line.year;
		free(t);
		if (te == ERR_NOMEM) {
			e = te;
			goto out;
		}
		if (!same_year) {
			app_fail(f, e, "task_id", "Nhiệm vụ phải thuộc kế hoạch cùng năm với dòng kinh phí.");
			goto out;
		}
		s->task_id = in->task_id;
	}
	if (in->file && in->file_len) {
		const char *mime = in->file_len <= APP_BUDGET_FILE_MAX ? sniff_mime(in->file, in->file_len) : NULL;
		if (!mime || strcmp(mime, "image/webp") == 0) {
			e = app_fail(f, ERR_UNSUPPORTED_MEDIA, "file", "Chứng từ đính kèm: tệp PDF, JPEG hoặc PNG, tối đa 10 MB.");
			goto out;
		}
		if ((e = store_file_put(a->st, in->file, in->file_len, s->sha256)))
			goto out;
		snprintf(s->file_mime, sizeof s->file_mime, "%s", mime);
		const char *base = in->file_name && *in->file_name ? in->file_name : "chung-tu";
		for (const char *p = base; *p; p++)
			if (*p == '/' || *p == '\\')
				base = p + 1;
		if (app_text_take(s->file_name, sizeof s->file_name, base, 190, 0) != 0 || !s->file_name[0])
			snprintf(s->file_name, sizeof s->file_name, "chung-tu");
	}
	snprintf(s->actor, sizeof s->actor, "%s", ac->name);
	e = store_budget_spend_add(a->st, s, now, id);
	if (e == ERR_OUT_OF_RANGE)
		app_fail(f, e, "amount",
		         s->amount > 0 ? "Số chi vượt dự toán được giao của dòng kinh phí: chưa ghi; hãy kiểm tra lại số tiền hoặc điều chỉnh dự toán."
		                       : "Số điều chỉnh giảm lớn hơn số đã chi.");
out:
	free(s);
	return e;
}

enum err
app_budget_spends(struct app *a, const struct actor *ac, int64_t line_id,
                  int (*fn)(const struct store_budget_spend *, void *), void *arg)
{
	if (!can(ac, APP_BUDGET_READ))
		return ERR_FORBIDDEN;
	return store_budget_spends(a->st, line_id, fn, arg);
}

enum err
app_budget_spend_file(struct app *a, const struct actor *ac, int64_t id, struct store_budget_spend *meta, char **data,
                      size_t *len)
{
	if (!can(ac, APP_BUDGET_READ))
		return ERR_FORBIDDEN;
	enum err e = store_budget_spend_get(a->st, id, meta);
	if (e)
		return e;
	if (!meta->sha256[0])
		return ERR_NOT_FOUND;
	return store_file_get(a->st, meta->sha256, data, len);
}

struct by_field {
	struct app_budget_field *out;
	size_t n;
};

static int
field_add(const struct store_budget_line *l, void *arg)
{
	struct by_field *b = arg;
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->out[i].code, l->field) == 0) {
			b->out[i].planned += l->planned;
			b->out[i].allocated += l->allocated;
			b->out[i].spent += l->spent;
			b->out[i].lines++;
			break;
		}
	return 0;
}

enum err
app_budget_by_field(struct app *a, const struct actor *ac, int year, struct app_budget_field *out, size_t *n)
{
	if (!can(ac, APP_BUDGET_READ))
		return ERR_FORBIDDEN;
	const struct app_plan_field *fl;
	size_t nf = app_plan_fields("reform", &fl);
	struct by_field b = {out, 0};
	for (size_t i = 0; i < nf && b.n < APP_BUDGET_FIELDS_MAX - 1; i++)
		out[b.n++] = (struct app_budget_field){fl[i].code, fl[i].label, 0, 0, 0, 0};
	out[b.n++] = (struct app_budget_field){"", "Nhiều lĩnh vực, chung", 0, 0, 0, 0};
	*n = b.n;
	return store_budget_lines(a->st, year, field_add, &b);
}
