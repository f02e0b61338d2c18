/*
 * test_store.c — the store suite: every operation of store/store.h and
 * store/news.h, through those headers alone (no SQL, no sqlite3.h), on a
 * temporary data folder, so a second backend (PostgreSQL) can run the
 * same suite.  Each test opens a fresh folder; assertions are on values
 * read back, not only on return codes.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "store/news.h"
#include "store/store.h"

#define HASH "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"

struct fx {
	char dir[64];
	struct store *st;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/motcua-store-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char err[512];
	if (store_open(&f->st, f->dir, err, sizeof err) != 0)
		return -1;
	if (store_init(f->st, "UBND xã Thử", "000.00.00.H38", 1, "admin", HASH) != ERR_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	int rc = system(cmd);
	free(f);
	return rc;
}

/* ---- one snapshot for several reads -------------------------------------- */

struct snap {
	struct store *st;
	int before, after;         /* what the snapshot saw of "snap.user" */
};

static void *
writer(void *arg)
{
	struct store_user u = {.active = 1};
	snprintf(u.username, sizeof u.username, "snap.user");
	snprintf(u.full_name, sizeof u.full_name, "Người Ghi");
	snprintf(u.role, sizeof u.role, "clerk");
	snprintf(u.pwhash, sizeof u.pwhash, HASH);
	return (void *)(intptr_t)store_user_create(arg, "cli", &u, NULL);
}

static enum err
snap_reads(void *arg)
{
	struct snap *s = arg;
	struct store_user u;
	s->before = store_user_by_name(s->st, "snap.user", &u) == ERR_OK;
	pthread_t t;
	void *rc;
	/* another thread writes and commits while this snapshot is open */
	if (pthread_create(&t, NULL, writer, s->st) != 0 || pthread_join(t, &rc) != 0 || rc)
		return ERR_INTERNAL;
	s->after = store_user_by_name(s->st, "snap.user", &u) == ERR_OK;
	return ERR_CONFLICT;   /* handed back as it is */
}

static void
test_snapshot(void **state)
{
	struct fx *f = *state;
	struct snap s = {.st = f->st};
	assert_int_equal(store_snapshot(f->st, snap_reads, &s), ERR_CONFLICT);
	assert_int_equal(s.before, 0);
	assert_int_equal(s.after, 0);   /* the same snapshot: the new row is not seen */
	struct store_user u;
	assert_int_equal(store_user_by_name(f->st, "snap.user", &u), ERR_OK);
}

/* ---- open, init, agency ------------------------------------------------- */

static void
test_open_init(void **state)
{
	struct fx *f = *state;
	assert_string_equal(store_dir(f->st), f->dir);
	assert_true(store_schema_version(f->st) >= 9);
	assert_true(store_db_size(f->st) > 0);
	struct store_agency ag;
	assert_int_equal(store_agency_get(f->st, &ag), ERR_OK);
	assert_string_equal(ag.name, "UBND xã Thử");
	assert_string_equal(ag.code, "000.00.00.H38");
	assert_int_equal(ag.demo, 1);
	static const unsigned char zero[32];
	assert_memory_not_equal(ag.secret, zero, 32);
	assert_int_equal(store_init(f->st, "X", "Y", 0, "admin2", HASH), ERR_EXISTS);
	/* the existing-only mode refuses a folder without a database and creates nothing */
	char empty[64], err[512];
	struct store *st2 = NULL;
	snprintf(empty, sizeof empty, "/tmp/motcua-store-XXXXXX");
	assert_non_null(mkdtemp(empty));
	assert_int_equal(store_open_mode(&st2, empty, STORE_EXISTING, err, sizeof err), -1);
	assert_non_null(strstr(err, "motcua.db"));
	assert_int_equal(rmdir(empty), 0);   /* still empty */
	/* and opens an existing one: the same agency */
	assert_int_equal(store_open_mode(&st2, f->dir, STORE_EXISTING, err, sizeof err), 0);
	struct store_agency ag2;
	assert_int_equal(store_agency_get(st2, &ag2), ERR_OK);
	assert_memory_equal(ag2.secret, ag.secret, 32);
	store_close(st2);
	/* a fresh folder has no agency */
	snprintf(empty, sizeof empty, "/tmp/motcua-store-XXXXXX");
	assert_non_null(mkdtemp(empty));
	assert_int_equal(store_open(&st2, empty, err, sizeof err), 0);
	assert_int_equal(store_agency_get(st2, &ag2), ERR_NOT_FOUND);
	store_close(st2);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", empty);
	assert_int_equal(system(cmd), 0);
}

/* ---- users and sessions ------------------------------------------------------ */

static int
collect_names(const struct store_user *u, void *arg)
{
	strcat(arg, u->username);
	strcat(arg, ",");
	return 0;
}

static void
test_users(void **state)
{
	struct fx *f = *state;
	struct store_user u = {.active = 1}, got;
	snprintf(u.username, sizeof u.username, "lan.clerk");
	snprintf(u.full_name, sizeof u.full_name, "Nguyễn Thị Lan");
	snprintf(u.role, sizeof u.role, "clerk");
	snprintf(u.unit, sizeof u.unit, "Bộ phận một cửa");
	snprintf(u.pwhash, sizeof u.pwhash, HASH);
	int64_t id = 0;
	assert_int_equal(store_user_create(f->st, "cli", &u, &id), ERR_OK);
	assert_true(id > 1);
	assert_int_equal(store_user_create(f->st, "cli", &u, NULL), ERR_EXISTS);
	assert_int_equal(store_user_by_name(f->st, "lan.clerk", &got), ERR_OK);
	assert_int_equal(got.id, id);
	assert_string_equal(got.full_name, "Nguyễn Thị Lan");
	assert_string_equal(got.role, "clerk");
	assert_string_equal(got.unit, "Bộ phận một cửa");
	assert_string_equal(got.pwhash, HASH);
	assert_int_equal(got.active, 1);
	assert_true(got.created_at > 0);
	assert_int_equal(store_user_by_name(f->st, "khong.co", &got), ERR_NOT_FOUND);
	assert_int_equal(store_user_update(f->st, "cli", id, "Nguyễn Lan", "officer", "Tư pháp"), ERR_OK);
	assert_int_equal(store_user_by_id(f->st, id, &got), ERR_OK);
	assert_string_equal(got.role, "officer");
	assert_string_equal(got.unit, "Tư pháp");
	assert_string_equal(got.full_name, "Nguyễn Lan");
	assert_int_equal(store_user_update(f->st, "cli", 9999, "x", "clerk", ""), ERR_NOT_FOUND);
	assert_int_equal(store_user_set_password(f->st, "cli", id, "$argon2id$other"), ERR_OK);
	assert_int_equal(store_user_by_id(f->st, id, &got), ERR_OK);
	assert_string_equal(got.pwhash, "$argon2id$other");
	char names[256] = "";
	assert_int_equal(store_user_each(f->st, collect_names, names), ERR_OK);
	assert_string_equal(names, "admin,lan.clerk,");

	/* sessions: live, extended, ended by disabling the account */
	unsigned char h[32] = {1, 2, 3};
	int64_t now = (int64_t)time(NULL);
	struct store_session s = {id, now - 120, now - 120, now + 1800, now + 36000}, gs;
	assert_int_equal(store_session_create(f->st, h, &s, "127.0.0.1", "user:lan.clerk", "web"), ERR_OK);
	assert_int_equal(store_session_get(f->st, h, now, 1800, &gs, &got), ERR_OK);
	assert_int_equal(gs.user_id, id);
	assert_string_equal(got.username, "lan.clerk");
	assert_int_equal(gs.idle_expires_at, now + 1800);
	assert_int_equal(store_session_get(f->st, h, now + 1801, 1800, &gs, &got), ERR_UNAUTHENTICATED);
	assert_int_equal(store_user_set_active(f->st, "cli", id, 0), ERR_OK);
	assert_int_equal(store_session_get(f->st, h, now, 1800, &gs, &got), ERR_UNAUTHENTICATED);
	assert_int_equal(store_user_set_active(f->st, "cli", id, 1), ERR_OK);
	h[0] = 9;
	assert_int_equal(store_session_create(f->st, h, &s, "", "user:lan.clerk", "api"), ERR_OK);
	assert_int_equal(store_session_get(f->st, h, now, 1800, &gs, &got), ERR_OK);
	assert_int_equal(store_session_delete(f->st, h, "user:lan.clerk"), ERR_OK);
	assert_int_equal(store_session_get(f->st, h, now, 1800, &gs, &got), ERR_UNAUTHENTICATED);
	assert_int_equal(store_session_delete(f->st, h, "user:lan.clerk"), ERR_OK);   /* twice: nothing */
}

/* ---- calendar ---------------------------------------------------------------- */

static void
test_calendar(void **state)
{
	struct fx *f = *state;
	int64_t rev0, rev1;
	assert_int_equal(store_calendar_rev(f->st, &rev0), ERR_OK);
	struct store_holiday h = {.day = "2031-04-30", .work = 0, .name = "Nghỉ bù", .confidence = "V"};
	assert_int_equal(store_holiday_set(f->st, "cli", &h), ERR_OK);
	assert_int_equal(store_calendar_rev(f->st, &rev1), ERR_OK);
	assert_true(rev1 != rev0);
	assert_int_equal(store_holiday_year_complete(f->st, "cli", 2031, 1), ERR_OK);
	int hours[4] = {450, 690, 810, 1020};
	assert_int_equal(store_hours_set(f->st, "cli", hours), ERR_OK);
	struct store_calendar c;
	assert_int_equal(store_calendar_load(f->st, &c), ERR_OK);
	int found = 0, complete = 0;
	for (size_t i = 0; i < c.nrows; i++)
		if (strcmp(c.rows[i].day, "2031-04-30") == 0) {
			found = 1;
			assert_string_equal(c.rows[i].name, "Nghỉ bù");
			assert_int_equal(c.rows[i].work, 0);
		}
	for (size_t i = 0; i < c.ncomplete; i++)
		complete |= c.complete_years[i] == 2031;
	assert_true(found && complete);
	assert_memory_equal(c.hours, hours, sizeof hours);
	store_calendar_free(&c);
	assert_int_equal(store_holiday_delete(f->st, "cli", "2031-04-30"), ERR_OK);
	assert_int_equal(store_holiday_delete(f->st, "cli", "2031-04-30"), ERR_NOT_FOUND);
	/* an import replaces the years it names, all at once */
	struct store_holiday rows[2] = {{.day = "2032-01-02", .work = 0, .name = "Tết", .confidence = "V"},
	                                {.day = "2032-01-09", .work = 1, .name = "Làm bù", .confidence = "V"}};
	int years[1] = {2032}, comp[1] = {1};
	assert_int_equal(store_holiday_import(f->st, "cli", rows, 2, years, comp, 1, "2032.tsv"), ERR_OK);
	assert_int_equal(store_calendar_load(f->st, &c), ERR_OK);
	int n2032 = 0;
	for (size_t i = 0; i < c.nrows; i++)
		if (strncmp(c.rows[i].day, "2032", 4) == 0) {
			n2032++;
			if (strcmp(c.rows[i].day, "2032-01-09") == 0)
				assert_int_equal(c.rows[i].work, 1);
		}
	assert_int_equal(n2032, 2);
	store_calendar_free(&c);
}

/* ---- catalogue ----------------------------------------------------------------- */

struct codes {
	char s[512];
	int n;
};

static int
add_code(struct store_proc *p, void *arg)
{
	struct codes *c = arg;
	c->n++;
	strcat(c->s, p->code);
	strcat(c->s, ",");
	return 0;
}

static int
add_field(const char *field, int64_t n, void *arg)
{
	char *s = arg;
	char x[128];
	snprintf(x, sizeof x, "%s=%lld,", field, (long long)n);
	strcat(s, x);
	return 0;
}

/* A procedure with a name, field, online level, status and result. */
static void
mkproc(struct proc *p, const char *code, const char *name, const char *field,
       enum proc_online online, enum proc_status status, const char *result)
{
	assert_int_equal(proc_init(p), 0);
	proc_set(&p->code, code);
	proc_set(&p->name, name);
	proc_set(&p->field, field);
	proc_set(&p->result, result);
	p->online_level = online;
	p->status = status;
	assert_int_equal(proc_check(p, NULL), ERR_OK);
}

static void
put_procs(struct store *st)
{
	struct proc in[3];
	mkproc(&in[0], "1.001193", "Đăng ký khai sinh", "Hộ tịch", PROC_ONLINE_FULL, PROC_PUBLISHED,
	       "Giấy khai sinh");
	mkproc(&in[1], "1.004884", "Đăng ký lại khai sinh có yếu tố nước ngoài", "Hộ tịch",
	       PROC_ONLINE_UNSET, PROC_PUBLISHED, NULL);
	mkproc(&in[2], "2.000908", "Chứng thực bản sao từ bản chính", "Chứng thực", PROC_ONLINE_PARTIAL,
	       PROC_DRAFT, NULL);
	size_t changed = 0;
	assert_int_equal(store_proc_put(st, "cli", in, 3, "test", &changed), ERR_OK);
	assert_int_equal(changed, 3);
	assert_int_equal(store_proc_put(st, "cli", in, 3, "test", &changed), ERR_OK);
	assert_int_equal(changed, 0);   /* identical: nothing changes */
	for (int i = 0; i < 3; i++)
		proc_free(&in[i]);
}

static void
test_catalog(void **state)
{
	struct fx *f = *state;
	put_procs(f->st);
	struct store_proc p;
	assert_int_equal(store_proc_get(f->st, "1.001193", 1, &p), ERR_OK);
	assert_int_equal(p.version, 1);
	assert_string_equal(p.status, "published");
	assert_string_equal(p.proc.result, "Giấy khai sinh");
	assert_int_equal(p.proc.status, PROC_PUBLISHED);
	int64_t v1 = p.version_id;
	store_proc_free(&p);
	assert_int_equal(store_proc_get(f->st, "2.000908", 1, &p), ERR_NOT_FOUND);   /* a draft */
	assert_int_equal(store_proc_get(f->st, "2.000908", 0, &p), ERR_OK);
	assert_string_equal(p.status, "draft");
	store_proc_free(&p);
	/* editing a published version makes version 2 (a draft); publishing supersedes 1 */
	struct proc ed;
	mkproc(&ed, "1.001193", "Đăng ký khai sinh", "Hộ tịch", PROC_ONLINE_FULL, PROC_DRAFT, NULL);
	ed.fee.amount = 0;
	assert_int_equal(store_proc_put(f->st, "cli", &ed, 1, NULL, NULL), ERR_OK);
	proc_free(&ed);
	assert_int_equal(store_proc_get(f->st, "1.001193", 0, &p), ERR_OK);
	assert_int_equal(p.version, 2);
	assert_string_equal(p.status, "draft");
	store_proc_free(&p);
	assert_int_equal(store_proc_get(f->st, "1.001193", 1, &p), ERR_OK);
	assert_int_equal(p.version, 1);
	assert_int_equal(p.has_draft, 1);
	store_proc_free(&p);
	assert_int_equal(store_proc_set_status(f->st, "cli", "1.001193", "published"), ERR_OK);
	assert_int_equal(store_proc_version(f->st, v1, &p), ERR_OK);
	assert_string_equal(p.status, "superseded");
	assert_int_equal(p.proc.status, PROC_PUBLISHED);   /* a superseded version was published */
	assert_int_equal(p.version, 1);
	store_proc_free(&p);
	assert_int_equal(store_proc_version(f->st, 0, &p), ERR_NOT_FOUND);
	assert_int_equal(store_proc_set_status(f->st, "cli", "2.000908", "published"), ERR_OK);
	/* lists: all, by field, by level, by typed text (ranked), paged */
	struct codes c = {0};
	int64_t total = 0;
	struct store_proc_query q = {.published_only = 1, .limit = 10};
	assert_int_equal(store_proc_list(f->st, &q, add_code, &c, &total), ERR_OK);
	assert_int_equal(total, 3);
	assert_string_equal(c.s, "2.000908,1.001193,1.004884,");   /* Vietnamese order: C, Đ… */
	memset(&c, 0, sizeof c);
	q.field = "Hộ tịch";
	assert_int_equal(store_proc_list(f->st, &q, add_code, &c, &total), ERR_OK);
	assert_int_equal(total, 2);
	memset(&c, 0, sizeof c);
	q.field = NULL;
	q.online_level = "partial";
	assert_int_equal(store_proc_list(f->st, &q, add_code, &c, &total), ERR_OK);
	assert_string_equal(c.s, "2.000908,");
	q.online_level = NULL;
	const char *texts[] = {"dang ky khai sinh", "Đăng ký khai si", "khai sinh"};
	for (size_t i = 0; i < 3; i++) {
		memset(&c, 0, sizeof c);
		q.text = texts[i];
		assert_int_equal(store_proc_list(f->st, &q, add_code, &c, &total), ERR_OK);
		if (strncmp(c.s, "1.001193,", 9) != 0)
			fail_msg("%s: %s", texts[i], c.s);
	}
	memset(&c, 0, sizeof c);
	q.text = "\"* NEAR( :";   /* nothing searchable: nothing found, no error */
	assert_int_equal(store_proc_list(f->st, &q, add_code, &c, &total), ERR_OK);
	assert_int_equal(total, 0);
	assert_int_equal(c.n, 0);
	memset(&c, 0, sizeof c);
	q.text = NULL;
	q.limit = 1;
	q.offset = 1;
	assert_int_equal(store_proc_list(f->st, &q, add_code, &c, &total), ERR_OK);
	assert_int_equal(total, 3);
	assert_string_equal(c.s, "1.001193,");
	char fields[256] = "";
	assert_int_equal(store_proc_fields(f->st, add_field, fields), ERR_OK);
	assert_string_equal(fields, "Chứng thực=1,Hộ tịch=2,");
	assert_int_equal(store_proc_set_status(f->st, "cli", "9.999", "published"), ERR_NOT_FOUND);
}

/* ---- dossiers ------------------------------------------------------------------- */

static void
new_dossier(struct store *st, int dd, const char *name_key, const char *phone, char *code, size_t n)
{
	struct store_proc p;
	assert_int_equal(store_proc_get(st, "1.001193", 1, &p), ERR_OK);
	struct store_dossier_in in = {
		.agency = "000.00.00.H38", .yy = 2031, .mm = 5, .dd = dd, .procedure_version_id = p.version_id,
		.procedure_code = "1.001193", .procedure_name = "Đăng ký khai sinh", .channel = "counter",
		.applicant = "{\"name\":\"X\"}", .applicant_name = "Nguyễn Văn X", .applicant_key = name_key,
		.id_number = "001085012345", .phone = phone, .documents = "[]", .status = "received",
		.unit = "Tư pháp", .fee = 8000, .received_at = 1935000000 + dd * 86400, .due_at = 1935100000 + dd * 86400,
	};
	store_proc_free(&p);
	assert_int_equal(store_dossier_create(st, "user:lan.clerk", &in, code, n), ERR_OK);
}

struct evs {
	int n;
	char last_to[32], actions[256];
};

static int
add_event(const struct store_dossier_event *e, void *arg)
{
	struct evs *v = arg;
	v->n++;
	snprintf(v->last_to, sizeof v->last_to, "%s", e->to);
	strcat(v->actions, e->action);
	strcat(v->actions, ",");
	return 0;
}

static int
add_dcode(const struct store_dossier *d, void *arg)
{
	strcat(arg, d->code);
	strcat(arg, ",");
	return 0;
}

static int
top_one(const char *code, int64_t n, void *arg)
{
	char *s = arg;
	snprintf(s, 64, "%s=%lld", code, (long long)n);
	return 1;
}

static void
test_dossiers(void **state)
{
	struct fx *f = *state;
	put_procs(f->st);
	char c1[64], c2[64], c3[64];
	new_dossier(f->st, 1, "nguyen van an", "0912345678", c1, sizeof c1);
	new_dossier(f->st, 1, "tran thi binh", "0987654321", c2, sizeof c2);
	new_dossier(f->st, 2, "le van cuong", "0911111111", c3, sizeof c3);
	assert_string_equal(c1, "000.00.00.H38-310501-0001");
	assert_string_equal(c2, "000.00.00.H38-310501-0002");   /* gap-free per day */
	assert_string_equal(c3, "000.00.00.H38-310502-0001");
	struct store_dossier d;
	assert_int_equal(store_dossier_get(f->st, c1, &d), ERR_OK);
	assert_string_equal(d.status, "received");
	assert_int_equal(d.version, 1);
	assert_int_equal(d.fee, 8000);
	assert_string_equal(d.unit, "Tư pháp");
	assert_string_equal(d.phone, "0912345678");
	assert_string_equal(d.received_by, "user:lan.clerk");
	store_dossier_free(&d);
	assert_int_equal(store_dossier_get(f->st, "khong-co", &d), ERR_NOT_FOUND);
	/* create_once: a resend replays, another key is a new dossier */
	struct store_proc p;
	assert_int_equal(store_proc_get(f->st, "1.001193", 1, &p), ERR_OK);
	struct store_dossier_in in = {.agency = "000.00.00.H38", .yy = 2031, .mm = 5, .dd = 3,
	                              .procedure_version_id = p.version_id, .procedure_code = "1.001193",
	                              .channel = "online", .applicant = "{}", .applicant_name = "A",
	                              .applicant_key = "a", .documents = "[]", .status = "new",
	                              .received_at = 1935300000, .due_at = 0};
	store_proc_free(&p);
	char k1[64], k2[64], k3[64];
	int rep = -1;
	assert_int_equal(store_dossier_create_once(f->st, "user:x", "key-1", &in, k1, sizeof k1, &rep), ERR_OK);
	assert_int_equal(rep, 0);
	assert_int_equal(store_dossier_create_once(f->st, "user:x", "key-1", &in, k2, sizeof k2, &rep), ERR_OK);
	assert_int_equal(rep, 1);
	assert_string_equal(k1, k2);
	assert_int_equal(store_dossier_create_once(f->st, "user:y", "key-1", &in, k3, sizeof k3, &rep), ERR_OK);
	assert_int_equal(rep, 0);
	assert_string_not_equal(k1, k3);   /* a key is per sender */
	/* apply: at the expected version only */
	struct store_dossier_change ch = {.expected_version = 1, .action = "assign", .from_status = "received",
	                                  .status = "processing", .stage = "review", .event = "dossier.assign",
	                                  .unit = "Tư pháp", .due_at = 1935100000 + 86400, .assignee = 2,
	                                  .step_due = 1935090000, .at = 1935010000, .details = "{\"step_days\":1}"};
	assert_int_equal(store_dossier_apply(f->st, "user:lead", c1, &ch), ERR_OK);
	assert_int_equal(store_dossier_apply(f->st, "user:lead", c1, &ch), ERR_CONFLICT);   /* stale version */
	assert_int_equal(store_dossier_get(f->st, c1, &d), ERR_OK);
	assert_string_equal(d.status, "processing");
	assert_string_equal(d.stage, "review");
	assert_int_equal(d.version, 2);
	assert_int_equal(d.assignee, 2);
	store_dossier_free(&d);
	struct evs v = {0};
	assert_int_equal(store_dossier_events(f->st, c1, add_event, &v), ERR_OK);
	assert_int_equal(v.n, 2);
	assert_string_equal(v.actions, "receive,assign,");
	assert_string_equal(v.last_to, "processing");
	/* list: each member */
	char s[512] = "";
	int64_t total = 0;
	struct store_dossier_query q = {.phone = "0987654321"};
	assert_int_equal(store_dossier_list(f->st, &q, add_dcode, s, &total), ERR_OK);
	assert_int_equal(total, 1);
	assert_string_equal(s, "000.00.00.H38-310501-0002,");
	struct {
		struct store_dossier_query q;
		int64_t want;
	} cases[] = {
		{{.code = "000.00.00.H38-310502-0001"}, 1}, {{.id_number = "001085012345"}, 3},
		{{.name_key = "van"}, 2}, {{.name_key = "%"}, 0}, {{.statuses = "received,new"}, 4},
		{{.statuses = "processing"}, 1}, {{.stage = "review"}, 1}, {{.unit = "Tư pháp"}, 3},
		{{.assignee = 2}, 1}, {{.from = 1935000000 + 2 * 86400, .to = 1935000000 + 3 * 86400}, 1},
		{{.due_before = 1935100000 + 2 * 86400}, 4}, {{.due_from = 1935100000 + 2 * 86400}, 1},
		{{.name_key = "van", .statuses = "received"}, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(store_dossier_list(f->st, &cases[i].q, NULL, NULL, &total), ERR_OK);
		if (total != cases[i].want)
			fail_msg("case %zu: %lld, want %lld", i, (long long)total, (long long)cases[i].want);
	}
	s[0] = 0;
	q = (struct store_dossier_query){.statuses = "received,processing", .by_due = 1, .limit = 2};
	assert_int_equal(store_dossier_list(f->st, &q, add_dcode, s, &total), ERR_OK);
	assert_int_equal(total, 3);
	assert_string_equal(s, "000.00.00.H38-310501-0001,000.00.00.H38-310501-0002,");   /* same due: by id */
	/* the page after a cursor, in the due order and newest first */
	s[0] = 0;
	q = (struct store_dossier_query){.statuses = "received,processing", .by_due = 1, .limit = 1,
	                                 .after = "000.00.00.H38-310501-0001"};
	assert_int_equal(store_dossier_list(f->st, &q, add_dcode, s, &total), ERR_OK);
	assert_string_equal(s, "000.00.00.H38-310501-0002,");
	s[0] = 0;
	q = (struct store_dossier_query){.limit = 1, .after = "000.00.00.H38-310502-0001"};
	assert_int_equal(store_dossier_list(f->st, &q, add_dcode, s, &total), ERR_OK);
	assert_string_equal(s, "000.00.00.H38-310501-0002,");
	q.after = "000.00.00.H38-310509-0009";
	assert_int_equal(store_dossier_list(f->st, &q, add_dcode, s, &total), ERR_NOT_FOUND);
	/* a count that stops: count_max + 1 means "more" */
	q = (struct store_dossier_query){.statuses = "received,new", .count_max = 2};
	assert_int_equal(store_dossier_list(f->st, &q, NULL, NULL, &total), ERR_OK);
	assert_int_equal(total, 3);
	q.count_max = 10;
	assert_int_equal(store_dossier_list(f->st, &q, NULL, NULL, &total), ERR_OK);
	assert_int_equal(total, 4);
	/* a name part from the start of any word of the name, punctuation as
	 * a space; never from inside a word */
	struct {
		const char *key;
		int64_t want;
	} names[] = {{"an", 1}, {"van a", 1}, {"nguyen van an", 1}, {"(van)", 2}, {"uyen", 0}, {"van an x", 0}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		q = (struct store_dossier_query){.name_key = names[i].key};
		assert_int_equal(store_dossier_list(f->st, &q, NULL, NULL, &total), ERR_OK);
		if (total != names[i].want)
			fail_msg("name %s: %lld, want %lld", names[i].key, (long long)total, (long long)names[i].want);
	}
	/* two words of one name start alike: listed and counted once */
	char c4[64];
	new_dossier(f->st, 4, "nguyen thi nguyet", "0922222222", c4, sizeof c4);
	s[0] = 0;
	q = (struct store_dossier_query){.name_key = "nguy"};
	assert_int_equal(store_dossier_list(f->st, &q, add_dcode, s, &total), ERR_OK);
	assert_int_equal(total, 2);
	assert_string_equal(s, "000.00.00.H38-310504-0001,000.00.00.H38-310501-0001,");   /* by name */
	char top[64] = "";
	assert_int_equal(store_dossier_top_procedures(f->st, 0, 5, top_one, top), ERR_OK);
	assert_string_equal(top, "1.001193=6");
	/* ratings */
	char level[32];
	assert_int_equal(store_rating_get(f->st, c2, level, sizeof level), ERR_NOT_FOUND);
	assert_int_equal(store_rating_add(f->st, "applicant:x", c2, "satisfied", "tốt", 1935500000), ERR_OK);
	assert_int_equal(store_rating_add(f->st, "applicant:x", c2, "unsatisfied", "", 1935500001), ERR_EXISTS);
	assert_int_equal(store_rating_get(f->st, c2, level, sizeof level), ERR_OK);
	assert_string_equal(level, "satisfied");
	int64_t counts[3];
	assert_int_equal(store_rating_counts(f->st, 1935000000, 1936000000, counts), ERR_OK);
	assert_true(counts[0] == 0 && counts[1] == 1 && counts[2] == 0);
	assert_int_equal(store_rating_counts(f->st, 1935500001, 1936000000, counts), ERR_OK);
	assert_int_equal(counts[1], 0);
}

/* ---- files and attachments ------------------------------------------------------ */

static int
add_att(const struct store_attachment *a, void *arg)
{
	*(struct store_attachment *)arg = *a;
	return 0;
}

static void
test_files(void **state)
{
	struct fx *f = *state;
	put_procs(f->st);
	char code[64], sha[65], sha2[65];
	new_dossier(f->st, 4, "a", "0912000000", code, sizeof code);
	static const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n";
	assert_int_equal(store_file_put(f->st, pdf, sizeof pdf - 1, sha), ERR_OK);
	assert_int_equal(strlen(sha), 64);
	assert_int_equal(store_file_put(f->st, pdf, sizeof pdf - 1, sha2), ERR_OK);   /* stored once */
	assert_string_equal(sha, sha2);
	char *data;
	size_t len;
	assert_int_equal(store_file_get(f->st, sha, &data, &len), ERR_OK);
	assert_int_equal(len, sizeof pdf - 1);
	assert_memory_equal(data, pdf, len);
	free(data);
	assert_int_equal(store_file_get(f->st, "../motcua.db", &data, &len), ERR_NOT_FOUND);
	char path[200];
	snprintf(path, sizeof path, "%s/files/%.2s/%s", f->dir, sha, sha);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	/* a damaged copy is replaced by the next put of the same bytes */
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	fputc('X', fp);
	fclose(fp);
	assert_int_equal(store_file_put(f->st, pdf, sizeof pdf - 1, sha2), ERR_OK);
	assert_int_equal(store_file_get(f->st, sha, &data, &len), ERR_OK);
	assert_memory_equal(data, pdf, len);
	free(data);
	struct store_attachment a = {.size = (int64_t)(sizeof pdf - 1), .at = 1935000100};
	snprintf(a.sha256, sizeof a.sha256, "%s", sha);
	snprintf(a.name, sizeof a.name, "tờ khai.pdf");
	snprintf(a.mime, sizeof a.mime, "application/pdf");
	assert_int_equal(store_attachment_add(f->st, "user:lan.clerk", code, &a), ERR_OK);
	assert_int_equal(store_attachment_add(f->st, "user:lan.clerk", code, &a), ERR_EXISTS);
	assert_int_equal(store_attachment_add(f->st, "user:lan.clerk", "khong-co", &a), ERR_NOT_FOUND);
	struct store_attachment got = {0};
	assert_int_equal(store_attachments(f->st, code, add_att, &got), ERR_OK);
	assert_string_equal(got.sha256, sha);
	assert_string_equal(got.name, "tờ khai.pdf");
	assert_string_equal(got.actor, "user:lan.clerk");
	assert_int_equal(got.size, a.size);
}

/* ---- audit, check, backup ------------------------------------------------------------ */

static void
test_audit_check_backup(void **state)
{
	struct fx *f = *state;
	put_procs(f->st);
	char code[64], sha[65];
	new_dossier(f->st, 5, "a", "0912000001", code, sizeof code);
	assert_int_equal(store_file_put(f->st, "%PDF-x", 6, sha), ERR_OK);
	struct store_attachment a = {.size = 6, .at = 1};
	snprintf(a.sha256, sizeof a.sha256, "%s", sha);
	snprintf(a.name, sizeof a.name, "a.pdf");
	snprintf(a.mime, sizeof a.mime, "application/pdf");
	assert_int_equal(store_attachment_add(f->st, "u", code, &a), ERR_OK);
	assert_int_equal(store_audit_record(f->st, "user:admin", "backup.create", "backup:x", "{\"n\":1}"), ERR_OK);
	assert_int_equal(store_audit_record(f->st, "user:admin", "x", "y", "{bad"), ERR_BAD_JSON);
	struct store_check c;
	assert_int_equal(store_check(f->st, &c), ERR_OK);
	assert_true(c.integrity_ok && c.guards_ok && c.key_ok);
	assert_int_equal(c.first_bad, 0);
	assert_true(c.events > 5);
	assert_int_equal(c.events_keyed, c.events);   /* a fresh folder is keyed from event 1 */
	assert_int_equal(c.head_id, c.events);
	assert_int_equal(c.dossiers, 1);
	assert_int_equal(c.dossiers_bad, 0);
	assert_int_equal(c.accounts, 1);
	assert_int_equal(c.files, 1);
	assert_int_equal(c.files_bad, 0);
	assert_non_null(strstr(c.guard_tables, "dossier_events"));
	char h[65];
	assert_int_equal(store_audit_hash_at(f->st, c.head_id, h), ERR_OK);
	assert_string_equal(h, c.head_hash);
	assert_int_equal(store_audit_hash_at(f->st, c.head_id + 1, h), ERR_NOT_FOUND);
	/* the backup is one archive; the key is never in it */
	char tar[128], cmd[400];
	snprintf(tar, sizeof tar, "%s.tar", f->dir);
	struct store_backup_info info;
	char err[256];
	assert_int_equal(store_backup(f->st, tar, &info, err, sizeof err), ERR_OK);
	assert_int_equal(info.files, 1);
	assert_int_equal(info.missing, 0);
	assert_true(info.bytes > 0);
	assert_int_equal(store_backup(f->st, tar, &info, err, sizeof err), ERR_EXISTS);
	snprintf(cmd, sizeof cmd, "tar -tf '%s' | grep -c . | grep -qx 2 && ! tar -tf '%s' | grep -q audit.key", tar, tar);
	assert_int_equal(system(cmd), 0);
	unlink(tar);
	/* a missing file is found */
	snprintf(cmd, sizeof cmd, "rm '%s/files/%.2s/%s'", f->dir, sha, sha);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(store_check(f->st, &c), ERR_OK);
	assert_int_equal(c.files_bad, 1);
	assert_non_null(strstr(c.file_bad, "thiếu tệp"));
}

/* ---- news ------------------------------------------------------------------------------ */

static int
add_slug(const struct news_item *n, void *arg)
{
	strcat(arg, n->slug);
	strcat(arg, ",");
	return 0;
}

static int
add_month(int y, int m, int64_t n, void *arg)
{
	char x[32];
	snprintf(x, sizeof x, "%d-%02d=%lld,", y, m, (long long)n);
	strcat(arg, x);
	return 0;
}

static void
test_news(void **state)
{
	struct fx *f = *state;
	struct news_in in = {"Tiêm chủng mở rộng", "Lịch tiêm", "**Thứ Hai**", "Thứ Hai", "van-hoa-xa-hoi", "news",
	                     "published", 0};
	int64_t id1, id2;
	char slug[NEWS_SLUG_MAX + 8];
	assert_int_equal(store_news_create(f->st, "user:admin", &in, &id1, slug), ERR_OK);
	assert_string_equal(slug, "tiem-chung-mo-rong");
	assert_int_equal(store_news_create(f->st, "user:admin", &in, &id2, slug), ERR_OK);
	assert_string_equal(slug, "tiem-chung-mo-rong-2");
	struct news_in draft = {"Đường điện", "", "", "", "kinh-te", "announcement", "draft", 0};
	int64_t id3;
	assert_int_equal(store_news_create(f->st, "user:admin", &draft, &id3, NULL), ERR_OK);
	struct news_item n;
	assert_int_equal(store_news_by_slug(f->st, "duong-dien", 1, &n), ERR_NOT_FOUND);
	assert_int_equal(store_news_by_slug(f->st, "duong-dien", 0, &n), ERR_OK);
	assert_int_equal(n.published_at, 0);
	news_item_free(&n);
	assert_int_equal(store_news_set_status(f->st, "user:admin", id3, "published"), ERR_OK);
	assert_int_equal(store_news_set_status(f->st, "user:admin", id3, "gone"), ERR_INVALID_FIELD);
	assert_int_equal(store_news_by_id(f->st, id3, &n), ERR_OK);
	assert_string_equal(n.status, "published");
	assert_true(n.published_at > 0);
	news_item_free(&n);
	draft.title = "Đường điện mới";
	draft.status = "published";
	assert_int_equal(store_news_update(f->st, "user:admin", id3, &draft), ERR_OK);
	assert_int_equal(store_news_by_id(f->st, id3, &n), ERR_OK);
	assert_string_equal(n.title, "Đường điện mới");
	assert_string_equal(n.slug, "duong-dien");   /* the slug stays */
	int64_t first = n.published_at;
	news_item_free(&n);
	/* the date the editor sets replaces the publication instant; 0 keeps it */
	draft.published_at = 1505322000;   /* 2017-09-14 00:00 +07:00 */
	assert_int_equal(store_news_update(f->st, "user:admin", id3, &draft), ERR_OK);
	assert_int_equal(store_news_by_id(f->st, id3, &n), ERR_OK);
	assert_int_equal(n.published_at, 1505322000);
	news_item_free(&n);
	draft.published_at = 0;
	assert_int_equal(store_news_update(f->st, "user:admin", id3, &draft), ERR_OK);
	assert_int_equal(store_news_by_id(f->st, id3, &n), ERR_OK);
	assert_int_equal(n.published_at, 1505322000);
	assert_true(first > 1505322000);
	news_item_free(&n);
	assert_int_equal(store_news_update(f->st, "user:admin", 9999, &draft), ERR_NOT_FOUND);
	char s[512] = "";
	int64_t total = 0;
	struct news_query q = {.published_only = 1, .text = "duong dien"};
	assert_int_equal(store_news_list(f->st, &q, add_slug, s, &total), ERR_OK);
	assert_int_equal(total, 1);
	assert_string_equal(s, "duong-dien,");
	s[0] = 0;
	q = (struct news_query){.published_only = 1, .category = "van-hoa-xa-hoi", .exclude_id = id1};
	assert_int_equal(store_news_list(f->st, &q, add_slug, s, &total), ERR_OK);
	assert_string_equal(s, "tiem-chung-mo-rong-2,");
	s[0] = 0;
	q = (struct news_query){.published_only = 1, .text = "()*"};
	assert_int_equal(store_news_list(f->st, &q, add_slug, s, &total), ERR_OK);
	assert_int_equal(total, 0);
	s[0] = 0;
	q = (struct news_query){.kind = "announcement", .limit = 5};
	assert_int_equal(store_news_list(f->st, &q, add_slug, s, NULL), ERR_OK);
	assert_string_equal(s, "duong-dien,");
	s[0] = 0;
	assert_int_equal(store_news_months(f->st, add_month, s), ERR_OK);
	assert_non_null(strstr(s, "=2,"));             /* two this month, */
	assert_non_null(strstr(s, ",2017-09=1,"));     /* one dated by its editor */
	/* images: sniffed, stored in the one file store, served only as images */
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
	                                    0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde};
	char name[96];
	assert_int_equal(store_image_put(f->st, "user:admin", "<html>", 6, name, sizeof name), ERR_UNSUPPORTED_MEDIA);
	assert_int_equal(store_image_put(f->st, "user:admin", "%PDF-1.4 xxxxxxxxxx", 19, name, sizeof name),
	                 ERR_UNSUPPORTED_MEDIA);
	assert_int_equal(store_image_put(f->st, "user:admin", png, sizeof png, name, sizeof name), ERR_OK);
	assert_int_equal(strlen(name), 68);
	assert_string_equal(name + 64, ".png");
	char *data, path[200];
	size_t len;
	const char *mime;
	assert_int_equal(store_image_get(f->st, name, &data, &len, &mime), ERR_OK);
	assert_string_equal(mime, "image/png");
	assert_memory_equal(data, png, sizeof png);
	free(data);
	snprintf(path, sizeof path, "%s/files/%.2s/%.64s", f->dir, name, name);
	assert_int_equal(access(path, F_OK), 0);
	name[65] = 'j';   /* the same hash as another type */
	assert_int_equal(store_image_get(f->st, name, &data, &len, &mime), ERR_NOT_FOUND);
	/* a dossier scan in the file store is not an image to serve */
	char sha[65], fake[80];
	assert_int_equal(store_file_put(f->st, "\xFF\xD8\xFF\xE0 scan", 9, sha), ERR_OK);
	snprintf(fake, sizeof fake, "%s.jpg", sha);
	assert_int_equal(store_image_get(f->st, fake, &data, &len, &mime), ERR_NOT_FOUND);
	/* visits */
	int64_t v0, v1;
	assert_int_equal(store_visit_total(f->st, &v0), ERR_OK);
	assert_int_equal(store_visit_add(f->st, (int64_t)time(NULL), 1), ERR_OK);
	assert_int_equal(store_visit_add(f->st, (int64_t)time(NULL), 3), ERR_OK);
	assert_int_equal(store_visit_total(f->st, &v1), ERR_OK);
	assert_int_equal(v1, v0 + 4);
	struct store_check c;
	assert_int_equal(store_check(f->st, &c), ERR_OK);
	assert_int_equal(c.files, 1);   /* only files the database refers to: the image */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calendar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_catalog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dossiers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_check_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_news, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
