/*
 * cases_web.h — the staff's work screens of complaints, denunciations,
 * petitions and feedback (issue #14): the queues and the case page
 * (pages_cases.c), the intake at the desk or by post and the printed
 * notices (case_forms.c), over src/app/cases.h.
 */
#ifndef MOTCUA_CASES_WEB_H
#define MOTCUA_CASES_WEB_H
#include <jansson.h>
#include "app/cases.h"
#include "web/web.h"

/* A due instant as pages print it: {"date": "dd/mm/yyyy" (the last day
 * of the limit), "words": "còn 3 ngày" / "hạn hôm nay" / "quá hạn 2
 * ngày", "late": bool}; JSON null when due is 0. */
json_t *case_due_view(int64_t due, int overdue, int64_t now);
/* The limit running at the case's stage: {"what","cite","note","span"}
 * ("10 ngày làm việc", "30 ngày", the agency's target), or JSON null. */
json_t *case_limit_view(struct web_app *app, enum case_kind kind, enum case_stage stage);
/* The case page, status and a refusal (fail, f) shown on it (nothing changed). */
enum err case_page(struct http_req *req, struct http_resp *resp, const char *code, int status, enum err fail,
                   const struct app_fail *f);

enum err cases_home(struct http_req *, struct http_resp *);
enum err cases_case(struct http_req *, struct http_resp *);
enum err cases_act(struct http_req *, struct http_resp *);
enum err cases_attach(struct http_req *, struct http_resp *);
enum err cases_file(struct http_req *, struct http_resp *);
enum err cases_intake(struct http_req *, struct http_resp *);
enum err cases_intake_post(struct http_req *, struct http_resp *);
enum err cases_print(struct http_req *, struct http_resp *);

#endif
