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
	if (plevel > level)
		FAIL(c, MMS_ELEVEL, U_PARENT,
		     "%s: a %s unit cannot stand under the %s unit \"%s\"", lbl(c),
		     mms_enum_name(E_LEVEL, level), mms_enum_name(E_LEVEL, plevel),
		     unit_code(c, parent));
	else if (level == LV_SUBUNIT && plevel < LV_INSTITUTIONAL)
		FAIL(c, MMS_ELEVEL, U_PARENT,
		     "%s: a subunit must stand inside an organisation, not under the %s unit \"%s\"",
		     lbl(c), mms_enum_name(E_LEVEL, plevel), unit_code(c, parent));
}

/* Marks units on a parent cycle; each cycle is reported once, at the unit
 * of the input that closes it. Walks are bounded by the unit count. */
static int check_cycles(mms_ingest *in)
{
	mms_model *m = in->m;
	size_t n = m->t[MMS_UNIT].count, recs = in->doc->count(in->doc, MMS_UNIT);
	uint8_t *state = mms_calloc(n ? n : 1, 1); /* 0 new, 1 on walk, 2 done */
	if (!state)
		return MMS_ENOMEM;
	for (size_t rec = 0; rec < recs; rec++) {
		int32_t start = in->ids[MMS_UNIT][rec], u = start;
		while (u >= 0 && state[u] == 0) {
			state[u] = 1;
			u = mms_row(m, MMS_UNIT, u)[U_PARENT];
		}
		if (u >= 0 && state[u] == 1) {
			mms_buf b = {0};
			mms_record_label(m, MMS_UNIT, start, &b);
			mms_ingest_fail(in, MMS_ECYCLE, MMS_UNIT, rec, U_PARENT,
					"%s: its parents lead back to unit \"%s\"",
					b.data ? b.data : "",
					mms_str(m, mms_row(m, MMS_UNIT, u)[U_CODE]));
			mms_buf_free(&b);
		}
		for (u = start; u >= 0 && state[u] == 1; u = mms_row(m, MMS_UNIT, u)[U_PARENT])
			state[u] = 2;
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

int mms_ingest_check(mms_ingest *in, int e)
{
	static void (*const rules[MMS_ENTITY_COUNT])(checker *) = {
		check_unit, check_link, check_staff, check_staff_link,
		check_activity, check_participation, check_target, check_fact};
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
	return e == MMS_UNIT ? check_cycles(in) : MMS_OK;
}
