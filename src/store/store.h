/*
 * store.h — persistence as domain operations.
 *
 * Callers never see SQL.  Every operation that changes data runs in one
 * transaction together with its audit event (store_audit_* is internal to
 * the store), through one runner that retries when the database is busy.
 * Each thread gets its own connection, opened on first use, with its
 * prepared statements cached.
 *
 * Times are int64 Unix seconds, UTC.  Strings in and out are UTF-8 NFC
 * (the HTTP layer normalises input; the CLI does too).
 */
#ifndef MOTCUA_STORE_H
#define MOTCUA_STORE_H
#include <stddef.h>
#include <stdint.h>
#include "core/errors.h"
#include "core/proc.h"

struct store;

/* How store_open_mode treats a folder without a database. */
enum store_mode {
	STORE_CREATE,              /* create DIR and DIR/motcua.db (init, serve) */
	STORE_EXISTING,            /* refuse, creating nothing (every other command) */
};
/* Opens DIR/motcua.db and applies pending migrations.  STORE_CREATE also
 * creates the folder, the database and the audit key (DIR/audit.key)
 * when missing; STORE_EXISTING fails with a Vietnamese message when
 * DIR/motcua.db does not exist, and writes nothing there.
 * Returns 0, or -1 with a Vietnamese message in err. */
int store_open_mode(struct store **out, const char *dir, enum store_mode mode, char *err,
                    size_t errlen);
/* store_open_mode(…, STORE_CREATE, …). */
int store_open(struct store **out, const char *dir, char *err, size_t errlen);
void store_close(struct store *st);
/* Schema version after migrations. */
int store_schema_version(struct store *st);
/* Bytes used by the database files (db + wal). */
int64_t store_db_size(struct store *st);
/* The data folder the store was opened on. */
const char *store_dir(const struct store *st);
/* Runs fn so that every store read it makes (on this thread) sees one
 * snapshot: the parts of an answer agree even while others write, and
 * several reads cost one transaction.  fn must not write (a write inside
 * is a programming error).  Returns what fn returns. */
enum err store_snapshot(struct store *st, enum err (*fn)(void *arg), void *arg);

/* ---- files: content-addressed, under DIR/files/ab/<sha256> ---------------- */
/* The one file store, for dossier attachments and news images.  Stores
 * data (written to a temporary file, fsync'd, renamed into place, the
 * folder fsync'd; an intact existing copy is kept, a damaged one
 * replaced) and gives its SHA-256 as 64 hex digits.  Call it before, and
 * outside, the transaction that records the file. */
enum err store_file_put(struct store *st, const void *data, size_t len, char sha[65]);
/* Reads a stored file (malloc'd); ERR_NOT_FOUND for an unknown hash or
 * anything but 64 lowercase hex digits. */
enum err store_file_get(struct store *st, const char *sha, char **data, size_t *len);

/* ---- agency -------------------------------------------------------- */
struct store_agency {
	char name[256];
	char code[64];
	int demo;              /* placeholder data, marked as such everywhere */
	unsigned char secret[32]; /* server secret (CSRF tokens) */
};
/* ERR_NOT_FOUND when the data folder was never initialised. */
enum err store_agency_get(struct store *st, struct store_agency *out);

/* Where citizens send feedback (the portal's footer), set by the admin;
 * "" for what was never set. */
struct store_contact {
	char address[1024];
	char phone[128];
	char email[320];
};
/* Never ERR_NOT_FOUND: an unset contact reads as "". */
enum err store_contact_get(struct store *st, struct store_contact *out);
/* Replaces the three, with the audit event "agency.contact". */
enum err store_contact_set(struct store *st, const char *actor, const struct store_contact *c);

/* ---- accounts ------------------------------------------------------ */
struct store_user {
	int64_t id;
	char username[64];
	char full_name[256];
	char role[16];         /* "admin", "leader", … (core/roles.h) */
	char unit[256];
	int active;
	int64_t created_at;
	char pwhash[160];      /* Argon2id string (crypto_pwhash_str) */
};

/* Initialises a fresh data folder: the agency record, the secret and the
 * first admin account, in one transaction.  ERR_EXISTS if already done. */
enum err store_init(struct store *st, const char *agency_name, const char *agency_code,
                    int demo, const char *admin_username, const char *admin_pwhash);

enum err store_user_create(struct store *st, const char *actor, const struct store_user *u,
                           int64_t *id_out);
enum err store_user_by_name(struct store *st, const char *username, struct store_user *out);
enum err store_user_by_id(struct store *st, int64_t id, struct store_user *out);
/* Calls fn for each account ordered by username; stops on non-zero. */
enum err store_user_each(struct store *st, int (*fn)(const struct store_user *, void *), void *arg);
enum err store_user_update(struct store *st, const char *actor, int64_t id,
                           const char *full_name, const char *role, const char *unit);
/* Disabling also ends the account's sessions. */
enum err store_user_set_active(struct store *st, const char *actor, int64_t id, int active);
/* Also ends the account's sessions. */
enum err store_user_set_password(struct store *st, const char *actor, int64_t id,
                                 const char *pwhash);

/* ---- sessions (tokens are stored as SHA-256 hashes) ----------------- */
struct store_session {
	int64_t user_id;
	int64_t created_at, last_seen_at, idle_expires_at, expires_at;
};
/* Creates a session and records the sign-in (actor "user:NAME", channel
 * "web" or "api") as an audit event in the same transaction. */
enum err store_session_create(struct store *st, const unsigned char hash[32],
                              const struct store_session *s, const char *client,
                              const char *actor, const char *channel);
/* Looks up a live session (not expired at now, account active) and its
 * account; ERR_UNAUTHENTICATED otherwise.  Extends the idle expiry to
 * now + idle when the last extension is more than a minute old. */
enum err store_session_get(struct store *st, const unsigned char hash[32], int64_t now,
                           int64_t idle, struct store_session *s, struct store_user *u);
enum err store_session_delete(struct store *st, const unsigned char hash[32],
                              const char *actor);

/* ---- calendar: holiday overrides and office hours ------------------- */
struct store_holiday {
	char day[11];          /* YYYY-MM-DD */
	int work;              /* 1 forced working day, 0 extra day off */
	char name[128];
	char document[512];
	char source[512];
	char confidence[4];    /* V, I, NV */
};
struct store_calendar {
	struct store_holiday *rows; /* all overrides, ordered by day (malloc'd) */
	size_t nrows;
	int *complete_years;        /* years that are complete official schedules */
	size_t ncomplete;
	int hours[4];               /* am_open, am_close, pm_open, pm_close (minutes) */
	int sep_after;              /* 2/9 pairs with 3/9 instead of 1/9 */
};
/* Loads everything the calendar is built from; free with store_calendar_free. */
enum err store_calendar_load(struct store *st, struct store_calendar *out);
void store_calendar_free(struct store_calendar *c);
/* Adds or replaces the override of one day. */
enum err store_holiday_set(struct store *st, const char *actor, const struct store_holiday *h);
/* ERR_NOT_FOUND when the day has no override. */
enum err store_holiday_delete(struct store *st, const char *actor, const char *day);
/* Marks a year as a complete official schedule (or not). */
enum err store_holiday_year_complete(struct store *st, const char *actor, int year, int complete);
/* Replaces the overrides of every year present in rows (and each year's
 * complete flag from complete[]), in one transaction with one audit event. */
enum err store_holiday_import(struct store *st, const char *actor, const struct store_holiday *rows,
                              size_t n, const int *years, const int *complete, size_t nyears,
                              const char *file_name);
enum err store_hours_set(struct store *st, const char *actor, const int hours[4]);
/* A number that changes with every calendar change (any process). */
enum err store_calendar_rev(struct store *st, int64_t *rev);

/* ---- catalogue of procedures (versions are immutable once published) ---- */
struct store_proc {
	int64_t id;                /* procedure */
	int64_t version_id;        /* the version shown */
	int version;
	char code[48];
	char status[16];           /* of that version: draft, published, superseded, retired */
	struct proc proc;          /* that version (status: superseded reads published);
	                              owned (store_proc_free) */
	int64_t created_at;        /* of that version */
	int64_t published_at;
	int has_draft;             /* a newer draft exists (admin views) */
};
struct store_proc_query {
	const char *text;          /* what a person typed (NULL or "": no search); names,
	                              fields and bodies holding every word match, the
	                              last word as a prefix; a text with no searchable
	                              word matches nothing */
	const char *field;         /* exact field or NULL */
	const char *online_level;  /* exact level or NULL */
	int published_only;        /* public views: latest published version only */
	int limit, offset;
};
/* Adds or changes procedures (checked by the caller: proc_check), in one
 * transaction, each with its audit event: a new code gets version 1; a
 * changed procedure whose latest version is a draft has that draft
 * replaced, otherwise gets a new version; a published version supersedes
 * the previous one; identical data and status change nothing.  The
 * backend keeps the codec's form (core/proc_json.h) and indexes the name,
 * field, code, documents, legal basis, result and fee text for search.
 * *changed counts what changed. */
enum err store_proc_put(struct store *st, const char *actor, const struct proc *procs,
                        size_t n, const char *source, size_t *changed);
/* The latest version (admin) or the latest published one (public). */
enum err store_proc_get(struct store *st, const char *code, int published_only,
                        struct store_proc *out);
/* One version by its id (the version a dossier was received under). */
enum err store_proc_version(struct store *st, int64_t version_id, struct store_proc *out);
void store_proc_free(struct store_proc *p);
/* Lists procedures (ranked by relevance when searching: names holding
 * the typed phrase first, then the general procedure before its special
 * cases, then text relevance; else in Vietnamese alphabetical order of
 * the name); fn gets each (non-zero stops; it may keep p->proc by moving
 * it out and zeroing it); *total the count (the same snapshot). */
enum err store_proc_list(struct store *st, const struct store_proc_query *q,
                         int (*fn)(struct store_proc *, void *), void *arg, int64_t *total);
/* Distinct fields of published procedures with their counts. */
enum err store_proc_fields(struct store *st, int (*fn)(const char *field, int64_t n, void *),
                           void *arg);
/* Sets the latest version's status (publish a draft, retire). */
enum err store_proc_set_status(struct store *st, const char *actor, const char *code,
                               const char *status);

/* ---- notifications (store/outbox.h has the outbox's own operations) ---- */
/* A message to write with a change, in its transaction (outbox.h). */
struct store_outbox_msg {
	const char *channel;           /* "email" | "sms" */
	const char *recipient;
	const char *tmpl;              /* template key */
	const char *const *vars;       /* NULL-terminated key, value pairs */
	int secret;                    /* a one-time code: never shown, blanked once sent */
	const char *key;               /* idempotency key; NULL for a dossier's message */
};

/* ---- dossiers ------------------------------------------------------------ */
/* The applicant or the representative as received (NULL members = not
 * given); the store keeps them as one document per dossier. */
struct store_person {
	const char *name, *id_number, *date_of_birth, *sex, *phone, *email, *address;
	const char *relation;        /* the representative's relation to the applicant */
};
/* One line of the checklist as received. */
struct store_doc {
	const char *name;
	int received;
	const char *form;            /* original | copy | present | either */
	int count;
};
struct store_attachment;
struct store_dossier_in {
	const char *agency;          /* agency code: the code's prefix */
	int yy, mm, dd;              /* local (UTC+7) receipt date */
	int64_t procedure_version_id;
	const char *procedure_code, *procedure_name, *channel;
	const char *applicant;       /* JSON */
	const char *applicant_name, *applicant_key, *id_number, *phone;
	const char *documents;       /* JSON */
	const char *note, *status, *stage, *unit;
	int64_t fee;                 /* whole đồng */
	const char *fee_status;      /* paid | exempt | unpaid (NULL = unpaid) */
	const char *pay_channel;     /* cash | bank | online, "" / NULL = none */
	const char *receipt_no;      /* "" / NULL = none */
	int64_t paid_at;             /* 0 = not paid */
	int64_t received_at, due_at;
	int due_by_hand;             /* due_at was set by the clerk, not counted from a limit */
	/* typed alternatives to the JSON texts above, used when those are NULL */
	const struct store_person *person, *rep;   /* rep may be NULL */
	const struct store_doc *docs;
	size_t ndocs;
	/* online submission (issue #13): the citizen who owns it (0 = none)
	 * and the files he uploaded (stored by the caller first), recorded in
	 * the same transaction as the dossier */
	int64_t citizen_id;
	const struct store_attachment *files;
	size_t nfiles;
	/* the applicant's messages about the intake, written in its transaction */
	const struct store_outbox_msg *outbox;
	size_t noutbox;
};
struct store_dossier {
	int64_t id;
	char code[64];
	int64_t procedure_version_id;
	char procedure_code[48], channel[16], status[32], stage[32], received_by[96];
	char *procedure_name, *applicant, *applicant_name, *documents, *note, *unit; /* malloc'd (store_dossier_free) */
	char phone[16], id_number[16];
	char email[320];              /* the applicant's e-mail, "" when none */
	char resume_state[32], resume_stage[32];
	int64_t assignee, paused_at, appointment_at, finished_at, version, fee;
	int64_t received_at, due_at, updated_at;
	int due_by_hand;             /* due_at set by the clerk (no verified time limit) */
	char fee_status[12], pay_channel[12], receipt_no[64]; /* how the fee was settled */
	int64_t paid_at;             /* 0 = not paid */
};
/* What the timeline records of an action (0 / NULL = not part of it). */
struct store_change_facts {
	int64_t assignee;
	const char *assignee_name, *unit;
	int64_t new_date;
	const char *recipient, *recipient_id;
	int64_t due_before, due_after;    /* when the action moved the due instant */
	const char *const *missing;       /* a supplement request: the papers still missing */
	size_t nmissing;
	int late;                         /* an apology recorded after the promised time */
};
/* One action's effect, computed by the caller (core/dossier_fsm.c and the
 * legal clock); applied only if the dossier is still at expected_version,
 * else ERR_CONFLICT: of two people acting at once, one wins. */
struct store_dossier_change {
	int64_t expected_version;
	const char *action, *from_status, *status, *stage, *resume_state, *resume_stage;
	const char *note;
	const char *details;          /* JSON object for the timeline and audit, or NULL: */
	const struct store_change_facts *facts; /* ... these, written as that object */
	const char *event;            /* audit action, e.g. "dossier.assign" */
	const char *unit;             /* the unit holding it afterwards */
	int64_t due_at, paused_at, appointment_at, finished_at, assignee; /* 0 = NULL */
	int64_t step_due;             /* a hand-over's own budget; 0 = none */
	int due_by_hand;              /* 1: due_at was set by the clerk (receiving a held dossier); 0 keeps the flag */
	int64_t at;
	/* the applicant's messages about this change, written in its transaction */
	const struct store_outbox_msg *outbox;
	size_t noutbox;
};
enum err store_dossier_apply(struct store *st, const char *actor, const char *code,
                             const struct store_dossier_change *ch);
#define STORE_MISSING_MAX 30
struct store_dossier_event {
	int64_t at, step_due;         /* step_due 0 = none */
	const char *actor, *action, *from, *to, *note, *details;
	/* read from details: a supplement request's missing papers, an
	 * apology sent late (valid during the callback only) */
	const char *missing[STORE_MISSING_MAX];
	size_t nmissing;
	int late;
	int64_t due_before, due_after;   /* when the action moved the due instant (0 = none) */
};
/* The timeline, oldest first; fn returns non-zero to stop. */
enum err store_dossier_events(struct store *st, const char *code,
                              int (*fn)(const struct store_dossier_event *, void *), void *arg);
/* Numbers and inserts a dossier in one transaction with its audit event:
 * the next number of (agency, day), so codes are unique and gap-free. */
enum err store_dossier_create(struct store *st, const char *actor, const struct store_dossier_in *in,
                              char *code, size_t code_len);
/* The same, at most once per (actor, key): when this actor already sent
 * key, nothing is written, *replayed is set and code is the dossier that
 * send created.  key NULL or "" behaves as store_dossier_create. */
enum err store_dossier_create_once(struct store *st, const char *actor, const char *key,
                                   const struct store_dossier_in *in, char *code, size_t code_len,
                                   int *replayed);
enum err store_dossier_get(struct store *st, const char *code, struct store_dossier *out);
enum err store_dossier_get_id(struct store *st, int64_t id, struct store_dossier *out);
void store_dossier_free(struct store_dossier *d);
/* What the public lookup reads of a dossier: the proof's keys, the
 * answer's fields and the rating level, in one statement (no JSON, no
 * allocation). */
struct store_dossier_brief {
	char code[64], procedure_code[48], status[32];
	char phone[16], id_number[16];           /* "" when none */
	int64_t received_at, due_at, appointment_at; /* appointment 0 = none */
	char rating[24];                         /* "" when not rated */
};
enum err store_dossier_brief(struct store *st, const char *code, struct store_dossier_brief *out);

/* A search over dossiers; every member is optional (NULL / 0 = any). */
struct store_dossier_query {
	const char *code;      /* exact code */
	const char *id_number; /* exact personal ID */
	const char *phone;     /* exact normalised phone */
	const char *name_key;  /* part of the folded applicant name (text_fold) */
	const char *statuses;  /* comma-separated state codes: "received,processing" */
	const char *stage;     /* exact stage */
	const char *unit;      /* exact unit */
	int64_t assignee;      /* users.id */
	int64_t from, to;      /* received_at in [from, to) */
	int64_t due_before;    /* due_at < due_before */
	int64_t due_from;      /* due_at >= due_from */
	int64_t scope_user;    /* with scope_unit: only dossiers assigned to this user ... */
	const char *scope_unit; /* ... or held by this unit (who may read what: app/dossier.c) */
	int by_due;            /* order by due instant, soonest first; else newest received first */
	int limit, offset;     /* limit 0 → 50; at most 1000 */
	const char *after;     /* the code of the previous page's last dossier: the page after
	                          it, by the same order (a cursor; unknown → ERR_NOT_FOUND;
	                          not with name_key, whose order is the name's) */
	int64_t count_max;     /* > 0: count at most count_max + 1 matches (more = "more than") */
};
/* The matching dossiers (code, ID and phone are alternatives; a name part
 * is matched alone, from the start of any word of the name, listed by
 * the matching name then newest first; the rest must all hold); *total
 * counts the matches (see count_max).
 * No shape reads the whole table: see dossiers.c. */
enum err store_dossier_list(struct store *st, const struct store_dossier_query *q,
                            int (*fn)(const struct store_dossier *, void *), void *arg,
                            int64_t *total);

/* The most received procedures since `since`, most first: fn gets each
 * procedure code and its count (at most n). */
enum err store_dossier_top_procedures(struct store *st, int64_t since, int n,
                                      int (*fn)(const char *code, int64_t count, void *), void *arg);

/* Ratings (DOMAIN decision 9): level is "very_satisfied", "satisfied" or
 * "unsatisfied".  Adding one when the dossier has one gives ERR_EXISTS;
 * written with its audit event. */
enum err store_rating_add(struct store *st, const char *actor, const char *code, const char *level,
                          const char *comment, int64_t at);
/* The dossier's rating level into level (ERR_NOT_FOUND when not rated). */
enum err store_rating_get(struct store *st, const char *code, char *level, size_t n);
/* How many ratings of each level (very satisfied, satisfied, unsatisfied)
 * were given in [from, to). */
enum err store_rating_counts(struct store *st, int64_t from, int64_t to, int64_t out[3]);

struct store_attachment {
	int64_t id, size, at;
	char sha256[65], name[256], mime[80], actor[96];
	char kind[12];               /* "component" (a scan; "" reads so) or "result" */
	int component;               /* 1-based line of the checklist, 0 = none */
	char component_name[256];    /* that line's name as received */
	char reused_from[64];        /* the earlier dossier whose scan this is, "" = scanned here */
};
/* Records that dossier `code` holds the file with this hash (stored by
 * the caller first); ERR_EXISTS if it already does.  With its audit event. */
enum err store_attachment_add(struct store *st, const char *actor, const char *code,
                              const struct store_attachment *a);
enum err store_attachments(struct store *st, const char *code,
                           int (*fn)(const struct store_attachment *, void *), void *arg);

/* ---- citizens (issue #13; store/sqlite/citizens.c) ------------------------ */
struct store_citizen {
	int64_t id;
	char contact[256];            /* normalised phone or lower-case e-mail */
	char channel[8];              /* "sms" or "email" */
	int64_t created_at;
};
/* Replaces the recipient's live one-time code by this hash. */
enum err store_citizen_code_put(struct store *st, const char *contact, const unsigned char hash[32],
                                int64_t expires_at);
/* Checks a code's hash against the recipient's live code at now: ERR_OK
 * ends the code and gives the account (created at the first success, in
 * the same transaction, with its audit event); a wrong hash counts one
 * try and ends the code at max_attempts; none live (never sent, expired,
 * ended): ERR_NOT_FOUND.  Wrong and missing both answer ERR_CODE_WRONG. */
enum err store_citizen_code_check(struct store *st, const char *contact, const char *channel,
                                  const unsigned char hash[32], int64_t now, int max_attempts,
                                  struct store_citizen *out);
enum err store_citizen_session_put(struct store *st, const unsigned char hash[32], int64_t citizen_id,
                                   int64_t now, int64_t expires_at);
/* The live session's citizen; ERR_NOT_FOUND when none. */
enum err store_citizen_session_get(struct store *st, const unsigned char hash[32], int64_t now,
                                   struct store_citizen *out);
enum err store_citizen_session_delete(struct store *st, const unsigned char hash[32]);
/* The citizen who owns a dossier (0 when none: not submitted online). */
enum err store_dossier_owner(struct store *st, const char *code, int64_t *citizen_id);
/* The dossiers a citizen owns, newest first. */
enum err store_citizen_dossiers(struct store *st, int64_t citizen_id,
                                int (*fn)(const struct store_dossier *, void *), void *arg);
/* A citizen's request to withdraw (ERR_EXISTS when one is open), with
 * its audit event; its reason and time when one is open (ERR_NOT_FOUND). */
enum err store_withdraw_request_put(struct store *st, const char *actor, const char *code,
                                    int64_t citizen_id, const char *reason, int64_t at);
enum err store_withdraw_request_get(struct store *st, const char *code, char *reason, size_t n,
                                    int64_t *at);

/* ---- demo data, in bulk (sqlite/demo.c) --------------------------------- */
/* One made-up dossier as its whole story ends: `in` is the intake (its
 * status the first one: "new" for an online submission, else
 * "received"), the rest the row after the last event.  Written by
 * store_demo_put with the same row shapes the desk writes, so every page
 * and report reads it like any other dossier. */
#define STORE_DEMO_EVENTS 16
#define STORE_DEMO_FILES 8
struct store_demo_event {
	int64_t at, step_due;            /* step_due 0 = none */
	const char *actor, *action, *from, *to, *note;
	const struct store_change_facts *facts;  /* the timeline's details, or NULL ("{}") */
};
struct store_demo_dossier {
	struct store_dossier_in in;      /* person and docs typed; applicant/documents NULL */
	const char *clerk;               /* who received it ("user:NAME"), NULL = the batch's actor */
	const char *status, *stage;      /* after the last event */
	const char *resume_state, *resume_stage; /* while waiting: where it goes back to */
	int64_t due_at, paused_at, appointment_at, finished_at, assignee, updated_at; /* 0 = NULL */
	struct store_demo_event ev[STORE_DEMO_EVENTS];   /* after the intake's own row */
	size_t nev;
	const char *rating;              /* very_satisfied | satisfied | unsatisfied, NULL = none */
	int64_t rated_at;
	struct store_demo_file {         /* stored by the caller first (store_file_put) */
		const char *sha256, *name, *mime, *kind, *component_name, *reused_from;
		int64_t size;
		int component;               /* 1-based checklist line, 0 = none */
	} files[STORE_DEMO_FILES];
	size_t nfiles;
	char code[64];                    /* out: the code it was given */
};
/* Writes n dossiers in one transaction: each numbered from its day's
 * counter like the desk (unique, gap-free per day), its row, timeline,
 * rating and attachments; and ONE audit event "demo.batch" for all of
 * them (details: count, first_id, last_id), which `motcua check` accepts
 * in place of each dossier's own events (their timelines must still
 * agree with their rows).  *first_id and *last_id get the ids written.
 * Statements are prepared once per connection and reused. */
enum err store_demo_put(struct store *st, const char *actor, struct store_demo_dossier *d,
                        size_t n, int64_t *first_id, int64_t *last_id);

/* ---- digitised dossiers and fees (sqlite/digital.c) ---------------------- */
/* The dossier's checklist lines as received, in order: fn gets each
 * 1-based number and name. */
enum err store_dossier_checklist(struct store *st, const char *code,
                                 int (*fn)(int no, const char *name, void *), void *arg);
/* The component scans held by other dossiers of the person with this ID
 * number (not `code`), newest first, at most `limit`: fn gets the
 * dossier's code and the attachment. */
enum err store_person_scans(struct store *st, const char *id_number, const char *code, int limit,
                            int (*fn)(const char *code, const struct store_attachment *, void *),
                            void *arg);
/* Records how the fee was settled (status paid or exempt, the amount,
 * channel, receipt number, when), with the audit event
 * "dossier.payment"; only while it is "unpaid", else ERR_CONFLICT. */
struct store_payment {
	const char *status, *channel, *receipt_no;
	int64_t fee, paid_at;
};
enum err store_dossier_pay(struct store *st, const char *actor, const char *code,
                           const struct store_payment *p);
/* Writes one audit event about dossier `code` (object "dossier:CODE")
 * with details {"sha256": sha} (a download of a file it holds). */
enum err store_dossier_file_event(struct store *st, const char *actor, const char *code,
                                  const char *action, const char *sha);

/* The rating kiosk: the dossier clerk's tablet asks about (one per
 * clerk; set replaces, with the audit event "dossier.kiosk"); get gives
 * ERR_NOT_FOUND when none; clear removes it only while it is `code`. */
enum err store_kiosk_set(struct store *st, const char *clerk, const char *code, int64_t at);
enum err store_kiosk_get(struct store *st, const char *clerk, char *code, size_t n, int64_t *at);
enum err store_kiosk_clear(struct store *st, const char *clerk, const char *code);
/* Ratings with a comment given in [from, to), newest first, at most
 * limit: fn gets the dossier's code, procedure name, level, comment and
 * instant. */
enum err store_rating_comments(struct store *st, int64_t from, int64_t to, int limit,
                               int (*fn)(const char *code, const char *procedure, const char *level,
                                         const char *comment, int64_t at, void *),
                               void *arg);

/* ---- backup ------------------------------------------------------------ */
/* Writes one tar archive to path (which must not exist) while the server
 * keeps serving: motcua.db, a consistent copy taken with SQLite's online
 * backup, then every attachment and image that copy refers to, each
 * checked against its SHA-256.  Extracted into an empty folder it is a
 * data folder.  A missing or damaged file is left out and counted in
 * info (the archive is still written); the archive is fsync'd and
 * appears whole or not at all. */
struct store_backup_info {
	int64_t files;             /* attachments and images archived */
	int64_t bytes;             /* size of the archive */
	int64_t missing;           /* referenced files missing or damaged (left out) */
	char first_missing[192];   /* "files/ab/…: thiếu tệp" */
};
enum err store_backup(struct store *st, const char *path, struct store_backup_info *info,
                      char *err, size_t errlen);

/* Records an event that changes no other data (a backup taken, a backup
 * downloaded) in the audit chain.  details_json: a JSON object's text
 * or NULL. */
enum err store_audit_record(struct store *st, const char *actor, const char *action,
                            const char *object, const char *details_json);

/* ---- verification (motcua check) ----------------------------------- */
struct store_check {
	int integrity_ok;          /* the database's own consistency check passed */
	char integrity_msg[256];
	int64_t events;            /* audit events verified */
	int64_t events_keyed;      /* of those, keyed with DIR/audit.key (HMAC-SHA256) */
	int key_ok;                /* the audit key is present and readable (or no event yet) */
	char key_msg[256];         /* why not */
	int64_t first_bad;         /* id of the first event that fails, 0 if none */
	char bad_reason[256];
	int guards_ok;             /* every append-only guard is in place */
	char guard_tables[256];    /* the guarded tables: "audit_events, dossier_events, …" */
	char guards_missing[256];  /* the guards that were removed */
	int64_t dossiers;          /* dossiers whose state agrees with their events */
	int64_t dossiers_bad;      /* … and that do not */
	char dossier_bad[256];     /* the first of those: "CODE: why" */
	int64_t accounts;          /* accounts whose role, unit and active flag agree */
	int64_t accounts_bad;
	char account_bad[256];
	int64_t head_id;           /* the last event verified: write it down (with */
	char head_hash[65];        /* its hash) to prove later nothing was cut off */
	int64_t files;             /* attachments and images present with the right hash */
	int64_t files_bad;         /* referenced but missing or damaged */
	char file_bad[192];        /* the first of those and why */
};
/* Everything above, in one read snapshot; ERR_OK with the findings in
 * out (which may show failures), or an error when it could not run. */
enum err store_check(struct store *st, struct store_check *out);
/* The stored hash of audit event id (an anchor written down at an earlier
 * check); ERR_NOT_FOUND if there is no such event. */
enum err store_audit_hash_at(struct store *st, int64_t id, char hash[65]);

/* ---- what the services read and count ---------------------------------- */
/* The terms a dossier is received under: the latest published version of
 * `code` (code != NULL) or version `version_id`; ERR_NOT_FOUND if none. */
struct store_proc_terms {
	int64_t version_id;
	int version;
	char code[48];
	char name[600];
	char field[200];           /* lĩnh vực */
	int has_limit;             /* a verified time limit: days or same day */
	int days;                  /* working days, -1 when unknown */
	int same_day;
	char cutoff[8];            /* "HH:MM" or "" (the default) */
	int64_t fee;               /* whole đồng, -1 when not set */
};
enum err store_proc_terms(struct store *st, const char *code, int64_t version_id,
                          struct store_proc_terms *out);

/* Failed guesses (the public lookup's guard): counters per key ("code:…",
 * "client:…") in fixed windows of `window` seconds.  store_guess_fail adds
 * one failure to each of the n keys in one transaction and gives the
 * counts after it; store_guess_count only reads them.  A success erases
 * nothing.  Counters, not business data: no audit event. */
enum err store_guess_fail(struct store *st, const char *const *keys, size_t n, int64_t now,
                          int64_t window, int64_t *fails);
enum err store_guess_count(struct store *st, const char *const *keys, size_t n, int64_t now,
                           int64_t window, int64_t *fails);

/* ---- citizen reception (issue #14 item 4; store/sqlite/reception.c) ------ */
/* One session of the reception schedule (lịch tiếp công dân): every week
 * on weekday (0 = Sunday … 6 = Saturday) or, with weekday -1, on day. */
struct store_rc_slot {
	int64_t id;                   /* 0 for a new one */
	char role[12];                /* "chairman", "vice" or "officer" */
	char person[200];
	char title[200];
	int weekday;                  /* 0–6, or -1 for a fixed day */
	int32_t day;                  /* cal_day of a fixed day (weekday -1) */
	int start_min, end_min;       /* minutes after local midnight */
	char place[400];
	char note[1000];
	int64_t updated_at;
};
/* One visit in the reception register (sổ tiếp công dân). */
struct store_rc_visit {
	int64_t id;
	int64_t at;
	char name[200];
	char id_number[16];
	char address[400];
	char phone[24];
	int people;                   /* 1, or how many came together */
	char kind[16];                /* "complaint", "denunciation", "petition", "other" */
	char matter[4000];
	char received_by[200];
	char guidance[4000];
	int petition;                 /* a written petition was handed in */
	char petition_code[64];
	char recorded_by[96];         /* the audit actor who wrote it */
	int64_t created_at;
};
/* One dialogue meeting with the people (đối thoại) and its conclusions. */
struct store_rc_dialogue {
	int64_t id;
	int64_t at;
	char place[400];
	char chair[200];
	int participants;
	char attendees[2000];         /* who took part, in words */
	char topics[4000];
	char conclusions[4000];
	char followup[4000];
	char recorded_by[96];
	int64_t created_at;
};
/* Inserts (id 0; *id gets the new one) or replaces a slot, with its audit
 * event "reception.slot.create" / ".update"; ERR_NOT_FOUND for an unknown id. */
enum err store_rc_slot_put(struct store *st, const char *actor, const struct store_rc_slot *s,
                           int64_t *id);
/* Deletes a slot with the event "reception.slot.delete"; ERR_NOT_FOUND. */
enum err store_rc_slot_delete(struct store *st, const char *actor, int64_t id);
enum err store_rc_slot_get(struct store *st, int64_t id, struct store_rc_slot *out);
/* Every slot: chairman, vice, officer, then by weekday, day and time. */
enum err store_rc_slots(struct store *st, int (*fn)(const struct store_rc_slot *, void *), void *arg);
/* Records a visit (v->recorded_by and created_at are set by the caller)
 * with the event "reception.visit"; *id gets its number. */
enum err store_rc_visit_add(struct store *st, const struct store_rc_visit *v, int64_t *id);
/* The visits with from <= at < to, oldest first. */
enum err store_rc_visits(struct store *st, int64_t from, int64_t to,
                         int (*fn)(const struct store_rc_visit *, void *), void *arg);
/* Records a dialogue meeting with the event "reception.dialogue". */
enum err store_rc_dialogue_add(struct store *st, const struct store_rc_dialogue *d, int64_t *id);
enum err store_rc_dialogue_get(struct store *st, int64_t id, struct store_rc_dialogue *out);
/* Every meeting, newest first. */
enum err store_rc_dialogues(struct store *st, int (*fn)(const struct store_rc_dialogue *, void *),
                            void *arg);

#endif
