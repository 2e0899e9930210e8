/* Helpers shared by the C tests: temporary directories, files, and
 * assertions that print the handle's message when a call fails. */
#ifndef MMS_TEST_HELPERS_H
#define MMS_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <mms/mms.h>

/* A new empty directory under $TMPDIR (or /tmp); the caller frees the path. */
char *t_tmpdir(void);
/* "dir/name", caller frees. */
char *t_path(const char *dir, const char *name);
/* Whole file, NUL-terminated; NULL if it cannot be read. */
char *t_read(const char *path, size_t *len);
void t_write(const char *path, const char *text);
/* Removes a directory tree made by t_tmpdir(). */
void t_rmtree(const char *dir);

/* Asserts rc == MMS_OK, printing the handle's message otherwise. */
#define T_OK(db, call)                                                         \
	do {                                                                   \
		int t_rc_ = (call);                                            \
		if (t_rc_ != MMS_OK)                                           \
			fail_msg("%s -> %d (%s): %s", #call, t_rc_,           \
				 mms_errstr(t_rc_), mms_db_errmsg(db));        \
	} while (0)

/* A municipal service M over a school S, with one methodist X in M: the
   smallest network the fault and concurrency tests write staff into. */
#define T_SMALL_NETWORK_RECORDS                                                                    \
	"\"units\": [{\"code\": \"M\", \"name\": \"M\", \"level\": \"municipal\", \"kind\": \"municipal_service\"}," \
	"{\"code\": \"S\", \"name\": \"S\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}]," \
	"\"staff\": [{\"code\": \"X\", \"name\": \"X\", \"org\": \"M\", \"role\": \"methodist\"}]"
#define T_SMALL_NETWORK "{" T_SMALL_NETWORK_RECORDS "}"

/* {"staff": [...]}: n teachers of the small network's school S, coded
   prefix0, prefix1, ...; NULL if out of memory (callers may be children
   that must not assert). The caller frees it. */
char *t_teachers(const char *prefix, int n);
/* Copies a database file to `to`, removing any -wal and -shm left there. */
void t_copy_db(const char *from, const char *to);
/* Asserts PRAGMA integrity_check is "ok", through a raw SQLite connection. */
void t_assert_integrity(const char *path);
/* The number of records of an entity, through a handle of its own. */
size_t t_count(const char *path, int entity);
/* Cuts the history off a JSON export, leaving its records: the history
   says when each database was built, which differs between two built
   alike. */
void t_cut_history(char *json);
/* Seconds on the monotonic clock. */
double t_now(void);

mms_db *t_open(const char *path);
/* Runs sql on the closed file through a raw connection (a schema made
   older, a row changed outside libmms), then opens it read-only. */
mms_db *t_open_read_only_after(const char *path, const char *sql);
/* Imports a JSON document and asserts success. */
void t_import(mms_db *db, const char *json);
/* Inserts a record given as NULL-terminated field/value pairs. */
int t_insert(mms_db *db, int entity, int32_t *id, ...);
/* The id of a code (asserted to exist). */
int32_t t_find(mms_db *db, int entity, const char *code);
/* A field as text; the caller frees it. */
char *t_get(mms_db *db, int entity, int32_t id, const char *field);

/* The Murom demo with the teachers' framework and diagnostics, a saved batch
   of routes for 2024 (ids from *first_route) and the first one approved. */
mms_db *t_demo_with_routes(const char *path, int32_t *first_route);

#endif
