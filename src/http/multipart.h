/*
 * multipart.h — a streaming multipart/form-data parser (RFC 7578, 2046).
 *
 * The parser is a state machine fed chunks of any size, down to one byte,
 * with a boundary free to straddle chunks; it holds back at most the
 * length of the delimiter and one part's headers, so a large upload never
 * sits in memory twice.  For each part it calls part_begin with the
 * Content-Disposition name and filename and the Content-Type, part_data
 * with the body bytes (in as many calls as it likes) and part_end.
 *
 * Rules enforced: the body starts with an optional preamble, then
 * "--boundary"; every delimiter line ends in CRLF (transport padding of
 * spaces and tabs before it is allowed); part headers are CRLF lines of
 * "Name: value" ending with an empty line; each part has exactly one
 * "Content-Disposition: form-data" with a name parameter; the body ends
 * with "--boundary--", after which the epilogue is ignored.  Names and
 * filenames reach the callbacks as valid UTF-8 without NUL (not yet NFC).
 */
#ifndef MOTCUA_HTTP_MULTIPART_H
#define MOTCUA_HTTP_MULTIPART_H
#include <stddef.h>
#include "core/errors.h"
#include "http/form.h"

struct mp_parser;

/* A non-zero return aborts the parse; mp_feed then returns that value
 * (an enum err).  Any callback may be NULL. */
struct mp_callbacks {
	int (*part_begin)(void *user, const char *name, const char *filename,
	                  const char *content_type);
	int (*part_data)(void *user, const char *data, size_t len);
	int (*part_end)(void *user);
};

/* A zero field takes the default in brackets. */
struct mp_limits {
	size_t max_header;     /* bytes of one part's header block [8 KiB] */
	size_t max_parts;      /* parts in the body [100] */
	size_t max_part_size;  /* body bytes of one part [10 MiB] */
};

/*
 * Extracts the boundary parameter of a "multipart/form-data" Content-Type
 * (media type and parameter names case-insensitive, value a token or a
 * quoted string) into out.  Returns 0, or -1 when the type is another,
 * the boundary is missing, is not 1–70 characters of RFC 2046 bchars
 * (digits, letters, '()+_,-./:=? and space, not last), or does not fit.
 */
int mp_boundary(const char *content_type, char *out, size_t outlen);

/* A parser for boundary (as returned by mp_boundary), or NULL when the
 * boundary is invalid or memory ran out.  cb is copied; lim may be NULL. */
struct mp_parser *mp_new(const char *boundary, const struct mp_callbacks *cb,
                         void *user, const struct mp_limits *lim);

/*
 * Parses the next len bytes of the body.  Errors are sticky (every later
 * call returns the same one):
 *   ERR_BAD_FORM         malformed delimiter line or part headers (also
 *                        headers over max_header bytes), a part without
 *                        Content-Disposition form-data name, or a
 *                        boundary followed by anything but "--", padding
 *                        and CRLF
 *   ERR_BAD_UTF8         a name or filename that is not valid UTF-8
 *   ERR_TOO_MANY_FIELDS  more than max_parts parts
 *   ERR_BODY_TOO_LARGE   a part larger than max_part_size
 *   or whatever a callback returned.
 */
enum err mp_feed(struct mp_parser *p, const char *data, size_t len);

/* Ends the body: ERR_OK when the closing delimiter was seen, otherwise
 * ERR_BAD_FORM (or the sticky error). */
enum err mp_finish(struct mp_parser *p);

void mp_free(struct mp_parser *p);

/*
 * Parses a whole multipart/form-data body into f (appended, as
 * form_parse_urlencoded; on error f is left as it was).  Text parts (no
 * filename parameter) must be valid UTF-8 and are stored NFC; file parts
 * keep their raw bytes in value/value_len and set filename (NFC; may be
 * "" when a browser sent an empty file input) and content_type.  Names
 * are NFC.  Errors: ERR_UNSUPPORTED_MEDIA when content_type is not
 * multipart/form-data, ERR_BAD_FORM for a bad boundary, a part over
 * max_part bytes (0: the mp_limits default) → ERR_BODY_TOO_LARGE, f
 * over max_fields fields →
 * ERR_TOO_MANY_FIELDS, and the errors of mp_feed / mp_finish.
 */
enum err form_parse_multipart(struct form *f, const char *content_type,
                              const char *body, size_t len,
                              size_t max_fields, size_t max_part);

#endif
