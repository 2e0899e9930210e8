/*
 * Updates of records with a code: the same rules as an import (the record
 * and every record that refers to it), all or nothing, the history of every
 * change, and caches, snapshots and other handles following the change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "helpers.h"

/* A region R, a municipal service M under it with a school S, a methodist X
   supporting S, a teacher T in S who joined in 2025, and a course C that T
   takes in 2025 while X took it in 2024. */
static const char network[] =
	"{\"units\": [{\"code\": \"R\", \"name\": \"R\", \"level\": \"regional\", \"kind\": \"institute\"},"
	"{\"code\": \"M\", \"name\": \"M\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\"},"
	"{\"code\": \"S\", \"name\": \"Школа\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}],"
	"\"staff\": [{\"code\": \"X\", \"name\": \"X\", \"org\": \"M\", \"role\": \"methodist\", \"category\": \"first\"},"
	"{\"code\": \"T\", \"name\": \"Анна\", \"org\": \"S\", \"role\": \"teacher\", \"position\": \"учитель\","
	" \"category\": \"first\", \"work_start\": \"2025-01-10\"}],"
	"\"staff_links\": [{\"kind\": \"supports\", \"staff\": \"X\", \"unit\": \"S\"}],"
	"\"activities\": [{\"code\": \"C\", \"name\": \"Курс\", \"kind\": \"course\", \"hours\": 36}],"
	"\"participations\": [{\"activity\": \"C\", \"staff\": \"X\", \"role\": \"participant\", \"start\": \"2024-03-01\", \"end\": \"2024-03-20\"},"
	"{\"activity\": \"C\", \"staff\": \"T\", \"role\": \"participant\", \"start\": \"2025-03-01\", \"end\": \"2025-03-20\"}]}";

typedef struct fixture {
	char *dir, *path;
	mms_db *db;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	f->path = t_path(f->dir, "u.sqlite");
	f->db = t_open(f->path);
	t_import(f->db, network);
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

/* A field of the record with a code, as text ("" when absent). */
static char *field(mms_db *db, int e, const char *code, const char *name)
{
	char *v = t_get(db, e, t_find(db, e, code), name);
	return v ? v : strdup("");
}

static void assert_field(mms_db *db, int e, const char *code, const char *name, const char *want)
{
	char *v = field(db, e, code, name);
	if (strcmp(v, want))
		fail_msg("%s %s.%s is \"%s\", want \"%s\"", mms_entity_name(e), code, name, v, want);
	free(v);
}

static int update(mms_db *db, int e, const char *code, const char *const *pairs)
{
	mms_update_options o = MMS_UPDATE_OPTIONS_INIT;
	o.actor = "tester";
	return mms_db_update(db, e, code, pairs, &o, NULL);
}

static void an_update_changes_the_fields_named_and_keeps_the_others(void **state)
{
	fixture *f = *state;
	const char *pairs[] = {"category", "highest", "position", "", "subjects", "физика|химия", NULL};
	T_OK(f->db, update(f->db, MMS_STAFF, "T", pairs));
	assert_field(f->db, MMS_STAFF, "T", "category", "highest");
	assert_field(f->db, MMS_STAFF, "T", "position", ""); /* "" clears */
	assert_field(f->db, MMS_STAFF, "T", "subjects", "физика|химия");
	assert_field(f->db, MMS_STAFF, "T", "name", "Анна");
	assert_field(f->db, MMS_STAFF, "T", "org", "S");
	assert_field(f->db, MMS_STAFF, "T", "work_start", "2025-01-10");
	/* another handle, and the file opened again, see the change */
	mms_db *other = t_open(f->path);
	assert_field(other, MMS_STAFF, "T", "category", "highest");
	const char *back[] = {"category", "first", NULL};
	T_OK(other, update(other, MMS_STAFF, "T", back));
	mms_db_close(other);
	assert_field(f->db, MMS_STAFF, "T", "category", "first");
}

/* The record's own rules: each refusal names the record and field, and the
   database is as it was, in the handle and in the file. */
static void a_refused_update_changes_nothing_and_names_every_problem(void **state)
{
	fixture *f = *state;
	char *before = NULL, *after = NULL;
	T_OK(f->db, mms_db_export_json(f->db, &before));
	const char *bad[] = {"category", "grand", "birth_date", "2020-01-01", "org", "NOPE", NULL};
	mms_report *r = NULL;
	int rc = mms_db_update(f->db, MMS_STAFF, "T", bad, NULL, &r);
	assert_int_equal(rc, MMS_EREF); /* the first problem, in field order */
	assert_int_equal(mms_report_count(r), 2); /* the category and the org; the date is a date */
	assert_string_equal(mms_report_location(r, 0), "staff/T/org");
	assert_string_equal(mms_report_location(r, 1), "staff/T/category");
	assert_non_null(strstr(mms_db_errmsg(f->db), "NOPE"));
	mms_report_free(r);
	/* a rule across fields: born after starting work */
	const char *young[] = {"birth_date", "2020-01-01", NULL};
	assert_int_equal(update(f->db, MMS_STAFF, "T", young), MMS_ERANGE);
	assert_non_null(strstr(mms_db_errmsg(f->db), "staff/T/work_start"));
	/* a required field cannot be cleared */
	const char *noname[] = {"name", NULL, NULL};
	assert_int_equal(update(f->db, MMS_STAFF, "T", noname), MMS_EMISSING);
	assert_non_null(strstr(mms_db_errmsg(f->db), "name is required"));
	T_OK(f->db, mms_db_export_json(f->db, &after));
	assert_string_equal(before, after);
	mms_free(after);
	mms_db *other = t_open(f->path);
	T_OK(other, mms_db_export_json(other, &after));
	assert_string_equal(before, after);
	mms_db_close(other);
	mms_free(after);
	mms_free(before);
}

/* Records that refer to the one changed are checked again: a unit's
   children, the staff in it, links to it, staff links of a person. */
static void an_update_that_breaks_a_record_referring_to_it_is_refused(void **state)
{
	fixture *f = *state;
	/* R becomes a school: M, a municipal unit, would stand under an
	   institutional one */
	const char *school[] = {"level", "institutional", "kind", "school", NULL};
	assert_int_equal(update(f->db, MMS_UNIT, "R", school), MMS_ELEVEL);
	assert_non_null(strstr(mms_db_errmsg(f->db), "units/M/parent"));
	/* S becomes a subunit group: T's org may not be a subunit
	   (and S itself may not stand under M): both are reported */
	const char *group[] = {"level", "subunit", "kind", "creative_group", NULL};
	mms_report *r = NULL;
	assert_int_equal(mms_db_update(f->db, MMS_UNIT, "S", group, NULL, &r), MMS_ELEVEL);
	assert_int_equal(mms_report_count(r), 2);
	assert_string_equal(mms_report_location(r, 0), "units/S/parent");
	assert_string_equal(mms_report_location(r, 1), "staff/T/org");
	mms_report_free(r);
	/* X stops being a methodist: X's supports link is broken */
	const char *teacher[] = {"role", "teacher", NULL};
	assert_int_equal(update(f->db, MMS_STAFF, "X", teacher), MMS_ETYPE);
	assert_non_null(strstr(mms_db_errmsg(f->db), "staff_links/0/staff"));
	/* C becomes a competition: it needs a level */
	const char *contest[] = {"kind", "competition", NULL};
	assert_int_equal(update(f->db, MMS_ACTIVITY, "C", contest), MMS_EMISSING);
	assert_field(f->db, MMS_UNIT, "R", "kind", "institute");
	assert_field(f->db, MMS_STAFF, "X", "role", "methodist");
}

static void an_update_that_would_close_a_cycle_is_refused(void **state)
{
	fixture *f = *state;
	const char *loop[] = {"parent", "S", NULL};
	int rc = update(f->db, MMS_UNIT, "R", loop);
	assert_true(rc == MMS_ECYCLE || rc == MMS_ELEVEL);
	const char *self[] = {"parent", "M", NULL};
	assert_int_equal(update(f->db, MMS_UNIT, "M", self), MMS_ECYCLE);
	assert_field(f->db, MMS_UNIT, "M", "parent", "R");
}

static void what_no_update_may_do_is_refused_with_its_reason(void **state)
{
	fixture *f = *state;
	const char *recode[] = {"code", "T2", NULL};
	assert_int_equal(update(f->db, MMS_STAFF, "T", recode), MMS_EINVAL);
	assert_non_null(strstr(mms_db_errmsg(f->db), "cannot be changed"));
	const char *unknown[] = {"shoe_size", "42", NULL};
	assert_int_equal(update(f->db, MMS_STAFF, "T", unknown), MMS_EINVAL);
	assert_non_null(strstr(mms_db_errmsg(f->db), "shoe_size"));
	const char *ok[] = {"category", "highest", NULL};
	assert_int_equal(update(f->db, MMS_STAFF, "NOBODY", ok), MMS_ENOTFOUND);
	assert_int_equal(update(f->db, MMS_PARTICIPATION, "0", ok), MMS_EINVAL);
	mms_update_options o = MMS_UPDATE_OPTIONS_INIT;
	o.from = "2025-09-31";
	assert_int_equal(mms_db_update(f->db, MMS_STAFF, "T", ok, &o, NULL), MMS_EINVAL);
	o.from = NULL;
	o.version = 99;
	assert_int_equal(mms_db_update(f->db, MMS_STAFF, "T", ok, &o, NULL), MMS_EINVAL);
	mms_open_options ro = MMS_OPEN_OPTIONS_INIT;
	ro.read_only = 1;
	mms_db *r = NULL;
	T_OK(r, mms_db_open(&r, f->path, &ro));
	assert_int_equal(update(r, MMS_STAFF, "T", ok), MMS_EREADONLY);
	mms_db_close(r);
	assert_field(f->db, MMS_STAFF, "T", "category", "first");
}

/* One row per addition and per changed field, with when and who. */
static void every_change_is_in_the_history_with_old_and_new_values(void **state)
{
	fixture *f = *state;
	const char *one[] = {"category", "highest", "position", "", NULL};
	T_OK(f->db, update(f->db, MMS_STAFF, "T", one));
	T_OK(f->db, update(f->db, MMS_STAFF, "T", one)); /* the same again: nothing to record */
	const char *two[] = {"part_time", "true", NULL};
	T_OK(f->db, mms_db_update(f->db, MMS_STAFF, "T", two, NULL, NULL));
	mms_history *h = NULL;
	T_OK(f->db, mms_db_history(f->db, MMS_STAFF, "T", &h));
	assert_int_equal(mms_history_count(h), 4);
	assert_null(mms_history_field(h, 0)); /* added by the import */
	assert_string_equal(mms_history_actor(h, 0), "");
	assert_string_equal(mms_history_field(h, 1), "position");
	assert_string_equal(mms_history_old(h, 1), "учитель");
	assert_null(mms_history_new(h, 1));
	assert_string_equal(mms_history_actor(h, 1), "tester");
	assert_string_equal(mms_history_field(h, 2), "category");
	assert_string_equal(mms_history_old(h, 2), "first");
	assert_string_equal(mms_history_new(h, 2), "highest");
	assert_string_equal(mms_history_old(h, 3), "false");
	assert_string_equal(mms_history_new(h, 3), "true");
	const char *at = mms_history_at(h, 3);
	assert_int_equal(strlen(at), 20);
	assert_true(at[4] == '-' && at[10] == 'T' && at[19] == 'Z');
	assert_null(mms_history_at(h, 4));
	mms_history_free(h);
	/* records without a code are named by their id */
	T_OK(f->db, mms_db_history(f->db, MMS_PARTICIPATION, "1", &h));
	assert_int_equal(mms_history_count(h), 1);
	mms_history_free(h);
	assert_int_equal(mms_db_history(f->db, MMS_PARTICIPATION, "7", &h), MMS_ENOTFOUND);
	assert_int_equal(mms_db_history(f->db, MMS_STAFF, "NOBODY", &h), MMS_ENOTFOUND);
	assert_null(h);
	/* a refused update records nothing */
	const char *bad[] = {"category", "grand", NULL};
	assert_int_equal(update(f->db, MMS_STAFF, "T", bad), MMS_ETYPE);
	T_OK(f->db, mms_db_history(f->db, MMS_STAFF, "T", &h));
	assert_int_equal(mms_history_count(h), 4);
	mms_history_free(h);
}

/* The indicator's state and the network index rebuild after a change in
   place: last year's value stays, this year's follows the new category. */
static void indicators_and_the_network_follow_an_update(void **state)
{
	fixture *f = *state;
	mms_kpi *kpi = NULL;
	T_OK(f->db, mms_kpi_open(&kpi, f->db));
	const char *def = "{\"indicators\": [{\"id\": \"t.highest\", \"name_ru\": \"Высшая категория\","
			  " \"kind\": \"share\", \"population\": \"participations\","
			  " \"numerator\": \"staff.category == \\\"highest\\\"\"}]}";
	mms_report *r = NULL;
	if (mms_kpi_load_json(kpi, def, "t", &r) != MMS_OK)
		fail_msg("%s", mms_kpi_errmsg(kpi));
	mms_report_free(r);
	int32_t root = t_find(f->db, MMS_UNIT, "R");
	mms_kpi_result y24 = MMS_KPI_RESULT_INIT, y25 = MMS_KPI_RESULT_INIT;
	T_OK(f->db, mms_kpi_value(kpi, "t.highest", root, 2024, &y24));
	T_OK(f->db, mms_kpi_value(kpi, "t.highest", root, 2025, &y25));
	assert_true(y24.defined && y24.value == 0 && y25.defined && y25.value == 0);
	const char *up[] = {"category", "highest", NULL};
	T_OK(f->db, update(f->db, MMS_STAFF, "T", up));
	T_OK(f->db, mms_kpi_value(kpi, "t.highest", root, 2024, &y24));
	T_OK(f->db, mms_kpi_value(kpi, "t.highest", root, 2025, &y25));
	assert_true(y24.value == 0 && y24.denominator == 1);
	assert_true(y25.value == 100 && y25.numerator == 1 && y25.denominator == 1);
	mms_kpi_close(kpi);
	/* S moves from M to R: the index of children follows */
	mms_idlist *kids = NULL;
	T_OK(f->db, mms_unit_children(f->db, t_find(f->db, MMS_UNIT, "M"), &kids));
	assert_int_equal(mms_idlist_count(kids), 1);
	mms_idlist_free(kids);
	const char *move[] = {"parent", "R", NULL};
	T_OK(f->db, update(f->db, MMS_UNIT, "S", move));
	T_OK(f->db, mms_unit_children(f->db, t_find(f->db, MMS_UNIT, "M"), &kids));
	assert_int_equal(mms_idlist_count(kids), 0);
	mms_idlist_free(kids);
	T_OK(f->db, mms_unit_children(f->db, root, &kids));
	assert_int_equal(mms_idlist_count(kids), 2);
	mms_idlist_free(kids);
}

/* A snapshot taken before an update is not used after it; one taken by the
   updating handle afterwards is, and holds the change. */
static void snapshots_never_hide_an_update(void **state)
{
	fixture *f = *state;
	T_OK(f->db, mms_db_snapshot(f->db));
	const char *up[] = {"name", "Анна Петровна", NULL};
	T_OK(f->db, update(f->db, MMS_STAFF, "T", up));
	mms_db *other = t_open(f->path);
	assert_field(other, MMS_STAFF, "T", "name", "Анна Петровна");
	mms_db_close(other);
	T_OK(f->db, mms_db_snapshot(f->db));
	other = t_open(f->path);
	assert_field(other, MMS_STAFF, "T", "name", "Анна Петровна");
	mms_db_close(other);
}

/* Two handles: the second updates after the first committed and keeps the
   first's change (no lost update). */
static void a_later_update_from_another_handle_keeps_the_earlier_one(void **state)
{
	fixture *f = *state;
	mms_db *b = t_open(f->path);
	assert_field(b, MMS_STAFF, "T", "category", "first"); /* b has loaded its model */
	const char *one[] = {"category", "highest", NULL};
	T_OK(f->db, update(f->db, MMS_STAFF, "T", one));
	const char *two[] = {"position", "завуч", NULL};
	T_OK(b, update(b, MMS_STAFF, "T", two));
	mms_db_close(b);
	assert_field(f->db, MMS_STAFF, "T", "category", "highest");
	assert_field(f->db, MMS_STAFF, "T", "position", "завуч");
}

/* A handle with a scope updates its own records only, and cannot move one
   outside. */
static void a_scoped_handle_updates_only_its_own_records(void **state)
{
	fixture *f = *state;
	mms_db *s = NULL;
	T_OK(s, mms_db_open_scoped(&s, f->path, NULL, "S"));
	const char *up[] = {"category", "highest", NULL};
	T_OK(s, update(s, MMS_STAFF, "T", up));
	assert_int_equal(update(s, MMS_STAFF, "X", up), MMS_EACCES);
	const char *away[] = {"org", "M", NULL};
	assert_int_equal(update(s, MMS_STAFF, "T", away), MMS_EACCES);
	mms_db_close(s);
	assert_field(f->db, MMS_STAFF, "T", "org", "S");
	assert_field(f->db, MMS_STAFF, "T", "category", "highest");
}

/* The record form: the fields set in a record, of the same entity. */
static void an_update_can_be_given_as_a_record(void **state)
{
	fixture *f = *state;
	mms_record *rec = NULL;
	assert_int_equal(mms_record_new(&rec, MMS_ACTIVITY), MMS_OK);
	assert_int_equal(mms_record_set(rec, "hours", "72"), MMS_OK);
	assert_int_equal(mms_record_set(rec, "code", "C"), MMS_OK); /* its own code: no change */
	T_OK(f->db, mms_db_update_record(f->db, "C", rec, NULL, NULL));
	assert_field(f->db, MMS_ACTIVITY, "C", "hours", "72");
	assert_field(f->db, MMS_ACTIVITY, "C", "name", "Курс");
	assert_int_equal(mms_record_set(rec, "hours", "0"), MMS_OK);
	assert_int_equal(mms_db_update_record(f->db, "C", rec, NULL, NULL), MMS_ERANGE);
	mms_record_free(rec);
}

#define DATA MMS_TEST_DATA "/../../data"

static int upsert_json(mms_db *db, const char *json, mms_report **r)
{
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.mode = MMS_IMPORT_UPSERT;
	o.actor = "feed";
	return mms_db_import_json(db, json, &o, r);
}

static int upsert_file(mms_db *db, const char *path)
{
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.mode = MMS_IMPORT_UPSERT;
	return mms_db_import(db, path, &o, NULL);
}

/* The demo, its framework, its diagnostics and routes imported again in
   upsert mode: the export afterwards is byte for byte the same, and nothing
   was added to the history. */
static void importing_the_demo_again_in_upsert_mode_changes_nothing(void **state)
{
	(void)state;
	int32_t first;
	char *dir = t_tmpdir(), *path = t_path(dir, "demo.sqlite");
	mms_db *db = t_demo_with_routes(path, &first);
	char *before = NULL, *after = NULL;
	T_OK(db, mms_db_export_json(db, &before));
	const char *files[] = {DATA "/demo/murom.json", DATA "/frameworks/teachers.json",
			       DATA "/demo/murom_routes.json"};
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 3; i++)
			T_OK(db, upsert_file(db, files[i]));
	T_OK(db, mms_db_export_json(db, &after));
	assert_string_equal(before, after);
	mms_free(after);
	mms_db *other = t_open(path); /* and as the file holds it */
	T_OK(other, mms_db_export_json(other, &after));
	assert_string_equal(before, after);
	mms_db_close(other);
	mms_history *h = NULL;
	T_OK(db, mms_db_history(db, MMS_STAFF, "MUR-CRPK-DIR", &h));
	assert_int_equal(mms_history_count(h), 1); /* its addition only */
	mms_history_free(h);
	mms_free(after);
	mms_free(before);
	mms_db_close(db);
	t_rmtree(dir);
	free(path);
	free(dir);
}

/* A corrected file: the records it names by code or natural key are
   updated with the fields it gives (the others kept), the rest added; a
   survey answer given again is corrected, never counted twice. */
static void an_upsert_corrects_what_it_names_and_adds_the_rest(void **state)
{
	fixture *f = *state;
	size_t parts = 0, staff = 0;
	T_OK(f->db, mms_db_count(f->db, MMS_PARTICIPATION, &parts));
	T_OK(f->db, mms_db_count(f->db, MMS_STAFF, &staff));
	mms_report *r = NULL;
	T_OK(f->db, upsert_json(f->db,
		"{\"staff\": [{\"code\": \"T\", \"category\": \"highest\"},"
		"{\"code\": \"N\", \"name\": \"Новый\", \"org\": \"S\", \"role\": \"teacher\"}],"
		"\"participations\": [{\"activity\": \"C\", \"staff\": \"T\", \"role\": \"participant\","
		" \"start\": \"2025-03-01\", \"end\": \"2025-03-21\", \"completed\": true},"
		"{\"activity\": \"C\", \"staff\": \"N\", \"role\": \"participant\"}]}", &r));
	assert_int_equal(mms_report_count(r), 0);
	mms_report_free(r);
	assert_field(f->db, MMS_STAFF, "T", "category", "highest");
	assert_field(f->db, MMS_STAFF, "T", "name", "Анна"); /* not in the input: kept */
	assert_field(f->db, MMS_STAFF, "T", "position", "учитель");
	assert_field(f->db, MMS_STAFF, "N", "name", "Новый");
	size_t now = 0;
	T_OK(f->db, mms_db_count(f->db, MMS_PARTICIPATION, &now));
	assert_int_equal(now, parts + 1); /* T's corrected, N's added */
	T_OK(f->db, mms_db_count(f->db, MMS_STAFF, &now));
	assert_int_equal(now, staff + 1);
	char *end = t_get(f->db, MMS_PARTICIPATION, 1, "end");
	assert_string_equal(end, "2025-03-21");
	mms_free(end);
	mms_history *h = NULL;
	T_OK(f->db, mms_db_history(f->db, MMS_PARTICIPATION, "1", &h));
	assert_int_equal(mms_history_count(h), 3); /* added; end and completed corrected */
	assert_string_equal(mms_history_actor(h, 1), "feed");
	mms_history_free(h);
	/* add mode still refuses a code already there */
	assert_int_equal(mms_db_import_json(f->db, "{\"staff\": [{\"code\": \"T\", \"name\": \"T\","
					    " \"org\": \"S\", \"role\": \"teacher\"}]}", NULL, NULL), MMS_EDUP);
}

/* Facts and targets are matched by unit, key (indicator) and year: a
   corrected value replaces the old one, another year is added. */
static void a_corrected_fact_replaces_the_old_value_instead_of_adding_one(void **state)
{
	fixture *f = *state;
	t_import(f->db, "{\"facts\": [{\"unit\": \"S\", \"key\": \"plan\", \"year\": 2024, \"value\": 60}],"
		 "\"targets\": [{\"indicator\": \"murom.P5\", \"unit\": \"S\", \"year\": 2024, \"value\": 50}]}");
	T_OK(f->db, upsert_json(f->db, "{\"facts\": [{\"unit\": \"S\", \"key\": \"plan\", \"year\": 2024,"
				" \"value\": 72.5}, {\"unit\": \"S\", \"key\": \"plan\", \"year\": 2025, \"value\": 80}],"
				"\"targets\": [{\"indicator\": \"murom.P5\", \"unit\": \"S\", \"year\": 2024, \"value\": 55}]}",
				NULL));
	size_t n = 0;
	T_OK(f->db, mms_db_count(f->db, MMS_FACT, &n));
	assert_int_equal(n, 2);
	T_OK(f->db, mms_db_count(f->db, MMS_TARGET, &n));
	assert_int_equal(n, 1);
	char *v = t_get(f->db, MMS_FACT, 0, "value");
	assert_string_equal(v, "72.5");
	mms_free(v);
	v = t_get(f->db, MMS_TARGET, 0, "value");
	assert_string_equal(v, "55");
	mms_free(v);
}

/* A file of schema 3 opened read-only is read as it is: it has no history. */
static void an_older_file_read_as_it_is_has_an_empty_history(void **state)
{
	fixture *f = *state;
	mms_db_close(f->db);
	f->db = t_open_read_only_after(f->path, "DROP TABLE mms_history; PRAGMA user_version=3");
	mms_history *h = NULL;
	T_OK(f->db, mms_db_history(f->db, MMS_STAFF, "T", &h));
	assert_int_equal(mms_history_count(h), 0);
	mms_history_free(h);
}

/* Problems of a matched record are located in the input; a rule broken in
   a record referring to it is named by that record's key; nothing changes. */
static void a_refused_upsert_changes_nothing_and_locates_every_problem(void **state)
{
	fixture *f = *state;
	char *before = NULL, *after = NULL;
	T_OK(f->db, mms_db_export_json(f->db, &before));
	mms_report *r = NULL;
	int rc = upsert_json(f->db, "{\"units\": [{\"code\": \"R\", \"level\": \"institutional\","
			     " \"kind\": \"school\"}, {\"code\": \"Q\", \"name\": \"Q\", \"level\": \"municipal\","
			     " \"kind\": \"municipal_service\", \"parent\": \"R\"}],"
			     " \"staff\": [{\"code\": \"T\", \"category\": \"grand\"}]}", &r);
	assert_int_equal(rc, MMS_ELEVEL);
	assert_int_equal(mms_report_count(r), 3);
	assert_string_equal(mms_report_location(r, 0), "units/M/parent"); /* R's child */
	assert_string_equal(mms_report_location(r, 1), "units/Q/parent"); /* added under R */
	assert_string_equal(mms_report_location(r, 2), "/staff/0/category");
	mms_report_free(r);
	T_OK(f->db, mms_db_export_json(f->db, &after));
	assert_string_equal(before, after);
	mms_free(after);
	mms_free(before);
	/* a version 1 caller's options have no mode: a plain import */
	mms_import_options v1 = MMS_IMPORT_OPTIONS_INIT;
	v1.version = 1;
	assert_int_equal(mms_db_import_json(f->db, "{\"staff\": [{\"code\": \"T\", \"name\": \"T\","
					    " \"org\": \"S\", \"role\": \"teacher\"}]}", &v1, NULL), MMS_EDUP);
	mms_import_options bad = MMS_IMPORT_OPTIONS_INIT;
	bad.mode = 7;
	assert_int_equal(mms_db_import_json(f->db, "{}", &bad, NULL), MMS_EINVAL);
}

/* A scoped handle may correct its own records, not one it only reads. */
static void a_scoped_upsert_touches_only_its_own_records(void **state)
{
	fixture *f = *state;
	mms_db *s = NULL;
	T_OK(s, mms_db_open_scoped(&s, f->path, NULL, "S"));
	T_OK(s, upsert_json(s, "{\"staff\": [{\"code\": \"T\", \"category\": \"highest\"}]}", NULL));
	mms_report *r = NULL;
	assert_int_equal(upsert_json(s, "{\"staff\": [{\"code\": \"X\", \"category\": \"highest\"}]}", &r),
			 MMS_EACCES);
	assert_string_equal(mms_report_location(r, 0), "/staff/0");
	mms_report_free(r);
	mms_db_close(s);
	assert_field(f->db, MMS_STAFF, "T", "category", "highest");
	assert_field(f->db, MMS_STAFF, "X", "category", "first");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(an_update_changes_the_fields_named_and_keeps_the_others),
		T(a_refused_update_changes_nothing_and_names_every_problem),
		T(an_update_that_breaks_a_record_referring_to_it_is_refused),
		T(an_update_that_would_close_a_cycle_is_refused),
		T(what_no_update_may_do_is_refused_with_its_reason),
		T(every_change_is_in_the_history_with_old_and_new_values),
		T(indicators_and_the_network_follow_an_update),
		T(snapshots_never_hide_an_update),
		T(a_later_update_from_another_handle_keeps_the_earlier_one),
		T(a_scoped_handle_updates_only_its_own_records),
		T(an_update_can_be_given_as_a_record),
		cmocka_unit_test(importing_the_demo_again_in_upsert_mode_changes_nothing),
		T(an_upsert_corrects_what_it_names_and_adds_the_rest),
		T(a_corrected_fact_replaces_the_old_value_instead_of_adding_one),
		T(an_older_file_read_as_it_is_has_an_empty_history),
		T(a_refused_upsert_changes_nothing_and_locates_every_problem),
		T(a_scoped_upsert_touches_only_its_own_records),
	};
	return cmocka_run_group_tests_name("update", tests, NULL, NULL);
}
