/*
 * Imports in sync mode: within a unit's subtree and a year the database
 * becomes what the file holds (records missing from it deleted, the others
 * upserted), a dry run lists every change and makes none, a second import
 * of the same file changes nothing, and a corrected year's file gives
 * exactly the indicator values of its answers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* Municipality M with schools S1 and S2, municipality N with school T.
   A and B teach in S1 (B takes part in M's 2024 seminar), C in S2, D in T,
   and L left S1 in 2022. */
static const char network[] =
	"{\"units\": [{\"code\": \"R\", \"name\": \"R\", \"level\": \"regional\", \"kind\": \"institute\"},"
	"{\"code\": \"M\", \"name\": \"M\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\"},"
	"{\"code\": \"S1\", \"name\": \"S1\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"},"
	"{\"code\": \"S2\", \"name\": \"S2\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"},"
	"{\"code\": \"N\", \"name\": \"N\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\"},"
	"{\"code\": \"T\", \"name\": \"T\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"N\"}],"
	"\"staff\": [{\"code\": \"A\", \"name\": \"A\", \"org\": \"S1\", \"role\": \"teacher\", \"category\": \"first\"},"
	"{\"code\": \"B\", \"name\": \"Борис\", \"org\": \"S1\", \"role\": \"teacher\"},"
	"{\"code\": \"C\", \"name\": \"C\", \"org\": \"S2\", \"role\": \"teacher\"},"
	"{\"code\": \"D\", \"name\": \"D\", \"org\": \"T\", \"role\": \"teacher\"},"
	"{\"code\": \"L\", \"name\": \"L\", \"org\": \"S1\", \"role\": \"teacher\", \"work_end\": \"2022-06-30\"}],"
	"\"activities\": [{\"code\": \"SEM\", \"name\": \"Семинар\", \"kind\": \"event\", \"organizer\": \"M\","
	" \"start\": \"2024-03-01\", \"end\": \"2024-03-01\"}],"
	"\"participations\": [{\"activity\": \"SEM\", \"staff\": \"B\", \"role\": \"participant\"}]}";

/* M's 2024 staff file: A promoted, E new in S2; B and C are gone. */
static const char staff_2024[] =
	"{\"staff\": [{\"code\": \"A\", \"name\": \"A\", \"org\": \"S1\", \"role\": \"teacher\", \"category\": \"highest\"},"
	"{\"code\": \"E\", \"name\": \"E\", \"org\": \"S2\", \"role\": \"teacher\"}]}";

typedef struct fixture {
	char *dir, *path;
	mms_db *db;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	f->path = t_path(f->dir, "s.sqlite");
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

static int sync_json(mms_db *db, const char *json, const char *unit, int year, int dry_run,
		     mms_report **rep)
{
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.mode = MMS_IMPORT_SYNC;
	o.scope = unit;
	o.year = year;
	o.dry_run = dry_run;
	o.actor = "hr-feed";
	return mms_db_import_json(db, json, &o, rep);
}

/* The report's items joined as "location message; ..." (caller frees). */
static char *listed(const mms_report *r)
{
	size_t n = 1;
	for (size_t i = 0; i < mms_report_count(r); i++)
		n += strlen(mms_report_location(r, i)) + strlen(mms_report_message(r, i)) + 3;
	char *s = calloc(1, n);
	for (size_t i = 0; i < mms_report_count(r); i++) {
		assert_int_equal(mms_report_code(r, i), MMS_OK);
		sprintf(s + strlen(s), "%s %s; ", mms_report_location(r, i), mms_report_message(r, i));
	}
	return s;
}

static int live(mms_db *db, int e, const char *code)
{
	int32_t id;
	return mms_db_find(db, e, code, &id) == MMS_OK;
}

static const char expected_changes[] =
	"staff/E added; staff/A updated; staff/B deleted; staff/C deleted; participations/0 deleted; ";

static void a_sync_makes_the_scope_equal_to_the_file_and_leaves_the_rest(void **state)
{
	fixture *f = *state;
	mms_report *rep = NULL;
	T_OK(f->db, sync_json(f->db, staff_2024, "M", 2024, 0, &rep));
	char *got = listed(rep);
	assert_string_equal(got, expected_changes);
	free(got);
	mms_report_free(rep);
	assert_true(live(f->db, MMS_STAFF, "A") && live(f->db, MMS_STAFF, "E"));
	assert_false(live(f->db, MMS_STAFF, "B") || live(f->db, MMS_STAFF, "C"));
	/* outside the subtree, or gone before the year: untouched */
	assert_true(live(f->db, MMS_STAFF, "D") && live(f->db, MMS_STAFF, "L"));
	/* units are not in the file: kept */
	assert_true(live(f->db, MMS_UNIT, "S2"));
	size_t n;
	T_OK(f->db, mms_db_count(f->db, MMS_PARTICIPATION, &n));
	assert_int_equal(n, 0); /* B's seminar went with B */
	char *cat = t_get(f->db, MMS_STAFF, t_find(f->db, MMS_STAFF, "A"), "category");
	assert_string_equal(cat, "highest");
	mms_free(cat);
	/* and the file holds it so */
	mms_db *other = t_open(f->path);
	assert_false(live(other, MMS_STAFF, "B"));
	assert_true(live(other, MMS_STAFF, "D"));
	mms_history *h = NULL;
	T_OK(other, mms_db_history(other, MMS_STAFF, "B", &h));
	size_t last = mms_history_count(h) - 1;
	assert_string_equal(mms_history_new(h, last), "deleted");
	assert_string_equal(mms_history_actor(h, last), "hr-feed");
	mms_history_free(h);
	mms_db_close(other);
}

static void a_dry_run_lists_every_change_and_makes_none(void **state)
{
	fixture *f = *state;
	char *before = NULL, *after = NULL;
	T_OK(f->db, mms_db_export_json(f->db, &before));
	mms_report *rep = NULL;
	T_OK(f->db, sync_json(f->db, staff_2024, "M", 2024, 1, &rep));
	char *got = listed(rep);
	assert_string_equal(got, expected_changes);
	free(got);
	mms_report_free(rep);
	T_OK(f->db, mms_db_export_json(f->db, &after));
	assert_string_equal(before, after);
	assert_true(live(f->db, MMS_STAFF, "B"));
	mms_free(before);
	mms_free(after);
}

static void the_same_file_synced_twice_changes_nothing_the_second_time(void **state)
{
	fixture *f = *state;
	T_OK(f->db, sync_json(f->db, staff_2024, "M", 2024, 0, NULL));
	char *once = NULL, *twice = NULL;
	T_OK(f->db, mms_db_export_json(f->db, &once));
	mms_report *rep = NULL;
	T_OK(f->db, sync_json(f->db, staff_2024, "M", 2024, 0, &rep));
	assert_int_equal(mms_report_count(rep), 0);
	mms_report_free(rep);
	T_OK(f->db, mms_db_export_json(f->db, &twice));
	assert_string_equal(once, twice);
	mms_free(twice);
	mms_db *other = t_open(f->path);
	T_OK(other, mms_db_export_json(other, &twice));
	assert_string_equal(once, twice);
	mms_db_close(other);
	mms_free(once);
	mms_free(twice);
}

/* B tutors D's route in N: deleting B would leave N's route naming nobody. */
static void a_sync_deleting_what_the_rest_refers_to_is_refused_naming_both(void **state)
{
	fixture *f = *state;
	t_import(f->db, "{\"routes\": [{\"code\": \"RD\", \"staff\": \"D\", \"tutor\": \"B\"}]}");
	char *before = NULL, *after = NULL;
	T_OK(f->db, mms_db_export_json(f->db, &before));
	mms_report *rep = NULL;
	assert_int_equal(sync_json(f->db, staff_2024, "M", 2024, 0, &rep), MMS_EREF);
	assert_int_equal(mms_report_count(rep), 1);
	assert_string_equal(mms_report_location(rep, 0), "routes/RD");
	assert_non_null(strstr(mms_report_message(rep, 0), "staff/B"));
	assert_non_null(strstr(mms_report_message(rep, 0), "outside the scope"));
	assert_non_null(strstr(mms_db_errmsg(f->db), "staff/B"));
	mms_report_free(rep);
	T_OK(f->db, mms_db_export_json(f->db, &after));
	assert_string_equal(before, after);
	mms_free(before);
	mms_free(after);
	/* a participation the file holds may not keep a deleted person either */
	const char *keeps = "{\"staff\": [{\"code\": \"A\", \"name\": \"A\", \"org\": \"S1\", \"role\": \"teacher\"}],"
			    "\"participations\": [{\"activity\": \"SEM\", \"staff\": \"C\", \"role\": \"participant\"}]}";
	assert_int_equal(sync_json(f->db, keeps, "N", 0, 0, NULL), MMS_EREF); /* D's route */
	rep = NULL;
	assert_int_equal(sync_json(f->db, keeps, "S2", 2024, 0, &rep), MMS_EREF);
	assert_non_null(strstr(mms_report_message(rep, 0), "(in the input)"));
	mms_report_free(rep);
	assert_true(live(f->db, MMS_STAFF, "C"));
}

static void a_sync_needs_a_known_unit_and_options_that_have_it(void **state)
{
	fixture *f = *state;
	assert_int_equal(sync_json(f->db, staff_2024, NULL, 2024, 0, NULL), MMS_EINVAL);
	assert_non_null(strstr(mms_db_errmsg(f->db), "scope"));
	assert_int_equal(sync_json(f->db, staff_2024, "NOPE", 2024, 0, NULL), MMS_ENOTFOUND);
	assert_non_null(strstr(mms_db_errmsg(f->db), "NOPE"));
	assert_int_equal(sync_json(f->db, staff_2024, "M", 3000, 0, NULL), MMS_ERANGE);
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.version = 2; /* a caller built before sync mode cannot ask for it */
	o.mode = MMS_IMPORT_SYNC;
	assert_int_equal(mms_db_import_json(f->db, staff_2024, &o, NULL), MMS_EINVAL);
	assert_true(live(f->db, MMS_STAFF, "B"));
	/* a scoped handle syncs only inside its scope */
	mms_db *scoped = NULL;
	assert_int_equal(mms_db_open_scoped(&scoped, f->path, NULL, "S1"), MMS_OK);
	assert_int_equal(sync_json(scoped, staff_2024, "M", 2024, 0, NULL), MMS_EACCES);
	mms_db_close(scoped);
}

/* A 2024 satisfaction survey of M (murom.P7: share of answers of 70 or
   more, target 85%) answered by ten teachers of S1. */
static char *survey(const int *scores, int n)
{
	char *s = calloc(1, 4096);
	strcpy(s, "{\"participations\": [");
	for (int i = 0; i < n; i++)
		sprintf(s + strlen(s), "%s{\"activity\": \"Q\", \"staff\": \"Q%d\", \"role\": \"respondent\", \"score\": %d}",
			i ? "," : "", i, scores[i]);
	strcat(s, "]}");
	return s;
}

static void value_is(mms_db *db, double num, double den, int status)
{
	mms_kpi *kpi = NULL;
	T_OK(db, mms_kpi_open(&kpi, db));
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	T_OK(db, mms_kpi_value(kpi, "murom.P7", t_find(db, MMS_UNIT, "M"), 2024, &r));
	assert_true(r.defined);
	assert_true(r.numerator == num && r.denominator == den);
	assert_true(fabs(r.value - 100.0 * num / den) < 1e-9);
	assert_int_equal(r.status, status);
	mms_kpi_close(kpi);
}

static void a_corrected_survey_file_gives_exactly_the_values_of_its_answers(void **state)
{
	fixture *f = *state;
	char teachers[2048] = "{\"staff\": [";
	for (int i = 0; i < 10; i++)
		sprintf(teachers + strlen(teachers), "%s{\"code\": \"Q%d\", \"name\": \"Q%d\", \"org\": \"S1\", \"role\": \"teacher\"}",
			i ? "," : "", i, i);
	strcat(teachers, "], \"activities\": [{\"code\": \"Q\", \"name\": \"Анкета\", \"kind\": \"survey\","
			 " \"organizer\": \"M\", \"start\": \"2024-05-01\", \"end\": \"2024-05-31\"}]}");
	t_import(f->db, teachers);
	/* the first file says nine of ten are satisfied; it is sent twice */
	int first[10] = {90, 90, 90, 90, 90, 90, 90, 90, 90, 50};
	char *v1 = survey(first, 10);
	T_OK(f->db, sync_json(f->db, v1, "M", 2024, 0, NULL));
	value_is(f->db, 9, 10, MMS_KPI_ACHIEVED);
	T_OK(f->db, sync_json(f->db, v1, "M", 2024, 0, NULL));
	value_is(f->db, 9, 10, MMS_KPI_ACHIEVED);
	/* the correction: Q0 answered 40 */
	int fixed[10] = {40, 90, 90, 90, 90, 90, 90, 90, 90, 50};
	char *v2 = survey(fixed, 10);
	T_OK(f->db, sync_json(f->db, v2, "M", 2024, 0, NULL));
	value_is(f->db, 8, 10, MMS_KPI_NOT_ACHIEVED);
	/* and Q8's answer withdrawn: 7 of 9 (an append can never take one back) */
	char *v3 = survey(fixed, 8);
	strcpy(strrchr(v3, ']'), ",{\"activity\": \"Q\", \"staff\": \"Q9\", \"role\": \"respondent\", \"score\": 50}]}");
	T_OK(f->db, sync_json(f->db, v3, "M", 2024, 0, NULL));
	value_is(f->db, 7, 9, MMS_KPI_NOT_ACHIEVED);
	mms_db *other = t_open(f->path); /* the file agrees */
	value_is(other, 7, 9, MMS_KPI_NOT_ACHIEVED);
	mms_db_close(other);
	free(v1);
	free(v2);
	free(v3);
}

/* Entities added later have periods of their own: an undated mentoring
 * pair is in every year's scope, a pair of 2023 only in 2023's. */
static void a_sync_with_a_year_judges_later_entities_by_their_own_periods(void **state)
{
	fixture *f = *state;
	t_import(f->db, "{\"mentoring_pairs\": [{\"code\": \"P1\", \"form\": \"teacher_teacher\","
			" \"mentor\": \"A\", \"mentee\": \"B\"},"
			" {\"code\": \"P0\", \"form\": \"teacher_teacher\", \"mentor\": \"A\","
			" \"mentee\": \"C\", \"start\": \"2023-01-10\", \"end\": \"2023-06-30\"}]}");
	mms_report *rep = NULL;
	T_OK(f->db, sync_json(f->db, "{\"mentoring_pairs\": [{\"code\": \"P2\", \"form\": "
			      "\"teacher_teacher\", \"mentor\": \"A\", \"mentee\": \"C\"}]}",
			      "M", 2024, 0, &rep));
	mms_report_free(rep);
	assert_false(live(f->db, MMS_MENTORING_PAIR, "P1")); /* undated: in 2024's scope */
	assert_true(live(f->db, MMS_MENTORING_PAIR, "P0"));  /* 2023's: not */
	assert_true(live(f->db, MMS_MENTORING_PAIR, "P2"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(a_sync_makes_the_scope_equal_to_the_file_and_leaves_the_rest),
		T(a_dry_run_lists_every_change_and_makes_none),
		T(the_same_file_synced_twice_changes_nothing_the_second_time),
		T(a_sync_deleting_what_the_rest_refers_to_is_refused_naming_both),
		T(a_sync_needs_a_known_unit_and_options_that_have_it),
		T(a_corrected_survey_file_gives_exactly_the_values_of_its_answers),
		T(a_sync_with_a_year_judges_later_entities_by_their_own_periods),
	};
	return cmocka_run_group_tests_name("sync", tests, NULL, NULL);
}
