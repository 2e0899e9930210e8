/* Imports: the demo network, forward references, dry runs, CSV dialects;
 * bounded reads, CSV folder names and cells, codes compared as read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define DEMO MMS_TEST_DATA "/../../data/demo/murom.json"

static void assert_units(mms_db *db, size_t want)
{
	size_t n;
	T_OK(db, mms_db_count(db, MMS_UNIT, &n));
	assert_int_equal(n, want);
}

static void the_demo_network_imports_whole(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite");
	mms_db *db = t_open(path);
	mms_report *rep = NULL;
	T_OK(db, mms_db_import(db, DEMO, NULL, &rep));
	assert_int_equal(mms_report_count(rep), 0);
	mms_report_free(rep);
	size_t units, staff;
	T_OK(db, mms_db_count(db, MMS_UNIT, &units));
	T_OK(db, mms_db_count(db, MMS_STAFF, &staff));
	/* seed 000: 16 schools, 33 preschools, 1 supplementary, 33 ГМО, 6 methodists */
	mms_unit_filter f = MMS_UNIT_FILTER_INIT;
	mms_idlist *l;
	f.kind = "school";
	T_OK(db, mms_unit_find(db, &f, &l));
	assert_int_equal(mms_idlist_count(l), 16);
	mms_idlist_free(l);
	f.kind = "preschool";
	T_OK(db, mms_unit_find(db, &f, &l));
	assert_int_equal(mms_idlist_count(l), 33);
	mms_idlist_free(l);
	f.kind = "municipal_association";
	T_OK(db, mms_unit_find(db, &f, &l));
	assert_int_equal(mms_idlist_count(l), 33);
	mms_idlist_free(l);
	mms_staff_filter sf = MMS_STAFF_FILTER_INIT;
	sf.role = "methodist";
	T_OK(db, mms_staff_find(db, &sf, &l));
	assert_int_equal(mms_idlist_count(l), 6);
	mms_idlist_free(l);
	/* 643 school + 515 preschool pedagogical workers + 24 in supplementary */
	sf.role = "teacher";
	T_OK(db, mms_staff_find(db, &sf, &l));
	assert_int_equal(mms_idlist_count(l), 643 + 515 + 24);
	mms_idlist_free(l);
	/* Importing it again collides on every code and changes nothing. */
	assert_int_equal(mms_db_import(db, DEMO, NULL, NULL), MMS_EDUP);
	size_t again;
	T_OK(db, mms_db_count(db, MMS_UNIT, &again));
	assert_int_equal(again, units);
	mms_db_close(db);
	t_rmtree(dir);
	free(path);
	free(dir);
}

static void forward_references_resolve_within_one_import(void **state)
{
	(void)state;
	mms_db *db = t_open(":memory:");
	/* The child comes before its parent, the participation before nothing. */
	t_import(db, "{\"units\": ["
		     "{\"code\": \"S\", \"name\": \"Школа\", \"level\": \"institutional\","
		     " \"kind\": \"school\", \"parent\": \"M\"},"
		     "{\"code\": \"M\", \"name\": \"ММС\", \"level\": \"municipal\","
		     " \"kind\": \"municipal_service\"}]}");
	int32_t s = t_find(db, MMS_UNIT, "S"), m = t_find(db, MMS_UNIT, "M");
	char *parent = t_get(db, MMS_UNIT, s, "parent");
	assert_string_equal(parent, "M");
	mms_free(parent);
	assert_int_equal(s, 0);
	assert_int_equal(m, 1);
	mms_db_close(db);
}

static void a_dry_run_reports_and_writes_nothing(void **state)
{
	(void)state;
	mms_db *db = t_open(":memory:");
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.dry_run = 1;
	mms_report *rep = NULL;
	T_OK(db, mms_db_import(db, DEMO, &o, &rep));
	assert_int_equal(mms_report_count(rep), 0);
	mms_report_free(rep);
	assert_units(db, 0);
	mms_db_close(db);
}

static void write_csv(const char *dir, const char *name, const char *text)
{
	char *p = t_path(dir, name);
	t_write(p, text);
	free(p);
}

static void csv_with_bom_semicolons_and_quotes_imports(void **state)
{
	(void)state;
	char *dir = t_tmpdir();
	write_csv(dir, "units.csv",
		  "\xEF\xBB\xBF" "code;name;level;kind;parent;directions;rural\r\n"
		  "M;\"ММС; округ \"\"Муром\"\"\";municipal;municipal_service;;analytical|consulting;\r\n"
		  "S;\"Школа\n№ 1\";institutional;school;M;;true\r\n");
	write_csv(dir, "staff.csv",
		  "code,name,org,role,birth_date,subjects\n"
		  "T1,Иванова,S,teacher,01.09.1985,математика|информатика\n");
	mms_db *db = t_open(":memory:");
	mms_report *rep = NULL;
	T_OK(db, mms_db_import(db, dir, NULL, &rep));
	mms_report_free(rep);
	char *name = t_get(db, MMS_UNIT, t_find(db, MMS_UNIT, "M"), "name");
	assert_string_equal(name, "ММС; округ \"Муром\"");
	mms_free(name);
	name = t_get(db, MMS_UNIT, t_find(db, MMS_UNIT, "S"), "name");
	assert_string_equal(name, "Школа\n№ 1");
	mms_free(name);
	char *birth = t_get(db, MMS_STAFF, t_find(db, MMS_STAFF, "T1"), "birth_date");
	assert_string_equal(birth, "1985-09-01");
	mms_free(birth);
	mms_db_close(db);
	t_rmtree(dir);
	free(dir);
}

static void import_options_and_arguments_are_checked(void **state)
{
	(void)state;
	mms_db *db = t_open(":memory:");
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.version = 0;
	assert_int_equal(mms_db_import_json(db, "{}", &o, NULL), MMS_EINVAL);
	assert_int_equal(mms_db_import(db, "/no/such/file.json", NULL, NULL), MMS_EIO);
	assert_non_null(strstr(mms_db_errmsg(db), "/no/such/file.json"));
	assert_int_equal(mms_db_import_json(NULL, "{}", NULL, NULL), MMS_EINVAL);
	T_OK(db, mms_db_import_json(db, "{}", NULL, NULL));
	mms_db_close(db);
}

/* Imports path and expects rc with needle in the handle's message. */
static void refused_file(mms_db *db, const char *path, const mms_import_options *o, int rc,
			 const char *needle)
{
	mms_report *rep = NULL;
	int got = mms_db_import(db, path, o, &rep);
	if (got != rc)
		fail_msg("%s: got %s, want %s: %s", path, mms_errstr(got), mms_errstr(rc),
			 mms_db_errmsg(db));
	if (!strstr(mms_db_errmsg(db), needle))
		fail_msg("%s: no \"%s\" in \"%s\"", path, needle, mms_db_errmsg(db));
	mms_report_free(rep);
}

static void fifos_devices_and_links_to_them_are_refused_at_once(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *fifo = t_path(dir, "pipe.json"), *zero = t_path(dir, "zero.json"),
	     *to_fifo = t_path(dir, "to-pipe.json"), *csv = t_path(dir, "csv"),
	     *csv_fifo = t_path(csv, "units.csv");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(symlink("/dev/zero", zero), 0);
	assert_int_equal(symlink(fifo, to_fifo), 0);
	assert_int_equal(mkdir(csv, 0777), 0);
	assert_int_equal(mkfifo(csv_fifo, 0600), 0);
	alarm(60); /* a hang fails the test instead of stalling the suite */
	mms_db *db = t_open(":memory:");
	refused_file(db, fifo, NULL, MMS_EIO, "not a regular file");
	refused_file(db, "/dev/zero", NULL, MMS_EIO, "not a regular file");
	refused_file(db, zero, NULL, MMS_EIO, "not a regular file");
	refused_file(db, to_fifo, NULL, MMS_EIO, "not a regular file");
	refused_file(db, csv, NULL, MMS_EIO, "units.csv: is not a regular file");
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.format = MMS_FORMAT_JSON; /* a folder read as a document */
	refused_file(db, dir, &o, MMS_EIO, "not a regular file");
	alarm(0);
	assert_units(db, 0);
	mms_db_close(db);
	t_rmtree(dir);
	free(csv_fifo);
	free(csv);
	free(to_fifo);
	free(zero);
	free(fifo);
	free(dir);
}

static const char one_unit[] =
	"{\"units\": [{\"code\": \"M\", \"name\": \"ММС\", \"level\": \"municipal\", \"kind\": \"municipal_service\"}]}";

static void files_past_the_size_limit_are_refused(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *json = t_path(dir, "one.json"), *csv = t_path(dir, "csv");
	t_write(json, one_unit);
	assert_int_equal(mkdir(csv, 0777), 0);
	write_csv(csv, "units.csv", "code,name,level,kind\nM,ММС,municipal,municipal_service\n");
	mms_db *db = t_open(":memory:");
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	assert_int_equal(o.version, 3);
	o.max_bytes = strlen(one_unit) - 1;
	refused_file(db, json, &o, MMS_ERANGE, "larger than the limit");
	mms_report *rep = NULL;
	o.max_bytes = 20;
	assert_int_equal(mms_db_import(db, csv, &o, &rep), MMS_ERANGE);
	assert_string_equal(mms_report_location(rep, 0), "units.csv");
	assert_non_null(strstr(mms_report_message(rep, 0), "20 bytes"));
	mms_report_free(rep);
	/* a version 1 struct has no max_bytes: the default applies */
	mms_import_options v1 = MMS_IMPORT_OPTIONS_INIT;
	v1.version = 1;
	v1.max_bytes = 1;
	v1.dry_run = 1;
	T_OK(db, mms_db_import(db, csv, &v1, NULL));
	/* exactly at the limit is within it */
	o.max_bytes = strlen(one_unit);
	T_OK(db, mms_db_import(db, json, &o, NULL));
	mms_db_close(db);
	t_rmtree(dir);
	free(csv);
	free(json);
	free(dir);
}

static void a_nul_byte_in_a_csv_cell_is_refused_at_its_cell(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *p = t_path(dir, "units.csv");
	static const char text[] = "code,name,level,kind\nM,\"ab\0cd\",municipal,municipal_service\n";
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
	fclose(f);
	mms_db *db = t_open(":memory:");
	mms_report *rep = NULL;
	assert_int_equal(mms_db_import(db, dir, NULL, &rep), MMS_ETYPE);
	assert_string_equal(mms_report_location(rep, 0), "units.csv:2:2");
	assert_non_null(strstr(mms_report_message(rep, 0), "NUL"));
	mms_report_free(rep);
	assert_units(db, 0);
	mms_db_close(db);
	t_rmtree(dir);
	free(p);
	free(dir);
}

static void a_csv_folder_must_hold_the_documented_names(void **state)
{
	(void)state;
	char *dir = t_tmpdir();
	mms_db *db = t_open(":memory:");
	mms_report *rep = NULL;
	/* empty */
	assert_int_equal(mms_db_import(db, dir, NULL, &rep), MMS_EMISSING);
	assert_non_null(strstr(mms_report_message(rep, 0), "expected one or more of units.csv, links.csv"));
	assert_non_null(strstr(mms_report_message(rep, 0), "found nothing"));
	mms_report_free(rep);
	/* a spreadsheet's names: wrong case, and a note beside them */
	write_csv(dir, "Units.csv", "code,name,level,kind\nM,ММС,municipal,municipal_service\n");
	write_csv(dir, "readme.txt", "exported 2024");
	assert_int_equal(mms_db_import(db, dir, NULL, &rep), MMS_ETYPE);
	assert_int_equal(mms_report_count(rep), 1);
	assert_string_equal(mms_report_location(rep, 0), "Units.csv");
	assert_non_null(strstr(mms_report_message(rep, 0), "expected units.csv"));
	assert_non_null(strstr(mms_report_message(rep, 0), "found Units.csv, readme.txt"));
	mms_report_free(rep);
	/* the right name beside the wrong one is not enough */
	write_csv(dir, "units.csv", "code,name,level,kind\nM,ММС,municipal,municipal_service\n");
	assert_int_equal(mms_db_import(db, dir, NULL, NULL), MMS_ETYPE);
	char *wrong = t_path(dir, "Units.csv");
	assert_int_equal(unlink(wrong), 0);
	free(wrong);
	T_OK(db, mms_db_import(db, dir, NULL, NULL));
	assert_units(db, 1);
	mms_db_close(db);
	t_rmtree(dir);
	free(dir);
}

static void csv_cells_keep_their_spaces(void **state)
{
	(void)state;
	char *dir = t_tmpdir();
	write_csv(dir, "units.csv", "code,name,level,kind\nM,  ММС округа  ,municipal,municipal_service\n");
	mms_db *db = t_open(":memory:");
	T_OK(db, mms_db_import(db, dir, NULL, NULL));
	char *name = t_get(db, MMS_UNIT, t_find(db, MMS_UNIT, "M"), "name");
	assert_string_equal(name, "  ММС округа  ");
	mms_free(name);
	mms_db_close(db);
	t_rmtree(dir);
	free(dir);
}

static const char *unit_doc(char *buf, size_t cap, const char *code)
{
	snprintf(buf, cap, "{\"units\": [{\"code\": \"%s\", \"name\": \"n\", \"level\": \"municipal\", "
		 "\"kind\": \"municipal_service\"}]}", code);
	return buf;
}

/* Imports a unit of that code; expects EDUP naming both codes. */
static void conflicts(mms_db *db, const char *code, const char *existing)
{
	char doc[512];
	mms_report *rep = NULL;
	int rc = mms_db_import_json(db, unit_doc(doc, sizeof doc, code), NULL, &rep);
	if (rc != MMS_EDUP)
		fail_msg("%s: got %s, want a conflict with %s", code, mms_errstr(rc), existing);
	const char *m = mms_report_message(rep, 0);
	char a[256], b[256];
	snprintf(a, sizeof a, "\"%s\"", code);
	snprintf(b, sizeof b, "\"%s\"", existing);
	if (!strstr(m, a) || !strstr(m, b) || !strstr(m, "conflicts"))
		fail_msg("%s: the message does not name both codes: %s", code, m);
	assert_string_equal(mms_report_location(rep, 0), "/units/0/code");
	mms_report_free(rep);
}

static void look_alike_codes_conflict_with_the_database(void **state)
{
	(void)state;
	mms_db *db = t_open(":memory:");
	char doc[512];
	T_OK(db, mms_db_import_json(db, unit_doc(doc, sizeof doc, "MUR-CRPK"), NULL, NULL));
	T_OK(db, mms_db_import_json(db, unit_doc(doc, sizeof doc, "Школа-1"), NULL, NULL));
	T_OK(db, mms_db_import_json(db, unit_doc(doc, sizeof doc, "\xd0\xb9-1"), NULL, NULL)); /* й composed */
	T_OK(db, mms_db_import_json(db, unit_doc(doc, sizeof doc, "ёлка"), NULL, NULL));
	conflicts(db, "mur-crpk", "MUR-CRPK");
	conflicts(db, "\xd0\x9cUR-\xd0\xa1RPK", "MUR-CRPK"); /* Cyrillic М and С */
	conflicts(db, "MUR-CR\xd0\xa0K", "MUR-CRPK"); /* Cyrillic Р for the P */
	conflicts(db, "\xd0\xbcur-\xd1\x81rpk", "MUR-CRPK"); /* lower Cyrillic м, с */
	conflicts(db, "ШКОЛА-1", "Школа-1");
	conflicts(db, "\xd0\xb8\xcc\x86-1", "\xd0\xb9-1"); /* й decomposed: и + breve */
	conflicts(db, "Ёлка", "ёлка");
	conflicts(db, "\xd0\xb5\xcc\x88лка", "ёлка"); /* е + diaeresis */
	conflicts(db, "ＭＵＲ－ＣＲＰＫ", "MUR-CRPK"); /* full-width forms */
	/* different to a reader: still allowed */
	T_OK(db, mms_db_import_json(db, unit_doc(doc, sizeof doc, "MUR-CRPK-2"), NULL, NULL));
	T_OK(db, mms_db_import_json(db, unit_doc(doc, sizeof doc, "и-1"), NULL, NULL));
	T_OK(db, mms_db_import_json(db, unit_doc(doc, sizeof doc, "елка"), NULL, NULL));
	/* another entity has codes of its own */
	T_OK(db, mms_db_import_json(db, "{\"staff\": [{\"code\": \"mur-crpk\", \"name\": \"n\", "
				    "\"org\": \"MUR-CRPK\", \"role\": \"teacher\"}]}", NULL, NULL));
	/* a refused or dry-run import leaves nothing behind: its codes are free again */
	mms_import_options dry = MMS_IMPORT_OPTIONS_INIT;
	dry.dry_run = 1;
	T_OK(db, mms_db_import_json(db, unit_doc(doc, sizeof doc, "NEW-1"), &dry, NULL));
	assert_int_equal(mms_db_import_json(db, "{\"units\": [{\"code\": \"NEW-2\", \"name\": \"n\", "
					    "\"level\": \"municipal\", \"kind\": \"castle\"}]}", NULL, NULL),
			 MMS_ETYPE);
	T_OK(db, mms_db_import_json(db, unit_doc(doc, sizeof doc, "new-1"), NULL, NULL));
	T_OK(db, mms_db_import_json(db, unit_doc(doc, sizeof doc, "new-2"), NULL, NULL));
	/* and the codes of a committed import are known to the next one */
	conflicts(db, "NEW-1", "new-1");
	/* a single insert follows the same rule */
	mms_record *r;
	T_OK(db, mms_record_new(&r, MMS_UNIT));
	mms_record_set(r, "code", "Mur-Crpk");
	mms_record_set(r, "name", "n");
	mms_record_set(r, "level", "municipal");
	mms_record_set(r, "kind", "municipal_service");
	assert_int_equal(mms_db_insert(db, r, NULL), MMS_EDUP);
	assert_non_null(strstr(mms_db_errmsg(db), "\"MUR-CRPK\""));
	mms_record_free(r);
	mms_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_demo_network_imports_whole),
		cmocka_unit_test(forward_references_resolve_within_one_import),
		cmocka_unit_test(a_dry_run_reports_and_writes_nothing),
		cmocka_unit_test(csv_with_bom_semicolons_and_quotes_imports),
		cmocka_unit_test(import_options_and_arguments_are_checked),
		cmocka_unit_test(fifos_devices_and_links_to_them_are_refused_at_once),
		cmocka_unit_test(files_past_the_size_limit_are_refused),
		cmocka_unit_test(a_nul_byte_in_a_csv_cell_is_refused_at_its_cell),
		cmocka_unit_test(a_csv_folder_must_hold_the_documented_names),
		cmocka_unit_test(csv_cells_keep_their_spaces),
		cmocka_unit_test(look_alike_codes_conflict_with_the_database),
	};
	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
