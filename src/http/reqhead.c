/* reqhead.c — see reqhead.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "http/reqhead.h"

size_t
reqhead_query_args(const char *target)
{
	const char *q = strchr(target, '?');
	if (!q || !q[1])
		return 0;
	size_t n = 1;
	for (q++; *q && *q != '#'; q++)
		n += *q == '&';
	return n;
}

struct framing {
	int ncl;
	int te;
	const char *cl;
};

static enum MHD_Result
framing_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct framing *f = cls;
	(void)kind;
	if (!key)
		return MHD_YES;
	if (strcasecmp(key, "Content-Length") == 0) {
		f->ncl++;
		f->cl = value ? value : "";
	} else if (strcasecmp(key, "Transfer-Encoding") == 0) {
		f->te = 1;
	}
	return MHD_YES;
}

enum err
reqhead_framing(struct MHD_Connection *c, long long *cl, int *chunked)
{
	struct framing f = {0, 0, NULL};
	MHD_get_connection_values(c, MHD_HEADER_KIND, framing_header, &f);
	*cl = -1;
	*chunked = f.te;
	if (f.ncl > 1 || (f.ncl && f.te))
		return ERR_BAD_REQUEST;
	if (!f.cl)
		return ERR_OK;
	char *end;
	errno = 0;
	if (*f.cl < '0' || *f.cl > '9')
		return ERR_BAD_REQUEST;
	unsigned long long n = strtoull(f.cl, &end, 10);
	if (errno || *end || n > (unsigned long long)1 << 62)
		return ERR_BAD_REQUEST;
	*cl = (long long)n;
	return ERR_OK;
}

int
reqhead_path_canonical(const char *path)
{
	size_t n = strlen(path);
	if (strstr(path, "//"))
		return 0;
	return n <= 1 || path[n - 1] != '/';
}

static void
put_escaped(struct buf *out, unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		buf_printf(out, "%%%02X", c);
	else
		buf_putc(out, (char)c);
}

void
reqhead_canonical_target(const char *target, struct buf *out)
{
	size_t start = out->len;
	const char *p = target;
	for (; *p && *p != '?' && *p != '#'; p++) {
		if (*p == '/' && out->len > start && out->data[out->len - 1] == '/')
			continue;
		put_escaped(out, (unsigned char)*p);
	}
	if (out->len > start + 1 && out->data[out->len - 1] == '/')
		out->data[--out->len] = '\0';
	if (out->len == start)
		buf_putc(out, '/');
	for (; *p && *p != '#'; p++)
		put_escaped(out, (unsigned char)*p);
}

int
reqhead_forwarded_for(const char *xff, char *client, size_t n)
{
	if (!xff)
		return -1;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ' || *last == '\t')
		last++;
	size_t len = strcspn(last, " \t");
	char ip[64];
	if (len == 0 || len >= sizeof ip || len >= n || last[len] != '\0')
		return -1;
	memcpy(ip, last, len);
	ip[len] = '\0';
	unsigned char bin[16];
	if (inet_pton(AF_INET, ip, bin) != 1 && inet_pton(AF_INET6, ip, bin) != 1)
		return -1;
	memcpy(client, ip, len + 1);
	return 0;
}

void
reqhead_log_escape(struct buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			buf_printf(out, "\\x%02X", *p);
		else
			buf_putc(out, (char)*p);
	}
}
