/*
 * Property test of the incremental recompute (issue 12): thousands of
 * random inserts, updates of every kind of field (org moves too), deletes
 * with cascade, upserts that change records in place, and writes refused
 * (so undone) are applied to the Murom demo, and every few operations the
 * values a long-lived catalogue keeps up to date are compared with those a
 * fresh handle computes in full, at every unit, for every built-in
 * indicator and several years: numerator, denominator, definedness, the
 * number of units and the status, exactly; and the network index the
 * long-lived handle keeps up to date (staff by organisation) equals the
 * one the fresh handle builds. The seed is fixed, so a failure
 * replays; MMS_INCREMENTAL_SEED and MMS_INCREMENTAL_OPS try others.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h" /* white box: the network index is compared too */
#include "helpers.h"

enum { FIRST_YEAR = 2022, LAST_YEAR = 2024, NYEARS = LAST_YEAR - FIRST_YEAR + 1 };

typedef struct codes {
	char **v;
	size_t n, cap;
} codes;

typedef struct world {
	mms_db *db;
	mms_kpi *kpi; /* lives through every operation: brought up to date */
	char *dir, *path;
	uint64_t rng;
	codes staff, units, orgs, acts;
	int next; /* numbers new codes */
	size_t done[8]; /* operations that succeeded, by kind (for the summary) */
	size_t refused;
} world;

static uint64_t next(world *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static size_t pick(world *w, size_t n)
{
	return (size_t)(next(w) % n);
}

static void push(codes *c, const char *s)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = realloc(c->v, c->cap * sizeof *c->v);
		assert_non_null(c->v);
	}
	c->v[c->n] = strdup(s);
	assert_non_null(c->v[c->n]);
	c->n++;
}

static void drop(codes *c, size_t i)
{
	free(c->v[i]);
	c->v[i] = c->v[--c->n];
}

static void codes_free(codes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
}

static int has(const codes *c, const char *s)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i], s))
			return 1;
	return 0;
}

/* The codes of every live record of an entity. */
static void collect(world *w, int e, codes *out)
{
	size_t n;
	T_OK(w->db, mms_db_count(w->db, e, &n));
	for (int32_t id = 0; out->n < n; id++) {
		char *code = NULL;
		if (mms_db_get(w->db, e, id, "code", &code) == MMS_OK && code)
			push(out, code);
		mms_free(code);
	}
}

static const char *const categories[] = {"none", "conformity", "first", "highest", ""};
static const char *const roles[] = {"teacher", "teacher", "manager", "methodist"};
static const char *const edu_levels[] = {"school", "preschool", "college", "supplementary", ""};
static const char *const fact_keys[] = {"murom.roadmaps_done", "murom.pd_plan_done",
					"tyva.doc.1.1", "tyva.doc.4.1", "salda.low_results",
					"moscow.measures", "tyva.managers.reserve"};

static void date(world *w, int from_year, int years, char *out, size_t len)
{
	snprintf(out, len, "%d-%02d-%02d", from_year + (int)pick(w, (size_t)years),
		 1 + (int)pick(w, 12), 1 + (int)pick(w, 28));
}

static const char *staff_code(world *w)
{
	return w->staff.v[pick(w, w->staff.n)];
}

/* A methodist (who may support others), or NULL if a few draws find none. */
static const char *methodist(world *w)
{
	for (int tries = 0; tries < 40; tries++) {
		const char *code = staff_code(w);
		int32_t id;
		char *role = NULL;
		T_OK(w->db, mms_db_find(w->db, MMS_STAFF, code, &id));
		T_OK(w->db, mms_db_get(w->db, MMS_STAFF, id, "role", &role));
		int yes = role && !strcmp(role, "methodist");
		mms_free(role);
		if (yes)
			return code;
	}
	return NULL;
}

/* A participation of a person (given or random) in a random activity. */
static void participation(world *w, char *buf, size_t len, const char *who)
{
	const char *act = w->acts.v[pick(w, w->acts.n)], *role = "participant";
	char *kind = NULL, extra[96] = "";
	int32_t id;
	T_OK(w->db, mms_db_find(w->db, MMS_ACTIVITY, act, &id));
	T_OK(w->db, mms_db_get(w->db, MMS_ACTIVITY, id, "kind", &kind));
	if (!strcmp(kind, "survey"))
		role = "respondent";
	else if (!strcmp(kind, "mentoring"))
		role = pick(w, 2) ? "mentee" : "mentor";
	else if (!pick(w, 4))
		role = "speaker";
	mms_free(kind);
	if (!strcmp(role, "respondent"))
		snprintf(extra, sizeof extra, ", \"score\": %d", (int)pick(w, 101));
	else if (pick(w, 2))
		snprintf(extra, sizeof extra, ", \"completed\": %s", pick(w, 2) ? "true" : "false");
	snprintf(buf, len, "{\"activity\": \"%s\", \"staff\": \"%s\", \"role\": \"%s\"%s}",
		 act, who ? who : staff_code(w), role, extra);
}

static int import(world *w, const char *json, int upsert)
{
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.format = MMS_FORMAT_JSON;
	o.mode = upsert ? MMS_IMPORT_UPSERT : MMS_IMPORT_ADD;
	return mms_db_import_json(w->db, json, &o, NULL);
}

/* A new person, a few participations, a link and a fact, in one import
 * (upsert: a fact of a unit, key and year already there changes value). */
static void op_insert(world *w)
{
	char code[32], start[16], end[16], json[2048], p[256];
	snprintf(code, sizeof code, "PT-%d", w->next++);
	date(w, 2000, 22, start, sizeof start);
	date(w, 2022, 4, end, sizeof end);
	char extra[64] = "";
	if (!pick(w, 5))
		strcpy(extra, ", \"part_time\": true");
	else if (!pick(w, 5))
		snprintf(extra, sizeof extra, ", \"work_end\": \"%s\"", end);
	int n = snprintf(json, sizeof json, "{\"staff\": [{\"code\": \"%s\", \"name\": \"N\", "
			 "\"org\": \"%s\", \"role\": \"%s\", \"work_start\": \"%s\"%s}],"
			 " \"participations\": [", code, w->orgs.v[pick(w, w->orgs.n)],
			 roles[pick(w, 4)], start, extra);
	for (int k = 0, parts = 1 + (int)pick(w, 3); k < parts; k++) {
		participation(w, p, sizeof p, k == 0 ? code : NULL);
		n += snprintf(json + n, sizeof json - (size_t)n, "%s%s", k ? ", " : "", p);
	}
	const char *m = methodist(w);
	if (m)
		n += snprintf(json + n, sizeof json - (size_t)n,
			      "], \"staff_links\": [{\"kind\": \"supports\", \"staff\": \"%s\","
			      " \"target_staff\": \"%s\", \"start\": \"%s\"}", m, staff_code(w), end);
	n += snprintf(json + n, sizeof json - (size_t)n,
		      "], \"facts\": [{\"unit\": \"%s\", \"key\": \"%s\", \"year\": %d, \"value\": %d}]}",
		      w->units.v[pick(w, w->units.n)],
		      fact_keys[pick(w, sizeof fact_keys / sizeof *fact_keys)],
		      FIRST_YEAR + (int)pick(w, NYEARS), (int)pick(w, 2) * (int)pick(w, 101));
	T_OK(w->db, import(w, json, 1));
	push(&w->staff, code);
	w->done[0]++;
}

/* One field of a person, of every kind: enum, bool, date, reference (a
 * move to another organisation), list, text. */
static void op_update_staff(world *w)
{
	const char *code = staff_code(w), *field, *value;
	char d[16];
	switch (pick(w, 9)) {
	case 0: case 1: field = "org"; value = w->orgs.v[pick(w, w->orgs.n)]; break;
	case 2: field = "category"; value = categories[pick(w, 5)]; break;
	case 3: field = "role"; value = roles[pick(w, 4)]; break;
	case 4: field = "part_time"; value = pick(w, 3) ? "false" : "true"; break;
	case 5: field = "work_end"; date(w, 2021, 5, d, sizeof d); value = pick(w, 3) ? d : ""; break;
	case 6: field = "work_start"; date(w, 1995, 31, d, sizeof d); value = d; break;
	case 7: field = "edu_level"; value = edu_levels[pick(w, 5)]; break;
	default: field = "subjects"; value = pick(w, 2) ? "математика|физика" : ""; break;
	}
	const char *pairs[] = {field, value, NULL};
	int rc = mms_db_update(w->db, MMS_STAFF, code, pairs, NULL, NULL);
	if (rc == MMS_OK) {
		w->done[1]++;
		return;
	}
	/* the rules refuse some (a supporter who stops being a methodist):
	 * a refused write, to be undone */
	if (rc != MMS_ETYPE && rc != MMS_EREF && rc != MMS_EINVAL && rc != MMS_ERANGE)
		fail_msg("update %s %s=%s: %s", code, field, value, mms_db_errmsg(w->db));
	w->refused++;
}

/* A participation (no code: found by its natural key) changed in place by
 * an upsert: its score, completion or result; or its person's answer. */
static void op_upsert_participation(world *w)
{
	size_t n;
	T_OK(w->db, mms_db_count(w->db, MMS_PARTICIPATION, &n));
	char *act = NULL, *staff = NULL, *role = NULL, json[512];
	for (int tries = 0; tries < 20 && !(act && staff && role); tries++) {
		mms_free(act);
		mms_free(staff);
		mms_free(role);
		act = staff = role = NULL;
		int32_t id = (int32_t)pick(w, n + n / 4); /* ids of deleted ones too */
		mms_db_get(w->db, MMS_PARTICIPATION, id, "activity", &act);
		mms_db_get(w->db, MMS_PARTICIPATION, id, "staff", &staff);
		mms_db_get(w->db, MMS_PARTICIPATION, id, "role", &role);
	}
	if (act && staff && role) {
		snprintf(json, sizeof json, "{\"participations\": [{\"activity\": \"%s\", \"staff\": \"%s\","
			 " \"role\": \"%s\", \"score\": %d, \"completed\": %s}]}", act, staff, role,
			 (int)pick(w, 101), pick(w, 2) ? "true" : "false");
		T_OK(w->db, import(w, json, 1));
		w->done[2]++;
	}
	mms_free(act);
	mms_free(staff);
	mms_free(role);
}

/* What other records read through references: an activity's dates, a
 * unit's name (these take the full path). */
static void op_update_other(world *w)
{
	char d[16];
	if (pick(w, 2)) {
		date(w, FIRST_YEAR, NYEARS, d, sizeof d);
		const char *pairs[] = {"end", d, NULL};
		/* an end before the start is refused: a refused write too */
		w->done[3] += mms_db_update(w->db, MMS_ACTIVITY, w->acts.v[pick(w, w->acts.n)], pairs,
					   NULL, NULL) == MMS_OK;
	} else {
		snprintf(d, sizeof d, "U%d", w->next++);
		const char *pairs[] = {"name", d, NULL};
		T_OK(w->db, mms_db_update(w->db, MMS_UNIT, w->units.v[pick(w, w->units.n)], pairs,
					  NULL, NULL));
		w->done[3]++;
	}
}

/* A route handed to another person, tutor or developer (whose
 * organisation's kind has_route() reads), or its dates changed. */
static void op_update_route(world *w)
{
	size_t n;
	T_OK(w->db, mms_db_count(w->db, MMS_ROUTE, &n));
	char *code = NULL, d[16];
	for (int tries = 0; tries < 10 && !code; tries++)
		mms_db_get(w->db, MMS_ROUTE, (int32_t)pick(w, n + 8), "code", &code);
	if (!code)
		return;
	date(w, FIRST_YEAR, NYEARS, d, sizeof d);
	static const char *const fields[] = {"staff", "tutor", "developer", "end"};
	const char *pairs[] = {fields[pick(w, 4)], NULL, NULL};
	pairs[1] = strcmp(pairs[0], "end") ? staff_code(w) : d;
	int rc = mms_db_update(w->db, MMS_ROUTE, code, pairs, NULL, NULL);
	if (rc == MMS_OK)
		w->done[5]++;
	else
		w->refused++;
	mms_free(code);
}

/* A person with everything that is part of them; refused when a route
 * only mentions them (as its tutor): a refused write. */
static void op_delete_staff(world *w)
{
	size_t i = pick(w, w->staff.n);
	mms_delete_options o = MMS_DELETE_OPTIONS_INIT;
	o.cascade = 1;
	int rc = mms_db_delete(w->db, MMS_STAFF, w->staff.v[i], &o, NULL);
	if (rc == MMS_OK) {
		drop(&w->staff, i);
		w->done[4]++;
	} else {
		assert_int_equal(rc, MMS_EREF);
		w->refused++;
	}
}

/* Writes refused after they changed the model: each must leave it, and
 * the values, as they were. */
static void op_refused(world *w)
{
	char json[1024], p[256];
	int rc;
	switch (pick(w, 4)) {
	case 0: { /* a move to a unit that does not exist */
		const char *pairs[] = {"category", "first", "org", "NO-SUCH-UNIT", NULL};
		rc = mms_db_update(w->db, MMS_STAFF, staff_code(w), pairs, NULL, NULL);
		break;
	}
	case 1: { /* a value out of range, beside a good one */
		const char *pairs[] = {"part_time", "true", "category", "supreme", NULL};
		rc = mms_db_update(w->db, MMS_STAFF, staff_code(w), pairs, NULL, NULL);
		break;
	}
	case 2:
		if (pick(w, 3)) { /* a change to a person that does not exist */
			const char *pairs[] = {"category", "first", NULL};
			rc = mms_db_update(w->db, MMS_STAFF, "NO-SUCH", pairs, NULL, NULL);
			break;
		}
		/* an import whose last record is bad: the others are added, then undone */
		participation(w, p, sizeof p, NULL);
		snprintf(json, sizeof json, "{\"staff\": [{\"code\": \"PX-%d\", \"name\": \"N\", "
			 "\"org\": \"%s\", \"role\": \"teacher\"}], \"participations\": [%s, "
			 "{\"activity\": \"NO-SUCH\", \"staff\": \"%s\", \"role\": \"participant\"}]}",
			 w->next++, w->orgs.v[pick(w, w->orgs.n)], p, staff_code(w));
		rc = import(w, json, pick(w, 2));
		break;
	default: { /* a delete without a cascade of someone with records */
		mms_delete_options o = MMS_DELETE_OPTIONS_INIT;
		size_t i = pick(w, w->staff.n);
		rc = mms_db_delete(w->db, MMS_STAFF, w->staff.v[i], &o, NULL);
		if (rc == MMS_OK) /* nobody referred to them: deleted after all */
			drop(&w->staff, i);
		break;
	}
	}
	w->refused += rc != MMS_OK;
}

static int same(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

/* Every value the long-lived catalogue gives equals the one a fresh handle
 * (its own model, indexes and catalogue) computes in full: numerators,
 * denominators and values (NaN: undefined) at every unit in one call per
 * indicator and year; with statuses, the number of units and every field
 * of mms_kpi_value() unit by unit when `whole` (a call per unit costs a
 * lock of the file, so not every time). */
static void check(world *w, int op, int whole)
{
	mms_db *db2 = t_open(w->path);
	mms_kpi *fresh;
	T_OK(db2, mms_kpi_open(&fresh, db2));
	size_t nunits;
	T_OK(w->db, mms_db_count(w->db, MMS_UNIT, &nunits));
	size_t n = nunits + 16; /* ids of deleted units too, and past the last */
	double *v = malloc(6 * n * sizeof *v);
	assert_non_null(v);
	for (size_t i = 0; i < mms_kpi_count(w->kpi); i++) {
		const char *id = mms_kpi_id(w->kpi, i);
		for (int y = FIRST_YEAR; y <= LAST_YEAR; y++) {
			T_OK(w->db, mms_kpi_values(w->kpi, id, y, n, v, v + n, v + 2 * n));
			T_OK(db2, mms_kpi_values(fresh, id, y, n, v + 3 * n, v + 4 * n, v + 5 * n));
			for (size_t u = 0; u < n; u++)
				if (!same(v[u], v[3 * n + u]) || !same(v[n + u], v[4 * n + u]) ||
				    !same(v[2 * n + u], v[5 * n + u]))
					fail_msg("after operation %d, %s at unit %zu in %d: incremental %g/%g, "
						 "afresh %g/%g", op, id, u, y, v[n + u], v[2 * n + u],
						 v[4 * n + u], v[5 * n + u]);
			for (int32_t u = 0; whole && u < (int32_t)n; u++) {
				mms_kpi_result a = MMS_KPI_RESULT_INIT, b = MMS_KPI_RESULT_INIT;
				int ra = mms_kpi_value(w->kpi, id, u, y, &a);
				int rb = mms_kpi_value(fresh, id, u, y, &b);
				if (ra != rb)
					fail_msg("after operation %d, %s unit %d %d: %d but afresh %d", op, id,
						 u, y, ra, rb);
				if (ra == MMS_OK &&
				    (a.defined != b.defined || a.numerator != b.numerator ||
				     a.denominator != b.denominator || a.units != b.units ||
				     a.status != b.status || !same(a.value, b.value)))
					fail_msg("after operation %d, %s at unit %d in %d: incremental %g/%g "
						 "(%d units, status %d), afresh %g/%g (%d units, status %d)",
						 op, id, u, y, a.numerator, a.denominator, a.units, a.status,
						 b.numerator, b.denominator, b.units, b.status);
			}
		}
	}
	free(v);
	mms_kpi_close(fresh);
	mms_index *a = &w->db->idx, *b = &db2->idx;
	T_OK(w->db, mms_index_ensure(a, &w->db->m));
	T_OK(db2, mms_index_ensure(b, &db2->m));
	assert_int_equal(a->nunits, b->nunits);
	assert_memory_equal(a->staff_start, b->staff_start, (a->nunits + 1) * sizeof *a->staff_start);
	assert_memory_equal(a->staff_ids, b->staff_ids, (size_t)a->staff_start[a->nunits] * sizeof *a->staff_ids);
	mms_db_close(db2);
}

static int env_int(const char *name, int def)
{
	const char *s = getenv(name);
	return s && *s ? atoi(s) : def;
}

static void incremental_values_equal_full_recomputation_after_random_changes(void **state)
{
	(void)state;
	world w = {0};
	w.rng = (uint64_t)env_int("MMS_INCREMENTAL_SEED", 20261129) * 2654435761u + 1;
	int ops = env_int("MMS_INCREMENTAL_OPS", 2000), every = env_int("MMS_INCREMENTAL_EVERY", 8);
	w.dir = t_tmpdir();
	w.path = t_path(w.dir, "incremental.db");
	int32_t first_route;
	w.db = t_demo_with_routes(w.path, &first_route);
	collect(&w, MMS_STAFF, &w.staff);
	collect(&w, MMS_UNIT, &w.units);
	collect(&w, MMS_ACTIVITY, &w.acts);
	for (int32_t id = 0; id < 400; id++) { /* organisations people work at */
		char *org = NULL;
		if (mms_db_get(w.db, MMS_STAFF, id, "org", &org) == MMS_OK && org && !has(&w.orgs, org))
			push(&w.orgs, org);
		mms_free(org);
	}
	T_OK(w.db, mms_kpi_open(&w.kpi, w.db));
	check(&w, 0, 1);
	for (int op = 1; op <= ops; op++) {
		size_t k = pick(&w, 100);
		if (k < 15)
			op_insert(&w);
		else if (k < 58)
			op_update_staff(&w);
		else if (k < 70)
			op_upsert_participation(&w);
		else if (k < 75)
			op_update_route(&w);
		else if (k < 77)
			op_update_other(&w);
		else if (k < 87)
			op_delete_staff(&w);
		else
			op_refused(&w);
		if (op % every == 0)
			check(&w, op, op % (4 * every) == 0);
	}
	size_t full, incremental;
	mms_kpi_counters(w.kpi, &full, &incremental);
	print_message("%d operations: %zu inserts, %zu staff updates, %zu participation upserts, "
		      "%zu other updates, %zu deletes, %zu route updates, %zu refused; %zu full and %zu incremental "
		      "computations\n", ops, w.done[0], w.done[1], w.done[2], w.done[3], w.done[4],
		      w.done[5], w.refused, full, incremental);
	/* the property is about the incremental path: most updates take it */
	assert_true(incremental > full);
	assert_true(w.done[1] > (size_t)ops / 4 && w.done[4] > (size_t)ops / 40 &&
		    w.refused > (size_t)ops / 40);
	mms_kpi_close(w.kpi);
	mms_db_close(w.db);
	codes_free(&w.staff);
	codes_free(&w.units);
	codes_free(&w.orgs);
	codes_free(&w.acts);
	t_rmtree(w.dir);
	free(w.dir);
	free(w.path);
}

/* has_route() reads the organisation of a route's tutor and developer,
 * who are not the route's person: when they move, the person's value
 * changes, and the incremental update must find the person through them. */
static void a_tutors_move_changes_the_values_of_their_routes_people(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *path = t_path(dir, "tutor.db");
	int32_t route;
	mms_db *db = t_demo_with_routes(path, &route);
	char *code = t_get(db, MMS_ROUTE, route, "code");
	t_import(db, "{\"staff\": [{\"code\": \"CN1\", \"name\": \"Н\", \"org\": \"VLA-CNPPM\","
		     " \"role\": \"methodist\"}]}");
	const char *by_cn1[] = {"tutor", "CN1", "developer", "CN1", "developed_on", "2024-01-10", NULL};
	T_OK(db, mms_db_update(db, MMS_ROUTE, code, by_cn1, NULL, NULL));
	mms_kpi *kpi, *fresh;
	T_OK(db, mms_kpi_open(&kpi, db));
	static const char *const ids[] = {"cnppm.routes", "cnppm.routes_developed"};
	mms_kpi_result before[2], after = MMS_KPI_RESULT_INIT, full = MMS_KPI_RESULT_INIT;
	for (int i = 0; i < 2; i++) {
		before[i] = (mms_kpi_result)MMS_KPI_RESULT_INIT;
		T_OK(db, mms_kpi_value(kpi, ids[i], 0, 2024, &before[i]));
		assert_true(before[i].numerator >= 1);
	}
	size_t full0, full1, inc;
	mms_kpi_counters(kpi, &full0, &inc);
	const char *move[] = {"org", "MUR-SCH-01", NULL}; /* the tutor leaves the centre */
	T_OK(db, mms_db_update(db, MMS_STAFF, "CN1", move, NULL, NULL));
	T_OK(db, mms_kpi_open(&fresh, db));
	for (int i = 0; i < 2; i++) {
		T_OK(db, mms_kpi_value(kpi, ids[i], 0, 2024, &after));
		T_OK(db, mms_kpi_value(fresh, ids[i], 0, 2024, &full));
		assert_true(after.numerator == before[i].numerator - 1);
		assert_true(after.numerator == full.numerator && after.denominator == full.denominator);
	}
	mms_kpi_counters(kpi, &full1, &inc);
	assert_int_equal(full1, full0); /* followed, not computed afresh */
	mms_kpi_close(fresh);
	mms_kpi_close(kpi);
	mms_free(code);
	mms_db_close(db);
	t_rmtree(dir);
	free(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(incremental_values_equal_full_recomputation_after_random_changes),
		cmocka_unit_test(a_tutors_move_changes_the_values_of_their_routes_people),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
