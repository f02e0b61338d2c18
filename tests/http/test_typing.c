/*
 * test_typing.c — what a person types, against the real binary (issue
 * #12 items 2 and 3): the clerk's quick search opens a procedure only on
 * an exact code or name and otherwise lists the matches, best first; a
 * phrase typed in full ranks the names holding it first in the public
 * catalogue and the API.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver.h"

#define PW "mat-khau-thu-123"

static struct srv S;
static struct client CLERK;
static char CLERK_TOKEN[200];

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0 || add_user(&S, "typing.clerk", "clerk", "Nguyễn Thị Lan", PW) != 0)
		return -1;
	client_init(&CLERK, &S);
	if (login(&CLERK, "typing.clerk", PW) != 303)
		return -1;
	bearer_for(&S, "typing.clerk", PW, CLERK_TOKEN, sizeof CLERK_TOKEN);
	return strlen(CLERK_TOKEN) > 30 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&CLERK);
	return group_stop(&S);
}

/* GET prefix + the typed text url-encoded, as the clerk. */
static void
get_typed(const char *prefix, const char *typed, struct reply *r)
{
	struct buf p = BUF_INIT;
	buf_puts(&p, prefix);
	urlenc(&p, typed);
	get(&CLERK, buf_str(&p), r);
	buf_free(&p);
	if (r->status != 200)
		fail_msg("%s%s: %ld", prefix, typed, r->status);
}

/* The position in r of the first of a's occurrences (after from), or -1. */
static long
pos(const struct reply *r, const char *from, const char *a)
{
	const char *b = buf_str(&r->body), *s = from ? strstr(b, from) : b;
	const char *p = s ? strstr(s, a) : NULL;
	return p ? p - b : -1;
}

/* first comes before second in r (after from); both are there. */
static void
before(const struct reply *r, const char *from, const char *first, const char *second)
{
	long a = pos(r, from, first), b = pos(r, from, second);
	if (a < 0 || b < 0 || a > b)
		fail_msg("expected %s (at %ld) before %s (at %ld)", first, a, second, b);
}

/* The quick search: an exact code or name (folded) opens the procedure;
 * anything else, even a single hit, lists the matches to pick from. */
static void
test_quick_search_opens_only_exact(void **state)
{
	(void)state;
	static const char *const exact[] = {"1.001193", " THỦ TỤC  đăng ky khai sinh ", "thu tuc dang ky khai sinh"};
	struct reply r;
	for (size_t i = 0; i < sizeof exact / sizeof *exact; i++) {
		get_typed("/mot-cua/tiep-nhan?tim=", exact[i], &r);
		if (!reply_has(&r, "name=\"procedure_code\" value=\"1.001193\""))
			fail_msg("%s: the procedure is not opened", exact[i]);
		reply_free(&r);
	}
	static const char *const listed[] = {"di chuc", "chứng thực", "đăng ký khai sinh"};
	for (size_t i = 0; i < sizeof listed / sizeof *listed; i++) {
		get_typed("/mot-cua/tiep-nhan?tim=", listed[i], &r);
		if (!reply_has(&r, "class=\"quick-hits\"") || reply_has(&r, "name=\"procedure_code\""))
			fail_msg("%s: not a list to pick from", listed[i]);
		reply_free(&r);
	}
	/* the phrase in the name first; shared words after; the body last */
	get_typed("/mot-cua/tiep-nhan?tim=", "đăng ký khai sinh", &r);
	before(&r, "quick-hits", "thu_tuc=1.001193\"", "thu_tuc=2.000528\"");
	before(&r, "quick-hits", "thu_tuc=2.000528\"", "thu_tuc=1.004884\"");
	reply_free(&r);
	get_typed("/mot-cua/tiep-nhan?tim=", "chung thuc ban sao", &r);
	before(&r, "quick-hits", "thu_tuc=2.000815\"", "thu_tuc=2.000942\"");
	reply_free(&r);
	get_typed("/mot-cua/tiep-nhan?tim=", "ks", &r);   /* initials still work */
	assert_true(pos(&r, "quick-hits", "thu_tuc=1.001193\"") > 0);
	reply_free(&r);
}

/* The public catalogue and the API rank the same way. */
static void
test_catalogue_ranks_the_phrase_in_the_name_first(void **state)
{
	(void)state;
	struct reply r;
	get_typed("/api/v1/procedures?limit=50&q=", "đăng ký khai sinh", &r);
	before(&r, NULL, "\"code\":\"1.001193\"", "\"code\":\"2.000528\"");
	/* all the words in the name before a mere mention in the body */
	before(&r, NULL, "\"code\":\"2.000522\"", "\"code\":\"2.001263\"");
	reply_free(&r);
	get_typed("/api/v1/procedures?limit=50&q=", "chung thuc ban sao", &r);
	before(&r, NULL, "\"code\":\"2.000815\"", "\"code\":\"2.000942\"");
	/* more of the typed words in the name before fewer */
	before(&r, NULL, "\"code\":\"2.001019\"", "\"code\":\"2.000806\"");
	reply_free(&r);
	get_typed("/thu-tuc?q=", "chứng thực bản sao", &r);
	before(&r, "proc-list", "/thu-tuc/2.000815\"", "/thu-tuc/2.000942\"");
	reply_free(&r);
	get_typed("/thu-tuc?q=", "đăng ký khai sinh", &r);
	before(&r, "proc-list", "/thu-tuc/1.001193\"", "/thu-tuc/2.000528\"");
	before(&r, "proc-list", "/thu-tuc/2.000522\"", "/thu-tuc/2.001263\"");
	reply_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quick_search_opens_only_exact),
		cmocka_unit_test(test_catalogue_ranks_the_phrase_in_the_name_first),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
