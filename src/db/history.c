/*
 * The history of changes (schema 4): written in the transaction of the
 * change it records, read back per record. The model never holds it: it
 * grows with every change and no computation needs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "store/store.h"

void mms_record_key(const mms_model *m, int e, int32_t id, mms_buf *out)
{
	int cf = mms_entities[e].code_field;
	if (cf >= 0)
		mms_buf_puts(out, mms_str(m, mms_row(m, e, id)[cf]));
	else
		mms_buf_printf(out, "%d", id);
}

static int log_fail(mms_db *db, int src, const char *what)
{
	return mms_db_fail(db, mms_store_rc(src), "%s the history: %s", what, sqlite3_errmsg(db->sql));
}

int mms_log_open(mms_log *log, mms_db *db, const char *actor)
{
	log->db = db;
	log->actor = actor ? actor : "";
	/* one time for the whole change, read once: a row of a large import
	 * then costs only its key */
	time_t t = time(NULL);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(log->at, sizeof log->at, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(log->at, sizeof log->at, "1970-01-01T00:00:00Z");
	int src = sqlite3_prepare_v2(db->sql, "INSERT INTO mms_history(at, actor, entity, key, field,"
				     " old, new) VALUES(?7, ?1, ?2, ?3, ?4, ?5, ?6)", -1, &log->st, NULL);
	if (src == SQLITE_OK)
		src = sqlite3_bind_text(log->st, 7, log->at, -1, SQLITE_STATIC);
	return src == SQLITE_OK ? MMS_OK : log_fail(db, src, "writing");
}

static int bind_text(sqlite3_stmt *st, int col, const char *s)
{
	return s ? sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, col);
}

int mms_log_add(mms_log *log, int e, const char *key, const char *field, const char *old,
		const char *now)
{
	sqlite3_stmt *st = log->st;
	int src = bind_text(st, 1, log->actor);
	if (src == SQLITE_OK)
		src = bind_text(st, 2, mms_entities[e].name);
	if (src == SQLITE_OK)
		src = bind_text(st, 3, key);
	if (src == SQLITE_OK)
		src = bind_text(st, 4, field);
	if (src == SQLITE_OK)
		src = bind_text(st, 5, old);
	if (src == SQLITE_OK)
		src = bind_text(st, 6, now);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	sqlite3_reset(st);
	return src == SQLITE_DONE ? MMS_OK : log_fail(log->db, src, "writing");
}

void mms_log_close(mms_log *log)
{
	sqlite3_finalize(log->st);
	log->st = NULL;
}

int mms_log_added(mms_db *db, const mms_mark *mark, const char *actor)
{
	mms_log log;
	mms_buf key = {0};
	int rc = mms_log_open(&log, db, actor);
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++)
		for (size_t id = mark->rows[e]; id < db->m.t[e].count && rc == MMS_OK; id++) {
			key.len = 0;
			mms_record_key(&db->m, e, (int32_t)id, &key);
			rc = key.failed ? mms_db_fail(db, MMS_ENOMEM, "out of memory")
					: mms_log_add(&log, e, key.data, NULL, NULL, NULL);
		}
	mms_log_close(&log);
	mms_buf_free(&key);
	return rc;
}

/* Rows of a history: five texts each, as offsets into one block (-1 = NULL). */
enum { H_AT, H_ACTOR, H_FIELD, H_OLD, H_NEW, H_COLS };
struct mms_history {
	size_t count, cap;
	int64_t (*rows)[H_COLS];
	mms_buf text;
};

/* The id of the record named by key: a code, or an id as decimal text. */
static int find_key(mms_db *db, int e, const char *key, int32_t *id)
{
	char *end;
	long v = -1;
	if (mms_entities[e].code_field >= 0)
		v = mms_model_find_code(&db->m, e, key);
	else if ((v = strtol(key, &end, 10)) < 0 || end == key || *end)
		v = -1;
	if (v < 0 || (size_t)v >= db->m.t[e].count)
		return mms_db_fail(db, MMS_ENOTFOUND, "no %s with %s \"%.100s\"",
				   mms_entities[e].record,
				   mms_entities[e].code_field >= 0 ? "code" : "id", key);
	*id = (int32_t)v;
	/* a deleted record's history stays readable where its scope was everything */
	if (db->scope < 0 && !mms_model_live(&db->m, e, *id))
		return MMS_OK;
	return mms_entities[e].code_field >= 0 ? mms_db_check_read_code(db, e, *id, key)
					       : mms_db_check_read(db, e, *id);
}

static int read_rows(mms_db *db, int e, const char *key, mms_history *h)
{
	sqlite3_stmt *st;
	/* a file of schema 2 or 3 read as it is has no history yet */
	int src = sqlite3_prepare_v2(db->sql, "SELECT at, actor, field, old, new FROM mms_history"
				     " WHERE entity = ?1 AND key = ?2 ORDER BY id", -1, &st, NULL);
	if (src != SQLITE_OK) {
		sqlite3_stmt *probe;
		int have = sqlite3_prepare_v2(db->sql, "SELECT 1 FROM sqlite_schema WHERE "
					      "name = 'mms_history'", -1, &probe, NULL) == SQLITE_OK &&
			   sqlite3_step(probe) == SQLITE_ROW;
		sqlite3_finalize(probe);
		return have ? log_fail(db, src, "reading") : MMS_OK;
	}
	sqlite3_bind_text(st, 1, mms_entities[e].name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	int rc = MMS_OK;
	while (rc == MMS_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		void *rows = h->rows;
		if (mms_grow(&rows, &h->cap, h->count + 1, sizeof *h->rows)) {
			rc = MMS_ENOMEM;
			break;
		}
		h->rows = rows;
		for (int c = 0; c < H_COLS; c++) {
			const char *s = (const char *)sqlite3_column_text(st, c);
			h->rows[h->count][c] = s ? (int64_t)h->text.len : -1;
			if (s)
				mms_buf_append(&h->text, s, strlen(s) + 1);
		}
		h->count++;
		if (h->text.failed)
			rc = MMS_ENOMEM;
	}
	if (rc == MMS_OK && src != SQLITE_DONE)
		rc = log_fail(db, src, "reading");
	sqlite3_finalize(st);
	return rc == MMS_ENOMEM ? mms_db_fail(db, rc, "out of memory reading the history") : rc;
}

int mms_db_history(mms_db *db, int e, const char *key, mms_history **out)
{
	if (!out || !key)
		return MMS_EINVAL;
	*out = NULL;
	int rc = mms_db_ready(db);
	int32_t id;
	if (rc == MMS_OK && (e < 0 || e >= MMS_ENTITY_COUNT))
		rc = mms_db_fail(db, MMS_EINVAL, "entity %d does not exist", e);
	if (rc == MMS_OK)
		rc = find_key(db, e, key, &id);
	if (rc != MMS_OK)
		return rc;
	mms_history *h = mms_calloc(1, sizeof *h);
	if (!h)
		return mms_db_fail(db, MMS_ENOMEM, "out of memory reading the history");
	if ((rc = read_rows(db, e, key, h)) != MMS_OK) {
		mms_history_free(h);
		return rc;
	}
	*out = h;
	return MMS_OK;
}

size_t mms_history_count(const mms_history *h)
{
	return h ? h->count : 0;
}

static const char *cell(const mms_history *h, size_t i, int c)
{
	if (!h || i >= h->count || h->rows[i][c] < 0)
		return NULL;
	return h->text.data + h->rows[i][c];
}

const char *mms_history_at(const mms_history *h, size_t i) { return cell(h, i, H_AT); }
const char *mms_history_actor(const mms_history *h, size_t i) { return cell(h, i, H_ACTOR); }
const char *mms_history_field(const mms_history *h, size_t i) { return cell(h, i, H_FIELD); }
const char *mms_history_old(const mms_history *h, size_t i) { return cell(h, i, H_OLD); }
const char *mms_history_new(const mms_history *h, size_t i) { return cell(h, i, H_NEW); }

void mms_history_free(mms_history *h)
{
	if (!h)
		return;
	mms_free(h->rows);
	mms_buf_free(&h->text);
	mms_free(h);
}
