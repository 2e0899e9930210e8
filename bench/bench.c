/*
 * libmms's side of the benchmark (bench/README.md): the measurements of
 * issue 5 on a stored database, printed as one JSON object.
 *   bench DB [--year 2023] [--repeat 3] [--as-of 2024-01-15]
 *            [--definitions bench/indicators.json] [--values FILE.csv]
 *            [--catalogue-values FILE.csv]
 *            [--exchange-scope UNIT] [--work DIR]
 *            [--only open|five|catalogue|routes|incremental]
 * Open, the five indicators, the catalogue and the route batch are the
 * median of --repeat runs; the exchange and the incremental measurements
 * run once, on copies in --work (DB itself is never changed). --values
 * writes the five indicators at every unit for the peers' equality check,
 * --catalogue-values the whole catalogue's.
 * --only runs one measurement once (or with "open" none), and prints its
 * time and the open's (for callgrind, and the open without a snapshot). Timings are wall-clock
 * (CLOCK_MONOTONIC); no test asserts any of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <mms/mms.h>

/* The five indicators the peers compute too (bench/README.md). */
static const char *const five[] = {"moscow.8", "moscow.7", "moscow.3_level", "murom.P5",
				   "bench.federal_course_3y"};

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

static double peak_rss(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss * 1024.0;
}

static void die(mms_db *db, const char *what, int rc)
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

static const char *defs_path;

static mms_kpi *catalogue_open(mms_db *db)
{
	mms_kpi *kpi;
	CHECK(db, "kpi open", mms_kpi_open(&kpi, db));
	if (defs_path && mms_kpi_load(kpi, defs_path, NULL) != MMS_OK) {
		fprintf(stderr, "bench: %s: %s\n", defs_path, mms_kpi_errmsg(kpi));
		exit(3);
	}
	return kpi;
}

/* Indicators ids[0..n) (NULL: the catalogue) at every unit for one year,
 * from a cold catalogue, a call per indicator (mms_kpi_values); with out,
 * the defined values as CSV lines id,unit,numerator,denominator. */
static double indicators(mms_db *db, const char *const *ids, size_t n, int year, FILE *out,
			 size_t *values)
{
	mms_kpi *kpi = catalogue_open(db);
	size_t units = count(db, MMS_UNIT);
	double *value = malloc(units * sizeof *value), *num = malloc(units * sizeof *num),
	       *den = malloc(units * sizeof *den), t = 0;
	if (!value || !num || !den)
		exit(3);
	if (!ids)
		n = mms_kpi_count(kpi);
	*values = 0;
	for (size_t i = 0; i < n; i++) {
		const char *id = ids ? ids[i] : mms_kpi_id(kpi, i);
		double t0 = now();
		if (mms_kpi_values(kpi, id, year, units, value, num, den) != MMS_OK) {
			fprintf(stderr, "bench: %s: %s\n", id, mms_kpi_errmsg(kpi));
			exit(3);
		}
		t += now() - t0;
		*values += units;
		for (size_t u = 0; out && u < units; u++)
			if (value[u] == value[u]) /* defined: not NaN */
				fprintf(out, "%s,%zu,%.17g,%.17g\n", id, u, num[u], den[u]);
	}
	mms_kpi_close(kpi);
	free(value);
	free(num);
	free(den);
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

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	static char buf[1 << 20];
	size_t n;
	if (!in || !out) {
		fprintf(stderr, "bench: cannot copy %s to %s\n", from, to);
		exit(3);
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			exit(3);
	fclose(in);
	if (fclose(out) != 0)
		exit(3);
}

typedef struct exchange {
	double export_s, import_s;
	size_t bytes, records;
} exchange;

/* JSON export (of a scope, or all) to a file, and its import into a new file. */
static void exchange_run(const char *path, const char *scope, const char *work, exchange *x)
{
	mms_db *db, *to;
	char json[4096], copy[4096];
	snprintf(json, sizeof json, "%s/exchange.json", work);
	snprintf(copy, sizeof copy, "%s/exchange.db", work);
	remove(copy);
	CHECK(NULL, path, scope ? mms_db_open_scoped(&db, path, NULL, scope) : mms_db_open(&db, path, NULL));
	count(db, MMS_UNIT);
	double t = now();
	CHECK(db, "export", mms_db_export(db, json, NULL));
	x->export_s = now() - t;
	x->records = 0;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		x->records += count(db, e);
	mms_db_close(db);
	FILE *f = fopen(json, "rb");
	fseek(f, 0, SEEK_END);
	x->bytes = (size_t)ftell(f);
	fclose(f);
	CHECK(NULL, copy, mms_db_open(&to, copy, NULL));
	t = now();
	CHECK(to, "import", mms_db_import(to, json, NULL, NULL));
	x->import_s = now() - t;
	mms_db_close(to);
	remove(json);
}

/* {"staff": [...]}: n new teachers of org, coded BENCH-<tag>-k. */
static char *teachers(const char *org, int n, int tag)
{
	size_t cap = 64 + (size_t)n * 200;
	char *s = malloc(cap);
	size_t len = (size_t)snprintf(s, cap, "{\"staff\": [");
	for (int k = 0; k < n; k++)
		len += (size_t)snprintf(s + len, cap - len,
					"%s{\"code\": \"BENCH-%d-%d\", \"name\": \"Учитель\", \"org\": \"%s\", "
					"\"role\": \"teacher\", \"birth_date\": \"1999-05-01\", "
					"\"work_start\": \"2023-09-01\"}",
					k ? "," : "", tag, k, org);
	snprintf(s + len, cap - len, "]}");
	return s;
}

/* What a change does: adds n teachers in one import, or updates one
 * teacher's category (an enum), or moves one to another school. */
enum { ADD, UPDATE, MOVE };

typedef struct change {
	const char *name;
	int kind, n;
	double change_s, recompute_s;
	size_t full;
} change;

/* The first change after the open pays once for room its tables grow into
 * (copied out of the snapshot's mapping); the others, the median of
 * CHANGE_REPEAT changes of each size, show the steady cost. */
#define CHANGE_REPEAT 5
#define CHANGES {{"first_1", ADD, 1, 0, 0, 0}, {"1", ADD, 1, 0, 0, 0}, {"100", ADD, 100, 0, 0, 0}, \
		 {"10000", ADD, 10000, 0, 0, 0}, {"update_1", UPDATE, 1, 0, 0, 0}, \
		 {"move_1", MOVE, 1, 0, 0, 0}}
#define NCHANGES 6

static void print_changes(const change *c)
{
	for (int k = 0; k < NCHANGES; k++)
		printf(" \"change_%s_s\": %.6f, \"recompute_%s_s\": %.6f, \"recomputed_from_scratch_%s\": %zu,\n",
		       c[k].name, c[k].change_s, c[k].name, c[k].recompute_s, c[k].name, c[k].full);
}

/* One change of its kind; tag makes each repeat's change a new one. */
static void apply(mms_db *db, const change *c, const char *org, const char *other, int tag)
{
	if (c->kind == ADD) {
		char *doc = teachers(org, c->n, tag);
		CHECK(db, "change", mms_db_import_json(db, doc, NULL, NULL));
		free(doc);
		return;
	}
	/* the teacher the first change added: category first/highest, or
	 * between the two schools, by turns */
	const char *update[] = {"category", tag % 2 ? "first" : "highest", NULL};
	const char *move[] = {"org", tag % 2 ? other : org, NULL};
	CHECK(db, "update", mms_db_update(db, MMS_STAFF, "BENCH-0-0", c->kind == MOVE ? move : update,
					  NULL, NULL));
}

/* On a copy: the catalogue warm, then for each change (n staff added in one
 * import, one staff record updated, one teacher moved to another school)
 * every indicator brought up to date at every unit (values at the root ask
 * for all; the rest are then lookups). */
static void incremental(const char *path, const char *work, int year, change *c, int nc)
{
	char copy[4096], from[4200], to[4200];
	snprintf(copy, sizeof copy, "%s/incremental.db", work);
	remove(copy);
	copy_file(path, copy);
	snprintf(from, sizeof from, "%s-snapshot", path); /* so the copy opens as fast */
	snprintf(to, sizeof to, "%s-snapshot", copy);
	FILE *snap = fopen(from, "rb");
	if (snap) {
		fclose(snap);
		copy_file(from, to);
	}
	mms_db *db;
	CHECK(NULL, copy, mms_db_open(&db, copy, NULL));
	mms_kpi *kpi = catalogue_open(db);
	mms_idlist *schools;
	mms_unit_filter f = MMS_UNIT_FILTER_INIT;
	f.kind = "school";
	CHECK(db, "find a school", mms_unit_find(db, &f, &schools));
	char *org = NULL, *other = NULL;
	CHECK(db, "school", mms_db_get(db, MMS_UNIT, mms_idlist_get(schools, 0), "code", &org));
	CHECK(db, "school", mms_db_get(db, MMS_UNIT,
				       mms_idlist_get(schools, mms_idlist_count(schools) > 1), "code",
				       &other));
	mms_idlist_free(schools);
	for (size_t i = 0; i < mms_kpi_count(kpi); i++) {
		mms_kpi_result r = MMS_KPI_RESULT_INIT;
		CHECK(db, "warm", mms_kpi_value(kpi, mms_kpi_id(kpi, i), 0, year, &r));
	}
	for (int k = 0, tag = 0; k < nc; k++) {
		double change_t[CHANGE_REPEAT], recompute_t[CHANGE_REPEAT];
		int reps = k ? CHANGE_REPEAT : 1;
		c[k].full = 0;
		for (int rep = 0; rep < reps; rep++) {
			double t = now();
			apply(db, &c[k], org, other, tag++);
			change_t[rep] = now() - t;
			size_t full0, full1, inc;
			mms_kpi_counters(kpi, &full0, &inc);
			t = now();
			for (size_t i = 0; i < mms_kpi_count(kpi); i++) {
				mms_kpi_result r = MMS_KPI_RESULT_INIT;
				CHECK(db, "recompute", mms_kpi_value(kpi, mms_kpi_id(kpi, i), 0, year, &r));
			}
			recompute_t[rep] = now() - t;
			mms_kpi_counters(kpi, &full1, &inc);
			c[k].full += full1 - full0;
		}
		c[k].change_s = median(change_t, reps);
		c[k].recompute_s = median(recompute_t, reps);
	}
	mms_free(org);
	mms_free(other);
	mms_kpi_close(kpi);
	mms_db_close(db);
	remove(copy);
	remove(to);
}

static const char *arg(int argc, char **argv, const char *name, const char *dflt)
{
	for (int i = 2; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return dflt;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: bench DB [--year 2023] [--repeat 3] [--as-of 2024-01-15] "
				"[--definitions FILE] [--values FILE] [--catalogue-values FILE] "
				"[--exchange-scope UNIT] [--work DIR] "
				"[--only open|five|catalogue|routes|incremental]\n");
		return 2;
	}
	const char *path = argv[1], *as_of = arg(argc, argv, "--as-of", "2024-01-15");
	const char *values_path = arg(argc, argv, "--values", NULL), *work = arg(argc, argv, "--work", "/tmp");
	const char *cat_path = arg(argc, argv, "--catalogue-values", NULL);
	const char *scope = arg(argc, argv, "--exchange-scope", NULL), *only = arg(argc, argv, "--only", NULL);
	defs_path = arg(argc, argv, "--definitions", NULL);
	int year = atoi(arg(argc, argv, "--year", "2023")), reps = atoi(arg(argc, argv, "--repeat", "3"));
	if (reps < 1 || reps > 100 || only)
		reps = only ? 1 : 3;
	size_t nfive = defs_path ? 5 : 4, values = 0, cat_values = 0, planned = 0, staff = 0;
	double open_t[100], five_t[100], cat_t[100], route_t[100], open_rss = 0, bulk = 0;
	mms_open_options oo = MMS_OPEN_OPTIONS_INIT;
	oo.read_only = 1;
	for (int r = 0; r < reps; r++) {
		mms_db *db;
		double t = now();
		CHECK(NULL, path, mms_db_open(&db, path, &oo));
		staff = count(db, MMS_STAFF); /* the first query loads the database */
		open_t[r] = now() - t;
		if (r == 0) { /* and the part of it that diagnostics and participations take */
			open_rss = peak_rss();
			bulk = 4.0 * (double)(count(db, MMS_DIAGNOSTIC) * (size_t)mms_entity_field_count(MMS_DIAGNOSTIC) +
					      count(db, MMS_PARTICIPATION) *
						      (size_t)mms_entity_field_count(MMS_PARTICIPATION));
		}
		FILE *out = r == 0 && values_path ? fopen(values_path, "w") : NULL;
		if (!only || !strcmp(only, "five"))
			five_t[r] = indicators(db, five, nfive, year, out, &values);
		if (out)
			fclose(out);
		out = r == 0 && cat_path ? fopen(cat_path, "w") : NULL;
		if (!only || !strcmp(only, "catalogue"))
			cat_t[r] = indicators(db, NULL, 0, year, out, &cat_values);
		if (out)
			fclose(out);
		if (!only || !strcmp(only, "routes"))
			route_t[r] = routes(db, as_of, &planned);
		mms_db_close(db);
	}
	change c[NCHANGES] = CHANGES;
	if (only && !strcmp(only, "incremental")) {
		incremental(path, work, year, c, NCHANGES);
		printf("{");
		print_changes(c);
		printf(" \"year\": %d}\n", year);
		return 0;
	}
	if (only) { /* one run: no median */
		double t = !strcmp(only, "five") ? five_t[0] : !strcmp(only, "catalogue") ? cat_t[0]
			 : !strcmp(only, "routes") ? route_t[0] : -1;
		printf("{\"open_s\": %.6f", open_t[0]);
		if (t >= 0)
			printf(", \"%s_s\": %.6f", only, t);
		printf("}\n");
		return 0;
	}
	exchange x;
	exchange_run(path, scope, work, &x);
	incremental(path, work, year, c, NCHANGES);
	double route_m = median(route_t, reps);
	printf("{\"libmms\": \"%s\", \"repeat\": %d, \"year\": %d, \"staff\": %zu,\n"
	       " \"open_s\": %.6f, \"open_rss_bytes_per_staff\": %.0f,"
	       " \"open_rss_bytes_per_staff_without_diagnostics_participations\": %.0f,\n"
	       " \"five_s\": %.6f, \"five_values\": %zu,\n"
	       " \"catalogue_s\": %.6f, \"catalogue_values\": %zu,\n"
	       " \"routes_s\": %.6f, \"routes\": %zu, \"route_us\": %.2f,\n",
	       mms_libversion(), reps, year, staff, median(open_t, reps), open_rss / (double)staff,
	       (open_rss - bulk) / (double)staff,
	       median(five_t, reps), values, median(cat_t, reps), cat_values, route_m, planned,
	       planned ? route_m * 1e6 / (double)planned : 0.0);
	print_changes(c);
	printf(" \"exchange_scope\": \"%s\", \"exchange_records\": %zu, \"exchange_bytes\": %zu,\n"
	       " \"export_json_MBps\": %.1f, \"import_json_MBps\": %.1f, \"import_records_per_s\": %.0f,\n"
	       " \"peak_rss_bytes_per_staff\": %.0f}\n",
	       scope ? scope : "", x.records, x.bytes, (double)x.bytes / 1e6 / x.export_s,
	       (double)x.bytes / 1e6 / x.import_s, (double)x.records / x.import_s,
	       peak_rss() / (double)staff);
	return 0;
}
