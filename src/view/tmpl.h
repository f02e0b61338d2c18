/*
 * tmpl.h — the template engine: a small Mustache-like language whose every
 * output is escaped for the place in the HTML where it stands.
 *
 * Syntax
 *   {{name}} {{a.b.c}} {{.}}     a value (escaped; there is no raw output)
 *   {{#name}} … {{/name}}        section: array → once per element (pushed
 *                                as context); object → once, pushed; true,
 *                                non-empty string, non-zero number → once,
 *                                context unchanged; anything else → nothing
 *   {{^name}} … {{/name}}        inverted section: only when the above
 *                                would render nothing
 *   {{> partial}}                another template of the set, same context
 *   {{> $content}}               in a layout: the page (tmpl_render_page)
 *   {{! comment }}               nothing
 *
 * A name is looked up from the innermost context outwards; the first
 * object holding the first segment wins and the rest of the path is
 * resolved inside it; a segment of digits indexes an array, so
 * {{#rows.0}}…{{/rows.0}} renders once when rows is not empty (the first
 * row is then the innermost context).  Integers print in decimal, reals with %g, booleans
 * as "true"/"false", null, missing, objects and arrays as nothing.
 *
 * Escaping is decided when a template is parsed, from where the tag sits
 * in the HTML (the parser follows the HTML tokenizer's states):
 *   text, <title>, <textarea>          HTML escape (& < > " ')
 *   quoted attribute value             the same escape
 *   start of a quoted URL attribute    a value whose scheme is not http,
 *   (href, src, action, formaction,    https, mailto or tel is replaced by
 *    poster, cite, data, …)            "#", then the attribute escape
 * and these are parse errors: {{{x}}} and {{& x}} (raw output), a tag in
 * a tag or attribute name, in an unquoted attribute value, inside
 * <script>/<style> (and the other raw-text elements), in an on* event
 * handler, style or srcset attribute, a value inside an HTML comment,
 * a partial anywhere but in text, a section whose body does not come back
 * to the HTML state it started in, and a template that ends inside a tag,
 * attribute, comment or raw-text element.
 *
 * Threads: build the set once (add, link), then render from any number of
 * threads; rendering never writes to the set.  The data tree must not be
 * modified while it is being rendered.
 */
#ifndef MOTCUA_TMPL_H
#define MOTCUA_TMPL_H
#include <stddef.h>
#include <jansson.h>
#include "core/buf.h"

/* Limits.  Exceeding a parse limit is a parse error, a render limit a
 * render error (-1). */
#define TMPL_MAX_NESTING   32          /* sections open at once, per template */
#define TMPL_MAX_PARTIALS  16          /* partial / $content inclusion depth */
#define TMPL_MAX_CONTEXT   128         /* context stack while rendering */
#define TMPL_MAX_OUTPUT    (8u << 20)  /* bytes one render may produce */
#define TMPL_MAX_STEPS     (4u << 20)  /* template nodes one render may visit */
#define TMPL_MAX_SOURCE    (4u << 20)  /* bytes of one template's source */

struct tmpl_set;

struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *set);

/* Parses src[0..len) (a copy is kept) and adds it under name.  Names are
 * made of [A-Za-z0-9_./-] and must be unique in the set.  On error returns
 * -1 and writes "name:line:col: reason" into err (line and column are
 * 1-based, the column counts UTF-8 characters); the set is unchanged. */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
                 size_t len, char *err, size_t errlen);

/* Checks that every {{> partial}} of every template names a template of
 * the set and resolves them; -1 and "name:line:col: unknown partial 'x'"
 * in err otherwise.  Call after the last tmpl_set_add, before rendering
 * (rendering also works unlinked, looking partials up by name). */
int tmpl_set_link(struct tmpl_set *set, char *err, size_t errlen);

/* Creates a set holding every embedded file "src/view/templates/NAME.html"
 * under NAME, and links it.  On success *out owns the set (free it with
 * tmpl_set_free); on error returns -1, *out is NULL and err says why. */
int tmpl_set_load_embedded(struct tmpl_set **out, char *err, size_t errlen);

/* Returns 1 when the set holds a template of this name. */
int tmpl_set_has(const struct tmpl_set *set, const char *name);

/* Renders template name with data (may be NULL) appended to out.
 * Returns 0, or -1 for an unknown template or partial, a {{> $content}}
 * outside tmpl_render_page, a limit above, or out of memory; on -1 out
 * is put back to the length it had. */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data,
                struct buf *out);

/* Renders layout, whose {{> $content}} tag renders page, with the same
 * data.  Same return values as tmpl_render. */
int tmpl_render_page(const struct tmpl_set *set, const char *layout,
                     const char *page, json_t *data, struct buf *out);

/* Appends s[0..len) to out with & < > " ' replaced by entities (and NUL
 * bytes by U+FFFD); valid in text and in quoted attribute values. */
void tmpl_escape_html(struct buf *out, const char *s, size_t len);

/* Returns 1 when the URL s[0..len) may start an href/src value: its scheme
 * (after the leading spaces and control characters a browser strips, and
 * ignoring the tabs and newlines it removes) is http, https, mailto or tel
 * in any case, or it has none (a relative URL).  Returns 0 otherwise. */
int tmpl_url_is_safe(const char *s, size_t len);

#endif
