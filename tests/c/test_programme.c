/*
 * Programmes own indicators (docs/indicators.md, "Programmes"): built-in
 * definitions as the documents set them, adoptions that decide which
 * programme judges a unit, trajectories, overrides, parameters, aliases.
 *
 *  R  regional institute
 *  ├─ CN cnppm
 *  ├─ M  municipal service    └─ S1 school: teachers T1 (answered 60), T2 (answered 80)
 *  └─ M2 municipal service    └─ S2 school: teacher T3 (answered 90)
 *  All answers are to the survey Q of 2023.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static const char net[] =
	"{\"units\": ["
	"{\"code\": \"R\", \"name\": \"ИРО\", \"level\": \"regional\", \"kind\": \"institute\"},"
	"{\"code\": \"CN\", \"name\": \"ЦНППМ\", \"level\": \"regional\", \"kind\": \"cnppm\", \"parent\": \"R\"},"
	"{\"code\": \"M\", \"name\": \"ММС\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\"},"
	"{\"code\": \"S1\", \"name\": \"Школа 1\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"},"
	"{\"code\": \"M2\", \"name\": \"ММС 2\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\"},"
	"{\"code\": \"S2\", \"name\": \"Школа 2\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M2\"}],"
	"\"staff\": ["
	"{\"code\": \"T1\", \"name\": \"T1\", \"org\": \"S1\", \"role\": \"teacher\"},"
	"{\"code\": \"T2\", \"name\": \"T2\", \"org\": \"S1\", \"role\": \"teacher\"},"
	"{\"code\": \"T3\", \"name\": \"T3\", \"org\": \"S2\", \"role\": \"teacher\"}],"
	"\"activities\": [{\"code\": \"Q\", \"name\": \"Анкета\", \"kind\": \"survey\", \"start\": \"2023-03-01\", \"end\": \"2023-03-01\"}],"
	"\"participations\": ["
	"{\"activity\": \"Q\", \"staff\": \"T1\", \"role\": \"respondent\", \"score\": 60},"
	"{\"activity\": \"Q\", \"staff\": \"T2\", \"role\": \"respondent\", \"score\": 80},"
	"{\"activity\": \"Q\", \"staff\": \"T3\", \"role\": \"respondent\", \"score\": 90}]}";

/* Two indicators without targets of their own, for programmes to own. */
static const char defs[] =
	"{\"indicators\": ["
	"{\"id\": \"x.teachers\", \"name_ru\": \"Педагоги\", \"kind\": \"count\", \"population\": \"staff\","
	" \"filter\": \"role = \\\"teacher\\\"\", \"aggregation\": \"sum\", \"direction\": \"higher\"},"
	"{\"id\": \"x.satisfied\", \"name_ru\": \"Удовлетворённые\", \"kind\": \"survey_share\","
	" \"population\": \"participations\", \"filter\": \"activity.kind = \\\"survey\\\" and score >= 0\","
	" \"parameters\": {\"satisfied\": 70}, \"numerator\": \"score >= satisfied\","
	" \"aliases\": [\"doc.satisfaction\"]},"
	"{\"id\": \"x.roadmap\", \"name_ru\": \"Дорожная карта\", \"kind\": \"fact_value\","
	" \"population\": \"units\", \"fact\": \"x.roadmap\"}]}";

static const char prog[] =
	"{\"programmes\": [{\"id\": \"x.plan\", \"name_ru\": \"Программа\", \"owner_level\": \"municipal\","
	" \"first_year\": 2022, \"last_year\": 2024,"
	" \"stages\": [{\"name_ru\": \"Этап\", \"from\": \"2022-01-01\", \"to\": \"2024-12-31\"}],"
	" \"criteria\": [{\"id\": \"К1\", \"name_ru\": \"Кадры\", \"indicators\": [\"x.teachers\"]},"
	" {\"id\": \"К2\", \"name_ru\": \"Удовлетворённость\", \"indicators\": [\"doc.satisfaction\"]}],"
	" \"targets\": {\"x.teachers\": {\"2023\": 2, \"2024\": 3}, \"doc.satisfaction\": {\"2023\": 60}}}]}";

typedef struct fixture {
	char *dir, *path;
	mms_db *db;
	mms_kpi *kpi;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	f->path = t_path(f->dir, "p.sqlite");
	f->db = t_open(f->path);
	t_import(f->db, net);
	assert_int_equal(mms_kpi_open(&f->kpi, f->db), MMS_OK);
	assert_int_equal(mms_kpi_load_json(f->kpi, defs, "defs.json", NULL), MMS_OK);
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

static void load_prog(fixture *f, const char *json)
{
	mms_report *r = NULL;
	int rc = mms_programme_load_json(f->kpi, json, "prog.json", &r);
	if (rc != MMS_OK)
		fail_msg("%s", mms_report_count(r) ? mms_report_message(r, 0) : mms_kpi_errmsg(f->kpi));
	mms_report_free(r);
}

static mms_kpi_result value_in(fixture *f, const char *p, const char *id, const char *unit,
			       int year)
{
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	int rc = mms_programme_value(f->kpi, p, id, t_find(f->db, MMS_UNIT, unit), year, &r);
	if (rc != MMS_OK)
		fail_msg("%s", mms_kpi_errmsg(f->kpi));
	return r;
}

/* The i-th programme adopted over unit for year, or "" past the last. */
static const char *applying(fixture *f, const char *unit, int year, size_t i)
{
	const char *p = NULL;
	if (mms_programme_applying(f->kpi, t_find(f->db, MMS_UNIT, unit), year, i, &p) != MMS_OK)
		fail_msg("%s", mms_kpi_errmsg(f->kpi));
	return p ? p : "";
}

static void built_in_programmes_are_the_documents(void **state)
{
	fixture *f = *state;
	const char *ids[] = {"cnppm.2020", "krasnodar.2019", "moscow.2024", "murom.2021",
			     "salda.2021", "tyva.2022"};
	assert_int_equal(mms_programme_count(f->kpi), 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(mms_programme_id(f->kpi, i), ids[i]);
	/* seed 000: «К1. Полнота и своевременность выполнения планов деятельности,
	 * «дорожных карт»: П1 … П4»; К2 П5, П6; К3 П7; К4 П8, П9; К5 П10; К6 П11;
	 * then the expected results (ВСОКО, gifted pupils, the model...) and the law */
	const char *crit[] = {"К1", "К2", "К3", "К4", "К5", "К6"};
	const size_t sizes[] = {4, 2, 1, 2, 1, 1};
	assert_int_equal(mms_programme_criterion_count(f->kpi, "murom.2021"), 8);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(mms_programme_criterion_attr(f->kpi, "murom.2021", i, "id"), crit[i]);
		assert_int_equal(mms_programme_criterion_size(f->kpi, "murom.2021", i), sizes[i]);
	}
	assert_string_equal(mms_programme_criterion_indicator(f->kpi, "murom.2021", 0, 2), "murom.P3");
	assert_string_equal(mms_programme_criterion_indicator(f->kpi, "murom.2021", 4, 0), "murom.P10");
	assert_null(mms_programme_criterion_indicator(f->kpi, "murom.2021", 0, 4));
	/* «П5. Доля ОО, участвующих в инновационных проектах разных уровней (2021
	 * год – 50%, к 2022 году – 60%, к 2023 году – 65%, 2024 году – 75%, к 2025 году 80%)» */
	const double p5[] = {50, 60, 65, 75, 80};
	for (int y = 2021; y <= 2025; y++)
		assert_true(mms_programme_target(f->kpi, "murom.2021", "murom.P5", y) == p5[y - 2021]);
	assert_true(isnan(mms_programme_target(f->kpi, "murom.2021", "murom.P5", 2026)));
	assert_true(isnan(mms_programme_target(f->kpi, "murom.2021", "cnppm.events", 2021)));
	assert_int_equal(mms_programme_stage_count(f->kpi, "murom.2021"), 4);
	assert_string_equal(mms_programme_stage_attr(f->kpi, "murom.2021", 3, "to"), "2025-08-31");
	assert_string_equal(mms_programme_attr(f->kpi, "murom.2021", "first_year"), "2021");
	assert_string_equal(mms_programme_attr(f->kpi, "cnppm.2020", "owner_kind"), "cnppm");
	/* МР-4/02вн: 2 regional events in 2020, then 4 a year */
	assert_true(mms_programme_target(f->kpi, "cnppm.2020", "cnppm.events", 2020) == 2);
	assert_true(mms_programme_target(f->kpi, "cnppm.2020", "cnppm.events", 2021) == 4);
	assert_null(mms_programme_attr(f->kpi, "no.such", "name_ru"));
	assert_null(mms_programme_attr(f->kpi, "murom.2021", "colour"));
}

static void a_programme_judges_by_its_criteria_and_trajectory(void **state)
{
	fixture *f = *state;
	load_prog(f, prog);
	/* S1 has two teachers; the programme wants 2 in 2023 and 3 in 2024 */
	mms_kpi_result r = value_in(f, "x.plan", "x.teachers", "S1", 2023);
	assert_true(r.defined && r.value == 2 && r.has_target && r.target == 2);
	assert_int_equal(r.status, MMS_KPI_ACHIEVED);
	r = value_in(f, "x.plan", "x.teachers", "S1", 2024);
	assert_int_equal(r.status, MMS_KPI_NOT_ACHIEVED);
	assert_true(r.gap == -1);
	/* no adoption in the database: the plain value takes the programme's target */
	mms_kpi_result plain = MMS_KPI_RESULT_INIT;
	T_OK(f->db, mms_kpi_value(f->kpi, "x.teachers", t_find(f->db, MMS_UNIT, "S1"), 2024, &plain));
	assert_true(plain.has_target && plain.target == 3);
	/* the criteria list the indicator by its alias; the value is the same */
	r = value_in(f, "x.plan", "x.satisfied", "S1", 2023);
	mms_kpi_result a = value_in(f, "x.plan", "doc.satisfaction", "S1", 2023);
	assert_true(r.value == a.value && r.target == 60 && a.target == 60);
	/* S1: T1 answered 60, T2 80; satisfied from 70: 1 of 2 */
	assert_true(r.numerator == 1 && r.denominator == 2);
	/* an indicator the programme does not list is refused */
	mms_kpi_result x = MMS_KPI_RESULT_INIT;
	assert_int_equal(mms_programme_value(f->kpi, "x.plan", "murom.P5", 0, 2023, &x),
			 MMS_ENOTFOUND);
	assert_int_equal(mms_programme_value(f->kpi, "no.such", "x.teachers", 0, 2023, &x),
			 MMS_ENOTFOUND);
}

static void adoptions_decide_who_is_judged(void **state)
{
	fixture *f = *state;
	load_prog(f, prog);
	assert_string_equal(applying(f, "M", 2023, 0), ""); /* nothing adopted yet */
	t_import(f->db, "{\"programmes\": ["
		 "{\"code\": \"A1\", \"definition\": \"x.plan\", \"owner\": \"M\", \"territory\": \"M\","
		 " \"last_year\": 2023},"
		 "{\"code\": \"A2\", \"definition\": \"cnppm.2020\", \"owner\": \"CN\", \"territory\": \"R\"}]}");
	/* M is in both territories, but the ЦНППМ's regional programme judges the
	 * region's own units, not its municipal services */
	assert_string_equal(applying(f, "M", 2023, 0), "x.plan");
	assert_string_equal(applying(f, "M", 2023, 1), "");
	assert_string_equal(applying(f, "R", 2023, 0), "cnppm.2020");
	assert_string_equal(applying(f, "CN", 2023, 0), "cnppm.2020");
	/* M2 is outside A1's territory; a school is below the municipal programme's level */
	assert_string_equal(applying(f, "M2", 2023, 0), "");
	assert_string_equal(applying(f, "S1", 2023, 0), "");
	/* the adoption's years: from the definition's first (2022) to its own last (2023) */
	assert_string_equal(applying(f, "M", 2021, 0), "");
	assert_string_equal(applying(f, "M", 2022, 0), "x.plan");
	assert_string_equal(applying(f, "M", 2024, 0), "");
	assert_string_equal(applying(f, "R", 2025, 0), ""); /* cnppm.2020 ends in 2024 */
	/* a school is not judged by the programme, but its value meets the
	 * territory's target; outside every territory there is none */
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	T_OK(f->db, mms_kpi_value(f->kpi, "x.teachers", t_find(f->db, MMS_UNIT, "S1"), 2023, &r));
	assert_true(r.has_target && r.target == 2);
	T_OK(f->db, mms_kpi_value(f->kpi, "x.teachers", t_find(f->db, MMS_UNIT, "S2"), 2023, &r));
	assert_false(r.has_target);
	assert_int_equal(r.status, MMS_KPI_NO_TARGET);
}

static void an_adoption_of_an_unknown_definition_is_named(void **state)
{
	fixture *f = *state;
	t_import(f->db, "{\"programmes\": [{\"code\": \"A9\", \"definition\": \"murom.2012\","
		 " \"owner\": \"M\", \"territory\": \"M\"}]}");
	const char *p = NULL;
	assert_int_equal(mms_programme_applying(f->kpi, t_find(f->db, MMS_UNIT, "M"), 2023, 0, &p),
			 MMS_EREF);
	assert_non_null(strstr(mms_kpi_errmsg(f->kpi), "A9"));
	assert_non_null(strstr(mms_kpi_errmsg(f->kpi), "murom.2012"));
}

static void adoption_years_out_of_order_are_refused(void **state)
{
	fixture *f = *state;
	mms_report *r = NULL;
	int rc = mms_db_import_json(f->db, "{\"programmes\": [{\"code\": \"A1\", \"definition\": \"x\","
				    " \"owner\": \"M\", \"territory\": \"M\", \"first_year\": 2024,"
				    " \"last_year\": 2023}]}", NULL, &r);
	assert_int_equal(rc, MMS_ERANGE);
	assert_non_null(strstr(mms_report_message(r, 0), "last_year"));
	mms_report_free(r);
	size_t n = 1;
	T_OK(f->db, mms_db_count(f->db, MMS_PROGRAMME, &n));
	assert_int_equal(n, 0);
}

static void a_unit_target_overrides_the_trajectory_below_it(void **state)
{
	fixture *f = *state;
	load_prog(f, prog);
	/* M's own target for 2023, set under the document's alias, reaches S1 */
	t_import(f->db, "{\"targets\": [{\"indicator\": \"doc.satisfaction\", \"unit\": \"M\","
		 " \"year\": 2023, \"value\": 40}]}");
	mms_kpi_result r = value_in(f, "x.plan", "x.satisfied", "S1", 2023);
	assert_true(r.target == 40);
	assert_int_equal(r.status, MMS_KPI_ACHIEVED);
	r = value_in(f, "x.plan", "x.satisfied", "S2", 2023); /* M2's school: the programme's 60 */
	assert_true(r.target == 60);
}

static void general_indicators_have_neutral_ids_and_keep_document_ones(void **state)
{
	fixture *f = *state;
	int32_t s1 = t_find(f->db, MMS_UNIT, "S1");
	mms_kpi_result a = MMS_KPI_RESULT_INIT, b = MMS_KPI_RESULT_INIT;
	T_OK(f->db, mms_kpi_value(f->kpi, "pd.every_3_years", s1, 2023, &a));
	T_OK(f->db, mms_kpi_value(f->kpi, "murom.pd_every_3_years", s1, 2023, &b));
	assert_true(a.numerator == b.numerator && a.denominator == b.denominator);
	assert_true(a.has_target && a.target == 100 && b.target == 100);
	assert_string_equal(mms_kpi_attr(f->kpi, "murom.pd_every_3_years", "name_ru"),
			    mms_kpi_attr(f->kpi, "pd.every_3_years", "name_ru"));
	for (size_t i = 0; i < mms_kpi_count(f->kpi); i++) /* listed once, by the neutral id */
		assert_string_not_equal(mms_kpi_id(f->kpi, i), "murom.pd_every_3_years");
	/* a target set under the old id overrides the neutral one */
	T_OK(f->db, mms_kpi_target_set(f->kpi, "murom.pd_every_3_years", s1, 2023, 50));
	T_OK(f->db, mms_kpi_value(f->kpi, "pd.every_3_years", s1, 2023, &a));
	assert_true(a.target == 50);
}

static void programme_parameters_reach_its_indicators(void **state)
{
	fixture *f = *state;
	load_prog(f, "{\"programmes\": [{\"id\": \"x.lenient\", \"name_ru\": \"Мягкая\","
		  " \"first_year\": 2023, \"last_year\": 2023, \"parameters\": {\"satisfied\": 50},"
		  " \"criteria\": [{\"id\": \"К\", \"name_ru\": \"К\", \"indicators\": [\"x.satisfied\"]}]}]}");
	/* satisfied from 50: T1 (60) and T2 (80) both */
	mms_kpi_result r = value_in(f, "x.lenient", "x.satisfied", "S1", 2023);
	assert_true(r.numerator == 2 && r.denominator == 2);
	assert_string_equal(mms_programme_attr(f->kpi, "x.lenient", "parameters"), "{\"satisfied\":50}");
	/* another programme may not give the same indicator another value */
	mms_report *rep = NULL;
	assert_int_equal(mms_programme_load_json(f->kpi, "{\"programmes\": [{\"id\": \"x.strict\","
			 " \"name_ru\": \"С\", \"first_year\": 2023, \"last_year\": 2023,"
			 " \"parameters\": {\"satisfied\": 90}, \"criteria\": [{\"id\": \"К\","
			 " \"name_ru\": \"К\", \"indicators\": [\"x.satisfied\"]}]}]}", "strict.json", &rep),
			 MMS_ERANGE);
	assert_non_null(strstr(mms_report_message(rep, 0), "strict.json:/programmes/0/parameters"));
	assert_non_null(strstr(mms_report_message(rep, 0), "x.lenient"));
	mms_report_free(rep);
	assert_null(mms_programme_attr(f->kpi, "x.strict", "name_ru"));
	r = value_in(f, "x.lenient", "x.satisfied", "S1", 2023);
	assert_true(r.numerator == 2);
}

static void bad_programmes_are_refused_at_their_pointer(void **state)
{
	fixture *f = *state;
	static const struct {
		const char *json, *where;
		int rc;
	} cases[] = {
		{"{\"programmes\": [{\"id\": \"b\", \"name_ru\": \"Б\", \"first_year\": 2023, \"last_year\": 2023,"
		 " \"criteria\": [{\"id\": \"К\", \"name_ru\": \"К\", \"indicators\": [\"x.teachers\", \"x.nope\"]}]}]}",
		 "b.json:/programmes/0/criteria/0/indicators/1", MMS_EREF},
		{"{\"programmes\": [{\"id\": \"b\", \"name_ru\": \"Б\", \"first_year\": 2023, \"last_year\": 2023,"
		 " \"criteria\": [{\"id\": \"К\", \"name_ru\": \"К\", \"indicators\": [\"x.teachers\"]}],"
		 " \"targets\": {\"x.teachers\": {\"2030\": 1}}}]}",
		 "b.json:/programmes/0/targets/x.teachers", MMS_ERANGE},
		{"{\"programmes\": [{\"id\": \"b\", \"name_ru\": \"Б\", \"first_year\": 2023, \"last_year\": 2023,"
		 " \"criteria\": [{\"id\": \"К\", \"name_ru\": \"К\", \"indicators\": [\"x.teachers\"]}],"
		 " \"targets\": {\"murom.P5\": {\"2023\": 1}}}]}",
		 "b.json:/programmes/0/targets/murom.P5", MMS_EREF},
		{"{\"programmes\": [{\"id\": \"b\", \"name_ru\": \"Б\", \"first_year\": 2023, \"last_year\": 2023,"
		 " \"parameters\": {\"satisfied\": 1},"
		 " \"criteria\": [{\"id\": \"К\", \"name_ru\": \"К\", \"indicators\": [\"x.teachers\"]}]}]}",
		 "b.json:/programmes/0/parameters", MMS_EREF},
		{"{\"programmes\": [{\"id\": \"b\", \"name_ru\": \"Б\", \"first_year\": 2023, \"last_year\": 2023,"
		 " \"owner_level\": \"county\","
		 " \"criteria\": [{\"id\": \"К\", \"name_ru\": \"К\", \"indicators\": [\"x.teachers\"]}]}]}",
		 "b.json:/programmes/0/owner_level", MMS_ETYPE},
		{"{\"programmes\": [{\"id\": \"b\", \"name_ru\": \"Б\", \"first_year\": 2023, \"last_year\": 2023,"
		 " \"stages\": [{\"name_ru\": \"Э\", \"from\": \"2023-12-01\", \"to\": \"2023-01-01\"}],"
		 " \"criteria\": [{\"id\": \"К\", \"name_ru\": \"К\", \"indicators\": [\"x.teachers\"]}]}]}",
		 "b.json:/programmes/0/stages/0", MMS_ERANGE},
		{"{\"programmes\": [{\"id\": \"b\", \"name_ru\": \"Б\", \"first_year\": 2023, \"last_year\": 2023,"
		 " \"colour\": \"red\", \"criteria\": [{\"id\": \"К\", \"name_ru\": \"К\", \"indicators\": [\"x.teachers\"]}]}]}",
		 "b.json:/programmes/0/colour", MMS_ETYPE},
		{"{\"programmes\": [{\"id\": \"b\", \"name_ru\": \"Б\", \"first_year\": 2023, \"last_year\": 2023}]}",
		 "b.json:/programmes/0/criteria", MMS_EMISSING},
		{"{\"programmes\": [{\"id\": \"b\", \"name_ru\": \"Б\", \"first_year\": 2023, \"last_year\": 2023,"
		 " \"criteria\": [{\"id\": \"К\", \"name_ru\": \"К\", \"indicators\": [\"x.satisfied\"]}],"
		 " \"targets\": {\"x.satisfied\": {\"2023\": 1}, \"doc.satisfaction\": {\"2023\": 2}}}]}",
		 "b.json:/programmes/0/targets/doc.satisfaction", MMS_EDUP},
		{"{\"programmes\": [{\"id\": \"b\", \"name_ru\": \"Б\", \"first_year\": 2023, \"last_year\": 2023,"
		 " \"criteria\": [{\"id\": \"К\", \"name_ru\": \"К\", \"indicators\": [\"x.satisfied\", \"doc.satisfaction\"]}]}]}",
		 "b.json:/programmes/0/criteria/0/indicators/1", MMS_EDUP},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		mms_report *r = NULL;
		int rc = mms_programme_load_json(f->kpi, cases[i].json, "b.json", &r);
		if (rc != cases[i].rc || !mms_report_count(r) ||
		    !strstr(mms_report_message(r, 0), cases[i].where))
			fail_msg("case %zu: rc %d, %s", i, rc,
				 mms_report_count(r) ? mms_report_message(r, 0) : "no report");
		mms_report_free(r);
		assert_int_equal(mms_programme_count(f->kpi), 6); /* nothing added */
	}
}

static void an_older_file_read_as_it_is_has_no_adoptions(void **state)
{
	fixture *f = *state;
	mms_db_close(f->db);
	mms_kpi_close(f->kpi);
	f->kpi = NULL;
	f->db = t_open_read_only_after(f->path, "DROP TABLE programmes; PRAGMA user_version=7;");
	size_t n = 1;
	T_OK(f->db, mms_db_count(f->db, MMS_PROGRAMME, &n));
	assert_int_equal(n, 0);
	T_OK(f->db, mms_db_count(f->db, MMS_STAFF, &n));
	assert_int_equal(n, 3);
	assert_int_equal(mms_kpi_open(&f->kpi, f->db), MMS_OK);
}

/* A roadmap counted by hand, for 2023 at M (the territory) unless said:
 *  K1 once, due 31 March, done 30 March        on time
 *  K2 once, due 30 June, done 2 July           late: due, not done on time
 *  K3 once, due 30 September, cancelled 1 Sep  not due
 *  K4 quarterly from 31 March, at S1; done 15 March, 10 May, 31 December:
 *     Q1 (.., 31.03] yes, Q2 (31.03, 30.06] yes, Q3 (30.06, 30.09] no, Q4 yes
 *  K5 once, due 1 February 2024                not in 2023
 *  K6 once, due 31 December, never done        due, not done
 * M: 1 + 0 + 3 + 0 = 4 of 1 + 1 + 4 + 1 = 7; S1: K4 alone, 3 of 4;
 * 2024: K4's four quarters and K5, none done: 0 of 5. */
static const char roadmap[] =
	"{\"programmes\": [{\"code\": \"AR\", \"definition\": \"x.road\", \"owner\": \"M\", \"territory\": \"M\"}],"
	"\"tasks\": ["
	"{\"code\": \"K1\", \"programme\": \"AR\", \"plan\": \"roadmap\", \"name\": \"Положение\", \"deadline\": \"2023-03-31\"},"
	"{\"code\": \"K2\", \"programme\": \"AR\", \"plan\": \"roadmap\", \"name\": \"Семинар\", \"deadline\": \"2023-06-30\"},"
	"{\"code\": \"K3\", \"programme\": \"AR\", \"plan\": \"roadmap\", \"name\": \"Конкурс\", \"deadline\": \"2023-09-30\"},"
	"{\"code\": \"K4\", \"programme\": \"AR\", \"plan\": \"roadmap\", \"name\": \"Отчёт\", \"deadline\": \"2023-03-31\","
	" \"recurrence\": \"quarterly\", \"unit\": \"S1\", \"expected_result\": \"отчёт на сайте\"},"
	"{\"code\": \"K5\", \"programme\": \"AR\", \"plan\": \"roadmap\", \"name\": \"Анализ\", \"deadline\": \"2024-02-01\"},"
	"{\"code\": \"K6\", \"programme\": \"AR\", \"plan\": \"roadmap\", \"name\": \"Итоги\", \"deadline\": \"2023-12-31\"},"
	"{\"code\": \"PD1\", \"programme\": \"AR\", \"plan\": \"pd_plan\", \"name\": \"Курсы\", \"deadline\": \"2023-05-01\"}],"
	"\"task_events\": ["
	"{\"task\": \"K1\", \"date\": \"2023-03-30\", \"status\": \"done\", \"evidence\": \"приказ № 5\"},"
	"{\"task\": \"K2\", \"date\": \"2023-05-01\", \"status\": \"in_progress\"},"
	"{\"task\": \"K2\", \"date\": \"2023-07-02\", \"status\": \"done\"},"
	"{\"task\": \"K3\", \"date\": \"2023-09-01\", \"status\": \"cancelled\"},"
	"{\"task\": \"K4\", \"date\": \"2023-03-15\", \"status\": \"done\"},"
	"{\"task\": \"K4\", \"date\": \"2023-05-10\", \"status\": \"done\"},"
	"{\"task\": \"K4\", \"date\": \"2023-12-31\", \"status\": \"done\"},"
	"{\"task\": \"PD1\", \"date\": \"2023-04-20\", \"status\": \"done\"}]}";

static void roadmap_indicators_count_tasks_done_on_time(void **state)
{
	fixture *f = *state;
	load_prog(f, "{\"programmes\": [{\"id\": \"x.road\", \"name_ru\": \"Дорожная карта\","
		  " \"owner_level\": \"municipal\", \"first_year\": 2022, \"last_year\": 2024,"
		  " \"from_tasks\": {\"x.roadmap\": \"roadmap\"},"
		  " \"criteria\": [{\"id\": \"К1\", \"name_ru\": \"Полнота\", \"indicators\": [\"x.roadmap\"]}],"
		  " \"targets\": {\"x.roadmap\": {\"2023\": 100, \"2024\": 100}}}]}");
	/* no task recorded yet: the definition's own formula (no facts: undefined) */
	mms_kpi_result r = value_in(f, "x.road", "x.roadmap", "M", 2023);
	assert_false(r.defined);
	t_import(f->db, roadmap);
	r = value_in(f, "x.road", "x.roadmap", "M", 2023);
	assert_true(r.defined && r.numerator == 4 && r.denominator == 7);
	assert_true(fabs(r.value - 100.0 * 4 / 7) < 1e-9);
	assert_int_equal(r.status, MMS_KPI_NOT_ACHIEVED);
	r = value_in(f, "x.road", "x.roadmap", "S1", 2023);
	assert_true(r.numerator == 3 && r.denominator == 4);
	r = value_in(f, "x.road", "x.roadmap", "M", 2024);
	assert_true(r.defined && r.numerator == 0 && r.denominator == 5);
	r = value_in(f, "x.road", "x.roadmap", "M", 2022); /* nothing due yet */
	assert_false(r.defined);
	r = value_in(f, "x.road", "x.roadmap", "M2", 2023); /* outside the territory */
	assert_false(r.defined);
	/* the plain value at M takes the adopted programme's way of counting */
	mms_kpi_result plain = MMS_KPI_RESULT_INIT;
	T_OK(f->db, mms_kpi_value(f->kpi, "x.roadmap", t_find(f->db, MMS_UNIT, "M"), 2023, &plain));
	assert_true(plain.numerator == 4 && plain.denominator == 7 && plain.target == 100);
	/* recurring tasks at M2: monthly from 31 January (then 28 February, 31 March, ...),
	 * done 27 February and 1 March: the February and March occurrences; yearly from
	 * 31 December 2022, done 1 June 2023: its 2023 occurrence. 2 of 12 and 1 of 1 */
	t_import(f->db, "{\"programmes\": [{\"code\": \"AR2\", \"definition\": \"x.road\", \"owner\": \"M2\","
		 " \"territory\": \"M2\"}], \"tasks\": [{\"code\": \"KM\", \"programme\": \"AR2\", \"plan\": \"roadmap\","
		 " \"name\": \"Месячный отчёт\", \"deadline\": \"2023-01-31\", \"recurrence\": \"monthly\"},"
		 " {\"code\": \"KY\", \"programme\": \"AR2\", \"plan\": \"roadmap\", \"name\": \"Годовой отчёт\","
		 " \"deadline\": \"2022-12-31\", \"recurrence\": \"yearly\"}], \"task_events\": ["
		 " {\"task\": \"KM\", \"date\": \"2023-02-27\", \"status\": \"done\"},"
		 " {\"task\": \"KM\", \"date\": \"2023-03-01\", \"status\": \"done\"},"
		 " {\"task\": \"KY\", \"date\": \"2023-06-01\", \"status\": \"done\"}]}");
	r = value_in(f, "x.road", "x.roadmap", "M2", 2023);
	assert_true(r.numerator == 3 && r.denominator == 13);
	r = value_in(f, "x.road", "x.roadmap", "M2", 2022); /* KY's first deadline, not done by it */
	assert_true(r.numerator == 0 && r.denominator == 1);
	/* a task's unit must be in its programme's territory */
	mms_report *rep = NULL;
	assert_int_equal(mms_db_import_json(f->db, "{\"tasks\": [{\"code\": \"K9\", \"programme\": \"AR\","
					    " \"plan\": \"roadmap\", \"name\": \"Чужая\", \"deadline\": \"2023-01-01\","
					    " \"unit\": \"S2\"}]}", NULL, &rep), MMS_ERANGE);
	assert_non_null(strstr(mms_report_message(rep, 0), "outside the territory M of programme AR"));
	mms_report_free(rep);
	/* "from_tasks" must name a listed indicator */
	assert_int_equal(mms_programme_load_json(f->kpi, "{\"programmes\": [{\"id\": \"b\", \"name_ru\": \"Б\","
			 " \"first_year\": 2023, \"last_year\": 2023, \"from_tasks\": {\"x.teachers\": \"roadmap\"},"
			 " \"criteria\": [{\"id\": \"К\", \"name_ru\": \"К\", \"indicators\": [\"x.roadmap\"]}]}]}",
			 "b.json", NULL), MMS_EREF);
}

/* Report options of version 1 (0.1 callers) end before the programme. */
typedef struct report_options_v1 {
	unsigned version;
	int32_t unit;
	int from, to;
	const char *indicators, *title;
} report_options_v1;

static void the_xlsx_report_takes_a_programme_and_old_options(void **state)
{
	fixture *f = *state;
	load_prog(f, prog);
	char *out = t_path(f->dir, "r.xlsx");
	mms_kpi_report_options o = MMS_KPI_REPORT_OPTIONS_INIT;
	o.unit = t_find(f->db, MMS_UNIT, "M");
	o.from = 2022;
	o.to = 2024;
	o.programme = "x.plan";
	T_OK(f->db, mms_kpi_report_xlsx(f->kpi, out, &o));
	size_t len = 0;
	char *book = t_read(out, &len);
	assert_true(len > 1000 && !memcmp(book, "PK", 2));
	free(book);
	o.indicators = "x.teachers"; /* a programme or indicators */
	assert_int_equal(mms_kpi_report_xlsx(f->kpi, out, &o), MMS_EINVAL);
	o.indicators = NULL;
	o.programme = "x.none";
	assert_int_equal(mms_kpi_report_xlsx(f->kpi, out, &o), MMS_ENOTFOUND);
	report_options_v1 old = {1, o.unit, 2023, 2023, "x.teachers", NULL};
	T_OK(f->db, mms_kpi_report_xlsx(f->kpi, out, (const mms_kpi_report_options *)&old));
	free(out);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(built_in_programmes_are_the_documents),
		T(a_programme_judges_by_its_criteria_and_trajectory),
		T(adoptions_decide_who_is_judged),
		T(an_adoption_of_an_unknown_definition_is_named),
		T(adoption_years_out_of_order_are_refused),
		T(a_unit_target_overrides_the_trajectory_below_it),
		T(general_indicators_have_neutral_ids_and_keep_document_ones),
		T(programme_parameters_reach_its_indicators),
		T(bad_programmes_are_refused_at_their_pointer),
		T(an_older_file_read_as_it_is_has_no_adoptions),
		T(the_xlsx_report_takes_a_programme_and_old_options),
		T(roadmap_indicators_count_tasks_done_on_time),
	};
	return cmocka_run_group_tests_name("programme", tests, NULL, NULL);
}
