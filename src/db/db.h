/*
 * The database handle: an SQLite connection, the in-memory model loaded
 * from it, and the query index derived from the model.
 */
#ifndef MMS_DB_INTERNAL_H
#define MMS_DB_INTERNAL_H

#include <sqlite3.h>

#include "exchange/doc.h"
#include "model/model.h"
#include "mms/mms.h"
#include "network/index.h"

/* What a scoped handle may do with each record (scope.c), per entity. */
enum { ACC_READ = 1, ACC_OWN = 2 };
typedef struct mms_access {
	uint8_t *bits[MMS_ENTITY_COUNT]; /* by id: ACC_READ, ACC_OWN */
	uint64_t generation;             /* of the model they were computed for */
	int valid;
} mms_access;

struct mms_db {
	sqlite3 *sql;
	mms_model m;
	mms_index idx;
	int64_t data_version; /* of the connection when the model was loaded */
	uint64_t stamp;       /* the file's count of in-place changes then */
	int read_only;
	int32_t scope;        /* the unit this handle is limited to; -1 = none */
	mms_access acc;       /* with a scope: what it lets the handle do */
	char errmsg[2048];    /* fixed, so reporting never needs memory */
};

/* Records a failure message on the handle and returns rc. */
int mms_db_fail(mms_db *db, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Refuses a write on a read-only handle: MMS_EREADONLY and a message. */
int mms_db_read_only(mms_db *db);
/* Clears the message at the start of a call. */
void mms_db_ok(mms_db *db);
/* Reloads the model if another connection committed since it was loaded. */
int mms_db_sync(mms_db *db);
/* Syncs and makes sure the query index is current. */
int mms_db_ready(mms_db *db);
/* Readies the handle for work on the subtree of *root, which must be the
 * scope's own; -1 means everything, or the scope unit on a scoped handle. */
int mms_db_ready_subtree(mms_db *db, int32_t *root);
/* The pre-order positions [*from, *to) of root's subtree (-1 = all units). */
void mms_db_subtree_range(const mms_db *db, int32_t root, int32_t *from, int32_t *to);
/* Checks that id is a record of entity e the handle may read. */
int mms_db_check_id(mms_db *db, int e, int32_t id);
/* As mms_db_check_id(), for a record that must be the scope's own. */
int mms_db_check_own_id(mms_db *db, int e, int32_t id);

/* MMS_OK, or MMS_EOUTPUT and a message naming both paths if path is the
 * database or one of its files (output.c); every writer given a path calls
 * it before opening anything. */
int mms_db_check_output(mms_db *db, const char *path);

/* Access scope (scope.c). */
int mms_access_compute(mms_access *a, const mms_model *m, int32_t scope);
void mms_access_free(mms_access *a);
/* Brings db->acc up to date with the model; nothing to do unscoped. */
int mms_db_scope_ready(mms_db *db);
/* MMS_OK, or MMS_EACCES and a message naming the record and the scope. */
int mms_db_check_read(mms_db *db, int e, int32_t id);
/* As mms_db_check_read(), for a record the caller found by its code. */
int mms_db_check_read_code(mms_db *db, int e, int32_t id, const char *code);
int mms_db_check_own(mms_db *db, int e, int32_t id);
/* Whether the handle may read record id: it is not deleted and, on a
 * scoped handle, within the scope. Every loop that lists records for a
 * caller asks this, so deleted records vanish from all of them at once. */
static inline int mms_db_readable(const mms_db *db, int e, int32_t id)
{
	return mms_model_live(&db->m, e, id) && (db->scope < 0 || (db->acc.bits[e][id] & ACC_READ));
}
/* Whether record id is live and the scope's own (always, unscoped). A
 * deleted unit stays in the tree, with only deleted records under it
 * (delete.c), so that walks stay whole; this leaves it out of results. */
static inline int mms_db_owns(const mms_db *db, int e, int32_t id)
{
	return mms_model_live(&db->m, e, id) && (db->scope < 0 || (db->acc.bits[e][id] & ACC_OWN));
}
/* Lets the messages of an import through a scoped handle name only what
 * the handle may read of the records there before (mark). */
void mms_access_visible(const mms_access *a, const mms_mark *mark, mms_ingest *in);
/* Reports every staged record of an import that is not the scope's own;
 * when none is refused, *out is the access on the staged model, for the
 * handle to keep if the import commits. */
void mms_access_check_import(mms_ingest *in, int32_t scope, mms_access *out);

/* Writes the records of doc as one import in add mode (mms_db_insert(), a
 * saved route plan): every rule of an import, all or nothing. */
int mms_db_write_doc(mms_db *db, mms_doc *doc);

/* Puts the first problem of a refused write (and how many more there
 * are) in the handle's message; returns rc. */
int mms_db_report_failure(mms_db *db, const mms_report *r, int rc);

/* The history (history.c): a writer open for one transaction. */
typedef struct mms_log {
	mms_db *db;
	sqlite3_stmt *st;
	const char *actor;
	char at[24]; /* when, UTC: the same for every row of one change */
} mms_log;
int mms_log_open(mms_log *log, mms_db *db, const char *actor);
/* One row: field NULL records the addition of the record; old and now are
 * the values as text, NULL when absent. */
int mms_log_add(mms_log *log, int e, const char *key, const char *field, const char *old,
		const char *now);
void mms_log_close(mms_log *log);
/* Records the addition of every row added since mark. */
int mms_log_added(mms_db *db, const mms_mark *mark, const char *actor);
/* The history rows an export of view v writes (docs/format.md, "History in
 * exchange"; coarsened when v is pseudonymised). */
struct mms_view;
struct mms_hist;
int mms_history_export(mms_db *db, const struct mms_view *v, struct mms_hist *out);
/* Checks the history rows an input carries (mark: the model before the
 * input's records); problems, located in the input, go to rep; the code
 * of the first. */
int mms_history_check(mms_db *db, mms_doc *doc, const mms_mark *mark, mms_report *rep);
/* Adds the input's history rows the history does not hold yet. */
int mms_history_import(mms_db *db, mms_doc *doc);
/* A change of one record in place (change.c), staged in the model before
 * anything is written: by mms_db_update() and by an import in upsert mode. */
typedef struct mms_change {
	int e;
	int32_t id;
	int changed;       /* set by staging: whether any value differs */
	int32_t saved[32]; /* the row before */
	char *old[32];     /* its values as text (NULL: absent), for the history */
	char *split[32];   /* list values cut into items... */
	const char **items[32];
	size_t nitems[32];
} mms_change;
/* Decodes record rec of the input doc over row ch->id of entity ch->e (its
 * absent fields keep their values) and, if a value changed, checks it and
 * every record that refers to it by the import's rules. Problems go to rep,
 * located in the input when `located`, else as entity/key/field; the code
 * of the first is returned and the row is as it was. When nothing changed
 * the row, strings and lists are as they were too. */
int mms_change_stage(mms_db *db, mms_change *ch, mms_doc *doc, size_t rec, int located,
		     mms_report *rep);
/* Puts a staged row back as it was (the pools are the caller's to roll back). */
void mms_change_undo(mms_db *db, const mms_change *ch);
/* Writes a staged row over the file's and one history row per changed field. */
int mms_change_write(mms_db *db, const mms_change *ch, mms_log *log);
void mms_change_free(mms_change *ch);

/* An import in upsert mode (upsert.c). Its doc holds the records of the
 * input that matched nothing, to add as an import adds them; the others
 * are staged as changes of the records they matched. */
typedef struct mms_upsert {
	mms_doc base;
	mms_doc *doc;                      /* the whole input */
	int32_t *match[MMS_ENTITY_COUNT];  /* by input record: the id matched, or -1 */
	size_t *add[MMS_ENTITY_COUNT];     /* the input records to add */
	size_t nadd[MMS_ENTITY_COUNT];
	mms_change *changes;
	size_t nchanges, staged, changed;
	int first_rc;                      /* a matched record outside the scope */
} mms_upsert;
/* Matches every record of doc to the database's (before anything is staged). */
int mms_upsert_begin(mms_upsert *u, mms_db *db, mms_doc *doc, mms_report *rep);
/* Stages the changes of the matched records, after the additions; the code
 * of the first problem. */
int mms_upsert_stage(mms_upsert *u, mms_db *db, mms_report *rep);
/* Writes the changed rows and their history. */
int mms_upsert_write(mms_upsert *u, mms_db *db, const char *actor);
/* Puts the changed rows back (the pools are the caller's to roll back). */
void mms_upsert_undo(mms_upsert *u, mms_db *db);
void mms_upsert_free(mms_upsert *u);

/* Records turned into tombstones in one write (delete.c): by mms_db_delete()
 * and by an import in sync mode (sync.c). */
typedef struct mms_victim {
	int e;
	int32_t id;
} mms_victim;
typedef struct mms_tombs {
	uint8_t *doomed[MMS_ENTITY_COUNT]; /* by id, sized to the model at begin: 1 = to delete */
	mms_victim *del;                   /* in the order added */
	size_t ndel, cdel, killed;
	int32_t *saved;                    /* the rows of del before, one after another */
} mms_tombs;
int mms_tombs_begin(mms_tombs *t, const mms_model *m);
int mms_tombs_add(mms_tombs *t, int e, int32_t id);
/* How live record id of e refers to the records to delete: 0 not at all,
 * 1 as a part of one (so a cascade deletes it), 2 only by mentioning one;
 * *field (may be NULL) is the referring field. */
int mms_tombs_refers(const mms_model *m, const mms_tombs *t, int e, int32_t id, int *field);
/* Adds the past values of the records to delete; those whose value is a
 * unit to delete are listed in deps (they mention it). */
int mms_tombs_past_values(const mms_model *m, mms_tombs *t, mms_victim **deps, size_t *ndeps,
			  size_t *cdeps);
/* Refuses (MMS_ERANGE, each in rep) to delete a step of a route that is
 * not deleted with it and whose current version is signed: the route is
 * revised first (docs/routes.md). MMS_ENOMEM if the report failed. */
int mms_tombs_check_steps(const mms_model *m, const mms_tombs *t, mms_report *rep);
/* Erases the personal values of the records and marks them dead in the
 * model (strings go to the pool: the caller rolls it back on failure). */
int mms_tombs_kill(mms_db *db, mms_tombs *t);
/* Undoes mms_tombs_kill() in the model. */
void mms_tombs_revive(mms_db *db, mms_tombs *t);
/* Writes the tombstones and one history row per record. */
int mms_tombs_write(mms_db *db, const mms_tombs *t, const char *actor);
void mms_tombs_free(mms_tombs *t);

/* An import in sync mode (sync.c): the records of a unit's subtree and a
 * year that the input does not hold are deleted. */
typedef struct mms_sync {
	int year;               /* 0 = every year */
	mms_access in_scope;    /* the model before staging: ACC_OWN of the unit's subtree */
	uint8_t *held[MMS_ENTITY_COUNT]; /* by id before the import: the input holds it */
	mms_tombs tombs;
} mms_sync;
/* Resolves the scope (unit code, year) before anything is staged. */
int mms_sync_begin(mms_sync *s, mms_db *db, const char *unit, int year);
/* After the import is staged (mark: the model before): picks the records
 * in scope that no input record matched, checks that nothing left refers to
 * them (problems to rep) and marks them dead in the model. */
int mms_sync_stage(mms_sync *s, mms_db *db, const mms_upsert *up, const mms_mark *mark,
		   mms_report *rep);
/* Lists every record added, updated or deleted in rep with code MMS_OK. */
int mms_sync_list(const mms_sync *s, mms_db *db, const mms_upsert *up, const mms_mark *mark,
		  mms_report *rep);
/* Frees s; on failure the caller first revives its tombs (mms_tombs_revive()). */
void mms_sync_free(mms_sync *s);

/* The key of a record in the history: its code, or its id as text. */
void mms_record_key(const mms_model *m, int e, int32_t id, mms_buf *out);

#endif
