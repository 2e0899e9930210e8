/* The typology axes of seed 001 on networks built to fall in each class. */
#include <string.h>

#include "helpers.h"

static mms_typology *classify(const char *json)
{
	mms_db *db = t_open(":memory:");
	t_import(db, json);
	mms_typology *t = NULL;
	T_OK(db, mms_typology_compute(db, -1, &t));
	mms_db_close(db); /* the result outlives its handle */
	return t;
}

#define UNIT(code, level, kind, parent, dirs)                                        \
	"{\"code\": \"" code "\", \"name\": \"" code "\", \"level\": \"" level "\", " \
	"\"kind\": \"" kind "\"" parent dirs "}"
#define UNDER(p) ", \"parent\": \"" p "\""
#define DIRS(...) ", \"directions\": [" __VA_ARGS__ "]"
#define LINK(kind, a, b) "{\"kind\": \"" kind "\", \"from\": \"" a "\", \"to\": \"" b "\"}"

static void three_level_poly_functional_poly_subject_cnppm_centred(void **state)
{
	(void)state;
	mms_typology *t = classify(
		"{\"units\": ["
		UNIT("CN", "regional", "cnppm", "", DIRS("\"analytical\", \"organisational\"")) ","
		UNIT("MS", "municipal", "municipal_service", UNDER("CN"), DIRS("\"consulting\", \"informational\"")) ","
		UNIT("SC", "institutional", "school", UNDER("MS"), "") ","
		UNIT("MC", "subunit", "methodical_council", UNDER("SC"), DIRS("\"scientific\", \"publishing\""))
		"], \"links\": [" LINK("curatorship", "CN", "MS") "]}");
	assert_string_equal(mms_typology_class(t, "structure"), "three_level");
	assert_string_equal(mms_typology_class(t, "functioning"), "poly_functional");
	assert_string_equal(mms_typology_class(t, "load"), "poly_subject");
	assert_string_equal(mms_typology_class(t, "management"), "cnppm_centred");
	assert_non_null(strstr(mms_typology_reason(t, "structure"), "1 regional, 1 municipal, 1 inside"));
	assert_non_null(strstr(mms_typology_reason(t, "management"), "\"CN\""));
	assert_null(mms_typology_class(t, "colour"));
	mms_typology_free(t);
}

static void two_level_mono_functional_mono_subject_cro_centred(void **state)
{
	(void)state;
	mms_typology *t = classify(
		"{\"units\": ["
		UNIT("IN", "regional", "institute", "", DIRS("\"organisational\"")) ","
		UNIT("SC", "institutional", "school", UNDER("IN"), "") ","
		UNIT("G", "subunit", "school_association", UNDER("SC"), "")
		"], \"links\": [" LINK("agreement", "IN", "SC") "]}");
	assert_string_equal(mms_typology_class(t, "structure"), "two_level");
	assert_string_equal(mms_typology_class(t, "functioning"), "mono_functional");
	assert_string_equal(mms_typology_class(t, "load"), "mono_subject");
	assert_string_equal(mms_typology_class(t, "management"), "cro_centred_distributed");
	mms_typology_free(t);
}

static void a_centre_that_does_everything_with_helpers_is_mixed_and_distributed(void **state)
{
	(void)state;
	mms_typology *t = classify(
		"{\"units\": ["
		UNIT("CN", "regional", "cnppm", "", DIRS("\"analytical\", \"informational\", \"organisational\", "
							  "\"consulting\", \"scientific\", \"publishing\"")) ","
		UNIT("MS", "municipal", "municipal_service", UNDER("CN"), DIRS("\"consulting\"")) ","
		UNIT("SC", "institutional", "school", UNDER("MS"), "")
		"], \"links\": [" LINK("curatorship", "CN", "MS") "," LINK("network_leadership", "MS", "SC") "]}");
	assert_string_equal(mms_typology_class(t, "structure"), "two_level");
	assert_string_equal(mms_typology_class(t, "load"), "mixed");
	assert_string_equal(mms_typology_class(t, "management"), "cnppm_centred_distributed");
	assert_non_null(strstr(mms_typology_reason(t, "management"), "1 other units coordinate"));
	mms_typology_free(t);
}

static void a_network_without_methodical_units_is_undetermined(void **state)
{
	(void)state;
	mms_typology *t = classify("{\"units\": [" UNIT("SC", "institutional", "school", "", "") "]}");
	assert_string_equal(mms_typology_class(t, "structure"), "one_level");
	assert_string_equal(mms_typology_class(t, "management"), "undetermined");
	mms_typology_free(t);
}

static void the_demo_region_is_three_level_and_cnppm_centred_distributed(void **state)
{
	(void)state;
	mms_db *db = t_open(":memory:");
	T_OK(db, mms_db_import(db, MMS_TEST_DATA "/../../data/demo/murom.json", NULL, NULL));
	mms_typology *t;
	T_OK(db, mms_typology_compute(db, t_find(db, MMS_UNIT, "VLA-VIRO"), &t));
	assert_string_equal(mms_typology_class(t, "structure"), "three_level");
	assert_string_equal(mms_typology_class(t, "management"), "cnppm_centred_distributed");
	mms_typology_free(t);
	assert_int_equal(mms_typology_compute(db, 100000, &t), MMS_ENOTFOUND);
	mms_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(three_level_poly_functional_poly_subject_cnppm_centred),
		cmocka_unit_test(two_level_mono_functional_mono_subject_cro_centred),
		cmocka_unit_test(a_centre_that_does_everything_with_helpers_is_mixed_and_distributed),
		cmocka_unit_test(a_network_without_methodical_units_is_undetermined),
		cmocka_unit_test(the_demo_region_is_three_level_and_cnppm_centred_distributed),
	};
	return cmocka_run_group_tests_name("typology", tests, NULL, NULL);
}
