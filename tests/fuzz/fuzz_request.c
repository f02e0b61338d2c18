/* fuzz_request.c — what motcua itself parses of a request head, on
 * arbitrary bytes: "METHOD TARGET" on the first line, then header lines.
 * The target goes through router_decode_path and the route table (the
 * real web_routes), its query string through form_parse_urlencoded, and
 * Cookie headers through form_cookie.  (libmicrohttpd splits the line and
 * the headers; this covers everything after it.)  Invariants: a decoded
 * path starts with '/', is valid UTF-8 without NUL; a matched route's
 * parameters are non-empty single segments; cookie values are cookie
 * octets only. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/text.h"
#include "http/form.h"
#include "http/reqhead.h"
#include "http/router.h"
#include "web/web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	char *line = s, *next = strchr(line, '\n');
	if (next)
		*next++ = 0;
	char *sp = strchr(line, ' ');
	if (sp) {
		*sp = 0;
		const char *method = line, *target = sp + 1;
		char path[2048];
		const char *query = NULL;
		enum err e = router_decode_path(target, path, sizeof path, &query);
		if (e == ERR_OK) {
			if (path[0] != '/' || !text_utf8_valid(path, strlen(path)))
				abort();
			char buf[2048];
			const struct http_route *r = NULL;
			const char *params[HTTP_MAX_PARAMS];
			size_t np = 0;
			if (router_match(web_routes, web_nroutes, method, path, buf, sizeof buf, &r, params,
			                 &np) == ROUTE_FOUND) {
				if (!r || np > HTTP_MAX_PARAMS)
					abort();
				for (size_t i = 0; i < np; i++)
					if (!params[i][0] || strchr(params[i], '/'))
						abort();
			}
			router_nearest(web_routes, web_nroutes, path);
			/* the canonical target: one '/' at a time, printable ASCII only,
			 * never "//" (an open redirect), canonical once decoded */
			struct buf canon = BUF_INIT;
			reqhead_canonical_target(target, &canon);
			const char *c = buf_str(&canon), *cq;
			if (c[0] != '/' || c[1] == '/')
				abort();
			for (const char *p = c; *p; p++)
				if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
					abort();
			char cpath[2048];
			if (router_decode_path(c, cpath, sizeof cpath, &cq) == ERR_OK &&
			    !strstr(target, "%2") && !reqhead_path_canonical(cpath))
				abort();
			buf_free(&canon);
			struct buf esc = BUF_INIT;
			reqhead_log_escape(&esc, path);
			for (const char *p = buf_str(&esc); *p; p++)
				if ((unsigned char)*p < 0x20 || *p == '"')
					abort();
			buf_free(&esc);
			if (query) {
				struct form f = FORM_INIT;
				form_parse_urlencoded(&f, query, strlen(query), HTTP_DEFAULT_MAX_FIELDS);
				if (f.n > HTTP_DEFAULT_MAX_FIELDS)
					abort();
				form_free(&f);
			}
		} else if (e != ERR_BAD_REQUEST && e != ERR_BAD_UTF8) {
			abort();
		}
	}
	for (line = next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (strncasecmp(line, "Cookie:", 7) != 0)
			continue;
		char out[256];
		static const char *const names[] = {"motcua_session", "motcua_csrf", "x"};
		for (size_t i = 0; i < 3; i++)
			if (form_cookie(line + 7, names[i], out, sizeof out) == 0)
				for (const char *p = out; *p; p++)
					if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || *p == '"' ||
					    *p == ',' || *p == ';' || *p == '\\')
						abort();
	}
	free(s);
	return 0;
}
