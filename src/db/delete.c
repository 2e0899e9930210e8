/*
 * mms_db_delete(): a record, and on a cascade every record that refers to
 * it, turned into tombstones in one transaction (docs/format.md, Delete).
 * The rows stay, so ids stay dense and never change meaning; the model's
 * dead bitmap (mms_model_live()) hides them from every reader, and their
 * personal values are erased from the row and from the history.
 */
#include <string.h>

#include "db.h"
#include "domain/employment.h"
#include "domain/route_status.h"
#include "store/store.h"

/* What a deleted record must not keep: it names a living person. */
static const struct {
	int e, f;
} personal[] = {{MMS_STAFF, S_NAME}, {MMS_STAFF, S_BIRTH}};

/* Stands for an erased required text (the file's column is NOT NULL). */
static const char erased[] = "(deleted)";

typedef struct plan {
	mms_tombs t;        /* to delete */
	mms_victim *deps;   /* refusing: live records referring */
	size_t ndeps, cdeps;
} plan;

static void plan_free(plan *p)
{
	mms_tombs_free(&p->t);
	mms_free(p->deps);
}

static int push(mms_victim **v, size_t *n, size_t *cap, int e, int32_t id)
{
	void *a = *v;
	if (mms_grow(&a, cap, *n + 1, sizeof **v))
		return MMS_ENOMEM;
	*v = a;
	(*v)[(*n)++] = (mms_victim){e, id};
	return MMS_OK;
}

int mms_tombs_begin(mms_tombs *t, const mms_model *m)
{
	memset(t, 0, sizeof *t);
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		if (!(t->doomed[e] = mms_calloc(m->t[e].count + 1, 1)))
			return MMS_ENOMEM;
	return MMS_OK;
}

int mms_tombs_add(mms_tombs *t, int e, int32_t id)
{
	t->doomed[e][id] = 1;
	return push(&t->del, &t->ndel, &t->cdel, e, id);
}

/* Past values are the history of their record and go with it; one whose
 * value is a unit to delete (a past org or parent) mentions it, and is
 * listed in deps. */
int mms_tombs_past_values(const mms_model *m, mms_tombs *t, mms_victim **deps, size_t *ndeps,
			  size_t *cdeps)
{
	int rc = MMS_OK;
	for (size_t i = 0; i < m->t[MMS_PAST_VALUE].count && rc == MMS_OK; i++) {
		int32_t rec, value, id = (int32_t)i;
		int f, e = mms_dated_entity(mms_row(m, MMS_PAST_VALUE, id)[PV_ENTITY]);
		if (t->doomed[MMS_PAST_VALUE][id] || !mms_model_live(m, MMS_PAST_VALUE, id) ||
		    mms_past_value_resolve(m, id, &rec, &f, &value) != MMS_OK)
			continue;
		if (t->doomed[e][rec])
			rc = mms_tombs_add(t, MMS_PAST_VALUE, id);
		else if (mms_entities[e].fields[f].type == F_REF && value >= 0 &&
			 t->doomed[MMS_UNIT][value])
			rc = push(deps, ndeps, cdeps, MMS_PAST_VALUE, id);
	}
	return rc;
}

void mms_tombs_free(mms_tombs *t)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		mms_free(t->doomed[e]);
	mms_free(t->del);
	mms_free(t->saved);
	memset(t, 0, sizeof *t);
}

/* Whether field f of record id makes the record part of what it names, so
 * that a cascade deletes it with it: a required reference, the one naming
 * its owner (owner.c), or one a record is about (a unit's or competency's
 * parent, the unit or person a staff link joins, the other person of a
 * mentoring pair, the step a status event is of). A record that only
 * mentions the deleted one (a route's tutor or signatories, a resource's
 * prerequisite, site or mentor
 * beside its provider, an activity's provider beside its organiser) is not
 * deleted with it: it stops the delete, so that nothing someone else owns
 * is lost by a cascade; the mention is changed first (mms_db_update()). */
static int binds(const mms_model *m, int e, int32_t id, int f)
{
	static const struct { int e, f; } about[] = {
		{MMS_UNIT, U_PARENT}, {MMS_COMPETENCY, C_PARENT}, {MMS_STAFF_LINK, SL_UNIT},
		{MMS_STAFF_LINK, SL_TARGET_STAFF}, {MMS_PARTICIPATION, P_PEER},
		{MMS_ROUTE_EVENT, EV_STEP}};
	if (mms_entities[e].fields[f].required || mms_record_owner_field(m, e, id) == f)
		return 1;
	for (size_t k = 0; k < sizeof about / sizeof *about; k++)
		if (about[k].e == e && about[k].f == f)
			return 1;
	return 0;
}

/* How live record id of e refers to the records to delete: 0 not at all,
 * 1 as a part of one (binds()), 2 only by mentioning one. */
int mms_tombs_refers(const mms_model *m, const mms_tombs *t, int e, int32_t id, int *field)
{
	const entity_def *d = &mms_entities[e];
	const int32_t *row = mms_row(m, e, id);
	int how = 0;
	for (int f = 0; f < d->nfields && how != 1; f++)
		if (d->fields[f].type == F_REF && row[f] >= 0 && t->doomed[d->fields[f].aux][row[f]]) {
			how = binds(m, e, id, f) ? 1 : 2;
			if (field)
				*field = f;
		}
	return how;
}

int mms_tombs_check_steps(const mms_model *m, const mms_tombs *t, mms_report *rep)
{
	int first = MMS_OK;
	mms_buf key = {0};
	for (size_t k = 0; k < t->ndel; k++) {
		const char *what;
		int32_t on, route;
		if (t->del[k].e != MMS_ROUTE_STEP)
			continue;
		route = mms_row(m, MMS_ROUTE_STEP, t->del[k].id)[ST_ROUTE];
		if (route < 0 || t->doomed[MMS_ROUTE][route] || !mms_route_steps_locked(m, route, &what, &on))
			continue;
		char day[11];
		mms_date_format(on, day);
		key.len = 0;
		mms_buf_printf(&key, "%s/", mms_entities[MMS_ROUTE_STEP].name);
		mms_record_key(m, MMS_ROUTE_STEP, t->del[k].id, &key);
		mms_report_add(rep, MMS_ERANGE, key.data ? key.data : "",
			       "route \"%s\" was %s on %s: revise it (mms_route_revise, mms route revise) "
			       "before its steps change; deleting would drop one of them",
			       mms_str(m, mms_row(m, MMS_ROUTE, route)[RT_CODE]), what, day);
		first = MMS_ERANGE;
	}
	int rc = key.failed || rep->failed ? MMS_ENOMEM : first;
	mms_buf_free(&key);
	return rc;
}

/* The records to delete: the target and, on a cascade, whatever is part of
 * them, to a fixed point (a unit's subtree, its staff, their routes...).
 * The live records that refer to them otherwise (all of them without a
 * cascade; those that only mention one with it) go to p->deps and refuse
 * the delete. The same references an update checks again (change.c), seen
 * from the other end: every F_REF field of every entity. */
static int collect(const mms_model *m, plan *p, int e0, int32_t id0, int cascade)
{
	int rc = mms_tombs_begin(&p->t, m);
	if (rc == MMS_OK)
		rc = mms_tombs_add(&p->t, e0, id0);
	for (int grew = 1; grew && rc == MMS_OK;) {
		grew = 0;
		for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++)
			for (size_t i = 0; i < m->t[e].count && rc == MMS_OK; i++) {
				int32_t id = (int32_t)i;
				if (p->t.doomed[e][id] || !mms_model_live(m, e, id) ||
				    mms_tombs_refers(m, &p->t, e, id, NULL) != 1 || !cascade)
					continue;
				grew = 1;
				rc = mms_tombs_add(&p->t, e, id);
			}
	}
	if (rc == MMS_OK)
		rc = mms_tombs_past_values(m, &p->t, &p->deps, &p->ndeps, &p->cdeps);
	/* what still refers to a record to delete, once the cascade is whole */
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++)
		for (size_t i = 0; i < m->t[e].count && rc == MMS_OK; i++)
			if (!p->t.doomed[e][i] && mms_model_live(m, e, (int32_t)i) &&
			    mms_tombs_refers(m, &p->t, e, (int32_t)i, NULL))
				rc = push(&p->deps, &p->ndeps, &p->cdeps, e, (int32_t)i);
	return rc;
}

/* Refuses the delete, naming the records that refer to the target (those
 * a scoped handle may read; the others are only counted). */
static int refuse(mms_db *db, const plan *p, int e0, const char *code, mms_report *rep)
{
	mms_buf key = {0}, list = {0};
	size_t hidden = 0;
	for (size_t k = 0; k < p->ndeps; k++) {
		const mms_victim *v = &p->deps[k];
		if (!mms_db_readable(db, v->e, v->id)) {
			hidden++;
			continue;
		}
		key.len = 0;
		mms_buf_printf(&key, "%s/", mms_entities[v->e].name);
		mms_record_key(&db->m, v->e, v->id, &key);
		if (key.failed)
			break;
		mms_report_add(rep, MMS_EREF, key.data, "%s refers to %s \"%.200s\"", key.data,
			       mms_entities[e0].record, code);
		if (list.len < 300)
			mms_buf_printf(&list, "%s%s", list.len ? ", " : "", key.data);
	}
	/* a refusal whose list is not whole would mislead: out of memory instead */
	int rc = key.failed || list.failed || rep->failed ? MMS_ENOMEM : MMS_EREF;
	if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory");
	else
		mms_db_fail(db, rc, "%s \"%.200s\" is referred to by %zu record%s (%s%s%s); delete "
			    "them first or ask for a cascade (a record that only mentions it, as a "
			    "route its tutor, is changed first, never deleted by a cascade)",
			    mms_entities[e0].record, code, p->ndeps,
			    p->ndeps == 1 ? "" : "s", list.data ? list.data : "",
			    list.len >= 300 ? ", ..." : "",
			    hidden ? " and records outside the scope" : "");
	mms_buf_free(&key);
	mms_buf_free(&list);
	return rc;
}

/* Erases the personal values of the records to delete in the model,
 * keeping every row as it was in p->saved for an undo. */
static int erase(mms_model *m, mms_tombs *p, int32_t erased_off)
{
	size_t need = 0;
	for (size_t k = 0; k < p->ndel; k++)
		need += (size_t)mms_entities[p->del[k].e].nfields;
	if (!(p->saved = mms_malloc((need + 1) * sizeof *p->saved)))
		return MMS_ENOMEM;
	int32_t *s = p->saved;
	for (size_t k = 0; k < p->ndel; k++) {
		const mms_victim *v = &p->del[k];
		size_t nf = (size_t)mms_entities[v->e].nfields;
		int32_t *row = mms_row(m, v->e, v->id);
		memcpy(s, row, nf * sizeof *row);
		s += nf;
		for (size_t i = 0; i < sizeof personal / sizeof *personal; i++)
			if (personal[i].e == v->e) {
				const field_def *fd = &mms_entities[v->e].fields[personal[i].f];
				row[personal[i].f] = fd->required ? erased_off : mms_field_absent(fd);
			}
	}
	return MMS_OK;
}

static void unerase(mms_model *m, const mms_tombs *p)
{
	const int32_t *s = p->saved;
	for (size_t k = 0; s && k < p->ndel; k++) {
		const mms_victim *v = &p->del[k];
		size_t nf = (size_t)mms_entities[v->e].nfields;
		memcpy(mms_row(m, v->e, v->id), s, nf * sizeof *s);
		s += nf;
	}
}

/* Takes the erased values out of the record's earlier history rows too. */
static int scrub_history(mms_db *db, int e, const char *key)
{
	for (size_t i = 0; i < sizeof personal / sizeof *personal; i++) {
		if (personal[i].e != e)
			continue;
		sqlite3_stmt *st;
		int src = sqlite3_prepare_v2(db->sql, "UPDATE mms_history SET old = NULL, new = NULL"
					     " WHERE entity = ?1 AND key = ?2 AND field = ?3", -1, &st,
					     NULL);
		if (src == SQLITE_OK)
			src = sqlite3_bind_text(st, 1, mms_entities[e].name, -1, SQLITE_STATIC);
		if (src == SQLITE_OK)
			src = sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		if (src == SQLITE_OK)
			src = sqlite3_bind_text(st, 3, mms_entities[e].fields[personal[i].f].name, -1,
						SQLITE_STATIC);
		if (src == SQLITE_OK)
			src = sqlite3_step(st);
		sqlite3_finalize(st);
		if (src != SQLITE_DONE)
			return mms_db_fail(db, mms_store_rc(src), "erasing the history: %s",
					   sqlite3_errmsg(db->sql));
	}
	return MMS_OK;
}

int mms_tombs_kill(mms_db *db, mms_tombs *t)
{
	int32_t erased_off = 0;
	int rc = mms_model_add_str(&db->m, erased, sizeof erased - 1, &erased_off);
	if (rc == MMS_OK)
		rc = erase(&db->m, t, erased_off);
	/* counted only once dead, so that a failure revives exactly those */
	while (t->killed < t->ndel && rc == MMS_OK &&
	       (rc = mms_model_set_dead(&db->m, t->del[t->killed].e, t->del[t->killed].id, 1)) == MMS_OK)
		t->killed++;
	return rc;
}

void mms_tombs_revive(mms_db *db, mms_tombs *t)
{
	while (t->killed > 0) {
		t->killed--;
		mms_model_set_dead(&db->m, t->del[t->killed].e, t->del[t->killed].id, 0);
	}
	unerase(&db->m, t);
}

/* Writes the erased rows, the tombstones and the history of the deletion. */
int mms_tombs_write(mms_db *db, const mms_tombs *p, const char *actor)
{
	mms_log log = {0};
	mms_buf key = {0};
	int rc = mms_log_open(&log, db, actor);
	for (size_t k = 0; k < p->ndel && rc == MMS_OK; k++) {
		const mms_victim *v = &p->del[k];
		key.len = 0;
		mms_record_key(&db->m, v->e, v->id, &key);
		if (key.failed) {
			rc = mms_db_fail(db, MMS_ENOMEM, "out of memory");
			break;
		}
		if (v->e == MMS_STAFF) /* the only entity with personal values */
			rc = mms_store_update(db->sql, &db->m, v->e, v->id, db->errmsg,
					      sizeof db->errmsg);
		if (rc == MMS_OK)
			rc = mms_store_kill(db->sql, v->e, v->id, db->errmsg, sizeof db->errmsg);
		if (rc == MMS_OK)
			rc = scrub_history(db, v->e, key.data);
		if (rc == MMS_OK) /* field NULL and new "deleted": the record went */
			rc = mms_log_add(&log, v->e, key.data, NULL, NULL, "deleted");
	}
	mms_log_close(&log);
	mms_buf_free(&key);
	return rc;
}

/* Finds the target and plans the delete; MMS_OK with p->ndeps > 0 means
 * refused for its dependents. */
static int plan_delete(mms_db *db, int e, const char *code, int cascade, plan *p, int32_t *id)
{
	if (mms_entities[e].code_field < 0)
		return mms_db_fail(db, MMS_EINVAL, "%s have no code: only records with a code can "
				   "be deleted (a cascade deletes the others)", mms_entities[e].name);
	*id = mms_model_find_code(&db->m, e, code);
	if (*id < 0 || !mms_model_live(&db->m, e, *id))
		return mms_db_fail(db, MMS_ENOTFOUND, "no %s with code \"%.200s\"%s",
				   mms_entities[e].record, code, *id < 0 ? "" : " (it was deleted)");
	int rc = mms_db_scope_ready(db);
	if (rc == MMS_OK)
		rc = mms_db_check_read_code(db, e, *id, code);
	if (rc == MMS_OK)
		rc = mms_db_check_own(db, e, *id);
	if (rc == MMS_OK)
		rc = collect(&db->m, p, e, *id, cascade);
	if (rc == MMS_ENOMEM)
		return mms_db_fail(db, rc, "out of memory");
	/* a cascade may not reach past the scope */
	for (size_t k = 1; k < p->t.ndel && rc == MMS_OK; k++)
		rc = mms_db_check_own(db, p->t.del[k].e, p->t.del[k].id);
	return rc;
}

static int apply(mms_db *db, int e, const char *code, const mms_delete_options *o,
		 mms_report *rep)
{
	plan p = {0};
	int32_t id;
	int rc = mms_db_sync(db);
	if (rc == MMS_OK)
		rc = plan_delete(db, e, code, o->cascade, &p, &id);
	if (rc == MMS_OK && p.ndeps)
		rc = refuse(db, &p, e, code, rep);
	if (rc == MMS_OK && (rc = mms_tombs_check_steps(&db->m, &p.t, rep)) != MMS_OK)
		rc = mms_db_report_failure(db, rep, rc);
	if (rc != MMS_OK) {
		plan_free(&p);
		return rc;
	}
	mms_mark mark;
	mms_model_mark(&db->m, &mark);
	uint64_t stamp = db->stamp;
	rc = mms_tombs_kill(db, &p.t);
	if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory during the delete; nothing was changed");
	if (rc == MMS_OK)
		rc = mms_tombs_write(db, &p.t, o->actor);
	/* the erased rows moved the file's count of in-place changes: the
	 * handle's model is that state, so its next snapshot stays usable */
	if (rc == MMS_OK)
		rc = mms_store_stamp(db->sql, &db->stamp);
	if (rc == MMS_OK)
		rc = mms_store_exec(db->sql, "COMMIT", db->errmsg, sizeof db->errmsg);
	if (rc != MMS_OK) {
		mms_tombs_revive(db, &p.t);
		mms_model_rollback(&db->m, &mark);
		db->stamp = stamp;
	}
	plan_free(&p);
	return rc;
}

int mms_db_delete(mms_db *db, int entity, const char *code, const mms_delete_options *opts,
		  mms_report **report)
{
	if (report)
		*report = NULL;
	if (!db || !db->sql || !code)
		return MMS_EINVAL;
	mms_db_ok(db);
	mms_delete_options o = MMS_DELETE_OPTIONS_INIT;
	if (opts && (opts->version < 1 || opts->version > MMS_DELETE_OPTIONS_VERSION))
		return mms_db_fail(db, MMS_EINVAL, "delete options version %u is unknown",
				   opts->version);
	if (opts)
		o = *opts;
	if (entity < 0 || entity >= MMS_ENTITY_COUNT)
		return mms_db_fail(db, MMS_EINVAL, "entity %d does not exist", entity);
	if (db->read_only)
		return mms_db_read_only(db);
	mms_report *rep = mms_report_new();
	if (!rep)
		return mms_db_fail(db, MMS_ENOMEM, "out of memory");
	int rc = mms_store_exec(db->sql, "BEGIN IMMEDIATE", db->errmsg, sizeof db->errmsg);
	if (rc == MMS_OK) {
		rc = apply(db, entity, code, &o, rep);
		if (!sqlite3_get_autocommit(db->sql)) /* refused or failed */
			sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	}
	if (report)
		*report = rep;
	else
		mms_report_free(rep);
	return rc;
}
