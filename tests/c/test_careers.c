/*
 * Careers and units over time (docs/format.md, "People, posts and past
 * values"): the real-life table of issue 12, each change checked the way a
 * methodist would: last year's values exactly as they were, this year's
 * changed as the change says.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "helpers.h"
#include "store/store.h"

/* tests/data/careers/README.md: the network and the indicators. */
#define CAREERS MMS_TEST_DATA "/careers/"

enum { NIDS = 4, NUNITS = 6 };
static const char *const ids[NIDS] = {"c.teachers", "c.posts", "c.highest", "c.trained"};
static const char *const units[NUNITS] = {"R", "M1", "M2", "S1", "S2", "S3"};

typedef struct fixture {
	char *dir, *path;
	mms_db *db;
	mms_kpi *kpi;
	/* every indicator at every unit for 2024 and 2025, before the change */
	mms_kpi_result was[2][NIDS][NUNITS];
} fixture;

static void values(fixture *f, int year, mms_kpi_result out[NIDS][NUNITS])
{
	for (int i = 0; i < NIDS; i++)
		for (int u = 0; u < NUNITS; u++) {
			mms_kpi_result r = MMS_KPI_RESULT_INIT;
			if (mms_kpi_value(f->kpi, ids[i], t_find(f->db, MMS_UNIT, units[u]), year, &r))
				fail_msg("%s at %s: %s", ids[i], units[u], mms_kpi_errmsg(f->kpi));
			out[i][u] = r;
		}
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	f->path = t_path(f->dir, "c.sqlite");
	f->db = t_open(f->path);
	T_OK(f->db, mms_db_import(f->db, CAREERS "network.json", NULL, NULL));
	T_OK(f->db, mms_kpi_open(&f->kpi, f->db));
	mms_report *r = NULL;
	if (mms_kpi_load(f->kpi, CAREERS "definitions.json", &r) != MMS_OK)
		fail_msg("%s", mms_kpi_errmsg(f->kpi));
	mms_report_free(r);
	values(f, 2024, f->was[0]);
	values(f, 2025, f->was[1]);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	mms_kpi_close(f->kpi);
	mms_db_close(f->db);
	t_rmtree(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

static int same(const mms_kpi_result *a, const mms_kpi_result *b)
{
	return a->defined == b->defined && a->numerator == b->numerator &&
	       a->denominator == b->denominator && (!a->defined || a->value == b->value);
}

/* 2024's values after the change are exactly those before it. */
static void assert_2024_unchanged(fixture *f)
{
	mms_kpi_result now[NIDS][NUNITS];
	values(f, 2024, now);
	for (int i = 0; i < NIDS; i++)
		for (int u = 0; u < NUNITS; u++)
			if (!same(&now[i][u], &f->was[0][i][u]))
				fail_msg("2024 %s at %s moved: %g/%g, was %g/%g", ids[i], units[u],
					 now[i][u].numerator, now[i][u].denominator,
					 f->was[0][i][u].numerator, f->was[0][i][u].denominator);
}

/* The numerator of indicator i at unit u for 2025, now and before. */
static double now25(fixture *f, int i, int u)
{
	mms_kpi_result now[NIDS][NUNITS];
	values(f, 2025, now);
	assert_string_equal(now[i][u].as_of, "2025-12-31");
	return now[i][u].numerator;
}
static double was25(fixture *f, int i, int u)
{
	return f->was[1][i][u].numerator;
}

enum { TEACHERS, POSTS, HIGHEST, TRAINED };
enum { R, M1, M2, S1, S2, S3 };

static int update_from(mms_db *db, int e, const char *code, const char *field, const char *value,
		       const char *from)
{
	const char *pairs[] = {field, value, NULL};
	mms_update_options o = MMS_UPDATE_OPTIONS_INIT;
	o.actor = "кадры";
	o.from = from;
	return mms_db_update(db, e, code, pairs, &o, NULL);
}

static char *at(mms_db *db, int e, const char *code, const char *field, const char *day)
{
	char *v = NULL;
	T_OK(db, mms_db_get_at(db, e, t_find(db, e, code), field, day, &v));
	return v ? v : strdup("");
}

static void assert_at(mms_db *db, int e, const char *code, const char *field, const char *day,
		      const char *want)
{
	char *v = at(db, e, code, field, day);
	if (strcmp(v, want))
		fail_msg("%s.%s on %s is \"%s\", want \"%s\"", code, field, day, v, want);
	free(v);
}

static void a_category_change_counts_from_its_year_on(void **state)
{
	fixture *f = *state;
	T_OK(f->db, update_from(f->db, MMS_STAFF, "A", "category", "highest", "2025-04-01"));
	assert_2024_unchanged(f);
	assert_true(was25(f, HIGHEST, S1) == 0 && now25(f, HIGHEST, S1) == 1);
	assert_true(now25(f, HIGHEST, R) == was25(f, HIGHEST, R) + 1);
	assert_at(f->db, MMS_STAFF, "A", "category", "2025-03-31", "first");
	assert_at(f->db, MMS_STAFF, "A", "category", "2025-04-01", "highest");
	mms_history *h = NULL;
	T_OK(f->db, mms_db_history(f->db, MMS_STAFF, "A", &h));
	assert_int_equal(mms_history_count(h), 2); /* added, then the category */
	assert_string_equal(mms_history_field(h, 1), "category");
	assert_string_equal(mms_history_old(h, 1), "first");
	assert_string_equal(mms_history_actor(h, 1), "кадры");
	mms_history_free(h);
}

/* B moves from S1 to S2 on 1 June 2025: counted at S2 at the year's end,
 * while the course taken in March still counts at S1, where B then was. */
static void a_move_mid_year_counts_at_the_new_school_from_that_year(void **state)
{
	fixture *f = *state;
	T_OK(f->db, update_from(f->db, MMS_STAFF, "B", "org", "S2", "2025-06-01"));
	assert_2024_unchanged(f);
	assert_true(now25(f, TEACHERS, S1) == 1 && now25(f, TEACHERS, S2) == 3);
	assert_true(now25(f, TEACHERS, M1) == was25(f, TEACHERS, M1));
	assert_true(now25(f, TRAINED, S1) == 1 && now25(f, TRAINED, S2) == 0);
	assert_at(f->db, MMS_STAFF, "B", "org", "2025-05-31", "S1");
	assert_at(f->db, MMS_STAFF, "B", "org", "2025-06-01", "S2");
	/* moving back needs a day after the last one: the value must hold a day */
	assert_int_equal(update_from(f->db, MMS_STAFF, "B", "org", "S1", "2025-06-01"), MMS_ERANGE);
	assert_non_null(strstr(mms_db_errmsg(f->db), "until 2025-05-31"));
	assert_at(f->db, MMS_STAFF, "B", "org", "2025-12-31", "S2");
	T_OK(f->db, update_from(f->db, MMS_STAFF, "B", "org", "S1", "2025-09-01"));
	assert_true(now25(f, TEACHERS, S1) == 2);
	assert_at(f->db, MMS_STAFF, "B", "org", "2025-07-01", "S2");
	assert_2024_unchanged(f);
}

/* C takes a second job at S3 as an external part-timer, D a second post at
 * its own school: people are counted once, at their main post; posts
 * count D's second one; an external part-timer is in no staff count. */
static void a_second_job_is_another_post_of_the_same_person(void **state)
{
	fixture *f = *state;
	T_OK(f->db, t_insert(f->db, MMS_STAFF, NULL, "code", "C-2", "name", "C", "person", "C",
			     "org", "S3", "role", "teacher", "employment", "external_part_time",
			     "birth_date", "1980-05-05", "work_start", "2025-02-01", NULL));
	T_OK(f->db, t_insert(f->db, MMS_STAFF, NULL, "code", "D-2", "name", "D", "person", "D",
			     "org", "S2", "role", "teacher", "employment", "internal_part_time",
			     "work_start", "2025-02-01", NULL));
	assert_2024_unchanged(f);
	assert_true(now25(f, TEACHERS, S3) == 1 && now25(f, TEACHERS, S2) == 2);
	assert_true(now25(f, POSTS, S2) == 3 && now25(f, POSTS, S3) == 1);
	/* the posts of one person agree on the birth date */
	int rc = t_insert(f->db, MMS_STAFF, NULL, "code", "C-3", "name", "C", "person", "C",
			  "org", "S1", "role", "teacher", "birth_date", "1981-01-01", NULL);
	assert_int_equal(rc, MMS_ERANGE);
	assert_non_null(strstr(mms_db_errmsg(f->db), "\"C\""));
	int32_t id;
	assert_int_equal(mms_db_find(f->db, MMS_STAFF, "C-3", &id), MMS_ENOTFOUND);
}

/* D leaves on 31 May 2025 (its last day, no history needed). */
static void a_departure_leaves_the_year_after_it(void **state)
{
	fixture *f = *state;
	const char *end[] = {"work_end", "2025-05-31", NULL};
	T_OK(f->db, mms_db_update(f->db, MMS_STAFF, "D", end, NULL, NULL));
	assert_2024_unchanged(f);
	assert_true(now25(f, TEACHERS, S2) == 1 && now25(f, TEACHERS, R) == 4);
}

/* S1 becomes a lyceum on 1 September 2025: the name of each year is the
 * one valid then; the values do not move. */
static void a_rename_shows_the_name_of_each_year(void **state)
{
	fixture *f = *state;
	T_OK(f->db, update_from(f->db, MMS_UNIT, "S1", "name", "Лицей 1", "2025-09-01"));
	assert_2024_unchanged(f);
	assert_at(f->db, MMS_UNIT, "S1", "name", "2024-12-31", "Школа 1");
	assert_at(f->db, MMS_UNIT, "S1", "name", "2025-12-31", "Лицей 1");
	for (int i = 0; i < NIDS; i++)
		assert_true(now25(f, i, S1) == was25(f, i, S1));
}

/* S2 passes from M1 to M2 on 1 January 2025: 2024 and before count under
 * M1, 2025 under M2. */
static void a_resubordinated_school_counts_under_its_new_municipality_from_then(void **state)
{
	fixture *f = *state;
	T_OK(f->db, update_from(f->db, MMS_UNIT, "S2", "parent", "M2", "2025-01-01"));
	assert_2024_unchanged(f);
	assert_true(f->was[0][TEACHERS][M1].numerator == 4);
	assert_true(now25(f, TEACHERS, M1) == 2 && now25(f, TEACHERS, M2) == 3);
	assert_true(now25(f, TEACHERS, R) == 5);
	assert_at(f->db, MMS_UNIT, "S2", "parent", "2024-12-31", "M1");
}

/* Units through their staff (docs/indicators.md, "As at which day"). */
static const char unit_defs[] =
	"{\"indicators\": ["
	"{\"id\": \"c.u_trained\", \"name_ru\": \"Школы с обученными\", \"kind\": \"count\","
	" \"population\": \"units\", \"numerator\": \"participated(\\\"course\\\")\"},"
	"{\"id\": \"c.u_mentoring\", \"name_ru\": \"Школы с наставничеством\", \"kind\": \"count\","
	" \"population\": \"units\", \"numerator\": \"mentoring_pair()\"}]}";

static double unit_value(fixture *f, const char *id, const char *unit, int year)
{
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	if (mms_kpi_value(f->kpi, id, t_find(f->db, MMS_UNIT, unit), year, &r))
		fail_msg("%s at %s: %s", id, unit, mms_kpi_errmsg(f->kpi));
	return r.numerator;
}

/* B took a course and was A's mentee at S1 in 2024, and moves to S2 on
 * 1 June 2025: S1 keeps its 2024 course and pair, S2 gains none in 2024;
 * in 2025 B's course of March counts for S2, where B is at the year's end. */
static void a_unit_counts_its_staff_of_the_period_end(void **state)
{
	fixture *f = *state;
	mms_report *rep = NULL;
	if (mms_kpi_load_json(f->kpi, unit_defs, "units", &rep) != MMS_OK)
		fail_msg("%s", mms_kpi_errmsg(f->kpi));
	mms_report_free(rep);
	T_OK(f->db, t_insert(f->db, MMS_PARTICIPATION, NULL, "activity", "K", "staff", "B", "role",
			     "participant", "start", "2024-03-01", "end", "2024-03-20", NULL));
	T_OK(f->db, t_insert(f->db, MMS_MENTORING_PAIR, NULL, "code", "P1", "form",
			     "teacher_teacher", "mentor", "A", "mentee", "B", "start", "2024-01-01",
			     "end", "2024-12-31", NULL));
	values(f, 2024, f->was[0]); /* with B's course of 2024 */
	const char *u_ids[] = {"c.u_trained", "c.u_mentoring"};
	for (int i = 0; i < 2; i++) {
		assert_true(unit_value(f, u_ids[i], "S1", 2024) == 1);
		assert_true(unit_value(f, u_ids[i], "S2", 2024) == 0);
	}
	T_OK(f->db, update_from(f->db, MMS_STAFF, "B", "org", "S2", "2025-06-01"));
	assert_2024_unchanged(f);
	for (int i = 0; i < 2; i++) {
		if (unit_value(f, u_ids[i], "S1", 2024) != 1 || unit_value(f, u_ids[i], "S2", 2024) != 0)
			fail_msg("2024 %s moved with B: S1 %g, S2 %g", u_ids[i],
				 unit_value(f, u_ids[i], "S1", 2024), unit_value(f, u_ids[i], "S2", 2024));
		assert_true(unit_value(f, u_ids[i], "M1", 2024) == 1);
	}
	assert_true(unit_value(f, "c.u_trained", "S1", 2025) == 0);
	assert_true(unit_value(f, "c.u_trained", "S2", 2025) == 1);
	/* B back at S1 from September: counted once, at S1 */
	T_OK(f->db, update_from(f->db, MMS_STAFF, "B", "org", "S1", "2025-09-01"));
	assert_true(unit_value(f, "c.u_trained", "S1", 2025) == 1);
	assert_true(unit_value(f, "c.u_trained", "S2", 2025) == 0);
	assert_true(unit_value(f, "c.u_mentoring", "S1", 2024) == 1);
}

static const char distinct_defs[] =
	"{\"indicators\": [{\"id\": \"c.courses\", \"name_ru\": \"Курсы\", \"kind\": \"count\","
	" \"population\": \"participations\", \"aggregation\": \"distinct\","
	" \"numerator\": \"activity.kind = \\\"course\\\"\"}]}";

static double target_of(fixture *f, const char *unit, int year)
{
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	if (mms_kpi_value(f->kpi, "c.teachers", t_find(f->db, MMS_UNIT, unit), year, &r))
		fail_msg("at %s: %s", unit, mms_kpi_errmsg(f->kpi));
	return r.has_target ? r.target : NAN;
}

static size_t drilled(fixture *f, const char *unit, int year)
{
	mms_idlist *l = NULL;
	if (mms_kpi_records(f->kpi, "c.teachers", t_find(f->db, MMS_UNIT, unit), year, 1, &l))
		fail_msg("records at %s: %s", unit, mms_kpi_errmsg(f->kpi));
	size_t n = mms_idlist_count(l);
	mms_idlist_free(l);
	return n;
}

/* S2 passes from M1 to M2 on 1 January 2025: for 2024 it inherits M1's
 * target and is in M1's drill-down, from 2025 M2's. */
static void a_resubordinated_school_inherits_and_drills_down_by_the_year(void **state)
{
	fixture *f = *state;
	int32_t m1 = t_find(f->db, MMS_UNIT, "M1"), m2 = t_find(f->db, MMS_UNIT, "M2");
	for (int y = 2024; y <= 2025; y++) {
		if (mms_kpi_target_set(f->kpi, "c.teachers", m1, y, 10 + (y - 2024)) ||
		    mms_kpi_target_set(f->kpi, "c.teachers", m2, y, 20 + (y - 2024)))
			fail_msg("%s", mms_kpi_errmsg(f->kpi));
	}
	/* C's course of 2024 at S2: once for M1 in 2024, where S2 then was */
	mms_report *rep = NULL;
	if (mms_kpi_load_json(f->kpi, distinct_defs, "distinct", &rep) != MMS_OK)
		fail_msg("%s", mms_kpi_errmsg(f->kpi));
	mms_report_free(rep);
	T_OK(f->db, t_insert(f->db, MMS_PARTICIPATION, NULL, "activity", "K", "staff", "C", "role",
			     "participant", "start", "2024-03-01", "end", "2024-03-20", NULL));
	values(f, 2024, f->was[0]);
	assert_true(unit_value(f, "c.courses", "M1", 2024) == 1);
	T_OK(f->db, update_from(f->db, MMS_UNIT, "S2", "parent", "M2", "2025-01-01"));
	assert_2024_unchanged(f);
	if (unit_value(f, "c.courses", "M1", 2024) != 1 || unit_value(f, "c.courses", "M2", 2024) != 0)
		fail_msg("2024 distinct courses moved with S2: M1 %g, M2 %g",
			 unit_value(f, "c.courses", "M1", 2024), unit_value(f, "c.courses", "M2", 2024));
	assert_true(unit_value(f, "c.courses", "R", 2024) == 1);
	if (target_of(f, "S2", 2024) != 10 || target_of(f, "S2", 2025) != 21)
		fail_msg("S2 inherits %g for 2024 and %g for 2025, want 10 and 21",
			 target_of(f, "S2", 2024), target_of(f, "S2", 2025));
	assert_true(target_of(f, "S1", 2025) == 11 && target_of(f, "S3", 2024) == 20);
	if (drilled(f, "M1", 2024) != 4 || drilled(f, "M2", 2024) != 1)
		fail_msg("2024 drill-down: M1 %zu, M2 %zu teachers, want 4 and 1",
			 drilled(f, "M1", 2024), drilled(f, "M2", 2024));
	assert_int_equal(drilled(f, "M1", 2025), 2);
	assert_int_equal(drilled(f, "M2", 2025), 3);
	assert_int_equal(drilled(f, "R", 2024), 5);
}

static int has_target(fixture *f, const char *id, const char *unit, int year, double *target)
{
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	if (mms_kpi_value(f->kpi, id, t_find(f->db, MMS_UNIT, unit), year, &r))
		fail_msg("%s at %s: %s", id, unit, mms_kpi_errmsg(f->kpi));
	*target = r.target;
	return r.has_target;
}

/* M1 adopts Murom's programme: S2, M1's school until 2025, meets its
 * trajectory for 2024 and, under M2 (no programme) from 2025, none. */
static void a_resubordinated_school_is_under_its_old_territory_s_programme_for_the_past(void **state)
{
	fixture *f = *state;
	T_OK(f->db, t_insert(f->db, MMS_PROGRAMME, NULL, "code", "PR-M1", "definition", "murom.2021",
			     "owner", "M1", "territory", "M1", NULL));
	double t;
	assert_true(has_target(f, "murom.P5", "S2", 2024, &t) && t == 75);
	T_OK(f->db, update_from(f->db, MMS_UNIT, "S2", "parent", "M2", "2025-01-01"));
	if (!has_target(f, "murom.P5", "S2", 2024, &t) || t != 75)
		fail_msg("S2's 2024 target left with M1's programme");
	assert_false(has_target(f, "murom.P5", "S2", 2025, &t));
	assert_true(has_target(f, "murom.P5", "S1", 2025, &t) && t == 80);
}

/* A roadmap task of S2 due in 2024 is M1's for 2024 after S2 passes to M2. */
static void a_resubordinated_school_s_past_tasks_stay_with_its_old_parent(void **state)
{
	fixture *f = *state;
	T_OK(f->db, t_insert(f->db, MMS_PROGRAMME, NULL, "code", "PR-R", "definition", "murom.2021",
			     "owner", "R", "territory", "R", NULL));
	T_OK(f->db, t_insert(f->db, MMS_TASK, NULL, "code", "T1", "programme", "PR-R", "plan",
			     "roadmap", "name", "Проект школы 2", "deadline", "2024-06-01", "unit",
			     "S2", NULL));
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	T_OK(f->db, update_from(f->db, MMS_UNIT, "S2", "parent", "M2", "2025-01-01"));
	const char *at[] = {"M1", "M2"};
	for (int i = 0; i < 2; i++) {
		if (mms_kpi_value(f->kpi, "murom.P1", t_find(f->db, MMS_UNIT, at[i]), 2024, &r))
			fail_msg("%s", mms_kpi_errmsg(f->kpi));
		if (r.denominator != (i == 0 ? 1 : 0))
			fail_msg("2024 tasks at %s: %g, want %d", at[i], r.denominator, i == 0);
	}
}

/* What --from may not do is refused, and nothing changes. */
static void an_update_from_a_day_is_refused_for_what_has_no_history(void **state)
{
	fixture *f = *state;
	assert_int_equal(update_from(f->db, MMS_STAFF, "A", "name", "Z", "2025-01-01"), MMS_EINVAL);
	assert_non_null(strstr(mms_db_errmsg(f->db), "name has no history"));
	assert_int_equal(update_from(f->db, MMS_ACTIVITY, "K", "hours", "72", "2025-01-01"),
			 MMS_EINVAL);
	assert_int_equal(update_from(f->db, MMS_STAFF, "A", "org", "S2", "2025-13-01"), MMS_EINVAL);
	assert_at(f->db, MMS_STAFF, "A", "name", "2030-01-01", "A");
	size_t n = 1;
	T_OK(f->db, mms_db_count(f->db, MMS_PAST_VALUE, &n));
	assert_int_equal(n, 0);
	assert_2024_unchanged(f);
}

/* Past values are imported through the same rules, each problem located. */
static void imported_past_values_are_checked_like_every_record(void **state)
{
	fixture *f = *state;
	const char *bad =
		"{\"past_values\": ["
		"{\"entity\": \"staff\", \"record\": \"NOBODY\", \"field\": \"org\", \"value\": \"S1\", \"until\": \"2020-01-01\"},"
		"{\"entity\": \"staff\", \"record\": \"A\", \"field\": \"birth_date\", \"value\": \"1990-01-01\", \"until\": \"2020-01-01\"},"
		"{\"entity\": \"staff\", \"record\": \"A\", \"field\": \"category\", \"value\": \"golden\", \"until\": \"2020-01-01\"},"
		"{\"entity\": \"unit\", \"record\": \"S1\", \"field\": \"parent\", \"value\": \"NOWHERE\", \"until\": \"2020-01-01\"},"
		"{\"entity\": \"staff\", \"record\": \"A\", \"field\": \"org\", \"value\": \"S2\", \"until\": \"2021-08-31\"},"
		"{\"entity\": \"staff\", \"record\": \"A\", \"field\": \"org\", \"value\": \"S3\", \"until\": \"2021-08-31\"}]}";
	mms_report *r = NULL;
	assert_int_not_equal(mms_db_import_json(f->db, bad, NULL, &r), MMS_OK);
	assert_int_equal(mms_report_count(r), 5);
	const char *want[] = {"/past_values/0/record", "/past_values/1/field", "/past_values/2/value",
			      "/past_values/3/value", "/past_values/5/until"};
	for (size_t i = 0; i < 5; i++)
		if (!strstr(mms_report_location(r, i), want[i]))
			fail_msg("problem %zu is \"%s\" at %s, want %s", i, mms_report_message(r, i),
				 mms_report_location(r, i), want[i]);
	mms_report_free(r);
	size_t n = 1;
	T_OK(f->db, mms_db_count(f->db, MMS_PAST_VALUE, &n));
	assert_int_equal(n, 0);
	/* a good one: A was at S2 until August 2024; 2024 now counts A there */
	t_import(f->db, "{\"past_values\": [{\"entity\": \"staff\", \"record\": \"A\", \"field\": \"org\","
			" \"value\": \"S2\", \"until\": \"2024-12-31\"}]}");
	mms_kpi_result now[NIDS][NUNITS];
	values(f, 2024, now);
	assert_true(now[TEACHERS][S1].numerator == 1 && now[TEACHERS][S2].numerator == 3);
	assert_true(now25(f, TEACHERS, S1) == 2);
}


/* A deleted staff member's past values go with it; a school someone's past
 * org names cannot be deleted while that history refers to it. */
static void past_values_go_with_their_record_and_keep_what_they_name(void **state)
{
	fixture *f = *state;
	T_OK(f->db, update_from(f->db, MMS_STAFF, "B", "org", "S2", "2025-06-01"));
	T_OK(f->db, update_from(f->db, MMS_STAFF, "A", "category", "highest", "2025-06-01"));
	mms_delete_options o = MMS_DELETE_OPTIONS_INIT;
	assert_int_equal(mms_db_delete(f->db, MMS_UNIT, "S1", &o, NULL), MMS_EREF);
	T_OK(f->db, mms_db_delete(f->db, MMS_STAFF, "A", &o, NULL));
	size_t n = 0;
	T_OK(f->db, mms_db_count(f->db, MMS_PAST_VALUE, &n));
	assert_int_equal(n, 1);
	char *text = NULL;
	T_OK(f->db, mms_db_export_json(f->db, &text));
	char *path = t_path(f->dir, "again.sqlite");
	mms_db *again = t_open(path);
	t_import(again, text); /* the export stays importable */
	mms_free(text);
	mms_db_close(again);
	free(path);
}

/* Murom П10 as a cohort: young teachers on staff at the year's start or
 * hired in it, retained if still working at its end; a move from S1 to S2
 * is retained by M1 and lost by S1, a departure lost by both. */
static void young_specialists_are_a_cohort_and_a_move_is_retained_by_the_territory(void **state)
{
	fixture *f = *state;
	t_import(f->db, "{\"staff\": ["
		     "{\"code\": \"Y1\", \"name\": \"Y1\", \"org\": \"S1\", \"role\": \"teacher\", \"work_start\": \"2023-09-01\"},"
		     "{\"code\": \"Y2\", \"name\": \"Y2\", \"org\": \"S1\", \"role\": \"teacher\", \"work_start\": \"2023-09-01\"},"
		     "{\"code\": \"Y3\", \"name\": \"Y3\", \"org\": \"S3\", \"role\": \"teacher\", \"work_start\": \"2025-03-01\"}]}");
	mms_kpi_result r24 = MMS_KPI_RESULT_INIT;
	T_OK(f->db, mms_kpi_value(f->kpi, "murom.P10", t_find(f->db, MMS_UNIT, "S1"), 2024, &r24));
	assert_true(r24.numerator == 2 && r24.denominator == 2);
	T_OK(f->db, update_from(f->db, MMS_STAFF, "Y1", "org", "S2", "2025-06-01"));
	const char *end[] = {"work_end", "2025-10-31", NULL};
	T_OK(f->db, mms_db_update(f->db, MMS_STAFF, "Y2", end, NULL, NULL));
	static const struct {
		const char *unit;
		double num, den;
	} want[] = {{"S1", 0, 2}, {"S2", 0, 0}, {"M1", 1, 2}, {"S3", 1, 1}, {"M2", 1, 1}, {"R", 2, 3}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		mms_kpi_result v = MMS_KPI_RESULT_INIT;
		T_OK(f->db, mms_kpi_value(f->kpi, "murom.P10", t_find(f->db, MMS_UNIT, want[i].unit), 2025, &v));
		if (v.numerator != want[i].num || v.denominator != want[i].den)
			fail_msg("murom.P10 at %s in 2025: %g/%g, want %g/%g", want[i].unit, v.numerator,
				 v.denominator, want[i].num, want[i].den);
	}
	mms_kpi_result now24 = MMS_KPI_RESULT_INIT;
	T_OK(f->db, mms_kpi_value(f->kpi, "murom.P10", t_find(f->db, MMS_UNIT, "S1"), 2024, &now24));
	assert_true(now24.numerator == 2 && now24.denominator == 2);
	/* drill-down lists the records where they count */
	mms_idlist *num = NULL, *den = NULL;
	T_OK(f->db, mms_kpi_records(f->kpi, "murom.P10", t_find(f->db, MMS_UNIT, "M1"), 2025, 1, &num));
	T_OK(f->db, mms_kpi_records(f->kpi, "murom.P10", t_find(f->db, MMS_UNIT, "S1"), 2025, 0, &den));
	assert_int_equal(mms_idlist_count(num), 1);
	assert_int_equal(mms_idlist_get(num, 0), t_find(f->db, MMS_STAFF, "Y1"));
	assert_int_equal(mms_idlist_count(den), 2);
	mms_idlist_free(num);
	mms_idlist_free(den);
}

/* The values the previous release computed on its file (tests/data/schema2/README.md). */
static void assert_release_values(mms_db *db)
{
	static const struct {
		const char *id, *unit;
		int year;
		double num, den;
	} want[] = {{"s2.teachers", "R", 2024, 4, 5}, {"s2.highest", "R", 2024, 2, 4},
		    {"s2.trained", "R", 2024, 1, 1}, {"s2.teachers", "M1", 2024, 3, 4},
		    {"s2.highest", "M1", 2024, 1, 3}, {"s2.trained", "M1", 2024, 1, 1},
		    {"s2.teachers", "R", 2023, 4, 5}, {"s2.highest", "R", 2023, 2, 4},
		    {"s2.trained", "R", 2023, 1, 1}};
	mms_kpi *kpi = NULL;
	T_OK(db, mms_kpi_open(&kpi, db));
	mms_report *r = NULL;
	if (mms_kpi_load(kpi, MMS_TEST_DATA "/schema2/definitions.json", &r) != MMS_OK)
		fail_msg("%s", mms_kpi_errmsg(kpi));
	mms_report_free(r);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		mms_kpi_result v = MMS_KPI_RESULT_INIT;
		T_OK(db, mms_kpi_value(kpi, want[i].id, t_find(db, MMS_UNIT, want[i].unit), want[i].year, &v));
		if (v.numerator != want[i].num || v.denominator != want[i].den)
			fail_msg("%s at %s in %d: %g/%g, the release said %g/%g", want[i].id, want[i].unit,
				 want[i].year, v.numerator, v.denominator, want[i].num, want[i].den);
	}
	mms_kpi_result v = MMS_KPI_RESULT_INIT;
	T_OK(db, mms_kpi_value(kpi, "s2.highest", t_find(db, MMS_UNIT, "R"), 2024, &v));
	assert_true(v.has_target && v.target == 40);
	mms_kpi_close(kpi);
}

static int user_version(const char *path)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(s);
	return v;
}

/* A file of the previous release (schema 2) is read as it is read-only,
 * and migrated by a read-write open: each staff row a person with one main
 * post, the values as the release computed them, careers then tracked. */
static void a_schema_2_file_of_the_previous_release_opens_and_migrates(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "v2.sqlite");
	t_copy_db(MMS_TEST_DATA "/schema2/network.sqlite", path);
	assert_int_equal(user_version(path), 2);
	mms_open_options ro = MMS_OPEN_OPTIONS_INIT;
	ro.read_only = 1;
	mms_db *db = NULL;
	T_OK(db, mms_db_open(&db, path, &ro));
	size_t n = 0;
	T_OK(db, mms_db_count(db, MMS_STAFF, &n));
	assert_int_equal(n, 6);
	T_OK(db, mms_db_count(db, MMS_PAST_VALUE, &n));
	assert_int_equal(n, 0);
	assert_release_values(db);
	mms_db_close(db);
	assert_int_equal(user_version(path), 2); /* a read-only open wrote nothing */
	db = t_open(path);
	assert_int_equal(user_version(path), MMS_SCHEMA_VERSION);
	assert_release_values(db);
	char *person = NULL;
	T_OK(db, mms_db_get(db, MMS_STAFF, t_find(db, MMS_STAFF, "A"), "person", &person));
	assert_null(person); /* the code is the person's key: one person, one post */
	T_OK(db, update_from(db, MMS_STAFF, "A", "org", "S3", "2025-02-01"));
	assert_release_values(db); /* 2023 and 2024 as they were */
	mms_db_close(db);
	t_rmtree(dir);
	free(dir);
	free(path);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(a_category_change_counts_from_its_year_on),
		T(a_move_mid_year_counts_at_the_new_school_from_that_year),
		T(a_second_job_is_another_post_of_the_same_person),
		T(a_departure_leaves_the_year_after_it),
		T(a_rename_shows_the_name_of_each_year),
		T(a_resubordinated_school_counts_under_its_new_municipality_from_then),
		T(a_unit_counts_its_staff_of_the_period_end),
		T(a_resubordinated_school_inherits_and_drills_down_by_the_year),
		T(a_resubordinated_school_is_under_its_old_territory_s_programme_for_the_past),
		T(a_resubordinated_school_s_past_tasks_stay_with_its_old_parent),
		T(an_update_from_a_day_is_refused_for_what_has_no_history),
		T(imported_past_values_are_checked_like_every_record),
		T(past_values_go_with_their_record_and_keep_what_they_name),
		T(young_specialists_are_a_cohort_and_a_move_is_retained_by_the_territory),
		cmocka_unit_test(a_schema_2_file_of_the_previous_release_opens_and_migrates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
