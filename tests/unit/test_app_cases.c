/*
 * test_app_cases.c — the case engine (src/app/cases.c) on a temporary
 * store: intake rules per kind, the legal due dates it keeps, who may act
 * on which case, the denouncer's identity (only the handler and the
 * deciding leader, every read audited), repeated petitions linked, the
 * public views that never carry a complaint or a sender.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "app/app.h"
#include "app/cases.h"
#include "core/roles.h"
#include "store/cases.h"
#include "app_fixture.h"

static char DIR_[64];
static struct store *ST;
static struct app A;
enum { CLERK, OFFICER, OFFICER2, LEADER, LEADER2, VIEWER, ADMIN, NPEOPLE };
static struct actor AC[NPEOPLE];
static const struct {
	const char *name, *role;
} PEOPLE[NPEOPLE] = {{"clerk", "clerk"},   {"officer", "officer"}, {"officer2", "officer"}, {"leader", "leader"},
                     {"leader2", "leader"}, {"viewer", "viewer"},   {"admin2", "admin"}};
static const struct actor PUBLIC = {.role = ROLE_PUBLIC, .name = "public"};

static int
setup(void **state)
{
	(void)state;
	if (fixture_open(DIR_, "cases", &ST, &A))
		return -1;
	for (int i = 0; i < NPEOPLE; i++) {
		struct store_user u = {.active = 1};
		snprintf(u.username, sizeof u.username, "%s", PEOPLE[i].name);
		snprintf(u.full_name, sizeof u.full_name, "Người %s", PEOPLE[i].name);
		snprintf(u.role, sizeof u.role, "%s", PEOPLE[i].role);
		snprintf(u.pwhash, sizeof u.pwhash, "x");
		if (store_user_create(ST, "test", &u, &u.id) != ERR_OK)
			return -1;
		app_actor_staff(&AC[i], &u);
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return fixture_close(DIR_, ST, &A);
}

static struct app_case_in
denunciation(void)
{
	struct app_case_in in = {
	    .kind = CASE_DENUNCIATION,
	    .channel = APP_CASE_DESK,
	    .subject = "Tố cáo cán bộ địa chính nhận tiền",
	    .content = "Ông X nhận tiền khi làm thủ tục cấp giấy chứng nhận.",
	    .respondent = "Ông Nguyễn Văn X, cán bộ địa chính xã",
	    .party = {.name = "Trần Thị Bích", .phone = "0912 345 678", .address = "Thôn Đông, xã Thử"},
	};
	return in;
}

static void
test_intake_rules(void **state)
{
	(void)state;
	struct app_case_brief b;
	struct app_fail f = {"", ""};
	struct app_case_in in = denunciation();
	in.party.name[0] = '\0';
	assert_int_equal(app_case_submit(&A, &AC[CLERK], &in, &b, &f), ERR_MISSING_FIELD);
	assert_string_equal(f.field, "party.name");
	in = denunciation();
	in.anonymous = 1;
	assert_int_equal(app_case_submit(&A, &AC[CLERK], &in, &b, &f), ERR_MISSING_FIELD);
	in = denunciation();
	in.respondent = "";
	assert_int_equal(app_case_submit(&A, &AC[CLERK], &in, &b, &f), ERR_MISSING_FIELD);
	assert_string_equal(f.field, "respondent");
	in = denunciation();
	snprintf(in.party.phone, sizeof in.party.phone, "12");
	assert_int_equal(app_case_submit(&A, &AC[CLERK], &in, &b, &f), ERR_BAD_PHONE);
	/* the desk is staff only; a viewer records nothing */
	in = denunciation();
	assert_int_equal(app_case_submit(&A, &PUBLIC, &in, &b, &f), ERR_FORBIDDEN);
	assert_int_equal(app_case_submit(&A, &AC[VIEWER], &in, &b, &f), ERR_FORBIDDEN);
	/* a denunciation over Open311 is refused */
	in.channel = APP_CASE_OPEN311;
	assert_int_equal(app_case_submit(&A, &PUBLIC, &in, &b, &f), ERR_INVALID_FIELD);
	/* post: a received date in the future is refused */
	in = denunciation();
	in.channel = APP_CASE_POST;
	in.received_at = time(NULL) + 86400 * 2;
	assert_int_equal(app_case_submit(&A, &AC[CLERK], &in, &b, &f), ERR_BAD_DATE);
	/* nothing was stored */
	struct app_case_row *rows;
	size_t n, total;
	struct app_case_filter flt = {.kind = -1, .stage = CASE_NSTAGES};
	assert_int_equal(app_case_list(&A, &AC[LEADER], &flt, &rows, &n, &total), ERR_OK);
	assert_int_equal(total, 0);
	free(rows);
}

/* The denouncer: only the handler and the deciding leader read him; each
 * read is an audit event; the clerk who recorded him, another leader and
 * the inspector are refused. */
static void
test_denouncer_confidential(void **state)
{
	(void)state;
	struct app_case_brief b;
	struct app_fail f = {"", ""};
	struct app_case_in in = denunciation();
	assert_int_equal(app_case_submit(&A, &AC[CLERK], &in, &b, &f), ERR_OK);
	assert_true(strncmp(b.code, "TC-", 3) == 0);
	assert_true(b.due_at > b.received_at);
	struct app_case_party p;
	for (int i = 0; i < NPEOPLE; i++)
		assert_int_not_equal(app_case_party(&A, &AC[i], b.code, &p), ERR_OK);
	struct app_case c;
	assert_int_equal(app_case_get(&A, &AC[LEADER], b.code, &c), ERR_OK);
	struct app_case_act act = {.action = CASE_A_ASSIGN, .version = c.version, .handler_id = AC[OFFICER].user_id,
	                           .decider_id = AC[LEADER].user_id};
	app_case_free(&c);
	assert_int_equal(app_case_act(&A, &AC[CLERK], b.code, &act, &f), ERR_OK);
	assert_int_equal(app_case_party(&A, &AC[OFFICER], b.code, &p), ERR_OK);
	assert_string_equal(p.name, "Trần Thị Bích");
	assert_string_equal(p.phone, "0912345678");
	assert_int_equal(app_case_party(&A, &AC[LEADER], b.code, &p), ERR_OK);
	assert_int_equal(app_case_party(&A, &AC[CLERK], b.code, &p), ERR_FORBIDDEN);
	assert_int_equal(app_case_party(&A, &AC[OFFICER2], b.code, &p), ERR_FORBIDDEN);
	assert_int_equal(app_case_party(&A, &AC[LEADER2], b.code, &p), ERR_FORBIDDEN);
	assert_int_equal(app_case_party(&A, &AC[VIEWER], b.code, &p), ERR_FORBIDDEN);
	assert_int_equal(app_case_party(&A, &AC[ADMIN], b.code, &p), ERR_NOT_FOUND);
	/* the admin does not read cases at all */
	assert_int_equal(app_case_get(&A, &AC[ADMIN], b.code, &c), ERR_NOT_FOUND);
	/* an officer who does not handle it cannot act on it */
	act = (struct app_case_act){.action = CASE_A_NOTE, .note = "ghi chú"};
	assert_int_equal(app_case_act(&A, &AC[OFFICER2], b.code, &act, &f), ERR_FORBIDDEN);
	assert_int_equal(app_case_act(&A, &AC[OFFICER], b.code, &act, &f), ERR_OK);
	/* acceptance is the deciding leader's */
	act = (struct app_case_act){.action = CASE_A_ACCEPT, .remote = -1, .doc_no = "01/QĐ-UBND"};
	assert_int_equal(app_case_act(&A, &AC[OFFICER], b.code, &act, &f), ERR_FORBIDDEN);
	assert_int_equal(app_case_act(&A, &AC[LEADER2], b.code, &act, &f), ERR_FORBIDDEN);
	assert_int_equal(app_case_act(&A, &AC[LEADER], b.code, &act, &f), ERR_OK);
	assert_int_equal(app_case_get(&A, &AC[VIEWER], b.code, &c), ERR_OK);
	assert_int_equal(c.stage, CASE_ST_ACCEPTED);
	/* 30 days from acceptance, calendar days */
	assert_true(c.resolve_due >= c.accepted_at + 29 * 86400 && c.resolve_due <= c.accepted_at + 34 * 86400);
	int64_t due1 = c.resolve_due;
	app_case_free(&c);
	/* extension: once for a complex case (+30 days), twice only for a very complex one */
	act = (struct app_case_act){.action = CASE_A_EXTEND, .complexity = 1};
	assert_int_equal(app_case_act(&A, &AC[LEADER], b.code, &act, &f), ERR_DOSSIER_REASON);
	act.note = "Vụ việc phức tạp, cần xác minh tại nhiều nơi";
	assert_int_equal(app_case_act(&A, &AC[LEADER], b.code, &act, &f), ERR_OK);
	assert_int_equal(app_case_act(&A, &AC[LEADER], b.code, &act, &f), ERR_DOSSIER_STATE);
	assert_int_equal(app_case_get(&A, &AC[VIEWER], b.code, &c), ERR_OK);
	/* 60 days from acceptance, rolled past days off */
	assert_true(c.resolve_due > due1);
	assert_true(c.resolve_due >= c.accepted_at + 59 * 86400 && c.resolve_due <= c.accepted_at + 64 * 86400);
	assert_int_equal(c.extensions, 1);
	app_case_free(&c);
	act.complexity = 2;
	assert_int_equal(app_case_act(&A, &AC[LEADER], b.code, &act, &f), ERR_OK);
	assert_int_equal(app_case_act(&A, &AC[LEADER], b.code, &act, &f), ERR_DOSSIER_STATE);
	/* decide: verdict and number required */
	act = (struct app_case_act){.action = CASE_A_DECIDE, .decision_text = "Tố cáo đúng một phần."};
	assert_int_equal(app_case_act(&A, &AC[LEADER], b.code, &act, &f), ERR_MISSING_FIELD);
	act.verdict = "dung-mot-phan";
	act.doc_no = "05/KL-UBND";
	assert_int_equal(app_case_act(&A, &AC[LEADER], b.code, &act, &f), ERR_OK);
	/* closing needs the published conclusion (art. 40); without the denouncer */
	act = (struct app_case_act){.action = CASE_A_CLOSE};
	assert_int_equal(app_case_act(&A, &AC[CLERK], b.code, &act, &f), ERR_DOSSIER_STATE);
	act = (struct app_case_act){.action = CASE_A_PUBLISH,
	                            .public_answer = "Kết luận: bà Trần Thị Bích tố cáo đúng một phần."};
	assert_int_equal(app_case_act(&A, &AC[OFFICER], b.code, &act, &f), ERR_INVALID_FIELD);
	act.public_answer = "Kết luận: nội dung tố cáo đúng một phần; đã kiểm điểm cán bộ.";
	assert_int_equal(app_case_act(&A, &AC[OFFICER], b.code, &act, &f), ERR_OK);
	act = (struct app_case_act){.action = CASE_A_CLOSE};
	assert_int_equal(app_case_act(&A, &AC[CLERK], b.code, &act, &f), ERR_OK);
	/* the audit trail has the reads of the party */
	struct app_case_event *ev;
	size_t n;
	assert_int_equal(app_case_events(&A, &AC[VIEWER], b.code, &ev, &n), ERR_OK);
	assert_true(n >= 8);
	assert_string_equal(ev[n - 1].action, "close");
	for (size_t i = 0; i < n; i++)
		assert_null(strstr(ev[i].note, "Trần Thị Bích"));
	free(ev);
	/* two reads of the denouncer (handler, leader): two audit events */
	char cmd[400];
	snprintf(cmd, sizeof cmd, "sqlite3 %s/motcua.db \"SELECT count(*) FROM audit_events WHERE action = "
	                          "'case.party_view' AND object = '%s'\"",
	         DIR_, b.code);
	FILE *pp = popen(cmd, "r");
	assert_non_null(pp);
	int views = -1;
	assert_int_equal(fscanf(pp, "%d", &views), 1);
	pclose(pp);
	assert_int_equal(views, 2);
	/* sealed in the database: no name, phone or ID in clear */
	snprintf(cmd, sizeof cmd, "sqlite3 %s/motcua.db \"SELECT count(*) FROM case_parties WHERE name || phone || "
	                          "id_number || match_key LIKE '%%Bích%%' OR phone LIKE '%%345678%%'\"",
	         DIR_);
	pp = popen(cmd, "r");
	assert_non_null(pp);
	int clear = -1;
	assert_int_equal(fscanf(pp, "%d", &clear), 1);
	pclose(pp);
	assert_int_equal(clear, 0);
	/* a denunciation is never public */
	struct app_case_public pub;
	assert_int_equal(app_case_public_get(&A, b.code, &pub), ERR_NOT_FOUND);
}

/* Anonymous feedback online, the public list, repeated petitions linked,
 * the lookup with the full phone. */
static void
test_feedback(void **state)
{
	(void)state;
	struct app_case_brief b, b2, b3;
	struct app_fail f = {"", ""};
	struct app_case_attr at[] = {{"muc-do", "nguy-hiem"}};
	struct app_case_in in = {.kind = CASE_FEEDBACK, .channel = APP_CASE_ONLINE, .category = "giao-thong",
	                         .subject = "Ổ gà lớn trên đường liên thôn", .content = "Ổ gà sâu trước cổng trường.",
	                         .anonymous = 1, .attrs = at, .nattrs = 1, .has_location = 1, .lat = 16.5, .lon = 107.5};
	assert_int_equal(app_case_submit(&A, &PUBLIC, &in, &b, &f), ERR_OK);
	assert_true(strncmp(b.code, "PA-", 3) == 0);
	assert_int_equal(strlen(b.token), 32);
	/* a required question unanswered; a value not in the list */
	in.nattrs = 0;
	assert_int_equal(app_case_submit(&A, &PUBLIC, &in, &b2, &f), ERR_MISSING_FIELD);
	struct app_case_attr bad[] = {{"muc-do", "rat-nguy-hiem"}};
	in.attrs = bad;
	in.nattrs = 1;
	assert_int_equal(app_case_submit(&A, &PUBLIC, &in, &b2, &f), ERR_INVALID_FIELD);
	/* the same person twice on the same matter: linked */
	struct app_case_in p = {.kind = CASE_FEEDBACK, .channel = APP_CASE_ONLINE, .category = "chieu-sang",
	                        .subject = "Đèn đường thôn Tây không sáng", .content = "Ba cột đèn không sáng.",
	                        .party = {.name = "Lê Văn Cường", .phone = "0987654321"}};
	assert_int_equal(app_case_submit(&A, &PUBLIC, &p, &b2, &f), ERR_OK);
	p.subject = "  đèn đường thôn tây KHÔNG sáng ";
	assert_int_equal(app_case_submit(&A, &PUBLIC, &p, &b3, &f), ERR_OK);
	assert_string_equal(b3.duplicate_of, b2.code);
	struct app_case_stats_row *rows;
	size_t n;
	assert_int_equal(app_case_stats(&A, "kind", 0, 0, &rows, &n), ERR_OK);
	long received = -1, dups = -1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].key, "phan-anh"))
			received = rows[i].received, dups = rows[i].duplicates;
	free(rows);
	assert_int_equal(received, 2);
	assert_int_equal(dups, 1);
	/* lookup: code + full phone; a wrong phone says nothing */
	struct app_case_public pub;
	assert_int_equal(app_case_lookup(&A, "1.2.3.4", b2.code, "0987 654 321", &pub), ERR_OK);
	assert_string_equal(pub.code, b2.code);
	app_case_public_free(&pub);
	assert_int_equal(app_case_lookup(&A, "1.2.3.4", b2.code, "0987654322", &pub), ERR_NOT_FOUND);
	assert_int_equal(app_case_lookup(&A, "1.2.3.4", b.code, "0987654321", &pub), ERR_NOT_FOUND);
	/* the public list: feedback only, no complaint */
	struct app_case_in k = {.kind = CASE_COMPLAINT_1, .channel = APP_CASE_DESK, .subject = "Khiếu nại quyết định thu hồi đất",
	                        .content = "Không đồng ý với quyết định.", .respondent = "Quyết định số 12/QĐ-UBND",
	                        .party = {.name = "Phạm Văn Dũng", .phone = "0911222333", .address = "Thôn Nam"}};
	struct app_case_brief bk;
	assert_int_equal(app_case_submit(&A, &AC[CLERK], &k, &bk, &f), ERR_OK);
	struct app_case_public *list;
	size_t total;
	struct app_case_public_filter pf = {.limit = 100};
	assert_int_equal(app_case_public_list(&A, &pf, &list, &n, &total), ERR_OK);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_true(strncmp(list[i].code, "KN-", 3) != 0);
	app_case_public_list_free(list, n);
	assert_int_equal(app_case_public_get(&A, bk.code, &pub), ERR_NOT_FOUND);
	/* the feedback answered by an officer it was assigned to */
	struct app_case c;
	assert_int_equal(app_case_get(&A, &AC[CLERK], b.code, &c), ERR_OK);
	assert_int_equal(c.stage, CASE_ST_RECEIVED);
	app_case_free(&c);
	struct app_case_act act = {.action = CASE_A_DECIDE, .decision_text = "Đã vá ổ gà ngày 05/12."};
	assert_int_equal(app_case_act(&A, &AC[OFFICER], b.code, &act, &f), ERR_FORBIDDEN);
	act = (struct app_case_act){.action = CASE_A_ASSIGN, .handler_id = AC[OFFICER].user_id};
	assert_int_equal(app_case_act(&A, &AC[CLERK], b.code, &act, &f), ERR_OK);
	act = (struct app_case_act){.action = CASE_A_DECIDE, .decision_text = "Đã vá ổ gà ngày 05/12."};
	assert_int_equal(app_case_act(&A, &AC[OFFICER], b.code, &act, &f), ERR_OK);
	act = (struct app_case_act){.action = CASE_A_PUBLISH, .public_answer = "Đã vá ổ gà."};
	assert_int_equal(app_case_act(&A, &AC[OFFICER], b.code, &act, &f), ERR_OK);
	act = (struct app_case_act){.action = CASE_A_CLOSE};
	assert_int_equal(app_case_act(&A, &AC[OFFICER], b.code, &act, &f), ERR_OK);
	assert_int_equal(app_case_public_get(&A, b.code, &pub), ERR_OK);
	assert_int_equal(pub.stage, CASE_ST_CLOSED);
	assert_string_equal(pub.public_answer, "Đã vá ổ gà.");
	app_case_public_free(&pub);
	/* every case received is either still open or finished, once */
	assert_int_equal(app_case_stats(&A, "kind", 0, 0, &rows, &n), ERR_OK);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].received, rows[i].open + rows[i].finished);
	free(rows);
	char code[APP_CASE_CODE_MAX];
	assert_int_equal(app_case_by_token(&A, b.token, code), ERR_OK);
	assert_string_equal(code, b.code);
}

/* A denouncer who sent his denunciation online reads it in his own list,
 * though the database links it to his account only by a keyed hash. */
static void
test_denouncer_owns_sealed(void **state)
{
	(void)state;
	struct actor cit = {.user_id = 7, .role = ROLE_CITIZEN, .name = "citizen:7"};
	struct actor other = {.user_id = 8, .role = ROLE_CITIZEN, .name = "citizen:8"};
	/* the citizens exist (foreign keys are not involved: no clear link) */
	struct app_case_in in = denunciation();
	in.channel = APP_CASE_ONLINE;
	in.subject = "Tố cáo thu tiền trái phép ở bến đò";
	struct app_case_brief b;
	struct app_fail f = {"", ""};
	assert_int_equal(app_case_submit(&A, &cit, &in, &b, &f), ERR_OK);
	struct app_case_row *rows;
	size_t n;
	assert_int_equal(app_case_mine(&A, &cit, &rows, &n), ERR_OK);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= !strcmp(rows[i].code, b.code);
	free(rows);
	assert_true(found);
	assert_int_equal(app_case_mine(&A, &other, &rows, &n), ERR_OK);
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(rows[i].code, b.code);
	free(rows);
	struct app_case c;
	assert_int_equal(app_case_get(&A, &cit, b.code, &c), ERR_OK);
	app_case_free(&c);
	assert_int_equal(app_case_get(&A, &other, b.code, &c), ERR_NOT_FOUND);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "sqlite3 %s/motcua.db \"SELECT count(*) FROM cases WHERE code = '%s' AND "
	                          "citizen_id IS NULL AND length(owner_hash) = 32\"", DIR_, b.code);
	FILE *pp = popen(cmd, "r");
	int ok = -1;
	assert_int_equal(fscanf(pp, "%d", &ok), 1);
	pclose(pp);
	assert_int_equal(ok, 1);
}

/* The agency's settings: admins only; the feedback target moves the due date. */
static void
test_settings(void **state)
{
	(void)state;
	struct app_fail f = {"", ""};
	assert_int_equal(app_case_settings_set(&A, &AC[LEADER], 15, 1, &f), ERR_FORBIDDEN);
	assert_int_equal(app_case_settings_set(&A, &AC[ADMIN], 0, 1, &f), ERR_OUT_OF_RANGE);
	assert_int_equal(app_case_answer_days(&A), 15);
	assert_int_equal(app_case_settings_set(&A, &AC[ADMIN], 20, 1, &f), ERR_OK);
	assert_int_equal(app_case_answer_days(&A), 20);
	assert_int_equal(app_case_remote_area(&A), 1);
	struct app_case_in in = {.kind = CASE_SUGGESTION, .channel = APP_CASE_ONLINE, .subject = "Góp ý giờ làm việc",
	                         .content = "Đề nghị mở cửa sáng thứ Bảy.", .anonymous = 1};
	struct app_case_brief b;
	assert_int_equal(app_case_submit(&A, &PUBLIC, &in, &b, &f), ERR_OK);
	/* 20 working days: at least four weeks */
	assert_true(b.due_at >= b.received_at + 27 * 86400);
	assert_int_equal(app_case_settings_set(&A, &AC[ADMIN], 10, 0, &f), ERR_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_intake_rules),
	    cmocka_unit_test(test_denouncer_confidential),
	    cmocka_unit_test(test_feedback),
	    cmocka_unit_test(test_denouncer_owns_sealed),
	    cmocka_unit_test(test_settings),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
