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
 * Throttling: failures are counted per username and per client address
 * in a fixed-size table; past a free allowance each failure doubles the
 * wait (1 s, 2 s, 4 s … up to 15 min) during which attempts are refused
 * with 429 before any password is checked.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* ---- throttling ---------------------------------------------------- */

#define THR_SLOTS 4096
#define THR_FREE_USER 5     /* failures before delays start, per username */
#define THR_FREE_CLIENT 20  /* per client address (offices share one NAT) */
#define THR_MAX_WAIT 900

struct thr_slot {
	uint64_t key;
	int failures;
	int64_t blocked_until;
	int64_t last;
};

struct throttle {
	pthread_mutex_t lock;
	unsigned char salt[crypto_shorthash_KEYBYTES];
	struct thr_slot slots[THR_SLOTS];
};

static uint64_t
thr_key(struct throttle *t, char kind, const char *s)
{
	unsigned char out[crypto_shorthash_BYTES];
	size_t n = strlen(s);
	unsigned char *tmp = malloc(n + 1);
	if (!tmp)
		return 0;
	tmp[0] = (unsigned char)kind;
	memcpy(tmp + 1, s, n);
	crypto_shorthash(out, tmp, n + 1, t->salt);
	free(tmp);
	uint64_t k;
	memcpy(&k, out, sizeof k);
	return k ? k : 1;
}

/* The slot for key; an old or empty one is taken over when not found. */
static struct thr_slot *
thr_slot(struct throttle *t, uint64_t key, int create, int64_t now)
{
	size_t i0 = (size_t)(key % THR_SLOTS);
	struct thr_slot *victim = NULL;
	for (size_t k = 0; k < 8; k++) {
		struct thr_slot *s = &t->slots[(i0 + k) % THR_SLOTS];
		if (s->key == key)
			return s;
		if (!victim || s->key == 0 || s->last < victim->last)
			victim = s;
	}
	if (!create)
		return NULL;
	/* Forget entries idle for a day; otherwise the least recent one. */
	(void)now;
	memset(victim, 0, sizeof *victim);
	victim->key = key;
	return victim;
}

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

enum err
web_throttle_check(struct web_app *app, const char *username, const char *client, int *wait)
{
	struct throttle *t = app->throttle;
	int64_t now = now_s(), until = 0;
	uint64_t keys[2] = {thr_key(t, 'u', username), thr_key(t, 'c', client)};
	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < 2; i++) {
		struct thr_slot *s = thr_slot(t, keys[i], 0, now);
		if (s && s->blocked_until > until)
			until = s->blocked_until;
	}
	pthread_mutex_unlock(&t->lock);
	if (until > now) {
		*wait = (int)(until - now);
		return ERR_THROTTLED;
	}
	*wait = 0;
	return ERR_OK;
}

void
web_throttle_fail(struct web_app *app, const char *username, const char *client)
{
	struct throttle *t = app->throttle;
	int64_t now = now_s();
	uint64_t keys[2] = {thr_key(t, 'u', username), thr_key(t, 'c', client)};
	int allowance[2] = {THR_FREE_USER, THR_FREE_CLIENT};
	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < 2; i++) {
		struct thr_slot *s = thr_slot(t, keys[i], 1, now);
		if (now - s->last > 86400)
			s->failures = 0;
		s->failures++;
		s->last = now;
		int over = s->failures - allowance[i];
		if (over > 0) {
			int64_t wait = over > 10 ? THR_MAX_WAIT : (int64_t)1 << (over - 1);
			if (wait > THR_MAX_WAIT)
				wait = THR_MAX_WAIT;
			s->blocked_until = now + wait;
		}
	}
	pthread_mutex_unlock(&t->lock);
}

void
web_throttle_ok(struct web_app *app, const char *username, const char *client)
{
	struct throttle *t = app->throttle;
	uint64_t ku = thr_key(t, 'u', username);
	uint64_t kc = thr_key(t, 'c', client);
	pthread_mutex_lock(&t->lock);
	struct thr_slot *s = thr_slot(t, ku, 0, 0);
	if (s)
		memset(s, 0, sizeof *s);
	s = thr_slot(t, kc, 0, 0);
	if (s && s->failures > 0)
		s->failures--;
	pthread_mutex_unlock(&t->lock);
}

static struct throttle *
throttle_new(void)
{
	struct throttle *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	pthread_mutex_init(&t->lock, NULL);
	crypto_shorthash_keygen(t->salt);
	return t;
}

/* ---- tokens and sessions ------------------------------------------- */

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
redirect_to_login(struct http_req *req, struct http_resp *resp)
{
	struct buf loc = BUF_INIT;
	buf_puts(&loc, "/dang-nhap?next=");
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
	struct web_user *wu = req->user;
	if (!wu) {
		if (req->is_api)
			return ERR_UNAUTHENTICATED;
		redirect_to_login(req, resp);
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

/* ---- the application ------------------------------------------------ */

#include "view/tmpl.h"
#include "app/calendar.h"

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
	app->throttle = throttle_new();
	if (!app->throttle) {
		snprintf(err, errlen, "hết bộ nhớ");
		return -1;
	}
	if (app_init(&app->core, st, err, errlen) != 0)
		return -1;
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
	if (app->throttle) {
		pthread_mutex_destroy(&app->throttle->lock);
		free(app->throttle);
	}
	sodium_memzero(app->agency.secret, sizeof app->agency.secret);
}
