/*
 * Routes after they are built: status changes as events (checked by the
 * import rules against the allowed transitions), current statuses, and
 * the effect of routes seen in later diagnostics.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bands.h"
#include "domain/route_status.h"
#include "route.h"

int mms_route_insert(mms_db *db, int entity, int32_t *id, ...)
{
	mms_record *rec;
	int rc = mms_record_new(&rec, entity);
	va_list ap;
	va_start(ap, id);
	for (const char *k; rc == MMS_OK && (k = va_arg(ap, const char *));)
		rc = mms_record_set(rec, k, va_arg(ap, const char *));
	va_end(ap);
	if (rc == MMS_OK)
		rc = mms_db_insert(db, rec, id);
	else
		mms_db_fail(db, rc, "out of memory");
	mms_record_free(rec);
	return rc;
}

/* Readies the handle and checks the step, or else the route. */
static int ready_for(mms_db *db, int32_t route, int32_t step)
{
	int rc = mms_db_ready(db);
	if (rc == MMS_OK)
		rc = step >= 0 ? mms_db_check_id(db, MMS_ROUTE_STEP, step)
			       : mms_db_check_id(db, MMS_ROUTE, route);
	return rc;
}

static int set_status(mms_db *db, int32_t route, int32_t step, const char *status,
		      const char *date, const char *evidence)
{
	char sbuf[16];
	int rc = ready_for(db, route, step);
	if (rc != MMS_OK)
		return rc;
	if (step >= 0)
		route = mms_row(&db->m, MMS_ROUTE_STEP, step)[ST_ROUTE];
	snprintf(sbuf, sizeof sbuf, "%d", step);
	const char *code = mms_str(&db->m, mms_row(&db->m, MMS_ROUTE, route)[RT_CODE]);
	return mms_route_insert(db, MMS_ROUTE_EVENT, NULL, "route", code, "step",
				step >= 0 ? sbuf : NULL, "status", status, "date", date,
				"evidence", evidence, NULL);
}

int mms_route_set_status(mms_db *db, int32_t route, const char *status, const char *date,
			 const char *evidence)
{
	return set_status(db, route, -1, status, date, evidence);
}

int mms_route_step_set_status(mms_db *db, int32_t step, const char *status, const char *date,
			      const char *evidence)
{
	return step < 0 ? MMS_EINVAL : set_status(db, -1, step, status, date, evidence);
}

/* The latest event of a route (step < 0) or of a step, by replaying events. */
static int current(mms_db *db, int32_t route, int32_t step, const char **out, const char *none)
{
	if (!out)
		return MMS_EINVAL;
	int rc = ready_for(db, route, step);
	if (rc != MMS_OK)
		return rc;
	int32_t status = mms_route_status_replay(&db->m, NULL, db->m.t[MMS_ROUTE_EVENT].count, route,
						 step, MMS_NONE, NULL);
	*out = status < 0 ? none : mms_enum_name(E_ROUTE_STATUS, status);
	return MMS_OK;
}

int mms_route_status(mms_db *db, int32_t route, const char **out)
{
	return current(db, route, -1, out, "draft");
}

int mms_route_step_status(mms_db *db, int32_t step, const char **out)
{
	return current(db, -1, step, out, "planned");
}

/* The result of comp now, among the person's results r: its own; for an
 * indicator no longer apart from its competency, its latest own diagnostic,
 * else its competency's. 0 if none. */
static int now_of(const route_ctx *c, int32_t staff, const result *r, size_t n, int32_t comp,
		  double *score, int *severity)
{
	const mms_model *m = c->m;
	for (size_t i = 0; i < n; i++)
		if (r[i].comp == comp) {
			*score = r[i].score;
			*severity = r[i].severity;
			return 1;
		}
	int32_t latest = -1;
	for (int32_t k = c->diag_start[staff]; k < c->diag_start[staff + 1]; k++) {
		const int32_t *d = mms_row(m, MMS_DIAGNOSTIC, c->diag[k]);
		if (d[D_COMPETENCY] == comp && d[D_DATE] <= c->as_of &&
		    (latest < 0 || d[D_DATE] >= mms_row(m, MMS_DIAGNOSTIC, latest)[D_DATE]))
			latest = c->diag[k];
	}
	if (latest >= 0) {
		*score = mms_route_result_score(c, latest);
		*severity = mms_severity_of(c, *score);
		return 1;
	}
	const int32_t *row = mms_row(m, MMS_COMPETENCY, comp);
	return row[C_KIND] == CK_INDICATOR && row[C_PARENT] >= 0 &&
	       now_of(c, staff, r, n, row[C_PARENT], score, severity);
}

/* Whether the deficit of comp is closed now: minimal under the bands. */
static int closed_in(const route_ctx *c, int32_t staff, const result *r, size_t n, int32_t comp)
{
	double score;
	int severity;
	return now_of(c, staff, r, n, comp, &score, &severity) && severity == MMS_SEVERITY_MINIMAL;
}

int mms_route_effectiveness(mms_db *db, int32_t resource, const char *as_of, double *share,
			    size_t *covered)
{
	if (!share || !covered)
		return MMS_EINVAL;
	int rc = mms_db_ready(db);
	if (rc == MMS_OK && resource != -1)
		rc = mms_db_check_id(db, MMS_RESOURCE, resource);
	route_ctx c; /* bands set per route below */
	if (rc != MMS_OK || (rc = mms_route_ctx_init(&c, db, as_of, 0, 0)) != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	size_t closed = 0;
	*covered = 0;
	for (size_t s = 0; rc == MMS_OK && s < m->t[MMS_ROUTE_STEP].count; s++) {
		const int32_t *st = mms_row(m, MMS_ROUTE_STEP, (int32_t)s);
		if (c.step_status[s] != RS_DONE || (resource >= 0 && st[ST_RESOURCE] != resource) ||
		    !st[ST_COVERS] || !mms_db_readable(db, MMS_ROUTE_STEP, (int32_t)s))
			continue;
		result *r;
		size_t n;
		int32_t staff = mms_row(m, MMS_ROUTE, st[ST_ROUTE])[RT_STAFF];
		mms_route_ctx_bands(&c, st[ST_ROUTE]); /* closed as the route's bands say */
		if ((rc = mms_route_results(&c, staff, &r, &n)) != MMS_OK)
			break;
		for (int32_t k = 0; k < m->lists[st[ST_COVERS]]; k++) {
			int32_t comp = mms_model_find_code(m, MMS_COMPETENCY,
							   mms_str(m, m->lists[st[ST_COVERS] + 1 + k]));
			(*covered)++;
			closed += closed_in(&c, staff, r, n, comp);
		}
		mms_free(r);
	}
	mms_route_ctx_free(&c);
	if (rc != MMS_OK)
		return mms_db_fail(db, rc, "out of memory");
	*share = *covered ? 100.0 * (double)closed / (double)*covered : NAN;
	return MMS_OK;
}

/* ---- re-diagnostics: the change since a route was built ---------------- */

/* The frozen deficits of every route (route_deficits by route). */
typedef struct basis {
	route_ctx c;
	int32_t *start, *ids;
} basis;

static void basis_free(basis *b)
{
	mms_route_ctx_free(&b->c);
	mms_free(b->start);
	mms_free(b->ids);
}

static int basis_init(basis *b, mms_db *db, const char *as_of)
{
	memset(b, 0, sizeof *b);
	int rc = mms_route_ctx_init(&b->c, db, as_of, 0, 0); /* bands set per route */
	if (rc != MMS_OK)
		return rc;
	rc = mms_index_csr_live(&db->m, db->m.t[MMS_ROUTE].count, MMS_ROUTE_DEFICIT, RD_ROUTE, -1,
				&b->start, &b->ids);
	if (rc != MMS_OK) {
		basis_free(b);
		return mms_db_fail(db, rc, "out of memory");
	}
	return MMS_OK;
}


/* Hands a table over to the caller, or frees it after a failure. */
static int finish_table(mms_db *db, basis *b, mms_buf *csv, int rc, char **out)
{
	basis_free(b);
	if (rc == MMS_OK)
		rc = mms_buf_detach(csv, out);
	else
		mms_buf_free(csv);
	return rc == MMS_OK ? rc : mms_db_fail(db, rc, "out of memory");
}

static double frozen_score(const int32_t *rd)
{
	return rd[RD_SCORE] != MMS_NONE ? (double)rd[RD_SCORE] / MMS_DEC_SCALE : NAN;
}

int mms_route_change(mms_db *db, int32_t route, const char *as_of, char **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = ready_for(db, route, -1);
	basis b;
	if (rc != MMS_OK || (rc = basis_init(&b, db, as_of)) != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	int32_t staff = mms_row(m, MMS_ROUTE, route)[RT_STAFF];
	result *r = NULL;
	size_t n = 0;
	mms_route_ctx_bands(&b.c, route);
	if (b.start[route] == b.start[route + 1]) {
		basis_free(&b);
		return mms_db_fail(db, MMS_ENOTFOUND, "route \"%s\" was saved without its deficits "
				   "(before schema 8): nothing to compare with",
				   mms_str(m, mms_row(m, MMS_ROUTE, route)[RT_CODE]));
	}
	rc = mms_route_results(&b.c, staff, &r, &n);
	mms_buf csv = {0};
	mms_buf_puts(&csv, "competency,severity_then,score_then,score_now,severity_now,change,closed\n");
	for (int32_t k = b.start[route]; rc == MMS_OK && k < b.start[route + 1]; k++) {
		const int32_t *rd = mms_row(m, MMS_ROUTE_DEFICIT, b.ids[k]);
		double then = frozen_score(rd), now = NAN;
		int sev = -1, known = now_of(&b.c, staff, r, n, rd[RD_COMPETENCY], &now, &sev);
		mms_route_csv_text(&csv, mms_str(m, mms_row(m, MMS_COMPETENCY, rd[RD_COMPETENCY])[C_CODE]));
		mms_buf_printf(&csv, ",%s,", mms_enum_name(E_SEVERITY, rd[RD_SEVERITY]));
		if (!isnan(then))
			mms_buf_printf(&csv, "%g", then);
		mms_buf_puts(&csv, ",");
		if (known)
			mms_buf_printf(&csv, "%g,%s,", now, mms_severity_name(sev));
		else
			mms_buf_puts(&csv, ",,");
		if (known && !isnan(then))
			mms_buf_printf(&csv, "%g", round((now - then) * MMS_DEC_SCALE) / MMS_DEC_SCALE);
		mms_buf_printf(&csv, ",%d\n", known && sev == MMS_SEVERITY_MINIMAL);
	}
	mms_free(r);
	return finish_table(db, &b, &csv, rc, out);
}

typedef struct effect {
	const char *code;
	size_t covered, closed, compared;
	double change;
} effect;

static int by_code(const void *a, const void *b)
{
	return strcmp(((const effect *)a)->code, ((const effect *)b)->code);
}

/* Adds what done step s covered to its resource's effect. */
static int add_effect(basis *b, int32_t s, effect *e)
{
	const mms_model *m = b->c.m;
	const int32_t *st = mms_row(m, MMS_ROUTE_STEP, s);
	int32_t route = st[ST_ROUTE], staff = mms_row(m, MMS_ROUTE, route)[RT_STAFF];
	result *r;
	size_t n;
	mms_route_ctx_bands(&b->c, route);
	int rc = mms_route_results(&b->c, staff, &r, &n);
	for (int32_t k = 0; rc == MMS_OK && k < m->lists[st[ST_COVERS]]; k++) {
		int32_t comp = mms_model_find_code(m, MMS_COMPETENCY,
						   mms_str(m, m->lists[st[ST_COVERS] + 1 + k]));
		double now;
		int sev, known = now_of(&b->c, staff, r, n, comp, &now, &sev);
		e->covered++;
		e->closed += known && sev == MMS_SEVERITY_MINIMAL;
		for (int32_t j = b->start[route]; known && j < b->start[route + 1]; j++) {
			const int32_t *rd = mms_row(m, MMS_ROUTE_DEFICIT, b->ids[j]);
			if (rd[RD_COMPETENCY] == comp && !isnan(frozen_score(rd))) {
				e->change += now - frozen_score(rd);
				e->compared++;
				break;
			}
		}
	}
	mms_free(r);
	return rc;
}

int mms_route_change_by_resource(mms_db *db, const char *as_of, char **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = mms_db_ready(db);
	basis b;
	if (rc != MMS_OK || (rc = basis_init(&b, db, as_of)) != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	size_t nres = m->t[MMS_RESOURCE].count;
	effect *e = mms_calloc(nres + 1, sizeof *e);
	rc = e ? MMS_OK : MMS_ENOMEM;
	for (size_t s = 0; rc == MMS_OK && s < m->t[MMS_ROUTE_STEP].count; s++) {
		const int32_t *st = mms_row(m, MMS_ROUTE_STEP, (int32_t)s);
		if (b.c.step_status[s] == RS_DONE && st[ST_COVERS] &&
		    mms_db_readable(db, MMS_ROUTE_STEP, (int32_t)s))
			rc = add_effect(&b, (int32_t)s, &e[st[ST_RESOURCE]]);
	}
	size_t nrows = 0;
	for (size_t i = 0; rc == MMS_OK && i < nres; i++)
		if (e[i].covered) {
			e[i].code = mms_str(m, mms_row(m, MMS_RESOURCE, (int32_t)i)[R_CODE]);
			e[nrows++] = e[i];
		}
	if (rc == MMS_OK && nrows)
		qsort(e, nrows, sizeof *e, by_code);
	mms_buf csv = {0};
	mms_buf_puts(&csv, "resource,covered,closed,mean_change\n");
	for (size_t i = 0; rc == MMS_OK && i < nrows; i++) {
		mms_route_csv_text(&csv, e[i].code);
		mms_buf_printf(&csv, ",%zu,%zu,", e[i].covered, e[i].closed);
		if (e[i].compared)
			mms_buf_printf(&csv, "%.1f", e[i].change / (double)e[i].compared);
		mms_buf_puts(&csv, "\n");
	}
	mms_free(e);
	return finish_table(db, &b, &csv, rc, out);
}
