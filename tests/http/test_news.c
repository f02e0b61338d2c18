/*
 * test_news.c — the portal (issue #4, item 5) against the real binary:
 * editors write and publish through the admin form, the public list,
 * search without tones, news by date, related news, the Atom feed, image
 * upload sniffing, and the visit counter (reloads and robots).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>

#include "driver.h"

#define UA_BROWSER "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"

static struct srv S;
static struct client A; /* signed in as admin */

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0)
		return -1;
	client_init(&A, &S);
	return login(&A, "admin", S.admin_pw) == 303 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&A);
	return group_stop(&S);
}

static int
has(const struct reply *r, const char *s)
{
	return reply_has(r, s);
}

static long
fetch(const char *path, struct reply *r)
{
	return fetch_from(&S, path, r);
}

/* Posts the admin form for a new article; returns the status, the
 * Location in loc. */
static long
create(const char *title, const char *summary, const char *body, const char *cat, const char *kind,
       const char *action, char *loc, size_t loclen, struct reply *out)
{
	struct reply r;
	char csrf[128];
	get(&A, "/quan-tri/tin-tuc/moi", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(csrf_of(&r, csrf, sizeof csrf), 0);
	reply_free(&r);
	struct buf b = BUF_INIT;
	buf_puts(&b, "csrf=");
	urlenc(&b, csrf);
	buf_puts(&b, "&title=");
	urlenc(&b, title);
	buf_puts(&b, "&summary=");
	urlenc(&b, summary);
	buf_puts(&b, "&body=");
	urlenc(&b, body);
	buf_printf(&b, "&category=%s&kind=%s&action=%s", cat, kind, action);
	post_form(&A, "/quan-tri/tin-tuc/moi", buf_str(&b), &r);
	buf_free(&b);
	long st = r.status;
	if (loc)
		reply_header(&r, "Location", loc, loclen);
	if (out)
		*out = r;
	else
		reply_free(&r);
	return st;
}

/* The slug of the article that the edit page at loc shows. */
static void
slug_from_edit(const char *loc, char *slug, size_t n)
{
	struct reply r;
	char path[256];
	snprintf(path, sizeof path, "%s", loc);
	char *q = strchr(path, '?');
	if (q)
		*q = '\0';
	get(&A, path, &r);
	assert_int_equal(r.status, 200);
	const char *p = strstr(buf_str(&r.body), "Địa chỉ trên cổng: <code>/tin-tuc/");
	assert_non_null(p);
	p += strlen("Địa chỉ trên cổng: <code>/tin-tuc/");
	size_t k = 0;
	while (p[k] && p[k] != '<' && k + 1 < n) {
		slug[k] = p[k];
		k++;
	}
	slug[k] = '\0';
	reply_free(&r);
}

static void
test_publish_and_escape(void **state)
{
	(void)state;
	char loc[256], slug[128], path[256];
	assert_int_equal(create("Thông báo lịch tiếp công dân <script>alert(1)</script>", "",
	                        "Đoạn **đầu** <img src=x onerror=alert(2)>\n\n## Mục hai\n\n- một\n- hai",
	                        "hoat-dong", "announcement", "publish", loc, sizeof loc, NULL), 303);
	assert_non_null(strstr(loc, "/quan-tri/tin-tuc/"));
	slug_from_edit(loc, slug, sizeof slug);
	assert_string_equal(slug, "thong-bao-lich-tiep-cong-dan-script-alert-1-script");
	struct reply r;
	snprintf(path, sizeof path, "/tin-tuc/%s", slug);
	assert_int_equal(fetch(path, &r), 200);
	assert_false(has(&r, "<script>"));
	assert_false(has(&r, "<img src=x"));
	assert_true(has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_true(has(&r, "&lt;img src=x onerror=alert(2)&gt;"));
	assert_true(has(&r, "<strong>đầu</strong>"));
	assert_true(has(&r, "<h2>Mục hai</h2>"));
	assert_true(has(&r, "<li>một</li>"));
	reply_free(&r);
	/* the list shows it, newest first */
	assert_int_equal(fetch("/tin-tuc", &r), 200);
	assert_true(has(&r, slug));
	assert_true(has(&r, "Thông báo"));
	reply_free(&r);
	/* a draft is not public */
	assert_int_equal(create("Bản nháp chưa đăng", "", "Nội dung nháp", "khac", "news", "draft", loc,
	                        sizeof loc, NULL), 303);
	slug_from_edit(loc, slug, sizeof slug);
	snprintf(path, sizeof path, "/tin-tuc/%s", slug);
	assert_int_equal(fetch(path, &r), 404);
	reply_free(&r);
	assert_int_equal(fetch("/tin-tuc?q=ban+nhap", &r), 200);
	assert_false(has(&r, slug));
	reply_free(&r);
	/* publish it from the edit page */
	char csrf[128], id[256];
	snprintf(id, sizeof id, "%s", loc + strlen("/quan-tri/tin-tuc/"));
	*strchr(id, '?') = '\0';
	get(&A, "/quan-tri/tin-tuc", &r);
	assert_true(has(&r, "Bản nháp chưa đăng"));
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	struct buf b = BUF_INIT;
	char url[320];
	snprintf(url, sizeof url, "/quan-tri/tin-tuc/%s/trang-thai", id);
	buf_puts(&b, "csrf=");
	urlenc(&b, csrf);
	buf_puts(&b, "&status=published");
	post_form(&A, url, buf_str(&b), &r);
	buf_free(&b);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	assert_int_equal(fetch(path, &r), 200);
	reply_free(&r);
}

static void
test_validation(void **state)
{
	(void)state;
	struct reply r;
	/* empty title, unknown category, missing body: 400, a message, nothing saved */
	assert_int_equal(create("", "", "Nội dung", "hoat-dong", "news", "publish", NULL, 0, &r), 400);
	assert_true(has(&r, "Vui lòng nhập tiêu đề"));
	reply_free(&r);
	assert_int_equal(create("Tin lỗi chuyên mục", "", "Nội dung", "khong-co", "news", "publish", NULL, 0, &r), 400);
	assert_true(has(&r, "chuyên mục"));
	assert_true(has(&r, "value=\"Tin lỗi chuyên mục\"")); /* what was typed is kept */
	reply_free(&r);
	assert_int_equal(create("Tin thiếu nội dung", "", "  ", "hoat-dong", "news", "publish", NULL, 0, &r), 400);
	reply_free(&r);
	assert_int_equal(fetch("/tin-tuc?q=loi+chuyen+muc", &r), 200);
	assert_true(has(&r, "Tìm thấy 0 tin"));
	reply_free(&r);
	get(&A, "/quan-tri/tin-tuc", &r);
	assert_false(has(&r, "Tin lỗi chuyên mục"));
	assert_false(has(&r, "Tin thiếu nội dung"));
	reply_free(&r);
	/* without a session: the admin pages send to the sign-in page */
	assert_int_equal(fetch("/quan-tri/tin-tuc", &r), 303);
	reply_free(&r);
	/* bad filters */
	assert_int_equal(fetch("/tin-tuc?ngay=2026-02-30", &r), 400);
	reply_free(&r);
	assert_int_equal(fetch("/tin-tuc?chuyen-muc=x", &r), 400);
	reply_free(&r);
	assert_int_equal(fetch("/tin-tuc/khong-co-tin-nay", &r), 404);
	reply_free(&r);
}

static void
test_search_without_tones(void **state)
{
	(void)state;
	assert_int_equal(create("Thông báo tuyển dụng công chức địa chính", "Tuyển 02 công chức.",
	                        "Hồ sơ nộp tại bộ phận một cửa.", "khac", "announcement", "publish", NULL, 0, NULL), 303);
	struct reply r;
	const char *qs[] = {"/tin-tuc?q=thong+bao+tuyen+dung", "/tin-tuc?q=THONG%20BAO%20TUYEN",
	                    "/tin-tuc?q=dia+chinh", "/tin-tuc?q=%C4%91%E1%BB%8Ba+ch%C3%ADnh" /* địa chính */,
	                    "/tin-tuc?q=mot+cua", "/tin-tuc?q=tuy%22%20OR%20%2A" /* FTS syntax is text */};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(fetch(qs[i], &r), 200);
		if (!has(&r, "Thông báo tuyển dụng công chức địa chính"))
			fail_msg("%s did not find the article", qs[i]);
		reply_free(&r);
	}
	assert_int_equal(fetch(qs[5], &r), 200);
	reply_free(&r);
	assert_int_equal(fetch("/tin-tuc?q=khong+co+tu+nay+dau", &r), 200);
	assert_false(has(&r, "tuyển dụng công chức địa chính</a>"));
	reply_free(&r);
	/* filter by kind and category */
	assert_int_equal(fetch("/tin-tuc?loai=tin-tuc", &r), 200);
	assert_false(has(&r, "tuyển dụng công chức địa chính</a>"));
	reply_free(&r);
	assert_int_equal(fetch("/tin-tuc?loai=thong-bao&chuyen-muc=khac", &r), 200);
	assert_true(has(&r, "tuyển dụng công chức địa chính</a>"));
	reply_free(&r);
}

static void
test_by_date_and_archive(void **state)
{
	(void)state;
	assert_int_equal(create("Tin hôm nay về đường giao thông", "", "Nội dung.", "kinh-te", "news", "publish",
	                        NULL, 0, NULL), 303);
	time_t now = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	char today[16], month[16], path[64];
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	strftime(month, sizeof month, "%Y-%m", &tm);
	struct reply r;
	snprintf(path, sizeof path, "/tin-tuc?ngay=%s", today);
	assert_int_equal(fetch(path, &r), 200);
	assert_true(has(&r, "Tin hôm nay về đường giao thông"));
	assert_true(has(&r, "type=\"date\""));
	reply_free(&r);
	/* another day shows none of today's news */
	assert_int_equal(fetch("/tin-tuc?ngay=2020-01-01", &r), 200);
	assert_false(has(&r, "Tin hôm nay về đường giao thông"));
	assert_true(has(&r, "Có 0 tin đăng ngày 01/01/2020"));
	reply_free(&r);
	/* the archive lists this month with its count */
	char want[64];
	snprintf(want, sizeof want, "/tin-tuc?thang=%s", month);
	assert_int_equal(fetch("/tin-tuc", &r), 200);
	assert_true(has(&r, want));
	reply_free(&r);
	assert_int_equal(fetch(want, &r), 200);
	assert_true(has(&r, "Tin hôm nay về đường giao thông"));
	reply_free(&r);
}

static void
test_related(void **state)
{
	(void)state;
	char loc[256], slug[128], path[256];
	assert_int_equal(create("Hội nghị cải cách hành chính quý I", "", "Nội dung 1.", "cai-cach-hanh-chinh",
	                        "news", "publish", NULL, 0, NULL), 303);
	assert_int_equal(create("Tin thể thao xã", "", "Bóng đá.", "van-hoa-xa-hoi", "news", "publish", NULL, 0,
	                        NULL), 303);
	assert_int_equal(create("Hội nghị cải cách hành chính quý II", "", "Nội dung 2.", "cai-cach-hanh-chinh",
	                        "news", "publish", loc, sizeof loc, NULL), 303);
	slug_from_edit(loc, slug, sizeof slug);
	struct reply r;
	snprintf(path, sizeof path, "/tin-tuc/%s", slug);
	assert_int_equal(fetch(path, &r), 200);
	const char *rel = strstr(buf_str(&r.body), "Các tin khác");
	assert_non_null(rel);
	assert_non_null(strstr(rel, "Hội nghị cải cách hành chính quý I</a>"));
	assert_null(strstr(rel, "quý II</a>"));        /* not itself */
	assert_null(strstr(rel, "Tin thể thao xã"));   /* not another category */
	reply_free(&r);
}

static void
test_atom(void **state)
{
	(void)state;
	assert_int_equal(create("Tin có ký tự đặc biệt & <b>\"trích\"</b>", "Tóm tắt & ghi chú", "Nội dung **đậm**.",
	                        "khac", "news", "publish", NULL, 0, NULL), 303);
	struct reply r;
	struct client c;
	client_init(&c, &S);
	req(&c, "GET", "/tin-tuc/atom.xml", NULL, NULL, 0, "Host: xa.example.vn", &r);
	client_free(&c);
	assert_int_equal(r.status, 200);
	char ct[128];
	assert_non_null(reply_header(&r, "Content-Type", ct, sizeof ct));
	assert_non_null(strstr(ct, "application/atom+xml"));
	const char *b = buf_str(&r.body);
	assert_true(strncmp(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"", 77) == 0);
	assert_true(has(&r, "<id>http://xa.example.vn/tin-tuc</id>"));
	assert_true(has(&r, "<link rel=\"self\" type=\"application/atom+xml\" href=\"http://xa.example.vn/tin-tuc/atom.xml\"/>"));
	assert_true(has(&r, "<title>Tin có ký tự đặc biệt &amp; &lt;b&gt;&quot;trích&quot;&lt;/b&gt;</title>"));
	assert_true(has(&r, "<summary>Tóm tắt &amp; ghi chú</summary>"));
	assert_true(has(&r, "&lt;strong&gt;đậm&lt;/strong&gt;")); /* HTML content, escaped once */
	assert_true(has(&r, "<link rel=\"alternate\" type=\"text/html\" href=\"http://xa.example.vn/tin-tuc/"));
	assert_true(has(&r, "<updated>"));
	assert_true(has(&r, "</feed>"));
	/* every element opened is closed: count <entry> and </entry> */
	int open = 0, close = 0;
	for (const char *p = b; (p = strstr(p, "<entry>")); p++)
		open++;
	for (const char *p = b; (p = strstr(p, "</entry>")); p++)
		close++;
	assert_true(open > 0 && open == close);
	/* no raw markup and no bare ampersand anywhere in text */
	for (const char *p = b; (p = strchr(p, '&')); p++)
		if (strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) && strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) &&
		    strncmp(p, "&#39;", 5))
			fail_msg("bare & in feed: %.20s", p);
	reply_free(&r);
	/* a forged Host does not get into the feed */
	client_init(&c, &S);
	req(&c, "GET", "/tin-tuc/atom.xml", NULL, NULL, 0, "Host: evil\"><x>", &r);
	client_free(&c);
	assert_false(has(&r, "evil"));
	reply_free(&r);
}

/* multipart body with one file part and the csrf field */
static long
upload(const char *filename, const char *ctype, const void *data, size_t len, struct reply *r)
{
	struct reply g;
	char csrf[128];
	get(&A, "/quan-tri/tin-tuc/anh", &g);
	assert_int_equal(g.status, 200);
	csrf_of(&g, csrf, sizeof csrf);
	reply_free(&g);
	const char *bd = "----motcuaTestBoundary7";
	struct buf b = BUF_INIT;
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", bd, csrf);
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nẢnh [thử]\r\n", bd);
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n",
	           bd, filename, ctype);
	buf_append(&b, data, len);
	buf_printf(&b, "\r\n--%s--\r\n", bd);
	char ct[128];
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", bd);
	char origin[200];
	snprintf(origin, sizeof origin, "Origin: %s", S.url);
	req(&A, "POST", "/quan-tri/tin-tuc/anh", ct, b.data, b.len, origin, r);
	buf_free(&b);
	return r->status;
}

static void
test_images(void **state)
{
	(void)state;
	struct reply r;
	/* HTML named .png is refused */
	const char html[] = "<html><script>alert(1)</script></html>";
	assert_int_equal(upload("anh.png", "image/png", html, sizeof html - 1, &r), 400);
	assert_true(has(&r, "không phải ảnh JPEG, PNG hoặc WebP"));
	reply_free(&r);
	/* a PNG signature without an image header is refused too */
	const char fake[] = "\x89PNG\r\n\x1a\n<html><body>hi</body></html>";
	assert_int_equal(upload("anh.png", "image/png", fake, sizeof fake - 1, &r), 400);
	reply_free(&r);
	/* a real 1×1 PNG */
	static const unsigned char png[] = {
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
		0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
		0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
		0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
	assert_int_equal(upload("x.html", "text/html", png, sizeof png, &r), 200);
	const char *p = strstr(buf_str(&r.body), "![Ảnh \\[thử\\]](/anh/");
	assert_non_null(p);
	char path[128];
	p = strstr(p, "/anh/");
	size_t k = 0;
	while (p[k] && p[k] != ')' && k + 1 < sizeof path) {
		path[k] = p[k];
		k++;
	}
	path[k] = '\0';
	assert_int_equal(strlen(path), 5 + 64 + 4);
	assert_non_null(strstr(path, ".png"));
	reply_free(&r);
	assert_int_equal(fetch(path, &r), 200);
	char h[128];
	assert_non_null(reply_header(&r, "Content-Type", h, sizeof h));
	assert_string_equal(h, "image/png");
	assert_non_null(reply_header(&r, "Cache-Control", h, sizeof h));
	assert_non_null(strstr(h, "max-age=31536000"));
	assert_int_equal(r.body.len, sizeof png);
	assert_memory_equal(r.body.data, png, sizeof png);
	reply_free(&r);
	/* names that are not a stored image */
	assert_int_equal(fetch("/anh/..%2Fmotcua.db", &r), 404);
	reply_free(&r);
	assert_int_equal(fetch("/anh/0000000000000000000000000000000000000000000000000000000000000000.png", &r), 404);
	reply_free(&r);
	/* no file at all */
	assert_int_equal(upload("", "application/octet-stream", "", 0, &r), 400);
	reply_free(&r);
}

/* The counter's total on the news list of srv, read by a robot (not counted). */
static long
visits_total_of(struct srv *srv)
{
	struct reply r;
	struct client c;
	client_init(&c, srv);
	req(&c, "GET", "/tin-tuc", NULL, NULL, 0, "User-Agent: Googlebot/2.1 (+http://www.google.com/bot.html)", &r);
	client_free(&c);
	const char *p = strstr(buf_str(&r.body), "Tổng lượt truy cập</dt><dd>");
	long n = p ? atol(p + strlen("Tổng lượt truy cập</dt><dd>")) : -1;
	reply_free(&r);
	return n;
}

static long
visits_total(void)
{
	return visits_total_of(&S);
}

/* The visits written to the database of folder dir (-1: unreadable). */
static long
stored_visits(const char *dir)
{
	char path[300];
	snprintf(path, sizeof path, "%s/motcua.db", dir);
	sqlite3 *db;
	sqlite3_stmt *q = NULL;
	long n = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		if (sqlite3_prepare_v2(db, "SELECT coalesce(sum(visits), 0) FROM visit_days", -1, &q, NULL) == SQLITE_OK &&
		    sqlite3_step(q) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	return n;
}

/* n views of the news list from new browsers (cookie jars) at this address. */
static void
browse(struct srv *srv, int n)
{
	for (int i = 0; i < n; i++) {
		struct reply r;
		struct client c;
		client_init(&c, srv);
		req(&c, "GET", i % 2 ? "/tin-tuc" : "/tin-tuc?trang=1", NULL, NULL, 0, UA_BROWSER, &r);
		assert_int_equal(r.status, 200);
		reply_free(&r);
		client_free(&c);
	}
}

static void
test_visits(void **state)
{
	(void)state;
	long before = visits_total();
	assert_true(before >= 0);
	/* a robot is not counted; nobody gets a cookie for it */
	struct reply r;
	struct client c;
	client_init(&c, &S);
	req(&c, "GET", "/tin-tuc", NULL, NULL, 0, "User-Agent: curl/7.88.1", &r);
	char h[256];
	assert_null(reply_header(&r, "Set-Cookie", h, sizeof h) && strstr(h, "motcua_visit") ? h : NULL);
	reply_free(&r);
	client_free(&c);
	assert_int_equal(visits_total(), before);
	/* fifty views from one address, even from fresh browsers without
	 * cookies: one visit, and "now" counts it */
	browse(&S, 50);
	assert_int_equal(visits_total(), before + 1);
	client_init(&c, &S);
	req(&c, "GET", "/tin-tuc", NULL, NULL, 0, UA_BROWSER, &r);
	assert_null(reply_header(&r, "Set-Cookie", h, sizeof h) && strstr(h, "motcua_visit") ? h : NULL);
	const char *p = strstr(buf_str(&r.body), "Đang truy cập</dt><dd>");
	assert_non_null(p);
	assert_true(atol(p + strlen("Đang truy cập</dt><dd>")) >= 1);
	reply_free(&r);
	client_free(&c);
	assert_int_equal(visits_total(), before + 1);
}

/* Views write nothing: a server killed before its flush loses them (so
 * they were never in the database); a clean stop writes them, and they
 * survive the restart; a short --visit-flush writes them while serving. */
static void
test_visits_flush(void **state)
{
	(void)state;
	static const char *const hour[] = {"--visit-flush", "3600", NULL};
	static const char *const sec[] = {"--visit-flush", "1", NULL};
	struct srv s;
	srv_extra_args = hour;
	assert_int_equal(srv_start(&s, NULL), 0);
	char dir[256];
	snprintf(dir, sizeof dir, "%s", s.dir);   /* srv_start clears s */
	assert_int_equal(visits_total_of(&s), 0);
	browse(&s, 20);
	assert_int_equal(visits_total_of(&s), 1);
	srv_stop(&s, SIGKILL);
	assert_int_equal(srv_start(&s, dir), 0);
	assert_int_equal(visits_total_of(&s), 0);   /* never written */
	browse(&s, 20);
	assert_int_equal(srv_stop(&s, SIGTERM), 0);
	assert_int_equal(srv_start(&s, dir), 0);
	assert_int_equal(visits_total_of(&s), 1);   /* written at the clean stop */
	srv_stop(&s, SIGTERM);
	srv_extra_args = sec;
	assert_int_equal(srv_start(&s, dir), 0);
	srv_extra_args = NULL;
	browse(&s, 3);   /* a new server: a new window set, one more visit */
	/* the writer thread's flush, a second or so from now: watched in the
	 * database (30 s at most: TSan on a busy machine), then the kill */
	double until = mono_ms() + 30000;
	while (stored_visits(dir) < 2 && mono_ms() < until) {
		struct timespec ts = {0, 100000000};
		nanosleep(&ts, NULL);
	}
	srv_stop(&s, SIGKILL);
	assert_int_equal(srv_start(&s, dir), 0);
	assert_int_equal(visits_total_of(&s), 2);   /* written by the writer thread */
	assert_int_equal(srv_stop(&s, SIGTERM), 0);
	snprintf(s.dir, sizeof s.dir, "%s", dir);
	srv_cleanup(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_publish_and_escape),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_search_without_tones),
		cmocka_unit_test(test_by_date_and_archive),
		cmocka_unit_test(test_related),
		cmocka_unit_test(test_atom),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_visits),
		cmocka_unit_test(test_visits_flush),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
