/* Route and step status at a date (route_status.h). */
#include <string.h>

#include "domain/route_status.h"

int mms_route_statuses_at(const mms_model *m, int32_t until, int32_t **route_status,
			  int32_t **step_status)
{
	size_t nr = m->t[MMS_ROUTE].count, ns = m->t[MMS_ROUTE_STEP].count;
	int32_t *rs = mms_malloc((nr + 1) * sizeof *rs), *ss = mms_malloc((ns + 1) * sizeof *ss);
	*route_status = rs;
	*step_status = ss;
	if (!rs || !ss)
		return MMS_ENOMEM;
	memset(rs, 0xff, (nr + 1) * sizeof *rs); /* all -1 */
	memset(ss, 0xff, (ns + 1) * sizeof *ss);
	for (size_t i = 0; i < m->t[MMS_ROUTE_EVENT].count; i++) {
		const int32_t *ev = mms_row(m, MMS_ROUTE_EVENT, (int32_t)i);
		if (until != MMS_NONE && ev[EV_DATE] > until)
			continue;
		if (ev[EV_STEP] >= 0)
			ss[ev[EV_STEP]] = ev[EV_STATUS];
		else if (ev[EV_ROUTE] >= 0)
			rs[ev[EV_ROUTE]] = ev[EV_STATUS];
	}
	return MMS_OK;
}

int32_t mms_route_status_replay(const mms_model *m, const int32_t *ids, size_t n, int32_t route,
				int32_t step, int32_t until, int32_t *completed_on)
{
	int32_t status = -1;
	if (completed_on)
		*completed_on = MMS_NONE;
	for (size_t k = 0; k < n; k++) {
		const int32_t *ev = mms_row(m, MMS_ROUTE_EVENT, ids ? ids[k] : (int32_t)k);
		if ((until != MMS_NONE && ev[EV_DATE] > until) ||
		    (step >= 0 ? ev[EV_STEP] != step : ev[EV_ROUTE] != route || ev[EV_STEP] >= 0))
			continue;
		status = ev[EV_STATUS];
		if (completed_on && step < 0 && status == RS_COMPLETED)
			*completed_on = ev[EV_DATE];
	}
	return status;
}

int mms_route_step_holds_place(int32_t route_status, int32_t step_status)
{
	return route_status != RS_CANCELLED && step_status != RS_FAILED;
}

void mms_route_places_taken(const mms_model *m, const int32_t *route_status,
			    const int32_t *step_status, int32_t *taken)
{
	memset(taken, 0, m->t[MMS_RESOURCE].count * sizeof *taken);
	for (size_t s = 0; s < m->t[MMS_ROUTE_STEP].count; s++) {
		const int32_t *st = mms_row(m, MMS_ROUTE_STEP, (int32_t)s);
		if (st[ST_RESOURCE] >= 0 && st[ST_ROUTE] >= 0 &&
		    mms_model_live(m, MMS_ROUTE_STEP, (int32_t)s) &&
		    mms_route_step_holds_place(route_status[st[ST_ROUTE]], step_status[s]))
			taken[st[ST_RESOURCE]]++;
	}
}

int mms_route_is_open(int32_t route_status)
{
	return route_status != RS_CANCELLED && route_status != RS_COMPLETED;
}

int32_t mms_route_latest_revision(const mms_model *m, int32_t route)
{
	int32_t latest = -1;
	for (size_t i = 0; i < m->t[MMS_ROUTE_REVISION].count; i++) {
		const int32_t *r = mms_row(m, MMS_ROUTE_REVISION, (int32_t)i);
		if (r[RV_ROUTE] == route && mms_model_live(m, MMS_ROUTE_REVISION, (int32_t)i) &&
		    (latest < 0 || r[RV_NUMBER] > mms_row(m, MMS_ROUTE_REVISION, latest)[RV_NUMBER]))
			latest = (int32_t)i;
	}
	return latest;
}

int mms_route_signature_holds(int32_t on, int32_t revised)
{
	return on != MMS_NONE && (revised == MMS_NONE || on >= revised);
}

/* An approved route's steps are what its signatories signed: changing them
 * without a revision would leave signatures under a document nobody saw. */
int mms_route_steps_locked(const mms_model *m, int32_t route, const char **what, int32_t *on)
{
	static const struct {
		int field;
		const char *name;
	} sigs[] = {{RT_AGREED_ON, "agreed"}, {RT_APPROVED_ON, "approved"},
		    {RT_ACKNOWLEDGED_ON, "acknowledged"}};
	if (route < 0 || !mms_model_live(m, MMS_ROUTE, route))
		return 0;
	const int32_t *rt = mms_row(m, MMS_ROUTE, route);
	int32_t rev = mms_route_latest_revision(m, route);
	int32_t revised = rev >= 0 ? mms_row(m, MMS_ROUTE_REVISION, rev)[RV_DATE] : MMS_NONE;
	int locked = 0;
	for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++) {
		int32_t day = rt[sigs[k].field];
		if (!mms_route_signature_holds(day, revised) || (locked && day < *on))
			continue;
		locked = 1;
		*what = sigs[k].name;
		*on = day;
	}
	return locked;
}
