/*
 * proc.h — an administrative procedure (thủ tục hành chính) as C data,
 * the model of docs/catalogue-format.md, and the one check of what a
 * valid procedure is ("Validation rules" there).
 *
 * Every string member is malloc'd and owned by the struct (proc_free
 * frees them).  "None" is NULL for strings and PROC_NONE (-1) for
 * numbers and enums.  The JSON form is core/proc_json.h.
 */
#ifndef MOTCUA_CORE_PROC_H
#define MOTCUA_CORE_PROC_H
#include <stddef.h>
#include <stdint.h>
#include "core/errors.h"

#define PROC_NONE (-1)

/* Lengths in code points (NFC), and list sizes. */
#define PROC_CODE_MIN 4
#define PROC_CODE_MAX 40
#define PROC_NAME_MIN 3
#define PROC_NAME_MAX 500
#define PROC_FIELD_MIN 2
#define PROC_FIELD_MAX 200
#define PROC_AGENCY_MAX 200
#define PROC_LEVEL_MAX 100
#define PROC_TEXT_MAX 2000          /* time_limit.text, fee.text, fee.exemptions */
#define PROC_FEE_MAX 1000000000000LL
#define PROC_DOCS_MAX 100
#define PROC_DOC_NAME_MAX 500
#define PROC_DOC_TEMPLATE_MAX 300
#define PROC_DOC_COUNT_MAX 100
#define PROC_STEPS_MAX 50
#define PROC_STEP_MAX 2000
#define PROC_BASIS_MAX 50
#define PROC_BASIS_ITEM_MAX 500
#define PROC_RESULT_MAX 500
#define PROC_DECISION_MAX 200
#define PROC_SOURCES_MAX 4000
#define PROC_VERIFY_MAX 20

enum proc_code_kind { PROC_NATIONAL, PROC_LOCAL };
enum proc_form { PROC_ORIGINAL, PROC_COPY, PROC_PRESENT, PROC_EITHER };
enum proc_online { PROC_ONLINE_UNSET = PROC_NONE, PROC_ONLINE_FULL, PROC_ONLINE_PARTIAL, PROC_ONLINE_NO };
enum proc_status { PROC_DRAFT, PROC_PUBLISHED, PROC_RETIRED };
enum proc_confidence { PROC_CONF_UNSET = PROC_NONE, PROC_CONF_V, PROC_CONF_I, PROC_CONF_NV };

/* The documented names of each enum, in enum order, NULL-terminated. */
extern const char *const proc_code_kinds[];
extern const char *const proc_forms[];
extern const char *const proc_online_levels[];
extern const char *const proc_statuses[];
extern const char *const proc_confidences[];
/* The top-level names to_verify may hold, in the documented order. */
extern const char *const proc_verify_fields[];

/* The index of s in names (NULL-terminated), or -2 when s is not there
 * (proc_check refuses the -2; PROC_NONE stays "none"). */
int proc_enum_find(const char *const *names, const char *s);

struct proc_strs {
	char **v;
	size_t n;
};

struct proc_doc {
	char *name;
	enum proc_form form;
	int count;                 /* copies, 1..PROC_DOC_COUNT_MAX */
	char *template_;           /* "" when none is named */
};

struct proc {
	char *code;                /* "1.001193" or a local "XA.HT.01" */
	enum proc_code_kind code_kind;
	char *name, *field, *agency, *level;
	struct {
		int days;              /* working days, PROC_NONE when unknown */
		int same_day;          /* "ngay trong ngày" (then days is 0) */
		char *cutoff;          /* "HH:MM" or NULL (the default) */
		char *text;
	} time_limit;
	struct {
		int64_t amount;        /* whole đồng, PROC_NONE when not one amount */
		char *text, *exemptions;
	} fee;
	struct proc_doc *documents;
	size_t ndocuments;
	struct proc_strs steps, legal_basis;
	char *result;              /* or NULL */
	enum proc_online online_level;
	struct {
		char *decision;        /* or NULL */
		char *date;            /* "YYYY-MM-DD" or NULL */
	} publication;
	enum proc_status status;
	enum proc_confidence confidence;
	char *sources;
	struct proc_strs to_verify; /* top-level names, in the order given */
};

/* An empty procedure: no strings yet ("" where the format has a string),
 * days, amount, online level and confidence none, status draft.  0 or -1
 * (out of memory). */
int proc_init(struct proc *p);
void proc_free(struct proc *p);
/* Frees v[0..n) and v. */
void proc_array_free(struct proc *v, size_t n);
/* Appends a copy of s; 0 or -1. */
int proc_strs_add(struct proc_strs *l, const char *s);
/* Appends a document (copies name and template); 0 or -1. */
int proc_doc_add(struct proc *p, const char *name, enum proc_form form, int count, const char *tmpl);
/* Replaces *slot by a copy of s (NULL allowed); 0 or -1. */
int proc_set(char **slot, const char *s);

/* National code "1.001193" or a visibly local one "XA.HT.01". */
int proc_code_national(const char *code);
int proc_code_local(const char *code);

/* Where a procedure is wrong: the field path ("documents[2].form") and a
 * Vietnamese sentence naming it (`Trường "documents[2].form": …`). */
struct proc_problem {
	char field[48];
	char msg[320];
};

/* Checks every rule of docs/catalogue-format.md: required texts, lengths
 * in code points, NFC without control characters, the code's form and
 * its kind, enums, days 0..DL_MAX_DAYS, same day ⇒ 0 days, the cut-off
 * HH:MM, a real publication date, counts, list sizes, to_verify names.
 * ERR_OK, or ERR_MISSING_FIELD / ERR_INVALID_FIELD / ERR_BAD_UTF8 with
 * the first problem in *pb (may be NULL). */
enum err proc_check(const struct proc *p, struct proc_problem *pb);

#endif
