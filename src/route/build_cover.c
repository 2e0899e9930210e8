/*
 * Choosing a route's steps (docs/routes.md "Building a route", 2-6): a
 * greedy weighted set cover taken deficit by deficit, then course modules
 * towards the PD volume of the modular-accumulative model (seed 000).
 */
#include <stdint.h>
#include <string.h>

#include "build.h"

static int required_strength(int severity)
{
	return severity == MMS_SEVERITY_HIGH ? 2 : 1;
}

static int weight(int severity)
{
	return severity == MMS_SEVERITY_HIGH ? 2 : 1;
}


/* How closely a resource that restricts whom it fits fits the person
 * planned (fit.c), worked out once per person: candidates are looked at
 * several times. */
static int fit_restricted(const builder *b, int32_t res, int32_t *rank)
{
	if (b->fit_for[res] != b->person_no) {
		b->fit[res] = (int8_t)mms_route_fit_meets(b->c.m, &b->person, res, &b->needs[res],
							  &b->fit_rank[res]);
		b->fit_for[res] = b->person_no;
	}
	if (rank)
		*rank = b->fit_rank[res];
	return b->fit[res];
}

/* Most of a catalogue is open to anyone: those cost one look, here, for the
 * candidates of every deficit of every person of a batch. */
static inline int fit_of(const builder *b, int32_t res, int32_t *rank)
{
	if (!b->needs[res].open)
		return fit_restricted(b, res, rank);
	if (rank)
		*rank = INT32_MAX;
	return 0;
}

/* Why a resource cannot be taken, as blocked() says it: record_gap() counts
 * them by these addresses. */
static const char out_of_scope[] = "outside the handle's scope", not_for[] = "not for the person",
		  no_place[] = "capacity exhausted", out_of_period[] = "outside the route's period",
		  over_budget[] = "over the budget", in_route_already[] = "already in the route";

/* Why a resource cannot be taken now, or NULL if it can. */
static const char *blocked(const builder *b, const plan_route *pr, int32_t res, int budget_left)
{
	const int32_t *r = mms_row(b->c.m, MMS_RESOURCE, res);
	int hours = r[R_HOURS] == MMS_NONE ? 0 : r[R_HOURS];
	if (!mms_db_readable(b->c.db, MMS_RESOURCE, res))
		return out_of_scope;
	if (fit_of(b, res, NULL) < 0)
		return not_for;
	if (b->left[res] <= 0)
		return no_place;
	if ((b->start != MMS_NONE && r[R_START] != MMS_NONE && r[R_START] < b->start) ||
	    (b->end != MMS_NONE && r[R_END] != MMS_NONE && r[R_END] > b->end))
		return out_of_period;
	if (hours > budget_left)
		return over_budget;
	for (size_t s = 0; s < pr->nsteps; s++)
		if (pr->steps[s].resource == res)
			return in_route_already;
	return NULL;
}

/* Whether the person has done the resource on an earlier route. */
static int done_before(const builder *b, int32_t staff, int32_t res)
{
	const mms_model *m = b->c.m;
	for (size_t s = 0; s < m->t[MMS_ROUTE_STEP].count; s++) {
		const int32_t *st = mms_row(m, MMS_ROUTE_STEP, (int32_t)s);
		if (st[ST_RESOURCE] == res && b->c.step_status[s] == RS_DONE &&
		    mms_model_live(m, MMS_ROUTE_STEP, (int32_t)s) &&
		    mms_row(m, MMS_ROUTE, st[ST_ROUTE])[RT_STAFF] == staff)
			return 1;
	}
	return 0;
}

static int in_route(const plan_route *pr, int32_t res)
{
	for (size_t s = 0; s < pr->nsteps; s++)
		if (pr->steps[s].resource == res)
			return 1;
	return 0;
}

/* Hours of a resource with the prerequisites it still needs; -1 if one of
 * them cannot be taken. */
static int chain_hours(const builder *b, const plan_route *pr, int32_t res, int budget_left)
{
	int total = 0;
	for (int32_t r = res; r >= 0;) {
		const int32_t *row = mms_row(b->c.m, MMS_RESOURCE, r);
		if (r != res && (in_route(pr, r) || done_before(b, pr->staff, r)))
			break;
		if (blocked(b, pr, r, budget_left - total))
			return -1;
		total += row[R_HOURS] == MMS_NONE ? 0 : row[R_HOURS];
		r = row[R_PREREQUISITE];
	}
	return total;
}

/* The strength with which a resource develops a competency (0 if not):
 * its first develops record for it. A resource develops a few, so this
 * scans the resource's records, not the competency's. */
static int strength(const builder *b, int32_t res, int32_t comp)
{
	for (int32_t k = b->rdev_start[res]; k < b->rdev_start[res + 1]; k++) {
		const int32_t *dv = mms_row(b->c.m, MMS_DEVELOPS, b->rdev[k]);
		if (dv[DV_COMPETENCY] == comp)
			return dv[DV_STRENGTH];
	}
	return 0;
}

/* The strength with which a resource develops what result d is of: an
 * indicator's deficit is developed by what develops the indicator or its
 * competency. */
static int strength_for(const builder *b, int32_t res, const result *d)
{
	int s = strength(b, res, d->comp);
	if (d->parent >= 0) {
		int p = strength(b, res, d->parent);
		s = p > s ? p : s;
	}
	return s;
}

/* Whether the resource may cover deficit d: strongly enough, and, where the
 * region sends medium deficits to subject courses (Р-201), a course. */
static int may_cover(const builder *b, int32_t res, const result *d)
{
	if (b->o.medium_to_course && d->severity == MMS_SEVERITY_MEDIUM &&
	    mms_row(b->c.m, MMS_RESOURCE, res)[R_KIND] != RK_COURSE)
		return 0;
	return strength_for(b, res, d) >= required_strength(d->severity);
}

typedef struct choice {
	int32_t res;
	double value;
	int hours;
	int fit;      /* how closely it fits the person (fit.c) */
	int32_t rank; /* the person's subject it names: 0 the main one */
} choice;

static choice candidate(const builder *b, int32_t res, double value, int hours)
{
	choice c = {res, value, hours, 0, INT32_MAX};
	c.fit = fit_of(b, res, &c.rank);
	return c;
}

/* Weighted uncovered deficits the resource covers well enough, per hour,
 * plus small bonuses for what the documents and the person prefer. */
static double value_of(const builder *b, int32_t res, const result *def, const uint8_t *covered,
		       int hours)
{
	const int32_t *r = mms_row(b->c.m, MMS_RESOURCE, res);
	double w = 0;
	/* over the resource's few competencies, each found among the person's
	 * results through def_of[]; a competency counts once, at its strength() */
	for (int32_t k = b->rdev_start[res]; k < b->rdev_start[res + 1]; k++) {
		int32_t comp = mms_row(b->c.m, MMS_DEVELOPS, b->rdev[k])[DV_COMPETENCY], i = b->def_of[comp];
		int first = 1;
		for (int32_t j = b->rdev_start[res]; j < k && first; j++)
			first = mms_row(b->c.m, MMS_DEVELOPS, b->rdev[j])[DV_COMPETENCY] != comp;
		if (first && i >= 0 && !covered[i] && def[i].severity > 0 && def[i].parent < 0 &&
		    may_cover(b, res, &def[i]))
			w += weight(def[i].severity);
	}
	/* indicators' own deficits the resource reaches through their competency */
	for (size_t i = b->ind_first; i < b->ind_end; i++) {
		if (!covered[i] && def[i].severity > 0 && def[i].parent >= 0 &&
		    may_cover(b, res, &def[i]))
			w += weight(def[i].severity);
	}
	double v = w / (1.0 + hours / 36.0);
	if (b->o.prefer_federal && r[R_KIND] == RK_COURSE && r[R_FEDERAL_REGISTER])
		v += 0.5; /* seed 001 and 000 prefer Federal-register programmes */
	if (b->format_id >= 0 && r[R_FORMAT] == b->format_id)
		v += 0.25;
	if (b->o.prefer_in_region && r[R_IN_REGION])
		v += 0.25;
	return v;
}

static int better(const builder *b, const choice *x, const choice *y)
{
	if (x->value != y->value)
		return x->value > y->value;
	if (x->fit != y->fit)
		return x->fit > y->fit;
	if (x->rank != y->rank)
		return x->rank < y->rank;
	if (x->hours != y->hours)
		return x->hours < y->hours;
	return strcmp(mms_build_code(b->c.m, MMS_RESOURCE, x->res), mms_build_code(b->c.m, MMS_RESOURCE, y->res)) < 0;
}

static int add_step(plan_route *pr, int32_t res, int hours, char *covers, char *reason)
{
	if (mms_grow((void **)&pr->steps, &pr->steps_cap, pr->nsteps + 1, sizeof *pr->steps)) {
		mms_free(covers);
		mms_free(reason);
		return MMS_ENOMEM;
	}
	pr->steps[pr->nsteps++] = (plan_step){res, hours, covers, reason};
	pr->hours += hours;
	return MMS_OK;
}

/* Takes a resource: its missing prerequisites first, then itself. */
static int take(builder *b, plan_route *pr, int32_t res, const result *def, size_t n,
		uint8_t *covered, const char *first_for)
{
	const mms_model *m = b->c.m;
	const int32_t *r = mms_row(m, MMS_RESOURCE, res);
	int32_t pre = r[R_PREREQUISITE];
	if (pre >= 0 && !in_route(pr, pre) && !done_before(b, pr->staff, pre)) {
		int rc = take(b, pr, pre, def, n, covered, mms_build_code(m, MMS_RESOURCE, res));
		if (rc != MMS_OK)
			return rc;
	}
	int hours = r[R_HOURS] == MMS_NONE ? 0 : r[R_HOURS];
	mms_buf covers = {0}, why = {0};
	for (size_t i = 0; i < n; i++) {
		int st = strength_for(b, res, &def[i]);
		if (covered[i] || def[i].severity == 0 || !may_cover(b, res, &def[i]))
			continue;
		covered[i] = 1;
		mms_buf_printf(&covers, "%s%s", covers.len ? "|" : "", mms_build_code(m, MMS_COMPETENCY, def[i].comp));
		mms_buf_printf(&why, "%s%s (%s deficit, %.0f%%, strength %d)", why.len ? ", " : "covers ",
			       mms_build_code(m, MMS_COMPETENCY, def[i].comp), mms_severity_name(def[i].severity),
			       def[i].score, st);
	}
	if (first_for)
		mms_buf_printf(&why, "%sprerequisite of %s", why.len ? "; " : "", first_for);
	if (r[R_KIND] == RK_COURSE && r[R_FEDERAL_REGISTER])
		mms_buf_puts(&why, "; a Federal-register programme");
	if (b->format_id >= 0 && r[R_FORMAT] == b->format_id)
		mms_buf_printf(&why, "; %s as preferred", b->o.format);
	if (hours)
		mms_buf_printf(&why, "; %d h", hours);
	if (r[R_KIND] == RK_COURSE)
		pr->course_hours += hours;
	if (b->left[res] != INT32_MAX && --b->left[res] == 0)
		mms_build_exhausted(b, res);
	char *c = NULL, *w = NULL;
	if (mms_buf_detach(&covers, &c) != MMS_OK || mms_buf_detach(&why, &w) != MMS_OK) {
		mms_free(c);
		mms_buf_free(&why);
		return MMS_ENOMEM;
	}
	return add_step(pr, res, hours, c, w);
}

/* Says why nothing could cover deficit d: what stood in the way of each
 * resource developing it. */
static int record_gap(const builder *b, plan_route *pr, const result *d, int budget_left)
{
	const mms_model *m = b->c.m;
	int any = 0, strong = 0, misfit = 0, cap = 0, period = 0, budget = 0, prereq = 0,
	    not_course = 0;
	for (int of = 0; of < 2; of++) { /* an indicator's, then its competency's */
	int32_t r[4], key[2];
	if (of && d->parent < 0)
		break;
	mms_build_offered(b, of ? d->parent : d->comp, r, key);
	for (int i = 0; i < 2; i++) /* those taken out of the runs had no place left */
		for (int s = 1; key[i] >= 0 && s <= 3; s++) {
			int n = b->gone[key[i]][s];
			any += n;
			strong += s >= required_strength(d->severity) ? n : 0;
			cap += s >= required_strength(d->severity) ? n : 0;
		}
	for (int run = 0; run < 4; run += 2)
	for (int32_t k = r[run]; k < r[run + 1]; k++) {
		const int32_t *dv = mms_row(m, MMS_DEVELOPS, b->cdev[k]);
		if (!mms_db_readable(b->c.db, MMS_RESOURCE, dv[DV_RESOURCE]))
			continue; /* the counts of a scoped handle say nothing of what lies outside */
		any++;
		if (dv[DV_STRENGTH] < required_strength(d->severity))
			continue;
		strong++;
		const char *why = blocked(b, pr, dv[DV_RESOURCE], budget_left);
		if (!may_cover(b, dv[DV_RESOURCE], d))
			not_course++; /* the region sends medium deficits to subject courses */
		else if (!why)
			prereq++; /* takeable itself: its prerequisites were not */
		else if (why == not_for)
			misfit++;
		else if (why == no_place)
			cap++;
		else if (why == out_of_period)
			period++;
		else if (why == over_budget)
			budget++;
	}
	}
	mms_buf why = {0};
	if (!any)
		mms_buf_puts(&why, "no resource develops it");
	else if (!strong)
		mms_buf_printf(&why, "no resource develops it strongly enough for a %s deficit "
			       "(strength %d needed)", mms_severity_name(d->severity),
			       required_strength(d->severity));
	else
		mms_buf_printf(&why, "of %d resources strong enough: %d not for the person (subject, "
			       "level, position, category or experience), %d with no place left, %d "
			       "outside the period, %d over the budget (%d h left), %d with "
			       "prerequisites that cannot be met", strong, misfit, cap, period, budget,
			       budget_left, prereq);
	if (strong && not_course)
		mms_buf_printf(&why, "; %d not a course (medium deficits go to subject courses)",
			       not_course);
	char *text = NULL;
	if (mms_buf_detach(&why, &text) != MMS_OK ||
	    mms_grow((void **)&pr->gaps, &pr->gaps_cap, pr->ngaps + 1, sizeof *pr->gaps)) {
		mms_free(text);
		return MMS_ENOMEM;
	}
	pr->gaps[pr->ngaps++] = (plan_gap){d->comp, text};
	return MMS_OK;
}

int mms_build_cover(builder *b, plan_route *pr, const result *def, size_t n)
{
	uint8_t *covered = mms_calloc(n + 1, 1);
	if (!covered)
		return MMS_ENOMEM;
	int rc = MMS_OK;
	for (size_t i = 0; rc == MMS_OK && i < n; i++) {
		if (covered[i] || def[i].severity == 0)
			continue;
		choice best = {-1, 0, 0, 0, INT32_MAX};
		int need = required_strength(def[i].severity);
		int32_t r[4];
		for (int of = 0; of < 2 && (!of || def[i].parent >= 0); of++) {
		mms_build_offered(b, of ? def[i].parent : def[i].comp, r, NULL);
		for (int run = 0; run < 4; run += 2)
		for (int32_t k = r[run]; k < r[run + 1]; k++) {
			const int32_t *dv = mms_row(b->c.m, MMS_DEVELOPS, b->cdev[k]);
			int32_t res = dv[DV_RESOURCE];
			if (dv[DV_STRENGTH] < need || !may_cover(b, res, &def[i]))
				continue;
			int hours = chain_hours(b, pr, res, b->o.budget_hours - pr->hours);
			if (hours < 0)
				continue;
			choice c = candidate(b, res, value_of(b, res, def, covered, hours), hours);
			if (best.res < 0 || better(b, &c, &best))
				best = c;
		}
		}
		if (best.res >= 0)
			rc = take(b, pr, best.res, def, n, covered, NULL);
		else
			rc = record_gap(b, pr, &def[i], b->o.budget_hours - pr->hours);
	}
	mms_free(covered);
	return rc;
}

/*
 * The modular-accumulative model (seed 000): hours of several course
 * modules add up to a PD volume. While the route's course hours fall short
 * of it, the course module of best value that develops one of the person's
 * assessed competencies is added, within the budget, period and places.
 */
int mms_build_accumulate(builder *b, plan_route *pr, const result *def, size_t n)
{
	const mms_model *m = b->c.m;
	int volume = b->o.pd_volume_hours;
	while (volume > 0 && pr->course_hours < volume) {
		choice best = {-1, 0, 0, 0, INT32_MAX};
		int32_t runs[4];
		for (size_t i = 0; i < n; i++)
			for (int run = (mms_build_offered(b, def[i].comp, runs, NULL), 0); run < 4; run += 2)
			for (int32_t k = runs[run]; k < runs[run + 1]; k++) {
				int32_t res = mms_row(m, MMS_DEVELOPS, b->cdev[k])[DV_RESOURCE];
				const int32_t *r = mms_row(m, MMS_RESOURCE, res);
				if (r[R_KIND] != RK_COURSE || r[R_PREREQUISITE] >= 0 ||
				    blocked(b, pr, res, b->o.budget_hours - pr->hours))
					continue;
				int hours = r[R_HOURS] == MMS_NONE ? 0 : r[R_HOURS];
				/* the weakest results first, per hour: a module on a deficit is worth more */
				choice c = candidate(b, res, (def[i].severity + 1) * (101 - def[i].score) /
								     (1.0 + hours / 36.0), hours);
				if (best.res < 0 || better(b, &c, &best))
					best = c;
			}
		if (best.res < 0)
			break; /* nothing more fits: the shortfall shows in the hours */
		char *reason = NULL;
		mms_buf why = {0};
		mms_buf_printf(&why, "a module towards the PD volume of %d h (modular-accumulative "
			       "model); %d h", volume, best.hours);
		if (b->left[best.res] != INT32_MAX && --b->left[best.res] == 0)
			mms_build_exhausted(b, best.res);
		pr->course_hours += best.hours;
		char *covers = mms_strdup(""); /* it covers no deficit of its own choosing */
		int rc = mms_buf_detach(&why, &reason);
		if (rc == MMS_OK && !covers)
			rc = MMS_ENOMEM;
		if (rc == MMS_OK)
			rc = add_step(pr, best.res, best.hours, covers, reason); /* takes both */
		else {
			mms_free(covers);
			mms_free(reason);
		}
		if (rc != MMS_OK)
			return rc;
	}
	return MMS_OK;
}
