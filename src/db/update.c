/*
 * Updates of one record, all or nothing, through the import's own decoder
 * and rules: the record is decoded again from its present values with the
 * caller's changes laid over them, then it and every record that refers to
 * it are checked as an import checks its records. Only then are the row
 * and its history written, in one SQLite transaction; any failure puts
 * the model row and the file back as they were.
 */
#include <string.h>

#include "db.h"
#include "exchange/exchange.h"
#include "store/store.h"

/* The one record being updated and the records to check again with it,
 * seen as a document. In the decode phase it holds only the record, its
 * fields the caller's where given and its present values elsewhere; in the
 * check phase it holds the record and every record that refers to it. */
typedef struct update_doc {
	mms_doc base;
	mms_doc *given; /* the caller's record: the fields it sets */
	const mms_model *m;
	int e;
	int32_t id;
	char *old[32];  /* present values as text; NULL when absent */
	int checking;
	int32_t *deps[MMS_ENTITY_COUNT]; /* check phase: ids by entity */
	size_t ndeps[MMS_ENTITY_COUNT];
} update_doc;

static size_t ud_count(mms_doc *d, int e)
{
	update_doc *u = (update_doc *)d;
	return u->checking ? u->ndeps[e] : e == u->e;
}

static int ud_get(mms_doc *d, int e, size_t rec, int f, mms_value *v)
{
	update_doc *u = (update_doc *)d;
	int rc = u->given->get(u->given, e, rec, f, v);
	if (rc != MMS_OK || v->kind != V_ABSENT)
		return rc;
	if (u->old[f]) { /* kept: read back in the notation it was written in */
		v->kind = V_TEXT;
		v->text = u->old[f];
		v->len = strlen(u->old[f]);
	}
	return MMS_OK;
}

static int32_t ud_id(const update_doc *u, int e, size_t rec)
{
	return u->checking ? u->deps[e][rec] : u->id;
}

/* "staff/T-01/category": the record by its key, as mms_db_history() names it. */
static void ud_where(mms_doc *d, int e, size_t rec, int f, mms_buf *out)
{
	update_doc *u = (update_doc *)d;
	mms_buf_printf(out, "%s/", mms_entities[e].name);
	mms_record_key(u->m, e, ud_id(u, e, rec), out);
	if (f >= 0)
		mms_buf_printf(out, "/%s", mms_entities[e].fields[f].name);
}

static void ud_free(update_doc *u)
{
	for (int f = 0; f < 32; f++)
		mms_free(u->old[f]);
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		mms_free(u->deps[e]);
}

/* Whether a field has a text: booleans always have, "false" when unset. */
static int has_text(const mms_model *m, int e, int32_t id, int f)
{
	return mms_entities[e].fields[f].type == F_BOOL || mms_field_present(m, e, id, f);
}

/* Keeps the present values of the record as text, to lay the caller's over
 * and to compare with afterwards. */
static int keep_old(update_doc *u)
{
	const entity_def *d = &mms_entities[u->e];
	mms_buf b = {0};
	int rc = MMS_OK;
	for (int f = 0; f < d->nfields && rc == MMS_OK; f++) {
		if (!has_text(u->m, u->e, u->id, f))
			continue;
		b.len = 0;
		mms_field_text(u->m, u->e, u->id, f, &b);
		if (b.failed || !(u->old[f] = mms_strndup(b.data ? b.data : "", b.len)))
			rc = MMS_ENOMEM;
	}
	mms_buf_free(&b);
	return rc;
}

static int add_dep(update_doc *u, size_t *cap, int e, int32_t id)
{
	void *p = u->deps[e];
	if (mms_grow(&p, &cap[e], u->ndeps[e] + 1, sizeof(int32_t)))
		return MMS_ENOMEM;
	u->deps[e] = p;
	u->deps[e][u->ndeps[e]++] = id;
	return MMS_OK;
}

/* The record and every record whose references name it: the rules of
 * those (a child's level under its parent, a link's ends, a staff member's
 * organisation...) read the record's fields. Route events are replayed in
 * order from the first one concerned, as the import's rule expects. */
static int find_deps(update_doc *u)
{
	const mms_model *m = u->m;
	size_t cap[MMS_ENTITY_COUNT] = {0};
	int rc = add_dep(u, cap, u->e, u->id);
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++) {
		const entity_def *d = &mms_entities[e];
		for (int f = 0; f < d->nfields && rc == MMS_OK; f++) {
			if (d->fields[f].type != F_REF || d->fields[f].aux != u->e)
				continue;
			for (size_t id = 0; id < m->t[e].count && rc == MMS_OK; id++)
				if (mms_row(m, e, (int32_t)id)[f] == u->id &&
				    !(e == u->e && (int32_t)id == u->id))
					rc = add_dep(u, cap, e, (int32_t)id);
		}
	}
	size_t nev = u->ndeps[MMS_ROUTE_EVENT];
	if (rc != MMS_OK || nev == 0)
		return rc;
	int32_t first = u->deps[MMS_ROUTE_EVENT][0];
	for (size_t k = 1; k < nev; k++)
		if (u->deps[MMS_ROUTE_EVENT][k] < first)
			first = u->deps[MMS_ROUTE_EVENT][k];
	u->ndeps[MMS_ROUTE_EVENT] = 0;
	for (size_t id = (size_t)first; id < m->t[MMS_ROUTE_EVENT].count && rc == MMS_OK; id++)
		rc = add_dep(u, cap, MMS_ROUTE_EVENT, (int32_t)id);
	return rc;
}

/* Gives the ingest one id and one problem flag per record of the doc. */
static int ingest_prepare(mms_ingest *in, update_doc *u)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		size_t n = u->base.count(&u->base, e);
		if (!n)
			continue;
		if (!(in->ids[e] = mms_malloc(n * sizeof(int32_t))) || !(in->bad[e] = mms_calloc(n, 1)))
			return MMS_ENOMEM;
		for (size_t rec = 0; rec < n; rec++)
			in->ids[e][rec] = ud_id(u, e, rec);
	}
	return MMS_OK;
}

/* Decodes the record over its row, then checks it with its dependents. */
static int validate(mms_db *db, update_doc *u, mms_report *rep)
{
	const entity_def *d = &mms_entities[u->e];
	int32_t *row = mms_row(&db->m, u->e, u->id);
	for (int f = 0; f < d->nfields; f++) /* the decoder sets what is present */
		if (f != d->code_field)
			row[f] = mms_field_absent(&d->fields[f]);
	mms_ingest in = {&db->m, &u->base, rep, MMS_OK, {0}, {0}};
	int rc = ingest_prepare(&in, u);
	if (rc == MMS_OK)
		rc = mms_ingest_fields(&in, u->e);
	if (rc == MMS_OK && in.first_rc == MMS_OK && db->scope >= 0) {
		mms_access staged = {0};
		mms_access_check_import(&in, db->scope, &staged);
		mms_access_free(&staged); /* the model changes again before it is used */
	}
	int first = in.first_rc;
	mms_ingest_free(&in);
	if (rc != MMS_OK || first != MMS_OK)
		return rc != MMS_OK ? rc : first;
	u->checking = 1;
	mms_ingest chk = {&db->m, &u->base, rep, MMS_OK, {0}, {0}};
	rc = find_deps(u);
	if (rc == MMS_OK)
		rc = ingest_prepare(&chk, u);
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++)
		if (u->ndeps[e])
			rc = mms_ingest_check(&chk, e);
	first = chk.first_rc;
	mms_ingest_free(&chk);
	/* the rules above imply the network's shape; its own check is the last word */
	if (rc == MMS_OK && first == MMS_OK)
		rc = mms_model_check(&db->m, db->errmsg, sizeof db->errmsg);
	return rc != MMS_OK ? rc : first;
}

/* Writes the row and one history row per field that changed; *changed
 * says whether any did (if none, nothing is written). */
static int write_change(mms_db *db, update_doc *u, const char *actor, int *changed)
{
	const entity_def *d = &mms_entities[u->e];
	mms_buf now = {0}, key = {0};
	mms_log log = {0};
	int rc = MMS_OK;
	*changed = 0;
	mms_record_key(&db->m, u->e, u->id, &key);
	for (int f = 0; f < d->nfields && rc == MMS_OK; f++) {
		now.len = 0;
		int present = has_text(&db->m, u->e, u->id, f);
		if (present)
			mms_field_text(&db->m, u->e, u->id, f, &now);
		if (now.failed || key.failed) {
			rc = MMS_ENOMEM;
			break;
		}
		const char *text = present ? (now.data ? now.data : "") : NULL;
		if (text == u->old[f] || (text && u->old[f] && !strcmp(text, u->old[f])))
			continue;
		if (!*changed && (rc = mms_store_update(db->sql, &db->m, u->e, u->id, db->errmsg,
							sizeof db->errmsg)) == MMS_OK)
			rc = mms_log_open(&log, db, actor);
		*changed = 1;
		if (rc == MMS_OK)
			rc = mms_log_add(&log, u->e, key.data, d->fields[f].name, u->old[f], text);
	}
	mms_log_close(&log);
	mms_buf_free(&now);
	mms_buf_free(&key);
	/* the file's count of in-place changes moved with this very row: the
	 * handle's model is that state, so its next snapshot stays usable */
	if (rc == MMS_OK && *changed)
		rc = mms_store_stamp(db->sql, &db->stamp);
	return rc;
}

static int check_options(mms_db *db, const mms_update_options *opts, mms_update_options *o)
{
	mms_update_options def = MMS_UPDATE_OPTIONS_INIT;
	*o = def;
	if (!opts)
		return MMS_OK;
	if (opts->version < 1 || opts->version > MMS_UPDATE_OPTIONS_VERSION)
		return mms_db_fail(db, MMS_EINVAL, "update options version %u is unknown",
				   opts->version);
	*o = *opts;
	if (o->from)
		return mms_db_fail(db, MMS_EINVAL, "from \"%.40s\": effective-dated updates are not "
				   "supported yet; leave from NULL", o->from);
	return MMS_OK;
}

/* Finds the record and refuses what no update may do. */
static int target(mms_db *db, int e, const char *code, const mms_record *rec, int32_t *id)
{
	if (e < 0 || e >= MMS_ENTITY_COUNT || mms_entities[e].code_field < 0)
		return mms_db_fail(db, MMS_EINVAL, "%s have no code: only records with a code "
				   "can be updated", e >= 0 && e < MMS_ENTITY_COUNT
				   ? mms_entities[e].name : "that entity");
	int re, cf = mms_entities[e].code_field;
	mms_doc *given = mms_record_doc(rec, &re);
	mms_value v;
	if (given->get(given, e, 0, cf, &v) == MMS_OK && v.kind != V_ABSENT &&
	    (v.len != strlen(code) || memcmp(v.text, code, v.len)))
		return mms_db_fail(db, MMS_EINVAL, "%s \"%.200s\": the code is the record's key "
				   "and cannot be changed", mms_entities[e].record, code);
	*id = mms_model_find_code(&db->m, e, code);
	if (*id < 0)
		return mms_db_fail(db, MMS_ENOTFOUND, "no %s with code \"%.200s\"",
				   mms_entities[e].record, code);
	int rc = mms_db_scope_ready(db);
	return rc == MMS_OK ? mms_db_check_own(db, e, *id) : rc;
}

/* The update itself, inside the write transaction. */
static int apply(mms_db *db, const char *code, const mms_record *rec, const char *actor,
		 mms_report *rep)
{
	int e;
	update_doc u = {{ud_count, ud_get, ud_where, 1, 0}, mms_record_doc(rec, &e), &db->m,
			e, -1, {0}, 0, {0}, {0}};
	int rc = mms_db_sync(db);
	if (rc == MMS_OK)
		rc = target(db, e, code, rec, &u.id);
	if (rc == MMS_OK && (rc = keep_old(&u)) == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory");
	if (rc != MMS_OK) {
		ud_free(&u);
		return rc;
	}
	const entity_def *d = &mms_entities[e];
	int32_t saved[32];
	memcpy(saved, mms_row(&db->m, e, u.id), sizeof(int32_t) * (size_t)d->nfields);
	mms_mark mark;
	mms_model_mark(&db->m, &mark);
	uint64_t gen = db->m.generation, epoch = db->m.epoch, stamp = db->stamp;
	int changed = 0;
	rc = validate(db, &u, rep);
	if (rc != MMS_OK && rc != MMS_ENOMEM && rc != MMS_ECORRUPT)
		mms_db_report_failure(db, rep, rc);
	if (rc == MMS_OK)
		rc = write_change(db, &u, actor, &changed);
	if (rc == MMS_OK && changed)
		rc = mms_store_exec(db->sql, "COMMIT", db->errmsg, sizeof db->errmsg);
	if (rc != MMS_OK || !changed) {
		memcpy(mms_row(&db->m, e, u.id), saved, sizeof(int32_t) * (size_t)d->nfields);
		mms_model_rollback(&db->m, &mark);
		db->stamp = stamp;
		if (rc == MMS_OK) { /* the model is as it was: caches stay good */
			db->m.generation = gen;
			db->m.epoch = epoch;
		}
	} else { /* a row changed in place: indexes, scope and the KPI state rebuild */
		db->m.generation = gen + 1;
		db->m.epoch = epoch + 1;
	}
	if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory during the update; nothing was changed");
	ud_free(&u);
	return rc;
}

int mms_db_update_record(mms_db *db, const char *code, const mms_record *rec,
			 const mms_update_options *opts, mms_report **report)
{
	if (report)
		*report = NULL;
	if (!db || !db->sql || !code || !rec)
		return MMS_EINVAL;
	mms_db_ok(db);
	mms_update_options o;
	int rc = check_options(db, opts, &o);
	if (rc != MMS_OK)
		return rc;
	if (db->read_only)
		return mms_db_read_only(db);
	mms_report *rep = mms_report_new();
	if (!rep)
		return mms_db_fail(db, MMS_ENOMEM, "out of memory");
	rc = mms_store_exec(db->sql, "BEGIN IMMEDIATE", db->errmsg, sizeof db->errmsg);
	if (rc == MMS_OK) {
		rc = apply(db, code, rec, o.actor, rep);
		if (!sqlite3_get_autocommit(db->sql)) /* refused, failed, or nothing to do */
			sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	}
	if (report)
		*report = rep;
	else
		mms_report_free(rep);
	return rc;
}

int mms_db_update(mms_db *db, int entity, const char *code, const char *const *pairs,
		  const mms_update_options *opts, mms_report **report)
{
	if (report)
		*report = NULL;
	if (!db || !pairs)
		return MMS_EINVAL;
	mms_db_ok(db);
	mms_record *rec;
	int rc = mms_record_new(&rec, entity);
	if (rc == MMS_EINVAL)
		return mms_db_fail(db, rc, "entity %d does not exist", entity);
	if (rc != MMS_OK)
		return mms_db_fail(db, rc, "out of memory");
	for (size_t i = 0; pairs[i] && rc == MMS_OK; i += 2) {
		rc = mms_record_set(rec, pairs[i], pairs[i + 1] ? pairs[i + 1] : "");
		if (rc == MMS_EINVAL)
			mms_db_fail(db, rc, "%s have no field \"%.100s\"", mms_entities[entity].name,
				    pairs[i]);
		else if (rc != MMS_OK)
			mms_db_fail(db, rc, "out of memory");
	}
	if (rc == MMS_OK)
		rc = mms_db_update_record(db, code, rec, opts, report);
	mms_record_free(rec);
	return rc;
}
