/*
 * backup.c — `motcua backup` and the file half of `motcua check`.
 *
 * A backup is one tar archive that is itself a data folder: motcua.db
 * (SQLite's online backup of the live database, taken while the server
 * writes), then every file that copy refers to — dossier and case attachments and
 * news images, in the one file store (files/ab/<sha256>; images of older
 * folders may still be at anh/<sha256>.<ext> and are archived there).
 * The audit key (audit.key) is never archived: it is kept apart, so that
 * whoever holds an archive cannot rewrite its log (docs/OPERATIONS.md).  Files are
 * named by their SHA-256 and written before the row that names them is
 * committed, so every file the copy refers to is on disk; each one is
 * checked against its hash as it is archived and a missing or damaged
 * file is left out and reported, never archived as if it were good.
 * The archive is written to a temporary name, fsync'd, and linked into
 * place, so a crash leaves either the whole archive or none, and an
 * existing file is never overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "core/tar.h"
#include "store/files.h"
#include "store/sqlite/db.h"

/* Every file the database refers to, once per content: its SHA-256 and,
 * for a news image of an older data folder, where it may still lie
 * (anh/<sha256>.<ext>; store/files.h). */
#define SQL_REFERENCED_FILES                                                                  \
	"SELECT sha256, max(legacy) FROM (SELECT sha256, NULL AS legacy FROM dossier_attachments" \
	" UNION ALL SELECT sha256, NULL FROM case_files"                                        \
	" UNION ALL SELECT sha256, 'anh/' || sha256 || '.' || ext FROM news_images)"            \
	" GROUP BY sha256 ORDER BY sha256"

typedef int (*ref_fn)(const char *rel, const char *sha, void *arg);

/* Calls fn for each referenced file of db with its path below dir;
 * stops when fn returns non-zero.  Returns a SQLite result code. */
static int
each_reference(sqlite3 *db, const char *dir, ref_fn fn, void *arg)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db, SQL_REFERENCED_FILES, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *sha = db_col_str(s, 0);
		char rel[160];
		if (!files_hex_ok(sha) || files_locate(dir, sha, db_col_str(s, 1), rel, sizeof rel) != 0)
			snprintf(rel, sizeof rel, "files/?/%.64s", sha);   /* a tampered row: reported missing */
		if (fn(rel, sha, arg))
			break;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Reads DIR/rel whole and checks it against sha.  Returns NULL with
 * *why set ("thiếu tệp", "mã băm không khớp", …) when it cannot be used. */
static unsigned char *
read_verified(const char *dir, const char *rel, const char *sha, size_t *len, const char **why)
{
	char path[PATH_MAX];
	*why = "đường dẫn quá dài";
	if (snprintf(path, sizeof path, "%s/%s", dir, rel) >= (int)sizeof path)
		return NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	*why = "thiếu tệp";
	if (fd < 0)
		return NULL;
	struct stat sb;
	unsigned char *b = NULL;
	*why = "không đọc được tệp";
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || !(b = malloc((size_t)sb.st_size + 1))) {
		close(fd);
		return NULL;
	}
	size_t n = 0;
	while (n < (size_t)sb.st_size) {
		ssize_t k = read(fd, b + n, (size_t)sb.st_size - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	if (n != (size_t)sb.st_size) {
		free(b);
		return NULL;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(h, b, n);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (strcmp(hex, sha) != 0) {
		*why = "nội dung không khớp mã băm (tệp bị hỏng hoặc bị sửa)";
		free(b);
		return NULL;
	}
	*len = n;
	*why = NULL;
	return b;
}

/* ---- the archive ----------------------------------------------------- */

struct archive {
	int fd;
	uint64_t bytes;
	int failed;                /* a write failed: errno in err */
	int err;
};

static void
ar_write(struct archive *a, const void *p, size_t n)
{
	const unsigned char *c = p;
	while (!a->failed && n) {
		ssize_t k = write(a->fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			a->failed = 1;
			a->err = k < 0 ? errno : ENOSPC;
			return;
		}
		c += k;
		n -= (size_t)k;
		a->bytes += (uint64_t)k;
	}
}

static void
ar_pad(struct archive *a, uint64_t size)
{
	static const unsigned char zero[TAR_BLOCK];
	ar_write(a, zero, tar_padding(size));
}

static int
ar_member(struct archive *a, const char *name, const void *data, size_t len, int64_t now)
{
	unsigned char h[TAR_BLOCK];
	if (tar_header(h, name, len, 0640, now) != 0)
		return -1;
	ar_write(a, h, sizeof h);
	ar_write(a, data, len);
	ar_pad(a, len);
	return a->failed ? -1 : 0;
}

/* Streams the file at path into the archive as name. */
static int
ar_member_file(struct archive *a, const char *name, const char *path, int64_t now)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	unsigned char h[TAR_BLOCK], buf[65536];
	if (tar_header(h, name, (uint64_t)sb.st_size, 0640, now) != 0) {
		close(fd);
		return -1;
	}
	ar_write(a, h, sizeof h);
	uint64_t left = (uint64_t)sb.st_size;
	while (!a->failed && left) {
		ssize_t k = read(fd, buf, left < sizeof buf ? (size_t)left : sizeof buf);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		ar_write(a, buf, (size_t)k);
		left -= (uint64_t)k;
	}
	close(fd);
	if (left)
		return -1;
	ar_pad(a, (uint64_t)sb.st_size);
	return a->failed ? -1 : 0;
}

struct add_ctx {
	struct archive *ar;
	const char *dir;
	int64_t now;
	struct store_backup_info *info;
};

static int
add_reference(const char *rel, const char *sha, void *arg)
{
	struct add_ctx *x = arg;
	size_t len = 0;
	const char *why;
	unsigned char *data = read_verified(x->dir, rel, sha, &len, &why);
	if (!data) {
		if (x->info->missing++ == 0)
			snprintf(x->info->first_missing, sizeof x->info->first_missing, "%s: %s", rel, why);
		return 0;
	}
	int rc = ar_member(x->ar, rel, data, len, x->now);
	free(data);
	if (rc == 0)
		x->info->files++;
	return x->ar->failed;
}

/* ---- the database copy ------------------------------------------------- */

static enum err
copy_database(struct conn *c, const char *path, char *err, size_t errlen)
{
	sqlite3 *dst = NULL;
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "không tạo được %s", path);
		sqlite3_close_v2(dst);
		return ERR_INTERNAL;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", db_handle(c), "main");
	int rc = SQLITE_ERROR;
	if (b) {
		/* Copy in steps so writers are not held off for long; a write
		 * between steps restarts the copy from the source, which the
		 * backup API does by itself. */
		do {
			rc = sqlite3_backup_step(b, 256);
			if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
				sqlite3_sleep(20);
		} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
		sqlite3_backup_finish(b);
	}
	/* The copy is a plain rollback-journal file, ready to be restored. */
	if (rc == SQLITE_DONE)
		rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE; PRAGMA integrity_check;", NULL, NULL, NULL);
	int crc = sqlite3_close(dst);
	if (rc != SQLITE_OK || crc != SQLITE_OK) {
		snprintf(err, errlen, "sao chép cơ sở dữ liệu thất bại: %s", sqlite3_errstr(rc));
		return ERR_INTERNAL;
	}
	return ERR_OK;
}

static void
fsync_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Writes the archive: the database copy dbtmp, every file the copy
 * names (not the live database: the two agree), then the end blocks,
 * and syncs it. */
static enum err
archive_fill(struct store *st, struct archive *ar, const char *dbtmp,
             struct store_backup_info *info, char *err, size_t errlen)
{
	int64_t now = (int64_t)time(NULL);
	if (ar_member_file(ar, "motcua.db", dbtmp, now) != 0) {
		snprintf(err, errlen, "ghi tệp sao lưu thất bại: %s", strerror(ar->failed ? ar->err : EIO));
		return ERR_INTERNAL;
	}
	sqlite3 *copy = NULL;
	int rc = sqlite3_open_v2(dbtmp, &copy, SQLITE_OPEN_READONLY, NULL);
	struct add_ctx x = {.ar = ar, .dir = store_dir(st), .now = now, .info = info};
	if (rc == SQLITE_OK)
		rc = each_reference(copy, store_dir(st), add_reference, &x);
	sqlite3_close(copy);
	static const unsigned char end[2 * TAR_BLOCK];
	ar_write(ar, end, sizeof end);
	if (rc == SQLITE_OK && !ar->failed && fsync(ar->fd) == 0)
		return ERR_OK;
	if (ar->failed)
		snprintf(err, errlen, "ghi tệp sao lưu thất bại: %s", strerror(ar->err));
	else
		snprintf(err, errlen, "đọc bản sao cơ sở dữ liệu thất bại: %s", sqlite3_errstr(rc));
	return ERR_INTERNAL;
}

/* Gives the finished archive artmp its name.  link() never replaces: a
 * file that appeared at path meanwhile stays. */
static enum err
archive_publish(const char *artmp, const char *path, char *err, size_t errlen)
{
	if (link(artmp, path) == 0)
		return ERR_OK;
	if (errno == EEXIST) {
		snprintf(err, errlen, "tệp %s đã tồn tại; chọn tên khác", path);
		return ERR_EXISTS;
	}
	snprintf(err, errlen, "không đặt được tên %s: %s", path, strerror(errno));
	return ERR_INTERNAL;
}

enum err
store_backup(struct store *st, const char *path, struct store_backup_info *info, char *err, size_t errlen)
{
	memset(info, 0, sizeof *info);
	struct conn *c = db_conn(st);
	if (!c) {
		snprintf(err, errlen, "không mở được cơ sở dữ liệu");
		return ERR_UNAVAILABLE;
	}
	struct stat sb;
	if (stat(path, &sb) == 0) {
		snprintf(err, errlen, "tệp %s đã tồn tại; chọn tên khác", path);
		return ERR_EXISTS;
	}
	char dbtmp[PATH_MAX], artmp[PATH_MAX];
	if (snprintf(dbtmp, sizeof dbtmp, "%s.db-XXXXXX", path) >= (int)sizeof dbtmp ||
	    snprintf(artmp, sizeof artmp, "%s.tmp-XXXXXX", path) >= (int)sizeof artmp) {
		snprintf(err, errlen, "đường dẫn quá dài: %s", path);
		return ERR_INVALID_FIELD;
	}
	int dfd = mkstemp(dbtmp);
	if (dfd < 0) {
		snprintf(err, errlen, "không tạo được tệp trong thư mục của %s: %s", path, strerror(errno));
		return ERR_INTERNAL;
	}
	close(dfd);
	enum err e = copy_database(c, dbtmp, err, errlen);
	if (e) {
		unlink(dbtmp);
		return e;
	}

	struct archive ar = {.fd = mkstemp(artmp)};
	if (ar.fd < 0) {
		snprintf(err, errlen, "không tạo được tệp trong thư mục của %s: %s", path, strerror(errno));
		unlink(dbtmp);
		return ERR_INTERNAL;
	}
	fchmod(ar.fd, 0640);
	e = archive_fill(st, &ar, dbtmp, info, err, errlen);
	if (close(ar.fd) != 0 && !e) {
		snprintf(err, errlen, "ghi tệp sao lưu thất bại: %s", strerror(errno));
		e = ERR_INTERNAL;
	}
	unlink(dbtmp);
	if (!e)
		e = archive_publish(artmp, path, err, errlen);
	unlink(artmp);
	if (!e) {
		fsync_parent(path);
		info->bytes = (int64_t)ar.bytes;
	}
	return e;
}

/* ---- motcua check: the files --------------------------------------- */

struct check_ctx {
	const char *dir;
	struct store_check *out;
};

static int
check_reference(const char *rel, const char *sha, void *arg)
{
	struct check_ctx *x = arg;
	size_t len;
	const char *why;
	unsigned char *data = read_verified(x->dir, rel, sha, &len, &why);
	if (data) {
		free(data);
		x->out->files++;
	} else if (x->out->files_bad++ == 0) {
		snprintf(x->out->file_bad, sizeof x->out->file_bad, "%s: %s", rel, why);
	}
	return 0;
}

enum err
db_check_files(struct conn *c, struct store_check *out)
{
	struct check_ctx x = {.dir = store_dir(db_store(c)), .out = out};
	int rc = each_reference(db_handle(c), x.dir, check_reference, &x);
	return rc == SQLITE_OK ? ERR_OK : db_err(rc);
}
