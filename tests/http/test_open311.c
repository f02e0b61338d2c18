/*
 * test_open311.c — Open311 GeoReport v2 (issue #14 item 7) against the
 * real binary: the admin issues an API key (shown once, only its hash
 * kept) and revokes it; every endpoint answers in JSON and XML; a wrong
 * or revoked key is 403, an unknown service 404, a missing required
 * attribute 400, all in the spec's error format; a filed request is
 * listed open with none of the sender's data; a complaint filed at the
 * desk never shows.  Then the two Python programs run against the same
 * server: open311_validate.py (every answer against the official
 * schemas, XML against JSON) and open311_client.py (a client written
 * from the spec alone files a request and follows it).
 *
 * Staff act on cases through the case engine itself (src/app/cases.c),
 * opened in this process on the server's data folder — the same rules,
 * the same store, no page needed: a clerk files a complaint at the desk,
 * and the handler answers and closes the spec client's request.
 */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "driver.h"
#include "app/cases.h"
#include "core/roles.h"

static struct srv S;
static struct client ADMIN;
static char KEY[80];
static struct store *ST;   /* the server's data folder, opened here too */
static struct app APP;
static struct actor CLERK, OFFICER;
#define PW "mat-khau-thu-123"
#define V2 "/open311/v2"
#define SENDER "Trần Thị Riêngtư"
#define SENDER_PHONE "0987654321"
#define SENDER_MAIL "riengtu@example.vn"

/* The key shown once in the page r (input id="khoa"), into out. */
static int
key_of(const struct reply *r, char *out, size_t n)
{
	const char *p = strstr(buf_str(&r->body), "id=\"khoa\"");
	p = p ? strstr(p, "value=\"") : NULL;
	if (!p)
		return -1;
	p += 7;
	size_t len = strcspn(p, "\"");
	if (len == 0 || len >= n)
		return -1;
	snprintf(out, n, "%.*s", (int)len, p);
	return 0;
}

/* Issues a key named name as the admin; 0 with the key in out. */
static int
issue(const char *name, char *out, size_t n)
{
	struct buf f = BUF_INIT;
	buf_puts(&f, "name=");
	urlenc(&f, name);
	struct reply r;
	long st = submit_form(&ADMIN, "/quan-tri/open311", "/quan-tri/open311", buf_str(&f), &r);
	int rc = st == 201 ? key_of(&r, out, n) : -1;
	reply_free(&r);
	buf_free(&f);
	return rc;
}

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0 || add_user(&S, "o3.clerk", "clerk", "Văn Thư", PW) != 0 ||
	    add_user(&S, "o3.officer", "officer", "Cán Bộ Xử Lý", PW) != 0)
		return -1;
	char err[300];
	if (store_open_mode(&ST, S.dir, STORE_EXISTING, err, sizeof err) != 0 || app_init(&APP, ST, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	struct store_user u = {.id = user_id_of(&S, "o3.clerk"), .username = "o3.clerk", .role = "clerk", .active = 1};
	app_actor_staff(&CLERK, &u);
	u = (struct store_user){.id = user_id_of(&S, "o3.officer"), .username = "o3.officer", .role = "officer", .active = 1};
	app_actor_staff(&OFFICER, &u);
	if (!CLERK.user_id || !OFFICER.user_id)
		return -1;
	client_init(&ADMIN, &S);
	if (login(&ADMIN, "admin", S.admin_pw) != 303)
		return -1;
	return issue("Ứng dụng phản ánh hiện trường tỉnh", KEY, sizeof KEY);
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&ADMIN);
	app_free(&APP);
	store_close(ST);
	return group_stop(&S);
}

/* POST form to V2/requests.FMT. */
static long
post_request(const char *fmt, const char *form, struct reply *r)
{
	struct client c;
	client_init(&c, &S);
	char path[64];
	snprintf(path, sizeof path, V2 "/requests.%s", fmt);
	long st = post_form(&c, path, form, r) == 0 ? r->status : -1;
	client_free(&c);
	return st;
}

/* A request for service giao-thong with its required attribute, from the
 * key k, with the sender's data the answers must never carry. */
static void
form_for(struct buf *f, const char *k, const char *service, int with_required)
{
	buf_puts(f, "api_key=");
	urlenc(f, k);
	buf_printf(f, "&service_code=%s&lat=16.0544&long=108.2022&address_string=", service);
	urlenc(f, "Thôn Đông, xã Phong Hải");
	buf_puts(f, "&description=");
	urlenc(f, "Ổ gà sâu giữa đường <liên thôn> & trơn trượt");
	buf_puts(f, "&first_name=");
	urlenc(f, "Riêngtư");
	buf_puts(f, "&last_name=");
	urlenc(f, "Trần Thị");
	buf_printf(f, "&phone=%s&email=", SENDER_PHONE);
	urlenc(f, SENDER_MAIL);
	buf_puts(f, "&device_id=abc&account_id=42");
	if (with_required)
		buf_puts(f, "&attribute%5Bmuc-do%5D=nguy-hiem&attribute%5Bvi-tri%5D=");
	if (with_required)
		urlenc(f, "Gần cầu Khe");
}

/* The first error's code of a JSON error answer, or "". */
static void
error_code(const struct reply *r, char *out, size_t n)
{
	json_t *j = json_loads(buf_str(&r->body), 0, NULL);
	json_t *code = json_object_get(json_array_get(j, 0), "code");
	snprintf(out, n, "%s", json_is_string(code) ? json_string_value(code) : "");
	json_decref(j);
}

static void
test_keys_admin_only_shown_once(void **state)
{
	(void)state;
	/* the page lists the key by its prefix, never the key itself */
	struct reply r;
	assert_int_equal(get(&ADMIN, "/quan-tri/open311", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Ứng dụng phản ánh hiện trường tỉnh"));
	char prefix[16];
	snprintf(prefix, sizeof prefix, "%.9s", KEY);
	assert_true(reply_has(&r, prefix));
	assert_false(reply_has(&r, KEY));
	reply_free(&r);
	/* a clerk may not see or issue keys */
	struct client c;
	client_init(&c, &S);
	assert_int_equal(login(&c, "o3.clerk", PW), 303);
	assert_int_equal(get(&c, "/quan-tri/open311", &r), 0);
	assert_int_equal(r.status, 403);
	reply_free(&r);
	client_free(&c);
	/* a nameless key is refused, nothing issued */
	char k[80];
	assert_int_equal(submit_form(&ADMIN, "/quan-tri/open311", "/quan-tri/open311", "name=", &r), 400);
	reply_free(&r);
	/* a second key works, then is revoked and stops working */
	assert_int_equal(issue("FixMyStreet thử nghiệm", k, sizeof k), 0);
	assert_string_not_equal(k, KEY);
	struct buf f = BUF_INIT;
	form_for(&f, k, "giao-thong", 1);
	assert_int_equal(post_request("json", buf_str(&f), &r), 200);
	reply_free(&r);
	assert_int_equal(get(&ADMIN, "/quan-tri/open311", &r), 0);
	const char *row = strstr(buf_str(&r.body), "FixMyStreet thử nghiệm");
	const char *act = row ? strstr(row, "/quan-tri/open311/") : NULL;
	assert_non_null(act);
	char path[80];
	snprintf(path, sizeof path, "%.*s", (int)strcspn(act, "\""), act);
	reply_free(&r);
	assert_int_equal(submit_form(&ADMIN, "/quan-tri/open311", path, "", &r), 303);
	reply_free(&r);
	assert_int_equal(post_request("json", buf_str(&f), &r), 403);
	char code[40];
	error_code(&r, code, sizeof code);
	assert_string_equal(code, "403");
	assert_true(reply_has(&r, "[invalid_api_key]"));
	reply_free(&r);
	buf_free(&f);
}

static void
test_every_endpoint_both_formats(void **state)
{
	(void)state;
	const char *paths[] = {V2 "/discovery", V2 "/services", V2 "/services/giao-thong", V2 "/requests"};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		for (int x = 0; x < 2; x++) {
			char p[120], ct[80];
			snprintf(p, sizeof p, "%s.%s", paths[i], x ? "xml" : "json");
			struct reply r;
			assert_int_equal(fetch_from(&S, p, &r), 200);
			assert_non_null(reply_header(&r, "Content-Type", ct, sizeof ct));
			assert_non_null(strstr(ct, x ? "text/xml" : "application/json"));
			if (x)
				assert_int_equal(strncmp(buf_str(&r.body), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38), 0);
			reply_free(&r);
		}
	}
	/* ids and codes as strings, metadata a boolean */
	struct reply r;
	assert_int_equal(fetch_from(&S, V2 "/services.json", &r), 200);
	json_t *j = json_loads(buf_str(&r.body), 0, NULL);
	assert_true(json_array_size(j) >= 1);
	size_t i;
	json_t *s;
	int seen = 0;
	json_array_foreach(j, i, s) {
		assert_true(json_is_string(json_object_get(s, "service_code")));
		assert_true(json_is_boolean(json_object_get(s, "metadata")));
		seen += !strcmp(json_string_value(json_object_get(s, "service_code")), "giao-thong") &&
		        json_is_true(json_object_get(s, "metadata"));
	}
	assert_int_equal(seen, 1);
	json_decref(j);
	reply_free(&r);
	/* no format, or another one: the spec's 404 */
	assert_int_equal(fetch_from(&S, V2 "/services/giao-thong", &r), 404);
	assert_true(reply_has(&r, "<errors>"));
	reply_free(&r);
	assert_int_equal(fetch_from(&S, V2 "/services/giao-thong.html", &r), 404);
	reply_free(&r);
	assert_int_equal(fetch_from(&S, V2 "/khong-co.json", &r), 404);
	assert_true(reply_has(&r, "\"description\""));
	reply_free(&r);
}

static void
test_errors(void **state)
{
	(void)state;
	struct reply r;
	struct buf f = BUF_INIT;
	char code[40];
	/* wrong key: 403 in both formats */
	form_for(&f, "o311_khong-phai-khoa", "giao-thong", 1);
	assert_int_equal(post_request("json", buf_str(&f), &r), 403);
	error_code(&r, code, sizeof code);
	assert_string_equal(code, "403");
	assert_true(reply_has(&r, "[invalid_api_key]"));
	reply_free(&r);
	assert_int_equal(post_request("xml", buf_str(&f), &r), 403);
	assert_true(reply_has(&r, "<errors>"));
	assert_true(reply_has(&r, "<code>403</code>"));
	assert_true(reply_has(&r, "[invalid_api_key]</description>"));
	reply_free(&r);
	/* no key at all */
	assert_int_equal(post_request("json", "service_code=giao-thong&address_string=x", &r), 403);
	reply_free(&r);
	/* unknown service: 404 */
	buf_reset(&f);
	form_for(&f, KEY, "khong-co-dich-vu", 0);
	assert_int_equal(post_request("json", buf_str(&f), &r), 404);
	reply_free(&r);
	assert_int_equal(fetch_from(&S, V2 "/services/khong-co-dich-vu.xml", &r), 404);
	assert_true(reply_has(&r, "<error>"));
	reply_free(&r);
	/* the required attribute muc-do missing: 400, naming it */
	buf_reset(&f);
	form_for(&f, KEY, "giao-thong", 0);
	assert_int_equal(post_request("json", buf_str(&f), &r), 400);
	assert_true(reply_has(&r, "Mức độ nguy hiểm"));
	reply_free(&r);
	/* a value not in its list: 400 */
	buf_puts(&f, "&attribute%5Bmuc-do%5D=rat-nguy-hiem");
	assert_int_equal(post_request("xml", buf_str(&f), &r), 400);
	assert_true(reply_has(&r, "<code>400</code>"));
	assert_true(reply_has(&r, "[invalid_field]</description>"));
	reply_free(&r);
	/* unknown request and token: 404 */
	assert_int_equal(fetch_from(&S, V2 "/requests/PA-000000-0000.json", &r), 404);
	reply_free(&r);
	assert_int_equal(fetch_from(&S, V2 "/tokens/khong-co.json", &r), 404);
	reply_free(&r);
	/* a range over 90 days, a bad status: 400 */
	assert_int_equal(fetch_from(&S, V2 "/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", &r),
	                 400);
	reply_free(&r);
	assert_int_equal(fetch_from(&S, V2 "/requests.json?status=dang-xu-ly", &r), 400);
	reply_free(&r);
	buf_free(&f);
}

static void
test_request_listed_open_without_sender(void **state)
{
	(void)state;
	struct reply r;
	struct buf f = BUF_INIT;
	form_for(&f, KEY, "giao-thong", 1);
	assert_int_equal(post_request("json", buf_str(&f), &r), 200);
	json_t *j = json_loads(buf_str(&r.body), 0, NULL);
	const char *id = json_string_value(json_object_get(json_array_get(j, 0), "service_request_id"));
	const char *token = json_string_value(json_object_get(json_array_get(j, 0), "token"));
	assert_non_null(id);
	assert_non_null(token);
	char rid[40], tok[64], path[200];
	snprintf(rid, sizeof rid, "%s", id);
	snprintf(tok, sizeof tok, "%s", token);
	json_decref(j);
	reply_free(&r);

	/* the token gives the id */
	snprintf(path, sizeof path, V2 "/tokens/%s.json", tok);
	assert_int_equal(fetch_from(&S, path, &r), 200);
	assert_true(reply_has(&r, rid));
	reply_free(&r);
	/* the request and the list: open, its service, none of the sender */
	const char *reads[] = {V2 "/requests/%s.json", V2 "/requests/%s.xml", V2 "/requests.json",
	                       V2 "/requests.xml", V2 "/requests.json?status=open&service_code=giao-thong",
	                       V2 "/requests.json?service_request_id=%s"};
	for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
		snprintf(path, sizeof path, reads[i], rid);
		assert_int_equal(fetch_from(&S, path, &r), 200);
		assert_true(reply_has(&r, rid));
		assert_true(reply_has(&r, strstr(path, ".xml") ? "<status>open</status>" : "\"status\":\"open\""));
		assert_false(reply_has(&r, "Riêngtư"));
		assert_false(reply_has(&r, SENDER_PHONE));
		assert_false(reply_has(&r, SENDER_MAIL));
		assert_false(reply_has(&r, "abc\""));
		reply_free(&r);
	}
	/* closed only: not there */
	assert_int_equal(fetch_from(&S, V2 "/requests.json?status=closed", &r), 200);
	assert_false(reply_has(&r, rid));
	reply_free(&r);
	buf_free(&f);
}

/* Runs a Python program of tests/http with the arguments that follow
 * (NULL-terminated; URLs and keys, never a single quote); its output into
 * out; returns its exit status. */
static int
python(struct buf *out, const char *script, ...)
{
	struct buf cmd = BUF_INIT;
	buf_printf(&cmd, "python3 tests/http/%s", script);
	va_list ap;
	va_start(ap, script);
	for (const char *a; (a = va_arg(ap, const char *));)
		buf_printf(&cmd, " '%s'", a);
	va_end(ap);
	buf_puts(&cmd, " 2>&1");
	FILE *f = popen(buf_str(&cmd), "r");
	buf_free(&cmd);
	if (!f)
		return -1;
	char b[4096];
	size_t n;
	while ((n = fread(b, 1, sizeof b, f)) > 0)
		buf_append(out, b, n);
	int st = pclose(f);
	printf("%s", buf_str(out));
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_official_schemas(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	assert_int_equal(python(&out, "open311_validate.py", S.url, KEY, (char *)NULL), 0);
	assert_non_null(strstr(buf_str(&out), "open311_validate: ok"));
	buf_free(&out);
}

static void
test_complaint_never_shown(void **state)
{
	(void)state;
	/* a complaint in the category of a service, filed at the desk */
	struct app_case_in in = {
	    .kind = CASE_COMPLAINT_1,
	    .channel = APP_CASE_DESK,
	    .category = "trat-tu",
	    .subject = "Khiếu nại quyết định xử phạt về lấn chiếm lòng đường",
	    .content = "Tôi không đồng ý với quyết định xử phạt số 12/QĐ-XPHC.",
	    .respondent = "Quyết định 12/QĐ-XPHC của Chủ tịch UBND xã",
	    .address = "Thôn Đông",
	    .party = {.name = SENDER, .phone = SENDER_PHONE, .address = "Thôn Đông, xã Phong Hải"},
	};
	struct app_case_brief b;
	struct app_fail f = {"", ""};
	enum err e = app_case_submit(&APP, &CLERK, &in, &b, &f);
	if (e)
		printf("complaint refused: %s %s\n", f.field, f.msg);
	assert_int_equal(e, ERR_OK);
	char path[200];
	struct reply r;
	const char *reads[] = {V2 "/requests.json", V2 "/requests.xml", V2 "/requests.json?service_code=trat-tu",
	                       V2 "/requests.json?status=open,closed", V2 "/requests.json?service_request_id=%s"};
	for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
		snprintf(path, sizeof path, reads[i], b.code);
		assert_int_equal(fetch_from(&S, path, &r), 200);
		assert_false(reply_has(&r, b.code));
		assert_false(reply_has(&r, "Khiếu nại quyết định"));
		assert_false(reply_has(&r, SENDER));
		reply_free(&r);
	}
	snprintf(path, sizeof path, V2 "/requests/%s.json", b.code);
	assert_int_equal(fetch_from(&S, path, &r), 404);
	reply_free(&r);
	snprintf(path, sizeof path, V2 "/requests/%s.xml", b.code);
	assert_int_equal(fetch_from(&S, path, &r), 404);
	assert_false(reply_has(&r, SENDER));
	reply_free(&r);
}

/* The handler answers case code and closes it, as staff do (engine rules). */
static void
answer_and_close(const char *code)
{
	struct app_fail f = {"", ""};
	struct app_case_act act = {.action = CASE_A_ASSIGN, .handler_id = OFFICER.user_id};
	assert_int_equal(app_case_act(&APP, &CLERK, code, &act, &f), ERR_OK);
	act = (struct app_case_act){.action = CASE_A_DECIDE, .decision_text = "Đã thay bóng đèn ngày 05/12."};
	assert_int_equal(app_case_act(&APP, &OFFICER, code, &act, &f), ERR_OK);
	act = (struct app_case_act){.action = CASE_A_PUBLISH, .public_answer = "Đã thay bóng đèn."};
	assert_int_equal(app_case_act(&APP, &OFFICER, code, &act, &f), ERR_OK);
	act = (struct app_case_act){.action = CASE_A_CLOSE};
	assert_int_equal(app_case_act(&APP, &OFFICER, code, &act, &f), ERR_OK);
}

static void
test_client_from_the_spec(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	char disc[200];
	snprintf(disc, sizeof disc, "%s" V2 "/discovery.json", S.url);
	assert_int_equal(python(&out, "open311_client.py", "file", disc, KEY, (char *)NULL), 0);
	const char *filed = strstr(buf_str(&out), "filed ");
	assert_non_null(filed);
	char rid[40];
	assert_int_equal(sscanf(filed, "filed %39s", rid), 1);
	buf_free(&out);
	out = (struct buf)BUF_INIT;
	assert_int_equal(python(&out, "open311_client.py", "follow", disc, rid, "open", (char *)NULL), 0);
	buf_free(&out);
	/* staff answer and close it: the client sees it closed, with the answer */
	answer_and_close(rid);
	out = (struct buf)BUF_INIT;
	assert_int_equal(python(&out, "open311_client.py", "follow", disc, rid, "closed", (char *)NULL), 0);
	assert_non_null(strstr(buf_str(&out), "Đã thay bóng đèn."));
	buf_free(&out);
	/* and the schemas still hold with a closed request among the answers */
	out = (struct buf)BUF_INIT;
	assert_int_equal(python(&out, "open311_validate.py", S.url, KEY, (char *)NULL), 0);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_admin_only_shown_once),
		cmocka_unit_test(test_every_endpoint_both_formats),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_request_listed_open_without_sender),
		cmocka_unit_test(test_complaint_never_shown),
		cmocka_unit_test(test_official_schemas),
		cmocka_unit_test(test_client_from_the_spec),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
