/*
 * backup_svc.h — the admin's backup page and the nightly backup thread
 * (backup_svc.c).
 */
#ifndef MOTCUA_BACKUP_SVC_H
#define MOTCUA_BACKUP_SVC_H
#include <stddef.h>
#include "http/http.h"

struct web_app;

/* "HH:MM" → minutes after midnight (UTC+7), "off" → -1; 0 or -1 if bad. */
int backup_parse_at(const char *s, int *minutes);
/* Archives go to dir; a nightly one at `at` (minutes, -1 = none), the
 * newest `keep` nightly archives are kept.  0, or -1 with err. */
int backup_svc_start(struct web_app *app, const char *dir, int at, int keep, char *err, size_t errlen);
/* Stops the nightly thread (waits for a running backup) and frees. */
void backup_svc_stop(struct web_app *app);

enum err admin_backup(struct http_req *, struct http_resp *);
enum err admin_backup_create(struct http_req *, struct http_resp *);
enum err admin_backup_download(struct http_req *, struct http_resp *);

#endif
