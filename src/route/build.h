/*
 * The route builder's shared state (docs/routes.md "Building a route"),
 * split at its seams: build.c holds the state of a batch (places left,
 * tutors' loads, candidates by competency and region) and the entry points;
 * build_cover.c chooses the steps that cover a person's deficits;
 * build_tutor.c picks the tutor; build_plan.c is the plan and its saving.
 */
#ifndef MMS_ROUTE_BUILD_H
#define MMS_ROUTE_BUILD_H

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

/* A result the route was built on, with what it leads to (Р-201). */
typedef struct plan_deficit {
	result r;
	int consequence;   /* CQ_* */
	char *suggestions; /* informal resources of a minimal one, '|'-joined, or NULL */
} plan_deficit;

typedef struct plan_route {
	int32_t staff, tutor;
	plan_deficit *defs;
	size_t ndefs;
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
	size_t ind_first, ind_end; /* the person's results of indicators (parent >= 0) */
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

static inline const char *mms_build_code(const mms_model *m, int e, int32_t id)
{
	return mms_str(m, mms_row(m, e, id)[mms_entities[e].code_field]);
}

/* build.c: a resource whose last place is gone leaves the candidates; the
 * develops records of a competency offered to the person planned. */
void mms_build_exhausted(builder *b, int32_t res);
void mms_build_offered(const builder *b, int32_t comp, int32_t r[4], int32_t key[2]);
/* build_cover.c: the steps covering a person's results, most severe first,
 * then course modules up to the PD volume. */
int mms_build_cover(builder *b, plan_route *pr, const result *def, size_t n);
int mms_build_accumulate(builder *b, plan_route *pr, const result *def, size_t n);
/* build_tutor.c: the tutor of a person's route, -1 if none can. */
int32_t mms_build_tutor(builder *b, int32_t staff);

#endif
