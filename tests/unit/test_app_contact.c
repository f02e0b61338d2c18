/*
 * test_app_contact.c — the agency's contact for feedback (src/app/contact.c)
 * on a temporary store: only the admin sets it; what is typed is trimmed
 * and checked (one-line address, a phone of digits, an e-mail's shape) and
 * a refusal writes nothing; a change bumps the public pages' revision.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/app.h"
#include "app/contact.h"
#include "core/roles.h"
#include "app_fixture.h"

static char DIR_[64];
static struct store *ST;
static struct app A;
static const struct actor ADMIN = {.user_id = 1, .role = ROLE_ADMIN, .name = "user:admin"};
static const struct actor LEADER = {.user_id = 2, .role = ROLE_LEADER, .name = "user:leader"};

static int
setup(void **state)
{
	(void)state;
	return fixture_open(DIR_, "contact", &ST, &A);
}

static int
teardown(void **state)
{
	(void)state;
	return fixture_close(DIR_, ST, &A);
}

static void
test_contact(void **state)
{
	(void)state;
	struct store_contact c;
	assert_int_equal(app_contact_get(&A, &c), ERR_OK);
	assert_string_equal(c.address, "");
	struct store_contact in = {"  Thôn Phú Lộc, xã Phong Hải, tỉnh Thừa Thiên Huế  ", "(0234) 3.861.234",
	                           "ubnd@phonghai.gov.vn"};
	struct app_fail f = {"", ""};
	assert_int_equal(app_contact_set(&A, &LEADER, &in, &f), ERR_FORBIDDEN);
	uint64_t rev = app_public_rev(&A);
	assert_int_equal(app_contact_set(&A, &ADMIN, &in, &f), ERR_OK);
	assert_true(app_public_rev(&A) > rev);
	assert_int_equal(app_contact_get(&A, &c), ERR_OK);
	assert_string_equal(c.address, "Thôn Phú Lộc, xã Phong Hải, tỉnh Thừa Thiên Huế");
	assert_string_equal(c.phone, "(0234) 3.861.234");
	assert_string_equal(c.email, "ubnd@phonghai.gov.vn");

	struct {
		struct store_contact c;
		const char *field;
	} bad[] = {
		{{"Dòng một\nDòng hai", "", ""}, "address"},
		{{"", "gọi 113", ""}, "phone"},
		{{"", "12345", ""}, "phone"},
		{{"", "", "ubnd.phonghai.gov.vn"}, "email"},
		{{"", "", "ubnd@phonghai"}, "email"},
		{{"", "", "a b@x.vn"}, "email"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		rev = app_public_rev(&A);
		assert_int_equal(app_contact_set(&A, &ADMIN, &bad[i].c, &f), ERR_INVALID_FIELD);
		assert_string_equal(f.field, bad[i].field);
		assert_int_equal(app_public_rev(&A), rev);
		assert_int_equal(app_contact_get(&A, &c), ERR_OK);
		assert_string_equal(c.phone, "(0234) 3.861.234");   /* nothing written */
	}
	struct store_contact none = {"", "", ""};   /* cleared: the footer shows nothing */
	assert_int_equal(app_contact_set(&A, &ADMIN, &none, &f), ERR_OK);
	assert_int_equal(app_contact_get(&A, &c), ERR_OK);
	assert_string_equal(c.email, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contact),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
