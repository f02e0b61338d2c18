/*
 * notify.h — notifications that are never lost (issue #13 item 5).
 *
 * Every change that matters to an applicant (received, supplement needed,
 * refused, apology with a new date, result ready, returned) writes its
 * messages — an SMS to the applicant's phone and an e-mail to his address,
 * when he gave them — into the outbox in the same transaction as the
 * change (app/dossier.c hands them to the store with the change).  A
 * message of its own, such as a one-time sign-in code, is written by
 * app_notify_direct.  The wording comes from templates the admin edits.
 *
 * A background thread delivers due messages through the gateways: e-mail
 * by SMTP (libcurl), SMS by a configurable HTTP gateway, or, for a channel
 * with nothing configured, the file gateway (DATA/messages/<id>-<channel>.txt).
 * It claims a row durably ("sending") before calling the gateway and
 * records the outcome after: a transient failure is retried after a pause
 * that doubles from base up to cap; a permanent refusal (SMTP 5xx, HTTP
 * 4xx) or too many attempts marks the row failed.  A crash between the
 * gateway's answer and the record repeats that one message once (the
 * gateway gets the idempotency key to drop it); nothing is ever lost.
 */
#ifndef MOTCUA_APP_NOTIFY_H
#define MOTCUA_APP_NOTIFY_H
#include <stddef.h>
#include <stdint.h>
#include "app/app.h"
#include "core/buf.h"
#include "core/dossier_fsm.h"
#include "store/outbox.h"

/* How the worker delivers (filled by `serve`'s options; see
 * docs/OPERATIONS.md).  Secrets (SMTP password, SMS header lines) are read
 * from files and never logged. */
struct app_notify_config {
	char dir[1024];            /* the file gateway's folder (DATA/messages) */
	char smtp_url[512];        /* smtp://host:port or smtps://…; "" = file gateway */
	char smtp_from[320];
	char smtp_user[256], smtp_pass[256];
	char sms_url[1024];        /* {{to}} {{text}} {{key}} URL-encoded; "" = file gateway */
	char sms_method[8];        /* POST (default), PUT or GET */
	char sms_body[2048];       /* {{to}} {{text}} {{key}}: JSON-escaped when the body starts
	                            * with '{', URL-encoded otherwise */
	char sms_headers[2048];    /* header lines, '\n'-separated (credentials) */
	int64_t backoff_base;      /* seconds before the first retry (30) */
	int64_t backoff_cap;       /* longest pause (3600) */
	int max_attempts;          /* deliveries tried before a message fails (20) */
};
/* The defaults above, with the file gateway under data_dir/messages. */
void app_notify_config_default(struct app_notify_config *c, const char *data_dir);
/* "BASE" or "BASE,CAP" seconds (1 ≤ BASE ≤ CAP ≤ 86400); 0 or -1. */
int app_notify_parse_backoff(const char *s, int64_t *base, int64_t *cap);
/* Reads the first line of a credentials file ("user:password") into
 * user and pass; 0, or -1 with a Vietnamese message (without the file's
 * content) in err. */
int app_notify_read_auth(const char *path, char *user, size_t un, char *pass, size_t pn, char *err,
                         size_t errlen);
/* Reads header lines ("Name: value", one a line) from a file into out,
 * '\n'-separated; 0 or -1 as above. */
int app_notify_read_headers(const char *path, char *out, size_t n, char *err, size_t errlen);

/* Starts the worker (after crash recovery of rows left "sending").  0, or
 * -1 with a Vietnamese message in err. */
int app_notify_start(struct app *a, const struct app_notify_config *c, char *err, size_t errlen);
/* Stops the worker (waits for the delivery under way) and frees. */
void app_notify_stop(struct app *a);
/* Tells the worker new messages are waiting (no-op when not started). */
void app_notify_wake(struct app *a);

/* Enqueues one message of its own (own transaction) and wakes the worker.
 * channel "sms" (to: a phone number, normalised) or "email"; tmpl a
 * template key ("otp": vars "code" and "minutes"); vars NULL-terminated
 * key, value pairs ("agency" is added).  A secret message's body is never
 * logged or shown in the delivery log, and is blanked once sent.
 * ERR_INVALID_FIELD with f for a bad channel, recipient or template. */
enum err app_notify_direct(struct app *a, const char *channel /* "sms" or "email" */, const char *to,
                           const char *tmpl /* e.g. "otp" */,
                           const char *const *vars /* NULL-terminated key, value, key, value… */,
                           int secret, struct app_fail *f);

/* ---- the messages of a dossier's change (used by app/dossier.c) ---- */
/* The template an action notifies with, NULL for an action the applicant
 * is not told about. */
const char *app_notify_template_of(enum dfsm_action act);
/* The messages of one change: at most an SMS and an e-mail, and the
 * texts their vars point into. */
struct app_notify_batch {
	struct store_outbox_msg msgs[2];
	size_t n;
	const char *vars[20];
	char appointment[32], new_date[32], missing[2048];
};
struct app_notify_facts {
	const char *phone, *email;    /* the applicant's ("" / NULL = none) */
	const char *name, *procedure, *reason;
	const char *const *missing;   /* a supplement request's missing papers */
	size_t nmissing;
	int64_t appointment, new_date; /* 0 = none */
};
/* Fills b with tmpl's messages for the facts (b->n 0 when the applicant
 * gave neither a phone nor an e-mail). */
void app_notify_batch(struct app *a, struct app_notify_batch *b, const char *tmpl,
                      const struct app_notify_facts *facts);

/* ---- the admin pages ---- */
/* A template's kind: its key, label, and the names it may use. */
struct app_notify_kind {
	const char *key, *label;
	const char *names[8];         /* NULL-terminated */
	const char *sample[16];       /* a preview's values: key, value, …, NULL */
};
/* The kinds, in the editor's order; *n their count. */
const struct app_notify_kind *app_notify_kinds(size_t *n);
/* Every template (admin). */
enum err app_notify_templates(struct app *a, const struct actor *ac,
                              int (*fn)(const struct store_msg_template *, void *), void *arg);
enum err app_notify_template(struct app *a, const struct actor *ac, const char *key,
                             const char *channel, struct store_msg_template *out);
/* Checks and saves a template (admin): subject ≤ 300 characters (required
 * for e-mail, none for SMS), body 1–4000, no control characters but line
 * breaks (CR LF becomes LF), only the kind's {{names}}.  Audited. */
enum err app_notify_template_set(struct app *a, const struct actor *ac, const char *key,
                                 const char *channel, const char *subject, const char *body,
                                 struct app_fail *f);
/* The preview of a (possibly unsaved) template with the kind's sample
 * values, into subject_out and body_out. */
void app_notify_preview(struct app *a, const char *key, const char *subject, const char *body,
                        struct buf *subject_out, struct buf *body_out);

/* The text shown instead of a secret message's body. */
#define APP_NOTIFY_SECRET_SHOWN "(mã bí mật, không hiển thị)"
/* The delivery log (admin): the newest messages first, of one state
 * ("queued", "sending", "sent", "failed") or all (NULL/""); a secret
 * body reads APP_NOTIFY_SECRET_SHOWN. */
enum err app_notify_log(struct app *a, const struct actor *ac, const char *state, int limit,
                        int (*fn)(const struct store_outbox_row *, void *), void *arg,
                        int64_t *total);
/* The state's Vietnamese label ("" for an unknown one). */
const char *app_notify_state_label(const char *state);

/* ---- the gateways (notify_gw.c) ---- */
enum app_gw_result { APP_GW_SENT, APP_GW_RETRY, APP_GW_FAILED };
/* Delivers one claimed row through its channel's gateway; err gets why
 * it did not (no credentials in it). */
enum app_gw_result app_notify_deliver(const struct app_notify_config *c, const char *agency,
                                      const struct store_outbox_row *r, char *err, size_t errlen);

#endif
