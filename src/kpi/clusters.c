/*
 * Clusters of territorial methodical services (seed 002, «Движение
 * вверх»): score, cluster, pair with network leaders, attach curators.
 * The method is in docs/clusters.md; it is deterministic: ties are broken
 * by unit code, never by memory order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"

typedef struct service {
	int32_t unit;
	double score;
	int level;
	int32_t leader, curator;
	int led;        /* services this one leads */
	mms_buf note;   /* the explanation while it is being written */
	char *why;      /* the explanation, once done */
} service;

struct mms_clusters {
	service *s;
	size_t n;
};

typedef struct weighted {
	indicator *d;
	double w;
} weighted;

static const char *code_of(const mms_kpi *kpi, int e, int32_t id)
{
	const mms_model *m = &kpi->db->m;
	return mms_str(m, mms_row(m, e, id)[e == MMS_UNIT ? U_CODE : S_CODE]);
}

/* "id:weight,id" into indicators and weights. */
static int parse_weights(mms_kpi *kpi, const char *text, weighted *out, int *n)
{
	*n = 0;
	for (const char *p = text; p && *p && *n < 32;) {
		char id[200];
		double w = 1;
		size_t len = strcspn(p, ",:");
		snprintf(id, sizeof id, "%.*s", (int)(len < 199 ? len : 199), p);
		p += len;
		if (*p == ':') {
			char *end;
			w = strtod(p + 1, &end);
			if (end == p + 1 || w < 0)
				return mms_kpi_fail(kpi, MMS_EINVAL, "weight of %s is not a number >= 0", id);
			p = end;
		}
		if (*p == ',')
			p++;
		if (!(out[*n].d = mms_kpi_find(kpi, id)))
			return mms_kpi_fail(kpi, MMS_ENOTFOUND, "no indicator \"%s\"", id);
		out[(*n)++].w = w;
	}
	if (*n == 0)
		return mms_kpi_fail(kpi, MMS_EINVAL, "clusters need at least one indicator");
	return MMS_OK;
}

static int by_score(const void *a, const void *b, void *kpi)
{
	const service *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(code_of(kpi, MMS_UNIT, x->unit), code_of(kpi, MMS_UNIT, y->unit));
}

/* Insertion sort with a context: services are few (one per municipality). */
static void sort_services(service *s, size_t n, mms_kpi *kpi)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && by_score(&s[j - 1], &s[j], kpi) > 0; j--) {
			service t = s[j];
			s[j] = s[j - 1];
			s[j - 1] = t;
		}
}

/* Scores: each indicator's values min-max scaled across the services
 * (reversed when lower is better), then the weighted mean. */
static int score(mms_kpi *kpi, const mms_cluster_options *o, weighted *ind, int nind,
		 service *s, size_t n)
{
	double wsum = 0;
	for (int k = 0; k < nind; k++)
		wsum += ind[k].w;
	for (int k = 0; k < nind; k++) {
		double lo = INFINITY, hi = -INFINITY;
		double *v = mms_malloc((n + 1) * sizeof *v);
		if (!v)
			return MMS_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			mms_kpi_result r = MMS_KPI_RESULT_INIT;
			int rc = mms_kpi_value(kpi, ind[k].d->id, s[i].unit, o->year, &r);
			if (rc != MMS_OK) {
				mms_free(v);
				return rc;
			}
			v[i] = r.defined ? r.value : NAN;
			if (r.defined) {
				lo = fmin(lo, r.value);
				hi = fmax(hi, r.value);
			}
		}
		for (size_t i = 0; i < n; i++) {
			double x = isnan(v[i]) ? 0 : hi > lo ? (v[i] - lo) / (hi - lo) : 1;
			if (!isnan(v[i]) && ind[k].d->direction == DIR_LOWER)
				x = 1 - x;
			s[i].score += wsum > 0 ? ind[k].w * x / wsum : 0;
			if (isnan(v[i]))
				mms_buf_printf(&s[i].note, "%s%s no value (counts 0)", k ? "; " : "",
					       ind[k].d->id);
			else
				mms_buf_printf(&s[i].note, "%s%s %.2f -> %.2f x%g", k ? "; " : "",
					       ind[k].d->id, v[i], x, ind[k].w);
		}
		mms_free(v);
	}
	return MMS_OK;
}

/*
 * Fisher's optimal partition of sorted scores into k groups (the Jenks
 * natural breaks): least total squared deviation from the group means,
 * by dynamic programming. Scores are sorted best first; groups are runs.
 */
static int partition(service *s, size_t n, int k)
{
	double *pre = mms_calloc(n + 1, sizeof *pre), *pre2 = mms_calloc(n + 1, sizeof *pre2);
	double *cost = mms_malloc(((size_t)k + 1) * (n + 1) * sizeof *cost);
	size_t *from = mms_malloc(((size_t)k + 1) * (n + 1) * sizeof *from);
	if (!pre || !pre2 || !cost || !from) {
		mms_free(pre);
		mms_free(pre2);
		mms_free(cost);
		mms_free(from);
		return MMS_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		pre[i + 1] = pre[i] + s[i].score;
		pre2[i + 1] = pre2[i] + s[i].score * s[i].score;
	}
#define SSE(a, b) (pre2[b] - pre2[a] - (pre[b] - pre[a]) * (pre[b] - pre[a]) / (double)((b) - (a)))
#define AT(g, j) ((size_t)(g) * (n + 1) + (j))
	for (size_t j = 1; j <= n; j++) {
		cost[AT(1, j)] = SSE(0, j);
		from[AT(1, j)] = 0;
	}
	for (int g = 2; g <= k; g++)
		for (size_t j = (size_t)g; j <= n; j++) {
			cost[AT(g, j)] = INFINITY;
			for (size_t i = (size_t)g - 1; i < j; i++) { /* last group is [i, j) */
				double c = cost[AT(g - 1, i)] + SSE(i, j);
				if (c < cost[AT(g, j)] - 1e-12) {
					cost[AT(g, j)] = c;
					from[AT(g, j)] = i;
				}
			}
		}
	size_t end = n; /* walk back: group g is [from, end) */
	for (int g = k; g >= 1; g--) {
		size_t start = from[AT(g, end)];
		for (size_t t = start; t < end; t++)
			s[t].level = g;
		end = start;
	}
#undef SSE
#undef AT
	mms_free(pre);
	mms_free(pre2);
	mms_free(cost);
	mms_free(from);
	return MMS_OK;
}

/* Weakest first, each service of the last cluster goes to the leader with
 * the fewest services so far (then the best scored), within its limit. */
static void pair_leaders(service *s, size_t n, int k, int max)
{
	for (size_t i = n; i-- > 0;) {
		if (s[i].level != k || k == 1)
			continue;
		service *best = NULL;
		for (size_t j = 0; j < n && s[j].level == 1; j++)
			if (s[j].led < max && (!best || s[j].led < best->led))
				best = &s[j];
		if (best) {
			s[i].leader = best->unit;
			best->led++;
		}
	}
}

/* Curators: the methodists of the regional units (institute, ЦНППМ) of the
 * region, each following at most max services, taken in code order. */
static int attach_curators(mms_kpi *kpi, const mms_cluster_options *o, service *s, size_t n,
			   int max, int32_t **out, size_t *ncur)
{
	const mms_model *m = &kpi->db->m;
	size_t ns = m->t[MMS_STAFF].count;
	int32_t *cur = mms_malloc((ns + 1) * sizeof *cur);
	if (!cur)
		return MMS_ENOMEM;
	*ncur = 0;
	for (size_t i = 0; i < ns; i++) {
		const int32_t *st = mms_row(m, MMS_STAFF, (int32_t)i);
		const int32_t *org = mms_row(m, MMS_UNIT, st[S_ORG]);
		if (!mms_model_live(m, MMS_STAFF, (int32_t)i))
			continue;
		if (st[S_ROLE] == ROLE_METHODIST && org[U_LEVEL] == LV_REGIONAL &&
		    (org[U_KIND] == UK_INSTITUTE || org[U_KIND] == UK_CNPPM) &&
		    (o->within < 0 || mms_index_within(&kpi->db->idx, o->within, st[S_ORG])))
			cur[(*ncur)++] = (int32_t)i;
	}
	for (size_t a = 1; a < *ncur; a++) /* code order, so the choice is stable */
		for (size_t b = a; b > 0 && strcmp(code_of(kpi, MMS_STAFF, cur[b - 1]),
						   code_of(kpi, MMS_STAFF, cur[b])) > 0; b--) {
			int32_t t = cur[b];
			cur[b] = cur[b - 1];
			cur[b - 1] = t;
		}
	int *load = mms_calloc(*ncur + 1, sizeof *load);
	if (!load) {
		mms_free(cur);
		return MMS_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		size_t best = *ncur;
		for (size_t c = 0; c < *ncur; c++)
			if (load[c] < max && (best == *ncur || load[c] < load[best]))
				best = c;
		if (best < *ncur) {
			s[i].curator = cur[best];
			load[best]++;
		}
	}
	mms_free(load);
	*out = cur;
	return MMS_OK;
}

static int explain(mms_kpi *kpi, service *s, size_t n, int k, int max_leader,
		   int max_curator)
{
	int rc = MMS_OK;
	for (size_t i = 0; i < n; i++) {
		mms_buf *b = &s[i].note;
		mms_buf_printf(b, "; score %.3f, cluster %d of %d", s[i].score, s[i].level, k);
		if (k > 1 && s[i].level == 1)
			mms_buf_printf(b, "; network leader of %d service(s) (at most %d)", s[i].led,
				       max_leader);
		else if (k > 1 && s[i].level == k && s[i].leader >= 0)
			mms_buf_printf(b, "; insufficient potential: led by %s, the least loaded "
				       "leader", code_of(kpi, MMS_UNIT, s[i].leader));
		else if (k > 1 && s[i].level == k)
			mms_buf_puts(b, "; insufficient potential: every leader already has its "
				     "maximum, no leader assigned");
		if (s[i].curator >= 0)
			mms_buf_printf(b, "; curator %s (each follows at most %d)",
				       code_of(kpi, MMS_STAFF, s[i].curator), max_curator);
		else
			mms_buf_puts(b, "; no curator: the region's methodists are all at their maximum "
				     "(or there are none)");
		if (mms_buf_detach(b, &s[i].why) != MMS_OK)
			rc = MMS_ENOMEM;
	}
	return rc;
}

int mms_clusters_compute(mms_kpi *kpi, const mms_cluster_options *opts, mms_clusters **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	if (!kpi || !opts || opts->version < 1 || opts->version > MMS_CLUSTER_OPTIONS_VERSION)
		return MMS_EINVAL;
	mms_cluster_options o = *opts;
	int k = o.levels > 0 ? o.levels : 3;
	int max_leader = o.max_per_leader > 0 ? o.max_per_leader : 3;
	int max_curator = o.max_per_curator > 0 ? o.max_per_curator : 5;
	weighted ind[32];
	int nind, rc = mms_db_ready_subtree(kpi->db, &o.within);
	if (rc != MMS_OK)
		return mms_kpi_fail(kpi, rc, "%s", mms_db_errmsg(kpi->db));
	if ((rc = parse_weights(kpi, o.indicators, ind, &nind)) != MMS_OK)
		return rc;
	const mms_model *m = &kpi->db->m;
	size_t nu = m->t[MMS_UNIT].count, ncur = 0;
	int32_t *curators = NULL;
	mms_clusters *c = mms_calloc(1, sizeof *c);
	if (!c || !(c->s = mms_calloc(nu + 1, sizeof *c->s))) {
		mms_free(c);
		return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory");
	}
	service *s = c->s;
	for (size_t u = 0; u < nu; u++)
		if (mms_row(m, MMS_UNIT, (int32_t)u)[U_KIND] == UK_MUNICIPAL_SERVICE &&
		    mms_model_live(m, MMS_UNIT, (int32_t)u) &&
		    (o.within < 0 || mms_index_within(&kpi->db->idx, o.within, (int32_t)u)))
			s[c->n++] = (service){.unit = (int32_t)u, .leader = -1, .curator = -1};
	size_t n = c->n;
	if (n == 0)
		rc = mms_kpi_fail(kpi, MMS_ENOTFOUND, "no municipal service to cluster");
	if (rc == MMS_OK)
		rc = score(kpi, &o, ind, nind, s, n);
	if (rc == MMS_OK) {
		sort_services(s, n, kpi);
		if (k > (int)n)
			k = (int)n;
		rc = partition(s, n, k);
	}
	if (rc == MMS_OK) {
		pair_leaders(s, n, k, max_leader);
		rc = attach_curators(kpi, &o, s, n, max_curator, &curators, &ncur);
	}
	if (rc == MMS_OK)
		rc = explain(kpi, s, n, k, max_leader, max_curator);
	mms_free(curators);
	if (rc != MMS_OK) {
		mms_clusters_free(c);
		return rc == MMS_ENOMEM ? mms_kpi_fail(kpi, rc, "out of memory") : rc;
	}
	*out = c;
	return MMS_OK;
}

void mms_clusters_free(mms_clusters *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		mms_buf_free(&c->s[i].note);
		mms_free(c->s[i].why);
	}
	mms_free(c->s);
	mms_free(c);
}

size_t mms_clusters_count(const mms_clusters *c) { return c ? c->n : 0; }

int32_t mms_clusters_unit(const mms_clusters *c, size_t i)
{
	return c && i < c->n ? c->s[i].unit : -1;
}

double mms_clusters_score(const mms_clusters *c, size_t i)
{
	return c && i < c->n ? c->s[i].score : NAN;
}

int mms_clusters_level(const mms_clusters *c, size_t i)
{
	return c && i < c->n ? c->s[i].level : 0;
}

int32_t mms_clusters_leader(const mms_clusters *c, size_t i)
{
	return c && i < c->n ? c->s[i].leader : -1;
}

int32_t mms_clusters_curator(const mms_clusters *c, size_t i)
{
	return c && i < c->n ? c->s[i].curator : -1;
}

const char *mms_clusters_explain(const mms_clusters *c, size_t i)
{
	return c && i < c->n ? c->s[i].why : NULL;
}
