/*
 * app.h — the application: what motcua *does*, whoever asks (pages, API,
 * CLI, tests).  A service takes the application, an actor and typed C
 * structs; it checks who may do what to which record, calls store/ and
 * core/, and returns an error code from the registry (core/errors.def)
 * with, on a refusal, which input was wrong and why in Vietnamese.
 *
 * Nothing under src/app sees HTTP, JSON, HTML or argv
 * (scripts/layers.sh checks it).
 */
#ifndef MOTCUA_APP_H
#define MOTCUA_APP_H
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "core/errors.h"
#include "store/store.h"

struct calsnap;
struct app_backup;
struct visits;
struct app_notify;

/* Limits of the public lookup's guessing (lookup.c); 0 = defaults. */
struct app_lookup_limits {
	int per_code;          /* failures per dossier code per window (10) */
	int per_client;        /* failures per client address per window (30) */
	int64_t window;        /* seconds (900) */
};

#define APP_TOP_MAX 8   /* procedures app_top_procedures keeps */
#define APP_TOP_TTL 600 /* seconds they are kept */

struct app {
	struct store *st;
	struct store_agency agency;
	/* the shared calendar snapshot (calendar.c) */
	pthread_mutex_t cal_lock;   /* guards cal and the snapshots' refs */
	struct calsnap *cal;        /* the current calendar */
	int64_t cal_rev;            /* store_calendar_rev() it was built at */
	int64_t cal_checked;        /* when the revision was last read (s) */
	/* policy */
	int leaders_see_all;        /* leaders act on every unit's dossiers */
	struct app_lookup_limits lookup;
	/* services with their own state, started by the server */
	struct app_backup *backup;  /* backup.c: NULL until app_backup_start */
	struct visits *visits;      /* the portal's visit counter (visits.c); NULL outside serve */
	struct app_notify *notify;  /* notify.c: the delivery worker; NULL until app_notify_start */
	/* what the public pages show (catalogue, news, the agency's contact)
	 * changed: bumped after each such write commits; the faces' render
	 * caches compare it (app_public_changed) */
	atomic_uint_least64_t public_rev;
	/* what the statistics facts need of procedure versions (facts.c):
	 * versions never change, so they are kept */
	pthread_mutex_t facts_lock;
	struct app_pver {
		int64_t id;
		int online, paper_result;
	} facts_pv[256];
	size_t facts_npv;
	int facts_on;               /* app_facts_start ran: the store's hook is ours */
	/* the procedures most received lately (app_top_procedures), kept
	 * APP_TOP_TTL seconds: counting a year of a province's dossiers on
	 * every view of the home page would cost a second each */
	pthread_mutex_t top_lock;
	int64_t top_at;             /* when they were counted (s); 0 = never */
	int top_n;
	struct app_top {
		char code[64];
		int64_t count;
	} top[APP_TOP_MAX];
};

/* Who is asking.  role is one ROLE_* bit (core/roles.h); ROLE_PUBLIC for
 * an applicant or anyone not signed in. */
struct actor {
	int64_t user_id;            /* 0 when not signed in */
	unsigned role;
	char unit[256];             /* the account's unit ("" = none) */
	char name[96];              /* the audit trail's actor: "user:NAME", "applicant:CODE", … */
};

/* Why a request was refused: the input (an API name such as
 * "applicant.phone", "" when it is not one field) and a Vietnamese
 * sentence a clerk or citizen understands. */
struct app_fail {
	char field[48];
	char msg[320];
};

/* Opens the application over an open store: reads the agency and builds
 * the calendar.  0 or -1 with a message in err. */
int app_init(struct app *a, struct store *st, char *err, size_t errlen);
void app_free(struct app *a);

/* Sets f (may be NULL) and returns e: `return app_fail(f, e, "phone", "…")`.
 * msg is Vietnamese words for people, never the field's name: a page shows
 * it as it is, the API puts field in a member of its own. */
enum err app_fail(struct app_fail *f, enum err e, const char *field, const char *msg);

/* Marks what the public pages show as changed (after a write of the
 * catalogue, news or the agency's contact committed) and returns e, so a
 * service ends with `return app_public_write(a, store_…(…));`: only an
 * ERR_OK bumps the revision. */
enum err app_public_write(struct app *a, enum err e);
/* The revision of what the public pages show. */
uint64_t app_public_rev(struct app *a);

/* Copies src trimmed into dst (n bytes): valid UTF-8, at most max code
 * points, no control characters but, when lines is set, line breaks and
 * tabs.  0, or -1 when it is not such a text or does not fit.  For the
 * free-text fields of forms (reception, plans). */
int app_text_take(char *dst, size_t n, const char *src, size_t max, int lines);

/* Fills an actor for a staff account. */
void app_actor_staff(struct actor *ac, const struct store_user *u);
/* Fills an actor for the system itself (the CLI, the nightly thread):
 * every role, name as given ("system:cli"). */
void app_actor_system(struct actor *ac, const char *name);

#endif
