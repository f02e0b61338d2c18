/*
 * outbox.h — the notifications' store operations (issue #13 item 5): the
 * outbox the delivery worker reads, and the message templates the admin
 * edits.
 *
 * Same rules as store.h.  A message about a dossier is written by
 * store_dossier_create/store_dossier_apply in the dossier's own
 * transaction (struct store_dossier_in/change .outbox); a message of its
 * own (a one-time sign-in code) by store_outbox_put.  The worker's
 * bookkeeping (claim, result) is not an act of an official and writes no
 * audit event; a template change does.
 */
#ifndef MOTCUA_STORE_OUTBOX_H
#define MOTCUA_STORE_OUTBOX_H
#include <stddef.h>
#include <stdint.h>
#include "store/store.h"

#define OUTBOX_KEY_MAX 200

/* One message to write (struct store_outbox_msg is declared in store.h,
 * where the dossier operations take it):
 *   channel    "email" | "sms"; recipient: the address or phone number
 *   tmpl       the template key: its (key, channel) row is read and filled
 *              with vars inside the same transaction (core/message.h);
 *              a dossier's message also gets "code" = the dossier's code
 *   key        the idempotency key; NULL for a dossier's message, whose key
 *              is "dossier:CODE:VERSION:TEMPLATE:CHANNEL" (VERSION after
 *              the change), so each change has its messages once
 * A template that does not exist is ERR_NOT_FOUND (the whole transaction
 * rolls back). */

/* Writes one message of its own in a transaction of its own; *id its row.
 * ERR_EXISTS when the key was already written. */
enum err store_outbox_put(struct store *st, const struct store_outbox_msg *m, int64_t now,
                          int64_t *id);

/* A row of the outbox as the worker and the delivery log read it. */
struct store_outbox_row {
	int64_t id, dossier_id, created_at, next_at, sent_at;
	int attempts, secret;
	char channel[8], state[12], tmpl[32];
	char recipient[328];
	char key[OUTBOX_KEY_MAX + 8];
	char dossier_code[64];       /* "" for a message of its own */
	char *subject, *body;        /* malloc'd (store_outbox_row_free) */
	char last_error[512];
};
void store_outbox_row_free(struct store_outbox_row *r);

/* Start-up: rows left "sending" by a crash go back to "queued" (due at
 * once); *n how many. */
enum err store_outbox_recover(struct store *st, int64_t now, int64_t *n);
/* Claims the queued row due first (next_at <= now) in one transaction:
 * state "sending", attempts + 1 (a claim cut off by a crash is found by
 * store_outbox_recover).  ERR_NOT_FOUND when nothing is due.  r is filled
 * (free it). */
enum err store_outbox_claim(struct store *st, int64_t now, struct store_outbox_row *r);
/* The claimed row's outcome: state "sent" (sent_at = now; a secret body
 * is blanked), "queued" (next_at, error kept) or "failed" (error kept). */
enum err store_outbox_finish(struct store *st, int64_t id, const char *state, int64_t now,
                             int64_t next_at, const char *error);
/* The earliest next_at of a queued row; 0 when none. */
enum err store_outbox_next(struct store *st, int64_t *at);
/* The newest rows first, of one state or every one (state NULL/""),
 * at most limit (1..500); *total counts the rows of that state. */
enum err store_outbox_list(struct store *st, const char *state, int limit,
                           int (*fn)(const struct store_outbox_row *, void *), void *arg,
                           int64_t *total);
/* The messages about one dossier (by its code), oldest first, secret
 * rows left out. */
enum err store_outbox_of_dossier(struct store *st, const char *code,
                                 int (*fn)(const struct store_outbox_row *, void *), void *arg);

/* ---- templates ---- */
struct store_msg_template {
	char key[32], channel[8];
	char subject[1024];
	char *body;                  /* malloc'd (store_msg_template_free) */
	int64_t updated_at;
	char updated_by[96];
};
void store_msg_template_free(struct store_msg_template *t);
enum err store_msg_template_get(struct store *st, const char *key, const char *channel,
                                struct store_msg_template *out);
/* Every template, by key then channel. */
enum err store_msg_template_each(struct store *st,
                                 int (*fn)(const struct store_msg_template *, void *), void *arg);
/* Changes an existing template (ERR_NOT_FOUND otherwise), with the audit
 * event "notify.template". */
enum err store_msg_template_set(struct store *st, const char *actor, const char *key,
                                const char *channel, const char *subject, const char *body,
                                int64_t now);

#endif
