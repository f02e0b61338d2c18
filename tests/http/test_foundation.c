/*
 * test_foundation.c — the foundation (issue #2) against the real binary:
 * health, login and throttling, limits and bad input, CSRF, roles, the
 * API session, admin account pages, audit tampering, graceful stop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "driver.h"

static struct srv S;

static int
setup(void **state)
{
	(void)state;
	return group_start(&S);
}

static int
teardown(void **state)
{
	(void)state;
	return group_stop(&S);
}

static int
contains(const struct reply *r, const char *s)
{
	return reply_has(r, s);
}

static void
test_healthz(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	client_init(&c, &S);
	assert_int_equal(get(&c, "/healthz", &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(buf_str(&r.body), "{\"status\":\"ok\"}");
	char h[512];
	assert_non_null(reply_header(&r, "Content-Security-Policy", h, sizeof h));
	assert_non_null(strstr(h, "frame-ancestors 'none'"));
	assert_null(strstr(h, "unsafe-inline"));
	assert_non_null(reply_header(&r, "X-Content-Type-Options", h, sizeof h));
	assert_string_equal(h, "nosniff");
	assert_non_null(reply_header(&r, "Referrer-Policy", h, sizeof h));
	reply_free(&r);
	client_free(&c);
}

static void
test_login_page(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	char csrf[128];
	client_init(&c, &S);
	assert_int_equal(get(&c, "/dang-nhap", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(contains(&r, "lang=\"vi\""));
	assert_true(contains(&r, "Đăng nhập"));
	assert_true(contains(&r, "UBND xã Phong Hải"));
	assert_int_equal(csrf_of(&r, csrf, sizeof csrf), 0);
	assert_true(strlen(csrf) >= 40);
	reply_free(&r);
	client_free(&c);
}

static void
test_wrong_password(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	char csrf[128], h[512];
	client_init(&c, &S);
	get(&c, "/dang-nhap", &r);
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	struct buf body = BUF_INIT;
	buf_puts(&body, "username=admin&password=sai-mat-khau-123&csrf=");
	urlenc(&body, csrf);
	post_form(&c, "/dang-nhap", buf_str(&body), &r);
	assert_int_equal(r.status, 401);
	assert_true(contains(&r, "Tên đăng nhập hoặc mật khẩu không đúng"));
	assert_null(reply_header(&r, "Set-Cookie", h, sizeof h));
	reply_free(&r);
	/* still anonymous: the admin page redirects to the login page */
	get(&c, "/quan-tri/tai-khoan", &r);
	assert_int_equal(r.status, 303);
	assert_non_null(reply_header(&r, "Location", h, sizeof h));
	assert_string_equal(h, "/dang-nhap?next=/quan-tri/tai-khoan");
	reply_free(&r);
	buf_free(&body);
	client_free(&c);
}

static void
test_admin_login(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	client_init(&c, &S);
	assert_true(strlen(S.admin_pw) >= 12);
	assert_int_equal(login(&c, "admin", S.admin_pw), 303);
	get(&c, "/quan-tri/tai-khoan", &r);
	assert_int_equal(r.status, 200);
	assert_true(contains(&r, "admin"));
	assert_true(contains(&r, "Quản trị viên"));
	reply_free(&r);
	client_free(&c);
}

static void
test_csrf_required(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	client_init(&c, &S);
	assert_int_equal(login(&c, "admin", S.admin_pw), 303);
	post_form(&c, "/quan-tri/tai-khoan/moi",
	          "username=khongcsrf&full_name=X&role=clerk&password=abcdefghij12&password2=abcdefghij12", &r);
	assert_int_equal(r.status, 403);
	assert_true(contains(&r, "csrf_failed") || contains(&r, "biểu mẫu"));
	reply_free(&r);
	post_form(&c, "/quan-tri/tai-khoan/moi",
	          "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&username=khongcsrf&role=clerk"
	          "&password=abcdefghij12&password2=abcdefghij12", &r);
	assert_int_equal(r.status, 403);
	reply_free(&r);
	/* nothing was created */
	get(&c, "/quan-tri/tai-khoan", &r);
	assert_false(contains(&r, "khongcsrf"));
	reply_free(&r);
	client_free(&c);
}

static void
test_body_limits(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	client_init(&c, &S);
	size_t n = 2 * 1024 * 1024;
	char *big = malloc(n);
	memset(big, 'a', n);
	req(&c, "POST", "/api/v1/session", "application/json", big, n, NULL, &r);
	/* the server answers 413 at the head, without reading the body, and
	 * closes; a client still sending may see the reset before the answer */
	if (r.status == 0)
		assert_true(r.curl_rc == CURLE_SEND_ERROR || r.curl_rc == CURLE_RECV_ERROR);
	else
		assert_int_equal(r.status, 413);
	reply_free(&r);
	free(big);
	client_free(&c);
	client_init(&c, &S);
	get(&c, "/healthz", &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	client_free(&c);
}

static void
test_bad_json(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	client_init(&c, &S);
	const char *bad = "{\"username\": \"admin\", \"password\": ";
	req(&c, "POST", "/api/v1/session", "application/json", bad, strlen(bad), NULL, &r);
	assert_int_equal(r.status, 400);
	assert_true(contains(&r, "\"code\":\"invalid_json\""));
	assert_true(contains(&r, "\"message\""));
	reply_free(&r);
	const char *dup = "{\"username\":\"a\",\"username\":\"b\",\"password\":\"x\"}";
	req(&c, "POST", "/api/v1/session", "application/json", dup, strlen(dup), NULL, &r);
	assert_int_equal(r.status, 400);
	reply_free(&r);
	const char *missing = "{\"username\":\"admin\"}";
	req(&c, "POST", "/api/v1/session", "application/json", missing, strlen(missing), NULL, &r);
	assert_int_equal(r.status, 400);
	assert_true(contains(&r, "\"code\":\"missing_field\""));
	reply_free(&r);
	get(&c, "/healthz", &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	client_free(&c);
}

static void
test_bad_utf8_form(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	char csrf[128];
	client_init(&c, &S);
	get(&c, "/dang-nhap", &r);
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	struct buf body = BUF_INIT;
	buf_puts(&body, "username=%C3%28abc&password=xyz&csrf=");
	urlenc(&body, csrf);
	post_form(&c, "/dang-nhap", buf_str(&body), &r);
	assert_int_equal(r.status, 400);
	assert_true(contains(&r, "UTF-8"));
	reply_free(&r);
	buf_free(&body);
	get(&c, "/healthz", &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	client_free(&c);
}

static void
test_not_found(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	client_init(&c, &S);
	get(&c, "/khong-co-trang-nay", &r);
	assert_int_equal(r.status, 404);
	assert_true(contains(&r, "Không tìm thấy"));
	reply_free(&r);
	get(&c, "/api/v1/khong-co", &r);
	assert_int_equal(r.status, 404);
	assert_true(contains(&r, "{\"error\":{\"code\":\"not_found\""));
	reply_free(&r);
	req(&c, "PUT", "/healthz", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 405);
	reply_free(&r);
	get(&c, "/static/..%2Fmain.c", &r);
	assert_int_equal(r.status, 404);
	reply_free(&r);
	get(&c, "/static/site.css", &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	client_free(&c);
}

static void
test_header_too_large(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	client_init(&c, &S);
	size_t n = 20000;
	struct buf h = BUF_INIT;
	buf_puts(&h, "Cookie: x=");
	for (size_t i = 0; i < n; i++)
		buf_putc(&h, 'a');
	req(&c, "GET", "/healthz", NULL, NULL, 0, buf_str(&h), &r);
	assert_true(r.status == 431 || r.status == 413);
	reply_free(&r);
	buf_free(&h);
	client_free(&c);
}

static void
test_api_session(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	client_init(&c, &S);
	struct buf body = BUF_INIT;
	buf_printf(&body, "{\"username\":\"admin\",\"password\":\"%s\"}", S.admin_pw);
	req(&c, "POST", "/api/v1/session", "application/json", buf_str(&body), body.len, NULL, &r);
	assert_int_equal(r.status, 201);
	const char *t = strstr(buf_str(&r.body), "\"token\":\"");
	assert_non_null(t);
	t += 9;
	char token[128], auth[200];
	snprintf(token, sizeof token, "%.*s", (int)strcspn(t, "\""), t);
	assert_int_equal(strlen(token), 43); /* 256 bits, base64url */
	assert_true(contains(&r, "+07:00\""));
	reply_free(&r);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	req(&c, "GET", "/api/v1/me", NULL, NULL, 0, auth, &r);
	assert_int_equal(r.status, 200);
	assert_true(contains(&r, "\"username\":\"admin\""));
	reply_free(&r);
	req(&c, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 401);
	assert_true(contains(&r, "\"code\":\"unauthenticated\""));
	reply_free(&r);
	req(&c, "DELETE", "/api/v1/session", NULL, NULL, 0, auth, &r);
	assert_int_equal(r.status, 204);
	reply_free(&r);
	req(&c, "GET", "/api/v1/me", NULL, NULL, 0, auth, &r);
	assert_int_equal(r.status, 401);
	reply_free(&r);
	buf_free(&body);
	client_free(&c);
}

/* Admin creates a clerk through the pages; the clerk signs in, is refused
 * the admin pages; the admin disables the clerk, whose session ends. */
static void
test_admin_accounts(void **state)
{
	(void)state;
	struct client a, k;
	struct reply r;
	char csrf[128], loc[256];
	client_init(&a, &S);
	client_init(&k, &S);
	assert_int_equal(login(&a, "admin", S.admin_pw), 303);
	get(&a, "/quan-tri/tai-khoan/moi", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(csrf_of(&r, csrf, sizeof csrf), 0);
	reply_free(&r);
	struct buf b = BUF_INIT;
	/* bad: short password → 400, nothing created */
	buf_puts(&b, "csrf=");
	urlenc(&b, csrf);
	buf_puts(&b, "&username=canbo.lan&full_name=");
	urlenc(&b, "Nguyễn Thị Lan <script>");
	buf_puts(&b, "&role=clerk&unit=");
	urlenc(&b, "Bộ phận Một cửa");
	size_t base = b.len;
	buf_puts(&b, "&password=ngan&password2=ngan");
	post_form(&a, "/quan-tri/tai-khoan/moi", buf_str(&b), &r);
	assert_int_equal(r.status, 400);
	assert_true(contains(&r, "ít nhất 10 ký tự"));
	assert_true(contains(&r, "Nguyễn Thị Lan &lt;script&gt;"));
	assert_false(contains(&r, "Lan <script>"));
	reply_free(&r);
	b.len = base;
	buf_puts(&b, "&password=matkhau-dai-123&password2=matkhau-dai-123");
	post_form(&a, "/quan-tri/tai-khoan/moi", buf_str(&b), &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	get(&a, "/quan-tri/tai-khoan", &r);
	assert_true(contains(&r, "canbo.lan"));
	assert_true(contains(&r, "Nguyễn Thị Lan &lt;script&gt;"));
	reply_free(&r);
	/* duplicate username → 409 */
	post_form(&a, "/quan-tri/tai-khoan/moi", buf_str(&b), &r);
	assert_int_equal(r.status, 409);
	reply_free(&r);

	assert_int_equal(login(&k, "canbo.lan", "matkhau-dai-123"), 303);
	get(&k, "/quan-tri/tai-khoan", &r);
	assert_int_equal(r.status, 403);
	assert_true(contains(&r, "không có quyền"));
	reply_free(&r);
	get(&k, "/", &r);
	assert_int_equal(r.status, 200);
	assert_true(contains(&r, "canbo.lan") || contains(&r, "Nguyễn Thị Lan"));
	reply_free(&r);

	/* find the clerk's id from the list page link */
	get(&a, "/quan-tri/tai-khoan", &r);
	const char *p = strstr(buf_str(&r.body), "/quan-tri/tai-khoan/");
	int id = 0;
	while (p) {
		int v = atoi(p + strlen("/quan-tri/tai-khoan/"));
		if (v > 1)
			id = v;
		p = strstr(p + 1, "/quan-tri/tai-khoan/");
	}
	reply_free(&r);
	assert_true(id > 1);
	snprintf(loc, sizeof loc, "/quan-tri/tai-khoan/%d", id);
	get(&a, loc, &r);
	assert_int_equal(r.status, 200);
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	b.len = 0;
	buf_puts(&b, "active=0&csrf=");
	urlenc(&b, csrf);
	char path[300];
	snprintf(path, sizeof path, "%s/khoa", loc);
	post_form(&a, path, buf_str(&b), &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	get(&k, "/", &r);
	assert_int_equal(r.status, 200);
	assert_false(contains(&r, "canbo.lan"));
	reply_free(&r);
	/* disabled: answered like a wrong password (nothing to learn about the account) */
	assert_int_equal(login(&k, "canbo.lan", "matkhau-dai-123"), 401);
	buf_free(&b);
	client_free(&a);
	client_free(&k);
}

static void
test_metrics(void **state)
{
	(void)state;
	struct client c;
	struct reply r;
	client_init(&c, &S);
	get(&c, "/metrics", &r);   /* not for anyone, not even from this machine */
	assert_int_equal(r.status, 303);
	reply_free(&r);
	assert_int_equal(login(&c, "admin", S.admin_pw), 303);
	get(&c, "/metrics", &r);
	assert_int_equal(r.status, 200);
	assert_true(contains(&r, "motcua_http_requests_total{route=\"GET /healthz\",status=\"200\"}"));
	assert_true(contains(&r, "motcua_http_request_duration_seconds_bucket"));
	assert_true(contains(&r, "motcua_database_size_bytes"));
	reply_free(&r);
	client_free(&c);
}

/* Ten wrong passwords in a row: the later ones are refused with 429 and
 * a Vietnamese message, even with the right password. */
static void
test_throttle(void **state)
{
	(void)state;
	struct srv s2;
	assert_int_equal(srv_start(&s2, NULL), 0);
	struct client c;
	client_init(&c, &s2);
	struct reply r;
	char csrf[128];
	get(&c, "/dang-nhap", &r);
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	struct buf b = BUF_INIT;
	int throttled = 0;
	for (int i = 0; i < 10; i++) {
		b.len = 0;
		buf_puts(&b, "username=admin&password=sai-lan-nua&csrf=");
		urlenc(&b, csrf);
		post_form(&c, "/dang-nhap", buf_str(&b), &r);
		assert_true(r.status == 401 || r.status == 429);
		if (r.status == 429) {
			throttled++;
			assert_true(contains(&r, "quá nhiều lần"));
		}
		reply_free(&r);
	}
	assert_true(throttled >= 3);
	/* the right password is refused too while the wait lasts */
	b.len = 0;
	buf_puts(&b, "username=admin&csrf=");
	urlenc(&b, csrf);
	buf_puts(&b, "&password=");
	urlenc(&b, s2.admin_pw);
	post_form(&c, "/dang-nhap", buf_str(&b), &r);
	assert_int_equal(r.status, 429);
	char ra[32];
	assert_non_null(reply_header(&r, "Retry-After", ra, sizeof ra));
	reply_free(&r);
	buf_free(&b);
	client_free(&c);
	assert_int_equal(srv_stop(&s2, SIGTERM), 0);
	srv_cleanup(&s2);
}

struct burst {
	struct srv *s;
	int ok, failed;
};

static void *
burst_thread(void *arg)
{
	struct burst *b = arg;
	struct client c;
	client_init(&c, b->s);
	for (int i = 0; i < 200; i++) {
		struct reply r;
		const char *body = "{\"username\":\"khong-co\",\"password\":\"x\"}";
		if (i % 3 == 0)
			req(&c, "POST", "/api/v1/session", "application/json", body, strlen(body), NULL, &r);
		else
			get(&c, i % 2 ? "/healthz" : "/dang-nhap", &r);
		if (r.curl_rc != CURLE_OK) {
			reply_free(&r);
			break;   /* the server stopped: refused, or closed before reading the request */
		}
		if (r.status >= 500)
			b->failed++;
		else
			b->ok++;
		reply_free(&r);
	}
	client_free(&c);
	return NULL;
}

/* SIGTERM during a burst of requests: exit 0, and `motcua check` passes. */
static void
test_sigterm_burst(void **state)
{
	(void)state;
	struct srv s2;
	assert_int_equal(srv_start(&s2, NULL), 0);
	/* create some writes so the database and chain have content */
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli("matkhau-dai-123\n", &out, "user", "add", "--data", s2.dir,
	                         "--username", "canbo.burst", "--role", "officer",
	                         "--password-stdin", NULL), 0);
	pthread_t th[8];
	struct burst b[8];
	for (int i = 0; i < 8; i++) {
		b[i] = (struct burst){&s2, 0, 0};
		pthread_create(&th[i], NULL, burst_thread, &b[i]);
	}
	usleep(300000);
	int rc = srv_stop(&s2, SIGTERM);
	for (int i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(rc, 0);
	int ok = 0, failed = 0;
	for (int i = 0; i < 8; i++) {
		ok += b[i].ok;
		failed += b[i].failed;
	}
	assert_true(ok > 0);
	assert_int_equal(failed, 0);
	/* every request the server had started was answered in full: the
	 * access log marks a request cut in flight as "aborted" */
	FILE *f = fopen(s2.log, "r");
	assert_non_null(f);
	char line[1024];
	int answered = 0;
	while (fgets(line, sizeof line, f)) {
		if (strstr(line, "\" "))
			answered++;
		if (strstr(line, " aborted"))
			fail_msg("cut in flight: %s", line);
	}
	fclose(f);
	assert_true(answered >= ok);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", s2.dir, NULL), 0);
	assert_non_null(strstr(buf_str(&out), "KẾT QUẢ: ĐẠT"));
	buf_free(&out);
	srv_cleanup(&s2);
}

/* The audit trail: an UPDATE is refused by the append-only trigger; a
 * tamperer who drops the trigger and edits a row is caught by check,
 * which names the event. */
static void
test_audit_tamper(void **state)
{
	(void)state;
	struct srv s2;
	assert_int_equal(srv_start(&s2, NULL), 0);
	assert_int_equal(srv_stop(&s2, SIGTERM), 0);
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", s2.dir, NULL), 0);
	const char *cnt = strstr(buf_str(&out), "Chuỗi nhật ký kiểm toán: đạt (");
	assert_non_null(cnt);
	long before = atol(cnt + strlen("Chuỗi nhật ký kiểm toán: đạt ("));
	assert_true(before >= 4);
	assert_int_equal(run_cli("matkhau-dai-123\n", &out, "user", "add", "--data", s2.dir,
	                         "--username", "canbo.a", "--role", "clerk", "--password-stdin", NULL), 0);
	assert_int_equal(run_cli(NULL, &out, "user", "disable", "--data", s2.dir, "--username",
	                         "canbo.a", NULL), 0);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", s2.dir, NULL), 0);
	char want[96];
	snprintf(want, sizeof want, "Chuỗi nhật ký kiểm toán: đạt (%ld sự kiện)", before + 2);
	assert_non_null(strstr(buf_str(&out), want));
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
	         "sqlite3 '%s/motcua.db' \"UPDATE audit_events SET actor='user:ke-gian' WHERE id=3\" 2>/dev/null",
	         s2.dir);
	assert_int_not_equal(system(cmd), 0);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", s2.dir, NULL), 0);
	snprintf(cmd, sizeof cmd,
	         "sqlite3 '%s/motcua.db' \"DROP TRIGGER audit_events_no_update;"
	         " UPDATE audit_events SET actor='user:ke-gian' WHERE id=3;\"",
	         s2.dir);
	assert_int_equal(system(cmd), 0);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", s2.dir, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "sự kiện #3"));
	buf_free(&out);
	srv_cleanup(&s2);
}

/* The anchor: a tamperer who drops the delete guard, cuts the newest
 * events off and puts the guard back leaves a chain `check` alone cannot
 * fault — but the event number and hash an inspector wrote down at the
 * last check are gone, and the page and the CLI say so. */
static void
test_audit_anchor(void **state)
{
	(void)state;
	struct srv s2;
	assert_int_equal(srv_start(&s2, NULL), 0);
	assert_int_equal(add_user(&s2, "thanh.tra", "viewer", NULL, "matkhau-dai-123"), 0);
	assert_int_equal(add_user(&s2, "mot.cua", "clerk", NULL, "matkhau-dai-123"), 0);
	/* the inspector's page: everything passes, and the anchor to write down */
	struct client v, k;
	struct reply r;
	client_init(&v, &s2);
	client_init(&k, &s2);
	assert_int_equal(login(&v, "thanh.tra", "matkhau-dai-123"), 303);
	assert_int_equal(login(&k, "mot.cua", "matkhau-dai-123"), 303);
	get(&k, "/kiem-tra", &r);
	assert_int_equal(r.status, 403);
	reply_free(&r);
	get(&v, "/kiem-tra", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "KẾT QUẢ: ĐẠT"));
	const char *p = strstr(buf_str(&r.body), "<dt>Số sự kiện</dt><dd><code>");
	assert_non_null(p);
	long head = atol(p + strlen("<dt>Số sự kiện</dt><dd><code>"));
	p = strstr(buf_str(&r.body), "<code class=\"hash\">");
	assert_non_null(p);
	char hash[65];
	snprintf(hash, sizeof hash, "%.64s", p + strlen("<code class=\"hash\">"));
	reply_free(&r);
	char path[200], anchor[100];
	snprintf(path, sizeof path, "/kiem-tra?moc=%ld&bam=%s", head, hash);
	snprintf(anchor, sizeof anchor, "%ld:%s", head, hash);
	get(&v, path, &r);
	assert_true(reply_has(&r, "khớp: sự kiện #"));
	assert_true(reply_has(&r, "KẾT QUẢ: ĐẠT"));
	reply_free(&r);
	/* a malformed anchor: 400, a clear message */
	get(&v, "/kiem-tra?moc=12&bam=xyz", &r);
	assert_int_equal(r.status, 400);
	assert_true(reply_has(&r, "Mốc đối chiếu không hợp lệ"));
	reply_free(&r);
	/* the same number with another hash: rewritten */
	snprintf(path, sizeof path, "/kiem-tra?moc=%ld&bam=%064d", head, 0);
	get(&v, path, &r);
	assert_true(reply_has(&r, "nhật ký đã bị viết lại"));
	assert_true(reply_has(&r, "PHÁT HIỆN SAI LỆCH"));
	reply_free(&r);
	client_free(&v);
	client_free(&k);
	assert_int_equal(srv_stop(&s2, SIGTERM), 0);

	/* more work, then the newest three events are cut off */
	assert_int_equal(run_cli(NULL, NULL, "user", "disable", "--data", s2.dir, "--username", "mot.cua", NULL), 0);
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", s2.dir, "--anchor", anchor, NULL), 0);
	char cmd[1400];
	snprintf(cmd, sizeof cmd,
	         "db='%s/motcua.db'; g=$(sqlite3 \"$db\" \"SELECT sql FROM sqlite_schema WHERE name='audit_events_no_delete'\") &&"
	         " sqlite3 \"$db\" \"DROP TRIGGER audit_events_no_delete;"
	         " DELETE FROM audit_events WHERE id > (SELECT max(id) - 3 FROM audit_events); $g;\"",
	         s2.dir);
	assert_int_equal(system(cmd), 0);
	/* the chain alone cannot see it, but the account whose disabling was
	 * cut off no longer agrees with its events (issue #11) */
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", s2.dir, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "Chuỗi nhật ký kiểm toán: đạt"));
	assert_non_null(strstr(buf_str(&out), "Tài khoản khớp nhật ký: LỖI — 1 tài khoản sai lệch; đầu tiên: mot.cua"));
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", s2.dir, "--anchor", anchor, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "nhật ký đã bị cắt bớt sau lần kiểm tra trước"));
	assert_non_null(strstr(buf_str(&out), "KẾT QUẢ: PHÁT HIỆN SAI LỆCH"));
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", s2.dir, "--anchor", "12:xyz", NULL), 2);
	buf_free(&out);
	srv_cleanup(&s2);
}

static void
test_cli_users(void **state)
{
	(void)state;
	char dir[] = "/tmp/motcua-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "init", "--data", dir, "--agency-name", "UBND xã Thử Nghiệm",
	                         "--agency-code", "000.00.00.H0", NULL), 2);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "init", "--data", dir, "--agency-name", "UBND xã Thử Nghiệm",
	                         "--agency-code", "000.00.00.H38", NULL), 0);
	assert_non_null(strstr(buf_str(&out), "Mật khẩu"));
	assert_int_equal(run_cli(NULL, &out, "init", "--data", dir, "--agency-name", "X",
	                         "--agency-code", "000.00.00.H38", NULL), 1);
	assert_int_equal(run_cli("ngan\n", &out, "user", "add", "--data", dir, "--username", "a.b",
	                         "--role", "clerk", "--password-stdin", NULL), 2);
	assert_int_equal(run_cli("matkhau-dai-123\n", &out, "user", "add", "--data", dir, "--username",
	                         "a.b", "--role", "chief", "--password-stdin", NULL), 2);
	assert_int_equal(run_cli("matkhau-dai-123\n", &out, "user", "add", "--data", dir, "--username",
	                         "a.b", "--role", "leader", "--full-name", "Trần Văn Hải",
	                         "--password-stdin", NULL), 0);
	assert_int_equal(run_cli("matkhau-dai-123\n", &out, "user", "add", "--data", dir, "--username",
	                         "a.b", "--role", "leader", "--password-stdin", NULL), 1);
	assert_int_equal(run_cli("matkhau-moi-456\n", &out, "user", "passwd", "--data", dir,
	                         "--username", "a.b", "--password-stdin", NULL), 0);
	assert_int_equal(run_cli(NULL, &out, "user", "disable", "--data", dir, "--username", "a.b", NULL), 0);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "user", "list", "--data", dir, NULL), 0);
	assert_non_null(strstr(buf_str(&out), "a.b\tleader\tdisabled\tTrần Văn Hải"));
	assert_non_null(strstr(buf_str(&out), "admin\tadmin\tactive"));
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", dir, NULL), 0);
	buf_free(&out);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthz),
		cmocka_unit_test(test_login_page),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_admin_login),
		cmocka_unit_test(test_csrf_required),
		cmocka_unit_test(test_body_limits),
		cmocka_unit_test(test_bad_json),
		cmocka_unit_test(test_bad_utf8_form),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_header_too_large),
		cmocka_unit_test(test_api_session),
		cmocka_unit_test(test_admin_accounts),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_throttle),
		cmocka_unit_test(test_sigterm_burst),
		cmocka_unit_test(test_audit_tamper),
		cmocka_unit_test(test_audit_anchor),
		cmocka_unit_test(test_cli_users),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
