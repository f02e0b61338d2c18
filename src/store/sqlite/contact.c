/*
 * contact.c — the agency's contact for citizens' feedback (address,
 * phone, e-mail), kept in the settings table under "contact.*".
 */
#include <string.h>
#include "store/store.h"
#include "store/sqlite/db.h"

static const char SQL_GET[] = "SELECT value FROM settings WHERE key = ?";
static const char SQL_SET[] =
    "INSERT INTO settings (key, value) VALUES (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

static const char *const keys[3] = {"contact.address", "contact.phone", "contact.email"};

/* The three fields of c in the order of keys. */
static void
fields(struct store_contact *c, char *f[3], size_t n[3])
{
	f[0] = c->address, n[0] = sizeof c->address;
	f[1] = c->phone, n[1] = sizeof c->phone;
	f[2] = c->email, n[2] = sizeof c->email;
}

static enum err
get_fn(struct conn *c, void *arg)
{
	char *f[3];
	size_t n[3];
	fields(arg, f, n);
	for (int i = 0; i < 3; i++) {
		sqlite3_stmt *s = db_stmt(c, SQL_GET);
		enum err e = s ? q_bind(s, "t", keys[i]) : ERR_INTERNAL;
		if (!e && (e = q_text(s, 0, f[i], n[i])) == ERR_NOT_FOUND)
			e = ERR_OK;
		if (e)
			return e;
	}
	return ERR_OK;
}

enum err
store_contact_get(struct store *st, struct store_contact *out)
{
	memset(out, 0, sizeof *out);
	return db_read(st, get_fn, out);
}

struct set_arg {
	const char *actor;
	struct store_contact c;
};

static enum err
set_fn(struct conn *c, void *arg)
{
	struct set_arg *a = arg;
	char *f[3];
	size_t n[3];
	fields(&a->c, f, n);
	for (int i = 0; i < 3; i++) {
		sqlite3_stmt *s = db_stmt(c, SQL_SET);
		enum err e = s ? q_bind(s, "tt", keys[i], f[i]) : ERR_INTERNAL;
		if (e || (e = q_exec(s)))
			return e;
	}
	json_t *d = json_pack("{s:s,s:s,s:s}", "address", a->c.address, "phone", a->c.phone, "email",
	                      a->c.email);
	enum err e = d ? db_audit(c, a->actor, "agency.contact", "agency", d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_contact_set(struct store *st, const char *actor, const struct store_contact *c)
{
	struct set_arg a = {.actor = actor, .c = *c};
	return db_tx(st, set_fn, &a);
}
