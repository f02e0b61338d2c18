/*
 * desk.h — the one-stop desk's pages (pages_desk.c) and printed forms
 * (pages_forms.c): shared views and the handlers.
 */
#ifndef MOTCUA_DESK_H
#define MOTCUA_DESK_H
#include <jansson.h>
#include "web/web.h"

/* Everything pages and forms print about a dossier (labels, local times,
 * fee in figures and words, lookup URL); NULL when out of memory. */
json_t *desk_dossier_view(struct http_req *req, const struct store_dossier *d, int64_t now);
/* What only one dossier's page and forms print (a read or two more):
 * who received it by full name ("received_by") and the fee line with the
 * law's exemption when there is one ("fee_label"), set into v. */
void desk_dossier_detail(struct http_req *req, const struct store_dossier *d, json_t *v);
/* A person as forms and pages name them: the account's full name for an
 * actor ("user:hoa.clerk" or "hoa.clerk"), the username only when the
 * account has no full name (or is gone). */
void desk_person_name(struct web_app *app, const char *actor, char *out, size_t n);
/* The appointment a clerk sets by hand (a procedure without a verified
 * time limit), from the form's fields due_date (YYYY-MM-DD) and due_time
 * (HH:MM), local time: *out = 0 when both are empty; ERR_BAD_DATE or
 * ERR_BAD_TIME with f (field `field`) when one is missing or malformed.
 * The service judges the instant itself (app/dossier.c). */
enum err desk_hand_due(struct http_req *req, const char *field, int64_t *out, struct app_fail *f);
/* What every printed paper's header holds (print.html): title, form
 * number (may be ""), agency, "<place>, ngày … tháng … năm …" of the day
 * `dated`, the signed-in user by full name.  NULL when out of memory. */
json_t *desk_print_data(struct http_req *req, const char *title, const char *form_no, int64_t dated);
/* Renders page inside print.html with data (consumed), never cached. */
enum err desk_render_print(struct http_req *req, struct http_resp *resp, const char *page, json_t *data);
/* The public lookup address printed as a QR code on the forms. */
void desk_lookup_url(struct http_req *req, const char *code, char *out, size_t n);

enum err desk_home(struct http_req *, struct http_resp *);
enum err desk_intake(struct http_req *, struct http_resp *);
enum err desk_intake_post(struct http_req *, struct http_resp *);
enum err desk_dossier(struct http_req *, struct http_resp *);
enum err desk_action(struct http_req *, struct http_resp *);
enum err desk_bulk_approve(struct http_req *, struct http_resp *);
enum err page_rate(struct http_req *, struct http_resp *);
enum err desk_attach(struct http_req *, struct http_resp *);
enum err desk_attachment(struct http_req *, struct http_resp *);
enum err desk_print(struct http_req *, struct http_resp *);
enum err desk_register(struct http_req *, struct http_resp *);
enum err page_lookup(struct http_req *, struct http_resp *);
enum err page_lookup_post(struct http_req *, struct http_resp *);

struct app_fail;
/* ---- digitised dossiers and fees (desk_digital.c) ---- */
/* The payment line of a dossier for pages and forms. */
json_t *desk_payment_json(const struct store_dossier *d);
/* The intake's and the payment form's "thanh_toan" select and
 * "so_bien_lai" into in (amount -1). */
struct app_fee_in;
enum err desk_read_payment(struct http_req *req, struct app_fee_in *in, struct app_fail *f);
/* Sets into the dossier page's data d: the checklist with what is
 * digitised per line, the person's earlier scans to reuse, the result
 * file, the counts, the payment and which forms the actor gets. */
enum err desk_digital_view(struct http_req *req, const struct actor *ac, const char *code, int may_act,
                           json_t *d);
enum err desk_pay(struct http_req *, struct http_resp *);
/* Answers with the result file (data, malloc'd, is freed) as a download
 * named after the dossier's code. */
enum err desk_send_result(struct http_resp *resp, const char *code, const struct store_attachment *meta,
                          char *data, size_t len);
enum err page_lookup_result(struct http_req *, struct http_resp *);
enum err api_record_payment(struct http_req *, struct http_resp *);
/* The rating kiosk and the leader's comments (kiosk.c). */
enum err desk_kiosk(struct http_req *, struct http_resp *);
enum err desk_kiosk_rate(struct http_req *, struct http_resp *);
enum err desk_kiosk_invite(struct http_req *, struct http_resp *);
enum err desk_rating_comments(struct http_req *, struct http_resp *);

/* The dossier page, status and a refusal (fail, f) shown on it. */
enum err desk_dossier_page(struct http_req *req, struct http_resp *resp, const char *code, int status,
                           enum err fail, const struct app_fail *f);
/* The Vietnamese title of a timeline action ("Tiếp nhận", "Nộp hồ sơ", …). */
const char *desk_action_title(const char *action);

#endif
