/*
 * fuzz_tmpl.c — the template parser and renderer on arbitrary input.
 *
 * The input is parsed as template "f" in a set that also holds a partial
 * and a layout; when it parses, it is rendered on its own and as the page
 * of the layout, with a small fixed data tree holding hostile strings,
 * nested objects and arrays.  Sanitizers catch memory errors; the checks
 * below catch a render that fails differently twice or leaves the buffer
 * dirty after an error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "view/tmpl.h"

static const char data_json[] =
	"{\"s\":\"<script>alert(1)</script>\",\"u\":\" JaVaScRiPt:alert(1)\","
	"\"h\":\"https://example.vn/?a=1&b=2\",\"q\":\"\\\"'&\",\"vi\":\"Ủy ban nhân dân\","
	"\"i\":42,\"r\":0.5,\"t\":true,\"f\":false,\"n\":null,\"e\":\"\",\"z\":0,"
	"\"o\":{\"a\":{\"b\":\"deep\"},\"list\":[1,2]},"
	"\"list\":[{\"x\":\"a\",\"t\":false},{\"x\":\"<b>\"},\"str\",3,[1,[2]]],"
	"\"empty\":[],\"obj\":{}}";

static const char partial_src[] = "<i title=\"{{s}}\">{{x}}</i>{{#o}}{{a.b}}{{/o}}";
static const char layout_src[] = "<main><a href=\"{{u}}\">x</a>{{> $content}}</main>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *tree;
	if (!tree)
		tree = json_loads(data_json, 0, NULL);
	if (!tree)
		abort();

	char err[256];
	struct tmpl_set *set = tmpl_set_new();
	if (!set)
		return 0;
	if (tmpl_set_add(set, "p", partial_src, sizeof partial_src - 1, err, sizeof err) != 0 ||
	    tmpl_set_add(set, "layout", layout_src, sizeof layout_src - 1, err, sizeof err) != 0)
		abort();
	if (tmpl_set_add(set, "f", (const char *)data, size, err, sizeof err) != 0) {
		if (!memchr(err, ':', strlen(err)))
			abort();  /* every parse error says where */
		tmpl_set_free(set);
		return 0;
	}
	(void)tmpl_set_link(set, err, sizeof err);  /* unknown partials render as errors */

	struct buf a = BUF_INIT, b = BUF_INIT;
	int ra = tmpl_render(set, "f", tree, &a);
	int rb = tmpl_render(set, "f", tree, &b);
	if (ra != rb || a.len != b.len || (a.len && memcmp(a.data, b.data, a.len) != 0))
		abort();  /* rendering is a pure function of template and data */
	if (ra != 0 && a.len != 0)
		abort();  /* a failed render leaves the buffer as it was */
	buf_reset(&a);
	(void)tmpl_render_page(set, "layout", "f", tree, &a);
	buf_free(&a);
	buf_free(&b);
	tmpl_set_free(set);
	return 0;
}
