/*
 * bench_reads.c — the dossier reads a clerk, an officer, a leader and a
 * citizen make, timed on an existing data folder (one built by `motcua
 * demo`): the public lookup, the desk search by code, phone, ID and name,
 * every queue for each role, the search tab by state and by month, the
 * list API's first page, a deep page by offset and the same page by its
 * cursor, and a citizen's own dossiers.  Prints one line per read: the
 * median and 99th percentile in milliseconds, and the rows it gave.
 *
 *   build/bench/bench_reads DIR [REPS]
 *
 * Samples (codes, phones, IDs, names) are drawn from the folder with a
 * fixed seed, so two folders built with the same seed are read alike.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/app.h"
#include "common.h"
#include "app/citizen.h"
#include "app/dossier.h"
#include "app/lookup.h"
#include "core/roles.h"
#include "store/store.h"

#define SAMPLES 200

static struct app app;
static char codes[SAMPLES][64], phones[SAMPLES][24], ids[SAMPLES][16], names[SAMPLES][96];

static int
count_row(const struct store_dossier *d, void *arg)
{
	(void)d;
	(*(int64_t *)arg)++;
	return 0;
}

/* Draws the samples straight from the database file (read only). */
static int
sample(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/motcua.db", dir);
	sqlite3 *db;
	sqlite3_stmt *s;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	int64_t max = 0;
	if (sqlite3_prepare_v2(db, "SELECT max(id) FROM dossiers", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		max = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db, "SELECT code, coalesce(phone, ''), coalesce(id_number, ''), applicant_key"
	                           " FROM dossiers WHERE id >= ? ORDER BY id LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		return -1;
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < SAMPLES && max > 0; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, 1 + (int64_t)(x % (uint64_t)max));
		if (sqlite3_step(s) != SQLITE_ROW)
			return -1;
		snprintf(codes[i], sizeof codes[i], "%s", (const char *)sqlite3_column_text(s, 0));
		snprintf(phones[i], sizeof phones[i], "%s", (const char *)sqlite3_column_text(s, 1));
		snprintf(ids[i], sizeof ids[i], "%s", (const char *)sqlite3_column_text(s, 2));
		snprintf(names[i], sizeof names[i], "%s", (const char *)sqlite3_column_text(s, 3));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return max > 0 ? 0 : -1;
}

enum kind { K_LOOKUP, K_SEARCH, K_QUEUE, K_CITIZEN };

struct read {
	const char *what;
	enum kind kind;
	const struct actor *ac;
	const char *queue;        /* K_QUEUE */
	struct app_search s;      /* K_SEARCH; text NULL → per-sample text from `field` */
	int field;                /* 1 code, 2 phone, 3 ID, 4 name (two first words), 5 whole name */
};

static enum err
run_one(const struct read *r, int i, int64_t *rows)
{
	struct app_search s = r->s;
	char text[128];
	int k = i % SAMPLES;
	*rows = 0;
	switch (r->kind) {
	case K_LOOKUP: {
		struct app_proof p = {codes[k], phones[k][0] ? phones[k] : ids[k], "127.0.0.1"};
		struct app_lookup l;
		enum err e = app_lookup(&app, &p, &l);
		if (!e) {
			*rows = 1;
			app_lookup_free(&l);
		}
		return e;
	}
	case K_QUEUE: {
		int64_t total;
		return app_queue_list(&app, r->ac, r->queue, (int64_t)time(NULL), 100, count_row, rows, &total);
	}
	case K_CITIZEN:
		return store_citizen_dossiers(app.st, 1 + k, count_row, rows);
	case K_SEARCH:
		break;
	}
	if (r->field == 1)
		s.text = codes[k];
	else if (r->field == 2)
		s.text = phones[k];
	else if (r->field == 3)
		s.text = ids[k];
	else if (r->field == 4 || r->field == 5) {
		snprintf(text, sizeof text, "%s", names[k]);
		char *sp = strchr(text, ' ');
		if (r->field == 4 && sp && (sp = strchr(sp + 1, ' ')))
			*sp = 0;
		s.text = text;
	}
	struct app_fail f = {"", ""};
	int64_t total;
	s.count_max = APP_COUNT_MAX;   /* as the desk and the API count */
	return app_dossier_search(&app, r->ac, &s, count_row, rows, &total, &f);
}

/* The code at position `offset` of the viewer's list: the cursor of the
 * deep page. */
static char deep_code[64];

static int
keep_code(const struct store_dossier *d, void *arg)
{
	(void)arg;
	snprintf(deep_code, sizeof deep_code, "%s", d->code);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_reads DIR [REPS]\n");
		return 2;
	}
	int reps = argc > 2 ? atoi(argv[2]) : 50;
	if (reps < 1 || reps > 100000)
		reps = 50;
	struct store *st;
	char err[512] = "";
	if (sample(argv[1]) != 0 || store_open(&st, argv[1], err, sizeof err) != 0 ||
	    app_init(&app, st, err, sizeof err) != 0) {
		fprintf(stderr, "bench_reads: %s: cannot open %s\n", argv[1], err);
		return 1;
	}
	app.lookup.per_code = app.lookup.per_client = 1000000000;
	struct actor clerk = {1, ROLE_CLERK, "", "user:bench.clerk"};
	struct actor officer = {2, ROLE_OFFICER, "Hộ tịch", "user:bench.officer"};
	struct actor leader = {3, ROLE_LEADER, "", "user:bench.leader"};
	struct actor viewer = {4, ROLE_VIEWER, "", "user:bench.viewer"};
	int64_t month = (int64_t)time(NULL) - 30 * 86400;
	const struct read reads[] = {
	    {"lookup (code + phone)", K_LOOKUP, NULL, NULL, {0}, 0},
	    {"search: code", K_SEARCH, &clerk, NULL, {.limit = 100}, 1},
	    {"search: phone", K_SEARCH, &clerk, NULL, {.limit = 100}, 2},
	    {"search: ID number", K_SEARCH, &clerk, NULL, {.limit = 100}, 3},
	    {"search: name, two words", K_SEARCH, &clerk, NULL, {.limit = 100}, 4},
	    {"search: whole name", K_SEARCH, &clerk, NULL, {.limit = 100}, 5},
	    {"search: name, officer's scope", K_SEARCH, &officer, NULL, {.limit = 100}, 4},
	    {"search: state returned", K_SEARCH, &clerk, NULL, {.statuses = "returned", .limit = 100}, 0},
	    {"search: state withdrawn", K_SEARCH, &clerk, NULL, {.statuses = "withdrawn", .limit = 100}, 0},
	    {"search: received last 30 days", K_SEARCH, &clerk, NULL, {.from = month, .limit = 100}, 0},
	    {"API list, first page", K_SEARCH, &viewer, NULL, {.limit = 50}, 0},
	    {"API list, offset 50 000", K_SEARCH, &viewer, NULL, {.limit = 50, .offset = 50000}, 0},
	    {"API list, after the 50 000th (cursor)", K_SEARCH, &viewer, NULL, {.limit = 50, .after = deep_code}, 0},
	    {"API overdue", K_SEARCH, &viewer, NULL, {.overdue = 1, .limit = 50}, 0},
	    {"clerk: viec-cua-toi", K_QUEUE, &clerk, "viec-cua-toi", {0}, 0},
	    {"clerk: sap-den-han", K_QUEUE, &clerk, "sap-den-han", {0}, 0},
	    {"clerk: qua-han", K_QUEUE, &clerk, "qua-han", {0}, 0},
	    {"clerk: cho-bo-sung", K_QUEUE, &clerk, "cho-bo-sung", {0}, 0},
	    {"clerk: hen-tra-hom-nay", K_QUEUE, &clerk, "hen-tra-hom-nay", {0}, 0},
	    {"officer: viec-cua-toi", K_QUEUE, &officer, "viec-cua-toi", {0}, 0},
	    {"officer: don-vi", K_QUEUE, &officer, "don-vi", {0}, 0},
	    {"leader: viec-cua-toi", K_QUEUE, &leader, "viec-cua-toi", {0}, 0},
	    {"citizen: ho so cua toi", K_CITIZEN, NULL, NULL, {0}, 0},
	};
	struct app_search deep = {.limit = 1, .offset = 49999};
	int64_t total;
	if (app_dossier_search(&app, &viewer, &deep, keep_code, NULL, &total, NULL) != ERR_OK) {
		fprintf(stderr, "bench_reads: cannot read the 50 000th dossier\n");
		return 1;
	}
	double *t = malloc((size_t)reps * sizeof *t);
	printf("| read | p50 ms | p99 ms | rows |\n|---|---|---|---|\n");
	for (size_t r = 0; r < sizeof reads / sizeof reads[0]; r++) {
		int64_t rows = 0, sum = 0;
		for (int i = 0; i < reps; i++) {
			double t0 = now_ms();
			enum err e = run_one(&reads[r], i, &rows);
			t[i] = now_ms() - t0;
			if (e && e != ERR_NOT_FOUND) {
				fprintf(stderr, "bench_reads: %s: error %d\n", reads[r].what, (int)e);
				return 1;
			}
			sum += rows;
		}
		qsort(t, (size_t)reps, sizeof *t, cmp_double);
		printf("| %s | %.3f | %.3f | %.0f |\n", reads[r].what, t[reps / 2], t[(reps * 99) / 100],
		       (double)sum / reps);
		fflush(stdout);
	}
	free(t);
	app_free(&app);
	store_close(st);
	return 0;
}
