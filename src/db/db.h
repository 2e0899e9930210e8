/*
 * The database handle: an SQLite connection, the in-memory model loaded
 * from it, and the query index derived from the model.
 */
#ifndef MMS_DB_INTERNAL_H
#define MMS_DB_INTERNAL_H

#include <sqlite3.h>

#include "model/model.h"
#include "mms/mms.h"
#include "network/index.h"

struct mms_db {
	sqlite3 *sql;
	mms_model m;
	mms_index idx;
	int64_t data_version; /* of the connection when the model was loaded */
	int read_only;
	char errmsg[2048];    /* fixed, so reporting never needs memory */
};

/* Records a failure message on the handle and returns rc. */
int mms_db_fail(mms_db *db, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Clears the message at the start of a call. */
void mms_db_ok(mms_db *db);
/* Reloads the model if another connection committed since it was loaded. */
int mms_db_sync(mms_db *db);
/* Syncs and makes sure the query index is current. */
int mms_db_ready(mms_db *db);
/* Readies the handle for work on the subtree of root (-1 = everything). */
int mms_db_ready_subtree(mms_db *db, int32_t root);
/* The pre-order positions [*from, *to) of root's subtree (-1 = all units). */
void mms_db_subtree_range(const mms_db *db, int32_t root, int32_t *from, int32_t *to);
/* Checks that id is a record of entity e. */
int mms_db_check_id(mms_db *db, int e, int32_t id);

#endif
