/*
 * test_proc.c — the typed procedure (src/core/proc.c): a valid one
 * passes, and each rule of docs/catalogue-format.md refuses with the
 * field's path and the wording people already see.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include "core/deadline.h"
#include "core/proc.h"

static void
valid(struct proc *p)
{
	assert_int_equal(proc_init(p), 0);
	proc_set(&p->code, "1.001193");
	proc_set(&p->name, "Thủ tục đăng ký khai sinh");
	proc_set(&p->field, "Hộ tịch");
	p->time_limit.days = 0;
	p->time_limit.same_day = 1;
	proc_set(&p->time_limit.cutoff, "15:00");
	proc_doc_add(p, "Tờ khai đăng ký khai sinh", PROC_ORIGINAL, 1, "");
	proc_doc_add(p, "Giấy chứng sinh", PROC_COPY, 1, "");
	proc_strs_add(&p->to_verify, "online_level");
	p->status = PROC_PUBLISHED;
}

/* p refused with error e and a message holding want. */
static void
refused(struct proc *p, enum err e, const char *field, const char *want)
{
	struct proc_problem pb;
	assert_int_equal(proc_check(p, &pb), e);
	assert_string_equal(pb.field, field);
	if (!strstr(pb.msg, want))
		fail_msg("\"%s\" lacks \"%s\"", pb.msg, want);
	proc_free(p);
}

static void
test_valid(void **state)
{
	(void)state;
	struct proc p;
	valid(&p);
	assert_int_equal(proc_check(&p, NULL), ERR_OK);
	proc_set(&p.code, "XA.HT.01");
	p.code_kind = PROC_LOCAL;
	assert_int_equal(proc_check(&p, NULL), ERR_OK);
	proc_free(&p);
}

static void
test_code(void **state)
{
	(void)state;
	struct proc p;
	valid(&p);
	proc_set(&p.code, NULL);
	refused(&p, ERR_MISSING_FIELD, "code", "Trường \"code\": bắt buộc");
	valid(&p);
	proc_set(&p.code, "1.0011");
	refused(&p, ERR_INVALID_FIELD, "code", "mã thủ tục quốc gia dạng 1.001193");
	valid(&p);
	p.code_kind = PROC_LOCAL;
	refused(&p, ERR_INVALID_FIELD, "code_kind", "không khớp");
	valid(&p);
	proc_set(&p.name, "X");
	refused(&p, ERR_INVALID_FIELD, "name", "Trường \"name\": phải có ít nhất 3 ký tự");
}

static void
test_terms(void **state)
{
	(void)state;
	struct proc p;
	valid(&p);
	p.time_limit.days = 5;
	refused(&p, ERR_INVALID_FIELD, "time_limit", "số ngày phải là 0");
	valid(&p);
	p.time_limit.same_day = 0;
	p.time_limit.days = DL_MAX_DAYS + 1;
	refused(&p, ERR_INVALID_FIELD, "time_limit.days", "phải nằm trong khoảng từ 0 đến 3650");
	valid(&p);
	proc_set(&p.time_limit.cutoff, "25:99");
	refused(&p, ERR_INVALID_FIELD, "time_limit.cutoff", "giờ dạng HH:MM");
	valid(&p);
	proc_set(&p.publication.date, "2025-02-30");
	refused(&p, ERR_INVALID_FIELD, "publication.date", "ngày dạng YYYY-MM-DD");
	valid(&p);
	p.fee.amount = -5;
	refused(&p, ERR_INVALID_FIELD, "fee.amount", "phải nằm trong khoảng");
}

static void
test_documents_and_enums(void **state)
{
	(void)state;
	struct proc p;
	valid(&p);
	p.documents[1].form = (enum proc_form)-2;
	refused(&p, ERR_INVALID_FIELD, "documents[1].form",
	        "Trường \"documents[1].form\": phải là một trong các giá trị: original, copy, present, either");
	valid(&p);
	p.documents[0].count = 0;
	refused(&p, ERR_INVALID_FIELD, "documents[0].count", "từ 1 đến 100");
	valid(&p);
	p.documents[0].count = 101;
	refused(&p, ERR_INVALID_FIELD, "documents[0].count", "từ 1 đến 100");
	valid(&p);
	p.online_level = (enum proc_online)proc_enum_find(proc_online_levels, "half");
	refused(&p, ERR_INVALID_FIELD, "online_level", "full, partial, none");
	valid(&p);
	p.confidence = (enum proc_confidence)3;
	refused(&p, ERR_INVALID_FIELD, "confidence", "V, I, NV");
}

static void
test_text_and_verify(void **state)
{
	(void)state;
	struct proc p;
	valid(&p);
	proc_set(&p.sources, "a\tb");
	refused(&p, ERR_INVALID_FIELD, "sources", "ký tự điều khiển");
	valid(&p);
	proc_set(&p.agency, "U\xCC\x9B"); /* U + combining horn: not NFC */
	refused(&p, ERR_INVALID_FIELD, "agency", "NFC");
	valid(&p);
	proc_set(&p.field, "\xFF\xFE");
	refused(&p, ERR_BAD_UTF8, "field", "không hợp lệ");
	valid(&p);
	proc_strs_add(&p.steps, "");
	refused(&p, ERR_INVALID_FIELD, "steps[0]", "phải là chuỗi 1–2000 ký tự");
	valid(&p);
	proc_strs_add(&p.to_verify, "colour");
	refused(&p, ERR_INVALID_FIELD, "to_verify", "không có trường \"colour\"");
	valid(&p);
	proc_strs_add(&p.to_verify, "online_level");
	refused(&p, ERR_INVALID_FIELD, "to_verify", "hai lần");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_code),
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_documents_and_enums),
		cmocka_unit_test(test_text_and_verify),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
