/*
 * reception.h — citizen reception (tiếp công dân; issue #14 item 4):
 *  - the reception schedule (lịch tiếp công dân) of the chairman, a
 *    vice-chairman and the reception officer, edited by the admin and
 *    the leaders and published on the portal (app_public_write);
 *  - the reception register (sổ tiếp công dân), one row per visit,
 *    written by the clerk, officer and leader and read by them and the
 *    inspector (viewer);
 *  - the dialogue meetings with the people (đối thoại) and their
 *    conclusions, written and read by the same roles.
 * The law: Luật Tiếp công dân 42/2013/QH13 (which took over the reception
 * articles 59–62 of the Complaints Law 02/2011, repealed by its Điều 35;
 * shared/law/khieu-nai.md), its Điều 30 on many people coming about one
 * matter (a group: the register's "people"), and TT 04/2021/TT-TTCP on
 * organising reception (18.4.TT.3.4 place, 18.4.TT.3.5 organisation).
 * The texts of those articles are not in shared/law, so no figure of
 * theirs (how often a chairman receives) is built in: the schedule is
 * what the leaders enter.
 */
#ifndef MOTCUA_APP_RECEPTION_H
#define MOTCUA_APP_RECEPTION_H
#include "app/app.h"
#include "core/roles.h"

/* Who edits the schedule, who writes and who reads the register. */
#define APP_RC_SCHEDULE (ROLE_ADMIN | ROLE_LEADER)
#define APP_RC_WRITE (ROLE_CLERK | ROLE_OFFICER | ROLE_LEADER)
#define APP_RC_READ (APP_RC_WRITE | ROLE_VIEWER)

/* Vietnamese labels of the codes ("chairman" → "Chủ tịch UBND", "complaint"
 * → "Khiếu nại"); NULL for an unknown code. */
const char *app_rc_role_label(const char *role);
const char *app_rc_kind_label(const char *kind);

/* The schedule as entered (anyone reads it). */
enum err app_rc_slots(struct app *a, int (*fn)(const struct store_rc_slot *, void *), void *arg);
enum err app_rc_slot_get(struct app *a, int64_t id, struct store_rc_slot *out);
/* Checks and stores a slot (in->id 0: a new one; *id gets it).  A
 * refusal is ERR_INVALID_FIELD with f; nothing is written.  ERR_FORBIDDEN
 * for anyone but the admin and the leaders. */
enum err app_rc_slot_save(struct app *a, const struct actor *ac, const struct store_rc_slot *in,
                          struct app_fail *f, int64_t *id);
enum err app_rc_slot_delete(struct app *a, const struct actor *ac, int64_t id);

/* One coming session: a slot on a day; off names the day off (holiday)
 * a weekly session falls on, when it does ("" otherwise). */
struct app_rc_session {
	const struct store_rc_slot *slot;
	int32_t day;                  /* cal_day */
	const char *off;
};
#define APP_RC_SLOTS_MAX 200
/* The sessions of days from … from + ndays − 1 (ndays <= 366), by day
 * then time; fn returns non-zero to stop. */
enum err app_rc_sessions(struct app *a, int32_t from, int ndays,
                         int (*fn)(const struct app_rc_session *, void *), void *arg);

/* Records a visit at now (in->at may not lie in the future).  recorded_by
 * and created_at are filled here.  ERR_FORBIDDEN outside APP_RC_WRITE,
 * ERR_INVALID_FIELD with f. */
enum err app_rc_visit_add(struct app *a, const struct actor *ac, const struct store_rc_visit *in,
                          int64_t now, struct app_fail *f, int64_t *id);
/* What the register shows instead of a denouncer's name to anyone but
 * the official who recorded the visit. */
#define APP_RC_SECRET_NAME "Người tố cáo (giữ bí mật theo Luật Tố cáo 2018, Điều 47)"
/* The visits of a month (local time), oldest first; ERR_FORBIDDEN outside
 * APP_RC_READ, ERR_OUT_OF_RANGE for a month that is not one. */
enum err app_rc_visits(struct app *a, const struct actor *ac, int year, int month,
                       int (*fn)(const struct store_rc_visit *, void *), void *arg);

enum err app_rc_dialogue_add(struct app *a, const struct actor *ac, const struct store_rc_dialogue *in,
                             int64_t now, struct app_fail *f, int64_t *id);
enum err app_rc_dialogue_get(struct app *a, const struct actor *ac, int64_t id,
                             struct store_rc_dialogue *out);
enum err app_rc_dialogues(struct app *a, const struct actor *ac,
                          int (*fn)(const struct store_rc_dialogue *, void *), void *arg);

#endif
