/*
 * Rules that span fields and records, checked after every record of an
 * import is decoded: a unit's kind, level and parent must fit, the
 * hierarchy has no cycle, periods are in order, links and participations
 * join records of the right kinds.
 */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "kpi/fact_keys.h"
#include "domain/employment.h"
#include "domain/bands.h"
#include "domain/route_status.h"

typedef struct checker {
	mms_ingest *in;
	int e;
	size_t rec;
	int32_t id;
	int32_t *row;
	mms_buf label;
	const mms_fact_keys *keys; /* facts: the keys the built-in indicators declare */
} checker;

#define FAIL(c, rc, field, ...) \
	mms_ingest_fail((c)->in, rc, (c)->e, (c)->rec, field, __VA_ARGS__)

static const char *lbl(checker *c)
{
	return c->label.data ? c->label.data : "";
}

static int32_t unit_field(const checker *c, int32_t unit, int f)
{
	return mms_row(c->in->m, MMS_UNIT, unit)[f];
}

static const char *unit_code(const checker *c, int32_t unit)
{
	return mms_str(c->in->m, unit_field(c, unit, U_CODE));
}

static void check_period(checker *c, int fstart, int fend)
{
	int32_t s = c->row[fstart], e = c->row[fend];
	if (s != MMS_NONE && e != MMS_NONE && e < s) {
		char a[11], b[11];
		mms_date_format(s, a);
		mms_date_format(e, b);
		FAIL(c, MMS_ERANGE, fend, "%s: %s %s is before %s %s", lbl(c),
		     mms_entities[c->e].fields[fend].name, b,
		     mms_entities[c->e].fields[fstart].name, a);
	}
}

static void check_unit(checker *c)
{
	int32_t level = c->row[U_LEVEL], kind = c->row[U_KIND], parent = c->row[U_PARENT];
	if (level < 0 || kind < 0)
		return; /* already reported */
	if (!(mms_kind_levels(kind) & (1u << level)))
		FAIL(c, MMS_ELEVEL, U_KIND, "%s: a %s cannot stand on the %s level", lbl(c),
		     mms_enum_name(E_UNIT_KIND, kind), mms_enum_name(E_LEVEL, level));
	if (parent < 0)
		return;
	int32_t plevel = unit_field(c, parent, U_LEVEL);
	if (plevel < 0)
		return;
	int misfit = mms_unit_parent_fits(level, plevel);
	if (misfit == MMS_PARENT_BELOW)
		FAIL(c, MMS_ELEVEL, U_PARENT,
		     "%s: a %s unit cannot stand under the %s unit \"%s\"", lbl(c),
		     mms_enum_name(E_LEVEL, level), mms_enum_name(E_LEVEL, plevel),
		     unit_code(c, parent));
	else if (misfit == MMS_PARENT_NOT_ORG)
		FAIL(c, MMS_ELEVEL, U_PARENT,
		     "%s: a subunit must stand inside an organisation, not under the %s unit \"%s\"",
		     lbl(c), mms_enum_name(E_LEVEL, plevel), unit_code(c, parent));
}

/*
 * Finds cycles through a self-reference (a unit's parent, a competency's
 * parent, a resource's prerequisite); each cycle is reported once, at the
 * record of the input that closes it. Walks are bounded by the table size.
 */
static int check_cycles(mms_ingest *in, int e, int field, const char *what)
{
	mms_model *m = in->m;
	size_t n = m->t[e].count, recs = in->doc->count(in->doc, e);
	uint8_t *state = mms_calloc(n ? n : 1, 1); /* 0 new, 1 on walk, 2 done */
	if (!state)
		return MMS_ENOMEM;
	for (size_t rec = 0; rec < recs; rec++) {
		int32_t start = in->ids[e][rec], u = mms_chain_cycle(m, e, field, start, state);
		if (u >= 0) {
			mms_buf b = {0}, t = {0};
			mms_record_label(m, e, start, &b);
			mms_record_label(m, e, u, &t);
			mms_ingest_fail(in, MMS_ECYCLE, e, rec, field, "%s: its %s lead back to %s",
					b.data ? b.data : "", what, t.data ? t.data : "");
			mms_buf_free(&b);
			mms_buf_free(&t);
		}
	}
	mms_free(state);
	return MMS_OK;
}

static void check_link(checker *c)
{
	int32_t kind = c->row[L_KIND], from = c->row[L_FROM], to = c->row[L_TO];
	check_period(c, L_START, L_END);
	if (from < 0 || to < 0 || kind < 0)
		return;
	if (from == to) {
		FAIL(c, MMS_ERANGE, L_TO, "%s: a link must join two different units, "
		     "both ends are \"%s\"", lbl(c), unit_code(c, from));
		return;
	}
	int32_t tk = unit_field(c, to, U_KIND);
	const char *need = NULL;
	if (kind == LK_MEMBERSHIP && tk != UK_COMMUNITY)
		need = "a community";
	else if (kind == LK_RESOURCE_PARTNERSHIP && tk != UK_RESOURCE_CENTRE &&
		 tk != UK_BASE_SCHOOL)
		need = "a resource_centre or base_school";
	else if (kind == LK_INTERNSHIP_PARTNERSHIP && tk != UK_INTERNSHIP_SITE)
		need = "an internship_site";
	if (need)
		FAIL(c, MMS_ETYPE, L_TO, "%s: a %s link must lead to %s, \"%s\" is a %s",
		     lbl(c), mms_enum_name(E_LINK_KIND, kind), need, unit_code(c, to),
		     mms_enum_name(E_UNIT_KIND, tk));
}

static void check_staff(checker *c)
{
	int32_t org = c->row[S_ORG], birth = c->row[S_BIRTH], start = c->row[S_WORK_START];
	if (org >= 0 && unit_field(c, org, U_LEVEL) == LV_SUBUNIT)
		FAIL(c, MMS_ETYPE, S_ORG, "%s: org \"%s\" is a subunit; staff belong to an "
		     "organisation or a service (join groups through staff_links)",
		     lbl(c), unit_code(c, org));
	check_period(c, S_WORK_START, S_WORK_END);
	if (birth != MMS_NONE && start != MMS_NONE &&
	    mms_years_between(birth, start) < 14) {
		char a[11], b[11];
		mms_date_format(birth, a);
		mms_date_format(start, b);
		FAIL(c, MMS_ERANGE, S_WORK_START, "%s: work_start %s is less than 14 years "
		     "after birth_date %s", lbl(c), b, a);
	}
}

static void check_staff_link(checker *c)
{
	mms_model *m = c->in->m;
	int32_t kind = c->row[SL_KIND], staff = c->row[SL_STAFF];
	int32_t unit = c->row[SL_UNIT], target = c->row[SL_TARGET_STAFF];
	check_period(c, SL_START, SL_END);
	if (kind < 0)
		return;
	if (kind != SL_SUPPORTS) {
		if (unit < 0 && target < 0)
			FAIL(c, MMS_EMISSING, SL_UNIT, "%s: a %s link needs the unit", lbl(c),
			     mms_enum_name(E_STAFF_LINK_KIND, kind));
		else if (target >= 0)
			FAIL(c, MMS_ERANGE, SL_TARGET_STAFF,
			     "%s: target_staff is only for supports links", lbl(c));
		return;
	}
	if ((unit < 0) == (target < 0))
		FAIL(c, unit < 0 ? MMS_EMISSING : MMS_ERANGE, SL_UNIT,
		     "%s: a supports link needs exactly one of unit and target_staff", lbl(c));
	if (staff >= 0 && mms_row(m, MMS_STAFF, staff)[S_ROLE] != ROLE_METHODIST)
		FAIL(c, MMS_ETYPE, SL_STAFF, "%s: only a methodist supports others, "
		     "\"%s\" is a %s", lbl(c),
		     mms_str(m, mms_row(m, MMS_STAFF, staff)[S_CODE]),
		     mms_enum_name(E_ROLE, mms_row(m, MMS_STAFF, staff)[S_ROLE]));
}

static void check_activity(checker *c)
{
	int32_t kind = c->row[A_KIND];
	check_period(c, A_START, A_END);
	if (kind == AK_COURSE && c->row[A_HOURS] == MMS_NONE)
		FAIL(c, MMS_EMISSING, A_HOURS, "%s: a course needs its hours", lbl(c));
	if ((kind == AK_COMPETITION || kind == AK_INNOVATION_PROJECT) && c->row[A_LEVEL] < 0)
		FAIL(c, MMS_EMISSING, A_LEVEL, "%s: a %s needs its level", lbl(c),
		     mms_enum_name(E_ACTIVITY_KIND, kind));
	if (kind >= 0 && kind != AK_SURVEY && c->row[A_PURPOSE] >= 0)
		FAIL(c, MMS_ERANGE, A_PURPOSE, "%s: purpose is only for surveys, not a %s", lbl(c),
		     mms_enum_name(E_ACTIVITY_KIND, kind));
}

static void check_competency(checker *c)
{
	mms_model *m = c->in->m;
	int32_t parent = c->row[C_PARENT], kind = c->row[C_KIND];
	if (parent < 0 || kind < 0)
		return;
	const int32_t *p = mms_row(m, MMS_COMPETENCY, parent);
	if (p[C_KIND] >= 0 && p[C_KIND] >= kind)
		FAIL(c, MMS_ELEVEL, C_PARENT, "%s: a %s cannot stand under the %s \"%s\" "
		     "(area > competency > indicator)", lbl(c), mms_enum_name(E_COMP_KIND, kind),
		     mms_enum_name(E_COMP_KIND, p[C_KIND]), mms_str(m, p[C_CODE]));
	else if (strcmp(mms_str(m, p[C_FRAMEWORK]), mms_str(m, c->row[C_FRAMEWORK])))
		FAIL(c, MMS_ETYPE, C_PARENT, "%s: parent \"%s\" belongs to framework \"%s\"",
		     lbl(c), mms_str(m, p[C_CODE]), mms_str(m, p[C_FRAMEWORK]));
}

static void check_diagnostic(checker *c)
{
	if (c->row[D_SCORE] == MMS_NONE && c->row[D_LEVEL] < 0)
		FAIL(c, MMS_EMISSING, D_SCORE, "%s: needs a score (share of tasks solved) or a level",
		     lbl(c));
	/* a task's result counts towards its session's share of tasks solved */
	if (mms_field_present(c->in->m, MMS_DIAGNOSTIC, c->id, D_TASK) && c->row[D_SESSION] < 0)
		FAIL(c, MMS_EMISSING, D_SESSION, "%s: a task's result needs its session", lbl(c));
}

static void check_resource(checker *c)
{
	int32_t kind = c->row[R_KIND];
	check_period(c, R_START, R_END);
	if (kind == RK_MENTORING && c->row[R_MENTOR] < 0)
		FAIL(c, MMS_EMISSING, R_MENTOR, "%s: mentoring needs its mentor", lbl(c));
	if (kind == RK_INTERNSHIP && c->row[R_SITE] < 0)
		FAIL(c, MMS_EMISSING, R_SITE, "%s: an internship needs its site", lbl(c));
	if (kind == RK_COURSE && c->row[R_HOURS] == MMS_NONE)
		FAIL(c, MMS_EMISSING, R_HOURS, "%s: a course needs its hours", lbl(c));
}

static void check_develops(checker *c)
{
	MMS_UNUSED(c); /* references and the strength range are field rules */
}

/* Whether unit `inner` is `outer` or stands under it. */
static int within_unit(const checker *c, int32_t inner, int32_t outer)
{
	for (int32_t u = inner; u >= 0; u = unit_field(c, u, U_PARENT)) /* no cycle: checked */
		if (u == outer)
			return 1;
	return 0;
}

/* A person and the date they signed: both or neither. */
static void check_signed(checker *c, int fby, int fon)
{
	const field_def *f = mms_entities[MMS_ROUTE].fields;
	if ((c->row[fby] >= 0) != (c->row[fon] != MMS_NONE))
		FAIL(c, MMS_EMISSING, c->row[fby] >= 0 ? fon : fby, "%s: %s needs %s", lbl(c),
		     f[c->row[fby] >= 0 ? fby : fon].name, f[c->row[fby] >= 0 ? fon : fby].name);
	if (c->row[fby] >= 0 && c->row[fby] == c->row[RT_STAFF])
		FAIL(c, MMS_ERANGE, fby, "%s: %s is the route's own teacher", lbl(c), f[fby].name);
}

/* Who built, agreed and approved a route, in the order the recommendations
 * sign it: developed, agreed, approved, acknowledged by the teacher. */
static void check_route(checker *c)
{
	const mms_model *m = c->in->m;
	int32_t dev = c->row[RT_DEVELOPER], unit = c->row[RT_DEVELOPER_UNIT];
	check_period(c, RT_START, RT_END);
	if (c->row[RT_TUTOR] >= 0 && c->row[RT_TUTOR] == c->row[RT_STAFF])
		FAIL(c, MMS_ERANGE, RT_TUTOR, "%s: a person is not their own tutor", lbl(c));
	if (dev >= 0 && unit >= 0 && !within_unit(c, mms_row(m, MMS_STAFF, dev)[S_ORG], unit))
		FAIL(c, MMS_ETYPE, RT_DEVELOPER_UNIT, "%s: developer \"%s\" does not work at "
		     "developer_unit \"%s\"", lbl(c), mms_str(m, mms_row(m, MMS_STAFF, dev)[S_CODE]),
		     unit_code(c, unit));
	if (c->row[RT_DEVELOPED_ON] != MMS_NONE && dev < 0 && unit < 0)
		FAIL(c, MMS_EMISSING, RT_DEVELOPER, "%s: developed_on needs developer or "
		     "developer_unit", lbl(c));
	check_signed(c, RT_AGREED_BY, RT_AGREED_ON);
	check_signed(c, RT_APPROVED_BY, RT_APPROVED_ON);
	check_period(c, RT_DEVELOPED_ON, RT_AGREED_ON);
	check_period(c, RT_DEVELOPED_ON, RT_APPROVED_ON);
	check_period(c, RT_AGREED_ON, RT_APPROVED_ON);
	check_period(c, RT_DEVELOPED_ON, RT_ACKNOWLEDGED_ON);
	check_period(c, RT_APPROVED_ON, RT_ACKNOWLEDGED_ON);
	mms_bands b = mms_bands_of_route(m, c->id);
	if (!mms_bands_valid(b))
		FAIL(c, MMS_ERANGE, c->row[RT_HIGH_BELOW] != MMS_NONE ? RT_HIGH_BELOW : RT_MEDIUM_UP_TO,
		     "%s: deficit bands high_below %g and medium_up_to %g are not 0 < high <= "
		     "medium <= 100", lbl(c), b.high_below, b.medium_up_to);
}

/* A step written to a route there before this write whose current version
 * is signed changes what was signed: the route is revised first
 * (mms_route_steps_locked(), the one home of the rule). A route written
 * whole in one import, steps and signatures together, is new here. */
static void check_step_lock(checker *c, int32_t route)
{
	const mms_ingest *in = c->in;
	const char *what;
	int32_t on;
	if (route < 0 || (size_t)route >= in->routes_before ||
	    (in->dependents && (in->written_e != c->e || in->written_id != c->id)) ||
	    !mms_route_steps_locked(in->m, route, &what, &on))
		return;
	char day[11];
	mms_date_format(on, day);
	FAIL(c, MMS_ERANGE, ST_ROUTE, "%s: route \"%s\" was %s on %s: revise it (mms_route_revise, "
	     "mms route revise) before its steps change", lbl(c),
	     mms_str(in->m, mms_row(in->m, MMS_ROUTE, route)[RT_CODE]), what, day);
}

static void check_route_step(checker *c)
{
	mms_model *m = c->in->m;
	int32_t list = c->row[ST_COVERS];
	check_period(c, ST_START, ST_END);
	for (int32_t k = 0; list && k < m->lists[list]; k++) {
		const char *code = mms_str(m, m->lists[list + 1 + k]);
		if (mms_model_find_code(m, MMS_COMPETENCY, code) < 0)
			FAIL(c, MMS_EREF, ST_COVERS, "%s: covers \"%s\", which names no known "
			     "competency", lbl(c), code);
	}
	int32_t pair = c->row[ST_PAIR], route = c->row[ST_ROUTE];
	check_step_lock(c, route);
	if (pair >= 0 && route >= 0 &&
	    mms_row(m, MMS_MENTORING_PAIR, pair)[MP_MENTEE] != mms_row(m, MMS_ROUTE, route)[RT_STAFF])
		FAIL(c, MMS_ETYPE, ST_PAIR, "%s: pair \"%s\" mentors someone else than the route's "
		     "teacher", lbl(c), mms_str(m, mms_row(m, MMS_MENTORING_PAIR, pair)[MP_CODE]));
}

/* A pair of the target model (docs/routes.md): two different people, a
 * curator who is neither, a period in order. */
static void check_mentoring_pair(checker *c)
{
	int32_t mentor = c->row[MP_MENTOR], mentee = c->row[MP_MENTEE], curator = c->row[MP_CURATOR];
	check_period(c, MP_START, MP_END);
	if (mentor >= 0 && mentor == mentee)
		FAIL(c, MMS_ERANGE, MP_MENTEE, "%s: a person is not their own mentee", lbl(c));
	if (curator >= 0 && (curator == mentor || curator == mentee))
		FAIL(c, MMS_ERANGE, MP_CURATOR, "%s: the curator is %s of the pair", lbl(c),
		     curator == mentor ? "the mentor" : "the mentee");
}

/* A revision is dated when the route had been developed; its number is
 * unique within the route (mms_route_revise() numbers them in turn). */
static void check_route_revision(checker *c)
{
	const mms_model *m = c->in->m;
	int32_t route = c->row[RV_ROUTE];
	if (route < 0)
		return;
	int32_t developed = mms_row(m, MMS_ROUTE, route)[RT_DEVELOPED_ON];
	if (developed != MMS_NONE && c->row[RV_DATE] != MMS_NONE && c->row[RV_DATE] < developed) {
		char a[11], b[11];
		mms_date_format(c->row[RV_DATE], a);
		mms_date_format(developed, b);
		FAIL(c, MMS_ERANGE, RV_DATE, "%s: date %s is before the route's developed_on %s", lbl(c),
		     a, b);
	}
	for (size_t i = 0; i < m->t[MMS_ROUTE_REVISION].count; i++) {
		const int32_t *o = mms_row(m, MMS_ROUTE_REVISION, (int32_t)i);
		if ((int32_t)i != c->id && o[RV_ROUTE] == route && o[RV_NUMBER] == c->row[RV_NUMBER] &&
		    mms_model_live(m, MMS_ROUTE_REVISION, (int32_t)i)) {
			FAIL(c, MMS_EDUP, RV_NUMBER, "%s: the route has a revision %d already", lbl(c),
			     c->row[RV_NUMBER]);
			break;
		}
	}
}

static void check_route_event(checker *c)
{
	mms_model *m = c->in->m;
	int32_t step = c->row[EV_STEP], status = c->row[EV_STATUS];
	if (status < 0)
		return;
	int of_step = status >= RS_IN_PROGRESS;
	if (step >= 0 && mms_row(m, MMS_ROUTE_STEP, step)[ST_ROUTE] != c->row[EV_ROUTE])
		FAIL(c, MMS_ETYPE, EV_STEP, "%s: step #%d belongs to another route", lbl(c), step);
	else if (of_step != (step >= 0))
		FAIL(c, MMS_ETYPE, EV_STATUS, "%s: %s is a status of %s", lbl(c),
		     mms_enum_name(E_ROUTE_STATUS, status), of_step ? "a step" : "a whole route");
}

/* What a route was built on stays true to its rules: a severity as the
 * route's bands judge the score, a consequence Р-201 gives that severity,
 * a diagnostic of the route's person. Suggestions are codes as they were
 * when the route was built, not references: a scoped export keeps them
 * while the resources they name may lie outside its scope. */
static void check_route_deficit(checker *c)
{
	static const char *const leads[] = {"informal", "route or course", "route"};
	mms_model *m = c->in->m;
	int32_t route = c->row[RD_ROUTE], sev = c->row[RD_SEVERITY], cq = c->row[RD_CONSEQUENCE];
	if (route < 0 || sev < 0 || cq < 0)
		return;
	mms_bands b = mms_bands_of_route(m, route);
	if (c->row[RD_SCORE] != MMS_NONE &&
	    mms_bands_severity(b, (double)c->row[RD_SCORE] / MMS_DEC_SCALE) != sev)
		FAIL(c, MMS_ERANGE, RD_SEVERITY, "%s: a score of %g is not a %s deficit under the "
		     "route's bands (high below %g, medium up to %g)", lbl(c),
		     (double)c->row[RD_SCORE] / MMS_DEC_SCALE, mms_enum_name(E_SEVERITY, sev),
		     b.high_below, b.medium_up_to);
	if (cq != mms_deficit_consequence(sev, cq == CQ_COURSE))
		FAIL(c, MMS_ERANGE, RD_CONSEQUENCE, "%s: a %s deficit leads to %s (Р-201), not %s",
		     lbl(c), mms_enum_name(E_SEVERITY, sev), leads[sev], mms_enum_name(E_CONSEQUENCE, cq));
	int32_t d = c->row[RD_DIAGNOSTIC];
	if (d >= 0 && mms_row(m, MMS_DIAGNOSTIC, d)[D_STAFF] != mms_row(m, MMS_ROUTE, route)[RT_STAFF])
		FAIL(c, MMS_ETYPE, RD_DIAGNOSTIC, "%s: diagnostic #%ld is another person's", lbl(c),
		     (long)d);
	else if (d >= 0 && c->row[RD_SESSION] >= 0 &&
		 mms_row(m, MMS_DIAGNOSTIC, d)[D_SESSION] != c->row[RD_SESSION])
		FAIL(c, MMS_ETYPE, RD_SESSION, "%s: diagnostic #%ld is not of this session", lbl(c),
		     (long)d);
}

/* Who ran a session works at the unit that ran it, or under it. */
static void check_diagnostic_session(checker *c)
{
	const mms_model *m = c->in->m;
	int32_t staff = c->row[DS_STAFF], unit = c->row[DS_UNIT];
	if (staff >= 0 && unit >= 0 && !within_unit(c, mms_row(m, MMS_STAFF, staff)[S_ORG], unit))
		FAIL(c, MMS_ETYPE, DS_UNIT, "%s: staff \"%s\" does not work at unit \"%s\"", lbl(c),
		     mms_str(m, mms_row(m, MMS_STAFF, staff)[S_CODE]), unit_code(c, unit));
}

static void check_target(checker *c)
{
	MMS_UNUSED(c); /* the indicator id is checked when a catalogue reads it */
}

/* A key in a namespace of the built-in indicators (murom., tyva., ...)
 * must be one they read: a misspelt key would be a fact nothing counts. */
static void check_fact(checker *c)
{
	char why[600];
	if (mms_fact_keys_check(c->keys, mms_str(c->in->m, c->row[FA_KEY]), why, sizeof why) !=
	    MMS_OK)
		FAIL(c, MMS_EREF, FA_KEY, "%s: %s", lbl(c), why);
}

/* The definition id is checked when a catalogue reads the adoption
 * (mms_programme_applying), as an indicator id of a target is. */
static void check_programme(checker *c)
{
	int32_t first = c->row[PG_FIRST_YEAR], last = c->row[PG_LAST_YEAR];
	if (first != MMS_NONE && last != MMS_NONE && first > last)
		FAIL(c, MMS_ERANGE, PG_LAST_YEAR, "%s: last_year %d is before first_year %d", lbl(c),
		     last, first);
}

/* A task's responsible unit is in its programme's territory; its events'
 * dates are read against its deadlines when indicators count them. */
static void check_task(checker *c)
{
	mms_model *m = c->in->m;
	int32_t a = c->row[TK_PROGRAMME], u = c->row[TK_UNIT];
	if (a < 0 || u < 0)
		return;
	int32_t territory = mms_row(m, MMS_PROGRAMME, a)[PG_TERRITORY];
	size_t steps = m->t[MMS_UNIT].count; /* a staged parent cycle is reported elsewhere */
	for (int32_t x = u; x >= 0 && steps--; x = mms_row(m, MMS_UNIT, x)[U_PARENT])
		if (x == territory)
			return;
	FAIL(c, MMS_ERANGE, TK_UNIT, "%s: unit %s is outside the territory %s of programme %s",
	     lbl(c), mms_str(m, mms_row(m, MMS_UNIT, u)[U_CODE]),
	     territory >= 0 ? mms_str(m, mms_row(m, MMS_UNIT, territory)[U_CODE]) : "?",
	     mms_str(m, mms_row(m, MMS_PROGRAMME, a)[PG_CODE]));
}

static void check_task_event(checker *c)
{
	MMS_UNUSED(c); /* a status is any of the three at any date: plans change */
}

static void check_participation(checker *c)
{
	mms_model *m = c->in->m;
	int32_t act = c->row[P_ACTIVITY], staff = c->row[P_STAFF], unit = c->row[P_UNIT];
	int32_t role = c->row[P_ROLE];
	check_period(c, P_START, P_END);
	if (staff < 0 && unit < 0)
		FAIL(c, MMS_EMISSING, P_STAFF, "%s: needs a staff member or a unit", lbl(c));
	else if (staff >= 0 && unit >= 0)
		FAIL(c, MMS_ERANGE, P_UNIT, "%s: has both a staff member and a unit", lbl(c));
	if (act < 0 || role < 0)
		return;
	int32_t kind = mms_row(m, MMS_ACTIVITY, act)[A_KIND];
	if ((role == PR_MENTOR || role == PR_MENTEE) && kind != AK_MENTORING)
		FAIL(c, MMS_ETYPE, P_ROLE, "%s: role %s belongs to mentoring, activity \"%s\" "
		     "is a %s", lbl(c), mms_enum_name(E_PART_ROLE, role),
		     mms_str(m, mms_row(m, MMS_ACTIVITY, act)[A_CODE]),
		     mms_enum_name(E_ACTIVITY_KIND, kind));
	if (c->row[P_RESULT] >= 0 && kind != AK_COMPETITION)
		FAIL(c, MMS_ETYPE, P_RESULT, "%s: a result belongs to a competition, not a %s",
		     lbl(c), mms_enum_name(E_ACTIVITY_KIND, kind));
	if (c->row[P_PEER] >= 0 && c->row[P_PEER] == staff)
		FAIL(c, MMS_ERANGE, P_PEER, "%s: peer is the participant themself", lbl(c));
}

/* Whether a route or step may go from status `from` (-1: draft or planned)
 * to `to`: draft -> approved -> active -> completed, cancelled from any
 * state not final; planned -> in_progress -> done or failed. */
static int allowed(int32_t from, int32_t to)
{
	switch (to) {
	case RS_APPROVED: return from < 0;
	case RS_ACTIVE: return from == RS_APPROVED;
	case RS_COMPLETED: return from == RS_ACTIVE;
	case RS_CANCELLED: return from != RS_COMPLETED && from != RS_CANCELLED;
	case RS_IN_PROGRESS: return from < 0;
	default: return from < 0 || from == RS_IN_PROGRESS; /* done, failed */
	}
}

/*
 * Replays every event in id order (the file's and the import's) so each
 * new event is checked against the status its route or step has by then,
 * and is not dated before the previous one.
 */
static int check_transitions(mms_ingest *in)
{
	mms_model *m = in->m;
	size_t nr = m->t[MMS_ROUTE].count, ns = m->t[MMS_ROUTE_STEP].count;
	size_t ne = m->t[MMS_ROUTE_EVENT].count, recs = in->doc->count(in->doc, MMS_ROUTE_EVENT);
	int32_t *status = mms_malloc((nr + ns + 1) * sizeof *status);
	int32_t *when = mms_malloc((nr + ns + 1) * sizeof *when);
	if (!status || !when) {
		mms_free(status);
		mms_free(when);
		return MMS_ENOMEM;
	}
	for (size_t i = 0; i < nr + ns; i++) {
		status[i] = -1;
		when[i] = INT32_MIN;
	}
	int32_t first = recs ? in->ids[MMS_ROUTE_EVENT][0] : (int32_t)ne;
	for (size_t id = 0; id < ne; id++) {
		const int32_t *ev = mms_row(m, MMS_ROUTE_EVENT, (int32_t)id);
		size_t rec = id >= (size_t)first ? id - (size_t)first : 0;
		int staged = id >= (size_t)first && !in->bad[MMS_ROUTE_EVENT][rec];
		if (ev[EV_ROUTE] < 0 || ev[EV_STATUS] < 0)
			continue;
		size_t k = ev[EV_STEP] >= 0 ? nr + (size_t)ev[EV_STEP] : (size_t)ev[EV_ROUTE];
		if (staged && !allowed(status[k], ev[EV_STATUS])) {
			mms_buf b = {0};
			mms_record_label(m, MMS_ROUTE, ev[EV_ROUTE], &b);
			mms_ingest_fail(in, MMS_ERANGE, MMS_ROUTE_EVENT, rec, EV_STATUS,
					"%s%s: cannot become %s from %s", b.data ? b.data : "",
					ev[EV_STEP] >= 0 ? " (a step)" : "",
					mms_enum_name(E_ROUTE_STATUS, ev[EV_STATUS]),
					status[k] < 0 ? (ev[EV_STEP] >= 0 ? "planned" : "draft")
						      : mms_enum_name(E_ROUTE_STATUS, status[k]));
			mms_buf_free(&b);
			continue;
		}
		if (staged && ev[EV_DATE] < when[k]) {
			char d[11];
			mms_date_format(when[k], d);
			mms_ingest_fail(in, MMS_ERANGE, MMS_ROUTE_EVENT, rec, EV_DATE,
					"route event #%zu: dated before the previous change (%s)", id, d);
			continue;
		}
		status[k] = ev[EV_STATUS];
		when[k] = ev[EV_DATE];
	}
	mms_free(status);
	mms_free(when);
	return MMS_OK;
}

/* A past value names a dated field of a record that exists and holds a
 * value that field may hold (its until: check_past_untils()). */
static void check_past_value(checker *c)
{
	const mms_model *m = c->in->m;
	int32_t record, value;
	int field, e = mms_dated_entity(c->row[PV_ENTITY]);
	const char *code = mms_str(m, c->row[PV_RECORD]), *name = mms_str(m, c->row[PV_FIELD]);
	switch (mms_past_value_resolve(m, c->id, &record, &field, &value)) {
	case MMS_EREF:
		FAIL(c, MMS_EREF, PV_RECORD, "%s: no %s with code \"%s\"", lbl(c),
		     mms_entities[e].record, code);
		return;
	case MMS_EINVAL:
		FAIL(c, MMS_ETYPE, PV_FIELD, "%s: %s has no dated field \"%s\" (dated: %s)", lbl(c),
		     mms_entities[e].name, name, e == MMS_UNIT ? "name, parent" :
		     "org, role, position, category, edu_level, part_time, employment");
		return;
	case MMS_ETYPE:
	case MMS_EMISSING:
		FAIL(c, MMS_ETYPE, PV_VALUE, "%s: \"%s\" is not a value %s's %s can hold", lbl(c),
		     mms_str(m, c->row[PV_VALUE]), mms_entities[e].record, name);
		return;
	}
}

/* A past value's key (docs/format.md: entity, record, field, until). */
typedef struct past_key {
	int32_t entity, until, id;
	const char *record, *field;
} past_key;

static int past_cmp(const void *a, const void *b)
{
	const past_key *x = a, *y = b;
	int c = x->entity != y->entity ? (x->entity < y->entity ? -1 : 1) : strcmp(x->record, y->record);
	if (!c)
		c = strcmp(x->field, y->field);
	if (!c && x->until != y->until)
		c = x->until < y->until ? -1 : 1;
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* The untils of one record's field are distinct: each pair is reported
 * once, at the later record (the one a file adds). Sorted, not compared
 * pairwise, so a whole history imports in n log n. */
static int check_past_untils(mms_ingest *in)
{
	const mms_model *m = in->m;
	size_t n = m->t[MMS_PAST_VALUE].count, k = 0, recs = in->doc->count(in->doc, MMS_PAST_VALUE);
	if (!recs)
		return MMS_OK;
	past_key *keys = mms_malloc(n * sizeof *keys);
	if (!keys)
		return MMS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const int32_t *pv = mms_row(m, MMS_PAST_VALUE, (int32_t)i);
		if (mms_model_live(m, MMS_PAST_VALUE, (int32_t)i))
			keys[k++] = (past_key){pv[PV_ENTITY], pv[PV_UNTIL], (int32_t)i,
					       mms_str(m, pv[PV_RECORD]), mms_str(m, pv[PV_FIELD])};
	}
	qsort(keys, k, sizeof *keys, past_cmp);
	for (size_t rec = 0; rec < recs; rec++) {
		int32_t id = in->ids[MMS_PAST_VALUE][rec];
		const int32_t *pv = mms_row(m, MMS_PAST_VALUE, id);
		past_key key = {pv[PV_ENTITY], pv[PV_UNTIL], id, mms_str(m, pv[PV_RECORD]),
				mms_str(m, pv[PV_FIELD])};
		past_key *hit = in->bad[MMS_PAST_VALUE][rec] ? NULL
				: bsearch(&key, keys, k, sizeof *keys, past_cmp);
		if (!hit || hit == keys || hit[-1].entity != key.entity || hit[-1].until != key.until ||
		    strcmp(hit[-1].record, key.record) || strcmp(hit[-1].field, key.field))
			continue;
		char d[11];
		mms_buf label = {0};
		mms_date_format(key.until, d);
		mms_record_label(m, MMS_PAST_VALUE, id, &label);
		mms_ingest_fail(in, MMS_EDUP, MMS_PAST_VALUE, rec, PV_UNTIL, "%s: %s \"%s\" already has "
				"a past %s until %s", label.data ? label.data : "",
				mms_entities[mms_dated_entity(key.entity)].record, key.record, key.field, d);
		mms_buf_free(&label);
	}
	mms_free(keys);
	return MMS_OK;
}

typedef struct person_row {
	const char *key;
	int32_t id;
} person_row;

static int person_cmp(const void *a, const void *b)
{
	return strcmp(((const person_row *)a)->key, ((const person_row *)b)->key);
}

/* The posts of one person agree on the birth date (an absent one agrees
 * with any). Only rows that share a key are gathered: those naming a
 * person, and the rows whose code they name. */
static int check_persons(mms_ingest *in)
{
	const mms_model *m = in->m;
	size_t n = m->t[MMS_STAFF].count, k = 0, cap = 0;
	person_row *rows = NULL;
	for (size_t s = 0; s < n; s++) {
		const int32_t *row = mms_row(m, MMS_STAFF, (int32_t)s);
		if (!row[S_PERSON] || !mms_model_live(m, MMS_STAFF, (int32_t)s))
			continue;
		int32_t named = mms_model_find_code(m, MMS_STAFF, mms_str(m, row[S_PERSON]));
		if (mms_grow((void **)&rows, &cap, k + 2, sizeof *rows)) {
			mms_free(rows);
			return MMS_ENOMEM;
		}
		rows[k++] = (person_row){mms_str(m, row[S_PERSON]), (int32_t)s};
		if (named >= 0 && named != (int32_t)s && !mms_row(m, MMS_STAFF, named)[S_PERSON])
			rows[k++] = (person_row){mms_str(m, row[S_PERSON]), named};
	}
	if (k > 1)
		qsort(rows, k, sizeof *rows, person_cmp);
	size_t recs = in->doc->count(in->doc, MMS_STAFF);
	for (size_t rec = 0; rec < recs && k; rec++) {
		int32_t id = in->ids[MMS_STAFF][rec], birth = mms_row(m, MMS_STAFF, id)[S_BIRTH];
		person_row key = {mms_staff_person(m, id), id}, *hit;
		if (in->bad[MMS_STAFF][rec] || birth == MMS_NONE ||
		    !(hit = bsearch(&key, rows, k, sizeof *rows, person_cmp)))
			continue;
		while (hit > rows && !strcmp(hit[-1].key, key.key))
			hit--;
		for (; hit < rows + k && !strcmp(hit->key, key.key); hit++) {
			int32_t other = mms_row(m, MMS_STAFF, hit->id)[S_BIRTH];
			if (other == MMS_NONE || other == birth)
				continue;
			char a[11], b[11];
			mms_date_format(birth, a);
			mms_date_format(other, b);
			mms_ingest_fail(in, MMS_ERANGE, MMS_STAFF, rec, S_BIRTH, "staff member \"%s\": "
					"birth_date %s differs from %s of \"%s\", a post of the same "
					"person \"%s\"", mms_str(m, mms_row(m, MMS_STAFF, id)[S_CODE]), a,
					b, mms_str(m, mms_row(m, MMS_STAFF, hit->id)[S_CODE]), key.key);
			break;
		}
	}
	mms_free(rows);
	return MMS_OK;
}

/*
 * A resource's places (a course's seats, a mentor's mentees) are never
 * held by more steps of live routes than its capacity, whichever write
 * adds them: an import, an insert, an update, a saved plan. So two plans
 * saved separately cannot overfill a course or a mentor. Checked for the
 * resources the written steps name, once per resource.
 */
static int check_capacities(mms_ingest *in)
{
	mms_model *m = in->m;
	size_t recs = in->doc->count(in->doc, MMS_ROUTE_STEP);
	int any = 0;
	for (size_t rec = 0; rec < recs && !any; rec++) {
		int32_t res = mms_row(m, MMS_ROUTE_STEP, in->ids[MMS_ROUTE_STEP][rec])[ST_RESOURCE];
		any = !in->bad[MMS_ROUTE_STEP][rec] && res >= 0 &&
		      mms_row(m, MMS_RESOURCE, res)[R_CAPACITY] != MMS_NONE;
	}
	if (!any)
		return MMS_OK;
	int32_t *rs, *ss, *taken = mms_malloc((m->t[MMS_RESOURCE].count + 1) * sizeof *taken);
	int rc = mms_route_statuses_at(m, MMS_NONE, &rs, &ss);
	if (rc == MMS_OK && !taken)
		rc = MMS_ENOMEM;
	if (rc == MMS_OK)
		mms_route_places_taken(m, rs, ss, taken);
	for (size_t rec = 0; rc == MMS_OK && rec < recs; rec++) {
		int32_t id = in->ids[MMS_ROUTE_STEP][rec];
		const int32_t *st = mms_row(m, MMS_ROUTE_STEP, id);
		int32_t res = st[ST_RESOURCE];
		if (in->bad[MMS_ROUTE_STEP][rec] || res < 0 || st[ST_ROUTE] < 0 ||
		    !mms_route_step_holds_place(rs[st[ST_ROUTE]], ss[id]))
			continue;
		int32_t cap = mms_row(m, MMS_RESOURCE, res)[R_CAPACITY];
		if (cap == MMS_NONE || taken[res] <= cap)
			continue;
		mms_buf b = {0};
		mms_record_label(m, MMS_ROUTE, st[ST_ROUTE], &b);
		mms_ingest_fail(in, MMS_ERANGE, MMS_ROUTE_STEP, rec, ST_RESOURCE,
				"%s: resource \"%s\" has %d places (capacity) and %d steps of routes "
				"neither cancelled nor failed would hold them", b.data ? b.data : "",
				mms_str(m, mms_row(m, MMS_RESOURCE, res)[R_CODE]), cap, taken[res]);
		mms_buf_free(&b);
		taken[res] = INT32_MIN; /* said once */
	}
	mms_free(rs);
	mms_free(ss);
	mms_free(taken);
	return rc;
}

int mms_ingest_check(mms_ingest *in, int e)
{
	static void (*const rules[MMS_ENTITY_COUNT])(checker *) = {
		check_unit, check_link, check_staff, check_staff_link,
		check_activity, check_participation, check_target, check_fact,
		check_competency, check_diagnostic, check_resource, check_develops,
		check_route, check_route_step, check_route_event, check_past_value, check_route_deficit,
		check_diagnostic_session, check_programme, check_task, check_task_event, check_mentoring_pair,
		check_route_revision};
	size_t n = in->doc->count(in->doc, e);
	mms_fact_keys keys = {0};
	if (e == MMS_FACT && n && mms_fact_keys_builtin(&keys) != MMS_OK)
		return MMS_ENOMEM;
	for (size_t rec = 0; rec < n; rec++) {
		if (in->bad[e][rec])
			continue;
		checker c = {in, e, rec, in->ids[e][rec], NULL, {0}, &keys};
		c.row = mms_row(in->m, e, c.id);
		mms_record_label(in->m, e, c.id, &c.label);
		rules[e](&c);
		mms_buf_free(&c.label);
	}
	mms_fact_keys_free(&keys);
	switch (e) {
	case MMS_UNIT: return check_cycles(in, e, U_PARENT, "parents");
	case MMS_COMPETENCY: return check_cycles(in, e, C_PARENT, "parents");
	case MMS_RESOURCE: return check_cycles(in, e, R_PREREQUISITE, "prerequisites");
	case MMS_ROUTE_STEP: return check_capacities(in);
	case MMS_ROUTE_EVENT: return check_transitions(in);
	case MMS_STAFF: return check_persons(in);
	case MMS_PAST_VALUE: return check_past_untils(in);
	default: return MMS_OK;
	}
}
