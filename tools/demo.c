/* `mms demo` and the readable network summary it shares with `mms show`. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static void print_counts(json_object *obj, const char *title)
{
	printf("  %s:\n", title);
	json_object_object_foreach(obj, key, val) {
		if (json_object_get_int64(val) > 0)
			printf("    %-24s %6lld\n", key, (long long)json_object_get_int64(val));
	}
}

static int print_staff_roles(mms_db *db, int32_t root)
{
	static const char *const roles[] = {"teacher", "manager", "methodist"};
	printf("  staff by role:\n");
	for (int i = 0; i < 3; i++) {
		mms_staff_filter f = MMS_STAFF_FILTER_INIT;
		f.within = root;
		f.role = roles[i];
		mms_idlist *l;
		int rc = mms_staff_find(db, &f, &l);
		if (rc != MMS_OK)
			return rc;
		printf("    %-24s %6zu\n", roles[i], mms_idlist_count(l));
		mms_idlist_free(l);
	}
	return MMS_OK;
}

int tool_print_summary(mms_db *db, int32_t root)
{
	char *text = NULL;
	int rc = mms_network_stats(db, root, &text);
	if (rc != MMS_OK)
		return rc;
	json_object *stats = json_tokener_parse(text), *levels, *kinds;
	mms_free(text);
	if (!stats)
		return MMS_ENOMEM;
	if (json_object_object_get_ex(stats, "levels", &levels))
		print_counts(levels, "units by level");
	if (json_object_object_get_ex(stats, "kinds", &kinds))
		print_counts(kinds, "units by kind");
	json_object_put(stats);
	return print_staff_roles(db, root);
}

static int print_typology(mms_db *db, int32_t root)
{
	static const char *const axes[] = {"structure", "functioning", "load", "management"};
	mms_typology *t;
	int rc = mms_typology_compute(db, root, &t);
	if (rc != MMS_OK)
		return rc;
	printf("\nTypology of the methodical system (seed 001):\n");
	for (int i = 0; i < 4; i++)
		printf("  %-12s %-26s %s\n", axes[i], mms_typology_class(t, axes[i]),
		       mms_typology_reason(t, axes[i]));
	mms_typology_free(t);
	return MMS_OK;
}

static int print_coverage(mms_db *db, int32_t root)
{
	mms_coverage *c;
	int rc = mms_coverage_compute(db, root, &c);
	if (rc != MMS_OK)
		return rc;
	printf("\nDirections of work by territory:\n");
	for (size_t i = 0; i < mms_coverage_count(c); i++) {
		const char *missing = mms_coverage_missing(c, i);
		/* Names are Cyrillic: printf widths count bytes, so no columns here. */
		printf("  %s\n    performed: %s\n    missing:   %s\n",
		       mms_coverage_territory(c, i), mms_coverage_performed(c, i),
		       *missing ? missing : "none");
	}
	mms_coverage_free(c);
	return MMS_OK;
}

/* The Murom programme's indicators against its yearly targets, criterion
 * by criterion (seed 000: К1–К6 group П1–П11). */
static int print_kpis(mms_db *db, int32_t unit)
{
	static const char prog[] = "murom.2021";
	mms_kpi *kpi;
	int rc = mms_kpi_open(&kpi, db);
	if (rc != MMS_OK) {
		mms_kpi_close(kpi);
		return rc;
	}
	printf("\nIndicators of the Murom programme at MUR-CRPK (value / target, status):\n");
	printf("  %-28s", "");
	for (int y = 2021; y <= 2025; y++)
		printf(" %21d", y);
	printf("\n");
	for (size_t c = 0; rc == MMS_OK && c < mms_programme_criterion_count(kpi, prog); c++)
		for (size_t j = 0; rc == MMS_OK && j < mms_programme_criterion_size(kpi, prog, c); j++) {
			const char *id = mms_programme_criterion_indicator(kpi, prog, c, j);
			printf("  ");
			tool_print_padded(j ? "" : mms_programme_criterion_attr(kpi, prog, c, "id"), 5);
			printf("%-23s", id);
			for (int y = 2021; rc == MMS_OK && y <= 2025; y++) {
				mms_kpi_result r = MMS_KPI_RESULT_INIT;
				char cell[64];
				rc = mms_programme_value(kpi, prog, id, unit, y, &r);
				if (!r.defined)
					snprintf(cell, sizeof cell, "-");
				else if (!r.has_target)
					snprintf(cell, sizeof cell, "%.1f/-", r.value);
				else
					snprintf(cell, sizeof cell, "%.1f/%.0f %s", r.value, r.target,
						 r.status == MMS_KPI_ACHIEVED ? "ok"
						 : r.status == MMS_KPI_AT_RISK ? "risk"
						 : r.status == MMS_KPI_NOT_ACHIEVED ? "miss" : "");
				printf(" %21s", cell);
			}
			printf("\n");
		}
	if (rc == MMS_OK) {
		mms_kpi_report_options o = MMS_KPI_REPORT_OPTIONS_INIT;
		o.unit = unit;
		o.from = 2021;
		o.to = 2025;
		o.programme = "murom.2021";
		if ((rc = mms_kpi_report_xlsx(kpi, "demo-report.xlsx", &o)) == MMS_OK)
			printf("\nwrote demo-report.xlsx (summary, charts, a sheet per level)\n");
		else
			fprintf(stderr, "mms: demo: %s\n", mms_kpi_errmsg(kpi));
	}
	mms_kpi_close(kpi);
	return rc;
}

/* What the batch of routes came to, for the summary. */
typedef struct routes_made {
	size_t n, full, steps, gaps, tutored;
	long hours, course;
	char *fit; /* the steps by level and subject (mms_route_plan_fit_table()) */
} routes_made;

/* Routes for everyone the autumn 2023 diagnostics found deficits in, built
 * in one batch for 2024 and stored as drafts. */
static int make_routes(mms_db *db, int32_t unit, routes_made *s)
{
	mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
	mms_route_plan *p;
	o.as_of = "2023-12-31";
	o.start = "2024-01-01";
	o.end = "2024-12-31";
	o.budget_hours = 144;
	int rc = mms_route_plan_batch(db, unit, &o, &p);
	if (rc != MMS_OK)
		return rc;
	*s = (routes_made){mms_route_plan_count(p), 0, 0, 0, 0, 0, 0, NULL};
	for (size_t r = 0; r < s->n; r++) {
		int ch;
		s->full += mms_route_plan_uncovered(p, r) == 0;
		s->steps += mms_route_plan_steps(p, r);
		s->gaps += mms_route_plan_uncovered(p, r);
		s->tutored += mms_route_plan_tutor(p, r) >= 0;
		s->hours += mms_route_plan_hours(p, r, &ch);
		s->course += ch;
	}
	rc = mms_route_plan_save(db, p, "ИОМ-2024-", NULL);
	if (rc == MMS_OK)
		rc = mms_route_plan_fit_table(db, p, &s->fit);
	mms_route_plan_free(p);
	return rc;
}

static void print_routes(const routes_made *s)
{
	double n = (double)s->n;
	printf("\nIndividual routes for 2024 (diagnostics of autumn 2023, one batch):\n");
	if (s->n)
		printf("  %zu routes, %zu cover every deficit (%.0f%%); %.1f steps and %.0f h a route "
		       "(%.0f h of courses); %zu deficits left open for lack of places or resources; "
		       "%zu routes with a tutor\n", s->n, s->full, 100.0 * (double)s->full / n,
		       (double)s->steps / n, (double)s->hours / n, (double)s->course / n,
		       s->gaps, s->tutored);
	if (s->fit)
		printf("\nSteps by education level and main subject (every step fits its person: "
		       "misfits 0):\n%s", s->fit);
}

/* The region's deficit map of the batch's year (docs/routes.md, "The
 * region's view"): whom the region's programmes and course places are for. */
static int print_deficit_map(mms_db *db, int32_t region)
{
	char *map = NULL;
	int rc = mms_route_map(db, region, 2024, MMS_ROUTE_MAP_DEFICITS, MMS_FORMAT_CSV, &map);
	if (rc == MMS_OK)
		printf("\nThe region's deficit map, 2024 (people with a high, medium or minimal deficit "
		       "by competency, municipality, main subject and education level):\n%s", map);
	mms_free(map);
	if (rc == MMS_OK && (rc = mms_route_map_xlsx(db, region, 2024, "demo-map.xlsx")) == MMS_OK)
		printf("\nwrote demo-map.xlsx (the deficit map, completion and effect by resource, "
		       "routes per tutor)\n");
	return rc;
}

/* The data directory: --data, $MMS_DATADIR, the source tree, the install. */
static const char *data_dir(const char *given)
{
	const char *env = getenv("MMS_DATADIR");
	if (given)
		return given;
	if (env && *env)
		return env;
	if (access(MMS_SOURCE_DATADIR "/demo/murom.json", R_OK) == 0)
		return MMS_SOURCE_DATADIR;
	return MMS_INSTALLED_DATADIR;
}

static const char *arg_after(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc - 1; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

/* The length of an export's records: the history after them (the last key,
 * docs/format.md) says when they were made, which differs from run to run. */
static size_t records_length(const char *json)
{
	const char *h = strstr(json, ",\n\"history\": [");
	return h ? (size_t)(h - json) : strlen(json);
}

/* Whether path holds exactly what the demo made in db: only such a file is
 * replaced, so a rerun starts afresh and nothing else is ever deleted. */
static int made_by_demo(const char *path, mms_db *db)
{
	mms_db *old = NULL;
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	o.read_only = 1;
	o.no_create = 1;
	char *a = NULL, *b = NULL;
	int same = mms_db_open(&old, path, &o) == MMS_OK && mms_db_export_json(old, &a) == MMS_OK &&
		   mms_db_export_json(db, &b) == MMS_OK && records_length(a) == records_length(b) &&
		   !strncmp(a, b, records_length(a));
	mms_free(a);
	mms_free(b);
	mms_db_close(old);
	return same;
}

/* Builds the demo database in tmp (unscoped: the demo writes every level). */
static int build(const char *tmp, const char *dir, routes_made *made)
{
	char input[4200], framework[4200], routes[4200];
	snprintf(input, sizeof input, "%s/demo/murom.json", dir);
	snprintf(framework, sizeof framework, "%s/frameworks/teachers.json", dir);
	snprintf(routes, sizeof routes, "%s/demo/murom_routes.json", dir);
	mms_db *db = NULL;
	/* the network, the teachers' framework, then the diagnostics and catalogue
	 * that name the framework's competencies */
	const char *files[] = {input, framework, routes}, *failed = tmp;
	int rc = mms_db_open(&db, tmp, NULL);
	for (size_t i = 0; i < 3 && rc == MMS_OK; i++)
		if ((rc = mms_db_import(db, files[i], NULL, NULL)) != MMS_OK)
			failed = files[i];
	int32_t crpk = -1;
	if (rc == MMS_OK && (rc = mms_db_find(db, MMS_UNIT, "MUR-CRPK", &crpk)) == MMS_OK)
		rc = make_routes(db, crpk, made);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, failed);
	mms_db_close(db);
	return code;
}

/*
 * The demo is built in a file of its own beside --db and put in place only
 * once whole, if --db is absent or holds what an earlier run made, and
 * after any --scope has been found in it: a file that is not the demo's is
 * never deleted, and a refused run leaves --db as it was.
 */
int cmd_demo(int argc, char **argv)
{
	const char *dbpath = arg_after(argc, argv, "--db");
	const char *dir = data_dir(arg_after(argc, argv, "--data"));
	char tmp[4200];
	if (!dbpath)
		dbpath = "demo.sqlite";
	snprintf(tmp, sizeof tmp, "%s.demo-%ld.tmp", dbpath, (long)getpid());
	tool_remove_db(tmp, 1);
	routes_made made = {0};
	int code = build(tmp, dir, &made);
	mms_db *db = NULL;
	if (code == EXIT_OK && access(dbpath, F_OK) == 0) {
		mms_open_options o = MMS_OPEN_OPTIONS_INIT;
		int rc = mms_db_open(&db, tmp, &o);
		int ours = rc == MMS_OK && made_by_demo(dbpath, db);
		mms_db_close(db);
		if (!ours) {
			fprintf(stderr, "mms: demo: %s exists and is not a database the demo made; "
				"it was left as it was (give another --db, or remove it)\n", dbpath);
			code = EXIT_INVALID;
		}
	}
	/* with --scope, the scope must be found before anything is replaced */
	if (code == EXIT_OK && (code = tool_open(&db, tmp, TOOL_WRITE)) == EXIT_OK)
		mms_db_close(db);
	if (code == EXIT_OK) {
		tool_remove_db(dbpath, 1);
		if (rename(tmp, dbpath) != 0) {
			fprintf(stderr, "mms: demo: %s cannot be written\n", dbpath);
			code = EXIT_FAILURE_IO;
		}
	}
	if (code != EXIT_OK) {
		tool_remove_db(tmp, 1);
		fprintf(stderr, "mms: demo: nothing was written to %s\n", dbpath);
		mms_free(made.fit);
		return code;
	}
	if ((code = tool_open(&db, dbpath, TOOL_WRITE)) != EXIT_OK) {
		mms_free(made.fit);
		return code;
	}
	int32_t root = -1, crpk = -1;
	int rc = mms_db_find(db, MMS_UNIT, "VLA-VIRO", &root);
	if (rc == MMS_OK) {
		printf("libmms %s demo: the Murom municipal methodical network (seed 000)\n",
		       mms_libversion());
		printf("database: %s (from %s/demo/murom.json)\n\nNetwork:\n", dbpath, dir);
		rc = tool_print_summary(db, root);
	}
	if (rc == MMS_OK)
		rc = print_typology(db, root);
	if (rc == MMS_OK)
		rc = print_coverage(db, root);
	if (rc == MMS_OK && (rc = mms_db_find(db, MMS_UNIT, "MUR-CRPK", &crpk)) == MMS_OK)
		print_routes(&made);
	if (rc == MMS_OK)
		rc = print_deficit_map(db, root);
	if (rc == MMS_OK)
		rc = print_kpis(db, crpk);
	code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, "demo");
	mms_db_close(db);
	mms_free(made.fit);
	return code;
}
