/* test_multipart.c — the streaming multipart/form-data parser and
 * form_parse_multipart (src/http/multipart.c).
 *
 * Every body is fed whole, split at every byte offset into two chunks,
 * one byte at a time and in pseudo-random chunks; all must give the same
 * result and the same transcript of callbacks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/buf.h"
#include "http/multipart.h"

#define B "XyZ-boundary"
#define CT "multipart/form-data; boundary=" B

/* ---- a recorder of callbacks ------------------------------------------- */

struct rec {
	struct buf t;     /* transcript: "[name|filename|type]" data "[end]" */
	int abort_on;     /* 1 begin, 2 data, 3 end: return ERR_FORBIDDEN */
	int in_part;
};

static int
rec_begin(void *u, const char *name, const char *filename, const char *ct)
{
	struct rec *r = u;
	assert_false(r->in_part);
	r->in_part = 1;
	buf_printf(&r->t, "[%s|%s|%s]", name, filename ? filename : "-",
	           ct ? ct : "-");
	return r->abort_on == 1 ? ERR_FORBIDDEN : 0;
}

static int
rec_data(void *u, const char *d, size_t n)
{
	struct rec *r = u;
	assert_true(r->in_part);
	assert_true(n > 0);
	buf_append(&r->t, d, n);
	return r->abort_on == 2 ? ERR_FORBIDDEN : 0;
}

static int
rec_end(void *u)
{
	struct rec *r = u;
	assert_true(r->in_part);
	r->in_part = 0;
	buf_puts(&r->t, "[end]");
	return r->abort_on == 3 ? ERR_FORBIDDEN : 0;
}

static const struct mp_callbacks rec_cb = {rec_begin, rec_data, rec_end};

/* Feeds body in chunks: cuts[] are the chunk ends (ascending), then
 * finishes.  Returns the first error; the transcript is in r->t. */
static enum err
run_cuts(const char *boundary, const char *body, size_t len,
         const size_t *cuts, size_t ncuts, const struct mp_limits *lim,
         struct rec *r)
{
	struct mp_parser *p = mp_new(boundary, &rec_cb, r, lim);
	assert_non_null(p);
	enum err e = ERR_OK;
	size_t at = 0;
	for (size_t k = 0; k <= ncuts && e == ERR_OK; k++) {
		size_t end = k < ncuts ? cuts[k] : len;
		/* copy each chunk so ASan sees any read past its end */
		char *chunk = malloc(end - at + 1);
		memcpy(chunk, body + at, end - at);
		e = mp_feed(p, chunk, end - at);
		free(chunk);
		at = end;
	}
	if (e == ERR_OK)
		e = mp_finish(p);
	else
		assert_int_equal(mp_finish(p), e);   /* errors are sticky */
	mp_free(p);
	return e;
}

/*
 * Checks one body every way it can be chunked.  When want == ERR_OK the
 * transcript must equal want_t; on error only the code is compared (how
 * much data reached the callbacks before the error depends on chunking).
 */
static void
check_lim(const char *boundary, const char *body, size_t len,
          const struct mp_limits *lim, enum err want, const char *want_t)
{
	struct rec r = {BUF_INIT, 0, 0};
	enum err e = run_cuts(boundary, body, len, NULL, 0, lim, &r);
	if (e != want)
		fail_msg("whole body: got %d want %d, transcript %s", e, want,
		         buf_str(&r.t));
	if (want == ERR_OK && want_t) {
		assert_int_equal(r.t.len, strlen(want_t));
		assert_memory_equal(r.t.data, want_t, r.t.len);
	}
	struct buf whole = r.t;

	for (size_t cut = 0; cut <= len; cut++) {
		struct rec r2 = {BUF_INIT, 0, 0};
		e = run_cuts(boundary, body, len, &cut, 1, lim, &r2);
		if (e != want)
			fail_msg("split at %zu: got %d want %d", cut, e, want);
		if (want == ERR_OK) {
			assert_int_equal(r2.t.len, whole.len);
			assert_memory_equal(r2.t.data, whole.data, whole.len);
		}
		buf_free(&r2.t);
	}
	/* one byte at a time, and pseudo-random chunk sizes */
	size_t *cuts = malloc((len + 1) * sizeof *cuts);
	for (int mode = 0; mode < 4; mode++) {
		size_t n = 0;
		unsigned seed = 12345u + (unsigned)mode;
		for (size_t at = 0; at < len;) {
			size_t step = 1;
			if (mode) {
				seed = seed * 1103515245u + 12345u;
				step = 1 + (seed >> 16) % (mode == 1 ? 3 : mode == 2 ? 17 : 80);
			}
			at = at + step > len ? len : at + step;
			cuts[n++] = at;
		}
		struct rec r3 = {BUF_INIT, 0, 0};
		e = run_cuts(boundary, body, len, cuts, n, lim, &r3);
		if (e != want)
			fail_msg("chunk mode %d: got %d want %d", mode, e, want);
		if (want == ERR_OK) {
			assert_int_equal(r3.t.len, whole.len);
			assert_memory_equal(r3.t.data, whole.data, whole.len);
		}
		buf_free(&r3.t);
	}
	free(cuts);
	buf_free(&whole);
}

#define CHECK(body, want, want_t) check_lim(B, body, sizeof(body) - 1, NULL, want, want_t)

/* ---- the parser -------------------------------------------------------- */

static void
test_basic(void **state)
{
	(void)state;
	CHECK("--" B "\r\n"
	      "Content-Disposition: form-data; name=\"ho_ten\"\r\n"
	      "\r\n"
	      "Nguyễn Văn A\r\n"
	      "--" B "\r\n"
	      "content-disposition: FORM-DATA; name=\"file\"; filename=\"don.pdf\"\r\n"
	      "Content-Type: application/pdf\r\n"
	      "\r\n"
	      "%PDF\r\nline2\r\n\r\n--not-a-boundary\r\n--XyZ-bound\r\r\n\r\n-\r\n--" B "x"
	      "\r\n"
	      "--" B "--\r\n",
	      ERR_BAD_FORM, NULL);   /* "--B" then 'x': boundary inside data */
	CHECK("--" B "\r\n"
	      "Content-Disposition: form-data; name=\"ho_ten\"\r\n"
	      "\r\n"
	      "Nguyễn Văn A\r\n"
	      "--" B "\r\n"
	      "content-disposition: FORM-DATA; name=\"file\"; filename=\"don.pdf\"\r\n"
	      "Content-Type: application/pdf\r\n"
	      "X-Other: ignored\r\n"
	      "\r\n"
	      "%PDF\r\nline2\r\n\r\n--not-a-boundary\r\n--XyZ-bound\r\r\n\r\n-\r\n--XyZ-boundar\r\n"
	      "\r\n"
	      "--" B "--\r\n",
	      ERR_OK,
	      "[ho_ten|-|-]Nguyễn Văn A[end]"
	      "[file|don.pdf|application/pdf]"
	      "%PDF\r\nline2\r\n\r\n--not-a-boundary\r\n--XyZ-bound\r\r\n\r\n-\r\n--XyZ-boundar\r\n[end]");
}

static void
test_empty_parts_and_binary(void **state)
{
	(void)state;
	/* empty data, data of only CRLF, binary with NUL and CR */
	static const char body[] =
	      "--" B "\r\n"
	      "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
	      "\r\n--" B "\r\n"
	      "Content-Disposition: form-data; name=\"b\"\r\n\r\n"
	      "\r\n"
	      "\r\n--" B "\r\n"
	      "Content-Disposition: form-data; name=\"c\"; filename=\"x.bin\"\r\n\r\n"
	      "\0\r\0\n\r\r\r\n\0"
	      "\r\n--" B "--";
	static const char want[] =
	      "[a|-|-][end][b|-|-]\r\n[end][c|x.bin|-]\0\r\0\n\r\r\r\n\0[end]";
	struct rec r = {BUF_INIT, 0, 0};
	assert_int_equal(run_cuts(B, body, sizeof body - 1, NULL, 0, NULL, &r), ERR_OK);
	assert_int_equal(r.t.len, sizeof want - 1);
	assert_memory_equal(r.t.data, want, sizeof want - 1);
	buf_free(&r.t);
	check_lim(B, body, sizeof body - 1, NULL, ERR_OK, NULL);
}

static void
test_preamble_epilogue(void **state)
{
	(void)state;
	CHECK("This is a preamble.\r\nxx--" B "x is not it\r\n-- " B "\r\n"
	      "--" B "\r\n"
	      "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
	      "1\r\n"
	      "--" B "--\r\n"
	      "epilogue --" B "\r\n garbage \xff\0",
	      ERR_OK, "[a|-|-]1[end]");
	/* preamble that is only a CRLF */
	CHECK("\r\n--" B "\r\n"
	      "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
	      "1\r\n--" B "--",
	      ERR_OK, "[a|-|-]1[end]");
	/* transport padding after a delimiter */
	CHECK("--" B " \t \r\n"
	      "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
	      "1\r\n--" B "--",
	      ERR_OK, "[a|-|-]1[end]");
	/* a body with no parts at all */
	CHECK("--" B "--\r\n", ERR_OK, "");
}

static void
test_missing_final_boundary(void **state)
{
	(void)state;
	CHECK("", ERR_BAD_FORM, NULL);
	CHECK("no boundary here", ERR_BAD_FORM, NULL);
	CHECK("--" B, ERR_BAD_FORM, NULL);
	CHECK("--" B "\r\n", ERR_BAD_FORM, NULL);
	CHECK("--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n", ERR_BAD_FORM, NULL);
	CHECK("--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue",
	      ERR_BAD_FORM, NULL);
	CHECK("--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--" B,
	      ERR_BAD_FORM, NULL);
	CHECK("--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--" B "-",
	      ERR_BAD_FORM, NULL);
	CHECK("--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--" B "\r\n",
	      ERR_BAD_FORM, NULL);
	/* the closing delimiter needs its CRLF before it */
	CHECK("--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue--" B "--",
	      ERR_BAD_FORM, NULL);
	CHECK("--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\n--" B "--",
	      ERR_BAD_FORM, NULL);
}

static void
test_crlf_strict(void **state)
{
	(void)state;
	/* LF-only delimiter lines and header lines are refused */
	CHECK("--" B "\nContent-Disposition: form-data; name=\"a\"\n\nv\n--" B "--",
	      ERR_BAD_FORM, NULL);
	CHECK("--" B "\r\nContent-Disposition: form-data; name=\"a\"\n\r\nv\r\n--" B "--",
	      ERR_BAD_FORM, NULL);
	CHECK("--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\r\n\r\nv\r\n--" B "--",
	      ERR_BAD_FORM, NULL);
	CHECK("--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\n\r\nv\r\n--" B "--",
	      ERR_BAD_FORM, NULL);
	CHECK("--" B "\r\rContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" B "--",
	      ERR_BAD_FORM, NULL);
	/* boundary followed by anything but "--", padding, CRLF */
	CHECK("--" B "x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" B "--",
	      ERR_BAD_FORM, NULL);
	CHECK("--" B " -\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" B "--",
	      ERR_BAD_FORM, NULL);
}

#define PART(hdrs) ("--" B "\r\n" hdrs "\r\nv\r\n--" B "--")

static void
test_headers(void **state)
{
	(void)state;
	/* escaped quotes and ';' inside quoted parameters, bare tokens,
	 * spaces around '=' and ';', UTF-8 filename, filename* ignored */
	CHECK(PART("Content-Disposition: form-data; name=\"a;b\"; filename=\"x\\\"y\\\\z.txt\"\r\n"),
	      ERR_OK, "[a;b|x\"y\\z.txt|-]v[end]");
	CHECK(PART("Content-Disposition:form-data;name=tok;filename=f.txt\r\n"),
	      ERR_OK, "[tok|f.txt|-]v[end]");
	CHECK(PART("Content-Disposition: form-data ; name = \"a\" ; \r\n"),
	      ERR_OK, "[a|-|-]v[end]");
	CHECK(PART("Content-Disposition: form-data; name=\"t\xc3\xaan\"; filename=\"\xc4\x91\xc6\xa1n.pdf\"; filename*=UTF-8''x\r\n"
	           "Content-Type:   text/plain; charset=utf-8  \r\n"),
	      ERR_OK, "[tên|đơn.pdf|text/plain; charset=utf-8]v[end]");
	CHECK(PART("Content-Disposition: form-data; name=\"\"; filename=\"\"\r\n"),
	      ERR_OK, "[||-]v[end]");
	/* malformed */
	CHECK(PART(""), ERR_BAD_FORM, NULL);                             /* no headers */
	CHECK(PART("Content-Type: text/plain\r\n"), ERR_BAD_FORM, NULL);  /* no disposition */
	CHECK(PART("Content-Disposition: attachment; name=\"a\"\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; filename=\"a\"\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\\\"\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\"; name=\"b\"\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data name=\"a\"\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\"x\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\"\r\n"
	           "Content-Disposition: form-data; name=\"b\"\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\"\r\n"
	           "Content-Type: a\r\nContent-Type: b\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\"\r\nContent-Type:\r\n"),
	      ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\"\r\nContent-Type: t\xc3\xa9xt\r\n"),
	      ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\"\r\nNo colon here\r\n"),
	      ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\"\r\n: empty name\r\n"),
	      ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition : form-data; name=\"a\"\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data;\r\n name=\"a\"\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\0\"\r\n"), ERR_BAD_FORM, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\"\r\nX-A: \0\r\n"), ERR_BAD_FORM, NULL);
	/* invalid UTF-8 in a name or filename */
	CHECK(PART("Content-Disposition: form-data; name=\"\xff\"\r\n"), ERR_BAD_UTF8, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"a\"; filename=\"\xc3(\"\r\n"),
	      ERR_BAD_UTF8, NULL);
	CHECK(PART("Content-Disposition: form-data; name=\"\xed\xa0\x80\"\r\n"), ERR_BAD_UTF8, NULL);
}

static void
test_limits(void **state)
{
	(void)state;
	struct mp_limits lim = {64, 2, 5};
#define P(name, data) "--" B "\r\nContent-Disposition: form-data; name=\"" name "\"\r\n\r\n" data "\r\n"
	static const char two[] = P("a", "12345") P("b", "") "--" B "--";
	static const char three[] = P("a", "1") P("b", "2") P("c", "3") "--" B "--";
	static const char big[] = P("a", "123456") "--" B "--";
	/* 5 bytes of data that look like the start of a delimiter */
	static const char crs[] = P("a", "\r\n\r\n\r") "--" B "--";
	static const char crs6[] = P("a", "\r\n--XyZ") "--" B "--";
	check_lim(B, two, sizeof two - 1, &lim, ERR_OK, "[a|-|-]12345[end][b|-|-][end]");
	check_lim(B, three, sizeof three - 1, &lim, ERR_TOO_MANY_FIELDS, NULL);
	check_lim(B, big, sizeof big - 1, &lim, ERR_BODY_TOO_LARGE, NULL);
	check_lim(B, crs, sizeof crs - 1, &lim, ERR_OK, "[a|-|-]\r\n\r\n\r[end]");
	check_lim(B, crs6, sizeof crs6 - 1, &lim, ERR_BODY_TOO_LARGE, NULL);
	/* header block: 64 bytes including the empty line */
	static const char hdr_ok[] = "--" B "\r\nContent-Disposition: form-data; name=\"abcdefghijklmnopqrstu\"\r\n\r\nv\r\n--" B "--";
	static const char hdr_big[] = "--" B "\r\nContent-Disposition: form-data; name=\"abcdefghijklmnopqrstuv\"\r\n\r\nv\r\n--" B "--";
	check_lim(B, hdr_ok, sizeof hdr_ok - 1, &lim, ERR_OK, NULL);
	check_lim(B, hdr_big, sizeof hdr_big - 1, &lim, ERR_BAD_FORM, NULL);
	/* endless padding or headers are cut off */
	struct buf b = BUF_INIT;
	buf_puts(&b, "--" B);
	for (int i = 0; i < 100; i++)
		buf_putc(&b, ' ');
	buf_puts(&b, "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" B "--");
	struct rec r = {BUF_INIT, 0, 0};
	assert_int_equal(run_cuts(B, b.data, b.len, NULL, 0, &lim, &r), ERR_BAD_FORM);
	buf_free(&r.t);
	buf_free(&b);
#undef P
}

/* Default limits: a 1 MiB part streams through with little memory. */
static void
test_large_part(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_puts(&b, "--" B "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big\"\r\n\r\n");
	size_t start = b.len;
	for (int i = 0; i < 1 << 20; i++)
		buf_putc(&b, "\r\n-X"[i % 4]);
	size_t dlen = b.len - start;
	buf_puts(&b, "\r\n--" B "--\r\n");
	struct rec r = {BUF_INIT, 0, 0};
	size_t cuts[] = {start + 3, start + 1000, b.len - 20, b.len - 5};
	assert_int_equal(run_cuts(B, b.data, b.len, cuts, 4, NULL, &r), ERR_OK);
	size_t head = strlen("[f|big|-]");
	assert_int_equal(r.t.len, head + dlen + strlen("[end]"));
	assert_memory_equal(r.t.data + head, b.data + start, dlen);
	buf_free(&r.t);
	buf_free(&b);
}

static void
test_callback_abort(void **state)
{
	(void)state;
	static const char body[] = PART("Content-Disposition: form-data; name=\"a\"\r\n");
	for (int which = 1; which <= 3; which++) {
		struct rec r = {BUF_INIT, which, 0};
		struct mp_parser *p = mp_new(B, &rec_cb, &r, NULL);
		assert_int_equal(mp_feed(p, body, sizeof body - 1), ERR_FORBIDDEN);
		assert_int_equal(mp_feed(p, "x", 1), ERR_FORBIDDEN);
		assert_int_equal(mp_finish(p), ERR_FORBIDDEN);
		mp_free(p);
		buf_free(&r.t);
	}
	/* NULL callbacks are allowed */
	struct mp_callbacks none = {NULL, NULL, NULL};
	struct mp_parser *p = mp_new(B, &none, NULL, NULL);
	assert_int_equal(mp_feed(p, body, sizeof body - 1), ERR_OK);
	assert_int_equal(mp_finish(p), ERR_OK);
	mp_free(p);
	p = mp_new(B, NULL, NULL, NULL);
	assert_int_equal(mp_feed(p, body, sizeof body - 1), ERR_OK);
	assert_int_equal(mp_feed(p, NULL, 0), ERR_OK);
	assert_int_equal(mp_finish(p), ERR_OK);
	mp_free(p);
}

/* A boundary made of every odd bchar, including spaces inside. */
static void
test_odd_boundary(void **state)
{
	(void)state;
#define OB "'()+_,-./:=? x"
	static const char body[] = "--" OB "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n-" OB "\r\n--" OB "--";
	check_lim(OB, body, sizeof body - 1, NULL, ERR_OK, "[a|-|-]-" OB "[end]");
	/* a one-character boundary */
	static const char b1[] = "--z\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n-\r\n-z-\r\n--z--";
	check_lim("z", b1, sizeof b1 - 1, NULL, ERR_OK, "[a|-|-]\r\n-\r\n-z-[end]");
#undef OB
}

static void
test_mp_new_rejects(void **state)
{
	(void)state;
	char b71[72];
	memset(b71, 'a', 71);
	b71[71] = '\0';
	assert_null(mp_new(NULL, &rec_cb, NULL, NULL));
	assert_null(mp_new("", &rec_cb, NULL, NULL));
	assert_null(mp_new(b71, &rec_cb, NULL, NULL));
	assert_null(mp_new("a\r", &rec_cb, NULL, NULL));
	assert_null(mp_new("a ", &rec_cb, NULL, NULL));
	assert_null(mp_new("a\"b", &rec_cb, NULL, NULL));
	b71[70] = '\0';
	struct mp_parser *p = mp_new(b71, &rec_cb, NULL, NULL);
	assert_non_null(p);
	mp_free(p);
	mp_free(NULL);
}

static void
test_boundary_param(void **state)
{
	(void)state;
	char out[80];
	assert_int_equal(mp_boundary("multipart/form-data; boundary=abc", out, sizeof out), 0);
	assert_string_equal(out, "abc");
	assert_int_equal(mp_boundary("Multipart/Form-Data;BOUNDARY=----WebKitFormBoundary7MA4YWxkTrZu0gW", out, sizeof out), 0);
	assert_string_equal(out, "----WebKitFormBoundary7MA4YWxkTrZu0gW");
	assert_int_equal(mp_boundary("multipart/form-data; charset=utf-8; boundary=\"a b:c\"", out, sizeof out), 0);
	assert_string_equal(out, "a b:c");
	assert_int_equal(mp_boundary("multipart/form-data; boundary=\"a\\=b\"; x=y", out, sizeof out), 0);
	assert_string_equal(out, "a=b");
	assert_int_equal(mp_boundary("  multipart/form-data ;boundary = xyz ; ", out, sizeof out), 0);
	assert_string_equal(out, "xyz");
	/* refused */
	assert_int_equal(mp_boundary(NULL, out, sizeof out), -1);
	assert_int_equal(mp_boundary("", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-data", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-data;", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/mixed; boundary=abc", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-dataX; boundary=abc", out, sizeof out), -1);
	assert_int_equal(mp_boundary("text/plain; boundary=abc", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=\"\"", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=\"abc", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=\"abc \"", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=a;boundary=b", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=a\"b", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=a\xc3\xa9", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=a*b", out, sizeof out), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=abc", out, 3), -1);
	assert_int_equal(mp_boundary("multipart/form-data; boundary=abc", out, 4), 0);
	char ct[200];
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%070d", 7);
	assert_int_equal(mp_boundary(ct, out, sizeof out), 0);
	assert_int_equal(strlen(out), 70);
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%071d", 7);
	assert_int_equal(mp_boundary(ct, out, sizeof out), -1);
}

/* ---- form_parse_multipart ---------------------------------------------- */

static void
test_form_multipart(void **state)
{
	(void)state;
	static const char body[] =
		"--" B "\r\n"
		"Content-Disposition: form-data; name=\"ho_ten\"\r\n\r\n"
		"Nguye\xcc\x82\xcc\x83n Va\xcc\x86n A\r\n"   /* decomposed */
		"--" B "\r\n"
		"Content-Disposition: form-data; name=\"giay_to\"; filename=\"CCCD.jpg\"\r\n"
		"Content-Type: image/jpeg\r\n\r\n"
		"\xff\xd8\xff\0\xe0\r\n"
		"--" B "\r\n"
		"Content-Disposition: form-data; name=\"trong\"; filename=\"\"\r\n"
		"Content-Type: application/octet-stream\r\n\r\n"
		"\r\n"
		"--" B "--\r\n";
	struct form f = FORM_INIT;
	assert_int_equal(form_parse_urlencoded(&f, "q=1", 3, 10), ERR_OK);
	assert_int_equal(form_parse_multipart(&f, CT, body, sizeof body - 1, 10, 1000), ERR_OK);
	assert_int_equal(f.n, 4);
	assert_string_equal(form_get(&f, "ho_ten"), "Nguyễn Văn A");
	assert_null(f.v[1].filename);
	assert_null(f.v[1].content_type);
	assert_string_equal(f.v[2].name, "giay_to");
	assert_string_equal(f.v[2].filename, "CCCD.jpg");
	assert_string_equal(f.v[2].content_type, "image/jpeg");
	assert_int_equal(f.v[2].value_len, 5);
	assert_memory_equal(f.v[2].value, "\xff\xd8\xff\0\xe0", 6);   /* NUL-terminated too */
	assert_string_equal(f.v[3].filename, "");
	assert_int_equal(f.v[3].value_len, 0);
	assert_string_equal(f.v[3].value, "");

	/* errors roll back to the fields held before */
	assert_int_equal(form_parse_multipart(&f, CT, body, sizeof body - 1, 6, 1000),
	                 ERR_TOO_MANY_FIELDS);
	assert_int_equal(f.n, 4);
	assert_int_equal(form_parse_multipart(&f, CT, body, sizeof body - 1, 100, 5),
	                 ERR_BODY_TOO_LARGE);
	assert_int_equal(f.n, 4);
	assert_int_equal(form_parse_multipart(&f, CT, body, sizeof body - 10, 100, 1000),
	                 ERR_BAD_FORM);
	assert_int_equal(f.n, 4);
	form_free(&f);
}

static void
test_form_multipart_errors(void **state)
{
	(void)state;
	struct form f = FORM_INIT;
	static const char bad_text[] = PART("Content-Disposition: form-data; name=\"a\"\r\n");
	assert_int_equal(form_parse_multipart(&f, "application/x-www-form-urlencoded",
	                                      bad_text, sizeof bad_text - 1, 10, 100),
	                 ERR_UNSUPPORTED_MEDIA);
	assert_int_equal(form_parse_multipart(&f, NULL, bad_text, sizeof bad_text - 1, 10, 100),
	                 ERR_UNSUPPORTED_MEDIA);
	assert_int_equal(form_parse_multipart(&f, "multipart/form-data", bad_text,
	                                      sizeof bad_text - 1, 10, 100), ERR_BAD_FORM);
	assert_int_equal(form_parse_multipart(&f, "multipart/form-data; boundary=other",
	                                      bad_text, sizeof bad_text - 1, 10, 100), ERR_BAD_FORM);
	/* text parts must be UTF-8 without NUL; file parts may hold anything */
	static const char nul_text[] = "--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\0y\r\n--" B "--";
	static const char bin_text[] = "--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xc3\r\n--" B "--";
	static const char bin_file[] = "--" B "\r\nContent-Disposition: form-data; name=\"a\"; filename=\"f\"\r\n\r\n\xc3\0\r\n--" B "--";
	assert_int_equal(form_parse_multipart(&f, CT, nul_text, sizeof nul_text - 1, 10, 100), ERR_BAD_UTF8);
	assert_int_equal(form_parse_multipart(&f, CT, bin_text, sizeof bin_text - 1, 10, 100), ERR_BAD_UTF8);
	assert_int_equal(f.n, 0);
	assert_int_equal(form_parse_multipart(&f, CT, bin_file, sizeof bin_file - 1, 10, 100), ERR_OK);
	assert_int_equal(f.v[0].value_len, 2);
	form_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_empty_parts_and_binary),
		cmocka_unit_test(test_preamble_epilogue),
		cmocka_unit_test(test_missing_final_boundary),
		cmocka_unit_test(test_crlf_strict),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_large_part),
		cmocka_unit_test(test_callback_abort),
		cmocka_unit_test(test_odd_boundary),
		cmocka_unit_test(test_mp_new_rejects),
		cmocka_unit_test(test_boundary_param),
		cmocka_unit_test(test_form_multipart),
		cmocka_unit_test(test_form_multipart_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
