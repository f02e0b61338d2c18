/* jspec.c — see jspec.h.  Parsing with jansson behind a depth guard, and
 * the spec reader that turns the first violation into an error code and
 * a Vietnamese sentence. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/text.h"
#include "core/jspec.h"

/* Longest piece of a client-sent key quoted back in a detail. */
#define KEY_QUOTE_MAX 64

/* Copies msg to detail, cut at a character boundary if it must be. */
static void
put_detail(char *detail, size_t dlen, const char *msg)
{
	if (!detail || dlen == 0)
		return;
	size_t n = text_utf8_prefix(msg, strlen(msg), dlen - 1);
	memcpy(detail, msg, n);
	detail[n] = '\0';
}

/*
 * Nesting depth guard, run before jansson (whose own limit is 2048, and
 * recursive).  Tracks strings so brackets inside them do not count, and
 * line and column (in characters) for the detail.  Returns 0, or -1 with
 * *line and *col at the bracket that went too deep.
 */
static int
depth_ok(const char *s, size_t len, int *line, int *col)
{
	int depth = 0, in_str = 0, esc = 0;
	*line = 1;
	*col = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80)
			(*col)++;
		if (c == '\n') {
			(*line)++;
			*col = 0;
		}
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > JSPEC_MAX_DEPTH)
				return -1;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return 0;
}

static const char *
json_error_vi(enum json_error_code code)
{
	switch (code) {
	case json_error_invalid_utf8:
		return "có byte không phải UTF-8";
	case json_error_premature_end_of_input:
		return "dữ liệu kết thúc khi chưa đủ";
	case json_error_end_of_input_expected:
		return "còn dữ liệu thừa sau giá trị JSON";
	case json_error_duplicate_key:
		return "một khóa xuất hiện hai lần trong cùng đối tượng";
	case json_error_null_character:
	case json_error_null_byte_in_key:
		return "chứa ký tự NUL";
	case json_error_numeric_overflow:
		return "số quá lớn";
	case json_error_wrong_type:
		return "dữ liệu phải là một đối tượng hoặc mảng JSON";
	case json_error_stack_overflow:
		return "lồng quá nhiều tầng";
	case json_error_out_of_memory:
		return "hệ thống hết bộ nhớ";
	default:
		return "sai cú pháp JSON";
	}
}

json_t *
jspec_parse(const char *body, size_t len, enum err *e, char *detail,
            size_t dlen)
{
	enum err dummy;
	char msg[256];
	int line, col;

	if (!e)
		e = &dummy;
	if (!body) {
		body = "";
		len = 0;
	}
	if (depth_ok(body, len, &line, &col) != 0) {
		snprintf(msg, sizeof msg, "dòng %d, cột %d: lồng quá %d tầng",
		         line, col, JSPEC_MAX_DEPTH);
		put_detail(detail, dlen, msg);
		*e = ERR_BAD_JSON;
		return NULL;
	}
	json_error_t je;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (root) {
		*e = ERR_OK;
		put_detail(detail, dlen, "");
		return root;
	}
	enum json_error_code code = json_error_code(&je);
	*e = code == json_error_invalid_utf8 ? ERR_BAD_UTF8
	   : code == json_error_out_of_memory ? ERR_NOMEM : ERR_BAD_JSON;
	if (je.line > 0)
		snprintf(msg, sizeof msg, "dòng %d, cột %d: %s", je.line,
		         je.column > 0 ? je.column : 1, json_error_vi(code));
	else
		snprintf(msg, sizeof msg, "%s", json_error_vi(code));
	put_detail(detail, dlen, msg);
	return NULL;
}

/* Appends a client-sent key, cut short and with controls shown as '?'
 * (it is valid UTF-8: jansson checked it). */
static void
quote_key(struct buf *b, const char *key)
{
	size_t n = strlen(key);
	size_t k = text_utf8_prefix(key, n, KEY_QUOTE_MAX);
	for (size_t i = 0; i < k; i++) {
		unsigned char c = (unsigned char)key[i];
		buf_putc(b, c < 0x20 || c == 0x7F ? '?' : (char)c);
	}
	if (k < n)
		buf_puts(b, "…");
}

/* Writes `Trường "path.name": <fmt>` to detail and returns e. */
static enum err
field_error(enum err e, char *detail, size_t dlen, const char *path,
            const char *name, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static enum err
field_error(enum err e, char *detail, size_t dlen, const char *path,
            const char *name, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	buf_puts(&b, "Trường \"");
	if (path && *path) {
		quote_key(&b, path);
		if (name)
			buf_putc(&b, '.');
	}
	if (name)
		quote_key(&b, name);
	buf_puts(&b, "\": ");
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	put_detail(detail, dlen, b.oom ? "" : buf_str(&b));
	buf_free(&b);
	return e;
}

/* Refuses the first key of obj that spec does not name. */
static enum err
check_unknown(json_t *obj, const struct jspec *spec, const char *path,
              char *detail, size_t dlen)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const struct jspec *s = spec;
		while (s->type != JSPEC_T_END && s->type != JSPEC_T_END_EXTRA &&
		       strcmp(s->name, key) != 0)
			s++;
		if (s->type == JSPEC_T_END || s->type == JSPEC_T_END_EXTRA)
			return field_error(ERR_INVALID_FIELD, detail, dlen, path,
			                   key, "không có trong dữ liệu được chấp nhận");
	}
	return ERR_OK;
}

/* Replaces string v by its NFC form and returns it, or sets *e. */
static const char *
string_nfc(json_t *v, size_t *len, enum err *e)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	char *nfc = text_nfc(s, n, e);
	if (!nfc)
		return NULL;
	size_t m = strlen(nfc);
	if (m != n || memcmp(nfc, s, n) != 0) {
		if (json_string_setn(v, nfc, m) != 0) {
			free(nfc);
			*e = ERR_NOMEM;
			return NULL;
		}
	}
	free(nfc);
	*len = m;
	return json_string_value(v);
}

/* Reads one field.  Returns ERR_OK or the error, with detail written. */
static enum err
read_field(json_t *obj, const struct jspec *s, const char *path,
           char *detail, size_t dlen)
{
	json_t *v = json_object_get(obj, s->name);
	enum err e = ERR_OK;
	const char *str;
	size_t len;

	if (!v || json_is_null(v)) {
		if (s->required)
			return field_error(ERR_MISSING_FIELD, detail, dlen, path,
			                   s->name, "bắt buộc");
		return ERR_OK;
	}
	switch (s->type) {
	case JSPEC_T_STRING:
	case JSPEC_T_ENUM:
		if (!json_is_string(v))
			return field_error(ERR_INVALID_FIELD, detail, dlen, path,
			                   s->name, "phải là chuỗi ký tự");
		str = string_nfc(v, &len, &e);
		if (!str) {
			if (e == ERR_NOMEM)
				return e;
			return field_error(ERR_BAD_UTF8, detail, dlen, path, s->name,
			                   "chứa ký tự không hợp lệ");
		}
		if (s->type == JSPEC_T_ENUM) {
			for (int i = 0; s->choices && s->choices[i]; i++)
				if (strcmp(s->choices[i], str) == 0) {
					*(int *)s->out = i;
					return ERR_OK;
				}
			struct buf b = BUF_INIT;
			for (int i = 0; s->choices && s->choices[i]; i++) {
				buf_puts(&b, i ? ", " : "");
				buf_puts(&b, s->choices[i]);
			}
			e = field_error(ERR_INVALID_FIELD, detail, dlen, path,
			                s->name, "phải là một trong các giá trị: %s",
			                buf_str(&b));
			buf_free(&b);
			return e;
		}
		len = text_length(str, len);
		if ((json_int_t)len < s->min) {
			if (s->min == 1)
				return field_error(ERR_INVALID_FIELD, detail, dlen,
				                   path, s->name, "không được để trống");
			return field_error(ERR_INVALID_FIELD, detail, dlen, path,
			                   s->name, "phải có ít nhất %lld ký tự",
			                   (long long)s->min);
		}
		if ((json_int_t)len > s->max)
			return field_error(ERR_INVALID_FIELD, detail, dlen, path,
			                   s->name, "dài quá %lld ký tự",
			                   (long long)s->max);
		*(const char **)s->out = str;
		return ERR_OK;
	case JSPEC_T_INT: {
		if (!json_is_integer(v))
			return field_error(ERR_INVALID_FIELD, detail, dlen, path,
			                   s->name, "phải là số nguyên");
		json_int_t n = json_integer_value(v);
		if (n < s->min || n > s->max)
			return field_error(ERR_INVALID_FIELD, detail, dlen, path,
			                   s->name, "phải nằm trong khoảng từ %lld đến %lld",
			                   (long long)s->min, (long long)s->max);
		*(json_int_t *)s->out = n;
		return ERR_OK;
	}
	case JSPEC_T_BOOL:
		if (!json_is_boolean(v))
			return field_error(ERR_INVALID_FIELD, detail, dlen, path,
			                   s->name, "phải là true hoặc false");
		*(int *)s->out = json_is_true(v);
		return ERR_OK;
	case JSPEC_T_OBJECT:
		if (!json_is_object(v))
			return field_error(ERR_INVALID_FIELD, detail, dlen, path,
			                   s->name, "phải là một đối tượng JSON");
		*(json_t **)s->out = v;
		return ERR_OK;
	case JSPEC_T_ARRAY: {
		if (!json_is_array(v))
			return field_error(ERR_INVALID_FIELD, detail, dlen, path,
			                   s->name, "phải là một mảng JSON");
		json_int_t n = (json_int_t)json_array_size(v);
		if (n < s->min || n > s->max)
			return field_error(ERR_INVALID_FIELD, detail, dlen, path,
			                   s->name, "phải có từ %lld đến %lld phần tử",
			                   (long long)s->min, (long long)s->max);
		*(json_t **)s->out = v;
		return ERR_OK;
	}
	case JSPEC_T_NESTED: {
		/* Recursion follows the spec, which the programmer wrote, never
		 * the input: its depth is that of the spec. */
		struct buf sub = BUF_INIT;
		if (path && *path) {
			buf_puts(&sub, path);
			buf_putc(&sub, '.');
		}
		buf_puts(&sub, s->name);
		if (sub.oom)
			return ERR_NOMEM;
		e = jspec_read_path(v, s->nested, buf_str(&sub), detail, dlen);
		buf_free(&sub);
		return e;
	}
	case JSPEC_T_END:
	case JSPEC_T_END_EXTRA:
		break;
	}
	return ERR_INTERNAL;
}

enum err
jspec_read_path(json_t *obj, const struct jspec *spec, const char *path,
                char *detail, size_t dlen)
{
	enum err e;

	if (!json_is_object(obj)) {
		if (!path || !*path) {
			put_detail(detail, dlen,
			           "Dữ liệu gửi lên phải là một đối tượng JSON");
			return ERR_BAD_JSON;
		}
		return field_error(ERR_INVALID_FIELD, detail, dlen, path, NULL,
		                   "phải là một đối tượng JSON");
	}
	const struct jspec *end = spec;
	while (end->type != JSPEC_T_END && end->type != JSPEC_T_END_EXTRA)
		end++;
	if (end->type == JSPEC_T_END &&
	    (e = check_unknown(obj, spec, path, detail, dlen)) != ERR_OK)
		return e;
	for (const struct jspec *s = spec; s < end; s++)
		if ((e = read_field(obj, s, path, detail, dlen)) != ERR_OK)
			return e;
	put_detail(detail, dlen, "");
	return ERR_OK;
}

enum err
jspec_read(json_t *obj, const struct jspec *spec, char *detail, size_t dlen)
{
	return jspec_read_path(obj, spec, NULL, detail, dlen);
}
