/*
 * cases_pub.h — the public faces of the case engine (issue #14 items 2, 3,
 * 6): the online form (/gui-don), following a case (/tra-cuu-don, and
 * "Đơn thư của tôi" for a signed-in citizen), the published answers
 * (/phan-anh-da-tra-loi), the statistics (/thong-ke-don), and the staff
 * API (/api/v1/cases).  Thin adapters over src/app/cases.h.
 */
#ifndef MOTCUA_WEB_CASES_PUB_H
#define MOTCUA_WEB_CASES_PUB_H
#include "http/http.h"

/* The whole body of the online form of a signed-in citizen: text and at
 * most CASE_PUB_FILES files of 10 MB (the route's cap, checked before the
 * body is read).  A visitor who is not signed in posts to /gui-don/{kind},
 * under the server's cap for anonymous bodies (HTTP_ANON_MAX_BODY): text
 * only, so files need the one-time code sign-in. */
#define CASE_PUB_FILES 3
#define CASE_PUB_BODY (32 * 1024 * 1024)

enum err case_pub_kinds(struct http_req *, struct http_resp *);
enum err case_pub_form(struct http_req *, struct http_resp *);
enum err case_pub_submit(struct http_req *, struct http_resp *);
enum err case_pub_lookup(struct http_req *, struct http_resp *);
enum err case_pub_lookup_post(struct http_req *, struct http_resp *);
enum err case_pub_mine(struct http_req *, struct http_resp *);
enum err case_pub_mine_one(struct http_req *, struct http_resp *);
enum err case_pub_answers(struct http_req *, struct http_resp *);
enum err case_pub_answer(struct http_req *, struct http_resp *);
enum err case_pub_stats(struct http_req *, struct http_resp *);
enum err api_case_create(struct http_req *, struct http_resp *);
enum err api_case_get(struct http_req *, struct http_resp *);
enum err api_case_action(struct http_req *, struct http_resp *);

#endif
