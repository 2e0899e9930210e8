/*
 * libmms — indicators (KPIs) of the methodical network.
 *
 * Indicators are data: JSON definitions (docs/indicators.md) with a kind,
 * a population, filter and numerator expressions, a unit of measure, a
 * direction, an aggregation rule, a target trajectory and colour bands.
 * The built-in catalogue (data/indicators/, compiled into the library)
 * covers the indicators of the source documents; users load their own
 * definitions on top, replacing built-in ones with the same id.
 *
 * An mms_kpi is bound to one database handle and must not outlive it; it
 * is used by one thread at a time, like its handle.
 */
#ifndef MMS_KPI_H
#define MMS_KPI_H

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mms_kpi mms_kpi;

/**
 * A catalogue bound to db, holding the built-in indicators. On failure
 * *out may still be set (its mms_kpi_errmsg() says why); close it either way.
 */
MMS_EXTERN int mms_kpi_open(mms_kpi **out, mms_db *db);

/** Frees the catalogue; mms_kpi_close(NULL) is a no-op. */
MMS_EXTERN void mms_kpi_close(mms_kpi *kpi);

/**
 * Adds the definitions of a JSON file (or, for a directory, of every
 * *.json file in it, by name order), replacing any with the same id.
 * All or nothing: a definition that does not compile is reported in
 * *report (may be NULL) with its JSON pointer and, for expressions, the
 * column of the error; nothing is then added.
 */
MMS_EXTERN int mms_kpi_load(mms_kpi *kpi, const char *path, mms_report **report);

/** As mms_kpi_load(), from JSON text; name is used in locations. */
MMS_EXTERN int mms_kpi_load_json(mms_kpi *kpi, const char *json, const char *name,
				 mms_report **report);

/** Number of indicators in the catalogue. */
MMS_EXTERN size_t mms_kpi_count(const mms_kpi *kpi);

/** Id of indicator i (catalogue order: by id), or NULL. */
MMS_EXTERN const char *mms_kpi_id(const mms_kpi *kpi, size_t i);

/**
 * A text attribute of an indicator (borrowed): "name_ru", "name_en",
 * "source", "kind", "population", "unit", "direction", "aggregation",
 * "period", "filter", "numerator", "denominator". NULL if unknown.
 */
MMS_EXTERN const char *mms_kpi_attr(const mms_kpi *kpi, const char *id, const char *attr);

/** The message of the last failure on this catalogue (borrowed). */
MMS_EXTERN const char *mms_kpi_errmsg(const mms_kpi *kpi);

/** Statuses of a value against its target. */
typedef enum mms_kpi_status {
	MMS_KPI_UNDEFINED = 0,    /**< no value: the denominator is zero */
	MMS_KPI_NO_TARGET = 1,    /**< a value, but no target for that year */
	MMS_KPI_ACHIEVED = 2,
	MMS_KPI_NOT_ACHIEVED = 3,
	MMS_KPI_AT_RISK = 4       /**< achieved now, but the trend misses the final target */
} mms_kpi_status;

/** The name of a status ("achieved", ...), or NULL. */
MMS_EXTERN const char *mms_kpi_status_name(int status);

/**
 * The value of an indicator at a unit for a year. The caller sets
 * version (MMS_KPI_RESULT_INIT); the library fills the fields that
 * version has. Texts are borrowed from the catalogue.
 */
typedef struct mms_kpi_result {
	unsigned version;        /**< MMS_KPI_RESULT_VERSION */
	int defined;             /**< 0 when the denominator is zero */
	double value;            /**< in the indicator's unit (percent for shares) */
	double numerator;        /**< records counted in the numerator (subtree) */
	double denominator;      /**< records in the population (subtree) */
	int has_target;
	double target;           /**< target for that year at that unit */
	double gap;              /**< value - target, positive = better than target */
	int status;              /**< an mms_kpi_status */
	const char *aggregation; /**< how the subtree was aggregated */
	const char *band;        /**< the colour band of the value, or NULL */
	int units;               /**< units whose own records were aggregated */
	/** version 2 (0.2): the day whose state was read, YYYY-MM-DD: the end of
	 *  the period, at which staff, units and the hierarchy are taken
	 *  (docs/indicators.md, "As at which day") */
	char as_of[11];
} mms_kpi_result;

#define MMS_KPI_RESULT_VERSION 2
#define MMS_KPI_RESULT_INIT {MMS_KPI_RESULT_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, 0, ""}

/**
 * The value of indicator id at unit for year (a calendar year, or for
 * indicators counted by academic year the one starting 1 September of
 * year). Computes the indicator for every unit of the database for that
 * year on first use; later calls are lookups until the data changes.
 */
MMS_EXTERN int mms_kpi_value(mms_kpi *kpi, const char *id, int32_t unit, int year,
			     mms_kpi_result *out);

/**
 * An indicator at every unit for a year, in one call (since 0.2): for unit
 * id u < n, value[u], numerator[u] and denominator[u] (any of the three may
 * be NULL; ids past the last unit get NaN). The numbers of mms_kpi_value(),
 * without targets and statuses, for reports over a whole network, where a
 * call per unit would cost more than the computation. A value is NaN where
 * it is undefined (a zero denominator); all three are NaN for units outside
 * the scope of a scoped handle.
 */
MMS_EXTERN int mms_kpi_values(mms_kpi *kpi, const char *id, int year, size_t n, double *value,
			      double *numerator, double *denominator);

/**
 * The value of an indicator for a network group around unit rather than
 * its subtree: group "members" is everyone who is a member (or head) of
 * unit through staff links, and every unit linked to it by membership,
 * with its subtree; group "led" is every unit it leads through network
 * leadership links, with their subtrees. Links count when valid at the end
 * of the period. The group's numerator and denominator are summed (ratio
 * of sums); the target is unit's.
 */
MMS_EXTERN int mms_kpi_group_value(mms_kpi *kpi, const char *id, int32_t unit,
				   const char *group, int year, mms_kpi_result *out);

/**
 * How many times indicators were computed for every unit in full, and how
 * many times brought up to date incrementally (after records were added,
 * only the affected units and their ancestors change). For tests and
 * benchmarks; either pointer may be NULL.
 */
MMS_EXTERN void mms_kpi_counters(const mms_kpi *kpi, size_t *full, size_t *incremental);

/**
 * The records behind a value: ids of the population's entity (staff,
 * units, activities or participations) counted in the numerator
 * (numerator = 1) or in the denominator (numerator = 0), within the
 * subtree of unit. The list is the caller's.
 */
MMS_EXTERN int mms_kpi_records(mms_kpi *kpi, const char *id, int32_t unit, int year,
			       int numerator, mms_idlist **out);

/**
 * Sets a unit's own target for a year, overriding the one it would
 * inherit from its ancestors or the definition; a NaN value removes the
 * override. Overrides are stored in the database.
 */
MMS_EXTERN int mms_kpi_target_set(mms_kpi *kpi, const char *id, int32_t unit, int year,
				  double value);

/**
 * A representative sample of staff (the Moscow-region 30% sample, seed 001):
 * stratified by the education level taught, drawn reproducibly from a seed.
 */
typedef struct mms_sample mms_sample;

typedef struct mms_sample_options {
	unsigned version;      /**< MMS_SAMPLE_OPTIONS_VERSION */
	int32_t within;        /**< staff of this subtree; -1 = all */
	double share;          /**< the sample's size as a share of the population, 0..1 */
	uint64_t seed;         /**< the same seed and data give the same sample */
	/**
	 * Quotas of the sample by education level, in percent, e.g.
	 * "college=17,pd=7,preschool=11,school=65"; NULL = proportional to
	 * the population. Levels not named get no quota and are not drawn.
	 */
	const char *strata;
	const char *filter;    /**< staff expression selecting the population; NULL = all */
	/**
	 * The year the filter is evaluated for (ages etc.); when set, the
	 * population is that year's staff as indicators count them (not those
	 * who left before its end or start after it); 0 = the staff now.
	 */
	int year;
} mms_sample_options;

#define MMS_SAMPLE_OPTIONS_VERSION 1
#define MMS_SAMPLE_OPTIONS_INIT {MMS_SAMPLE_OPTIONS_VERSION, -1, 0.3, 1, NULL, NULL, 0}

/**
 * Draws a sample. Fails with MMS_ERANGE, naming the stratum and the
 * numbers, when a stratum has fewer people than its quota needs: a sample
 * is never silently shrunk. Part-timers are left out as in indicators.
 */
MMS_EXTERN int mms_sample_draw(mms_kpi *kpi, const mms_sample_options *opts,
			       mms_sample **out);

MMS_EXTERN void mms_sample_free(mms_sample *s);

/** The staff ids drawn, in id order (a copy the caller owns). */
MMS_EXTERN int mms_sample_ids(const mms_sample *s, mms_idlist **out);

/** Number of strata (education levels with a population or a quota). */
MMS_EXTERN size_t mms_sample_strata(const mms_sample *s);

/**
 * Stratum i: its name, population, quota (people) and drawn count, and
 * how far its share of the sample is from its quota share, in percentage
 * points (rounding makes it non-zero). Returns MMS_EINVAL past the end.
 */
MMS_EXTERN int mms_sample_stratum(const mms_sample *s, size_t i, const char **name,
				  size_t *population, size_t *quota, size_t *drawn,
				  double *deviation);

/** An estimate of a share from a sample. */
typedef struct mms_estimate {
	unsigned version;   /**< MMS_ESTIMATE_VERSION */
	int defined;        /**< 0 when no sampled person is in the indicator's population */
	double value;       /**< weighted share, percent */
	double low, high;   /**< 95% confidence interval, percent */
	double sampled;     /**< sampled people in the indicator's population */
} mms_estimate;

#define MMS_ESTIMATE_VERSION 1
#define MMS_ESTIMATE_INIT {MMS_ESTIMATE_VERSION, 0, 0, 0, 0, 0}

/**
 * Estimates a share indicator over staff (e.g. diagnosed at basic level or
 * above) from the sample, weighting each stratum by its population
 * (stratified estimator, normal 95% interval with the finite population
 * correction).
 */
MMS_EXTERN int mms_sample_estimate(mms_kpi *kpi, const mms_sample *s, const char *id,
				   int year, mms_estimate *out);

/**
 * Level clusters of territorial methodical services (seed 002): a
 * composite score per service, clusters, network leaders for the weakest
 * services and a curator for every service. docs/clusters.md gives the
 * method; every assignment carries a sentence explaining it.
 */
typedef struct mms_clusters mms_clusters;

typedef struct mms_cluster_options {
	unsigned version;       /**< MMS_CLUSTER_OPTIONS_VERSION */
	int32_t within;         /**< the region: services of this subtree; -1 = all */
	int year;
	const char *indicators; /**< "id:weight,id:weight" (weight 1 if left out) */
	int levels;             /**< number of clusters; 0 = 3 */
	int max_per_leader;     /**< services a network leader takes on; 0 = 3 */
	int max_per_curator;    /**< services one curator follows; 0 = 5 */
} mms_cluster_options;

#define MMS_CLUSTER_OPTIONS_VERSION 1
#define MMS_CLUSTER_OPTIONS_INIT {MMS_CLUSTER_OPTIONS_VERSION, -1, 0, NULL, 0, 0, 0}

MMS_EXTERN int mms_clusters_compute(mms_kpi *kpi, const mms_cluster_options *opts,
				    mms_clusters **out);
MMS_EXTERN void mms_clusters_free(mms_clusters *c);

/** Number of services clustered, in order of score, best first. */
MMS_EXTERN size_t mms_clusters_count(const mms_clusters *c);
/** Service i: its unit id, or -1 past the end. */
MMS_EXTERN int32_t mms_clusters_unit(const mms_clusters *c, size_t i);
/** Its composite score, 0..1. */
MMS_EXTERN double mms_clusters_score(const mms_clusters *c, size_t i);
/** Its cluster, 1 = the strongest. */
MMS_EXTERN int mms_clusters_level(const mms_clusters *c, size_t i);
/** The unit of its network leader, or -1 (a leader itself, or not assigned). */
MMS_EXTERN int32_t mms_clusters_leader(const mms_clusters *c, size_t i);
/** The staff id of its curator, or -1 if none could be given. */
MMS_EXTERN int32_t mms_clusters_curator(const mms_clusters *c, size_t i);
/** Why service i has its score, cluster, leader and curator (borrowed). */
MMS_EXTERN const char *mms_clusters_explain(const mms_clusters *c, size_t i);

/** What mms_kpi_report_xlsx() writes. */
typedef struct mms_kpi_report_options {
	unsigned version;       /**< MMS_KPI_REPORT_OPTIONS_VERSION */
	int32_t unit;           /**< the unit reported on, with its subtree */
	int from, to;           /**< years, inclusive */
	const char *indicators; /**< comma-separated ids; NULL = the whole catalogue */
	const char *title;      /**< heading of the summary sheet; NULL = the unit's name */
	/**
	 * Since version 2: a programme id (mms/programme.h); the report then
	 * holds its indicators criterion by criterion, judged against its
	 * targets (indicators must be NULL). NULL = none.
	 */
	const char *programme;
} mms_kpi_report_options;

#define MMS_KPI_REPORT_OPTIONS_VERSION 2
#define MMS_KPI_REPORT_OPTIONS_INIT {MMS_KPI_REPORT_OPTIONS_VERSION, -1, 0, 0, NULL, NULL, NULL}

/**
 * Writes an XLSX workbook for people (libxlsxwriter): a summary sheet with
 * each indicator's values and targets by year for the unit, cells coloured
 * by status (green achieved, yellow at risk, red not achieved, grey no
 * data); a sheet of native Excel line charts, one per indicator, of its
 * values against its target trajectory; and one sheet per level of the
 * subtree with every unit's values, coloured the same way. Text longer than
 * a cell's 32,767 characters is cut at a character and marked
 * "…[truncated]". Written atomically, and refused with MMS_EOUTPUT when
 * path is the database or one of its files, as mms_db_export().
 */
MMS_EXTERN int mms_kpi_report_xlsx(mms_kpi *kpi, const char *path,
				   const mms_kpi_report_options *opts);

#ifdef __cplusplus
}
#endif

#endif
