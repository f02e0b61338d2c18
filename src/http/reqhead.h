/*
 * reqhead.h — checks on a request's head that server.c runs before it
 * routes or reads a body (internal to src/http).
 */
#ifndef MOTCUA_HTTP_REQHEAD_H
#define MOTCUA_HTTP_REQHEAD_H
#include <stddef.h>
#include <microhttpd.h>
#include "core/buf.h"
#include "core/errors.h"

/* Number of '&'-separated arguments in the query of a raw target (0 when
 * there is no query). */
size_t reqhead_query_args(const char *target);

/* Message framing: more than one Content-Length, Content-Length together
 * with Transfer-Encoding, or a Content-Length that is not a decimal
 * number → ERR_BAD_REQUEST (RFC 9112 §6.3: the request cannot be framed
 * without guessing, the root of request smuggling).  *cl gets the length
 * (-1 when absent), *chunked whether Transfer-Encoding was sent. */
enum err reqhead_framing(struct MHD_Connection *c, long long *cl, int *chunked);

/* Is the decoded path canonical: no empty segment ("//"), no trailing
 * slash except for "/" itself? */
int reqhead_path_canonical(const char *path);

/* The canonical form of a raw target: runs of '/' in its path collapsed
 * to one, a trailing '/' dropped, the query kept; bytes outside printable
 * ASCII percent-encoded.  Appended to out. */
void reqhead_canonical_target(const char *target, struct buf *out);

/* The client behind a trusted proxy: the last entry of an X-Forwarded-For
 * value (the address the proxy itself saw), copied into client when it is
 * a valid IPv4 or IPv6 address.  Returns 0, or -1 leaving client as is. */
int reqhead_forwarded_for(const char *xff, char *client, size_t n);

/* Appends s for the access log: control characters, DEL, '"' and '\\'
 * as \xNN, so a path cannot end or forge a log line. */
void reqhead_log_escape(struct buf *out, const char *s);

#endif
