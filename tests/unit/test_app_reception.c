/*
 * test_app_reception.c — citizen reception (src/app/reception.c) on a
 * temporary store: who may edit the schedule, write and read the register
 * and the dialogue meetings; every refusal names its field in Vietnamese
 * and writes nothing; what is written reads back field by field; weekly
 * sessions expand over days and are marked off on a holiday.
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
#include "app/reception.h"
#include "core/calendar.h"
#include "core/vntime.h"
#include "app_fixture.h"

static char DIR_[64];
static struct store *ST;
static struct app A;
static const struct actor ADMIN = {.user_id = 1, .role = ROLE_ADMIN, .name = "user:admin"};
static const struct actor LEADER = {.user_id = 2, .role = ROLE_LEADER, .name = "user:hai"};
static const struct actor CLERK = {.user_id = 3, .role = ROLE_CLERK, .name = "user:lan"};
static const struct actor OFFICER = {.user_id = 4, .role = ROLE_OFFICER, .name = "user:tuan"};
static const struct actor VIEWER = {.user_id = 5, .role = ROLE_VIEWER, .name = "user:thanhtra"};
static const struct actor CITIZEN = {.user_id = 0, .role = ROLE_CITIZEN, .name = "citizen:1"};
static const struct actor ANON = {.user_id = 0, .role = ROLE_PUBLIC, .name = "anonymous"};

static int
setup(void **state)
{
	(void)state;
	return fixture_open(DIR_, "reception", &ST, &A);
}

static int
teardown(void **state)
{
	(void)state;
	return fixture_close(DIR_, ST, &A);
}

static int
count_slot(const struct store_rc_slot *s, void *arg)
{
	(void)s;
	++*(int *)arg;
	return 0;
}

static int
nslots(void)
{
	int n = 0;
	assert_int_equal(app_rc_slots(&A, count_slot, &n), ERR_OK);
	return n;
}

static struct store_rc_slot
thursday(void)
{
	struct store_rc_slot s = {.weekday = 4, .start_min = 450, .end_min = 660};
	snprintf(s.role, sizeof s.role, "chairman");
	snprintf(s.person, sizeof s.person, "  Nguyễn Văn Hải ");
	snprintf(s.title, sizeof s.title, "Chủ tịch UBND xã");
	snprintf(s.place, sizeof s.place, "Phòng tiếp công dân");
	return s;
}

static void
test_schedule(void **state)
{
	(void)state;
	struct store_rc_slot s = thursday();
	struct app_fail f = {"", ""};
	int64_t id = 0;
	const struct actor *nope[] = {&CLERK, &OFFICER, &VIEWER, &CITIZEN, &ANON};
	for (size_t i = 0; i < sizeof nope / sizeof nope[0]; i++)
		assert_int_equal(app_rc_slot_save(&A, nope[i], &s, &f, &id), ERR_FORBIDDEN);
	assert_int_equal(nslots(), 0);
	uint64_t rev = app_public_rev(&A);
	assert_int_equal(app_rc_slot_save(&A, &LEADER, &s, &f, &id), ERR_OK);
	assert_true(app_public_rev(&A) > rev);   /* the public page is rendered anew */
	struct store_rc_slot got;
	assert_int_equal(app_rc_slot_get(&A, id, &got), ERR_OK);
	assert_string_equal(got.person, "Nguyễn Văn Hải");
	assert_int_equal(got.weekday, 4);
	assert_int_equal(got.start_min, 450);
	assert_int_equal(got.end_min, 660);

	/* refusals: each names its field, nothing is written */
	struct store_rc_slot bad[8];
	const char *field[8] = {"role", "person", "title", "when", "start", "start", "place", "when"};
	for (int k = 0; k < 8; k++)
		bad[k] = thursday();
	snprintf(bad[0].role, sizeof bad[0].role, "mayor");
	snprintf(bad[1].person, sizeof bad[1].person, "   ");
	snprintf(bad[2].title, sizeof bad[2].title, "Chủ tịch\nUBND");
	bad[3].weekday = 7;
	bad[4].end_min = 450;                /* ends when it starts */
	bad[5].start_min = -1;               /* "25:00" did not parse */
	snprintf(bad[6].place, sizeof bad[6].place, "%s", "");
	bad[7].weekday = -1, bad[7].day = 0; /* neither a weekday nor a date */
	for (int k = 0; k < 8; k++) {
		rev = app_public_rev(&A);
		int64_t nid = 0;
		assert_int_equal(app_rc_slot_save(&A, &ADMIN, &bad[k], &f, &nid), ERR_INVALID_FIELD);
		assert_string_equal(f.field, field[k]);
		assert_true(f.msg[0] != '\0');
		assert_int_equal(app_public_rev(&A), rev);
		assert_int_equal(nslots(), 1);
	}

	/* an update keeps the id; a fixed day; a delete */
	got.start_min = 480;
	assert_int_equal(app_rc_slot_save(&A, &ADMIN, &got, &f, NULL), ERR_OK);
	assert_int_equal(app_rc_slot_get(&A, id, &got), ERR_OK);
	assert_int_equal(got.start_min, 480);
	assert_int_equal(nslots(), 1);
	struct store_rc_slot one = thursday();
	one.weekday = -1;
	one.day = cal_day_from_ymd(2026, 12, 15);
	snprintf(one.role, sizeof one.role, "vice");
	int64_t id2;
	assert_int_equal(app_rc_slot_save(&A, &LEADER, &one, &f, &id2), ERR_OK);
	assert_int_equal(nslots(), 2);
	assert_int_equal(app_rc_slot_delete(&A, &VIEWER, id2), ERR_FORBIDDEN);
	assert_int_equal(app_rc_slot_delete(&A, &LEADER, id2), ERR_OK);
	assert_int_equal(app_rc_slot_delete(&A, &LEADER, id2), ERR_NOT_FOUND);
	assert_int_equal(nslots(), 1);
}

struct seen {
	int n;
	int32_t day[16];
	char off[16][64];
};

static int
see(const struct app_rc_session *ses, void *arg)
{
	struct seen *s = arg;
	if (s->n < 16) {
		s->day[s->n] = ses->day;
		snprintf(s->off[s->n], sizeof s->off[0], "%s", ses->off);
		s->n++;
	}
	return 0;
}

/* Weekly sessions land on their weekday; one on a holiday is marked off;
 * a fixed day appears once. */
static void
test_sessions(void **state)
{
	(void)state;
	struct app_fail f = {"", ""};
	/* 2 September (National Day) is a day off by the Labour Code, art. 112 */
	cal_day nd = cal_day_from_ymd(2026, 9, 2);
	struct store_rc_slot w = thursday();
	w.weekday = cal_weekday(nd);
	snprintf(w.role, sizeof w.role, "officer");
	int64_t wid;
	assert_int_equal(app_rc_slot_save(&A, &ADMIN, &w, &f, &wid), ERR_OK);
	struct seen s = {0};
	assert_int_equal(app_rc_sessions(&A, nd - 7, 15, see, &s), ERR_OK);
	int of_w = 0;
	for (int i = 0; i < s.n; i++) {
		if (cal_weekday(s.day[i]) != w.weekday)
			continue;
		of_w++;
		if (s.day[i] == nd)
			assert_true(s.off[i][0] != '\0');
		else
			assert_string_equal(s.off[i], "");
	}
	assert_int_equal(of_w, 3);   /* nd - 7, nd, nd + 7 */
	/* the Thursday slot of test_schedule: two or three Thursdays in 15 days */
	assert_true(s.n >= 5);
	assert_int_equal(app_rc_sessions(&A, nd, 0, see, &s), ERR_OUT_OF_RANGE);
	assert_int_equal(app_rc_slot_delete(&A, &ADMIN, wid), ERR_OK);
}

struct rows {
	int n;
	struct store_rc_visit last;
};

static int
keep_visit(const struct store_rc_visit *v, void *arg)
{
	struct rows *r = arg;
	r->n++;
	r->last = *v;
	return 0;
}

static int
visits_now(const struct actor *ac, struct rows *r)
{
	struct vn_tm t;
	vn_local((int64_t)time(NULL), &t);
	memset(r, 0, sizeof *r);
	return app_rc_visits(&A, ac, t.year, t.month, keep_visit, r);
}

static void
test_register(void **state)
{
	(void)state;
	static struct store_rc_visit v, b;
	int64_t now = (int64_t)time(NULL);
	memset(&v, 0, sizeof v);
	v.at = now - 600;
	snprintf(v.name, sizeof v.name, "Phạm Thị Bích");
	snprintf(v.id_number, sizeof v.id_number, "001185012345");
	snprintf(v.address, sizeof v.address, "Thôn Phú Lộc");
	snprintf(v.phone, sizeof v.phone, "0912 345 678");
	v.people = 3;
	snprintf(v.kind, sizeof v.kind, "complaint");
	snprintf(v.matter, sizeof v.matter, "Khiếu nại quyết định thu hồi đất.\nKèm hai trang.");
	snprintf(v.received_by, sizeof v.received_by, "Nguyễn Thị Lan");
	snprintf(v.guidance, sizeof v.guidance, "Hướng dẫn viết đơn.");
	v.petition = 1;
	snprintf(v.petition_code, sizeof v.petition_code, "KN-01/2026");
	struct app_fail f = {"", ""};
	struct rows r;
	const struct actor *nope[] = {&ADMIN, &VIEWER, &CITIZEN, &ANON};
	for (size_t i = 0; i < sizeof nope / sizeof nope[0]; i++)
		assert_int_equal(app_rc_visit_add(&A, nope[i], &v, now, &f, NULL), ERR_FORBIDDEN);
	int64_t id = 0;
	assert_int_equal(app_rc_visit_add(&A, &CLERK, &v, now, &f, &id), ERR_OK);
	assert_true(id > 0);
	assert_int_equal(app_rc_visit_add(&A, &OFFICER, &v, now, &f, NULL), ERR_OK);

	/* who reads: clerk, officer, leader, the inspector; nobody else */
	assert_int_equal(visits_now(&VIEWER, &r), ERR_OK);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.last.name, "Phạm Thị Bích");
	assert_string_equal(r.last.id_number, "001185012345");
	assert_string_equal(r.last.address, "Thôn Phú Lộc");
	assert_string_equal(r.last.phone, "0912 345 678");
	assert_int_equal(r.last.people, 3);
	assert_string_equal(r.last.kind, "complaint");
	assert_string_equal(r.last.matter, "Khiếu nại quyết định thu hồi đất.\nKèm hai trang.");
	assert_string_equal(r.last.received_by, "Nguyễn Thị Lan");
	assert_string_equal(r.last.guidance, "Hướng dẫn viết đơn.");
	assert_int_equal(r.last.petition, 1);
	assert_string_equal(r.last.petition_code, "KN-01/2026");
	assert_string_equal(r.last.recorded_by, "user:tuan");
	assert_int_equal(r.last.at, now - 600);
	assert_int_equal(visits_now(&LEADER, &r), ERR_OK);
	assert_int_equal(visits_now(&CITIZEN, &r), ERR_FORBIDDEN);
	assert_int_equal(visits_now(&ANON, &r), ERR_FORBIDDEN);
	assert_int_equal(visits_now(&ADMIN, &r), ERR_FORBIDDEN);
	assert_int_equal(app_rc_visits(&A, &CLERK, 2026, 13, keep_visit, &r), ERR_OUT_OF_RANGE);
	/* a denouncer: only the official who recorded him reads who came */
	snprintf(v.kind, sizeof v.kind, "denunciation");
	snprintf(v.name, sizeof v.name, "Lê Văn Tố");
	v.at = now - 60;
	assert_int_equal(app_rc_visit_add(&A, &CLERK, &v, now, &f, NULL), ERR_OK);
	assert_int_equal(visits_now(&CLERK, &r), ERR_OK);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.last.name, "Lê Văn Tố");
	const struct actor *others[] = {&OFFICER, &LEADER, &VIEWER};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		assert_int_equal(visits_now(others[i], &r), ERR_OK);
		assert_string_equal(r.last.name, APP_RC_SECRET_NAME);
		assert_string_equal(r.last.phone, "");
		assert_string_equal(r.last.id_number, "");
		assert_string_equal(r.last.address, "");
		assert_string_equal(r.last.matter, v.matter);
	}
	/* and sealed in the database (secret.key), not in clear */
	char cmd[300];
	snprintf(cmd, sizeof cmd, "sqlite3 %s/motcua.db \"SELECT count(*) FROM reception_visits WHERE name = "
	                          "'Lê Văn Tố' OR (kind = 'denunciation' AND (phone <> '' OR sealed IS NULL))\"",
	         DIR_);
	FILE *pp = popen(cmd, "r");
	assert_non_null(pp);
	int clear = -1;
	assert_int_equal(fscanf(pp, "%d", &clear), 1);
	pclose(pp);
	assert_int_equal(clear, 0);

	/* refusals */
	const char *field[] = {"at", "name", "id_number", "phone", "people", "kind", "matter",
	                       "received_by", "petition_code", "address"};
	for (int k = 0; k < 10; k++) {
		b = v;
		switch (k) {
		case 0: b.at = now + 3600; break;                                    /* ahead */
		case 1: b.name[0] = '\0'; break;
		case 2: snprintf(b.id_number, sizeof b.id_number, "12345"); break;
		case 3: snprintf(b.phone, sizeof b.phone, "gọi sau"); break;
		case 4: b.people = 0; break;
		case 5: snprintf(b.kind, sizeof b.kind, "khieu-nai"); break;
		case 6: snprintf(b.matter, sizeof b.matter, " \n "); break;
		case 7: b.received_by[0] = '\0'; break;
		case 8: b.petition = 0; break;                                        /* a code without a petition */
		case 9: snprintf(b.address, sizeof b.address, "Thôn\x01"); break;
		}
		assert_int_equal(app_rc_visit_add(&A, &CLERK, &b, now, &f, NULL), ERR_INVALID_FIELD);
		assert_string_equal(f.field, field[k]);
	}
	assert_int_equal(visits_now(&CLERK, &r), ERR_OK);
	assert_int_equal(r.n, 3);   /* nothing written */
}

static int
count_dlg(const struct store_rc_dialogue *d, void *arg)
{
	(void)d;
	++*(int *)arg;
	return 0;
}

static void
test_dialogues(void **state)
{
	(void)state;
	static struct store_rc_dialogue d, got;
	int64_t now = (int64_t)time(NULL);
	memset(&d, 0, sizeof d);
	d.at = now - 86400;
	snprintf(d.place, sizeof d.place, "Nhà văn hóa thôn Phú Lộc");
	snprintf(d.chair, sizeof d.chair, "Nguyễn Văn Hải");
	d.participants = 85;
	snprintf(d.topics, sizeof d.topics, "Làm đường liên thôn.");
	snprintf(d.conclusions, sizeof d.conclusions, "Thống nhất làm trong quý II.");
	struct app_fail f = {"", ""};
	int64_t id;
	assert_int_equal(app_rc_dialogue_add(&A, &VIEWER, &d, now, &f, &id), ERR_FORBIDDEN);
	assert_int_equal(app_rc_dialogue_add(&A, &ADMIN, &d, now, &f, &id), ERR_FORBIDDEN);
	assert_int_equal(app_rc_dialogue_add(&A, &LEADER, &d, now, &f, &id), ERR_OK);
	assert_int_equal(app_rc_dialogue_get(&A, &VIEWER, id, &got), ERR_OK);
	assert_string_equal(got.place, "Nhà văn hóa thôn Phú Lộc");
	assert_int_equal(got.participants, 85);
	assert_string_equal(got.conclusions, "Thống nhất làm trong quý II.");
	assert_int_equal(app_rc_dialogue_get(&A, &CITIZEN, id, &got), ERR_FORBIDDEN);
	assert_int_equal(app_rc_dialogue_get(&A, &VIEWER, id + 100, &got), ERR_NOT_FOUND);
	struct store_rc_dialogue b = d;
	b.participants = 0;
	assert_int_equal(app_rc_dialogue_add(&A, &CLERK, &b, now, &f, NULL), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "participants");
	b = d;
	b.topics[0] = '\0';
	assert_int_equal(app_rc_dialogue_add(&A, &CLERK, &b, now, &f, NULL), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "topics");
	int n = 0;
	assert_int_equal(app_rc_dialogues(&A, &OFFICER, count_dlg, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(app_rc_dialogues(&A, &ANON, count_dlg, &n), ERR_FORBIDDEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_dialogues),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
