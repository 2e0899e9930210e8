/* `mms kpi`: indicator values for a unit over years, as a table for the
 * terminal or as JSON or CSV for machines. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

typedef struct kpi_args {
	const char *db, *unit, *format, *ids, *defs, *output;
	int from, to;
} kpi_args;

/* An undefined value is an empty cell, never 0 or "nan". */
static void print_number(FILE *f, int defined, double v)
{
	if (defined)
		fprintf(f, "%.2f", v);
}

static int emit_row(const char *fmt, const char *id, const char *name, int year,
		    const mms_kpi_result *r, json_object *arr)
{
	if (!strcmp(fmt, "json")) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "indicator", json_object_new_string(id));
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
		printf(",%s,%s,%s\n", mms_kpi_status_name(r->status), r->aggregation,
		       r->band ? r->band : "");
		return MMS_OK;
	}
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
	    (xlsx != !!a->output) ||
	    (strcmp(a->format, "table") && strcmp(a->format, "json") && strcmp(a->format, "csv") &&
	     !xlsx))
		return EXIT_USAGE;
	return EXIT_OK;
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
	mms_report *rep = NULL;
	int32_t unit;
	int rc = tool_unit(db, a.unit, &unit);
	if (rc != MMS_OK)
		tool_fail(db, rc, a.unit);
	else if ((rc = mms_kpi_open(&kpi, db)) != MMS_OK)
		fprintf(stderr, "mms: kpi: %s\n", mms_kpi_errmsg(kpi));
	if (rc == MMS_OK && a.defs && (rc = mms_kpi_load(kpi, a.defs, &rep)) != MMS_OK) {
		for (size_t i = 0; i < mms_report_count(rep); i++)
			fprintf(stderr, "%s\n", mms_report_message(rep, i));
		if (!mms_report_count(rep))
			fprintf(stderr, "mms: kpi: %s\n", mms_kpi_errmsg(kpi));
	}
	if (rc == MMS_OK && a.output) {
		mms_kpi_report_options o = MMS_KPI_REPORT_OPTIONS_INIT;
		o.unit = unit;
		o.from = a.from;
		o.to = a.to;
		o.indicators = a.ids;
		if ((rc = mms_kpi_report_xlsx(kpi, a.output, &o)) != MMS_OK)
			fprintf(stderr, "mms: kpi: %s\n", mms_kpi_errmsg(kpi));
		else
			printf("wrote %s\n", a.output);
		mms_report_free(rep);
		mms_kpi_close(kpi);
		mms_db_close(db);
		return tool_exit_code(rc);
	}
	json_object *arr = !strcmp(a.format, "json") ? json_object_new_array() : NULL;
	if (rc == MMS_OK && !strcmp(a.format, "csv"))
		printf("indicator,year,value,numerator,denominator,target,status,aggregation,band\n");
	if (rc == MMS_OK && !strcmp(a.format, "table"))
		printf("%-28s %4s %9s %15s %8s  %s\n", "indicator", "year", "value", "num/den",
		       "target", "status");
	/* the ids asked for, in the order given, or the whole catalogue */
	char *list = a.ids ? strdup(a.ids) : NULL;
	char *save = NULL, *next_id = list ? strtok_r(list, ",", &save) : NULL;
	for (size_t i = 0; rc == MMS_OK && (list ? next_id != NULL : i < mms_kpi_count(kpi)); i++) {
		const char *id = list ? next_id : mms_kpi_id(kpi, i);
		for (int y = a.from; rc == MMS_OK && y <= a.to; y++) {
			mms_kpi_result r = MMS_KPI_RESULT_INIT;
			rc = mms_kpi_value(kpi, id, unit, y, &r);
			if (rc == MMS_OK)
				rc = emit_row(a.format, id, mms_kpi_attr(kpi, id, "name_ru"), y, &r, arr);
			else
				fprintf(stderr, "mms: kpi: %s\n", mms_kpi_errmsg(kpi));
		}
		if (list)
			next_id = strtok_r(NULL, ",", &save);
	}
	free(list);
	if (rc == MMS_OK && arr)
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	mms_report_free(rep);
	mms_kpi_close(kpi);
	mms_db_close(db);
	return tool_exit_code(rc);
}
