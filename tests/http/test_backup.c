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

static void
restore(const char *backup, char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/motcua-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char cmd[700];
	snprintf(cmd, sizeof cmd, "tar -xf '%s' -C '%s'", backup, dir);
	assert_int_equal(system(cmd), 0);
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
	assert_int_equal(run_cli(PW "\n", NULL, "user", "add", "--data", S.dir, "--username", "bk.clerk", "--role",
	                         "clerk", "--full-name", "Văn thư", "--password-stdin", NULL), 0);
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
	char b1[300], b2[300], b3[300], r1[64], r2[64], code[80];
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
	/* the scan and the image come back byte for byte */
	assert_true(same_tree(S.dir, r2, "files"));
	assert_true(same_tree(S.dir, r2, "anh"));
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
	char cmd[900];
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
	snprintf(cmd, sizeof cmd, "rm -f $(find '%s/anh' -type f)", r2);
	assert_int_equal(system(cmd), 0);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", r2, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "2 tệp thiếu hoặc hỏng"));
	buf_free(&out);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", r1, r2);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_while_serving),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
