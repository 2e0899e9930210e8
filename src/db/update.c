/*
 * mms_db_update(): one record with a code changed in its own transaction,
 * all or nothing. The change is staged (change.c), the network's shape
 * checked, then the row and its history are written and committed; any
 * failure puts the model row and the file back as they were.
 */
#include <string.h>

#include "db.h"
#include "domain/employment.h"
#include "exchange/exchange.h"
#include "store/store.h"

static int check_options(mms_db *db, const mms_update_options *opts, mms_update_options *o,
			 int32_t *from)
{
	*from = MMS_NONE;
	mms_update_options def = MMS_UPDATE_OPTIONS_INIT;
	*o = def;
	if (!opts)
		return MMS_OK;
	if (opts->version < 1 || opts->version > MMS_UPDATE_OPTIONS_VERSION)
		return mms_db_fail(db, MMS_EINVAL, "update options version %u is unknown",
				   opts->version);
	*o = *opts;
	if (o->from && (mms_date_parse(o->from, from) != MMS_OK ||
			*from <= mms_date_from_ymd(1900, 1, 1) || *from > mms_date_from_ymd(2100, 12, 31)))
		return mms_db_fail(db, MMS_EINVAL, "from \"%.40s\" is not a date YYYY-MM-DD in "
				   "1900..2100", o->from);
	return MMS_OK;
}

/* The values of a record's fields before an update from a day: each dated
 * field that changes keeps its old value as a past value. */
typedef struct before {
	mms_buf text[(int)S_NFIELDS > (int)U_NFIELDS ? (int)S_NFIELDS : (int)U_NFIELDS];
} before;

static void before_free(before *b)
{
	for (size_t f = 0; f < sizeof b->text / sizeof b->text[0]; f++)
		mms_buf_free(&b->text[f]);
}

static int before_take(const mms_model *m, int e, int32_t id, before *b)
{
	for (int f = 0; f < mms_entities[e].nfields; f++) {
		mms_field_text(m, e, id, f, &b->text[f]);
		mms_buf_putc(&b->text[f], '\0'); /* "" for absent, never NULL */
		if (b->text[f].failed)
			return MMS_ENOMEM;
	}
	return MMS_OK;
}

static int add_text(mms_model *m, int32_t *row, int f, const char *s)
{
	return mms_model_add_str(m, s, strlen(s), &row[f]);
}

/*
 * After the change is staged: a past value (old value, until from - 1) for
 * every field that changed, all dated, each after the field's latest past
 * value. The rows are appended to the model, so the caller's rollback to
 * its mark takes them back with the rest.
 */
static int keep_past(mms_db *db, const mms_change *ch, const char *code, const before *b,
		     int32_t from)
{
	mms_model *m = &db->m;
	const entity_def *d = &mms_entities[ch->e];
	mms_buf now = {0};
	int rc = MMS_OK;
	char day[11];
	mms_date_format(from, day);
	for (int f = 0; f < d->nfields && rc == MMS_OK; f++) {
		now.len = 0;
		mms_field_text(m, ch->e, ch->id, f, &now);
		mms_buf_putc(&now, '\0');
		if (now.failed) {
			rc = MMS_ENOMEM;
			break;
		}
		if (!strcmp(now.data, b->text[f].data))
			continue;
		if (!mms_dated_field(ch->e, f)) {
			rc = mms_db_fail(db, MMS_EINVAL, "%s \"%.200s\": %s has no history; update it "
					 "without from", d->record, code, d->fields[f].name);
			break;
		}
		int32_t last = mms_past_value_last(m, ch->e, ch->id, f), id;
		if (last >= 0 && mms_row(m, MMS_PAST_VALUE, last)[PV_UNTIL] >= from - 1) {
			char was[11];
			mms_date_format(mms_row(m, MMS_PAST_VALUE, last)[PV_UNTIL], was);
			rc = mms_db_fail(db, MMS_ERANGE, "%s \"%.200s\": %s already has a value until "
					 "%s; from %s must be after the day following it", d->record,
					 code, d->fields[f].name, was, day);
			break;
		}
		rc = mms_model_add_row(m, MMS_PAST_VALUE, &id);
		int32_t *row = rc == MMS_OK ? mms_row(m, MMS_PAST_VALUE, id) : NULL;
		if (row) {
			row[PV_ENTITY] = ch->e == MMS_UNIT ? DE_UNIT : DE_STAFF;
			row[PV_UNTIL] = from - 1;
		}
		if (rc == MMS_OK)
			rc = add_text(m, row, PV_RECORD, code);
		if (rc == MMS_OK)
			rc = add_text(m, row, PV_FIELD, d->fields[f].name);
		if (rc == MMS_OK)
			rc = add_text(m, row, PV_VALUE, b->text[f].data);
	}
	mms_buf_free(&now);
	return rc;
}

/* Finds the record and refuses what no update may do. */
static int target(mms_db *db, int e, const char *code, mms_doc *given, int32_t *id)
{
	if (mms_entities[e].code_field < 0)
		return mms_db_fail(db, MMS_EINVAL, "%s have no code: only records with a code "
				   "can be updated", mms_entities[e].name);
	int cf = mms_entities[e].code_field;
	mms_value v;
	if (given->get(given, e, 0, cf, &v) == MMS_OK && v.kind != V_ABSENT &&
	    (v.len != strlen(code) || memcmp(v.text, code, v.len)))
		return mms_db_fail(db, MMS_EINVAL, "%s \"%.200s\": the code is the record's key "
				   "and cannot be changed", mms_entities[e].record, code);
	*id = mms_model_find_code(&db->m, e, code);
	if (*id < 0 || !mms_model_live(&db->m, e, *id))
		return mms_db_fail(db, MMS_ENOTFOUND, "no %s with code \"%.200s\"",
				   mms_entities[e].record, code);
	int rc = mms_db_scope_ready(db);
	return rc == MMS_OK ? mms_db_check_own(db, e, *id) : rc;
}

/* The update itself, inside the write transaction. */
static int apply(mms_db *db, const char *code, const mms_record *rec, const char *actor,
		 int32_t from, mms_report *rep)
{
	mms_change ch = {0};
	mms_doc *given = mms_record_doc(rec, &ch.e);
	int rc = mms_db_sync(db);
	if (rc == MMS_OK)
		rc = target(db, ch.e, code, given, &ch.id);
	if (rc == MMS_OK && from != MMS_NONE && ch.e != MMS_STAFF && ch.e != MMS_UNIT)
		rc = mms_db_fail(db, MMS_EINVAL, "%s have no history: only staff and units are "
				 "updated from a day", mms_entities[ch.e].name);
	before old = {0};
	if (rc == MMS_OK && from != MMS_NONE && before_take(&db->m, ch.e, ch.id, &old) != MMS_OK)
		rc = mms_db_fail(db, MMS_ENOMEM, "out of memory");
	if (rc != MMS_OK) {
		before_free(&old);
		return rc;
	}
	mms_mark mark;
	mms_model_mark(&db->m, &mark);
	uint64_t gen = db->m.generation, epoch = db->m.epoch, stamp = db->stamp;
	mms_log log = {0};
	rc = mms_change_stage(db, &ch, given, 0, 0, rep);
	if (rc != MMS_OK && rc != MMS_ENOMEM)
		mms_db_report_failure(db, rep, rc);
	if (rc == MMS_OK && ch.changed && from != MMS_NONE)
		rc = keep_past(db, &ch, code, &old, from);
	before_free(&old);
	/* the rules above imply the network's shape; its own check is the last word */
	if (rc == MMS_OK && ch.changed)
		rc = mms_model_check(&db->m, db->errmsg, sizeof db->errmsg);
	if (rc == MMS_OK && ch.changed && (rc = mms_log_open(&log, db, actor)) == MMS_OK)
		rc = mms_change_write(db, &ch, &log);
	mms_log_close(&log);
	/* the past values kept, and their lines in the history */
	if (rc == MMS_OK && ch.changed && from != MMS_NONE)
		rc = mms_store_write(db->sql, &db->m, &mark, db->errmsg, sizeof db->errmsg);
	if (rc == MMS_OK && ch.changed && from != MMS_NONE)
		rc = mms_log_added(db, &mark, actor);
	/* the file's count of in-place changes moved with this very row: the
	 * handle's model is that state, so its next snapshot stays usable */
	if (rc == MMS_OK && ch.changed)
		rc = mms_store_stamp(db->sql, &db->stamp);
	if (rc == MMS_OK && ch.changed)
		rc = mms_store_exec(db->sql, "COMMIT", db->errmsg, sizeof db->errmsg);
	if (rc != MMS_OK && ch.changed) {
		mms_change_undo(db, &ch);
		mms_model_rollback(&db->m, &mark);
		db->stamp = stamp;
	} else if (rc == MMS_OK && ch.changed) { /* in place: caches follow it from the log */
		db->m.generation = gen;
		db->m.epoch = epoch;
		mms_model_log_change(&db->m, ch.e, ch.id, ch.saved);
	}
	if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory during the update; nothing was changed");
	mms_change_free(&ch);
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
	int32_t from;
	int rc = check_options(db, opts, &o, &from);
	if (rc != MMS_OK)
		return rc;
	if (db->read_only)
		return mms_db_read_only(db);
	mms_report *rep = mms_report_new();
	if (!rep)
		return mms_db_fail(db, MMS_ENOMEM, "out of memory");
	rc = mms_store_exec(db->sql, "BEGIN IMMEDIATE", db->errmsg, sizeof db->errmsg);
	if (rc == MMS_OK) {
		rc = apply(db, code, rec, o.actor, from, rep);
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
