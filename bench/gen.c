/*
 * The synthetic networks of the benchmark, written straight into the
 * SQLite store (schema 2 of docs/format.md) with prepared statements.
 *   gen --scale regional|national [--seed 1] --out FILE
 * Deterministic: the same seed and scale give the same rows in the same
 * order, and so the same file bytes with the same SQLite. The shapes follow
 * ../shared/DOMAIN.md ("Scale"): see bench/README.md for what is generated.
 * libmms creates the empty schema; the rows bypass its validation for
 * speed, so bench/run checks a regional file by re-importing its export.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <mms/mms.h>

typedef struct scale {
	const char *name;
	int regions, municipalities, internship_sites;
	int orgs[4];              /* schools, kindergartens, colleges, supplementary */
	int staff_per_org[4];     /* mean pedagogical workers */
	int federal_courses, regional_courses, projects_per_region;
} scale;

static const scale scales[] = {
	{"regional", 1, 60, 215, {1300, 1350, 40, 200}, {50, 28, 80, 20}, 2000, 300, 20},
	{"national", 89, 2400, 4500, {38500, 32000, 3300, 11000}, {34, 20, 48, 18}, 2000, 300, 20},
};
static const char *const org_kinds[4] = {"school", "preschool", "college", "supplementary"};
static const char *const surnames[] = {"Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова",
	"Соколова", "Лебедева", "Козлова", "Новикова", "Морозова", "Волков", "Фёдоров"};
static const char *const initials[] = {"А", "Б", "В", "Г", "Д", "Е", "И", "К", "Л", "М",
	"Н", "О"};
static const char *const subjects[] = {"математика", "русский язык", "физика", "история",
	"биология", "химия", "литература", "английский язык"};
enum { NCOMP = 25, FIRST_YEAR = 2021, LAST_YEAR = 2023 };

/* ---- determinism: splitmix64 ------------------------------------------ */

static uint64_t state;
static uint64_t next(void)
{
	uint64_t z = (state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
static int rnd(int n) { return (int)(next() % (uint64_t)n); }
static double unif(void) { return (double)(next() >> 11) / 9007199254740992.0; }
static int chance(double p) { return unif() < p; }

/* ---- dates as day numbers ---------------------------------------------- */

static int days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static const char *date(int days, char buf[40])
{
	int z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9), y = yoe + era * 400 + (m <= 2);
	snprintf(buf, 40, "%04d-%02d-%02d", y, m, d);
	return buf;
}

static int day_in(int y0, int y1) /* a day in years y0..y1 */
{
	int a = days_from_civil(y0, 1, 1), b = days_from_civil(y1, 12, 31);
	return a + rnd(b - a + 1);
}

/* ---- rows ---------------------------------------------------------------- */

static sqlite3 *db;

static void die(const char *what)
{
	fprintf(stderr, "gen: %s: %s\n", what, sqlite3_errmsg(db));
	exit(3);
}

static void exec(const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(sql);
}

/* A table's INSERT with explicit ids; columns as in the schema. */
typedef struct table {
	const char *sql;
	sqlite3_stmt *st;
	long long next_id;
} table;

enum { UNITS, STAFF, STAFF_LINKS, ACTIVITIES, PARTS, COMPS, DIAGS, RESOURCES, DEVELOPS, NTABLES };
static table tables[NTABLES] = {
	{"INSERT INTO units(id,code,name,level,kind,parent,territory) VALUES(?,?,?,?,?,?,?)", 0, 0},
	{"INSERT INTO staff(id,code,name,org,role,birth_date,work_start,category,edu_level,subjects,"
	 "part_time,work_end) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)", 0, 0},
	{"INSERT INTO staff_links(id,kind,staff,unit,start) VALUES(?,?,?,?,?)", 0, 0},
	{"INSERT INTO activities(id,code,name,kind,level,organizer,provider,hours,federal_register,"
	 "format,start,\"end\") VALUES(?,?,?,?,?,?,?,?,?,?,?,?)", 0, 0},
	{"INSERT INTO participations(id,activity,staff,unit,role,start,\"end\",completed) "
	 "VALUES(?,?,?,?,?,?,?,?)", 0, 0},
	{"INSERT INTO competencies(id,code,name,framework,parent,kind) VALUES(?,?,?,?,?,?)", 0, 0},
	{"INSERT INTO diagnostics(id,staff,competency,date,score) VALUES(?,?,?,?,?)", 0, 0},
	{"INSERT INTO resources(id,code,name,kind,hours,format,provider,site,start,\"end\","
	 "federal_register,in_region,capacity) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", 0, 0},
	{"INSERT INTO develops(id,resource,competency,strength) VALUES(?,?,?,?)", 0, 0},
};

/* Binds the values after the id: 'i' int (-1 = NULL), 's' text (NULL =
 * NULL), 'd' a day number (-1 = NULL), 'f' a double; returns the id. */
static long long row(int t, const char *types, ...)
{
	table *tb = &tables[t];
	char buf[40];
	va_list ap;
	va_start(ap, types);
	sqlite3_bind_int64(tb->st, 1, tb->next_id);
	for (int k = 0; types[k]; k++) {
		int col = k + 2;
		if (types[k] == 'i') {
			long long v = va_arg(ap, long long);
			v < 0 ? sqlite3_bind_null(tb->st, col) : sqlite3_bind_int64(tb->st, col, v);
		} else if (types[k] == 's') {
			const char *s = va_arg(ap, const char *);
			s ? sqlite3_bind_text(tb->st, col, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(tb->st, col);
		} else if (types[k] == 'd') {
			int d = va_arg(ap, int);
			d < 0 ? sqlite3_bind_null(tb->st, col)
			      : sqlite3_bind_text(tb->st, col, date(d, buf), 10, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_double(tb->st, col, va_arg(ap, double));
		}
	}
	va_end(ap);
	if (sqlite3_step(tb->st) != SQLITE_DONE)
		die(tb->sql);
	sqlite3_reset(tb->st);
	return tb->next_id++;
}

#define I(v) ((long long)(v))

/* ---- the network ------------------------------------------------------ */

typedef struct muni {
	long long service, association, region_iro;
	int region;
	long long first_methodist, methodists;
	long long mentoring;   /* the mentoring programme (activity) */
	long long events[8];   /* activities */
} muni;

typedef struct region {
	long long iro, cnppm;
	double young, per_methodist;
	long long first_course, projects;
} region;

static char *text(const char *fmt, ...)
{
	static char buf[8][128];
	static int k;
	va_list ap;
	va_start(ap, fmt);
	char *b = buf[k++ % 8];
	vsnprintf(b, sizeof buf[0], fmt, ap);
	va_end(ap);
	return b;
}

static long long course_activity(const char *code, int federal, long long owner, int day)
{
	int hours = federal ? (chance(0.5) ? 72 : 36) : (chance(0.5) ? 36 : 16);
	return row(ACTIVITIES, "ssssiiiisdd", code, text("Курс %s", code), "course",
		   federal ? "federal" : "regional", I(federal ? -1 : owner), I(owner), I(hours),
		   I(federal), chance(0.5) ? "distance" : "blended", day, day + 20);
}

/* The people of one organisation (or the methodists of one service). */
static void staff_of(const scale *sc, const region *rg, const muni *mu, long long org, int kind,
		     int n, const char *role_all, long long *teachers)
{
	const int end = days_from_civil(LAST_YEAR, 12, 31);
	for (int k = 0; k < n; k++) {
		const char *role = role_all ? role_all : k < (n >= 10 ? 3 : 1) ? "manager" : "teacher";
		int young = chance(rg->young);
		int age = young ? 22 + rnd(13) : 35 + rnd(30);
		int birth = end - age * 365 - 30 - rnd(300);
		int start;
		if (young && chance(0.45))
			start = day_in(LAST_YEAR - 2, LAST_YEAR) ; /* first three years */
		else
			start = birth + (22 + rnd(age - 21 > 1 ? age - 21 : 1)) * 365;
		if (start > end)
			start = end - rnd(700);
		int departed = chance(0.02), left = departed ? day_in(LAST_YEAR - 1, LAST_YEAR) : -1;
		if (left >= 0 && left < start)
			left = start + rnd(end - start + 1);
		long long id = row(STAFF, "ssisddsssid", text("S%lld", tables[STAFF].next_id),
				   text("%s %s. %s.", surnames[rnd(12)], initials[rnd(12)], initials[rnd(12)]),
				   I(org), role, birth, start,
				   (const char *[]){"none", "conformity", "first", "highest"}[rnd(4)],
				   kind >= 0 ? org_kinds[kind] : "pd",
				   kind == 0 && !strcmp(role, "teacher") ? subjects[rnd(8)] : NULL,
				   I(chance(0.05)), left);
		if (!strcmp(role, "teacher"))
			++*teachers;
		if (chance(0.25)) /* a member of the city association */
			row(STAFF_LINKS, "siid", "member", id, mu->association, day_in(2019, LAST_YEAR));
		if (role_all)
			continue;
		/* courses: about 1.5 completed in the three years, federal or the region's */
		for (int c = rnd(4); c > 0; c--) {
			long long a = chance(0.4) ? rnd(sc->federal_courses)
						  : rg->first_course + rnd(sc->regional_courses);
			int day = day_in(FIRST_YEAR, LAST_YEAR);
			row(PARTS, "iiisddi", a, id, I(-1), "participant", day, day + 20, I(chance(0.9)));
		}
		/* young teachers in their first years: mentoring as mentees */
		if (young && end - start < 3 * 365)
			for (int y = FIRST_YEAR; y <= LAST_YEAR; y++)
				if (chance(0.5))
					row(PARTS, "iiisddi", mu->mentoring, id, I(-1), "mentee",
					    days_from_civil(y, 1, 15), days_from_civil(y, 6, 30), I(1));
		if (chance(0.1))
			row(PARTS, "iiisddi", rg->projects + rnd(sc->projects_per_region), id, I(-1),
			    "participant", days_from_civil(LAST_YEAR, 2, 1), days_from_civil(LAST_YEAR, 11, 30),
			    I(0));
		for (int e = rnd(6); e > 0; e--) { /* events: about 2.5 in three years */
			long long a = mu->events[rnd(8)];
			int day = day_in(FIRST_YEAR, LAST_YEAR);
			row(PARTS, "iiisddi", a, id, I(-1), "participant", day, day, I(1));
		}
	}
}

/* 35% of teachers and managers diagnosed on the 25 competencies; a tenth of
 * them again a year later. */
static void diagnostics(double share)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT id FROM staff WHERE role IN ('teacher','manager') ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		die("selecting staff");
	long long n = 0, *ids = NULL;
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if ((size_t)n == cap && !(ids = realloc(ids, (cap = cap ? 2 * cap : 4096) * sizeof *ids)))
			exit(3);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	for (long long i = 0; i < n; i++) {
		if (!chance(share))
			continue;
		int day = day_in(FIRST_YEAR, LAST_YEAR), again = chance(0.1);
		int base = 30 + rnd(50);
		for (int round = 0; round <= again; round++, day += 365)
			for (int c = 0; c < NCOMP; c++) {
				int score = base + rnd(41) - 20 + 5 * round;
				row(DIAGS, "iidf", ids[i], I(5 + c), day,
				    (double)(score < 0 ? 0 : score > 100 ? 100 : score));
			}
	}
	free(ids);
}

static void framework(void)
{
	for (int a = 0; a < 5; a++)
		row(COMPS, "sssis", text("G.%d", a + 1), text("Область %d", a + 1), "bench", I(-1), "area");
	for (int c = 0; c < NCOMP; c++)
		row(COMPS, "sssis", text("G.%d.%d", c / 5 + 1, c % 5 + 1), text("Компетенция %d", c + 1),
		    "bench", I(c / 5), "competency");
}

/* The route catalogue: the courses as resources, and the internships. */
static long long resource(const char *code, const char *kind, int hours, long long provider,
			  long long site, int federal, int capacity)
{
	int start = days_from_civil(2024, 2, 1) + rnd(200);
	long long id = row(RESOURCES, "sssisiiddiii", code, text("Ресурс %s", code), kind, I(hours),
			   chance(0.5) ? "distance" : "in_person", I(provider), I(site), start,
			   start + 30, I(federal), I(!federal), I(capacity));
	for (int k = 2 + rnd(3), first = rnd(NCOMP); k > 0; k--)
		row(DEVELOPS, "iii", id, I(5 + (first + 3 * k) % NCOMP), I(1 + rnd(3)));
	return id;
}

int main(int argc, char **argv)
{
	const scale *sc = NULL;
	const char *out = NULL;
	uint64_t seed = 1;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--scale"))
			for (size_t k = 0; k < sizeof scales / sizeof *scales; k++)
				sc = !strcmp(argv[i + 1], scales[k].name) ? &scales[k] : sc;
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--out"))
			out = argv[i + 1];
	}
	if (!sc || !out) {
		fprintf(stderr, "usage: gen --scale regional|national [--seed N] --out FILE\n");
		return 2;
	}
	state = seed;
	remove(out);
	mms_db *m;
	if (mms_db_open(&m, out, NULL) != MMS_OK) { /* the schema, as libmms makes it */
		fprintf(stderr, "gen: %s: %s\n", out, mms_db_errmsg(m));
		return 3;
	}
	mms_db_close(m);
	if (sqlite3_open(out, &db) != SQLITE_OK)
		die(out);
	exec("PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF; BEGIN");
	for (int t = 0; t < NTABLES; t++)
		if (sqlite3_prepare_v2(db, tables[t].sql, -1, &tables[t].st, NULL) != SQLITE_OK)
			die(tables[t].sql);

	long long ministry = row(UNITS, "ssssis", "RU-MIN", "Минпросвещения России", "federal", "ministry",
				 I(-1), "Российская Федерация");
	region *rg = calloc((size_t)sc->regions, sizeof *rg);
	muni *mu = calloc((size_t)sc->municipalities, sizeof *mu);
	if (!rg || !mu)
		return 3;
	framework();
	for (int c = 0; c < sc->federal_courses; c++) /* activity ids 0..: the Federal register */
		course_activity(text("FC%d", c), 1, ministry, day_in(FIRST_YEAR, LAST_YEAR));
	for (int r = 0; r < sc->regions; r++) {
		const char *terr = text("Регион %02d", r + 1);
		rg[r].iro = row(UNITS, "ssssis", text("R%02d-IRO", r + 1), text("ИРО региона %02d", r + 1),
				"regional", "institute", ministry, terr);
		rg[r].cnppm = row(UNITS, "ssssis", text("R%02d-CNPPM", r + 1),
				  text("ЦНППМ региона %02d", r + 1), "regional", "cnppm", rg[r].iro, terr);
		rg[r].young = 0.13 + 0.37 * unif();
		rg[r].per_methodist = 40 + 60 * unif();
		rg[r].first_course = tables[ACTIVITIES].next_id;
		for (int c = 0; c < sc->regional_courses; c++)
			course_activity(text("RC%02d-%d", r + 1, c), 0, rg[r].iro, day_in(FIRST_YEAR, LAST_YEAR));
		rg[r].projects = tables[ACTIVITIES].next_id;
		for (int p = 0; p < sc->projects_per_region; p++)
			row(ACTIVITIES, "ssssiiiisdd", text("IP%02d-%d", r + 1, p), text("Инновационный проект %d", p),
			    "innovation_project", "regional", rg[r].iro, rg[r].iro, I(-1), I(0), "blended",
			    days_from_civil(FIRST_YEAR, 1, 1), days_from_civil(LAST_YEAR, 12, 31));
	}
	for (int k = 0; k < sc->municipalities; k++) {
		int r = k % sc->regions;
		const char *terr = text("Муниципалитет %02d-%d", r + 1, k);
		mu[k].region = r;
		mu[k].service = row(UNITS, "ssssis", text("M%d", k), text("Методическая служба %d", k),
				    "municipal", "municipal_service", rg[r].iro, terr);
		mu[k].association = row(UNITS, "ssssis", text("M%d-A", k), text("Городское МО %d", k),
					"municipal", "municipal_association", mu[k].service, terr);
		mu[k].mentoring = row(ACTIVITIES, "ssssiiiisdd", text("MP%d", k), text("Наставничество %d", k),
				      "mentoring", "municipal", mu[k].service, mu[k].service, I(-1), I(0),
				      "in_person", days_from_civil(FIRST_YEAR, 1, 1),
				      days_from_civil(LAST_YEAR, 12, 31));
		for (int e = 0; e < 8; e++)
			mu[k].events[e] = row(ACTIVITIES, "ssssiiiisdd", text("EV%d-%d", k, e),
					      text("Семинар %d", e), "event", "municipal", mu[k].service,
					      mu[k].service, I(6), I(0), "in_person", -1, -1);
	}
	long long *site = malloc((size_t)sc->internship_sites * sizeof *site);
	for (int s = 0; s < sc->internship_sites; s++) {
		int k = rnd(sc->municipalities);
		site[s] = row(UNITS, "ssssis", text("IS%d", s), text("Стажировочная площадка %d", s),
			      "municipal", "internship_site", mu[k].service, text("Муниципалитет %d", k));
	}
	/* organisations, in municipality order, each with its people */
	long long *teachers = calloc((size_t)sc->municipalities, sizeof *teachers);
	long long orgs = 0;
	for (int kind = 0; kind < 4; kind++)
		orgs += sc->orgs[kind];
	for (long long o = 0, done[4] = {0}; o < orgs; o++) {
		int kind = rnd(4);
		while (done[kind] >= sc->orgs[kind])
			kind = (kind + 1) % 4;
		done[kind]++;
		int k = rnd(sc->municipalities);
		long long org = row(UNITS, "ssssis", text("O%lld", o), text("%s № %lld", org_kinds[kind], o),
				    "institutional", org_kinds[kind], mu[k].service, text("Муниципалитет %d", k));
		int n = sc->staff_per_org[kind] / 2 + rnd(sc->staff_per_org[kind] + 1);
		staff_of(sc, &rg[mu[k].region], &mu[k], org, kind, n, NULL, &teachers[k]);
		for (int y = FIRST_YEAR; y <= LAST_YEAR; y++) /* the organisation in a project */
			if (chance(0.3))
				row(PARTS, "iiisddi", rg[mu[k].region].projects + rnd(sc->projects_per_region),
				    I(-1), org, "participant", days_from_civil(y, 3, 1),
				    days_from_civil(y, 10, 31), I(0));
	}
	for (int k = 0; k < sc->municipalities; k++) { /* methodists: teachers / ratio of the region */
		int n = (int)(teachers[k] / rg[mu[k].region].per_methodist + 0.5);
		long long dummy = 0;
		staff_of(sc, &rg[mu[k].region], &mu[k], mu[k].service, -1, n > 0 ? n : 1, "methodist", &dummy);
	}
	/* the centre's own methodists (moscow.7 counts teachers per regional
	 * methodist): one per 400-1,000 of the region's teachers */
	for (int r = 0; r < sc->regions; r++) {
		long long t = 0, dummy = 0;
		for (int k = r; k < sc->municipalities; k += sc->regions)
			t += teachers[k];
		int n = (int)(t / (400 + 600 * unif()) + 0.5);
		staff_of(sc, &rg[r], &mu[r], rg[r].cnppm, -1, n > 0 ? n : 1, "methodist", &dummy);
	}
	diagnostics(0.35);
	for (int c = 0; c < sc->federal_courses; c++)
		resource(text("FC%d", c), "course", 72, ministry, -1, 1, 500);
	for (int r = 0; r < sc->regions; r++)
		for (int c = 0; c < sc->regional_courses; c++)
			resource(text("RC%02d-%d", r + 1, c), "course", 36, rg[r].iro, -1, 0, 30);
	for (int s = 0; s < sc->internship_sites; s++)
		resource(text("IS%d", s), "internship", 16, -1, site[s], 0, 10);
	for (int t = 0; t < NTABLES; t++)
		sqlite3_finalize(tables[t].st);
	exec("COMMIT; PRAGMA journal_mode=WAL");
	sqlite3_close(db);
	printf("{\"scale\": \"%s\", \"seed\": %llu, \"units\": %lld, \"staff\": %lld, "
	       "\"participations\": %lld, \"diagnostics\": %lld, \"resources\": %lld}\n",
	       sc->name, (unsigned long long)seed, tables[UNITS].next_id, tables[STAFF].next_id,
	       tables[PARTS].next_id, tables[DIAGS].next_id, tables[RESOURCES].next_id);
	free(rg);
	free(mu);
	free(site);
	free(teachers);
	return 0;
}
