/*
 * The region's view of routes (docs/routes.md, "The region's view"): the
 * deficit map by competency, municipality, subject and education level, for
 * planning the region's programmes and course places; completion and the
 * re-diagnostic effect by resource; routes per tutor; the yearly figures
 * МР-4/02вн asks of a region; and the schools' mentoring beside Moscow-region
 * indicator 9. Each table is built once as JSON rows and written as JSON or
 * CSV from them, so the two never disagree.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "mms/kpi.h"
#include "route.h"

/* ---- tables ------------------------------------------------------------ */

typedef struct table {
	const char *const *cols;
	int ncols;
	json_object *rows;
	int rc;
} table;

static json_object *row_new(table *t)
{
	json_object *o = t->rc == MMS_OK ? json_object_new_object() : NULL;
	if (t->rc == MMS_OK && (!o || json_object_array_add(t->rows, o))) {
		json_object_put(o);
		t->rc = MMS_ENOMEM;
		return NULL;
	}
	return o;
}

static void put(table *t, json_object *row, const char *key, json_object *v)
{
	if (t->rc == MMS_OK && row && (!v || json_object_object_add(row, key, v))) {
		json_object_put(v);
		t->rc = MMS_ENOMEM;
	} else if (t->rc != MMS_OK || !row) {
		json_object_put(v);
	}
}

/* JSON null: json-c's NULL object. */
static void put_null(table *t, json_object *row, const char *key)
{
	if (t->rc == MMS_OK && row && json_object_object_add(row, key, NULL))
		t->rc = MMS_ENOMEM;
}

static void put_s(table *t, json_object *row, const char *key, const char *v)
{
	put(t, row, key, json_object_new_string(v ? v : ""));
}

static void put_i(table *t, json_object *row, const char *key, int64_t v)
{
	put(t, row, key, json_object_new_int64(v));
}

/* A share in percent with one decimal; undefined (0 / 0) is null. */
static void put_share(table *t, json_object *row, const char *key, double num, double den)
{
	if (den <= 0)
		put_null(t, row, key);
	else
		put(t, row, key, json_object_new_double(round(1000.0 * num / den) / 10.0));
}

static void csv_row(mms_buf *b, const table *t, json_object *row)
{
	for (int c = 0; c < t->ncols; c++) {
		json_object *v = NULL;
		json_object_object_get_ex(row, t->cols[c], &v);
		if (c)
			mms_buf_puts(b, ",");
		if (json_object_is_type(v, json_type_string))
			mms_route_csv_text(b, json_object_get_string(v));
		else if (v)
			mms_buf_puts(b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	}
	mms_buf_puts(b, "\n");
}

static void csv_of(mms_buf *b, const table *t)
{
	for (int c = 0; c < t->ncols; c++)
		mms_buf_printf(b, "%s%s", c ? "," : "", t->cols[c]);
	mms_buf_puts(b, "\n");
	for (size_t i = 0; i < json_object_array_length(t->rows); i++)
		csv_row(b, t, json_object_array_get_idx(t->rows, i));
}

/* ---- what every table needs -------------------------------------------- */

typedef struct view {
	mms_db *db;
	const mms_model *m;
	int32_t root, from, to; /* the subtree, the year's first and last days */
	route_ctx c;
} view;

static int view_init(view *v, mms_db *db, int32_t root, int year)
{
	memset(v, 0, sizeof *v);
	if (year < 1900 || year > 2100)
		return mms_db_fail(db, MMS_EINVAL, "year %d is not from 1900 to 2100", year);
	int rc = mms_db_ready_subtree(db, &root);
	if (rc != MMS_OK)
		return rc;
	char end[11];
	v->db = db;
	v->m = &db->m;
	v->root = root;
	v->from = mms_date_from_ymd(year, 1, 1);
	v->to = mms_date_from_ymd(year, 12, 31);
	mms_date_format(v->to, end);
	/* deficits and statuses as of the year's end, by Р-201's bands */
	return mms_route_ctx_init(&v->c, db, end, 60, 80);
}

static int within(const view *v, int32_t unit)
{
	return v->root < 0 || mms_index_within(&v->db->idx, v->root, unit);
}

/* The municipality a unit is in: the nearest unit of the municipal level
 * at or above it, or -1 (a regional centre's own staff). */
static int32_t municipality(const mms_model *m, int32_t unit)
{
	for (int32_t u = unit; u >= 0; u = mms_row(m, MMS_UNIT, u)[U_PARENT])
		if (mms_row(m, MMS_UNIT, u)[U_LEVEL] == LV_MUNICIPAL)
			return u;
	return -1;
}

/* Whether a route counts in the view's year: not cancelled, its period
 * meets the year, or, without a period, it was developed in the year. */
static int route_in_year(const view *v, int32_t route)
{
	const int32_t *rt = mms_row(v->m, MMS_ROUTE, route);
	if (!mms_db_readable(v->db, MMS_ROUTE, route) || v->c.route_status[route] == RS_CANCELLED)
		return 0;
	if (rt[RT_START] != MMS_NONE || rt[RT_END] != MMS_NONE)
		return (rt[RT_START] == MMS_NONE || rt[RT_START] <= v->to) &&
		       (rt[RT_END] == MMS_NONE || rt[RT_END] >= v->from);
	return rt[RT_DEVELOPED_ON] != MMS_NONE && rt[RT_DEVELOPED_ON] >= v->from &&
	       rt[RT_DEVELOPED_ON] <= v->to;
}

static int route_here(const view *v, int32_t route)
{
	int32_t staff = mms_row(v->m, MMS_ROUTE, route)[RT_STAFF];
	return route_in_year(v, route) && within(v, mms_row(v->m, MMS_STAFF, staff)[S_ORG]);
}

/* ---- deficits by competency, municipality, subject and level ----------- */

/* One person's result in one competency, where the map puts it; the codes
 * point into the model's pool, so cells sort by themselves. */
typedef struct cell {
	const char *comp, *muni, *subject;
	int32_t comp_id, level;
	int severity;
} cell;

static int by_cell(const void *a, const void *b)
{
	const cell *x = a, *y = b;
	int c = strcmp(x->comp, y->comp);
	if (!c)
		c = strcmp(x->muni, y->muni);
	if (!c)
		c = strcmp(x->subject, y->subject);
	return c ? c : x->level - y->level;
}

static const char *const deficit_cols[] = {"competency", "competency_name", "municipality",
					   "subject", "edu_level", "high", "medium", "minimal"};

static int deficits_table(view *v, table *t)
{
	const mms_model *m = v->m;
	cell *cells = NULL;
	size_t n = 0, cap = 0;
	int rc = MMS_OK;
	for (size_t s = 0; rc == MMS_OK && s < m->t[MMS_STAFF].count; s++) {
		const int32_t *st = mms_row(m, MMS_STAFF, (int32_t)s);
		if (!mms_db_readable(v->db, MMS_STAFF, (int32_t)s) || !within(v, st[S_ORG]) ||
		    (st[S_WORK_END] != MMS_NONE && st[S_WORK_END] < v->from))
			continue;
		result *r = NULL;
		size_t nr = 0;
		if ((rc = mms_route_results(&v->c, (int32_t)s, &r, &nr)) != MMS_OK)
			break;
		person_profile p;
		mms_route_profile(m, (int32_t)s, v->to, &p);
		const char *subject = p.subjects ? mms_str(m, m->lists[p.subjects + 1]) : "";
		for (size_t i = 0; i < nr && rc == MMS_OK; i++) {
			if (mms_grow((void **)&cells, &cap, n + 1, sizeof *cells)) {
				rc = MMS_ENOMEM;
				break;
			}
			cells[n++] = (cell){mms_route_code(m, MMS_COMPETENCY, r[i].comp),
					    mms_route_code(m, MMS_UNIT, municipality(m, st[S_ORG])), subject,
					    r[i].comp, p.level, r[i].severity};
		}
		mms_free(r);
	}
	if (rc == MMS_OK && n)
		qsort(cells, n, sizeof *cells, by_cell);
	for (size_t i = 0; rc == MMS_OK && i < n;) {
		size_t j = i;
		int64_t count[3] = {0, 0, 0};
		for (; j < n && !by_cell(&cells[i], &cells[j]); j++)
			count[cells[j].severity]++;
		json_object *row = row_new(t);
		const cell *c = &cells[i];
		const char *level = c->level >= 0 ? mms_enum_name(E_EDU_LEVEL, c->level) : "";
		put_s(t, row, "competency", c->comp);
		put_s(t, row, "competency_name", mms_str(m, mms_row(m, MMS_COMPETENCY, c->comp_id)[C_NAME]));
		put_s(t, row, "municipality", c->muni);
		put_s(t, row, "subject", c->subject);
		put_s(t, row, "edu_level", level);
		put_i(t, row, "high", count[MMS_SEVERITY_HIGH]);
		put_i(t, row, "medium", count[MMS_SEVERITY_MEDIUM]);
		put_i(t, row, "minimal", count[MMS_SEVERITY_MINIMAL]);
		rc = t->rc;
		i = j;
	}
	mms_free(cells);
	return rc;
}

/* ---- completion and effect by resource --------------------------------- */

static const char *const resource_cols[] = {"resource", "resource_name", "kind", "steps", "done",
					    "failed", "completion", "covered", "closed", "effect"};

typedef struct res_count {
	int64_t steps, done, failed, covered, closed;
} res_count;

static int resources_table(view *v, table *t)
{
	const mms_model *m = v->m;
	size_t nres = m->t[MMS_RESOURCE].count;
	res_count *rc_of = mms_calloc(nres + 1, sizeof *rc_of);
	if (!rc_of)
		return MMS_ENOMEM;
	int rc = MMS_OK;
	for (size_t s = 0; rc == MMS_OK && s < m->t[MMS_ROUTE_STEP].count; s++) {
		const int32_t *st = mms_row(m, MMS_ROUTE_STEP, (int32_t)s);
		if (!mms_db_readable(v->db, MMS_ROUTE_STEP, (int32_t)s) || !route_here(v, st[ST_ROUTE]))
			continue;
		res_count *k = &rc_of[st[ST_RESOURCE]];
		k->steps++;
		k->failed += v->c.step_status[s] == RS_FAILED;
		if (v->c.step_status[s] != RS_DONE)
			continue;
		k->done++;
		/* the re-diagnostic effect: each deficit the done step covers,
		 * closed when the latest result is minimal under the route's bands */
		result *r = NULL;
		size_t nr = 0;
		mms_route_ctx_bands(&v->c, st[ST_ROUTE]);
		rc = mms_route_results(&v->c, mms_row(m, MMS_ROUTE, st[ST_ROUTE])[RT_STAFF], &r, &nr);
		for (int32_t j = 0; rc == MMS_OK && st[ST_COVERS] && j < m->lists[st[ST_COVERS]]; j++) {
			int32_t comp = mms_model_find_code(m, MMS_COMPETENCY,
							   mms_str(m, m->lists[st[ST_COVERS] + 1 + j]));
			k->covered++;
			for (size_t i = 0; i < nr; i++)
				k->closed += r[i].comp == comp && r[i].severity == MMS_SEVERITY_MINIMAL;
		}
		mms_free(r);
	}
	for (size_t r = 0; rc == MMS_OK && r < nres; r++) {
		const res_count *k = &rc_of[r];
		if (!k->steps)
			continue;
		json_object *row = row_new(t);
		put_s(t, row, "resource", mms_route_code(m, MMS_RESOURCE, (int32_t)r));
		put_s(t, row, "resource_name", mms_str(m, mms_row(m, MMS_RESOURCE, (int32_t)r)[R_NAME]));
		put_s(t, row, "kind", mms_enum_name(E_RESOURCE_KIND,
						    mms_row(m, MMS_RESOURCE, (int32_t)r)[R_KIND]));
		put_i(t, row, "steps", k->steps);
		put_i(t, row, "done", k->done);
		put_i(t, row, "failed", k->failed);
		put_share(t, row, "completion", (double)k->done, (double)k->steps);
		put_i(t, row, "covered", k->covered);
		put_i(t, row, "closed", k->closed);
		put_share(t, row, "effect", (double)k->closed, (double)k->covered);
		rc = t->rc;
	}
	mms_free(rc_of);
	return rc;
}

/* ---- routes per tutor --------------------------------------------------- */

static const char *const tutor_cols[] = {"tutor", "tutor_name", "organisation", "unit_kind",
					 "routes", "municipalities", "completed", "load"};

typedef struct tutor_count {
	int64_t routes, completed, load, munis;
} tutor_count;

/* (tutor, municipality) of a route, to count each tutor's municipalities */
static int by_pair(const void *a, const void *b)
{
	const int32_t *x = a, *y = b;
	return x[0] != y[0] ? (x[0] > y[0]) - (x[0] < y[0]) : (x[1] > y[1]) - (x[1] < y[1]);
}

static int tutors_table(view *v, table *t)
{
	const mms_model *m = v->m;
	size_t nst = m->t[MMS_STAFF].count, np = 0;
	tutor_count *tc = mms_calloc(nst + 1, sizeof *tc);
	int32_t (*pairs)[2] = mms_malloc((m->t[MMS_ROUTE].count + 1) * sizeof *pairs);
	int rc = tc && pairs ? MMS_OK : MMS_ENOMEM;
	for (size_t pass = 0; rc == MMS_OK && pass < 2; pass++)
		for (size_t r = 0; r < m->t[MMS_ROUTE].count; r++) {
			const int32_t *rt = mms_row(m, MMS_ROUTE, (int32_t)r);
			if (rt[RT_TUTOR] < 0 || !route_in_year(v, (int32_t)r))
				continue;
			tutor_count *k = &tc[rt[RT_TUTOR]];
			if (pass == 0) { /* the load: every route of the year, wherever its teacher works */
				k->load++;
				continue;
			}
			if (!within(v, mms_row(m, MMS_STAFF, rt[RT_STAFF])[S_ORG]))
				continue;
			k->routes++;
			k->completed += v->c.route_status[r] == RS_COMPLETED;
			pairs[np][0] = rt[RT_TUTOR];
			pairs[np++][1] = municipality(m, mms_row(m, MMS_STAFF, rt[RT_STAFF])[S_ORG]);
		}
	if (np)
		qsort(pairs, np, sizeof *pairs, by_pair);
	for (size_t i = 0; rc == MMS_OK && i < np; i++)
		tc[pairs[i][0]].munis += !i || by_pair(pairs[i - 1], pairs[i]);
	for (size_t s = 0; rc == MMS_OK && s < nst; s++) {
		if (!tc[s].routes)
			continue;
		const int32_t *st = mms_row(m, MMS_STAFF, (int32_t)s);
		json_object *row = row_new(t);
		put_s(t, row, "tutor", mms_route_code(m, MMS_STAFF, (int32_t)s));
		put_s(t, row, "tutor_name", mms_str(m, st[S_NAME]));
		put_s(t, row, "organisation", mms_route_code(m, MMS_UNIT, st[S_ORG]));
		put_s(t, row, "unit_kind", mms_enum_name(E_UNIT_KIND, mms_row(m, MMS_UNIT, st[S_ORG])[U_KIND]));
		put_i(t, row, "routes", tc[s].routes);
		put_i(t, row, "municipalities", tc[s].munis);
		put_i(t, row, "completed", tc[s].completed);
		put_i(t, row, "load", tc[s].load);
		rc = t->rc;
	}
	mms_free(tc);
	mms_free(pairs);
	return rc;
}

/* ---- the mentoring of schools (beside Moscow-region indicator 9) -------- */

static const char *const mentoring_cols[] = {"school", "school_name", "runs_model", "own_pairs",
					     "pairs_with_outside_mentor", "local_act", "curator"};

/* A fact of the unit for the year as text (its note, else its value), or "". */
static void fact_text(const view *v, const int32_t *start, const int32_t *ids, int32_t unit,
		      const char *key, int year, mms_buf *out)
{
	int32_t found = -1;
	for (int32_t k = start[unit]; k < start[unit + 1]; k++) {
		const int32_t *f = mms_row(v->m, MMS_FACT, ids[k]);
		if (f[FA_YEAR] == year && !strcmp(mms_str(v->m, f[FA_KEY]), key))
			found = ids[k]; /* in id order: the latest wins, as in indicators */
	}
	if (found < 0)
		return;
	const int32_t *f = mms_row(v->m, MMS_FACT, found);
	if (f[FA_NOTE])
		mms_buf_puts(out, mms_str(v->m, f[FA_NOTE]));
	else
		mms_field_text(v->m, MMS_FACT, found, FA_VALUE, out);
}

static int mentoring_table(view *v, int year, table *t)
{
	const mms_model *m = v->m;
	int32_t *fs = NULL, *fi = NULL, *ps = NULL, *pi = NULL;
	size_t nu = m->t[MMS_UNIT].count;
	int rc = mms_index_csr_live(m, nu, MMS_FACT, FA_UNIT, -1, &fs, &fi);
	if (rc == MMS_OK) /* pairs by their mentee */
		rc = mms_index_csr_live(m, m->t[MMS_STAFF].count, MMS_MENTORING_PAIR, MP_MENTEE, -1,
					&ps, &pi);
	const mms_index *ix = &v->db->idx;
	for (size_t u = 0; rc == MMS_OK && u < nu; u++) {
		const int32_t *ur = mms_row(m, MMS_UNIT, (int32_t)u);
		if (ur[U_KIND] != UK_SCHOOL || !mms_db_readable(v->db, MMS_UNIT, (int32_t)u) ||
		    !within(v, (int32_t)u))
			continue;
		int64_t own = 0, outside = 0;
		int32_t curator = -1;
		for (int32_t k = ix->staff_start[u]; k < ix->staff_start[u + 1]; k++)
			for (int32_t j = ps[ix->staff_ids[k]]; j < ps[ix->staff_ids[k] + 1]; j++) {
				const int32_t *p = mms_row(m, MMS_MENTORING_PAIR, pi[j]);
				if (!mms_pair_overlaps(m, pi[j], v->from, v->to))
					continue;
				if (mms_row(m, MMS_STAFF, p[MP_MENTOR])[S_ORG] == (int32_t)u)
					own++;
				else
					outside++;
				curator = p[MP_CURATOR] >= 0 ? p[MP_CURATOR] : curator;
			}
		mms_buf act = {0}, cur = {0};
		fact_text(v, fs, fi, (int32_t)u, "mentoring.local_act", year, &act);
		fact_text(v, fs, fi, (int32_t)u, "mentoring.curator", year, &cur);
		if (!cur.len && curator >= 0)
			mms_buf_puts(&cur, mms_route_code(m, MMS_STAFF, curator));
		json_object *row = row_new(t);
		put_s(t, row, "school", mms_route_code(m, MMS_UNIT, (int32_t)u));
		put_s(t, row, "school_name", mms_str(m, ur[U_NAME]));
		put_i(t, row, "runs_model", own > 0);
		put_i(t, row, "own_pairs", own);
		put_i(t, row, "pairs_with_outside_mentor", outside);
		put_s(t, row, "local_act", act.data);
		put_s(t, row, "curator", cur.data);
		rc = act.failed || cur.failed ? MMS_ENOMEM : t->rc;
		mms_buf_free(&act);
		mms_buf_free(&cur);
	}
	mms_free(fs);
	mms_free(fi);
	mms_free(ps);
	mms_free(pi);
	return rc;
}

/* ---- the federal monitoring's figures (МР-4/02вн) ---------------------- */

static const char *const federal_cols[] = {"field", "indicator", "numerator", "denominator",
					   "value", "target", "status"};

/* Each field of the export and the built-in indicator that computes it
 * (data/indicators/cnppm.json): the rule has one home. */
static const char *const federal_fields[][2] = {
	{"routes_developed_share", "cnppm.routes_developed"},
	{"trained_in_centre_share", "cnppm.trained"},
	{"centre_staff_trained_by_federal_operator_share", "cnppm.staff_federal"},
	{"regional_events", "cnppm.events"},
};

static int federal_table(view *v, int year, table *t, double *workers)
{
	*workers = 0;
	if (v->root < 0)
		return mms_db_fail(v->db, MMS_EINVAL, "the federal figures are a region's: name its unit");
	mms_kpi *kpi = NULL;
	int rc = mms_kpi_open(&kpi, v->db);
	for (size_t i = 0; rc == MMS_OK && i < sizeof federal_fields / sizeof federal_fields[0]; i++) {
		mms_kpi_result r = MMS_KPI_RESULT_INIT;
		if ((rc = mms_kpi_value(kpi, federal_fields[i][1], v->root, year, &r)) != MMS_OK)
			break;
		if (i == 0) /* every pedagogical worker of the region: the shares' denominator */
			*workers = r.denominator;
		json_object *row = row_new(t);
		put_s(t, row, "field", federal_fields[i][0]);
		put_s(t, row, "indicator", federal_fields[i][1]);
		put_i(t, row, "numerator", (int64_t)r.numerator);
		put_i(t, row, "denominator", (int64_t)r.denominator);
		if (r.defined)
			put(t, row, "value", json_object_new_double(round(10.0 * r.value) / 10.0));
		else
			put_null(t, row, "value");
		if (r.has_target)
			put(t, row, "target", json_object_new_double(r.target));
		else
			put_null(t, row, "target");
		put_s(t, row, "status", mms_kpi_status_name(r.status));
		rc = t->rc;
	}
	if (rc != MMS_OK && rc != MMS_ENOMEM && kpi)
		mms_db_fail(v->db, rc, "%s", mms_kpi_errmsg(kpi));
	mms_kpi_close(kpi);
	return rc;
}

/* ---- the public calls ---------------------------------------------------- */

enum { T_DEFICITS, T_RESOURCES, T_TUTORS, T_MENTORING, T_FEDERAL, T_COUNT };

static const struct {
	const char *name;
	const char *const *cols;
	int ncols;
} tables[T_COUNT] = {
	[T_DEFICITS] = {"deficits", deficit_cols, 8},
	[T_RESOURCES] = {"resources", resource_cols, 10},
	[T_TUTORS] = {"tutors", tutor_cols, 8},
	[T_MENTORING] = {"schools", mentoring_cols, 7},
	[T_FEDERAL] = {"figures", federal_cols, 7},
};

static int build(view *v, int which, int year, table *t, double *workers)
{
	t->cols = tables[which].cols;
	t->ncols = tables[which].ncols;
	t->rc = MMS_OK;
	if (!(t->rows = json_object_new_array()))
		return MMS_ENOMEM;
	switch (which) {
	case T_DEFICITS: return deficits_table(v, t);
	case T_RESOURCES: return resources_table(v, t);
	case T_TUTORS: return tutors_table(v, t);
	case T_MENTORING: return mentoring_table(v, year, t);
	default: return federal_table(v, year, t, workers);
	}
}

/* Builds tables first..last of the view as CSV (one table) or as one JSON
 * object holding each by its name, with the unit and the year. */
static int render(mms_db *db, int32_t unit, int year, int first, int last, int format, char **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	if (format != MMS_FORMAT_JSON && format != MMS_FORMAT_CSV)
		return mms_db_fail(db, MMS_EINVAL, "format %d is neither JSON nor CSV", format);
	if (format == MMS_FORMAT_CSV && first != last)
		return mms_db_fail(db, MMS_EINVAL, "CSV holds one table: name which");
	view v;
	int rc = view_init(&v, db, unit, year);
	json_object *doc = rc == MMS_OK ? json_object_new_object() : NULL;
	if (rc == MMS_OK && !doc)
		rc = MMS_ENOMEM;
	mms_buf b = {0};
	double workers = 0;
	if (rc == MMS_OK) {
		json_object_object_add(doc, "unit", json_object_new_string(mms_route_code(&db->m, MMS_UNIT, v.root)));
		json_object_object_add(doc, "year", json_object_new_int(year));
	}
	for (int w = first; rc == MMS_OK && w <= last; w++) {
		table t = {0};
		rc = build(&v, w, year, &t, &workers);
		if (rc == MMS_OK && format == MMS_FORMAT_CSV)
			csv_of(&b, &t);
		if (rc == MMS_OK && format == MMS_FORMAT_JSON &&
		    json_object_object_add(doc, tables[w].name, t.rows))
			rc = MMS_ENOMEM;
		else if (rc == MMS_OK && format == MMS_FORMAT_JSON)
			t.rows = NULL;
		json_object_put(t.rows);
	}
	if (rc == MMS_OK && first == T_FEDERAL && format == MMS_FORMAT_JSON) {
		json_object_object_add(doc, "regulation", json_object_new_string(
			"МР-4/02вн of 30.04.2019: shares of all the region's pedagogical workers"));
		json_object_object_add(doc, "pedagogical_workers", json_object_new_int64((int64_t)workers));
	}
	if (rc == MMS_OK && format == MMS_FORMAT_JSON)
		mms_buf_puts(&b, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	if (rc == MMS_OK && format == MMS_FORMAT_JSON)
		mms_buf_puts(&b, "\n");
	json_object_put(doc);
	if (v.db)
		mms_route_ctx_free(&v.c);
	if (rc == MMS_OK)
		rc = mms_buf_detach(&b, out);
	else
		mms_buf_free(&b);
	if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory building the region's tables");
	return rc;
}

const char *const *mms_route_map_columns(int t, int *n)
{
	*n = tables[t].ncols;
	return tables[t].cols;
}

int mms_route_map(mms_db *db, int32_t unit, int year, int which, int format, char **out)
{
	if (which != MMS_ROUTE_MAP_ALL &&
	    (which < MMS_ROUTE_MAP_DEFICITS || which > MMS_ROUTE_MAP_TUTORS))
		return mms_db_fail(db, MMS_EINVAL, "table %d is not deficits, resources or tutors", which);
	int first = which == MMS_ROUTE_MAP_ALL ? T_DEFICITS : which;
	int last = which == MMS_ROUTE_MAP_ALL ? T_TUTORS : which;
	return render(db, unit, year, first, last, format, out);
}

int mms_route_federal(mms_db *db, int32_t region, int year, int format, char **out)
{
	return render(db, region, year, T_FEDERAL, T_FEDERAL, format, out);
}

int mms_mentoring_schools(mms_db *db, int32_t unit, int year, int format, char **out)
{
	return render(db, unit, year, T_MENTORING, T_MENTORING, format, out);
}
