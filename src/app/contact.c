/*
 * contact.c — the agency's contact for feedback (contact.h).
 */
#include <stdio.h>
#include <string.h>
#include "app/contact.h"
#include "core/roles.h"
#include "core/text.h"

enum err
app_contact_get(struct app *a, struct store_contact *out)
{
	return store_contact_get(a->st, out);
}

/* No control characters (one line each). */
static int
one_line(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* A phone number as people write it: digits, spaces, + . - ( ), at least
 * six digits ("0235 3861 234", "(0235) 3.861.234", "+84 235 3861234"). */
static int
phone_ok(const char *s)
{
	int digits = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr(" +.-()", *p))
			return 0;
	}
	return digits >= 6 && strlen(s) <= APP_CONTACT_PHONE_MAX;
}

/* local@domain.tld: one @, no spaces or angle brackets, a dot in the
 * domain not at its ends. */
static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > APP_CONTACT_EMAIL_MAX)
		return 0;
	if (strpbrk(s, " <>\"(),;:[]\\"))
		return 0;
	const char *dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0';
}

enum err
app_contact_set(struct app *a, const struct actor *ac, const struct store_contact *in,
                struct app_fail *f)
{
	if (!ac || !(ac->role & ROLE_ADMIN))
		return ERR_FORBIDDEN;
	struct store_contact c;
	size_t n;
	/* kept as typed, without the spaces around */
	const char *p = text_trim(in->address, strlen(in->address), &n);
	snprintf(c.address, sizeof c.address, "%.*s", (int)n, p);
	p = text_trim(in->phone, strlen(in->phone), &n);
	snprintf(c.phone, sizeof c.phone, "%.*s", (int)n, p);
	p = text_trim(in->email, strlen(in->email), &n);
	snprintf(c.email, sizeof c.email, "%.*s", (int)n, p);
	if (!one_line(c.address) || text_length(c.address, strlen(c.address)) > APP_CONTACT_ADDRESS_MAX ||
	    strlen(in->address) >= sizeof c.address)
		return app_fail(f, ERR_INVALID_FIELD, "address",
		                "Địa chỉ tối đa 300 ký tự, viết trên một dòng.");
	if (c.phone[0] && (!phone_ok(c.phone) || strlen(in->phone) >= sizeof c.phone))
		return app_fail(f, ERR_INVALID_FIELD, "phone",
		                "Số điện thoại chỉ gồm chữ số, dấu cách và + . - ( ), ít nhất 6 chữ số.");
	if (c.email[0] && (!email_ok(c.email) || strlen(in->email) >= sizeof c.email))
		return app_fail(f, ERR_INVALID_FIELD, "email",
		                "Địa chỉ thư điện tử không hợp lệ (ví dụ: ubnd@phonghai.gov.vn).");
	return app_public_write(a, store_contact_set(a->st, ac->name, &c));
}
