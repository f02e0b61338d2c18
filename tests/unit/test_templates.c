/* test_templates.c — the real templates of src/view/templates: every one
 * parses and links, and each page renders its data contract inside the
 * layout, with hostile values escaped.  Run with cwd = the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "view/tmpl.h"

#define DIR_TEMPLATES "src/view/templates"
#define XSS "<script>alert(1)</script>"
#define XSS_ESC "&lt;script&gt;alert(1)&lt;/script&gt;"

static struct tmpl_set *set;

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_append(&b, chunk, n);
	fclose(fp);
	*len = b.len;
	return buf_detach(&b);
}

/* Loads every *.html of the directory under its base name. */
static int
setup(void **state)
{
	(void)state;
	DIR *d = opendir(DIR_TEMPLATES);
	if (!d) {
		fprintf(stderr, "cannot open %s (run from the repository root)\n", DIR_TEMPLATES);
		return -1;
	}
	set = tmpl_set_new();
	struct dirent *e;
	char err[512], path[512], name[256];
	int rc = 0;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n <= 5 || strcmp(e->d_name + n - 5, ".html") != 0 || n - 5 >= sizeof name)
			continue;
		memcpy(name, e->d_name, n - 5);
		name[n - 5] = '\0';
		snprintf(path, sizeof path, "%s/%s", DIR_TEMPLATES, e->d_name);
		size_t len = 0;
		char *src = slurp(path, &len);
		if (!src || tmpl_set_add(set, name, src, len, err, sizeof err) != 0) {
			fprintf(stderr, "%s: %s\n", path, src ? err : "unreadable");
			rc = -1;
		}
		free(src);
	}
	closedir(d);
	if (rc == 0 && tmpl_set_link(set, err, sizeof err) != 0) {
		fprintf(stderr, "link: %s\n", err);
		rc = -1;
	}
	return rc;
}

static int
teardown(void **state)
{
	(void)state;
	tmpl_set_free(set);
	return 0;
}

/* The data every page gets (see src/web/render.c); user NULL = anonymous. */
static json_t *
page_data(const char *title, int signed_in, int demo)
{
	json_t *d = json_pack("{s:s,s:{s:s,s:s,s:b},s:s,s:i,s:[{s:s,s:s,s:b},{s:s,s:s,s:b}]}",
	    "title", title,
	    "agency", "name", "UBND xã Hòa Bình " XSS, "code", "H99.01", "demo", demo,
	    "csrf", "tok\"en",
	    "year", 2025,
	    "nav", "href", "/", "label", "Trang chủ", "current", 1,
	           "href", "/quan-tri/tai-khoan", "label", "Tài khoản", "current", 0);
	assert_non_null(d);
	if (signed_in)
		json_object_set_new(d, "user", json_pack("{s:s,s:s,s:s,s:s,s:b}",
		    "username", "admin", "full_name", "Nguyễn Văn " XSS, "role", "admin",
		    "role_label", "Quản trị", "is_admin", 1));
	return d;
}

/* Renders page in the layout and returns the HTML (caller frees). */
static char *
render(const char *page, json_t *d)
{
	struct buf b = BUF_INIT;
	if (tmpl_render_page(set, "layout", page, d, &b) != 0)
		fail_msg("rendering %s failed", page);
	json_decref(d);
	char *s = buf_detach(&b);
	assert_non_null(s);
	return s;
}

static void
has(const char *html, const char *want)
{
	if (!strstr(html, want))
		fail_msg("missing: %s\n---\n%s", want, html);
}

static void
lacks(const char *html, const char *bad)
{
	if (strstr(html, bad))
		fail_msg("unexpected: %s\n---\n%s", bad, html);
}

static size_t
count(const char *html, const char *s)
{
	size_t n = 0;
	for (const char *p = html; (p = strstr(p, s)) != NULL; p += strlen(s))
		n++;
	return n;
}

/* What every rendered page must be. */
static void
common(const char *html)
{
	has(html, "<html lang=\"vi\">");
	has(html, "<meta charset=\"utf-8\">");
	has(html, "href=\"/static/site.css\"");
	has(html, "<a class=\"skip-link\" href=\"#noi-dung\">");
	has(html, "<main id=\"noi-dung\"");
	has(html, "<header");
	has(html, "<footer");
	assert_int_equal(count(html, "<h1"), 1);
	lacks(html, XSS);
	lacks(html, "<script");
	lacks(html, "<style");
	lacks(html, " style=");
	lacks(html, "{{");
}

static void
test_all_templates_load(void **state)
{
	(void)state;
	static const char *const names[] = {
		"layout", "error", "home", "login", "admin_users", "admin_user_new", "admin_user",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!tmpl_set_has(set, names[i]))
			fail_msg("template %s missing", names[i]);
}

static void
test_layout_anonymous(void **state)
{
	(void)state;
	char *h = render("home", page_data("Trang chủ", 0, 0));
	common(h);
	has(h, "<title>Trang chủ — UBND xã Hòa Bình " XSS_ESC "</title>");
	has(h, "<nav class=\"site-nav\" aria-label=\"Điều hướng chính\">");
	has(h, "<a href=\"/\" aria-current=\"page\">Trang chủ</a>");
	has(h, "<a href=\"/quan-tri/tai-khoan\">Tài khoản</a>");
	has(h, "© 2025 UBND xã Hòa Bình " XSS_ESC);
	has(h, "H99.01");
	lacks(h, "Đăng xuất");         /* anonymous: no logout form */
	lacks(h, "Dữ liệu minh họa");  /* not a demo */
	lacks(h, "class=\"flash");
	/* home, anonymous: the way in */
	has(h, "<h1 id=\"trang-chu-tieu-de\">UBND xã Hòa Bình " XSS_ESC "</h1>");
	has(h, "<a href=\"/dang-nhap\">đăng nhập</a>");
	has(h, "<form class=\"form search-form\" method=\"get\" action=\"/thu-tuc\"");
	lacks(h, "class=\"tiles\"");
	free(h);
}

static void
test_layout_signed_in(void **state)
{
	(void)state;
	json_t *d = page_data("Trang chủ", 1, 1);
	json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message",
	                                          "Đã lưu " XSS));
	json_object_set_new(d, "tiles", json_pack("[{s:s,s:s,s:s},{s:s,s:s}]",
	    "href", "/quan-tri/tai-khoan", "label", "Quản lý tài khoản", "desc", "Tạo " XSS,
	    "href", "javascript:alert(1)", "label", "Xấu"));
	char *h = render("home", d);
	common(h);
	has(h, "Nguyễn Văn " XSS_ESC);
	has(h, "(Quản trị)");
	has(h, "<form class=\"logout\" method=\"post\" action=\"/dang-xuat\">");
	has(h, "<input type=\"hidden\" name=\"csrf\" value=\"tok&quot;en\">");
	has(h, "Dữ liệu minh họa — mã cơ quan giả định");
	has(h, "<div class=\"flash flash-ok\" role=\"status\">Đã lưu " XSS_ESC "</div>");
	has(h, "<a class=\"tile\" href=\"/quan-tri/tai-khoan\">");
	has(h, "<span class=\"tile-desc\">Tạo " XSS_ESC "</span>");
	has(h, "<a class=\"tile\" href=\"#\">");  /* the javascript: URL is defused */
	lacks(h, "javascript:");
	lacks(h, "href=\"/dang-nhap\"");
	free(h);
}

static void
test_no_nav(void **state)
{
	(void)state;
	json_t *d = page_data("Trang chủ", 0, 0);
	json_object_set_new(d, "nav", json_array());
	char *h = render("home", d);
	lacks(h, "<nav class=\"site-nav\"");
	free(h);
	d = page_data("Trang chủ", 0, 0);
	json_object_del(d, "nav");
	h = render("home", d);
	lacks(h, "<nav class=\"site-nav\"");
	free(h);
}

static void
test_error_page(void **state)
{
	(void)state;
	json_t *d = page_data("Không tìm thấy", 0, 0);
	json_object_set_new(d, "status", json_integer(404));
	json_object_set_new(d, "error", json_pack("{s:s,s:s}", "code", "not_found",
	                                          "message", "Không tìm thấy trang " XSS));
	char *h = render("error", d);
	common(h);
	has(h, "Lỗi 404");
	has(h, ">Không tìm thấy trang " XSS_ESC "</h1>");
	has(h, "<code>not_found</code>");
	has(h, "href=\"/\">Về trang chủ</a>");
	free(h);
	/* without an error object: a generic heading */
	h = render("error", page_data("Lỗi", 0, 0));
	common(h);
	has(h, ">Đã có lỗi xảy ra</h1>");
	lacks(h, "Mã lỗi");
	free(h);
}

static void
test_login_page(void **state)
{
	(void)state;
	json_t *d = page_data("Đăng nhập", 0, 0);
	char *h = render("login", d);
	common(h);
	has(h, "<form class=\"form\" method=\"post\" action=\"/dang-nhap\">");
	has(h, "<label for=\"username\">Tên đăng nhập</label>");
	has(h, "id=\"username\" name=\"username\"");
	has(h, "autocomplete=\"username\"");
	has(h, "<label for=\"password\">Mật khẩu</label>");
	has(h, "autocomplete=\"current-password\"");
	has(h, "name=\"csrf\" value=\"tok&quot;en\"");
	lacks(h, "role=\"alert\"");
	lacks(h, "name=\"next\"");
	free(h);

	d = page_data("Đăng nhập", 0, 0);
	json_object_set_new(d, "form", json_pack("{s:s,s:s}", "username", "\"><b>x", "next",
	                                         "/quan-tri/tai-khoan?a=1&b=2"));
	json_object_set_new(d, "error", json_pack("{s:s}", "message", "Sai mật khẩu " XSS));
	h = render("login", d);
	common(h);
	has(h, "<div class=\"alert alert-error\" role=\"alert\" id=\"loi-dang-nhap\">"
	       "Sai mật khẩu " XSS_ESC "</div>");
	has(h, "action=\"/dang-nhap\" aria-describedby=\"loi-dang-nhap\">");
	has(h, "value=\"&quot;&gt;&lt;b&gt;x\"");
	has(h, "name=\"next\" value=\"/quan-tri/tai-khoan?a=1&amp;b=2\"");
	free(h);
}

static json_t *
roles(const char *selected)
{
	static const char *const r[][2] = {
		{"admin", "Quản trị"}, {"leader", "Lãnh đạo"}, {"clerk", "Cán bộ một cửa"},
		{"officer", "Chuyên viên"}, {"viewer", "Thanh tra, giám sát"},
	};
	json_t *a = json_array();
	for (size_t i = 0; i < 5; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", r[i][0], "label",
		                                   r[i][1], "selected", strcmp(r[i][0], selected) == 0));
	return a;
}

static void
test_admin_users(void **state)
{
	(void)state;
	json_t *d = page_data("Tài khoản", 1, 0);
	json_object_set_new(d, "users", json_pack(
	    "[{s:i,s:s,s:s,s:s,s:s,s:b,s:s},{s:i,s:s,s:s,s:s,s:s,s:b,s:s}]",
	    "id", 1, "username", "admin", "full_name", "Quản trị viên", "role_label", "Quản trị",
	    "unit", "Văn phòng", "active", 1, "created_at", "01/02/2025 08:00",
	    "id", 7, "username", "mot.cua", "full_name", "Trần Thị " XSS, "role_label",
	    "Cán bộ một cửa", "unit", "Bộ phận một cửa", "active", 0, "created_at",
	    "03/04/2025 14:30"));
	char *h = render("admin_users", d);
	common(h);
	has(h, "<a class=\"btn btn-primary\" href=\"/quan-tri/tai-khoan/moi\">Thêm tài khoản</a>");
	has(h, "<caption");
	assert_int_equal(count(h, "<th scope=\"col\">"), 6);
	has(h, "<a href=\"/quan-tri/tai-khoan/1\">admin</a>");
	has(h, "<a href=\"/quan-tri/tai-khoan/7\">mot.cua</a>");
	has(h, "Trần Thị " XSS_ESC);
	assert_int_equal(count(h, "Đang hoạt động"), 1);
	assert_int_equal(count(h, "Đã khóa"), 1);
	has(h, "03/04/2025 14:30");
	has(h, "class=\"table-wrap\"");
	lacks(h, "Chưa có tài khoản");
	free(h);

	d = page_data("Tài khoản", 1, 0);
	json_object_set_new(d, "users", json_array());
	h = render("admin_users", d);
	has(h, "Chưa có tài khoản nào.");
	free(h);
}

static void
test_admin_user_new(void **state)
{
	(void)state;
	json_t *d = page_data("Thêm tài khoản", 1, 0);
	json_object_set_new(d, "roles", roles("clerk"));
	json_object_set_new(d, "form", json_pack("{s:s,s:s,s:s}", "username", "can.bo",
	                                         "full_name", "Lê Văn " XSS, "unit", "Tư pháp"));
	json_object_set_new(d, "error", json_pack("{s:s,s:s}", "message", "Mật khẩu quá ngắn.",
	                                          "field", "password"));
	char *h = render("admin_user_new", d);
	common(h);
	has(h, "<form class=\"form\" method=\"post\" action=\"/quan-tri/tai-khoan/moi\" "
	       "aria-describedby=\"loi-tai-khoan\">");
	has(h, "name=\"csrf\" value=\"tok&quot;en\"");
	has(h, "<label for=\"username\">Tên đăng nhập</label>");
	has(h, "<label for=\"full_name\">Họ và tên</label>");
	has(h, "<label for=\"role\">Vai trò</label>");
	has(h, "<label for=\"unit\">Bộ phận</label>");
	has(h, "<label for=\"password\">Mật khẩu</label>");
	has(h, "<label for=\"password2\">Nhập lại mật khẩu</label>");
	assert_int_equal(count(h, "autocomplete=\"new-password\""), 2);
	assert_int_equal(count(h, "minlength=\"10\""), 2);
	has(h, "value=\"can.bo\"");
	has(h, "value=\"Lê Văn " XSS_ESC "\"");
	has(h, "value=\"Tư pháp\"");
	has(h, "<option value=\"clerk\" selected>Cán bộ một cửa</option>");
	has(h, "<option value=\"admin\">Quản trị</option>");
	assert_int_equal(count(h, " selected>"), 1);
	has(h, "role=\"alert\" id=\"loi-tai-khoan\">Mật khẩu quá ngắn. <a href=\"#password\">");
	free(h);

	/* first visit: nothing refilled, no error */
	d = page_data("Thêm tài khoản", 1, 0);
	json_object_set_new(d, "roles", roles("none"));
	h = render("admin_user_new", d);
	common(h);
	lacks(h, "role=\"alert\"");
	lacks(h, "aria-describedby=\"loi-tai-khoan\"");
	assert_int_equal(count(h, " selected>"), 0);
	free(h);
}

static void
test_admin_user(void **state)
{
	(void)state;
	json_t *d = page_data("Tài khoản", 1, 0);
	json_object_set_new(d, "roles", roles("officer"));
	json_object_set_new(d, "account", json_pack("{s:i,s:s,s:s,s:s,s:s,s:b}", "id", 42,
	    "username", "chuyen.vien", "full_name", "Phạm " XSS, "role_label", "Chuyên viên",
	    "unit", "Địa chính", "active", 1));
	json_object_set_new(d, "flash", json_pack("{s:s,s:s}", "kind", "ok", "message", "Đã lưu."));
	char *h = render("admin_user", d);
	common(h);
	has(h, "<h1>Tài khoản chuyen.vien</h1>");
	has(h, "action=\"/quan-tri/tai-khoan/42\"");
	has(h, "action=\"/quan-tri/tai-khoan/42/khoa\"");
	has(h, "action=\"/quan-tri/tai-khoan/42/mat-khau\"");
	assert_int_equal(count(h, "name=\"csrf\" value=\"tok&quot;en\""), 4);  /* + logout */
	has(h, "name=\"active\" value=\"0\"");
	has(h, "Khóa tài khoản</button>");
	lacks(h, "Mở khóa</button>");
	has(h, "value=\"Phạm " XSS_ESC "\"");
	has(h, "value=\"Địa chính\"");
	has(h, "<option value=\"officer\" selected>Chuyên viên</option>");
	has(h, "Đang hoạt động");
	has(h, "<div class=\"flash flash-ok\" role=\"status\">Đã lưu.</div>");
	assert_int_equal(count(h, "autocomplete=\"new-password\""), 2);
	free(h);

	d = page_data("Tài khoản", 1, 0);
	json_object_set_new(d, "roles", roles("admin"));
	json_object_set_new(d, "account", json_pack("{s:i,s:s,s:s,s:s,s:s,s:b}", "id", 43,
	    "username", "x", "full_name", "X", "role_label", "Quản trị", "unit", "", "active", 0));
	json_object_set_new(d, "error", json_pack("{s:s}", "message", "Lỗi " XSS));
	h = render("admin_user", d);
	common(h);
	has(h, "name=\"active\" value=\"1\"");
	has(h, "Mở khóa</button>");
	lacks(h, "Khóa tài khoản</button>");
	has(h, "Đã khóa");
	has(h, "role=\"alert\"");
	has(h, "Lỗi " XSS_ESC);
	free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_templates_load),
		cmocka_unit_test(test_layout_anonymous),
		cmocka_unit_test(test_layout_signed_in),
		cmocka_unit_test(test_no_nav),
		cmocka_unit_test(test_error_page),
		cmocka_unit_test(test_login_page),
		cmocka_unit_test(test_admin_users),
		cmocka_unit_test(test_admin_user_new),
		cmocka_unit_test(test_admin_user),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
