/* `mms programme`: the programme definitions — built in and loaded with
 * --programmes — listed, or one shown with its criteria, indicators and
 * target trajectories. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

static void show(mms_kpi *kpi, const char *id)
{
	const char *attrs[] = {"name_ru", "name_en", "source", "owner_level", "owner_kind",
			       "first_year", "last_year", "parameters"};
	printf("%s\n", id);
	for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
		const char *v = mms_programme_attr(kpi, id, attrs[i]);
		if (v)
			printf("  %-12s %s\n", attrs[i], v);
	}
	for (size_t i = 0; i < mms_programme_stage_count(kpi, id); i++)
		printf("  stage %zu      %s .. %s  %s\n", i + 1,
		       mms_programme_stage_attr(kpi, id, i, "from"),
		       mms_programme_stage_attr(kpi, id, i, "to"),
		       mms_programme_stage_attr(kpi, id, i, "name_ru"));
	int first = 0, last = 0;
	sscanf(mms_programme_attr(kpi, id, "first_year"), "%d", &first);
	sscanf(mms_programme_attr(kpi, id, "last_year"), "%d", &last);
	for (size_t c = 0; c < mms_programme_criterion_count(kpi, id); c++) {
		printf("  %s  %s\n", mms_programme_criterion_attr(kpi, id, c, "id"),
		       mms_programme_criterion_attr(kpi, id, c, "name_ru"));
		for (size_t j = 0; j < mms_programme_criterion_size(kpi, id, c); j++) {
			const char *ind = mms_programme_criterion_indicator(kpi, id, c, j);
			printf("    %-28s %s\n", ind, mms_kpi_attr(kpi, ind, "name_ru"));
			printf("    %-28s", "");
			for (int y = first; y <= last; y++) {
				double t = mms_programme_target(kpi, id, ind, y);
				if (!isnan(t))
					printf(" %d: %g", y, t);
			}
			printf("\n");
		}
	}
}

int cmd_programme(int argc, char **argv)
{
	const char *sub = argv[0], *id = NULL, *defs = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--programmes") && i + 1 < argc)
			defs = argv[++i];
		else if (argv[i][0] != '-' && !id)
			id = argv[i];
	}
	int listing = !strcmp(sub, "list");
	if (listing == !!id)
		return EXIT_USAGE;
	mms_db *db = NULL;
	mms_kpi *kpi = NULL;
	mms_report *rep = NULL;
	int rc = mms_db_open(&db, ":memory:", NULL); /* definitions need no records */
	if (rc == MMS_OK)
		rc = mms_kpi_open(&kpi, db);
	if (rc == MMS_OK && defs && (rc = mms_programme_load(kpi, defs, &rep)) != MMS_OK)
		for (size_t i = 0; i < mms_report_count(rep); i++)
			fprintf(stderr, "%s\n", mms_report_message(rep, i));
	if (rc != MMS_OK && !mms_report_count(rep))
		fprintf(stderr, "mms: programme: %s\n", kpi ? mms_kpi_errmsg(kpi) : mms_errstr(rc));
	if (rc == MMS_OK && id && !mms_programme_attr(kpi, id, "name_ru")) {
		fprintf(stderr, "mms: programme: no programme \"%s\" (mms programme list)\n", id);
		rc = MMS_ENOTFOUND;
	}
	for (size_t i = 0; rc == MMS_OK && listing && i < mms_programme_count(kpi); i++) {
		const char *p = mms_programme_id(kpi, i);
		printf("%-16s %s-%s  %-9s %s\n", p, mms_programme_attr(kpi, p, "first_year"),
		       mms_programme_attr(kpi, p, "last_year"),
		       mms_programme_attr(kpi, p, "owner_level") ? mms_programme_attr(kpi, p, "owner_level")
								 : "",
		       mms_programme_attr(kpi, p, "name_ru"));
	}
	if (rc == MMS_OK && id)
		show(kpi, id);
	mms_report_free(rep);
	mms_kpi_close(kpi);
	mms_db_close(db);
	return tool_exit_code(rc);
}
