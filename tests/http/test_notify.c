/*
 * test_notify.c — notifications that are never lost (issue #13 item 5),
 * against the real binary, a real SMTP server (Debian's python3-aiosmtpd,
 * notify_smtp.py) and a local HTTP SMS gateway (notify_sms.py):
 *   - with nothing configured, the file gateway writes DATA/messages;
 *   - dossiers moved through their life get each of their messages
 *     (received, supplement, result ready, returned; apology, refused) by
 *     SMS and e-mail exactly once,
 *     in Vietnamese, with the SMS gateway's credential sent and never
 *     logged;
 *   - a permanent refusal (the SMS gateway's 400) is not retried: the
 *     delivery log shows it failed after one attempt, with the reason;
 *   - the must-show: both gateways down while 200 dossiers move, the
 *     server SIGKILLed in between and restarted, then the gateways up:
 *     every expected message arrives exactly once (counted by its
 *     idempotency key in what the gateways received);
 *   - a SIGKILL while messages are being delivered: after the restart
 *     none is lost, and only the one in flight may arrive twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "driver.h"

#define PW "mat-khau-thu-123"
#define SMS_SECRET "Bearer sms-bi-mat-7f3a"

static struct srv S;
static char CLERK[200], OFFICER[200], LEADER[200];
static long OFFICER_ID;
static int SMTP_PORT, SMS_PORT;
static pid_t SMTP_PID, SMS_PID;
static char BASE[64], MAIL_DIR[300], SMS_DIR[300], HDR_FILE[300], SMTP_URL[64], SMS_URL[96];

/* A port nobody listens on now. */
static int
free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return -1;
	close(fd);
	return ntohs(a.sin_port);
}

/* Starts a gateway script on port, writing into folder; waits for "ready". */
static pid_t
gateway_start(const char *script, int port, const char *folder)
{
	int p[2];
	if (pipe(p) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		char ps[16], path[300];
		snprintf(ps, sizeof ps, "%d", port);
		snprintf(path, sizeof path, "tests/http/%s", script);
		execl("/usr/bin/python3", "python3", path, ps, folder, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	/* the whole line, so the script never writes into a closed pipe */
	char line[16] = "";
	size_t n = 0;
	while (n < sizeof line - 1 && read(p[0], line + n, 1) == 1 && line[n] != '\n')
		n++;
	close(p[0]);
	return strncmp(line, "ready\n", 6) == 0 ? pid : -1;
}

static void
gateway_stop(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGTERM);
		waitpid(*pid, NULL, 0);
	}
	*pid = 0;
}

static int
gateways_up(void)
{
	SMTP_PID = gateway_start("notify_smtp.py", SMTP_PORT, MAIL_DIR);
	SMS_PID = gateway_start("notify_sms.py", SMS_PORT, SMS_DIR);
	return SMTP_PID > 0 && SMS_PID > 0 ? 0 : -1;
}

static void
gateways_down(void)
{
	gateway_stop(&SMTP_PID);
	gateway_stop(&SMS_PID);
}

static const char *ARGS[24];

static int
start_configured(const char *dir)
{
	const char *const a[] = {"--notify-smtp", SMTP_URL, "--notify-from", "mot-cua@xa-phong-hai.gov.vn",
	                         "--notify-sms", SMS_URL, "--notify-sms-body",
	                         "{\"to\":\"{{to}}\",\"text\":\"{{text}}\",\"key\":\"{{key}}\"}",
	                         "--notify-sms-headers", HDR_FILE, "--notify-backoff", "1,2",
	                         "--notify-attempts", "1000", NULL};
	memcpy(ARGS, a, sizeof a);
	srv_extra_args = ARGS;
	return srv_start(&S, dir);
}

static int
setup(void **state)
{
	(void)state;
	curl_global_init(CURL_GLOBAL_ALL);
	SMTP_PORT = free_port();
	SMS_PORT = free_port();
	snprintf(BASE, sizeof BASE, "/tmp/motcua-notify-XXXXXX");
	const char *base = mkdtemp(BASE);
	if (!base || SMTP_PORT <= 0 || SMS_PORT <= 0)
		return -1;
	snprintf(MAIL_DIR, sizeof MAIL_DIR, "%s/mail", base);
	snprintf(SMS_DIR, sizeof SMS_DIR, "%s/sms", base);
	snprintf(HDR_FILE, sizeof HDR_FILE, "%s/sms-headers", base);
	snprintf(SMTP_URL, sizeof SMTP_URL, "smtp://127.0.0.1:%d", SMTP_PORT);
	snprintf(SMS_URL, sizeof SMS_URL, "http://127.0.0.1:%d/gui-tin", SMS_PORT);
	FILE *f = fopen(HDR_FILE, "w");
	if (!f)
		return -1;
	fprintf(f, "Authorization: %s\n", SMS_SECRET);
	fclose(f);
	mkdir(MAIL_DIR, 0700);
	mkdir(SMS_DIR, 0700);
	if (gateways_up() != 0 || start_configured(NULL) != 0)
		return -1;
	static const char *const users[][2] = {{"thu.clerk", "clerk"}, {"thu.officer", "officer"},
	                                       {"thu.leader", "leader"}};
	for (size_t i = 0; i < 3; i++)
		if (add_user(&S, users[i][0], users[i][1], NULL, PW) != 0)
			return -1;
	bearer_for(&S, "thu.clerk", PW, CLERK, sizeof CLERK);
	bearer_for(&S, "thu.officer", PW, OFFICER, sizeof OFFICER);
	bearer_for(&S, "thu.leader", PW, LEADER, sizeof LEADER);
	OFFICER_ID = user_id_of(&S, "thu.officer");
	return OFFICER_ID > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	gateways_down();
	int rc = srv_stop(&S, SIGTERM);
	srv_cleanup(&S);
	curl_global_cleanup();
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", BASE);
	if (BASE[0] && system(cmd) != 0)
		rc = -1;
	return rc == 0 ? 0 : -1;
}

/* ---- talking to the server ---- */

static long
api(const char *auth, const char *method, const char *path, const char *json, struct reply *r)
{
	struct client c;
	client_init(&c, &S);
	req(&c, method, path, json ? "application/json" : NULL, json, json ? strlen(json) : 0, auth, r);
	client_free(&c);
	return r->status;
}

/* Receives a dossier for an applicant with this phone and e-mail; its code. */
static void
receive(int i, char *code, size_t n)
{
	char json[1024];
	snprintf(json, sizeof json,
	         "{\"procedure_code\":\"1.001193\",\"channel\":\"counter\",\"applicant\":{\"name\":\"Nguyễn Văn "
	         "Thử %d\",\"phone\":\"09%08d\",\"email\":\"nguoi%d@thu.vn\",\"address\":\"Thôn Đông\"},"
	         "\"documents\":[{\"name\":\"Tờ khai\",\"received\":true,\"form\":\"original\",\"count\":1}]}",
	         i, 10000000 + i, i);
	struct reply r;
	long st = api(CLERK, "POST", "/api/v1/dossiers", json, &r);
	if (st != 201)
		fail_msg("intake %d: %ld %s", i, st, buf_str(&r.body));
	const char *c = strstr(buf_str(&r.body), "\"code\":\"");
	assert_non_null(c);
	snprintf(code, n, "%.*s", (int)strcspn(c + 8, "\""), c + 8);
	reply_free(&r);
}

static void
act(const char *auth, const char *code, const char *json)
{
	char path[200];
	snprintf(path, sizeof path, "/api/v1/dossiers/%s/actions", code);
	struct reply r;
	long st = api(auth, "POST", path, json, &r);
	if (st != 200)
		fail_msg("%s on %s: %ld %s", json, code, st, buf_str(&r.body));
	reply_free(&r);
}

/* ---- what the gateways received ---- */

struct seen {
	char (*keys)[160];
	size_t n, cap;
	int bad_auth;
};

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, k);
	fclose(f);
	return buf_detach(&b);
}

/* The idempotency key of one received message: the e-mail's X-Motcua-Key
 * header, the SMS body's "key". */
static void
collect(const char *dir, const char *ext, struct seen *s)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 4, ext) != 0)
			continue;
		char path[600];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		char *t = slurp(path);
		const char *k = NULL, *tag = strcmp(ext, ".eml") == 0 ? "X-Motcua-Key: " : "\"key\":\"";
		if (t && (k = strstr(t, tag))) {
			k += strlen(tag);
			if (s->n == s->cap) {
				s->cap = s->cap ? s->cap * 2 : 256;
				s->keys = realloc(s->keys, s->cap * sizeof *s->keys);
			}
			snprintf(s->keys[s->n++], 160, "%.*s", (int)strcspn(k, "\"\r\n"), k);
		}
		if (t && strcmp(ext, ".sms") == 0 && strncmp(t, SMS_SECRET "\n", strlen(SMS_SECRET) + 1) != 0)
			s->bad_auth++;
		free(t);
	}
	if (d)
		closedir(d);
}

static size_t
count_key(const struct seen *s, const char *key)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += strcmp(s->keys[i], key) == 0;
	return n;
}

/* Waits (up to secs) until the gateways hold `want` messages in all; then
 * half a second more, so a late duplicate would show. */
static void
wait_for(size_t want, int secs, struct seen *s)
{
	double until = mono_ms() + secs * 1000.0;
	for (;;) {
		s->n = 0;
		s->bad_auth = 0;
		collect(MAIL_DIR, ".eml", s);
		collect(SMS_DIR, ".sms", s);
		if (s->n >= want || mono_ms() > until)
			break;
		usleep(200 * 1000);
	}
	usleep(500 * 1000);
	s->n = 0;
	s->bad_auth = 0;
	collect(MAIL_DIR, ".eml", s);
	collect(SMS_DIR, ".sms", s);
}

static void
expect_key(const struct seen *s, const char *code, int version, const char *tmpl)
{
	static const char *const ch[] = {"sms", "email"};
	for (int i = 0; i < 2; i++) {
		char key[200];
		snprintf(key, sizeof key, "dossier:%s:%d:%s:%s", code, version, tmpl, ch[i]);
		size_t n = count_key(s, key);
		if (n != 1)
			fail_msg("%s delivered %zu times", key, n);
	}
}

/* ---- the tests ---- */

/* A dossier through its life: each message once, by SMS and e-mail. */
static void
test_life_once(void **state)
{
	(void)state;
	char code[80], body[300];
	receive(1, code, sizeof code);
	snprintf(body, sizeof body, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER_ID);
	act(CLERK, code, body);                                                       /* v2 */
	act(OFFICER, code, "{\"action\":\"request_supplement\",\"note\":\"Thiếu giấy chứng sinh\","
	                   "\"missing\":[\"Giấy chứng sinh\"]}");                     /* v3 */
	act(CLERK, code, "{\"action\":\"supplement_received\"}");                     /* v4 */
	act(OFFICER, code, "{\"action\":\"submit_for_approval\"}");                   /* v5 */
	act(LEADER, code, "{\"action\":\"approve\"}");                                /* v6 */
	act(OFFICER, code, "{\"action\":\"result_ready\"}");                          /* v7 */
	act(CLERK, code, "{\"action\":\"return\",\"recipient\":\"Nguyễn Văn Thử 1\",\"recipient_id\":\"001185012345\"}"); /* v8 */
	/* another: apologised for with a new date, then refused by the leader */
	char code2[80];
	receive(3, code2, sizeof code2);
	act(CLERK, code2, body);                                                      /* v2 */
	act(OFFICER, code2, "{\"action\":\"apologize\",\"new_date\":\"2031-12-30\","
	                    "\"note\":\"Chờ xác minh\"}");                            /* v3 */
	act(OFFICER, code2, "{\"action\":\"submit_for_approval\"}");                /* v4 */
	act(LEADER, code2, "{\"action\":\"refuse\",\"note\":\"Không đủ điều kiện\"}"); /* v5 */
	struct seen s = {0};
	wait_for(14, 30, &s);
	assert_int_equal(s.n, 14);
	expect_key(&s, code, 1, "received");
	expect_key(&s, code, 3, "supplement");
	expect_key(&s, code, 7, "result_ready");
	expect_key(&s, code, 8, "returned");
	expect_key(&s, code2, 1, "received");
	expect_key(&s, code2, 3, "apology");
	expect_key(&s, code2, 5, "refused");
	assert_int_equal(s.bad_auth, 0);   /* the gateway got the credential from the file */
	free(s.keys);
	/* the words arrived in Vietnamese, the missing paper named */
	struct buf all = BUF_INIT;
	DIR *d = opendir(SMS_DIR);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		char path[600];
		snprintf(path, sizeof path, "%s/%s", SMS_DIR, de->d_name);
		char *t = de->d_name[0] != '.' ? slurp(path) : NULL;
		if (t)
			buf_puts(&all, t);
		free(t);
	}
	closedir(d);
	assert_non_null(strstr(buf_str(&all), "cần bổ sung: Giấy chứng sinh"));
	assert_non_null(strstr(buf_str(&all), "\"to\":\"0910000001\""));
	assert_non_null(strstr(buf_str(&all), "Hẹn trả lại ngày 30/12/2031"));
	assert_non_null(strstr(buf_str(&all), "không được giải quyết. Lý do: Không đủ điều kiện"));
	buf_free(&all);
	/* the credential is never logged */
	char *log = slurp(S.log);
	assert_non_null(log);
	assert_null(strstr(log, "sms-bi-mat-7f3a"));
	free(log);
	/* a repeat of a message the gateways already have would show here:
	 * clear the folders for the next test */
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -f %s/*.eml %s/*.sms", MAIL_DIR, SMS_DIR);
	assert_int_equal(system(cmd), 0);
}

/* The must-show: gateways down while 200 dossiers move, a SIGKILL in
 * between, then gateways up: every message once. */
static void
test_down_kill_up(void **state)
{
	(void)state;
	gateways_down();
	enum { N = 200 };
	static char codes[N][80];
	int supplements = 0;
	for (int i = 0; i < N; i++) {
		if (i == N / 2) {
			/* cut off mid-flight, restarted on the same folder */
			assert_int_equal(srv_stop(&S, SIGKILL), 128 + SIGKILL);
			char dir[256];
			snprintf(dir, sizeof dir, "%s", S.dir);
			assert_int_equal(start_configured(dir), 0);
			bearer_for(&S, "thu.clerk", PW, CLERK, sizeof CLERK);
			bearer_for(&S, "thu.officer", PW, OFFICER, sizeof OFFICER);
		}
		receive(100 + i, codes[i], sizeof codes[i]);
		if (i % 4 == 0) {
			char body[100];
			snprintf(body, sizeof body, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER_ID);
			act(CLERK, codes[i], body);
			act(OFFICER, codes[i], "{\"action\":\"request_supplement\",\"note\":\"Thiếu bản sao\"}");
			supplements++;
		}
	}
	/* nothing could leave while the gateways were down */
	struct seen s = {0};
	collect(MAIL_DIR, ".eml", &s);
	collect(SMS_DIR, ".sms", &s);
	assert_int_equal(s.n, 0);
	sleep(2);   /* a few failed attempts each */
	assert_int_equal(gateways_up(), 0);
	size_t want = (size_t)(N + supplements) * 2;
	wait_for(want, 120, &s);
	if (s.n != want)
		fail_msg("%zu messages delivered, %zu expected", s.n, want);
	for (int i = 0; i < N; i++) {
		expect_key(&s, codes[i], 1, "received");
		if (i % 4 == 0)
			expect_key(&s, codes[i], 3, "supplement");
	}
	free(s.keys);
}

/* The SMS gateway refuses for good (400): failed after one attempt, the
 * e-mail of the same change still delivered. */
static void
test_permanent_refusal(void **state)
{
	(void)state;
	char code[80], body[300];
	receive(2, code, sizeof code);
	snprintf(body, sizeof body, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER_ID);
	act(CLERK, code, body);
	act(OFFICER, code, "{\"action\":\"request_supplement\",\"note\":\"Thiếu\","
	                   "\"missing\":[\"tu-choi-vinh-vien\"]}");
	struct seen s = {0};
	wait_for(3, 30, &s);   /* received ×2 and the supplement's e-mail */
	assert_int_equal(s.n, 3);
	char key[200];
	snprintf(key, sizeof key, "dossier:%s:3:supplement:email", code);
	assert_int_equal(count_key(&s, key), 1);
	free(s.keys);
	sleep(3);   /* a retry would have come by now (backoff 1,2) */
	struct client c;
	client_init(&c, &S);
	assert_int_equal(login(&c, "admin", S.admin_pw), 303);
	struct reply r;
	get(&c, "/quan-tri/thong-bao?trang-thai=failed", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "cổng trả lời HTTP 400"));
	assert_true(reply_has(&r, "data-label=\"Số lần gửi\">1</td>"));
	assert_true(reply_has(&r, code));
	assert_false(reply_has(&r, "sms-bi-mat-7f3a"));
	reply_free(&r);
	get(&c, "/quan-tri/thong-bao?trang-thai=khong-co", &r);
	assert_int_equal(r.status, 400);
	reply_free(&r);
	client_free(&c);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -f %s/*.eml %s/*.sms", MAIL_DIR, SMS_DIR);
	assert_int_equal(system(cmd), 0);
}

/* Killed while delivering: nothing lost, at most the message in flight
 * twice (at least once on that one). */
static void
test_kill_while_sending(void **state)
{
	(void)state;
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -f %s/*.eml %s/*.sms", MAIL_DIR, SMS_DIR);
	assert_int_equal(system(cmd), 0);
	enum { N = 60 };
	static char codes[N][80];
	for (int i = 0; i < N; i++)
		receive(1000 + i, codes[i], sizeof codes[i]);
	/* the worker is busy with the 120 messages: cut it off */
	struct seen s = {0};
	for (int i = 0; i < 200 && s.n < 10; i++) {
		s.n = 0;
		collect(MAIL_DIR, ".eml", &s);
		collect(SMS_DIR, ".sms", &s);
		usleep(5 * 1000);
	}
	assert_int_equal(srv_stop(&S, SIGKILL), 128 + SIGKILL);
	s.n = 0;
	collect(MAIL_DIR, ".eml", &s);
	collect(SMS_DIR, ".sms", &s);
	size_t at_kill = s.n;
	char dir[256];
	snprintf(dir, sizeof dir, "%s", S.dir);
	assert_int_equal(start_configured(dir), 0);
	bearer_for(&S, "thu.clerk", PW, CLERK, sizeof CLERK);
	bearer_for(&S, "thu.officer", PW, OFFICER, sizeof OFFICER);
	wait_for(2 * N, 60, &s);
	size_t twice = 0;
	for (int i = 0; i < N; i++)
		for (int c = 0; c < 2; c++) {
			char key[200];
			snprintf(key, sizeof key, "dossier:%.80s:1:received:%s", codes[i], c ? "email" : "sms");
			size_t n = count_key(&s, key);
			if (n < 1 || n > 2)
				fail_msg("%s delivered %zu times", key, n);
			twice += n == 2;
		}
	if (twice > 1)
		fail_msg("%zu messages delivered twice (at most the one in flight may be)", twice);
	if (at_kill >= 2 * N)
		fail_msg("everything was delivered before the kill: the test proved nothing");
	free(s.keys);
}

/* Nothing configured: the file gateway writes DATA/messages/<id>-<channel>.txt. */
static void
test_file_gateway(void **state)
{
	(void)state;
	struct srv F = {0};
	srv_extra_args = NULL;
	assert_int_equal(srv_start(&F, NULL), 0);
	assert_int_equal(add_user(&F, "thu.clerk", "clerk", NULL, PW), 0);
	char hdr[200];
	bearer_for(&F, "thu.clerk", PW, hdr, sizeof hdr);
	const char *json = "{\"procedure_code\":\"1.001193\",\"channel\":\"counter\",\"applicant\":{\"name\":"
	                   "\"Trần Thị Tệp\",\"phone\":\"0987654321\"},\"documents\":[]}";
	struct client c;
	client_init(&c, &F);
	struct reply r;
	req(&c, "POST", "/api/v1/dossiers", "application/json", json, strlen(json), hdr, &r);
	client_free(&c);
	assert_int_equal(r.status, 201);
	reply_free(&r);
	char path[400];
	snprintf(path, sizeof path, "%s/messages/1-sms.txt", F.dir);
	char *t = NULL;
	for (int i = 0; i < 100 && !(t = slurp(path)); i++)
		usleep(100 * 1000);
	assert_non_null(t);
	assert_int_equal(strncmp(t, "To: 0987654321\nSubject: \n\n", 26), 0);
	assert_non_null(strstr(t, "đã tiếp nhận hồ sơ"));
	free(t);
	snprintf(path, sizeof path, "%s/messages/2-email.txt", F.dir);
	assert_null(slurp(path));   /* no e-mail given: none written */
	assert_int_equal(srv_stop(&F, SIGTERM), 0);
	srv_cleanup(&F);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_gateway),
		cmocka_unit_test(test_life_once),
		cmocka_unit_test(test_permanent_refusal),
		cmocka_unit_test(test_down_kill_up),
		cmocka_unit_test(test_kill_while_sending),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
