/*
 * The status of a route and of its steps at a date, replayed from their
 * events (route_events): draft → approved → active → completed, or
 * cancelled; steps planned → in_progress → done or failed. -1 stands for
 * draft (a route) or planned (a step), which no event records. The one
 * home of these rules: the planner, the lifecycle calls, the write checks
 * and the indicators read statuses here.
 */
#ifndef MMS_DOMAIN_ROUTE_STATUS_H
#define MMS_DOMAIN_ROUTE_STATUS_H

#include "model/model.h"

/* Every route's and step's status after the events dated up to until
 * (MMS_NONE: all of them), in two arrays of the caller's (mms_free). */
int mms_route_statuses_at(const mms_model *m, int32_t until, int32_t **route_status,
			  int32_t **step_status);
/* The status of a route (step < 0) or of a step after the events ids[0..n)
 * (ids NULL: every event, n their count) dated up to until (MMS_NONE: all);
 * *completed_on (may be NULL) the date the route was completed, else MMS_NONE. */
int32_t mms_route_status_replay(const mms_model *m, const int32_t *ids, size_t n, int32_t route,
				int32_t step, int32_t until, int32_t *completed_on);
/* Whether a step holds a place of its resource (a course seat, a mentor's
 * mentee): it has not failed and its route was not cancelled. */
int mms_route_step_holds_place(int32_t route_status, int32_t step_status);
/* Per resource, the places its live steps hold (taken[res], the caller's
 * array of one per resource), from the statuses above. A mentoring
 * resource's places are its mentor's mentees. */
void mms_route_places_taken(const mms_model *m, const int32_t *route_status,
			    const int32_t *step_status, int32_t *taken);
/* Whether a route is one its tutor still tutors: neither cancelled nor completed. */
int mms_route_is_open(int32_t route_status);

/* Signatures and revisions (docs/routes.md, "Signatures and revisions").
 * The route's latest revision (a route_revisions id), or -1. */
int32_t mms_route_latest_revision(const mms_model *m, int32_t route);
/* Whether a signature dated `on` (MMS_NONE: not given) holds for the
 * version of the route since its latest revision dated `revised` (MMS_NONE:
 * never revised): it is not dated before that revision. */
int mms_route_signature_holds(int32_t on, int32_t revised);
/* Whether the route's steps are locked: the current version of the route
 * carries a signature (agreed, approved or acknowledged), and no revision
 * dated after it waits to be signed. Then *what names the latest signature
 * that holds ("agreed", "approved", "acknowledged") and *on its date. */
int mms_route_steps_locked(const mms_model *m, int32_t route, const char **what, int32_t *on);

#endif
