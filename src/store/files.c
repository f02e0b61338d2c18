/*
 * files.c — the one content-addressed file store: dossier attachments and
 * news images, DIR/files/ab/<sha256>.  A name can never point at other
 * bytes, a file is written once, and the same scan uploaded twice is
 * stored once.  Writes go to a temporary file that is fsync'd and
 * renamed, then the folder is fsync'd, so a crash leaves either the whole
 * file or none.  Callers store the file *before* the transaction that
 * records it, never inside one: a rolled-back record leaves an unreferenced
 * file (harmless, never archived), while a file written inside a
 * transaction would hold the write lock for a disk flush.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store/files.h"
#include "store/store.h"

int
files_hex_ok(const char *sha)
{
	size_t i;
	for (i = 0; sha[i]; i++)
		if (!((sha[i] >= '0' && sha[i] <= '9') || (sha[i] >= 'a' && sha[i] <= 'f')))
			return 0;
	return i == 64;
}

int
files_locate(const char *dir, const char *sha, const char *legacy, char *rel, size_t n)
{
	char path[PATH_MAX];
	struct stat sb;
	if (snprintf(rel, n, "files/%.2s/%s", sha, sha) >= (int)n)
		return -1;
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	if (stat(path, &sb) == 0 || !legacy || !*legacy)
		return 0;
	snprintf(path, sizeof path, "%s/%s", dir, legacy);
	if (stat(path, &sb) == 0 && snprintf(rel, n, "%s", legacy) >= (int)n)
		return -1;
	return 0;
}

static int
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

static int
write_all(int fd, const unsigned char *p, size_t n)
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

int
files_write_atomic(const char *folder, const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX];
	unsigned char rnd[8];
	char rh[17];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(rh, sizeof rh, rnd, sizeof rnd);
	if (snprintf(tmp, sizeof tmp, "%s/.tmp-%s", folder, rh) >= (int)sizeof tmp)
		return -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return fsync_dir(folder);
}

/* Is the file at path exactly these bytes?  (A damaged copy of the same
 * size must be replaced, not kept.) */
static int
same_bytes(const char *path, const unsigned char want[crypto_hash_sha256_BYTES], size_t len)
{
	char *b = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	int ok = (b = malloc(len ? len : 1)) && fread(b, 1, len, f) == len && fgetc(f) == EOF;
	fclose(f);
	unsigned char h[crypto_hash_sha256_BYTES];
	if (ok) {
		crypto_hash_sha256(h, (const unsigned char *)b, len);
		ok = sodium_memcmp(h, want, sizeof h) == 0;
	}
	free(b);
	return ok;
}

enum err
store_file_put(struct store *st, const void *data, size_t len, char sha[65])
{
	assert(st && (data || !len) && sha);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(sha, 65, h, sizeof h);
	char top[PATH_MAX], sub[PATH_MAX + 8], path[PATH_MAX + 80];
	if (snprintf(top, sizeof top, "%s/files", store_dir(st)) >= (int)sizeof top)
		return ERR_INTERNAL;
	snprintf(sub, sizeof sub, "%s/%.2s", top, sha);
	snprintf(path, sizeof path, "%s/%s", sub, sha);
	struct stat sb;
	if (stat(path, &sb) == 0 && (size_t)sb.st_size == len && same_bytes(path, h, len))
		return ERR_OK;
	int made_sub = 0;
	if (mkdir(top, 0750) != 0 && errno != EEXIST)
		return ERR_INTERNAL;
	if (mkdir(sub, 0750) == 0)
		made_sub = 1;
	else if (errno != EEXIST)
		return ERR_INTERNAL;
	if (files_write_atomic(sub, path, data, len) != 0)
		return ERR_INTERNAL;
	/* a new sub-folder's own entry must reach the disk too */
	if (made_sub && fsync_dir(top) != 0)
		return ERR_INTERNAL;
	return ERR_OK;
}

enum err
files_read(const char *dir, const char *rel, size_t max, char **data, size_t *len)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/%s", dir, rel) >= (int)sizeof path)
		return ERR_NOT_FOUND;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? ERR_NOT_FOUND : ERR_INTERNAL;
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > max) {
		close(fd);
		return ERR_NOT_FOUND;
	}
	size_t n = (size_t)sb.st_size, got = 0;
	char *b = malloc(n + 1);
	if (!b) {
		close(fd);
		return ERR_NOMEM;
	}
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != n) {
		free(b);
		return ERR_INTERNAL;
	}
	b[n] = 0;
	*data = b;
	*len = n;
	return ERR_OK;
}

enum err
store_file_get(struct store *st, const char *sha, char **data, size_t *len)
{
	if (!sha || !files_hex_ok(sha))
		return ERR_NOT_FOUND;
	char rel[128];
	snprintf(rel, sizeof rel, "files/%.2s/%s", sha, sha);
	return files_read(store_dir(st), rel, SIZE_MAX / 2, data, len);
}
