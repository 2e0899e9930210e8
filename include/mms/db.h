/*
 * libmms — the database handle: storage, records, import and export.
 *
 * A database is an SQLite file (or ":memory:") plus an in-memory model of
 * the whole network kept in flat arrays. Records are addressed by entity
 * and a 0-based integer id; units, staff and activities also have a code.
 * Every field of every entity can be read and written as text in the same
 * notation as the CSV and JSON formats of docs/format.md.
 */
#ifndef MMS_DB_H
#define MMS_DB_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mms_db mms_db;

/** The kinds of record a database holds. */
typedef enum mms_entity {
	MMS_UNIT = 0,          /**< a unit of the network on one of five levels */
	MMS_LINK = 1,          /**< a typed network link between two units */
	MMS_STAFF = 2,         /**< a teacher, manager or methodist */
	MMS_STAFF_LINK = 3,    /**< staff membership, leadership or support */
	MMS_ACTIVITY = 4,      /**< a course, internship, competition, project... */
	MMS_PARTICIPATION = 5, /**< a staff member or unit taking part in an activity */
	MMS_TARGET = 6,        /**< a unit's own target of an indicator for a year (0.2) */
	MMS_FACT = 7,          /**< a fact recorded about a unit for a year (0.2) */
	MMS_COMPETENCY = 8,    /**< an area, competency or indicator of a framework (0.2) */
	MMS_DIAGNOSTIC = 9,    /**< a person's result in a competency on a date (0.2) */
	MMS_RESOURCE = 10,     /**< a course, internship, mentoring... of the catalogue (0.2) */
	MMS_DEVELOPS = 11,     /**< a competency a resource develops, and how strongly (0.2) */
	MMS_ROUTE = 12,        /**< an individual educational route (ИОМ) (0.2) */
	MMS_ROUTE_STEP = 13,   /**< a step of a route: a resource for some deficits (0.2) */
	MMS_ROUTE_EVENT = 14,  /**< a status change of a route or step, with evidence (0.2) */
	MMS_PAST_VALUE = 15,   /**< a value a staff or unit field held until a date (0.2) */
	MMS_ROUTE_DEFICIT = 16, /**< a deficit a route was built on, frozen with it (0.2) */
	MMS_DIAGNOSTIC_SESSION = 17, /**< a diagnostic session: kind, form, instrument, who, when (0.2) */
	MMS_PROGRAMME = 18,    /**< a programme adopted by a unit for a territory (0.2) */
	MMS_TASK = 19,         /**< a task of an adopted programme's roadmap or plan (0.2) */
	MMS_TASK_EVENT = 20,   /**< a status change of a task, with evidence (0.2) */
	MMS_MENTORING_PAIR = 21, /**< a mentor, a mentee and their programme (0.2) */
	MMS_ROUTE_REVISION = 22, /**< a revision of an approved route, to be signed again (0.2) */
	MMS_ENTITY_COUNT = 23  /**< grows when entities are added; do not store it */
} mms_entity;

/** The plural name of an entity ("units", "staff"...), or NULL. */
MMS_EXTERN const char *mms_entity_name(int entity);

/** Looks an entity up by its plural name; MMS_EINVAL if unknown. */
MMS_EXTERN int mms_entity_from_name(int *out, const char *name);

/** Number of fields of an entity, or 0 if the entity is unknown. */
MMS_EXTERN int mms_entity_field_count(int entity);

/** Name of field i of an entity (borrowed), or NULL. */
MMS_EXTERN const char *mms_entity_field_name(int entity, int i);

typedef struct mms_open_options {
	unsigned version;        /**< MMS_OPEN_OPTIONS_VERSION */
	int read_only;           /**< open without write access */
	int busy_timeout_ms;     /**< wait this long for a locked file; 0 = 5000 */
	int no_create;           /**< fail with MMS_EIO if the file does not exist */
} mms_open_options;

#define MMS_OPEN_OPTIONS_VERSION 1
#define MMS_OPEN_OPTIONS_INIT {MMS_OPEN_OPTIONS_VERSION, 0, 0, 0}

/**
 * Opens (creating if needed) a database at path and loads its model.
 * opts may be NULL. On failure *out is a handle whose mms_db_errmsg() says
 * why, or NULL if even that could not be allocated; close it either way.
 */
MMS_EXTERN int mms_db_open(mms_db **out, const char *path,
			   const mms_open_options *opts);

/**
 * As mms_db_open(), limited to the subtree of the unit with code
 * unit_code (since 0.2), for a municipal service or a school working on a
 * regional database. The handle reads and writes only the scope's own
 * records: the units of the subtree and what belongs to them (their links,
 * staff, participations, targets, facts, diagnostics, routes...). Read as
 * reference, never written: the units above the scope, their staff and
 * catalogue (activities, resources) and the competency frameworks.
 * Everything else is refused with MMS_EACCES and a message naming the
 * record and the scope, through every function: reading a record, finding
 * a code, any computation rooted at a unit, building or changing a route,
 * importing (all or nothing, as always). Counts, finds, listings and
 * exports hold what the handle may read, so an export of a scoped handle
 * is a document that imports on its own. A root of -1 in any function
 * means the scope unit. The precise rule is in docs/security.md.
 */
MMS_EXTERN int mms_db_open_scoped(mms_db **out, const char *path,
				  const mms_open_options *opts, const char *unit_code);

/**
 * Writes the columnar snapshot of the database (since 0.2): the model's
 * arrays as they are, in "<file>-snapshot" beside the file, replaced
 * atomically. Later opens read the rows it holds in a few large reads and
 * only the rows added since from SQLite, so opening a national database
 * takes about a second instead of a minute (docs/performance.md). The
 * snapshot is a cache of this machine and build: one that does not match
 * the file (its first and last rows of each entity differ from the file's,
 * or it comes from another libmms) is ignored, and the file is read row by
 * row. Write it again after large imports. MMS_EINVAL for an in-memory or
 * read-only database, MMS_EACCES for a scoped handle (it would hold
 * everything), MMS_EIO if the file cannot be written.
 */
MMS_EXTERN int mms_db_snapshot(mms_db *db);

/** The unit a handle is limited to (since 0.2), or -1 if it has no scope. */
MMS_EXTERN int32_t mms_db_scope(const mms_db *db);

/** Closes the handle and frees the model. mms_db_close(NULL) is a no-op. */
MMS_EXTERN void mms_db_close(mms_db *db);

/** The message of the last failure on this handle (borrowed); "" if none. */
MMS_EXTERN const char *mms_db_errmsg(const mms_db *db);

/**
 * Reloads the model if another handle or process committed a change
 * since this handle last looked. Every call on the handle does this
 * itself; call it explicitly only to pay the cost at a chosen moment.
 */
MMS_EXTERN int mms_db_refresh(mms_db *db);

/**
 * Number of records of an entity the handle may read: deleted records
 * (mms_db_delete()) and, on a scoped handle, records outside the scope are
 * not counted, so ids may run past the count (a deleted id is not reused).
 */
MMS_EXTERN int mms_db_count(mms_db *db, int entity, size_t *out);

/** Id of the unit, staff member or activity with this code. */
MMS_EXTERN int mms_db_find(mms_db *db, int entity, const char *code,
			   int32_t *out_id);

/**
 * A field of a record as text, in the CSV notation: dates as YYYY-MM-DD,
 * references as the referenced code (or id for records without a code),
 * lists joined by '|', booleans as "true"/"false". An absent optional
 * field gives *out = NULL and MMS_OK. The string is the caller's
 * (mms_free()).
 */
MMS_EXTERN int mms_db_get(mms_db *db, int entity, int32_t id,
			  const char *field, char **out);

/**
 * As mms_db_get(), the value the field held on day (YYYY-MM-DD): for a
 * dated field of a staff member or unit (org, category..., a unit's name
 * and parent) the past value in force that day, else the current value
 * (0.2, docs/format.md "People, posts and past values").
 */
MMS_EXTERN int mms_db_get_at(mms_db *db, int entity, int32_t id, const char *field,
			     const char *day, char **out);

/**
 * A record being built for mms_db_insert(): field values are set as text
 * in the CSV notation and checked only on insert, with the same rules as
 * an import.
 */
typedef struct mms_record mms_record;

MMS_EXTERN int mms_record_new(mms_record **out, int entity);

/** Sets a field; value NULL unsets it. MMS_EINVAL for an unknown field. */
MMS_EXTERN int mms_record_set(mms_record *rec, const char *field,
			      const char *value);

/** Unsets every field so the record can be reused. */
MMS_EXTERN void mms_record_clear(mms_record *rec);

MMS_EXTERN void mms_record_free(mms_record *rec);

/**
 * Validates and stores one record in its own transaction. On success
 * *out_id (may be NULL) is its id. On failure nothing is stored and the
 * handle's message names the field and value at fault.
 */
MMS_EXTERN int mms_db_insert(mms_db *db, const mms_record *rec,
			     int32_t *out_id);

/** Options of an update (since 0.2). */
typedef struct mms_update_options {
	unsigned version;  /**< MMS_UPDATE_OPTIONS_VERSION */
	const char *actor; /**< who makes the change, kept in the history; NULL = "" */
	/** YYYY-MM-DD or NULL: the new values of dated fields hold from this day,
	 *  the old ones are kept as past values until the day before (0.2,
	 *  docs/format.md "People, posts and past values"); refused for a field
	 *  that is not dated or a day not after the field's latest past value */
	const char *from;
} mms_update_options;

#define MMS_UPDATE_OPTIONS_VERSION 1
#define MMS_UPDATE_OPTIONS_INIT {MMS_UPDATE_OPTIONS_VERSION, NULL, NULL}

/**
 * Changes fields of the record of `entity` with this code (since 0.2),
 * in its own transaction, all or nothing. field_value_pairs is
 * {"field", "value", "field", "value", ..., NULL}: values in the CSV
 * notation of mms_db_get(); "" (or NULL) clears an optional field; fields
 * not named keep their values; the code, the record's key, cannot change.
 * The record is decoded and checked by the rules of an import, and so is
 * every record that refers to it (a unit's children, links, staff...), so
 * no change can leave the database in a state an import would refuse. On
 * refusal nothing is changed, the handle's message holds the first problem
 * and, if report is not NULL, *report all of them, each located as
 * "entity/key/field" (the report is the caller's, set even on success).
 * Every field whose value changes is recorded in the history
 * (mms_db_history()); an update that changes nothing writes nothing.
 * MMS_EINVAL for an entity without a code or an unknown field,
 * MMS_ENOTFOUND for an unknown code, MMS_EACCES outside a handle's scope.
 */
MMS_EXTERN int mms_db_update(mms_db *db, int entity, const char *code,
			     const char *const *field_value_pairs,
			     const mms_update_options *opts, mms_report **report);

/** As mms_db_update(), with the fields set in rec (of the same entity). */
MMS_EXTERN int mms_db_update_record(mms_db *db, const char *code, const mms_record *rec,
				    const mms_update_options *opts, mms_report **report);

/** Options of a delete (since 0.2). */
typedef struct mms_delete_options {
	unsigned version;  /**< MMS_DELETE_OPTIONS_VERSION */
	int cascade;       /**< nonzero: delete the records that refer to it too */
	const char *actor; /**< who makes the change, kept in the history; NULL = "" */
} mms_delete_options;

#define MMS_DELETE_OPTIONS_VERSION 1
#define MMS_DELETE_OPTIONS_INIT {MMS_DELETE_OPTIONS_VERSION, 0, NULL}

/**
 * Deletes the record of `entity` with this code (since 0.2), in its own
 * transaction, all or nothing. While live records refer to it the delete
 * is refused with MMS_EREF, the handle's message naming them and *report
 * (if not NULL; the caller's, set even on success) listing each as
 * "entity/key"; with opts->cascade they are deleted too, and so on down.
 * A deleted record keeps its id (ids never change meaning and are never
 * reused) but is gone from every count, find, get, export, scope and
 * indicator; its personal values (a staff member's name and birth date)
 * are erased, in the history too, and its code is never given to another
 * record. The history records one row per deleted record.
 * MMS_EINVAL for an entity without a code, MMS_ENOTFOUND for an unknown or
 * already deleted code, MMS_EACCES when a record to delete is outside a
 * handle's scope.
 */
MMS_EXTERN int mms_db_delete(mms_db *db, int entity, const char *code,
			     const mms_delete_options *opts, mms_report **report);

/** The changes recorded of one record, oldest first (since 0.2). */
typedef struct mms_history mms_history;

/**
 * The history of the record of `entity` whose key is `key`: its code, or
 * for an entity without a code its id as decimal text. Every addition
 * (by an import or an insert) and every changed field of an update is a
 * row. A file of schema 2 or 3 opened read-only has no history: the
 * result is then empty. *out is the caller's (mms_history_free()).
 */
MMS_EXTERN int mms_db_history(mms_db *db, int entity, const char *key, mms_history **out);

/** Number of rows of a history. */
MMS_EXTERN size_t mms_history_count(const mms_history *h);
/** When row i was written: UTC, "YYYY-MM-DDTHH:MM:SSZ" (borrowed). */
MMS_EXTERN const char *mms_history_at(const mms_history *h, size_t i);
/** Who made change i, as the caller said ("" if nobody was named). */
MMS_EXTERN const char *mms_history_actor(const mms_history *h, size_t i);
/** The field changed by row i, or NULL for the addition of the record. */
MMS_EXTERN const char *mms_history_field(const mms_history *h, size_t i);
/** The value before and after change i in the CSV notation, NULL if absent. */
MMS_EXTERN const char *mms_history_old(const mms_history *h, size_t i);
MMS_EXTERN const char *mms_history_new(const mms_history *h, size_t i);
MMS_EXTERN void mms_history_free(mms_history *h);

typedef enum mms_format {
	MMS_FORMAT_AUTO = 0, /**< a directory is CSV, anything else JSON */
	MMS_FORMAT_JSON = 1, /**< one JSON document (docs/format.md) */
	MMS_FORMAT_CSV = 2   /**< a directory of one CSV file per entity */
} mms_format;

/** What an import does with a record whose key is in the database (0.2). */
typedef enum mms_import_mode {
	MMS_IMPORT_ADD = 0,   /**< refuse it (a code used twice) or add it again */
	MMS_IMPORT_UPSERT = 1, /**< update that record with the fields given */
	/** Upsert, and delete the records of a unit's subtree and a year that
	 * the input does not hold (options version 3; docs/format.md, "Sync") */
	MMS_IMPORT_SYNC = 2
} mms_import_mode;

typedef struct mms_import_options {
	unsigned version;  /**< MMS_IMPORT_OPTIONS_VERSION */
	int format;        /**< an mms_format */
	int dry_run;       /**< validate only; never write */
	int mode;          /**< an mms_import_mode (version 2) */
	const char *actor; /**< who imports, kept in the history; NULL = "" (version 2) */
	/** Version 2 (0.2): the largest file read, in bytes (a JSON document,
	 * or each CSV file of a folder); 0 means MMS_IMPORT_MAX_BYTES. */
	size_t max_bytes;
	/** Version 3 (0.2), MMS_IMPORT_SYNC only: the code of the unit whose
	 * subtree the input makes equal to itself (required), and the calendar
	 * year (0 = every year). */
	const char *scope;
	int year;
} mms_import_options;

/** The default limit on the size of an imported file: 1 GiB. */
#define MMS_IMPORT_MAX_BYTES ((size_t)1 << 30)
#define MMS_IMPORT_OPTIONS_VERSION 3
#define MMS_IMPORT_OPTIONS_INIT {MMS_IMPORT_OPTIONS_VERSION, MMS_FORMAT_AUTO, 0, MMS_IMPORT_ADD, NULL, 0, \
				 NULL, 0}

/**
 * Imports a JSON file or a directory of CSV files, all or nothing: every
 * record is validated against the database and the rest of the input
 * before anything is written, and all problems are collected in *report
 * (may be NULL; the report is the caller's and is set even on success,
 * holding no problems). On failure the database is left exactly as it
 * was and the code of the first problem is returned. In MMS_IMPORT_UPSERT
 * mode a record whose key is in the database (its code; for records
 * without a code the natural key of docs/format.md) updates that record:
 * the fields it gives are checked and changed as mms_db_update() changes
 * them, the fields it leaves out keep their values; the other records are
 * added. Importing the same input twice changes nothing. Additions and
 * changes are recorded in the history. In MMS_IMPORT_SYNC mode the import
 * is an upsert that then deletes, as mms_db_delete() does, every record of
 * the scope (opts->scope's subtree and opts->year) of an entity the input
 * holds records of that the input does not hold, and with it the records
 * of the scope that are part of it; it is refused whole (MMS_EREF, each
 * pair named in *report) while a record outside the scope, or one the
 * input holds, refers to a record it would delete. On success (and on a
 * dry run) *report lists every record added, updated and deleted as an
 * item of code MMS_OK, location "entity/key" and message "added",
 * "updated" or "deleted".
 * Only regular files
 * are read (MMS_EIO for a FIFO, a device or a link to one), up to
 * max_bytes (MMS_ERANGE past it); a folder must hold at least one file
 * named <entity>.csv (MMS_EMISSING) and no other *.csv file (MMS_ETYPE);
 * nothing the input says is dropped or altered: docs/reliability.md,
 * "Imports that never drop data".
 */
MMS_EXTERN int mms_db_import(mms_db *db, const char *path,
			     const mms_import_options *opts,
			     mms_report **report);

/** As mms_db_import(), from a JSON document held in memory. */
MMS_EXTERN int mms_db_import_json(mms_db *db, const char *json,
				  const mms_import_options *opts,
				  mms_report **report);

typedef struct mms_export_options {
	unsigned version; /**< MMS_EXPORT_OPTIONS_VERSION */
	int format;       /**< MMS_FORMAT_JSON (default) or MMS_FORMAT_CSV */
	char delimiter;   /**< CSV separator; 0 means ',' */
} mms_export_options;

#define MMS_EXPORT_OPTIONS_VERSION 1
#define MMS_EXPORT_OPTIONS_INIT {MMS_EXPORT_OPTIONS_VERSION, MMS_FORMAT_JSON, 0}

/**
 * Exports the whole database to a JSON file, or with MMS_FORMAT_CSV to a
 * directory (created if missing) of one CSV file per entity. The output
 * is deterministic: records in id order, fields in schema order.
 * Written atomically: beside path, then renamed over it (a CSV directory
 * is swapped in whole), so a failure leaves the previous file or directory
 * as it was. A path that is the database or one of its files (-wal, -shm,
 * -journal, -snapshot, also through links or "..") is refused with
 * MMS_EOUTPUT before anything is opened; so is an existing CSV directory
 * holding files an export does not write.
 */
MMS_EXTERN int mms_db_export(mms_db *db, const char *path,
			     const mms_export_options *opts);

/** The whole database as a JSON document; the caller frees it. */
MMS_EXTERN int mms_db_export_json(mms_db *db, char **out);

/**
 * As mms_db_export(), for reporting upward with the personal data replaced
 * (0.2). A staff member's code and name become one pseudonym, "P" and 16 hex
 * digits of HMAC-SHA256(key, code): the same in every export made with the
 * same key, not recoverable without it; references to staff follow it.
 * Birth and work-start dates become 1 January of their year (January to
 * August) or 1 September (September to December), which keeps every age
 * and length of service counted to 31 December or 31 August exact, so the
 * indicators computed from the export equal those of the database. Notes of
 * diagnostics and routes and the evidence and notes of route events are
 * left out; a resource with a mentor is named by its kind and the mentor's
 * pseudonym. Names of units, activities and other resources are kept, so
 * they must not name people. key is text of at least 16 bytes (MMS_EINVAL otherwise); keep
 * it secret and the same from year to year so pseudonyms can be followed.
 */
MMS_EXTERN int mms_db_export_pseudonymised(mms_db *db, const char *path, const char *key,
					   const mms_export_options *opts);

/** As mms_db_export_pseudonymised(), as a JSON document the caller frees. */
MMS_EXTERN int mms_db_export_json_pseudonymised(mms_db *db, const char *key, char **out);

#ifdef __cplusplus
}
#endif

#endif
