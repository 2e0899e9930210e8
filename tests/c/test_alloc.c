/*
 * Out of memory: every operation is run with the allocator failing at the
 * 1st, 2nd, ... allocation until it succeeds. Each failure must return
 * MMS_ENOMEM (never crash), leak nothing, and leave the database as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"

static long fail_at, calls, live;

static void *f_malloc(size_t n, void *p)
{
	(void)p;
	if (++calls == fail_at)
		return NULL;
	void *q = malloc(n);
	live += q != NULL;
	return q;
}

static void *f_realloc(void *q, size_t n, void *p)
{
	(void)p;
	if (++calls == fail_at)
		return NULL;
	void *r = realloc(q, n);
	live += r && !q;
	return r;
}

static void f_free(void *q, void *p)
{
	(void)p;
	if (q) {
		live--;
		free(q);
	}
}

static const mms_allocator failing = {MMS_ALLOCATOR_VERSION, f_malloc, f_realloc, f_free, NULL};

static const char base[] =
	"{\"units\": [{\"code\": \"R\", \"name\": \"ИРО\", \"level\": \"regional\", \"kind\": \"institute\", \"directions\": [\"analytical\"]},"
	"{\"code\": \"M\", \"name\": \"ММС\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\", \"territory\": \"T\"}],"
	"\"staff\": [{\"code\": \"T0\", \"name\": \"Анна\", \"org\": \"M\", \"role\": \"methodist\", \"subjects\": [\"история\"]}]}";
static const char more[] =
	"{\"units\": [{\"code\": \"S\", \"name\": \"Школа\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}],"
	"\"links\": [{\"kind\": \"agreement\", \"from\": \"M\", \"to\": \"R\", \"start\": \"2021-01-01\"}],"
	"\"staff\": [{\"code\": \"T1\", \"name\": \"Ольга\", \"org\": \"S\", \"role\": \"teacher\", \"subjects\": [\"физика\", \"химия\"], \"birth_date\": \"1990-01-01\"}],"
	"\"staff_links\": [{\"kind\": \"supports\", \"staff\": \"T0\", \"unit\": \"S\"}],"
	"\"activities\": [{\"code\": \"C\", \"name\": \"Курс\", \"kind\": \"course\", \"hours\": 72}],"
	"\"participations\": [{\"activity\": \"C\", \"staff\": \"T1\", \"role\": \"participant\", \"completed\": true}]}";

/* Records of `more` that belong to M's subtree. */
static const char inside_m[] =
	"{\"units\": [{\"code\": \"S\", \"name\": \"Школа\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}],"
	"\"links\": [{\"kind\": \"agreement\", \"from\": \"M\", \"to\": \"R\", \"start\": \"2021-01-01\"}],"
	"\"staff\": [{\"code\": \"T1\", \"name\": \"Ольга\", \"org\": \"S\", \"role\": \"teacher\"}]}";
typedef int (*op_fn)(mms_db *db);
static char report_path[256], work_dir[256];

static char *export_now(mms_db *db)
{
	char *text = NULL;
	fail_at = 0;
	T_OK(db, mms_db_export_json(db, &text));
	char *copy = strdup(text);
	mms_free(text);
	return copy;
}

/* Runs op with failure points 1, 2, ... until it succeeds; returns how many failed. */
static long exhaust(mms_db *db, op_fn op, const char *name)
{
	char *before = db ? export_now(db) : NULL;
	for (long n = 1;; n++) {
		fail_at = n;
		calls = 0;
		long live_before = live;
		int rc = op(db);
		fail_at = 0; /* 0: the counting allocator never fails */
		if (rc == MMS_OK) {
			free(before);
			return n - 1;
		}
		if (rc != MMS_ENOMEM)
			fail_msg("%s at allocation %ld: %d (%s) %s", name, n, rc, mms_errstr(rc),
				 db ? mms_db_errmsg(db) : "");
		if (live != live_before)
			fail_msg("%s at allocation %ld leaked %ld blocks", name, n, live - live_before);
		if (db) {
			char *after = export_now(db);
			if (strcmp(before, after))
				fail_msg("%s at allocation %ld changed the database", name, n);
			free(after);
		}
		if (n > 100000)
			fail_msg("%s never succeeds", name);
	}
}

static int op_open_close(mms_db *db)
{
	(void)db;
	mms_db *d = NULL;
	int rc = mms_db_open(&d, ":memory:", NULL);
	if (rc == MMS_OK)
		rc = mms_db_import_json(d, base, NULL, NULL);
	mms_db_close(d);
	return rc;
}

static int op_import(mms_db *db)
{
	mms_report *r = NULL;
	int rc = mms_db_import_json(db, more, NULL, &r);
	mms_report_free(r);
	return rc;
}

static int op_queries(mms_db *db)
{
	mms_idlist *a = NULL, *b = NULL, *c = NULL;
	mms_staff_filter f = MMS_STAFF_FILTER_INIT;
	f.subject = "физика";
	int rc = mms_unit_subtree(db, 0, &a);
	if (rc == MMS_OK)
		rc = mms_staff_find(db, &f, &b);
	if (rc == MMS_OK)
		rc = mms_unit_links(db, 0, &c);
	mms_idlist_free(a);
	mms_idlist_free(b);
	mms_idlist_free(c);
	return rc;
}

static int op_reports(mms_db *db)
{
	mms_typology *t = NULL;
	mms_coverage *c = NULL;
	char *dot = NULL, *stats = NULL, *json = NULL, *field = NULL;
	int rc = mms_typology_compute(db, -1, &t);
	if (rc == MMS_OK)
		rc = mms_coverage_compute(db, 0, &c);
	if (rc == MMS_OK)
		rc = mms_network_dot(db, -1, "2022-01-01", &dot);
	if (rc == MMS_OK)
		rc = mms_network_stats(db, 0, &stats);
	if (rc == MMS_OK)
		rc = mms_db_export_json(db, &json);
	if (rc == MMS_OK)
		rc = mms_db_get(db, MMS_STAFF, 1, "subjects", &field);
	mms_typology_free(t);
	mms_coverage_free(c);
	mms_free(dot);
	mms_free(stats);
	mms_free(json);
	mms_free(field);
	return rc;
}

static int op_insert(mms_db *db)
{
	mms_record *r = NULL;
	int rc = mms_record_new(&r, MMS_STAFF);
	if (rc == MMS_OK)
		rc = mms_record_set(r, "code", "T2");
	if (rc == MMS_OK)
		rc = mms_record_set(r, "name", "Мария");
	if (rc == MMS_OK)
		rc = mms_record_set(r, "org", "M");
	if (rc == MMS_OK)
		rc = mms_record_set(r, "role", "teacher");
	if (rc == MMS_OK)
		rc = mms_record_set(r, "subjects", "музыка|ИЗО");
	if (rc == MMS_OK)
		rc = mms_db_insert(db, r, NULL);
	mms_record_free(r);
	return rc;
}

/* Runs op on a database of its own with failure points 1, 2, ... until one
   run never reaches its point: a failure the library absorbs (a message's
   location it could not build) does not end the loop early, since each run
   starts afresh. Returns how many runs failed an allocation. */
static long exhaust_fresh(op_fn op, const char *name)
{
	for (long n = 1;; n++) {
		fail_at = n;
		calls = 0;
		long live_before = live;
		int rc = op(NULL);
		int reached = calls >= n;
		fail_at = 0;
		if (rc != MMS_OK && rc != MMS_ENOMEM)
			fail_msg("%s at allocation %ld: %d (%s)", name, n, rc, mms_errstr(rc));
		if (live != live_before)
			fail_msg("%s at allocation %ld leaked %ld blocks", name, n, live - live_before);
		if (!reached)
			return n - 1;
	}
}

/* The export of d, made with the allocator not failing nor counting. */
static char *export_aside(mms_db *d)
{
	long keep_at = fail_at, keep_calls = calls;
	char *text = NULL, *copy;
	fail_at = 0;
	if (mms_db_export_json(d, &text) != MMS_OK)
		fail_msg("export: %s", mms_db_errmsg(d));
	copy = strdup(text);
	mms_free(text);
	fail_at = keep_at;
	calls = keep_calls;
	return copy;
}

/* A database of its own holding base and more; *before is its export. */
static int fresh(mms_db **d, char **before)
{
	*before = NULL;
	int rc = mms_db_open(d, ":memory:", NULL);
	if (rc == MMS_OK)
		rc = mms_db_import_json(*d, base, NULL, NULL);
	if (rc == MMS_OK)
		rc = mms_db_import_json(*d, more, NULL, NULL);
	if (rc == MMS_OK)
		*before = export_aside(*d);
	return rc;
}

/* Ends a fresh run: a write that failed must have left d as it was. */
static int fresh_end(mms_db *d, char *before, int rc)
{
	if (rc == MMS_ENOMEM && before) {
		char *after = export_aside(d);
		if (strcmp(before, after))
			rc = MMS_ERROR; /* reported as "not MMS_ENOMEM" */
		free(after);
	}
	free(before);
	mms_db_close(d);
	return rc;
}

/* An update of a unit (its children and links checked again) and of a
   person; either leaves its history. */
static int op_update(mms_db *unused)
{
	(void)unused;
	mms_update_options o = MMS_UPDATE_OPTIONS_INIT;
	o.actor = "Иванова";
	const char *unit[] = {"name", "Центр", "territory", "", "directions", "analytical|publishing", NULL};
	const char *person[] = {"subjects", "музыка", "category", "highest", "part_time", "true", NULL};
	mms_db *d = NULL;
	char *before;
	mms_report *r = NULL;
	int rc = fresh(&d, &before);
	if (rc == MMS_OK)
		rc = mms_db_update(d, MMS_UNIT, "M", unit, &o, &r);
	mms_report_free(r);
	if (rc == MMS_OK) {
		free(before);
		before = export_aside(d);
		rc = mms_db_update(d, MMS_STAFF, "T1", person, NULL, NULL);
	}
	return fresh_end(d, before, rc);
}

/* A delete refused for its dependents, then the school's cascade (its
   teacher, her participation, the link supporting it); the counts follow. */
static int op_delete(mms_db *unused)
{
	(void)unused;
	mms_delete_options o = MMS_DELETE_OPTIONS_INIT;
	mms_db *d = NULL;
	char *before;
	mms_report *r = NULL;
	size_t n = 0;
	int rc = fresh(&d, &before);
	if (rc == MMS_OK && (rc = mms_db_delete(d, MMS_UNIT, "S", &o, &r)) == MMS_EREF)
		rc = mms_report_count(r) == 2 ? MMS_OK : MMS_ERROR;
	mms_report_free(r);
	o.cascade = 1;
	o.actor = "Иванова";
	if (rc == MMS_OK && (rc = mms_db_delete(d, MMS_UNIT, "S", &o, NULL)) == MMS_OK) {
		free(before); /* what a failure of the count below must leave */
		before = export_aside(d);
	}
	if (rc == MMS_OK && (rc = mms_db_count(d, MMS_STAFF, &n)) == MMS_OK && n != 1)
		rc = MMS_ERROR;
	return fresh_end(d, before, rc);
}

/* base again and a correction in upsert mode: T1 and the participation
   are matched (by code and by natural key) and changed. */
static int op_upsert(mms_db *unused)
{
	(void)unused;
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.mode = MMS_IMPORT_UPSERT;
	mms_db *d = NULL;
	char *before;
	int rc = fresh(&d, &before);
	if (rc == MMS_OK)
		rc = mms_db_import_json(d, base, &o, NULL);
	if (rc == MMS_OK)
		rc = mms_db_import_json(d, "{\"staff\": [{\"code\": \"T1\", \"position\": \"учитель\"}],"
					"\"participations\": [{\"activity\": \"C\", \"staff\": \"T1\", "
					"\"role\": \"participant\", \"hours\": 72}]}", &o, NULL);
	return fresh_end(d, before, rc);
}

/* A sync of M's subtree refused (the file keeps T1's participation and
   drops T1), a dry run listing the changes, then the sync: T0 changed, T1
   deleted with the participation that is part of her. */
static int op_sync(mms_db *unused)
{
	(void)unused;
	static const char keep_t0[] =
		"{\"staff\": [{\"code\": \"T0\", \"name\": \"Анна\", \"org\": \"M\", \"role\": \"methodist\","
		" \"category\": \"first\"}]}";
	static const char contradicts[] =
		"{\"staff\": [{\"code\": \"T0\", \"name\": \"Анна\", \"org\": \"M\", \"role\": \"methodist\"}],"
		"\"participations\": [{\"activity\": \"C\", \"staff\": \"T1\", \"role\": \"participant\"}]}";
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.mode = MMS_IMPORT_SYNC;
	o.scope = "M";
	o.actor = "feed";
	mms_db *d = NULL;
	char *before;
	mms_report *r = NULL;
	size_t n = 0;
	int rc = fresh(&d, &before);
	if (rc == MMS_OK && (rc = mms_db_import_json(d, contradicts, &o, &r)) == MMS_EREF)
		rc = mms_report_count(r) == 1 ? MMS_OK : MMS_ERROR;
	mms_report_free(r);
	r = NULL;
	o.dry_run = 1;
	if (rc == MMS_OK && (rc = mms_db_import_json(d, keep_t0, &o, &r)) == MMS_OK)
		rc = mms_report_count(r) == 3 ? MMS_OK : MMS_ERROR; /* T0, T1, her participation */
	mms_report_free(r);
	o.dry_run = 0;
	if (rc == MMS_OK && (rc = mms_db_import_json(d, keep_t0, &o, NULL)) == MMS_OK) {
		free(before);
		before = export_aside(d);
	}
	if (rc == MMS_OK && (rc = mms_db_count(d, MMS_STAFF, &n)) == MMS_OK && n != 1)
		rc = MMS_ERROR;
	return fresh_end(d, before, rc);
}

/* The history exported with the records, imported into a database of its
   own, exported again the same; and the pseudonymised export of it. */
static int op_history_exchange(mms_db *unused)
{
	(void)unused;
	const char *pairs[] = {"name", "Центр", NULL};
	mms_db *d = NULL, *other = NULL;
	char *before, *a = NULL, *b = NULL, *p = NULL;
	int rc = fresh(&d, &before);
	if (rc == MMS_OK)
		rc = mms_db_update(d, MMS_UNIT, "M", pairs, NULL, NULL);
	if (rc == MMS_OK)
		rc = mms_db_export_json(d, &a);
	if (rc == MMS_OK)
		rc = mms_db_open(&other, ":memory:", NULL);
	if (rc == MMS_OK)
		rc = mms_db_import_json(other, a, NULL, NULL);
	if (rc == MMS_OK)
		rc = mms_db_export_json(other, &b);
	if (rc == MMS_OK && (strcmp(a, b) || !strstr(a, "\"history\"")))
		rc = MMS_ERROR;
	if (rc == MMS_OK)
		rc = mms_db_export_json_pseudonymised(d, "region-33 secret for the 2024 report: Tq8vXz", &p);
	mms_free(a);
	mms_free(b);
	mms_free(p);
	mms_db_close(other);
	free(before);
	mms_db_close(d);
	return rc;
}

/* The history of a unit changed twice. */
static int op_history(mms_db *unused)
{
	(void)unused;
	const char *pairs[] = {"name", "Центр", "territory", "", NULL};
	mms_db *d = NULL;
	mms_history *h = NULL;
	char *before;
	int rc = fresh(&d, &before);
	if (rc == MMS_OK)
		rc = mms_db_update(d, MMS_UNIT, "M", pairs, NULL, NULL);
	if (rc == MMS_OK)
		rc = mms_db_history(d, MMS_UNIT, "M", &h);
	if (rc == MMS_OK && mms_history_count(h) != 3)
		rc = MMS_ERROR;
	mms_history_free(h);
	free(before);
	mms_db_close(d);
	return rc;
}


static int op_kpi(mms_db *db)
{
	mms_kpi *k = NULL;
	mms_idlist *l = NULL;
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	int rc = mms_kpi_open(&k, db);
	if (rc == MMS_OK)
		rc = mms_kpi_load_json(k, "{\"indicators\": [{\"id\": \"t\", \"name_ru\": \"т\","
				       " \"kind\": \"share\", \"population\": \"staff\","
				       " \"numerator\": \"participated(\\\"course\\\", years = 3)\","
				       " \"aggregation\": \"mean\", \"targets\": {\"2023\": 50, \"2025\": 90}}]}",
				       "t", NULL);
	if (rc == MMS_OK)
		rc = mms_kpi_value(k, "t", 0, 2023, &r);
	if (rc == MMS_OK)
		rc = mms_kpi_value(k, "murom.pd_every_3_years", 0, 2023, &r);
	if (rc == MMS_OK) /* distinct competitions, gaps between activities */
		rc = mms_kpi_value(k, "murom.P8", 0, 2023, &r);
	if (rc == MMS_OK)
		rc = mms_kpi_value(k, "murom.P11", 0, 2023, &r);
	if (rc == MMS_OK)
		rc = mms_kpi_records(k, "t", 0, 2023, 1, &l);
	if (rc == MMS_OK)
		rc = mms_kpi_group_value(k, "t", 1, "members", 2023, &r);
	mms_kpi_report_options o = MMS_KPI_REPORT_OPTIONS_INIT;
	o.unit = 0;
	o.from = 2022;
	o.to = 2023;
	o.indicators = "t,murom.P6";
	if (rc == MMS_OK)
		rc = mms_kpi_report_xlsx(k, report_path, &o);
	mms_sample_options so = MMS_SAMPLE_OPTIONS_INIT;
	mms_sample *s = NULL;
	mms_estimate e = MMS_ESTIMATE_INIT;
	so.share = 1;
	so.filter = "role = \"methodist\"";
	if (rc == MMS_OK)
		rc = mms_sample_draw(k, &so, &s);
	if (rc == MMS_OK)
		rc = mms_sample_estimate(k, s, "t", 2023, &e);
	mms_sample_free(s);
	mms_cluster_options co = MMS_CLUSTER_OPTIONS_INIT;
	mms_clusters *c = NULL;
	co.year = 2023;
	co.indicators = "murom.P6:2,moscow.7";
	if (rc == MMS_OK)
		rc = mms_clusters_compute(k, &co, &c);
	mms_clusters_free(c);
	mms_idlist_free(l);
	mms_kpi_close(k);
	return rc;
}

/* Indicators computed, a teacher added, moved to another organisation and
 * deleted, the indicators brought up to date incrementally after each
 * (indexes extended or moved into, touched records listed, the change log
 * grown), on a database of its own each time, since a failure after the
 * import leaves it in. */
static int op_kpi_incremental(mms_db *db)
{
	(void)db;
	mms_db *d = NULL;
	mms_kpi *k = NULL;
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	size_t full = 0, incremental = 0;
	int rc = mms_db_open(&d, ":memory:", NULL);
	if (rc == MMS_OK)
		rc = mms_db_import_json(d, base, NULL, NULL);
	if (rc == MMS_OK)
		rc = mms_kpi_open(&k, d);
	static const char *const move[] = {"org", "R", NULL};
	mms_delete_options cascade = MMS_DELETE_OPTIONS_INIT;
	cascade.cascade = 1;
	for (int pass = 0; pass < 4; pass++) {
		if (rc == MMS_OK && pass == 1)
			rc = mms_db_import_json(d, "{\"staff\": [{\"code\": \"N1\", \"name\": \"Нина\", "
						   "\"org\": \"M\", \"role\": \"teacher\"}], \"facts\": "
						   "[{\"unit\": \"M\", \"key\": \"murom.vsoko\", \"year\": 2023}]}",
						NULL, NULL);
		if (rc == MMS_OK && pass == 2)
			rc = mms_db_update(d, MMS_STAFF, "N1", move, NULL, NULL);
		if (rc == MMS_OK && pass == 3)
			rc = mms_db_delete(d, MMS_STAFF, "N1", &cascade, NULL);
		if (rc == MMS_OK)
			rc = mms_kpi_value(k, "murom.pd_every_3_years", 0, 2023, &r);
		if (rc == MMS_OK)
			rc = mms_kpi_value(k, "murom.P5", 0, 2023, &r);
	}
	if (rc == MMS_OK) {
		mms_kpi_counters(k, &full, &incremental);
		assert_true(incremental > 0);
	}
	mms_kpi_close(k);
	mms_db_close(d);
	return rc;
}

static const char routes_data[] =
	"{\"competencies\": [{\"code\": \"A\", \"name\": \"A\", \"framework\": \"t\", \"kind\": \"area\"},"
	"{\"code\": \"K\", \"name\": \"K\", \"framework\": \"t\", \"parent\": \"A\", \"kind\": \"competency\"},"
	"{\"code\": \"K.1\", \"name\": \"K.1\", \"framework\": \"t\", \"parent\": \"K\", \"kind\": \"indicator\"}],"
	"\"diagnostics\": [{\"staff\": \"T0\", \"competency\": \"K.1\", \"date\": \"2024-01-01\", \"score\": 30}],"
	"\"resources\": [{\"code\": \"P\", \"name\": \"P\", \"kind\": \"seminar\", \"hours\": 4},"
	"{\"code\": \"Q\", \"name\": \"Q\", \"kind\": \"course\", \"hours\": 36, \"prerequisite\": \"P\", \"capacity\": 3}],"
	"\"develops\": [{\"resource\": \"Q\", \"competency\": \"K\", \"strength\": 3}]}";

static int op_routes(mms_db *db)
{
	mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
	mms_route_plan *p = NULL;
	mms_deficits *d = NULL;
	mms_deficit_options dopt = MMS_DEFICIT_OPTIONS_INIT;
	o.as_of = dopt.as_of = "2024-02-01";
	int rc = mms_deficits_compute(db, 0, &dopt, &d);
	mms_deficits_free(d);
	if (rc == MMS_OK)
		rc = mms_route_plan_batch(db, -1, &o, &p);
	mms_route_plan_free(p);
	p = NULL;
	if (rc == MMS_OK)
		rc = mms_route_plan_person(db, 0, &o, &p);
	if (rc == MMS_OK)
		rc = mms_route_plan_save(db, p, "R-", NULL);
	mms_route_plan_free(p);
	return rc;
}

static int op_route_status(mms_db *db)
{
	double share;
	size_t covered;
	const char *st;
	int rc = mms_route_set_status(db, 0, "approved", "2024-02-02", "приказ");
	if (rc == MMS_OK)
		rc = mms_route_status(db, 0, &st);
	if (rc == MMS_OK)
		rc = mms_route_effectiveness(db, -1, "2024-03-01", &share, &covered);
	return rc;
}

/* The region's tables (read-only): the map as JSON and CSV, the schools'
 * mentoring, the federal figures, a mentor's load. */
static int op_region(mms_db *db)
{
	char *out = NULL;
	size_t load;
	int rc = mms_route_map(db, -1, 2024, MMS_ROUTE_MAP_ALL, MMS_FORMAT_JSON, &out);
	mms_free(out);
	out = NULL;
	if (rc == MMS_OK)
		rc = mms_route_map(db, -1, 2024, MMS_ROUTE_MAP_RESOURCES, MMS_FORMAT_CSV, &out);
	mms_free(out);
	out = NULL;
	if (rc == MMS_OK)
		rc = mms_mentoring_schools(db, -1, 2024, MMS_FORMAT_CSV, &out);
	mms_free(out);
	out = NULL;
	if (rc == MMS_OK)
		rc = mms_route_federal(db, 0, 2024, MMS_FORMAT_JSON, &out);
	mms_free(out);
	if (rc == MMS_OK)
		rc = mms_mentor_load(db, 0, NULL, NULL, &load);
	return rc;
}

/* A signature, then (another operation) a revision: each all or nothing. */
static int op_sign(mms_db *db)
{
	return mms_route_sign(db, 0, MMS_ROUTE_APPROVE, 1, "2024-02-03");
}

static int op_revise(mms_db *db)
{
	return mms_route_revise(db, 0, 1, "2024-02-04", "другой курс", NULL);
}

/* What a route was built on: read-only, recomputed for a route without its
 * frozen basis. */
static int op_basis(mms_db *db)
{
	char *csv = NULL;
	int frozen;
	int rc = mms_route_basis(db, 0, &csv, &frozen);
	mms_free(csv);
	return rc;
}

/* Exports to files, JSON and CSV, plain and pseudonymised: read-only, so
   they run on the shared db. */
static int op_export_files(mms_db *db)
{
	char path[300];
	mms_export_options o = MMS_EXPORT_OPTIONS_INIT;
	snprintf(path, sizeof path, "%s/x.json", work_dir);
	int rc = mms_db_export(db, path, &o);
	o.format = MMS_FORMAT_CSV;
	snprintf(path, sizeof path, "%s/csv", work_dir);
	if (rc == MMS_OK)
		rc = mms_db_export(db, path, &o);
	if (rc == MMS_OK)
		rc = mms_db_export_pseudonymised(db, path, "region-33 secret for the 2024 report: Tq8vXz", &o);
	return rc;
}

/* CSV import of the files op_export_files() wrote, into a new database. */
static int op_import_csv(mms_db *db)
{
	(void)db;
	char path[300];
	mms_db *d = NULL;
	mms_report *r = NULL;
	snprintf(path, sizeof path, "%s/csv", work_dir);
	int rc = mms_db_open(&d, ":memory:", NULL);
	if (rc == MMS_OK)
		rc = mms_db_import(d, path, NULL, &r);
	mms_report_free(r);
	mms_db_close(d);
	return rc;
}

/* Inputs refused for what they would lose or confuse (a key given twice, a
 * lone surrogate, a code with an invisible character, codes a reader cannot
 * tell from the database's or from each other, a misnamed CSV file), from
 * text and from files: each must be refused with its own code, never half
 * read, whichever allocation fails. */
static int op_refused(mms_db *db)
{
	static const struct { const char *text; int rc; } docs[] = {
		{"{\"units\": [{\"code\": \"Q\", \"name\": \"a\", \"name\": \"b\", \"level\": \"municipal\", "
		 "\"kind\": \"municipal_service\", \"parent\": \"R\"}]}", MMS_EDUP},
		{"{\"units\": [{\"code\": \"Q\", \"name\": \"\\ud800\", \"level\": \"municipal\", "
		 "\"kind\": \"municipal_service\", \"parent\": \"R\"}]}", MMS_ETYPE},
		{"{\"units\": [{\"code\": \"Q\\u200b\", \"name\": \"q\", \"level\": \"municipal\", "
		 "\"kind\": \"municipal_service\", \"parent\": \"R\"}]}", MMS_ETYPE},
		{"{\"staff\": [{\"code\": \"t0\", \"name\": \"n\", \"org\": \"M\", \"role\": \"teacher\"},"
		 "{\"code\": \"Ж1\", \"name\": \"n\", \"org\": \"M\", \"role\": \"teacher\"},"
		 "{\"code\": \"ж1\", \"name\": \"n\", \"org\": \"M\", \"role\": \"teacher\"}]}", MMS_EDUP},
	};
	char path[300];
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		mms_report *r = NULL;
		int rc = mms_db_import_json(db, docs[i].text, NULL, &r);
		mms_report_free(r);
		if (rc != docs[i].rc)
			return rc;
	}
	static const struct { const char *name; int rc; } files[] = {
		{"dup.json", MMS_EDUP}, {"misnamed", MMS_ETYPE}, {"pipe", MMS_EIO}};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "%s/%s", work_dir, files[i].name);
		mms_report *r = NULL;
		int rc = mms_db_import(db, path, NULL, &r);
		mms_report_free(r);
		if (rc != files[i].rc)
			return rc;
	}
	return MMS_OK;
}

static void op_refused_setup(void)
{
	char path[300];
	snprintf(path, sizeof path, "%s/dup.json", work_dir);
	t_write(path, "{\"units\": [], \"units\": []}");
	snprintf(path, sizeof path, "%s/misnamed", work_dir);
	assert_int_equal(mkdir(path, 0777), 0);
	snprintf(path, sizeof path, "%s/misnamed/Staff.csv", work_dir);
	t_write(path, "code,name,org,role\nT9,n,M,teacher\n");
	snprintf(path, sizeof path, "%s/pipe", work_dir);
	assert_int_equal(mkfifo(path, 0600), 0);
}

/* A framework out as CASE JSON and into a new database. */
static int op_case(mms_db *db)
{
	char *json = NULL;
	mms_db *d = NULL;
	mms_report *r = NULL;
	int rc = mms_framework_export_case(db, "t", &json);
	if (rc == MMS_OK)
		rc = mms_db_open(&d, ":memory:", NULL);
	if (rc == MMS_OK)
		rc = mms_framework_import_case(d, json, "t", &r);
	mms_report_free(r);
	mms_db_close(d);
	mms_free(json);
	return rc;
}

/* A handle scoped to M on the file op_scoped_setup() made, opened from its
   snapshot: a dry-run import (so the scope's check runs on the staged
   records) and an export. */
static int op_scoped(mms_db *db)
{
	(void)db;
	char path[300];
	mms_db *d = NULL;
	char *text = NULL;
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.dry_run = 1;
	snprintf(path, sizeof path, "%s/scoped.db", work_dir);
	int rc = mms_db_open_scoped(&d, path, NULL, "M");
	if (rc == MMS_OK)
		rc = mms_db_import_json(d, inside_m, &o, NULL);
	if (rc == MMS_OK)
		rc = mms_db_export_json(d, &text);
	mms_free(text);
	mms_db_close(d);
	return rc;
}

static void op_scoped_setup(void)
{
	char path[300];
	fail_at = 0;
	snprintf(path, sizeof path, "%s/scoped.db", work_dir);
	mms_db *d = t_open(path);
	t_import(d, base);
	mms_db_close(d);
}

/* Writing the snapshot of that file. */
static int op_snapshot(mms_db *db)
{
	(void)db;
	char path[300];
	mms_db *d = NULL;
	snprintf(path, sizeof path, "%s/scoped.db", work_dir);
	int rc = mms_db_open(&d, path, NULL);
	if (rc == MMS_OK)
		rc = mms_db_snapshot(d);
	mms_db_close(d);
	return rc;
}

static void every_operation_survives_every_allocation_failure(void **state)
{
	(void)state;
	/* Count every block from first to last, so the final balance is exact. */
	assert_int_equal(mms_allocator_set(&failing), MMS_OK);
	char *dir = t_tmpdir();
	snprintf(report_path, sizeof report_path, "%s/r.xlsx", dir);
	snprintf(work_dir, sizeof work_dir, "%s", dir);
	long points = exhaust(NULL, op_open_close, "open+import");
	mms_db *db = t_open(":memory:");
	t_import(db, base);
	points += exhaust(db, op_import, "import");
	points += exhaust(db, op_queries, "queries");
	points += exhaust(db, op_reports, "reports");
	points += exhaust(db, op_insert, "insert");
	points += exhaust_fresh(op_update, "update");
	points += exhaust_fresh(op_history, "history");
	points += exhaust_fresh(op_delete, "delete");
	points += exhaust_fresh(op_upsert, "upsert");
	long sync_points = exhaust_fresh(op_sync, "sync");
	long exchange_points = exhaust_fresh(op_history_exchange, "history in exchange");
	printf("allocation failure points of sync: %ld, of the history in exchange: %ld\n", sync_points,
	       exchange_points);
	points += sync_points + exchange_points;
	points += exhaust(db, op_kpi, "kpi");
	points += exhaust(NULL, op_kpi_incremental, "kpi incremental");
	fail_at = 0;
	t_import(db, routes_data);
	points += exhaust(db, op_routes, "routes");
	points += exhaust(db, op_route_status, "route status");
	points += exhaust(db, op_region, "region");
	points += exhaust(db, op_sign, "sign");
	points += exhaust(db, op_revise, "revise");
	points += exhaust(db, op_basis, "route basis");
	points += exhaust(db, op_export_files, "export files");
	points += exhaust(db, op_import_csv, "import csv");
	op_refused_setup();
	points += exhaust(db, op_refused, "refused inputs");
	points += exhaust(db, op_case, "case");
	op_scoped_setup();
	points += exhaust(NULL, op_snapshot, "snapshot");
	points += exhaust(NULL, op_scoped, "scoped");
	mms_db_close(db);
	mms_allocator_set(NULL);
	t_rmtree(dir);
	free(dir);
	assert_int_equal(live, 0);
	printf("allocation failure points exercised: %ld\n", points);
	assert_true(points > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_operation_survives_every_allocation_failure),
	};
	return cmocka_run_group_tests_name("alloc", tests, NULL, NULL);
}
