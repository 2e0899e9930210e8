/*
 * Concurrency between processes: one writer imports batches of BATCH staff,
 * each batch one transaction, while four reader processes count staff and
 * compute an indicator through their own handles, for a bounded time.
 * A reader must only ever see whole batches (1 + k * BATCH staff, never
 * fewer than before), and no call may fail: a locked database is waited
 * for within the busy timeout rather than reported as MMS_EBUSY. The same
 * with a writer that also updates a batch in one upsert and deletes a
 * school with its staff in one cascade; and two processes updating one
 * record never lose an update (docs/reliability.md, "Concurrent writers").
 */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#define READERS 4
#define BATCH 50
#define SECONDS 2.0

/* Exit status 0, or 1 with the reason on stderr. */
static int writer(const char *path)
{
	mms_db *db = NULL;
	if (mms_db_open(&db, path, NULL) != MMS_OK)
		return 1;
	int status = 0;
	char prefix[32];
	double end = t_now() + SECONDS;
	for (int batch = 0; !status && t_now() < end; batch++) {
		snprintf(prefix, sizeof prefix, "B%d_", batch);
		char *doc = t_teachers(prefix, BATCH);
		if (!doc || mms_db_import_json(db, doc, NULL, NULL) != MMS_OK) {
			fprintf(stderr, "writer: %s\n", doc ? mms_db_errmsg(db) : "out of memory");
			status = 1;
		}
		free(doc);
	}
	mms_db_close(db);
	return status;
}

/* Exit status 0, or 1 with the reason on stderr. */
static int reader(const char *path, int id)
{
	mms_db *db = NULL;
	mms_kpi *kpi = NULL;
	if (mms_db_open(&db, path, NULL) != MMS_OK || mms_kpi_open(&kpi, db) != MMS_OK)
		return 1;
	size_t last = 0;
	int reads = 0, status = 0;
	for (double end = t_now() + SECONDS; t_now() < end && !status; reads++) {
		size_t n;
		mms_kpi_result r = MMS_KPI_RESULT_INIT;
		int rc = mms_db_count(db, MMS_STAFF, &n);
		if (rc != MMS_OK || (n - 1) % BATCH || n < last) {
			fprintf(stderr, "reader %d: rc %d, %zu staff after %zu\n", id, rc, n, last);
			status = 1;
		}
		last = n;
		if (mms_kpi_value(kpi, "moscow.7", 0, 2024, &r) != MMS_OK) {
			fprintf(stderr, "reader %d: %s\n", id, mms_kpi_errmsg(kpi));
			status = 1;
		}
	}
	mms_kpi_close(kpi);
	mms_db_close(db);
	return reads > 0 ? status : 1;
}

/* Forks the writer (process 0) and READERS readers (1..READERS) on path;
   the number of them that failed. */
static int run_processes(const char *path, int (*write)(const char *), int (*read)(const char *, int))
{
	pid_t pids[1 + READERS];
	for (int i = 0; i <= READERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0)
			_exit(i == 0 ? write(path) : read(path, i));
	}
	int failed = 0;
	for (int i = 0; i <= READERS; i++) {
		int status;
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		failed += WEXITSTATUS(status);
	}
	return failed;
}

static void readers_see_only_whole_imports_of_a_writer(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite");
	mms_db *db = t_open(path);
	t_import(db, T_SMALL_NETWORK);
	mms_db_close(db); /* no handle may be open across fork() */
	assert_int_equal(run_processes(path, writer, reader), 0);
	size_t n = t_count(path, MMS_STAFF);
	assert_true(n > 1 && (n - 1) % BATCH == 0);
	print_message("processes: %zu batches of %d written while %d readers read\n", (n - 1) / BATCH, BATCH,
		      READERS);
	t_rmtree(dir);
	free(path);
	free(dir);
}

/* School SCH<k> with BATCH teachers K<k>_i, category given or none. */
static char *school(int k, const char *category)
{
	size_t cap = (size_t)BATCH * 160 + 256, len;
	char *doc = malloc(cap);
	if (!doc)
		return NULL;
	len = (size_t)snprintf(doc, cap, "{\"units\": [{\"code\": \"SCH%d\", \"name\": \"Школа %d\","
			       " \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}],"
			       " \"staff\": [", k, k);
	for (int i = 0; i < BATCH; i++)
		len += (size_t)snprintf(doc + len, cap - len, "%s{\"code\": \"K%d_%d\", \"name\": \"У %d\","
					" \"org\": \"SCH%d\", \"role\": \"teacher\"%s%s%s}", i ? "," : "", k, i, i,
					k, category ? ", \"category\": \"" : "", category ? category : "",
					category ? "\"" : "");
	snprintf(doc + len, cap - len, "]}");
	return doc;
}

/* Each round one transaction of each kind: a school and its teachers
 * added; all of them promoted by one upsert; the school of two rounds
 * before deleted with its teachers by one cascade. */
static int changing_writer(const char *path)
{
	mms_db *db = NULL;
	if (mms_db_open(&db, path, NULL) != MMS_OK)
		return 1;
	mms_import_options up = MMS_IMPORT_OPTIONS_INIT;
	up.mode = MMS_IMPORT_UPSERT;
	mms_delete_options del = MMS_DELETE_OPTIONS_INIT;
	del.cascade = 1;
	int status = 0;
	double end = t_now() + SECONDS;
	for (int k = 0; !status && t_now() < end; k++) {
		char *add = school(k, NULL), *promote = school(k, "highest"), code[32];
		snprintf(code, sizeof code, "SCH%d", k - 2);
		if (!add || !promote || mms_db_import_json(db, add, NULL, NULL) != MMS_OK ||
		    mms_db_import_json(db, promote, &up, NULL) != MMS_OK ||
		    (k >= 2 && mms_db_delete(db, MMS_UNIT, code, &del, NULL) != MMS_OK)) {
			fprintf(stderr, "writer: %s\n", add && promote ? mms_db_errmsg(db) : "out of memory");
			status = 1;
		}
		free(add);
		free(promote);
	}
	mms_db_close(db);
	return status;
}

static size_t occurrences(const char *text, const char *what)
{
	size_t n = 0;
	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

/* Counts staff, and reads the whole database in one call (an export): the
 * teachers added, promoted or deleted come and go by whole schools. */
static int changes_reader(const char *path, int id)
{
	mms_db *db = NULL;
	if (mms_db_open(&db, path, NULL) != MMS_OK)
		return 1;
	int reads = 0, status = 0;
	for (double end = t_now() + SECONDS; t_now() < end && !status; reads++) {
		size_t n;
		char *all = NULL;
		int rc = mms_db_count(db, MMS_STAFF, &n);
		if (rc != MMS_OK || (n - 1) % BATCH) {
			fprintf(stderr, "reader %d: rc %d, %zu staff\n", id, rc, n);
			status = 1;
		}
		if ((rc = mms_db_export_json(db, &all)) != MMS_OK) {
			fprintf(stderr, "reader %d: %s\n", id, mms_db_errmsg(db));
			status = 1;
		} else if (occurrences(all, "\"category\":\"highest\"") % BATCH ||
			   (occurrences(all, "\"org\":\"SCH") % BATCH)) {
			fprintf(stderr, "reader %d: a change seen in part\n", id);
			status = 1;
		}
		mms_free(all);
	}
	mms_db_close(db);
	return reads > 0 ? status : 1;
}

static void readers_see_only_whole_updates_and_deletes_of_a_writer(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite");
	mms_db *db = t_open(path);
	t_import(db, T_SMALL_NETWORK);
	mms_db_close(db); /* no handle may be open across fork() */
	assert_int_equal(run_processes(path, changing_writer, changes_reader), 0);
	size_t n = t_count(path, MMS_STAFF);
	assert_true(n == 1 + BATCH || n == 1 + 2 * BATCH); /* the last two schools */
	t_rmtree(dir);
	free(path);
	free(dir);
}

#define UPDATES 100

/* Process `who` sets X's position to who-k and its own field (part_time
 * for A, category for B) UPDATES times, each from a handle whose model may
 * be older than the file. */
static int updater(const char *path, int who)
{
	mms_db *db = NULL;
	if (mms_db_open(&db, path, NULL) != MMS_OK)
		return 1;
	static const char *const cats[] = {"first", "highest"};
	int status = 0;
	for (int k = 0; k < UPDATES && !status; k++) {
		char pos[32];
		snprintf(pos, sizeof pos, "%c-%d", who == 1 ? 'A' : 'B', k);
		const char *pairs[] = {"position", pos, who == 1 ? "part_time" : "category",
				       who == 1 ? (k % 2 ? "false" : "true") : cats[k % 2], NULL};
		mms_update_options o = MMS_UPDATE_OPTIONS_INIT;
		o.actor = who == 1 ? "A" : "B";
		if (mms_db_update(db, MMS_STAFF, "X", pairs, &o, NULL) != MMS_OK) {
			fprintf(stderr, "updater %d: %s\n", who, mms_db_errmsg(db));
			status = 1;
		}
	}
	mms_db_close(db);
	return status;
}

static int no_reader(const char *path, int id)
{
	return id <= 1 ? updater(path, 2) : 0;
}

static int first_updater(const char *path)
{
	return updater(path, 1);
}

/* The later write wins, field by field: every update is in the history, and
   each row's old value is the new value of the row before it in the same
   field, so no write was made over a state it had not seen. */
static void two_processes_updating_one_record_lose_no_update(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite");
	mms_db *db = t_open(path);
	t_import(db, T_SMALL_NETWORK);
	mms_db_close(db);
	assert_int_equal(run_processes(path, first_updater, no_reader), 0);
	db = t_open(path);
	mms_history *h = NULL;
	T_OK(db, mms_db_history(db, MMS_STAFF, "X", &h));
	size_t pos = 0, own[2] = {0};
	const char *last_pos = NULL;
	for (size_t i = 1; i < mms_history_count(h); i++) {
		const char *field = mms_history_field(h, i);
		assert_non_null(field);
		if (strcmp(field, "position")) {
			own[!strcmp(mms_history_actor(h, i), "B")]++;
			continue;
		}
		const char *old = mms_history_old(h, i);
		if (last_pos)
			assert_string_equal(old, last_pos);
		else
			assert_null(old);
		last_pos = mms_history_new(h, i);
		pos++;
	}
	assert_int_equal(pos, 2 * UPDATES);
	assert_int_equal(own[0], UPDATES);
	assert_int_equal(own[1], UPDATES);
	char *now = t_get(db, MMS_STAFF, t_find(db, MMS_STAFF, "X"), "position");
	assert_string_equal(now, last_pos);
	mms_free(now);
	mms_history_free(h);
	mms_db_close(db);
	t_rmtree(dir);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(readers_see_only_whole_imports_of_a_writer),
		cmocka_unit_test(readers_see_only_whole_updates_and_deletes_of_a_writer),
		cmocka_unit_test(two_processes_updating_one_record_lose_no_update),
	};
	return cmocka_run_group_tests_name("processes", tests, NULL, NULL);
}
