/*
 * case_rules.c — the case types as data (case_rules.h).  Every figure
 * below was read in ../shared/law (khieu-nai.md, to-cao.md,
 * phan-anh-kien-nghi.md, dan-su.md); the citation beside it names the
 * article.  Where a text says "ngày" without "làm việc", the limit is in
 * calendar days, counted by Bộ luật Dân sự 2015, Điều 147–148.
 */
#include <string.h>
#include "core/case_rules.h"
#include "core/roles.h"
#include "core/vntime.h"

#define C ROLE_CLERK
#define O ROLE_OFFICER
#define L ROLE_LEADER
#define B(s) CASE_BIT(CASE_ST_##s)
#define WORK (B(ACCEPTED) | B(VERIFYING) | B(DIALOGUE))

static const struct case_type types[CASE_NKINDS] = {
	[CASE_COMPLAINT_1] = {CASE_COMPLAINT_1, "khieu-nai-1", "Khiếu nại lần đầu", "Khiếu nại", "KN", 1, 0, 0, 1, 1,
	                      1, "Thông báo thụ lý giải quyết khiếu nại",
	                      "Thông báo không thụ lý giải quyết khiếu nại", "Quyết định giải quyết khiếu nại lần đầu",
	                      "Luật Khiếu nại số 02/2011/QH13"},
	[CASE_COMPLAINT_2] = {CASE_COMPLAINT_2, "khieu-nai-2", "Khiếu nại lần hai", "Khiếu nại", "KN", 1, 0, 0, 1, 1, 1,
	                      "Thông báo thụ lý giải quyết khiếu nại", "Thông báo không thụ lý giải quyết khiếu nại",
	                      "Quyết định giải quyết khiếu nại lần hai", "Luật Khiếu nại số 02/2011/QH13"},
	[CASE_DENUNCIATION] = {CASE_DENUNCIATION, "to-cao", "Tố cáo", "Tố cáo", "TC", 1, 0, 1, 1, 0, 2,
	                       "Quyết định thụ lý tố cáo", "Thông báo không thụ lý tố cáo",
	                       "Kết luận nội dung tố cáo", "Luật Tố cáo số 25/2018/QH14"},
	[CASE_PETITION_REG] = {CASE_PETITION_REG, "kien-nghi-qdhc", "Phản ánh, kiến nghị về quy định hành chính",
	                       "Kiến nghị về quy định hành chính", "KQ", 0, 0, 0, 0, 0, 2,
	                       "Thông báo tiếp nhận xử lý phản ánh, kiến nghị",
	                       "Thông báo không tiếp nhận phản ánh, kiến nghị",
	                       "Văn bản trả lời phản ánh, kiến nghị",
	                       "Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 48/2013/NĐ-CP)"},
	[CASE_FEEDBACK] = {CASE_FEEDBACK, "phan-anh", "Phản ánh, kiến nghị", "Phản ánh", "PA", 0, 1, 0, 0, 0, 1,
	                   "Thông báo tiếp nhận xử lý phản ánh, kiến nghị",
	                   "Thông báo không tiếp nhận phản ánh, kiến nghị", "Văn bản trả lời phản ánh, kiến nghị",
	                   "Quy chế tiếp nhận, xử lý phản ánh, kiến nghị của cơ quan"},
	[CASE_SUGGESTION] = {CASE_SUGGESTION, "gop-y", "Góp ý", "Góp ý", "GY", 0, 1, 0, 0, 0, 1,
	                     "Thông báo tiếp nhận góp ý", "Thông báo không tiếp nhận góp ý",
	                     "Văn bản trả lời góp ý", "Quy chế tiếp nhận, xử lý phản ánh, kiến nghị của cơ quan"},
};

static const char NOTE_DAYS[] =
    "Luật ghi “ngày” (không ghi “ngày làm việc”): tính theo ngày, không tính ngày xảy ra sự kiện; "
    "ngày cuối là ngày nghỉ thì kết thúc vào cuối ngày làm việc tiếp theo (Bộ luật Dân sự 2015, Điều 147–148).";
static const char CITE_AGENCY[] =
    "Không có thời hạn luật định: thời hạn do cơ quan quy định (Quy chế tiếp nhận, xử lý phản ánh, kiến nghị)";

static const struct case_limit lim_complaint_1[] = {
	{B(RECEIVED), "Thụ lý hoặc thông báo không thụ lý", CASE_WORKING_DAYS, CASE_FROM_RECEIVED, 10, 0, 0, 0, 0, 0,
	 "Luật Khiếu nại 2011, Điều 27; Thông tư 07/2013/TT-TTCP, Điều 5 khoản 1 (sửa đổi bởi Thông tư 02/2016/TT-TTCP)",
	 "Luật ghi 10 ngày; Thông tư 07/2013/TT-TTCP (sửa đổi) ghi rõ 10 ngày làm việc.", 0},
	{WORK, "Giải quyết khiếu nại lần đầu", CASE_DAYS, CASE_FROM_ACCEPTED, 30, 45, 45, 60, 0, 0,
	 "Luật Khiếu nại 2011, Điều 28", NOTE_DAYS, 0},
	{B(DECIDED), "Gửi quyết định giải quyết khiếu nại", CASE_WORKING_DAYS, CASE_FROM_DECIDED, 3, 0, 0, 0, 0, 0,
	 "Luật Khiếu nại 2011, Điều 32", NULL, 0},
};
static const struct case_limit lim_complaint_2[] = {
	{B(RECEIVED), "Thụ lý hoặc thông báo không thụ lý", CASE_WORKING_DAYS, CASE_FROM_RECEIVED, 10, 0, 0, 0, 0, 0,
	 "Luật Khiếu nại 2011, Điều 36 khoản 1; Thông tư 07/2013/TT-TTCP, Điều 5 khoản 1 (sửa đổi bởi Thông tư "
	 "02/2016/TT-TTCP)",
	 "Luật ghi 10 ngày; Thông tư 07/2013/TT-TTCP (sửa đổi) ghi rõ 10 ngày làm việc.", 0},
	{WORK, "Giải quyết khiếu nại lần hai", CASE_DAYS, CASE_FROM_ACCEPTED, 45, 60, 60, 70, 0, 0,
	 "Luật Khiếu nại 2011, Điều 37", NOTE_DAYS, 0},
	{B(DECIDED), "Gửi quyết định giải quyết khiếu nại", CASE_DAYS, CASE_FROM_DECIDED, 7, 0, 0, 0, 0, 0,
	 "Luật Khiếu nại 2011, Điều 41 khoản 1", NOTE_DAYS, 0},
};
static const struct case_limit lim_denunciation[] = {
	{B(RECEIVED), "Vào sổ, phân loại, kiểm tra điều kiện thụ lý", CASE_WORKING_DAYS, CASE_FROM_RECEIVED, 7, 10, 0,
	 0, 0, 0, "Luật Tố cáo 2018, Điều 24 khoản 1",
	 "Kiểm tra, xác minh tại nhiều địa điểm hoặc phải ủy quyền: có thể kéo dài nhưng không quá 10 ngày làm việc.",
	 0},
	{B(ACCEPTED) | B(VERIFYING), "Giải quyết tố cáo", CASE_DAYS, CASE_FROM_ACCEPTED, 30, 0, 0, 0, 30, 2,
	 "Luật Tố cáo 2018, Điều 30",
	 "Vụ việc phức tạp: gia hạn một lần không quá 30 ngày; đặc biệt phức tạp: hai lần, mỗi lần không quá 30 "
	 "ngày. Tính theo ngày (Bộ luật Dân sự 2015, Điều 147–148).",
	 0},
	{B(DECIDED), "Gửi kết luận nội dung tố cáo", CASE_WORKING_DAYS, CASE_FROM_DECIDED, 5, 0, 0, 0, 0, 0,
	 "Luật Tố cáo 2018, Điều 35 khoản 3",
	 "Công khai kết luận trong 07 ngày làm việc (Luật Tố cáo 2018, Điều 40 khoản 1), không công khai thông tin "
	 "về người tố cáo.",
	 0},
};
static const struct case_limit lim_petition_reg[] = {
	{B(RECEIVED), "Chuyển cơ quan có thẩm quyền hoặc nhận xử lý", CASE_WORKING_DAYS, CASE_FROM_RECEIVED, 5, 0, 0,
	 0, 0, 0, "Nghị định 20/2008/NĐ-CP, Điều 9 khoản 1 điểm d",
	 "Phản ánh, kiến nghị không thuộc thẩm quyền xử lý của cơ quan tiếp nhận: chuyển trong 05 ngày làm việc.", 0},
	{WORK, "Xử lý, trả lời", CASE_WORKING_DAYS, CASE_FROM_ACCEPTED, 0, 0, 0, 0, 0, 0, CITE_AGENCY,
	 "Kết quả xử lý được công khai (Nghị định 20/2008/NĐ-CP, Điều 19).", 1},
};
static const struct case_limit lim_feedback[] = {
	{B(RECEIVED) | WORK, "Xử lý, trả lời", CASE_WORKING_DAYS, CASE_FROM_RECEIVED, 0, 0, 0, 0, 0, 0, CITE_AGENCY,
	 NULL, 1},
};
static const struct case_limit lim_suggestion[] = {
	{B(RECEIVED) | WORK, "Xử lý, trả lời", CASE_WORKING_DAYS, CASE_FROM_RECEIVED, 0, 0, 0, 0, 0, 0, CITE_AGENCY,
	 NULL, 1},
};

static const struct {
	const struct case_limit *l;
	int n;
} limits[CASE_NKINDS] = {
	[CASE_COMPLAINT_1] = {lim_complaint_1, 3},   [CASE_COMPLAINT_2] = {lim_complaint_2, 3},
	[CASE_DENUNCIATION] = {lim_denunciation, 3}, [CASE_PETITION_REG] = {lim_petition_reg, 2},
	[CASE_FEEDBACK] = {lim_feedback, 1},         [CASE_SUGGESTION] = {lim_suggestion, 1},
};

/* ---- stages and actions ------------------------------------------------- */

static const struct {
	const char *code, *label, *label_other; /* label_other: for kinds without formal acceptance */
} stages[CASE_NSTAGES] = {
	[CASE_ST_RECEIVED] = {"received", "Đã tiếp nhận, chờ thụ lý", "Đã tiếp nhận"},
	[CASE_ST_ACCEPTED] = {"accepted", "Đã thụ lý", "Đang xử lý"},
	[CASE_ST_VERIFYING] = {"verifying", "Đang xác minh", "Đang nghiên cứu, xác minh"},
	[CASE_ST_DIALOGUE] = {"dialogue", "Đang đối thoại", "Đang đối thoại"},
	[CASE_ST_DECIDED] = {"decided", "Đã có quyết định, kết luận", "Đã có văn bản trả lời"},
	[CASE_ST_CLOSED] = {"closed", "Đã kết thúc", "Đã kết thúc"},
	[CASE_ST_NOT_ACCEPTED] = {"not_accepted", "Không thụ lý", "Không tiếp nhận"},
	[CASE_ST_FORWARDED] = {"forwarded", "Đã chuyển cơ quan có thẩm quyền", "Đã chuyển cơ quan có thẩm quyền"},
	[CASE_ST_WITHDRAWN] = {"withdrawn", "Đã rút đơn", "Đã rút"},
	[CASE_ST_MERGED] = {"merged", "Trùng đơn, đã gộp", "Trùng, đã gộp"},
};

static const struct {
	const char *code, *label, *label_other;
} actions[CASE_NACTIONS] = {
	[CASE_A_ASSIGN] = {"assign", "Giao người xử lý", "Giao người xử lý"},
	[CASE_A_ACCEPT] = {"accept", "Thụ lý", "Nhận xử lý"},
	[CASE_A_REJECT] = {"reject", "Không thụ lý", "Không tiếp nhận"},
	[CASE_A_FORWARD] = {"forward", "Chuyển cơ quan có thẩm quyền", "Chuyển cơ quan có thẩm quyền"},
	[CASE_A_VERIFY] = {"verify", "Bắt đầu xác minh", "Nghiên cứu, xác minh"},
	[CASE_A_DIALOGUE] = {"dialogue", "Ghi nhận đối thoại", "Ghi nhận đối thoại"},
	[CASE_A_EXTEND] = {"extend", "Gia hạn (vụ việc phức tạp)", "Gia hạn"},
	[CASE_A_DECIDE] = {"decide", "Ban hành quyết định, kết luận", "Ban hành văn bản trả lời"},
	[CASE_A_PUBLISH] = {"publish", "Công khai kết quả", "Công khai trả lời"},
	[CASE_A_CLOSE] = {"close", "Đã gửi, kết thúc", "Đã gửi, kết thúc"},
	[CASE_A_WITHDRAW] = {"withdraw", "Rút đơn theo yêu cầu", "Rút theo yêu cầu"},
	[CASE_A_MERGE] = {"merge", "Gộp vào đơn trùng", "Gộp vào đơn trùng"},
	[CASE_A_NOTE] = {"note", "Ghi chú", "Ghi chú"},
};

/* Transitions: kinds (bit per kind), from-stages, action, to (-1 = same),
 * roles. */
#define K(k) (1u << (k))
#define KN (K(CASE_COMPLAINT_1) | K(CASE_COMPLAINT_2))
#define TC K(CASE_DENUNCIATION)
#define PA (K(CASE_PETITION_REG) | K(CASE_FEEDBACK) | K(CASE_SUGGESTION))
#define ALLK (KN | TC | PA)
#define OPEN (B(RECEIVED) | WORK)
static const struct step {
	unsigned kinds, from;
	enum case_action a;
	int to;
	unsigned roles;
} steps[] = {
	{ALLK, OPEN | B(DECIDED), CASE_A_ASSIGN, -1, C | L},
	{KN | TC, B(RECEIVED), CASE_A_ACCEPT, CASE_ST_ACCEPTED, L},
	{PA, B(RECEIVED), CASE_A_ACCEPT, CASE_ST_ACCEPTED, O | L},
	{KN | TC, B(RECEIVED), CASE_A_REJECT, CASE_ST_NOT_ACCEPTED, L},
	{PA, B(RECEIVED), CASE_A_REJECT, CASE_ST_NOT_ACCEPTED, O | L},
	{ALLK, B(RECEIVED), CASE_A_FORWARD, CASE_ST_FORWARDED, C | O | L},
	{ALLK, B(ACCEPTED), CASE_A_VERIFY, CASE_ST_VERIFYING, O | L},
	{KN, B(VERIFYING) | B(DIALOGUE), CASE_A_DIALOGUE, CASE_ST_DIALOGUE, O | L},
	{KN, WORK, CASE_A_EXTEND, -1, L},
	{TC, B(RECEIVED) | B(ACCEPTED) | B(VERIFYING), CASE_A_EXTEND, -1, L},
	{KN | TC | K(CASE_PETITION_REG), WORK, CASE_A_DECIDE, CASE_ST_DECIDED, L},
	{K(CASE_FEEDBACK) | K(CASE_SUGGESTION), OPEN, CASE_A_DECIDE, CASE_ST_DECIDED, O | L},
	{ALLK, B(DECIDED) | B(CLOSED), CASE_A_PUBLISH, -1, O | L},
	{ALLK, B(DECIDED), CASE_A_CLOSE, CASE_ST_CLOSED, C | O | L},
	{ALLK, OPEN, CASE_A_WITHDRAW, CASE_ST_WITHDRAWN, C | O | L},
	{ALLK, B(RECEIVED), CASE_A_MERGE, CASE_ST_MERGED, C | O | L},
	{ALLK, ~0u, CASE_A_NOTE, -1, C | O | L},
};

const struct case_type *
case_type_of(enum case_kind k)
{
	return (unsigned)k < CASE_NKINDS ? &types[k] : NULL;
}

const struct case_type *
case_type_by_code(const char *code)
{
	for (int k = 0; code && k < CASE_NKINDS; k++)
		if (!strcmp(types[k].code, code))
			return &types[k];
	return NULL;
}

const struct case_limit *
case_limits(enum case_kind k, int *n)
{
	if ((unsigned)k >= CASE_NKINDS) {
		*n = 0;
		return NULL;
	}
	*n = limits[k].n;
	return limits[k].l;
}

const struct case_limit *
case_limit_at(enum case_kind k, enum case_stage s)
{
	int n;
	const struct case_limit *l = case_limits(k, &n);
	for (int i = 0; i < n; i++)
		if (l[i].stages & CASE_BIT(s))
			return &l[i];
	return NULL;
}

const struct case_limit *
case_limit_all(int i, int *n)
{
	int total = 0;
	const struct case_limit *found = NULL;
	for (int k = 0; k < CASE_NKINDS; k++) {
		if (i >= total && i < total + limits[k].n)
			found = &limits[k].l[i - total];
		total += limits[k].n;
	}
	*n = total;
	return found;
}

const char *
case_stage_code(enum case_stage s)
{
	return (unsigned)s < CASE_NSTAGES ? stages[s].code : "";
}

const char *
case_stage_label(enum case_kind k, enum case_stage s)
{
	if ((unsigned)s >= CASE_NSTAGES)
		return "";
	const struct case_type *t = case_type_of(k);
	return t && t->has_acceptance ? stages[s].label : stages[s].label_other;
}

int
case_stage_from_code(const char *code, enum case_stage *out)
{
	for (int s = 0; code && s < CASE_NSTAGES; s++)
		if (!strcmp(stages[s].code, code)) {
			*out = (enum case_stage)s;
			return 0;
		}
	return -1;
}

int
case_stage_final(enum case_stage s)
{
	return s == CASE_ST_CLOSED || s == CASE_ST_NOT_ACCEPTED || s == CASE_ST_FORWARDED ||
	       s == CASE_ST_WITHDRAWN || s == CASE_ST_MERGED;
}

const char *
case_action_code(enum case_action a)
{
	return (unsigned)a < CASE_NACTIONS ? actions[a].code : "";
}

const char *
case_action_label(enum case_kind k, enum case_action a)
{
	if ((unsigned)a >= CASE_NACTIONS)
		return "";
	const struct case_type *t = case_type_of(k);
	return t && t->has_acceptance ? actions[a].label : actions[a].label_other;
}

int
case_action_from_code(const char *code, enum case_action *out)
{
	for (int a = 0; code && a < CASE_NACTIONS; a++)
		if (!strcmp(actions[a].code, code)) {
			*out = (enum case_action)a;
			return 0;
		}
	return -1;
}

int
case_step(enum case_kind k, enum case_stage s, enum case_action a, unsigned role, enum case_stage *to)
{
	if ((unsigned)k >= CASE_NKINDS || (unsigned)s >= CASE_NSTAGES)
		return -1;
	int found = -1;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		const struct step *st = &steps[i];
		if (st->a != a || !(st->kinds & K(k)) || !(st->from & CASE_BIT(s)))
			continue;
		if (!(st->roles & role)) {
			found = -2;
			continue;
		}
		if (to)
			*to = st->to < 0 ? s : (enum case_stage)st->to;
		return 0;
	}
	return found;
}

/* ---- due dates ---------------------------------------------------------- */

int
case_due_day(const struct case_limit *l, const struct cal *c, cal_day from, int remote, int longer,
             int extensions, int agency_days, cal_day *out)
{
	int days = l->agency_set ? agency_days : l->days;
	if (remote && l->days_remote)
		days = l->days_remote;
	if (longer && l->complex_days)
		days = remote && l->complex_days_remote ? l->complex_days_remote : l->complex_days;
	if (l->ext_days && extensions > 0)
		days += l->ext_days * (extensions > l->ext_max ? l->ext_max : extensions);
	if (days <= 0)
		return -1;
	if (l->unit == CASE_WORKING_DAYS)
		return cal_nth_working_after(c, from, days, out);
	/* Điều 147: the event's day is not counted; Điều 148 khoản 5: a last
	 * day off moves the end to the next working day. */
	cal_day last = from + days;
	if (cal_is_working(c, last) == 1) {
		*out = last;
		return 0;
	}
	return cal_next_working(c, last, out);
}

int
case_due(const struct case_limit *l, const struct cal *c, const struct case_clock *k, int64_t *due)
{
	int64_t start = l->from == CASE_FROM_RECEIVED ? k->received_at
	                : l->from == CASE_FROM_ACCEPTED ? k->accepted_at
	                                                : k->decided_at;
	*due = 0;
	if (!start)
		return 0;
	int longer = (l->stages & CASE_BIT(CASE_ST_RECEIVED)) && l->from == CASE_FROM_RECEIVED ? k->intake_ext
	                                                                                      : k->complexity > 0;
	cal_day last;
	if (case_due_day(l, c, vn_day(start), k->remote, longer, k->extensions, k->agency_days, &last))
		return l->agency_set && k->agency_days <= 0 ? 0 : -1;
	*due = vn_instant(last + 1, 0); /* Điều 148 khoản 6: the last day ends at 24:00 */
	return 0;
}

enum case_ext
case_extension(enum case_kind k, enum case_stage s, const struct case_clock *ck, int complexity)
{
	const struct case_limit *l = case_limit_at(k, s);
	if (!l || l->agency_set)
		return CASE_EXT_NO;
	int intake = (l->stages & CASE_BIT(CASE_ST_RECEIVED)) && l->from == CASE_FROM_RECEIVED;
	if (l->ext_days) {
		if (ck->extensions >= l->ext_max || complexity < ck->extensions + 1)
			return CASE_EXT_NO;
		return CASE_EXT_ADD;
	}
	if (!l->complex_days)
		return CASE_EXT_NO;
	if (intake ? ck->intake_ext : ck->complexity > 0)
		return CASE_EXT_NO;
	return CASE_EXT_LONGER;
}
