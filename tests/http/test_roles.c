/*
 * test_roles.c — the role matrix, generated from the route table: every
 * route × anonymous and every role gets the answer its .roles promise:
 * public routes never ask for a login; restricted pages send anonymous
 * visitors to /dang-nhap and the API answers 401; a signed-in role outside
 * .roles gets 403 "forbidden"; a role inside never gets 401/403 (forms
 * carry a valid CSRF token, so only the role decides).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/roles.h"
#include "driver.h"
#include "web/web.h"

static struct srv S;

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0)
		return -1;
	static const char *const roles[] = {"leader", "clerk", "officer", "viewer"};
	for (int i = 0; i < 4; i++) {
		char user[32];
		snprintf(user, sizeof user, "thu.%s", roles[i]);
		if (add_user(&S, user, roles[i], NULL, "mat-khau-thu-123") != 0)
			return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return group_stop(&S);
}

/* A concrete path for a pattern: {x} → a value that exists where it can. */
static void
concrete(const char *pattern, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	for (const char *p = pattern; *p;) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			size_t len = (size_t)(end - p - 1);
			if (strncmp(p + 1, "code", len) == 0)
				buf_puts(&b, "1.001193");
			else if (strncmp(p + 1, "file", len) == 0)
				buf_puts(&b, "site.css");
			else if (strncmp(p + 1, "slug", len) == 0)
				buf_puts(&b, "khong-co");
			else
				buf_puts(&b, "1");
			p = end + 1;
		} else {
			buf_putc(&b, *p++);
		}
	}
	snprintf(out, n, "%s", buf_str(&b));
	buf_free(&b);
}

/* Routes that end a session run last, in their own pass. */
static int
ends_session(const struct http_route *r)
{
	return strcmp(r->pattern, "/dang-xuat") == 0 ||
	       (strcmp(r->pattern, "/api/v1/session") == 0 && strcmp(r->method, "DELETE") == 0);
}

struct who {
	const char *name;      /* NULL: anonymous */
	unsigned role;
	struct client c;
	char csrf[128];
	char bearer[160];
};

static void
sign_in(struct who *w)
{
	struct reply r;
	client_init(&w->c, &S);
	w->csrf[0] = w->bearer[0] = '\0';
	if (w->name) {
		const char *pw = strcmp(w->name, "admin") == 0 ? S.admin_pw : "mat-khau-thu-123";
		assert_int_equal(login(&w->c, w->name, pw), 303);
		get(&w->c, "/", &r);           /* the logout form carries the session's token */
		assert_int_equal(csrf_of(&r, w->csrf, sizeof w->csrf), 0);
		reply_free(&r);
		struct buf body = BUF_INIT;
		buf_printf(&body, "{\"username\":\"%s\",\"password\":\"%s\"}", w->name, pw);
		struct client api;
		client_init(&api, &S);
		req(&api, "POST", "/api/v1/session", "application/json", buf_str(&body), body.len, NULL, &r);
		const char *t = strstr(buf_str(&r.body), "\"token\":\"");
		assert_non_null(t);
		snprintf(w->bearer, sizeof w->bearer, "Authorization: Bearer %.*s", (int)strcspn(t + 9, "\""), t + 9);
		reply_free(&r);
		client_free(&api);
		buf_free(&body);
	} else {
		get(&w->c, "/dang-nhap", &r);
		assert_int_equal(csrf_of(&r, w->csrf, sizeof w->csrf), 0);
		reply_free(&r);
	}
}

static void
check_one(struct who *w, const struct http_route *rt, int *checked)
{
	char path[256];
	concrete(rt->pattern, path, sizeof path);
	int api = strncmp(path, "/api/", 5) == 0;
	struct reply r;
	const char *hdr = api && w->bearer[0] ? w->bearer : NULL;
	if (rt->flags & ROUTE_BODY_FORM) {
		struct buf body = BUF_INIT;
		buf_puts(&body, "csrf=");
		urlenc(&body, w->csrf);
		req(&w->c, rt->method, path, "application/x-www-form-urlencoded", buf_str(&body), body.len, hdr, &r);
		buf_free(&body);
	} else if (rt->flags & ROUTE_BODY_JSON) {
		req(&w->c, rt->method, path, "application/json", "{}", 2, hdr, &r);
	} else {
		req(&w->c, rt->method, path, NULL, NULL, 0, hdr, &r);
	}
	long st = r.status;
	char loc[256] = "";
	reply_header(&r, "Location", loc, sizeof loc);
	int to_login = st == 303 && strncmp(loc, "/dang-nhap?next=", 16) == 0; /* the refusal, not a logout */
	int allowed = (rt->roles & ROLE_PUBLIC) || (w->role & rt->roles);
	const char *who = w->name ? w->name : "anonymous";
	if (rt->roles & ROLE_CITIZEN) {
		/* citizen pages take a citizen session only: no staff role opens
		 * them; everyone here is sent to the citizen sign-in */
		if (st != 303 || strncmp(loc, "/cong-dan/dang-nhap?next=", 25) != 0)
			fail_msg("%s %s as %s: %ld %s, want 303 to /cong-dan/dang-nhap", rt->method, path, who, st, loc);
	} else if (allowed) {
		if (st == 401 || to_login || (st == 403 && (reply_has(&r, "forbidden") || reply_has(&r, "không có quyền"))))
			fail_msg("%s %s as %s: refused (%ld) but the route allows it", rt->method, path, who, st);
		if (st == 0 || st >= 500)
			fail_msg("%s %s as %s: %ld", rt->method, path, who, st);
	} else if (!w->name) {
		if (api ? st != 401 : !to_login)
			fail_msg("%s %s anonymous: %ld %s, want %s", rt->method, path, st, loc,
			         api ? "401" : "303 to /dang-nhap");
	} else {
		if (st != 403 || !(reply_has(&r, "forbidden") || reply_has(&r, "không có quyền")))
			fail_msg("%s %s as %s: %ld, want 403 forbidden", rt->method, path, who, st);
	}
	reply_free(&r);
	(*checked)++;
}

static void
test_matrix(void **state)
{
	(void)state;
	struct who people[] = {
		{NULL, 0, {0}, "", ""},
		{"admin", ROLE_ADMIN, {0}, "", ""},
		{"thu.leader", ROLE_LEADER, {0}, "", ""},
		{"thu.clerk", ROLE_CLERK, {0}, "", ""},
		{"thu.officer", ROLE_OFFICER, {0}, "", ""},
		{"thu.viewer", ROLE_VIEWER, {0}, "", ""},
	};
	int checked = 0;
	for (size_t p = 0; p < sizeof people / sizeof people[0]; p++) {
		struct who *w = &people[p];
		sign_in(w);
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < web_nroutes; i++)
				if (ends_session(&web_routes[i]) == pass)
					check_one(w, &web_routes[i], &checked);
		client_free(&w->c);
	}
	assert_int_equal((size_t)checked, web_nroutes * (sizeof people / sizeof people[0]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
