/*
 * The indicator expression language (docs/indicators.md): filters and
 * numerators over the records of a population, compiled once into typed
 * postfix code and evaluated per record.
 */
#ifndef MMS_EXPR_H
#define MMS_EXPR_H

#include "domain/employment.h"
#include "model/model.h"
#include "network/index.h"

/* What an indicator counts: every record is attributed to one unit. */
typedef enum population {
	POP_STAFF,          /* staff members, at their organisation */
	POP_UNITS,          /* units, at themselves */
	POP_ACTIVITIES,     /* activities in the period, at their organiser */
	POP_PARTICIPATIONS, /* participations in the period, at the participant's unit */
	POP_COUNT
} population;

extern const char *const mms_population_names[POP_COUNT];
/* The entity whose records each population is made of. */
extern const int mms_population_entity[POP_COUNT];

#define MMS_ANNIVERSARIES 128

/* Indexes and the period an expression is evaluated against. */
typedef struct expr_env {
	const mms_model *m;
	const mms_index *ix;
	const mms_timeline *tl; /* past values: dated fields are read as at end */
	int32_t start, end;   /* the reporting period, inclusive day numbers */
	/* participations by staff, by unit; staff links by staff (CSR) */
	const int32_t *part_staff_start, *part_staff;
	const int32_t *part_unit_start, *part_unit;
	const int32_t *sl_start, *sl;
	const int32_t *st_start, *st;     /* staff links by their target staff (supports) */
	const int32_t *fact_start, *fact; /* facts by unit (CSR) */
	const int32_t *dg_start, *dg;     /* diagnostics by staff */
	const int32_t *rt_start, *rt;     /* routes by staff */
	const int32_t *re_start, *re;     /* route events by route */
	const int32_t *ao_start, *ao;     /* activities by organiser */
	const int32_t *mp_start, *mp;     /* mentoring pairs by mentee */
	const int32_t *mr_start, *mr;     /* mentoring pairs by mentor */
	int32_t *latest;                  /* per competency, -1 between calls: diagnostic_score()'s scratch */
	int year;                         /* the reporting year, for facts */
	/* anniv[k]: the last day k whole years before the end, so that ages and
	 * years of experience are found by comparison, not by date arithmetic */
	int32_t anniv[MMS_ANNIVERSARIES];
} expr_env;

/* Fills env->anniv for env->end. */
void mms_expr_anniversaries(expr_env *env);

/* The latest value recorded for a unit, key and the env's year; NaN if none. */
double mms_fact_value(const expr_env *env, int32_t unit, const char *key);

typedef struct expr_call expr_call;

typedef struct expr {
	int pop;
	struct ins *code;
	size_t n, cap;
	expr_call *calls;
	size_t ncalls, calls_cap;
	int is_bool;
} expr;

/* A number a definition names (its "parameters"), e.g. the score from
 * which an answer is "satisfied": a name of the definition, not a constant
 * of the engine. */
typedef struct expr_param {
	char *name;
	double value;
} expr_param;

/*
 * Compiles text for a population. On failure returns MMS_ETYPE or
 * MMS_EPARSE with "column N: ..." in err. An empty text compiles to true.
 */
int mms_expr_compile(expr *x, int pop, const char *text, char *err, size_t errlen);
/* The same, with a definition's parameters as number names. */
int mms_expr_compile_params(expr *x, int pop, const char *text, const expr_param *params,
			    size_t nparams, char *err, size_t errlen);
/* Whether a name is the language's own for a population (an attribute, a
 * function, a word): a parameter may not take it. */
int mms_expr_name_taken(int pop, const char *name);
void mms_expr_free(expr *x);
/* Evaluates a boolean expression for record rec. */
int mms_expr_true(const expr *x, const expr_env *env, int32_t rec);

#endif
