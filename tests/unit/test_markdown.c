/* test_markdown.c — view/markdown: the syntax subset, URL filtering,
 * escaping through the real templates (md.html and md_inl.html loaded
 * from disk: run with cwd = the repository root), Vietnamese text,
 * pathological inputs, md_plain and md_first_image. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/buf.h"
#include "view/markdown.h"
#include "view/tmpl.h"

static struct tmpl_set *set;

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_append(&b, chunk, n);
	fclose(fp);
	*len = b.len;
	return buf_detach(&b);
}

static int
add_file(struct tmpl_set *s, const char *name, const char *path)
{
	char err[512];
	size_t len = 0;
	char *src = slurp(path, &len);
	if (!src) {
		fprintf(stderr, "cannot read %s (run from the repository root)\n", path);
		return -1;
	}
	int rc = tmpl_set_add(s, name, src, len, err, sizeof err);
	if (rc != 0)
		fprintf(stderr, "%s\n", err);
	free(src);
	return rc;
}

static int
setup(void **state)
{
	(void)state;
	char err[512];
	static const char page[] = "<article>{{#body}}{{> md}}{{/body}}</article>";
	static const char layout[] = "<main>{{> $content}}</main>";
	set = tmpl_set_new();
	if (!set || add_file(set, "md", "src/view/templates/md.html") != 0 ||
	    add_file(set, "md_inl", "src/view/templates/md_inl.html") != 0 ||
	    tmpl_set_add(set, "article", page, sizeof page - 1, err, sizeof err) != 0 ||
	    tmpl_set_add(set, "layout", layout, sizeof layout - 1, err, sizeof err) != 0 ||
	    tmpl_set_link(set, err, sizeof err) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tmpl_set_free(set);
	return 0;
}

static json_t *
parse(const char *s)
{
	char err[256];
	json_t *t = md_parse(s, strlen(s), err, sizeof err);
	if (!t)
		fail_msg("md_parse: %s", err);
	return t;
}

/* The compact JSON of the tree, in key order, for comparing. */
static char *
shape(const json_t *t)
{
	char *js = json_dumps(t, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(js);
	return js;
}

/* Renders md through the article page inside the layout, as the site
 * does; returns the part inside <article>. */
static char *
render(const char *md)
{
	json_t *tree = parse(md);
	json_t *data = json_pack("{s:o}", "body", tree);
	assert_non_null(data);
	struct buf out = BUF_INIT;
	assert_int_equal(tmpl_render_page(set, "layout", "article", data, &out), 0);
	json_decref(data);
	const char *s = buf_str(&out);
	const char *a = strstr(s, "<article>"), *e = strstr(s, "</article>");
	assert_non_null(a);
	assert_non_null(e);
	a += strlen("<article>");
	char *r = strndup(a, (size_t)(e - a));
	buf_free(&out);
	return r;
}

#define EXPECT_HTML(md, html) do {                         \
		char *got_ = render(md);                   \
		assert_string_equal(got_, html);           \
		free(got_);                                \
	} while (0)

static int
contains_ci(const char *h, const char *n)
{
	size_t k = strlen(n);
	for (; *h; h++)
		if (strncasecmp(h, n, k) == 0)
			return 1;
	return 0;
}

/* 1 when a tag of the HTML h (text is escaped, so every "<" starts a
 * tag) contains n, in any case. */
static int
tags_contain(const char *h, const char *n)
{
	size_t k = strlen(n);
	int in = 0;
	for (; *h; h++) {
		if (*h == '<')
			in = 1;
		else if (*h == '>')
			in = 0;
		if (in && strncasecmp(h, n, k) == 0)
			return 1;
	}
	return 0;
}

/* ---- blocks ----------------------------------------------------------- */

static void
test_paragraphs_and_headings(void **state)
{
	(void)state;
	EXPECT_HTML("Một\nhai\n\n\nba", "<p>Một hai</p>\n<p>ba</p>\n");
	EXPECT_HTML("# Lớn\n## Vừa ##\n### Nhỏ\n#### Nhỏ hơn\n#không\n##\n",
	            "<h2>Lớn</h2>\n<h2>Vừa</h2>\n<h3>Nhỏ</h3>\n<h3>Nhỏ hơn</h3>\n<p>#không</p>\n");
	EXPECT_HTML("dòng một  \ndòng hai\\\nba   ",
	            "<p>dòng một<br>\ndòng hai<br>\nba</p>\n");
	EXPECT_HTML("", "");
	EXPECT_HTML("\r\n \r\n\t\n", "");
	EXPECT_HTML("a\r\nb\rc\r\n\r\nd", "<p>a b c</p>\n<p>d</p>\n");
	EXPECT_HTML("\xEF\xBB\xBFx", "<p>x</p>\n");
}

static void
test_lists(void **state)
{
	(void)state;
	EXPECT_HTML("- một\n* hai\n  tiếp\n\n- ba",
	            "<ul>\n<li>một</li>\n<li>hai tiếp</li>\n<li>ba</li>\n</ul>\n");
	EXPECT_HTML("3. ba\n4. bốn", "<ol start=\"3\">\n<li>ba</li>\n<li>bốn</li>\n</ol>\n");
	EXPECT_HTML("1. a\n   - x\n   - y\n2. b",
	            "<ol>\n<li>a\n<ul>\n<li>x</li>\n<li>y</li>\n</ul>\n</li>\n<li>b</li>\n</ol>\n");
	/* deeper indentation stays one level down */
	EXPECT_HTML("- a\n  - b\n    - c", "<ul>\n<li>a\n<ul>\n<li>b</li>\n<li>c</li>\n</ul>\n</li>\n</ul>\n");
	/* a list interrupts a paragraph; a heading ends a list; changing kind
	 * starts a new list; "2024." does not interrupt a paragraph */
	EXPECT_HTML("Đoạn\n- a\n# H", "<p>Đoạn</p>\n<ul>\n<li>a</li>\n</ul>\n<h2>H</h2>\n");
	EXPECT_HTML("- a\n1. b", "<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>\n");
	EXPECT_HTML("Năm\n2024. mới", "<p>Năm 2024. mới</p>\n");
	EXPECT_HTML("-a\n*b*", "<p>-a <em>b</em></p>\n");

	json_t *t = parse("2. **x**\n   1. y");
	char *js = shape(t);
	assert_string_equal(js,
		"[{\"type\":\"ol\",\"is\":{\"ol\":true},\"items\":[{\"inl\":[{\"t\":\"strong\","
		"\"is\":{\"strong\":true},\"inl\":[{\"t\":\"text\",\"is\":{\"text\":true},\"v\":\"x\"}]}],"
		"\"sub\":{\"type\":\"ol\",\"is\":{\"ol\":true},\"items\":[{\"inl\":[{\"t\":\"text\","
		"\"is\":{\"text\":true},\"v\":\"y\"}],\"sub\":null}],\"start\":1,\"has_start\":false}}],"
		"\"start\":2,\"has_start\":true}]");
	free(js);
	json_decref(t);
}

static void
test_quotes(void **state)
{
	(void)state;
	EXPECT_HTML("> Trích **dẫn**\n> tiếp\n>\n> - a\n\nsau",
	            "<blockquote>\n<p>Trích <strong>dẫn</strong> tiếp</p>\n<ul>\n<li>a</li>\n</ul>\n</blockquote>\n<p>sau</p>\n");
	EXPECT_HTML("> a\n> > b", "<blockquote>\n<p>a</p>\n<blockquote>\n<p>b</p>\n</blockquote>\n</blockquote>\n");
	/* past MD_MAX_QUOTE levels a ">" is text */
	char *h = render("> > > > x");
	assert_non_null(strstr(h, "<p>&gt; x</p>"));
	free(h);
}

/* ---- inlines ---------------------------------------------------------- */

static void
test_inlines(void **state)
{
	(void)state;
	EXPECT_HTML("Xin **chào** *bạn* và _em_, __đậm__ ***cả hai***",
	            "<p>Xin <strong>chào</strong> <em>bạn</em> và <em>em</em>, <strong>đậm</strong> "
	            "<em><strong>cả hai</strong></em></p>\n");
	EXPECT_HTML("snake_case_name 2*3*4 * không * a**", "<p>snake_case_name 2<em>3</em>4 * không * a**</p>\n");
	EXPECT_HTML("`mã <b>` ``a`b`` `` `x` `` `không đóng",
	            "<p><code>mã &lt;b&gt;</code> <code>a`b</code> <code>`x`</code> `không đóng</p>\n");
	EXPECT_HTML("`*a*` \\*b\\* \\[c]", "<p><code>*a*</code> *b* [c]</p>\n");
	EXPECT_HTML("[Tin **mới**](/tin-tuc/1) [x](https://a.vn/b_(c) \"tiêu đề\") [](/y)",
	            "<p><a href=\"/tin-tuc/1\">Tin <strong>mới</strong></a> "
	            "<a href=\"https://a.vn/b_(c)\">x</a> <a href=\"/y\">/y</a></p>\n");
	EXPECT_HTML("[a [b](/c) d](/e) [chỉ chữ] [x] (y)",
	            "<p>[a <a href=\"/c\">b</a> d](/e) [chỉ chữ] [x] (y)</p>\n");
	EXPECT_HTML("[a](<mailto:uy.ban@xa.gov.vn>) [b](tel:0243)",
	            "<p><a href=\"mailto:uy.ban@xa.gov.vn\">a</a> <a href=\"tel:0243\">b</a></p>\n");
}

static void
test_images(void **state)
{
	(void)state;
	EXPECT_HTML("![Lễ khai giảng](/anh/1.jpg)",
	            "<p class=\"md-img\"><img src=\"/anh/1.jpg\" alt=\"Lễ khai giảng\" loading=\"lazy\"></p>\n");
	EXPECT_HTML("![](https://x.vn/a.png)\n![  ](/b.png)",
	            "<p class=\"md-img\"><img src=\"https://x.vn/a.png\" alt=\"" MD_DEFAULT_ALT "\" loading=\"lazy\"></p>\n"
	            "<p class=\"md-img\"><img src=\"/b.png\" alt=\"" MD_DEFAULT_ALT "\" loading=\"lazy\"></p>\n");
	/* an image inside a paragraph splits it */
	EXPECT_HTML("trước ![ảnh *đẹp*](/a.jpg) sau",
	            "<p>trước</p>\n<p class=\"md-img\"><img src=\"/a.jpg\" alt=\"ảnh đẹp\" loading=\"lazy\"></p>\n<p>sau</p>\n");
	/* in headings, list items and links only the alt text stays */
	EXPECT_HTML("## ![Ảnh](/a.jpg) tiêu đề\n- ![mục](/b.jpg)\n\n[![logo](/l.png)](/)",
	            "<h2>Ảnh tiêu đề</h2>\n<ul>\n<li>mục</li>\n</ul>\n<p><a href=\"/\">logo</a></p>\n");
}

/* ---- safety ----------------------------------------------------------- */

static void
test_unsafe_urls(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"javascript:alert(1)", "JAVASCRIPT:alert(1)", "JaVaScRiPt:alert(1)",
		"<java\tscript:alert(1)>", "<java\nscript:alert(1)>", "java\tscript:alert(1)",
		"  javascript:alert(1)", "<  javascript:alert(1)>", "\x01javascript:alert(1)",
		"data:text/html,<script>alert(1)</script>", "data:text/html;base64,PHNjcmlwdD4=",
		"vbscript:msgbox(1)", "//evil.example", "/\\evil.example", "<//evil.example>",
		"javascript&#58;alert(1)", "javascript&colon;alert(1)", "&#106;avascript:alert(1)",
		"javascript%3Aalert(1)", "foo", "foo/bar.html", "./x", "../x", "#top", "?q=1",
		"http:evil", "https:", "mailto:", "file:///etc/passwd", "ftp://x.vn",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char md[512];
		snprintf(md, sizeof md, "[chữ](%s) ![ảnh](%s)", bad[i], bad[i]);
		json_t *t = parse(md);
		char *js = shape(t);
		if (strstr(js, "\"href\"") || strstr(js, "\"img\"") || strstr(js, "\"link\""))
			fail_msg("kept the URL of %s: %s", bad[i], js);
		char *h = render(md);
		if (strstr(h, "<a ") || strstr(h, "<img") || tags_contain(h, "javascript:") ||
		    !strstr(h, "chữ"))
			fail_msg("%s rendered as %s", bad[i], h);
		free(h);
		free(js);
		json_decref(t);
	}
	/* the link keeps its text, the image its alt text */
	EXPECT_HTML("[Bấm **đây**](javascript:alert(1)) ![Ảnh](data:image/png,x)",
	            "<p>Bấm <strong>đây</strong> Ảnh</p>\n");
	/* what is allowed, in any case */
	EXPECT_HTML("[a](HTTP://X.VN) [b](Mailto:a@b.vn) [c](/) [d](/a//b)",
	            "<p><a href=\"HTTP://X.VN\">a</a> <a href=\"Mailto:a@b.vn\">b</a> "
	            "<a href=\"/\">c</a> <a href=\"/a//b\">d</a></p>\n");
}

static void
test_raw_html_is_text(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		"**<script>alert(1)</script>**",
		"[<script>x</script>](/a) ![<img src=x onerror=alert(1)>](/b.jpg)",
		"`<script>`", "> <iframe src=javascript:alert(1)>",
		"- <svg onload=alert(1)>", "## <style>*{}</style>",
		"[x](/a\"onmouseover=alert(1)) [y](/a'x)",
		"<a href=\"javascript:alert(1)\">x</a>", "&lt;script&gt;",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		char *h = render(inputs[i]);
		if (contains_ci(h, "<script") || contains_ci(h, "<img src=x") || contains_ci(h, "<iframe") ||
		    contains_ci(h, "<svg") || contains_ci(h, "<style") || contains_ci(h, "\"onmouseover") ||
		    tags_contain(h, "javascript"))
			fail_msg("%s rendered as %s", inputs[i], h);
		free(h);
	}
	EXPECT_HTML("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
	EXPECT_HTML("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n");
	EXPECT_HTML("&amp; &#60;", "<p>&amp;amp; &amp;#60;</p>\n");
	EXPECT_HTML("[x](/a\"b)", "<p><a href=\"/a&quot;b\">x</a></p>\n");
}

static void
test_vietnamese(void **state)
{
	(void)state;
	const char *vi = "Ủy ban nhân dân xã Đồng Tâm thông báo: người dân đến "
	                 "làm thủ tục đăng ký khai sinh mang theo giấy tờ — “bản chính”.";
	char md[512];
	snprintf(md, sizeof md, "%s", vi);
	char *h = render(md);
	char want[600];
	snprintf(want, sizeof want, "<p>%s</p>\n", vi);
	assert_string_equal(h, want);
	free(h);
	/* emphasis next to Vietnamese letters and punctuation */
	EXPECT_HTML("**Lưu ý:** hạn chót *thứ Hai*, “_trích_”.",
	            "<p><strong>Lưu ý:</strong> hạn chót <em>thứ Hai</em>, “<em>trích</em>”.</p>\n");
}

static void
test_rejects(void **state)
{
	(void)state;
	char err[256];
	char *big = malloc(MD_MAX_INPUT + 1);
	assert_non_null(big);
	memset(big, 'a', MD_MAX_INPUT + 1);
	assert_null(md_parse(big, MD_MAX_INPUT + 1, err, sizeof err));
	assert_non_null(strstr(err, "200 KB"));
	json_t *t = md_parse(big, MD_MAX_INPUT, err, sizeof err);
	assert_non_null(t);
	json_decref(t);
	free(big);
	assert_null(md_parse("a\xC3(", 3, err, sizeof err));
	assert_non_null(strstr(err, "UTF-8"));
	assert_null(md_parse("a\0b", 3, err, sizeof err));
	assert_null(md_parse("\xED\xA0\x80", 3, NULL, 0));
	t = md_parse(NULL, 0, err, sizeof err);
	assert_non_null(t);
	assert_int_equal(json_array_size(t), 0);
	json_decref(t);
}

/* ---- pathological input ----------------------------------------------- */

static void
repeat(struct buf *b, const char *unit, size_t bytes)
{
	buf_reset(b);
	size_t k = strlen(unit);
	while (b->len + k <= bytes)
		buf_append(b, unit, k);
}

static void
test_pathological(void **state)
{
	(void)state;
	static const char *const units[] = {
		"*", "_", "[", "]", "![", "`", "\\", ">", "> ", "(", ")", "](", "[a](",
		"[a](<", "[a](/x \"", "*a", "* a ", "**a", "a**", "*_", "_*", "``a`",
		"[*", "*]", "![![", "](/x)", "(](x))", "- ", "1. ", "#", "  \n", "a  \n",
		"- a\n  - b\n", "> - *a", "`` ` ", "<script>", "&#", "\n\n",
	};
	struct buf b = BUF_INIT, out = BUF_INIT;
	json_t *data = json_object();
	for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
		repeat(&b, units[i], MD_MAX_INPUT);
		char err[256];
		json_t *t = md_parse(b.data, b.len, err, sizeof err);
		if (!t) {
			/* only the node cap may refuse these */
			assert_non_null(strstr(err, "50000"));
			continue;
		}
		json_object_set_new(data, "body", t);
		buf_reset(&out);
		assert_int_equal(tmpl_render_page(set, "layout", "article", data, &out), 0);
		assert_true(out.len < 16 * (size_t)MD_MAX_INPUT);
		assert_false(contains_ci(out.data, "<script"));
		char *p = md_plain(t, 300);
		assert_non_null(p);
		assert_true(strlen(p) <= 300 * 4);
		free(p);
	}
	/* deep nesting is cut at MD_MAX_DEPTH and still renders in a page */
	buf_reset(&b);
	for (int i = 0; i < 2000; i++)
		buf_puts(&b, i % 2 ? "_x " : "*x ");
	buf_puts(&b, "đáy");
	for (int i = 1999; i >= 0; i--)
		buf_puts(&b, i % 2 ? " x_" : " x*");
	for (int depth = 0; depth < 2; depth++) {
		/* the worst case: inside three quotes and a nested list */
		struct buf md = BUF_INIT;
		buf_puts(&md, depth ? "> > > - a\n> > >   - " : "");
		buf_append(&md, b.data, b.len);
		json_t *t = parse(md.data);
		json_object_set_new(data, "body", t);
		buf_reset(&out);
		assert_int_equal(tmpl_render_page(set, "layout", "article", data, &out), 0);
		assert_non_null(strstr(out.data, "đáy"));
		buf_free(&md);
	}
	json_decref(data);
	buf_free(&b);
	buf_free(&out);
}

static int
max_depth(const json_t *arr)
{
	int d = 0;
	size_t i;
	const json_t *o;
	json_array_foreach(arr, i, o) {
		const json_t *k = json_object_get(o, "inl");
		int x = 1 + (k ? max_depth(k) : 0);
		if (x > d)
			d = x;
	}
	return d;
}

static void
test_depth_bound(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 20; i++)
		buf_puts(&b, "*a _b [c ");
	buf_puts(&b, "z");
	for (int i = 0; i < 20; i++)
		buf_puts(&b, "](/l) b_ a*");
	json_t *t = parse(b.data);
	const json_t *inl = json_object_get(json_array_get(t, 0), "inl");
	assert_true(max_depth(inl) <= MD_MAX_DEPTH);
	char *p = md_plain(t, 0);
	assert_non_null(strstr(p, "c z"));
	free(p);
	json_decref(t);
	buf_free(&b);
}

/* ---- md_plain, md_first_image ----------------------------------------- */

static void
test_plain(void **state)
{
	(void)state;
	json_t *t = parse("# Thông báo\n\nXin **chào**  \nbà con `mã` [xem](/x).\n\n"
	                  "![Ảnh](/a.jpg)\n\n- một\n  - hai\n\n> trích");
	char *p = md_plain(t, 0);
	assert_string_equal(p, "Thông báo Xin chào bà con mã xem. một hai trích");
	free(p);
	p = md_plain(t, 20);
	assert_string_equal(p, "Thông báo Xin chào…");
	free(p);
	p = md_plain(t, 12);
	assert_string_equal(p, "Thông báo…");
	free(p);
	p = md_plain(t, 48);
	assert_string_equal(p, "Thông báo Xin chào bà con mã xem. một hai trích");
	free(p);
	p = md_plain(t, 47);  /* exactly its length */
	assert_string_equal(p, "Thông báo Xin chào bà con mã xem. một hai trích");
	free(p);
	p = md_plain(t, 46);
	assert_string_equal(p, "Thông báo Xin chào bà con mã xem. một hai…");
	free(p);
	json_decref(t);

	t = parse("Khôngcókhoảngtrắngnàocả");
	p = md_plain(t, 6);
	assert_string_equal(p, "Không…");  /* 6 code points with the "…" */
	free(p);
	json_decref(t);

	p = md_plain(NULL, 10);
	assert_string_equal(p, "");
	free(p);
	json_t *junk = json_pack("[{s:i},i,{s:s,s:[i]}]", "type", 1, 2, "type", "p", "inl", 3);
	p = md_plain(junk, 10);
	assert_string_equal(p, "");
	free(p);
	json_decref(junk);
}

static void
test_first_image(void **state)
{
	(void)state;
	json_t *t = parse("chữ\n\n> ![a](/trong-trich.jpg)\n\n![b](/sau.jpg)");
	char *s = md_first_image(t);
	assert_string_equal(s, "/trong-trich.jpg");
	free(s);
	json_decref(t);
	t = parse("[x](/a.jpg) ![x](javascript:x)\n- ![y](/y.jpg)");
	assert_null(md_first_image(t));
	json_decref(t);
	assert_null(md_first_image(NULL));
}

/* The shipped templates also render the bare array (tmpl_render "md"). */
static void
test_render_array(void **state)
{
	(void)state;
	json_t *t = parse("a\n\n- b");
	struct buf out = BUF_INIT;
	assert_int_equal(tmpl_render(set, "md", t, &out), 0);
	assert_string_equal(out.data, "<p>a</p>\n<ul>\n<li>b</li>\n</ul>\n");
	buf_free(&out);
	json_decref(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paragraphs_and_headings),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_inlines),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_unsafe_urls),
		cmocka_unit_test(test_raw_html_is_text),
		cmocka_unit_test(test_vietnamese),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_depth_bound),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_first_image),
		cmocka_unit_test(test_render_array),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
