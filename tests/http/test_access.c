/*
 * test_access.c — authorization per dossier over HTTP, as an attacker
 * with a real account would try it (issue #11): an officer of another
 * unit, or of the same unit but not assigned, against every route that
 * reads or changes a dossier — the API, the dossier page, its printed
 * forms, its attachments, the action and attachment forms, the search and
 * the queues.  Roles: clerk, officers of two units, a unit leader, an
 * agency leader (no unit), an inspector.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "driver.h"

#define PW "mat-khau-thu-123"
static struct srv S;

enum { CLERK, OFF_A, OFF_A2, OFF_B, LEAD_A, LEAD_ALL, VIEWER, N };
static const char *const USERS[N][3] = {
	{"ac.clerk", "clerk", ""},
	{"ac.off.a", "officer", "Tư pháp - Hộ tịch"},
	{"ac.off.a2", "officer", "Tư pháp - Hộ tịch"},
	{"ac.off.b", "officer", "Địa chính"},
	{"ac.lead.a", "leader", "Tư pháp - Hộ tịch"},
	{"ac.lead.all", "leader", ""},
	{"ac.viewer", "viewer", ""},
};
static char TOK[N][200];
static struct client WEB[N];
static long ID[N];
static char CODE[80];   /* assigned to OFF_A */

static long
api(int who, const char *method, const char *path, const char *json, struct reply *r)
{
	struct client c;
	client_init(&c, &S);
	req(&c, method, path, json ? "application/json" : NULL, json, json ? strlen(json) : 0, TOK[who], r);
	client_free(&c);
	return r->status;
}

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0)
		return -1;
	for (int i = 0; i < N; i++) {
		char in[64];
		snprintf(in, sizeof in, "%s\n", PW);
		if (run_cli(in, NULL, "user", "add", "--data", S.dir, "--username", USERS[i][0], "--role", USERS[i][1],
		            "--full-name", USERS[i][0], "--unit", USERS[i][2], "--password-stdin", NULL) != 0)
			return -1;
		ID[i] = user_id_of(&S, USERS[i][0]);
		if (bearer_for(&S, USERS[i][0], PW, TOK[i], sizeof TOK[i]) != 201)
			return -1;
		client_init(&WEB[i], &S);
		if (login(&WEB[i], USERS[i][0], PW) != 303)
			return -1;
	}
	struct reply r;
	static const char body[] = "{\"procedure_code\":\"1.001193\",\"applicant\":{\"name\":\"Phân Quyền\","
	                           "\"phone\":\"0911222333\"}}";
	if (api(CLERK, "POST", "/api/v1/dossiers", body, &r) != 201)
		return -1;
	const char *p = strstr(buf_str(&r.body), "\"code\":\"");
	snprintf(CODE, sizeof CODE, "%.*s", (int)strcspn(p + 8, "\""), p + 8);
	reply_free(&r);
	char path[200], act[120];
	snprintf(path, sizeof path, "/api/v1/dossiers/%s/actions", CODE);
	snprintf(act, sizeof act, "{\"action\":\"assign\",\"assignee\":%ld}", ID[OFF_A]);
	long st = api(CLERK, "POST", path, act, &r);
	reply_free(&r);
	return st == 200 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	for (int i = 0; i < N; i++)
		client_free(&WEB[i]);
	return group_stop(&S);
}

/* Every reading route: the API, the page, a printed form, the search. */
static void
test_read_matrix(void **state)
{
	(void)state;
	static const struct {
		int who;
		int may;
	} m[] = {
		{CLERK, 1}, {OFF_A, 1}, {OFF_A2, 1}, {OFF_B, 0}, {LEAD_A, 1}, {LEAD_ALL, 1}, {VIEWER, 1},
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		int w = m[i].who;
		char path[200];
		struct reply r;
		snprintf(path, sizeof path, "/api/v1/dossiers/%s", CODE);
		long st = api(w, "GET", path, NULL, &r);
		if ((st == 200) != m[i].may)
			fail_msg("%s GET %s: %ld", USERS[w][0], path, st);
		reply_free(&r);
		const char *pages[] = {"/mot-cua/ho-so/%s", "/mot-cua/ho-so/%s/in/01", "/mot-cua/ho-so/%s/in/05"};
		for (size_t k = 0; k < 3; k++) {
			snprintf(path, sizeof path, pages[k], CODE);
			get(&WEB[w], path, &r);
			if ((r.status == 200) != m[i].may)
				fail_msg("%s GET %s: %ld", USERS[w][0], path, r.status);
			if (!m[i].may)
				assert_false(reply_has(&r, "Phân Quyền"));
			reply_free(&r);
		}
		/* the search finds it only for those who may read it */
		api(w, "GET", "/api/v1/dossiers?q=0911222333", NULL, &r);
		assert_int_equal(r.status, 200);
		if (reply_has(&r, CODE) != m[i].may)
			fail_msg("%s search: %s", USERS[w][0], buf_str(&r.body));
		reply_free(&r);
		get(&WEB[w], "/mot-cua?q=Ph%C3%A2n+Quy%E1%BB%81n", &r);
		if (reply_has(&r, CODE) != m[i].may)
			fail_msg("%s desk search", USERS[w][0]);
		reply_free(&r);
	}
}

/* Changing it: only the assigned officer (and the unit's or agency's
 * leader, the clerk for desk actions); refused actions change nothing. */
static void
test_act_matrix(void **state)
{
	(void)state;
	char path[200], body[200];
	struct reply r;
	snprintf(path, sizeof path, "/api/v1/dossiers/%s/actions", CODE);
	/* an officer of another unit, a colleague not assigned: 403 */
	assert_int_equal(api(OFF_B, "POST", path, "{\"action\":\"submit_for_approval\"}", &r), 403);
	reply_free(&r);
	assert_int_equal(api(OFF_A2, "POST", path, "{\"action\":\"submit_for_approval\"}", &r), 403);
	reply_free(&r);
	/* the inspector changes nothing (the route refuses the role) */
	assert_int_equal(api(VIEWER, "POST", path, "{\"action\":\"submit_for_approval\"}", &r), 403);
	reply_free(&r);
	/* through the page's form as well, with a valid token */
	char page[200], form[400], csrf[128] = "";
	snprintf(page, sizeof page, "/mot-cua/ho-so/%s", CODE);
	get(&WEB[OFF_A], "/mot-cua", &r);   /* OFF_B's own token, from any page */
	reply_free(&r);
	get(&WEB[OFF_B], "/mot-cua", &r);
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	snprintf(form, sizeof form, "csrf=%s&action=submit_for_approval", csrf);
	char apath[220];
	snprintf(apath, sizeof apath, "%s/thao-tac", page);
	post_form(&WEB[OFF_B], apath, form, &r);
	assert_int_equal(r.status, 403);
	reply_free(&r);
	/* an attachment by someone who may not act */
	snprintf(apath, sizeof apath, "%s/dinh-kem", page);
	post_form(&WEB[OFF_B], apath, form, &r);
	assert_true(r.status == 403 || r.status == 400);
	reply_free(&r);
	/* nothing changed: still with officer A, version 2 */
	snprintf(page, sizeof page, "/api/v1/dossiers/%s", CODE);
	api(CLERK, "GET", page, NULL, &r);
	assert_true(reply_has(&r, "\"version\":2"));
	assert_true(reply_has(&r, "\"stage\":\"with_officer\""));
	reply_free(&r);
	/* the assigned officer submits to the unit's leader; the leader of the
	 * unit approves, and the officer, still in charge, marks it ready */
	snprintf(body, sizeof body, "{\"action\":\"submit_for_approval\",\"assignee\":%ld}", ID[LEAD_A]);
	assert_int_equal(api(OFF_A, "POST", path, body, &r), 200);
	reply_free(&r);
	assert_int_equal(api(LEAD_A, "POST", path, "{\"action\":\"approve\"}", &r), 200);
	reply_free(&r);
	assert_int_equal(api(OFF_A, "POST", path, "{\"action\":\"result_ready\"}", &r), 200);
	reply_free(&r);
	/* the queues: officer B's "my unit" and "my work" never show it */
	get(&WEB[OFF_B], "/mot-cua?hang=don-vi", &r);
	assert_false(reply_has(&r, CODE));
	reply_free(&r);
	get(&WEB[OFF_B], "/mot-cua?hang=qua-han", &r);
	assert_false(reply_has(&r, CODE));
	reply_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_matrix),
		cmocka_unit_test(test_act_matrix),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
