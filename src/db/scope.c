/*
 * Access scope: what a handle limited to a unit's subtree may read and
 * write (docs/security.md, "Access scope").
 *
 * S is the subtree of the scope unit, A the units above it. A unit is its
 * own (in S) or readable reference (in A). Writing follows the rule the
 * indicators count by, written once in src/model/owner.c: a record is the
 * scope's own when the unit it belongs to is in S (a participation, staff
 * link, diagnostic or route: its person's organisation), and everything it
 * names is readable. Reading is wider: a record is readable when
 * everything it names is, and it names something of the scope's own or is
 * reference (staff, activities, resources and develops belonging to units
 * in A; competencies, which are shared). So an export of a scoped handle
 * imports on its own, and a school sees who takes part in its activities
 * without being able to change what counts for the unit above.
 */
#include <string.h>

#include "db.h"

/* Where unit u stands: ACC_READ|ACC_OWN in S, ACC_READ in A, 0 elsewhere.
 * Walks up at most the number of units, so a cycle cannot hang it. */
static uint8_t unit_access(const mms_model *m, int32_t scope, int32_t u)
{
	size_t n = m->t[MMS_UNIT].count, steps = n;
	for (int32_t p = u; p >= 0 && steps--; p = mms_row(m, MMS_UNIT, p)[U_PARENT])
		if (p == scope)
			return ACC_READ | ACC_OWN;
	steps = n;
	for (int32_t p = scope; p >= 0 && steps--; p = mms_row(m, MMS_UNIT, p)[U_PARENT])
		if (p == u)
			return ACC_READ;
	return 0;
}

/* Entities readable as reference when they belong to units above S. */
static int is_reference(int e)
{
	return e == MMS_STAFF || e == MMS_ACTIVITY || e == MMS_RESOURCE || e == MMS_DEVELOPS;
}

/* The access of one record from the access of what its fields name and
 * of the unit it belongs to. */
static uint8_t record_access(const mms_access *a, const mms_model *m, int e, int32_t id)
{
	const entity_def *d = &mms_entities[e];
	const int32_t *row = mms_row(m, e, id);
	int all_read = 1, any_own = 0;
	for (int f = 0; f < d->nfields; f++) {
		int32_t v = row[f];
		if (d->fields[f].type != F_REF || v < 0)
			continue;
		uint8_t t = a->bits[d->fields[f].aux][v];
		all_read &= (t & ACC_READ) != 0;
		any_own |= (t & ACC_OWN) != 0;
	}
	if (!all_read)
		return 0;
	int32_t u = mms_record_unit(m, e, id);
	if (u >= 0 && (a->bits[MMS_UNIT][u] & ACC_OWN))
		return ACC_READ | ACC_OWN;
	return any_own || is_reference(e) ? ACC_READ : 0;
}

int mms_access_compute(mms_access *a, const mms_model *m, int32_t scope)
{
	mms_access_free(a);
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		if (!(a->bits[e] = mms_calloc(m->t[e].count + 1, 1))) {
			mms_access_free(a);
			return MMS_ENOMEM;
		}
	for (size_t u = 0; u < m->t[MMS_UNIT].count; u++)
		a->bits[MMS_UNIT][u] = unit_access(m, scope, (int32_t)u);
	memset(a->bits[MMS_COMPETENCY], ACC_READ, m->t[MMS_COMPETENCY].count);
	/* Every reference points to an earlier entity except resources'
	 * prerequisites, so one pass in entity order settles all but chains
	 * of those; passes repeat until nothing changes. */
	for (int e = MMS_UNIT + 1; e < MMS_ENTITY_COUNT; e++) {
		if (e == MMS_COMPETENCY)
			continue;
		for (int changed = 1; changed;) {
			changed = 0;
			for (size_t id = 0; id < m->t[e].count; id++) {
				uint8_t v = record_access(a, m, e, (int32_t)id);
				changed |= v != a->bits[e][id];
				a->bits[e][id] = v;
			}
		}
	}
	/* a deleted record is nobody's to read (mms_model_live()) */
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		for (size_t id = 0; id < m->dead_len[e]; id++)
			if (!mms_model_live(m, e, (int32_t)id))
				a->bits[e][id] = 0;
	a->generation = m->generation;
	a->valid = 1;
	return MMS_OK;
}

void mms_access_free(mms_access *a)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		mms_free(a->bits[e]);
		a->bits[e] = NULL;
	}
	a->valid = 0;
}

int mms_db_scope_ready(mms_db *db)
{
	if (db->scope < 0 || (db->acc.valid && db->acc.generation == db->m.generation))
		return MMS_OK;
	int rc = mms_access_compute(&db->acc, &db->m, db->scope);
	return rc == MMS_OK ? rc : mms_db_fail(db, rc, "out of memory applying the scope");
}

/* The refusal message: which record, and which scope. A record the handle
 * may not read is named only as the caller named it (its code, given to
 * mms_db_find(), or its id), so that no call maps ids to codes or codes to
 * ids outside the scope. */
static int refuse(mms_db *db, int e, int32_t id, const char *code, const char *what)
{
	if (!mms_model_live(&db->m, e, id)) /* deleted: gone, whatever the scope */
		return code ? mms_db_fail(db, MMS_ENOTFOUND, "no %s with code \"%.200s\" (it was "
					  "deleted)", mms_entities[e].record, code)
			    : mms_db_fail(db, MMS_ENOTFOUND, "%s: no record with id %d (it was "
					  "deleted)", mms_entities[e].name, id);
	mms_buf b = {0};
	if (mms_db_readable(db, e, id))
		mms_record_label(&db->m, e, id, &b);
	else if (code)
		mms_buf_printf(&b, "%s \"%.200s\"", mms_entities[e].record, code);
	else
		mms_buf_printf(&b, "%s #%d", mms_entities[e].record, id);
	mms_db_fail(db, MMS_EACCES, "%s is outside the scope of unit \"%s\"%s",
		    b.data ? b.data : mms_entities[e].record,
		    mms_str(&db->m, mms_row(&db->m, MMS_UNIT, db->scope)[U_CODE]), what);
	mms_buf_free(&b);
	return MMS_EACCES;
}

int mms_db_check_read(mms_db *db, int e, int32_t id)
{
	return mms_db_readable(db, e, id) ? MMS_OK : refuse(db, e, id, NULL, "");
}

int mms_db_check_read_code(mms_db *db, int e, int32_t id, const char *code)
{
	return mms_db_readable(db, e, id) ? MMS_OK : refuse(db, e, id, code, "");
}

int mms_db_check_own(mms_db *db, int e, int32_t id)
{
	if (mms_db_owns(db, e, id))
		return MMS_OK;
	return refuse(db, e, id, NULL, mms_db_readable(db, e, id)
					       ? " (it is readable as reference, not the scope's own)" : "");
}

void mms_access_visible(const mms_access *a, const mms_mark *mark, mms_ingest *in)
{
	in->visible = a->bits;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		in->existing[e] = mark->rows[e];
}

/* The field a refusal names: the first naming what the handle may not
 * read, else the one naming what the record belongs to (or -1: a record
 * belonging to nothing, a unit at the top, a competency). */
static int refused_field(const mms_access *a, const mms_model *m, int e, int32_t id)
{
	const entity_def *d = &mms_entities[e];
	const int32_t *row = mms_row(m, e, id);
	for (int f = 0; f < d->nfields; f++)
		if (d->fields[f].type == F_REF && row[f] >= 0 &&
		    !(a->bits[d->fields[f].aux][row[f]] & ACC_READ))
			return f;
	return e == MMS_UNIT ? (row[U_PARENT] >= 0 ? U_PARENT : -1)
			     : mms_record_owner_field(m, e, id);
}

/* Why a staged record that is not the scope's own is refused. */
static void refuse_staged(mms_ingest *in, const mms_access *a, int e, size_t rec,
			  const char *scope_code)
{
	const mms_model *m = in->m;
	int32_t id = in->ids[e][rec];
	mms_buf label = {0}, value = {0}, why = {0};
	mms_record_label(m, e, id, &label);
	int f = e == MMS_COMPETENCY ? -1 : refused_field(a, m, e, id);
	if (f >= 0) {
		mms_field_text(m, e, id, f, &value);
		mms_buf_printf(&why, "%s %s", mms_entities[e].fields[f].name,
			       value.data ? value.data : "");
	}
	int32_t owner = mms_record_unit(m, e, id);
	if (e == MMS_COMPETENCY)
		mms_buf_puts(&why, "frameworks are written only through a handle without a scope, "
				   "and this one is limited to");
	else if (f >= 0 && !(a->bits[mms_entities[e].fields[f].aux][mms_row(m, e, id)[f]] & ACC_READ))
		mms_buf_puts(&why, " is outside the scope of");
	else if (e != MMS_UNIT && owner >= 0) /* readable, above the scope: safe to name */
		mms_buf_printf(&why, ": the %s belongs to unit \"%s\", not to the scope of",
			       mms_entities[e].record, mms_str(m, mms_row(m, MMS_UNIT, owner)[U_CODE]));
	else if (e != MMS_UNIT)
		mms_buf_printf(&why, "it belongs to no unit, so it is written only through a handle "
				     "without a scope, and this one is limited to");
	else
		mms_buf_puts(&why, f >= 0 ? " is outside the scope of" : "a unit at the top is outside the scope of");
	mms_ingest_fail(in, MMS_EACCES, e, rec, f, "%s: %s unit \"%s\"",
			label.data ? label.data : "", why.data ? why.data : "", scope_code);
	mms_buf_free(&label);
	mms_buf_free(&value);
	mms_buf_free(&why);
}

void mms_access_check_import(mms_ingest *in, int32_t scope, mms_access *out)
{
	mms_access a = {0};
	if (mms_access_compute(&a, in->m, scope) != MMS_OK) {
		in->first_rc = MMS_ENOMEM;
		return;
	}
	const char *scope_code = mms_str(in->m, mms_row(in->m, MMS_UNIT, scope)[U_CODE]);
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		size_t n = in->doc->count(in->doc, e);
		for (size_t rec = 0; rec < n; rec++)
			if (!(in->bad[e] && in->bad[e][rec]) && !(a.bits[e][in->ids[e][rec]] & ACC_OWN))
				refuse_staged(in, &a, e, rec, scope_code);
	}
	if (in->first_rc == MMS_OK)
		*out = a;
	else
		mms_access_free(&a);
}
