/*
 * test_lookup_guard.c — the public lookup cannot be brute-forced (issue
 * #11): the full phone or 12-digit ID is the proof, failures are counted
 * per dossier code and per client in the database (a restart keeps them,
 * a success erases nothing), an unknown code and a wrong key get the same
 * reply, the rating uses the same check, and the key never reaches a URL
 * or the access log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "driver.h"

static struct srv S;
static char CLERK[200];
#define PW "mat-khau-thu-123"

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0 || add_user(&S, "lg.clerk", "clerk", "Văn Thư", PW) != 0)
		return -1;
	return bearer_for(&S, "lg.clerk", PW, CLERK, sizeof CLERK) == 201 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return group_stop(&S);
}

/* A dossier received (intake "receive") or only held ("hold"); its code. */
static void
receive(const char *phone, const char *intake, char *code, size_t n)
{
	char body[600];
	snprintf(body, sizeof body, "{\"procedure_code\":\"1.001193\",\"intake\":\"%s\",\"applicant\":{\"name\":\"Khách Tra Cứu\","
	         "\"id_number\":\"001185012345\",\"phone\":\"%s\"}}", intake, phone);
	struct client c;
	struct reply r;
	client_init(&c, &S);
	req(&c, "POST", "/api/v1/dossiers", "application/json", body, strlen(body), CLERK, &r);
	assert_int_equal(r.status, 201);
	const char *p = strstr(buf_str(&r.body), "\"code\":\"");
	assert_non_null(p);
	snprintf(code, n, "%.*s", (int)strcspn(p + 8, "\""), p + 8);
	reply_free(&r);
	client_free(&c);
}

/* POST /api/v1/lookup, or with get GET /api/v1/lookup/{code}?phone=…;
 * the reply in r. */
static long
lookup_as(int get, const char *code, const char *key, struct reply *r)
{
	char body[300], path[200];
	snprintf(body, sizeof body, "{\"code\":\"%s\",\"phone\":\"%s\"}", code, key);
	snprintf(path, sizeof path, "/api/v1/lookup/%s?phone=%s", code, key);
	struct client c;
	client_init(&c, &S);
	if (get)
		req(&c, "GET", path, NULL, NULL, 0, NULL, r);
	else
		req(&c, "POST", "/api/v1/lookup", "application/json", body, strlen(body), NULL, r);
	client_free(&c);
	return r->status;
}

static long
lookup(const char *code, const char *key, struct reply *r)
{
	return lookup_as(0, code, key, r);
}

static void
test_same_reply(void **state)
{
	(void)state;
	char code[80];
	struct reply r, r2;
	receive("0977111222", "receive", code, sizeof code);
	assert_int_equal(lookup(code, "0977 111 222", &r), 200);
	assert_true(reply_has(&r, "\"status\":\"received\""));
	assert_false(reply_has(&r, "Khách"));
	reply_free(&r);
	assert_int_equal(lookup(code, "1222", &r), 404);          /* a part of the phone */
	reply_free(&r);
	assert_int_equal(lookup(code, "0977111000", &r), 404);
	assert_int_equal(lookup("000.00.00.H00-991231-0001", "0977111222", &r2), 404);
	assert_string_equal(buf_str(&r.body), buf_str(&r2.body));
	reply_free(&r);
	reply_free(&r2);
	/* the key went in the body: neither it nor the code's proof is logged */
	FILE *f = fopen(S.log, "r");
	assert_non_null(f);
	char line[4096];
	while (fgets(line, sizeof line, f))
		assert_null(strstr(line, "0977111222"));
	fclose(f);
}

static void
test_throttled_and_kept(void **state)
{
	(void)state;
	char code[80];
	struct reply r;
	receive("0977333444", "receive", code, sizeof code);
	for (int i = 0; i < 10; i++) {
		char key[16];
		snprintf(key, sizeof key, "09773334%02d", 50 + i);
		assert_int_equal(lookup(code, key, &r), 404);
		reply_free(&r);
		if (i == 4) {   /* a success in between erases nothing */
			assert_int_equal(lookup(code, "0977333444", &r), 200);
			reply_free(&r);
		}
	}
	assert_int_equal(lookup(code, "0977333444", &r), 429);
	assert_true(reply_has(&r, "lookup_throttled"));
	reply_free(&r);
	/* the rating form asks the same proof and is refused the same way */
	struct client c;
	client_init(&c, &S);
	struct reply g;
	char csrf[128] = "", form[400];
	get(&c, "/tra-cuu", &g);
	csrf_of(&g, csrf, sizeof csrf);
	reply_free(&g);
	snprintf(form, sizeof form, "csrf=%s&ma=%s&dien_thoai=0977333444", csrf, code);
	post_form(&c, "/tra-cuu", form, &r);
	assert_int_equal(r.status, 429);
	reply_free(&r);
	client_free(&c);
	/* a restart does not reset it */
	char dir[256];
	snprintf(dir, sizeof dir, "%s", S.dir);
	assert_int_equal(srv_stop(&S, 15), 0);
	assert_int_equal(srv_start(&S, dir), 0);
	assert_int_equal(lookup(code, "0977333444", &r), 429);
	reply_free(&r);
}

static void
expect_lookup(const char *code, const char *phone, const char *has)
{
	struct reply r;
	long st = lookup_as(1, code, phone, &r);
	if (st != 200 || !reply_has(&r, has))
		fail_msg("lookup %s → %ld %s, want %s", code, st, buf_str(&r.body), has);
	reply_free(&r);
}

/* The answer is read afresh each time: a desk action over HTTP and a
 * change written by another process straight into the database both
 * show on the next lookup; text
 * from the desk comes out as JSON escapes. */
static void
test_fresh_answer(void **state)
{
	(void)state;
	char code[80], sql[400];
	receive("0977666777", "hold", code, sizeof code);
	expect_lookup(code, "0977666777", "\"status\":\"new\"");
	expect_lookup(code, "0977666777", "\"rating\":null}");
	struct client c;
	struct reply r;
	char path[160];
	snprintf(path, sizeof path, "/api/v1/dossiers/%s/actions", code);
	const char *refuse = "{\"action\":\"refuse_intake\",\"note\":\"Thiếu bản \\\"gốc\\\"\\n\\tký\\\\tên\"}";
	client_init(&c, &S);
	req(&c, "POST", path, "application/json", refuse, strlen(refuse), CLERK, &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	client_free(&c);
	expect_lookup(code, "0977666777", "\"status\":\"refused_at_intake\"");
	expect_lookup(code, "0977666777", "\"reason\":\"Thiếu bản \\\"gốc\\\"\\n\\tký\\\\tên\"");
	/* another process writes: an appointment and a rating */
	snprintf(sql, sizeof sql,
	         "UPDATE dossiers SET appointment_at = 1767225600 WHERE code = '%s';"
	         "INSERT INTO dossier_ratings (dossier_id, level, at)"
	         " SELECT id, 'satisfied', 1767225600 FROM dossiers WHERE code = '%s'", code, code);
	assert_int_equal(srv_sql(&S, sql), 0);
	expect_lookup(code, "0977666777", "\"appointment_at\":\"2026-01-01T07:00:00+07:00\"");
	expect_lookup(code, "0977666777", "\"rating\":\"satisfied\"");
	/* and a wrong phone still learns nothing */
	assert_int_equal(lookup_as(1, code, "0977666778", &r), 404);
	assert_false(reply_has(&r, "refused"));
	reply_free(&r);
}

/* serve --lookup-limits N,M sets the figures (a commune behind one address) */
static void
test_limits_flag(void **state)
{
	(void)state;
	char dir[256];
	snprintf(dir, sizeof dir, "%s", S.dir);
	assert_int_equal(srv_stop(&S, 15), 0);
	static const char *const extra[] = {"--lookup-limits", "2,100", NULL};
	srv_extra_args = extra;
	assert_int_equal(srv_start(&S, dir), 0);
	srv_extra_args = NULL;
	char code[80];
	struct reply r;
	receive("0977555666", "receive", code, sizeof code);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(lookup(code, "0977555600", &r), 404);
		reply_free(&r);
	}
	assert_int_equal(lookup(code, "0977555666", &r), 429);
	reply_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_reply),
		cmocka_unit_test(test_throttled_and_kept),
		cmocka_unit_test(test_fresh_answer),
		cmocka_unit_test(test_limits_flag),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
