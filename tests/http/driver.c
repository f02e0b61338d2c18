/* driver.c — see driver.h. */
#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "driver.h"

const char *
motcua_bin(void)
{
	const char *b = getenv("MOTCUA_BIN");
	return b && *b ? b : "build/rel/motcua";
}

const char *const *srv_extra_args;

int
srv_start(struct srv *s, const char *dir)
{
	memset(s, 0, sizeof *s);
	if (dir) {
		snprintf(s->dir, sizeof s->dir, "%s", dir);
	} else {
		snprintf(s->dir, sizeof s->dir, "/tmp/motcua-test-XXXXXX");
		if (!mkdtemp(s->dir))
			return -1;
	}
	snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
	int out[2];
	if (pipe(out) != 0)
		return -1;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* a test that fails before srv_stop must not leave its server
		 * running: it dies with the test (tests start servers from the
		 * main thread) */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		dup2(out[1], 1);
		int fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0)
			dup2(fd, 2);
		close(out[0]);
		close(out[1]);
		/* the child's own copies: execv wants char *const[] */
		char *argv[40] = {strdup("motcua"), strdup("serve"), strdup("--data"), strdup(s->dir),
		                  strdup("--listen"), strdup("127.0.0.1:0")};
		size_t k = 6;
		int own_backup = 0;
		for (size_t i = 0; srv_extra_args && srv_extra_args[i] && k < 35; i++) {
			own_backup |= strcmp(srv_extra_args[i], "--backup-at") == 0;
			argv[k++] = strdup(srv_extra_args[i]);
		}
		/* no nightly backup in the middle of a test unless it asks */
		if (!own_backup) {
			argv[k++] = strdup("--backup-at");
			argv[k++] = strdup("off");
		}
		argv[k] = NULL;
		execv(motcua_bin(), argv);
		_exit(127);
	}
	close(out[1]);
	s->pid = pid;
	FILE *f = fdopen(out[0], "r");
	char line[512];
	if (!f || !fgets(line, sizeof line, f)) {
		if (f)
			fclose(f);
		return -1;
	}
	line[strcspn(line, "\r\n")] = '\0';
	size_t n = strlen(line);
	if (n && line[n - 1] == '/')
		line[n - 1] = '\0';
	snprintf(s->url, sizeof s->url, "%.*s", (int)(sizeof s->url - 1), line);
	if (!dir) {
		/* A fresh folder prints the admin password once. */
		while (fgets(line, sizeof line, f)) {
			char *p = strstr(line, "): ");
			if (strstr(line, "Mật khẩu") && p) {
				p += 3;
				p[strcspn(p, "\r\n")] = '\0';
				snprintf(s->admin_pw, sizeof s->admin_pw, "%.*s", (int)(sizeof s->admin_pw - 1), p);
				break;
			}
		}
	}
	fclose(f);
	return strncmp(s->url, "http://", 7) == 0 ? 0 : -1;
}

int
srv_stop(struct srv *s, int sig)
{
	if (s->pid <= 0)
		return -1;
	kill(s->pid, sig);
	int st = 0;
	while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
	/* a server that did not stop cleanly (a sanitizer's report, a crash):
	 * its log into the test's output, where check.sh's log keeps it */
	if ((WIFEXITED(st) && WEXITSTATUS(st) != 0) || (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL)) {
		FILE *f = s->log[0] ? fopen(s->log, "r") : NULL;
		if (f) {
			char line[512];
			fprintf(stdout, "---- server.log (%s) ----\n", s->log);
			while (fgets(line, sizeof line, f))
				fputs(line, stdout);
			fprintf(stdout, "---- end of server.log ----\n");
			fclose(f);
		}
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

void
srv_cleanup(struct srv *s)
{
	if (s->pid > 0)
		srv_stop(s, SIGKILL);
	if (!s->dir[0] || strncmp(s->dir, "/tmp/motcua-test-", 17) != 0)
		return;
	if (getenv("MOTCUA_KEEP_DATA")) { /* for debugging: keep data and server.log */
		fprintf(stderr, "kept %s\n", s->dir);
		return;
	}
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", s->dir);
}

void
client_init(struct client *c, struct srv *s)
{
	c->h = curl_easy_init();
	c->srv = s;
	curl_easy_setopt(c->h, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
}

void
client_free(struct client *c)
{
	curl_easy_cleanup(c->h);
}

static size_t
sink(char *p, size_t size, size_t n, void *arg)
{
	buf_append(arg, p, size * n);
	return size * n;
}

int
req(struct client *c, const char *method, const char *path, const char *ctype, const char *body,
    size_t len, const char *hdr, struct reply *r)
{
	memset(r, 0, sizeof *r);
	struct buf url = BUF_INIT;
	buf_printf(&url, "%s%s", c->srv->url, path);
	CURL *h = c->h;
	/* Forget the last request's body and method (the cookie jar stays). */
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &r->headers);
	struct curl_slist *hl = NULL;
	char ct[256];
	if (ctype) {
		snprintf(ct, sizeof ct, "Content-Type: %s", ctype);
		hl = curl_slist_append(hl, ct);
	}
	/* hdr: one header, or several separated by '\n' */
	for (const char *hp = hdr; hp && *hp;) {
		size_t n = strcspn(hp, "\n");
		char *one = strndup(hp, n);   /* whole: tests send 20 KiB headers */
		if (one)
			hl = curl_slist_append(hl, one);
		free(one);
		hp += n + (hp[n] == '\n');
	}
	hl = curl_slist_append(hl, "Expect:");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	CURLcode rc = curl_easy_perform(h);
	r->curl_rc = (int)rc;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hl);
	buf_free(&url);
	if (rc != CURLE_OK) {
		fprintf(stderr, "curl %s %s: %s\n", method, path, curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

int
get(struct client *c, const char *path, struct reply *r)
{
	return req(c, "GET", path, NULL, NULL, 0, NULL, r);
}

int
post_form(struct client *c, const char *path, const char *body, struct reply *r)
{
	return req(c, "POST", path, "application/x-www-form-urlencoded", body, strlen(body), NULL, r);
}

/* The CSRF token of page as c sees it. */
static void
page_csrf(struct client *c, const char *page, char *csrf, size_t n)
{
	struct reply p;
	get(c, page, &p);
	csrf_of(&p, csrf, n);
	reply_free(&p);
}

long
submit_form(struct client *c, const char *page, const char *path, const char *fields, struct reply *r)
{
	char csrf[128] = "";
	page_csrf(c, page, csrf, sizeof csrf);
	struct buf body = BUF_INIT;
	buf_puts(&body, "csrf=");
	urlenc(&body, csrf);
	buf_puts(&body, "&");
	buf_puts(&body, fields);
	post_form(c, path, buf_str(&body), r);
	buf_free(&body);
	return r->status;
}

long
submit_multipart(struct client *c, const char *page, const char *path, const char *fields,
                 const char *file_field, const char *fname, const void *data, size_t len, struct reply *out)
{
	char csrf[128] = "";
	struct reply r;
	page_csrf(c, page, csrf, sizeof csrf);
	struct buf b = BUF_INIT;
	buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", csrf);
	char f[600];
	snprintf(f, sizeof f, "%s", fields ? fields : "");
	for (char *save = NULL, *t = strtok_r(f, "&", &save); t; t = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(t, '=');
		if (!eq)
			continue;
		*eq = 0;
		buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", t, eq + 1);
	}
	if (data) {
		buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
		               "Content-Type: application/pdf\r\n\r\n", file_field, fname);
		buf_append(&b, data, len);
		buf_puts(&b, "\r\n");
	}
	buf_puts(&b, "--XyZ--\r\n");
	req(c, "POST", path, "multipart/form-data; boundary=XyZ", buf_str(&b), b.len, NULL, &r);
	buf_free(&b);
	long st = r.status;
	if (out)
		*out = r;
	else
		reply_free(&r);
	return st;
}

void
reply_free(struct reply *r)
{
	buf_free(&r->body);
	buf_free(&r->headers);
}

const char *
reply_header(const struct reply *r, const char *name, char *out, size_t n)
{
	const char *p = buf_str(&r->headers);
	size_t nl = strlen(name);
	while (*p) {
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			snprintf(out, n, "%.*s", (int)len, v);
			return out;
		}
		const char *nl2 = strchr(p, '\n');
		if (!nl2)
			break;
		p = nl2 + 1;
	}
	return NULL;
}

int
csrf_of(const struct reply *r, char *out, size_t n)
{
	const char *p = strstr(buf_str(&r->body), "name=\"csrf\"");
	if (!p)
		return -1;
	const char *v = strstr(p, "value=\"");
	if (!v)
		return -1;
	v += 7;
	size_t len = strcspn(v, "\"");
	snprintf(out, n, "%.*s", (int)len, v);
	return 0;
}

void
urlenc(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.')
			buf_putc(out, (char)c);
		else
			buf_printf(out, "%%%02X", c);
	}
}

long
login(struct client *c, const char *user, const char *pw)
{
	struct reply r;
	char csrf[128];
	if (get(c, "/dang-nhap", &r) != 0 || csrf_of(&r, csrf, sizeof csrf) != 0) {
		reply_free(&r);
		return -1;
	}
	reply_free(&r);
	struct buf body = BUF_INIT;
	buf_puts(&body, "csrf=");
	urlenc(&body, csrf);
	buf_puts(&body, "&username=");
	urlenc(&body, user);
	buf_puts(&body, "&password=");
	urlenc(&body, pw);
	buf_puts(&body, "&next=%2F");
	post_form(c, "/dang-nhap", buf_str(&body), &r);
	long st = r.status;
	reply_free(&r);
	buf_free(&body);
	return st;
}

int
run_cli(const char *stdin_data, struct buf *out, ...)
{
	char *argv[32];
	int argc = 0;
	argv[argc++] = (char *)(uintptr_t)"motcua";
	va_list ap;
	va_start(ap, out);
	const char *a;
	while ((a = va_arg(ap, const char *)) != NULL && argc < 31)
		argv[argc++] = (char *)(uintptr_t)a;
	va_end(ap);
	argv[argc] = NULL;
	int in[2], o[2];
	if (pipe(in) != 0 || pipe(o) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(o[1], 1);
		dup2(o[1], 2);
		close(in[1]);
		close(o[0]);
		execv(motcua_bin(), argv);
		_exit(127);
	}
	close(in[0]);
	close(o[1]);
	if (stdin_data && write(in[1], stdin_data, strlen(stdin_data)) < 0)
		perror("write");
	close(in[1]);
	char chunk[4096];
	ssize_t k;
	while ((k = read(o[0], chunk, sizeof chunk)) > 0)
		if (out)
			buf_append(out, chunk, (size_t)k);
	close(o[0]);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int
group_start(struct srv *s)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return srv_start(s, NULL);
}

int
group_stop(struct srv *s)
{
	int rc = srv_stop(s, SIGTERM);
	srv_cleanup(s);
	curl_global_cleanup();
	return rc == 0 ? 0 : -1;
}

long
fetch_from(struct srv *s, const char *path, struct reply *r)
{
	struct client c;
	client_init(&c, s);
	get(&c, path, r);
	client_free(&c);
	return r->status;
}

int
reply_has(const struct reply *r, const char *text)
{
	return strstr(buf_str(&r->body), text) != NULL;
}

int
add_user(struct srv *s, const char *username, const char *role, const char *full_name, const char *password)
{
	char in[256];
	snprintf(in, sizeof in, "%s\n", password);
	if (full_name)
		return run_cli(in, NULL, "user", "add", "--data", s->dir, "--username", username, "--role", role,
		               "--full-name", full_name, "--password-stdin", NULL);
	return run_cli(in, NULL, "user", "add", "--data", s->dir, "--username", username, "--role", role,
	               "--password-stdin", NULL);
}

long
bearer_for(struct srv *s, const char *user, const char *pw, char *hdr, size_t n)
{
	struct client c;
	struct reply r;
	client_init(&c, s);
	struct buf body = BUF_INIT;
	buf_puts(&body, "{\"username\":\"");
	buf_puts(&body, user);
	buf_puts(&body, "\",\"password\":\"");
	buf_puts(&body, pw);
	buf_puts(&body, "\"}");
	req(&c, "POST", "/api/v1/session", "application/json", buf_str(&body), body.len, NULL, &r);
	const char *t = strstr(buf_str(&r.body), "\"token\":\"");
	snprintf(hdr, n, "Authorization: Bearer %.*s", t ? (int)strcspn(t + 9, "\"") : 0, t ? t + 9 : "");
	long st = r.status;
	reply_free(&r);
	buf_free(&body);
	client_free(&c);
	return st;
}

long
user_id_of(struct srv *s, const char *username)
{
	struct buf out = BUF_INIT;
	run_cli(NULL, &out, "user", "list", "--data", s->dir, NULL);
	char key[100];
	snprintf(key, sizeof key, "\t%s\t", username);
	const char *p = strstr(buf_str(&out), key);
	while (p && p > buf_str(&out) && p[-1] != '\n')
		p--;
	long id = p ? atol(p) : 0;
	buf_free(&out);
	return id;
}

long
raw_request(struct srv *s, const char *data, size_t len, struct buf *out)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	const char *colon = strrchr(s->url, ':');
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	struct timeval tv = {10, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	for (size_t off = 0; off < len;) {
		ssize_t k = send(fd, data + off, len - off, MSG_NOSIGNAL);
		if (k <= 0)
			break;   /* the server stopped reading: its answer is still to be read */
		off += (size_t)k;
	}
	struct buf in = BUF_INIT;
	char chunk[8192];
	ssize_t k;
	while ((k = recv(fd, chunk, sizeof chunk, 0)) > 0)
		buf_append(&in, chunk, (size_t)k);
	close(fd);
	long st = strncmp(buf_str(&in), "HTTP/1.", 7) == 0 ? atol(buf_str(&in) + 9) : 0;
	if (out)
		*out = in;
	else
		buf_free(&in);
	return st;
}

long
srv_rss_kib(struct srv *s)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)s->pid);
	FILE *f = fopen(path, "r");
	long kib = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kib = atol(line + 6);
	fclose(f);
	return kib;
}

double
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
srv_sql(struct srv *s, const char *sql)
{
	char path[600];
	snprintf(path, sizeof path, "%s/motcua.db", s->dir);
	sqlite3 *db;
	int rc = sqlite3_open(path, &db) == SQLITE_OK ? 0 : -1;
	sqlite3_busy_timeout(db, 5000);
	if (rc == 0 && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		rc = -1;
	if (rc)
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
	return rc;
}
