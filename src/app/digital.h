/*
 * digital.h — a dossier's digitised papers, its electronic result and its
 * fee (issue #13 items 3, 4): what Decision 766 counts in groups 3 and 4
 * (/work/shared/REFORM.md): components digitised at intake, scans reused
 * from the same person's earlier dossiers, the result as a file, and
 * whether the fee was paid, exempt or not yet, through which channel.
 *
 * Who may do what (on top of dossier.h's read/act rules):
 *   a component scan (or a reuse)  whoever may act on the dossier;
 *   the result file                an officer or leader who may act on
 *                                  it, once received and not refused;
 *   record the payment             the clerk, once, while unpaid;
 *   download the result            the applicant with the lookup's proof
 *                                  (code + full phone or ID, same guard
 *                                  and throttle), once the result is
 *                                  ready or returned.
 */
#ifndef MOTCUA_APP_DIGITAL_H
#define MOTCUA_APP_DIGITAL_H
#include "app/app.h"

struct app_proof;

/* ---- attachments by kind ---- */
enum app_att_kind { APP_ATT_COMPONENT, APP_ATT_RESULT };
struct app_attach {
	int kind;                     /* enum app_att_kind */
	int component;                /* 1-based checklist line, 0 = none (a component scan only) */
	const char *file_name;        /* the new file … */
	const void *data;
	size_t len;
	const char *reuse_code;       /* … or an earlier dossier of the same person (same ID
	                               * number) and the hash of its scan, reused unscanned */
	const char *reuse_sha;
};
/* Attaches a scan of a checklist line, reuses one, or attaches the
 * result; on a refusal f says why and nothing is stored. */
enum err app_dossier_attach_as(struct app *a, const struct actor *ac, const char *code,
                               const struct app_attach *in, struct app_fail *f);

/* Stores a new file (sniffed PDF/JPEG/PNG, capped at APP_MAX_ATTACHMENT)
 * as attachment *at of dossier code (its kind, component and names set
 * by the caller, who checked the actor may act). */
enum err app_dossier_attach_file(struct app *a, const struct actor *ac, const char *code,
                                 const char *file_name, const void *data, size_t len,
                                 struct store_attachment *at, struct app_fail *f);

/* The person's scans on his earlier dossiers the actor may read, newest
 * first (at most 50), for the reuse control. */
enum err app_person_scans(struct app *a, const struct actor *ac, const char *code,
                          int (*fn)(const char *code, const struct store_attachment *, void *),
                          void *arg);

/* The checklist lines of a dossier the actor may read: fn gets each
 * 1-based number and name. */
enum err app_dossier_checklist(struct app *a, const struct actor *ac, const char *code,
                               int (*fn)(int no, const char *name, void *), void *arg);

/* What is digitised of a dossier: the figures Decision 766 counts
 * (4.1 electronic result, 4.2 digitised dossier, 4.3 reuse). */
#define APP_CHECKLIST_MAX 100
struct app_digitised {
	int components;               /* checklist lines */
	int digitised;                /* lines with a scan, scanned or reused */
	int reused;                   /* lines whose scan was reused */
	int result;                   /* 1 when the result is attached as a file */
	unsigned char line[APP_CHECKLIST_MAX]; /* per line (0-based): 0 no scan, 1 scanned, 2 reused */
};
enum err app_dossier_digitised(struct app *a, const struct actor *ac, const char *code,
                               struct app_digitised *out);
/* The same for the statistics (app/facts.c), asking nobody: code is the
 * dossier's canonical code. */
enum err app_digitised_of(struct app *a, const char *code, struct app_digitised *out);

/* The electronic result for the applicant: the lookup's proof (its guard
 * and throttle), then ERR_DOSSIER_STATE (f says why) before the result is
 * ready or when none is attached.  *data malloc'd; an audit event says
 * it was downloaded. */
enum err app_lookup_result(struct app *a, const struct app_proof *p, struct store_attachment *meta,
                           char **data, size_t *len, struct app_fail *f);
/* The same for the citizen who owns the dossier (app/citizen.h), from
 * "Hồ sơ của tôi": ERR_NOT_FOUND for a dossier not his, as for none. */
enum err app_citizen_result(struct app *a, const struct actor *ac, const char *code,
                            struct store_attachment *meta, char **data, size_t *len,
                            struct app_fail *f);
/* 1 when the dossier (as proven by the lookup) has a result the
 * applicant can download now. */
int app_result_downloadable(struct app *a, const struct store_dossier *d);

/* ---- fees ---- */
/* Index 0 of each list is "not given"; each ends with NULL. */
extern const char *const app_fee_status_names[];  /* "", paid, exempt, unpaid */
extern const char *const app_pay_channel_names[]; /* "", cash, bank, online */
enum { APP_FEE_UNSET, APP_FEE_PAID, APP_FEE_EXEMPT, APP_FEE_UNPAID };
struct app_fee_in {
	int status;                   /* APP_FEE_*; UNSET: exempt when nothing is due, else unpaid */
	int channel;                  /* index in app_pay_channel_names, 0 = none */
	const char *receipt_no;       /* NULL / "" = none */
	int64_t amount;               /* whole đồng; -1 = the dossier's (intake: the procedure's) fee */
};
struct app_fee_settled {
	int64_t fee, paid_at;
	const char *status, *channel; /* names */
	char receipt_no[64];
};
/* The rules (ERR_INVALID_FIELD with f): exempt means nothing is due
 * (a non-zero amount is refused); paid needs an amount above zero and a
 * channel; a channel or receipt number only with paid; a receipt number
 * is 1–40 printable characters.  fee is the amount when in->amount < 0. */
enum err app_fee_settle(const struct app_fee_in *in, int64_t fee, int64_t now,
                        struct app_fee_settled *out, struct app_fail *f);
/* Records the payment of an unpaid dossier (clerk); ERR_CONFLICT when
 * its fee is settled already. */
enum err app_dossier_pay(struct app *a, const struct actor *ac, const char *code,
                         const struct app_fee_in *in, struct app_fail *f);
/* Vietnamese labels ("" for an unknown name). */
const char *app_fee_status_label(const char *name);
const char *app_pay_channel_label(const char *name);

#endif
