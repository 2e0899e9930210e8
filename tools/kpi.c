/* `mms kpi`: indicator values for a unit over years, as a table for the
 * terminal or as JSON or CSV for machines. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

typedef struct kpi_args {
	const char *db, *unit, *format, *ids, *defs, *output, *programme, *programmes;
	int from, to;
} kpi_args;

/* Where a row stands: the programme and criterion it is listed under. */
typedef struct row_place {
	const char *unit, *programme, *criterion;
} row_place;

/* An undefined value is an empty cell, never 0 or "nan". */
static void print_number(FILE *f, int defined, double v)
{
	if (defined)
		fprintf(f, "%.2f", v);
}

static json_object *text_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static int emit_row(const char *fmt, const char *id, const char *name, int year,
		    const mms_kpi_result *r, const row_place *at, json_object *arr)
{
	if (!strcmp(fmt, "json")) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "indicator", json_object_new_string(id));
		json_object_object_add(o, "unit", json_object_new_string(at->unit));
		json_object_object_add(o, "programme", text_or_null(at->programme));
		json_object_object_add(o, "criterion", text_or_null(at->criterion));
		json_object_object_add(o, "defined", json_object_new_boolean(r->defined));
		json_object_object_add(o, "gap", r->defined && r->has_target
							? json_object_new_double(r->gap) : NULL);
		json_object_object_add(o, "name", json_object_new_string(name));
		json_object_object_add(o, "year", json_object_new_int(year));
		json_object_object_add(o, "value", r->defined ? json_object_new_double(r->value) : NULL);
		json_object_object_add(o, "numerator", json_object_new_double(r->numerator));
		json_object_object_add(o, "denominator", json_object_new_double(r->denominator));
		json_object_object_add(o, "target", r->has_target ? json_object_new_double(r->target) : NULL);
		json_object_object_add(o, "status", json_object_new_string(mms_kpi_status_name(r->status)));
		json_object_object_add(o, "aggregation", json_object_new_string(r->aggregation));
		json_object_object_add(o, "band", r->band ? json_object_new_string(r->band) : NULL);
		json_object_object_add(o, "as_of", json_object_new_string(r->as_of));
		return json_object_array_add(arr, o) == 0 ? MMS_OK : MMS_ENOMEM;
	}
	if (!strcmp(fmt, "csv")) {
		printf("%s,%d,", id, year);
		print_number(stdout, r->defined, r->value);
		printf(",%g,%g,", r->numerator, r->denominator);
		print_number(stdout, r->has_target, r->target);
		printf(",%s,%s,%s,", mms_kpi_status_name(r->status), r->aggregation,
		       r->band ? r->band : "");
		print_number(stdout, r->defined && r->has_target, r->gap);
		printf(",%s,%s,%s\n", at->unit, at->programme ? at->programme : "",
		       at->criterion ? at->criterion : "");
		return MMS_OK;
	}
	if (at->criterion)
		tool_print_padded(at->criterion, 11);
	printf("%-28s %4d ", id, year);
	if (r->defined)
		printf("%9.2f ", r->value);
	else
		printf("%9s ", "-");
	char nd[40];
	snprintf(nd, sizeof nd, "%g/%g", r->numerator, r->denominator);
	printf("%15s ", nd);
	if (r->has_target)
		printf("%8.2f  ", r->target);
	else
		printf("%8s  ", "-");
	printf("%s\n", mms_kpi_status_name(r->status));
	return MMS_OK;
}

static int parse(int argc, char **argv, kpi_args *a)
{
	memset(a, 0, sizeof *a);
	a->format = "table";
	int pos = 0;
	for (int i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--year") && v) {
			a->from = a->to = atoi(v);
			i++;
		} else if (!strcmp(argv[i], "--from") && v) {
			a->from = atoi(v);
			i++;
		} else if (!strcmp(argv[i], "--to") && v) {
			a->to = atoi(v);
			i++;
		} else if (!strcmp(argv[i], "--format") && v) {
			a->format = v;
			i++;
		} else if (!strcmp(argv[i], "--indicators") && v) {
			a->ids = v;
			i++;
		} else if (!strcmp(argv[i], "--output") && v) {
			a->output = v;
			i++;
		} else if (!strcmp(argv[i], "--definitions") && v) {
			a->defs = v;
			i++;
		} else if (!strcmp(argv[i], "--programme") && v) {
			a->programme = v;
			i++;
		} else if (!strcmp(argv[i], "--programmes") && v) {
			a->programmes = v;
			i++;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "mms: kpi: unknown option %s\n", argv[i]);
			return EXIT_USAGE;
		} else if (pos == 0) {
			a->db = argv[i], pos++;
		} else if (pos == 1) {
			a->unit = argv[i], pos++;
		}
	}
	int xlsx = !strcmp(a->format, "xlsx");
	if (!a->db || !a->unit || a->from < 1900 || a->to < a->from || a->to > 2100 ||
	    (xlsx != !!a->output) || (a->programme && a->ids) ||
	    (strcmp(a->format, "table") && strcmp(a->format, "json") && strcmp(a->format, "csv") &&
	     !xlsx))
		return EXIT_USAGE;
	return EXIT_OK;
}

/* Whether programme prog is adopted over unit for year. */
static int applies(mms_kpi *kpi, int32_t unit, int year, const char *prog, int *yes)
{
	const char *p = NULL;
	int rc = MMS_OK;
	*yes = 0;
	for (size_t i = 0; rc == MMS_OK && !*yes; i++) {
		if ((rc = mms_programme_applying(kpi, unit, year, i, &p)) != MMS_OK || !p)
			break;
		*yes = !strcmp(p, prog);
	}
	return rc;
}

/* The rows of programme prog, criterion by criterion; with adopted_only,
 * only the years it is adopted over the unit. */
static int programme_rows(mms_kpi *kpi, const kpi_args *a, int32_t unit, const char *prog,
			  int adopted_only, json_object *arr)
{
	int rc = MMS_OK;
	for (size_t c = 0; rc == MMS_OK && c < mms_programme_criterion_count(kpi, prog); c++)
		for (size_t j = 0; rc == MMS_OK && j < mms_programme_criterion_size(kpi, prog, c); j++) {
			const char *id = mms_programme_criterion_indicator(kpi, prog, c, j);
			row_place at = {a->unit, prog, mms_programme_criterion_attr(kpi, prog, c, "id")};
			for (int y = a->from, yes = 1; rc == MMS_OK && y <= a->to; y++) {
				mms_kpi_result r = MMS_KPI_RESULT_INIT;
				if (adopted_only && ((rc = applies(kpi, unit, y, prog, &yes)) != MMS_OK || !yes))
					continue;
				if ((rc = mms_programme_value(kpi, prog, id, unit, y, &r)) == MMS_OK)
					rc = emit_row(a->format, id, mms_kpi_attr(kpi, id, "name_ru"), y, &r,
						      &at, arr);
			}
		}
	return rc;
}

/* The programmes adopted over unit in any of the years, each once, in the
 * order of their adoptions; and those rows. */
static int adopted_rows(mms_kpi *kpi, const kpi_args *a, int32_t unit, json_object *arr)
{
	const char *seen[64];
	size_t n = 0;
	int rc = MMS_OK;
	for (int y = a->from; rc == MMS_OK && y <= a->to; y++)
		for (size_t i = 0; rc == MMS_OK && n < 64; i++) {
			const char *p = NULL;
			if ((rc = mms_programme_applying(kpi, unit, y, i, &p)) != MMS_OK || !p)
				break;
			size_t k = 0;
			while (k < n && strcmp(seen[k], p))
				k++;
			if (k == n)
				seen[n++] = p;
		}
	for (size_t k = 0; rc == MMS_OK && k < n; k++)
		rc = programme_rows(kpi, a, unit, seen[k], 1, arr);
	return rc;
}

/* Rows of the ids asked for, in the order given, or of the whole catalogue. */
static int catalogue_rows(mms_kpi *kpi, const kpi_args *a, int32_t unit, json_object *arr)
{
	row_place at = {a->unit, NULL, NULL};
	char *list = a->ids ? strdup(a->ids) : NULL;
	char *save = NULL, *next_id = list ? strtok_r(list, ",", &save) : NULL;
	int rc = a->ids && !list ? MMS_ENOMEM : MMS_OK;
	for (size_t i = 0; rc == MMS_OK && (list ? next_id != NULL : i < mms_kpi_count(kpi)); i++) {
		const char *id = list ? next_id : mms_kpi_id(kpi, i);
		for (int y = a->from; rc == MMS_OK && y <= a->to; y++) {
			mms_kpi_result r = MMS_KPI_RESULT_INIT;
			rc = mms_kpi_value(kpi, id, unit, y, &r);
			if (rc == MMS_OK)
				rc = emit_row(a->format, id, mms_kpi_attr(kpi, id, "name_ru"), y, &r, &at,
					      arr);
		}
		if (list)
			next_id = strtok_r(NULL, ",", &save);
	}
	free(list);
	return rc;
}

/* Loads definitions of indicators or programmes, printing what is wrong. */
static int load_defs(mms_kpi *kpi, const char *path, int programmes)
{
	mms_report *rep = NULL;
	int rc = programmes ? mms_programme_load(kpi, path, &rep) : mms_kpi_load(kpi, path, &rep);
	for (size_t i = 0; rc != MMS_OK && i < mms_report_count(rep); i++)
		fprintf(stderr, "%s\n", mms_report_message(rep, i));
	if (rc != MMS_OK && !mms_report_count(rep))
		fprintf(stderr, "mms: kpi: %s\n", mms_kpi_errmsg(kpi));
	mms_report_free(rep);
	return rc;
}

int cmd_kpi(int argc, char **argv)
{
	kpi_args a;
	int code = parse(argc, argv, &a);
	if (code != EXIT_OK)
		return code;
	mms_db *db;
	int open_code = tool_open(&db, a.db, TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	mms_kpi *kpi = NULL;
	int32_t unit;
	int rc = tool_unit(db, a.unit, &unit);
	if (rc != MMS_OK)
		tool_fail(db, rc, a.unit);
	else if ((rc = mms_kpi_open(&kpi, db)) != MMS_OK)
		fprintf(stderr, "mms: kpi: %s\n", mms_kpi_errmsg(kpi));
	if (rc == MMS_OK && a.defs)
		rc = load_defs(kpi, a.defs, 0);
	if (rc == MMS_OK && a.programmes)
		rc = load_defs(kpi, a.programmes, 1);
	int known = rc != MMS_OK || !a.programme || mms_programme_attr(kpi, a.programme, "name_ru");
	if (!known) {
		fprintf(stderr, "mms: kpi: no programme \"%s\" (mms programme list)\n", a.programme);
		rc = MMS_ENOTFOUND;
	}
	if (rc == MMS_OK && a.output) {
		mms_kpi_report_options o = MMS_KPI_REPORT_OPTIONS_INIT;
		o.unit = unit;
		o.from = a.from;
		o.to = a.to;
		o.indicators = a.ids;
		o.programme = a.programme;
		if ((rc = mms_kpi_report_xlsx(kpi, a.output, &o)) != MMS_OK)
			fprintf(stderr, "mms: kpi: %s\n", mms_kpi_errmsg(kpi));
		else
			printf("wrote %s\n", a.output);
		mms_kpi_close(kpi);
		mms_db_close(db);
		return tool_exit_code(rc);
	}
	json_object *arr = !strcmp(a.format, "json") ? json_object_new_array() : NULL;
	int failed = rc != MMS_OK; /* already said why */
	if (rc == MMS_OK && !strcmp(a.format, "csv"))
		printf("indicator,year,value,numerator,denominator,target,status,aggregation,band,"
		       "gap,unit,programme,criterion\n");
	size_t adoptions = 0;
	if (rc == MMS_OK && !a.programme && !a.ids)
		rc = mms_db_count(db, MMS_PROGRAMME, &adoptions);
	if (rc == MMS_OK && !strcmp(a.format, "table"))
		printf("%s%-28s %4s %9s %15s %8s  %s\n", a.programme || adoptions ? "criterion  " : "",
		       "indicator", "year", "value", "num/den", "target", "status");
	/* a unit is judged against the programmes adopted over it; with none
	 * adopted in the database, against the whole catalogue */
	if (rc == MMS_OK)
		rc = a.programme ? programme_rows(kpi, &a, unit, a.programme, 0, arr)
		     : adoptions ? adopted_rows(kpi, &a, unit, arr)
				 : catalogue_rows(kpi, &a, unit, arr);
	if (rc != MMS_OK && !failed)
		fprintf(stderr, "mms: kpi: %s\n", mms_kpi_errmsg(kpi));
	if (rc == MMS_OK && arr)
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	mms_kpi_close(kpi);
	mms_db_close(db);
	return tool_exit_code(rc);
}
