/*
 * server.c — libmicrohttpd glue.
 *
 * One request's life: MHD calls uri_log() as soon as the request line is
 * read (we allocate the request there and keep the raw URI, so our own
 * parser reads the query string); the access handler is then called once
 * with the headers (routing, Content-Length check), once per body chunk
 * (collected up to the route's limit), and once more at the end, where the
 * body is parsed, the caller's before hook and the handler run and the
 * response is queued.  completed() writes the access-log line, updates
 * the counters and frees the request.
 *
 * Shutdown: http_stop() quiesces the listening socket, waits until the
 * in-flight counter reaches zero (bounded by a grace period), then stops
 * the worker threads.
 *
 * Idle connections must not lock everyone else out.  MHD stops accepting
 * once its connection limit is reached, so with a limit of 1,000 a client
 * that opened 1,000 connections and sent nothing kept /healthz unanswered
 * for conn_timeout (and, by sending a byte now and then, for ever).  So:
 * the hard limit is what the descriptor limit allows (the soft
 * RLIMIT_NOFILE is raised to the hard one, see conn_limits()), and
 * cfg.max_connections is a soft limit: a connection opened while more
 * than that are open is "crowded" — it gets CROWDED_TIMEOUT_S of
 * inactivity until its request header is complete (conn_notify(), undone
 * in access_handler()); so does a kept-alive connection waiting for its
 * next request while crowded (completed()).  A real client sends its
 * header at once and is served; an idle one is closed within seconds and
 * its slot reused.  One that dribbles a byte more often than that keeps
 * its slot until its header buffer (max_header + 32 KiB) is full, which
 * is why the hard limit is large; per-address limits are the reverse
 * proxy's job.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "core/text.h"
#include "core/vntime.h"
#include "http/http.h"
#include "core/jspec.h"
#include "http/multipart.h"
#include "http/reqhead.h"
#include "http/router.h"
#include "http/spool.h"

#define PATH_MAX_LEN 2048
#define CROWDED_TIMEOUT_S 2    /* header inactivity allowed above the soft limit */
#define CONN_HARD_MAX 32768    /* hard connection limit, whatever RLIMIT_NOFILE says */
#define FD_RESERVE 128         /* descriptors kept for the database, logs, epoll */
#define DISCARD_MAX (1024 * 1024) /* body bytes thrown away past the limit before a drop */
#define HIST_BUCKETS 10
static const double hist_le[HIST_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05, 0.1, 0.25, 0.5, 1.0};

/* Counters for one route (or for "unmatched" requests). */
struct route_stats {
	int status[12];              /* distinct statuses seen */
	uint64_t count[12];
	uint64_t hist[HIST_BUCKETS]; /* cumulative at export, per-bucket here */
	uint64_t n;
	double sum;
};

struct http_server {
	struct MHD_Daemon *d;
	struct http_config cfg;
	atomic_int inflight;
	atomic_int stopping;         /* set by http_stop: answer with Connection: close */
	atomic_int conns;            /* open connections (conn_notify) */
	pthread_mutex_t stats_lock;
	struct route_stats *stats;   /* nroutes + 1 (last = unmatched) */
};

/* Per-request state: the public part first. */
struct req_state {
	struct http_req r;
	struct http_server *srv;
	char *uri;                   /* raw URI as received */
	char pathbuf[PATH_MAX_LEN];  /* decoded path */
	char segbuf[PATH_MAX_LEN];   /* router's split copy (params point here) */
	const char *raw_uri;         /* MHD's own copy (its line buffer), for the NUL check */
	size_t raw_len;
	int too_many_args;           /* query hidden from MHD: answer 414 */
	long long content_length;    /* declared, -1 when absent */
	int chunked;                 /* Transfer-Encoding sent */
	char *location;              /* canonical target to redirect to (308) */
	struct http_resp *pending;   /* refusal decided at the head, sent after the body */
	int spool_fd;                /* multipart body on disk (-1: in memory) */
	size_t spooled;              /* bytes written to spool_fd */
	int started;                 /* headers seen */
	int too_large;               /* body exceeded the limit: the rest is discarded */
	size_t discarded;
	int responded;               /* a response was queued */
	int status;
	size_t bytes_out;
	enum err early_err;          /* failed while reading the body: sent at the end */
};

int64_t
http_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
http_wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- responses ---------------------------------------------------- */

void
http_resp_header(struct http_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders == sizeof resp->headers / sizeof resp->headers[0])
		return;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s: %s", name, value);
	char *s = buf_detach(&b);
	if (s)
		resp->headers[resp->nheaders++] = s;
}

void
http_redirect(struct http_resp *resp, const char *location)
{
	resp->status = 303;
	http_resp_header(resp, "Location", location);
	buf_reset(&resp->body);
}

void
http_json(struct http_resp *resp, int status, json_t *j)
{
	resp->status = status;
	resp->content_type = "application/json; charset=utf-8";
	buf_reset(&resp->body);
	char *s = json_dumps(j, JSON_COMPACT);
	if (s) {
		buf_puts(&resp->body, s);
		free(s);
	}
	json_decref(j);
}

void
http_error(struct http_req *req, struct http_resp *resp, enum err e, const char *detail)
{
	http_error_field(req, resp, e, detail, NULL);
}

void
http_error_field(struct http_req *req, struct http_resp *resp, enum err e, const char *detail,
                 const char *field)
{
	struct req_state *rs = (struct req_state *)req;
	resp->status = err_status(e);
	resp->static_body = NULL;
	if (resp->has_file) {
		close(resp->file_fd);
		resp->has_file = 0;
	}
	buf_reset(&resp->body);
	if (req->is_api || !rs->srv->cfg.error_page) {
		json_t *err = json_pack("{s:s,s:s}", "code", err_code(e), "message",
		                        err_message(e));
		if (err && detail && *detail)
			json_object_set_new(err, "detail", json_string(detail));
		if (err && field && *field)
			json_object_set_new(err, "field", json_string(field));
		http_json(resp, resp->status, json_pack("{s:o}", "error", err));
		return;
	}
	resp->content_type = "text/html; charset=utf-8";
	rs->srv->cfg.error_page(req, resp, e, detail);
	resp->status = err_status(e);
}

void
http_send_file(struct http_resp *resp, int fd, uint64_t len)
{
	if (resp->has_file)
		close(resp->file_fd);
	resp->has_file = 1;
	resp->file_fd = fd;
	resp->file_len = len;
}

static void
resp_free(struct http_resp *resp)
{
	if (resp->has_file) {
		close(resp->file_fd);
		resp->has_file = 0;
	}
	buf_free(&resp->body);
	for (size_t i = 0; i < resp->nheaders; i++)
		free(resp->headers[i]);
	resp->nheaders = 0;
}

/* Security headers on every response (DESIGN.md, Security). */
static void
add_security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy",
	    "default-src 'self'; script-src 'self'; style-src 'self'; "
	    "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
	    "form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Permissions-Policy",
	                        "camera=(), microphone=(), geolocation=()");
}

static enum MHD_Result
send_resp(struct req_state *rs, struct MHD_Connection *c, struct http_resp *resp)
{
	struct MHD_Response *r;
	size_t len;
	if (resp->has_file) {
		len = (size_t)resp->file_len;
		r = MHD_create_response_from_fd64(resp->file_len, resp->file_fd);
		if (r)
			resp->has_file = 0;   /* MHD closes it */
	} else if (resp->static_body) {
		len = resp->static_len;
		r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)resp->static_body,
		                                    MHD_RESPMEM_PERSISTENT);
	} else {
		len = resp->body.len;
		char *data = buf_detach(&resp->body);
		if (!data)
			return MHD_NO;
		r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(data);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type",
	    resp->content_type ? resp->content_type : "text/html; charset=utf-8");
	add_security_headers(r);
	int has_cache = 0;
	for (size_t i = 0; i < resp->nheaders; i++) {
		char *h = resp->headers[i];
		char *colon = strchr(h, ':');
		if (!colon)
			continue;
		*colon = '\0';
		const char *v = colon + 1;
		while (*v == ' ')
			v++;
		if (strcasecmp(h, "Cache-Control") == 0)
			has_cache = 1;
		MHD_add_response_header(r, h, v);
		*colon = ':';
	}
	if (!has_cache)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	if (atomic_load(&rs->srv->stopping))
		MHD_add_response_header(r, "Connection", "close");
	rs->status = resp->status ? resp->status : 200;
	rs->bytes_out = len;
	rs->responded = 1;
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Replies with an error straight away (before or instead of a handler). */
static enum MHD_Result
send_error(struct req_state *rs, struct MHD_Connection *c, enum err e, const char *detail)
{
	struct http_resp resp = {0};
	http_error(&rs->r, &resp, e, detail);
	enum MHD_Result ret = send_resp(rs, c, &resp);
	resp_free(&resp);
	return ret;
}

/* ---- request accessors --------------------------------------------- */

const char *
http_header(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value((struct MHD_Connection *)req->conn,
	                                   MHD_HEADER_KIND, name);
}

const char *
http_cookie(const struct http_req *req, const char *name, char *out, size_t outlen)
{
	const char *h = http_header(req, "Cookie");
	if (!h || form_cookie(h, name, out, outlen) != 0)
		return NULL;
	return out;
}

const char *
http_param(const struct http_req *req, size_t i)
{
	return i < req->nparams ? req->params[i] : NULL;
}

struct http_server *
http_server_of(const struct http_req *req)
{
	return ((const struct req_state *)req)->srv;
}

/* ---- parsing ------------------------------------------------------- */

/* Adds one header line's length ("Name: value\r\n") to *cls. */
static enum MHD_Result
add_header_len(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	*(size_t *)cls += (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* Media type without parameters, compared case-insensitively. */
static int
media_is(const char *ct, const char *type)
{
	size_t n = strlen(type);
	if (!ct || strncasecmp(ct, type, n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* The route's limit; an anonymous caller gets at most HTTP_ANON_MAX_BODY. */
static size_t
body_limit(const struct req_state *rs)
{
	const struct http_route *rt = rs->r.route;
	size_t max = rt && rt->max_body ? rt->max_body : HTTP_DEFAULT_MAX_BODY;
	if (rs->srv->cfg.authorize && !rs->r.user && !rs->r.authenticated && max > HTTP_ANON_MAX_BODY)
		max = HTTP_ANON_MAX_BODY;
	return max;
}

static enum err
parse_form(struct req_state *rs, const char *ct)
{
	struct http_req *r = &rs->r;
	size_t max_part = r->route->max_body ? r->route->max_body : HTTP_DEFAULT_MAX_BODY;
	if (media_is(ct, "application/x-www-form-urlencoded") && rs->spool_fd < 0)
		return form_parse_urlencoded(&r->form, buf_str(&r->body), r->body.len,
		                             HTTP_DEFAULT_MAX_FIELDS);
	if (!media_is(ct, "multipart/form-data"))
		return ERR_UNSUPPORTED_MEDIA;
	if (rs->spool_fd < 0)
		return form_parse_multipart(&r->form, ct, buf_str(&r->body), r->body.len,
		                            HTTP_DEFAULT_MAX_FIELDS, max_part);
	void *map;
	const char *data = spool_map(rs->spool_fd, rs->spooled, &map);
	if (!data)
		return ERR_INTERNAL;
	enum err e = form_parse_multipart(&r->form, ct, data, rs->spooled,
	                                  HTTP_DEFAULT_MAX_FIELDS, max_part);
	spool_unmap(map, rs->spooled);
	return e;
}

static enum err
parse_body(struct req_state *rs, char *detail, size_t dlen)
{
	struct http_req *r = &rs->r;
	const struct http_route *rt = r->route;
	const char *ct = http_header(r, "Content-Type");
	if (rt->flags & ROUTE_BODY_FORM) {
		if (r->body.len == 0 && rs->spooled == 0 && !ct)
			return ERR_OK;
		return parse_form(rs, ct);
	}
	if (rt->flags & ROUTE_BODY_JSON) {
		if (!media_is(ct, "application/json"))
			return ERR_UNSUPPORTED_MEDIA;
		enum err e = ERR_OK;
		r->json = jspec_parse(buf_str(&r->body), r->body.len, &e, detail, dlen);
		return r->json ? ERR_OK : e;
	}
	return ERR_OK;
}

/* ---- MHD callbacks ------------------------------------------------- */

static void *
uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct http_server *srv = cls;
	struct req_state *rs = calloc(1, sizeof *rs);
	if (!rs)
		return NULL;
	rs->srv = srv;
	rs->spool_fd = -1;
	rs->uri = strdup(uri ? uri : "/");
	rs->raw_uri = uri;
	rs->raw_len = uri ? strlen(uri) : 0;
	/* MHD 0.9.75 splits the query into its own argument list right after
	 * this callback, in a per-connection pool: a thousand short arguments
	 * exhaust it and the connection then hangs until its timeout.  With
	 * too many, empty the query for MHD (uri is MHD's own line buffer,
	 * which it parses from the byte after '?' once we return; our copy
	 * is rs->uri) and answer 414. */
	if (uri && reqhead_query_args(uri) > HTTP_MAX_QUERY_ARGS) {
		rs->too_many_args = 1;
		char *q = strchr((char *)(uintptr_t)uri, '?');
		if (q && q[1])
			q[1] = '\0';
	}
	rs->r.conn = c;
	rs->r.app = srv->cfg.app;
	rs->r.started_us = http_now_us();
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			          rs->r.client, sizeof rs->r.client);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			          rs->r.client, sizeof rs->r.client);
	}
	atomic_fetch_add(&srv->inflight, 1);
	return rs;
}

/* A NUL byte in the request target: MHD hands us the target up to the
 * NUL, and the version string (the same line buffer, after the target)
 * then starts further on than the target's end. */
static int
target_has_nul(const struct req_state *rs, const char *version)
{
	uintptr_t end = (uintptr_t)rs->raw_uri + rs->raw_len + 1, v = (uintptr_t)version;
	return rs->raw_uri && version && v > end && v < end + 65536;
}

/* Routes the decoded path; the route (or the nearest) says whether the
 * request is an API call.  A non-canonical path that names a route gets
 * a 308 to its canonical form (rs->location). */
static enum err
route_path(struct req_state *rs, const char *method)
{
	struct http_req *r = &rs->r;
	struct http_server *srv = rs->srv;
	enum route_match m = router_match(srv->cfg.routes, srv->cfg.nroutes, method, r->path,
	                                  rs->segbuf, sizeof rs->segbuf, &r->route, r->params,
	                                  &r->nparams);
	const struct http_route *near =
	    m == ROUTE_FOUND ? r->route : router_nearest(srv->cfg.routes, srv->cfg.nroutes, r->path);
	r->is_api = near && (near->flags & ROUTE_API);
	if (!reqhead_path_canonical(r->path)) {
		r->route = NULL;
		if (m == ROUTE_NO_PATH)
			return ERR_NOT_FOUND;
		struct buf loc = BUF_INIT;
		reqhead_canonical_target(rs->uri, &loc);
		char tmp[PATH_MAX_LEN];
		const char *q;
		if (loc.oom || router_decode_path(buf_str(&loc), tmp, sizeof tmp, &q) != ERR_OK ||
		    !reqhead_path_canonical(tmp)) {
			buf_free(&loc);
			return ERR_NOT_FOUND;
		}
		rs->location = buf_detach(&loc);
		return rs->location ? ERR_OK : ERR_NOMEM;
	}
	if (m == ROUTE_NO_PATH)
		return ERR_NOT_FOUND;
	return m == ROUTE_NO_METHOD ? ERR_METHOD : ERR_OK;
}

/* First call: headers are in.  Decode, route, check the head's limits. */
static enum err
begin(struct req_state *rs, const char *method, const char *version)
{
	struct http_req *r = &rs->r;
	struct http_server *srv = rs->srv;
	const char *query = NULL;
	r->method = method;
	r->path = rs->pathbuf;
	if (!rs->uri)
		return ERR_NOMEM;
	if (srv->cfg.trusted_proxy && strcmp(r->client, srv->cfg.trusted_proxy) == 0)
		reqhead_forwarded_for(http_header(r, "X-Forwarded-For"), r->client, sizeof r->client);
	enum err e = router_decode_path(rs->uri, rs->pathbuf, sizeof rs->pathbuf, &query);
	if (e) {
		strcpy(rs->pathbuf, "/");
		return e;
	}
	enum err framing = reqhead_framing(r->conn, &rs->content_length, &rs->chunked);
	if (target_has_nul(rs, version))
		return ERR_BAD_REQUEST;
	e = route_path(rs, method);
	if (framing)
		return framing;
	if (rs->too_many_args)
		return ERR_URI_TOO_LONG;
	if (e || rs->location)
		return e;
	if (query && *query) {
		e = form_parse_urlencoded(&r->query, query, strlen(query), HTTP_MAX_QUERY_ARGS);
		if (e)
			return e == ERR_TOO_MANY_FIELDS ? ERR_URI_TOO_LONG : e;
	}
	/* Header block size: MHD's memory limit bounds it hard; we bound
	 * every header line together to the configured size for a clear 431. */
	size_t hdr = 0;
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, add_header_len, &hdr);
	if (hdr > srv->cfg.max_header)
		return ERR_HEADER_TOO_LARGE;
	return ERR_OK;
}

/* A refusal decided from the head.  A small declared body is read (and
 * thrown away) first, so the client can read the answer on a connection
 * that stays usable; a large or chunked one is answered at once and the
 * connection closed, its body never read. */
static enum MHD_Result
refuse(struct req_state *rs, struct MHD_Connection *c, struct http_resp *resp)
{
	int read_first = rs->content_length > 0 && rs->content_length <= HTTP_ANON_MAX_BODY &&
	                 !rs->chunked;
	if (read_first) {
		rs->pending = malloc(sizeof *rs->pending);
		if (rs->pending) {
			*rs->pending = *resp;
			return MHD_YES;
		}
	}
	enum MHD_Result ret = send_resp(rs, c, resp);
	resp_free(resp);
	return ret;
}

static enum MHD_Result
refuse_err(struct req_state *rs, struct MHD_Connection *c, enum err e)
{
	struct http_resp resp = {0};
	http_error(&rs->r, &resp, e, NULL);
	return refuse(rs, c, &resp);
}

/* The head is complete: route, authorize, decide where the body goes. */
static enum MHD_Result
on_head(struct req_state *rs, struct MHD_Connection *c, const char *method,
        const char *version)
{
	struct http_server *srv = rs->srv;
	rs->started = 1;
	/* The header is complete: a crowded connection is a client after all. */
	const union MHD_ConnectionInfo *ti =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_TIMEOUT);
	if (ti && ti->connection_timeout != srv->cfg.conn_timeout)
		MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, srv->cfg.conn_timeout);
	enum err e = begin(rs, method, version);
	if (e == ERR_BAD_REQUEST || e == ERR_URI_TOO_LONG)
		return send_error(rs, c, e, NULL); /* never read a body we cannot frame */
	if (e)
		return refuse_err(rs, c, e);
	if (rs->location) {
		struct http_resp resp = {0};
		resp.status = 308;
		http_resp_header(&resp, "Location", rs->location);
		return refuse(rs, c, &resp);
	}
	if (srv->cfg.authorize) {
		struct http_resp resp = {0};
		resp.status = 200;
		e = srv->cfg.authorize(&rs->r, &resp);
		if (e)
			http_error(&rs->r, &resp, e, NULL);
		if (e || resp.done)
			return refuse(rs, c, &resp);
		resp_free(&resp);
	}
	if (rs->content_length > 0 && (unsigned long long)rs->content_length > body_limit(rs))
		return send_error(rs, c, ERR_BODY_TOO_LARGE, NULL); /* connection closes */
	const char *ct = http_header(&rs->r, "Content-Type");
	if ((rs->r.route->flags & ROUTE_BODY_FORM) && srv->cfg.tmp_dir &&
	    media_is(ct, "multipart/form-data")) {
		rs->spool_fd = spool_open(srv->cfg.tmp_dir);
		if (rs->spool_fd < 0)
			return refuse_err(rs, c, ERR_UNAVAILABLE);
	}
	return MHD_YES;
}

/* A chunk of the body: kept (in memory or the spool) up to the limit.
 * Past it (a body without Content-Length) the rest is thrown away and 413
 * answered at the end: MHD 0.9.75 cannot send a response queued in the
 * middle of a body, it drops the connection instead.  A client that goes
 * on for DISCARD_MAX more is dropped all the same. */
static enum MHD_Result
on_data(struct req_state *rs, const char *data, size_t n)
{
	if (rs->too_large) {
		rs->discarded += n;
		return rs->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
	}
	if (rs->early_err || rs->pending || rs->responded)
		return MHD_YES;
	size_t have = rs->spool_fd >= 0 ? rs->spooled : rs->r.body.len;
	if (have + n > body_limit(rs)) {
		rs->too_large = 1;
		rs->early_err = ERR_BODY_TOO_LARGE;
		buf_free(&rs->r.body);
		return MHD_YES;
	}
	if (rs->spool_fd < 0) {
		buf_append(&rs->r.body, data, n);
		return MHD_YES;
	}
	if (spool_write(rs->spool_fd, data, n) != 0)
		rs->early_err = ERR_UNAVAILABLE;
	rs->spooled += n;
	return MHD_YES;
}

/* The body is complete: parse it, run the hooks and the handler. */
static enum MHD_Result
on_complete(struct req_state *rs, struct MHD_Connection *c, const char *method)
{
	if (rs->pending) {
		enum MHD_Result ret = send_resp(rs, c, rs->pending);
		resp_free(rs->pending);
		return ret;
	}
	if (rs->early_err)
		return send_error(rs, c, rs->early_err, NULL);
	if (rs->r.body.oom)
		return send_error(rs, c, ERR_NOMEM, NULL);
	char detail[256] = "";
	struct http_resp resp = {0};
	resp.status = 200;
	enum err e = parse_body(rs, detail, sizeof detail);
	if (!e && rs->srv->cfg.before)
		e = rs->srv->cfg.before(&rs->r, &resp);
	if (!e && !resp.done)
		e = rs->r.route->handler(&rs->r, &resp);
	if (e)
		http_error(&rs->r, &resp, e, detail[0] ? detail : NULL);
	if (strcmp(method, "HEAD") == 0)
		buf_reset(&resp.body);
	enum MHD_Result ret = send_resp(rs, c, &resp);
	resp_free(&resp);
	return ret;
}

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *c, const char *url,
               const char *method, const char *version, const char *upload_data,
               size_t *upload_data_size, void **con_cls)
{
	(void)cls;
	(void)url;
	struct req_state *rs = *con_cls;
	if (!rs)
		return MHD_NO;
	if (!rs->started)
		return on_head(rs, c, method, version);
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		return on_data(rs, upload_data, n);
	}
	if (rs->responded)
		return MHD_YES;
	return on_complete(rs, c, method);
}

/* Connection start and end (MHD calls both in the connection's own thread,
 * where its timeout may be changed).  See the comment at the top. */
static void
conn_notify(void *cls, struct MHD_Connection *c, void **socket_context,
            enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *srv = cls;
	(void)socket_context;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		int n = atomic_fetch_add(&srv->conns, 1) + 1;
		if ((unsigned)n > srv->cfg.max_connections)
			MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT,
			                          (unsigned)CROWDED_TIMEOUT_S);
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		atomic_fetch_sub(&srv->conns, 1);
	}
}

/* The hard connection limit: every descriptor the process may have, less
 * a reserve; the soft limit (cfg.max_connections) at most half of it. */
static unsigned
conn_limits(struct http_server *srv)
{
	struct rlimit rl;
	rlim_t n = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur < rl.rlim_max) {
			struct rlimit up = {rl.rlim_max, rl.rlim_max};
			if (setrlimit(RLIMIT_NOFILE, &up) == 0)
				rl.rlim_cur = rl.rlim_max;
		}
		n = rl.rlim_cur;
	}
	unsigned hard = n == RLIM_INFINITY || n > CONN_HARD_MAX + FD_RESERVE
	                    ? CONN_HARD_MAX
	                    : n > 2 * FD_RESERVE ? (unsigned)n - FD_RESERVE : (unsigned)n / 2;
	if (srv->cfg.max_connections > hard / 2)
		srv->cfg.max_connections = hard / 2;
	return hard;
}

static void
record_stats(struct http_server *srv, struct req_state *rs, double secs)
{
	size_t idx = rs->r.route ? (size_t)(rs->r.route - srv->cfg.routes) : srv->cfg.nroutes;
	pthread_mutex_lock(&srv->stats_lock);
	struct route_stats *st = &srv->stats[idx];
	size_t nst = sizeof st->status / sizeof st->status[0];
	for (size_t i = 0; i < nst; i++) {
		if (st->status[i] == rs->status || st->status[i] == 0) {
			st->status[i] = rs->status;
			st->count[i]++;
			break;
		}
	}
	for (size_t i = 0; i < HIST_BUCKETS; i++)
		if (secs <= hist_le[i]) {
			st->hist[i]++;
			break;
		}
	st->n++;
	st->sum += secs;
	pthread_mutex_unlock(&srv->stats_lock);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
          enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct req_state *rs = *con_cls;
	if (!rs)
		return;
	*con_cls = NULL;
	/* kept alive in a crowd: the next request must come soon (see top) */
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK &&
	    (unsigned)atomic_load(&srv->conns) > srv->cfg.max_connections)
		MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)CROWDED_TIMEOUT_S);
	int64_t us = http_now_us() - rs->r.started_us;
	double secs = (double)us / 1e6;
	if (rs->responded) {
		record_stats(srv, rs, secs);
		/* One access-log line: time, client, method, path, status, bytes, ms. */
		char ts[VN_RFC3339_MAX];
		vn_fmt_rfc3339((int64_t)time(NULL), ts, sizeof ts);
		struct buf line = BUF_INIT;
		reqhead_log_escape(&line, rs->r.method ? rs->r.method : "-");
		buf_putc(&line, ' ');
		reqhead_log_escape(&line, rs->r.path ? rs->r.path : "-");
		long long tenths = (long long)((us < 0 ? 0 : us) + 50) / 100;   /* of a ms, no %f */
		fprintf(stderr, "%s %s \"%s\" %d %zu %lld.%lldms%s\n", ts,
		        rs->r.client[0] ? rs->r.client : "-", buf_str(&line),
		        rs->status, rs->bytes_out, tenths / 10, tenths % 10,
		        toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
		buf_free(&line);
	}
	if (rs->r.ctx && rs->r.ctx_free)
		rs->r.ctx_free(rs->r.ctx);
	form_free(&rs->r.query);
	form_free(&rs->r.form);
	json_decref(rs->r.json);
	buf_free(&rs->r.body);
	if (rs->spool_fd >= 0)
		close(rs->spool_fd);
	if (rs->pending) {
		resp_free(rs->pending);
		free(rs->pending);
	}
	free(rs->location);
	free(rs->uri);
	free(rs);
	atomic_fetch_sub(&srv->inflight, 1);
}

/* ---- metrics ------------------------------------------------------- */

static void
metric_label(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
}

void
http_metrics(struct http_server *srv, struct buf *out)
{
	buf_puts(out, "# HELP motcua_http_requests_total Requests answered, by route and status.\n"
	              "# TYPE motcua_http_requests_total counter\n");
	pthread_mutex_lock(&srv->stats_lock);
	for (size_t r = 0; r <= srv->cfg.nroutes; r++) {
		struct route_stats *st = &srv->stats[r];
		for (size_t i = 0; i < sizeof st->status / sizeof st->status[0] && st->status[i]; i++) {
			buf_puts(out, "motcua_http_requests_total{route=\"");
			if (r < srv->cfg.nroutes) {
				buf_puts(out, srv->cfg.routes[r].method);
				buf_putc(out, ' ');
				metric_label(out, srv->cfg.routes[r].pattern);
			} else {
				buf_puts(out, "unmatched");
			}
			buf_printf(out, "\",status=\"%d\"} %llu\n", st->status[i],
			           (unsigned long long)st->count[i]);
		}
	}
	buf_puts(out, "# HELP motcua_http_request_duration_seconds Time from request line to response.\n"
	              "# TYPE motcua_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r <= srv->cfg.nroutes; r++) {
		struct route_stats *st = &srv->stats[r];
		if (!st->n)
			continue;
		struct buf label = BUF_INIT;
		if (r < srv->cfg.nroutes) {
			buf_puts(&label, srv->cfg.routes[r].method);
			buf_putc(&label, ' ');
			metric_label(&label, srv->cfg.routes[r].pattern);
		} else {
			buf_puts(&label, "unmatched");
		}
		uint64_t cum = 0;
		for (size_t i = 0; i < HIST_BUCKETS; i++) {
			cum += st->hist[i];
			buf_printf(out, "motcua_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
			           buf_str(&label), hist_le[i], (unsigned long long)cum);
		}
		buf_printf(out, "motcua_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
		           buf_str(&label), (unsigned long long)st->n);
		buf_printf(out, "motcua_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
		           buf_str(&label), st->sum);
		buf_printf(out, "motcua_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
		           buf_str(&label), (unsigned long long)st->n);
		buf_free(&label);
	}
	pthread_mutex_unlock(&srv->stats_lock);
	buf_printf(out, "# HELP motcua_http_requests_in_flight Requests being handled now.\n"
	                "# TYPE motcua_http_requests_in_flight gauge\n"
	                "motcua_http_requests_in_flight %d\n",
	           atomic_load(&srv->inflight));
	if (srv->cfg.db_size)
		buf_printf(out, "# HELP motcua_database_size_bytes Size of the database files.\n"
		                "# TYPE motcua_database_size_bytes gauge\n"
		                "motcua_database_size_bytes %lld\n",
		           (long long)srv->cfg.db_size(srv->cfg.app));
}

/* ---- start and stop ------------------------------------------------ */

static int
parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return -1;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1)
		return -1;
	return 0;
}

int
http_start(const struct http_config *cfg, struct http_server **out, unsigned *port,
           char *err, size_t errlen)
{
	struct sockaddr_in sa;
	if (parse_listen(cfg->listen, &sa) != 0) {
		snprintf(err, errlen, "địa chỉ lắng nghe không hợp lệ: %s (dạng 127.0.0.1:8080)", cfg->listen);
		return -1;
	}
	struct http_server *srv = calloc(1, sizeof *srv);
	if (!srv) {
		snprintf(err, errlen, "hết bộ nhớ");
		return -1;
	}
	srv->cfg = *cfg;
	if (!srv->cfg.max_header)
		srv->cfg.max_header = 16 * 1024;
	if (!srv->cfg.conn_timeout)
		srv->cfg.conn_timeout = 30;
	if (!srv->cfg.max_connections)
		srv->cfg.max_connections = 1000;
	unsigned threads = cfg->threads;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n * 2 : 4;
		if (threads < 4)
			threads = 4;
	}
	srv->stats = calloc(cfg->nroutes + 1, sizeof *srv->stats);
	pthread_mutex_init(&srv->stats_lock, NULL);
	if (!srv->stats) {
		free(srv);
		snprintf(err, errlen, "hết bộ nhớ");
		return -1;
	}
	unsigned hard_limit = conn_limits(srv);
	srv->d = MHD_start_daemon(
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC,
	    0, NULL, NULL, access_handler, srv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, srv->cfg.conn_timeout,
	    MHD_OPTION_CONNECTION_LIMIT, hard_limit,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(srv->cfg.max_header + 32 * 1024),
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024,
	    MHD_OPTION_URI_LOG_CALLBACK, uri_log, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, conn_notify, srv,
	    MHD_OPTION_END);
	if (!srv->d) {
		snprintf(err, errlen, "không mở được cổng %s: %s", cfg->listen, strerror(errno));
		pthread_mutex_destroy(&srv->stats_lock);
		free(srv->stats);
		free(srv);
		return -1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	*port = di ? di->port : ntohs(sa.sin_port);
	*out = srv;
	return 0;
}

void
http_stop(struct http_server *srv, unsigned grace)
{
	if (!srv)
		return;
	atomic_store(&srv->stopping, 1);
	MHD_socket s = MHD_quiesce_daemon(srv->d);
	if (s != MHD_INVALID_SOCKET) /* new connections are refused from now on */
		close(s);
	int64_t deadline = http_now_us() + (int64_t)grace * 1000000;
	/* Requests in flight finish; every response from now on says
	 * "Connection: close", so clients hang up after their next answer.
	 * Wait until no connection is left, or — for clients idling on a
	 * keep-alive connection — until nothing has been in flight for a full
	 * second, or the grace period ends. */
	int quiet = 0;
	while (http_now_us() < deadline) {
		const union MHD_DaemonInfo *di =
		    MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (di && di->num_connections == 0)
			break;
		quiet = atomic_load(&srv->inflight) > 0 ? 0 : quiet + 1;
		if (quiet >= 100)
			break;
		usleep(10000);
	}
	MHD_stop_daemon(srv->d);
	pthread_mutex_destroy(&srv->stats_lock);
	free(srv->stats);
	free(srv);
}
