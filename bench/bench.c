/*
 * libmms's side of the benchmark: the measurements of issue 5 on a stored
 * database, each the median of --repeat runs, printed as one JSON object.
 *   bench DB [--year 2023] [--repeat 5] [--as-of 2024-01-15]
 * DB is read, never changed: the incremental and route measurements work on
 * copies in memory (an import of the database's own export).
 * Timings are wall-clock (CLOCK_MONOTONIC); no test asserts any of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <mms/mms.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int die(mms_db *db, const char *what, int rc)
{
	fprintf(stderr, "bench: %s: %s: %s\n", what, mms_errstr(rc), db ? mms_db_errmsg(db) : "");
	exit(3);
}
#define CHECK(db, what, call)                                                                      \
	do {                                                                                       \
		int rc_ = (call);                                                                  \
		if (rc_ != MMS_OK)                                                                 \
			die(db, what, rc_);                                                        \
	} while (0)

static size_t count(mms_db *db, int entity)
{
	size_t n;
	CHECK(db, "count", mms_db_count(db, entity, &n));
	return n;
}

/* Every built-in indicator at every unit for one year, from a cold catalogue. */
static double catalogue(mms_db *db, int year, size_t *values)
{
	mms_kpi *kpi;
	size_t units = count(db, MMS_UNIT);
	double t = now();
	CHECK(db, "kpi open", mms_kpi_open(&kpi, db));
	*values = 0;
	for (size_t i = 0; i < mms_kpi_count(kpi); i++)
		for (size_t u = 0; u < units; u++) {
			mms_kpi_result r = MMS_KPI_RESULT_INIT;
			CHECK(db, mms_kpi_id(kpi, i), mms_kpi_value(kpi, mms_kpi_id(kpi, i), (int32_t)u, year, &r));
			++*values;
		}
	t = now() - t;
	mms_kpi_close(kpi);
	return t;
}

/* Adds n staff to an in-memory copy (*insert_s), then brings the catalogue
   up to date at every unit (the time returned); *full counts the indicators
   computed again from scratch rather than incrementally. */
static double incremental(const char *json, int year, int n, int org, double *insert_s, size_t *full)
{
	mms_db *db;
	mms_kpi *kpi;
	CHECK(NULL, "open copy", mms_db_open(&db, ":memory:", NULL));
	CHECK(db, "import copy", mms_db_import_json(db, json, NULL, NULL));
	CHECK(db, "kpi open", mms_kpi_open(&kpi, db));
	size_t units = count(db, MMS_UNIT);
	for (size_t i = 0; i < mms_kpi_count(kpi); i++) {
		mms_kpi_result r = MMS_KPI_RESULT_INIT;
		CHECK(db, "warm", mms_kpi_value(kpi, mms_kpi_id(kpi, i), 0, year, &r));
	}
	char *orgcode = NULL;
	CHECK(db, "org", mms_db_get(db, MMS_UNIT, org, "code", &orgcode));
	double t = now();
	for (int k = 0; k < n; k++) {
		mms_record *rec;
		char code[32];
		snprintf(code, sizeof code, "BENCH-%d", k);
		CHECK(db, "record", mms_record_new(&rec, MMS_STAFF));
		mms_record_set(rec, "code", code);
		mms_record_set(rec, "name", "Учитель");
		mms_record_set(rec, "org", orgcode);
		mms_record_set(rec, "role", "teacher");
		mms_record_set(rec, "birth_date", "1999-05-01");
		CHECK(db, "insert", mms_db_insert(db, rec, NULL));
		mms_record_free(rec);
	}
	*insert_s = now() - t;
	size_t full0, inc0, inc1;
	mms_kpi_counters(kpi, &full0, &inc0);
	t = now();
	for (size_t i = 0; i < mms_kpi_count(kpi); i++)
		for (size_t u = 0; u < units; u++) {
			mms_kpi_result r = MMS_KPI_RESULT_INIT;
			CHECK(db, "recompute", mms_kpi_value(kpi, mms_kpi_id(kpi, i), (int32_t)u, year, &r));
		}
	t = now() - t;
	mms_kpi_counters(kpi, full, &inc1);
	*full -= full0;
	mms_free(orgcode);
	mms_kpi_close(kpi);
	mms_db_close(db);
	return t;
}

/* One capacity-aware batch of routes for everyone diagnosed, not stored. */
static double routes(mms_db *db, const char *as_of, size_t *planned)
{
	mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
	mms_route_plan *p = NULL;
	o.as_of = as_of;
	double t = now();
	CHECK(db, "route batch", mms_route_plan_batch(db, -1, &o, &p));
	t = now() - t;
	*planned = mms_route_plan_count(p);
	mms_route_plan_free(p);
	return t;
}

static const char *arg(int argc, char **argv, const char *name, const char *dflt)
{
	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return dflt;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: bench DB [--year 2023] [--repeat 5] [--as-of 2024-01-15]\n");
		return 2;
	}
	const char *path = argv[1], *as_of = arg(argc, argv, "--as-of", "2024-01-15");
	int year = atoi(arg(argc, argv, "--year", "2023")), reps = atoi(arg(argc, argv, "--repeat", "5"));
	if (reps < 1 || reps > 100)
		reps = 5;
	double open_t[100], cat_t[100], inc1[100], inc100[100], ins1[100], ins100[100], route_t[100],
		exp_t[100], imp_t[100];
	size_t values = 0, planned = 0, staff = 0, records = 0, bytes = 0, full1 = 0, full100 = 0;
	mms_open_options oo = MMS_OPEN_OPTIONS_INIT;
	oo.read_only = 1;
	for (int r = 0; r < reps; r++) {
		mms_db *db;
		double t = now();
		CHECK(NULL, path, mms_db_open(&db, path, &oo));
		staff = count(db, MMS_STAFF); /* the first query loads the database */
		open_t[r] = now() - t;
		cat_t[r] = catalogue(db, year, &values);
		route_t[r] = routes(db, as_of, &planned);
		char *json;
		t = now();
		CHECK(db, "export", mms_db_export_json(db, &json));
		exp_t[r] = now() - t;
		bytes = strlen(json);
		records = 0;
		for (int e = 0; e < MMS_ENTITY_COUNT; e++)
			records += count(db, e);
		mms_db *copy;
		t = now();
		CHECK(NULL, "open memory", mms_db_open(&copy, ":memory:", NULL));
		CHECK(copy, "import", mms_db_import_json(copy, json, NULL, NULL));
		imp_t[r] = now() - t;
		mms_db_close(copy);
		int32_t org = -1;
		mms_idlist *schools = NULL;
		mms_unit_filter f = MMS_UNIT_FILTER_INIT;
		f.kind = "school";
		CHECK(db, "find a school", mms_unit_find(db, &f, &schools));
		org = mms_idlist_count(schools) ? mms_idlist_get(schools, 0) : 0;
		mms_idlist_free(schools);
		inc1[r] = incremental(json, year, 1, org, &ins1[r], &full1);
		inc100[r] = incremental(json, year, 100, org, &ins100[r], &full100);
		mms_free(json);
		mms_db_close(db);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double exp_m = median(exp_t, reps), imp_m = median(imp_t, reps);
	printf("{\"libmms\": \"%s\", \"repeat\": %d, \"staff\": %zu, \"records\": %zu,\n"
	       " \"open_s\": %.6f,\n"
	       " \"catalogue_s\": %.6f, \"catalogue_values\": %zu,\n"
	       " \"insert_1_s\": %.6f, \"recompute_1_s\": %.6f, \"insert_100_s\": %.6f, \"recompute_100_s\": %.6f,\n"
	       " \"recomputed_from_scratch_1\": %zu, \"recomputed_from_scratch_100\": %zu,\n"
	       " \"routes_s\": %.6f, \"routes\": %zu, \"route_us\": %.2f,\n"
	       " \"export_json_MBps\": %.1f, \"import_json_MBps\": %.1f, \"import_records_per_s\": %.0f,\n"
	       " \"peak_rss_bytes_per_staff\": %.0f}\n",
	       mms_libversion(), reps, staff, records, median(open_t, reps), median(cat_t, reps), values,
	       median(ins1, reps), median(inc1, reps), median(ins100, reps), median(inc100, reps), full1, full100,
	       median(route_t, reps), planned,
	       planned ? median(route_t, reps) * 1e6 / (double)planned : 0.0, bytes / 1e6 / exp_m,
	       bytes / 1e6 / imp_m, (double)records / imp_m,
	       staff ? (double)ru.ru_maxrss * 1024.0 / (double)staff : 0.0);
	return 0;
}
