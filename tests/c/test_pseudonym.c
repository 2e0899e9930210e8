/*
 * Pseudonymised export of the Murom demo with its diagnostics, a batch of
 * routes and an approval with evidence: no staff code, name, exact birth or
 * work-start date, or note about a person survives; pseudonyms are stable
 * for a key and differ between keys; and every built-in indicator, at every
 * unit, computed from the imported export equals the original's.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "helpers.h"

#define DATA MMS_TEST_DATA "/../../data/"
#define KEY "region-33-secret-2024"

static const char *field(json_object *o, const char *name)
{
	json_object *v;
	return json_object_object_get_ex(o, name, &v) ? json_object_get_string(v) : NULL;
}

/* Every staff record of the export is pseudonymised; nothing personal stays. */
static void assert_nothing_personal(mms_db *db, const char *text)
{
	regex_t pseudonym;
	assert_int_equal(regcomp(&pseudonym, "^P[0-9a-f]{16}$", REG_EXTENDED | REG_NOSUB), 0);
	json_object *doc = json_tokener_parse(text), *staff = json_object_object_get(doc, "staff");
	size_t n;
	T_OK(db, mms_db_count(db, MMS_STAFF, &n));
	assert_int_equal(json_object_array_length(staff), n);
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(staff, i);
		assert_int_equal(regexec(&pseudonym, field(s, "code"), 0, NULL, 0), 0);
		assert_string_equal(field(s, "name"), field(s, "code"));
		const char *dates[] = {field(s, "birth_date"), field(s, "work_start")};
		for (int k = 0; k < 2; k++)
			if (dates[k])
				assert_true(!strcmp(dates[k] + 4, "-01-01") || !strcmp(dates[k] + 4, "-09-01"));
		/* the original code and name are nowhere in the text */
		char *code = t_get(db, MMS_STAFF, (int32_t)i, "code"), *name = t_get(db, MMS_STAFF, (int32_t)i, "name");
		char quoted[512];
		snprintf(quoted, sizeof quoted, "\"%s\"", code);
		if (strstr(text, quoted))
			fail_msg("staff code %s survives", code);
		if (strstr(text, name))
			fail_msg("name %s survives", name);
		free(code);
		free(name);
	}
	static const char *const gone[][2] = {{"diagnostics", "note"}, {"routes", "note"},
					      {"route_events", "evidence"}, {"route_events", "note"}};
	for (size_t g = 0; g < sizeof gone / sizeof *gone; g++) {
		json_object *list = json_object_object_get(doc, gone[g][0]);
		for (size_t i = 0; i < json_object_array_length(list); i++)
			assert_null(field(json_object_array_get_idx(list, i), gone[g][1]));
	}
	assert_true(json_object_array_length(json_object_object_get(doc, "route_events")) > 0);
	json_object_put(doc);
	regfree(&pseudonym);
}

static void assert_same_indicators(mms_db *a, mms_db *b)
{
	mms_kpi *ka = NULL, *kb = NULL;
	size_t units, checked = 0, defined = 0;
	T_OK(a, mms_kpi_open(&ka, a));
	T_OK(b, mms_kpi_open(&kb, b));
	T_OK(a, mms_db_count(a, MMS_UNIT, &units));
	for (size_t i = 0; i < mms_kpi_count(ka); i++) {
		const char *id = mms_kpi_id(ka, i);
		for (int year = 2023; year <= 2024; year++)
			for (size_t u = 0; u < units; u++) {
				mms_kpi_result ra = MMS_KPI_RESULT_INIT, rb = MMS_KPI_RESULT_INIT;
				int rca = mms_kpi_value(ka, id, (int32_t)u, year, &ra);
				int rcb = mms_kpi_value(kb, id, (int32_t)u, year, &rb);
				assert_int_equal(rca, rcb);
				if (rca != MMS_OK)
					continue;
				if (ra.defined != rb.defined || ra.numerator != rb.numerator ||
				    ra.denominator != rb.denominator ||
				    (ra.defined && ra.value != rb.value))
					fail_msg("%s at unit %zu in %d: %g/%g from the original, %g/%g from the export",
						 id, u, year, ra.numerator, ra.denominator, rb.numerator, rb.denominator);
				checked++;
				defined += (size_t)ra.defined;
			}
	}
	print_message("pseudonym: %zu indicator values equal (%zu defined)\n", checked, defined);
	assert_true(defined > 1000);
	mms_kpi_close(ka);
	mms_kpi_close(kb);
}

static void pseudonymised_export_keeps_indicators_and_drops_persons(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite"), *copy = t_path(dir, "copy.sqlite"),
	     *csv = t_path(dir, "csv");
	int32_t first_route;
	mms_db *db = t_demo_with_routes(path, &first_route);
	char *text = NULL, *again = NULL, *other = NULL;
	T_OK(db, mms_db_export_json_pseudonymised(db, KEY, &text));
	assert_nothing_personal(db, text);

	/* Stable for a key, different for another. */
	T_OK(db, mms_db_export_json_pseudonymised(db, KEY, &again));
	assert_string_equal(text, again);
	T_OK(db, mms_db_export_json_pseudonymised(db, KEY "-2025", &other));
	assert_string_not_equal(text, other);

	/* The export imports, and the indicators are the same. */
	mms_db *pseudo = t_open(copy);
	t_import(pseudo, text);
	assert_same_indicators(db, pseudo);
	mms_db_close(pseudo);

	/* CSV: the same pseudonyms. */
	mms_export_options o = MMS_EXPORT_OPTIONS_INIT;
	o.format = MMS_FORMAT_CSV;
	T_OK(db, mms_db_export_pseudonymised(db, csv, KEY, &o));
	char *staff_csv = t_path(csv, "staff.csv"), *csv_text = t_read(staff_csv, NULL);
	char *first = t_get(db, MMS_STAFF, 0, "name");
	assert_null(strstr(csv_text, first));
	json_object *doc = json_tokener_parse(text);
	const char *p0 = field(json_object_array_get_idx(json_object_object_get(doc, "staff"), 0), "code");
	assert_non_null(strstr(csv_text, p0));
	json_object_put(doc);

	/* A short or missing key is refused. */
	char *none = (char *)"unchanged";
	assert_int_equal(mms_db_export_json_pseudonymised(db, "short", &none), MMS_EINVAL);
	assert_null(none);
	assert_non_null(strstr(mms_db_errmsg(db), "16 bytes"));
	assert_int_equal(mms_db_export_json_pseudonymised(db, NULL, &none), MMS_EINVAL);

	free(first);
	free(csv_text);
	free(staff_csv);
	mms_free(text);
	mms_free(again);
	mms_free(other);
	mms_db_close(db);
	t_rmtree(dir);
	free(csv);
	free(copy);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pseudonymised_export_keeps_indicators_and_drops_persons),
	};
	return cmocka_run_group_tests_name("pseudonym", tests, NULL, NULL);
}
