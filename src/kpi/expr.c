/*
 * The indicator expression language: lexer, compiler and evaluator. It
 * knows no name of the model: attributes and functions are looked up in
 * the vocabulary (expr_vocab.c). Recursive descent emits postfix code
 * directly; each sub-expression returns its type, so type errors are
 * found at compile time, with the column where they occur.
 * Text literals only ever meet enum attributes and are resolved to enum
 * indexes while compiling, so evaluation works on numbers alone.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_vocab.h"

enum op { OP_NUM, OP_ATTR, OP_CALL, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG, OP_AND, OP_OR, OP_NOT, OP_IN, OP_TRUTH };

struct ins {
	uint8_t op;
	int32_t arg;  /* attribute or call index; OP_IN: bitmask; OP_AND, OP_OR: where to jump */
	double num;
};

#define STACK 64
#define MAX_NESTING 48 /* the parser recurses: a hostile definition must not exhaust the stack */

/* ---- lexer ----------------------------------------------------------- */

enum tok { K_END, K_NUM, K_TEXT, K_NAME, K_OP, K_LPAREN, K_RPAREN, K_LBRACK, K_RBRACK,
	   K_COMMA, K_BAD };

typedef struct compiler {
	expr *x;
	const char *src, *p;
	int tok;            /* current token */
	const char *tstart; /* its text */
	size_t tlen;
	double num;
	int depth, max_depth;
	int nesting;        /* parentheses and prefix operators open, bounded */
	char *err;
	size_t errlen;
	int rc;
	const expr_param *params; /* the definition's number names */
	size_t nparams;
} compiler;

/* Column of a position, counting characters rather than UTF-8 bytes. */
static int column(const compiler *c, const char *at)
{
	int col = 1;
	for (const char *q = c->src; q < at; q++)
		col += ((unsigned char)*q & 0xc0) != 0x80;
	return col;
}

static int fail_at(compiler *c, const char *at, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_at(compiler *c, const char *at, int rc, const char *fmt, ...)
{
	if (c->rc != MMS_OK)
		return c->rc;
	int n = snprintf(c->err, c->errlen, "column %d: ", column(c, at));
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	c->rc = rc;
	return rc;
}

static int is_name_char(char ch, int first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
	       (!first && ((ch >= '0' && ch <= '9') || ch == '.'));
}

static void next(compiler *c)
{
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
		c->p++;
	c->tstart = c->p;
	char ch = *c->p;
	if (!ch) {
		c->tok = K_END;
	} else if ((ch >= '0' && ch <= '9') || (ch == '.' && c->p[1] >= '0' && c->p[1] <= '9')) {
		char *end;
		c->num = strtod(c->p, &end);
		c->p = end;
		c->tok = K_NUM;
	} else if (ch == '"') {
		c->p++;
		while (*c->p && *c->p != '"')
			c->p++;
		if (!*c->p) {
			fail_at(c, c->tstart, MMS_EPARSE, "text not closed with \"");
			c->tok = K_BAD;
			return;
		}
		c->p++;
		c->tok = K_TEXT;
	} else if (is_name_char(ch, 1)) {
		while (is_name_char(*c->p, 0))
			c->p++;
		c->tok = K_NAME;
	} else if (strchr("=<>!+-*/", ch)) {
		c->p++;
		if ((ch == '<' || ch == '>' || ch == '!' || ch == '=') && *c->p == '=')
			c->p++;
		c->tok = K_OP;
		if (ch == '!' && c->p - c->tstart == 1) {
			fail_at(c, c->tstart, MMS_EPARSE, "'!' must be '!='");
			c->tok = K_BAD;
		}
	} else {
		static const char singles[] = "()[],";
		static const int kinds[] = {K_LPAREN, K_RPAREN, K_LBRACK, K_RBRACK, K_COMMA};
		const char *s = strchr(singles, ch);
		c->p++;
		c->tok = s ? kinds[s - singles] : K_BAD;
		if (!s)
			fail_at(c, c->tstart, MMS_EPARSE, "unexpected character '%c'", ch);
	}
	c->tlen = (size_t)(c->p - c->tstart);
}

static int is(const compiler *c, int tok, const char *text)
{
	return c->tok == tok && (!text || (c->tlen == strlen(text) &&
					   !memcmp(c->tstart, text, c->tlen)));
}

/* ---- code generation --------------------------------------------------- */

static void emit(compiler *c, int op, int32_t arg, double num, int push)
{
	if (c->rc != MMS_OK)
		return;
	if (mms_grow((void **)&c->x->code, &c->x->cap, c->x->n + 1, sizeof *c->x->code)) {
		c->rc = MMS_ENOMEM;
		snprintf(c->err, c->errlen, "out of memory");
		return;
	}
	c->x->code[c->x->n++] = (struct ins){(uint8_t)op, arg, num};
	c->depth += push;
	if (c->depth > c->max_depth)
		c->max_depth = c->depth;
}

typedef struct typed {
	int type, enum_id;
	const char *at;
} typed;

static const char *type_name(int t)
{
	static const char *const names[] = {"a number", "true/false", "a name", "a text"};
	return names[t];
}

static typed parse_or(compiler *c);

/* Resolves a text literal against an enum, reporting an unknown name. */
static int32_t enum_value(compiler *c, int e, const char *at, size_t len)
{
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(len > 63 ? 63 : len), at);
	int v = mms_enum_find(e, name);
	if (v < 0)
		fail_at(c, at - 1, MMS_ETYPE, "\"%s\" is not a %s", name, mms_enums[e].name);
	return v;
}

/* Reads a text literal argument resolved against enum e. */
static int32_t text_arg(compiler *c, int e, const char *what)
{
	if (!is(c, K_TEXT, NULL)) {
		fail_at(c, c->tstart, MMS_ETYPE, "%s must be a text in quotes", what);
		return -1;
	}
	int32_t v = e >= 0 ? enum_value(c, e, c->tstart + 1, c->tlen - 2) : 0;
	next(c);
	return v;
}

static int32_t bool_arg(compiler *c, const char *what)
{
	int v = is(c, K_NAME, "true") ? 1 : is(c, K_NAME, "false") ? 0 : -1;
	if (v < 0)
		fail_at(c, c->tstart, MMS_ETYPE, "%s must be true or false", what);
	next(c);
	return v;
}

/* years=N: a whole number of years up to MAX_YEARS, so that the window's
 * first day (N * 365.2425 days before the period's end) is an int32_t day
 * like any other; a fraction, a negative, a huge or an infinite number
 * would make that conversion undefined, and is refused where it stands. */
#define MAX_YEARS 200

static double years_arg(compiler *c)
{
	double y = c->num;
	if (!is(c, K_NUM, NULL))
		fail_at(c, c->tstart, MMS_ETYPE, "years must be a whole number from 1 to %d",
			MAX_YEARS);
	else if (!(y >= 1 && y <= MAX_YEARS && y == floor(y)))
		fail_at(c, c->tstart, MMS_ERANGE, "years must be a whole number from 1 to %d, not %.*s",
			MAX_YEARS, (int)(c->tlen > 40 ? 40 : c->tlen), c->tstart);
	next(c);
	return c->rc == MMS_OK ? y : 0;
}

/* name = value: a named argument, its slot and how its value is written
 * given by the vocabulary. */
static void named_arg(compiler *c, const expr_fn *f, expr_call *k)
{
	const char *at = c->tstart;
	char name[32];
	snprintf(name, sizeof name, "%.*s", (int)(c->tlen > 31 ? 31 : c->tlen), c->tstart);
	next(c);
	if (!is(c, K_OP, "=")) {
		fail_at(c, c->tstart, MMS_EPARSE, "expected '=' after %s", name);
		return;
	}
	next(c);
	const expr_arg *a = mms_vocab_arg(f, c->x->pop, name);
	if (!a)
		fail_at(c, at, MMS_ETYPE, "%s() has no argument '%s'", f->name, name);
	else if (a->value == ARG_BOOL)
		k->arg[a->slot] = bool_arg(c, name);
	else if (a->value == ARG_YEARS_VALUE)
		k->arg[a->slot] = (int32_t)years_arg(c);
	else
		k->arg[a->slot] = text_arg(c, a->enum_id, name);
}

static typed parse_call(compiler *c, const char *at, size_t len)
{
	typed t = {T_BOOL, 0, at};
	const expr_fn *f = mms_vocab_fn(at, len);
	if (!f) {
		fail_at(c, at, MMS_ETYPE, "unknown function '%.*s'", (int)len, at);
		return t;
	}
	t.type = f->type;
	if (!(f->pops & (1u << c->x->pop))) {
		fail_at(c, at, MMS_ETYPE, "%s() does not apply to %s", f->name,
			mms_population_names[c->x->pop]);
		return t;
	}
	expr_call k = {.fn = f->fn};
	for (int i = 0; i < ARG_SLOTS; i++)
		k.arg[i] = -1;
	next(c); /* ( */
	int named_only = f->first_enum == FIRST_NONE, first = 1;
	if (named_only) {
		/* no positional argument: named ones, or none at all */
	} else if (f->first_enum == FIRST_TEXT) {
		if (!is(c, K_TEXT, NULL)) {
			fail_at(c, c->tstart, MMS_ETYPE, "%s() takes a text in quotes", f->name);
			return t;
		}
		if (!(k.text = mms_strndup(c->tstart + 1, c->tlen - 2)))
			c->rc = MMS_ENOMEM;
		next(c);
	} else {
		k.kind = text_arg(c, f->first_enum, "the first argument");
	}
	while (c->rc == MMS_OK && (is(c, K_COMMA, NULL) || (named_only && first && is(c, K_NAME, NULL)))) {
		if (is(c, K_COMMA, NULL))
			next(c);
		first = 0;
		if (!is(c, K_NAME, NULL))
			fail_at(c, c->tstart, MMS_EPARSE, "expected name = value");
		else
			named_arg(c, f, &k);
	}
	if (c->rc == MMS_OK && !is(c, K_RPAREN, NULL))
		fail_at(c, c->tstart, MMS_EPARSE, "expected ')' to close %s(", f->name);
	if (c->rc != MMS_OK ||
	    mms_grow((void **)&c->x->calls, &c->x->calls_cap, c->x->ncalls + 1, sizeof k)) {
		mms_free(k.text);
		if (c->rc == MMS_OK)
			c->rc = MMS_ENOMEM;
		return t;
	}
	c->x->calls[c->x->ncalls] = k;
	emit(c, OP_CALL, (int32_t)c->x->ncalls++, 0, 1);
	next(c);
	return t;
}

static typed parse_primary(compiler *c)
{
	typed t = {T_NUM, 0, c->tstart};
	if (is(c, K_NUM, NULL)) {
		emit(c, OP_NUM, 0, c->num, 1);
		next(c);
	} else if (is(c, K_TEXT, NULL)) {
		t.type = T_TEXT; /* resolved by the comparison that uses it */
		next(c);
	} else if (is(c, K_LPAREN, NULL)) {
		if (++c->nesting > MAX_NESTING) {
			fail_at(c, c->tstart, MMS_ERANGE, "nested more than %d deep", MAX_NESTING);
			return t;
		}
		next(c);
		t = parse_or(c);
		c->nesting--;
		if (c->rc == MMS_OK && !is(c, K_RPAREN, NULL))
			fail_at(c, c->tstart, MMS_EPARSE, "expected ')'");
		next(c);
	} else if (is(c, K_NAME, "true") || is(c, K_NAME, "false")) {
		emit(c, OP_NUM, 0, is(c, K_NAME, "true"), 1);
		t.type = T_BOOL;
		next(c);
	} else if (is(c, K_NAME, NULL)) {
		const char *at = c->tstart;
		size_t len = c->tlen;
		next(c);
		if (is(c, K_LPAREN, NULL))
			return parse_call(c, at, len);
		int attr = mms_vocab_attr(c->x->pop, at, len);
		if (attr >= 0) {
			emit(c, OP_ATTR, attr, 0, 1);
			t.type = mms_expr_attrs[attr].type;
			t.enum_id = mms_expr_attrs[attr].enum_id;
			return t;
		}
		for (size_t i = 0; i < c->nparams; i++)
			if (strlen(c->params[i].name) == len && !memcmp(c->params[i].name, at, len)) {
				emit(c, OP_NUM, 0, c->params[i].value, 1);
				t.type = T_NUM;
				return t;
			}
		fail_at(c, at, MMS_ETYPE, "unknown name '%.*s' for %s", (int)len, at,
			mms_population_names[c->x->pop]);
	} else if (c->tok == K_END) {
		fail_at(c, c->tstart, MMS_EPARSE, "unexpected end of expression");
	} else if (c->tok != K_BAD) {
		fail_at(c, c->tstart, MMS_EPARSE, "unexpected '%.*s'", (int)c->tlen, c->tstart);
	}
	return t;
}

/* A prefix operator ("-" before a number, "not" before true/false) applied
 * to the operand parsed by self, or else the next level down. */
static typed prefix(compiler *c, typed (*self)(compiler *), typed (*below)(compiler *), int tok,
		    const char *word, int need, int op)
{
	if (!is(c, tok, word))
		return below(c);
	const char *at = c->tstart;
	typed t = {need, 0, at};
	if (++c->nesting > MAX_NESTING) {
		fail_at(c, at, MMS_ERANGE, "nested more than %d deep", MAX_NESTING);
		return t;
	}
	next(c);
	t = self(c);
	c->nesting--;
	if (t.type != need)
		fail_at(c, at, MMS_ETYPE, "'%s' needs %s, not %s", word, type_name(need),
			type_name(t.type));
	emit(c, op, 0, 0, 0);
	t.at = at;
	return t;
}

static typed parse_unary(compiler *c)
{
	return prefix(c, parse_unary, parse_primary, K_OP, "-", T_NUM, OP_NEG);
}

static typed arith(compiler *c, typed (*sub)(compiler *), const char *a, const char *b,
		   int opa, int opb)
{
	typed l = sub(c);
	while (c->rc == MMS_OK && (is(c, K_OP, a) || is(c, K_OP, b))) {
		const char *at = c->tstart;
		int op = is(c, K_OP, a) ? opa : opb;
		next(c);
		typed r = sub(c);
		if (l.type != T_NUM || r.type != T_NUM)
			fail_at(c, at, MMS_ETYPE, "'%.1s' needs numbers on both sides, not %s",
				at, type_name(l.type != T_NUM ? l.type : r.type));
		emit(c, op, 0, 0, -1);
	}
	return l;
}

static typed parse_mul(compiler *c) { return arith(c, parse_unary, "*", "/", OP_MUL, OP_DIV); }
static typed parse_add(compiler *c) { return arith(c, parse_mul, "+", "-", OP_ADD, OP_SUB); }

/* enum_attr in ["a", "b"] becomes one bitmask test. */
static void parse_in(compiler *c, typed l, const char *at)
{
	if (l.type != T_ENUM) {
		fail_at(c, at, MMS_ETYPE, "'in' needs a named attribute on its left");
		return;
	}
	next(c);
	if (!is(c, K_LBRACK, NULL)) {
		fail_at(c, c->tstart, MMS_EPARSE, "expected '[' after in");
		return;
	}
	int32_t mask = 0;
	do {
		next(c);
		int32_t v = text_arg(c, l.enum_id, "an item of the list");
		if (v >= 0)
			mask |= 1 << v;
	} while (c->rc == MMS_OK && is(c, K_COMMA, NULL));
	if (c->rc == MMS_OK && !is(c, K_RBRACK, NULL))
		fail_at(c, c->tstart, MMS_EPARSE, "expected ']'");
	next(c);
	emit(c, OP_IN, mask, 0, 0);
}

static typed parse_cmp(compiler *c)
{
	static const char *const ops[] = {"=", "==", "!=", "<", "<=", ">", ">="};
	static const int codes[] = {OP_EQ, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE};
	typed l = parse_add(c);
	if (l.type == T_TEXT && c->rc == MMS_OK)
		fail_at(c, l.at, MMS_ETYPE, "a text can only stand right of a comparison "
			"with a named attribute");
	if (is(c, K_NAME, "in")) {
		const char *at = c->tstart;
		parse_in(c, l, at);
		l.type = T_BOOL;
		return l;
	}
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (!is(c, K_OP, ops[i]))
			continue;
		const char *at = c->tstart;
		next(c);
		if (l.type == T_ENUM && is(c, K_TEXT, NULL)) {
			emit(c, OP_NUM, 0, enum_value(c, l.enum_id, c->tstart + 1, c->tlen - 2), 1);
			next(c);
			if (codes[i] != OP_EQ && codes[i] != OP_NE)
				fail_at(c, at, MMS_ETYPE, "names can only be compared with = or !=");
		} else {
			typed r = parse_add(c);
			int ordered = codes[i] != OP_EQ && codes[i] != OP_NE;
			if (r.type == T_TEXT)
				fail_at(c, r.at, MMS_ETYPE, "a text can only be compared with a named "
					"attribute, not %s", type_name(l.type));
			else if (l.type != r.type || (ordered && l.type != T_NUM) ||
				 (l.type == T_ENUM && l.enum_id != r.enum_id))
				fail_at(c, at, MMS_ETYPE, "cannot compare %s with %s",
					type_name(l.type), type_name(r.type));
		}
		emit(c, codes[i], 0, 0, -1);
		l.type = T_BOOL;
		return l;
	}
	return l;
}

static typed parse_not(compiler *c)
{
	return prefix(c, parse_not, parse_cmp, K_NAME, "not", T_BOOL, OP_NOT);
}

/* "l and r" is l, OP_AND, r, OP_TRUTH: OP_AND decides on l alone when it
 * can (false: 0, jumping past r, so that the calls of r, scans of a
 * person's records, are not made), else drops l and lets r decide; "or"
 * alike on true. */
static typed logic(compiler *c, typed (*sub)(compiler *), const char *word, int op)
{
	typed l = sub(c);
	while (c->rc == MMS_OK && is(c, K_NAME, word)) {
		const char *at = c->tstart;
		next(c);
		size_t jump = c->x->n;
		emit(c, op, 0, 0, -1);
		typed r = sub(c);
		if (l.type != T_BOOL || r.type != T_BOOL)
			fail_at(c, at, MMS_ETYPE, "'%s' needs true/false on both sides, not %s",
				word, type_name(l.type != T_BOOL ? l.type : r.type));
		emit(c, OP_TRUTH, 0, 0, 0);
		if (c->rc == MMS_OK)
			c->x->code[jump].arg = (int32_t)c->x->n;
	}
	return l;
}

static typed parse_and(compiler *c) { return logic(c, parse_not, "and", OP_AND); }
static typed parse_or(compiler *c) { return logic(c, parse_and, "or", OP_OR); }

void mms_expr_free(expr *x)
{
	for (size_t i = 0; i < x->ncalls; i++)
		mms_free(x->calls[i].text);
	mms_free(x->calls);
	mms_free(x->code);
	memset(x, 0, sizeof *x);
}

int mms_expr_name_taken(int pop, const char *name)
{
	static const char *const words[] = {"true", "false", "and", "or", "not", "in"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (!strcmp(words[i], name))
			return 1;
	return mms_vocab_name_taken(pop, name);
}

int mms_expr_compile(expr *x, int pop, const char *text, char *err, size_t errlen)
{
	return mms_expr_compile_params(x, pop, text, NULL, 0, err, errlen);
}

int mms_expr_compile_params(expr *x, int pop, const char *text, const expr_param *params,
			    size_t nparams, char *err, size_t errlen)
{
	memset(x, 0, sizeof *x);
	x->pop = pop;
	compiler c = {x, text ? text : "", text ? text : "", K_END, NULL, 0, 0, 0, 0, 0,
		      err, errlen, MMS_OK, params, nparams};
	err[0] = '\0';
	next(&c);
	if (c.tok == K_END) { /* an empty expression selects everything */
		emit(&c, OP_NUM, 0, 1, 1);
		x->is_bool = 1;
		return c.rc;
	}
	typed t = parse_or(&c);
	if (c.rc == MMS_OK && c.tok != K_END)
		fail_at(&c, c.tstart, MMS_EPARSE, "unexpected '%.*s' after the expression",
			(int)c.tlen, c.tstart);
	if (c.rc == MMS_OK && t.type != T_BOOL)
		fail_at(&c, text, MMS_ETYPE, "the expression must be true/false, not %s",
			type_name(t.type));
	if (c.rc == MMS_OK && c.max_depth > STACK)
		fail_at(&c, text, MMS_ERANGE, "expression nested too deeply");
	x->is_bool = t.type == T_BOOL;
	if (c.rc != MMS_OK)
		mms_expr_free(x);
	x->pop = pop;
	return c.rc;
}

/* A missing value (NaN, e.g. staff.part_time of a unit's participation) is
 * false wherever a truth is asked, as every comparison with it is. */
static int truthy(double x) { return x != 0 && !isnan(x); }

int mms_expr_true(const expr *x, const expr_env *env, int32_t rec)
{
	double st[STACK];
	int sp = 0;
	for (size_t i = 0; i < x->n; i++) {
		const struct ins *in = &x->code[i];
		double b = sp > 0 ? st[sp - 1] : 0;
		switch (in->op) {
		case OP_NUM: st[sp++] = in->num; break;
		case OP_ATTR: st[sp++] = mms_expr_attrs[in->arg].get(env, rec); break;
		case OP_CALL: st[sp++] = mms_vocab_call(env, &x->calls[in->arg], x->pop, rec); break;
		case OP_NEG: st[sp - 1] = -b; break;
		case OP_NOT: st[sp - 1] = !truthy(b); break;
		case OP_IN: st[sp - 1] = !isnan(b) && ((in->arg >> (int)b) & 1); break;
		case OP_TRUTH: st[sp - 1] = truthy(b); break;
		case OP_AND:
		case OP_OR:
			if (truthy(b) == (in->op == OP_OR)) {
				st[sp - 1] = truthy(b);
				i = (size_t)in->arg - 1; /* past the right side */
			} else {
				sp--; /* the right side decides */
			}
			break;
		default: {
			double a = st[sp - 2];
			double r;
			switch (in->op) {
			case OP_EQ: r = a == b; break;
			case OP_NE: r = !isnan(a) && !isnan(b) && a != b; break;
			case OP_LT: r = a < b; break;
			case OP_LE: r = a <= b; break;
			case OP_GT: r = a > b; break;
			case OP_GE: r = a >= b; break;
			case OP_ADD: r = a + b; break;
			case OP_SUB: r = a - b; break;
			case OP_MUL: r = a * b; break;
			default: r = b != 0 ? a / b : NAN; break; /* OP_DIV */
			}
			st[--sp - 1] = r;
		}
		}
	}
	return sp > 0 && truthy(st[sp - 1]);
}
