/*
 * What a caller asks of an indicator: its value at a unit with the target,
 * status and band; the records behind it; targets set at units.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kpi.h"

void mms_kpi_counters(const mms_kpi *kpi, size_t *full, size_t *incremental)
{
	if (full)
		*full = kpi ? kpi->full : 0;
	if (incremental)
		*incremental = kpi ? kpi->incremental : 0;
}

const char *mms_kpi_status_name(int status)
{
	static const char *const names[] = {"undefined", "no_target", "achieved",
					    "not_achieved", "at_risk"};
	return status >= 0 && status <= MMS_KPI_AT_RISK ? names[status] : NULL;
}

/* Finds the indicator and readies the handle; messages on the catalogue. */
static int begin(mms_kpi *kpi, const char *id, int32_t unit, indicator **out)
{
	if (!kpi || !id)
		return MMS_EINVAL;
	kpi->errmsg[0] = '\0';
	int rc = mms_db_ready_subtree(kpi->db, &unit);
	if (rc != MMS_OK)
		return mms_kpi_fail(kpi, rc, "%s", mms_db_errmsg(kpi->db));
	if ((rc = mms_kpi_ensure_env(kpi)) != MMS_OK) /* the timeline targets are inherited by */
		return rc;
	if (!(*out = mms_kpi_find(kpi, id)))
		return mms_kpi_fail(kpi, MMS_ENOTFOUND, "no indicator \"%.200s\"", id);
	return MMS_OK;
}

/* The target of a year on the trajectory a unit is judged on: its
 * programme's, else the definition's own (a definition a user loaded). */
static int planned(const indicator *d, const programme *p, int year, double *out)
{
	const trajectory *t = mms_programme_trajectory(p, d);
	int n = t ? t->n : d->ntargets;
	for (int i = 0; i < n; i++)
		if ((t ? t->years[i] : d->years[i]) == year) {
			*out = t ? t->values[i] : d->targets[i];
			return 1;
		}
	return 0;
}

/*
 * A unit's target: its own (the latest targets record for the indicator,
 * named by its id or an alias, unit and year; one without a value
 * withdraws it), else its nearest ancestor's in the hierarchy of the
 * period's end (a school re-subordinated in 2025 inherits its 2024 target
 * from its 2024 parent), else the trajectory.
 */
static int target_for(const mms_kpi *kpi, const indicator *d, const programme *p, int32_t unit,
		      int year, double *out)
{
	const mms_model *m = &kpi->db->m;
	size_t nt = m->t[MMS_TARGET].count, nu = m->t[MMS_UNIT].count;
	int32_t start, end;
	mms_kpi_period(d, year, &start, &end);
	size_t hops = 0; /* bounds the walk: a history may hold a cycle */
	for (int32_t u = unit; u >= 0 && hops++ <= nu;
	     u = mms_value_at(&kpi->timeline, m, MMS_UNIT, u, U_PARENT, end)) {
		int found = 0;
		int32_t value = MMS_NONE;
		for (size_t i = 0; i < nt; i++) {
			const int32_t *t = mms_row(m, MMS_TARGET, (int32_t)i);
			if (t[T_UNIT] == u && t[T_YEAR] == year &&
			    mms_indicator_named(d, mms_str(m, t[T_INDICATOR]))) {
				found = 1; /* later records win */
				value = t[T_VALUE];
			}
		}
		if (found && value != MMS_NONE) {
			*out = (double)value / MMS_DEC_SCALE;
			return 1;
		}
	}
	return planned(d, p, year, out);
}

static int meets(const indicator *d, double value, double target)
{
	return d->direction == DIR_HIGHER ? value >= target : value <= target;
}

static int final_year(const indicator *d, const programme *p)
{
	const trajectory *t = mms_programme_trajectory(p, d);
	int last = 0;
	for (int i = 0; i < (t ? t->n : d->ntargets); i++)
		if ((t ? t->years[i] : d->years[i]) > last)
			last = t ? t->years[i] : d->years[i];
	return last;
}

/* Which values a status is judged on: the unit's subtree, or a network
 * group of the unit (mms_kpi_group_value). */
enum { OVER_SUBTREE, OVER_MEMBERS, OVER_LED };

static int value_over(mms_kpi *kpi, indicator *d, const programme *p, int32_t unit, int over,
		      int year, double *value, int *defined);

/*
 * Achieved now, but does the trend reach the final target? A least-squares
 * line through the defined values of the last three years, over the years
 * that have a target only (a year without one is not on the trajectory), is
 * read at the final year of the trajectory: the line's value there, not the
 * last value plus the slope, so that one good year does not hide a falling
 * trend and one bad year does not condemn a rising one.
 */
static int at_risk(mms_kpi *kpi, indicator *d, const programme *p, int32_t unit, int over,
		   int year, int *risk)
{
	int last = final_year(d, p);
	double goal;
	*risk = 0;
	if (last <= year || !target_for(kpi, d, p, unit, last, &goal))
		return MMS_OK;
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	int n = 0;
	for (int y = year - 2; y <= year; y++) {
		double target, value;
		int defined, rc;
		if (!target_for(kpi, d, p, unit, y, &target))
			continue;
		if ((rc = value_over(kpi, d, p, unit, over, y, &value, &defined)) != MMS_OK)
			return rc;
		if (!defined)
			continue;
		sx += y;
		sy += value;
		sxx += (double)y * y;
		sxy += y * value;
		n++;
	}
	if (n < 2)
		return MMS_OK;
	double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
	double projected = (sy + slope * (n * (double)last - sx)) / n;
	*risk = !meets(d, projected, goal);
	return MMS_OK;
}

/* The one home of the status rule (docs/indicators.md, "Targets and
 * status"): fills gap and status from out's value and target. */
static int judge(mms_kpi *kpi, indicator *d, const programme *p, int32_t unit, int over,
		 int year, mms_kpi_result *out)
{
	out->gap = NAN;
	if (!out->defined) {
		out->status = MMS_KPI_UNDEFINED;
		return MMS_OK;
	}
	if (!out->has_target) {
		out->status = MMS_KPI_NO_TARGET;
		return MMS_OK;
	}
	out->gap = d->direction == DIR_HIGHER ? out->value - out->target
					      : out->target - out->value;
	out->status = meets(d, out->value, out->target) ? MMS_KPI_ACHIEVED : MMS_KPI_NOT_ACHIEVED;
	int risk = 0, rc;
	if (out->status == MMS_KPI_ACHIEVED &&
	    (rc = at_risk(kpi, d, p, unit, over, year, &risk)) != MMS_OK)
		return rc;
	if (risk)
		out->status = MMS_KPI_AT_RISK;
	return MMS_OK;
}

static const char *band_of(const indicator *d, double value)
{
	for (int i = 0; i < d->nbands; i++)
		if (value >= d->bands[i].from &&
		    (value < d->bands[i].to || (i == d->nbands - 1 && value <= d->bands[i].to)))
			return d->bands[i].name;
	return NULL;
}

int mms_kpi_values(mms_kpi *kpi, const char *id, int year, size_t n, double *value,
		   double *numerator, double *denominator)
{
	indicator *d;
	const computed *c;
	int rc = begin(kpi, id, -1, &d);
	if (rc == MMS_OK)
		rc = mms_kpi_compute(kpi, d, year, &c);
	if (rc != MMS_OK)
		return rc;
	size_t units = kpi->db->m.t[MMS_UNIT].count;
	for (size_t u = 0; u < n; u++) {
		int own = u < units && mms_db_owns(kpi->db, MMS_UNIT, (int32_t)u);
		if (value)
			value[u] = own && c->defined[u] ? c->value[u] : NAN;
		if (numerator)
			numerator[u] = own ? c->num[u] : NAN;
		if (denominator)
			denominator[u] = own ? c->den[u] : NAN;
	}
	return MMS_OK;
}

/* Version 2: the day the state was read, the period's end (engine.c). */
static void as_of(const indicator *d, int year, mms_kpi_result *out)
{
	int32_t start, end;
	if (out->version < 2)
		return;
	mms_kpi_period(d, year, &start, &end);
	mms_date_format(end, out->as_of);
}

int mms_kpi_value(mms_kpi *kpi, const char *id, int32_t unit, int year, mms_kpi_result *out)
{
	indicator *d;
	if (!out || out->version < 1 || out->version > MMS_KPI_RESULT_VERSION || unit < 0)
		return MMS_EINVAL;
	int rc = begin(kpi, id, unit, &d);
	return rc != MMS_OK ? rc
			    : mms_kpi_value_in(kpi, mms_programme_for(kpi, d, unit, year), d, unit,
					       year, out);
}

/* A share of tasks done on time, judged as every value is; 0 when the
 * database has no tasks of the plan (the definition's formula then). */
static int tasks_value(mms_kpi *kpi, const programme *p, indicator *d, const char *plan,
		       int32_t unit, int year, mms_kpi_result *out, int *rc)
{
	if (!mms_tasks_count(kpi, p, plan, unit, year, &out->numerator, &out->denominator))
		return 0;
	out->defined = out->denominator > 0;
	out->value = out->defined ? 100.0 * out->numerator / out->denominator : NAN;
	out->units = 0;
	out->aggregation = mms_kpi_agg_names[AGG_RATIO_OF_SUMS];
	out->has_target = target_for(kpi, d, p, unit, year, &out->target);
	out->band = out->defined ? band_of(d, out->value) : NULL;
	*rc = judge(kpi, d, p, unit, OVER_SUBTREE, year, out);
	return 1;
}

int mms_kpi_value_in(mms_kpi *kpi, const programme *p, indicator *d, int32_t unit, int year,
		     mms_kpi_result *out)
{
	if (!out || out->version < 1 || out->version > MMS_KPI_RESULT_VERSION || unit < 0)
		return MMS_EINVAL;
	int rc = begin(kpi, d->id, unit, &d);
	const char *plan = mms_programme_task_plan(p, d);
	if (rc == MMS_OK && plan && tasks_value(kpi, p, d, plan, unit, year, out, &rc))
		return rc; /* the programme counted its tasks (tasks.c) */
	const computed *c;
	if (rc == MMS_OK)
		rc = mms_kpi_compute(kpi, d, year, &c);
	if (rc != MMS_OK)
		return rc;
	/* version 1 has every field below; later versions add after them */
	out->defined = c->defined[unit];
	out->value = c->value[unit];
	out->numerator = c->num[unit];
	out->denominator = c->den[unit];
	out->units = c->units[unit];
	out->aggregation = mms_kpi_agg_names[d->agg];
	out->has_target = target_for(kpi, d, p, unit, year, &out->target);
	out->band = out->defined ? band_of(d, out->value) : NULL;
	as_of(d, year, out);
	return judge(kpi, d, p, unit, OVER_SUBTREE, year, out);
}

/* Marks the group: member or led units (with their subtrees, as pre-order
 * flags) and member staff. */
static void mark_group(int32_t unit, int led, const expr_env *v, uint8_t *in_unit,
		       uint8_t *in_staff)
{
	const mms_model *m = v->m;
	const mms_index *ix = v->ix;
	for (int32_t k = ix->link_start[unit]; k < ix->link_start[unit + 1]; k++) {
		const int32_t *l = mms_row(m, MMS_LINK, ix->link_ids[k]);
		int32_t other = led ? l[L_TO] : l[L_FROM];
		int fits = led ? l[L_KIND] == LK_NETWORK_LEADERSHIP && l[L_FROM] == unit
			       : l[L_KIND] == LK_MEMBERSHIP && l[L_TO] == unit;
		if (!fits || (l[L_START] != MMS_NONE && l[L_START] > v->end) ||
		    (l[L_END] != MMS_NONE && l[L_END] < v->end))
			continue;
		for (int32_t p = ix->tin[other]; p < ix->tout[other]; p++)
			in_unit[ix->pre[p]] = 1;
	}
	for (size_t i = 0; !led && i < m->t[MMS_STAFF_LINK].count; i++) {
		const int32_t *l = mms_row(m, MMS_STAFF_LINK, (int32_t)i);
		if (l[SL_UNIT] == unit && l[SL_KIND] != SL_SUPPORTS &&
		    mms_model_live(m, MMS_STAFF_LINK, (int32_t)i) &&
		    (l[SL_START] == MMS_NONE || l[SL_START] <= v->end) &&
		    (l[SL_END] == MMS_NONE || l[SL_END] >= v->end))
			in_staff[l[SL_STAFF]] = 1;
	}
}

/* The staff member a record is about, if any. */
static int32_t record_staff(const indicator *d, const mms_model *m, int32_t rec)
{
	if (d->pop == POP_STAFF)
		return rec;
	if (d->pop == POP_PARTICIPATIONS)
		return mms_row(m, MMS_PARTICIPATION, rec)[P_STAFF];
	return -1;
}

/* A network group's numerator and denominator summed over its records. */
static int group_sums(mms_kpi *kpi, indicator *d, int32_t unit, int led, int year, double *num,
		      double *den, int *units)
{
	const computed *c;
	int rc = mms_kpi_compute(kpi, d, year, &c); /* readies the indexes */
	if (rc != MMS_OK)
		return rc;
	expr_env v;
	mms_kpi_env(kpi, d, year, &v);
	uint8_t *in_unit = mms_calloc(v.ix->nunits + 1, 1);
	uint8_t *in_staff = mms_calloc(v.m->t[MMS_STAFF].count + 1, 1);
	if (!in_unit || !in_staff) {
		mms_free(in_unit);
		mms_free(in_staff);
		return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory");
	}
	mark_group(unit, led, &v, in_unit, in_staff);
	*num = *den = 0;
	*units = 0;
	size_t recs = mms_kpi_population_size(d, v.m);
	expr_env v0;
	mms_kpi_entry_env(&v, &v0);
	for (size_t r = 0; r < recs; r++) {
		mms_kpi_part p;
		mms_kpi_attribute(d, &v, &v0, (int32_t)r, &p);
		int32_t s = record_staff(d, v.m, (int32_t)r);
		int by_staff = s >= 0 && in_staff[s];
		if (p.num_unit >= 0 && (by_staff || in_unit[p.num_unit]))
			*num += p.num;
		if (p.den_unit >= 0 && (by_staff || in_unit[p.den_unit]))
			*den += p.den;
	}
	for (size_t u = 0; u < v.ix->nunits; u++)
		*units += in_unit[u];
	mms_free(in_unit);
	mms_free(in_staff);
	return MMS_OK;
}

static int value_over(mms_kpi *kpi, indicator *d, const programme *p, int32_t unit, int over,
		      int year, double *value, int *defined)
{
	const char *plan = mms_programme_task_plan(p, d);
	double num, den;
	if (plan && over == OVER_SUBTREE && mms_tasks_count(kpi, p, plan, unit, year, &num, &den)) {
		*defined = den > 0;
		*value = den > 0 ? 100.0 * num / den : NAN;
		return MMS_OK;
	}
	if (over == OVER_SUBTREE) {
		const computed *c;
		int rc = mms_kpi_compute(kpi, d, year, &c);
		if (rc == MMS_OK) {
			*defined = c->defined[unit];
			*value = c->value[unit];
		}
		return rc;
	}
	int units;
	int rc = group_sums(kpi, d, unit, over == OVER_LED, year, &num, &den, &units);
	if (rc == MMS_OK)
		*defined = mms_kpi_value_of(d, num, den, value);
	return rc;
}

int mms_kpi_group_value(mms_kpi *kpi, const char *id, int32_t unit, const char *group, int year,
			mms_kpi_result *out)
{
	indicator *d;
	int led = group && !strcmp(group, "led");
	if (!out || out->version < 1 || out->version > MMS_KPI_RESULT_VERSION || unit < 0 ||
	    !group || (!led && strcmp(group, "members")))
		return MMS_EINVAL;
	int rc = begin(kpi, id, unit, &d);
	double num, den;
	int units;
	if (rc == MMS_OK)
		rc = group_sums(kpi, d, unit, led, year, &num, &den, &units);
	if (rc != MMS_OK)
		return rc;
	/* version 1 has every field below; the unit's own target and bands */
	out->numerator = num;
	out->denominator = den;
	out->units = units;
	out->aggregation = "ratio_of_sums";
	out->defined = mms_kpi_value_of(d, num, den, &out->value);
	const programme *p = mms_programme_for(kpi, d, unit, year);
	out->has_target = target_for(kpi, d, p, unit, year, &out->target);
	out->band = out->defined ? band_of(d, out->value) : NULL;
	as_of(d, year, out);
	return judge(kpi, d, p, unit, led ? OVER_LED : OVER_MEMBERS, year, out);
}

int mms_kpi_records(mms_kpi *kpi, const char *id, int32_t unit, int year, int numerator,
		    mms_idlist **out)
{
	indicator *d;
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = unit < 0 ? MMS_EINVAL : begin(kpi, id, unit, &d);
	const computed *c;
	if (rc == MMS_OK)
		rc = mms_kpi_compute(kpi, d, year, &c); /* readies the participation index */
	if (rc != MMS_OK)
		return rc;
	mms_idlist *l = mms_idlist_new();
	if (!l)
		return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory");
	expr_env v;
	mms_kpi_env(kpi, d, year, &v);
	size_t recs = mms_kpi_population_size(d, v.m);
	expr_env v0;
	mms_kpi_entry_env(&v, &v0);
	for (size_t r = 0; r < recs && rc == MMS_OK; r++) {
		mms_kpi_part p;
		mms_kpi_attribute(d, &v, &v0, (int32_t)r, &p);
		int32_t u = numerator ? p.num_unit : p.den_unit;
		if (u < 0 || !(v.tl->unit_parents ? mms_within_at(v.tl, v.m, unit, u, v.end)
						   : mms_index_within(v.ix, unit, u)))
			continue;
		if ((numerator ? p.num != 0 : p.den > 0) && mms_idlist_push(l, (int32_t)r) != MMS_OK)
			rc = mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory");
	}
	if (rc != MMS_OK)
		mms_idlist_free(l);
	else
		*out = l;
	return rc;
}

int mms_kpi_target_set(mms_kpi *kpi, const char *id, int32_t unit, int year, double value)
{
	indicator *d;
	int rc = unit < 0 ? MMS_EINVAL : begin(kpi, id, unit, &d);
	if (rc != MMS_OK)
		return rc;
	mms_record *rec;
	char yearbuf[16], valuebuf[48];
	snprintf(yearbuf, sizeof yearbuf, "%d", year);
	snprintf(valuebuf, sizeof valuebuf, "%.3f", value);
	const char *code = mms_str(&kpi->db->m, mms_row(&kpi->db->m, MMS_UNIT, unit)[U_CODE]);
	if ((rc = mms_record_new(&rec, MMS_TARGET)) != MMS_OK)
		return mms_kpi_fail(kpi, rc, "out of memory");
	if ((rc = mms_record_set(rec, "indicator", id)) == MMS_OK &&
	    (rc = mms_record_set(rec, "unit", code)) == MMS_OK &&
	    (rc = mms_record_set(rec, "year", yearbuf)) == MMS_OK && !isnan(value))
		rc = mms_record_set(rec, "value", valuebuf);
	if (rc == MMS_OK && (rc = mms_db_insert(kpi->db, rec, NULL)) != MMS_OK)
		mms_kpi_fail(kpi, rc, "%s", mms_db_errmsg(kpi->db));
	else if (rc != MMS_OK)
		mms_kpi_fail(kpi, rc, "out of memory");
	mms_record_free(rec);
	return rc;
}
