/*
 * Store layer: the SQLite file behind a database (schema in
 * docs/format.md). Values are stored readably (enums and dates as text)
 * so the file is useful to the sqlite3 program and SQL peers as it is.
 */
#ifndef MMS_STORE_H
#define MMS_STORE_H

#include <sqlite3.h>

#include "model/model.h"

/* Schema version written in PRAGMA user_version, and the oldest one this
 * build reads as it is when it may not upgrade the file (read-only). */
#define MMS_SCHEMA_VERSION 12
#define MMS_SCHEMA_READABLE 2

/* Opens and migrates; on failure *out may be set and must be closed.
 * Nothing is written to the file until it is known to be a libmms database
 * of a schema this build reads (or an empty one that may be created).
 * *read_only is set when the file can only be read (no write permission, a
 * read-only file system). */
int mms_store_open(sqlite3 **out, const char *path, int *read_only,
		   int no_create, int busy_ms, char *err, size_t errlen);
/* The count of rows changed in place (schema 3), or MMS_STAMP_UNKNOWN when
 * the file cannot tell (an older schema, a trigger dropped). */
#define MMS_STAMP_UNKNOWN UINT64_MAX
int mms_store_stamp(sqlite3 *db, uint64_t *out);
/* Loads the rows of every table the model does not have yet: all of them
 * into an empty model, or those after a snapshot's. */
int mms_store_load(sqlite3 *db, mms_model *m, char *err, size_t errlen);
/* Reads the tombstones (schema 6) into the model afresh: a file without
 * their table (an older schema read as it is) has none. */
int mms_store_load_dead(sqlite3 *db, mms_model *m, char *err, size_t errlen);
/* Records row id of entity e as deleted. */
int mms_store_kill(sqlite3 *db, int e, int32_t id, char *err, size_t errlen);
/* Whether the first and last rows of each entity in the model are those of
 * the file: a snapshot taken of this file (its rows are only appended to). */
int mms_store_matches(sqlite3 *db, const mms_model *m);

/* The columnar snapshot (snapshot.c) in the file `file`, taken when the
 * database's stamp (mms_store_stamp()) was `stamp`. Reading replaces the
 * model's arrays with a copy of the file's and gives the stamp it was
 * taken at. MMS_ENOTFOUND: there is none, the model is untouched; on any
 * other failure (MMS_ECORRUPT: not a whole snapshot of this build) the
 * model is freed and must be initialised again. Writing: msg
 * (MMS_ATOMIC_MSG bytes) says why it could not be written. */
int mms_snapshot_write(const mms_model *m, uint64_t stamp, const char *file, char *msg);
int mms_snapshot_read(mms_model *m, const char *file, uint64_t *stamp);
/* Inserts the rows added to the model since mark. */
int mms_store_write(sqlite3 *db, const mms_model *m, const mms_mark *mark,
		    char *err, size_t errlen);
/* Writes every field of row id of entity e over the file's row. */
int mms_store_update(sqlite3 *db, const mms_model *m, int e, int32_t id, char *err,
		     size_t errlen);
int mms_store_exec(sqlite3 *db, const char *sql, char *err, size_t errlen);
/* PRAGMA data_version: changes when another connection commits. */
int mms_store_data_version(sqlite3 *db, int64_t *out);
/* Maps an SQLite result code to an mms_rc. */
int mms_store_rc(int sqlite_rc);

#endif
