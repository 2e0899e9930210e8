/*
 * I/O faults, in two shims. A SQLite VFS shim, registered as the default
 * VFS, fails the Nth read, write or sync of any file, or reports the disk
 * full at the Nth write. A stdio shim (this program's own fwrite, fputs,
 * fputc, fprintf, fflush, fclose, fsync, rename and renameat2, which the
 * library and libxlsxwriter resolve to before libc's) fails the Nth call
 * of a kind, or kills the process there; it drives every file writer below. For every N until the operation gets through untouched, an import,
 * an export, an indicator and a batch of routes (planned and stored) run
 * against a fresh copy of a database. At each step the error must reach the
 * caller as MMS_EIO, and afterwards (faults off) the file must pass PRAGMA
 * integrity_check and hold either the whole import or none of it, and none
 * if it failed; the same for the stored routes, for an update with its
 * history, for the import again in upsert mode (which must add nothing:
 * the count of staff says so), for a delete (its tombstone and its
 * erased name together, or neither) and for a sync of the school that
 * keeps only N0 (all its deletions, or none).
 */
#define _GNU_SOURCE /* RTLD_NEXT, renameat2 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* How many staff are deleted: their tombstones, and whether their names
   are erased (the two go together or not at all). */
static int staff_deleted(const char *path)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, "unix"), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT (SELECT count(*) FROM mms_deleted),"
					    " (SELECT count(*) FROM staff WHERE"
					    " name = '(deleted)')", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int dead = sqlite3_column_int(st, 0), erased = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	sqlite3_close(s);
	if (dead != erased)
		fail_msg("%d tombstones, %d names erased: half a delete", dead, erased);
	return dead;
}

/* Open, import, export, an indicator, routes, an update, the import again
   in upsert mode with a correction; the first failure stops it. *import_rc,
   *routes_rc, *update_rc and *upsert_rc are those steps' codes (MMS_ERROR:
   not reached). */
static int run(const char *db, const char *out, const char *doc, int *import_rc, int *routes_rc,
	       int *update_rc, int *upsert_rc, int *delete_rc, int *sync_rc)
{
	const char *pairs[] = {"position", "методист", NULL};
	mms_import_options up = MMS_IMPORT_OPTIONS_INIT, sync = MMS_IMPORT_OPTIONS_INIT;
	up.mode = MMS_IMPORT_UPSERT;
	sync.mode = MMS_IMPORT_SYNC;
	sync.scope = "S";
	mms_db *h = NULL;
	mms_kpi *kpi = NULL;
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	*import_rc = *routes_rc = *update_rc = *upsert_rc = *delete_rc = *sync_rc = MMS_ERROR;
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
	if (rc == MMS_OK)
		rc = *delete_rc = mms_db_delete(h, MMS_STAFF, "N1", NULL, NULL);
	if (rc == MMS_OK)
		rc = *sync_rc = mms_db_import_json(h, "{\"staff\": [{\"code\": \"N0\", \"name\": \"Учитель 0\","
						   " \"org\": \"S\", \"role\": \"teacher\"}]}", &sync, NULL);
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
			int import_rc, routes_rc, update_rc, upsert_rc, delete_rc, sync_rc;
			int rc = run(db, out, doc, &import_rc, &routes_rc, &update_rc, &upsert_rc,
				     &delete_rc, &sync_rc);
			if (rc != MMS_OK && rc != MMS_EIO)
				fail_msg("%s fault %ld: code %d (%s), not MMS_EIO", op_names[op], n, rc, mms_errstr(rc));
			int hit = shim.calls >= n;
			shim.fail_at = 0;
			t_assert_integrity(db);
			int deleted = staff_deleted(db);
			size_t staff = t_count(db, MMS_STAFF) + (size_t)deleted,
			       routes = t_count(db, MMS_ROUTE);
			if (delete_rc == MMS_OK && !deleted)
				fail_msg("%s fault %ld: the delete succeeded but is not there", op_names[op], n);
			if (deleted > 1 && deleted != STAFF - 1)
				fail_msg("%s fault %ld: %d staff deleted: half a sync", op_names[op], n, deleted);
			if (sync_rc == MMS_OK && deleted != STAFF - 1)
				fail_msg("%s fault %ld: the sync succeeded but is not there", op_names[op], n);
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
					 (upsert_rc != MMS_OK && category[0] != '\0') +
					 (delete_rc != MMS_OK && deleted) + (sync_rc != MMS_OK && deleted > 1);
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

/* ---- the stdio shim ---- */

enum { SO_WRITE, SO_FULL, SO_BIG, SO_FLUSH, SO_SYNC, SO_RENAME, SO_COUNT };
static const char *const so_names[] = {"write", "disk-full (ENOSPC)", "file-too-big (EFBIG)",
				       "flush/close", "fsync", "rename"};

static struct {
	int op;
	long fail_at, calls; /* 0 = never */
	int kill;            /* SIGKILL at the fault instead of failing */
	const char *dir;     /* only calls on files in this directory count */
} so;

/*
 * Only the writes of the output count: libxlsxwriter also writes its XML
 * parts to tmpfile()s in /tmp with fprintf and does not check those writes
 * (a failure there is invisible to any caller; docs/reliability.md).
 */
static int in_dir(const char *path)
{
	return path && !strncmp(path, so.dir, strlen(so.dir));
}

static int fd_in_dir(int fd)
{
	char link[64], path[4096];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n < 0)
		return 0;
	path[n] = '\0';
	return in_dir(path);
}

/* Whether this call of a kind (SO_WRITE for every write-like call) on a file
 * (fd, or path when fd < 0) fails; the errno to set. */
static int so_hit(int kind, int fd, const char *path)
{
	int op = so.op <= SO_BIG ? SO_WRITE : so.op;
	if (!so.fail_at || op != kind || !(fd >= 0 ? fd_in_dir(fd) : in_dir(path)) ||
	    ++so.calls != so.fail_at)
		return 0;
	return so.op == SO_FULL ? ENOSPC : so.op == SO_BIG ? EFBIG : EIO;
}

static int so_hit_stream(int kind, FILE *f)
{
	return f ? so_hit(kind, fileno(f), NULL) : 0;
}

#define LIBC(type, name) ((type)dlsym(RTLD_NEXT, name))
/* the project builds with hidden visibility: the shim must be seen */
#define SHIM __attribute__((visibility("default")))

SHIM size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	size_t (*real)(const void *, size_t, size_t, FILE *) =
		LIBC(size_t (*)(const void *, size_t, size_t, FILE *), "fwrite");
	int err = so_hit_stream(SO_WRITE, f);
	if (!err)
		return real(p, size, n, f);
	size_t half = real(p, size, n / 2, f); /* a short write, as a full disk makes */
	if (so.kill)
		raise(SIGKILL);
	errno = err;
	return half;
}

/* Whether a write-like call fails (errno set) or, in kill mode, ends here. */
static int so_refuse(FILE *f)
{
	int err = so_hit_stream(SO_WRITE, f);
	if (err && so.kill)
		raise(SIGKILL);
	if (err)
		errno = err;
	return err != 0;
}

SHIM int fputs(const char *s, FILE *f)
{
	return so_refuse(f) ? EOF : LIBC(int (*)(const char *, FILE *), "fputs")(s, f);
}

SHIM int fputc(int c, FILE *f)
{
	return so_refuse(f) ? EOF : LIBC(int (*)(int, FILE *), "fputc")(c, f);
}

static int so_vfprintf(FILE *f, const char *fmt, va_list ap)
{
	return so_refuse(f) ? -1 : vfprintf(f, fmt, ap);
}

SHIM int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = so_vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

/* what fprintf becomes in libraries built with _FORTIFY_SOURCE (libxlsxwriter) */
int __fprintf_chk(FILE *f, int flag, const char *fmt, ...);
SHIM int __fprintf_chk(FILE *f, int flag, const char *fmt, ...)
{
	(void)flag;
	va_list ap;
	va_start(ap, fmt);
	int n = so_vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

SHIM int fflush(FILE *f)
{
	int err = so_hit_stream(SO_FLUSH, f);
	if (err) {
		errno = err;
		return EOF;
	}
	return LIBC(int (*)(FILE *), "fflush")(f);
}

SHIM int fclose(FILE *f)
{
	int err = so_hit_stream(SO_FLUSH, f);
	int rc = LIBC(int (*)(FILE *), "fclose")(f); /* closed either way, as fclose does */
	if (err) {
		errno = err;
		return EOF;
	}
	return rc;
}

SHIM int fsync(int fd)
{
	int err = so_hit(SO_SYNC, fd, NULL);
	if (err) {
		errno = err;
		return -1;
	}
	/* the order of the calls is under test, not the disk: a real sync of
	 * every file at every fault point would take most of a minute */
	return so.dir && fd_in_dir(fd) ? 0 : LIBC(int (*)(int), "fsync")(fd);
}

SHIM int rename(const char *from, const char *to)
{
	int err = so_hit(SO_RENAME, -1, to);
	if (err) {
		errno = err;
		return -1;
	}
	return LIBC(int (*)(const char *, const char *), "rename")(from, to);
}

SHIM int renameat2(int dfrom, const char *from, int dto, const char *to, unsigned flags)
{
	int err = so_hit(SO_RENAME, -1, to);
	if (err) {
		errno = err;
		return -1;
	}
	return LIBC(int (*)(int, const char *, int, const char *, unsigned), "renameat2")(dfrom, from, dto, to,
											 flags);
}

/* ---- the writers ---- */

typedef struct writers_ctx {
	mms_db *db;
	mms_kpi *kpi;
	int32_t route, school;
	char *dir, *path;
} writers_ctx;

typedef struct writer {
	const char *name, *target; /* target: a name in the test's directory */
	int (*run)(writers_ctx *c, const char *target);
	int folder;
	int kpi; /* its message is on the indicator handle */
} writer;

static int w_json(writers_ctx *c, const char *t) { return mms_db_export(c->db, t, NULL); }
static int w_pseudo(writers_ctx *c, const char *t)
{
	return mms_db_export_pseudonymised(c->db, t, "region-33 secret for the 2024 report: Tq8vXz", NULL);
}
static int w_csv(writers_ctx *c, const char *t)
{
	mms_export_options o = MMS_EXPORT_OPTIONS_INIT;
	o.format = MMS_FORMAT_CSV;
	return mms_db_export(c->db, t, &o);
}
static int w_kpi_xlsx(writers_ctx *c, const char *t)
{
	mms_kpi_report_options o = MMS_KPI_REPORT_OPTIONS_INIT;
	o.unit = c->school;
	o.from = 2023;
	o.to = 2024;
	o.indicators = "murom.P4";
	return mms_kpi_report_xlsx(c->kpi, t, &o);
}
static int w_route_xlsx(writers_ctx *c, const char *t) { return mms_route_report_xlsx(c->db, c->route, t); }
static int w_snapshot(writers_ctx *c, const char *t)
{
	(void)t;
	return mms_db_snapshot(c->db);
}

static const writer writers[] = {
	{"JSON export", "out.json", w_json, 0},
	{"pseudonymised export", "pseudo.json", w_pseudo, 0},
	{"CSV folder export", "csv", w_csv, 1},
	{"indicator XLSX", "kpi.xlsx", w_kpi_xlsx, 0, 1},
	{"route XLSX", "route.xlsx", w_route_xlsx, 0},
	{"snapshot", "db.sqlite-snapshot", w_snapshot, 0},
};
#define PREVIOUS "the previous version\n"

/* The contents of a file, or of a folder (names and contents, sorted). */
static char *contents(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return strdup("(absent)");
	if (!S_ISDIR(st.st_mode)) {
		size_t len;
		char *t = t_read(path, &len);
		return t ? t : strdup("(unreadable)");
	}
	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort);
	assert_true(n >= 0);
	size_t cap = 1;
	char *all = calloc(1, 1);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			char *file = t_path(path, names[i]->d_name);
			size_t len;
			char *t = t_read(file, &len);
			assert_non_null(t);
			cap += strlen(names[i]->d_name) + len + 2;
			all = realloc(all, cap);
			strcat(strcat(strcat(all, names[i]->d_name), "\n"), t);
			free(t);
			free(file);
		}
		free(names[i]);
	}
	free(names);
	return all;
}

/* Puts the previous version in place: a file, or an earlier export's folder
 * with one file changed (so a new export is told from it). */
static void previous(const writer *w, writers_ctx *c, const char *target)
{
	if (!w->folder) {
		t_write(target, PREVIOUS);
		return;
	}
	t_rmtree(target);
	T_OK(c->db, w->run(c, target));
	char *units = t_path(target, "units.csv");
	t_write(units, "code,name\n" PREVIOUS);
	free(units);
}

/* Fails if a temporary or an aside folder is left in dir. */
static void assert_no_leftovers(const char *dir, const char *what, long n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".tmp") || strstr(e->d_name, ".old"))
			fail_msg("%s fault %ld left %s behind", what, n, e->d_name);
	closedir(d);
}

/* The fault points tried: every call up to 64, then an eighth further each
 * time (libxlsxwriter's zip writer makes hundreds of small writes, and
 * every point syncs a file for real). */
static long next_point(long n)
{
	return n < 64 ? n + 1 : n + n / 8;
}

/* A Murom demo with routes, its catalogue and a directory of its own for the writers. */
static int writers_setup(void **state)
{
	writers_ctx *c = calloc(1, sizeof *c);
	c->dir = t_tmpdir();
	c->path = t_path(c->dir, "db.sqlite");
	so.dir = c->dir;
	c->db = t_demo_with_routes(c->path, &c->route);
	c->school = t_find(c->db, MMS_UNIT, "MUR-SCH-01");
	T_OK(c->db, mms_kpi_open(&c->kpi, c->db));
	*state = c;
	return 0;
}

static int writers_teardown(void **state)
{
	writers_ctx *c = *state;
	mms_kpi_close(c->kpi);
	mms_db_close(c->db);
	t_rmtree(c->dir);
	free(c->path);
	free(c->dir);
	free(c);
	return 0;
}

static void every_stdio_fault_of_every_writer_leaves_the_previous_file(void **state)
{
	writers_ctx *cp = *state, c = *cp;
	const char *dir = c.dir;
	long total = 0;
	for (size_t w = 0; w < sizeof writers / sizeof *writers; w++) {
		char *target = t_path(dir, writers[w].target);
		for (int op = 0; op < SO_COUNT; op++) {
			long n, points = 0, after_rename = 0;
			for (n = 1;; n = next_point(n)) {
				previous(&writers[w], &c, target);
				char *before = contents(target);
				so.op = op, so.fail_at = n, so.calls = 0, so.kill = 0;
				int rc = writers[w].run(&c, target);
				int hit = so.calls >= n;
				so.fail_at = 0;
				char *after = contents(target);
				const char *msg = writers[w].kpi ? mms_kpi_errmsg(c.kpi) : mms_db_errmsg(c.db);
				if (!hit) {
					if (rc != MMS_OK)
						fail_msg("%s: %s", writers[w].name, msg);
					if (!strcmp(before, after))
						fail_msg("%s wrote nothing", writers[w].name);
				} else if (rc != MMS_EIO) {
					fail_msg("%s, %s fault %ld: code %d (%s), not MMS_EIO", writers[w].name,
						 so_names[op], n, rc, mms_errstr(rc));
				} else if (strcmp(before, after)) {
					/* only a failed sync of the directory comes after the rename */
					if (op != SO_SYNC || !strstr(msg, "sync the directory"))
						fail_msg("%s, %s fault %ld changed the previous file (%s)",
							 writers[w].name, so_names[op], n, msg);
					after_rename++;
				}
				assert_no_leftovers(dir, writers[w].name, n);
				if (writers[w].folder)
					assert_no_leftovers(target, writers[w].name, n);
				free(before);
				free(after);
				if (!hit)
					break;
				points++;
			}
			print_message("io: %s: %ld %s fault points, previous file intact (%ld after the "
				      "rename: the new file whole)\n", writers[w].name, points, so_names[op],
				      after_rename);
			assert_true(op == SO_RENAME || points > 0);
			total += points;
		}
		free(target);
	}
	print_message("io: %ld stdio fault points over %zu writers\n", total,
		      sizeof writers / sizeof *writers);
}

/* A child process killed in the middle of its Nth write call (half of the
 * call's bytes written) leaves the previous file exactly as it was; its
 * temporary, which no one can remove after a SIGKILL, is the only trace. */
static void a_kill_at_any_write_leaves_the_previous_file(void **state)
{
	writers_ctx *cp = *state, c = *cp;
	const char *dir = c.dir;
	long kills = 0;
	static const size_t killed[] = {0, 2, 3, 5}; /* JSON, CSV, indicator XLSX, snapshot */
	for (size_t k = 0; k < sizeof killed / sizeof *killed; k++) {
		const writer *w = &writers[killed[k]];
		char *target = t_path(dir, w->target);
		long n, points = 0;
		for (n = 1;; n = next_point(n)) {
			previous(w, &c, target);
			char *before = contents(target);
			fflush(NULL);
			pid_t pid = fork();
			assert_true(pid >= 0);
			if (pid == 0) {
				so.op = SO_WRITE, so.fail_at = n, so.calls = 0, so.kill = 1;
				_exit(w->run(&c, target) == MMS_OK ? 0 : 1);
			}
			int status;
			assert_int_equal(waitpid(pid, &status, 0), pid);
			char *after = contents(target);
			int was_killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
			if (was_killed && strcmp(before, after))
				fail_msg("%s killed at write %ld: the previous file changed", w->name, n);
			if (!was_killed && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
				fail_msg("%s: the child failed without a fault", w->name);
			free(before);
			free(after);
			/* the killed child's temporaries */
			DIR *d = opendir(dir);
			struct dirent *e;
			while ((e = readdir(d)))
				if (strstr(e->d_name, ".tmp")) {
					char *p = t_path(dir, e->d_name);
					t_rmtree(p);
					remove(p);
					free(p);
				}
			closedir(d);
			if (!was_killed)
				break;
			points++;
		}
		print_message("io: %s killed at %ld write points: previous file intact every time\n",
			      w->name, points);
		assert_true(points > 0);
		kills += points;
		free(target);
	}
	print_message("io: %ld kills\n", kills);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_io_fault_is_reported_and_leaves_the_file_whole),
		cmocka_unit_test_setup_teardown(every_stdio_fault_of_every_writer_leaves_the_previous_file,
						writers_setup, writers_teardown),
		cmocka_unit_test_setup_teardown(a_kill_at_any_write_leaves_the_previous_file, writers_setup,
						writers_teardown),
	};
	return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
