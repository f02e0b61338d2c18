/*
 * test_routes.c — the route table against its promises: every API route
 * is described in docs/openapi.yaml with its method; admin pages are for
 * admins only; every form route is CSRF-checked; no route lacks a role.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/roles.h"
#include "web/web.h"

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		fclose(f);
		return NULL;
	}
	s[n] = '\0';
	fclose(f);
	return s;
}

/* Does the openapi text have path P with method M (lower case) under it? */
static int
documented(const char *yaml, const char *path, const char *method)
{
	char key[300], m[32];
	snprintf(key, sizeof key, "\n  %s:\n", path);
	const char *p = strstr(yaml, key);
	if (!p)
		return 0;
	p += strlen(key);
	size_t i = 0;
	for (; method[i] && i < sizeof m - 1; i++)
		m[i] = (char)tolower((unsigned char)method[i]);
	m[i] = '\0';
	/* scan lines indented by 4 until the next path (indent 2) */
	while (*p) {
		if (strncmp(p, "  ", 2) == 0 && p[2] != ' ')
			return 0;
		if (strncmp(p, "    ", 4) == 0 && p[4] != ' ' && strncmp(p + 4, m, strlen(m)) == 0 &&
		    p[4 + strlen(m)] == ':')
			return 1;
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

static void
test_openapi_covers_api(void **state)
{
	(void)state;
	char *yaml = slurp("docs/openapi.yaml");
	assert_non_null(yaml);
	int checked = 0;
	for (size_t i = 0; i < web_nroutes; i++) {
		const struct http_route *r = &web_routes[i];
		if (strncmp(r->pattern, "/api/", 5) != 0 && strncmp(r->pattern, "/open311/", 9) != 0 &&
		    strcmp(r->pattern, "/healthz") != 0 && strcmp(r->pattern, "/metrics") != 0)
			continue;
		if (!documented(yaml, r->pattern, r->method))
			fail_msg("%s %s is not in docs/openapi.yaml", r->method, r->pattern);
		checked++;
	}
	assert_true(checked >= 5);
	free(yaml);
}

static void
test_route_roles(void **state)
{
	(void)state;
	for (size_t i = 0; i < web_nroutes; i++) {
		const struct http_route *r = &web_routes[i];
		assert_true(r->roles != 0);
		assert_non_null(r->handler);
		/* admin pages: never public, never for desk staff or viewers;
		 * accounts, catalogue and calendar are for admins alone */
		if (strncmp(r->pattern, "/quan-tri", 9) == 0)
			assert_int_equal(r->roles & ~(unsigned)(ROLE_ADMIN | ROLE_LEADER), 0);
		if (strncmp(r->pattern, "/quan-tri/tai-khoan", 19) == 0 ||
		    strncmp(r->pattern, "/quan-tri/thu-tuc", 17) == 0 ||
		    strncmp(r->pattern, "/quan-tri/lich", 14) == 0)
			assert_int_equal(r->roles, ROLE_ADMIN);
		if (strcmp(r->method, "POST") == 0 && strncmp(r->pattern, "/api/", 5) != 0) {
			assert_true(r->flags & ROUTE_BODY_FORM);
			/* the one exemption: Open311 clients are programs that
			 * prove themselves with an api_key, never a cookie */
			assert_int_equal(!!(r->flags & ROUTE_NO_CSRF), strncmp(r->pattern, "/open311/", 9) == 0);
		}
		if (strncmp(r->pattern, "/api/", 5) == 0)
			assert_false(r->flags & ROUTE_BODY_FORM);
		/* the flag, not the path, makes a request an API call: the
		 * table must keep the two in step */
		assert_int_equal(!!(r->flags & ROUTE_API), strncmp(r->pattern, "/api/", 5) == 0);
		/* no public route takes more than an anonymous caller may send */
		if (r->roles & ROLE_PUBLIC)
			assert_true(r->max_body <= HTTP_ANON_MAX_BODY);
		/* the same method and pattern never appears twice */
		for (size_t j = i + 1; j < web_nroutes; j++)
			assert_false(strcmp(r->method, web_routes[j].method) == 0 &&
			             strcmp(r->pattern, web_routes[j].pattern) == 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openapi_covers_api),
		cmocka_unit_test(test_route_roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
