/*
 * xml.c — the XML writer (xml.h).
 */
#include <stdio.h>
#include <string.h>
#include "report/xml.h"

void
xml_escape(struct buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&apos;"); break;
		default:
			if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r')
				buf_putc(out, (char)*p);
			/* other C0 controls are not allowed in XML 1.0: dropped */
		}
	}
}

static const char *
item_of(const char *array, const struct xml_items *items)
{
	for (size_t i = 0; items && items[i].array; i++)
		if (!strcmp(items[i].array, array))
			return items[i].item;
	return "item";
}

static void element(struct buf *out, const char *name, json_t *v, const struct xml_items *items, int depth);

static void
indent(struct buf *out, int depth)
{
	buf_putc(out, '\n');
	for (int i = 0; i < depth; i++)
		buf_puts(out, "  ");
}

/* The content of an element holding v (children or text). */
static void
content(struct buf *out, const char *name, json_t *v, const struct xml_items *items, int depth)
{
	char num[64];
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *m;
		json_object_foreach(v, k, m)
			element(out, k, m, items, depth + 1);
		indent(out, depth);
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *m;
		const char *item = item_of(name, items);
		json_array_foreach(v, i, m)
			element(out, item, m, items, depth + 1);
		indent(out, depth);
		break;
	}
	case JSON_STRING:
		xml_escape(out, json_string_value(v));
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		buf_puts(out, num);
		break;
	case JSON_REAL:
		snprintf(num, sizeof num, "%.17g", json_real_value(v));
		buf_puts(out, num);
		break;
	case JSON_TRUE:
		buf_puts(out, "true");
		break;
	case JSON_FALSE:
		buf_puts(out, "false");
		break;
	case JSON_NULL:
		break;
	}
}

static void
element(struct buf *out, const char *name, json_t *v, const struct xml_items *items, int depth)
{
	indent(out, depth);
	if (json_is_null(v) || (json_is_array(v) && !json_array_size(v)) ||
	    (json_is_string(v) && !json_string_length(v))) {
		buf_printf(out, "<%s/>", name);
		return;
	}
	buf_printf(out, "<%s>", name);
	content(out, name, v, items, depth);
	buf_printf(out, "</%s>", name);
}

void
xml_document(struct buf *out, const char *root, json_t *v, const struct xml_items *items)
{
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
	if (!v || json_is_null(v) || (json_is_array(v) && !json_array_size(v))) {
		buf_printf(out, "\n<%s/>\n", root);
		return;
	}
	buf_printf(out, "\n<%s>", root);
	content(out, root, v, items, 0);
	buf_printf(out, "</%s>\n", root);
}
