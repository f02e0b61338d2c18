/*
 * money.c — see money.h.  Reading rules for numbers in words follow the
 * common administrative usage: groups of three (nghìn, triệu, tỷ, then
 * nghìn tỷ…); "linh" for a zero tens digit before a unit digit (một trăm
 * linh năm); "mười" for 10–19; "mươi" from 20; "mốt" for a unit 1 after
 * a tens digit ≥ 2; "lăm" for a unit 5 after any tens digit; "tư" for a
 * unit 4 after a tens digit ≥ 2; inner groups below 100 start with
 * "không trăm".
 */
#include <stdio.h>
#include <string.h>
#include "core/buf.h"
#include "core/money.h"

int
money_figures(int64_t amount, char *out, size_t n)
{
	char digits[32];
	uint64_t v = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
	int k = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
	size_t need = (size_t)k + (size_t)(k - 1) / 3 + (amount < 0) + 1;
	if (need > n)
		return -1;
	size_t o = 0;
	if (amount < 0)
		out[o++] = '-';
	for (int i = 0; i < k; i++) {
		if (i && (k - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return (int)o;
}

static const char *const digit_words[10] = {"không", "một", "hai", "ba", "bốn",
                                            "năm", "sáu", "bảy", "tám", "chín"};

/* Words for 0..999; full = the group is not the leading one (read the
 * hundreds even when zero). */
static void
group_words(struct buf *b, int g, int full)
{
	int h = g / 100, t = (g / 10) % 10, u = g % 10;
	if (h || full) {
		buf_printf(b, " %s trăm", digit_words[h]);
	}
	if (t == 0) {
		if (u && (h || full))
			buf_puts(b, " linh");
	} else if (t == 1) {
		buf_puts(b, " mười");
	} else {
		buf_printf(b, " %s mươi", digit_words[t]);
	}
	if (u == 0)
		return;
	if (u == 1 && t >= 2)
		buf_puts(b, " mốt");
	else if (u == 5 && t >= 1)
		buf_puts(b, " lăm");
	else if (u == 4 && t >= 2)
		buf_puts(b, " tư");
	else
		buf_printf(b, " %s", digit_words[u]);
}

/* Below one billion: up to three groups (triệu, nghìn, units); zero
 * groups are skipped; groups after the first printed one are read in
 * full ("không trăm …"). */
static void
below_billion(struct buf *b, uint64_t v, int full)
{
	static const char *const unit[3] = {"", " nghìn", " triệu"};
	int groups[3] = {(int)(v % 1000), (int)(v / 1000 % 1000), (int)(v / 1000000)};
	for (int i = 2; i >= 0; i--) {
		if (!groups[i])
			continue;
		group_words(b, groups[i], full);
		buf_puts(b, unit[i]);
		full = 1;
	}
}

/* Any amount: billions ("tỷ") recursively, then the rest. */
static void
amount_words(struct buf *b, uint64_t v, int full)
{
	if (v >= 1000000000ULL) {
		amount_words(b, v / 1000000000ULL, full);
		buf_puts(b, " tỷ");
		below_billion(b, v % 1000000000ULL, 1);
		return;
	}
	below_billion(b, v, full);
}

int
money_words(int64_t amount, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	uint64_t v = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
	if (amount < 0)
		buf_puts(&b, " âm");
	if (v == 0)
		buf_puts(&b, " không");
	else
		amount_words(&b, v, 0);
	buf_puts(&b, " đồng");
	const char *s = buf_str(&b) + 1; /* skip the leading space */
	size_t len = strlen(s);
	int rc = -1;
	if (len < n && !b.oom) {
		memcpy(out, s, len + 1);
		/* capitalise the first letter: ASCII, or "âm" → "Âm" */
		if (out[0] >= 'a' && out[0] <= 'z')
			out[0] = (char)(out[0] - 'a' + 'A');
		else if ((unsigned char)out[0] == 0xC3 && (unsigned char)out[1] == 0xA2)
			out[1] = (char)0x82;
		rc = (int)len;
	}
	buf_free(&b);
	return rc;
}

int
money_fee_label(int64_t amount, const char *exemption, char *out, size_t n)
{
	int len;
	if (amount == 0) {
		len = snprintf(out, n, "%s", exemption && *exemption ? exemption : "Không thu phí");
	} else {
		char fig[32], words[400];
		if (money_figures(amount, fig, sizeof fig) < 0 || money_words(amount, words, sizeof words) < 0)
			len = -1;
		else
			len = snprintf(out, n, "%s đồng (bằng chữ: %s)", fig, words);
	}
	if (len < 0 || (size_t)len >= n) {
		if (n)
			out[0] = '\0';
		return -1;
	}
	return len;
}
