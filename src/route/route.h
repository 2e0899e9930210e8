/*
 * Route layer: deficits from diagnostics (deficits.c), building routes
 * (build*.c, build.h) and their lifecycle (lifecycle.c). A context holds what they
 * need, indexed once per call, so a batch over a region stays linear.
 */
#ifndef MMS_ROUTE_INTERNAL_H
#define MMS_ROUTE_INTERNAL_H

#include "db/db.h"
#include "exchange/exchange.h"

/* A result of a person in a competency, or in one of its indicators when
 * that indicator is a worse deficit than its competency's mean: kept as
 * such, not averaged away (comp the indicator, parent its competency). */
typedef struct result {
	int32_t comp;
	double score;
	int severity;
	int previous;   /* severity at the diagnostics before, or -1 */
	int32_t parent; /* of an indicator's own result, its competency; else -1 */
	int32_t diag;   /* the diagnostic it came from: its own, or its latest indicator's */
} result;

typedef struct route_ctx {
	mms_db *db;
	const mms_model *m;
	int32_t as_of;
	double high_below, medium_up_to;
	int32_t *diag_start, *diag;     /* diagnostics by staff */
	int32_t *dev_start, *dev;       /* develops records by competency */
	int32_t *child_start, *child;   /* competencies by parent */
	int32_t *step_status;           /* current status of every route step, -1 planned */
	int32_t *route_status;          /* current status of every route, -1 draft */
	/* per competency, while one person is worked on */
	int32_t *latest, *before;       /* diagnostic ids, -1 none */
	int32_t *touched;
	size_t ntouched;
} route_ctx;

int mms_route_ctx_init(route_ctx *c, mms_db *db, const char *as_of, double high_below,
		       double medium_up_to);
void mms_route_ctx_free(route_ctx *c);
/* A person's results, most severe first; *out is the caller's (mms_free). */
int mms_route_results(route_ctx *c, int32_t staff, result **out, size_t *n);
int mms_severity_of(const route_ctx *c, double score);
/* The score of a result: a task's is the share of tasks solved, the mean
 * of its session's results for that competency or indicator (Р-201). */
double mms_route_result_score(const route_ctx *c, int32_t diag);
/* Sets the context's bands to those a stored route was built with (Р-201's
 * 60 and 80 for a route that has none), so its document and effect judge
 * it as it was built. */
void mms_route_ctx_bands(route_ctx *c, int32_t route);

typedef struct person_profile person_profile;
/* Informal and non-formal learning for a minimal deficit of comp (Р-201):
 * up to three associations, seminars or self-education resources that
 * develop it and fit the person, in the order of their develops records;
 * their ids in out, their number returned. */
size_t mms_route_informal(const route_ctx *c, const person_profile *who, int32_t comp,
			  int32_t out[3]);

/* Who a person is, for the fit of resources (fit.c). */
struct person_profile {
	int32_t level;    /* education level, -1 unknown */
	int32_t position; /* PO_*, from role and level */
	int32_t category; /* CAT_*; none when not recorded */
	int32_t years;    /* of pedagogical work at the date, -1 unknown */
	int32_t subjects; /* list of the person's subjects, the main one first */
};

void mms_route_profile(const mms_model *m, int32_t staff, int32_t as_of, person_profile *out);
/* The subjects and levels a resource asks for: its own, else its mentor's
 * (mentoring) or its site's level (internships, associations). A batch
 * works them out once per resource. */
typedef struct fit_needs {
	int32_t subjects; /* list offset, 0 = any */
	int32_t levels;   /* set of education levels, 0 = any */
	int open;         /* it restricts nothing: fits anyone, at 0 */
} fit_needs;
void mms_route_fit_needs(const mms_model *m, int32_t res, fit_needs *out);
/* How closely resource res, asking for n, fits the person: the number of
 * restrictions it names that the person meets (0: open to anyone), or -1 if
 * the person misses one. *rank, if given: the place among the person's
 * subjects of the first subject the resource names (INT32_MAX if none). */
int mms_route_fit_meets(const mms_model *m, const person_profile *p, int32_t res,
			const fit_needs *n, int32_t *rank);
/* The two above in one. */
int mms_route_fit_of(const mms_model *m, const person_profile *p, int32_t res, int32_t *rank);

/* The date a plan was built at (its diagnostics and experience). */
int32_t mms_route_plan_as_of(const mms_route_plan *p);

/* The code of record id of entity e (which has one), "" for -1. */
static inline const char *mms_route_code(const mms_model *m, int e, int32_t id)
{
	return id >= 0 ? mms_str(m, mms_row(m, e, id)[mms_entities[e].code_field]) : "";
}

/* Appends s as a quoted CSV field. */
void mms_route_csv_text(mms_buf *b, const char *s);

/* Who develops the routes of a plan (authorship.c): checked when the plan
 * is built, written with each route when it is saved. */
typedef struct route_author {
	int32_t developer, unit; /* staff and unit ids, -1 = not recorded */
	int32_t on;              /* date of development, MMS_NONE without a developer */
} route_author;
int mms_route_author_init(mms_db *db, const mms_route_options *o, int32_t as_of,
			  route_author *out);
/* Sets the authorship fields of a route's record. */
int mms_route_author_record(const mms_model *m, const route_author *a, mms_record *route);

/* The methodists of each region's ЦНППМ and its structures, by region
 * number (region_of: unit → region number, -1 none), for tutors (tutors.c). */
int mms_route_centre_methodists(const mms_model *m, const int32_t *region_of, int32_t nregions,
				int32_t **start, int32_t **ids);

/* One deficit a route was built on (basis.c): the competency or indicator,
 * its score (NAN: none recorded), severity, consequence (CQ_*), the session
 * it came from (-1: none) and the frozen suggestions (a list, 0: none). */
typedef struct basis_row {
	int32_t comp;
	double score;
	int severity, consequence;
	int32_t session, suggestions;
} basis_row;
/* The day a route's deficits were judged on when it has no frozen basis:
 * its start, else its first change; MMS_NONE for neither (then today). */
int32_t mms_route_basis_day(const mms_model *m, int32_t route);
/* What the route was built on: its frozen route_deficits (*frozen 1), else
 * (a route saved before schema 10) the person's results at c's as_of under
 * the route's bands (*frozen 0; c's bands become the route's). *out is the
 * caller's (mms_free). */
int mms_route_basis_rows(route_ctx *c, int32_t route, basis_row **out, size_t *n, int *frozen);

/* The columns of table t of the region's map (region.c), for its workbook. */
const char *const *mms_route_map_columns(int t, int *n);

/* Mentoring pairs (mentoring.c). Whether live pair `pair` runs at some time
 * in [from, to] (MMS_NONE: open on that side). */
int mms_pair_overlaps(const mms_model *m, int32_t pair, int32_t from, int32_t to);
/* Adds to load[mentor] the pairs each mentor holds during [from, to]. */
void mms_mentor_loads(const mms_model *m, int32_t from, int32_t to, int32_t *load);
/* What saving a plan's mentoring steps needs, indexed once per save: the
 * pairs by mentor and each unit's curator of mentoring (-1 none). */
typedef struct step_pairs {
	int32_t *start, *ids;
	int32_t *curator;
} step_pairs;
int mms_step_pairs_init(const mms_model *m, step_pairs *sp);
void mms_step_pairs_free(step_pairs *sp);
/* Sets a field of a record being saved to a day (YYYY-MM-DD); nothing for
 * MMS_NONE. */
int mms_route_set_day(mms_record *rec, const char *field, int32_t day);
/* For a mentoring step of a route being saved, names in `step` the pair it
 * joins (its mentor's pair with the teacher in the period), or adds a new
 * one to `out` (code "<route>/<resource>"). Other steps: nothing. */
int mms_route_step_pair_record(const mms_model *m, const step_pairs *sp, int32_t staff,
			       int32_t resource, int32_t start, int32_t end, const char *route_code,
			       const char *covers, mms_record *step, mms_records *out);

/* Appends one record, given as field/value text pairs, through the import
 * path (so every rule applies); NULL ends the pairs. */
int mms_route_insert(mms_db *db, int entity, int32_t *id, ...);

#endif
