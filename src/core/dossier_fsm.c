/*
 * dossier_fsm.c — the dossier state machine as four tables.
 *
 * Read the transition table first: one row per (action, set of places it
 * may start from).  A "place" (enum place) is a state refined where the
 * rules need more than the state: processing is split by stage, and
 * waiting_supplement by whether the dossier was already received (a
 * supplement asked at intake has no clock to pause, and ends in a refusal
 * at intake rather than a stop).  An action may have several rows when
 * its roles or its effect on the clock differ by place.
 */
#include <assert.h>
#include "core/dossier_fsm.h"

#include <string.h>

#include "core/roles.h"

/* ---- states ---------------------------------------------------------------- */

static const struct dfsm_state_info state_table[DFSM_NSTATES] = {
	/*                            code                  nat  staff label (national)                 public label                         term   paused finish counts */
	[DFSM_S_NEW]                = {"new",                1, "Mới đăng ký",                          "Đã nộp, chờ tiếp nhận",             false, false, false, false},
	[DFSM_S_RECEIVED]           = {"received",           2, "Được tiếp nhận",                       "Đã tiếp nhận",                      false, false, false, true},
	[DFSM_S_REFUSED_AT_INTAKE]  = {"refused_at_intake",  3, "Không được tiếp nhận",                 "Không được tiếp nhận",              true,  false, true,  false},
	[DFSM_S_PROCESSING]         = {"processing",         4, "Đang xử lý",                           "Đang xử lý",                        false, false, false, true},
	[DFSM_S_WAITING_SUPPLEMENT] = {"waiting_supplement", 5, "Yêu cầu bổ sung giấy tờ",              "Chờ bổ sung giấy tờ",               false, true,  false, true},
	[DFSM_S_WAITING_PAYMENT]    = {"waiting_payment",    6, "Yêu cầu thực hiện nghĩa vụ tài chính", "Chờ nộp phí, lệ phí, thuế",         false, true,  false, true},
	[DFSM_S_WITHDRAWN]          = {"withdrawn",          7, "Công dân yêu cầu rút hồ sơ",           "Đã rút hồ sơ",                      true,  false, true,  false},
	[DFSM_S_STOPPED]            = {"stopped",            8, "Dừng xử lý",                           "Đã dừng xử lý",                     true,  false, true,  false},
	[DFSM_S_RESULT_READY]       = {"result_ready",       9, "Đã xử lý xong",                        "Đã có kết quả, mời đến nhận",       false, false, true,  true},
	[DFSM_S_RETURNED]           = {"returned",          10, "Đã trả kết quả",                       "Đã trả kết quả",                    true,  false, true,  true},
};

static const struct dfsm_stage_info stage_table[DFSM_NSTAGES] = {
	[DFSM_STAGE_NONE]         = {"",             ""},
	[DFSM_STAGE_WITH_OFFICER] = {"with_officer", "Chuyên viên đang xử lý"},
	[DFSM_STAGE_WITH_LEADER]  = {"with_leader",  "Chờ lãnh đạo phê duyệt"},
	[DFSM_STAGE_APPROVED]     = {"approved",     "Đã phê duyệt, đang phát hành kết quả"},
};

/* ---- actions --------------------------------------------------------------- */

static const struct dfsm_action_info action_table[DFSM_NACTIONS] = {
	[DFSM_A_RECEIVE]             = {"receive",             "Tiếp nhận hồ sơ",                      "dossier.receive"},
	[DFSM_A_REFUSE_INTAKE]       = {"refuse_intake",       "Từ chối tiếp nhận",                    "dossier.refuse_intake"},
	[DFSM_A_ASSIGN]              = {"assign",              "Chuyển xử lý",                         "dossier.assign"},
	[DFSM_A_FORWARD]             = {"forward",             "Chuyển tiếp",                          "dossier.forward"},
	[DFSM_A_SUBMIT_FOR_APPROVAL] = {"submit_for_approval", "Trình lãnh đạo phê duyệt",             "dossier.submit_for_approval"},
	[DFSM_A_SEND_BACK]           = {"send_back",           "Trả lại chuyên viên",                  "dossier.send_back"},
	[DFSM_A_APPROVE]             = {"approve",             "Phê duyệt",                            "dossier.approve"},
	[DFSM_A_REFUSE]              = {"refuse",              "Từ chối giải quyết",                   "dossier.refuse"},
	[DFSM_A_REQUEST_SUPPLEMENT]  = {"request_supplement",  "Yêu cầu bổ sung giấy tờ",              "dossier.request_supplement"},
	[DFSM_A_SUPPLEMENT_RECEIVED] = {"supplement_received", "Đã nhận giấy tờ bổ sung",              "dossier.supplement_received"},
	[DFSM_A_REQUEST_PAYMENT]     = {"request_payment",     "Yêu cầu thực hiện nghĩa vụ tài chính", "dossier.request_payment"},
	[DFSM_A_PAYMENT_RECEIVED]    = {"payment_received",    "Đã hoàn thành nghĩa vụ tài chính",     "dossier.payment_received"},
	[DFSM_A_WITHDRAW]            = {"withdraw",            "Rút hồ sơ theo yêu cầu",               "dossier.withdraw"},
	[DFSM_A_STOP]                = {"stop",                "Dừng xử lý",                           "dossier.stop"},
	[DFSM_A_RESULT_READY]        = {"result_ready",        "Đã có kết quả",                        "dossier.result_ready"},
	[DFSM_A_RETURN]              = {"return",              "Trả kết quả",                          "dossier.return"},
	[DFSM_A_APOLOGIZE]           = {"apologize",           "Xin lỗi, hẹn lại ngày trả",            "dossier.apologize"},
};

/* ---- places ---------------------------------------------------------------- */

enum place {
	P_NEW,
	P_RECEIVED,
	P_REFUSED_AT_INTAKE,
	P_WITH_OFFICER,   /* processing, with_officer */
	P_WITH_LEADER,    /* processing, with_leader */
	P_APPROVED,       /* processing, approved */
	P_WAIT_SUP_INTAKE,/* waiting_supplement, asked before receipt */
	P_WAIT_SUP,       /* waiting_supplement, asked during processing */
	P_WAIT_PAY,
	P_WITHDRAWN,
	P_STOPPED,
	P_RESULT_READY,
	P_RETURNED,
	NPLACES
};

#define B(p) (1u << (p))
#define PROCESSING (B(P_WITH_OFFICER) | B(P_WITH_LEADER) | B(P_APPROVED))
/* Received and not finished: the legal clock runs or is paused. */
#define PENDING (B(P_RECEIVED) | PROCESSING | B(P_WAIT_SUP) | B(P_WAIT_PAY))

/* The place of (state, stage, resume_state); -1 if they do not agree. */
static int
place_of(enum dfsm_state s, enum dfsm_stage st, enum dfsm_state resume)
{
	if ((s == DFSM_S_PROCESSING) != (st != DFSM_STAGE_NONE))
		return -1;
	switch (s) {
	case DFSM_S_NEW:                return P_NEW;
	case DFSM_S_RECEIVED:           return P_RECEIVED;
	case DFSM_S_REFUSED_AT_INTAKE:  return P_REFUSED_AT_INTAKE;
	case DFSM_S_PROCESSING:
		return st == DFSM_STAGE_WITH_OFFICER ? P_WITH_OFFICER :
		    st == DFSM_STAGE_WITH_LEADER ? P_WITH_LEADER :
		    st == DFSM_STAGE_APPROVED ? P_APPROVED : -1;
	case DFSM_S_WAITING_SUPPLEMENT:
		return resume == DFSM_S_NEW ? P_WAIT_SUP_INTAKE : P_WAIT_SUP;
	case DFSM_S_WAITING_PAYMENT:    return P_WAIT_PAY;
	case DFSM_S_WITHDRAWN:          return P_WITHDRAWN;
	case DFSM_S_STOPPED:            return P_STOPPED;
	case DFSM_S_RESULT_READY:       return P_RESULT_READY;
	case DFSM_S_RETURNED:           return P_RETURNED;
	case DFSM_NSTATES:              break;
	}
	return -1;
}

/* ---- transitions ----------------------------------------------------------- */

#define SAME (-1) /* to: stay in the state (stage as given, or KEEP) */
#define BACK (-2) /* to: go back to resume_state/resume_stage */
#define KEEP (-1) /* stage: unchanged */

/* What an action needs besides state and role (checked in this order). */
#define N_IN_TIME   (1u << 0) /* due before the promised time: after it, still taken but marked late */
#define N_REASON    (1u << 1) /* a non-blank reason (E_REASON) */
#define N_ASSIGNEE  (1u << 2) /* an assignee or a unit (E_ARGS) */
#define N_DATE      (1u << 3) /* a new appointment after the promise (E_ARGS) */
#define N_RECIPIENT (1u << 4) /* recipient name and ID shown (E_ARGS) */

#define CLERK   ROLE_CLERK
#define OFFICER ROLE_OFFICER
#define LEADER  ROLE_LEADER

#define CLK(x) DFSM_CLOCK_##x
#define ST(x) DFSM_S_##x
#define SG(x) DFSM_STAGE_##x

static const struct transition {
	enum dfsm_action action;
	unsigned from;        /* set of places, B(P_…) */
	int to;               /* a state, SAME or BACK */
	int stage;            /* the stage after (NONE unless processing), or KEEP */
	unsigned roles;       /* role bits allowed */
	unsigned needs;       /* N_… */
	enum dfsm_clock clock;
} transitions[] = {
	/* action                      from                                to                     stage             roles             needs                   clock */
	/* Intake at the desk.  The clock starts on receipt (decision 4). */
	{DFSM_A_RECEIVE,             B(P_NEW),                          ST(RECEIVED),          SG(NONE),         CLERK,            0,                      CLK(START)},
	{DFSM_A_REFUSE_INTAKE,       B(P_NEW) | B(P_WAIT_SUP_INTAKE),   ST(REFUSED_AT_INTAKE), SG(NONE),         CLERK,            N_REASON,               CLK(NONE)},
	{DFSM_A_REQUEST_SUPPLEMENT,  B(P_NEW),                          ST(WAITING_SUPPLEMENT),SG(NONE),         CLERK,            N_REASON,               CLK(NONE)},
	{DFSM_A_SUPPLEMENT_RECEIVED, B(P_WAIT_SUP_INTAKE),              BACK,                  KEEP,             CLERK | OFFICER,  0,                      CLK(NONE)},
	/* Processing: officer, possibly forwarded, then the leader decides. */
	{DFSM_A_ASSIGN,              B(P_RECEIVED),                     ST(PROCESSING),        SG(WITH_OFFICER), CLERK | LEADER,   N_ASSIGNEE,             CLK(NONE)},
	{DFSM_A_FORWARD,             B(P_WITH_OFFICER),                 SAME,                  SG(WITH_OFFICER), OFFICER | LEADER, N_ASSIGNEE,             CLK(NONE)},
	{DFSM_A_SUBMIT_FOR_APPROVAL, B(P_WITH_OFFICER),                 SAME,                  SG(WITH_LEADER),  OFFICER,          0,                      CLK(NONE)},
	{DFSM_A_SEND_BACK,           B(P_WITH_LEADER),                  SAME,                  SG(WITH_OFFICER), LEADER,           N_REASON,               CLK(NONE)},
	{DFSM_A_APPROVE,             B(P_WITH_LEADER),                  SAME,                  SG(APPROVED),     LEADER,           0,                      CLK(NONE)},
	{DFSM_A_REFUSE,              B(P_WITH_LEADER),                  ST(STOPPED),           SG(NONE),         LEADER,           N_REASON,               CLK(STOP)},
	/* Waiting on the applicant pauses the clock (decision 5). */
	{DFSM_A_REQUEST_SUPPLEMENT,  B(P_WITH_OFFICER),                 ST(WAITING_SUPPLEMENT),SG(NONE),         OFFICER,          N_REASON,               CLK(PAUSE)},
	{DFSM_A_SUPPLEMENT_RECEIVED, B(P_WAIT_SUP),                     BACK,                  KEEP,             CLERK | OFFICER,  0,                      CLK(RESUME)},
	{DFSM_A_REQUEST_PAYMENT,     B(P_WITH_OFFICER) | B(P_APPROVED), ST(WAITING_PAYMENT),   SG(NONE),         OFFICER,          0,                      CLK(PAUSE)},
	{DFSM_A_PAYMENT_RECEIVED,    B(P_WAIT_PAY),                     BACK,                  KEEP,             CLERK | OFFICER,  0,                      CLK(RESUME)},
	/* Endings other than a result. */
	{DFSM_A_WITHDRAW,            B(P_NEW) | B(P_WAIT_SUP_INTAKE),   ST(WITHDRAWN),         SG(NONE),         CLERK,            0,                      CLK(NONE)},
	{DFSM_A_WITHDRAW,            PENDING,                           ST(WITHDRAWN),         SG(NONE),         CLERK,            0,                      CLK(STOP)},
	{DFSM_A_STOP,                PENDING,                           ST(STOPPED),           SG(NONE),         LEADER,           N_REASON,               CLK(STOP)},
	/* The result. */
	{DFSM_A_RESULT_READY,        B(P_APPROVED),                     ST(RESULT_READY),      SG(NONE),         OFFICER | CLERK,  0,                      CLK(STOP)},
	{DFSM_A_RETURN,              B(P_RESULT_READY),                 ST(RETURNED),          SG(NONE),         CLERK,            N_RECIPIENT,            CLK(NONE)},
	/* Form 04: a new appointment, due before the promise passes; one
	 * recorded after it is still taken and marked late (the report shows
	 * it so); the dossier counts against its legal due time (decision 6). */
	{DFSM_A_APOLOGIZE,           PENDING,                           SAME,                  KEEP,             OFFICER | LEADER, N_IN_TIME | N_REASON | N_DATE, CLK(NONE)},
};
#define NTRANSITIONS (sizeof transitions / sizeof transitions[0])

/* ---- lookups --------------------------------------------------------------- */

const struct dfsm_state_info *
dfsm_state_info(enum dfsm_state s)
{
	return (unsigned)s < DFSM_NSTATES ? &state_table[s] : NULL;
}

const struct dfsm_stage_info *
dfsm_stage_info(enum dfsm_stage s)
{
	return (unsigned)s < DFSM_NSTAGES ? &stage_table[s] : NULL;
}

const struct dfsm_action_info *
dfsm_action_info(enum dfsm_action a)
{
	return (unsigned)a < DFSM_NACTIONS ? &action_table[a] : NULL;
}

int
dfsm_national_code(enum dfsm_state s)
{
	return (unsigned)s < DFSM_NSTATES ? state_table[s].national : 0;
}

int
dfsm_state_from_code(const char *code, enum dfsm_state *out)
{
	for (unsigned i = 0; code != NULL && i < DFSM_NSTATES; i++)
		if (strcmp(code, state_table[i].code) == 0) {
			*out = (enum dfsm_state)i;
			return 0;
		}
	return -1;
}

int
dfsm_state_from_national(int national, enum dfsm_state *out)
{
	for (unsigned i = 0; i < DFSM_NSTATES; i++)
		if (state_table[i].national == national) {
			*out = (enum dfsm_state)i;
			return 0;
		}
	return -1;
}

/* The empty code of STAGE_NONE is not a name anyone can ask for. */
int
dfsm_stage_from_code(const char *code, enum dfsm_stage *out)
{
	for (unsigned i = 1; code != NULL && i < DFSM_NSTAGES; i++)
		if (strcmp(code, stage_table[i].code) == 0) {
			*out = (enum dfsm_stage)i;
			return 0;
		}
	return -1;
}

int
dfsm_action_from_name(const char *name, enum dfsm_action *out)
{
	for (unsigned i = 0; name != NULL && i < DFSM_NACTIONS; i++)
		if (strcmp(name, action_table[i].name) == 0) {
			*out = (enum dfsm_action)i;
			return 0;
		}
	return -1;
}

bool
dfsm_can_apologize(int64_t now, int64_t due)
{
	return due > 0 && now <= due;
}

/* ---- the machine ----------------------------------------------------------- */

/* A reason counts when it has a byte other than ASCII white space. */
static bool
has_text(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (strchr(" \t\r\n\f\v", *s) == NULL)
			return true;
	return false;
}

/* The time last promised to the applicant: the apology's appointment once
 * there is one, the legal due time before. */
static int64_t
promised(const struct dfsm_dossier *d)
{
	return d->appointment > d->due ? d->appointment : d->due;
}

/*
 * The dossier's place, or -1 if the stored fields contradict each other:
 * an enum out of range, a stage outside processing (or none inside), or a
 * waiting dossier whose resume place is not one the table can wait from.
 */
static int
place_checked(const struct dfsm_dossier *d)
{
	int p, rp;

	if ((unsigned)d->state >= DFSM_NSTATES || (unsigned)d->stage >= DFSM_NSTAGES)
		return -1;
	if (!state_table[d->state].clock_paused)
		return place_of(d->state, d->stage, DFSM_S_NEW);
	if ((unsigned)d->resume_state >= DFSM_NSTATES ||
	    (unsigned)d->resume_stage >= DFSM_NSTAGES ||
	    state_table[d->resume_state].clock_paused)
		return -1;
	if ((p = place_of(d->state, d->stage, d->resume_state)) < 0 ||
	    (rp = place_of(d->resume_state, d->resume_stage, DFSM_S_NEW)) < 0)
		return -1;
	for (size_t i = 0; i < NTRANSITIONS; i++)
		if (transitions[i].to == (int)d->state &&
		    (transitions[i].from & B(rp)) != 0)
			return p;
	return -1;
}

/*
 * The row for (action, place, role): E_STATE when no row of the action
 * starts from the place, E_ROLE when rows do but none admits the role.
 */
static int
find_row(enum dfsm_action a, int place, unsigned role,
    const struct transition **row)
{
	bool state_ok = false;

	for (size_t i = 0; i < NTRANSITIONS; i++) {
		const struct transition *t = &transitions[i];

		if (t->action != a || (t->from & B(place)) == 0)
			continue;
		state_ok = true;
		if ((t->roles & role) != 0) {
			*row = t;
			return DFSM_OK;
		}
	}
	return state_ok ? DFSM_E_ROLE : DFSM_E_STATE;
}

/* The checks that need more than state and role, in the documented order. */
static int
check_needs(const struct transition *t, const struct dfsm_dossier *d,
    int64_t now, const struct dfsm_args *args)
{
	static const struct dfsm_args none;

	if (args == NULL)
		args = &none;
	if ((t->needs & N_IN_TIME) && d->due <= 0)
		return DFSM_E_INVALID;
	if ((t->needs & N_REASON) && !has_text(args->reason))
		return DFSM_E_REASON;
	if ((t->needs & N_ASSIGNEE) && args->assignee <= 0 && args->unit <= 0)
		return DFSM_E_ARGS;
	if ((t->needs & N_DATE) && (args->new_date <= promised(d) || args->new_date <= now))
		return DFSM_E_ARGS;
	if ((t->needs & N_RECIPIENT) &&
	    (!has_text(args->recipient) || !has_text(args->recipient_id)))
		return DFSM_E_ARGS;
	return DFSM_OK;
}

int
dfsm_apply(const struct dfsm_dossier *d, enum dfsm_action a,
    unsigned actor_role, int64_t now, const struct dfsm_args *args,
    struct dfsm_result *out)
{
	const struct transition *t = NULL;
	struct dfsm_result r;
	int place, rc;

	if (d == NULL || out == NULL || (place = place_checked(d)) < 0)
		return DFSM_E_INVALID;
	if ((unsigned)a >= DFSM_NACTIONS)
		return DFSM_E_ACTION;
	if ((rc = find_row(a, place, actor_role, &t)) != DFSM_OK)
		return rc;
	if ((rc = check_needs(t, d, now, args)) != DFSM_OK)
		return rc;

	assert(t != NULL && t->action == a);
	if (t->to == BACK) {
		r.state = d->resume_state;
		r.stage = d->resume_stage;
	} else {
		r.state = t->to == SAME ? d->state : (enum dfsm_state)t->to;
		r.stage = t->stage == KEEP ? d->stage : (enum dfsm_stage)t->stage;
	}
	/* Entering a wait remembers where from; staying in one keeps it. */
	r.resume_state = DFSM_S_NEW;
	r.resume_stage = DFSM_STAGE_NONE;
	if (state_table[r.state].clock_paused) {
		bool waiting = state_table[d->state].clock_paused;

		r.resume_state = waiting ? d->resume_state : d->state;
		r.resume_stage = waiting ? d->resume_stage : d->stage;
	}
	/* the table only leads to real states and stages */
	assert((unsigned)r.state < DFSM_NSTATES && (unsigned)r.stage < DFSM_NSTAGES);
	assert(!state_table[r.state].clock_paused || !state_table[r.resume_state].clock_paused);
	r.clock = t->clock;
	r.event = action_table[a].event;
	r.late = (t->needs & N_IN_TIME) && !dfsm_can_apologize(now, promised(d));
	*out = r;
	return DFSM_OK;
}

int
dfsm_actions_allowed(const struct dfsm_dossier *d, unsigned actor_role,
    int64_t now, enum dfsm_action *out, size_t n)
{
	size_t count = 0;
	int place;

	(void)now; /* the apology is offered late too (then marked late) */
	if (d == NULL || (out == NULL && n > 0) || (place = place_checked(d)) < 0)
		return -1;
	for (unsigned a = 0; a < DFSM_NACTIONS; a++) {
		const struct transition *t;

		if (find_row((enum dfsm_action)a, place, actor_role, &t) != DFSM_OK)
			continue;
		if ((t->needs & N_IN_TIME) && d->due <= 0)
			continue;
		if (count < n)
			out[count] = (enum dfsm_action)a;
		count++;
	}
	return (int)count;
}
