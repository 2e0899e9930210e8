/* The SQLite file: schema and migrations, loading and writing rows. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"

/* Version 1 of the schema. A later version appends a migration step and
 * never edits this one, so old files upgrade in order. */
static const char schema_v1[] =
	"CREATE TABLE units(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL, level TEXT NOT NULL, kind TEXT NOT NULL,"
	" parent INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" territory TEXT, rural INTEGER NOT NULL DEFAULT 0, directions TEXT,"
	" site_level TEXT);"
	"CREATE INDEX units_parent ON units(parent);"
	"CREATE TABLE links(id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
	" \"from\" INTEGER NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" \"to\" INTEGER NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" start TEXT, \"end\" TEXT, note TEXT);"
	"CREATE TABLE staff(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" org INTEGER NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" role TEXT NOT NULL, position TEXT, birth_date TEXT, work_start TEXT,"
	" category TEXT, edu_level TEXT, subjects TEXT,"
	" part_time INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX staff_org ON staff(org);"
	"CREATE TABLE staff_links(id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
	" staff INTEGER NOT NULL REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" unit INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" target_staff INTEGER REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" start TEXT, \"end\" TEXT);"
	"CREATE TABLE activities(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL, kind TEXT NOT NULL, level TEXT,"
	" organizer INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" provider INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" hours INTEGER, federal_register INTEGER NOT NULL DEFAULT 0, format TEXT,"
	" start TEXT, \"end\" TEXT);"
	"CREATE TABLE participations(id INTEGER PRIMARY KEY,"
	" activity INTEGER NOT NULL REFERENCES activities(id) DEFERRABLE INITIALLY DEFERRED,"
	" staff INTEGER REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" unit INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" role TEXT NOT NULL, result TEXT,"
	" peer INTEGER REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" hours INTEGER, score INTEGER, start TEXT, \"end\" TEXT,"
	" completed INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX participations_activity ON participations(activity);"
	"CREATE INDEX participations_staff ON participations(staff);";

/* Version 2 adds the targets of indicators set at units, and facts
 * recorded about units (documents present, plans fulfilled). */
static const char schema_v2[] =
	"CREATE TABLE targets(id INTEGER PRIMARY KEY, indicator TEXT NOT NULL,"
	" unit INTEGER NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" year INTEGER NOT NULL, value REAL);"
	"CREATE INDEX targets_unit ON targets(unit);"
	"CREATE TABLE facts(id INTEGER PRIMARY KEY,"
	" unit INTEGER NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" key TEXT NOT NULL, year INTEGER NOT NULL, value REAL, note TEXT);"
	"CREATE INDEX facts_unit ON facts(unit);"
	"CREATE TABLE competencies(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL, framework TEXT NOT NULL,"
	" parent INTEGER REFERENCES competencies(id) DEFERRABLE INITIALLY DEFERRED,"
	" kind TEXT NOT NULL, labour_function TEXT);"
	"CREATE TABLE diagnostics(id INTEGER PRIMARY KEY,"
	" staff INTEGER NOT NULL REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" competency INTEGER NOT NULL REFERENCES competencies(id) DEFERRABLE INITIALLY DEFERRED,"
	" date TEXT NOT NULL, score REAL, level TEXT, note TEXT);"
	"CREATE INDEX diagnostics_staff ON diagnostics(staff);"
	"CREATE TABLE resources(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	" kind TEXT NOT NULL, hours INTEGER, format TEXT,"
	" provider INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" site INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" mentor INTEGER REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" start TEXT, \"end\" TEXT, federal_register INTEGER NOT NULL DEFAULT 0,"
	" in_region INTEGER NOT NULL DEFAULT 0, capacity INTEGER,"
	" prerequisite INTEGER REFERENCES resources(id) DEFERRABLE INITIALLY DEFERRED);"
	"CREATE TABLE develops(id INTEGER PRIMARY KEY,"
	" resource INTEGER NOT NULL REFERENCES resources(id) DEFERRABLE INITIALLY DEFERRED,"
	" competency INTEGER NOT NULL REFERENCES competencies(id) DEFERRABLE INITIALLY DEFERRED,"
	" strength INTEGER NOT NULL);"
	"CREATE TABLE routes(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" staff INTEGER NOT NULL REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" tutor INTEGER REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" start TEXT, \"end\" TEXT, budget_hours INTEGER, note TEXT);"
	"CREATE TABLE route_steps(id INTEGER PRIMARY KEY,"
	" route INTEGER NOT NULL REFERENCES routes(id) DEFERRABLE INITIALLY DEFERRED,"
	" resource INTEGER NOT NULL REFERENCES resources(id) DEFERRABLE INITIALLY DEFERRED,"
	" covers TEXT, \"order\" INTEGER, start TEXT, \"end\" TEXT, hours INTEGER, reason TEXT);"
	"CREATE TABLE route_events(id INTEGER PRIMARY KEY,"
	" route INTEGER NOT NULL REFERENCES routes(id) DEFERRABLE INITIALLY DEFERRED,"
	" step INTEGER REFERENCES route_steps(id) DEFERRABLE INITIALLY DEFERRED,"
	" status TEXT NOT NULL, date TEXT NOT NULL, evidence TEXT, note TEXT);"
	"ALTER TABLE staff ADD COLUMN work_end TEXT;";

/* 'MMS1': tells a libmms file from any other SQLite file. */
#define APPLICATION_ID 0x4D4D5331

int mms_store_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: case SQLITE_DONE: case SQLITE_ROW: return MMS_OK;
	case SQLITE_NOMEM: return MMS_ENOMEM;
	case SQLITE_BUSY: case SQLITE_LOCKED: return MMS_EBUSY;
	case SQLITE_CORRUPT: case SQLITE_NOTADB: case SQLITE_SCHEMA: return MMS_ECORRUPT;
	case SQLITE_CONSTRAINT: return MMS_ECORRUPT;
	default: return MMS_EIO;
	}
}

static int fail(sqlite3 *db, int rc, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	return mms_store_rc(rc);
}

int mms_store_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? MMS_OK : fail(db, rc, err, errlen, sql);
}

static int pragma_int(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

int mms_store_data_version(sqlite3 *db, int64_t *out)
{
	return mms_store_rc(pragma_int(db, "PRAGMA data_version", out));
}

/* Version 3 counts the rows changed in place: a trigger on every table adds
 * one to mms_meta's "changed" on each UPDATE and DELETE. libmms's own
 * imports only append, which the snapshot's prefix rule already follows;
 * anything else (raw SQL, a later libmms's updates) moves the count, and a
 * snapshot taken at another count is not used (docs/reliability.md). */
static int schema_v3(sqlite3 *db, char *err, size_t errlen)
{
	mms_buf b = {0};
	mms_buf_puts(&b, "CREATE TABLE mms_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
			 "INSERT INTO mms_meta VALUES('changed', 0);");
	/* the tables of version 2; a later entity's step makes its own triggers */
	for (int e = 0; e <= MMS_ROUTE_EVENT; e++)
		for (int k = 0; k < 2; k++)
			mms_buf_printf(&b, "CREATE TRIGGER \"mms_changed_%s_%s\" AFTER %s ON \"%s\" "
				       "BEGIN UPDATE mms_meta SET value = value + 1 "
				       "WHERE key = 'changed'; END;",
				       mms_entities[e].name, k ? "delete" : "update",
				       k ? "DELETE" : "UPDATE", mms_entities[e].name);
	int rc = b.failed ? MMS_ENOMEM : mms_store_exec(db, b.data, err, errlen);
	mms_buf_free(&b);
	return rc;
}

/* Version 4 keeps the history of changes: one row per field changed by an
 * update, one per record added (field NULL). The model never reads it, so
 * files of versions 2 and 3 still load read-only as they are. */
static const char schema_v4[] =
	"CREATE TABLE mms_history(id INTEGER PRIMARY KEY, at TEXT NOT NULL,"
	" actor TEXT NOT NULL, entity TEXT NOT NULL, key TEXT NOT NULL,"
	" field TEXT, old TEXT, new TEXT);"
	"CREATE INDEX mms_history_record ON mms_history(entity, key);";

/* Version 5 says whom a resource fits (docs/routes.md): subjects, education
 * levels, positions, categories and years of experience; absent = anyone;
 * and keeps with each route the deficit bands it was built with. */
static const char schema_v5[] =
	"ALTER TABLE resources ADD COLUMN subjects TEXT;"
	"ALTER TABLE resources ADD COLUMN edu_levels TEXT;"
	"ALTER TABLE resources ADD COLUMN positions TEXT;"
	"ALTER TABLE resources ADD COLUMN categories TEXT;"
	"ALTER TABLE resources ADD COLUMN min_experience INTEGER;"
	"ALTER TABLE resources ADD COLUMN max_experience INTEGER;"
	"ALTER TABLE routes ADD COLUMN high_below REAL;"
	"ALTER TABLE routes ADD COLUMN medium_up_to REAL;";

/* Version 6 keeps tombstones: a deleted record's row stays (blanked of
 * personal values) so ids stay dense and never change meaning; this table
 * says which rows are dead (docs/format.md, Delete). */
static const char schema_v6[] = /* IF NOT EXISTS: safe to run again whatever the version says */
	"CREATE TABLE IF NOT EXISTS mms_deleted(entity TEXT NOT NULL, id INTEGER NOT NULL,"
	" PRIMARY KEY(entity, id)) WITHOUT ROWID;";

/* Version 7 records who developed a route (person and unit) and when, who
 * agreed and approved it and when, and the teacher's acknowledgement
 * (docs/routes.md); older files read them as absent. */
static const char schema_v7[] =
	"ALTER TABLE routes ADD COLUMN developer INTEGER"
	" REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED;"
	"ALTER TABLE routes ADD COLUMN developer_unit INTEGER"
	" REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED;"
	"ALTER TABLE routes ADD COLUMN developed_on TEXT;"
	"ALTER TABLE routes ADD COLUMN agreed_by INTEGER"
	" REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED;"
	"ALTER TABLE routes ADD COLUMN agreed_on TEXT;"
	"ALTER TABLE routes ADD COLUMN approved_by INTEGER"
	" REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED;"
	"ALTER TABLE routes ADD COLUMN approved_on TEXT;"
	"ALTER TABLE routes ADD COLUMN acknowledged_on TEXT;";

/* Version 8 records what a survey asks (satisfaction, needs, monitoring),
 * so that indicators tell a questionnaire from a monitoring; older files
 * read it as absent. */
static const char schema_purpose[] = "ALTER TABLE activities ADD COLUMN purpose TEXT;";

/* Version 9 (careers, docs/format.md): a staff row is one post of a
 * person (person, employment; absent = a person with one main post, so
 * every older row stays what it was), and past_values keeps the values
 * dated fields held before, counted by triggers like every table. */
static const char schema_careers[] =
	"ALTER TABLE staff ADD COLUMN person TEXT;"
	"ALTER TABLE staff ADD COLUMN employment TEXT;"
	"CREATE TABLE past_values(id INTEGER PRIMARY KEY, entity TEXT NOT NULL,"
	" record TEXT NOT NULL, field TEXT NOT NULL, value TEXT, until TEXT NOT NULL);"
	"CREATE INDEX past_values_record ON past_values(entity, record);"
	"CREATE TRIGGER mms_changed_past_values_update AFTER UPDATE ON past_values"
	" BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"CREATE TRIGGER mms_changed_past_values_delete AFTER DELETE ON past_values"
	" BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;";

/* Version 10 freezes with each route what it was built on: its deficits
 * with score, severity, consequence (Р-201) and the diagnostic they came
 * from (docs/routes.md); with the triggers of version 3 for the new table. */
static const char schema_diagnostics[] =
	"CREATE TABLE IF NOT EXISTS route_deficits(id INTEGER PRIMARY KEY,"
	" route INTEGER NOT NULL REFERENCES routes(id) DEFERRABLE INITIALLY DEFERRED,"
	" competency INTEGER NOT NULL REFERENCES competencies(id) DEFERRABLE INITIALLY DEFERRED,"
	" score REAL, severity TEXT NOT NULL, consequence TEXT NOT NULL,"
	" diagnostic INTEGER REFERENCES diagnostics(id) DEFERRABLE INITIALLY DEFERRED,"
	" suggestions TEXT,"
	" session INTEGER REFERENCES diagnostic_sessions(id) DEFERRABLE INITIALLY DEFERRED);"
	"CREATE TABLE IF NOT EXISTS diagnostic_sessions(id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, form TEXT NOT NULL, instrument TEXT NOT NULL,"
	" instrument_version TEXT,"
	" staff INTEGER REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" unit INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED, date TEXT NOT NULL);"
	"ALTER TABLE diagnostics ADD COLUMN session INTEGER"
	" REFERENCES diagnostic_sessions(id) DEFERRABLE INITIALLY DEFERRED;"
	"ALTER TABLE diagnostics ADD COLUMN task TEXT;"
	"CREATE TRIGGER IF NOT EXISTS \"mms_changed_diagnostic_sessions_update\" AFTER UPDATE ON"
	" \"diagnostic_sessions\" BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"CREATE TRIGGER IF NOT EXISTS \"mms_changed_diagnostic_sessions_delete\" AFTER DELETE ON"
	" \"diagnostic_sessions\" BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"CREATE TRIGGER IF NOT EXISTS \"mms_changed_route_deficits_update\" AFTER UPDATE ON \"route_deficits\""
	" BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"CREATE TRIGGER IF NOT EXISTS \"mms_changed_route_deficits_delete\" AFTER DELETE ON \"route_deficits\""
	" BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;";

/* Version 11: programmes adopted by units for a territory's subtree, the tasks of
 * their roadmaps and the tasks' status changes (docs/format.md), counted
 * in the "changed" stamp as every table is. */
static const char schema_programmes[] =
	"CREATE TABLE IF NOT EXISTS programmes(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" definition TEXT NOT NULL,"
	" owner INTEGER NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" territory INTEGER NOT NULL REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" first_year INTEGER, last_year INTEGER, note TEXT);"
	"CREATE TRIGGER IF NOT EXISTS \"mms_changed_programmes_update\" AFTER UPDATE ON \"programmes\" "
	"BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"CREATE TRIGGER IF NOT EXISTS \"mms_changed_programmes_delete\" AFTER DELETE ON \"programmes\" "
	"BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"CREATE TABLE IF NOT EXISTS tasks(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" programme INTEGER NOT NULL REFERENCES programmes(id) DEFERRABLE INITIALLY DEFERRED,"
	" plan TEXT NOT NULL, name TEXT NOT NULL, deadline TEXT NOT NULL, recurrence TEXT,"
	" unit INTEGER REFERENCES units(id) DEFERRABLE INITIALLY DEFERRED,"
	" responsible INTEGER REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" expected_result TEXT);"
	"CREATE TABLE IF NOT EXISTS task_events(id INTEGER PRIMARY KEY,"
	" task INTEGER NOT NULL REFERENCES tasks(id) DEFERRABLE INITIALLY DEFERRED,"
	" date TEXT NOT NULL, status TEXT NOT NULL, evidence TEXT, note TEXT);"
	"CREATE TRIGGER IF NOT EXISTS \"mms_changed_tasks_update\" AFTER UPDATE ON \"tasks\" "
	"BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"CREATE TRIGGER IF NOT EXISTS \"mms_changed_tasks_delete\" AFTER DELETE ON \"tasks\" "
	"BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"CREATE TRIGGER IF NOT EXISTS \"mms_changed_task_events_update\" AFTER UPDATE ON \"task_events\" "
	"BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"CREATE TRIGGER IF NOT EXISTS \"mms_changed_task_events_delete\" AFTER DELETE ON \"task_events\" "
	"BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;";

/* Version 12 keeps mentoring pairs of the target model (docs/routes.md,
 * "Mentoring as a programme") and links a route's mentoring step to its
 * pair, and keeps the revisions of approved routes; each new table with the
 * triggers of schema 3. Older files read none. */
static const char schema_mentoring[] =
	"CREATE TABLE mentoring_pairs(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
	" form TEXT NOT NULL,"
	" mentor INTEGER NOT NULL REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" mentee INTEGER NOT NULL REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" curator INTEGER REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED,"
	" programme TEXT, start TEXT, \"end\" TEXT, outcome TEXT);"
	"CREATE INDEX mentoring_pairs_mentor ON mentoring_pairs(mentor);"
	"CREATE TRIGGER \"mms_changed_mentoring_pairs_update\" AFTER UPDATE ON \"mentoring_pairs\""
	" BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"CREATE TRIGGER \"mms_changed_mentoring_pairs_delete\" AFTER DELETE ON \"mentoring_pairs\""
	" BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"ALTER TABLE route_steps ADD COLUMN pair INTEGER"
	" REFERENCES mentoring_pairs(id) DEFERRABLE INITIALLY DEFERRED;"
	"CREATE TABLE route_revisions(id INTEGER PRIMARY KEY,"
	" route INTEGER NOT NULL REFERENCES routes(id) DEFERRABLE INITIALLY DEFERRED,"
	" number INTEGER NOT NULL, date TEXT NOT NULL,"
	" by INTEGER REFERENCES staff(id) DEFERRABLE INITIALLY DEFERRED, reason TEXT);"
	"CREATE TRIGGER \"mms_changed_route_revisions_update\" AFTER UPDATE ON \"route_revisions\""
	" BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;"
	"CREATE TRIGGER \"mms_changed_route_revisions_delete\" AFTER DELETE ON \"route_revisions\""
	" BEGIN UPDATE mms_meta SET value = value + 1 WHERE key = 'changed'; END;";

int mms_store_stamp(sqlite3 *db, uint64_t *out)
{
	sqlite3_stmt *st;
	*out = MMS_STAMP_UNKNOWN;
	/* no table (an older schema read as it is): unknown, not a failure */
	if (sqlite3_prepare_v2(db, "SELECT (SELECT value FROM mms_meta WHERE key = 'changed'),"
				   " (SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
				   " AND name GLOB 'mms_changed_*')", -1, &st, NULL) != SQLITE_OK)
		return MMS_OK;
	int rc = sqlite3_step(st);
	/* a dropped trigger would let changes pass uncounted */
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
	    sqlite3_column_int64(st, 1) == 2 * MMS_ENTITY_COUNT && sqlite3_column_int64(st, 0) >= 0)
		*out = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MMS_OK : mms_store_rc(rc);
}

/* What the file is, read before anything is written to it. */
typedef struct file_kind {
	int64_t version, appid, tables;
} file_kind;

static int identify(sqlite3 *db, file_kind *k, char *err, size_t errlen)
{
	int rc = pragma_int(db, "PRAGMA user_version", &k->version);
	if (rc == SQLITE_OK)
		rc = pragma_int(db, "PRAGMA application_id", &k->appid);
	if (rc == SQLITE_OK)
		rc = pragma_int(db, "SELECT count(*) FROM sqlite_schema", &k->tables);
	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
		snprintf(err, errlen, "not a libmms database (not an SQLite file)");
		return MMS_ECORRUPT;
	}
	return rc == SQLITE_OK ? MMS_OK : fail(db, rc, err, errlen, "reading the schema version");
}

/* Whether this build may use the file as it is, create it, or upgrade it;
 * refuses a foreign file, a newer schema and, when may_create is 0, an
 * empty one. *work is 1 when the file must be written first. */
static int admit(const file_kind *k, int may_create, int read_only, int *work, char *err,
		 size_t errlen)
{
	*work = 0;
	if (k->tables == 0 && k->version == 0 && k->appid == 0) {
		if (!may_create) {
			snprintf(err, errlen, "not a libmms database (the file is empty)");
			return MMS_ECORRUPT;
		}
		*work = 1;
		return MMS_OK;
	}
	if (k->appid != APPLICATION_ID) {
		snprintf(err, errlen, "not a libmms database (application_id %lld)",
			 (long long)k->appid);
		return MMS_ECORRUPT;
	}
	if (k->version > MMS_SCHEMA_VERSION) {
		snprintf(err, errlen, "schema version %lld is newer than this libmms (%d)",
			 (long long)k->version, MMS_SCHEMA_VERSION);
		return MMS_EVERSION;
	}
	if (k->version < MMS_SCHEMA_READABLE && read_only) {
		snprintf(err, errlen, "schema version %lld must be upgraded to %d, which a "
			 "read-only open cannot do", (long long)k->version, MMS_SCHEMA_VERSION);
		return MMS_EVERSION;
	}
	/* an older file opened read-only is read as it is: every version from
	 * MMS_SCHEMA_READABLE on holds the same rows, later ones add checks and
	 * optional columns, read as absent (entity_sql) */
	*work = k->version < MMS_SCHEMA_VERSION && !read_only;
	return MMS_OK;
}

static int migrate(sqlite3 *db, int64_t version, char *err, size_t errlen)
{
	char sql[128];
	int mrc = mms_store_exec(db, "BEGIN IMMEDIATE", err, errlen);
	if (mrc == MMS_OK && version < 1)
		mrc = mms_store_exec(db, schema_v1, err, errlen);
	if (mrc == MMS_OK && version < 2)
		mrc = mms_store_exec(db, schema_v2, err, errlen);
	if (mrc == MMS_OK && version < 3)
		mrc = schema_v3(db, err, errlen);
	if (mrc == MMS_OK && version < 4)
		mrc = mms_store_exec(db, schema_v4, err, errlen);
	if (mrc == MMS_OK && version < 5)
		mrc = mms_store_exec(db, schema_v5, err, errlen);
	if (mrc == MMS_OK && version < 6)
		mrc = mms_store_exec(db, schema_v6, err, errlen);
	if (mrc == MMS_OK && version < 7)
		mrc = mms_store_exec(db, schema_v7, err, errlen);
	if (mrc == MMS_OK && version < 8)
		mrc = mms_store_exec(db, schema_purpose, err, errlen);
	if (mrc == MMS_OK && version < 9)
		mrc = mms_store_exec(db, schema_careers, err, errlen);
	if (mrc == MMS_OK && version < 10)
		mrc = mms_store_exec(db, schema_diagnostics, err, errlen);
	if (mrc == MMS_OK && version < 11)
		mrc = mms_store_exec(db, schema_programmes, err, errlen);
	if (mrc == MMS_OK && version < 12)
		mrc = mms_store_exec(db, schema_mentoring, err, errlen);
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d; PRAGMA application_id=%d",
		 MMS_SCHEMA_VERSION, APPLICATION_ID);
	if (mrc == MMS_OK)
		mrc = mms_store_exec(db, sql, err, errlen);
	if (mrc == MMS_OK)
		mrc = mms_store_exec(db, "COMMIT", err, errlen);
	if (mrc != MMS_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return mrc;
}

/* "file:PATH?immutable=1", PATH escaped as a URI path. */
static char *immutable_uri(const char *path)
{
	mms_buf b = {0};
	mms_buf_puts(&b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7f)
			mms_buf_printf(&b, "%%%02X", *p);
		else
			mms_buf_printf(&b, "%c", *p);
	mms_buf_puts(&b, "?immutable=1");
	char *uri = NULL;
	if (mms_buf_detach(&b, &uri) != MMS_OK)
		return NULL;
	return uri;
}

int mms_store_open(sqlite3 **out, const char *path, int *read_only, int no_create,
		   int busy_ms, char *err, size_t errlen)
{
	int memory = !strcmp(path, ":memory:") || !path[0];
	struct stat st;
	if (!memory && (*read_only || no_create) && stat(path, &st) != 0) {
		snprintf(err, errlen, "%s: no such database", path);
		return MMS_EIO;
	}
	if (!memory && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return MMS_EIO;
	}
	int flags = *read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (!*read_only && !no_create)
		flags |= SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, out, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return fail(*out, rc, err, errlen, path);
	sqlite3_extended_result_codes(*out, 1);
	sqlite3_busy_timeout(*out, busy_ms > 0 ? busy_ms : 5000);
	/* no write permission, or a read-only file system: read-only it is */
	if (!*read_only && sqlite3_db_readonly(*out, "main") == 1)
		*read_only = 1;
	file_kind k = {0};
	int mrc = identify(*out, &k, err, errlen), work = 0;
	if (mrc != MMS_OK && *read_only && !memory) {
		/* a WAL file whose -shm cannot be made (a read-only directory or
		 * mount) is read as immutable: nobody can be writing it there */
		char *uri = immutable_uri(path);
		if (!uri)
			return MMS_ENOMEM;
		sqlite3_close_v2(*out);
		rc = sqlite3_open_v2(uri, out, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
					       SQLITE_OPEN_NOMUTEX, NULL);
		mms_free(uri);
		if (rc != SQLITE_OK)
			return fail(*out, rc, err, errlen, path);
		sqlite3_extended_result_codes(*out, 1);
		mrc = identify(*out, &k, err, errlen);
	}
	if (mrc == MMS_OK)
		mrc = admit(&k, !no_create && !*read_only, *read_only, &work, err, errlen);
	/* only now, knowing the file is ours (or new), may anything be written */
	if (mrc == MMS_OK)
		mrc = mms_store_exec(*out, "PRAGMA foreign_keys=ON", err, errlen);
	if (mrc == MMS_OK && !*read_only && !memory)
		mrc = mms_store_exec(*out, "PRAGMA journal_mode=WAL", err, errlen);
	if (mrc == MMS_OK && work)
		mrc = migrate(*out, k.version, err, errlen);
	return mrc;
}

/* Whether the file's table has the column: an older schema read as it is
 * (read-only) lacks the optional columns later versions added. */
static int has_column(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &st,
			       NULL) != SQLITE_OK)
		return 1; /* let the statement itself say what is wrong */
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc != SQLITE_DONE;
}

/* Whether the file has the table: an older schema read as it is lacks the
 * tables of later versions, read as empty. */
static int has_table(sqlite3 *db, const char *table)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return 1; /* let the statement itself say what is wrong */
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc != SQLITE_DONE;
}

/* The connection to ask which columns it has, for a file of an older
 * schema read as it is; NULL for a file of this build's schema, which has
 * them all (asked once per load, not once per column). */
static sqlite3 *older_file(sqlite3 *db)
{
	int64_t version = MMS_SCHEMA_VERSION;
	pragma_int(db, "PRAGMA user_version", &version);
	return version < MMS_SCHEMA_VERSION ? db : NULL;
}

/* "SELECT "id","code",... FROM "units"", the matching INSERT, or
 * (insert 2) "UPDATE "units" SET "code"=?2,... WHERE "id"=?1"; a SELECT
 * from an older file (probe, from older_file()) reads an optional column
 * it does not have yet as NULL (absent). */
static void entity_sql(sqlite3 *probe, mms_buf *b, int e, int insert)
{
	const entity_def *d = &mms_entities[e];
	if (insert == 2) {
		mms_buf_printf(b, "UPDATE \"%s\" SET ", d->name);
		for (int f = 0; f < d->nfields; f++)
			mms_buf_printf(b, "%s\"%s\"=?%d", f ? "," : "", d->fields[f].name, f + 2);
		mms_buf_puts(b, " WHERE \"id\"=?1");
		return;
	}
	if (insert)
		mms_buf_printf(b, "INSERT INTO \"%s\"(\"id\"", d->name);
	else
		mms_buf_puts(b, "SELECT \"id\"");
	for (int f = 0; f < d->nfields; f++)
		if (!insert && probe && !d->fields[f].required &&
		    !has_column(probe, d->name, d->fields[f].name))
			mms_buf_puts(b, ",NULL");
		else
			mms_buf_printf(b, ",\"%s\"", d->fields[f].name);
	if (!insert) {
		mms_buf_printf(b, " FROM \"%s\" WHERE \"id\" >= ?1 ORDER BY \"id\"", d->name);
		return;
	}
	mms_buf_puts(b, ") VALUES(?");
	for (int f = 0; f < d->nfields; f++)
		mms_buf_puts(b, ",?");
	mms_buf_puts(b, ")");
}

static int prepare(sqlite3 *db, sqlite3 *probe, int e, int insert, sqlite3_stmt **st,
		   char *err, size_t errlen)
{
	mms_buf sql = {0};
	*st = NULL;
	entity_sql(probe, &sql, e, insert);
	if (sql.failed)
		return MMS_ENOMEM;
	int rc = sqlite3_prepare_v2(db, sql.data, -1, st, NULL);
	mms_buf_free(&sql);
	return rc == SQLITE_OK ? MMS_OK : fail(db, rc, err, errlen, "preparing");
}

/* Converts one stored column back to its model value. */
static int load_value(mms_model *m, const field_def *fd, sqlite3_stmt *st,
		      int col, int32_t *out)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		*out = fd->type == F_BOOL ? 0 : mms_field_absent(fd);
		return fd->required ? MMS_ECORRUPT : MMS_OK;
	}
	switch (fd->type) { /* numbers are read as numbers: no text conversion */
	case F_INT:
	case F_BOOL:
	case F_REF:
		*out = (int32_t)sqlite3_column_int64(st, col);
		return MMS_OK;
	case F_DEC:
		*out = (int32_t)llround(sqlite3_column_double(st, col) * MMS_DEC_SCALE);
		return MMS_OK;
	default:
		break;
	}
	const char *text = (const char *)sqlite3_column_text(st, col);
	size_t len = (size_t)sqlite3_column_bytes(st, col);
	if (!text)
		return MMS_ENOMEM;
	switch (fd->type) {
	case F_CODE:
	case F_STR:
		return mms_model_add_str(m, text, len, out);
	case F_DATE:
		return mms_date_parse(text, out) == MMS_OK ? MMS_OK : MMS_ECORRUPT;
	case F_ENUM:
		*out = mms_enum_find(fd->aux, text);
		return *out >= 0 ? MMS_OK : MMS_ECORRUPT;
	case F_SET:
	case F_LIST: {
		int32_t offs[64], n = 0, set = 0;
		for (const char *p = text; p && n < 64;) {
			const char *bar = strchr(p, '|');
			size_t k = bar ? (size_t)(bar - p) : strlen(p);
			if (fd->type == F_SET) {
				char name[32];
				snprintf(name, sizeof name, "%.*s", (int)k, p);
				int v = mms_enum_find(fd->aux, name);
				if (v < 0)
					return MMS_ECORRUPT;
				set |= 1 << v;
			} else if (mms_model_add_str(m, p, k, &offs[n++]) != MMS_OK) {
				return MMS_ENOMEM;
			}
			p = bar ? bar + 1 : NULL;
		}
		if (fd->type == F_SET) {
			*out = set;
			return MMS_OK;
		}
		return mms_model_add_list(m, offs, n, out);
	}
	}
	return MMS_ECORRUPT;
}

/* Checks the references of the rows loaded from SQLite (from[e] on). */
static int check_refs(const mms_model *m, const size_t *from, char *err, size_t errlen)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		const entity_def *d = &mms_entities[e];
		for (size_t id = from[e]; id < m->t[e].count; id++)
			for (int f = 0; f < d->nfields; f++) {
				int32_t v = mms_row(m, e, (int32_t)id)[f];
				if (d->fields[f].type == F_REF && v != -1 &&
				    (v < 0 || (size_t)v >= m->t[d->fields[f].aux].count)) {
					snprintf(err, errlen, "%s id %zu: %s %d names no record",
						 d->name, id, d->fields[f].name, v);
					return MMS_ECORRUPT;
				}
			}
	}
	return MMS_OK;
}

int mms_store_load(sqlite3 *db, mms_model *m, char *err, size_t errlen)
{
	size_t from[MMS_ENTITY_COUNT];
	sqlite3 *probe = older_file(db);
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		const entity_def *d = &mms_entities[e];
		sqlite3_stmt *st;
		from[e] = m->t[e].count;
		if (probe && !has_table(probe, d->name))
			continue;
		int rc = prepare(db, probe, e, 0, &st, err, errlen), src = SQLITE_DONE;
		if (rc == MMS_OK)
			sqlite3_bind_int64(st, 1, (sqlite3_int64)from[e]);
		while (rc == MMS_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
			int32_t id;
			if ((rc = mms_model_add_row(m, e, &id)) != MMS_OK)
				break;
			if (sqlite3_column_int64(st, 0) != id) {
				snprintf(err, errlen, "%s: ids are not dense at id %d", d->name, id);
				rc = MMS_ECORRUPT;
				break;
			}
			int32_t *row = mms_row(m, e, id);
			for (int f = 0; f < d->nfields && rc == MMS_OK; f++) {
				rc = load_value(m, &d->fields[f], st, f + 1, &row[f]);
				if (rc == MMS_ECORRUPT)
					snprintf(err, errlen, "%s id %d: bad value in column %s",
						 d->name, id, d->fields[f].name);
			}
			if (rc == MMS_OK && d->code_field >= 0)
				rc = mms_model_index_code(m, e, id);
		}
		if (rc == MMS_OK && src != SQLITE_DONE)
			rc = fail(db, src, err, errlen, "loading");
		sqlite3_finalize(st);
		if (rc != MMS_OK)
			return rc;
	}
	return check_refs(m, from, err, errlen);
}

/* Whether row id of entity e in the file holds what the model has. */
static int row_matches(sqlite3 *db, sqlite3 *probe, const mms_model *m, int e, int32_t id)
{
	const entity_def *d = &mms_entities[e];
	sqlite3_stmt *st;
	mms_buf sql = {0}, text = {0};
	entity_sql(probe, &sql, e, 0);
	int same = !sql.failed && sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) == SQLITE_OK;
	mms_buf_free(&sql);
	if (!same)
		return 0;
	sqlite3_bind_int64(st, 1, id);
	same = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == id;
	for (int f = 0; same && f < d->nfields; f++) {
		const field_def *fd = &d->fields[f];
		int32_t v = mms_row(m, e, id)[f];
		int null = sqlite3_column_type(st, f + 1) == SQLITE_NULL;
		if (fd->type == F_INT || fd->type == F_BOOL || fd->type == F_REF)
			same = null ? fd->type != F_BOOL && v == mms_field_absent(fd)
				    : sqlite3_column_int64(st, f + 1) == v;
		else if (fd->type == F_DEC)
			same = null ? v == MMS_NONE
				    : llround(sqlite3_column_double(st, f + 1) * MMS_DEC_SCALE) == v;
		else if (null)
			same = !mms_field_present(m, e, id, f);
		else {
			text.len = 0;
			mms_field_text(m, e, id, f, &text);
			const char *s = (const char *)sqlite3_column_text(st, f + 1);
			same = !text.failed && s && (size_t)sqlite3_column_bytes(st, f + 1) == text.len &&
			       !memcmp(s, text.data ? text.data : "", text.len);
		}
	}
	sqlite3_finalize(st);
	mms_buf_free(&text);
	return same;
}

int mms_store_matches(sqlite3 *db, const mms_model *m)
{
	sqlite3 *probe = older_file(db);
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		int32_t n = (int32_t)m->t[e].count;
		if (n > 0 && (!row_matches(db, probe, m, e, 0) || !row_matches(db, probe, m, e, n - 1)))
			return 0;
	}
	return 1;
}

static int bind_value(sqlite3_stmt *st, int col, const mms_model *m, int e,
		      int32_t id, int f, mms_buf *scratch)
{
	const field_def *fd = &mms_entities[e].fields[f];
	int32_t v = mms_row(m, e, id)[f];
	switch (fd->type) {
	case F_INT:
	case F_BOOL:
	case F_REF:
		if (fd->type != F_BOOL && v == mms_field_absent(fd))
			return sqlite3_bind_null(st, col);
		return sqlite3_bind_int64(st, col, v);
	case F_DEC:
		if (v == MMS_NONE)
			return sqlite3_bind_null(st, col);
		return sqlite3_bind_double(st, col, (double)v / MMS_DEC_SCALE);
	default:
		if (!mms_field_present(m, e, id, f))
			return sqlite3_bind_null(st, col);
		scratch->len = 0;
		mms_field_text(m, e, id, f, scratch);
		if (scratch->failed)
			return SQLITE_NOMEM;
		return sqlite3_bind_text(st, col, scratch->data, (int)scratch->len,
					 SQLITE_TRANSIENT);
	}
}

/* Writes rows [from, to) of entity e with the statement of `kind` (1
 * INSERT, 2 UPDATE): both bind the id first and every field after it. */
static int write_rows(sqlite3 *db, const mms_model *m, int e, int kind, size_t from,
		      size_t to, char *err, size_t errlen)
{
	const entity_def *d = &mms_entities[e];
	mms_buf scratch = {0};
	sqlite3_stmt *st;
	int rc = prepare(db, NULL, e, kind, &st, err, errlen); /* writes: this build's schema */
	for (size_t id = from; id < to && rc == MMS_OK; id++) {
		int src = sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
		for (int f = 0; f < d->nfields && src == SQLITE_OK; f++)
			src = bind_value(st, f + 2, m, e, (int32_t)id, f, &scratch);
		if (src == SQLITE_OK)
			src = sqlite3_step(st);
		if (src == SQLITE_DONE && kind == 2 && sqlite3_changes(db) != 1)
			src = SQLITE_NOTFOUND; /* the row is gone from the file */
		if (src != SQLITE_DONE)
			rc = fail(db, src, err, errlen, "writing");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	mms_buf_free(&scratch);
	return rc;
}

int mms_store_write(sqlite3 *db, const mms_model *m, const mms_mark *mark,
		    char *err, size_t errlen)
{
	int rc = MMS_OK;
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++)
		if (m->t[e].count != mark->rows[e])
			rc = write_rows(db, m, e, 1, mark->rows[e], m->t[e].count, err, errlen);
	return rc;
}

int mms_store_update(sqlite3 *db, const mms_model *m, int e, int32_t id, char *err,
		     size_t errlen)
{
	return write_rows(db, m, e, 2, (size_t)id, (size_t)id + 1, err, errlen);
}

int mms_store_load_dead(sqlite3 *db, mms_model *m, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	mms_model_clear_dead(m);
	int src = sqlite3_prepare_v2(db, "SELECT entity, id FROM mms_deleted", -1, &st, NULL);
	if (src == SQLITE_ERROR) /* no table (schema 2 to 5 read as it is): nothing deleted */
		return MMS_OK;
	if (src != SQLITE_OK)
		return fail(db, src, err, errlen, "loading the tombstones");
	int rc = MMS_OK;
	while (rc == MMS_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		sqlite3_int64 id = sqlite3_column_int64(st, 1);
		int e = 0;
		while (name && e < MMS_ENTITY_COUNT && strcmp(mms_entities[e].name, name))
			e++;
		if (!name || e == MMS_ENTITY_COUNT || id < 0 || (size_t)id >= m->t[e].count) {
			snprintf(err, errlen, "mms_deleted: no record %s id %lld to be deleted",
				 name ? name : "(null)", (long long)id);
			rc = MMS_ECORRUPT;
		} else {
			rc = mms_model_set_dead(m, e, (int32_t)id, 1);
		}
	}
	if (rc == MMS_OK && src != SQLITE_DONE)
		rc = fail(db, src, err, errlen, "loading the tombstones");
	sqlite3_finalize(st);
	return rc;
}

int mms_store_kill(sqlite3 *db, int e, int32_t id, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int src = sqlite3_prepare_v2(db, "INSERT INTO mms_deleted(entity, id) VALUES(?1, ?2)", -1,
				     &st, NULL);
	if (src == SQLITE_OK)
		src = sqlite3_bind_text(st, 1, mms_entities[e].name, -1, SQLITE_STATIC);
	if (src == SQLITE_OK)
		src = sqlite3_bind_int(st, 2, id);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	sqlite3_finalize(st);
	return src == SQLITE_DONE ? MMS_OK : fail(db, src, err, errlen, "writing a tombstone");
}
