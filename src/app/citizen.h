/*
 * citizen.h — citizen accounts (issue #13 item 1), a kind apart from
 * staff: no password, no staff role, their own table.  A person proves a
 * phone number or an e-mail address with a one-time code sent through
 * the notification gateway (app/notify.h); the first proof creates the
 * account.  Codes: 6 digits, kept only as a keyed hash, live 10 minutes,
 * at most 5 tries each; sends are limited per recipient and per client
 * address.  A code is never logged nor written in the audit trail.
 *
 * A citizen reads only the dossiers he owns (submitted online under his
 * account): every read here checks the dossier's owner, and a dossier
 * that is not his answers ERR_NOT_FOUND, exactly as one that does not
 * exist.
 */
#ifndef MOTCUA_APP_CITIZEN_H
#define MOTCUA_APP_CITIZEN_H
#include "app/app.h"

#define APP_CODE_TTL 600          /* seconds a one-time code lives */
#define APP_CODE_TRIES 5          /* wrong tries that end a code */
#define APP_CODE_GAP 60           /* seconds between two sends to one recipient */
#define APP_CODE_PER_HOUR 5       /* sends to one recipient per hour */
#define APP_CODE_CLIENT_HOUR 20   /* sends asked from one client address per hour */
#define APP_CITIZEN_SESSION (12 * 3600)
#define APP_CITIZEN_TOKEN 64      /* room for a session token (43 characters) */

/* What a person typed as his contact, normalised: a phone (0912345678)
 * with channel "sms", or a lower-case e-mail with channel "email".
 * 0, or -1 when it is neither. */
int app_citizen_contact(const char *typed, char *contact, size_t n, const char **channel);

/* Sends a fresh code to the contact (replacing a live one).  ERR_CODE_THROTTLED
 * with *wait seconds when too many were sent to it or asked from client. */
enum err app_citizen_code_send(struct app *a, const char *typed, const char *client, int *wait,
                               struct app_fail *f);

/* Checks the code sent to the contact; on success starts a session: its
 * token (base64url) into token, the citizen into ac.  ERR_CODE_WRONG for
 * a wrong, expired, used or exhausted code alike. */
enum err app_citizen_sign_in(struct app *a, const char *typed, const char *code, char *token,
                             size_t tlen, struct actor *ac, struct app_fail *f);
/* Fills an actor for a citizen: role ROLE_CITIZEN, name "citizen:ID". */
void app_actor_citizen(struct actor *ac, int64_t id);
/* The citizen of a session token; ERR_NOT_FOUND when none is live. */
enum err app_citizen_session(struct app *a, const char *token, struct actor *ac, char *contact,
                             size_t n);
enum err app_citizen_sign_out(struct app *a, const char *token);

/* ---- what a citizen reads (owner checked per dossier) ---- */
/* The dossier, when ac owns it (store_dossier_free it). */
enum err app_citizen_dossier(struct app *a, const struct actor *ac, const char *code,
                             struct store_dossier *out);
/* His dossiers, newest first. */
enum err app_citizen_dossiers(struct app *a, const struct actor *ac,
                              int (*fn)(const struct store_dossier *, void *), void *arg);
/* A dossier's timeline and attachments, when ac owns it. */
enum err app_citizen_events(struct app *a, const struct actor *ac, const char *code,
                            int (*fn)(const struct store_dossier_event *, void *), void *arg);
enum err app_citizen_attachments(struct app *a, const struct actor *ac, const char *code,
                                 int (*fn)(const struct store_attachment *, void *), void *arg);
/* (The attachments are his papers; the result file is read with
 * app_citizen_result, app/digital.h, once it is ready.) */
/* The messages sent to him about the dossier (the outbox rows of it,
 * oldest first; secret rows never), when ac owns it. */
struct store_outbox_row;
enum err app_citizen_messages(struct app *a, const struct actor *ac, const char *code,
                              int (*fn)(const struct store_outbox_row *, void *), void *arg);
/* One attachment's bytes (malloc'd) and record, by its hash. */
enum err app_citizen_attachment(struct app *a, const struct actor *ac, const char *code,
                                const char *sha, struct store_attachment *meta, char **data,
                                size_t *len);

#endif
