/*
 * Routes after they are built: status changes as events (checked by the
 * import rules against the allowed transitions), current statuses, and
 * the effect of routes seen in later diagnostics.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* Whether the deficit of comp is closed in the results r: minimal there;
 * for an indicator no longer apart from its competency, as its competency. */
static int closed_in(const mms_model *m, const result *r, size_t n, int32_t comp)
{
	int32_t parent = comp >= 0 && mms_row(m, MMS_COMPETENCY, comp)[C_KIND] == CK_INDICATOR
				 ? mms_row(m, MMS_COMPETENCY, comp)[C_PARENT]
				 : -1;
	for (size_t i = 0; i < n; i++)
		if (r[i].comp == comp)
			return r[i].severity == MMS_SEVERITY_MINIMAL;
	for (size_t i = 0; parent >= 0 && i < n; i++)
		if (r[i].comp == parent)
			return r[i].severity == MMS_SEVERITY_MINIMAL;
	return 0;
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
			closed += closed_in(m, r, n, comp);
		}
		mms_free(r);
	}
	mms_route_ctx_free(&c);
	if (rc != MMS_OK)
		return mms_db_fail(db, rc, "out of memory");
	*share = *covered ? 100.0 * (double)closed / (double)*covered : NAN;
	return MMS_OK;
}
