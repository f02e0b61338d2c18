/*
 * render.c — the data every page shares, rendering a page inside the
 * layout, the HTML error page, and time display (UTC stored, UTC+7 shown).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/roles.h"
#include "app/contact.h"
#include "web/pagecache.h"
#include "view/tmpl.h"
#include "web/web.h"

void
web_urlencode(struct buf *b, const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_')
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

json_t *
web_json_instant(int64_t t)
{
	if (!t)
		return json_null();
	char b[VN_RFC3339_MAX];
	vn_fmt_rfc3339(t, b, sizeof b);
	return json_string(b);
}

/* Navigation for the signed-in account; current marks the page's entry. */
static json_t *
nav_for(struct http_req *req)
{
	struct web_user *wu = web_user(req);
	json_t *nav = json_array();
	struct {
		const char *href, *label;
		unsigned roles;
	} items[] = {
		{"/", "Trang chủ", ROLE_PUBLIC},
		{"/thu-tuc", "Thủ tục hành chính", ROLE_PUBLIC},
		{"/tin-tuc", "Tin tức", ROLE_PUBLIC},
		{"/lich", "Lịch làm việc", ROLE_PUBLIC},
		{"/lich-tiep-cong-dan", "Lịch tiếp công dân", ROLE_PUBLIC},
		{"/tra-cuu", "Tra cứu hồ sơ", ROLE_PUBLIC},
		{"/gui-don", "Phản ánh, kiến nghị", ROLE_PUBLIC},
		{"/mot-cua", "Một cửa", ROLE_STAFF},
		{"/tiep-cong-dan", "Tiếp công dân", ROLE_STAFF},
		{"/ke-hoach", "Kế hoạch CCHC", ROLE_STAFF},
		{"/ngan-sach", "Kinh phí CCHC", ROLE_ADMIN | ROLE_LEADER | ROLE_VIEWER},
		{"/iso", "Quy trình ISO", ROLE_STAFF},
		{"/don-thu", "Đơn thư", ROLE_CLERK | ROLE_OFFICER | ROLE_LEADER | ROLE_VIEWER},
		{"/quan-tri/tai-khoan", "Tài khoản", ROLE_ADMIN},
		{"/quan-tri/lich", "Lịch nghỉ", ROLE_ADMIN},
		{"/quan-tri/thu-tuc", "Quản lý thủ tục", ROLE_ADMIN},
		{"/quan-tri/tin-tuc", "Quản lý tin tức", ROLE_ADMIN | ROLE_LEADER},
		{"/quan-tri/thong-bao", "Thông báo", ROLE_ADMIN},
		{"/quan-tri/don-thu", "Thiết lập đơn thư", ROLE_ADMIN},
		{"/quan-tri/sao-luu", "Sao lưu", ROLE_ADMIN},
		{"/quan-tri/open311", "Khóa Open311", ROLE_ADMIN},
		{"/bao-cao", "Báo cáo", ROLE_ADMIN | ROLE_VIEWER | ROLE_LEADER},
		{"/kiem-tra", "Kiểm tra toàn vẹn", ROLE_ADMIN | ROLE_VIEWER | ROLE_LEADER},
	};
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		if (!(items[i].roles & ROLE_PUBLIC) && !(wu && (wu->role & items[i].roles)))
			continue;
		size_t hl = strlen(items[i].href);
		int cur = strcmp(req->path, items[i].href) == 0 ||
		          (hl > 1 && strncmp(req->path, items[i].href, hl) == 0 &&
		           (req->path[hl] == '/' || req->path[hl] == '\0'));
		json_array_append_new(nav, json_pack("{s:s,s:s,s:b}", "href", items[i].href, "label",
		                                     items[i].label, "current", cur));
	}
	return nav;
}

/* The agency's contact for the footer: address, phone (with its tel:
 * form, digits and + only) and e-mail; nothing when none is set. */
static void
add_contact(struct web_app *app, json_t *d)
{
	struct store_contact c;
	if (app_contact_get(&app->core, &c) != ERR_OK || !(c.address[0] || c.phone[0] || c.email[0]))
		return;
	char tel[sizeof c.phone];
	size_t k = 0;
	for (const char *p = c.phone; *p; p++)
		if ((*p >= '0' && *p <= '9') || (*p == '+' && k == 0))
			tel[k++] = *p;
	tel[k] = '\0';
	json_object_set_new(d, "contact", json_pack("{s:s,s:s,s:s,s:s}", "address", c.address, "phone",
	                                            c.phone, "tel", tel, "email", c.email));
}

json_t *
web_page_data(struct http_req *req, struct http_resp *resp, const char *title)
{
	struct web_app *app = req->app;
	struct web_user *wu = web_user(req);
	struct vn_tm now;
	vn_local((int64_t)time(NULL), &now);
	/* rendering for the render cache: the token is a hole each response fills */
	const char *csrf = web_hole(HOLE_CSRF);
	json_t *d = json_pack("{s:s,s:{s:s,s:s,s:b},s:s,s:o,s:i}", "title", title, "agency",
	                      "name", app->agency.name, "code", app->agency.code, "demo",
	                      app->agency.demo, "csrf", csrf ? csrf : web_csrf(req, resp), "nav", nav_for(req),
	                      "year", now.year);
	if (d)
		add_contact(app, d);
	if (d && wu)
		json_object_set_new(d, "user",
		    json_pack("{s:s,s:s,s:s,s:s,s:b}", "username", wu->u.username, "full_name",
		              wu->u.full_name[0] ? wu->u.full_name : wu->u.username, "role",
		              wu->u.role, "role_label", role_label(wu->role), "is_admin",
		              (wu->role & ROLE_ADMIN) != 0));
	return d;
}

enum err
web_render(struct http_req *req, struct http_resp *resp, const char *page, json_t *data)
{
	struct web_app *app = req->app;
	if (!data)
		return ERR_NOMEM;
	buf_reset(&resp->body);
	int rc = tmpl_render_page(app->tmpl, "layout", page, data, &resp->body);
	json_decref(data);
	if (rc != 0 || resp->body.oom)
		return ERR_INTERNAL;
	resp->content_type = "text/html; charset=utf-8";
	return ERR_OK;
}

void
web_error_page(struct http_req *req, struct http_resp *resp, enum err e, const char *detail)
{
	if (open311_path(req->path)) {
		open311_error_page(req, resp, e, detail);
		return;
	}
	json_t *d = web_page_data(req, resp, err_message(e));
	if (d) {
		json_object_set_new(d, "status", json_integer(err_status(e)));
		json_object_set_new(d, "error", json_pack("{s:s,s:s}", "code", err_code(e), "message",
		                                          err_message(e)));
		if (detail)
			json_object_set_new(json_object_get(d, "error"), "detail", json_string(detail));
	}
	if (!d || web_render(req, resp, "error", d) != ERR_OK) {
		buf_reset(&resp->body);
		buf_puts(&resp->body, "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">"
		                      "<title>Lỗi</title><p>");
		tmpl_escape_html(&resp->body, err_message(e), strlen(err_message(e)));
		buf_puts(&resp->body, "</p></html>");
		resp->content_type = "text/html; charset=utf-8";
	}
}

enum err
web_send_upload(struct http_resp *resp, void *data, size_t len, const char *mime)
{
	buf_reset(&resp->body);
	buf_append(&resp->body, data, len);
	free(data);
	if (resp->body.oom)
		return ERR_NOMEM;
	resp->content_type = strcmp(mime, "application/pdf") == 0 ? "application/pdf"
	                     : strcmp(mime, "image/png") == 0     ? "image/png"
	                                                          : "image/jpeg";
	http_resp_header(resp, "Content-Disposition", "inline");
	http_resp_header(resp, "Cache-Control", "private, no-store");
	return ERR_OK;
}

int
web_parse_money(const char *s, int64_t *out)
{
	int neg = *s == '-', digits = 0;
	int64_t v = 0;
	for (s += neg; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (v > 100000000000000LL)
				return -1;
			v = v * 10 + (*s - '0');
			digits++;
		} else if (*s != '.' && *s != ' ') {
			return -1;
		}
	}
	*out = neg ? -v : v;
	return digits ? 0 : -1;
}
