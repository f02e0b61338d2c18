/*
 * dossier.c — intake and actions (dossier.h): the applicant and checklist
 * are checked (personal ID per DOMAIN decision 11, phone normalised), the
 * procedure's published version is pinned, the due instant is counted on
 * the legal clock (core/dossier_clock.c), and each change is one store
 * transaction with its audit event.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/calendar.h"
#include "app/dossier.h"
#include "app/notify.h"
#include "core/deadline.h"
#include "core/dossier_clock.h"
#include "core/ident.h"
#include "core/roles.h"
#include "core/text.h"
#include "core/validate.h"

const char *const app_channel_names[] = {"counter", "online", "post", NULL};
const char *const app_sex_names[] = {"male", "female", NULL};
const char *const app_doc_form_names[] = {"original", "copy", "present", "either", NULL};

int
app_submission_key_ok(const char *key)
{
	size_t n = strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
	return key[n] == '\0' && n >= 16 && n <= 100 ? 0 : -1;
}

/* ---- who may touch which dossier ------------------------------------------ */

static int
leader_sees(const struct app *a, const struct actor *ac, const struct store_dossier *d)
{
	return a->leaders_see_all || !ac->unit[0] || d->assignee == ac->user_id ||
	       (d->unit && strcmp(d->unit, ac->unit) == 0);
}

int
app_dossier_may_read(const struct app *a, const struct actor *ac, const struct store_dossier *d)
{
	assert(a != NULL && ac != NULL);
	assert(a && ac && d);
	switch (ac->role) {
	case ROLE_CLERK:
	case ROLE_VIEWER:
	case ROLE_ADMIN:
		return 1;
	case ROLE_OFFICER:
		return d->assignee == ac->user_id ||
		       (ac->unit[0] && d->unit && strcmp(d->unit, ac->unit) == 0);
	case ROLE_LEADER:
		return leader_sees(a, ac, d);
	default:
		return 0;
	}
}

int
app_dossier_may_act(const struct app *a, const struct actor *ac, const struct store_dossier *d)
{
	assert(a != NULL && ac != NULL);
	assert(a && ac && d);
	switch (ac->role) {
	case ROLE_CLERK:
		return 1;
	case ROLE_OFFICER:
		return d->assignee == ac->user_id ||
		       (!d->assignee && ac->unit[0] && d->unit && strcmp(d->unit, ac->unit) == 0);
	case ROLE_LEADER:
		return leader_sees(a, ac, d);
	default:
		return 0;
	}
}

enum err
app_dossier_get(struct app *a, const struct actor *ac, const char *code, struct store_dossier *out)
{
	assert(a != NULL && ac != NULL);
	char canon[IDENT_DOSSIER_CODE_SIZE];
	enum err e = store_dossier_get(a->st, app_dossier_code(a, code, canon, sizeof canon) == 0 ? canon : code, out);
	if (e)
		return e;
	if (!app_dossier_may_read(a, ac, out)) {
		store_dossier_free(out);
		return ERR_FORBIDDEN;
	}
	return ERR_OK;
}

void
app_dossier_exemption(struct app *a, const struct store_dossier *d, char *out, size_t n)
{
	assert(a && d && out && n);
	out[0] = '\0';
	struct store_proc sp;
	if (d->fee != 0 || store_proc_version(a->st, d->procedure_version_id, &sp) != ERR_OK)
		return;
	if (sp.proc.fee.amount == 0 && sp.proc.fee.text && sp.proc.fee.text[0])
		snprintf(out, n, "%s", sp.proc.fee.text);
	store_proc_free(&sp);
}

/* Loads the dossier only to check the actor may read it. */
static enum err
check_read(struct app *a, const struct actor *ac, const char *code)
{
	struct store_dossier d;
	enum err e = app_dossier_get(a, ac, code, &d);
	if (!e)
		store_dossier_free(&d);
	return e;
}

enum err
app_dossier_events(struct app *a, const struct actor *ac, const char *code,
                   int (*fn)(const struct store_dossier_event *, void *), void *arg)
{
	assert(a != NULL && ac != NULL);
	enum err e = check_read(a, ac, code);
	return e ? e : store_dossier_events(a->st, code, fn, arg);
}

int
app_fsm_view(const struct store_dossier *sd, struct dfsm_dossier *out)
{
	memset(out, 0, sizeof *out);
	if (dfsm_state_from_code(sd->status, &out->state) != 0)
		return -1;
	out->stage = DFSM_STAGE_NONE;
	if (sd->stage[0] && dfsm_stage_from_code(sd->stage, &out->stage) != 0)
		return -1;
	if (sd->resume_state[0] && dfsm_state_from_code(sd->resume_state, &out->resume_state) != 0)
		return -1;
	if (sd->resume_stage[0] && dfsm_stage_from_code(sd->resume_stage, &out->resume_stage) != 0)
		return -1;
	out->due = sd->due_at;
	out->appointment = sd->appointment_at;
	return 0;
}

int
app_dossier_actions(struct app *a, const struct actor *ac, const struct store_dossier *d,
                    enum dfsm_action *out, size_t n)
{
	assert(a != NULL && ac != NULL);
	struct dfsm_dossier fd;
	if (!app_dossier_may_act(a, ac, d) || app_fsm_view(d, &fd) != 0)
		return 0;
	int k = dfsm_actions_allowed(&fd, ac->role, (int64_t)time(NULL), out, n);
	return k < 0 ? 0 : k;
}

/* ---- timeliness ------------------------------------------------------------- */

const char *
app_timeliness(const struct store_dossier *d, int64_t now)
{
	enum dfsm_state s;
	if (dfsm_state_from_code(d->status, &s) != 0)
		return NULL;
	const struct dfsm_state_info *si = dfsm_state_info(s);
	if (!si->counts_for_timeliness || !d->due_at)
		return NULL;
	/* DOMAIN decision 6: an apology moves the appointment, never the
	 * legal due instant — a dossier finished after it is late. */
	if (d->finished_at)
		return dl_timeliness_code(dl_timeliness(d->due_at, 1, d->finished_at));
	/* waiting on the applicant: the clock is stopped at paused_at */
	return dl_timeliness_code(dl_timeliness(d->due_at, 0, d->paused_at ? d->paused_at : now));
}

const char *
app_timeliness_label(const char *code)
{
	static const struct {
		const char *code, *label;
	} t[] = {
		{"early", "Trước hạn"}, {"on_time", "Đúng hạn"}, {"late", "Trễ hạn"},
		{"in_time", "Trong hạn"}, {"overdue", "Quá hạn"},
	};
	for (size_t i = 0; code && i < sizeof t / sizeof t[0]; i++)
		if (strcmp(code, t[i].code) == 0)
			return t[i].label;
	return "";
}

/* ---- the legal clock ---------------------------------------------------------- */

static enum err
limit_of(const struct store_proc_terms *t, struct dclock_limit *l)
{
	if (!t->has_limit)
		return ERR_NO_TIME_LIMIT;
	l->days = t->same_day ? 0 : t->days;
	l->same_day = t->same_day;
	l->cutoff = DL_CUTOFF_DEFAULT;
	if (t->cutoff[0] && vn_parse_hhmm(t->cutoff, &l->cutoff) != 0)
		l->cutoff = DL_CUTOFF_DEFAULT;
	return ERR_OK;
}

int
app_due_by_hand_needed(struct app *a, const char *code, const struct store_dossier *d)
{
	struct store_proc_terms t;
	if (store_proc_terms(a->st, d ? NULL : code, d ? d->procedure_version_id : 0, &t) != ERR_OK)
		return 0;
	return !t.has_limit;
}

/* The calendar for due instants counted around instant t (cal_release it). */
static enum err
cal_around(struct app *a, int64_t t, struct calsnap **cs)
{
	int y, m, d;
	cal_ymd(vn_day(t), &y, &m, &d);
	return cal_for(a, y, CAL_DUE_SPAN, cs);
}

/* An appointment set by hand (field names the input) against the legal
 * calendar and office hours (dl_hand_due_check); the reason in Vietnamese
 * words when it is refused. */
static enum err
check_hand_due(struct app *a, int64_t now, int64_t due, const char *field, struct app_fail *f)
{
	if (!due)
		return app_fail(f, ERR_NO_TIME_LIMIT, field,
		                "Thủ tục này chưa có thời hạn giải quyết được xác minh: cán bộ tiếp nhận ghi "
		                "ngày và giờ hẹn trả kết quả (trong giờ làm việc của một ngày làm việc).");
	struct calsnap *cs;
	enum err e = cal_around(a, now, &cs);
	if (e)
		return e;
	const struct cal_hours h = cs->hours;
	enum dl_hand r = dl_hand_due_check(&cs->cal, &cs->hours, now, due);
	cal_release(a, cs);
	char msg[300], day[16];
	switch (r) {
	case DL_HAND_OK:
		return ERR_OK;
	case DL_HAND_PAST:
		return app_fail(f, ERR_BAD_TIME, field, "Ngày giờ hẹn trả phải sau thời điểm tiếp nhận.");
	case DL_HAND_TOO_FAR:
		snprintf(msg, sizeof msg, "Ngày hẹn trả không được quá %d ngày kể từ khi tiếp nhận.", DL_HAND_MAX_DAYS);
		return app_fail(f, ERR_BAD_TIME, field, msg);
	case DL_HAND_DAY_OFF:
		vn_fmt_date(due, day, sizeof day);
		snprintf(msg, sizeof msg, "Ngày %s không phải ngày làm việc (thứ Bảy, Chủ nhật hoặc ngày nghỉ "
		         "lễ, Tết): chọn một ngày làm việc.", day);
		return app_fail(f, ERR_BAD_TIME, field, msg);
	case DL_HAND_HOURS:
		snprintf(msg, sizeof msg, "Giờ hẹn trả phải trong giờ làm việc (%02d:%02d–%02d:%02d, "
		         "%02d:%02d–%02d:%02d).", h.am_open / 60, h.am_open % 60, h.am_close / 60,
		         h.am_close % 60, h.pm_open / 60, h.pm_open % 60, h.pm_close / 60, h.pm_close % 60);
		return app_fail(f, ERR_BAD_TIME, field, msg);
	case DL_HAND_RANGE:
		break;
	}
	return ERR_OUT_OF_RANGE;
}

/* Applies a clock effect with the calendar around `around`; a hand-over's
 * budget in *step when step != NULL. */
static enum err
run_clock(struct app *a, struct dclock *c, enum dfsm_clock op, int64_t now, int64_t around,
          const struct dclock_limit *limit, int step_days, int64_t *step)
{
	struct calsnap *cs;
	enum err e = cal_around(a, around, &cs);
	if (e)
		return e;
	int rc = dclock_apply(&cs->cal, &cs->hours, c, op, now, limit);
	if (rc == DL_OK && step)
		rc = dclock_step_due(&cs->cal, &cs->hours, now, step_days, c->due, step);
	cal_release(a, cs);
	return rc == DL_OK ? ERR_OK : rc == DL_ERANGE ? ERR_OUT_OF_RANGE : ERR_INTERNAL;
}

/* ---- intake ------------------------------------------------------------------------ */

/* A name of only spaces is no name. */
static int
blank(const char *s)
{
	size_t n;
	return !s || (text_trim(s, strlen(s), &n), n == 0);
}

/* The applicant and representative: IDs, phones, e-mail; ph and rph get
 * the normalised phones. */
static enum err
check_people(const struct app_intake *in, char *ph, char *rph, struct app_fail *f)
{
	const struct app_person *p = &in->applicant;
	char why[200], msg[300];
	if (blank(p->name))
		return app_fail(f, ERR_MISSING_FIELD, "applicant.name", "ghi họ và tên người nộp hồ sơ");
	int birth_year = 0;
	if (p->date_of_birth) {
		cal_day day;
		int y, m, d;
		if (cal_parse_ymd(p->date_of_birth, &day) != 0)
			return app_fail(f, ERR_BAD_DATE, "applicant.date_of_birth", "ngày dạng YYYY-MM-DD (ví dụ 1990-05-17)");
		cal_ymd(day, &y, &m, &d);
		birth_year = y;
	}
	if (p->id_number && ident_pid_check(p->id_number, birth_year, p->sex < 0 ? 0 : p->sex + 1, why,
	                                    sizeof why) != IDENT_OK) {
		snprintf(msg, sizeof msg, "%s", why);
		return app_fail(f, ERR_BAD_ID_NUMBER, "applicant.id_number", msg);
	}
	if (in->rep.name && blank(in->rep.name))
		return app_fail(f, ERR_MISSING_FIELD, "representative.name", "ghi họ và tên người được ủy quyền");
	if (in->rep.id_number && ident_pid_check(in->rep.id_number, 0, 0, why, sizeof why) != IDENT_OK) {
		snprintf(msg, sizeof msg, "%s", why);
		return app_fail(f, ERR_BAD_ID_NUMBER, "representative.id_number", msg);
	}
	if (in->rep.phone && ident_phone_normalize(in->rep.phone, rph, IDENT_PHONE_SIZE) != IDENT_OK)
		return app_fail(f, ERR_BAD_PHONE, "representative.phone", "số di động 10 chữ số hoặc số cố định");
	if (p->phone && ident_phone_normalize(p->phone, ph, IDENT_PHONE_SIZE) != IDENT_OK)
		return app_fail(f, ERR_BAD_PHONE, "applicant.phone",
		                "số di động 10 chữ số (0912345678, +84 912 345 678) hoặc số cố định");
	if (p->email && !validate_email(p->email))
		return app_fail(f, ERR_INVALID_FIELD, "applicant.email", "địa chỉ thư điện tử không hợp lệ");
	/* the applicant finds the dossier at /tra-cuu by a phone or the full ID */
	if (!ph[0] && !(p->id_number && strlen(p->id_number) == 12))
		return app_fail(f, ERR_INVALID_FIELD, "applicant.phone",
		                "cần số điện thoại hoặc số định danh để người nộp tra cứu hồ sơ");
	return ERR_OK;
}

static enum err
check_docs(const struct app_intake *in, struct store_doc *out, struct app_fail *f)
{
	for (size_t i = 0; i < in->ndocs; i++) {
		const struct app_doc *d = &in->docs[i];
		char field[48];
		snprintf(field, sizeof field, "documents[%zu]", i);
		if (blank(d->name))
			return app_fail(f, ERR_MISSING_FIELD, field, "ghi tên giấy tờ");
		if (d->form < 0 || d->form > 3 || d->count < 0 || d->count > 100)
			return app_fail(f, ERR_INVALID_FIELD, field, "hình thức hoặc số bản không hợp lệ (0–100 bản)");
		out[i] = (struct store_doc){d->name, d->received != 0, app_doc_form_names[d->form], d->count};
	}
	return ERR_OK;
}

static void
brief_of(const struct store_dossier *d, struct app_dossier_brief *b)
{
	memset(b, 0, sizeof *b);
	enum dfsm_state s;
	snprintf(b->code, sizeof b->code, "%s", d->code);
	snprintf(b->status, sizeof b->status, "%s", d->status);
	snprintf(b->stage, sizeof b->stage, "%s", d->stage);
	snprintf(b->procedure_code, sizeof b->procedure_code, "%s", d->procedure_code);
	b->national_status = dfsm_state_from_code(d->status, &s) == 0 ? dfsm_national_code(s) : 0;
	b->received_at = d->received_at;
	b->due_at = d->due_at;
	b->appointment_at = d->appointment_at;
	b->due_by_hand = d->due_by_hand;
	b->fee = d->fee;
	b->version = d->version;
}

/* The reply to a repeated send: the dossier the first send created. */
static enum err
replay(struct app *a, const char *code, struct app_dossier_brief *out)
{
	struct store_dossier sd;
	enum err e = store_dossier_get(a->st, code, &sd);
	if (e)
		return e;
	brief_of(&sd, out);
	out->replayed = 1;
	store_dossier_free(&sd);
	return ERR_OK;
}

/* Writes the checked intake (people, checklist, terms) as one dossier. */
static enum err
store_intake(struct app *a, const struct actor *ac, const struct app_intake *in,
             const struct store_proc_terms *t, int64_t now, int64_t due, int by_hand,
             const char *ph, const char *rph, const struct store_doc *docs,
             const struct app_fee_settled *fs, struct app_dossier_brief *out)
{
	const struct app_person *p = &in->applicant;
	size_t nl;
	const char *name = text_trim(p->name, strlen(p->name), &nl);
	char nm[256];
	snprintf(nm, sizeof nm, "%.*s", (int)(nl < 255 ? nl : 255), name);
	struct store_person person = {nm, p->id_number, p->date_of_birth,
	                              p->sex >= 0 ? app_sex_names[p->sex] : NULL, ph, p->email,
	                              p->address ? p->address : "", NULL};
	struct store_person rep = {in->rep.name, in->rep.id_number, NULL, NULL, rph, NULL, NULL,
	                           in->rep.relation ? in->rep.relation : ""};
	char *key = text_fold(nm);
	int y, m, d;
	cal_ymd(vn_day(now), &y, &m, &d);
	const char *status = dfsm_state_info(in->hold ? DFSM_S_NEW : DFSM_S_RECEIVED)->code;
	struct store_dossier_in sin = {
		.agency = a->agency.code, .yy = y % 100, .mm = m, .dd = d,
		.procedure_version_id = t->version_id, .procedure_code = t->code, .procedure_name = t->name,
		.channel = app_channel_names[in->channel], .fee = fs->fee, .fee_status = fs->status,
		.pay_channel = fs->channel, .receipt_no = fs->receipt_no, .paid_at = fs->paid_at,
		.unit = "", .applicant_name = nm, .applicant_key = key ? key : "", .id_number = p->id_number,
		.phone = ph, .note = in->note ? in->note : "", .status = status, .stage = "",
		.received_at = now, .due_at = in->hold ? 0 : due, .due_by_hand = by_hand, .person = &person,
		.rep = in->rep.name ? &rep : NULL, .docs = docs, .ndocs = in->ndocs,
		.citizen_id = in->citizen_id, .files = in->files, .nfiles = in->nfiles,
	};
	/* the applicant is told of the receipt in the same transaction */
	struct app_notify_batch nb;
	if (!in->hold) {
		struct app_notify_facts nf = {.phone = ph, .email = p->email, .name = nm,
		                              .procedure = t->name, .appointment = sin.due_at};
		app_notify_batch(a, &nb, "received", &nf);
		sin.outbox = nb.msgs;
		sin.noutbox = nb.n;
	}
	int replayed = 0;
	enum err e = key ? store_dossier_create_once(a->st, ac->name, in->key, &sin, out->code,
	                                             sizeof out->code, &replayed)
	                 : ERR_NOMEM;
	free(key);
	if (e)
		return e;
	if (replayed)
		return replay(a, out->code, out);
	if (sin.noutbox)   /* nothing queued, nothing to wake the worker for */
		app_notify_wake(a);
	snprintf(out->status, sizeof out->status, "%s", status);
	snprintf(out->procedure_code, sizeof out->procedure_code, "%s", t->code);
	out->national_status = dfsm_national_code(in->hold ? DFSM_S_NEW : DFSM_S_RECEIVED);
	out->received_at = now;
	out->due_at = sin.due_at;
	out->due_by_hand = by_hand;
	out->procedure_version = t->version;
	out->fee = sin.fee;
	out->version = 1;
	return ERR_OK;
}

enum err
app_dossier_receive(struct app *a, const struct actor *ac, const struct app_intake *in,
                    struct app_dossier_brief *out, struct app_fail *f)
{
	assert(a != NULL && ac != NULL);
	assert(a && ac && in && out);
	memset(out, 0, sizeof *out);
	/* a citizen only submits his own dossier online, held for the desk */
	int citizen = ac->role == ROLE_CITIZEN && ac->user_id > 0 && in->citizen_id == ac->user_id &&
	              in->hold && in->channel == 1;
	if (ac->role != ROLE_CLERK && !citizen)
		return app_fail(f, ERR_FORBIDDEN, "", "chỉ cán bộ Bộ phận Một cửa tiếp nhận hồ sơ");
	if (!citizen && (in->citizen_id || in->nfiles))
		return app_fail(f, ERR_INVALID_FIELD, "files", "tệp nộp trực tuyến chỉ do công dân gửi");
	if (!in->procedure_code || !*in->procedure_code)
		return app_fail(f, ERR_MISSING_FIELD, "procedure_code", "chọn thủ tục hành chính");
	if (in->channel < 0 || in->channel > 2 || in->ndocs > 100)
		return app_fail(f, ERR_INVALID_FIELD, in->ndocs > 100 ? "documents" : "channel",
		                in->ndocs > 100 ? "tối đa 100 giấy tờ" : "kênh nộp không hợp lệ");
	if (in->key && *in->key && app_submission_key_ok(in->key) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "submission", "mã lần gửi không hợp lệ; hãy tải lại trang tiếp nhận");
	char ph[IDENT_PHONE_SIZE] = "", rph[IDENT_PHONE_SIZE] = "";
	enum err e = check_people(in, ph, rph, f);
	if (e)
		return e;
	struct store_doc docs[100];
	if ((e = check_docs(in, docs, f)) != ERR_OK)
		return e;
	struct store_proc_terms t;
	e = store_proc_terms(a->st, in->procedure_code, 0, &t);
	if (e == ERR_NOT_FOUND)
		return app_fail(f, ERR_PROCEDURE_UNKNOWN, "procedure_code", in->procedure_code);
	if (e)
		return e;
	int64_t now = (int64_t)time(NULL);
	struct app_fee_in pay = in->pay;
	pay.amount = in->fee >= 0 ? in->fee : -1;   /* exempt: the procedure's fee is not owed */
	struct app_fee_settled fs;
	if ((e = app_fee_settle(&pay, t.fee > 0 ? t.fee : 0, now, &fs, f)) != ERR_OK)
		return e;
	struct dclock c = {0};
	if (t.has_limit) {
		if (in->due_by_hand)
			return app_fail(f, ERR_INVALID_FIELD, "due_at", "Thủ tục đã có thời hạn giải quyết: ngày hẹn "
			                "trả được tính theo thời hạn đó, cán bộ không ghi tay.");
		struct dclock_limit limit;
		if ((e = limit_of(&t, &limit)) != ERR_OK ||
		    (e = run_clock(a, &c, DFSM_CLOCK_START, now, now, &limit, 0, NULL)) != ERR_OK)
			return e;
		return store_intake(a, ac, in, &t, now, c.due, 0, ph, rph, docs, &fs, out);
	}
	/* no verified time limit (DOMAIN decision 14): the clerk sets the
	 * appointment when the dossier is received, and it is recorded so */
	if (in->hold)
		return in->due_by_hand ? app_fail(f, ERR_INVALID_FIELD, "due_at", "Hồ sơ lưu chưa tiếp nhận "
		                                  "chưa có ngày hẹn trả: ghi ngày hẹn khi tiếp nhận.")
		                       : store_intake(a, ac, in, &t, now, 0, 0, ph, rph, docs, &fs, out);
	if ((e = check_hand_due(a, now, in->due_by_hand, "due_at", f)) != ERR_OK)
		return e;
	return store_intake(a, ac, in, &t, now, in->due_by_hand, 1, ph, rph, docs, &fs, out);
}

/* ---- actions ------------------------------------------------------------------ */

static enum err
fsm_fail(int rc, enum dfsm_action act, struct app_fail *f)
{
	switch (rc) {
	case DFSM_E_STATE:
		return ERR_DOSSIER_STATE;
	case DFSM_E_ROLE:
		return ERR_FORBIDDEN;
	case DFSM_E_LATE:
		return ERR_DOSSIER_LATE;
	case DFSM_E_REASON:
		return app_fail(f, ERR_DOSSIER_REASON, "note", "ghi rõ lý do");
	case DFSM_E_ARGS:
		break;
	default:
		return ERR_INVALID_FIELD;
	}
	switch (act) {
	case DFSM_A_ASSIGN:
	case DFSM_A_FORWARD:
		return app_fail(f, ERR_INVALID_FIELD, "assignee", "chọn cán bộ hoặc đơn vị nhận hồ sơ");
	case DFSM_A_APOLOGIZE:
		return app_fail(f, ERR_INVALID_FIELD, "new_date", "ngày hẹn mới phải sau ngày hẹn hiện tại và sau hôm nay");
	case DFSM_A_RETURN:
		return app_fail(f, ERR_INVALID_FIELD, "recipient", "ghi họ tên và số giấy tờ của người nhận kết quả");
	default:
		return app_fail(f, ERR_INVALID_FIELD, "", "thiếu thông tin cho thao tác này");
	}
}

/* The assignee's name and unit; ERR_INVALID_FIELD when not a working desk account. */
static enum err
assignee_of(struct app *a, int64_t id, char *name, size_t nn, char *unit, size_t un, struct app_fail *f)
{
	struct store_user u;
	if (store_user_by_id(a->st, id, &u) != ERR_OK || !u.active ||
	    !(role_from_name(u.role) & (ROLE_OFFICER | ROLE_LEADER | ROLE_CLERK)))
		return app_fail(f, ERR_INVALID_FIELD, "assignee", "không có cán bộ đang làm việc với mã này");
	snprintf(name, nn, "%s", u.full_name[0] ? u.full_name : u.username);
	snprintf(unit, un, "%s", u.unit);
	return ERR_OK;
}

/* An apology's new date: a date alone means the end of that day's office hours. */
static enum err
parse_new_date(const char *s, int64_t *out, struct app_fail *f)
{
	cal_day day;
	if (strlen(s) == 10 && cal_parse_ymd(s, &day) == 0)
		*out = vn_instant(day, 17 * 60);
	else if (vn_parse_rfc3339(s, out) != 0)
		return app_fail(f, ERR_BAD_TIME, "new_date", "ngày YYYY-MM-DD hoặc thời điểm RFC 3339");
	return ERR_OK;
}

static int
is_handover(enum dfsm_action act)
{
	return act == DFSM_A_ASSIGN || act == DFSM_A_FORWARD || act == DFSM_A_SUBMIT_FOR_APPROVAL ||
	       act == DFSM_A_SEND_BACK;
}

struct act_ctx {
	enum dfsm_action act;
	struct dfsm_result r;
	int64_t now, nd;
	char who[256], unit[256];
	char miss[STORE_MISSING_MAX][1024];   /* the missing papers, trimmed */
	const char *missing[STORE_MISSING_MAX];
	size_t nmissing;
};

/* The clock after the action: START counts the limit of the version the
 * dossier was submitted under (decision 4), or takes the appointment set
 * by hand (x->nd) when that version has no verified limit. */
static enum err
clock_after(struct app *a, const struct store_dossier *sd, const struct act_ctx *x, int step_days, struct dclock *c, int64_t *step, int *by_hand,
            struct app_fail *f)
{
	const struct dfsm_result *r = &x->r;
	enum dfsm_action act = x->act;
	int64_t now = x->now;
	*c = (struct dclock){sd->due_at, sd->paused_at, sd->finished_at};
	*step = 0;
	*by_hand = 0;
	struct dclock_limit limit = {0};
	if (r->clock == DFSM_CLOCK_START) {
		struct store_proc_terms t;
		enum err e = store_proc_terms(a->st, NULL, sd->procedure_version_id, &t);
		if (!e && !t.has_limit) {
			/* a held dossier of a procedure without a verified time
			 * limit: received with the appointment the clerk sets */
			if ((e = check_hand_due(a, now, x->nd, "new_date", f)) != ERR_OK)
				return e;
			*c = (struct dclock){x->nd, 0, 0};
			*by_hand = 1;
			return ERR_OK;
		}
		if (!e)
			e = limit_of(&t, &limit);
		if (e)
			return e;
	}
	return run_clock(a, c, r->clock, now, sd->paused_at ? sd->paused_at : now, &limit, step_days,
	                 is_handover(act) ? step : NULL);
}

/* A supplement request's list of missing papers, trimmed: only on that
 * action, at most STORE_MISSING_MAX, each 1–300 characters. */
static enum err
missing_of(const struct app_action *in, struct act_ctx *x, struct app_fail *f)
{
	if (!in->nmissing)
		return ERR_OK;
	if (x->act != DFSM_A_REQUEST_SUPPLEMENT)
		return app_fail(f, ERR_INVALID_FIELD, "missing", "chỉ ghi danh sách giấy tờ còn thiếu khi yêu cầu bổ sung");
	if (in->nmissing > STORE_MISSING_MAX)
		return app_fail(f, ERR_INVALID_FIELD, "missing", "tối đa 30 giấy tờ còn thiếu");
	for (size_t i = 0; i < in->nmissing; i++) {
		size_t n;
		const char *t = in->missing[i] ? text_trim(in->missing[i], strlen(in->missing[i]), &n) : "";
		if (!in->missing[i] || n == 0 || n >= sizeof x->miss[0] || text_length(t, n) > 300)
			return app_fail(f, ERR_INVALID_FIELD, "missing",
			                "mỗi giấy tờ còn thiếu ghi từ 1 đến 300 ký tự");
		memcpy(x->miss[i], t, n);
		x->miss[i][n] = '\0';
		x->missing[i] = x->miss[i];
	}
	x->nmissing = in->nmissing;
	return ERR_OK;
}

/* Checks the action against the state machine and the actor. */
static enum err
decide(struct app *a, const struct actor *ac, const struct store_dossier *sd,
       const struct app_action *in, struct act_ctx *x, struct app_fail *f)
{
	if (!app_dossier_may_act(a, ac, sd))
		return app_dossier_may_read(a, ac, sd)
		           ? app_fail(f, ERR_FORBIDDEN, "", "hồ sơ không được giao cho ông/bà xử lý")
		           : ERR_FORBIDDEN;
	if (in->expected_version && in->expected_version != sd->version)
		return ERR_CONFLICT;
	enum err e;
	if (in->new_date && (e = parse_new_date(in->new_date, &x->nd, f)) != ERR_OK)
		return e;
	if ((e = missing_of(in, x, f)) != ERR_OK)
		return e;
	if (in->unit)
		snprintf(x->unit, sizeof x->unit, "%s", in->unit);
	if (in->assignee) {
		char u[256];
		if ((e = assignee_of(a, in->assignee, x->who, sizeof x->who, u, sizeof u, f)) != ERR_OK)
			return e;
		if (!in->unit && u[0])   /* the dossier moves to the person's unit (its queue) */
			snprintf(x->unit, sizeof x->unit, "%s", u);
	}
	struct dfsm_dossier fd;
	if (app_fsm_view(sd, &fd) != 0)
		return ERR_INTERNAL;
	struct dfsm_args args = {.reason = in->note, .assignee = in->assignee, .unit = x->unit[0] ? 1 : 0,
	                         .new_date = x->nd, .recipient = in->recipient,
	                         .recipient_id = in->recipient_id};
	int rc = dfsm_apply(&fd, x->act, ac->role, x->now, &args, &x->r);
	return rc == DFSM_OK ? ERR_OK : fsm_fail(rc, x->act, f);
}

static enum err
act_on(struct app *a, const struct actor *ac, struct store_dossier *sd, const struct app_action *in,
       struct app_dossier_brief *out, struct app_fail *f)
{
	struct act_ctx x = {.now = (int64_t)time(NULL)};
	if (!in->action || dfsm_action_from_name(in->action, &x.act) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "action", "thao tác không tồn tại");
	enum err e = decide(a, ac, sd, in, &x, f);
	if (e)
		return e;
	struct dclock c;
	int64_t step;
	int by_hand;
	if ((e = clock_after(a, sd, &x, in->step_days, &c, &step, &by_hand, f)) != ERR_OK)
		return e;
	/* assigning and forwarding change who handles the dossier; a leader
	 * named for his signature (submit_for_approval) is recorded on the
	 * timeline, while the officer keeps the dossier */
	int moves = (x.act == DFSM_A_ASSIGN || x.act == DFSM_A_FORWARD) && (in->assignee || x.unit[0]);
	const struct dfsm_state_info *si = dfsm_state_info(x.r.state);
	int waiting = x.r.state == DFSM_S_WAITING_SUPPLEMENT || x.r.state == DFSM_S_WAITING_PAYMENT;
	struct store_change_facts facts = {
		.assignee = in->assignee, .assignee_name = x.who, .unit = x.unit[0] ? x.unit : NULL,
		.new_date = x.nd, .recipient = in->recipient, .recipient_id = in->recipient_id,
		.due_before = sd->due_at, .due_after = c.due,
		.missing = x.missing, .nmissing = x.nmissing, .late = x.r.late,
	};
	struct store_dossier_change ch = {
		.expected_version = sd->version, .action = in->action, .from_status = sd->status,
		.status = si->code, .stage = dfsm_stage_info(x.r.stage)->code,
		.resume_state = waiting ? dfsm_state_info(x.r.resume_state)->code : "",
		.resume_stage = waiting ? dfsm_stage_info(x.r.resume_stage)->code : "",
		.note = in->note, .facts = &facts, .event = x.r.event, .due_at = c.due,
		.paused_at = c.paused, .appointment_at = x.act == DFSM_A_APOLOGIZE ? x.nd : sd->appointment_at,
		.finished_at = c.finished, .assignee = moves ? in->assignee : sd->assignee,
		.unit = moves && x.unit[0] ? x.unit : NULL, .step_due = step, .due_by_hand = by_hand,
		.at = x.now,
	};
	/* what the applicant is told, in the change's transaction */
	const char *tmpl = app_notify_template_of(x.act);
	struct app_notify_batch nb;
	if (tmpl) {
		struct app_notify_facts nf = {
			.phone = sd->phone, .email = sd->email, .name = sd->applicant_name,
			.procedure = sd->procedure_name, .reason = in->note, .missing = x.missing,
			.nmissing = x.nmissing, .appointment = c.due, .new_date = x.nd,
		};
		app_notify_batch(a, &nb, tmpl, &nf);
		ch.outbox = nb.msgs;
		ch.noutbox = nb.n;
	}
	if ((e = store_dossier_apply(a->st, ac->name, sd->code, &ch)) != ERR_OK)
		return e;
	if (tmpl)
		app_notify_wake(a);
	brief_of(sd, out);
	snprintf(out->status, sizeof out->status, "%s", si->code);
	snprintf(out->stage, sizeof out->stage, "%s", ch.stage);
	out->national_status = si->national;
	out->due_at = c.due;
	out->appointment_at = ch.appointment_at;
	out->due_by_hand = sd->due_by_hand || by_hand;
	out->version = sd->version + 1;
	return ERR_OK;
}

enum err
app_dossier_act(struct app *a, const struct actor *ac, const char *code, const struct app_action *in,
                struct app_dossier_brief *out, struct app_fail *f)
{
	assert(a != NULL && ac != NULL);
	assert(a && ac && code && in && out);
	memset(out, 0, sizeof *out);
	struct store_dossier sd;
	enum err e = store_dossier_get(a->st, code, &sd);
	if (e)
		return e;
	e = act_on(a, ac, &sd, in, out, f);
	store_dossier_free(&sd);
	return e;
}
