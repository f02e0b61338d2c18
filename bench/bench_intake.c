/*
 * bench_intake.c — dossier intake against the storage ceiling (issue #15,
 * items 6 and 7).  Two measures, interleaved run by run:
 *
 *   raw    a plain C loop of single-row SQLite transactions with motcua's
 *          durability (WAL, synchronous=FULL): BEGIN IMMEDIATE, one INSERT
 *          of a dossier-sized row (the mean size of the rows the HTTP run
 *          stored, all columns), COMMIT; from 1 thread and from 16 threads,
 *          each with its own connection (busy_timeout 5 s, a busy
 *          transaction tried again);
 *   motcua POST /api/v1/dossiers over HTTP from 16 clients (one keep-alive
 *          connection each, a clerk's API token, the birth registration
 *          bench_http posts) on a fresh server, once with group commit
 *          (the default) and once with MOTCUA_GROUP_COMMIT=0 (each intake
 *          its own commit, as before).
 *
 * Both write to the same file system (/tmp).  Each figure is the median
 * of RUNS runs (the range in brackets).  The ratio is motcua with group
 * commit over the better raw loop.  Writes its section of
 * bench/results.md between the bench_intake markers.
 *
 *   build/bench/bench_intake [MOTCUA_BIN]     (make bench runs it)
 *   RUNS=5 N_HTTP=8000 build/bench/bench_intake build/motcua
 */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "commit.h"
#include "common.h"
#include "driver.h"

#define CLIENTS 16
#define MAX_RUNS 9
#define PW "mat-khau-do-hieu-nang-123"

static int runs = 3;          /* RUNS */
static int n_http = 4000;     /* N_HTTP: dossiers per HTTP run */
static int n_raw = 4000;      /* N_RAW: transactions per raw run */

/* ---- the raw loop ------------------------------------------------------------ */

struct raw_worker {
	pthread_t th;
	const char *path;
	int first, count;
	size_t row_bytes;
	int failed;
	pthread_barrier_t *go;
};

static void *
raw_work(void *arg)
{
	struct raw_worker *w = arg;
	sqlite3 *db;
	sqlite3_stmt *ins, *begin, *commit;
	char *payload = malloc(w->row_bytes + 1);
	memset(payload, 'x', w->row_bytes);
	payload[w->row_bytes] = '\0';
	w->failed = sqlite3_open(w->path, &db) != SQLITE_OK ||
	            sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL, NULL) ||
	            sqlite3_busy_timeout(db, 5000) ||
	            sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) ||
	            sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL) ||
	            sqlite3_prepare_v2(db, "INSERT INTO dossiers (code, body) VALUES (?, ?)", -1, &ins, NULL);
	pthread_barrier_wait(w->go);
	for (int i = 0; i < w->count && !w->failed; i++) {
		char code[64];
		snprintf(code, sizeof code, "000.00.00.H00-261203-%06d", w->first + i + 1);
		sqlite3_bind_text(ins, 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, payload, (int)w->row_bytes, SQLITE_STATIC);
		int rc;
		/* a starved writer may outwait its busy timeout: a plain loop
		 * tries the transaction again */
		do {
			rc = sqlite3_step(begin);
			sqlite3_reset(begin);
			if (rc == SQLITE_DONE) {
				rc = sqlite3_step(ins);
				sqlite3_reset(ins);
			}
			if (rc == SQLITE_DONE) {
				rc = sqlite3_step(commit);
				sqlite3_reset(commit);
			}
			if (rc != SQLITE_DONE && !sqlite3_get_autocommit(db))
				sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		} while ((rc & 0xff) == SQLITE_BUSY);
		if (rc != SQLITE_DONE) {
			fprintf(stderr, "bench_intake: raw loop: %s\n", sqlite3_errmsg(db));
			w->failed = 1;
		}
	}
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	free(payload);
	return NULL;
}

/* n_raw durable single-row transactions from nt threads on a new
 * database; transactions per second, or -1. */
static double
raw_run(int nt, size_t row_bytes)
{
	char dir[] = "/tmp/motcua-raw-XXXXXX", path[64];
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/raw.db", dir);
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                     "CREATE TABLE dossiers (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	                     " body TEXT NOT NULL) STRICT", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	struct raw_worker w[CLIENTS];
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, (unsigned)nt + 1);
	int per = n_raw / nt;
	for (int k = 0; k < nt; k++) {
		w[k] = (struct raw_worker){.path = path, .first = k * per, .count = per,
		                           .row_bytes = row_bytes, .go = &go};
		pthread_create(&w[k].th, NULL, raw_work, &w[k]);
	}
	pthread_barrier_wait(&go);
	double t0 = now_ms();
	int failed = 0;
	for (int k = 0; k < nt; k++) {
		pthread_join(w[k].th, NULL);
		failed |= w[k].failed;
	}
	double wall = now_ms() - t0;
	pthread_barrier_destroy(&go);
	sqlite3_close(db);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_intake: could not remove %s\n", dir);
	return failed ? -1 : per * nt / (wall / 1e3);
}

/* ---- motcua over HTTP ---------------------------------------------------------- */

static struct srv S;
static char bearer[200];
static int http_failed;

static const char *const family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"};
static const char *const given[] = {"Văn An", "Thị Bình", "Minh Châu", "Đức Dũng", "Thu Hà", "Quốc Khánh"};

static size_t
sink(char *p, size_t size, size_t n, void *arg)
{
	buf_append(arg, p, size * n);
	return size * n;
}

struct http_worker {
	pthread_t th;
	int first, count;
	int phone;            /* the applicant gives a phone: a receipt SMS is queued */
	double *lat;
	pthread_barrier_t *go;
};

static void *
http_work(void *arg)
{
	struct http_worker *w = arg;
	CURL *h = curl_easy_init();
	char url[200];
	snprintf(url, sizeof url, "%s/api/v1/dossiers", S.url);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	struct curl_slist *hl = curl_slist_append(NULL, "Expect:");
	hl = curl_slist_append(hl, "Content-Type: application/json");
	hl = curl_slist_append(hl, bearer);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	struct buf body = BUF_INIT, in = BUF_INIT;
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	pthread_barrier_wait(w->go);
	for (int k = 0; k < w->count && !http_failed; k++) {
		int i = w->first + k;
		buf_reset(&body);
		buf_reset(&in);
		buf_printf(&in,
		           "{\"procedure_code\":\"1.001193\",\"channel\":\"counter\",\"applicant\":"
		           "{\"name\":\"%s %s\",\"id_number\":\"001185%06d\",\"date_of_birth\":\"1985-03-02\","
		           "\"sex\":\"female\",%s%.0d%s\"address\":\"Thôn Đông %d, xã Đo Đạc\"},"
		           "\"documents\":[{\"name\":\"Tờ khai đăng ký khai sinh\",\"received\":true,"
		           "\"form\":\"original\",\"count\":1},{\"name\":\"Giấy chứng sinh\",\"received\":true,"
		           "\"form\":\"original\",\"count\":1}],\"note\":\"\"}",
		           family[i % 8], given[i % 6], i % 1000000, w->phone ? "\"phone\":\"09" : "",
		           w->phone ? 10000000 + i : 0, w->phone ? "\"," : "", i % 50 + 1);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, buf_str(&in));
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)in.len);
		double t0 = now_ms();
		long status = 0;
		CURLcode rc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		w->lat[k] = now_ms() - t0;
		if (rc != CURLE_OK || status != 201) {
			if (!__atomic_exchange_n(&http_failed, 1, __ATOMIC_SEQ_CST))
				fprintf(stderr, "bench_intake: intake #%d: %s %ld %.300s\n", i, curl_easy_strerror(rc),
				        status, buf_str(&body));
			break;
		}
	}
	buf_free(&body);
	buf_free(&in);
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	return NULL;
}

/* The mean bytes of a stored dossier row (every column), from the
 * server's database. */
static size_t
row_bytes_of(const char *dir)
{
	char path[400];
	snprintf(path, sizeof path, "%s/motcua.db", dir);
	sqlite3 *db;
	sqlite3_stmt *s;
	double sum = 0;
	long rows = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT * FROM dossiers", -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(s); c++)
				sum += sqlite3_column_type(s, c) == SQLITE_INTEGER ? 8 : sqlite3_column_bytes(s, c);
			rows++;
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return rows ? (size_t)(sum / rows + 0.5) : 0;
}

/* The messages the file gateway has written into dir/messages. */
static long
messages_in(const char *dir)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "ls '%s/messages' 2>/dev/null | grep -c -- '-sms.txt$'", dir);
	FILE *p = popen(cmd, "r");
	long n = 0;
	if (p) {
		if (fscanf(p, "%ld", &n) != 1)
			n = 0;
		pclose(p);
	}
	return n;
}

struct http_result {
	double per_s, p50, p99;
	double cpu_us;          /* the server's CPU time per dossier, all threads */
	long sent;              /* receipt SMS the worker had delivered when the clients finished */
	size_t row_bytes;
};

/* n_http intakes from CLIENTS clients on a fresh server, group commit on
 * or off, applicants with a phone (each intake queues a receipt SMS) or
 * without (none); 0 or -1. */
static int
http_run(int group, int phone, struct http_result *r)
{
	http_failed = 0;
	setenv("MOTCUA_GROUP_COMMIT", group ? "1" : "0", 1);
	int rc = srv_start(&S, NULL);
	unsetenv("MOTCUA_GROUP_COMMIT");
	if (rc != 0) {
		fprintf(stderr, "bench_intake: %s did not start (log %s)\n", motcua_bin(), S.log);
		return -1;
	}
	rc = -1;
	long st;
	double *lat = calloc((size_t)n_http, sizeof *lat);
	if (add_user(&S, "bench.clerk", "clerk", "Nhân viên đo", PW) != 0) {
		fprintf(stderr, "bench_intake: motcua user add failed\n");
		goto out;
	}
	st = bearer_for(&S, "bench.clerk", PW, bearer, sizeof bearer);
	if (st != 200 && st != 201) {
		fprintf(stderr, "bench_intake: POST /api/v1/session: %ld\n", st);
		goto out;
	}
	struct http_worker w[CLIENTS];
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, CLIENTS + 1);
	int per = n_http / CLIENTS;
	for (int k = 0; k < CLIENTS; k++) {
		w[k] = (struct http_worker){.first = k * per, .count = per, .phone = phone, .lat = lat + k * per,
		                            .go = &go};
		pthread_create(&w[k].th, NULL, http_work, &w[k]);
	}
	/* the server's CPU time (all its threads, the outbox worker's too):
	 * less moved by other work on a shared machine than the wall clock */
	clockid_t cpu;
	struct timespec c0 = {0}, c1 = {0};
	int has_cpu = clock_getcpuclockid(S.pid, &cpu) == 0 && clock_gettime(cpu, &c0) == 0;
	pthread_barrier_wait(&go);
	double t0 = now_ms();
	for (int k = 0; k < CLIENTS; k++)
		pthread_join(w[k].th, NULL);
	double wall = now_ms() - t0;
	has_cpu = has_cpu && clock_gettime(cpu, &c1) == 0;
	long sent = messages_in(S.dir);
	pthread_barrier_destroy(&go);
	if (!http_failed) {
		int n = per * CLIENTS;
		double cpu_ns = (double)(c1.tv_sec - c0.tv_sec) * 1e9 + (double)(c1.tv_nsec - c0.tv_nsec);
		qsort(lat, (size_t)n, sizeof *lat, cmp_double);
		*r = (struct http_result){n / (wall / 1e3), lat[n / 2], lat[(int)(0.99 * (n - 1))],
		                          has_cpu ? cpu_ns / 1e3 / n : 0, sent, row_bytes_of(S.dir)};
		rc = 0;
	}
out:
	free(lat);
	if (srv_stop(&S, SIGTERM) != 0)
		fprintf(stderr, "bench_intake: server did not stop cleanly (log %s)\n", S.log);
	srv_cleanup(&S);
	return rc;
}

/* ---- the report ------------------------------------------------------------------ */

/* The median of v[0..runs) (sorted in place). */
static double
median(double *v)
{
	qsort(v, (size_t)runs, sizeof *v, cmp_double);
	return v[runs / 2];
}

/* "median (min–max)" of v, sorted by median(). */
static void
figure(double *v, char *out, size_t n)
{
	double m = median(v);
	snprintf(out, n, "%.0f (%.0f–%.0f)", m, v[0], v[runs - 1]);
}

/* Replaces the bench_intake section of bench/results.md (or appends it). */
static void
write_section(const char *section)
{
	const char *path = "bench/results.md", *b = "<!-- bench_intake: begin -->",
	           *e = "<!-- bench_intake: end -->";
	struct buf old = BUF_INIT, out = BUF_INIT;
	FILE *f = fopen(path, "r");
	if (f) {
		char chunk[4096];
		size_t k;
		while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_append(&old, chunk, k);
		fclose(f);
	}
	const char *txt = buf_str(&old), *p = strstr(txt, b), *q = p ? strstr(p, e) : NULL;
	if (p && q) {
		buf_append(&out, txt, (size_t)(p - txt));
		buf_printf(&out, "%s", section);
		buf_printf(&out, "%s", q + strlen(e));
	} else {
		buf_printf(&out, "%s%s%s\n", txt, old.len && txt[old.len - 1] != '\n' ? "\n\n" : "\n", section);
	}
	if ((f = fopen(path, "w"))) {
		fwrite(out.data, 1, out.len, f);
		fclose(f);
	} else {
		fprintf(stderr, "bench_intake: cannot write %s\n", path);
	}
	buf_free(&old);
	buf_free(&out);
}

static int
env_int(const char *name, int dflt, int lo, int hi)
{
	const char *v = getenv(name);
	int n = v && *v ? atoi(v) : dflt;
	return n < lo ? lo : n > hi ? hi : n;
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		setenv("MOTCUA_BIN", argv[1], 1);
	runs = env_int("RUNS", 3, 1, MAX_RUNS);
	n_http = env_int("N_HTTP", 4000, CLIENTS, 1000000) / CLIENTS * CLIENTS;
	n_raw = env_int("N_RAW", 4000, CLIENTS, 1000000) / CLIENTS * CLIENTS;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	double load0[3] = {0}, load1[3] = {0};
	getloadavg(load0, 3);
	/* per run: motcua with group commit, without, with and no messages;
	 * the raw loop from 1 and 16 threads */
	enum { ON, OFF, QUIET, RAW1, RAW16, NFIG };
	double fig[NFIG][MAX_RUNS], p50[3][MAX_RUNS], p99[3][MAX_RUNS], cpu[3][MAX_RUNS],
	       sent[3][MAX_RUNS];
	size_t row = 0;
	/* interleaved, so a change in the machine's load falls on all five */
	for (int i = 0; i < runs; i++) {
		static const int group[3] = {1, 0, 1}, phone[3] = {1, 1, 0};
		for (int k = ON; k <= QUIET; k++) {
			struct http_result a;
			if (http_run(group[k], phone[k], &a) != 0)
				return 1;
			if (!row)
				row = a.row_bytes;
			fig[k][i] = a.per_s, p50[k][i] = a.p50, p99[k][i] = a.p99, cpu[k][i] = a.cpu_us;
			sent[k][i] = (double)a.sent / (n_http / CLIENTS * CLIENTS);
		}
		if ((fig[RAW1][i] = raw_run(1, row)) < 0 || (fig[RAW16][i] = raw_run(CLIENTS, row)) < 0)
			return 1;
		printf("run %d: motcua %.0f/s with group commit (%.0f µs server CPU each, %.0f%% of the SMS "
		       "sent by the end), %.0f/s without (%.0f µs, %.0f%%), %.0f/s with and no messages "
		       "(%.0f µs); raw loop %.0f/s (1 thread), %.0f/s (16 threads)\n", i + 1, fig[ON][i],
		       cpu[ON][i], 100 * sent[ON][i], fig[OFF][i], cpu[OFF][i], 100 * sent[OFF][i],
		       fig[QUIET][i], cpu[QUIET][i], fig[RAW1][i], fig[RAW16][i]);
		fflush(stdout);
	}
	getloadavg(load1, 3);
	char f[NFIG][64], commit[64];
	double m[NFIG];
	for (int k = 0; k < NFIG; k++) {
		figure(fig[k], f[k], sizeof f[k]);
		m[k] = median(fig[k]);
	}
	double best = m[RAW1] > m[RAW16] ? m[RAW1] : m[RAW16];
	bench_commit_of(motcua_bin(), commit, sizeof commit);
	time_t now = time(NULL);
	struct tm tm;
	char day[16];
	gmtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	struct buf s = BUF_INIT;
	buf_printf(&s,
	           "<!-- bench_intake: begin -->\n"
	           "## Intake against the durable-write ceiling (issue #15, items 6 and 7)\n\n"
	           "motcua %s on %ld cores, %s, data on /tmp (the same file system for both). "
	           "The median of %d interleaved runs, the range in brackets. "
	           "motcua: %d dossiers per run posted by %d clients (one keep-alive connection each, "
	           "a clerk's API token) to `POST /api/v1/dossiers` on a fresh server; each intake is one "
	           "durable transaction (the day's number, the row, its timeline row, the hash-chained "
	           "audit event, the applicant's messages). "
	           "Raw loop: %d transactions per run of `BEGIN IMMEDIATE`, one `INSERT` of a %zu-byte row "
	           "(the mean stored dossier row, all columns), `COMMIT`, WAL and `synchronous=FULL`, "
	           "each thread with its own connection. "
	           "Load average before: %.2f %.2f %.2f; after: %.2f %.2f %.2f (the machine is shared).\n\n"
	           "| what | dossiers/s | p50 ms | p99 ms | server CPU µs per dossier | receipt SMS sent "
	           "when the clients finished |\n"
	           "|---|---|---|---|---|---|\n"
	           "| motcua, 16 clients, group commit | %s | %.1f | %.1f | %.0f | %.0f%% |\n"
	           "| motcua, 16 clients, `MOTCUA_GROUP_COMMIT=0` (one commit each) | %s | %.1f | %.1f | %.0f "
	           "| %.0f%% |\n"
	           "| motcua, 16 clients, group commit, applicants without phone (no SMS queued) "
	           "| %s | %.1f | %.1f | %.0f | – |\n"
	           "| raw loop, 1 thread | %s | | | | |\n"
	           "| raw loop, 16 threads | %s | | | | |\n\n"
	           "Ratios: motcua with group commit / the better raw loop = **%.2f** (goal ≥ 1.0); "
	           "/ raw 1 thread %.2f; / raw 16 threads %.2f. Without group commit: %.2f of the better "
	           "raw loop. Group commit / one commit each: %.2f×. Without messages: %.2f of the better "
	           "raw loop.\n\n"
	           "Each receipt SMS goes to the file gateway (no gateway configured: "
	           "`DATA/messages/`), which flushes the message file and the folder, and costs the "
	           "outbox worker two transactions (claim, result), which join the intakes' commits. "
	           "The server's CPU per dossier counts the worker's deliveries made during the run: "
	           "a worker that keeps up spends more of it inside the window.\n\n"
	           "Reproduce: `make bench` (all benches) or `make build/bench/bench_intake && "
	           "RUNS=%d N_HTTP=%d N_RAW=%d build/bench/bench_intake build/motcua`\n"
	           "<!-- bench_intake: end -->",
	           commit, sysconf(_SC_NPROCESSORS_ONLN), day, runs, n_http, CLIENTS, n_raw, row, load0[0],
	           load0[1], load0[2], load1[0], load1[1], load1[2], f[ON], median(p50[ON]),
	           median(p99[ON]), median(cpu[ON]), 100 * median(sent[ON]), f[OFF], median(p50[OFF]),
	           median(p99[OFF]), median(cpu[OFF]), 100 * median(sent[OFF]), f[QUIET], median(p50[QUIET]), median(p99[QUIET]), median(cpu[QUIET]),
	           f[RAW1], f[RAW16], m[ON] / best, m[ON] / m[RAW1], m[ON] / m[RAW16], m[OFF] / best,
	           m[ON] / m[OFF], m[QUIET] / best, runs, n_http, n_raw);
	printf("%s\n", buf_str(&s));
	write_section(buf_str(&s));
	buf_free(&s);
	curl_global_cleanup();
	return 0;
}
