/* Opening, closing and reading a database handle. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "domain/employment.h"
#include "store/store.h"

int mms_db_fail(mms_db *db, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
	va_end(ap);
	return rc;
}

void mms_db_ok(mms_db *db)
{
	db->errmsg[0] = '\0';
}

int mms_db_read_only(mms_db *db)
{
	const char *file = db->sql ? sqlite3_db_filename(db->sql, "main") : NULL;
	return mms_db_fail(db, MMS_EREADONLY, "%s is open read-only (asked, or no write "
			   "permission, or a read-only file system): nothing was written",
			   file && *file ? file : "the database");
}

const char *mms_db_errmsg(const mms_db *db)
{
	return db ? db->errmsg : "no database handle (out of memory?)";
}

/* "<file>-snapshot" beside the database file; NULL for an in-memory one
 * (*rc MMS_OK) or if out of memory (*rc MMS_ENOMEM). */
static char *snapshot_name(mms_db *db, int *rc)
{
	const char *file = sqlite3_db_filename(db->sql, "main");
	*rc = MMS_OK;
	if (!file || !*file)
		return NULL;
	size_t n = strlen(file);
	char *name = mms_malloc(n + sizeof "-snapshot");
	if (!name)
		*rc = MMS_ENOMEM;
	else
		memcpy(memcpy(name, file, n) + n, "-snapshot", sizeof "-snapshot");
	return name;
}

/* Starts the model from the snapshot when there is one of this file at its
 * present stamp; the model is left empty otherwise. */
static int from_snapshot(mms_db *db, mms_model *m, uint64_t stamp)
{
	int rc;
	if (stamp == MMS_STAMP_UNKNOWN) /* the file cannot say what changed */
		return MMS_OK;
	char *name = snapshot_name(db, &rc);
	if (!name)
		return rc;
	uint64_t taken;
	rc = mms_snapshot_read(m, name, &taken);
	mms_free(name);
	if (rc == MMS_ENOTFOUND) /* none: the model is as it was */
		return MMS_OK;
	if (rc == MMS_OK && taken == stamp && mms_store_matches(db->sql, m))
		return MMS_OK;
	if (rc == MMS_OK)
		mms_model_free(m); /* of another file, or of an earlier one */
	return rc == MMS_ENOMEM ? rc : mms_model_init(m);
}

static int load(mms_db *db)
{
	mms_model fresh;
	int64_t version;
	uint64_t stamp = MMS_STAMP_UNKNOWN;
	int rc = mms_model_init(&fresh);
	if (rc != MMS_OK)
		return mms_db_fail(db, rc, "out of memory loading the database");
	/* Read the version and the rows in one read transaction, so the
	 * version names exactly the state that was loaded. */
	int own = sqlite3_get_autocommit(db->sql); /* not inside an import's */
	if (own)
		rc = mms_store_exec(db->sql, "BEGIN", db->errmsg, sizeof db->errmsg);
	if (rc == MMS_OK)
		rc = mms_store_data_version(db->sql, &version);
	if (rc == MMS_OK)
		rc = mms_store_stamp(db->sql, &stamp);
	if (rc == MMS_OK)
		rc = from_snapshot(db, &fresh, stamp);
	if (rc == MMS_OK)
		rc = mms_store_load(db->sql, &fresh, db->errmsg, sizeof db->errmsg);
	if (rc == MMS_OK) /* never in a snapshot: read from the file each time */
		rc = mms_store_load_dead(db->sql, &fresh, db->errmsg, sizeof db->errmsg);
	/* whatever it came from, a model that would send a walk in circles or
	 * out of bounds is not used */
	if (rc == MMS_OK)
		rc = mms_model_check(&fresh, db->errmsg, sizeof db->errmsg);
	if (own)
		sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
	if (rc != MMS_OK) {
		mms_model_free(&fresh);
		if (rc == MMS_ENOMEM)
			mms_db_fail(db, rc, "out of memory loading the database");
		return rc;
	}
	fresh.generation = db->m.generation + 1;
	fresh.epoch = db->m.epoch + 1; /* a reloaded model is not an extension of the old one */
	mms_model_free(&db->m);
	db->m = fresh;
	db->data_version = version;
	db->stamp = stamp;
	return MMS_OK;
}

int mms_db_open(mms_db **out, const char *path, const mms_open_options *opts)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	mms_db *db = mms_calloc(1, sizeof *db);
	if (!db)
		return MMS_ENOMEM;
	*out = db;
	db->scope = -1;
	if (!path)
		return mms_db_fail(db, MMS_EINVAL, "no path given");
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	if (opts) {
		if (opts->version < 1 || opts->version > MMS_OPEN_OPTIONS_VERSION)
			return mms_db_fail(db, MMS_EINVAL, "open options version %u is unknown",
					   opts->version);
		o = *opts; /* version 1 is the only one: every field is known */
	}
	db->read_only = o.read_only;
	int rc = mms_model_init(&db->m);
	if (rc == MMS_OK)
		rc = mms_store_open(&db->sql, path, &db->read_only, o.no_create,
				    o.busy_timeout_ms, db->errmsg, sizeof db->errmsg);
	if (rc == MMS_OK)
		rc = load(db);
	if (rc == MMS_ENOMEM && !db->errmsg[0])
		mms_db_fail(db, rc, "out of memory opening %s", path);
	return rc;
}

int mms_db_open_scoped(mms_db **out, const char *path, const mms_open_options *opts,
		       const char *unit_code)
{
	if (!unit_code) {
		if (out)
			*out = NULL;
		return MMS_EINVAL;
	}
	int32_t unit;
	int rc = mms_db_open(out, path, opts);
	if (rc == MMS_OK && (rc = mms_db_find(*out, MMS_UNIT, unit_code, &unit)) != MMS_OK)
		mms_db_fail(*out, rc, "the scope \"%.200s\" names no unit", unit_code);
	if (rc == MMS_OK) {
		(*out)->scope = unit;
		rc = mms_db_scope_ready(*out);
	}
	return rc;
}

int mms_db_snapshot(mms_db *db)
{
	int rc = mms_db_ready(db);
	if (rc != MMS_OK)
		return rc;
	if (db->scope >= 0) /* it would hold the whole database */
		return mms_db_fail(db, MMS_EACCES, "a handle with a scope cannot write a snapshot");
	if (db->read_only)
		return mms_db_read_only(db);
	char *name = snapshot_name(db, &rc);
	if (!name)
		return mms_db_fail(db, rc ? rc : MMS_EINVAL, rc ? "out of memory"
								 : "an in-memory database has no snapshot");
	char msg[MMS_ATOMIC_MSG];
	rc = mms_snapshot_write(&db->m, db->stamp, name, msg);
	if (rc == MMS_EIO)
		mms_db_fail(db, rc, "%s: %s", name, msg);
	else if (rc != MMS_OK)
		mms_db_fail(db, rc, "out of memory");
	mms_free(name);
	return rc;
}

int32_t mms_db_scope(const mms_db *db)
{
	return db ? db->scope : -1;
}

void mms_db_close(mms_db *db)
{
	if (!db)
		return;
	sqlite3_close_v2(db->sql);
	mms_index_free(&db->idx);
	mms_access_free(&db->acc);
	mms_model_free(&db->m);
	mms_free(db);
}

int mms_db_sync(mms_db *db)
{
	int64_t version;
	int rc = mms_store_data_version(db->sql, &version);
	if (rc != MMS_OK)
		return mms_db_fail(db, rc, "checking for changes: %s", sqlite3_errmsg(db->sql));
	return version == db->data_version ? MMS_OK : load(db);
}

int mms_db_refresh(mms_db *db)
{
	if (!db || !db->sql)
		return MMS_EINVAL;
	mms_db_ok(db);
	return mms_db_sync(db);
}

int mms_db_ready(mms_db *db)
{
	if (!db || !db->sql)
		return MMS_EINVAL;
	mms_db_ok(db);
	int rc = mms_db_sync(db);
	if (rc == MMS_OK && (rc = mms_index_ensure(&db->idx, &db->m)) != MMS_OK)
		mms_db_fail(db, rc, "out of memory indexing the network");
	return rc == MMS_OK ? mms_db_scope_ready(db) : rc;
}

int mms_db_ready_subtree(mms_db *db, int32_t *root)
{
	int rc = mms_db_ready(db);
	if (rc == MMS_OK && *root == -1)
		*root = db->scope;
	else if (rc == MMS_OK)
		rc = mms_db_check_own_id(db, MMS_UNIT, *root);
	return rc;
}

void mms_db_subtree_range(const mms_db *db, int32_t root, int32_t *from, int32_t *to)
{
	*from = root >= 0 ? db->idx.tin[root] : 0;
	*to = root >= 0 ? db->idx.tout[root] : (int32_t)db->idx.nunits;
}

static int check_entity(mms_db *db, int e)
{
	if (e < 0 || e >= MMS_ENTITY_COUNT)
		return mms_db_fail(db, MMS_EINVAL, "entity %d does not exist", e);
	return MMS_OK;
}

static int check_exists(mms_db *db, int e, int32_t id)
{
	int rc = check_entity(db, e);
	if (rc == MMS_OK && (id < 0 || (size_t)id >= db->m.t[e].count ||
			     !mms_model_live(&db->m, e, id)))
		rc = mms_db_fail(db, MMS_ENOTFOUND, "%s: no record with id %d",
				 mms_entities[e].name, id);
	return rc;
}

int mms_db_check_id(mms_db *db, int e, int32_t id)
{
	int rc = check_exists(db, e, id);
	return rc == MMS_OK ? mms_db_check_read(db, e, id) : rc;
}

int mms_db_check_own_id(mms_db *db, int e, int32_t id)
{
	int rc = check_exists(db, e, id);
	return rc == MMS_OK ? mms_db_check_own(db, e, id) : rc;
}

int mms_db_count(mms_db *db, int e, size_t *out)
{
	int rc = out ? mms_db_ready(db) : MMS_EINVAL;
	if (rc != MMS_OK || (rc = check_entity(db, e)) != MMS_OK)
		return rc;
	size_t n = db->m.t[e].count;
	if (db->scope >= 0 || db->m.dead_len[e])
		for (size_t id = n; id-- > 0;)
			n -= !mms_db_readable(db, e, (int32_t)id);
	*out = n;
	return MMS_OK;
}

int mms_db_find(mms_db *db, int e, const char *code, int32_t *out_id)
{
	int rc = out_id && code ? mms_db_ready(db) : MMS_EINVAL;
	if (rc != MMS_OK || (rc = check_entity(db, e)) != MMS_OK)
		return rc;
	if (mms_entities[e].code_field < 0)
		return mms_db_fail(db, MMS_EINVAL, "%s have no code",
				   mms_entities[e].name);
	int32_t id = mms_model_find_code(&db->m, e, code);
	if (id < 0 || !mms_model_live(&db->m, e, id)) /* a deleted code stays taken */
		return mms_db_fail(db, MMS_ENOTFOUND, "no %s with code \"%.200s\"",
				   mms_entities[e].record, code);
	if ((rc = mms_db_check_read_code(db, e, id, code)) == MMS_OK)
		*out_id = id;
	return rc;
}

int mms_db_get_at(mms_db *db, int e, int32_t id, const char *field, const char *day,
		  char **out)
{
	int32_t d;
	if (!out || !field || !day)
		return MMS_EINVAL;
	*out = NULL;
	if (mms_date_parse(day, &d) != MMS_OK)
		return mms_db_fail(db, MMS_EINVAL, "day \"%.40s\" is not a date YYYY-MM-DD", day);
	int rc = mms_db_ready(db);
	if (rc != MMS_OK || (rc = mms_db_check_id(db, e, id)) != MMS_OK)
		return rc;
	int f = mms_field_find(e, field);
	int32_t pv = f < 0 ? -1 : mms_past_value_find(&db->m, e, id, f, d);
	if (pv < 0)
		return mms_db_get(db, e, id, field, out);
	const char *text = mms_str(&db->m, mms_row(&db->m, MMS_PAST_VALUE, pv)[PV_VALUE]);
	if (*text && !(*out = mms_strndup(text, strlen(text))))
		return mms_db_fail(db, MMS_ENOMEM, "out of memory");
	return MMS_OK;
}

int mms_db_get(mms_db *db, int e, int32_t id, const char *field, char **out)
{
	if (!out || !field)
		return MMS_EINVAL;
	*out = NULL;
	int rc = mms_db_ready(db);
	if (rc != MMS_OK || (rc = mms_db_check_id(db, e, id)) != MMS_OK)
		return rc;
	int f = mms_field_find(e, field);
	if (f < 0)
		return mms_db_fail(db, MMS_EINVAL, "%s have no field \"%.100s\"",
				   mms_entities[e].name, field);
	if (mms_entities[e].fields[f].type != F_BOOL && !mms_field_present(&db->m, e, id, f))
		return MMS_OK;
	mms_buf b = {0};
	mms_field_text(&db->m, e, id, f, &b);
	rc = mms_buf_detach(&b, out);
	return rc == MMS_OK ? rc : mms_db_fail(db, rc, "out of memory");
}
