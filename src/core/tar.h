/*
 * tar.h — POSIX ustar archive members, as written by `motcua backup`:
 * one 512-byte header per regular file, its bytes, zero padding to the
 * next 512-byte block, and two zero blocks at the end.  Any tar (GNU,
 * BSD, busybox) reads the result with `tar -xf`.
 */
#ifndef MOTCUA_TAR_H
#define MOTCUA_TAR_H
#include <stddef.h>
#include <stdint.h>

#define TAR_BLOCK 512

/* Fills block with the header of a regular file: name (relative, at
 * most 255 bytes; longer than 100 it is split at a '/' into prefix and
 * name), size in bytes, mode (e.g. 0640) and mtime (Unix seconds).
 * Sizes past the 11 octal digits of ustar (8 GiB) use the base-256 form
 * GNU and BSD tar read.  Returns 0, or -1 if the name does not fit or is
 * not a plain relative path. */
int tar_header(unsigned char block[TAR_BLOCK], const char *name, uint64_t size,
               unsigned mode, int64_t mtime);

/* Zero bytes that follow size bytes of content (0–511). */
size_t tar_padding(uint64_t size);

#endif
