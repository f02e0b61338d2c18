/*
 * citizen.c — citizen accounts: one-time codes, sessions, and what a
 * citizen may read (citizen.h).  The code travels once, in the message;
 * the database keeps BLAKE2b(agency secret, "otp" contact code), and no
 * log line or audit event ever holds it.
 */
#include <assert.h>
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/citizen.h"
#include "app/dossier.h"
#include "app/notify.h"
#include "core/ident.h"
#include "core/roles.h"

/* A plain address: one '@', a dot after it, printable ASCII only. */
static int
mail_shape(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = strlen(s);
	if (!at || at == s || n > 200 || strchr(at + 1, '@') || !strchr(at + 2, '.') || s[n - 1] == '.')
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>' || *p == '"' || *p == ',')
			return 0;
	return 1;
}

int
app_citizen_contact(const char *typed, char *contact, size_t n, const char **channel)
{
	if (!typed || !contact || n < IDENT_PHONE_SIZE)
		return -1;
	while (*typed == ' ')
		typed++;
	char t[256];
	snprintf(t, sizeof t, "%s", typed);
	for (size_t k = strlen(t); k && t[k - 1] == ' '; k--)
		t[k - 1] = '\0';
	if (strchr(t, '@')) {
		if (!mail_shape(t))
			return -1;
		for (char *p = t; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		snprintf(contact, n, "%s", t);
		*channel = "email";
		return 0;
	}
	if (ident_phone_normalize(t, contact, n) != IDENT_OK)
		return -1;
	*channel = "sms";
	return 0;
}

/* The keyed hash a code is kept as: bound to the contact, so a code is
 * worth nothing for another recipient. */
static void
code_hash(const struct app *a, const char *contact, const char *code, unsigned char out[32])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, a->agency.secret, sizeof a->agency.secret, 32);
	crypto_generichash_update(&h, (const unsigned char *)"otp\n", 4);
	crypto_generichash_update(&h, (const unsigned char *)contact, strlen(contact) + 1);
	crypto_generichash_update(&h, (const unsigned char *)code, strlen(code));
	crypto_generichash_final(&h, out, 32);
}

static const char BAD_CONTACT[] =
    "số điện thoại di động (0912345678) hoặc địa chỉ thư điện tử (ten@vi-du.vn)";

enum err
app_citizen_code_send(struct app *a, const char *typed, const char *client, int *wait, struct app_fail *f)
{
	assert(a && wait);
	*wait = 0;
	char contact[256];
	const char *channel;
	if (app_citizen_contact(typed, contact, sizeof contact, &channel) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "contact", BAD_CONTACT);
	/* the limits first: a refused send writes and sends nothing */
	char k_gap[300], k_hour[300], k_client[100];
	snprintf(k_gap, sizeof k_gap, "otp-gap:%s", contact);
	snprintf(k_hour, sizeof k_hour, "otp-hour:%s", contact);
	snprintf(k_client, sizeof k_client, "otp-client:%s", client ? client : "");
	int64_t now = (int64_t)time(NULL), n[3];
	const char *gap[] = {k_gap}, *hour[] = {k_hour, k_client};
	enum err e = store_guess_count(a->st, gap, 1, now, APP_CODE_GAP, n);
	if (!e)
		e = store_guess_count(a->st, hour, 2, now, 3600, n + 1);
	if (e)
		return e;
	if (n[0] >= 1 || n[1] >= APP_CODE_PER_HOUR || n[2] >= APP_CODE_CLIENT_HOUR) {
		*wait = n[0] >= 1 && n[1] < APP_CODE_PER_HOUR && n[2] < APP_CODE_CLIENT_HOUR ? APP_CODE_GAP : 3600;
		return app_fail(f, ERR_CODE_THROTTLED, "contact", *wait == APP_CODE_GAP
		                ? "vừa gửi mã cho địa chỉ này; hãy chờ 1 phút rồi xin mã mới"
		                : "đã gửi quá nhiều mã; hãy thử lại sau 1 giờ");
	}
	if ((e = store_guess_fail(a->st, gap, 1, now, APP_CODE_GAP, n)) ||
	    (e = store_guess_fail(a->st, hour, 2, now, 3600, n)))
		return e;
	char code[8];
	snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
	unsigned char h[32];
	code_hash(a, contact, code, h);
	e = store_citizen_code_put(a->st, contact, h, now + APP_CODE_TTL);
	if (!e) {
		const char *vars[] = {"code", code, NULL};
		e = app_notify_direct(a, channel, contact, "otp", vars, 1, f);
	}
	sodium_memzero(code, sizeof code);
	return e;
}

/* The actor of a citizen: his own role, never a staff one. */
void
app_actor_citizen(struct actor *ac, int64_t id)
{
	memset(ac, 0, sizeof *ac);
	ac->user_id = id;
	ac->role = ROLE_CITIZEN;
	snprintf(ac->name, sizeof ac->name, "citizen:%lld", (long long)id);
}

static void
token_hash(const char *token, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

enum err
app_citizen_sign_in(struct app *a, const char *typed, const char *code, char *token, size_t tlen,
                    struct actor *ac, struct app_fail *f)
{
	assert(a && token && ac && tlen >= APP_CITIZEN_TOKEN);
	char contact[256];
	const char *channel;
	if (app_citizen_contact(typed, contact, sizeof contact, &channel) != 0)
		return app_fail(f, ERR_INVALID_FIELD, "contact", BAD_CONTACT);
	size_t len = code ? strlen(code) : 0;
	int digits = len == 6;
	for (size_t i = 0; i < len && digits; i++)
		digits = code[i] >= '0' && code[i] <= '9';
	if (!digits)
		return app_fail(f, ERR_INVALID_FIELD, "code", "mã xác nhận gồm 6 chữ số");
	unsigned char h[32];
	code_hash(a, contact, code, h);
	int64_t now = (int64_t)time(NULL);
	struct store_citizen c;
	enum err e = store_citizen_code_check(a->st, contact, channel, h, now, APP_CODE_TRIES, &c);
	if (e == ERR_CODE_WRONG)
		return app_fail(f, e, "code", "mã không đúng, đã hết hạn hoặc đã dùng; mỗi mã chỉ được thử 5 lần");
	if (e)
		return e;
	unsigned char rnd[32];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2base64(token, tlen, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	token_hash(token, h);
	if ((e = store_citizen_session_put(a->st, h, c.id, now, now + APP_CITIZEN_SESSION)) != ERR_OK)
		return e;
	app_actor_citizen(ac, c.id);
	return ERR_OK;
}

enum err
app_citizen_session(struct app *a, const char *token, struct actor *ac, char *contact, size_t n)
{
	if (!token || strlen(token) < 40 || strlen(token) >= APP_CITIZEN_TOKEN)
		return ERR_NOT_FOUND;
	unsigned char h[32];
	token_hash(token, h);
	struct store_citizen c;
	enum err e = store_citizen_session_get(a->st, h, (int64_t)time(NULL), &c);
	if (e)
		return e;
	app_actor_citizen(ac, c.id);
	if (contact)
		snprintf(contact, n, "%s", c.contact);
	return ERR_OK;
}

enum err
app_citizen_sign_out(struct app *a, const char *token)
{
	if (!token || strlen(token) < 40 || strlen(token) >= APP_CITIZEN_TOKEN)
		return ERR_OK;
	unsigned char h[32];
	token_hash(token, h);
	return store_citizen_session_delete(a->st, h);
}

/* ---- reading, owner checked ---------------------------------------------- */

enum err
app_citizen_dossier(struct app *a, const struct actor *ac, const char *code, struct store_dossier *out)
{
	assert(a && ac && out);
	if (ac->role != ROLE_CITIZEN || ac->user_id <= 0)
		return ERR_FORBIDDEN;
	char canon[64];
	if (!code || app_dossier_code(a, code, canon, sizeof canon) != 0)
		return ERR_NOT_FOUND;
	int64_t owner = 0;
	enum err e = store_dossier_owner(a->st, canon, &owner);
	if (e)
		return e;
	/* not his, or not there: the same answer */
	if (owner != ac->user_id)
		return ERR_NOT_FOUND;
	return store_dossier_get(a->st, canon, out);
}

enum err
app_citizen_dossiers(struct app *a, const struct actor *ac, int (*fn)(const struct store_dossier *, void *),
                     void *arg)
{
	if (ac->role != ROLE_CITIZEN || ac->user_id <= 0)
		return ERR_FORBIDDEN;
	return store_citizen_dossiers(a->st, ac->user_id, fn, arg);
}

/* The canonical code of a dossier ac owns, into canon. */
static enum err
owned(struct app *a, const struct actor *ac, const char *code, char *canon, size_t n)
{
	struct store_dossier d;
	enum err e = app_citizen_dossier(a, ac, code, &d);
	if (e)
		return e;
	snprintf(canon, n, "%s", d.code);
	store_dossier_free(&d);
	return ERR_OK;
}

enum err
app_citizen_events(struct app *a, const struct actor *ac, const char *code,
                   int (*fn)(const struct store_dossier_event *, void *), void *arg)
{
	char canon[64];
	enum err e = owned(a, ac, code, canon, sizeof canon);
	return e ? e : store_dossier_events(a->st, canon, fn, arg);
}

/* His papers, not the result: that one only once it is ready
 * (app_citizen_result). */
struct papers {
	int (*fn)(const struct store_attachment *, void *);
	void *arg;
};

static int
papers_only(const struct store_attachment *at, void *arg)
{
	struct papers *p = arg;
	return strcmp(at->kind, "result") == 0 ? 0 : p->fn(at, p->arg);
}

enum err
app_citizen_attachments(struct app *a, const struct actor *ac, const char *code,
                        int (*fn)(const struct store_attachment *, void *), void *arg)
{
	char canon[64];
	struct papers p = {fn, arg};
	enum err e = owned(a, ac, code, canon, sizeof canon);
	return e ? e : store_attachments(a->st, canon, papers_only, &p);
}

enum err
app_citizen_messages(struct app *a, const struct actor *ac, const char *code,
                     int (*fn)(const struct store_outbox_row *, void *), void *arg)
{
	char canon[64];
	enum err e = owned(a, ac, code, canon, sizeof canon);
	return e ? e : store_outbox_of_dossier(a->st, canon, fn, arg);
}

struct pick {
	const char *sha;
	struct store_attachment *meta;
	int found;
};

static int
pick_one(const struct store_attachment *at, void *arg)
{
	struct pick *p = arg;
	p->found = strcmp(at->sha256, p->sha) == 0;
	if (p->found)
		*p->meta = *at;
	return p->found;
}

enum err
app_citizen_attachment(struct app *a, const struct actor *ac, const char *code, const char *sha,
                       struct store_attachment *meta, char **data, size_t *len)
{
	struct pick p = {sha ? sha : "", meta, 0};
	enum err e = app_citizen_attachments(a, ac, code, pick_one, &p);
	if (e)
		return e;
	return p.found ? store_file_get(a->st, p.sha, data, len) : ERR_NOT_FOUND;
}
