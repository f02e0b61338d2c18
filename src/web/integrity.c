/*
 * integrity.c — see integrity.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "web/integrity.h"

int
integrity_parse_anchor(const char *id, const char *hash, int64_t *out_id, char out_hash[65])
{
	if (!id || !hash || !*id || strlen(id) > 18 || strlen(hash) != 64)
		return -1;
	for (const char *p = id; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	for (int i = 0; i < 64; i++) {
		char c = hash[i];
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		out_hash[i] = c;
	}
	out_hash[64] = '\0';
	*out_id = strtoll(id, NULL, 10);
	return *out_id > 0 ? 0 : -1;
}

static struct integrity_row *
row(struct integrity *g, const char *label, int ok)
{
	struct integrity_row *r = &g->rows[g->nrows++];
	r->label = label;
	r->ok = ok;
	if (!ok)
		g->ok = 0;
	return r;
}

enum err
integrity_run(struct store *st, int64_t anchor_id, const char *anchor_hash, struct integrity *g)
{
	memset(g, 0, sizeof *g);
	g->ok = 1;
	struct store_check c;
	enum err e = store_check(st, &c);
	if (e)
		return e;
	struct integrity_row *r = row(g, "Toàn vẹn cơ sở dữ liệu", c.integrity_ok);
	snprintf(r->text, sizeof r->text, "%s", c.integrity_ok ? "đạt" : c.integrity_msg);
	r = row(g, "Bảo vệ chỉ ghi thêm", c.guards_ok);
	if (c.guards_ok)
		snprintf(r->text, sizeof r->text, "đạt (không sửa, không xóa được các bảng %s)", c.guard_tables);
	else
		snprintf(r->text, sizeof r->text, "LỖI — trigger chống sửa/xóa đã bị gỡ bỏ: %s", c.guards_missing);
	r = row(g, "Khóa nhật ký (HMAC-SHA256)", c.key_ok);
	if (!c.key_ok)
		snprintf(r->text, sizeof r->text, "LỖI — %s", c.key_msg);
	else
		snprintf(r->text, sizeof r->text, "đạt (%lld sự kiện có khóa và nối chuỗi; %lld sự kiện trước khi có khóa)",
		         (long long)c.events_keyed, (long long)(c.events - c.events_keyed));
	r = row(g, "Chuỗi nhật ký kiểm toán", !c.first_bad);
	if (c.first_bad)
		snprintf(r->text, sizeof r->text, "LỖI tại sự kiện #%lld — %s (%lld sự kiện trước đó hợp lệ)",
		         (long long)c.first_bad, c.bad_reason, (long long)c.events);
	else
		snprintf(r->text, sizeof r->text, "đạt (%lld sự kiện)", (long long)c.events);
	r = row(g, "Hồ sơ khớp nhật ký", !c.dossiers_bad);
	if (c.dossiers_bad)
		snprintf(r->text, sizeof r->text, "LỖI — %lld hồ sơ sai lệch; đầu tiên: hồ sơ %s (%lld hồ sơ khác khớp)",
		         (long long)c.dossiers_bad, c.dossier_bad, (long long)c.dossiers);
	else
		snprintf(r->text, sizeof r->text, "đạt (%lld hồ sơ: trạng thái, phiên bản và quá trình xử lý)",
		         (long long)c.dossiers);
	r = row(g, "Tài khoản khớp nhật ký", !c.accounts_bad);
	if (c.accounts_bad)
		snprintf(r->text, sizeof r->text, "LỖI — %lld tài khoản sai lệch; đầu tiên: %s (%lld tài khoản khác khớp)",
		         (long long)c.accounts_bad, c.account_bad, (long long)c.accounts);
	else
		snprintf(r->text, sizeof r->text, "đạt (%lld tài khoản: vai trò, đơn vị, trạng thái)", (long long)c.accounts);
	r = row(g, "Tệp đính kèm và ảnh", !c.files_bad);
	if (c.files_bad)
		snprintf(r->text, sizeof r->text, "LỖI — %lld tệp thiếu hoặc hỏng; đầu tiên: %s (%lld tệp khác đạt)",
		         (long long)c.files_bad, c.file_bad, (long long)c.files);
	else
		snprintf(r->text, sizeof r->text, "đạt (%lld tệp, đúng mã băm)", (long long)c.files);
	if (anchor_id > 0) {
		char h[65];
		enum err he = store_audit_hash_at(st, anchor_id, h);
		if (he && he != ERR_NOT_FOUND)
			return he;
		int ok = !he && strcmp(h, anchor_hash) == 0 && !c.first_bad && anchor_id <= c.head_id;
		r = row(g, "Đối chiếu mốc đã ghi lần trước", ok);
		if (he == ERR_NOT_FOUND)
			snprintf(r->text, sizeof r->text,
			         "LỖI — không còn sự kiện #%lld: nhật ký đã bị cắt bớt sau lần kiểm tra trước", (long long)anchor_id);
		else if (strcmp(h, anchor_hash) != 0)
			snprintf(r->text, sizeof r->text,
			         "LỖI — sự kiện #%lld có mã băm khác mốc đã ghi: nhật ký đã bị viết lại", (long long)anchor_id);
		else if (!ok)
			snprintf(r->text, sizeof r->text, "sự kiện #%lld khớp, nhưng chuỗi phía trước nó có lỗi",
			         (long long)anchor_id);
		else
			snprintf(r->text, sizeof r->text, "khớp: sự kiện #%lld không đổi từ lần kiểm tra trước",
			         (long long)anchor_id);
	}
	g->head_id = c.head_id;
	memcpy(g->head_hash, c.head_hash, sizeof g->head_hash);
	return ERR_OK;
}

/* ---- the page: /kiem-tra ------------------------------------------- */

#include "web/web.h"

enum err
page_integrity(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	const char *id = form_get(&req->query, "moc");
	const char *hash = form_get(&req->query, "bam");
	int64_t anchor_id = 0;
	char anchor_hash[65] = "";
	int asked = (id && *id) || (hash && *hash);
	int bad_anchor = asked && integrity_parse_anchor(id ? id : "", hash ? hash : "", &anchor_id, anchor_hash) != 0;
	struct integrity g;
	enum err e = integrity_run(app->st, bad_anchor ? 0 : anchor_id, anchor_hash, &g);
	if (e)
		return e;
	json_t *d = web_page_data(req, resp, "Kiểm tra toàn vẹn dữ liệu");
	if (!d)
		return ERR_NOMEM;
	json_t *rows = json_array();
	for (int i = 0; i < g.nrows; i++) {
		/* beside the "Đạt" badge, "đạt (70 sự kiện)" reads "70 sự kiện" */
		char text[400];
		const char *t = g.rows[i].text;
		size_t pre = strlen("đạt (");
		if (g.rows[i].ok && strncmp(t, "đạt (", pre) == 0 && t[strlen(t) - 1] == ')')
			snprintf(text, sizeof text, "%.*s", (int)(strlen(t) - pre - 1), t + pre);
		else
			snprintf(text, sizeof text, "%s", strcmp(t, "đạt") == 0 ? "" : t);
		json_array_append_new(rows, json_pack("{s:s,s:b,s:s}", "label", g.rows[i].label, "ok", g.rows[i].ok,
		                                      "text", text));
	}
	char when[32];
	vn_fmt_datetime(http_wall_us() / 1000000, when, sizeof when);
	json_object_set_new(d, "chk", json_pack("{s:o,s:b,s:s,s:I,s:s,s:s,s:s}", "rows", rows, "ok", g.ok, "at", when,
	                                        "head_id", (json_int_t)g.head_id, "head_hash", g.head_hash,
	                                        "moc", id ? id : "", "bam", hash ? hash : ""));
	if (bad_anchor)
		json_object_set_new(d, "error", json_pack("{s:s}", "message",
		                                          "Mốc đối chiếu không hợp lệ: cần số sự kiện (số nguyên dương) và "
		                                          "mã băm gồm đúng 64 chữ số hệ 16, như đã ghi ở lần kiểm tra trước."));
	e = web_render(req, resp, "integrity", d);
	if (!e && bad_anchor)
		resp->status = 400;
	return e;
}
