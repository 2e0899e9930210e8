/* The database handle: records built through the API, reading fields back,
 * persistence, several handles on one file, busy files, read-only handles. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

typedef struct fixture {
	char *dir, *path;
	mms_db *db;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	f->path = t_path(f->dir, "db.sqlite");
	f->db = t_open(f->path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	mms_db_close(f->db);
	t_rmtree(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

static void add_basics(mms_db *db)
{
	T_OK(db, t_insert(db, MMS_UNIT, NULL, "code", "REG", "name", "ИРО", "level", "regional",
			  "kind", "institute", "directions", "analytical|consulting", NULL));
	T_OK(db, t_insert(db, MMS_UNIT, NULL, "code", "MUN", "name", "ЦРПК", "level", "municipal",
			  "kind", "municipal_service", "parent", "REG", NULL));
	T_OK(db, t_insert(db, MMS_UNIT, NULL, "code", "S1", "name", "Школа \"Гармония\"\nкорпус 2",
			  "level", "institutional", "kind", "school", "parent", "MUN",
			  "rural", "true", NULL));
}

static void inserted_records_read_back_as_text(void **state)
{
	fixture *f = *state;
	add_basics(f->db);
	int32_t id = -1;
	T_OK(f->db, t_insert(f->db, MMS_STAFF, &id, "code", "T1", "name", "Иванова", "org", "S1",
			     "role", "teacher", "birth_date", "14.03.1990", "work_start",
			     "2012-09-01", "subjects", "математика|физика", NULL));
	assert_int_equal(id, 0);
	char *v = t_get(f->db, MMS_STAFF, id, "birth_date");
	assert_string_equal(v, "1990-03-14"); /* DD.MM.YYYY accepted, ISO returned */
	mms_free(v);
	v = t_get(f->db, MMS_STAFF, id, "org");
	assert_string_equal(v, "S1");
	mms_free(v);
	v = t_get(f->db, MMS_STAFF, id, "subjects");
	assert_string_equal(v, "математика|физика");
	mms_free(v);
	v = t_get(f->db, MMS_STAFF, id, "part_time");
	assert_string_equal(v, "false");
	mms_free(v);
	assert_null(t_get(f->db, MMS_STAFF, id, "category")); /* absent */
	v = t_get(f->db, MMS_UNIT, t_find(f->db, MMS_UNIT, "REG"), "directions");
	assert_string_equal(v, "analytical|consulting");
	mms_free(v);
	size_t n;
	T_OK(f->db, mms_db_count(f->db, MMS_UNIT, &n));
	assert_int_equal(n, 3);
}

static void insert_refuses_a_bad_field_and_changes_nothing(void **state)
{
	fixture *f = *state;
	add_basics(f->db);
	int32_t id = 99;
	int rc = t_insert(f->db, MMS_STAFF, &id, "code", "T1", "name", "X", "org", "NOPE",
			  "role", "teacher", NULL);
	assert_int_equal(rc, MMS_EREF);
	assert_int_equal(id, 99);
	assert_non_null(strstr(mms_db_errmsg(f->db), "staff.org"));
	assert_non_null(strstr(mms_db_errmsg(f->db), "\"NOPE\""));
	size_t n;
	T_OK(f->db, mms_db_count(f->db, MMS_STAFF, &n));
	assert_int_equal(n, 0);
	/* The failed code is free for a correct record afterwards. */
	T_OK(f->db, t_insert(f->db, MMS_STAFF, &id, "code", "T1", "name", "X", "org", "S1",
			     "role", "teacher", NULL));
	assert_int_equal(id, 0);
}

static void records_survive_reopening(void **state)
{
	fixture *f = *state;
	add_basics(f->db);
	mms_db_close(f->db);
	f->db = t_open(f->path);
	int32_t s1 = t_find(f->db, MMS_UNIT, "S1");
	char *name = t_get(f->db, MMS_UNIT, s1, "name");
	assert_string_equal(name, "Школа \"Гармония\"\nкорпус 2");
	mms_free(name);
	char *rural = t_get(f->db, MMS_UNIT, s1, "rural");
	assert_string_equal(rural, "true");
	mms_free(rural);
}

static void a_second_handle_sees_committed_changes(void **state)
{
	fixture *f = *state;
	mms_db *other = t_open(f->path);
	size_t n;
	T_OK(other, mms_db_count(other, MMS_UNIT, &n));
	assert_int_equal(n, 0);
	add_basics(f->db);
	T_OK(other, mms_db_count(other, MMS_UNIT, &n)); /* refreshes by itself */
	assert_int_equal(n, 3);
	/* Writing through the second handle continues the ids of the file. */
	int32_t id;
	T_OK(other, t_insert(other, MMS_UNIT, &id, "code", "S2", "name", "Школа 2", "level",
			     "institutional", "kind", "school", "parent", "MUN", NULL));
	assert_int_equal(id, 3);
	T_OK(f->db, mms_db_count(f->db, MMS_UNIT, &n));
	assert_int_equal(n, 4);
	mms_db_close(other);
}

static void read_only_handles_refuse_writes(void **state)
{
	fixture *f = *state;
	add_basics(f->db);
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	o.read_only = 1;
	mms_db *ro = NULL;
	T_OK(ro, mms_db_open(&ro, f->path, &o));
	assert_int_equal(t_insert(ro, MMS_UNIT, NULL, "code", "X", "name", "X", "level",
				  "municipal", "kind", "community", NULL),
			 MMS_EREADONLY);
	assert_non_null(strstr(mms_db_errmsg(ro), "read-only"));
	size_t n;
	T_OK(ro, mms_db_count(ro, MMS_UNIT, &n));
	assert_int_equal(n, 3);
	mms_db_close(ro);
}

static void lookups_fail_with_specific_codes(void **state)
{
	fixture *f = *state;
	add_basics(f->db);
	int32_t id;
	char *v = NULL;
	assert_int_equal(mms_db_find(f->db, MMS_UNIT, "NOPE", &id), MMS_ENOTFOUND);
	assert_non_null(strstr(mms_db_errmsg(f->db), "NOPE"));
	assert_int_equal(mms_db_find(f->db, MMS_LINK, "X", &id), MMS_EINVAL);
	assert_int_equal(mms_db_get(f->db, MMS_UNIT, 42, "name", &v), MMS_ENOTFOUND);
	assert_int_equal(mms_db_get(f->db, MMS_UNIT, 0, "colour", &v), MMS_EINVAL);
	assert_int_equal(mms_db_get(f->db, MMS_ENTITY_COUNT, 0, "name", &v), MMS_EINVAL);
	assert_null(v);
	mms_record *r;
	assert_int_equal(mms_record_new(&r, MMS_UNIT), MMS_OK);
	assert_int_equal(mms_record_set(r, "colour", "red"), MMS_EINVAL);
	mms_record_free(r);
	assert_int_equal(mms_record_new(&r, 42), MMS_EINVAL);
}

static void opening_a_foreign_file_is_refused(void **state)
{
	fixture *f = *state;
	char *p = t_path(f->dir, "not.sqlite");
	t_write(p, "this is not a database at all, just text that is long enough....."
		   "................................................................");
	mms_db *db = NULL;
	int rc = mms_db_open(&db, p, NULL);
	assert_int_equal(rc, MMS_ECORRUPT);
	assert_true(strlen(mms_db_errmsg(db)) > 0);
	mms_db_close(db);
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	o.no_create = 1;
	char *missing = t_path(f->dir, "missing.sqlite");
	assert_int_not_equal(mms_db_open(&db, missing, &o), MMS_OK);
	mms_db_close(db);
	o.version = 99;
	assert_int_equal(mms_db_open(&db, missing, &o), MMS_EINVAL);
	mms_db_close(db);
	mms_db_close(NULL);
	free(p);
	free(missing);
}

/* Another connection holds the write lock for a while, then lets go. */
typedef struct locker {
	const char *path;
	int hold_ms;
	sqlite3 *sql;
} locker;

static void *hold_lock(void *arg)
{
	locker *l = arg;
	usleep((useconds_t)l->hold_ms * 1000);
	sqlite3_exec(l->sql, "COMMIT", NULL, NULL, NULL);
	return NULL;
}

static int write_while_locked(const char *path, int hold_ms, int timeout_ms)
{
	locker l = {path, hold_ms, NULL};
	assert_int_equal(sqlite3_open(path, &l.sql), SQLITE_OK);
	assert_int_equal(sqlite3_exec(l.sql, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, hold_lock, &l), 0);
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	o.busy_timeout_ms = timeout_ms;
	mms_db *db = NULL;
	T_OK(db, mms_db_open(&db, path, &o));
	int rc = t_insert(db, MMS_UNIT, NULL, "code", "BUSY", "name", "X", "level", "municipal",
			  "kind", "community", NULL);
	if (rc == MMS_EBUSY)
		assert_true(strlen(mms_db_errmsg(db)) > 0);
	mms_db_close(db);
	pthread_join(t, NULL);
	sqlite3_close(l.sql);
	return rc;
}

static void a_locked_file_is_waited_for_within_the_timeout(void **state)
{
	fixture *f = *state;
	add_basics(f->db);
	/* held 200 ms, waited up to 5 s: the insert goes through */
	assert_int_equal(write_while_locked(f->path, 200, 5000), MMS_OK);
	/* held 600 ms, waited 50 ms: a clear MMS_EBUSY, and nothing written */
	int rc = write_while_locked(f->path, 600, 50);
	assert_int_equal(rc, MMS_EBUSY);
	size_t n;
	T_OK(f->db, mms_db_count(f->db, MMS_UNIT, &n));
	assert_int_equal(n, 4);
}

/* A file written by libmms 0.1 (schema 1) is upgraded when opened. */
static void a_schema_1_file_is_migrated_and_keeps_its_data(void **state)
{
	fixture *f = *state;
	mms_db_close(f->db);
	f->db = NULL;
	char *old = t_path(f->dir, "v1.sqlite");
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(old, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw,
		"CREATE TABLE units(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
		" level TEXT NOT NULL, kind TEXT NOT NULL, parent INTEGER, territory TEXT,"
		" rural INTEGER NOT NULL DEFAULT 0, directions TEXT, site_level TEXT);"
		"CREATE TABLE links(id INTEGER PRIMARY KEY, kind TEXT, \"from\" INTEGER, \"to\" INTEGER,"
		" start TEXT, \"end\" TEXT, note TEXT);"
		"CREATE TABLE staff(id INTEGER PRIMARY KEY, code TEXT, name TEXT, org INTEGER, role TEXT,"
		" position TEXT, birth_date TEXT, work_start TEXT, category TEXT, edu_level TEXT,"
		" subjects TEXT, part_time INTEGER NOT NULL DEFAULT 0);"
		"CREATE TABLE staff_links(id INTEGER PRIMARY KEY, kind TEXT, staff INTEGER, unit INTEGER,"
		" target_staff INTEGER, start TEXT, \"end\" TEXT);"
		"CREATE TABLE activities(id INTEGER PRIMARY KEY, code TEXT, name TEXT, kind TEXT, level TEXT,"
		" organizer INTEGER, provider INTEGER, hours INTEGER, federal_register INTEGER NOT NULL"
		" DEFAULT 0, format TEXT, start TEXT, \"end\" TEXT);"
		"CREATE TABLE participations(id INTEGER PRIMARY KEY, activity INTEGER, staff INTEGER,"
		" unit INTEGER, role TEXT, result TEXT, peer INTEGER, hours INTEGER, score INTEGER,"
		" start TEXT, \"end\" TEXT, completed INTEGER NOT NULL DEFAULT 0);"
		"INSERT INTO units(id, code, name, level, kind, directions) VALUES"
		" (0, 'M', 'ММС', 'municipal', 'municipal_service', 'analytical|consulting');"
		"PRAGMA user_version=1; PRAGMA application_id=1296913201;", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(raw);
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	o.read_only = 1;
	mms_db *db = NULL;
	assert_int_equal(mms_db_open(&db, old, &o), MMS_EVERSION); /* cannot upgrade read-only */
	assert_non_null(strstr(mms_db_errmsg(db), "schema version 1 must be upgraded"));
	mms_db_close(db);
	db = t_open(old);
	char *dirs = t_get(db, MMS_UNIT, t_find(db, MMS_UNIT, "M"), "directions");
	assert_string_equal(dirs, "analytical|consulting");
	mms_free(dirs);
	int32_t id;
	T_OK(db, t_insert(db, MMS_TARGET, &id, "indicator", "murom.P5", "unit", "M", "year", "2024",
			  "value", "72,5", NULL));
	char *v = t_get(db, MMS_TARGET, id, "value");
	assert_string_equal(v, "72.5");
	mms_free(v);
	mms_db_close(db);
	free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(inserted_records_read_back_as_text, setup, teardown),
		cmocka_unit_test_setup_teardown(insert_refuses_a_bad_field_and_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(records_survive_reopening, setup, teardown),
		cmocka_unit_test_setup_teardown(a_second_handle_sees_committed_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(read_only_handles_refuse_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(a_locked_file_is_waited_for_within_the_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(a_schema_1_file_is_migrated_and_keeps_its_data, setup, teardown),
		cmocka_unit_test_setup_teardown(lookups_fail_with_specific_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(opening_a_foreign_file_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
