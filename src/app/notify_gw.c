/*
 * notify_gw.c — the gateways a message leaves through (notify.h):
 *   file   DATA/messages/<id>-<channel>.txt: "To: …", "Subject: …", a blank
 *          line, the body; written to a temporary file, fsync'd and renamed
 *          into place, so a reader sees a whole message or none, and a
 *          repeat of the same message replaces it
 *   SMTP   libcurl (smtp:// with STARTTLS when offered, or smtps://); the
 *          idempotency key is the Message-ID, so a mail system drops a repeat
 *   SMS    an HTTP request to the operator's gateway, its URL and body
 *          filled from {{to}}, {{text}} and {{key}}
 * What counts as permanent: SMTP 5xx, HTTP 4xx but 408 and 429, a refused
 * login; anything else (no connection, timeouts, SMTP 4xx, HTTP 5xx) is
 * tried again.  Error texts never hold credentials or a message's body.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "app/notify.h"
#include "core/buf.h"
#include "core/vntime.h"

#define CONNECT_TIMEOUT 10L
#define TOTAL_TIMEOUT 30L

/* ---- file ------------------------------------------------------------------ */

static enum app_gw_result
via_file(const struct app_notify_config *c, const struct store_outbox_row *r, char *err, size_t errlen)
{
	char path[1200], tmp[1250];
	snprintf(path, sizeof path, "%s/%lld-%s.txt", c->dir, (long long)r->id, r->channel);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	struct buf b = BUF_INIT;
	buf_printf(&b, "To: %s\nSubject: %s\n\n%s\n", r->recipient, r->subject, r->body);
	int fd = b.oom ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	int ok = fd >= 0 && write(fd, b.data, b.len) == (ssize_t)b.len && fsync(fd) == 0;
	int saved = errno;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	sodium_memzero(b.data, b.len);
	buf_free(&b);
	if (ok && rename(tmp, path) == 0) {
		int dfd = open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		return APP_GW_SENT;
	}
	saved = errno ? errno : saved;
	unlink(tmp);
	snprintf(err, errlen, "không ghi được tệp thông báo trong %.300s: %s", c->dir, strerror(saved));
	return APP_GW_RETRY;
}

/* ---- SMTP ------------------------------------------------------------------ */

struct upload {
	const char *data;
	size_t len, off;
};

static size_t
read_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t room = size * nmemb, n = u->len - u->off < room ? u->len - u->off : room;
	memcpy(ptr, u->data + u->off, n);
	u->off += n;
	return n;
}

/* A header's text as an RFC 2047 encoded word (UTF-8, base64). */
static void
encoded_word(struct buf *b, const char *s)
{
	size_t len = strlen(s), cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *out = malloc(cap);
	if (!out) {
		b->oom = 1;
		return;
	}
	sodium_bin2base64(out, cap, (const unsigned char *)s, len, sodium_base64_VARIANT_ORIGINAL);
	buf_printf(b, "=?UTF-8?B?%s?=", out);
	free(out);
}

/* The mail: headers, a blank line, the body with CR LF line ends. */
static void
mail_text(struct buf *b, const struct app_notify_config *c, const char *agency,
          const struct store_outbox_row *r)
{
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_puts(b, "From: ");
	encoded_word(b, agency);
	buf_printf(b, " <%s>\r\nTo: <%s>\r\nSubject: ", c->smtp_from, r->recipient);
	encoded_word(b, r->subject);
	buf_printf(b, "\r\nDate: %s\r\nMessage-ID: <%s@motcua>\r\nX-Motcua-Key: %s\r\n"
	           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	           "Content-Transfer-Encoding: 8bit\r\n\r\n", date, r->key, r->key);
	for (const char *p = r->body; *p; p++) {
		if (*p == '\n')
			buf_putc(b, '\r');
		buf_putc(b, *p);
	}
	buf_puts(b, "\r\n");
}

static enum app_gw_result
via_smtp(const struct app_notify_config *c, const char *agency, const struct store_outbox_row *r,
         char *err, size_t errlen)
{
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(err, errlen, "không khởi tạo được libcurl");
		return APP_GW_RETRY;
	}
	struct buf mail = BUF_INIT;
	mail_text(&mail, c, agency, r);
	char from[340], to[340];
	snprintf(from, sizeof from, "<%s>", c->smtp_from);
	snprintf(to, sizeof to, "<%s>", r->recipient);
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	struct upload u = {buf_str(&mail), mail.len, 0};
	char cerr[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)mail.len);
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, TOTAL_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	if (c->smtp_user[0]) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->smtp_pass);
	}
	CURLcode rc = mail.oom || !rcpt ? CURLE_OUT_OF_MEMORY : curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	sodium_memzero(mail.data, mail.len);
	buf_free(&mail);
	if (rc == CURLE_OK)
		return APP_GW_SENT;
	snprintf(err, errlen, "SMTP: %s%s%.200s (mã %ld)", curl_easy_strerror(rc), cerr[0] ? ": " : "", cerr,
	         code);
	return rc == CURLE_LOGIN_DENIED || (code >= 500 && code < 600) ? APP_GW_FAILED : APP_GW_RETRY;
}

/* ---- SMS over HTTP ------------------------------------------------------------ */

/* s as a JSON string's inside. */
static void
json_inside(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(b, "\\n");
		else if (*p < 0x20)
			buf_printf(b, "\\u%04x", *p);
		else
			buf_putc(b, (char)*p);
	}
}

/* tmpl with {{to}}, {{text}} and {{key}} filled, JSON-escaped or
 * URL-encoded. */
static void
fill(CURL *h, struct buf *b, const char *tmpl, int json, const struct store_outbox_row *r)
{
	const char *names[] = {"{{to}}", "{{text}}", "{{key}}"};
	const char *vals[] = {r->recipient, r->body, r->key};
	for (const char *p = tmpl; *p;) {
		size_t i = 0;
		while (i < 3 && strncmp(p, names[i], strlen(names[i])) != 0)
			i++;
		if (i == 3) {
			buf_putc(b, *p++);
			continue;
		}
		if (json) {
			json_inside(b, vals[i]);
		} else {
			char *e = curl_easy_escape(h, vals[i], 0);
			if (e)
				buf_puts(b, e);
			else
				b->oom = 1;
			curl_free(e);
		}
		p += strlen(names[i]);
	}
}

static size_t
discard_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	(void)ptr;
	(void)arg;
	return size * nmemb;
}

static enum app_gw_result
via_sms(const struct app_notify_config *c, const struct store_outbox_row *r, char *err, size_t errlen)
{
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(err, errlen, "không khởi tạo được libcurl");
		return APP_GW_RETRY;
	}
	struct buf url = BUF_INIT, body = BUF_INIT;
	fill(h, &url, c->sms_url, 0, r);
	int get = strcmp(c->sms_method, "GET") == 0, json = c->sms_body[0] == '{';
	if (!get)
		fill(h, &body, c->sms_body[0] ? c->sms_body : "to={{to}}&text={{text}}&key={{key}}", json, r);
	struct curl_slist *hs = NULL;
	int has_type = 0;
	char line[1024];
	for (const char *p = c->sms_headers; *p;) {
		size_t n = strcspn(p, "\n");
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), p);
		has_type |= strncasecmp(line, "content-type:", 13) == 0;
		hs = curl_slist_append(hs, line);
		p += n + (p[n] == '\n');
	}
	sodium_memzero(line, sizeof line);
	if (!get && !has_type)
		hs = curl_slist_append(hs, json ? "Content-Type: application/json; charset=utf-8"
		                                : "Content-Type: application/x-www-form-urlencoded");
	char cerr[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	if (!get) {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, c->sms_method);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, buf_str(&body));
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, TOTAL_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	CURLcode rc = url.oom || body.oom ? CURLE_OUT_OF_MEMORY : curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(hs);   /* curl_slist_free_all does not wipe: headers are not kept past here */
	curl_easy_cleanup(h);
	sodium_memzero(body.data, body.len);
	sodium_memzero(url.data, url.len);
	buf_free(&url);
	buf_free(&body);
	if (rc == CURLE_OK && code >= 200 && code < 300)
		return APP_GW_SENT;
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "SMS: %s%s%.200s", curl_easy_strerror(rc), cerr[0] ? ": " : "", cerr);
		return APP_GW_RETRY;
	}
	snprintf(err, errlen, "SMS: cổng trả lời HTTP %ld", code);
	return code >= 400 && code < 500 && code != 408 && code != 429 ? APP_GW_FAILED : APP_GW_RETRY;
}

enum app_gw_result
app_notify_deliver(const struct app_notify_config *c, const char *agency, const struct store_outbox_row *r,
                   char *err, size_t errlen)
{
	err[0] = '\0';
	if (strcmp(r->channel, "email") == 0 && c->smtp_url[0])
		return via_smtp(c, agency, r, err, errlen);
	if (strcmp(r->channel, "sms") == 0 && c->sms_url[0])
		return via_sms(c, r, err, errlen);
	return via_file(c, r, err, errlen);
}
