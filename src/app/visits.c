/*
 * visits.c — see visits.h.  One mutex guards the window's set and the
 * "active now" table; the counters are atomics so the figures and the
 * writer never wait on a page view longer than one table update.
 */
#include "app/visits.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store/news.h"

#define ACTIVE_MAX 4096         /* power of two */
#define ACTIVE_PROBE 8

struct visits {
	struct store *st;
	unsigned char key[crypto_shorthash_KEYBYTES];
	_Atomic int64_t stored, pending;
	pthread_mutex_t lock;            /* guards everything below */
	int64_t window;                  /* now / VISITS_WINDOW of the set */
	size_t used;
	uint64_t set[VISITS_SET_MAX];    /* client hashes; 0 = empty */
	struct {
		uint64_t id;
		int64_t seen;
	} active[ACTIVE_MAX];
	int64_t count, count_at;         /* active ids, as of second count_at */
	/* the writer thread */
	pthread_t thread;
	int running, stop, flush_secs;
	pthread_cond_t wake;
};

static uint64_t
client_hash(const struct visits *v, const char *client)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t x;
	crypto_shorthash(h, (const unsigned char *)client, strlen(client), v->key);
	memcpy(&x, h, sizeof x);
	return x ? x : 1;
}

/* Adds id to the window's set (lock held); 1 when it is new, 0 when it
 * was there or the set is full. */
static int
set_add(struct visits *v, uint64_t id, int64_t now)
{
	if (now / VISITS_WINDOW != v->window) {
		memset(v->set, 0, sizeof v->set);
		v->used = 0;
		v->window = now / VISITS_WINDOW;
	}
	size_t mask = VISITS_SET_MAX - 1, i = (size_t)id & mask;
	for (size_t probe = 0; probe < VISITS_SET_MAX; probe++, i = (i + 1) & mask) {
		if (v->set[i] == id)
			return 0;
		if (v->set[i] == 0)
			break;
	}
	if (v->used >= VISITS_SET_MAX * 3 / 4)
		return 0;   /* a flood, not visitors; and probing stays short */
	assert(v->set[i] == 0);
	v->set[i] = id;
	v->used++;
	return 1;
}

/* Marks id seen at now (id 0: only counts, lock held); returns how many
 * ids were seen in the last VISITS_ACTIVE_WINDOW seconds.  An id lives in
 * one of ACTIVE_PROBE slots from its hash (a stale slot is reused, else
 * the stalest of them), so a view touches a few slots, not the table; the
 * count is kept as views come and recounted over the table once a second
 * (what it loses to a replaced live slot is put right then). */
static int64_t
active_touch(struct visits *v, uint64_t id, int64_t now)
{
	int64_t since = now - VISITS_ACTIVE_WINDOW;
	if (now != v->count_at) {
		v->count = 0;
		for (size_t i = 0; i < ACTIVE_MAX; i++)
			v->count += v->active[i].seen > since;
		v->count_at = now;
	}
	if (!id)
		return v->count;
	size_t mask = ACTIVE_MAX - 1, home = (size_t)(id >> 32) & mask;
	size_t slot = ACTIVE_MAX, stalest = home;
	for (size_t k = 0; k < ACTIVE_PROBE; k++) {
		size_t i = (home + k) & mask;
		if (v->active[i].seen && v->active[i].id == id) {
			v->count += v->active[i].seen <= since;   /* back after a while */
			v->active[i].seen = now;
			return v->count;
		}
		if (slot == ACTIVE_MAX && v->active[i].seen <= since)
			slot = i;
		if (v->active[i].seen < v->active[stalest].seen)
			stalest = i;
	}
	if (slot == ACTIVE_MAX)
		slot = stalest;   /* every slot live: one of them leaves, the count stays */
	else
		v->count++;
	v->active[slot].id = id;
	v->active[slot].seen = now;
	return v->count;
}

void
visits_view(struct visits *v, const char *client, int count, int64_t now,
            struct visit_figures *out)
{
	assert(v != NULL && out != NULL);
	uint64_t id = count && client && *client ? client_hash(v, client) : 0;
	pthread_mutex_lock(&v->lock);
	if (id && set_add(v, id, now))
		atomic_fetch_add(&v->pending, 1);
	out->now = active_touch(v, id, now);
	pthread_mutex_unlock(&v->lock);
	out->total = atomic_load(&v->stored) + atomic_load(&v->pending);
}

int64_t
visits_pending(struct visits *v)
{
	return atomic_load(&v->pending);
}

enum err
visits_flush(struct visits *v)
{
	int64_t n = atomic_load(&v->pending);
	if (n == 0)
		return ERR_OK;
	enum err e = store_visit_add(v->st, (int64_t)time(NULL), n);
	if (e == ERR_OK) {
		/* stored first: the figure may show n too many for an instant,
		 * never n too few */
		atomic_fetch_add(&v->stored, n);
		atomic_fetch_sub(&v->pending, n);
	}
	return e;
}

static void *
writer(void *arg)
{
	struct visits *v = arg;
	pthread_mutex_lock(&v->lock);
	while (!v->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += v->flush_secs;
		while (!v->stop && pthread_cond_timedwait(&v->wake, &v->lock, &ts) == 0)
			;
		if (v->stop)
			break;
		pthread_mutex_unlock(&v->lock);
		if (visits_flush(v) != ERR_OK)
			fprintf(stderr, "visits: could not write the visit count; kept for the next try\n");
		pthread_mutex_lock(&v->lock);
	}
	pthread_mutex_unlock(&v->lock);
	return NULL;
}

struct visits *
visits_start(struct store *st, int flush_secs)
{
	assert(st != NULL && flush_secs >= 0);
	struct visits *v = calloc(1, sizeof *v);
	int64_t stored = 0;
	if (!v || store_visit_total(st, &stored) != ERR_OK) {
		free(v);
		return NULL;
	}
	v->st = st;
	v->flush_secs = flush_secs;
	atomic_init(&v->stored, stored);
	atomic_init(&v->pending, 0);
	crypto_shorthash_keygen(v->key);
	pthread_mutex_init(&v->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&v->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (flush_secs > 0) {
		if (pthread_create(&v->thread, NULL, writer, v) != 0) {
			visits_stop(v);
			return NULL;
		}
		v->running = 1;
	}
	return v;
}

enum err
visits_stop(struct visits *v)
{
	if (!v)
		return ERR_OK;
	if (v->running) {
		pthread_mutex_lock(&v->lock);
		v->stop = 1;
		pthread_cond_signal(&v->wake);
		pthread_mutex_unlock(&v->lock);
		pthread_join(v->thread, NULL);
	}
	enum err e = visits_flush(v);
	pthread_cond_destroy(&v->wake);
	pthread_mutex_destroy(&v->lock);
	sodium_memzero(v->key, sizeof v->key);
	free(v);
	return e;
}
