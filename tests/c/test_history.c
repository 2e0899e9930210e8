/*
 * The history in exchange: exported with the records (JSON key and CSV
 * file), imported back byte for byte, never added twice, checked and
 * located like any input, and coarsened in the pseudonymised export.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static const char network[] =
	"{\"units\": [{\"code\": \"M\", \"name\": \"M\", \"level\": \"municipal\", \"kind\": \"municipal_service\"},"
	"{\"code\": \"S1\", \"name\": \"S1\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"},"
	"{\"code\": \"S2\", \"name\": \"S2\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}],"
	"\"staff\": [{\"code\": \"A\", \"name\": \"Анна Петрова\", \"org\": \"S1\", \"role\": \"teacher\", \"birth_date\": \"1990-05-17\"},"
	"{\"code\": \"B\", \"name\": \"Борис Сидоров\", \"org\": \"S1\", \"role\": \"teacher\"},"
	"{\"code\": \"C\", \"name\": \"C\", \"org\": \"S2\", \"role\": \"teacher\"}],"
	"\"activities\": [{\"code\": \"SEM\", \"name\": \"Семинар\", \"kind\": \"event\"}],"
	"\"participations\": [{\"activity\": \"SEM\", \"staff\": \"A\", \"role\": \"participant\"},"
	"{\"activity\": \"SEM\", \"staff\": \"C\", \"role\": \"participant\", \"hours\": 2}]}";

static const char key[] = "region-33 secret for the 2024 report: Tq8vXz0Lm";

typedef struct fixture {
	char *dir;
	mms_db *db;
} fixture;

/* A database with a history of every kind: additions, an update of a name
   and of an organisation, a correction of a record without a code, and
   a deletion. */
static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	char *path = t_path(f->dir, "h.sqlite");
	f->db = t_open(path);
	free(path);
	t_import(f->db, network);
	const char *move[] = {"org", "S2", "name", "Анна Иванова", NULL};
	mms_update_options uo = MMS_UPDATE_OPTIONS_INIT;
	uo.actor = "Иванова И.И.";
	T_OK(f->db, mms_db_update(f->db, MMS_STAFF, "A", move, &uo, NULL));
	mms_import_options io = MMS_IMPORT_OPTIONS_INIT;
	io.mode = MMS_IMPORT_UPSERT;
	T_OK(f->db, mms_db_import_json(f->db, "{\"participations\": [{\"activity\": \"SEM\", \"staff\": \"C\","
					      " \"role\": \"participant\", \"hours\": 3}]}", &io, NULL));
	mms_delete_options d = MMS_DELETE_OPTIONS_INIT;
	d.cascade = 1;
	T_OK(f->db, mms_db_delete(f->db, MMS_STAFF, "B", &d, NULL));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	mms_db_close(f->db);
	t_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static char *export_of(mms_db *db)
{
	char *s = NULL;
	T_OK(db, mms_db_export_json(db, &s));
	return s;
}

static void the_history_round_trips_through_json_byte_for_byte(void **state)
{
	fixture *f = *state;
	char *a = export_of(f->db);
	assert_non_null(strstr(a, "\"history\": ["));
	assert_non_null(strstr(a, "{\"at\":"));
	assert_non_null(strstr(a, "\"actor\":\"Иванова И.И.\",\"entity\":\"staff\",\"key\":\"A\",\"field\":\"org\",\"old\":\"S1\",\"new\":\"S2\""));
	assert_non_null(strstr(a, "\"key\":\"B\",\"new\":\"deleted\""));
	mms_db *other = t_open(":memory:");
	t_import(other, a);
	char *b = export_of(other);
	assert_string_equal(a, b);
	mms_history *h = NULL;
	T_OK(other, mms_db_history(other, MMS_STAFF, "A", &h));
	assert_int_equal(mms_history_count(h), 3); /* added, org, name */
	assert_string_equal(mms_history_actor(h, 1), "Иванова И.И.");
	mms_history_free(h);
	/* the participation corrected: numbered as the export numbers it */
	T_OK(other, mms_db_history(other, MMS_PARTICIPATION, "1", &h));
	assert_int_equal(mms_history_count(h), 2);
	assert_string_equal(mms_history_new(h, 1), "3");
	mms_history_free(h);
	mms_db_close(other);
	mms_free(a);
	mms_free(b);
}

static void the_history_round_trips_through_csv(void **state)
{
	fixture *f = *state;
	char *a = export_of(f->db), *csv = t_path(f->dir, "csv"), *hist = t_path(csv, "history.csv");
	mms_export_options eo = MMS_EXPORT_OPTIONS_INIT;
	eo.format = MMS_FORMAT_CSV;
	eo.delimiter = ';';
	T_OK(f->db, mms_db_export(f->db, csv, &eo));
	char *text = t_read(hist, NULL);
	assert_non_null(text);
	assert_true(!strncmp(text, "at;actor;entity;key;field;old;new\n", 34));
	mms_db *other = t_open(":memory:");
	T_OK(other, mms_db_import(other, csv, NULL, NULL));
	char *b = export_of(other);
	assert_string_equal(a, b);
	mms_db_close(other);
	free(text);
	free(hist);
	free(csv);
	mms_free(a);
	mms_free(b);
}

static void an_export_imported_again_adds_no_history(void **state)
{
	fixture *f = *state;
	char *a = export_of(f->db);
	mms_import_options io = MMS_IMPORT_OPTIONS_INIT;
	io.mode = MMS_IMPORT_UPSERT;
	for (int pass = 0; pass < 2; pass++)
		T_OK(f->db, mms_db_import_json(f->db, a, &io, NULL));
	char *b = export_of(f->db);
	assert_string_equal(a, b);
	mms_free(a);
	mms_free(b);
}

static void bad_history_rows_are_refused_at_their_place(void **state)
{
	fixture *f = *state;
	char *before = export_of(f->db);
	static const struct {
		const char *json, *where, *says;
		int rc;
	} cases[] = {
		{"{\"history\": [{\"at\": \"yesterday\", \"entity\": \"staff\", \"key\": \"A\"}]}",
		 "/history/0/at", "yesterday", MMS_ETYPE},
		{"{\"history\": [{\"at\": \"2024-01-01T10:00:00Z\", \"entity\": \"teachers\", \"key\": \"A\"}]}",
		 "/history/0/entity", "teachers", MMS_ETYPE},
		{"{\"history\": [{\"at\": \"2024-01-01\", \"entity\": \"staff\", \"key\": \"A\", \"field\": \"salary\"}]}",
		 "/history/0/field", "salary", MMS_ETYPE},
		{"{\"history\": [{\"at\": \"2024-01-01\", \"entity\": \"staff\"}]}",
		 "/history/0/key", "needs", MMS_EMISSING},
		{"{\"history\": [{\"at\": \"2024-01-01\", \"entity\": \"staff\", \"key\": 7}]}",
		 "/history/0/key", "text", MMS_ETYPE},
		{"{\"history\": [{\"at\": \"2024-01-01\", \"entity\": \"staff\", \"key\": \"A\", \"when\": 1}]}",
		 "/history/0/when", "unknown field", MMS_ETYPE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		mms_report *r = NULL;
		assert_int_equal(mms_db_import_json(f->db, cases[i].json, NULL, &r), cases[i].rc);
		assert_string_equal(mms_report_location(r, 0), cases[i].where);
		assert_non_null(strstr(mms_report_message(r, 0), cases[i].says));
		mms_report_free(r);
	}
	char *after = export_of(f->db);
	assert_string_equal(before, after);
	mms_free(before);
	mms_free(after);
}

static void a_scoped_handle_imports_only_the_history_of_its_own_records(void **state)
{
	fixture *f = *state;
	char *path = t_path(f->dir, "h.sqlite");
	mms_db *s2 = NULL;
	T_OK(s2, mms_db_open_scoped(&s2, path, NULL, "S2"));
	mms_report *r = NULL;
	assert_int_equal(mms_db_import_json(s2, "{\"history\": [{\"at\": \"2024-01-01\", \"entity\": \"units\","
					       " \"key\": \"M\", \"field\": \"name\", \"new\": \"M\"}]}", NULL, &r),
			 MMS_EACCES);
	assert_string_equal(mms_report_location(r, 0), "/history/0/key");
	mms_report_free(r);
	/* its own teacher, and one the same input adds */
	T_OK(s2, mms_db_import_json(s2, "{\"staff\": [{\"code\": \"N\", \"name\": \"N\", \"org\": \"S2\","
				       " \"role\": \"teacher\"}], \"history\": [{\"at\": \"2024-01-01\","
				       " \"entity\": \"staff\", \"key\": \"A\", \"field\": \"category\", \"new\": \"first\"},"
				       " {\"at\": \"2024-01-02\", \"entity\": \"staff\", \"key\": \"N\"}]}", NULL, NULL));
	mms_history *h = NULL;
	T_OK(s2, mms_db_history(s2, MMS_STAFF, "N", &h));
	assert_int_equal(mms_history_count(h), 1);
	assert_string_equal(mms_history_at(h, 0), "2024-01-02");
	mms_history_free(h);
	mms_db_close(s2);
	free(path);
}

static void the_pseudonymised_export_keeps_the_history_only_coarsened(void **state)
{
	fixture *f = *state;
	char *p = NULL;
	T_OK(f->db, mms_db_export_json_pseudonymised(f->db, key, &p));
	const char *h = strstr(p, "\"history\": [");
	assert_non_null(h);
	/* no actor, no name, no birth date, no staff code, no time of day */
	static const char *const never[] = {"Иванова", "Анна", "Петрова", "Борис", "Сидоров",
					    "1990", "\"key\":\"A\"", "\"key\":\"B\"",
					    "\"key\":\"C\""};
	for (size_t i = 0; i < sizeof never / sizeof *never; i++)
		if (strstr(h, never[i]))
			fail_msg("the pseudonymised history holds %s", never[i]);
	for (const char *at = strstr(h, "\"at\":\""); at; at = strstr(at + 1, "\"at\":\"")) {
		assert_int_equal(at[16], '"'); /* a date, not a time */
		assert_true(!strncmp(at + 10, "-01-01", 6) || !strncmp(at + 10, "-09-01", 6));
	}
	/* what the indicators may use stays: the move between schools */
	assert_non_null(strstr(h, "\"field\":\"org\",\"old\":\"S1\",\"new\":\"S2\""));
	assert_non_null(strstr(h, "\"entity\":\"staff\",\"key\":\"P"));
	assert_null(strstr(h, "\"field\":\"name\",\"old\""));
	/* the export still imports on its own, its history too */
	mms_db *other = t_open(":memory:");
	t_import(other, p);
	char *again = NULL;
	T_OK(other, mms_db_export_json(other, &again));
	assert_non_null(strstr(again, strstr(p, "\"history\": [")));
	mms_free(again);
	mms_db_close(other);
	mms_free(p);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(the_history_round_trips_through_json_byte_for_byte),
		T(the_history_round_trips_through_csv),
		T(an_export_imported_again_adds_no_history),
		T(bad_history_rows_are_refused_at_their_place),
		T(a_scoped_handle_imports_only_the_history_of_its_own_records),
		T(the_pseudonymised_export_keeps_the_history_only_coarsened),
	};
	return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
