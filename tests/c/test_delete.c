/*
 * Deletes: refused while live records refer to the record (naming them),
 * cascades, tombstones that keep every other id, exports and indicators
 * equal to those of a database built without the record, other handles and
 * snapshots following, and codes never given again.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "helpers.h"

/* A municipal service M over a school S; a methodist X in M supporting S; a
   teacher T in S (renamed once, so the history holds a name) taking course C
   as X did; a teacher U in S with nothing referring to her. */
#define NETWORK_HEAD                                                                               \
	"{\"units\": [{\"code\": \"M\", \"name\": \"M\", \"level\": \"municipal\", \"kind\": \"municipal_service\"}," \
	"{\"code\": \"S\", \"name\": \"Школа\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}]," \
	"\"staff\": [{\"code\": \"X\", \"name\": \"X\", \"org\": \"M\", \"role\": \"methodist\"},"
#define NETWORK_TAIL                                                                               \
	"{\"code\": \"U\", \"name\": \"Ольга\", \"org\": \"S\", \"role\": \"teacher\"}],"                   \
	"\"staff_links\": [{\"kind\": \"supports\", \"staff\": \"X\", \"unit\": \"S\"}],"                 \
	"\"activities\": [{\"code\": \"C\", \"name\": \"Курс\", \"kind\": \"course\", \"hours\": 36}],"   \
	"\"participations\": [{\"activity\": \"C\", \"staff\": \"X\", \"role\": \"participant\", \"start\": \"2024-03-01\"}"
static const char network[] =
	NETWORK_HEAD
	"{\"code\": \"T\", \"name\": \"Анна\", \"org\": \"S\", \"role\": \"teacher\", \"birth_date\": \"1980-05-02\"},"
	NETWORK_TAIL ",{\"activity\": \"C\", \"staff\": \"T\", \"role\": \"participant\", \"start\": \"2025-03-01\"}]}";
/* The same network never given T. */
static const char without_t[] = NETWORK_HEAD NETWORK_TAIL "]}";

typedef struct fixture {
	char *dir, *path;
	mms_db *db;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	f->path = t_path(f->dir, "d.sqlite");
	f->db = t_open(f->path);
	t_import(f->db, network);
	const char *rename[] = {"name", "Анна Петровна", NULL};
	T_OK(f->db, mms_db_update(f->db, MMS_STAFF, "T", rename, NULL, NULL));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	mms_db_close(f->db);
	t_rmtree(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

static int del(mms_db *db, int e, const char *code, int cascade, mms_report **r)
{
	mms_delete_options o = MMS_DELETE_OPTIONS_INIT;
	o.cascade = cascade;
	o.actor = "tester";
	return mms_db_delete(db, e, code, &o, r);
}

static size_t count(mms_db *db, int e)
{
	size_t n = 0;
	T_OK(db, mms_db_count(db, e, &n));
	return n;
}

/* One cell of the file through a raw connection, as text ("" for NULL). */
static char *raw(const char *path, const char *sql)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	char *v = strdup("");
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		free(v);
		v = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	return v;
}

static void a_record_referred_to_is_refused_and_its_dependents_are_named(void **state)
{
	fixture *f = *state;
	mms_report *r = NULL;
	assert_int_equal(del(f->db, MMS_STAFF, "X", 0, &r), MMS_EREF);
	const char *msg = mms_db_errmsg(f->db);
	if (!strstr(msg, "staff_links/0") || !strstr(msg, "participations/0") ||
	    !strstr(msg, "cascade"))
		fail_msg("the message names no dependents: %s", msg);
	assert_int_equal(mms_report_count(r), 2);
	assert_int_equal(mms_report_code(r, 0), MMS_EREF);
	mms_report_free(r);
	assert_int_equal(count(f->db, MMS_STAFF), 3);
	assert_int_equal(count(f->db, MMS_PARTICIPATION), 2);
	t_find(f->db, MMS_STAFF, "X");
	/* nothing refers to U: deleted without a cascade */
	T_OK(f->db, del(f->db, MMS_STAFF, "U", 0, NULL));
	assert_int_equal(count(f->db, MMS_STAFF), 2);
}

static void a_cascade_deletes_the_dependents_and_keeps_every_other_id(void **state)
{
	fixture *f = *state;
	int32_t x = t_find(f->db, MMS_STAFF, "X"), u = t_find(f->db, MMS_STAFF, "U");
	int32_t t = t_find(f->db, MMS_STAFF, "T"), c = t_find(f->db, MMS_ACTIVITY, "C");
	T_OK(f->db, del(f->db, MMS_STAFF, "T", 1, NULL));
	assert_int_equal(count(f->db, MMS_STAFF), 2);
	assert_int_equal(count(f->db, MMS_PARTICIPATION), 1);
	assert_int_equal(t_find(f->db, MMS_STAFF, "X"), x);
	assert_int_equal(t_find(f->db, MMS_STAFF, "U"), u);
	assert_int_equal(t_find(f->db, MMS_ACTIVITY, "C"), c);
	int32_t id;
	assert_int_equal(mms_db_find(f->db, MMS_STAFF, "T", &id), MMS_ENOTFOUND);
	char *v = NULL;
	assert_int_equal(mms_db_get(f->db, MMS_STAFF, t, "code", &v), MMS_ENOTFOUND);
	assert_int_equal(mms_db_get(f->db, MMS_PARTICIPATION, 1, "role", &v), MMS_ENOTFOUND);
	v = t_get(f->db, MMS_PARTICIPATION, 0, "staff");
	assert_string_equal(v, "X");
	mms_free(v);
	/* the school's staff are U alone */
	mms_idlist *l = NULL;
	mms_staff_filter sf = MMS_STAFF_FILTER_INIT;
	sf.within = t_find(f->db, MMS_UNIT, "S");
	T_OK(f->db, mms_staff_find(f->db, &sf, &l));
	assert_int_equal(mms_idlist_count(l), 1);
	assert_int_equal(mms_idlist_get(l, 0), u);
	mms_idlist_free(l);
	/* a unit's cascade takes its staff, their records and the links to it */
	T_OK(f->db, del(f->db, MMS_UNIT, "S", 1, NULL));
	assert_int_equal(count(f->db, MMS_UNIT), 1);
	assert_int_equal(count(f->db, MMS_STAFF), 1);
	assert_int_equal(count(f->db, MMS_STAFF_LINK), 0);
	assert_int_equal(count(f->db, MMS_PARTICIPATION), 1);
	T_OK(f->db, mms_unit_children(f->db, t_find(f->db, MMS_UNIT, "M"), &l));
	assert_int_equal(mms_idlist_count(l), 0);
	mms_idlist_free(l);
}

/* The row stays for its id, without the person's name or birth date: not in
   the file, not in the history; the deletion is in the history. */
static void a_deleted_person_leaves_no_personal_value_behind(void **state)
{
	fixture *f = *state;
	T_OK(f->db, del(f->db, MMS_STAFF, "T", 1, NULL));
	char *name = raw(f->path, "SELECT name || '|' || coalesce(birth_date, '') FROM staff WHERE code = 'T'");
	assert_string_equal(name, "(deleted)|");
	free(name);
	char *hist = raw(f->path, "SELECT group_concat(coalesce(old, '') || coalesce(new, ''), ';') "
				  "FROM mms_history WHERE entity = 'staff' AND key = 'T'");
	if (strstr(hist, "Анна"))
		fail_msg("the history keeps the name: %s", hist);
	free(hist);
	mms_history *h = NULL;
	T_OK(f->db, mms_db_history(f->db, MMS_PARTICIPATION, "1", &h));
	assert_int_equal(mms_history_count(h), 2); /* added, deleted */
	assert_null(mms_history_field(h, 1));
	assert_string_equal(mms_history_new(h, 1), "deleted");
	assert_string_equal(mms_history_actor(h, 1), "tester");
	mms_history_free(h);
}

static void the_export_equals_that_of_a_database_built_without_the_record(void **state)
{
	fixture *f = *state;
	T_OK(f->db, del(f->db, MMS_STAFF, "T", 1, NULL));
	char *dir = t_tmpdir(), *path = t_path(dir, "w.sqlite");
	mms_db *w = t_open(path);
	t_import(w, without_t);
	char *a = NULL, *b = NULL;
	T_OK(f->db, mms_db_export_json(f->db, &a));
	T_OK(w, mms_db_export_json(w, &b));
	t_cut_history(a);
	t_cut_history(b);
	assert_string_equal(a, b);
	mms_free(a);
	mms_free(b);
	mms_db_close(w);
	t_rmtree(dir);
	free(path);
	free(dir);
}

/* Every indicator at every unit in every year, as computed by the handle
   that deleted (its cached state brought up to the delete) and by a
   database built from its export: the same; and the delete moved some. */
static void every_indicator_equals_its_recomputation_without_the_record(void **state)
{
	fixture *f = *state;
	mms_db_close(f->db);
	t_rmtree(f->dir);
	free(f->dir);
	f->dir = t_tmpdir();
	free(f->path);
	f->path = t_path(f->dir, "demo.sqlite");
	int32_t first;
	f->db = t_demo_with_routes(f->path, &first);
	char *person = t_get(f->db, MMS_ROUTE, first, "staff");
	mms_kpi *ka = NULL, *kb = NULL;
	T_OK(f->db, mms_kpi_open(&ka, f->db));
	size_t n = count(f->db, MMS_UNIT), ni = mms_kpi_count(ka);
	double *before = malloc(ni * 3 * n * sizeof *before), *a = malloc(n * sizeof *a),
	       *b = malloc(n * sizeof *b);
	for (size_t i = 0; i < ni; i++)
		for (int y = 0; y < 3; y++)
			T_OK(f->db, mms_kpi_values(ka, mms_kpi_id(ka, i), 2023 + y, n,
						   before + (i * 3 + (size_t)y) * n, NULL, NULL));
	T_OK(f->db, del(f->db, MMS_STAFF, person, 1, NULL));
	char *json = NULL;
	T_OK(f->db, mms_db_export_json(f->db, &json));
	char *path = t_path(f->dir, "rebuilt.sqlite");
	mms_db *w = t_open(path);
	t_import(w, json);
	T_OK(w, mms_kpi_open(&kb, w));
	int moved = 0;
	for (size_t i = 0; i < ni; i++)
		for (int y = 0; y < 3; y++) {
			const char *id = mms_kpi_id(ka, i);
			T_OK(f->db, mms_kpi_values(ka, id, 2023 + y, n, a, NULL, NULL));
			T_OK(w, mms_kpi_values(kb, id, 2023 + y, n, b, NULL, NULL));
			const double *was = before + (i * 3 + (size_t)y) * n;
			for (size_t u = 0; u < n; u++) {
				if (!(isnan(a[u]) && isnan(b[u])) && fabs(a[u] - b[u]) > 1e-9)
					fail_msg("%s %d unit %zu: %g after the delete, %g rebuilt", id,
						 2023 + y, u, a[u], b[u]);
				moved += !(isnan(a[u]) && isnan(was[u])) && !(fabs(a[u] - was[u]) <= 1e-9);
			}
		}
	assert_true(moved > 0);
	mms_kpi_close(ka);
	mms_kpi_close(kb);
	mms_db_close(w);
	free(path);
	free(json);
	free(before);
	free(a);
	free(b);
	mms_free(person);
}

/* A resource deleted with its develops records and the route steps that
   use it: the route stays with its other steps, its report is written, and
   a new batch never offers the resource. */
static void a_deleted_resource_leaves_routes_their_other_steps_and_plans_without_it(void **state)
{
	fixture *f = *state;
	mms_db_close(f->db);
	free(f->path);
	f->path = t_path(f->dir, "routes.sqlite");
	int32_t first;
	f->db = t_demo_with_routes(f->path, &first);
	char *route = t_get(f->db, MMS_ROUTE, first, "code");
	size_t steps = count(f->db, MMS_ROUTE_STEP), mine = 0;
	char *resource = NULL;
	for (int32_t s = 0; (size_t)s < steps; s++) {
		char *of = t_get(f->db, MMS_ROUTE_STEP, s, "route");
		if (!strcmp(of, route) && mine++ == 0)
			resource = t_get(f->db, MMS_ROUTE_STEP, s, "resource");
		mms_free(of);
	}
	assert_true(mine >= 2 && resource);
	int32_t gone = t_find(f->db, MMS_RESOURCE, resource), id;
	mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
	mms_route_plan *p = NULL;
	o.as_of = "2024-01-15";
	T_OK(f->db, mms_route_plan_batch(f->db, -1, &o, &p));
	size_t offered = 0; /* before the delete, the batch offers it */
	for (size_t r = 0; r < mms_route_plan_count(p); r++)
		for (size_t k = 0; k < mms_route_plan_steps(p, r); k++)
			offered += mms_route_plan_step_resource(p, r, k) == gone;
	assert_true(offered > 0);
	mms_route_plan_free(p);
	T_OK(f->db, del(f->db, MMS_RESOURCE, resource, 1, NULL));
	assert_true(count(f->db, MMS_ROUTE_STEP) < steps);
	assert_int_equal(t_find(f->db, MMS_ROUTE, route), first);
	char *xlsx = t_path(f->dir, "route.xlsx");
	T_OK(f->db, mms_route_report_xlsx(f->db, first, xlsx));
	T_OK(f->db, mms_route_plan_batch(f->db, -1, &o, &p));
	assert_true(mms_route_plan_count(p) > 0);
	for (size_t r = 0; r < mms_route_plan_count(p); r++)
		for (size_t k = 0; k < mms_route_plan_steps(p, r); k++)
			assert_int_not_equal(mms_route_plan_step_resource(p, r, k), gone);
	assert_int_equal(mms_db_find(f->db, MMS_RESOURCE, resource, &id), MMS_ENOTFOUND);
	mms_route_plan_free(p);
	free(xlsx);
	mms_free(resource);
	mms_free(route);
}

/* Another handle, a snapshot written before or after, a read-only open:
   each sees the record gone. */
static void other_handles_and_snapshots_see_the_record_gone(void **state)
{
	fixture *f = *state;
	mms_db *other = t_open(f->path);
	assert_int_equal(count(other, MMS_STAFF), 3);
	T_OK(f->db, mms_db_snapshot(f->db));
	T_OK(f->db, del(f->db, MMS_STAFF, "U", 0, NULL));
	assert_int_equal(count(other, MMS_STAFF), 2);
	int32_t id;
	assert_int_equal(mms_db_find(other, MMS_STAFF, "U", &id), MMS_ENOTFOUND);
	mms_db_close(other);
	T_OK(f->db, mms_db_snapshot(f->db));
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	o.read_only = 1;
	T_OK(other, mms_db_open(&other, f->path, &o));
	assert_int_equal(count(other, MMS_STAFF), 2);
	assert_int_equal(mms_db_find(other, MMS_STAFF, "U", &id), MMS_ENOTFOUND);
	mms_db_close(other);
}

/* A deleted code is not found, and never names another record: adding,
   upserting, updating or deleting it again is refused. */
static void a_deleted_code_is_never_given_again(void **state)
{
	fixture *f = *state;
	T_OK(f->db, del(f->db, MMS_STAFF, "U", 0, NULL));
	const char *again = "{\"staff\": [{\"code\": \"U\", \"name\": \"Ольга\", \"org\": \"S\", \"role\": \"teacher\"}]}";
	char *dir = t_tmpdir(), *file = t_path(dir, "u.json");
	t_write(file, again);
	assert_int_equal(mms_db_import(f->db, file, NULL, NULL), MMS_EDUP);
	if (!strstr(mms_db_errmsg(f->db), "never reused"))
		fail_msg("%s", mms_db_errmsg(f->db));
	mms_import_options io = MMS_IMPORT_OPTIONS_INIT;
	io.mode = MMS_IMPORT_UPSERT;
	assert_int_equal(mms_db_import(f->db, file, &io, NULL), MMS_EDUP);
	const char *up[] = {"name", "Ольга", NULL};
	assert_int_equal(mms_db_update(f->db, MMS_STAFF, "U", up, NULL, NULL), MMS_ENOTFOUND);
	assert_int_equal(del(f->db, MMS_STAFF, "U", 0, NULL), MMS_ENOTFOUND);
	/* nor may a new record refer to it */
	t_write(file, "{\"participations\": [{\"activity\": \"C\", \"staff\": \"U\", \"role\": \"participant\"}]}");
	assert_int_equal(mms_db_import(f->db, file, NULL, NULL), MMS_EREF);
	assert_int_equal(count(f->db, MMS_STAFF), 2);
	t_rmtree(dir);
	free(file);
	free(dir);
}

static void what_no_delete_may_do_is_refused(void **state)
{
	fixture *f = *state;
	mms_delete_options o = MMS_DELETE_OPTIONS_INIT;
	assert_int_equal(mms_db_delete(f->db, MMS_PARTICIPATION, "0", NULL, NULL), MMS_EINVAL);
	assert_int_equal(mms_db_delete(f->db, 99, "X", NULL, NULL), MMS_EINVAL);
	assert_int_equal(mms_db_delete(f->db, MMS_STAFF, "nobody", NULL, NULL), MMS_ENOTFOUND);
	assert_int_equal(mms_db_delete(NULL, MMS_STAFF, "X", NULL, NULL), MMS_EINVAL);
	o.version = 99;
	assert_int_equal(mms_db_delete(f->db, MMS_STAFF, "U", &o, NULL), MMS_EINVAL);
	/* a scoped handle deletes only its own */
	mms_db *scoped = NULL;
	T_OK(scoped, mms_db_open_scoped(&scoped, f->path, NULL, "S"));
	assert_int_equal(mms_db_delete(scoped, MMS_STAFF, "X", NULL, NULL), MMS_EACCES);
	T_OK(scoped, mms_db_delete(scoped, MMS_STAFF, "U", NULL, NULL));
	mms_db_close(scoped);
	/* read-only */
	mms_open_options ro = MMS_OPEN_OPTIONS_INIT;
	ro.read_only = 1;
	T_OK(scoped, mms_db_open(&scoped, f->path, &ro));
	assert_int_equal(mms_db_delete(scoped, MMS_STAFF, "X", NULL, NULL), MMS_EREADONLY);
	mms_db_close(scoped);
	assert_int_equal(count(f->db, MMS_STAFF), 2);
}

/* A file of schema 5 (no tombstones) opened read-only: nothing deleted. */
static void an_older_file_read_as_it_is_has_nothing_deleted(void **state)
{
	fixture *f = *state;
	mms_db_close(f->db);
	/* as schema 5 had it: no tombstones, none of schema 7's route columns, no
	 * mentoring pairs nor route revisions (schema 8) */
	f->db = t_open_read_only_after(f->path, "DROP TABLE mms_deleted; "
				       "ALTER TABLE routes DROP COLUMN developer; "
				       "ALTER TABLE routes DROP COLUMN developer_unit; "
				       "ALTER TABLE routes DROP COLUMN developed_on; "
				       "ALTER TABLE routes DROP COLUMN agreed_by; "
				       "ALTER TABLE routes DROP COLUMN agreed_on; "
				       "ALTER TABLE routes DROP COLUMN approved_by; "
				       "ALTER TABLE routes DROP COLUMN approved_on; "
				       "ALTER TABLE routes DROP COLUMN acknowledged_on; "
				       "ALTER TABLE staff DROP COLUMN person; "
				       "ALTER TABLE staff DROP COLUMN employment; "
				       "DROP TABLE past_values; ALTER TABLE activities DROP COLUMN purpose; "
				       "DROP TABLE route_deficits; DROP TABLE diagnostic_sessions; "
				       "ALTER TABLE diagnostics DROP COLUMN session; "
				       "ALTER TABLE diagnostics DROP COLUMN task; "
				       "ALTER TABLE route_steps DROP COLUMN pair; "
				       "DROP TABLE mentoring_pairs; DROP TABLE route_revisions; "
				       "PRAGMA user_version=5");
	assert_int_equal(count(f->db, MMS_STAFF), 3);
	mms_db_close(f->db);
	/* opened to write, it is migrated and deletes work */
	f->db = t_open(f->path);
	T_OK(f->db, del(f->db, MMS_STAFF, "U", 0, NULL));
	assert_int_equal(count(f->db, MMS_STAFF), 2);
}

/* A cascade deletes what is part of the record, never what only mentions
   it: T's route tutored by X stops the delete of X, cascade or not, naming
   the route; once the tutor is changed, X goes and T's route stays. */
static void a_cascade_never_deletes_what_only_mentions_the_record(void **state)
{
	fixture *f = *state;
	t_import(f->db, "{\"routes\": [{\"code\": \"R-T\", \"staff\": \"T\", \"tutor\": \"X\"}]}");
	mms_report *rep = NULL;
	for (int cascade = 0; cascade < 2; cascade++) {
		assert_int_equal(del(f->db, MMS_STAFF, "X", cascade, NULL), MMS_EREF);
		assert_non_null(strstr(mms_db_errmsg(f->db), "routes/R-T"));
	}
	assert_int_equal(count(f->db, MMS_ROUTE), 1);
	assert_int_equal(count(f->db, MMS_STAFF), 3);
	const char *no_tutor[] = {"tutor", "", NULL};
	T_OK(f->db, mms_db_update(f->db, MMS_ROUTE, "R-T", no_tutor, NULL, NULL));
	T_OK(f->db, del(f->db, MMS_STAFF, "X", 1, &rep));
	mms_report_free(rep);
	assert_int_equal(count(f->db, MMS_ROUTE), 1);
	assert_int_equal(count(f->db, MMS_STAFF), 2);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(a_record_referred_to_is_refused_and_its_dependents_are_named),
		T(a_cascade_deletes_the_dependents_and_keeps_every_other_id),
		T(a_deleted_person_leaves_no_personal_value_behind),
		T(the_export_equals_that_of_a_database_built_without_the_record),
		T(every_indicator_equals_its_recomputation_without_the_record),
		T(a_deleted_resource_leaves_routes_their_other_steps_and_plans_without_it),
		T(other_handles_and_snapshots_see_the_record_gone),
		T(a_deleted_code_is_never_given_again),
		T(what_no_delete_may_do_is_refused),
		T(an_older_file_read_as_it_is_has_nothing_deleted),
		T(a_cascade_never_deletes_what_only_mentions_the_record),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
