/*
 * test_clock.c — the legal clock on real dossiers, with the server's wall
 * clock set by libfaketime (Debian's libfaketime, LD_PRELOAD; monotonic
 * time is left alone so timeouts behave):
 *   - a paused clock moves the due instant by exactly the paused working
 *     time: a pause inside office hours moves it by the pause's length, a
 *     pause across 17:00 only by the part before closing (DOMAIN decision 5);
 *   - a dossier finished after its due time counts as late, even after an
 *     apology with a new date; an apology after the due time is still
 *     recorded, marked as sent late (decision 6, issue #12 item 6).
 * The server restarts on the same data folder at each chosen instant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include "driver.h"
#include "app/calendar.h"

#define PW "mat-khau-thu-123"
/* the thread-safe variant: the server is multi-threaded */
#define FAKETIME_LIB "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"

static struct srv S;
static char DIR_[256];
static char CLERK[200], OFFICER[200], LEADER[200];
static long OFFICER_ID, LEADER_ID;

/* Stops the server; on a bad exit, shows the end of its log. */
static void
stop_checked(void)
{
	int rc = srv_stop(&S, SIGTERM);
	if (rc == 0)
		return;
	char cmd[400];
	snprintf(cmd, sizeof cmd, "tail -40 '%s' >&2", S.log);
	if (system(cmd) != 0)
		fprintf(stderr, "(no server log)\n");
	fail_msg("server exited %d on SIGTERM", rc);
}

/* (Re)starts the server with its clock starting at `utc` ("2027-03-03
 * 09:59:57", UTC) and signs the three staff in again. */
static void
start_at(const char *utc)
{
	if (S.pid > 0)
		stop_checked();
	char when[64];
	snprintf(when, sizeof when, "@%s", utc);
	setenv("FAKETIME", when, 1);
	setenv("FAKETIME_DONT_FAKE_MONOTONIC", "1", 1);
	setenv("TZ", "UTC", 1);
	setenv("LD_PRELOAD", FAKETIME_LIB, 1);
	int rc = srv_start(&S, DIR_[0] ? DIR_ : NULL);
	unsetenv("LD_PRELOAD");
	unsetenv("FAKETIME");
	if (rc != 0)
		fail_msg("server did not start at %s", utc);
	snprintf(DIR_, sizeof DIR_, "%s", S.dir);
	bearer_for(&S, "clock.clerk", PW, CLERK, sizeof CLERK);
	bearer_for(&S, "clock.officer", PW, OFFICER, sizeof OFFICER);
	bearer_for(&S, "clock.leader", PW, LEADER, sizeof LEADER);
}

static int
setup(void **state)
{
	(void)state;
	if (access(FAKETIME_LIB, R_OK) != 0) {
		fprintf(stderr, "test_clock: %s is missing (scripts/deps.sh installs libfaketime)\n", FAKETIME_LIB);
		return -1;
	}
	curl_global_init(CURL_GLOBAL_ALL);
	/* the sanitizer build must tolerate a library loaded before its runtime */
	char asan[512];
	const char *old = getenv("ASAN_OPTIONS");
	snprintf(asan, sizeof asan, "%s%sverify_asan_link_order=0", old ? old : "", old && *old ? ":" : "");
	setenv("ASAN_OPTIONS", asan, 1);
	setenv("FAKETIME_DONT_FAKE_MONOTONIC", "1", 1);
	setenv("TZ", "UTC", 1);
	/* a first start makes the data folder; users are added offline */
	setenv("LD_PRELOAD", FAKETIME_LIB, 1);
	setenv("FAKETIME", "@2027-03-03 01:00:00", 1);
	int rc = srv_start(&S, NULL);
	unsetenv("LD_PRELOAD");
	unsetenv("FAKETIME");
	if (rc != 0)
		return -1;
	snprintf(DIR_, sizeof DIR_, "%s", S.dir);
	static const char *const users[][2] = {
		{"clock.clerk", "clerk"}, {"clock.officer", "officer"}, {"clock.leader", "leader"}};
	for (size_t i = 0; i < 3; i++)
		if (add_user(&S, users[i][0], users[i][1], NULL, PW) != 0)
			return -1;
	OFFICER_ID = user_id_of(&S, "clock.officer");
	LEADER_ID = user_id_of(&S, "clock.leader");
	return OFFICER_ID > 0 && LEADER_ID > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	int rc = srv_stop(&S, SIGTERM);
	if (rc != 0) {
		char cmd[400];
		snprintf(cmd, sizeof cmd, "tail -40 '%s' >&2", S.log);
		if (system(cmd) != 0)
			fprintf(stderr, "(no server log)\n");
	}
	S.pid = 0;
	srv_cleanup(&S);
	curl_global_cleanup();
	return rc == 0 ? 0 : -1;
}

/* The value of "key":"…" (a string) in r, into out. */
static int
str_of(const struct reply *r, const char *key, char *out, size_t n)
{
	char k[80];
	snprintf(k, sizeof k, "\"%s\":\"", key);
	const char *p = strstr(buf_str(&r->body), k);
	if (!p)
		return -1;
	p += strlen(k);
	snprintf(out, n, "%.*s", (int)strcspn(p, "\""), p);
	return 0;
}

/* "2027-03-03T16:59:58+07:00" → Unix seconds. */
static long long
instant(const char *s)
{
	struct tm tm = {0};
	int off = 0;
	if (sscanf(s, "%d-%d-%dT%d:%d:%d+%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
	           &tm.tm_min, &tm.tm_sec, &off) != 7)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long long)timegm(&tm) - off * 3600;
}

static void
post_json(const char *auth, const char *path, const char *json, long want, struct reply *r)
{
	struct client c;
	client_init(&c, &S);
	req(&c, "POST", path, "application/json", json, strlen(json), auth, r);
	client_free(&c);
	if (r->status != want)
		fail_msg("POST %s %s: %ld %s (want %ld)", path, json, r->status, buf_str(&r->body), want);
}

static void
get_json(const char *auth, const char *path, struct reply *r)
{
	struct client c;
	client_init(&c, &S);
	req(&c, "GET", path, NULL, NULL, 0, auth, r);
	client_free(&c);
	assert_int_equal(r->status, 200);
}

static void
receive(const char *procedure, char *code, size_t n)
{
	char body[512];
	snprintf(body, sizeof body, "{\"procedure_code\":\"%s\",\"applicant\":{\"name\":\"Đỗ Văn Đồng Hồ\","
	         "\"phone\":\"0912000111\"}}", procedure);
	struct reply r;
	post_json(CLERK, "/api/v1/dossiers", body, 201, &r);
	assert_int_equal(str_of(&r, "code", code, n), 0);
	reply_free(&r);
}

static void
action(const char *auth, const char *code, const char *json, long want, struct reply *out)
{
	char path[200];
	snprintf(path, sizeof path, "/api/v1/dossiers/%s/actions", code);
	struct reply r;
	post_json(auth, path, json, want, &r);
	if (out)
		*out = r;
	else
		reply_free(&r);
}

/* Office seconds between two instants on 2027's calendar (rules only:
 * no override ships for 2027, so it is the server's calendar too). */
static long long
work(long long t0, long long t1)
{
	static struct calsnap *cs;
	if (!cs && calsnap_build(NULL, 2027, 1, &cs) != ERR_OK)
		fail_msg("calendar");
	int64_t out = -1;
	if (dl_work_seconds(&cs->cal, &cs->hours, t0, t1, &out) != DL_OK)
		fail_msg("dl_work_seconds");
	return out;
}

/* Pause (officer asks for a supplement), wait wait_s seconds — or, when
 * past is set, until the server's clock (real time, shifted) is a second
 * beyond that instant — and resume; returns how much office time the due
 * instant moved by and the pause's instants as the server recorded them. */
static void
pause_resume(const char *code, unsigned wait_s, long long past, long long *shift, long long *paused_at,
             long long *resumed_at)
{
	char due0[40], due1[40], at[40];
	struct reply r;
	char path[200];
	snprintf(path, sizeof path, "/api/v1/dossiers/%s", code);
	get_json(CLERK, path, &r);
	str_of(&r, "due_at", due0, sizeof due0);
	reply_free(&r);
	action(OFFICER, code, "{\"action\":\"request_supplement\",\"note\":\"Thiếu bản sao\"}", 200, NULL);
	get_json(CLERK, path, &r);
	assert_int_equal(str_of(&r, "paused_at", at, sizeof at), 0);
	*paused_at = instant(at);
	reply_free(&r);
	if (past && past + 1 > *paused_at)
		wait_s = (unsigned)(past + 1 - *paused_at);
	sleep(wait_s);
	action(CLERK, code, "{\"action\":\"supplement_received\"}", 200, &r);
	str_of(&r, "due_at", due1, sizeof due1);
	reply_free(&r);
	/* the resume instant: the last event's time */
	get_json(CLERK, path, &r);
	const char *last = NULL, *p = buf_str(&r.body);
	while ((p = strstr(p, "\"at\":\"")) != NULL)
		last = p, p++;
	assert_non_null(last);
	snprintf(at, sizeof at, "%.25s", last + 6);
	*resumed_at = instant(at);
	reply_free(&r);
	*shift = work(instant(due0), instant(due1));
}

static void
test_pause_moves_due_exactly(void **state)
{
	(void)state;
	char a[80], b[80];
	long long shift, p0, p1;
	char body[200];
	/* Wednesday 3 March 2027, 16:59:45 in Hà Nội: a pause across closing
	 * time (15 s for the server to start and take three requests, even
	 * under a sanitizer on a busy machine; the pause lasts until 17:00:01) */
	long long closing = instant("2027-03-03T17:00:00+07:00");
	start_at("2027-03-03 09:59:45");
	receive("2.001016", a, sizeof a);
	snprintf(body, sizeof body, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER_ID);
	action(CLERK, a, body, 200, NULL);
	pause_resume(a, 0, closing, &shift, &p0, &p1);
	assert_true(p0 < closing && p1 > closing);
	assert_int_equal(work(p0, p1), closing - p0);
	if (shift != work(p0, p1))
		fail_msg("paused %lld..%lld across 17:00: due moved %lld office s, want %lld", p0, p1, shift, closing - p0);
	/* Thursday 09:00:00: a pause inside office hours moves it by its length */
	start_at("2027-03-04 02:00:00");
	receive("2.001016", b, sizeof b);
	action(CLERK, b, body, 200, NULL);
	pause_resume(b, 2, 0, &shift, &p0, &p1);
	assert_true(p1 - p0 >= 2);
	assert_int_equal(work(p0, p1), p1 - p0);
	if (shift != p1 - p0)
		fail_msg("paused %lld..%lld in office hours: due moved %lld office s, want %lld", p0, p1, shift, p1 - p0);
}

static void
test_late_after_apology(void **state)
{
	(void)state;
	char code[80], other[80], body[200], path[200];
	struct reply r;
	/* Friday 5 March 2027, 10:00: a same-day birth registration, due 17:00 */
	start_at("2027-03-05 03:00:00");
	receive("1.001193", code, sizeof code);
	receive("1.001193", other, sizeof other);
	snprintf(path, sizeof path, "/api/v1/dossiers/%s", code);
	get_json(CLERK, path, &r);
	assert_true(reply_has(&r, "\"due_at\":\"2027-03-05T17:00:00+07:00\""));
	assert_true(reply_has(&r, "\"timeliness\":\"in_time\""));
	reply_free(&r);
	snprintf(body, sizeof body, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER_ID);
	action(CLERK, code, body, 200, NULL);
	action(CLERK, other, body, 200, NULL);
	snprintf(body, sizeof body, "{\"action\":\"submit_for_approval\",\"assignee\":%ld}", LEADER_ID);
	action(OFFICER, code, body, 200, NULL);
	action(LEADER, code, "{\"action\":\"approve\"}", 200, NULL);
	/* 16:59:00: the apology, before the promised time, with a new date (a
	 * minute to spare: the restart and three sign-ins take seconds on a
	 * busy machine, and 16:59:57 once arrived after 17:00) */
	start_at("2027-03-05 09:59:00");
	action(LEADER, code, "{\"action\":\"apologize\",\"note\":\"Chờ xác minh của xã khác\","
	                    "\"new_date\":\"2027-03-08\"}", 200, &r);
	assert_true(reply_has(&r, "\"appointment_at\":\"2027-03-08T17:00:00+07:00\""));
	reply_free(&r);
	/* 17:30: the result is ready — late, whatever the apology promised */
	start_at("2027-03-05 10:30:00");
	action(OFFICER, other, "{\"action\":\"apologize\",\"note\":\"Muộn\",\"new_date\":\"2027-03-08\"}", 200, &r);
	reply_free(&r);
	get_json(CLERK, "/api/v1/dossiers?overdue=true", &r);
	assert_true(reply_has(&r, other));
	assert_true(reply_has(&r, "\"timeliness\":\"overdue\""));
	reply_free(&r);
	action(OFFICER, code, "{\"action\":\"result_ready\"}", 200, NULL);
	get_json(CLERK, path, &r);
	assert_true(reply_has(&r, "\"timeliness\":\"late\""));
	assert_true(reply_has(&r, "\"due_at\":\"2027-03-05T17:00:00+07:00\""));   /* the legal due stays */
	assert_true(reply_has(&r, "\"appointment_at\":\"2027-03-08T17:00:00+07:00\""));
	reply_free(&r);
	/* the register and the control sheet say so in words */
	struct client c;
	client_init(&c, &S);
	assert_int_equal(login(&c, "clock.clerk", PW), 303);
	get(&c, "/mot-cua/so-theo-doi?tu=2027-03-05&den=2027-03-05", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "trễ hạn 1"));
	assert_true(reply_has(&r, "quá hạn 1"));
	reply_free(&r);
	snprintf(path, sizeof path, "/mot-cua/ho-so/%s/in/04", code);
	get(&c, path, &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "17 giờ 00 phút, ngày 08 tháng 03 năm 2027"));
	assert_true(reply_has(&r, "Chờ xác minh của xã khác"));
	reply_free(&r);
	snprintf(path, sizeof path, "/mot-cua/ho-so/%s/in/05", code);
	get(&c, path, &r);
	assert_true(reply_has(&r, "Kết quả toàn hồ sơ: <strong>Trễ hạn</strong>"));
	reply_free(&r);
	client_free(&c);
	/* the leader's report for 5 March: one finished late with its apology,
	 * one overdue without; the clerk has no report */
	client_init(&c, &S);
	assert_int_equal(login(&c, "clock.clerk", PW), 303);
	get(&c, "/bao-cao", &r);
	assert_int_equal(r.status, 403);
	reply_free(&r);
	client_free(&c);
	client_init(&c, &S);
	assert_int_equal(login(&c, "clock.leader", PW), 303);
	get(&c, "/bao-cao?tu=2027-03-05&den=2027-03-05", &r);
	assert_int_equal(r.status, 200);
	const char *row = strstr(buf_str(&r.body), "<th scope=\"row\">Hộ tịch</th>");
	assert_non_null(row);
	/* received 2, early 0, on time 0, late 1, in time 0, overdue 1, rate 0,0% */
	assert_non_null(strstr(row, "<td data-label=\"Tiếp nhận\">2</td><td data-label=\"Xong trước hạn\">0</td>"
	                            "<td data-label=\"Xong đúng hạn\">0</td><td data-label=\"Xong trễ hạn\">1</td>"
	                            "<td data-label=\"Đang giải quyết còn hạn\">0</td><td data-label=\"Đang quá hạn\">1</td>"
	                            "<td data-label=\"Tỷ lệ đúng hạn\"><strong>0,0%</strong></td>"));
	const char *late = strstr(buf_str(&r.body), code);
	assert_non_null(late);
	assert_non_null(strstr(late, "Có — hẹn lại 08/03/2027 17:00"));
	const char *ov = strstr(buf_str(&r.body), other);
	assert_non_null(ov);
	assert_non_null(strstr(ov, "Gửi muộn — hẹn lại 08/03/2027 17:00"));
	assert_true(reply_has(&r, "<strong>1</strong> gửi trước hạn, <strong>1</strong> gửi muộn (sau thời hạn), "
	                          "<strong>0</strong> hồ sơ không có phiếu xin lỗi"));
	reply_free(&r);
	get(&c, "/bao-cao?tu=2027-03-05&den=2027-03-05&dinh_dang=csv", &r);
	assert_int_equal(r.status, 200);
	char ct[80];
	reply_header(&r, "Content-Type", ct, sizeof ct);
	assert_string_equal(ct, "text/csv; charset=utf-8");
	assert_memory_equal(r.body.data, "\xEF\xBB\xBFLĩnh vực,Tiếp nhận,", 3 + strlen("Lĩnh vực,Tiếp nhận,"));
	assert_true(reply_has(&r, "\r\nHộ tịch,2,0,0,1,0,1,\"0,0%\",0,0,0\r\n"));
	assert_true(reply_has(&r, "\r\nTổng cộng,2,0,0,1,0,1,\"0,0%\",0,0,0\r\n"));
	reply_free(&r);
	get(&c, "/bao-cao?tu=2027-03-31&den=2027-03-01", &r);
	assert_int_equal(r.status, 400);
	assert_true(reply_has(&r, "không được trước"));
	reply_free(&r);
	get(&c, "/bao-cao?tu=2027-02-30", &r);
	assert_int_equal(r.status, 400);
	reply_free(&r);
	client_free(&c);
}

/* "Hẹn trả hôm nay": at 09:00 on Wednesday the desk sees today's
 * appointment (and that it is not ready), marked "hạn hôm nay" in its
 * queue too, but not yesterday's. */
static void
test_due_today_queue(void **state)
{
	(void)state;
	char old[80], today[80];
	start_at("2027-03-02 02:00:00");     /* Tuesday 09:00 in Việt Nam */
	receive("1.001193", old, sizeof old);   /* same day: due Tuesday */
	start_at("2027-03-03 02:00:00");     /* Wednesday 09:00 */
	receive("1.001193", today, sizeof today);
	struct client c;
	struct reply r;
	client_init(&c, &S);
	assert_int_equal(login(&c, "clock.clerk", PW), 303);
	get(&c, "/mot-cua?hang=hen-tra-hom-nay", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, today));
	assert_false(reply_has(&r, old));
	assert_true(reply_has(&r, "1 hồ sơ chưa có kết quả."));
	assert_true(reply_has(&r, "— hạn hôm nay</strong>"));
	assert_true(reply_has(&r, "(chưa có kết quả)"));
	reply_free(&r);
	/* in the clerk's own queue: today's in red with words, yesterday's late */
	get(&c, "/mot-cua", &r);
	const char *row_today = strstr(buf_str(&r.body), today);
	const char *row_old = strstr(buf_str(&r.body), old);
	assert_non_null(row_today);
	assert_non_null(row_old);
	const char *end_today = strstr(row_today, "</tr>"), *end_old = strstr(row_old, "</tr>");
	const char *mark = strstr(row_today, "hạn hôm nay");
	assert_true(mark && mark < end_today);
	mark = strstr(row_old, "hạn hôm nay");
	assert_true(!mark || mark > end_old);
	reply_free(&r);
	client_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pause_moves_due_exactly),
		cmocka_unit_test(test_late_after_apology),
		cmocka_unit_test(test_due_today_queue),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
