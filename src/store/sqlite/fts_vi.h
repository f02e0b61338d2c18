/*
 * fts_vi.h — Vietnamese search and sorting on an SQLite connection.
 *
 * DOMAIN decision 10: search keys fold case and every diacritic,
 * including đ/Đ → d; sorting follows Vietnamese alphabetical order
 * (a ă â b c d đ e ê …).  FTS5's unicode61 tokenizer with
 * remove_diacritics 2 folds every Vietnamese vowel but keeps đ, since đ
 * has no Unicode decomposition; this module adds what is missing.
 *
 * fts_vi_register is for the SQLite store's connection setup (db.c);
 * fts_vi_query touches no database and may be called from any layer.
 */
#ifndef MOTCUA_STORE_FTS_VI_H
#define MOTCUA_STORE_FTS_VI_H
#include <sqlite3.h>

/*
 * Registers on db, once per connection (call right after opening it,
 * before any statement touches a table that uses them):
 *  - the FTS5 tokenizer "vi": unicode61 with remove_diacritics 2, whose
 *    every token then has đ/Đ rewritten to d.  Extra arguments given in
 *    the table's tokenize= option are passed on to unicode61 after
 *    "remove_diacritics 2" (so a later remove_diacritics overrides it).
 *    Precomposed (NFC) and decomposed (NFD) text tokenize alike, and the
 *    offsets it reports refer to the original text (highlight() works).
 *  - the collation "vi": ICU's collator for locale "vi" (tertiary
 *    strength), so ORDER BY name COLLATE vi gives Vietnamese order.
 *  - the SQL function vi_fold(text): text_fold's search key of its
 *    argument; NULL for NULL and for text that is not valid UTF-8.
 * Returns SQLITE_OK or an SQLite error code (FTS5 missing, ICU has no
 * collator, out of memory).  On error some of the three may already be
 * registered; the connection is still usable but should be closed.
 */
int fts_vi_register(sqlite3 *db);

/*
 * Turns what a person typed into a safe FTS5 MATCH expression: the input
 * is folded (text_fold), split into words at every character that is not
 * a letter or digit (so FTS5 syntax — quotes, AND/OR/NOT/NEAR as
 * operators, *, ^, column filters, parentheses — never reaches FTS5),
 * each word is quoted as an FTS5 string and the last one is made a
 * prefix query, so "Khai si" becomes "khai" "si"* (all words must
 * match; the last may be the start of a word).  At most
 * FTS_VI_MAX_WORDS words are kept (the first ones).
 * Returns a malloc'd string (the caller frees it), or NULL when nothing
 * searchable remains, when the input is NULL or not valid UTF-8, or when
 * memory ran out.
 */
#define FTS_VI_MAX_WORDS 32
char *fts_vi_query(const char *user_input);

#endif
