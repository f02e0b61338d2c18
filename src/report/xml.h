/*
 * xml.h — a small XML writer for the APIs that must answer in XML
 * (Open311 GeoReport v2), from the same jansson value the JSON answer is
 * made of, so the two formats cannot differ.
 *
 * The mapping is the Spark convention the GeoReport spec names: an
 * object becomes child elements named by its keys, in order; an array
 * becomes repeated elements named by a rule (the array's own name maps
 * to its item's name: "attributes" → "attribute"); null an empty element;
 * true/false and numbers their text.  Text is escaped (& < > " ') and
 * the characters XML 1.0 forbids (C0 controls but tab, LF, CR) are
 * dropped, so the output is always well-formed.
 */
#ifndef MOTCUA_REPORT_XML_H
#define MOTCUA_REPORT_XML_H
#include <jansson.h>
#include "core/buf.h"

/* Item element names for arrays: {"attributes", "attribute"}, …, ending
 * with {NULL, NULL}. */
struct xml_items {
	const char *array, *item;
};

/* Appends s escaped as XML character data / attribute value. */
void xml_escape(struct buf *out, const char *s);
/* Writes the declaration and root element `root` holding v: when v is an
 * array, each item is an element named item_of(root); when an object, its
 * members.  items names the items of nested arrays (an unnamed one
 * gets "item"). */
void xml_document(struct buf *out, const char *root, json_t *v, const struct xml_items *items);

#endif
