/*
 * The unit each record belongs to, written once. Indicators attribute a
 * record to it (src/kpi/engine.c), and a handle with an access scope may
 * write a record only when it is the scope's own (src/db/scope.c), so what
 * a school may change is exactly what counts in the school's values.
 *
 * A record belongs to what the first present field of its entity's row
 * names; a field naming another record hands the question on to that
 * record. So a participation, staff link, diagnostic or route belongs to
 * its person's organisation, whatever activity, unit or tutor it also
 * names; a participation of a unit itself (no staff), to that unit.
 */
#include "model.h"

const mms_owner_def mms_owners[MMS_ENTITY_COUNT] = {
	[MMS_UNIT] = {0, {0}},                   /* itself */
	[MMS_LINK] = {1, {L_FROM}},              /* the unit that declares it */
	[MMS_STAFF] = {1, {S_ORG}},
	[MMS_STAFF_LINK] = {1, {SL_STAFF}},      /* a membership is the member's */
	[MMS_ACTIVITY] = {2, {A_ORGANIZER, A_PROVIDER}},
	[MMS_PARTICIPATION] = {2, {P_STAFF, P_UNIT}},
	[MMS_TARGET] = {1, {T_UNIT}},
	[MMS_FACT] = {1, {FA_UNIT}},
	[MMS_COMPETENCY] = {0, {0}},             /* frameworks belong to nobody */
	[MMS_DIAGNOSTIC] = {1, {D_STAFF}},
	[MMS_RESOURCE] = {3, {R_PROVIDER, R_SITE, R_MENTOR}},
	[MMS_DEVELOPS] = {1, {DV_RESOURCE}},
	[MMS_ROUTE] = {1, {RT_STAFF}},           /* not the tutor's */
	[MMS_ROUTE_STEP] = {1, {ST_ROUTE}},
	[MMS_ROUTE_EVENT] = {1, {EV_ROUTE}},
	[MMS_PAST_VALUE] = {0, {0}},             /* names its record by code: nobody's */
	[MMS_ROUTE_DEFICIT] = {1, {RD_ROUTE}},
	[MMS_DIAGNOSTIC_SESSION] = {2, {DS_UNIT, DS_STAFF}}, /* the unit that ran it, else its methodist */
	[MMS_PROGRAMME] = {1, {PG_OWNER}},       /* the adopting unit's, not the territory's */
	[MMS_TASK] = {2, {TK_UNIT, TK_PROGRAMME}}, /* the responsible unit's, else the adopter's */
	[MMS_TASK_EVENT] = {1, {TE_TASK}},
	[MMS_MENTORING_PAIR] = {1, {MP_MENTEE}}, /* the mentee's, as a route is its teacher's */
	[MMS_ROUTE_REVISION] = {1, {RV_ROUTE}},
};
