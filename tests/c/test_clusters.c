/*
 * Clusters of territorial services (seed 002) on a region whose answers
 * are worked out by hand: services S1..S6 recorded a "potential" of 90,
 * 85, 50, 45, 10 and 5 for 2023; the institute has two methodists.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static mms_db *region(const int *potential, int n)
{
	mms_db *db = t_open(":memory:");
	char json[8192];
	size_t len = (size_t)snprintf(json, sizeof json,
		"{\"units\": [{\"code\": \"R\", \"name\": \"ИРО\", \"level\": \"regional\", \"kind\": \"institute\"}");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(json + len, sizeof json - len,
			",{\"code\": \"S%d\", \"name\": \"ТМС %d\", \"level\": \"municipal\","
			" \"kind\": \"municipal_service\", \"parent\": \"R\"}", i + 1, i + 1);
	len += (size_t)snprintf(json + len, sizeof json - len, "], \"staff\": ["
		"{\"code\": \"CUR-B\", \"name\": \"B\", \"org\": \"R\", \"role\": \"methodist\"},"
		"{\"code\": \"CUR-A\", \"name\": \"A\", \"org\": \"R\", \"role\": \"methodist\"},"
		"{\"code\": \"T\", \"name\": \"T\", \"org\": \"R\", \"role\": \"teacher\"}], \"facts\": [");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(json + len, sizeof json - len,
			"%s{\"unit\": \"S%d\", \"key\": \"potential\", \"year\": 2023, \"value\": %d}",
			i ? "," : "", i + 1, potential[i]);
	snprintf(json + len, sizeof json - len, "]}");
	t_import(db, json);
	return db;
}

static mms_clusters *cluster(mms_db *db, mms_kpi *kpi, int levels, int per_leader, int per_curator)
{
	T_OK(db, mms_kpi_load_json(kpi,
		"{\"indicators\": [{\"id\": \"t.potential\", \"name_ru\": \"Потенциал\", \"kind\": \"fact_value\","
		" \"population\": \"units\", \"fact\": \"potential\"}]}", "t", NULL));
	mms_cluster_options o = MMS_CLUSTER_OPTIONS_INIT;
	o.year = 2023;
	o.indicators = "t.potential";
	o.levels = levels;
	o.max_per_leader = per_leader;
	o.max_per_curator = per_curator;
	mms_clusters *c = NULL;
	int rc = mms_clusters_compute(kpi, &o, &c);
	if (rc != MMS_OK)
		fail_msg("clusters: %s", mms_kpi_errmsg(kpi));
	return c;
}

static const char *code(mms_db *db, int entity, int32_t id)
{
	static char buf[4][64];
	static int k;
	if (id < 0)
		return "-";
	char *v = t_get(db, entity, id, "code");
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s", v);
	mms_free(v);
	return buf[k];
}

static void services_fall_in_natural_clusters_and_pair_with_leaders(void **state)
{
	(void)state;
	static const int potential[] = {90, 85, 50, 45, 10, 5};
	mms_db *db = region(potential, 6);
	mms_kpi *kpi;
	T_OK(db, mms_kpi_open(&kpi, db));
	mms_clusters *c = cluster(db, kpi, 3, 1, 3);
	assert_int_equal(mms_clusters_count(c), 6);
	/* scores scale 5..90 to 0..1: S1 1, S2 80/85, ..., S6 0; best first */
	static const char *const order[] = {"S1", "S2", "S3", "S4", "S5", "S6"};
	static const int level[] = {1, 1, 2, 2, 3, 3};
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(code(db, MMS_UNIT, mms_clusters_unit(c, i)), order[i]);
		assert_int_equal(mms_clusters_level(c, i), level[i]);
		assert_true(fabs(mms_clusters_score(c, i) - (potential[i] - 5) / 85.0) < 1e-9);
	}
	/* weakest first: S6 goes to the best leader S1; S1 is then full (one
	 * each), so S5 goes to S2 */
	assert_string_equal(code(db, MMS_UNIT, mms_clusters_leader(c, 5)), "S1");
	assert_string_equal(code(db, MMS_UNIT, mms_clusters_leader(c, 4)), "S2");
	assert_int_equal(mms_clusters_leader(c, 2), -1); /* the middle cluster is on its own */
	/* curators in code order, the least loaded first: A, B, A, B, A, B */
	static const char *const cur[] = {"CUR-A", "CUR-B", "CUR-A", "CUR-B", "CUR-A", "CUR-B"};
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(code(db, MMS_STAFF, mms_clusters_curator(c, i)), cur[i]);
	const char *why = mms_clusters_explain(c, 5);
	assert_non_null(strstr(why, "t.potential 5.00 -> 0.00"));
	assert_non_null(strstr(why, "cluster 3 of 3"));
	assert_non_null(strstr(why, "led by S1"));
	assert_non_null(strstr(mms_clusters_explain(c, 0), "network leader of 1 service(s) (at most 1)"));
	mms_clusters_free(c);
	mms_kpi_close(kpi);
	mms_db_close(db);
}

static void limits_leave_services_without_leader_or_curator_and_say_so(void **state)
{
	(void)state;
	/* two strong services, three weak ones: one weak service per leader
	 * leaves the best of the weak (S3, 20) without a leader; two services per
	 * curator leave the last one without a curator */
	static const int potential[] = {90, 88, 20, 15, 10};
	mms_db *db = region(potential, 5);
	mms_kpi *kpi;
	T_OK(db, mms_kpi_open(&kpi, db));
	mms_clusters *c = cluster(db, kpi, 2, 1, 2);
	assert_int_equal(mms_clusters_level(c, 1), 1);
	assert_int_equal(mms_clusters_level(c, 2), 2);
	assert_string_equal(code(db, MMS_UNIT, mms_clusters_leader(c, 4)), "S1"); /* S5 */
	assert_string_equal(code(db, MMS_UNIT, mms_clusters_leader(c, 3)), "S2"); /* S4 */
	assert_int_equal(mms_clusters_leader(c, 2), -1);                          /* S3 */
	assert_non_null(strstr(mms_clusters_explain(c, 2), "no leader assigned"));
	assert_int_equal(mms_clusters_curator(c, 4), -1);
	assert_non_null(strstr(mms_clusters_explain(c, 4), "no curator"));
	/* the same input gives the same answer, word for word */
	mms_clusters *again = cluster(db, kpi, 2, 1, 2);
	for (size_t i = 0; i < mms_clusters_count(c); i++)
		assert_string_equal(mms_clusters_explain(again, i), mms_clusters_explain(c, i));
	mms_clusters_free(again);
	mms_clusters_free(c);
	mms_cluster_options o = MMS_CLUSTER_OPTIONS_INIT;
	o.indicators = "nope:2";
	assert_int_equal(mms_clusters_compute(kpi, &o, &c), MMS_ENOTFOUND);
	o.indicators = "t.potential:-1";
	assert_int_equal(mms_clusters_compute(kpi, &o, &c), MMS_EINVAL);
	mms_kpi_close(kpi);
	mms_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(services_fall_in_natural_clusters_and_pair_with_leaders),
		cmocka_unit_test(limits_leave_services_without_leader_or_curator_and_say_so),
	};
	return cmocka_run_group_tests_name("clusters", tests, NULL, NULL);
}
