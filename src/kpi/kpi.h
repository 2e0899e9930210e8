/*
 * KPI layer: indicator definitions (catalogue.c) and their computation
 * over the network (engine.c).
 */
#ifndef MMS_KPI_INTERNAL_H
#define MMS_KPI_INTERNAL_H

#include "db/db.h"
#include "expr.h"

enum { KIND_SHARE, KIND_COUNT, KIND_RATIO, KIND_SURVEY_SHARE, KIND_YES_NO, KIND_CHECKLIST,
       KIND_FACT_VALUE, KIND_COUNT_OF_KINDS };
enum { AGG_RATIO_OF_SUMS, AGG_MEAN, AGG_MIN, AGG_MAX, AGG_SUM, AGG_COUNT };
enum { DIR_HIGHER, DIR_LOWER };
enum { PERIOD_CALENDAR, PERIOD_ACADEMIC };

extern const char *const mms_kpi_kind_names[KIND_COUNT_OF_KINDS];
extern const char *const mms_kpi_agg_names[AGG_COUNT];

typedef struct band {
	double from, to;
	char *name;
} band;

/* Every unit's value of one indicator for one year. */
typedef struct computed {
	int year;
	uint64_t generation, epoch;
	size_t marks[MMS_ENTITY_COUNT]; /* table sizes it was computed on */
	double *num, *den, *value; /* per unit, over its subtree */
	uint8_t *defined;
	int32_t *units;            /* units with records of their own, per subtree */
	/* kept for incremental updates (ratio of sums and sum only): */
	double *onum, *oden;       /* per unit, its own records */
	uint8_t *rflags;           /* per record of 0/1 kinds: 1 in the denominator, 2 numerator */
	double *rnum, *rden;       /* per record of weighted kinds (their population is units) */
	size_t nrecs, recs_cap;    /* records kept, and room for them (grown geometrically) */
} computed;

/* An item of a checklist: a fact key, what it is, its group. */
typedef struct check_item {
	char *key, *name, *group;
} check_item;

typedef struct indicator {
	char *id, *name_ru, *name_en, *source, *unit, *filter_text, *num_text, *den_text;
	char *fact;             /* yes_no, fact_value: the fact read */
	check_item *items;      /* checklist */
	int nitems;
	int kind, pop, direction, agg, period, include_part_time, include_departed;
	expr filter, num, den;
	expr_param *params; /* "parameters": numbers its expressions name */
	int nparams;
	int ntargets;
	int years[32];
	double targets[32];
	band *bands;
	int nbands;
	computed *done;  /* computed years, most recent first */
	size_t ndone, done_cap;
} indicator;

/* The indexes expressions read: records of one table by a reference. */
enum { ENV_PART_STAFF, ENV_PART_UNIT, ENV_LINK_STAFF, ENV_FACT_UNIT, ENV_DIAG_STAFF,
       ENV_ROUTE_STAFF, ENV_EVENT_ROUTE, ENV_LINK_TARGET, ENV_PAIR_MENTEE, ENV_PAIR_MENTOR,
       ENV_COUNT };

struct mms_kpi {
	mms_db *db;
	indicator *ind;  /* sorted by id */
	size_t n, cap;
	uint64_t env_generation, env_epoch;
	int env_valid;
	int32_t *env_start[ENV_COUNT], *env_ids[ENV_COUNT]; /* CSR: keys + 2 starts, the ids */
	size_t env_keys[ENV_COUNT], env_recs[ENV_COUNT];     /* the table sizes they index */
	size_t env_room[ENV_COUNT];                          /* starts allocated (mms_grow), >= keys + 2 */
	int32_t *latest; /* scratch of expr_env.latest, one per competency */
	size_t nlatest;
	size_t full, incremental; /* computations of each sort, for tests and benchmarks */
	char errmsg[1024];
};

int mms_kpi_fail(mms_kpi *kpi, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
indicator *mms_kpi_find(const mms_kpi *kpi, const char *id);
void mms_indicator_free(indicator *d);
void mms_computed_free(computed *c);
/* Drops computed values (the data or the definitions changed). */
void mms_indicator_forget(indicator *d);

/* The period of a year for an indicator, as inclusive day numbers. */
void mms_kpi_period(const indicator *d, int year, int32_t *start, int32_t *end);
/* Computes (or finds) every unit's value of d for year. */
int mms_kpi_compute(mms_kpi *kpi, indicator *d, int year, const computed **out);

/* The value of a numerator and a denominator for d's kind; 0 if undefined. */
int mms_kpi_value_of(const indicator *d, double num, double den, double *out);
/* Brings the indexes expressions read up to the data: an index whose
 * records only gained keys (new staff) is extended, one whose records
 * changed is rebuilt. */
int mms_kpi_ensure_env(mms_kpi *kpi);
/* The evaluation environment of d for a year (the index must be ready). */
void mms_kpi_env(const mms_kpi *kpi, const indicator *d, int year, expr_env *v);
size_t mms_kpi_population_size(const indicator *d, const mms_model *m);
/* The unit a record counts at for the period of v, or -1. */
int32_t mms_kpi_record_unit(const indicator *d, const expr_env *v, int32_t rec);
/* What a record adds to the numerator and the denominator (a checklist
 * adds one per item; a record outside the population adds nothing). */
void mms_kpi_classify(const indicator *d, const expr_env *v, int32_t rec, double *num,
		      double *den);

/* The built-in catalogue, compiled in from data/indicators/. */
typedef struct builtin_file {
	const char *name;
	const char *json;
} builtin_file;
extern const builtin_file mms_builtin_indicators[];

#endif
