/*
 * calendar.h — the legal clock as the application uses it: a built
 * calendar (core) loaded from the store's overrides and office hours,
 * shared by all request threads and swapped when an admin changes it;
 * and the importer of override files (docs/holidays-format.md).
 */
#ifndef MOTCUA_APP_CALENDAR_H
#define MOTCUA_APP_CALENDAR_H
#include "core/calendar.h"
#include "core/deadline.h"
#include "store/store.h"

struct app;

/* One built calendar: immutable once published. */
struct calsnap {
	struct cal cal;            /* a window of years */
	struct cal_hours hours;
	int refs;                  /* guarded by the app's lock */
};

/* Builds years first..first+n-1 from the store (st may be NULL: rules only). */
enum err calsnap_build(struct store *st, int first, int n, struct calsnap **out);
void calsnap_free(struct calsnap *s);

/* The app's current calendar (a window around today); release after use. */
struct calsnap *cal_acquire(struct app *app);
void cal_release(struct app *app, struct calsnap *s);
/* Rebuilds the app's calendar from the store (after a change). */
enum err cal_reload(struct app *app);
/* A calendar holding `year` and the n years after it: the app's own when
 * it does, else a new one built for the call.  Release with cal_release. */
enum err cal_for(struct app *app, int year, int n, struct calsnap **out);

/* Parses and imports an override file, all or nothing.  On a bad file,
 * returns an error and writes "dòng N: reason" into detail. */
enum err cal_import_text(struct store *st, const char *actor, const char *text, size_t len,
                         const char *file_name, size_t *nrows, char *detail, size_t dlen);

/* Years a calendar window spans for due dates (3650 working days ≈ 15 years). */
#define CAL_DUE_SPAN 16

#endif
