/*
 * I/O faults: a SQLite VFS shim, registered as the default VFS, fails the
 * Nth read, write or sync of any file. For every N until the operation
 * gets through untouched, an import, an export and an indicator run
 * against a fresh copy of a database. At each step the error must reach the caller as MMS_EIO, and
 * afterwards (faults off) the file must pass PRAGMA integrity_check and
 * hold either the whole import or none of it, and none if it failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "helpers.h"

#define STAFF 200

enum { OP_READ, OP_WRITE, OP_SYNC, OP_COUNT };
static const char *const op_names[] = {"read", "write", "sync"};

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
	return fault(OP_WRITE) ? SQLITE_IOERR_WRITE : REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
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

static void copy_file(const char *from, const char *to)
{
	size_t len;
	char *bytes = t_read(from, &len);
	assert_non_null(bytes);
	FILE *f = fopen(to, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(bytes);
}

/* With faults off: integrity_check passes; returns the staff count. */
static size_t check(const char *db)
{
	sqlite3 *raw;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(raw);
	mms_db *h = t_open(db);
	size_t n;
	T_OK(h, mms_db_count(h, MMS_STAFF, &n));
	mms_db_close(h);
	return n;
}

static char *staff_doc(void)
{
	char *doc = malloc(STAFF * 128 + 32);
	assert_non_null(doc);
	size_t n = (size_t)sprintf(doc, "{\"staff\": [");
	for (int i = 0; i < STAFF; i++)
		n += (size_t)sprintf(doc + n, "%s{\"code\": \"N%d\", \"name\": \"Учитель\", \"org\": \"S\", \"role\": \"teacher\"}",
				     i ? "," : "", i);
	strcpy(doc + n, "]}");
	return doc;
}

static void every_io_fault_is_reported_and_leaves_the_file_whole(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *base = t_path(dir, "base.sqlite"), *db = t_path(dir, "db.sqlite"),
	     *out = t_path(dir, "out.json"), *doc = staff_doc();
	char side[4096];
	mms_db *h = t_open(base);
	t_import(h, "{\"units\": [{\"code\": \"M\", \"name\": \"M\", \"level\": \"municipal\", \"kind\": \"municipal_service\"},"
		    "{\"code\": \"S\", \"name\": \"S\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}],"
		    "\"staff\": [{\"code\": \"X\", \"name\": \"X\", \"org\": \"M\", \"role\": \"methodist\"}]}");
	mms_db_close(h);
	shim_install();

	long points = 0;
	for (int op = 0; op < OP_COUNT; op++) {
		long n;
		int applied_on_error = 0;
		for (n = 1;; n++) {
			copy_file(base, db);
			snprintf(side, sizeof side, "%s-wal", db);
			unlink(side);
			snprintf(side, sizeof side, "%s-shm", db);
			unlink(side);
			shim.op = op, shim.fail_at = n, shim.calls = 0;
			h = NULL;
			int rc = mms_db_open(&h, db, NULL);
			if (rc == MMS_OK)
				rc = mms_db_import_json(h, doc, NULL, NULL);
			mms_kpi *kpi = NULL;
			mms_kpi_result r = MMS_KPI_RESULT_INIT;
			int rrc = mms_db_export(h, out, NULL);
			if (rrc == MMS_OK)
				rrc = mms_kpi_open(&kpi, h);
			if (rrc == MMS_OK)
				rrc = mms_kpi_value(kpi, "moscow.7", 0, 2024, &r);
			mms_kpi_close(kpi);
			if (rc == MMS_OK)
				rc = rrc;
			if (rc != MMS_OK && rc != MMS_EIO)
				fail_msg("%s fault %ld: code %d (%s), not MMS_EIO: %s", op_names[op], n, rc,
					 mms_errstr(rc), h ? mms_db_errmsg(h) : "open failed");
			mms_db_close(h);
			int hit = shim.calls >= n;
			shim.fail_at = 0;
			size_t count = check(db);
			if (count != 1 && count != 1 + STAFF)
				fail_msg("%s fault %ld left %zu staff: half an import", op_names[op], n, count);
			if (rc != MMS_OK && count != 1)
				applied_on_error++;
			if (rc == MMS_OK && count != 1 + STAFF)
				fail_msg("%s fault %ld: the import succeeded but is not there", op_names[op], n);
			if (!hit)
				break; /* the whole operation ran without reaching the Nth call */
		}
		print_message("io: %ld %s fault points, %d reported failures whose import was kept\n", n - 1,
			      op_names[op], applied_on_error);
		points += n - 1;
		assert_int_equal(applied_on_error, 0);
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
