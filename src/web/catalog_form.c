/*
 * catalog_form.c — see catalog_form.h.  The form builds struct proc
 * directly: no JSON between the fields and the service, which checks
 * the procedure (proc_check) and words any refusal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/buf.h"
#include "web/catalog_form.h"
#include "web/web.h"

/* The sections an editor may mark "to verify", with their labels. */
static const char *const verify_names[][2] = {
	{"time_limit", "Thời hạn giải quyết"}, {"fee", "Phí, lệ phí"}, {"documents", "Thành phần hồ sơ"},
	{"steps", "Trình tự thực hiện"},       {"legal_basis", "Căn cứ pháp lý"}, {"result", "Kết quả"},
	{"online_level", "Mức độ trực tuyến"}, {"publication", "Quyết định công bố"},
};
#define NVERIFY (sizeof verify_names / sizeof verify_names[0])

/* A document's form: its code or its Vietnamese label, in the form's words. */
static const char *const doc_forms[][2] = {
	{"original", "bản chính"}, {"copy", "bản sao"}, {"present", "xuất trình"},
	{"either", "bản chính hoặc bản sao"},
};

static const char *
fv(struct http_req *req, const char *k)
{
	const char *v = form_get(&req->form, k);
	return v ? v : "";
}

/* s[0..n) without blanks at either end (malloc'd). */
static char *
trim_dup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\r')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return strndup(s, n);
}

/* Calls fn on each non-empty trimmed line of a textarea; stops at -1. */
static int
each_line(const char *s, int (*fn)(char *line, void *), void *arg)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *t = trim_dup(s, n);
		int rc = !t ? -1 : *t ? fn(t, arg) : 0;
		free(t);
		if (rc)
			return rc;
		s += n + (nl ? 1 : 0);
	}
	return 0;
}

static int
add_line(char *line, void *arg)
{
	return proc_strs_add(arg, line);
}

/* A one-line text from a textarea: its lines joined by a space. */
static int
set_joined(char **slot, const char *s)
{
	struct buf b = BUF_INIT;
	struct proc_strs l = {0};
	int rc = each_line(s, add_line, &l);
	for (size_t i = 0; i < l.n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", l.v[i]);
	rc = rc || b.oom || proc_set(slot, buf_str(&b)) ? -1 : 0;
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	buf_free(&b);
	return rc;
}

/* A whole number, or -1 after refusing it in f. */
static int
whole(const char *s, long long *out, const char *field, struct app_fail *f)
{
	char *end;
	*out = strtoll(s, &end, 10);
	if (*s && !*end)
		return 0;
	char msg[160];
	snprintf(msg, sizeof msg, "Trường \"%s\": phải là số nguyên", field);
	app_fail(f, ERR_INVALID_FIELD, field, msg);
	return -1;
}

struct doc_read {
	struct proc *p;
	struct app_fail *f;
};

/* "Tên | bản chính | 1": the name, its form (code or label), its count. */
static int
add_doc(char *line, void *arg)
{
	struct doc_read *r = arg;
	char *parts[3] = {line, NULL, NULL};
	for (int k = 1; k < 3 && parts[k - 1]; k++) {
		char *bar = strchr(parts[k - 1], '|');
		if (bar) {
			*bar = '\0';
			parts[k] = bar + 1;
		}
	}
	char *name = trim_dup(parts[0], strlen(parts[0]));
	char *form = parts[1] ? trim_dup(parts[1], strlen(parts[1])) : strdup("original");
	char *count = parts[2] ? trim_dup(parts[2], strlen(parts[2])) : strdup("1");
	int rc = name && form && count ? 0 : -1;
	int fc = -2;
	for (size_t i = 0; form && i < sizeof doc_forms / sizeof doc_forms[0]; i++)
		if (strcasecmp(form, doc_forms[i][0]) == 0 || strcasecmp(form, doc_forms[i][1]) == 0)
			fc = (int)i;
	long long n = 1;
	char field[48];
	snprintf(field, sizeof field, "documents[%zu].count", r->p->ndocuments);
	if (!rc && whole(count, &n, field, r->f) != 0)
		rc = 1;
	if (!rc)
		rc = proc_doc_add(r->p, name, (enum proc_form)fc, n > 1000 ? 1000 : n < -1 ? -1 : (int)n, "");
	free(name);
	free(form);
	free(count);
	return rc;
}

/* The texts and choices of the form into p; -1 when out of memory. */
static int
read_texts(struct http_req *req, struct proc *p)
{
	const char *opt[][2] = {{"cutoff", NULL}, {"result", NULL}, {"pub_decision", NULL}, {"pub_date", NULL}};
	for (size_t i = 0; i < 4; i++)
		opt[i][1] = *fv(req, opt[i][0]) ? fv(req, opt[i][0]) : NULL;
	if (proc_set(&p->name, fv(req, "name")) || proc_set(&p->field, fv(req, "field")) ||
	    proc_set(&p->agency, fv(req, "agency")) || proc_set(&p->level, fv(req, "level")) ||
	    proc_set(&p->time_limit.cutoff, opt[0][1]) || proc_set(&p->result, opt[1][1]) ||
	    proc_set(&p->publication.decision, opt[2][1]) || proc_set(&p->publication.date, opt[3][1]) ||
	    set_joined(&p->time_limit.text, fv(req, "time_text")) ||
	    set_joined(&p->fee.text, fv(req, "fee_text")) ||
	    set_joined(&p->fee.exemptions, fv(req, "fee_exemptions")) ||
	    set_joined(&p->sources, fv(req, "sources")) ||
	    each_line(fv(req, "steps"), add_line, &p->steps) ||
	    each_line(fv(req, "legal_basis"), add_line, &p->legal_basis))
		return -1;
	if (*fv(req, "online_level"))
		p->online_level = (enum proc_online)proc_enum_find(proc_online_levels, fv(req, "online_level"));
	if (*fv(req, "confidence"))
		p->confidence = (enum proc_confidence)proc_enum_find(proc_confidences, fv(req, "confidence"));
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].name, "to_verify") == 0 &&
		    proc_strs_add(&p->to_verify, req->form.v[i].value) != 0)
			return -1;
	return 0;
}

/* Days and the fee amount: whole numbers when given. */
static enum err
read_numbers(struct http_req *req, struct proc *p, struct app_fail *f)
{
	long long n;
	if (*fv(req, "days")) {
		if (whole(fv(req, "days"), &n, "time_limit.days", f) != 0)
			return ERR_INVALID_FIELD;
		p->time_limit.days = n > 1000000 ? 1000000 : n < -1 ? -1 : (int)n;
		if (n < 0)   /* PROC_NONE is not a number someone typed */
			p->time_limit.days = -2;
	}
	p->time_limit.same_day = strcmp(fv(req, "same_day"), "1") == 0;
	if (p->time_limit.same_day && p->time_limit.days == PROC_NONE)
		p->time_limit.days = 0;
	if (*fv(req, "fee_amount")) {
		if (whole(fv(req, "fee_amount"), &n, "fee.amount", f) != 0)
			return ERR_INVALID_FIELD;
		p->fee.amount = n < 0 ? -2 : n;
	}
	return ERR_OK;
}

enum err
catalog_form_read(struct http_req *req, const char *code, enum proc_status status, struct proc *p,
                  struct app_fail *f)
{
	if (proc_init(p) != 0 || proc_set(&p->code, code) != 0 || read_texts(req, p) != 0) {
		proc_free(p);
		return ERR_NOMEM;
	}
	p->code_kind = proc_code_national(code) ? PROC_NATIONAL : PROC_LOCAL;
	p->status = status;
	struct doc_read dr = {p, f};
	int rc = each_line(fv(req, "documents"), add_doc, &dr);
	enum err e = rc < 0 ? ERR_NOMEM : rc > 0 ? ERR_INVALID_FIELD : read_numbers(req, p, f);
	if (e)
		proc_free(p);
	return e;
}

/* ---- the form's values ------------------------------------------------------ */

/* The online level's choices and the sections to verify (marked when
 * on(name) says so). */
static void
add_choices(json_t *f, const char *level, int (*on)(const char *, const void *), const void *ctx)
{
	const char *lv[4][2] = {{"", "Chưa xác định (cần xác minh)"}, {"full", "Trực tuyến toàn trình"},
	                        {"partial", "Trực tuyến một phần"}, {"none", "Không trực tuyến"}};
	json_t *levels = json_array(), *ver = json_array();
	for (int k = 0; k < 4; k++)
		json_array_append_new(levels, json_pack("{s:s,s:s,s:b}", "value", lv[k][0], "label", lv[k][1],
		                                        "selected", strcmp(level ? level : "", lv[k][0]) == 0));
	for (size_t k = 0; k < NVERIFY; k++)
		json_array_append_new(ver, json_pack("{s:s,s:s,s:b}", "value", verify_names[k][0], "label",
		                                     verify_names[k][1], "checked", on(verify_names[k][0], ctx)));
	json_object_set_new(f, "levels", levels);
	json_object_set_new(f, "verify", ver);
}

static int
proc_verifies(const char *name, const void *ctx)
{
	const struct proc *p = ctx;
	for (size_t i = 0; i < p->to_verify.n; i++)
		if (strcmp(p->to_verify.v[i], name) == 0)
			return 1;
	return 0;
}

static int
posted_verifies(const char *name, const void *ctx)
{
	const struct http_req *req = ctx;
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].name, "to_verify") == 0 && strcmp(req->form.v[i].value, name) == 0)
			return 1;
	return 0;
}

#define S(x) ((x) ? (x) : "")

json_t *
catalog_form_values(const struct proc *p)
{
	struct buf docs = BUF_INIT, steps = BUF_INIT, basis = BUF_INIT;
	for (size_t i = 0; i < p->ndocuments; i++)
		buf_printf(&docs, "%s | %s | %d\n", p->documents[i].name, doc_forms[p->documents[i].form][1],
		           p->documents[i].count);
	for (size_t i = 0; i < p->steps.n; i++)
		buf_printf(&steps, "%s\n", p->steps.v[i]);
	for (size_t i = 0; i < p->legal_basis.n; i++)
		buf_printf(&basis, "%s\n", p->legal_basis.v[i]);
	char days[24] = "", amount[32] = "";
	if (p->time_limit.days >= 0)
		snprintf(days, sizeof days, "%d", p->time_limit.days);
	if (p->fee.amount >= 0)
		snprintf(amount, sizeof amount, "%lld", (long long)p->fee.amount);
	json_t *f = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
	    "code", S(p->code), "name", S(p->name), "field", S(p->field), "agency", S(p->agency),
	    "level", S(p->level), "days", days, "same_day", p->time_limit.same_day,
	    "cutoff", S(p->time_limit.cutoff), "time_text", S(p->time_limit.text), "fee_amount", amount,
	    "fee_text", S(p->fee.text), "fee_exemptions", S(p->fee.exemptions), "documents", buf_str(&docs),
	    "steps", buf_str(&steps), "legal_basis", buf_str(&basis), "result", S(p->result),
	    "pub_decision", S(p->publication.decision), "pub_date", S(p->publication.date),
	    "sources", S(p->sources));
	buf_free(&docs);
	buf_free(&steps);
	buf_free(&basis);
	if (f)
		add_choices(f, p->online_level >= 0 ? proc_online_levels[p->online_level] : "", proc_verifies, p);
	return f;
}

json_t *
catalog_form_posted(struct http_req *req, const char *code)
{
	static const char *const keys[] = {"name", "field", "agency", "level", "days", "cutoff",
	                                   "time_text", "fee_amount", "fee_text", "fee_exemptions",
	                                   "documents", "steps", "legal_basis", "result",
	                                   "pub_decision", "pub_date", "sources"};
	json_t *f = json_object();
	if (!f)
		return NULL;
	json_object_set_new(f, "code", json_string(code));
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		json_object_set_new(f, keys[i], json_string(fv(req, keys[i])));
	json_object_set_new(f, "same_day", json_boolean(strcmp(fv(req, "same_day"), "1") == 0));
	add_choices(f, fv(req, "online_level"), posted_verifies, req);
	return f;
}
