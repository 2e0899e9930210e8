/*
 * Deficits: a person's latest results by competency as of a date, rolled
 * up from indicators to competencies (mean), with severities after the
 * deficit bands (domain/bands.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bands.h"
#include "domain/route_status.h"
#include "route.h"

const char *mms_severity_name(int s)
{
	static const char *const names[] = {"minimal", "medium", "high"};
	return s >= 0 && s <= MMS_SEVERITY_HIGH ? names[s] : NULL;
}

int mms_severity_of(const route_ctx *c, double score)
{
	return mms_bands_severity((mms_bands){c->high_below, c->medium_up_to}, score);
}

void mms_route_ctx_bands(route_ctx *c, int32_t route)
{
	mms_bands b = mms_bands_of_route(c->m, route);
	c->high_below = b.high_below;
	c->medium_up_to = b.medium_up_to;
}

int mms_route_ctx_init(route_ctx *c, mms_db *db, const char *as_of, double high_below,
		       double medium_up_to)
{
	memset(c, 0, sizeof *c);
	c->db = db;
	c->m = &db->m;
	c->high_below = high_below;
	c->medium_up_to = medium_up_to;
	c->as_of = mms_date_today();
	if (as_of && mms_date_parse(as_of, &c->as_of) != MMS_OK)
		return mms_db_fail(db, MMS_EINVAL, "as_of \"%.40s\" is not a date", as_of);
	const mms_model *m = c->m;
	size_t nc = m->t[MMS_COMPETENCY].count;
	int rc = mms_index_csr_live(m, m->t[MMS_STAFF].count, MMS_DIAGNOSTIC, D_STAFF, -1,
				    &c->diag_start, &c->diag);
	if (rc == MMS_OK)
		rc = mms_index_csr_live(m, nc, MMS_DEVELOPS, DV_COMPETENCY, -1, &c->dev_start, &c->dev);
	if (rc == MMS_OK)
		rc = mms_index_csr_live(m, nc, MMS_COMPETENCY, C_PARENT, -1, &c->child_start,
					&c->child);
	if (rc == MMS_OK)
		rc = mms_route_statuses_at(m, MMS_NONE, &c->route_status, &c->step_status);
	if (rc == MMS_OK) {
		c->latest = mms_malloc((nc + 1) * sizeof *c->latest);
		c->before = mms_malloc((nc + 1) * sizeof *c->before);
		c->touched = mms_malloc((nc + 1) * sizeof *c->touched);
		if (!c->latest || !c->before || !c->touched)
			rc = MMS_ENOMEM;
		else {
			memset(c->latest, 0xff, (nc + 1) * sizeof *c->latest);
			memset(c->before, 0xff, (nc + 1) * sizeof *c->before);
		}
	}
	if (rc != MMS_OK) {
		mms_route_ctx_free(c);
		return mms_db_fail(db, rc, "out of memory");
	}
	return MMS_OK;
}

void mms_route_ctx_free(route_ctx *c)
{
	int32_t **arrays[] = {&c->diag_start, &c->diag, &c->dev_start, &c->dev, &c->child_start,
			      &c->child, &c->step_status, &c->route_status, &c->latest,
			      &c->before, &c->touched};
	for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
		mms_free(*arrays[i]);
		*arrays[i] = NULL;
	}
}

double mms_route_result_score(const route_ctx *c, int32_t diag)
{
	const int32_t *d = mms_row(c->m, MMS_DIAGNOSTIC, diag);
	if (d[D_SESSION] < 0 || !mms_field_present(c->m, MMS_DIAGNOSTIC, diag, D_TASK))
		return mms_diagnostic_score(d);
	double sum = 0;
	int n = 0;
	int32_t staff = d[D_STAFF];
	for (int32_t k = c->diag_start[staff]; k < c->diag_start[staff + 1]; k++) {
		const int32_t *t = mms_row(c->m, MMS_DIAGNOSTIC, c->diag[k]);
		if (t[D_SESSION] == d[D_SESSION] && t[D_COMPETENCY] == d[D_COMPETENCY]) {
			sum += mms_diagnostic_score(t);
			n++;
		}
	}
	return round(sum / n * MMS_DEC_SCALE) / MMS_DEC_SCALE; /* n >= 1: diag itself */
}

/* Keeps, per competency, the latest diagnostic to the date and the one before. */
static void collect(route_ctx *c, int32_t staff)
{
	const mms_model *m = c->m;
	for (int32_t k = c->diag_start[staff]; k < c->diag_start[staff + 1]; k++) {
		int32_t id = c->diag[k];
		const int32_t *d = mms_row(m, MMS_DIAGNOSTIC, id);
		int32_t comp = d[D_COMPETENCY];
		if (d[D_DATE] > c->as_of)
			continue;
		if (c->latest[comp] < 0) {
			c->touched[c->ntouched++] = comp;
			c->latest[comp] = id;
			continue;
		}
		int32_t cur = mms_row(m, MMS_DIAGNOSTIC, c->latest[comp])[D_DATE];
		if (d[D_DATE] >= cur) { /* later, or as late and recorded later */
			if (d[D_DATE] > cur)
				c->before[comp] = c->latest[comp];
			c->latest[comp] = id;
		} else if (c->before[comp] < 0 ||
			   d[D_DATE] > mms_row(m, MMS_DIAGNOSTIC, c->before[comp])[D_DATE]) {
			c->before[comp] = id;
		}
	}
}

/* A competency's score from its own result, else the mean of its
 * indicators'; *diag (may be NULL) the diagnostic it came from: its own, or
 * the latest of its indicators'. */
static int rolled(const route_ctx *c, int32_t comp, const int32_t *which, double *out,
		  int32_t *diag)
{
	if (which[comp] >= 0) {
		*out = mms_route_result_score(c, which[comp]);
		if (diag)
			*diag = which[comp];
		return 1;
	}
	double sum = 0;
	int n = 0;
	int32_t latest = -1;
	for (int32_t k = c->child_start[comp]; k < c->child_start[comp + 1]; k++) {
		int32_t id = which[c->child[k]];
		if (id < 0)
			continue;
		sum += mms_route_result_score(c, id);
		n++;
		if (latest < 0 || mms_row(c->m, MMS_DIAGNOSTIC, id)[D_DATE] >
				       mms_row(c->m, MMS_DIAGNOSTIC, latest)[D_DATE])
			latest = id;
	}
	if (n) /* in thousandths, as stored: the severity frozen with a route is the one judged */
		*out = round(sum / n * MMS_DEC_SCALE) / MMS_DEC_SCALE;
	if (diag)
		*diag = latest;
	return n > 0;
}

/* An indicator assessed on its own whose result is a worse deficit than
 * its competency's (rolled up, r[0..ncomp)) is a deficit of its own: a
 * 66 % indicator inside an 81.7 % competency is medium (Р-201 judges the
 * share of tasks solved, and the tasks of one indicator are solved or not
 * whatever the others). */
static void indicator_result(const route_ctx *c, int32_t ind, result *r, size_t ncomp, size_t *n)
{
	const int32_t *row = mms_row(c->m, MMS_COMPETENCY, ind);
	if (row[C_KIND] != CK_INDICATOR || row[C_PARENT] < 0 || c->latest[ind] < 0)
		return;
	double score = mms_route_result_score(c, c->latest[ind]);
	int severity = mms_severity_of(c, score);
	for (size_t j = 0; j < ncomp; j++)
		if (r[j].comp == row[C_PARENT] && severity > r[j].severity) {
			int32_t before = c->before[ind];
			r[(*n)++] = (result){ind, score, severity,
					     before >= 0 ? mms_severity_of(c, mms_route_result_score(c, before))
							 : -1,
					     row[C_PARENT], c->latest[ind]};
			return;
		}
}

static int by_severity(const void *a, const void *b)
{
	const result *x = a, *y = b;
	if (x->severity != y->severity)
		return y->severity - x->severity;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->comp - y->comp;
}

int mms_route_results(route_ctx *c, int32_t staff, result **out, size_t *n)
{
	const mms_model *m = c->m;
	*out = NULL;
	*n = 0;
	collect(c, staff);
	/* competencies assessed directly, or through one of their indicators */
	/* each touched record gives at most its competency's result and its own */
	result *r = mms_malloc((2 * c->ntouched + 1) * sizeof *r);
	if (!r)
		return MMS_ENOMEM;
	for (size_t i = 0; i < c->ntouched; i++) {
		int32_t comp = c->touched[i];
		const int32_t *row = mms_row(m, MMS_COMPETENCY, comp);
		if (row[C_KIND] == CK_INDICATOR && row[C_PARENT] >= 0)
			comp = row[C_PARENT];
		else if (row[C_KIND] != CK_COMPETENCY)
			continue;
		size_t j = 0;
		while (j < *n && r[j].comp != comp)
			j++;
		if (j < *n)
			continue;
		double score, prev;
		int32_t diag;
		if (!rolled(c, comp, c->latest, &score, &diag))
			continue;
		r[*n] = (result){comp, score, mms_severity_of(c, score),
				 rolled(c, comp, c->before, &prev, NULL) ? mms_severity_of(c, prev) : -1,
				 -1, diag};
		(*n)++;
	}
	size_t ncomp = *n;
	for (size_t i = 0; i < c->ntouched; i++)
		indicator_result(c, c->touched[i], r, ncomp, n);
	for (size_t i = 0; i < c->ntouched; i++) {
		c->latest[c->touched[i]] = -1;
		c->before[c->touched[i]] = -1;
	}
	c->ntouched = 0;
	qsort(r, *n ? *n : 1, sizeof *r, by_severity);
	*out = r;
	return MMS_OK;
}

size_t mms_route_informal(const route_ctx *c, const person_profile *who, int32_t comp,
			  int32_t out[3])
{
	const mms_model *m = c->m;
	size_t n = 0;
	for (int32_t k = c->dev_start[comp]; k < c->dev_start[comp + 1] && n < 3; k++) {
		int32_t res = mms_row(m, MMS_DEVELOPS, c->dev[k])[DV_RESOURCE];
		int32_t kind = mms_row(m, MMS_RESOURCE, res)[R_KIND];
		if ((kind == RK_ASSOCIATION || kind == RK_SEMINAR || kind == RK_SELF_EDUCATION) &&
		    mms_route_fit_of(m, who, res, NULL) >= 0)
			out[n++] = res;
	}
	return n;
}

struct mms_deficits {
	result *r;
	size_t n;
};

int mms_deficits_compute(mms_db *db, int32_t staff, const mms_deficit_options *opts,
			 mms_deficits **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	mms_deficit_options o = MMS_DEFICIT_OPTIONS_INIT;
	if (opts && (opts->version < 1 || opts->version > MMS_DEFICIT_OPTIONS_VERSION))
		return MMS_EINVAL;
	if (opts)
		o = *opts;
	int rc = mms_db_ready(db);
	if (rc == MMS_OK)
		rc = mms_db_check_own_id(db, MMS_STAFF, staff);
	if (rc != MMS_OK)
		return rc;
	route_ctx c;
	if ((rc = mms_route_ctx_init(&c, db, o.as_of, o.high_below, o.medium_up_to)) != MMS_OK)
		return rc;
	mms_deficits *d = mms_calloc(1, sizeof *d);
	rc = d ? mms_route_results(&c, staff, &d->r, &d->n) : MMS_ENOMEM;
	mms_route_ctx_free(&c);
	if (rc != MMS_OK) {
		mms_deficits_free(d);
		return mms_db_fail(db, rc, "out of memory");
	}
	*out = d;
	return MMS_OK;
}

void mms_deficits_free(mms_deficits *d)
{
	if (!d)
		return;
	mms_free(d->r);
	mms_free(d);
}

size_t mms_deficits_count(const mms_deficits *d) { return d ? d->n : 0; }

int32_t mms_deficits_competency(const mms_deficits *d, size_t i)
{
	return d && i < d->n ? d->r[i].comp : -1;
}

double mms_deficits_score(const mms_deficits *d, size_t i)
{
	return d && i < d->n ? d->r[i].score : NAN;
}

int mms_deficits_severity(const mms_deficits *d, size_t i)
{
	return d && i < d->n ? d->r[i].severity : -1;
}

int mms_deficits_previous(const mms_deficits *d, size_t i)
{
	return d && i < d->n ? d->r[i].previous : -1;
}
