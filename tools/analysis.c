/* `mms sample` and `mms clusters`: the representative sample of seed 001
 * and the clusters of territorial services of seed 002. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc - 1; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

/* Opens DB, its catalogue and the unit named by the second argument (or -1). */
static int open_all(int argc, char **argv, mms_db **db, mms_kpi **kpi, int32_t *unit)
{
	*kpi = NULL;
	int open_code = tool_open(db, argv[0], TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	int rc = tool_unit(*db, argc > 1 && argv[1][0] != '-' ? argv[1] : NULL, unit);
	if (rc != MMS_OK)
		return tool_fail(*db, rc, argv[1]);
	if ((rc = mms_kpi_open(kpi, *db)) != MMS_OK) {
		fprintf(stderr, "mms: %s\n", mms_kpi_errmsg(*kpi));
		return tool_exit_code(rc);
	}
	return EXIT_OK;
}

static void close_all(mms_db *db, mms_kpi *kpi)
{
	mms_kpi_close(kpi);
	mms_db_close(db);
}

int cmd_sample(int argc, char **argv)
{
	mms_db *db;
	mms_kpi *kpi;
	int32_t unit;
	const char *share = opt(argc, argv, "--share"), *year = opt(argc, argv, "--year");
	if (!year)
		return EXIT_USAGE;
	int code = open_all(argc, argv, &db, &kpi, &unit);
	mms_sample_options o = MMS_SAMPLE_OPTIONS_INIT;
	mms_sample *s = NULL;
	o.within = unit;
	o.share = share ? atof(share) : 0.3;
	o.seed = opt(argc, argv, "--seed") ? strtoull(opt(argc, argv, "--seed"), NULL, 10) : 1;
	o.strata = opt(argc, argv, "--strata");
	o.filter = opt(argc, argv, "--filter");
	o.year = atoi(year);
	int rc = code == EXIT_OK ? mms_sample_draw(kpi, &o, &s) : MMS_ERROR;
	if (code == EXIT_OK && rc != MMS_OK) {
		fprintf(stderr, "mms: sample: %s\n", mms_kpi_errmsg(kpi));
		code = tool_exit_code(rc);
	}
	if (rc == MMS_OK) {
		printf("%-14s %10s %8s %8s %10s\n", "stratum", "population", "quota", "drawn",
		       "deviation");
		for (size_t i = 0; i < mms_sample_strata(s); i++) {
			const char *name;
			size_t pop, quota, drawn;
			double dev;
			mms_sample_stratum(s, i, &name, &pop, &quota, &drawn, &dev);
			printf("%-14s %10zu %8zu %8zu %+9.2f%%\n", name, pop, quota, drawn, dev);
		}
		const char *id = opt(argc, argv, "--estimate");
		mms_estimate e = MMS_ESTIMATE_INIT;
		if (id && (rc = mms_sample_estimate(kpi, s, id, o.year, &e)) != MMS_OK) {
			fprintf(stderr, "mms: sample: %s\n", mms_kpi_errmsg(kpi));
			code = tool_exit_code(rc);
		} else if (id && e.defined) {
			printf("%s on the sample: %.2f%% (95%% CI %.2f..%.2f, %g people)\n", id, e.value,
			       e.low, e.high, e.sampled);
		} else if (id) {
			printf("%s on the sample: no sampled person is in its population\n", id);
		}
	}
	mms_sample_free(s);
	close_all(db, kpi);
	return code;
}

int cmd_clusters(int argc, char **argv)
{
	mms_db *db;
	mms_kpi *kpi;
	int32_t unit;
	const char *year = opt(argc, argv, "--year"), *ids = opt(argc, argv, "--indicators");
	if (!year || !ids)
		return EXIT_USAGE;
	int code = open_all(argc, argv, &db, &kpi, &unit);
	mms_cluster_options o = MMS_CLUSTER_OPTIONS_INIT;
	mms_clusters *c = NULL;
	o.within = unit;
	o.year = atoi(year);
	o.indicators = ids;
	o.levels = opt(argc, argv, "--levels") ? atoi(opt(argc, argv, "--levels")) : 0;
	o.max_per_leader = opt(argc, argv, "--per-leader") ? atoi(opt(argc, argv, "--per-leader")) : 0;
	o.max_per_curator = opt(argc, argv, "--per-curator") ? atoi(opt(argc, argv, "--per-curator")) : 0;
	int rc = code == EXIT_OK ? mms_clusters_compute(kpi, &o, &c) : MMS_ERROR;
	if (code == EXIT_OK && rc != MMS_OK) {
		fprintf(stderr, "mms: clusters: %s\n", mms_kpi_errmsg(kpi));
		code = tool_exit_code(rc);
	}
	for (size_t i = 0; rc == MMS_OK && i < mms_clusters_count(c); i++) {
		char *name = NULL;
		mms_db_get(db, MMS_UNIT, mms_clusters_unit(c, i), "code", &name);
		printf("%d  %.3f  %s: %s\n", mms_clusters_level(c, i), mms_clusters_score(c, i),
		       name ? name : "?", mms_clusters_explain(c, i));
		mms_free(name);
	}
	mms_clusters_free(c);
	close_all(db, kpi);
	return code;
}
