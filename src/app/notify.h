/*
 * notify.h — messages to applicants (issue #13 item 5).
 */
#ifndef MOTCUA_APP_NOTIFY_H
#define MOTCUA_APP_NOTIFY_H
#include "app/app.h"

/* Sends one message now to `to` through `channel` ("sms" or "email"),
 * from template `tmpl` ("otp": the one-time code) filled with vars
 * (NULL-terminated key, value pairs, e.g. {"code", "123456", NULL}).
 * secret: the message carries a secret (a one-time code): its body is
 * never logged nor kept beyond the delivery.  ERR_OK once handed to the
 * gateway; ERR_UNAVAILABLE (with f) when it could not be. */
enum err app_notify_direct(struct app *a, const char *channel /* "sms" or "email" */, const char *to,
                           const char *tmpl /* "otp" */, const char *const *vars, int secret,
                           struct app_fail *f);

#endif
