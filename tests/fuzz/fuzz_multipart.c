/* fuzz_multipart.c — the streaming multipart parser.  The first line of
 * the input is the Content-Type, the rest the body.  The body is parsed
 * whole and again in chunks whose sizes come from the input itself; both
 * runs must agree on the result and, on success, on every callback.
 * form_parse_multipart then runs on the same body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/text.h"
#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct rec {
	struct buf t;
	int in_part;
};

static int
rec_begin(void *u, const char *name, const char *filename, const char *ct)
{
	struct rec *r = u;
	if (r->in_part || !text_utf8_valid(name, strlen(name)) ||
	    (filename && !text_utf8_valid(filename, strlen(filename))))
		abort();
	r->in_part = 1;
	buf_printf(&r->t, "[%s|%s|%s]", name, filename ? filename : "-",
	           ct ? ct : "-");
	return 0;
}

static int
rec_data(void *u, const char *d, size_t n)
{
	struct rec *r = u;
	if (!r->in_part || n == 0)
		abort();
	buf_append(&r->t, d, n);
	return 0;
}

static int
rec_end(void *u)
{
	struct rec *r = u;
	if (!r->in_part)
		abort();
	r->in_part = 0;
	buf_puts(&r->t, "[end]");
	return 0;
}

static const struct mp_callbacks cb = {rec_begin, rec_data, rec_end};

/* Parses body with chunk sizes drawn from seed (0: all at once). */
static enum err
run(const char *boundary, const char *body, size_t len, uint32_t seed,
    struct rec *r)
{
	struct mp_limits lim = {512, 16, 4096};
	struct mp_parser *p = mp_new(boundary, &cb, r, &lim);
	if (!p)
		abort();   /* mp_boundary accepted it */
	enum err e = ERR_OK;
	size_t at = 0;
	while (at < len && e == ERR_OK) {
		size_t step = len - at;
		if (seed) {
			seed = seed * 1103515245u + 12345u;
			step = 1 + (seed >> 16) % 32;
			if (step > len - at)
				step = len - at;
		}
		/* an exact-size copy, so reading past a chunk is caught */
		char *chunk = malloc(step);
		if (!chunk)
			abort();
		memcpy(chunk, body + at, step);
		e = mp_feed(p, chunk, step);
		free(chunk);
		at += step;
	}
	enum err fin = mp_finish(p);
	if (e != ERR_OK && fin != e)
		abort();   /* errors are sticky */
	mp_free(p);
	return fin;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	if (!nl)
		return 0;
	size_t ctlen = (size_t)(nl - (const char *)data);
	char *ct = malloc(ctlen + 1);
	if (!ct)
		return 0;
	memcpy(ct, data, ctlen);
	ct[ctlen] = '\0';
	const char *body = nl + 1;
	size_t len = size - ctlen - 1;

	char boundary[71];
	if (mp_boundary(ct, boundary, sizeof boundary) == 0) {
		uint32_t seed = 2166136261u;
		for (size_t i = 0; i < size; i++)
			seed = (seed ^ data[i]) * 16777619u;
		seed |= 1;
		struct rec a = {BUF_INIT, 0}, b = {BUF_INIT, 0};
		enum err ea = run(boundary, body, len, 0, &a);
		enum err eb = run(boundary, body, len, seed, &b);
		if (ea != eb)
			abort();
		if (ea == ERR_OK && (a.t.len != b.t.len ||
		    (a.t.len && memcmp(a.t.data, b.t.data, a.t.len) != 0)))
			abort();
		buf_free(&a.t);
		buf_free(&b.t);
	}
	struct form f = FORM_INIT;
	if (form_parse_multipart(&f, ct, body, len, 16, 4096) == ERR_OK) {
		for (size_t i = 0; i < f.n; i++) {
			const struct form_field *fl = &f.v[i];
			if (!text_utf8_valid(fl->name, strlen(fl->name)))
				abort();
			if (!fl->filename && !text_utf8_valid(fl->value, fl->value_len))
				abort();
		}
	} else if (f.n != 0) {
		abort();
	}
	form_free(&f);
	free(ct);
	return 0;
}
