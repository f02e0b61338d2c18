/*
 * bench_http.c — the desk and the citizen over HTTP, end to end: starts a
 * motcua binary (argv[1], else $MOTCUA_BIN, else build/rel/motcua) on a
 * fresh data folder, adds a clerk, signs in over the API, then measures
 * with libcurl from 1 and 8 client threads (one keep-alive connection
 * each):
 *   intake  POST /api/v1/dossiers (birth registration 1.001193, applicant
 *           with name, 12-digit ID, phone, address; two documents) → 201
 *   lookup  GET /api/v1/lookup/{code}?phone=FULL over the dossiers just
 *           received → 200 (both the old and the new server take it);
 *           POST /api/v1/lookup {code, phone} too where the binary has it.
 * Only right keys are sent: the lookup guard counts failures, never
 * successes, so nothing here is throttled (a 429 stops the bench).
 * Each figure is the median of RUNS runs, each on its own fresh server,
 * with the runs' range as the noise.  Besides rates and latencies it
 * gives the server's CPU time per request (all its threads), which other
 * work on the machine moves less than the wall clock.  Appends its rows,
 * named with the binary's git commit, to bench/results.md.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "commit.h"
#include "driver.h"

#define RUNS 3
#define N_INTAKE 2000
#define N_LOOKUP 5000
#define MAXT 8
#define PW "mat-khau-do-hieu-nang-123"

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

enum kind { INTAKE, LOOKUP_GET, LOOKUP_POST, KINDS };
static const char *const kind_name[KINDS] = {
	"intake POST /api/v1/dossiers",
	"lookup GET /api/v1/lookup/{code}?phone=",
	"lookup POST /api/v1/lookup",
};

struct result {
	double per_s, mean_ms, p95_ms;
	double cpu_us;                 /* the server's CPU time per request */
};

/* One run's shared state. */
static struct srv S;
static char bearer[200];
static char (*codes)[64];      /* codes received, with their phones */
static char (*phones)[16];
static int ncodes;
static pthread_mutex_t codes_lock = PTHREAD_MUTEX_INITIALIZER;
static int failed;             /* first unexpected answer stops the run */

static const char *const family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"};
static const char *const given[] = {"Văn An", "Thị Bình", "Minh Châu", "Đức Dũng", "Thu Hà", "Quốc Khánh"};

static size_t
sink(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	buf_append(b, p, size * n);
	return size * n;
}

struct worker {
	pthread_t th;
	enum kind kind;
	int first, count;            /* request numbers first … first+count-1 */
	double *lat;                 /* ms, one per request */
	pthread_barrier_t *go;
};

/* The i-th request of kind on h; 0 when it got the expected answer. */
static int
one(CURL *h, enum kind kind, int i, struct curl_slist *hl, struct buf *body, struct buf *in)
{
	char url[256], phone[16];
	buf_reset(body);
	buf_reset(in);
	if (kind == INTAKE) {
		snprintf(phone, sizeof phone, "09%08d", i);
		buf_printf(in,
		           "{\"procedure_code\":\"1.001193\",\"channel\":\"counter\",\"applicant\":"
		           "{\"name\":\"%s %s\",\"id_number\":\"001185%06d\",\"date_of_birth\":\"1985-03-02\","
		           "\"sex\":\"female\",\"phone\":\"%s\",\"address\":\"Thôn Đông %d, xã Đo Đạc\"},"
		           "\"documents\":[{\"name\":\"Tờ khai đăng ký khai sinh\",\"received\":true,"
		           "\"form\":\"original\",\"count\":1},{\"name\":\"Giấy chứng sinh\",\"received\":true,"
		           "\"form\":\"original\",\"count\":1}],\"note\":\"\"}",
		           family[i % 8], given[i % 6], i % 1000000, phone, i % 50 + 1);
		snprintf(url, sizeof url, "%s/api/v1/dossiers", S.url);
	} else {
		int k = i % ncodes;
		if (kind == LOOKUP_GET) {
			snprintf(url, sizeof url, "%s/api/v1/lookup/%s?phone=%s", S.url, codes[k], phones[k]);
		} else {
			buf_printf(in, "{\"code\":\"%s\",\"phone\":\"%s\"}", codes[k], phones[k]);
			snprintf(url, sizeof url, "%s/api/v1/lookup", S.url);
		}
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
	if (kind == LOOKUP_GET) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, buf_str(in));
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)in->len);
	}
	long status = 0;
	CURLcode rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	long want = kind == INTAKE ? 201 : 200;
	if (rc != CURLE_OK || status != want) {
		if (!__atomic_exchange_n(&failed, 1, __ATOMIC_SEQ_CST))
			fprintf(stderr, "bench_http: %s #%d: %s %ld %.300s%s\n", kind_name[kind], i,
			        curl_easy_strerror(rc), status, buf_str(body),
			        status == 429 ? " (throttled: the bench must send right keys only)" : "");
		return -1;
	}
	if (kind == INTAKE) {
		const char *p = strstr(buf_str(body), "\"code\":\"");
		if (!p)
			return -1;
		pthread_mutex_lock(&codes_lock);
		snprintf(codes[ncodes], sizeof codes[0], "%.*s", (int)strcspn(p + 8, "\""), p + 8);
		snprintf(phones[ncodes], sizeof phones[0], "%s", phone);
		ncodes++;
		pthread_mutex_unlock(&codes_lock);
	}
	return 0;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	struct curl_slist *hl = curl_slist_append(NULL, "Expect:");
	if (w->kind != LOOKUP_GET)
		hl = curl_slist_append(hl, "Content-Type: application/json");
	if (w->kind == INTAKE)
		hl = curl_slist_append(hl, bearer);
	struct buf body = BUF_INIT, in = BUF_INIT;
	pthread_barrier_wait(w->go);
	for (int i = 0; i < w->count && !failed; i++) {
		double t0 = now_ms();
		if (one(h, w->kind, w->first + i, hl, &body, &in) != 0)
			break;
		w->lat[i] = now_ms() - t0;
	}
	buf_free(&body);
	buf_free(&in);
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* count requests of kind from nt threads; numbers start at first. */
static int
measure(enum kind kind, int nt, int first, int count, struct result *r)
{
	double *lat = calloc((size_t)count, sizeof *lat);
	struct worker w[MAXT];
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, (unsigned)nt + 1);
	int per = count / nt;
	for (int k = 0; k < nt; k++) {
		w[k] = (struct worker){.kind = kind, .first = first + k * per, .count = per,
		                       .lat = lat + k * per, .go = &go};
		pthread_create(&w[k].th, NULL, work, &w[k]);
	}
	/* the server's CPU time, all its threads: less moved by other work on
	 * the machine than the wall clock */
	clockid_t cpu;
	struct timespec c0 = {0}, c1 = {0};
	int has_cpu = clock_getcpuclockid(S.pid, &cpu) == 0 && clock_gettime(cpu, &c0) == 0;
	pthread_barrier_wait(&go);
	double t0 = now_ms();
	for (int k = 0; k < nt; k++)
		pthread_join(w[k].th, NULL);
	double wall = now_ms() - t0;
	has_cpu = has_cpu && clock_gettime(cpu, &c1) == 0;
	pthread_barrier_destroy(&go);
	int n = per * nt, bad = failed;
	if (!bad) {
		double sum = 0;
		for (int i = 0; i < n; i++)
			sum += lat[i];
		qsort(lat, (size_t)n, sizeof *lat, cmp_double);
		double cpu_ns = (double)(c1.tv_sec - c0.tv_sec) * 1e9 + (double)(c1.tv_nsec - c0.tv_nsec);
		*r = (struct result){n / (wall / 1e3), sum / n, lat[(int)(0.95 * (n - 1))],
		                     has_cpu ? cpu_ns / 1e3 / n : 0};
	}
	free(lat);
	return bad ? -1 : 0;
}

/* Does the binary take POST /api/v1/lookup?  Asked once, with a right key. */
static int
has_post_lookup(void)
{
	CURL *h = curl_easy_init();
	char url[200], in[160];
	snprintf(url, sizeof url, "%s/api/v1/lookup", S.url);
	snprintf(in, sizeof in, "{\"code\":\"%s\",\"phone\":\"%s\"}", codes[0], phones[0]);
	struct curl_slist *hl = curl_slist_append(NULL, "Content-Type: application/json");
	struct buf body = BUF_INIT;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, in);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	long status = 0;
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	buf_free(&body);
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	return status == 200;
}

static const int threads[2] = {1, 8};

/* One run on a fresh server: res[kind][t]; *post says whether POST lookup
 * was measured. */
static int
run(struct result res[KINDS][2], int *post)
{
	failed = 0;
	ncodes = 0;
	if (srv_start(&S, NULL) != 0) {
		fprintf(stderr, "bench_http: %s did not start (log %s)\n", motcua_bin(), S.log);
		return -1;
	}
	int rc = -1;
	long st;
	if (add_user(&S, "bench.clerk", "clerk", "Nhân viên đo", PW) != 0) {
		fprintf(stderr, "bench_http: motcua user add failed\n");
		goto out;
	}
	st = bearer_for(&S, "bench.clerk", PW, bearer, sizeof bearer);
	if (st != 200 && st != 201) {
		fprintf(stderr, "bench_http: POST /api/v1/session: %ld\n", st);
		goto out;
	}
	/* intake: the first 2000 by one clerk, the next 2000 by eight */
	for (int t = 0; t < 2; t++)
		if (measure(INTAKE, threads[t], t * N_INTAKE, N_INTAKE, &res[INTAKE][t]) != 0)
			goto out;
	*post = has_post_lookup();
	for (enum kind k = LOOKUP_GET; k <= LOOKUP_POST; k++) {
		if (k == LOOKUP_POST && !*post)
			break;
		for (int t = 0; t < 2; t++)
			if (measure(k, threads[t], t * N_LOOKUP, N_LOOKUP, &res[k][t]) != 0)
				goto out;
	}
	rc = 0;
out:
	if (srv_stop(&S, SIGTERM) != 0)
		fprintf(stderr, "bench_http: server did not stop cleanly (log %s)\n", S.log);
	srv_cleanup(&S);
	return rc;
}

/* The median of RUNS values (sorted in place). */
static double
median(double *v)
{
	qsort(v, RUNS, sizeof *v, cmp_double);
	return v[RUNS / 2];
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		setenv("MOTCUA_BIN", argv[1], 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int cap = 2 * N_INTAKE;
	codes = calloc((size_t)cap, sizeof *codes);
	phones = calloc((size_t)cap, sizeof *phones);
	static struct result all[RUNS][KINDS][2];
	int post = 0;
	for (int i = 0; i < RUNS; i++)
		if (run(all[i], &post) != 0)
			return 1;
	char commit[64];
	bench_commit_of(motcua_bin(), commit, sizeof commit);
	FILE *f = fopen("bench/results.md", "a");
	printf("motcua %s (%s): each column the median of %d runs, each on a fresh server (range of the runs)\n",
	       commit, motcua_bin(), RUNS);
	printf("%-42s %7s %6s %22s %8s %8s %18s\n", "what", "clients", "count", "per second", "mean ms",
	       "p95 ms", "server CPU µs/req");
	for (enum kind k = 0; k < KINDS; k++) {
		if (k == LOOKUP_POST && !post)
			continue;
		for (int t = 0; t < 2; t++) {
			double ps[RUNS], mean[RUNS], p95[RUNS], cpu[RUNS];
			for (int i = 0; i < RUNS; i++) {
				const struct result *r = &all[i][k][t];
				ps[i] = r->per_s, mean[i] = r->mean_ms, p95[i] = r->p95_ms, cpu[i] = r->cpu_us;
			}
			struct result m = {median(ps), median(mean), median(p95), median(cpu)};
			int count = k == INTAKE ? N_INTAKE : N_LOOKUP;
			char rate[64], cpus[64];
			snprintf(rate, sizeof rate, "%.0f (%.0f–%.0f)", m.per_s, ps[0], ps[RUNS - 1]);
			snprintf(cpus, sizeof cpus, "%.0f (%.0f–%.0f)", m.cpu_us, cpu[0], cpu[RUNS - 1]);
			printf("%-42s %7d %6d %22s %8.3f %8.3f %18s\n", kind_name[k], threads[t], count, rate,
			       m.mean_ms, m.p95_ms, cpus);
			if (f)
				fprintf(f,
				        "| HTTP %s, %d client%s, %d requests (motcua %s) | %s %s/s, mean %.2f ms, "
				        "p95 %.2f ms, server CPU %s µs each |\n",
				        kind_name[k], threads[t], threads[t] > 1 ? "s" : "", count, commit, rate,
				        k == INTAKE ? "dossiers" : "lookups", m.mean_ms, m.p95_ms, cpus);
		}
	}
	if (f)
		fclose(f);
	free(codes);
	free(phones);
	curl_global_cleanup();
	return 0;
}
