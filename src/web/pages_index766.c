/*
 * pages_index766.c — the Decision 766 service index (REFORM.md §1):
 *   /bao-cao/chi-so-766         leaders, inspectors, admin: the five
 *                               groups, every indicator with numerator,
 *                               denominator, ratio and points, by period
 *                               and procedure, each count a link to its
 *                               dossiers; the index's on-time rule beside
 *                               DOMAIN decision 6's;
 *   /bao-cao/chi-so-766/ho-so   the dossiers behind one count;
 *   /chi-so-phuc-vu             the public dashboard: the agency's on-time
 *                               rate, satisfaction and group scores by
 *                               month (no dossier, no person), cached.
 * Charts are server-rendered SVG bars (role="img", title and desc) with the
 * same figures in a table beside them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/index766.h"
#include "core/deadline.h"
#include "web/pagecache.h"
#include "web/web.h"

/* "93,50" (2 decimals, comma). */
static void
fmt2(double v, char *out, size_t n)
{
	snprintf(out, n, "%.2f", v);
	char *dot = strchr(out, '.');
	if (dot)
		*dot = ',';
}

static void
fmt_pct(int64_t num, int64_t den, char *out, size_t n)
{
	if (den <= 0) {
		snprintf(out, n, "—");
		return;
	}
	fmt2(100.0 * (double)num / (double)den, out, n);
	size_t l = strlen(out);
	snprintf(out + l, n - l, "%%");
}

static const char *
src_label(const char *s)
{
	return strcmp(s, "V") == 0 ? "[V]" : strcmp(s, "NV") == 0 ? "[NV]" : "[I]";
}

/* The period and procedure as read from the query, canonical. */
struct period {
	cal_day from, to;
	char tu[16], den[16], tu_label[16], den_label[16];
	char proc[48];
	const char *bad;
};

static void
read_period(struct http_req *req, struct period *p, cal_day def_from, cal_day def_to)
{
	memset(p, 0, sizeof *p);
	const char *from_s = form_get(&req->query, "tu"), *to_s = form_get(&req->query, "den");
	const char *proc = form_get(&req->query, "thu_tuc");
	p->from = def_from;
	p->to = def_to;
	if (from_s && *from_s && cal_parse_ymd(from_s, &p->from) != 0)
		p->bad = "Ngày phải có dạng năm-tháng-ngày (ví dụ 2026-11-01).";
	if (to_s && *to_s && cal_parse_ymd(to_s, &p->to) != 0)
		p->bad = "Ngày phải có dạng năm-tháng-ngày (ví dụ 2026-11-01).";
	if (proc && strlen(proc) < sizeof p->proc)
		snprintf(p->proc, sizeof p->proc, "%s", proc);
	else if (proc)
		p->bad = "Mã thủ tục quá dài.";
	cal_format_ymd(p->from, p->tu, sizeof p->tu);
	cal_format_ymd(p->to, p->den, sizeof p->den);
	vn_day_short(p->from, p->tu_label, sizeof p->tu_label);
	vn_day_short(p->to, p->den_label, sizeof p->den_label);
}

/* A horizontal bar chart: one bar per row, value of max, drawn in black
 * and white (outline + solid fill), with its title and description. */
struct bar {
	const char *label;
	double value, max;
};

static json_t *
chart_json(const char *title, const char *desc, const struct bar *b, size_t n)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		double f = b[i].max > 0 ? b[i].value / b[i].max : 0;
		if (f > 1)
			f = 1;
		char v[24], m[24];
		fmt2(b[i].value, v, sizeof v);
		fmt2(b[i].max, m, sizeof m);
		json_array_append_new(rows, json_pack("{s:s,s:i,s:i,s:i,s:i,s:s,s:s}", "label", b[i].label, "y",
		                                      (int)(i * 34 + 6), "ty", (int)(i * 34 + 26), "w", (int)(f * 300 + 0.5),
		                                      "h", 22, "value", v, "max", m));
	}
	return json_pack("{s:s,s:s,s:o,s:i}", "title", title, "desc", desc, "rows", rows, "height", (int)(n * 34 + 12));
}

/* The query part every link repeats. */
static void
link_base(const struct period *p, char *out, size_t n)
{
	snprintf(out, n, "tu=%s&den=%s%s%s", p->tu, p->den, p->proc[0] ? "&thu_tuc=" : "", p->proc);
}

static json_t *
groups_json(const struct app_i766 *r, const struct period *p, json_t **chart)
{
	char base[200];
	link_base(p, base, sizeof base);
	json_t *groups = json_array();
	struct bar bars[5];
	char glabels[5][120];
	for (int g = 0; g < 5; g++) {
		json_t *ind = json_array();
		for (size_t i = 0; i < r->n; i++) {
			const struct app_i766_figure *fg = &r->fig[i];
			const struct i766_indicator *in = fg->in;
			if (in->group != g + 1)
				continue;
			char num[24], den[24], ratio[24], pts[24], max[24], target[24], href_n[300], href_d[300];
			snprintf(num, sizeof num, "%lld", (long long)fg->num);
			snprintf(den, sizeof den, "%lld", (long long)fg->den);
			if (in->complement)
				fmt_pct(fg->den - fg->num, fg->den, ratio, sizeof ratio);
			else
				fmt_pct(fg->num, fg->den, ratio, sizeof ratio);
			fmt2(fg->points, pts, sizeof pts);
			fmt2(in->max, max, sizeof max);
			snprintf(target, sizeof target, "%.0f%%", in->target * 100);
			snprintf(href_n, sizeof href_n, "/bao-cao/chi-so-766/ho-so?chi_so=%s&phan=tu&%s", in->id, base);
			snprintf(href_d, sizeof href_d, "/bao-cao/chi-so-766/ho-so?chi_so=%s&phan=mau&%s", in->id, base);
			int computed = in->how == I766_COMPUTED;
			json_array_append_new(ind, json_pack(
			    "{s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:b,s:b}", "id", in->id, "label",
			    in->label, "rule", in->ratio, "src", src_label(in->source), "computed", computed, "national",
			    in->how == I766_NATIONAL, "not_recorded", in->how == I766_NOT_RECORDED, "num", num, "den", den,
			    "ratio", ratio, "points", fg->defined ? pts : "—", "max", in->max > 0 ? max : "—", "target",
			    target, "links", computed && fg->per_dossier, "href_num", href_n, "href_den", href_d,
			    "bad_count", in->complement != 0, "none_full", computed && !fg->den && in->none_full));
		}
		char pts[24], max[24];
		fmt2(r->group_points[g], pts, sizeof pts);
		fmt2(i766_groups[g].max, max, sizeof max);
		snprintf(glabels[g], sizeof glabels[g], "%d. %s", g + 1, i766_groups[g].label);
		bars[g] = (struct bar){glabels[g], r->group_points[g], i766_groups[g].max};
		json_array_append_new(groups, json_pack("{s:i,s:s,s:s,s:s,s:o}", "no", g + 1, "label", i766_groups[g].label,
		                                        "points", pts, "max", max, "indicators", ind));
	}
	*chart = chart_json("Điểm của năm nhóm chỉ số",
	                    "Mỗi thanh là điểm đạt được của một nhóm so với điểm tối đa của nhóm; số liệu như bảng dưới.",
	                    bars, 5);
	return groups;
}

/* Quick periods: this month, the previous month, this quarter, this year. */
static json_t *
quick_json(int64_t now, const char *proc)
{
	cal_day first, today;
	vn_month_so_far(now, &first, &today);
	int y, m, d;
	cal_ymd(today, &y, &m, &d);
	int pm = m == 1 ? 12 : m - 1, py = m == 1 ? y - 1 : y;
	int qm = (m - 1) / 3 * 3 + 1;
	struct {
		const char *label;
		cal_day from, to;
	} q[] = {
		{"Tháng này", first, today},
		{"Tháng trước", cal_day_from_ymd(py, pm, 1), first - 1},
		{"Quý này", cal_day_from_ymd(y, qm, 1), today},
		{"Năm nay", cal_day_from_ymd(y, 1, 1), today},
	};
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		char f[16], t[16], href[200];
		cal_format_ymd(q[i].from, f, sizeof f);
		cal_format_ymd(q[i].to, t, sizeof t);
		snprintf(href, sizeof href, "/bao-cao/chi-so-766?tu=%s&den=%s%s%s", f, t, proc[0] ? "&thu_tuc=" : "", proc);
		json_array_append_new(a, json_pack("{s:s,s:s}", "label", q[i].label, "href", href));
	}
	return a;
}

enum err
page_index766(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t now = (int64_t)time(NULL);
	cal_day first, today;
	vn_month_so_far(now, &first, &today);
	struct period p;
	read_period(req, &p, first, today);
	struct app_i766 r;
	memset(&r, 0, sizeof r);
	struct app_fail f = {"", ""};
	if (!p.bad) {
		struct actor ac;
		web_actor_of(req, &ac);
		struct app_i766_query q = {p.from, p.to, p.proc};
		enum err e = app_index766(&app->core, &ac, &q, now, &r, &f);
		if (e == ERR_OUT_OF_RANGE)
			p.bad = f.msg;
		else if (e)
			return e;
	}
	json_t *dd = web_page_data(req, resp, "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766)");
	if (!dd)
		return ERR_NOMEM;
	json_t *chart = NULL, *groups = NULL;
	char total[24] = "", judge[40] = "", dom[24], idx[24];
	if (!p.bad) {
		groups = groups_json(&r, &p, &chart);
		fmt2(r.total, total, sizeof total);
		vn_fmt_datetime(r.judge, judge, sizeof judge);
	}
	const struct app_i766_figure *f21 = NULL;
	for (size_t i = 0; i < r.n; i++)
		if (strcmp(r.fig[i].in->id, "2.1") == 0)
			f21 = &r.fig[i];
	fmt_pct(r.domain_on_time, r.domain_den, dom, sizeof dom);
	fmt_pct(f21 ? f21->num : 0, f21 ? f21->den : 0, idx, sizeof idx);
	json_object_set_new(dd, "r", json_pack("{s:b,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:I,s:I}",
	    "ok", !p.bad, "tu", p.tu, "den", p.den, "tu_label", p.tu_label, "den_label", p.den_label, "thu_tuc", p.proc,
	    "version", I766_VERSION, "total", total, "judge", judge, "groups", groups ? groups : json_array(), "chart",
	    chart ? chart : json_object(), "quick", quick_json(now, p.proc), "domain_rate", dom, "index_rate", idx,
	    "index_on_time", (json_int_t)(f21 ? f21->num : 0), "domain_on_time", (json_int_t)r.domain_on_time));
	if (p.bad) {
		json_object_set_new(dd, "error", json_string(p.bad));
		resp->status = 400;
	}
	return web_render(req, resp, "index766", dd);
}

struct codes {
	json_t *a;
	size_t n;
};

static int
add_code(const char *code, void *arg)
{
	struct codes *c = arg;
	c->n++;
	if (json_array_size(c->a) < 2000)
		json_array_append_new(c->a, json_string(code));
	return 0;
}

enum err
page_index766_dossiers(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t now = (int64_t)time(NULL);
	cal_day first, today;
	vn_month_so_far(now, &first, &today);
	struct period p;
	read_period(req, &p, first, today);
	const char *id = form_get(&req->query, "chi_so");
	const char *part = form_get(&req->query, "phan");
	int numerator = part && strcmp(part, "tu") == 0;
	const struct i766_indicator *in = i766_find(id);
	struct codes c = {json_array(), 0};
	struct app_fail f = {"", ""};
	enum err e = ERR_OK;
	if (!in)
		p.bad = "Không có chỉ số này.";
	if (!p.bad) {
		struct actor ac;
		web_actor_of(req, &ac);
		struct app_i766_query q = {p.from, p.to, p.proc};
		e = app_index766_dossiers(&app->core, &ac, &q, now, id, numerator, add_code, &c, &f);
		if (e == ERR_OUT_OF_RANGE || e == ERR_NOT_FOUND) {
			p.bad = f.msg;
			e = ERR_OK;
		}
	}
	if (e) {
		json_decref(c.a);
		return e;
	}
	json_t *dd = web_page_data(req, resp, "Hồ sơ của một chỉ số (Quyết định 766)");
	if (!dd) {
		json_decref(c.a);
		return ERR_NOMEM;
	}
	char base[200], back[260];
	link_base(&p, base, sizeof base);
	snprintf(back, sizeof back, "/bao-cao/chi-so-766?%s", base);
	const char *what = !in ? "" : numerator ? (in->complement ? "Hồ sơ trễ hạn theo cách tính của chỉ số hoặc bị đánh giá không hài lòng" : "Tử số: hồ sơ đạt") : "Mẫu số: hồ sơ được tính";
	json_object_set_new(dd, "r", json_pack("{s:b,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:b}", "ok", !p.bad, "id",
	                                       in ? in->id : "", "label", in ? in->label : "", "what", what, "tu_label",
	                                       p.tu_label, "den_label", p.den_label, "back", back, "codes", c.a, "count",
	                                       (json_int_t)c.n, "more", c.n > json_array_size(c.a)));
	if (p.bad) {
		json_object_set_new(dd, "error", json_string(p.bad));
		resp->status = 400;
	}
	return web_render(req, resp, "index766_dossiers", dd);
}

/* ---- the public dashboard (/chi-so-phuc-vu) -------------------------------- */

static json_t *
pct_or_dash(const struct app_i766_figure *f)
{
	char s[16];
	if (!f || !f->defined)
		return json_string("—");
	snprintf(s, sizeof s, "%.1f%%", f->ratio * 100);
	for (char *p = s; *p; p++)
		if (*p == '.')
			*p = ',';
	return json_string(s);
}

static json_t *
points_text(double v)
{
	char s[16];
	snprintf(s, sizeof s, "%.2f", v);
	for (char *p = s; *p; p++)
		if (*p == '.')
			*p = ',';
	return json_string(s);
}

static const struct app_i766_figure *
figure(const struct app_i766 *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->fig[i].in && !strcmp(r->fig[i].in->id, id))
			return &r->fig[i];
	return NULL;
}

static enum err
render_public(struct http_req *req, struct http_resp *resp)
{
	struct web_app *app = req->app;
	int64_t now = (int64_t)time(NULL);
	struct vn_tm t;
	vn_local(now, &t);
	long year = t.year;
	const char *y = form_get(&req->query, "nam");
	if (y && *y && web_parse_int(y, 2000, t.year, &year) != 0)
		return ERR_NOT_FOUND;
	int last = year == t.year ? t.month : 12;
	json_t *months = json_array();
	for (int m = 1; m <= last; m++) {
		struct app_i766_query q = {.from = cal_day_from_ymd((int)year, m, 1),
		                           .to = (m == 12 ? cal_day_from_ymd((int)year + 1, 1, 1)
		                                          : cal_day_from_ymd((int)year, m + 1, 1)) - 1};
		struct app_i766 r;
		struct app_fail f = {"", ""};
		enum err e = app_index766_public(&app->core, &q, now, &r, &f);
		if (e) {
			json_decref(months);
			return e;
		}
		json_t *groups = json_array();
		for (int g = 0; g < 5; g++)
			json_array_append_new(groups, json_pack("{s:i,s:o}", "no", g + 1, "v", points_text(r.group_points[g])));
		char label[24];
		snprintf(label, sizeof label, "Tháng %02d/%ld", m, year);
		const struct app_i766_figure *ontime = figure(&r, "2.1"), *sat = figure(&r, "5.4");
		json_array_append_new(months, json_pack("{s:s,s:o,s:o,s:I,s:o,s:o}", "label", label, "on_time",
		                                        pct_or_dash(ontime), "satisfaction", pct_or_dash(sat),
		                                        "received", (json_int_t)(ontime ? ontime->den : 0), "groups",
		                                        groups, "total", points_text(r.total)));
	}
	json_t *heads = json_array();
	for (int g = 0; g < 5; g++)
		json_array_append_new(heads, json_pack("{s:i,s:s,s:o}", "no", i766_groups[g].no, "label",
		                                        i766_groups[g].label, "max", points_text(i766_groups[g].max)));
	json_t *d = web_page_data(req, resp, "Chỉ số phục vụ người dân");
	if (!d) {
		json_decref(months);
		json_decref(heads);
		return ERR_NOMEM;
	}
	json_object_set_new(d, "year", json_integer(year));
	json_object_set_new(d, "months", months);
	json_object_set_new(d, "groups", heads);
	json_object_set_new(d, "version", json_string(I766_VERSION));
	return web_render(req, resp, "index766_public", d);
}

/* GET /chi-so-phuc-vu[?nam=YYYY] — anyone; the page cache keeps it a minute */
enum err
page_index766_public(struct http_req *req, struct http_resp *resp)
{
	return web_cached(req, resp, render_public);
}
