/*
 * case_rules.h — complaints, denunciations, petitions and feedback as data
 * (issue #14 item 1).  Pure rules: no I/O, no clock reads.
 *
 * A case type is a row set in case_rules.c: the stages it passes, the
 * actions allowed at each stage and to which roles, the documents an
 * action issues, and the legal time limits of each stage with the
 * article they come from.  Every figure carries its citation; a unit
 * test refuses a limit without one.
 *
 * Counting (Bộ luật Dân sự 2015, Điều 147–148): the day of the event is
 * not counted; a limit in days ends at 24:00 of its last day; when a
 * limit in (calendar) days ends on a weekend or holiday it ends at the
 * end of the next working day.  Limits in working days count only the
 * legal calendar's working days.
 */
#ifndef MOTCUA_CASE_RULES_H
#define MOTCUA_CASE_RULES_H
#include <stdint.h>
#include "core/calendar.h"

enum case_kind {
	CASE_COMPLAINT_1,   /* khiếu nại lần đầu */
	CASE_COMPLAINT_2,   /* khiếu nại lần hai */
	CASE_DENUNCIATION,  /* tố cáo */
	CASE_PETITION_REG,  /* phản ánh, kiến nghị về quy định hành chính (NĐ 20/2008) */
	CASE_FEEDBACK,      /* phản ánh, kiến nghị khác (hạ tầng, môi trường, phục vụ…) */
	CASE_SUGGESTION,    /* góp ý */
	CASE_NKINDS
};

enum case_stage {
	CASE_ST_RECEIVED,     /* đã tiếp nhận, vào sổ: classification / acceptance pending */
	CASE_ST_ACCEPTED,     /* đã thụ lý (complaint, denunciation) / đang xử lý (others) */
	CASE_ST_VERIFYING,    /* đang xác minh */
	CASE_ST_DIALOGUE,     /* đối thoại (complaints) */
	CASE_ST_DECIDED,      /* đã có quyết định / kết luận / trả lời: to send, publish */
	CASE_ST_CLOSED,       /* kết thúc: sent (and published where required) */
	CASE_ST_NOT_ACCEPTED, /* không thụ lý (with reasons) */
	CASE_ST_FORWARDED,    /* chuyển cơ quan có thẩm quyền */
	CASE_ST_WITHDRAWN,    /* người gửi rút đơn */
	CASE_ST_MERGED,       /* trùng đơn: gộp vào đơn trước */
	CASE_NSTAGES
};

enum case_action {
	CASE_A_ASSIGN,     /* giao người xử lý (and the deciding leader) */
	CASE_A_ACCEPT,     /* thụ lý / nhận xử lý */
	CASE_A_REJECT,     /* không thụ lý, with reasons */
	CASE_A_FORWARD,    /* chuyển đơn đến cơ quan có thẩm quyền */
	CASE_A_VERIFY,     /* bắt đầu xác minh */
	CASE_A_DIALOGUE,   /* ghi nhận buổi đối thoại */
	CASE_A_EXTEND,     /* gia hạn / vụ việc phức tạp */
	CASE_A_DECIDE,     /* quyết định giải quyết / kết luận / trả lời */
	CASE_A_PUBLISH,    /* công khai kết quả (without personal data) */
	CASE_A_CLOSE,      /* đã gửi, kết thúc */
	CASE_A_WITHDRAW,   /* rút đơn theo yêu cầu của người gửi */
	CASE_A_MERGE,      /* gộp vào đơn trùng */
	CASE_A_NOTE,       /* ghi chú vào hồ sơ (no change of stage) */
	CASE_NACTIONS
};

enum case_unit { CASE_DAYS, CASE_WORKING_DAYS };

/* Which instant a limit counts from. */
enum case_from { CASE_FROM_RECEIVED, CASE_FROM_ACCEPTED, CASE_FROM_DECIDED };

/* One legal time limit.  days: ordinary; complex_days: when the case is
 * complex (0 = the law has no longer limit; for denunciations the
 * extension mechanism below applies instead); *_remote: in a remote area
 * ("vùng sâu, vùng xa đi lại khó khăn"; 0 = same as ordinary).
 * ext_days/ext_max: the law allows extending up to ext_max times by at
 * most ext_days each (denunciations). */
#define CASE_BIT(s) (1u << (s))
struct case_limit {
	unsigned stages;           /* CASE_BIT of the stages it runs in */
	const char *what;          /* Vietnamese: "Thụ lý", "Giải quyết", … */
	enum case_unit unit;
	enum case_from from;
	int days, complex_days;
	int days_remote, complex_days_remote;
	int ext_days, ext_max;
	const char *cite;          /* "Luật Khiếu nại 2011, Điều 28" — never empty */
	const char *note;          /* how it was read (unit, which text), may be NULL */
	int agency_set;            /* no legal figure: the agency's own target (case_clock.agency_days) */
};

struct case_type {
	enum case_kind kind;
	const char *code;          /* "khieu-nai-1" … (URLs, API, store) */
	const char *label;         /* "Khiếu nại lần đầu" */
	const char *short_label;   /* "Khiếu nại" */
	const char *prefix;        /* case code prefix: "KN", "TC", "KNQD", "PA", "GY" */
	int identity_required;     /* name, address and a contact are required */
	int anonymous_allowed;
	int confidential_party;    /* the sender's identity is protected (Luật Tố cáo 2018, Điều 47–48) */
	int has_acceptance;        /* a formal acceptance decision/notice (thụ lý) */
	int has_dialogue;          /* dialogue is part of the procedure */
	int public_result;         /* 0 never, 1 when the handler decides, 2 the law requires it before closing */
	const char *accept_doc, *reject_doc, *decide_doc; /* names of the issued documents */
	const char *cite;          /* the law that governs the type */
};

const struct case_type *case_type_of(enum case_kind k);
const struct case_type *case_type_by_code(const char *code);
/* The limits of a kind (count in *n). */
const struct case_limit *case_limits(enum case_kind k, int *n);
/* The limit running in stage s for kind k, or NULL. */
const struct case_limit *case_limit_at(enum case_kind k, enum case_stage s);
/* Every limit of every kind, for the citation test (count in *n). */
const struct case_limit *case_limit_all(int i, int *n);

const char *case_stage_code(enum case_stage s);
const char *case_stage_label(enum case_kind k, enum case_stage s);
int case_stage_from_code(const char *code, enum case_stage *out);
int case_stage_final(enum case_stage s);
const char *case_action_code(enum case_action a);
const char *case_action_label(enum case_kind k, enum case_action a);
int case_action_from_code(const char *code, enum case_action *out);

/* Whether action a is allowed at stage s of kind k, and by which roles
 * (core/roles.h bits).  Returns the next stage in *to (= s when the
 * stage does not change).  0 ok, -1 not at this stage (or not for this
 * kind), -2 not for this role. */
int case_step(enum case_kind k, enum case_stage s, enum case_action a, unsigned role,
              enum case_stage *to);

/* The facts a due date depends on. */
struct case_clock {
	int64_t received_at, accepted_at, decided_at; /* instants (UTC s); 0 = not yet */
	int remote;        /* remote area */
	int complexity;    /* 0 ordinary, 1 complex, 2 very complex */
	int extensions;    /* extensions granted (ext_days each) */
	int intake_ext;    /* the intake limit was extended (denunciation: checks at many places) */
	int agency_days;   /* the agency's own target in working days, for limits without a legal figure */
};

/* The instant a limit ends (24:00 local of its last day, rolled past
 * days off for calendar-day limits), 0 when its start has not happened,
 * -1 when the calendar does not cover the dates. */
int case_due(const struct case_limit *l, const struct cal *c, const struct case_clock *k, int64_t *due);
/* The last day of a limit from day `from` (the day of the event); longer:
 * use the complex-case limit. */
int case_due_day(const struct case_limit *l, const struct cal *c, cal_day from, int remote, int longer,
                 int extensions, int agency_days, cal_day *out);
/* What an extension does to the limit running at stage s, given the
 * case's facts: CASE_EXT_LONGER (switch to the complex-case limit),
 * CASE_EXT_ADD (one more extension of ext_days), or CASE_EXT_NO (no limit
 * runs, none is extensible, or the law's maximum is reached; for
 * CASE_EXT_ADD the complexity level must reach extensions+1: once for a
 * complex case, twice for a very complex one). */
enum case_ext { CASE_EXT_NO, CASE_EXT_LONGER, CASE_EXT_ADD };
enum case_ext case_extension(enum case_kind k, enum case_stage s, const struct case_clock *ck, int complexity);

#endif
