/*
 * spool.h — request bodies kept on disk instead of in memory (internal to
 * src/http).  A multipart upload is written to an anonymous file in the
 * data folder's tmp/ as it arrives and parsed from a read-only mapping at
 * the end, so fifty slow uploads cost disk, not resident memory.
 */
#ifndef MOTCUA_HTTP_SPOOL_H
#define MOTCUA_HTTP_SPOOL_H
#include <stddef.h>

/* A new file in dir, already unlinked (gone when the fd is closed);
 * -1 on failure. */
int spool_open(const char *dir);
/* Appends n bytes; 0 or -1. */
int spool_write(int fd, const char *data, size_t n);
/* Maps the first len bytes read-only; *map gets the mapping (NULL when
 * len is 0: an empty string is returned).  NULL on failure. */
const char *spool_map(int fd, size_t len, void **map);
void spool_unmap(void *map, size_t len);

#endif
