/*
 * What a route was built on (docs/routes.md, "What a route was built on"):
 * the route_deficits frozen with it when it was saved, so its document
 * keeps saying what it was built on whatever diagnostics came later. A
 * route saved before the frozen basis existed (schema 10) has none: its
 * deficits are then recomputed from the diagnostics up to its start, and
 * the caller is told which it got.
 */
#include <math.h>
#include <string.h>

#include "domain/bands.h"
#include "route.h"

int32_t mms_route_basis_day(const mms_model *m, int32_t route)
{
	int32_t when = mms_row(m, MMS_ROUTE, route)[RT_START];
	for (size_t i = 0; when == MMS_NONE && i < m->t[MMS_ROUTE_EVENT].count; i++) {
		const int32_t *ev = mms_row(m, MMS_ROUTE_EVENT, (int32_t)i);
		if (ev[EV_ROUTE] == route && mms_model_live(m, MMS_ROUTE_EVENT, (int32_t)i))
			when = ev[EV_DATE];
	}
	return when;
}

int mms_route_basis_rows(route_ctx *c, int32_t route, basis_row **out, size_t *n, int *frozen)
{
	const mms_model *m = c->m;
	*out = NULL;
	*n = 0;
	*frozen = 0;
	size_t count = 0;
	for (size_t i = 0; i < m->t[MMS_ROUTE_DEFICIT].count; i++)
		count += mms_row(m, MMS_ROUTE_DEFICIT, (int32_t)i)[RD_ROUTE] == route &&
			 mms_model_live(m, MMS_ROUTE_DEFICIT, (int32_t)i);
	if (count) {
		basis_row *r = mms_malloc(count * sizeof *r);
		if (!r)
			return MMS_ENOMEM;
		for (size_t i = 0; i < m->t[MMS_ROUTE_DEFICIT].count; i++) {
			const int32_t *rd = mms_row(m, MMS_ROUTE_DEFICIT, (int32_t)i);
			if (rd[RD_ROUTE] != route || !mms_model_live(m, MMS_ROUTE_DEFICIT, (int32_t)i))
				continue;
			r[(*n)++] = (basis_row){rd[RD_COMPETENCY],
						rd[RD_SCORE] != MMS_NONE ? (double)rd[RD_SCORE] / MMS_DEC_SCALE
									 : NAN,
						rd[RD_SEVERITY], rd[RD_CONSEQUENCE], rd[RD_SESSION],
						rd[RD_SUGGESTIONS]};
		}
		*out = r;
		*frozen = 1;
		return MMS_OK;
	}
	/* saved before schema 10: today's reading of the diagnostics up to its start */
	mms_route_ctx_bands(c, route);
	result *res = NULL;
	size_t k;
	int rc = mms_route_results(c, mms_row(m, MMS_ROUTE, route)[RT_STAFF], &res, &k);
	basis_row *r = rc == MMS_OK ? mms_malloc((k + 1) * sizeof *r) : NULL;
	if (rc == MMS_OK && !r)
		rc = MMS_ENOMEM;
	for (size_t i = 0; rc == MMS_OK && i < k; i++)
		r[i] = (basis_row){res[i].comp, res[i].score, res[i].severity,
				   mms_deficit_consequence(res[i].severity, 0),
				   res[i].diag >= 0 ? mms_row(m, MMS_DIAGNOSTIC, res[i].diag)[D_SESSION] : -1,
				   0};
	mms_free(res);
	if (rc != MMS_OK) {
		mms_free(r);
		return rc;
	}
	*out = r;
	*n = k;
	return MMS_OK;
}

int mms_route_basis(mms_db *db, int32_t route, char **out, int *frozen)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	if (frozen)
		*frozen = 0;
	int rc = mms_db_ready(db);
	if (rc == MMS_OK)
		rc = mms_db_check_id(db, MMS_ROUTE, route);
	if (rc != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	int32_t day = mms_route_basis_day(m, route);
	char as_of[11];
	if (day != MMS_NONE)
		mms_date_format(day, as_of);
	route_ctx c;
	if ((rc = mms_route_ctx_init(&c, db, day != MMS_NONE ? as_of : NULL, 60, 80)) != MMS_OK)
		return rc;
	basis_row *r = NULL;
	size_t n = 0;
	int fz = 0;
	rc = mms_route_basis_rows(&c, route, &r, &n, &fz);
	mms_buf csv = {0};
	mms_buf_puts(&csv, "competency,score,severity,consequence,session\n");
	for (size_t i = 0; rc == MMS_OK && i < n; i++) {
		mms_route_csv_text(&csv, mms_str(m, mms_row(m, MMS_COMPETENCY, r[i].comp)[C_CODE]));
		mms_buf_puts(&csv, ",");
		if (!isnan(r[i].score))
			mms_buf_printf(&csv, "%g", r[i].score);
		mms_buf_printf(&csv, ",%s,%s,", mms_enum_name(E_SEVERITY, r[i].severity),
			       mms_enum_name(E_CONSEQUENCE, r[i].consequence));
		if (r[i].session >= 0)
			mms_route_csv_text(&csv, mms_str(m, mms_row(m, MMS_DIAGNOSTIC_SESSION,
								     r[i].session)[DS_CODE]));
		mms_buf_puts(&csv, "\n");
	}
	mms_free(r);
	mms_route_ctx_free(&c);
	if (rc == MMS_OK)
		rc = mms_buf_detach(&csv, out);
	else
		mms_buf_free(&csv);
	if (rc != MMS_OK)
		return mms_db_fail(db, rc, "out of memory");
	if (frozen)
		*frozen = fz;
	return MMS_OK;
}
