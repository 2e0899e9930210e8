/*
 * Computing indicators: one pass over the population attributes each
 * counted record to its unit; one reverse pre-order pass sums numerators
 * and denominators up the hierarchy (ratio of sums), or folds unit values
 * (mean, min, max). Values are cached per indicator and year until the
 * model changes. Targets are inherited down the hierarchy.
 */
#include <math.h>
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

/* Participations by staff and by unit, staff links by staff, facts by unit. */
int mms_kpi_ensure_env(mms_kpi *kpi)
{
	const mms_model *m = &kpi->db->m;
	if (kpi->env_valid && kpi->env_generation == m->generation)
		return MMS_OK;
	int32_t **arrays[] = {&kpi->ps_start, &kpi->ps, &kpi->pu_start, &kpi->pu,
			      &kpi->sl_start, &kpi->sl, &kpi->fa_start, &kpi->fa,
			      &kpi->dg_start, &kpi->dg, &kpi->rt_start, &kpi->rt,
			      &kpi->re_start, &kpi->re, &kpi->latest};
	for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
		mms_free(*arrays[i]);
		*arrays[i] = NULL;
	}
	kpi->env_valid = 0;
	size_t nu = m->t[MMS_UNIT].count, ns = m->t[MMS_STAFF].count;
	size_t np = m->t[MMS_PARTICIPATION].count, nl = m->t[MMS_STAFF_LINK].count;
	int rc = mms_index_csr(ns, np, mms_column(m, MMS_PARTICIPATION, P_STAFF), NULL,
			       P_NFIELDS, &kpi->ps_start, &kpi->ps);
	if (rc == MMS_OK)
		rc = mms_index_csr(nu, np, mms_column(m, MMS_PARTICIPATION, P_UNIT), NULL,
				   P_NFIELDS, &kpi->pu_start, &kpi->pu);
	if (rc == MMS_OK)
		rc = mms_index_csr(ns, nl, mms_column(m, MMS_STAFF_LINK, SL_STAFF), NULL,
				   SL_NFIELDS, &kpi->sl_start, &kpi->sl);
	if (rc == MMS_OK)
		rc = mms_index_csr(nu, m->t[MMS_FACT].count, mms_column(m, MMS_FACT, FA_UNIT), NULL,
				   FA_NFIELDS, &kpi->fa_start, &kpi->fa);
	if (rc == MMS_OK)
		rc = mms_index_csr(ns, m->t[MMS_DIAGNOSTIC].count, mms_column(m, MMS_DIAGNOSTIC, D_STAFF),
				   NULL, D_NFIELDS, &kpi->dg_start, &kpi->dg);
	if (rc == MMS_OK)
		rc = mms_index_csr(ns, m->t[MMS_ROUTE].count, mms_column(m, MMS_ROUTE, RT_STAFF), NULL,
				   RT_NFIELDS, &kpi->rt_start, &kpi->rt);
	if (rc == MMS_OK)
		rc = mms_index_csr(m->t[MMS_ROUTE].count, m->t[MMS_ROUTE_EVENT].count,
				   mms_column(m, MMS_ROUTE_EVENT, EV_ROUTE), NULL, EV_NFIELDS,
				   &kpi->re_start, &kpi->re);
	size_t nc = m->t[MMS_COMPETENCY].count;
	if (rc == MMS_OK && !(kpi->latest = mms_malloc((nc + 1) * sizeof *kpi->latest)))
		rc = MMS_ENOMEM;
	if (rc == MMS_OK)
		memset(kpi->latest, 0xff, (nc + 1) * sizeof *kpi->latest); /* all -1 */
	if (rc != MMS_OK)
		return mms_kpi_fail(kpi, rc, "out of memory indexing participations");
	kpi->env_valid = 1;
	kpi->env_generation = m->generation;
	return MMS_OK;
}

void mms_kpi_env(const mms_kpi *kpi, const indicator *d, int year, expr_env *v)
{
	v->m = &kpi->db->m;
	v->ix = &kpi->db->idx;
	mms_kpi_period(d, year, &v->start, &v->end);
	v->part_staff_start = kpi->ps_start;
	v->part_staff = kpi->ps;
	v->part_unit_start = kpi->pu_start;
	v->part_unit = kpi->pu;
	v->sl_start = kpi->sl_start;
	v->sl = kpi->sl;
	v->fact_start = kpi->fa_start;
	v->fact = kpi->fa;
	v->dg_start = kpi->dg_start;
	v->dg = kpi->dg;
	v->rt_start = kpi->rt_start;
	v->rt = kpi->rt;
	v->re_start = kpi->re_start;
	v->re = kpi->re;
	v->latest = kpi->latest;
	v->year = year;
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
	switch (d->pop) {
	case POP_STAFF: {
		/* staff as at the end of the period: not part-timers, not those gone */
		const int32_t *s = mms_row(m, MMS_STAFF, rec);
		if ((!d->include_part_time && s[S_PART_TIME]) ||
		    (!d->include_departed && s[S_WORK_END] != MMS_NONE && s[S_WORK_END] < v->end))
			return -1;
		return s[S_ORG];
	}
	case POP_UNITS:
		return rec;
	case POP_ACTIVITIES: {
		const int32_t *a = mms_row(m, MMS_ACTIVITY, rec);
		if (!overlaps(a[A_START], a[A_END], v))
			return -1;
		return a[A_ORGANIZER] >= 0 ? a[A_ORGANIZER] : a[A_PROVIDER];
	}
	default: {
		const int32_t *p = mms_row(m, MMS_PARTICIPATION, rec);
		const int32_t *a = mms_row(m, MMS_ACTIVITY, p[P_ACTIVITY]);
		int32_t s = p[P_START] != MMS_NONE ? p[P_START] : a[A_START];
		int32_t e = p[P_END] != MMS_NONE ? p[P_END] : a[A_END];
		if (!overlaps(s, e, v))
			return -1;
		if (p[P_STAFF] >= 0) {
			const int32_t *st = mms_row(m, MMS_STAFF, p[P_STAFF]);
			return !d->include_part_time && st[S_PART_TIME] ? -1 : st[S_ORG];
		}
		return p[P_UNIT];
	}
	}
}

size_t mms_kpi_population_size(const indicator *d, const mms_model *m)
{
	static const int entity[POP_COUNT] = {MMS_STAFF, MMS_UNIT, MMS_ACTIVITY,
					      MMS_PARTICIPATION};
	return m->t[entity[d->pop]].count;
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

void mms_kpi_classify(const indicator *d, const expr_env *v, int32_t rec, double *num,
		      double *den)
{
	*num = *den = 0;
	if (!mms_expr_true(&d->filter, v, rec))
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

static int grow_records(computed *c, const indicator *d, size_t recs)
{
	if (weighted_kind(d)) {
		double *n = mms_realloc(c->rnum, (recs + 1) * sizeof *n);
		if (n)
			c->rnum = n;
		double *e = n ? mms_realloc(c->rden, (recs + 1) * sizeof *e) : NULL;
		if (!e)
			return MMS_ENOMEM;
		c->rden = e;
	} else {
		uint8_t *f = mms_realloc(c->rflags, recs + 1);
		if (!f)
			return MMS_ENOMEM;
		c->rflags = f;
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

/* Marks the existing records of d's population that rows added since the
 * computation can change, and the new ones (docs/indicators.md). */
static void touched(const mms_kpi *kpi, const indicator *d, const computed *c, uint8_t *t)
{
	const mms_model *m = &kpi->db->m;
	const mms_index *ix = &kpi->db->idx;
	static const int entity[POP_COUNT] = {MMS_STAFF, MMS_UNIT, MMS_ACTIVITY, MMS_PARTICIPATION};
	size_t recs = m->t[entity[d->pop]].count;
#define NEW(e) for (size_t i = c->marks[e]; i < m->t[e].count; i++)
#define ROW(e) mms_row(m, e, (int32_t)i)
#define MARK(x) do { int32_t x_ = (x); if (x_ >= 0 && (size_t)x_ < recs) t[x_] = 1; } while (0)
	for (size_t r = c->marks[entity[d->pop]]; r < recs; r++)
		t[r] = 1;
	if (d->pop == POP_STAFF) {
		NEW(MMS_PARTICIPATION) MARK(ROW(MMS_PARTICIPATION)[P_STAFF]);
		NEW(MMS_STAFF_LINK) MARK(ROW(MMS_STAFF_LINK)[SL_STAFF]);
		NEW(MMS_DIAGNOSTIC) MARK(ROW(MMS_DIAGNOSTIC)[D_STAFF]);
		NEW(MMS_ROUTE) MARK(ROW(MMS_ROUTE)[RT_STAFF]);
		NEW(MMS_ROUTE_STEP) MARK(mms_row(m, MMS_ROUTE, ROW(MMS_ROUTE_STEP)[ST_ROUTE])[RT_STAFF]);
		NEW(MMS_ROUTE_EVENT) MARK(mms_row(m, MMS_ROUTE, ROW(MMS_ROUTE_EVENT)[EV_ROUTE])[RT_STAFF]);
		NEW(MMS_FACT) { /* org_has_fact: everyone at the unit */
			int32_t u = ROW(MMS_FACT)[FA_UNIT];
			for (int32_t k = ix->staff_start[u]; k < ix->staff_start[u + 1]; k++)
				MARK(ix->staff_ids[k]);
		}
	} else if (d->pop == POP_UNITS) {
		NEW(MMS_PARTICIPATION) {
			int32_t s = ROW(MMS_PARTICIPATION)[P_STAFF];
			MARK(ROW(MMS_PARTICIPATION)[P_UNIT]);
			if (s >= 0)
				MARK(mms_row(m, MMS_STAFF, s)[S_ORG]);
		}
		NEW(MMS_LINK) {
			MARK(ROW(MMS_LINK)[L_FROM]);
			MARK(ROW(MMS_LINK)[L_TO]);
		}
		NEW(MMS_FACT) MARK(ROW(MMS_FACT)[FA_UNIT]);
	}
#undef NEW
#undef ROW
#undef MARK
}

/* Brings c up to the data: each touched record's change walks up its path. */
static int incremental(mms_kpi *kpi, indicator *d, computed *c)
{
	const mms_model *m = &kpi->db->m;
	size_t recs = mms_kpi_population_size(d, m);
	uint8_t *t = mms_calloc(recs + 1, 1);
	if (!t || grow_records(c, d, recs) != MMS_OK) {
		mms_free(t);
		return MMS_ENOMEM;
	}
	touched(kpi, d, c, t);
	expr_env v;
	mms_kpi_env(kpi, d, c->year, &v);
	for (size_t r = 0; r < recs; r++) {
		if (!t[r])
			continue;
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
	mms_free(t);
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
