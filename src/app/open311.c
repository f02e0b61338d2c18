/*
 * open311.c — Open311 GeoReport v2 services (open311.h): the admin's API
 * keys and the bridge from a GeoReport request to the case engine.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/open311.h"
#include "core/buf.h"
#include "core/roles.h"
#include "core/text.h"
#include "core/vntime.h"

#define KEY_PREFIX "o311_"
#define DESCRIPTION_MAX 4000          /* characters (the spec's limit) */

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

/* ---- keys -------------------------------------------------------------- */

static void
key_hash(const char *key, unsigned char out[32])
{
	crypto_hash_sha256(out, (const unsigned char *)key, strlen(key));
}

/* One line of printable text (no control characters). */
static int
one_line(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

enum err
app_open311_key_issue(struct app *a, const struct actor *ac, const char *name, char *key, size_t keylen,
                      int64_t *id, struct app_fail *f)
{
	assert(key && keylen >= APP_OPEN311_KEY_MAX);
	key[0] = '\0';
	if (!ac || !(ac->role & ROLE_ADMIN))
		return ERR_FORBIDDEN;
	size_t n = 0;
	const char *p = name ? text_trim(name, strlen(name), &n) : "";
	char clean[APP_OPEN311_NAME_MAX * 4 + 1];
	if (!n)
		return app_fail(f, ERR_MISSING_FIELD, "name", "Hãy ghi tên ứng dụng hoặc đơn vị được cấp khóa.");
	if (n >= sizeof clean || text_length(p, n) > APP_OPEN311_NAME_MAX)
		return app_fail(f, ERR_INVALID_FIELD, "name", "Tên tối đa 120 ký tự.");
	snprintf(clean, sizeof clean, "%.*s", (int)n, p);
	if (!one_line(clean))
		return app_fail(f, ERR_INVALID_FIELD, "name", "Tên viết trên một dòng.");
	unsigned char rnd[32];
	randombytes_buf(rnd, sizeof rnd);
	memcpy(key, KEY_PREFIX, sizeof KEY_PREFIX);
	sodium_bin2base64(key + strlen(KEY_PREFIX), keylen - strlen(KEY_PREFIX), rnd, sizeof rnd,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	unsigned char h[32];
	key_hash(key, h);
	char prefix[16];
	snprintf(prefix, sizeof prefix, "%.9s", key);
	enum err e = store_open311_key_add(a->st, ac->name, clean, h, prefix, now_s(), id);
	if (e)
		sodium_memzero(key, keylen);
	return e;
}

enum err
app_open311_key_revoke(struct app *a, const struct actor *ac, int64_t id)
{
	if (!ac || !(ac->role & ROLE_ADMIN))
		return ERR_FORBIDDEN;
	return store_open311_key_revoke(a->st, ac->name, id, now_s());
}

enum err
app_open311_keys(struct app *a, const struct actor *ac, int (*fn)(const struct store_open311_key *, void *),
                 void *arg)
{
	if (!ac || !(ac->role & ROLE_ADMIN))
		return ERR_FORBIDDEN;
	return store_open311_keys(a->st, fn, arg);
}

enum err
app_open311_key_check(struct app *a, const char *key, struct store_open311_key *client)
{
	size_t n = key ? strlen(key) : 0;
	if (n <= strlen(KEY_PREFIX) || n >= APP_OPEN311_KEY_MAX || strncmp(key, KEY_PREFIX, strlen(KEY_PREFIX)))
		return ERR_API_KEY;
	unsigned char h[32];
	key_hash(key, h);
	enum err e = store_open311_key_use(a->st, h, now_s(), client);
	return e == ERR_NOT_FOUND ? ERR_API_KEY : e;
}

/* ---- services ---------------------------------------------------------- */

int
app_open311_kind(enum case_kind k)
{
	return k == CASE_FEEDBACK || k == CASE_PETITION_REG || k == CASE_SUGGESTION;
}

static int
category_open311(const struct app_case_category *c)
{
	const struct case_type *t = case_type_by_code(c->kind);
	return t && app_open311_kind(t->kind);
}

enum err
app_open311_services(struct app *a, struct app_case_category **out, size_t *n)
{
	struct app_case_category *all = NULL;
	size_t m = 0, k = 0;
	enum err e = app_case_categories(a, &all, &m);
	if (e)
		return e;
	for (size_t i = 0; i < m; i++)
		if (category_open311(&all[i]))
			all[k++] = all[i];
	*out = all;
	*n = k;
	return ERR_OK;
}

enum err
app_open311_service(struct app *a, const char *code, struct app_case_category *out)
{
	if (!code || !*code)
		return ERR_NOT_FOUND;
	enum err e = app_case_category(a, code, out);
	if (e)
		return e;
	return category_open311(out) ? ERR_OK : ERR_NOT_FOUND;
}

/* ---- requests ---------------------------------------------------------- */

/* A number as the spec's "number" datatype: decimal, finite. */
static int
number_ok(const char *s)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	return *s && !*end && !errno && isfinite(d);
}

/* Checks each answer against its attribute's datatype (a number, an ISO
 * 8601 date-time with its offset, a string on one line).  Unknown codes,
 * list values and required answers are the case engine's checks
 * (app_case_submit), for every channel alike. */
static enum err
check_datatypes(const struct app_case_category *c, const struct app_open311_post *in, struct app_fail *f)
{
	for (size_t j = 0; j < in->nattrs; j++) {
		for (int i = 0; i < c->nattrs; i++) {
			if (strcmp(c->attrs[i].code, in->attrs[j].code))
				continue;
			const char *v = in->attrs[j].value, *dt = c->attrs[i].datatype;
			int64_t t;
			int ok = !strcmp(dt, "number")     ? number_ok(v)
			         : !strcmp(dt, "datetime") ? vn_parse_rfc3339(v, &t) == 0
			         : !strcmp(dt, "string")   ? one_line(v)
			                                   : 1;
			if (!ok) {
				char msg[sizeof f->msg];
				snprintf(msg, sizeof msg, "Giá trị của “%s” (%s) không đúng kiểu %s.", c->attrs[i].code,
				         c->attrs[i].description, dt);
				return app_fail(f, ERR_INVALID_FIELD, "attribute", msg);
			}
		}
	}
	return ERR_OK;
}

static const char *
nz(const char *s)
{
	return s ? s : "";
}

enum err
app_open311_submit(struct app *a, const struct app_open311_post *in, struct app_case_brief *out,
                   struct app_fail *f)
{
	struct store_open311_key client;
	enum err e = app_open311_key_check(a, in->api_key, &client);
	if (e)
		return app_fail(f, e, "api_key", "Khóa API (api_key) thiếu, không đúng hoặc đã bị thu hồi.");
	if (!in->service_code || !*in->service_code)
		return app_fail(f, ERR_MISSING_FIELD, "service_code", "Thiếu mã dịch vụ (service_code).");
	struct app_case_category cat;
	if ((e = app_open311_service(a, in->service_code, &cat)) != ERR_OK)
		return e == ERR_NOT_FOUND ? app_fail(f, e, "service_code", "Không có dịch vụ với mã này.") : e;
	const char *addr = nz(in->address), *addr_id = nz(in->address_id);
	if (!in->has_location && !*addr && !*addr_id)
		return app_fail(f, ERR_MISSING_FIELD, "lat",
		                "Cần vị trí: lat và long, hoặc address_string, hoặc address_id.");
	if (in->has_location && (!isfinite(in->lat) || !isfinite(in->lon) || fabs(in->lat) > 90 || fabs(in->lon) > 180))
		return app_fail(f, ERR_INVALID_FIELD, "lat", "Tọa độ lat/long không hợp lệ (WGS84).");
	const char *desc = nz(in->description);
	if (text_length(desc, strlen(desc)) > DESCRIPTION_MAX)
		return app_fail(f, ERR_INVALID_FIELD, "description", "Mô tả tối đa 4.000 ký tự.");
	if (in->media_url && *in->media_url &&
	    (strncmp(in->media_url, "http://", 7) && strncmp(in->media_url, "https://", 8)))
		return app_fail(f, ERR_INVALID_FIELD, "media_url", "media_url phải là địa chỉ http:// hoặc https://.");
	if ((e = check_datatypes(&cat, in, f)) != ERR_OK)
		return e;

	const struct case_type *t = case_type_by_code(cat.kind);
	struct app_case_in c = {0};
	c.kind = t->kind;
	c.channel = APP_CASE_OPEN311;
	c.category = cat.code;
	/* the subject: the service, and where */
	struct buf subj = BUF_INIT, content = BUF_INIT, where = BUF_INIT;
	buf_puts(&where, addr);
	if (*addr_id)
		buf_printf(&where, "%s(mã địa chỉ %s)", *addr ? " " : "", addr_id);
	buf_puts(&subj, cat.name);
	if (where.len)
		buf_printf(&subj, " — %s", buf_str(&where));
	size_t cut = text_utf8_prefix(buf_str(&subj), subj.len, 600);
	char subject[601];
	snprintf(subject, sizeof subject, "%.*s", (int)cut, buf_str(&subj));
	while (text_length(subject, strlen(subject)) > APP_CASE_SUBJECT_MAX)
		subject[text_utf8_prefix(subject, strlen(subject), strlen(subject) - 1)] = '\0';
	buf_puts(&content, *desc ? desc : cat.name);
	if (in->media_url && *in->media_url)
		buf_printf(&content, "\n\nẢnh/tư liệu (media_url): %s", in->media_url);
	c.subject = subject;
	c.content = buf_str(&content);
	c.address = buf_str(&where);
	c.has_location = in->has_location;
	c.lat = in->lat;
	c.lon = in->lon;
	snprintf(c.party.name, sizeof c.party.name, "%s%s%s", nz(in->first_name),
	         in->first_name && *in->first_name && in->last_name && *in->last_name ? " " : "", nz(in->last_name));
	snprintf(c.party.phone, sizeof c.party.phone, "%s", nz(in->phone));
	snprintf(c.party.email, sizeof c.party.email, "%s", nz(in->email));
	c.anonymous = !c.party.name[0] && !c.party.phone[0] && !c.party.email[0];
	c.attrs = in->attrs;
	c.nattrs = in->nattrs;
	c.source = client.name;
	struct actor ac = {0};
	ac.role = ROLE_PUBLIC;
	snprintf(ac.name, sizeof ac.name, "open311:%lld", (long long)client.id);
	e = subj.oom || content.oom || where.oom ? ERR_NOMEM : app_case_submit(a, &ac, &c, out, f);
	buf_free(&subj);
	buf_free(&content);
	buf_free(&where);
	return e;
}

/* Newest first. */
static int
by_received_desc(const void *x, const void *y)
{
	const struct app_case_public *p = x, *q = y;
	return p->received_at < q->received_at ? 1 : p->received_at > q->received_at ? -1 : strcmp(q->code, p->code);
}

enum err
app_open311_requests(struct app *a, const struct app_open311_query *q, struct app_case_public **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (q->nids > APP_OPEN311_CODES || q->nservices > APP_OPEN311_CODES)
		return ERR_OUT_OF_RANGE;
	struct app_case_public_filter flt = {0};
	flt.limit = APP_OPEN311_LIMIT;
	if (q->nids) {
		/* the ids override every other argument */
		flt.codes = q->ids;
		flt.ncodes = q->nids;
		size_t total;
		enum err e = app_case_public_list(a, &flt, out, n, &total);
		if (!e && *n)
			qsort(*out, *n, sizeof **out, by_received_desc);
		return e;
	}
	if (q->to < q->from || q->to - q->from > APP_OPEN311_WINDOW)
		return ERR_OUT_OF_RANGE;
	flt.from = q->from;
	flt.to = q->to + 1;   /* end_date is inclusive */
	flt.status = q->open == q->closed ? NULL : q->open ? "open" : "closed";
	size_t rounds = q->nservices ? q->nservices : 1;
	struct app_case_public *all = NULL;
	size_t m = 0;
	for (size_t i = 0; i < rounds; i++) {
		flt.category = q->nservices ? q->services[i] : NULL;
		struct app_case_public *part = NULL;
		size_t k = 0, total;
		enum err e = app_case_public_list(a, &flt, &part, &k, &total);
		if (e) {
			app_case_public_list_free(all, m);
			return e;
		}
		struct app_case_public *grown = k ? realloc(all, (m + k) * sizeof *all) : all;
		if (k && !grown) {
			app_case_public_list_free(part, k);
			app_case_public_list_free(all, m);
			return ERR_NOMEM;
		}
		all = grown;
		if (k)
			memcpy(all + m, part, k * sizeof *part);
		m += k;
		free(part);   /* the elements moved into all, with their allocations */
	}
	if (m)
		qsort(all, m, sizeof *all, by_received_desc);
	while (m > APP_OPEN311_LIMIT)
		app_case_public_free(&all[--m]);
	*out = all;
	*n = m;
	return ERR_OK;
}
