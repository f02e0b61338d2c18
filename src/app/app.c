/*
 * app.c — the application's setup and the small shared helpers of app.h.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include "app/app.h"
#include "app/calendar.h"
#include "app/facts.h"
#include "core/roles.h"
#include "core/text.h"

int
app_init(struct app *a, struct store *st, char *err, size_t errlen)
{
	memset(a, 0, sizeof *a);
	a->st = st;
	if (store_agency_get(st, &a->agency) != ERR_OK) {
		snprintf(err, errlen, "dữ liệu cơ quan chưa được khởi tạo");
		return -1;
	}
	pthread_mutex_init(&a->cal_lock, NULL);
	if (cal_reload(a) != ERR_OK) {
		pthread_mutex_destroy(&a->cal_lock);
		snprintf(err, errlen, "không dựng được lịch làm việc");
		return -1;
	}
	pthread_mutex_init(&a->top_lock, NULL);
	if (app_facts_start(a, err, errlen) != 0) {
		app_free(a);
		return -1;
	}
	return 0;
}

void
app_free(struct app *a)
{
	if (a->facts_on) {
		app_facts_stop(a);
		a->facts_on = 0;
	}
	if (a->cal) {
		cal_release(a, a->cal);
		a->cal = NULL;
		pthread_mutex_destroy(&a->cal_lock);
		pthread_mutex_destroy(&a->top_lock);
	}
	memset(a->agency.secret, 0, sizeof a->agency.secret);
}

enum err
app_fail(struct app_fail *f, enum err e, const char *field, const char *msg)
{
	if (f) {
		snprintf(f->field, sizeof f->field, "%s", field ? field : "");
		snprintf(f->msg, sizeof f->msg, "%s", msg ? msg : "");
	}
	return e;
}

void
app_actor_staff(struct actor *ac, const struct store_user *u)
{
	memset(ac, 0, sizeof *ac);
	ac->user_id = u->id;
	ac->role = role_from_name(u->role);
	snprintf(ac->unit, sizeof ac->unit, "%s", u->unit);
	snprintf(ac->name, sizeof ac->name, "user:%s", u->username);
}

void
app_actor_system(struct actor *ac, const char *name)
{
	memset(ac, 0, sizeof *ac);
	ac->role = ROLE_STAFF;
	snprintf(ac->name, sizeof ac->name, "%s", name);
}

enum err
app_public_write(struct app *a, enum err e)
{
	if (e == ERR_OK)
		atomic_fetch_add(&a->public_rev, 1);
	return e;
}

uint64_t
app_public_rev(struct app *a)
{
	return atomic_load(&a->public_rev);
}

int
app_text_take(char *dst, size_t n, const char *src, size_t max, int lines)
{
	size_t len;
	const char *p = text_trim(src, strlen(src), &len);
	if (len >= n || !text_utf8_valid(p, len) || text_length(p, len) > max)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)p[i];
		if ((ch < 0x20 || ch == 0x7f) && !(lines && (ch == '\n' || ch == '\r' || ch == '\t')))
			return -1;
	}
	memcpy(dst, p, len);
	dst[len] = '\0';
	return 0;
}
