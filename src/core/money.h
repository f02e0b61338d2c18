/*
 * money.h — whole Vietnamese đồng (DOMAIN decision 12): figures with dot
 * thousands separators ("1.250.000 đồng") and in words ("Một triệu hai
 * trăm năm mươi nghìn đồng"), as printed on receipts and fee notices.
 */
#ifndef MOTCUA_MONEY_H
#define MOTCUA_MONEY_H
#include <stddef.h>
#include <stdint.h>

/* "1.250.000" into out; returns the length or -1 (negative amounts are
 * written with a leading '-'). */
int money_figures(int64_t amount, char *out, size_t n);
/* "Một triệu hai trăm năm mươi nghìn đồng" (first letter capital);
 * "Không đồng" for 0.  Returns the length or -1 if out is too small. */
int money_words(int64_t amount, char *out, size_t n);
/* What a receipt prints for the fee: "8.000 đồng (bằng chữ: Tám nghìn
 * đồng)"; for nothing to pay, the law's exemption when one applies
 * (exemption, e.g. the catalogue's "Miễn lệ phí đối với kết hôn …"),
 * else "Không thu phí" — never "0 đồng (Không đồng)".  Returns the
 * length or -1 if out is too small (out is then ""). */
int money_fee_label(int64_t amount, const char *exemption, char *out, size_t n);

#endif
