/*
 * dossier_fees.c — how a dossier's fee was settled (digital.h): paid
 * through a channel, exempt, or not yet; the rules shared by the intake
 * and the clerk's later "record payment".  No payment gateway is wired:
 * the channel is recorded as the clerk reports it.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "app/digital.h"
#include "app/dossier.h"
#include "core/roles.h"
#include "core/text.h"

const char *const app_fee_status_names[] = {"", "paid", "exempt", "unpaid", NULL};
const char *const app_pay_channel_names[] = {"", "cash", "bank", "online", NULL};

static const char *const fee_status_labels[] = {"", "Đã nộp", "Miễn", "Chưa nộp"};
static const char *const pay_channel_labels[] = {"", "Tiền mặt tại Bộ phận Một cửa", "Chuyển khoản",
                                                 "Trực tuyến qua cổng thanh toán"};

static const char *
label_of(const char *const *names, const char *const *labels, const char *name)
{
	for (size_t i = 1; name && names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return labels[i];
	return "";
}

const char *
app_fee_status_label(const char *name)
{
	return label_of(app_fee_status_names, fee_status_labels, name);
}

const char *
app_pay_channel_label(const char *name)
{
	return label_of(app_pay_channel_names, pay_channel_labels, name);
}

/* A receipt number: 1–40 characters, no control characters. */
static int
receipt_ok(const char *r, size_t n)
{
	if (!n || text_length(r, n) > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)r[i] < 0x20 || r[i] == 0x7f)
			return 0;
	return 1;
}

enum err
app_fee_settle(const struct app_fee_in *in, int64_t fee, int64_t now, struct app_fee_settled *out,
               struct app_fail *f)
{
	assert(in && out);
	memset(out, 0, sizeof *out);
	int64_t amount = in->amount >= 0 ? in->amount : fee;
	int st = in->status;
	if (st < APP_FEE_UNSET || st > APP_FEE_UNPAID || in->channel < 0 || in->channel > 3)
		return app_fail(f, ERR_INVALID_FIELD, "fee_status", "Tình trạng lệ phí hoặc hình thức nộp không hợp lệ.");
	if (amount < 0 || amount > 1000000000000LL)
		return app_fail(f, ERR_INVALID_FIELD, "fee", "Số tiền phí, lệ phí không hợp lệ.");
	/* exempt: the amount the dossier owes goes to zero unless one was given */
	if (st == APP_FEE_EXEMPT && in->amount < 0)
		amount = 0;
	if (st == APP_FEE_UNSET)
		st = amount == 0 ? APP_FEE_EXEMPT : APP_FEE_UNPAID;
	size_t rn = 0;
	const char *r = in->receipt_no ? text_trim(in->receipt_no, strlen(in->receipt_no), &rn) : "";
	if (st == APP_FEE_EXEMPT && amount > 0)
		return app_fail(f, ERR_INVALID_FIELD, "fee", "Hồ sơ được miễn thì số tiền phải bằng 0; "
		                "không ghi miễn cho hồ sơ có số tiền phải nộp.");
	if (st == APP_FEE_PAID && amount == 0)
		return app_fail(f, ERR_INVALID_FIELD, "fee_status", "Số tiền bằng 0: chọn Miễn, không ghi Đã nộp.");
	if (st == APP_FEE_UNPAID && amount == 0)
		return app_fail(f, ERR_INVALID_FIELD, "fee_status", "Hồ sơ không phải nộp tiền: chọn Miễn.");
	if (st == APP_FEE_PAID && !in->channel)
		return app_fail(f, ERR_INVALID_FIELD, "pay_channel", "Chọn hình thức nộp: tiền mặt, chuyển khoản "
		                "hoặc trực tuyến.");
	if (st != APP_FEE_PAID && in->channel)
		return app_fail(f, ERR_INVALID_FIELD, "pay_channel", "Chỉ ghi hình thức nộp khi đã nộp tiền.");
	if (st != APP_FEE_PAID && rn)
		return app_fail(f, ERR_INVALID_FIELD, "receipt_no", "Chỉ ghi số biên lai khi đã nộp tiền; hồ sơ "
		                "chưa nộp hoặc được miễn không có biên lai.");
	if (rn && !receipt_ok(r, rn))
		return app_fail(f, ERR_INVALID_FIELD, "receipt_no", "Số biên lai tối đa 40 ký tự.");
	out->fee = amount;
	out->status = app_fee_status_names[st];
	out->channel = app_pay_channel_names[st == APP_FEE_PAID ? in->channel : 0];
	out->paid_at = st == APP_FEE_PAID ? now : 0;
	snprintf(out->receipt_no, sizeof out->receipt_no, "%.*s", (int)rn, r);
	return ERR_OK;
}

enum err
app_dossier_pay(struct app *a, const struct actor *ac, const char *code, const struct app_fee_in *in,
                struct app_fail *f)
{
	assert(a && ac && in);
	if (ac->role != ROLE_CLERK)
		return app_fail(f, ERR_FORBIDDEN, "", "Chỉ cán bộ Bộ phận Một cửa ghi nhận phí, lệ phí.");
	struct store_dossier d;
	enum err e = app_dossier_get(a, ac, code, &d);
	if (e)
		return e;
	int64_t fee = d.fee;
	int unpaid = strcmp(d.fee_status, "unpaid") == 0;
	char canon[64];
	snprintf(canon, sizeof canon, "%s", d.code);
	store_dossier_free(&d);
	if (!unpaid)
		return app_fail(f, ERR_CONFLICT, "fee_status", "Hồ sơ đã ghi nhận phí, lệ phí; không ghi lại.");
	if (in->status != APP_FEE_PAID && in->status != APP_FEE_EXEMPT)
		return app_fail(f, ERR_INVALID_FIELD, "fee_status", "Chọn Đã nộp hoặc Miễn.");
	struct app_fee_settled s;
	if ((e = app_fee_settle(in, fee, (int64_t)time(NULL), &s, f)) != ERR_OK)
		return e;
	struct store_payment p = {s.status, s.channel, s.receipt_no, s.fee, s.paid_at};
	e = store_dossier_pay(a->st, ac->name, canon, &p);
	if (e == ERR_CONFLICT)
		return app_fail(f, ERR_CONFLICT, "fee_status", "Hồ sơ đã ghi nhận phí, lệ phí; không ghi lại.");
	return e;
}
