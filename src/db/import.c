/*
 * Imports and single-record inserts, all or nothing: rows are staged in
 * the model, every rule is checked and every problem reported, and only
 * then is one SQLite transaction written. Any failure rolls both the model
 * and the file back to where they were.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "db.h"
#include "exchange/exchange.h"
#include "store/store.h"

static int stage(mms_ingest *in)
{
	int rc = MMS_OK;
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++)
		rc = mms_ingest_rows(in, e);
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++)
		rc = mms_ingest_fields(in, e);
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++)
		rc = mms_ingest_check(in, e);
	if (rc == MMS_OK && in->report->failed)
		rc = MMS_ENOMEM;
	return rc;
}

int mms_db_report_failure(mms_db *db, const mms_report *r, int rc)
{
	size_t n = mms_report_count(r);
	if (n == 0)
		return mms_db_fail(db, rc, "%s", mms_errstr(rc));
	if (n == 1)
		return mms_db_fail(db, rc, "%s", mms_report_message(r, 0));
	return mms_db_fail(db, rc, "%s (and %zu more problems)", mms_report_message(r, 0),
			   n - 1);
}

/* In upsert mode, stages the changes of the records that matched, after
 * the additions are staged (a change may name a record added). */
static int stage_changes(mms_db *db, mms_upsert *up, mms_ingest *in)
{
	if (in->first_rc != MMS_OK)
		return MMS_OK;
	int first = mms_upsert_stage(up, db, in->report);
	if (first == MMS_ENOMEM)
		return first;
	in->first_rc = first;
	/* the rules above imply the network's shape; its own check is the last word */
	return first == MMS_OK && up->changed
		       ? mms_model_check(&db->m, db->errmsg, sizeof db->errmsg) : MMS_OK;
}

/* Writes what is staged: the rows added, changed and deleted, their
 * history. An input that carries history (hist) brings the rows of its
 * records' additions itself. */
static int write_staged(mms_db *db, const mms_mark *mark, mms_upsert *up,
			const mms_tombs *tombs, mms_doc *hist, const char *actor)
{
	int rc = mms_store_write(db->sql, &db->m, mark, db->errmsg, sizeof db->errmsg);
	if (rc == MMS_OK)
		rc = hist ? mms_history_import(db, hist) : mms_log_added(db, mark, actor);
	if (rc == MMS_OK && up->changed)
		rc = mms_upsert_write(up, db, actor);
	if (rc == MMS_OK && tombs->ndel)
		rc = mms_tombs_write(db, tombs, actor);
	/* rows changed in place moved the file's count: the model is that state */
	if (rc == MMS_OK && (up->changed || tombs->ndel))
		rc = mms_store_stamp(db->sql, &db->stamp);
	return rc == MMS_OK ? mms_store_exec(db->sql, "COMMIT", db->errmsg, sizeof db->errmsg) : rc;
}

static int ingest(mms_db *db, mms_doc *doc, const mms_import_options *o, mms_report *report)
{
	int dry_run = o->dry_run, upsert = o->mode != MMS_IMPORT_ADD, sync = o->mode == MMS_IMPORT_SYNC;
	if (db->read_only && !dry_run)
		return mms_db_read_only(db);
	/* a dry run takes no write lock: it must work on a read-only file */
	int rc = mms_store_exec(db->sql, dry_run ? "BEGIN" : "BEGIN IMMEDIATE", db->errmsg,
				sizeof db->errmsg);
	if (rc != MMS_OK)
		return rc;
	/* Holding the write lock, catch up with anything committed meanwhile
	 * so new ids continue the file's. */
	rc = mms_db_sync(db);
	if (rc == MMS_OK)
		rc = mms_db_scope_ready(db);
	mms_mark mark;
	mms_model_mark(&db->m, &mark);
	uint64_t stamp = db->stamp;
	mms_upsert up = {0};
	mms_sync sy = {0};
	if (rc == MMS_OK && upsert)
		rc = mms_upsert_begin(&up, db, doc, report);
	if (rc == MMS_OK && sync) /* the scope is judged on the database before */
		rc = mms_sync_begin(&sy, db, o->scope, o->year);
	mms_ingest in = {&db->m, upsert ? &up.base : doc, report, up.first_rc, {0}, {0}, NULL, {0}};
	in.routes_before = mark.rows[MMS_ROUTE];
	if (db->scope >= 0) /* what the import's messages may name */
		mms_access_visible(&db->acc, &mark, &in);
	mms_access staged = {0}; /* with a scope: what it lets do once the import is in */
	if (rc == MMS_OK)
		rc = stage(&in);
	if (rc == MMS_OK && in.first_rc == MMS_OK && db->scope >= 0)
		mms_access_check_import(&in, db->scope, &staged);
	if (rc == MMS_OK && upsert)
		rc = stage_changes(db, &up, &in);
	if (rc == MMS_OK && sync && in.first_rc == MMS_OK) {
		int first = mms_sync_stage(&sy, db, &up, &mark, report);
		if (first == MMS_ENOMEM)
			rc = first;
		else
			in.first_rc = first;
	}
	mms_doc *hist = doc->has_history && doc->count(doc, MMS_HISTORY_TABLE) ? doc : NULL;
	if (rc == MMS_OK && hist) { /* checked against the model with the input in it */
		int first = mms_history_check(db, hist, &mark, report);
		if (first == MMS_ENOMEM)
			rc = first;
		else if (in.first_rc == MMS_OK)
			in.first_rc = first;
	}
	if (rc == MMS_OK && in.first_rc != MMS_OK)
		rc = mms_db_report_failure(db, report, in.first_rc);
	if (rc == MMS_OK && sync)
		rc = mms_sync_list(&sy, db, &up, &mark, report);
	if (rc == MMS_OK && !dry_run)
		rc = write_staged(db, &mark, &up, &sy.tombs, hist, o->actor);
	if (rc != MMS_OK || dry_run) {
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
		mms_tombs_revive(db, &sy.tombs);
		if (up.changes)
			mms_upsert_undo(&up, db);
		mms_model_rollback(&db->m, &mark);
		mms_access_free(&staged);
		db->stamp = stamp;
	} else if (up.changed || sy.tombs.ndel) { /* rows changed in place or gone: caches follow them
						     * from the log (tombstones log themselves) */
		mms_access_free(&staged);
		for (size_t k = 0; k < up.staged; k++)
			if (up.changes[k].changed)
				mms_model_log_change(&db->m, up.changes[k].e, up.changes[k].id,
						     up.changes[k].saved);
	} else if (staged.valid) { /* computed on the model as committed: not again */
		mms_access_free(&db->acc);
		db->acc = staged;
	}
	mms_ingest_free(&in);
	mms_upsert_free(&up);
	mms_sync_free(&sy);
	if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory during the import; nothing was changed");
	return rc;
}

static int check_options(mms_db *db, const mms_import_options *opts,
			 mms_import_options *o)
{
	mms_import_options def = MMS_IMPORT_OPTIONS_INIT;
	*o = def;
	o->max_bytes = MMS_IMPORT_MAX_BYTES;
	if (!opts)
		return MMS_OK;
	if (opts->version < 1 || opts->version > MMS_IMPORT_OPTIONS_VERSION)
		return mms_db_fail(db, MMS_EINVAL, "import options version %u is unknown",
				   opts->version);
	/* only the fields the caller's version has: a version 1 struct ends
	 * after dry_run */
	o->format = opts->format;
	o->dry_run = opts->dry_run;
	if (opts->version >= 2) {
		o->mode = opts->mode;
		o->actor = opts->actor;
		if (opts->max_bytes)
			o->max_bytes = opts->max_bytes;
	}
	if (opts->version >= 3) {
		o->scope = opts->scope;
		o->year = opts->year;
	}
	if (o->mode != MMS_IMPORT_ADD && o->mode != MMS_IMPORT_UPSERT &&
	    (o->mode != MMS_IMPORT_SYNC || opts->version < 3))
		return mms_db_fail(db, MMS_EINVAL, "import mode %d is unknown", o->mode);
	return MMS_OK;
}

/* Checks the arguments of an import and starts its report. */
static int begin_import(mms_db *db, const void *input, const mms_import_options *opts,
			mms_import_options *o, mms_report **out, mms_report **rep)
{
	if (out)
		*out = NULL;
	if (!db || !db->sql || !input)
		return MMS_EINVAL;
	mms_db_ok(db);
	int rc = check_options(db, opts, o);
	if (rc == MMS_OK && !(*rep = mms_report_new()))
		rc = mms_db_fail(db, MMS_ENOMEM, "out of memory");
	return rc;
}

static int finish(mms_report *rep, mms_report **out, int rc)
{
	if (out)
		*out = rep;
	else
		mms_report_free(rep);
	return rc;
}

static int import_text(mms_db *db, const char *text, size_t len, const char *name,
		       const mms_import_options *o, mms_report *rep)
{
	mms_doc *doc;
	int rc = mms_json_doc_open(&doc, text, len, name, rep);
	if (rc != MMS_OK)
		return rc == MMS_ENOMEM ? mms_db_fail(db, rc, "out of memory")
					: mms_db_report_failure(db, rep, rc);
	rc = ingest(db, doc, o, rep);
	mms_json_doc_free(doc);
	return rc;
}

int mms_db_import_json(mms_db *db, const char *json, const mms_import_options *opts,
		       mms_report **report)
{
	mms_report *rep;
	mms_import_options o;
	int rc = begin_import(db, json, opts, &o, report, &rep);
	if (rc != MMS_OK)
		return rc;
	return finish(rep, report, import_text(db, json, strlen(json), "json", &o, rep));
}

int mms_db_import(mms_db *db, const char *path, const mms_import_options *opts,
		  mms_report **report)
{
	mms_report *rep;
	mms_import_options o;
	int rc = begin_import(db, path, opts, &o, report, &rep);
	if (rc != MMS_OK)
		return rc;
	struct stat st;
	if (stat(path, &st) != 0) {
		rc = mms_db_fail(db, MMS_EIO, "%s: %s", path, strerror(errno));
		return finish(rep, report, rc);
	}
	int format = o.format;
	if (format == MMS_FORMAT_AUTO)
		format = S_ISDIR(st.st_mode) ? MMS_FORMAT_CSV : MMS_FORMAT_JSON;
	if (format == MMS_FORMAT_CSV) {
		mms_doc *doc;
		rc = mms_csv_doc_open(&doc, path, o.max_bytes, rep);
		if (rc == MMS_OK) {
			rc = ingest(db, doc, &o, rep);
			mms_csv_doc_free(doc);
		} else if (rc == MMS_ENOMEM) {
			mms_db_fail(db, rc, "out of memory");
		} else {
			mms_db_report_failure(db, rep, rc);
		}
		return finish(rep, report, rc);
	}
	if (format != MMS_FORMAT_JSON)
		return finish(rep, report, mms_db_fail(db, MMS_EINVAL, "unknown format %d",
						       format));
	char *text = NULL;
	size_t len = 0;
	rc = mms_read_file_max(path, o.max_bytes, &text, &len);
	if (rc != MMS_OK) {
		const char *why = mms_read_error(rc);
		rc = rc == MMS_ENOTFOUND || rc == MMS_EINVAL ? MMS_EIO : rc;
		if (rc == MMS_ERANGE)
			mms_db_fail(db, rc, "%s: %s of %zu bytes (mms_import_options.max_bytes)",
				    path, why, o.max_bytes);
		else
			mms_db_fail(db, rc, "%s: %s", path, why);
		return finish(rep, report, rc);
	}
	const char *name = strrchr(path, '/');
	rc = import_text(db, text, len, name ? name + 1 : path, &o, rep);
	mms_free(text);
	return finish(rep, report, rc);
}

int mms_db_write_doc(mms_db *db, mms_doc *doc)
{
	mms_report *rep = mms_report_new();
	if (!rep)
		return mms_db_fail(db, MMS_ENOMEM, "out of memory");
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	int rc = ingest(db, doc, &o, rep);
	mms_report_free(rep);
	return rc;
}

int mms_db_insert(mms_db *db, const mms_record *rec, int32_t *out_id)
{
	if (!db || !db->sql || !rec)
		return MMS_EINVAL;
	mms_db_ok(db);
	int e;
	int rc = mms_db_write_doc(db, mms_record_doc(rec, &e));
	if (rc == MMS_OK && out_id)
		*out_id = (int32_t)db->m.t[e].count - 1;
	return rc;
}

/* Readies db for an export: with a key, its pseudonyms; with a scope, only
 * what the handle may read; the history rows the view shows. */
static int export_begin(mms_db *db, const char *key, mms_pseudo *ps, mms_view *v, mms_hist *h)
{
	int rc = mms_db_ready(db);
	char why[120] = "";
	if (rc == MMS_OK && key && (rc = mms_pseudo_init(ps, &db->m, key, why, sizeof why)) != MMS_OK)
		return rc == MMS_EINVAL ? mms_db_fail(db, rc, "the pseudonym key is too weak: it %s; "
						      "make one with `head -c 32 /dev/urandom | base64`",
						      why)
					: mms_db_fail(db, rc, "out of memory exporting");
	if (rc == MMS_OK && (rc = mms_view_init(v, &db->m, key ? ps : NULL,
						db->scope >= 0 ? db->acc.bits : NULL)) != MMS_OK) {
		mms_pseudo_free(ps);
		return mms_db_fail(db, rc, "out of memory exporting");
	}
	if (rc == MMS_OK && (rc = mms_history_export(db, v, h)) != MMS_OK) {
		mms_hist_free(h);
		mms_view_free(v);
		mms_pseudo_free(ps);
		return rc;
	}
	v->hist = h;
	return rc;
}

static void export_end(mms_pseudo *ps, mms_view *v, mms_hist *h)
{
	mms_hist_free(h);
	mms_view_free(v);
	mms_pseudo_free(ps);
}

/* Both exports, plain (key NULL) or pseudonymised. */
static int export_file(mms_db *db, const char *path, const char *key, const mms_export_options *opts)
{
	if (!db || !db->sql || !path)
		return MMS_EINVAL;
	mms_export_options o = MMS_EXPORT_OPTIONS_INIT;
	if (opts) {
		if (opts->version < 1 || opts->version > MMS_EXPORT_OPTIONS_VERSION)
			return mms_db_fail(db, MMS_EINVAL, "export options version %u is unknown",
					   opts->version);
		o = *opts;
	}
	if (o.format != MMS_FORMAT_CSV && o.format != MMS_FORMAT_JSON && o.format != MMS_FORMAT_AUTO)
		return mms_db_fail(db, MMS_EINVAL, "unknown format %d", o.format);
	int rc = mms_db_check_output(db, path);
	if (rc != MMS_OK)
		return rc;
	mms_pseudo ps = {0};
	mms_view v;
	mms_hist h = {0};
	if ((rc = export_begin(db, key, &ps, &v, &h)) != MMS_OK)
		return rc;
	char msg[MMS_ATOMIC_MSG];
	if (o.format == MMS_FORMAT_CSV)
		rc = mms_export_csv_dir(&v, path, o.delimiter ? o.delimiter : ',', msg);
	else
		rc = mms_export_json_file(&v, path, msg);
	export_end(&ps, &v, &h);
	if (rc == MMS_ENOMEM)
		return mms_db_fail(db, rc, "out of memory exporting");
	return rc == MMS_OK ? rc : mms_db_fail(db, rc, "%s: %s", path, *msg ? msg : mms_errstr(rc));
}

static int export_text(mms_db *db, const char *key, char **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	mms_pseudo ps = {0};
	mms_view v;
	mms_hist h = {0};
	int rc = export_begin(db, key, &ps, &v, &h);
	if (rc != MMS_OK)
		return rc;
	if ((rc = mms_export_json_text(&v, out)) != MMS_OK)
		mms_db_fail(db, rc, "out of memory exporting");
	export_end(&ps, &v, &h);
	return rc;
}

int mms_db_export(mms_db *db, const char *path, const mms_export_options *opts)
{
	return export_file(db, path, NULL, opts);
}

int mms_db_export_json(mms_db *db, char **out)
{
	return export_text(db, NULL, out);
}

int mms_db_export_pseudonymised(mms_db *db, const char *path, const char *key,
				const mms_export_options *opts)
{
	return key ? export_file(db, path, key, opts) : MMS_EINVAL;
}

int mms_db_export_json_pseudonymised(mms_db *db, const char *key, char **out)
{
	if (out)
		*out = NULL;
	return key ? export_text(db, key, out) : MMS_EINVAL;
}
