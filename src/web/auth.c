/*
 * auth.c — sessions, CSRF, login throttling and the role check.
 *
 * Sessions: a 256-bit random token in cookie motcua_session (HttpOnly,
 * SameSite=Lax, Secure behind TLS) or as "Authorization: Bearer" for the
 * API; the database keeps only its SHA-256.  Idle and absolute expiry.
 *
 * CSRF: every form carries token = HMAC-SHA256(server secret, binding),
 * where the binding is the session's token hash, or for anonymous forms
 * (the login page) a random pre-session cookie.  Nothing to store, and a
 * token from one session is useless in another.
 *
 * Sign-in and its throttling are in signin.c.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/citizen.h"
#include "core/roles.h"
#include "web/web.h"

#define COOKIE_SESSION "motcua_session"
#define COOKIE_PRE "motcua_pre"

/* ---- passwords ------------------------------------------------------ */

enum err
web_hash_password(const char *password, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return ERR_INTERNAL;
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return ERR_NOMEM;
	return ERR_OK;
}

int
web_verify_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

enum err
web_password_ok(const char *password)
{
	size_t chars = 0, len = strlen(password);
	for (const unsigned char *p = (const unsigned char *)password; *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	return chars >= 10 && len <= 1024 ? ERR_OK : ERR_WEAK_PASSWORD;
}

enum err
web_username_ok(const char *u)
{
	size_t n = strlen(u);
	if (n < 3 || n > 32)
		return ERR_BAD_USERNAME;
	for (size_t i = 0; i < n; i++) {
		char c = u[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		         (i > 0 && (c == '.' || c == '_' || c == '-'));
		if (!ok)
			return ERR_BAD_USERNAME;
	}
	return ERR_OK;
}

/* ---- tokens and sessions ------------------------------------------- */

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

static void
token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

static void
b64url(const unsigned char *bin, size_t n, char *out, size_t outlen)
{
	sodium_bin2base64(out, outlen, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

struct web_user *
web_user(const struct http_req *req)
{
	return req->user;
}

void
web_actor(const struct http_req *req, char *out, size_t n)
{
	struct web_user *wu = req->user;
	if (wu)
		snprintf(out, n, "user:%s", wu->u.username);
	else
		snprintf(out, n, "anonymous");
}

static void
csrf_for(struct web_app *app, const unsigned char *binding, size_t blen, char *out, size_t n)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state h;
	crypto_auth_hmacsha256_init(&h, app->agency.secret, sizeof app->agency.secret);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)"csrf:", 5);
	crypto_auth_hmacsha256_update(&h, binding, blen);
	crypto_auth_hmacsha256_final(&h, mac);
	b64url(mac, sizeof mac, out, n);
}

/* Anonymous binding: the pre-session cookie (created when missing). */
static const char *
pre_cookie(struct http_req *req, struct http_resp *resp, char *buf, size_t n, int create)
{
	struct web_app *app = req->app;
	if (http_cookie(req, COOKIE_PRE, buf, n) && strlen(buf) >= 20)
		return buf;
	if (!create || !resp)
		return NULL;
	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof rnd);
	b64url(rnd, sizeof rnd, buf, n);
	char cookie[160];
	snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", COOKIE_PRE, buf,
	         app->secure_cookies ? "; Secure" : "");
	http_resp_header(resp, "Set-Cookie", cookie);
	return buf;
}

const char *
web_csrf(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct web_user *wu = req->user;
	if (wu)
		return wu->csrf;
	char pre[64];
	if (!pre_cookie(req, resp, pre, sizeof pre, 1))
		return "";
	if (!req->ctx) {
		char *tok = calloc(1, 64);
		if (!tok)
			return "";
		csrf_for(app, (const unsigned char *)pre, strlen(pre), tok, 64);
		req->ctx = tok;
		req->ctx_free = free;
	}
	return req->ctx;
}

static enum err
csrf_verify(struct http_req *req)
{
	struct web_app *app = req->app;
	const char *sent = form_get(&req->form, "csrf");
	char expect[64];
	if (!sent)
		return ERR_CSRF;
	struct web_user *wu = req->user;
	if (wu) {
		snprintf(expect, sizeof expect, "%s", wu->csrf);
	} else {
		char pre[64];
		if (!pre_cookie(req, NULL, pre, sizeof pre, 0))
			return ERR_CSRF;
		csrf_for(app, (const unsigned char *)pre, strlen(pre), expect, sizeof expect);
	}
	size_t n = strlen(expect);
	if (strlen(sent) != n || sodium_memcmp(sent, expect, n) != 0)
		return ERR_CSRF;
	return ERR_OK;
}

enum err
web_session_start(struct http_req *req, const struct store_user *u, const char *channel,
                  char *token, size_t tlen, int64_t *expires_at)
{
	struct web_app *app = req->app;
	unsigned char rnd[32], h[32];
	randombytes_buf(rnd, sizeof rnd);
	b64url(rnd, sizeof rnd, token, tlen);
	token_hash(token, h);
	int64_t now = now_s();
	struct store_session s = {u->id, now, now, now + app->idle_timeout, now + app->session_max};
	char actor[96];
	snprintf(actor, sizeof actor, "user:%s", u->username);
	enum err e = store_session_create(app->st, h, &s, req->client, actor, channel);
	if (!e && expires_at)
		*expires_at = s.expires_at;
	return e;
}

/* Finds the session of this request, if any, and fills req->user. */
static void
load_session(struct http_req *req)
{
	struct web_app *app = req->app;
	char token[128];
	const char *tok = NULL;
	int api = 0;
	if (req->is_api) {
		const char *h = http_header(req, "Authorization");
		if (h && strncmp(h, "Bearer ", 7) == 0) {
			snprintf(token, sizeof token, "%s", h + 7);
			tok = token;
			api = 1;
		}
	} else {
		tok = http_cookie(req, COOKIE_SESSION, token, sizeof token);
	}
	if (!tok || strlen(tok) < 40 || strlen(tok) > 64)
		return;
	struct web_user *wu = calloc(1, sizeof *wu);
	if (!wu)
		return;
	token_hash(tok, wu->token_hash);
	struct store_session s;
	if (store_session_get(app->st, wu->token_hash, now_s(), app->idle_timeout, &s, &wu->u) != ERR_OK) {
		free(wu);
		return;
	}
	wu->role = role_from_name(wu->u.role);
	wu->api = api;
	csrf_for(app, wu->token_hash, sizeof wu->token_hash, wu->csrf, sizeof wu->csrf);
	req->user = wu;
}

/* Same-origin check for browser form posts: if the browser says where the
 * request comes from, it must be this host. */
static int
origin_ok(struct http_req *req)
{
	const char *origin = http_header(req, "Origin");
	const char *host = http_header(req, "Host");
	if (!origin || strcmp(origin, "null") == 0)
		return origin == NULL;
	if (!host)
		return 0;
	const char *p = strstr(origin, "://");
	return p && strcmp(p + 3, host) == 0;
}

/* The login page with ?next=PATH (only safe path characters kept). */
static void
redirect_to(struct http_req *req, struct http_resp *resp, const char *page)
{
	struct buf loc = BUF_INIT;
	buf_puts(&loc, page);
	for (const char *p = req->path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '_' || c == '.')
			buf_putc(&loc, (char)c);
		else
			buf_printf(&loc, "%%%02X", c);
	}
	http_redirect(resp, buf_str(&loc));
	buf_free(&loc);
	resp->done = 1;
}

/* "Authorization: Bearer TOKEN" with the --metrics-token-file token,
 * compared in constant time. */
static int
metrics_token_ok(const struct http_req *req)
{
	const struct web_app *app = req->app;
	const char *h = http_header(req, "Authorization");
	size_t n = strlen(app->metrics_token);
	if (!n || !h || strncmp(h, "Bearer ", 7) != 0 || strlen(h + 7) != n)
		return 0;
	return sodium_memcmp(h + 7, app->metrics_token, n) == 0;
}

/* Runs when the headers are in, before any body byte is read: the
 * session and the route's roles.  Nobody reaches a body limit above
 * HTTP_ANON_MAX_BODY without a session. */
enum err
web_authorize(struct http_req *req, struct http_resp *resp)
{
	load_session(req);
	if (req->user && !req->ctx) {
		/* The request owns the allocation; free it with the request. */
		req->ctx = req->user;
		req->ctx_free = free;
	}
	const struct http_route *rt = req->route;
	if (rt->roles & ROLE_PUBLIC)
		return ERR_OK;
	if (rt->roles & ROLE_CITIZEN) {
		/* citizen pages: the citizen session only, never a staff one */
		struct actor ac;
		if (web_citizen(req, &ac, NULL, 0) == ERR_OK) {
			req->authenticated = 1;
			return ERR_OK;
		}
		if (req->is_api)
			return ERR_UNAUTHENTICATED;
		redirect_to(req, resp, "/cong-dan/dang-nhap?next=");
		return ERR_OK;
	}
	if ((rt->flags & ROUTE_METRICS_TOKEN) && metrics_token_ok(req))
		return ERR_OK;
	struct web_user *wu = req->user;
	if (!wu) {
		if (req->is_api)
			return ERR_UNAUTHENTICATED;
		redirect_to(req, resp, "/dang-nhap?next=");
		return ERR_OK;
	}
	return wu->role & rt->roles ? ERR_OK : ERR_FORBIDDEN;
}

/* Runs after the body is read: CSRF and Origin on every form route. */
enum err
web_before(struct http_req *req, struct http_resp *resp)
{
	(void)resp;
	const struct http_route *rt = req->route;
	if ((rt->flags & ROUTE_BODY_FORM) && !(rt->flags & ROUTE_NO_CSRF)) {
		if (!origin_ok(req) || csrf_verify(req) != ERR_OK)
			return ERR_CSRF;
	}
	return ERR_OK;
}

/* ---- citizens (issue #13) --------------------------------------------- */

/* The citizen session: its own cookie, never the staff one's. */
#define COOKIE_CITIZEN "motcua_citizen"

enum err
web_citizen(struct http_req *req, struct actor *ac, char *contact, size_t n)
{
	struct web_app *app = req->app;
	char token[128];
	if (!http_cookie(req, COOKIE_CITIZEN, token, sizeof token))
		return ERR_NOT_FOUND;
	return app_citizen_session(&app->core, token, ac, contact, n);
}

void
web_citizen_cookie(struct http_req *req, struct http_resp *resp, const char *token)
{
	struct web_app *app = req->app;
	char cookie[200];
	if (token)
		snprintf(cookie, sizeof cookie, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s", COOKIE_CITIZEN,
		         token, APP_CITIZEN_SESSION, app->secure_cookies ? "; Secure" : "");
	else
		snprintf(cookie, sizeof cookie, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s", COOKIE_CITIZEN,
		         app->secure_cookies ? "; Secure" : "");
	http_resp_header(resp, "Set-Cookie", cookie);
}

const char *
web_citizen_token(struct http_req *req, char *out, size_t n)
{
	return http_cookie(req, COOKIE_CITIZEN, out, n);
}

/* ---- the application ------------------------------------------------ */

#include "view/tmpl.h"
#include "app/calendar.h"
#include "web/pagecache.h"

int
web_app_init(struct web_app *app, struct store *st, char *err, size_t errlen)
{
	memset(app, 0, sizeof *app);
	app->st = st;
	if (store_agency_get(st, &app->agency) != ERR_OK) {
		snprintf(err, errlen, "dữ liệu cơ quan chưa được khởi tạo");
		return -1;
	}
	if (tmpl_set_load_embedded(&app->tmpl, err, errlen) != 0)
		return -1;
	app->throttle = web_throttle_new();
	if (!app->throttle) {
		snprintf(err, errlen, "hết bộ nhớ");
		return -1;
	}
	if (app_init(&app->core, st, err, errlen) != 0)
		return -1;
	app->pages = pagecache_new(PAGECACHE_BYTES, PAGECACHE_TTL);
	if (!app->pages) {
		snprintf(err, errlen, "hết bộ nhớ");
		return -1;
	}
	app->idle_timeout = 2 * 3600;
	app->session_max = 12 * 3600;
	unsigned char rnd[24];
	char pw[64];
	randombytes_buf(rnd, sizeof rnd);
	b64url(rnd, sizeof rnd, pw, sizeof pw);
	if (web_hash_password(pw, app->dummy_hash, sizeof app->dummy_hash) != ERR_OK) {
		snprintf(err, errlen, "không khởi tạo được bộ băm mật khẩu");
		return -1;
	}
	return 0;
}

void
web_app_free(struct web_app *app)
{
	app_free(&app->core);
	if (app->tmpl)
		tmpl_set_free(app->tmpl);
	web_throttle_free(app->throttle);
	pagecache_free(app->pages);
	sodium_memzero(app->agency.secret, sizeof app->agency.secret);
}
