/*
 * Hostile text: names and codes built to break SQL built by hand, format
 * strings and CSV quoting must be stored, read back and exported unchanged,
 * through JSON and CSV both; NUL bytes, invalid UTF-8 and oversized values
 * must be refused with the field's location and leave the database as it
 * was. Every statement in the library is prepared; this test is the proof.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "helpers.h"

static const char *const codes[] = {
	"X'1", "X\"2", "X--3", "X;DROP TABLE staff;--", "%n%s%x", "a,b;c", "' OR '1'='1", "SP",
};
static const char *const names[] = {
	"O'Brien", "\"quoted\" name", "Robert'); DROP TABLE staff;--", "/* comment */ -- rest",
	"%s%s%n%x%p", "back\\slash, semi;colon\nsecond line", "Учитель 👩‍🏫 ʼапостроф",
	"  spaces around, kept through CSV \t",
};
#define N (sizeof codes / sizeof *codes)

static const char base_json[] =
	"{\"units\": [{\"code\": \"M\", \"name\": \"M\", \"level\": \"municipal\", \"kind\": \"municipal_service\"}]}";

static json_object *staff_doc(const char *const *c, const char *const *n, size_t count)
{
	json_object *doc = json_object_new_object(), *staff = json_object_new_array();
	for (size_t i = 0; i < count; i++) {
		json_object *s = json_object_new_object();
		json_object_object_add(s, "code", json_object_new_string(c[i]));
		json_object_object_add(s, "name", json_object_new_string(n[i]));
		json_object_object_add(s, "org", json_object_new_string("M"));
		json_object_object_add(s, "role", json_object_new_string("teacher"));
		json_object_array_add(staff, s);
	}
	json_object_object_add(doc, "staff", staff);
	return doc;
}

static void assert_names(mms_db *db, const char *long_name)
{
	for (size_t i = 0; i < N; i++) {
		char *v = t_get(db, MMS_STAFF, t_find(db, MMS_STAFF, codes[i]), "name");
		assert_string_equal(v, names[i]);
		free(v);
	}
	char *v = t_get(db, MMS_STAFF, t_find(db, MMS_STAFF, "LONG"), "name");
	assert_string_equal(v, long_name);
	free(v);
	size_t n;
	T_OK(db, mms_db_count(db, MMS_STAFF, &n)); /* the table is still there */
	assert_int_equal(n, N + 1);
}

static void hostile_text_is_stored_and_exported_unchanged(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite"), *csv = t_path(dir, "csv"),
	     *copy = t_path(dir, "copy.sqlite");
	/* The longest name accepted: 65,535 bytes of two-byte letters and one 'x'. */
	char *long_name = malloc(65536);
	assert_non_null(long_name);
	for (size_t i = 0; i + 2 <= 65534; i += 2)
		memcpy(long_name + i, "ж", 2);
	strcpy(long_name + 65534, "x");

	mms_db *db = t_open(path);
	t_import(db, base_json);
	json_object *doc = staff_doc(codes, names, N);
	json_object *extra = json_object_new_object();
	json_object_object_add(extra, "code", json_object_new_string("LONG"));
	json_object_object_add(extra, "name", json_object_new_string(long_name));
	json_object_object_add(extra, "org", json_object_new_string("M"));
	json_object_object_add(extra, "role", json_object_new_string("teacher"));
	json_object_array_add(json_object_object_get(doc, "staff"), extra);
	t_import(db, json_object_to_json_string(doc));
	json_object_put(doc);
	assert_names(db, long_name);

	/* JSON export: the same strings come out. */
	char *out = NULL;
	T_OK(db, mms_db_export_json(db, &out));
	json_object *back = json_tokener_parse(out), *staff = json_object_object_get(back, "staff");
	assert_non_null(staff);
	assert_int_equal(json_object_array_length(staff), N + 1);
	for (size_t i = 0; i < N; i++) {
		json_object *s = json_object_array_get_idx(staff, i);
		assert_string_equal(json_object_get_string(json_object_object_get(s, "code")), codes[i]);
		assert_string_equal(json_object_get_string(json_object_object_get(s, "name")), names[i]);
	}
	json_object_put(back);
	free(out);

	/* CSV export and import into a new database: quoting survives. */
	mms_export_options eo = MMS_EXPORT_OPTIONS_INIT;
	eo.format = MMS_FORMAT_CSV;
	T_OK(db, mms_db_export(db, csv, &eo));
	mms_db *db2 = t_open(copy);
	T_OK(db2, mms_db_import(db2, csv, NULL, NULL));
	assert_names(db2, long_name);
	mms_db_close(db2);
	mms_db_close(db);
	t_rmtree(dir);
	free(long_name);
	free(copy);
	free(csv);
	free(path);
	free(dir);
}

/* Imports doc, expects rc and a problem at location, and no change at all. */
static void refused(mms_db *db, const char *doc, int rc, const char *location)
{
	char *before = NULL, *after = NULL;
	mms_report *rep = NULL;
	T_OK(db, mms_db_export_json(db, &before));
	assert_int_equal(mms_db_import_json(db, doc, NULL, &rep), rc);
	assert_true(mms_report_count(rep) >= 1);
	assert_string_equal(mms_report_location(rep, 0), location);
	mms_report_free(rep);
	T_OK(db, mms_db_export_json(db, &after));
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void hostile_bytes_are_refused_with_their_location(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite");
	mms_db *db = t_open(path);
	t_import(db, base_json);

	/* NUL inside a name, escaped as JSON allows. */
	refused(db, "{\"staff\": [{\"code\": \"A\", \"name\": \"a\\u0000'; DROP TABLE staff;--\", "
		    "\"org\": \"M\", \"role\": \"teacher\"}]}",
		MMS_ETYPE, "/staff/0/name");
	/* Invalid UTF-8: a lone continuation byte, then an overlong '/'. */
	refused(db, "{\"staff\": [{\"code\": \"A\", \"name\": \"ok\", \"org\": \"M\", \"role\": \"teacher\"},"
		    "{\"code\": \"B\", \"name\": \"bad \x80 byte\", \"org\": \"M\", \"role\": \"teacher\"}]}",
		MMS_ETYPE, "/staff/1/name");
	refused(db, "{\"staff\": [{\"code\": \"\xc0\xaf\", \"name\": \"n\", \"org\": \"M\", \"role\": \"teacher\"}]}",
		MMS_ETYPE, "/staff/0/code");
	/* A code carrying the separator of reference lists. */
	refused(db, "{\"staff\": [{\"code\": \"A|B\", \"name\": \"n\", \"org\": \"M\", \"role\": \"teacher\"}]}",
		MMS_ETYPE, "/staff/0/code");
	/* A format string in a reference reaches the message as text. */
	mms_report *rep = NULL;
	assert_int_not_equal(mms_db_import_json(db, "{\"staff\": [{\"code\": \"A\", \"name\": \"n\", "
						    "\"org\": \"%s%n%s\", \"role\": \"teacher\"}]}",
						NULL, &rep),
			     MMS_OK);
	assert_non_null(strstr(mms_report_message(rep, 0), "%s%n%s"));
	mms_report_free(rep);

	/* One byte over the limit. */
	char *big = malloc(65536 + 200);
	assert_non_null(big);
	int n = snprintf(big, 200, "{\"staff\": [{\"code\": \"A\", \"org\": \"M\", \"role\": \"teacher\", \"name\": \"");
	memset(big + n, 'y', 65536);
	strcpy(big + n + 65536, "\"}]}");
	refused(db, big, MMS_ERANGE, "/staff/0/name");
	free(big);

	mms_db_close(db);
	t_rmtree(dir);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostile_text_is_stored_and_exported_unchanged),
		cmocka_unit_test(hostile_bytes_are_refused_with_their_location),
	};
	return cmocka_run_group_tests_name("hostile", tests, NULL, NULL);
}
