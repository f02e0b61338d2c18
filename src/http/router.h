/*
 * router.h — matching a method and a decoded path against the route table.
 * Patterns are literal segments and {name} placeholders, each matching
 * exactly one non-empty segment.  A trailing slash is not significant.
 */
#ifndef MOTCUA_ROUTER_H
#define MOTCUA_ROUTER_H
#include "http/http.h"

enum route_match { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD };

/* On ROUTE_FOUND, *out is the route and params point into pathbuf, which
 * router_match fills from path (segments NUL-terminated in place). */
enum route_match router_match(const struct http_route *routes, size_t n,
                              const char *method, const char *path,
                              char *pathbuf, size_t pathbuf_len,
                              const struct http_route **out,
                              const char **params, size_t *nparams);

/* The route whose pattern shares the most leading literal segments with
 * path (at least one), or NULL: for a path no route matches, it says what
 * kind of address the caller aimed at (an API path gets a JSON 404). */
const struct http_route *router_nearest(const struct http_route *routes, size_t n,
                                        const char *path);

/* Percent-decodes the path part of a request target (which must start
 * with '/') into out: no NUL byte, no bad escape, valid UTF-8.  The query
 * string (after '?', before any '#') is returned in *query, or NULL.
 * ERR_OK, ERR_BAD_REQUEST or ERR_BAD_UTF8. */
enum err router_decode_path(const char *target, char *out, size_t outlen, const char **query);

#endif
