/*
 * typed.c — see typed.h.  The shapes are the ones the API has always
 * returned for a dossier (docs/openapi.yaml): absent values are null,
 * the address is a string, instants are RFC 3339 in UTC+7.
 */
#include <jansson.h>
#include <stdlib.h>
#include "core/deadline.h"
#include "store/sqlite/typed.h"

static json_t *
str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *
instant(int64_t t)
{
	char b[VN_RFC3339_MAX];
	if (vn_fmt_rfc3339(t, b, sizeof b) < 0)
		return json_null();
	return json_string(b);
}

static char *
dump(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s;
}

char *
typed_applicant_json(const struct store_person *p, const struct store_person *rep)
{
	json_t *o = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:s}", "name", p->name ? p->name : "",
	    "id_number", str_or_null(p->id_number), "date_of_birth", str_or_null(p->date_of_birth),
	    "sex", str_or_null(p->sex), "phone", str_or_null(p->phone), "email", str_or_null(p->email),
	    "address", p->address ? p->address : "");
	if (o && rep && rep->name)
		json_object_set_new(o, "representative",
		    json_pack("{s:s,s:o,s:o,s:s}", "name", rep->name, "id_number",
		              str_or_null(rep->id_number), "phone", str_or_null(rep->phone), "relation",
		              rep->relation ? rep->relation : ""));
	return dump(o);
}

char *
typed_documents_json(const struct store_doc *d, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_pack("{s:s,s:b,s:s,s:i}", "name", d[i].name, "received",
		                                        d[i].received, "form", d[i].form ? d[i].form : "copy",
		                                        "count", d[i].count)) != 0) {
			json_decref(a);
			return NULL;
		}
	return dump(a);
}

char *
typed_facts_json(const struct store_change_facts *f)
{
	json_t *o = json_object();
	if (!o || !f)
		return dump(o);
	if (f->assignee) {
		json_object_set_new(o, "assignee", json_integer(f->assignee));
		json_object_set_new(o, "assignee_name", json_string(f->assignee_name ? f->assignee_name : ""));
	}
	if (f->unit)
		json_object_set_new(o, "unit", json_string(f->unit));
	if (f->new_date)
		json_object_set_new(o, "new_date", instant(f->new_date));
	if (f->recipient)
		json_object_set_new(o, "recipient", json_string(f->recipient));
	if (f->recipient_id)
		json_object_set_new(o, "recipient_id", json_string(f->recipient_id));
	if (f->nmissing) {
		json_t *m = json_array();
		for (size_t i = 0; m && i < f->nmissing; i++)
			json_array_append_new(m, json_string(f->missing[i]));
		json_object_set_new(o, "missing", m);
	}
	if (f->late)
		json_object_set_new(o, "late", json_true());
	if (f->due_before != f->due_after) {
		json_object_set_new(o, "due_before", f->due_before ? instant(f->due_before) : json_null());
		json_object_set_new(o, "due_at", f->due_after ? instant(f->due_after) : json_null());
	}
	return dump(o);
}

json_t *
typed_event_facts(struct store_dossier_event *ev)
{
	json_t *o = ev->details ? json_loads(ev->details, 0, NULL) : NULL;
	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	ev->late = json_is_true(json_object_get(o, "late"));
	const char *db = json_string_value(json_object_get(o, "due_before"));
	const char *da = json_string_value(json_object_get(o, "due_at"));
	if (db && vn_parse_rfc3339(db, &ev->due_before) != 0)
		ev->due_before = 0;
	if (da && vn_parse_rfc3339(da, &ev->due_after) != 0)
		ev->due_after = 0;
	json_t *m = json_object_get(o, "missing"), *v;
	size_t i;
	json_array_foreach(m, i, v) {
		if (ev->nmissing < STORE_MISSING_MAX && json_is_string(v))
			ev->missing[ev->nmissing++] = json_string_value(v);
	}
	return o;
}
