/*
 * contact.h — the agency's contact for citizens' feedback: the address,
 * phone and e-mail every public page's footer gives.  Anyone reads it;
 * only the admin sets it (audited), and what is set shows on the public
 * pages at once (app_public_write).
 */
#ifndef MOTCUA_APP_CONTACT_H
#define MOTCUA_APP_CONTACT_H
#include "app/app.h"

#define APP_CONTACT_ADDRESS_MAX 300   /* code points */
#define APP_CONTACT_PHONE_MAX 40      /* bytes */
#define APP_CONTACT_EMAIL_MAX 254     /* bytes (RFC 5321 path) */

/* The contact; "" for what was never set. */
enum err app_contact_get(struct app *a, struct store_contact *out);
/* Checks and stores in (each field may be empty: not shown).  A refusal
 * is ERR_INVALID_FIELD with f saying which and why; nothing is written.
 * ERR_FORBIDDEN for anyone but an admin. */
enum err app_contact_set(struct app *a, const struct actor *ac, const struct store_contact *in,
                         struct app_fail *f);

#endif
