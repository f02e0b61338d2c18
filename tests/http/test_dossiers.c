/*
 * test_dossiers.c — dossier intake over the API (issue #5, first slice):
 * checks of the applicant, the pinned procedure version, the due instant
 * on the legal clock, roles, and 2,000 dossiers received in parallel by 32
 * clients getting 2,000 distinct, consecutive codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/calendar.h"
#include "core/vntime.h"
#include "driver.h"

static struct srv S;
static char CLERK[200], CLERK2[200], OFFICER[200], LEADER[200], OFFICER2[200];
static long OFFICER_ID;

static void
token_for(const char *user, char *hdr, size_t n)
{
	bearer_for(&S, user, "mat-khau-thu-123", hdr, n);
}

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0)
		return -1;
	static const char *const users[][2] = {{"thu.clerk", "clerk"}, {"thu.officer", "officer"},
	                                       {"thu.leader", "leader"}, {"thu.officer2", "officer"},
	                                       {"thu.clerk2", "clerk"}};
	for (size_t i = 0; i < 5; i++)
		if (add_user(&S, users[i][0], users[i][1], NULL, "mat-khau-thu-123") != 0)
			return -1;
	token_for("thu.clerk", CLERK, sizeof CLERK);
	token_for("thu.clerk2", CLERK2, sizeof CLERK2);
	token_for("thu.officer", OFFICER, sizeof OFFICER);
	token_for("thu.officer2", OFFICER2, sizeof OFFICER2);
	token_for("thu.leader", LEADER, sizeof LEADER);
	struct buf out = BUF_INIT;
	run_cli(NULL, &out, "user", "list", "--data", S.dir, NULL);
	const char *p = strstr(buf_str(&out), "\tthu.officer\t");
	while (p && p > buf_str(&out) && p[-1] != '\n')
		p--;
	OFFICER_ID = p ? atol(p) : 0;
	buf_free(&out);
	return OFFICER_ID > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return group_stop(&S);
}

static long
post(const char *auth, const char *json, struct reply *r)
{
	struct client c;
	client_init(&c, &S);
	req(&c, "POST", "/api/v1/dossiers", "application/json", json, strlen(json), auth, r);
	client_free(&c);
	return r->status;
}

#define BIRTH "{\"procedure_code\":\"1.001193\",\"channel\":\"counter\",\"applicant\":" \
	"{\"name\":\"Nguyễn Thị <b>Mai</b>\",\"id_number\":\"001185012345\",\"date_of_birth\":\"1985-03-02\"," \
	"\"sex\":\"female\",\"phone\":\"+84 912 345 678\",\"address\":\"Thôn Đông, xã Phong Hải\"}," \
	"\"documents\":[{\"name\":\"Tờ khai đăng ký khai sinh\",\"received\":true,\"form\":\"original\",\"count\":1}]}"

static void
test_intake(void **state)
{
	(void)state;
	struct reply r;
	assert_int_equal(post(CLERK, BIRTH, &r), 201);
	assert_true(reply_has(&r, "\"status\":\"received\""));
	assert_true(reply_has(&r, "\"national_status\":2"));
	assert_true(reply_has(&r, "\"code\":\"000.00.00.H00-"));
	assert_true(reply_has(&r, "+07:00\",\"due_at\":\""));
	const char *c = strstr(buf_str(&r.body), "\"code\":\"");
	char code[80], path[160];
	snprintf(code, sizeof code, "%.*s", (int)strcspn(c + 8, "\""), c + 8);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/dossiers/%s", code);
	struct client cl;
	client_init(&cl, &S);
	req(&cl, "GET", path, NULL, NULL, 0, OFFICER, &r);   /* not assigned to him */
	assert_int_equal(r.status, 403);
	reply_free(&r);
	req(&cl, "GET", path, NULL, NULL, 0, CLERK, &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "\"phone\":\"0912345678\""));      /* normalised */
	assert_true(reply_has(&r, "\"name\":\"Nguyễn Thị <b>Mai</b>\"")); /* data as typed; pages escape */
	assert_true(reply_has(&r, "\"procedure_code\":\"1.001193\""));
	reply_free(&r);
	req(&cl, "GET", path, NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 401);
	reply_free(&r);
	client_free(&cl);
}

static void
test_bad_input(void **state)
{
	(void)state;
	struct {
		const char *json, *code;
		long status;
	} cases[] = {
		{"{\"procedure_code\":\"1.001193\",\"applicant\":{\"name\":\"A\",\"id_number\":\"065185012345\"}}", "invalid_id_number", 400},
		{"{\"procedure_code\":\"1.001193\",\"applicant\":{\"name\":\"A\",\"id_number\":\"001185012345\",\"date_of_birth\":\"1990-01-01\"}}", "invalid_id_number", 400},
		{"{\"procedure_code\":\"1.001193\",\"applicant\":{\"name\":\"A\",\"phone\":\"12345\"}}", "invalid_phone", 400},
		{"{\"procedure_code\":\"9.999999\",\"applicant\":{\"name\":\"A\",\"phone\":\"0912345678\"}}", "procedure_not_published", 400},
		{"{\"procedure_code\":\"1.001776\",\"applicant\":{\"name\":\"A\",\"phone\":\"0912345678\"}}", "procedure_time_limit_unknown", 409},
		{"{\"procedure_code\":\"1.001193\",\"applicant\":{\"name\":\"A\"}}", "invalid_field", 400},
		{"{\"procedure_code\":\"1.001193\",\"applicant\":{\"name\":\"A\",\"phone\":\"0912345678\",\"email\":\"a@b\"}}", "invalid_field", 400},
		{"{\"procedure_code\":\"1.001193\",\"fee\":-5,\"applicant\":{\"name\":\"A\",\"phone\":\"0912345678\"}}", "invalid_field", 400},
		{"{\"procedure_code\":\"1.001193\"}", "missing_field", 400},
		{"{\"procedure_code\":\"1.001193\",\"channel\":\"fax\",\"applicant\":{\"name\":\"A\"}}", "invalid_field", 400},
		{"{\"procedure_code\":\"1.001193\",\"applicant\":{\"name\":\"A\"},\"documents\":[{\"name\":\"x\",\"form\":\"photo\"}]}", "invalid_field", 400},
		{"{\"procedure_code\":", "invalid_json", 400},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct reply r;
		char want[80];
		snprintf(want, sizeof want, "\"code\":\"%s\"", cases[i].code);
		long st = post(CLERK, cases[i].json, &r);
		if (st != cases[i].status || !reply_has(&r, want))
			fail_msg("case %zu: %ld %s, want %ld %s", i, st, buf_str(&r.body), cases[i].status, cases[i].code);
		reply_free(&r);
	}
	struct reply r;
	assert_int_equal(post(OFFICER, BIRTH, &r), 403);   /* officers do not receive */
	reply_free(&r);
}

#define CLIENTS 32
#define TOTAL 2000

struct worker {
	int n;
	char (*codes)[64];
	int got;
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct client c;
	client_init(&c, &S);
	for (int i = 0; i < w->n; i++) {
		struct reply r;
		req(&c, "POST", "/api/v1/dossiers", "application/json", BIRTH, strlen(BIRTH), CLERK, &r);
		const char *p = strstr(buf_str(&r.body), "\"code\":\"");
		if (r.status == 201 && p)
			snprintf(w->codes[w->got++], 64, "%.*s", (int)strcspn(p + 8, "\""), p + 8);
		reply_free(&r);
	}
	client_free(&c);
	return NULL;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
test_parallel_codes(void **state)
{
	(void)state;
	static char codes[TOTAL][64];
	struct worker w[CLIENTS];
	pthread_t t[CLIENTS];
	int off = 0;
	for (int i = 0; i < CLIENTS; i++) {
		w[i].n = TOTAL / CLIENTS + (i < TOTAL % CLIENTS);
		w[i].codes = codes + off;
		w[i].got = 0;
		off += w[i].n;
		pthread_create(&t[i], NULL, work, &w[i]);
	}
	int got = 0;
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(t[i], NULL);
		got += w[i].got;
	}
	assert_int_equal(got, TOTAL);
	/* distinct, and per day consecutive: sorting puts each day's numbers
	 * in order (4-digit zero-padded up to 9999) */
	qsort(codes, TOTAL, sizeof codes[0], cmp);
	for (int i = 1; i < TOTAL; i++)
		assert_string_not_equal(codes[i - 1], codes[i]);
	for (int i = 1; i < TOTAL; i++) {
		const char *a = strrchr(codes[i - 1], '-'), *b = strrchr(codes[i], '-');
		if (strncmp(codes[i - 1], codes[i], (size_t)(a - codes[i - 1])) != 0)
			continue;   /* midnight passed during the run: a new day starts at its own number */
		assert_int_equal(atol(b + 1), atol(a + 1) + 1);
	}
	/* the earlier tests took numbers 1..k of today; the run continued from there */
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", S.dir, NULL), 0);
	buf_free(&out);
}

/* Receives a birth registration; returns its code in code. */
static void
receive(char *code, size_t n)
{
	struct reply r;
	assert_int_equal(post(CLERK, BIRTH, &r), 201);
	const char *c = strstr(buf_str(&r.body), "\"code\":\"");
	snprintf(code, n, "%.*s", (int)strcspn(c + 8, "\""), c + 8);
	reply_free(&r);
}

static long
act(const char *auth, const char *code, const char *json, struct reply *r)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/dossiers/%s/actions", code);
	struct client c;
	client_init(&c, &S);
	req(&c, "POST", path, "application/json", json, strlen(json), auth, r);
	client_free(&c);
	return r->status;
}

static void
expect_act(const char *auth, const char *code, const char *json, long status, const char *has)
{
	struct reply r;
	long st = act(auth, code, json, &r);
	if (st != status || (has && !reply_has(&r, has)))
		fail_msg("%s → %ld %s, want %ld %s", json, st, buf_str(&r.body), status, has ? has : "");
	reply_free(&r);
}

/* The whole happy path, a supplement on the way, and the refusals that
 * guard it (wrong role 403, wrong state 409, missing reason 400). */
static void
test_actions(void **state)
{
	(void)state;
	char code[80], assign[120];
	receive(code, sizeof code);
	snprintf(assign, sizeof assign, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER_ID);
	expect_act(OFFICER, code, assign, 403, "forbidden");
	expect_act(CLERK, code, "{\"action\":\"approve\"}", 409, "dossier_wrong_state");
	expect_act(CLERK, code, "{\"action\":\"fly\"}", 400, "invalid_field");
	expect_act(CLERK, code, assign, 200, "\"status\":\"processing\"");
	expect_act(OFFICER, code, "{\"action\":\"request_supplement\"}", 400, "dossier_reason_required");
	expect_act(OFFICER, code, "{\"action\":\"request_supplement\",\"note\":\"Thiếu giấy chứng sinh\"}",
	           200, "\"national_status\":5");
	expect_act(CLERK, code, "{\"action\":\"supplement_received\"}", 200, "\"status\":\"processing\"");
	expect_act(OFFICER, code, "{\"action\":\"submit_for_approval\"}", 200, "\"stage\":\"with_leader\"");
	expect_act(OFFICER, code, "{\"action\":\"approve\"}", 403, "forbidden");
	expect_act(LEADER, code, "{\"action\":\"approve\"}", 200, "\"stage\":\"approved\"");
	expect_act(OFFICER, code, "{\"action\":\"result_ready\"}", 200, "\"national_status\":9");
	expect_act(CLERK, code, "{\"action\":\"return\",\"recipient\":\"Nguyễn Thị Mai\",\"recipient_id\":\"001185012345\"}",
	           200, "\"national_status\":10");
	expect_act(CLERK, code, "{\"action\":\"return\",\"recipient\":\"X\",\"recipient_id\":\"1\"}", 409, NULL);
	/* the timeline and the audit chain hold every step */
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", S.dir, NULL), 0);
	buf_free(&out);
}

struct racer {
	const char *auth, *code;
	long status;
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	struct reply rep;
	r->status = act(r->auth, r->code, "{\"action\":\"submit_for_approval\"}", &rep);
	reply_free(&rep);
	return NULL;
}

/* The officer sends one action twice at once (two tabs): one wins, the
 * other gets 409; an officer the dossier is not assigned to gets 403. */
static void
test_race(void **state)
{
	(void)state;
	for (int round = 0; round < 5; round++) {
		char code[80], assign[120];
		receive(code, sizeof code);
		snprintf(assign, sizeof assign, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER_ID);
		expect_act(CLERK, code, assign, 200, NULL);
		struct reply nr;
		assert_int_equal(act(OFFICER2, code, "{\"action\":\"submit_for_approval\"}", &nr), 403);
		reply_free(&nr);
		struct racer a = {OFFICER, code, 0}, b = {OFFICER, code, 0};
		pthread_t ta, tb;
		pthread_create(&ta, NULL, race, &a);
		pthread_create(&tb, NULL, race, &b);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		assert_true((a.status == 200 && b.status == 409) || (a.status == 409 && b.status == 200));
	}
}

/* The public lookup: the phone (or the ID's last four digits) opens it; a
 * wrong phone and an unknown code look exactly alike. */
static void
test_lookup(void **state)
{
	(void)state;
	char code[80], path[200];
	receive(code, sizeof code);
	struct reply r, r2;
	snprintf(path, sizeof path, "/api/v1/lookup/%s?phone=0912%%20345%%20678", code);
	assert_int_equal(fetch_from(&S, path, &r), 200);
	assert_true(reply_has(&r, "\"status_label\":\"Đã tiếp nhận\""));
	assert_false(reply_has(&r, "Mai"));          /* no personal data */
	assert_false(reply_has(&r, "001185012345"));
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/lookup/%s?id_number=001185012345", code);
	assert_int_equal(fetch_from(&S, path, &r), 200);
	reply_free(&r);
	/* four digits of the ID are no proof any more (issue #11) */
	snprintf(path, sizeof path, "/api/v1/lookup/%s?id4=2345", code);
	assert_int_equal(fetch_from(&S, path, &r), 400);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/lookup/%s?phone=0987654321", code);
	assert_int_equal(fetch_from(&S, path, &r), 404);
	assert_int_equal(fetch_from(&S, "/api/v1/lookup/000.00.00.H00-991231-0001?phone=0987654321", &r2), 404);
	assert_string_equal(buf_str(&r.body), buf_str(&r2.body));
	reply_free(&r);
	reply_free(&r2);
	snprintf(path, sizeof path, "/api/v1/lookup/%s", code);
	assert_int_equal(fetch_from(&S, path, &r), 400);   /* the code alone reveals nothing: no key, no answer */
	reply_free(&r);
}

/* One send, one dossier: the same Idempotency-Key (or the same intake form
 * token) gives back the first dossier — also when 16 copies race — and the
 * next new dossier still takes the next number. */
struct sender {
	const char *hdr;
	long status;
	char code[64];
};

static void *
send_once(void *arg)
{
	struct sender *x = arg;
	struct client c;
	struct reply r;
	client_init(&c, &S);
	req(&c, "POST", "/api/v1/dossiers", "application/json", BIRTH, strlen(BIRTH), x->hdr, &r);
	x->status = r.status;
	const char *p = strstr(buf_str(&r.body), "\"code\":\"");
	if (p)
		snprintf(x->code, sizeof x->code, "%.*s", (int)strcspn(p + 8, "\""), p + 8);
	reply_free(&r);
	client_free(&c);
	return NULL;
}

static long
seq_of(const char *code)
{
	const char *dash = strrchr(code, '-');
	return dash ? atol(dash + 1) : -1;
}

static void
test_idempotent_intake(void **state)
{
	(void)state;
	char h1[400], h2[400], first[64];
	snprintf(h1, sizeof h1, "%s\nIdempotency-Key: lan-quay-1-0001-aaaaaaaa", CLERK);
	struct sender a = {.hdr = h1}, b = {.hdr = h1};
	send_once(&a);
	assert_int_equal(a.status, 201);
	snprintf(first, sizeof first, "%s", a.code);
	send_once(&b);
	assert_int_equal(b.status, 200);                  /* a repeat: what the first created */
	assert_string_equal(b.code, first);
	/* another account's same key is its own send */
	snprintf(h2, sizeof h2, "%s\nIdempotency-Key: lan-quay-1-0001-aaaaaaaa", CLERK2);
	struct sender l = {.hdr = h2};
	send_once(&l);
	assert_int_equal(l.status, 201);
	assert_string_not_equal(l.code, first);
	/* 16 copies of one new send at once: one 201, fifteen 200, one code */
	snprintf(h1, sizeof h1, "%s\nIdempotency-Key: lan-quay-1-0002-bbbbbbbb", CLERK);
	struct sender x[16];
	pthread_t t[16];
	for (int i = 0; i < 16; i++) {
		x[i] = (struct sender){.hdr = h1};
		pthread_create(&t[i], NULL, send_once, &x[i]);
	}
	int created = 0;
	for (int i = 0; i < 16; i++) {
		pthread_join(t[i], NULL);
		assert_true(x[i].status == 201 || x[i].status == 200);
		created += x[i].status == 201;
		assert_string_equal(x[i].code, x[0].code);
	}
	assert_int_equal(created, 1);
	/* no number was used up by the repeats */
	struct sender n = {.hdr = CLERK};
	send_once(&n);
	assert_int_equal(n.status, 201);
	assert_int_equal(seq_of(n.code), seq_of(x[0].code) + 1);
	/* a malformed key is refused, nothing stored */
	snprintf(h1, sizeof h1, "%s\nIdempotency-Key: ngắn", CLERK);
	struct reply r;
	struct client c;
	client_init(&c, &S);
	req(&c, "POST", "/api/v1/dossiers", "application/json", BIRTH, strlen(BIRTH), h1, &r);
	assert_int_equal(r.status, 400);
	assert_true(reply_has(&r, "Idempotency-Key"));
	reply_free(&r);
	client_free(&c);
	struct sender m = {.hdr = CLERK};
	send_once(&m);
	assert_int_equal(seq_of(m.code), seq_of(n.code) + 1);
}

/* The day `skip` days on from today (UTC+7) that is a Tuesday–Thursday
 * working day under the holiday rules, as "YYYY-MM-DD" (Sunday: the
 * first Sunday after it). */
static void
future_day(int skip, int sunday, char *out, size_t n)
{
	cal_day day = vn_day((int64_t)time(NULL)) + skip;
	int y, m, d;
	cal_ymd(day, &y, &m, &d);
	struct cal c;
	assert_int_equal(cal_build(&c, y, 2, NULL), 0);
	if (sunday)
		while (cal_weekday(day) != 0)
			day++;
	else
		while (cal_weekday(day) < 2 || cal_weekday(day) > 4 || cal_is_working(&c, day) != 1)
			day++;
	cal_format_ymd(day, out, n);
}

/* Issue #12: a procedure without a verified time limit (1.001776) is
 * received with the appointment the clerk sets (due_at), refused with a
 * Vietnamese reason when it is missing, malformed, past or on a day off,
 * and the dossier says it was set by hand. */
static void
test_due_by_hand(void **state)
{
	(void)state;
	char day[16], sun[16], json[600];
	future_day(2, 0, day, sizeof day);
	future_day(2, 1, sun, sizeof sun);
#define SOCIAL(due) "{\"procedure_code\":\"1.001776\",\"applicant\":{\"name\":\"Hà Thị Hẹn\",\"phone\":\"0913000777\"}" due "}"
	struct {
		const char *due, *code, *words;
		long status;
	} cases[] = {
		{"", "procedure_time_limit_unknown", "ghi ngày và giờ hẹn trả", 409},
		{"tomorrow", "invalid_time", "RFC 3339", 400},
		{"2020-01-06T16:00:00+07:00", "invalid_time", "sau thời điểm tiếp nhận", 400},
		{"SUNDAY", "invalid_time", "không phải ngày làm việc", 400},
		{"DAY20", "invalid_time", "trong giờ làm việc", 400},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char due[80] = "";
		if (strcmp(cases[i].due, "SUNDAY") == 0)
			snprintf(due, sizeof due, ",\"due_at\":\"%sT10:00:00+07:00\"", sun);
		else if (strcmp(cases[i].due, "DAY20") == 0)
			snprintf(due, sizeof due, ",\"due_at\":\"%sT20:00:00+07:00\"", day);
		else if (*cases[i].due)
			snprintf(due, sizeof due, ",\"due_at\":\"%s\"", cases[i].due);
		snprintf(json, sizeof json, SOCIAL("%s"), due);
		struct reply r;
		char want[80];
		snprintf(want, sizeof want, "\"code\":\"%s\"", cases[i].code);
		long st = post(CLERK, json, &r);
		if (st != cases[i].status || !reply_has(&r, want) || !reply_has(&r, cases[i].words))
			fail_msg("case %zu: %ld %s", i, st, buf_str(&r.body));
		reply_free(&r);
	}
	/* a procedure with a verified limit counts its own appointment */
	struct reply r;
	snprintf(json, sizeof json, "{\"procedure_code\":\"1.001193\",\"applicant\":{\"name\":\"A\",\"phone\":"
	         "\"0912345678\"},\"due_at\":\"%sT16:00:00+07:00\"}", day);
	assert_int_equal(post(CLERK, json, &r), 400);
	assert_true(reply_has(&r, "\"code\":\"invalid_field\""));
	reply_free(&r);
	/* accepted: the appointment as set, flagged */
	char due[80], want[120];
	snprintf(due, sizeof due, ",\"due_at\":\"%sT16:30:00+07:00\"", day);
	snprintf(json, sizeof json, SOCIAL("%s"), due);
	assert_int_equal(post(CLERK, json, &r), 201);
	snprintf(want, sizeof want, "\"due_at\":\"%sT16:30:00+07:00\"", day);
	assert_true(reply_has(&r, want));
	assert_true(reply_has(&r, "\"due_by_hand\":true"));
	const char *c = strstr(buf_str(&r.body), "\"code\":\"");
	char path[160];
	snprintf(path, sizeof path, "/api/v1/dossiers/%.*s", (int)strcspn(c + 8, "\""), c + 8);
	reply_free(&r);
	struct client cl;
	client_init(&cl, &S);
	req(&cl, "GET", path, NULL, NULL, 0, CLERK, &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, want));
	assert_true(reply_has(&r, "\"due_by_hand\":true"));
	reply_free(&r);
	assert_int_equal(post(CLERK, BIRTH, &r), 201);
	assert_true(reply_has(&r, "\"due_by_hand\":false"));
	reply_free(&r);
	client_free(&cl);
#undef SOCIAL
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intake),
		cmocka_unit_test(test_idempotent_intake),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_parallel_codes),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_race),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_due_by_hand),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
