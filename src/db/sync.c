/*
 * Imports in sync mode (docs/format.md, "Sync"): an upsert, and then the
 * records of a unit's subtree and a year that the input does not hold are
 * deleted as mms_db_delete() deletes them, so a nightly feed makes the
 * database equal to itself within that scope. What is in scope is judged
 * on the database before the import: a record belongs to the subtree by
 * the rule the indicators count by (src/model/owner.c), and to the year
 * when its period touches it.
 */
#include <string.h>

#include "db.h"

/* Where the period of each entity is: its first and last day (the same
 * field for a one-day record), a year, a range of years, or, when the
 * record gives no date, the period of the record it is part of (a
 * participation's activity, a step's route, a develops record's resource,
 * a task's programme). A bound left out is open: a record without any date
 * touches every year, and so does an entity this table does not list
 * (`known` 0), rather than reading a field that is no date as one. */
static const struct {
	int8_t known, start, end, year, first_year, last_year, via;
} period[MMS_ENTITY_COUNT] = {
	[MMS_UNIT] = {1, -1, -1, -1, -1, -1, -1},
	[MMS_LINK] = {1, L_START, L_END, -1, -1, -1, -1},
	[MMS_STAFF] = {1, S_WORK_START, S_WORK_END, -1, -1, -1, -1},
	[MMS_STAFF_LINK] = {1, SL_START, SL_END, -1, -1, -1, -1},
	[MMS_ACTIVITY] = {1, A_START, A_END, -1, -1, -1, -1},
	[MMS_PARTICIPATION] = {1, P_START, P_END, -1, -1, -1, P_ACTIVITY},
	[MMS_TARGET] = {1, -1, -1, T_YEAR, -1, -1, -1},
	[MMS_FACT] = {1, -1, -1, FA_YEAR, -1, -1, -1},
	[MMS_COMPETENCY] = {1, -1, -1, -1, -1, -1, -1},
	[MMS_DIAGNOSTIC] = {1, D_DATE, D_DATE, -1, -1, -1, -1},
	[MMS_RESOURCE] = {1, R_START, R_END, -1, -1, -1, -1},
	[MMS_DEVELOPS] = {1, -1, -1, -1, -1, -1, DV_RESOURCE},
	[MMS_ROUTE] = {1, RT_START, RT_END, -1, -1, -1, -1},
	[MMS_ROUTE_STEP] = {1, ST_START, ST_END, -1, -1, -1, ST_ROUTE},
	[MMS_ROUTE_EVENT] = {1, EV_DATE, EV_DATE, -1, -1, -1, -1},
	[MMS_PAST_VALUE] = {1, -1, -1, -1, -1, -1, -1}, /* nobody's: never in a scope */
	[MMS_ROUTE_DEFICIT] = {1, -1, -1, -1, -1, -1, RD_ROUTE},
	[MMS_DIAGNOSTIC_SESSION] = {1, DS_DATE, DS_DATE, -1, -1, -1, -1},
	[MMS_PROGRAMME] = {1, -1, -1, -1, PG_FIRST_YEAR, PG_LAST_YEAR, -1},
	[MMS_TASK] = {1, -1, -1, -1, -1, -1, TK_PROGRAMME},
	[MMS_TASK_EVENT] = {1, TE_DATE, TE_DATE, -1, -1, -1, -1},
	[MMS_MENTORING_PAIR] = {1, MP_START, MP_END, -1, -1, -1, -1},
	[MMS_ROUTE_REVISION] = {1, RV_DATE, RV_DATE, -1, -1, -1, -1},
};

static int touches(const mms_model *m, int e, int32_t id, int year)
{
	if (!year)
		return 1;
	const int32_t *row = mms_row(m, e, id);
	if (!period[e].known)
		return 1;
	if (period[e].year >= 0)
		return row[period[e].year] == year;
	if (period[e].first_year >= 0 || period[e].last_year >= 0) {
		int32_t first = period[e].first_year >= 0 ? row[period[e].first_year] : MMS_NONE;
		int32_t last = period[e].last_year >= 0 ? row[period[e].last_year] : MMS_NONE;
		return (first == MMS_NONE || first <= year) && (last == MMS_NONE || last >= year);
	}
	int hs = period[e].start >= 0 && mms_field_present(m, e, id, period[e].start);
	int he = period[e].end >= 0 && mms_field_present(m, e, id, period[e].end);
	if (!hs && !he && period[e].via >= 0 && row[period[e].via] >= 0)
		return touches(m, mms_entities[e].fields[period[e].via].aux, row[period[e].via], year);
	return (!hs || row[period[e].start] <= mms_date_from_ymd(year, 12, 31)) &&
	       (!he || row[period[e].end] >= mms_date_from_ymd(year, 1, 1));
}

/* Whether record id (one the database held before the import) is in the
 * scope: live, of the subtree and touching the year. */
static int in_scope(const mms_sync *s, const mms_db *db, int e, int32_t id)
{
	return mms_model_live(&db->m, e, id) && (s->in_scope.bits[e][id] & ACC_OWN) &&
	       touches(&db->m, e, id, s->year);
}

int mms_sync_begin(mms_sync *s, mms_db *db, const char *unit, int year)
{
	memset(s, 0, sizeof *s);
	if (!unit || !*unit)
		return mms_db_fail(db, MMS_EINVAL, "a sync needs the unit whose subtree it makes "
				   "equal to the input (mms_import_options.scope)");
	if (year && (year < 1900 || year > 2100))
		return mms_db_fail(db, MMS_ERANGE, "sync year %d is out of range (1900-2100, or 0 "
				   "for every year)", year);
	s->year = year;
	int32_t root = mms_model_find_code(&db->m, MMS_UNIT, unit);
	if (root < 0 || !mms_model_live(&db->m, MMS_UNIT, root))
		return mms_db_fail(db, MMS_ENOTFOUND, "no unit with code \"%.200s\" to sync", unit);
	int rc = mms_db_check_read_code(db, MMS_UNIT, root, unit);
	if (rc == MMS_OK)
		rc = mms_db_check_own(db, MMS_UNIT, root);
	if (rc == MMS_OK && (rc = mms_access_compute(&s->in_scope, &db->m, root)) != MMS_OK)
		rc = mms_db_fail(db, rc, "out of memory");
	return rc;
}

/* Notes which records the input holds (matched; added ones are past the
 * mark) and picks the records of the input's entities in scope that it
 * does not hold; entities the input has no record of are left as they are. */
static int pick(mms_sync *s, mms_db *db, const mms_upsert *up, const mms_mark *mark)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		size_t n = up->doc->count(up->doc, e);
		if (!(s->held[e] = mms_calloc(mark->rows[e] + 1, 1)))
			return MMS_ENOMEM;
		for (size_t rec = 0; rec < n; rec++)
			if (up->match[e][rec] >= 0)
				s->held[e][up->match[e][rec]] = 1;
		int rc = MMS_OK;
		for (size_t id = 0; n && id < mark->rows[e] && rc == MMS_OK; id++)
			if (!s->held[e][id] && in_scope(s, db, e, (int32_t)id))
				rc = mms_tombs_add(&s->tombs, e, (int32_t)id);
		if (rc != MMS_OK)
			return rc;
	}
	return MMS_OK;
}

static int held(const mms_sync *s, const mms_mark *mark, int e, int32_t id)
{
	return (size_t)id >= mark->rows[e] || s->held[e][id];
}

/* The records in scope that are part of a record to delete (a staff
 * member's participations when the input holds no participations) go with
 * it, to a fixed point, as a cascade of mms_db_delete() takes them. */
static int cascade(mms_sync *s, mms_db *db, const mms_mark *mark)
{
	const mms_model *m = &db->m;
	for (int grew = 1; grew;) {
		grew = 0;
		for (int e = 0; e < MMS_ENTITY_COUNT; e++)
			for (size_t i = 0; i < mark->rows[e]; i++) {
				int32_t id = (int32_t)i;
				if (s->tombs.doomed[e][id] || !in_scope(s, db, e, id) ||
				    held(s, mark, e, id) ||
				    mms_tombs_refers(m, &s->tombs, e, id, NULL) != 1)
					continue;
				if (mms_tombs_add(&s->tombs, e, id) != MMS_OK)
					return MMS_ENOMEM;
				grew = 1;
			}
	}
	return MMS_OK;
}

/* Every live record left that refers to one to delete refuses the sync,
 * named with the record it refers to. */
static int refuse(mms_sync *s, mms_db *db, const mms_mark *mark, mms_report *rep)
{
	const mms_model *m = &db->m;
	mms_buf who = {0}, what = {0};
	int first = MMS_OK;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		for (size_t i = 0; i < m->t[e].count; i++) {
			int32_t id = (int32_t)i;
			int f;
			if (s->tombs.doomed[e][id] || !mms_model_live(m, e, id) ||
			    !mms_tombs_refers(m, &s->tombs, e, id, &f))
				continue;
			int te = mms_entities[e].fields[f].aux;
			who.len = what.len = 0;
			mms_buf_printf(&who, "%s/", mms_entities[e].name);
			mms_record_key(m, e, id, &who);
			mms_buf_printf(&what, "%s/", mms_entities[te].name);
			mms_record_key(m, te, mms_row(m, e, id)[f], &what);
			if (who.failed || what.failed)
				break;
			int inside = (size_t)id < mark->rows[e] && in_scope(s, db, e, id);
			mms_report_add(rep, MMS_EREF, who.data,
				       "the sync would delete %s (in the scope, not in the input), "
				       "but %s %s refers to it by \"%s\"", what.data, who.data,
				       held(s, mark, e, id) ? "(in the input)"
				       : inside ? "(in the scope, which only mentions it)"
						: "(outside the scope)",
				       mms_entities[e].fields[f].name);
			first = MMS_EREF;
		}
	int rc = who.failed || what.failed || rep->failed ? MMS_ENOMEM : first;
	mms_buf_free(&who);
	mms_buf_free(&what);
	return rc;
}

/* The past values of the records to delete go with them; one that names a
 * unit to delete as a past org or parent refuses the sync. */
static int past_values(mms_sync *s, mms_db *db, mms_report *rep)
{
	mms_victim *deps = NULL;
	size_t n = 0, cap = 0;
	mms_buf who = {0};
	int rc = mms_tombs_past_values(&db->m, &s->tombs, &deps, &n, &cap);
	for (size_t k = 0; k < n && rc == MMS_OK; k++) {
		who.len = 0;
		mms_buf_printf(&who, "%s/", mms_entities[MMS_PAST_VALUE].name);
		mms_record_key(&db->m, MMS_PAST_VALUE, deps[k].id, &who);
		if (who.failed)
			break;
		mms_report_add(rep, MMS_EREF, who.data,
			       "the sync would delete the unit that %s names as a past value", who.data);
	}
	if (rc == MMS_OK)
		rc = who.failed || rep->failed ? MMS_ENOMEM : n ? MMS_EREF : MMS_OK;
	mms_buf_free(&who);
	mms_free(deps);
	return rc;
}

int mms_sync_stage(mms_sync *s, mms_db *db, const mms_upsert *up, const mms_mark *mark,
		   mms_report *rep)
{
	int rc = mms_tombs_begin(&s->tombs, &db->m);
	if (rc == MMS_OK)
		rc = pick(s, db, up, mark);
	if (rc == MMS_OK && s->tombs.ndel)
		rc = cascade(s, db, mark);
	if (rc == MMS_OK && s->tombs.ndel)
		rc = past_values(s, db, rep);
	if (rc == MMS_OK && s->tombs.ndel)
		rc = refuse(s, db, mark, rep);
	if (rc == MMS_OK && s->tombs.ndel)
		rc = mms_tombs_check_steps(&db->m, &s->tombs, rep);
	if (rc == MMS_OK && s->tombs.ndel)
		rc = mms_tombs_kill(db, &s->tombs);
	return rc;
}

static void list_one(mms_report *rep, mms_buf *key, const mms_model *m, int e, int32_t id,
		     const char *what)
{
	key->len = 0;
	mms_buf_printf(key, "%s/", mms_entities[e].name);
	mms_record_key(m, e, id, key);
	if (!key->failed)
		mms_report_add(rep, MMS_OK, key->data, "%s", what);
}

int mms_sync_list(const mms_sync *s, mms_db *db, const mms_upsert *up, const mms_mark *mark,
		  mms_report *rep)
{
	const mms_model *m = &db->m;
	mms_buf key = {0};
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		for (size_t id = mark->rows[e]; id < m->t[e].count; id++)
			list_one(rep, &key, m, e, (int32_t)id, "added");
		for (size_t k = 0; k < up->staged; k++)
			if (up->changes[k].e == e && up->changes[k].changed)
				list_one(rep, &key, m, e, up->changes[k].id, "updated");
		for (size_t k = 0; k < s->tombs.ndel; k++)
			if (s->tombs.del[k].e == e)
				list_one(rep, &key, m, e, s->tombs.del[k].id, "deleted");
	}
	int failed = key.failed || rep->failed;
	mms_buf_free(&key);
	return failed ? mms_db_fail(db, MMS_ENOMEM, "out of memory") : MMS_OK;
}

void mms_sync_free(mms_sync *s)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		mms_free(s->held[e]);
	mms_tombs_free(&s->tombs);
	mms_access_free(&s->in_scope);
}
