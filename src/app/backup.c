/*
 * backup.c — the backup service (backup.h).
 *
 * One backup runs at a time (a second one gets ERR_BACKUP_RUNNING).  The
 * nightly thread sleeps on a monotonic clock at most a minute at a time
 * and reads the wall clock again each time, so a changed system clock is
 * followed.
 */
#include <assert.h>
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
#include "app/backup.h"
#include "core/roles.h"
#include "core/vntime.h"

#define NAME_LEN_HAND 26       /* motcua-YYYYMMDD-HHMMSS.tar */
#define NAME_LEN_NIGHTLY 34    /* motcua-YYYYMMDD-HHMMSS-tu-dong.tar */

struct app_backup {
	struct app *app;
	char dir[1024];
	int at;                    /* minutes after local midnight; -1: no nightly backup */
	int keep;                  /* nightly archives kept */
	pthread_mutex_t lock;      /* guards everything below */
	int running;               /* a backup is being written */
	int64_t last_day;          /* local day number of the last nightly run */
	struct app_backup_result last;
	enum err last_err;
	int64_t last_at;
	int stop;
	pthread_cond_t wake;
	pthread_t thread;
	int has_thread;
};

int
app_backup_name_ok(const char *n)
{
	size_t len = strlen(n);
	if (len != NAME_LEN_HAND && len != NAME_LEN_NIGHTLY)
		return 0;
	if (strncmp(n, "motcua-", 7) != 0 || n[15] != '-')
		return 0;
	for (int i = 7; i < 22; i++)
		if (i != 15 && (n[i] < '0' || n[i] > '9'))
			return 0;
	return strcmp(n + 22, len == NAME_LEN_HAND ? ".tar" : "-tu-dong.tar") == 0;
}

int
app_backup_parse_at(const char *s, int *minutes)
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

static int
is_admin(const struct actor *ac)
{
	return ac && (ac->role & ROLE_ADMIN);
}

/* ---- taking a backup ----------------------------------------------- */

/* Marks the service busy; 0, or -1 when a backup is already running. */
static int
claim(struct app_backup *b)
{
	pthread_mutex_lock(&b->lock);
	int busy = b->running;
	b->running = 1;
	pthread_mutex_unlock(&b->lock);
	return busy ? -1 : 0;
}

static void
release(struct app_backup *b)
{
	pthread_mutex_lock(&b->lock);
	assert(b->running);
	b->running = 0;
	pthread_mutex_unlock(&b->lock);
}

/* Writes the archive to path and records it in the audit chain. */
static enum err
write_archive(struct app *a, const struct actor *ac, const char *path, const char *object,
              int nightly, struct app_backup_result *out)
{
	enum err e = store_backup(a->st, path, &out->info, out->err, sizeof out->err);
	if (e)
		return e;
	char details[400];
	snprintf(details, sizeof details, "{\"files\":%lld,\"bytes\":%lld,\"missing\":%lld,\"nightly\":%s}",
	         (long long)out->info.files, (long long)out->info.bytes, (long long)out->info.missing,
	         nightly ? "true" : "false");
	e = store_audit_record(a->st, ac->name, "backup.create", object, details);
	if (e)
		snprintf(out->err, sizeof out->err, "đã ghi bản sao lưu nhưng không ghi được nhật ký: %s",
		         err_message(e));
	return e;
}

static enum err
take(struct app_backup *b, const struct actor *ac, int nightly, struct app_backup_result *out)
{
	memset(out, 0, sizeof *out);
	if (claim(b) != 0)
		return ERR_BACKUP_RUNNING;
	enum err e = ERR_OK;
	if (mkdir(b->dir, 0750) != 0 && errno != EEXIST) {
		snprintf(out->err, sizeof out->err, "không tạo được thư mục sao lưu %.300s: %s", b->dir,
		         strerror(errno));
		e = ERR_INTERNAL;
	}
	if (!e) {
		struct vn_tm tm;
		vn_local((int64_t)time(NULL), &tm);
		snprintf(out->name, sizeof out->name, "motcua-%04d%02d%02d-%02d%02d%02d%s.tar", tm.year, tm.month,
		         tm.day, tm.hour, tm.minute, tm.second, nightly ? "-tu-dong" : "");
		char path[1200], obj[64];
		snprintf(path, sizeof path, "%s/%s", b->dir, out->name);
		snprintf(obj, sizeof obj, "backup:%s", out->name);
		e = write_archive(b->app, ac, path, obj, nightly, out);
	}
	release(b);
	if (e)
		fprintf(stderr, "motcua: sao lưu thất bại: %s\n", out->err[0] ? out->err : err_message(e));
	return e;
}

enum err
app_backup_take(struct app *a, const struct actor *ac, struct app_backup_result *out)
{
	memset(out, 0, sizeof *out);
	if (!is_admin(ac))
		return ERR_FORBIDDEN;
	if (!a->backup)
		return ERR_UNAVAILABLE;
	return take(a->backup, ac, 0, out);
}

enum err
app_backup_to(struct app *a, const struct actor *ac, const char *path, struct app_backup_result *out)
{
	memset(out, 0, sizeof *out);
	if (!is_admin(ac))
		return ERR_FORBIDDEN;
	char obj[64];
	const char *base = strrchr(path, '/');
	snprintf(obj, sizeof obj, "backup:%.50s", base ? base + 1 : path);
	return write_archive(a, ac, path, obj, 0, out);
}

/* ---- the folder ------------------------------------------------------ */

static int
cmp_desc(const void *x, const void *y)
{
	return strcmp(((const struct app_backup_archive *)y)->name, ((const struct app_backup_archive *)x)->name);
}

/* The archives in dir, newest first (the names sort by time). */
static enum err
list_archives(const char *dir, struct app_backup_archive **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	DIR *d = opendir(dir);
	if (!d)
		return ERR_OK;   /* no folder yet: no archive */
	size_t cap = 0, n = 0;
	struct app_backup_archive *v = NULL;
	struct dirent *de;
	enum err e = ERR_OK;
	while ((de = readdir(d))) {
		if (!app_backup_name_ok(de->d_name))
			continue;
		char path[1200];
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if (n == cap) {
			struct app_backup_archive *nv = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof *v);
			if (!nv) {
				e = ERR_NOMEM;
				break;
			}
			v = nv;
		}
		struct app_backup_archive *r = &v[n++];
		snprintf(r->name, sizeof r->name, "%.39s", de->d_name);
		r->mtime = (int64_t)sb.st_mtime;
		r->bytes = (int64_t)sb.st_size;
		r->nightly = strlen(de->d_name) == NAME_LEN_NIGHTLY;
	}
	closedir(d);
	if (e) {
		free(v);
		return e;
	}
	if (n)
		qsort(v, n, sizeof *v, cmp_desc);
	*out = v;
	*count = n;
	return ERR_OK;
}

/* Deletes the oldest nightly archives beyond keep (hand-made ones stay). */
static void
prune(struct app_backup *b)
{
	struct app_backup_archive *v;
	size_t n;
	if (list_archives(b->dir, &v, &n) != ERR_OK)
		return;
	int kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].nightly || ++kept <= b->keep)
			continue;
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", b->dir, v[i].name);
		if (unlink(path) == 0)
			fprintf(stderr, "motcua: đã xóa bản sao lưu tự động cũ %s\n", v[i].name);
	}
	free(v);
}

enum err
app_backup_status(struct app *a, const struct actor *ac, struct app_backup_status *out)
{
	memset(out, 0, sizeof *out);
	out->free_bytes = -1;
	if (!is_admin(ac))
		return ERR_FORBIDDEN;
	struct app_backup *b = a->backup;
	if (!b)
		return ERR_UNAVAILABLE;
	snprintf(out->dir, sizeof out->dir, "%s", b->dir);
	enum err e = list_archives(b->dir, &out->archives, &out->count);
	if (e)
		return e;
	struct statvfs vfs;
	if (statvfs(b->dir, &vfs) == 0 || statvfs(store_dir(a->st), &vfs) == 0) {
		out->free_bytes = (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
		/* the next archive will be about as large as the newest one */
		out->low_space = out->count && out->free_bytes < 2 * out->archives[0].bytes;
	}
	pthread_mutex_lock(&b->lock);
	out->at = b->at;
	out->keep = b->keep;
	out->running = b->running;
	out->last_at = b->last_at;
	out->last_err = b->last_err;
	out->last_missing = b->last.info.missing;
	snprintf(out->last_name, sizeof out->last_name, "%s", b->last.name);
	snprintf(out->last_msg, sizeof out->last_msg, "%s",
	         b->last_err ? (b->last.err[0] ? b->last.err : err_message(b->last_err)) : b->last.info.first_missing);
	pthread_mutex_unlock(&b->lock);
	return ERR_OK;
}

void
app_backup_status_free(struct app_backup_status *s)
{
	free(s->archives);
	s->archives = NULL;
	s->count = 0;
}

enum err
app_backup_open(struct app *a, const struct actor *ac, const char *name, int *fd, uint64_t *size)
{
	*fd = -1;
	*size = 0;
	if (!is_admin(ac))
		return ERR_FORBIDDEN;
	struct app_backup *b = a->backup;
	if (!b || !name || !app_backup_name_ok(name))
		return ERR_NOT_FOUND;
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", b->dir, name);
	int f = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat sb;
	if (f < 0)
		return ERR_NOT_FOUND;
	if (fstat(f, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(f);
		return ERR_NOT_FOUND;
	}
	char obj[64];
	snprintf(obj, sizeof obj, "backup:%s", name);
	enum err e = store_audit_record(a->st, ac->name, "backup.download", obj, NULL);
	if (e) {
		close(f);
		return e;
	}
	*fd = f;
	*size = (uint64_t)sb.st_size;
	return ERR_OK;
}

/* ---- the nightly thread --------------------------------------------- */

/* Seconds to sleep before looking again (at most a minute). */
static int64_t
nightly_wait(int at, int64_t now)
{
	int64_t secs = vn_seconds(now), minute = secs / 60, wait;
	if (minute < at)
		wait = (at - minute) * 60 - secs % 60;
	else
		wait = 86400 - secs;   /* done today: next look at midnight */
	return wait > 60 ? 60 : wait < 1 ? 1 : wait;
}

/* Takes tonight's archive (lock not held) and records the outcome. */
static void
nightly_run(struct app_backup *b)
{
	struct actor sys;
	app_actor_system(&sys, "system:sao-luu-tu-dong");
	struct app_backup_result r;
	enum err e = take(b, &sys, 1, &r);
	if (!e)
		prune(b);
	pthread_mutex_lock(&b->lock);
	b->last = r;
	b->last_err = e;
	b->last_at = (int64_t)time(NULL);
	pthread_mutex_unlock(&b->lock);
}

static void *
nightly(void *arg)
{
	struct app_backup *b = arg;
	pthread_mutex_lock(&b->lock);
	while (!b->stop) {
		int64_t now = (int64_t)time(NULL);
		int64_t day = vn_day(now), minute = vn_seconds(now) / 60;
		if (minute >= b->at && b->last_day != day) {
			b->last_day = day;
			pthread_mutex_unlock(&b->lock);
			nightly_run(b);
			pthread_mutex_lock(&b->lock);
			continue;
		}
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += nightly_wait(b->at, now);
		pthread_cond_timedwait(&b->wake, &b->lock, &ts);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

int
app_backup_start(struct app *a, const char *dir, int at, int keep, char *err, size_t errlen)
{
	assert(!a->backup && at >= -1 && at < 24 * 60 && keep >= 1);
	struct app_backup *b = calloc(1, sizeof *b);
	if (!b || snprintf(b->dir, sizeof b->dir, "%s", dir) >= (int)sizeof b->dir) {
		free(b);
		snprintf(err, errlen, "thư mục sao lưu không hợp lệ");
		return -1;
	}
	b->app = a;
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
	a->backup = b;
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
app_backup_stop(struct app *a)
{
	struct app_backup *b = a->backup;
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
	a->backup = NULL;
}
