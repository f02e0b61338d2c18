/*
 * calendar.c — see calendar.h.
 *
 * Readers take a reference to the current snapshot under a mutex held for
 * a few instructions; a reload builds a new snapshot outside the lock and
 * swaps the pointer, freeing the old one when its last reader releases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/text.h"
#include "core/vntime.h"
#include "app/app.h"
#include "app/calendar.h"

#define WINDOW_BEFORE 6     /* years before this one in the app's window */

enum err
calsnap_build(struct store *st, int first, int n, struct calsnap **out)
{
	if (first < CAL_MIN_YEAR)
		first = CAL_MIN_YEAR;
	if (n > CAL_MAX_YEARS)
		n = CAL_MAX_YEARS;
	if (first + n - 1 > CAL_MAX_YEAR)
		n = CAL_MAX_YEAR - first + 1;
	if (n < 1)
		return ERR_OUT_OF_RANGE;
	struct calsnap *s = calloc(1, sizeof *s);
	if (!s)
		return ERR_NOMEM;
	struct store_calendar sc = {0};
	struct cal_override *ov = NULL;
	struct cal_config cfg = {0};
	struct cal_hours h = CAL_HOURS_DEFAULT;
	if (st) {
		enum err e = store_calendar_load(st, &sc);
		if (e) {
			free(s);
			return e;
		}
		ov = calloc(sc.nrows ? sc.nrows : 1, sizeof *ov);
		if (!ov) {
			store_calendar_free(&sc);
			free(s);
			return ERR_NOMEM;
		}
		size_t k = 0;
		for (size_t i = 0; i < sc.nrows; i++) {
			cal_day d;
			if (cal_parse_ymd(sc.rows[i].day, &d) != 0)
				continue;
			ov[k].day = d;
			ov[k].work = sc.rows[i].work;
			ov[k].name = sc.rows[i].name;
			k++;
		}
		cfg.ov = ov;
		cfg.nov = k;
		cfg.complete_years = sc.complete_years;
		cfg.ncomplete = sc.ncomplete;
		cfg.sep_after = sc.sep_after;
		struct cal_hours hh = {sc.hours[0], sc.hours[1], sc.hours[2], sc.hours[3]};
		if (cal_hours_valid(&hh))
			h = hh;
	}
	int rc = cal_build(&s->cal, first, n, &cfg);
	s->hours = h;
	free(ov);
	store_calendar_free(&sc);
	if (rc != 0) {
		free(s);
		return ERR_INTERNAL;
	}
	*out = s;
	return ERR_OK;
}

void
calsnap_free(struct calsnap *s)
{
	free(s);
}

static int
this_year(void)
{
	struct vn_tm tm;
	vn_local((int64_t)time(NULL), &tm);
	return tm.year;
}

struct calsnap *
cal_acquire(struct app *app)
{
	/* Another process (the CLI importer) may have changed the calendar:
	 * look at its revision at most once a second. */
	int64_t now = (int64_t)time(NULL);
	pthread_mutex_lock(&app->cal_lock);
	int check = now != app->cal_checked;
	if (check)
		app->cal_checked = now;
	int64_t known = app->cal_rev;
	pthread_mutex_unlock(&app->cal_lock);
	int64_t rev;
	if (check && store_calendar_rev(app->st, &rev) == ERR_OK && rev != known)
		(void)cal_reload(app);
	pthread_mutex_lock(&app->cal_lock);
	struct calsnap *s = app->cal;
	if (s)
		s->refs++;
	pthread_mutex_unlock(&app->cal_lock);
	return s;
}

void
cal_release(struct app *app, struct calsnap *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&app->cal_lock);
	int last = --s->refs == 0;
	pthread_mutex_unlock(&app->cal_lock);
	if (last)
		calsnap_free(s);
}

enum err
cal_reload(struct app *app)
{
	struct calsnap *s;
	int64_t rev = 0;
	enum err e = store_calendar_rev(app->st, &rev);
	if (e)
		return e;
	e = calsnap_build(app->st, this_year() - WINDOW_BEFORE, CAL_MAX_YEARS, &s);
	if (e)
		return e;
	s->refs = 1; /* the app's own reference */
	pthread_mutex_lock(&app->cal_lock);
	struct calsnap *old = app->cal;
	app->cal = s;
	app->cal_rev = rev;
	pthread_mutex_unlock(&app->cal_lock);
	if (old)
		cal_release(app, old);
	return ERR_OK;
}

enum err
cal_for(struct app *app, int year, int n, struct calsnap **out)
{
	if (year < CAL_MIN_YEAR || year > CAL_MAX_YEAR)
		return ERR_OUT_OF_RANGE;
	struct calsnap *s = cal_acquire(app);
	if (s) {
		int last = year + n - 1;
		if (last > CAL_MAX_YEAR)
			last = CAL_MAX_YEAR;
		if (cal_year_of(&s->cal, year) && cal_year_of(&s->cal, last)) {
			*out = s;
			return ERR_OK;
		}
		cal_release(app, s);
	}
	enum err e = calsnap_build(app->st, year, n, &s);
	if (e)
		return e;
	s->refs = 1;
	*out = s;
	return ERR_OK;
}

/* ---- import ------------------------------------------------------------ */

static void
span_copy(char *out, size_t n, struct cal_span sp)
{
	size_t k = sp.n < n - 1 ? sp.n : n - 1;
	memcpy(out, sp.p, k);
	out[k] = '\0';
}

/* The file being read: its rows and the year it describes. */
struct import {
	struct store_holiday *rows;
	size_t n, cap;
	int year, complete, have_year;
	char *detail;
	size_t dlen;
};

/* One override line into the import. */
static enum err
import_entry(struct import *im, const struct cal_line *L, size_t lineno)
{
	int y, m, d;
	cal_ymd(L->day, &y, &m, &d);
	if (!im->have_year) {
		snprintf(im->detail, im->dlen, "dòng %zu: thiếu dòng \"# year: YYYY\" trước dữ liệu", lineno);
		return ERR_INVALID_FIELD;
	}
	if (y != im->year) {
		snprintf(im->detail, im->dlen, "dòng %zu: ngày %04d-%02d-%02d không thuộc năm %d", lineno, y, m, d, im->year);
		return ERR_INVALID_FIELD;
	}
	if (im->n == im->cap) {
		size_t cap = im->cap ? im->cap * 2 : 32;
		struct store_holiday *q = realloc(im->rows, cap * sizeof *q);
		if (!q)
			return ERR_NOMEM;
		im->rows = q;
		im->cap = cap;
	}
	struct store_holiday *h = &im->rows[im->n++];
	memset(h, 0, sizeof *h);
	cal_format_ymd(L->day, h->day, sizeof h->day);
	h->work = L->work;
	span_copy(h->name, sizeof h->name, L->name);
	span_copy(h->document, sizeof h->document, L->document);
	span_copy(h->source, sizeof h->source, L->source);
	span_copy(h->confidence, sizeof h->confidence, L->confidence);
	return ERR_OK;
}

/* One line of the file (without its newline). */
static enum err
import_line(struct import *im, const char *p, size_t ll, size_t lineno)
{
	struct cal_line L;
	if (memchr(p, '\0', ll)) {
		snprintf(im->detail, im->dlen, "dòng %zu: chứa ký tự NUL", lineno);
		return ERR_INVALID_FIELD;
	}
	if (cal_parse_override_line(p, ll, &L) != 0) {
		snprintf(im->detail, im->dlen, "dòng %zu: không đúng định dạng (ngày<TAB>off|work<TAB>tên<TAB>văn bản<TAB>nguồn<TAB>V|I|NV)", lineno);
		return ERR_INVALID_FIELD;
	}
	switch (L.type) {
	case CAL_LINE_YEAR:
		if (im->have_year && L.year != im->year) {
			snprintf(im->detail, im->dlen, "dòng %zu: mỗi tệp chỉ mô tả một năm", lineno);
			return ERR_INVALID_FIELD;
		}
		im->year = L.year;
		im->have_year = 1;
		return ERR_OK;
	case CAL_LINE_COMPLETE:
		im->complete = L.complete;
		return ERR_OK;
	case CAL_LINE_ENTRY:
		return import_entry(im, &L, lineno);
	default:
		return ERR_OK;
	}
}

enum err
cal_import_text(struct store *st, const char *actor, const char *raw, size_t rawlen,
                const char *file_name, size_t *nrows, char *detail, size_t dlen)
{
	enum err e = ERR_OK;
	char *text = text_nfc(raw, rawlen, &e);
	if (!text) {
		snprintf(detail, dlen, "tệp không phải văn bản UTF-8 hợp lệ");
		return e ? e : ERR_BAD_UTF8;
	}
	struct import im = {.detail = detail, .dlen = dlen};
	detail[0] = '\0';
	const char *p = text, *end = text + strlen(text);
	for (size_t lineno = 1; p < end && !e; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		e = import_line(&im, p, nl ? (size_t)(nl - p) : (size_t)(end - p), lineno);
		p = nl ? nl + 1 : end;
	}
	if (!e && im.n > CAL_MAX_OVERRIDES_PER_YEAR) {
		snprintf(detail, dlen, "tệp có %zu ngày điều chỉnh; tối đa %d ngày cho một năm", im.n,
		         CAL_MAX_OVERRIDES_PER_YEAR);
		e = ERR_OUT_OF_RANGE;
	}
	if (!e && !im.have_year) {
		snprintf(detail, dlen, "tệp thiếu dòng \"# year: YYYY\"");
		e = ERR_INVALID_FIELD;
	}
	if (!e) {
		int years[1] = {im.year}, complete[1] = {im.complete};
		e = store_holiday_import(st, actor, im.rows, im.n, years, complete, 1, file_name);
		if (!e && nrows)
			*nrows = im.n;
	}
	free(im.rows);
	free(text);
	return e;
}
