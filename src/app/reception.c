/*
 * reception.c — citizen reception: the schedule, the register and the
 * dialogue meetings (reception.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/reception.h"
#include "app/calendar.h"
#include "core/ident.h"
#include "core/text.h"
#include "core/vntime.h"

static const char *const ROLES[][2] = {
	{"chairman", "Chủ tịch UBND"},
	{"vice", "Phó Chủ tịch UBND"},
	{"officer", "Cán bộ tiếp công dân"},
};
/* The kinds of matter the Citizen Reception Law receives: khiếu nại, tố
 * cáo, kiến nghị, phản ánh (Luật 42/2013 Điều 25: "Tiếp nhận và xử lý bước
 * đầu khiếu nại, tố cáo, kiến nghị, phản ánh", cited by NĐ 28/2019 Điều 7
 * in shared/law/to-cao.md), and anything else a person comes about. */
static const char *const KINDS[][2] = {
	{"complaint", "Khiếu nại"},
	{"denunciation", "Tố cáo"},
	{"petition", "Kiến nghị, phản ánh"},
	{"other", "Khác"},
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
app_rc_role_label(const char *role)
{
	return label_of(ROLES, sizeof ROLES / sizeof ROLES[0], role);
}

const char *
app_rc_kind_label(const char *kind)
{
	return label_of(KINDS, sizeof KINDS / sizeof KINDS[0], kind);
}

/* ---- the schedule -------------------------------------------------------- */
enum err
app_rc_slots(struct app *a, int (*fn)(const struct store_rc_slot *, void *), void *arg)
{
	return store_rc_slots(a->st, fn, arg);
}

enum err
app_rc_slot_get(struct app *a, int64_t id, struct store_rc_slot *out)
{
	return store_rc_slot_get(a->st, id, out);
}

enum err
app_rc_slot_save(struct app *a, const struct actor *ac, const struct store_rc_slot *in,
                 struct app_fail *f, int64_t *id)
{
	if (!ac || !(ac->role & APP_RC_SCHEDULE))
		return ERR_FORBIDDEN;
	struct store_rc_slot s;
	memset(&s, 0, sizeof s);
	s.id = in->id;
	if (!app_rc_role_label(in->role))
		return app_fail(f, ERR_INVALID_FIELD, "role",
		                "Chọn người tiếp: Chủ tịch, Phó Chủ tịch hoặc cán bộ tiếp công dân.");
	snprintf(s.role, sizeof s.role, "%s", in->role);
	if (app_text_take(s.person, sizeof s.person, in->person, 120, 0) != 0 || !s.person[0])
		return app_fail(f, ERR_INVALID_FIELD, "person", "Ghi họ và tên người tiếp (tối đa 120 ký tự).");
	if (app_text_take(s.title, sizeof s.title, in->title, 120, 0) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "title", "Chức vụ tối đa 120 ký tự, trên một dòng.");
	s.weekday = in->weekday;
	s.day = in->day;
	if (s.weekday < -1 || s.weekday > 6 || (s.weekday == -1 && s.day <= 0))
		return app_fail(f, ERR_INVALID_FIELD, "when",
		                "Chọn thứ trong tuần (tiếp hằng tuần) hoặc ghi một ngày cụ thể.");
	if (s.weekday >= 0)
		s.day = 0;
	if (in->start_min < 0 || in->start_min > 1439 || in->end_min <= in->start_min || in->end_min > 1440)
		return app_fail(f, ERR_INVALID_FIELD, "start",
		                "Ghi giờ bắt đầu và giờ kết thúc dạng giờ:phút (ví dụ 07:30 và 11:00); giờ kết thúc sau giờ bắt đầu.");
	s.start_min = in->start_min;
	s.end_min = in->end_min;
	if (app_text_take(s.place, sizeof s.place, in->place, 200, 0) != 0 || !s.place[0])
		return app_fail(f, ERR_INVALID_FIELD, "place",
		                "Ghi địa điểm tiếp (ví dụ: Phòng tiếp công dân, trụ sở UBND xã), tối đa 200 ký tự.");
	if (app_text_take(s.note, sizeof s.note, in->note, 500, 0) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "note", "Ghi chú tối đa 500 ký tự, trên một dòng.");
	s.updated_at = (int64_t)time(NULL);
	return app_public_write(a, store_rc_slot_put(a->st, ac->name, &s, id));
}

enum err
app_rc_slot_delete(struct app *a, const struct actor *ac, int64_t id)
{
	if (!ac || !(ac->role & APP_RC_SCHEDULE))
		return ERR_FORBIDDEN;
	return app_public_write(a, store_rc_slot_delete(a->st, ac->name, id));
}

struct slot_list {
	struct store_rc_slot *v;
	size_t n;
};

static int
slot_keep(const struct store_rc_slot *s, void *arg)
{
	struct slot_list *l = arg;
	if (l->n == APP_RC_SLOTS_MAX)
		return 1;
	l->v[l->n++] = *s;
	return 0;
}

static int
by_time(const void *x, const void *y)
{
	const struct store_rc_slot *a = x, *b = y;
	return a->start_min != b->start_min ? (a->start_min > b->start_min) - (a->start_min < b->start_min)
	                                    : (a->id > b->id) - (a->id < b->id);
}

enum err
app_rc_sessions(struct app *a, int32_t from, int ndays,
                int (*fn)(const struct app_rc_session *, void *), void *arg)
{
	if (ndays < 1 || ndays > 366)
		return ERR_OUT_OF_RANGE;
	struct slot_list l = {malloc(APP_RC_SLOTS_MAX * sizeof *l.v), 0};
	if (!l.v)
		return ERR_NOMEM;
	enum err e = store_rc_slots(a->st, slot_keep, &l);
	if (e) {
		free(l.v);
		return e;
	}
	qsort(l.v, l.n, sizeof *l.v, by_time);
	struct calsnap *cs = cal_acquire(a);
	int stop = 0;
	for (int32_t d = from; d < from + ndays && !stop; d++) {
		int wd = cal_weekday(d);
		/* a weekly session does not happen on a day off (a holiday of the
		 * calendar: Tết, 2/9 …); a session set for that very day does */
		const struct cal_special *sp = cs ? cal_special_of(&cs->cal, d) : NULL;
		const char *off = sp && sp->off ? sp->name : "";
		for (size_t i = 0; i < l.n && !stop; i++) {
			const struct store_rc_slot *s = &l.v[i];
			if (s->weekday >= 0 ? s->weekday != wd : s->day != d)
				continue;
			struct app_rc_session ses = {s, d, s->weekday >= 0 ? off : ""};
			stop = fn(&ses, arg);
		}
	}
	if (cs)
		cal_release(a, cs);
	free(l.v);
	return ERR_OK;
}

/* ---- the register ---------------------------------------------------------- */
/* A visit or a meeting may be recorded afterwards, not ahead: an instant
 * after 1/1/2000 and not later than now (a few minutes of clock skew). */
static int
when_ok(int64_t at, int64_t now)
{
	return at >= 946659600 && at <= now + 300;
}

enum err
app_rc_visit_add(struct app *a, const struct actor *ac, const struct store_rc_visit *in, int64_t now,
                 struct app_fail *f, int64_t *id)
{
	if (!ac || !(ac->role & APP_RC_WRITE))
		return ERR_FORBIDDEN;
	struct store_rc_visit *v = calloc(1, sizeof *v);
	if (!v)
		return ERR_NOMEM;
	enum err e = ERR_OK;
	char why[120];
	if (!when_ok(in->at, now))
		e = app_fail(f, ERR_INVALID_FIELD, "at", "Ngày giờ tiếp không hợp lệ hoặc ở tương lai.");
	else if (app_text_take(v->name, sizeof v->name, in->name, 120, 0) != 0 || !v->name[0])
		e = app_fail(f, ERR_INVALID_FIELD, "name", "Ghi họ và tên người đến (tối đa 120 ký tự).");
	else if (app_text_take(v->id_number, sizeof v->id_number, in->id_number, 12, 0) != 0 ||
	         (v->id_number[0] && ident_pid_check(v->id_number, 0, 0, why, sizeof why) != IDENT_OK))
		e = app_fail(f, ERR_INVALID_FIELD, "id_number",
		             "Số định danh cá nhân gồm đúng 12 chữ số, có mã tỉnh đúng; để trống nếu người đến không xuất trình.");
	else if (app_text_take(v->address, sizeof v->address, in->address, 200, 0) != 0)
		e = app_fail(f, ERR_INVALID_FIELD, "address", "Địa chỉ tối đa 200 ký tự, trên một dòng.");
	else if (app_text_take(v->phone, sizeof v->phone, in->phone, 20, 0) != 0 ||
	         (v->phone[0] && ident_phone_kind(v->phone) == IDENT_PHONE_NONE))
		e = app_fail(f, ERR_INVALID_FIELD, "phone",
		             "Số điện thoại không hợp lệ (ví dụ 0912 345 678); để trống nếu không có.");
	else if (in->people < 1 || in->people > 10000)
		e = app_fail(f, ERR_INVALID_FIELD, "people", "Số người đến là một số từ 1 đến 10.000.");
	else if (!app_rc_kind_label(in->kind))
		e = app_fail(f, ERR_INVALID_FIELD, "kind",
		             "Chọn loại việc: khiếu nại, tố cáo, kiến nghị, phản ánh hoặc khác.");
	else if (app_text_take(v->matter, sizeof v->matter, in->matter, 2000, 1) != 0 || !v->matter[0])
		e = app_fail(f, ERR_INVALID_FIELD, "matter", "Ghi nội dung việc người dân trình bày (tối đa 2.000 ký tự).");
	else if (app_text_take(v->received_by, sizeof v->received_by, in->received_by, 120, 0) != 0 || !v->received_by[0])
		e = app_fail(f, ERR_INVALID_FIELD, "received_by", "Ghi họ tên người tiếp (tối đa 120 ký tự).");
	else if (app_text_take(v->guidance, sizeof v->guidance, in->guidance, 2000, 1) != 0)
		e = app_fail(f, ERR_INVALID_FIELD, "guidance", "Nội dung hướng dẫn, trả lời tối đa 2.000 ký tự.");
	else if (app_text_take(v->petition_code, sizeof v->petition_code, in->petition_code, 40, 0) != 0 ||
	         (!in->petition && v->petition_code[0]))
		e = app_fail(f, ERR_INVALID_FIELD, "petition_code",
		             "Chỉ ghi số, ký hiệu đơn khi có nhận đơn (tối đa 40 ký tự).");
	if (!e) {
		v->at = in->at;
		v->people = in->people;
		snprintf(v->kind, sizeof v->kind, "%s", in->kind);
		v->petition = in->petition != 0;
		snprintf(v->recorded_by, sizeof v->recorded_by, "%s", ac->name);
		v->created_at = now;
		e = store_rc_visit_add(a->st, v, id);
	}
	free(v);
	return e;
}

/* A denouncer who came to the reception is kept secret (Luật Tố cáo 2018,
 * Điều 47–48): in the register, its print and its export, only the official
 * who recorded the visit reads who came; everyone else reads the row
 * without the name, ID number, address and phone.  His written
 * denunciation, when he handed one in, is a case whose handler and
 * deciding leader read him (app/cases.c). */
struct hide {
	const struct actor *ac;
	int (*fn)(const struct store_rc_visit *, void *);
	void *arg;
	struct store_rc_visit *copy;
};

static int
hide_denouncer(const struct store_rc_visit *v, void *arg)
{
	struct hide *h = arg;
	if (strcmp(v->kind, "denunciation") != 0 || !strcmp(v->recorded_by, h->ac->name))
		return h->fn(v, h->arg);
	*h->copy = *v;
	snprintf(h->copy->name, sizeof h->copy->name, "%s", APP_RC_SECRET_NAME);
	h->copy->id_number[0] = h->copy->address[0] = h->copy->phone[0] = '\0';
	return h->fn(h->copy, h->arg);
}

enum err
app_rc_visits(struct app *a, const struct actor *ac, int year, int month,
              int (*fn)(const struct store_rc_visit *, void *), void *arg)
{
	if (!ac || !(ac->role & APP_RC_READ))
		return ERR_FORBIDDEN;
	if (!cal_ymd_valid(year, month, 1))
		return ERR_OUT_OF_RANGE;
	cal_day first = cal_day_from_ymd(year, month, 1);
	cal_day next = month == 12 ? cal_day_from_ymd(year + 1, 1, 1) : cal_day_from_ymd(year, month + 1, 1);
	struct hide h = {ac, fn, arg, NULL};
	if (!(h.copy = malloc(sizeof *h.copy)))
		return ERR_NOMEM;
	enum err e = store_rc_visits(a->st, vn_instant(first, 0), vn_instant(next, 0), hide_denouncer, &h);
	free(h.copy);
	return e;
}

/* ---- dialogue meetings --------------------------------------------------------- */
enum err
app_rc_dialogue_add(struct app *a, const struct actor *ac, const struct store_rc_dialogue *in,
                    int64_t now, struct app_fail *f, int64_t *id)
{
	if (!ac || !(ac->role & APP_RC_WRITE))
		return ERR_FORBIDDEN;
	struct store_rc_dialogue *d = calloc(1, sizeof *d);
	if (!d)
		return ERR_NOMEM;
	enum err e = ERR_OK;
	if (!when_ok(in->at, now))
		e = app_fail(f, ERR_INVALID_FIELD, "at", "Ngày giờ đối thoại không hợp lệ hoặc ở tương lai.");
	else if (app_text_take(d->place, sizeof d->place, in->place, 200, 0) != 0 || !d->place[0])
		e = app_fail(f, ERR_INVALID_FIELD, "place", "Ghi địa điểm đối thoại (tối đa 200 ký tự).");
	else if (app_text_take(d->chair, sizeof d->chair, in->chair, 120, 0) != 0 || !d->chair[0])
		e = app_fail(f, ERR_INVALID_FIELD, "chair", "Ghi họ tên, chức vụ người chủ trì (tối đa 120 ký tự).");
	else if (in->participants < 1 || in->participants > 100000)
		e = app_fail(f, ERR_INVALID_FIELD, "participants", "Số người dự là một số từ 1 đến 100.000.");
	else if (app_text_take(d->attendees, sizeof d->attendees, in->attendees, 1000, 1) != 0)
		e = app_fail(f, ERR_INVALID_FIELD, "attendees", "Thành phần tham dự tối đa 1.000 ký tự.");
	else if (app_text_take(d->topics, sizeof d->topics, in->topics, 2000, 1) != 0 || !d->topics[0])
		e = app_fail(f, ERR_INVALID_FIELD, "topics", "Ghi nội dung đối thoại (tối đa 2.000 ký tự).");
	else if (app_text_take(d->conclusions, sizeof d->conclusions, in->conclusions, 2000, 1) != 0)
		e = app_fail(f, ERR_INVALID_FIELD, "conclusions", "Kết luận tối đa 2.000 ký tự.");
	else if (app_text_take(d->followup, sizeof d->followup, in->followup, 2000, 1) != 0)
		e = app_fail(f, ERR_INVALID_FIELD, "followup", "Việc cần làm tiếp theo tối đa 2.000 ký tự.");
	if (!e) {
		d->at = in->at;
		d->participants = in->participants;
		snprintf(d->recorded_by, sizeof d->recorded_by, "%s", ac->name);
		d->created_at = now;
		e = store_rc_dialogue_add(a->st, d, id);
	}
	free(d);
	return e;
}

enum err
app_rc_dialogue_get(struct app *a, const struct actor *ac, int64_t id, struct store_rc_dialogue *out)
{
	if (!ac || !(ac->role & APP_RC_READ))
		return ERR_FORBIDDEN;
	return store_rc_dialogue_get(a->st, id, out);
}

enum err
app_rc_dialogues(struct app *a, const struct actor *ac,
                 int (*fn)(const struct store_rc_dialogue *, void *), void *arg)
{
	if (!ac || !(ac->role & APP_RC_READ))
		return ERR_FORBIDDEN;
	return store_rc_dialogues(a->st, fn, arg);
}
