/*
 * http.h — the HTTP layer: libmicrohttpd behind a small interface.
 *
 * The layer knows no feature and no storage.  It owns: the server loop
 * (thread pool + epoll), matching requests against a route table given by
 * the caller, the limits (header, body per route, field count, timeouts),
 * body parsing (urlencoded, multipart, JSON) with UTF-8 validation and
 * NFC normalisation, security headers, one access-log line per request,
 * the request counters behind /metrics, and the one error reply.
 *
 * Route roles are opaque bits here: the caller's `before` hook decides
 * what they mean (see src/web/auth.c).
 */
#ifndef MOTCUA_HTTP_H
#define MOTCUA_HTTP_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core/buf.h"
#include "core/errors.h"
#include "http/form.h"

#define HTTP_DEFAULT_MAX_BODY   (1024 * 1024)  /* 1 MiB */
#define HTTP_DEFAULT_MAX_FIELDS 200
#define HTTP_MAX_PARAMS 4

struct http_req;
struct http_resp;

/* A handler fills resp; its return value is ignored unless non-zero, in
 * which case an error reply for that code replaces whatever it wrote. */
typedef enum err (*http_handler)(struct http_req *req, struct http_resp *resp);

/* Route flags: how the body is read. */
#define ROUTE_BODY_FORM  (1u << 0) /* urlencoded or multipart/form-data → req->form */
#define ROUTE_BODY_JSON  (1u << 1) /* application/json → req->json */
#define ROUTE_NO_CSRF    (1u << 2) /* form route exempt from CSRF (none today) */
#define ROUTE_API        (1u << 3) /* a JSON API route: errors as JSON, Bearer sessions */
#define ROUTE_CALLER_FLAGS (1u << 8) /* this bit and higher: the caller's own meaning */

/* Anonymous requests (no session found by the authorize hook) may send at
 * most this much, whatever the route's limit. */
#define HTTP_ANON_MAX_BODY (16 * 1024)
/* Query strings with more arguments are refused (414) before parsing. */
#define HTTP_MAX_QUERY_ARGS 100

struct http_route {
	const char *method;   /* "GET", "POST", … */
	const char *pattern;  /* "/quan-tri/tai-khoan/{id}": {x} matches one segment */
	http_handler handler;
	unsigned roles;       /* opaque to this layer: the before hook reads it */
	unsigned flags;       /* ROUTE_BODY_* */
	size_t max_body;      /* 0 → HTTP_DEFAULT_MAX_BODY */
};

struct http_req {
	const char *method;
	const char *path;          /* decoded path, valid UTF-8 */
	const struct http_route *route;
	const char *params[HTTP_MAX_PARAMS]; /* values of {x} segments, in order */
	size_t nparams;
	struct form query;         /* query string, NFC */
	struct form form;          /* body fields for ROUTE_BODY_FORM */
	json_t *json;              /* body for ROUTE_BODY_JSON (owned by req) */
	struct buf body;           /* the raw body */
	char client[64];           /* peer address, textual */
	int is_api;                /* the route (or the nearest one) has ROUTE_API */
	int64_t started_us;        /* monotonic start, for latency */
	void *conn;                /* the MHD connection (http/ internal) */
	void *app;                 /* the caller's application context */
	void *user;                /* set by the before hook: the signed-in account */
	int authenticated;         /* set by authorize: a caller signed in otherwise (a citizen);
	                            * like user, lifts the anonymous body limit */
	void *ctx;                 /* free for the caller's use */
	void (*ctx_free)(void *);  /* called on ctx when the request ends */
};

struct http_resp {
	int status;
	const char *content_type;  /* static string; default text/html; charset=utf-8 */
	struct buf body;
	char *headers[16];         /* "Name: value" strings, malloc'd */
	size_t nheaders;
	const unsigned char *static_body; /* when set, sent instead of body (not copied) */
	size_t static_len;
	int done;                  /* set by the before hook: send as is, skip the handler */
	int has_file;              /* send file_len bytes of file_fd instead of body; */
	int file_fd;               /* the server closes it (use http_send_file) */
	uint64_t file_len;
};

struct http_config {
	const char *listen;        /* "127.0.0.1:8080"; port 0 picks one */
	const struct http_route *routes;
	size_t nroutes;
	unsigned threads;          /* worker threads; 0 → 2 × CPUs, at least 4 */
	unsigned conn_timeout;     /* seconds idle before a connection is closed */
	unsigned max_connections;
	size_t max_header;         /* bytes for the request line + headers */
	void *app;
	/* Runs as soon as the headers are in and the route is known, before
	 * any body byte is read: sessions and roles.  It sets req->user for a
	 * signed-in caller (else the body limit is HTTP_ANON_MAX_BODY).  An
	 * error, or resp->done, is answered at once and the body never read. */
	enum err (*authorize)(struct http_req *req, struct http_resp *resp);
	/* Runs after body parsing, before the handler: CSRF.  Return ERR_OK to
	 * continue or an error to refuse. */
	enum err (*before)(struct http_req *req, struct http_resp *resp);
	/* Folder for spooled multipart bodies (created 0700 by the caller);
	 * NULL keeps them in memory. */
	const char *tmp_dir;
	/* When the TCP peer is this address, the client is the last entry of
	 * X-Forwarded-For (the address the proxy saw). NULL: never. */
	const char *trusted_proxy;
	/* Renders an HTML error page into resp (status and code are set). */
	void (*error_page)(struct http_req *req, struct http_resp *resp,
	                   enum err e, const char *detail);
	/* Gives the database size for /metrics. */
	int64_t (*db_size)(void *app);
};

struct http_server;

/* Starts serving; on success *out is set and the bound port returned
 * through *port.  Returns 0 or -1 with a message in err. */
int http_start(const struct http_config *cfg, struct http_server **out,
               unsigned *port, char *err, size_t errlen);
/* Stops accepting, lets in-flight requests finish (up to grace seconds),
 * then stops the workers. */
void http_stop(struct http_server *srv, unsigned grace);

/* ---- for handlers -------------------------------------------------- */
const char *http_header(const struct http_req *req, const char *name);
const char *http_cookie(const struct http_req *req, const char *name, char *out, size_t outlen);
const char *http_param(const struct http_req *req, size_t i);

/* Adds "Name: value" to the response. */
void http_resp_header(struct http_resp *resp, const char *name, const char *value);
/* 303 See Other to a local path. */
void http_redirect(struct http_resp *resp, const char *location);
/* Sends the open file fd (len bytes from its start) as the body, streamed
 * from disk; the server owns fd from here on and closes it. */
void http_send_file(struct http_resp *resp, int fd, uint64_t len);
/* Sets status and a JSON body (takes the reference of j). */
void http_json(struct http_resp *resp, int status, json_t *j);
/* The one error reply: JSON {"error":{"code","message"}} under /api,
 * otherwise the HTML error page hook. detail may be NULL. */
void http_error(struct http_req *req, struct http_resp *resp, enum err e, const char *detail);
/* The same, naming the input at fault in a separate "field" member (for
 * programs; detail stays words for people). field may be NULL or "". */
void http_error_field(struct http_req *req, struct http_resp *resp, enum err e, const char *detail,
                      const char *field);

/* Prometheus text of the request counters (used by the /metrics handler). */
void http_metrics(struct http_server *srv, struct buf *out);
struct http_server *http_server_of(const struct http_req *req);

/* Microseconds on the monotonic clock / the wall clock. */
int64_t http_now_us(void);
int64_t http_wall_us(void);

#endif
