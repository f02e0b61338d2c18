/*
 * test_case_secrecy.c — the denouncer's identity (Luật Tố cáo 2018,
 * Điều 47–48; issue #14 "Must show"): a denunciation is sent online by a
 * citizen with a distinctive name, phone and ID number and a photo; a
 * clerk assigns officer1 to handle it and leader1 to decide.  Then every
 * GET route of the route table (web_routes, linked in: a route added
 * later is walked too), with each {param} replaced by the values that
 * exist (the case, a dossier, a procedure, the photo's hash, account
 * ids, form numbers) and with the export switches (CSV, XLSX), and every
 * link found on the pages each person can reach, is fetched as anonymous,
 * another citizen, admin, clerk, officer2, leader2 and viewer: the name,
 * the phone and the ID never appear.  As officer1 and leader1 the API
 * answer does carry them (the search would find them), and the
 * notification outbox and messages folder carry them to nobody else.
 *
 * Officer1 also records the denouncer's visit in the reception register.
 * The admin's walk downloads a backup archive: the name, ID and address
 * are sealed in it (secret.key is never archived).
 */
#include <dirent.h>
#include <jansson.h>
#include <setjmp.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "driver.h"
#include "web/web.h"

static struct srv S;
#define PW "mat-khau-thu-123"
#define NAME "Khổng Thị Bảo Mật"
#define NAME_FOLDED "Bảo Mật"
#define PHONE "0968 123 457"
#define PHONE_DIGITS "968123457"
#define IDNO "001185012345"
#define OTHER_PHONE "0912 000 111"

static char CASE[32], DOSSIER[32], SHA[65];
static long OFFICER1, LEADER1;

/* ---- people ---------------------------------------------------------------- */

static long long last_read = -1;

/* The one-time code of the newest message to `to` in DATA/messages. */
static void
read_code(const char *to, char *code, size_t n)
{
	char dir[400], path[700], head[300];
	snprintf(dir, sizeof dir, "%s/messages", S.dir);
	snprintf(head, sizeof head, "To: %s\n", to);
	code[0] = '\0';
	for (int tries = 0; tries < 200 && !code[0]; tries++) {
		if (tries)
			usleep(50 * 1000);
		DIR *d = opendir(dir);
		if (!d)
			continue;
		struct dirent *e;
		long long best = last_read;
		while ((e = readdir(d))) {
			long long num = atoll(e->d_name);
			if (e->d_name[0] == '.' || num <= best || !strstr(e->d_name, ".txt"))
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			FILE *f = fopen(path, "r");
			char text[2000] = "";
			size_t k = f ? fread(text, 1, sizeof text - 1, f) : 0;
			text[k] = '\0';
			if (f)
				fclose(f);
			const char *body = strstr(text, "\n\n");
			if (strncmp(text, head, strlen(head)) != 0 || !body)
				continue;
			for (const char *p = body; *p; p++)
				if (strspn(p, "0123456789") == 6 && (p == body || p[-1] < '0' || p[-1] > '9')) {
					best = num;
					snprintf(code, n, "%.6s", p);
					break;
				}
		}
		closedir(d);
		if (code[0])
			last_read = best;
	}
}

/* Signs c in as the citizen of phone (normalised: to). */
static int
citizen_in(struct client *c, const char *phone, const char *to)
{
	struct buf f = BUF_INIT;
	buf_puts(&f, "contact=");
	urlenc(&f, phone);
	struct reply r;
	long st = submit_form(c, "/cong-dan/dang-nhap", "/cong-dan/ma", buf_str(&f), &r);
	reply_free(&r);
	char code[8];
	read_code(to, code, sizeof code);
	buf_puts(&f, "&code=");
	buf_puts(&f, code);
	long st2 = st == 200 && code[0] ? submit_form(c, "/cong-dan/dang-nhap", "/cong-dan/dang-nhap", buf_str(&f), &r)
	                                : 0;
	if (st2)
		reply_free(&r);
	buf_free(&f);
	return st2 == 303 ? 0 : -1;
}

enum { ANON, CITIZEN, ADMIN, CLERK, OFFICER2, LEADER2, VIEWER, OFFICER1_, LEADER1_, NWHO };
static const char *const WHO[NWHO] = {"anonymous", "citizen", "admin", "clerk", "officer2", "leader2", "viewer",
                                      "officer1", "leader1"};
static const char *const USER[NWHO] = {NULL, NULL, "admin", "bm.clerk", "bm.officer2", "bm.leader2", "bm.viewer",
                                       "bm.officer1", "bm.leader1"};
static struct client C[NWHO];
static char BEARER[NWHO][200];

/* A tiny valid PNG (1×1). */
static const unsigned char PNG[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
	0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xff, 0xff, 0x3f, 0x00, 0x05, 0xfe, 0x02, 0xfe, 0xa7,
	0x35, 0x81, 0x84, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

static long
api(int who, const char *method, const char *path, const char *json, struct reply *r)
{
	struct client c;
	client_init(&c, &S);
	req(&c, method, path, json ? "application/json" : NULL, json, json ? strlen(json) : 0, BEARER[who], r);
	client_free(&c);
	return r->status;
}

/* Why the setup stopped (the step's number), for the log. */
static int
setup_fail(int step)
{
	print_error("setup failed at step %d\n", step);
	return -1;
}

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0)
		return setup_fail(1);
	static const char *const roles[NWHO] = {NULL, NULL, NULL, "clerk", "officer", "leader", "viewer", "officer",
	                                        "leader"};
	for (int i = CLERK; i < NWHO; i++)
		if (add_user(&S, USER[i], roles[i], WHO[i], PW) != 0)
			return setup_fail(2);
	OFFICER1 = user_id_of(&S, "bm.officer1");
	LEADER1 = user_id_of(&S, "bm.leader1");
	for (int i = 0; i < NWHO; i++) {
		client_init(&C[i], &S);
		if (i >= ADMIN) {
			const char *pw = i == ADMIN ? S.admin_pw : PW;
			if (login(&C[i], USER[i], pw) != 303 || bearer_for(&S, USER[i], pw, BEARER[i], sizeof BEARER[i]) != 201)
				return setup_fail(3);
		}
	}
	/* the denouncer, online, signed in with his phone; a photo attached */
	struct client den;
	client_init(&den, &S);
	if (citizen_in(&den, PHONE, "0968123457") != 0)
		return setup_fail(4);
	struct reply r;
	long st = submit_multipart(&den, "/gui-don/to-cao", "/cong-dan/gui-don/to-cao",
	                           "tieu_de=Tố cáo cán bộ thu tiền trái phép&noi_dung=Cán bộ X thu tiền khi làm thủ tục."
	                           "&doi_tuong=Ông Nguyễn Văn X, cán bộ địa chính&ho_ten=" NAME
	                           "&dia_chi=Thôn Kín, xã Thử&so_dinh_danh=" IDNO,
	                           "tep", "anh.png", PNG, sizeof PNG, &r);
	const char *p = st == 200 ? strstr(buf_str(&r.body), "id=\"ma-don\">") : NULL;
	if (!p)
		print_error("submit: %ld %.400s\n", st, strstr(buf_str(&r.body), "alert") ? strstr(buf_str(&r.body), "alert") : "");
	if (p)
		snprintf(CASE, sizeof CASE, "%.*s", (int)strcspn(p + 12, "<"), p + 12);
	reply_free(&r);
	client_free(&den);
	if (!CASE[0])
		return setup_fail(5);
	crypto_hash_sha256_state h;
	unsigned char dg[32];
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, PNG, sizeof PNG);
	crypto_hash_sha256_final(&h, dg);
	sodium_bin2hex(SHA, sizeof SHA, dg, sizeof dg);
	/* the clerk names the handler and the deciding leader */
	char body[200], path[100];
	snprintf(body, sizeof body, "{\"action\":\"assign\",\"handler_id\":%ld,\"decider_id\":%ld}", OFFICER1, LEADER1);
	snprintf(path, sizeof path, "/api/v1/cases/%s/actions", CASE);
	if (api(CLERK, "POST", path, body, &r) != 200)
		return setup_fail(6);
	reply_free(&r);
	/* a dossier, for the routes that take a dossier code */
	if (api(CLERK, "POST", "/api/v1/dossiers",
	        "{\"procedure_code\":\"1.001193\",\"channel\":\"counter\",\"applicant\":{\"name\":\"Lê Văn Nộp\","
	        "\"phone\":\"0913 222 333\",\"address\":\"Thôn Đông\"},\"documents\":[{\"name\":\"Tờ khai\","
	        "\"received\":true,\"form\":\"original\",\"count\":1}]}",
	        &r) != 201)
		return setup_fail(7);
	json_t *j = json_loads(buf_str(&r.body), 0, NULL);
	snprintf(DOSSIER, sizeof DOSSIER, "%s", json_string_value(json_object_get(j, "code")) ? json_string_value(json_object_get(j, "code")) : "");
	json_decref(j);
	reply_free(&r);
	/* officer1 also met the denouncer at the reception: the register keeps
	 * him to the official who recorded the visit, sealed in the database */
	time_t lt = time(NULL) + 7 * 3600 - 120;
	struct tm tm;
	gmtime_r(&lt, &tm);
	char fields[700];
	snprintf(fields, sizeof fields,
	         "ngay=%04d-%02d-%02d&gio=%02d:%02d&name=" NAME "&id_number=" IDNO "&address=Thôn Kín, xã Thử&phone=" PHONE
	         "&people=1&kind=denunciation&matter=Trình bày việc cán bộ thu tiền trái phép&received_by=Cán bộ tiếp dân"
	         "&guidance=Hướng dẫn viết đơn tố cáo",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	if (submit_multipart(&C[OFFICER1_], "/tiep-cong-dan/so/moi", "/tiep-cong-dan/so/moi", fields, NULL, NULL, NULL, 0,
	                     &r) != 303)
		return setup_fail(8);
	reply_free(&r);
	/* a backup archive, which the admin's walk downloads */
	if (submit_form(&C[ADMIN], "/quan-tri/sao-luu", "/quan-tri/sao-luu", "", &r) != 303)
		return setup_fail(9);
	reply_free(&r);
	/* another citizen, signed in */
	return DOSSIER[0] && citizen_in(&C[CITIZEN], OTHER_PHONE, "0912000111") == 0 ? 0 : setup_fail(99);
}

static int
teardown(void **state)
{
	(void)state;
	for (int i = 0; i < NWHO; i++)
		client_free(&C[i]);
	return group_stop(&S);
}

/* Does text hold any part of the denouncer's identity? */
static const char *
leak(const char *text, size_t len)
{
	static const char *const marks[] = {NAME, NAME_FOLDED, "Bao Mat", PHONE_DIGITS, "968 123 457", IDNO,
	                                    "Thôn Kín"};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (memmem(text, len, marks[i], strlen(marks[i])))
			return marks[i];
	return NULL;
}

/* The same for a backup archive, but for the phone (see walk). */
static const char *
leak_archive(const char *text, size_t len)
{
	static const char *const marks[] = {NAME, NAME_FOLDED, "Bao Mat", IDNO, "Thôn Kín"};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (memmem(text, len, marks[i], strlen(marks[i])))
			return marks[i];
	return NULL;
}

/* ---- the walk ------------------------------------------------------------------- */

struct seen {
	char **v;
	size_t n, cap;
};

static int
seen_add(struct seen *s, const char *p)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], p))
			return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = strdup(p);
	return 1;
}

static void
seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

/* The values a {param} is tried with. */
static void
values_for(const char *name, size_t len, const char **out, size_t *n)
{
	static char ids[12][16];
	*n = 0;
	if (!strncmp(name, "sha", len)) {
		out[(*n)++] = SHA;
		return;
	}
	if (!strncmp(name, "id", len)) {
		for (int i = 0; i < 12; i++) {
			snprintf(ids[i], sizeof ids[i], "%d", i + 1);
			out[(*n)++] = ids[i];
		}
		return;
	}
	if (!strncmp(name, "file", len)) {
		out[(*n)++] = "site.css";
		out[(*n)++] = "motcua-20990101-000000.tar";
		return;
	}
	/* {code}, {kind}, {form}, {key}, {channel}, {slug}, anything new */
	static const char *const any[] = {"1.001193", "to-cao", "phan-anh", "01", "02", "03", "04", "05", "06",
	                                  "sms", "email", "thu-ly", "khong-thu-ly", "ket-luan", "quyet-dinh"};
	out[(*n)++] = CASE;
	out[(*n)++] = DOSSIER;
	for (size_t i = 0; i < sizeof any / sizeof any[0]; i++)
		out[(*n)++] = any[i];
}

/* Every concrete path of pattern into s (each param over its values). */
static void
expand(const char *pattern, struct buf *prefix, struct seen *s)
{
	const char *open = strchr(pattern, '{');
	if (!open) {
		size_t keep = prefix->len;
		buf_puts(prefix, pattern);
		seen_add(s, buf_str(prefix));
		prefix->len = keep;
		return;
	}
	const char *close = strchr(open, '}');
	const char *vals[40];
	size_t nv;
	values_for(open + 1, (size_t)(close - open - 1), vals, &nv);
	for (size_t i = 0; i < nv; i++) {
		size_t keep = prefix->len;
		buf_append(prefix, pattern, (size_t)(open - pattern));
		buf_puts(prefix, vals[i]);
		expand(close + 1, prefix, s);
		prefix->len = keep;
		prefix->data[keep] = '\0';
	}
}

/* The same-site links of a page (href="/…"), into the queue. */
static void
links(const struct reply *r, struct seen *q)
{
	const char *b = buf_str(&r->body);
	for (const char *p = b; (p = strstr(p, "href=\"/")); p += 6) {
		size_t len = strcspn(p + 6, "\"#");
		if (len > 300 || p[7] == '/')
			continue;
		char path[320];
		snprintf(path, sizeof path, "%.*s", (int)len, p + 6);
		/* the templates escape & in attributes */
		for (char *a; (a = strstr(path, "&amp;"));)
			memmove(a + 1, a + 5, strlen(a + 5) + 1);
		seen_add(q, path);
	}
}

/* Fetches path as who (its cookies; its Bearer token for /api/). */
static long
fetch(int who, const char *path, struct reply *r)
{
	int is_api = !strncmp(path, "/api/", 5);
	req(&C[who], "GET", path, NULL, NULL, 0, is_api && who >= ADMIN ? BEARER[who] : NULL, r);
	return r->status;
}

/* Every GET route and every link reachable from them, as who: nothing of
 * the denouncer.  Returns how many answers were 200. */
static int
walk(int who)
{
	struct seen q = {0};
	struct buf pre = BUF_INIT;
	/* exports, and searches that find the case (by its words, its code) */
	char by_code[48];
	snprintf(by_code, sizeof by_code, "?q=%s", CASE);
	const char *const exports[] = {"", "?dinh_dang=csv", "?dinh_dang=xlsx", "?dinh-dang=csv", "?dinh-dang=json",
	                               "?q=thu tien trai phep", by_code};
	for (size_t i = 0; i < web_nroutes; i++) {
		const struct http_route *rt = &web_routes[i];
		if (strcmp(rt->method, "GET") != 0)
			continue;
		struct seen one = {0};
		expand(rt->pattern, &pre, &one);
		for (size_t k = 0; k < one.n; k++)
			for (size_t x = 0; x < sizeof exports / sizeof exports[0]; x++) {
				if (x && strchr(rt->pattern, '{'))
					break;   /* exports and searches are lists */
				char p[400];
				snprintf(p, sizeof p, "%s%s", one.v[k], exports[x]);
				seen_add(&q, p);
			}
		seen_free(&one);
	}
	int ok = 0, archives = 0;
	for (size_t i = 0; i < q.n && i < 3000; i++) {
		struct reply r;
		char *path = q.v[i];
		/* the query of a search is sent encoded */
		struct buf enc = BUF_INIT;
		for (const char *c = path; *c; c++)
			if (*c == ' ')
				buf_puts(&enc, "%20");
			else if ((unsigned char)*c >= 0x80)
				buf_printf(&enc, "%%%02X", (unsigned char)*c);
			else
				buf_putc(&enc, *c);
		long st = fetch(who, buf_str(&enc), &r);
		buf_free(&enc);
		/* a backup archive is the whole database: the denouncer's name, ID
		 * and address are sealed in it (DIR/secret.key is never archived);
		 * his phone is there as the sign-in of his citizen account, like
		 * every citizen's, linked to the case by nothing in clear */
		int archive = !strncmp(path, "/quan-tri/sao-luu/", 18);
		const char *hit = archive ? leak_archive(buf_str(&r.body), r.body.len) : leak(buf_str(&r.body), r.body.len);
		if (archive && st == 200)
			archives++;
		if (hit)
			print_error("%s sees \"%s\" at %s (status %ld)\n", WHO[who], hit, path, st);
		assert_null(hit);
		hit = leak(buf_str(&r.headers), r.headers.len);
		assert_null(hit);
		if (st == 200) {
			ok++;
			links(&r, &q);
		}
		reply_free(&r);
	}
	buf_free(&pre);
	seen_free(&q);
	/* the admin's walk did download the archive */
	if (who == ADMIN)
		assert_true(archives >= 1);
	return ok;
}

static void
test_nobody_else_sees_the_denouncer(void **state)
{
	(void)state;
	for (int who = ANON; who <= VIEWER; who++) {
		int ok = walk(who);
		/* the walk reached real pages, not just refusals */
		assert_true(ok > 10);
	}
}

/* The handler and the deciding leader do read him (so the search above
 * would have found him had he leaked), each read audited. */
static void
test_handler_and_decider_see_him(void **state)
{
	(void)state;
	char path[100];
	snprintf(path, sizeof path, "/api/v1/cases/%s", CASE);
	for (int who = OFFICER1_; who <= LEADER1_; who++) {
		struct reply r;
		assert_int_equal(api(who, "GET", path, NULL, &r), 200);
		assert_non_null(leak(buf_str(&r.body), r.body.len));
		assert_true(reply_has(&r, NAME));
		assert_true(reply_has(&r, IDNO));
		assert_true(reply_has(&r, "0968123457"));
		reply_free(&r);
	}
	/* another leader, the inspector and the clerk read the case, not him */
	for (int who = CLERK; who <= VIEWER; who++) {
		struct reply r;
		long st = api(who, "GET", path, NULL, &r);
		assert_true(st == 200 || st == 404);
		assert_null(leak(buf_str(&r.body), r.body.len));
		if (st == 200)
			assert_true(reply_has(&r, "\"sender_hidden\":true"));
		reply_free(&r);
	}
}

/* Nothing sent to anyone but him names him. */
static void
test_messages_carry_him_to_nobody_else(void **state)
{
	(void)state;
	char dir[400], path[700];
	snprintf(dir, sizeof dir, "%s/messages", S.dir);
	DIR *d = opendir(dir);
	int files = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "r");
		char text[20000];
		size_t k = f ? fread(text, 1, sizeof text - 1, f) : 0;
		text[k] = '\0';
		if (f)
			fclose(f);
		files++;
		if (strstr(text, "To: 0968123457\n") == text || strstr(text, "To: +84968123457\n") == text)
			continue;
		assert_null(leak(text, k));
	}
	if (d)
		closedir(d);
	assert_true(files >= 2);   /* the two sign-in codes at least */
	sqlite3 *db;
	char dbp[400];
	snprintf(dbp, sizeof dbp, "%s/motcua.db", S.dir);
	assert_int_equal(sqlite3_open_v2(dbp, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT recipient, subject || ' ' || body FROM outbox", -1, &st, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *to = (const char *)sqlite3_column_text(st, 0);
		const char *text = (const char *)sqlite3_column_text(st, 1);
		if (strstr(to, PHONE_DIGITS))
			continue;
		assert_null(leak(text, strlen(text)));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handler_and_decider_see_him),
		cmocka_unit_test(test_nobody_else_sees_the_denouncer),
		cmocka_unit_test(test_messages_carry_him_to_nobody_else),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
