/*
 * mms — the command-line program of libmms: create, import, validate,
 * export, inspect and draw methodical networks, and run the demo.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"

int tool_exit_code(int rc)
{
	switch (rc) {
	case MMS_OK: return EXIT_OK;
	case MMS_EIO: case MMS_ECORRUPT: case MMS_EBUSY: case MMS_ENOMEM:
	case MMS_EVERSION: case MMS_ERROR: case MMS_EREADONLY:
		return EXIT_FAILURE_IO;
	case MMS_EINVAL: return EXIT_USAGE;
	case MMS_EACCES: return EXIT_REFUSED;
	default: return EXIT_INVALID;
	}
}

int tool_fail(mms_db *db, int rc, const char *what)
{
	const char *msg = db ? mms_db_errmsg(db) : "";
	size_t n = strlen(what);
	if (!strncmp(msg, what, n) && msg[n] == ':') /* the message names it already */
		fprintf(stderr, "mms: %s\n", msg);
	else
		fprintf(stderr, "mms: %s: %s\n", what, *msg ? msg : mms_errstr(rc));
	return tool_exit_code(rc);
}

/* The unit of --scope CODE, given before the command; NULL = none. */
static const char *scope;
/* A database this run created: a command that fails removes it, so that a
 * refused import into a new file leaves nothing behind. */
static const char *made;

void tool_remove_db(const char *path, int with_snapshot)
{
	static const char *const sides[] = {"", "-wal", "-shm", "-journal", "-snapshot"};
	char name[4200];
	for (size_t k = 0; k < sizeof sides / sizeof *sides - !with_snapshot; k++)
		if (snprintf(name, sizeof name, "%s%s", path, sides[k]) < (int)sizeof name)
			remove(name);
}

int tool_open(mms_db **db, const char *path, int mode)
{
	struct stat st;
	if (mode == TOOL_CREATE && strcmp(path, ":memory:") && stat(path, &st) != 0 &&
	    errno == ENOENT)
		made = path;
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	o.no_create = mode != TOOL_CREATE;
	o.read_only = mode == TOOL_READ;
	int rc = scope ? mms_db_open_scoped(db, path, &o, scope) : mms_db_open(db, path, &o);
	if (rc == MMS_OK)
		return EXIT_OK;
	tool_fail(*db, rc, path);
	mms_db_close(*db);
	*db = NULL;
	/* a scope naming no unit is a refused lookup, not a broken file */
	return rc == MMS_ENOTFOUND ? EXIT_INVALID : EXIT_FAILURE_IO;
}

void tool_print_padded(const char *s, int width)
{
	int chars = 0;
	for (const char *p = s; *p; p++)
		chars += (*p & 0xC0) != 0x80;
	printf("%s%*s", s, width > chars ? width - chars : 0, "");
}

int tool_unit(mms_db *db, const char *code, int32_t *out)
{
	*out = -1;
	return code ? mms_db_find(db, MMS_UNIT, code, out) : MMS_OK;
}

void tool_print_report(const mms_report *r)
{
	for (size_t i = 0; i < mms_report_count(r); i++)
		fprintf(stderr, "%s [%s]\n", mms_report_message(r, i),
			mms_errstr(mms_report_code(r, i)));
}

/* Options of the form --name or --name VALUE, after the positional args. */
static const char *opt_value(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc - 1; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static int opt_flag(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

/* Positional argument k (0-based), skipping options and their values. */
static const char *positional(int argc, char **argv, int k, const char *const *valued)
{
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			for (const char *const *v = valued; v && *v; v++)
				if (!strcmp(argv[i], *v))
					i++;
			continue;
		}
		if (k-- == 0)
			return argv[i];
	}
	return NULL;
}

/*
 * The options a command (or a subcommand of route and framework) accepts,
 * declared once in the tables below: space-separated names, those that take
 * a value marked with '=', followed by the value's kind when it is a number:
 * "--format= --dry-run --year=int --share=num --seed=uint". check_options()
 * is the one checker of every command line, run before anything is opened:
 * an unknown or misspelt option must never let the real operation run (a
 * misspelt --dry-run would import, a misspelt --pseudonymise would export
 * names in clear), so it is a usage error naming the option; so is a number
 * that is not one ("--step 1x" must not change step 1), which also keeps
 * the commands' atoi() and atof() within their range.
 */
typedef struct syntax {
	const char *sub, *options;
} syntax;

/* Whether name is one of the options; *kind is NULL for a flag, else the
 * kind of its value ("" for a text, "int", "num" or "uint"). */
static int option_known(const char *options, const char *name, const char **kind)
{
	size_t n = strlen(name);
	for (const char *p = options; *p;) {
		size_t len = strcspn(p, " "), nlen = strcspn(p, " =");
		if (nlen == n && !strncmp(p, name, n)) {
			*kind = nlen < len ? p + nlen + 1 : NULL;
			return 1;
		}
		p += len + (p[len] == ' ');
	}
	return 0;
}

/* Whether text, all of it, is a value of the kind (whose name ends at a
 * space or the end of the options). */
static int value_fits(const char *kind, const char *text)
{
	char *end = NULL;
	errno = 0;
	if (!strncmp(kind, "int", 3)) {
		long v = strtol(text, &end, 10);
		return end != text && !*end && !errno && v >= INT_MIN && v <= INT_MAX;
	}
	if (!strncmp(kind, "uint", 4)) {
		(void)strtoull(text, &end, 10);
		return end != text && !*end && !errno && text[0] >= '0' && text[0] <= '9';
	}
	if (!strncmp(kind, "num", 3)) {
		double v = strtod(text, &end);
		return end != text && !*end && isfinite(v);
	}
	return 1; /* a text */
}

/* Checks the arguments after the command against its options; counts the
 * positional ones ("-" is one: stdout). A value may not begin with "--", so
 * that "--format --dry-run" is a missing value, not a format. */
static int check_options(const char *cmd, const char *options, int argc, char **argv, int *npos)
{
	*npos = 0;
	for (int i = 0; i < argc; i++) {
		const char *kind = NULL;
		if (argv[i][0] != '-' || !argv[i][1]) {
			++*npos;
			continue;
		}
		if (!option_known(options, argv[i], &kind)) {
			fprintf(stderr, "mms %s: unknown option %s%s\n", cmd, argv[i],
				!strcmp(argv[i], "--scope") ? " (--scope goes before the command)" : "");
			return EXIT_USAGE;
		}
		if (!kind)
			continue;
		if (++i >= argc || !strncmp(argv[i], "--", 2)) {
			fprintf(stderr, "mms %s: %s needs a value\n", cmd, argv[i - 1]);
			return EXIT_USAGE;
		}
		if (!value_fits(kind, argv[i])) {
			fprintf(stderr, "mms %s: %s takes %s, not \"%.60s\"\n", cmd, argv[i - 1],
				*kind == 'n' ? "a number" : *kind == 'u' ? "a whole number from 0"
				: "a whole number", argv[i]);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

typedef struct command {
	const char *name, *usage, *help;
	int (*run)(int argc, char **argv);
	int min_args;
	const char *options;  /* what check_options() accepts */
	const syntax *subs;   /* or, for a command with subcommands, per subcommand */
} command;

#define PLAN_OPTIONS "--as-of= --start= --end= --budget=int --format= --prefix= --save --verbose --fit-table " \
	"--developer= --developer-unit= --developed-on= --high-below=num --medium-up-to=num --medium-to-course"
static const syntax route_subs[] = {
	{"build", PLAN_OPTIONS}, {"batch", PLAN_OPTIONS}, {"show", "--xlsx="}, {"list", "--year=int"},
	{"approve", "--date= --evidence= --by= --on="}, {"progress", "--step=int --status= --date= --evidence="},
	{"agree", "--by= --on="}, {"acknowledge", "--on="}, {"revise", "--by= --on= --reason="},
	{"map", "--year=int --format= --table= --output="}, {"tutors", "--year=int --format="},
	{"federal", "--year=int --format="}, {"mentoring", "--year=int --format="},
	{"effect", "--as-of= --by-resource"}, {NULL, NULL}};
static const syntax programme_subs[] = {{"list", "--programmes="}, {"show", "--programmes="},
					 {NULL, NULL}};
static const syntax framework_subs[] = {{"import-case", "--name="}, {"export-case", ""}, {NULL, NULL}};

static int cmd_init(int argc, char **argv)
{
	mms_db *db;
	(void)argc;
	int open_code = tool_open(&db, argv[0], TOOL_CREATE);
	if (open_code != EXIT_OK)
		return open_code;
	mms_db_close(db);
	printf("initialised %s\n", argv[0]);
	return EXIT_OK;
}

static int cmd_snapshot(int argc, char **argv)
{
	mms_db *db;
	(void)argc;
	int open_code = tool_open(&db, argv[0], TOOL_WRITE);
	if (open_code != EXIT_OK)
		return open_code;
	int rc = mms_db_snapshot(db);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, argv[0]);
	if (rc == MMS_OK)
		printf("wrote %s-snapshot\n", argv[0]);
	mms_db_close(db);
	return code;
}

/* What a sync did, or on a dry run would do: counts per entity, then each
 * record (the report's items of code MMS_OK, in entity order). */
static void print_sync(const mms_report *rep, const char *input, const mms_import_options *o)
{
	static const char *const what[] = {"added", "updated", "deleted"};
	printf("%s: %s %s", input, o->dry_run ? "a sync would change, within" : "synced", o->scope);
	if (o->year)
		printf(" in %d", o->year);
	printf(":");
	size_t n = mms_report_count(rep), total = 0;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		size_t count[3] = {0}, len = strlen(mms_entity_name(e));
		for (size_t i = 0; i < n; i++)
			for (int k = 0; k < 3; k++)
				count[k] += !strncmp(mms_report_location(rep, i), mms_entity_name(e), len) &&
					    mms_report_location(rep, i)[len] == '/' &&
					    !strcmp(mms_report_message(rep, i), what[k]);
		if (!count[0] && !count[1] && !count[2])
			continue;
		printf("%s %s", total++ ? ";" : "", mms_entity_name(e));
		for (int k = 0; k < 3; k++)
			if (count[k])
				printf(" %zu %s", count[k], what[k]);
	}
	printf(total ? "\n" : " nothing\n");
	for (size_t i = 0; i < n; i++)
		printf("  %s %s\n", mms_report_message(rep, i), mms_report_location(rep, i));
}

static int import_common(int argc, char **argv, int dry_run)
{
	static const char *const valued[] = {"--format", "--mode", "--actor", "--scope", "--year",
					     NULL};
	const char *dbpath = positional(argc, argv, 0, valued);
	const char *input = positional(argc, argv, 1, valued);
	const char *fmt = opt_value(argc, argv, "--format");
	const char *mode = opt_value(argc, argv, "--mode");
	if (!dbpath || !input)
		return EXIT_USAGE;
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.dry_run = dry_run || opt_flag(argc, argv, "--dry-run");
	if (fmt)
		o.format = !strcmp(fmt, "csv") ? MMS_FORMAT_CSV : !strcmp(fmt, "json")
			   ? MMS_FORMAT_JSON : -1;
	if (o.format < 0) {
		fprintf(stderr, "mms: --format takes json or csv\n");
		return EXIT_USAGE;
	}
	o.actor = opt_value(argc, argv, "--actor");
	if (mode)
		o.mode = !strcmp(mode, "add") ? MMS_IMPORT_ADD : !strcmp(mode, "upsert")
			 ? MMS_IMPORT_UPSERT : !strcmp(mode, "sync") ? MMS_IMPORT_SYNC : -1;
	if (o.mode < 0) {
		fprintf(stderr, "mms: --mode takes add, upsert or sync\n");
		return EXIT_USAGE;
	}
	o.scope = opt_value(argc, argv, "--scope");
	const char *year = opt_value(argc, argv, "--year");
	o.year = year ? atoi(year) : 0;
	if ((o.mode == MMS_IMPORT_SYNC) != (o.scope != NULL) || (year && !o.scope)) {
		fprintf(stderr, "mms: --mode sync needs --scope UNIT (and --year Y), which only a sync "
			"takes (to limit the handle, put --scope before the command)\n");
		return EXIT_USAGE;
	}
	mms_db *db;
	int open_code = tool_open(&db, dbpath, dry_run ? TOOL_READ : TOOL_CREATE);
	if (open_code != EXIT_OK)
		return open_code;
	mms_report *rep = NULL;
	size_t before[MMS_ENTITY_COUNT] = {0};
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		mms_db_count(db, e, &before[e]);
	int rc = mms_db_import(db, input, &o, &rep);
	if (rc != MMS_OK && mms_report_count(rep) > 0) {
		tool_print_report(rep);
		fprintf(stderr, "mms: %s: %zu problem(s); nothing was imported\n", input,
			mms_report_count(rep));
	} else if (rc != MMS_OK) {
		tool_fail(db, rc, input);
	} else if (o.mode == MMS_IMPORT_SYNC) {
		print_sync(rep, input, &o);
	} else if (o.dry_run) {
		printf("%s: valid\n", input);
	} else { /* what was imported, so a file read as empty cannot pass for one imported */
		size_t total = 0, now;
		printf("%s: imported", input);
		for (int e = 0; e < MMS_ENTITY_COUNT; e++)
			if (mms_db_count(db, e, &now) == MMS_OK && now > before[e]) {
				printf("%s %zu %s", total ? "," : "", now - before[e], mms_entity_name(e));
				total += now - before[e];
			}
		printf(total ? "\n" : " 0 records\n");
	}
	mms_report_free(rep);
	mms_db_close(db);
	return tool_exit_code(rc);
}

static int cmd_import(int argc, char **argv) { return import_common(argc, argv, 0); }
static int cmd_validate(int argc, char **argv) { return import_common(argc, argv, 1); }

static int cmd_export(int argc, char **argv)
{
	static const char *const valued[] = {"--delimiter", NULL};
	const char *dbpath = positional(argc, argv, 0, valued);
	const char *out = positional(argc, argv, 1, valued);
	const char *delim = opt_value(argc, argv, "--delimiter");
	if (!dbpath || !out)
		return EXIT_USAGE;
	/* the key comes from the environment, never the command line, which
	   other users of the machine can read */
	const char *key = opt_flag(argc, argv, "--pseudonymise") ? getenv("MMS_PSEUDONYM_KEY") : NULL;
	if (opt_flag(argc, argv, "--pseudonymise") && !key) {
		fprintf(stderr, "mms export: --pseudonymise needs the key in MMS_PSEUDONYM_KEY\n");
		return EXIT_USAGE;
	}
	mms_db *db;
	int open_code = tool_open(&db, dbpath, TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	int rc;
	if (!strcmp(out, "-")) {
		char *text = NULL;
		rc = key ? mms_db_export_json_pseudonymised(db, key, &text) : mms_db_export_json(db, &text);
		if (rc == MMS_OK)
			fputs(text, stdout);
		mms_free(text);
	} else {
		mms_export_options o = MMS_EXPORT_OPTIONS_INIT;
		o.format = opt_flag(argc, argv, "--csv") ? MMS_FORMAT_CSV : MMS_FORMAT_JSON;
		o.delimiter = delim ? delim[0] : ',';
		rc = key ? mms_db_export_pseudonymised(db, out, key, &o) : mms_db_export(db, out, &o);
	}
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, out);
	mms_db_close(db);
	return code;
}

static void print_field(mms_db *db, int e, int32_t id, const char *field)
{
	char *v = NULL;
	if (mms_db_get(db, e, id, field, &v) == MMS_OK && v)
		printf("  %-11s %s\n", field, v);
	mms_free(v);
}

static int cmd_show(int argc, char **argv)
{
	mms_db *db;
	int open_code = tool_open(&db, argv[0], TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	int32_t u;
	int rc = tool_unit(db, argc > 1 ? argv[1] : NULL, &u);
	if (rc == MMS_OK && u < 0) {
		fprintf(stderr, "mms: show needs a unit code\n");
		mms_db_close(db);
		return EXIT_USAGE;
	}
	mms_idlist *path = NULL, *kids = NULL;
	if (rc == MMS_OK)
		rc = mms_unit_path(db, u, &path);
	if (rc == MMS_OK)
		rc = mms_unit_children(db, u, &kids);
	if (rc == MMS_OK) {
		for (int f = 0; f < mms_entity_field_count(MMS_UNIT); f++)
			print_field(db, MMS_UNIT, u, mms_entity_field_name(MMS_UNIT, f));
		printf("  %-11s", "path");
		for (size_t i = mms_idlist_count(path); i-- > 0;) {
			char *code = NULL;
			mms_db_get(db, MMS_UNIT, mms_idlist_get(path, i), "code", &code);
			printf(" %s%s", code ? code : "?", i ? " >" : "\n");
			mms_free(code);
		}
		printf("  %-11s %zu\n", "children", mms_idlist_count(kids));
		rc = tool_print_summary(db, u);
	}
	mms_idlist_free(path);
	mms_idlist_free(kids);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, argc > 1 ? argv[1] : argv[0]);
	mms_db_close(db);
	return code;
}

static int cmd_stats(int argc, char **argv)
{
	mms_db *db;
	int open_code = tool_open(&db, argv[0], TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	int32_t u;
	char *json = NULL;
	int rc = tool_unit(db, argc > 1 ? argv[1] : NULL, &u);
	if (rc == MMS_OK)
		rc = mms_network_stats(db, u, &json);
	if (rc == MMS_OK)
		printf("%s\n", json);
	mms_free(json);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, "stats");
	mms_db_close(db);
	return code;
}

static int cmd_typology(int argc, char **argv)
{
	mms_db *db;
	int open_code = tool_open(&db, argv[0], TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	int32_t u;
	mms_typology *t = NULL;
	int rc = tool_unit(db, argc > 1 ? argv[1] : NULL, &u);
	if (rc == MMS_OK)
		rc = mms_typology_compute(db, u, &t);
	static const char *const axes[] = {"structure", "functioning", "load", "management"};
	for (int i = 0; rc == MMS_OK && i < 4; i++)
		printf("%-12s %-26s %s\n", axes[i], mms_typology_class(t, axes[i]),
		       mms_typology_reason(t, axes[i]));
	mms_typology_free(t);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, "typology");
	mms_db_close(db);
	return code;
}

static int cmd_network(int argc, char **argv)
{
	static const char *const valued[] = {"--as-of", NULL};
	const char *dbpath = positional(argc, argv, 0, valued);
	const char *code = positional(argc, argv, 1, valued);
	if (!dbpath || !opt_flag(argc, argv, "--dot")) {
		fprintf(stderr, "mms: network writes Graphviz only: pass --dot\n");
		return EXIT_USAGE;
	}
	mms_db *db;
	int open_code = tool_open(&db, dbpath, TOOL_READ);
	if (open_code != EXIT_OK)
		return open_code;
	int32_t u;
	char *dot = NULL;
	int rc = tool_unit(db, code, &u);
	if (rc == MMS_OK)
		rc = mms_network_dot(db, u, opt_value(argc, argv, "--as-of"), &dot);
	if (rc == MMS_OK)
		fputs(dot, stdout);
	mms_free(dot);
	int exit_code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, "network");
	mms_db_close(db);
	return exit_code;
}

static const command commands[] = {
	{"init", "DB", "create an empty database (or check an existing one)", cmd_init, 1, "", NULL},
	{"import", "DB FILE.json|CSV-DIR [--format json|csv] [--mode add|upsert|sync] [--scope UNIT] "
		   "[--year Y] [--actor NAME] [--dry-run]",
	 "import all or nothing; every problem is listed with its location; --mode upsert\n"
	 "            updates the records whose key is in DB with the fields given; --mode sync\n"
	 "            also deletes what UNIT's subtree holds in year Y and the file does not\n"
	 "            (--dry-run lists each change)", cmd_import, 2,
	 "--format= --dry-run --mode= --actor= --scope= --year=int", NULL},
	{"validate", "DB FILE.json|CSV-DIR [--format json|csv] [--mode add|upsert|sync] [--scope UNIT] "
		     "[--year Y]",
	 "check an import against DB without writing anything", cmd_validate, 2,
	 "--format= --mode= --scope= --year=int",
	 NULL},
	{"export", "DB OUT.json|OUT-DIR|- [--csv [--delimiter ;]] [--pseudonymise]",
	 "export the whole database as JSON (- for stdout) or CSV files; --pseudonymise replaces\n"
	 "            personal data with pseudonyms keyed by $MMS_PSEUDONYM_KEY", cmd_export, 2,
	 "--csv --delimiter= --pseudonymise", NULL},
	{"snapshot", "DB", "write the columnar snapshot beside DB, so that opening it is fast",
	 cmd_snapshot, 1, "", NULL},
	{"show", "DB UNIT-CODE", "a unit, its path to the root and its subtree summary",
	 cmd_show, 2, "", NULL},
	{"stats", "DB [UNIT-CODE]", "counts by level and kind as JSON", cmd_stats, 1, "", NULL},
	{"typology", "DB [UNIT-CODE]",
	 "classify the methodical system on the four axes, with the deciding facts",
	 cmd_typology, 1, "", NULL},
	{"network", "DB [UNIT-CODE] --dot [--as-of YYYY-MM-DD]",
	 "the subtree and its network links as a Graphviz digraph", cmd_network, 1,
	 "--dot --as-of=", NULL},
	{"kpi", "DB UNIT-CODE --year Y | --from Y1 --to Y2 [--indicators ID,ID | --programme ID] "
		"[--definitions FILE|DIR] [--programmes FILE] "
		"[--format table|json|csv | --format xlsx --output FILE]",
	 "indicator values, targets and statuses of a unit: of the programmes adopted over it\n"
	 "            (or of --programme ID, by criterion); with no adoption, the whole catalogue",
	 cmd_kpi, 2,
	 "--year=int --from=int --to=int --indicators= --definitions= --format= --output= "
	 "--programme= --programmes=", NULL},
	{"programme", "list [--programmes FILE] | show ID [--programmes FILE]",
	 "programme definitions: criteria, indicators, target trajectories, stages", cmd_programme,
	 1, NULL, programme_subs},
	{"sample", "DB [UNIT-CODE] --year Y [--share 0.3] [--seed N] [--strata level=%,...] "
		"[--filter EXPR] [--estimate INDICATOR]",
	 "draw a stratified representative sample of staff and estimate a share on it",
	 cmd_sample, 1, "--year=int --share=num --seed=uint --strata= --filter= --estimate=", NULL},
	{"clusters", "DB [UNIT-CODE] --year Y --indicators ID:W,ID:W [--levels 3] "
		"[--per-leader 3] [--per-curator 5]",
	 "score and cluster the municipal services, pair leaders, attach curators", cmd_clusters, 1,
	 "--year=int --indicators= --levels=int --per-leader=int --per-curator=int", NULL},
	{"route", "build DB STAFF-CODE | batch DB [UNIT-CODE] [--as-of D] [--start D --end D] "
		"[--budget H] [--format F] [--save] [--verbose] [--fit-table] "
		"[--developer STAFF [--developer-unit UNIT] [--developed-on D]] "
		"[--high-below N --medium-up-to N] [--medium-to-course] | "
		"show DB ROUTE [--xlsx FILE] | list DB [--year Y] | "
		"effect DB (ROUTE | --by-resource) [--as-of D] | "
		"approve DB ROUTE --date D [--evidence E] | "
		"approve|agree DB ROUTE --by STAFF [--on D] | acknowledge DB ROUTE [--on D] | "
		"revise DB ROUTE [--by STAFF] [--on D] [--reason TEXT] | "
		"progress DB ROUTE [--step ID] --status S --date D [--evidence E] | "
		"map DB UNIT --year Y [--format csv|json] [--table deficits|resources|tutors] | "
		"map DB UNIT --year Y --format xlsx --output FILE | "
		"tutors|mentoring DB UNIT --year Y [--format csv|json] | "
		"federal DB REGION --year Y [--format json|csv]",
	 "individual routes: plan from deficits, store, sign, revise and track them; "
	 "the region's deficit map, tutors, mentoring and federal figures", cmd_route, 2,
	 NULL, route_subs},
	{"framework", "import-case DB FILE.json [--name NAME] | export-case DB NAME",
	 "competency frameworks in 1EdTech CASE JSON", cmd_framework, 3, NULL, framework_subs},
	{"update", "DB ENTITY CODE FIELD=VALUE... [--from DATE] [--actor NAME]",
	 "change fields of a record with a code, checked as an import (FIELD= clears one); "
	 "--from: the new values hold from DATE, the old ones are kept until the day before",
	 cmd_update, 3, "--from= --actor=", NULL},
	{"delete", "DB ENTITY CODE [--cascade] [--actor NAME]",
	 "delete a record with a code; refused while records refer to it, unless --cascade",
	 cmd_delete, 3, "--cascade --actor=", NULL},
	{"history", "DB ENTITY KEY", "the recorded changes of a record (KEY: its code, or its id)",
	 cmd_history, 3, "", NULL},
	{"demo", "[--db FILE] [--data DIR]",
	 "build the Murom demo network into FILE (demo.sqlite) and summarise it", cmd_demo, 0,
	 "--db= --data=", NULL},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
	fprintf(f, "usage: mms [--scope UNIT] COMMAND [ARGS]   (mms COMMAND --help for one command)\n\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n--scope UNIT limits every command to that unit's subtree (outside: refused)\n");
	fprintf(f, "exit codes: 0 ok, 1 input refused, 2 usage, 3 database or file error,\n"
		   "4 outside the scope\n");
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "--scope")) {
		if (argc < 4) {
			usage(stderr);
			return EXIT_USAGE;
		}
		scope = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mms %s (libmms %s)\n", MMS_VERSION, mms_libversion());
		return EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const command *c = &commands[i];
		if (strcmp(argv[1], c->name))
			continue;
		if (opt_flag(argc - 2, argv + 2, "--help")) {
			printf("usage: mms %s %s\n  %s\n", c->name, c->usage, c->help);
			return EXIT_OK;
		}
		const char *options = c->options;
		char label[64];
		int skip = 0; /* the subcommand */
		snprintf(label, sizeof label, "%s", c->name);
		for (const syntax *s = c->subs; s && s->sub && argc > 2; s++)
			if (!strcmp(argv[2], s->sub)) {
				options = s->options;
				snprintf(label, sizeof label, "%s %s", c->name, s->sub);
				skip = 1;
			}
		if (!options) {
			fprintf(stderr, "mms %s: unknown subcommand \"%s\"\n", c->name,
				argc > 2 ? argv[2] : "");
			fprintf(stderr, "usage: mms %s %s\n", c->name, c->usage);
			return EXIT_USAGE;
		}
		int npos = 0;
		if (check_options(label, options, argc - 2 - skip, argv + 2 + skip, &npos) != EXIT_OK) {
			fprintf(stderr, "usage: mms %s %s\n", c->name, c->usage);
			return EXIT_USAGE;
		}
		npos += skip;
		if (npos < c->min_args) {
			fprintf(stderr, "usage: mms %s %s\n", c->name, c->usage);
			return EXIT_USAGE;
		}
		int code = c->run(argc - 2, argv + 2);
		if (code != EXIT_OK && made)
			tool_remove_db(made, 0); /* a snapshot beside it is none of its own */
		if (code == EXIT_USAGE)
			fprintf(stderr, "usage: mms %s %s\n", c->name, c->usage);
		return code;
	}
	fprintf(stderr, "mms: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
