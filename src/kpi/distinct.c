/*
 * The "distinct" aggregation of a count over participations: at each unit,
 * the number of different activities among the participations counted in
 * its subtree (seed 000 П8 counts competitions entered, «не менее 4
 * конкурсов», and two schools entering one competition are one competition
 * for the municipality). Distinct values do not add up the hierarchy, so
 * each counted record is paired with every ancestor of its unit in the
 * hierarchy of the period's end (as the other aggregations add up) and the
 * pairs are counted once each.
 */
#include <stdlib.h>

#include "kpi.h"

typedef struct pair {
	int32_t unit, activity;
} pair;

static int by_pair(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	return (x->activity > y->activity) - (x->activity < y->activity);
}

int mms_kpi_distinct(const indicator *d, const expr_env *v, computed *c)
{
	const mms_model *m = v->m;
	pair *pairs = NULL;
	size_t n = 0, cap = 0;
	for (size_t r = 0; r < c->nrecs; r++) {
		if (!(c->rflags[r] >> 1 & 1)) /* not in the numerator */
			continue;
		int32_t act = mms_row(m, MMS_PARTICIPATION, (int32_t)r)[P_ACTIVITY];
		size_t hops = 0; /* bounds the walk: a history may hold a cycle */
		for (int32_t u = mms_kpi_record_unit(d, v, (int32_t)r); u >= 0 && hops++ <= v->ix->nunits;
		     u = mms_value_at(v->tl, m, MMS_UNIT, u, U_PARENT, v->end)) {
			if (mms_grow((void **)&pairs, &cap, n + 1, sizeof *pairs)) {
				mms_free(pairs);
				return MMS_ENOMEM;
			}
			pairs[n++] = (pair){u, act};
		}
	}
	if (n > 1)
		qsort(pairs, n, sizeof *pairs, by_pair);
	for (size_t u = 0; u < v->ix->nunits; u++)
		c->num[u] = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || by_pair(&pairs[i - 1], &pairs[i]))
			c->num[pairs[i].unit] += 1;
	for (size_t u = 0; u < v->ix->nunits; u++)
		c->defined[u] = (uint8_t)mms_kpi_value_of(d, c->num[u], c->den[u], &c->value[u]);
	mms_free(pairs);
	return MMS_OK;
}
