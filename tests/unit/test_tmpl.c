/* test_tmpl.c — the template engine: syntax, lookup, sections, partials,
 * layouts, limits, and above all the context-aware escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "view/tmpl.h"

/* ---- helpers ---------------------------------------------------------- */

static json_t *
J(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (!v)
		fail_msg("bad test json: %s: %s", text, e.text);
	return v;
}

/* Parses src as template "t", renders it with data (JSON text or NULL)
 * and returns the output (caller frees). */
static char *
R(const char *src, const char *data)
{
	char err[256];
	struct tmpl_set *s = tmpl_set_new();
	assert_non_null(s);
	if (tmpl_set_add(s, "t", src, strlen(src), err, sizeof err) != 0)
		fail_msg("parse failed: %s\n  template: %s", err, src);
	assert_int_equal(tmpl_set_link(s, err, sizeof err), 0);
	json_t *d = data ? J(data) : NULL;
	struct buf b = BUF_INIT;
	assert_int_equal(tmpl_render(s, "t", d, &b), 0);
	json_decref(d);
	tmpl_set_free(s);
	char *out = buf_detach(&b);
	assert_non_null(out);
	return out;
}

#define assert_render(src, data, want) do { \
	char *got_ = R(src, data); \
	assert_string_equal(got_, want); \
	free(got_); \
} while (0)

/* Expects src to fail to parse; returns the message in a static buffer. */
static const char *
E(const char *src)
{
	static char err[256];
	struct tmpl_set *s = tmpl_set_new();
	assert_non_null(s);
	err[0] = '\0';
	int rc = tmpl_set_add(s, "t", src, strlen(src), err, sizeof err);
	assert_false(tmpl_set_has(s, "t") && rc != 0);
	tmpl_set_free(s);
	if (rc == 0)
		fail_msg("template parsed but should not: %s", src);
	assert_true(err[0] != '\0');
	return err;
}

#define assert_parse_error(src, fragment) do { \
	const char *e_ = E(src); \
	if (!strstr(e_, fragment)) \
		fail_msg("error \"%s\" lacks \"%s\" for %s", e_, fragment, src); \
} while (0)

/* ---- values and lookup ------------------------------------------------ */

static void
test_plain_text(void **state)
{
	(void)state;
	assert_render("", NULL, "");
	assert_render("hello", NULL, "hello");
	assert_render("a } b }} c {", NULL, "a } b }} c {");
	assert_render("{{x}}", NULL, "");  /* no data at all */
}

static void
test_values(void **state)
{
	(void)state;
	const char *d = "{\"s\":\"chữ\",\"i\":42,\"neg\":-7,\"big\":9007199254740993,"
	                "\"r\":0.5,\"e\":1e20,\"t\":true,\"f\":false,\"n\":null,"
	                "\"o\":{\"k\":1},\"a\":[1,2]}";
	assert_render("[{{s}}]", d, "[chữ]");
	assert_render("[{{i}}|{{neg}}|{{big}}]", d, "[42|-7|9007199254740993]");
	assert_render("[{{r}}|{{e}}]", d, "[0.5|1e+20]");
	assert_render("[{{t}}|{{f}}]", d, "[true|false]");
	assert_render("[{{n}}|{{missing}}|{{o}}|{{a}}]", d, "[|||]");
	assert_render("[{{ s }}]", d, "[chữ]");  /* blanks inside the tag */
}

static void
test_dotted_and_dot(void **state)
{
	(void)state;
	const char *d = "{\"a\":{\"b\":{\"c\":\"deep\"},\"s\":\"x\"},\"list\":[\"p\",\"q\"]}";
	assert_render("{{a.b.c}}", d, "deep");
	assert_render("{{a.s.c}}", d, "");   /* through a string: nothing */
	assert_render("{{a.x.c}}", d, "");
	assert_render("{{#list}}[{{.}}]{{/list}}", d, "[p][q]");
	assert_render("{{#a}}{{b.c}}{{/a}}", d, "deep");
	assert_render("{{#a.b}}{{c}}{{/a.b}}", d, "deep");
	assert_render("{{.}}", "\"top\"", "top");
	/* digits index arrays: the idiom for "if the list is not empty" */
	assert_render("{{list.1}}{{list.2}}{{list.x}}{{a.0}}", d, "q");
	assert_render("{{#list.0}}<ul>{{#list}}<li>{{.}}</li>{{/list}}</ul>{{/list.0}}", d,
	              "<ul><li>p</li><li>q</li></ul>");
	assert_render("{{#e.0}}<ul>{{/e.0}}{{^e.0}}none{{/e.0}}", "{\"e\":[]}", "none");
	assert_render("{{r.0.n}}", "{\"r\":[{\"n\":\"first\"}]}", "first");
}

static void
test_context_stack(void **state)
{
	(void)state;
	const char *d = "{\"name\":\"outer\",\"title\":\"T\",\"inner\":{\"name\":\"inner\","
	                "\"a\":{\"x\":1}},\"a\":{\"x\":2,\"y\":3},"
	                "\"rows\":[{\"name\":\"r1\"},{\"other\":1}]}";
	/* innermost first, then outwards */
	assert_render("{{#inner}}{{name}}/{{title}}{{/inner}}", d, "inner/T");
	/* the first context holding the first segment wins, even when the
	 * rest of the path is missing there */
	assert_render("{{#inner}}{{a.x}}|{{a.y}}{{/inner}}", d, "1|");
	assert_render("{{#rows}}{{name}},{{/rows}}", d, "r1,outer,");
	/* a scalar pushed by an array hides nothing */
	assert_render("{{#s}}{{.}}{{title}}{{/s}}", "{\"s\":[\"a\",\"b\"],\"title\":\"T\"}",
	              "aTbT");
	/* a true scalar section keeps the context */
	assert_render("{{#flag}}[{{.}}]{{/flag}}", "{\"flag\":\"yes\"}", "[]");
}

static void
test_sections_truthiness(void **state)
{
	(void)state;
	static const struct { const char *v; int shown; } table[] = {
		{"true", 1}, {"false", 0}, {"null", 0}, {"[]", 0}, {"[0]", 1},
		{"[false]", 1}, {"\"\"", 0}, {"\"x\"", 1}, {"\"0\"", 1},
		{"0", 0}, {"1", 1}, {"-1", 1}, {"0.0", 0}, {"0.5", 1},
		{"{}", 1}, {"{\"k\":0}", 1},
	};
	for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
		char data[64];
		snprintf(data, sizeof data, "{\"v\":%s}", table[i].v);
		char *got = R("{{#v}}S{{/v}}{{^v}}I{{/v}}", data);
		if (strcmp(got, table[i].shown ? "S" : "I") != 0)
			fail_msg("value %s rendered \"%s\"", table[i].v, got);
		free(got);
	}
	/* missing altogether */
	assert_render("{{#v}}S{{/v}}{{^v}}I{{/v}}", "{}", "I");
	assert_render("{{#v}}S{{/v}}{{^v}}I{{/v}}", NULL, "I");
}

static void
test_sections_iterate_and_push(void **state)
{
	(void)state;
	assert_render("{{#a}}[{{x}}]{{/a}}", "{\"a\":[{\"x\":1},{\"x\":2},{\"x\":3}]}",
	              "[1][2][3]");
	assert_render("{{#o}}{{x}}{{/o}}", "{\"o\":{\"x\":\"ok\"}}", "ok");
	assert_render("{{#t}}{{x}}{{/t}}", "{\"t\":true,\"x\":\"kept\"}", "kept");
	assert_render("{{#n}}{{.}}{{/n}}", "{\"n\":5}", "");  /* context unchanged: the object */
	assert_render("{{#a}}{{#b}}{{x}}{{/b}}{{/a}}",
	              "{\"a\":[{\"b\":[{\"x\":1},{\"x\":2}]},{\"b\":[{\"x\":3}]}]}", "123");
	/* nested arrays are pushed as they are */
	assert_render("{{#a}}({{#.}}{{.}}{{/.}}){{/a}}", "{\"a\":[[1,2],[3]]}", "(12)(3)");
	/* same name nested */
	assert_render("{{#a}}{{#a}}x{{/a}}{{/a}}", "{\"a\":{\"a\":true}}", "x");
}

static void
test_comments(void **state)
{
	(void)state;
	assert_render("a{{! a comment }}b", NULL, "ab");
	assert_render("a{{!\nmulti {{ line\n}}b", NULL, "ab");
	assert_render("<p {{! ok in a tag }}class=\"c\">x</p>", NULL, "<p class=\"c\">x</p>");
	assert_render("<script>{{! fine }}</script>", NULL, "<script></script>");
}

static void
test_vietnamese_passes_through(void **state)
{
	(void)state;
	const char *src = "<h1>Ủy ban nhân dân {{ten}}</h1><p>Đăng nhập — {{ghi_chu}}</p>";
	const char *d = "{\"ten\":\"xã Đông Hòa, tỉnh Phú Yên\","
	                "\"ghi_chu\":\"Hồ sơ “đã tiếp nhận” & đúng hạn\"}";
	assert_render(src, d,
	              "<h1>Ủy ban nhân dân xã Đông Hòa, tỉnh Phú Yên</h1>"
	              "<p>Đăng nhập — Hồ sơ “đã tiếp nhận” &amp; đúng hạn</p>");
}

/* ---- escaping --------------------------------------------------------- */

static void
test_escape_text(void **state)
{
	(void)state;
	const char *d = "{\"x\":\"<script>alert(1)</script>\",\"q\":\"a&b \\\"c\\\" 'd'\"}";
	assert_render("<p>{{x}}</p>", d, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	assert_render("{{q}}", d, "a&amp;b &quot;c&quot; &#39;d&#39;");
	/* escaping is not undone inside <title> and <textarea> */
	assert_render("<title>{{x}}</title>", d,
	              "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>");
	assert_render("<textarea name=\"n\">{{x}}</textarea>{{q}}", d,
	              "<textarea name=\"n\">&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"
	              "a&amp;b &quot;c&quot; &#39;d&#39;");
	/* a NUL byte in the data becomes U+FFFD */
	assert_render("{{z}}", "{\"z\":\"a\\u0000b\"}", "a\xEF\xBF\xBD" "b");
}

static void
test_escape_function(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	tmpl_escape_html(&b, "&<>\"'x", 6);
	assert_string_equal(buf_str(&b), "&amp;&lt;&gt;&quot;&#39;x");
	buf_reset(&b);
	tmpl_escape_html(&b, "", 0);
	assert_string_equal(buf_str(&b), "");
	tmpl_escape_html(&b, "Việt Nam", strlen("Việt Nam"));
	assert_string_equal(buf_str(&b), "Việt Nam");
	buf_free(&b);
}

static void
test_escape_attributes(void **state)
{
	(void)state;
	const char *d = "{\"v\":\"\\\" onmouseover=\\\"alert(1)\",\"s\":\"' x='1\"}";
	assert_render("<a title=\"{{v}}\">", d, "<a title=\"&quot; onmouseover=&quot;alert(1)\">");
	assert_render("<a title='{{s}}'>", d, "<a title='&#39; x=&#39;1'>");
	assert_render("<input value=\"{{v}}\" class=\"x {{s}}\">", d,
	              "<input value=\"&quot; onmouseover=&quot;alert(1)\" "
	              "class=\"x &#39; x=&#39;1\">");
	/* after a quoted value closes, text is text again */
	assert_render("<a title=\"t\">{{s}}</a>", d, "<a title=\"t\">&#39; x=&#39;1</a>");
	/* data-* and other non-URL attributes are not scheme-checked */
	assert_render("<a data-href=\"{{u}}\">", "{\"u\":\"javascript:x\"}",
	              "<a data-href=\"javascript:x\">");
}

static void
test_url_attributes(void **state)
{
	(void)state;
	static const struct { const char *u; const char *want; } cases[] = {
		{"javascript:alert(1)", "#"},
		{"JaVaScRiPt:alert(1)", "#"},
		{"  javascript:alert(1)", "#"},
		{"\\u0001\\u0010javascript:alert(1)", "#"},
		{"\\tjava\\nscript:alert(1)", "#"},
		{"java\\tscript:alert(1)", "#"},
		{"java\\rscript:alert(1)", "#"},
		{"data:text/html;base64,PHNjcmlwdD4=", "#"},
		{"vbscript:msgbox", "#"},
		{"file:///etc/passwd", "#"},
		{":x", "#"},
		{"a b:c", "#"},
		{"http://example.vn/a?b=1&c=2", "http://example.vn/a?b=1&amp;c=2"},
		{"HTTPS://dichvucong.gov.vn/", "HTTPS://dichvucong.gov.vn/"},
		{"mailto:ubnd@example.vn", "mailto:ubnd@example.vn"},
		{"tel:+842573000000", "tel:+842573000000"},
		{"/ho-so/1?x=a:b", "/ho-so/1?x=a:b"},
		{"?q=a:b", "?q=a:b"},
		{"#muc:1", "#muc:1"},
		{"tra-cuu", "tra-cuu"},
		{"../a", "../a"},
		{"", ""},
		{"\\\"><script>", "&quot;&gt;&lt;script&gt;"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char data[128], want[256];
		snprintf(data, sizeof data, "{\"u\":\"%s\"}", cases[i].u);
		snprintf(want, sizeof want, "<a href=\"%s\">x</a>", cases[i].want);
		char *got = R("<a href=\"{{u}}\">x</a>", data);
		if (strcmp(got, want) != 0)
			fail_msg("url %s: got %s want %s", cases[i].u, got, want);
		free(got);
	}
	const char *js = "{\"u\":\"javascript:alert(1)\",\"h\":\"https://a.vn\"}";
	/* every URL attribute, any case, either quote */
	static const char *const tmpls[] = {
		"<a href=\"{{u}}\">", "<img src=\"{{u}}\">", "<form action=\"{{u}}\">",
		"<button formaction=\"{{u}}\">", "<video poster=\"{{u}}\">",
		"<q cite=\"{{u}}\">", "<object data=\"{{u}}\">", "<A HREF=\"{{u}}\">",
		"<a href='{{u}}'>", "<a href = \"{{u}}\">", "<a\nhref=\"{{u}}\">",
	};
	for (size_t i = 0; i < sizeof tmpls / sizeof *tmpls; i++) {
		char *got = R(tmpls[i], js);
		if (strstr(got, "javascript") || !strchr(got, '#'))
			fail_msg("%s rendered %s", tmpls[i], got);
		free(got);
	}
	/* numbers and booleans are fine */
	assert_render("<a href=\"{{n}}\">", "{\"n\":12}", "<a href=\"12\">");
	/* only the start of the value decides the scheme */
	assert_render("<a href=\"/tim?q={{u}}\">", js, "<a href=\"/tim?q=javascript:alert(1)\">");
	assert_render("<a href=\"{{h}}/{{u}}\">", js,
	              "<a href=\"https://a.vn/javascript:alert(1)\">");
	/* blanks before the tag still leave it at the start */
	assert_render("<a href=\" {{u}}\">", js, "<a href=\" #\">");
	/* an output that may be empty leaves the next one at the start */
	assert_render("<a href=\"{{e}}{{u}}\">", js, "<a href=\"#\">");
	/* a section whose body may be skipped, too */
	assert_render("<a href=\"{{#no}}/p{{/no}}{{u}}\">", js, "<a href=\"#\">");
	assert_render("<a href=\"{{#h}}/p{{/h}}{{u}}\">", js, "<a href=\"/p#\">");
	/* sections may build the attribute */
	assert_render("<a href=\"/a{{#h}}?h=1{{/h}}\">", js, "<a href=\"/a?h=1\">");
}

static void
test_url_is_safe(void **state)
{
	(void)state;
	assert_true(tmpl_url_is_safe("http://x", 8));
	assert_true(tmpl_url_is_safe("/a", 2));
	assert_true(tmpl_url_is_safe("", 0));
	assert_false(tmpl_url_is_safe("javascript:", 11));
	assert_false(tmpl_url_is_safe("\x7fjavascript:", 12));  /* DEL is not stripped: bad scheme */
	assert_false(tmpl_url_is_safe("httpsx:", 7));
	assert_false(tmpl_url_is_safe("ht tp:", 6));
	assert_false(tmpl_url_is_safe("javascriptjavascript:", 21));
	assert_true(tmpl_url_is_safe("h\ttt\np:", 7));  /* "http:" once tabs go */
}

static void
test_html_model(void **state)
{
	(void)state;
	const char *d = "{\"x\":\"<b>\"}";
	/* markup that ends correctly gives text back */
	assert_render("<!DOCTYPE html>{{x}}", d, "<!DOCTYPE html>&lt;b&gt;");
	assert_render("<!-- <a href=\" -->{{x}}", d, "<!-- <a href=\" -->&lt;b&gt;");
	assert_render("<!---->{{x}}", d, "<!---->&lt;b&gt;");
	assert_render("<!-->{{x}}", d, "<!-->&lt;b&gt;");
	assert_render("<!-- a --!>{{x}}", d, "<!-- a --!>&lt;b&gt;");
	assert_render("a < b {{x}}", d, "a < b &lt;b&gt;");
	assert_render("<script src=\"/a.js\"></script>{{x}}", d,
	              "<script src=\"/a.js\"></script>&lt;b&gt;");
	assert_render("<style>p{}</STYLE >{{x}}", d, "<style>p{}</STYLE >&lt;b&gt;");
	assert_render("<br/>{{x}}", d, "<br/>&lt;b&gt;");
	assert_render("<input disabled>{{x}}", d, "<input disabled>&lt;b&gt;");
	assert_render("<a title=\"a>b\">{{x}}", d, "<a title=\"a>b\">&lt;b&gt;");
	/* a comment's "-->" must be real: this is still inside it */
	assert_parse_error("<!-- -- > {{x}} -->", "comment");
	/* a script closes only at its end tag */
	assert_parse_error("<script>var s = \"</scripty>\"; {{x}}</script>", "script");
	/* inside <textarea> markup is text: no URL check, still escaped */
	assert_render("<textarea></title><a href=\"{{u}}\"></textarea>",
	              "{\"u\":\"javascript:x\\\"\"}",
	              "<textarea></title><a href=\"javascript:x&quot;\"></textarea>");
}

static void
test_sections_in_tags(void **state)
{
	(void)state;
	const char *t = "<option value=\"a\"{{#s}} selected{{/s}}>A</option>";
	assert_render(t, "{\"s\":true}", "<option value=\"a\" selected>A</option>");
	assert_render(t, "{\"s\":false}", "<option value=\"a\">A</option>");
	assert_render("<input{{#d}} disabled{{/d}}{{^d}} required{{/d}}>", "{\"d\":0}",
	              "<input required>");
	assert_render("<p class=\"a{{#b}} b{{/b}}\">", "{\"b\":1}", "<p class=\"a b\">");
	/* a value after such a section is still checked by position */
	assert_parse_error("<input{{#d}} disabled{{/d}} {{x}}>", "attribute name");
}

/* ---- parse errors ----------------------------------------------------- */

static void
test_errors_raw_output(void **state)
{
	(void)state;
	assert_parse_error("{{{x}}}", "raw output");
	assert_parse_error("{{& x}}", "raw output");
	assert_parse_error("{{&x}}", "raw output");
	assert_parse_error("{{=<% %>=}}", "delimiters");
}

static void
test_errors_positions(void **state)
{
	(void)state;
	assert_parse_error("<a href={{u}}>", "unquoted attribute value");
	assert_parse_error("<a title= {{u}}>", "unquoted attribute value");
	assert_parse_error("<a title=x{{u}}>", "unquoted attribute value");
	assert_parse_error("<{{t}}>", "tag name");
	assert_parse_error("</{{t}}>", "tag name");
	assert_parse_error("<di{{t}}>", "tag name");
	assert_parse_error("<div {{a}}>", "attribute name");
	assert_parse_error("<div cl{{a}}=\"x\">", "attribute name");
	assert_parse_error("<div class=\"x\" {{a}}=\"1\">", "attribute name");
	assert_parse_error("<input disabled {{a}}>", "attribute name");
	assert_parse_error("<script>{{x}}</script>", "script");
	assert_parse_error("<script>var a = \"{{x}}\";</script>", "script");
	assert_parse_error("<SCRIPT type=\"x\">{{x}}</SCRIPT>", "script");
	assert_parse_error("<script>{{#x}}{{/x}}</script>", "script");
	assert_parse_error("<script>{{> p}}</script>", "partial");
	assert_parse_error("<style>{{x}}</style>", "script");
	assert_parse_error("<iframe>{{x}}</iframe>", "raw-text");
	assert_parse_error("<a onclick=\"{{x}}\">", "event-handler");
	assert_parse_error("<a ONMOUSEOVER='{{x}}'>", "event-handler");
	assert_parse_error("<body onload=\"go({{x}})\">", "event-handler");
	assert_parse_error("<a onclick=\"{{#x}}a{{/x}}\">", "event-handler");
	assert_parse_error("<p style=\"color: {{c}}\">", "style");
	assert_parse_error("<img srcset=\"{{u}} 2x\">", "srcset");
	assert_parse_error("<!-- {{x}} -->", "comment");
	assert_parse_error("<!DOCTYPE {{x}}>", "<!...>");
	assert_parse_error("<?xml {{x}}?>", "<!...>");
	assert_parse_error("<a href=\"{{> p}}\">", "partial outside HTML text");
	assert_parse_error("<div {{> p}}>", "partial outside HTML text");
	assert_parse_error("<a href={{#x}}y{{/x}}>", "unquoted");
}

static void
test_errors_sections(void **state)
{
	(void)state;
	assert_string_equal(E("ab\ncd{{#a}}x{{/b}}"), "t:2:10: {{/b}} does not match {{#a}}");
	assert_string_equal(E("x\n\n  {{#a}}{{#b}}{{/b}}"), "t:3:3: unclosed section {{#a}}");
	assert_string_equal(E("{{^a}}"), "t:1:1: unclosed section {{^a}}");
	assert_string_equal(E("a{{/a}}"), "t:1:2: {{/a}} closes no section");
	assert_string_equal(E("Đường {{{x}}}"),
	                    "t:1:7: raw output {{{...}}} is not supported; every output is escaped");
	assert_parse_error("{{#a}}{{/a}}{{/a}}", "closes no section");
	assert_parse_error("{{#a.b}}{{/a}}", "does not match");
	/* a body must come back to the HTML context it began in */
	assert_parse_error("<a href=\"{{#x}}\">{{/x}}\"", "context");
	assert_parse_error("{{#x}}<a {{/x}}>", "context");
	assert_parse_error("{{#x}}<!--{{/x}}-->", "context");
	assert_parse_error("<a title=\"{{#x}}\" href=\"{{/x}}\">", "context");
	assert_parse_error("<a {{#x}}><b {{/x}}>", "context");
	assert_parse_error("<{{#x}}a{{/x}}>", "tag name");
	/* nesting is bounded */
	struct buf deep = BUF_INIT, deeper = BUF_INIT;
	for (int i = 0; i < TMPL_MAX_NESTING; i++)
		buf_printf(&deep, "{{#a%d}}", i);
	for (int i = TMPL_MAX_NESTING - 1; i >= 0; i--)
		buf_printf(&deep, "{{/a%d}}", i);
	free(R(buf_str(&deep), NULL));  /* exactly the limit parses */
	buf_printf(&deeper, "{{#z}}%s{{/z}}", buf_str(&deep));
	assert_parse_error(buf_str(&deeper), "nested too deeply");
	buf_free(&deep);
	buf_free(&deeper);
}

static void
test_errors_syntax(void **state)
{
	(void)state;
	assert_parse_error("{{x", "unclosed tag");
	assert_parse_error("{{x}", "unclosed tag");
	assert_parse_error("{{! never closed", "unclosed comment");
	assert_parse_error("{{}}", "empty");
	assert_parse_error("{{  }}", "empty");
	assert_parse_error("{{a b}}", "invalid character");
	assert_parse_error("{{a..b}}", "empty segment");
	assert_parse_error("{{.a}}", "empty segment");
	assert_parse_error("{{a.}}", "empty segment");
	assert_parse_error("{{#}}{{/}}", "empty");
	assert_parse_error("{{>}}", "invalid partial name");
	assert_parse_error("{{> a b}}", "invalid partial name");
	assert_parse_error("{{a<b}}", "invalid character");
	/* the template must end in text */
	assert_parse_error("<a href=\"x", "ends inside an attribute value");
	assert_parse_error("<a", "ends inside an HTML tag");
	assert_parse_error("<!-- x", "ends inside an HTML comment");
	assert_parse_error("<script>", "ends inside a raw-text");
	assert_parse_error("<title>", "ends inside a raw-text");
}

static void
test_bad_names(void **state)
{
	(void)state;
	char err[128];
	struct tmpl_set *s = tmpl_set_new();
	assert_int_equal(tmpl_set_add(s, "a", "x", 1, err, sizeof err), 0);
	assert_int_equal(tmpl_set_add(s, "a", "y", 1, err, sizeof err), -1);
	assert_string_equal(err, "a: duplicate template name");
	assert_int_equal(tmpl_set_add(s, "", "y", 1, err, sizeof err), -1);
	assert_int_equal(tmpl_set_add(s, "$content", "y", 1, err, sizeof err), -1);
	assert_int_equal(tmpl_set_add(s, "a b", "y", 1, err, sizeof err), -1);
	/* a failed add leaves the set as it was */
	assert_int_equal(tmpl_set_add(s, "bad", "{{#x}}", 6, err, sizeof err), -1);
	assert_false(tmpl_set_has(s, "bad"));
	assert_int_equal(tmpl_set_add(s, "bad", "ok", 2, err, sizeof err), 0);
	assert_true(tmpl_set_has(s, "bad"));
	/* a NULL or zero-size err is allowed */
	assert_int_equal(tmpl_set_add(s, "c", "{{{", 3, NULL, 0), -1);
	tmpl_set_free(s);
}

/* ---- partials, layouts, limits ---------------------------------------- */

static struct tmpl_set *
set_of(const char *const *pairs)
{
	char err[256];
	struct tmpl_set *s = tmpl_set_new();
	for (; pairs[0]; pairs += 2)
		if (tmpl_set_add(s, pairs[0], pairs[1], strlen(pairs[1]), err, sizeof err))
			fail_msg("%s", err);
	return s;
}

static void
test_partials(void **state)
{
	(void)state;
	static const char *const p[] = {
		"page", "<ul>{{#rows}}{{> row}}{{/rows}}</ul>{{> parts/foot}}",
		"row", "<li>{{name}} ({{unit}})</li>",
		"parts/foot", "<p>{{unit}}</p>",
		NULL,
	};
	struct tmpl_set *s = set_of(p);
	json_t *d = J("{\"unit\":\"UBND\",\"rows\":[{\"name\":\"An\"},{\"name\":\"<B>\",\"unit\":\"Tư pháp\"}]}");
	struct buf b = BUF_INIT;
	/* unlinked rendering looks partials up by name */
	assert_int_equal(tmpl_render(s, "page", d, &b), 0);
	char err[128];
	assert_int_equal(tmpl_set_link(s, err, sizeof err), 0);
	struct buf b2 = BUF_INIT;
	assert_int_equal(tmpl_render(s, "page", d, &b2), 0);
	const char *want = "<ul><li>An (UBND)</li><li>&lt;B&gt; (Tư pháp)</li></ul><p>UBND</p>";
	assert_string_equal(buf_str(&b), want);
	assert_string_equal(buf_str(&b2), want);
	buf_free(&b);
	buf_free(&b2);
	json_decref(d);
	tmpl_set_free(s);
}

static void
test_link_unknown_partial(void **state)
{
	(void)state;
	static const char *const p[] = {"a", "x\n  {{> nope}}", NULL};
	struct tmpl_set *s = set_of(p);
	char err[128];
	assert_int_equal(tmpl_set_link(s, err, sizeof err), -1);
	assert_string_equal(err, "a:2:3: unknown partial 'nope'");
	struct buf b = BUF_INIT;
	buf_puts(&b, "keep");
	assert_int_equal(tmpl_render(s, "a", NULL, &b), -1);
	assert_string_equal(buf_str(&b), "keep");  /* put back on failure */
	buf_free(&b);
	tmpl_set_free(s);
}

static void
test_layout(void **state)
{
	(void)state;
	static const char *const p[] = {
		"layout", "<title>{{title}}</title><main id=\"noi-dung\">{{> $content}}</main>",
		"home", "<h1>{{title}}</h1>{{> bit}}",
		"bit", "<p>{{who}}</p>",
		"selfish", "{{> $content}}",
		NULL,
	};
	struct tmpl_set *s = set_of(p);
	char err[128];
	assert_int_equal(tmpl_set_link(s, err, sizeof err), 0);  /* $content needs no target */
	json_t *d = J("{\"title\":\"Trang chủ\",\"who\":\"<i>\"}");
	struct buf b = BUF_INIT;
	assert_int_equal(tmpl_render_page(s, "layout", "home", d, &b), 0);
	assert_string_equal(buf_str(&b),
	                    "<title>Trang chủ</title><main id=\"noi-dung\">"
	                    "<h1>Trang chủ</h1><p>&lt;i&gt;</p></main>");
	buf_reset(&b);
	/* $content has nothing to include outside tmpl_render_page */
	assert_int_equal(tmpl_render(s, "layout", d, &b), -1);
	assert_int_equal(tmpl_render_page(s, "layout", "nope", d, &b), -1);
	assert_int_equal(tmpl_render_page(s, "nope", "home", d, &b), -1);
	assert_int_equal(tmpl_render(s, "nope", d, &b), -1);
	/* a page that includes $content itself recurses until the limit */
	assert_int_equal(tmpl_render_page(s, "layout", "selfish", d, &b), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	json_decref(d);
	tmpl_set_free(s);
}

static void
test_recursion_limit(void **state)
{
	(void)state;
	static const char *const p[] = {"me", "x{{> me}}", NULL};
	struct tmpl_set *s = set_of(p);
	char err[128];
	assert_int_equal(tmpl_set_link(s, err, sizeof err), 0);
	struct buf b = BUF_INIT;
	assert_int_equal(tmpl_render(s, "me", NULL, &b), -1);
	assert_int_equal(b.len, 0);
	tmpl_set_free(s);

	/* a chain of exactly TMPL_MAX_PARTIALS inclusions renders; one more fails */
	s = tmpl_set_new();
	char name[16], src[32];
	for (int i = 0; i <= TMPL_MAX_PARTIALS + 1; i++) {
		snprintf(name, sizeof name, "p%d", i);
		if (i == TMPL_MAX_PARTIALS + 1)
			snprintf(src, sizeof src, "end");
		else
			snprintf(src, sizeof src, "%d,{{> p%d}}", i, i + 1);
		assert_int_equal(tmpl_set_add(s, name, src, strlen(src), err, sizeof err), 0);
	}
	assert_int_equal(tmpl_set_link(s, err, sizeof err), 0);
	assert_int_equal(tmpl_render(s, "p1", NULL, &b), 0);  /* 16 inclusions */
	assert_string_equal(buf_str(&b) + b.len - 3, "end");
	buf_reset(&b);
	assert_int_equal(tmpl_render(s, "p0", NULL, &b), -1);  /* 17 */
	buf_free(&b);
	tmpl_set_free(s);
}

static void
test_output_and_work_limits(void **state)
{
	(void)state;
	/* output: ~9 MiB from a big array is refused */
	json_t *arr = json_array();
	for (int i = 0; i < 90000; i++)
		json_array_append_new(arr, json_true());
	json_t *d = json_pack("{s:o}", "a", arr);
	char src[160];
	snprintf(src, sizeof src, "{{#a}}%0100d\n{{/a}}", 0);
	static char err[128];
	struct tmpl_set *s = tmpl_set_new();
	assert_int_equal(tmpl_set_add(s, "big", src, strlen(src), err, sizeof err), 0);
	/* work: nested loops producing nothing are stopped too */
	const char *busy = "{{#a}}{{#a}}{{#a}}{{/a}}{{/a}}{{/a}}";
	assert_int_equal(tmpl_set_add(s, "busy", busy, strlen(busy), err, sizeof err), 0);
	const char *small = "{{#a}}.{{/a}}";
	assert_int_equal(tmpl_set_add(s, "small", small, strlen(small), err, sizeof err), 0);
	struct buf b = BUF_INIT;
	assert_int_equal(tmpl_render(s, "big", d, &b), -1);
	assert_int_equal(b.len, 0);
	assert_int_equal(tmpl_render(s, "busy", d, &b), -1);
	assert_int_equal(tmpl_render(s, "small", d, &b), 0);  /* 90 000 rows are fine */
	assert_int_equal(b.len, 90000);
	buf_free(&b);
	tmpl_set_free(s);
	json_decref(d);
}

static void
test_context_limit(void **state)
{
	(void)state;
	/* 31 pushes per level, 5 levels: more than TMPL_MAX_CONTEXT */
	struct buf src = BUF_INIT;
	for (int i = 0; i < 31; i++)
		buf_puts(&src, "{{#o}}");
	buf_puts(&src, "{{> again}}");
	for (int i = 0; i < 31; i++)
		buf_puts(&src, "{{/o}}");
	char err[128];
	struct tmpl_set *s = tmpl_set_new();
	assert_int_equal(tmpl_set_add(s, "again", src.data, src.len, err, sizeof err), 0);
	buf_free(&src);
	json_t *d = J("{\"o\":{}}");
	struct buf b = BUF_INIT;
	assert_int_equal(tmpl_render(s, "again", d, &b), -1);
	buf_free(&b);
	json_decref(d);
	tmpl_set_free(s);
}

struct job {
	const struct tmpl_set *set;
	json_t *data;
	int ok;
};

static void *
render_many(void *arg)
{
	struct job *j = arg;
	j->ok = 1;
	for (int i = 0; i < 300; i++) {
		struct buf b = BUF_INIT;
		if (tmpl_render_page(j->set, "layout", "page", j->data, &b) != 0 ||
		    strcmp(buf_str(&b), "<main><p>&lt;1&gt;</p><p>2</p></main>") != 0)
			j->ok = 0;
		buf_free(&b);
	}
	return NULL;
}

static void
test_threads(void **state)
{
	(void)state;
	static const char *const p[] = {
		"layout", "<main>{{> $content}}</main>",
		"page", "{{#rows}}{{> row}}{{/rows}}",
		"row", "<p>{{v}}</p>",
		NULL,
	};
	struct tmpl_set *s = set_of(p);
	char err[128];
	assert_int_equal(tmpl_set_link(s, err, sizeof err), 0);
	json_t *d = J("{\"rows\":[{\"v\":\"<1>\"},{\"v\":2}]}");
	pthread_t th[8];
	struct job jobs[8];
	for (int i = 0; i < 8; i++) {
		jobs[i] = (struct job){s, d, 0};
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_true(jobs[i].ok);
	}
	json_decref(d);
	tmpl_set_free(s);
}

static void
test_load_embedded(void **state)
{
	(void)state;
	struct tmpl_set *s = NULL;
	char err[256];
	if (tmpl_set_load_embedded(&s, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_non_null(s);
	assert_true(tmpl_set_has(s, "layout"));
	assert_true(tmpl_set_has(s, "error"));
	assert_false(tmpl_set_has(s, "site"));
	tmpl_set_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_dotted_and_dot),
		cmocka_unit_test(test_context_stack),
		cmocka_unit_test(test_sections_truthiness),
		cmocka_unit_test(test_sections_iterate_and_push),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_vietnamese_passes_through),
		cmocka_unit_test(test_escape_text),
		cmocka_unit_test(test_escape_function),
		cmocka_unit_test(test_escape_attributes),
		cmocka_unit_test(test_url_attributes),
		cmocka_unit_test(test_url_is_safe),
		cmocka_unit_test(test_html_model),
		cmocka_unit_test(test_sections_in_tags),
		cmocka_unit_test(test_errors_raw_output),
		cmocka_unit_test(test_errors_positions),
		cmocka_unit_test(test_errors_sections),
		cmocka_unit_test(test_errors_syntax),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_link_unknown_partial),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_recursion_limit),
		cmocka_unit_test(test_output_and_work_limits),
		cmocka_unit_test(test_context_limit),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_load_embedded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
