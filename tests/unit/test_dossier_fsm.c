/*
 * test_dossier_fsm.c — the dossier state machine (issue #5 item 2).
 *
 * The expectations here are written independently of the tables in
 * dossier_fsm.c: a matrix of every allowed (place, action) with its roles,
 * target and clock effect, checked against dfsm_apply for every place ×
 * action × role; the national code list typed out again; and the paths
 * the issue lists walked end to end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/dossier_fsm.h"
#include "core/roles.h"

#define HOUR 3600
#define DAY 86400
#define DUE ((int64_t)1800000000) /* a due instant; "now" is set around it */

/* ---- sample dossiers: one per place the rules tell apart ------------------- */

static const struct sample {
	const char *name;
	struct dfsm_dossier d;
} samples[] = {
	{"new",               {DFSM_S_NEW, DFSM_STAGE_NONE, DFSM_S_NEW, DFSM_STAGE_NONE, 0, 0}},
	{"received",          {DFSM_S_RECEIVED, DFSM_STAGE_NONE, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0}},
	{"refused_at_intake", {DFSM_S_REFUSED_AT_INTAKE, DFSM_STAGE_NONE, DFSM_S_NEW, DFSM_STAGE_NONE, 0, 0}},
	{"officer",           {DFSM_S_PROCESSING, DFSM_STAGE_WITH_OFFICER, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0}},
	{"leader",            {DFSM_S_PROCESSING, DFSM_STAGE_WITH_LEADER, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0}},
	{"approved",          {DFSM_S_PROCESSING, DFSM_STAGE_APPROVED, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0}},
	{"wsup_intake",       {DFSM_S_WAITING_SUPPLEMENT, DFSM_STAGE_NONE, DFSM_S_NEW, DFSM_STAGE_NONE, 0, 0}},
	{"wsup",              {DFSM_S_WAITING_SUPPLEMENT, DFSM_STAGE_NONE, DFSM_S_PROCESSING, DFSM_STAGE_WITH_OFFICER, DUE, 0}},
	{"wpay_officer",      {DFSM_S_WAITING_PAYMENT, DFSM_STAGE_NONE, DFSM_S_PROCESSING, DFSM_STAGE_WITH_OFFICER, DUE, 0}},
	{"wpay_approved",     {DFSM_S_WAITING_PAYMENT, DFSM_STAGE_NONE, DFSM_S_PROCESSING, DFSM_STAGE_APPROVED, DUE, 0}},
	{"withdrawn",         {DFSM_S_WITHDRAWN, DFSM_STAGE_NONE, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0}},
	{"stopped",           {DFSM_S_STOPPED, DFSM_STAGE_NONE, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0}},
	{"result_ready",      {DFSM_S_RESULT_READY, DFSM_STAGE_NONE, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0}},
	{"returned",          {DFSM_S_RETURNED, DFSM_STAGE_NONE, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0}},
};
#define NSAMPLES (sizeof samples / sizeof samples[0])

static const struct sample *
sample(const char *name)
{
	for (size_t i = 0; i < NSAMPLES; i++)
		if (strcmp(samples[i].name, name) == 0)
			return &samples[i];
	fail_msg("no sample %s", name);
	return NULL;
}

/*
 * Every allowed (place, action).  Roles: c clerk, o officer, l leader
 * (admin, viewer and the public may do nothing).  Clock: S start, P
 * pause, R resume, X stop, - none.  Anything not listed is a wrong state.
 */
static const struct allowed {
	const char *from, *action, *roles, *to;
	char clock;
} matrix[] = {
	{"new",           "receive",             "c",  "received",          'S'},
	{"new",           "refuse_intake",       "c",  "refused_at_intake", '-'},
	{"new",           "request_supplement",  "c",  "wsup_intake",       '-'},
	{"new",           "withdraw",            "c",  "withdrawn",         '-'},

	{"received",      "assign",              "cl", "officer",           '-'},
	{"received",      "withdraw",            "c",  "withdrawn",         'X'},
	{"received",      "stop",                "l",  "stopped",           'X'},
	{"received",      "apologize",           "ol", "received",          '-'},

	{"officer",       "forward",             "ol", "officer",           '-'},
	{"officer",       "submit_for_approval", "o",  "leader",            '-'},
	{"officer",       "request_supplement",  "o",  "wsup",              'P'},
	{"officer",       "request_payment",     "o",  "wpay_officer",      'P'},
	{"officer",       "withdraw",            "c",  "withdrawn",         'X'},
	{"officer",       "stop",                "l",  "stopped",           'X'},
	{"officer",       "apologize",           "ol", "officer",           '-'},

	{"leader",        "send_back",           "l",  "officer",           '-'},
	{"leader",        "approve",             "l",  "approved",          '-'},
	{"leader",        "refuse",              "l",  "stopped",           'X'},
	{"leader",        "withdraw",            "c",  "withdrawn",         'X'},
	{"leader",        "stop",                "l",  "stopped",           'X'},
	{"leader",        "apologize",           "ol", "leader",            '-'},

	{"approved",      "request_payment",     "o",  "wpay_approved",     'P'},
	{"approved",      "result_ready",        "oc", "result_ready",      'X'},
	{"approved",      "withdraw",            "c",  "withdrawn",         'X'},
	{"approved",      "stop",                "l",  "stopped",           'X'},
	{"approved",      "apologize",           "ol", "approved",          '-'},

	{"wsup_intake",   "supplement_received", "co", "new",               '-'},
	{"wsup_intake",   "refuse_intake",       "c",  "refused_at_intake", '-'},
	{"wsup_intake",   "withdraw",            "c",  "withdrawn",         '-'},

	{"wsup",          "supplement_received", "co", "officer",           'R'},
	{"wsup",          "withdraw",            "c",  "withdrawn",         'X'},
	{"wsup",          "stop",                "l",  "stopped",           'X'},
	{"wsup",          "apologize",           "ol", "wsup",              '-'},

	{"wpay_officer",  "payment_received",    "co", "officer",           'R'},
	{"wpay_officer",  "withdraw",            "c",  "withdrawn",         'X'},
	{"wpay_officer",  "stop",                "l",  "stopped",           'X'},
	{"wpay_officer",  "apologize",           "ol", "wpay_officer",      '-'},

	{"wpay_approved", "payment_received",    "co", "approved",          'R'},
	{"wpay_approved", "withdraw",            "c",  "withdrawn",         'X'},
	{"wpay_approved", "stop",                "l",  "stopped",           'X'},
	{"wpay_approved", "apologize",           "ol", "wpay_approved",     '-'},

	{"result_ready",  "return",              "c",  "returned",          '-'},
};
#define NMATRIX (sizeof matrix / sizeof matrix[0])

static const struct {
	unsigned role;
	char letter;
} roles[] = {
	{ROLE_ADMIN, 'a'}, {ROLE_LEADER, 'l'}, {ROLE_CLERK, 'c'},
	{ROLE_OFFICER, 'o'}, {ROLE_VIEWER, 'v'}, {ROLE_PUBLIC, 'p'}, {0, '0'},
};
#define NROLES (sizeof roles / sizeof roles[0])

static enum dfsm_clock
clock_of(char c)
{
	switch (c) {
	case 'S': return DFSM_CLOCK_START;
	case 'P': return DFSM_CLOCK_PAUSE;
	case 'R': return DFSM_CLOCK_RESUME;
	case 'X': return DFSM_CLOCK_STOP;
	default:  return DFSM_CLOCK_NONE;
	}
}

/* Everything any action may need, valid for every sample at now = DUE - 1h. */
static const struct dfsm_args full = {
	.reason = "Lý do ghi rõ",
	.assignee = 7,
	.unit = 0,
	.new_date = DUE + 3 * DAY,
	.recipient = "Nguyễn Văn A",
	.recipient_id = "001090001234",
};

static const struct allowed *
expectation(const char *from, const char *action)
{
	for (size_t i = 0; i < NMATRIX; i++)
		if (strcmp(matrix[i].from, from) == 0 &&
		    strcmp(matrix[i].action, action) == 0)
			return &matrix[i];
	return NULL;
}

/* A result equals a sample: state and stage, and where a wait resumes. */
static void
assert_lands(const struct dfsm_result *r, const char *to, const char *ctx)
{
	const struct dfsm_dossier *w = &sample(to)->d;

	if (r->state != w->state || r->stage != w->stage)
		fail_msg("%s: lands in %d/%d, want %s", ctx, r->state, r->stage, to);
	if (dfsm_state_info(w->state)->clock_paused &&
	    (r->resume_state != w->resume_state || r->resume_stage != w->resume_stage))
		fail_msg("%s: resumes to %d/%d, want %s's", ctx, r->resume_state,
		    r->resume_stage, to);
}

/* ---- the matrix: every place × action × role ------------------------------- */

static void
test_matrix(void **state)
{
	(void)state;
	/* The matrix itself names real places and actions. */
	for (size_t i = 0; i < NMATRIX; i++) {
		enum dfsm_action a;

		assert_int_equal(dfsm_action_from_name(matrix[i].action, &a), 0);
		(void)sample(matrix[i].from);
		(void)sample(matrix[i].to);
	}
	for (size_t s = 0; s < NSAMPLES; s++)
		for (int a = 0; a < DFSM_NACTIONS; a++)
			for (size_t r = 0; r < NROLES; r++) {
				const char *an = dfsm_action_info((enum dfsm_action)a)->name;
				const struct allowed *e = expectation(samples[s].name, an);
				struct dfsm_result out;
				char ctx[128];
				int want, rc;

				snprintf(ctx, sizeof ctx, "%s %s by %c", samples[s].name,
				    an, roles[r].letter);
				want = e == NULL ? DFSM_E_STATE :
				    strchr(e->roles, roles[r].letter) ? DFSM_OK : DFSM_E_ROLE;
				rc = dfsm_apply(&samples[s].d, (enum dfsm_action)a,
				    roles[r].role, DUE - HOUR, &full, &out);
				if (rc != want)
					fail_msg("%s: rc %d, want %d", ctx, rc, want);
				if (rc != DFSM_OK)
					continue;
				assert_lands(&out, e->to, ctx);
				if (out.clock != clock_of(e->clock))
					fail_msg("%s: clock %d, want %c", ctx, out.clock, e->clock);
				assert_non_null(out.event);
			}
}

/* The buttons: dfsm_actions_allowed lists exactly the matrix's entries. */
static void
test_actions_allowed(void **state)
{
	(void)state;
	for (size_t s = 0; s < NSAMPLES; s++)
		for (size_t r = 0; r < NROLES; r++) {
			enum dfsm_action got[DFSM_NACTIONS];
			int n = dfsm_actions_allowed(&samples[s].d, roles[r].role,
			    DUE - HOUR, got, DFSM_NACTIONS);
			int k = 0;

			assert_true(n >= 0);
			for (int a = 0; a < DFSM_NACTIONS; a++) {
				const struct allowed *e = expectation(samples[s].name,
				    dfsm_action_info((enum dfsm_action)a)->name);

				if (e == NULL || strchr(e->roles, roles[r].letter) == NULL)
					continue;
				if (k >= n || got[k] != (enum dfsm_action)a)
					fail_msg("%s by %c: missing %s", samples[s].name,
					    roles[r].letter,
					    dfsm_action_info((enum dfsm_action)a)->name);
				k++;
			}
			if (k != n)
				fail_msg("%s by %c: %d actions, want %d",
				    samples[s].name, roles[r].letter, n, k);
		}

	/* A short buffer: the count is still the full one. */
	enum dfsm_action one[1];
	int n = dfsm_actions_allowed(&sample("officer")->d, ROLE_OFFICER | ROLE_LEADER,
	    DUE - HOUR, one, 1);
	assert_int_equal(n, 6); /* forward, submit, supplement, payment, stop, apologize */
	assert_int_equal(one[0], DFSM_A_FORWARD);
	assert_int_equal(dfsm_actions_allowed(&sample("officer")->d, ROLE_OFFICER,
	    DUE - HOUR, NULL, 0), 5);
	/* After the due time the apology is still offered (it is marked late). */
	assert_int_equal(dfsm_actions_allowed(&sample("officer")->d, ROLE_OFFICER,
	    DUE + 1, NULL, 0), 5);
	/* Terminal states offer nothing to anyone, whatever their roles. */
	for (size_t s = 0; s < NSAMPLES; s++)
		if (dfsm_state_info(samples[s].d.state)->terminal)
			assert_int_equal(dfsm_actions_allowed(&samples[s].d, ~0u,
			    DUE - HOUR, NULL, 0), 0);
}

/* ---- the national codes ---------------------------------------------------- */

static void
test_national_codes(void **state)
{
	/* DVCQG TrangThaiHoSo, typed from DOMAIN.md section 1. */
	static const struct {
		int national;
		const char *code, *label;
	} want[] = {
		{1, "new", "Mới đăng ký"},
		{2, "received", "Được tiếp nhận"},
		{3, "refused_at_intake", "Không được tiếp nhận"},
		{4, "processing", "Đang xử lý"},
		{5, "waiting_supplement", "Yêu cầu bổ sung giấy tờ"},
		{6, "waiting_payment", "Yêu cầu thực hiện nghĩa vụ tài chính"},
		{7, "withdrawn", "Công dân yêu cầu rút hồ sơ"},
		{8, "stopped", "Dừng xử lý"},
		{9, "result_ready", "Đã xử lý xong"},
		{10, "returned", "Đã trả kết quả"},
	};
	int seen[11] = {0};

	(void)state;
	assert_int_equal(DFSM_NSTATES, 10);
	for (int s = 0; s < DFSM_NSTATES; s++) {
		const struct dfsm_state_info *i = dfsm_state_info((enum dfsm_state)s);
		int n = dfsm_national_code((enum dfsm_state)s);
		enum dfsm_state back;

		assert_non_null(i);
		assert_int_equal(i->national, n);
		assert_in_range(n, 1, 10);
		seen[n]++;
		assert_string_equal(i->code, want[n - 1].code);
		assert_string_equal(i->label, want[n - 1].label);
		assert_true(i->public_label != NULL && i->public_label[0] != '\0');
		assert_int_equal(dfsm_state_from_national(n, &back), 0);
		assert_int_equal(back, s);
		assert_int_equal(dfsm_state_from_code(i->code, &back), 0);
		assert_int_equal(back, s);
	}
	for (int n = 1; n <= 10; n++)
		assert_int_equal(seen[n], 1);

	enum dfsm_state s = DFSM_S_RETURNED;
	assert_int_equal(dfsm_state_from_national(0, &s), -1);
	assert_int_equal(dfsm_state_from_national(11, &s), -1);
	assert_int_equal(dfsm_state_from_code("awaiting_approval", &s), -1);
	assert_int_equal(dfsm_state_from_code("", &s), -1);
	assert_int_equal(dfsm_state_from_code(NULL, &s), -1);
	assert_int_equal(s, DFSM_S_RETURNED); /* untouched */
	assert_null(dfsm_state_info(DFSM_NSTATES));
	assert_null(dfsm_state_info((enum dfsm_state)-1));
	assert_int_equal(dfsm_national_code(DFSM_NSTATES), 0);
	/* Citizens read plain words, not the register's wording. */
	assert_string_equal(dfsm_state_info(DFSM_S_WAITING_SUPPLEMENT)->public_label,
	    "Chờ bổ sung giấy tờ");
	assert_string_equal(dfsm_state_info(DFSM_S_PROCESSING)->public_label,
	    "Đang xử lý");
}

static bool
in_list(const char **l, size_t n, const char *c)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i], c) == 0)
			return true;
	return false;
}

/* Flags, typed independently: terminal, paused, finished, counted. */
static void
test_state_flags(void **state)
{
	static const char *terminal[] = {"refused_at_intake", "withdrawn", "stopped", "returned"};
	static const char *paused[] = {"waiting_supplement", "waiting_payment"};
	static const char *finished[] = {"refused_at_intake", "withdrawn", "stopped", "result_ready", "returned"};
	/* Decision 6: refused (at intake or after processing) and withdrawn
	 * are excluded; a new dossier has no due time yet. */
	static const char *counted[] = {"received", "processing", "waiting_supplement",
	                                "waiting_payment", "result_ready", "returned"};
#define IN(list, code) in_list(list, sizeof list / sizeof list[0], code)

	(void)state;
	for (int s = 0; s < DFSM_NSTATES; s++) {
		const struct dfsm_state_info *i = dfsm_state_info((enum dfsm_state)s);

		assert_int_equal(i->terminal, IN(terminal, i->code));
		assert_int_equal(i->clock_paused, IN(paused, i->code));
		assert_int_equal(i->finished, IN(finished, i->code));
		assert_int_equal(i->counts_for_timeliness, IN(counted, i->code));
	}
#undef IN
}

static void
test_names(void **state)
{
	(void)state;
	for (int a = 0; a < DFSM_NACTIONS; a++) {
		const struct dfsm_action_info *i = dfsm_action_info((enum dfsm_action)a);
		enum dfsm_action back;
		char ev[64];

		assert_non_null(i);
		assert_int_equal(dfsm_action_from_name(i->name, &back), 0);
		assert_int_equal(back, a);
		snprintf(ev, sizeof ev, "dossier.%s", i->name);
		assert_string_equal(i->event, ev);
		assert_true(i->label[0] != '\0');
	}
	/* DESIGN.md's contract names all exist. */
	static const char *contract[] = {"assign", "forward", "request_supplement",
	    "supplement_received", "request_payment", "approve", "refuse",
	    "withdraw", "stop", "result_ready", "return", "apologize"};
	for (size_t k = 0; k < sizeof contract / sizeof contract[0]; k++) {
		enum dfsm_action a;
		assert_int_equal(dfsm_action_from_name(contract[k], &a), 0);
	}
	enum dfsm_action a = DFSM_A_STOP;
	assert_int_equal(dfsm_action_from_name("Approve", &a), -1);
	assert_int_equal(dfsm_action_from_name(NULL, &a), -1);
	assert_int_equal(a, DFSM_A_STOP);
	assert_null(dfsm_action_info(DFSM_NACTIONS));

	for (int s = 1; s < DFSM_NSTAGES; s++) {
		enum dfsm_stage back;
		assert_int_equal(dfsm_stage_from_code(dfsm_stage_info((enum dfsm_stage)s)->code, &back), 0);
		assert_int_equal(back, s);
	}
	enum dfsm_stage st;
	assert_int_equal(dfsm_stage_from_code("", &st), -1);
	assert_int_equal(dfsm_stage_from_code("with_officer", &st), 0);
	assert_int_equal(st, DFSM_STAGE_WITH_OFFICER);
	assert_null(dfsm_stage_info(DFSM_NSTAGES));
}

/* ---- the paths of issue #5 -------------------------------------------------- */

/* Applies an action as the store would, checking the clock effect, and
 * persists the result into *d. */
static void
step(struct dfsm_dossier *d, enum dfsm_action a, unsigned role, int64_t now,
    const struct dfsm_args *args, enum dfsm_clock clock)
{
	struct dfsm_result r;
	int rc = dfsm_apply(d, a, role, now, args, &r);

	if (rc != DFSM_OK)
		fail_msg("%s: rc %d", dfsm_action_info(a)->name, rc);
	if (r.clock != clock)
		fail_msg("%s: clock %d, want %d", dfsm_action_info(a)->name, r.clock, clock);
	d->state = r.state;
	d->stage = r.stage;
	d->resume_state = r.resume_state;
	d->resume_stage = r.resume_stage;
	if (r.clock == DFSM_CLOCK_START)
		d->due = DUE;
	if (a == DFSM_A_APOLOGIZE)
		d->appointment = args->new_date;
}

static const struct dfsm_args reason = {.reason = "Thiếu giấy tờ"};
static const struct dfsm_args to_officer = {.assignee = 12};
static const struct dfsm_args handover = {.recipient = "Trần Thị B",
                                          .recipient_id = "079190001234"};

static void
to_processing(struct dfsm_dossier *d, int64_t t)
{
	*d = sample("new")->d;
	step(d, DFSM_A_RECEIVE, ROLE_CLERK, t, NULL, DFSM_CLOCK_START);
	assert_int_equal(dfsm_national_code(d->state), 2);
	step(d, DFSM_A_ASSIGN, ROLE_CLERK, t + HOUR, &to_officer, DFSM_CLOCK_NONE);
	assert_int_equal(dfsm_national_code(d->state), 4);
	assert_int_equal(d->stage, DFSM_STAGE_WITH_OFFICER);
}

static void
approve_and_return(struct dfsm_dossier *d, int64_t t)
{
	step(d, DFSM_A_SUBMIT_FOR_APPROVAL, ROLE_OFFICER, t, NULL, DFSM_CLOCK_NONE);
	assert_int_equal(d->stage, DFSM_STAGE_WITH_LEADER);
	assert_int_equal(dfsm_national_code(d->state), 4); /* still "Đang xử lý" */
	step(d, DFSM_A_APPROVE, ROLE_LEADER, t + 1, NULL, DFSM_CLOCK_NONE);
	step(d, DFSM_A_RESULT_READY, ROLE_OFFICER, t + 2, NULL, DFSM_CLOCK_STOP);
	assert_int_equal(dfsm_national_code(d->state), 9);
	step(d, DFSM_A_RETURN, ROLE_CLERK, t + 3, &handover, DFSM_CLOCK_NONE);
	assert_int_equal(dfsm_national_code(d->state), 10);
	assert_true(dfsm_state_info(d->state)->terminal);
}

static void
test_path_returned_on_time(void **state)
{
	struct dfsm_dossier d;

	(void)state;
	to_processing(&d, DUE - 3 * DAY);
	step(&d, DFSM_A_FORWARD, ROLE_OFFICER, DUE - 2 * DAY,
	    &(struct dfsm_args){.unit = 3}, DFSM_CLOCK_NONE);
	/* The leader sends it back once, with a reason. */
	step(&d, DFSM_A_SUBMIT_FOR_APPROVAL, ROLE_OFFICER, DUE - 2 * DAY, NULL, DFSM_CLOCK_NONE);
	step(&d, DFSM_A_SEND_BACK, ROLE_LEADER, DUE - 2 * DAY, &reason, DFSM_CLOCK_NONE);
	assert_int_equal(d.stage, DFSM_STAGE_WITH_OFFICER);
	approve_and_return(&d, DUE - DAY);
	assert_true(dfsm_state_info(d.state)->counts_for_timeliness);
}

static void
test_path_supplemented(void **state)
{
	struct dfsm_dossier d;

	(void)state;
	to_processing(&d, DUE - 3 * DAY);
	step(&d, DFSM_A_REQUEST_SUPPLEMENT, ROLE_OFFICER, DUE - 2 * DAY, &reason, DFSM_CLOCK_PAUSE);
	assert_int_equal(dfsm_national_code(d.state), 5);
	assert_true(dfsm_state_info(d.state)->clock_paused);
	step(&d, DFSM_A_SUPPLEMENT_RECEIVED, ROLE_CLERK, DUE, NULL, DFSM_CLOCK_RESUME);
	assert_int_equal(d.state, DFSM_S_PROCESSING);
	assert_int_equal(d.stage, DFSM_STAGE_WITH_OFFICER);
	/* A financial obligation after signing goes back to "approved". */
	step(&d, DFSM_A_SUBMIT_FOR_APPROVAL, ROLE_OFFICER, DUE, NULL, DFSM_CLOCK_NONE);
	step(&d, DFSM_A_APPROVE, ROLE_LEADER, DUE, NULL, DFSM_CLOCK_NONE);
	step(&d, DFSM_A_REQUEST_PAYMENT, ROLE_OFFICER, DUE, NULL, DFSM_CLOCK_PAUSE);
	assert_int_equal(dfsm_national_code(d.state), 6);
	step(&d, DFSM_A_PAYMENT_RECEIVED, ROLE_CLERK, DUE + DAY, NULL, DFSM_CLOCK_RESUME);
	assert_int_equal(d.stage, DFSM_STAGE_APPROVED);
	step(&d, DFSM_A_RESULT_READY, ROLE_CLERK, DUE + DAY, NULL, DFSM_CLOCK_STOP);
	step(&d, DFSM_A_RETURN, ROLE_CLERK, DUE + DAY, &handover, DFSM_CLOCK_NONE);
	assert_int_equal(d.state, DFSM_S_RETURNED);
}

/* An online dossier: supplement asked before receipt, no clock to pause;
 * once complete it is received and the clock starts. */
static void
test_path_supplement_at_intake(void **state)
{
	struct dfsm_dossier d = sample("new")->d;

	(void)state;
	step(&d, DFSM_A_REQUEST_SUPPLEMENT, ROLE_CLERK, DUE, &reason, DFSM_CLOCK_NONE);
	assert_int_equal(d.state, DFSM_S_WAITING_SUPPLEMENT);
	assert_int_equal(d.resume_state, DFSM_S_NEW);
	step(&d, DFSM_A_SUPPLEMENT_RECEIVED, ROLE_OFFICER, DUE, NULL, DFSM_CLOCK_NONE);
	assert_int_equal(d.state, DFSM_S_NEW);
	step(&d, DFSM_A_RECEIVE, ROLE_CLERK, DUE, NULL, DFSM_CLOCK_START);
	/* Never supplemented: refused at intake, not stopped. */
	d = sample("new")->d;
	step(&d, DFSM_A_REQUEST_SUPPLEMENT, ROLE_CLERK, DUE, &reason, DFSM_CLOCK_NONE);
	struct dfsm_result r;
	assert_int_equal(dfsm_apply(&d, DFSM_A_STOP, ROLE_LEADER, DUE, &reason, &r), DFSM_E_STATE);
	step(&d, DFSM_A_REFUSE_INTAKE, ROLE_CLERK, DUE, &reason, DFSM_CLOCK_NONE);
	assert_int_equal(dfsm_national_code(d.state), 3);
}

static void
test_path_refused_at_intake(void **state)
{
	struct dfsm_dossier d = sample("new")->d;
	struct dfsm_result r;

	(void)state;
	assert_int_equal(dfsm_apply(&d, DFSM_A_REFUSE_INTAKE, ROLE_CLERK, DUE, NULL, &r),
	    DFSM_E_REASON);
	step(&d, DFSM_A_REFUSE_INTAKE, ROLE_CLERK, DUE, &reason, DFSM_CLOCK_NONE);
	assert_int_equal(dfsm_national_code(d.state), 3);
	assert_false(dfsm_state_info(d.state)->counts_for_timeliness);
	assert_true(dfsm_state_info(d.state)->terminal);
	/* Once received, intake refusal is over. */
	d = sample("received")->d;
	assert_int_equal(dfsm_apply(&d, DFSM_A_REFUSE_INTAKE, ROLE_CLERK, DUE, &reason, &r),
	    DFSM_E_STATE);
}

static void
test_path_refused_after_processing(void **state)
{
	struct dfsm_dossier d;
	struct dfsm_result r;

	(void)state;
	to_processing(&d, DUE - 3 * DAY);
	/* Only the leader decides, and only once the file is submitted. */
	assert_int_equal(dfsm_apply(&d, DFSM_A_REFUSE, ROLE_LEADER, DUE, &reason, &r),
	    DFSM_E_STATE);
	step(&d, DFSM_A_SUBMIT_FOR_APPROVAL, ROLE_OFFICER, DUE - DAY, NULL, DFSM_CLOCK_NONE);
	assert_int_equal(dfsm_apply(&d, DFSM_A_REFUSE, ROLE_OFFICER, DUE, &reason, &r),
	    DFSM_E_ROLE);
	assert_int_equal(dfsm_apply(&d, DFSM_A_REFUSE, ROLE_LEADER, DUE, NULL, &r),
	    DFSM_E_REASON);
	step(&d, DFSM_A_REFUSE, ROLE_LEADER, DUE - DAY, &reason, DFSM_CLOCK_STOP);
	assert_int_equal(dfsm_national_code(d.state), 8);
	assert_false(dfsm_state_info(d.state)->counts_for_timeliness);
}

static void
test_path_withdrawn(void **state)
{
	struct dfsm_dossier d;

	(void)state;
	to_processing(&d, DUE - 3 * DAY);
	step(&d, DFSM_A_REQUEST_SUPPLEMENT, ROLE_OFFICER, DUE - 2 * DAY, &reason, DFSM_CLOCK_PAUSE);
	/* Withdrawn while waiting: the clock (paused) stops for good. */
	step(&d, DFSM_A_WITHDRAW, ROLE_CLERK, DUE - DAY, NULL, DFSM_CLOCK_STOP);
	assert_int_equal(dfsm_national_code(d.state), 7);
	assert_false(dfsm_state_info(d.state)->counts_for_timeliness);
	assert_true(dfsm_state_info(d.state)->terminal);
	/* Withdrawn before receipt: no clock ever ran. */
	d = sample("new")->d;
	step(&d, DFSM_A_WITHDRAW, ROLE_CLERK, DUE, NULL, DFSM_CLOCK_NONE);
	assert_int_equal(d.state, DFSM_S_WITHDRAWN);
}

static void
test_path_stopped(void **state)
{
	struct dfsm_dossier d;
	struct dfsm_result r;

	(void)state;
	to_processing(&d, DUE - 3 * DAY);
	assert_int_equal(dfsm_apply(&d, DFSM_A_STOP, ROLE_OFFICER, DUE, &reason, &r),
	    DFSM_E_ROLE);
	assert_int_equal(dfsm_apply(&d, DFSM_A_STOP, ROLE_LEADER, DUE,
	    &(struct dfsm_args){.reason = " \t\n"}, &r), DFSM_E_REASON);
	step(&d, DFSM_A_STOP, ROLE_LEADER, DUE, &reason, DFSM_CLOCK_STOP);
	assert_int_equal(dfsm_national_code(d.state), 8);
	assert_int_equal(d.stage, DFSM_STAGE_NONE);
	assert_int_equal(dfsm_apply(&d, DFSM_A_STOP, ROLE_LEADER, DUE, &reason, &r),
	    DFSM_E_STATE);
}

/* Late with an apology: due until the promised instant; one recorded after
 * it is still taken, marked late, with a new date after now; a second
 * apology is measured against the new appointment. */
static void
test_path_apology(void **state)
{
	struct dfsm_dossier d;
	struct dfsm_result r;
	struct dfsm_args apo = {.reason = "Chờ xác minh", .new_date = DUE + 2 * DAY};

	(void)state;
	assert_true(dfsm_can_apologize(DUE - 1, DUE));
	assert_true(dfsm_can_apologize(DUE, DUE));
	assert_false(dfsm_can_apologize(DUE + 1, DUE));
	assert_false(dfsm_can_apologize(DUE, 0));

	to_processing(&d, DUE - 3 * DAY);
	/* After the due time: taken, marked late; the role is checked first,
	 * the reason and a new date after now are still required. */
	assert_int_equal(dfsm_apply(&d, DFSM_A_APOLOGIZE, ROLE_LEADER, DUE + 1, &apo, &r), DFSM_OK);
	assert_true(r.late);
	assert_int_equal(dfsm_apply(&d, DFSM_A_APOLOGIZE, ROLE_LEADER, DUE + 1, NULL, &r),
	    DFSM_E_REASON);
	assert_int_equal(dfsm_apply(&d, DFSM_A_APOLOGIZE, ROLE_CLERK, DUE + 1, &apo, &r),
	    DFSM_E_ROLE);
	assert_int_equal(dfsm_apply(&d, DFSM_A_APOLOGIZE, ROLE_LEADER, DUE + 3 * DAY, &apo, &r),
	    DFSM_E_ARGS);
	/* the button is there after the due time too */
	enum dfsm_action acts[DFSM_NACTIONS];
	int na = dfsm_actions_allowed(&d, ROLE_LEADER, DUE + 1, acts, DFSM_NACTIONS);
	bool shown = false;
	for (int i = 0; i < na; i++)
		shown |= acts[i] == DFSM_A_APOLOGIZE;
	assert_true(shown);
	/* In time, but missing the reason or a date after the due time. */
	assert_int_equal(dfsm_apply(&d, DFSM_A_APOLOGIZE, ROLE_LEADER, DUE,
	    &(struct dfsm_args){.new_date = DUE + DAY}, &r), DFSM_E_REASON);
	assert_int_equal(dfsm_apply(&d, DFSM_A_APOLOGIZE, ROLE_LEADER, DUE,
	    &(struct dfsm_args){.reason = "x", .new_date = DUE}, &r), DFSM_E_ARGS);
	/* At the due instant itself: still in time. */
	assert_int_equal(dfsm_apply(&d, DFSM_A_APOLOGIZE, ROLE_LEADER, DUE, &apo, &r), DFSM_OK);
	assert_false(r.late);
	step(&d, DFSM_A_APOLOGIZE, ROLE_LEADER, DUE, &apo, DFSM_CLOCK_NONE);
	assert_int_equal(d.state, DFSM_S_PROCESSING);
	assert_int_equal(d.stage, DFSM_STAGE_WITH_OFFICER);
	assert_int_equal(d.due, DUE); /* the legal due time does not move */
	/* Past the due time, before the new appointment: a second apology,
	 * with a date after that appointment. */
	assert_int_equal(dfsm_apply(&d, DFSM_A_APOLOGIZE, ROLE_OFFICER, DUE + DAY,
	    &apo, &r), DFSM_E_ARGS);
	step(&d, DFSM_A_APOLOGIZE, ROLE_OFFICER, DUE + DAY,
	    &(struct dfsm_args){.reason = "Chờ ý kiến", .new_date = DUE + 5 * DAY},
	    DFSM_CLOCK_NONE);
	assert_int_equal(dfsm_apply(&d, DFSM_A_APOLOGIZE, ROLE_OFFICER, DUE + 5 * DAY + 1,
	    &(struct dfsm_args){.reason = "x", .new_date = DUE + 9 * DAY}, &r), DFSM_OK);
	assert_true(r.late);
	/* The late dossier is still returned, and counts (as late: decision 6). */
	approve_and_return(&d, DUE + 4 * DAY);
	assert_true(dfsm_state_info(d.state)->counts_for_timeliness);
	/* Once the result is ready there is nothing to apologise for. */
	assert_int_equal(dfsm_apply(&sample("result_ready")->d, DFSM_A_APOLOGIZE,
	    ROLE_LEADER, DUE - DAY, &apo, &r), DFSM_E_STATE);
}

/* ---- reasons, arguments, pauses --------------------------------------------- */

static void
test_reasons_required(void **state)
{
	/* Written independently: the actions whose paper states a reason. */
	static const struct {
		const char *from, *action;
		unsigned role;
	} need[] = {
		{"new", "refuse_intake", ROLE_CLERK},
		{"wsup_intake", "refuse_intake", ROLE_CLERK},
		{"new", "request_supplement", ROLE_CLERK},
		{"officer", "request_supplement", ROLE_OFFICER},
		{"leader", "send_back", ROLE_LEADER},
		{"leader", "refuse", ROLE_LEADER},
		{"received", "stop", ROLE_LEADER},
		{"wpay_approved", "stop", ROLE_LEADER},
		{"officer", "apologize", ROLE_OFFICER},
	};
	static const char *blank[] = {NULL, "", " ", " \t\r\n"};
	struct dfsm_result r;

	(void)state;
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		struct dfsm_args a = full;
		enum dfsm_action act;

		assert_int_equal(dfsm_action_from_name(need[i].action, &act), 0);
		for (size_t b = 0; b < sizeof blank / sizeof blank[0]; b++) {
			a.reason = blank[b];
			if (dfsm_apply(&sample(need[i].from)->d, act, need[i].role,
			    DUE - HOUR, &a, &r) != DFSM_E_REASON)
				fail_msg("%s from %s: blank reason accepted",
				    need[i].action, need[i].from);
		}
		a.reason = "Có lý do";
		assert_int_equal(dfsm_apply(&sample(need[i].from)->d, act,
		    need[i].role, DUE - HOUR, &a, &r), DFSM_OK);
	}
	/* The others go through with no reason at all. */
	for (size_t i = 0; i < NMATRIX; i++) {
		bool needs = false;
		enum dfsm_action act;
		struct dfsm_args a = full;
		unsigned role = 0;

		for (size_t k = 0; k < sizeof need / sizeof need[0]; k++)
			needs |= strcmp(need[k].action, matrix[i].action) == 0;
		if (needs)
			continue;
		for (size_t k = 0; k < NROLES; k++)
			if (strchr(matrix[i].roles, roles[k].letter))
				role |= roles[k].role;
		a.reason = NULL;
		assert_int_equal(dfsm_action_from_name(matrix[i].action, &act), 0);
		if (dfsm_apply(&sample(matrix[i].from)->d, act, role, DUE - HOUR,
		    &a, &r) != DFSM_OK)
			fail_msg("%s from %s needs a reason", matrix[i].action,
			    matrix[i].from);
	}
}

static void
test_arguments(void **state)
{
	struct dfsm_result r;

	(void)state;
	/* Assign and forward need someone: an officer or a unit. */
	assert_int_equal(dfsm_apply(&sample("received")->d, DFSM_A_ASSIGN, ROLE_CLERK,
	    DUE, NULL, &r), DFSM_E_ARGS);
	assert_int_equal(dfsm_apply(&sample("received")->d, DFSM_A_ASSIGN, ROLE_CLERK,
	    DUE, &(struct dfsm_args){.assignee = -1}, &r), DFSM_E_ARGS);
	assert_int_equal(dfsm_apply(&sample("received")->d, DFSM_A_ASSIGN, ROLE_LEADER,
	    DUE, &(struct dfsm_args){.unit = 2}, &r), DFSM_OK);
	assert_int_equal(dfsm_apply(&sample("officer")->d, DFSM_A_FORWARD, ROLE_OFFICER,
	    DUE, &(struct dfsm_args){.reason = "x"}, &r), DFSM_E_ARGS);
	/* Return needs who collected it and the ID shown. */
	assert_int_equal(dfsm_apply(&sample("result_ready")->d, DFSM_A_RETURN, ROLE_CLERK,
	    DUE, NULL, &r), DFSM_E_ARGS);
	assert_int_equal(dfsm_apply(&sample("result_ready")->d, DFSM_A_RETURN, ROLE_CLERK,
	    DUE, &(struct dfsm_args){.recipient = "Trần Thị B"}, &r), DFSM_E_ARGS);
	assert_int_equal(dfsm_apply(&sample("result_ready")->d, DFSM_A_RETURN, ROLE_CLERK,
	    DUE, &(struct dfsm_args){.recipient = " ", .recipient_id = "079190001234"}, &r),
	    DFSM_E_ARGS);
	assert_int_equal(dfsm_apply(&sample("result_ready")->d, DFSM_A_RETURN, ROLE_CLERK,
	    DUE, &handover, &r), DFSM_OK);
	assert_string_equal(r.event, "dossier.return");
	/* Several roles at once: any of them may act. */
	assert_int_equal(dfsm_apply(&sample("leader")->d, DFSM_A_APPROVE,
	    ROLE_CLERK | ROLE_LEADER, DUE, NULL, &r), DFSM_OK);
	/* Order of checks: the state before the role. */
	assert_int_equal(dfsm_apply(&sample("returned")->d, DFSM_A_APPROVE,
	    ROLE_VIEWER, DUE, NULL, &r), DFSM_E_STATE);
}

static void
test_pause_resume(void **state)
{
	struct dfsm_result r;
	struct dfsm_dossier d;

	(void)state;
	/* Every entry into a wait after receipt pauses; every exit resumes,
	 * back exactly where it was. */
	assert_int_equal(dfsm_apply(&sample("officer")->d, DFSM_A_REQUEST_SUPPLEMENT,
	    ROLE_OFFICER, DUE, &reason, &r), DFSM_OK);
	assert_int_equal(r.clock, DFSM_CLOCK_PAUSE);
	assert_true(dfsm_state_info(r.state)->clock_paused);
	assert_int_equal(r.resume_state, DFSM_S_PROCESSING);
	assert_int_equal(r.resume_stage, DFSM_STAGE_WITH_OFFICER);

	d = sample("wpay_approved")->d;
	assert_int_equal(dfsm_apply(&d, DFSM_A_PAYMENT_RECEIVED, ROLE_OFFICER, DUE,
	    NULL, &r), DFSM_OK);
	assert_int_equal(r.clock, DFSM_CLOCK_RESUME);
	assert_int_equal(r.state, DFSM_S_PROCESSING);
	assert_int_equal(r.stage, DFSM_STAGE_APPROVED);
	assert_false(dfsm_state_info(r.state)->clock_paused);

	/* An apology while waiting keeps the wait and where it resumes. */
	d = sample("wsup")->d;
	assert_int_equal(dfsm_apply(&d, DFSM_A_APOLOGIZE, ROLE_LEADER, DUE, &full, &r),
	    DFSM_OK);
	assert_int_equal(r.state, DFSM_S_WAITING_SUPPLEMENT);
	assert_int_equal(r.resume_state, DFSM_S_PROCESSING);
	assert_int_equal(r.resume_stage, DFSM_STAGE_WITH_OFFICER);
	assert_int_equal(r.clock, DFSM_CLOCK_NONE);
	/* Paying is not supplementing. */
	assert_int_equal(dfsm_apply(&d, DFSM_A_PAYMENT_RECEIVED, ROLE_CLERK, DUE, NULL, &r),
	    DFSM_E_STATE);
}

/* ---- inconsistent input ------------------------------------------------------ */

static void
test_invalid(void **state)
{
	static const struct dfsm_dossier bad[] = {
		{DFSM_S_PROCESSING, DFSM_STAGE_NONE, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0},
		{DFSM_S_RECEIVED, DFSM_STAGE_WITH_OFFICER, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0},
		{DFSM_S_WAITING_SUPPLEMENT, DFSM_STAGE_WITH_OFFICER, DFSM_S_PROCESSING, DFSM_STAGE_WITH_OFFICER, DUE, 0},
		/* resumes to a place no supplement request starts from */
		{DFSM_S_WAITING_SUPPLEMENT, DFSM_STAGE_NONE, DFSM_S_RECEIVED, DFSM_STAGE_NONE, DUE, 0},
		{DFSM_S_WAITING_SUPPLEMENT, DFSM_STAGE_NONE, DFSM_S_PROCESSING, DFSM_STAGE_WITH_LEADER, DUE, 0},
		{DFSM_S_WAITING_SUPPLEMENT, DFSM_STAGE_NONE, DFSM_S_WAITING_PAYMENT, DFSM_STAGE_NONE, DUE, 0},
		{DFSM_S_WAITING_PAYMENT, DFSM_STAGE_NONE, DFSM_S_NEW, DFSM_STAGE_NONE, 0, 0},
		{DFSM_S_WAITING_PAYMENT, DFSM_STAGE_NONE, DFSM_S_PROCESSING, DFSM_STAGE_NONE, DUE, 0},
		{DFSM_S_WAITING_PAYMENT, DFSM_STAGE_NONE, (enum dfsm_state)42, DFSM_STAGE_NONE, DUE, 0},
		{(enum dfsm_state)10, DFSM_STAGE_NONE, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0},
		{DFSM_S_PROCESSING, (enum dfsm_stage)4, DFSM_S_NEW, DFSM_STAGE_NONE, DUE, 0},
	};
	struct dfsm_result r;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (dfsm_apply(&bad[i], DFSM_A_WITHDRAW, ROLE_CLERK, DUE, &full, &r) !=
		    DFSM_E_INVALID)
			fail_msg("bad dossier %zu accepted", i);
		assert_int_equal(dfsm_actions_allowed(&bad[i], ~0u, DUE, NULL, 0), -1);
	}
	assert_int_equal(dfsm_apply(NULL, DFSM_A_RECEIVE, ROLE_CLERK, DUE, NULL, &r),
	    DFSM_E_INVALID);
	assert_int_equal(dfsm_apply(&sample("new")->d, DFSM_A_RECEIVE, ROLE_CLERK, DUE,
	    NULL, NULL), DFSM_E_INVALID);
	assert_int_equal(dfsm_apply(&sample("new")->d, DFSM_NACTIONS, ROLE_CLERK, DUE,
	    NULL, &r), DFSM_E_ACTION);
	assert_int_equal(dfsm_apply(&sample("new")->d, (enum dfsm_action)-1, ROLE_CLERK,
	    DUE, NULL, &r), DFSM_E_ACTION);
	/* A received dossier without a due time cannot be apologised for. */
	struct dfsm_dossier nodue = sample("received")->d;
	nodue.due = 0;
	assert_int_equal(dfsm_apply(&nodue, DFSM_A_APOLOGIZE, ROLE_LEADER, DUE, &full, &r),
	    DFSM_E_INVALID);
	/* On failure *out is untouched. */
	memset(&r, 0x5a, sizeof r);
	struct dfsm_result before = r;
	assert_int_equal(dfsm_apply(&sample("returned")->d, DFSM_A_RETURN, ROLE_CLERK, DUE,
	    &handover, &r), DFSM_E_STATE);
	assert_memory_equal(&r, &before, sizeof r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_actions_allowed),
		cmocka_unit_test(test_national_codes),
		cmocka_unit_test(test_state_flags),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_path_returned_on_time),
		cmocka_unit_test(test_path_supplemented),
		cmocka_unit_test(test_path_supplement_at_intake),
		cmocka_unit_test(test_path_refused_at_intake),
		cmocka_unit_test(test_path_refused_after_processing),
		cmocka_unit_test(test_path_withdrawn),
		cmocka_unit_test(test_path_stopped),
		cmocka_unit_test(test_path_apology),
		cmocka_unit_test(test_reasons_required),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_pause_resume),
		cmocka_unit_test(test_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
