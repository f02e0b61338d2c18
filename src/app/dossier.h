/*
 * dossier.h — the one-stop desk's dossiers as a service (issue #5, #11):
 * intake, actions on the legal clock, attachments, reading, queues and
 * search, and who may touch which dossier.
 *
 * Who may do what to which dossier (checked here, for every caller):
 *   read    clerk, viewer, admin: every dossier (the desk receives and
 *           returns them all; inspectors and the administrator read);
 *           officer: assigned to him, or held by his unit;
 *           leader: his unit's, or every unit's when he has no unit or
 *           the agency is configured so (app.leaders_see_all).
 *   act     clerk: intake and return actions on any dossier;
 *           officer: the dossiers assigned to him, or his unit's that no
 *           one holds yet; leader: those he may read.
 *   The state machine (core/dossier_fsm.c) then decides which actions
 *   each role may take in each state.
 * A dossier the actor may not read answers ERR_FORBIDDEN.
 */
#ifndef MOTCUA_APP_DOSSIER_H
#define MOTCUA_APP_DOSSIER_H
#include "app/app.h"
#include "app/digital.h"
#include "core/dossier_fsm.h"

/* Enumerations of the intake, by index; each name list ends with NULL. */
extern const char *const app_channel_names[];   /* counter, online, post */
extern const char *const app_sex_names[];       /* male, female */
extern const char *const app_doc_form_names[];  /* original, copy, present, either */

struct app_person {
	const char *name, *id_number, *date_of_birth; /* YYYY-MM-DD */
	int sex;                                      /* index in app_sex_names, -1 = not given */
	const char *phone, *email, *address;
};
struct app_rep {
	const char *name, *id_number, *phone, *relation; /* name NULL = no representative */
};
struct app_doc {
	const char *name;
	int received;
	int form;     /* index in app_doc_form_names */
	int count;
};

struct app_intake {
	const char *procedure_code;
	int channel;                  /* index in app_channel_names */
	struct app_person applicant;
	struct app_rep rep;
	int hold;                     /* saved as "new", not accepted yet */
	const struct app_doc *docs;
	size_t ndocs;
	int64_t fee;                  /* whole đồng; -1 = the procedure's */
	struct app_fee_in pay;        /* how it was settled (digital.h; zero = by the amount:
	                               * exempt when nothing is due, else unpaid); its amount
	                               * is ignored: fee above is the amount, and an exempt
	                               * dossier given no fee owes nothing */
	const char *note;
	const char *key;              /* submission key: a repeat returns the first dossier */
	int64_t due_by_hand;          /* the appointment the clerk sets, 0 = none: required (and
	                               * only taken) when the procedure has no verified time limit
	                               * and the dossier is received, not held (dl_hand_due_check) */
	/* online submission (app/online.c): the citizen submitting (his
	 * actor's user_id; the dossier is then held, channel online) and the
	 * files he uploaded, stored first (store_file_put) */
	int64_t citizen_id;
	const struct store_attachment *files;
	size_t nfiles;
};

struct app_dossier_brief {
	char code[64];
	char status[32];
	int national_status;
	int64_t received_at, due_at, appointment_at;
	char procedure_code[48];
	int procedure_version;        /* 0 when not known (a replay) */
	int64_t fee;
	int64_t version;
	char stage[32];
	int replayed;                 /* the first send's dossier, nothing new written */
	int due_by_hand;              /* due_at was set by the clerk, not counted from a limit */
};

/* A submission key: 16–100 of A–Z a–z 0–9 _ - ; 0 or -1. */
int app_submission_key_ok(const char *key);

/* Receives a dossier (clerk).  On a refusal f says which input and why,
 * and nothing is stored. */
enum err app_dossier_receive(struct app *a, const struct actor *ac, const struct app_intake *in,
                             struct app_dossier_brief *out, struct app_fail *f);

struct app_action {
	const char *action;           /* API name (dfsm_action_info) */
	const char *note;
	int64_t assignee;             /* a user id, 0 = none */
	const char *unit;             /* a unit name, NULL = the assignee's */
	int step_days;                /* a hand-over's budget; -1 = until the due instant */
	const char *new_date;         /* apology: YYYY-MM-DD or RFC 3339; receive (a held dossier
	                               * whose procedure has no verified time limit): the
	                               * appointment set by hand, RFC 3339 */
	const char *recipient, *recipient_id;
	const char *const *missing;   /* request_supplement: the papers still missing (at most
	                               * STORE_MISSING_MAX, each 1–300 characters once trimmed) */
	size_t nmissing;
	int64_t expected_version;     /* 0 = any; else a stale dossier gives ERR_CONFLICT */
};
/* An apology recorded after the promised time is taken and marked late
 * (its event's details say "late": true). */
enum err app_dossier_act(struct app *a, const struct actor *ac, const char *code,
                         const struct app_action *in, struct app_dossier_brief *out,
                         struct app_fail *f);

/* 1 when receiving dossiers of the procedure (code, or the version d was
 * submitted under when d is not NULL) needs an appointment set by hand:
 * the catalogue gives it no verified time limit.  0 otherwise, or when
 * the procedure is unknown. */
int app_due_by_hand_needed(struct app *a, const char *code, const struct store_dossier *d);

/* The canonical code of what a person typed: any case, spaces around, or
 * this agency's short form YYMMDD-NNNN; 0, or -1 when it is no code. */
int app_dossier_code(const struct app *a, const char *typed, char *out, size_t n);

/* Reads a dossier the actor may read (store_dossier_free it); code as
 * app_dossier_code takes it. */
enum err app_dossier_get(struct app *a, const struct actor *ac, const char *code,
                         struct store_dossier *out);
/* Its timeline, oldest first (after the same check). */
enum err app_dossier_events(struct app *a, const struct actor *ac, const char *code,
                            int (*fn)(const struct store_dossier_event *, void *), void *arg);
/* The actions the actor may take on d now, for buttons (dfsm_actions_allowed
 * and the per-dossier rule); returns how many. */
int app_dossier_actions(struct app *a, const struct actor *ac, const struct store_dossier *d,
                        enum dfsm_action *out, size_t n);
int app_dossier_may_read(const struct app *a, const struct actor *ac, const struct store_dossier *d);
/* The exemption the law grants outright for the procedure version d was
 * received under (its catalogue fee amount is 0, e.g. marriage of
 * residents: "Miễn lệ phí đối với kết hôn …"), into out; "" when the
 * procedure names none or its version cannot be read.  What a form
 * prints for a dossier that pays nothing (core/money.h money_fee_label);
 * d as app_dossier_get returned it (the read is already checked). */
void app_dossier_exemption(struct app *a, const struct store_dossier *d, char *out, size_t n);
int app_dossier_may_act(const struct app *a, const struct actor *ac, const struct store_dossier *d);

/* ---- attachments ---- */
#define APP_MAX_ATTACHMENT (10 * 1024 * 1024)
/* Stores a scan (PDF, JPEG or PNG by its bytes) on a dossier the actor
 * may act on. */
enum err app_dossier_attach(struct app *a, const struct actor *ac, const char *code,
                            const char *file_name, const void *data, size_t len, struct app_fail *f);
/* The attachments of a dossier the actor may read. */
enum err app_dossier_attachments(struct app *a, const struct actor *ac, const char *code,
                                 int (*fn)(const struct store_attachment *, void *), void *arg);
/* One attachment's bytes (malloc'd) and record, by its hash. */
enum err app_dossier_attachment(struct app *a, const struct actor *ac, const char *code,
                                const char *sha, struct store_attachment *meta, char **data,
                                size_t *len);

/* ---- timeliness (DOMAIN decision 6) ---- */
/* "early", "on_time", "late", "in_time", "overdue"; NULL when it does not
 * count (refused, withdrawn, stopped, not accepted). */
const char *app_timeliness(const struct store_dossier *d, int64_t now);
/* Its Vietnamese label ("" for NULL). */
const char *app_timeliness_label(const char *code);
/* The state machine's view of a stored dossier; 0 or -1 when inconsistent. */
int app_fsm_view(const struct store_dossier *sd, struct dfsm_dossier *out);

/* ---- queues and search (dossier_queue.c) ---- */
/* The states in which the clock runs or waits: work to do. */
#define APP_PENDING "new,received,processing,waiting_supplement,waiting_payment"

struct app_search {
	const char *text;             /* a code (any case, or its short form YYMMDD-NNNN), ID, phone or name part */
	const char *statuses;         /* comma-separated state codes, or NULL */
	int64_t from, to;             /* received in [from, to), 0 = open */
	int64_t assignee;
	int overdue;                  /* due passed, pending */
	int limit, offset;
	const char *after;            /* the previous page's last code: the page after it (a cursor) */
	int64_t count_max;            /* > 0: *total counts at most count_max + 1 (APP_COUNT_MAX) */
};
/* How far the desk and the API count matches: past it they say "more than
 * 1,000" instead of reading millions of rows for a figure. */
#define APP_COUNT_MAX 1000
/* Searches the dossiers the actor may read; ERR_INVALID_FIELD with f for a
 * bad status or text or an unknown cursor. */
enum err app_dossier_search(struct app *a, const struct actor *ac, const struct app_search *q,
                            int (*fn)(const struct store_dossier *, void *), void *arg,
                            int64_t *total, struct app_fail *f);

/* The desk's queues, as a table. */
struct app_queue {
	const char *key;              /* URL key, e.g. "viec-cua-toi" */
	const char *label;            /* tab label */
};
/* The queues, in tab order; *n their count (the last, "tim-kiem", is the search). */
const struct app_queue *app_queues(size_t *n);
/* Lists a queue for the actor at now (limit rows); ERR_NOT_FOUND for an unknown key. */
enum err app_queue_list(struct app *a, const struct actor *ac, const char *key, int64_t now, int limit,
                        int (*fn)(const struct store_dossier *, void *), void *arg, int64_t *total);

/* The procedures most received in the last year, most first (at most n,
 * at most APP_TOP_MAX): public figures for the portal's "common
 * procedures", counted at most once per APP_TOP_TTL seconds. */
enum err app_top_procedures(struct app *a, int64_t now, int n, int (*fn)(const char *code, int64_t count, void *),
                            void *arg);

#endif
