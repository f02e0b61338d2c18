/*
 * open311.c — Open311 GeoReport v2 under /open311/v2/ (issue #14 item 7):
 * discovery, services, service definitions, POST requests (api_key),
 * tokens, GET requests with the spec's filters, one request.
 *
 * Every answer is built once as a jansson value and written either as
 * JSON or, through report/xml.c, as XML by the Spark convention the spec
 * names, so both formats carry the same fields and values.  Ids, codes
 * and keys are strings, `metadata`, `variable` and `required` booleans,
 * times RFC 3339 with +07:00.  Errors are the spec's array of {code,
 * description} with HTTP 403 (api_key), 404 (unknown resource) or 400.
 *
 * Nothing here reads or writes a sender's name, phone or e-mail back:
 * the answers come from struct app_case_public, which has none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/contact.h"
#include "app/open311.h"
#include "report/xml.h"
#include "web/web.h"

#define SPEC_URL "http://wiki.open311.org/GeoReport_v2"
/* When this discovery document last changed (the endpoint's shape). */
#define CHANGESET "2026-12-03T00:00:00+07:00"

enum fmt { FMT_NONE, FMT_JSON, FMT_XML };

static const struct xml_items items[] = {
	{"endpoints", "endpoint"}, {"formats", "format"}, {"services", "service"},
	{"attributes", "attribute"}, {"values", "value"}, {"service_requests", "request"},
	{"errors", "error"}, {NULL, NULL},
};

/* The format a resource name asks for ("requests.json" → JSON), with the
 * name without it in base (may be NULL). */
static enum fmt
fmt_of(const char *name, char *base, size_t n)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (!dot || dot == name)
		return FMT_NONE;
	if (base)
		snprintf(base, n, "%.*s", (int)(dot - name), name);
	if (!strcmp(dot, ".json"))
		return FMT_JSON;
	if (!strcmp(dot, ".xml"))
		return FMT_XML;
	return FMT_NONE;
}

/* The format of this request: the last segment of the path. */
static enum fmt
req_fmt(const struct http_req *req)
{
	const char *slash = strrchr(req->path, '/');
	return fmt_of(slash ? slash + 1 : req->path, NULL, 0);
}

/* Sends v (consumed) as JSON, or as XML under root. */
static void
send(struct http_resp *resp, enum fmt f, int status, const char *root, json_t *v)
{
	if (f == FMT_JSON) {
		http_json(resp, status, v);
		return;
	}
	resp->status = status;
	resp->content_type = "text/xml; charset=utf-8";
	buf_reset(&resp->body);
	xml_document(&resp->body, root, v, items);
	json_decref(v);
}

/* The spec's error answer: 403 for the api_key, 404 for what does not
 * exist, 400 for any other refusal; a server fault keeps its 5xx. */
static int
status_of(enum err e)
{
	int s = err_status(e);
	if (s == 403 || s == 404 || s >= 500)
		return s;
	return e == ERR_UNAUTHENTICATED ? 403 : 400;
}

static void
send_error(struct http_resp *resp, enum fmt f, enum err e, const char *field, const char *msg)
{
	/* the spec: code "should match the HTTP status code" (emitted as a
	 * string, like every code here); our stable error code ends the
	 * description in brackets */
	char desc[600], code[16];
	int status = status_of(e);
	if (field && *field)
		snprintf(desc, sizeof desc, "%s: %s [%s]", field, msg && *msg ? msg : err_message(e), err_code(e));
	else
		snprintf(desc, sizeof desc, "%s [%s]", msg && *msg ? msg : err_message(e), err_code(e));
	snprintf(code, sizeof code, "%d", status);
	json_t *errs = json_pack("[{s:s,s:s}]", "code", code, "description", desc);
	send(resp, f == FMT_NONE ? FMT_XML : f, status, "errors", errs);
}

int
open311_path(const char *path)
{
	return path && !strncmp(path, "/open311/", 9);
}

void
open311_error_page(struct http_req *req, struct http_resp *resp, enum err e, const char *detail)
{
	send_error(resp, req_fmt(req), e, NULL, detail);
}

/* The answer to a handler's error code. */
static enum err
fail(struct http_resp *resp, enum fmt f, enum err e, const struct app_fail *why)
{
	send_error(resp, f, e, why ? why->field : NULL, why ? why->msg : NULL);
	return ERR_OK;
}

/* ---- discovery ----------------------------------------------------------- */

enum err
open311_discovery(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	enum fmt f = req_fmt(req);
	char base[300], url[340];
	if (app->public_url[0])
		snprintf(base, sizeof base, "%s", app->public_url);
	else
		web_base_url(req, base, sizeof base);
	snprintf(url, sizeof url, "%s/open311/v2", base);
	struct store_contact c;
	enum err e = app_contact_get(&app->core, &c);
	if (e)
		return fail(resp, f, e, NULL);
	char contact[2400], keys[600];
	snprintf(contact, sizeof contact, "%s%s%s%s%s%s%s", app->agency.name, c.address[0] ? ", " : "", c.address,
	         c.phone[0] ? ", điện thoại " : "", c.phone, c.email[0] ? ", thư điện tử " : "", c.email);
	snprintf(keys, sizeof keys,
	         "Khóa API (api_key) để gửi phản ánh do quản trị viên hệ thống của %s cấp cho từng ứng dụng; "
	         "hãy liên hệ cơ quan theo thông tin trên.", app->agency.name);
	json_t *d = json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:[s,s]}]}", "changeset", CHANGESET, "contact",
	                      contact, "key_service", keys, "endpoints", "specification", SPEC_URL, "url", url,
	                      "changeset", CHANGESET, "type", app->agency.demo ? "test" : "production", "formats",
	                      "text/xml", "application/json");
	if (!d)
		return fail(resp, f, ERR_NOMEM, NULL);
	send(resp, f, 200, "discovery", d);
	return ERR_OK;
}

/* ---- services ------------------------------------------------------------ */

static json_t *
str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *
service_json(const struct app_case_category *c)
{
	return json_pack("{s:s,s:s,s:o,s:b,s:s,s:o,s:o}", "service_code", c->code, "service_name", c->name,
	                 "description", str_or_null(c->description), "metadata", c->nattrs > 0, "type", "realtime",
	                 "keywords", str_or_null(c->keywords), "group", str_or_null(c->group));
}

enum err
open311_services(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	enum fmt f = req_fmt(req);
	struct app_case_category *cats = NULL;
	size_t n = 0;
	enum err e = app_open311_services(&app->core, &cats, &n);
	if (e)
		return fail(resp, f, e, NULL);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, service_json(&cats[i]));
	free(cats);
	send(resp, f, 200, "services", list);
	return ERR_OK;
}

static int
list_type(const char *datatype)
{
	return !strcmp(datatype, "singlevaluelist") || !strcmp(datatype, "multivaluelist");
}

/* What the datatype expects, for the person filling it in. */
static const char *
datatype_help(const char *datatype)
{
	if (!strcmp(datatype, "number"))
		return "Một số (ví dụ 12 hoặc 3.5).";
	if (!strcmp(datatype, "datetime"))
		return "Ngày giờ ISO 8601 có múi giờ, ví dụ 2026-12-03T08:30:00+07:00.";
	if (!strcmp(datatype, "multivaluelist"))
		return "Chọn một hay nhiều giá trị trong danh sách (attribute[mã][]=giá trị).";
	if (!strcmp(datatype, "singlevaluelist"))
		return "Chọn một giá trị trong danh sách.";
	return NULL;
}

enum err
open311_service(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	char code[64];
	enum fmt f = fmt_of(http_param(req, 0), code, sizeof code);
	if (f == FMT_NONE)
		return fail(resp, f, ERR_NOT_FOUND, NULL);
	struct app_case_category c;
	enum err e = app_open311_service(&app->core, code, &c);
	if (e == ERR_NOT_FOUND) {
		struct app_fail why = {"service_code", "Không có dịch vụ với mã này."};
		return fail(resp, f, e, &why);
	}
	if (e)
		return fail(resp, f, e, NULL);
	json_t *attrs = json_array();
	for (int i = 0; i < c.nattrs; i++) {
		const char *help = datatype_help(c.attrs[i].datatype);
		json_t *a = json_pack("{s:b,s:s,s:s,s:b,s:o,s:i,s:s}", "variable", 1, "code", c.attrs[i].code,
		                      "datatype", c.attrs[i].datatype, "required", c.attrs[i].required,
		                      "datatype_description", str_or_null(help), "order", c.attrs[i].order,
		                      "description", c.attrs[i].description);
		if (a && list_type(c.attrs[i].datatype)) {
			json_t *vals = json_array();
			for (int v = 0; v < c.attrs[i].nvals; v++)
				json_array_append_new(vals, json_pack("{s:s,s:s}", "key", c.attrs[i].vals[v].key, "name",
				                                      c.attrs[i].vals[v].name));
			json_object_set_new(a, "values", vals);
		}
		json_array_append_new(attrs, a);
	}
	json_t *d = json_pack("{s:s,s:o}", "service_code", c.code, "attributes", attrs);
	if (!d)
		return fail(resp, f, ERR_NOMEM, NULL);
	send(resp, f, 200, "service_definition", d);
	return ERR_OK;
}

/* ---- requests ------------------------------------------------------------ */

/* What the agency will do and by when, in words. */
static void
notice_of(struct web_app *app, const char *unit, int64_t due, char *out, size_t n)
{
	char day[40] = "";
	if (due)
		vn_fmt_date(due, day, sizeof day);
	snprintf(out, n, "%s tiếp nhận, xem xét và trả lời phản ánh%s%s.", unit[0] ? unit : app->agency.name,
	         day[0] ? " trước ngày " : "", day);
}

/* One request as the spec's fields, in the spec's order: no sender data
 * exists in p. */
static json_t *
request_json(struct web_app *app, const struct app_case_public *p)
{
	int closed = case_stage_final(p->stage);
	char notes[2000], notice[400];
	const char *label = case_stage_label(p->kind, p->stage);
	snprintf(notes, sizeof notes, "%s%s%s%s%s", label ? label : "", p->reason[0] ? ": " : "", p->reason,
	         p->public_answer && p->public_answer[0] ? ". Trả lời: " : "", p->public_answer ? p->public_answer : "");
	notice_of(app, p->agency_unit, p->due_at, notice, sizeof notice);
	int64_t updated = closed && p->closed_at ? p->closed_at : p->updated_at;
	json_t *r = json_object();
	json_object_set_new(r, "service_request_id", json_string(p->code));
	json_object_set_new(r, "status", json_string(closed ? "closed" : "open"));
	json_object_set_new(r, "status_notes", json_string(notes));
	json_object_set_new(r, "service_name", str_or_null(p->category_name));
	json_object_set_new(r, "service_code", json_string(p->category));
	json_object_set_new(r, "description", str_or_null(p->subject));
	json_object_set_new(r, "agency_responsible", json_string(p->agency_unit[0] ? p->agency_unit : app->agency.name));
	json_object_set_new(r, "service_notice", json_string(notice));
	json_object_set_new(r, "requested_datetime", web_json_instant(p->received_at));
	json_object_set_new(r, "updated_datetime", web_json_instant(updated));
	json_object_set_new(r, "expected_datetime", closed ? json_null() : web_json_instant(p->due_at));
	json_object_set_new(r, "address", str_or_null(p->address));
	json_object_set_new(r, "address_id", json_null());
	json_object_set_new(r, "zipcode", json_null());
	json_object_set_new(r, "lat", p->has_location ? json_real(p->lat) : json_null());
	json_object_set_new(r, "long", p->has_location ? json_real(p->lon) : json_null());
	/* the sender's media_url stays in the case's content, for staff only */
	json_object_set_new(r, "media_url", json_null());
	return r;
}

enum err
open311_request(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	char code[APP_CASE_CODE_MAX + 8];
	enum fmt f = fmt_of(http_param(req, 0), code, sizeof code);
	if (f == FMT_NONE)
		return fail(resp, f, ERR_NOT_FOUND, NULL);
	struct app_case_public p;
	enum err e = app_case_public_get(&app->core, code, &p);
	if (e == ERR_NOT_FOUND) {
		struct app_fail why = {"service_request_id", "Không có phản ánh với mã này."};
		return fail(resp, f, e, &why);
	}
	if (e)
		return fail(resp, f, e, NULL);
	json_t *list = app_open311_kind(p.kind) ? json_pack("[o]", request_json(app, &p)) : NULL;
	app_case_public_free(&p);
	if (!list)
		return fail(resp, f, ERR_NOT_FOUND, NULL);
	send(resp, f, 200, "service_requests", list);
	return ERR_OK;
}

enum err
open311_token(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	char token[64], code[APP_CASE_CODE_MAX];
	enum fmt f = fmt_of(http_param(req, 0), token, sizeof token);
	if (f == FMT_NONE)
		return fail(resp, f, ERR_NOT_FOUND, NULL);
	enum err e = app_case_by_token(&app->core, token, code);
	if (e == ERR_NOT_FOUND) {
		struct app_fail why = {"token", "Không có yêu cầu với mã token này."};
		return fail(resp, f, e, &why);
	}
	if (e)
		return fail(resp, f, e, NULL);
	send(resp, f, 200, "service_requests",
	     json_pack("[{s:s,s:s}]", "service_request_id", code, "token", token));
	return ERR_OK;
}

/* A query argument; "" counts as absent (the spec's optional arguments). */
static const char *
arg(const struct form *q, const char *name)
{
	const char *v = form_get(q, name);
	return v && *v ? v : NULL;
}

/* Splits a comma list into trimmed, non-empty items pointing into buf. */
static int
split_list(char *buf, const char **out, size_t max, size_t *n)
{
	*n = 0;
	for (char *p = strtok(buf, ","); p; p = strtok(NULL, ",")) {
		while (*p == ' ')
			p++;
		size_t len = strlen(p);
		while (len && p[len - 1] == ' ')
			p[--len] = '\0';
		if (!len)
			continue;
		if (*n == max)
			return -1;
		out[(*n)++] = p;
	}
	return 0;
}

/* A w3 date-time; a '+' of the offset that arrived as a space (an
 * unencoded query string) is read as '+'. */
static int
parse_when(const char *s, int64_t *t)
{
	char b[64];
	if (strlen(s) >= sizeof b)
		return -1;
	snprintf(b, sizeof b, "%s", s);
	size_t n = strlen(b);
	if (n > 6 && b[n - 6] == ' ')
		b[n - 6] = '+';
	return vn_parse_rfc3339(b, t);
}

enum err
open311_requests(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	enum fmt f = req_fmt(req);
	const struct form *q = &req->query;
	struct app_fail why = {"", ""};
	char ids_buf[2048] = "", svc_buf[2048] = "", st_buf[64] = "";
	const char *ids[APP_OPEN311_CODES], *svcs[APP_OPEN311_CODES], *sts[4];
	struct app_open311_query oq = {.ids = ids, .services = svcs};
	size_t nst = 0;
	const char *v;
	if ((v = arg(q, "service_request_id")) &&
	    (strlen(v) >= sizeof ids_buf || (snprintf(ids_buf, sizeof ids_buf, "%s", v),
	                                     split_list(ids_buf, ids, APP_OPEN311_CODES, &oq.nids)))) {
		snprintf(why.field, sizeof why.field, "service_request_id");
		snprintf(why.msg, sizeof why.msg, "Tối đa %d mã, cách nhau bằng dấu phẩy.", APP_OPEN311_CODES);
		return fail(resp, f, ERR_OUT_OF_RANGE, &why);
	}
	if ((v = arg(q, "service_code")) &&
	    (strlen(v) >= sizeof svc_buf || (snprintf(svc_buf, sizeof svc_buf, "%s", v),
	                                     split_list(svc_buf, svcs, APP_OPEN311_CODES, &oq.nservices)))) {
		snprintf(why.field, sizeof why.field, "service_code");
		snprintf(why.msg, sizeof why.msg, "Tối đa %d mã dịch vụ, cách nhau bằng dấu phẩy.", APP_OPEN311_CODES);
		return fail(resp, f, ERR_OUT_OF_RANGE, &why);
	}
	if ((v = arg(q, "status"))) {
		int ok = strlen(v) < sizeof st_buf;
		if (ok) {
			snprintf(st_buf, sizeof st_buf, "%s", v);
			ok = split_list(st_buf, sts, 4, &nst) == 0;
		}
		for (size_t i = 0; ok && i < nst; i++) {
			if (!strcmp(sts[i], "open"))
				oq.open = 1;
			else if (!strcmp(sts[i], "closed"))
				oq.closed = 1;
			else
				ok = 0;
		}
		if (!ok) {
			why = (struct app_fail){"status", "Trạng thái là open hoặc closed (có thể cả hai, cách nhau bằng dấu phẩy)."};
			return fail(resp, f, ERR_INVALID_FIELD, &why);
		}
	}
	const char *sd = arg(q, "start_date"), *ed = arg(q, "end_date");
	int64_t now = (int64_t)time(NULL);
	if ((sd && parse_when(sd, &oq.from)) || (ed && parse_when(ed, &oq.to))) {
		why = (struct app_fail){"", "start_date và end_date theo định dạng w3 có múi giờ, ví dụ 2026-12-01T00:00:00+07:00."};
		snprintf(why.field, sizeof why.field, "%s", sd && parse_when(sd, &oq.from) ? "start_date" : "end_date");
		return fail(resp, f, ERR_BAD_TIME, &why);
	}
	/* the default range: the most recent 90 days, or 90 days from / to the one date given */
	if (!sd && !ed) {
		oq.to = now;
		oq.from = now - APP_OPEN311_WINDOW;
	} else if (!ed) {
		oq.to = oq.from + APP_OPEN311_WINDOW;
	} else if (!sd) {
		oq.from = oq.to - APP_OPEN311_WINDOW;
	}
	struct app_case_public *list = NULL;
	size_t n = 0;
	enum err e = app_open311_requests(&app->core, &oq, &list, &n);
	if (e == ERR_OUT_OF_RANGE) {
		why = (struct app_fail){"end_date", "Khoảng thời gian không quá 90 ngày, end_date không trước start_date."};
		return fail(resp, f, e, &why);
	}
	if (e)
		return fail(resp, f, e, NULL);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		if (app_open311_kind(list[i].kind))
			json_array_append_new(out, request_json(app, &list[i]));
	app_case_public_list_free(list, n);
	send(resp, f, 200, "service_requests", out);
	return ERR_OK;
}

/* ---- POST requests ------------------------------------------------------- */

/* attribute[code] and attribute[code][] fields into attrs (values of a
 * code given several times joined by "\n" into vals).  -1 when there are
 * too many or a name is malformed. */
static int
collect_attrs(const struct form *form, struct app_case_attr *attrs, char codes[][48], struct buf *vals,
              size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < form->n; i++) {
		const char *name = form->v[i].name;
		if (strncmp(name, "attribute[", 10))
			continue;
		const char *code = name + 10, *end = strchr(code, ']');
		if (!end || end == code || (size_t)(end - code) >= 48 || (strcmp(end, "]") && strcmp(end, "][]")))
			return -1;
		size_t j;
		for (j = 0; j < *n; j++)
			if (strlen(codes[j]) == (size_t)(end - code) && !memcmp(codes[j], code, (size_t)(end - code)))
				break;
		if (j == *n) {
			if (*n == APP_CASE_ATTRS)
				return -1;
			snprintf(codes[j], 48, "%.*s", (int)(end - code), code);
			(*n)++;
		} else {
			buf_putc(&vals[j], '\n');
		}
		buf_puts(&vals[j], form->v[i].value);
	}
	for (size_t j = 0; j < *n; j++) {
		attrs[j].code = codes[j];
		attrs[j].value = buf_str(&vals[j]);
		if (vals[j].oom)
			return -1;
	}
	return 0;
}

/* A decimal coordinate. */
static int
coord(const char *s, double *out)
{
	char *end;
	*out = strtod(s, &end);
	return *s && !*end ? 0 : -1;
}

enum err
open311_post(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	enum fmt f = req_fmt(req);
	const struct form *form = &req->form;
	struct app_open311_post in = {0};
	struct app_fail why = {"", ""};
	in.api_key = form_get(form, "api_key");
	if (!in.api_key)
		in.api_key = form_get(&req->query, "api_key");
	in.service_code = arg(form, "service_code");
	const char *lat = arg(form, "lat"), *lon = arg(form, "long");
	if (lat || lon) {
		if (!lat || !lon || coord(lat, &in.lat) || coord(lon, &in.lon)) {
			why = (struct app_fail){"lat", "lat và long phải được gửi cùng nhau, là số thập phân (WGS84)."};
			return fail(resp, f, ERR_INVALID_FIELD, &why);
		}
		in.has_location = 1;
	}
	in.address = arg(form, "address_string");
	in.address_id = arg(form, "address_id");
	in.email = arg(form, "email");
	in.first_name = arg(form, "first_name");
	in.last_name = arg(form, "last_name");
	in.phone = arg(form, "phone");
	in.description = arg(form, "description");
	in.media_url = arg(form, "media_url");
	/* device_id and account_id are not kept: nobody here reads them */
	struct app_case_attr attrs[APP_CASE_ATTRS];
	char codes[APP_CASE_ATTRS][48];
	struct buf vals[APP_CASE_ATTRS];
	for (size_t i = 0; i < APP_CASE_ATTRS; i++)
		vals[i] = (struct buf)BUF_INIT;
	enum err e = ERR_OK;
	if (collect_attrs(form, attrs, codes, vals, &in.nattrs)) {
		why = (struct app_fail){"attribute", "Thuộc tính viết dạng attribute[mã]=giá trị (tối đa 16 mã)."};
		e = ERR_INVALID_FIELD;
	}
	in.attrs = attrs;
	struct app_case_brief b;
	if (!e)
		e = app_open311_submit(&app->core, &in, &b, &why);
	for (size_t i = 0; i < APP_CASE_ATTRS; i++)
		buf_free(&vals[i]);
	if (e)
		return fail(resp, f, e, &why);
	char notice[400];
	notice_of(app, "", b.due_at, notice, sizeof notice);
	/* synchronous: the id at once; the token too, for clients that follow tokens */
	json_t *d = json_pack("[{s:s,s:s,s:s,s:n}]", "service_request_id", b.code, "token", b.token, "service_notice",
	                      notice, "account_id");
	send(resp, f, 200, "service_requests", d);
	return ERR_OK;
}
