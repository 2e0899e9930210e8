/*
 * Representative samples of staff, stratified by the education level they
 * teach (seed 001: a 30% sample, college 17%, PD 7%, preschool 11%,
 * school 65%). The draw is a partial Fisher-Yates shuffle per stratum
 * driven by splitmix64, so a seed and the data fix the sample.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"

#define NSTRATA 5 /* the education levels: school, preschool, college, supplementary, pd */

struct mms_sample {
	int32_t *ids;                 /* drawn staff, in id order */
	size_t n;
	size_t pop[NSTRATA], quota[NSTRATA], drawn[NSTRATA];
	double quota_pct[NSTRATA];    /* -1: no quota (not drawn) */
	int8_t *stratum_of;           /* per staff id: stratum, or -1 if not in the population */
	size_t nstaff;
	int32_t within;
};

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* "college=17,pd=7,..." into percentages; the quotas must add up to 100. */
static int parse_strata(mms_kpi *kpi, const char *text, double pct[NSTRATA])
{
	for (int i = 0; i < NSTRATA; i++)
		pct[i] = -1;
	double total = 0;
	for (const char *p = text; *p;) {
		char name[32];
		double v;
		int used = 0;
		if (sscanf(p, "%31[a-z_]=%lf%n", name, &v, &used) != 2 || used == 0)
			return mms_kpi_fail(kpi, MMS_EINVAL, "strata: cannot read \"%.60s\" (want "
					    "level=percent,...)", p);
		int e = mms_enum_find(E_EDU_LEVEL, name);
		if (e < 0 || v < 0 || v > 100)
			return mms_kpi_fail(kpi, MMS_EINVAL, "strata: \"%s\" is not an education "
					    "level with a percent 0..100", name);
		pct[e] = v;
		total += v;
		p += used;
		if (*p == ',')
			p++;
	}
	if (fabs(total - 100) > 1e-6)
		return mms_kpi_fail(kpi, MMS_EINVAL, "strata: the quotas add up to %g%%, not 100%%",
				    total);
	return MMS_OK;
}

/* Puts every staff member of the population in a stratum. */
static int populate(mms_kpi *kpi, mms_sample *s, const mms_sample_options *o, expr *filter)
{
	const mms_model *m = &kpi->db->m;
	indicator d = {0};
	d.pop = POP_STAFF;
	expr_env v;
	mms_kpi_env(kpi, &d, o->year ? o->year : 2000, &v);
	s->nstaff = m->t[MMS_STAFF].count;
	s->stratum_of = mms_malloc(s->nstaff + 1);
	if (!s->stratum_of)
		return MMS_ENOMEM;
	for (size_t i = 0; i < s->nstaff; i++) {
		const int32_t *row = mms_row(m, MMS_STAFF, (int32_t)i);
		/* for a year, the staff the engine counts for it (not those gone
		 * before its end or hired after it), at the unit it counts them at */
		int32_t unit = !o->year ? (mms_model_live(m, MMS_STAFF, (int32_t)i) &&
					   !row[S_PART_TIME] ? row[S_ORG] : -1)
					: mms_kpi_record_unit(&d, &v, (int32_t)i);
		int ok = unit >= 0 && row[S_EDU_LEVEL] >= 0 &&
			 (s->within < 0 || mms_index_within(v.ix, s->within, unit)) &&
			 mms_expr_true(filter, &v, (int32_t)i);
		s->stratum_of[i] = (int8_t)(ok ? row[S_EDU_LEVEL] : -1);
		if (ok)
			s->pop[row[S_EDU_LEVEL]]++;
	}
	return MMS_OK;
}

static int draw(mms_sample *s, uint64_t seed)
{
	size_t total = 0;
	for (int k = 0; k < NSTRATA; k++)
		total += s->quota[k];
	int32_t *pool = mms_malloc((s->nstaff + 1) * sizeof *pool);
	s->ids = mms_malloc((total + 1) * sizeof *s->ids);
	if (!pool || !s->ids) {
		mms_free(pool);
		return MMS_ENOMEM;
	}
	uint64_t state = seed;
	for (int k = 0; k < NSTRATA; k++) {
		size_t n = 0;
		for (size_t i = 0; i < s->nstaff; i++)
			if (s->stratum_of[i] == k)
				pool[n++] = (int32_t)i;
		for (size_t j = 0; j < s->quota[k]; j++) { /* partial Fisher-Yates */
			size_t r = j + (size_t)(splitmix64(&state) % (n - j));
			int32_t t = pool[j];
			pool[j] = pool[r];
			pool[r] = t;
			s->ids[s->n++] = pool[j];
		}
		s->drawn[k] = s->quota[k];
	}
	mms_free(pool);
	qsort(s->ids, s->n, sizeof *s->ids, mms_id_cmp);
	return MMS_OK;
}

int mms_sample_draw(mms_kpi *kpi, const mms_sample_options *o, mms_sample **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	if (!kpi || !o || o->version < 1 || o->version > MMS_SAMPLE_OPTIONS_VERSION)
		return MMS_EINVAL;
	if (!(o->share > 0 && o->share <= 1))
		return mms_kpi_fail(kpi, MMS_EINVAL, "sample share %g is not in (0, 1]", o->share);
	int32_t within = o->within;
	int rc = mms_db_ready_subtree(kpi->db, &within);
	if (rc != MMS_OK)
		return mms_kpi_fail(kpi, rc, "%s", mms_db_errmsg(kpi->db));
	char err[300];
	expr filter;
	if ((rc = mms_expr_compile(&filter, POP_STAFF, o->filter, err, sizeof err)) != MMS_OK)
		return mms_kpi_fail(kpi, rc, "sample filter: %s", err);
	mms_sample *s = mms_calloc(1, sizeof *s);
	if (!s) {
		mms_expr_free(&filter);
		return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory");
	}
	s->within = within;
	rc = o->strata ? parse_strata(kpi, o->strata, s->quota_pct) : MMS_OK;
	if (rc == MMS_OK && (rc = mms_kpi_ensure_env(kpi)) == MMS_OK)
		rc = populate(kpi, s, o, &filter);
	mms_expr_free(&filter);
	size_t total = 0;
	for (int k = 0; k < NSTRATA && rc == MMS_OK; k++)
		total += s->pop[k];
	size_t size = (size_t)llround(o->share * (double)total);
	for (int k = 0; k < NSTRATA && rc == MMS_OK; k++) {
		if (!o->strata) /* proportional to the population: its levels only */
			s->quota_pct[k] = s->pop[k] ? 100.0 * (double)s->pop[k] / (double)total : -1;
		if (s->quota_pct[k] < 0)
			continue;
		s->quota[k] = (size_t)llround(s->quota_pct[k] / 100 * (double)size);
		if (s->quota[k] > s->pop[k])
			rc = mms_kpi_fail(kpi, MMS_ERANGE, "stratum %s cannot be filled: its quota "
					  "of %g%% of a sample of %zu needs %zu people, the "
					  "population has %zu", mms_enum_name(E_EDU_LEVEL, k),
					  s->quota_pct[k], size, s->quota[k], s->pop[k]);
	}
	if (rc == MMS_OK && (rc = draw(s, o->seed)) == MMS_ENOMEM)
		mms_kpi_fail(kpi, rc, "out of memory");
	if (rc != MMS_OK) {
		if (rc == MMS_ENOMEM && !kpi->errmsg[0])
			mms_kpi_fail(kpi, rc, "out of memory");
		mms_sample_free(s);
		return rc;
	}
	*out = s;
	return MMS_OK;
}

void mms_sample_free(mms_sample *s)
{
	if (!s)
		return;
	mms_free(s->ids);
	mms_free(s->stratum_of);
	mms_free(s);
}

int mms_sample_ids(const mms_sample *s, mms_idlist **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	if (!s)
		return MMS_EINVAL;
	mms_idlist *l = mms_idlist_new();
	for (size_t i = 0; l && i < s->n; i++)
		if (mms_idlist_push(l, s->ids[i]) != MMS_OK) {
			mms_idlist_free(l);
			l = NULL;
		}
	if (!l)
		return MMS_ENOMEM;
	*out = l;
	return MMS_OK;
}

size_t mms_sample_strata(const mms_sample *s)
{
	size_t n = 0;
	for (int k = 0; s && k < NSTRATA; k++)
		n += s->pop[k] > 0 || s->quota_pct[k] >= 0;
	return n;
}

int mms_sample_stratum(const mms_sample *s, size_t i, const char **name, size_t *people,
		       size_t *quota, size_t *drawn, double *deviation)
{
	for (int k = 0; s && k < NSTRATA; k++) {
		if (!(s->pop[k] > 0 || s->quota_pct[k] >= 0) || i-- > 0)
			continue;
		if (name)
			*name = mms_enum_name(E_EDU_LEVEL, k);
		if (people)
			*people = s->pop[k];
		if (quota)
			*quota = s->quota[k];
		if (drawn)
			*drawn = s->drawn[k];
		if (deviation) /* the stratum's share of the sample against its quota */
			*deviation = s->n ? 100.0 * (double)s->drawn[k] / (double)s->n -
						    (s->quota_pct[k] < 0 ? 0 : s->quota_pct[k])
					  : 0;
		return MMS_OK;
	}
	return MMS_EINVAL;
}

int mms_sample_estimate(mms_kpi *kpi, const mms_sample *s, const char *id, int year,
			mms_estimate *out)
{
	if (!kpi || !s || !out || out->version < 1 || out->version > MMS_ESTIMATE_VERSION)
		return MMS_EINVAL;
	indicator *d = mms_kpi_find(kpi, id);
	if (!d)
		return mms_kpi_fail(kpi, MMS_ENOTFOUND, "no indicator \"%.200s\"", id ? id : "");
	if (d->pop != POP_STAFF || (d->kind != KIND_SHARE && d->kind != KIND_SURVEY_SHARE))
		return mms_kpi_fail(kpi, MMS_EINVAL, "%s is not a share over staff", d->id);
	int rc = mms_db_ready(kpi->db);
	if (rc == MMS_OK && s->nstaff != kpi->db->m.t[MMS_STAFF].count)
		rc = MMS_ECORRUPT;
	if (rc == MMS_OK)
		rc = mms_kpi_ensure_env(kpi);
	if (rc != MMS_OK)
		return mms_kpi_fail(kpi, rc, rc == MMS_ECORRUPT ? "the sample was drawn from other "
				    "data; draw it again" : "%s", mms_db_errmsg(kpi->db));
	expr_env v;
	mms_kpi_env(kpi, d, year, &v);
	/* per stratum: sampled people in the indicator's population, and in its numerator */
	double n[NSTRATA] = {0}, x[NSTRATA] = {0};
	for (size_t i = 0; i < s->n; i++) {
		int32_t id_ = s->ids[i];
		double num, den;
		if (mms_kpi_record_unit(d, &v, id_) < 0)
			continue; /* not on the indicator's staff that year, as in the engine */
		mms_kpi_classify(d, &v, id_, &num, &den);
		if (den > 0) {
			n[s->stratum_of[id_]] += 1;
			x[s->stratum_of[id_]] += num;
		}
	}
	/* stratified estimator: strata weighted by their population */
	double w_total = 0, p = 0, var = 0, sampled = 0;
	for (int k = 0; k < NSTRATA; k++)
		if (n[k] > 0)
			w_total += (double)s->pop[k];
	for (int k = 0; k < NSTRATA && w_total > 0; k++) {
		if (n[k] <= 0)
			continue;
		double w = (double)s->pop[k] / w_total, ph = x[k] / n[k];
		double fpc = s->pop[k] > 0 ? 1 - n[k] / (double)s->pop[k] : 0;
		p += w * ph;
		if (n[k] > 1)
			var += w * w * fpc * ph * (1 - ph) / (n[k] - 1);
		sampled += n[k];
	}
	out->defined = sampled > 0;
	out->sampled = sampled;
	out->value = out->defined ? 100 * p : NAN;
	double half = 1.959964 * sqrt(var);
	out->low = out->defined ? 100 * fmax(0, p - half) : NAN;
	out->high = out->defined ? 100 * fmin(1, p + half) : NAN;
	return MMS_OK;
}
