/*
 * mms — the command-line program of libmms: create, import, validate,
 * export, inspect and draw methodical networks, and run the demo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

int tool_exit_code(int rc)
{
	switch (rc) {
	case MMS_OK: return EXIT_OK;
	case MMS_EIO: case MMS_ECORRUPT: case MMS_EBUSY: case MMS_ENOMEM:
	case MMS_EVERSION: case MMS_ERROR:
		return EXIT_FAILURE_IO;
	case MMS_EINVAL: return EXIT_USAGE;
	case MMS_EACCES: return EXIT_REFUSED;
	default: return EXIT_INVALID;
	}
}

int tool_fail(mms_db *db, int rc, const char *what)
{
	const char *msg = db ? mms_db_errmsg(db) : "";
	fprintf(stderr, "mms: %s: %s\n", what, *msg ? msg : mms_errstr(rc));
	return tool_exit_code(rc);
}

/* The unit of --scope CODE, given before the command; NULL = none. */
static const char *scope;

int tool_open(mms_db **db, const char *path, int must_exist)
{
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	o.no_create = must_exist;
	int rc = scope ? mms_db_open_scoped(db, path, &o, scope) : mms_db_open(db, path, &o);
	if (rc == MMS_OK)
		return EXIT_OK;
	tool_fail(*db, rc, path);
	mms_db_close(*db);
	*db = NULL;
	/* a scope naming no unit is a refused lookup, not a broken file */
	return rc == MMS_ENOTFOUND ? EXIT_INVALID : EXIT_FAILURE_IO;
}

int tool_unit(mms_db *db, const char *code, int32_t *out)
{
	*out = -1;
	return code ? mms_db_find(db, MMS_UNIT, code, out) : MMS_OK;
}

static void print_report(const mms_report *r)
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

typedef struct command {
	const char *name, *usage, *help;
	int (*run)(int argc, char **argv);
	int min_args;
} command;

static int cmd_init(int argc, char **argv)
{
	mms_db *db;
	(void)argc;
	int open_code = tool_open(&db, argv[0], 0);
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
	int open_code = tool_open(&db, argv[0], 1);
	if (open_code != EXIT_OK)
		return open_code;
	int rc = mms_db_snapshot(db);
	int code = rc == MMS_OK ? EXIT_OK : tool_fail(db, rc, argv[0]);
	if (rc == MMS_OK)
		printf("wrote %s-snapshot\n", argv[0]);
	mms_db_close(db);
	return code;
}

static int import_common(int argc, char **argv, int dry_run)
{
	static const char *const valued[] = {"--format", NULL};
	const char *dbpath = positional(argc, argv, 0, valued);
	const char *input = positional(argc, argv, 1, valued);
	const char *fmt = opt_value(argc, argv, "--format");
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
	mms_db *db;
	int open_code = tool_open(&db, dbpath, dry_run);
	if (open_code != EXIT_OK)
		return open_code;
	mms_report *rep = NULL;
	size_t before[MMS_ENTITY_COUNT] = {0};
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		mms_db_count(db, e, &before[e]);
	int rc = mms_db_import(db, input, &o, &rep);
	if (rc != MMS_OK && mms_report_count(rep) > 0) {
		print_report(rep);
		fprintf(stderr, "mms: %s: %zu problem(s); nothing was imported\n", input,
			mms_report_count(rep));
	} else if (rc != MMS_OK) {
		tool_fail(db, rc, input);
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
	int open_code = tool_open(&db, dbpath, 1);
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
	int open_code = tool_open(&db, argv[0], 1);
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
	int open_code = tool_open(&db, argv[0], 1);
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
	int open_code = tool_open(&db, argv[0], 1);
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
	int open_code = tool_open(&db, dbpath, 1);
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
	{"init", "DB", "create an empty database (or check an existing one)", cmd_init, 1},
	{"import", "DB FILE.json|CSV-DIR [--format json|csv] [--dry-run]",
	 "import all or nothing; every problem is listed with its location", cmd_import, 2},
	{"validate", "DB FILE.json|CSV-DIR [--format json|csv]",
	 "check an import against DB without writing anything", cmd_validate, 2},
	{"export", "DB OUT.json|OUT-DIR|- [--csv [--delimiter ;]] [--pseudonymise]",
	 "export the whole database as JSON (- for stdout) or CSV files; --pseudonymise replaces\n"
	 "            personal data with pseudonyms keyed by $MMS_PSEUDONYM_KEY", cmd_export, 2},
	{"snapshot", "DB", "write the columnar snapshot beside DB, so that opening it is fast",
	 cmd_snapshot, 1},
	{"show", "DB UNIT-CODE", "a unit, its path to the root and its subtree summary",
	 cmd_show, 2},
	{"stats", "DB [UNIT-CODE]", "counts by level and kind as JSON", cmd_stats, 1},
	{"typology", "DB [UNIT-CODE]",
	 "classify the methodical system on the four axes, with the deciding facts",
	 cmd_typology, 1},
	{"network", "DB [UNIT-CODE] --dot [--as-of YYYY-MM-DD]",
	 "the subtree and its network links as a Graphviz digraph", cmd_network, 1},
	{"kpi", "DB UNIT-CODE --year Y | --from Y1 --to Y2 [--indicators ID,ID] "
		"[--definitions FILE|DIR] [--format table|json|csv | --format xlsx --output FILE]",
	 "indicator values, targets and statuses of a unit (built-in catalogue plus yours)",
	 cmd_kpi, 2},
	{"sample", "DB [UNIT-CODE] --year Y [--share 0.3] [--seed N] [--strata level=%,...] "
		"[--filter EXPR] [--estimate INDICATOR]",
	 "draw a stratified representative sample of staff and estimate a share on it",
	 cmd_sample, 1},
	{"clusters", "DB [UNIT-CODE] --year Y --indicators ID:W,ID:W [--levels 3] "
		"[--per-leader 3] [--per-curator 5]",
	 "score and cluster the municipal services, pair leaders, attach curators", cmd_clusters, 1},
	{"route", "build DB STAFF-CODE | batch DB [UNIT-CODE] [--as-of D] [--start D --end D] "
		"[--budget H] [--format F] [--save] [--verbose] | show DB ROUTE [--xlsx FILE] | "
		"approve DB ROUTE --date D [--evidence E] | "
		"progress DB ROUTE [--step ID] --status S --date D [--evidence E]",
	 "individual routes: plan from deficits, store, approve and track them", cmd_route, 2},
	{"framework", "import-case DB FILE.json [--name NAME] | export-case DB NAME",
	 "competency frameworks in 1EdTech CASE JSON", cmd_framework, 3},
	{"demo", "[--db FILE] [--data DIR]",
	 "build the Murom demo network into FILE (demo.sqlite) and summarise it", cmd_demo, 0},
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
		int npos = 0;
		for (int k = 2; k < argc; k++)
			npos += argv[k][0] != '-' || !argv[k][1]; /* "-" is stdout */
		if (npos < c->min_args) {
			fprintf(stderr, "usage: mms %s %s\n", c->name, c->usage);
			return EXIT_USAGE;
		}
		int code = c->run(argc - 2, argv + 2);
		if (code == EXIT_USAGE)
			fprintf(stderr, "usage: mms %s %s\n", c->name, c->usage);
		return code;
	}
	fprintf(stderr, "mms: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
