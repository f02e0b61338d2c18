/*
 * markdown.h — the safe Markdown subset of news articles, parsed into a
 * JSON tree that the templates md.html / md_inl.html render.
 *
 * The parser never produces HTML: every piece of text ends up in a JSON
 * string that the template engine escapes, so HTML written by an author
 * (<script>, <img onerror=…>, entities) is shown as the text it is.
 *
 * Supported syntax (a subset of CommonMark; anything else is text)
 *   blocks   paragraphs (separated by blank lines; a single newline is a
 *            space); ATX headings "# " and "## " → h2, "### " (and
 *            "####".."######") → h3, an optional closing "#" run dropped,
 *            empty headings dropped; unordered lists ("- " or "* ") and
 *            ordered lists ("1. ", up to 9 digits, the first number kept
 *            as "start"), items indented 2+ columns more than the list
 *            form one nested list per item (deeper indentation stays at
 *            that level; a nested list takes the kind of its first item),
 *            other non-blank lines continue the current item's text, a
 *            blank line between items is allowed; block quotes ("> ",
 *            nested up to MD_MAX_QUOTE levels, every line must start with
 *            ">"; no lazy continuation).  A list marker interrupts a
 *            paragraph ("1. " only when the number is 1).  Not supported:
 *            setext headings, thematic breaks, code blocks, tables, HTML.
 *   inlines  **strong** / __strong__, *emphasis* / _emphasis_ (CommonMark
 *            delimiter rules, intraword "_" does not emphasise), `code`
 *            (any backtick run length), [text](url) and [text](<url>)
 *            with an optional "title" (ignored), ![alt](url), line break
 *            by two trailing spaces or a trailing backslash, backslash
 *            escapes of ASCII punctuation.  No entity decoding ("&amp;"
 *            shows as typed), no autolinks, no reference links.
 *   images   an image that stands at the top level of a paragraph becomes
 *            its own "img" block (the paragraph is split around it);
 *            elsewhere (headings, list items, inside links or emphasis)
 *            only its alt text is kept.  An empty alt becomes
 *            MD_DEFAULT_ALT.
 *   URLs     kept only when they start with http://, https://, mailto: or
 *            tel: (any case), or with "/" but not "//" or "/\"; at most
 *            MD_MAX_URL bytes and no control characters.  Otherwise a
 *            link is replaced by its text and an image by its alt text.
 *            URLs are kept as written (backslash escapes are not removed).
 *
 * Output: a JSON array of blocks.  Every block and every inline node has
 * "is": {"<its type>": true}, which is what templates branch on
 * ({{#is.p}}…{{/is.p}}): a name missing from a node would be looked up in
 * the enclosing contexts (the parent node), so a node never relies on a
 * missing key — "sub" is null rather than absent, and so on.
 *   {"type":"p",  "is":{"p":true},  "inl":[inline…]}
 *   {"type":"h2", "is":{"h2":true}, "inl":[…]}            (also "h3")
 *   {"type":"ul", "is":{"ul":true}, "items":[item…]}
 *   {"type":"ol", "is":{"ol":true}, "start":3, "has_start":true,
 *                 "items":[item…]}   (has_start is false when start is 1)
 *       item: {"inl":[…], "sub": null | a "ul"/"ol" block}
 *   {"type":"quote", "is":{"quote":true}, "blocks":[block…]}
 *   {"type":"img", "is":{"img":true}, "src":"/anh/1.jpg", "alt":"…"}
 * Inline nodes (adjacent text is merged into one node):
 *   {"t":"text",   "is":{"text":true},   "v":"Xin chào"}
 *   {"t":"strong", "is":{"strong":true}, "inl":[…]}     (also "em")
 *   {"t":"code",   "is":{"code":true},   "v":"x"}
 *   {"t":"link",   "is":{"link":true},   "href":"/tin-tuc/1", "inl":[…]}
 *   {"t":"br",     "is":{"br":true}}
 * Inline nodes nest at most MD_MAX_DEPTH deep (a top-level node is depth
 * 1); a strong/em/link that would hold nodes deeper than that is replaced
 * by its plain text.  With MD_MAX_QUOTE this keeps md.html within the
 * engine's 16 partial levels: the page in a layout (1) + md (1) + the
 * quotes (3) + a nested list (1) + md_inl (8) = 14.
 *
 * Rendering: md.html renders a block given as the context, or every block
 * when the context is the array itself, so both
 *   {{#body}}{{> md}}{{/body}}   (body = the tree) and
 *   tmpl_render(set, "md", tree, &out)
 * work.  Cost is linear in the input (no quadratic backtracking on runs
 * of "*", "[", "`" and the like).
 */
#ifndef MOTCUA_MARKDOWN_H
#define MOTCUA_MARKDOWN_H
#include <stddef.h>
#include <jansson.h>

#define MD_MAX_INPUT   (200u * 1024u)  /* bytes of source md_parse accepts */
#define MD_MAX_DEPTH   8               /* inline nesting (md_inl levels) */
#define MD_MAX_QUOTE   3               /* block quote nesting */
#define MD_MAX_URL     2048            /* bytes of one link or image URL */
#define MD_MAX_NODES   50000           /* blocks, items and inline nodes */
#define MD_DEFAULT_ALT "Hình ảnh minh họa"

/* Parses src[0..len), UTF-8 (the caller has made it NFC; a leading BOM is
 * skipped; CR LF and CR count as line ends).  Returns a new reference to
 * the block array (possibly empty), or NULL with a Vietnamese reason in
 * err (may be NULL) when the input is longer than MD_MAX_INPUT, is not
 * valid UTF-8 (text_utf8_valid: NUL bytes are refused too), would make
 * more than MD_MAX_NODES nodes (about 400 bytes each: the cap bounds a
 * hostile 200 KB input to ~25 MB) or memory ran out.
 *
 * Nodes of one type share their "is" object and type string (reference
 * counted), so the tree must be treated as read-only. */
json_t *md_parse(const char *src, size_t len, char *err, size_t errlen);

/* The text of a tree as one line (malloc'd; the caller frees): blocks
 * and list items separated by a space, runs of white space collapsed,
 * images left out, links and code as their text.  When max_chars is not 0
 * and the text has more code points, it is cut to at most max_chars code
 * points ending in "…", at a space when one is near the end.  Accepts
 * any JSON (what is not of the shape above is skipped); returns "" for
 * NULL and NULL only when memory ran out. */
char *md_plain(const json_t *tree, size_t max_chars);

/* The src of the first image block (in document order, also inside
 * quotes), malloc'd; NULL when there is none or memory ran out. */
char *md_first_image(const json_t *tree);

#endif
