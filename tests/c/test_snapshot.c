/*
 * The columnar snapshot: an open with one reads the same database as an
 * open without, rows added after it are read from the file, a snapshot
 * that is not of this file (another database's, truncated, garbage) is
 * ignored, and the handles that must not write one are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "helpers.h"

typedef struct fixture {
	char *dir, *path, *snap;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	f->path = t_path(f->dir, "db.sqlite");
	f->snap = t_path(f->dir, "db.sqlite-snapshot");
	mms_db *db = t_open(f->path);
	t_import(db, T_SMALL_NETWORK);
	char *staff = t_teachers("T", 200);
	t_import(db, staff);
	free(staff);
	mms_db_close(db);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	t_rmtree(f->dir);
	free(f->path);
	free(f->snap);
	free(f->dir);
	free(f);
	return 0;
}

static char *export_of(const char *path)
{
	mms_db *db = t_open(path);
	char *text;
	T_OK(db, mms_db_export_json(db, &text));
	mms_db_close(db);
	return text;
}

static void write_snapshot(const char *path)
{
	mms_db *db = t_open(path);
	T_OK(db, mms_db_snapshot(db));
	mms_db_close(db);
}

static void an_open_reads_the_snapshot_and_the_rows_after_it(void **state)
{
	fixture *f = *state;
	char *plain = export_of(f->path);
	write_snapshot(f->path);
	char *snap = t_read(f->snap, NULL);
	assert_non_null(snap);
	free(snap);
	char *with = export_of(f->path);
	assert_string_equal(plain, with);
	/* rows appended after it come from the file */
	mms_db *db = t_open(f->path);
	t_import(db, "{\"staff\": [{\"code\": \"LATE\", \"name\": \"L\", \"org\": \"S\", \"role\": \"teacher\"}]}");
	mms_db_close(db);
	char *later = export_of(f->path);
	assert_non_null(strstr(later, "\"LATE\""));
	/* a refused import on a handle read from the snapshot leaves it whole */
	db = t_open(f->path);
	assert_int_equal(mms_db_import_json(db, "{\"staff\": [{\"code\": \"NEW\", \"name\": \"N\", "
					    "\"org\": \"S\", \"role\": \"teacher\"}, {\"code\": \"T5\", "
					    "\"name\": \"dup\", \"org\": \"S\", \"role\": \"teacher\"}]}",
					    NULL, NULL), MMS_EDUP);
	int32_t id;
	assert_int_equal(mms_db_find(db, MMS_STAFF, "NEW", &id), MMS_ENOTFOUND);
	assert_int_equal(t_find(db, MMS_STAFF, "T5"), 6);
	mms_db_close(db);
	remove(f->snap);
	char *later_plain = export_of(f->path);
	assert_string_equal(later, later_plain);
	mms_free(plain);
	mms_free(with);
	mms_free(later);
	mms_free(later_plain);
}

static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *raw;
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
}

static void assert_name(const char *path, const char *code, const char *want)
{
	mms_db *db = t_open(path);
	char *name = t_get(db, MMS_STAFF, t_find(db, MMS_STAFF, code), "name");
	assert_string_equal(name, want);
	free(name);
	mms_db_close(db);
}

/* A row changed behind libmms's back in the middle of the file (neither
 * first nor last, where the snapshot's prefix check looks) is never
 * masked by the snapshot: the file's count of in-place changes moved, so
 * the snapshot is not used; nor when the triggers that keep the count
 * were dropped first. A snapshot written again is used again. */
static void a_row_changed_outside_libmms_is_never_masked_by_the_snapshot(void **state)
{
	fixture *f = *state;
	write_snapshot(f->path);
	raw_sql(f->path, "UPDATE staff SET name = 'Changed' WHERE code = 'T100'");
	assert_name(f->path, "T100", "Changed");
	write_snapshot(f->path);
	assert_name(f->path, "T100", "Changed");
	raw_sql(f->path, "DROP TRIGGER mms_changed_staff_update;"
			 "UPDATE staff SET name = 'Again' WHERE code = 'T101'");
	assert_name(f->path, "T101", "Again");
	write_snapshot(f->path); /* taken, but a file that cannot count is never trusted */
	raw_sql(f->path, "UPDATE staff SET name = 'Third' WHERE code = 'T102'");
	assert_name(f->path, "T102", "Third");
}

/* A snapshot truncated, rewritten in place or replaced while a handle is
 * open changes nothing for that handle: it read the file whole at open. */
static void a_snapshot_changed_under_a_live_handle_does_not_reach_it(void **state)
{
	fixture *f = *state;
	char *plain = export_of(f->path);
	write_snapshot(f->path);
	for (int k = 0; k < 3; k++) {
		mms_db *db = t_open(f->path);
		size_t len = 0;
		char *bytes = t_read(f->snap, &len);
		assert_non_null(bytes);
		FILE *out = fopen(f->snap, k == 2 ? "r+b" : "wb");
		assert_non_null(out);
		if (k == 1) /* another content of the same length */
			for (size_t i = 0; i < len; i++)
				fputc(0x5a, out);
		if (k == 2) { /* one byte in the middle flipped in place */
			fseek(out, (long)(len / 2), SEEK_SET);
			fputc(bytes[len / 2] ^ 0x7f, out);
		}
		fclose(out); /* k == 0: truncated to nothing */
		char *text = NULL;
		T_OK(db, mms_db_export_json(db, &text));
		assert_string_equal(text, plain);
		mms_free(text);
		mms_db_close(db);
		/* and the next open ignores what is there now */
		text = export_of(f->path);
		assert_string_equal(text, plain);
		mms_free(text);
		out = fopen(f->snap, "wb");
		fwrite(bytes, 1, len, out);
		fclose(out);
		free(bytes);
	}
	mms_free(plain);
}

/* Puts len bytes as the snapshot of f's database; an open must ignore them
   and read the same as without a snapshot (plain). */
static void ignored(const fixture *f, const char *bytes, size_t len, const char *plain)
{
	FILE *out = fopen(f->snap, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(bytes, 1, len, out), len);
	assert_int_equal(fclose(out), 0);
	char *seen = export_of(f->path);
	assert_string_equal(plain, seen);
	mms_free(seen);
}

static void a_snapshot_not_of_this_file_is_ignored(void **state)
{
	fixture *f = *state;
	char *plain = export_of(f->path);
	/* another database's snapshot */
	char *other = t_path(f->dir, "other.sqlite"), *other_snap = t_path(f->dir, "other.sqlite-snapshot");
	mms_db *db = t_open(other);
	t_import(db, T_SMALL_NETWORK);
	char *staff = t_teachers("U", 50);
	t_import(db, staff);
	free(staff);
	T_OK(db, mms_db_snapshot(db));
	mms_db_close(db);
	size_t len;
	char *bytes = t_read(other_snap, &len);
	ignored(f, bytes, len, plain);
	free(bytes);
	/* this file's snapshot, truncated, then with a damaged header */
	write_snapshot(f->path);
	bytes = t_read(f->snap, &len);
	ignored(f, bytes, len - 7, plain);
	bytes[0] = 'X';
	ignored(f, bytes, len, plain);
	free(bytes);
	free(other);
	free(other_snap);
	mms_free(plain);
}

static void handles_that_must_not_write_one_are_refused(void **state)
{
	fixture *f = *state;
	mms_db *db = t_open(":memory:");
	assert_int_equal(mms_db_snapshot(db), MMS_EINVAL);
	mms_db_close(db);
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	o.read_only = 1;
	T_OK(db, mms_db_open(&db, f->path, &o));
	assert_int_equal(mms_db_snapshot(db), MMS_EREADONLY);
	mms_db_close(db);
	T_OK(db, mms_db_open_scoped(&db, f->path, NULL, "S"));
	assert_int_equal(mms_db_snapshot(db), MMS_EACCES);
	mms_db_close(db);
	assert_null(t_read(f->snap, NULL));
	assert_int_equal(mms_db_snapshot(NULL), MMS_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(an_open_reads_the_snapshot_and_the_rows_after_it, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_row_changed_outside_libmms_is_never_masked_by_the_snapshot,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_snapshot_changed_under_a_live_handle_does_not_reach_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_snapshot_not_of_this_file_is_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(handles_that_must_not_write_one_are_refused, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
