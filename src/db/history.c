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
#include "exchange/exchange.h"
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

/* A statement that failed to prepare: a file of schema 2 or 3 read as it
 * is has no history yet (MMS_OK, nothing to read); anything else fails. */
static int unprepared(mms_db *db, int src)
{
	sqlite3_stmt *probe;
	int have = sqlite3_prepare_v2(db->sql, "SELECT 1 FROM sqlite_schema WHERE "
				      "name = 'mms_history'", -1, &probe, NULL) == SQLITE_OK &&
		   sqlite3_step(probe) == SQLITE_ROW;
	sqlite3_finalize(probe);
	return have ? log_fail(db, src, "reading") : MMS_OK;
}

static int read_rows(mms_db *db, int e, const char *key, mms_history *h)
{
	sqlite3_stmt *st;
	int src = sqlite3_prepare_v2(db->sql, "SELECT at, actor, field, old, new FROM mms_history"
				     " WHERE entity = ?1 AND key = ?2 ORDER BY id", -1, &st, NULL);
	if (src != SQLITE_OK)
		return unprepared(db, src);
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

/* ---- the history in exchange (docs/format.md, "History in exchange") ---- */

/* The record a history key names (a code, or an id as text), or -1. */
static int32_t key_record(const mms_model *m, int e, const char *key)
{
	if (mms_entities[e].code_field >= 0)
		return mms_model_find_code(m, e, key);
	char *end;
	long v = strtol(key, &end, 10);
	return end != key && !*end && v >= 0 && (size_t)v < m->t[e].count ? (int32_t)v : -1;
}

/* "YYYY-MM-DDTHH:MM:SSZ" as the pseudonymised export writes dates: 1 January
 * of its year (January to August) or 1 September (September to December). */
static void coarse_at(const char *at, char out[16])
{
	int y = 1970, mo = 1;
	if (sscanf(at, "%4d-%2d", &y, &mo) != 2)
		y = 1970, mo = 1;
	snprintf(out, 16, "%04d-%s", y % 10000, mo >= 9 ? "09-01" : "01-01");
}

/* Row `cols` as the view writes it into out, or nothing when it is left out. */
static int export_row(const mms_db *db, const mms_view *v, const char *const cols[HC_COUNT],
		      mms_buf bufs[3], mms_hist *out)
{
	int e;
	if (mms_entity_from_name(&e, cols[HC_ENTITY]) != MMS_OK)
		return MMS_OK;
	int32_t id = key_record(&db->m, e, cols[HC_KEY]);
	int show = id >= 0 && mms_view_shows(v, e, id), coded = mms_entities[e].code_field >= 0;
	/* unscoped and in clear, a code's history stays (codes are never
	 * reused); a record by id only while the export numbers it */
	if (!show && (v->ps || v->acc || !coded))
		return MMS_OK;
	const char *vals[HC_COUNT];
	memcpy(vals, cols, sizeof vals);
	for (int k = 0; k < 3; k++)
		bufs[k].len = 0;
	if (show && !coded && v->rank[e]) {
		mms_buf_printf(&bufs[0], "%d", v->rank[e][id]);
		vals[HC_KEY] = bufs[0].data;
	}
	char at[16];
	if (v->ps) {
		int f = cols[HC_FIELD] ? mms_field_find(e, cols[HC_FIELD]) : -1;
		if (cols[HC_FIELD] && f < 0)
			return MMS_OK;
		if (mms_pseudo_history_key(&db->m, v->ps, e, id, &bufs[0]))
			vals[HC_KEY] = bufs[0].data;
		coarse_at(cols[HC_AT], at);
		vals[HC_AT] = at;
		vals[HC_ACTOR] = "";
		vals[HC_OLD] = mms_pseudo_history_value(&db->m, v->ps, e, f, cols[HC_OLD], &bufs[1])
				       ? bufs[1].data ? bufs[1].data : "" : NULL;
		vals[HC_NEW] = mms_pseudo_history_value(&db->m, v->ps, e, f, cols[HC_NEW], &bufs[2])
				       ? bufs[2].data ? bufs[2].data : "" : NULL;
	}
	if (bufs[0].failed || bufs[1].failed || bufs[2].failed)
		return MMS_ENOMEM;
	return mms_hist_add(out, vals);
}

int mms_history_export(mms_db *db, const mms_view *v, mms_hist *out)
{
	sqlite3_stmt *st;
	int src = sqlite3_prepare_v2(db->sql, "SELECT at, actor, entity, key, field, old, new"
				     " FROM mms_history ORDER BY id", -1, &st, NULL);
	if (src != SQLITE_OK)
		return unprepared(db, src);
	mms_buf bufs[3] = {{0}, {0}, {0}};
	int rc = MMS_OK;
	while (rc == MMS_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cols[HC_COUNT];
		for (int c = 0; c < HC_COUNT; c++)
			cols[c] = (const char *)sqlite3_column_text(st, c);
		if (cols[HC_AT] && cols[HC_ENTITY] && cols[HC_KEY])
			rc = export_row(db, v, cols, bufs, out);
	}
	if (rc == MMS_OK && src != SQLITE_DONE)
		rc = log_fail(db, src, "reading");
	sqlite3_finalize(st);
	for (int k = 0; k < 3; k++)
		mms_buf_free(&bufs[k]);
	return rc == MMS_ENOMEM ? mms_db_fail(db, rc, "out of memory exporting") : rc;
}

/* Column c of history row rec of the input as text; NULL when absent or
 * empty; *bad set when it is not text. */
static const char *hist_text(mms_doc *doc, size_t rec, int c, int *bad, int *rc)
{
	mms_value v;
	*rc = doc->get(doc, MMS_HISTORY_TABLE, rec, c, &v);
	*bad = *rc == MMS_OK && v.kind != V_ABSENT && v.kind != V_NULL &&
	       (v.kind != V_TEXT || strlen(v.text) != v.len);
	return *rc == MMS_OK && v.kind == V_TEXT && v.len && !*bad ? v.text : NULL;
}

/* "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SSZ" as the history writes times. */
static int valid_at(const char *s)
{
	char day[11];
	int32_t d;
	size_t n = strlen(s);
	if (n != 10 && n != 20)
		return 0;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (mms_date_parse(day, &d) != MMS_OK)
		return 0;
	if (n == 10)
		return 1;
	int hh, mm, ss;
	char t, z, tail;
	return sscanf(s + 10, "%c%2d:%2d:%2d%c%c", &t, &hh, &mm, &ss, &z, &tail) == 5 &&
	       t == 'T' && z == 'Z' && hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && ss >= 0 &&
	       ss < 61 && s[13] == ':' && s[16] == ':';
}

static void hist_fail(mms_doc *doc, mms_report *rep, int rc, size_t rec, int c, const char *why,
		      const char *value)
{
	mms_buf loc = {0};
	doc->where(doc, MMS_HISTORY_TABLE, rec, c, &loc);
	mms_report_add(rep, rc, loc.data ? loc.data : "", "%s: history row #%zu: %s%s%.200s%s",
		       loc.data ? loc.data : "", rec, why, value ? " \"" : "", value ? value : "",
		       value ? "\"" : "");
	mms_buf_free(&loc);
}

/* Whether a scoped handle may import the history of the record key names:
 * one it owns, or one the import adds (the import checks those itself). */
static int may_log(const mms_db *db, const mms_mark *mark, int e, const char *key)
{
	int32_t id = key_record(&db->m, e, key);
	return db->scope < 0 || (id >= 0 && ((size_t)id >= mark->rows[e] || mms_db_owns(db, e, id)));
}

int mms_history_check(mms_db *db, mms_doc *doc, const mms_mark *mark, mms_report *rep)
{
	int first = MMS_OK;
#define BAD(code, c, why, value)                                   \
	do {                                                       \
		hist_fail(doc, rep, code, rec, c, why, value);     \
		first = first ? first : code;                      \
	} while (0)
	for (size_t rec = 0; rec < doc->count(doc, MMS_HISTORY_TABLE); rec++) {
		const char *cols[HC_COUNT];
		int bad = 0, rc;
		for (int c = 0; c < HC_COUNT; c++) {
			int b;
			cols[c] = hist_text(doc, rec, c, &b, &rc);
			if (rc != MMS_OK)
				return rc;
			if (b)
				BAD(MMS_ETYPE, c, "a history value is text", NULL);
			bad |= b;
		}
		for (int c = 0; c < HC_COUNT && !bad; c++)
			if (!cols[c] && mms_history_def.fields[c].required) {
				BAD(MMS_EMISSING, c, "a history row needs at, entity and key", NULL);
				bad = 1;
			}
		if (bad)
			continue;
		int e, f = -1;
		if (!valid_at(cols[HC_AT]))
			BAD(MMS_ETYPE, HC_AT, "at is YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD, not", cols[HC_AT]);
		else if (mms_entity_from_name(&e, cols[HC_ENTITY]) != MMS_OK)
			BAD(MMS_ETYPE, HC_ENTITY, "unknown entity", cols[HC_ENTITY]);
		else if (cols[HC_FIELD] && (f = mms_field_find(e, cols[HC_FIELD])) < 0)
			BAD(MMS_ETYPE, HC_FIELD, "unknown field", cols[HC_FIELD]);
		else if (!may_log(db, mark, e, cols[HC_KEY]))
			BAD(MMS_EACCES, HC_KEY, "the history of a record outside the handle's scope:",
			    cols[HC_KEY]);
	}
#undef BAD
	return rep->failed ? MMS_ENOMEM : first;
}

int mms_history_import(mms_db *db, mms_doc *doc)
{
	sqlite3_stmt *st;
	/* a row the history holds already is not added again, so importing a
	 * file twice, or an export back into its own database, adds nothing */
	int src = sqlite3_prepare_v2(db->sql, "INSERT INTO mms_history(at, actor, entity, key, field,"
				     " old, new) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS"
				     " (SELECT 1 FROM mms_history WHERE entity = ?3 AND key = ?4 AND"
				     " at = ?1 AND actor = ?2 AND field IS ?5 AND old IS ?6 AND"
				     " new IS ?7)", -1, &st, NULL);
	int rc = src == SQLITE_OK ? MMS_OK : log_fail(db, src, "writing");
	for (size_t rec = 0; rc == MMS_OK && rec < doc->count(doc, MMS_HISTORY_TABLE); rec++) {
		for (int c = 0; c < HC_COUNT && rc == MMS_OK; c++) {
			int bad;
			const char *t = hist_text(doc, rec, c, &bad, &rc);
			if (c == HC_ACTOR && !t)
				t = "";
			src = bind_text(st, c + 1, t);
			if (rc == MMS_OK && src != SQLITE_OK)
				rc = log_fail(db, src, "writing");
		}
		if (rc == MMS_OK && (src = sqlite3_step(st)) != SQLITE_DONE)
			rc = log_fail(db, src, "writing");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}
