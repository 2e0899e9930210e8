/* Hierarchy and network queries over the index. */
#include <string.h>

#include "db/db.h"

/* Validates the handle and unit (the scope's own), and readies the index. */
static int begin(mms_db *db, int32_t unit, mms_idlist **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = mms_db_ready(db);
	if (rc == MMS_OK && unit != -1)
		rc = mms_db_check_own_id(db, MMS_UNIT, unit);
	if (rc == MMS_OK && !(*out = mms_idlist_new()))
		rc = mms_db_fail(db, MMS_ENOMEM, "out of memory");
	return rc;
}

/* Pushes the records of entity e in ids[from, to) the handle may read. */
static int push_range(mms_db *db, mms_idlist *l, int e, const int32_t *ids, int32_t from,
		      int32_t to)
{
	for (int32_t k = from; k < to; k++)
		if (mms_db_readable(db, e, ids[k]) && mms_idlist_push(l, ids[k]) != MMS_OK)
			return mms_db_fail(db, MMS_ENOMEM, "out of memory");
	return MMS_OK;
}

/* Frees the list on failure so callers never see half a result. */
static int end(int rc, mms_idlist **out)
{
	if (rc != MMS_OK) {
		mms_idlist_free(*out);
		*out = NULL;
	}
	return rc;
}

int mms_unit_children(mms_db *db, int32_t unit, mms_idlist **out)
{
	int rc = unit < 0 ? MMS_EINVAL : begin(db, unit, out);
	if (rc == MMS_OK)
		rc = push_range(db, *out, MMS_UNIT, db->idx.children, db->idx.child_start[unit],
				db->idx.child_start[unit + 1]);
	return end(rc, out);
}

int mms_unit_subtree(mms_db *db, int32_t unit, mms_idlist **out)
{
	int rc = unit < 0 ? MMS_EINVAL : begin(db, unit, out);
	if (rc == MMS_OK)
		rc = push_range(db, *out, MMS_UNIT, db->idx.pre, db->idx.tin[unit], db->idx.tout[unit]);
	return end(rc, out);
}

int mms_unit_path(mms_db *db, int32_t unit, mms_idlist **out)
{
	int rc = unit < 0 ? MMS_EINVAL : begin(db, unit, out);
	for (int32_t u = unit; rc == MMS_OK && u >= 0;
	     u = mms_row(&db->m, MMS_UNIT, u)[U_PARENT])
		if (mms_idlist_push(*out, u) != MMS_OK)
			rc = mms_db_fail(db, MMS_ENOMEM, "out of memory");
	return end(rc, out);
}

int mms_unit_links(mms_db *db, int32_t unit, mms_idlist **out)
{
	int rc = unit < 0 ? MMS_EINVAL : begin(db, unit, out);
	if (rc == MMS_OK)
		rc = push_range(db, *out, MMS_LINK, db->idx.link_ids, db->idx.link_start[unit],
				db->idx.link_start[unit + 1]);
	return end(rc, out);
}

/* An optional enum name in a filter: -1 for NULL, -2 (and a message) if unknown. */
static int filter_enum(mms_db *db, int e, const char *name, int *rc)
{
	if (!name || *rc != MMS_OK)
		return -1;
	int v = mms_enum_find(e, name);
	if (v < 0)
		*rc = mms_db_fail(db, MMS_EINVAL, "filter: \"%.100s\" is not a known %s",
				  name, mms_enums[e].name);
	return v;
}

int mms_unit_find(mms_db *db, const mms_unit_filter *filter, mms_idlist **out)
{
	mms_unit_filter f = MMS_UNIT_FILTER_INIT;
	if (filter && (filter->version < 1 || filter->version > MMS_UNIT_FILTER_VERSION))
		return MMS_EINVAL;
	if (filter)
		f = *filter;
	int rc = begin(db, f.within, out);
	int kind = filter_enum(db, E_UNIT_KIND, f.kind, &rc);
	int level = filter_enum(db, E_LEVEL, f.level, &rc);
	for (size_t u = 0; rc == MMS_OK && u < db->m.t[MMS_UNIT].count; u++) {
		const int32_t *row = mms_row(&db->m, MMS_UNIT, (int32_t)u);
		if ((kind >= 0 && row[U_KIND] != kind) || (level >= 0 && row[U_LEVEL] != level) ||
		    (f.territory && strcmp(mms_str(&db->m, row[U_TERRITORY]), f.territory)) ||
		    (f.within >= 0 && !mms_index_within(&db->idx, f.within, (int32_t)u)) ||
		    !mms_db_readable(db, MMS_UNIT, (int32_t)u))
			continue;
		if (mms_idlist_push(*out, (int32_t)u) != MMS_OK)
			rc = mms_db_fail(db, MMS_ENOMEM, "out of memory");
	}
	return end(rc, out);
}

static int has_subject(const mms_model *m, int32_t list, const char *subject)
{
	for (int32_t k = 0; list && k < m->lists[list]; k++)
		if (!strcmp(mms_str(m, m->lists[list + 1 + k]), subject))
			return 1;
	return 0;
}

static int outside(int v, int lo, int hi)
{
	return (lo >= 0 && v < lo) || (hi >= 0 && v > hi);
}

static int staff_match(const mms_model *m, const mms_staff_filter *f, const int32_t *row,
		       int role, int cat, int edu, int32_t as_of)
{
	if ((role >= 0 && row[S_ROLE] != role) || (cat >= 0 && row[S_CATEGORY] != cat) ||
	    (edu >= 0 && row[S_EDU_LEVEL] != edu) ||
	    (f->part_time >= 0 && row[S_PART_TIME] != (f->part_time != 0)) ||
	    (f->subject && !has_subject(m, row[S_SUBJECTS], f->subject)))
		return 0;
	if (f->min_age >= 0 || f->max_age >= 0) {
		if (row[S_BIRTH] == MMS_NONE ||
		    outside(mms_years_between(row[S_BIRTH], as_of), f->min_age, f->max_age))
			return 0;
	}
	if (f->min_experience >= 0 || f->max_experience >= 0) {
		if (row[S_WORK_START] == MMS_NONE ||
		    outside(mms_years_between(row[S_WORK_START], as_of), f->min_experience,
			    f->max_experience))
			return 0;
	}
	return 1;
}

int mms_staff_find(mms_db *db, const mms_staff_filter *filter, mms_idlist **out)
{
	mms_staff_filter f = MMS_STAFF_FILTER_INIT;
	if (filter && (filter->version < 1 || filter->version > MMS_STAFF_FILTER_VERSION))
		return MMS_EINVAL;
	if (filter)
		f = *filter;
	int rc = begin(db, f.within, out);
	int role = filter_enum(db, E_ROLE, f.role, &rc);
	int cat = filter_enum(db, E_CATEGORY, f.category, &rc);
	int edu = filter_enum(db, E_EDU_LEVEL, f.edu_level, &rc);
	int32_t as_of = mms_date_today();
	if (rc == MMS_OK && f.as_of && mms_date_parse(f.as_of, &as_of) != MMS_OK)
		rc = mms_db_fail(db, MMS_EINVAL, "filter: as_of \"%.40s\" is not a date",
				 f.as_of);
	for (size_t s = 0; rc == MMS_OK && s < db->m.t[MMS_STAFF].count; s++) {
		const int32_t *row = mms_row(&db->m, MMS_STAFF, (int32_t)s);
		if ((f.within >= 0 && !mms_index_within(&db->idx, f.within, row[S_ORG])) ||
		    !mms_db_readable(db, MMS_STAFF, (int32_t)s))
			continue;
		if (!staff_match(&db->m, &f, row, role, cat, edu, as_of))
			continue;
		if (mms_idlist_push(*out, (int32_t)s) != MMS_OK)
			rc = mms_db_fail(db, MMS_ENOMEM, "out of memory");
	}
	return end(rc, out);
}
