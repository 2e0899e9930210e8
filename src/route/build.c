/*
 * Building routes (docs/routes.md). Deficits are taken most severe first;
 * each still uncovered one gets the resource that covers the most weight
 * of uncovered deficits per hour (a greedy weighted set cover), among those
 * strong enough for it, inside the period, with a place left, within the
 * budget, with their prerequisites met and fitting the person (fit.c).
 * Capacities and tutors' loads are shared across a batch; ties go to the
 * closer fit, the person's main subject, fewer hours, then code.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "domain/bands.h"
#include "domain/route_status.h"

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
void mms_build_exhausted(builder *b, int32_t res)
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
			mms_build_exhausted(b, (int32_t)r);
	return rc;
}

/* The develops records of competency comp offered to the person being
 * planned that still have places: [r[0], r[1]) of no region, [r[2], r[3])
 * of the person's; with key, the two runs' numbers (-1: none). */
void mms_build_offered(const builder *b, int32_t comp, int32_t r[4], int32_t key[2])
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

/* A mentor's places are also the mentoring pairs she holds during the
 * routes' period (docs/routes.md, "Mentoring as a programme") that no step
 * of a stored route stands for (such a step counted already). b->load is
 * the scratch, zero before and after. */
static void mentors_pairs(builder *b, size_t nres)
{
	const mms_model *m = b->c.m;
	int32_t from = b->start != MMS_NONE ? b->start : b->c.as_of;
	int32_t to = b->end != MMS_NONE ? b->end : b->c.as_of;
	mms_mentor_loads(m, from, to, b->load);
	for (size_t s = 0; s < m->t[MMS_ROUTE_STEP].count; s++) {
		const int32_t *st = mms_row(m, MMS_ROUTE_STEP, (int32_t)s);
		if (st[ST_PAIR] >= 0 && st[ST_ROUTE] >= 0 && mms_model_live(m, MMS_ROUTE_STEP, (int32_t)s) &&
		    mms_route_step_holds_place(b->c.route_status[st[ST_ROUTE]], b->c.step_status[s]) &&
		    mms_pair_overlaps(m, st[ST_PAIR], from, to))
			b->load[mms_row(m, MMS_MENTORING_PAIR, st[ST_PAIR])[MP_MENTOR]]--;
	}
	for (size_t r = 0; r < nres; r++) {
		const int32_t *res = mms_row(m, MMS_RESOURCE, (int32_t)r);
		int32_t held = res[R_MENTOR] >= 0 ? b->load[res[R_MENTOR]] : 0;
		if (res[R_KIND] == RK_MENTORING && held > 0 && b->left[r] != INT32_MAX)
			b->left[r] = b->left[r] > held ? b->left[r] - held : 0;
	}
	memset(b->load, 0, (m->t[MMS_STAFF].count + 1) * sizeof *b->load);
}


static int init_builder(builder *b, mms_db *db, const mms_route_options *opts)
{
	memset(b, 0, sizeof *b);
	mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
	if (opts && (opts->version < 1 || opts->version > MMS_ROUTE_OPTIONS_VERSION))
		return MMS_EINVAL;
	/* a caller of an older version lacks the later fields: read only its own */
	if (opts)
		memcpy(&o, opts, opts->version >= 3   ? sizeof o
				 : opts->version == 2 ? offsetof(mms_route_options, medium_to_course)
						      : offsetof(mms_route_options, developer));
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
	mms_bands bands = mms_bands_or_r201(o.high_below, o.medium_up_to);
	if (!mms_bands_valid(bands)) /* stored with each route: they must make sense */
		return mms_db_fail(db, MMS_EINVAL, "deficit bands: high below %g and medium up to %g are "
				   "not 0 < high <= medium <= 100", bands.high_below, bands.medium_up_to);
	int rc = mms_route_ctx_init(&b->c, db, o.as_of, bands.high_below, bands.medium_up_to);
	if (rc != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	size_t nres = m->t[MMS_RESOURCE].count, nst = m->t[MMS_STAFF].count;
	b->left = mms_malloc((nres + 1) * sizeof *b->left);
	b->load = mms_calloc(nst + 1, sizeof *b->load);
	if (!b->left || !b->load)
		return MMS_ENOMEM;
	/* places already taken by stored routes, as every write counts them */
	mms_route_places_taken(m, b->c.route_status, b->c.step_status, b->left);
	for (size_t r = 0; r < nres; r++) {
		int32_t cap = mms_row(m, MMS_RESOURCE, (int32_t)r)[R_CAPACITY];
		b->left[r] = cap == MMS_NONE ? INT32_MAX : cap > b->left[r] ? cap - b->left[r] : 0;
	}
	mentors_pairs(b, nres);
	/* tutors taken by routes that are not over */
	for (size_t r = 0; r < m->t[MMS_ROUTE].count; r++) {
		const int32_t *rt = mms_row(m, MMS_ROUTE, (int32_t)r);
		if (rt[RT_TUTOR] >= 0 && mms_route_is_open(b->c.route_status[r]) &&
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

/* ---- plans ------------------------------------------------------------ */

/* Keeps with the route what it is built on: every result, what it leads
 * to (Р-201) and, for a minimal one, the informal suggestions. */
static int record_deficits(const builder *b, plan_route *pr, const result *def, size_t n)
{
	const mms_model *m = b->c.m;
	if (!(pr->defs = mms_calloc(n + 1, sizeof *pr->defs)))
		return MMS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		plan_deficit *d = &pr->defs[pr->ndefs++];
		d->r = def[i];
		d->consequence = mms_deficit_consequence(def[i].severity, b->o.medium_to_course);
		int32_t res[3];
		size_t k = def[i].severity == MMS_SEVERITY_MINIMAL
				   ? mms_route_informal(&b->c, &b->person, def[i].comp, res) : 0;
		mms_buf codes = {0};
		for (size_t j = 0; j < k; j++)
			mms_buf_printf(&codes, "%s%s", j ? "|" : "", mms_build_code(m, MMS_RESOURCE, res[j]));
		if (k && mms_buf_detach(&codes, &d->suggestions) != MMS_OK)
			return MMS_ENOMEM;
	}
	return MMS_OK;
}

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
	b->ind_first = b->ind_end = 0;
	for (size_t i = 0; i < n; i++) {
		b->def_of[def[i].comp] = (int32_t)i;
		if (def[i].parent >= 0 && b->ind_end == 0)
			b->ind_first = i;
		if (def[i].parent >= 0)
			b->ind_end = i + 1;
	}
	rc = mms_build_cover(b, pr, def, n);
	if (rc == MMS_OK)
		rc = mms_build_accumulate(b, pr, def, n);
	if (rc == MMS_OK)
		rc = record_deficits(b, pr, def, n);
	for (size_t i = 0; i < n; i++)
		b->def_of[def[i].comp] = -1;
	pr->tutor = mms_build_tutor(b, staff);
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
			people[nw++] = (who){(int32_t)s, worst, count, mms_build_code(m, MMS_STAFF, (int32_t)s)};
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
