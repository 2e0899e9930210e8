/* Export then import gives back an identical database, through JSON and
 * through CSV with either separator. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define DEMO MMS_TEST_DATA "/../../data/demo/murom.json"

/* Hostile but valid names: quotes, separators, newlines, SQL comment marks. */
static const char hostile[] =
	"{\"units\": [{\"code\": \"Q'1\", \"name\": \"Школа \\\"Гармония\\\"; --DROP TABLE units;\\n"
	"корпус, 2|3\", \"level\": \"municipal\", \"kind\": \"community\", \"territory\": \" с пробелом \"}],"
	"\"staff\": [{\"code\": \"T,1\", \"name\": \"О'Нил Анна\\r\\nвторая строка\", \"org\": \"Q'1\","
	" \"role\": \"methodist\", \"subjects\": [\"русский язык\", \"литература; чтение\"]}],"
	"\"targets\": [{\"indicator\": \"murom.P5\", \"unit\": \"Q'1\", \"year\": 2024, \"value\": 72.5},"
	"{\"indicator\": \"moscow.7\", \"unit\": \"Q'1\", \"year\": 2024, \"value\": -0.125},"
	"{\"indicator\": \"moscow.7\", \"unit\": \"Q'1\", \"year\": 2025}],"
	"\"facts\": [{\"unit\": \"Q'1\", \"key\": \"tyva.doc.1.1\", \"year\": 2024, \"value\": 1,"
	" \"note\": \"приказ № 12; \\\"дорожная карта\\\"\"}, {\"unit\": \"Q'1\", \"key\": \"x\", \"year\": 2024}],"
	"\"competencies\": [{\"code\": \"A\", \"name\": \"Методическая\", \"framework\": \"t\", \"kind\": \"area\"},"
	"{\"code\": \"A.1\", \"name\": \"Проектирование урока\", \"framework\": \"t\", \"parent\": \"A\", \"kind\": \"competency\", \"labour_function\": \"A/01.6\"}],"
	"\"diagnostics\": [{\"staff\": \"T,1\", \"competency\": \"A.1\", \"date\": \"2024-02-01\", \"score\": 55.5,"
	" \"session\": \"ДС-2024;1\", \"task\": \"задание 3, \\\"кейс\\\"\"}],"
	"\"diagnostic_sessions\": [{\"code\": \"ДС-2024;1\", \"kind\": \"entry\", \"form\": \"case\","
	" \"instrument\": \"КИМ ЦНППМ\", \"instrument_version\": \"2024.1\", \"staff\": \"T,1\", \"date\": \"2024-02-01\"}],"
	"\"resources\": [{\"code\": \"R1\", \"name\": \"Курс\", \"kind\": \"course\", \"hours\": 36, \"federal_register\": true, \"capacity\": 20}],"
	"\"develops\": [{\"resource\": \"R1\", \"competency\": \"A.1\", \"strength\": 3}],"
	"\"routes\": [{\"code\": \"ИОМ-1\", \"staff\": \"T,1\", \"budget_hours\": 72}],"
	"\"route_steps\": [{\"route\": \"ИОМ-1\", \"resource\": \"R1\", \"covers\": [\"A.1\"], \"reason\": \"дефицит A.1\"}],"
	"\"route_events\": [{\"route\": \"ИОМ-1\", \"status\": \"approved\", \"date\": \"2024-03-01\"},"
	"{\"route\": \"ИОМ-1\", \"step\": 0, \"status\": \"done\", \"date\": \"2024-04-01\", \"evidence\": \"https://example.org/портфолио/1\"}],"
	"\"past_values\": [{\"entity\": \"staff\", \"record\": \"T,1\", \"field\": \"position\","
	" \"value\": \"учитель; \\\"старший\\\"\", \"until\": \"2023-08-31\"}],"
	"\"route_deficits\": [{\"route\": \"ИОМ-1\", \"competency\": \"A.1\", \"score\": 55.5, \"severity\": \"high\","
	" \"consequence\": \"route\", \"suggestions\": [\"R1\"], \"session\": \"ДС-2024;1\"}],"
	"\"mentoring_pairs\": [{\"code\": \"НП-1\", \"form\": \"manager_teacher\", \"mentor\": \"MUR-T0005\", \"mentee\": \"T,1\","
	" \"programme\": \"Программа; \\\"адаптация\\\"\", \"start\": \"2024-01-15\", \"end\": \"2024-12-31\"}],"
	"\"route_revisions\": [{\"route\": \"ИОМ-1\", \"number\": 1, \"date\": \"2024-03-05\", \"by\": \"MUR-T0005\","
	" \"reason\": \"замена курса; \\\"новый\\\"\"}]}";

static char *export_of(mms_db *db)
{
	char *text = NULL;
	T_OK(db, mms_db_export_json(db, &text));
	return text;
}

static void json_round_trip_is_identical(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *a = t_path(dir, "a.sqlite"), *b = t_path(dir, "b.sqlite");
	char *file = t_path(dir, "export.json");
	mms_db *da = t_open(a), *db = t_open(b);
	T_OK(da, mms_db_import(da, DEMO, NULL, NULL));
	t_import(da, hostile);
	T_OK(da, mms_db_export(da, file, NULL));
	T_OK(db, mms_db_import(db, file, NULL, NULL));
	char *ea = export_of(da), *eb = export_of(db);
	assert_string_equal(ea, eb);
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		size_t na, nb;
		T_OK(da, mms_db_count(da, e, &na));
		T_OK(db, mms_db_count(db, e, &nb));
		assert_int_equal(na, nb);
		assert_true(na > 0);
	}
	/* Field by field on the hostile records, not just the exports. */
	int32_t q = t_find(db, MMS_UNIT, "Q'1");
	char *name = t_get(db, MMS_UNIT, q, "name");
	assert_string_equal(name, "Школа \"Гармония\"; --DROP TABLE units;\nкорпус, 2|3");
	mms_free(name);
	mms_free(ea);
	mms_free(eb);
	mms_db_close(da);
	mms_db_close(db);
	t_rmtree(dir);
	free(a);
	free(b);
	free(file);
	free(dir);
}

static void csv_round_trip(char delim)
{
	char *dir = t_tmpdir(), *csv = t_path(dir, "csv");
	mms_db *da = t_open(":memory:"), *db = t_open(":memory:");
	T_OK(da, mms_db_import(da, DEMO, NULL, NULL));
	t_import(da, hostile);
	mms_export_options o = MMS_EXPORT_OPTIONS_INIT;
	o.format = MMS_FORMAT_CSV;
	o.delimiter = delim;
	T_OK(da, mms_db_export(da, csv, &o));
	mms_report *rep = NULL;
	int rc = mms_db_import(db, csv, NULL, &rep);
	if (rc != MMS_OK)
		fail_msg("%s", mms_db_errmsg(db));
	mms_report_free(rep);
	char *ea = export_of(da), *eb = export_of(db);
	assert_string_equal(ea, eb);
	mms_free(ea);
	mms_free(eb);
	mms_db_close(da);
	mms_db_close(db);
	t_rmtree(dir);
	free(csv);
	free(dir);
}

static void csv_round_trip_with_commas_is_identical(void **state)
{
	(void)state;
	csv_round_trip(',');
}

static void csv_round_trip_with_semicolons_is_identical(void **state)
{
	(void)state;
	csv_round_trip(';');
}

static void exports_are_deterministic(void **state)
{
	(void)state;
	mms_db *a = t_open(":memory:"), *b = t_open(":memory:");
	T_OK(a, mms_db_import(a, DEMO, NULL, NULL));
	T_OK(b, mms_db_import(b, DEMO, NULL, NULL));
	char *ea = export_of(a), *eb = export_of(b), *again = export_of(a);
	assert_string_equal(ea, again); /* the same database, history and all */
	t_cut_history(ea);
	t_cut_history(eb);
	assert_string_equal(ea, eb); /* two built alike: the same records */
	assert_non_null(strstr(ea, "\"format\": \"libmms\""));
	mms_free(ea);
	mms_free(eb);
	mms_free(again);
	mms_db_close(a);
	mms_db_close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_round_trip_is_identical),
		cmocka_unit_test(csv_round_trip_with_commas_is_identical),
		cmocka_unit_test(csv_round_trip_with_semicolons_is_identical),
		cmocka_unit_test(exports_are_deterministic),
	};
	return cmocka_run_group_tests_name("roundtrip", tests, NULL, NULL);
}
