/*
 * test_catalog.c — the catalogue (issue #4) against the real binary: the
 * seed catalogue, tone-insensitive search (including đ and decomposed
 * Unicode), the procedure page and API, export → import → export exact in
 * JSON and CSV, a bad file refused whole, versions on edit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver.h"

static struct srv S;

static int
setup(void **state)
{
	(void)state;
	return group_start(&S);
}

static int
teardown(void **state)
{
	(void)state;
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

static void
test_seed(void **state)
{
	(void)state;
	struct reply r;
	assert_int_equal(fetch("/api/v1/procedures?limit=200", &r), 200);
	long total = atol(strstr(buf_str(&r.body), "\"total\":") + 8);
	assert_true(total >= 40);
	reply_free(&r);
}

/* The first item's code of a search. */
static void
first_code(const char *query, const char *code)
{
	struct reply r;
	char path[512], want[64];
	struct buf q = BUF_INIT;
	urlenc(&q, query);
	snprintf(path, sizeof path, "/api/v1/procedures?q=%s", buf_str(&q));
	buf_free(&q);
	assert_int_equal(fetch(path, &r), 200);
	snprintf(want, sizeof want, "\"items\":[{\"code\":\"%s\"", code);
	if (!has(&r, want))
		fail_msg("search %s: want %s first, got %.300s", query, code, buf_str(&r.body));
	reply_free(&r);
}

static void
test_search(void **state)
{
	(void)state;
	first_code("khai sinh", "1.001193");
	first_code("dang ky khai sinh", "1.001193");
	first_code("Đăng ký khai sinh", "1.001193");
	first_code("D\xC4\x83ng ky\xCC\x81 khai sinh", "1.001193");       /* NFC ă, decomposed ý */
	first_code("Da\xCC\x86ng ky\xCC\x81 khai sinh", "1.001193");      /* fully decomposed */
	first_code("DANG KY KHAI SINH", "1.001193");
	first_code("chung thuc chu ky", "2.000884");
	struct reply r;
	assert_int_equal(fetch("/api/v1/procedures?q=chung%20thuc&limit=50", &r), 200);
	assert_true(has(&r, "\"code\":\"2.000815\""));
	assert_false(has(&r, "\"code\":\"1.001193\""));
	reply_free(&r);
	assert_int_equal(fetch("/api/v1/procedures?q=%C4%91ang%20ky&limit=5", &r), 200); /* "đang ky" folds to dang */
	assert_true(has(&r, "\"total\":"));
	reply_free(&r);
	/* hostile input: no error, just no match */
	const char *odd[] = {"%22", "NEAR(", "name%3A", "*", "a%20OR", "%22%22%22"};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, "/api/v1/procedures?q=%s", odd[i]);
		assert_int_equal(fetch(path, &r), 200);
		reply_free(&r);
	}
	assert_int_equal(fetch("/api/v1/procedures?limit=0", &r), 400);
	reply_free(&r);
	assert_int_equal(fetch("/api/v1/procedures?online_level=x", &r), 400);
	reply_free(&r);
}

static void
test_pages(void **state)
{
	(void)state;
	struct reply r;
	assert_int_equal(fetch("/thu-tuc?q=khai+sinh", &r), 200);
	assert_true(has(&r, "href=\"/thu-tuc/1.001193\""));
	reply_free(&r);
	assert_int_equal(fetch("/thu-tuc/1.001193", &r), 200);
	assert_true(has(&r, "Thủ tục đăng ký khai sinh"));
	assert_true(has(&r, "Thành phần hồ sơ"));
	assert_true(has(&r, "Luật Hộ tịch"));
	assert_true(has(&r, "Thời hạn giải quyết"));
	assert_true(has(&r, "Phí, lệ phí"));
	reply_free(&r);
	assert_int_equal(fetch("/thu-tuc/9.999999", &r), 404);
	reply_free(&r);
	assert_int_equal(fetch("/api/v1/procedures/1.001193", &r), 200);
	assert_true(has(&r, "\"legal_basis\":["));
	assert_true(has(&r, "\"documents\":[{"));
	reply_free(&r);
	assert_int_equal(fetch("/api/v1/procedures/khong-co", &r), 404);
	assert_true(has(&r, "\"code\":\"not_found\""));
	reply_free(&r);
}

static void
export_to(const char *dir, const char *fmt, const char *file)
{
	struct buf out = BUF_INIT;
	int rc = run_cli(NULL, &out, "export", "procedures", "--data", dir, "--format", fmt, "--out", file, NULL);
	if (rc != 0)
		fail_msg("export: %s", buf_str(&out));
	buf_free(&out);
}

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, k);
	fclose(f);
	*n = b.len;
	return buf_detach(&b);
}

static void
round_trip(const char *fmt)
{
	char a[300], b[300], fresh[] = "/tmp/motcua-test-XXXXXX";
	snprintf(a, sizeof a, "%s/export-a.%s", S.dir, fmt);
	snprintf(b, sizeof b, "%s/export-b.%s", S.dir, fmt);
	export_to(S.dir, fmt, a);
	assert_non_null(mkdtemp(fresh));
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "init", "--data", fresh, "--agency-name", "UBND xã Thử",
	                         "--agency-code", "000.00.00.H38", NULL), 0);
	out.len = 0;
	int rc = run_cli(NULL, &out, "import", "procedures", "--data", fresh, a, NULL);
	if (rc != 0)
		fail_msg("import: %s", buf_str(&out));
	export_to(fresh, fmt, b);
	size_t na, nb;
	char *da = slurp(a, &na), *db = slurp(b, &nb);
	assert_true(na > 1000);
	assert_int_equal(na, nb);
	assert_memory_equal(da, db, na);
	free(da);
	free(db);
	buf_free(&out);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fresh);
	assert_int_equal(system(cmd), 0);
}

static void
test_round_trip_json(void **state)
{
	(void)state;
	round_trip("json");
}

static void
test_round_trip_csv(void **state)
{
	(void)state;
	round_trip("csv");
}

static void
test_bad_file(void **state)
{
	(void)state;
	char path[300], before[300], after[300];
	snprintf(path, sizeof path, "%s/bad.json", S.dir);
	snprintf(before, sizeof before, "%s/before.json", S.dir);
	snprintf(after, sizeof after, "%s/after.json", S.dir);
	export_to(S.dir, "json", before);
	FILE *f = fopen(path, "w");
	fputs("{\n  \"format\": \"motcua-procedures/1\",\n  \"procedures\": [\n"
	      "    {\"code\": \"XA.TEST.01\", \"name\": \"Thủ tục thử mới\", \"field\": \"Thử nghiệm\"},\n"
	      "    {\"code\": \"XA.TEST.02\", \"name\": \"Thủ tục sai\", \"field\": \"Thử nghiệm\",\n"
	      "     \"time_limit\": {\"days\": -3}}\n  ]\n}\n", f);
	fclose(f);
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "import", "procedures", "--data", S.dir, path, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "dòng 5"));
	assert_non_null(strstr(buf_str(&out), "time_limit.days"));
	export_to(S.dir, "json", after);
	size_t n1, n2;
	char *d1 = slurp(before, &n1), *d2 = slurp(after, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(d1, d2, n1);
	free(d1);
	free(d2);
	/* a CSV with a broken row: refused with its line */
	snprintf(path, sizeof path, "%s/bad.csv", S.dir);
	f = fopen(path, "w");
	fputs("code,name\nXA.TEST.03,x\n", f);
	fclose(f);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "import", "procedures", "--data", S.dir, path, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "dòng 1"));
	buf_free(&out);
}

/* Admin edits a published procedure: a new draft version; the public
 * page keeps version 1 until it is published. Markup stays text. */
static void
test_versions(void **state)
{
	(void)state;
	struct client a;
	struct reply r;
	char csrf[128];
	client_init(&a, &S);
	assert_int_equal(login(&a, "admin", S.admin_pw), 303);
	get(&a, "/quan-tri/thu-tuc/2.000884", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(csrf_of(&r, csrf, sizeof csrf), 0);
	reply_free(&r);
	struct buf b = BUF_INIT;
	buf_puts(&b, "csrf=");
	urlenc(&b, csrf);
	buf_puts(&b, "&name=");
	urlenc(&b, "Chứng thực chữ ký <b>bản sửa</b>");
	buf_puts(&b, "&field=");
	urlenc(&b, "Chứng thực");
	buf_puts(&b, "&days=0&same_day=1&cutoff=15:00&fee_amount=10000&documents=");
	urlenc(&b, "Giấy tờ cần chứng thực chữ ký | bản chính | 1\nGiấy tờ tùy thân | xuất trình | 1");
	buf_puts(&b, "&legal_basis=");
	urlenc(&b, "NĐ 23/2015/NĐ-CP Đ24");
	buf_puts(&b, "&action=draft");
	post_form(&a, "/quan-tri/thu-tuc/2.000884", buf_str(&b), &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	assert_int_equal(fetch("/api/v1/procedures/2.000884", &r), 200);
	assert_true(has(&r, "\"version\":1"));
	assert_false(has(&r, "bản sửa"));
	reply_free(&r);
	/* publish the draft */
	b.len = 0;
	buf_puts(&b, "status=published&csrf=");
	urlenc(&b, csrf);
	post_form(&a, "/quan-tri/thu-tuc/2.000884/trang-thai", buf_str(&b), &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	assert_int_equal(fetch("/api/v1/procedures/2.000884", &r), 200);
	assert_true(has(&r, "\"version\":2"));
	assert_true(has(&r, "bản sửa"));
	reply_free(&r);
	assert_int_equal(fetch("/thu-tuc/2.000884", &r), 200);
	assert_true(has(&r, "Chứng thực chữ ký &lt;b&gt;bản sửa&lt;/b&gt;"));
	assert_true(has(&r, "10.000 đồng"));
	assert_true(has(&r, "Mười nghìn đồng"));
	reply_free(&r);
	/* a bad edit: clear message, nothing saved */
	b.len = 0;
	buf_puts(&b, "csrf=");
	urlenc(&b, csrf);
	buf_puts(&b, "&name=X&field=Y&days=5&same_day=1&action=publish");
	post_form(&a, "/quan-tri/thu-tuc/2.000884", buf_str(&b), &r);
	assert_int_equal(r.status, 400);
	assert_true(has(&r, "role=\"alert\""));
	reply_free(&r);
	assert_int_equal(fetch("/api/v1/procedures/2.000884", &r), 200);
	assert_true(has(&r, "\"version\":2"));
	reply_free(&r);
	buf_free(&b);
	client_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_versions),       /* first: the exports then differ from the seed */
		cmocka_unit_test(test_bad_file),
		cmocka_unit_test(test_round_trip_json),
		cmocka_unit_test(test_round_trip_csv),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
