/*
 * lookup.h — the applicant's own view of a dossier (/tra-cuu, the lookup
 * API) and the rating (DOMAIN decision 9), behind one proof.
 *
 * Codes are sequential by law (agency-YYMMDD-NNNN), so the second factor
 * carries the weight: the applicant's full phone number or the full
 * 12-digit personal ID — never a part of either.  Failed proofs are
 * counted per dossier code and per client address in the database (a
 * restart resets nothing; a success erases nothing); past the limits the
 * answer is ERR_THROTTLED whatever the key.  An unknown code and a wrong
 * key get the same answer through the same work (a failure recorded
 * either way, the key compared in constant time against a real or a
 * dummy record).
 */
#ifndef MOTCUA_APP_LOOKUP_H
#define MOTCUA_APP_LOOKUP_H
#include "app/app.h"

struct app_proof {
	const char *code;      /* as typed: any case, spaces around */
	const char *key;       /* full phone number or full 12-digit ID */
	const char *client;    /* the client's address, for the per-client count */
};

struct app_lookup {
	struct store_dossier d;   /* the dossier (free with app_lookup_free) */
	char rating[24];          /* its rating level, "" when not rated */
	int rateable;             /* finished and not yet rated */
	/* What the applicant is told (Decree 61/2018): while a supplement is
	 * awaited, its reason and the papers still missing; once refused (at
	 * intake or after processing), the refusal's reason.  NULL/0 else;
	 * malloc'd, freed by app_lookup_free. */
	char *reason;
	char **missing;
	size_t nmissing;
};

/* ERR_OK with *out filled; ERR_NOT_FOUND for an unknown code or a wrong
 * key alike; ERR_MISSING_FIELD when code or key is empty or too long;
 * ERR_THROTTLED when too many proofs failed (for this code or client). */
enum err app_lookup(struct app *a, const struct app_proof *p, struct app_lookup *out);
void app_lookup_free(struct app_lookup *l);
/* The same proof and guard, reading only what the lookup API answers
 * (store_dossier_brief: no whole record, the rating in the same read). */
struct app_lookup_brief {
	struct store_dossier_brief d;  /* with its rating level */
	char *reason;                  /* as struct app_lookup */
	char **missing;
	size_t nmissing;
};
enum err app_lookup_brief(struct app *a, const struct app_proof *p, struct app_lookup_brief *out);
void app_lookup_brief_free(struct app_lookup_brief *l);
/* The steps of a proven dossier the applicant may see, oldest first. */
enum err app_lookup_events(struct app *a, const struct app_lookup *l,
                           int (*fn)(const struct store_dossier_event *, void *), void *arg);

/* ---- ratings ---- */
/* Levels in display order; each with its Vietnamese label. */
struct app_rating_level {
	const char *code, *label;
};
extern const struct app_rating_level app_rating_levels[3];
/* The label of a level code, NULL for an unknown one. */
const char *app_rating_label(const char *code);
/* Rates a finished dossier once, with the lookup's proof: ERR_NOT_FOUND,
 * ERR_THROTTLED as app_lookup; ERR_INVALID_FIELD for a bad level or a
 * comment over 1,000 characters; ERR_DOSSIER_STATE when not finished;
 * ERR_EXISTS when rated already. */
enum err app_rate(struct app *a, const struct app_proof *p, const char *level, const char *comment,
                  struct app_fail *f);
/* How many ratings of each level (very satisfied, satisfied, unsatisfied)
 * were given in [from, to) (staff reports). */
enum err app_rating_counts(struct app *a, const struct actor *ac, int64_t from, int64_t to, int64_t out[3]);

#endif
