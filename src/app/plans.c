/*
 * plans.c — the yearly plans (plans.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/plans.h"
#include "store/budget.h"
#include "core/calendar.h"
#include "core/sniff.h"
#include "core/text.h"
#include "core/vntime.h"

static const char *const KINDS[][2] = {
	{"reform", "Kế hoạch cải cách hành chính"},
	{"it", "Kế hoạch ứng dụng công nghệ thông tin, chuyển đổi số"},
};

static const char *const STATUSES[][2] = {
	{"not_started", "Chưa thực hiện"},
	{"in_progress", "Đang thực hiện"},
	{"done", "Đã hoàn thành"},
	{"cancelled", "Không thực hiện (đã hủy)"},
};

/* The reform fields: the six areas of the national master programme
 * 2021–2030 (Nghị quyết 76/NQ-CP) and the direction of reform that opens
 * the PAR index (REFORM.md section 2 [NV]: the province's template may
 * word them differently; the plan keeps the code). */
static const struct app_plan_field REFORM_FIELDS[] = {
	{"chi_dao", "Công tác chỉ đạo, điều hành cải cách hành chính"},
	{"the_che", "Cải cách thể chế"},
	{"tthc", "Cải cách thủ tục hành chính"},
	{"bo_may", "Cải cách tổ chức bộ máy hành chính"},
	{"cong_vu", "Cải cách chế độ công vụ"},
	{"tai_chinh", "Cải cách tài chính công"},
	{"so", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"},
};
/* The IT application plan's fields [NV: the usual sections of a commune's
 * yearly plan; configurable later]. */
static const struct app_plan_field IT_FIELDS[] = {
	{"ha_tang", "Hạ tầng kỹ thuật"},
	{"ung_dung", "Ứng dụng, dịch vụ số phục vụ người dân"},
	{"noi_bo", "Ứng dụng trong nội bộ cơ quan"},
	{"du_lieu", "Dữ liệu số"},
	{"an_toan", "An toàn thông tin mạng"},
	{"nhan_luc", "Nhân lực, tuyên truyền, kỹ năng số"},
};

static const char *
label_of(const char *const (*t)[2], size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i][0], code) == 0)
			return t[i][1];
	return NULL;
}

const char *
app_plan_kind_label(const char *kind)
{
	return label_of(KINDS, sizeof KINDS / sizeof KINDS[0], kind);
}

const char *
app_plan_status_label(const char *status)
{
	return label_of(STATUSES, sizeof STATUSES / sizeof STATUSES[0], status);
}

size_t
app_plan_fields(const char *kind, const struct app_plan_field **out)
{
	if (strcmp(kind, "it") == 0) {
		*out = IT_FIELDS;
		return sizeof IT_FIELDS / sizeof IT_FIELDS[0];
	}
	*out = REFORM_FIELDS;
	return sizeof REFORM_FIELDS / sizeof REFORM_FIELDS[0];
}

const char *
app_plan_field_label(const char *kind, const char *code)
{
	const struct app_plan_field *f;
	size_t n = app_plan_fields(kind, &f);
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].code, code) == 0)
			return f[i].label;
	return NULL;
}

static int
manager(const struct actor *ac)
{
	return ac && (ac->role & APP_PLAN_MANAGE);
}

static int
reader(const struct actor *ac)
{
	return ac && (ac->role & APP_PLAN_READ);
}

/* Whether ac may report on t: a manager, the person named, or anyone of
 * the responsible unit (the inspector never writes). */
static int
may_report(const struct actor *ac, const struct store_plan_task *t)
{
	if (manager(ac))
		return 1;
	if (!ac || !(ac->role & (ROLE_CLERK | ROLE_OFFICER)))
		return 0;
	return (t->person_id && t->person_id == ac->user_id) || (ac->unit[0] && strcmp(ac->unit, t->unit) == 0);
}

static void
view_of(const struct actor *ac, const struct store_plan_task *t, int64_t now, struct app_plan_task *v)
{
	memset(v, 0, sizeof *v);
	v->t = *t;
	cal_day today = vn_day(now);
	v->open = strcmp(t->status, "done") != 0 && strcmp(t->status, "cancelled") != 0;
	if (v->open && today > t->due_day)
		v->overdue_days = today - t->due_day;
	else if (v->open) {
		v->due_in = t->due_day - today;
		v->soon = v->due_in <= APP_PLAN_REMIND_DAYS;
	}
	if (strcmp(t->status, "done") == 0 && t->done_day > t->due_day)
		v->late_days = t->done_day - t->due_day;
	v->can_report = may_report(ac, t);
	v->can_edit = manager(ac);
}

/* The name the task's history shows for ac: the account's full name. */
static void
who(struct app *a, const struct actor *ac, char *out, size_t n)
{
	struct store_user u;
	if (ac->user_id && store_user_by_id(a->st, ac->user_id, &u) == ERR_OK && u.full_name[0])
		snprintf(out, n, "%s", u.full_name);
	else
		snprintf(out, n, "%s", ac->name);
}

/* ---- plans -------------------------------------------------------------------- */
enum err
app_plans(struct app *a, const struct actor *ac, int (*fn)(const struct store_plan *, void *), void *arg)
{
	if (!reader(ac))
		return ERR_FORBIDDEN;
	return store_plans(a->st, fn, arg);
}

enum err
app_plan_get(struct app *a, const struct actor *ac, int64_t id, struct store_plan *out)
{
	if (!reader(ac))
		return ERR_FORBIDDEN;
	return store_plan_get(a->st, id, out);
}

enum err
app_plan_find(struct app *a, const struct actor *ac, int year, const char *kind, struct store_plan *out)
{
	if (!reader(ac))
		return ERR_FORBIDDEN;
	return store_plan_find(a->st, year, kind, out);
}

enum err
app_plan_save(struct app *a, const struct actor *ac, const struct store_plan *in, int64_t now, struct app_fail *f,
              int64_t *id)
{
	if (!manager(ac))
		return ERR_FORBIDDEN;
	struct store_plan p;
	memset(&p, 0, sizeof p);
	p.id = in->id;
	if (in->id) {
		struct store_plan old;
		enum err e = store_plan_get(a->st, in->id, &old);
		if (e)
			return e;
		p.year = old.year;
		snprintf(p.kind, sizeof p.kind, "%s", old.kind);
	} else {
		if (in->year < 2000 || in->year > 2100)
			return app_fail(f, ERR_INVALID_FIELD, "year", "Năm kế hoạch phải từ 2000 đến 2100.");
		if (!app_plan_kind_label(in->kind))
			return app_fail(f, ERR_INVALID_FIELD, "kind",
			                "Chọn loại kế hoạch: cải cách hành chính hoặc ứng dụng công nghệ thông tin.");
		p.year = in->year;
		snprintf(p.kind, sizeof p.kind, "%s", in->kind);
	}
	if (app_text_take(p.title, sizeof p.title, in->title, 300, 0) != 0 || !p.title[0])
		return app_fail(f, ERR_INVALID_FIELD, "title", "Ghi tên kế hoạch (tối đa 300 ký tự, trên một dòng).");
	if (app_text_take(p.doc_number, sizeof p.doc_number, in->doc_number, 50, 0) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "doc_number",
		                "Số, ký hiệu văn bản tối đa 50 ký tự (ví dụ 35/KH-UBND).");
	if (app_text_take(p.doc_signer, sizeof p.doc_signer, in->doc_signer, 120, 0) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "doc_signer", "Người ký tối đa 120 ký tự.");
	p.doc_day = in->doc_day;
	int issued = p.doc_number[0] || p.doc_signer[0] || p.doc_day;
	if (issued && !(p.doc_number[0] && p.doc_signer[0] && p.doc_day > 0))
		return app_fail(f, ERR_INVALID_FIELD, "doc_number",
		                "Kế hoạch đã ban hành: ghi đủ số, ký hiệu, ngày ban hành và người ký (hoặc để trống cả ba).");
	if (issued && p.doc_day > vn_day(now))
		return app_fail(f, ERR_INVALID_FIELD, "doc_day", "Ngày ban hành không được sau hôm nay.");
	enum err e = store_plan_put(a->st, ac->name, &p, now, id);
	if (e == ERR_EXISTS)
		return app_fail(f, ERR_EXISTS, "year", "Năm này đã có kế hoạch cùng loại: mở kế hoạch đó để bổ sung nhiệm vụ.");
	return e;
}

/* ---- tasks ---------------------------------------------------------------------- */
struct walk {
	const struct actor *ac;
	int64_t now;
	int (*fn)(const struct app_plan_task *, void *);
	void *arg;
	struct app_plan_sum *sum;
	long progress_sum;
	struct app_plan_task v;
};

static int
walk_one(const struct store_plan_task *t, void *arg)
{
	struct walk *w = arg;
	view_of(w->ac, t, w->now, &w->v);
	struct app_plan_sum *s = w->sum;
	if (s) {
		s->tasks++;
		s->budget += t->budget;
		if (strcmp(t->status, "cancelled") == 0)
			s->cancelled++;
		else
			w->progress_sum += t->progress;
		s->done += strcmp(t->status, "done") == 0;
		s->done_late += w->v.late_days > 0;
		s->in_progress += strcmp(t->status, "in_progress") == 0;
		s->not_started += strcmp(t->status, "not_started") == 0;
		s->overdue += w->v.overdue_days > 0;
		s->soon += w->v.soon;
	}
	return w->fn ? w->fn(&w->v, w->arg) : 0;
}

static void
sum_end(struct walk *w)
{
	struct app_plan_sum *s = w->sum;
	if (!s)
		return;
	int live = s->tasks - s->cancelled;
	s->progress = live ? (int)((w->progress_sum + live / 2) / live) : 0;
	s->done_pct = live ? (int)((s->done * 100L + live / 2) / live) : 0;
}

enum err
app_plan_tasks(struct app *a, const struct actor *ac, int64_t plan_id, const char *unit, int64_t now,
               int (*fn)(const struct app_plan_task *, void *), void *arg, struct app_plan_sum *sum)
{
	if (!reader(ac))
		return ERR_FORBIDDEN;
	struct walk w = {.ac = ac, .now = now, .fn = fn, .arg = arg, .sum = sum};
	if (sum)
		memset(sum, 0, sizeof *sum);
	enum err e = store_plan_tasks(a->st, plan_id, unit ? unit : "", 0, walk_one, &w);
	sum_end(&w);
	return e;
}

enum err
app_plan_task_get(struct app *a, const struct actor *ac, int64_t id, int64_t now, struct app_plan_task *out)
{
	if (!reader(ac))
		return ERR_FORBIDDEN;
	struct store_plan_task *t = malloc(sizeof *t);
	if (!t)
		return ERR_NOMEM;
	enum err e = store_plan_task_get(a->st, id, t);
	if (!e)
		view_of(ac, t, now, out);
	free(t);
	return e;
}

enum err
app_plan_task_events(struct app *a, const struct actor *ac, int64_t id,
                     int (*fn)(const struct store_plan_event *, void *), void *arg)
{
	if (!reader(ac))
		return ERR_FORBIDDEN;
	return store_plan_task_events(a->st, id, fn, arg);
}

/* Whether id names an active staff account. */
static int
person_ok(struct app *a, int64_t id)
{
	struct store_user u;
	return store_user_by_id(a->st, id, &u) == ERR_OK && u.active && role_from_name(u.role) != 0;
}

enum err
app_plan_task_save(struct app *a, const struct actor *ac, const struct store_plan_task *in, int64_t now,
                   struct app_fail *f, int64_t *id)
{
	if (!manager(ac))
		return ERR_FORBIDDEN;
	struct store_plan_task *t = calloc(1, sizeof *t);
	if (!t)
		return ERR_NOMEM;
	struct store_plan p;
	enum err e = ERR_OK;
	if (in->id) {   /* an edit: the plan and what reports set stay */
		if ((e = store_plan_task_get(a->st, in->id, t)))
			goto out;
		t->version = in->version;
	} else {
		t->plan_id = in->plan_id;
		snprintf(t->status, sizeof t->status, "not_started");
	}
	if ((e = store_plan_get(a->st, t->plan_id, &p)))
		goto out;
	e = ERR_INVALID_FIELD;
	if (app_text_take(t->title, sizeof t->title, in->title, 1000, 1) != 0 || !t->title[0]) {
		app_fail(f, e, "title", "Ghi nội dung nhiệm vụ (tối đa 1000 ký tự).");
		goto out;
	}
	if (!app_plan_field_label(p.kind, in->field)) {
		app_fail(f, e, "field", "Chọn lĩnh vực của nhiệm vụ trong danh sách.");
		goto out;
	}
	snprintf(t->field, sizeof t->field, "%s", in->field);
	if (app_text_take(t->unit, sizeof t->unit, in->unit, 120, 0) != 0 || !t->unit[0]) {
		app_fail(f, e, "unit", "Ghi đơn vị chủ trì (tối đa 120 ký tự).");
		goto out;
	}
	if (app_text_take(t->coop_units, sizeof t->coop_units, in->coop_units, 300, 0) != 0) {
		app_fail(f, e, "coop_units", "Đơn vị phối hợp tối đa 300 ký tự, trên một dòng.");
		goto out;
	}
	t->person_id = in->person_id;
	if (t->person_id && !person_ok(a, t->person_id)) {
		app_fail(f, e, "person_id", "Người chịu trách nhiệm phải là một tài khoản cán bộ đang hoạt động.");
		goto out;
	}
	cal_day first = cal_day_from_ymd(p.year, 1, 1), last = cal_day_from_ymd(p.year, 12, 31);
	if (in->start_day < first || in->start_day > last || in->due_day < first || in->due_day > last) {
		char msg[200];
		snprintf(msg, sizeof msg, "Ngày bắt đầu và hạn hoàn thành phải trong năm %d của kế hoạch.", p.year);
		app_fail(f, e, in->start_day < first || in->start_day > last ? "start_day" : "due_day", msg);
		goto out;
	}
	if (in->due_day < in->start_day) {
		app_fail(f, e, "due_day", "Hạn hoàn thành không được trước ngày bắt đầu.");
		goto out;
	}
	t->start_day = in->start_day;
	t->due_day = in->due_day;
	if (app_text_take(t->output, sizeof t->output, in->output, 1000, 1) != 0) {
		app_fail(f, e, "output", "Sản phẩm dự kiến tối đa 1000 ký tự.");
		goto out;
	}
	t->budget_line_id = in->budget_line_id;
	if (t->budget_line_id) {
		struct store_budget_line bl;
		enum err be = store_budget_line_get(a->st, t->budget_line_id, &bl);
		if (be || bl.year != p.year) {
			app_fail(f, e, "budget_line", "Dòng kinh phí phải thuộc ngân sách cùng năm với kế hoạch.");
			goto out;
		}
	}
	if (in->budget < 0 || in->budget > 1000000000000000LL) {
		app_fail(f, e, "budget", "Kinh phí là số đồng, không âm.");
		goto out;
	}
	t->budget = in->budget;
	char name[256];
	who(a, ac, name, sizeof name);
	if (in->id) {
		e = store_plan_task_edit(a->st, ac->name, name, t, now);
		if (!e && id)
			*id = in->id;
	} else {
		e = store_plan_task_add(a->st, ac->name, name, t, now, id);
	}
	if (e == ERR_CONFLICT)
		app_fail(f, e, "", "Nhiệm vụ vừa được người khác cập nhật. Hãy tải lại trang để xem rồi sửa lại.");
out:
	free(t);
	return e;
}

enum err
app_plan_task_report(struct app *a, const struct actor *ac, int64_t id, int64_t version, int progress,
                     const char *status, const char *note, int64_t now, struct app_fail *f)
{
	if (!reader(ac))
		return ERR_FORBIDDEN;
	struct store_plan_task *t = malloc(sizeof *t);
	if (!t)
		return ERR_NOMEM;
	enum err e = store_plan_task_get(a->st, id, t);
	if (e)
		goto out;
	if (!may_report(ac, t)) {
		e = app_fail(f, ERR_FORBIDDEN, "",
		             "Chỉ đơn vị chủ trì, người chịu trách nhiệm hoặc lãnh đạo được báo cáo tiến độ nhiệm vụ này.");
		goto out;
	}
	if (!status || !app_plan_status_label(status)) {
		e = app_fail(f, ERR_INVALID_FIELD, "status", "Chọn tình trạng của nhiệm vụ.");
		goto out;
	}
	int was_open = strcmp(t->status, "done") != 0 && strcmp(t->status, "cancelled") != 0;
	int to_open = strcmp(status, "done") != 0 && strcmp(status, "cancelled") != 0;
	if (!manager(ac) && (strcmp(status, "cancelled") == 0 || (!was_open && strcmp(status, t->status) != 0))) {
		e = app_fail(f, ERR_FORBIDDEN, "status", "Chỉ lãnh đạo được hủy nhiệm vụ hoặc mở lại nhiệm vụ đã kết thúc.");
		goto out;
	}
	if (progress < 0 || progress > 100) {
		e = app_fail(f, ERR_INVALID_FIELD, "progress", "Tiến độ là số phần trăm từ 0 đến 100.");
		goto out;
	}
	char text[4000];
	if (app_text_take(text, sizeof text, note ? note : "", 2000, 1) != 0) {
		e = app_fail(f, ERR_INVALID_FIELD, "note", "Nội dung báo cáo tối đa 2000 ký tự.");
		goto out;
	}
	int32_t done_day = 0;
	if (strcmp(status, "done") == 0) {
		progress = 100;
		done_day = strcmp(t->status, "done") == 0 ? t->done_day : vn_day(now);
	} else if (to_open && progress == 100) {
		e = app_fail(f, ERR_INVALID_FIELD, "progress",
		             "Tiến độ 100% nghĩa là đã hoàn thành: chọn tình trạng \"Đã hoàn thành\".");
		goto out;
	} else if (strcmp(status, "not_started") == 0 && progress > 0) {
		status = "in_progress";
	} else if (strcmp(status, "in_progress") == 0 && progress == 0 && !text[0]) {
		e = app_fail(f, ERR_INVALID_FIELD, "note", "Ghi việc đã làm khi nhiệm vụ bắt đầu thực hiện.");
		goto out;
	}
	if (strcmp(status, "cancelled") == 0 && !text[0]) {
		e = app_fail(f, ERR_INVALID_FIELD, "note", "Ghi lý do không thực hiện nhiệm vụ.");
		goto out;
	}
	char name[256];
	who(a, ac, name, sizeof name);
	e = store_plan_task_report(a->st, ac->name, name, id, version, progress, status, done_day, text, now);
	if (e == ERR_CONFLICT)
		app_fail(f, e, "", "Nhiệm vụ vừa được người khác cập nhật. Hãy tải lại trang để xem rồi báo cáo lại.");
out:
	free(t);
	return e;
}

enum err
app_plan_reminders(struct app *a, const struct actor *ac, int64_t now,
                   int (*fn)(const struct app_plan_task *, void *), void *arg)
{
	if (!reader(ac))
		return ERR_FORBIDDEN;
	struct walk w = {.ac = ac, .now = now, .fn = fn, .arg = arg};
	int all = manager(ac) || (ac->role & ROLE_VIEWER);
	return store_plan_tasks_due(a->st, vn_day(now) + APP_PLAN_REMIND_DAYS, all ? "" : ac->unit,
	                            all ? 0 : (ac->user_id ? ac->user_id : -1), walk_one, &w);
}

/* The carried task's days: the same day of the next year (28 February for
 * the 29th), starting no earlier than 1 January. */
static void
next_year_days(const struct store_plan_task *t, int32_t *start, int32_t *due, void *arg)
{
	(void)arg;
	int y, m, d;
	cal_ymd(t->due_day, &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	*due = cal_day_from_ymd(t->year + 1, m, d);
	*start = cal_day_from_ymd(t->year + 1, 1, 1);
}

enum err
app_plan_carry(struct app *a, const struct actor *ac, int64_t id, int64_t now, struct app_fail *f, int *n,
               int64_t *to)
{
	*n = 0;
	if (!manager(ac))
		return ERR_FORBIDDEN;
	struct store_plan p, next;
	enum err e = store_plan_get(a->st, id, &p);
	if (e)
		return e;
	if (p.year >= 2100)
		return app_fail(f, ERR_OUT_OF_RANGE, "year", "Không chuyển được sang năm sau năm 2100.");
	e = store_plan_find(a->st, p.year + 1, p.kind, &next);
	if (e == ERR_NOT_FOUND) {
		struct store_plan np;
		memset(&np, 0, sizeof np);
		np.year = p.year + 1;
		snprintf(np.kind, sizeof np.kind, "%s", p.kind);
		snprintf(np.title, sizeof np.title, "%s năm %d", app_plan_kind_label(p.kind), np.year);
		e = store_plan_put(a->st, ac->name, &np, now, &next.id);
		if (e == ERR_EXISTS)   /* made by someone at the same moment */
			e = store_plan_find(a->st, p.year + 1, p.kind, &next);
	}
	if (e)
		return e;
	*to = next.id;
	char name[256];
	who(a, ac, name, sizeof name);
	return store_plan_carry(a->st, ac->name, name, id, next.id, next_year_days, NULL, now, n);
}

/* ---- evidence --------------------------------------------------------------------- */
enum err
app_plan_file_add(struct app *a, const struct actor *ac, int64_t id, const void *data, size_t len,
                  const char *name, int64_t now, struct app_fail *f)
{
	if (!reader(ac))
		return ERR_FORBIDDEN;
	struct store_plan_task *t = malloc(sizeof *t);
	if (!t)
		return ERR_NOMEM;
	enum err e = store_plan_task_get(a->st, id, t);
	int ok = !e && may_report(ac, t);
	free(t);
	if (e)
		return e;
	if (!ok)
		return app_fail(f, ERR_FORBIDDEN, "",
		                "Chỉ đơn vị chủ trì, người chịu trách nhiệm hoặc lãnh đạo được đính kèm minh chứng.");
	if (!data || !len)
		return app_fail(f, ERR_MISSING_FIELD, "file", "Chưa chọn tệp minh chứng.");
	if (len > APP_PLAN_FILE_MAX)
		return app_fail(f, ERR_INVALID_FIELD, "file", "Mỗi tệp minh chứng tối đa 10 MB.");
	const char *mime = sniff_mime(data, len);
	if (!mime || strcmp(mime, "image/webp") == 0)
		return app_fail(f, ERR_UNSUPPORTED_MEDIA, "file", "Chỉ nhận tệp PDF, JPEG hoặc PNG.");
	struct store_plan_file pf;
	memset(&pf, 0, sizeof pf);
	if ((e = store_file_put(a->st, data, len, pf.sha256)))
		return e;
	const char *base = name && *name ? name : "minh-chung";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t k = text_utf8_prefix(base, strlen(base), 190);
	if (!k || app_text_take(pf.name, sizeof pf.name, base, 190, 0) != 0)
		snprintf(pf.name, sizeof pf.name, "minh-chung");
	snprintf(pf.mime, sizeof pf.mime, "%s", mime);
	pf.size = (int64_t)len;
	char who_name[256];
	who(a, ac, who_name, sizeof who_name);
	e = store_plan_file_add(a->st, ac->name, who_name, id, &pf, now);
	if (e == ERR_EXISTS)
		return app_fail(f, ERR_EXISTS, "file", "Tệp này đã được đính kèm vào nhiệm vụ.");
	return e;
}

enum err
app_plan_files(struct app *a, const struct actor *ac, int64_t id, int (*fn)(const struct store_plan_file *, void *),
               void *arg)
{
	if (!reader(ac))
		return ERR_FORBIDDEN;
	return store_plan_files(a->st, id, fn, arg);
}

enum err
app_plan_file_get(struct app *a, const struct actor *ac, int64_t id, const char *sha256, struct store_plan_file *meta,
                  char **data, size_t *len)
{
	if (!reader(ac))
		return ERR_FORBIDDEN;
	enum err e = store_plan_file_get(a->st, id, sha256, meta);
	return e ? e : store_file_get(a->st, meta->sha256, data, len);
}

/* ---- choices for the forms ------------------------------------------------------------ */
struct units {
	char (*v)[256];
	size_t n, cap;
};

static int
unit_add(const struct store_user *u, void *arg)
{
	struct units *s = arg;
	if (!u->active || !u->unit[0])
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], u->unit) == 0)
			return 0;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		char (*m)[256] = realloc(s->v, nc * sizeof *m);
		if (!m)
			return 1;
		s->v = m;
		s->cap = nc;
	}
	snprintf(s->v[s->n++], sizeof s->v[0], "%s", u->unit);
	return 0;
}

static int
cmp_unit(const void *x, const void *y)
{
	return strcmp(x, y);
}

enum err
app_plan_units(struct app *a, int (*fn)(const char *unit, void *), void *arg)
{
	struct units s = {0};
	enum err e = store_user_each(a->st, unit_add, &s);
	if (!e && s.n)
		qsort(s.v, s.n, sizeof s.v[0], cmp_unit);
	for (size_t i = 0; !e && i < s.n; i++)
		if (fn(s.v[i], arg))
			break;
	free(s.v);
	return e;
}

struct people {
	int (*fn)(const struct store_user *, void *);
	void *arg;
};

static int
person_add(const struct store_user *u, void *arg)
{
	struct people *p = arg;
	return u->active && role_from_name(u->role) ? p->fn(u, p->arg) : 0;
}

enum err
app_plan_people(struct app *a, int (*fn)(const struct store_user *, void *), void *arg)
{
	struct people p = {fn, arg};
	return store_user_each(a->st, person_add, &p);
}
