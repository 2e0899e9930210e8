/*
 * Every built-in indicator on a small network counted by hand from the
 * document's wording: tests/data/hand/definitions.json holds the networks,
 * the expected numerators, denominators and values (with the quoted words
 * and a note of who counts and why), and the boundaries of periods (31
 * December, 1 September of academic years, a hire after the period, a
 * completion after it, a departure in an earlier year, a person with two
 * answers, a target overridden above and inherited below). This runner and
 * tests/python/test_definitions_hand.py read the same file.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static json_object *cases(void)
{
	char *text = t_read(MMS_TEST_DATA "/hand/definitions.json", NULL);
	assert_non_null(text);
	json_object *root = json_tokener_parse(text);
	free(text);
	assert_non_null(root);
	json_object *list;
	assert_true(json_object_object_get_ex(root, "cases", &list));
	json_object_get(list);
	json_object_put(root);
	return list;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

static int has(json_object *o, const char *key, double *out)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	*out = json_object_get_double(v);
	return 1;
}

/* Checks one expectation; returns 1 if it holds, else prints why. */
static int holds(mms_db *db, mms_kpi *kpi, const char *name, json_object *e, int year)
{
	const char *id = str(e, "indicator"), *unit = str(e, "unit");
	double num = 0, den = 0, want = NAN, target = 0, y;
	if (has(e, "year", &y))
		year = (int)y;
	has(e, "numerator", &num);
	has(e, "denominator", &den);
	int defined = has(e, "value", &want);
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	int rc = mms_kpi_value(kpi, id, t_find(db, MMS_UNIT, unit), year, &r);
	int ok = rc == MMS_OK && r.defined == defined && r.numerator == num &&
		 r.denominator == den && (!defined || fabs(r.value - want) < 1e-9);
	if (ok && has(e, "target", &target))
		ok = r.has_target && r.target == target;
	if (!ok)
		print_error("%s\n  %s at %s, %d: got %g/%g = %g%s (target %g), want %g/%g = %g%s\n"
			    "  «%s»\n  %s\n", name, id, unit, year, r.numerator, r.denominator,
			    r.value, rc == MMS_OK ? "" : mms_kpi_errmsg(kpi), r.target, num, den, want,
			    defined ? "" : " (undefined)", str(e, "quote"),
			    str(e, "note") ? str(e, "note") : "");
	return ok;
}

static void indicators_equal_the_hand_counts_of_the_documents(void **state)
{
	(void)state;
	json_object *list = cases();
	int failed = 0, checked = 0;
	for (size_t c = 0; c < json_object_array_length(list); c++) {
		json_object *k = json_object_array_get_idx(list, c), *net, *defs, *expect, *yr;
		assert_true(json_object_object_get_ex(k, "network", &net));
		assert_true(json_object_object_get_ex(k, "expect", &expect));
		assert_true(json_object_object_get_ex(k, "year", &yr));
		mms_db *db = t_open(":memory:");
		t_import(db, json_object_to_json_string(net));
		mms_kpi *kpi;
		T_OK(db, mms_kpi_open(&kpi, db));
		if (json_object_object_get_ex(k, "definitions", &defs))
			T_OK(db, mms_kpi_load_json(kpi, json_object_to_json_string(defs), "case", NULL));
		for (size_t i = 0; i < json_object_array_length(expect); i++, checked++)
			failed += !holds(db, kpi, str(k, "name"), json_object_array_get_idx(expect, i),
					 json_object_get_int(yr));
		mms_kpi_close(kpi);
		mms_db_close(db);
	}
	json_object_put(list);
	if (failed)
		fail_msg("%d of %d hand counts differ", failed, checked);
}

/* Each built-in definition has a hand count quoting its document. */
static void every_built_in_indicator_is_counted_by_hand(void **state)
{
	(void)state;
	json_object *list = cases();
	mms_db *db = t_open(":memory:");
	mms_kpi *kpi;
	T_OK(db, mms_kpi_open(&kpi, db));
	int missing = 0;
	for (size_t i = 0; i < mms_kpi_count(kpi); i++) {
		const char *id = mms_kpi_id(kpi, i);
		int found = 0;
		for (size_t c = 0; c < json_object_array_length(list) && !found; c++) {
			json_object *expect;
			json_object_object_get_ex(json_object_array_get_idx(list, c), "expect", &expect);
			for (size_t e = 0; e < json_object_array_length(expect) && !found; e++) {
				json_object *x = json_object_array_get_idx(expect, e);
				const char *quote = str(x, "quote");
				found = !strcmp(str(x, "indicator"), id) && quote && *quote;
			}
		}
		if (!found) {
			print_error("no hand count of %s\n", id);
			missing++;
		}
	}
	mms_kpi_close(kpi);
	mms_db_close(db);
	json_object_put(list);
	assert_int_equal(missing, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(indicators_equal_the_hand_counts_of_the_documents),
		cmocka_unit_test(every_built_in_indicator_is_counted_by_hand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
