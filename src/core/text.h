/*
 * text.h — UTF-8 validation, NFC normalisation and search folding.
 *
 * Every piece of text that enters motcua from outside (form fields, JSON
 * strings, multipart names) passes text_utf8_valid and text_nfc before it
 * is stored, so the database holds one spelling of "Nguyễn" whether the
 * browser sent precomposed or decomposed letters.  text_fold makes the
 * search key: "Đăng Ký  KHAI sinh" and "dang ky khai sinh" fold alike.
 *
 * All functions take explicit lengths where input may contain NUL bytes
 * and never read past them.
 */
#ifndef MOTCUA_TEXT_H
#define MOTCUA_TEXT_H
#include <stddef.h>
#include "core/errors.h"

/* Longest run of combining marks (after canonical decomposition) that
 * text_nfc and text_fold accept: the "stream-safe" bound of UAX #15.
 * Real Vietnamese needs at most 2; the bound keeps normalisation linear
 * (utf8proc reorders marks with a quadratic sort). */
#define TEXT_MAX_MARKS 30

/* 1 if s[0..len) is strict UTF-8: shortest form only, no surrogates,
 * nothing above U+10FFFF, and no NUL byte (NUL is not text).  0 if not. */
int text_utf8_valid(const char *s, size_t len);

/* A malloc'd, NUL-terminated NFC copy of s[0..len) (the caller frees it).
 * On failure returns NULL and sets *e (e may be NULL): ERR_BAD_UTF8 when
 * the input is not valid UTF-8 (see text_utf8_valid) or has a run of more
 * than TEXT_MAX_MARKS combining marks, ERR_NOMEM when out of memory.
 * On success *e is ERR_OK.  If out_len is wanted, use strlen: the result
 * contains no NUL. */
char *text_nfc(const char *s, size_t len, enum err *e);

/* The search key of the NUL-terminated string s, malloc'd (caller frees):
 * compatibility-decomposed (so "ﬁ" → "fi", full-width → ASCII), case
 * folded, every combining mark removed (all Vietnamese tones and vowel
 * marks), đ/Đ → d, format characters (soft hyphen, zero-width joiner)
 * dropped, and each run of white space or control characters collapsed
 * into one ASCII space, with none at either end.  Decomposed and
 * precomposed input fold the same.  Returns NULL if s is not valid UTF-8
 * (as text_utf8_valid), has too many marks in a row, or memory ran out. */
char *text_fold(const char *s);

/* The words of a folded key (text_fold), for the search by name: out
 * (strlen(in) + 1 bytes) gets in with each run of characters other than
 * letters and digits (ASCII punctuation, spaces) made one space, none at
 * either end: "le <b>anh</b>" → "le b anh b". */
void text_words(const char *in, char *out);

/* How well a clerk's quick query matches a name, both already folded
 * (text_fold): 3 — the query appears at the start of a word ("khai sinh"
 * in "thu tuc dang ky khai sinh"); 2 — every query word starts some name
 * word ("dang k sinh"); 1 — a one-word query of 2+ letters is a run of
 * the name's initials ("ks", "dkks"); 0 — no match. */
int text_quick_match(const char *name, const char *query);

/* Number of code points in valid UTF-8 s[0..len) (for "max 64 characters"
 * limits; after NFC one Vietnamese letter is one code point). */
size_t text_length(const char *s, size_t len);

/* The longest prefix of valid UTF-8 s[0..len) that is at most max bytes
 * and does not cut a character in two (for truncating messages). */
size_t text_utf8_prefix(const char *s, size_t len, size_t max);

/* Trims Unicode white space (ASCII space/tab/CR/LF/VT/FF, U+0085, U+00A0
 * and every Zs/Zl/Zp character) from both ends of valid UTF-8 s[0..len).
 * Returns a pointer into s and stores the trimmed length in *out_len. */
const char *text_trim(const char *s, size_t len, size_t *out_len);

#endif
