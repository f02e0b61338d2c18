/*
 * notify.c — the notification service (notify.h): the messages of a
 * dossier's change, messages of their own, the templates' editor, the
 * delivery log and the delivery worker.  The gateways are notify_gw.c.
 *
 * The worker is one thread with its own store connection (the store opens
 * one per thread).  It shares with the request threads only the wake-up
 * flag and the stop flag, both under its mutex; the configuration is
 * copied at start and read-only afterwards.
 */
#include <assert.h>
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "app/notify.h"
#include "core/ident.h"
#include "core/message.h"
#include "core/roles.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/vntime.h"

struct app_notify {
	struct app *app;
	struct app_notify_config cfg;  /* read-only after start */
	pthread_mutex_t lock;          /* guards stop and kicked */
	pthread_cond_t wake;
	int stop, kicked;
	pthread_t thread;
};

/* ---- the kinds of message ------------------------------------------------- */

#define DOSSIER_NAMES "code", "name", "procedure", "agency"
#define DOSSIER_SAMPLE "code", "H38.01-261203-0001", "name", "Nguyễn Văn An", "procedure", \
	"Đăng ký khai sinh", "agency", "UBND xã Mẫu"

static const struct app_notify_kind kinds[] = {
	{"received", "Đã tiếp nhận hồ sơ", {DOSSIER_NAMES, "appointment", NULL},
	 {DOSSIER_SAMPLE, "appointment", "08/12/2026 16:30", NULL}},
	{"supplement", "Yêu cầu bổ sung giấy tờ", {DOSSIER_NAMES, "missing", "reason", NULL},
	 {DOSSIER_SAMPLE, "missing", "Bản sao giấy chứng nhận kết hôn", "reason", "Thiếu giấy tờ", NULL}},
	{"refused", "Từ chối tiếp nhận hoặc giải quyết", {DOSSIER_NAMES, "reason", NULL},
	 {DOSSIER_SAMPLE, "reason", "Hồ sơ không thuộc thẩm quyền của xã", NULL}},
	{"apology", "Xin lỗi, hẹn lại ngày trả", {DOSSIER_NAMES, "reason", "new_date", NULL},
	 {DOSSIER_SAMPLE, "reason", "Cần xác minh thêm", "new_date", "15/12/2026 16:30", NULL}},
	{"result_ready", "Đã có kết quả", {DOSSIER_NAMES, NULL}, {DOSSIER_SAMPLE, NULL}},
	{"returned", "Đã trả kết quả", {DOSSIER_NAMES, NULL}, {DOSSIER_SAMPLE, NULL}},
	{"otp", "Mã đăng nhập một lần", {"code", "minutes", "agency", NULL},
	 {"code", "482913", "minutes", "5", "agency", "UBND xã Mẫu", NULL}},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

const struct app_notify_kind *
app_notify_kinds(size_t *n)
{
	*n = NKINDS;
	return kinds;
}

static const struct app_notify_kind *
kind_of(const char *key)
{
	for (size_t i = 0; key && i < NKINDS; i++)
		if (strcmp(kinds[i].key, key) == 0)
			return &kinds[i];
	return NULL;
}

static int
channel_ok(const char *ch)
{
	return ch && (strcmp(ch, "email") == 0 || strcmp(ch, "sms") == 0);
}

const char *
app_notify_template_of(enum dfsm_action act)
{
	switch (act) {
	case DFSM_A_RECEIVE: return "received";
	case DFSM_A_REQUEST_SUPPLEMENT: return "supplement";
	case DFSM_A_REFUSE_INTAKE:
	case DFSM_A_REFUSE: return "refused";
	case DFSM_A_APOLOGIZE: return "apology";
	case DFSM_A_RESULT_READY: return "result_ready";
	case DFSM_A_RETURN: return "returned";
	default: return NULL;
	}
}

void
app_notify_batch(struct app *a, struct app_notify_batch *b, const char *tmpl,
                 const struct app_notify_facts *x)
{
	memset(b, 0, sizeof *b);
	if (x->appointment)
		vn_fmt_datetime(x->appointment, b->appointment, sizeof b->appointment);
	if (x->new_date)
		vn_fmt_datetime(x->new_date, b->new_date, sizeof b->new_date);
	size_t used = 0;
	for (size_t i = 0; i < x->nmissing && used < sizeof b->missing; i++) {
		int w = snprintf(b->missing + used, sizeof b->missing - used, "%s%s", i ? "; " : "", x->missing[i]);
		used += w > 0 ? (size_t)w : 0;
	}
	const char **v = b->vars;
	const char *pairs[] = {"name", x->name, "procedure", x->procedure, "agency", a->agency.name,
	                       "appointment", b->appointment, "new_date", b->new_date, "reason",
	                       x->reason, "missing", b->missing};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i += 2) {
		*v++ = pairs[i];
		*v++ = pairs[i + 1] ? pairs[i + 1] : "";
	}
	*v = NULL;
	assert(v < b->vars + sizeof b->vars / sizeof b->vars[0]);
	/* an SMS reaches a mobile only; an address the intake checked */
	if (x->phone && ident_phone_kind(x->phone) == IDENT_PHONE_MOBILE)
		b->msgs[b->n++] = (struct store_outbox_msg){"sms", x->phone, tmpl, b->vars, 0, NULL};
	if (x->email && *x->email && validate_email(x->email))
		b->msgs[b->n++] = (struct store_outbox_msg){"email", x->email, tmpl, b->vars, 0, NULL};
}

/* ---- messages of their own ------------------------------------------------ */

enum err
app_notify_direct(struct app *a, const char *channel, const char *to, const char *tmpl,
                  const char *const *vars, int secret, struct app_fail *f)
{
	assert(a != NULL);
	if (!channel_ok(channel))
		return app_fail(f, ERR_INVALID_FIELD, "channel", "kênh gửi phải là sms hoặc email");
	char rcpt[328];
	if (strcmp(channel, "sms") == 0) {
		if (!to || ident_phone_normalize(to, rcpt, sizeof rcpt) != IDENT_OK ||
		    ident_phone_kind(rcpt) != IDENT_PHONE_MOBILE)
			return app_fail(f, ERR_INVALID_FIELD, "to", "số điện thoại di động không hợp lệ");
	} else if (!to || !validate_email(to)) {
		return app_fail(f, ERR_INVALID_FIELD, "to", "địa chỉ thư điện tử không hợp lệ");
	} else {
		snprintf(rcpt, sizeof rcpt, "%s", to);
	}
	if (!kind_of(tmpl))
		return app_fail(f, ERR_INVALID_FIELD, "template", "mẫu tin nhắn không tồn tại");
	const char *all[40];
	size_t n = 0;
	for (size_t i = 0; vars && vars[i] && vars[i + 1] && n + 4 < 40; i += 2) {
		all[n++] = vars[i];
		all[n++] = vars[i + 1];
	}
	all[n++] = "agency";
	all[n++] = a->agency.name;
	all[n] = NULL;
	unsigned char rnd[16];
	char key[48], hex[33];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	snprintf(key, sizeof key, "direct:%s", hex);
	struct store_outbox_msg m = {channel, rcpt, tmpl, all, secret != 0, key};
	enum err e = store_outbox_put(a->st, &m, (int64_t)time(NULL), NULL);
	if (e == ERR_NOT_FOUND)
		return app_fail(f, ERR_INVALID_FIELD, "template", "mẫu tin nhắn không tồn tại");
	if (!e)
		app_notify_wake(a);
	return e;
}

/* ---- templates -------------------------------------------------------------- */

static int
is_admin(const struct actor *ac)
{
	return ac && (ac->role & ROLE_ADMIN);
}

enum err
app_notify_templates(struct app *a, const struct actor *ac,
                     int (*fn)(const struct store_msg_template *, void *), void *arg)
{
	if (!is_admin(ac))
		return ERR_FORBIDDEN;
	return store_msg_template_each(a->st, fn, arg);
}

enum err
app_notify_template(struct app *a, const struct actor *ac, const char *key, const char *channel,
                    struct store_msg_template *out)
{
	memset(out, 0, sizeof *out);
	if (!is_admin(ac))
		return ERR_FORBIDDEN;
	if (!kind_of(key) || !channel_ok(channel))
		return ERR_NOT_FOUND;
	return store_msg_template_get(a->st, key, channel, out);
}

/* Checks one text of a template: length in characters, only line breaks
 * among control characters (when lines), the kind's names; a CR before an
 * LF is dropped (into out, n bytes). */
static enum err
check_text(const struct app_notify_kind *k, const char *field, const char *label, const char *in,
           size_t max, int lines, char *out, size_t n, struct app_fail *f)
{
	size_t len = strlen(in), o = 0;
	if (len >= n || text_length(in, len) > max) {
		char m[160];
		snprintf(m, sizeof m, "%s dài quá %zu ký tự", label, max);
		return app_fail(f, ERR_INVALID_FIELD, field, m);
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '\r' && in[i + 1] == '\n')
			continue;
		if ((c < ' ' && !(lines && c == '\n')) || c == 0x7f) {
			char m[160];
			snprintf(m, sizeof m, "%s chứa ký tự điều khiển%s", label, lines ? "" : " hoặc xuống dòng");
			return app_fail(f, ERR_INVALID_FIELD, field, m);
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	char bad[MSG_NAME_MAX + 1];
	if (msg_names_ok(out, k->names, bad, sizeof bad) != 0) {
		char m[200];
		snprintf(m, sizeof m, "%s dùng {{%s}}, mẫu này không có giá trị đó", label, bad);
		return app_fail(f, ERR_INVALID_FIELD, field, m);
	}
	return ERR_OK;
}

enum err
app_notify_template_set(struct app *a, const struct actor *ac, const char *key, const char *channel,
                        const char *subject, const char *body, struct app_fail *f)
{
	if (!is_admin(ac))
		return ERR_FORBIDDEN;
	const struct app_notify_kind *k = kind_of(key);
	if (!k || !channel_ok(channel))
		return ERR_NOT_FOUND;
	int email = strcmp(channel, "email") == 0;
	subject = subject ? subject : "";
	body = body ? body : "";
	size_t sl, bl;
	text_trim(subject, strlen(subject), &sl);
	if (email && sl == 0)
		return app_fail(f, ERR_MISSING_FIELD, "subject", "thư điện tử cần tiêu đề");
	if (!email && *subject)
		return app_fail(f, ERR_INVALID_FIELD, "subject", "tin nhắn SMS không có tiêu đề");
	text_trim(body, strlen(body), &bl);
	if (bl == 0)
		return app_fail(f, ERR_MISSING_FIELD, "body", "nội dung không được để trống");
	char subj[1024];
	char *b = malloc(strlen(body) + 1);
	if (!b)
		return ERR_NOMEM;
	enum err e = check_text(k, "subject", "Tiêu đề", subject, 300, 0, subj, sizeof subj, f);
	if (!e)
		e = check_text(k, "body", "Nội dung", body, 4000, 1, b, strlen(body) + 1, f);
	if (!e)
		e = store_msg_template_set(a->st, ac->name, key, channel, subj, b, (int64_t)time(NULL));
	free(b);
	return e;
}

void
app_notify_preview(struct app *a, const char *key, const char *subject, const char *body,
                   struct buf *subject_out, struct buf *body_out)
{
	/* the kind's sample dossier, with this agency's own name */
	const struct app_notify_kind *k = kind_of(key);
	const char *vars[20];
	size_t n = 0;
	for (size_t i = 0; k && k->sample[i] && k->sample[i + 1] && n + 3 < 20; i += 2) {
		vars[n++] = k->sample[i];
		vars[n++] = strcmp(k->sample[i], "agency") == 0 ? a->agency.name : k->sample[i + 1];
	}
	vars[n] = NULL;
	msg_render(subject_out, subject ? subject : "", vars);
	msg_render(body_out, body ? body : "", vars);
}

/* ---- the delivery log --------------------------------------------------------- */

static const char *const state_labels[][2] = {
	{"queued", "Đang chờ gửi"}, {"sending", "Đang gửi"}, {"sent", "Đã gửi"}, {"failed", "Gửi thất bại"},
};

const char *
app_notify_state_label(const char *state)
{
	for (size_t i = 0; state && i < sizeof state_labels / sizeof state_labels[0]; i++)
		if (strcmp(state_labels[i][0], state) == 0)
			return state_labels[i][1];
	return "";
}

struct log_arg {
	int (*fn)(const struct store_outbox_row *, void *);
	void *arg;
};

/* Hides a secret body before anyone sees the row. */
static int
log_row(const struct store_outbox_row *r, void *arg)
{
	struct log_arg *l = arg;
	if (!r->secret)
		return l->fn(r, l->arg);
	struct store_outbox_row shown = *r;
	shown.body = (char *)(uintptr_t)APP_NOTIFY_SECRET_SHOWN;
	return l->fn(&shown, l->arg);
}

enum err
app_notify_log(struct app *a, const struct actor *ac, const char *state, int limit,
               int (*fn)(const struct store_outbox_row *, void *), void *arg, int64_t *total)
{
	if (!is_admin(ac))
		return ERR_FORBIDDEN;
	if (state && *state && !app_notify_state_label(state)[0])
		return ERR_INVALID_FIELD;
	struct log_arg l = {fn, arg};
	return store_outbox_list(a->st, state, limit, log_row, &l, total);
}

/* ---- configuration -------------------------------------------------------------- */

void
app_notify_config_default(struct app_notify_config *c, const char *data_dir)
{
	memset(c, 0, sizeof *c);
	snprintf(c->dir, sizeof c->dir, "%s/messages", data_dir);
	snprintf(c->sms_method, sizeof c->sms_method, "POST");
	c->backoff_base = 30;
	c->backoff_cap = 3600;
	c->max_attempts = 20;
}

int
app_notify_parse_backoff(const char *s, int64_t *base, int64_t *cap)
{
	char *end;
	long b = strtol(s, &end, 10), c = b < 120 ? b * 120 : 3600;
	if (end == s || b < 1 || b > 86400)
		return -1;
	if (*end == ',') {
		const char *m = end + 1;
		c = strtol(m, &end, 10);
		if (end == m || c < b || c > 86400)
			return -1;
	}
	if (*end)
		return -1;
	*base = b;
	*cap = c < b ? b : c;
	return 0;
}

/* The first line of path (without its line break) into out. */
static int
read_line(const char *path, char *out, size_t n, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "không đọc được tệp %.300s: %s", path, strerror(errno));
		return -1;
	}
	int ok = fgets(out, (int)n, fp) != NULL;
	fclose(fp);
	if (!ok)
		out[0] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

int
app_notify_read_auth(const char *path, char *user, size_t un, char *pass, size_t pn, char *err,
                     size_t errlen)
{
	char line[600];
	if (read_line(path, line, sizeof line, err, errlen) != 0)
		return -1;
	char *colon = strchr(line, ':');
	if (!colon || colon == line || (size_t)(colon - line) >= un || strlen(colon + 1) >= pn) {
		sodium_memzero(line, sizeof line);
		snprintf(err, errlen, "tệp %.300s phải có một dòng dạng tên:mật_khẩu", path);
		return -1;
	}
	*colon = '\0';
	snprintf(user, un, "%s", line);
	snprintf(pass, pn, "%s", colon + 1);
	sodium_memzero(line, sizeof line);
	return 0;
}

int
app_notify_read_headers(const char *path, char *out, size_t n, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "không đọc được tệp %.300s: %s", path, strerror(errno));
		return -1;
	}
	char line[1024];
	size_t used = 0;
	int bad = 0;
	out[0] = '\0';
	while (!bad && fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		const char *colon = strchr(line, ':');
		size_t len = strlen(line);
		if (!colon || colon == line || used + len + 2 > n)
			bad = 1;
		else
			used += (size_t)snprintf(out + used, n - used, "%s\n", line);
	}
	fclose(fp);
	sodium_memzero(line, sizeof line);
	if (bad) {
		snprintf(err, errlen, "tệp %.300s phải có các dòng dạng Tên-tiêu-đề: giá trị", path);
		return -1;
	}
	return 0;
}

/* ---- the worker ------------------------------------------------------------------ */

/* Delivers one claimed row and records its outcome. */
static void
deliver(struct app_notify *nt, struct store_outbox_row *r)
{
	const struct app_notify_config *c = &nt->cfg;
	char why[512] = "";
	enum app_gw_result g = app_notify_deliver(c, nt->app->agency.name, r, why, sizeof why);
	int64_t now = (int64_t)time(NULL);
	const char *state = "sent";
	int64_t next = r->next_at;
	if (g == APP_GW_RETRY && r->attempts >= c->max_attempts) {
		state = "failed";
		size_t l = strlen(why);
		snprintf(why + l, sizeof why - l, " (đã thử %d lần)", r->attempts);
	} else if (g == APP_GW_RETRY) {
		state = "queued";
		next = now + msg_backoff(r->attempts, c->backoff_base, c->backoff_cap);
	} else if (g == APP_GW_FAILED) {
		state = "failed";
	}
	enum err e;
	for (int i = 0; i < 5; i++) {   /* the store busy for long: a second, again */
		e = store_outbox_finish(nt->app->st, r->id, state, now, next, g == APP_GW_SENT ? "" : why);
		if (e != ERR_BUSY)
			break;
		sleep(1);
	}
	if (e)   /* the row stays "sending": the next start sends it again */
		fprintf(stderr, "motcua: thông báo %lld: không ghi được kết quả gửi: %s\n", (long long)r->id,
		        err_message(e));
	if (g != APP_GW_SENT)   /* never the body: it may be a one-time code */
		fprintf(stderr, "motcua: thông báo %lld (%s): %s\n", (long long)r->id, r->channel, why);
}

static int
stopping(struct app_notify *nt)
{
	pthread_mutex_lock(&nt->lock);
	int s = nt->stop;
	pthread_mutex_unlock(&nt->lock);
	return s;
}

/* Sleeps until at (Unix seconds) at the latest, or until woken or
 * stopped; at most a minute, so a changed wall clock is followed.  1 when
 * stopping. */
static int
sleep_until(struct app_notify *nt, int64_t at)
{
	int64_t wait = at - (int64_t)time(NULL);
	wait = wait < 0 ? 0 : wait > 60 ? 60 : wait;
	pthread_mutex_lock(&nt->lock);
	if (!nt->stop && !nt->kicked && wait > 0) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += (time_t)wait;
		pthread_cond_timedwait(&nt->wake, &nt->lock, &ts);
	}
	nt->kicked = 0;
	int stop = nt->stop;
	pthread_mutex_unlock(&nt->lock);
	return stop;
}

/* Delivers what is due, then sleeps until the next message is due (or a
 * new one is written); a store error pauses it a second, never spins. */
static void *
worker(void *arg)
{
	struct app_notify *nt = arg;
	for (;;) {
		struct store_outbox_row r;
		enum err e = ERR_NOT_FOUND;
		while (!stopping(nt) && (e = store_outbox_claim(nt->app->st, (int64_t)time(NULL), &r)) == ERR_OK) {
			deliver(nt, &r);
			store_outbox_row_free(&r);
		}
		int64_t now = (int64_t)time(NULL), next = 0;
		if (e != ERR_OK && e != ERR_NOT_FOUND)
			next = now + 1;
		else if (store_outbox_next(nt->app->st, &next) != ERR_OK || next == 0)
			next = next ? next : now + 60;
		if (sleep_until(nt, next > now ? next : now))
			return NULL;
	}
}

int
app_notify_start(struct app *a, const struct app_notify_config *c, char *err, size_t errlen)
{
	assert(!a->notify);
	if (mkdir(c->dir, 0750) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "không tạo được thư mục thông báo %.300s: %s", c->dir, strerror(errno));
		return -1;
	}
	int64_t n = 0;
	enum err e = store_outbox_recover(a->st, (int64_t)time(NULL), &n);
	if (e) {
		snprintf(err, errlen, "không đọc được hàng đợi thông báo: %s", err_message(e));
		return -1;
	}
	if (n)
		fprintf(stderr, "motcua: %lld thông báo đang gửi dở khi máy dừng sẽ được gửi lại\n", (long long)n);
	struct app_notify *nt = calloc(1, sizeof *nt);
	if (!nt || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(nt);
		snprintf(err, errlen, "hết bộ nhớ");
		return -1;
	}
	nt->app = a;
	nt->cfg = *c;
	pthread_mutex_init(&nt->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&nt->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&nt->thread, NULL, worker, nt) != 0) {
		pthread_cond_destroy(&nt->wake);
		pthread_mutex_destroy(&nt->lock);
		free(nt);
		curl_global_cleanup();
		snprintf(err, errlen, "không khởi động được luồng gửi thông báo");
		return -1;
	}
	a->notify = nt;
	return 0;
}

void
app_notify_wake(struct app *a)
{
	struct app_notify *nt = a->notify;
	if (!nt)
		return;
	pthread_mutex_lock(&nt->lock);
	nt->kicked = 1;
	pthread_cond_signal(&nt->wake);
	pthread_mutex_unlock(&nt->lock);
}

void
app_notify_stop(struct app *a)
{
	struct app_notify *nt = a->notify;
	if (!nt)
		return;
	pthread_mutex_lock(&nt->lock);
	nt->stop = 1;
	pthread_cond_signal(&nt->wake);
	pthread_mutex_unlock(&nt->lock);
	pthread_join(nt->thread, NULL);
	pthread_cond_destroy(&nt->wake);
	pthread_mutex_destroy(&nt->lock);
	sodium_memzero(&nt->cfg, sizeof nt->cfg);
	free(nt);
	a->notify = NULL;
	curl_global_cleanup();
}
