/*
 * cases.h — complaints, denunciations, petitions and feedback (issue #14):
 * one engine for every case type, on the legal clock.  The rules are data
 * in core/case_rules.c; this service checks who may do what to which
 * case, keeps the due dates, and writes each change with its timeline
 * row and its audit event in one transaction.
 *
 * Who reads what.  Staff (clerk, officer, leader, inspector) read cases;
 * admins do not.  The sender's identity is never part of struct app_case:
 * it comes only from app_case_party, which for a denunciation answers
 * only the assigned handler and the deciding leader, and writes an audit
 * event for every read (Luật Tố cáo 2018, Điều 47–48).  A citizen reads
 * the cases he filed while signed in, or one case with its code and full
 * phone number (the lookup's guard against guessing).
 */
#ifndef MOTCUA_APP_CASES_H
#define MOTCUA_APP_CASES_H
#include "app/app.h"
#include "core/case_rules.h"

#define APP_CASE_CODE_MAX 24
#define APP_CASE_SUBJECT_MAX 200      /* characters */
#define APP_CASE_CONTENT_MAX 8000
#define APP_CASE_FILES 10
#define APP_CASE_ATTRS 16

enum app_case_channel { APP_CASE_DESK, APP_CASE_POST, APP_CASE_ONLINE, APP_CASE_API, APP_CASE_OPEN311 };

struct app_case_party {
	char name[160];
	char id_number[16];
	char phone[24];
	char email[128];
	char address[400];
};

struct app_case_attr {
	const char *code, *value;     /* a multivaluelist: values separated by "\n" */
};

struct app_case_file_in {
	const void *data;
	size_t len;
	const char *name;             /* shown name; the type is sniffed (PDF, JPEG, PNG) */
};

struct app_case_in {
	enum case_kind kind;
	enum app_case_channel channel;
	const char *category;         /* case_categories.code; "" = none (required for open311) */
	const char *subject, *content;
	const char *respondent;       /* complaint: the decision/act and who made it; denunciation: who */
	const char *papers;           /* papers received (desk, post) */
	const char *address;          /* where the matter is */
	int has_location;
	double lat, lon;
	int anonymous;                /* only kinds that allow it; the party is then ignored */
	struct app_case_party party;
	int64_t received_at;          /* post: the day it arrived (≤ now); 0 = now */
	const char *parent_code;      /* complaint_2: the first-instance case here, if any */
	const struct app_case_file_in *files;
	size_t nfiles;
	const struct app_case_attr *attrs;
	size_t nattrs;
	const char *source;           /* the API client's name (api, open311) */
	const char *key;              /* idempotency: a resend returns the first case */
};

/* What a case is, without its sender. */
struct app_case {
	int64_t id;
	char code[APP_CASE_CODE_MAX];
	enum case_kind kind;
	enum case_stage stage;
	enum app_case_channel channel;
	char category[48], category_name[160];
	char subject[800];
	char *content;                /* malloc'd; app_case_free */
	char respondent[800];
	char papers[1200];
	char address[400];
	int has_location;
	double lat, lon;
	int anonymous, remote, complexity, extensions, intake_ext;
	int64_t received_at, accepted_at, decided_at, closed_at;
	int64_t due_at;               /* the running stage's limit; 0 = none */
	int64_t resolve_due;          /* the resolution limit (after acceptance) */
	int overdue;                  /* due_at passed and the stage is still open */
	int64_t handler_id, decider_id;
	char handler_name[96], decider_name[96];
	char unit[256];
	char duplicate_of[APP_CASE_CODE_MAX];
	char parent[APP_CASE_CODE_MAX];
	char forwarded_to[300];
	char reason[1200];
	char decision_no[64];
	char *decision_text;          /* malloc'd */
	char verdict[32];
	char *public_answer;          /* malloc'd */
	int64_t published_at;
	int finished_late;            /* -1 not decided, 0 on time, 1 late */
	char token[40];
	char source[64];
	int64_t updated_at;
	int version;
	int linked;                   /* cases merged into this one */
};
void app_case_free(struct app_case *c);

/* One row of a queue or list: no sender, no content. */
struct app_case_row {
	char code[APP_CASE_CODE_MAX];
	enum case_kind kind;
	enum case_stage stage;
	enum app_case_channel channel;
	char category[48];
	char subject[800];
	int64_t received_at, due_at, updated_at;
	int overdue;
	char handler_name[96];
};

struct app_case_filter {
	int kind;                     /* -1 any */
	int stage;                    /* -1 any open one (not final); CASE_NSTAGES = any at all */
	int overdue;                  /* only overdue ones */
	int due_soon;                 /* due within 2 working days (and not overdue) */
	int mine;                     /* handled or to be decided by the actor */
	const char *category;         /* "" any */
	const char *q;                /* code or words of the subject */
	int64_t from, to;             /* received in [from, to); 0 = open */
	int offset, limit;            /* limit ≤ 200; 0 = 50 */
	const char *order;            /* "due" (default: soonest first), "received", "updated" */
};

/* Files of a case (metadata). */
struct app_case_file {
	int64_t id;
	char sha256[65];
	char name[200];
	char mime[64];
	int64_t size;
	char kind[12];
	int64_t at;
};

struct app_case_event {
	int64_t at;
	char actor[96];               /* the staff member's full name, or "Người gửi" / "Hệ thống" */
	char action[24];              /* case action code, or "submit" */
	char action_label[96];
	char stage_from[16], stage_to[16];
	char note[1200];
	char doc_no[64];
	char details[600];            /* JSON text */
};

/* An action on a case.  version: the case's version as read (409 when it
 * changed since). */
struct app_case_act {
	enum case_action action;
	int version;
	const char *note;             /* reason for reject/forward/withdraw/extend; note text */
	int64_t handler_id;           /* assign: the officer handling it (0 = keep) */
	int64_t decider_id;           /* assign: the leader who decides (0 = keep) */
	const char *forwarded_to;     /* forward: the competent body */
	const char *doc_no;           /* the number of the issued document (accept, reject, decide, extend) */
	const char *decision_text;    /* decide: the decision / conclusion / answer */
	const char *verdict;          /* decide: "dung", "dung-mot-phan", "sai" (complaints, denunciations) */
	const char *public_answer;    /* publish: the text published, without personal data */
	int complexity;               /* extend: 1 complex, 2 very complex (denunciation, second extension) */
	int remote;                   /* accept: -1 keep, 0/1 remote area */
	int64_t dialogue_at;          /* dialogue: when it was held */
	const char *dialogue_people;  /* dialogue: who took part */
	const char *dialogue_result;  /* dialogue: its conclusion */
	const char *merge_into;       /* merge: the earlier case's code */
};

/* The brief answer of a submission. */
struct app_case_brief {
	char code[APP_CASE_CODE_MAX];
	char token[40];
	enum case_kind kind;
	int64_t received_at;
	int64_t due_at;               /* when the sender hears whether it is accepted (or answered) */
	char duplicate_of[APP_CASE_CODE_MAX]; /* linked to this earlier case of the same person */
	int existing;                 /* the key was seen: this is the first case */
};

/* Submits a case.  Desk and post: clerks, officers, leaders (the actor
 * records it); online: anyone (ROLE_PUBLIC or a signed-in citizen, who
 * then owns it); api/open311: the caller vouched for the client.  The
 * identity is required for complaints and denunciations (name, address,
 * phone or e-mail).  A case of the same person (ID number or phone) with
 * the same subject still open is linked (duplicate_of) and not counted
 * twice.  On a refusal f says which input and nothing is stored. */
enum err app_case_submit(struct app *a, const struct actor *ac, const struct app_case_in *in,
                         struct app_case_brief *out, struct app_fail *f);

/* A case for staff who may read it (ERR_NOT_FOUND otherwise). */
enum err app_case_get(struct app *a, const struct actor *ac, const char *code, struct app_case *out);
/* The sender: for a denunciation only its handler and deciding leader
 * (ERR_FORBIDDEN for anyone else), each read audited ("case.party_view");
 * for other kinds staff who may read the case.  ERR_NOT_FOUND when
 * anonymous. */
enum err app_case_party(struct app *a, const struct actor *ac, const char *code, struct app_case_party *out);
/* Whether ac may read the sender of this case (no audit event). */
int app_case_party_visible(struct app *a, const struct actor *ac, const struct app_case *c);
/* Lists for staff (rows malloc'd into *rows; free()), total in *total. */
enum err app_case_list(struct app *a, const struct actor *ac, const struct app_case_filter *flt,
                       struct app_case_row **rows, size_t *n, size_t *total);
enum err app_case_events(struct app *a, const struct actor *ac, const char *code, struct app_case_event **ev,
                         size_t *n);
enum err app_case_files(struct app *a, const struct actor *ac, const char *code, struct app_case_file **files,
                        size_t *n);
/* The bytes of one file of a case ac may read (malloc'd). */
enum err app_case_file_get(struct app *a, const struct actor *ac, const char *code, const char *sha256,
                           struct app_case_file *meta, void **data, size_t *len);
/* Attaches a file at the desk (kind "desk") or the signed result ("result"). */
enum err app_case_attach(struct app *a, const struct actor *ac, const char *code, const char *kind,
                         const struct app_case_file_in *file, struct app_fail *f);
/* Acts on a case; the rules of core/case_rules.c and who holds it decide. */
enum err app_case_act(struct app *a, const struct actor *ac, const char *code, const struct app_case_act *in,
                      struct app_fail *f);
/* The actions ac may take now (bit per enum case_action). */
unsigned app_case_actions(struct app *a, const struct actor *ac, const struct app_case *c);

/* ---- categories (also the Open311 services) -------------------------- */
struct app_case_category {
	char code[48], name[160], description[400], group[80], kind[24], keywords[200];
	int nattrs;
	struct {
		char code[48], datatype[20], description[200];
		int required, order;
		int nvals;
		struct {
			char key[48], name[120];
		} vals[12];
	} attrs[8];
};
enum err app_case_categories(struct app *a, struct app_case_category **out, size_t *n);
enum err app_case_category(struct app *a, const char *code, struct app_case_category *out);

/* ---- the public side --------------------------------------------------- */
/* What the sender (or anyone with the proof) sees: no staff names, no
 * sender data beyond what he typed. */
struct app_case_public {
	char code[APP_CASE_CODE_MAX];
	enum case_kind kind;
	enum case_stage stage;
	char category[48], category_name[160];
	char subject[800];
	char address[400];
	int has_location;
	double lat, lon;
	int64_t received_at, accepted_at, decided_at, closed_at, due_at, updated_at;
	char reason[1200];            /* why not accepted / where forwarded */
	char *public_answer;          /* malloc'd; "" until published */
	int64_t published_at;
	char token[40];
	char agency_unit[160];        /* "UBND xã …" (Open311 agency_responsible) */
};
void app_case_public_free(struct app_case_public *p);
/* The case with its code and the sender's full phone, behind the
 * lookup's guard (client: the requester's address).  ERR_NOT_FOUND for
 * any mismatch (never says which), ERR_LOOKUP_THROTTLED. */
enum err app_case_lookup(struct app *a, const char *client, const char *code, const char *phone,
                         struct app_case_public *out);
/* A case's public view by code with no proof: only what may be public
 * (Open311 GET requests/{id}: no sender data, no content of a complaint
 * or denunciation — those kinds are never returned: ERR_NOT_FOUND). */
enum err app_case_public_get(struct app *a, const char *code, struct app_case_public *out);
/* Open311 tokens: the case code of a token (ERR_NOT_FOUND). */
enum err app_case_by_token(struct app *a, const char *token, char code[APP_CASE_CODE_MAX]);
/* Public list of feedback (kinds phan-anh, kien-nghi-qdhc, gop-y only):
 * codes (comma list, ≤ 50; NULL = any), category, stage set ("open" =
 * not final, "closed" = final; NULL any), received in [from, to). */
struct app_case_public_filter {
	const char *const *codes;
	size_t ncodes;
	const char *category;
	const char *status;           /* "open", "closed" or NULL */
	int64_t from, to;
	int published_only;           /* only cases with a published answer */
	int offset, limit;            /* limit ≤ 1000; 0 = 50 */
};
enum err app_case_public_list(struct app *a, const struct app_case_public_filter *flt,
                              struct app_case_public **out, size_t *n, size_t *total);
void app_case_public_list_free(struct app_case_public *l, size_t n);
/* The cases a signed-in citizen filed (citizen actor). */
enum err app_case_mine(struct app *a, const struct actor *ac, struct app_case_row **rows, size_t *n);

/* ---- statistics ---------------------------------------------------------- */
struct app_case_stats_row {
	char key[48], label[200];
	long received, open, finished, on_time, late, overdue_open, duplicates;
};
/* by: "kind" or "category"; received in [from, to) (0 = open ends).
 * Duplicates (merged or linked) are counted apart, not in received. */
enum err app_case_stats(struct app *a, const char *by, int64_t from, int64_t to, struct app_case_stats_row **rows,
                        size_t *n);

/* The agency's target for kinds without a legal limit (working days),
 * from the setting "cases.answer_days"; and whether the commune is a
 * remote area ("cases.remote_area") for the longer legal limits. */
int app_case_answer_days(struct app *a);
int app_case_remote_area(struct app *a);
/* Sets both (admins only; audited): answer_days 1..90 working days. */
enum err app_case_settings_set(struct app *a, const struct actor *ac, int answer_days, int remote_area,
                               struct app_fail *f);

const char *app_case_channel_code(enum app_case_channel ch);
int app_case_channel_from_code(const char *code, enum app_case_channel *out);
const char *app_case_channel_label(enum app_case_channel ch);

#endif
