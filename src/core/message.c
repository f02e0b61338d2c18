/*
 * message.c — template filling and the retry schedule (message.h).
 */
#include <assert.h>
#include <string.h>
#include "core/message.h"

/* The placeholder starting at p ("{{name}}"): its name's length and the
 * whole length, or 0 when p starts no placeholder. */
static size_t
placeholder(const char *p, size_t *name_len)
{
	if (p[0] != '{' || p[1] != '{')
		return 0;
	size_t n = 0;
	while (n < MSG_NAME_MAX && ((p[2 + n] >= 'a' && p[2 + n] <= 'z') || p[2 + n] == '_'))
		n++;
	if (n == 0 || p[2 + n] != '}' || p[3 + n] != '}')
		return 0;
	*name_len = n;
	return n + 4;
}

static const char *
lookup(const char *const *vars, const char *name, size_t n)
{
	for (size_t i = 0; vars && vars[i] && vars[i + 1]; i += 2)
		if (strlen(vars[i]) == n && memcmp(vars[i], name, n) == 0)
			return vars[i + 1];
	return "";
}

void
msg_render(struct buf *out, const char *tmpl, const char *const *vars)
{
	assert(out && tmpl);
	const char *p = tmpl;
	while (*p) {
		const char *open = strstr(p, "{{");
		if (!open) {
			buf_puts(out, p);
			return;
		}
		buf_append(out, p, (size_t)(open - p));
		size_t n = 0, all = placeholder(open, &n);
		if (all) {
			buf_puts(out, lookup(vars, open + 2, n));
			p = open + all;
		} else {
			buf_putc(out, '{');
			p = open + 1;
		}
	}
}

int
msg_names_ok(const char *tmpl, const char *const *known, char *bad, size_t badlen)
{
	for (const char *p = strstr(tmpl, "{{"); p; p = strstr(p, "{{")) {
		size_t n = 0, all = placeholder(p, &n);
		if (!all) {   /* not a placeholder: plain text */
			p++;
			continue;
		}
		int found = 0;
		for (size_t i = 0; known && known[i]; i++)
			if (strlen(known[i]) == n && memcmp(known[i], p + 2, n) == 0)
				found = 1;
		if (!found) {
			if (badlen) {
				size_t k = n < badlen - 1 ? n : badlen - 1;
				memcpy(bad, p + 2, k);
				bad[k] = '\0';
			}
			return -1;
		}
		p += all;
	}
	return 0;
}

int64_t
msg_backoff(int attempts, int64_t base, int64_t cap)
{
	assert(base >= 1 && cap >= base);
	int64_t d = base;
	for (int i = 1; i < attempts && d < cap; i++)
		d *= 2;
	return d < cap ? d : cap;
}
