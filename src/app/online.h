/*
 * online.h — online submission (issue #13 item 2): a citizen submits a
 * dossier for a procedure the catalogue marks online (full or partial),
 * with a scan per checklist item; it waits as "Mới đăng ký" (national
 * status 1) in the desk's reception queue, where the clerk accepts it
 * (the legal clock starts then, by the counter's rules: action receive),
 * asks for a supplement or refuses it.  The citizen answers a supplement
 * request with files and may ask to withdraw (the clerk acts on it).
 * Channel online (national code 2).
 */
#ifndef MOTCUA_APP_ONLINE_H
#define MOTCUA_APP_ONLINE_H
#include "app/dossier.h"

#define APP_ONLINE_FILES 40          /* files in one submission */
#define APP_ONLINE_BODY (45 * 1024 * 1024) /* the submit form's whole body */

/* One upload: the checklist item it answers (index in the procedure's
 * documents) and the bytes; the name sent by the browser is not used
 * (the stored name is the item's, with the sniffed type's extension). */
struct app_online_file {
	size_t item;
	const void *data;
	size_t len;
};

struct app_online {
	const char *procedure_code;
	struct app_person applicant;
	const struct app_online_file *files;
	size_t nfiles;
	const char *note;
	const char *key;              /* submission key: a resend returns the first dossier */
};

/* The published procedure, when it takes online submission
 * (store_proc_free it): ERR_NOT_FOUND, or ERR_NOT_ONLINE. */
enum err app_online_procedure(struct app *a, const char *code, struct store_proc *out);
/* 1 when checklist item i must be uploaded: not one shown at the desk
 * ("present"), nor one the catalogue words as optional ("(nếu có)"). */
int app_online_item_needed(const struct proc *p, size_t i);

/* Submits for the citizen ac.  Each file must be PDF, JPEG or PNG by its
 * bytes and at most APP_MAX_ATTACHMENT; every needed item needs one.  On
 * a refusal f says which input, and nothing is stored. */
enum err app_online_submit(struct app *a, const struct actor *ac, const struct app_online *in,
                           struct app_dossier_brief *out, struct app_fail *f);
/* A supplement the desk asked for (state waiting_supplement), on a
 * dossier ac owns. */
enum err app_online_supplement(struct app *a, const struct actor *ac, const char *code,
                               const void *data, size_t len, struct app_fail *f);
/* Asks to withdraw a dossier ac owns that is not finished; one open
 * request per dossier (ERR_EXISTS). */
enum err app_online_withdraw(struct app *a, const struct actor *ac, const char *code, const char *reason,
                             struct app_fail *f);

/* The open withdrawal request of a dossier (reason into reason, when it
 * was asked into *at), for its owner or staff who may read the dossier;
 * ERR_NOT_FOUND when there is none (or the actor may not read it). */
enum err app_online_withdraw_request(struct app *a, const struct actor *ac, const char *code, char *reason,
                                     size_t n, int64_t *at);

/* The national channel code (DVCQG: counter 1, online 2, post 3) of a
 * stored channel name; 0 for an unknown one. */
int app_channel_national(const char *channel);

#endif
