/*
 * test_notify.c — notifications without a server (issue #13 item 5):
 * template filling and its names check, the retry schedule, the message
 * of its own (a one-time code: never shown, blanked once sent), the
 * worker's claim and its crash recovery, the templates' editor rules and
 * which actions notify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/notify.h"
#include "app_fixture.h"
#include "core/message.h"
#include "core/roles.h"

static char DIR_[64];
static struct store *ST;
static struct app A;
static struct actor ADMIN, CLERK;

static int
setup(void **state)
{
	(void)state;
	if (fixture_open(DIR_, "notify", &ST, &A) != 0)
		return -1;
	app_actor_system(&ADMIN, "user:admin");
	ADMIN.role = ROLE_ADMIN;
	app_actor_system(&CLERK, "user:clerk");
	CLERK.role = ROLE_CLERK;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return fixture_close(DIR_, ST, &A);
}

static char *
render(const char *tmpl, const char *const *vars)
{
	struct buf b = BUF_INIT;
	msg_render(&b, tmpl, vars);
	buf_puts(&b, "");
	return buf_detach(&b);
}

static void
test_render(void **state)
{
	(void)state;
	const char *const vars[] = {"code", "H00-261203-0001", "name", "Lê {{code}} Hoa", "empty", "", NULL};
	char *s = render("Hồ sơ {{code}} của {{name}}{{empty}}.", vars);
	assert_string_equal(s, "Hồ sơ H00-261203-0001 của Lê {{code}} Hoa.");   /* a value is not read again */
	free(s);
	s = render("{{unknown}}|{{ code }}|{{code}|{|{{|}}|{{Code}}|{{code}}{{code}}", vars);
	assert_string_equal(s, "|{{ code }}|{{code}|{|{{|}}|{{Code}}|H00-261203-0001H00-261203-0001");
	free(s);
	s = render("{{code}}", NULL);
	assert_string_equal(s, "");
	free(s);
	s = render("", vars);
	assert_string_equal(s, "");
	free(s);
}

static void
test_names(void **state)
{
	(void)state;
	const char *const known[] = {"code", "new_date", NULL};
	char bad[40] = "x";
	assert_int_equal(msg_names_ok("Hẹn {{new_date}}, mã {{code}}; {{ khong }} {", known, bad, sizeof bad), 0);
	assert_int_equal(msg_names_ok("{{code}} {{reason}} {{name}}", known, bad, sizeof bad), -1);
	assert_string_equal(bad, "reason");
	assert_int_equal(msg_names_ok("", known, bad, sizeof bad), 0);
}

static void
test_backoff(void **state)
{
	(void)state;
	/* 30 s doubling, capped at an hour */
	const int64_t want[] = {30, 60, 120, 240, 480, 960, 1920, 3600, 3600};
	for (int i = 0; i < 9; i++)
		assert_int_equal(msg_backoff(i + 1, 30, 3600), want[i]);
	assert_int_equal(msg_backoff(1000000, 30, 3600), 3600);
	assert_int_equal(msg_backoff(1, 1, 2), 1);
	assert_int_equal(msg_backoff(2, 1, 2), 2);
	assert_int_equal(msg_backoff(3, 1, 2), 2);
	int64_t b, c;
	assert_int_equal(app_notify_parse_backoff("30", &b, &c), 0);
	assert_true(b == 30 && c == 3600);
	assert_int_equal(app_notify_parse_backoff("1,2", &b, &c), 0);
	assert_true(b == 1 && c == 2);
	assert_int_equal(app_notify_parse_backoff("5,4", &b, &c), -1);
	assert_int_equal(app_notify_parse_backoff("0", &b, &c), -1);
	assert_int_equal(app_notify_parse_backoff("3x", &b, &c), -1);
	assert_int_equal(app_notify_parse_backoff("", &b, &c), -1);
}

struct rows {
	struct store_outbox_row r[8];
	char body[8][256];
	int n;
};

static int
keep(const struct store_outbox_row *r, void *arg)
{
	struct rows *k = arg;
	if (k->n < 8) {
		k->r[k->n] = *r;
		snprintf(k->body[k->n], sizeof k->body[0], "%s", r->body);
		k->r[k->n].subject = k->r[k->n].body = NULL;
		k->n++;
	}
	return 0;
}

static void
test_direct_secret(void **state)
{
	(void)state;
	const char *const vars[] = {"code", "482913", "minutes", "5", NULL};
	struct app_fail f = {"", ""};
	assert_int_equal(app_notify_direct(&A, "fax", "0912345678", "otp", vars, 1, &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "channel");
	assert_int_equal(app_notify_direct(&A, "sms", "12345", "otp", vars, 1, &f), ERR_INVALID_FIELD);
	assert_int_equal(app_notify_direct(&A, "sms", "02438251234", "otp", vars, 1, &f), ERR_INVALID_FIELD);
	assert_int_equal(app_notify_direct(&A, "email", "a@b\r\nBcc: x@y.vn", "otp", vars, 1, &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "to");
	assert_int_equal(app_notify_direct(&A, "sms", "0912345678", "khong-co", vars, 1, &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "template");
	assert_int_equal(app_notify_direct(&A, "sms", "+84 912 345 678", "otp", vars, 1, &f), ERR_OK);

	/* the log never shows it; only an admin reads the log */
	struct rows k = {0};
	int64_t total = 0;
	assert_int_equal(app_notify_log(&A, &CLERK, NULL, 10, keep, &k, &total), ERR_FORBIDDEN);
	assert_int_equal(app_notify_log(&A, &ADMIN, "bogus", 10, keep, &k, &total), ERR_INVALID_FIELD);
	assert_int_equal(app_notify_log(&A, &ADMIN, NULL, 10, keep, &k, &total), ERR_OK);
	assert_int_equal(total, 1);
	assert_int_equal(k.n, 1);
	assert_string_equal(k.body[0], APP_NOTIFY_SECRET_SHOWN);
	assert_string_equal(k.r[0].recipient, "0912345678");
	assert_string_equal(k.r[0].state, "queued");

	/* the worker gets the code; once sent, it is gone from the outbox */
	struct store_outbox_row r;
	assert_int_equal(store_outbox_claim(ST, time(NULL), &r), ERR_OK);
	assert_non_null(strstr(r.body, "482913"));
	assert_non_null(strstr(r.body, "UBND xã Thử"));   /* the agency is added */
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.secret, 1);
	assert_int_equal(store_outbox_claim(ST, time(NULL), &(struct store_outbox_row){0}), ERR_NOT_FOUND);
	assert_int_equal(store_outbox_finish(ST, r.id, "sent", time(NULL), 0, ""), ERR_OK);
	store_outbox_row_free(&r);
	k.n = 0;
	assert_int_equal(store_outbox_list(ST, "sent", 10, keep, &k, &total), ERR_OK);
	assert_int_equal(k.n, 1);
	assert_string_equal(k.body[0], "");
	assert_true(k.r[0].sent_at > 0);
}

static void
test_recover_and_retry(void **state)
{
	(void)state;
	const char *const vars[] = {"code", "111222", "minutes", "5", NULL};
	assert_int_equal(app_notify_direct(&A, "email", "dan@xa.vn", "otp", vars, 0, NULL), ERR_OK);
	int64_t now = time(NULL);
	struct store_outbox_row r;
	assert_int_equal(store_outbox_claim(ST, now, &r), ERR_OK);
	int64_t id = r.id;
	assert_string_equal(r.subject, "Mã đăng nhập của ông/bà");
	store_outbox_row_free(&r);
	/* a crash here: the row stays "sending", nothing else claims it */
	assert_int_equal(store_outbox_claim(ST, now, &r), ERR_NOT_FOUND);
	int64_t n = 0;
	assert_int_equal(store_outbox_recover(ST, now, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_outbox_claim(ST, now, &r), ERR_OK);
	assert_int_equal(r.id, id);
	assert_int_equal(r.attempts, 2);
	/* a failed attempt waits for its pause */
	assert_int_equal(store_outbox_finish(ST, id, "queued", now, now + 60, "SMTP: không kết nối được"), ERR_OK);
	store_outbox_row_free(&r);
	assert_int_equal(store_outbox_claim(ST, now + 59, &r), ERR_NOT_FOUND);
	int64_t next = 0;
	assert_int_equal(store_outbox_next(ST, &next), ERR_OK);
	assert_int_equal(next, now + 60);
	assert_int_equal(store_outbox_claim(ST, now + 60, &r), ERR_OK);
	assert_string_equal(r.last_error, "SMTP: không kết nối được");
	assert_int_equal(store_outbox_finish(ST, id, "failed", now + 60, now + 60, "SMTP: 550"), ERR_OK);
	store_outbox_row_free(&r);
	struct rows k = {0};
	int64_t total;
	assert_int_equal(app_notify_log(&A, &ADMIN, "failed", 10, keep, &k, &total), ERR_OK);
	assert_int_equal(total, 1);
	assert_non_null(strstr(k.body[0], "111222"));   /* not secret: shown */
	assert_string_equal(app_notify_state_label("failed"), "Gửi thất bại");
}

static void
test_templates(void **state)
{
	(void)state;
	struct app_fail f = {"", ""};
	assert_int_equal(app_notify_template_set(&A, &CLERK, "received", "sms", "", "x", &f), ERR_FORBIDDEN);
	assert_int_equal(app_notify_template_set(&A, &ADMIN, "khong", "sms", "", "x", &f), ERR_NOT_FOUND);
	assert_int_equal(app_notify_template_set(&A, &ADMIN, "received", "fax", "", "x", &f), ERR_NOT_FOUND);
	assert_int_equal(app_notify_template_set(&A, &ADMIN, "received", "sms", "Tiêu đề", "x", &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "subject");
	assert_int_equal(app_notify_template_set(&A, &ADMIN, "received", "email", "  ", "x", &f), ERR_MISSING_FIELD);
	assert_int_equal(app_notify_template_set(&A, &ADMIN, "received", "sms", "", " \n ", &f), ERR_MISSING_FIELD);
	assert_int_equal(app_notify_template_set(&A, &ADMIN, "received", "sms", "", "Hồ sơ {{code}}, lý do {{reason}}", &f),
	                 ERR_INVALID_FIELD);
	assert_string_equal(f.field, "body");
	assert_non_null(strstr(f.msg, "{{reason}}"));
	assert_int_equal(app_notify_template_set(&A, &ADMIN, "received", "sms", "", "a\x01b", &f), ERR_INVALID_FIELD);
	assert_int_equal(app_notify_template_set(&A, &ADMIN, "received", "email", "Dòng\nhai", "x", &f), ERR_INVALID_FIELD);
	struct store_msg_template t;
	assert_int_equal(app_notify_template(&A, &ADMIN, "received", "sms", &t), ERR_OK);
	assert_non_null(strstr(t.body, "đã tiếp nhận hồ sơ {{code}}"));   /* nothing above was saved */
	store_msg_template_free(&t);
	assert_int_equal(app_notify_template_set(&A, &ADMIN, "received", "sms", "",
	                                         "Đã nhận {{code}}\r\nhẹn {{appointment}}", &f), ERR_OK);
	assert_int_equal(app_notify_template(&A, &ADMIN, "received", "sms", &t), ERR_OK);
	assert_string_equal(t.body, "Đã nhận {{code}}\nhẹn {{appointment}}");   /* CR LF → LF */
	assert_string_equal(t.updated_by, "user:admin");
	store_msg_template_free(&t);
	assert_int_equal(app_notify_template(&A, &CLERK, "received", "sms", &t), ERR_FORBIDDEN);
	struct buf s = BUF_INIT, b = BUF_INIT;
	app_notify_preview(&A, "apology", "Xin lỗi {{name}}", "hẹn {{new_date}}", &s, &b);
	assert_string_equal(buf_str(&s), "Xin lỗi Nguyễn Văn An");
	assert_string_equal(buf_str(&b), "hẹn 15/12/2026 16:30");
	buf_free(&s);
	buf_free(&b);
	/* every kind has both channels seeded */
	size_t n;
	const struct app_notify_kind *k = app_notify_kinds(&n);
	assert_int_equal(n, 7);
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < 2; c++) {
			assert_int_equal(app_notify_template(&A, &ADMIN, k[i].key, c ? "sms" : "email", &t), ERR_OK);
			char bad[40];
			assert_int_equal(msg_names_ok(t.body, k[i].names, bad, sizeof bad), 0);
			store_msg_template_free(&t);
		}
}

static void
test_actions(void **state)
{
	(void)state;
	assert_string_equal(app_notify_template_of(DFSM_A_RECEIVE), "received");
	assert_string_equal(app_notify_template_of(DFSM_A_REQUEST_SUPPLEMENT), "supplement");
	assert_string_equal(app_notify_template_of(DFSM_A_REFUSE_INTAKE), "refused");
	assert_string_equal(app_notify_template_of(DFSM_A_REFUSE), "refused");
	assert_string_equal(app_notify_template_of(DFSM_A_APOLOGIZE), "apology");
	assert_string_equal(app_notify_template_of(DFSM_A_RESULT_READY), "result_ready");
	assert_string_equal(app_notify_template_of(DFSM_A_RETURN), "returned");
	assert_null(app_notify_template_of(DFSM_A_ASSIGN));
	assert_null(app_notify_template_of(DFSM_A_APPROVE));
	/* an SMS goes to a mobile only; an e-mail to a sound address */
	struct app_notify_batch b;
	const char *const missing[] = {"Giấy chứng sinh", "Bản sao CCCD"};
	struct app_notify_facts x = {.phone = "0912345678", .email = "dan@xa.vn", .name = "Lê Hoa",
	                             .procedure = "Khai sinh", .missing = missing, .nmissing = 2};
	app_notify_batch(&A, &b, "supplement", &x);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.msgs[0].channel, "sms");
	assert_string_equal(b.msgs[1].channel, "email");
	assert_string_equal(b.missing, "Giấy chứng sinh; Bản sao CCCD");
	x.phone = "02438251234";
	x.email = "";
	app_notify_batch(&A, &b, "supplement", &x);
	assert_int_equal(b.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_direct_secret),
		cmocka_unit_test(test_recover_and_retry),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_actions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
