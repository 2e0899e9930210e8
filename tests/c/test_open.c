/*
 * Opening changes nothing until the file is known to be a libmms database
 * of a schema this build reads: a foreign SQLite file, a newer schema, an
 * empty file given to a read, a missing path, are refused and left byte
 * for byte as they were (no -wal, no journal mode change, no migration).
 * An older schema is read as it is by a read-only open. A file changed
 * outside libmms into an impossible shape is refused naming the record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "helpers.h"
#include "store/store.h" /* MMS_SCHEMA_VERSION: the version a writable open upgrades to */

static void raw(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static int exists(const char *dir, const char *name)
{
	char *p = t_path(dir, name);
	struct stat st;
	int yes = stat(p, &st) == 0;
	free(p);
	return yes;
}

/* Opens path every way (writable, no_create, read-only) and asserts each
 * is refused with rc, the file unchanged and nothing made beside it. */
static void refused_untouched(const char *dir, const char *name, int rc, const char *why)
{
	char *path = t_path(dir, name);
	size_t before_len = 0, after_len = 0;
	char *before = t_read(path, &before_len);
	for (int how = 0; how < 3; how++) {
		mms_open_options o = MMS_OPEN_OPTIONS_INIT;
		o.no_create = how == 1;
		o.read_only = how == 2;
		mms_db *db = NULL;
		int got = mms_db_open(&db, path, &o);
		if (got != rc || !strstr(mms_db_errmsg(db), why))
			fail_msg("%s (open %d): %d %s", name, how, got, mms_db_errmsg(db));
		mms_db_close(db);
		char *after = t_read(path, &after_len);
		assert_true((before == NULL) == (after == NULL));
		if (before) {
			assert_int_equal(before_len, after_len);
			assert_memory_equal(before, after, before_len);
		}
		free(after);
		char wal[256], shm[256];
		snprintf(wal, sizeof wal, "%s-wal", name);
		snprintf(shm, sizeof shm, "%s-shm", name);
		assert_false(exists(dir, wal));
		assert_false(exists(dir, shm));
	}
	free(before);
	free(path);
}

static void files_that_are_not_ours_are_refused_and_left_as_they_were(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *p;
	p = t_path(dir, "foreign.sqlite"); /* a rollback-journal file of another program */
	raw(p, "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES('keep me')");
	free(p);
	refused_untouched(dir, "foreign.sqlite", MMS_ECORRUPT, "not a libmms database");
	p = t_path(dir, "newer.sqlite");
	raw(p, "CREATE TABLE units(id INTEGER PRIMARY KEY); PRAGMA application_id=1296913201;"
	       "PRAGMA user_version=99");
	free(p);
	refused_untouched(dir, "newer.sqlite", MMS_EVERSION, "newer than this libmms");
	p = t_path(dir, "text.sqlite");
	t_write(p, "SQLite format 3? no: a text file long enough to have a header..........."
		   "..........................................................................");
	free(p);
	refused_untouched(dir, "text.sqlite", MMS_ECORRUPT, "not a libmms database");
	t_rmtree(dir);
	free(dir);
}

/* A reading open never creates: a missing path stays missing, an empty
 * file stays empty; only an open that may create initialises them. */
static void a_reading_open_never_creates_a_database(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *missing = t_path(dir, "missing.sqlite");
	char *empty = t_path(dir, "empty.sqlite");
	t_write(empty, "");
	for (int how = 1; how < 3; how++) {
		mms_open_options o = MMS_OPEN_OPTIONS_INIT;
		o.no_create = how == 1;
		o.read_only = how == 2;
		mms_db *db = NULL;
		assert_int_equal(mms_db_open(&db, missing, &o), MMS_EIO);
		assert_non_null(strstr(mms_db_errmsg(db), "no such database"));
		mms_db_close(db);
		assert_false(exists(dir, "missing.sqlite"));
		assert_int_equal(mms_db_open(&db, empty, &o), MMS_ECORRUPT);
		assert_non_null(strstr(mms_db_errmsg(db), "the file is empty"));
		mms_db_close(db);
		size_t len = 1;
		free(t_read(empty, &len));
		assert_int_equal(len, 0);
	}
	mms_db *db = NULL;
	T_OK(db, mms_db_open(&db, empty, NULL)); /* may create: a new database */
	mms_db_close(db);
	t_rmtree(dir);
	free(dir);
	free(missing);
	free(empty);
}

/* A schema-2 file (before the change counter and the resources' fit) is
 * read as it is by a read-only open, without its snapshot and without being
 * upgraded (the missing columns read as absent); a writable open upgrades it. */
static void an_older_schema_is_read_as_it_is_when_read_only(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "v2.sqlite");
	mms_db *db = t_open(path);
	t_import(db, T_SMALL_NETWORK);
	mms_db_close(db);
	/* as schema 2 had it: no change counter, no history, no columns of schemas 5 and 7, no
	 * tombstones, and none of the tables and columns of schemas 8 to 12 */
	raw(path, "ALTER TABLE resources DROP COLUMN subjects; "
		  "ALTER TABLE resources DROP COLUMN edu_levels; ALTER TABLE resources DROP COLUMN "
		  "positions; ALTER TABLE resources DROP COLUMN categories; ALTER TABLE resources "
		  "DROP COLUMN min_experience; ALTER TABLE resources DROP COLUMN max_experience; "
		  "ALTER TABLE routes DROP COLUMN high_below; ALTER TABLE routes DROP COLUMN "
		  "medium_up_to; "
		  "ALTER TABLE routes DROP COLUMN developer; ALTER TABLE routes DROP COLUMN "
		  "developer_unit; ALTER TABLE routes DROP COLUMN developed_on; ALTER TABLE routes "
		  "DROP COLUMN agreed_by; ALTER TABLE routes DROP COLUMN agreed_on; ALTER TABLE "
		  "routes DROP COLUMN approved_by; ALTER TABLE routes DROP COLUMN approved_on; "
		  "ALTER TABLE routes DROP COLUMN acknowledged_on; "
		  "ALTER TABLE staff DROP COLUMN person; ALTER TABLE staff DROP COLUMN employment; "
		  "DROP TABLE past_values; ALTER TABLE activities DROP COLUMN purpose; "
		  "DROP TABLE route_deficits; DROP TABLE diagnostic_sessions; "
		  "ALTER TABLE diagnostics DROP COLUMN session; ALTER TABLE diagnostics DROP COLUMN task; "
		  "ALTER TABLE route_steps DROP COLUMN pair; DROP TABLE mentoring_pairs; "
		  "DROP TABLE route_revisions; "
		  "DROP TABLE mms_meta; DROP TABLE mms_history; DROP TABLE mms_deleted; PRAGMA user_version=2; PRAGMA journal_mode=DELETE");
	{
		sqlite3 *s;
		assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(s, "SELECT name FROM sqlite_schema WHERE type = "
						    "'trigger'", -1, &st, NULL), SQLITE_OK);
		char drops[8192] = "";
		while (sqlite3_step(st) == SQLITE_ROW) {
			strcat(drops, "DROP TRIGGER \"");
			strcat(drops, (const char *)sqlite3_column_text(st, 0));
			strcat(drops, "\";");
		}
		sqlite3_finalize(st);
		assert_int_equal(sqlite3_exec(s, drops, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(s);
	}
	size_t len_before = 0, len_after = 0;
	char *before = t_read(path, &len_before);
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	o.read_only = 1;
	T_OK(db, mms_db_open(&db, path, &o));
	size_t n = 0;
	T_OK(db, mms_db_count(db, MMS_UNIT, &n));
	assert_int_equal(n, 2);
	mms_db_close(db);
	char *after = t_read(path, &len_after);
	assert_int_equal(len_before, len_after);
	assert_memory_equal(before, after, len_before);
	T_OK(db, mms_db_open(&db, path, NULL)); /* upgraded by a writable open */
	mms_db_close(db);
	/* at the version of a file this build creates, whatever its number */
	char fresh[4096];
	snprintf(fresh, sizeof fresh, "%s/fresh.sqlite", dir);
	T_OK(db, mms_db_open(&db, fresh, NULL));
	mms_db_close(db);
	int versions[2];
	const char *paths[2] = {path, fresh};
	for (int i = 0; i < 2; i++) {
		sqlite3 *s;
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_open(paths[i], &s), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(s, "PRAGMA user_version", -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		versions[i] = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		sqlite3_close(s);
	}
	assert_int_equal(versions[0], versions[1]);
	assert_true(versions[0] > 2);
	free(before);
	free(after);
	t_rmtree(dir);
	free(dir);
	free(path);
}

/* A parent changed by raw SQL into a cycle, or onto an impossible level,
 * is refused at open with MMS_ECORRUPT naming the unit, with or without a
 * snapshot, and never sends a walk up the hierarchy in circles. */
static void a_file_changed_into_an_impossible_shape_is_refused_naming_the_record(void **state)
{
	(void)state;
	static const char *const changes[] = {
		"UPDATE units SET parent = (SELECT id FROM units WHERE code = 'A2')"
		" WHERE code = 'A1'",
		"UPDATE units SET parent = (SELECT id FROM units WHERE code = 'S') WHERE code = 'M'",
		"UPDATE units SET parent = id WHERE code = 'A1'"};
	static const char *const why[] = {"its own ancestor", "impossible level", "its own ancestor"};
	for (int k = 0; k < 3; k++)
		for (int snap = 0; snap < 2; snap++) {
			char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite");
			mms_db *db = t_open(path);
			t_import(db, T_SMALL_NETWORK);
			t_import(db, "{\"units\": [{\"code\": \"A1\", \"name\": \"A1\", \"level\": "
				     "\"municipal\", \"kind\": \"municipal_association\", \"parent\": \"M\"},"
				     "{\"code\": \"A2\", \"name\": \"A2\", \"level\": \"municipal\", "
				     "\"kind\": \"creative_group\", \"parent\": \"A1\"}]}");
			if (snap)
				T_OK(db, mms_db_snapshot(db));
			mms_db_close(db);
			raw(path, changes[k]);
			db = NULL;
			assert_int_equal(mms_db_open(&db, path, NULL), MMS_ECORRUPT);
			if (!strstr(mms_db_errmsg(db), why[k]) || !strstr(mms_db_errmsg(db), "unit \""))
				fail_msg("change %d: %s", k, mms_db_errmsg(db));
			mms_db_close(db);
			t_rmtree(dir);
			free(dir);
			free(path);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(files_that_are_not_ours_are_refused_and_left_as_they_were),
		cmocka_unit_test(a_reading_open_never_creates_a_database),
		cmocka_unit_test(an_older_schema_is_read_as_it_is_when_read_only),
		cmocka_unit_test(a_file_changed_into_an_impossible_shape_is_refused_naming_the_record),
	};
	return cmocka_run_group_tests_name("open", tests, NULL, NULL);
}
