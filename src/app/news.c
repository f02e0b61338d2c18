/*
 * news.c — the portal's news service (news.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "app/news.h"
#include "core/roles.h"
#include "core/text.h"
#include "core/vntime.h"

const struct app_news_label app_news_categories[] = {
	{"hoat-dong", "hoat-dong", "Hoạt động của chính quyền"},
	{"cai-cach-hanh-chinh", "cai-cach-hanh-chinh", "Cải cách hành chính"},
	{"kinh-te", "kinh-te", "Kinh tế – phát triển"},
	{"van-hoa-xa-hoi", "van-hoa-xa-hoi", "Văn hóa – xã hội"},
	{"quoc-phong-an-ninh", "quoc-phong-an-ninh", "Quốc phòng – an ninh"},
	{"phap-luat", "phap-luat", "Phổ biến pháp luật"},
	{"khac", "khac", "Tin khác"},
};
const size_t app_news_ncategories = sizeof app_news_categories / sizeof app_news_categories[0];

const struct app_news_label app_news_kinds[] = {
	{"news", "tin-tuc", "Tin tức"},
	{"announcement", "thong-bao", "Thông báo"},
};
const size_t app_news_nkinds = sizeof app_news_kinds / sizeof app_news_kinds[0];

const char *
app_news_category_label(const char *code)
{
	for (size_t i = 0; code && i < app_news_ncategories; i++)
		if (strcmp(app_news_categories[i].code, code) == 0)
			return app_news_categories[i].label;
	return NULL;
}

const char *
app_news_kind_label(const char *code)
{
	return code && strcmp(code, "announcement") == 0 ? app_news_kinds[1].label : app_news_kinds[0].label;
}

const char *
app_news_kind_from_param(const char *p)
{
	for (size_t i = 0; p && i < app_news_nkinds; i++)
		if (strcmp(app_news_kinds[i].param, p) == 0 || strcmp(app_news_kinds[i].code, p) == 0)
			return app_news_kinds[i].code;
	return NULL;
}

int
app_news_editor(const struct actor *ac)
{
	return ac && (ac->role & (ROLE_ADMIN | ROLE_LEADER));
}

/* ---- reading ---------------------------------------------------------- */

enum err
app_news_list(struct app *a, const struct actor *ac, const struct app_news_filter *f,
              int (*fn)(const struct news_item *, void *), void *arg, int64_t *total)
{
	if (total)
		*total = 0;
	if (f->drafts && !app_news_editor(ac))
		return ERR_FORBIDDEN;
	if (f->text && strlen(f->text) > APP_NEWS_QUERY_MAX)
		return ERR_OUT_OF_RANGE;
	if ((f->category && !app_news_category_label(f->category)) ||
	    (f->kind && !app_news_kind_from_param(f->kind)))
		return ERR_INVALID_FIELD;
	struct news_query q = {
		.text = f->text,
		.category = f->category,
		.kind = f->kind ? app_news_kind_from_param(f->kind) : NULL,
		.from = f->from,
		.to = f->to,
		.published_only = !f->drafts,
		.exclude_id = f->exclude_id,
		.limit = f->limit > 0 && f->limit <= 1000 ? f->limit : 20,
		.offset = f->offset > 0 ? f->offset : 0,
	};
	return store_news_list(a->st, &q, fn, arg, total);
}

enum err
app_news_months(struct app *a, int (*fn)(int year, int month, int64_t n, void *), void *arg)
{
	return store_news_months(a->st, fn, arg);
}

enum err
app_news_article(struct app *a, const char *slug, struct news_item *out)
{
	memset(out, 0, sizeof *out);
	if (!slug || !*slug || strlen(slug) > NEWS_SLUG_MAX)
		return ERR_NOT_FOUND;
	return store_news_by_slug(a->st, slug, 1, out);
}

enum err
app_news_get(struct app *a, const struct actor *ac, int64_t id, struct news_item *out)
{
	memset(out, 0, sizeof *out);
	if (!app_news_editor(ac))
		return ERR_FORBIDDEN;
	if (id <= 0)
		return ERR_NOT_FOUND;
	return store_news_by_id(a->st, id, out);
}

/* ---- writing ---------------------------------------------------------- */

/* Text that fits XML 1.0 and a one-line field: no control characters
 * (tab, CR and LF only where multiline), no U+FFFE/U+FFFF. */
static int
clean_text(const char *s, int multiline)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t')))
			return 0;
		if (*p == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
			return 0;
	}
	return 1;
}

static int
blank(const char *s)
{
	size_t n;
	text_trim(s, strlen(s), &n);
	return n == 0;
}

/* The publication date an editor typed into *at (the local day's first
 * instant; 0 when none was typed).  Not after today: an article is not
 * scheduled, it is dated. */
static enum err
check_date(const char *date, int64_t now, int64_t *at, struct app_fail *f)
{
	cal_day d;
	*at = 0;
	if (!date || !*date)
		return ERR_OK;
	if (cal_parse_ymd(date, &d) != 0 || d < cal_day_from_ymd(1945, 9, 2))
		return app_fail(f, ERR_INVALID_FIELD, "date", "Ngày đăng không hợp lệ (ngày/tháng/năm).");
	if (d > vn_day(now))
		return app_fail(f, ERR_INVALID_FIELD, "date", "Ngày đăng không được sau hôm nay.");
	*at = vn_instant(d, 0);
	return ERR_OK;
}

/* ERR_OK when in may be stored, else the refusal (field and reason). */
static enum err
check_in(const struct app_news_in *in, struct app_fail *f)
{
	const char *title = in->title ? in->title : "", *summary = in->summary ? in->summary : "";
	const char *body = in->body ? in->body : "";
	if (blank(title))
		return app_fail(f, ERR_INVALID_FIELD, "title", "Vui lòng nhập tiêu đề.");
	if (text_length(title, strlen(title)) > APP_NEWS_TITLE_MAX)
		return app_fail(f, ERR_INVALID_FIELD, "title", "Tiêu đề dài quá 200 ký tự.");
	if (!clean_text(title, 0))
		return app_fail(f, ERR_INVALID_FIELD, "title", "Tiêu đề chứa ký tự điều khiển không hợp lệ.");
	if (text_length(summary, strlen(summary)) > APP_NEWS_SUMMARY_MAX)
		return app_fail(f, ERR_INVALID_FIELD, "summary", "Tóm tắt dài quá 500 ký tự.");
	if (!clean_text(summary, 1) || !clean_text(body, 1))
		return app_fail(f, ERR_INVALID_FIELD, "body",
		                "Tóm tắt hoặc nội dung chứa ký tự điều khiển không hợp lệ.");
	if (!app_news_category_label(in->category))
		return app_fail(f, ERR_INVALID_FIELD, "category", "Vui lòng chọn chuyên mục.");
	if (!in->kind || (strcmp(in->kind, "news") != 0 && strcmp(in->kind, "announcement") != 0))
		return app_fail(f, ERR_INVALID_FIELD, "kind", "Vui lòng chọn loại tin: tin tức hoặc thông báo.");
	if (blank(body))
		return app_fail(f, ERR_INVALID_FIELD, "body", "Vui lòng nhập nội dung.");
	if (strlen(body) > APP_NEWS_BODY_MAX)
		return app_fail(f, ERR_INVALID_FIELD, "body", "Nội dung dài quá 200 KB.");
	if (!in->plain)
		return app_fail(f, ERR_INVALID_FIELD, "body", "Nội dung không hợp lệ.");
	return ERR_OK;
}

static struct news_in
store_in(const struct app_news_in *in, const char *status, int64_t published_at)
{
	struct news_in s = {
		.title = in->title,
		.summary = in->summary ? in->summary : "",
		.body = in->body,
		.search_body = in->plain,
		.category = in->category,
		.kind = in->kind,
		.status = status,
		.published_at = published_at,
	};
	return s;
}

enum err
app_news_create(struct app *a, const struct actor *ac, const struct app_news_in *in, int64_t *id,
                struct app_fail *f)
{
	if (!app_news_editor(ac))
		return ERR_FORBIDDEN;
	int64_t at;
	enum err e = check_in(in, f);
	if (e || (e = check_date(in->date, (int64_t)time(NULL), &at, f)))
		return e;
	struct news_in s = store_in(in, in->publish == APP_NEWS_PUBLISH ? "published" : "draft", at);
	return app_public_write(a, store_news_create(a->st, ac->name, &s, id, NULL));
}

enum err
app_news_update(struct app *a, const struct actor *ac, int64_t id, const struct app_news_in *in,
                struct app_fail *f)
{
	struct news_item cur;
	enum err e = app_news_get(a, ac, id, &cur);
	if (e)
		return e;
	int was_published = strcmp(cur.status, "published") == 0;
	int64_t old_at = cur.published_at, at;
	news_item_free(&cur);
	e = check_in(in, f);
	if (e || (e = check_date(in->date, (int64_t)time(NULL), &at, f)))
		return e;
	/* the same day as before keeps the instant (and so the order) */
	if (at && old_at && vn_day(old_at) == vn_day(at))
		at = 0;
	const char *status = in->publish == APP_NEWS_PUBLISH ? "published"
	                     : in->publish == APP_NEWS_DRAFT ? "draft"
	                     : was_published ? "published" : "draft";
	struct news_in s = store_in(in, status, at);
	return app_public_write(a, store_news_update(a->st, ac->name, id, &s));
}

enum err
app_news_set_status(struct app *a, const struct actor *ac, int64_t id, int publish)
{
	if (!app_news_editor(ac))
		return ERR_FORBIDDEN;
	if (id <= 0)
		return ERR_NOT_FOUND;
	return app_public_write(a, store_news_set_status(a->st, ac->name, id, publish ? "published" : "draft"));
}

/* ---- images ------------------------------------------------------------ */

enum err
app_news_image_put(struct app *a, const struct actor *ac, const void *data, size_t len, const char *alt,
                   char *name, size_t namelen, struct app_fail *f)
{
	if (!app_news_editor(ac))
		return ERR_FORBIDDEN;
	if (alt && (!clean_text(alt, 0) || text_length(alt, strlen(alt)) > APP_NEWS_ALT_MAX))
		return app_fail(f, ERR_INVALID_FIELD, "alt",
		                "Mô tả ảnh tối đa 200 ký tự, không chứa ký tự điều khiển.");
	if (!data || len == 0)
		return app_fail(f, ERR_INVALID_FIELD, "file", "Vui lòng chọn tệp ảnh để tải lên.");
	enum err e = store_image_put(a->st, ac->name, data, len, name, namelen);
	if (e == ERR_UNSUPPORTED_MEDIA)
		return app_fail(f, ERR_INVALID_FIELD, "file",
		                "Tệp không phải ảnh JPEG, PNG hoặc WebP. Chỉ nhận ảnh ở ba định dạng này.");
	if (e == ERR_BODY_TOO_LARGE)
		return app_fail(f, ERR_INVALID_FIELD, "file", "Ảnh lớn hơn 5 MB. Vui lòng thu nhỏ ảnh rồi tải lại.");
	return e;
}

enum err
app_news_image_get(struct app *a, const char *name, char **data, size_t *len, const char **mime)
{
	*data = NULL;
	*len = 0;
	if (!name)
		return ERR_NOT_FOUND;
	return store_image_get(a->st, name, data, len, mime);
}
