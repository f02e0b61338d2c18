/*
 * test_visits.c — the visit counter in memory (app/visits.h): many views
 * from one client count once per window, robots not at all, nothing is
 * written until a flush, what was written survives a new counter (a
 * restart), and threads counting at once lose nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/visits.h"
#include "store/news.h"
#include "store/store.h"
#include "app_fixture.h"

struct fx {
	char dir[64];
	struct store *st;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (!f || fixture_open(f->dir, "visits", &f->st, NULL) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	int rc = fixture_close(f->dir, f->st, NULL);
	free(f);
	return rc;
}

static int64_t
stored(struct store *st)
{
	int64_t n = -1;
	assert_int_equal(store_visit_total(st, &n), ERR_OK);
	return n;
}

static void
test_once_per_window(void **state)
{
	struct fx *f = *state;
	struct visits *v = visits_start(f->st, 0);
	assert_non_null(v);
	struct visit_figures fg;
	int64_t t0 = (int64_t)time(NULL) / VISITS_WINDOW * VISITS_WINDOW;
	for (int i = 0; i < 50; i++)
		visits_view(v, "203.0.113.7", 1, t0 + i, &fg);
	assert_int_equal(fg.total, 1);
	assert_int_equal(fg.now, 1);
	visits_view(v, "203.0.113.8", 1, t0 + 60, &fg);
	visits_view(v, "198.51.100.1", 0, t0 + 61, &fg);   /* a robot: read only */
	assert_int_equal(fg.total, 2);
	assert_int_equal(fg.now, 2);
	/* nothing written yet: the views wrote nothing */
	assert_int_equal(stored(f->st), 0);
	assert_int_equal(visits_pending(v), 2);
	assert_int_equal(visits_flush(v), ERR_OK);
	assert_int_equal(stored(f->st), 2);
	assert_int_equal(visits_pending(v), 0);
	visits_view(v, "203.0.113.7", 1, t0 + 120, &fg);
	assert_int_equal(fg.total, 2);
	/* the next window counts the same client again */
	visits_view(v, "203.0.113.7", 1, t0 + VISITS_WINDOW, &fg);
	assert_int_equal(fg.total, 3);
	/* stopping writes what is pending; a new counter starts from it */
	assert_int_equal(visits_stop(v), ERR_OK);
	assert_int_equal(stored(f->st), 3);
	v = visits_start(f->st, 0);
	visits_view(v, "198.51.100.1", 0, t0 + VISITS_WINDOW + 1, &fg);
	assert_int_equal(fg.total, 3);
	visits_stop(v);
}

static void
test_flood_bounded(void **state)
{
	struct fx *f = *state;
	struct visits *v = visits_start(f->st, 0);
	struct visit_figures fg;
	int64_t t0 = (int64_t)time(NULL) / VISITS_WINDOW * VISITS_WINDOW;
	char a[32];
	for (int i = 0; i < VISITS_SET_MAX * 2; i++) {
		snprintf(a, sizeof a, "10.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
		visits_view(v, a, 1, t0, &fg);
	}
	assert_int_equal(fg.total, VISITS_SET_MAX * 3 / 4);
	visits_stop(v);
}

struct worker {
	struct visits *v;
	int id;
	int64_t t0;
};

static void *
view_many(void *arg)
{
	struct worker *w = arg;
	struct visit_figures fg;
	char a[32];
	for (int i = 0; i < 200; i++) {
		snprintf(a, sizeof a, "192.0.%d.%d", w->id, i % 100);
		visits_view(w->v, a, 1, w->t0, &fg);
	}
	return NULL;
}

/* Four threads count while the writer thread flushes every second. */
static void
test_threads(void **state)
{
	struct fx *f = *state;
	struct visits *v = visits_start(f->st, 1);
	assert_non_null(v);
	pthread_t th[4];
	struct worker w[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){v, i, (int64_t)time(NULL) / VISITS_WINDOW * VISITS_WINDOW};
		assert_int_equal(pthread_create(&th[i], NULL, view_many, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	struct timespec ts = {1, 200000000};
	nanosleep(&ts, NULL);   /* the writer's first flush */
	assert_int_equal(visits_pending(v), 0);
	assert_int_equal(stored(f->st), 400);
	assert_int_equal(visits_stop(v), ERR_OK);
	assert_int_equal(stored(f->st), 400);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_once_per_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
