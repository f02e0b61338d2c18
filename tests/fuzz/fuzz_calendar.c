/* fuzz_calendar.c — the legal clock's input parsers: RFC 3339 instants,
 * HH:MM, YYYY-MM-DD and one line of a holiday override file; then, for
 * input that parses, a due-date computation on a small built window.
 * Properties: a parsed instant formats back to a string that parses to
 * the same instant; a parsed date formats to exactly the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/calendar.h"
#include "core/deadline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cal *window;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	if (!window) {
		window = malloc(sizeof *window);
		if (!window || cal_build(window, 2024, 20, NULL) != 0)
			abort();
	}
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	int64_t t, t2;
	if (vn_parse_rfc3339(s, &t) == 0) {
		char out[VN_RFC3339_MAX];
		if (vn_fmt_rfc3339(t, out, sizeof out) < 0 || vn_parse_rfc3339(out, &t2) != 0 || t2 != t)
			abort();
		struct cal_hours h = CAL_HOURS_DEFAULT;
		int64_t due;
		int days = (int)(size % 40);
		int rc = dl_due(window, &h, t, days, (int)(size & 1), DL_CUTOFF_DEFAULT, &due);
		if (rc == DL_OK && due < t - 86400)
			abort();   /* a due instant never lies before the receipt day */
	}
	int min;
	if (vn_parse_hhmm(s, &min) == 0 && (min < 0 || min >= 24 * 60))
		abort();
	cal_day d;
	if (cal_parse_ymd(s, &d) == 0) {
		char out[16];
		if (cal_format_ymd(d, out, sizeof out) != 10 || strcmp(out, s) != 0)
			abort();
	}
	struct cal_line L;
	if (cal_parse_override_line(s, size, &L) == 0 && L.type == CAL_LINE_ENTRY) {
		if (L.name.n == 0 || L.name.n >= CAL_NAME_MAX)
			abort();
		if (L.name.p < s || L.name.p + L.name.n > s + size)
			abort();
	}
	free(s);
	return 0;
}
