/*
 * Pseudonymised export of the Murom demo with its diagnostics, a batch of
 * routes and an approval with evidence: no staff code, name, exact birth or
 * work-start date, or note about a person survives; pseudonyms are stable
 * for a key and differ between keys; and every built-in indicator, at every
 * unit, computed from the imported export equals the original's.
 */
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "exchange/exchange.h"
#include "helpers.h"

#define DATA MMS_TEST_DATA "/../../data/"
#define KEY "region-33 secret for the 2024 report: Tq8vXz"

static const char *field(json_object *o, const char *name)
{
	json_object *v;
	return json_object_object_get_ex(o, name, &v) ? json_object_get_string(v) : NULL;
}

/* The smallest number of staff sharing a combination of the quasi-identifiers
 * an export keeps (organisation, role, category, birth date, work start, work
 * end, subjects), and how many staff are in combinations smaller than 5;
 * with `keys` fields from the first. */
static size_t smallest_class(json_object *staff, int keys, size_t *under5)
{
	static const char *const qi[] = {"org", "role", "category", "birth_date", "work_start",
					 "work_end", "subjects"};
	size_t n = json_object_array_length(staff), k = n;
	char **combo = calloc(n, sizeof *combo);
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(staff, i), *v;
		char buf[2048] = "";
		for (int q = 0; q < keys; q++) {
			strncat(buf, json_object_object_get_ex(s, qi[q], &v) ? json_object_to_json_string(v) : "-",
				sizeof buf - strlen(buf) - 2);
			strcat(buf, "|");
		}
		combo[i] = strdup(buf);
	}
	*under5 = 0;
	for (size_t i = 0; i < n; i++) {
		size_t same = 0;
		for (size_t j = 0; j < n; j++)
			same += !strcmp(combo[i], combo[j]);
		k = same < k ? same : k;
		*under5 += same < 5;
	}
	for (size_t i = 0; i < n; i++)
		free(combo[i]);
	free(combo);
	return k;
}

/* Measures k-anonymity (docs/security.md). With the organisation and role
 * alone, which every indicator needs exactly, 51 managers and methodists of
 * the demo share them with fewer than 5 others, so no export keeping the
 * indicators exact at every unit reaches k = 5; the rest of what is kept is
 * what the indicators read. The bounds are the figures measured on the demo
 * (1,239 staff in classes under 5 before generalisation): an export that
 * tells people apart more than that fails. */
static void k_anonymity(json_object *doc)
{
	json_object *staff = json_object_object_get(doc, "staff");
	size_t u_all, u_base, k_all = smallest_class(staff, 7, &u_all),
	       k_base = smallest_class(staff, 2, &u_base);
	print_message("pseudonym: k = %zu on all 7 quasi-identifiers (%zu staff in classes under 5), "
		      "k = %zu on organisation and role (%zu under 5)\n", k_all, u_all, k_base, u_base);
	assert_true(u_all <= 352 && u_base <= 51);
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
		/* dates are the bounds of their classes: ends of calendar and
		   academic years, the days after them, and the days before; a
		   work start also the day after a year's first day (cohorts) */
		const char *dates[] = {field(s, "birth_date"), field(s, "work_start"), field(s, "work_end")};
		for (int k = 0; k < 3; k++)
			if (dates[k] && strcmp(dates[k] + 4, "-01-01") && strcmp(dates[k] + 4, "-09-01") &&
			    strcmp(dates[k] + 4, "-12-31") && strcmp(dates[k] + 4, "-08-31") &&
			    (k != 1 || (strcmp(dates[k] + 4, "-01-02") && strcmp(dates[k] + 4, "-09-02"))) &&
			    (k < 2 || (strcmp(dates[k] + 4, "-12-30") && strcmp(dates[k] + 4, "-08-30"))))
				fail_msg("a date not generalised: %s", dates[k]);
		assert_null(field(s, "position"));
		assert_null(field(s, "category"));
		assert_null(field(s, "edu_level"));
		/* the original code and name are nowhere in the text */
		char *code = t_get(db, MMS_STAFF, (int32_t)i, "code"), *name = t_get(db, MMS_STAFF, (int32_t)i, "name");
		if (strstr(text, code)) /* as a substring: route codes are made of them */
			fail_msg("staff code %s survives", code);
		if (strstr(text, name))
			fail_msg("name %s survives", name);
		free(code);
		free(name);
	}
	static const char *const gone[][2] = {{"diagnostics", "note"}, {"routes", "note"},
					      {"route_steps", "reason"}, {"links", "note"}, {"facts", "note"},
					      {"route_events", "evidence"}, {"route_events", "note"}};
	for (size_t g = 0; g < sizeof gone / sizeof *gone; g++) {
		json_object *list = json_object_object_get(doc, gone[g][0]);
		for (size_t i = 0; i < json_object_array_length(list); i++)
			assert_null(field(json_object_array_get_idx(list, i), gone[g][1]));
	}
	assert_true(json_object_array_length(json_object_object_get(doc, "route_events")) > 0);
	/* route codes, which the batch builder made of staff codes, are pseudonyms */
	regex_t route;
	assert_int_equal(regcomp(&route, "^R[0-9a-f]{16}$", REG_EXTENDED | REG_NOSUB), 0);
	json_object *routes = json_object_object_get(doc, "routes");
	assert_true(json_object_array_length(routes) > 0);
	for (size_t i = 0; i < json_object_array_length(routes); i++)
		assert_int_equal(regexec(&route, field(json_object_array_get_idx(routes, i), "code"), 0, NULL, 0), 0);
	regfree(&route);
	k_anonymity(doc);
	json_object_put(doc);
	regfree(&pseudonym);
}

/* Every file of a CSV export is free of every staff code and name. */
static void assert_no_identifier_in_dir(mms_db *db, const char *dir)
{
	size_t n;
	T_OK(db, mms_db_count(db, MMS_STAFF, &n));
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		char file[512];
		snprintf(file, sizeof file, "%s/%s.csv", dir, mms_entity_name(e));
		FILE *f = fopen(file, "rb");
		if (!f)
			continue;
		fclose(f);
		char *text = t_read(file, NULL);
		for (size_t i = 0; i < n; i++) {
			char *code = t_get(db, MMS_STAFF, (int32_t)i, "code");
			char *name = t_get(db, MMS_STAFF, (int32_t)i, "name");
			if (strstr(text, code) || strstr(text, name))
				fail_msg("%s: staff %s or %s survives", file, code, name);
			free(code);
			free(name);
		}
		free(text);
	}
}

/* Keys a guess or a slip could produce are refused, saying why and how to
   make a good one; the message never quotes the key. */
static void weak_keys_are_refused(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite");
	mms_db *db = t_open(path);
	t_import(db, "{\"units\": [{\"code\": \"R\", \"name\": \"R\", \"level\": \"regional\", \"kind\": \"institute\"}]}");
	static const char *const weak[][2] = {
		{"short", "fewer than 32"},
		{"region-33-secret-key-2024", "fewer than 32"}, /* 25 bytes */
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "repeats"},
		{"abcabcabcabcabcabcabcabcabcabcabcabc", "repeats"},
		{"abababababababababababababababbaba", "different bytes"},
		{"0000000000000000111111111111111122", "different bytes"},
	};
	for (size_t i = 0; i < sizeof weak / sizeof *weak; i++) {
		char *none = (char *)"unchanged";
		assert_int_equal(mms_db_export_json_pseudonymised(db, weak[i][0], &none), MMS_EINVAL);
		assert_null(none);
		const char *msg = mms_db_errmsg(db);
		if (!strstr(msg, weak[i][1]) || !strstr(msg, "/dev/urandom") || strstr(msg, weak[i][0]))
			fail_msg("key %s: \"%s\" should say %s and how to make one", weak[i][0], msg,
				 weak[i][1]);
		char *file = t_path(dir, "out.json");
		assert_int_equal(mms_db_export_pseudonymised(db, file, weak[i][0], NULL), MMS_EINVAL);
		free(file);
	}
	char *none = (char *)"unchanged";
	assert_int_equal(mms_db_export_json_pseudonymised(db, NULL, &none), MMS_EINVAL);
	/* what `head -c 32 /dev/urandom | base64` gives, and 32 random bytes as hex */
	char *text;
	T_OK(db, mms_db_export_json_pseudonymised(db, "q3VZ0yJ5m1m0cB6yq8Lr2W0T9dF1jK7sXo4hP2eGvNw=", &text));
	mms_free(text);
	T_OK(db, mms_db_export_json_pseudonymised(db, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", &text));
	mms_free(text);
	mms_db_close(db);
	t_rmtree(dir);
	free(path);
	free(dir);
}

/* Records whose codes and names were made from a person's, as people make
   them: a mentoring pair, a master class, a link note, a fact note. */
static void named_after_people(mms_db *db)
{
	char *code = t_get(db, MMS_STAFF, 5, "code"), *name = t_get(db, MMS_STAFF, 5, "name");
	char *code2 = t_get(db, MMS_STAFF, 6, "code"), *name2 = t_get(db, MMS_STAFF, 6, "name");
	char pair[256], pair_name[512], act[256], act_name[512], note[512];
	snprintf(pair, sizeof pair, "PAIR-%s", code);
	snprintf(pair_name, sizeof pair_name, "Наставническая пара «%s — %s»", name, name2);
	snprintf(act, sizeof act, "MK_%s.2024", code2);
	snprintf(act_name, sizeof act_name, "Мастер-класс %.*s", (int)strcspn(name2, " "), name2);
	snprintf(note, sizeof note, "по итогам встречи с %s", name);
	T_OK(db, t_insert(db, MMS_UNIT, NULL, "code", pair, "name", pair_name, "level", "subunit",
			  "kind", "mentoring_pair", "parent", "MUR-SCH-01", NULL));
	T_OK(db, t_insert(db, MMS_ACTIVITY, NULL, "code", act, "name", act_name, "kind", "event",
			  "organizer", "MUR-SCH-01", "start", "2024-03-01", NULL));
	T_OK(db, t_insert(db, MMS_PARTICIPATION, NULL, "activity", act, "staff", code,
			  "role", "participant", NULL));
	T_OK(db, t_insert(db, MMS_FACT, NULL, "unit", "MUR-SCH-01", "key", "k", "year", "2024",
			  "value", "1", "note", note, NULL));
	free(code);
	free(name);
	free(code2);
	free(name2);
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
	named_after_people(db);
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

	/* The whole CSV export: no staff code or name, not even inside another text. */
	assert_no_identifier_in_dir(db, csv);

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

/* The numbers of every match of re (its third group) in text, each checked. */
static int numbers_after(const char *text, const char *re, const int *allowed, int nallowed,
			 const char *what, const char *id)
{
	regex_t r;
	regmatch_t g[4];
	int found = 0;
	assert_int_equal(regcomp(&r, re, REG_EXTENDED), 0);
	for (const char *p = text; !regexec(&r, p, 4, g, 0); p += g[0].rm_eo) {
		int n = atoi(p + g[3].rm_so), ok = 0;
		for (int k = 0; k < nallowed; k++)
			ok |= allowed[k] == n;
		if (!ok)
			fail_msg("%s compares %s with %d, which the pseudonymised export does not keep "
				 "exact: add it to mms_pseudo_needed", id, what, n);
		found = 1;
	}
	regfree(&r);
	return found;
}

static int mentions(const char *text, const char *re)
{
	regex_t r;
	assert_int_equal(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
	int yes = !regexec(&r, text, 0, NULL, 0);
	regfree(&r);
	return yes;
}

/* Every built-in definition reads of a person only what mms_pseudo_needed
   says the pseudonymised export keeps exact: a new threshold, subject or
   attribute fails here, by name, before it makes an indicator of an export
   differ from the original's. */
static void the_export_keeps_what_every_builtin_indicator_reads(void **state)
{
	(void)state;
	const mms_pseudo_needs *n = &mms_pseudo_needed;
	DIR *dir = opendir(DATA "indicators");
	assert_non_null(dir);
	int definitions = 0, reading_age = 0;
	for (struct dirent *de; (de = readdir(dir));) {
		if (!strstr(de->d_name, ".json"))
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s%s", DATA "indicators/", de->d_name);
		json_object *doc = json_object_from_file(path), *list;
		assert_true(json_object_object_get_ex(doc, "indicators", &list));
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			json_object *o = json_object_array_get_idx(list, i);
			const char *id = field(o, "id");
			char text[4096] = "";
			static const char *const exprs[] = {"filter", "numerator", "denominator"};
			for (int k = 0; k < 3; k++)
				if (field(o, exprs[k]))
					snprintf(text + strlen(text), sizeof text - strlen(text), "%s\n",
						 field(o, exprs[k]));
			definitions++;
			if (mentions(text, "(^|[^a-z_])(category|edu_level|position|birth_date|work_start|work_end)([^a-z_]|$)"))
				fail_msg("%s reads an attribute the pseudonymised export leaves out", id);
			if (numbers_after(text, "(^|[^a-z_])age *(<|>=) *([0-9]+)", n->ages, n->nages, "age", id)) {
				int below[] = {n->age_service_below};
				reading_age++;
				/* ages are kept only of teachers in their first years */
				if (!mentions(text, "role = \"teacher\" and") ||
				    !numbers_after(text, "(^|[^a-z_])experience_years *(<) *([0-9]+)", below, 1,
						   "experience_years, next to age,", id))
					fail_msg("%s reads the age of others than teachers in their first %d years",
						 id, n->age_service_below);
			} else if (mentions(text, "(^|[^a-z_])age([^a-z_]|$)")) {
				fail_msg("%s reads age otherwise than 'age < N'", id);
			}
			numbers_after(text, "(^|[^a-z_])(experience_years) *[<>]=? *([0-9]+)", n->services,
				      n->nservices, "experience_years", id);
			regex_t subj;
			regmatch_t g[2];
			assert_int_equal(regcomp(&subj, "subject\\(\"([^\"]*)\"\\)", REG_EXTENDED), 0);
			for (const char *p = text; !regexec(&subj, p, 2, g, 0); p += g[0].rm_eo) {
				int ok = 0;
				for (int k = 0; k < n->nsubjects; k++)
					ok |= (size_t)(g[1].rm_eo - g[1].rm_so) == strlen(n->subjects[k]) &&
					      !strncmp(p + g[1].rm_so, n->subjects[k], strlen(n->subjects[k]));
				if (!ok)
					fail_msg("%s looks for a subject the pseudonymised export leaves out", id);
			}
			regfree(&subj);
		}
		json_object_put(doc);
	}
	closedir(dir);
	print_message("pseudonym: %d built-in definitions checked, %d read ages\n", definitions, reading_age);
	assert_true(definitions > 40 && reading_age >= 2);
}


/* A person's posts keep one key under their pseudonyms, and past values
 * name the staff member by pseudonym and leave out what the export drops
 * of the person (a past category), so careers stay countable. */
static void posts_of_a_person_and_past_values_stay_linked_under_pseudonyms(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "p.sqlite");
	mms_db *db = t_open(path);
	t_import(db, "{\"units\": [{\"code\": \"M\", \"name\": \"M\", \"level\": \"municipal\", \"kind\": \"municipal_service\"},"
		     "{\"code\": \"S\", \"name\": \"S\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}],"
		     "\"staff\": [{\"code\": \"Иванова-1\", \"name\": \"Иванова Анна\", \"org\": \"S\", \"role\": \"teacher\", \"category\": \"first\"},"
		     "{\"code\": \"Иванова-2\", \"name\": \"Иванова Анна\", \"person\": \"Иванова-1\", \"org\": \"M\","
		     " \"role\": \"methodist\", \"employment\": \"internal_part_time\"}]}");
	mms_update_options o = MMS_UPDATE_OPTIONS_INIT;
	o.from = "2025-01-01";
	const char *cat[] = {"category", "highest", NULL};
	T_OK(db, mms_db_update(db, MMS_STAFF, "Иванова-1", cat, &o, NULL));
	char *text = NULL;
	T_OK(db, mms_db_export_json_pseudonymised(db, KEY, &text));
	assert_null(strstr(text, "Иванова"));
	json_object *doc = json_tokener_parse(text);
	json_object *staff = json_object_object_get(doc, "staff");
	const char *first = field(json_object_array_get_idx(staff, 0), "code");
	assert_string_equal(field(json_object_array_get_idx(staff, 1), "person"), first);
	json_object *pv = json_object_array_get_idx(json_object_object_get(doc, "past_values"), 0);
	assert_string_equal(field(pv, "record"), first);
	assert_string_equal(field(pv, "field"), "category");
	assert_null(field(pv, "value"));
	json_object_put(doc);
	mms_free(text);
	/* a unit's past values name it and its past parent as the export names
	 * them (by their pseudonyms where units have one) */
	t_import(db, "{\"units\": [{\"code\": \"ШКОЛА-Петрова\", \"name\": \"Ш\", \"level\": \"institutional\","
		     " \"kind\": \"school\", \"parent\": \"M\"}, {\"code\": \"M2\", \"name\": \"M2\","
		     " \"level\": \"municipal\", \"kind\": \"municipal_service\"}]}");
	const char *parent[] = {"parent", "M2", NULL};
	T_OK(db, mms_db_update(db, MMS_UNIT, "ШКОЛА-Петрова", parent, &o, NULL));
	T_OK(db, mms_db_export_json_pseudonymised(db, KEY, &text));
	doc = json_tokener_parse(text);
	json_object *units = json_object_object_get(doc, "units"), *pvs = json_object_object_get(doc, "past_values");
	const char *m_code = field(json_object_array_get_idx(units, 0), "code");
	int found = 0;
	for (size_t i = 0; i < json_object_array_length(pvs); i++) {
		json_object *x = json_object_array_get_idx(pvs, i);
		if (!strcmp(field(x, "field"), "parent")) {
			assert_string_equal(field(x, "value"), m_code); /* M's pseudonym */
			assert_string_equal(field(x, "record"),
					    field(json_object_array_get_idx(units, 2), "code"));
			found = 1;
		}
	}
	assert_true(found);
	json_object_put(doc);
	mms_free(text);
	mms_db_close(db);
	t_rmtree(dir);
	free(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pseudonymised_export_keeps_indicators_and_drops_persons),
		cmocka_unit_test(weak_keys_are_refused),
		cmocka_unit_test(the_export_keeps_what_every_builtin_indicator_reads),
		cmocka_unit_test(posts_of_a_person_and_past_values_stay_linked_under_pseudonyms),
	};
	return cmocka_run_group_tests_name("pseudonym", tests, NULL, NULL);
}
