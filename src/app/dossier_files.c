/*
 * dossier_files.c — a dossier's attachments (dossier.h): scans stored
 * content-addressed (the file first, outside the transaction; then the
 * record with its audit event), read back only by those who may read the
 * dossier.
 */
#include <assert.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "app/digital.h"
#include "app/dossier.h"
#include "core/sniff.h"
#include "core/text.h"

/* A scan: PDF, JPEG or PNG by its first bytes (core/sniff.c), never by
 * its name or the browser's word. */
static const char *
scan_type(const void *data, size_t len)
{
	const char *m = sniff_mime(data, len);
	return m && strcmp(m, "image/webp") != 0 ? m : NULL;
}

/* The shown name: the file's name without any folder, at most 200 bytes. */
static void
shown_name(const char *name, char *out, size_t n)
{
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	if (!*base)
		base = "tep-dinh-kem";
	enum err ne;
	char *nfc = text_nfc(base, strlen(base), &ne);
	size_t k = nfc ? text_utf8_prefix(nfc, strlen(nfc), 200) : 0;
	snprintf(out, n, "%.*s", (int)k, nfc ? nfc : "");
	if (!out[0])
		snprintf(out, n, "%s", "tep-dinh-kem");
	free(nfc);
}

enum err
app_dossier_attach_file(struct app *a, const struct actor *ac, const char *code, const char *file_name,
                        const void *data, size_t len, struct store_attachment *at, struct app_fail *f)
{
	if (!len)
		return app_fail(f, ERR_INVALID_FIELD, "file", "chưa chọn tệp");
	if (len > APP_MAX_ATTACHMENT)
		return app_fail(f, ERR_INVALID_FIELD, "file", "tệp lớn hơn 10 MB");
	const char *mime = scan_type(data, len);
	if (!mime)
		return app_fail(f, ERR_UNSUPPORTED_MEDIA, "file", "chỉ nhận bản quét PDF, JPEG hoặc PNG");
	at->size = (int64_t)len;
	at->at = (int64_t)time(NULL);
	shown_name(file_name, at->name, sizeof at->name);
	snprintf(at->mime, sizeof at->mime, "%s", mime);
	enum err e = store_file_put(a->st, data, len, at->sha256);
	if (e != ERR_OK)
		return e;
	e = store_attachment_add(a->st, ac->name, code, at);
	if (e == ERR_EXISTS)
		return app_fail(f, ERR_EXISTS, "file", "hồ sơ đã có tệp này");
	return e;
}

enum err
app_dossier_attach(struct app *a, const struct actor *ac, const char *code, const char *file_name,
                   const void *data, size_t len, struct app_fail *f)
{
	assert(a != NULL && ac != NULL);
	struct store_dossier sd;
	enum err e = store_dossier_get(a->st, code, &sd);
	if (e)
		return e;
	int may = app_dossier_may_act(a, ac, &sd);
	store_dossier_free(&sd);
	if (!may)
		return ERR_FORBIDDEN;
	struct store_attachment at = {.kind = "component"};
	return app_dossier_attach_file(a, ac, code, file_name, data, len, &at, f);
}

enum err
app_dossier_attachments(struct app *a, const struct actor *ac, const char *code,
                        int (*fn)(const struct store_attachment *, void *), void *arg)
{
	assert(a != NULL && ac != NULL);
	struct store_dossier sd;
	enum err e = app_dossier_get(a, ac, code, &sd);
	if (e)
		return e;
	store_dossier_free(&sd);
	return store_attachments(a->st, code, fn, arg);
}

struct att_find {
	const char *sha;
	struct store_attachment *found;
	int ok;
};

static int
att_find(const struct store_attachment *at, void *arg)
{
	struct att_find *x = arg;
	if (strcmp(at->sha256, x->sha) != 0)
		return 0;
	*x->found = *at;
	x->ok = 1;
	return 1;
}

enum err
app_dossier_attachment(struct app *a, const struct actor *ac, const char *code, const char *sha,
                       struct store_attachment *meta, char **data, size_t *len)
{
	assert(a != NULL && ac != NULL);
	struct att_find x = {sha, meta, 0};
	enum err e = app_dossier_attachments(a, ac, code, att_find, &x);
	if (e)
		return e;
	if (!x.ok)
		return ERR_NOT_FOUND;
	return store_file_get(a->st, sha, data, len);
}
