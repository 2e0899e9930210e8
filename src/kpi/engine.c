/*
 * Computing indicators: one pass over the population attributes each
 * counted record to its unit; one reverse pre-order pass sums numerators
 * and denominators up the hierarchy (ratio of sums), or folds unit values
 * (mean, min, max). Values are cached per indicator and year until the
 * model changes. Targets are inherited down the hierarchy.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"

void mms_kpi_period(const indicator *d, int year, int32_t *start, int32_t *end)
{
	if (d->period == PERIOD_ACADEMIC) { /* 1 September to 31 August */
		*start = mms_date_from_ymd(year, 9, 1);
		*end = mms_date_from_ymd(year + 1, 8, 31);
	} else {
		*start = mms_date_from_ymd(year, 1, 1);
		*end = mms_date_from_ymd(year, 12, 31);
	}
}

static const struct env_index {
	int keys, recs, field, nfields;
} env_indexes[ENV_COUNT] = {
	[ENV_PART_STAFF] = {MMS_STAFF, MMS_PARTICIPATION, P_STAFF, P_NFIELDS},
	[ENV_PART_UNIT] = {MMS_UNIT, MMS_PARTICIPATION, P_UNIT, P_NFIELDS},
	[ENV_LINK_STAFF] = {MMS_STAFF, MMS_STAFF_LINK, SL_STAFF, SL_NFIELDS},
	[ENV_FACT_UNIT] = {MMS_UNIT, MMS_FACT, FA_UNIT, FA_NFIELDS},
	[ENV_DIAG_STAFF] = {MMS_STAFF, MMS_DIAGNOSTIC, D_STAFF, D_NFIELDS},
	[ENV_ROUTE_STAFF] = {MMS_STAFF, MMS_ROUTE, RT_STAFF, RT_NFIELDS},
	[ENV_EVENT_ROUTE] = {MMS_ROUTE, MMS_ROUTE_EVENT, EV_ROUTE, EV_NFIELDS},
	[ENV_LINK_TARGET] = {MMS_STAFF, MMS_STAFF_LINK, SL_TARGET_STAFF, SL_NFIELDS},
	[ENV_PAIR_MENTEE] = {MMS_STAFF, MMS_MENTORING_PAIR, MP_MENTEE, MP_NFIELDS},
	[ENV_PAIR_MENTOR] = {MMS_STAFF, MMS_MENTORING_PAIR, MP_MENTOR, MP_NFIELDS},
};

/* New keys without records: their runs are empty, at the end. The starts
 * grow geometrically (mms_grow), so that adding staff one import at a time
 * does not copy (and fault in) the whole array each time. */
static int env_extend(mms_kpi *kpi, int i, size_t keys)
{
	size_t old = kpi->env_keys[i];
	if (keys == old)
		return MMS_OK;
	if (mms_grow((void **)&kpi->env_start[i], &kpi->env_room[i], keys + 2, sizeof(int32_t)))
		return MMS_ENOMEM;
	int32_t *start = kpi->env_start[i];
	for (size_t k = old + 1; k < keys + 2; k++)
		start[k] = start[old];
	kpi->env_keys[i] = keys;
	return MMS_OK;
}

static int env_rebuild(mms_kpi *kpi, int i, size_t keys, size_t recs)
{
	const struct env_index *x = &env_indexes[i];
	mms_free(kpi->env_start[i]);
	mms_free(kpi->env_ids[i]);
	kpi->env_start[i] = kpi->env_ids[i] = NULL;
	int rc = mms_index_csr_live(&kpi->db->m, keys, x->recs, x->field, -1, &kpi->env_start[i],
				    &kpi->env_ids[i]);
	kpi->env_keys[i] = keys;
	kpi->env_recs[i] = recs;
	kpi->env_room[i] = keys + 2;
	return rc;
}

int mms_kpi_ensure_env(mms_kpi *kpi)
{
	const mms_model *m = &kpi->db->m;
	if (kpi->env_valid && kpi->env_generation == m->generation)
		return MMS_OK;
	/* the model only grew since (same epoch): rows are as they were */
	int grown = kpi->env_valid && kpi->env_epoch == m->epoch;
	kpi->env_valid = 0;
	int rc = MMS_OK;
	for (int i = 0; i < ENV_COUNT && rc == MMS_OK; i++) {
		size_t keys = m->t[env_indexes[i].keys].count, recs = m->t[env_indexes[i].recs].count;
		rc = grown && recs == kpi->env_recs[i] ? env_extend(kpi, i, keys)
						       : env_rebuild(kpi, i, keys, recs);
	}
	size_t nc = m->t[MMS_COMPETENCY].count + 1;
	if (rc == MMS_OK && nc > kpi->nlatest) {
		int32_t *l = mms_realloc(kpi->latest, nc * sizeof *l);
		if (!l)
			rc = MMS_ENOMEM;
		else {
			memset(l, 0xff, nc * sizeof *l); /* all -1 */
			kpi->latest = l;
			kpi->nlatest = nc;
		}
	}
	if (rc != MMS_OK)
		return mms_kpi_fail(kpi, rc, "out of memory indexing participations");
	kpi->env_valid = 1;
	kpi->env_generation = m->generation;
	kpi->env_epoch = m->epoch;
	return MMS_OK;
}

void mms_kpi_env(const mms_kpi *kpi, const indicator *d, int year, expr_env *v)
{
	v->m = &kpi->db->m;
	v->ix = &kpi->db->idx;
	mms_kpi_period(d, year, &v->start, &v->end);
	v->part_staff_start = kpi->env_start[ENV_PART_STAFF];
	v->part_staff = kpi->env_ids[ENV_PART_STAFF];
	v->part_unit_start = kpi->env_start[ENV_PART_UNIT];
	v->part_unit = kpi->env_ids[ENV_PART_UNIT];
	v->sl_start = kpi->env_start[ENV_LINK_STAFF];
	v->sl = kpi->env_ids[ENV_LINK_STAFF];
	v->st_start = kpi->env_start[ENV_LINK_TARGET];
	v->st = kpi->env_ids[ENV_LINK_TARGET];
	v->fact_start = kpi->env_start[ENV_FACT_UNIT];
	v->fact = kpi->env_ids[ENV_FACT_UNIT];
	v->dg_start = kpi->env_start[ENV_DIAG_STAFF];
	v->dg = kpi->env_ids[ENV_DIAG_STAFF];
	v->rt_start = kpi->env_start[ENV_ROUTE_STAFF];
	v->rt = kpi->env_ids[ENV_ROUTE_STAFF];
	v->re_start = kpi->env_start[ENV_EVENT_ROUTE];
	v->re = kpi->env_ids[ENV_EVENT_ROUTE];
	v->mp_start = kpi->env_start[ENV_PAIR_MENTEE];
	v->mp = kpi->env_ids[ENV_PAIR_MENTEE];
	v->mr_start = kpi->env_start[ENV_PAIR_MENTOR];
	v->mr = kpi->env_ids[ENV_PAIR_MENTOR];
	v->latest = kpi->latest;
	v->year = year;
	mms_expr_anniversaries(v);
}

static int overlaps(int32_t s, int32_t e, const expr_env *v)
{
	if (s == MMS_NONE && e == MMS_NONE)
		return 0; /* undated records belong to no period */
	if (s == MMS_NONE)
		s = e;
	if (e == MMS_NONE)
		e = s;
	return s <= v->end && e >= v->start;
}

/* The unit a record of the population counts at, or -1 if it does not
 * count for this period (out of it, part-time, unattributable). */
int32_t mms_kpi_record_unit(const indicator *d, const expr_env *v, int32_t rec)
{
	const mms_model *m = v->m;
	if (!mms_model_live(m, mms_population_entity[d->pop], rec)) /* deleted: in no population */
		return -1;
	switch (d->pop) {
	case POP_STAFF: {
		/* staff as at the end of the period: not part-timers, not those
		 * gone, and never those who only start work after it */
		const int32_t *s = mms_row(m, MMS_STAFF, rec);
		if ((!d->include_part_time && s[S_PART_TIME]) ||
		    (!d->include_departed && s[S_WORK_END] != MMS_NONE && s[S_WORK_END] < v->end) ||
		    (s[S_WORK_START] != MMS_NONE && s[S_WORK_START] > v->end))
			return -1;
		return mms_record_unit(m, MMS_STAFF, rec);
	}
	case POP_UNITS:
		return rec;
	case POP_ACTIVITIES: {
		const int32_t *a = mms_row(m, MMS_ACTIVITY, rec);
		if (!overlaps(a[A_START], a[A_END], v))
			return -1;
		return mms_record_unit(m, MMS_ACTIVITY, rec); /* src/model/owner.c */
	}
	default: {
		const int32_t *p = mms_row(m, MMS_PARTICIPATION, rec);
		int32_t s, e;
		if (!mms_participation_dates(m, rec, &s, &e) || !overlaps(s, e, v))
			return -1;
		if (p[P_STAFF] >= 0 && !d->include_part_time &&
		    mms_row(m, MMS_STAFF, p[P_STAFF])[S_PART_TIME])
			return -1;
		return mms_record_unit(m, MMS_PARTICIPATION, rec);
	}
	}
}

size_t mms_kpi_population_size(const indicator *d, const mms_model *m)
{
	return m->t[mms_population_entity[d->pop]].count;
}

/* A checklist's items present at a unit; a unit with no item recorded for
 * the year was not audited and is left out (-1), rather than scored 0. */
static int checklist_present(const indicator *d, const expr_env *v, int32_t unit)
{
	int present = 0, recorded = 0;
	for (int i = 0; i < d->nitems; i++) {
		double f = mms_fact_value(v, unit, d->items[i].key);
		recorded += !isnan(f);
		present += !isnan(f) && f != 0;
	}
	return recorded ? present : -1;
}

/* An answer of a survey share counted: in the period and the filter. */
static int answer_counts(const indicator *d, const expr_env *v, int32_t rec)
{
	return mms_kpi_record_unit(d, v, rec) >= 0 && mms_expr_true(&d->filter, v, rec);
}

/* Whether a later answer of the same respondent (the person, else the
 * unit answering as such) counts instead of rec: people, not answers, are
 * counted, by their latest answer (by date, then by id). */
static int superseded(const indicator *d, const expr_env *v, int32_t rec)
{
	const int32_t *p = mms_row(v->m, MMS_PARTICIPATION, rec);
	int by_staff = p[P_STAFF] >= 0;
	int32_t who = by_staff ? p[P_STAFF] : p[P_UNIT];
	const int32_t *start = by_staff ? v->part_staff_start : v->part_unit_start;
	const int32_t *ids = by_staff ? v->part_staff : v->part_unit;
	int32_t s, e, s2, e2;
	if (who < 0) /* unattributable: never counted, so never superseding */
		return 0;
	mms_participation_dates(v->m, rec, &s, &e);
	for (int32_t k = start[who]; k < start[who + 1]; k++) {
		int32_t other = ids[k];
		if (other == rec || (!by_staff && mms_row(v->m, MMS_PARTICIPATION, other)[P_STAFF] >= 0))
			continue;
		mms_participation_dates(v->m, other, &s2, &e2);
		if ((e2 > e || (e2 == e && other > rec)) && answer_counts(d, v, other))
			return 1;
	}
	return 0;
}

void mms_kpi_classify(const indicator *d, const expr_env *v, int32_t rec, double *num,
		      double *den)
{
	*num = *den = 0;
	if (!mms_expr_true(&d->filter, v, rec))
		return;
	if (d->kind == KIND_SURVEY_SHARE && d->pop == POP_PARTICIPATIONS && superseded(d, v, rec))
		return;
	switch (d->kind) {
	case KIND_YES_NO:
	case KIND_FACT_VALUE: {
		double f = mms_fact_value(v, rec, d->fact);
		if (isnan(f))
			return; /* unknown: not counted, so never a silent "no" */
		*num = d->kind == KIND_YES_NO ? f != 0 : f;
		*den = 1;
		return;
	}
	case KIND_CHECKLIST: {
		int present = checklist_present(d, v, rec);
		if (present >= 0) {
			*num = present;
			*den = d->nitems;
		}
		return;
	}
	case KIND_RATIO:
		*num = mms_expr_true(&d->num, v, rec);
		*den = mms_expr_true(&d->den, v, rec);
		return;
	default:
		*num = mms_expr_true(&d->num, v, rec);
		*den = 1;
	}
}

int mms_kpi_value_of(const indicator *d, double num, double den, double *out)
{
	switch (d->kind) {
	case KIND_COUNT:
		*out = num;
		return 1;
	case KIND_RATIO:
	case KIND_FACT_VALUE: /* the mean of the units' facts under ratio of sums */
		*out = den > 0 ? num / den : NAN;
		return den > 0;
	default:
		*out = den > 0 ? 100.0 * num / den : NAN;
		return den > 0;
	}
}

static double fold(int agg, double a, double b)
{
	return agg == AGG_MIN ? fmin(a, b) : agg == AGG_MAX ? fmax(a, b) : a + b;
}

/*
 * Folds each unit's own figures into its ancestors, deepest first.
 * Ratio of sums (and sum) add numerators and denominators; mean, min and
 * max combine the values of the units that have a value of their own.
 */
static int aggregate(const indicator *d, const mms_kpi *kpi, computed *c, const double *onum,
		     const double *oden)
{
	const mms_index *ix = &kpi->db->idx;
	const mms_model *m = &kpi->db->m;
	size_t n = ix->nunits;
	int by_value = d->agg == AGG_MEAN || d->agg == AGG_MIN || d->agg == AGG_MAX;
	int32_t *valued = by_value ? mms_calloc(n + 1, sizeof *valued) : NULL;
	if (by_value && !valued)
		return MMS_ENOMEM;
	for (size_t u = 0; u < n; u++) {
		c->num[u] = onum[u];
		c->den[u] = oden[u];
		c->units[u] = oden[u] > 0 || onum[u] > 0;
		if (by_value) {
			double own;
			valued[u] = c->units[u] && mms_kpi_value_of(d, onum[u], oden[u], &own);
			c->value[u] = valued[u] ? own : d->agg == AGG_MIN ? INFINITY
					: d->agg == AGG_MAX ? -INFINITY : 0;
		}
	}
	for (size_t k = n; k-- > 0;) {
		int32_t u = ix->pre[k], p = mms_row(m, MMS_UNIT, u)[U_PARENT];
		if (p < 0)
			continue;
		c->num[p] += c->num[u];
		c->den[p] += c->den[u];
		c->units[p] += c->units[u];
		if (by_value) {
			c->value[p] = fold(d->agg, c->value[p], c->value[u]);
			valued[p] += valued[u];
		}
	}
	for (size_t u = 0; u < n; u++) {
		if (!by_value) {
			c->defined[u] = (uint8_t)mms_kpi_value_of(d, c->num[u], c->den[u], &c->value[u]);
			continue;
		}
		c->defined[u] = valued[u] > 0;
		if (!c->defined[u])
			c->value[u] = NAN;
		else if (d->agg == AGG_MEAN)
			c->value[u] /= valued[u];
	}
	mms_free(valued);
	return MMS_OK;
}

static int weighted_kind(const indicator *d)
{
	return d->kind == KIND_YES_NO || d->kind == KIND_CHECKLIST || d->kind == KIND_FACT_VALUE;
}

/* Keeps what a record added, so a later change can take it back. */
static void remember(computed *c, const indicator *d, size_t r, double num, double den)
{
	if (weighted_kind(d)) {
		c->rnum[r] = num;
		c->rden[r] = den;
	} else {
		c->rflags[r] = (uint8_t)((den != 0) | (num != 0) << 1);
	}
}

static void recalled(const computed *c, const indicator *d, size_t r, double *num, double *den)
{
	if (r >= c->nrecs) {
		*num = *den = 0;
	} else if (weighted_kind(d)) {
		*num = c->rnum[r];
		*den = c->rden[r];
	} else {
		*den = c->rflags[r] & 1;
		*num = c->rflags[r] >> 1 & 1;
	}
}

/* Room for recs records, grown geometrically so that records added a few
 * at a time cost no copy of the whole population each time. */
static int grow_records(computed *c, const indicator *d, size_t recs)
{
	if (recs + 1 > c->recs_cap) {
		/* the first time with room for a few more, so that adding a teacher
		 * to a computed catalogue copies no arrays */
		size_t cap = c->recs_cap ? c->recs_cap + c->recs_cap / 2 : recs + 1 + recs / 32 + 64;
		if (cap < recs + 1)
			cap = recs + 1;
		if (weighted_kind(d)) {
			double *n = mms_realloc(c->rnum, cap * sizeof *n);
			if (n)
				c->rnum = n;
			double *e = n ? mms_realloc(c->rden, cap * sizeof *e) : NULL;
			if (!e)
				return MMS_ENOMEM;
			c->rden = e;
		} else {
			uint8_t *f = mms_realloc(c->rflags, cap);
			if (!f)
				return MMS_ENOMEM;
			c->rflags = f;
		}
		c->recs_cap = cap;
	}
	for (size_t r = c->nrecs; r < recs; r++)
		remember(c, d, r, 0, 0);
	c->nrecs = recs;
	return MMS_OK;
}

static int full(mms_kpi *kpi, indicator *d, int year, computed *c)
{
	const mms_model *m = &kpi->db->m;
	expr_env v;
	mms_kpi_env(kpi, d, year, &v);
	size_t n = kpi->db->idx.nunits, recs = mms_kpi_population_size(d, m);
	memset(c, 0, sizeof *c);
	c->year = year;
	c->generation = m->generation;
	c->epoch = m->epoch;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		c->marks[e] = m->t[e].count;
	c->onum = mms_calloc(n + 1, sizeof *c->onum);
	c->oden = mms_calloc(n + 1, sizeof *c->oden);
	c->num = mms_malloc((n + 1) * sizeof *c->num);
	c->den = mms_malloc((n + 1) * sizeof *c->den);
	c->value = mms_malloc((n + 1) * sizeof *c->value);
	c->defined = mms_malloc(n + 1);
	c->units = mms_malloc((n + 1) * sizeof *c->units);
	if (!c->onum || !c->oden || !c->num || !c->den || !c->value || !c->defined || !c->units ||
	    grow_records(c, d, recs) != MMS_OK)
		return MMS_ENOMEM;
	for (size_t r = 0; r < recs; r++) {
		int32_t u = mms_kpi_record_unit(d, &v, (int32_t)r);
		double num, den;
		if (u < 0)
			continue;
		mms_kpi_classify(d, &v, (int32_t)r, &num, &den);
		c->onum[u] += num;
		c->oden[u] += den;
		remember(c, d, r, num, den);
	}
	return aggregate(d, kpi, c, c->onum, c->oden);
}

/* Records to classify again, listed rather than flagged so that the work
 * is the size of the change, not of the population. */
typedef struct touch {
	int32_t *ids;
	size_t n, cap, recs;
	int rc;
} touch;

static void mark(touch *t, int32_t rec)
{
	if (rec < 0 || (size_t)rec >= t->recs || t->rc != MMS_OK)
		return;
	if (mms_grow((void **)&t->ids, &t->cap, t->n + 1, sizeof *t->ids))
		t->rc = MMS_ENOMEM;
	else
		t->ids[t->n++] = rec;
}

/* Lists, each once and in id order, the existing records of d's population
 * that rows added since the computation can change, and the new ones
 * (docs/indicators.md). */
static int touched(const mms_kpi *kpi, const indicator *d, const computed *c, touch *t)
{
	const mms_model *m = &kpi->db->m;
	const mms_index *ix = &kpi->db->idx;
	t->recs = m->t[mms_population_entity[d->pop]].count;
#define NEW(e) for (size_t i = c->marks[e]; i < m->t[e].count; i++)
#define ROW(e) mms_row(m, e, (int32_t)i)
	for (size_t r = c->marks[mms_population_entity[d->pop]]; r < t->recs; r++)
		mark(t, (int32_t)r);
	if (d->pop == POP_STAFF) {
		NEW(MMS_PARTICIPATION) mark(t, ROW(MMS_PARTICIPATION)[P_STAFF]);
		NEW(MMS_STAFF_LINK) {
			mark(t, ROW(MMS_STAFF_LINK)[SL_STAFF]);
			mark(t, ROW(MMS_STAFF_LINK)[SL_TARGET_STAFF]); /* supported() */
		}
		NEW(MMS_DIAGNOSTIC) mark(t, ROW(MMS_DIAGNOSTIC)[D_STAFF]);
		NEW(MMS_ROUTE) mark(t, ROW(MMS_ROUTE)[RT_STAFF]);
		NEW(MMS_ROUTE_STEP) mark(t, mms_row(m, MMS_ROUTE, ROW(MMS_ROUTE_STEP)[ST_ROUTE])[RT_STAFF]);
		NEW(MMS_ROUTE_EVENT) mark(t, mms_row(m, MMS_ROUTE, ROW(MMS_ROUTE_EVENT)[EV_ROUTE])[RT_STAFF]);
		NEW(MMS_MENTORING_PAIR) {
			mark(t, ROW(MMS_MENTORING_PAIR)[MP_MENTEE]);
			mark(t, ROW(MMS_MENTORING_PAIR)[MP_MENTOR]);
		}
		NEW(MMS_FACT) { /* org_has_fact: everyone at the unit */
			int32_t u = ROW(MMS_FACT)[FA_UNIT];
			for (int32_t k = ix->staff_start[u]; k < ix->staff_start[u + 1]; k++)
				mark(t, ix->staff_ids[k]);
		}
	} else if (d->pop == POP_UNITS) {
		NEW(MMS_PARTICIPATION) {
			int32_t s = ROW(MMS_PARTICIPATION)[P_STAFF];
			mark(t, ROW(MMS_PARTICIPATION)[P_UNIT]);
			if (s >= 0)
				mark(t, mms_row(m, MMS_STAFF, s)[S_ORG]);
		}
		NEW(MMS_LINK) {
			mark(t, ROW(MMS_LINK)[L_FROM]);
			mark(t, ROW(MMS_LINK)[L_TO]);
		}
		NEW(MMS_FACT) mark(t, ROW(MMS_FACT)[FA_UNIT]);
		NEW(MMS_MENTORING_PAIR) { /* mentoring_pair(): the mentee's organisation */
			mark(t, mms_row(m, MMS_STAFF, ROW(MMS_MENTORING_PAIR)[MP_MENTEE])[S_ORG]);
			mark(t, mms_row(m, MMS_STAFF, ROW(MMS_MENTORING_PAIR)[MP_MENTOR])[S_ORG]);
		}
	} else if (d->pop == POP_PARTICIPATIONS && d->kind == KIND_SURVEY_SHARE) {
		/* a new answer may supersede its respondent's earlier ones */
		const int32_t *ss = kpi->env_start[ENV_PART_STAFF], *si = kpi->env_ids[ENV_PART_STAFF];
		const int32_t *us = kpi->env_start[ENV_PART_UNIT], *ui = kpi->env_ids[ENV_PART_UNIT];
		NEW(MMS_PARTICIPATION) {
			int32_t s = ROW(MMS_PARTICIPATION)[P_STAFF], u = ROW(MMS_PARTICIPATION)[P_UNIT];
			const int32_t *start = s >= 0 ? ss : us, *ids = s >= 0 ? si : ui;
			int32_t who = s >= 0 ? s : u;
			for (int32_t k = who >= 0 ? start[who] : 0; who >= 0 && k < start[who + 1]; k++)
				mark(t, ids[k]);
		}
	}
#undef NEW
#undef ROW
	if (t->rc != MMS_OK)
		return t->rc;
	if (t->n > 1) /* none listed: no array at all */
		qsort(t->ids, t->n, sizeof *t->ids, mms_id_cmp);
	size_t kept = 0;
	for (size_t k = 0; k < t->n; k++)
		if (kept == 0 || t->ids[kept - 1] != t->ids[k])
			t->ids[kept++] = t->ids[k];
	t->n = kept;
	return MMS_OK;
}

/* Brings c up to the data: each touched record's change walks up its path. */
static int incremental(mms_kpi *kpi, indicator *d, computed *c)
{
	const mms_model *m = &kpi->db->m;
	touch t = {NULL, 0, 0, 0, MMS_OK};
	if (grow_records(c, d, mms_kpi_population_size(d, m)) != MMS_OK ||
	    touched(kpi, d, c, &t) != MMS_OK) {
		mms_free(t.ids);
		return MMS_ENOMEM;
	}
	expr_env v;
	mms_kpi_env(kpi, d, c->year, &v);
	for (size_t k = 0; k < t.n; k++) {
		size_t r = (size_t)t.ids[k];
		int32_t u = mms_kpi_record_unit(d, &v, (int32_t)r);
		double num = 0, den = 0, was_num, was_den;
		recalled(c, d, r, &was_num, &was_den);
		if (u >= 0)
			mms_kpi_classify(d, &v, (int32_t)r, &num, &den);
		remember(c, d, r, num, den);
		if (u < 0 || (num == was_num && den == was_den))
			continue;
		int had = c->oden[u] > 0 || c->onum[u] > 0;
		c->onum[u] += num - was_num;
		c->oden[u] += den - was_den;
		int has = c->oden[u] > 0 || c->onum[u] > 0;
		for (int32_t p = u; p >= 0; p = mms_row(m, MMS_UNIT, p)[U_PARENT]) {
			c->num[p] += num - was_num;
			c->den[p] += den - was_den;
			c->units[p] += has - had;
			c->defined[p] = (uint8_t)mms_kpi_value_of(d, c->num[p], c->den[p], &c->value[p]);
		}
	}
	mms_free(t.ids);
	c->generation = m->generation;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		c->marks[e] = m->t[e].count;
	return MMS_OK;
}

/* Whether c can be brought up to the data by touching a few records: the
 * model only grew (same epoch), the units are the same, and the rule sums. */
static int extendable(const mms_kpi *kpi, const indicator *d, const computed *c)
{
	const mms_model *m = &kpi->db->m;
	return c->epoch == m->epoch && c->marks[MMS_UNIT] == m->t[MMS_UNIT].count &&
	       (d->agg == AGG_RATIO_OF_SUMS || d->agg == AGG_SUM) && c->onum;
}

int mms_kpi_compute(mms_kpi *kpi, indicator *d, int year, const computed **out)
{
	const mms_model *m = &kpi->db->m;
	computed *c = NULL;
	for (size_t i = 0; i < d->ndone && !c; i++)
		if (d->done[i].year == year)
			c = &d->done[i];
	if (c && c->generation == m->generation) {
		*out = c;
		return MMS_OK;
	}
	int rc = mms_kpi_ensure_env(kpi);
	if (rc != MMS_OK)
		return rc;
	if (c && extendable(kpi, d, c)) {
		kpi->incremental++;
		if ((rc = incremental(kpi, d, c)) == MMS_OK) {
			*out = c;
			return MMS_OK;
		}
	} else if (!c) {
		if (mms_grow((void **)&d->done, &d->done_cap, d->ndone + 1, sizeof *d->done))
			return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory computing %s", d->id);
		c = &d->done[d->ndone++];
		memset(c, 0, sizeof *c);
	}
	/* a failed update leaves nothing half done: the entry is computed afresh */
	mms_computed_free(c);
	kpi->full++;
	if (rc != MMS_OK || (rc = full(kpi, d, year, c)) != MMS_OK) {
		mms_computed_free(c);
		*c = d->done[--d->ndone]; /* drop the entry; order does not matter */
		return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory computing %s", d->id);
	}
	*out = c;
	return MMS_OK;
}
