/*
 * open311.h — Open311 GeoReport v2 (issue #14 item 7) as services: the
 * API keys the admin issues to client applications, and the bridge
 * between a GeoReport request and the case engine (app/cases.h).
 *
 * An Open311 "service" is a feedback category whose case kind is a
 * feedback kind (phản ánh, kiến nghị về quy định hành chính, góp ý); an
 * Open311 "service request" is a feedback case.  Complaints and
 * denunciations are never an Open311 service and never listed or
 * returned here, whatever their category says (the public reads in
 * cases.h refuse them too).
 */
#ifndef MOTCUA_APP_OPEN311_H
#define MOTCUA_APP_OPEN311_H
#include "app/app.h"
#include "app/cases.h"
#include "store/open311.h"

#define APP_OPEN311_KEY_MAX 64        /* "o311_" + 43 base64url characters + NUL fits */
#define APP_OPEN311_NAME_MAX 120      /* characters of a client's name */
#define APP_OPEN311_WINDOW (90 * 86400) /* GET requests: the default and widest range */
#define APP_OPEN311_LIMIT 1000        /* GET requests: at most this many */
#define APP_OPEN311_CODES 50          /* service_request_id / service_code list length */

/* ---- keys (admin) ------------------------------------------------------ */
/* Issues a key for client `name` (admin only).  The key is written once
 * into key (APP_OPEN311_KEY_MAX bytes) and never stored: only its hash. */
enum err app_open311_key_issue(struct app *a, const struct actor *ac, const char *name, char *key,
                               size_t keylen, int64_t *id, struct app_fail *f);
/* Revokes key id (admin only); ERR_NOT_FOUND, ERR_CONFLICT when revoked already. */
enum err app_open311_key_revoke(struct app *a, const struct actor *ac, int64_t id);
/* Every key, newest first (admin only). */
enum err app_open311_keys(struct app *a, const struct actor *ac,
                          int (*fn)(const struct store_open311_key *, void *), void *arg);
/* The client of a live key (counted as used); ERR_API_KEY (403) for a
 * missing, unknown or revoked key. */
enum err app_open311_key_check(struct app *a, const char *key, struct store_open311_key *client);

/* ---- services ---------------------------------------------------------- */
/* Whether a case kind is feedback, the only kinds Open311 shows. */
int app_open311_kind(enum case_kind k);
/* The Open311 services: the categories of a feedback kind (malloc'd). */
enum err app_open311_services(struct app *a, struct app_case_category **out, size_t *n);
/* One service; ERR_NOT_FOUND for an unknown code or a category of
 * another kind. */
enum err app_open311_service(struct app *a, const char *code, struct app_case_category *out);

/* ---- requests ---------------------------------------------------------- */
/* A GeoReport POST, decoded.  attrs: the attribute[code] answers
 * (a multivaluelist's values joined by "\n"). */
struct app_open311_post {
	const char *api_key;
	const char *service_code;
	int has_location;
	double lat, lon;
	const char *address;          /* address_string */
	const char *address_id;       /* accepted as a location, kept in the address */
	const char *email, *first_name, *last_name, *phone;
	const char *description;
	const char *media_url;        /* kept as a line of the content */
	const struct app_case_attr *attrs;
	size_t nattrs;
};
/* Files a GeoReport request as a feedback case (channel open311, kind of
 * the category) for the client of the key: ERR_API_KEY (bad key),
 * ERR_NOT_FOUND (unknown service), ERR_MISSING_FIELD / ERR_INVALID_FIELD
 * with f (no location, a required attribute missing, a value not in its
 * list …).  The sender's details go to the case's party, never to any
 * Open311 answer. */
enum err app_open311_submit(struct app *a, const struct app_open311_post *in, struct app_case_brief *out,
                            struct app_fail *f);

/* GET requests: service_request_id list (overrides the rest), service
 * codes, statuses ("open", "closed"), requested in [from, to].  The
 * caller has applied the default window; the range may not exceed
 * APP_OPEN311_WINDOW (ERR_OUT_OF_RANGE). */
struct app_open311_query {
	const char *const *ids;
	size_t nids;
	const char *const *services;
	size_t nservices;
	int open, closed;             /* which statuses (both 0 = both) */
	int64_t from, to;
};
/* Newest first, at most APP_OPEN311_LIMIT (malloc'd; app_case_public_list_free). */
enum err app_open311_requests(struct app *a, const struct app_open311_query *q, struct app_case_public **out,
                              size_t *n);

#endif
