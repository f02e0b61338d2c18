/*
 * message.h — the pure rules of notifications (issue #13 item 5): filling
 * a message template's {{name}} placeholders, checking that a template
 * names only what its message knows, and the retry schedule of the
 * delivery worker.  No I/O, no allocation but the caller's buffer.
 */
#ifndef MOTCUA_CORE_MESSAGE_H
#define MOTCUA_CORE_MESSAGE_H
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"

/* Longest placeholder name ({{appointment}}, {{new_date}}, …). */
#define MSG_NAME_MAX 32

/* Appends tmpl to out with every {{name}} replaced by the value of name
 * in vars (NULL-terminated pairs: key, value, key, value, …, NULL; a NULL
 * vars is an empty list).  A name vars lacks becomes "" (a template is
 * checked with msg_names_ok when it is saved); text that is not a
 * placeholder ("{{", a lone "{", "{{ x }}" with spaces) is copied as it
 * is.  Nothing is escaped: the message is plain text. */
void msg_render(struct buf *out, const char *tmpl, const char *const *vars);

/* 0 when every {{name}} in tmpl is one of known (NULL-terminated names);
 * else -1 with the first unknown name in bad. */
int msg_names_ok(const char *tmpl, const char *const *known, char *bad, size_t badlen);

/* The pause before attempt number `attempts` + 1, after `attempts` (>= 1)
 * failed deliveries: base, doubling each time, never above cap (both in
 * seconds, base >= 1, cap >= base). */
int64_t msg_backoff(int attempts, int64_t base, int64_t cap);

#endif
