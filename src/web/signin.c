/*
 * signin.c — the one sign-in check (login page and API alike), its
 * throttling and the signed device cookie.
 *
 * Throttling (OWASP ASVS 2.2.1: no lockout that others can cause).
 * Failures are counted in a fixed-size table under three keys:
 *   (account, client)  5 free — the guesser at one account from one place;
 *   client            20 free — one place spraying many accounts (an
 *                              office shares one address behind NAT);
 *   account           10 free — guesses at one account from many places.
 * Past its allowance each key's wait doubles with every failure (1 s …
 * 15 min), during which sign-ins it covers get 429 before any password is
 * checked.  A success erases nothing, so guesses between two of the
 * owner's sign-ins still add up.  The account key is what strangers can
 * drive up, so it does not hold back a device that has signed in to that
 * account before: such a device carries motcua_device, an HMAC (the
 * agency secret, label "device:") of the account id and the issue time,
 * good for 180 days.  The (account, client) and client keys still apply
 * to it.  Counters live in memory: a restart forgets them.
 *
 * An unknown account, a wrong password and a disabled account answer the
 * same ERR_BAD_CREDENTIALS after the same Argon2id verification (against
 * a dummy hash when there is no account), so neither the reply nor its
 * timing tells them apart.
 */
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "web/web.h"

#define THR_SLOTS 4096
#define THR_MAX_WAIT 900
#define DEVICE_COOKIE "motcua_device"
#define DEVICE_DAYS 180

enum thr_kind { THR_PAIR, THR_CLIENT, THR_ACCOUNT, THR_KINDS };
static const int thr_free[THR_KINDS] = {5, 20, 10};

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

struct throttle *
web_throttle_new(void)
{
	struct throttle *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	pthread_mutex_init(&t->lock, NULL);
	crypto_shorthash_keygen(t->salt);
	return t;
}

void
web_throttle_free(struct throttle *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static uint64_t
thr_key(const struct throttle *t, enum thr_kind kind, const char *username, const char *client)
{
	unsigned char out[crypto_shorthash_BYTES];
	struct buf b = BUF_INIT;
	buf_printf(&b, "%d\n%s\n%s", (int)kind, kind == THR_CLIENT ? "" : username,
	           kind == THR_ACCOUNT ? "" : client);
	if (b.oom) {
		buf_free(&b);
		return 1;
	}
	crypto_shorthash(out, (const unsigned char *)b.data, b.len, t->salt);
	buf_free(&b);
	uint64_t k;
	memcpy(&k, out, sizeof k);
	return k ? k : 1;
}

/* The slot for key; an empty or the least recent one is taken over when
 * create is set and the key is not found. */
static struct thr_slot *
thr_slot(struct throttle *t, uint64_t key, int create)
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
	memset(victim, 0, sizeof *victim);
	victim->key = key;
	return victim;
}

/* Seconds to wait before this sign-in may be tried (0: go ahead). */
static int
throttle_wait(struct throttle *t, const char *username, const char *client, int trusted)
{
	int64_t now = (int64_t)time(NULL), until = 0;
	uint64_t keys[THR_KINDS];
	for (int i = 0; i < THR_KINDS; i++)
		keys[i] = thr_key(t, (enum thr_kind)i, username, client);
	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < THR_KINDS; i++) {
		if (i == THR_ACCOUNT && trusted)
			continue;
		struct thr_slot *s = thr_slot(t, keys[i], 0);
		if (s && s->blocked_until > until)
			until = s->blocked_until;
	}
	pthread_mutex_unlock(&t->lock);
	return until > now ? (int)(until - now) : 0;
}

static void
throttle_fail(struct throttle *t, const char *username, const char *client)
{
	int64_t now = (int64_t)time(NULL);
	uint64_t keys[THR_KINDS];
	for (int i = 0; i < THR_KINDS; i++)
		keys[i] = thr_key(t, (enum thr_kind)i, username, client);
	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < THR_KINDS; i++) {
		struct thr_slot *s = thr_slot(t, keys[i], 1);
		if (now - s->last > 86400)
			s->failures = 0;
		s->failures++;
		s->last = now;
		int over = s->failures - thr_free[i];
		if (over > 0) {
			int64_t wait = over > 10 ? THR_MAX_WAIT : (int64_t)1 << (over - 1);
			s->blocked_until = now + (wait > THR_MAX_WAIT ? THR_MAX_WAIT : wait);
		}
	}
	pthread_mutex_unlock(&t->lock);
}

/* ---- the device cookie -------------------------------------------- */

/* "ID.ISSUED.MAC" for account id, issued at the given time. */
static void
device_value(const struct web_app *app, int64_t id, int64_t issued, char *out, size_t n)
{
	char msg[64];
	snprintf(msg, sizeof msg, "device:%" PRId64 ".%" PRId64, id, issued);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state h;
	crypto_auth_hmacsha256_init(&h, app->agency.secret, sizeof app->agency.secret);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)msg, strlen(msg));
	crypto_auth_hmacsha256_final(&h, mac);
	char b64[64];
	sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(out, n, "%" PRId64 ".%" PRId64 ".%s", id, issued, b64);
}

/* Has this device signed in to account id before (a valid cookie)? */
static int
device_trusted(const struct http_req *req, int64_t id)
{
	char got[160], want[160];
	if (!http_cookie(req, DEVICE_COOKIE, got, sizeof got))
		return 0;
	long long gid, issued;
	if (sscanf(got, "%lld.%lld.", &gid, &issued) != 2 || gid != id)
		return 0;
	int64_t now = (int64_t)time(NULL);
	if (issued > now + 300 || now - issued > (int64_t)DEVICE_DAYS * 86400)
		return 0;
	device_value(req->app, id, issued, want, sizeof want);
	size_t n = strlen(want);
	return strlen(got) == n && sodium_memcmp(got, want, n) == 0;
}

void
web_device_remember(struct http_req *req, struct http_resp *resp, const struct store_user *u)
{
	struct web_app *app = req->app;
	char v[160], cookie[320];
	device_value(app, u->id, (int64_t)time(NULL), v, sizeof v);
	snprintf(cookie, sizeof cookie, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s",
	         DEVICE_COOKIE, v, DEVICE_DAYS * 86400, app->secure_cookies ? "; Secure" : "");
	http_resp_header(resp, "Set-Cookie", cookie);
}

/* ---- sign-in ------------------------------------------------------- */

enum err
web_sign_in(struct http_req *req, const char *username, const char *password,
            struct store_user *u, int *wait)
{
	struct web_app *app = req->app;
	*wait = 0;
	enum err e = store_user_by_name(app->st, username, u);
	if (e && e != ERR_NOT_FOUND)
		return e;
	int known = e == ERR_OK;
	*wait = throttle_wait(app->throttle, username, req->client,
	                      known && device_trusted(req, u->id));
	if (*wait)
		return ERR_THROTTLED;
	/* always one full verification, whatever the account's state */
	int ok = web_verify_password(known ? u->pwhash : app->dummy_hash, password);
	if (ok && known && u->active)
		return ERR_OK;
	throttle_fail(app->throttle, username, req->client);
	return ERR_BAD_CREDENTIALS;
}
