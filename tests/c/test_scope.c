/*
 * Access scope: a handle opened on school MUR-SCH-01 of the Murom demo
 * (with diagnostics and a saved batch of routes) tries to read, change and
 * export what belongs to school MUR-SCH-02, its staff and routes, and to the
 * municipal service above, through every public function that takes a
 * handle. Each attempt is refused with MMS_EACCES and a message naming the
 * record and the scope, and a refused change leaves the database as it was.
 * Inside the scope everything works and agrees with an unscoped handle.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "helpers.h"

#define SCOPE "MUR-SCH-01"
#define OTHER "MUR-SCH-02"
#define ABOVE "MUR-CRPK"

typedef struct fixture {
	char *dir, *path;
	mms_db *full, *db; /* the same file without and with the scope */
	int32_t other, above, own;          /* units */
	int32_t other_staff, own_staff;     /* a teacher of each school */
	int32_t other_route, other_step, own_route;
} fixture;

/* A route whose person works at the unit with this code, and its first step. */
static int32_t route_at(mms_db *full, const char *unit, int32_t *step)
{
	size_t nr, ns;
	T_OK(full, mms_db_count(full, MMS_ROUTE, &nr));
	T_OK(full, mms_db_count(full, MMS_ROUTE_STEP, &ns));
	for (int32_t r = 0; r < (int32_t)nr; r++) {
		char *staff = t_get(full, MMS_ROUTE, r, "staff");
		char *org = t_get(full, MMS_STAFF, t_find(full, MMS_STAFF, staff), "org");
		int here = !strcmp(org, unit);
		free(staff);
		free(org);
		if (!here)
			continue;
		char *code = t_get(full, MMS_ROUTE, r, "code");
		for (int32_t s = 0; step && s < (int32_t)ns; s++) {
			char *of = t_get(full, MMS_ROUTE_STEP, s, "route");
			int mine = !strcmp(of, code);
			free(of);
			if (mine) {
				*step = s;
				break;
			}
		}
		free(code);
		return r;
	}
	fail_msg("no route of a person at %s", unit);
	return -1;
}

static int32_t teacher_at(mms_db *full, int32_t unit)
{
	mms_staff_filter f = MMS_STAFF_FILTER_INIT;
	mms_idlist *l;
	f.within = unit;
	f.role = "teacher";
	T_OK(full, mms_staff_find(full, &f, &l));
	assert_true(mms_idlist_count(l) > 0);
	int32_t id = mms_idlist_get(l, 0);
	mms_idlist_free(l);
	return id;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = t_tmpdir();
	f->path = t_path(f->dir, "scope.db");
	int32_t first;
	f->full = t_demo_with_routes(f->path, &first);
	f->other = t_find(f->full, MMS_UNIT, OTHER);
	f->above = t_find(f->full, MMS_UNIT, ABOVE);
	f->own = t_find(f->full, MMS_UNIT, SCOPE);
	f->other_staff = teacher_at(f->full, f->other);
	f->own_staff = teacher_at(f->full, f->own);
	f->other_route = route_at(f->full, OTHER, &f->other_step);
	f->own_route = route_at(f->full, SCOPE, NULL);
	T_OK(f->full, mms_db_open_scoped(&f->db, f->path, NULL, SCOPE));
	assert_int_equal(mms_db_scope(f->db), f->own);
	assert_int_equal(mms_db_scope(f->full), -1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	mms_db_close(f->db);
	mms_db_close(f->full);
	t_rmtree(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

/* The call was refused for the scope, and the message says what and why. */
#define REFUSED(db, call, what)                                                                   \
	do {                                                                                      \
		int rc_ = (call);                                                                 \
		if (rc_ != MMS_EACCES)                                                            \
			fail_msg("%s -> %d (%s), not MMS_EACCES", #call, rc_, mms_errstr(rc_));   \
		const char *msg_ = mms_db_errmsg(db);                                             \
		if (!strstr(msg_, what) || !strstr(msg_, SCOPE))                                  \
			fail_msg("%s: message \"%s\" should name %s and %s", #call, msg_, what,   \
				 SCOPE);                                                          \
	} while (0)

#define KPI_REFUSED(kpi, call, what)                                                              \
	do {                                                                                      \
		int rc_ = (call);                                                                 \
		if (rc_ != MMS_EACCES)                                                            \
			fail_msg("%s -> %d, not MMS_EACCES", #call, rc_);                         \
		if (!strstr(mms_kpi_errmsg(kpi), what))                                           \
			fail_msg("%s: message \"%s\" should name %s", #call, mms_kpi_errmsg(kpi), \
				 what);                                                           \
	} while (0)

static void reads_outside_are_refused(void **state)
{
	fixture *f = *state;
	mms_db *db = f->db;
	char *text = NULL;
	int32_t id;
	mms_idlist *l = NULL;
	/* a record outside is named as the call named it: by id, never by its
	   code (which would map ids to staff codes), and found by code, never
	   by its id */
	char *code = t_get(f->full, MMS_STAFF, f->other_staff, "code");
	char *route = t_get(f->full, MMS_ROUTE, f->other_route, "code"), by_id[64];
	REFUSED(db, mms_db_get(db, MMS_UNIT, f->other, "name", &text), "unit #");
	assert_null(text);
	assert_null(strstr(mms_db_errmsg(db), OTHER));
	snprintf(by_id, sizeof by_id, "staff member #%d ", f->other_staff);
	REFUSED(db, mms_db_get(db, MMS_STAFF, f->other_staff, "name", &text), by_id);
	assert_null(strstr(mms_db_errmsg(db), code));
	REFUSED(db, mms_db_get(db, MMS_ROUTE, f->other_route, "staff", &text), "route #");
	assert_null(strstr(mms_db_errmsg(db), route));
	REFUSED(db, mms_db_get(db, MMS_ROUTE_STEP, f->other_step, "resource", &text), "step");
	REFUSED(db, mms_db_find(db, MMS_UNIT, OTHER, &id), OTHER);
	assert_null(strchr(mms_db_errmsg(db), '#'));
	REFUSED(db, mms_db_find(db, MMS_STAFF, code, &id), code);
	assert_null(strchr(mms_db_errmsg(db), '#'));
	free(code);
	free(route);

	/* the network, from a unit outside or above the scope */
	REFUSED(db, mms_unit_children(db, f->above, &l), ABOVE);
	REFUSED(db, mms_unit_subtree(db, f->other, &l), "unit #");
	REFUSED(db, mms_unit_path(db, f->other, &l), "unit #");
	REFUSED(db, mms_unit_links(db, f->other, &l), "unit #");
	assert_null(l);
	mms_unit_filter uf = MMS_UNIT_FILTER_INIT;
	uf.within = f->other;
	REFUSED(db, mms_unit_find(db, &uf, &l), "unit #");
	mms_staff_filter sf = MMS_STAFF_FILTER_INIT;
	sf.within = f->above;
	REFUSED(db, mms_staff_find(db, &sf, &l), ABOVE);
	REFUSED(db, mms_network_stats(db, f->other, &text), "unit #");
	mms_typology *t = NULL;
	REFUSED(db, mms_typology_compute(db, f->other, &t), "unit #");
	mms_coverage *c = NULL;
	REFUSED(db, mms_coverage_compute(db, f->above, &c), ABOVE);
	REFUSED(db, mms_network_dot(db, f->above, NULL, &text), ABOVE);
	assert_null(text);

	/* indicators */
	mms_kpi *k;
	T_OK(db, mms_kpi_open(&k, db));
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	KPI_REFUSED(k, mms_kpi_value(k, "murom.P6", f->other, 2024, &r), "unit #");
	KPI_REFUSED(k, mms_kpi_value(k, "murom.P6", f->above, 2024, &r), ABOVE);
	KPI_REFUSED(k, mms_kpi_group_value(k, "murom.P6", f->other, "members", 2024, &r), "unit #");
	KPI_REFUSED(k, mms_kpi_records(k, "murom.P6", f->other, 2024, 1, &l), "unit #");
	mms_sample_options so = MMS_SAMPLE_OPTIONS_INIT;
	so.within = f->above;
	so.share = 0.5;
	mms_sample *s = NULL;
	KPI_REFUSED(k, mms_sample_draw(k, &so, &s), ABOVE);
	mms_cluster_options co = MMS_CLUSTER_OPTIONS_INIT;
	co.within = f->above;
	co.indicators = "murom.P6";
	mms_clusters *cl = NULL;
	KPI_REFUSED(k, mms_clusters_compute(k, &co, &cl), ABOVE);
	char *xlsx = t_path(f->dir, "kpi.xlsx");
	mms_kpi_report_options ro = MMS_KPI_REPORT_OPTIONS_INIT;
	ro.unit = f->other;
	ro.from = ro.to = 2024;
	KPI_REFUSED(k, mms_kpi_report_xlsx(k, xlsx, &ro), "unit #");
	mms_kpi_close(k);

	/* routes */
	mms_deficits *d = NULL;
	REFUSED(db, mms_deficits_compute(db, f->other_staff, NULL, &d), "staff");
	mms_route_plan *p = NULL;
	REFUSED(db, mms_route_plan_person(db, f->other_staff, NULL, &p), "staff");
	REFUSED(db, mms_route_plan_batch(db, f->other, NULL, &p), "unit #");
	assert_null(p);
	const char *st = NULL;
	REFUSED(db, mms_route_status(db, f->other_route, &st), "route");
	REFUSED(db, mms_route_step_status(db, f->other_step, &st), "step");
	REFUSED(db, mms_route_report_xlsx(db, f->other_route, xlsx), "route");
	free(xlsx);
}

/* Every refused change leaves the database exactly as it was. */
static void changes_outside_are_refused(void **state)
{
	fixture *f = *state;
	mms_db *db = f->db;
	char *before, *after;
	T_OK(f->full, mms_db_export_json(f->full, &before));
	char *sch2 = t_get(f->full, MMS_STAFF, f->other_staff, "code");

	REFUSED(db, t_insert(db, MMS_STAFF, NULL, "code", "NEW-1", "name", "Новый", "org", OTHER,
			     "role", "teacher", NULL), OTHER);
	REFUSED(db, t_insert(db, MMS_UNIT, NULL, "code", "NEW-U", "name", "Новая", "level",
			     "institutional", "kind", "school", "parent", ABOVE, NULL), "NEW-U");
	REFUSED(db, t_insert(db, MMS_FACT, NULL, "unit", ABOVE, "key", "k", "year", "2024",
			     "value", "1", NULL), "fact");
	REFUSED(db, t_insert(db, MMS_DIAGNOSTIC, NULL, "staff", sch2, "competency", "T.NL.1",
			     "date", "2024-02-01", "score", "50", NULL), "diagnostic");
	REFUSED(db, t_insert(db, MMS_COMPETENCY, NULL, "code", "X9", "name", "x", "framework",
			     "teachers", "kind", "competency", NULL), "frameworks");
	/* an import: one record inside, one outside; all or nothing */
	mms_report *rep = NULL;
	REFUSED(db, mms_db_import_json(db,
		"{\"staff\": [{\"code\": \"IN-1\", \"name\": \"a\", \"org\": \"" SCOPE "\", "
		"\"role\": \"teacher\"}, {\"code\": \"OUT-1\", \"name\": \"b\", \"org\": \"" OTHER "\", "
		"\"role\": \"teacher\"}]}", NULL, &rep), OTHER);
	assert_int_equal(mms_report_count(rep), 1);
	assert_string_equal(mms_report_location(rep, 0), "/staff/1/org");
	mms_report_free(rep);
	REFUSED(db, mms_framework_import_case(db, "{}", "x", NULL), "frameworks");

	mms_kpi *k;
	T_OK(db, mms_kpi_open(&k, db));
	KPI_REFUSED(k, mms_kpi_target_set(k, "murom.P6", f->other, 2025, 90), "unit #");
	mms_kpi_close(k);

	REFUSED(db, mms_route_set_status(db, f->other_route, "approved", "2024-02-01", NULL),
		"route");
	REFUSED(db, mms_route_step_set_status(db, f->other_step, "done", "2024-02-01", NULL),
		"step");
	/* a plan made by an unscoped handle for someone outside cannot be saved */
	mms_route_plan *p;
	mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
	o.as_of = "2025-01-15";
	T_OK(f->full, mms_route_plan_person(f->full, f->other_staff, &o, &p));
	REFUSED(db, mms_route_plan_save(db, p, "X-", NULL), "route");
	mms_route_plan_free(p);

	T_OK(f->full, mms_db_export_json(f->full, &after));
	assert_string_equal(before, after);
	mms_free(before);
	mms_free(after);
	free(sch2);
}

/* Whether a unit code of the export lies in the scope or above it. */
static int allowed_unit(mms_db *full, int32_t scope, const char *code)
{
	int32_t u = t_find(full, MMS_UNIT, code);
	mms_idlist *path;
	T_OK(full, mms_unit_path(full, u, &path)); /* u inside: scope on its path */
	int ok = 0;
	for (size_t i = 0; i < mms_idlist_count(path); i++)
		ok |= mms_idlist_get(path, i) == scope;
	mms_idlist_free(path);
	T_OK(full, mms_unit_path(full, scope, &path)); /* u above: on the scope's path */
	for (size_t i = 0; i < mms_idlist_count(path); i++)
		ok |= mms_idlist_get(path, i) == u;
	mms_idlist_free(path);
	return ok;
}

static void check_export(fixture *f, const char *text)
{
	assert_null(strstr(text, OTHER "\""));
	char *code = t_get(f->full, MMS_STAFF, f->other_staff, "code");
	assert_null(strstr(text, code));
	free(code);
	json_object *doc = json_tokener_parse(text);
	assert_non_null(doc);
	json_object *units = json_object_object_get(doc, "units");
	for (size_t i = 0; i < json_object_array_length(units); i++) {
		json_object *u = json_object_object_get(json_object_array_get_idx(units, i), "code");
		assert_true(allowed_unit(f->full, f->own, json_object_get_string(u)));
	}
	/* the export holds exactly what the scoped handle counts */
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		size_t n;
		T_OK(f->db, mms_db_count(f->db, e, &n));
		assert_int_equal(json_object_array_length(json_object_object_get(doc, mms_entity_name(e))), n);
	}
	json_object_put(doc);
}

static void exports_hold_only_the_scope(void **state)
{
	fixture *f = *state;
	char *text, *ptext;
	T_OK(f->db, mms_db_export_json(f->db, &text));
	check_export(f, text);
	T_OK(f->db, mms_db_export_json_pseudonymised(f->db, "region-33 secret for the 2024 report: Tq8vXz", &ptext));
	assert_null(strstr(ptext, OTHER "\""));
	mms_free(ptext);

	/* the file export is the same text, and imports on its own */
	char *json = t_path(f->dir, "scope.json"), *copy = t_path(f->dir, "copy.db");
	T_OK(f->db, mms_db_export(f->db, json, NULL));
	char *file = t_read(json, NULL);
	assert_string_equal(file, text);
	mms_db *c = t_open(copy);
	T_OK(c, mms_db_import(c, json, NULL, NULL));
	size_t n, m;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		T_OK(c, mms_db_count(c, e, &n));
		T_OK(f->db, mms_db_count(f->db, e, &m));
		assert_int_equal(n, m);
	}
	/* with routes, steps and events of the scope's own people */
	T_OK(c, mms_db_count(c, MMS_ROUTE_STEP, &n));
	assert_true(n > 0);
	mms_db_close(c);
	/* a route-level event (no step) of the scope's own route, for the CSV below */
	T_OK(f->full, mms_route_set_status(f->full, f->own_route, "cancelled", "2024-02-01", NULL));
	char *csv = t_path(f->dir, "csv");
	mms_export_options eo = MMS_EXPORT_OPTIONS_INIT;
	eo.format = MMS_FORMAT_CSV;
	T_OK(f->db, mms_db_export(f->db, csv, &eo));
	char *units_csv = t_path(csv, "units.csv"), *units = t_read(units_csv, NULL);
	assert_null(strstr(units, OTHER ","));
	assert_non_null(strstr(units, SCOPE ","));
	/* the CSV files import on their own too, steps renumbered */
	char *csv_copy = t_path(f->dir, "csv.db");
	c = t_open(csv_copy);
	T_OK(c, mms_db_import(c, csv, NULL, NULL));
	T_OK(c, mms_db_count(c, MMS_ROUTE_EVENT, &n));
	T_OK(f->db, mms_db_count(f->db, MMS_ROUTE_EVENT, &m));
	assert_true(n == m && n > 0);
	mms_db_close(c);
	free(csv_copy);
	free(units);
	free(units_csv);
	free(csv);
	free(file);
	free(json);
	free(copy);
	mms_free(text);
}

/* Inside the scope: reads, values, routes and writes work as unscoped. */
static void inside_the_scope_works(void **state)
{
	fixture *f = *state;
	mms_db *db = f->db;
	size_t n_scoped, n_full;
	T_OK(db, mms_db_count(db, MMS_STAFF, &n_scoped));
	T_OK(f->full, mms_db_count(f->full, MMS_STAFF, &n_full));
	assert_true(n_scoped > 0 && n_scoped < n_full);
	/* the units above read as reference, but are not the scope's own */
	char *name = t_get(db, MMS_UNIT, f->above, "name");
	free(name);
	mms_idlist *l;
	T_OK(db, mms_unit_path(db, f->own, &l));
	assert_true(mms_idlist_count(l) >= 3);
	mms_idlist_free(l);
	T_OK(db, mms_unit_find(db, NULL, &l));
	for (size_t i = 0; i < mms_idlist_count(l); i++)
		assert_int_not_equal(mms_idlist_get(l, i), f->other);
	mms_idlist_free(l);
	char *stats;
	T_OK(db, mms_network_stats(db, -1, &stats)); /* -1 is the scope */
	mms_free(stats);

	mms_kpi *ks, *kf;
	T_OK(db, mms_kpi_open(&ks, db));
	T_OK(f->full, mms_kpi_open(&kf, f->full));
	for (size_t i = 0; i < mms_kpi_count(ks); i++) {
		mms_kpi_result a = MMS_KPI_RESULT_INIT, b = MMS_KPI_RESULT_INIT;
		T_OK(db, mms_kpi_value(ks, mms_kpi_id(ks, i), f->own, 2024, &a));
		T_OK(f->full, mms_kpi_value(kf, mms_kpi_id(kf, i), f->own, 2024, &b));
		assert_int_equal(a.defined, b.defined);
		if (a.defined)
			assert_true(a.value == b.value);
	}
	/* all units in one call: the scope's own as unscoped, the rest NaN */
	size_t nunits;
	T_OK(f->full, mms_db_count(f->full, MMS_UNIT, &nunits));
	double *vs = calloc(nunits, sizeof *vs), *vf = calloc(nunits, sizeof *vf);
	T_OK(db, mms_kpi_values(ks, "murom.pd_every_3_years", 2024, nunits, NULL, vs, NULL));
	T_OK(f->full, mms_kpi_values(kf, "murom.pd_every_3_years", 2024, nunits, NULL, vf, NULL));
	assert_true(vs[f->own] == vf[f->own] && vf[f->own] > 0);
	assert_true(isnan(vs[f->other]) && isnan(vs[f->above]) && !isnan(vf[f->other]));
	free(vs);
	free(vf);
	mms_kpi_close(ks);
	mms_kpi_close(kf);

	mms_deficits *d;
	T_OK(db, mms_deficits_compute(db, f->own_staff, NULL, &d));
	mms_deficits_free(d);
	const char *status;
	T_OK(db, mms_route_status(db, f->own_route, &status));
	T_OK(db, mms_route_set_status(db, f->own_route, "cancelled", "2024-03-01", "приказ"));
	/* a batch over the whole scope plans only its people, and saves */
	mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
	o.as_of = "2025-01-15";
	mms_route_plan *p;
	T_OK(db, mms_route_plan_batch(db, -1, &o, &p));
	assert_true(mms_route_plan_count(p) > 0);
	for (size_t r = 0; r < mms_route_plan_count(p); r++) {
		char *org = t_get(f->full, MMS_STAFF, mms_route_plan_staff(p, r), "org");
		assert_true(allowed_unit(f->full, f->own, org));
		free(org);
	}
	T_OK(db, mms_route_plan_save(db, p, "S-", NULL));
	mms_route_plan_free(p);
	int32_t id;
	T_OK(db, t_insert(db, MMS_STAFF, &id, "code", "NEW-IN", "name", "Новый", "org", SCOPE,
			  "role", "teacher", NULL));
	T_OK(f->full, mms_db_refresh(f->full));
	assert_int_equal(t_find(f->full, MMS_STAFF, "NEW-IN"), id);
}

/* On the smallest chain (region, service, school) a handle scoped to the
   school reads the two units above it as reference and owns only itself. */
static void the_whole_chain_above_is_reference(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "chain.db");
	mms_db *db = t_open(path);
	t_import(db, "{\"units\": [{\"code\": \"R\", \"name\": \"R\", \"level\": \"regional\", \"kind\": \"institute\"},"
		     "{\"code\": \"M\", \"name\": \"M\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\"},"
		     "{\"code\": \"S\", \"name\": \"S\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}]}");
	mms_db_close(db);
	T_OK(db, mms_db_open_scoped(&db, path, NULL, "S"));
	size_t n;
	T_OK(db, mms_db_count(db, MMS_UNIT, &n));
	assert_int_equal(n, 3);
	char *name = t_get(db, MMS_UNIT, t_find(db, MMS_UNIT, "R"), "name");
	free(name);
	mms_idlist *l;
	assert_int_equal(mms_unit_children(db, t_find(db, MMS_UNIT, "R"), &l), MMS_EACCES);
	mms_db_close(db);
	t_rmtree(dir);
	free(path);
	free(dir);
}

/*
 * The write rule, entity by entity, on a small chain: region REG, municipal
 * service MUN (with association MUN-A and community MUN-C), school SCH (the
 * scope, with association SCH-A) and its sibling SIB. Methodist MET works at
 * MUN, teacher TCH at SCH, TSIB at SIB. For every entity one record that
 * belongs to the school is written through the scoped handle, and one that
 * belongs to the service above, though it names the school's activity,
 * association, tutor or resource, is refused with a message saying whose it
 * is (steps and events of the methodist's route, which the school cannot
 * even read, are refused as outside). The unit each belongs to is the one
 * the indicators count it at.
 */
static const char chain_json[] =
	"{\"units\": ["
	"{\"code\": \"REG\", \"name\": \"r\", \"level\": \"regional\", \"kind\": \"institute\"},"
	"{\"code\": \"MUN\", \"name\": \"m\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"REG\"},"
	"{\"code\": \"MUN-A\", \"name\": \"ma\", \"level\": \"municipal\", \"kind\": \"municipal_association\", \"parent\": \"MUN\"},"
	"{\"code\": \"MUN-C\", \"name\": \"mc\", \"level\": \"municipal\", \"kind\": \"community\", \"parent\": \"MUN\"},"
	"{\"code\": \"SCH\", \"name\": \"s\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"MUN\"},"
	"{\"code\": \"SCH-A\", \"name\": \"sa\", \"level\": \"subunit\", \"kind\": \"school_association\", \"parent\": \"SCH\"},"
	"{\"code\": \"SIB\", \"name\": \"o\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"MUN\"}],"
	"\"staff\": ["
	"{\"code\": \"MET\", \"name\": \"Методистова\", \"org\": \"MUN\", \"role\": \"methodist\"},"
	"{\"code\": \"TCH\", \"name\": \"Учителева\", \"org\": \"SCH\", \"role\": \"teacher\"},"
	"{\"code\": \"TSIB\", \"name\": \"Соседова\", \"org\": \"SIB\", \"role\": \"teacher\"}],"
	"\"activities\": ["
	"{\"code\": \"ACT-S\", \"name\": \"s\", \"kind\": \"event\", \"organizer\": \"SCH\", \"start\": \"2024-03-01\"},"
	"{\"code\": \"ACT-M\", \"name\": \"m\", \"kind\": \"event\", \"organizer\": \"MUN\", \"start\": \"2024-03-01\"}],"
	"\"competencies\": [{\"code\": \"C1\", \"name\": \"c\", \"framework\": \"t\", \"kind\": \"competency\"}],"
	"\"resources\": ["
	"{\"code\": \"RES-S\", \"name\": \"s\", \"kind\": \"seminar\", \"provider\": \"SCH\"},"
	"{\"code\": \"RES-M\", \"name\": \"m\", \"kind\": \"seminar\", \"provider\": \"MUN\"}],"
	"\"routes\": [{\"code\": \"RT-TCH\", \"staff\": \"TCH\"}, {\"code\": \"RT-MET\", \"staff\": \"MET\"}]}";

typedef struct write_case {
	const char *entity;
	const char *inside;  /* belongs to SCH: written */
	const char *outside; /* belongs to MUN: refused, the message naming `whose` */
	const char *whose;
} write_case;

static const write_case write_cases[] = {
	{"units", "{\"code\": \"U-IN\", \"name\": \"g\", \"level\": \"subunit\", \"kind\": \"creative_group\", \"parent\": \"SCH\"}",
	 "{\"code\": \"U-OUT\", \"name\": \"g\", \"level\": \"municipal\", \"kind\": \"creative_group\", \"parent\": \"MUN\"}",
	 "U-OUT"},
	{"links", "{\"kind\": \"agreement\", \"from\": \"SCH\", \"to\": \"MUN\"}",
	 "{\"kind\": \"curatorship\", \"from\": \"MUN\", \"to\": \"SCH\"}", "belongs to unit \"MUN\""},
	{"staff", "{\"code\": \"T-IN\", \"name\": \"a\", \"org\": \"SCH\", \"role\": \"teacher\"}",
	 "{\"code\": \"T-OUT\", \"name\": \"b\", \"org\": \"MUN\", \"role\": \"methodist\"}", "belongs to unit \"MUN\""},
	{"staff_links", "{\"kind\": \"member\", \"staff\": \"TCH\", \"unit\": \"SCH-A\"}",
	 "{\"kind\": \"member\", \"staff\": \"MET\", \"unit\": \"SCH-A\"}", "belongs to unit \"MUN\""},
	{"activities", "{\"code\": \"A-IN\", \"name\": \"a\", \"kind\": \"event\", \"organizer\": \"SCH\"}",
	 "{\"code\": \"A-OUT\", \"name\": \"b\", \"kind\": \"event\", \"organizer\": \"MUN\", \"provider\": \"SCH\"}",
	 "belongs to unit \"MUN\""},
	{"participations", "{\"activity\": \"ACT-M\", \"staff\": \"TCH\", \"role\": \"participant\"}",
	 "{\"activity\": \"ACT-S\", \"staff\": \"MET\", \"role\": \"participant\"}", "belongs to unit \"MUN\""},
	{"participations", "{\"activity\": \"ACT-M\", \"unit\": \"SCH\", \"role\": \"participant\"}",
	 "{\"activity\": \"ACT-S\", \"unit\": \"MUN\", \"role\": \"participant\"}", "belongs to unit \"MUN\""},
	{"targets", "{\"indicator\": \"murom.P6\", \"unit\": \"SCH\", \"year\": 2025, \"value\": 50}",
	 "{\"indicator\": \"murom.P6\", \"unit\": \"MUN\", \"year\": 2025, \"value\": 50}", "belongs to unit \"MUN\""},
	{"facts", "{\"unit\": \"SCH\", \"key\": \"k\", \"year\": 2024, \"value\": 1}",
	 "{\"unit\": \"MUN\", \"key\": \"k\", \"year\": 2024, \"value\": 1}", "belongs to unit \"MUN\""},
	{"competencies", NULL, /* frameworks are shared: written only without a scope */
	 "{\"code\": \"C2\", \"name\": \"c\", \"framework\": \"t\", \"kind\": \"competency\"}", "frameworks"},
	{"diagnostics", "{\"staff\": \"TCH\", \"competency\": \"C1\", \"date\": \"2024-02-01\", \"score\": 50}",
	 "{\"staff\": \"MET\", \"competency\": \"C1\", \"date\": \"2024-02-01\", \"score\": 50}", "belongs to unit \"MUN\""},
	{"resources", "{\"code\": \"R-IN\", \"name\": \"a\", \"kind\": \"mentoring\", \"mentor\": \"TCH\"}",
	 "{\"code\": \"R-OUT\", \"name\": \"b\", \"kind\": \"internship\", \"provider\": \"MUN\", \"site\": \"SCH\"}",
	 "belongs to unit \"MUN\""},
	{"develops", "{\"resource\": \"RES-S\", \"competency\": \"C1\", \"strength\": 2}",
	 "{\"resource\": \"RES-M\", \"competency\": \"C1\", \"strength\": 2}", "belongs to unit \"MUN\""},
	{"routes", "{\"code\": \"RT-IN\", \"staff\": \"TCH\", \"tutor\": \"MET\"}",
	 "{\"code\": \"RT-OUT\", \"staff\": \"MET\", \"tutor\": \"TCH\"}", "belongs to unit \"MUN\""},
	{"route_steps", "{\"route\": \"RT-TCH\", \"resource\": \"RES-M\"}",
	 "{\"route\": \"RT-MET\", \"resource\": \"RES-S\"}", "route RT-MET is outside the scope"},
	{"route_events", "{\"route\": \"RT-TCH\", \"status\": \"approved\", \"date\": \"2024-02-01\"}",
	 "{\"route\": \"RT-MET\", \"status\": \"approved\", \"date\": \"2024-02-01\"}", "route RT-MET is outside the scope"},
};

/* Opens a handle scoped to SCH on a fresh copy of the chain. */
static mms_db *chain_scoped(const char *path, mms_db **full)
{
	*full = t_open(path);
	t_import(*full, chain_json);
	mms_db *db;
	T_OK(*full, mms_db_open_scoped(&db, path, NULL, "SCH"));
	return db;
}

static void every_entity_is_written_by_the_unit_it_belongs_to(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "chain.db");
	mms_db *full, *db = chain_scoped(path, &full);
	char doc[1024];
	int inside = 0, outside = 0;
	for (size_t i = 0; i < sizeof write_cases / sizeof *write_cases; i++) {
		const write_case *c = &write_cases[i];
		int e = -1;
		for (int k = 0; k < MMS_ENTITY_COUNT; k++)
			if (!strcmp(mms_entity_name(k), c->entity))
				e = k;
		assert_true(e >= 0);
		size_t before, after;
		if (c->inside) {
			T_OK(db, mms_db_count(db, e, &before));
			snprintf(doc, sizeof doc, "{\"%s\": [%s]}", c->entity, c->inside);
			int rc = mms_db_import_json(db, doc, NULL, NULL);
			if (rc != MMS_OK)
				fail_msg("%s inside the scope: %s", c->entity, mms_db_errmsg(db));
			T_OK(db, mms_db_count(db, e, &after));
			assert_int_equal(after, before + 1);
			inside++;
		}
		char *was;
		T_OK(full, mms_db_refresh(full));
		T_OK(full, mms_db_export_json(full, &was));
		snprintf(doc, sizeof doc, "{\"%s\": [%s]}", c->entity, c->outside);
		mms_report *rep = NULL;
		int rc = mms_db_import_json(db, doc, NULL, &rep);
		if (rc != MMS_EACCES)
			fail_msg("%s outside the scope -> %s: %s", c->entity, mms_errstr(rc), mms_db_errmsg(db));
		const char *msg = mms_db_errmsg(db);
		if (!strstr(msg, c->whose) || !strstr(msg, "\"SCH\""))
			fail_msg("%s: \"%s\" should name %s and the scope", c->entity, msg, c->whose);
		char loc[64];
		snprintf(loc, sizeof loc, "/%s/0", c->entity);
		assert_int_equal(mms_report_count(rep), 1);
		assert_true(!strncmp(mms_report_location(rep, 0), loc, strlen(loc)));
		mms_report_free(rep);
		char *is;
		T_OK(full, mms_db_export_json(full, &is));
		assert_string_equal(was, is);
		mms_free(was);
		mms_free(is);
		outside++;
	}
	print_message("scope: %d records written inside, %d refused outside\n", inside, outside);
	mms_db_close(db);
	mms_db_close(full);
	t_rmtree(dir);
	free(path);
	free(dir);
}

/* What a school may change is what counts at the school: a methodist's
   speech at the school's own event is the service's participation, counted
   at the service and not at the school, so the school cannot write it; the
   school's teacher at the service's event counts at the school, so it can. */
static void the_write_rule_is_the_indicators_attribution(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "chain.db");
	mms_db *full, *db = chain_scoped(path, &full);
	T_OK(full, t_insert(full, MMS_PARTICIPATION, NULL, "activity", "ACT-S", "staff", "MET",
			    "role", "speaker", NULL));
	assert_int_equal(t_insert(db, MMS_PARTICIPATION, NULL, "activity", "ACT-S", "staff", "MET",
				  "role", "participant", NULL), MMS_EACCES);
	T_OK(db, t_insert(db, MMS_PARTICIPATION, NULL, "activity", "ACT-M", "staff", "TCH",
			  "role", "participant", NULL));
	/* the school reads both: each names something of its own */
	size_t n;
	T_OK(db, mms_db_count(db, MMS_PARTICIPATION, &n));
	assert_int_equal(n, 2);
	T_OK(full, mms_db_refresh(full));
	mms_kpi *k;
	T_OK(full, mms_kpi_open(&k, full));
	T_OK(full, mms_kpi_load_json(k, "{\"indicators\": [{\"id\": \"t.parts\", \"name_ru\": \"т\","
				       " \"kind\": \"count\", \"population\": \"participations\","
				       " \"aggregation\": \"sum\"}]}", "t", NULL));
	int32_t sch = t_find(full, MMS_UNIT, "SCH"), mun = t_find(full, MMS_UNIT, "MUN");
	mms_kpi_result at_sch = MMS_KPI_RESULT_INIT, at_mun = MMS_KPI_RESULT_INIT;
	T_OK(full, mms_kpi_value(k, "t.parts", sch, 2024, &at_sch));
	T_OK(full, mms_kpi_value(k, "t.parts", mun, 2024, &at_mun));
	mms_idlist *recs;
	T_OK(full, mms_kpi_records(k, "t.parts", sch, 2024, 1, &recs));
	assert_int_equal(mms_idlist_count(recs), 1); /* the teacher's, written by the school */
	char *staff = t_get(full, MMS_PARTICIPATION, mms_idlist_get(recs, 0), "staff");
	assert_string_equal(staff, "TCH");
	free(staff);
	mms_idlist_free(recs);
	assert_true(at_mun.numerator == 2); /* the service's subtree: both */
	mms_kpi_close(k);
	mms_db_close(db);
	mms_db_close(full);
	t_rmtree(dir);
	free(path);
	free(dir);
}

/* A scoped handle's messages name nothing it may not read: a code taken by
   a record outside the scope is "already used", without which record or its
   id; one taken by a record it may read is named as usual. */
static void a_duplicate_outside_the_scope_names_nothing(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "chain.db");
	mms_db *full, *db = chain_scoped(path, &full);
	mms_report *rep = NULL;
	assert_int_equal(mms_db_import_json(db, "{\"staff\": [{\"code\": \"TSIB\", \"name\": \"x\", "
						"\"org\": \"SCH\", \"role\": \"teacher\"}]}", NULL, &rep),
			 MMS_EDUP);
	const char *msg = mms_report_message(rep, 0);
	if (!strstr(msg, "already used") || strchr(msg, '#') || strstr(msg, "Соседова") ||
	    strstr(msg, "by"))
		fail_msg("\"%s\" names the record outside the scope", msg);
	assert_string_equal(msg, mms_db_errmsg(db));
	mms_report_free(rep);
	/* nor a code it cannot be told from (Latin T for Cyrillic Т, lower case) */
	rep = NULL;
	assert_int_equal(mms_db_import_json(db, "{\"staff\": [{\"code\": \"tsib\", \"name\": \"x\", "
						"\"org\": \"SCH\", \"role\": \"teacher\"}]}", NULL, &rep),
			 MMS_EDUP);
	msg = mms_report_message(rep, 0);
	if (!strstr(msg, "already used") || strchr(msg, '#') || strstr(msg, "TSIB"))
		fail_msg("\"%s\" names the record outside the scope", msg);
	mms_report_free(rep);
	/* the methodist above is reference: the message may say who holds the code */
	assert_int_equal(mms_db_import_json(db, "{\"staff\": [{\"code\": \"MET\", \"name\": \"x\", "
						"\"org\": \"SCH\", \"role\": \"teacher\"}]}", NULL, NULL),
			 MMS_EDUP);
	assert_non_null(strstr(mms_db_errmsg(db), "already used by staff member #0"));
	/* without a scope, as before */
	assert_int_equal(mms_db_import_json(full, "{\"staff\": [{\"code\": \"TSIB\", \"name\": \"x\", "
						  "\"org\": \"SCH\", \"role\": \"teacher\"}]}", NULL, NULL),
			 MMS_EDUP);
	assert_non_null(strstr(mms_db_errmsg(full), "already used by staff member #2"));
	mms_db_close(db);
	mms_db_close(full);
	t_rmtree(dir);
	free(path);
	free(dir);
}

/* A scope naming no unit fails to open, with the code in the message. */
static void unknown_scope_is_refused(void **state)
{
	fixture *f = *state;
	mms_db *db;
	assert_int_equal(mms_db_open_scoped(&db, f->path, NULL, "NO-SUCH"), MMS_ENOTFOUND);
	assert_non_null(strstr(mms_db_errmsg(db), "NO-SUCH"));
	mms_db_close(db);
	assert_int_equal(mms_db_open_scoped(&db, f->path, NULL, NULL), MMS_EINVAL);
	assert_null(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reads_outside_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(changes_outside_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(exports_hold_only_the_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(inside_the_scope_works, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_scope_is_refused, setup, teardown),
		cmocka_unit_test(the_whole_chain_above_is_reference),
		cmocka_unit_test(every_entity_is_written_by_the_unit_it_belongs_to),
		cmocka_unit_test(the_write_rule_is_the_indicators_attribution),
		cmocka_unit_test(a_duplicate_outside_the_scope_names_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
