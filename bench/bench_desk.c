/*
 * bench_desk.c — the desk's storage on this machine: receiving dossiers
 * (each a durable transaction: number, insert, timeline, audit event,
 * synchronous=FULL) one clerk at a time and eight at once, then the desk's
 * searches over what was received (by code, phone, part of a name without
 * tones, an overdue queue).  Appends its rows to bench/results.md.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

#define SERIAL 2000
#define THREADS 8
#define PER_THREAD 500

static struct store *st;
static int64_t version_id;

static const char *const family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"};
static const char *const given[] = {"Văn An", "Thị Bình", "Minh Châu", "Đức Dũng", "Thu Hà", "Quốc Khánh"};

static int
receive(int i)
{
	char name[80], key[80], phone[16], app[256];
	snprintf(name, sizeof name, "%s %s %d", family[i % 8], given[i % 6], i);
	snprintf(key, sizeof key, "%d", i);   /* the folded name is not what is measured */
	snprintf(phone, sizeof phone, "09%08d", i);
	snprintf(app, sizeof app, "{\"name\":\"%s\",\"phone\":\"%s\"}", name, phone);
	int64_t at = 1795000000 + i;
	struct store_dossier_in in = {
		.agency = "000.00.00.H00", .yy = 26, .mm = 11, .dd = 28 + i % 2,
		.procedure_version_id = version_id, .procedure_code = "1.001193",
		.procedure_name = "Thủ tục đăng ký khai sinh", .channel = "counter",
		.applicant = app, .applicant_name = name, .applicant_key = i % 2 ? "nguyen van an" : key,
		.phone = phone, .documents = "[]", .note = "", .status = "received", .stage = "",
		.unit = "", .fee = 8000, .received_at = at, .due_at = at + 86400 * (i % 10),
	};
	char code[64];
	return store_dossier_create(st, "user:bench", &in, code, sizeof code) == ERR_OK ? 0 : -1;
}

static void *
worker(void *arg)
{
	int base = (int)(intptr_t)arg;
	for (int i = 0; i < PER_THREAD; i++)
		if (receive(base + i) != 0)
			return (void *)1;
	return NULL;
}

static int
count(const struct store_dossier *d, void *arg)
{
	(void)d;
	(*(int *)arg)++;
	return 0;
}

static double
search_ms(const struct store_dossier_query *q, int reps)
{
	double t0 = now_ms();
	for (int i = 0; i < reps; i++) {
		int n = 0;
		int64_t total;
		if (store_dossier_list(st, q, count, &n, &total) != ERR_OK)
			return -1;
	}
	return (now_ms() - t0) / reps;
}

int
main(void)
{
	char dir[] = "/tmp/motcua-bench-XXXXXX";
	if (bench_store(dir, &st, &version_id) != 0)
		return 1;

	double t0 = now_ms();
	for (int i = 0; i < SERIAL; i++)
		if (receive(i) != 0)
			return 1;
	double serial_ms = (now_ms() - t0) / SERIAL;

	pthread_t th[THREADS];
	t0 = now_ms();
	for (int k = 0; k < THREADS; k++)
		pthread_create(&th[k], NULL, worker, (void *)(intptr_t)(SERIAL + k * PER_THREAD));
	int bad = 0;
	for (int k = 0; k < THREADS; k++) {
		void *r;
		pthread_join(th[k], &r);
		bad |= r != NULL;
	}
	if (bad)
		return 1;
	double par_s = (now_ms() - t0) / 1e3;
	int total = SERIAL + THREADS * PER_THREAD;

	struct store_dossier_query by_code = {.code = "000.00.00.H00-261128-0777"};
	struct store_dossier_query by_phone = {.phone = "0900001234"};
	struct store_dossier_query by_name = {.name_key = "nguyen van", .limit = 100};
	struct store_dossier_query overdue = {.statuses = "received,processing", .due_before = 1795003000,
	                                      .by_due = 1, .limit = 100};
	double code_ms = search_ms(&by_code, 200), phone_ms = search_ms(&by_phone, 200);
	double name_ms = search_ms(&by_name, 50), due_ms = search_ms(&overdue, 50);
	printf("intake, one clerk: %.2f ms per dossier (%d)\n", serial_ms, SERIAL);
	printf("intake, %d clerks at once: %.0f dossiers/s (%d)\n", THREADS, THREADS * PER_THREAD / par_s,
	       THREADS * PER_THREAD);
	printf("search among %d: code %.3f ms, phone %.3f ms, name part %.2f ms, overdue queue %.2f ms\n",
	       total, code_ms, phone_ms, name_ms, due_ms);
	FILE *f = fopen("bench/results.md", "a");
	if (f) {
		fprintf(f, "| receive a dossier, one clerk (durable transaction: number, insert, timeline, audit) | %.2f ms |\n"
		           "| receive, %d clerks at once | %.0f dossiers/s |\n"
		           "| desk search among %d dossiers: exact code / phone | %.3f / %.3f ms |\n"
		           "| desk search: part of a name without tones (first 100) | %.2f ms |\n"
		           "| overdue queue (first 100 by due instant) | %.2f ms |\n",
		        serial_ms, THREADS, THREADS * PER_THREAD / par_s, total, code_ms, phone_ms, name_ms,
		        due_ms);
		fclose(f);
	}
	store_close(st);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
