/*
 * kiosk.h — the rating kiosk (issue #13 item 6): a tablet at the desk,
 * signed in as a clerk, on which the applicant who has just collected a
 * result rates it (the three levels of lookup.h and a comment).  The
 * clerk invites from the returned dossier's page; the tablet shows that
 * dossier only, and after the rating nothing until the next invitation.
 * The tablet can rate nothing else: the dossier is the clerk's current
 * invitation, checked here.  And the leader's list of comments.
 */
#ifndef MOTCUA_APP_KIOSK_H
#define MOTCUA_APP_KIOSK_H
#include "app/app.h"

/* An invitation lasts this long unanswered (the next applicant is not
 * shown the last one's dossier). */
#define APP_KIOSK_TTL (15 * 60)

/* 1 when ac (a clerk) may invite a rating of d now: returned, not rated. */
int app_kiosk_may_invite(struct app *a, const struct actor *ac, const struct store_dossier *d);
/* The clerk invites the applicant of dossier code to rate it on the
 * tablet; ERR_DOSSIER_STATE (f) when it is not returned or rated already. */
enum err app_kiosk_invite(struct app *a, const struct actor *ac, const char *code, struct app_fail *f);
/* The dossier the clerk's tablet asks about now (code, its procedure's
 * name); ERR_NOT_FOUND when none (or expired, or rated meanwhile). */
enum err app_kiosk_current(struct app *a, const struct actor *ac, char *code, size_t n, char *procedure,
                           size_t pn);
/* The rating from the tablet: code must be the current invitation
 * (ERR_CONFLICT otherwise); level and comment as app_rate. */
enum err app_kiosk_rate(struct app *a, const struct actor *ac, const char *code, const char *level,
                        const char *comment, struct app_fail *f);
/* Ratings with a comment in [from, to), newest first, at most 500
 * (leader, admin, viewer). */
enum err app_rating_comments(struct app *a, const struct actor *ac, int64_t from, int64_t to,
                             int (*fn)(const char *code, const char *procedure, const char *level,
                                       const char *comment, int64_t at, void *),
                             void *arg);

#endif
