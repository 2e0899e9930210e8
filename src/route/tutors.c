/*
 * Tutors from beyond the person's organisation (docs/routes.md, "Building a
 * route", step 7): the regional ЦНППМ's methodists can tutor anyone of their
 * region — МР-4/02вн counts the routes the centre develops and follows.
 */
#include "route.h"

/* Whether unit u is a ЦНППМ or one of its structures (a unit of the same
 * level under one), as cnppm.routes_developed counts them. */
static int of_centre(const mms_model *m, int32_t u)
{
	for (int32_t steps = (int32_t)m->t[MMS_UNIT].count; u >= 0 && steps-- > 0;) {
		const int32_t *r = mms_row(m, MMS_UNIT, u);
		if (r[U_KIND] == UK_CNPPM)
			return 1;
		if (r[U_PARENT] < 0 || mms_row(m, MMS_UNIT, r[U_PARENT])[U_LEVEL] != r[U_LEVEL])
			return 0;
		u = r[U_PARENT];
	}
	return 0;
}

int mms_route_centre_methodists(const mms_model *m, const int32_t *region_of, int32_t nregions,
				int32_t **start, int32_t **ids)
{
	size_t nst = m->t[MMS_STAFF].count;
	int32_t *bucket = mms_malloc((nst + 1) * sizeof *bucket);
	if (!bucket)
		return MMS_ENOMEM;
	for (size_t s = 0; s < nst; s++) {
		const int32_t *st = mms_row(m, MMS_STAFF, (int32_t)s);
		bucket[s] = mms_model_live(m, MMS_STAFF, (int32_t)s) && st[S_ROLE] == ROLE_METHODIST &&
				    of_centre(m, st[S_ORG]) ? region_of[st[S_ORG]] : -1;
	}
	int rc = mms_index_csr((size_t)nregions, nst, bucket, NULL, 1, start, ids);
	mms_free(bucket);
	return rc;
}
