/*
 * test_typing.c — what a person types, against the real binary (issue
 * #12 items 2 and 3): the clerk's quick search opens a procedure only on
 * an exact code or name and otherwise lists the matches, best first; a
 * phrase typed in full ranks the names holding it first in the public
 * catalogue and the API; a name of only spaces is refused, a dossier
 * code is found whatever its case, spaces or short form, and messages to
 * people never name an internal field.
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

/* GET prefix + the typed text url-encoded, as the clerk (the API with
 * the clerk's token). */
static void
get_typed(const char *prefix, const char *typed, struct reply *r)
{
	struct buf p = BUF_INIT;
	buf_puts(&p, prefix);
	urlenc(&p, typed);
	req(&CLERK, "GET", buf_str(&p), NULL, NULL, 0, strncmp(prefix, "/api/", 5) ? NULL : CLERK_TOKEN, r);
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


/* POSTs a JSON intake as the clerk's API token. */
static void
api_intake(const char *name, const char *id, struct reply *r)
{
	char body[600];
	snprintf(body, sizeof body, "{\"procedure_code\":\"1.001193\",\"channel\":\"counter\","
	         "\"applicant\":{\"name\":\"%s\"%s%s%s,\"phone\":\"0912345678\"},\"documents\":[]}",
	         name, id ? ",\"id_number\":\"" : "", id ? id : "", id ? "\"" : "");
	req(&CLERK, "POST", "/api/v1/dossiers", "application/json", body, strlen(body), CLERK_TOKEN, r);
}

/* A refusal in words only: its message and detail name no internal field. */
static void
words_only(const struct reply *r, const char *field)
{
	const char *b = buf_str(&r->body), *m = strstr(b, "\"message\":\""), *d = strstr(b, "\"detail\":\"");
	char text[600];
	snprintf(text, sizeof text, "%.*s | %.*s", m ? (int)strcspn(m + 11, "\"") : 0, m ? m + 11 : "",
	         d ? (int)strcspn(d + 10, "\"") : 0, d ? d + 10 : "");
	if (strstr(text, field) || strstr(text, "applicant."))
		fail_msg("an internal field name shown to people: %s", text);
}

/* A name of only spaces (ASCII, no-break, ideographic) is no name, at the
 * API and the intake page; the refusals speak Vietnamese only. */
static void
test_blank_name_and_plain_messages(void **state)
{
	(void)state;
	static const char *const blanks[] = {"   ", "\\u00a0 \\u3000", "\\t"};
	struct reply r;
	for (size_t i = 0; i < sizeof blanks / sizeof *blanks; i++) {
		api_intake(blanks[i], NULL, &r);
		assert_int_equal(r.status, 400);
		assert_true(reply_has(&r, "\"code\":\"missing_field\""));
		assert_true(reply_has(&r, "\"detail\":\"ghi họ và tên người nộp hồ sơ\""));
		assert_true(reply_has(&r, "\"field\":\"applicant.name\""));
		words_only(&r, "applicant.name");
		reply_free(&r);
	}
	api_intake("Lê Văn Gõ", "12345", &r);
	assert_int_equal(r.status, 400);
	assert_true(reply_has(&r, "\"field\":\"applicant.id_number\""));
	words_only(&r, "applicant.id_number");
	assert_true(reply_has(&r, "\"detail\":\"Số định danh"));
	reply_free(&r);
	/* the page: the same words, what was typed kept, nothing saved */
	const char *form = "procedure_code=1.001193&doc_0_name=T%E1%BB%9D&doc_0_received=1"
	                   "&name=%20%C2%A0%20&phone=0912345678&id_number=12345&channel=counter&intake=receive";
	long st = submit_form(&CLERK, "/mot-cua/tiep-nhan?thu_tuc=1.001193", "/mot-cua/tiep-nhan", form, &r);
	assert_int_equal(st, 400);
	assert_true(reply_has(&r, "ghi họ và tên người nộp hồ sơ"));
	assert_false(reply_has(&r, "applicant.name"));
	reply_free(&r);
	form = "procedure_code=1.001193&doc_0_name=T%E1%BB%9D&doc_0_received=1"
	       "&name=L%C3%AA&phone=0912345678&id_number=12345&channel=counter&intake=receive";
	st = submit_form(&CLERK, "/mot-cua/tiep-nhan?thu_tuc=1.001193", "/mot-cua/tiep-nhan", form, &r);
	assert_int_equal(st, 400);
	assert_true(reply_has(&r, "Số định danh cá nhân phải gồm đúng 12 chữ số"));
	assert_false(reply_has(&r, "applicant.id_number"));
	reply_free(&r);
}

/* GET path as the clerk (session, or the API token); the status. */
static long
status_of(const char *path, int api)
{
	struct reply r;
	req(&CLERK, "GET", path, NULL, NULL, 0, api ? CLERK_TOKEN : NULL, &r);
	long st = r.status;
	reply_free(&r);
	return st;
}

/* A dossier code typed in any case, with spaces around, or in its short
 * form YYMMDD-NNNN finds the dossier: desk search, dossier page, API,
 * public lookup. */
static void
test_code_as_typed(void **state)
{
	(void)state;
	struct reply r;
	api_intake("Phan Thị Mã", NULL, &r);
	assert_int_equal(r.status, 201);
	char code[80] = "", lower[80], path[300];
	const char *c = strstr(buf_str(&r.body), "\"code\":\"");
	snprintf(code, sizeof code, "%.*s", c ? (int)strcspn(c + 8, "\"") : 0, c ? c + 8 : "");
	reply_free(&r);
	for (size_t i = 0; i <= strlen(code); i++)
		lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
	const char *shortform = strchr(code, '-') + 1;   /* YYMMDD-NNNN */
	const char *typed[] = {lower, shortform};
	for (size_t i = 0; i < 2; i++) {
		struct buf q = BUF_INIT;
		buf_puts(&q, "  ");
		buf_puts(&q, typed[i]);
		buf_puts(&q, " ");
		get_typed("/mot-cua?hang=tim-kiem&q=", buf_str(&q), &r);
		if (!reply_has(&r, code) || !reply_has(&r, "Phan Thị Mã"))
			fail_msg("desk search for \"%s\" does not find %s", buf_str(&q), code);
		reply_free(&r);
		snprintf(path, sizeof path, "/api/v1/dossiers?q=");
		get_typed(path, buf_str(&q), &r);
		assert_true(reply_has(&r, code));
		reply_free(&r);
		buf_free(&q);
		snprintf(path, sizeof path, "/api/v1/dossiers/%%20%s%%20", typed[i]);
		assert_int_equal(status_of(path, 1), 200);
		snprintf(path, sizeof path, "/mot-cua/ho-so/%s", typed[i]);
		assert_int_equal(status_of(path, 0), 200);
	}
	char body[200];
	snprintf(body, sizeof body, "{\"code\":\"  %s \",\"phone\":\"0912345678\"}", lower);
	req(&CLERK, "POST", "/api/v1/lookup", "application/json", body, strlen(body), NULL, &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	snprintf(body, sizeof body, "ma=%%20%s%%20&dien_thoai=0912345678", lower);
	assert_int_equal(submit_form(&CLERK, "/tra-cuu", "/tra-cuu", body, &r), 200);
	assert_true(reply_has(&r, "Đã tiếp nhận"));
	reply_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quick_search_opens_only_exact),
		cmocka_unit_test(test_catalogue_ranks_the_phrase_in_the_name_first),
		cmocka_unit_test(test_blank_name_and_plain_messages),
		cmocka_unit_test(test_code_as_typed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
