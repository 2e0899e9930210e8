/*
 * libmms — individual educational routes (ИОМ): from diagnostics of
 * professional deficits to a route of courses, internships, mentoring and
 * association work that covers them, tracked to completion.
 *
 * Frameworks (competencies), diagnostics, resources and what they develop
 * are records of the database (docs/format.md). docs/routes.md describes
 * how deficits are found and how routes are built.
 */
#ifndef MMS_ROUTE_H
#define MMS_ROUTE_H

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Imports a competency framework in 1EdTech CASE JSON (CFDocument, CFItems,
 * CFAssociations of type isChildOf): items under the document become
 * areas, their children competencies, deeper items indicators; codes are
 * the items' humanCodingScheme (else their identifier), names their
 * fullStatement. framework names it (NULL: the document's title).
 * Problems of the CASE document are reported at JSON pointers into it; the
 * import is all or nothing.
 */
MMS_EXTERN int mms_framework_import_case(mms_db *db, const char *json, const char *framework,
					 mms_report **report);

/**
 * Exports a framework as CASE JSON; identifiers are stable (derived from
 * the framework's name and the codes), so exports can be compared. The
 * text is the caller's (mms_free()).
 */
MMS_EXTERN int mms_framework_export_case(mms_db *db, const char *framework, char **out);

/** Severities of a deficit (recommendations Р-201 by default). */
typedef enum mms_severity {
	MMS_SEVERITY_MINIMAL = 0, /**< minimal or none: informal learning is enough */
	MMS_SEVERITY_MEDIUM = 1,  /**< a route or a subject PD course */
	MMS_SEVERITY_HIGH = 2     /**< an individual route */
} mms_severity;

/** "minimal", "medium", "high", or NULL. */
MMS_EXTERN const char *mms_severity_name(int severity);

typedef struct mms_deficit_options {
	unsigned version;     /**< MMS_DEFICIT_OPTIONS_VERSION */
	const char *as_of;    /**< diagnostics up to this date; NULL = today */
	double high_below;    /**< a score below this is a high deficit (60) */
	double medium_up_to;  /**< a score up to this is a medium one (80) */
} mms_deficit_options;

#define MMS_DEFICIT_OPTIONS_VERSION 1
#define MMS_DEFICIT_OPTIONS_INIT {MMS_DEFICIT_OPTIONS_VERSION, NULL, 60, 80}

/**
 * The competencies a person was assessed in, with their results as of a
 * date: the latest diagnostic of the competency itself, else the mean of
 * its indicators' latest results; a level counts as below_basic 0-59,
 * basic 60-80, elevated and high 81-100 (as the bands say). Sorted most
 * severe first, then lowest score, then code.
 */
typedef struct mms_deficits mms_deficits;

MMS_EXTERN int mms_deficits_compute(mms_db *db, int32_t staff, const mms_deficit_options *opts,
				    mms_deficits **out);
MMS_EXTERN void mms_deficits_free(mms_deficits *d);
MMS_EXTERN size_t mms_deficits_count(const mms_deficits *d);
/** Competency id of result i, or -1. */
MMS_EXTERN int32_t mms_deficits_competency(const mms_deficits *d, size_t i);
/** Its score, 0..100. */
MMS_EXTERN double mms_deficits_score(const mms_deficits *d, size_t i);
/** Its severity (mms_severity). */
MMS_EXTERN int mms_deficits_severity(const mms_deficits *d, size_t i);
/** Its severity at the diagnostics before the latest, or -1 if there were none. */
MMS_EXTERN int mms_deficits_previous(const mms_deficits *d, size_t i);

/** How routes are built (docs/routes.md). */
typedef struct mms_route_options {
	unsigned version;       /**< MMS_ROUTE_OPTIONS_VERSION */
	const char *as_of;      /**< diagnostics up to this date; NULL = today */
	const char *start;      /**< the route's period; dated resources must fit it */
	const char *end;
	int budget_hours;       /**< hours a person can give; 0 = 144 */
	int pd_volume_hours;    /**< course hours to accumulate (modular model); 0 = none */
	const char *format;     /**< preferred format ("distance"...); NULL = any */
	int prefer_in_region;   /**< count resources held in the region as better */
	int prefer_federal;     /**< count Federal-register courses as better (1) */
	int max_tutor_load;     /**< routes one tutor may follow; 0 = 10 */
	double high_below, medium_up_to; /**< the deficit bands (60, 80) */
	/** Called after each person of a batch; may be NULL. */
	void (*progress)(size_t done, size_t total, void *payload);
	void *payload;
	/* version 2 (0.2): who develops the routes, stored by mms_route_plan_save() */
	int32_t developer;      /**< staff id, -1 = not recorded */
	int32_t developer_unit; /**< unit id, -1 = the developer's organisation */
	const char *developed_on; /**< NULL = the date the plan is built as of */
	/* version 3 (0.2): the region's choice for medium deficits (Р-201:
	 * "a route or a subject PD course") */
	int medium_to_course;   /**< nonzero: a medium deficit is covered by a course only */
} mms_route_options;

#define MMS_ROUTE_OPTIONS_VERSION 3
#define MMS_ROUTE_OPTIONS_INIT \
	{MMS_ROUTE_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, NULL, 0, 1, 0, 60, 80, NULL, NULL, \
	 -1, -1, NULL, 0}

/** Planned routes: built, not yet stored. */
typedef struct mms_route_plan mms_route_plan;

/** Plans the route of one person. */
MMS_EXTERN int mms_route_plan_person(mms_db *db, int32_t staff, const mms_route_options *opts,
				     mms_route_plan **out);

/**
 * Plans the routes of everyone with a deficit in a subtree (-1 = all),
 * most severe first, sharing the capacities of resources and the loads of
 * mentors and tutors across the batch; the same input gives the same plan.
 */
MMS_EXTERN int mms_route_plan_batch(mms_db *db, int32_t within, const mms_route_options *opts,
				    mms_route_plan **out);

MMS_EXTERN void mms_route_plan_free(mms_route_plan *p);
/** Number of routes in the plan. */
MMS_EXTERN size_t mms_route_plan_count(const mms_route_plan *p);
MMS_EXTERN int32_t mms_route_plan_staff(const mms_route_plan *p, size_t r);
/** The tutor (staff id), or -1 if nobody could take the route on. */
MMS_EXTERN int32_t mms_route_plan_tutor(const mms_route_plan *p, size_t r);
/** Hours of all steps, and of courses (accumulated towards the PD volume). */
MMS_EXTERN int mms_route_plan_hours(const mms_route_plan *p, size_t r, int *course_hours);
MMS_EXTERN size_t mms_route_plan_steps(const mms_route_plan *p, size_t r);
/** The resource of step s of route r, or -1. */
MMS_EXTERN int32_t mms_route_plan_step_resource(const mms_route_plan *p, size_t r, size_t s);
/** The competency codes the step covers, '|'-joined (borrowed). */
MMS_EXTERN const char *mms_route_plan_step_covers(const mms_route_plan *p, size_t r, size_t s);
/** Why the step was chosen (borrowed). */
MMS_EXTERN const char *mms_route_plan_step_reason(const mms_route_plan *p, size_t r, size_t s);
/** Deficits the route could not cover. */
MMS_EXTERN size_t mms_route_plan_uncovered(const mms_route_plan *p, size_t r);
MMS_EXTERN int32_t mms_route_plan_uncovered_competency(const mms_route_plan *p, size_t r,
						       size_t u);
/** Why: no resource, capacity exhausted, over the budget, outside the period. */
MMS_EXTERN const char *mms_route_plan_uncovered_reason(const mms_route_plan *p, size_t r,
						       size_t u);

/**
 * What route r of the plan was built on (docs/routes.md, "What a route was
 * built on"), saved with it as route_deficits: every result of the person,
 * high, medium and minimal, most severe first; an indicator kept apart from
 * its competency is a result of its own. (0.2)
 */
MMS_EXTERN size_t mms_route_plan_deficits(const mms_route_plan *p, size_t r);
/** The competency (or indicator) id of deficit i, or -1. */
MMS_EXTERN int32_t mms_route_plan_deficit_competency(const mms_route_plan *p, size_t r, size_t i);
/** Its score (share of tasks solved, %), NAN if none. */
MMS_EXTERN double mms_route_plan_deficit_score(const mms_route_plan *p, size_t r, size_t i);
/** Its severity (mms_severity) under the plan's bands, or -1. */
MMS_EXTERN int mms_route_plan_deficit_severity(const mms_route_plan *p, size_t r, size_t i);
/**
 * What it leads to, as Р-201 says (borrowed): "route" for a high deficit
 * and for a medium one, "course" for a medium one where the options chose
 * courses (medium_to_course), "informal" for a minimal one; NULL if none.
 */
MMS_EXTERN const char *mms_route_plan_deficit_consequence(const mms_route_plan *p, size_t r,
							  size_t i);
/** For a minimal deficit, the codes of up to three informal resources, '|'-joined (borrowed). */
MMS_EXTERN const char *mms_route_plan_deficit_suggestions(const mms_route_plan *p, size_t r,
							  size_t i);

/**
 * The change since a route was built (docs/routes.md, "Re-diagnostics"),
 * as CSV with a header: competency, severity_then, score_then, score_now,
 * severity_now, change (points), closed (1 when the deficit is minimal now
 * under the route's bands); one row per deficit the route was built on,
 * judged by the latest diagnostics up to as_of (NULL = today). *out is the
 * caller's (mms_free). MMS_ENOTFOUND for a route saved without its
 * deficits (before schema 8). (0.2)
 */
MMS_EXTERN int mms_route_change(mms_db *db, int32_t route, const char *as_of, char **out);

/**
 * What a route was built on (docs/routes.md, "What a route was built on"),
 * as CSV with a header: competency, score, severity, consequence, session
 * (the diagnostic session its result came from, empty for none); one row
 * per deficit. It is the basis frozen with the route when it was saved
 * (*frozen = 1), whatever diagnostics came later; a route saved before the
 * frozen basis existed (schema 10) has its deficits recomputed from the
 * diagnostics up to its start under its bands (*frozen = 0). frozen may be
 * NULL. *out is the caller's (mms_free). (0.2)
 */
MMS_EXTERN int mms_route_basis(mms_db *db, int32_t route, char **out, int *frozen);

/**
 * The change by resource: for every resource with steps done, the
 * deficits those steps covered (as their routes froze them), how many are
 * closed now, and the mean change of their scores in points, as CSV:
 * resource, covered, closed, mean_change. *out is the caller's (mms_free). (0.2)
 */
MMS_EXTERN int mms_route_change_by_resource(mms_db *db, const char *as_of, char **out);

/**
 * How closely a resource fits a person (docs/routes.md, "Fit to the
 * person"): *closeness is the number of the resource's restrictions
 * (subjects, education levels, positions, categories, years of experience)
 * the person meets, 0 for a resource open to anyone, or -1 when the person
 * misses one and the builder would never offer it. Experience is counted at
 * as_of (NULL = today). (0.2)
 */
MMS_EXTERN int mms_route_fit(mms_db *db, int32_t staff, int32_t resource, const char *as_of,
			     int *closeness);

/**
 * The steps of a plan by the person's education level and main subject
 * (the first listed), as CSV with a header: edu_level, subject, routes,
 * steps, a column per resource kind, and misfits (steps whose resource does
 * not fit its person: 0 for a plan of this library). *out is the caller's
 * (mms_free). (0.2)
 */
MMS_EXTERN int mms_route_plan_fit_table(mms_db *db, const mms_route_plan *p, char **out);

/**
 * Routes by who developed them (docs/routes.md, "Who builds, agrees and
 * approves"), as CSV with a header: developer, developer_name,
 * developer_unit, unit_kind (of the developing unit: the route's
 * developer_unit, else its developer's organisation), route, staff,
 * developed_on, agreed_by, agreed_on, approved_by, approved_on,
 * acknowledged_on; sorted by developer (routes without one last), then
 * route. year (0 = all) keeps the routes developed in that year. *out is
 * the caller's (mms_free). (0.2)
 */
MMS_EXTERN int mms_route_authorship_table(mms_db *db, int year, char **out);

/**
 * Stores the plan as draft routes (codes "<prefix><staff code>") with
 * their steps, in one transaction; *first_id (may be NULL) is the id of
 * the first route stored. Each route records the developer, developing
 * unit and date the plan's options named (version 2).
 */
MMS_EXTERN int mms_route_plan_save(mms_db *db, const mms_route_plan *p, const char *prefix,
				   int32_t *first_id);

/**
 * Moves a route to "approved", "active", "completed" or "cancelled", or a
 * step to "in_progress", "done" or "failed", on a date, with evidence (a
 * link, a file name, a note; may be NULL). The change is refused
 * (MMS_ERANGE) when the status does not follow from the current one.
 */
MMS_EXTERN int mms_route_set_status(mms_db *db, int32_t route, const char *status,
				    const char *date, const char *evidence);
MMS_EXTERN int mms_route_step_set_status(mms_db *db, int32_t step, const char *status,
					 const char *date, const char *evidence);

/** The current status of a route ("draft" before any change), borrowed. */
MMS_EXTERN int mms_route_status(mms_db *db, int32_t route, const char **out);
/** The current status of a step ("planned" before any change), borrowed. */
MMS_EXTERN int mms_route_step_status(mms_db *db, int32_t step, const char **out);

/**
 * Writes a route as an XLSX document with the sections a route has: the
 * person and tutor, the deficits found (as of the route's start, else its
 * first change, else today), goals,
 * steps with their form, dates, hours and status, expected results and the
 * form of reporting of each step. Long text and the output path are
 * handled as by mms_kpi_report_xlsx().
 */
MMS_EXTERN int mms_route_report_xlsx(mms_db *db, int32_t route, const char *path);

/**
 * Effect of routes as of a date: of the deficits covered by done steps
 * using resource (-1 = any), how many the latest diagnostics show closed
 * (minimal). *share is 0..100 and undefined (NaN) when *covered is 0.
 */
MMS_EXTERN int mms_route_effectiveness(mms_db *db, int32_t resource, const char *as_of,
				       double *share, size_t *covered);

/** The signatures of a route, in the order they are given. (0.2) */
typedef enum mms_route_signature {
	MMS_ROUTE_AGREE = 0,      /**< agreed_by, agreed_on (the school's deputy head, the tutor) */
	MMS_ROUTE_APPROVE = 1,    /**< approved_by, approved_on */
	MMS_ROUTE_ACKNOWLEDGE = 2 /**< acknowledged_on: the teacher has read the approved route */
} mms_route_signature;

/**
 * Signs a route (docs/routes.md, "Who builds, agrees and approves"): the
 * person (a staff id; ignored for the teacher's acknowledgement) and the
 * date (NULL = today) of an mms_route_signature, as one update of the
 * route, with every rule of the record (dates in order, not the route's own
 * teacher). Each signature is given once per revision: MMS_ERANGE when
 * it, or a later one (an agreement after the approval), was already given
 * since the latest revision (mms_route_revise()), and for an
 * acknowledgement of a route not approved. Signatures dated before the
 * latest revision that the new one would put out of order are cleared.
 * The route's status is not changed (mms_route_set_status()). (0.2)
 */
MMS_EXTERN int mms_route_sign(mms_db *db, int32_t route, int signature, int32_t person,
			      const char *on);

/**
 * Records a revision of an approved route whose steps are to change:
 * revision *number (may be NULL) = the previous one + 1, dated on (NULL =
 * today; not before the approval), by a staff member (-1 = not recorded),
 * with a reason (may be NULL). After it the route is agreed, approved and
 * acknowledged again (mms_route_sign()). MMS_ERANGE for a route not
 * approved since its latest revision: its steps change without one. (0.2)
 */
MMS_EXTERN int mms_route_revise(mms_db *db, int32_t route, int32_t by, const char *on,
				const char *reason, int *number);

/** The number of the route's latest revision, 0 if it was never revised. (0.2) */
MMS_EXTERN int mms_route_revision(mms_db *db, int32_t route, int *number);

/** The tables of the region's deficit map (mms_route_map()). (0.2) */
typedef enum mms_route_map_table {
	MMS_ROUTE_MAP_ALL = -1,      /**< all three, as one JSON object */
	MMS_ROUTE_MAP_DEFICITS = 0,  /**< competency, competency_name, municipality, subject,
					  edu_level, high, medium, minimal (people) */
	MMS_ROUTE_MAP_RESOURCES = 1, /**< resource, resource_name, kind, steps, done, failed,
					  completion, covered, closed, effect */
	MMS_ROUTE_MAP_TUTORS = 2     /**< tutor, tutor_name, organisation, unit_kind, routes,
					  municipalities, completed, load */
} mms_route_map_table;

/**
 * The region's deficit map for a year (docs/routes.md, "The region's
 * view"), for the subtree of unit (-1 = all): people's deficits as of the
 * year's end by competency × municipality × main subject × education level;
 * completion and re-diagnostic effect of the routes' steps by resource; the
 * routes per tutor (load: the tutor's routes of the year across the whole
 * database). Routes count in a year when they are not cancelled and their
 * period meets it (without one: developed in it). format is
 * MMS_FORMAT_CSV (one table, with a header) or MMS_FORMAT_JSON (an object
 * with unit, year and the table, or all three, by name). *out is the
 * caller's (mms_free). (0.2)
 */
MMS_EXTERN int mms_route_map(mms_db *db, int32_t unit, int year, int table, int format,
			     char **out);

/**
 * The region's deficit map as an XLSX workbook (0.2): the three tables of
 * mms_route_map() as the sheets «Дефициты», «Ресурсы», «Тьюторы», with a
 * header row each; written to a temporary and renamed over path once whole.
 */
MMS_EXTERN int mms_route_map_xlsx(mms_db *db, int32_t unit, int year, const char *path);

/**
 * The yearly figures the federal monitoring asks of a region under
 * МР-4/02вн (30.04.2019), computed by the built-in ЦНППМ indicators at the
 * region's unit: the shares of all the region's pedagogical workers whose
 * route a ЦНППМ developed and who were trained in the centre, the share of
 * the centre's staff trained by the federal operator, the centre's regional
 * events; each with numerator, denominator, value, target and status
 * (docs/routes.md documents every field). CSV or JSON (with the region, the
 * year and the number of pedagogical workers). (0.2)
 */
MMS_EXTERN int mms_route_federal(mms_db *db, int32_t region, int year, int format, char **out);

/**
 * The schools of a subtree and their mentoring in a year, beside
 * Moscow-region indicator 9: school, school_name, runs_model (pairs of its
 * own staff ran), own_pairs, pairs_with_outside_mentor, and the facts
 * of the model — its local act (fact mentoring.local_act) and its curator
 * (fact mentoring.curator, else the curator its pairs name). CSV or JSON. (0.2)
 */
MMS_EXTERN int mms_mentoring_schools(mms_db *db, int32_t unit, int year, int format, char **out);

/**
 * A mentor's load (docs/routes.md, "Mentoring as a programme"): *pairs is
 * the number of mentoring pairs (entity mentoring_pairs) in which staff
 * member `mentor` mentors someone at some time between from and to (dates;
 * NULL leaves that side open). The route builder counts mentors' places the
 * same way. (0.2)
 */
MMS_EXTERN int mms_mentor_load(mms_db *db, int32_t mentor, const char *from, const char *to,
			       size_t *pairs);

#ifdef __cplusplus
}
#endif

#endif
