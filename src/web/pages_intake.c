/*
 * pages_intake.c — receiving a dossier at the desk (/mot-cua/tiep-nhan):
 * the procedure picker with the clerk's quick search, the checklist and
 * the applicant form; the posted form is read into the service's struct
 * (app_dossier_receive), and a refused form comes back with what was typed.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/dossier.h"
#include "core/text.h"
#include "app/catalog.h"
#include "core/deadline.h"
#include "core/proc_json.h"
#include "web/desk.h"
#include "web/web.h"

static const char *
fv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->form, name);
	return v ? v : "";
}

static const char *
qv(struct http_req *req, const char *name)
{
	const char *v = form_get(&req->query, name);
	return v ? v : "";
}

struct proc_pick {
	json_t *a;
	const char *selected;
};

/* Every published procedure can be received: one without a verified time
 * limit is marked, its appointment is set by the clerk (by_hand). */
static int
pick_add(struct store_proc *p, void *arg)
{
	struct proc_pick *pp = arg;
	int by_hand = !p->proc.time_limit.same_day && p->proc.time_limit.days < 0;
	json_array_append_new(pp->a, json_pack("{s:s,s:s,s:s,s:b,s:b}", "code", p->code, "name",
	    p->proc.name, "field", p->proc.field, "by_hand", by_hand,
	    "selected", pp->selected && strcmp(pp->selected, p->code) == 0));
	return 0;
}

/* The picker's entry for code, or NULL (not published). */
static json_t *
pick_find(json_t *procs, const char *code)
{
	size_t i;
	json_t *v;
	json_array_foreach(procs, i, v)
		if (strcmp(json_string_value(json_object_get(v, "code")), code) == 0)
			return v;
	return NULL;
}

static void
hit_add(json_t *hits, json_t *v)
{
	if (v && !pick_find(hits, json_string_value(json_object_get(v, "code"))))
		json_array_append(hits, v);
}

/* The picker's entry whose code or name is exactly what was typed
 * (folded: case, tones, runs of spaces), or NULL. */
static json_t *
quick_exact(json_t *procs, const char *fq)
{
	size_t i;
	json_t *v;
	json_array_foreach(procs, i, v) {
		char *fc = text_fold(json_string_value(json_object_get(v, "code")));
		char *fn = text_fold(json_string_value(json_object_get(v, "name")));
		int same = (fc && strcmp(fc, fq) == 0) || (fn && strcmp(fn, fq) == 0);
		free(fc);
		free(fn);
		if (same)
			return v;
	}
	return NULL;
}

struct quick_rank {
	json_t *procs, *hits;
};

static int
quick_ranked(struct store_proc *p, void *arg)
{
	struct quick_rank *r = arg;
	hit_add(r->hits, pick_find(r->procs, p->code));
	return 0;
}

/* The clerk's quick search over the picker: "ks", "khai sinh",
 * "chung thuc". An exact code or name picks that procedure (*pcode);
 * anything else lists the matches to pick from: the catalogue's ranking
 * first (the phrase in the name before shared words, fts_vi.c), then the
 * names whose words or initials match (text_quick_match) it did not find. */
static void
add_quick(struct http_req *req, json_t *d, json_t *procs, const char **pcode)
{
	const char *quick = qv(req, "tim");
	if (!*quick || strlen(quick) > 100)
		return;
	char *fq = text_fold(quick);
	json_t *hits = json_array(), *exact = fq && *fq ? quick_exact(procs, fq) : NULL;
	if (exact) {
		hit_add(hits, exact);
		if (!(*pcode && **pcode))
			*pcode = json_string_value(json_object_get(exact, "code"));
	} else if (fq && *fq) {
		struct quick_rank r = {procs, hits};
		struct app_catalog_query q = {.text = quick, .online_level = PROC_ONLINE_UNSET, .limit = 50};
		app_catalog_list(&((struct web_app *)req->app)->core, NULL, &q, quick_ranked, &r, NULL);
		for (int score = 3; score >= 1; score--) {
			size_t i;
			json_t *v;
			json_array_foreach(procs, i, v) {
				char *fn = text_fold(json_string_value(json_object_get(v, "name")));
				if (fn && text_quick_match(fn, fq) == score)
					hit_add(hits, v);
				free(fn);
			}
		}
	}
	free(fq);
	json_object_set_new(d, "quick", json_pack("{s:s,s:o,s:I}", "q", quick, "hits", hits, "n",
	                                          (json_int_t)json_array_size(hits)));
}

/* The checklist as the form shows it: ticked, form and count as posted
 * (or the procedure's defaults on a fresh form). */
static void
add_checklist(struct http_req *req, json_t *p, int posted)
{
	json_t *docs = json_object_get(p, "documents");
	size_t i;
	json_t *v;
	json_array_foreach(docs, i, v) {
		char k[40];
		json_object_set_new(v, "i", json_integer((json_int_t)i));
		snprintf(k, sizeof k, "doc_%zu_received", i);
		json_object_set_new(v, "checked", json_boolean(!posted || form_get(&req->form, k)));
		snprintf(k, sizeof k, "doc_%zu_form", i);
		const char *f = posted ? fv(req, k) : json_string_value(json_object_get(v, "form"));
		if (!f || !*f)
			f = "copy";
		json_object_set_new(v, "is_original", json_boolean(strcmp(f, "original") == 0));
		json_object_set_new(v, "is_copy", json_boolean(strcmp(f, "copy") == 0));
		json_object_set_new(v, "is_present", json_boolean(strcmp(f, "present") == 0));
		snprintf(k, sizeof k, "doc_%zu_count", i);
		json_int_t qn = json_integer_value(json_object_get(v, "count"));
		char cnt[24];
		snprintf(cnt, sizeof cnt, "%lld", (long long)(qn > 0 ? qn : 1));
		json_object_set_new(v, "count", json_string(posted ? fv(req, k) : cnt));
	}
}

/* What was typed, to fill the form again. */
static json_t *
typed_fields(struct http_req *req, json_t *p, int posted)
{
	json_t *amount = json_object_get(json_object_get(p, "fee"), "amount");
	char fee[32] = "0";
	if (json_is_integer(amount))
		snprintf(fee, sizeof fee, "%lld", (long long)json_integer_value(amount));
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:b}",
	    "name", fv(req, "name"), "id_number", fv(req, "id_number"), "dob", fv(req, "dob"),
	    "phone", fv(req, "phone"), "email", fv(req, "email"), "address", fv(req, "address"),
	    "rep_name", fv(req, "rep_name"), "rep_id", fv(req, "rep_id"), "rep_phone",
	    fv(req, "rep_phone"), "rep_relation", fv(req, "rep_relation"), "fee",
	    posted ? fv(req, "fee") : fee, "note", fv(req, "note"), "copies",
	    posted ? fv(req, "copies") : "1", "male", strcmp(fv(req, "sex"), "male") == 0,
	    "female", strcmp(fv(req, "sex"), "female") == 0, "online",
	    strcmp(fv(req, "channel"), "online") == 0, "post", strcmp(fv(req, "channel"), "post") == 0,
	    "counter", !posted || strcmp(fv(req, "channel"), "counter") == 0);
	/* how the fee was settled: the select re-shows the choice */
	static const char *const pays[] = {"unpaid", "exempt", "cash", "bank", "online"};
	json_t *pay = json_object();
	for (size_t i = 0; o && i < sizeof pays / sizeof pays[0]; i++)
		json_object_set_new(pay, pays[i], json_boolean(strcmp(fv(req, "thanh_toan"), pays[i]) == 0));
	json_object_set_new(o, "pay", pay);
	json_object_set_new(o, "receipt_no", json_string(fv(req, "so_bien_lai")));
	return o;
}

/* The picked procedure's form; *status 400 for an unknown code. */
static enum err
add_procedure(struct http_req *req, json_t *d, const char *pcode, int *status)
{
	struct web_app *app = req->app;
	struct store_proc sp;
	enum err e = app_catalog_get(&app->core, NULL, pcode, 0, &sp);
	if (e == ERR_NOT_FOUND) {
		json_object_set_new(d, "error", json_pack("{s:s,s:s}", "message",
		    "Không có thủ tục đang công bố với mã này.", "code", "procedure_not_published"));
		*status = 400;
		return ERR_OK;
	}
	if (e)
		return e;
	json_t *p = proc_to_json(&sp.proc);
	store_proc_free(&sp);
	if (!p)
		return ERR_NOMEM;
	int posted = req->form.n > 0;
	if (app_due_by_hand_needed(&app->core, pcode, NULL)) {
		/* no verified time limit: the clerk sets the appointment, not
		 * before today (the service checks the day and the hours) */
		char today[16];
		cal_format_ymd(vn_day((int64_t)time(NULL)), today, sizeof today);
		json_object_set_new(d, "hand", json_pack("{s:s,s:s,s:s,s:i}", "date", fv(req, "due_date"),
		    "time", fv(req, "due_time"), "min", today, "max_days", DL_HAND_MAX_DAYS));
	}
	add_checklist(req, p, posted);
	json_object_set_new(d, "f", typed_fields(req, p, posted));
	json_object_set_new(d, "proc", p);
	return ERR_OK;
}

/* One token per filled-in form: sending it twice receives one dossier. */
static void
add_token(struct http_req *req, json_t *d)
{
	char token[40];
	const char *posted = req->form.n > 0 ? fv(req, "submission") : "";
	if (*posted && app_submission_key_ok(posted) == 0) {
		snprintf(token, sizeof token, "%s", posted);
	} else {
		unsigned char rnd[18];
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2base64(token, sizeof token, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	}
	json_object_set_new(d, "submission", json_string(token));
}

/* The intake page: the procedure picker, then (once one is picked) its
 * checklist and the applicant form; e and f re-show a refused form. */
static enum err
intake_page(struct http_req *req, struct http_resp *resp, int status, const char *pcode, enum err e,
            const struct app_fail *f)
{
	struct web_app *app = req->app;
	json_t *d = web_page_data(req, resp, "Tiếp nhận hồ sơ");
	if (!d)
		return ERR_NOMEM;
	struct proc_pick pp = {json_array(), pcode};
	struct app_catalog_query pq = {.online_level = PROC_ONLINE_UNSET, .limit = 1000};
	int64_t total;
	enum err le = app_catalog_list(&app->core, NULL, &pq, pick_add, &pp, &total);
	if (!le) {
		add_quick(req, d, pp.a, &pcode);
		if (pcode && *pcode)
			le = add_procedure(req, d, pcode, &status);
	}
	json_object_set_new(d, "procedures", pp.a);
	if (le) {
		json_decref(d);
		return le;
	}
	if (e)   /* the message in Vietnamese words only: no internal field names */
		json_object_set_new(d, "error", json_pack("{s:s,s:s,s:s}", "message", err_message(e), "code",
		                                          err_code(e), "detail", f ? f->msg : ""));
	add_token(req, d);
	resp->status = status;
	return web_render(req, resp, "desk_intake", d);
}

enum err
desk_intake(struct http_req *req, struct http_resp *resp)
{
	return intake_page(req, resp, 200, qv(req, "thu_tuc"), ERR_OK, NULL);
}


/* The checklist lines of the form (doc_N_name, _received, _form, _count). */
static enum err
read_docs(struct http_req *req, struct app_doc *docs, size_t *n, struct app_fail *f)
{
	long v;
	for (*n = 0; *n < 100; (*n)++) {
		char k[40];
		size_t i = *n;
		snprintf(k, sizeof k, "doc_%zu_name", i);
		const char *dn = form_get(&req->form, k);
		if (!dn)
			break;
		struct app_doc *d = &docs[i];
		*d = (struct app_doc){.name = dn, .form = 0, .count = 1};
		snprintf(k, sizeof k, "doc_%zu_received", i);
		d->received = form_get(&req->form, k) != NULL;
		snprintf(k, sizeof k, "doc_%zu_form", i);
		for (int j = 0; app_doc_form_names[j]; j++)
			if (strcmp(fv(req, k), app_doc_form_names[j]) == 0)
				d->form = j;
		snprintf(k, sizeof k, "doc_%zu_count", i);
		if (*fv(req, k) && web_parse_int(fv(req, k), 0, 100, &v) != 0)
			return app_fail(f, ERR_INVALID_FIELD, "documents", "số bản của mỗi giấy tờ từ 0 đến 100");
		if (*fv(req, k))
			d->count = (int)v;
	}
	return ERR_OK;
}

static const char *
opt(struct http_req *req, const char *name)
{
	const char *v = fv(req, name);
	return *v ? v : NULL;
}

/* The posted intake form into in. */
static enum err
read_intake(struct http_req *req, struct app_intake *in, struct app_doc *docs, struct app_fail *f)
{
	in->procedure_code = fv(req, "procedure_code");
	in->applicant = (struct app_person){fv(req, "name"), opt(req, "id_number"), opt(req, "dob"), -1,
	                                    opt(req, "phone"), opt(req, "email"), opt(req, "address")};
	for (int j = 0; app_sex_names[j]; j++)
		if (strcmp(fv(req, "sex"), app_sex_names[j]) == 0)
			in->applicant.sex = j;
	for (int j = 0; app_channel_names[j]; j++)
		if (strcmp(fv(req, "channel"), app_channel_names[j]) == 0)
			in->channel = j;
	if (opt(req, "rep_name") || opt(req, "rep_id") || opt(req, "rep_phone"))
		in->rep = (struct app_rep){fv(req, "rep_name"), opt(req, "rep_id"), opt(req, "rep_phone"),
		                           opt(req, "rep_relation")};
	in->note = opt(req, "note");
	in->hold = strcmp(fv(req, "intake"), "hold") == 0;
	/* a held dossier gets its appointment when it is received */
	enum err e;
	if (!in->hold && (e = desk_hand_due(req, "due_at", &in->due_by_hand, f)) != ERR_OK)
		return e;
	in->key = opt(req, "submission");
	in->fee = -1;
	long n;
	if (opt(req, "fee")) {
		if (web_parse_int(fv(req, "fee"), 0, 1000000000, &n) != 0)
			return app_fail(f, ERR_INVALID_FIELD, "fee", "lệ phí là số đồng, không âm, không có dấu chấm");
		in->fee = n;
	}
	if ((e = desk_read_payment(req, &in->pay, f)) != ERR_OK)
		return e;
	in->docs = docs;
	return read_docs(req, docs, &in->ndocs, f);
}

enum err
desk_intake_post(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	struct app_intake in = {0};
	struct app_doc docs[100];
	struct app_fail f = {"", ""};
	struct app_dossier_brief b;
	struct actor ac;
	web_actor_of(req, &ac);
	enum err e = read_intake(req, &in, docs, &f);
	if (!e)
		e = app_dossier_receive(&app->core, &ac, &in, &b, &f);
	if (e == ERR_NOMEM || e == ERR_INTERNAL || e == ERR_BUSY)
		return e;
	if (e)
		return intake_page(req, resp, err_status(e), in.procedure_code, e, &f);
	char loc[160];
	snprintf(loc, sizeof loc, "/mot-cua/ho-so/%s?ok=%s", b.code,
	         b.replayed ? "resent" : in.hold ? "hold" : "receive");
	http_redirect(resp, loc);
	return ERR_OK;
}
