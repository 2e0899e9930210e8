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
enum { AGG_RATIO_OF_SUMS, AGG_MEAN, AGG_MIN, AGG_MAX, AGG_SUM, AGG_DISTINCT, AGG_COUNT };
enum { DIR_HIGHER, DIR_LOWER };
enum { PERIOD_CALENDAR, PERIOD_ACADEMIC };
/* What a staff indicator counts (docs/indicators.md): people, each once at
 * the post of their main employment, or posts. */
enum { COUNTS_PEOPLE, COUNTS_POSTS };

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
	size_t log_pos;                 /* the model's change log it has followed */
	double *num, *den, *value; /* per unit, over its subtree */
	uint8_t *defined;
	int32_t *units;            /* units with records of their own, per subtree */
	/* kept for incremental updates (ratio of sums and sum only): */
	double *onum, *oden;       /* per unit, its own records */
	uint8_t *rflags;           /* per record of 0/1 kinds: 1 in the denominator, 2 numerator */
	double *rnum, *rden;       /* per record of weighted kinds (their population is units) */
	int32_t *runit;            /* per record, the unit it was counted at, or -1 */
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
	char **facts;           /* "facts": keys it shows beside its value (declared, see fact_keys.c) */
	int nfacts;
	int kind, pop, direction, agg, period, include_part_time, include_departed, counts;
	int cohort; /* staff shares: the period's cohort (docs/indicators.md, "Cohorts") */
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
	char **aliases;  /* ids of documents that name it too (catalogue.c) */
	int naliases;
} indicator;

/* A programme definition (programme.c): criteria grouping its indicators,
 * the trajectories it sets for them, its stages and its parameters. */
typedef struct prog_criterion {
	char *id, *name_ru;
	char **ind; /* indicator ids as the programme names them */
	int nind;
} prog_criterion;

typedef struct prog_stage {
	char *name_ru, *from, *to; /* dates, checked */
} prog_stage;

typedef struct trajectory {
	char *indicator;
	int n;
	int years[32];
	double values[32];
} trajectory;

typedef struct programme {
	char *id, *name_ru, *name_en, *source, *owner_level, *owner_kind, *params_text;
	char first_text[8], last_text[8];
	int first, last;
	int level; /* of owner_level: the deepest level it judges (LV_SUBUNIT if absent) */
	prog_stage *stages;
	int nstages;
	prog_criterion *crit;
	int ncrit;
	expr_param *params;
	int nparams;
	trajectory *targets;
	int ntargets;
	char **task_ind, **task_plan; /* "from_tasks": indicator -> plan of tasks */
	int ntasks;
} programme;

/* The indexes expressions read: records of one table by a reference. */
enum { ENV_PART_STAFF, ENV_PART_UNIT, ENV_LINK_STAFF, ENV_FACT_UNIT, ENV_DIAG_STAFF,
       ENV_ROUTE_STAFF, ENV_EVENT_ROUTE, ENV_LINK_TARGET, ENV_ACT_ORGANIZER,
       /* read by no expression: the routes whose person a change of their
        * tutor or developer (an organisation) touches */
       ENV_ROUTE_TUTOR, ENV_ROUTE_DEVELOPER, ENV_PAIR_MENTEE, ENV_PAIR_MENTOR,
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
	size_t env_log_pos;                                  /* the model's change log they follow */
	mms_timeline timeline; /* past values, rebuilt with the indexes */
	int32_t *latest; /* scratch of expr_env.latest, one per competency */
	size_t nlatest;
	size_t full, incremental; /* computations of each sort, for tests and benchmarks */
	char errmsg[1024];
	programme *prog; /* programme definitions, in load order (programme.c) */
	size_t nprog, prog_cap;
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

/* Recounts c's numerators as distinct activities per subtree (distinct.c). */
int mms_kpi_distinct(const indicator *d, const expr_env *v, computed *c);
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
/* What a record adds, and where: its numerator and denominator count at
 * one unit, except in a cohort (docs/indicators.md, "Cohorts"); -1 where
 * it does not count. The one attribution of full computation, drill-down
 * and groups. */
typedef struct mms_kpi_part {
	int32_t num_unit, den_unit;
	double num, den;
} mms_kpi_part;
/* v0: the environment of the period's start (mms_kpi_entry_env()). */
void mms_kpi_entry_env(const expr_env *v, expr_env *v0);
void mms_kpi_attribute(const indicator *d, const expr_env *v, const expr_env *v0, int32_t rec,
		       mms_kpi_part *p);
/* What a record adds to the numerator and the denominator (a checklist
 * adds one per item; a record outside the population adds nothing). */
void mms_kpi_classify(const indicator *d, const expr_env *v, int32_t rec, double *num,
		      double *den);

/* A catalogue of the built-in definitions; db may be NULL for a catalogue
 * only read (fact_keys.c), never computed. */
int mms_kpi_open_builtin(mms_kpi **out, mms_db *db);
/* Whether name is d's id or one of its aliases. */
int mms_indicator_named(const indicator *d, const char *name);
/* Recompiles d's expressions with parameters set to the values of p
 * (names d does not declare are left alone); err says why it failed. */
int mms_indicator_reparam(indicator *d, const expr_param *p, int n, char *err, size_t errlen);

/* The programme that sets d's target at unit for year: the first adopted
 * (database records) over unit for year that lists d; with no adoption in
 * the database, the first loaded that lists d; else NULL. */
const programme *mms_programme_for(mms_kpi *kpi, const indicator *d, int32_t unit, int year);
/* The programme definition with that id, or NULL. */
const programme *mms_programme_find(const mms_kpi *kpi, const char *id);
/* The plan of tasks p computes d from ("from_tasks"), or NULL: d's formula. */
const char *mms_programme_task_plan(const programme *p, const indicator *d);
/* Occurrences of the tasks of plan of p's adoptions due in year at unit's
 * subtree (*den), and those done on time (*num) (tasks.c). Returns whether
 * the database holds any task of that plan under p: with none, the
 * indicator's own formula stands (the completion figure recorded). */
int mms_tasks_count(mms_kpi *kpi, const programme *p, const char *plan, int32_t unit, int year,
		    double *num, double *den);
/* The trajectory p sets for d, or NULL. */
const trajectory *mms_programme_trajectory(const programme *p, const indicator *d);
void mms_programmes_free(mms_kpi *kpi);
/* The value of d at unit for year, its target from p (NULL: d's own). */
int mms_kpi_value_in(mms_kpi *kpi, const programme *p, indicator *d, int32_t unit, int year,
		     mms_kpi_result *out);

/* The built-in catalogue, compiled in from data/indicators/. */
typedef struct builtin_file {
	const char *name;
	const char *json;
} builtin_file;
extern const builtin_file mms_builtin_indicators[];
/* The built-in programmes, compiled in from data/programmes/. */
extern const builtin_file mms_builtin_programmes[];
int mms_programmes_load_builtin(mms_kpi *kpi);

#endif
