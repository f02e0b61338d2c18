/*
 * buf.h — a growable byte buffer, always NUL-terminated.
 *
 * The one string builder of motcua: templates render into it, JSON and
 * CSV are written into it, HTTP bodies are collected in it.  A buffer
 * whose allocation failed stays "failed" (oom flag) and ignores further
 * appends, so callers check once at the end instead of after every call.
 */
#ifndef MOTCUA_BUF_H
#define MOTCUA_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;   /* NUL-terminated; NULL until the first append */
	size_t len;   /* bytes used, not counting the NUL */
	size_t cap;   /* bytes allocated */
	int oom;      /* set when an allocation failed; appends are then no-ops */
};

#define BUF_INIT {NULL, 0, 0, 0}

void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);
/* Hands the data to the caller (who frees it) and empties the buffer.
 * Never returns NULL unless the buffer is in the oom state. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);
/* The contents as a C string ("" for an empty buffer). */
const char *buf_str(const struct buf *b);

#endif
