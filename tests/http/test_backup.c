/*
 * test_backup.c — `motcua backup` takes a consistent copy while the server
 * serves and writes: one tar archive with the database, the dossiers'
 * attachments and the news images.  Extracted with tar (docs/OPERATIONS.md)
 * it is the same data with a valid audit chain; `motcua check` finds a
 * damaged or missing file, and a backup of such a folder says so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "driver.h"

static struct srv S;
static atomic_int writing;
static atomic_int written;

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

/* An admin adds holiday overrides one after another (each a transaction
 * with its audit event) until told to stop. */
static void *
writer(void *arg)
{
	(void)arg;
	struct client a;
	struct reply r;
	char csrf[128];
	client_init(&a, &S);
	if (login(&a, "admin", S.admin_pw) != 303)
		return NULL;
	get(&a, "/quan-tri/lich?nam=2030", &r);
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	for (int day = 1; atomic_load(&writing) && day <= 28; day++) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "day=2030-03-%02d&kind=off&name=Ngh%%E1%%BB%%89+th%%E1%%BB%%AD+%d&csrf=", day, day);
		urlenc(&b, csrf);
		post_form(&a, "/quan-tri/lich/ngay", buf_str(&b), &r);
		if (r.status == 303)
			atomic_fetch_add(&written, 1);
		reply_free(&r);
		buf_free(&b);
	}
	client_free(&a);
	return NULL;
}

static char *
cli_out(const char *dir, const char *a1, const char *a2, const char *a3, const char *a4)
{
	struct buf out = BUF_INIT;
	int rc = run_cli(NULL, &out, a1, a2, "--data", dir, a3, a4, NULL);
	if (rc != 0)
		fail_msg("motcua %s %s: %s", a1, a2, buf_str(&out));
	return buf_detach(&out);
}

/* Extracts an archive into a new folder and, as docs/OPERATIONS.md says,
 * puts back the audit key kept apart from the archives. */
static void
restore_from(const char *backup, const char *live, char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/motcua-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char cmd[900];
	snprintf(cmd, sizeof cmd, "tar -xf '%s' -C '%s'", backup, dir);
	assert_int_equal(system(cmd), 0);
	/* the archive never holds the key */
	snprintf(cmd, sizeof cmd, "tar -tf '%s' | grep -q audit.key", backup);
	assert_int_not_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "cp -p '%s/audit.key' '%s/audit.key'", live, dir);
	assert_int_equal(system(cmd), 0);
}

static void
restore(const char *backup, char *dir, size_t n)
{
	restore_from(backup, S.dir, dir, n);
}

/* GETs page for its CSRF token, then POSTs one file as multipart to path;
 * returns the status. */
static long
upload(struct client *c, const char *page, const char *path, const char *filename,
       const void *data, size_t len)
{
	struct reply r;
	char csrf[128] = "";
	get(c, page, &r);
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	struct buf b = BUF_INIT;
	buf_printf(&b, "--Bk7\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
	               "--Bk7\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nẢnh\r\n"
	               "--Bk7\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
	               "Content-Type: application/octet-stream\r\n\r\n", csrf, filename);
	buf_append(&b, data, len);
	buf_puts(&b, "\r\n--Bk7--\r\n");
	char origin[200];
	snprintf(origin, sizeof origin, "Origin: %s", S.url);
	req(c, "POST", path, "multipart/form-data; boundary=Bk7", buf_str(&b), b.len, origin, &r);
	long st = r.status;
	reply_free(&r);
	buf_free(&b);
	return st;
}

/* A clerk receives a dossier and attaches a scan; the admin uploads a news
 * image.  Returns the dossier code in code. */
static void
add_files(char *code, size_t n)
{
#define PW "mat-khau-thu-nghiem-10"
	const char *pw = PW;
	assert_int_equal(add_user(&S, "bk.clerk", "clerk", "Văn thư", PW), 0);
	struct client c, a;
	struct reply r;
	client_init(&c, &S);
	assert_int_equal(login(&c, "bk.clerk", pw), 303);
	char csrf[128] = "";
	get(&c, "/mot-cua/tiep-nhan?thu_tuc=1.001193", &r);
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	struct buf f = BUF_INIT;
	buf_puts(&f, "csrf=");
	urlenc(&f, csrf);
	buf_puts(&f, "&procedure_code=1.001193&doc_0_name=T%E1%BB%9D+khai&doc_0_received=1&doc_0_form=original"
	             "&doc_0_count=1&name=Nguy%E1%BB%85n+V%C4%83n+Sao+L%C6%B0u&phone=0912345678"
	             "&id_number=001185012345&dob=1985-03-02&sex=female&fee=8000&address=Th%C3%B4n+%C4%90%C3%B4ng"
	             "&channel=counter&intake=receive");
	post_form(&c, "/mot-cua/tiep-nhan", buf_str(&f), &r);
	if (r.status != 303)
		fail_msg("intake: %ld %s", r.status, buf_str(&r.body));
	char loc[300] = "";
	reply_header(&r, "Location", loc, sizeof loc);
	const char *p = strstr(loc, "/ho-so/");
	assert_non_null(p);
	snprintf(code, n, "%.*s", (int)strcspn(p + 7, "?"), p + 7);
	reply_free(&r);
	buf_free(&f);
	/* a scanned page: a PDF header and some bytes */
	static const char pdf[] = "%PDF-1.4\n% motcua backup test scan\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
	char page[200], path[220];
	snprintf(page, sizeof page, "/mot-cua/ho-so/%s", code);
	snprintf(path, sizeof path, "/mot-cua/ho-so/%s/dinh-kem", code);
	assert_int_equal(upload(&c, page, path, "to-khai.pdf", pdf, sizeof pdf - 1), 303);
	client_free(&c);
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H',
	                                    'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde};
	client_init(&a, &S);
	assert_int_equal(login(&a, "admin", S.admin_pw), 303);
	long st = upload(&a, "/quan-tri/tin-tuc/anh", "/quan-tri/tin-tuc/anh", "anh.png", png, sizeof png);
	assert_true(st == 200 || st == 303);
	client_free(&a);
}

/* "cmp" of every file below a/ that is also below b/, by find. */
static int
same_tree(const char *a, const char *b, const char *sub)
{
	char cmd[900];
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && test -n \"$(find %s -type f)\" && for f in $(find %s -type f); do cmp -s \"$f\" '%s'/\"$f\" || exit 1; done",
	         a, sub, sub, b);
	return system(cmd) == 0;
}

static void
test_backup_while_serving(void **state)
{
	(void)state;
	char b1[300], b2[300], b3[300], r1[64], r2[64], code[80], cmd[900];
	snprintf(b1, sizeof b1, "%s/backup-1.tar", S.dir);
	snprintf(b2, sizeof b2, "%s/backup-2.tar", S.dir);
	snprintf(b3, sizeof b3, "%s/backup-3.tar", S.dir);
	add_files(code, sizeof code);
	atomic_store(&writing, 1);
	pthread_t t;
	pthread_create(&t, NULL, writer, NULL);
	while (atomic_load(&written) < 3)
		usleep(20000);
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "backup", "--data", S.dir, "--to", b1, NULL), 0);
	atomic_store(&writing, 0);
	pthread_join(t, NULL);
	/* a backup never overwrites a file */
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "backup", "--data", S.dir, "--to", b1, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "đã tồn tại"));

	/* the copy taken mid-writes restores to a valid database and chain */
	restore(b1, r1, sizeof r1);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", r1, NULL), 0);
	assert_non_null(strstr(buf_str(&out), "KẾT QUẢ: ĐẠT"));

	/* quiet now: a second copy restores to exactly the live data */
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "backup", "--data", S.dir, "--to", b2, NULL), 0);
	assert_non_null(strstr(buf_str(&out), "cơ sở dữ liệu và 2 tệp"));
	restore(b2, r2, sizeof r2);
	/* the scan and the image (one file store) come back byte for byte */
	assert_true(same_tree(S.dir, r2, "files"));
	snprintf(cmd, sizeof cmd, "test \"$(find '%s/files' -type f | wc -l)\" = 2", r2);
	assert_int_equal(system(cmd), 0);
	const char *what[][4] = {
		{"user", "list", NULL, NULL},
		{"export", "procedures", NULL, NULL},
		{"calendar", "holidays", "--year", "2030"},
	};
	for (size_t i = 0; i < sizeof what / sizeof what[0]; i++) {
		char *live = cli_out(S.dir, what[i][0], what[i][1], what[i][2], what[i][3]);
		char *back = cli_out(r2, what[i][0], what[i][1], what[i][2], what[i][3]);
		assert_string_equal(live, back);
		free(live);
		free(back);
	}
	char *h = cli_out(r2, "calendar", "holidays", "--year", "2030");
	assert_non_null(strstr(h, "2030-03-01\tNghỉ thử 1\toverride"));
	free(h);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", r2, NULL), 0);
	assert_non_null(strstr(buf_str(&out), "Tệp đính kèm và ảnh: đạt (2 tệp"));
	(void)code;

	/* a damaged scan is found by check, and a backup of that folder
	 * leaves it out and says so */
	snprintf(cmd, sizeof cmd, "f=$(find '%s/files' -type f | head -1) && chmod u+w \"$f\" && printf X >> \"$f\"", r2);
	assert_int_equal(system(cmd), 0);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", r2, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "Tệp đính kèm và ảnh: LỖI — 1 tệp thiếu hoặc hỏng; đầu tiên: files/"));
	assert_non_null(strstr(buf_str(&out), "không khớp mã băm"));
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "backup", "--data", r2, "--to", b3, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "và 1 tệp"));
	assert_non_null(strstr(buf_str(&out), "CẢNH BÁO — 1 tệp"));
	snprintf(cmd, sizeof cmd, "test \"$(tar -tf '%s' | wc -l)\" = 2", b3);
	assert_int_equal(system(cmd), 0);
	/* a file deleted from under the database: missing */
	snprintf(cmd, sizeof cmd, "rm -f $(find '%s/files' -type f | tail -1)", r2);
	assert_int_equal(system(cmd), 0);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", r2, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "2 tệp thiếu hoặc hỏng"));
	buf_free(&out);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", r1, r2);
	assert_int_equal(system(cmd), 0);
}

/* The audit event count `motcua check` reports for dir. */
static long
audit_events(const char *dir)
{
	struct buf out = BUF_INIT;
	run_cli(NULL, &out, "check", "--data", dir, NULL);
	const char *p = strstr(buf_str(&out), "Chuỗi nhật ký kiểm toán: đạt (");
	long n = p ? atol(p + strlen("Chuỗi nhật ký kiểm toán: đạt (")) : -1;
	buf_free(&out);
	return n;
}

/* The admin takes a backup from the page, sees it listed and downloads
 * it; the download is the same archive, and both acts are audited. */
static void
test_admin_page(void **state)
{
	(void)state;
	struct client a;
	struct reply r;
	client_init(&a, &S);
	assert_int_equal(login(&a, "admin", S.admin_pw), 303);
	get(&a, "/quan-tri/sao-luu", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Chưa có bản sao lưu nào"));
	assert_true(reply_has(&r, "Chưa bật sao lưu tự động"));
	char csrf[128] = "";
	csrf_of(&r, csrf, sizeof csrf);
	reply_free(&r);
	long before = audit_events(S.dir);

	/* without the CSRF token: refused, nothing written */
	post_form(&a, "/quan-tri/sao-luu", "csrf=sai", &r);
	assert_int_equal(r.status, 403);
	reply_free(&r);
	struct buf body = BUF_INIT;
	buf_puts(&body, "csrf=");
	urlenc(&body, csrf);
	post_form(&a, "/quan-tri/sao-luu", buf_str(&body), &r);
	buf_free(&body);
	assert_int_equal(r.status, 303);
	char loc[200] = "";
	reply_header(&r, "Location", loc, sizeof loc);
	reply_free(&r);
	const char *name = strstr(loc, "ok=");
	assert_non_null(name);
	name += 3;
	assert_int_equal(strlen(name), 26);
	get(&a, loc, &r);
	assert_true(reply_has(&r, "Đã sao lưu vào tệp"));
	assert_true(reply_has(&r, "Bằng tay"));
	char link[120];
	snprintf(link, sizeof link, "href=\"/quan-tri/sao-luu/%s\"", name);
	assert_true(reply_has(&r, link));
	reply_free(&r);

	char path[200], file[400];
	snprintf(path, sizeof path, "/quan-tri/sao-luu/%s", name);
	snprintf(file, sizeof file, "%s/sao-luu/%s", S.dir, name);
	get(&a, path, &r);
	assert_int_equal(r.status, 200);
	char ct[80], disp[160];
	reply_header(&r, "Content-Type", ct, sizeof ct);
	assert_string_equal(ct, "application/x-tar");
	reply_header(&r, "Content-Disposition", disp, sizeof disp);
	assert_non_null(strstr(disp, name));
	FILE *f = fopen(file, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *disk = malloc((size_t)size);
	assert_int_equal(fread(disk, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	assert_int_equal(r.body.len, (size_t)size);
	assert_memory_equal(r.body.data, disk, (size_t)size);
	assert_string_equal(r.body.data, "motcua.db");       /* the first member */
	assert_memory_equal(r.body.data + 257, "ustar", 6);
	free(disk);
	reply_free(&r);
	assert_int_equal(audit_events(S.dir), before + 2);  /* backup.create, backup.download */

	/* only archive names are served */
	const char *bad[] = {"/quan-tri/sao-luu/..%2Fmotcua.db", "/quan-tri/sao-luu/motcua.db",
	                     "/quan-tri/sao-luu/motcua-20261128-999999.ta", "/quan-tri/sao-luu/motcua-2026112x-010000.tar"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		get(&a, bad[i], &r);
		if (r.status != 404)
			fail_msg("%s: %ld", bad[i], r.status);
		reply_free(&r);
	}
	/* nobody but the admin */
	struct client anon;
	client_init(&anon, &S);
	get(&anon, path, &r);
	assert_true(r.status == 303 || r.status == 401 || r.status == 403);
	assert_false(r.body.len > 512 && memcmp(r.body.data + 257, "ustar", 5) == 0);
	reply_free(&r);
	client_free(&anon);
	client_free(&a);
}

#define FAKETIME_LIB "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"

/* A server whose clock reaches 01:30 (UTC+7) takes the nightly backup by
 * itself, keeps only the newest `--backup-keep` nightly archives and
 * leaves hand-made ones alone. */
static void
test_nightly(void **state)
{
	(void)state;
	if (access(FAKETIME_LIB, R_OK) != 0)
		fail_msg("%s is missing (scripts/deps.sh installs libfaketime)", FAKETIME_LIB);
	struct srv n;
	char dir[64] = "/tmp/motcua-test-XXXXXX", bdir[128], cmd[600];
	assert_non_null(mkdtemp(dir));
	snprintf(bdir, sizeof bdir, "%s/kho", dir);
	/* an older nightly archive and a hand-made one are already there */
	snprintf(cmd, sizeof cmd, "mkdir '%s' && touch '%s/motcua-20261101-013000-tu-dong.tar' '%s/motcua-20261102-090000.tar'",
	         bdir, bdir, bdir);
	assert_int_equal(system(cmd), 0);
	char asan[512];
	const char *old = getenv("ASAN_OPTIONS");
	snprintf(asan, sizeof asan, "%s%sverify_asan_link_order=0", old ? old : "", old && *old ? ":" : "");
	setenv("ASAN_OPTIONS", asan, 1);
	setenv("FAKETIME", "@2026-11-28 18:29:57", 1);   /* 01:29:57 in Việt Nam */
	setenv("FAKETIME_DONT_FAKE_MONOTONIC", "1", 1);
	setenv("TZ", "UTC", 1);
	setenv("LD_PRELOAD", FAKETIME_LIB, 1);
	static const char *extra[] = {"--backup-dir", NULL, "--backup-at", "01:30", "--backup-keep", "1", NULL};
	extra[1] = bdir;
	srv_extra_args = extra;
	int rc = srv_start(&n, NULL);
	srv_extra_args = NULL;
	unsetenv("LD_PRELOAD");
	unsetenv("FAKETIME");
	assert_int_equal(rc, 0);
	/* within a few seconds of 01:30 the archive appears and the old one goes */
	snprintf(cmd, sizeof cmd, "for i in $(seq 100); do ls '%s' | grep -q '^motcua-20261129-0130[0-9][0-9]-tu-dong.tar$' && "
	         "! test -e '%s/motcua-20261101-013000-tu-dong.tar' && exit 0; sleep 0.1; done; ls -l '%s' >&2; exit 1",
	         bdir, bdir, bdir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "test -e '%s/motcua-20261102-090000.tar' && test $(ls '%s' | wc -l) = 2", bdir, bdir);
	assert_int_equal(system(cmd), 0);
	/* the archive is a data folder */
	char r1[64];
	snprintf(cmd, sizeof cmd, "ls '%s'/*-tu-dong.tar", bdir);
	FILE *p = popen(cmd, "r");
	char tarpath[300] = "";
	assert_non_null(fgets(tarpath, sizeof tarpath, p));
	pclose(p);
	tarpath[strcspn(tarpath, "\n")] = 0;
	restore_from(tarpath, n.dir, r1, sizeof r1);
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", r1, NULL), 0);
	buf_free(&out);
	/* the page tells the admin */
	struct client a;
	struct reply r;
	client_init(&a, &n);
	assert_int_equal(login(&a, "admin", n.admin_pw), 303);
	get(&a, "/quan-tri/sao-luu", &r);
	if (r.status != 200)
		fail_msg("page: %ld", r.status);
	assert_true(reply_has(&r, "Hệ thống tự sao lưu lúc <strong>01:30</strong>"));
	assert_true(reply_has(&r, "Lần sao lưu tự động gần nhất: 29/11/2026 01:30"));
	assert_true(reply_has(&r, "— đạt"));
	assert_true(reply_has(&r, "Tự động"));
	reply_free(&r);
	client_free(&a);
	assert_int_equal(srv_stop(&n, SIGTERM), 0);
	srv_cleanup(&n);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", r1, dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_while_serving),
		cmocka_unit_test(test_admin_page),
		cmocka_unit_test(test_nightly),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
