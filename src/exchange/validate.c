/*
 * Rules that span fields and records, checked after every record of an
 * import is decoded: a unit's kind, level and parent must fit, the
 * hierarchy has no cycle, periods are in order, links and participations
 * join records of the right kinds.
 */
#include <string.h>

#include "doc.h"

typedef struct checker {
	mms_ingest *in;
	int e;
	size_t rec;
	int32_t id;
	int32_t *row;
	mms_buf label;
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

static void check_target(checker *c)
{
	MMS_UNUSED(c); /* the indicator id is checked when a catalogue reads it */
}

static void check_fact(checker *c)
{
	MMS_UNUSED(c); /* keys are free: indicators name the ones they read */
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

int mms_ingest_check(mms_ingest *in, int e)
{
	static void (*const rules[MMS_ENTITY_COUNT])(checker *) = {
		check_unit, check_link, check_staff, check_staff_link,
		check_activity, check_participation, check_target, check_fact,
		check_competency, check_diagnostic, check_resource, check_develops,
		check_route, check_route_step, check_route_event, check_mentoring_pair,
		check_route_revision};
	size_t n = in->doc->count(in->doc, e);
	for (size_t rec = 0; rec < n; rec++) {
		if (in->bad[e][rec])
			continue;
		checker c = {in, e, rec, in->ids[e][rec], NULL, {0}};
		c.row = mms_row(in->m, e, c.id);
		mms_record_label(in->m, e, c.id, &c.label);
		rules[e](&c);
		mms_buf_free(&c.label);
	}
	switch (e) {
	case MMS_UNIT: return check_cycles(in, e, U_PARENT, "parents");
	case MMS_COMPETENCY: return check_cycles(in, e, C_PARENT, "parents");
	case MMS_RESOURCE: return check_cycles(in, e, R_PREREQUISITE, "prerequisites");
	case MMS_ROUTE_EVENT: return check_transitions(in);
	default: return MMS_OK;
	}
}
