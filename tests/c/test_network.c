/* Queries over a small hand-made network whose answers are counted here. */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/*
 *  R (regional institute)
 *  ├── M1 (municipal service, Северный)
 *  │   ├── S1 (school)
 *  │   │   └── G1 (ШМО)
 *  │   └── K1 (preschool)
 *  └── M2 (municipal service, Южный)
 *      └── S2 (school)
 *  C (community, a second root)
 *  Links: agreement R→M1 (always), curatorship R→M2 (2022 only),
 *         membership S1→C.
 */
static const char net[] =
	"{\"units\": ["
	"{\"code\": \"R\", \"name\": \"ИРО\", \"level\": \"regional\", \"kind\": \"institute\", \"territory\": \"Область\"},"
	"{\"code\": \"M1\", \"name\": \"ММС 1\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\", \"territory\": \"Северный\"},"
	"{\"code\": \"S1\", \"name\": \"Школа 1\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M1\"},"
	"{\"code\": \"G1\", \"name\": \"ШМО\", \"level\": \"subunit\", \"kind\": \"school_association\", \"parent\": \"S1\"},"
	"{\"code\": \"K1\", \"name\": \"Детский сад\", \"level\": \"institutional\", \"kind\": \"preschool\", \"parent\": \"M1\"},"
	"{\"code\": \"M2\", \"name\": \"ММС 2\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\", \"territory\": \"Южный\"},"
	"{\"code\": \"S2\", \"name\": \"Школа 2\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M2\"},"
	"{\"code\": \"C\", \"name\": \"Сообщество\", \"level\": \"municipal\", \"kind\": \"community\"}],"
	"\"links\": ["
	"{\"kind\": \"agreement\", \"from\": \"R\", \"to\": \"M1\"},"
	"{\"kind\": \"curatorship\", \"from\": \"R\", \"to\": \"M2\", \"start\": \"2022-01-01\", \"end\": \"2022-12-31\"},"
	"{\"kind\": \"membership\", \"from\": \"S1\", \"to\": \"C\"}],"
	"\"staff\": ["
	"{\"code\": \"A\", \"name\": \"A\", \"org\": \"S1\", \"role\": \"teacher\", \"birth_date\": \"1995-06-01\", \"work_start\": \"2023-09-01\", \"category\": \"none\", \"edu_level\": \"school\", \"subjects\": [\"физика\"]},"
	"{\"code\": \"B\", \"name\": \"B\", \"org\": \"S1\", \"role\": \"teacher\", \"birth_date\": \"1970-01-01\", \"work_start\": \"1992-09-01\", \"category\": \"highest\", \"edu_level\": \"school\", \"subjects\": [\"математика\", \"физика\"], \"part_time\": true},"
	"{\"code\": \"C\", \"name\": \"C\", \"org\": \"K1\", \"role\": \"teacher\", \"birth_date\": \"1990-01-01\", \"work_start\": \"2012-09-01\", \"category\": \"first\", \"edu_level\": \"preschool\"},"
	"{\"code\": \"D\", \"name\": \"D\", \"org\": \"S2\", \"role\": \"manager\", \"birth_date\": \"1975-01-01\", \"work_start\": \"1997-09-01\", \"category\": \"highest\"},"
	"{\"code\": \"E\", \"name\": \"E\", \"org\": \"M1\", \"role\": \"methodist\", \"birth_date\": \"1985-01-01\", \"work_start\": \"2007-09-01\"}]}";

static int setup(void **state)
{
	mms_db *db = t_open(":memory:");
	t_import(db, net);
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	mms_db_close(*state);
	return 0;
}

/* The codes of a list of units or staff, joined by spaces. */
static char *codes(mms_db *db, int e, mms_idlist *l)
{
	static char buf[512];
	buf[0] = '\0';
	for (size_t i = 0; i < mms_idlist_count(l); i++) {
		char *c = t_get(db, e, mms_idlist_get(l, i), "code");
		strcat(buf, i ? " " : "");
		strcat(buf, c);
		mms_free(c);
	}
	mms_idlist_free(l);
	return buf;
}

static void children_subtree_and_path_follow_the_hierarchy(void **state)
{
	mms_db *db = *state;
	mms_idlist *l;
	int32_t r = t_find(db, MMS_UNIT, "R"), m1 = t_find(db, MMS_UNIT, "M1");
	T_OK(db, mms_unit_children(db, r, &l));
	assert_string_equal(codes(db, MMS_UNIT, l), "M1 M2");
	T_OK(db, mms_unit_subtree(db, r, &l));
	assert_string_equal(codes(db, MMS_UNIT, l), "R M1 S1 G1 K1 M2 S2");
	T_OK(db, mms_unit_subtree(db, m1, &l));
	assert_string_equal(codes(db, MMS_UNIT, l), "M1 S1 G1 K1");
	T_OK(db, mms_unit_path(db, t_find(db, MMS_UNIT, "G1"), &l));
	assert_string_equal(codes(db, MMS_UNIT, l), "G1 S1 M1 R");
	T_OK(db, mms_unit_children(db, t_find(db, MMS_UNIT, "S2"), &l));
	assert_int_equal(mms_idlist_count(l), 0);
	assert_int_equal(mms_idlist_get(l, 0), -1);
	mms_idlist_free(l);
	assert_int_equal(mms_unit_children(db, 99, &l), MMS_ENOTFOUND);
	assert_null(l);
}

static void links_of_a_unit_include_both_ends(void **state)
{
	mms_db *db = *state;
	mms_idlist *l;
	T_OK(db, mms_unit_links(db, t_find(db, MMS_UNIT, "R"), &l));
	assert_int_equal(mms_idlist_count(l), 2);
	assert_int_equal(mms_idlist_get(l, 0), 0);
	assert_int_equal(mms_idlist_get(l, 1), 1);
	mms_idlist_free(l);
	T_OK(db, mms_unit_links(db, t_find(db, MMS_UNIT, "C"), &l));
	assert_int_equal(mms_idlist_count(l), 1);
	char *kind = t_get(db, MMS_LINK, mms_idlist_get(l, 0), "kind");
	assert_string_equal(kind, "membership");
	mms_free(kind);
	mms_idlist_free(l);
}

static void units_are_found_by_kind_level_territory_and_subtree(void **state)
{
	mms_db *db = *state;
	mms_idlist *l;
	mms_unit_filter f = MMS_UNIT_FILTER_INIT;
	f.kind = "school";
	T_OK(db, mms_unit_find(db, &f, &l));
	assert_string_equal(codes(db, MMS_UNIT, l), "S1 S2");
	f.within = t_find(db, MMS_UNIT, "M2");
	T_OK(db, mms_unit_find(db, &f, &l));
	assert_string_equal(codes(db, MMS_UNIT, l), "S2");
	mms_unit_filter g = MMS_UNIT_FILTER_INIT;
	g.level = "municipal";
	T_OK(db, mms_unit_find(db, &g, &l));
	assert_string_equal(codes(db, MMS_UNIT, l), "M1 M2 C");
	g.territory = "Южный";
	T_OK(db, mms_unit_find(db, &g, &l));
	assert_string_equal(codes(db, MMS_UNIT, l), "M2");
	g.kind = "castle";
	assert_int_equal(mms_unit_find(db, &g, &l), MMS_EINVAL);
	assert_non_null(strstr(mms_db_errmsg(db), "castle"));
}

static void staff_filters_combine(void **state)
{
	mms_db *db = *state;
	mms_idlist *l;
	mms_staff_filter f = MMS_STAFF_FILTER_INIT;
	f.as_of = "2025-12-31";
	f.within = t_find(db, MMS_UNIT, "M1");
	T_OK(db, mms_staff_find(db, &f, &l));
	assert_string_equal(codes(db, MMS_STAFF, l), "A B C E");
	f.role = "teacher";
	f.part_time = 0;
	T_OK(db, mms_staff_find(db, &f, &l));
	assert_string_equal(codes(db, MMS_STAFF, l), "A C");
	/* Young specialists: under 35 with under 3 years of work (A: 30, 2). */
	f.max_age = 34;
	f.max_experience = 2;
	T_OK(db, mms_staff_find(db, &f, &l));
	assert_string_equal(codes(db, MMS_STAFF, l), "A");
	mms_staff_filter g = MMS_STAFF_FILTER_INIT;
	g.subject = "физика";
	T_OK(db, mms_staff_find(db, &g, &l));
	assert_string_equal(codes(db, MMS_STAFF, l), "A B");
	g.subject = NULL;
	g.category = "highest";
	T_OK(db, mms_staff_find(db, &g, &l));
	assert_string_equal(codes(db, MMS_STAFF, l), "B D");
	g.category = NULL;
	g.edu_level = "preschool";
	g.as_of = "2025-12-31";
	g.min_experience = 10;
	T_OK(db, mms_staff_find(db, &g, &l));
	assert_string_equal(codes(db, MMS_STAFF, l), "C");
	g.as_of = "31/12/2025";
	assert_int_equal(mms_staff_find(db, &g, &l), MMS_EINVAL);
}

static void stats_count_a_subtree(void **state)
{
	mms_db *db = *state;
	char *json = NULL;
	T_OK(db, mms_network_stats(db, t_find(db, MMS_UNIT, "M1"), &json));
	assert_non_null(strstr(json, "\"municipal\":1"));
	assert_non_null(strstr(json, "\"institutional\":2"));
	assert_non_null(strstr(json, "\"subunit\":1"));
	assert_non_null(strstr(json, "\"staff\":4"));
	mms_free(json);
	T_OK(db, mms_network_stats(db, -1, &json));
	assert_non_null(strstr(json, "\"school\":2"));
	assert_non_null(strstr(json, "\"links\":3"));
	mms_free(json);
}

static void dot_draws_the_subtree_and_links_valid_on_a_day(void **state)
{
	mms_db *db = *state;
	char *dot = NULL;
	int32_t r = t_find(db, MMS_UNIT, "R");
	T_OK(db, mms_network_dot(db, r, "2023-06-01", &dot));
	assert_non_null(strstr(dot, "digraph network {"));
	assert_non_null(strstr(dot, "label=\"agreement\""));
	assert_null(strstr(dot, "label=\"curatorship\"")); /* ended in 2022 */
	assert_null(strstr(dot, "membership"));            /* C is outside R */
	assert_non_null(strstr(dot, "u1 -> u2;"));         /* M1 -> S1 */
	mms_free(dot);
	T_OK(db, mms_network_dot(db, r, "2022-06-01", &dot));
	assert_non_null(strstr(dot, "label=\"curatorship\""));
	mms_free(dot);
	T_OK(db, mms_network_dot(db, -1, NULL, &dot));
	assert_non_null(strstr(dot, "label=\"membership\""));
	mms_free(dot);
	assert_int_equal(mms_network_dot(db, r, "soon", &dot), MMS_EINVAL);
}

static void coverage_names_directions_nobody_performs(void **state)
{
	mms_db *db = *state;
	t_import(db, "{\"units\": ["
		     "{\"code\": \"X1\", \"name\": \"ГМО\", \"level\": \"municipal\", \"kind\": \"municipal_association\", \"parent\": \"M1\", \"directions\": [\"consulting\", \"analytical\"]},"
		     "{\"code\": \"X2\", \"name\": \"ГМО\", \"level\": \"municipal\", \"kind\": \"municipal_association\", \"parent\": \"M2\", \"directions\": [\"informational\"]}]}");
	mms_coverage *c;
	T_OK(db, mms_coverage_compute(db, t_find(db, MMS_UNIT, "R"), &c));
	/* Territories sorted by name; units without one inherit their parent's. */
	assert_int_equal(mms_coverage_count(c), 3);
	assert_string_equal(mms_coverage_territory(c, 0), "Область");
	assert_string_equal(mms_coverage_territory(c, 1), "Северный");
	assert_string_equal(mms_coverage_performed(c, 1), "analytical|consulting");
	assert_string_equal(mms_coverage_missing(c, 1),
			    "informational|organisational|scientific|publishing");
	assert_string_equal(mms_coverage_territory(c, 2), "Южный");
	assert_string_equal(mms_coverage_performed(c, 2), "informational");
	assert_null(mms_coverage_territory(c, 3));
	mms_coverage_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(children_subtree_and_path_follow_the_hierarchy, setup, teardown),
		cmocka_unit_test_setup_teardown(links_of_a_unit_include_both_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(units_are_found_by_kind_level_territory_and_subtree, setup, teardown),
		cmocka_unit_test_setup_teardown(staff_filters_combine, setup, teardown),
		cmocka_unit_test_setup_teardown(stats_count_a_subtree, setup, teardown),
		cmocka_unit_test_setup_teardown(dot_draws_the_subtree_and_links_valid_on_a_day, setup, teardown),
		cmocka_unit_test_setup_teardown(coverage_names_directions_nobody_performs, setup, teardown),
	};
	return cmocka_run_group_tests_name("network", tests, NULL, NULL);
}
