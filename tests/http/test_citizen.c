/*
 * test_citizen.c — citizen accounts and online submission (issue #13
 * items 1, 2): one-time codes expire, allow 5 tries, are throttled per
 * recipient and per client and never reach the log or the audit trail;
 * the citizen session is not the staff one; a citizen reads only his own
 * dossiers and files, whatever URL or form he tries; a file named .pdf
 * holding HTML is refused; an online dossier waits as "Mới đăng ký" until
 * the clerk accepts it, and the citizen sees a supplement request's
 * reason and answers it; the owner downloads the electronic result and
 * reads the messages sent about his dossier, another citizen cannot.
 */
#include <dirent.h>
#include <unistd.h>
#include <jansson.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "driver.h"

static struct srv S;
static char CLERK[200], OFFICER[200], LEADER[200];
static long OFFICER_ID;
#define PW "mat-khau-thu-123"
#define PROC "2.000635"   /* Cấp bản sao Trích lục hộ tịch: one paper, 8.000 đồng */

/* Marks PROC online (full) through the catalogue importer, as an admin would. */
static int
proc_online(void)
{
	char all[400], one[400];
	snprintf(all, sizeof all, "%s/all.json", S.dir);
	snprintf(one, sizeof one, "%s/one.json", S.dir);
	struct buf out = BUF_INIT;
	int rc = run_cli(NULL, &out, "export", "procedures", "--data", S.dir, "--out", all, NULL);
	json_t *d = rc == 0 ? json_load_file(all, 0, NULL) : NULL, *ps = json_object_get(d, "procedures"), *keep = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(ps, i, p) if (strcmp(json_string_value(json_object_get(p, "code")), PROC) == 0) {
		json_object_set_new(p, "online_level", json_string("full"));
		json_array_append(keep, p);
	}
	json_object_set_new(d, "procedures", keep);
	rc = d && json_array_size(keep) == 1 && json_dump_file(d, one, 0) == 0 ? 0 : -1;
	json_decref(d);
	out.len = 0;
	if (!rc)
		rc = run_cli(NULL, &out, "import", "procedures", "--data", S.dir, one, NULL);
	buf_free(&out);
	return rc;
}

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0 || add_user(&S, "cd.clerk", "clerk", "Văn Thư", PW) != 0 ||
	    add_user(&S, "cd.officer", "officer", "Cán Bộ", PW) != 0 ||
	    add_user(&S, "cd.leader", "leader", "Lãnh Đạo", PW) != 0 || proc_online() != 0)
		return -1;
	OFFICER_ID = user_id_of(&S, "cd.officer");
	return OFFICER_ID > 0 && bearer_for(&S, "cd.clerk", PW, CLERK, sizeof CLERK) == 201 &&
	               bearer_for(&S, "cd.officer", PW, OFFICER, sizeof OFFICER) == 201 &&
	               bearer_for(&S, "cd.leader", PW, LEADER, sizeof LEADER) == 201
	           ? 0
	           : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return group_stop(&S);
}

/* POSTs contact to /cong-dan/ma from c (a CSRF token first). */
static long
send_code(struct client *c, const char *contact)
{
	struct buf f = BUF_INIT;
	buf_puts(&f, "contact=");
	urlenc(&f, contact);
	struct reply r;
	long st = submit_form(c, "/cong-dan/dang-nhap", "/cong-dan/ma", buf_str(&f), &r);
	reply_free(&r);
	buf_free(&f);
	return st;
}

/* The one-time code of the newest message to `to` in DATA/messages newer
 * than the last one read; "" if none arrives within 10 s (the delivery
 * worker writes messages after the request that queued them). */
static long long last_read = -1;

static void
read_code(const char *to, char *code, size_t n)
{
	char dir[400], path[700], head[300];
	snprintf(dir, sizeof dir, "%s/messages", S.dir);
	snprintf(head, sizeof head, "To: %s\n", to);
	code[0] = '\0';
	for (int tries = 0; tries < 200 && !code[0]; tries++) {
		if (tries)
			usleep(50 * 1000);
		DIR *d = opendir(dir);
		if (!d)
			continue;
		struct dirent *e;
		long long best = last_read;
		while ((e = readdir(d))) {
			long long num = atoll(e->d_name);
			if (e->d_name[0] == '.' || num <= best || !strstr(e->d_name, ".txt"))
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			FILE *f = fopen(path, "r");
			char text[2000] = "";
			size_t k = f ? fread(text, 1, sizeof text - 1, f) : 0;
			text[k] = '\0';
			if (f)
				fclose(f);
			const char *body = strstr(text, "\n\n");
			if (strncmp(text, head, strlen(head)) != 0 || !body)
				continue;
			for (const char *p = body; *p; p++)
				if (strspn(p, "0123456789") == 6 && (p == body || p[-1] < '0' || p[-1] > '9')) {
					best = num;
					snprintf(code, n, "%.6s", p);
					break;
				}
		}
		closedir(d);
		if (code[0])
			last_read = best;
	}
}

static long
sign_in(struct client *c, const char *contact, const char *code)
{
	struct buf f = BUF_INIT;
	buf_puts(&f, "contact=");
	urlenc(&f, contact);
	buf_puts(&f, "&code=");
	urlenc(&f, code);
	struct reply r;
	long st = submit_form(c, "/cong-dan/dang-nhap", "/cong-dan/dang-nhap", buf_str(&f), &r);
	reply_free(&r);
	buf_free(&f);
	return st;
}

/* A new client signed in as contact. */
static void
citizen(struct client *c, const char *contact)
{
	char code[8];
	client_init(c, &S);
	assert_int_equal(send_code(c, contact), 200);
	read_code(contact, code, sizeof code);
	assert_int_equal(strlen(code), 6);
	assert_int_equal(sign_in(c, contact, code), 303);
}

#define PDF "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

/* Submits PROC with one file (bytes, named name) as c; the dossier code
 * into code (from the redirect) when it is accepted.  Returns the status. */
static long
submit(struct client *c, const char *name, const char *bytes, char *code, size_t n)
{
	struct reply g, r;
	char csrf[128] = "";
	get(c, "/cong-dan/nop/" PROC, &g);
	assert_int_equal(g.status, 200);
	csrf_of(&g, csrf, sizeof csrf);
	reply_free(&g);
	struct buf b = BUF_INIT;
	buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", csrf);
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"ho_ten\"\r\n\r\nNguyễn Văn Trực Tuyến\r\n");
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"dien_thoai\"\r\n\r\n0912000111\r\n");
	buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"tep_0\"; filename=\"%s\"\r\n"
	           "Content-Type: application/pdf\r\n\r\n%s\r\n--XyZ--\r\n", name, bytes);
	req(c, "POST", "/cong-dan/nop/" PROC, "multipart/form-data; boundary=XyZ", buf_str(&b), b.len, NULL, &r);
	buf_free(&b);
	long st = r.status;
	char loc[300] = "";
	reply_header(&r, "Location", loc, sizeof loc);
	if (code && st == 303)
		snprintf(code, n, "%.*s", (int)strcspn(loc + strlen("/cong-dan/ho-so/"), "?"),
		         loc + strlen("/cong-dan/ho-so/"));
	reply_free(&r);
	return st;
}

/* Does the file at path (the server log) or the audit trail hold code
 * as a token of its own? */
static int
log_has(const char *code)
{
	FILE *f = fopen(S.log, "r");
	char line[8192];
	int found = 0;
	while (f && fgets(line, sizeof line, f))
		for (const char *p = strstr(line, code); p && !found; p = strstr(p + 1, code))
			found = (p == line || p[-1] < '0' || p[-1] > '9') && (p[6] < '0' || p[6] > '9');
	if (f)
		fclose(f);
	return found;
}

static int
audit_has(const char *text)
{
	char db[400];
	snprintf(db, sizeof db, "%s/motcua.db", S.dir);
	sqlite3 *h;
	sqlite3_stmt *s;
	int found = -1;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM audit_events WHERE instr(details, ?1) OR instr(actor, ?1)",
	                       -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			found = sqlite3_column_int(s, 0) > 0;
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	return found;
}

static void
test_code_sign_in(void **state)
{
	(void)state;
	struct client c;
	char code[8];
	client_init(&c, &S);
	/* no session: citizen pages send to the citizen sign-in */
	struct reply r;
	get(&c, "/cong-dan/ho-so", &r);
	char loc[200] = "";
	reply_header(&r, "Location", loc, sizeof loc);
	assert_int_equal(r.status, 303);
	assert_int_equal(strncmp(loc, "/cong-dan/dang-nhap?next=", 25), 0);
	reply_free(&r);
	assert_int_equal(send_code(&c, "0987 654 321"), 200);
	read_code("0987654321", code, sizeof code);
	assert_int_equal(strlen(code), 6);
	/* an immediate second send to the same recipient waits */
	assert_int_equal(send_code(&c, "0987654321"), 429);
	assert_int_equal(sign_in(&c, "0987654321", code), 303);
	get(&c, "/cong-dan/ho-so", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Hồ sơ của tôi"));
	assert_true(reply_has(&r, "0987654321"));
	reply_free(&r);
	/* a code is used once */
	struct client c2;
	client_init(&c2, &S);
	assert_int_equal(sign_in(&c2, "0987654321", code), 401);
	client_free(&c2);
	/* never in the log nor the trail */
	assert_false(log_has(code));
	assert_int_equal(audit_has(code), 0);
	/* signed out: the session is gone */
	struct reply g;
	char csrf[128] = "", body[200];
	get(&c, "/cong-dan/ho-so", &g);
	csrf_of(&g, csrf, sizeof csrf);
	reply_free(&g);
	snprintf(body, sizeof body, "csrf=%s", csrf);
	post_form(&c, "/cong-dan/dang-xuat", body, &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	get(&c, "/cong-dan/ho-so", &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	client_free(&c);
}

static void
test_code_expires_and_tries(void **state)
{
	(void)state;
	struct client c;
	char code[8], wrong[8];
	client_init(&c, &S);
	/* five wrong tries end the code: the right one then fails too */
	assert_int_equal(send_code(&c, "thu.nam@vi-du.vn"), 200);
	read_code("thu.nam@vi-du.vn", code, sizeof code);
	assert_int_equal(strlen(code), 6);
	snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
	for (int i = 0; i < 5; i++)
		assert_int_equal(sign_in(&c, "Thu.Nam@vi-du.vn", wrong), 401);
	assert_int_equal(sign_in(&c, "thu.nam@vi-du.vn", code), 401);
	/* an expired code is refused */
	assert_int_equal(send_code(&c, "0977555666"), 200);
	read_code("0977555666", code, sizeof code);
	assert_int_equal(srv_sql(&S, "UPDATE citizen_codes SET expires_at = strftime('%s','now') - 1"
	                             " WHERE contact = '0977555666'"), 0);
	assert_int_equal(sign_in(&c, "0977555666", code), 401);
	/* nothing logged of either */
	assert_false(log_has(code));
	assert_int_equal(audit_has(code), 0);
	client_free(&c);
}

static void
test_isolation(void **state)
{
	(void)state;
	struct client a, b, clerk;
	char da[80], db[80];
	citizen(&a, "0911222333");
	citizen(&b, "0911222444");
	assert_int_equal(submit(&a, "to-khai.pdf", PDF, da, sizeof da), 303);
	assert_int_equal(submit(&b, "cua-b.pdf", PDF "b", db, sizeof db), 303);
	struct reply r;
	char path[300];
	snprintf(path, sizeof path, "/cong-dan/ho-so/%s", da);
	get(&a, path, &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Đã nộp, chờ tiếp nhận"));
	assert_true(reply_has(&r, "Trực tuyến"));
	assert_true(reply_has(&r, "mã kênh 2"));   /* the national channel code of online */
	const char *p = strstr(buf_str(&r.body), "/tep/");
	assert_non_null(p);
	char file[400];
	snprintf(file, sizeof file, "%s/tep/%.64s", path, p + 5);
	reply_free(&r);
	get(&a, file, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(strncmp(buf_str(&r.body), "%PDF-", 5), 0);
	reply_free(&r);
	/* B tries A's dossier, its file, its lower-case code, a supplement and a withdrawal */
	char lower[300];
	snprintf(lower, sizeof lower, "%s", path);
	for (char *q = lower; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	const char *tries[] = {path, file, lower};
	for (size_t i = 0; i < 3; i++) {
		get(&b, tries[i], &r);
		if (r.status != 404)
			fail_msg("B read %s: %ld", tries[i], r.status);
		assert_false(reply_has(&r, "Nguyễn Văn Trực Tuyến"));
		reply_free(&r);
	}
	char act[320];
	snprintf(act, sizeof act, "%s/rut", path);
	/* A's own forms without the token, or with B's: refused, nothing written */
	char forged[400];
	struct reply g;
	char bcsrf[128] = "";
	get(&b, "/cong-dan/ho-so", &g);
	csrf_of(&g, bcsrf, sizeof bcsrf);
	reply_free(&g);
	snprintf(forged, sizeof forged, "csrf=%s&ly_do=gia+mao", bcsrf);
	const char *bodies[] = {"ly_do=gia+mao", forged};
	for (size_t i = 0; i < 2; i++) {
		post_form(&a, act, bodies[i], &r);
		assert_int_equal(r.status, 403);
		assert_true(reply_has(&r, "csrf_failed") || reply_has(&r, "Phiên biểu mẫu"));
		reply_free(&r);
	}
	assert_int_equal(submit_form(&b, "/cong-dan/ho-so", act, "ly_do=thu", &r), 404);
	reply_free(&r);
	get(&b, "/cong-dan/ho-so", &r);
	assert_false(reply_has(&r, da));
	assert_true(reply_has(&r, db));
	reply_free(&r);
	/* a staff session is no citizen session */
	client_init(&clerk, &S);
	assert_int_equal(login(&clerk, "cd.clerk", PW), 303);
	get(&clerk, path, &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	/* but the clerk finds it in reception, channel online, not accepted */
	char api[300];
	snprintf(api, sizeof api, "/api/v1/dossiers/%s", da);
	req(&clerk, "GET", api, NULL, NULL, 0, CLERK, &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "\"status\":\"new\""));
	assert_true(reply_has(&r, "\"channel\":\"online\""));
	reply_free(&r);
	client_free(&clerk);
	client_free(&a);
	client_free(&b);
}

static void
test_pdf_named_html(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	citizen(&c, "0911222555");
	assert_int_equal(submit(&c, "giay-to.pdf", "<html><script>alert(1)</script></html>", NULL, 0), 415);
	get(&c, "/cong-dan/ho-so", &r);
	assert_true(reply_has(&r, "chưa nộp hồ sơ trực tuyến nào"));
	reply_free(&r);
	/* a 50 MiB body is refused from its head, before it is read */
	char raw[1200], cookie[200] = "";
	/* the citizen's cookie, from curl's jar */
	struct curl_slist *ck = NULL;
	curl_easy_getinfo(c.h, CURLINFO_COOKIELIST, &ck);
	for (struct curl_slist *k = ck; k; k = k->next) {
		const char *t = strstr(k->data, "motcua_citizen\t");
		if (t)
			snprintf(cookie, sizeof cookie, "motcua_citizen=%s", t + strlen("motcua_citizen\t"));
	}
	curl_slist_free_all(ck);
	assert_true(cookie[0]);
	snprintf(raw, sizeof raw, "POST /cong-dan/nop/%s HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n"
	         "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: %d\r\n\r\n", PROC, cookie,
	         50 * 1024 * 1024);
	assert_int_equal(raw_request(&S, raw, strlen(raw), NULL), 413);
	client_free(&c);
}

static void
test_clerk_accepts_and_asks(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	char code[80], path[300], api[300], body[400];
	citizen(&c, "0911222666");
	assert_int_equal(submit(&c, "anh.pdf", PDF "c", code, sizeof code), 303);
	snprintf(path, sizeof path, "/cong-dan/ho-so/%s", code);
	snprintf(api, sizeof api, "/api/v1/dossiers/%s/actions", code);
	/* the clerk asks for a supplement before accepting */
	snprintf(body, sizeof body, "{\"action\":\"request_supplement\",\"note\":\"Bản quét bị mờ\","
	         "\"missing\":[\"Tờ khai rõ nét\"]}");
	struct client k;
	client_init(&k, &S);
	req(&k, "POST", api, "application/json", body, strlen(body), CLERK, &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	get(&c, path, &r);
	assert_true(reply_has(&r, "Bản quét bị mờ"));
	assert_true(reply_has(&r, "Tờ khai rõ nét"));
	assert_true(reply_has(&r, "/bo-sung"));
	reply_free(&r);
	/* the citizen answers with a real scan; HTML is refused */
	const char *files[] = {"<html>x</html>", PDF "supp"};
	long want[] = {415, 303};
	for (int i = 0; i < 2; i++) {
		struct reply g;
		char csrf[128] = "", up[320];
		get(&c, path, &g);
		csrf_of(&g, csrf, sizeof csrf);
		reply_free(&g);
		struct buf b = BUF_INIT;
		buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
		           "--XyZ\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"bo-sung.pdf\"\r\n\r\n%s\r\n"
		           "--XyZ--\r\n", csrf, files[i]);
		snprintf(up, sizeof up, "%s/bo-sung", path);
		req(&c, "POST", up, "multipart/form-data; boundary=XyZ", buf_str(&b), b.len, NULL, &r);
		assert_int_equal(r.status, want[i]);
		reply_free(&r);
		buf_free(&b);
	}
	get(&c, path, &r);
	assert_true(reply_has(&r, "Giấy tờ bổ sung.pdf"));
	reply_free(&r);
	/* the clerk takes the supplement and accepts: the clock starts now */
	snprintf(body, sizeof body, "{\"action\":\"supplement_received\"}");
	req(&k, "POST", api, "application/json", body, strlen(body), CLERK, &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	snprintf(body, sizeof body, "{\"action\":\"receive\"}");
	req(&k, "POST", api, "application/json", body, strlen(body), CLERK, &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "\"status\":\"received\""));
	assert_false(reply_has(&r, "\"due_at\":null"));
	reply_free(&r);
	get(&c, "/cong-dan/ho-so", &r);
	assert_true(reply_has(&r, "Đã tiếp nhận"));
	reply_free(&r);
	/* a withdrawal request: once, with a reason */
	char wd[320];
	snprintf(wd, sizeof wd, "%s/rut", path);
	assert_int_equal(submit_form(&c, path, wd, "ly_do=", &r), 400);
	reply_free(&r);
	assert_int_equal(submit_form(&c, path, wd, "ly_do=N%E1%BB%99p+nh%E1%BA%A7m", &r), 303);
	reply_free(&r);
	get(&c, path, &r);
	assert_true(reply_has(&r, "đã gửi yêu cầu rút hồ sơ"));
	reply_free(&r);
	/* the clerk sees the request on the dossier's page */
	struct client kp;
	char desk[300];
	client_init(&kp, &S);
	assert_int_equal(login(&kp, "cd.clerk", PW), 303);
	snprintf(desk, sizeof desk, "/mot-cua/ho-so/%s", code);
	get(&kp, desk, &r);
	assert_true(reply_has(&r, "Công dân xin rút hồ sơ"));
	assert_true(reply_has(&r, "Nộp nhầm"));
	reply_free(&r);
	client_free(&kp);
	client_free(&k);
	client_free(&c);
}

/* A desk action on the dossier through the API with bearer auth. */
static void
act(const char *auth, const char *code, const char *json)
{
	char api[300];
	snprintf(api, sizeof api, "/api/v1/dossiers/%s/actions", code);
	struct client k;
	struct reply r;
	client_init(&k, &S);
	req(&k, "POST", api, "application/json", json, strlen(json), auth, &r);
	if (r.status != 200)
		fail_msg("%s → %ld %s", json, r.status, buf_str(&r.body));
	reply_free(&r);
	client_free(&k);
}

#define RESULT "%PDF-1.4\n% ket qua da ky so\ntrailer<<>>\n%%EOF\n"

/* The electronic result and the messages on "Hồ sơ của tôi": the owner
 * reads and downloads them once the result is ready; another citizen
 * gets 404 for them exactly as for a dossier that does not exist. */
static void
test_result_and_messages(void **state)
{
	(void)state;
	struct client a, b, off;
	struct reply r;
	char code[80], path[300], res[320], desk[300], up[320], assign[120];
	citizen(&a, "0911222777");
	citizen(&b, "0911222888");
	assert_int_equal(submit(&a, "to-khai.pdf", PDF "r", code, sizeof code), 303);
	snprintf(path, sizeof path, "/cong-dan/ho-so/%s", code);
	snprintf(res, sizeof res, "%s/ket-qua", path);
	act(CLERK, code, "{\"action\":\"receive\"}");
	snprintf(assign, sizeof assign, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER_ID);
	act(CLERK, code, assign);
	client_init(&off, &S);
	assert_int_equal(login(&off, "cd.officer", PW), 303);
	snprintf(desk, sizeof desk, "/mot-cua/ho-so/%s", code);
	snprintf(up, sizeof up, "%s/dinh-kem", desk);
	assert_int_equal(submit_multipart(&off, desk, up, "kind=result", "file", "ket-qua.pdf", RESULT,
	                                  strlen(RESULT), NULL), 303);
	/* attached but not ready: neither a link nor the file, not even among his papers */
	get(&a, path, &r);
	assert_int_equal(r.status, 200);
	assert_false(reply_has(&r, "/ket-qua\""));
	assert_false(reply_has(&r, "Kết quả.pdf") || reply_has(&r, "ket-qua.pdf"));
	assert_true(reply_has(&r, "đã tiếp nhận hồ sơ"));    /* the "received" SMS */
	reply_free(&r);
	get(&a, res, &r);
	assert_int_equal(r.status, 409);
	assert_true(reply_has(&r, "chưa có kết quả"));
	reply_free(&r);
	act(OFFICER, code, "{\"action\":\"submit_for_approval\"}");
	act(LEADER, code, "{\"action\":\"approve\"}");
	act(OFFICER, code, "{\"action\":\"result_ready\"}");
	get(&a, path, &r);
	assert_true(reply_has(&r, "/ket-qua\""));
	assert_true(reply_has(&r, "Tin nhắn SMS đến 0912000111"));
	assert_true(reply_has(&r, "đã có kết quả"));          /* the "result ready" SMS */
	reply_free(&r);
	get(&a, res, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, strlen(RESULT));
	assert_memory_equal(r.body.data, RESULT, strlen(RESULT));
	char cd[200] = "";
	reply_header(&r, "Content-Disposition", cd, sizeof cd);
	assert_non_null(strstr(cd, "attachment"));
	reply_free(&r);
	/* B: A's page, result and its lower-case code, as for no dossier at all */
	char lower[320], none[320];
	snprintf(lower, sizeof lower, "%s", res);
	for (char *q = lower; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	snprintf(none, sizeof none, "/cong-dan/ho-so/KHONG-CO-%s/ket-qua", code);
	const char *tries[] = {path, res, lower, none};
	for (size_t i = 0; i < 4; i++) {
		get(&b, tries[i], &r);
		if (r.status != 404)
			fail_msg("B read %s: %ld", tries[i], r.status);
		assert_false(reply_has(&r, "0912000111") || reply_has(&r, "ket qua da ky so") ||
		             reply_has(&r, "đã có kết quả"));
		reply_free(&r);
	}
	client_free(&off);
	client_free(&a);
	client_free(&b);
}

/* Last: it uses up the client's hourly sends. */
static void
test_client_throttled(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &S);
	long st = 200;
	int sent = 0;
	for (int i = 0; i < 30 && st == 200; i++) {
		char phone[32];
		snprintf(phone, sizeof phone, "09330000%02d", i % 100);
		st = send_code(&c, phone);
		sent += st == 200;
	}
	assert_int_equal(st, 429);
	assert_true(sent <= 20);
	/* a fresh recipient is refused too: the limit is the client's */
	assert_int_equal(send_code(&c, "0944000111"), 429);
	client_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_sign_in),
		cmocka_unit_test(test_code_expires_and_tries),
		cmocka_unit_test(test_isolation),
		cmocka_unit_test(test_pdf_named_html),
		cmocka_unit_test(test_clerk_accepts_and_asks),
		cmocka_unit_test(test_result_and_messages),
		cmocka_unit_test(test_client_throttled),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
