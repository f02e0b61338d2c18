/*
 * web.h — where the layers meet: the application context, the route
 * table, authentication and page rendering shared by the handlers.
 */
#ifndef MOTCUA_WEB_H
#define MOTCUA_WEB_H
#include <jansson.h>
#include <pthread.h>
#include "app/app.h"
#include "core/vntime.h"
#include "http/http.h"
#include "store/store.h"

struct tmpl_set;
struct throttle;

struct web_app {
	struct app core;         /* the services (src/app): every dossier change goes through it */
	struct store *st;        /* = core.st, for the handlers not moved to src/app yet */
	struct tmpl_set *tmpl;
	struct store_agency agency;
	struct throttle *throttle;
	int secure_cookies;      /* add Secure to cookies (behind TLS) */
	char public_url[256];    /* "https://host[:port]" printed in QR codes; "" = from Host */
	int64_t idle_timeout;    /* seconds of inactivity that end a session */
	int64_t session_max;     /* absolute session lifetime, seconds */
	char dummy_hash[160];    /* verified against for unknown users (constant time) */
	char metrics_token[256]; /* Bearer token for /metrics ("" = admin session only) */
	struct http_server *srv;
	struct pagecache *pages; /* the public pages' render cache (pagecache.h); NULL: none */
};

/* The signed-in account of a request (req->user). */
struct web_user {
	struct store_user u;
	unsigned role;              /* ROLE_* bit */
	unsigned char token_hash[32];
	char csrf[64];
	int api;                    /* signed in with a Bearer token */
};

/* Route flag: a Bearer token given to serve --metrics-token-file passes
 * the role check too (monitoring without an account). */
#define ROUTE_METRICS_TOKEN ROUTE_CALLER_FLAGS

extern const struct http_route web_routes[];
extern const size_t web_nroutes;

/* Sets up app (templates, throttling, agency); 0 or -1 with err. */
int web_app_init(struct web_app *app, struct store *st, char *err, size_t errlen);
void web_app_free(struct web_app *app);

/* ---- auth.c -------------------------------------------------------- */
/* The http layer's hooks: roles and session at the head, CSRF after the body. */
enum err web_authorize(struct http_req *req, struct http_resp *resp);
enum err web_before(struct http_req *req, struct http_resp *resp);
/* Argon2id hash of a password into out (crypto_pwhash_STRBYTES). */
enum err web_hash_password(const char *password, char *out, size_t outlen);
int web_verify_password(const char *hash, const char *password);
/* Password policy: at least 10 characters (code points), at most 1024 bytes. */
enum err web_password_ok(const char *password);
/* Username policy: 3–32 of [a-z0-9._-], starting with a letter or digit. */
enum err web_username_ok(const char *username);
/* The CSRF token to embed in forms for this request. */
const char *web_csrf(struct http_req *req, struct http_resp *resp);
/* Creates a session for u; writes its token (base64url) into token. */
enum err web_session_start(struct http_req *req, const struct store_user *u,
                           const char *channel, char *token, size_t tlen,
                           int64_t *expires_at);
struct web_user *web_user(const struct http_req *req);

/* Citizens (issue #13): the citizen signed in on this request (cookie
 * motcua_citizen) into ac, his contact into contact (may be NULL);
 * ERR_NOT_FOUND when none. */
enum err web_citizen(struct http_req *req, struct actor *ac, char *contact, size_t n);
/* Sets the citizen session cookie (token), or clears it (NULL). */
void web_citizen_cookie(struct http_req *req, struct http_resp *resp, const char *token);
/* The citizen cookie's token, or NULL. */
const char *web_citizen_token(struct http_req *req, char *out, size_t n);

/* ---- signin.c ------------------------------------------------------ */
struct throttle *web_throttle_new(void);
void web_throttle_free(struct throttle *t);
/* The one sign-in check (page and API): ERR_THROTTLED with *wait seconds
 * before any password is checked; ERR_BAD_CREDENTIALS alike for an
 * unknown account, a wrong password and a disabled account (one Argon2id
 * verification each); ERR_OK with *u the account. */
enum err web_sign_in(struct http_req *req, const char *username, const char *password,
                     struct store_user *u, int *wait);
/* Sets the signed device cookie after a successful sign-in: this device
 * is not held back by failures others cause on u's account. */
void web_device_remember(struct http_req *req, struct http_resp *resp,
                         const struct store_user *u);
/* "user:NAME" or "anonymous" for audit events. */
void web_actor(const struct http_req *req, char *out, size_t n);
/* The request's actor for the services: the signed-in account, or the
 * public (ROLE_PUBLIC) when nobody is. */
void web_actor_of(const struct http_req *req, struct actor *ac);

/* ---- render.c ------------------------------------------------------ */
/* The data every page gets (title, agency, user, csrf, nav, year). */
json_t *web_page_data(struct http_req *req, struct http_resp *resp, const char *title);
/* Renders page inside the layout with data (consumed) into resp. */
enum err web_render(struct http_req *req, struct http_resp *resp, const char *page, json_t *data);
void web_error_page(struct http_req *req, struct http_resp *resp, enum err e, const char *detail);
/* Appends v percent-encoded for a URL query (only A–Z a–z 0–9 - . _ kept). */
void web_urlencode(struct buf *b, const char *v);
/* An instant as a JSON RFC 3339 string with +07:00; 0 (never) is null. */
json_t *web_json_instant(int64_t t);
/* Answers with an uploaded file's bytes (data is freed): the type sniffed
 * at upload (PDF, PNG, else JPEG; never anything rendered inline as
 * another), inline, never cached. */
enum err web_send_upload(struct http_resp *resp, void *data, size_t len, const char *mime);
/* "http(s)://host[:port]" of this server as the request reached it (the
 * Host header when it is a plain host[:port], else localhost). */
void web_base_url(struct http_req *req, char *out, size_t n);

/* ---- handlers ------------------------------------------------------ */
enum err page_home(struct http_req *, struct http_resp *);
enum err page_login(struct http_req *, struct http_resp *);
enum err page_login_post(struct http_req *, struct http_resp *);
enum err page_logout(struct http_req *, struct http_resp *);
enum err page_static(struct http_req *, struct http_resp *);
enum err page_healthz(struct http_req *, struct http_resp *);
enum err page_metrics(struct http_req *, struct http_resp *);
enum err admin_users(struct http_req *, struct http_resp *);
enum err admin_user_new(struct http_req *, struct http_resp *);
enum err admin_user_create(struct http_req *, struct http_resp *);
enum err admin_user(struct http_req *, struct http_resp *);
enum err admin_user_update(struct http_req *, struct http_resp *);
enum err admin_user_active(struct http_req *, struct http_resp *);
enum err admin_user_password(struct http_req *, struct http_resp *);
enum err api_session_create(struct http_req *, struct http_resp *);
enum err api_session_delete(struct http_req *, struct http_resp *);
enum err api_me(struct http_req *, struct http_resp *);
enum err api_users(struct http_req *, struct http_resp *);
enum err api_cal_holidays(struct http_req *, struct http_resp *);
enum err api_cal_due(struct http_req *, struct http_resp *);
enum err api_cal_lunar(struct http_req *, struct http_resp *);
enum err page_calendar(struct http_req *, struct http_resp *);
enum err admin_calendar(struct http_req *, struct http_resp *);
enum err admin_calendar_set(struct http_req *, struct http_resp *);
enum err admin_calendar_delete(struct http_req *, struct http_resp *);
enum err admin_calendar_complete(struct http_req *, struct http_resp *);
enum err admin_calendar_import(struct http_req *, struct http_resp *);
enum err admin_calendar_hours(struct http_req *, struct http_resp *);

enum err api_dossier_create(struct http_req *, struct http_resp *);
enum err api_dossier_get(struct http_req *, struct http_resp *);
enum err api_dossiers_list(struct http_req *, struct http_resp *);
enum err api_dossier_action(struct http_req *, struct http_resp *);
enum err api_lookup(struct http_req *, struct http_resp *);
enum err api_lookup_post(struct http_req *, struct http_resp *);
enum err api_ratings(struct http_req *, struct http_resp *);
enum err page_report(struct http_req *, struct http_resp *);
enum err page_stats(struct http_req *, struct http_resp *);
enum err page_stats_print(struct http_req *, struct http_resp *);
enum err page_stats_list(struct http_req *, struct http_resp *);
enum err page_index766(struct http_req *, struct http_resp *);
enum err page_staff(struct http_req *, struct http_resp *);
enum err page_index766_dossiers(struct http_req *, struct http_resp *);
enum err page_index766_public(struct http_req *, struct http_resp *);
enum err page_catalog(struct http_req *, struct http_resp *);
enum err page_integrity(struct http_req *, struct http_resp *);
enum err page_procedure(struct http_req *, struct http_resp *);
enum err api_procedures(struct http_req *, struct http_resp *);
enum err api_procedure(struct http_req *, struct http_resp *);
enum err admin_catalog(struct http_req *, struct http_resp *);
enum err admin_procedure_new(struct http_req *, struct http_resp *);
enum err admin_procedure_create(struct http_req *, struct http_resp *);
enum err admin_procedure(struct http_req *, struct http_resp *);
enum err admin_procedure_update(struct http_req *, struct http_resp *);
enum err admin_procedure_status(struct http_req *, struct http_resp *);
enum err admin_catalog_export(struct http_req *, struct http_resp *);
/* the agency's contact for feedback (admin_contact.c, over app/contact.c) */
enum err admin_contact(struct http_req *, struct http_resp *);
enum err admin_contact_set(struct http_req *, struct http_resp *);
/* the case settings (admin_cases.c, over app/cases.c) */
enum err admin_cases(struct http_req *, struct http_resp *);
enum err admin_cases_set(struct http_req *, struct http_resp *);
/* notifications: the delivery log and the templates (admin_notify.c, over app/notify.c) */
enum err admin_notify_log(struct http_req *, struct http_resp *);
enum err admin_notify_templates(struct http_req *, struct http_resp *);
enum err admin_notify_template(struct http_req *, struct http_resp *);
enum err admin_notify_template_set(struct http_req *, struct http_resp *);
/* backups (pages_backup.c, over app/backup.c) */
enum err admin_backup(struct http_req *, struct http_resp *);
enum err admin_backup_create(struct http_req *, struct http_resp *);
enum err admin_backup_download(struct http_req *, struct http_resp *);
enum err admin_catalog_import(struct http_req *, struct http_resp *);

/* citizens: sign-in, online submission, "Hồ sơ của tôi" (pages_citizen.c) */
enum err citizen_signin(struct http_req *, struct http_resp *);
enum err citizen_code_post(struct http_req *, struct http_resp *);
enum err citizen_signin_post(struct http_req *, struct http_resp *);
enum err citizen_signout(struct http_req *, struct http_resp *);
enum err citizen_dossiers(struct http_req *, struct http_resp *);
enum err citizen_dossier(struct http_req *, struct http_resp *);
enum err citizen_attachment(struct http_req *, struct http_resp *);
enum err citizen_result(struct http_req *, struct http_resp *);
enum err citizen_supplement(struct http_req *, struct http_resp *);
enum err citizen_withdraw(struct http_req *, struct http_resp *);
enum err citizen_procedures(struct http_req *, struct http_resp *);
enum err citizen_submit_form(struct http_req *, struct http_resp *);
enum err citizen_submit(struct http_req *, struct http_resp *);

/* citizen reception: schedule, register, dialogue meetings (pages_reception.c, over app/reception.c) */
enum err page_reception_public(struct http_req *, struct http_resp *);
enum err rc_home(struct http_req *, struct http_resp *);
/* pages_plans.c: the yearly plans (issue #16 item 1) */
enum err plans_home(struct http_req *, struct http_resp *);
enum err plans_create(struct http_req *, struct http_resp *);
enum err plans_reminders(struct http_req *, struct http_resp *);
enum err plan_view(struct http_req *, struct http_resp *);
enum err plan_update(struct http_req *, struct http_resp *);
enum err plan_print(struct http_req *, struct http_resp *);
enum err plan_carry(struct http_req *, struct http_resp *);
enum err plan_task_new(struct http_req *, struct http_resp *);
enum err plan_task_create(struct http_req *, struct http_resp *);
enum err plan_task_view(struct http_req *, struct http_resp *);
enum err plan_task_edit(struct http_req *, struct http_resp *);
enum err plan_task_update(struct http_req *, struct http_resp *);
enum err plan_task_report(struct http_req *, struct http_resp *);
enum err plan_task_attach(struct http_req *, struct http_resp *);
enum err plan_task_file(struct http_req *, struct http_resp *);
/* pages_budget.c: the reform budget (issue #16 item 5) */
enum err budget_home(struct http_req *, struct http_resp *);
enum err budget_create(struct http_req *, struct http_resp *);
enum err budget_line_view(struct http_req *, struct http_resp *);
enum err budget_line_update(struct http_req *, struct http_resp *);
enum err budget_spend(struct http_req *, struct http_resp *);
enum err budget_voucher(struct http_req *, struct http_resp *);
/* pages_iso.c: the quality management system (issue #16 item 4) */
enum err iso_home(struct http_req *, struct http_resp *);
enum err iso_new(struct http_req *, struct http_resp *);
enum err iso_create(struct http_req *, struct http_resp *);
enum err iso_process(struct http_req *, struct http_resp *);
enum err iso_revise(struct http_req *, struct http_resp *);
enum err iso_print(struct http_req *, struct http_resp *);
enum err iso_audits(struct http_req *, struct http_resp *);
enum err iso_audit_create(struct http_req *, struct http_resp *);
enum err iso_audit(struct http_req *, struct http_resp *);
enum err iso_finding_create(struct http_req *, struct http_resp *);
enum err iso_finding_close(struct http_req *, struct http_resp *);
/* The plan reminders' count for the signed-in account into d
 * ("plan_remind": overdue, soon, days), nothing when there are none. */
void web_plan_reminders(struct http_req *req, json_t *d);
enum err rc_schedule(struct http_req *, struct http_resp *);
enum err rc_slot_create(struct http_req *, struct http_resp *);
enum err rc_slot(struct http_req *, struct http_resp *);
enum err rc_slot_update(struct http_req *, struct http_resp *);
enum err rc_slot_delete(struct http_req *, struct http_resp *);
enum err rc_register(struct http_req *, struct http_resp *);
enum err rc_register_print(struct http_req *, struct http_resp *);
enum err rc_register_csv(struct http_req *, struct http_resp *);
enum err rc_visit_new(struct http_req *, struct http_resp *);
enum err rc_visit_create(struct http_req *, struct http_resp *);
enum err rc_dialogues(struct http_req *, struct http_resp *);
enum err rc_dialogue_new(struct http_req *, struct http_resp *);
enum err rc_dialogue_create(struct http_req *, struct http_resp *);
enum err rc_dialogue(struct http_req *, struct http_resp *);
enum err rc_dialogue_print(struct http_req *, struct http_resp *);
/* Open311 GeoReport v2 (open311.c) and its API keys (admin_open311.c) */
enum err open311_discovery(struct http_req *, struct http_resp *);
enum err open311_services(struct http_req *, struct http_resp *);
enum err open311_service(struct http_req *, struct http_resp *);
enum err open311_requests(struct http_req *, struct http_resp *);
enum err open311_request(struct http_req *, struct http_resp *);
enum err open311_post(struct http_req *, struct http_resp *);
enum err open311_token(struct http_req *, struct http_resp *);
enum err admin_open311(struct http_req *, struct http_resp *);
enum err admin_open311_issue(struct http_req *, struct http_resp *);
enum err admin_open311_revoke(struct http_req *, struct http_resp *);
/* Whether path is under /open311/ (its errors are the spec's, not a page). */
int open311_path(const char *path);
/* The spec's error answer for an error the HTTP layer or router raised. */
void open311_error_page(struct http_req *req, struct http_resp *resp, enum err e, const char *detail);

/* A public base URL: http(s)://host[:port] with nothing after; 0 or -1. */
int web_public_url_ok(const char *url);

/* Decimal integer in [lo, hi] (no sign games, no spaces); 0 or -1. */
int web_parse_int(const char *s, long lo, long hi, long *out);
/* An amount of đồng as typed: "1.250.000", "1250000", "-50.000" (dots and
 * spaces between digits allowed); 0, or -1 for anything else. */
int web_parse_money(const char *s, int64_t *out);
struct cal_year;
/* [{"date","name","kind"}] for the days off of a built year. */
json_t *web_holidays_json(const struct cal_year *y);

#endif
