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

#include "domain/period.h"
#include "kpi.h"

void mms_kpi_period(const indicator *d, int year, int32_t *start, int32_t *end)
{
	mms_period_of_year(d->period == PERIOD_ACADEMIC, year, start, end);
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
	[ENV_ACT_ORGANIZER] = {MMS_UNIT, MMS_ACTIVITY, A_ORGANIZER, A_NFIELDS},
	[ENV_ROUTE_TUTOR] = {MMS_STAFF, MMS_ROUTE, RT_TUTOR, RT_NFIELDS},
	[ENV_ROUTE_DEVELOPER] = {MMS_STAFF, MMS_ROUTE, RT_DEVELOPER, RT_NFIELDS},
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
	/* the model only grew since (same epoch), and the rows changed in place
	 * or deleted since are of other tables than an index's records */
	int grown = kpi->env_valid && kpi->env_epoch == m->epoch;
	unsigned changed = grown ? mms_model_log_entities(m, kpi->env_log_pos) : 0;
	kpi->env_valid = 0;
	int rc = MMS_OK;
	for (int i = 0; i < ENV_COUNT && rc == MMS_OK; i++) {
		size_t keys = m->t[env_indexes[i].keys].count, recs = m->t[env_indexes[i].recs].count;
		rc = grown && recs == kpi->env_recs[i] && !(changed & 1u << env_indexes[i].recs)
			     ? env_extend(kpi, i, keys)
			     : env_rebuild(kpi, i, keys, recs);
	}
	/* past values: rebuilt whenever there are any and something changed (a
	 * past value added, corrected or deleted in place, or a staff member or
	 * unit added that an earlier past value names); with none, only when
	 * rows went (a rollback or reload, which starts a new epoch) */
	if (rc == MMS_OK && (!grown || m->t[MMS_PAST_VALUE].count)) {
		mms_timeline_free(&kpi->timeline);
		rc = mms_timeline_build(&kpi->timeline, m);
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
	kpi->env_log_pos = m->log_len;
	return MMS_OK;
}

void mms_kpi_env(const mms_kpi *kpi, const indicator *d, int year, expr_env *v)
{
	v->m = &kpi->db->m;
	v->ix = &kpi->db->idx;
	v->tl = &kpi->timeline;
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
	v->ao_start = kpi->env_start[ENV_ACT_ORGANIZER];
	v->ao = kpi->env_ids[ENV_ACT_ORGANIZER];
	v->mp_start = kpi->env_start[ENV_PAIR_MENTEE];
	v->mp = kpi->env_ids[ENV_PAIR_MENTEE];
	v->mr_start = kpi->env_start[ENV_PAIR_MENTOR];
	v->mr = kpi->env_ids[ENV_PAIR_MENTOR];
	v->latest = kpi->latest;
	v->year = year;
	mms_expr_anniversaries(v);
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
		/* staff as at the end of the period: not external part-timers
		 * and civil-law contracts (official statistics leave them out),
		 * not those gone, and never those who only start work after it;
		 * counting people, only their main post; at the organisation of
		 * that day */
		const int32_t *s = mms_row(m, MMS_STAFF, rec);
		if ((!d->include_part_time &&
		     (mms_value_at(v->tl, m, MMS_STAFF, rec, S_PART_TIME, v->end) ||
		      !mms_on_staff_at(v->tl, m, rec, v->end))) ||
		    (!d->include_departed && s[S_WORK_END] != MMS_NONE && s[S_WORK_END] < v->end) ||
		    (s[S_WORK_START] != MMS_NONE && s[S_WORK_START] > v->end) ||
		    (d->counts == COUNTS_PEOPLE && !mms_main_post_at(v->tl, m, rec, v->end)))
			return -1;
		return mms_value_at(v->tl, m, MMS_STAFF, rec, S_ORG, v->end);
	}
	case POP_UNITS:
		return rec;
	case POP_ACTIVITIES: {
		const int32_t *a = mms_row(m, MMS_ACTIVITY, rec);
		if (!mms_period_meets(a[A_START], a[A_END], v->start, v->end))
			return -1;
		return mms_record_unit(m, MMS_ACTIVITY, rec); /* src/model/owner.c */
	}
	default: {
		const int32_t *p = mms_row(m, MMS_PARTICIPATION, rec);
		int32_t s, e;
		if (!mms_participation_dates(m, rec, &s, &e) ||
		    !mms_period_meets(s, e, v->start, v->end))
			return -1;
		if (p[P_STAFF] >= 0 && !d->include_part_time &&
		    mms_value_at(v->tl, m, MMS_STAFF, p[P_STAFF], S_PART_TIME, e))
			return -1;
		/* a person's participation counts where they worked on its day */
		return p[P_STAFF] >= 0 ? mms_value_at(v->tl, m, MMS_STAFF, p[P_STAFF], S_ORG, e)
				       : mms_record_unit(m, MMS_PARTICIPATION, rec);
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
/*
 * The hierarchy as at day: each unit's parent, and an order in which every
 * unit comes after its parent. Without a past parent that is the current
 * hierarchy's pre-order (*parent NULL); with one, units by depth. A history
 * that would make a cycle on some day ends the walk at the unit it meets
 * again, as a root.
 */
static int hierarchy_at(const mms_kpi *kpi, int32_t day, int32_t **parent, int32_t **order)
{
	const mms_index *ix = &kpi->db->idx;
	const mms_model *m = &kpi->db->m;
	size_t n = ix->nunits;
	*parent = *order = NULL;
	if (!kpi->timeline.unit_parents) {
		*order = ix->pre;
		return MMS_OK;
	}
	int32_t *p = mms_malloc((n + 1) * sizeof *p), *depth = mms_calloc(n + 1, sizeof *depth);
	int32_t *o = mms_malloc((n + 1) * sizeof *o), *count = mms_calloc(n + 2, sizeof *count);
	if (!p || !depth || !o || !count) {
		mms_free(p);
		mms_free(depth);
		mms_free(o);
		mms_free(count);
		return MMS_ENOMEM;
	}
	for (size_t u = 0; u < n; u++)
		p[u] = mms_value_at(&kpi->timeline, m, MMS_UNIT, (int32_t)u, U_PARENT, day);
	for (size_t u = 0; u < n; u++) {
		int32_t k = 0;
		for (int32_t a = p[u]; a >= 0 && (size_t)k < n; a = p[a])
			k++;
		if ((size_t)k >= n) /* a cycle on that day */
			p[u] = -1, k = 0;
		depth[u] = k;
		count[k + 1]++;
	}
	for (size_t k = 1; k <= n; k++)
		count[k] += count[k - 1];
	for (size_t u = 0; u < n; u++)
		o[count[depth[u]]++] = (int32_t)u;
	mms_free(depth);
	mms_free(count);
	*parent = p;
	*order = o;
	return MMS_OK;
}

static int aggregate(const indicator *d, const mms_kpi *kpi, computed *c, const double *onum,
		     const double *oden, int32_t day)
{
	const mms_index *ix = &kpi->db->idx;
	const mms_model *m = &kpi->db->m;
	size_t n = ix->nunits;
	int32_t *parent, *order;
	if (hierarchy_at(kpi, day, &parent, &order) != MMS_OK)
		return MMS_ENOMEM;
	int by_value = d->agg == AGG_MEAN || d->agg == AGG_MIN || d->agg == AGG_MAX;
	int32_t *valued = by_value ? mms_calloc(n + 1, sizeof *valued) : NULL;
	if (by_value && !valued) {
		if (parent)
			mms_free(order);
		mms_free(parent);
		return MMS_ENOMEM;
	}
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
		int32_t u = order[k], p = parent ? parent[u] : mms_row(m, MMS_UNIT, u)[U_PARENT];
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
	if (parent)
		mms_free(order);
	mms_free(parent);
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
		int32_t *u = mms_realloc(c->runit, cap * sizeof *u);
		if (!u)
			return MMS_ENOMEM;
		c->runit = u;
		c->recs_cap = cap;
	}
	for (size_t r = c->nrecs; r < recs; r++) {
		remember(c, d, r, 0, 0);
		c->runit[r] = -1;
	}
	c->nrecs = recs;
	return MMS_OK;
}

/*
 * A member of a cohort (docs/indicators.md, "Cohorts") adds its
 * denominator where it entered the cohort (its organisation at the
 * period's start, or on the day it was hired) and its numerator where it
 * is retained (mms_retained_at()), so that ratio of sums reads a move as a
 * loss for the school left and as retention for the territory. Who is in
 * the cohort is read on the entry day (v0: the period's start), whether
 * retained at the period's end (v). -1: not counted there.
 */
static void cohort_units(const indicator *d, const expr_env *v, const expr_env *v0, int32_t rec,
			 int32_t *den_unit, int32_t *num_unit)
{
	const mms_model *m = v->m;
	*den_unit = *num_unit = -1;
	int32_t entry = mms_model_live(m, MMS_STAFF, rec) ? mms_cohort_entry(m, rec, v->start, v->end)
							   : MMS_NONE;
	if (entry == MMS_NONE ||
	    (!d->include_part_time && (mms_value_at(v->tl, m, MMS_STAFF, rec, S_PART_TIME, entry) ||
				       !mms_on_staff_at(v->tl, m, rec, entry))) ||
	    (d->counts == COUNTS_PEOPLE && !mms_main_post_at(v->tl, m, rec, entry)) ||
	    !mms_expr_true(&d->filter, v0, rec))
		return;
	int32_t from = mms_value_at(v->tl, m, MMS_STAFF, rec, S_ORG, entry);
	*den_unit = from;
	if (mms_employed_at(m, rec, v->end) && mms_expr_true(&d->num, v, rec))
		*num_unit = mms_retained_at(v->tl, m, from,
					    mms_value_at(v->tl, m, MMS_STAFF, rec, S_ORG, v->end), v->end);
}

void mms_kpi_entry_env(const expr_env *v, expr_env *v0)
{
	*v0 = *v;
	v0->end = v->start;
	mms_expr_anniversaries(v0);
}

void mms_kpi_attribute(const indicator *d, const expr_env *v, const expr_env *v0, int32_t rec,
		       mms_kpi_part *p)
{
	p->num = p->den = 0;
	if (d->cohort) {
		cohort_units(d, v, v0, rec, &p->den_unit, &p->num_unit);
		p->den = p->den_unit >= 0;
		p->num = p->num_unit >= 0;
		return;
	}
	p->den_unit = p->num_unit = mms_kpi_record_unit(d, v, rec);
	if (p->den_unit >= 0)
		mms_kpi_classify(d, v, rec, &p->num, &p->den);
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
	c->log_pos = m->log_len;
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
	expr_env v0;
	mms_kpi_entry_env(&v, &v0);
	for (size_t r = 0; r < recs; r++) {
		mms_kpi_part p;
		mms_kpi_attribute(d, &v, &v0, (int32_t)r, &p);
		if (p.num_unit >= 0)
			c->onum[p.num_unit] += p.num;
		if (p.den_unit >= 0)
			c->oden[p.den_unit] += p.den;
		remember(c, d, r, p.num, p.den);
		c->runit[r] = p.den_unit; /* one unit: a cohort is never followed */
	}
	int rc = aggregate(d, kpi, c, c->onum, c->oden, v.end);
	return rc == MMS_OK && d->agg == AGG_DISTINCT ? mms_kpi_distinct(d, &v, c) : rc;
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

/* The person a route's step or event is about. */
static int32_t route_staff(const mms_model *m, int32_t route)
{
	return route >= 0 ? mms_row(m, MMS_ROUTE, route)[RT_STAFF] : -1;
}

/* Lists the records of d's population that a row of entity e can change:
 * a new row, or a row changed in place or deleted as it is and as it was
 * (so a participation moved from one person to another marks both). The
 * population's own records are marked by the caller. */
static void mark_row(const mms_kpi *kpi, const indicator *d, touch *t, int e, int32_t id,
		     const int32_t *row)
{
	const mms_model *m = &kpi->db->m;
	const mms_index *ix = &kpi->db->idx;
	if (d->pop == POP_STAFF) {
		switch (e) {
		case MMS_STAFF: /* has_route() reads a tutor's and a developer's organisation */
			for (int i = ENV_ROUTE_TUTOR; i <= ENV_ROUTE_DEVELOPER; i++)
				for (int32_t k = kpi->env_start[i][id]; k < kpi->env_start[i][id + 1]; k++)
					mark(t, mms_row(m, MMS_ROUTE, kpi->env_ids[i][k])[RT_STAFF]);
			break;
		case MMS_PARTICIPATION: mark(t, row[P_STAFF]); break;
		case MMS_STAFF_LINK:
			mark(t, row[SL_STAFF]);
			mark(t, row[SL_TARGET_STAFF]); /* supported() */
			break;
		case MMS_DIAGNOSTIC: mark(t, row[D_STAFF]); break;
		case MMS_ROUTE: mark(t, row[RT_STAFF]); break;
		case MMS_ROUTE_STEP: mark(t, route_staff(m, row[ST_ROUTE])); break;
		case MMS_ROUTE_EVENT: mark(t, route_staff(m, row[EV_ROUTE])); break;
		case MMS_MENTORING_PAIR: /* mentoring_pair() */
			mark(t, row[MP_MENTEE]);
			mark(t, row[MP_MENTOR]);
			break;
		case MMS_FACT: /* org_has_fact: everyone at the unit (a fact names one);
				* the current staff is that of every day here, as
				* extendable() leaves past orgs to the full path */
			for (int32_t k = ix->staff_start[row[FA_UNIT]]; k < ix->staff_start[row[FA_UNIT] + 1]; k++)
				mark(t, ix->staff_ids[k]);
			break;
		default: break;
		}
	} else if (d->pop == POP_UNITS) {
		switch (e) {
		case MMS_PARTICIPATION: /* participated(): the unit's own, or its staff's */
			mark(t, row[P_UNIT]);
			if (row[P_STAFF] >= 0)
				mark(t, mms_row(m, MMS_STAFF, row[P_STAFF])[S_ORG]);
			break;
		case MMS_STAFF: mark(t, row[S_ORG]); break; /* its staff's participations */
		case MMS_LINK:
			mark(t, row[L_FROM]);
			mark(t, row[L_TO]);
			break;
		case MMS_FACT: mark(t, row[FA_UNIT]); break;
		case MMS_ACTIVITY: /* longest_gap(): the organiser and the units it is a structure of */
			for (int32_t u = row[A_ORGANIZER]; u >= 0; u = mms_row(m, MMS_UNIT, u)[U_PARENT])
				mark(t, u);
			break;
		case MMS_MENTORING_PAIR: /* mentoring_pair(): the organisations of both */
			mark(t, mms_row(m, MMS_STAFF, row[MP_MENTEE])[S_ORG]);
			mark(t, mms_row(m, MMS_STAFF, row[MP_MENTOR])[S_ORG]);
			break;
		default: break;
		}
	} else if (d->pop == POP_PARTICIPATIONS) {
		const int32_t *start = NULL, *ids = NULL;
		int32_t who = -1;
		if (e == MMS_STAFF) { /* counted at the person's unit, read through the person */
			who = id;
			start = kpi->env_start[ENV_PART_STAFF];
			ids = kpi->env_ids[ENV_PART_STAFF];
		} else if (e == MMS_PARTICIPATION && d->kind == KIND_SURVEY_SHARE) {
			/* an answer may supersede, or stop superseding, its respondent's others */
			int by_staff = row[P_STAFF] >= 0;
			who = by_staff ? row[P_STAFF] : row[P_UNIT];
			start = kpi->env_start[by_staff ? ENV_PART_STAFF : ENV_PART_UNIT];
			ids = kpi->env_ids[by_staff ? ENV_PART_STAFF : ENV_PART_UNIT];
		}
		for (int32_t k = who >= 0 ? start[who] : 0; who >= 0 && k < start[who + 1]; k++)
			mark(t, ids[k]);
	}
}

/* Whether a change in place (or a delete) of a record of entity e can be
 * followed record by record for d (docs/indicators.md). Units (a parent, a
 * kind), activities, competencies and resources are read through many
 * records' references, with no index from them to those records: their
 * changes take the full path, as do a unit's deletion. */
static int followed(const indicator *d, int e)
{
	switch (e) {
	case MMS_UNIT:
	case MMS_PAST_VALUE: return 0; /* moves what records say on past days */
	case MMS_ACTIVITY:
	case MMS_COMPETENCY:
	case MMS_RESOURCE: return e == mms_population_entity[d->pop];
	default: return 1;
	}
}

/* Lists, each once and in id order, the records of d's population that
 * rows added, changed or deleted since the computation can change
 * (docs/indicators.md): the new records, those changed themselves, and
 * those mark_row() names for the other rows. */
static int touched(const mms_kpi *kpi, const indicator *d, const computed *c, touch *t)
{
	const mms_model *m = &kpi->db->m;
	int pe = mms_population_entity[d->pop];
	t->recs = m->t[pe].count;
	for (size_t r = c->marks[pe]; r < t->recs; r++)
		mark(t, (int32_t)r);
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		for (size_t i = c->marks[e]; i < m->t[e].count; i++)
			mark_row(kpi, d, t, e, (int32_t)i, mms_row(m, e, (int32_t)i));
	size_t pos = c->log_pos;
	mms_logged l;
	while (mms_model_logged(m, &pos, &l)) {
		if ((size_t)l.id >= c->marks[l.e])
			continue; /* added since: listed above, as it is now */
		if (l.e == pe)
			mark(t, l.id);
		if (l.old)
			mark_row(kpi, d, t, l.e, l.id, l.old);
		mark_row(kpi, d, t, l.e, l.id, mms_row(m, l.e, l.id));
	}
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

/* Adds a record's figures (negative: takes them back) to its unit's own
 * and to every subtree on the unit's path to the root. */
static void walk_up(const indicator *d, const mms_model *m, computed *c, int32_t u, double num,
		    double den)
{
	int had = c->oden[u] > 0 || c->onum[u] > 0;
	c->onum[u] += num;
	c->oden[u] += den;
	int has = c->oden[u] > 0 || c->onum[u] > 0;
	for (int32_t p = u; p >= 0; p = mms_row(m, MMS_UNIT, p)[U_PARENT]) {
		c->num[p] += num;
		c->den[p] += den;
		c->units[p] += has - had;
		c->defined[p] = (uint8_t)mms_kpi_value_of(d, c->num[p], c->den[p], &c->value[p]);
	}
}

/* Brings c up to the data: each touched record takes its old figures back
 * along the path of the unit it was counted at, and adds its new ones
 * along its unit's path now (the same path unless it moved). */
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
		int32_t was_u = c->runit[r], u = mms_kpi_record_unit(d, &v, (int32_t)r);
		double num = 0, den = 0, was_num, was_den;
		recalled(c, d, r, &was_num, &was_den);
		if (u >= 0)
			mms_kpi_classify(d, &v, (int32_t)r, &num, &den);
		remember(c, d, r, num, den);
		c->runit[r] = u;
		if (u == was_u && num == was_num && den == was_den)
			continue;
		if (was_u >= 0)
			walk_up(d, m, c, was_u, -was_num, -was_den);
		if (u >= 0)
			walk_up(d, m, c, u, num, den);
	}
	mms_free(t.ids);
	c->generation = m->generation;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		c->marks[e] = m->t[e].count;
	c->log_pos = m->log_len;
	return MMS_OK;
}

/* Whether c can be brought up to the data by touching a few records: no
 * row went but through a delete (same epoch), the units are the same, the
 * rows changed in place are of tables followed(), and the rule sums. */
static int extendable(const mms_kpi *kpi, const indicator *d, const computed *c)
{
	const mms_model *m = &kpi->db->m;
	/* a past value added moves what records say on past days; past orgs and
	 * parents move records between units, and make a unit's staff of a day
	 * (mms_unit_staff_next) other than its current staff that followed()
	 * and the marks below read, which the walk below cannot follow */
	if (c->epoch != m->epoch || c->marks[MMS_UNIT] != m->t[MMS_UNIT].count ||
	    c->marks[MMS_PAST_VALUE] != m->t[MMS_PAST_VALUE].count ||
	    kpi->timeline.staff_orgs || kpi->timeline.unit_parents || d->cohort ||
	    (d->agg != AGG_RATIO_OF_SUMS && d->agg != AGG_SUM) || !c->onum)
		return 0;
	unsigned changed = mms_model_log_entities(m, c->log_pos);
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		if (changed & 1u << e && !followed(d, e))
			return 0;
	return 1;
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
