/*
 * Crash consistency: a child process imports a large file and is killed with
 * SIGKILL at random moments of its run. After every kill the database must
 * open, pass PRAGMA integrity_check, and hold either the whole import or
 * none of it; SQLite's WAL journal is what makes this hold, and this test
 * is what shows the import really is one transaction.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

#define KILLS 60
#define STAFF 20000

static void write_large_import(const char *path)
{
	char *doc = t_teachers("T", STAFF);
	assert_non_null(doc);
	t_write(path, doc);
	free(doc);
}

/* Runs the import in a child; kills it after delay seconds unless it ended.
   Returns 1 if it was killed while running. */
static int run_child(const char *db, const char *input, double delay)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		mms_db *h = NULL;
		int rc = mms_db_open(&h, db, NULL);
		if (rc == MMS_OK)
			rc = mms_db_import(h, input, NULL, NULL);
		mms_db_close(h);
		_exit(rc == MMS_OK ? 0 : 1);
	}
	if (delay >= 0) {
		struct timespec ts = {(time_t)delay, (long)((delay - (time_t)delay) * 1e9)};
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return 1;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	return 0;
}

static void killed_imports_leave_all_or_nothing(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *base = t_path(dir, "base.sqlite"), *db = t_path(dir, "db.sqlite"),
	     *input = t_path(dir, "staff.json");
	mms_db *h = t_open(base);
	t_import(h, T_SMALL_NETWORK);
	mms_db_close(h);
	write_large_import(input);

	/* The fastest of three undisturbed runs gives the span the kills are
	   spread over. */
	double span = 1e9;
	for (int i = 0; i < 3; i++) {
		t_copy_db(base, db);
		double start = t_now();
		assert_int_equal(run_child(db, input, -1), 0);
		if (t_now() - start < span)
			span = t_now() - start;
		assert_int_equal(t_count(db, MMS_STAFF), 1 + STAFF);
	}

	srand(20261124);
	int killed = 0, none = 0, all = 0, i;
	for (i = 0; killed < KILLS && i < 3 * KILLS; i++) {
		t_copy_db(base, db);
		/* Mostly inside the run, a few around its very end (the commit). */
		double delay = span * (i % 10 == 9 ? 0.9 + 0.2 * rand() / RAND_MAX : (double)rand() / RAND_MAX);
		killed += run_child(db, input, delay);
		t_assert_integrity(db);
		size_t n = t_count(db, MMS_STAFF);
		if (n == 1)
			none++;
		else if (n == 1 + STAFF)
			all++;
		else
			fail_msg("kill %d after %.3f s left %zu staff: neither none nor all", i, delay, n);
		t_assert_integrity(db);
	}
	print_message("crash: %d runs, %d killed while running (span %.3f s), %d left nothing, %d left all\n",
		      i, killed, span, none, all);
	assert_true(killed >= KILLS);

	t_rmtree(dir);
	free(input);
	free(db);
	free(base);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(killed_imports_leave_all_or_nothing),
	};
	return cmocka_run_group_tests_name("crash", tests, NULL, NULL);
}
