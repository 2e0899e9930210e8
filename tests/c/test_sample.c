/*
 * Representative samples: reproducible stratified draws, quotas, refusals
 * of strata that cannot be filled, and stratified estimates. Populations
 * are built so that the hand-counted answer does not depend on which
 * people the seed happens to draw.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* S: a school with `school` teachers, the first `school_hi` of the highest
 * category; K: a preschool likewise; C: a college with `college` teachers. */
static mms_db *network(int school, int school_hi, int pre, int pre_hi, int college)
{
	mms_db *db = t_open(":memory:");
	size_t cap = 200000, len = 0;
	char *json = malloc(cap);
	len += (size_t)snprintf(json + len, cap - len,
		"{\"units\": [{\"code\": \"M\", \"name\": \"M\", \"level\": \"municipal\", \"kind\": \"municipal_service\"},"
		"{\"code\": \"S\", \"name\": \"S\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"},"
		"{\"code\": \"K\", \"name\": \"K\", \"level\": \"institutional\", \"kind\": \"preschool\", \"parent\": \"M\"},"
		"{\"code\": \"C\", \"name\": \"C\", \"level\": \"institutional\", \"kind\": \"college\", \"parent\": \"M\"}],"
		"\"staff\": [{\"code\": \"X\", \"name\": \"X\", \"org\": \"M\", \"role\": \"methodist\"}");
	struct { const char *org, *edu; int n, hi; } groups[] = {
		{"S", "school", school, school_hi}, {"K", "preschool", pre, pre_hi}, {"C", "college", college, 0}};
	for (int g = 0; g < 3; g++)
		for (int i = 0; i < groups[g].n; i++)
			len += (size_t)snprintf(json + len, cap - len,
				",{\"code\": \"%s%d\", \"name\": \"t\", \"org\": \"%s\", \"role\": \"teacher\","
				" \"edu_level\": \"%s\", \"category\": \"%s\"}", groups[g].org, i, groups[g].org,
				groups[g].edu, i < groups[g].hi ? "highest" : "first");
	snprintf(json + len, cap - len, "]}");
	t_import(db, json);
	free(json);
	return db;
}

static const char highest[] =
	"{\"indicators\": [{\"id\": \"t.highest\", \"name_ru\": \"Высшая категория\", \"kind\": \"share\","
	" \"population\": \"staff\", \"filter\": \"role = \\\"teacher\\\"\","
	" \"numerator\": \"category = \\\"highest\\\"\"}]}";

static mms_sample *draw(mms_db *db, mms_kpi *kpi, double share, uint64_t seed, const char *strata)
{
	mms_sample_options o = MMS_SAMPLE_OPTIONS_INIT;
	o.share = share;
	o.seed = seed;
	o.strata = strata;
	o.filter = "role = \"teacher\"";
	o.year = 2024;
	mms_sample *s = NULL;
	int rc = mms_sample_draw(kpi, &o, &s);
	if (rc != MMS_OK)
		fail_msg("draw: %s", mms_kpi_errmsg(kpi));
	(void)db;
	return s;
}

static char *ids_text(const mms_sample *s)
{
	static char buf[4096];
	mms_idlist *l;
	assert_int_equal(mms_sample_ids(s, &l), MMS_OK);
	buf[0] = '\0';
	for (size_t i = 0; i < mms_idlist_count(l); i++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%d ", mms_idlist_get(l, i));
	mms_idlist_free(l);
	return buf;
}

static void the_same_seed_draws_the_same_sample(void **state)
{
	(void)state;
	mms_db *db = network(40, 10, 30, 5, 0);
	mms_kpi *kpi;
	T_OK(db, mms_kpi_open(&kpi, db));
	mms_sample *a = draw(db, kpi, 0.3, 42, NULL), *b = draw(db, kpi, 0.3, 42, NULL);
	mms_sample *c = draw(db, kpi, 0.3, 43, NULL);
	char first[4096];
	strcpy(first, ids_text(a));
	assert_string_equal(first, ids_text(b));
	assert_string_not_equal(first, ids_text(c));
	/* 30% of 70 teachers = 21, proportional: school 40/70 -> 12, preschool 30/70 -> 9 */
	const char *name;
	size_t pop, quota, drawn;
	double dev;
	assert_int_equal(mms_sample_strata(a), 2);
	assert_int_equal(mms_sample_stratum(a, 0, &name, &pop, &quota, &drawn, &dev), MMS_OK);
	assert_string_equal(name, "school");
	assert_int_equal(pop, 40);
	assert_int_equal(quota, 12);
	assert_int_equal(drawn, 12);
	/* 12 of 21 is 57.14% against a quota of 57.14%: no deviation */
	assert_true(fabs(dev) < 1e-9);
	assert_int_equal(mms_sample_stratum(a, 1, &name, &pop, &quota, &drawn, &dev), MMS_OK);
	assert_string_equal(name, "preschool");
	assert_int_equal(drawn, 9);
	assert_int_equal(mms_sample_stratum(a, 2, &name, NULL, NULL, NULL, NULL), MMS_EINVAL);
	mms_sample_free(a);
	mms_sample_free(b);
	mms_sample_free(c);
	mms_kpi_close(kpi);
	mms_db_close(db);
}

static void given_quotas_are_met_and_their_deviation_reported(void **state)
{
	(void)state;
	/* 100 school, 30 preschool, 30 college teachers; 30% = 48 people with
	 * quotas school 65% -> 31.2 -> 31, preschool 11% -> 5.28 -> 5,
	 * college 24% -> 11.52 -> 12 (48 in all) */
	mms_db *db = network(100, 0, 30, 0, 30);
	mms_kpi *kpi;
	T_OK(db, mms_kpi_open(&kpi, db));
	mms_sample *s = draw(db, kpi, 0.3, 7, "school=65,preschool=11,college=24");
	size_t quota, drawn;
	double dev;
	const char *name;
	assert_int_equal(mms_sample_stratum(s, 0, &name, NULL, &quota, &drawn, &dev), MMS_OK);
	assert_string_equal(name, "school");
	assert_int_equal(drawn, 31);
	/* 31 of 48 = 64.58%, 0.42 points under the 65% quota */
	assert_true(fabs(dev - (100.0 * 31 / 48 - 65)) < 1e-9);
	assert_int_equal(mms_sample_stratum(s, 2, &name, NULL, &quota, &drawn, NULL), MMS_OK);
	assert_string_equal(name, "college");
	assert_int_equal(drawn, 12);
	mms_sample_free(s);
	mms_kpi_close(kpi);
	mms_db_close(db);
}

static void a_stratum_that_cannot_be_filled_is_refused(void **state)
{
	(void)state;
	/* seed 001's quotas ask 17% of the sample from colleges and 7% from PD;
	 * a municipality with no college cannot give them */
	mms_db *db = network(100, 0, 30, 0, 0);
	mms_kpi *kpi;
	T_OK(db, mms_kpi_open(&kpi, db));
	mms_sample_options o = MMS_SAMPLE_OPTIONS_INIT;
	o.strata = "college=17,pd=7,preschool=11,school=65";
	o.filter = "role = \"teacher\"";
	mms_sample *s = NULL;
	assert_int_equal(mms_sample_draw(kpi, &o, &s), MMS_ERANGE);
	assert_null(s);
	assert_non_null(strstr(mms_kpi_errmsg(kpi), "stratum college cannot be filled"));
	o.strata = "school=60,preschool=30";
	assert_int_equal(mms_sample_draw(kpi, &o, &s), MMS_EINVAL);
	assert_non_null(strstr(mms_kpi_errmsg(kpi), "add up to 90%"));
	o.strata = "school=100";
	o.share = 1.5;
	assert_int_equal(mms_sample_draw(kpi, &o, &s), MMS_EINVAL);
	mms_kpi_close(kpi);
	mms_db_close(db);
}

static void estimates_weight_strata_by_their_population(void **state)
{
	(void)state;
	/* every school teacher is of the highest category, no preschool one is:
	 * whoever is drawn, the stratified estimate is 30/40 = 75% exactly */
	mms_db *db = network(30, 30, 10, 0, 0);
	mms_kpi *kpi;
	T_OK(db, mms_kpi_open(&kpi, db));
	T_OK(db, mms_kpi_load_json(kpi, highest, "t", NULL));
	mms_sample *s = draw(db, kpi, 0.5, 3, NULL);
	mms_estimate e = MMS_ESTIMATE_INIT;
	T_OK(db, mms_sample_estimate(kpi, s, "t.highest", 2024, &e));
	assert_true(e.defined);
	assert_true(fabs(e.value - 75) < 1e-9);
	assert_true(e.low == e.value && e.high == e.value); /* no spread within strata */
	assert_true(e.sampled == 20);
	mms_sample_free(s);
	/* oversampling preschools (50/50 quotas) must not move the estimate */
	s = draw(db, kpi, 0.5, 3, "school=50,preschool=50");
	T_OK(db, mms_sample_estimate(kpi, s, "t.highest", 2024, &e));
	assert_true(fabs(e.value - 75) < 1e-9);
	mms_sample_free(s);
	mms_kpi_close(kpi);
	mms_db_close(db);
}

static void a_census_estimate_equals_the_indicator(void **state)
{
	(void)state;
	/* drawing everybody (share 1) gives the population share with no interval:
	 * (12 + 3) / (40 + 30) = 21.43% */
	mms_db *db = network(40, 12, 30, 3, 0);
	mms_kpi *kpi;
	T_OK(db, mms_kpi_open(&kpi, db));
	T_OK(db, mms_kpi_load_json(kpi, highest, "t", NULL));
	mms_sample *s = draw(db, kpi, 1.0, 1, NULL);
	mms_estimate e = MMS_ESTIMATE_INIT;
	T_OK(db, mms_sample_estimate(kpi, s, "t.highest", 2024, &e));
	assert_true(fabs(e.value - 1500.0 / 70) < 1e-9);
	assert_true(fabs(e.high - e.low) < 1e-9);
	mms_sample_free(s);
	/* a 30% sample of mixed strata has a real interval around its estimate */
	s = draw(db, kpi, 0.3, 11, NULL);
	T_OK(db, mms_sample_estimate(kpi, s, "t.highest", 2024, &e));
	assert_true(e.low < e.value && e.value < e.high);
	assert_true(e.low >= 0 && e.high <= 100);
	assert_int_equal(mms_sample_estimate(kpi, s, "murom.P5", 2024, &e), MMS_EINVAL);
	assert_int_equal(mms_sample_estimate(kpi, s, "nope", 2024, &e), MMS_ENOTFOUND);
	mms_sample_free(s);
	mms_kpi_close(kpi);
	mms_db_close(db);
}

static void a_year_is_sampled_from_that_years_staff_as_indicators_count_it(void **state)
{
	(void)state;
	/* S: four teachers; D left in 2023, H starts in 2025: a census of 2024
	 * draws the two others and A's highest category gives 1/2, as the
	 * indicator computes it; a sample drawn for 2025 has H, not D */
	mms_db *db = t_open(":memory:");
	t_import(db, "{\"units\": [{\"code\": \"S\", \"name\": \"S\", \"level\": \"institutional\", \"kind\": \"school\"}],"
		     "\"staff\": [{\"code\": \"A\", \"name\": \"A\", \"org\": \"S\", \"role\": \"teacher\", \"edu_level\": \"school\", \"category\": \"highest\"},"
		     "{\"code\": \"B\", \"name\": \"B\", \"org\": \"S\", \"role\": \"teacher\", \"edu_level\": \"school\", \"category\": \"first\"},"
		     "{\"code\": \"D\", \"name\": \"D\", \"org\": \"S\", \"role\": \"teacher\", \"edu_level\": \"school\", \"category\": \"highest\", \"work_end\": \"2023-06-30\"},"
		     "{\"code\": \"H\", \"name\": \"H\", \"org\": \"S\", \"role\": \"teacher\", \"edu_level\": \"school\", \"category\": \"highest\", \"work_start\": \"2025-09-01\"}]}");
	mms_kpi *kpi;
	T_OK(db, mms_kpi_open(&kpi, db));
	T_OK(db, mms_kpi_load_json(kpi, highest, "t", NULL));
	mms_sample *s = draw(db, kpi, 1.0, 1, NULL);
	assert_string_equal(ids_text(s), "0 1 ");
	mms_estimate e = MMS_ESTIMATE_INIT;
	T_OK(db, mms_sample_estimate(kpi, s, "t.highest", 2024, &e));
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	T_OK(db, mms_kpi_value(kpi, "t.highest", t_find(db, MMS_UNIT, "S"), 2024, &r));
	assert_true(e.value == 50 && r.value == 50);
	mms_sample_free(s);
	mms_sample_options o = MMS_SAMPLE_OPTIONS_INIT;
	o.share = 1.0;
	o.year = 2025;
	T_OK(db, mms_sample_draw(kpi, &o, &s));
	assert_string_equal(ids_text(s), "0 1 3 ");
	mms_sample_free(s);
	/* drawn from the staff now (no year), estimated for 2024: D and H are
	 * not on 2024's staff and are left out, as the indicator leaves them */
	o.year = 0;
	T_OK(db, mms_sample_draw(kpi, &o, &s));
	assert_string_equal(ids_text(s), "0 1 2 3 ");
	T_OK(db, mms_sample_estimate(kpi, s, "t.highest", 2024, &e));
	assert_true(e.value == 50 && e.sampled == 2);
	mms_sample_free(s);
	mms_kpi_close(kpi);
	mms_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_same_seed_draws_the_same_sample),
		cmocka_unit_test(given_quotas_are_met_and_their_deviation_reported),
		cmocka_unit_test(a_stratum_that_cannot_be_filled_is_refused),
		cmocka_unit_test(estimates_weight_strata_by_their_population),
		cmocka_unit_test(a_census_estimate_equals_the_indicator),
		cmocka_unit_test(a_year_is_sampled_from_that_years_staff_as_indicators_count_it),
	};
	return cmocka_run_group_tests_name("sample", tests, NULL, NULL);
}
