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
			      &kpi->re_start, &kpi->re};
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

int mms_kpi_compute(mms_kpi *kpi, indicator *d, int year, const computed **out)
{
	const mms_model *m = &kpi->db->m;
	for (size_t i = 0; i < d->ndone; i++)
		if (d->done[i].year == year && d->done[i].generation == m->generation) {
			*out = &d->done[i];
			return MMS_OK;
		}
	if (d->ndone && d->done[0].generation != m->generation)
		mms_indicator_forget(d);
	int rc = mms_kpi_ensure_env(kpi);
	if (rc != MMS_OK)
		return rc;
	expr_env v;
	mms_kpi_env(kpi, d, year, &v);
	size_t n = kpi->db->idx.nunits, recs = mms_kpi_population_size(d, m);
	computed c = {year, m->generation, NULL, NULL, NULL, NULL, NULL};
	double *onum = mms_calloc(n + 1, sizeof *onum), *oden = mms_calloc(n + 1, sizeof *oden);
	c.num = mms_malloc((n + 1) * sizeof *c.num);
	c.den = mms_malloc((n + 1) * sizeof *c.den);
	c.value = mms_malloc((n + 1) * sizeof *c.value);
	c.defined = mms_malloc(n + 1);
	c.units = mms_malloc((n + 1) * sizeof *c.units);
	if (!onum || !oden || !c.num || !c.den || !c.value || !c.defined || !c.units ||
	    mms_grow((void **)&d->done, &d->done_cap, d->ndone + 1, sizeof *d->done)) {
		mms_free(onum);
		mms_free(oden);
		mms_computed_free(&c);
		return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory computing %s", d->id);
	}
	for (size_t r = 0; r < recs; r++) {
		int32_t u = mms_kpi_record_unit(d, &v, (int32_t)r);
		double num, den;
		if (u < 0)
			continue;
		mms_kpi_classify(d, &v, (int32_t)r, &num, &den);
		onum[u] += num;
		oden[u] += den;
	}
	rc = aggregate(d, kpi, &c, onum, oden);
	mms_free(onum);
	mms_free(oden);
	if (rc != MMS_OK) {
		mms_computed_free(&c);
		return mms_kpi_fail(kpi, rc, "out of memory computing %s", d->id);
	}
	memmove(d->done + 1, d->done, d->ndone * sizeof *d->done);
	d->done[0] = c;
	d->ndone++;
	*out = &d->done[0];
	return MMS_OK;
}
