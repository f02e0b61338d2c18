/*
 * backup.h — the backup service: take an archive now (admin page, CLI),
 * the nightly archive the server takes by itself at a set local time
 * (keeping the newest N nightly ones), list the archives and open one for
 * download.  Every archive is written by store_backup (one tar: database
 * + attachments + images); taking and downloading one are audit events,
 * since an archive holds every citizen's personal data.  Only an admin
 * (or the system) may do any of it.
 */
#ifndef MOTCUA_APP_BACKUP_H
#define MOTCUA_APP_BACKUP_H
#include <stdint.h>
#include "app/app.h"

#define APP_BACKUP_NAME_MAX 40

/* "HH:MM" (UTC+7) → minutes after midnight, "off" → -1; 0, or -1 if bad. */
int app_backup_parse_at(const char *s, int *minutes);
/* The only archive names listed, served or pruned:
 * "motcua-20261128-013000.tar" (by hand) or "…-tu-dong.tar" (nightly). */
int app_backup_name_ok(const char *name);

/* Starts the service: archives go to dir; a nightly one at `at` (minutes
 * after local midnight, -1 = none); the newest `keep` nightly archives are
 * kept.  0, or -1 with a Vietnamese message in err. */
int app_backup_start(struct app *a, const char *dir, int at, int keep, char *err, size_t errlen);
/* Stops the nightly thread (waits for a running backup) and frees. */
void app_backup_stop(struct app *a);

/* What one backup did. */
struct app_backup_result {
	char name[APP_BACKUP_NAME_MAX];   /* the archive's file name ("" for app_backup_to) */
	struct store_backup_info info;
	char err[512];                    /* why it failed, in Vietnamese */
};
/* Takes an archive into the folder now.  ERR_FORBIDDEN for anyone but an
 * admin, ERR_BACKUP_RUNNING while another is written, ERR_UNAVAILABLE
 * when the service was not started. */
enum err app_backup_take(struct app *a, const struct actor *ac, struct app_backup_result *out);
/* Writes an archive to path (the CLI's --to); audited as the others. */
enum err app_backup_to(struct app *a, const struct actor *ac, const char *path,
                       struct app_backup_result *out);

/* The folder as the admin page shows it. */
struct app_backup_archive {
	char name[APP_BACKUP_NAME_MAX];
	int64_t mtime;                    /* UTC seconds */
	int64_t bytes;
	int nightly;
};
struct app_backup_status {
	char dir[1024];
	struct app_backup_archive *archives;   /* newest first; app_backup_status_free */
	size_t count;
	int64_t free_bytes;               /* -1 when unknown */
	int low_space;                    /* less than twice the newest archive left */
	int at, keep;                     /* the nightly schedule (at -1: none) */
	int running;                      /* a backup is being written */
	/* the last nightly run (last_at 0: none since the server started) */
	int64_t last_at;
	enum err last_err;
	char last_name[APP_BACKUP_NAME_MAX];
	char last_msg[512];               /* the failure, or the first missing file */
	int64_t last_missing;
};
enum err app_backup_status(struct app *a, const struct actor *ac, struct app_backup_status *out);
void app_backup_status_free(struct app_backup_status *s);

/* Opens an archive of the folder for download (read-only descriptor and
 * its size) and records who took it.  ERR_NOT_FOUND for any name that is
 * not an archive there. */
enum err app_backup_open(struct app *a, const struct actor *ac, const char *name, int *fd,
                         uint64_t *size);

#endif
