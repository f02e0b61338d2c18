/*
 * common.h — what the benchmarks share: a fresh data folder with the
 * seed catalogue, a millisecond clock and qsort's order of doubles.
 */
#ifndef MOTCUA_BENCH_COMMON_H
#define MOTCUA_BENCH_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "embed.h"
#include "store/store.h"
#include "web/catalog_io.h"

static inline double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort's comparison of doubles, smallest first (for percentiles). */
static inline int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Opens a new store in dir (a mkdtemp template), initialised with the
 * seed catalogue; *version_id is birth registration's (1.001193).  0 or -1. */
static inline int
bench_store(char *dir, struct store **st, int64_t *version_id)
{
	char err[512] = "";
	const struct embed_file *cat = embed_find("data/procedures.json");
	struct store_proc sp;
	if (!mkdtemp(dir) || store_open(st, dir, err, sizeof err) != 0 ||
	    store_init(*st, "UBND xã Đo Đạc", "000.00.00.H00", 1, "admin", "x") != ERR_OK || !cat ||
	    catalog_import(*st, "system", (const char *)cat->data, cat->len, cat->name, NULL, NULL, err,
	                   sizeof err) != ERR_OK ||
	    store_proc_get(*st, "1.001193", 1, &sp) != ERR_OK) {
		fprintf(stderr, "bench: setup failed %s\n", err);
		return -1;
	}
	*version_id = sp.version_id;
	store_proc_free(&sp);
	return 0;
}

#endif
