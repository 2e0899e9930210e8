/* `mms route`: build, batch, show, approve and progress individual routes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc - 1; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static int flag(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

static char *text(mms_db *db, int entity, int32_t id, const char *field)
{
	char *v = NULL;
	if (id < 0 || mms_db_get(db, entity, id, field, &v) != MMS_OK || !v) {
		mms_free(v);
		return NULL;
	}
	return v;
}

static void print_plan(mms_db *db, const mms_route_plan *p, int verbose)
{
	for (size_t r = 0; r < mms_route_plan_count(p); r++) {
		char *who = text(db, MMS_STAFF, mms_route_plan_staff(p, r), "code");
		char *tutor = text(db, MMS_STAFF, mms_route_plan_tutor(p, r), "code");
		int course;
		int hours = mms_route_plan_hours(p, r, &course);
		printf("%s: %zu step(s), %d h (%d h of courses), tutor %s", who ? who : "?",
		       mms_route_plan_steps(p, r), hours, course, tutor ? tutor : "none available");
		printf("%s\n", mms_route_plan_uncovered(p, r) ? ", NOT ALL DEFICITS COVERED" : "");
		for (size_t s = 0; verbose && s < mms_route_plan_steps(p, r); s++) {
			char *res = text(db, MMS_RESOURCE, mms_route_plan_step_resource(p, r, s), "code");
			printf("  %zu. %s: %s\n", s + 1, res ? res : "?", mms_route_plan_step_reason(p, r, s));
			mms_free(res);
		}
		for (size_t i = 0; verbose && i < mms_route_plan_deficits(p, r); i++) {
			char *c = text(db, MMS_COMPETENCY, mms_route_plan_deficit_competency(p, r, i), "code");
			const char *sug = mms_route_plan_deficit_suggestions(p, r, i);
			printf("  deficit %s: %g%%, %s -> %s%s%s\n", c ? c : "?",
			       mms_route_plan_deficit_score(p, r, i),
			       mms_severity_name(mms_route_plan_deficit_severity(p, r, i)),
			       mms_route_plan_deficit_consequence(p, r, i), *sug ? " " : "", sug);
			mms_free(c);
		}
		for (size_t u = 0; verbose && u < mms_route_plan_uncovered(p, r); u++) {
			char *c = text(db, MMS_COMPETENCY, mms_route_plan_uncovered_competency(p, r, u), "code");
			printf("  not covered %s: %s\n", c ? c : "?", mms_route_plan_uncovered_reason(p, r, u));
			mms_free(c);
		}
		mms_free(who);
		mms_free(tutor);
	}
}

/* The plan's steps by education level and main subject, as CSV (the demo
 * and `route batch --fit-table`): misfits must read 0. */
int tool_print_fit_table(mms_db *db, const mms_route_plan *p)
{
	char *table = NULL;
	int rc = mms_route_plan_fit_table(db, p, &table);
	if (rc == MMS_OK)
		fputs(table, stdout);
	mms_free(table);
	return rc;
}

/* A progress bar on stderr, only when it is a terminal. */
static void progress(size_t done, size_t total, void *payload)
{
	(void)payload;
	if (!isatty(2) || total == 0)
		return;
	int width = 40, filled = (int)(width * done / total);
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled, "########################################",
		width - filled, "", done, total);
	if (done == total)
		fputc('\n', stderr);
}

static int plan(int argc, char **argv, int batch)
{
	mms_db *db;
	if (argc < 1)
		return EXIT_USAGE;
	/* a plan only printed leaves the file as it is, even a read-only one */
	int open_code = tool_open(&db, argv[0], flag(argc, argv, "--save") ? TOOL_WRITE : TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
	o.as_of = opt(argc, argv, "--as-of");
	o.start = opt(argc, argv, "--start");
	o.end = opt(argc, argv, "--end");
	o.budget_hours = opt(argc, argv, "--budget") ? atoi(opt(argc, argv, "--budget")) : 0;
	o.format = opt(argc, argv, "--format");
	o.progress = progress;
	/* the region's bands and its choice for medium deficits (Р-201) */
	o.high_below = opt(argc, argv, "--high-below") ? atof(opt(argc, argv, "--high-below")) : 60;
	o.medium_up_to = opt(argc, argv, "--medium-up-to") ? atof(opt(argc, argv, "--medium-up-to")) : 80;
	o.medium_to_course = flag(argc, argv, "--medium-to-course");
	const char *developer = opt(argc, argv, "--developer"), *dunit = opt(argc, argv, "--developer-unit");
	o.developed_on = opt(argc, argv, "--developed-on");
	const char *who = argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
	mms_route_plan *p = NULL;
	int32_t id = -1;
	int rc = MMS_OK;
	if (developer)
		rc = mms_db_find(db, MMS_STAFF, developer, &o.developer);
	if (rc == MMS_OK && dunit)
		rc = mms_db_find(db, MMS_UNIT, dunit, &o.developer_unit);
	if (rc == MMS_OK && batch) {
		rc = tool_unit(db, who, &id);
		if (rc == MMS_OK)
			rc = mms_route_plan_batch(db, id, &o, &p);
	} else if (rc == MMS_OK && !who) {
		mms_db_close(db);
		return EXIT_USAGE;
	} else if (rc == MMS_OK && (rc = mms_db_find(db, MMS_STAFF, who, &id)) == MMS_OK) {
		rc = mms_route_plan_person(db, id, &o, &p);
	}
	if (rc == MMS_OK) {
		print_plan(db, p, !batch || flag(argc, argv, "--verbose"));
		if (batch) {
			size_t full = 0;
			for (size_t r = 0; r < mms_route_plan_count(p); r++)
				full += mms_route_plan_uncovered(p, r) == 0;
			printf("%zu route(s); %zu cover every deficit\n", mms_route_plan_count(p), full);
		}
	}
	if (rc == MMS_OK && flag(argc, argv, "--fit-table"))
		rc = tool_print_fit_table(db, p);
	if (rc == MMS_OK && flag(argc, argv, "--save")) {
		rc = mms_route_plan_save(db, p, opt(argc, argv, "--prefix"), NULL);
		if (rc == MMS_OK)
			printf("saved as draft route(s)\n");
	}
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, batch ? "route batch" : "route build");
	mms_route_plan_free(p);
	mms_db_close(db);
	return code;
}

static int show(int argc, char **argv)
{
	mms_db *db;
	if (argc < 2)
		return EXIT_USAGE;
	int open_code = tool_open(&db, argv[0], TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	int32_t route;
	const char *status;
	int rc = mms_db_find(db, MMS_ROUTE, argv[1], &route);
	if (rc == MMS_OK)
		rc = mms_route_status(db, route, &status);
	if (rc == MMS_OK) {
		char *staff = text(db, MMS_ROUTE, route, "staff"), *tutor = text(db, MMS_ROUTE, route, "tutor");
		printf("%s (%s): %s, tutor %s\n", argv[1], staff ? staff : "?", status,
		       tutor ? tutor : "none");
		mms_free(staff);
		mms_free(tutor);
		/* the bands it was built with: its deficits are judged by them */
		char *high = text(db, MMS_ROUTE, route, "high_below"),
		     *medium = text(db, MMS_ROUTE, route, "medium_up_to");
		printf("  deficit bands (Р-201): high below %s %%, medium up to %s %%\n",
		       high ? high : "60", medium ? medium : "80");
		mms_free(high);
		mms_free(medium);
		/* what it was built on: frozen with it, or recomputed for an older route */
		char *basis = NULL;
		int frozen = 0;
		rc = mms_route_basis(db, route, &basis, &frozen);
		if (rc == MMS_OK) {
			printf("  built on: %s\n", frozen ? "the deficits frozen when it was saved"
							 : "deficits recomputed at its start (saved "
							   "before the frozen basis)");
			/* rows after the header: competency,score,severity,consequence,session */
			for (char *row = strchr(basis, '\n'); row && row[1]; row = strchr(row + 1, '\n')) {
				char *end = strchr(row + 1, '\n');
				printf("  deficit %.*s\n", (int)(end ? end - row - 1 : (long)strlen(row + 1)),
				       row + 1);
			}
		}
		mms_free(basis);
	}
	if (rc == MMS_OK) {
		size_t n = 0;
		mms_db_count(db, MMS_ROUTE_STEP, &n);
		/* ids are not dense in what a handle reads: deleted steps keep
		 * theirs, so n counts the steps readable, not the ids */
		for (size_t s = 0, seen = 0; seen < n && s <= INT32_MAX; s++) {
			char *of = text(db, MMS_ROUTE_STEP, (int32_t)s, "route");
			seen += of != NULL;
			if (!of || strcmp(of, argv[1])) {
				mms_free(of);
				continue;
			}
			char *res = text(db, MMS_ROUTE_STEP, (int32_t)s, "resource");
			char *cov = text(db, MMS_ROUTE_STEP, (int32_t)s, "covers");
			const char *st = "?";
			mms_route_step_status(db, (int32_t)s, &st);
			printf("  step %zu: %s for %s: %s\n", s, res ? res : "?", cov ? cov : "-", st);
			mms_free(of);
			mms_free(res);
			mms_free(cov);
		}
	}
	const char *xlsx = opt(argc, argv, "--xlsx");
	if (rc == MMS_OK && xlsx && (rc = mms_route_report_xlsx(db, route, xlsx)) == MMS_OK)
		printf("wrote %s\n", xlsx);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, argv[1]);
	mms_db_close(db);
	return code;
}

/* approve: the route; progress: the route (--status) or one of its steps (--step). */
static int change(int argc, char **argv, const char *fixed)
{
	mms_db *db;
	const char *date = opt(argc, argv, "--date"), *status = fixed ? fixed : opt(argc, argv, "--status");
	const char *step = opt(argc, argv, "--step");
	if (argc < 2 || !date || !status)
		return EXIT_USAGE;
	int open_code = tool_open(&db, argv[0], TOOL_WRITE);
	if (open_code != EXIT_OK)
		return open_code;
	int32_t route;
	int rc = mms_db_find(db, MMS_ROUTE, argv[1], &route);
	if (rc == MMS_OK && step)
		rc = mms_route_step_set_status(db, atoi(step), status, date, opt(argc, argv, "--evidence"));
	else if (rc == MMS_OK)
		rc = mms_route_set_status(db, route, status, date, opt(argc, argv, "--evidence"));
	if (rc == MMS_OK)
		printf("%s%s%s: %s on %s\n", argv[1], step ? " step " : "", step ? step : "", status, date);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, argv[1]);
	mms_db_close(db);
	return code;
}

/* `route agree|approve DB ROUTE --by PERSON [--on DATE]`, `route acknowledge
 * DB ROUTE [--on DATE]`: the signatures of the route's current revision. An
 * approval also moves a draft route to "approved" on that date. */
static int sign(int argc, char **argv, int signature)
{
	mms_db *db;
	const char *by = opt(argc, argv, "--by"), *on = opt(argc, argv, "--on");
	if (argc < 2 || (signature != MMS_ROUTE_ACKNOWLEDGE && !by))
		return EXIT_USAGE;
	int open_code = tool_open(&db, argv[0], TOOL_WRITE);
	if (open_code != EXIT_OK)
		return open_code;
	int32_t route, person = -1;
	const char *status = NULL;
	int rc = mms_db_find(db, MMS_ROUTE, argv[1], &route);
	if (rc == MMS_OK && by)
		rc = mms_db_find(db, MMS_STAFF, by, &person);
	if (rc == MMS_OK)
		rc = mms_route_sign(db, route, signature, person, on);
	if (rc == MMS_OK && signature == MMS_ROUTE_APPROVE)
		rc = mms_route_status(db, route, &status);
	if (rc == MMS_OK && status && !strcmp(status, "draft")) {
		char *day = text(db, MMS_ROUTE, route, "approved_on");
		rc = day ? mms_route_set_status(db, route, "approved", day, opt(argc, argv, "--evidence"))
			 : MMS_ENOMEM;
		mms_free(day);
	}
	static const char *const done[] = {"agreed", "approved", "acknowledged"};
	if (rc == MMS_OK)
		printf("%s: %s%s%s\n", argv[1], done[signature], by ? " by " : "", by ? by : "");
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, argv[1]);
	mms_db_close(db);
	return code;
}

/* `route revise DB ROUTE [--by PERSON] [--on DATE] [--reason TEXT]`. */
static int revise(int argc, char **argv)
{
	mms_db *db;
	if (argc < 2)
		return EXIT_USAGE;
	int open_code = tool_open(&db, argv[0], TOOL_WRITE);
	if (open_code != EXIT_OK)
		return open_code;
	int32_t route, by = -1;
	int number = 0;
	const char *who = opt(argc, argv, "--by");
	int rc = mms_db_find(db, MMS_ROUTE, argv[1], &route);
	if (rc == MMS_OK && who)
		rc = mms_db_find(db, MMS_STAFF, who, &by);
	if (rc == MMS_OK)
		rc = mms_route_revise(db, route, by, opt(argc, argv, "--on"), opt(argc, argv, "--reason"),
				      &number);
	if (rc == MMS_OK)
		printf("%s: revision %d; agree, approve and acknowledge it again\n", argv[1], number);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, argv[1]);
	mms_db_close(db);
	return code;
}

/* `route map|tutors|federal|mentoring DB UNIT --year Y [--format csv|json]
 * [--table deficits|resources|tutors]`: the region's tables. */
static int region(int argc, char **argv, const char *what)
{
	mms_db *db;
	const char *year = opt(argc, argv, "--year"), *fmt = opt(argc, argv, "--format");
	const char *table = opt(argc, argv, "--table");
	int y = year ? atoi(year) : 0, federal = !strcmp(what, "federal");
	int format = fmt ? (!strcmp(fmt, "csv") ? MMS_FORMAT_CSV : !strcmp(fmt, "json") ? MMS_FORMAT_JSON : -1)
			 : federal ? MMS_FORMAT_JSON : MMS_FORMAT_CSV;
	/* the map as a workbook: its three tables as sheets */
	const char *xlsx = fmt && !strcmp(fmt, "xlsx") && !strcmp(what, "map") ? opt(argc, argv, "--output")
										: NULL;
	if (xlsx)
		format = MMS_FORMAT_JSON;
	static const char *const names[] = {"deficits", "resources", "tutors"};
	int which = !strcmp(what, "tutors") ? MMS_ROUTE_MAP_TUTORS
		    : format == MMS_FORMAT_JSON && !table ? MMS_ROUTE_MAP_ALL : MMS_ROUTE_MAP_DEFICITS;
	for (int i = 0; table && i < 3; i++)
		which = !strcmp(table, names[i]) ? i : which;
	if (argc < 2 || !year || y < 1 || format < 0 ||
	    (table && strcmp(table, names[which < 0 ? 0 : which])))
		return EXIT_USAGE;
	int open_code = tool_open(&db, argv[0], TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	int32_t unit;
	char *out = NULL;
	int rc = tool_unit(db, argv[1], &unit);
	if (rc == MMS_OK && xlsx && (rc = mms_route_map_xlsx(db, unit, y, xlsx)) == MMS_OK)
		printf("wrote %s\n", xlsx);
	else if (rc == MMS_OK && federal)
		rc = mms_route_federal(db, unit, y, format, &out);
	else if (rc == MMS_OK && !strcmp(what, "mentoring"))
		rc = mms_mentoring_schools(db, unit, y, format, &out);
	else if (rc == MMS_OK)
		rc = mms_route_map(db, unit, y, which, format, &out);
	if (rc == MMS_OK && out)
		fputs(out, stdout);
	mms_free(out);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, what);
	mms_db_close(db);
	return code;
}

/* `mms framework import-case DB FILE [--name N]`, `export-case DB NAME`. */
int cmd_framework(int argc, char **argv)
{
	if (argc < 3)
		return EXIT_USAGE;
	const char *sub = argv[0];
	mms_db *db;
	if (strcmp(sub, "import-case") && strcmp(sub, "export-case"))
		return EXIT_USAGE;
	int open_code = tool_open(&db, argv[1], strcmp(sub, "export-case") ? TOOL_CREATE : TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	int rc, told = 0; /* whether the report already said why */
	if (!strcmp(sub, "export-case")) {
		char *text = NULL;
		if ((rc = mms_framework_export_case(db, argv[2], &text)) == MMS_OK)
			printf("%s\n", text);
		mms_free(text);
	} else {
		FILE *f = fopen(argv[2], "rb");
		char *text = NULL;
		size_t len = 0;
		if (f) {
			fseek(f, 0, SEEK_END);
			len = (size_t)ftell(f);
			fseek(f, 0, SEEK_SET);
			text = malloc(len + 1);
			if (text && fread(text, 1, len, f) == len)
				text[len] = '\0';
			else {
				free(text);
				text = NULL;
			}
			fclose(f);
		}
		mms_report *rep = NULL;
		rc = text ? mms_framework_import_case(db, text, opt(argc, argv, "--name"), &rep) : MMS_EIO;
		for (size_t i = 0; i < mms_report_count(rep); i++, told = 1)
			fprintf(stderr, "%s\n", mms_report_message(rep, i));
		if (rc == MMS_OK)
			printf("%s: imported\n", argv[2]);
		mms_report_free(rep);
		free(text);
	}
	int code = rc == MMS_OK ? EXIT_OK : tool_exit_code(rc);
	if (rc == MMS_EIO)
		fprintf(stderr, "mms: %s: cannot be read\n", argv[2]);
	else if (rc != MMS_OK && !told) /* every refusal says why */
		tool_fail(db, rc, argv[2]);
	mms_db_close(db);
	return code;
}

/* Prints a table the library made (or says why it could not), frees it
 * and closes db: the end of every command that lists a table. */
static int print_table(mms_db *db, int rc, char *table, const char *what)
{
	if (rc == MMS_OK)
		fputs(table, stdout);
	mms_free(table);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, what);
	mms_db_close(db);
	return code;
}

/* `route list DB [--year YYYY]`: the routes per developer (a methodist of
 * the ЦНППМ or a municipal service, a school's deputy head), as CSV. */
static int list(int argc, char **argv)
{
	mms_db *db;
	if (argc < 1)
		return EXIT_USAGE;
	int open_code = tool_open(&db, argv[0], TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	const char *year = opt(argc, argv, "--year");
	int y = year ? atoi(year) : 0;
	if (year && (y < 1 || y > 9999)) {
		mms_db_close(db);
		return EXIT_USAGE;
	}
	char *table = NULL;
	int rc = mms_route_authorship_table(db, y, &table);
	return print_table(db, rc, table, "route list");
}

/* `route effect DB ROUTE | --by-resource [--as-of D]`: the change since a
 * route was built, per competency, or per resource over every route. */
static int effect(int argc, char **argv)
{
	mms_db *db;
	int by_resource = flag(argc, argv, "--by-resource");
	if (argc < 1 || (!by_resource && (argc < 2 || argv[1][0] == '-')))
		return EXIT_USAGE;
	int open_code = tool_open(&db, argv[0], TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	const char *as_of = opt(argc, argv, "--as-of");
	char *table = NULL;
	int32_t route;
	int rc = by_resource ? mms_route_change_by_resource(db, as_of, &table)
			     : mms_db_find(db, MMS_ROUTE, argv[1], &route);
	if (rc == MMS_OK && !by_resource)
		rc = mms_route_change(db, route, as_of, &table);
	return print_table(db, rc, table, "route effect");
}

int cmd_route(int argc, char **argv)
{
	if (argc < 1)
		return EXIT_USAGE;
	const char *sub = argv[0];
	argc--;
	argv++;
	if (!strcmp(sub, "build"))
		return plan(argc, argv, 0);
	if (!strcmp(sub, "batch"))
		return plan(argc, argv, 1);
	if (!strcmp(sub, "show"))
		return show(argc, argv);
	if (!strcmp(sub, "list"))
		return list(argc, argv);
	if (!strcmp(sub, "approve") && opt(argc, argv, "--by"))
		return sign(argc, argv, MMS_ROUTE_APPROVE);
	if (!strcmp(sub, "approve"))
		return change(argc, argv, "approved");
	if (!strcmp(sub, "agree"))
		return sign(argc, argv, MMS_ROUTE_AGREE);
	if (!strcmp(sub, "acknowledge"))
		return sign(argc, argv, MMS_ROUTE_ACKNOWLEDGE);
	if (!strcmp(sub, "revise"))
		return revise(argc, argv);
	if (!strcmp(sub, "map") || !strcmp(sub, "tutors") || !strcmp(sub, "federal") ||
	    !strcmp(sub, "mentoring"))
		return region(argc, argv, sub);
	if (!strcmp(sub, "progress"))
		return change(argc, argv, NULL);
	if (!strcmp(sub, "effect"))
		return effect(argc, argv);
	fprintf(stderr, "mms: route: unknown subcommand \"%s\"\n", sub);
	return EXIT_USAGE;
}
