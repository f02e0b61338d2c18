/*
 * app_fixture.h — the service tests' temporary data folder: a fresh store
 * with an agency in a mkdtemp folder, and the application over it; and
 * the removal of it all.  Header-only: each unit test is one program.
 */
#ifndef MOTCUA_TEST_APP_FIXTURE_H
#define MOTCUA_TEST_APP_FIXTURE_H
#include <stdio.h>
#include <stdlib.h>
#include "app/app.h"

/* dir (64 bytes) gets "/tmp/motcua-NAME-XXXXXX"; 0, or -1 on failure. */
static inline int
fixture_open(char *dir, const char *name, struct store **st, struct app *a)
{
	snprintf(dir, 64, "/tmp/motcua-%s-XXXXXX", name);
	char err[200];
	if (!mkdtemp(dir) || store_open(st, dir, err, sizeof err) != 0)
		return -1;
	if (store_init(*st, "UBND xã Thử", "000.00.00.H00", 0, "admin", "x") != ERR_OK)
		return -1;
	return a ? app_init(a, *st, err, sizeof err) : 0;
}

static inline int
fixture_close(const char *dir, struct store *st, struct app *a)
{
	if (a)
		app_free(a);
	store_close(st);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
