/*
 * Between the expression language (expr.c: lexer, parser, evaluator) and
 * its vocabulary (expr_vocab.c: the names and functions, the only part
 * that knows the model). The language asks the vocabulary what a name is
 * and what arguments a function takes; the evaluator asks it for values.
 */
#ifndef MMS_EXPR_VOCAB_H
#define MMS_EXPR_VOCAB_H

#include "expr.h"

/* The types of the language. */
enum { T_NUM, T_BOOL, T_ENUM, T_TEXT };

typedef double (*expr_getter)(const expr_env *env, int32_t rec);

/* An attribute of the records of one population. */
typedef struct expr_attr {
	const char *name;
	uint8_t pop, type, enum_id;
	expr_getter get;
} expr_attr;

extern const expr_attr mms_expr_attrs[];
/* The index of a population's attribute in mms_expr_attrs, or -1. */
int mms_vocab_attr(int pop, const char *name, size_t len);

/* The named arguments' slots in a call; -1 in a slot: not given. */
enum { ARG_ROLE, ARG_RESULT, ARG_LEVEL, ARG_FR, ARG_COMPLETED, ARG_PROVIDER_KIND,
       ARG_PROVIDER_LEVEL, ARG_TUTOR_KIND, ARG_DEVELOPER_KIND, ARG_ORGANIZER_KIND,
       ARG_STAFF_ROLE, ARG_DURING, ARG_YEARS, ARG_PURPOSE, ARG_APPROVED, ARG_SLOTS };

/* How a named argument's value is written. */
enum { ARG_ENUM, ARG_BOOL, ARG_YEARS_VALUE };

/* A function: its positional argument (an enum, FIRST_TEXT a free text,
 * FIRST_NONE none) and the type of its value. */
enum { FIRST_TEXT = -1, FIRST_NONE = -2 };
typedef struct expr_fn {
	const char *name;
	int fn;
	unsigned pops;  /* bitmask of populations */
	int first_enum;
	int type;       /* T_BOOL or T_NUM */
} expr_fn;

typedef struct expr_arg {
	const char *name;
	int slot, value, enum_id; /* enum_id: for ARG_ENUM */
} expr_arg;

/* A call as compiled: the function, its positional argument and the
 * named ones by slot. */
struct expr_call {
	int fn;
	int32_t kind;            /* the positional enum argument */
	int32_t arg[ARG_SLOTS];
	char *text;              /* the positional text argument */
};

const expr_fn *mms_vocab_fn(const char *name, size_t len);
/* The named argument of f for a population, or NULL if it has none. */
const expr_arg *mms_vocab_arg(const expr_fn *f, int pop, const char *name);
/* The fact key a call reads (fact(), has_fact(), org_has_fact()), or NULL. */
const char *mms_vocab_fact_key(const expr_call *c);
/* Whether a name is an attribute of pop or a function. */
int mms_vocab_name_taken(int pop, const char *name);
/* The value of a compiled call for record rec. */
double mms_vocab_call(const expr_env *env, const expr_call *c, int pop, int32_t rec);

#endif
