/*
 * iso.h — the quality system's storage (issue #16 item 4;
 * store/sqlite/iso.c, migration 0022): documented processes with every
 * version kept, internal audits and their findings.  Every write is one
 * transaction with its audit event; the rules are in app/iso.c.
 */
#ifndef MOTCUA_STORE_ISO_H
#define MOTCUA_STORE_ISO_H
#include <stdint.h>
#include "core/errors.h"

struct store;

/* One version of a process (its code and id with it). */
struct store_iso_version {
	int64_t process_id;
	char code[40];
	int version;
	char title[600];
	char owner[400];
	char scope[2000];
	char steps[8000];          /* one step per line */
	char forms[2000];          /* one form per line */
	char records[2000];        /* one record per line */
	char retention[600];       /* how long the records are kept, in words */
	char procedures[1000];     /* catalogue codes, separated by commas */
	int32_t effective_day;     /* cal_day */
	char approved_by[200];
	char change_note[1000];
	char created_by[96];
	int64_t created_at;
	int versions;              /* read: how many the process has */
};

/* Creates process v->code with its version 1 (*id gets the process);
 * ERR_EXISTS for a code in use.  "iso.process.create". */
enum err store_iso_create(struct store *st, const char *actor, const struct store_iso_version *v, int64_t now,
                          int64_t *id);
/* Adds the version after `base` to process v->process_id; ERR_CONFLICT
 * when the current version is no longer `base` (someone revised first).
 * "iso.process.revise". */
enum err store_iso_revise(struct store *st, const char *actor, const struct store_iso_version *v, int base,
                          int64_t now);
/* Version `version` of a process (0: the current one). */
enum err store_iso_get(struct store *st, int64_t id, int version, struct store_iso_version *out);
/* The current version of every process, by code. */
enum err store_iso_list(struct store *st, int (*fn)(const struct store_iso_version *, void *), void *arg);
/* Every version of a process, newest first. */
enum err store_iso_history(struct store *st, int64_t id, int (*fn)(const struct store_iso_version *, void *),
                           void *arg);

struct store_iso_audit {
	int64_t id;
	int32_t day;
	char scope[1000];
	char auditors[600];
	char summary[4000];
	char created_by[96];
	int64_t created_at;
	int findings, open;        /* read */
};

struct store_iso_finding {
	int64_t id, audit_id, process_id;
	char process_code[40];     /* read */
	char kind[16];             /* nonconformity, observation */
	char description[2000];
	char action[2000];
	char unit[256];
	int32_t due_day, closed_day;   /* 0: none, open */
	char closed_note[1000];
	int32_t audit_day;         /* read */
};

enum err store_iso_audit_add(struct store *st, const char *actor, const struct store_iso_audit *a, int64_t now,
                             int64_t *id);
enum err store_iso_audit_get(struct store *st, int64_t id, struct store_iso_audit *out);
/* Every audit, newest first. */
enum err store_iso_audits(struct store *st, int (*fn)(const struct store_iso_audit *, void *), void *arg);
enum err store_iso_finding_add(struct store *st, const char *actor, const struct store_iso_finding *f, int64_t now,
                               int64_t *id);
/* Closes an open finding of audit_id; ERR_CONFLICT when it is closed. */
enum err store_iso_finding_close(struct store *st, const char *actor, int64_t audit_id, int64_t id, int32_t day,
                                 const char *note);
/* The findings of an audit (audit_id > 0) or every open one (0), by due day. */
enum err store_iso_findings(struct store *st, int64_t audit_id, int (*fn)(const struct store_iso_finding *, void *),
                            void *arg);

#endif
