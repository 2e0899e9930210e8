/* Picking a route's tutor (docs/routes.md "Building a route", 7). */
#include <string.h>

#include "build.h"
#include "domain/period.h"

/* A staff link valid on the day the routes are built as of. */
static int link_valid(const builder *b, const int32_t *l)
{
	return mms_period_valid_on(l[SL_START], l[SL_END], b->c.as_of);
}

/* Seed 000: a methodist, an association head, a deputy head or an
 * innovative teacher can be a tutor; so can a ЦНППМ methodist (МР-4/02вн).
 * Tried in that order: methodists supporting the person herself, then her
 * organisation, heads of the associations the person is in, the
 * organisation's managers, its teachers of the highest category,
 * methodists of the nearest service above, the methodists of the region's
 * ЦНППМ; the least loaded within the limit, then by code. */
int32_t mms_build_tutor(builder *b, int32_t staff)
{
	const mms_model *m = b->c.m;
	int32_t org = mms_row(m, MMS_STAFF, staff)[S_ORG];
	int32_t best = -1;
#define CONSIDER(t)                                                                          \
	do {                                                                                 \
		int32_t t_ = (t);                                                            \
		if (t_ >= 0 && t_ != staff && b->load[t_] < b->o.max_tutor_load &&           \
		    mms_db_readable(b->c.db, MMS_STAFF, t_) &&                               \
		    (best < 0 || b->load[t_] < b->load[best] ||                              \
		     (b->load[t_] == b->load[best] &&                                        \
		      strcmp(mms_build_code(m, MMS_STAFF, t_), mms_build_code(m, MMS_STAFF, best)) < 0)))        \
			best = t_;                                                           \
	} while (0)
	/* 0: a methodist who supports the person herself */
	for (int32_t k = b->tgt_start[staff]; k < b->tgt_start[staff + 1]; k++) {
		const int32_t *l = mms_row(m, MMS_STAFF_LINK, b->tgt[k]);
		if (l[SL_KIND] == SL_SUPPORTS && link_valid(b, l))
			CONSIDER(l[SL_STAFF]);
	}
	/* 1: methodists who support the person's organisation */
	for (int32_t k = b->sup_start[org]; best < 0 && k < b->sup_start[org + 1]; k++) {
		const int32_t *l = mms_row(m, MMS_STAFF_LINK, b->sup[k]);
		if (l[SL_KIND] == SL_SUPPORTS && link_valid(b, l))
			CONSIDER(l[SL_STAFF]);
	}
	/* 2: heads of the associations the person is a member of */
	for (int32_t k = b->sl_start[staff]; best < 0 && k < b->sl_start[staff + 1]; k++) {
		const int32_t *l = mms_row(m, MMS_STAFF_LINK, b->sl[k]);
		if (l[SL_KIND] != SL_MEMBER || l[SL_UNIT] < 0 || !link_valid(b, l))
			continue;
		for (int32_t j = b->sup_start[l[SL_UNIT]]; j < b->sup_start[l[SL_UNIT] + 1]; j++) {
			const int32_t *h = mms_row(m, MMS_STAFF_LINK, b->sup[j]);
			if (h[SL_KIND] == SL_HEAD && link_valid(b, h))
				CONSIDER(h[SL_STAFF]);
		}
	}
	/* 3: the organisation's managers (its deputy heads), then its teachers of
	 * the highest category (the nearest the model comes to "innovative") */
	const mms_index *ix = &b->c.db->idx;
	for (int pass = 0; pass < 2 && best < 0; pass++)
		for (int32_t k = ix->staff_start[org]; k < ix->staff_start[org + 1]; k++) {
			const int32_t *st = mms_row(m, MMS_STAFF, ix->staff_ids[k]);
			if (pass == 0 ? st[S_ROLE] == ROLE_MANAGER
				      : st[S_ROLE] == ROLE_TEACHER && st[S_CATEGORY] == CAT_HIGHEST)
				CONSIDER(ix->staff_ids[k]);
		}
	/* 4: methodists of the nearest service above the organisation */
	for (int32_t u = org; best < 0 && u >= 0; u = mms_row(m, MMS_UNIT, u)[U_PARENT]) {
		for (int32_t k = ix->staff_start[u]; k < ix->staff_start[u + 1]; k++)
			if (mms_row(m, MMS_STAFF, ix->staff_ids[k])[S_ROLE] == ROLE_METHODIST)
				CONSIDER(ix->staff_ids[k]);
	}
	/* 5: the methodists of the region's ЦНППМ */
	int32_t region = b->region_of[org];
	for (int32_t k = region >= 0 ? b->cm_start[region] : 0;
	     best < 0 && region >= 0 && k < b->cm_start[region + 1]; k++)
		CONSIDER(b->cm[k]);
#undef CONSIDER
	if (best >= 0)
		b->load[best]++;
	return best;
}
