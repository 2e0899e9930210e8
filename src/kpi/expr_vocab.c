/*
 * The vocabulary of the indicator expression language: the names of each
 * population (attributes) and the functions, with what they mean over the
 * model. The language (expr.c) knows none of it; it looks names up here.
 */
#include <math.h>
#include <string.h>

#include "domain/period.h"
#include "domain/route_status.h"
#include "domain/subject.h"
#include "expr_vocab.h"

const char *const mms_population_names[POP_COUNT] = {"staff", "units", "activities",
						     "participations"};
const int mms_population_entity[POP_COUNT] = {MMS_STAFF, MMS_UNIT, MMS_ACTIVITY,
					      MMS_PARTICIPATION};

/* ---- attributes ------------------------------------------------------ */

static const int32_t *srow(const expr_env *v, int32_t s) { return mms_row(v->m, MMS_STAFF, s); }
static const int32_t *urow(const expr_env *v, int32_t u) { return mms_row(v->m, MMS_UNIT, u); }
static const int32_t *arow(const expr_env *v, int32_t a) { return mms_row(v->m, MMS_ACTIVITY, a); }
static const int32_t *prow(const expr_env *v, int32_t p) { return mms_row(v->m, MMS_PARTICIPATION, p); }

/* Absent values read as NaN, so every comparison with them is false. */
static double opt(int32_t v, int32_t absent) { return v == absent ? NAN : (double)v; }

/* The end, then the same day each year before it (28 February for a 29th
 * in a common year): a birthday on or before anniv[k] is k years old. */
void mms_expr_anniversaries(expr_env *v)
{
	int y, m, d;
	mms_date_to_ymd(v->end, &y, &m, &d);
	for (int k = 0; k < MMS_ANNIVERSARIES; k++) {
		int last = mms_days_in_month(y - k, m);
		v->anniv[k] = mms_date_from_ymd(y - k, m, d < last ? d : last);
	}
}

/* Whole years from day to the period's end (mms_years_between): the k with
 * anniv[k + 1] < day <= anniv[k], found from below (a year has at most 366
 * days) in a step or two; dates past the end or too far back by the
 * arithmetic. */
static double years_to_end(const expr_env *v, int32_t day)
{
	if (day == MMS_NONE)
		return NAN;
	if (day > v->end)
		return mms_years_between(day, v->end);
	int k = (v->end - day) / 366;
	while (k + 1 < MMS_ANNIVERSARIES && day <= v->anniv[k + 1])
		k++;
	return k + 1 < MMS_ANNIVERSARIES ? k : mms_years_between(day, v->end);
}

/* A dated staff field as at the period's end (domain/employment.h). */
static int32_t s_at(const expr_env *v, int32_t s, int f)
{
	return mms_value_at(v->tl, v->m, MMS_STAFF, s, f, v->end);
}
static double s_role(const expr_env *v, int32_t r) { return s_at(v, r, S_ROLE); }
static double s_category(const expr_env *v, int32_t r) { return opt(s_at(v, r, S_CATEGORY), -1); }
static double s_edu(const expr_env *v, int32_t r) { return opt(s_at(v, r, S_EDU_LEVEL), -1); }
static double s_part(const expr_env *v, int32_t r) { return s_at(v, r, S_PART_TIME); }
static double s_age(const expr_env *v, int32_t r) { return years_to_end(v, srow(v, r)[S_BIRTH]); }
static double s_exp(const expr_env *v, int32_t r) { return years_to_end(v, srow(v, r)[S_WORK_START]); }
static double s_org_kind(const expr_env *v, int32_t r) { return urow(v, s_at(v, r, S_ORG))[U_KIND]; }
static double s_org_level(const expr_env *v, int32_t r) { return urow(v, s_at(v, r, S_ORG))[U_LEVEL]; }
static double s_rural(const expr_env *v, int32_t r) { return urow(v, s_at(v, r, S_ORG))[U_RURAL]; }
static double s_departed(const expr_env *v, int32_t r)
{
	int32_t end = srow(v, r)[S_WORK_END];
	return end != MMS_NONE && end < v->end;
}
static double u_kind(const expr_env *v, int32_t r) { return urow(v, r)[U_KIND]; }
static double u_level(const expr_env *v, int32_t r) { return urow(v, r)[U_LEVEL]; }
static double u_rural(const expr_env *v, int32_t r) { return urow(v, r)[U_RURAL]; }
static double u_site(const expr_env *v, int32_t r) { return opt(urow(v, r)[U_SITE_LEVEL], -1); }
static double a_kind(const expr_env *v, int32_t r) { return arow(v, r)[A_KIND]; }
static double a_level(const expr_env *v, int32_t r) { return opt(arow(v, r)[A_LEVEL], -1); }
static double a_hours(const expr_env *v, int32_t r) { return opt(arow(v, r)[A_HOURS], MMS_NONE); }
static double a_fr(const expr_env *v, int32_t r) { return arow(v, r)[A_FEDERAL_REGISTER]; }
static double a_format(const expr_env *v, int32_t r) { return opt(arow(v, r)[A_FORMAT], -1); }
static double a_purpose(const expr_env *v, int32_t r) { return opt(arow(v, r)[A_PURPOSE], -1); }
static double a_unit_attr(const expr_env *v, int32_t u, int f) { return u < 0 ? NAN : urow(v, u)[f]; }
static double a_org_kind(const expr_env *v, int32_t r) { return a_unit_attr(v, arow(v, r)[A_ORGANIZER], U_KIND); }
static double a_org_level(const expr_env *v, int32_t r) { return a_unit_attr(v, arow(v, r)[A_ORGANIZER], U_LEVEL); }
static double p_role(const expr_env *v, int32_t r) { return prow(v, r)[P_ROLE]; }
static double p_result(const expr_env *v, int32_t r) { return opt(prow(v, r)[P_RESULT], -1); }
static double p_score(const expr_env *v, int32_t r) { return opt(prow(v, r)[P_SCORE], MMS_NONE); }
static double p_hours(const expr_env *v, int32_t r) { return opt(prow(v, r)[P_HOURS], MMS_NONE); }
static double p_done(const expr_env *v, int32_t r)
{
	return mms_participation_completed_by(v->m, r, v->end);
}
static double p_akind(const expr_env *v, int32_t r) { return a_kind(v, prow(v, r)[P_ACTIVITY]); }
static double p_alevel(const expr_env *v, int32_t r) { return a_level(v, prow(v, r)[P_ACTIVITY]); }
static double p_ahours(const expr_env *v, int32_t r) { return a_hours(v, prow(v, r)[P_ACTIVITY]); }
static double p_afr(const expr_env *v, int32_t r) { return a_fr(v, prow(v, r)[P_ACTIVITY]); }
static double p_apurpose(const expr_env *v, int32_t r) { return a_purpose(v, prow(v, r)[P_ACTIVITY]); }
/* A participation of a unit has no staff: staff attributes read as NaN. */
static double p_staff(const expr_env *v, int32_t r, expr_getter g)
{
	int32_t s = prow(v, r)[P_STAFF];
	return s < 0 ? NAN : g(v, s);
}
static double p_srole(const expr_env *v, int32_t r) { return p_staff(v, r, s_role); }
static double p_scat(const expr_env *v, int32_t r) { return p_staff(v, r, s_category); }
static double p_sedu(const expr_env *v, int32_t r) { return p_staff(v, r, s_edu); }
static double p_sage(const expr_env *v, int32_t r) { return p_staff(v, r, s_age); }
static double p_sexp(const expr_env *v, int32_t r) { return p_staff(v, r, s_exp); }
static double p_spart(const expr_env *v, int32_t r) { return p_staff(v, r, s_part); }

#define S POP_STAFF
#define U POP_UNITS
#define A POP_ACTIVITIES
#define P POP_PARTICIPATIONS
const expr_attr mms_expr_attrs[] = {
	{"role", S, T_ENUM, E_ROLE, s_role},
	{"category", S, T_ENUM, E_CATEGORY, s_category},
	{"edu_level", S, T_ENUM, E_EDU_LEVEL, s_edu},
	{"part_time", S, T_BOOL, 0, s_part},
	{"age", S, T_NUM, 0, s_age},
	{"experience_years", S, T_NUM, 0, s_exp},
	{"org_kind", S, T_ENUM, E_UNIT_KIND, s_org_kind},
	{"org_level", S, T_ENUM, E_LEVEL, s_org_level},
	{"rural", S, T_BOOL, 0, s_rural},
	{"departed", S, T_BOOL, 0, s_departed},
	{"kind", U, T_ENUM, E_UNIT_KIND, u_kind},
	{"level", U, T_ENUM, E_LEVEL, u_level},
	{"rural", U, T_BOOL, 0, u_rural},
	{"site_level", U, T_ENUM, E_LEVEL, u_site},
	{"kind", A, T_ENUM, E_ACTIVITY_KIND, a_kind},
	{"level", A, T_ENUM, E_LEVEL, a_level},
	{"hours", A, T_NUM, 0, a_hours},
	{"federal_register", A, T_BOOL, 0, a_fr},
	{"format", A, T_ENUM, E_FORMAT, a_format},
	{"organizer_kind", A, T_ENUM, E_UNIT_KIND, a_org_kind},
	{"organizer_level", A, T_ENUM, E_LEVEL, a_org_level},
	{"purpose", A, T_ENUM, E_PURPOSE, a_purpose},
	{"role", P, T_ENUM, E_PART_ROLE, p_role},
	{"result", P, T_ENUM, E_RESULT, p_result},
	{"score", P, T_NUM, 0, p_score},
	{"hours", P, T_NUM, 0, p_hours},
	{"completed", P, T_BOOL, 0, p_done},
	{"activity.kind", P, T_ENUM, E_ACTIVITY_KIND, p_akind},
	{"activity.level", P, T_ENUM, E_LEVEL, p_alevel},
	{"activity.hours", P, T_NUM, 0, p_ahours},
	{"activity.federal_register", P, T_BOOL, 0, p_afr},
	{"staff.role", P, T_ENUM, E_ROLE, p_srole},
	{"staff.category", P, T_ENUM, E_CATEGORY, p_scat},
	{"staff.edu_level", P, T_ENUM, E_EDU_LEVEL, p_sedu},
	{"staff.age", P, T_NUM, 0, p_sage},
	{"staff.experience_years", P, T_NUM, 0, p_sexp},
	{"staff.part_time", P, T_BOOL, 0, p_spart},
	{"activity.purpose", P, T_ENUM, E_PURPOSE, p_apurpose},
};
#define NATTRS ((int)(sizeof mms_expr_attrs / sizeof mms_expr_attrs[0]))

int mms_vocab_attr(int pop, const char *name, size_t len)
{
	for (int i = 0; i < NATTRS; i++)
		if (mms_expr_attrs[i].pop == pop && strlen(mms_expr_attrs[i].name) == len &&
		    !memcmp(mms_expr_attrs[i].name, name, len))
			return i;
	return -1;
}

/* ---- functions ------------------------------------------------------- */

enum fn { FN_PARTICIPATED, FN_MEMBER, FN_SUBJECT, FN_HAS_CHILD, FN_HAS_DIRECTION, FN_LINKED,
	  FN_FACT, FN_HAS_FACT, FN_ORG_HAS_FACT, FN_DIAGNOSED, FN_DIAGNOSTIC_SCORE, FN_HAS_ROUTE,
	  FN_ROUTE_COMPLETED, FN_ROUTE_COURSE_DONE, FN_SUPPORTED, FN_LONGEST_GAP, FN_ORGANISED_BY,
	  FN_MENTORING_PAIR, FN_COUNT };

static const expr_fn fns[FN_COUNT] = {
	{"participated", FN_PARTICIPATED, 1u << S | 1u << U, E_ACTIVITY_KIND, T_BOOL},
	{"member", FN_MEMBER, 1u << S, E_UNIT_KIND, T_BOOL},
	{"subject", FN_SUBJECT, 1u << S, FIRST_TEXT, T_BOOL},
	{"has_child", FN_HAS_CHILD, 1u << U, E_UNIT_KIND, T_BOOL},
	{"has_direction", FN_HAS_DIRECTION, 1u << U, E_DIRECTION, T_BOOL},
	{"linked", FN_LINKED, 1u << U, E_LINK_KIND, T_BOOL},
	{"fact", FN_FACT, 1u << U, FIRST_TEXT, T_NUM},
	{"has_fact", FN_HAS_FACT, 1u << U, FIRST_TEXT, T_BOOL},
	{"org_has_fact", FN_ORG_HAS_FACT, 1u << S, FIRST_TEXT, T_BOOL},
	{"diagnosed", FN_DIAGNOSED, 1u << S, FIRST_NONE, T_BOOL},
	{"diagnostic_score", FN_DIAGNOSTIC_SCORE, 1u << S, FIRST_NONE, T_NUM},
	{"has_route", FN_HAS_ROUTE, 1u << S, FIRST_NONE, T_BOOL},
	{"route_completed", FN_ROUTE_COMPLETED, 1u << S, FIRST_NONE, T_BOOL},
	{"route_course_done", FN_ROUTE_COURSE_DONE, 1u << S, FIRST_NONE, T_BOOL},
	{"supported", FN_SUPPORTED, 1u << S, FIRST_NONE, T_BOOL},
	{"longest_gap", FN_LONGEST_GAP, 1u << U, E_ACTIVITY_KIND, T_NUM},
	{"organised_by", FN_ORGANISED_BY, 1u << A, E_UNIT_KIND, T_BOOL},
	{"mentoring_pair", FN_MENTORING_PAIR, 1u << S | 1u << U, FIRST_NONE, T_BOOL},
};

/* The named arguments each function takes (docs/indicators.md):
 * participated(kind, role=, result=, level=, federal_register=, completed=,
 * years=, provider_kind=, provider_level=, organizer_kind=, purpose=,
 * staff_role= (units)); member(kind, role=, during=); linked(kind, during=);
 * supported(during=); diagnostic_score(during=); diagnosed(years=);
 * route_completed(years=); route_course_done(federal_register=, years=);
 * has_route(tutor_kind=, developer_kind=, during=, approved=);
 * mentoring_pair(role= (staff: mentor or mentee)). */
static const struct fn_arg {
	int fn;
	unsigned pops;
	expr_arg arg;
} fn_args[] = {
	{FN_PARTICIPATED, 1u << S | 1u << U, {"role", ARG_ROLE, ARG_ENUM, E_PART_ROLE}},
	{FN_PARTICIPATED, 1u << S | 1u << U, {"result", ARG_RESULT, ARG_ENUM, E_RESULT}},
	{FN_PARTICIPATED, 1u << S | 1u << U, {"level", ARG_LEVEL, ARG_ENUM, E_LEVEL}},
	{FN_PARTICIPATED, 1u << S | 1u << U, {"federal_register", ARG_FR, ARG_BOOL, 0}},
	{FN_PARTICIPATED, 1u << S | 1u << U, {"completed", ARG_COMPLETED, ARG_BOOL, 0}},
	{FN_PARTICIPATED, 1u << S | 1u << U, {"years", ARG_YEARS, ARG_YEARS_VALUE, 0}},
	{FN_PARTICIPATED, 1u << S | 1u << U, {"provider_kind", ARG_PROVIDER_KIND, ARG_ENUM, E_UNIT_KIND}},
	{FN_PARTICIPATED, 1u << S | 1u << U, {"provider_level", ARG_PROVIDER_LEVEL, ARG_ENUM, E_LEVEL}},
	{FN_PARTICIPATED, 1u << S | 1u << U, {"organizer_kind", ARG_ORGANIZER_KIND, ARG_ENUM, E_UNIT_KIND}},
	{FN_PARTICIPATED, 1u << S | 1u << U, {"purpose", ARG_PURPOSE, ARG_ENUM, E_PURPOSE}},
	{FN_PARTICIPATED, 1u << U, {"staff_role", ARG_STAFF_ROLE, ARG_ENUM, E_ROLE}},
	{FN_MEMBER, 1u << S, {"role", ARG_ROLE, ARG_ENUM, E_STAFF_LINK_KIND}},
	{FN_MEMBER, 1u << S, {"during", ARG_DURING, ARG_BOOL, 0}},
	{FN_LINKED, 1u << U, {"during", ARG_DURING, ARG_BOOL, 0}},
	{FN_SUPPORTED, 1u << S, {"during", ARG_DURING, ARG_BOOL, 0}},
	{FN_DIAGNOSTIC_SCORE, 1u << S, {"during", ARG_DURING, ARG_BOOL, 0}},
	{FN_DIAGNOSED, 1u << S, {"years", ARG_YEARS, ARG_YEARS_VALUE, 0}},
	{FN_ROUTE_COMPLETED, 1u << S, {"years", ARG_YEARS, ARG_YEARS_VALUE, 0}},
	{FN_ROUTE_COURSE_DONE, 1u << S, {"years", ARG_YEARS, ARG_YEARS_VALUE, 0}},
	{FN_ROUTE_COURSE_DONE, 1u << S, {"federal_register", ARG_FR, ARG_BOOL, 0}},
	{FN_HAS_ROUTE, 1u << S, {"during", ARG_DURING, ARG_BOOL, 0}},
	{FN_HAS_ROUTE, 1u << S, {"tutor_kind", ARG_TUTOR_KIND, ARG_ENUM, E_UNIT_KIND}},
	{FN_HAS_ROUTE, 1u << S, {"developer_kind", ARG_DEVELOPER_KIND, ARG_ENUM, E_UNIT_KIND}},
	{FN_HAS_ROUTE, 1u << S, {"approved", ARG_APPROVED, ARG_BOOL, 0}},
	{FN_MENTORING_PAIR, 1u << S, {"role", ARG_ROLE, ARG_ENUM, E_PART_ROLE}},
};

const expr_fn *mms_vocab_fn(const char *name, size_t len)
{
	for (size_t i = 0; i < FN_COUNT; i++)
		if (strlen(fns[i].name) == len && !memcmp(fns[i].name, name, len))
			return &fns[i];
	return NULL;
}

const expr_arg *mms_vocab_arg(const expr_fn *f, int pop, const char *name)
{
	for (size_t i = 0; i < sizeof fn_args / sizeof *fn_args; i++)
		if (fn_args[i].fn == f->fn && (fn_args[i].pops & (1u << pop)) &&
		    !strcmp(fn_args[i].arg.name, name))
			return &fn_args[i].arg;
	return NULL;
}

const char *mms_vocab_fact_key(const expr_call *c)
{
	return c->fn == FN_FACT || c->fn == FN_HAS_FACT || c->fn == FN_ORG_HAS_FACT ? c->text : NULL;
}

int mms_vocab_name_taken(int pop, const char *name)
{
	if (mms_vocab_attr(pop, name, strlen(name)) >= 0)
		return 1;
	for (size_t i = 0; i < FN_COUNT; i++)
		if (!strcmp(fns[i].name, name))
			return 1;
	return 0;
}

/* Whether a call reads links or results at any time in the period
 * (during = true) rather than at its end. */
static int during(const expr_call *c) { return c->arg[ARG_DURING] == 1; }

/* Whether unit u is of that kind or one of its structures: a subunit
 * belongs to its parent, and a unit to a parent of its own level (a
 * municipal service's associations and communities are the service's; its
 * schools, a level below, are not). */
static int organised_by(const expr_env *v, int32_t u, int32_t kind)
{
	while (u >= 0) { /* the hierarchy has no cycle (imports refuse one) */
		const int32_t *r = urow(v, u);
		if (r[U_KIND] == kind)
			return 1;
		int32_t up = r[U_PARENT];
		if (up < 0 || (r[U_LEVEL] != LV_SUBUNIT && urow(v, up)[U_LEVEL] != r[U_LEVEL]))
			return 0;
		u = up;
	}
	return 0;
}

/* The window of a call: the period, or `years` whole years to its end. */
static int32_t window_start(const expr_env *v, const expr_call *c)
{
	int years = c->arg[ARG_YEARS];
	return years > 0 ? mms_period_window_start(v->end, years) : v->start;
}

static int part_matches(const expr_env *v, const expr_call *c, int32_t p)
{
	const int32_t *r = prow(v, p), *a = arow(v, r[P_ACTIVITY]);
	if (a[A_KIND] != c->kind || (c->arg[ARG_ROLE] >= 0 && r[P_ROLE] != c->arg[ARG_ROLE]) ||
	    (c->arg[ARG_RESULT] >= 0 && (r[P_RESULT] < 0 || r[P_RESULT] < c->arg[ARG_RESULT])) ||
	    (c->arg[ARG_LEVEL] >= 0 && a[A_LEVEL] != c->arg[ARG_LEVEL]) ||
	    (c->arg[ARG_FR] >= 0 && a[A_FEDERAL_REGISTER] != c->arg[ARG_FR]) ||
	    (c->arg[ARG_PURPOSE] >= 0 && a[A_PURPOSE] != c->arg[ARG_PURPOSE]) ||
	    (c->arg[ARG_COMPLETED] >= 0 &&
	     mms_participation_completed_by(v->m, p, v->end) != c->arg[ARG_COMPLETED]))
		return 0;
	if (c->arg[ARG_ORGANIZER_KIND] >= 0 &&
	    !organised_by(v, a[A_ORGANIZER], c->arg[ARG_ORGANIZER_KIND]))
		return 0;
	if (c->arg[ARG_PROVIDER_KIND] >= 0 || c->arg[ARG_PROVIDER_LEVEL] >= 0) {
		if (a[A_PROVIDER] < 0)
			return 0;
		const int32_t *pu = urow(v, a[A_PROVIDER]);
		if ((c->arg[ARG_PROVIDER_KIND] >= 0 && pu[U_KIND] != c->arg[ARG_PROVIDER_KIND]) ||
		    (c->arg[ARG_PROVIDER_LEVEL] >= 0 && pu[U_LEVEL] != c->arg[ARG_PROVIDER_LEVEL]))
			return 0;
	}
	int32_t s, e;
	return mms_participation_dates(v->m, p, &s, &e) &&
	       mms_period_meets(s, e, window_start(v, c), v->end);
}

static int any_part(const expr_env *v, const expr_call *c, const int32_t *start,
		    const int32_t *ids, int32_t key)
{
	for (int32_t k = start[key]; k < start[key + 1]; k++)
		if (part_matches(v, c, ids[k]))
			return 1;
	return 0;
}

/* A link's validity as the call asks: at the period's end, or (during =
 * true) at any time in it. */
static int link_valid(const expr_env *v, const expr_call *c, int32_t s, int32_t e)
{
	return during(c) ? mms_period_valid_during(s, e, v->start, v->end)
			 : mms_period_valid_on(s, e, v->end);
}

/* The status of a route at the end of the period, from its events up to
 * then: -1 draft, else the route status. *completed_on is the date it was
 * completed, or MMS_NONE. */
static int32_t route_status_at(const expr_env *v, int32_t route, int32_t *completed_on)
{
	int32_t k = v->re_start[route];
	return mms_route_status_replay(v->m, v->re + k, (size_t)(v->re_start[route + 1] - k), route,
				       -1, v->end, completed_on);
}

/* When a route was developed: the date its developer signed, else its
 * start, else its first status (its approval); MMS_NONE for a route with
 * none of them, which belongs to no period. */
static int32_t route_developed_on(const expr_env *v, int32_t route)
{
	const int32_t *rt = mms_row(v->m, MMS_ROUTE, route);
	int32_t on = rt[RT_DEVELOPED_ON] != MMS_NONE ? rt[RT_DEVELOPED_ON] : rt[RT_START];
	for (int32_t k = v->re_start[route]; on == MMS_NONE && k < v->re_start[route + 1]; k++) {
		const int32_t *ev = mms_row(v->m, MMS_ROUTE_EVENT, v->re[k]);
		if (ev[EV_STEP] < 0)
			on = ev[EV_DATE];
	}
	return on;
}

/* Whether a route was developed in the period by a unit of the call's
 * kind or one of its structures (a ЦНППМ's department is the ЦНППМ). */
static int developed_by(const expr_env *v, const expr_call *c, int32_t route)
{
	int32_t on = route_developed_on(v, route);
	return on != MMS_NONE && on >= window_start(v, c) && on <= v->end &&
	       organised_by(v, mms_route_developing_unit(v->m, route), c->arg[ARG_DEVELOPER_KIND]);
}

static double route_call(const expr_env *v, const expr_call *c, int32_t staff)
{
	const mms_model *m = v->m;
	int32_t from = window_start(v, c);
	for (int32_t k = v->rt_start[staff]; k < v->rt_start[staff + 1]; k++) {
		int32_t route = v->rt[k], done_on;
		const int32_t *rt = mms_row(m, MMS_ROUTE, route);
		int32_t status = route_status_at(v, route, &done_on);
		if (status == RS_CANCELLED || (rt[RT_START] != MMS_NONE && rt[RT_START] > v->end))
			continue;
		if (c->fn == FN_HAS_ROUTE) {
			/* approved = true: not a draft by the end (approved, under way or done) */
			if (c->arg[ARG_APPROVED] >= 0 && (status >= 0) != c->arg[ARG_APPROVED])
				continue;
			int32_t on = during(c) ? route_developed_on(v, route) : MMS_NONE;
			if (during(c) && (on == MMS_NONE || on < v->start || on > v->end))
				continue; /* "developed in the year", not any route by its end */
			if ((c->arg[ARG_TUTOR_KIND] < 0 ||
			     (rt[RT_TUTOR] >= 0 &&
			      urow(v, srow(v, rt[RT_TUTOR])[S_ORG])[U_KIND] == c->arg[ARG_TUTOR_KIND])) &&
			    (c->arg[ARG_DEVELOPER_KIND] < 0 || developed_by(v, c, route)))
				return 1;
		} else if (c->fn == FN_ROUTE_COMPLETED) {
			if (done_on != MMS_NONE && done_on >= from)
				return 1;
		} else { /* a course step done within the window */
			for (int32_t e = v->re_start[route]; e < v->re_start[route + 1]; e++) {
				const int32_t *ev = mms_row(m, MMS_ROUTE_EVENT, v->re[e]);
				if (ev[EV_STEP] < 0 || ev[EV_STATUS] != RS_DONE || ev[EV_DATE] < from ||
				    ev[EV_DATE] > v->end)
					continue;
				const int32_t *res = mms_row(m, MMS_RESOURCE,
							     mms_row(m, MMS_ROUTE_STEP, ev[EV_STEP])[ST_RESOURCE]);
				if (res[R_KIND] == RK_COURSE &&
				    (c->arg[ARG_FR] < 0 || res[R_FEDERAL_REGISTER] == c->arg[ARG_FR]))
					return 1;
			}
		}
	}
	return 0;
}

/* Diagnostics: whether the person was diagnosed in the window, or the mean
 * of their latest result in each competency or indicator by its end (with
 * during = true, of the results dated within the period only). */
static double diagnostic_call(const expr_env *v, const expr_call *c, int32_t staff)
{
	const mms_model *m = v->m;
	int32_t from = window_start(v, c);
	double sum = 0;
	int n = 0;
	for (int32_t k = v->dg_start[staff]; k < v->dg_start[staff + 1]; k++) {
		const int32_t *d = mms_row(m, MMS_DIAGNOSTIC, v->dg[k]);
		if (d[D_DATE] > v->end || (during(c) && d[D_DATE] < v->start))
			continue;
		if (c->fn == FN_DIAGNOSED) {
			if (d[D_DATE] >= from)
				return 1;
			continue;
		}
		/* the latest result by the end in each competency: the greatest
		 * (date, position), kept in v->latest for the pass below */
		int32_t *l = &v->latest[d[D_COMPETENCY]];
		if (*l < 0 || mms_row(m, MMS_DIAGNOSTIC, v->dg[*l])[D_DATE] <= d[D_DATE])
			*l = k;
	}
	if (c->fn == FN_DIAGNOSED)
		return 0;
	/* summed in the order of the results, then the scratch cleared */
	for (int32_t k = v->dg_start[staff]; k < v->dg_start[staff + 1]; k++) {
		const int32_t *d = mms_row(m, MMS_DIAGNOSTIC, v->dg[k]);
		if (v->latest[d[D_COMPETENCY]] != k)
			continue;
		static const double levels[] = {40, 70, 85, 95}; /* as docs/routes.md */
		sum += d[D_SCORE] != MMS_NONE ? (double)d[D_SCORE] / MMS_DEC_SCALE : levels[d[D_LEVEL]];
		n++;
	}
	for (int32_t k = v->dg_start[staff]; k < v->dg_start[staff + 1]; k++)
		v->latest[mms_row(m, MMS_DIAGNOSTIC, v->dg[k])[D_COMPETENCY]] = -1;
	return n ? sum / n : NAN;
}

/* Whether unit w is u or one of u's structures: below it at its level, or
 * a subunit (as organised_by() climbs). */
static int structure_of(const expr_env *v, int32_t w, int32_t u)
{
	while (w != u) {
		const int32_t *r = urow(v, w);
		int32_t up = r[U_PARENT];
		if (up < 0 || (r[U_LEVEL] != LV_SUBUNIT && urow(v, up)[U_LEVEL] != r[U_LEVEL]))
			return 0;
		w = up;
	}
	return 1;
}

/* The first activity day of kind organised by u or its structures after
 * day `after` and within the period, or MMS_NONE. */
static int32_t next_activity_day(const expr_env *v, int32_t kind, int32_t u, int32_t after)
{
	int32_t best = MMS_NONE;
	for (int32_t k = v->ix->tin[u]; k < v->ix->tout[u]; k++) {
		int32_t w = v->ix->pre[k];
		if (v->ao_start[w] == v->ao_start[w + 1] || !structure_of(v, w, u))
			continue;
		for (int32_t j = v->ao_start[w]; j < v->ao_start[w + 1]; j++) {
			const int32_t *a = arow(v, v->ao[j]);
			int32_t s, e;
			if (a[A_KIND] != kind || !mms_period_span(a[A_START], a[A_END], &s, &e))
				continue;
			if (s > after && s <= v->end && (best == MMS_NONE || s < best))
				best = s;
		}
	}
	return best;
}

/* The longest run of days in the period between activities of a kind the
 * unit (or one of its structures) organised, by their first days: from the
 * period's first day to the first, between each and the next, and from the
 * last to the period's last day (seed 000 П11, «не реже 1 раза в две
 * недели»: no run over 14). With none, the whole period. */
static double longest_gap(const expr_env *v, int32_t kind, int32_t u)
{
	int32_t at = v->start, longest = 0;
	for (;;) {
		int32_t next = next_activity_day(v, kind, u, at);
		int32_t to = next == MMS_NONE ? v->end : next;
		if (to - at > longest)
			longest = to - at;
		if (next == MMS_NONE)
			return longest;
		at = next;
	}
}

double mms_fact_value(const expr_env *v, int32_t unit, const char *key)
{
	const mms_model *m = v->m;
	double value = NAN;
	/* facts of a unit are in id order, so the last match is the latest */
	for (int32_t k = v->fact_start[unit]; k < v->fact_start[unit + 1]; k++) {
		const int32_t *f = mms_row(m, MMS_FACT, v->fact[k]);
		if (f[FA_YEAR] == v->year && !strcmp(mms_str(m, f[FA_KEY]), key))
			value = f[FA_VALUE] == MMS_NONE ? NAN : (double)f[FA_VALUE] / MMS_DEC_SCALE;
	}
	return value;
}

/* The staff of unit u at the period's end, one per call (domain/employment.h). */
static int32_t unit_staff(const expr_env *v, int32_t u, int32_t *k)
{
	return mms_unit_staff_next(v->tl, v->m, v->ix->staff_start, v->ix->staff_ids, u, v->end, k);
}

/* Whether a mentoring pair runs at some time in the period (an absent
 * start or end is open). */
static int pair_in_period(const expr_env *v, int32_t pair)
{
	const int32_t *p = mms_row(v->m, MMS_MENTORING_PAIR, pair);
	return mms_period_valid_during(p[MP_START], p[MP_END], v->start, v->end);
}

/* Mentoring pairs of the target model (docs/routes.md): a person in a pair
 * during the period (as mentor or mentee with role=); a unit running a pair
 * of its own staff, mentor and mentee both working there — someone who only
 * attends another school's mentoring does not make their school count. */
static double pair_call(const expr_env *v, const expr_call *c, int pop, int32_t rec)
{
	if (pop == POP_STAFF) {
		for (int pass = 0; pass < 2; pass++) {
			const int32_t *start = pass ? v->mr_start : v->mp_start, *ids = pass ? v->mr : v->mp;
			if (c->arg[ARG_ROLE] >= 0 && c->arg[ARG_ROLE] != (pass ? PR_MENTOR : PR_MENTEE))
				continue;
			for (int32_t k = start[rec]; k < start[rec + 1]; k++)
				if (pair_in_period(v, ids[k]))
					return 1;
		}
		return 0;
	}
	for (int32_t at = 0, mentee; (mentee = unit_staff(v, rec, &at)) >= 0;) {
		for (int32_t k = v->mp_start[mentee]; k < v->mp_start[mentee + 1]; k++) {
			int32_t mentor = mms_row(v->m, MMS_MENTORING_PAIR, v->mp[k])[MP_MENTOR];
			if (s_at(v, mentor, S_ORG) == rec && pair_in_period(v, v->mp[k]))
				return 1;
		}
	}
	return 0;
}

double mms_vocab_call(const expr_env *v, const expr_call *c, int pop, int32_t rec)
{
	const mms_model *m = v->m;
	switch (c->fn) {
	case FN_FACT:
		return mms_fact_value(v, rec, c->text);
	case FN_DIAGNOSED:
	case FN_DIAGNOSTIC_SCORE:
		return diagnostic_call(v, c, rec);
	case FN_HAS_ROUTE:
	case FN_ROUTE_COMPLETED:
	case FN_ROUTE_COURSE_DONE:
		return route_call(v, c, rec);
	case FN_LONGEST_GAP:
		return longest_gap(v, c->kind, rec);
	case FN_ORGANISED_BY: /* the centre's events include its departments' */
		return organised_by(v, arow(v, rec)[A_ORGANIZER], c->kind);
	case FN_HAS_FACT:
	case FN_ORG_HAS_FACT: {
		int32_t unit = c->fn == FN_HAS_FACT ? rec : s_at(v, rec, S_ORG);
		double f = mms_fact_value(v, unit, c->text);
		return !isnan(f) && f != 0;
	}
	case FN_PARTICIPATED:
		if (pop == POP_STAFF)
			return any_part(v, c, v->part_staff_start, v->part_staff, rec);
		/* a unit takes part itself or through any of its staff; with
		 * staff_role, only through its staff of that role */
		if (c->arg[ARG_STAFF_ROLE] < 0 && any_part(v, c, v->part_unit_start, v->part_unit, rec))
			return 1;
		for (int32_t k = 0, s; (s = unit_staff(v, rec, &k)) >= 0;) {
			if ((c->arg[ARG_STAFF_ROLE] < 0 || s_at(v, s, S_ROLE) == c->arg[ARG_STAFF_ROLE]) &&
			    any_part(v, c, v->part_staff_start, v->part_staff, s))
				return 1;
		}
		return 0;
	case FN_MENTORING_PAIR:
		return pair_call(v, c, pop, rec);
	case FN_SUPPORTED: /* a methodist's supports link to the person */
		for (int32_t k = v->st_start[rec]; k < v->st_start[rec + 1]; k++) {
			const int32_t *l = mms_row(m, MMS_STAFF_LINK, v->st[k]);
			if (l[SL_KIND] == SL_SUPPORTS && link_valid(v, c, l[SL_START], l[SL_END]))
				return 1;
		}
		return 0;
	case FN_MEMBER:
		for (int32_t k = v->sl_start[rec]; k < v->sl_start[rec + 1]; k++) {
			const int32_t *l = mms_row(m, MMS_STAFF_LINK, v->sl[k]);
			if (l[SL_KIND] == SL_SUPPORTS || l[SL_UNIT] < 0 ||
			    (c->arg[ARG_ROLE] >= 0 && l[SL_KIND] != c->arg[ARG_ROLE]) ||
			    urow(v, l[SL_UNIT])[U_KIND] != c->kind ||
			    !link_valid(v, c, l[SL_START], l[SL_END]))
				continue;
			return 1;
		}
		return 0;
	case FN_SUBJECT: {
		int32_t list = srow(v, rec)[S_SUBJECTS];
		for (int32_t k = 0; list && k < m->lists[list]; k++)
			if (mms_subject_same(mms_str(m, m->lists[list + 1 + k]), c->text))
				return 1;
		return 0;
	}
	case FN_HAS_CHILD:
		for (int32_t k = v->ix->child_start[rec]; k < v->ix->child_start[rec + 1]; k++)
			if (urow(v, v->ix->children[k])[U_KIND] == c->kind)
				return 1;
		return 0;
	case FN_HAS_DIRECTION:
		return (urow(v, rec)[U_DIRECTIONS] >> c->kind) & 1;
	case FN_LINKED:
		for (int32_t k = v->ix->link_start[rec]; k < v->ix->link_start[rec + 1]; k++) {
			const int32_t *l = mms_row(m, MMS_LINK, v->ix->link_ids[k]);
			if (l[L_KIND] == c->kind && link_valid(v, c, l[L_START], l[L_END]))
				return 1;
		}
		return 0;
	}
	return NAN;
}

