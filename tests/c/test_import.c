/* Imports: the demo network, forward references, dry runs, CSV dialects. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"

#define DEMO MMS_TEST_DATA "/../../data/demo/murom.json"

static void the_demo_network_imports_whole(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite");
	mms_db *db = t_open(path);
	mms_report *rep = NULL;
	T_OK(db, mms_db_import(db, DEMO, NULL, &rep));
	assert_int_equal(mms_report_count(rep), 0);
	mms_report_free(rep);
	size_t units, staff;
	T_OK(db, mms_db_count(db, MMS_UNIT, &units));
	T_OK(db, mms_db_count(db, MMS_STAFF, &staff));
	/* seed 000: 16 schools, 33 preschools, 1 supplementary, 33 ГМО, 6 methodists */
	mms_unit_filter f = MMS_UNIT_FILTER_INIT;
	mms_idlist *l;
	f.kind = "school";
	T_OK(db, mms_unit_find(db, &f, &l));
	assert_int_equal(mms_idlist_count(l), 16);
	mms_idlist_free(l);
	f.kind = "preschool";
	T_OK(db, mms_unit_find(db, &f, &l));
	assert_int_equal(mms_idlist_count(l), 33);
	mms_idlist_free(l);
	f.kind = "municipal_association";
	T_OK(db, mms_unit_find(db, &f, &l));
	assert_int_equal(mms_idlist_count(l), 33);
	mms_idlist_free(l);
	mms_staff_filter sf = MMS_STAFF_FILTER_INIT;
	sf.role = "methodist";
	T_OK(db, mms_staff_find(db, &sf, &l));
	assert_int_equal(mms_idlist_count(l), 6);
	mms_idlist_free(l);
	/* 643 school + 515 preschool pedagogical workers + 24 in supplementary */
	sf.role = "teacher";
	T_OK(db, mms_staff_find(db, &sf, &l));
	assert_int_equal(mms_idlist_count(l), 643 + 515 + 24);
	mms_idlist_free(l);
	/* Importing it again collides on every code and changes nothing. */
	assert_int_equal(mms_db_import(db, DEMO, NULL, NULL), MMS_EDUP);
	size_t again;
	T_OK(db, mms_db_count(db, MMS_UNIT, &again));
	assert_int_equal(again, units);
	mms_db_close(db);
	t_rmtree(dir);
	free(path);
	free(dir);
}

static void forward_references_resolve_within_one_import(void **state)
{
	(void)state;
	mms_db *db = t_open(":memory:");
	/* The child comes before its parent, the participation before nothing. */
	t_import(db, "{\"units\": ["
		     "{\"code\": \"S\", \"name\": \"Школа\", \"level\": \"institutional\","
		     " \"kind\": \"school\", \"parent\": \"M\"},"
		     "{\"code\": \"M\", \"name\": \"ММС\", \"level\": \"municipal\","
		     " \"kind\": \"municipal_service\"}]}");
	int32_t s = t_find(db, MMS_UNIT, "S"), m = t_find(db, MMS_UNIT, "M");
	char *parent = t_get(db, MMS_UNIT, s, "parent");
	assert_string_equal(parent, "M");
	mms_free(parent);
	assert_int_equal(s, 0);
	assert_int_equal(m, 1);
	mms_db_close(db);
}

static void a_dry_run_reports_and_writes_nothing(void **state)
{
	(void)state;
	mms_db *db = t_open(":memory:");
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.dry_run = 1;
	mms_report *rep = NULL;
	T_OK(db, mms_db_import(db, DEMO, &o, &rep));
	assert_int_equal(mms_report_count(rep), 0);
	mms_report_free(rep);
	size_t n;
	T_OK(db, mms_db_count(db, MMS_UNIT, &n));
	assert_int_equal(n, 0);
	mms_db_close(db);
}

static void write_csv(const char *dir, const char *name, const char *text)
{
	char *p = t_path(dir, name);
	t_write(p, text);
	free(p);
}

static void csv_with_bom_semicolons_and_quotes_imports(void **state)
{
	(void)state;
	char *dir = t_tmpdir();
	write_csv(dir, "units.csv",
		  "\xEF\xBB\xBF" "code;name;level;kind;parent;directions;rural\r\n"
		  "M;\"ММС; округ \"\"Муром\"\"\";municipal;municipal_service;;analytical|consulting;\r\n"
		  "S;\"Школа\n№ 1\";institutional;school;M;;true\r\n");
	write_csv(dir, "staff.csv",
		  "code,name,org,role,birth_date,subjects\n"
		  "T1,Иванова,S,teacher,01.09.1985,математика|информатика\n");
	mms_db *db = t_open(":memory:");
	mms_report *rep = NULL;
	T_OK(db, mms_db_import(db, dir, NULL, &rep));
	mms_report_free(rep);
	char *name = t_get(db, MMS_UNIT, t_find(db, MMS_UNIT, "M"), "name");
	assert_string_equal(name, "ММС; округ \"Муром\"");
	mms_free(name);
	name = t_get(db, MMS_UNIT, t_find(db, MMS_UNIT, "S"), "name");
	assert_string_equal(name, "Школа\n№ 1");
	mms_free(name);
	char *birth = t_get(db, MMS_STAFF, t_find(db, MMS_STAFF, "T1"), "birth_date");
	assert_string_equal(birth, "1985-09-01");
	mms_free(birth);
	mms_db_close(db);
	t_rmtree(dir);
	free(dir);
}

static void import_options_and_arguments_are_checked(void **state)
{
	(void)state;
	mms_db *db = t_open(":memory:");
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.version = 0;
	assert_int_equal(mms_db_import_json(db, "{}", &o, NULL), MMS_EINVAL);
	assert_int_equal(mms_db_import(db, "/no/such/file.json", NULL, NULL), MMS_EIO);
	assert_non_null(strstr(mms_db_errmsg(db), "/no/such/file.json"));
	assert_int_equal(mms_db_import_json(NULL, "{}", NULL, NULL), MMS_EINVAL);
	T_OK(db, mms_db_import_json(db, "{}", NULL, NULL));
	mms_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_demo_network_imports_whole),
		cmocka_unit_test(forward_references_resolve_within_one_import),
		cmocka_unit_test(a_dry_run_reports_and_writes_nothing),
		cmocka_unit_test(csv_with_bom_semicolons_and_quotes_imports),
		cmocka_unit_test(import_options_and_arguments_are_checked),
	};
	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
