/*
 * dossier_fsm.h — the life of a dossier at the one-stop desk (issue #5
 * item 2; DOMAIN section 1 and decisions 5, 6, 8).
 *
 * Pure rules: no I/O, no clock reads, no allocation, thread-safe.  The
 * caller (the store) loads a dossier, asks dfsm_apply() whether an action
 * is allowed and what it leads to, then persists the new state and the
 * audit event in one transaction.  Everything the machine knows is in
 * four static tables in dossier_fsm.c: states, stages, actions and
 * transitions.
 *
 * States.  Exactly ten, one per national DVCQG status code
 * (`TrangThaiHoSo` 1–10), so a sync to the national portal never loses
 * meaning (decision 8).  The staff label is the national wording; the
 * public label is what a citizen reads at /tra-cuu.
 *
 * Stages.  The national list has no "awaiting the leader's signature", so
 * approval is not an 11th state: it is a stage *inside* processing (4):
 * with_officer → with_leader → approved.  An 11th state would need a
 * lossy many-to-one mapping at the sync boundary, and DVCQG would report
 * 4 anyway; a stage keeps the state set equal to the national set while
 * the desk still sees (and queues by) who holds the dossier.  The stage
 * is DFSM_STAGE_NONE in every other state.
 *
 * Waiting.  waiting_supplement and waiting_payment remember where the
 * dossier came from (resume_state/resume_stage) and go back there when
 * the applicant answers.  A supplement can be asked at intake (state new,
 * clock not started yet — decision 4: it starts when the desk accepts) or
 * during processing (clock paused — decision 5).
 *
 * Clock.  dfsm_apply reports what happens to the legal clock; the store
 * does the arithmetic with core/deadline.h: START (receipt: dl_due),
 * PAUSE (record paused_at), RESUME (dl_resume over the pause, or restart
 * the limit under the agency's restart policy), STOP (record the finish
 * instant; close an open pause).
 */
#ifndef MOTCUA_DOSSIER_FSM_H
#define MOTCUA_DOSSIER_FSM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* In national order; the national number lives in the table, never in
 * arithmetic on these values. */
enum dfsm_state {
	DFSM_S_NEW,                /* 1 Mới đăng ký: submitted, not yet accepted */
	DFSM_S_RECEIVED,           /* 2 Được tiếp nhận: accepted, not yet assigned */
	DFSM_S_REFUSED_AT_INTAKE,  /* 3 Không được tiếp nhận */
	DFSM_S_PROCESSING,         /* 4 Đang xử lý (see the stage) */
	DFSM_S_WAITING_SUPPLEMENT, /* 5 Yêu cầu bổ sung giấy tờ */
	DFSM_S_WAITING_PAYMENT,    /* 6 Yêu cầu thực hiện nghĩa vụ tài chính */
	DFSM_S_WITHDRAWN,          /* 7 Công dân yêu cầu rút hồ sơ */
	DFSM_S_STOPPED,            /* 8 Dừng xử lý (also: refused after processing) */
	DFSM_S_RESULT_READY,       /* 9 Đã xử lý xong */
	DFSM_S_RETURNED,           /* 10 Đã trả kết quả */
	DFSM_NSTATES
};

/* Who holds a dossier in processing. */
enum dfsm_stage {
	DFSM_STAGE_NONE,         /* any state but processing */
	DFSM_STAGE_WITH_OFFICER, /* appraisal by an officer (or a unit) */
	DFSM_STAGE_WITH_LEADER,  /* submitted, awaiting the leader's decision */
	DFSM_STAGE_APPROVED,     /* signed; the result is being issued */
	DFSM_NSTAGES
};

enum dfsm_action {
	DFSM_A_RECEIVE,             /* tiếp nhận */
	DFSM_A_REFUSE_INTAKE,       /* từ chối tiếp nhận (form 03) */
	DFSM_A_ASSIGN,              /* chuyển xử lý: desk → officer or unit */
	DFSM_A_FORWARD,             /* chuyển tiếp: officer/unit → another */
	DFSM_A_SUBMIT_FOR_APPROVAL, /* trình lãnh đạo */
	DFSM_A_SEND_BACK,           /* lãnh đạo trả lại chuyên viên */
	DFSM_A_APPROVE,             /* phê duyệt, ký */
	DFSM_A_REFUSE,              /* từ chối giải quyết (after appraisal) */
	DFSM_A_REQUEST_SUPPLEMENT,  /* yêu cầu bổ sung (form 02) */
	DFSM_A_SUPPLEMENT_RECEIVED, /* đã nhận bổ sung */
	DFSM_A_REQUEST_PAYMENT,     /* yêu cầu thực hiện nghĩa vụ tài chính */
	DFSM_A_PAYMENT_RECEIVED,    /* đã hoàn thành nghĩa vụ tài chính */
	DFSM_A_WITHDRAW,            /* rút hồ sơ theo yêu cầu của người nộp */
	DFSM_A_STOP,                /* dừng xử lý */
	DFSM_A_RESULT_READY,        /* đã có kết quả tại bộ phận một cửa */
	DFSM_A_RETURN,              /* trả kết quả */
	DFSM_A_APOLOGIZE,           /* xin lỗi, hẹn lại ngày trả (form 04) */
	DFSM_NACTIONS
};

/* What an action does to the legal clock (see the file comment). */
enum dfsm_clock {
	DFSM_CLOCK_NONE,
	DFSM_CLOCK_START,
	DFSM_CLOCK_PAUSE,
	DFSM_CLOCK_RESUME,
	DFSM_CLOCK_STOP,
};

/* Return codes of dfsm_apply, in the order the checks run.  Suggested
 * replies: E_INVALID 500 (the stored dossier is inconsistent, or a
 * programming error), E_ACTION 400, E_STATE 409, E_ROLE 403, E_LATE 409,
 * E_REASON 400, E_ARGS 400. */
#define DFSM_OK 0
#define DFSM_E_INVALID (-1) /* NULL pointer, value out of range, inconsistent dossier */
#define DFSM_E_ACTION (-2)  /* unknown action */
#define DFSM_E_STATE (-3)   /* not allowed in the dossier's state and stage */
#define DFSM_E_ROLE (-4)    /* allowed in this state, but not to this role */
#define DFSM_E_LATE (-5)    /* no longer returned: a late apology is taken, marked late */
#define DFSM_E_REASON (-6)  /* a reason is required and is empty or blank */
#define DFSM_E_ARGS (-7)    /* assignee, new date or recipient missing or invalid */

/* The machine's view of a stored dossier. */
struct dfsm_dossier {
	enum dfsm_state state;
	enum dfsm_stage stage;        /* != NONE exactly when processing */
	/* While waiting_*: where the dossier goes back to.  Ignored (write
	 * NULL/NONE) in other states. */
	enum dfsm_state resume_state;
	enum dfsm_stage resume_stage;
	int64_t due;         /* legal due instant (after pauses); 0 before receipt */
	int64_t appointment; /* the date last promised by an apology; 0 = none */
};

/* Optional inputs of an action (NULL = all empty). */
struct dfsm_args {
	const char *reason;       /* note; required by refusals, supplement requests, stop, send_back, apology */
	int64_t assignee;         /* assign/forward: a user id (> 0) ... */
	int64_t unit;             /* ... or a unit id (> 0); at least one */
	int64_t new_date;         /* apologize: the new appointment, after the current promise and after now */
	const char *recipient;    /* return: who collected the result ... */
	const char *recipient_id; /* ... and the ID document number shown */
};

/* What a successful action leads to. */
struct dfsm_result {
	enum dfsm_state state;
	enum dfsm_stage stage;
	enum dfsm_state resume_state; /* meaningful only if state is waiting_* */
	enum dfsm_stage resume_stage;
	enum dfsm_clock clock;
	const char *event; /* audit event name, e.g. "dossier.receive" */
	bool late;         /* an apology recorded after the promised time (sent late) */
};

struct dfsm_state_info {
	const char *code;         /* stable snake_case, e.g. "waiting_supplement" */
	int national;             /* DVCQG TrangThaiHoSo, 1–10 */
	const char *label;        /* staff: the national wording */
	const char *public_label; /* citizens: plain Vietnamese */
	bool terminal;            /* no action leaves it */
	bool clock_paused;        /* waiting on the applicant (decision 5) */
	bool finished;            /* the clock has stopped: timeliness is final */
	bool counts_for_timeliness; /* decision 6: refused and withdrawn excluded */
};

struct dfsm_stage_info {
	const char *code;  /* "", "with_officer", "with_leader", "approved" */
	const char *label; /* staff label, Vietnamese */
};

struct dfsm_action_info {
	const char *name;  /* API name, e.g. "request_supplement" */
	const char *label; /* button label, Vietnamese */
	const char *event; /* audit event, "dossier.<name>" */
};

/* NULL for a value out of range. */
const struct dfsm_state_info *dfsm_state_info(enum dfsm_state s);
const struct dfsm_stage_info *dfsm_stage_info(enum dfsm_stage s);
const struct dfsm_action_info *dfsm_action_info(enum dfsm_action a);

/* DVCQG status code 1–10; 0 for a value out of range. */
int dfsm_national_code(enum dfsm_state s);

/* Lookups by stable code, national number, stage code or API name: 0 and
 * *out set, or -1 (out untouched) for an unknown one or NULL. */
int dfsm_state_from_code(const char *code, enum dfsm_state *out);
int dfsm_state_from_national(int national, enum dfsm_state *out);
int dfsm_stage_from_code(const char *code, enum dfsm_stage *out);
int dfsm_action_from_name(const char *name, enum dfsm_action *out);

/* An apology (form 04) is due until the promised time: due > 0 and
 * now <= due (an instant equal to it is still in time, as in
 * dl_timeliness); one recorded after it is sent late (dfsm_result.late). */
bool dfsm_can_apologize(int64_t now, int64_t due);

/*
 * Checks action `a` on dossier `d` by a user holding the role bits
 * `actor_role` (core/roles.h) at instant `now`, and on success fills
 * *out.  Returns DFSM_OK or the first failing check, in this order:
 * E_INVALID, E_ACTION, E_STATE, E_ROLE, E_REASON, E_ARGS.  Writes
 * nothing but *out, and *out only on success.
 */
int dfsm_apply(const struct dfsm_dossier *d, enum dfsm_action a,
    unsigned actor_role, int64_t now, const struct dfsm_args *args,
    struct dfsm_result *out);

/*
 * The actions `actor_role` may take on `d` at `now` (state, stage, role
 * not the arguments), in enum order, for
 * showing buttons.  Writes at most n into out and returns how many there
 * are (may exceed n); -1 for an inconsistent dossier.
 */
int dfsm_actions_allowed(const struct dfsm_dossier *d, unsigned actor_role,
    int64_t now, enum dfsm_action *out, size_t n);

#endif
