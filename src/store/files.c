/*
 * files.c — attachments on disk, named by their content: DIR/files/ab/
 * <sha256>.  A name can never point at other bytes, a file is written
 * once, and the same scan uploaded twice is stored once.  Writes go to a
 * temporary file that is fsync'd and renamed, then the folder is fsync'd,
 * so a crash leaves either the whole file or none.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store/store.h"

static int
hex_ok(const char *sha)
{
	size_t i;
	for (i = 0; sha[i]; i++)
		if (!((sha[i] >= '0' && sha[i] <= '9') || (sha[i] >= 'a' && sha[i] <= 'f')))
			return 0;
	return i == 64;
}

static int
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

enum err
store_file_put(struct store *st, const void *data, size_t len, char sha[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(sha, 65, h, sizeof h);
	char top[4200], sub[4300], path[4400], tmp[4500];
	snprintf(top, sizeof top, "%s/files", store_dir(st));
	snprintf(sub, sizeof sub, "%s/%.2s", top, sha);
	snprintf(path, sizeof path, "%s/%s", sub, sha);
	struct stat sb;
	if (stat(path, &sb) == 0 && (size_t)sb.st_size == len)
		return ERR_OK;
	if ((mkdir(top, 0750) != 0 && errno != EEXIST) || (mkdir(sub, 0750) != 0 && errno != EEXIST))
		return ERR_INTERNAL;
	unsigned char rnd[8];
	char rh[17];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(rh, sizeof rh, rnd, sizeof rnd);
	snprintf(tmp, sizeof tmp, "%s/.tmp-%s", sub, rh);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0)
		return ERR_INTERNAL;
	const unsigned char *p = data;
	size_t left = len;
	while (left) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			unlink(tmp);
			return ERR_INTERNAL;
		}
		p += n;
		left -= (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return ERR_INTERNAL;
	}
	if (fsync_dir(sub) != 0 || fsync_dir(top) != 0)
		return ERR_INTERNAL;
	return ERR_OK;
}

enum err
store_file_get(struct store *st, const char *sha, char **data, size_t *len)
{
	if (!sha || !hex_ok(sha))
		return ERR_NOT_FOUND;
	char path[4400];
	snprintf(path, sizeof path, "%s/files/%.2s/%s", store_dir(st), sha, sha);
	FILE *f = fopen(path, "rb");
	if (!f)
		return ERR_NOT_FOUND;
	struct stat sb;
	if (fstat(fileno(f), &sb) != 0 || sb.st_size < 0) {
		fclose(f);
		return ERR_INTERNAL;
	}
	size_t n = (size_t)sb.st_size;
	char *b = malloc(n + 1);
	if (!b) {
		fclose(f);
		return ERR_NOMEM;
	}
	if (fread(b, 1, n, f) != n) {
		free(b);
		fclose(f);
		return ERR_INTERNAL;
	}
	fclose(f);
	b[n] = 0;
	*data = b;
	*len = n;
	return ERR_OK;
}
