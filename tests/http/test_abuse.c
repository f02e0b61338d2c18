/*
 * test_abuse.c — hostile clients (issue #6): slowloris, a flood of idle
 * connections, oversized headers, path traversal on /static/ and /anh/,
 * and CSRF on every form route.  Through all of it /healthz must keep
 * answering, nothing may leak a file, and no rejected form may change
 * anything.
 *
 * Extends test_foundation.c, which has one 20 KB Cookie (431), one
 * "/static/..%2Fmain.c" (404) and the create-user form without / with a
 * wrong token (403).  Raw sockets are used where libcurl would tidy the
 * request up (dot segments, header sizes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "core/roles.h"
#include "driver.h"
#include "web/web.h"

static struct srv S;

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0)
		return -1;
	static const char *const roles[] = {"leader", "clerk", "officer", "viewer"};
	for (int i = 0; i < 4; i++) {
		char user[32];
		snprintf(user, sizeof user, "thu.%s", roles[i]);
		if (add_user(&S, user, roles[i], NULL, "mat-khau-thu-123") != 0)
			return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return group_stop(&S);
}

/* ---- raw sockets ------------------------------------------------------------ */

static struct sockaddr_in
server_addr(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	const char *colon = strrchr(S.url, ':');
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	return sa;
}

/* A connected socket (blocking), or -1. */
static int
dial(void)
{
	struct sockaddr_in sa = server_addr();
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Closes with a reset: no TIME_WAIT left behind by thousands of sockets. */
static void
close_rst(int fd)
{
	struct linger l = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	close(fd);
}

/* Sends exactly these bytes, reads until the server closes (or 10 s);
 * returns the status of the reply, 0 if none came.  The whole reply is
 * left in out when given. */
static long
raw(const char *data, size_t len, struct buf *out)
{
	long st = raw_request(&S, data, len, out);
	assert_true(st >= 0);
	return st;
}

static long
raw_get(const char *target, struct buf *out)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", target);
	long st = raw(buf_str(&b), b.len, out);
	buf_free(&b);
	return st;
}

/* GET /healthz on a new connection with a 5 s bound; the status (0: no
 * answer in time) and the time taken. */
static size_t
sink(char *p, size_t size, size_t n, void *arg)
{
	buf_append(arg, p, size * n);
	return size * n;
}

static long
healthz(double *ms)
{
	CURL *h = curl_easy_init();
	struct buf url = BUF_INIT, body = BUF_INIT;
	buf_printf(&url, "%s/healthz", S.url);
	curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	double t = mono_ms();
	CURLcode rc = curl_easy_perform(h);
	if (ms)
		*ms = mono_ms() - t;
	long st = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st);
	else
		fprintf(stderr, "healthz: %s\n", curl_easy_strerror(rc));
	if (st == 200 && strcmp(buf_str(&body), "{\"status\":\"ok\"}") != 0)
		st = -1;
	curl_easy_cleanup(h);
	buf_free(&url);
	buf_free(&body);
	return st;
}

/* ---- (a) slowloris -------------------------------------------------------------- */

#define SLOW 200

struct slow {
	int fd[SLOW];
	size_t sent[SLOW];
	int dead[SLOW];
	atomic_int go;
};

static const char SLOW_HEAD[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: langsam\r\nX-Slow: ";

/* One byte per connection every 50 ms, never the blank line. */
static void *
dribble(void *arg)
{
	struct slow *s = arg;
	while (atomic_load(&s->go)) {
		for (int i = 0; i < SLOW; i++) {
			if (s->dead[i])
				continue;
			char c = s->sent[i] < sizeof SLOW_HEAD - 1 ? SLOW_HEAD[s->sent[i]] : 'a';
			if (send(s->fd[i], &c, 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1)
				s->sent[i]++;
			else if (errno != EAGAIN)
				s->dead[i] = 1;
		}
		usleep(50000);
	}
	return NULL;
}

static void
test_slowloris(void **state)
{
	(void)state;
	static struct slow s;
	memset(&s, 0, sizeof s);
	for (int i = 0; i < SLOW; i++) {
		s.fd[i] = dial();
		assert_true(s.fd[i] >= 0);
	}
	atomic_store(&s.go, 1);
	pthread_t t;
	pthread_create(&t, NULL, dribble, &s);
	usleep(1500000);   /* every connection is now inside its header */
	double worst = 0;
	long bad = 0;
	for (int i = 0; i < 3 && !bad; i++) {
		double ms;
		long st = healthz(&ms);
		if (st != 200)
			bad = st ? st : -1;
		worst = ms > worst ? ms : worst;
		usleep(200000);
	}
	struct reply r;
	long page = fetch_from(&S, "/dang-nhap", &r);   /* a real page too */
	reply_free(&r);
	atomic_store(&s.go, 0);
	pthread_join(t, NULL);
	int dead = 0;
	size_t bytes = 0;
	for (int i = 0; i < SLOW; i++) {
		dead += s.dead[i];
		bytes += s.sent[i];
		close_rst(s.fd[i]);
	}
	if (bad || page != 200)
		fail_msg("slowloris: /healthz → %ld, /dang-nhap → %ld with %d slow connections open", bad, page,
		         SLOW);
	printf("slowloris: %d connections sent %zu header bytes one at a time; /healthz 200 "
	       "(slowest %.0f ms); %d closed by the server meanwhile\n",
	       SLOW, bytes, worst, dead);
	assert_int_equal(healthz(NULL), 200);
}

/* ---- (b) ten thousand idle connections ------------------------------------------- */

#define IDLE_WANT 10000
#define KEEPALIVE 100

static void
test_idle_flood(void **state)
{
	(void)state;
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	int n = IDLE_WANT;
	if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)n + 200 > rl.rlim_cur)
		n = rl.rlim_cur > 400 ? (int)rl.rlim_cur - 200 : 100;
	int *fds = calloc((size_t)n, sizeof *fds);
	assert_non_null(fds);
	struct sockaddr_in sa = server_addr();
	int opened = 0;
	double t0 = mono_ms();
	for (; opened < n; opened++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd < 0)
			break;
		if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS) {
			close(fd);
			break;
		}
		fds[opened] = fd;
	}
	if (opened < IDLE_WANT)
		printf("idle: RLIMIT_NOFILE %llu/%llu allows %d idle connections, not %d\n",
		       (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max, opened, IDLE_WANT);
	assert_true(opened >= 100);
	usleep(300000);

	/* while they sit there, /healthz answers, again and again */
	double worst = 0;
	for (int i = 0; i < 3; i++) {
		double ms;
		long st = healthz(&ms);
		if (st != 200) {
			for (int j = 0; j < opened; j++)   /* let the other tests run */
				close_rst(fds[j]);
			free(fds);
			fail_msg("/healthz → %ld (no answer within 5 s) with %d idle connections open", st, opened);
		}
		worst = ms > worst ? ms : worst;
	}
	/* a client that connects into the crowd and takes its time (1 s)
	 * before sending its request is still served */
	int fd = dial();
	assert_true(fd >= 0);
	usleep(1000000);
	const char *get = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
	assert_int_equal(send(fd, get, strlen(get), MSG_NOSIGNAL), (ssize_t)strlen(get));
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	char head[64] = "";
	ssize_t k = recv(fd, head, sizeof head - 1, 0);
	close(fd);
	assert_true(k > 12);
	assert_int_equal(strncmp(head, "HTTP/1.1 200", 12), 0);

	/* clients that ask once, keep the connection and go quiet */
	int ka[KEEPALIVE];
	const char *get1 = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	for (int i = 0; i < KEEPALIVE; i++) {
		ka[i] = dial();
		assert_true(ka[i] >= 0);
		setsockopt(ka[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		assert_int_equal(send(ka[i], get1, strlen(get1), MSG_NOSIGNAL), (ssize_t)strlen(get1));
		char rbuf[2048];
		ssize_t got = recv(ka[i], rbuf, sizeof rbuf, 0);
		assert_true(got > 12 && strncmp(rbuf, "HTTP/1.1 200", 12) == 0);
	}
	double t1 = mono_ms();

	/* The server must not let an idle crowd sit on its slots: past its soft
	 * limit (1,000 by default) connections that send nothing are closed
	 * (or refused) within seconds (src/http/server.c).  Half of those, to
	 * allow for timing, must be gone after 4.5 s. */
	while (mono_ms() - t1 < 4500)
		usleep(100000);
	int closed = 0, ka_closed = 0;
	for (int i = 0; i < opened + KEEPALIVE; i++) {
		char c;
		int f = i < opened ? fds[i] : ka[i - opened];
		ssize_t got = recv(f, &c, 1, MSG_DONTWAIT);
		if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			*(i < opened ? &closed : &ka_closed) += 1;
	}
	assert_int_equal(healthz(NULL), 200);
	for (int i = 0; i < opened; i++)
		close_rst(fds[i]);
	for (int i = 0; i < KEEPALIVE; i++)
		close_rst(ka[i]);
	free(fds);
	printf("idle: %d idle connections; /healthz 200 (slowest %.0f ms); after %.1f s the server had "
	       "closed %d of them and %d of %d quiet kept-alive ones\n",
	       opened, worst, (mono_ms() - t0) / 1e3, closed, ka_closed, KEEPALIVE);
	if (opened > 2000 && closed < (opened - 1000) / 2)
		fail_msg("only %d of %d idle connections closed: the crowd keeps its slots", closed, opened);
	if (opened > 2000 && ka_closed < KEEPALIVE / 2)
		fail_msg("only %d of %d quiet kept-alive connections closed in a crowd", ka_closed, KEEPALIVE);
	usleep(200000);
	assert_int_equal(healthz(NULL), 200);
}

/* ---- (c) oversized and malformed headers ---------------------------------------- */

static struct buf
big_request(const char *line, const char *name, size_t n, const char *extra)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s\r\nHost: 127.0.0.1\r\n", line);
	if (name) {
		buf_printf(&b, "%s: ", name);
		for (size_t i = 0; i < n; i++)
			buf_putc(&b, 'a');
		buf_puts(&b, "\r\n");
	}
	buf_printf(&b, "%sConnection: close\r\n\r\n", extra ? extra : "");
	return b;
}

static void
expect_refused(const char *what, struct buf *req_bytes, long a, long b, long c)
{
	long st = raw(buf_str(req_bytes), req_bytes->len, NULL);
	if (st != a && st != b && st != c)
		fail_msg("%s: %ld, want %ld/%ld/%ld", what, st, a, b, c);
	buf_free(req_bytes);
	double ms;
	if (healthz(&ms) != 200)
		fail_msg("after %s: /healthz does not answer", what);
}

static void
test_big_headers(void **state)
{
	(void)state;
	struct buf b;
	b = big_request("GET /healthz HTTP/1.1", "X-Big", 64 * 1024, NULL);
	expect_refused("one 64 KiB header", &b, 431, 400, 431);
	b = big_request("GET /healthz HTTP/1.1", "Cookie", 64 * 1024, NULL);
	expect_refused("a 64 KiB Cookie", &b, 431, 400, 431);
	b = big_request("GET /healthz HTTP/1.1", "User-Agent", 20 * 1024, NULL);
	expect_refused("a 20 KiB User-Agent (under MHD's buffer, over ours)", &b, 431, 431, 431);
	b = big_request("GET /healthz HTTP/1.1", "Authorization", 30 * 1024, NULL);
	expect_refused("a 30 KiB Authorization", &b, 431, 400, 431);
	/* any header counts, not only the usual big ones */
	b = big_request("GET /healthz HTTP/1.1", "X-Foo", 20 * 1024, NULL);
	expect_refused("a 20 KiB X-Foo (under MHD's buffer, over ours)", &b, 431, 431, 431);
	/* many small headers adding up to 100 KB */
	struct buf many = BUF_INIT;
	for (int i = 0; i < 3000; i++)
		buf_printf(&many, "X-H%d: aaaaaaaaaaaaaaaaaaaaaaaa\r\n", i);
	b = big_request("GET /healthz HTTP/1.1", NULL, 0, buf_str(&many));
	expect_refused("3,000 headers", &b, 431, 400, 431);
	buf_free(&many);
	/* a 64 KiB request line */
	struct buf line = BUF_INIT;
	buf_puts(&line, "GET /healthz?q=");
	for (int i = 0; i < 64 * 1024; i++)
		buf_putc(&line, 'a');
	buf_puts(&line, " HTTP/1.1");
	b = big_request(buf_str(&line), NULL, 0, NULL);
	expect_refused("a 64 KiB request line", &b, 414, 431, 400);
	buf_free(&line);
	/* a big header on a POST with a body: refused before any handler */
	b = big_request("POST /api/v1/session HTTP/1.1", "Cookie", 64 * 1024,
	                "Content-Type: application/json\r\nContent-Length: 2\r\n");
	buf_puts(&b, "{}");
	expect_refused("a 64 KiB Cookie on a POST", &b, 431, 400, 413);
	/* malformed: a header line without a colon */
	b = big_request("GET /healthz HTTP/1.1", NULL, 0, "Nonsense-without-colon\r\n");
	expect_refused("a header line without a colon", &b, 400, 400, 400);

	/* the same abuse fifty times in a row: nothing accumulates (the ASan
	 * build would report a leak at the server's exit) */
	double t = mono_ms();
	for (int i = 0; i < 50; i++) {
		b = big_request("GET /healthz HTTP/1.1", i % 2 ? "Cookie" : "X-Big", 64 * 1024, NULL);
		long st = raw(buf_str(&b), b.len, NULL);
		buf_free(&b);
		if (st != 431 && st != 400)
			fail_msg("round %d: %ld", i, st);
	}
	printf("headers: 64 KiB header/Cookie, 20/30 KiB User-Agent/Authorization, 3,000 headers, "
	       "64 KiB request line: all refused; 50 more in %.0f ms; /healthz 200 throughout\n",
	       mono_ms() - t);
	assert_int_equal(healthz(NULL), 200);
}

/* ---- (d) path traversal ------------------------------------------------------------ */

/* Text that must never be served: a system file, the database, the raw
 * templates and migrations embedded in the binary, the server's log. */
static const char *
leak_in(const struct buf *b)
{
	static const char *const marks[] = {
	    "root:x:0:0", "root:*:0:0", "SQLite format 3", "CREATE TABLE", "PRAGMA ", "{{",
	    "Mật khẩu (chỉ hiện", "\"GET /", "#include",
	};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strstr(buf_str(b), marks[i]))
			return marks[i];
	return NULL;
}

static void
test_traversal(void **state)
{
	(void)state;
	struct buf out;
	/* the control: raw requests do fetch a static file */
	assert_int_equal(raw_get("/static/site.css", &out), 200);
	buf_free(&out);
	struct buf dbpath = BUF_INIT, logpath = BUF_INIT;
	buf_puts(&dbpath, "/static/");
	urlenc(&dbpath, S.dir);
	buf_puts(&dbpath, "%2Fmotcua.db");
	buf_puts(&logpath, "/anh/");
	urlenc(&logpath, S.dir);
	buf_puts(&logpath, "%2Fserver.log");
	const char *targets[] = {
	    "/static/../../../../../../etc/passwd",
	    "/static/../../../../../../../../../../etc/passwd",
	    "/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
	    "/static/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
	    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
	    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
	    "/static/.%2e/.%2e/.%2e/.%2e/etc/passwd",
	    "/static/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
	    "/static/..%5c..%5c..%5c..%5cetc%5cpasswd",
	    "/static/..\\..\\..\\..\\etc\\passwd",
	    "/static/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
	    "/static/..%c0%af..%c0%afetc%c0%afpasswd",
	    "/static/%2fetc%2fpasswd",
	    "/static//etc/passwd",
	    "/static/etc/passwd",
	    "/static/site.css/../../../../etc/passwd",
	    "/static/site.css%00../../etc/passwd",
	    "/static/..;/..;/etc/passwd",
	    "/static/....//....//etc/passwd",
	    "/static/..%2fmotcua.db",
	    "/static/..%2f..%2f..%2fmotcua.db",
	    "/static/..%2ftemplates%2ferror.html",
	    "/static/..%2f..%2f..%2fsql%2fsqlite%2f0001-foundation.sql",
	    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fsql%2fsqlite%2f0001-foundation.sql",
	    "/static/..%2f..%2f..%2fsrc%2fmain.c",
	    "/static/..",
	    "/static/.",
	    "/static/%2e%2e",
	    buf_str(&dbpath),
	    buf_str(&logpath),
	    "/anh/..%2fmotcua.db",
	    "/anh/..%2f..%2f..%2fetc%2fpasswd",
	    "/anh/../../../etc/passwd",
	    "/anh/%2e%2e%2fserver.log",
	    "/anh/0000000000000000000000000000000000000000000000000000000000000000.jpg",
	    "/anh/..%2f0000000000000000000000000000000000000000000000000000000000.jpg",
	    "/etc/passwd",
	    "//etc/passwd",
	    "/motcua.db",
	    "/server.log",
	    "/../../../../etc/passwd",
	    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
	    "../../../../etc/passwd",
	    "*",
	};
	int n = 0;
	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
		long st = raw_get(targets[i], &out);
		const char *leak = leak_in(&out);
		if (leak)
			fail_msg("GET %s → %ld and the reply holds \"%s\"", targets[i], st, leak);
		if (st != 404 && st != 400)
			fail_msg("GET %s → %ld, want 404 or 400", targets[i], st);
		buf_free(&out);
		n++;
	}
	/* the data folder's files through an absolute-form request target */
	struct buf t = BUF_INIT;
	buf_printf(&t, "http://127.0.0.1/static/..%%2f..%%2fetc%%2fpasswd");
	long st = raw_get(buf_str(&t), &out);
	assert_null(leak_in(&out));
	assert_true(st == 400 || st == 404);
	buf_free(&out);
	buf_free(&t);
	buf_free(&dbpath);
	buf_free(&logpath);
	printf("traversal: %d targets under /static/, /anh/ and / answered 404/400, no file content\n", n + 1);
	assert_int_equal(healthz(NULL), 200);
}

/* ---- (e) CSRF on every form route ----------------------------------------------------- */

/* A digest of everything stored (sessions: which exist, not when last
 * seen).  Equal digests: nothing changed. */
static uint64_t
db_digest(void)
{
	char path[400];
	snprintf(path, sizeof path, "%s/motcua.db", S.dir);
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("open %s", path);
	sqlite3_busy_timeout(db, 5000);
	uint64_t h = 1469598103934665603ULL;
	sqlite3_stmt *tables;
	/* virtual tables (FTS5 with our tokenizer) are skipped: their shadow
	 * tables hold the same data */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
	                                        "AND name NOT LIKE 'sqlite_%' "
	                                        "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
	                                    -1, &tables, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		char sql[300];
		if (strcmp(name, "sessions") == 0)
			snprintf(sql, sizeof sql, "SELECT token_hash, user_id, created_at, expires_at FROM sessions "
			                          "ORDER BY token_hash");
		else
			snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", name);
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
			fail_msg("%s: %s", sql, sqlite3_errmsg(db));
		for (const char *p = name; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				const unsigned char *v = sqlite3_column_blob(s, c);
				int len = sqlite3_column_bytes(s, c);
				for (int i = 0; i < len; i++)
					h = (h ^ v[i]) * 1099511628211ULL;
				h = (h ^ 0x1f) * 1099511628211ULL;
			}
			h = (h ^ 0x1e) * 1099511628211ULL;
		}
		sqlite3_finalize(s);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	return h;
}

struct who {
	const char *name;
	unsigned role;
	struct client c;
	char csrf[128];
};

static void
sign_in(struct who *w)
{
	struct reply r;
	client_init(&w->c, &S);
	const char *pw = strcmp(w->name, "admin") == 0 ? S.admin_pw : "mat-khau-thu-123";
	assert_int_equal(login(&w->c, w->name, pw), 303);
	get(&w->c, "/", &r);   /* the sign-out form carries the session's token */
	assert_int_equal(csrf_of(&r, w->csrf, sizeof w->csrf), 0);
	reply_free(&r);
}

/* Still signed in with the same session (the sign-out form, same token)? */
static int
still_in(struct who *w)
{
	struct reply r;
	char tok[128];
	get(&w->c, "/", &r);
	int ok = csrf_of(&r, tok, sizeof tok) == 0 && strcmp(tok, w->csrf) == 0;
	reply_free(&r);
	return ok;
}

static void
concrete(const char *pattern, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	for (const char *p = pattern; *p;) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			buf_puts(&b, strncmp(p, "{code}", 6) == 0 ? "1.001193" : "1");   /* id 1: the admin */
			p = end + 1;
		} else {
			buf_putc(&b, *p++);
		}
	}
	snprintf(out, n, "%s", buf_str(&b));
	buf_free(&b);
}

static int
csrf_refusal(const struct reply *r)
{
	return r->status == 403 && (reply_has(r, "csrf_failed") || reply_has(r, "biểu mẫu"));
}

/* The bodies a forger could send; each must get 403.  Fields that would
 * do damage with a good token ride along. */
static int
forge(struct who *w, const char *path, const char *foreign)
{
	const char *fields = "active=0&username=ke.gia.mao&full_name=X&role=admin&password=abcdefghij12"
	                     "&password2=abcdefghij12&status=published&title=X&body=X&day=2031-01-02&kind=off"
	                     "&name=X&year=2031&action=cancel&note=X";
	char own[128];
	snprintf(own, sizeof own, "%s", w->csrf);
	char origin_self[160];
	snprintf(origin_self, sizeof origin_self, "Origin: %s", S.url);
	struct {
		const char *what, *token, *hdr, *query_token;
		int multipart;
	} v[] = {
	    {"no token", NULL, NULL, NULL, 0},
	    {"empty token", "", NULL, NULL, 0},
	    {"wrong token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, NULL, 0},
	    {"another session's token", foreign, NULL, NULL, 0},
	    {"own token cut short", "CUT", NULL, NULL, 0},
	    {"own token lengthened", "LONG", NULL, NULL, 0},
	    {"own token, foreign Origin", own, "Origin: https://ke-gian.example", NULL, 0},
	    {"own token, Origin null", own, "Origin: null", NULL, 0},
	    {"own token, look-alike Origin", own, "Origin: http://127.0.0.1.ke-gian.example", NULL, 0},
	    {"own token in the query string only", NULL, origin_self, own, 0},
	    {"multipart, wrong token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, NULL, 1},
	    {"multipart, no token", NULL, NULL, NULL, 1},
	};
	int sent = 0;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct buf body = BUF_INIT, url = BUF_INIT;
		char tok[160] = "";
		if (v[i].token && strcmp(v[i].token, "CUT") == 0)
			snprintf(tok, sizeof tok, "%.*s", (int)strlen(own) - 1, own);
		else if (v[i].token && strcmp(v[i].token, "LONG") == 0)
			snprintf(tok, sizeof tok, "%sA", own);
		else if (v[i].token)
			snprintf(tok, sizeof tok, "%s", v[i].token);
		buf_puts(&url, path);
		if (v[i].query_token) {
			buf_puts(&url, "?csrf=");
			urlenc(&url, v[i].query_token);
		}
		const char *ctype = "application/x-www-form-urlencoded";
		if (v[i].multipart) {
			ctype = "multipart/form-data; boundary=XyZ";
			if (v[i].token)
				buf_printf(&body, "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", tok);
			buf_puts(&body, "--XyZ\r\nContent-Disposition: form-data; name=\"active\"\r\n\r\n0\r\n--XyZ--\r\n");
		} else {
			buf_puts(&body, fields);
			if (v[i].token) {
				buf_puts(&body, "&csrf=");
				urlenc(&body, tok);
			}
		}
		struct reply r;
		req(&w->c, "POST", buf_str(&url), ctype, buf_str(&body), body.len, v[i].hdr, &r);
		if (!csrf_refusal(&r))
			fail_msg("POST %s as %s with %s: %ld, want 403 csrf_failed\n%.300s", path, w->name, v[i].what,
			         r.status, buf_str(&r.body));
		reply_free(&r);
		buf_free(&body);
		buf_free(&url);
		sent++;
	}
	return sent;
}

static void
test_csrf(void **state)
{
	(void)state;
	struct who people[] = {
	    {"admin", ROLE_ADMIN, {0}, ""},
	    {"thu.leader", ROLE_LEADER, {0}, ""},
	    {"thu.clerk", ROLE_CLERK, {0}, ""},
	    {"thu.officer", ROLE_OFFICER, {0}, ""},
	    {"thu.viewer", ROLE_VIEWER, {0}, ""},
	};
	size_t np = sizeof people / sizeof people[0];
	for (size_t p = 0; p < np; p++)
		sign_in(&people[p]);
	struct who other = {"admin", ROLE_ADMIN, {0}, ""};   /* a second session of the admin */
	sign_in(&other);
	assert_string_not_equal(other.csrf, people[0].csrf);

	/* every form route, by someone the route admits, so only CSRF decides;
	 * sign-out last, or it would end the sessions the others use */
	uint64_t before = db_digest();
	int routes = 0, posts = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < web_nroutes; i++) {
			const struct http_route *rt = &web_routes[i];
			if (!(rt->flags & ROUTE_BODY_FORM) || (rt->roles & ROLE_PUBLIC))
				continue;
			if ((strcmp(rt->pattern, "/dang-xuat") == 0) != pass)
				continue;
			if (rt->flags & ROUTE_NO_CSRF) {
				printf("csrf: %s %s is exempt (ROUTE_NO_CSRF), skipped\n", rt->method, rt->pattern);
				continue;
			}
			if (rt->roles & ROLE_CITIZEN)   /* no staff session opens them: test_citizen.c forges these */
				continue;
			struct who *w = NULL;
			for (size_t p = 0; p < np && !w; p++)
				if (people[p].role & rt->roles)
					w = &people[p];
			assert_non_null(w);
			char path[256];
			concrete(rt->pattern, path, sizeof path);
			posts += forge(w, path, other.csrf);
			routes++;
		}
	}
	/* nothing changed */
	assert_true(db_digest() == before);

	/* the API reads no cookie: a browser session cannot drive it */
	struct reply r;
	req(&people[0].c, "GET", "/api/v1/me", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 401);
	reply_free(&r);
	req(&people[0].c, "DELETE", "/api/v1/session", NULL, NULL, 0, NULL, &r);
	assert_int_equal(r.status, 401);
	reply_free(&r);
	req(&people[2].c, "POST", "/api/v1/dossiers", "application/json", "{}", 2, NULL, &r);
	assert_int_equal(r.status, 401);
	reply_free(&r);
	assert_true(db_digest() == before);
	/* nobody was signed out */
	for (size_t p = 0; p < np; p++)
		if (!still_in(&people[p]))
			fail_msg("%s was signed out by a forged request", people[p].name);

	/* the controls: the same client, token and Origin do work */
	struct buf b = BUF_INIT;
	buf_puts(&b, "username=csrf.doi.chung&full_name=X&role=viewer&password=abcdefghij12"
	             "&password2=abcdefghij12&csrf=");
	urlenc(&b, people[0].csrf);
	char origin[160];
	snprintf(origin, sizeof origin, "Origin: %s", S.url);
	req(&people[0].c, "POST", "/quan-tri/tai-khoan/moi", "application/x-www-form-urlencoded", buf_str(&b),
	    b.len, origin, &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	assert_true(db_digest() != before);
	b.len = 0;
	buf_puts(&b, "csrf=");
	urlenc(&b, people[1].csrf);
	post_form(&people[1].c, "/dang-xuat", buf_str(&b), &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	assert_false(still_in(&people[1]));
	buf_free(&b);

	/* sign-in forms: the token is bound to the browser's pre-session cookie */
	struct client x, y;
	char tx[128], ty[128];
	client_init(&x, &S);
	client_init(&y, &S);
	get(&x, "/dang-nhap", &r);
	assert_int_equal(csrf_of(&r, tx, sizeof tx), 0);
	reply_free(&r);
	get(&y, "/dang-nhap", &r);
	assert_int_equal(csrf_of(&r, ty, sizeof ty), 0);
	reply_free(&r);
	struct {
		const char *what, *token, *hdr;
		struct client *c;
	} li[] = {
	    {"no token", NULL, NULL, &y},
	    {"another browser's token", tx, NULL, &y},
	    {"own token, foreign Origin", ty, "Origin: https://ke-gian.example", &y},
	};
	int logins = 0;
	for (size_t i = 0; i < sizeof li / sizeof li[0]; i++) {
		b.len = 0;
		buf_printf(&b, "username=thu.clerk&password=mat-khau-thu-123&next=%%2F");
		if (li[i].token) {
			buf_puts(&b, "&csrf=");
			urlenc(&b, li[i].token);
		}
		req(li[i].c, "POST", "/dang-nhap", "application/x-www-form-urlencoded", buf_str(&b), b.len,
		    li[i].hdr, &r);
		char cookie[256];
		if (!csrf_refusal(&r))
			fail_msg("sign-in with %s: %ld, want 403", li[i].what, r.status);
		if (reply_header(&r, "Set-Cookie", cookie, sizeof cookie) && strstr(cookie, "motcua_session="))
			fail_msg("sign-in with %s set a session cookie", li[i].what);
		reply_free(&r);
		logins++;
	}
	struct client z;   /* no pre-session cookie at all, a token from elsewhere */
	client_init(&z, &S);
	b.len = 0;
	buf_puts(&b, "username=thu.clerk&password=mat-khau-thu-123&csrf=");
	urlenc(&b, tx);
	post_form(&z, "/dang-nhap", buf_str(&b), &r);
	assert_true(csrf_refusal(&r));
	reply_free(&r);
	logins++;
	get(&y, "/quan-tri/tai-khoan", &r);   /* still anonymous */
	assert_int_equal(r.status, 303);
	reply_free(&r);
	assert_int_equal(login(&y, "thu.clerk", "mat-khau-thu-123"), 303);   /* the control */
	buf_free(&b);
	client_free(&x);
	client_free(&y);
	client_free(&z);
	for (size_t p = 0; p < np; p++)
		client_free(&people[p].c);
	client_free(&other.c);
	printf("csrf: %d form routes × 12 forgeries = %d posts, %d forged sign-ins: all 403, "
	       "nothing stored changed, nobody signed out\n",
	       routes, posts, logins);
}

int
main(void)
{
	/* room for the idle flood, here and in the server (which inherits it) */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slowloris),
		cmocka_unit_test(test_idle_flood),
		cmocka_unit_test(test_big_headers),
		cmocka_unit_test(test_traversal),
		cmocka_unit_test(test_csrf),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
