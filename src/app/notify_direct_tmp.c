/*
 * notify_direct_tmp.c — TEMPORARY app_notify_direct until the
 * notification system (issue #13 item 5) merges; the coordinator deletes
 * this file then.  It does what that system's `file` gateway does,
 * synchronously: the message is written as DATA/messages/<n>-<channel>.txt
 * ("To: …", "Subject: …", a blank line, the body), through a temporary
 * file and a rename, so a reader never sees half a message.  Nothing is
 * logged.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "app/notify.h"
#include "core/buf.h"

static pthread_mutex_t seq_lock = PTHREAD_MUTEX_INITIALIZER;
static long long seq_last;

/* The value of key in vars, "" when absent. */
static const char *
var(const char *const *vars, const char *key)
{
	for (size_t i = 0; vars && vars[i] && vars[i + 1]; i += 2)
		if (strcmp(vars[i], key) == 0)
			return vars[i + 1];
	return "";
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

enum err
app_notify_direct(struct app *a, const char *channel, const char *to, const char *tmpl,
                  const char *const *vars, int secret, struct app_fail *f)
{
	(void)secret;
	if (!channel || (strcmp(channel, "sms") != 0 && strcmp(channel, "email") != 0) || !to || !*to ||
	    strpbrk(to, "\r\n") || !tmpl || strcmp(tmpl, "otp") != 0)
		return app_fail(f, ERR_INVALID_FIELD, "channel", "kênh hoặc mẫu tin nhắn không hợp lệ");
	char dir[4096], tmp[4200], path[4200];
	snprintf(dir, sizeof dir, "%s/messages", store_dir(a->st));
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return app_fail(f, ERR_UNAVAILABLE, "", "không gửi được tin nhắn, vui lòng thử lại sau");
	struct buf m = BUF_INIT;
	buf_printf(&m, "To: %s\nSubject: Mã xác nhận\n\nMã xác nhận của bạn là %s. Mã có hiệu lực "
	               "trong 10 phút. Không đưa mã này cho bất kỳ ai, kể cả cán bộ.\n", to, var(vars, "code"));
	if (m.oom) {
		buf_free(&m);
		return ERR_NOMEM;
	}
	struct timeval tv;
	gettimeofday(&tv, NULL);
	pthread_mutex_lock(&seq_lock);
	long long n = (long long)tv.tv_sec * 1000000 + tv.tv_usec;
	if (n <= seq_last)
		n = seq_last + 1;
	seq_last = n;
	pthread_mutex_unlock(&seq_lock);
	snprintf(tmp, sizeof tmp, "%s/.%lld-%s.tmp", dir, n, channel);
	snprintf(path, sizeof path, "%s/%lld-%s.txt", dir, n, channel);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int ok = fd >= 0 && write_all(fd, buf_str(&m), m.len) == 0 && fsync(fd) == 0;
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	ok = ok && rename(tmp, path) == 0;
	if (!ok && fd >= 0)
		unlink(tmp);
	buf_free(&m);
	return ok ? ERR_OK : app_fail(f, ERR_UNAVAILABLE, "", "không gửi được tin nhắn, vui lòng thử lại sau");
}
