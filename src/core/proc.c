/*
 * proc.c — see proc.h.  The messages are worded as the JSON spec reader
 * (core/jspec.c) words its own, so a person sees the same sentence for a
 * field whether it came from a file, the API or the admin form.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/calendar.h"
#include "core/deadline.h"
#include "core/proc.h"
#include "core/text.h"
#include "core/vntime.h"

const char *const proc_code_kinds[] = {"national", "local", NULL};
const char *const proc_forms[] = {"original", "copy", "present", "either", NULL};
const char *const proc_online_levels[] = {"full", "partial", "none", NULL};
const char *const proc_statuses[] = {"draft", "published", "retired", NULL};
const char *const proc_confidences[] = {"V", "I", "NV", NULL};
const char *const proc_verify_fields[] = {"code", "time_limit", "fee", "documents", "steps",
                                          "legal_basis", "result", "online_level", "publication",
                                          "agency", "level", NULL};

int
proc_enum_find(const char *const *names, const char *s)
{
	for (int i = 0; s && names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -2;
}

int
proc_set(char **slot, const char *s)
{
	char *c = s ? strdup(s) : NULL;
	if (s && !c)
		return -1;
	free(*slot);
	*slot = c;
	return 0;
}

int
proc_init(struct proc *p)
{
	memset(p, 0, sizeof *p);
	p->time_limit.days = PROC_NONE;
	p->fee.amount = PROC_NONE;
	p->online_level = PROC_ONLINE_UNSET;
	p->confidence = PROC_CONF_UNSET;
	p->status = PROC_DRAFT;
	char **empty[] = {&p->agency, &p->level, &p->time_limit.text, &p->fee.text,
	                  &p->fee.exemptions, &p->sources};
	for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
		if (proc_set(empty[i], "") != 0)
			return -1;
	return 0;
}

static void
strs_free(struct proc_strs *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
proc_free(struct proc *p)
{
	char *s[] = {p->code, p->name, p->field, p->agency, p->level, p->time_limit.cutoff,
	             p->time_limit.text, p->fee.text, p->fee.exemptions, p->result,
	             p->publication.decision, p->publication.date, p->sources};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		free(s[i]);
	for (size_t i = 0; i < p->ndocuments; i++) {
		free(p->documents[i].name);
		free(p->documents[i].template_);
	}
	free(p->documents);
	strs_free(&p->steps);
	strs_free(&p->legal_basis);
	strs_free(&p->to_verify);
	memset(p, 0, sizeof *p);
}

void
proc_array_free(struct proc *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		proc_free(&v[i]);
	free(v);
}

int
proc_strs_add(struct proc_strs *l, const char *s)
{
	char *c = strdup(s);
	char **v = c ? realloc(l->v, (l->n + 1) * sizeof *v) : NULL;
	if (!v) {
		free(c);
		return -1;
	}
	v[l->n++] = c;
	l->v = v;
	return 0;
}

int
proc_doc_add(struct proc *p, const char *name, enum proc_form form, int count, const char *tmpl)
{
	struct proc_doc d = {strdup(name), form, count, strdup(tmpl ? tmpl : "")};
	struct proc_doc *v = d.name && d.template_ ? realloc(p->documents, (p->ndocuments + 1) * sizeof *v) : NULL;
	if (!v) {
		free(d.name);
		free(d.template_);
		return -1;
	}
	v[p->ndocuments++] = d;
	p->documents = v;
	return 0;
}

int
proc_code_national(const char *c)
{
	/* D.DDDDDD */
	if (strlen(c) != 8 || c[1] != '.')
		return 0;
	for (int i = 0; i < 8; i++)
		if (i != 1 && (c[i] < '0' || c[i] > '9'))
			return 0;
	return 1;
}

int
proc_code_local(const char *c)
{
	/* LETTERS(.ALNUM)+ e.g. XA.HT.01 — visibly not a national code */
	size_t n = strlen(c);
	if (n < 4 || n > 40 || c[0] < 'A' || c[0] > 'Z')
		return 0;
	int dots = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = c[i];
		if (ch == '.') {
			if (i == 0 || i == n - 1 || c[i - 1] == '.')
				return 0;
			dots++;
		} else if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) {
			return 0;
		}
	}
	return dots > 0;
}

/* ---- the check ------------------------------------------------------------ */

/* Records `Trường "path": …` in pb and returns e. */
static enum err
problem(struct proc_problem *pb, enum err e, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum err
problem(struct proc_problem *pb, enum err e, const char *path, const char *fmt, ...)
{
	if (!pb)
		return e;
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(pb->field, sizeof pb->field, "%s", path);
	snprintf(pb->msg, sizeof pb->msg, "Trường \"%s\": %s", path, what);
	return e;
}

/* A C0/C1 control character or DEL in valid UTF-8 s. */
static int
has_control(const char *s)
{
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if (*u < 0x20 || *u == 0x7F || (*u == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F))
			return 1;
	return 0;
}

/* Valid UTF-8, no control character, NFC; ERR_OK or the problem. */
static enum err
check_chars(const char *s, const char *path, struct proc_problem *pb)
{
	size_t n = strlen(s);
	if (!text_utf8_valid(s, n))
		return problem(pb, ERR_BAD_UTF8, path, "chứa ký tự không hợp lệ");
	if (has_control(s))
		return problem(pb, ERR_INVALID_FIELD, path, "chứa ký tự điều khiển");
	enum err e = ERR_OK;
	char *nfc = text_nfc(s, n, &e);
	if (!nfc)
		return e == ERR_NOMEM ? e : problem(pb, ERR_BAD_UTF8, path, "chứa ký tự không hợp lệ");
	int same = strcmp(nfc, s) == 0;
	free(nfc);
	return same ? ERR_OK : problem(pb, ERR_INVALID_FIELD, path, "phải ở dạng chuẩn Unicode NFC");
}

/* A text of min..max code points (NULL: missing when required, else fine). */
static enum err
check_text(const char *s, const char *path, int required, size_t min, size_t max,
           struct proc_problem *pb)
{
	if (!s)
		return required ? problem(pb, ERR_MISSING_FIELD, path, "bắt buộc") : ERR_OK;
	enum err e = check_chars(s, path, pb);
	if (e)
		return e;
	size_t len = text_length(s, strlen(s));
	if (len < min)
		return min == 1 ? problem(pb, ERR_INVALID_FIELD, path, "không được để trống")
		                : problem(pb, ERR_INVALID_FIELD, path, "phải có ít nhất %zu ký tự", min);
	if (len > max)
		return problem(pb, ERR_INVALID_FIELD, path, "dài quá %zu ký tự", max);
	return ERR_OK;
}

/* value in [PROC_NONE when optional, 0] .. n-1 of names. */
static enum err
check_enum(int v, int optional, const char *const *names, const char *path, struct proc_problem *pb)
{
	int n = 0;
	while (names[n])
		n++;
	if ((optional && v == PROC_NONE) || (v >= 0 && v < n))
		return ERR_OK;
	char list[128] = "";
	for (int i = 0; i < n; i++) {
		size_t k = strlen(list);
		snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", names[i]);
	}
	return problem(pb, ERR_INVALID_FIELD, path, "phải là một trong các giá trị: %s", list);
}

static enum err
check_range(int64_t v, int64_t lo, int64_t hi, const char *path, struct proc_problem *pb)
{
	if (v >= lo && v <= hi)
		return ERR_OK;
	return problem(pb, ERR_INVALID_FIELD, path, "phải nằm trong khoảng từ %lld đến %lld",
	               (long long)lo, (long long)hi);
}

static enum err
check_count(size_t n, size_t max, const char *path, struct proc_problem *pb)
{
	if (n <= max)
		return ERR_OK;
	return problem(pb, ERR_INVALID_FIELD, path, "phải có từ 0 đến %zu phần tử", max);
}

/* code, code_kind, name, field, agency, level */
static enum err
check_head(const struct proc *p, struct proc_problem *pb)
{
	enum err e;
	if ((e = check_text(p->code, "code", 1, PROC_CODE_MIN, PROC_CODE_MAX, pb)) ||
	    (e = check_enum((int)p->code_kind, 0, proc_code_kinds, "code_kind", pb)) ||
	    (e = check_text(p->name, "name", 1, PROC_NAME_MIN, PROC_NAME_MAX, pb)) ||
	    (e = check_text(p->field, "field", 1, PROC_FIELD_MIN, PROC_FIELD_MAX, pb)) ||
	    (e = check_text(p->agency, "agency", 0, 0, PROC_AGENCY_MAX, pb)))
		return e;
	return check_text(p->level, "level", 0, 0, PROC_LEVEL_MAX, pb);
}

/* time_limit and fee, one value at a time */
static enum err
check_terms(const struct proc *p, struct proc_problem *pb)
{
	enum err e = ERR_OK;
	if (p->time_limit.days != PROC_NONE)
		e = check_range(p->time_limit.days, 0, DL_MAX_DAYS, "time_limit.days", pb);
	if (e || (e = check_text(p->time_limit.cutoff, "time_limit.cutoff", 0, 5, 5, pb)) ||
	    (e = check_text(p->time_limit.text, "time_limit.text", 0, 0, PROC_TEXT_MAX, pb)))
		return e;
	if (p->fee.amount != PROC_NONE && (e = check_range(p->fee.amount, 0, PROC_FEE_MAX, "fee.amount", pb)))
		return e;
	if ((e = check_text(p->fee.text, "fee.text", 0, 0, PROC_TEXT_MAX, pb)))
		return e;
	return check_text(p->fee.exemptions, "fee.exemptions", 0, 0, PROC_TEXT_MAX, pb);
}

/* list sizes, result, online level, publication, status, confidence, sources */
static enum err
check_rest(const struct proc *p, struct proc_problem *pb)
{
	enum err e;
	if ((e = check_count(p->ndocuments, PROC_DOCS_MAX, "documents", pb)) ||
	    (e = check_count(p->steps.n, PROC_STEPS_MAX, "steps", pb)) ||
	    (e = check_count(p->legal_basis.n, PROC_BASIS_MAX, "legal_basis", pb)) ||
	    (e = check_text(p->result, "result", 0, 1, PROC_RESULT_MAX, pb)) ||
	    (e = check_enum((int)p->online_level, 1, proc_online_levels, "online_level", pb)) ||
	    (e = check_text(p->publication.decision, "publication.decision", 0, 1, PROC_DECISION_MAX, pb)) ||
	    (e = check_text(p->publication.date, "publication.date", 0, 10, 10, pb)) ||
	    (e = check_enum((int)p->status, 0, proc_statuses, "status", pb)) ||
	    (e = check_enum((int)p->confidence, 1, proc_confidences, "confidence", pb)) ||
	    (e = check_text(p->sources, "sources", 0, 0, PROC_SOURCES_MAX, pb)))
		return e;
	return check_count(p->to_verify.n, PROC_VERIFY_MAX, "to_verify", pb);
}

/* The rules across fields: the code's form and kind, the cut-off, the
 * date, a same-day limit. */
static enum err
check_across(const struct proc *p, struct proc_problem *pb)
{
	int national = proc_code_national(p->code);
	if (!national && !proc_code_local(p->code))
		return problem(pb, ERR_INVALID_FIELD, "code", "mã thủ tục quốc gia dạng 1.001193 hoặc mã địa phương dạng XA.HT.01 (nhận được \"%s\")", p->code);
	if ((int)p->code_kind != (national ? PROC_NATIONAL : PROC_LOCAL))
		return problem(pb, ERR_INVALID_FIELD, "code_kind", "không khớp với dạng mã \"%s\"", p->code);
	int cut;
	if (p->time_limit.cutoff && vn_parse_hhmm(p->time_limit.cutoff, &cut) != 0)
		return problem(pb, ERR_INVALID_FIELD, "time_limit.cutoff", "giờ dạng HH:MM (nhận được \"%s\")", p->time_limit.cutoff);
	cal_day pd;
	if (p->publication.date && cal_parse_ymd(p->publication.date, &pd) != 0)
		return problem(pb, ERR_INVALID_FIELD, "publication.date", "ngày dạng YYYY-MM-DD (nhận được \"%s\")", p->publication.date);
	if (p->time_limit.same_day && p->time_limit.days != 0)
		return problem(pb, ERR_INVALID_FIELD, "time_limit", "thủ tục giải quyết trong ngày thì số ngày phải là 0");
	return ERR_OK;
}

static enum err
check_docs(const struct proc *p, struct proc_problem *pb)
{
	for (size_t i = 0; i < p->ndocuments; i++) {
		const struct proc_doc *d = &p->documents[i];
		char path[48];
		enum err e;
		snprintf(path, sizeof path, "documents[%zu].name", i);
		if ((e = check_text(d->name, path, 1, 1, PROC_DOC_NAME_MAX, pb)))
			return e;
		snprintf(path, sizeof path, "documents[%zu].form", i);
		if ((e = check_enum((int)d->form, 0, proc_forms, path, pb)))
			return e;
		snprintf(path, sizeof path, "documents[%zu].count", i);
		if ((e = check_range(d->count, 1, PROC_DOC_COUNT_MAX, path, pb)))
			return e;
		snprintf(path, sizeof path, "documents[%zu].template", i);
		if ((e = check_text(d->template_, path, 0, 0, PROC_DOC_TEMPLATE_MAX, pb)))
			return e;
	}
	return ERR_OK;
}

/* Every element: a text of 1..max code points. */
static enum err
check_list(const struct proc_strs *l, const char *name, size_t max, struct proc_problem *pb)
{
	for (size_t i = 0; i < l->n; i++) {
		char path[48];
		snprintf(path, sizeof path, "%s[%zu]", name, i);
		enum err e = check_chars(l->v[i], path, pb);
		if (e)
			return e;
		size_t len = text_length(l->v[i], strlen(l->v[i]));
		if (len < 1 || len > max)
			return problem(pb, ERR_INVALID_FIELD, path, "phải là chuỗi 1–%zu ký tự", max);
	}
	return ERR_OK;
}

static enum err
check_verify(const struct proc *p, struct proc_problem *pb)
{
	for (size_t i = 0; i < p->to_verify.n; i++) {
		const char *f = p->to_verify.v[i];
		if (proc_enum_find(proc_verify_fields, f) < 0)
			return problem(pb, ERR_INVALID_FIELD, "to_verify", "không có trường \"%s\"", f);
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->to_verify.v[j], f) == 0)
				return problem(pb, ERR_INVALID_FIELD, "to_verify", "trường \"%s\" có hai lần", f);
	}
	return ERR_OK;
}

enum err
proc_check(const struct proc *p, struct proc_problem *pb)
{
	enum err e;
	if ((e = check_head(p, pb)) || (e = check_terms(p, pb)) || (e = check_rest(p, pb)) ||
	    (e = check_across(p, pb)) || (e = check_docs(p, pb)))
		return e;
	if ((e = check_list(&p->steps, "steps", PROC_STEP_MAX, pb)) ||
	    (e = check_list(&p->legal_basis, "legal_basis", PROC_BASIS_ITEM_MAX, pb)))
		return e;
	return check_verify(p, pb);
}
