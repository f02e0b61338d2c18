/*
 * cases.c — the case engine (cases.h): submission from every channel,
 * staff actions on the legal clock, the sender's protected identity, the
 * public view, statistics.
 */
#include <assert.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/calendar.h"
#include "app/cases.h"
#include "core/ident.h"
#include "core/roles.h"
#include "core/sniff.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/vntime.h"
#include "store/cases.h"

#define STAFF_READ (ROLE_CLERK | ROLE_OFFICER | ROLE_LEADER | ROLE_VIEWER)
#define STAFF_ACT (ROLE_CLERK | ROLE_OFFICER | ROLE_LEADER)
#define FEEDBACK_KINDS "phan-anh,kien-nghi-qdhc,gop-y"
#define DEF_ANSWER_DAYS 15 /* the 766 index's feedback rule [I] (REFORM.md, 5.2): handled within 15 working days */
#define FILE_MAX (10 * 1024 * 1024)

static const char *const channel_codes[] = {"desk", "post", "online", "api", "open311"};
static const char *const channel_labels[] = {"Tại Bộ phận tiếp nhận", "Qua bưu chính", "Trực tuyến",
                                             "Qua giao diện lập trình (API)", "Qua Open311"};

const char *
app_case_channel_code(enum app_case_channel ch)
{
	return (unsigned)ch < 5 ? channel_codes[ch] : "";
}

const char *
app_case_channel_label(enum app_case_channel ch)
{
	return (unsigned)ch < 5 ? channel_labels[ch] : "";
}

int
app_case_channel_from_code(const char *code, enum app_case_channel *out)
{
	for (int i = 0; code && i < 5; i++)
		if (!strcmp(channel_codes[i], code)) {
			*out = (enum app_case_channel)i;
			return 0;
		}
	return -1;
}

/* ---- settings ------------------------------------------------------------ */

int
app_case_answer_days(struct app *a)
{
	char v[16];
	if (store_case_setting(a->st, "cases.answer_days", v, sizeof v) == ERR_OK) {
		int d = atoi(v);
		if (d >= 1 && d <= 90)
			return d;
	}
	return DEF_ANSWER_DAYS;
}

int
app_case_remote_area(struct app *a)
{
	char v[16];
	return store_case_setting(a->st, "cases.remote_area", v, sizeof v) == ERR_OK && !strcmp(v, "1");
}

enum err
app_case_settings_set(struct app *a, const struct actor *ac, int answer_days, int remote_area, struct app_fail *f)
{
	if (!ac || !(ac->role & ROLE_ADMIN))
		return ERR_FORBIDDEN;
	if (answer_days < 1 || answer_days > 90)
		return app_fail(f, ERR_OUT_OF_RANGE, "answer_days", "Thời hạn trả lời từ 1 đến 90 ngày làm việc.");
	char v[16];
	snprintf(v, sizeof v, "%d", answer_days);
	enum err e = store_case_setting_set(a->st, ac->name, "cases.answer_days", v);
	return e ? e : store_case_setting_set(a->st, ac->name, "cases.remote_area", remote_area ? "1" : "0");
}

/* ---- helpers ------------------------------------------------------------- */

/* Trimmed copy of s into out (n bytes); 0, or -1 when it does not fit. */
static int
trimmed(const char *s, char *out, size_t n)
{
	size_t k;
	const char *p = text_trim(s ? s : "", strlen(s ? s : ""), &k);
	if (k >= n)
		return -1;
	memcpy(out, p, k);
	out[k] = '\0';
	return 0;
}

/* A text of 1..max characters (after trimming) into a malloc'd copy. */
static char *
text_in(const char *s, size_t max, int required)
{
	size_t k;
	const char *p = text_trim(s ? s : "", strlen(s ? s : ""), &k);
	if ((required && !k) || text_length(p, k) > max)
		return NULL;
	char *o = malloc(k + 1);
	if (o) {
		memcpy(o, p, k);
		o[k] = '\0';
	}
	return o;
}

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

static enum case_kind
kind_of(const char *code)
{
	const struct case_type *t = case_type_by_code(code);
	return t ? t->kind : CASE_FEEDBACK;
}

static enum case_stage
stage_of(const char *code)
{
	enum case_stage s = CASE_ST_RECEIVED;
	case_stage_from_code(code, &s);
	return s;
}

static struct case_clock
clock_of(struct app *a, const struct store_case *c)
{
	struct case_clock k = {c->received_at, c->accepted_at, c->decided_at, c->remote, c->complexity,
	                       c->extensions,  c->intake_ext,  app_case_answer_days(a)};
	return k;
}

/* The limit running at stage s (0 = none). */
static int64_t
due_at_stage(struct app *a, enum case_kind kind, enum case_stage s, const struct case_clock *k)
{
	const struct case_limit *l = case_limit_at(kind, s);
	if (!l)
		return 0;
	struct calsnap *cs = cal_acquire(a);
	int64_t due = 0;
	if (cs) {
		if (case_due(l, &cs->cal, k, &due) != 0)
			due = 0;
		cal_release(a, cs);
	}
	return due;
}

static void
to_app(const struct store_case *s, struct app_case *o)
{
	memset(o, 0, sizeof *o);
	o->id = s->id;
	snprintf(o->code, sizeof o->code, "%s", s->code);
	o->kind = kind_of(s->kind);
	o->stage = stage_of(s->stage);
	app_case_channel_from_code(s->channel, &o->channel);
	snprintf(o->category, sizeof o->category, "%s", s->category);
	snprintf(o->category_name, sizeof o->category_name, "%s", s->category_name);
	snprintf(o->subject, sizeof o->subject, "%s", s->subject);
	snprintf(o->respondent, sizeof o->respondent, "%s", s->respondent);
	snprintf(o->papers, sizeof o->papers, "%s", s->papers);
	snprintf(o->address, sizeof o->address, "%s", s->address);
	o->has_location = s->has_location;
	o->lat = s->lat;
	o->lon = s->lon;
	o->anonymous = s->anonymous;
	o->remote = s->remote;
	o->complexity = s->complexity;
	o->extensions = s->extensions;
	o->intake_ext = s->intake_ext;
	o->received_at = s->received_at;
	o->accepted_at = s->accepted_at;
	o->decided_at = s->decided_at;
	o->closed_at = s->closed_at;
	o->due_at = s->due_at;
	o->resolve_due = s->resolve_due;
	o->overdue = s->due_at && s->due_at < now_s() && !case_stage_final(o->stage);
	o->handler_id = s->handler_id;
	o->decider_id = s->decider_id;
	snprintf(o->handler_name, sizeof o->handler_name, "%s", s->handler_name);
	snprintf(o->decider_name, sizeof o->decider_name, "%s", s->decider_name);
	snprintf(o->unit, sizeof o->unit, "%s", s->unit);
	snprintf(o->duplicate_of, sizeof o->duplicate_of, "%s", s->duplicate_of);
	snprintf(o->parent, sizeof o->parent, "%s", s->parent);
	snprintf(o->forwarded_to, sizeof o->forwarded_to, "%s", s->forwarded_to);
	snprintf(o->reason, sizeof o->reason, "%s", s->reason);
	snprintf(o->decision_no, sizeof o->decision_no, "%s", s->decision_no);
	snprintf(o->verdict, sizeof o->verdict, "%s", s->verdict);
	o->published_at = s->published_at;
	o->finished_late = s->finished_late;
	snprintf(o->token, sizeof o->token, "%s", s->token);
	snprintf(o->source, sizeof o->source, "%s", s->source);
	o->updated_at = s->updated_at;
	o->version = s->version;
	o->linked = s->linked;
}

void
app_case_free(struct app_case *c)
{
	free(c->content);
	free(c->decision_text);
	free(c->public_answer);
	c->content = c->decision_text = c->public_answer = NULL;
}

static void
to_row(const struct store_case *s, struct app_case_row *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->code, sizeof r->code, "%s", s->code);
	r->kind = kind_of(s->kind);
	r->stage = stage_of(s->stage);
	app_case_channel_from_code(s->channel, &r->channel);
	snprintf(r->category, sizeof r->category, "%s", s->category);
	snprintf(r->subject, sizeof r->subject, "%s", s->subject);
	r->received_at = s->received_at;
	r->due_at = s->due_at;
	r->updated_at = s->updated_at;
	r->overdue = s->due_at && s->due_at < now_s() && !case_stage_final(r->stage);
	snprintf(r->handler_name, sizeof r->handler_name, "%s", s->handler_name);
}

/* A citizen's own case (a denouncer's link is sealed: the store checks it). */
static int
owner(struct app *a, const struct actor *ac, const struct store_case *c)
{
	return ac && ac->role == ROLE_CITIZEN && ac->user_id && store_case_owned_by(a->st, c, ac->user_id);
}

/* ---- submission ----------------------------------------------------------- */

static enum err
check_party(const struct case_type *t, const struct app_case_party *in, struct store_case_party *p,
            struct app_fail *f)
{
	memset(p, 0, sizeof *p);
	if (trimmed(in->name, p->name, sizeof p->name) || text_length(p->name, strlen(p->name)) > 100)
		return app_fail(f, ERR_INVALID_FIELD, "party.name", "Họ và tên tối đa 100 ký tự.");
	if (trimmed(in->address, p->address, sizeof p->address))
		return app_fail(f, ERR_INVALID_FIELD, "party.address", "Địa chỉ tối đa 300 ký tự.");
	if (trimmed(in->email, p->email, sizeof p->email) || (p->email[0] && !validate_email(p->email)))
		return app_fail(f, ERR_INVALID_FIELD, "party.email", "Địa chỉ thư điện tử không hợp lệ.");
	char raw[40];
	if (trimmed(in->phone, raw, sizeof raw))
		return app_fail(f, ERR_BAD_PHONE, "party.phone", "Số điện thoại không hợp lệ.");
	if (raw[0] && ident_phone_normalize(raw, p->phone, sizeof p->phone) != IDENT_OK)
		return app_fail(f, ERR_BAD_PHONE, "party.phone",
		                "Số điện thoại không hợp lệ (ví dụ: 0912 345 678).");
	if (trimmed(in->id_number, p->id_number, sizeof p->id_number))
		return app_fail(f, ERR_BAD_ID_NUMBER, "party.id_number", "Số định danh cá nhân gồm 12 chữ số.");
	char why[160];
	if (p->id_number[0] && ident_pid_check(p->id_number, 0, 0, why, sizeof why) != IDENT_OK)
		return app_fail(f, ERR_BAD_ID_NUMBER, "party.id_number", "Số định danh cá nhân không hợp lệ (12 chữ số).");
	if (t->identity_required) {
		if (!p->name[0])
			return app_fail(f, ERR_MISSING_FIELD, "party.name",
			                "Đơn khiếu nại, tố cáo phải ghi rõ họ và tên người gửi.");
		if (!p->address[0])
			return app_fail(f, ERR_MISSING_FIELD, "party.address",
			                "Đơn khiếu nại, tố cáo phải ghi rõ địa chỉ người gửi.");
		if (!p->phone[0] && !p->email[0])
			return app_fail(f, ERR_MISSING_FIELD, "party.phone",
			                "Vui lòng ghi số điện thoại hoặc thư điện tử để cơ quan liên hệ, thông báo kết quả.");
	}
	snprintf(p->match_key, sizeof p->match_key, "%s", p->id_number[0] ? p->id_number : p->phone);
	return ERR_OK;
}

/* The category and its required questions; attrs checked against the
 * list types' keys. */
static enum err
check_category(struct app *a, const struct app_case_in *in, struct app_fail *f)
{
	if (!in->category || !*in->category) {
		if (in->channel == APP_CASE_OPEN311)
			return app_fail(f, ERR_MISSING_FIELD, "service_code", "Thiếu lĩnh vực phản ánh (service_code).");
		if (in->nattrs)
			return app_fail(f, ERR_INVALID_FIELD, "attribute", "Câu hỏi bổ sung cần có lĩnh vực phản ánh.");
		return ERR_OK;
	}
	struct app_case_category k;
	enum err e = app_case_category(a, in->category, &k);
	if (e == ERR_NOT_FOUND)
		return app_fail(f, ERR_NOT_FOUND, "service_code", "Không có lĩnh vực phản ánh này.");
	if (e)
		return e;
	if (in->nattrs > APP_CASE_ATTRS)
		return app_fail(f, ERR_INVALID_FIELD, "attribute", "Quá nhiều câu trả lời bổ sung.");
	for (size_t i = 0; i < in->nattrs; i++) {
		int found = -1;
		for (int j = 0; j < k.nattrs; j++)
			if (in->attrs[i].code && !strcmp(k.attrs[j].code, in->attrs[i].code))
				found = j;
		if (found < 0)
			return app_fail(f, ERR_INVALID_FIELD, "attribute", "Câu hỏi bổ sung không thuộc lĩnh vực này.");
		const char *v = in->attrs[i].value ? in->attrs[i].value : "";
		if (text_length(v, strlen(v)) > 500)
			return app_fail(f, ERR_INVALID_FIELD, "attribute", "Câu trả lời bổ sung tối đa 500 ký tự.");
		if (k.attrs[found].nvals) {
			/* every value (one per line for a multivaluelist) must be a key */
			const char *p = v;
			int count = 0;
			while (*p) {
				size_t len = strcspn(p, "\n");
				int ok = 0;
				for (int m = 0; m < k.attrs[found].nvals; m++)
					if (strlen(k.attrs[found].vals[m].key) == len &&
					    !strncmp(k.attrs[found].vals[m].key, p, len))
						ok = 1;
				if (!ok)
					return app_fail(f, ERR_INVALID_FIELD, "attribute",
					                "Giá trị trả lời không có trong danh sách lựa chọn.");
				count++;
				p += len;
				if (*p)
					p++;
			}
			if (count > 1 && strcmp(k.attrs[found].datatype, "multivaluelist") != 0)
				return app_fail(f, ERR_INVALID_FIELD, "attribute", "Câu hỏi này chỉ chọn một giá trị.");
		}
	}
	for (int j = 0; j < k.nattrs; j++) {
		if (!k.attrs[j].required)
			continue;
		int have = 0;
		for (size_t i = 0; i < in->nattrs; i++)
			if (in->attrs[i].code && !strcmp(k.attrs[j].code, in->attrs[i].code) && in->attrs[i].value &&
			    *in->attrs[i].value)
				have = 1;
		if (!have) {
			char msg[300];
			snprintf(msg, sizeof msg, "Vui lòng trả lời: %s.", k.attrs[j].description);
			return app_fail(f, ERR_MISSING_FIELD, "attribute", msg);
		}
	}
	return ERR_OK;
}

static int
may_submit(const struct actor *ac, enum app_case_channel ch)
{
	switch (ch) {
	case APP_CASE_DESK:
	case APP_CASE_POST:
		return ac && (ac->role & STAFF_ACT);
	case APP_CASE_ONLINE:
		return 1;
	case APP_CASE_API:
	case APP_CASE_OPEN311:
		return 1; /* the face vouched for the client (a key, a session) */
	}
	return 0;
}

static const char *
actor_label(const struct actor *ac)
{
	if (!ac || !ac->user_id || ac->role == ROLE_CITIZEN || ac->role == ROLE_PUBLIC)
		return "Người gửi";
	return ac->name;
}

struct stored_files {
	struct store_case_file_in f[APP_CASE_FILES];
	char sha[APP_CASE_FILES][65];
	char name[APP_CASE_FILES][200];
	size_t n;
};

static enum err
put_files(struct app *a, const struct app_case_file_in *in, size_t n, struct stored_files *out, struct app_fail *f)
{
	if (n > APP_CASE_FILES)
		return app_fail(f, ERR_INVALID_FIELD, "files", "Tối đa 10 tệp đính kèm.");
	for (size_t i = 0; i < n; i++) {
		if (!in[i].len)
			continue;
		if (in[i].len > FILE_MAX)
			return app_fail(f, ERR_INVALID_FIELD, "files", "Mỗi tệp đính kèm tối đa 10 MB.");
		const char *mime = sniff_mime(in[i].data, in[i].len);
		if (!mime || !strcmp(mime, "image/webp"))
			return app_fail(f, ERR_UNSUPPORTED_MEDIA, "files", "Chỉ nhận tệp PDF, JPEG hoặc PNG.");
		size_t j = out->n;
		enum err e = store_file_put(a->st, in[i].data, in[i].len, out->sha[j]);
		if (e)
			return e;
		const char *base = in[i].name && *in[i].name ? in[i].name : "tep-dinh-kem";
		for (const char *p = base; *p; p++)
			if (*p == '/' || *p == '\\')
				base = p + 1;
		size_t k = text_utf8_prefix(base, strlen(base), 190);
		snprintf(out->name[j], sizeof out->name[j], "%.*s", (int)k, base);
		if (!out->name[j][0])
			snprintf(out->name[j], sizeof out->name[j], "tep-dinh-kem");
		out->f[j] = (struct store_case_file_in){out->sha[j], out->name[j], mime, (int64_t)in[i].len};
		out->n++;
	}
	return ERR_OK;
}

enum err
app_case_submit(struct app *a, const struct actor *ac, const struct app_case_in *in, struct app_case_brief *out,
                struct app_fail *f)
{
	assert(a && in && out);
	memset(out, 0, sizeof *out);
	const struct case_type *t = case_type_of(in->kind);
	if (!t)
		return app_fail(f, ERR_INVALID_FIELD, "kind", "Loại đơn không hợp lệ.");
	if ((unsigned)in->channel > APP_CASE_OPEN311)
		return app_fail(f, ERR_INVALID_FIELD, "channel", "Kênh tiếp nhận không hợp lệ.");
	if (!may_submit(ac, in->channel))
		return ERR_FORBIDDEN;
	if ((in->channel == APP_CASE_API || in->channel == APP_CASE_OPEN311) && in->kind != CASE_FEEDBACK &&
	    in->kind != CASE_PETITION_REG && in->kind != CASE_SUGGESTION)
		return app_fail(f, ERR_INVALID_FIELD, "kind",
		                "Khiếu nại, tố cáo được nhận tại Bộ phận tiếp nhận, qua bưu chính hoặc trực tuyến có xác "
		                "thực người gửi.");
	char *subject = text_in(in->subject, APP_CASE_SUBJECT_MAX, 1);
	char *content = text_in(in->content, APP_CASE_CONTENT_MAX, 1);
	char *respondent = text_in(in->respondent, 300, 0);
	char *papers = text_in(in->papers, 1000, 0);
	char *address = text_in(in->address, 300, 0);
	enum err e = ERR_OK;
	if (!subject)
		e = app_fail(f, ERR_MISSING_FIELD, "subject", "Vui lòng ghi tiêu đề (tối đa 200 ký tự).");
	else if (!content)
		e = app_fail(f, ERR_MISSING_FIELD, "content", "Vui lòng ghi nội dung (tối đa 8.000 ký tự).");
	else if (!respondent)
		e = app_fail(f, ERR_INVALID_FIELD, "respondent", "Người, quyết định bị khiếu nại, tố cáo tối đa 300 ký tự.");
	else if (!papers)
		e = app_fail(f, ERR_INVALID_FIELD, "papers", "Danh mục giấy tờ tối đa 1.000 ký tự.");
	else if (!address)
		e = app_fail(f, ERR_INVALID_FIELD, "address", "Địa chỉ nơi xảy ra vụ việc tối đa 300 ký tự.");
	else if ((in->kind == CASE_COMPLAINT_1 || in->kind == CASE_COMPLAINT_2 || in->kind == CASE_DENUNCIATION) &&
	         !respondent[0])
		e = app_fail(f, ERR_MISSING_FIELD, "respondent",
		             in->kind == CASE_DENUNCIATION
		                 ? "Vui lòng ghi người bị tố cáo (họ tên, chức vụ, nơi công tác)."
		                 : "Vui lòng ghi quyết định hành chính, hành vi hành chính bị khiếu nại và người ban hành.");
	else if (in->anonymous && !t->anonymous_allowed)
		e = app_fail(f, ERR_MISSING_FIELD, "party.name",
		             "Khiếu nại, tố cáo không được gửi ẩn danh: vui lòng ghi rõ họ tên, địa chỉ người gửi.");
	else if (in->has_location &&
	         (!isfinite(in->lat) || !isfinite(in->lon) || fabs(in->lat) > 90 || fabs(in->lon) > 180))
		e = app_fail(f, ERR_INVALID_FIELD, "lat", "Tọa độ không hợp lệ.");
	else if (in->key && strlen(in->key) > 128)
		e = app_fail(f, ERR_INVALID_FIELD, "key", "Khóa gửi lại tối đa 128 ký tự.");
	struct store_case_party party;
	if (!e && !in->anonymous)
		e = check_party(t, &in->party, &party, f);
	if (!e)
		e = check_category(a, in, f);
	int64_t now = now_s();
	int64_t received = in->received_at ? in->received_at : now;
	if (!e && in->received_at) {
		if (in->channel != APP_CASE_POST && in->channel != APP_CASE_DESK)
			e = app_fail(f, ERR_INVALID_FIELD, "received_at", "Chỉ đơn qua bưu chính được ghi ngày nhận khác.");
		else if (received > now || received < now - 90 * 86400)
			e = app_fail(f, ERR_BAD_DATE, "received_at",
			             "Ngày nhận đơn không được sau hôm nay và không quá 90 ngày trước.");
	}
	struct stored_files files = {.n = 0};
	if (!e)
		e = put_files(a, in->files, in->nfiles, &files, f);
	char *subject_key = NULL;
	if (!e && !(subject_key = text_fold(subject)))
		e = ERR_NOMEM;
	if (e) {
		free(subject), free(content), free(respondent), free(papers), free(address), free(subject_key);
		return e;
	}
	struct store_case_attr_in attrs[APP_CASE_ATTRS];
	for (size_t i = 0; i < in->nattrs; i++)
		attrs[i] = (struct store_case_attr_in){in->attrs[i].code, in->attrs[i].value ? in->attrs[i].value : ""};
	struct case_clock ck = {.received_at = received, .remote = app_case_remote_area(a),
	                        .agency_days = app_case_answer_days(a)};
	int64_t due = due_at_stage(a, in->kind, CASE_ST_RECEIVED, &ck);
	char token[40] = "";
	if (in->channel == APP_CASE_OPEN311 || in->channel == APP_CASE_API || in->channel == APP_CASE_ONLINE) {
		unsigned char r[16];
		randombytes_buf(r, sizeof r);
		sodium_bin2hex(token, sizeof token, r, sizeof r);
	}
	const char *same = in->kind == CASE_COMPLAINT_1 || in->kind == CASE_COMPLAINT_2 ? "khieu-nai-1,khieu-nai-2"
	                   : in->kind == CASE_DENUNCIATION                                ? "to-cao"
	                                                                                  : FEEDBACK_KINDS;
	struct store_case_in si = {
	    .prefix = t->prefix,
	    .kind = t->code,
	    .stage = case_stage_code(CASE_ST_RECEIVED),
	    .channel = app_case_channel_code(in->channel),
	    .category = in->category ? in->category : "",
	    .subject = subject,
	    .subject_key = subject_key,
	    .content = content,
	    .respondent = respondent,
	    .papers = papers,
	    .address = address,
	    .has_location = in->has_location,
	    .lat = in->lat,
	    .lon = in->lon,
	    .anonymous = in->anonymous,
	    .remote = ck.remote,
	    .received_at = received,
	    .due_at = due,
	    .token = token,
	    .source = in->source ? in->source : "",
	    .submit_key = in->key,
	    .citizen_id = ac && ac->role == ROLE_CITIZEN ? ac->user_id : 0,
	    .parent_code = in->parent_code,
	    .party = in->anonymous ? NULL : &party,
	    .attrs = attrs,
	    .nattrs = in->nattrs,
	    .files = files.f,
	    .nfiles = files.n,
	    .kinds_same = same,
	    .seal = t->confidential_party,
	};
	/* the first instance's code as people type it: any case, spaces around */
	char parent[APP_CASE_CODE_MAX] = "";
	if (in->parent_code && trimmed(in->parent_code, parent, sizeof parent) != 0)
		snprintf(parent, sizeof parent, "?"); /* too long to be a code: not found below */
	for (char *p = parent; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	si.parent_code = parent;
	struct store_case_made made;
	/* a denouncer's account is not named in the audit trail either (the
	 * trail is in every backup): the event says only that a citizen sent it */
	const char *who = t->confidential_party && ac && ac->role == ROLE_CITIZEN ? "citizen:sealed"
	                  : ac && ac->name[0]                                    ? ac->name
	                                                                         : "public";
	e = store_case_create(a->st, who, actor_label(ac), &si, &made);
	free(subject), free(content), free(respondent), free(papers), free(address), free(subject_key);
	if (e == ERR_NOT_FOUND)
		return app_fail(f, ERR_NOT_FOUND, "parent_code", "Không có đơn khiếu nại lần đầu với mã này.");
	if (e)
		return e;
	snprintf(out->code, sizeof out->code, "%s", made.code);
	snprintf(out->token, sizeof out->token, "%s", made.token);
	snprintf(out->duplicate_of, sizeof out->duplicate_of, "%s", made.duplicate_of);
	out->kind = in->kind;
	out->received_at = made.received_at;
	out->due_at = made.due_at;
	out->existing = made.existing;
	return ERR_OK;
}

/* ---- reading ------------------------------------------------------------- */

static enum err
load(struct app *a, const struct actor *ac, const char *code, struct store_case *sc)
{
	if (!code || !*code || strlen(code) >= 24)
		return ERR_NOT_FOUND;
	char up[24];
	size_t i = 0;
	for (; code[i] && i < sizeof up - 1; i++)
		up[i] = (code[i] >= 'a' && code[i] <= 'z') ? (char)(code[i] - 32) : code[i];
	up[i] = '\0';
	enum err e = store_case_get(a->st, up, sc);
	if (e)
		return e;
	if ((ac && (ac->role & STAFF_READ)) || owner(a, ac, sc))
		return ERR_OK;
	store_case_free(sc);
	return ERR_NOT_FOUND;
}

enum err
app_case_get(struct app *a, const struct actor *ac, const char *code, struct app_case *out)
{
	memset(out, 0, sizeof *out);
	struct store_case sc;
	enum err e = load(a, ac, code, &sc);
	if (e)
		return e;
	to_app(&sc, out);
	out->content = sc.content;
	out->decision_text = sc.decision_text;
	out->public_answer = sc.public_answer;
	return ERR_OK;
}

int
app_case_party_visible(struct app *a, const struct actor *ac, const struct app_case *c)
{
	(void)a;
	if (!ac || !(ac->role & STAFF_READ) || c->anonymous)
		return 0;
	if (!case_type_of(c->kind)->confidential_party)
		return 1;
	/* Luật Tố cáo 2018, Điều 47–48: the handler and the deciding leader */
	return ac->user_id && (ac->user_id == c->handler_id || ac->user_id == c->decider_id);
}

enum err
app_case_party(struct app *a, const struct actor *ac, const char *code, struct app_case_party *out)
{
	memset(out, 0, sizeof *out);
	struct app_case c;
	enum err e = app_case_get(a, ac, code, &c);
	if (e)
		return e;
	int visible = app_case_party_visible(a, ac, &c);
	int confidential = case_type_of(c.kind)->confidential_party;
	int anonymous = c.anonymous;
	app_case_free(&c);
	if (anonymous)
		return ERR_NOT_FOUND;
	if (!visible)
		return ERR_FORBIDDEN;
	struct store_case_party p;
	e = store_case_party(a->st, c.code, confidential ? ac->name : NULL, &p);
	if (e)
		return e;
	snprintf(out->name, sizeof out->name, "%s", p.name);
	snprintf(out->id_number, sizeof out->id_number, "%s", p.id_number);
	snprintf(out->phone, sizeof out->phone, "%s", p.phone);
	snprintf(out->email, sizeof out->email, "%s", p.email);
	snprintf(out->address, sizeof out->address, "%s", p.address);
	sodium_memzero(&p, sizeof p);
	return ERR_OK;
}

/* Folds and escapes what a person typed for a LIKE (the store adds %…%). */
static char *
like_text(const char *q)
{
	char *f = text_fold(q ? q : "");
	if (!f)
		return NULL;
	char *o = malloc(strlen(f) * 2 + 1), *p = o;
	for (const char *s = f; o && *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	if (o)
		*p = '\0';
	free(f);
	return o;
}

static void
rows_free(struct store_case *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_case_free(&r[i]);
	free(r);
}

enum err
app_case_list(struct app *a, const struct actor *ac, const struct app_case_filter *flt, struct app_case_row **rows,
              size_t *n, size_t *total)
{
	*rows = NULL;
	*n = 0;
	if (total)
		*total = 0;
	if (!ac || !(ac->role & STAFF_READ))
		return ERR_FORBIDDEN;
	if (flt->q && strlen(flt->q) > 200)
		return ERR_OUT_OF_RANGE;
	char *q = like_text(flt->q);
	if (!q)
		return ERR_NOMEM;
	int64_t now = now_s();
	int64_t soon = 0;
	if (flt->due_soon) {
		struct calsnap *cs = cal_acquire(a);
		cal_day d;
		if (cs && cal_nth_working_after(&cs->cal, vn_day(now), 2, &d) == 0)
			soon = vn_instant(d + 1, 0);
		if (cs)
			cal_release(a, cs);
	}
	struct store_case_query sq = {
	    .kind = flt->kind >= 0 && case_type_of((enum case_kind)flt->kind) ? case_type_of((enum case_kind)flt->kind)->code
	                                                                        : "",
	    .stage = flt->stage >= 0 && flt->stage < CASE_NSTAGES ? case_stage_code((enum case_stage)flt->stage) : "",
	    .open_only = flt->stage < 0,
	    .overdue_before = flt->overdue ? now : 0,
	    .due_before = soon,
	    .person = flt->mine ? ac->user_id : 0,
	    .category = flt->category ? flt->category : "",
	    .q = q,
	    .from = flt->from,
	    .to = flt->to,
	    .order = flt->order,
	    .offset = flt->offset,
	    .limit = flt->limit > 0 && flt->limit <= 200 ? flt->limit : 50,
	};
	struct store_case *sr;
	size_t sn;
	enum err e = store_case_list(a->st, &sq, 0, &sr, &sn, total);
	free(q);
	if (e)
		return e;
	struct app_case_row *o = calloc(sn ? sn : 1, sizeof *o);
	if (!o) {
		rows_free(sr, sn);
		return ERR_NOMEM;
	}
	size_t k = 0;
	for (size_t i = 0; i < sn; i++) {
		to_row(&sr[i], &o[k]);
		/* due soon: not those already overdue */
		if (flt->due_soon && o[k].overdue)
			continue;
		k++;
	}
	rows_free(sr, sn);
	*rows = o;
	*n = k;
	return ERR_OK;
}

enum err
app_case_events(struct app *a, const struct actor *ac, const char *code, struct app_case_event **ev, size_t *n)
{
	*ev = NULL;
	*n = 0;
	struct store_case sc;
	enum err e = load(a, ac, code, &sc);
	if (e)
		return e;
	enum case_kind kind = kind_of(sc.kind);
	struct store_case_event *se;
	size_t sn;
	e = store_case_events(a->st, sc.code, &se, &sn);
	store_case_free(&sc);
	if (e)
		return e;
	struct app_case_event *o = calloc(sn ? sn : 1, sizeof *o);
	if (!o) {
		free(se);
		return ERR_NOMEM;
	}
	int citizen = !(ac->role & STAFF_READ);
	for (size_t i = 0; i < sn; i++) {
		o[i].at = se[i].at;
		/* a citizen is not told which official did it */
		snprintf(o[i].actor, sizeof o[i].actor, "%s", citizen ? "Cơ quan giải quyết" : se[i].actor);
		snprintf(o[i].action, sizeof o[i].action, "%s", se[i].action);
		enum case_action act;
		const char *label = !strcmp(se[i].action, "submit")   ? "Tiếp nhận đơn"
		                    : !strcmp(se[i].action, "attach") ? "Đính kèm tệp"
		                    : case_action_from_code(se[i].action, &act) == 0 ? case_action_label(kind, act)
		                                                                     : se[i].action;
		snprintf(o[i].action_label, sizeof o[i].action_label, "%s", label);
		snprintf(o[i].stage_from, sizeof o[i].stage_from, "%s", se[i].stage_from);
		snprintf(o[i].stage_to, sizeof o[i].stage_to, "%s", se[i].stage_to);
		snprintf(o[i].note, sizeof o[i].note, "%s", citizen && !strcmp(se[i].action, "note") ? "" : se[i].note);
		snprintf(o[i].doc_no, sizeof o[i].doc_no, "%s", se[i].doc_no);
		snprintf(o[i].details, sizeof o[i].details, "%s", se[i].details);
	}
	free(se);
	*ev = o;
	*n = sn;
	return ERR_OK;
}

enum err
app_case_files(struct app *a, const struct actor *ac, const char *code, struct app_case_file **files, size_t *n)
{
	*files = NULL;
	*n = 0;
	struct store_case sc;
	enum err e = load(a, ac, code, &sc);
	if (e)
		return e;
	/* a denunciation's letter and scans may name the denouncer: only those
	 * who may read him see them (the signed result is for every reader) */
	struct app_case probe;
	to_app(&sc, &probe);
	int hide = case_type_of(probe.kind)->confidential_party && !app_case_party_visible(a, ac, &probe) &&
	           !owner(a, ac, &sc);
	struct store_case_file *sf;
	size_t sn;
	e = store_case_files(a->st, sc.code, &sf, &sn);
	store_case_free(&sc);
	if (e)
		return e;
	struct app_case_file *o = calloc(sn ? sn : 1, sizeof *o);
	if (!o) {
		free(sf);
		return ERR_NOMEM;
	}
	size_t k = 0;
	for (size_t j = 0; j < sn; j++) {
		if (hide && strcmp(sf[j].kind, "result") != 0)
			continue;
		size_t i = k++;
		o[i].id = sf[j].id;
		memcpy(o[i].sha256, sf[j].sha256, sizeof o[i].sha256);
		snprintf(o[i].name, sizeof o[i].name, "%s", sf[j].name);
		snprintf(o[i].mime, sizeof o[i].mime, "%s", sf[j].mime);
		o[i].size = sf[j].size;
		snprintf(o[i].kind, sizeof o[i].kind, "%s", sf[j].kind);
		o[i].at = sf[j].at;
	}
	free(sf);
	*files = o;
	*n = k;
	return ERR_OK;
}

enum err
app_case_file_get(struct app *a, const struct actor *ac, const char *code, const char *sha256,
                  struct app_case_file *meta, void **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	struct app_case_file *fs;
	size_t n;
	enum err e = app_case_files(a, ac, code, &fs, &n);
	if (e)
		return e;
	int found = 0;
	for (size_t i = 0; i < n && !found; i++)
		if (sha256 && !strcmp(fs[i].sha256, sha256)) {
			*meta = fs[i];
			found = 1;
		}
	free(fs);
	if (!found)
		return ERR_NOT_FOUND;
	char *d;
	e = store_file_get(a->st, meta->sha256, &d, len);
	if (e)
		return e;
	*data = d;
	return ERR_OK;
}

/* ---- actions --------------------------------------------------------------- */

/* Who may act on this record, beyond the role table: an officer on the
 * cases he handles; a leader on the cases he decides, or any when none is
 * named yet (or the agency lets leaders act on every unit's cases); a
 * clerk on any (the role table limits him to the desk's actions). */
static int
may_act(const struct app *a, const struct actor *ac, const struct store_case *c)
{
	if (!ac || !(ac->role & STAFF_ACT) || !ac->user_id)
		return 0;
	if (ac->role == ROLE_OFFICER)
		return c->handler_id == ac->user_id;
	if (ac->role == ROLE_LEADER)
		return !c->decider_id || c->decider_id == ac->user_id || a->leaders_see_all;
	return 1;
}

unsigned
app_case_actions(struct app *a, const struct actor *ac, const struct app_case *c)
{
	struct store_case sc;
	memset(&sc, 0, sizeof sc);
	sc.handler_id = c->handler_id;
	sc.decider_id = c->decider_id;
	if (!may_act(a, ac, &sc))
		return 0;
	unsigned bits = 0;
	struct case_clock ck = {c->received_at, c->accepted_at, c->decided_at, c->remote,
	                        c->complexity,  c->extensions,  c->intake_ext, 0};
	for (int i = 0; i < CASE_NACTIONS; i++) {
		enum case_stage to;
		if (case_step(c->kind, c->stage, (enum case_action)i, ac->role, &to) != 0)
			continue;
		if (i == CASE_A_EXTEND &&
		    case_extension(c->kind, c->stage, &ck, c->complexity < 2 ? c->complexity + 1 : 2) == CASE_EXT_NO)
			continue;
		if (i == CASE_A_PUBLISH && !case_type_of(c->kind)->public_result)
			continue;
		bits |= 1u << i;
	}
	return bits;
}

static enum err
check_user(struct app *a, int64_t id, unsigned roles, const char *field, struct app_fail *f, char *unit, size_t n)
{
	struct store_user u;
	if (store_user_by_id(a->st, id, &u) != ERR_OK || !u.active || !(role_from_name(u.role) & roles))
		return app_fail(f, ERR_INVALID_FIELD, field,
		                roles == ROLE_LEADER ? "Người quyết định phải là lãnh đạo đang hoạt động."
		                                     : "Người xử lý phải là chuyên viên hoặc lãnh đạo đang hoạt động.");
	if (unit)
		snprintf(unit, n, "%s", u.unit);
	return ERR_OK;
}

/* A required text into dst (n bytes), trimmed. */
static enum err
need(const char *s, char *dst, size_t n, size_t maxchars, const char *field, const char *msg, struct app_fail *f)
{
	if (trimmed(s, dst, n) || !dst[0] || text_length(dst, strlen(dst)) > maxchars)
		return app_fail(f, ERR_DOSSIER_REASON, field, msg);
	return ERR_OK;
}

/* The public text must not name the sender (Luật Tố cáo 2018, Điều 40;
 * no personal data on the portal). */
static int
names_sender(struct app *a, const char *code, const char *text)
{
	struct store_case_party p;
	if (store_case_party(a->st, code, NULL, &p) != ERR_OK)
		return 0;
	int hit = 0;
	char *ft = text_fold(text), *fn = p.name[0] ? text_fold(p.name) : NULL;
	if (ft && fn && strlen(fn) >= 4 && strstr(ft, fn))
		hit = 1;
	if (p.phone[0] && strlen(p.phone) >= 8 && strstr(text, p.phone + 1))
		hit = 1;
	if (p.id_number[0] && strstr(text, p.id_number))
		hit = 1;
	if (p.email[0] && strstr(text, p.email))
		hit = 1;
	free(ft);
	free(fn);
	sodium_memzero(&p, sizeof p);
	return hit;
}

enum err
app_case_act(struct app *a, const struct actor *ac, const char *code, const struct app_case_act *in,
             struct app_fail *f)
{
	struct store_case c;
	enum err e = load(a, ac, code, &c);
	if (e)
		return e;
	if (!(ac->role & STAFF_ACT)) {
		store_case_free(&c);
		return ERR_FORBIDDEN;
	}
	enum case_kind kind = kind_of(c.kind);
	enum case_stage from = stage_of(c.stage), to;
	int r = case_step(kind, from, in->action, ac->role, &to);
	if (r == -1) {
		store_case_free(&c);
		return app_fail(f, ERR_DOSSIER_STATE, "action",
		                "Đơn đang ở giai đoạn không cho phép thao tác này, hoặc loại đơn không có thao tác này.");
	}
	if (r == -2 || !may_act(a, ac, &c)) {
		store_case_free(&c);
		return ERR_FORBIDDEN;
	}
	if (in->version && in->version != c.version) {
		store_case_free(&c);
		return ERR_CONFLICT;
	}
	struct store_case x = c; /* the case after the action; the long texts are c's */
	const struct case_type *t = case_type_of(kind);
	int64_t now = now_s();
	char note[1200] = "", doc_no[64] = "", details[600] = "{}";
	char *decision = NULL, *answer = NULL;
	char merge[24] = "";
	if (in->note && trimmed(in->note, note, sizeof note)) {
		e = app_fail(f, ERR_INVALID_FIELD, "note", "Ghi chú, lý do tối đa 1.000 ký tự.");
		goto out;
	}
	if (in->doc_no && (trimmed(in->doc_no, doc_no, sizeof doc_no) || text_length(doc_no, strlen(doc_no)) > 40)) {
		e = app_fail(f, ERR_INVALID_FIELD, "doc_no", "Số văn bản tối đa 40 ký tự.");
		goto out;
	}
	x.stage[0] = '\0';
	snprintf(x.stage, sizeof x.stage, "%s", case_stage_code(to));
	struct case_clock ck = clock_of(a, &c);
	switch (in->action) {
	case CASE_A_ASSIGN:
		if (!in->handler_id && !in->decider_id) {
			e = app_fail(f, ERR_MISSING_FIELD, "handler_id", "Vui lòng chọn người xử lý hoặc người quyết định.");
			goto out;
		}
		if (in->handler_id &&
		    (e = check_user(a, in->handler_id, ROLE_OFFICER | ROLE_LEADER, "handler_id", f, x.unit, sizeof x.unit)))
			goto out;
		if (in->decider_id && (e = check_user(a, in->decider_id, ROLE_LEADER, "decider_id", f, NULL, 0)))
			goto out;
		if (in->handler_id)
			x.handler_id = in->handler_id;
		if (in->decider_id)
			x.decider_id = in->decider_id;
		snprintf(details, sizeof details, "{\"handler_id\":%lld,\"decider_id\":%lld}", (long long)x.handler_id,
		         (long long)x.decider_id);
		break;
	case CASE_A_ACCEPT:
		x.accepted_at = now;
		if (in->remote == 0 || in->remote == 1)
			x.remote = in->remote;
		ck.accepted_at = now;
		ck.remote = x.remote;
		x.resolve_due = due_at_stage(a, kind, CASE_ST_ACCEPTED, &ck);
		x.due_at = x.resolve_due;
		break;
	case CASE_A_REJECT:
		if ((e = need(in->note, x.reason, sizeof x.reason, 1000, "note",
		              "Vui lòng ghi rõ lý do không thụ lý (tối đa 1.000 ký tự).", f)))
			goto out;
		x.closed_at = now;
		x.due_at = 0;
		break;
	case CASE_A_FORWARD:
		if ((e = need(in->forwarded_to, x.forwarded_to, sizeof x.forwarded_to, 200, "forwarded_to",
		              "Vui lòng ghi cơ quan có thẩm quyền nhận đơn (tối đa 200 ký tự).", f)))
			goto out;
		snprintf(x.reason, sizeof x.reason, "%s", note);
		x.closed_at = now;
		x.due_at = 0;
		break;
	case CASE_A_VERIFY:
		break;
	case CASE_A_DIALOGUE: {
		char people[400], result[1000];
		if (!in->dialogue_at || in->dialogue_at > now + 60 || in->dialogue_at < c.received_at - 86400) {
			e = app_fail(f, ERR_BAD_DATE, "dialogue_at",
			             "Ngày đối thoại phải sau ngày nhận đơn và không sau hôm nay.");
			goto out;
		}
		if ((e = need(in->dialogue_people, people, sizeof people, 300, "dialogue_people",
		              "Vui lòng ghi thành phần tham gia đối thoại (tối đa 300 ký tự).", f)) ||
		    (e = need(in->dialogue_result, result, sizeof result, 800, "dialogue_result",
		              "Vui lòng ghi kết quả đối thoại (tối đa 800 ký tự).", f)))
			goto out;
		char day[32];
		vn_fmt_date(in->dialogue_at, day, sizeof day);
		snprintf(note, sizeof note, "Đối thoại ngày %s. Thành phần: %.300s. Kết quả: %.800s", day, people, result);
		snprintf(details, sizeof details, "{\"dialogue_at\":%lld}", (long long)in->dialogue_at);
		break;
	}
	case CASE_A_EXTEND: {
		int level = in->complexity >= 1 && in->complexity <= 2 ? in->complexity : 1;
		enum case_ext ext = case_extension(kind, from, &ck, level);
		if (ext == CASE_EXT_NO) {
			e = app_fail(f, ERR_DOSSIER_STATE, "complexity",
			             kind == CASE_DENUNCIATION && from != CASE_ST_RECEIVED
			                 ? "Đã gia hạn tối đa theo Luật Tố cáo 2018, Điều 30 (một lần với vụ việc phức tạp, "
			                   "hai lần với vụ việc đặc biệt phức tạp)."
			                 : "Thời hạn này không được kéo dài thêm.");
			goto out;
		}
		if (!note[0]) {
			e = app_fail(f, ERR_DOSSIER_REASON, "note", "Vui lòng ghi rõ lý do gia hạn (vụ việc phức tạp).");
			goto out;
		}
		if (from == CASE_ST_RECEIVED) {
			x.intake_ext = 1;
		} else if (ext == CASE_EXT_LONGER) {
			x.complexity = level;
		} else {
			x.extensions = c.extensions + 1;
			x.complexity = level;
		}
		ck.intake_ext = x.intake_ext;
		ck.complexity = x.complexity;
		ck.extensions = x.extensions;
		x.due_at = due_at_stage(a, kind, from, &ck);
		if (from != CASE_ST_RECEIVED)
			x.resolve_due = x.due_at;
		snprintf(details, sizeof details, "{\"complexity\":%d,\"extensions\":%d,\"due_at\":%lld}", x.complexity,
		         x.extensions, (long long)x.due_at);
		break;
	}
	case CASE_A_DECIDE:
		if (!(decision = text_in(in->decision_text, 8000, 1))) {
			e = app_fail(f, ERR_DOSSIER_REASON, "decision_text",
			             "Vui lòng ghi nội dung quyết định, kết luận hoặc trả lời (tối đa 8.000 ký tự).");
			goto out;
		}
		if (kind == CASE_COMPLAINT_1 || kind == CASE_COMPLAINT_2 || kind == CASE_DENUNCIATION) {
			const char *v = in->verdict ? in->verdict : "";
			if (strcmp(v, "dung") && strcmp(v, "dung-mot-phan") && strcmp(v, "sai")) {
				e = app_fail(f, ERR_MISSING_FIELD, "verdict",
				             "Vui lòng chọn kết luận: đúng, đúng một phần hoặc sai.");
				goto out;
			}
			snprintf(x.verdict, sizeof x.verdict, "%s", v);
		}
		if (!doc_no[0] && (kind == CASE_COMPLAINT_1 || kind == CASE_COMPLAINT_2 || kind == CASE_DENUNCIATION)) {
			e = app_fail(f, ERR_MISSING_FIELD, "doc_no", "Vui lòng ghi số quyết định, kết luận.");
			goto out;
		}
		snprintf(x.decision_no, sizeof x.decision_no, "%s", doc_no);
		x.decision_text = decision;
		x.decided_at = now;
		{
			int64_t limit = c.resolve_due ? c.resolve_due : c.due_at;
			x.finished_late = limit ? now > limit : 0;
		}
		ck.decided_at = now;
		x.due_at = due_at_stage(a, kind, CASE_ST_DECIDED, &ck);
		break;
	case CASE_A_PUBLISH:
		if (!t->public_result) {
			e = app_fail(f, ERR_DOSSIER_STATE, "action", "Loại đơn này không công khai kết quả trên cổng.");
			goto out;
		}
		if (!(answer = text_in(in->public_answer, 8000, 1))) {
			e = app_fail(f, ERR_DOSSIER_REASON, "public_answer",
			             "Vui lòng ghi nội dung công khai (tối đa 8.000 ký tự).");
			goto out;
		}
		if (names_sender(a, c.code, answer)) {
			e = app_fail(f, ERR_INVALID_FIELD, "public_answer",
			             "Nội dung công khai không được chứa họ tên, số điện thoại, số định danh hay thư điện tử "
			             "của người gửi.");
			goto out;
		}
		x.public_answer = answer;
		x.published_at = now;
		break;
	case CASE_A_CLOSE:
		if (t->public_result == 2 && !c.published_at) {
			e = app_fail(f, ERR_DOSSIER_STATE, "action",
			             kind == CASE_DENUNCIATION
			                 ? "Cần công khai kết luận nội dung tố cáo trước khi kết thúc (Luật Tố cáo 2018, Điều 40)."
			                 : "Cần công khai kết quả xử lý trước khi kết thúc (Nghị định 20/2008/NĐ-CP, Điều 19).");
			goto out;
		}
		x.closed_at = now;
		x.due_at = 0;
		break;
	case CASE_A_WITHDRAW:
		if ((e = need(in->note, x.reason, sizeof x.reason, 1000, "note",
		              "Vui lòng ghi lý do, căn cứ rút đơn (đơn xin rút, biên bản).", f)))
			goto out;
		x.closed_at = now;
		x.due_at = 0;
		break;
	case CASE_A_MERGE: {
		struct store_case target;
		if (!in->merge_into || trimmed(in->merge_into, merge, sizeof merge) || !merge[0]) {
			e = app_fail(f, ERR_MISSING_FIELD, "merge_into", "Vui lòng ghi mã đơn trùng đã nhận trước.");
			goto out;
		}
		for (char *p = merge; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 32);
		if (!strcmp(merge, c.code) || store_case_get(a->st, merge, &target) != ERR_OK) {
			e = app_fail(f, ERR_NOT_FOUND, "merge_into", "Không có đơn khác với mã này.");
			goto out;
		}
		int bad = !strcmp(target.stage, "merged") || target.received_at > c.received_at;
		store_case_free(&target);
		if (bad) {
			e = app_fail(f, ERR_INVALID_FIELD, "merge_into",
			             "Chỉ gộp vào một đơn nhận trước và chưa bị gộp vào đơn khác.");
			goto out;
		}
		x.closed_at = now;
		x.due_at = 0;
		snprintf(x.reason, sizeof x.reason, "Trùng với đơn %s", merge);
		break;
	}
	case CASE_A_NOTE:
		if (!note[0]) {
			e = app_fail(f, ERR_DOSSIER_REASON, "note", "Vui lòng ghi nội dung ghi chú.");
			goto out;
		}
		break;
	default:
		e = app_fail(f, ERR_INVALID_FIELD, "action", "Thao tác không hợp lệ.");
		goto out;
	}
	x.updated_at = now;
	struct store_case_change ch = {
	    .actor = ac->name,
	    .actor_name = ac->name,
	    .action = case_action_code(in->action),
	    .stage_from = case_stage_code(from),
	    .note = note,
	    .doc_no = doc_no,
	    .details = details,
	    .expect_version = c.version,
	    .merge_into = merge,
	};
	/* the timeline names the official by full name */
	struct store_user u;
	if (store_user_by_id(a->st, ac->user_id, &u) == ERR_OK && u.full_name[0])
		ch.actor_name = u.full_name;
	if (!x.decision_text)
		x.decision_text = c.decision_text;
	if (!x.public_answer)
		x.public_answer = c.public_answer;
	e = store_case_update(a->st, &x, &ch);
	if (!e && in->action == CASE_A_PUBLISH)
		e = app_public_write(a, e);
out:
	free(decision);
	free(answer);
	store_case_free(&c);
	return e;
}

enum err
app_case_attach(struct app *a, const struct actor *ac, const char *code, const char *kind,
                const struct app_case_file_in *file, struct app_fail *f)
{
	struct store_case c;
	enum err e = load(a, ac, code, &c);
	if (e)
		return e;
	int ok = may_act(a, ac, &c) || ((ac->role & STAFF_ACT) && !strcmp(c.stage, "received"));
	char cc[24];
	snprintf(cc, sizeof cc, "%s", c.code);
	store_case_free(&c);
	if (!ok)
		return ERR_FORBIDDEN;
	if (!kind || (strcmp(kind, "desk") && strcmp(kind, "result")))
		return app_fail(f, ERR_INVALID_FIELD, "kind", "Loại tệp không hợp lệ.");
	struct stored_files sf = {.n = 0};
	if (!file || !file->len)
		return app_fail(f, ERR_MISSING_FIELD, "file", "Chưa chọn tệp.");
	if ((e = put_files(a, file, 1, &sf, f)))
		return e;
	struct store_user u;
	const char *who = ac->name;
	if (store_user_by_id(a->st, ac->user_id, &u) == ERR_OK && u.full_name[0])
		who = u.full_name;
	return store_case_file_add(a->st, ac->name, who, cc, kind, &sf.f[0]);
}

/* ---- categories ------------------------------------------------------------ */

static void
cat_copy(const struct store_case_category *s, struct app_case_category *o)
{
	memset(o, 0, sizeof *o);
	snprintf(o->code, sizeof o->code, "%s", s->code);
	snprintf(o->name, sizeof o->name, "%s", s->name);
	snprintf(o->description, sizeof o->description, "%s", s->description);
	snprintf(o->group, sizeof o->group, "%s", s->group);
	snprintf(o->kind, sizeof o->kind, "%s", s->kind);
	snprintf(o->keywords, sizeof o->keywords, "%s", s->keywords);
	o->nattrs = s->nattrs;
	for (int i = 0; i < s->nattrs && i < 8; i++) {
		snprintf(o->attrs[i].code, sizeof o->attrs[i].code, "%s", s->attrs[i].code);
		snprintf(o->attrs[i].datatype, sizeof o->attrs[i].datatype, "%s", s->attrs[i].datatype);
		snprintf(o->attrs[i].description, sizeof o->attrs[i].description, "%s", s->attrs[i].description);
		o->attrs[i].required = s->attrs[i].required;
		o->attrs[i].order = s->attrs[i].order;
		const char *p = s->attrs[i].vals;
		while (*p && o->attrs[i].nvals < 12) {
			size_t len = strcspn(p, "\n");
			const char *eq = memchr(p, '=', len);
			if (eq) {
				int v = o->attrs[i].nvals++;
				snprintf(o->attrs[i].vals[v].key, sizeof o->attrs[i].vals[v].key, "%.*s", (int)(eq - p), p);
				snprintf(o->attrs[i].vals[v].name, sizeof o->attrs[i].vals[v].name, "%.*s",
				         (int)(len - (size_t)(eq - p) - 1), eq + 1);
			}
			p += len;
			if (*p)
				p++;
		}
	}
}

enum err
app_case_categories(struct app *a, struct app_case_category **out, size_t *n)
{
	struct store_case_category *s;
	size_t sn;
	*out = NULL;
	*n = 0;
	enum err e = store_case_categories(a->st, &s, &sn);
	if (e)
		return e;
	struct app_case_category *o = calloc(sn ? sn : 1, sizeof *o);
	if (!o) {
		free(s);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < sn; i++)
		cat_copy(&s[i], &o[i]);
	free(s);
	*out = o;
	*n = sn;
	return ERR_OK;
}

enum err
app_case_category(struct app *a, const char *code, struct app_case_category *out)
{
	struct app_case_category *all;
	size_t n;
	enum err e = app_case_categories(a, &all, &n);
	if (e)
		return e;
	e = ERR_NOT_FOUND;
	for (size_t i = 0; i < n; i++)
		if (code && !strcmp(all[i].code, code)) {
			*out = all[i];
			e = ERR_OK;
		}
	free(all);
	return e;
}

/* ---- the public side -------------------------------------------------------- */

static void
to_public(struct app *a, const struct store_case *s, struct app_case_public *o)
{
	memset(o, 0, sizeof *o);
	snprintf(o->code, sizeof o->code, "%s", s->code);
	o->kind = kind_of(s->kind);
	o->stage = stage_of(s->stage);
	snprintf(o->category, sizeof o->category, "%s", s->category);
	snprintf(o->category_name, sizeof o->category_name, "%s", s->category_name);
	snprintf(o->subject, sizeof o->subject, "%s", s->subject);
	snprintf(o->address, sizeof o->address, "%s", s->address);
	o->has_location = s->has_location;
	o->lat = s->lat;
	o->lon = s->lon;
	o->received_at = s->received_at;
	o->accepted_at = s->accepted_at;
	o->decided_at = s->decided_at;
	o->closed_at = s->closed_at;
	o->due_at = s->due_at;
	o->updated_at = s->updated_at;
	if (!strcmp(s->stage, "forwarded"))
		snprintf(o->reason, sizeof o->reason, "Đã chuyển đến: %s", s->forwarded_to);
	else if (!strcmp(s->stage, "not_accepted") || !strcmp(s->stage, "merged"))
		snprintf(o->reason, sizeof o->reason, "%s", s->reason);
	o->published_at = s->published_at;
	snprintf(o->token, sizeof o->token, "%s", s->token);
	snprintf(o->agency_unit, sizeof o->agency_unit, "%.150s", a->agency.name);
}

void
app_case_public_free(struct app_case_public *p)
{
	free(p->public_answer);
	p->public_answer = NULL;
}

static int
feedback_kind(const char *kind)
{
	return !strcmp(kind, "phan-anh") || !strcmp(kind, "kien-nghi-qdhc") || !strcmp(kind, "gop-y");
}

/* Constant-time comparison of two phone numbers as stored. */
static int
same_phone(const char *x, const char *y)
{
	char a[32] = {0}, b[32] = {0};
	snprintf(a, sizeof a, "%s", x);
	snprintf(b, sizeof b, "%s", y);
	return sodium_memcmp(a, b, sizeof a) == 0 && a[0];
}

enum err
app_case_lookup(struct app *a, const char *client, const char *code, const char *phone,
                struct app_case_public *out)
{
	memset(out, 0, sizeof *out);
	if (!code || !phone || !*code || !*phone || strlen(code) > 40 || strlen(phone) > 40)
		return ERR_MISSING_FIELD;
	char up[48], ck[64], cl[96], want[IDENT_PHONE_SIZE] = "";
	size_t i = 0;
	for (; code[i] && i < sizeof up - 1; i++)
		up[i] = (code[i] >= 'a' && code[i] <= 'z') ? (char)(code[i] - 32) : code[i];
	up[i] = '\0';
	snprintf(ck, sizeof ck, "case:%s", up);
	snprintf(cl, sizeof cl, "client:%s", client && *client ? client : "?");
	const char *keys[2] = {ck, cl};
	int64_t fails[2], now = now_s();
	int64_t per_code = a->lookup.per_code > 0 ? a->lookup.per_code : 10;
	int64_t per_client = a->lookup.per_client > 0 ? a->lookup.per_client : 30;
	int64_t window = a->lookup.window > 0 ? a->lookup.window : 900;
	enum err e = store_guess_count(a->st, keys, 2, now, window, fails);
	if (e)
		return e;
	if (fails[0] >= per_code || fails[1] >= per_client)
		return ERR_LOOKUP_THROTTLED;
	if (ident_phone_normalize(phone, want, sizeof want) != IDENT_OK)
		want[0] = '\0';
	struct store_case sc;
	struct store_case_party p = {0};
	int ok = 0;
	if (strlen(up) < 24 && store_case_get(a->st, up, &sc) == ERR_OK) {
		if (store_case_party(a->st, up, NULL, &p) == ERR_OK)
			ok = same_phone(p.phone, want);
		if (ok) {
			to_public(a, &sc, out);
			out->public_answer = sc.public_answer;
			sc.public_answer = NULL;
		}
		store_case_free(&sc);
	} else {
		same_phone("0000000000", want); /* the same work either way */
	}
	sodium_memzero(&p, sizeof p);
	if (!ok) {
		store_guess_fail(a->st, keys, 2, now, window, fails);
		return ERR_NOT_FOUND;
	}
	if (!out->public_answer && !(out->public_answer = strdup(""))) {
		return ERR_NOMEM;
	}
	return ERR_OK;
}

enum err
app_case_public_get(struct app *a, const char *code, struct app_case_public *out)
{
	memset(out, 0, sizeof *out);
	struct store_case sc;
	if (!code || strlen(code) >= 24)
		return ERR_NOT_FOUND;
	enum err e = store_case_get(a->st, code, &sc);
	if (e)
		return e;
	if (!feedback_kind(sc.kind)) {
		store_case_free(&sc);
		return ERR_NOT_FOUND;
	}
	to_public(a, &sc, out);
	out->public_answer = sc.published_at ? sc.public_answer : strdup("");
	if (sc.published_at)
		sc.public_answer = NULL;
	store_case_free(&sc);
	return out->public_answer ? ERR_OK : ERR_NOMEM;
}

enum err
app_case_by_token(struct app *a, const char *token, char code[APP_CASE_CODE_MAX])
{
	code[0] = '\0';
	if (!token || strlen(token) != 32 || strspn(token, "0123456789abcdef") != 32)
		return ERR_NOT_FOUND;
	return store_case_by_token(a->st, token, code);
}

enum err
app_case_public_list(struct app *a, const struct app_case_public_filter *flt, struct app_case_public **out,
                     size_t *n, size_t *total)
{
	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	if (flt->ncodes > 50)
		return ERR_OUT_OF_RANGE;
	struct store_case_query q = {
	    .category = flt->category ? flt->category : "",
	    .open_only = flt->status && !strcmp(flt->status, "open"),
	    .final_only = flt->status && !strcmp(flt->status, "closed"),
	    .from = flt->from,
	    .to = flt->to,
	    .kinds_in = FEEDBACK_KINDS,
	    .codes = flt->codes,
	    .ncodes = flt->ncodes,
	    .published_only = flt->published_only,
	    .order = flt->published_only ? "updated" : "received",
	    .offset = flt->offset,
	    .limit = flt->limit > 0 && flt->limit <= 1000 ? flt->limit : 50,
	};
	struct store_case *sr;
	size_t sn;
	enum err e = store_case_list(a->st, &q, 1, &sr, &sn, total);
	if (e)
		return e;
	struct app_case_public *o = calloc(sn ? sn : 1, sizeof *o);
	if (!o) {
		rows_free(sr, sn);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < sn; i++) {
		to_public(a, &sr[i], &o[i]);
		if (sr[i].published_at) {
			o[i].public_answer = sr[i].public_answer;
			sr[i].public_answer = NULL;
		} else {
			o[i].public_answer = strdup("");
		}
		if (!o[i].public_answer)
			e = ERR_NOMEM;
	}
	rows_free(sr, sn);
	if (e) {
		app_case_public_list_free(o, sn);
		return e;
	}
	*out = o;
	*n = sn;
	return ERR_OK;
}

void
app_case_public_list_free(struct app_case_public *l, size_t n)
{
	for (size_t i = 0; l && i < n; i++)
		app_case_public_free(&l[i]);
	free(l);
}

enum err
app_case_mine(struct app *a, const struct actor *ac, struct app_case_row **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	if (!ac || ac->role != ROLE_CITIZEN || !ac->user_id)
		return ERR_FORBIDDEN;
	struct store_case_query q = {.citizen_id = ac->user_id, .order = "received", .limit = 200};
	struct store_case *sr;
	size_t sn;
	enum err e = store_case_list(a->st, &q, 0, &sr, &sn, NULL);
	if (e)
		return e;
	struct app_case_row *o = calloc(sn ? sn : 1, sizeof *o);
	if (!o) {
		rows_free(sr, sn);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < sn; i++) {
		to_row(&sr[i], &o[i]);
		o[i].handler_name[0] = '\0';
	}
	rows_free(sr, sn);
	*rows = o;
	*n = sn;
	return ERR_OK;
}

/* ---- statistics ---------------------------------------------------------------- */

enum err
app_case_stats(struct app *a, const char *by, int64_t from, int64_t to, struct app_case_stats_row **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	int cat = by && !strcmp(by, "category");
	struct store_case_count *c;
	size_t cn;
	enum err e = store_case_counts(a->st, cat ? "category" : "kind", from, to, now_s(), &c, &cn);
	if (e)
		return e;
	struct app_case_category *cats = NULL;
	size_t ncats = 0;
	if (cat && (e = app_case_categories(a, &cats, &ncats))) {
		free(c);
		return e;
	}
	struct app_case_stats_row *o = calloc(cn ? cn : 1, sizeof *o);
	if (!o) {
		free(c);
		free(cats);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < cn; i++) {
		snprintf(o[i].key, sizeof o[i].key, "%s", c[i].key);
		const char *label = c[i].key;
		if (!cat) {
			const struct case_type *t = case_type_by_code(c[i].key);
			label = t ? t->label : c[i].key;
		} else if (!c[i].key[0]) {
			label = "Không phân lĩnh vực";
		} else {
			for (size_t j = 0; j < ncats; j++)
				if (!strcmp(cats[j].code, c[i].key))
					label = cats[j].name;
		}
		snprintf(o[i].label, sizeof o[i].label, "%s", label);
		o[i].received = c[i].received;
		o[i].open = c[i].open;
		o[i].finished = c[i].finished;
		o[i].on_time = c[i].on_time;
		o[i].late = c[i].late;
		o[i].overdue_open = c[i].overdue_open;
		o[i].duplicates = c[i].duplicates;
	}
	free(c);
	free(cats);
	*rows = o;
	*n = cn;
	return ERR_OK;
}
