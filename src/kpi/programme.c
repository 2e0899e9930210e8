/*
 * Programmes (docs/indicators.md, "Programmes"): a municipal development
 * programme, a regional project or the ЦНППМ recommendations as data — the
 * criteria grouping its indicators, the target trajectories it sets for
 * them, its stages and its parameters — and the rule of which programme
 * judges a unit: the ones adopted (records of the database) over it.
 * Definitions are read all or nothing per file; an indicator a programme
 * names must be in the catalogue already.
 */
#include <dirent.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "kpi.h"
#include "mms/programme.h"

static void prog_free(programme *p)
{
	char **texts[] = {&p->id, &p->name_ru, &p->name_en, &p->source, &p->owner_level,
			  &p->owner_kind, &p->params_text};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		mms_free(*texts[i]);
	for (int i = 0; i < p->nstages; i++) {
		mms_free(p->stages[i].name_ru);
		mms_free(p->stages[i].from);
		mms_free(p->stages[i].to);
	}
	mms_free(p->stages);
	for (int i = 0; i < p->ncrit; i++) {
		for (int j = 0; j < p->crit[i].nind; j++)
			mms_free(p->crit[i].ind[j]);
		mms_free(p->crit[i].ind);
		mms_free(p->crit[i].id);
		mms_free(p->crit[i].name_ru);
	}
	mms_free(p->crit);
	for (int i = 0; i < p->nparams; i++)
		mms_free(p->params[i].name);
	mms_free(p->params);
	for (int i = 0; i < p->ntargets; i++)
		mms_free(p->targets[i].indicator);
	mms_free(p->targets);
	for (int i = 0; i < p->ntasks; i++) {
		mms_free(p->task_ind[i]);
		mms_free(p->task_plan[i]);
	}
	mms_free(p->task_ind);
	mms_free(p->task_plan);
	memset(p, 0, sizeof *p);
}

void mms_programmes_free(mms_kpi *kpi)
{
	for (size_t i = 0; i < kpi->nprog; i++)
		prog_free(&kpi->prog[i]);
	mms_free(kpi->prog);
	kpi->prog = NULL;
	kpi->nprog = kpi->prog_cap = 0;
}

/* Reading one definition; problems go to the report at their JSON pointer
 * (defs.c); kpi, to find the indicators named. */
typedef struct preader {
	defs_reader d; /* first: a preader is read as a defs_reader */
	mms_kpi *kpi;
} preader;

static void problem(preader *r, int rc, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(preader *r, int rc, const char *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mms_defs_vproblem(&r->d, rc, at, fmt, ap);
	va_end(ap);
}

static char *text(preader *r, json_object *o, const char *key, const char *at, int required)
{
	return mms_defs_text(&r->d, o, key, at, required);
}

static int year_of(preader *r, json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v)) {
		problem(r, MMS_EMISSING, key, "is required");
		return 0;
	}
	int y = json_object_get_int(v);
	if (!json_object_is_type(v, json_type_int) || y < 1900 || y > 2100) {
		problem(r, MMS_ERANGE, key, "must be a year 1900..2100, not %s",
			json_object_to_json_string(v));
		return 0;
	}
	return y;
}

/* The array under key, or NULL (a problem unless it may be absent). */
static json_object *array(preader *r, json_object *o, const char *key, int required)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v)) {
		if (required)
			problem(r, MMS_EMISSING, key, "is required");
		return NULL;
	}
	if (!json_object_is_type(v, json_type_array) || !json_object_array_length(v)) {
		problem(r, MMS_ETYPE, key, "must be a non-empty array");
		return NULL;
	}
	return v;
}

static void read_stages(preader *r, programme *p, json_object *o)
{
	json_object *list = array(r, o, "stages", 0);
	size_t n = list ? json_object_array_length(list) : 0;
	if (n && !(p->stages = mms_calloc(n, sizeof *p->stages))) {
		r->d.rc = MMS_ENOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(list, i);
		char at[40];
		snprintf(at, sizeof at, "stages/%zu", i);
		prog_stage *st = &p->stages[p->nstages++];
		st->name_ru = text(r, s, "name_ru", at, 1);
		st->from = text(r, s, "from", at, 1);
		st->to = text(r, s, "to", at, 1);
		int32_t from, to;
		if (st->from && st->to &&
		    (mms_date_parse(st->from, &from) != MMS_OK ||
		     mms_date_parse(st->to, &to) != MMS_OK || from > to))
			problem(r, MMS_ERANGE, at, "from \"%s\" and to \"%s\" must be dates "
				"YYYY-MM-DD, from not after to", st->from, st->to);
	}
}

/* Whether the catalogue holds id, and programme p lists it. */
static int lists(const mms_kpi *kpi, const programme *p, const char *id)
{
	const indicator *d = mms_kpi_find(kpi, id);
	for (int i = 0; d && i < p->ncrit; i++)
		for (int j = 0; j < p->crit[i].nind; j++)
			if (mms_kpi_find(kpi, p->crit[i].ind[j]) == d)
				return 1;
	return 0;
}

static void read_criteria(preader *r, programme *p, json_object *o)
{
	json_object *list = array(r, o, "criteria", 1);
	size_t n = list ? json_object_array_length(list) : 0;
	if (n && !(p->crit = mms_calloc(n, sizeof *p->crit))) {
		r->d.rc = MMS_ENOMEM;
		return;
	}
	for (size_t i = 0; i < n && r->d.rc != MMS_ENOMEM; i++) {
		json_object *c = json_object_array_get_idx(list, i), *ids;
		char at[80];
		snprintf(at, sizeof at, "criteria/%zu", i);
		prog_criterion *cr = &p->crit[p->ncrit++];
		cr->id = text(r, c, "id", at, 1);
		cr->name_ru = text(r, c, "name_ru", at, 1);
		size_t m = json_object_object_get_ex(c, "indicators", &ids) &&
				   json_object_is_type(ids, json_type_array)
			       ? json_object_array_length(ids) : 0;
		if (!m) {
			problem(r, MMS_ETYPE, at, "needs \"indicators\": a non-empty array of ids");
			continue;
		}
		if (!(cr->ind = mms_calloc(m, sizeof *cr->ind))) {
			r->d.rc = MMS_ENOMEM;
			return;
		}
		for (size_t j = 0; j < m; j++) {
			const char *id = json_object_get_string(json_object_array_get_idx(ids, j));
			snprintf(at, sizeof at, "criteria/%zu/indicators/%zu", i, j);
			if (!id || !mms_kpi_find(r->kpi, id)) {
				problem(r, MMS_EREF, at, "no indicator \"%.200s\" in the catalogue",
					id ? id : "(not a string)");
			} else if (lists(r->kpi, p, id)) {
				problem(r, MMS_EDUP, at, "\"%.200s\" is listed twice", id);
			} else if (!(cr->ind[cr->nind++] = mms_strdup(id))) {
				r->d.rc = MMS_ENOMEM;
				return;
			}
		}
	}
}

/* "targets": {"indicator": {"year": value}} for indicators it lists. */
static void read_targets(preader *r, programme *p, json_object *o)
{
	json_object *t;
	if (!json_object_object_get_ex(o, "targets", &t))
		return;
	size_t n = json_object_is_type(t, json_type_object) ? (size_t)json_object_object_length(t)
							     : 0;
	if (!json_object_is_type(t, json_type_object)) {
		problem(r, MMS_ETYPE, "targets", "must be an object of indicator: {year: value}");
		return;
	}
	if (n && !(p->targets = mms_calloc(n, sizeof *p->targets))) {
		r->d.rc = MMS_ENOMEM;
		return;
	}
	json_object_object_foreach(t, id, years) {
		char at[260];
		snprintf(at, sizeof at, "targets/%.200s", id);
		if (!lists(r->kpi, p, id)) {
			problem(r, MMS_EREF, at, "the programme's criteria do not list \"%.200s\"", id);
			continue;
		}
		if (mms_programme_trajectory(p, mms_kpi_find(r->kpi, id))) {
			problem(r, MMS_EDUP, at, "a second trajectory of \"%.200s\" (an alias?)", id);
			continue;
		}
		if (!json_object_is_type(years, json_type_object)) {
			problem(r, MMS_ETYPE, at, "must be an object of year: value");
			continue;
		}
		trajectory *tr = &p->targets[p->ntargets++];
		if (!(tr->indicator = mms_strdup(id))) {
			r->d.rc = MMS_ENOMEM;
			return;
		}
		json_object_object_foreach(years, year, val) {
			char *end;
			long y = strtol(year, &end, 10);
			double v = json_object_get_double(val);
			if (*end || y < p->first || y > p->last || tr->n >= 32)
				problem(r, MMS_ERANGE, at, "\"%s\" is not a year of the programme "
					"(%d..%d)", year, p->first, p->last);
			else if (!(json_object_is_type(val, json_type_int) ||
				   json_object_is_type(val, json_type_double)) || !isfinite(v))
				problem(r, MMS_ETYPE, at, "the target of %ld must be a number", y);
			else {
				tr->years[tr->n] = (int)y;
				tr->values[tr->n++] = v;
			}
		}
	}
}

/* Whether some indicator the programme lists declares parameter name. */
static int declared(const mms_kpi *kpi, const programme *p, const char *name)
{
	for (int i = 0; i < p->ncrit; i++)
		for (int j = 0; j < p->crit[i].nind; j++) {
			const indicator *d = mms_kpi_find(kpi, p->crit[i].ind[j]);
			for (int k = 0; d && k < d->nparams; k++)
				if (!strcmp(d->params[k].name, name))
					return 1;
		}
	return 0;
}

/* "parameters": {"name": number}: values of parameters its indicators
 * declare (the score from which an answer is "satisfied"). */
typedef struct param_ctx {
	const mms_kpi *kpi;
	const programme *p;
} param_ctx;

static int declared_name(const void *ctx, const char *key, char *why, size_t len)
{
	const param_ctx *c = ctx;
	if (declared(c->kpi, c->p, key))
		return MMS_OK;
	snprintf(why, len, "no indicator of the programme declares the parameter \"%.100s\"", key);
	return MMS_EREF;
}

static void read_parameters(preader *r, programme *p, json_object *o)
{
	param_ctx ctx = {r->kpi, p};
	json_object *ps = mms_defs_parameters(&r->d, o, declared_name, &ctx, &p->params,
					      &p->nparams);
	if (ps && !(p->params_text = mms_strdup(json_object_to_json_string_ext(ps,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE))))
		r->d.rc = MMS_ENOMEM;
}

/* "from_tasks": {"indicator": "plan"}: indicators it computes as the share
 * of the plan's tasks done on time (tasks.c), not by their formulas. */
static void read_from_tasks(preader *r, programme *p, json_object *o)
{
	json_object *t;
	if (!json_object_object_get_ex(o, "from_tasks", &t))
		return;
	size_t n = json_object_is_type(t, json_type_object) ? (size_t)json_object_object_length(t)
							     : 0;
	if (!json_object_is_type(t, json_type_object)) {
		problem(r, MMS_ETYPE, "from_tasks", "must be an object of indicator: plan");
		return;
	}
	if (n && (!(p->task_ind = mms_calloc(n, sizeof *p->task_ind)) ||
		  !(p->task_plan = mms_calloc(n, sizeof *p->task_plan)))) {
		r->d.rc = MMS_ENOMEM;
		return;
	}
	json_object_object_foreach(t, id, plan) {
		char at[260];
		snprintf(at, sizeof at, "from_tasks/%.200s", id);
		if (!lists(r->kpi, p, id))
			problem(r, MMS_EREF, at, "the programme's criteria do not list \"%.200s\"", id);
		else if (!json_object_is_type(plan, json_type_string) || !json_object_get_string_len(plan))
			problem(r, MMS_ETYPE, at, "must name a plan of tasks (a non-empty string)");
		else {
			int k = p->ntasks++; /* freed whole or in part by prog_free() */
			p->task_ind[k] = mms_strdup(id);
			p->task_plan[k] = mms_strdup(json_object_get_string(plan));
			if (!p->task_ind[k] || !p->task_plan[k])
				r->d.rc = MMS_ENOMEM;
		}
	}
}

const char *mms_programme_task_plan(const programme *p, const indicator *d)
{
	for (int i = 0; p && i < p->ntasks; i++)
		if (mms_indicator_named(d, p->task_ind[i]))
			return p->task_plan[i];
	return NULL;
}

static void read_one(preader *r, programme *p, json_object *o)
{
	static const char *const known[] = {"id", "name_ru", "name_en", "source", "owner_level",
					    "owner_kind", "first_year", "last_year", "stages",
					    "parameters", "criteria", "targets", "note", "from_tasks"};
	if (!mms_defs_object(&r->d, o, "a programme", known, sizeof known / sizeof *known))
		return;
	p->id = text(r, o, "id", NULL, 1);
	p->name_ru = text(r, o, "name_ru", NULL, 1);
	p->name_en = text(r, o, "name_en", NULL, 0);
	p->source = text(r, o, "source", NULL, 0);
	p->owner_level = text(r, o, "owner_level", NULL, 0);
	p->owner_kind = text(r, o, "owner_kind", NULL, 0);
	p->level = p->owner_level ? mms_enum_find(E_LEVEL, p->owner_level) : LV_SUBUNIT;
	if (p->level < 0)
		problem(r, MMS_ETYPE, "owner_level", "\"%.60s\" is not a level (federal, regional, "
			"municipal, institutional, subunit)", p->owner_level);
	if (p->owner_kind && mms_enum_find(E_UNIT_KIND, p->owner_kind) < 0)
		problem(r, MMS_ETYPE, "owner_kind", "\"%.60s\" is not a kind of unit",
			p->owner_kind);
	p->first = year_of(r, o, "first_year");
	p->last = year_of(r, o, "last_year");
	if (p->first && p->last && p->first > p->last)
		problem(r, MMS_ERANGE, "last_year", "%d is before first_year %d", p->last, p->first);
	snprintf(p->first_text, sizeof p->first_text, "%d", p->first);
	snprintf(p->last_text, sizeof p->last_text, "%d", p->last);
	read_stages(r, p, o);
	read_criteria(r, p, o);
	read_targets(r, p, o);
	read_parameters(r, p, o);
	read_from_tasks(r, p, o);
}

static programme *find(const mms_kpi *kpi, const char *id)
{
	for (size_t i = 0; kpi && id && i < kpi->nprog; i++)
		if (!strcmp(kpi->prog[i].id, id))
			return &kpi->prog[i];
	return NULL;
}

const programme *mms_programme_find(const mms_kpi *kpi, const char *id)
{
	return find(kpi, id);
}

/* The value a programme gives parameter name of d, if it lists d and sets it. */
static int param_of(const mms_kpi *kpi, const programme *p, const indicator *d,
		    const char *name, double *out)
{
	if (!lists(kpi, p, d->id))
		return 0;
	for (int k = 0; k < p->nparams; k++)
		if (!strcmp(p->params[k].name, name)) {
			*out = p->params[k].value;
			return 1;
		}
	return 0;
}

/* An indicator two programmes give different values of one parameter is
 * refused: it would need two definitions, one per programme. */
static void check_parameters(preader *r, const programme *p, size_t i)
{
	for (int c = 0; c < p->ncrit; c++)
		for (int x = 0; x < p->crit[c].nind; x++) {
			const indicator *d = mms_kpi_find(r->kpi, p->crit[c].ind[x]);
			for (int k = 0; k < p->nparams; k++)
				for (size_t j = 0; j < r->kpi->nprog; j++) {
					const programme *o = &r->kpi->prog[j];
					double v;
					if (strcmp(o->id, p->id) &&
					    param_of(r->kpi, o, d, p->params[k].name, &v) &&
					    v != p->params[k].value) {
						r->d.index = i;
						problem(r, MMS_ERANGE, "parameters", "%s = %g for %s, but "
							"programme %s sets %g for it", p->params[k].name,
							p->params[k].value, d->id, o->id, v);
					}
				}
		}
}

/* Adds the read programmes (replacing same ids) and gives their parameters
 * to their indicators. */
static int merge(mms_kpi *kpi, programme *defs, size_t n, char *err, size_t errlen)
{
	if (mms_grow((void **)&kpi->prog, &kpi->prog_cap, kpi->nprog + n, sizeof *kpi->prog))
		return MMS_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		programme *old = find(kpi, defs[i].id);
		if (old)
			prog_free(old);
		else
			old = &kpi->prog[kpi->nprog++];
		*old = defs[i];
		memset(&defs[i], 0, sizeof defs[i]);
		for (int c = 0; c < old->ncrit; c++)
			for (int x = 0; old->nparams && x < old->crit[c].nind; x++) {
				int rc = mms_indicator_reparam(mms_kpi_find(kpi, old->crit[c].ind[x]),
							       old->params, old->nparams, err, errlen);
				if (rc != MMS_OK)
					return rc;
			}
	}
	return MMS_OK;
}

static int load_text(mms_kpi *kpi, const char *json, const char *name, mms_report *rep)
{
	json_object *root, *list;
	int rc = mms_defs_root(kpi, rep, json, name, "programmes", &root, &list);
	if (rc != MMS_OK)
		return rc;
	size_t n = json_object_array_length(list);
	programme *defs = mms_calloc(n ? n : 1, sizeof *defs);
	preader r = {{rep, name, 0, defs ? MMS_OK : MMS_ENOMEM, "programmes"}, kpi};
	for (size_t i = 0; i < n && r.d.rc != MMS_ENOMEM; i++) {
		r.d.index = i;
		read_one(&r, &defs[i], json_object_array_get_idx(list, i));
		for (size_t j = 0; j < i && defs[i].id; j++)
			if (defs[j].id && !strcmp(defs[j].id, defs[i].id))
				problem(&r, MMS_EDUP, "id", "\"%s\" is defined twice", defs[i].id);
		if (r.d.rc == MMS_OK)
			check_parameters(&r, &defs[i], i);
	}
	json_object_put(root);
	char err[300] = "";
	rc = r.d.rc != MMS_OK ? r.d.rc : rep->failed ? MMS_ENOMEM : merge(kpi, defs, n, err, sizeof err);
	for (size_t i = 0; defs && i < n; i++)
		prog_free(&defs[i]);
	mms_free(defs);
	if (rc == MMS_ENOMEM)
		return mms_kpi_fail(kpi, rc, "out of memory");
	if (rc != MMS_OK && r.d.rc == MMS_OK)
		return mms_kpi_fail(kpi, rc, "%s: %s", name, err);
	if (rc != MMS_OK)
		mms_kpi_fail(kpi, rc, "%s%s", mms_report_message(rep, 0),
			     mms_report_count(rep) > 1 ? " (and more problems)" : "");
	return rc;
}

int mms_programmes_load_builtin(mms_kpi *kpi)
{
	for (const builtin_file *f = mms_builtin_programmes; f->name; f++) {
		mms_report *rep = mms_report_new();
		int rc = rep ? load_text(kpi, f->json, f->name, rep) : MMS_ENOMEM;
		mms_report_free(rep);
		if (rc != MMS_OK)
			return rc; /* a built-in file only fails for lack of memory */
	}
	return MMS_OK;
}

int mms_programme_load_json(mms_kpi *kpi, const char *json, const char *name,
			    mms_report **out)
{
	if (out)
		*out = NULL;
	if (!kpi || !json)
		return MMS_EINVAL;
	mms_report *rep = mms_report_new();
	if (!rep)
		return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory");
	int rc = load_text(kpi, json, name ? name : "json", rep);
	if (out)
		*out = rep;
	else
		mms_report_free(rep);
	return rc;
}

int mms_programme_load(mms_kpi *kpi, const char *path, mms_report **out)
{
	if (out)
		*out = NULL;
	if (!kpi || !path)
		return MMS_EINVAL;
	char *json = NULL;
	size_t len;
	int rc = mms_read_file(path, &json, &len);
	if (rc == MMS_ENOMEM)
		return mms_kpi_fail(kpi, rc, "out of memory");
	if (rc != MMS_OK)
		return mms_kpi_fail(kpi, MMS_EIO, "%s: cannot be read", path);
	const char *base = strrchr(path, '/');
	rc = mms_programme_load_json(kpi, json, base ? base + 1 : path, out);
	mms_free(json);
	return rc;
}

size_t mms_programme_count(const mms_kpi *kpi) { return kpi ? kpi->nprog : 0; }

const char *mms_programme_id(const mms_kpi *kpi, size_t i)
{
	return kpi && i < kpi->nprog ? kpi->prog[i].id : NULL;
}

const char *mms_programme_attr(const mms_kpi *kpi, const char *id, const char *attr)
{
	const programme *p = find(kpi, id);
	if (!p || !attr)
		return NULL;
	if (!strcmp(attr, "name_ru")) return p->name_ru;
	if (!strcmp(attr, "name_en")) return p->name_en;
	if (!strcmp(attr, "source")) return p->source;
	if (!strcmp(attr, "owner_level")) return p->owner_level;
	if (!strcmp(attr, "owner_kind")) return p->owner_kind;
	if (!strcmp(attr, "first_year")) return p->first_text;
	if (!strcmp(attr, "last_year")) return p->last_text;
	if (!strcmp(attr, "parameters")) return p->params_text ? p->params_text : "{}";
	return NULL;
}

size_t mms_programme_stage_count(const mms_kpi *kpi, const char *id)
{
	const programme *p = find(kpi, id);
	return p ? (size_t)p->nstages : 0;
}

const char *mms_programme_stage_attr(const mms_kpi *kpi, const char *id, size_t i,
				     const char *attr)
{
	const programme *p = find(kpi, id);
	if (!p || i >= (size_t)p->nstages || !attr)
		return NULL;
	if (!strcmp(attr, "name_ru")) return p->stages[i].name_ru;
	if (!strcmp(attr, "from")) return p->stages[i].from;
	if (!strcmp(attr, "to")) return p->stages[i].to;
	return NULL;
}

size_t mms_programme_criterion_count(const mms_kpi *kpi, const char *id)
{
	const programme *p = find(kpi, id);
	return p ? (size_t)p->ncrit : 0;
}

const char *mms_programme_criterion_attr(const mms_kpi *kpi, const char *id, size_t i,
					 const char *attr)
{
	const programme *p = find(kpi, id);
	if (!p || i >= (size_t)p->ncrit || !attr)
		return NULL;
	if (!strcmp(attr, "id")) return p->crit[i].id;
	if (!strcmp(attr, "name_ru")) return p->crit[i].name_ru;
	return NULL;
}

size_t mms_programme_criterion_size(const mms_kpi *kpi, const char *id, size_t i)
{
	const programme *p = find(kpi, id);
	return p && i < (size_t)p->ncrit ? (size_t)p->crit[i].nind : 0;
}

const char *mms_programme_criterion_indicator(const mms_kpi *kpi, const char *id, size_t i,
					      size_t j)
{
	const programme *p = find(kpi, id);
	return p && i < (size_t)p->ncrit && j < (size_t)p->crit[i].nind ? p->crit[i].ind[j] : NULL;
}

const trajectory *mms_programme_trajectory(const programme *p, const indicator *d)
{
	for (int i = 0; p && i < p->ntargets; i++)
		if (mms_indicator_named(d, p->targets[i].indicator))
			return &p->targets[i];
	return NULL;
}

double mms_programme_target(const mms_kpi *kpi, const char *programme_id, const char *id,
			    int year)
{
	const programme *p = find(kpi, programme_id);
	const indicator *d = p ? mms_kpi_find(kpi, id) : NULL;
	const trajectory *t = d ? mms_programme_trajectory(p, d) : NULL;
	for (int i = 0; t && i < t->n; i++)
		if (t->years[i] == year)
			return t->values[i];
	return NAN;
}


/* Adoption k's programme if it covers unit in year, else NULL: the unit
 * is in the territory's subtree and, when judged, on the level of the
 * programme's owner or above it (the ЦНППМ's regional programme judges the
 * region, not its municipal services; Murom's, the municipality, not each
 * school — though a school's value still meets Murom's target). */
static const programme *adopted(const mms_kpi *kpi, int32_t k, int32_t unit, int year,
				int32_t day, int judged)
{
	const mms_model *m = &kpi->db->m;
	const int32_t *a = mms_row(m, MMS_PROGRAMME, k);
	const programme *p = find(kpi, mms_str(m, a[PG_DEFINITION]));
	if (!p || !mms_db_readable(kpi->db, MMS_PROGRAMME, k))
		return NULL;
	int first = a[PG_FIRST_YEAR] != MMS_NONE ? a[PG_FIRST_YEAR] : p->first;
	int last = a[PG_LAST_YEAR] != MMS_NONE ? a[PG_LAST_YEAR] : p->last;
	int level_ok = !judged || mms_row(m, MMS_UNIT, unit)[U_LEVEL] <= p->level;
	/* the territory's subtree as at day: a school re-subordinated in 2025
	 * is under its 2024 municipality's programme for 2024 */
	return year >= first && year <= last && level_ok &&
			       mms_within_at(&kpi->timeline, m, a[PG_TERRITORY], unit, day)
		       ? p
		       : NULL;
}

const programme *mms_programme_for(mms_kpi *kpi, const indicator *d, int32_t unit, int year)
{
	const mms_model *m = &kpi->db->m;
	size_t any = 0;
	int32_t start, end;
	mms_kpi_period(d, year, &start, &end);
	for (size_t k = 0; k < m->t[MMS_PROGRAMME].count; k++) {
		const programme *p = adopted(kpi, (int32_t)k, unit, year, end, 0);
		any += mms_db_readable(kpi->db, MMS_PROGRAMME, (int32_t)k);
		if (p && lists(kpi, p, d->id))
			return p;
	}
	/* today's behaviour without adoptions: the definition's own targets, if
	 * it has any (a user's), else the first programme that lists it */
	for (size_t i = 0; !any && !d->ntargets && i < kpi->nprog; i++)
		if (lists(kpi, &kpi->prog[i], d->id))
			return &kpi->prog[i];
	return NULL;
}

int mms_programme_applying(mms_kpi *kpi, int32_t unit, int year, size_t i, const char **out)
{
	if (!kpi || !out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = mms_db_ready_subtree(kpi->db, &unit);
	if (rc != MMS_OK)
		return mms_kpi_fail(kpi, rc, "%s", mms_db_errmsg(kpi->db));
	if ((rc = mms_kpi_ensure_env(kpi)) != MMS_OK) /* the timeline of territories */
		return rc;
	const mms_model *m = &kpi->db->m;
	for (size_t k = 0; k < m->t[MMS_PROGRAMME].count; k++) {
		const int32_t *a = mms_row(m, MMS_PROGRAMME, (int32_t)k);
		if (!mms_db_readable(kpi->db, MMS_PROGRAMME, (int32_t)k))
			continue;
		if (!find(kpi, mms_str(m, a[PG_DEFINITION])))
			return mms_kpi_fail(kpi, MMS_EREF, "programme %s: definition \"%.200s\" is "
					    "not loaded", mms_str(m, a[PG_CODE]),
					    mms_str(m, a[PG_DEFINITION]));
		/* judged as at the calendar year's end (no one indicator's period) */
		const programme *p =
			adopted(kpi, (int32_t)k, unit, year, mms_date_from_ymd(year, 12, 31), 1);
		if (p && i-- == 0) {
			*out = p->id;
			break;
		}
	}
	return MMS_OK;
}

int mms_programme_value(mms_kpi *kpi, const char *programme_id, const char *id, int32_t unit,
			int year, mms_kpi_result *out)
{
	if (!kpi || !programme_id || !id)
		return MMS_EINVAL;
	const programme *p = find(kpi, programme_id);
	if (!p)
		return mms_kpi_fail(kpi, MMS_ENOTFOUND, "no programme \"%.200s\"", programme_id);
	indicator *d = mms_kpi_find(kpi, id);
	if (!d || !lists(kpi, p, id))
		return mms_kpi_fail(kpi, MMS_ENOTFOUND, "programme %s lists no indicator \"%.200s\"",
				    p->id, id);
	return mms_kpi_value_in(kpi, p, d, unit, year, out);
}
