/*
 * demo_people.c — see demo_people.h.
 */
#include <stdio.h>
#include <string.h>
#include "core/demo_people.h"
#include "core/ident.h"

void
demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t
demo_rng_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t
demo_rng_below(struct demo_rng *r, uint32_t n)
{
	return (uint32_t)(((demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

double
demo_rng_unit(struct demo_rng *r)
{
	return (double)(demo_rng_next(r) >> 11) / 9007199254740992.0;
}

size_t
demo_rng_pick(struct demo_rng *r, const double *w, size_t n)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	double x = demo_rng_unit(r) * total;
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* The surname shares of the English Wikipedia article "Vietnamese name"
 * (section "Family name"), which gives Nguyễn 38 %, Trần 11 %, Lê 9.5 %,
 * Phạm 7.1 %, Hoàng/Huỳnh 5.1 %, Phan 4.5 %, Vũ/Võ 3.9 %, Đặng 2.1 %,
 * Bùi 2 %, Đỗ 1.4 %, Hồ 1.3 %, Ngô 1.3 %, Dương 1 %, Lý 0.5 % [I: read
 * there, its underlying survey not checked].  Hoàng/Huỳnh and Vũ/Võ are
 * split evenly (northern/southern spellings) [I]; the remaining ~11 %
 * is spread over other common surnames [I]. */
static const char *const surnames[] = {
	"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
	"Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lương", "Mai", "Trịnh", "Đào",
	"Cao", "Lâm", "Hà", "Tạ", "Chu", "Đoàn", "Vương", "Tô",
};
static const double surname_shares[] = {
	38.0, 11.0, 9.5, 7.1, 2.55, 2.55, 4.5, 1.95, 1.95, 2.1, 2.0,
	1.4, 1.3, 1.3, 1.0, 0.5, 1.0, 1.0, 0.9, 0.9, 0.8, 0.8,
	0.8, 0.7, 0.7, 0.6, 0.6, 0.6, 0.5, 0.5,
};
#define NSUR (sizeof surnames / sizeof surnames[0])
_Static_assert(NSUR == sizeof surname_shares / sizeof surname_shares[0], "one share per surname");

size_t
demo_surnames(const char *const **names, const double **shares)
{
	*names = surnames;
	*shares = surname_shares;
	return NSUR;
}

#define N(a) (sizeof a / sizeof a[0])
/* Common middle and given names by sex [I: everyday usage, no census]. */
static const char *const middle_m[] = {"Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thành",
                                       "Xuân", "Công", "Ngọc", "Hoàng", "Gia", "Anh", "Trọng"};
static const char *const middle_f[] = {"Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh",
                                       "Phương", "Kim", "Bảo", "Khánh", "Mỹ", "Hồng", "Diệu"};
static const char *const given_m[] = {"An", "Anh", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Hải",
                                      "Hiếu", "Hùng", "Huy", "Khánh", "Khoa", "Lâm", "Long", "Mạnh",
                                      "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn",
                                      "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Việt",
                                      "Vinh", "Hoàng", "Kiên", "Lộc", "Phát", "Tâm", "Thịnh", "Tùng"};
static const char *const given_f[] = {"Anh", "Châu", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh",
                                      "Hằng", "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Lan", "Liên",
                                      "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung",
                                      "Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Thủy", "Trang", "Trâm",
                                      "Tuyết", "Uyên", "Vân", "Vy", "Yến", "Hạnh", "Nhi", "Xuân"};
/* Mobile prefixes in use since the 2018 renumbering [I: carriers'
 * published ranges]: Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile. */
static const char *const mobile_prefixes[] = {
	"086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039", /* Viettel */
	"088", "091", "094", "081", "082", "083", "084", "085",                              /* VinaPhone */
	"089", "090", "093", "070", "076", "077", "078", "079",                              /* MobiFone */
	"092", "056", "058",                                                                 /* Vietnamobile */
	"099", "059",                                                                        /* Gmobile */
};

void
demo_person(struct demo_rng *r, int year, int min_age, int max_age, struct demo_person *out)
{
	out->male = (int)demo_rng_below(r, 2);
	const char *sur = surnames[demo_rng_pick(r, surname_shares, NSUR)];
	const char *mid = out->male ? middle_m[demo_rng_below(r, N(middle_m))]
	                            : middle_f[demo_rng_below(r, N(middle_f))];
	const char *giv = out->male ? given_m[demo_rng_below(r, N(given_m))]
	                            : given_f[demo_rng_below(r, N(given_f))];
	snprintf(out->name, sizeof out->name, "%s %s %s", sur, mid, giv);
	out->birth_year = year - min_age - (int)demo_rng_below(r, (uint32_t)(max_age - min_age + 1));
	out->birth_month = 1 + (int)demo_rng_below(r, 12);
	out->birth_day = 1 + (int)demo_rng_below(r, 28);
	const int *codes;
	size_t nc = ident_province_codes(&codes);
	int prov = codes[demo_rng_below(r, (uint32_t)nc)];
	int century = (out->birth_year / 100 - 19) * 2 + (out->male ? 0 : 1);
	char id[32];
	snprintf(id, sizeof id, "%03d%d%02d%06u", prov % 1000, century % 10, out->birth_year % 100,
	         demo_rng_below(r, 1000000));
	memcpy(out->id_number, id, sizeof out->id_number - 1);
	out->id_number[sizeof out->id_number - 1] = '\0';
	char ph[32];
	snprintf(ph, sizeof ph, "%s%07u", mobile_prefixes[demo_rng_below(r, N(mobile_prefixes))],
	         demo_rng_below(r, 10000000));
	memcpy(out->phone, ph, sizeof out->phone - 1);
	out->phone[sizeof out->phone - 1] = '\0';
}
