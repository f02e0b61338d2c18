/* fuzz_fts_query.c — fts_vi_query on arbitrary bytes, and the expression
 * it returns run as MATCH against a small FTS5 table with the "vi"
 * tokenizer: it must never be an SQL error (the builder's contract is
 * that nothing a person types reaches FTS5 as syntax).  Also checks the
 * shape of the expression: "w" "w" … "w"*, letters and digits only
 * between the quotes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store/sqlite/fts_vi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;
static sqlite3_stmt *match;

static void
setup(void)
{
	static const char *const rows[] = {
		"Thủ tục đăng ký khai sinh", "Đăng ký kết hôn", "Chứng thực chữ ký",
		"Chứng thực bản sao từ bản chính", "Trợ cấp xã hội hằng tháng",
		"Đăng ký thường trú tại Đà Nẵng", "Dân tộc Ê-đê", "số 1.001193",
	};
	sqlite3_stmt *st;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK || fts_vi_register(db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE VIRTUAL TABLE p USING fts5(name, body, tokenize='vi')",
	                 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO p (name, body) VALUES (?1, ?1)", -1, &st, NULL) != SQLITE_OK)
		abort();
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		sqlite3_bind_text(st, 1, rows[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			abort();
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT rowid, highlight(p, 0, '[', ']') FROM p WHERE p MATCH ?"
	                       " ORDER BY bm25(p)", -1, &match, NULL) != SQLITE_OK)
		abort();
}

/* "w" "w" … "w"*: quoted words of no quote, space or '*', one space
 * between, a '*' after the last; at most FTS_VI_MAX_WORDS of them. */
static void
check_shape(const char *q)
{
	size_t n = strlen(q), i = 0;
	int words = 0;
	if (n < 4 || q[n - 1] != '*')
		abort();
	while (i < n - 1) {
		if (words && q[i++] != ' ')
			abort();
		if (q[i++] != '"')
			abort();
		size_t start = i;
		while (i < n - 1 && q[i] != '"') {
			unsigned char c = (unsigned char)q[i++];
			if (c <= ' ' || c == '*' || c == '\'' || c == ':' || c == '(' || c == ')' ||
			    (c >= 'A' && c <= 'Z'))   /* folded: no ASCII capitals */
				abort();
		}
		if (i == start || i >= n - 1 || q[i++] != '"')
			abort();
		words++;
	}
	if (words < 1 || words > FTS_VI_MAX_WORDS)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		setup();
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';   /* an inner NUL just ends the string early */
	char *q = fts_vi_query(s);
	free(s);
	if (!q)
		return 0;
	check_shape(q);
	sqlite3_bind_text(match, 1, q, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(match)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "MATCH %s: %s\n", q, sqlite3_errmsg(db));
		abort();
	}
	sqlite3_reset(match);
	sqlite3_clear_bindings(match);
	free(q);
	return 0;
}
