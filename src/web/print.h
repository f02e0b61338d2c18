/*
 * print.h — the printed papers' frame (pages_forms.c, print.html): the
 * state header on A4 with the agency, "<place>, ngày … tháng … năm …",
 * and the signed-in user.  Optional members a caller may add to the data:
 * "unit" (the issuing unit under the agency; default the one-stop desk),
 * "back" {href, label} (the link above the paper), "wide" (A4 landscape).
 */
#ifndef MOTCUA_WEB_PRINT_H
#define MOTCUA_WEB_PRINT_H
#include <jansson.h>
#include <stdint.h>
#include "core/errors.h"

struct http_req;
struct http_resp;

/* The header's data for a paper titled title, form number form_no ("" for
 * none), dated at instant dated; NULL when out of memory. */
json_t *web_print_data(struct http_req *req, const char *title, const char *form_no, int64_t dated);
/* Renders template page inside print.html with data (consumed). */
enum err web_print_render(struct http_req *req, struct http_resp *resp, const char *page, json_t *data);

#endif
