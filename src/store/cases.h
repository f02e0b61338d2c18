/*
 * cases.h — the store operations of complaints, denunciations, petitions
 * and feedback (issue #14; app/cases.h is the service over them).
 *
 * Same rules as store.h: no SQL here, times are Unix seconds UTC, strings
 * UTF-8 NFC, every change in one transaction with its timeline row and
 * its audit event.  The sender (case_parties) is read only by
 * store_case_party, which writes the audit event of the read in the same
 * transaction when asked to.
 */
#ifndef MOTCUA_STORE_CASES_H
#define MOTCUA_STORE_CASES_H
#include <stddef.h>
#include <stdint.h>
#include "store/store.h"

struct store_case_party {
	char name[160], id_number[16], phone[24], email[128], address[400];
	char match_key[36];        /* in: the ID number, else the phone (stored as a keyed hash) */
};

struct store_case_file_in {
	const char *sha256, *name, *mime;
	int64_t size;
};

struct store_case_attr_in {
	const char *code, *value;
};

struct store_case_in {
	const char *prefix;        /* code prefix: "KN" → KN-261203-0001 */
	const char *kind, *stage, *channel, *category;
	const char *subject, *subject_key, *content, *respondent, *papers, *address;
	int has_location;
	double lat, lon;
	int anonymous, remote;
	int64_t received_at, due_at;
	const char *token, *source, *submit_key;
	int64_t citizen_id;        /* 0 none */
	const char *parent_code;   /* "" none (must exist) */
	const struct store_case_party *party; /* NULL when anonymous */
	const struct store_case_attr_in *attrs;
	size_t nattrs;
	const struct store_case_file_in *files;
	size_t nfiles;
	const char *kinds_same;    /* repeated-case search: kinds that count as the same matter (comma list) */
	int seal;                  /* keep the party sealed with DIR/secret.key (denunciations) */
};

/* Result of a creation. */
struct store_case_made {
	char code[24];
	char token[40];
	int64_t received_at, due_at;
	char duplicate_of[24];     /* the earlier open case of the same person and subject */
	int existing;              /* submit_key seen: the first case's code */
};

struct store_case {
	int64_t id;
	char code[24], kind[24], stage[16], channel[12];
	char category[48], category_name[160];
	char subject[800];
	char *content;             /* malloc'd (store_case_free); NULL in lists */
	char respondent[800], papers[1200], address[400];
	int has_location;
	double lat, lon;
	int anonymous, remote, complexity, extensions, intake_ext;
	int64_t received_at, accepted_at, decided_at, closed_at, due_at, resolve_due;
	int64_t handler_id, decider_id;
	char handler_name[96], decider_name[96], unit[256];
	char duplicate_of[24], parent[24];
	char forwarded_to[300], reason[1200], decision_no[64];
	char *decision_text;       /* malloc'd; NULL in lists */
	char verdict[32];
	char *public_answer;       /* malloc'd; NULL in lists */
	int64_t published_at;
	int finished_late;         /* -1 not decided */
	char token[40], source[64];
	int64_t citizen_id;        /* the citizen who filed it online (0: none, or sealed) */
	char owner_hash[33];       /* a denouncer's account, as a keyed hash (store_case_owned_by) */
	int64_t updated_at;
	int version;
	int linked;                /* cases merged into / linked to this one */
};
void store_case_free(struct store_case *c);
/* Whether the citizen filed the case (clear link, or the sealed one). */
int store_case_owned_by(struct store *st, const struct store_case *c, int64_t citizen);

/* An action's change: the case as it must be after (mutable columns of
 * `after` are written), the version it was read at, and the timeline row. */
struct store_case_change {
	const char *actor;         /* audit actor "user:NAME" */
	const char *actor_name;    /* the timeline's name (full name) */
	const char *action, *stage_from, *note, *doc_no, *details;
	int expect_version;
	const char *merge_into;    /* merge: the target's code (set duplicate_of) */
};

enum err store_case_create(struct store *st, const char *actor, const char *actor_name,
                           const struct store_case_in *in, struct store_case_made *out);
enum err store_case_get(struct store *st, const char *code, struct store_case *out);
enum err store_case_by_token(struct store *st, const char *token, char code[24]);
enum err store_case_update(struct store *st, const struct store_case *after, const struct store_case_change *ch);
/* The sender; when audit_actor is given the read is an audit event
 * ("case.party_view") written in the same transaction.  ERR_NOT_FOUND
 * when the case has no sender row (anonymous). */
enum err store_case_party(struct store *st, const char *code, const char *audit_actor,
                          struct store_case_party *out);

struct store_case_query {
	const char *kind;          /* "" any */
	const char *stage;         /* "" any */
	int open_only;             /* not a final stage */
	int final_only;
	int64_t overdue_before;    /* due_at < this (0 none) */
	int64_t due_before;        /* due_at < this (0 none) */
	int64_t person;            /* handler or decider (0 any) */
	int64_t citizen_id;        /* 0 any */
	const char *category;      /* "" any */
	const char *q;             /* folded words: subject_key LIKE; or a code */
	int64_t from, to;          /* received_at in [from, to) (0 open) */
	const char *kinds_in;      /* comma list of kinds allowed ("" all) */
	const char *const *codes;  /* only these codes (NULL any) */
	size_t ncodes;
	int published_only;
	const char *order;         /* "due", "received", "updated" */
	int offset, limit;
};
/* Rows (content, decision_text, public_answer left NULL except
 * public_answer when with_answer) into *out (free each with
 * store_case_free, then free(*out)). */
enum err store_case_list(struct store *st, const struct store_case_query *q, int with_answer,
                         struct store_case **out, size_t *n, size_t *total);

struct store_case_event {
	int64_t at;
	char actor[96], action[24], stage_from[16], stage_to[16];
	char note[1200], doc_no[64], details[600];
};
enum err store_case_events(struct store *st, const char *code, struct store_case_event **out, size_t *n);

struct store_case_file {
	int64_t id;
	char sha256[65], name[200], mime[64], kind[12];
	int64_t size, at;
};
enum err store_case_files(struct store *st, const char *code, struct store_case_file **out, size_t *n);
enum err store_case_file_add(struct store *st, const char *actor, const char *actor_name, const char *code,
                             const char *kind, const struct store_case_file_in *f);

struct store_case_category {
	char code[48], name[160], description[400], group[80], kind[24], keywords[200];
	int nattrs;
	struct {
		char code[48], datatype[20], description[200];
		int required, order;
		char vals[600];      /* "key=Name" lines */
	} attrs[8];
};
enum err store_case_categories(struct store *st, struct store_case_category **out, size_t *n);

/* received = open + finished (a decided case is finished, even while its
 * decision is being sent or published); duplicates are counted apart. */
struct store_case_count {
	char key[48];
	long received, open, finished, on_time, late, overdue_open, duplicates;
};
/* Counts by "kind" or "category" of cases received in [from, to). */
enum err store_case_counts(struct store *st, const char *by, int64_t from, int64_t to, int64_t now,
                           struct store_case_count **out, size_t *n);

/* Settings "cases.answer_days", "cases.remote_area" (ERR_NOT_FOUND when unset). */
enum err store_case_setting(struct store *st, const char *key, char *out, size_t n);
enum err store_case_setting_set(struct store *st, const char *actor, const char *key, const char *value);

#endif
