/*
 * The bad-input suite: every case of data/bad/cases.json is imported into
 * a database holding data/bad/base.json. Each must be refused with its
 * code, report its location (JSON pointer or file:line:column) at the head
 * of its message, and leave the database files byte-for-byte unchanged.
 */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"

static json_object *cases;

static int code_of(const char *name)
{
	static const struct { const char *name; int code; } codes[] = {
		{"MMS_EPARSE", MMS_EPARSE}, {"MMS_ETYPE", MMS_ETYPE},
		{"MMS_ERANGE", MMS_ERANGE}, {"MMS_EREF", MMS_EREF},
		{"MMS_EDUP", MMS_EDUP}, {"MMS_ECYCLE", MMS_ECYCLE},
		{"MMS_ELEVEL", MMS_ELEVEL}, {"MMS_EMISSING", MMS_EMISSING},
		{"MMS_EVERSION", MMS_EVERSION}};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (!strcmp(codes[i].name, name))
			return codes[i].code;
	fail_msg("unknown code name %s", name);
	return 0;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/* Bytes of the database and its write-ahead log, to compare before/after. */
static char *snapshot(const char *dbpath)
{
	char *wal = NULL;
	assert_true(asprintf(&wal, "%s-wal", dbpath) > 0);
	size_t n1 = 0, n2 = 0;
	char *a = t_read(dbpath, &n1), *b = t_read(wal, &n2);
	char *all = malloc(n1 + n2 + 32);
	assert_non_null(all);
	int k = sprintf(all, "%zu:%zu:", n1, n2);
	memcpy(all + k, a, n1);
	if (b)
		memcpy(all + k + n1, b, n2);
	all[k + n1 + n2] = '\0';
	free(a);
	free(b);
	free(wal);
	return all;
}

static size_t snapshot_len(const char *s)
{
	size_t n1, n2;
	assert_int_equal(sscanf(s, "%zu:%zu:", &n1, &n2), 2);
	return (size_t)(strchr(strchr(s, ':') + 1, ':') - s) + 1 + n1 + n2;
}

static int run_case(mms_db *db, json_object *c, const char *dir, mms_report **rep)
{
	json_object *doc, *csv;
	if (json_object_object_get_ex(c, "json", &doc))
		return mms_db_import_json(db, json_object_to_json_string(doc), NULL, rep);
	if (str(c, "text"))
		return mms_db_import_json(db, str(c, "text"), NULL, rep);
	assert_true(json_object_object_get_ex(c, "csv", &csv));
	char *csvdir = t_path(dir, "csv");
	assert_int_equal(mkdir(csvdir, 0777), 0);
	json_object_object_foreach(csv, file, content) {
		char *p = t_path(csvdir, file);
		t_write(p, json_object_get_string(content));
		free(p);
	}
	int rc = mms_db_import(db, csvdir, NULL, rep);
	free(csvdir);
	return rc;
}

static void test_case(void **state)
{
	json_object *c = *state;
	int want = code_of(str(c, "code"));
	/* the import returns its first problem's code, which "rc" names when the
	 * problem checked here is not the first */
	int want_rc = str(c, "rc") ? code_of(str(c, "rc")) : want;
	const char *loc = str(c, "location");
	char *dir = t_tmpdir(), *dbpath = t_path(dir, "db.sqlite");
	char *base = t_read(MMS_TEST_DATA "/bad/base.json", NULL);
	mms_db *db = t_open(dbpath);
	t_import(db, base);
	char *before = snapshot(dbpath), *export_before = NULL, *export_after = NULL;
	T_OK(db, mms_db_export_json(db, &export_before));

	mms_report *rep = NULL;
	int rc = run_case(db, c, dir, &rep);
	if (rc != want_rc)
		fail_msg("%s: got %d (%s), want %s; message: %s", str(c, "name"), rc,
			 mms_errstr(rc), mms_errstr(want_rc), mms_db_errmsg(db));
	int found = 0;
	for (size_t i = 0; i < mms_report_count(rep); i++) {
		const char *l = mms_report_location(rep, i), *m = mms_report_message(rep, i);
		if (mms_report_code(rep, i) == want && !strncmp(l, loc, strlen(loc)) &&
		    !strncmp(m, l, strlen(l)))
			found = 1;
	}
	if (!found)
		fail_msg("%s: no %s problem at \"%s\"; first: %s at %s", str(c, "name"),
			 str(c, "code"), loc, mms_report_message(rep, 0),
			 mms_report_location(rep, 0));
	json_object *minp;
	if (json_object_object_get_ex(c, "min_problems", &minp))
		assert_true(mms_report_count(rep) >= (size_t)json_object_get_int(minp));
	assert_true(strlen(mms_db_errmsg(db)) > 0);

	char *after = snapshot(dbpath);
	assert_int_equal(snapshot_len(before), snapshot_len(after));
	assert_memory_equal(before, after, snapshot_len(before));
	T_OK(db, mms_db_export_json(db, &export_after));
	assert_string_equal(export_before, export_after);

	mms_report_free(rep);
	mms_free(export_before);
	mms_free(export_after);
	mms_db_close(db);
	free(before);
	free(after);
	free(base);
	t_rmtree(dir);
	free(dbpath);
	free(dir);
}

/* Hand-written cases, then those generate.py makes field by field. */
static json_object *load_cases(void)
{
	static const char *const files[] = {MMS_TEST_DATA "/bad/cases.json", MMS_TEST_DATA "/bad/fields.json"};
	json_object *all = json_object_new_array();
	for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
		json_object *part = json_object_from_file(files[f]);
		if (!part) {
			fprintf(stderr, "cannot read %s\n", files[f]);
			json_object_put(all);
			return NULL;
		}
		for (size_t i = 0; i < json_object_array_length(part); i++)
			json_object_array_add(all, json_object_get(json_object_array_get_idx(part, i)));
		json_object_put(part);
	}
	return all;
}

int main(void)
{
	cases = load_cases();
	if (!cases)
		return 1;
	size_t n = json_object_array_length(cases);
	struct CMUnitTest *tests = calloc(n, sizeof *tests);
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(cases, i);
		tests[i].name = str(c, "name");
		tests[i].test_func = test_case;
		tests[i].initial_state = c;
	}
	int failed = _cmocka_run_group_tests("bad_input", tests, n, NULL, NULL);
	free(tests);
	json_object_put(cases);
	return failed;
}
