/*
 * backup_svc.c — backups without a terminal: the admin's page
 * /quan-tri/sao-luu (take a backup now, list and download the archives)
 * and the nightly backup the server takes by itself at a set local time,
 * keeping the newest N nightly archives.  Every archive is written by
 * store_backup (one tar: database + attachments + images); taking and
 * downloading one are audit events, since an archive holds every
 * citizen's personal data.
 *
 * One backup runs at a time (a second request gets 409).  The nightly
 * thread sleeps on a monotonic clock at most a minute at a time and reads
 * the wall clock again each time, so a changed system clock is followed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include "web/backup_svc.h"
#include "web/web.h"


struct backup_svc {
	struct web_app *app;
	char dir[1024];
	int at;                    /* minutes after local midnight; -1: no nightly backup */
	int keep;                  /* nightly archives kept */
	pthread_mutex_t lock;      /* guards everything below */
	int running;               /* a backup is being written */
	char last[600];            /* outcome of the last nightly backup */
	int64_t last_day;          /* local day number of the last nightly run */
	int stop;
	pthread_cond_t wake;
	pthread_t thread;
	int has_thread;
};

/* "motcua-20261128-013000.tar" or "…-tu-dong.tar": the only names the
 * page lists, serves or prunes. */
static int
archive_name_ok(const char *n)
{
	size_t len = strlen(n);
	if (len != 26 && len != 34)
		return 0;
	if (strncmp(n, "motcua-", 7) != 0 || n[15] != '-')
		return 0;
	for (int i = 7; i < 22; i++)
		if (i != 15 && (n[i] < '0' || n[i] > '9'))
			return 0;
	return strcmp(n + 22, len == 26 ? ".tar" : "-tu-dong.tar") == 0;
}

int
backup_parse_at(const char *s, int *minutes)
{
	if (strcmp(s, "off") == 0) {
		*minutes = -1;
		return 0;
	}
	if (strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

/* ---- taking a backup ----------------------------------------------- */

struct backup_outcome {
	char name[40];
	struct store_backup_info info;
	char err[512];
};

/* Writes a new archive into the folder; ERR_CONFLICT-like
 * ERR_BACKUP_RUNNING while another is written. */
static enum err
backup_take(struct backup_svc *b, const char *actor, int nightly, struct backup_outcome *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&b->lock);
	if (b->running) {
		pthread_mutex_unlock(&b->lock);
		return ERR_BACKUP_RUNNING;
	}
	b->running = 1;
	pthread_mutex_unlock(&b->lock);

	enum err e = ERR_OK;
	if (mkdir(b->dir, 0750) != 0 && errno != EEXIST) {
		snprintf(out->err, sizeof out->err, "không tạo được thư mục sao lưu %.300s: %s", b->dir, strerror(errno));
		e = ERR_INTERNAL;
	}
	if (!e) {
		struct vn_tm tm;
		vn_local((int64_t)time(NULL), &tm);
		snprintf(out->name, sizeof out->name, "motcua-%04d%02d%02d-%02d%02d%02d%s.tar", tm.year, tm.month,
		         tm.day, tm.hour, tm.minute, tm.second, nightly ? "-tu-dong" : "");
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", b->dir, out->name);
		e = store_backup(b->app->st, path, &out->info, out->err, sizeof out->err);
	}
	if (!e) {
		char details[400];
		snprintf(details, sizeof details,
		         "{\"files\":%lld,\"bytes\":%lld,\"missing\":%lld,\"nightly\":%s}",
		         (long long)out->info.files, (long long)out->info.bytes, (long long)out->info.missing,
		         nightly ? "true" : "false");
		char obj[64];
		snprintf(obj, sizeof obj, "backup:%s", out->name);
		e = store_audit_record(b->app->st, actor, "backup.create", obj, details);
		if (e)
			snprintf(out->err, sizeof out->err, "đã ghi bản sao lưu nhưng không ghi được nhật ký: %s",
			         err_message(e));
	}
	pthread_mutex_lock(&b->lock);
	b->running = 0;
	pthread_mutex_unlock(&b->lock);
	if (e)
		fprintf(stderr, "motcua: sao lưu thất bại: %s\n", out->err);
	return e;
}

static int
cmp_desc(const void *a, const void *b)
{
	return strcmp(*(char *const *)b, *(char *const *)a);
}

/* The archive names in the folder, newest first (the names sort by time);
 * NULL-terminated, malloc'd. */
static char **
list_names(const char *dir, size_t *count)
{
	*count = 0;
	DIR *d = opendir(dir);
	if (!d)
		return calloc(1, sizeof(char *));
	size_t cap = 16, n = 0;
	char **v = malloc(cap * sizeof *v);
	struct dirent *de;
	while (v && (de = readdir(d))) {
		if (!archive_name_ok(de->d_name))
			continue;
		if (n + 1 >= cap) {
			char **nv = realloc(v, (cap *= 2) * sizeof *v);
			if (!nv)
				break;
			v = nv;
		}
		v[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (!v)
		return NULL;
	v[n] = NULL;
	qsort(v, n, sizeof *v, cmp_desc);
	*count = n;
	return v;
}

static void
free_names(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Deletes the oldest nightly archives beyond keep (hand-made ones stay). */
static void
prune(struct backup_svc *b)
{
	size_t n;
	char **v = list_names(b->dir, &n);
	int kept = 0;
	for (size_t i = 0; v && v[i]; i++) {
		if (strlen(v[i]) != 34)
			continue;
		if (++kept <= b->keep)
			continue;
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", b->dir, v[i]);
		if (unlink(path) == 0)
			fprintf(stderr, "motcua: đã xóa bản sao lưu tự động cũ %s\n", v[i]);
	}
	free_names(v);
}

/* ---- the nightly thread --------------------------------------------- */

static void *
nightly(void *arg)
{
	struct backup_svc *b = arg;
	pthread_mutex_lock(&b->lock);
	while (!b->stop) {
		int64_t now = (int64_t)time(NULL);
		int64_t day = vn_day(now), minute = vn_seconds(now) / 60;
		int64_t wait = 60;
		if (minute >= b->at && b->last_day != day) {
			b->last_day = day;
			pthread_mutex_unlock(&b->lock);
			struct backup_outcome o;
			enum err e = backup_take(b, "system:sao-luu-tu-dong", 1, &o);
			if (!e)
				prune(b);
			char msg[600];
			char when[32];
			vn_fmt_datetime(time(NULL), when, sizeof when);
			if (e)
				snprintf(msg, sizeof msg, "%s: thất bại — %s", when, o.err[0] ? o.err : err_message(e));
			else if (o.info.missing)
				snprintf(msg, sizeof msg, "%s: %s, thiếu %lld tệp (%s)", when, o.name,
				         (long long)o.info.missing, o.info.first_missing);
			else
				snprintf(msg, sizeof msg, "%s: %s — đạt", when, o.name);
			pthread_mutex_lock(&b->lock);
			snprintf(b->last, sizeof b->last, "%s", msg);
			continue;
		}
		if (minute < b->at)
			wait = (b->at - minute) * 60 - now % 60;
		else
			wait = 86400 - now % 86400;  /* done today: next check at midnight */
		if (wait > 60)
			wait = 60;
		if (wait < 1)
			wait = 1;
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += wait;
		pthread_cond_timedwait(&b->wake, &b->lock, &ts);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

int
backup_svc_start(struct web_app *app, const char *dir, int at, int keep, char *err, size_t errlen)
{
	struct backup_svc *b = calloc(1, sizeof *b);
	if (!b || snprintf(b->dir, sizeof b->dir, "%s", dir) >= (int)sizeof b->dir) {
		free(b);
		snprintf(err, errlen, "thư mục sao lưu không hợp lệ");
		return -1;
	}
	b->app = app;
	b->at = at;
	b->keep = keep;
	pthread_mutex_init(&b->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->wake, &ca);
	pthread_condattr_destroy(&ca);
	/* A server started after today's time does not back up at once. */
	int64_t now = (int64_t)time(NULL);
	b->last_day = vn_seconds(now) / 60 > at ? vn_day(now) : -1;
	app->backup = b;
	if (at >= 0) {
		if (pthread_create(&b->thread, NULL, nightly, b) != 0) {
			snprintf(err, errlen, "không khởi động được luồng sao lưu tự động");
			return -1;
		}
		b->has_thread = 1;
	}
	return 0;
}

void
backup_svc_stop(struct web_app *app)
{
	struct backup_svc *b = app->backup;
	if (!b)
		return;
	pthread_mutex_lock(&b->lock);
	b->stop = 1;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
	if (b->has_thread)
		pthread_join(b->thread, NULL);
	pthread_cond_destroy(&b->wake);
	pthread_mutex_destroy(&b->lock);
	free(b);
	app->backup = NULL;
}

/* ---- pages ---------------------------------------------------------- */

static enum err
backup_page(struct http_req *req, struct http_resp *resp, int status, json_t *flash)
{
	struct backup_svc *b = ((struct web_app *)req->app)->backup;
	if (!b) {
		json_decref(flash);
		return ERR_UNAVAILABLE;
	}
	json_t *d = web_page_data(req, resp, "Sao lưu dữ liệu");
	if (!d) {
		json_decref(flash);
		return ERR_NOMEM;
	}
	json_t *items = json_array();
	size_t n;
	char **v = list_names(b->dir, &n);
	double newest = 0;   /* bytes of the newest archive */
	for (size_t i = 0; v && v[i]; i++) {
		char path[1200], when[32], size[32];
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", b->dir, v[i]);
		if (stat(path, &sb) != 0)
			continue;
		if (newest == 0)
			newest = (double)sb.st_size;
		vn_fmt_datetime((int64_t)sb.st_mtime, when, sizeof when);
		if (sb.st_size >= 1000000)
			snprintf(size, sizeof size, "%.1f MB", (double)sb.st_size / 1e6);
		else
			snprintf(size, sizeof size, "%.0f kB", (double)sb.st_size / 1e3 + 0.5);
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:b}", "name", v[i], "at", when, "size", size,
		                                       "nightly", strlen(v[i]) == 34));
	}
	free_names(v);
	json_object_set_new(d, "archives", items);
	json_object_set_new(d, "count", json_integer((json_int_t)json_array_size(items)));
	json_object_set_new(d, "dir", json_string(b->dir));
	struct statvfs vfs;
	if (statvfs(b->dir, &vfs) == 0 || statvfs(store_dir(((struct web_app *)req->app)->st), &vfs) == 0) {
		char free_s[32];
		double avail = (double)vfs.f_bavail * (double)vfs.f_frsize;
		snprintf(free_s, sizeof free_s, "%.1f GB", avail / 1e9);
		json_object_set_new(d, "free", json_string(free_s));
		/* the next archive will be about as large as the newest one */
		if (newest > 0 && avail < 2 * newest)
			json_object_set_new(d, "low_space", json_true());
	}
	pthread_mutex_lock(&b->lock);
	if (b->at >= 0) {
		char at[16];
		snprintf(at, sizeof at, "%02d:%02d", (b->at / 60) % 24, b->at % 60);
		json_object_set_new(d, "schedule", json_pack("{s:s,s:i}", "at", at, "keep", b->keep));
	}
	if (b->last[0])
		json_object_set_new(d, "last", json_string(b->last));
	json_object_set_new(d, "running", json_boolean(b->running));
	pthread_mutex_unlock(&b->lock);
	if (flash)
		json_object_set_new(d, "flash", flash);
	enum err e = web_render(req, resp, "admin_backup", d);
	if (!e)
		resp->status = status;
	return e;
}

enum err
admin_backup(struct http_req *req, struct http_resp *resp)
{
	const char *ok = form_get(&req->query, "ok");
	json_t *flash = NULL;
	if (ok && archive_name_ok(ok)) {
		char msg[200];
		snprintf(msg, sizeof msg, "Đã sao lưu vào tệp %s. Hãy tải về và cất ở nơi khác (ổ đĩa khác, máy chủ của tỉnh).", ok);
		flash = json_pack("{s:s,s:s}", "kind", "ok", "message", msg);
	}
	return backup_page(req, resp, 200, flash);
}

enum err
admin_backup_create(struct http_req *req, struct http_resp *resp)
{
	struct backup_svc *b = ((struct web_app *)req->app)->backup;
	if (!b)
		return ERR_UNAVAILABLE;
	char actor[96];
	web_actor(req, actor, sizeof actor);
	struct backup_outcome o;
	enum err e = backup_take(b, actor, 0, &o);
	if (e == ERR_BACKUP_RUNNING)
		return backup_page(req, resp, 409, json_pack("{s:s,s:s}", "kind", "error", "message", err_message(e)));
	if (e) {
		char msg[700];
		snprintf(msg, sizeof msg, "Sao lưu thất bại: %s", o.err[0] ? o.err : err_message(e));
		return backup_page(req, resp, err_status(e), json_pack("{s:s,s:s}", "kind", "error", "message", msg));
	}
	if (o.info.missing) {
		char msg[700];
		snprintf(msg, sizeof msg,
		         "Đã sao lưu vào tệp %s, nhưng %lld tệp đính kèm hoặc ảnh bị thiếu hay hỏng nên không có trong "
		         "bản sao lưu (đầu tiên: %s). Hãy báo cán bộ kỹ thuật chạy motcua check.",
		         o.name, (long long)o.info.missing, o.info.first_missing);
		return backup_page(req, resp, 200, json_pack("{s:s,s:s}", "kind", "error", "message", msg));
	}
	char loc[96];
	snprintf(loc, sizeof loc, "/quan-tri/sao-luu?ok=%s", o.name);
	http_redirect(resp, loc);
	return ERR_OK;
}

enum err
admin_backup_download(struct http_req *req, struct http_resp *resp)
{
	struct backup_svc *b = ((struct web_app *)req->app)->backup;
	const char *name = http_param(req, 0);
	if (!b || !name || !archive_name_ok(name))
		return ERR_NOT_FOUND;
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", b->dir, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0)
		return ERR_NOT_FOUND;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return ERR_NOT_FOUND;
	}
	char actor[96], obj[64];
	web_actor(req, actor, sizeof actor);
	snprintf(obj, sizeof obj, "backup:%s", name);
	enum err e = store_audit_record(b->app->st, actor, "backup.download", obj, NULL);
	if (e) {
		close(fd);
		return e;
	}
	resp->content_type = "application/x-tar";
	char disp[120];
	snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", name);
	http_resp_header(resp, "Content-Disposition", disp);
	http_send_file(resp, fd, (uint64_t)sb.st_size);
	return ERR_OK;
}
