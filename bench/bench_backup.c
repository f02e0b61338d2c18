/*
 * bench_backup.c — how long the nightly backup and `motcua check` take on
 * this machine for a commune's year: 3,000 dossiers, 600 of them with a
 * 1 MB scan (600 MB of attachments).  The backup re-hashes every file it
 * archives; the check re-hashes every file the database names.  Appends
 * its rows to bench/results.md.
 */
#include <string.h>
#include "common.h"

#define DOSSIERS 3000
#define SCANS 600
#define SCAN_BYTES (1024 * 1024)

int
main(void)
{
	char dir[] = "/tmp/motcua-bench-XXXXXX", err[512];
	struct store *st;
	int64_t version_id;
	if (bench_store(dir, &st, &version_id) != 0)
		return 1;
	unsigned char *scan = malloc(SCAN_BYTES);
	if (!scan)
		return 1;
	srand(7);
	for (size_t i = 0; i < SCAN_BYTES; i++)
		scan[i] = (unsigned char)rand();
	for (int i = 0; i < DOSSIERS; i++) {
		char name[64], phone[16], app[160], code[64];
		snprintf(name, sizeof name, "Nguyễn Văn %d", i);
		snprintf(phone, sizeof phone, "09%08d", i);
		snprintf(app, sizeof app, "{\"name\":\"%s\",\"phone\":\"%s\"}", name, phone);
		int64_t at = 1795000000 + i;
		struct store_dossier_in in = {
			.agency = "000.00.00.H00", .yy = 26, .mm = 11, .dd = 28,
			.procedure_version_id = version_id, .procedure_code = "1.001193",
			.procedure_name = "Thủ tục đăng ký khai sinh", .channel = "counter",
			.applicant = app, .applicant_name = name, .applicant_key = "nguyen van",
			.phone = phone, .documents = "[]", .note = "", .status = "received", .stage = "",
			.unit = "", .fee = 8000, .received_at = at, .due_at = at + 86400,
		};
		if (store_dossier_create(st, "user:bench", &in, code, sizeof code) != ERR_OK)
			return 1;
		if (i % (DOSSIERS / SCANS) == 0) {
			memcpy(scan, &i, sizeof i);   /* each scan different */
			struct store_attachment a = {.size = SCAN_BYTES};
			snprintf(a.name, sizeof a.name, "scan-%d.pdf", i);
			snprintf(a.mime, sizeof a.mime, "application/pdf");
			if (store_file_put(st, scan, SCAN_BYTES, a.sha256) != ERR_OK ||
			    store_attachment_add(st, "user:bench", code, &a) != ERR_OK)
				return 1;
		}
	}
	free(scan);

	char to[600];
	snprintf(to, sizeof to, "%s/backup.tar", dir);
	struct store_backup_info info;
	double t0 = now_ms();
	if (store_backup(st, to, &info, err, sizeof err) != ERR_OK || info.missing) {
		fprintf(stderr, "bench_backup: %s\n", err);
		return 1;
	}
	double backup_s = (now_ms() - t0) / 1e3;
	struct store_check c;
	t0 = now_ms();
	if (store_check(st, &c) != ERR_OK || c.files_bad || c.first_bad) {
		fprintf(stderr, "bench_backup: check failed\n");
		return 1;
	}
	double check_s = (now_ms() - t0) / 1e3;
	double mb = (double)info.bytes / 1e6;
	printf("backup: %d dossiers + %lld scans, %.0f MB archive in %.2f s (%.0f MB/s)\n", DOSSIERS,
	       (long long)info.files, mb, backup_s, mb / backup_s);
	printf("check: %lld audit events and %lld files re-hashed in %.2f s\n", (long long)c.events,
	       (long long)c.files, check_s);
	FILE *f = fopen("bench/results.md", "a");
	if (f) {
		fprintf(f, "| backup while serving: %d dossiers + %lld scans of 1 MB → %.0f MB tar | %.2f s (%.0f MB/s) |\n"
		           "| motcua check: %lld audit events + every file re-hashed | %.2f s |\n",
		        DOSSIERS, (long long)info.files, mb, backup_s, mb / backup_s, (long long)c.events, check_s);
		fclose(f);
	}
	store_close(st);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
