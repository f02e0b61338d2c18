/*
 * main.c — the motcua command line.  Wires the layers together; every
 * command's real work lives in store/, web/ and core/.
 *
 *   motcua serve  [--data DIR] [--listen ADDR:PORT] [--secure-cookies] [--public-url URL]
 *                 [--backup-dir DIR] [--backup-at HH:MM|off] [--backup-keep N] [--leaders-see-all]
 *                 [--trusted-proxy ADDR] [--metrics-token-file FILE]
 *                 [--visit-flush SECONDS] [--lookup-limits N,M]
 *                 [--notify-smtp URL --notify-from ADDR [--notify-smtp-auth FILE]]
 *                 [--notify-sms URL [--notify-sms-method M] [--notify-sms-body T] [--notify-sms-headers FILE]]
 *                 [--notify-backoff BASE[,CAP]] [--notify-attempts N]
 *   motcua init   --data DIR --agency-name NAME --agency-code CODE
 *   motcua user   add|list|passwd|disable|enable --data DIR …
 *   motcua check  --data DIR [--anchor N:HASH]
 *   motcua demo   --data DIR --dossiers N [--years Y] [--seed S] [--until YYYY-MM-DD] [--batch N]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "core/roles.h"
#include "core/text.h"
#include "core/validate.h"
#include "http/http.h"
#include "store/store.h"
#include "core/calendar.h"
#include "core/deadline.h"
#include "core/lunar.h"
#include "embed.h"
#include "app/backup.h"
#include "app/notify.h"
#include "app/calendar.h"
#include "app/demo.h"
#include "app/visits.h"
#include "web/catalog_io.h"
#include "web/integrity.h"
#include "web/web.h"

#define DEMO_AGENCY_NAME "UBND xã Phong Hải"
/* Format-valid (QCVN 102:2016) but belongs to no real agency. */
#define DEMO_AGENCY_CODE "000.00.00.H00"

static const char usage[] =
    "Cách dùng:\n"
    "  motcua serve [--data DIR] [--listen ĐỊA_CHỈ:CỔNG] [--secure-cookies] [--public-url https://TÊN-MIỀN]\n"
    "               [--backup-dir THƯ_MỤC] [--backup-at HH:MM|off] [--backup-keep N] [--leaders-see-all]\n"
    "               [--lookup-limits N,M]\n"
    "               [--trusted-proxy ĐỊA_CHỈ_IP] [--metrics-token-file TỆP]\n"
    "               [--visit-flush GIÂY]\n"
    "               [--notify-smtp smtp://MÁY:CỔNG --notify-from ĐỊA_CHỈ [--notify-smtp-auth TỆP]]\n"
    "               [--notify-sms URL [--notify-sms-method POST|PUT|GET] [--notify-sms-body MẪU]\n"
    "                [--notify-sms-headers TỆP]] [--notify-backoff GIÂY[,GIÂY]] [--notify-attempts N]\n"
    "  motcua init --data DIR --agency-name TÊN --agency-code MÃ\n"
    "  motcua user add --data DIR --username TÊN --role VAI_TRÒ [--full-name HỌ_TÊN] [--unit BỘ_PHẬN] --password-stdin\n"
    "  motcua user list --data DIR\n"
    "  motcua user passwd --data DIR --username TÊN --password-stdin\n"
    "  motcua user disable|enable --data DIR --username TÊN\n"
    "  motcua check --data DIR [--anchor SỐ:MÃ_BĂM]\n"
    "  motcua demo --data DIR --dossiers N [--years NĂM] [--seed SỐ] [--until YYYY-MM-DD] [--batch N]\n"
    "  motcua backup --data DIR --to TỆP.tar\n"
    "  motcua calendar holidays --year NĂM [--data DIR]\n"
    "  motcua calendar due --from 2027-02-04T16:10:00+07:00 --days N [--same-day] [--cutoff HH:MM] [--data DIR]\n"
    "  motcua calendar lunar --date YYYY-MM-DD\n"
    "  motcua calendar import --data DIR TỆP\n"
    "  motcua import procedures --data DIR TỆP(.json|.csv)\n"
    "  motcua export procedures --data DIR [--format json|csv] [--out TỆP]\n"
    "Vai trò: admin, leader, clerk, officer, viewer.\n";

/* ---- argument helpers ----------------------------------------------- */

struct args {
	int argc;
	char **argv;
};

/* Value of --name, or NULL. */
static const char *
opt(const struct args *a, const char *name)
{
	for (int i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], name) == 0)
			return i + 1 < a->argc ? a->argv[i + 1] : NULL;
	return NULL;
}

static int
flag(const struct args *a, const char *name)
{
	for (int i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], name) == 0)
			return 1;
	return 0;
}

/* Refuses options this command does not know (a typo must not be ignored). */
static int
known_opts(const struct args *a, const char *const *with_value, const char *const *flags)
{
	for (int i = 0; i < a->argc; i++) {
		int ok = 0;
		for (const char *const *p = with_value; *p && !ok; p++)
			if (strcmp(a->argv[i], *p) == 0) {
				ok = 1;
				i++;
			}
		for (const char *const *p = flags; *p && !ok; p++)
			if (strcmp(a->argv[i], *p) == 0)
				ok = 1;
		if (!ok) {
			fprintf(stderr, "motcua: tham số không hợp lệ: %s\n%s", a->argv[i], usage);
			return 0;
		}
	}
	return 1;
}

/* Opens the data folder: `init` and `serve` create it (STORE_CREATE);
 * every other command refuses a folder without a database and creates
 * nothing there, so a mistyped --data never becomes an empty folder that
 * `check` would call sound. */
static struct store *
open_store_mode(const char *dir, enum store_mode mode)
{
	struct store *st;
	char err[1024];
	if (store_open_mode(&st, dir, mode, err, sizeof err) != 0) {
		fprintf(stderr, "motcua: %s\n", err);
		return NULL;
	}
	return st;
}

static struct store *
open_store(const char *dir)
{
	return open_store_mode(dir, STORE_EXISTING);
}

static struct store *
open_store_create(const char *dir)
{
	return open_store_mode(dir, STORE_CREATE);
}

/* A random password from an alphabet without look-alikes (no 0/O, 1/l/I). */
static void
random_password(char *out, size_t len)
{
	static const char alpha[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (size_t i = 0; i + 1 < len; i++)
		out[i] = alpha[randombytes_uniform(sizeof alpha - 1)];
	out[len - 1] = '\0';
}

/* Initialises dir if needed.  When it does, the admin password is
 * written to pw (empty otherwise).  Returns 0 or -1. */
static int
ensure_init(struct store *st, const char *name, const char *code, int demo, char *pw, size_t pwlen)
{
	struct store_agency ag;
	pw[0] = '\0';
	if (store_agency_get(st, &ag) == ERR_OK)
		return 0;
	char hash[160];
	random_password(pw, pwlen);
	if (web_hash_password(pw, hash, sizeof hash) != ERR_OK) {
		fprintf(stderr, "motcua: không băm được mật khẩu\n");
		return -1;
	}
	enum err e = store_init(st, name, code, demo, "admin", hash);
	if (e) {
		fprintf(stderr, "motcua: khởi tạo dữ liệu thất bại: %s\n", err_message(e));
		return -1;
	}
	/* The national seed catalogue of commune procedures (data/). */
	const struct embed_file *cat = embed_find("data/procedures.json");
	if (cat) {
		char detail[400];
		e = catalog_import(st, "system", (const char *)cat->data, cat->len, cat->name, NULL, NULL,
		                   detail, sizeof detail);
		if (e) {
			fprintf(stderr, "motcua: nạp danh mục thủ tục thất bại: %s %s\n", err_message(e), detail);
			return -1;
		}
	}
	/* The official holiday schedules shipped in data/holidays/. */
	for (size_t i = 0; i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		if (strncmp(f->name, "data/holidays/", 14) != 0)
			continue;
		char detail[256];
		e = cal_import_text(st, "system", (const char *)f->data, f->len, f->name, NULL, detail,
		                    sizeof detail);
		if (e) {
			fprintf(stderr, "motcua: nạp lịch nghỉ %s thất bại: %s %s\n", f->name, err_message(e), detail);
			return -1;
		}
	}
	return 1;
}

static void
print_admin(const char *dir, const char *name, int demo, const char *pw)
{
	printf("Đã khởi tạo dữ liệu mới tại %s: %s%s.\n", dir, name,
	       demo ? " (dữ liệu minh họa, mã cơ quan giả định)" : "");
	printf("Tài khoản quản trị: admin\n");
	printf("Mật khẩu (chỉ hiện một lần, hãy đổi sau khi đăng nhập): %s\n", pw);
	fflush(stdout);
}

/* ---- serve ---------------------------------------------------------- */

static int64_t
db_size(void *app)
{
	return store_db_size(((struct web_app *)app)->st);
}

/* DATA/tmp, where upload bodies are spooled: created 0700 (uploads may be
 * private scans); an existing one is narrowed to 0700 too. */
static int
serve_tmp_dir(const char *dir, char *out, size_t n)
{
	if (snprintf(out, n, "%s/tmp", dir) >= (int)n)
		return -1;
	if (mkdir(out, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "motcua: không tạo được thư mục %s: %s\n", out, strerror(errno));
		return -1;
	}
	if (chmod(out, 0700) != 0) {
		fprintf(stderr, "motcua: không đặt được quyền cho %s: %s\n", out, strerror(errno));
		return -1;
	}
	return 0;
}

/* The /metrics token: the file's first line, at least 32 characters. */
static int
read_metrics_token(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f || !fgets(out, (int)n, f)) {
		fprintf(stderr, "motcua: không đọc được --metrics-token-file %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	size_t len = strlen(out);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)out[i] <= ' ' || (unsigned char)out[i] >= 0x7f)
			len = 0;
	if (len < 32) {
		fprintf(stderr, "motcua: mã trong %s phải có ít nhất 32 ký tự in được, không dấu cách\n", path);
		return -1;
	}
	return 0;
}

/* --trusted-proxy and --metrics-token-file; 0 or -1 (message printed). */
static int
serve_guard_opts(struct args *a, struct web_app *app, struct http_config *cfg)
{
	const char *proxy = opt(a, "--trusted-proxy");
	unsigned char bin[16];
	if (proxy && inet_pton(AF_INET, proxy, bin) != 1 && inet_pton(AF_INET6, proxy, bin) != 1) {
		fprintf(stderr, "motcua: --trusted-proxy phải là một địa chỉ IP (ví dụ 127.0.0.1)\n");
		return -1;
	}
	cfg->trusted_proxy = proxy;
	const char *tf = opt(a, "--metrics-token-file");
	if (tf && read_metrics_token(tf, app->metrics_token, sizeof app->metrics_token) != 0)
		return -1;
	return 0;
}

/* A whole-number option name, lo..hi, into *out (left alone when
 * absent); 0, or -1 after saying what it must be. */
static int
num_opt(struct args *a, const char *name, long lo, long hi, const char *what, int *out)
{
	const char *v = opt(a, name);
	if (!v)
		return 0;
	char *end;
	long k = strtol(v, &end, 10);
	if (!*v || *end || k < lo || k > hi) {
		fprintf(stderr, "motcua: %s phải là %s\n", name, what);
		return -1;
	}
	*out = (int)k;
	return 0;
}

/* What serve was asked for. */
struct serve_opts {
	const char *dir, *listen, *public_url;
	int backup_at, backup_keep, visit_flush;
	int lookup_code, lookup_client;   /* 0: the service's defaults */
};

/* "N,M" → failures per dossier code and per client; 0, or -1 if bad. */
static int
parse_lookup_limits(const char *v, int *per_code, int *per_client)
{
	char *end;
	long c = strtol(v, &end, 10);
	if (end == v || *end != ',' || c < 1 || c > 100000)
		return -1;
	const char *m = end + 1;
	long k = strtol(m, &end, 10);
	if (end == m || *end || k < 1 || k > 1000000)
		return -1;
	*per_code = (int)c;
	*per_client = (int)k;
	return 0;
}

/* serve's options; 0, or -1 after saying what is wrong. */
static int
serve_read_opts(struct args *a, struct serve_opts *o)
{
	*o = (struct serve_opts){.backup_at = 90, .backup_keep = 14,   /* 01:30 UTC+7, two weeks */
	                         .visit_flush = VISITS_FLUSH_DEFAULT};
	o->dir = opt(a, "--data") ? opt(a, "--data") : "var";
	o->listen = opt(a, "--listen") ? opt(a, "--listen") : "127.0.0.1:8080";
	o->public_url = opt(a, "--public-url");
	if (o->public_url && web_public_url_ok(o->public_url) != 0) {
		fprintf(stderr, "motcua: --public-url phải có dạng https://ten-mien (không có đường dẫn, dấu cách hay ký tự lạ)\n");
		return -1;
	}
	if (opt(a, "--backup-at") && app_backup_parse_at(opt(a, "--backup-at"), &o->backup_at) != 0) {
		fprintf(stderr, "motcua: --backup-at phải là giờ HH:MM (giờ Việt Nam) hoặc off\n");
		return -1;
	}
	if (opt(a, "--lookup-limits") &&
	    parse_lookup_limits(opt(a, "--lookup-limits"), &o->lookup_code, &o->lookup_client) != 0) {
		fprintf(stderr, "motcua: --lookup-limits phải có dạng N,M (số lần tra sai cho phép với một mã hồ sơ"
		                " và với một máy trong 15 phút, ví dụ 10,30)\n");
		return -1;
	}
	return num_opt(a, "--backup-keep", 1, 3650, "số từ 1 đến 3650", &o->backup_keep) ||
	       num_opt(a, "--visit-flush", 1, 86400, "số giây từ 1 đến 86400", &o->visit_flush) ? -1 : 0;
}

/* The notification worker's gateways and schedule from serve's options
 * (docs/OPERATIONS.md); 0, or -1 after saying what is wrong. */
static int
notify_opts(struct args *a, const char *dir, struct app_notify_config *c)
{
	app_notify_config_default(c, dir);
	char err[512] = "";
	const char *v;
	if ((v = opt(a, "--notify-backoff")) && app_notify_parse_backoff(v, &c->backoff_base, &c->backoff_cap) != 0)
		snprintf(err, sizeof err, "--notify-backoff phải có dạng GIÂY hoặc GIÂY,GIÂY (lần chờ đầu, lần chờ dài nhất; 1 đến 86400)");
	int attempts = c->max_attempts;
	if (!err[0] && num_opt(a, "--notify-attempts", 1, 1000, "số từ 1 đến 1000", &attempts) != 0)
		return -1;
	c->max_attempts = attempts;
	if (!err[0] && (v = opt(a, "--notify-smtp"))) {
		if (strncmp(v, "smtp://", 7) != 0 && strncmp(v, "smtps://", 8) != 0)
			snprintf(err, sizeof err, "--notify-smtp phải bắt đầu bằng smtp:// hoặc smtps://");
		else if (!opt(a, "--notify-from") || !validate_email(opt(a, "--notify-from")))
			snprintf(err, sizeof err, "--notify-smtp cần --notify-from với một địa chỉ thư hợp lệ");
		snprintf(c->smtp_url, sizeof c->smtp_url, "%s", v);
		snprintf(c->smtp_from, sizeof c->smtp_from, "%s", opt(a, "--notify-from") ? opt(a, "--notify-from") : "");
		if (!err[0] && (v = opt(a, "--notify-smtp-auth")))
			app_notify_read_auth(v, c->smtp_user, sizeof c->smtp_user, c->smtp_pass, sizeof c->smtp_pass,
			                     err, sizeof err);
	}
	if (!err[0] && (v = opt(a, "--notify-sms"))) {
		if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
			snprintf(err, sizeof err, "--notify-sms phải bắt đầu bằng http:// hoặc https://");
		snprintf(c->sms_url, sizeof c->sms_url, "%s", v);
		if ((v = opt(a, "--notify-sms-method"))) {
			if (strcmp(v, "POST") && strcmp(v, "PUT") && strcmp(v, "GET"))
				snprintf(err, sizeof err, "--notify-sms-method phải là POST, PUT hoặc GET");
			snprintf(c->sms_method, sizeof c->sms_method, "%s", v);
		}
		if ((v = opt(a, "--notify-sms-body")) && strlen(v) >= sizeof c->sms_body)
			snprintf(err, sizeof err, "--notify-sms-body dài quá");
		else if (v)
			snprintf(c->sms_body, sizeof c->sms_body, "%s", v);
		if (!err[0] && (v = opt(a, "--notify-sms-headers")))
			app_notify_read_headers(v, c->sms_headers, sizeof c->sms_headers, err, sizeof err);
	}
	if (err[0]) {
		fprintf(stderr, "motcua: %s\n", err);
		return -1;
	}
	return 0;
}

/* Stops the services serve started and closes the store. */
static void
serve_close(struct web_app *app, struct store *st)
{
	app_notify_stop(&app->core);
	if (app->core.visits && visits_stop(app->core.visits) != ERR_OK)
		fprintf(stderr, "motcua: không ghi được số lượt truy cập còn chờ\n");
	app->core.visits = NULL;
	app_backup_stop(&app->core);
	web_app_free(app);
	store_close(st);
}

/* Opens the data folder (initialising it on first start: *fresh, pw),
 * the application and its services.  The store, or NULL after saying why. */
static struct store *
serve_open(struct args *a, const struct serve_opts *o, struct web_app *app, int *fresh, char *pw,
           size_t pwlen, char *tmp_dir, size_t tmplen)
{
	struct store *st = open_store_create(o->dir);
	if (!st)
		return NULL;
	*fresh = ensure_init(st, DEMO_AGENCY_NAME, DEMO_AGENCY_CODE, 1, pw, pwlen);
	char err[512];
	if (*fresh < 0 || serve_tmp_dir(o->dir, tmp_dir, tmplen) != 0) {
		store_close(st);
		return NULL;
	}
	if (web_app_init(app, st, err, sizeof err) != 0) {
		fprintf(stderr, "motcua: %s\n", err);
		store_close(st);
		return NULL;
	}
	app->secure_cookies = flag(a, "--secure-cookies");
	app->core.leaders_see_all = flag(a, "--leaders-see-all");
	app->core.lookup.per_code = o->lookup_code;
	app->core.lookup.per_client = o->lookup_client;
	if (o->public_url)
		snprintf(app->public_url, sizeof app->public_url, "%s", o->public_url);
	app->core.visits = visits_start(st, o->visit_flush);
	if (!app->core.visits)
		fprintf(stderr, "motcua: không khởi động được bộ đếm lượt truy cập; trang vẫn phục vụ\n");
	char backup_dir[1100];
	snprintf(backup_dir, sizeof backup_dir, "%s", opt(a, "--backup-dir") ? opt(a, "--backup-dir") : "");
	if (!backup_dir[0])
		snprintf(backup_dir, sizeof backup_dir, "%s/sao-luu", o->dir);
	if (app_backup_start(&app->core, backup_dir, o->backup_at, o->backup_keep, err, sizeof err) != 0) {
		fprintf(stderr, "motcua: %s\n", err);
		serve_close(app, st);
		return NULL;
	}
	struct app_notify_config nc;
	int rc = notify_opts(a, o->dir, &nc);
	if (rc == 0 && (rc = app_notify_start(&app->core, &nc, err, sizeof err)) != 0)
		fprintf(stderr, "motcua: %s\n", err);
	sodium_memzero(&nc, sizeof nc);   /* the worker keeps its own copy */
	if (rc != 0) {
		serve_close(app, st);
		return NULL;
	}
	return st;
}

static int
cmd_serve(struct args *a)
{
	static const char *const vals[] = {"--data", "--listen", "--public-url", "--backup-dir", "--backup-at",
	                                   "--backup-keep", "--visit-flush", "--trusted-proxy",
	                                   "--metrics-token-file", "--lookup-limits", "--notify-smtp",
	                                   "--notify-from", "--notify-smtp-auth", "--notify-sms",
	                                   "--notify-sms-method", "--notify-sms-body", "--notify-sms-headers",
	                                   "--notify-backoff", "--notify-attempts", NULL};
	static const char *const flags[] = {"--secure-cookies", "--leaders-see-all", NULL};
	struct serve_opts o;
	if (!known_opts(a, vals, flags) || serve_read_opts(a, &o) != 0)
		return 2;
	/* Block the stop signals before any thread starts, so every worker
	 * inherits the mask and only sigwait() below receives them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	static struct web_app app;
	static char tmp_dir[1100];
	char pw[20];
	int fresh = 0;
	struct store *st = serve_open(a, &o, &app, &fresh, pw, sizeof pw, tmp_dir, sizeof tmp_dir);
	if (!st)
		return 1;
	struct http_config cfg = {
		.listen = o.listen,
		.routes = web_routes,
		.nroutes = web_nroutes,
		.app = &app,
		.authorize = web_authorize,
		.before = web_before,
		.tmp_dir = tmp_dir,
		.error_page = web_error_page,
		.db_size = db_size,
	};
	struct http_server *srv;
	unsigned port;
	char err[512] = "";
	if (serve_guard_opts(a, &app, &cfg) != 0 || http_start(&cfg, &srv, &port, err, sizeof err) != 0) {
		if (err[0])
			fprintf(stderr, "motcua: %s\n", err);
		serve_close(&app, st);
		return 1;
	}
	app.srv = srv;
	char host[64];
	const char *colon = strrchr(o.listen, ':');
	snprintf(host, sizeof host, "%.*s", (int)(colon - o.listen), o.listen);
	printf("http://%s:%u/\n", host[0] && strcmp(host, "0.0.0.0") ? host : "127.0.0.1", port);
	if (fresh)
		print_admin(o.dir, app.agency.name, app.agency.demo, pw);
	fflush(stdout);
	fprintf(stderr, "motcua: đang phục vụ %s (dữ liệu: %s). Ctrl+C để dừng.\n", o.listen, o.dir);

	int sig = 0;
	sigwait(&stop, &sig);
	fprintf(stderr, "motcua: nhận tín hiệu %s, đang dừng…\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	http_stop(srv, 10);
	serve_close(&app, st);
	fprintf(stderr, "motcua: đã dừng, cơ sở dữ liệu đã đóng.\n");
	return 0;
}

/* ---- init ----------------------------------------------------------- */

static int
cmd_init(struct args *a)
{
	static const char *const vals[] = {"--data", "--agency-name", "--agency-code", NULL};
	static const char *const flags[] = {"--demo", NULL};
	if (!known_opts(a, vals, flags))
		return 2;
	const char *dir = opt(a, "--data");
	const char *name = opt(a, "--agency-name");
	const char *code = opt(a, "--agency-code");
	if (!dir || !name || !code) {
		fprintf(stderr, "motcua init: cần --data, --agency-name và --agency-code\n%s", usage);
		return 2;
	}
	enum err e;
	char *nname = text_nfc(name, strlen(name), &e);
	if (!nname || !*nname || strlen(nname) > 200) {
		fprintf(stderr, "motcua init: tên cơ quan không hợp lệ\n");
		free(nname);
		return 2;
	}
	if (!validate_agency_code(code)) {
		fprintf(stderr, "motcua init: mã cơ quan không hợp lệ: %s (dạng 000.00.00.H38 hoặc G09.01)\n", code);
		free(nname);
		return 2;
	}
	struct store *st = open_store_create(dir);
	if (!st) {
		free(nname);
		return 1;
	}
	char pw[20];
	int r = ensure_init(st, nname, code, flag(a, "--demo"), pw, sizeof pw);
	if (r == 0)
		fprintf(stderr, "motcua init: thư mục %s đã được khởi tạo trước đó; không thay đổi gì.\n", dir);
	else if (r > 0)
		print_admin(dir, nname, flag(a, "--demo"), pw);
	free(nname);
	store_close(st);
	return r < 0 ? 1 : r == 0 ? 1 : 0;
}

/* ---- user ----------------------------------------------------------- */

/* Reads one line of stdin as a password (NFC), without the newline. */
static int
read_password(char *out, size_t n)
{
	char line[1100];
	if (!fgets(line, sizeof line, stdin)) {
		fprintf(stderr, "motcua: không đọc được mật khẩu từ stdin\n");
		return -1;
	}
	line[strcspn(line, "\r\n")] = '\0';
	enum err e;
	char *nfc = text_nfc(line, strlen(line), &e);
	sodium_memzero(line, sizeof line);
	if (!nfc) {
		fprintf(stderr, "motcua: mật khẩu không phải UTF-8 hợp lệ\n");
		return -1;
	}
	if (web_password_ok(nfc) != ERR_OK) {
		fprintf(stderr, "motcua: %s\n", err_message(ERR_WEAK_PASSWORD));
		free(nfc);
		return -1;
	}
	snprintf(out, n, "%s", nfc);
	sodium_memzero(nfc, strlen(nfc));
	free(nfc);
	return 0;
}

static int
print_user(const struct store_user *u, void *arg)
{
	(void)arg;
	printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)u->id, u->username, u->role,
	       u->active ? "active" : "disabled", u->full_name, u->unit);
	return 0;
}

/* One `motcua user` subcommand on an open store: an exit status, or -1
 * with *e set when the store refused (the caller says why). */
typedef int (*user_cmd_fn)(struct store *st, struct args *rest, const char *username, enum err *e);

static int
user_list(struct store *st, struct args *rest, const char *username, enum err *e)
{
	(void)rest;
	(void)username;
	*e = store_user_each(st, print_user, NULL);
	return *e ? -1 : 0;
}

/* Reads the password from stdin into pw; 0, or 2 after saying why. */
static int
user_password(struct args *rest, char *pw, size_t n)
{
	if (!flag(rest, "--password-stdin")) {
		fprintf(stderr, "motcua: cần --password-stdin (mật khẩu đọc từ stdin)\n");
		return 2;
	}
	return read_password(pw, n) != 0 ? 2 : 0;
}

static int
user_add(struct store *st, struct args *rest, const char *username, enum err *e)
{
	const char *role = opt(rest, "--role");
	const char *full = opt(rest, "--full-name") ? opt(rest, "--full-name") : "";
	const char *unit = opt(rest, "--unit") ? opt(rest, "--unit") : "";
	if (!role || !role_from_name(role)) {
		fprintf(stderr, "motcua: %s (admin, leader, clerk, officer, viewer)\n", err_message(ERR_BAD_ROLE));
		return 2;
	}
	enum err ne;
	char *nfull = text_nfc(full, strlen(full), &ne), *nunit = text_nfc(unit, strlen(unit), &ne);
	struct store_user u = {.active = 1};
	char pw[1100];
	int rc = 0;
	if (!nfull || !nunit) {
		fprintf(stderr, "motcua: họ tên hoặc bộ phận không phải UTF-8 hợp lệ\n");
		rc = 2;
	} else if ((rc = user_password(rest, pw, sizeof pw)) == 0) {
		snprintf(u.username, sizeof u.username, "%s", username);
		snprintf(u.full_name, sizeof u.full_name, "%s", nfull);
		snprintf(u.unit, sizeof u.unit, "%s", nunit);
		snprintf(u.role, sizeof u.role, "%s", role);
		*e = web_hash_password(pw, u.pwhash, sizeof u.pwhash);
		sodium_memzero(pw, sizeof pw);
		if (!*e)
			*e = store_user_create(st, "cli", &u, NULL);
		if (!*e)
			printf("Đã tạo tài khoản %s (%s).\n", username, role);
		rc = *e ? -1 : 0;
	}
	free(nfull);
	free(nunit);
	return rc;
}

/* The account by name; 0, or 1 after saying it does not exist. */
static int
user_find(struct store *st, const char *username, struct store_user *u, enum err *e)
{
	*e = store_user_by_name(st, username, u);
	if (*e == ERR_NOT_FOUND) {
		fprintf(stderr, "motcua: không có tài khoản %s\n", username);
		*e = ERR_OK;
		return 1;
	}
	return *e ? -1 : 0;
}

static int
user_passwd(struct store *st, struct args *rest, const char *username, enum err *e)
{
	struct store_user u;
	char pw[1100], hash[160];
	int rc = user_find(st, username, &u, e);
	if (rc || (rc = user_password(rest, pw, sizeof pw)) != 0)
		return rc;
	*e = web_hash_password(pw, hash, sizeof hash);
	sodium_memzero(pw, sizeof pw);
	if (!*e)
		*e = store_user_set_password(st, "cli", u.id, hash);
	if (!*e)
		printf("Đã đặt lại mật khẩu cho %s.\n", username);
	return *e ? -1 : 0;
}

static int
user_active(struct store *st, const char *username, int active, enum err *e)
{
	struct store_user u;
	int rc = user_find(st, username, &u, e);
	if (rc)
		return rc;
	*e = store_user_set_active(st, "cli", u.id, active);
	if (!*e)
		printf("Đã %s tài khoản %s.\n", active ? "mở khóa" : "khóa", username);
	return *e ? -1 : 0;
}

static int
user_disable(struct store *st, struct args *rest, const char *username, enum err *e)
{
	(void)rest;
	return user_active(st, username, 0, e);
}

static int
user_enable(struct store *st, struct args *rest, const char *username, enum err *e)
{
	(void)rest;
	return user_active(st, username, 1, e);
}

static const struct {
	const char *name;
	user_cmd_fn fn;
	int needs_username;
} user_cmds[] = {
	{"list", user_list, 0},       {"add", user_add, 1},         {"passwd", user_passwd, 1},
	{"disable", user_disable, 1}, {"enable", user_enable, 1},
};

static int
cmd_user(struct args *a)
{
	const char *sub = a->argc >= 1 ? a->argv[0] : "";
	size_t k = 0, n = sizeof user_cmds / sizeof user_cmds[0];
	while (k < n && strcmp(user_cmds[k].name, sub) != 0)
		k++;
	if (k == n) {
		if (*sub)
			fprintf(stderr, "motcua user: lệnh con không hợp lệ: %s\n", sub);
		fputs(usage, stderr);
		return 2;
	}
	struct args rest = {a->argc - 1, a->argv + 1};
	static const char *const vals[] = {"--data", "--username", "--role", "--full-name", "--unit", NULL};
	static const char *const flags[] = {"--password-stdin", NULL};
	if (!known_opts(&rest, vals, flags))
		return 2;
	const char *dir = opt(&rest, "--data") ? opt(&rest, "--data") : "var";
	const char *username = opt(&rest, "--username");
	if (user_cmds[k].needs_username && !username) {
		fprintf(stderr, "motcua user %s: cần --username\n", sub);
		return 2;
	}
	if (user_cmds[k].needs_username && web_username_ok(username) != ERR_OK) {
		fprintf(stderr, "motcua: %s\n", err_message(ERR_BAD_USERNAME));
		return 2;
	}
	struct store *st = open_store(dir);
	if (!st)
		return 1;
	struct store_agency ag;
	enum err e = ERR_OK;
	int rc;
	if (store_agency_get(st, &ag) != ERR_OK) {
		fprintf(stderr, "motcua: thư mục %s chưa được khởi tạo (chạy motcua init)\n", dir);
		rc = 1;
	} else if ((rc = user_cmds[k].fn(st, &rest, username, &e)) < 0) {
		fprintf(stderr, "motcua: %s (%s)\n", err_message(e), err_code(e));
		rc = 1;
	}
	store_close(st);
	return rc;
}

/* ---- backup --------------------------------------------------------- */

static int
cmd_backup(struct args *a)
{
	static const char *const vals[] = {"--data", "--to", NULL};
	static const char *const flags[] = {NULL};
	if (!known_opts(a, vals, flags))
		return 2;
	const char *dir = opt(a, "--data") ? opt(a, "--data") : "var";
	const char *to = opt(a, "--to");
	if (!to) {
		fprintf(stderr, "motcua backup: cần --to TỆP\n");
		return 2;
	}
	struct store *st = open_store(dir);
	if (!st)
		return 1;
	struct app core;
	char err[512];
	if (app_init(&core, st, err, sizeof err) != 0) {
		fprintf(stderr, "motcua backup: %s\n", err);
		store_close(st);
		return 1;
	}
	struct actor sys;
	app_actor_system(&sys, "system:cli");
	struct app_backup_result r;
	enum err e = app_backup_to(&core, &sys, to, &r);
	app_free(&core);
	store_close(st);
	if (e) {
		fprintf(stderr, "motcua backup: %s\n", r.err[0] ? r.err : err_message(e));
		return 1;
	}
	const struct store_backup_info info = r.info;
	printf("Đã sao lưu %s vào %s: cơ sở dữ liệu và %lld tệp (đính kèm, ảnh), %.1f MB.\n", dir, to,
	       (long long)info.files, (double)info.bytes / 1e6);
	if (info.missing) {
		fprintf(stderr, "motcua backup: CẢNH BÁO — %lld tệp được cơ sở dữ liệu nhắc đến bị thiếu hoặc hỏng,"
		                " không có trong bản sao lưu; đầu tiên: %s. Chạy motcua check --data %s.\n",
		        (long long)info.missing, info.first_missing, dir);
		return 1;
	}
	return 0;
}

/* ---- demo ---------------------------------------------------------- */

struct demo_clock {
	struct timespec t0;
};

static double
since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
demo_progress(int64_t done, int64_t total, void *arg)
{
	double s = since(&((struct demo_clock *)arg)->t0);
	fprintf(stderr, "motcua demo: %lld/%lld hồ sơ (%.0f%%), %.1f giây, %.0f hồ sơ/giây\n", (long long)done,
	        (long long)total, 100.0 * (double)done / (double)total, s, s > 0 ? (double)done / s : 0.0);
}

/* motcua demo --data DIR --dossiers N [--years Y] [--seed S] [--until YYYY-MM-DD]:
 * made-up dossiers through the store's bulk path (app/demo.c).  A folder
 * not initialised yet is initialised first as the demo agency (marked as
 * placeholder data everywhere) and its admin password printed. */
static int
cmd_demo(struct args *a)
{
	static const char *const vals[] = {"--data", "--dossiers", "--years", "--seed", "--until", "--batch", NULL};
	static const char *const flags[] = {NULL};
	if (!known_opts(a, vals, flags))
		return 2;
	const char *dir = opt(a, "--data");
	int n = 0, years = 1, seed = 1, batch = 0;
	if (!dir || !opt(a, "--dossiers")) {
		fprintf(stderr, "motcua demo: cần --data và --dossiers\n%s", usage);
		return 2;
	}
	if (num_opt(a, "--dossiers", 1, 100000000, "số hồ sơ từ 1 đến 100000000", &n) ||
	    num_opt(a, "--years", 1, 30, "số năm từ 1 đến 30", &years) ||
	    num_opt(a, "--seed", 0, 2147483647, "số nguyên không âm", &seed) ||
	    num_opt(a, "--batch", 100, 1000000, "số hồ sơ mỗi giao dịch, từ 100 đến 1000000", &batch))
		return 2;
	cal_day until = vn_day((int64_t)time(NULL));
	if (opt(a, "--until") && cal_parse_ymd(opt(a, "--until"), &until) != 0) {
		fprintf(stderr, "motcua demo: --until phải là ngày dạng YYYY-MM-DD\n");
		return 2;
	}
	struct store *st = open_store_create(dir);
	if (!st)
		return 1;
	char pw[20];
	int r = ensure_init(st, DEMO_AGENCY_NAME, DEMO_AGENCY_CODE, 1, pw, sizeof pw);
	if (r < 0) {
		store_close(st);
		return 1;
	}
	if (r > 0)
		print_admin(dir, DEMO_AGENCY_NAME, 1, pw);
	struct store_agency ag;
	if (store_agency_get(st, &ag) != ERR_OK || !ag.demo) {
		/* made-up dossiers would count in a real agency's reports */
		fprintf(stderr, "motcua demo: thư mục %s là dữ liệu thật của một cơ quan; chỉ tạo dữ liệu minh họa trong "
		        "thư mục mới hoặc thư mục khởi tạo bằng motcua init --demo. Không thay đổi gì.\n", dir);
		store_close(st);
		return 1;
	}
	/* the application's hook computes each batch's statistics facts in
	 * its transaction (app/facts.h) */
	struct app app;
	char err[256];
	if (app_init(&app, st, err, sizeof err) != 0) {
		fprintf(stderr, "motcua demo: %s\n", err);
		store_close(st);
		return 1;
	}
	struct demo_clock clk;
	clock_gettime(CLOCK_MONOTONIC, &clk.t0);
	struct app_demo_opts o = {.dossiers = n, .years = years, .seed = (uint64_t)seed, .until = until,
	                          .batch = (size_t)batch, .progress = demo_progress, .arg = &clk};
	struct app_demo_result res;
	enum err e = app_demo_generate(st, &o, &res);
	double secs = since(&clk.t0);
	app_free(&app);
	store_close(st);
	if (e) {
		fprintf(stderr, "motcua demo: không tạo được dữ liệu minh họa: %s\n", err_message(e));
		return 1;
	}
	char d0[16], d1[16];
	cal_format_ymd(res.first_day, d0, sizeof d0);
	cal_format_ymd(res.last_day, d1, sizeof d1);
	printf("Đã tạo %lld hồ sơ minh họa (%s → %s, %lld thủ tục, %lld giao dịch) trong %.1f giây: %.0f hồ sơ/giây.\n",
	       (long long)res.dossiers, d0, d1, (long long)res.procedures, (long long)res.batches, secs,
	       secs > 0 ? (double)res.dossiers / secs : 0.0);
	return 0;
}

/* ---- check ---------------------------------------------------------- */

static int
cmd_check(struct args *a)
{
	static const char *const vals[] = {"--data", "--anchor", NULL};
	static const char *const flags[] = {NULL};
	if (!known_opts(a, vals, flags))
		return 2;
	const char *dir = opt(a, "--data") ? opt(a, "--data") : "var";
	int64_t anchor_id = 0;
	char anchor_hash[65] = "";
	if (opt(a, "--anchor")) {
		const char *v = opt(a, "--anchor");
		const char *colon = strchr(v, ':');
		char num[24] = "";
		if (colon && colon - v < (ptrdiff_t)sizeof num)
			snprintf(num, sizeof num, "%.*s", (int)(colon - v), v);
		if (!colon || integrity_parse_anchor(num, colon + 1, &anchor_id, anchor_hash) != 0) {
			fprintf(stderr, "motcua check: --anchor phải có dạng SỐ_SỰ_KIỆN:MÃ_BĂM (64 chữ số hex), "
			                "như dòng \"Mốc để ghi lại\" của lần kiểm tra trước\n");
			return 2;
		}
	}
	struct store *st = open_store(dir);
	if (!st)
		return 1;
	struct store_agency ag;
	if (store_agency_get(st, &ag) == ERR_NOT_FOUND) {
		fprintf(stderr, "motcua check: thư mục %s chưa được khởi tạo (không có dữ liệu cơ quan); "
		                "không có gì để kiểm tra.\n", dir);
		store_close(st);
		return 1;
	}
	struct integrity g;
	enum err e = integrity_run(st, anchor_id, anchor_hash, &g);
	store_close(st);
	if (e) {
		fprintf(stderr, "motcua check: không kiểm tra được: %s\n", err_message(e));
		return 1;
	}
	for (int i = 0; i < g.nrows; i++)
		printf("%s: %s%s\n", g.rows[i].label,
		       g.rows[i].ok || strncmp(g.rows[i].text, "LỖI", 3) == 0 ? "" : "LỖI — ", g.rows[i].text);
	if (g.head_id)
		printf("Mốc để ghi lại (đối chiếu lần sau bằng --anchor): %lld:%s\n", (long long)g.head_id, g.head_hash);
	printf(g.ok ? "KẾT QUẢ: ĐẠT\n" : "KẾT QUẢ: PHÁT HIỆN SAI LỆCH\n");
	return !g.ok;
}

/* ---- calendar --------------------------------------------------------- */

static int
cal_snapshot(const char *dir, int year, int n, struct calsnap **out, struct store **st)
{
	*st = NULL;
	if (dir) {
		*st = open_store(dir);
		if (!*st)
			return -1;
	}
	enum err e = calsnap_build(*st, year, n, out);
	if (e) {
		fprintf(stderr, "motcua: không dựng được lịch: %s\n", err_message(e));
		store_close(*st);
		return -1;
	}
	return 0;
}

/* `motcua calendar import [--data DIR] FILE` */
static int
calendar_import(struct args *rest)
{
	static const char *const vals[] = {"--data", NULL};
	static const char *const flags[] = {NULL};
	if (rest->argc < 1) {
		fprintf(stderr, "motcua calendar import: cần --data DIR và TỆP\n");
		return 2;
	}
	const char *file = rest->argv[rest->argc - 1];
	struct args opts = {rest->argc - 1, rest->argv};
	if (!known_opts(&opts, vals, flags))
		return 2;
	const char *dir = opt(&opts, "--data") ? opt(&opts, "--data") : "var";
	FILE *f = fopen(file, "rb");
	if (!f) {
		fprintf(stderr, "motcua: không mở được %s\n", file);
		return 1;
	}
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 4 * 1024 * 1024)
		buf_append(&b, chunk, k);
	fclose(f);
	struct store *st = open_store(dir);
	if (!st) {
		buf_free(&b);
		return 1;
	}
	char detail[300];
	size_t nrows = 0;
	enum err e = cal_import_text(st, "cli", buf_str(&b), b.len, file, &nrows, detail, sizeof detail);
	buf_free(&b);
	store_close(st);
	if (e) {
		fprintf(stderr, "motcua: %s: %s — %s; không nạp gì.\n", file, err_message(e), detail);
		return 1;
	}
	printf("Đã nạp %zu ngày từ %s.\n", nrows, file);
	return 0;
}

/* `motcua calendar holidays --year Y [--data DIR]` */
static int
calendar_holidays(struct args *rest)
{
	long year;
	if (web_parse_int(opt(rest, "--year"), CAL_MIN_YEAR, CAL_MAX_YEAR, &year) != 0) {
		fprintf(stderr, "motcua: --year phải là năm từ 1900 đến 2199\n");
		return 2;
	}
	struct calsnap *s;
	struct store *st;
	if (cal_snapshot(opt(rest, "--data"), (int)year, 1, &s, &st) != 0)
		return 1;
	const struct cal_year *y = cal_year_of(&s->cal, (int)year);
	for (int i = 0; y && i < y->nspecial; i++) {
		if (!y->special[i].off)
			continue;
		char d[16];
		cal_format_ymd(y->special[i].day, d, sizeof d);
		printf("%s\t%s\t%s\n", d, y->special[i].name, cal_kind_code((enum cal_kind)y->special[i].kind));
	}
	calsnap_free(s);
	store_close(st);
	return 0;
}

/* `motcua calendar due --from T --days N [--same-day] [--cutoff HH:MM]` */
static int
calendar_due(struct args *rest)
{
	int64_t t, due;
	long days = 0;
	int cutoff = DL_CUTOFF_DEFAULT;
	int same = flag(rest, "--same-day");
	if (!opt(rest, "--from") || vn_parse_rfc3339(opt(rest, "--from"), &t) != 0) {
		fprintf(stderr, "motcua: --from phải là thời điểm RFC 3339, ví dụ 2027-02-04T16:10:00+07:00\n");
		return 2;
	}
	if ((!same || opt(rest, "--days")) && web_parse_int(opt(rest, "--days"), 0, DL_MAX_DAYS, &days) != 0) {
		fprintf(stderr, "motcua: --days phải là số ngày làm việc từ 0 đến 3650\n");
		return 2;
	}
	if (opt(rest, "--cutoff") && vn_parse_hhmm(opt(rest, "--cutoff"), &cutoff) != 0) {
		fprintf(stderr, "motcua: --cutoff phải là giờ dạng HH:MM\n");
		return 2;
	}
	int y, m, d;
	cal_ymd(vn_day(t), &y, &m, &d);
	struct calsnap *s;
	struct store *st;
	if (cal_snapshot(opt(rest, "--data"), y, CAL_DUE_SPAN, &s, &st) != 0)
		return 1;
	int rc = dl_due(&s->cal, &s->hours, t, (int)days, same, cutoff, &due);
	calsnap_free(s);
	store_close(st);
	if (rc != DL_OK) {
		fprintf(stderr, "motcua: hạn xử lý vượt quá năm 2199\n");
		return 1;
	}
	char out[VN_RFC3339_MAX];
	vn_fmt_rfc3339(due, out, sizeof out);
	printf("%s\n", out);
	return 0;
}

/* `motcua calendar lunar --date YYYY-MM-DD` */
static int
calendar_lunar(struct args *rest)
{
	cal_day day;
	struct lunar_date ld;
	int y, m, d;
	if (!opt(rest, "--date") || cal_parse_ymd(opt(rest, "--date"), &day) != 0) {
		fprintf(stderr, "motcua: --date phải là ngày dạng YYYY-MM-DD từ 1900 đến 2199\n");
		return 2;
	}
	cal_ymd(day, &y, &m, &d);
	if (lunar_from_solar(y, m, d, &ld) != 0) {
		fprintf(stderr, "motcua: ngày ngoài phạm vi lịch âm\n");
		return 2;
	}
	char canchi[LUNAR_NAME_MAX];
	lunar_canchi_year(ld.year, canchi, sizeof canchi);
	printf("%d/%d%s năm %s (âm lịch)\tday=%d\tmonth=%d\tyear=%d\tleap=%d\tyear_name=%s\n", ld.day, ld.month,
	       ld.leap ? " nhuận" : "", canchi, ld.day, ld.month, ld.year, ld.leap, canchi);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(struct args *rest);
	int own_opts;                 /* reads its options itself (a file argument) */
} calendar_cmds[] = {
	{"import", calendar_import, 1},
	{"holidays", calendar_holidays, 0},
	{"due", calendar_due, 0},
	{"lunar", calendar_lunar, 0},
};

static int
cmd_calendar(struct args *a)
{
	const char *sub = a->argc >= 1 ? a->argv[0] : "";
	struct args rest = {a->argc - 1, a->argv + 1};
	static const char *const vals[] = {"--data", "--year", "--from", "--days", "--cutoff", "--date", NULL};
	static const char *const flags[] = {"--same-day", NULL};
	for (size_t k = 0; k < sizeof calendar_cmds / sizeof calendar_cmds[0]; k++) {
		if (strcmp(calendar_cmds[k].name, sub) != 0)
			continue;
		if (!calendar_cmds[k].own_opts && !known_opts(&rest, vals, flags))
			return 2;
		return calendar_cmds[k].fn(&rest);
	}
	if (*sub)
		fprintf(stderr, "motcua calendar: lệnh con không hợp lệ: %s\n", sub);
	fputs(usage, stderr);
	return 2;
}

/* ---- import / export of the catalogue ------------------------------------ */

static int
read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "motcua: không mở được %s\n", path);
		return -1;
	}
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_append(b, chunk, k);
		if (b->len > 64u * 1024 * 1024) {
			fprintf(stderr, "motcua: %s quá lớn\n", path);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return b->oom ? -1 : 0;
}

static int
cmd_import(struct args *a)
{
	if (a->argc < 2 || strcmp(a->argv[0], "procedures") != 0) {
		fprintf(stderr, "motcua import: cách dùng: motcua import procedures --data DIR TỆP\n");
		return 2;
	}
	const char *file = a->argv[a->argc - 1];
	struct args opts = {a->argc - 2, a->argv + 1};
	static const char *const vals[] = {"--data", NULL};
	static const char *const flags[] = {NULL};
	if (!known_opts(&opts, vals, flags))
		return 2;
	const char *dir = opt(&opts, "--data") ? opt(&opts, "--data") : "var";
	struct buf b = BUF_INIT;
	if (read_file(file, &b) != 0) {
		buf_free(&b);
		return 1;
	}
	struct store *st = open_store(dir);
	if (!st) {
		buf_free(&b);
		return 1;
	}
	char detail[512];
	size_t n = 0, changed = 0;
	enum err e = catalog_import(st, "cli", buf_str(&b), b.len, file, &n, &changed, detail, sizeof detail);
	store_close(st);
	buf_free(&b);
	if (e) {
		fprintf(stderr, "motcua: %s: %s — %s. Không nạp thủ tục nào.\n", file, err_message(e), detail);
		return 1;
	}
	printf("Đã đọc %zu thủ tục từ %s; %zu thủ tục mới hoặc thay đổi.\n", n, file, changed);
	return 0;
}

static int
cmd_export(struct args *a)
{
	if (a->argc < 1 || strcmp(a->argv[0], "procedures") != 0) {
		fprintf(stderr, "motcua export: cách dùng: motcua export procedures --data DIR [--format json|csv] [--out TỆP]\n");
		return 2;
	}
	struct args opts = {a->argc - 1, a->argv + 1};
	static const char *const vals[] = {"--data", "--format", "--out", NULL};
	static const char *const flags[] = {NULL};
	if (!known_opts(&opts, vals, flags))
		return 2;
	const char *dir = opt(&opts, "--data") ? opt(&opts, "--data") : "var";
	const char *fmt = opt(&opts, "--format") ? opt(&opts, "--format") : "json";
	if (strcmp(fmt, "json") != 0 && strcmp(fmt, "csv") != 0) {
		fprintf(stderr, "motcua: --format phải là json hoặc csv\n");
		return 2;
	}
	struct store *st = open_store(dir);
	if (!st)
		return 1;
	struct buf b = BUF_INIT;
	enum err e = catalog_export(st, fmt[0] == 'c', &b);
	store_close(st);
	if (e) {
		fprintf(stderr, "motcua: xuất danh mục thất bại: %s\n", err_message(e));
		buf_free(&b);
		return 1;
	}
	const char *outp = opt(&opts, "--out");
	FILE *f = outp ? fopen(outp, "wb") : stdout;
	if (!f || fwrite(b.data ? b.data : "", 1, b.len, f) != b.len || (outp && fclose(f) != 0)) {
		fprintf(stderr, "motcua: không ghi được %s\n", outp ? outp : "stdout");
		buf_free(&b);
		return 1;
	}
	buf_free(&b);
	return 0;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sodium_init() < 0) {
		fprintf(stderr, "motcua: không khởi tạo được libsodium\n");
		return 1;
	}
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	static const struct {
		const char *name;
		int (*run)(struct args *);
	} commands[] = {
		{"serve", cmd_serve},     {"init", cmd_init},         {"user", cmd_user},
		{"check", cmd_check},     {"backup", cmd_backup},     {"calendar", cmd_calendar},
		{"import", cmd_import},   {"export", cmd_export},     {"demo", cmd_demo},
	};
	struct args a = {argc - 2, argv + 2};
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(&a);
	fprintf(stderr, "motcua: lệnh không hợp lệ: %s\n%s", argv[1], usage);
	return 2;
}
