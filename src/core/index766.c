/*
 * index766.c — see index766.h.  The figures are those of REFORM.md §1:
 * maxima per group [V], the indicators and their targets [I].
 */
#include <math.h>
#include <string.h>
#include "core/index766.h"

const struct i766_group i766_groups[5] = {
	{1, "Công khai, minh bạch", 18},
	{2, "Tiến độ, kết quả giải quyết", 20},
	{3, "Cung cấp dịch vụ trực tuyến", 22},
	{4, "Số hóa hồ sơ", 22},
	{5, "Mức độ hài lòng", 18},
};

const struct i766_indicator i766_indicators[] = {
	{"1.1", 1, "Công khai thủ tục trên Cơ sở dữ liệu quốc gia", "cần Cơ sở dữ liệu quốc gia về TTHC", 0, 1, "I",
	 I766_NATIONAL, 0, 0},
	{"1.2", 1, "Đồng bộ thông tin thủ tục với Cổng Dịch vụ công quốc gia", "cần Cơ sở dữ liệu quốc gia về TTHC", 0, 1,
	 "I", I766_NATIONAL, 0, 0},
	{"1.3", 1, "Thủ tục công khai đầy đủ nội dung", "thủ tục đủ 7 bộ phận / thủ tục công khai", 2, 1, "I",
	 I766_NOT_RECORDED, 0, 0},
	{"1.4", 1, "Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia", "hồ sơ đã đồng bộ / hồ sơ tiếp nhận", 6, 1, "I",
	 I766_NOT_RECORDED, 0, 0},
	{"2.1", 2, "Hồ sơ giải quyết trước hạn, đúng hạn",
	 "(xong trước/đúng hẹn, hoặc đang giải quyết còn hạn) / hồ sơ tiếp nhận", 20, 1, "I", I766_COMPUTED, 0, 0},
	{"3.1", 3, "Thủ tục cung cấp dịch vụ công trực tuyến", "thủ tục trực tuyến một phần hoặc toàn trình / thủ tục",
	 2, 0.8, "I", I766_COMPUTED, 0, 0},
	{"3.2", 3, "Dịch vụ trực tuyến có phát sinh hồ sơ", "dịch vụ có ≥ 1 hồ sơ trực tuyến / dịch vụ trực tuyến", 4,
	 1, "I", I766_COMPUTED, 0, 0},
	{"3.3", 3, "Hồ sơ nộp trực tuyến", "hồ sơ trực tuyến / hồ sơ tiếp nhận", 6, 0.5, "I", I766_COMPUTED, 0, 0},
	{"3.5b", 3, "Thủ tục có thu phí có thanh toán trực tuyến",
	 "thủ tục có ≥ 1 hồ sơ thanh toán trực tuyến / thủ tục có hồ sơ thu phí", 2, 0.8, "I", I766_COMPUTED, 0, 0},
	{"3.6", 3, "Hồ sơ thanh toán trực tuyến", "hồ sơ thanh toán trực tuyến / hồ sơ có phí", 6, 1, "I",
	 I766_COMPUTED, 0, 0},
	{"4.1", 4, "Hồ sơ có kết quả điện tử", "hồ sơ có tệp kết quả / hồ sơ của thủ tục có kết quả giấy tờ", 6, 1,
	 "I", I766_COMPUTED, 0, 0},
	{"4.2", 4, "Hồ sơ được số hóa", "hồ sơ số hóa đủ thành phần (và kết quả khi cần) / hồ sơ", 4, 1, "I",
	 I766_COMPUTED, 0, 0},
	{"4.3", 4, "Tái sử dụng dữ liệu đã số hóa", "hồ sơ có ≥ 1 thành phần tái sử dụng / hồ sơ tiếp nhận", 2, 0.8,
	 "I", I766_COMPUTED, 0, 0},
	{"4.4", 4, "Khai thác Kho dữ liệu công dân", "cần Kho quản lý dữ liệu điện tử quốc gia", 0, 1, "I",
	 I766_NATIONAL, 0, 0},
	{"4.5", 4, "Xác thực bằng tài khoản VNeID", "cần hệ thống định danh VNeID", 0, 1, "I", I766_NATIONAL, 0, 0},
	{"—", 4, "Chứng thực bản sao điện tử từ bản chính", "xã có cung cấp (có/không)", 2, 1, "I", I766_NOT_RECORDED,
	 0, 0},
	{"5.2", 5, "Phản ánh, kiến nghị xử lý đúng hạn",
	 "phản ánh xử lý trước/đúng hạn hoặc đang còn hạn / phản ánh; không có → đủ điểm", 6, 1, "I", I766_COMPUTED, 1,
	 0},
	{"5.3", 5, "Hài lòng về xử lý phản ánh, kiến nghị",
	 "phản ánh không quá hạn / phản ánh; không có → đủ điểm", 6, 1, "I", I766_COMPUTED, 1, 0},
	{"5.4", 5, "Hài lòng về giải quyết hồ sơ",
	 "100% − (tỷ lệ quá hạn + tỷ lệ hồ sơ bị đánh giá không hài lòng) ", 6, 0.9, "I", I766_COMPUTED, 0, 1},
};
const size_t i766_nindicators = sizeof i766_indicators / sizeof i766_indicators[0];

const struct i766_indicator *
i766_find(const char *id)
{
	for (size_t i = 0; id && i < i766_nindicators; i++)
		if (strcmp(i766_indicators[i].id, id) == 0)
			return &i766_indicators[i];
	return NULL;
}

double
i766_score(const struct i766_indicator *in, int64_t num, int64_t den, double *ratio, int *defined)
{
	*ratio = 0;
	*defined = 1;
	if (den <= 0) {
		if (in->none_full)
			return in->max;
		*defined = 0;
		return 0;
	}
	double r = (double)num / (double)den;
	if (in->complement)
		r = 1 - r;
	if (r < 0)
		r = 0;
	if (r > 1)
		r = 1;
	*ratio = r;
	double s = in->max * (r / in->target < 1 ? r / in->target : 1);
	return round(s * 100) / 100;
}

int
i766_on_time(const struct i766_dossier *d, int64_t judge)
{
	if (!d->received_at || !d->appointment)
		return 0;
	if (d->nsupplements > 1)
		return 0;
	int64_t at = d->ended_at ? d->ended_at : judge;
	int64_t waited = d->supplement_secs;
	if (d->waiting_since && !d->ended_at && at > d->waiting_since)
		waited += at - d->waiting_since;
	return at - waited <= d->appointment;
}
