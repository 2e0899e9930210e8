/*
 * mms.h promises that distinct handles, even on one file, may be used from
 * different threads at once. One thread inserts while three read counts
 * and compute indicators, each through its own handle; nothing may fail,
 * and under ThreadSanitizer (the "tsan" preset) nothing may race.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

#define WRITES 40

typedef struct job {
	const char *path;
	int id, failures;
	size_t last_seen;
} job;

static void *writer(void *arg)
{
	job *j = arg;
	mms_db *db = NULL;
	if (mms_db_open(&db, j->path, NULL) != MMS_OK)
		j->failures++;
	for (int i = 0; db && i < WRITES; i++) {
		char code[32];
		snprintf(code, sizeof code, "W%d", i);
		mms_record *r;
		if (mms_record_new(&r, MMS_STAFF) != MMS_OK)
			j->failures++;
		mms_record_set(r, "code", code);
		mms_record_set(r, "name", "Писатель");
		mms_record_set(r, "org", "S");
		mms_record_set(r, "role", "teacher");
		if (mms_db_insert(db, r, NULL) != MMS_OK) {
			fprintf(stderr, "insert %d: %s\n", i, mms_db_errmsg(db));
			j->failures++;
		}
		mms_record_free(r);
	}
	mms_db_close(db);
	return NULL;
}

static void *reader(void *arg)
{
	job *j = arg;
	mms_db *db = NULL;
	mms_kpi *kpi = NULL;
	if (mms_db_open(&db, j->path, NULL) != MMS_OK || mms_kpi_open(&kpi, db) != MMS_OK)
		j->failures++;
	for (int i = 0; kpi && i < 60; i++) {
		size_t n;
		mms_kpi_result r = MMS_KPI_RESULT_INIT;
		if (mms_db_count(db, MMS_STAFF, &n) != MMS_OK || n < j->last_seen)
			j->failures++; /* counts never go back: no half-applied change is seen */
		j->last_seen = n;
		if (mms_kpi_value(kpi, "moscow.7", 0, 2024, &r) != MMS_OK) {
			fprintf(stderr, "reader %d: %s\n", j->id, mms_kpi_errmsg(kpi));
			j->failures++;
		}
	}
	mms_kpi_close(kpi);
	mms_db_close(db);
	return NULL;
}

static void handles_on_one_file_work_from_several_threads(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "db.sqlite");
	mms_db *db = t_open(path);
	t_import(db, T_SMALL_NETWORK);
	mms_db_close(db);
	pthread_t t[4];
	job jobs[4] = {{path, 0, 0, 0}, {path, 1, 0, 0}, {path, 2, 0, 0}, {path, 3, 0, 0}};
	assert_int_equal(pthread_create(&t[0], NULL, writer, &jobs[0]), 0);
	for (int i = 1; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, &jobs[i]), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 4; i++)
		assert_int_equal(jobs[i].failures, 0);
	size_t n = t_count(path, MMS_STAFF);
	assert_int_equal(n, 1 + WRITES);
	t_rmtree(dir);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(handles_on_one_file_work_from_several_threads),
	};
	return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
