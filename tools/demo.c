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

/* The Murom programme's indicators against its yearly targets (seed 000). */
static int print_kpis(mms_db *db, int32_t unit)
{
	mms_kpi *kpi;
	int rc = mms_kpi_open(&kpi, db);
	if (rc != MMS_OK) {
		mms_kpi_close(kpi);
		return rc;
	}
	printf("\nIndicators of the Murom programme at MUR-CRPK (value / target, status):\n");
	printf("  %-24s", "");
	for (int y = 2021; y <= 2025; y++)
		printf(" %21d", y);
	printf("\n");
	for (size_t i = 0; rc == MMS_OK && i < mms_kpi_count(kpi); i++) {
		const char *id = mms_kpi_id(kpi, i);
		if (strncmp(id, "murom.", 6))
			continue;
		printf("  %-24s", id);
		for (int y = 2021; rc == MMS_OK && y <= 2025; y++) {
			mms_kpi_result r = MMS_KPI_RESULT_INIT;
			char cell[64];
			rc = mms_kpi_value(kpi, id, unit, y, &r);
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
		o.indicators = "murom.P4,murom.P5,murom.P6,murom.P7,murom.P8,murom.P9,"
			       "murom.pd_every_3_years";
		if ((rc = mms_kpi_report_xlsx(kpi, "demo-report.xlsx", &o)) == MMS_OK)
			printf("\nwrote demo-report.xlsx (summary, charts, a sheet per level)\n");
		else
			fprintf(stderr, "mms: demo: %s\n", mms_kpi_errmsg(kpi));
	}
	mms_kpi_close(kpi);
	return rc;
}

/* Routes for everyone the autumn 2023 diagnostics found deficits in, built
 * in one batch for 2024 and stored as drafts, then summarised. */
static int print_routes(mms_db *db, int32_t unit)
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
	size_t n = mms_route_plan_count(p), full = 0, steps = 0, gaps = 0, tutored = 0;
	long hours = 0, course = 0;
	for (size_t r = 0; r < n; r++) {
		int ch;
		full += mms_route_plan_uncovered(p, r) == 0;
		steps += mms_route_plan_steps(p, r);
		gaps += mms_route_plan_uncovered(p, r);
		tutored += mms_route_plan_tutor(p, r) >= 0;
		hours += mms_route_plan_hours(p, r, &ch);
		course += ch;
	}
	rc = mms_route_plan_save(db, p, "ИОМ-2024-", NULL);
	printf("\nIndividual routes for 2024 (diagnostics of autumn 2023, one batch):\n");
	if (rc == MMS_OK && n)
		printf("  %zu routes, %zu cover every deficit (%.0f%%); %.1f steps and %.0f h a route "
		       "(%.0f h of courses); %zu deficits left open for lack of places or resources; "
		       "%zu routes with a tutor\n", n, full, 100.0 * (double)full / (double)n,
		       (double)steps / (double)n, (double)hours / (double)n, (double)course / (double)n,
		       gaps, tutored);
	if (rc == MMS_OK) {
		printf("\nSteps by education level and main subject (every step fits its person: "
		       "misfits 0):\n");
		rc = tool_print_fit_table(db, p);
	}
	mms_route_plan_free(p);
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

int cmd_demo(int argc, char **argv)
{
	const char *dbpath = arg_after(argc, argv, "--db");
	char input[4096], side[4200];
	if (!dbpath)
		dbpath = "demo.sqlite";
	snprintf(input, sizeof input, "%s/demo/murom.json",
		 data_dir(arg_after(argc, argv, "--data")));
	/* The demo always starts from an empty file, so it can be rerun. */
	remove(dbpath);
	snprintf(side, sizeof side, "%s-wal", dbpath);
	remove(side);
	snprintf(side, sizeof side, "%s-shm", dbpath);
	remove(side);
	mms_db *db;
	int open_code = tool_open(&db, dbpath, TOOL_CREATE);
	if (open_code != EXIT_OK)
		return open_code;
	/* the network, the teachers' framework, then the diagnostics and catalogue
	 * that name the framework's competencies */
	char framework[4200], routes[4200];
	const char *dir = data_dir(arg_after(argc, argv, "--data"));
	snprintf(framework, sizeof framework, "%s/frameworks/teachers.json", dir);
	snprintf(routes, sizeof routes, "%s/demo/murom_routes.json", dir);
	const char *files[] = {input, framework, routes}, *failed = input;
	int rc = MMS_OK;
	for (size_t i = 0; i < 3 && rc == MMS_OK; i++)
		if ((rc = mms_db_import(db, files[i], NULL, NULL)) != MMS_OK)
			failed = files[i];
	int32_t root = -1;
	if (rc == MMS_OK)
		rc = mms_db_find(db, MMS_UNIT, "VLA-VIRO", &root);
	if (rc == MMS_OK) {
		printf("libmms %s demo: the Murom municipal methodical network (seed 000)\n",
		       mms_libversion());
		printf("database: %s (from %s)\n\nNetwork:\n", dbpath, input);
		rc = tool_print_summary(db, root);
	}
	if (rc == MMS_OK)
		rc = print_typology(db, root);
	if (rc == MMS_OK)
		rc = print_coverage(db, root);
	int32_t crpk;
	if (rc == MMS_OK && (rc = mms_db_find(db, MMS_UNIT, "MUR-CRPK", &crpk)) == MMS_OK)
		rc = print_routes(db, crpk);
	if (rc == MMS_OK)
		rc = print_kpis(db, crpk);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, failed);
	mms_db_close(db);
	return code;
}
