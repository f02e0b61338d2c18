/*
 * router.c — linear match over the route table.  The table is small
 * (tens of routes) and ordered by the caller; a linear scan over segment
 * comparisons costs well under a microsecond and keeps the table plain
 * data that tests (the role matrix) can walk.
 */
#include <string.h>
#include "core/text.h"
#include "http/form.h"
#include "http/router.h"

#define MAX_SEGS 16

/* Splits buf (a copy of the path) into segments in place. */
static size_t
split(char *buf, char **segs)
{
	size_t n = 0;
	char *p = buf;
	while (*p) {
		while (*p == '/')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == MAX_SEGS)
			return MAX_SEGS + 1;
		segs[n++] = p;
		while (*p && *p != '/')
			p++;
	}
	return n;
}

/* Does pattern match segs?  Fills params with the {x} values. */
static int
match_pattern(const char *pattern, char **segs, size_t nsegs,
              const char **params, size_t *nparams)
{
	size_t i = 0, np = 0;
	const char *p = pattern;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (i >= nsegs)
			return 0;
		if (p[0] == '{') {
			if (np == HTTP_MAX_PARAMS)
				return 0;
			params[np++] = segs[i];
		} else if (strlen(segs[i]) != len || memcmp(segs[i], p, len) != 0) {
			return 0;
		}
		i++;
		p += len;
	}
	if (i != nsegs)
		return 0;
	*nparams = np;
	return 1;
}

enum route_match
router_match(const struct http_route *routes, size_t n, const char *method,
             const char *path, char *pathbuf, size_t pathbuf_len,
             const struct http_route **out, const char **params, size_t *nparams)
{
	size_t len = strlen(path);
	if (len >= pathbuf_len)
		return ROUTE_NO_PATH;
	memcpy(pathbuf, path, len + 1);
	char *segs[MAX_SEGS];
	size_t nsegs = split(pathbuf, segs);
	if (nsegs > MAX_SEGS)
		return ROUTE_NO_PATH;
	int path_seen = 0;
	int is_head = strcmp(method, "HEAD") == 0;
	for (size_t i = 0; i < n; i++) {
		/* the common miss, without a call: another first letter */
		const char *p = routes[i].pattern;
		while (*p == '/')
			p++;
		if (nsegs && *p && *p != '{' && *p != segs[0][0])
			continue;
		const char *tmp[HTTP_MAX_PARAMS];
		size_t ntmp = 0;
		if (!match_pattern(routes[i].pattern, segs, nsegs, tmp, &ntmp))
			continue;
		path_seen = 1;
		if (strcmp(routes[i].method, method) != 0 &&
		    !(is_head && strcmp(routes[i].method, "GET") == 0))
			continue;
		*out = &routes[i];
		memcpy(params, tmp, ntmp * sizeof *tmp);
		*nparams = ntmp;
		return ROUTE_FOUND;
	}
	return path_seen ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
}

enum err
router_decode_path(const char *target, char *out, size_t outlen, const char **query)
{
	size_t o = 0;
	const char *p = target;
	*query = NULL;
	if (!outlen || *p != '/')
		return ERR_BAD_REQUEST;
	for (; *p && *p != '?' && *p != '#'; p++) {
		int c = (unsigned char)*p;
		if (c == '%') {
			int h = form_hexval(p[1]), l = h < 0 ? -1 : form_hexval(p[2]);
			if (l < 0)
				return ERR_BAD_REQUEST;
			c = h * 16 + l;
			p += 2;
			if (c == 0)
				return ERR_BAD_REQUEST;
		}
		if (o + 1 >= outlen)
			return ERR_BAD_REQUEST;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	if (*p == '?') {
		*query = p + 1;
	}
	if (!text_utf8_valid(out, o))
		return ERR_BAD_UTF8;
	return ERR_OK;
}

/* Leading literal segments that pattern and path share. */
static size_t
shared_prefix(const char *pattern, const char *path)
{
	size_t n = 0;
	for (;;) {
		while (*pattern == '/')
			pattern++;
		while (*path == '/')
			path++;
		size_t a = strcspn(pattern, "/"), b = strcspn(path, "/");
		if (!a || !b || pattern[0] == '{' || a != b || memcmp(pattern, path, a) != 0)
			return n;
		n++;
		pattern += a;
		path += b;
	}
}

const struct http_route *
router_nearest(const struct http_route *routes, size_t n, const char *path)
{
	const struct http_route *best = NULL;
	size_t best_n = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = shared_prefix(routes[i].pattern, path);
		if (k > best_n) {
			best = &routes[i];
			best_n = k;
		}
	}
	return best;
}
