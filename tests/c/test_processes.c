/*
 * Concurrency between processes: one writer imports batches of BATCH staff,
 * each batch one transaction, while four reader processes count staff and
 * compute an indicator through their own handles, for a bounded time.
 * A reader must only ever see whole batches (1 + k * BATCH staff, never
 * fewer than before), and no call may fail: a locked database is waited
 * for within the busy timeout rather than reported as MMS_EBUSY.
 */
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

static void readers_see_only_whole_imports_of_a_writer(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite");
	mms_db *db = t_open(path);
	t_import(db, T_SMALL_NETWORK);
	mms_db_close(db); /* no handle may be open across fork() */

	pid_t pids[1 + READERS];
	for (int i = 0; i <= READERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0)
			_exit(i == 0 ? writer(path) : reader(path, i));
	}
	int failed = 0;
	for (int i = 0; i <= READERS; i++) {
		int status;
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		failed += WEXITSTATUS(status);
	}
	assert_int_equal(failed, 0);
	size_t n = t_count(path, MMS_STAFF);
	assert_true(n > 1 && (n - 1) % BATCH == 0);
	print_message("processes: %zu batches of %d written while %d readers read\n", (n - 1) / BATCH, BATCH,
		      READERS);
	t_rmtree(dir);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(readers_see_only_whole_imports_of_a_writer),
	};
	return cmocka_run_group_tests_name("processes", tests, NULL, NULL);
}
