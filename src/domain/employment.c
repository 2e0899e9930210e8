/*
 * The valid-time history of staff and unit fields, and what a staff row
 * (a post) says about its person (docs/format.md, "People, posts and past
 * values"; docs/indicators.md, "As at which day").
 */
#include <stdlib.h>
#include <string.h>

#include "employment.h"

int mms_dated_field(int e, int f)
{
	if (e == MMS_STAFF)
		return f == S_ORG || f == S_ROLE || f == S_POSITION || f == S_CATEGORY ||
		       f == S_EDU_LEVEL || f == S_PART_TIME || f == S_EMPLOYMENT;
	return e == MMS_UNIT && (f == U_NAME || f == U_PARENT);
}

int mms_dated_entity(int32_t dated)
{
	return dated == DE_UNIT ? MMS_UNIT : MMS_STAFF;
}

/* A value in its import form (the CSV notation) as the row keeps it. */
static int decode(const mms_model *m, const field_def *fd, int32_t text, int32_t *out)
{
	const char *s = mms_str(m, text);
	if (!*s) {
		*out = mms_field_absent(fd);
		return fd->required ? MMS_EMISSING : MMS_OK;
	}
	switch (fd->type) {
	case F_ENUM:
		*out = mms_enum_find(fd->aux, s);
		return *out >= 0 ? MMS_OK : MMS_ETYPE;
	case F_REF:
		*out = mms_model_find_code(m, fd->aux, s);
		return *out >= 0 && mms_model_live(m, fd->aux, *out) ? MMS_OK : MMS_ETYPE;
	case F_BOOL:
		*out = !strcmp(s, "true") || !strcmp(s, "1");
		return *out || !strcmp(s, "false") || !strcmp(s, "0") ? MMS_OK : MMS_ETYPE;
	default: /* text: the past value's own string */
		*out = text;
		return MMS_OK;
	}
}

int mms_past_value_resolve(const mms_model *m, int32_t pv, int32_t *record, int *field,
			   int32_t *value)
{
	const int32_t *row = mms_row(m, MMS_PAST_VALUE, pv);
	int e = mms_dated_entity(row[PV_ENTITY]);
	*record = mms_model_find_code(m, e, mms_str(m, row[PV_RECORD]));
	if (*record < 0 || !mms_model_live(m, e, *record))
		return MMS_EREF;
	*field = mms_field_find(e, mms_str(m, row[PV_FIELD]));
	if (*field < 0 || !mms_dated_field(e, *field))
		return MMS_EINVAL;
	return decode(m, &mms_entities[e].fields[*field], row[PV_VALUE], value);
}

static int entry_cmp(const mms_timeline_entry *a, const mms_timeline_entry *b)
{
	if (a->entity != b->entity)
		return a->entity < b->entity ? -1 : 1;
	if (a->record != b->record)
		return a->record < b->record ? -1 : 1;
	if (a->field != b->field)
		return a->field < b->field ? -1 : 1;
	return a->until < b->until ? -1 : a->until > b->until;
}

static int entry_qsort(const void *a, const void *b)
{
	return entry_cmp(a, b);
}

/* t->org_start/org_staff from the sorted entries: a counting sort by unit
 * of each staff row's past orgs, a row's repeats of one unit (S1, S2, S1
 * again) kept once. */
static int index_orgs(mms_timeline *t, const mms_model *m)
{
	size_t nu = m->t[MMS_UNIT].count;
	t->org_start = mms_calloc(nu + 2, sizeof *t->org_start);
	t->org_staff = mms_malloc(t->staff_orgs * sizeof *t->org_staff);
	if (!t->org_start || !t->org_staff)
		return MMS_ENOMEM;
	t->units = nu;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < t->n; i++) {
			const mms_timeline_entry *x = &t->e[i];
			if (x->entity != MMS_STAFF || x->field != S_ORG || x->value < 0 ||
			    (size_t)x->value >= nu)
				continue;
			int seen = 0; /* the same row's earlier entries naming the unit */
			for (size_t j = i; j-- > 0 && t->e[j].entity == MMS_STAFF &&
					   t->e[j].record == x->record && t->e[j].field == S_ORG;)
				seen |= t->e[j].value == x->value;
			if (seen)
				continue;
			if (pass == 0)
				t->org_start[x->value + 2]++;
			else
				t->org_staff[t->org_start[x->value + 1]++] = x->record;
		}
		if (pass == 0)
			for (size_t u = 0; u < nu; u++)
				t->org_start[u + 2] += t->org_start[u + 1];
	}
	return MMS_OK;
}

int mms_timeline_build(mms_timeline *t, const mms_model *m)
{
	size_t n = m->t[MMS_PAST_VALUE].count;
	memset(t, 0, sizeof *t);
	if (n == 0)
		return MMS_OK;
	t->e = mms_malloc(n * sizeof *t->e);
	if (!t->e)
		return MMS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		mms_timeline_entry x;
		int f;
		if (!mms_model_live(m, MMS_PAST_VALUE, (int32_t)i) ||
		    mms_past_value_resolve(m, (int32_t)i, &x.record, &f, &x.value) != MMS_OK)
			continue;
		x.entity = (int8_t)mms_dated_entity(mms_row(m, MMS_PAST_VALUE, (int32_t)i)[PV_ENTITY]);
		x.field = (int8_t)f;
		x.until = mms_row(m, MMS_PAST_VALUE, (int32_t)i)[PV_UNTIL];
		t->staff_orgs += x.entity == MMS_STAFF && f == S_ORG;
		t->unit_parents += x.entity == MMS_UNIT && f == U_PARENT;
		t->e[t->n++] = x;
	}
	qsort(t->e, t->n, sizeof *t->e, entry_qsort);
	return t->staff_orgs ? index_orgs(t, m) : MMS_OK;
}

void mms_timeline_free(mms_timeline *t)
{
	mms_free(t->e);
	mms_free(t->org_start);
	mms_free(t->org_staff);
	memset(t, 0, sizeof *t);
}

int32_t mms_value_at(const mms_timeline *t, const mms_model *m, int e, int32_t id, int f,
		     int32_t day)
{
	if (t && t->n) { /* the first entry not before (e, id, f, day) */
		mms_timeline_entry key = {id, day, 0, (int8_t)e, (int8_t)f};
		size_t lo = 0, hi = t->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (entry_cmp(&t->e[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < t->n && t->e[lo].entity == e && t->e[lo].record == id && t->e[lo].field == f)
			return t->e[lo].value;
	}
	return mms_row(m, e, id)[f];
}

int32_t mms_unit_staff_next(const mms_timeline *t, const mms_model *m, const int32_t *cur_start,
			    const int32_t *cur_ids, int32_t unit, int32_t day, int32_t *k)
{
	int32_t ncur = cur_start[unit + 1] - cur_start[unit];
	while (*k < ncur) {
		int32_t s = cur_ids[cur_start[unit] + (*k)++];
		if (!t || !t->staff_orgs || mms_value_at(t, m, MMS_STAFF, s, S_ORG, day) == unit)
			return s;
	}
	if (!t || !t->org_start || (size_t)unit >= t->units)
		return -1;
	/* those there before: not those of the current list, met above */
	int32_t from = t->org_start[unit], npast = t->org_start[unit + 1] - from;
	while (*k - ncur < npast) {
		int32_t s = t->org_staff[from + (*k)++ - ncur];
		if (mms_model_live(m, MMS_STAFF, s) && mms_row(m, MMS_STAFF, s)[S_ORG] != unit &&
		    mms_value_at(t, m, MMS_STAFF, s, S_ORG, day) == unit)
			return s;
	}
	return -1;
}

int mms_within_at(const mms_timeline *t, const mms_model *m, int32_t root, int32_t u,
		  int32_t day)
{
	size_t n = m->t[MMS_UNIT].count; /* bounds the walk: a history may hold a cycle */
	for (size_t i = 0; u >= 0 && i <= n; i++) {
		if (u == root)
			return 1;
		u = mms_value_at(t, m, MMS_UNIT, u, U_PARENT, day);
	}
	return 0;
}

/* The past value of (record, field) with the earliest until on or after
 * day, or (last) with the latest until; -1 if none. */
static int32_t scan(const mms_model *m, int e, int32_t id, int f, int32_t day, int last)
{
	if ((e != MMS_STAFF && e != MMS_UNIT) || !mms_dated_field(e, f))
		return -1;
	const char *code = mms_str(m, mms_row(m, e, id)[mms_entities[e].code_field]);
	const char *name = mms_entities[e].fields[f].name;
	int32_t best = -1, until = 0;
	for (size_t k = 0; k < m->t[MMS_PAST_VALUE].count; k++) {
		const int32_t *pv = mms_row(m, MMS_PAST_VALUE, (int32_t)k);
		int32_t u = pv[PV_UNTIL];
		if (mms_dated_entity(pv[PV_ENTITY]) == e && (last || u >= day) &&
		    (best < 0 || (last ? u > until : u < until)) &&
		    mms_model_live(m, MMS_PAST_VALUE, (int32_t)k) &&
		    !strcmp(mms_str(m, pv[PV_RECORD]), code) && !strcmp(mms_str(m, pv[PV_FIELD]), name)) {
			best = (int32_t)k;
			until = u;
		}
	}
	return best;
}

int32_t mms_past_value_find(const mms_model *m, int e, int32_t id, int f, int32_t day)
{
	return scan(m, e, id, f, day, 0);
}

int32_t mms_past_value_last(const mms_model *m, int e, int32_t id, int f)
{
	return scan(m, e, id, f, 0, 1);
}

int mms_employed_at(const mms_model *m, int32_t s, int32_t day)
{
	const int32_t *row = mms_row(m, MMS_STAFF, s);
	return (row[S_WORK_START] == MMS_NONE || row[S_WORK_START] <= day) &&
	       (row[S_WORK_END] == MMS_NONE || row[S_WORK_END] >= day);
}

const char *mms_staff_person(const mms_model *m, int32_t s)
{
	const int32_t *row = mms_row(m, MMS_STAFF, s);
	return mms_str(m, row[S_PERSON] ? row[S_PERSON] : row[S_CODE]);
}

int mms_on_staff_at(const mms_timeline *t, const mms_model *m, int32_t s, int32_t day)
{
	int32_t k = mms_value_at(t, m, MMS_STAFF, s, S_EMPLOYMENT, day);
	return k != EM_EXTERNAL_PART_TIME && k != EM_CIVIL_LAW;
}

int mms_main_post_at(const mms_timeline *t, const mms_model *m, int32_t s, int32_t day)
{
	int32_t k = mms_value_at(t, m, MMS_STAFF, s, S_EMPLOYMENT, day);
	return k < 0 || k == EM_MAIN;
}

int32_t mms_cohort_entry(const mms_model *m, int32_t s, int32_t start, int32_t end)
{
	const int32_t *row = mms_row(m, MMS_STAFF, s);
	if ((row[S_WORK_START] != MMS_NONE && row[S_WORK_START] > end) ||
	    (row[S_WORK_END] != MMS_NONE && row[S_WORK_END] < start))
		return MMS_NONE;
	return row[S_WORK_START] != MMS_NONE && row[S_WORK_START] > start ? row[S_WORK_START] : start;
}

int32_t mms_retained_at(const mms_timeline *t, const mms_model *m, int32_t from, int32_t to,
			int32_t day)
{
	size_t n = m->t[MMS_UNIT].count; /* bounds each walk: a history may hold a cycle */
	for (int32_t a = from, i = 0; a >= 0 && (size_t)i <= n; i++) {
		for (int32_t b = to, j = 0; b >= 0 && (size_t)j <= n; j++) {
			if (a == b)
				return a;
			b = mms_value_at(t, m, MMS_UNIT, b, U_PARENT, day);
		}
		a = mms_value_at(t, m, MMS_UNIT, a, U_PARENT, day);
	}
	return -1;
}
