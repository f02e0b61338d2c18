/*
 * test_report.c — the leader's report (/bao-cao) against the real binary
 * (issue #12 item 7): the figures block at the top, the counts by field,
 * by officer (full name) and by unit, a dossier refused at reception (or
 * still waiting to be received) counted apart and not as received, and
 * the CSV holding the late dossiers after the counts, every cell behind
 * the formula guard.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver.h"

#define PW "mat-khau-thu-123"
/* a full name a spreadsheet would take for a formula */
#define FORMULA_NAME "=Trần Văn Công Thức"

static struct srv S;
static char CLERK[200];
static long OFFICER_ID, OFFICER2_ID;

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0)
		return -1;
	char in[64];
	snprintf(in, sizeof in, "%s\n", PW);
	static const char *const users[][4] = {
		{"bc.clerk", "clerk", "Trần Thị Thu", ""},
		{"bc.officer", "officer", "Phạm Văn Bình", "Tư pháp - Hộ tịch"},
		{"bc.officer2", "officer", FORMULA_NAME, "Địa chính"},
		{"bc.leader", "leader", "Hoàng Minh Chủ tịch", ""},
	};
	for (size_t i = 0; i < 4; i++)
		if (run_cli(in, NULL, "user", "add", "--data", S.dir, "--username", users[i][0], "--role", users[i][1],
		            "--full-name", users[i][2], "--unit", users[i][3], "--password-stdin", NULL) != 0)
			return -1;
	OFFICER_ID = user_id_of(&S, "bc.officer");
	OFFICER2_ID = user_id_of(&S, "bc.officer2");
	bearer_for(&S, "bc.clerk", PW, CLERK, sizeof CLERK);
	return OFFICER_ID > 0 && OFFICER2_ID > 0 && CLERK[0] ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return group_stop(&S);
}

static void
post_json(const char *auth, const char *path, const char *json, struct reply *r)
{
	struct client c;
	client_init(&c, &S);
	req(&c, "POST", path, "application/json", json, strlen(json), auth, r);
	client_free(&c);
	if (r->status != 200 && r->status != 201)
		fail_msg("POST %s %s: %ld %s", path, json, r->status, buf_str(&r->body));
}

/* A birth registration received (or only held, intake "hold"); its code. */
static void
receive(const char *name, const char *intake, char *code, size_t n)
{
	char body[512];
	snprintf(body, sizeof body, "{\"procedure_code\":\"1.001193\",\"intake\":\"%s\",\"applicant\":{\"name\":\"%s\","
	         "\"phone\":\"0912000111\"}}", intake, name);
	struct reply r;
	post_json(CLERK, "/api/v1/dossiers", body, &r);
	const char *p = strstr(buf_str(&r.body), "\"code\":\"");
	assert_non_null(p);
	snprintf(code, n, "%.*s", (int)strcspn(p + 8, "\""), p + 8);
	reply_free(&r);
}

static void
action(const char *auth, const char *code, const char *json)
{
	char path[200];
	snprintf(path, sizeof path, "/api/v1/dossiers/%s/actions", code);
	struct reply r;
	post_json(auth, path, json, &r);
	reply_free(&r);
}

static void
db_exec(const char *sql)
{
	if (srv_sql(&S, sql) != 0)
		fail_msg("%s", sql);
}

/* The text of the element with id="id" up to its closing tag `end`. */
static void
block(const struct reply *r, const char *id, const char *end, char *out, size_t n)
{
	char key[80];
	snprintf(key, sizeof key, "id=\"%s\"", id);
	const char *p = strstr(buf_str(&r->body), key);
	if (!p)
		fail_msg("no element #%s", id);
	const char *e = strstr(p, end);
	snprintf(out, n, "%.*s", e ? (int)(e - p) : 0, p);
}

/* One table row of the report (by its name cell) inside the table whose
 * caption has id: the row's cells, as "v1|v2|…". */
static void
row_of(const struct reply *r, const char *table, const char *name, char *out, size_t n)
{
	char tb[16384];
	block(r, table, "</table>", tb, sizeof tb);
	char key[300];
	snprintf(key, sizeof key, "<th scope=\"row\">%s</th>", name);
	const char *p = strstr(tb, key);
	if (!p)
		fail_msg("no row %s in #%s", name, table);
	const char *end = strstr(p, "</tr>");
	size_t k = 0;
	out[0] = 0;
	for (const char *c = strstr(p, "<td"); c && c < end && k + 40 < n; c = strstr(c + 1, "<td")) {
		const char *v = strchr(c, '>') + 1;
		if (strncmp(v, "<strong>", 8) == 0)
			v += 8;
		k += (size_t)snprintf(out + k, n - k, "%s%.*s", k ? "|" : "", (int)strcspn(v, "<"), v);
	}
}

static void
test_report_counts_apart_and_by_officer_and_unit(void **state)
{
	(void)state;
	char a[80], b[80], refused[80], held[80], body[200], sql[300];
	receive("Lý Văn Quá Hạn", "receive", a, sizeof a);
	receive("Lý Thị Đúng Hẹn", "receive", b, sizeof b);
	receive("Lý Văn Từ Chối", "hold", refused, sizeof refused);
	receive("Lý Thị Chờ Giấy", "hold", held, sizeof held);
	snprintf(body, sizeof body, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER_ID);
	action(CLERK, a, body);
	snprintf(body, sizeof body, "{\"action\":\"assign\",\"assignee\":%ld}", OFFICER2_ID);
	action(CLERK, b, body);
	action(CLERK, refused, "{\"action\":\"refuse_intake\",\"note\":\"Không thuộc thẩm quyền\"}");
	snprintf(sql, sizeof sql, "UPDATE dossiers SET due_at = strftime('%%s','now') - 3600 WHERE code = '%s';", a);
	db_exec(sql);

	struct client c;
	struct reply r;
	client_init(&c, &S);
	assert_int_equal(login(&c, "bc.leader", PW), 303);
	get(&c, "/bao-cao", &r);
	assert_int_equal(r.status, 200);
	char kpi[2048];
	/* the figures come before the period form and the tables */
	const char *body_s = buf_str(&r.body);
	assert_true(strstr(body_s, "id=\"bc-ty-le\"") < strstr(body_s, "aria-label=\"Chọn kỳ báo cáo\""));
	block(&r, "bc-tiep-nhan", "</div>", kpi, sizeof kpi);
	assert_non_null(strstr(kpi, "<dd class=\"kpi-value\">2</dd>"));   /* the refused and the held one are not received */
	block(&r, "bc-tu-choi", "</div>", kpi, sizeof kpi);
	assert_non_null(strstr(kpi, "Từ chối tiếp nhận</dt><dd class=\"kpi-value\">1</dd>"));
	block(&r, "bc-chua-tiep-nhan", "</div>", kpi, sizeof kpi);
	assert_non_null(strstr(kpi, "<dd class=\"kpi-value\">1</dd>"));
	block(&r, "bc-tre-han-so", "</div>", kpi, sizeof kpi);
	assert_non_null(strstr(kpi, "<dd class=\"kpi-value\">1</dd>"));
	block(&r, "bc-dang-giai-quyet", "</div>", kpi, sizeof kpi);
	assert_non_null(strstr(kpi, "<dd class=\"kpi-value\">2</dd>"));
	assert_non_null(strstr(kpi, "1 đã quá hạn"));
	/* received, early, on time, late, in time, overdue, rate, withdrawn or
	 * stopped, held, refused at reception */
	char row[400];
	row_of(&r, "bc-linh-vuc", "Hộ tịch", row, sizeof row);
	assert_string_equal(row, "2|0|0|0|1|1|—|0|1|1");
	row_of(&r, "bc-can-bo", "Phạm Văn Bình", row, sizeof row);
	assert_string_equal(row, "1|0|0|0|0|1|—|0|0|0");
	row_of(&r, "bc-can-bo", FORMULA_NAME, row, sizeof row);
	assert_string_equal(row, "1|0|0|0|1|0|—|0|0|0");
	row_of(&r, "bc-can-bo", "Chưa giao cán bộ", row, sizeof row);
	assert_string_equal(row, "0|0|0|0|0|0|—|0|1|1");
	row_of(&r, "bc-bo-phan", "Tư pháp - Hộ tịch", row, sizeof row);
	assert_string_equal(row, "1|0|0|0|0|1|—|0|0|0");
	row_of(&r, "bc-bo-phan", "Địa chính", row, sizeof row);
	assert_string_equal(row, "1|0|0|0|1|0|—|0|0|0");
	/* the catch-all row comes last */
	char tb[16384];
	block(&r, "bc-can-bo", "</table>", tb, sizeof tb);
	assert_true(strstr(tb, "Chưa giao cán bộ") > strstr(tb, "Phạm Văn Bình"));
	/* the late list names who holds it */
	block(&r, "bc-tre-han-ds", "</table>", tb, sizeof tb);
	assert_non_null(strstr(tb, a));
	assert_non_null(strstr(tb, "Phạm Văn Bình <span class=\"muted\">(Tư pháp - Hộ tịch)</span>"));
	reply_free(&r);

	/* the CSV: the counts first (as before), then by officer and unit, then
	 * the late dossiers; a name that looks like a formula is neutralised */
	get(&c, "/bao-cao?dinh_dang=csv", &r);
	assert_int_equal(r.status, 200);
	const char *csv = buf_str(&r.body);
	assert_memory_equal(csv, "\xEF\xBB\xBFLĩnh vực,Tiếp nhận,Xong trước hạn,Xong đúng hạn,Xong trễ hạn,",
	                    3 + strlen("Lĩnh vực,Tiếp nhận,Xong trước hạn,Xong đúng hạn,Xong trễ hạn,"));
	assert_true(reply_has(&r, ",Tỷ lệ đúng hạn,\"Rút, dừng xử lý\",Chưa tiếp nhận,Từ chối tiếp nhận\r\n"));
	assert_true(reply_has(&r, "\r\nHộ tịch,2,0,0,0,1,1,—,0,1,1\r\n"));
	assert_true(reply_has(&r, "\r\nTổng cộng,2,0,0,0,1,1,—,0,1,1\r\n"));
	assert_true(reply_has(&r, "\r\n\r\nTheo cán bộ xử lý (người đang giữ hoặc giữ hồ sơ sau cùng)\r\nCán bộ xử lý,Tiếp nhận,"));
	assert_true(reply_has(&r, "\r\n'=Trần Văn Công Thức,1,0,0,0,1,0,—,0,0,0\r\n"));
	assert_false(reply_has(&r, "\r\n=Trần"));
	assert_true(reply_has(&r, "\r\nChưa giao cán bộ,0,0,0,0,0,0,—,0,1,1\r\n"));
	assert_true(reply_has(&r, "\r\nBộ phận,Tiếp nhận,"));
	assert_true(reply_has(&r, "\r\nĐịa chính,1,0,0,0,1,0,—,0,0,0\r\n"));
	const char *late = strstr(csv, "\r\n\r\nHồ sơ trễ hạn và quá hạn\r\nMã hồ sơ,Thủ tục,Lĩnh vực,Cán bộ xử lý,Bộ phận,"
	                                "Hạn trả,Tình trạng,Xong lúc,Phiếu xin lỗi,Hẹn lại\r\n");
	assert_non_null(late);
	assert_true(late > strstr(csv, "\r\nĐịa chính,"));   /* after the counts */
	char want[300];
	snprintf(want, sizeof want, "\r\n%s,Thủ tục đăng ký khai sinh,Hộ tịch,Phạm Văn Bình,Tư pháp - Hộ tịch,", a);
	const char *line = strstr(late, want);
	assert_non_null(line);
	const char *eol = strstr(line + 2, "\r\n");
	assert_non_null(eol);
	assert_true(strstr(line, ",Đang quá hạn,,Không có,") != NULL && strstr(line, ",Đang quá hạn,,Không có,") < eol);
	assert_null(strstr(late, b));   /* in time: not listed */
	reply_free(&r);
	client_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_counts_apart_and_by_officer_and_unit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
