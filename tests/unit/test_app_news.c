/*
 * test_app_news.c — the news service (src/app/news.c) on a temporary
 * store, without a server: only editors (admin, leader) write or see
 * drafts; what an editor types is checked (blank title, lengths, control
 * characters, category, kind) and a refusal writes nothing; a draft stays
 * off the public list until published; "keep" keeps the status; images
 * are taken by their content, not their name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/app.h"
#include "app/news.h"
#include "core/roles.h"
#include "app_fixture.h"

static char DIR_[64];
static struct store *ST;
static struct app A;
static const struct actor EDITOR = {.user_id = 1, .role = ROLE_LEADER, .name = "user:leader"};
static const struct actor CLERK = {.user_id = 2, .role = ROLE_CLERK, .name = "user:clerk"};
static const struct actor PUBLIC = {.role = ROLE_PUBLIC, .name = "anonymous"};

static int
setup(void **state)
{
	(void)state;
	return fixture_open(DIR_, "news", &ST, &A);
}

static int
teardown(void **state)
{
	(void)state;
	return fixture_close(DIR_, ST, &A);
}

static int
count_one(const struct news_item *n, void *arg)
{
	(void)n;
	++*(int *)arg;
	return 0;
}

/* Published articles the public list shows. */
static int
public_count(void)
{
	struct app_news_filter q = {.limit = 100};
	int n = 0;
	int64_t total = -1;
	assert_int_equal(app_news_list(&A, &PUBLIC, &q, count_one, &n, &total), ERR_OK);
	assert_int_equal(total, n);
	return n;
}

static struct app_news_in
article(const char *title)
{
	struct app_news_in in = {.title = title, .summary = "", .body = "Nội dung **bài**.",
	                         .plain = "Nội dung bài.", .category = "hoat-dong", .kind = "news"};
	return in;
}

static void
test_labels(void **state)
{
	(void)state;
	assert_string_equal(app_news_category_label("cai-cach-hanh-chinh"), "Cải cách hành chính");
	assert_null(app_news_category_label("khong-co"));
	assert_string_equal(app_news_kind_from_param("thong-bao"), "announcement");
	assert_string_equal(app_news_kind_from_param("news"), "news");
	assert_null(app_news_kind_from_param("x"));
	assert_string_equal(app_news_kind_label("announcement"), "Thông báo");
}

static void
test_only_editors(void **state)
{
	(void)state;
	struct app_news_in in = article("Tin của văn thư");
	int64_t id = 0;
	struct app_fail f = {"", ""};
	assert_int_equal(app_news_create(&A, &CLERK, &in, &id, &f), ERR_FORBIDDEN);
	assert_int_equal(app_news_create(&A, &PUBLIC, &in, &id, &f), ERR_FORBIDDEN);
	assert_int_equal(app_news_create(&A, NULL, &in, &id, &f), ERR_FORBIDDEN);
	struct app_news_filter drafts = {.drafts = 1, .limit = 10};
	int n = 0;
	assert_int_equal(app_news_list(&A, &CLERK, &drafts, count_one, &n, NULL), ERR_FORBIDDEN);
	assert_int_equal(app_news_list(&A, NULL, &drafts, count_one, &n, NULL), ERR_FORBIDDEN);
	struct news_item it;
	assert_int_equal(app_news_get(&A, &CLERK, 1, &it), ERR_FORBIDDEN);
	assert_int_equal(app_news_set_status(&A, &CLERK, 1, 1), ERR_FORBIDDEN);
	char name[96];
	assert_int_equal(app_news_image_put(&A, &CLERK, "x", 1, "", name, sizeof name, &f), ERR_FORBIDDEN);
	assert_int_equal(n, 0);
}

static void
test_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *title, *category, *kind, *body, *field;
	} bad[] = {
		{"   ", "hoat-dong", "news", "x", "title"},
		{"Tiêu\nđề", "hoat-dong", "news", "x", "title"},
		{"Tin", "khong-co", "news", "x", "category"},
		{"Tin", "hoat-dong", "tin", "x", "kind"},
		{"Tin", "hoat-dong", "news", " \n ", "body"},
		{"Tin", "hoat-dong", "news", "a\x01" "b", "body"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct app_news_in in = article(bad[i].title);
		in.category = bad[i].category;
		in.kind = bad[i].kind;
		in.body = bad[i].body;
		in.publish = APP_NEWS_PUBLISH;
		struct app_fail f = {"", ""};
		int64_t id = 0;
		assert_int_equal(app_news_create(&A, &EDITOR, &in, &id, &f), ERR_INVALID_FIELD);
		assert_string_equal(f.field, bad[i].field);
		assert_true(f.msg[0] != 0);
	}
	char long_title[700];
	memset(long_title, 'a', 201);
	long_title[201] = 0;
	struct app_news_in in = article(long_title);
	struct app_fail f = {"", ""};
	int64_t id;
	assert_int_equal(app_news_create(&A, &EDITOR, &in, &id, &f), ERR_INVALID_FIELD);
	in = article("Nội dung không đọc được");
	in.plain = NULL;
	assert_int_equal(app_news_create(&A, &EDITOR, &in, &id, &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "body");
	assert_int_equal(public_count(), 0);
	struct app_news_filter drafts = {.drafts = 1, .limit = 10};
	int n = 0;
	assert_int_equal(app_news_list(&A, &EDITOR, &drafts, count_one, &n, NULL), ERR_OK);
	assert_int_equal(n, 0);   /* nothing was written */
}

static void
test_draft_publish_keep(void **state)
{
	(void)state;
	struct app_news_in in = article("Lịch tiếp công dân tháng 12");
	struct app_fail f = {"", ""};
	int64_t id = 0;
	assert_int_equal(app_news_create(&A, &EDITOR, &in, &id, &f), ERR_OK);
	assert_true(id > 0);
	assert_int_equal(public_count(), 0);   /* a draft */
	struct news_item it;
	assert_int_equal(app_news_get(&A, &EDITOR, id, &it), ERR_OK);
	char slug[NEWS_SLUG_MAX + 8];
	snprintf(slug, sizeof slug, "%s", it.slug);
	news_item_free(&it);
	assert_int_equal(app_news_article(&A, slug, &it), ERR_NOT_FOUND);

	assert_int_equal(app_news_set_status(&A, &EDITOR, id, 1), ERR_OK);
	assert_int_equal(public_count(), 1);
	assert_int_equal(app_news_article(&A, slug, &it), ERR_OK);
	assert_string_equal(it.title, "Lịch tiếp công dân tháng 12");
	news_item_free(&it);

	in = article("Lịch tiếp công dân tháng 12 (sửa)");
	in.publish = APP_NEWS_KEEP;   /* "Lưu": stays published */
	assert_int_equal(app_news_update(&A, &EDITOR, id, &in, &f), ERR_OK);
	assert_int_equal(app_news_article(&A, slug, &it), ERR_OK);   /* the slug stays */
	assert_string_equal(it.title, "Lịch tiếp công dân tháng 12 (sửa)");
	news_item_free(&it);
	assert_int_equal(public_count(), 1);

	/* a search and filters through the service */
	struct app_news_filter q = {.text = "tiep cong dan", .category = "hoat-dong", .kind = "tin-tuc", .limit = 5};
	int n = 0;
	assert_int_equal(app_news_list(&A, &PUBLIC, &q, count_one, &n, NULL), ERR_OK);
	assert_int_equal(n, 1);
	q.kind = "khong-co";
	assert_int_equal(app_news_list(&A, &PUBLIC, &q, count_one, &n, NULL), ERR_INVALID_FIELD);
	char big[300];
	memset(big, 'x', 250);
	big[250] = 0;
	struct app_news_filter q2 = {.text = big};
	assert_int_equal(app_news_list(&A, &PUBLIC, &q2, count_one, &n, NULL), ERR_OUT_OF_RANGE);

	in.publish = APP_NEWS_DRAFT;
	assert_int_equal(app_news_update(&A, &EDITOR, id, &in, &f), ERR_OK);
	assert_int_equal(public_count(), 0);
	assert_int_equal(app_news_update(&A, &EDITOR, id + 1000, &in, &f), ERR_NOT_FOUND);
}

static void
test_images(void **state)
{
	(void)state;
	static const unsigned char png[] = {
	    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
	    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
	    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
	    0x42, 0x60, 0x82};
	char name[96];
	struct app_fail f = {"", ""};
	assert_int_equal(app_news_image_put(&A, &EDITOR, "<?php echo 1; ?>", 16, "", name, sizeof name, &f),
	                 ERR_INVALID_FIELD);
	assert_string_equal(f.field, "file");
	assert_int_equal(app_news_image_put(&A, &EDITOR, NULL, 0, "", name, sizeof name, &f), ERR_INVALID_FIELD);
	assert_int_equal(app_news_image_put(&A, &EDITOR, png, sizeof png, "a\nb", name, sizeof name, &f),
	                 ERR_INVALID_FIELD);
	assert_string_equal(f.field, "alt");
	assert_int_equal(app_news_image_put(&A, &EDITOR, png, sizeof png, "Ảnh", name, sizeof name, &f), ERR_OK);
	assert_int_equal(strlen(name), 68);   /* 64 hex + ".png" */
	char *data;
	size_t len;
	const char *mime;
	assert_int_equal(app_news_image_get(&A, name, &data, &len, &mime), ERR_OK);
	assert_int_equal(len, sizeof png);
	assert_memory_equal(data, png, sizeof png);
	assert_string_equal(mime, "image/png");
	free(data);
	assert_int_equal(app_news_image_get(&A, "../motcua.db", &data, &len, &mime), ERR_NOT_FOUND);
	assert_int_equal(app_news_image_get(&A, NULL, &data, &len, &mime), ERR_NOT_FOUND);
}

/* The date an editor sets is the article's publication date: shown and
 * found by it; a date after today or not a date is refused; the same day
 * again keeps the instant; every write bumps the public revision. */
static void
test_publication_date(void **state)
{
	(void)state;
	struct app_news_in in = article("Chỉ thị về cải cách hành chính năm 2017");
	in.date = "2017-09-14";
	in.publish = APP_NEWS_PUBLISH;
	struct app_fail f = {"", ""};
	int64_t id = 0;
	uint64_t rev = app_public_rev(&A);
	assert_int_equal(app_news_create(&A, &EDITOR, &in, &id, &f), ERR_OK);
	assert_true(app_public_rev(&A) > rev);
	struct news_item it;
	assert_int_equal(app_news_get(&A, &EDITOR, id, &it), ERR_OK);
	assert_int_equal(it.published_at, 1505322000);   /* 14/09/2017 00:00 +07:00 */
	news_item_free(&it);
	struct app_news_filter q = {.from = 1505322000, .to = 1505322000 + 86400, .limit = 5};
	int n = 0;
	assert_int_equal(app_news_list(&A, &PUBLIC, &q, count_one, &n, NULL), ERR_OK);
	assert_int_equal(n, 1);

	const char *bad[] = {"2017-02-30", "14/09/2017", "2999-01-01", "1900-01-01"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		in.date = bad[i];
		rev = app_public_rev(&A);
		assert_int_equal(app_news_update(&A, &EDITOR, id, &in, &f), ERR_INVALID_FIELD);
		assert_string_equal(f.field, "date");
		assert_int_equal(app_public_rev(&A), rev);   /* nothing written */
	}
	in.date = "";   /* empty keeps the date */
	in.publish = APP_NEWS_KEEP;
	assert_int_equal(app_news_update(&A, &EDITOR, id, &in, &f), ERR_OK);
	assert_int_equal(app_news_get(&A, &EDITOR, id, &it), ERR_OK);
	assert_int_equal(it.published_at, 1505322000);
	news_item_free(&it);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_only_editors),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_draft_publish_keep),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_publication_date),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
