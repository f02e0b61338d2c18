/*
 * test_signin.c — sign-in throttling that strangers cannot turn against
 * staff (OWASP ASVS 2.2.1), the trusted proxy's X-Forwarded-For, a
 * disabled account that answers like a wrong password, and /metrics
 * behind an admin session or a token.
 *
 * The server runs with --trusted-proxy 127.0.0.1, so every request here
 * names its client in X-Forwarded-For: many addresses from one machine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "driver.h"

static struct srv S;
static char token_file[64];
static const char TOKEN[] = "metrics-token-0123456789abcdef0123456789";

static int
setup(void **state)
{
	(void)state;
	snprintf(token_file, sizeof token_file, "/tmp/motcua-test-token-%d", (int)getpid());
	FILE *f = fopen(token_file, "w");
	if (!f)
		return -1;
	fprintf(f, "%s\n", TOKEN);
	fclose(f);
	static const char *const args[] = {"--trusted-proxy", "127.0.0.1", "--metrics-token-file",
	                                   token_file, NULL};
	srv_extra_args = args;
	if (group_start(&S) != 0)
		return -1;
	if (add_user(&S, "thu.clerk", "clerk", NULL, "mat-khau-thu-123") != 0 ||
	    add_user(&S, "thu.khoa", "clerk", NULL, "mat-khau-thu-123") != 0)
		return -1;
	struct buf out = BUF_INIT;
	int rc = run_cli(NULL, &out, "user", "disable", "--data", S.dir, "--username", "thu.khoa", NULL);
	buf_free(&out);
	return rc == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(token_file);
	return group_stop(&S);
}

/* The login form from client address ip; the POST's status. */
static long
form_sign_in(struct client *c, const char *user, const char *pw, const char *ip)
{
	char xff[96], hdr[400], csrf[128];
	snprintf(xff, sizeof xff, "X-Forwarded-For: %s", ip);
	struct reply r;
	req(c, "GET", "/dang-nhap", NULL, NULL, 0, xff, &r);
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	struct buf b = BUF_INIT;
	buf_puts(&b, "username=");
	urlenc(&b, user);
	buf_puts(&b, "&password=");
	urlenc(&b, pw);
	buf_puts(&b, "&csrf=");
	urlenc(&b, csrf);
	snprintf(hdr, sizeof hdr, "%s\nOrigin: %s", xff, S.url);
	req(c, "POST", "/dang-nhap", "application/x-www-form-urlencoded", b.data, b.len, hdr, &r);
	long st = r.status;
	reply_free(&r);
	buf_free(&b);
	return st;
}

/* POST /api/v1/session from ip; the status, the body in *body if given,
 * Retry-After in *retry if given. */
static long
api_sign_in_full(const char *user, const char *pw, const char *ip, struct buf *body, long *retry)
{
	struct client c;
	client_init(&c, &S);
	char xff[96], json[256];
	snprintf(xff, sizeof xff, "X-Forwarded-For: 203.0.113.250, %s", ip);
	snprintf(json, sizeof json, "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw);
	struct reply r;
	req(&c, "POST", "/api/v1/session", "application/json", json, strlen(json), xff, &r);
	long st = r.status;
	if (body) {
		*body = r.body;
		r.body = (struct buf)BUF_INIT;
	}
	char ra[32];
	if (retry)
		*retry = reply_header(&r, "Retry-After", ra, sizeof ra) ? atol(ra) : 0;
	reply_free(&r);
	client_free(&c);
	return st;
}

static long
api_sign_in(const char *user, const char *pw, const char *ip, struct buf *body)
{
	return api_sign_in_full(user, pw, ip, body, NULL);
}

/* Guesses from thirty addresses do not lock the admin out of a device
 * he has signed in on before; a device never seen waits (the account's
 * own lock, which stops guessing spread over many addresses). */
static void
test_strangers_cannot_lock_out(void **state)
{
	(void)state;
	struct client mine;
	client_init(&mine, &S);
	assert_int_equal(form_sign_in(&mine, "admin", S.admin_pw, "198.51.100.7"), 303);
	/* guess from a new address each time until the account is held for
	 * a while (waiting sign-ins are refused without counting, so the
	 * hold grows 1 s, 2 s, 4 s … as the guessing goes on) */
	long retry = 0;
	double until = mono_ms() + 30000;
	for (int i = 0; retry < 8 && mono_ms() < until; i++) {
		char ip[32];
		snprintf(ip, sizeof ip, "192.0.%d.%d", 2 + (i / 200) % 50, 10 + i % 200);
		long st = api_sign_in_full("admin", "doan-mo-mat-khau", ip, NULL, &retry);
		assert_true(st == 401 || st == 429);
		if (st == 429)
			usleep(100000);
	}
	assert_true(retry >= 8);
	/* his own browser, the session closed, at home now: signs in */
	curl_easy_setopt(mine.h, CURLOPT_COOKIELIST, "SESS");
	assert_int_equal(form_sign_in(&mine, "admin", S.admin_pw, "198.51.100.8"), 303);
	client_free(&mine);
	/* a browser that never signed in waits while the account is held */
	struct client other;
	client_init(&other, &S);
	assert_int_equal(form_sign_in(&other, "admin", S.admin_pw, "198.51.100.9"), 429);
	client_free(&other);
	/* a forged device cookie is not a device */
	struct client forged;
	client_init(&forged, &S);
	curl_easy_setopt(forged.h, CURLOPT_COOKIE, "motcua_device=1.1700000000.AAAA");
	assert_int_equal(form_sign_in(&forged, "admin", S.admin_pw, "198.51.100.10"), 429);
	client_free(&forged);
}

/* A success erases nothing: guesses on both sides of it add up. */
static void
test_success_keeps_failures(void **state)
{
	(void)state;
	const char *ip = "198.51.100.20";
	for (int i = 0; i < 4; i++)
		assert_int_equal(api_sign_in("thu.clerk", "sai-mat-khau-1", ip, NULL), 401);
	assert_int_equal(api_sign_in("thu.clerk", "mat-khau-thu-123", ip, NULL), 201);
	for (int i = 0; i < 4; i++) {
		long st = api_sign_in("thu.clerk", "sai-mat-khau-2", ip, NULL);
		assert_true(st == 401 || st == 429);
	}
	struct buf body = BUF_INIT;
	assert_int_equal(api_sign_in("thu.clerk", "mat-khau-thu-123", ip, &body), 429);
	assert_non_null(strstr(buf_str(&body), "\"code\":\"too_many_attempts\""));
	buf_free(&body);
	/* the same account from another address is not held by this one */
	assert_int_equal(api_sign_in("thu.clerk", "mat-khau-thu-123", "198.51.100.21", NULL), 201);
}

static double
timed_sign_in(const char *user, const char *pw, const char *ip, long *st, struct buf *body)
{
	double t = mono_ms();
	*st = api_sign_in(user, pw, ip, body);
	return mono_ms() - t;
}

/* A disabled account: the right password and a wrong one get the same
 * status and body, and take as long (the hash runs either way).  The
 * fastest of five tries each (ten failures: the account's free ones),
 * in turns, so that a busy machine slows both alike. */
static void
test_disabled_alike(void **state)
{
	(void)state;
	double right = 1e9, wrong = 1e9;
	for (int i = 0; i < 5; i++) {
		char ip1[32], ip2[32];
		snprintf(ip1, sizeof ip1, "198.51.100.%d", 40 + i);
		snprintf(ip2, sizeof ip2, "198.51.100.%d", 50 + i);
		struct buf b1 = BUF_INIT, b2 = BUF_INIT;
		long s1, s2;
		double t1, t2;
		if (i % 2 == 0) {
			t1 = timed_sign_in("thu.khoa", "mat-khau-thu-123", ip1, &s1, &b1);
			t2 = timed_sign_in("thu.khoa", "sai-mat-khau-3", ip2, &s2, &b2);
		} else {
			t2 = timed_sign_in("thu.khoa", "sai-mat-khau-3", ip2, &s2, &b2);
			t1 = timed_sign_in("thu.khoa", "mat-khau-thu-123", ip1, &s1, &b1);
		}
		assert_int_equal(s1, 401);
		assert_int_equal(s2, 401);
		assert_string_equal(buf_str(&b1), buf_str(&b2));
		right = t1 < right ? t1 : right;
		wrong = t2 < wrong ? t2 : wrong;
		buf_free(&b1);
		buf_free(&b2);
	}
	fprintf(stderr, "disabled account: right %.1f ms, wrong %.1f ms\n", right, wrong);
	assert_true(right < 2 * wrong && wrong < 2 * right);
}

/* The client is the last X-Forwarded-For entry, and only because the
 * peer is the trusted proxy: the access log names it. */
static void
test_forwarded_client(void **state)
{
	(void)state;
	struct client c;
	client_init(&c, &S);
	struct reply r;
	req(&c, "GET", "/healthz", NULL, NULL, 0, "X-Forwarded-For: 10.9.9.9, 198.51.100.77", &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	client_free(&c);
	/* the line is written when the request completes: wait for it */
	int named = 0, spoofed = 0;
	for (int tries = 0; tries < 40 && !named; tries++) {
		usleep(50000);
		FILE *f = fopen(S.log, "r");
		assert_non_null(f);
		char line[2048];
		named = spoofed = 0;
		while (fgets(line, sizeof line, f)) {
			named += strstr(line, " 198.51.100.77 \"GET /healthz\"") != NULL;
			spoofed += strstr(line, "10.9.9.9") != NULL;
		}
		fclose(f);
	}
	assert_int_equal(named, 1);
	assert_int_equal(spoofed, 0);
}

static void
test_metrics_guarded(void **state)
{
	(void)state;
	struct reply r;
	assert_int_equal(fetch_from(&S, "/metrics", &r), 303);   /* to the sign-in page */
	reply_free(&r);
	struct client c;
	client_init(&c, &S);
	char hdr[128];
	snprintf(hdr, sizeof hdr, "Authorization: Bearer %.*s", (int)strlen(TOKEN) - 1, TOKEN);
	req(&c, "GET", "/metrics", NULL, NULL, 0, hdr, &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", TOKEN);
	req(&c, "GET", "/metrics", NULL, NULL, 0, hdr, &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "motcua_http_requests_total"));
	reply_free(&r);
	/* a clerk's session is not enough; an admin's is */
	assert_int_equal(form_sign_in(&c, "thu.clerk", "mat-khau-thu-123", "198.51.100.60"), 303);
	get(&c, "/metrics", &r);
	assert_int_equal(r.status, 403);
	reply_free(&r);
	client_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forwarded_client),
		cmocka_unit_test(test_success_keeps_failures),
		cmocka_unit_test(test_disabled_alike),
		cmocka_unit_test(test_metrics_guarded),
		cmocka_unit_test(test_strangers_cannot_lock_out),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
