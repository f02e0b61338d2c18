/*
 * form.h — parsed form fields (urlencoded, query strings, multipart) and
 * Cookie headers.
 *
 * Every name and text value in a struct form is valid UTF-8 in NFC with
 * no NUL byte, so handlers compare and store it as is.  File parts of a
 * multipart body (see multipart.h, form_parse_multipart) keep their raw
 * bytes: value_len then counts them and value may contain NULs.
 */
#ifndef MOTCUA_HTTP_FORM_H
#define MOTCUA_HTTP_FORM_H
#include <stddef.h>
#include "core/errors.h"

struct form_field {
	char *name;          /* NFC, NUL-terminated */
	char *value;         /* NUL-terminated; NFC text unless filename is set */
	size_t value_len;    /* bytes in value, not counting the NUL */
	char *filename;      /* multipart file parts only, else NULL */
	char *content_type;  /* multipart parts that sent one, else NULL */
};

struct form {
	struct form_field *v;
	size_t n;
};

#define FORM_INIT {NULL, 0}

/*
 * Parses application/x-www-form-urlencoded s[0..len) (also a URL query
 * string, without the '?') and appends its fields to f, which must be
 * initialised (FORM_INIT) and may already hold fields, e.g. the query
 * before the body.  Pairs are separated by '&'; empty pairs are skipped;
 * a pair without '=' has the empty value.  '+' is a space and %XX a byte.
 *
 * Errors (f is then left exactly as it was before the call):
 *   ERR_BAD_FORM         a '%' not followed by two hex digits
 *   ERR_TOO_MANY_FIELDS  f would hold more than max_fields fields
 *   ERR_BAD_UTF8         a decoded name or value is not valid UTF-8 or
 *                        holds a NUL (%00)
 *   ERR_NOMEM
 */
/* The value of one hex digit, or -1 (shared with the router's path decoder). */
int form_hexval(int c);

enum err form_parse_urlencoded(struct form *f, const char *s, size_t len,
                               size_t max_fields);

/* The value of the first field called name, or NULL. */
const char *form_get(const struct form *f, const char *name);

/* How many fields are called name (for repeated checkboxes, files). */
size_t form_count(const struct form *f, const char *name);

/* Frees the fields after the first n (a parser undoing its additions). */
void form_truncate(struct form *f, size_t n);

/* Frees every field and empties f (it can be reused). */
void form_free(struct form *f);

/* Adds one field, taking ownership of the malloc'd strings (any of
 * value, filename, content_type may be NULL; a NULL value becomes "").
 * On error the strings are freed.  For parsers; handlers only read. */
enum err form_add(struct form *f, char *name, char *value, size_t value_len,
                  char *filename, char *content_type);

/*
 * Finds cookie name in a Cookie request header (RFC 6265 §4.2: pairs
 * "name=value" separated by ';' and optional white space; a value may be
 * wrapped in double quotes, which are removed).  Names compare exactly;
 * the first match wins.  Copies the value, NUL-terminated, to out.
 * Returns 0 when found, -1 when absent, when the header is NULL, when the
 * value holds a byte outside cookie-octet (controls, space, '"', ',',
 * ';', '\\', non-ASCII) or when it does not fit in outlen bytes.
 */
int form_cookie(const char *cookie_header, const char *name, char *out,
                size_t outlen);

#endif
