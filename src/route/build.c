/*
 * Building routes (docs/routes.md). Deficits are taken most severe first;
 * each still uncovered one gets the resource that covers the most weight
 * of uncovered deficits per hour (a greedy weighted set cover), among those
 * strong enough for it, inside the period, with a place left, within the
 * budget, with their prerequisites met and fitting the person (fit.c).
 * Capacities and tutors' loads are shared across a batch; ties go to the
 * closer fit, the person's main subject, fewer hours, then code.
 */
#include <json-c/json.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

typedef struct plan_step {
	int32_t resource;
	int hours;
	char *covers, *reason;
} plan_step;

typedef struct plan_gap {
	int32_t comp;
	char *reason;
} plan_gap;

typedef struct plan_route {
	int32_t staff, tutor;
	int hours, course_hours;
	plan_step *steps;
	size_t nsteps, steps_cap;
	plan_gap *gaps;
	size_t ngaps, gaps_cap;
} plan_route;

struct mms_route_plan {
	plan_route *r;
	size_t n, cap;
	int32_t start, end, as_of;
	int budget;
	double high_below, medium_up_to; /* the bands, stored with each route */
	route_author author;              /* who develops them (authorship.c) */
};

/* Shared across a batch: places left and tutors' loads. */
typedef struct builder {
	route_ctx c;
	mms_route_options o;
	int32_t start, end;
	int32_t *left;        /* places left per resource; INT32_MAX = unlimited */
	int32_t *load;        /* routes per tutor */
	int32_t *sl_start, *sl; /* staff links by staff */
	int32_t *sup_start, *sup; /* supports links by target unit */
	int32_t *tgt_start, *tgt; /* supports links by target person */
	int32_t *cm_start, *cm;   /* ЦНППМ methodists by region (tutors.c) */
	int32_t *rdev_start, *rdev; /* develops records by resource */
	int32_t *def_of;      /* competency → index in the person's results, or -1 */
	/* Regions: the topmost regional-level units. A resource belongs to the
	 * region of its provider (else site, else mentor), or to none (federal);
	 * a person is offered those of no region and of their own. */
	int32_t nregions, *region_of; /* per unit, its region's index or -1 */
	int32_t *cdev_start, *cdev;   /* develops by competency × (region + 1) */
	int32_t *cdev_end;            /* where each run's candidates with places end */
	int32_t (*gone)[4];           /* per run: candidates taken out, no place left, by strength */
	int32_t person_region;
	person_profile person; /* of the person being planned */
	fit_needs *needs;      /* per resource, worked out once */
	/* per resource, its fit to the person planned when fit_for == person */
	int32_t *fit_for, *fit_rank, person_no;
	int8_t *fit;
	const char *format;
	int format_id;
} builder;

static const char *code(const mms_model *m, int e, int32_t id)
{
	return mms_str(m, mms_row(m, e, id)[mms_entities[e].code_field]);
}

static int required_strength(int severity)
{
	return severity == MMS_SEVERITY_HIGH ? 2 : 1;
}

static int weight(int severity)
{
	return severity == MMS_SEVERITY_HIGH ? 2 : 1;
}

/* ---- the shared state of a batch -------------------------------------- */
/* The region of a resource: of its provider, else site, else mentor's organisation. */
static int32_t resource_region(const builder *b, int32_t res)
{
	const int32_t *r = mms_row(b->c.m, MMS_RESOURCE, res);
	int32_t unit = r[R_PROVIDER] >= 0 ? r[R_PROVIDER] : r[R_SITE] >= 0 ? r[R_SITE]
		     : r[R_MENTOR] >= 0 ? mms_row(b->c.m, MMS_STAFF, r[R_MENTOR])[S_ORG] : -1;
	return unit >= 0 ? b->region_of[unit] : -1;
}

/* The run of candidates of competency comp and region (-1: none). */
static int32_t run_key(const builder *b, int32_t comp, int32_t region)
{
	return comp * (b->nregions + 1) + region + 1;
}

/* Takes a resource whose last place is gone out of the runs of candidates,
 * so later people do not visit it; each run counts what it lost, by
 * strength, for the explanations of gaps. One out of the handle's scope
 * stays: blocked() gives that reason first. */
static void exhausted(builder *b, int32_t res)
{
	if (!mms_db_readable(b->c.db, MMS_RESOURCE, res))
		return;
	int32_t region = resource_region(b, res);
	for (int32_t k = b->rdev_start[res]; k < b->rdev_start[res + 1]; k++) {
		const int32_t *dv = mms_row(b->c.m, MMS_DEVELOPS, b->rdev[k]);
		int32_t key = run_key(b, dv[DV_COMPETENCY], region);
		for (int32_t p = b->cdev_start[key]; p < b->cdev_end[key]; p++)
			if (b->cdev[p] == b->rdev[k]) { /* keeps the run in id order */
				memmove(&b->cdev[p], &b->cdev[p + 1],
					(size_t)(b->cdev_end[key] - p - 1) * sizeof *b->cdev);
				b->cdev_end[key]--;
				b->gone[key][dv[DV_STRENGTH]]++;
				break;
			}
	}
}

/* Numbers the regions and groups the develops records by competency and
 * region, so a person's candidates are two short runs, not every resource
 * of the country that develops the competency. */
static int index_regions(builder *b)
{
	const mms_model *m = b->c.m;
	size_t nu = m->t[MMS_UNIT].count, nd = m->t[MMS_DEVELOPS].count;
	int32_t *key = mms_malloc((nd + 1) * sizeof *key);
	b->region_of = mms_malloc((nu + 1) * sizeof *b->region_of);
	if (!key || !b->region_of) {
		mms_free(key);
		return MMS_ENOMEM;
	}
	for (size_t u = 0; u < nu; u++) {
		int32_t top = -1; /* the topmost regional unit at or above u */
		for (int32_t p = (int32_t)u, steps = (int32_t)nu; p >= 0 && steps-- > 0;
		     p = mms_row(m, MMS_UNIT, p)[U_PARENT])
			if (mms_row(m, MMS_UNIT, p)[U_LEVEL] == LV_REGIONAL)
				top = p;
		b->region_of[u] = top; /* a unit id for now, numbered below */
	}
	int32_t *index = mms_malloc((nu + 1) * sizeof *index); /* region unit → its number */
	if (!index) {
		mms_free(key);
		return MMS_ENOMEM;
	}
	for (size_t u = 0; u < nu; u++)
		index[u] = b->region_of[u] == (int32_t)u ? b->nregions++ : -1;
	for (size_t u = 0; u < nu; u++)
		b->region_of[u] = b->region_of[u] >= 0 ? index[b->region_of[u]] : -1;
	mms_free(index);
	for (size_t k = 0; k < nd; k++) {
		const int32_t *dv = mms_row(m, MMS_DEVELOPS, (int32_t)k);
		key[k] = !mms_model_live(m, MMS_DEVELOPS, (int32_t)k) ? -1 /* deleted: offered to none */
			 : run_key(b, dv[DV_COMPETENCY], resource_region(b, dv[DV_RESOURCE]));
	}
	size_t nkeys = m->t[MMS_COMPETENCY].count * ((size_t)b->nregions + 1);
	int rc = mms_index_csr(nkeys, nd, key, NULL, 1, &b->cdev_start, &b->cdev);
	mms_free(key);
	b->cdev_end = rc == MMS_OK ? mms_malloc((nkeys + 1) * sizeof *b->cdev_end) : NULL;
	b->gone = rc == MMS_OK ? mms_calloc(nkeys + 1, sizeof *b->gone) : NULL;
	if (rc == MMS_OK && (!b->cdev_end || !b->gone))
		rc = MMS_ENOMEM;
	for (size_t k = 0; rc == MMS_OK && k < nkeys; k++)
		b->cdev_end[k] = b->cdev_start[k + 1];
	for (size_t r = 0; rc == MMS_OK && r < m->t[MMS_RESOURCE].count; r++)
		if (b->left[r] <= 0)
			exhausted(b, (int32_t)r);
	return rc;
}

/* The develops records of competency comp offered to the person being
 * planned that still have places: [r[0], r[1]) of no region, [r[2], r[3])
 * of the person's; with key, the two runs' numbers (-1: none). */
static void offered(const builder *b, int32_t comp, int32_t r[4], int32_t key[2])
{
	int32_t base = run_key(b, comp, -1);
	int32_t own = b->person_region >= 0 ? run_key(b, comp, b->person_region) : -1;
	r[0] = b->cdev_start[base];
	r[1] = b->cdev_end[base];
	r[2] = own >= 0 ? b->cdev_start[own] : 0;
	r[3] = own >= 0 ? b->cdev_end[own] : 0;
	if (key) {
		key[0] = base;
		key[1] = own;
	}
}


static int init_builder(builder *b, mms_db *db, const mms_route_options *opts)
{
	memset(b, 0, sizeof *b);
	mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
	if (opts && (opts->version < 1 || opts->version > MMS_ROUTE_OPTIONS_VERSION))
		return MMS_EINVAL;
	/* a caller of version 1 has no authorship fields: read only its own */
	if (opts)
		memcpy(&o, opts, opts->version >= 2 ? sizeof o : offsetof(mms_route_options, developer));
	if (o.budget_hours <= 0)
		o.budget_hours = 144;
	if (o.max_tutor_load <= 0)
		o.max_tutor_load = 10;
	b->o = o;
	b->start = MMS_NONE;
	b->end = MMS_NONE;
	if ((o.start && mms_date_parse(o.start, &b->start) != MMS_OK) ||
	    (o.end && mms_date_parse(o.end, &b->end) != MMS_OK))
		return mms_db_fail(db, MMS_EINVAL, "the route's period \"%.20s\"..\"%.20s\" is not "
				   "two dates", o.start ? o.start : "", o.end ? o.end : "");
	b->format_id = o.format ? mms_enum_find(E_FORMAT, o.format) : -1;
	if (o.format && b->format_id < 0)
		return mms_db_fail(db, MMS_EINVAL, "format \"%.40s\" is not in_person, distance or "
				   "blended", o.format);
	double high = o.high_below > 0 ? o.high_below : 60, medium = o.medium_up_to > 0 ? o.medium_up_to : 80;
	if (high > medium || medium > 100) /* stored with each route: they must make sense */
		return mms_db_fail(db, MMS_EINVAL, "deficit bands: high below %g and medium up to %g are "
				   "not 0 < high <= medium <= 100", high, medium);
	int rc = mms_route_ctx_init(&b->c, db, o.as_of, high, medium);
	if (rc != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	size_t nres = m->t[MMS_RESOURCE].count, nst = m->t[MMS_STAFF].count;
	b->left = mms_malloc((nres + 1) * sizeof *b->left);
	b->load = mms_calloc(nst + 1, sizeof *b->load);
	if (!b->left || !b->load)
		return MMS_ENOMEM;
	for (size_t r = 0; r < nres; r++) {
		int32_t cap = mms_row(m, MMS_RESOURCE, (int32_t)r)[R_CAPACITY];
		b->left[r] = cap == MMS_NONE ? INT32_MAX : cap;
	}
	/* places and tutors already taken by routes that are not over */
	for (size_t s = 0; s < m->t[MMS_ROUTE_STEP].count; s++) {
		const int32_t *st = mms_row(m, MMS_ROUTE_STEP, (int32_t)s);
		int32_t rs = b->c.route_status[st[ST_ROUTE]];
		if (mms_model_live(m, MMS_ROUTE_STEP, (int32_t)s) && rs != RS_CANCELLED &&
		    b->c.step_status[s] != RS_FAILED && st[ST_PAIR] < 0 && /* pairs: below */
		    b->left[st[ST_RESOURCE]] != INT32_MAX && b->left[st[ST_RESOURCE]] > 0)
			b->left[st[ST_RESOURCE]]--;
	}
	/* a mentor's places: the pairs she holds during the route's period */
	mms_mentor_loads(m, b->start != MMS_NONE ? b->start : b->c.as_of,
			 b->end != MMS_NONE ? b->end : b->c.as_of, b->load);
	for (size_t r = 0; r < nres; r++) {
		const int32_t *res = mms_row(m, MMS_RESOURCE, (int32_t)r);
		if (res[R_KIND] == RK_MENTORING && res[R_MENTOR] >= 0 && b->left[r] != INT32_MAX)
			b->left[r] = b->left[r] > b->load[res[R_MENTOR]]
					     ? b->left[r] - b->load[res[R_MENTOR]] : 0;
	}
	memset(b->load, 0, (nst + 1) * sizeof *b->load);
	for (size_t r = 0; r < m->t[MMS_ROUTE].count; r++) {
		const int32_t *rt = mms_row(m, MMS_ROUTE, (int32_t)r);
		int32_t rs = b->c.route_status[r];
		if (rt[RT_TUTOR] >= 0 && rs != RS_CANCELLED && rs != RS_COMPLETED &&
		    mms_model_live(m, MMS_ROUTE, (int32_t)r))
			b->load[rt[RT_TUTOR]]++;
	}
	size_t ncomp = m->t[MMS_COMPETENCY].count;
	b->needs = mms_malloc((nres + 1) * sizeof *b->needs);
	b->fit_for = mms_malloc((nres + 1) * sizeof *b->fit_for);
	b->fit_rank = mms_malloc((nres + 1) * sizeof *b->fit_rank);
	b->fit = mms_malloc(nres + 1);
	if (!(b->def_of = mms_malloc((ncomp + 1) * sizeof *b->def_of)) || !b->needs || !b->fit_for ||
	    !b->fit_rank || !b->fit)
		return MMS_ENOMEM;
	for (size_t r = 0; r < nres; r++) {
		mms_route_fit_needs(m, (int32_t)r, &b->needs[r]);
		b->fit_for[r] = -1;
	}
	memset(b->def_of, 0xff, (ncomp + 1) * sizeof *b->def_of); /* all -1 */
	rc = mms_index_csr_live(m, nst, MMS_STAFF_LINK, SL_STAFF, -1, &b->sl_start, &b->sl);
	if (rc == MMS_OK)
		rc = mms_index_csr_live(m, nres, MMS_DEVELOPS, DV_RESOURCE, -1, &b->rdev_start,
					&b->rdev);
	if (rc == MMS_OK)
		rc = mms_index_csr_live(m, m->t[MMS_UNIT].count, MMS_STAFF_LINK, SL_UNIT, -1,
					&b->sup_start, &b->sup);
	if (rc == MMS_OK)
		rc = mms_index_csr_live(m, nst, MMS_STAFF_LINK, SL_TARGET_STAFF, -1, &b->tgt_start,
					&b->tgt);
	if (rc == MMS_OK)
		rc = index_regions(b);
	return rc == MMS_OK ? mms_route_centre_methodists(m, b->region_of, b->nregions, &b->cm_start,
							  &b->cm)
			    : rc;
}

static void free_builder(builder *b)
{
	mms_route_ctx_free(&b->c);
	mms_free(b->left);
	mms_free(b->load);
	mms_free(b->sl_start);
	mms_free(b->sl);
	mms_free(b->sup_start);
	mms_free(b->sup);
	mms_free(b->tgt_start);
	mms_free(b->tgt);
	mms_free(b->cm_start);
	mms_free(b->cm);
	mms_free(b->rdev_start);
	mms_free(b->rdev);
	mms_free(b->region_of);
	mms_free(b->cdev_start);
	mms_free(b->cdev);
	mms_free(b->cdev_end);
	mms_free(b->gone);
	mms_free(b->def_of);
	mms_free(b->needs);
	mms_free(b->fit_for);
	mms_free(b->fit_rank);
	mms_free(b->fit);
}

/* ---- choosing steps ----------------------------------------------------- */

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
		if (first && i >= 0 && !covered[i] && def[i].severity > 0 &&
		    strength(b, res, comp) >= required_strength(def[i].severity))
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
	return strcmp(code(b->c.m, MMS_RESOURCE, x->res), code(b->c.m, MMS_RESOURCE, y->res)) < 0;
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
		int rc = take(b, pr, pre, def, n, covered, code(m, MMS_RESOURCE, res));
		if (rc != MMS_OK)
			return rc;
	}
	int hours = r[R_HOURS] == MMS_NONE ? 0 : r[R_HOURS];
	mms_buf covers = {0}, why = {0};
	for (size_t i = 0; i < n; i++) {
		int st = strength(b, res, def[i].comp);
		if (covered[i] || def[i].severity == 0 || st < required_strength(def[i].severity))
			continue;
		covered[i] = 1;
		mms_buf_printf(&covers, "%s%s", covers.len ? "|" : "", code(m, MMS_COMPETENCY, def[i].comp));
		mms_buf_printf(&why, "%s%s (%s deficit, %.0f%%, strength %d)", why.len ? ", " : "covers ",
			       code(m, MMS_COMPETENCY, def[i].comp), mms_severity_name(def[i].severity),
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
		exhausted(b, res);
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
	int any = 0, strong = 0, misfit = 0, cap = 0, period = 0, budget = 0, prereq = 0;
	int32_t r[4], key[2];
	offered(b, d->comp, r, key);
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
		if (!why)
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
	char *text = NULL;
	if (mms_buf_detach(&why, &text) != MMS_OK ||
	    mms_grow((void **)&pr->gaps, &pr->gaps_cap, pr->ngaps + 1, sizeof *pr->gaps)) {
		mms_free(text);
		return MMS_ENOMEM;
	}
	pr->gaps[pr->ngaps++] = (plan_gap){d->comp, text};
	return MMS_OK;
}

static int choose_steps(builder *b, plan_route *pr, const result *def, size_t n)
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
		offered(b, def[i].comp, r, NULL);
		for (int run = 0; run < 4; run += 2)
		for (int32_t k = r[run]; k < r[run + 1]; k++) {
			const int32_t *dv = mms_row(b->c.m, MMS_DEVELOPS, b->cdev[k]);
			int32_t res = dv[DV_RESOURCE];
			if (dv[DV_STRENGTH] < need)
				continue;
			int hours = chain_hours(b, pr, res, b->o.budget_hours - pr->hours);
			if (hours < 0)
				continue;
			choice c = candidate(b, res, value_of(b, res, def, covered, hours), hours);
			if (best.res < 0 || better(b, &c, &best))
				best = c;
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
static int accumulate(builder *b, plan_route *pr, const result *def, size_t n)
{
	const mms_model *m = b->c.m;
	int volume = b->o.pd_volume_hours;
	while (volume > 0 && pr->course_hours < volume) {
		choice best = {-1, 0, 0, 0, INT32_MAX};
		int32_t runs[4];
		for (size_t i = 0; i < n; i++)
			for (int run = (offered(b, def[i].comp, runs, NULL), 0); run < 4; run += 2)
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
			exhausted(b, best.res);
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

/* ---- tutors ---------------------------------------------------------- */

static int link_valid(const builder *b, const int32_t *l)
{
	return (l[SL_START] == MMS_NONE || l[SL_START] <= b->c.as_of) &&
	       (l[SL_END] == MMS_NONE || l[SL_END] >= b->c.as_of);
}

/* Seed 000: a methodist, an association head, a deputy head or an
 * innovative teacher can be a tutor; so can a ЦНППМ methodist (МР-4/02вн).
 * Tried in that order: methodists supporting the person herself, then her
 * organisation, heads of the associations the person is in, the
 * organisation's managers, its teachers of the highest category,
 * methodists of the nearest service above, the methodists of the region's
 * ЦНППМ; the least loaded within the limit, then by code. */
static int32_t pick_tutor(builder *b, int32_t staff)
{
	const mms_model *m = b->c.m;
	int32_t org = mms_row(m, MMS_STAFF, staff)[S_ORG];
	int32_t best = -1;
#define CONSIDER(t)                                                                          \
	do {                                                                                 \
		int32_t t_ = (t);                                                            \
		if (t_ >= 0 && t_ != staff && b->load[t_] < b->o.max_tutor_load &&           \
		    mms_db_readable(b->c.db, MMS_STAFF, t_) &&                               \
		    (best < 0 || b->load[t_] < b->load[best] ||                              \
		     (b->load[t_] == b->load[best] &&                                        \
		      strcmp(code(m, MMS_STAFF, t_), code(m, MMS_STAFF, best)) < 0)))        \
			best = t_;                                                           \
	} while (0)
	/* 0: a methodist who supports the person herself */
	for (int32_t k = b->tgt_start[staff]; k < b->tgt_start[staff + 1]; k++) {
		const int32_t *l = mms_row(m, MMS_STAFF_LINK, b->tgt[k]);
		if (l[SL_KIND] == SL_SUPPORTS && link_valid(b, l))
			CONSIDER(l[SL_STAFF]);
	}
	/* 1: methodists who support the person's organisation */
	for (int32_t k = b->sup_start[org]; best < 0 && k < b->sup_start[org + 1]; k++) {
		const int32_t *l = mms_row(m, MMS_STAFF_LINK, b->sup[k]);
		if (l[SL_KIND] == SL_SUPPORTS && link_valid(b, l))
			CONSIDER(l[SL_STAFF]);
	}
	/* 2: heads of the associations the person is a member of */
	for (int32_t k = b->sl_start[staff]; best < 0 && k < b->sl_start[staff + 1]; k++) {
		const int32_t *l = mms_row(m, MMS_STAFF_LINK, b->sl[k]);
		if (l[SL_KIND] != SL_MEMBER || l[SL_UNIT] < 0 || !link_valid(b, l))
			continue;
		for (int32_t j = b->sup_start[l[SL_UNIT]]; j < b->sup_start[l[SL_UNIT] + 1]; j++) {
			const int32_t *h = mms_row(m, MMS_STAFF_LINK, b->sup[j]);
			if (h[SL_KIND] == SL_HEAD && link_valid(b, h))
				CONSIDER(h[SL_STAFF]);
		}
	}
	/* 3: the organisation's managers (its deputy heads), then its teachers of
	 * the highest category (the nearest the model comes to "innovative") */
	const mms_index *ix = &b->c.db->idx;
	for (int pass = 0; pass < 2 && best < 0; pass++)
		for (int32_t k = ix->staff_start[org]; k < ix->staff_start[org + 1]; k++) {
			const int32_t *st = mms_row(m, MMS_STAFF, ix->staff_ids[k]);
			if (pass == 0 ? st[S_ROLE] == ROLE_MANAGER
				      : st[S_ROLE] == ROLE_TEACHER && st[S_CATEGORY] == CAT_HIGHEST)
				CONSIDER(ix->staff_ids[k]);
		}
	/* 4: methodists of the nearest service above the organisation */
	for (int32_t u = org; best < 0 && u >= 0; u = mms_row(m, MMS_UNIT, u)[U_PARENT]) {
		for (int32_t k = ix->staff_start[u]; k < ix->staff_start[u + 1]; k++)
			if (mms_row(m, MMS_STAFF, ix->staff_ids[k])[S_ROLE] == ROLE_METHODIST)
				CONSIDER(ix->staff_ids[k]);
	}
	/* 5: the methodists of the region's ЦНППМ */
	int32_t region = b->region_of[org];
	for (int32_t k = region >= 0 ? b->cm_start[region] : 0;
	     best < 0 && region >= 0 && k < b->cm_start[region + 1]; k++)
		CONSIDER(b->cm[k]);
#undef CONSIDER
	if (best >= 0)
		b->load[best]++;
	return best;
}

/* ---- plans ------------------------------------------------------------ */

static int plan_one(builder *b, mms_route_plan *p, int32_t staff)
{
	result *def = NULL;
	size_t n = 0;
	int rc = mms_route_results(&b->c, staff, &def, &n);
	if (rc != MMS_OK)
		return rc;
	if (mms_grow((void **)&p->r, &p->cap, p->n + 1, sizeof *p->r)) {
		mms_free(def);
		return MMS_ENOMEM;
	}
	plan_route *pr = &p->r[p->n++];
	memset(pr, 0, sizeof *pr);
	pr->staff = staff;
	b->person_region = b->region_of[mms_row(b->c.m, MMS_STAFF, staff)[S_ORG]];
	mms_route_profile(b->c.m, staff, b->c.as_of, &b->person);
	b->person_no++; /* the fits worked out for the one before do not hold */
	for (size_t i = 0; i < n; i++)
		b->def_of[def[i].comp] = (int32_t)i;
	rc = choose_steps(b, pr, def, n);
	if (rc == MMS_OK)
		rc = accumulate(b, pr, def, n);
	for (size_t i = 0; i < n; i++)
		b->def_of[def[i].comp] = -1;
	pr->tutor = pick_tutor(b, staff);
	mms_free(def);
	return rc;
}

static int begin(mms_db *db, const mms_route_options *opts, builder *b, mms_route_plan **out)
{
	*out = NULL;
	memset(b, 0, sizeof *b); /* finish() frees it whatever happens below */
	int rc = mms_db_ready(db);
	if (rc == MMS_OK)
		rc = init_builder(b, db, opts);
	if (rc == MMS_OK && !(*out = mms_calloc(1, sizeof **out)))
		rc = MMS_ENOMEM;
	if (rc == MMS_OK) {
		(*out)->start = b->start;
		(*out)->end = b->end;
		(*out)->budget = b->o.budget_hours;
		(*out)->as_of = b->c.as_of;
		(*out)->high_below = b->c.high_below;
		(*out)->medium_up_to = b->c.medium_up_to;
		rc = mms_route_author_init(db, &b->o, b->c.as_of, &(*out)->author);
	}
	return rc;
}

static int finish(mms_db *db, builder *b, mms_route_plan **out, int rc)
{
	free_builder(b);
	if (rc != MMS_OK) {
		mms_route_plan_free(*out);
		*out = NULL;
		if (rc == MMS_ENOMEM)
			mms_db_fail(db, rc, "out of memory building routes");
	}
	return rc;
}

int mms_route_plan_person(mms_db *db, int32_t staff, const mms_route_options *opts,
			  mms_route_plan **out)
{
	builder b;
	if (!out)
		return MMS_EINVAL;
	int rc = begin(db, opts, &b, out);
	if (rc == MMS_OK)
		rc = mms_db_check_own_id(db, MMS_STAFF, staff);
	if (rc == MMS_OK)
		rc = plan_one(&b, *out, staff);
	return finish(db, &b, out, rc);
}

typedef struct who {
	int32_t staff;
	int worst, count;
	const char *code; /* so the order needs no context */
} who;

static int by_need(const void *a, const void *b)
{
	const who *x = a, *y = b;
	if (x->worst != y->worst)
		return y->worst - x->worst;
	if (x->count != y->count)
		return y->count - x->count;
	return strcmp(x->code, y->code);
}

int mms_route_plan_batch(mms_db *db, int32_t within, const mms_route_options *opts,
			 mms_route_plan **out)
{
	builder b;
	if (!out)
		return MMS_EINVAL;
	int rc = begin(db, opts, &b, out);
	if (rc == MMS_OK)
		rc = mms_db_ready_subtree(db, &within);
	const mms_model *m = &db->m;
	size_t ns = m->t[MMS_STAFF].count, nw = 0;
	who *people = rc == MMS_OK ? mms_malloc((ns + 1) * sizeof *people) : NULL;
	if (rc == MMS_OK && !people)
		rc = MMS_ENOMEM;
	/* who needs a route: anyone with a deficit, the neediest first */
	for (size_t s = 0; rc == MMS_OK && s < ns; s++) {
		int32_t org = mms_row(m, MMS_STAFF, (int32_t)s)[S_ORG];
		if (b.c.diag_start[s] == b.c.diag_start[s + 1] ||
		    (within >= 0 && !mms_index_within(&db->idx, within, org)))
			continue;
		result *def;
		size_t n;
		if ((rc = mms_route_results(&b.c, (int32_t)s, &def, &n)) != MMS_OK)
			break;
		int worst = n ? def[0].severity : 0, count = 0;
		for (size_t i = 0; i < n; i++)
			count += def[i].severity > 0;
		mms_free(def);
		if (worst > 0)
			people[nw++] = (who){(int32_t)s, worst, count, code(m, MMS_STAFF, (int32_t)s)};
	}
	if (rc == MMS_OK && nw)
		qsort(people, nw, sizeof *people, by_need);
	for (size_t i = 0; rc == MMS_OK && i < nw; i++) {
		rc = plan_one(&b, *out, people[i].staff);
		if (b.o.progress)
			b.o.progress(i + 1, nw, b.o.payload);
	}
	mms_free(people);
	return finish(db, &b, out, rc);
}

void mms_route_plan_free(mms_route_plan *p)
{
	if (!p)
		return;
	for (size_t r = 0; r < p->n; r++) {
		for (size_t s = 0; s < p->r[r].nsteps; s++) {
			mms_free(p->r[r].steps[s].covers);
			mms_free(p->r[r].steps[s].reason);
		}
		for (size_t g = 0; g < p->r[r].ngaps; g++)
			mms_free(p->r[r].gaps[g].reason);
		mms_free(p->r[r].steps);
		mms_free(p->r[r].gaps);
	}
	mms_free(p->r);
	mms_free(p);
}

size_t mms_route_plan_count(const mms_route_plan *p) { return p ? p->n : 0; }

int32_t mms_route_plan_as_of(const mms_route_plan *p) { return p->as_of; }

static const plan_route *route_at(const mms_route_plan *p, size_t r)
{
	return p && r < p->n ? &p->r[r] : NULL;
}

static const plan_step *step_at(const mms_route_plan *p, size_t r, size_t s)
{
	const plan_route *pr = route_at(p, r);
	return pr && s < pr->nsteps ? &pr->steps[s] : NULL;
}

static const plan_gap *gap_at(const mms_route_plan *p, size_t r, size_t u)
{
	const plan_route *pr = route_at(p, r);
	return pr && u < pr->ngaps ? &pr->gaps[u] : NULL;
}

int32_t mms_route_plan_staff(const mms_route_plan *p, size_t r)
{
	return route_at(p, r) ? route_at(p, r)->staff : -1;
}

int32_t mms_route_plan_tutor(const mms_route_plan *p, size_t r)
{
	return route_at(p, r) ? route_at(p, r)->tutor : -1;
}

int mms_route_plan_hours(const mms_route_plan *p, size_t r, int *course_hours)
{
	const plan_route *pr = route_at(p, r);
	if (course_hours)
		*course_hours = pr ? pr->course_hours : 0;
	return pr ? pr->hours : 0;
}

size_t mms_route_plan_steps(const mms_route_plan *p, size_t r)
{
	return route_at(p, r) ? route_at(p, r)->nsteps : 0;
}

int32_t mms_route_plan_step_resource(const mms_route_plan *p, size_t r, size_t s)
{
	return step_at(p, r, s) ? step_at(p, r, s)->resource : -1;
}

const char *mms_route_plan_step_covers(const mms_route_plan *p, size_t r, size_t s)
{
	return step_at(p, r, s) ? step_at(p, r, s)->covers : NULL;
}

const char *mms_route_plan_step_reason(const mms_route_plan *p, size_t r, size_t s)
{
	return step_at(p, r, s) ? step_at(p, r, s)->reason : NULL;
}

size_t mms_route_plan_uncovered(const mms_route_plan *p, size_t r)
{
	return route_at(p, r) ? route_at(p, r)->ngaps : 0;
}

int32_t mms_route_plan_uncovered_competency(const mms_route_plan *p, size_t r, size_t u)
{
	return gap_at(p, r, u) ? gap_at(p, r, u)->comp : -1;
}

const char *mms_route_plan_uncovered_reason(const mms_route_plan *p, size_t r, size_t u)
{
	return gap_at(p, r, u) ? gap_at(p, r, u)->reason : NULL;
}

/* ---- storing a plan ---------------------------------------------------- */

static int add_text(json_object *o, const char *key, const char *value)
{
	json_object *v = json_object_new_string(value);
	return v && !json_object_object_add(o, key, v) ? MMS_OK : MMS_ENOMEM;
}

int mms_route_plan_save(mms_db *db, const mms_route_plan *p, const char *prefix, int32_t *first_id)
{
	if (!db || !p)
		return MMS_EINVAL;
	int rc = mms_db_ready(db);
	if (rc != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	int32_t first = (int32_t)m->t[MMS_ROUTE].count;
	json_object *doc = json_object_new_object(), *routes = json_object_new_array(),
		    *steps = json_object_new_array(), *pairs = json_object_new_array();
	step_pairs sp = {NULL, NULL, NULL};
	rc = doc && routes && steps && pairs ? mms_step_pairs_init(m, &sp) : MMS_ENOMEM;
	for (size_t r = 0; rc == MMS_OK && r < p->n; r++) {
		const plan_route *pr = &p->r[r];
		char rcode[300], date[11];
		snprintf(rcode, sizeof rcode, "%s%s", prefix ? prefix : "ИОМ-",
			 code(m, MMS_STAFF, pr->staff));
		json_object *o = json_object_new_object();
		rc = o && !json_object_array_add(routes, o) ? MMS_OK : MMS_ENOMEM;
		if (rc == MMS_OK)
			rc = add_text(o, "code", rcode);
		if (rc == MMS_OK)
			rc = add_text(o, "staff", code(m, MMS_STAFF, pr->staff));
		if (rc == MMS_OK && pr->tutor >= 0)
			rc = add_text(o, "tutor", code(m, MMS_STAFF, pr->tutor));
		if (rc == MMS_OK && p->start != MMS_NONE) {
			mms_date_format(p->start, date);
			rc = add_text(o, "start", date);
		}
		if (rc == MMS_OK && p->end != MMS_NONE) {
			mms_date_format(p->end, date);
			rc = add_text(o, "end", date);
		}
		if (rc == MMS_OK)
			json_object_object_add(o, "budget_hours", json_object_new_int(p->budget));
		if (rc == MMS_OK)
			json_object_object_add(o, "high_below", json_object_new_double(p->high_below));
		if (rc == MMS_OK)
			json_object_object_add(o, "medium_up_to",
					       json_object_new_double(p->medium_up_to));
		if (rc == MMS_OK)
			rc = mms_route_author_json(m, &p->author, o);
		for (size_t s = 0; rc == MMS_OK && s < pr->nsteps; s++) {
			const plan_step *st = &pr->steps[s];
			json_object *so = json_object_new_object(), *cov = json_object_new_array();
			rc = so && cov && !json_object_array_add(steps, so) ? MMS_OK : MMS_ENOMEM;
			if (rc == MMS_OK)
				rc = add_text(so, "route", rcode);
			if (rc == MMS_OK)
				rc = add_text(so, "resource", code(m, MMS_RESOURCE, st->resource));
			for (char *c = st->covers; rc == MMS_OK && c && *c;) {
				size_t len = strcspn(c, "|");
				json_object_array_add(cov, json_object_new_string_len(c, (int)len));
				c += len + (c[len] == '|');
			}
			if (rc == MMS_OK && !json_object_object_add(so, "covers", cov))
				cov = NULL;
			json_object_put(cov);
			if (rc == MMS_OK)
				json_object_object_add(so, "order", json_object_new_int((int)s + 1));
			if (rc == MMS_OK)
				json_object_object_add(so, "hours", json_object_new_int(st->hours));
			if (rc == MMS_OK)
				rc = add_text(so, "reason", st->reason);
			if (rc == MMS_OK)
				rc = mms_route_step_pair_json(m, &sp, pr->staff, st->resource,
							      p->start != MMS_NONE ? p->start : p->as_of,
							      p->end, rcode, st->covers, so, pairs);
		}
	}
	if (rc == MMS_OK && (json_object_object_add(doc, "routes", routes) ||
			     json_object_object_add(doc, "route_steps", steps) ||
			     json_object_object_add(doc, "mentoring_pairs", pairs)))
		rc = MMS_ENOMEM;
	else if (rc == MMS_OK)
		routes = steps = pairs = NULL;
	const char *text = rc == MMS_OK ? json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN)
				       : NULL;
	if (rc == MMS_OK)
		rc = text ? mms_db_import_json(db, text, NULL, NULL) : MMS_ENOMEM;
	json_object_put(doc);
	json_object_put(routes);
	json_object_put(steps);
	json_object_put(pairs);
	mms_step_pairs_free(&sp);
	if (rc == MMS_OK && first_id)
		*first_id = first;
	else if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory storing routes");
	return rc;
}
