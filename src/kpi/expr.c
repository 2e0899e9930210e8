/*
 * Compiler and evaluator of indicator expressions. Recursive descent emits
 * postfix code directly; each sub-expression returns its type, so type
 * errors are found at compile time, with the column where they occur.
 * Text literals only ever meet enum attributes and are resolved to enum
 * indexes while compiling, so evaluation works on numbers alone.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

const char *const mms_population_names[POP_COUNT] = {"staff", "units", "activities",
						     "participations"};
const int mms_population_entity[POP_COUNT] = {MMS_STAFF, MMS_UNIT, MMS_ACTIVITY,
					      MMS_PARTICIPATION};

enum { T_NUM, T_BOOL, T_ENUM, T_TEXT };

enum op { OP_NUM, OP_ATTR, OP_CALL, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG, OP_AND, OP_OR, OP_NOT, OP_IN, OP_TRUTH };

struct ins {
	uint8_t op;
	int32_t arg;  /* attribute or call index; OP_IN: bitmask; OP_AND, OP_OR: where to jump */
	double num;
};

#define STACK 64
#define MAX_NESTING 48 /* the parser recurses: a hostile definition must not exhaust the stack */

/* ---- attributes ------------------------------------------------------ */

typedef double (*getter)(const expr_env *env, int32_t rec);

typedef struct attr_def {
	const char *name;
	uint8_t pop, type, enum_id;
	getter get;
} attr_def;

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

static double s_role(const expr_env *v, int32_t r) { return srow(v, r)[S_ROLE]; }
static double s_category(const expr_env *v, int32_t r) { return opt(srow(v, r)[S_CATEGORY], -1); }
static double s_edu(const expr_env *v, int32_t r) { return opt(srow(v, r)[S_EDU_LEVEL], -1); }
static double s_part(const expr_env *v, int32_t r) { return srow(v, r)[S_PART_TIME]; }
static double s_age(const expr_env *v, int32_t r) { return years_to_end(v, srow(v, r)[S_BIRTH]); }
static double s_exp(const expr_env *v, int32_t r) { return years_to_end(v, srow(v, r)[S_WORK_START]); }
static double s_org_kind(const expr_env *v, int32_t r) { return urow(v, srow(v, r)[S_ORG])[U_KIND]; }
static double s_org_level(const expr_env *v, int32_t r) { return urow(v, srow(v, r)[S_ORG])[U_LEVEL]; }
static double s_rural(const expr_env *v, int32_t r) { return urow(v, srow(v, r)[S_ORG])[U_RURAL]; }
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
static double a_unit_attr(const expr_env *v, int32_t u, int f) { return u < 0 ? NAN : urow(v, u)[f]; }
static double a_org_kind(const expr_env *v, int32_t r) { return a_unit_attr(v, arow(v, r)[A_ORGANIZER], U_KIND); }
static double a_org_level(const expr_env *v, int32_t r) { return a_unit_attr(v, arow(v, r)[A_ORGANIZER], U_LEVEL); }
static double p_role(const expr_env *v, int32_t r) { return prow(v, r)[P_ROLE]; }
static double p_result(const expr_env *v, int32_t r) { return opt(prow(v, r)[P_RESULT], -1); }
static double p_score(const expr_env *v, int32_t r) { return opt(prow(v, r)[P_SCORE], MMS_NONE); }
static double p_hours(const expr_env *v, int32_t r) { return opt(prow(v, r)[P_HOURS], MMS_NONE); }
static int completed_by_end(const expr_env *v, int32_t p);
static double p_done(const expr_env *v, int32_t r) { return completed_by_end(v, r); }
static double p_akind(const expr_env *v, int32_t r) { return a_kind(v, prow(v, r)[P_ACTIVITY]); }
static double p_alevel(const expr_env *v, int32_t r) { return a_level(v, prow(v, r)[P_ACTIVITY]); }
static double p_ahours(const expr_env *v, int32_t r) { return a_hours(v, prow(v, r)[P_ACTIVITY]); }
static double p_afr(const expr_env *v, int32_t r) { return a_fr(v, prow(v, r)[P_ACTIVITY]); }
/* A participation of a unit has no staff: staff attributes read as NaN. */
static double p_staff(const expr_env *v, int32_t r, getter g)
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
static const attr_def attrs[] = {
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
};
#define NATTRS ((int)(sizeof attrs / sizeof attrs[0]))

/* ---- functions ------------------------------------------------------- */

enum fn { FN_PARTICIPATED, FN_MEMBER, FN_SUBJECT, FN_HAS_CHILD, FN_HAS_DIRECTION, FN_LINKED,
	  FN_FACT, FN_HAS_FACT, FN_ORG_HAS_FACT, FN_DIAGNOSED, FN_DIAGNOSTIC_SCORE, FN_HAS_ROUTE,
	  FN_ROUTE_COMPLETED, FN_ROUTE_COURSE_DONE, FN_SUPPORTED, FN_MENTORING_PAIR };

struct expr_call {
	int fn;
	int32_t kind;          /* activity, unit, link kind or direction */
	int32_t role, result, level, fr, completed; /* -1 = any */
	int32_t provider_kind, provider_level;      /* -1 = any */
	int32_t tutor_kind;                         /* has_route: -1 = any */
	int32_t developer_kind;                     /* has_route: -1 = any */
	int32_t organizer_kind, staff_role;         /* participated: -1 = any */
	int during;            /* links, results: any time in the period, not only at its end */
	double years;          /* window ending at the period's end; 0 = the period */
	char *text;            /* subject */
};

int mms_participation_dates(const mms_model *m, int32_t p, int32_t *start, int32_t *end)
{
	const int32_t *r = mms_row(m, MMS_PARTICIPATION, p);
	const int32_t *a = mms_row(m, MMS_ACTIVITY, r[P_ACTIVITY]);
	int32_t s = r[P_START] != MMS_NONE ? r[P_START] : a[A_START];
	int32_t e = r[P_END] != MMS_NONE ? r[P_END] : a[A_END];
	*start = s != MMS_NONE ? s : e;
	*end = e != MMS_NONE ? e : s;
	return *start != MMS_NONE;
}

/* Whether a participation's dates meet [from, to]. Undated: no period. */
static int in_window(const expr_env *v, int32_t p, int32_t from, int32_t to)
{
	int32_t s, e;
	if (!mms_participation_dates(v->m, p, &s, &e))
		return 0;
	return s <= to && e >= from;
}

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

/* Completed within the period as the documents count it: marked completed
 * and completed (its last day: its own end, else its activity's) by the
 * period's end. A course ending on 1 January completes the next year's
 * plan, not this one's; `completed` alone cannot say when. */
static int completed_by_end(const expr_env *v, int32_t p)
{
	int32_t s, e;
	return prow(v, p)[P_COMPLETED] && mms_participation_dates(v->m, p, &s, &e) && e <= v->end;
}

static int part_matches(const expr_env *v, const expr_call *c, int32_t p)
{
	const int32_t *r = prow(v, p), *a = arow(v, r[P_ACTIVITY]);
	if (a[A_KIND] != c->kind || (c->role >= 0 && r[P_ROLE] != c->role) ||
	    (c->result >= 0 && (r[P_RESULT] < 0 || r[P_RESULT] < c->result)) ||
	    (c->level >= 0 && a[A_LEVEL] != c->level) ||
	    (c->fr >= 0 && a[A_FEDERAL_REGISTER] != c->fr) ||
	    (c->completed >= 0 && completed_by_end(v, p) != c->completed))
		return 0;
	if (c->organizer_kind >= 0 && !organised_by(v, a[A_ORGANIZER], c->organizer_kind))
		return 0;
	if (c->provider_kind >= 0 || c->provider_level >= 0) {
		if (a[A_PROVIDER] < 0)
			return 0;
		const int32_t *pu = urow(v, a[A_PROVIDER]);
		if ((c->provider_kind >= 0 && pu[U_KIND] != c->provider_kind) ||
		    (c->provider_level >= 0 && pu[U_LEVEL] != c->provider_level))
			return 0;
	}
	int32_t from = v->start;
	if (c->years > 0) /* whole years back from the period's end */
		from = v->end - (int32_t)(c->years * 365.2425) + 1;
	return in_window(v, p, from, v->end);
}

static int any_part(const expr_env *v, const expr_call *c, const int32_t *start,
		    const int32_t *ids, int32_t key)
{
	for (int32_t k = start[key]; k < start[key + 1]; k++)
		if (part_matches(v, c, ids[k]))
			return 1;
	return 0;
}

static int valid_at_end(const expr_env *v, int32_t s, int32_t e)
{
	return (s == MMS_NONE || s <= v->end) && (e == MMS_NONE || e >= v->end);
}

/* A link's validity as the call asks: at the period's end, or (during =
 * true) at any time in it. */
static int link_valid(const expr_env *v, const expr_call *c, int32_t s, int32_t e)
{
	if (!c->during)
		return valid_at_end(v, s, e);
	return (s == MMS_NONE || s <= v->end) && (e == MMS_NONE || e >= v->start);
}

/* The window of a call: the period, or `years` whole years to its end. */
static int32_t window_start(const expr_env *v, const expr_call *c)
{
	return c->years > 0 ? v->end - (int32_t)(c->years * 365.2425) + 1 : v->start;
}

/* The status of a route at the end of the period, from its events up to
 * then: -1 draft, else the route status. *completed_on is the date it was
 * completed, or MMS_NONE. */
static int32_t route_status_at(const expr_env *v, int32_t route, int32_t *completed_on)
{
	int32_t status = -1;
	*completed_on = MMS_NONE;
	for (int32_t k = v->re_start[route]; k < v->re_start[route + 1]; k++) {
		const int32_t *ev = mms_row(v->m, MMS_ROUTE_EVENT, v->re[k]);
		if (ev[EV_STEP] >= 0 || ev[EV_DATE] > v->end)
			continue;
		status = ev[EV_STATUS];
		if (status == RS_COMPLETED)
			*completed_on = ev[EV_DATE];
	}
	return status;
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
	       organised_by(v, mms_route_developing_unit(v->m, route), c->developer_kind);
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
			int32_t on = c->during ? route_developed_on(v, route) : MMS_NONE;
			if (c->during && (on == MMS_NONE || on < v->start || on > v->end))
				continue; /* "developed in the year", not any route by its end */
			if ((c->tutor_kind < 0 ||
			     (rt[RT_TUTOR] >= 0 &&
			      urow(v, srow(v, rt[RT_TUTOR])[S_ORG])[U_KIND] == c->tutor_kind)) &&
			    (c->developer_kind < 0 || developed_by(v, c, route)))
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
				    (c->fr < 0 || res[R_FEDERAL_REGISTER] == c->fr))
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
		if (d[D_DATE] > v->end || (c->during && d[D_DATE] < v->start))
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

/* Whether a mentoring pair runs at some time in the period: both ends
 * open, a pair runs from its start to its end. */
static int pair_in_period(const expr_env *v, int32_t pair)
{
	const int32_t *p = mms_row(v->m, MMS_MENTORING_PAIR, pair);
	return (p[MP_START] == MMS_NONE || p[MP_START] <= v->end) &&
	       (p[MP_END] == MMS_NONE || p[MP_END] >= v->start);
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
			if (c->role >= 0 && c->role != (pass ? PR_MENTOR : PR_MENTEE))
				continue;
			for (int32_t k = start[rec]; k < start[rec + 1]; k++)
				if (pair_in_period(v, ids[k]))
					return 1;
		}
		return 0;
	}
	for (int32_t s = v->ix->staff_start[rec]; s < v->ix->staff_start[rec + 1]; s++) {
		int32_t mentee = v->ix->staff_ids[s];
		for (int32_t k = v->mp_start[mentee]; k < v->mp_start[mentee + 1]; k++) {
			int32_t mentor = mms_row(v->m, MMS_MENTORING_PAIR, v->mp[k])[MP_MENTOR];
			if (srow(v, mentor)[S_ORG] == rec && pair_in_period(v, v->mp[k]))
				return 1;
		}
	}
	return 0;
}

static double call(const expr_env *v, const expr_call *c, int pop, int32_t rec)
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
	case FN_HAS_FACT:
	case FN_ORG_HAS_FACT: {
		int32_t unit = c->fn == FN_HAS_FACT ? rec : srow(v, rec)[S_ORG];
		double f = mms_fact_value(v, unit, c->text);
		return !isnan(f) && f != 0;
	}
	case FN_PARTICIPATED:
		if (pop == POP_STAFF)
			return any_part(v, c, v->part_staff_start, v->part_staff, rec);
		/* a unit takes part itself or through any of its staff; with
		 * staff_role, only through its staff of that role */
		if (c->staff_role < 0 && any_part(v, c, v->part_unit_start, v->part_unit, rec))
			return 1;
		for (int32_t k = v->ix->staff_start[rec]; k < v->ix->staff_start[rec + 1]; k++) {
			int32_t s = v->ix->staff_ids[k];
			if ((c->staff_role < 0 || srow(v, s)[S_ROLE] == c->staff_role) &&
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
			    (c->role >= 0 && l[SL_KIND] != c->role) ||
			    urow(v, l[SL_UNIT])[U_KIND] != c->kind ||
			    !link_valid(v, c, l[SL_START], l[SL_END]))
				continue;
			return 1;
		}
		return 0;
	case FN_SUBJECT: {
		int32_t list = srow(v, rec)[S_SUBJECTS];
		for (int32_t k = 0; list && k < m->lists[list]; k++)
			if (!strcmp(mms_str(m, m->lists[list + 1 + k]), c->text))
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

/* ---- lexer ----------------------------------------------------------- */

enum tok { K_END, K_NUM, K_TEXT, K_NAME, K_OP, K_LPAREN, K_RPAREN, K_LBRACK, K_RBRACK,
	   K_COMMA, K_BAD };

typedef struct compiler {
	expr *x;
	const char *src, *p;
	int tok;            /* current token */
	const char *tstart; /* its text */
	size_t tlen;
	double num;
	int depth, max_depth;
	int nesting;        /* parentheses and prefix operators open, bounded */
	char *err;
	size_t errlen;
	int rc;
	const expr_param *params; /* the definition's number names */
	size_t nparams;
} compiler;

/* Column of a position, counting characters rather than UTF-8 bytes. */
static int column(const compiler *c, const char *at)
{
	int col = 1;
	for (const char *q = c->src; q < at; q++)
		col += ((unsigned char)*q & 0xc0) != 0x80;
	return col;
}

static int fail_at(compiler *c, const char *at, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_at(compiler *c, const char *at, int rc, const char *fmt, ...)
{
	if (c->rc != MMS_OK)
		return c->rc;
	int n = snprintf(c->err, c->errlen, "column %d: ", column(c, at));
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	c->rc = rc;
	return rc;
}

static int is_name_char(char ch, int first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
	       (!first && ((ch >= '0' && ch <= '9') || ch == '.'));
}

static void next(compiler *c)
{
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
		c->p++;
	c->tstart = c->p;
	char ch = *c->p;
	if (!ch) {
		c->tok = K_END;
	} else if ((ch >= '0' && ch <= '9') || (ch == '.' && c->p[1] >= '0' && c->p[1] <= '9')) {
		char *end;
		c->num = strtod(c->p, &end);
		c->p = end;
		c->tok = K_NUM;
	} else if (ch == '"') {
		c->p++;
		while (*c->p && *c->p != '"')
			c->p++;
		if (!*c->p) {
			fail_at(c, c->tstart, MMS_EPARSE, "text not closed with \"");
			c->tok = K_BAD;
			return;
		}
		c->p++;
		c->tok = K_TEXT;
	} else if (is_name_char(ch, 1)) {
		while (is_name_char(*c->p, 0))
			c->p++;
		c->tok = K_NAME;
	} else if (strchr("=<>!+-*/", ch)) {
		c->p++;
		if ((ch == '<' || ch == '>' || ch == '!' || ch == '=') && *c->p == '=')
			c->p++;
		c->tok = K_OP;
		if (ch == '!' && c->p - c->tstart == 1) {
			fail_at(c, c->tstart, MMS_EPARSE, "'!' must be '!='");
			c->tok = K_BAD;
		}
	} else {
		static const char singles[] = "()[],";
		static const int kinds[] = {K_LPAREN, K_RPAREN, K_LBRACK, K_RBRACK, K_COMMA};
		const char *s = strchr(singles, ch);
		c->p++;
		c->tok = s ? kinds[s - singles] : K_BAD;
		if (!s)
			fail_at(c, c->tstart, MMS_EPARSE, "unexpected character '%c'", ch);
	}
	c->tlen = (size_t)(c->p - c->tstart);
}

static int is(const compiler *c, int tok, const char *text)
{
	return c->tok == tok && (!text || (c->tlen == strlen(text) &&
					   !memcmp(c->tstart, text, c->tlen)));
}

/* ---- code generation --------------------------------------------------- */

static void emit(compiler *c, int op, int32_t arg, double num, int push)
{
	if (c->rc != MMS_OK)
		return;
	if (mms_grow((void **)&c->x->code, &c->x->cap, c->x->n + 1, sizeof *c->x->code)) {
		c->rc = MMS_ENOMEM;
		snprintf(c->err, c->errlen, "out of memory");
		return;
	}
	c->x->code[c->x->n++] = (struct ins){(uint8_t)op, arg, num};
	c->depth += push;
	if (c->depth > c->max_depth)
		c->max_depth = c->depth;
}

typedef struct typed {
	int type, enum_id;
	const char *at;
} typed;

static const char *type_name(int t)
{
	static const char *const names[] = {"a number", "true/false", "a name", "a text"};
	return names[t];
}

static typed parse_or(compiler *c);

/* Resolves a text literal against an enum, reporting an unknown name. */
static int32_t enum_value(compiler *c, int e, const char *at, size_t len)
{
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(len > 63 ? 63 : len), at);
	int v = mms_enum_find(e, name);
	if (v < 0)
		fail_at(c, at - 1, MMS_ETYPE, "\"%s\" is not a %s", name, mms_enums[e].name);
	return v;
}

/* Reads a text literal argument resolved against enum e. */
static int32_t text_arg(compiler *c, int e, const char *what)
{
	if (!is(c, K_TEXT, NULL)) {
		fail_at(c, c->tstart, MMS_ETYPE, "%s must be a text in quotes", what);
		return -1;
	}
	int32_t v = e >= 0 ? enum_value(c, e, c->tstart + 1, c->tlen - 2) : 0;
	next(c);
	return v;
}

static int32_t bool_arg(compiler *c, const char *what)
{
	int v = is(c, K_NAME, "true") ? 1 : is(c, K_NAME, "false") ? 0 : -1;
	if (v < 0)
		fail_at(c, c->tstart, MMS_ETYPE, "%s must be true or false", what);
	next(c);
	return v;
}

static const struct fn_def {
	const char *name;
	int fn;
	unsigned pops;   /* bitmask of populations */
	int first_enum;  /* enum of the first argument, -1 = a free text, -2 = none */
} fns[] = {
	{"participated", FN_PARTICIPATED, 1u << POP_STAFF | 1u << POP_UNITS, E_ACTIVITY_KIND},
	{"member", FN_MEMBER, 1u << POP_STAFF, E_UNIT_KIND},
	{"subject", FN_SUBJECT, 1u << POP_STAFF, -1},
	{"has_child", FN_HAS_CHILD, 1u << POP_UNITS, E_UNIT_KIND},
	{"has_direction", FN_HAS_DIRECTION, 1u << POP_UNITS, E_DIRECTION},
	{"linked", FN_LINKED, 1u << POP_UNITS, E_LINK_KIND},
	{"fact", FN_FACT, 1u << POP_UNITS, -1},
	{"has_fact", FN_HAS_FACT, 1u << POP_UNITS, -1},
	{"org_has_fact", FN_ORG_HAS_FACT, 1u << POP_STAFF, -1},
	{"diagnosed", FN_DIAGNOSED, 1u << POP_STAFF, -2},
	{"diagnostic_score", FN_DIAGNOSTIC_SCORE, 1u << POP_STAFF, -2},
	{"has_route", FN_HAS_ROUTE, 1u << POP_STAFF, -2},
	{"route_completed", FN_ROUTE_COMPLETED, 1u << POP_STAFF, -2},
	{"route_course_done", FN_ROUTE_COURSE_DONE, 1u << POP_STAFF, -2},
	{"supported", FN_SUPPORTED, 1u << POP_STAFF, -2},
	{"mentoring_pair", FN_MENTORING_PAIR, 1u << POP_STAFF | 1u << POP_UNITS, -2},
};

/* years=N: a whole number of years up to MAX_YEARS, so that the window's
 * first day (N * 365.2425 days before the period's end) is an int32_t day
 * like any other; a fraction, a negative, a huge or an infinite number
 * would make that conversion undefined, and is refused where it stands. */
#define MAX_YEARS 200

static double years_arg(compiler *c)
{
	double y = c->num;
	if (!is(c, K_NUM, NULL))
		fail_at(c, c->tstart, MMS_ETYPE, "years must be a whole number from 1 to %d",
			MAX_YEARS);
	else if (!(y >= 1 && y <= MAX_YEARS && y == floor(y)))
		fail_at(c, c->tstart, MMS_ERANGE, "years must be a whole number from 1 to %d, not %.*s",
			MAX_YEARS, (int)(c->tlen > 40 ? 40 : c->tlen), c->tstart);
	next(c);
	return c->rc == MMS_OK ? y : 0;
}

/* Named arguments: participated(kind, role=, result=, level=,
 * federal_register=, completed=, years=, provider_kind=, provider_level=,
 * organizer_kind=, staff_role= (units)); member(kind, role=, during=);
 * linked(kind, during=); supported(during=); diagnostic_score(during=);
 * the windows' years=; has_route(tutor_kind=, developer_kind=, during=);
 * mentoring_pair(role= (staff: mentor or mentee)). */
static void named_arg(compiler *c, const struct fn_def *f, expr_call *k)
{
	const char *at = c->tstart;
	char name[32];
	snprintf(name, sizeof name, "%.*s", (int)(c->tlen > 31 ? 31 : c->tlen), c->tstart);
	next(c);
	if (!is(c, K_OP, "=")) {
		fail_at(c, c->tstart, MMS_EPARSE, "expected '=' after %s", name);
		return;
	}
	next(c);
	int part = f->fn == FN_PARTICIPATED;
	int window = part || f->fn == FN_DIAGNOSED || f->fn == FN_ROUTE_COMPLETED ||
		     f->fn == FN_ROUTE_COURSE_DONE;
	int during = f->fn == FN_MEMBER || f->fn == FN_LINKED || f->fn == FN_SUPPORTED ||
		     f->fn == FN_DIAGNOSTIC_SCORE || f->fn == FN_HAS_ROUTE;
	if (during && !strcmp(name, "during"))
		k->during = bool_arg(c, "during");
	else if (part && !strcmp(name, "organizer_kind"))
		k->organizer_kind = text_arg(c, E_UNIT_KIND, "organizer_kind");
	else if (part && c->x->pop == POP_UNITS && !strcmp(name, "staff_role"))
		k->staff_role = text_arg(c, E_ROLE, "staff_role");
	else if (f->fn == FN_HAS_ROUTE && !strcmp(name, "tutor_kind"))
		k->tutor_kind = text_arg(c, E_UNIT_KIND, "tutor_kind");
	else if (f->fn == FN_HAS_ROUTE && !strcmp(name, "developer_kind"))
		k->developer_kind = text_arg(c, E_UNIT_KIND, "developer_kind");
	else if (f->fn == FN_MENTORING_PAIR && c->x->pop == POP_STAFF && !strcmp(name, "role"))
		k->role = text_arg(c, E_PART_ROLE, "role");
	else if (f->fn == FN_ROUTE_COURSE_DONE && !strcmp(name, "federal_register"))
		k->fr = bool_arg(c, "federal_register");
	else if (window && !part && !strcmp(name, "years"))
		k->years = years_arg(c);
	else if (!part && !(f->fn == FN_MEMBER && !strcmp(name, "role")))
		fail_at(c, at, MMS_ETYPE, "%s() has no argument '%s'", f->name, name);
	else if (!strcmp(name, "role"))
		k->role = text_arg(c, part ? E_PART_ROLE : E_STAFF_LINK_KIND, "role");
	else if (part && !strcmp(name, "result"))
		k->result = text_arg(c, E_RESULT, "result");
	else if (part && !strcmp(name, "level"))
		k->level = text_arg(c, E_LEVEL, "level");
	else if (part && !strcmp(name, "provider_kind"))
		k->provider_kind = text_arg(c, E_UNIT_KIND, "provider_kind");
	else if (part && !strcmp(name, "provider_level"))
		k->provider_level = text_arg(c, E_LEVEL, "provider_level");
	else if (part && !strcmp(name, "federal_register"))
		k->fr = bool_arg(c, "federal_register");
	else if (part && !strcmp(name, "completed"))
		k->completed = bool_arg(c, "completed");
	else if (part && !strcmp(name, "years"))
		k->years = years_arg(c);
	else
		fail_at(c, at, MMS_ETYPE, "%s() has no argument '%s'", f->name, name);
}

static typed parse_call(compiler *c, const char *at, size_t len)
{
	typed t = {T_BOOL, 0, at};
	if ((len == 4 && !memcmp(at, "fact", 4)) || (len == 16 && !memcmp(at, "diagnostic_score", 16)))
		t.type = T_NUM; /* the functions giving a number */
	const struct fn_def *f = NULL;
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (strlen(fns[i].name) == len && !memcmp(fns[i].name, at, len))
			f = &fns[i];
	if (!f) {
		fail_at(c, at, MMS_ETYPE, "unknown function '%.*s'", (int)len, at);
		return t;
	}
	if (!(f->pops & (1u << c->x->pop))) {
		fail_at(c, at, MMS_ETYPE, "%s() does not apply to %s", f->name,
			mms_population_names[c->x->pop]);
		return t;
	}
	expr_call k = {.fn = f->fn, .role = -1, .result = -1, .level = -1, .fr = -1,
		       .completed = -1, .provider_kind = -1, .provider_level = -1,
		       .tutor_kind = -1, .developer_kind = -1, .organizer_kind = -1,
		       .staff_role = -1};
	next(c); /* ( */
	int named_only = f->first_enum == -2, first = 1;
	if (named_only) {
		/* no positional argument: named ones, or none at all */
	} else if (f->first_enum == -1) {
		if (!is(c, K_TEXT, NULL)) {
			fail_at(c, c->tstart, MMS_ETYPE, "%s() takes a text in quotes", f->name);
			return t;
		}
		if (!(k.text = mms_strndup(c->tstart + 1, c->tlen - 2)))
			c->rc = MMS_ENOMEM;
		next(c);
	} else {
		k.kind = text_arg(c, f->first_enum, "the first argument");
	}
	while (c->rc == MMS_OK && (is(c, K_COMMA, NULL) || (named_only && first && is(c, K_NAME, NULL)))) {
		if (is(c, K_COMMA, NULL))
			next(c);
		first = 0;
		if (!is(c, K_NAME, NULL))
			fail_at(c, c->tstart, MMS_EPARSE, "expected name = value");
		else
			named_arg(c, f, &k);
	}
	if (c->rc == MMS_OK && !is(c, K_RPAREN, NULL))
		fail_at(c, c->tstart, MMS_EPARSE, "expected ')' to close %s(", f->name);
	if (c->rc != MMS_OK ||
	    mms_grow((void **)&c->x->calls, &c->x->calls_cap, c->x->ncalls + 1, sizeof k)) {
		mms_free(k.text);
		if (c->rc == MMS_OK)
			c->rc = MMS_ENOMEM;
		return t;
	}
	c->x->calls[c->x->ncalls] = k;
	emit(c, OP_CALL, (int32_t)c->x->ncalls++, 0, 1);
	next(c);
	return t;
}

static typed parse_primary(compiler *c)
{
	typed t = {T_NUM, 0, c->tstart};
	if (is(c, K_NUM, NULL)) {
		emit(c, OP_NUM, 0, c->num, 1);
		next(c);
	} else if (is(c, K_TEXT, NULL)) {
		t.type = T_TEXT; /* resolved by the comparison that uses it */
		next(c);
	} else if (is(c, K_LPAREN, NULL)) {
		if (++c->nesting > MAX_NESTING) {
			fail_at(c, c->tstart, MMS_ERANGE, "nested more than %d deep", MAX_NESTING);
			return t;
		}
		next(c);
		t = parse_or(c);
		c->nesting--;
		if (c->rc == MMS_OK && !is(c, K_RPAREN, NULL))
			fail_at(c, c->tstart, MMS_EPARSE, "expected ')'");
		next(c);
	} else if (is(c, K_NAME, "true") || is(c, K_NAME, "false")) {
		emit(c, OP_NUM, 0, is(c, K_NAME, "true"), 1);
		t.type = T_BOOL;
		next(c);
	} else if (is(c, K_NAME, NULL)) {
		const char *at = c->tstart;
		size_t len = c->tlen;
		next(c);
		if (is(c, K_LPAREN, NULL))
			return parse_call(c, at, len);
		for (int i = 0; i < NATTRS; i++)
			if (attrs[i].pop == c->x->pop && strlen(attrs[i].name) == len &&
			    !memcmp(attrs[i].name, at, len)) {
				emit(c, OP_ATTR, i, 0, 1);
				t.type = attrs[i].type;
				t.enum_id = attrs[i].enum_id;
				return t;
			}
		for (size_t i = 0; i < c->nparams; i++)
			if (strlen(c->params[i].name) == len && !memcmp(c->params[i].name, at, len)) {
				emit(c, OP_NUM, 0, c->params[i].value, 1);
				t.type = T_NUM;
				return t;
			}
		fail_at(c, at, MMS_ETYPE, "unknown name '%.*s' for %s", (int)len, at,
			mms_population_names[c->x->pop]);
	} else if (c->tok == K_END) {
		fail_at(c, c->tstart, MMS_EPARSE, "unexpected end of expression");
	} else if (c->tok != K_BAD) {
		fail_at(c, c->tstart, MMS_EPARSE, "unexpected '%.*s'", (int)c->tlen, c->tstart);
	}
	return t;
}

/* A prefix operator ("-" before a number, "not" before true/false) applied
 * to the operand parsed by self, or else the next level down. */
static typed prefix(compiler *c, typed (*self)(compiler *), typed (*below)(compiler *), int tok,
		    const char *word, int need, int op)
{
	if (!is(c, tok, word))
		return below(c);
	const char *at = c->tstart;
	typed t = {need, 0, at};
	if (++c->nesting > MAX_NESTING) {
		fail_at(c, at, MMS_ERANGE, "nested more than %d deep", MAX_NESTING);
		return t;
	}
	next(c);
	t = self(c);
	c->nesting--;
	if (t.type != need)
		fail_at(c, at, MMS_ETYPE, "'%s' needs %s, not %s", word, type_name(need),
			type_name(t.type));
	emit(c, op, 0, 0, 0);
	t.at = at;
	return t;
}

static typed parse_unary(compiler *c)
{
	return prefix(c, parse_unary, parse_primary, K_OP, "-", T_NUM, OP_NEG);
}

static typed arith(compiler *c, typed (*sub)(compiler *), const char *a, const char *b,
		   int opa, int opb)
{
	typed l = sub(c);
	while (c->rc == MMS_OK && (is(c, K_OP, a) || is(c, K_OP, b))) {
		const char *at = c->tstart;
		int op = is(c, K_OP, a) ? opa : opb;
		next(c);
		typed r = sub(c);
		if (l.type != T_NUM || r.type != T_NUM)
			fail_at(c, at, MMS_ETYPE, "'%.1s' needs numbers on both sides, not %s",
				at, type_name(l.type != T_NUM ? l.type : r.type));
		emit(c, op, 0, 0, -1);
	}
	return l;
}

static typed parse_mul(compiler *c) { return arith(c, parse_unary, "*", "/", OP_MUL, OP_DIV); }
static typed parse_add(compiler *c) { return arith(c, parse_mul, "+", "-", OP_ADD, OP_SUB); }

/* enum_attr in ["a", "b"] becomes one bitmask test. */
static void parse_in(compiler *c, typed l, const char *at)
{
	if (l.type != T_ENUM) {
		fail_at(c, at, MMS_ETYPE, "'in' needs a named attribute on its left");
		return;
	}
	next(c);
	if (!is(c, K_LBRACK, NULL)) {
		fail_at(c, c->tstart, MMS_EPARSE, "expected '[' after in");
		return;
	}
	int32_t mask = 0;
	do {
		next(c);
		int32_t v = text_arg(c, l.enum_id, "an item of the list");
		if (v >= 0)
			mask |= 1 << v;
	} while (c->rc == MMS_OK && is(c, K_COMMA, NULL));
	if (c->rc == MMS_OK && !is(c, K_RBRACK, NULL))
		fail_at(c, c->tstart, MMS_EPARSE, "expected ']'");
	next(c);
	emit(c, OP_IN, mask, 0, 0);
}

static typed parse_cmp(compiler *c)
{
	static const char *const ops[] = {"=", "==", "!=", "<", "<=", ">", ">="};
	static const int codes[] = {OP_EQ, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE};
	typed l = parse_add(c);
	if (l.type == T_TEXT && c->rc == MMS_OK)
		fail_at(c, l.at, MMS_ETYPE, "a text can only stand right of a comparison "
			"with a named attribute");
	if (is(c, K_NAME, "in")) {
		const char *at = c->tstart;
		parse_in(c, l, at);
		l.type = T_BOOL;
		return l;
	}
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (!is(c, K_OP, ops[i]))
			continue;
		const char *at = c->tstart;
		next(c);
		if (l.type == T_ENUM && is(c, K_TEXT, NULL)) {
			emit(c, OP_NUM, 0, enum_value(c, l.enum_id, c->tstart + 1, c->tlen - 2), 1);
			next(c);
			if (codes[i] != OP_EQ && codes[i] != OP_NE)
				fail_at(c, at, MMS_ETYPE, "names can only be compared with = or !=");
		} else {
			typed r = parse_add(c);
			int ordered = codes[i] != OP_EQ && codes[i] != OP_NE;
			if (r.type == T_TEXT)
				fail_at(c, r.at, MMS_ETYPE, "a text can only be compared with a named "
					"attribute, not %s", type_name(l.type));
			else if (l.type != r.type || (ordered && l.type != T_NUM) ||
				 (l.type == T_ENUM && l.enum_id != r.enum_id))
				fail_at(c, at, MMS_ETYPE, "cannot compare %s with %s",
					type_name(l.type), type_name(r.type));
		}
		emit(c, codes[i], 0, 0, -1);
		l.type = T_BOOL;
		return l;
	}
	return l;
}

static typed parse_not(compiler *c)
{
	return prefix(c, parse_not, parse_cmp, K_NAME, "not", T_BOOL, OP_NOT);
}

/* "l and r" is l, OP_AND, r, OP_TRUTH: OP_AND decides on l alone when it
 * can (false: 0, jumping past r, so that the calls of r, scans of a
 * person's records, are not made), else drops l and lets r decide; "or"
 * alike on true. */
static typed logic(compiler *c, typed (*sub)(compiler *), const char *word, int op)
{
	typed l = sub(c);
	while (c->rc == MMS_OK && is(c, K_NAME, word)) {
		const char *at = c->tstart;
		next(c);
		size_t jump = c->x->n;
		emit(c, op, 0, 0, -1);
		typed r = sub(c);
		if (l.type != T_BOOL || r.type != T_BOOL)
			fail_at(c, at, MMS_ETYPE, "'%s' needs true/false on both sides, not %s",
				word, type_name(l.type != T_BOOL ? l.type : r.type));
		emit(c, OP_TRUTH, 0, 0, 0);
		if (c->rc == MMS_OK)
			c->x->code[jump].arg = (int32_t)c->x->n;
	}
	return l;
}

static typed parse_and(compiler *c) { return logic(c, parse_not, "and", OP_AND); }
static typed parse_or(compiler *c) { return logic(c, parse_and, "or", OP_OR); }

void mms_expr_free(expr *x)
{
	for (size_t i = 0; i < x->ncalls; i++)
		mms_free(x->calls[i].text);
	mms_free(x->calls);
	mms_free(x->code);
	memset(x, 0, sizeof *x);
}

int mms_expr_name_taken(int pop, const char *name)
{
	static const char *const words[] = {"true", "false", "and", "or", "not", "in"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (!strcmp(words[i], name))
			return 1;
	for (int i = 0; i < NATTRS; i++)
		if (attrs[i].pop == pop && !strcmp(attrs[i].name, name))
			return 1;
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (!strcmp(fns[i].name, name))
			return 1;
	return 0;
}

int mms_expr_compile(expr *x, int pop, const char *text, char *err, size_t errlen)
{
	return mms_expr_compile_params(x, pop, text, NULL, 0, err, errlen);
}

int mms_expr_compile_params(expr *x, int pop, const char *text, const expr_param *params,
			    size_t nparams, char *err, size_t errlen)
{
	memset(x, 0, sizeof *x);
	x->pop = pop;
	compiler c = {x, text ? text : "", text ? text : "", K_END, NULL, 0, 0, 0, 0, 0,
		      err, errlen, MMS_OK, params, nparams};
	err[0] = '\0';
	next(&c);
	if (c.tok == K_END) { /* an empty expression selects everything */
		emit(&c, OP_NUM, 0, 1, 1);
		x->is_bool = 1;
		return c.rc;
	}
	typed t = parse_or(&c);
	if (c.rc == MMS_OK && c.tok != K_END)
		fail_at(&c, c.tstart, MMS_EPARSE, "unexpected '%.*s' after the expression",
			(int)c.tlen, c.tstart);
	if (c.rc == MMS_OK && t.type != T_BOOL)
		fail_at(&c, text, MMS_ETYPE, "the expression must be true/false, not %s",
			type_name(t.type));
	if (c.rc == MMS_OK && c.max_depth > STACK)
		fail_at(&c, text, MMS_ERANGE, "expression nested too deeply");
	x->is_bool = t.type == T_BOOL;
	if (c.rc != MMS_OK)
		mms_expr_free(x);
	x->pop = pop;
	return c.rc;
}

/* A missing value (NaN, e.g. staff.part_time of a unit's participation) is
 * false wherever a truth is asked, as every comparison with it is. */
static int truthy(double x) { return x != 0 && !isnan(x); }

int mms_expr_true(const expr *x, const expr_env *env, int32_t rec)
{
	double st[STACK];
	int sp = 0;
	for (size_t i = 0; i < x->n; i++) {
		const struct ins *in = &x->code[i];
		double b = sp > 0 ? st[sp - 1] : 0;
		switch (in->op) {
		case OP_NUM: st[sp++] = in->num; break;
		case OP_ATTR: st[sp++] = attrs[in->arg].get(env, rec); break;
		case OP_CALL: st[sp++] = call(env, &x->calls[in->arg], x->pop, rec); break;
		case OP_NEG: st[sp - 1] = -b; break;
		case OP_NOT: st[sp - 1] = !truthy(b); break;
		case OP_IN: st[sp - 1] = !isnan(b) && ((in->arg >> (int)b) & 1); break;
		case OP_TRUTH: st[sp - 1] = truthy(b); break;
		case OP_AND:
		case OP_OR:
			if (truthy(b) == (in->op == OP_OR)) {
				st[sp - 1] = truthy(b);
				i = (size_t)in->arg - 1; /* past the right side */
			} else {
				sp--; /* the right side decides */
			}
			break;
		default: {
			double a = st[sp - 2];
			double r;
			switch (in->op) {
			case OP_EQ: r = a == b; break;
			case OP_NE: r = !isnan(a) && !isnan(b) && a != b; break;
			case OP_LT: r = a < b; break;
			case OP_LE: r = a <= b; break;
			case OP_GT: r = a > b; break;
			case OP_GE: r = a >= b; break;
			case OP_ADD: r = a + b; break;
			case OP_SUB: r = a - b; break;
			case OP_MUL: r = a * b; break;
			default: r = b != 0 ? a / b : NAN; break; /* OP_DIV */
			}
			st[--sp - 1] = r;
		}
		}
	}
	return sp > 0 && truthy(st[sp - 1]);
}
