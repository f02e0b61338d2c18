/*
 * files.h — the content-addressed file store's internals, shared by the
 * store's backends (backup, check, news images).  Nothing outside
 * src/store includes this; callers use store_file_put / store_file_get.
 *
 * Layout: DIR/files/ab/<sha256>, where ab are the hash's first two hex
 * digits.  Dossier attachments and news images share it.  Data folders
 * from before issue #11 keep news images at DIR/anh/<sha256>.<ext>; those
 * are read where they are (never moved: `check` must not write), and an
 * image uploaded again lands in files/.
 */
#ifndef MOTCUA_STORE_FILES_H
#define MOTCUA_STORE_FILES_H
#include <stddef.h>
#include "core/errors.h"

/* 1 when sha is exactly 64 lowercase hex digits. */
int files_hex_ok(const char *sha);

/* The path below dir of the file with this hash: "files/ab/<sha>" when
 * it is there, else legacy (a path below dir, e.g. "anh/<sha>.png") when
 * that is given and present, else "files/ab/<sha>" (the file is missing).
 * Returns 0, or -1 when rel is too small. */
int files_locate(const char *dir, const char *sha, const char *legacy, char *rel, size_t n);

/* Writes data to path through a temporary file in the same folder:
 * write, fsync, rename, fsync the folder.  Returns 0 or -1 (errno). */
int files_write_atomic(const char *folder, const char *path, const void *data, size_t len);

/* Reads DIR/rel whole into *data (malloc'd, NUL-terminated; the caller
 * frees): ERR_NOT_FOUND when absent, not a regular file, a symbolic link
 * or larger than max bytes. */
enum err files_read(const char *dir, const char *rel, size_t max, char **data, size_t *len);

#endif
