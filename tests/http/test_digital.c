/*
 * test_digital.c — digitised dossiers, electronic results and fees
 * against the real binary (issue #13 items 3, 4): a scan per checklist
 * line and its reuse only from the same person's earlier dossier; the
 * officer's result file; the applicant's download through the lookup's
 * proof (code + full phone) only once the result is ready, refused for a
 * wrong or partial phone and for another dossier's code; an HTML file
 * named .pdf refused; a 50 MiB upload refused from its headers; the fee's
 * status, channel and receipt at intake and by "record_payment", with the
 * Vietnamese refusals; the rating kiosk locked to the invited dossier and
 * the leader's list of comments; and `motcua check` still proving every row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver.h"

#define PW "mat-khau-thu-123"
static struct srv S;
static struct client CLERK, OFFICER, LEADER;
static char TCLERK[200], TOFFICER[200], TLEADER[200];
static long OFFICER_ID;

static const char PDF[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0)
		return -1;
	static const char *const users[][2] = {{"so.clerk", "clerk"}, {"so.officer", "officer"},
	                                       {"so.leader", "leader"}};
	struct client *cs[] = {&CLERK, &OFFICER, &LEADER};
	char *tk[] = {TCLERK, TOFFICER, TLEADER};
	for (size_t i = 0; i < 3; i++) {
		if (add_user(&S, users[i][0], users[i][1], NULL, PW) != 0)
			return -1;
		client_init(cs[i], &S);
		if (login(cs[i], users[i][0], PW) != 303)
			return -1;
		bearer_for(&S, users[i][0], PW, tk[i], 200);
	}
	OFFICER_ID = user_id_of(&S, "so.officer");
	return OFFICER_ID > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&CLERK);
	client_free(&OFFICER);
	client_free(&LEADER);
	return group_stop(&S);
}

static long
api(const char *auth, const char *method, const char *path, const char *json, struct reply *r)
{
	struct client c;
	client_init(&c, &S);
	req(&c, method, path, json ? "application/json" : NULL, json, json ? strlen(json) : 0, auth, r);
	client_free(&c);
	return r->status;
}

/* Receives a dossier with two checklist lines for the person (ID, phone);
 * extra is more JSON members ("" for none); the code into code. */
static long
receive(const char *id, const char *phone, const char *extra, char *code, size_t n, struct reply *out)
{
	char body[1200];
	snprintf(body, sizeof body,
	         "{\"procedure_code\":\"1.001193\",\"channel\":\"counter\",\"applicant\":{\"name\":\"Lò Văn Số\","
	         "\"id_number\":\"%s\",\"phone\":\"%s\",\"address\":\"Bản Mường\"},\"documents\":["
	         "{\"name\":\"Tờ khai đăng ký khai sinh\",\"received\":true,\"form\":\"original\",\"count\":1},"
	         "{\"name\":\"Giấy chứng sinh\",\"received\":true,\"form\":\"copy\",\"count\":1}]%s}",
	         id, phone, extra);
	struct reply r;
	long st = api(TCLERK, "POST", "/api/v1/dossiers", body, &r);
	const char *c = strstr(buf_str(&r.body), "\"code\":\"");
	snprintf(code, n, "%.*s", c ? (int)strcspn(c + 8, "\"") : 0, c ? c + 8 : "");
	if (out)
		*out = r;
	else
		reply_free(&r);
	return st;
}

static void
expect_api(const char *auth, const char *code, const char *json, long status, const char *has)
{
	char path[200];
	snprintf(path, sizeof path, "/api/v1/dossiers/%s/actions", code);
	struct reply r;
	long st = api(auth, "POST", path, json, &r);
	if (st != status || (has && !reply_has(&r, has)))
		fail_msg("%s → %ld %s, want %ld %s", json, st, buf_str(&r.body), status, has ? has : "");
	reply_free(&r);
}

/* Posts the desk's upload form of the dossier as c (driver.c). */
static long
upload(struct client *c, const char *code, const char *fields, const char *fname, const void *data,
       size_t len, struct reply *out)
{
	char path[200], up[220];
	snprintf(path, sizeof path, "/mot-cua/ho-so/%s", code);
	snprintf(up, sizeof up, "%s/dinh-kem", path);
	return submit_multipart(c, path, up, fields, "file", fname, data, len, out);
}

/* The applicant's download: POST /tra-cuu/ket-qua with code and key. */
static long
download(const char *code, const char *key, struct reply *r)
{
	struct client c;
	client_init(&c, &S);
	char fields[300];
	struct buf k = BUF_INIT;
	urlenc(&k, key);
	snprintf(fields, sizeof fields, "ma=%s&dien_thoai=%s", code, buf_str(&k));
	buf_free(&k);
	long st = submit_form(&c, "/tra-cuu", "/tra-cuu/ket-qua", fields, r);
	client_free(&c);
	return st;
}

static void
test_result_download(void **state)
{
	(void)state;
	char code[80], other[80], assign[120];
	struct reply r;
	assert_int_equal(receive("001090000111", "0911222333", "", code, sizeof code, NULL), 201);
	assert_int_equal(receive("001090000222", "0911444555", "", other, sizeof other, NULL), 201);
	snprintf(assign, sizeof assign, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER_ID);
	/* the clerk attaches no result; the officer does */
	assert_int_equal(upload(&CLERK, code, "kind=result", "kq.pdf", PDF, sizeof PDF - 1, NULL), 403);
	expect_api(TCLERK, code, assign, 200, NULL);
	/* an HTML page named .pdf is no result */
	assert_int_equal(upload(&OFFICER, code, "kind=result", "ket-qua.pdf", "<html><script>x</script></html>", 31, &r), 415);
	assert_true(reply_has(&r, "PDF, JPEG hoặc PNG"));
	reply_free(&r);
	assert_int_equal(upload(&OFFICER, code, "kind=result", "ket-qua.pdf", PDF, sizeof PDF - 1, NULL), 303);
	char path[200];
	snprintf(path, sizeof path, "/mot-cua/ho-so/%s", code);
	get(&OFFICER, path, &r);
	assert_true(reply_has(&r, "Đã đính kèm: <a href="));
	assert_true(reply_has(&r, "Kết quả điện tử: <strong>có</strong>"));
	reply_free(&r);
	/* not before the result is ready, even with the right phone */
	assert_int_equal(download(code, "0911222333", &r), 409);
	assert_true(reply_has(&r, "chưa có kết quả"));
	reply_free(&r);
	expect_api(TOFFICER, code, "{\"action\":\"submit_for_approval\"}", 200, NULL);
	expect_api(TLEADER, code, "{\"action\":\"approve\"}", 200, NULL);
	expect_api(TOFFICER, code, "{\"action\":\"result_ready\"}", 200, "\"national_status\":9");
	/* the code and the full phone: the file itself */
	assert_int_equal(download(code, "0911 222 333", &r), 200);
	assert_int_equal(r.body.len, sizeof PDF - 1);
	assert_memory_equal(r.body.data, PDF, sizeof PDF - 1);
	char ct[80] = "", cd[200] = "";
	reply_header(&r, "Content-Type", ct, sizeof ct);
	reply_header(&r, "Content-Disposition", cd, sizeof cd);
	assert_string_equal(ct, "application/pdf");
	assert_non_null(strstr(cd, "attachment"));
	reply_free(&r);
	/* wrong phone, part of the phone, nothing, another dossier's code with
	 * my phone: one and the same refusal */
	struct reply wrong;
	assert_int_equal(download(code, "0911222334", &wrong), 404);
	assert_int_equal(download(code, "222333", &r), 404);
	assert_string_equal(buf_str(&r.body), buf_str(&wrong.body));
	reply_free(&r);
	assert_int_equal(download(other, "0911222333", &r), 404);
	assert_string_equal(buf_str(&r.body), buf_str(&wrong.body));
	reply_free(&r);
	reply_free(&wrong);
	assert_int_equal(download(code, "", &r), 404);
	reply_free(&r);
	/* never by the code alone, never in a URL */
	char q[300];
	snprintf(q, sizeof q, "/tra-cuu/ket-qua?ma=%s&dien_thoai=0911222333", code);
	assert_true(fetch_from(&S, q, &r) >= 400);
	assert_false(reply_has(&r, "%PDF"));
	reply_free(&r);
	/* the lookup offers the download once proven */
	struct client c;
	client_init(&c, &S);
	char fields[200];
	snprintf(fields, sizeof fields, "ma=%s&dien_thoai=0911222333", code);
	assert_int_equal(submit_form(&c, "/tra-cuu", "/tra-cuu", fields, &r), 200);
	assert_true(reply_has(&r, "Tải kết quả điện tử"));
	reply_free(&r);
	client_free(&c);
	/* the download is in the audit trail, and the chain still proves every row */
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", S.dir, NULL), 0);
	buf_free(&out);
}

/* Guessing through the download counts as guessing through the lookup. */
static void
test_download_throttled(void **state)
{
	(void)state;
	char code[80];
	struct reply r;
	assert_int_equal(receive("001090000333", "0911666777", "", code, sizeof code, NULL), 201);
	long last = 0;
	for (int i = 0; i < 12; i++) {
		char key[20];
		snprintf(key, sizeof key, "09116667%02d", 10 + i);
		last = download(code, key, &r);
		reply_free(&r);
	}
	assert_int_equal(last, 429);
	assert_int_equal(download(code, "0911666777", &r), 429);   /* even the right phone now */
	reply_free(&r);
}

/* A scan per checklist line; reuse only from the same person. */
static void
test_scans_and_reuse(void **state)
{
	(void)state;
	char a[80], b[80], x[80], path[200];
	struct reply r;
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 7};
	assert_int_equal(receive("001090000444", "0911888999", "", a, sizeof a, NULL), 201);
	assert_int_equal(upload(&CLERK, a, "kind=component&component=2", "chung-sinh.png", png, sizeof png, NULL), 303);
	assert_int_equal(upload(&CLERK, a, "kind=component&component=3", "x.png", png, sizeof png, &r), 400);
	assert_true(reply_has(&r, "không có trong danh mục"));
	reply_free(&r);
	snprintf(path, sizeof path, "/mot-cua/ho-so/%s", a);
	get(&CLERK, path, &r);
	assert_true(reply_has(&r, "Đã số hóa <strong>1/2</strong>"));
	const char *p = strstr(buf_str(&r.body), "/dinh-kem/");
	char sha[65];
	snprintf(sha, sizeof sha, "%.64s", p ? p + 10 : "");
	reply_free(&r);
	/* the same person's next dossier offers it and takes it */
	assert_int_equal(receive("001090000444", "0911888999", "", b, sizeof b, NULL), 201);
	snprintf(path, sizeof path, "/mot-cua/ho-so/%s", b);
	get(&CLERK, path, &r);
	assert_true(reply_has(&r, "Hoặc dùng lại bản đã số hóa của cùng người nộp"));
	assert_true(reply_has(&r, sha));
	reply_free(&r);
	char fields[300];
	snprintf(fields, sizeof fields, "kind=component&component=2&reuse=%s|%s", a, sha);
	assert_int_equal(upload(&CLERK, b, fields, NULL, NULL, 0, NULL), 303);
	get(&CLERK, path, &r);
	assert_true(reply_has(&r, "(dùng lại từ hồ sơ "));
	assert_true(reply_has(&r, "trong đó 1 dùng lại từ hồ sơ trước"));
	reply_free(&r);
	/* someone else's dossier: refused, whatever the form says */
	assert_int_equal(receive("001090000555", "0911000111", "", x, sizeof x, NULL), 201);
	assert_int_equal(upload(&CLERK, x, fields, NULL, NULL, 0, &r), 400);
	assert_true(reply_has(&r, "cùng người nộp"));
	reply_free(&r);
	snprintf(path, sizeof path, "/mot-cua/ho-so/%s", x);
	get(&CLERK, path, &r);
	assert_false(reply_has(&r, sha));   /* not even offered */
	reply_free(&r);
	/* a hash the earlier dossier does not hold */
	snprintf(fields, sizeof fields, "kind=component&component=1&reuse=%s|%064d", a, 0);
	assert_int_equal(upload(&CLERK, b, fields, NULL, NULL, 0, NULL), 400);
}

/* A 50 MiB upload is refused from its headers: the body is never read. */
static void
test_huge_upload(void **state)
{
	(void)state;
	char code[80];
	assert_int_equal(receive("001090000666", "0911333444", "", code, sizeof code, NULL), 201);
	/* the clerk's session cookie, for the staff route */
	struct curl_slist *cookies = NULL, *it;
	char cookie[400] = "";
	curl_easy_getinfo(CLERK.h, CURLINFO_COOKIELIST, &cookies);
	for (it = cookies; it; it = it->next) {
		char *f[7] = {0}, line[600];
		snprintf(line, sizeof line, "%s", it->data);
		int k = 0;
		for (char *save = NULL, *t = strtok_r(line, "\t", &save); t && k < 7; t = strtok_r(NULL, "\t", &save))
			f[k++] = t;
		if (k == 7)
			snprintf(cookie + strlen(cookie), sizeof cookie - strlen(cookie), "%s%s=%s", cookie[0] ? "; " : "",
			         f[5], f[6]);
	}
	curl_slist_free_all(cookies);
	const char *paths[] = {"/mot-cua/ho-so/%s/dinh-kem", "/tra-cuu/ket-qua"};
	for (int i = 0; i < 2; i++) {
		char path[200], head[1200];
		snprintf(path, sizeof path, paths[i], code);
		snprintf(head, sizeof head, "POST %s HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n"
		         "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: %d\r\n\r\n--XyZ\r\n",
		         path, cookie, 50 * 1024 * 1024);
		double t0 = mono_ms();
		long st = raw_request(&S, head, strlen(head), NULL);
		assert_int_equal(st, 413);
		assert_true(mono_ms() - t0 < 5000);   /* answered at once, not after 50 MiB */
	}
}

/* Fees: at intake and by record_payment, with the refusals. */
static void
test_fees(void **state)
{
	(void)state;
	char code[80], path[200];
	struct reply r;
	assert_int_equal(receive("001090000777", "0912000111",
	                         ",\"fee\":8000,\"payment\":{\"status\":\"paid\",\"channel\":\"cash\",\"receipt_no\":\"BL-0042\"}",
	                         code, sizeof code, NULL), 201);
	snprintf(path, sizeof path, "/api/v1/dossiers/%s", code);
	api(TCLERK, "GET", path, NULL, &r);
	assert_true(reply_has(&r, "\"payment\":{\"status\":\"paid\",\"channel\":\"cash\",\"receipt_no\":\"BL-0042\",\"paid_at\":\""));
	reply_free(&r);
	snprintf(path, sizeof path, "/mot-cua/ho-so/%s/in/01", code);
	get(&CLERK, path, &r);
	assert_true(reply_has(&r, "đã nộp (Tiền mặt tại Bộ phận Một cửa, biên lai số BL-0042)"));
	reply_free(&r);
	/* refusals: exempt with an amount, a receipt or channel without payment, paid without channel */
	assert_int_equal(receive("001090000777", "0912000111", ",\"fee\":8000,\"payment\":{\"status\":\"exempt\"}",
	                         code, sizeof code, &r), 400);
	assert_true(reply_has(&r, "miễn thì số tiền phải bằng 0"));
	reply_free(&r);
	assert_int_equal(receive("001090000777", "0912000111",
	                         ",\"fee\":8000,\"payment\":{\"status\":\"unpaid\",\"receipt_no\":\"BL-1\"}", code, sizeof code, &r), 400);
	assert_true(reply_has(&r, "số biên lai"));
	reply_free(&r);
	assert_int_equal(receive("001090000777", "0912000111", ",\"fee\":8000,\"payment\":{\"status\":\"paid\"}",
	                         code, sizeof code, &r), 400);
	assert_true(reply_has(&r, "hình thức nộp"));
	reply_free(&r);
	assert_int_equal(receive("001090000777", "0912000111", ",\"payment\":{\"status\":\"exempt\"}", code,
	                         sizeof code, &r), 201);
	assert_true(reply_has(&r, "\"fee\":0"));
	reply_free(&r);
	/* unpaid at intake, paid later by the clerk, once */
	assert_int_equal(receive("001090000777", "0912000111", ",\"fee\":8000", code, sizeof code, NULL), 201);
	snprintf(path, sizeof path, "/api/v1/dossiers/%s", code);
	api(TCLERK, "GET", path, NULL, &r);
	assert_true(reply_has(&r, "\"payment\":{\"status\":\"unpaid\",\"channel\":null"));
	reply_free(&r);
	expect_api(TOFFICER, code, "{\"action\":\"record_payment\",\"payment\":{\"status\":\"paid\",\"channel\":\"bank\"}}", 403, NULL);
	expect_api(TCLERK, code, "{\"action\":\"record_payment\",\"payment\":{\"status\":\"exempt\",\"amount\":8000}}", 400,
	           "miễn thì số tiền phải bằng 0");
	expect_api(TCLERK, code, "{\"action\":\"record_payment\",\"payment\":{\"status\":\"paid\",\"channel\":\"sms\"}}", 400, NULL);
	expect_api(TCLERK, code, "{\"action\":\"record_payment\",\"payment\":{\"status\":\"paid\",\"channel\":\"bank\",\"receipt_no\":\"UNC 77\"}}",
	           200, "\"channel\":\"bank\",\"receipt_no\":\"UNC 77\"");
	expect_api(TCLERK, code, "{\"action\":\"record_payment\",\"payment\":{\"status\":\"paid\",\"channel\":\"cash\"}}", 409,
	           "đã ghi nhận");
	/* the page form: a later dossier, exempt with the amount set to 0 */
	assert_int_equal(receive("001090000777", "0912000111", ",\"fee\":8000", code, sizeof code, NULL), 201);
	char page[200], post[220];
	snprintf(page, sizeof page, "/mot-cua/ho-so/%s", code);
	snprintf(post, sizeof post, "/mot-cua/ho-so/%s/le-phi", code);
	assert_int_equal(submit_form(&CLERK, page, post, "thanh_toan=exempt&so_tien=8000", &r), 400);
	assert_true(reply_has(&r, "miễn thì số tiền phải bằng 0"));
	reply_free(&r);
	assert_int_equal(submit_form(&CLERK, page, post, "thanh_toan=exempt&so_tien=0", &r), 303);
	reply_free(&r);
	get(&CLERK, page, &r);
	assert_true(reply_has(&r, "id=\"tinh-trang-le-phi\">Miễn</strong>"));
	assert_false(reply_has(&r, "Ghi nhận phí, lệ phí</button>"));
	reply_free(&r);
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", S.dir, NULL), 0);
	buf_free(&out);
}


/* The rating kiosk: only the dossier the clerk invited, once, no way
 * out of the page; the leader reads the comment. */
static void
test_kiosk(void **state)
{
	(void)state;
	char code[80], other[80], assign[120], page[200], invite[220];
	struct reply r;
	assert_int_equal(receive("001090000888", "0913000111", "", code, sizeof code, NULL), 201);
	assert_int_equal(receive("001090000889", "0913000112", "", other, sizeof other, NULL), 201);
	snprintf(page, sizeof page, "/mot-cua/ho-so/%s", code);
	snprintf(invite, sizeof invite, "/mot-cua/ho-so/%s/moi-danh-gia", code);
	assert_int_equal(submit_form(&CLERK, page, invite, "x=1", &r), 409);   /* not returned yet */
	reply_free(&r);
	snprintf(assign, sizeof assign, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER_ID);
	expect_api(TCLERK, code, assign, 200, NULL);
	expect_api(TOFFICER, code, "{\"action\":\"submit_for_approval\"}", 200, NULL);
	expect_api(TLEADER, code, "{\"action\":\"approve\"}", 200, NULL);
	expect_api(TOFFICER, code, "{\"action\":\"result_ready\"}", 200, NULL);
	expect_api(TCLERK, code, "{\"action\":\"return\",\"recipient\":\"Lò Văn Số\",\"recipient_id\":\"001090000888\"}", 200, NULL);
	/* waiting: no link, no menu, one button */
	get(&CLERK, "/mot-cua/quay-danh-gia?bat-dau=1", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Chưa có hồ sơ nào được mời đánh giá"));
	assert_true(reply_has(&r, "Bắt đầu đánh giá</button>"));
	assert_false(reply_has(&r, "<a "));
	assert_false(reply_has(&r, "site-nav"));
	reply_free(&r);
	get(&OFFICER, "/mot-cua/quay-danh-gia", &r);
	assert_int_equal(r.status, 403);
	reply_free(&r);
	assert_int_equal(submit_form(&CLERK, page, invite, "x=1", &r), 303);
	reply_free(&r);
	get(&CLERK, "/mot-cua/quay-danh-gia", &r);
	assert_true(reply_has(&r, code));
	assert_false(reply_has(&r, "<a "));
	reply_free(&r);
	/* the tablet rates nothing but the invited dossier */
	char fields[400];
	snprintf(fields, sizeof fields, "ma=%s&muc=unsatisfied&y_kien=Kh%%C3%%B4ng", other);
	assert_int_equal(submit_form(&CLERK, "/mot-cua/quay-danh-gia", "/mot-cua/quay-danh-gia", fields, &r), 409);
	reply_free(&r);
	snprintf(fields, sizeof fields, "ma=%s&muc=satisfied&y_kien=Ch%%E1%%BB%%8B+L%%C3%%A2n+t%%E1%%BA%%ADn+t%%C3%%ACnh", code);
	assert_int_equal(submit_form(&CLERK, "/mot-cua/quay-danh-gia", "/mot-cua/quay-danh-gia", fields, &r), 303);
	reply_free(&r);
	/* reset: waiting again, and the same rating cannot be sent twice */
	get(&CLERK, "/mot-cua/quay-danh-gia?cam-on=1", &r);
	assert_true(reply_has(&r, "Cảm ơn ông/bà đã đánh giá"));
	assert_false(reply_has(&r, code));
	reply_free(&r);
	/* (the waiting page has no form: the resend is refused by its token, or as no invitation) */
	long again = submit_form(&CLERK, "/mot-cua/quay-danh-gia", "/mot-cua/quay-danh-gia", fields, &r);
	assert_true(again == 403 || again == 409);
	reply_free(&r);
	assert_int_equal(submit_form(&CLERK, page, invite, "x=1", &r), 409);   /* rated: no second invitation */
	reply_free(&r);
	char path[200];
	snprintf(path, sizeof path, "/api/v1/lookup/%s?phone=0913000111", code);
	assert_int_equal(fetch_from(&S, path, &r), 200);
	assert_true(reply_has(&r, "\"rating\":\"satisfied\""));
	reply_free(&r);
	/* the leader reads the comment; the clerk does not get the page */
	get(&LEADER, "/mot-cua/y-kien-danh-gia", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Chị Lân tận tình"));
	assert_true(reply_has(&r, code));
	reply_free(&r);
	get(&CLERK, "/mot-cua/y-kien-danh-gia", &r);
	assert_int_equal(r.status, 403);
	reply_free(&r);
	get(&LEADER, "/mot-cua/y-kien-danh-gia?from=2026-13-01", &r);
	assert_int_equal(r.status, 400);
	reply_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_download),
		cmocka_unit_test(test_scans_and_reuse),
		cmocka_unit_test(test_fees),
		cmocka_unit_test(test_huge_upload),
		cmocka_unit_test(test_download_throttled),
		cmocka_unit_test(test_kiosk),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
