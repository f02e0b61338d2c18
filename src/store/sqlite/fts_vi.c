/*
 * fts_vi.c — see fts_vi.h.
 *
 * The tokenizer does not re-implement unicode61: it creates one through
 * the fts5_api of the connection and filters the tokens it emits.  Since
 * unicode61 writes every token into its own buffer, already lower-cased
 * (so Đ has become đ), the filter only has to replace the two bytes
 * C4 91 (and C4 90, to be safe) with "d".  Combining marks of decomposed
 * input are dropped by unicode61 itself with remove_diacritics 2 (they
 * neither split a word nor stay in it), so NFD and NFC input give the
 * same tokens, with offsets into the original text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unicode/ucol.h>
#include <utf8proc.h>
#include "core/buf.h"
#include "core/errors.h"
#include "core/text.h"
#include "store/sqlite/fts_vi.h"

/* ---- the tokenizer ------------------------------------------------------ */

/* User data of the "vi" tokenizer: unicode61's methods and user data,
 * looked up once at registration; freed with the connection. */
struct vi_module {
	fts5_tokenizer base;
	void *base_ud;
};

/* One tokenizer instance (one per FTS5 table that uses it). */
struct vi_tok {
	struct vi_module *m;
	Fts5Tokenizer *inner;   /* the unicode61 instance */
};

typedef int (*vi_token_fn)(void *ctx, int tflags, const char *tok, int n,
                           int start, int end);

/* State of one xTokenize call: the caller's callback and a buffer for
 * rewritten tokens (on the stack for ordinary words). */
struct vi_call {
	void *ctx;
	vi_token_fn x_token;
	char small[128];
	char *heap;
	size_t cap;
};

static fts5_api *
fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

static int
vi_create(void *ud, const char **argv, int argc, Fts5Tokenizer **out)
{
	struct vi_module *m = ud;
	struct vi_tok *t;
	const char **args;
	int rc;

	*out = NULL;
	if (argc < 0 || argc > 1000)
		return SQLITE_ERROR;
	args = sqlite3_malloc64(sizeof *args * ((size_t)argc + 2));
	t = sqlite3_malloc64(sizeof *t);
	if (!args || !t) {
		sqlite3_free(args);
		sqlite3_free(t);
		return SQLITE_NOMEM;
	}
	args[0] = "remove_diacritics";
	args[1] = "2";
	for (int i = 0; i < argc; i++)
		args[i + 2] = argv[i];
	t->m = m;
	t->inner = NULL;
	rc = m->base.xCreate(m->base_ud, args, argc + 2, &t->inner);
	sqlite3_free(args);
	if (rc != SQLITE_OK) {
		sqlite3_free(t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void
vi_delete(Fts5Tokenizer *p)
{
	struct vi_tok *t = (struct vi_tok *)p;
	if (!t)
		return;
	if (t->inner)
		t->m->base.xDelete(t->inner);
	sqlite3_free(t);
}

/* 1 if tok[i..] starts with the UTF-8 of đ (U+0111) or Đ (U+0110). */
static int
is_dd(const unsigned char *u, int n, int i)
{
	return u[i] == 0xC4 && i + 1 < n && (u[i + 1] == 0x90 || u[i + 1] == 0x91);
}

/* unicode61's callback: rewrites đ → d, then hands the token on. */
static int
vi_token(void *p, int tflags, const char *tok, int n, int start, int end)
{
	struct vi_call *c = p;
	const unsigned char *u = (const unsigned char *)tok;
	int i = 0;

	if (n <= 0 || !tok)
		return c->x_token(c->ctx, tflags, tok, n, start, end);
	while (i < n && !is_dd(u, n, i))
		i++;
	if (i == n)   /* the usual case: nothing to rewrite */
		return c->x_token(c->ctx, tflags, tok, n, start, end);

	/* The result is never longer than the token (2 bytes become 1). */
	char *out = c->small;
	if ((size_t)n > sizeof c->small) {
		if ((size_t)n > c->cap) {
			char *h = sqlite3_realloc64(c->heap, (sqlite3_uint64)n);
			if (!h)
				return SQLITE_NOMEM;
			c->heap = h;
			c->cap = (size_t)n;
		}
		out = c->heap;
	}
	memcpy(out, tok, (size_t)i);
	int len = i;
	while (i < n) {
		if (is_dd(u, n, i)) {
			out[len++] = 'd';
			i += 2;
		} else {
			out[len++] = tok[i++];
		}
	}
	return c->x_token(c->ctx, tflags, out, len, start, end);
}

static int
vi_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text,
            int n, vi_token_fn x_token)
{
	struct vi_tok *t = (struct vi_tok *)p;
	struct vi_call c;

	c.ctx = ctx;
	c.x_token = x_token;
	c.heap = NULL;
	c.cap = 0;
	int rc = t->m->base.xTokenize(t->inner, &c, flags, text, n, vi_token);
	sqlite3_free(c.heap);
	return rc;
}

static void
vi_module_free(void *p)
{
	sqlite3_free(p);
}

static int
register_tokenizer(sqlite3 *db)
{
	fts5_api *api = fts5_api_of(db);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;   /* no FTS5 in this SQLite */

	struct vi_module *m = sqlite3_malloc64(sizeof *m);
	if (!m)
		return SQLITE_NOMEM;
	memset(m, 0, sizeof *m);
	int rc = api->xFindTokenizer(api, "unicode61", &m->base_ud, &m->base);
	if (rc != SQLITE_OK) {
		sqlite3_free(m);
		return rc;
	}
	static fts5_tokenizer vi = {vi_create, vi_delete, vi_tokenize};
	rc = api->xCreateTokenizer(api, "vi", m, &vi, vi_module_free);
	if (rc != SQLITE_OK)   /* FTS5 does not call the destructor then */
		sqlite3_free(m);
	return rc;
}

/* ---- the collation ------------------------------------------------------ */

static int
vi_collate(void *ud, int na, const void *a, int nb, const void *b)
{
	UErrorCode st = U_ZERO_ERROR;
	UCollationResult r = ucol_strcollUTF8((UCollator *)ud, a, na, b, nb, &st);

	if (U_FAILURE(st)) {   /* cannot happen with valid arguments; stay a total order */
		int k = memcmp(a, b, (size_t)(na < nb ? na : nb));
		return k ? k : (na > nb) - (na < nb);
	}
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

static void
vi_collator_close(void *ud)
{
	ucol_close((UCollator *)ud);
}

static int
register_collation(sqlite3 *db)
{
	UErrorCode st = U_ZERO_ERROR;
	UCollator *coll = ucol_open("vi", &st);

	/* U_USING_DEFAULT_WARNING means ICU has no Vietnamese rules and fell
	 * back to the root order, where ă and â are mere accents on a (so
	 * "Ăn" sorts before "Anh"): refuse rather than sort wrongly. */
	if (U_FAILURE(st) || st == U_USING_DEFAULT_WARNING) {
		ucol_close(coll);
		return SQLITE_ERROR;
	}
	/* NFC, NFD and marks out of canonical order compare equal.  ICU's
	 * "vi" rules already turn this on; set it so that does not depend on
	 * the locale data (it costs an FCD check, nothing for NFC text). */
	st = U_ZERO_ERROR;
	ucol_setAttribute(coll, UCOL_NORMALIZATION_MODE, UCOL_ON, &st);
	if (U_FAILURE(st)) {
		ucol_close(coll);
		return SQLITE_ERROR;
	}
	int rc = sqlite3_create_collation_v2(db, "vi", SQLITE_UTF8, coll,
	                                     vi_collate, vi_collator_close);
	if (rc != SQLITE_OK)   /* SQLite does not call the destructor then */
		ucol_close(coll);
	return rc;
}

/* ---- vi_fold(text) ------------------------------------------------------ */

static void
vi_fold_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;   /* NULL in, NULL out */
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	int n = sqlite3_value_bytes(argv[0]);
	if (!text_utf8_valid(s, (size_t)n))   /* also refuses an inner NUL */
		return;
	char *f = text_fold(s);
	if (!f) {
		/* Valid UTF-8, so: too many marks in a row, or out of memory.
		 * text_nfc applies the same bound and tells the two apart. */
		enum err e;
		char *t = text_nfc(s, (size_t)n, &e);
		free(t);
		if (e != ERR_BAD_UTF8)
			sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, f, -1, free);
}

/* ---- vi_quick(name, folded query) --------------------------------------- */

/* How closely a name matches an already folded query, for the catalogue's
 * first sort key: 300 the phrase starts a word of the name, 200 every
 * query word starts one (text_quick_match 3, 2); otherwise the number of
 * query words that start a word of the name. */
static int
name_score(const char *name, const char *q)
{
	int m = text_quick_match(name, q);
	if (m >= 2)
		return m * 100;
	int n = 0;
	char w[64];
	for (const char *p = q; *p;) {
		size_t k = strcspn(p, " ");
		if (k && k < sizeof w) {
			memcpy(w, p, k);
			w[k] = '\0';
			n += text_quick_match(name, w) == 3;
		}
		p += k + (p[k] == ' ');
	}
	return n;
}

static void
vi_quick_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *name = (const char *)sqlite3_value_text(argv[0]);
	const char *q = (const char *)sqlite3_value_text(argv[1]);
	if (!name || !q || !text_utf8_valid(name, (size_t)sqlite3_value_bytes(argv[0]))) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	char *f = text_fold(name);
	sqlite3_result_int(ctx, f ? name_score(f, q) : 0);
	free(f);
}

/* ---- vi_words(folded key) ----------------------------------------------- */

/* text_words in SQL: migration 0019 builds the name keys with it. */
static void
vi_words_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *k = (const char *)sqlite3_value_text(argv[0]);
	if (!k) {
		sqlite3_result_null(ctx);
		return;
	}
	char *w = malloc(strlen(k) + 1);
	if (!w) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	text_words(k, w);
	sqlite3_result_text(ctx, w, -1, free);
}

/* ---- registration ------------------------------------------------------- */

int
fts_vi_register(sqlite3 *db)
{
	int rc = register_tokenizer(db);
	if (rc == SQLITE_OK)
		rc = register_collation(db);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(db, "vi_fold", 1,
		    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
		    NULL, vi_fold_sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(db, "vi_quick", 2,
		    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
		    NULL, vi_quick_sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(db, "vi_words", 1,
		    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
		    NULL, vi_words_sql, NULL, NULL, NULL);
	return rc;
}

/* ---- the query builder -------------------------------------------------- */

/* Letters and digits as unicode61 sees them by default (categories L*,
 * N* and Co); everything else separates words. */
static int
is_word_cp(utf8proc_int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_CO:
		return 1;
	default:
		return 0;
	}
}

char *
fts_vi_query(const char *user_input)
{
	char *f = user_input ? text_fold(user_input) : NULL;
	if (!f)
		return NULL;

	/* Words hold only letters and digits, so no '"' can occur inside the
	 * quotes and nothing else needs escaping. */
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)f;
	utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(f), i = 0;
	struct buf b = BUF_INIT;
	int words = 0, in_word = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(u + i, len - i, &cp);
		if (n <= 0)
			break;   /* cannot happen: text_fold's output is valid */
		if (is_word_cp(cp)) {
			if (!in_word) {
				if (words == FTS_VI_MAX_WORDS)
					break;
				if (words)
					buf_putc(&b, ' ');
				buf_putc(&b, '"');
				words++;
				in_word = 1;
			}
			buf_append(&b, u + i, (size_t)n);
		} else if (in_word) {
			buf_putc(&b, '"');
			in_word = 0;
		}
		i += n;
	}
	if (in_word)
		buf_putc(&b, '"');
	free(f);
	if (words == 0 || b.oom) {
		buf_free(&b);
		return NULL;
	}
	buf_putc(&b, '*');
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}
