/*
 * driver.h — the HTTP test driver: starts the real motcua binary on a
 * fresh data folder and a free port, talks to it with libcurl, runs its
 * CLI.  The binary is $MOTCUA_BIN (set by scripts/check.sh), else
 * build/rel/motcua.
 */
#ifndef MOTCUA_TEST_DRIVER_H
#define MOTCUA_TEST_DRIVER_H
#include <curl/curl.h>
#include <sys/types.h>
#include "core/buf.h"

struct srv {
	pid_t pid;
	char url[128];         /* "http://127.0.0.1:PORT" without the trailing slash */
	char dir[256];         /* data folder */
	char admin_pw[64];     /* printed once at first start */
	char log[300];         /* server's stderr */
};

struct client {
	CURL *h;               /* keeps its cookies */
	struct srv *srv;
};

struct reply {
	long status;
	int curl_rc;           /* CURLE_OK, or why no answer came */
	struct buf body;
	struct buf headers;
};

const char *motcua_bin(void);
/* Extra arguments for `motcua serve` (NULL-terminated), or NULL. */
extern const char *const *srv_extra_args;
/* Starts a server on a new data folder (or dir, if given, reusing it). */
int srv_start(struct srv *s, const char *dir);
/* Sends sig, waits; returns the exit status (or 128+signal). */
int srv_stop(struct srv *s, int sig);
/* Removes the data folder. */
void srv_cleanup(struct srv *s);

void client_init(struct client *c, struct srv *s);
void client_free(struct client *c);
/* One request.  ctype/body may be NULL; hdr is an optional extra header
 * line ("Authorization: Bearer …").  The reply must be freed. */
int req(struct client *c, const char *method, const char *path, const char *ctype,
        const char *body, size_t len, const char *hdr, struct reply *r);
int get(struct client *c, const char *path, struct reply *r);
/* POST application/x-www-form-urlencoded. */
int post_form(struct client *c, const char *path, const char *body, struct reply *r);
/* GETs page (for its CSRF token), then POSTs "csrf=…&" fields to path;
 * returns the status. */
long submit_form(struct client *c, const char *page, const char *path, const char *fields,
                 struct reply *r);
/* The same as multipart/form-data: fields ("name=value" pairs joined by
 * '&', no escaping) and, when data is not NULL, a file in field file_field
 * named fname.  The reply into out when given; returns the status. */
long submit_multipart(struct client *c, const char *page, const char *path, const char *fields,
                      const char *file_field, const char *fname, const void *data, size_t len,
                      struct reply *out);
void reply_free(struct reply *r);
/* The value of header name in r (first), copied into out; NULL if absent. */
const char *reply_header(const struct reply *r, const char *name, char *out, size_t n);
/* The csrf hidden input's value of the page in r. */
int csrf_of(const struct reply *r, char *out, size_t n);
/* GET /dang-nhap then POST credentials; returns the POST's status. */
long login(struct client *c, const char *user, const char *pw);

/* Group fixtures for cmocka: curl's global state and a fresh server on
 * *s (started / stopped with SIGTERM, which must exit 0). */
int group_start(struct srv *s);
int group_stop(struct srv *s);
/* One GET from a new, cookie-less client; returns the status. */
long fetch_from(struct srv *s, const char *path, struct reply *r);
/* Does the body of r contain text? */
int reply_has(const struct reply *r, const char *text);

/* Sends exactly these bytes on a new connection to s, reads until the
 * server closes (or 10 s); returns the reply's status, 0 if none came
 * (-1 if no connection).  A server that answers early and stops reading
 * is fine: the answer is still read.  The whole reply goes to out when
 * given (free it). */
long raw_request(struct srv *s, const char *data, size_t len, struct buf *out);
/* Milliseconds on the monotonic clock. */
double mono_ms(void);
/* VmRSS of the server process in KiB (0 if unknown). */
long srv_rss_kib(struct srv *s);

/* Runs `motcua ARGS…` (NULL-terminated) with stdin_data; output in out. */
int run_cli(const char *stdin_data, struct buf *out, ...);
/* `motcua user add` into s's data folder (full_name may be NULL); 0 on success. */
int add_user(struct srv *s, const char *username, const char *role, const char *full_name,
             const char *password);
/* Signs user in over the API; hdr gets "Authorization: Bearer …" (empty
 * token on failure).  Returns the HTTP status. */
long bearer_for(struct srv *s, const char *user, const char *pw, char *hdr, size_t n);
/* The id of account username (from `motcua user list`), 0 if absent. */
long user_id_of(struct srv *s, const char *username);
/* Runs sql on s's database file directly (a test's way to move a due
 * instant into the past); 0, or -1 with the reason on stderr. */
int srv_sql(struct srv *s, const char *sql);
/* URL-encodes s into out. */
void urlenc(struct buf *out, const char *s);

#endif
