/* test_fts_vi.c — the "vi" FTS5 tokenizer, the "vi" collation, vi_fold()
 * and the safe query builder (src/store/sqlite/fts_vi.c), on an in-memory
 * database holding real commune procedure names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "core/buf.h"
#include "core/text.h"
#include "store/sqlite/fts_vi.h"

/* ---- fixtures ----------------------------------------------------------- */

/* rowid = index + 1.  Row 10 is stored decomposed (NFD), as a browser or
 * an import from a Mac might send it if NFC were ever skipped. */
static const char *const PROCS[][2] = {
	{"Thủ tục đăng ký khai sinh",
	 "Cha, mẹ hoặc người thân thích đăng ký khai sinh cho trẻ em tại Ủy ban nhân dân cấp xã."},
	{"Đăng ký kết hôn",
	 "Hai bên nam, nữ cùng có mặt khi đăng ký kết hôn."},
	{"Chứng thực bản sao từ bản chính",
	 "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp."},
	{"Chứng thực chữ ký",
	 "Người yêu cầu chứng thực phải ký trước mặt người thực hiện chứng thực."},
	{"Đăng ký khai tử",
	 "Người thân thích của người chết có trách nhiệm đi đăng ký khai tử."},
	{"Trợ cấp xã hội hằng tháng",
	 "Đối tượng bảo trợ xã hội được hưởng trợ cấp xã hội hằng tháng."},
	{"Đăng ký thường trú",
	 "Công dân đăng ký thường trú tại chỗ ở hợp pháp."},
	{"Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con",
	 "Áp dụng khi đăng ký khai sinh cho trẻ chưa xác định được cha, mẹ."},
	{"Cấp bản sao trích lục hộ tịch",
	 "Cấp bản sao trích lục khai sinh, kết hôn, khai tử từ Sổ hộ tịch."},
	/* "Đăng ký giám hộ" / "Đăng ký việc giám hộ cử và giám hộ đương nhiên." in NFD */
	{"\xc4\x90" "a\xcc\x86ng ky\xcc\x81 gia\xcc\x81m ho\xcc\x82\xcc\xa3",
	 "\xc4\x90" "a\xcc\x86ng ky\xcc\x81 vie\xcc\x82\xcc\xa3" "c gia\xcc\x81m ho\xcc\x82\xcc\xa3 "
	 "cu\xcc\x9b\xcc\x89 va\xcc\x80 gia\xcc\x81m ho\xcc\x82\xcc\xa3 "
	 "\xc4\x91u\xcc\x9bo\xcc\x9bng nhie\xcc\x82n."},
	{"Xác nhận tình trạng hôn nhân",
	 "Cấp giấy xác nhận tình trạng hôn nhân để đăng ký kết hôn."},
	{"Hỗ trợ chi phí mai táng",
	 "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội."},
};
#define NPROCS (sizeof PROCS / sizeof PROCS[0])

static sqlite3 *
open_db(void)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(fts_vi_register(db), SQLITE_OK);
	return db;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
}

static int
setup_procs(void **state)
{
	sqlite3 *db = open_db();
	sqlite3_stmt *st;
	exec_ok(db, "CREATE VIRTUAL TABLE p USING fts5(name, body, tokenize='vi')");
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO p (rowid, name, body) VALUES (?, ?, ?)",
	                                    -1, &st, NULL), SQLITE_OK);
	for (size_t i = 0; i < NPROCS; i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 2, PROCS[i][0], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, PROCS[i][1], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	*state = db;
	return 0;
}

static int
teardown_db(void **state)
{
	assert_int_equal(sqlite3_close(*state), SQLITE_OK);
	return 0;
}

/* Runs MATCH with the raw expression; returns the SQLite result code of
 * the whole run (SQLITE_DONE when fine) and the rowids ("1,8") in out,
 * ordered by rowid, or by bm25 when ranked. */
static int
run_match(sqlite3 *db, const char *expr, int ranked, struct buf *out)
{
	sqlite3_stmt *st;
	const char *sql = ranked
	    ? "SELECT rowid FROM p WHERE p MATCH ? ORDER BY bm25(p), rowid"
	    : "SELECT rowid FROM p WHERE p MATCH ? ORDER BY rowid";
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	assert_int_equal(rc, SQLITE_OK);
	sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
	buf_reset(out);
	buf_append(out, "", 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		buf_printf(out, "%s%lld", out->len ? "," : "", sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	return rc;
}

/* The rowids a person typing `typed` finds (fts_vi_query + MATCH). */
static const char *
hits(sqlite3 *db, const char *typed, int ranked)
{
	static struct buf out = BUF_INIT;
	char *q = fts_vi_query(typed);
	if (!q)
		fail_msg("fts_vi_query(\"%s\") gave NULL", typed);
	int rc = run_match(db, q, ranked, &out);
	if (rc != SQLITE_DONE)
		fail_msg("MATCH %s: %s", q, sqlite3_errmsg(db));
	free(q);
	return buf_str(&out);
}

/* ---- the tokenizer, called directly ------------------------------------- */

static fts5_api *
api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	assert_non_null(api);
	return api;
}

struct collect {
	struct buf toks;   /* tokens separated by '|' */
	struct buf offs;   /* "start-end" separated by '|' */
};

static int
collect_cb(void *p, int tflags, const char *tok, int n, int start, int end)
{
	struct collect *c = p;
	(void)tflags;
	if (c->toks.len)
		buf_putc(&c->toks, '|');
	buf_append(&c->toks, tok, (size_t)n);
	buf_printf(&c->offs, "%s%d-%d", c->offs.len ? "|" : "", start, end);
	return SQLITE_OK;
}

/* Tokens of text by the "vi" tokenizer created with args, "a|b|c". */
static char *
tokens(sqlite3 *db, const char *text, const char **args, int nargs, char **offs)
{
	fts5_api *api = api_of(db);
	void *ud = NULL;
	fts5_tokenizer tk;
	Fts5Tokenizer *t = NULL;
	struct collect c = {BUF_INIT, BUF_INIT};

	assert_int_equal(api->xFindTokenizer(api, "vi", &ud, &tk), SQLITE_OK);
	assert_int_equal(tk.xCreate(ud, args, nargs, &t), SQLITE_OK);
	buf_append(&c.toks, "", 0);
	buf_append(&c.offs, "", 0);
	assert_int_equal(tk.xTokenize(t, &c, FTS5_TOKENIZE_DOCUMENT, text,
	                              (int)strlen(text), collect_cb), SQLITE_OK);
	tk.xDelete(t);
	if (offs)
		*offs = buf_detach(&c.offs);
	else
		buf_free(&c.offs);
	return buf_detach(&c.toks);
}

static void
assert_tokens(sqlite3 *db, const char *text, const char *want)
{
	char *got = tokens(db, text, NULL, 0, NULL);
	if (strcmp(got, want) != 0)
		fail_msg("tokens of \"%s\": got \"%s\", want \"%s\"", text, got, want);
	free(got);
}

static void
test_tokenizer_folds(void **state)
{
	(void)state;
	sqlite3 *db = open_db();
	assert_tokens(db, "Thủ tục đăng ký khai sinh", "thu|tuc|dang|ky|khai|sinh");
	assert_tokens(db, "ĐĂNG KÝ", "dang|ky");
	assert_tokens(db, "Đà Nẵng, Đắk Lắk; Ê-đê", "da|nang|dak|lak|e|de");
	assert_tokens(db, "đđĐĐ xđyĐz đ", "dddd|xdydz|d");
	/* NFD: "Đăng ký" with ă = a + U+0306, ý = y + U+0301 */
	assert_tokens(db, "\xc4\x90" "a\xcc\x86ng ky\xcc\x81", "dang|ky");
	/* NFD with two marks on one letter (ệ = e + U+0302 + U+0323), and
	 * marks given in the non-canonical order */
	assert_tokens(db, "Vie\xcc\x82\xcc\xa3t Vie\xcc\xa3\xcc\x82t", "viet|viet");
	/* a leading or lone mark neither splits nor stays */
	assert_tokens(db, "\xcc\x81" "abc a\xcc\x81\xcc\x81\xcc\x81" "b \xcc\x80", "abc|ab");
	assert_tokens(db, "", "");
	assert_tokens(db, "  ,.;  ", "");
	/* a token longer than the on-stack buffer, with đ at both ends */
	{
		struct buf in = BUF_INIT, want = BUF_INIT;
		buf_puts(&in, "đ");
		buf_puts(&want, "d");
		for (int i = 0; i < 300; i++) {
			buf_puts(&in, i % 3 ? "ă" : "đ");
			buf_putc(&want, (char)(i % 3 ? 'a' : 'd'));
		}
		buf_puts(&in, "Đ");
		buf_putc(&want, 'd');
		assert_tokens(db, buf_str(&in), buf_str(&want));
		buf_free(&in);
		buf_free(&want);
	}
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Offsets stay those of the original text: đ shrinking to d and NFD
 * marks disappearing do not shift them (highlight() relies on this). */
static void
test_tokenizer_offsets(void **state)
{
	(void)state;
	sqlite3 *db = open_db();
	char *offs;
	char *t = tokens(db, "Đăng ký", NULL, 0, &offs);   /* Đ=2 ă=2 bytes, ý=2 */
	assert_string_equal(t, "dang|ky");
	assert_string_equal(offs, "0-6|7-10");
	free(t);
	free(offs);
	t = tokens(db, "\xc4\x90" "a\xcc\x86ng ky\xcc\x81", NULL, 0, &offs);
	assert_string_equal(t, "dang|ky");
	assert_string_equal(offs, "0-7|8-12");
	free(t);
	free(offs);

	exec_ok(db, "CREATE VIRTUAL TABLE h USING fts5(x, tokenize='vi');"
	            "INSERT INTO h VALUES ('Đăng ký khai sinh tại Đà Nẵng')");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT highlight(h, 0, '[', ']') FROM h WHERE h MATCH ?",
	                                    -1, &st, NULL), SQLITE_OK);
	char *q = fts_vi_query("dang da");
	sqlite3_bind_text(st, 1, q, -1, free);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
	                    "[Đăng] ký khai sinh tại [Đà] Nẵng");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Every Vietnamese vowel with every tone, both cases, precomposed and
 * decomposed, inside a word: the token is what text_fold makes of it. */
static void
test_tokenizer_all_vowels(void **state)
{
	(void)state;
	static const char *const base[][3] = {   /* NFD lower, NFD upper, folded */
		{"a", "A", "a"}, {"a\xcc\x86", "A\xcc\x86", "a"}, {"a\xcc\x82", "A\xcc\x82", "a"},
		{"e", "E", "e"}, {"e\xcc\x82", "E\xcc\x82", "e"}, {"i", "I", "i"},
		{"o", "O", "o"}, {"o\xcc\x82", "O\xcc\x82", "o"}, {"o\xcc\x9b", "O\xcc\x9b", "o"},
		{"u", "U", "u"}, {"u\xcc\x9b", "U\xcc\x9b", "u"}, {"y", "Y", "y"},
	};
	static const char *const tone[] = {
		"", "\xcc\x80", "\xcc\x89", "\xcc\x83", "\xcc\x81", "\xcc\xa3",
	};
	sqlite3 *db = open_db();
	int n = 0;
	for (size_t b = 0; b < sizeof base / sizeof base[0]; b++)
		for (size_t c = 0; c < 2; c++)
			for (size_t k = 0; k < sizeof tone / sizeof tone[0]; k++) {
				struct buf nfd = BUF_INIT, want = BUF_INIT;
				buf_printf(&nfd, "%s%s%s%sn", c ? "Đ" : "đ", base[b][c], tone[k], c ? "N" : "n");
				buf_printf(&want, "d%snn", base[b][2]);
				char *nfc = text_nfc(nfd.data, nfd.len, NULL);
				assert_non_null(nfc);
				char *fold = text_fold(nfc);
				assert_string_equal(fold, buf_str(&want));
				assert_tokens(db, nfc, fold);
				assert_tokens(db, buf_str(&nfd), fold);
				if (strcmp(nfc, buf_str(&nfd)) != 0)
					n++;
				free(fold);
				free(nfc);
				buf_free(&nfd);
				buf_free(&want);
			}
	assert_int_equal(n, 2 * 12 * 6 - 2 * 6);   /* all but plain a,e,i,o,u,y compose */
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Arguments in tokenize= reach unicode61, after remove_diacritics 2. */
static void
test_tokenizer_args(void **state)
{
	(void)state;
	sqlite3 *db = open_db();
	const char *args[] = {"tokenchars", "-"};
	char *t = tokens(db, "Ê-đê Đà Nẵng", args, 2, NULL);
	assert_string_equal(t, "e-de|da|nang");
	free(t);
	const char *args0[] = {"remove_diacritics", "0"};   /* the user's last word wins */
	t = tokens(db, "Đà Nẵng", args0, 2, NULL);
	assert_string_equal(t, "dà|nẵng");
	free(t);
	exec_ok(db, "CREATE VIRTUAL TABLE a USING fts5(x, tokenize = \"vi tokenchars '-'\");"
	            "INSERT INTO a VALUES ('Dân tộc Ê-đê')");
	struct buf out = BUF_INIT;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM a WHERE a MATCH '\"ê-đê\"'",
	                                    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	buf_free(&out);
	/* an argument unicode61 does not know fails the CREATE, cleanly */
	assert_int_not_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE b USING fts5(x, tokenize='vi bogus 1')",
	                                  NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* ---- search ------------------------------------------------------------- */

static void
test_search(void **state)
{
	sqlite3 *db = *state;
	const char *const all_dang_ky = "1,2,5,7,8,10,11";

	assert_string_equal(hits(db, "dang ky khai sinh", 0), "1,8");
	assert_string_equal(hits(db, "Đăng ký khai sinh", 0), "1,8");
	assert_string_equal(hits(db, "  ĐĂNG   KÝ   KHAI   SINH  ", 0), "1,8");
	assert_string_equal(hits(db, "DANG KY", 0), all_dang_ky);
	assert_string_equal(hits(db, "Đăng ký", 0), all_dang_ky);
	assert_string_equal(hits(db, "dang", 0), all_dang_ky);
	assert_string_equal(hits(db, "đang", 0), all_dang_ky);
	assert_string_equal(hits(db, "ĐANG", 0), all_dang_ky);
	assert_string_equal(hits(db, "chung thuc", 0), "3,4");
	assert_string_equal(hits(db, "Chứng thực", 0), "3,4");
	assert_string_equal(hits(db, "KHAI SINH", 0), "1,8,9");
	assert_string_equal(hits(db, "khai si", 0), "1,8,9");        /* partial typing */
	assert_string_equal(hits(db, "khai", 0), "1,5,8,9");
	assert_string_equal(hits(db, "doi tuong", 0), "6,12");       /* đ inside the body */
	assert_string_equal(hits(db, "tro cap xa hoi hang thang", 0), "6");
	assert_string_equal(hits(db, "giam ho", 0), "10");            /* the row stored as NFD */
	assert_string_equal(hits(db, "Đăng ký giám hộ", 0), "10");
	assert_string_equal(hits(db, "duong nhien", 0), "10");
	assert_string_equal(hits(db, "khai sinh, kết hôn", 0), "9");   /* stray punctuation */
	assert_string_equal(hits(db, "\"chứng thực\" chữ ký!", 0), "4");
	assert_string_equal(hits(db, "ket hon", 0), "2,9,11");
	assert_string_equal(hits(db, "xyz", 0), "");

	/* The same words typed decomposed (NFD). */
	assert_string_equal(hits(db, "\xc4\x90" "a\xcc\x86ng ky\xcc\x81 khai sinh", 0), "1,8");
	assert_string_equal(hits(db, "\xc4\x91" "a\xcc\x86ng", 0), all_dang_ky);
	assert_string_equal(hits(db, "Chu\xcc\x9b\xcc\x81ng thu\xcc\x9b\xcc\xa3" "c", 0), "3,4");
	assert_string_equal(hits(db, "Chu\xcc\x9b\xcc\x81ng thu\xcc\x9b", 0), "3,4");   /* half-typed */
}

/* The tokenizer also runs on the query side: a raw FTS5 string in NFC,
 * NFD or with đ finds the same rows without fts_vi_query. */
static void
test_search_raw(void **state)
{
	sqlite3 *db = *state;
	struct buf out = BUF_INIT;
	assert_int_equal(run_match(db, "\"Đăng ký khai sinh\"", 0, &out), SQLITE_DONE);
	assert_string_equal(buf_str(&out), "1,8");
	assert_int_equal(run_match(db, "\"\xc4\x90" "a\xcc\x86ng ky\xcc\x81 khai sinh\"", 0, &out), SQLITE_DONE);
	assert_string_equal(buf_str(&out), "1,8");
	assert_int_equal(run_match(db, "name:đăng AND name:\"giám hộ\"", 0, &out), SQLITE_DONE);
	assert_string_equal(buf_str(&out), "10");
	buf_free(&out);
}

static void
test_ranking(void **state)
{
	sqlite3 *db = *state;
	const char *r = hits(db, "khai sinh", 1);
	assert_true(strncmp(r, "1,", 2) == 0);
	assert_string_equal(r, "1,8,9");
	r = hits(db, "Khai sinh", 1);
	assert_int_equal(r[0], '1');
	r = hits(db, "chung thuc ban sao", 1);
	assert_string_equal(r, "3");
	r = hits(db, "chu ky", 1);
	assert_string_equal(r, "4");
}

/* ---- the query builder -------------------------------------------------- */

static void
assert_query(const char *typed, const char *want)
{
	char *q = fts_vi_query(typed);
	const char *shown = typed ? typed : "(NULL)";
	if (!want) {
		if (q)
			fail_msg("fts_vi_query(\"%s\") = %s, want NULL", shown, q);
		return;
	}
	if (!q)
		fail_msg("fts_vi_query(\"%s\") = NULL, want %s", shown, want);
	assert_string_equal(q, want);
	free(q);
}

static void
test_query_builder(void **state)
{
	(void)state;
	assert_query("dang ky khai sinh", "\"dang\" \"ky\" \"khai\" \"sinh\"*");
	assert_query("Đăng Ký", "\"dang\" \"ky\"*");
	assert_query("KHAI SINH", "\"khai\" \"sinh\"*");
	assert_query("khai si", "\"khai\" \"si\"*");
	assert_query("\xc4\x90" "a\xcc\x86ng", "\"dang\"*");
	assert_query("a OR b", "\"a\" \"or\" \"b\"*");
	assert_query("a AND NOT b", "\"a\" \"and\" \"not\" \"b\"*");
	assert_query("NEAR(a b, 3)", "\"near\" \"a\" \"b\" \"3\"*");
	assert_query("name:khai", "\"name\" \"khai\"*");
	assert_query("{name body}: x", "\"name\" \"body\" \"x\"*");
	assert_query("^khai sinh*", "\"khai\" \"sinh\"*");
	assert_query("\"chứng thực\"", "\"chung\" \"thuc\"*");
	assert_query("Ê-đê", "\"e\" \"de\"*");
	assert_query("１２３ ＡＢＣ", "\"123\" \"abc\"*");   /* full-width */
	assert_query("số 1.001193", "\"so\" \"1\" \"001193\"*");
	assert_query("a\xc2\xad" "b", "\"ab\"*");   /* soft hyphen is dropped */
	/* nothing searchable */
	assert_query(NULL, NULL);
	assert_query("", NULL);
	assert_query("   ", NULL);
	assert_query("\"", NULL);
	assert_query("*", NULL);
	assert_query("\"\"*", NULL);
	assert_query("()-+:^,.;!?'\"", NULL);
	assert_query("\xcc\x81\xcc\x80", NULL);     /* lone marks */
	assert_query("\xff" "khai", NULL);          /* not UTF-8 */
	assert_query("\xc3", NULL);
	/* the word count is bounded */
	{
		struct buf in = BUF_INIT;
		for (int i = 0; i < 100; i++)
			buf_printf(&in, "w%d ", i);
		char *q = fts_vi_query(buf_str(&in));
		assert_non_null(q);
		int words = 0;
		for (const char *p = q; *p; p++)
			words += *p == '"';
		assert_int_equal(words, 2 * FTS_VI_MAX_WORDS);
		assert_true(strncmp(q, "\"w0\" \"w1\" ", 10) == 0);
		assert_non_null(strstr(q, "\"w31\"*"));
		free(q);
		buf_free(&in);
	}
}

/* Hostile input never reaches FTS5 as syntax: every query either
 * becomes NULL or runs without an error.  Each of these strings, passed
 * raw, is an FTS5 syntax error (so the test would catch a builder that
 * let syntax through). */
static void
test_hostile(void **state)
{
	sqlite3 *db = *state;
	static const char *const bad[] = {
		"\"", "NEAR(", "name:", "*", "a OR", "a AND", "NOT", "\"unbalanced",
		"khai \"sinh", "(khai", "khai)", "nosuchcol:khai", "{name: x", "^",
		"-khai", "+", "a:b:c", "NEAR(a b", "NEAR(a b, x)", "\"a\" * *", ".",
		"AND OR NOT", "x\"y", "đăng OR", ":", "name:body:", "'", "a AND (b OR",
	};
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int raw = run_match(db, bad[i], 0, &out);
		if (raw == SQLITE_DONE)
			fail_msg("raw \"%s\" is not an error: the test proves nothing", bad[i]);
		char *q = fts_vi_query(bad[i]);
		if (q) {
			int rc = run_match(db, q, 0, &out);
			if (rc != SQLITE_DONE)
				fail_msg("\"%s\" -> %s: %s", bad[i], q, sqlite3_errmsg(db));
			free(q);
		}
	}
	/* "a OR" searches for both words, not for an operator */
	char *q = fts_vi_query("khai OR");
	assert_int_equal(run_match(db, q, 0, &out), SQLITE_DONE);
	assert_string_equal(buf_str(&out), "");   /* no row has a word "or…" */
	free(q);
	q = fts_vi_query("đăng ký NEAR(");
	assert_int_equal(run_match(db, q, 0, &out), SQLITE_DONE);
	free(q);

	/* 10 KB of junk: operators, quotes, marks, letters, digits, CJK,
	 * private use, emoji, from a fixed pseudo-random sequence. */
	static const char *const bits[] = {
		"\"", "*", "(", ")", ":", "^", "{", "}", "+", "-", " ", "  ", "\t",
		"AND", "OR", "NOT", "NEAR", "name", "body", "đ", "Đ", "ă", "\xcc\x81",
		"\xcc\x9b", "x", "7", "中", "\xee\x80\x80", "😀", ",", "'", "\xc2\xa0",
		"\xef\xbc\xa1", "\xe2\x80\x8b", "\\", "%", "_",
	};
	uint32_t seed = 12345;
	for (int round = 0; round < 20; round++) {
		struct buf junk = BUF_INIT;
		while (junk.len < 10 * 1024) {
			seed = seed * 1103515245u + 12345u;
			buf_puts(&junk, bits[(seed >> 16) % (sizeof bits / sizeof bits[0])]);
		}
		q = fts_vi_query(buf_str(&junk));
		if (q) {
			int rc = run_match(db, q, round % 2, &out);
			if (rc != SQLITE_DONE)
				fail_msg("junk round %d: %s", round, sqlite3_errmsg(db));
			free(q);
		}
		buf_free(&junk);
	}
	/* 10 KB of one word, and of invalid UTF-8 */
	{
		char big[10 * 1024 + 1];
		memset(big, 'a', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		q = fts_vi_query(big);
		assert_non_null(q);
		assert_int_equal(run_match(db, q, 1, &out), SQLITE_DONE);
		assert_string_equal(buf_str(&out), "");
		free(q);
		memset(big, 0xff, sizeof big - 1);
		assert_null(fts_vi_query(big));
	}
	buf_free(&out);
}

/* ---- collation ---------------------------------------------------------- */

static char *
sorted(sqlite3 *db, const char *const *names, size_t n, const char *collate)
{
	sqlite3_stmt *st;
	struct buf sql = BUF_INIT, out = BUF_INIT;
	exec_ok(db, "DROP TABLE IF EXISTS names; CREATE TABLE names (name TEXT)");
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO names VALUES (?)", -1, &st, NULL), SQLITE_OK);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(st, 1, names[i], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	buf_printf(&sql, "SELECT name FROM names ORDER BY name COLLATE %s", collate);
	assert_int_equal(sqlite3_prepare_v2(db, buf_str(&sql), -1, &st, NULL), SQLITE_OK);
	buf_append(&out, "", 0);
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_printf(&out, "%s%s", out.len ? "|" : "", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	buf_free(&sql);
	return buf_detach(&out);
}

static void
test_collation(void **state)
{
	(void)state;
	sqlite3 *db = open_db();
	/* Vietnamese alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y */
	static const char *const names[] = {
		"Ư", "Y", "Ơn", "Ô", "Ong", "Ê-đê", "Em", "Dương", "Dung", "Đà Nẵng",
		"Đắk Lắk", "Bình", "Âm", "Ăn", "Anh", "An", "Cà Mau", "Vũ", "Uyên", "Zê",
	};
	const char *want = "An|Anh|Ăn|Âm|Bình|Cà Mau|Dung|Dương|Đà Nẵng|Đắk Lắk|Em|Ê-đê"
	                   "|Ong|Ô|Ơn|Uyên|Ư|Vũ|Y|Zê";
	char *got = sorted(db, names, sizeof names / sizeof names[0], "vi");
	assert_string_equal(got, want);
	free(got);
	/* BINARY order is wrong (accented capitals after Z): the test means something */
	got = sorted(db, names, sizeof names / sizeof names[0], "BINARY");
	assert_string_not_equal(got, want);
	free(got);

	/* Tones: ngang < huyền < hỏi < ngã < sắc < nặng, then the next letter */
	static const char *const tones[] = {"mai", "mạ", "má", "mã", "mả", "mà", "ma"};
	got = sorted(db, tones, 7, "vi");
	assert_string_equal(got, "ma|mà|mả|mã|má|mạ|mai");
	free(got);

	/* Family names as an office lists them */
	static const char *const people[] = {
		"Đỗ Văn Hùng", "Nguyễn Thị Ánh", "Dương Minh Châu", "Trần Đức Anh",
		"Ân Thị Lan", "Lê Ánh Dương", "Âu Văn Bình", "Ông Văn Tài", "Ôn Thị Nga",
	};
	got = sorted(db, people, sizeof people / sizeof people[0], "vi");
	assert_string_equal(got, "Ân Thị Lan|Âu Văn Bình|Dương Minh Châu|Đỗ Văn Hùng|Lê Ánh Dương"
	                         "|Nguyễn Thị Ánh|Ôn Thị Nga|Ông Văn Tài|Trần Đức Anh");
	free(got);

	/* Comparisons; NFD equals NFC */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT 'd' < 'đ' COLLATE vi, 'đ' < 'e' COLLATE vi, 'ă' < 'â' COLLATE vi,"
	    " 'ô' < 'ơ' COLLATE vi, 'u' < 'ư' COLLATE vi, 'ư' < 'v' COLLATE vi,"
	    " 'Ăn' = 'A\xcc\x86n' COLLATE vi, 'an' < 'An' COLLATE vi, 'An' = 'An' COLLATE vi,"
	    " 'Việt' = 'Vie\xcc\x82\xcc\xa3t' COLLATE vi, 'Việt' = 'Vie\xcc\xa3\xcc\x82t' COLLATE vi",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	for (int i = 0; i < sqlite3_column_count(st); i++)
		if (sqlite3_column_int(st, i) != 1)
			fail_msg("comparison %d is false", i);
	sqlite3_finalize(st);

	/* an index can use it */
	exec_ok(db, "CREATE INDEX names_vi ON names (name COLLATE vi)");
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(name, '|') FROM"
	    " (SELECT name FROM names WHERE name >= 'Ô' COLLATE vi ORDER BY name COLLATE vi)",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "Ôn Thị Nga|Ông Văn Tài|Trần Đức Anh");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* ---- vi_fold ------------------------------------------------------------ */

static void
test_vi_fold(void **state)
{
	sqlite3 *db = *state;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT vi_fold('Đăng Ký  KHAI sinh'), vi_fold(NULL), vi_fold(12),"
	    " vi_fold(CAST(x'ff41' AS TEXT)), vi_fold(''), vi_fold('D\xcc\x9b\xcc\x80"  "ng'),"
	    " vi_fold('a' || char(0) || 'b')",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "dang ky khai sinh");
	assert_int_equal(sqlite3_column_type(st, 1), SQLITE_NULL);
	assert_string_equal((const char *)sqlite3_column_text(st, 2), "12");
	assert_int_equal(sqlite3_column_type(st, 3), SQLITE_NULL);   /* not UTF-8 */
	assert_string_equal((const char *)sqlite3_column_text(st, 4), "");
	assert_string_equal((const char *)sqlite3_column_text(st, 5), "dng");
	assert_int_equal(sqlite3_column_type(st, 6), SQLITE_NULL);   /* inner NUL */
	sqlite3_finalize(st);

	/* LIKE-free, diacritic-blind prefix lookup on a plain column */
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT group_concat(rowid) FROM (SELECT rowid FROM p"
	    " WHERE substr(vi_fold(name), 1, length(vi_fold(?1))) = vi_fold(?1) ORDER BY rowid)",
	    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, "ĐĂNG KÝ K", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "2,5,8");
	sqlite3_finalize(st);

	/* too many marks in a row: NULL, not an error */
	struct buf s = BUF_INIT;
	buf_putc(&s, 'a');
	for (int i = 0; i < TEXT_MAX_MARKS + 1; i++)
		buf_puts(&s, "\xcc\x81");
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT vi_fold(?)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, buf_str(&s), -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
	sqlite3_finalize(st);
	buf_free(&s);
}

/* vi_quick(name, folded query): the phrase starting a word 300, every word
 * 200, else how many words start one; NULL or bad input 0. */
static void
test_vi_quick(void **state)
{
	sqlite3 *db = *state;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT vi_quick('Thủ tục Đăng ký khai sinh', 'dang ky khai sinh'),"
	    " vi_quick('Thủ tục đăng ký lại khai sinh', 'dang ky khai sinh'),"
	    " vi_quick('Chứng thực di chúc', 'chung thuc ban sao'),"
	    " vi_quick('Đăng ký việc nuôi con nuôi', 'dang ky khai sinh'),"
	    " vi_quick('Chứng thực', 'sinh'), vi_quick(NULL, 'a'), vi_quick('a', NULL),"
	    " vi_quick(CAST(x'ff41' AS TEXT), 'a')",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	static const int want[] = {300, 200, 2, 2, 0, 0, 0, 0};
	for (int i = 0; i < 8; i++)
		assert_int_equal(sqlite3_column_int(st, i), want[i]);
	sqlite3_finalize(st);
}

/* Registering again on the same connection and closing leaks nothing
 * (ASan build) and keeps everything working. */
static void
test_register_twice(void **state)
{
	(void)state;
	sqlite3 *db = open_db();
	assert_int_equal(fts_vi_register(db), SQLITE_OK);
	exec_ok(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='vi');"
	            "INSERT INTO t VALUES ('Đăng ký');"
	            "SELECT x FROM t WHERE t MATCH 'dang' ORDER BY x COLLATE vi, vi_fold(x)");
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	/* A connection without registration cannot create such a table. */
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='vi')",
	                                  NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenizer_folds),
		cmocka_unit_test(test_tokenizer_offsets),
		cmocka_unit_test(test_tokenizer_all_vowels),
		cmocka_unit_test(test_tokenizer_args),
		cmocka_unit_test_setup_teardown(test_search, setup_procs, teardown_db),
		cmocka_unit_test_setup_teardown(test_search_raw, setup_procs, teardown_db),
		cmocka_unit_test_setup_teardown(test_ranking, setup_procs, teardown_db),
		cmocka_unit_test(test_query_builder),
		cmocka_unit_test_setup_teardown(test_hostile, setup_procs, teardown_db),
		cmocka_unit_test(test_collation),
		cmocka_unit_test_setup_teardown(test_vi_quick, setup_procs, teardown_db),
		cmocka_unit_test_setup_teardown(test_vi_fold, setup_procs, teardown_db),
		cmocka_unit_test(test_register_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
