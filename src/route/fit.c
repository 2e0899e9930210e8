/*
 * Whom a resource fits (docs/routes.md, "Fit to the person"). A resource
 * may name subjects, education levels, positions, categories and a range of
 * years of pedagogical work; a person fits it when they meet every one it
 * names. Where a mentoring resource names no subjects or levels they are
 * its mentor's, and where an internship or association names no levels it
 * is that of the organisation at its site: associations, internships and
 * mentors are matched by subject and level (issue 14). The closer fit is
 * the one that names more of the person; the first of the person's
 * subjects is their main one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/subject.h"
#include "route.h"

/* The education level of an organisation kind, or -1. */
static int32_t level_of_kind(int32_t kind)
{
	switch (kind) {
	case UK_SCHOOL: return EL_SCHOOL;
	case UK_PRESCHOOL: return EL_PRESCHOOL;
	case UK_COLLEGE: return EL_COLLEGE;
	case UK_SUPPLEMENTARY: return EL_SUPPLEMENTARY;
	case UK_PD_PROVIDER: case UK_CNPPM: case UK_INSTITUTE: return EL_PD;
	default: return -1;
	}
}

/* The level of the organisation a unit is or belongs to: itself if it is an
 * organisation, else the nearest one above through subunits and
 * institutional units (a school's association, a site inside a school); -1
 * for a municipal or higher unit that is none (a city association, a
 * municipal internship site), which is then open to every level. */
static int32_t unit_level(const mms_model *m, int32_t unit)
{
	for (size_t steps = m->t[MMS_UNIT].count; unit >= 0 && steps-- > 0;
	     unit = mms_row(m, MMS_UNIT, unit)[U_PARENT]) {
		const int32_t *u = mms_row(m, MMS_UNIT, unit);
		int32_t l = level_of_kind(u[U_KIND]);
		if (l >= 0)
			return l;
		if (u[U_LEVEL] != LV_INSTITUTIONAL && u[U_LEVEL] != LV_SUBUNIT)
			return -1;
	}
	return -1;
}

static int32_t staff_level(const mms_model *m, int32_t staff)
{
	const int32_t *s = mms_row(m, MMS_STAFF, staff);
	return s[S_EDU_LEVEL] >= 0 ? s[S_EDU_LEVEL] : unit_level(m, s[S_ORG]);
}

void mms_route_profile(const mms_model *m, int32_t staff, int32_t as_of, person_profile *out)
{
	const int32_t *s = mms_row(m, MMS_STAFF, staff);
	out->level = staff_level(m, staff);
	/* each position has its own professional standard: a teacher of a
	 * kindergarten is a preschool educator, of a house of creativity a
	 * supplementary-education teacher */
	out->position = s[S_ROLE] == ROLE_MANAGER ? PO_MANAGER
			: s[S_ROLE] == ROLE_METHODIST ? PO_METHODIST
			: out->level == EL_PRESCHOOL ? PO_PRESCHOOL_EDUCATOR
			: out->level == EL_SUPPLEMENTARY ? PO_SUPPLEMENTARY_TEACHER : PO_TEACHER;
	out->category = s[S_CATEGORY] >= 0 ? s[S_CATEGORY] : CAT_NONE;
	out->years = s[S_WORK_START] != MMS_NONE && s[S_WORK_START] <= as_of
			     ? (int32_t)((as_of - s[S_WORK_START]) / 365.25) : -1;
	out->subjects = s[S_SUBJECTS];
}

/* Where subject list `of` names one of the person's subjects (as subjects
 * are compared, domain/subject.c): the smallest position in the person's
 * list, or -1 if none. */
static int32_t subject_rank(const mms_model *m, int32_t person, int32_t of)
{
	int32_t n = person ? m->lists[person] : 0, k = of ? m->lists[of] : 0;
	for (int32_t i = 0; i < n; i++)
		for (int32_t j = 0; j < k; j++)
			if (mms_subject_same(mms_str(m, m->lists[person + 1 + i]),
					     mms_str(m, m->lists[of + 1 + j])))
				return i;
	return -1;
}

void mms_route_fit_needs(const mms_model *m, int32_t res, fit_needs *out)
{
	const int32_t *r = mms_row(m, MMS_RESOURCE, res);
	out->subjects = r[R_SUBJECTS];
	out->levels = r[R_EDU_LEVELS];
	int32_t l = -1;
	if (r[R_KIND] == RK_MENTORING && r[R_MENTOR] >= 0) {
		if (!out->subjects)
			out->subjects = mms_row(m, MMS_STAFF, r[R_MENTOR])[S_SUBJECTS];
		l = staff_level(m, r[R_MENTOR]);
	} else if ((r[R_KIND] == RK_INTERNSHIP || r[R_KIND] == RK_ASSOCIATION) && r[R_SITE] >= 0) {
		l = unit_level(m, r[R_SITE]);
	}
	if (!out->levels && l >= 0)
		out->levels = 1 << l;
	out->open = !out->subjects && !out->levels && !r[R_POSITIONS] && !r[R_CATEGORIES] &&
		    r[R_MIN_EXPERIENCE] == MMS_NONE && r[R_MAX_EXPERIENCE] == MMS_NONE;
}

int mms_route_fit_meets(const mms_model *m, const person_profile *p, int32_t res,
			const fit_needs *n, int32_t *rank)
{
	const int32_t *r = mms_row(m, MMS_RESOURCE, res);
	int fit = 0;
	int32_t at = n->subjects ? subject_rank(m, p->subjects, n->subjects) : -1;
	if (rank)
		*rank = at >= 0 ? at : INT32_MAX;
	if (n->subjects && at < 0)
		return -1;
	fit += n->subjects != 0;
#define NAMES(set, v) ((set) == 0 ? 0 : (v) >= 0 && ((set) >> (v) & 1) ? 1 : -1)
	int named[] = {NAMES(n->levels, p->level), NAMES(r[R_POSITIONS], p->position),
		       NAMES(r[R_CATEGORIES], p->category)};
#undef NAMES
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (named[i] < 0)
			return -1;
		fit += named[i];
	}
	int32_t lo = r[R_MIN_EXPERIENCE], hi = r[R_MAX_EXPERIENCE];
	if (lo != MMS_NONE || hi != MMS_NONE) {
		if (p->years < 0 || (lo != MMS_NONE && p->years < lo) ||
		    (hi != MMS_NONE && p->years > hi))
			return -1;
		fit++;
	}
	return fit;
}

int mms_route_fit_of(const mms_model *m, const person_profile *p, int32_t res, int32_t *rank)
{
	fit_needs n;
	mms_route_fit_needs(m, res, &n);
	return mms_route_fit_meets(m, p, res, &n, rank);
}

int mms_route_fit(mms_db *db, int32_t staff, int32_t resource, const char *as_of, int *closeness)
{
	if (!closeness)
		return MMS_EINVAL;
	*closeness = -1;
	int rc = mms_db_ready(db);
	if (rc == MMS_OK)
		rc = mms_db_check_own_id(db, MMS_STAFF, staff);
	if (rc == MMS_OK)
		rc = mms_db_check_id(db, MMS_RESOURCE, resource);
	int32_t day = mms_date_today();
	if (rc == MMS_OK && as_of && mms_date_parse(as_of, &day) != MMS_OK)
		rc = mms_db_fail(db, MMS_EINVAL, "as_of \"%.40s\" is not a date", as_of);
	if (rc != MMS_OK)
		return rc;
	person_profile p;
	mms_route_profile(&db->m, staff, day, &p);
	*closeness = mms_route_fit_of(&db->m, &p, resource, NULL);
	return MMS_OK;
}

/* ---- the table of a plan's steps by level and subject ----------------- */

typedef struct fit_row {
	int32_t level;
	const char *subject; /* the person's main one; "" none */
	int routes, steps, misfits;
	int kinds[RK_SELF_EDUCATION + 1];
} fit_row;

static int by_level_subject(const void *a, const void *b)
{
	const fit_row *x = a, *y = b;
	if (x->level != y->level) /* unknown levels last */
		return (uint32_t)x->level < (uint32_t)y->level ? -1 : 1;
	return strcmp(x->subject, y->subject);
}

void mms_route_csv_text(mms_buf *b, const char *s)
{
	mms_buf_puts(b, "\"");
	for (; *s; s++)
		mms_buf_printf(b, *s == '"' ? "\"\"" : "%c", *s);
	mms_buf_puts(b, "\"");
}

int mms_route_plan_fit_table(mms_db *db, const mms_route_plan *p, char **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = p ? mms_db_ready(db) : MMS_EINVAL;
	if (rc != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	fit_row *rows = NULL;
	size_t n = 0, cap = 0;
	for (size_t r = 0; r < mms_route_plan_count(p); r++) {
		int32_t staff = mms_route_plan_staff(p, r);
		if (staff < 0 || (size_t)staff >= m->t[MMS_STAFF].count)
			continue; /* a plan of another database */
		person_profile who;
		mms_route_profile(m, staff, mms_route_plan_as_of(p), &who);
		const char *subject = who.subjects ? mms_str(m, m->lists[who.subjects + 1]) : "";
		size_t i = 0;
		while (i < n && !(rows[i].level == who.level && !strcmp(rows[i].subject, subject)))
			i++;
		if (i == n) {
			if (mms_grow((void **)&rows, &cap, n + 1, sizeof *rows)) {
				rc = MMS_ENOMEM;
				break;
			}
			rows[n++] = (fit_row){.level = who.level, .subject = subject};
		}
		rows[i].routes++;
		for (size_t s = 0; s < mms_route_plan_steps(p, r); s++) {
			int32_t res = mms_route_plan_step_resource(p, r, s);
			if (res < 0 || (size_t)res >= m->t[MMS_RESOURCE].count)
				continue;
			rows[i].steps++;
			rows[i].kinds[mms_row(m, MMS_RESOURCE, res)[R_KIND]]++;
			rows[i].misfits += mms_route_fit_of(m, &who, res, NULL) < 0;
		}
	}
	if (n)
		qsort(rows, n, sizeof *rows, by_level_subject);
	mms_buf b = {0};
	mms_buf_puts(&b, "edu_level,subject,routes,steps");
	for (int k = 0; k <= RK_SELF_EDUCATION; k++)
		mms_buf_printf(&b, ",%s", mms_enum_name(E_RESOURCE_KIND, k));
	mms_buf_puts(&b, ",misfits\n");
	for (size_t i = 0; rc == MMS_OK && i < n; i++) {
		const char *level = mms_enum_name(E_EDU_LEVEL, rows[i].level);
		mms_buf_printf(&b, "%s,", level ? level : "");
		mms_route_csv_text(&b, rows[i].subject);
		mms_buf_printf(&b, ",%d,%d", rows[i].routes, rows[i].steps);
		for (int k = 0; k <= RK_SELF_EDUCATION; k++)
			mms_buf_printf(&b, ",%d", rows[i].kinds[k]);
		mms_buf_printf(&b, ",%d\n", rows[i].misfits);
	}
	mms_free(rows);
	if (rc == MMS_OK)
		rc = mms_buf_detach(&b, out);
	else
		mms_buf_free(&b);
	return rc == MMS_ENOMEM ? mms_db_fail(db, rc, "out of memory making the fit table") : rc;
}
