/*
 * libmms — queries over the methodical network, its typology, the coverage
 * of directions of work, and Graphviz export.
 *
 * Units form a forest by their administrative parent; network links join
 * units across it. Queries return id lists (mms_idlist) the caller frees.
 */
#ifndef MMS_NETWORK_H
#define MMS_NETWORK_H

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Direct children of a unit, in id order. */
MMS_EXTERN int mms_unit_children(mms_db *db, int32_t unit, mms_idlist **out);

/** The unit and everything below it, in depth-first pre-order. */
MMS_EXTERN int mms_unit_subtree(mms_db *db, int32_t unit, mms_idlist **out);

/** The unit, its parent, ... up to its root. */
MMS_EXTERN int mms_unit_path(mms_db *db, int32_t unit, mms_idlist **out);

/** Links in which the unit is either end, in id order. */
MMS_EXTERN int mms_unit_links(mms_db *db, int32_t unit, mms_idlist **out);

/** Filter for mms_unit_find(); NULL fields match anything. */
typedef struct mms_unit_filter {
	unsigned version;      /**< MMS_UNIT_FILTER_VERSION */
	const char *kind;      /**< e.g. "school" */
	const char *level;     /**< e.g. "municipal" */
	const char *territory; /**< exact territory name */
	int32_t within;        /**< only the subtree of this unit; -1 = all */
} mms_unit_filter;

#define MMS_UNIT_FILTER_VERSION 1
#define MMS_UNIT_FILTER_INIT {MMS_UNIT_FILTER_VERSION, NULL, NULL, NULL, -1}

/** Units matching every set field of the filter, in id order. */
MMS_EXTERN int mms_unit_find(mms_db *db, const mms_unit_filter *filter,
			     mms_idlist **out);

/** Filter for mms_staff_find(); NULL / -1 fields match anything. */
typedef struct mms_staff_filter {
	unsigned version;        /**< MMS_STAFF_FILTER_VERSION */
	int32_t within;          /**< staff of organisations in this subtree; -1 = all */
	const char *role;        /**< "teacher", "manager", "methodist" */
	const char *category;    /**< "highest", "first", "conformity", "none" */
	const char *edu_level;   /**< "school", "preschool", ... */
	const char *subject;     /**< staff teaching this subject */
	int part_time;           /**< 0 = only full-time, 1 = only part-time, -1 = both */
	const char *as_of;       /**< date for ages and experience; NULL = today (UTC) */
	int min_age, max_age;    /**< inclusive, in whole years; -1 = unbounded */
	int min_experience, max_experience; /**< whole years; -1 = unbounded */
} mms_staff_filter;

#define MMS_STAFF_FILTER_VERSION 1
#define MMS_STAFF_FILTER_INIT \
	{MMS_STAFF_FILTER_VERSION, -1, NULL, NULL, NULL, NULL, -1, NULL, -1, -1, -1, -1}

/** Staff matching every set field of the filter, in id order. */
MMS_EXTERN int mms_staff_find(mms_db *db, const mms_staff_filter *filter,
			      mms_idlist **out);

/**
 * Counts of units by level and kind within a subtree (-1 = everything),
 * as a JSON object {"levels": {...}, "kinds": {...}, "staff": N,
 * "links": N, "activities": N, "participations": N}; caller frees.
 */
MMS_EXTERN int mms_network_stats(mms_db *db, int32_t within, char **out_json);

/**
 * The typology of a regional (or municipal) methodical system, after the
 * four axes of the Moscow-region model (docs/typology.md gives the rules):
 * "structure", "functioning", "load" and "management".
 */
typedef struct mms_typology mms_typology;

MMS_EXTERN int mms_typology_compute(mms_db *db, int32_t root,
				    mms_typology **out);

/** The class on an axis, e.g. "three_level" (borrowed), or NULL. */
MMS_EXTERN const char *mms_typology_class(const mms_typology *t,
					  const char *axis);

/** The facts that decided an axis, in English (borrowed), or NULL. */
MMS_EXTERN const char *mms_typology_reason(const mms_typology *t,
					   const char *axis);

MMS_EXTERN void mms_typology_free(mms_typology *t);

/**
 * Which of the six directions of work (analytical, informational,
 * organisational, consulting, scientific, publishing) are performed by
 * some unit in each territory of a subtree, and which by nobody.
 */
typedef struct mms_coverage mms_coverage;

MMS_EXTERN int mms_coverage_compute(mms_db *db, int32_t root,
				    mms_coverage **out);

/** Number of territories in the report (sorted by name). */
MMS_EXTERN size_t mms_coverage_count(const mms_coverage *c);

MMS_EXTERN const char *mms_coverage_territory(const mms_coverage *c, size_t i);

/** Directions performed in territory i, '|'-joined (borrowed). */
MMS_EXTERN const char *mms_coverage_performed(const mms_coverage *c, size_t i);

/** Directions nobody performs in territory i, '|'-joined, "" if none. */
MMS_EXTERN const char *mms_coverage_missing(const mms_coverage *c, size_t i);

MMS_EXTERN void mms_coverage_free(mms_coverage *c);

/**
 * The subtree of root (-1 = all) as a Graphviz DOT digraph: hierarchy as
 * solid edges, network links valid on as_of (NULL = any time) as dashed
 * edges labelled with their kind. The caller frees *out.
 */
MMS_EXTERN int mms_network_dot(mms_db *db, int32_t root, const char *as_of,
			       char **out);

#ifdef __cplusplus
}
#endif

#endif
