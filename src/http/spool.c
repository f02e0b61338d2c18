/* spool.c — see spool.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "http/spool.h"

int
spool_open(const char *dir)
{
	char path[4096];
	if (snprintf(path, sizeof path, "%s/upload-XXXXXX", dir) >= (int)sizeof path)
		return -1;
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -1;
	unlink(path);   /* nothing to clean up after a crash or an abort */
	return fd;
}

int
spool_write(int fd, const char *data, size_t n)
{
	while (n) {
		ssize_t w = write(fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		data += w;
		n -= (size_t)w;
	}
	return 0;
}

const char *
spool_map(int fd, size_t len, void **map)
{
	*map = NULL;
	if (len == 0)
		return "";
	void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return NULL;
	*map = m;
	return m;
}

void
spool_unmap(void *map, size_t len)
{
	if (map)
		munmap(map, len);
}
