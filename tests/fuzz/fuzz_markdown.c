/*
 * fuzz_markdown.c — view/markdown on arbitrary input, rendered through
 * the real md.html / md_inl.html (from the embedded table) as the article
 * page does.  Checks: a parse either fails with a reason or gives a tree
 * that renders without error (the depth bounds fit the engine's limits);
 * the HTML has no <script and every href/src starts with "/" (not "//"),
 * http://, https://, mailto: or tel: (text is escaped, so every "<" in the
 * output starts a tag the templates wrote; "javascript:" typed as text or
 * alt text is harmless and allowed); md_plain and
 * md_first_image work on every tree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "embed.h"
#include "view/markdown.h"
#include "view/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tmpl_set *
load(void)
{
	static const char page[] = "<article>{{#body}}{{> md}}{{/body}}</article>";
	static const char *const names[] = {"md", "md_inl"};
	char err[256], path[64];
	struct tmpl_set *set = tmpl_set_new();
	if (!set)
		abort();
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "src/view/templates/%s.html", names[i]);
		const struct embed_file *f = embed_find(path);
		if (!f || tmpl_set_add(set, names[i], (const char *)f->data, f->len, err, sizeof err) != 0)
			abort();
	}
	if (tmpl_set_add(set, "article", page, sizeof page - 1, err, sizeof err) != 0 ||
	    tmpl_set_link(set, err, sizeof err) != 0)
		abort();
	return set;
}

static int
starts_ci(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	return n >= k && strncasecmp(s, p, k) == 0;
}

/* Every "<" of the output starts a tag the templates wrote (text is
 * escaped); no <script, and every href/src value starts the way the
 * parser promises. */
static void
check_html(const char *h, size_t n)
{
	int in = 0;
	for (size_t i = 0; i < n; i++) {
		if (h[i] == '<') {
			in = 1;
			if (starts_ci(h + i, n - i, "<script"))
				abort();
		} else if (h[i] == '>') {
			in = 0;
		}
		if (!in || (!starts_ci(h + i, n - i, " href=\"") && !starts_ci(h + i, n - i, " src=\"")))
			continue;
		const char *v = strchr(h + i, '"') + 1;
		size_t m = n - (size_t)(v - h);
		if (starts_ci(v, m, "javascript:") || starts_ci(v, m, "//") ||
		    !(starts_ci(v, m, "/") || starts_ci(v, m, "http://") || starts_ci(v, m, "https://") ||
		      starts_ci(v, m, "mailto:") || starts_ci(v, m, "tel:")))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tmpl_set *set;
	if (!set)
		set = load();

	char err[256];
	json_t *tree = md_parse((const char *)data, size, err, sizeof err);
	if (!tree) {
		if (!err[0])
			abort();  /* every refusal says why */
		return 0;
	}
	json_t *page = json_object();
	if (!page || json_object_set_new(page, "body", tree) != 0)
		abort();
	struct buf out = BUF_INIT;
	if (tmpl_render(set, "article", page, &out) != 0)
		abort();
	check_html(buf_str(&out), out.len);

	char *plain = md_plain(tree, 200);
	if (!plain || strstr(plain, "\n"))
		abort();
	free(plain);
	free(md_first_image(tree));
	buf_free(&out);
	json_decref(page);
	return 0;
}
