/*
 * The catalogue of indicators: definitions read from JSON (json-c),
 * checked and compiled once, all or nothing per file. docs/indicators.md
 * describes the format.
 */
#include <dirent.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "defs.h"
#include "kpi.h"

const char *const mms_kpi_kind_names[KIND_COUNT_OF_KINDS] = {
	"share", "count", "ratio", "survey_share", "yes_no", "checklist", "fact_value"};
const char *const mms_kpi_agg_names[AGG_COUNT] = {"ratio_of_sums", "mean", "min", "max",
						  "sum", "distinct"};
static const char *const directions[] = {"higher", "lower"};
static const char *const periods[] = {"calendar", "academic"};
static const char *const counts_names[] = {"people", "posts"};
static const char *const pop_keys[] = {"staff", "units", "activities", "participations"};

int mms_kpi_fail(mms_kpi *kpi, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(kpi->errmsg, sizeof kpi->errmsg, fmt, ap);
	va_end(ap);
	return rc;
}

const char *mms_kpi_errmsg(const mms_kpi *kpi)
{
	return kpi ? kpi->errmsg : "no catalogue (out of memory?)";
}

void mms_computed_free(computed *c)
{
	mms_free(c->num);
	mms_free(c->den);
	mms_free(c->value);
	mms_free(c->defined);
	mms_free(c->units);
	mms_free(c->onum);
	mms_free(c->oden);
	mms_free(c->rflags);
	mms_free(c->rnum);
	mms_free(c->rden);
	mms_free(c->runit);
	memset(c, 0, sizeof *c);
}

void mms_indicator_forget(indicator *d)
{
	for (size_t i = 0; i < d->ndone; i++)
		mms_computed_free(&d->done[i]);
	d->ndone = 0;
}

void mms_indicator_free(indicator *d)
{
	mms_indicator_forget(d);
	mms_free(d->done);
	char **texts[] = {&d->id, &d->name_ru, &d->name_en, &d->source, &d->unit,
			  &d->filter_text, &d->num_text, &d->den_text};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		mms_free(*texts[i]);
	mms_free(d->fact);
	for (int i = 0; i < d->nitems; i++) {
		mms_free(d->items[i].key);
		mms_free(d->items[i].name);
		mms_free(d->items[i].group);
	}
	mms_free(d->items);
	for (int i = 0; i < d->nfacts; i++)
		mms_free(d->facts[i]);
	mms_free(d->facts);
	for (int i = 0; i < d->nparams; i++)
		mms_free(d->params[i].name);
	mms_free(d->params);
	mms_expr_free(&d->filter);
	mms_expr_free(&d->num);
	mms_expr_free(&d->den);
	for (int i = 0; i < d->nbands; i++)
		mms_free(d->bands[i].name);
	mms_free(d->bands);
	for (int i = 0; i < d->naliases; i++)
		mms_free(d->aliases[i]);
	mms_free(d->aliases);
	memset(d, 0, sizeof *d);
}

/* Reading one definition; problems go to the report at their pointer (defs.c). */
typedef defs_reader reader;

static void problem(reader *r, int rc, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(reader *r, int rc, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mms_defs_vproblem(r, rc, key, fmt, ap);
	va_end(ap);
}

static char *text(reader *r, json_object *o, const char *key, int required)
{
	return mms_defs_text(r, o, key, NULL, required);
}

static int choice(reader *r, json_object *o, const char *key, const char *const *names,
		  int n, int dflt)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return dflt;
	for (int i = 0; json_object_is_type(v, json_type_string) && i < n; i++)
		if (!strcmp(json_object_get_string(v), names[i]))
			return i;
	char all[300] = "";
	for (int i = 0; i < n; i++)
		snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", i ? ", " : "", names[i]);
	problem(r, MMS_ETYPE, key, "must be one of %s, not %s", all,
		json_object_to_json_string(v));
	return dflt;
}

static void compile(reader *r, indicator *d, expr *x, const char *key, const char *src)
{
	char err[300];
	int rc = mms_expr_compile_params(x, d->pop, src, d->params, (size_t)d->nparams, err,
					 sizeof err);
	if (rc == MMS_ENOMEM)
		r->rc = rc;
	else if (rc != MMS_OK)
		problem(r, rc, key, "%s", err);
}

/* "parameters": {"name": number}: the numbers a document fixes (the score
 * from which an answer is satisfied), named in the expressions. */
static int parameter_name(const void *ctx, const char *key, char *why, size_t len)
{
	const indicator *d = ctx;
	size_t n = strspn(key, "abcdefghijklmnopqrstuvwxyz_0123456789");
	if (n && n == strlen(key) && n <= 40 && !(key[0] >= '0' && key[0] <= '9') &&
	    !(d->pop >= 0 && mms_expr_name_taken(d->pop, key)))
		return MMS_OK;
	snprintf(why, len, "\"%.60s\" cannot name a parameter: a name of small Latin letters, "
		 "digits and _ the language does not use", key);
	return MMS_ETYPE;
}

static void read_parameters(reader *r, indicator *d, json_object *o)
{
	mms_defs_parameters(r, o, parameter_name, d, &d->params, &d->nparams);
}

static void read_targets(reader *r, indicator *d, json_object *o)
{
	json_object *t;
	if (!json_object_object_get_ex(o, "targets", &t))
		return;
	if (!json_object_is_type(t, json_type_object)) {
		problem(r, MMS_ETYPE, "targets", "must be an object of year: value");
		return;
	}
	json_object_object_foreach(t, year, val) {
		char *end;
		long y = strtol(year, &end, 10);
		if (*end || y < 1900 || y > 2100 || d->ntargets >= 32) {
			problem(r, MMS_ERANGE, "targets", "\"%s\" is not a year 1900..2100 "
				"(at most 32 years)", year);
		} else if (!json_object_is_type(val, json_type_int) &&
			   !json_object_is_type(val, json_type_double)) {
			problem(r, MMS_ETYPE, "targets", "the target of %ld must be a number", y);
		} else {
			d->years[d->ntargets] = (int)y;
			d->targets[d->ntargets++] = json_object_get_double(val);
		}
	}
}

static void read_bands(reader *r, indicator *d, json_object *o)
{
	json_object *b;
	if (!json_object_object_get_ex(o, "bands", &b))
		return;
	size_t n = json_object_is_type(b, json_type_array) ? json_object_array_length(b) : 0;
	if (!json_object_is_type(b, json_type_array)) {
		problem(r, MMS_ETYPE, "bands", "must be an array of {from, to, name}");
		return;
	}
	d->bands = mms_calloc(n ? n : 1, sizeof *d->bands);
	if (!d->bands) {
		r->rc = MMS_ENOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(b, i), *from, *to, *name;
		if (!json_object_object_get_ex(it, "from", &from) ||
		    !json_object_object_get_ex(it, "to", &to) ||
		    !json_object_object_get_ex(it, "name", &name) ||
		    !json_object_is_type(name, json_type_string) ||
		    json_object_get_double(from) > json_object_get_double(to)) {
			problem(r, MMS_ETYPE, "bands", "band %zu needs from <= to and a name", i);
			return;
		}
		band *bd = &d->bands[d->nbands++];
		bd->from = json_object_get_double(from);
		bd->to = json_object_get_double(to);
		if (!(bd->name = mms_strdup(json_object_get_string(name))))
			r->rc = MMS_ENOMEM;
	}
}

static void read_items(reader *r, indicator *d, json_object *o)
{
	json_object *list;
	if (!json_object_object_get_ex(o, "items", &list)) {
		problem(r, MMS_EMISSING, "items", "a checklist needs its items");
		return;
	}
	size_t n = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
	if (!n) {
		problem(r, MMS_ETYPE, "items", "must be a non-empty array of {key, name, group}");
		return;
	}
	if (!(d->items = mms_calloc(n, sizeof *d->items))) {
		r->rc = MMS_ENOMEM;
		return;
	}
	for (size_t i = 0; i < n && r->rc != MMS_ENOMEM; i++) {
		json_object *it = json_object_array_get_idx(list, i);
		check_item *ci = &d->items[d->nitems++];
		ci->key = text(r, it, "key", 1);
		ci->name = text(r, it, "name", 1);
		ci->group = text(r, it, "group", 0);
	}
}

/* "facts": keys of facts the definition reads or shows beside its value
 * beyond those its expressions, "fact" and "items" name (fact_keys.c). */
static void read_facts(reader *r, indicator *d, json_object *o)
{
	json_object *list;
	if (!json_object_object_get_ex(o, "facts", &list))
		return;
	size_t n = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *key = json_object_array_get_idx(list, i);
		if (!json_object_is_type(key, json_type_string) || !json_object_get_string_len(key))
			n = 0;
	}
	if (!n) {
		problem(r, MMS_ETYPE, "facts", "must be a non-empty array of fact keys");
		return;
	}
	if (!(d->facts = mms_calloc(n, sizeof *d->facts))) {
		r->rc = MMS_ENOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++, d->nfacts++) {
		d->facts[i] = mms_strdup(json_object_get_string(json_object_array_get_idx(list, i)));
		if (!d->facts[i]) {
			r->rc = MMS_ENOMEM;
			return;
		}
	}
}

/* "aliases": the ids documents gave an indicator whose own id is neutral
 * (murom.pd_every_3_years for pd.every_3_years): accepted wherever an id is. */
static void read_aliases(reader *r, indicator *d, json_object *o)
{
	json_object *list;
	if (!json_object_object_get_ex(o, "aliases", &list))
		return;
	size_t n = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
	if (!json_object_is_type(list, json_type_array) || !n) {
		problem(r, MMS_ETYPE, "aliases", "must be a non-empty array of ids");
		return;
	}
	if (!(d->aliases = mms_calloc(n, sizeof *d->aliases))) {
		r->rc = MMS_ENOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(list, i);
		if (!json_object_is_type(a, json_type_string) || !json_object_get_string_len(a))
			problem(r, MMS_ETYPE, "aliases", "alias %zu must be a non-empty string", i);
		else if (!(d->aliases[d->naliases++] = mms_strdup(json_object_get_string(a))))
			r->rc = MMS_ENOMEM;
	}
}

int mms_indicator_named(const indicator *d, const char *name)
{
	if (!strcmp(d->id, name))
		return 1;
	for (int i = 0; i < d->naliases; i++)
		if (!strcmp(d->aliases[i], name))
			return 1;
	return 0;
}

int mms_indicator_reparam(indicator *d, const expr_param *p, int n, char *err, size_t errlen)
{
	double was[64];
	if (d->nparams > 64)
		return MMS_ERANGE;
	for (int k = 0; k < d->nparams; k++) {
		was[k] = d->params[k].value;
		for (int i = 0; i < n; i++)
			if (!strcmp(d->params[k].name, p[i].name))
				d->params[k].value = p[i].value;
	}
	expr *xs[] = {&d->filter, &d->num, &d->den}, fresh[3] = {{0}};
	const char *texts[] = {d->filter_text, d->num_text, d->den_text};
	int rc = MMS_OK;
	for (int i = 0; i < 3 && rc == MMS_OK; i++)
		rc = mms_expr_compile_params(&fresh[i], d->pop, texts[i], d->params,
					     (size_t)d->nparams, err, errlen);
	for (int i = 0; i < 3; i++) { /* all three or none */
		mms_expr_free(rc == MMS_OK ? xs[i] : &fresh[i]);
		if (rc == MMS_OK)
			*xs[i] = fresh[i];
	}
	for (int k = 0; rc != MMS_OK && k < d->nparams; k++)
		d->params[k].value = was[k];
	if (rc == MMS_OK)
		mms_indicator_forget(d);
	return rc;
}

static void read_one(reader *r, indicator *d, json_object *o)
{
	static const char *const known[] = {
		"id", "name_ru", "name_en", "source", "kind", "population", "filter",
		"numerator", "denominator", "unit", "direction", "aggregation", "period",
		"include_part_time", "include_departed", "targets", "bands", "note", "fact", "items",
		"parameters", "facts", "counts", "cohort", "aliases"};
	if (!mms_defs_object(r, o, "an indicator", known, sizeof known / sizeof *known))
		return;
	size_t before = mms_report_count(r->report);
	d->id = text(r, o, "id", 1);
	d->name_ru = text(r, o, "name_ru", 1);
	d->name_en = text(r, o, "name_en", 0);
	d->source = text(r, o, "source", 0);
	d->unit = text(r, o, "unit", 0);
	d->kind = choice(r, o, "kind", mms_kpi_kind_names, KIND_COUNT_OF_KINDS, -1);
	d->pop = choice(r, o, "population", pop_keys, POP_COUNT, -1);
	d->direction = choice(r, o, "direction", directions, 2, DIR_HIGHER);
	d->agg = choice(r, o, "aggregation", mms_kpi_agg_names, AGG_COUNT, AGG_RATIO_OF_SUMS);
	d->period = choice(r, o, "period", periods, 2, PERIOD_CALENDAR);
	d->counts = choice(r, o, "counts", counts_names, 2, COUNTS_PEOPLE);
	json_object *pt;
	/* survey answers of external part-timers count: they are pedagogical
	 * workers asked like the others (issue 13, "people, not answers") */
	d->include_part_time = json_object_object_get_ex(o, "include_part_time", &pt)
				       ? json_object_get_boolean(pt)
				       : d->kind == KIND_SURVEY_SHARE;
	d->include_departed = json_object_object_get_ex(o, "include_departed", &pt) &&
			      json_object_get_boolean(pt);
	d->cohort = json_object_object_get_ex(o, "cohort", &pt) && json_object_get_boolean(pt);
	if (d->cohort && (d->pop != POP_STAFF || d->kind != KIND_SHARE))
		problem(r, MMS_ETYPE, "cohort", "a cohort is a share of the staff population");
	if (d->kind < 0 && !json_object_object_get_ex(o, "kind", &pt))
		problem(r, MMS_EMISSING, "kind", "is required");
	if (d->pop < 0 && !json_object_object_get_ex(o, "population", &pt))
		problem(r, MMS_EMISSING, "population", "is required");
	int on_facts = d->kind == KIND_YES_NO || d->kind == KIND_CHECKLIST ||
		       d->kind == KIND_FACT_VALUE;
	if (on_facts && d->pop >= 0 && d->pop != POP_UNITS)
		problem(r, MMS_ETYPE, "population", "a %s is about units: facts are recorded "
			"about units", mms_kpi_kind_names[d->kind]);
	if (d->kind == KIND_YES_NO || d->kind == KIND_FACT_VALUE)
		d->fact = text(r, o, "fact", 1);
	if (d->kind == KIND_CHECKLIST)
		read_items(r, d, o);
	read_facts(r, d, o);
	d->filter_text = text(r, o, "filter", 0);
	d->num_text = text(r, o, "numerator", d->kind != KIND_COUNT && !on_facts);
	if (on_facts && d->num_text)
		problem(r, MMS_ETYPE, "numerator", "a %s counts its facts, not a numerator",
			mms_kpi_kind_names[d->kind]);
	d->den_text = text(r, o, "denominator", d->kind == KIND_RATIO);
	if (d->den_text && d->kind != KIND_RATIO)
		problem(r, MMS_ETYPE, "denominator", "only a ratio has a denominator; the "
			"population and filter are the denominator of a share");
	if (d->agg == AGG_SUM && d->kind >= 0 && d->kind != KIND_COUNT)
		problem(r, MMS_ETYPE, "aggregation", "sum applies to counts; a %s aggregates "
			"as ratio_of_sums, mean, min or max", mms_kpi_kind_names[d->kind]);
	if (d->agg == AGG_DISTINCT && ((d->kind >= 0 && d->kind != KIND_COUNT) ||
				       (d->pop >= 0 && d->pop != POP_PARTICIPATIONS)))
		problem(r, MMS_ETYPE, "aggregation", "distinct counts the different activities "
			"of a count over participations");
	read_parameters(r, d, o);
	/* Expressions are compiled once the rest of the definition is sound. */
	if (d->pop >= 0 && d->kind >= 0 && mms_report_count(r->report) == before &&
	    r->rc != MMS_ENOMEM) {
		compile(r, d, &d->filter, "filter", d->filter_text);
		compile(r, d, &d->num, "numerator", d->num_text);
		compile(r, d, &d->den, "denominator", d->den_text);
	}
	read_targets(r, d, o);
	read_bands(r, d, o);
	read_aliases(r, d, o);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const indicator *)a)->id, ((const indicator *)b)->id);
}

indicator *mms_kpi_find(const mms_kpi *kpi, const char *id)
{
	indicator key = {0};
	key.id = (char *)id;
	indicator *d = id && kpi->n ? bsearch(&key, kpi->ind, kpi->n, sizeof key, by_id) : NULL;
	for (size_t i = 0; id && !d && i < kpi->n; i++)
		if (mms_indicator_named(&kpi->ind[i], id))
			d = &kpi->ind[i];
	return d;
}

/* Adds the read definitions, replacing same ids; cannot fail after the grow. */
static int merge(mms_kpi *kpi, indicator *defs, size_t n)
{
	if (mms_grow((void **)&kpi->ind, &kpi->cap, kpi->n + n, sizeof *kpi->ind))
		return MMS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		indicator *old = mms_kpi_find(kpi, defs[i].id);
		if (old) {
			mms_indicator_free(old);
			*old = defs[i];
		} else {
			kpi->ind[kpi->n++] = defs[i];
			qsort(kpi->ind, kpi->n, sizeof *kpi->ind, by_id);
		}
	}
	return MMS_OK;
}

static int load_text(mms_kpi *kpi, const char *json, const char *name, mms_report *rep)
{
	json_object *root, *list;
	int rc = mms_defs_root(kpi, rep, json, name, "indicators", &root, &list);
	if (rc != MMS_OK)
		return rc;
	size_t n = json_object_array_length(list);
	indicator *defs = mms_calloc(n ? n : 1, sizeof *defs);
	reader r = {rep, name, 0, defs ? MMS_OK : MMS_ENOMEM};
	for (size_t i = 0; i < n && r.rc != MMS_ENOMEM; i++) {
		r.index = i;
		read_one(&r, &defs[i], json_object_array_get_idx(list, i));
		for (size_t j = 0; j < i && defs[i].id; j++)
			if (defs[j].id && !strcmp(defs[j].id, defs[i].id))
				problem(&r, MMS_EDUP, "id", "\"%s\" is defined twice", defs[i].id);
	}
	json_object_put(root);
	rc = r.rc != MMS_OK ? r.rc : rep->failed ? MMS_ENOMEM : merge(kpi, defs, n);
	if (rc != MMS_OK) {
		for (size_t i = 0; defs && i < n; i++)
			mms_indicator_free(&defs[i]);
		if (rc == MMS_ENOMEM)
			mms_kpi_fail(kpi, rc, "out of memory");
		else
			mms_kpi_fail(kpi, rc, "%s%s", mms_report_message(rep, 0),
				     mms_report_count(rep) > 1 ? " (and more problems)" : "");
	}
	mms_free(defs);
	return rc;
}

static int with_report(mms_report **out, mms_report **rep)
{
	if (out)
		*out = NULL;
	*rep = mms_report_new();
	return *rep ? MMS_OK : MMS_ENOMEM;
}

static int give_report(mms_report *rep, mms_report **out, int rc)
{
	if (out)
		*out = rep;
	else
		mms_report_free(rep);
	return rc;
}

int mms_kpi_load_json(mms_kpi *kpi, const char *json, const char *name, mms_report **out)
{
	mms_report *rep;
	if (!kpi || !json)
		return MMS_EINVAL;
	if (with_report(out, &rep) != MMS_OK)
		return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory");
	return give_report(rep, out, load_text(kpi, json, name ? name : "json", rep));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of a directory, sorted, so loading order is fixed. */
static int list_dir(const char *dir, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!d)
		return MMS_EIO;
	int rc = MMS_OK;
	for (struct dirent *e; rc == MMS_OK && (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		mms_buf p = {0};
		mms_buf_printf(&p, "%s/%s", dir, e->d_name);
		char *path = NULL;
		if (mms_buf_detach(&p, &path) != MMS_OK ||
		    mms_grow((void **)out, &cap, *n + 1, sizeof **out)) {
			mms_free(path);
			rc = MMS_ENOMEM;
		} else {
			(*out)[(*n)++] = path;
		}
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_str);
	return rc;
}

int mms_kpi_load(mms_kpi *kpi, const char *path, mms_report **out)
{
	mms_report *rep;
	if (!kpi || !path)
		return MMS_EINVAL;
	if (with_report(out, &rep) != MMS_OK)
		return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory");
	struct stat st;
	char **files = NULL;
	size_t n = 0;
	int rc = stat(path, &st) != 0 ? MMS_EIO : MMS_OK;
	if (rc == MMS_OK && S_ISDIR(st.st_mode))
		rc = list_dir(path, &files, &n);
	for (size_t i = 0; rc == MMS_OK && i < (files ? n : 1); i++) {
		const char *file = files ? files[i] : path;
		char *textbuf = NULL;
		size_t len;
		rc = mms_read_file(file, &textbuf, &len);
		if (rc != MMS_OK && rc != MMS_ENOMEM) /* missing, not a regular file, too large */
			rc = MMS_EIO;
		if (rc == MMS_OK) {
			const char *base = strrchr(file, '/');
			rc = load_text(kpi, textbuf, base ? base + 1 : file, rep);
		}
		mms_free(textbuf);
	}
	if (rc == MMS_EIO)
		mms_kpi_fail(kpi, rc, "%s: cannot be read", path);
	for (size_t i = 0; i < n; i++)
		mms_free(files[i]);
	mms_free(files);
	return give_report(rep, out, rc);
}

int mms_kpi_open(mms_kpi **out, mms_db *db)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	return db ? mms_kpi_open_builtin(out, db) : MMS_EINVAL;
}

int mms_kpi_open_builtin(mms_kpi **out, mms_db *db)
{
	*out = NULL;
	mms_kpi *kpi = mms_calloc(1, sizeof *kpi);
	if (!kpi)
		return MMS_ENOMEM;
	kpi->db = db;
	*out = kpi;
	for (const builtin_file *f = mms_builtin_indicators; f->name; f++) {
		mms_report *rep = mms_report_new();
		int rc = rep ? load_text(kpi, f->json, f->name, rep) : MMS_ENOMEM;
		mms_report_free(rep);
		if (rc != MMS_OK)
			return rc; /* a built-in file only fails for lack of memory */
	}
	return mms_programmes_load_builtin(kpi);
}

void mms_kpi_close(mms_kpi *kpi)
{
	if (!kpi)
		return;
	for (size_t i = 0; i < kpi->n; i++)
		mms_indicator_free(&kpi->ind[i]);
	mms_free(kpi->ind);
	for (int i = 0; i < ENV_COUNT; i++) {
		mms_free(kpi->env_start[i]);
		mms_free(kpi->env_ids[i]);
	}
	mms_free(kpi->latest);
	mms_timeline_free(&kpi->timeline);
	mms_programmes_free(kpi);
	mms_free(kpi);
}

size_t mms_kpi_count(const mms_kpi *kpi) { return kpi ? kpi->n : 0; }

const char *mms_kpi_id(const mms_kpi *kpi, size_t i)
{
	return kpi && i < kpi->n ? kpi->ind[i].id : NULL;
}

const char *mms_kpi_attr(const mms_kpi *kpi, const char *id, const char *attr)
{
	const indicator *d = kpi ? mms_kpi_find(kpi, id) : NULL;
	if (!d || !attr)
		return NULL;
	if (!strcmp(attr, "name_ru")) return d->name_ru;
	if (!strcmp(attr, "name_en")) return d->name_en;
	if (!strcmp(attr, "source")) return d->source;
	if (!strcmp(attr, "unit")) return d->unit;
	if (!strcmp(attr, "filter")) return d->filter_text;
	if (!strcmp(attr, "numerator")) return d->num_text;
	if (!strcmp(attr, "denominator")) return d->den_text;
	if (!strcmp(attr, "kind")) return mms_kpi_kind_names[d->kind];
	if (!strcmp(attr, "population")) return pop_keys[d->pop];
	if (!strcmp(attr, "direction")) return directions[d->direction];
	if (!strcmp(attr, "aggregation")) return mms_kpi_agg_names[d->agg];
	if (!strcmp(attr, "period")) return periods[d->period];
	if (!strcmp(attr, "fact")) return d->fact;
	if (!strcmp(attr, "counts")) return d->pop == POP_STAFF ? counts_names[d->counts] : NULL;
	return NULL;
}
