/*
 * admin_catalog.c — the admin pages of the catalogue: the list with every
 * status, one form to create or edit a procedure (documents, steps and
 * legal basis one per line), publish and retire.  Editing a published
 * procedure saves a new version; dossiers keep the version they were
 * received under.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/proc_json.h"
#include "web/catalog_io.h"
#include "web/catalog_csv.h"
#include "web/web.h"

static const char *const verify_names[][2] = {
	{"time_limit", "Thời hạn giải quyết"}, {"fee", "Phí, lệ phí"}, {"documents", "Thành phần hồ sơ"},
	{"steps", "Trình tự thực hiện"},       {"legal_basis", "Căn cứ pháp lý"}, {"result", "Kết quả"},
	{"online_level", "Mức độ trực tuyến"}, {"publication", "Quyết định công bố"},
};
#define NVERIFY (sizeof verify_names / sizeof verify_names[0])

static const char *
fv(struct http_req *req, const char *k)
{
	const char *v = form_get(&req->form, k);
	return v ? v : "";
}

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

/* Non-empty lines of a textarea as a JSON array of strings. */
static json_t *
lines(const char *s)
{
	json_t *a = json_array();
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *t = trim_dup(s, n);
		if (t && *t)
			json_array_append_new(a, json_string(t));
		free(t);
		s += n + (nl ? 1 : 0);
	}
	return a;
}

static const char *
doc_form_code(const char *label)
{
	static const char *const map[][2] = {
		{"bản chính", "original"}, {"original", "original"}, {"bản sao", "copy"}, {"copy", "copy"},
		{"xuất trình", "present"}, {"present", "present"},
		{"bản chính hoặc bản sao", "either"}, {"either", "either"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcasecmp(label, map[i][0]) == 0)
			return map[i][1];
	return label; /* the model refuses it with a clear message */
}

/* "Tên | bản chính | 1" per line. */
static json_t *
doc_lines(const char *s)
{
	json_t *out = json_array(), *ls = lines(s);
	size_t i;
	json_t *v;
	json_array_foreach(ls, i, v) {
		char *line = strdup(json_string_value(v));
		char *parts[3] = {line, NULL, NULL};
		char *bar = strchr(line, '|');
		if (bar) {
			*bar = '\0';
			parts[1] = bar + 1;
			bar = strchr(parts[1], '|');
			if (bar) {
				*bar = '\0';
				parts[2] = bar + 1;
			}
		}
		char *name = trim_dup(parts[0], strlen(parts[0]));
		json_t *d = json_pack("{s:s}", "name", name ? name : "");
		if (parts[1]) {
			char *f = trim_dup(parts[1], strlen(parts[1]));
			json_object_set_new(d, "form", json_string(doc_form_code(f)));
			free(f);
		}
		if (parts[2]) {
			char *c = trim_dup(parts[2], strlen(parts[2]));
			long n;
			json_object_set_new(d, "count", web_parse_int(c, 1, 100, &n) == 0 ? json_integer(n) : json_string(c));
			free(c);
		}
		free(name);
		free(line);
		json_array_append_new(out, d);
	}
	json_decref(ls);
	return out;
}

/* The procedure object a submitted form describes. */
static json_t *
from_form(struct http_req *req, const char *code, const char *status)
{
	json_t *p = json_object();
	json_object_set_new(p, "code", json_string(code));
	json_object_set_new(p, "name", json_string(fv(req, "name")));
	json_object_set_new(p, "field", json_string(fv(req, "field")));
	json_object_set_new(p, "agency", json_string(fv(req, "agency")));
	json_object_set_new(p, "level", json_string(fv(req, "level")));
	json_t *tl = json_object();
	long n;
	const char *days = fv(req, "days");
	int same = strcmp(fv(req, "same_day"), "1") == 0;
	if (*days)
		json_object_set_new(tl, "days", web_parse_int(days, 0, 3650, &n) == 0 ? json_integer(n) : json_string(days));
	json_object_set_new(tl, "same_day", json_boolean(same));
	if (*fv(req, "cutoff"))
		json_object_set_new(tl, "cutoff", json_string(fv(req, "cutoff")));
	json_object_set_new(tl, "text", json_string(fv(req, "time_text")));
	json_object_set_new(p, "time_limit", tl);
	json_t *fee = json_object();
	const char *amount = fv(req, "fee_amount");
	if (*amount) {
		long long a;
		char *end;
		a = strtoll(amount, &end, 10);
		json_object_set_new(fee, "amount", *end || a < 0 ? json_string(amount) : json_integer(a));
	}
	json_object_set_new(fee, "text", json_string(fv(req, "fee_text")));
	json_object_set_new(fee, "exemptions", json_string(fv(req, "fee_exemptions")));
	json_object_set_new(p, "fee", fee);
	json_object_set_new(p, "documents", doc_lines(fv(req, "documents")));
	json_object_set_new(p, "steps", lines(fv(req, "steps")));
	json_object_set_new(p, "legal_basis", lines(fv(req, "legal_basis")));
	if (*fv(req, "result"))
		json_object_set_new(p, "result", json_string(fv(req, "result")));
	if (*fv(req, "online_level"))
		json_object_set_new(p, "online_level", json_string(fv(req, "online_level")));
	json_t *pub = json_object();
	if (*fv(req, "pub_decision"))
		json_object_set_new(pub, "decision", json_string(fv(req, "pub_decision")));
	if (*fv(req, "pub_date"))
		json_object_set_new(pub, "date", json_string(fv(req, "pub_date")));
	json_object_set_new(p, "publication", pub);
	json_object_set_new(p, "status", json_string(status));
	if (*fv(req, "confidence"))
		json_object_set_new(p, "confidence", json_string(fv(req, "confidence")));
	json_object_set_new(p, "sources", json_string(fv(req, "sources")));
	json_t *ver = json_array();
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].name, "to_verify") == 0)
			json_array_append_new(ver, json_string(req->form.v[i].value));
	json_object_set_new(p, "to_verify", ver);
	return p;
}

/* Form values (strings) to refill the form from a procedure object. */
static json_t *
form_values(const json_t *p)
{
	json_t *tl = json_object_get(p, "time_limit"), *fee = json_object_get(p, "fee"),
	       *pub = json_object_get(p, "publication");
	struct buf docs = BUF_INIT, steps = BUF_INIT, basis = BUF_INIT;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(p, "documents"), i, v) {
		const char *f = json_string_value(json_object_get(v, "form"));
		const char *lbl = !f ? "bản chính" : strcmp(f, "copy") == 0 ? "bản sao" : strcmp(f, "present") == 0 ? "xuất trình"
		                : strcmp(f, "either") == 0 ? "bản chính hoặc bản sao" : "bản chính";
		buf_printf(&docs, "%s | %s | %lld\n", json_string_value(json_object_get(v, "name")), lbl,
		           (long long)json_integer_value(json_object_get(v, "count")));
	}
	json_array_foreach(json_object_get(p, "steps"), i, v)
		buf_printf(&steps, "%s\n", json_string_value(v));
	json_array_foreach(json_object_get(p, "legal_basis"), i, v)
		buf_printf(&basis, "%s\n", json_string_value(v));
	char days[24] = "", amount[32] = "";
	if (json_is_integer(json_object_get(tl, "days")))
		snprintf(days, sizeof days, "%lld", (long long)json_integer_value(json_object_get(tl, "days")));
	if (json_is_integer(json_object_get(fee, "amount")))
		snprintf(amount, sizeof amount, "%lld", (long long)json_integer_value(json_object_get(fee, "amount")));
#define S(o, k) (json_string_value(json_object_get((o), (k))) ? json_string_value(json_object_get((o), (k))) : "")
	json_t *f = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
	    "code", S(p, "code"), "name", S(p, "name"), "field", S(p, "field"), "agency", S(p, "agency"),
	    "level", S(p, "level"), "days", days, "same_day", json_is_true(json_object_get(tl, "same_day")),
	    "cutoff", S(tl, "cutoff"), "time_text", S(tl, "text"), "fee_amount", amount,
	    "fee_text", S(fee, "text"), "fee_exemptions", S(fee, "exemptions"), "documents", buf_str(&docs),
	    "steps", buf_str(&steps), "legal_basis", buf_str(&basis), "result", S(p, "result"),
	    "pub_decision", S(pub, "decision"), "pub_date", S(pub, "date"), "sources", S(p, "sources"),
	    "confidence", S(p, "confidence"));
#undef S
	buf_free(&docs);
	buf_free(&steps);
	buf_free(&basis);
	const char *lvl = json_string_value(json_object_get(p, "online_level"));
	json_t *levels = json_array();
	const char *lv[4][2] = {{"", "Chưa xác định (cần xác minh)"}, {"full", "Trực tuyến toàn trình"},
	                        {"partial", "Trực tuyến một phần"}, {"none", "Không trực tuyến"}};
	for (int k = 0; k < 4; k++)
		json_array_append_new(levels, json_pack("{s:s,s:s,s:b}", "value", lv[k][0], "label", lv[k][1],
		    "selected", (lvl ? strcmp(lvl, lv[k][0]) == 0 : k == 0)));
	json_object_set_new(f, "levels", levels);
	json_t *ver = json_array();
	for (size_t k = 0; k < NVERIFY; k++) {
		int on = 0;
		json_array_foreach(json_object_get(p, "to_verify"), i, v)
			on |= strcmp(json_string_value(v), verify_names[k][0]) == 0;
		json_array_append_new(ver, json_pack("{s:s,s:s,s:b}", "value", verify_names[k][0], "label",
		                                     verify_names[k][1], "checked", on));
	}
	json_object_set_new(f, "verify", ver);
	return f;
}

struct admin_collect {
	json_t *items;
};

static int
admin_one(struct store_proc *sp, void *arg)
{
	struct admin_collect *c = arg;
	json_t *o = catalog_object(sp);
	if (!o)
		return 0;
	const char *st = sp->status;
	json_array_append_new(c->items, json_pack("{s:O,s:O,s:O,s:i,s:s,s:b,s:b}", "code",
	    json_object_get(o, "code"), "name", json_object_get(o, "name"), "field",
	    json_object_get(o, "field"), "version", sp->version, "status_label",
	    strcmp(st, "draft") == 0 ? "Bản nháp" : strcmp(st, "retired") == 0 ? "Đã bãi bỏ" : "Đang công bố",
	    "draft", strcmp(st, "draft") == 0, "retired", strcmp(st, "retired") == 0));
	json_decref(o);
	return 0;
}

enum err
admin_catalog(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct admin_collect c = {json_array()};
	struct store_proc_query q = {.limit = 100000};
	int64_t total = 0;
	enum err e = store_proc_list(app->st, &q, admin_one, &c, &total);
	if (e) {
		json_decref(c.items);
		return e;
	}
	json_t *d = web_page_data(req, resp, "Quản lý thủ tục hành chính");
	if (!d) {
		json_decref(c.items);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "adm", json_pack("{s:o,s:I}", "items", c.items, "total", (json_int_t)total));
	const char *ok = form_get(&req->query, "ok");
	if (ok)
		json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message",
		    strcmp(ok, "cong-bo") == 0 ? "Đã công bố thủ tục." : strcmp(ok, "bai-bo") == 0 ? "Đã bãi bỏ thủ tục."
		    : "Đã lưu thủ tục."));
	return web_render(req, resp, "admin_catalog", d);
}

static enum err
edit_page(struct http_req *req, struct http_resp *resp, json_t *values, int is_new, int status,
          enum err err, const char *detail, const struct store_proc *cur)
{
	json_t *d = web_page_data(req, resp, is_new ? "Thêm thủ tục hành chính" : "Sửa thủ tục hành chính");
	if (!d) {
		json_decref(values);
		return ERR_NOMEM;
	}
	json_object_set_new(values, "is_new", json_boolean(is_new));
	if (cur) {
		json_object_set_new(values, "version", json_integer(cur->version));
		json_object_set_new(values, "published", json_boolean(strcmp(cur->status, "published") == 0));
		json_object_set_new(values, "is_draft", json_boolean(strcmp(cur->status, "draft") == 0));
		json_object_set_new(values, "retired", json_boolean(strcmp(cur->status, "retired") == 0));
	}
	json_object_set_new(d, "f", values);
	if (err)
		json_object_set_new(d, "error", json_pack("{s:s,s:s,s:s}", "message", err_message(err), "code",
		                                          err_code(err), "detail", detail ? detail : ""));
	resp->status = status;
	return web_render(req, resp, "admin_procedure", d);
}

enum err
admin_procedure_new(struct http_req *req, struct http_resp *resp)
{
	json_t *blank = json_pack("{s:s,s:s,s:s,s:s,s:{s:b,s:s},s:{s:s},s:[],s:[],s:[],s:{},s:s,s:[]}",
	    "code", "", "name", "", "field", "", "level", "Cấp xã", "time_limit", "same_day", 0, "text", "",
	    "fee", "text", "", "documents", "steps", "legal_basis", "publication", "sources", "", "to_verify");
	json_object_set_new(blank, "agency", json_string("Ủy ban nhân dân cấp xã"));
	json_t *v = form_values(blank);
	json_decref(blank);
	return edit_page(req, resp, v, 1, 200, ERR_OK, NULL, NULL);
}

enum err
admin_procedure(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct store_proc sp;
	enum err e = store_proc_get(app->st, http_param(req, 0), 0, &sp);
	if (e)
		return e;
	json_t *p = catalog_object(&sp);
	if (!p) {
		store_proc_free(&sp);
		return ERR_INTERNAL;
	}
	json_t *v = form_values(p);
	json_decref(p);
	e = edit_page(req, resp, v, 0, 200, ERR_OK, NULL, &sp);
	store_proc_free(&sp);
	return e;
}

/* Create (code from the form) or edit (code from the path); the button
 * pressed says draft or publish. */
static enum err
save(struct http_req *req, struct http_resp *resp, const char *code, int is_new)
{
	struct web_app *app = req->app;
	const char *status = strcmp(fv(req, "action"), "publish") == 0 ? "published" : "draft";
	struct store_proc cur;
	int have = store_proc_get(app->st, code, 0, &cur) == ERR_OK;
	if (is_new && have) {
		store_proc_free(&cur);
		json_t *raw = from_form(req, code, status);
		json_t *vals = form_values(raw);
		json_decref(raw);
		return edit_page(req, resp, vals, 1, 409, ERR_EXISTS, "Mã thủ tục này đã có trong danh mục.", NULL);
	}
	if (!is_new && !have)
		return ERR_NOT_FOUND;
	json_t *raw = from_form(req, code, status);
	enum err e;
	char detail[sizeof ((struct proc_problem *)0)->msg];
	struct proc canon;
	struct proc_problem pb;
	e = proc_from_json(raw, &canon, &pb);
	if (e) {
		snprintf(detail, sizeof detail, "%s", e == ERR_NOMEM ? err_message(e) : pb.msg);
		json_t *vals = form_values(raw);
		json_object_set_new(vals, "code", json_string(code));
		json_decref(raw);
		e = edit_page(req, resp, vals, is_new, err_status(e), e, detail, have ? &cur : NULL);
		if (have)
			store_proc_free(&cur);
		return e;
	}
	json_decref(raw);
	if (have)
		store_proc_free(&cur);
	char actor[96];
	web_actor(req, actor, sizeof actor);
	e = catalog_put(app->st, actor, &canon, "web", NULL);
	proc_free(&canon);
	if (e)
		return e;
	http_redirect(resp, strcmp(status, "published") == 0 ? "/quan-tri/thu-tuc?ok=cong-bo" : "/quan-tri/thu-tuc?ok=luu");
	return ERR_OK;
}

enum err
admin_procedure_create(struct http_req *req, struct http_resp *resp)
{
	return save(req, resp, fv(req, "code"), 1);
}

enum err
admin_procedure_update(struct http_req *req, struct http_resp *resp)
{
	return save(req, resp, http_param(req, 0), 0);
}

enum err
admin_procedure_status(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *s = fv(req, "status");
	if (strcmp(s, "published") != 0 && strcmp(s, "retired") != 0)
		return ERR_INVALID_FIELD;
	char actor[96];
	web_actor(req, actor, sizeof actor);
	enum err e = store_proc_set_status(app->st, actor, http_param(req, 0), s);
	if (e)
		return e;
	http_redirect(resp, s[0] == 'p' ? "/quan-tri/thu-tuc?ok=cong-bo" : "/quan-tri/thu-tuc?ok=bai-bo");
	return ERR_OK;
}

enum err
admin_catalog_export(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *fmt = form_get(&req->query, "dinh-dang");
	int csv = fmt && strcmp(fmt, "csv") == 0;
	buf_reset(&resp->body);
	enum err e = catalog_export(app->st, csv, &resp->body);
	if (e)
		return e;
	resp->content_type = csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
	http_resp_header(resp, "Content-Disposition", csv ? "attachment; filename=\"thu-tuc.csv\""
	                                                  : "attachment; filename=\"thu-tuc.json\"");
	return ERR_OK;
}

enum err
admin_catalog_import(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const struct form_field *f = NULL;
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].name, "file") == 0)
			f = &req->form.v[i];
	char actor[96], detail[512];
	web_actor(req, actor, sizeof actor);
	size_t n = 0, ch = 0;
	enum err e = f && f->value_len ? catalog_import(app->st, actor, f->value, f->value_len,
	                                                f->filename ? f->filename : "", &n, &ch, detail, sizeof detail)
	                               : ERR_MISSING_FIELD;
	if (e) {
		struct admin_collect c = {json_array()};
		struct store_proc_query q = {.limit = 100000};
		int64_t total = 0;
		store_proc_list(app->st, &q, admin_one, &c, &total);
		json_t *d = web_page_data(req, resp, "Quản lý thủ tục hành chính");
		json_object_set_new(d, "adm", json_pack("{s:o,s:I}", "items", c.items, "total", (json_int_t)total));
		json_object_set_new(d, "error", json_pack("{s:s,s:s}", "message", err_message(e), "detail",
		                                          f ? detail : "Chọn tệp .json hoặc .csv để nạp."));
		resp->status = err_status(e);
		return web_render(req, resp, "admin_catalog", d);
	}
	http_redirect(resp, "/quan-tri/thu-tuc?ok=nhap");
	return ERR_OK;
}
