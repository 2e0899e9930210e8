/*
 * Writing files: an output path that is the open database, or one of its
 * files, however it is spelt (links, "..", a hard link), is refused before
 * anything is opened, by every writer that takes a path, on plain and
 * scoped handles, and the database stays byte-identical; a CSV folder is
 * replaced whole, and only when it holds nothing but an earlier export;
 * XLSX cell text is cut at a character boundary with a marker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "report/cell.h"

#define KEY "region-33 secret for the 2024 report: Tq8vXz"

typedef struct fixture {
	char *dir, *path;
	mms_db *db, *scoped;
	mms_kpi *kpi;
	int32_t route, school;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	f->path = t_path(f->dir, "db.sqlite");
	f->db = t_demo_with_routes(f->path, &f->route);
	T_OK(f->db, mms_db_snapshot(f->db));
	f->school = t_find(f->db, MMS_UNIT, "MUR-SCH-01");
	T_OK(f->db, mms_kpi_open(&f->kpi, f->db));
	T_OK(f->db, mms_db_open_scoped(&f->scoped, f->path, NULL, "MUR-SCH-01"));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	mms_kpi_close(f->kpi);
	mms_db_close(f->scoped);
	mms_db_close(f->db);
	t_rmtree(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

/* The bytes of the database and its -wal and -snapshot, joined. */
static char *db_bytes(const fixture *f)
{
	static const char *const sides[] = {"", "-wal", "-snapshot"};
	size_t total = 0;
	char *all = NULL;
	for (size_t i = 0; i < 3; i++) {
		char name[4096];
		size_t len = 0;
		snprintf(name, sizeof name, "%s%s", f->path, sides[i]);
		char *b = t_read(name, &len);
		all = realloc(all, total + len + 1);
		if (b)
			memcpy(all + total, b, len);
		total += len;
		free(b);
	}
	all[total] = '\0';
	return all;
}

/* Every writer that takes a path, given one. */
static int write_to(fixture *f, int writer, const char *path, const char **msg)
{
	mms_export_options csv = MMS_EXPORT_OPTIONS_INIT;
	mms_kpi_report_options k = MMS_KPI_REPORT_OPTIONS_INIT;
	csv.format = MMS_FORMAT_CSV;
	k.unit = f->school;
	k.from = 2023;
	k.to = 2024;
	k.indicators = "murom.P4";
	*msg = mms_db_errmsg(f->db);
	switch (writer) {
	case 0: return mms_db_export(f->db, path, NULL);
	case 1: return mms_db_export(f->db, path, &csv);
	case 2: return mms_db_export_pseudonymised(f->db, path, KEY, NULL);
	case 3: return mms_db_export_pseudonymised(f->db, path, KEY, &csv);
	case 4: *msg = mms_db_errmsg(f->scoped); return mms_db_export(f->scoped, path, NULL);
	case 5: *msg = mms_db_errmsg(f->scoped); return mms_db_export(f->scoped, path, &csv);
	case 6: *msg = mms_kpi_errmsg(f->kpi); return mms_kpi_report_xlsx(f->kpi, path, &k);
	default: return mms_route_report_xlsx(f->db, f->route, path);
	}
}
static const char *const writer_names[] = {"JSON export", "CSV export", "pseudonymised JSON",
					   "pseudonymised CSV", "scoped JSON", "scoped CSV",
					   "indicator XLSX", "route XLSX"};
#define WRITERS 8

static void an_output_that_is_the_database_is_refused_and_the_database_unchanged(void **state)
{
	fixture *f = *state;
	char *sub = t_path(f->dir, "sub"), *soft = t_path(f->dir, "link.sqlite"),
	     *hard = t_path(f->dir, "hard.sqlite"), *wal_link = t_path(f->dir, "wal-link");
	assert_int_equal(mkdir(sub, 0777), 0);
	assert_int_equal(symlink(f->path, soft), 0);
	assert_int_equal(link(f->path, hard), 0);
	char wal[4096], shm[4096], snap[4096], dotdot[4096], journal[4096];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	snprintf(shm, sizeof shm, "%s-shm", f->path);
	snprintf(snap, sizeof snap, "%s-snapshot", f->path);
	snprintf(journal, sizeof journal, "%s-journal", f->path);
	snprintf(dotdot, sizeof dotdot, "%s/../db.sqlite", sub);
	assert_int_equal(symlink(wal, wal_link), 0);
	const char *paths[] = {f->path, wal, shm, snap, journal, dotdot, soft, hard, wal_link};
	size_t npaths = sizeof paths / sizeof *paths;
	/* the -wal must hold something for "byte-identical" to mean something */
	struct stat st;
	assert_int_equal(stat(wal, &st), 0);
	assert_true(st.st_size > 0);
	char *before = db_bytes(f);
	int refused = 0;
	for (size_t p = 0; p < npaths; p++)
		for (int w = 0; w < WRITERS; w++) {
			const char *msg;
			int rc = write_to(f, w, paths[p], &msg);
			if (rc != MMS_EOUTPUT)
				fail_msg("%s to %s: %d (%s), not MMS_EOUTPUT", writer_names[w], paths[p], rc,
					 msg);
			/* both paths named: the one given and the database's */
			if (!strstr(msg, paths[p]) || !strstr(msg, "db.sqlite"))
				fail_msg("%s to %s: \"%s\" does not name both paths", writer_names[w],
					 paths[p], msg);
			refused++;
		}
	char *after = db_bytes(f);
	assert_true(!strcmp(before, after));
	print_message("output: %d writes to %zu spellings of the database's files refused; "
		      "database, -wal and -snapshot byte-identical\n", refused, npaths);
	/* the handles still work and see everything */
	char *other = t_path(f->dir, "other.json");
	T_OK(f->db, mms_db_export(f->db, other, NULL));
	free(other);
	free(before);
	free(after);
	free(sub);
	free(soft);
	free(hard);
	free(wal_link);
}

/* Names in a folder, sorted, one a line. */
static char *listing(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "ls -A '%s'", dir);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char *all = calloc(1, 65536);
	size_t n = fread(all, 1, 65535, p);
	all[n] = '\0';
	pclose(p);
	return all;
}

static void a_csv_export_replaces_an_earlier_export_whole(void **state)
{
	fixture *f = *state;
	const char *msg;
	char *out = t_path(f->dir, "csv"), *units = t_path(out, "units.csv");
	assert_int_equal(write_to(f, 1, out, &msg), MMS_OK);
	size_t len;
	char *first = t_read(units, &len);
	t_write(units, "code,name\nSTALE,stale\n");
	assert_int_equal(write_to(f, 1, out, &msg), MMS_OK);
	char *second = t_read(units, &len);
	assert_string_equal(first, second);
	/* nothing beside it: the swapped-out folder is gone */
	char *around = listing(f->dir);
	assert_null(strstr(around, ".tmp"));
	assert_null(strstr(around, ".old"));
	free(around);
	free(first);
	free(second);
	free(units);
	free(out);
}

static void a_csv_export_into_a_folder_with_other_files_is_refused_and_left_alone(void **state)
{
	fixture *f = *state;
	const char *msg;
	char *out = t_path(f->dir, "mine"), *notes = t_path(out, "notes.txt");
	assert_int_equal(mkdir(out, 0777), 0);
	t_write(notes, "my notes\n");
	char *before = listing(out);
	int rc = write_to(f, 1, out, &msg);
	assert_int_equal(rc, MMS_EOUTPUT);
	assert_non_null(strstr(msg, "notes.txt"));
	char *after = listing(out);
	assert_string_equal(before, after);
	size_t len;
	char *kept = t_read(notes, &len);
	assert_string_equal(kept, "my notes\n");
	/* the database's own folder: the database would go with it */
	char *db_before = db_bytes(f);
	assert_int_equal(write_to(f, 1, f->dir, &msg), MMS_EOUTPUT);
	char *db_after = db_bytes(f);
	assert_true(!strcmp(db_before, db_after));
	/* a file where the folder should be */
	char *file = t_path(f->dir, "plain.txt");
	t_write(file, "x\n");
	assert_int_equal(write_to(f, 1, file, &msg), MMS_EOUTPUT);
	free(file);
	free(db_before);
	free(db_after);
	free(kept);
	free(before);
	free(after);
	free(notes);
	free(out);
}

static void an_export_through_a_link_replaces_its_file_and_read_only_files_and_folders_are_refused(void **state)
{
	fixture *f = *state;
	const char *msg;
	char *real = t_path(f->dir, "real.json"), *ln = t_path(f->dir, "ln.json");
	t_write(real, "old\n");
	chmod(real, 0600);
	assert_int_equal(symlink(real, ln), 0);
	assert_int_equal(write_to(f, 0, ln, &msg), MMS_OK);
	struct stat st;
	assert_int_equal(lstat(ln, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat(real, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600); /* a private file stays private */
	size_t len;
	char *text = t_read(real, &len);
	assert_non_null(strstr(text, "\"format\": \"libmms\""));
	/* a read-only file is not replaced */
	char *ro = t_path(f->dir, "ro.json");
	t_write(ro, "kept\n");
	chmod(ro, 0444);
	assert_int_equal(write_to(f, 0, ro, &msg), MMS_EIO);
	assert_non_null(strstr(msg, "read-only"));
	char *kept = t_read(ro, &len);
	assert_string_equal(kept, "kept\n");
	free(kept);
	free(ro);
	/* a folder where a file should go is not replaced */
	char *folder = t_path(f->dir, "folder.json");
	assert_int_equal(mkdir(folder, 0777), 0);
	assert_int_equal(write_to(f, 0, folder, &msg), MMS_EIO);
	assert_int_equal(stat(folder, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	free(folder);
	free(text);
	free(real);
	free(ln);
}

/* Characters of UTF-8 text, asserting it is valid. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
		int len = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : 4;
		for (int i = 1; i < len; i++)
			assert_int_equal(p[i] >> 6, 2);
		p += len;
	}
	return n;
}

static char *repeat(const char *unit, size_t times)
{
	size_t u = strlen(unit);
	char *s = malloc(u * times + 1);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * u, unit, u);
	s[u * times] = '\0';
	return s;
}

static void xlsx_text_longer_than_a_cell_is_cut_at_a_character_with_a_marker(void **state)
{
	(void)state;
	static const char *const units[] = {"a", "я", "€", "😀"}; /* 1 to 4 bytes */
	int cases = 0;
	for (size_t u = 0; u < 4; u++) {
		size_t lengths[] = {MMS_XLSX_CELL_MAX, MMS_XLSX_CELL_MAX + 1, 40000};
		for (size_t l = 0; l < 3; l++) {
			char *s = repeat(units[u], lengths[l]);
			mms_buf b = {0};
			const char *t = mms_xlsx_fit(s, &b);
			assert_non_null(t);
			size_t n = utf8_chars(t);
			if (lengths[l] <= MMS_XLSX_CELL_MAX) {
				assert_ptr_equal(t, s); /* fits: written whole */
			} else {
				assert_int_equal(n, MMS_XLSX_CELL_MAX);
				size_t tl = strlen(t), ml = strlen(MMS_XLSX_TRUNCATED);
				assert_string_equal(t + tl - ml, MMS_XLSX_TRUNCATED);
				assert_memory_equal(t, s, tl - ml); /* a prefix of whole characters */
			}
			mms_buf_free(&b);
			free(s);
			cases++;
		}
	}
	print_message("output: %d cell texts fitted at character boundaries\n", cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_output_that_is_the_database_is_refused_and_the_database_unchanged),
		cmocka_unit_test(a_csv_export_replaces_an_earlier_export_whole),
		cmocka_unit_test(a_csv_export_into_a_folder_with_other_files_is_refused_and_left_alone),
		cmocka_unit_test(an_export_through_a_link_replaces_its_file_and_read_only_files_and_folders_are_refused),
		cmocka_unit_test(xlsx_text_longer_than_a_cell_is_cut_at_a_character_with_a_marker),
	};
	return cmocka_run_group_tests_name("output", tests, setup, teardown);
}
