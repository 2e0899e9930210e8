/*
 * I/O faults: a SQLite VFS shim, registered as the default VFS, fails the
 * Nth read, write or sync of any file, or reports the disk full at the Nth
 * write. For every N until the operation gets through untouched, an import,
 * an export, an indicator and a batch of routes (planned and stored) run
 * against a fresh copy of a database. At each step the error must reach the
 * caller as MMS_EIO, and afterwards (faults off) the file must pass PRAGMA
 * integrity_check and hold either the whole import or none of it, and none
 * if it failed; the same for the stored routes, for an update with its
 * history and for the import again in upsert mode (which must add nothing:
 * the count of staff says so).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "helpers.h"

#define STAFF 200

enum { OP_READ, OP_WRITE, OP_SYNC, OP_FULL, OP_COUNT };
static const char *const op_names[] = {"read", "write", "sync", "disk-full"};

static struct {
	sqlite3_vfs vfs;
	sqlite3_vfs *real;
	int op;              /* which operation fails */
	long fail_at, calls; /* fail when calls reaches fail_at; 0 = never */
} shim;

typedef struct shim_file {
	sqlite3_file base;
	sqlite3_file *real; /* the real VFS's file, placed right after this */
} shim_file;

#define REAL(f) (((shim_file *)(f))->real)

static int fault(int op)
{
	return shim.fail_at && shim.op == op && ++shim.calls == shim.fail_at;
}

static int x_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int x_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return fault(OP_READ) ? SQLITE_IOERR_READ : REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}
static int x_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (fault(OP_WRITE))
		return SQLITE_IOERR_WRITE;
	if (fault(OP_FULL))
		return SQLITE_FULL;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}
static int x_truncate(sqlite3_file *f, sqlite3_int64 size) { return REAL(f)->pMethods->xTruncate(REAL(f), size); }
static int x_sync(sqlite3_file *f, int flags)
{
	return fault(OP_SYNC) ? SQLITE_IOERR_FSYNC : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int x_size(sqlite3_file *f, sqlite3_int64 *size) { return REAL(f)->pMethods->xFileSize(REAL(f), size); }
static int x_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int x_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int x_reserved(sqlite3_file *f, int *out) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int x_control(sqlite3_file *f, int op, void *arg) { return REAL(f)->pMethods->xFileControl(REAL(f), op, arg); }
static int x_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int x_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int x_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **p)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, p);
}
static int x_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void x_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int x_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int x_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, p);
}
static int x_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p) { return REAL(f)->pMethods->xUnfetch(REAL(f), off, p); }

static const sqlite3_io_methods shim_methods = {
	3, x_close, x_read, x_write, x_truncate, x_sync, x_size, x_lock, x_unlock, x_reserved,
	x_control, x_sector, x_device, x_shm_map, x_shm_lock, x_shm_barrier, x_shm_unmap, x_fetch, x_unfetch,
};

static int x_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	(void)vfs;
	shim_file *s = (shim_file *)f;
	s->real = (sqlite3_file *)(s + 1);
	int rc = shim.real->xOpen(shim.real, name, s->real, flags, out_flags);
	s->base.pMethods = rc == SQLITE_OK && s->real->pMethods ? &shim_methods : NULL;
	return rc;
}

static void shim_install(void)
{
	shim.real = sqlite3_vfs_find(NULL);
	assert_non_null(shim.real);
	assert_true(shim.real->iVersion >= 1);
	shim.vfs = *shim.real;
	shim.vfs.zName = "mms-faults";
	shim.vfs.szOsFile = (int)sizeof(shim_file) + shim.real->szOsFile;
	shim.vfs.xOpen = x_open;
	assert_int_equal(sqlite3_vfs_register(&shim.vfs, 1), SQLITE_OK);
}

/* Routes for everyone with deficits, stored as drafts in one transaction. */
static int plan_routes(mms_db *h)
{
	mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
	mms_route_plan *p = NULL;
	o.as_of = "2024-02-01";
	int rc = mms_route_plan_batch(h, -1, &o, &p);
	if (rc == MMS_OK)
		rc = mms_route_plan_save(h, p, "R-", NULL);
	mms_route_plan_free(p);
	return rc;
}

/* The methodist's position and how many changes of it the history holds,
   and the category of teacher N0, read through a raw connection: "" when
   absent. */
static void position_of_x(const char *db, char *out, size_t n, int *logged, char *cat, size_t ncat)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT coalesce(position, ''), (SELECT count(*) FROM "
					    "mms_history WHERE field = 'position'), (SELECT coalesce(category, '') FROM staff "
					    "WHERE code = 'N0') FROM staff WHERE code = 'X'",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	*logged = sqlite3_column_int(st, 1);
	snprintf(cat, ncat, "%s", sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "");
	sqlite3_finalize(st);
	sqlite3_close(s);
}

/* Open, import, export, an indicator, routes, an update, the import again
   in upsert mode with a correction; the first failure stops it. *import_rc,
   *routes_rc, *update_rc and *upsert_rc are those steps' codes (MMS_ERROR:
   not reached). */
static int run(const char *db, const char *out, const char *doc, int *import_rc, int *routes_rc,
	       int *update_rc, int *upsert_rc)
{
	const char *pairs[] = {"position", "методист", NULL};
	mms_import_options up = MMS_IMPORT_OPTIONS_INIT;
	up.mode = MMS_IMPORT_UPSERT;
	mms_db *h = NULL;
	mms_kpi *kpi = NULL;
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	*import_rc = *routes_rc = *update_rc = *upsert_rc = MMS_ERROR;
	int rc = mms_db_open(&h, db, NULL);
	if (rc == MMS_OK)
		rc = *import_rc = mms_db_import_json(h, doc, NULL, NULL);
	if (rc == MMS_OK)
		rc = mms_db_export(h, out, NULL);
	if (rc == MMS_OK)
		rc = mms_kpi_open(&kpi, h);
	if (rc == MMS_OK)
		rc = mms_kpi_value(kpi, "moscow.7", 0, 2024, &r);
	if (rc == MMS_OK)
		rc = *routes_rc = plan_routes(h);
	if (rc == MMS_OK)
		rc = *update_rc = mms_db_update(h, MMS_STAFF, "X", pairs, NULL, NULL);
	if (rc == MMS_OK)
		rc = *upsert_rc = mms_db_import_json(h, doc, &up, NULL);
	if (rc == MMS_OK)
		rc = *upsert_rc = mms_db_import_json(h, "{\"staff\": [{\"code\": \"N0\", \"category\": "
						     "\"highest\"}]}", &up, NULL);
	mms_kpi_close(kpi);
	mms_db_close(h);
	return rc;
}

static void every_io_fault_is_reported_and_leaves_the_file_whole(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *base = t_path(dir, "base.sqlite"), *db = t_path(dir, "db.sqlite"),
	     *out = t_path(dir, "out.json"), *doc = t_teachers("N", STAFF);
	mms_db *h = t_open(base);
	t_import(h, "{" T_SMALL_NETWORK_RECORDS ","
		    "\"competencies\": [{\"code\": \"K\", \"name\": \"K\", \"framework\": \"t\", \"kind\": \"competency\"}],"
		    "\"diagnostics\": [{\"staff\": \"X\", \"competency\": \"K\", \"date\": \"2024-01-01\", \"score\": 30}],"
		    "\"resources\": [{\"code\": \"Q\", \"name\": \"Q\", \"kind\": \"course\", \"hours\": 36}],"
		    "\"develops\": [{\"resource\": \"Q\", \"competency\": \"K\", \"strength\": 3}]}");
	mms_db_close(h);
	shim_install();

	long points = 0;
	for (int op = 0; op < OP_COUNT; op++) {
		long n;
		int kept_on_error = 0;
		for (n = 1;; n++) {
			t_copy_db(base, db);
			shim.op = op, shim.fail_at = n, shim.calls = 0;
			int import_rc, routes_rc, update_rc, upsert_rc;
			int rc = run(db, out, doc, &import_rc, &routes_rc, &update_rc, &upsert_rc);
			if (rc != MMS_OK && rc != MMS_EIO)
				fail_msg("%s fault %ld: code %d (%s), not MMS_EIO", op_names[op], n, rc, mms_errstr(rc));
			int hit = shim.calls >= n;
			shim.fail_at = 0;
			t_assert_integrity(db);
			size_t staff = t_count(db, MMS_STAFF), routes = t_count(db, MMS_ROUTE);
			if (staff != 1 && staff != 1 + STAFF)
				fail_msg("%s fault %ld left %zu staff: half an import", op_names[op], n, staff);
			if (import_rc == MMS_OK && staff != 1 + STAFF)
				fail_msg("%s fault %ld: the import succeeded but is not there", op_names[op], n);
			if (routes > 1 || (routes_rc == MMS_OK && routes != 1))
				fail_msg("%s fault %ld: %zu routes stored, saving returned %d", op_names[op], n, routes,
					 routes_rc);
			char position[64], category[32];
			int logged;
			position_of_x(db, position, sizeof position, &logged, category, sizeof category);
			if (upsert_rc == MMS_OK && strcmp(category, "highest"))
				fail_msg("%s fault %ld: the upsert succeeded but is not there", op_names[op], n);
			if ((update_rc == MMS_OK && strcmp(position, "методист")) ||
			    logged != (position[0] != '\0'))
				fail_msg("%s fault %ld: the update returned %d, position \"%s\", %d changes logged",
					 op_names[op], n, update_rc, position, logged);
			kept_on_error += (import_rc != MMS_OK && staff != 1) + (routes_rc != MMS_OK && routes != 0) +
					 (update_rc != MMS_OK && position[0] != '\0') +
					 (upsert_rc != MMS_OK && category[0] != '\0');
			if (!hit)
				break; /* the whole operation ran without reaching the Nth call */
		}
		print_message("io: %ld %s fault points, %d failures reported whose changes were kept\n", n - 1,
			      op_names[op], kept_on_error);
		points += n - 1;
		assert_int_equal(kept_on_error, 0);
	}
	assert_true(points > 10);
	assert_int_equal(sqlite3_vfs_unregister(&shim.vfs), SQLITE_OK);
	t_rmtree(dir);
	free(doc);
	free(out);
	free(db);
	free(base);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_io_fault_is_reported_and_leaves_the_file_whole),
	};
	return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
