/*
 * iso.h — the quality management system (issue #16 item 4; ISO 9001 in the
 * administration, the directive's point 10): the documented processes
 * (quy trình) with their owner, scope, steps, forms, records and how long
 * the records are kept, linked to the catalogue's procedures they govern,
 * every version kept and the current one printable; internal audits with
 * their findings, corrective actions and due days.
 *
 * Every staff account reads the processes (each officer works by them);
 * the admin and the leaders write processes and audits; the inspector
 * reads the audits too.  A revision is refused when someone revised the
 * process first (the form carries the version it was read at).
 */
#ifndef MOTCUA_APP_ISO_H
#define MOTCUA_APP_ISO_H
#include "app/app.h"
#include "core/roles.h"
#include "store/iso.h"

#define APP_ISO_WRITE (ROLE_ADMIN | ROLE_LEADER)
#define APP_ISO_READ ROLE_STAFF

enum err app_iso_list(struct app *a, const struct actor *ac, int (*fn)(const struct store_iso_version *, void *),
                      void *arg);
enum err app_iso_get(struct app *a, const struct actor *ac, int64_t id, int version, struct store_iso_version *out);
enum err app_iso_history(struct app *a, const struct actor *ac, int64_t id,
                         int (*fn)(const struct store_iso_version *, void *), void *arg);
/* Creates a process (in->process_id 0; code, title, owner, steps, the day
 * it takes effect and who approved it required) or revises it (in->process_id
 * and base: the version the form was read at; a change note required). */
enum err app_iso_save(struct app *a, const struct actor *ac, const struct store_iso_version *in, int base,
                      int64_t now, struct app_fail *f, int64_t *id);

enum err app_iso_audits(struct app *a, const struct actor *ac, int (*fn)(const struct store_iso_audit *, void *),
                        void *arg);
enum err app_iso_audit_get(struct app *a, const struct actor *ac, int64_t id, struct store_iso_audit *out);
enum err app_iso_audit_add(struct app *a, const struct actor *ac, const struct store_iso_audit *in, int64_t now,
                           struct app_fail *f, int64_t *id);
/* A finding of audit in->audit_id: a nonconformity needs its corrective
 * action, the unit and a due day on or after the audit. */
enum err app_iso_finding_add(struct app *a, const struct actor *ac, const struct store_iso_finding *in, int64_t now,
                             struct app_fail *f, int64_t *id);
enum err app_iso_finding_close(struct app *a, const struct actor *ac, int64_t audit_id, int64_t id, const char *note,
                               int64_t now, struct app_fail *f);
/* The findings of an audit, or (audit_id 0) every open nonconformity. */
enum err app_iso_findings(struct app *a, const struct actor *ac, int64_t audit_id,
                          int (*fn)(const struct store_iso_finding *, void *), void *arg);

#endif
