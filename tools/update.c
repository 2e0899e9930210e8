/* `mms update`, `mms delete` and `mms history`: change records in place or
 * delete them, and read what changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static int entity_arg(const char *name, int *e)
{
	if (mms_entity_from_name(e, name) == MMS_OK)
		return EXIT_OK;
	fprintf(stderr, "mms: unknown entity \"%s\" (units, staff, activities, competencies, "
		"resources, routes...)\n", name);
	return EXIT_USAGE;
}

/* The DB ENTITY CODE of a command that writes one record: the entity, and
 * the database open for writing. */
static int open_record(const char *const pos[3], int npos, int *e, mms_db **db)
{
	if (npos < 3)
		return EXIT_USAGE;
	int code = entity_arg(pos[1], e);
	return code == EXIT_OK ? tool_open(db, pos[0], TOOL_WRITE) : code;
}

/* Says how a write of one record went, and frees its report: the report's
 * problems and `why` when it was refused for them. */
static int outcome(mms_db *db, int rc, mms_report *rep, const char *const pos[3], const char *verb,
		   const char *why)
{
	int code = EXIT_OK;
	if (rc != MMS_OK && mms_report_count(rep) > 0) {
		tool_print_report(rep);
		fprintf(stderr, "mms: %s \"%s\": %zu %s\n", pos[1], pos[2], mms_report_count(rep), why);
		code = tool_exit_code(rc);
	} else if (rc != MMS_OK) {
		code = tool_fail(db, rc, verb);
	} else {
		printf("%s \"%s\": %sd\n", pos[1], pos[2], verb);
	}
	mms_report_free(rep);
	return code;
}

/* mms update DB ENTITY CODE FIELD=VALUE... [--from DATE] [--actor NAME] */
int cmd_update(int argc, char **argv)
{
	const char *actor = NULL, *from = NULL, *pos[3] = {NULL};
	int npos = 0, nfields = 0;
	/* field/value pairs point into argv: "name=value" split at the '=' */
	const char **pairs = calloc((size_t)argc * 2 + 1, sizeof *pairs);
	if (!pairs)
		return EXIT_FAILURE_IO;
	int code = EXIT_OK;
	for (int i = 0; i < argc && code == EXIT_OK; i++) {
		char *eq = strchr(argv[i], '=');
		if (!strcmp(argv[i], "--actor") && i + 1 < argc) {
			actor = argv[++i];
		} else if (!strcmp(argv[i], "--from") && i + 1 < argc) {
			from = argv[++i];
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "mms: update: unknown option \"%s\"\n", argv[i]);
			code = EXIT_USAGE;
		} else if (npos < 3) {
			pos[npos++] = argv[i];
		} else if (eq && eq != argv[i]) {
			*eq = '\0';
			pairs[2 * nfields] = argv[i];
			pairs[2 * nfields++ + 1] = eq + 1;
		} else {
			fprintf(stderr, "mms: update: \"%s\" is not FIELD=VALUE\n", argv[i]);
			code = EXIT_USAGE;
		}
	}
	int e = 0;
	if (code == EXIT_OK && nfields == 0)
		code = EXIT_USAGE;
	mms_db *db = NULL;
	if (code == EXIT_OK)
		code = open_record(pos, npos, &e, &db);
	if (code == EXIT_OK) {
		mms_update_options o = MMS_UPDATE_OPTIONS_INIT;
		mms_report *rep = NULL;
		o.actor = actor;
		o.from = from;
		int rc = mms_db_update(db, e, pos[2], pairs, &o, &rep);
		code = outcome(db, rc, rep, pos, "update", "problem(s); nothing was changed");
	}
	mms_db_close(db);
	free(pairs);
	return code;
}

/* mms delete DB ENTITY CODE [--cascade] [--actor NAME] */
int cmd_delete(int argc, char **argv)
{
	const char *actor = NULL, *pos[3] = {NULL};
	int npos = 0, cascade = 0, code = EXIT_OK;
	for (int i = 0; i < argc && code == EXIT_OK; i++) {
		if (!strcmp(argv[i], "--actor") && i + 1 < argc) {
			actor = argv[++i];
		} else if (!strcmp(argv[i], "--cascade")) {
			cascade = 1;
		} else if (argv[i][0] == '-' || npos == 3) {
			fprintf(stderr, "mms: delete: unexpected \"%s\"\n", argv[i]);
			code = EXIT_USAGE;
		} else {
			pos[npos++] = argv[i];
		}
	}
	int e = 0;
	mms_db *db = NULL;
	if (code == EXIT_OK)
		code = open_record(pos, npos, &e, &db);
	if (code == EXIT_OK) {
		mms_delete_options o = MMS_DELETE_OPTIONS_INIT;
		mms_report *rep = NULL;
		o.actor = actor;
		o.cascade = cascade;
		int rc = mms_db_delete(db, e, pos[2], &o, &rep);
		code = outcome(db, rc, rep, pos, "delete", "record(s) refer to it; nothing was deleted "
			       "(--cascade deletes them too)");
	}
	mms_db_close(db);
	return code;
}

static const char *cell(const char *s)
{
	return s ? s : "";
}

/* mms history DB ENTITY KEY: tab-separated at, actor, field, old, new;
 * the addition of the record has no field. */
int cmd_history(int argc, char **argv)
{
	int e = 0;
	if (argc != 3)
		return EXIT_USAGE;
	int code = entity_arg(argv[1], &e);
	mms_db *db = NULL;
	if (code == EXIT_OK)
		code = tool_open(&db, argv[0], TOOL_READ);
	mms_history *h = NULL;
	int rc = code == EXIT_OK ? mms_db_history(db, e, argv[2], &h) : MMS_OK;
	if (code == EXIT_OK && rc != MMS_OK)
		code = tool_fail(db, rc, "history");
	if (code == EXIT_OK)
		printf("at\tactor\tfield\told\tnew\n");
	for (size_t i = 0; code == EXIT_OK && i < mms_history_count(h); i++)
		printf("%s\t%s\t%s\t%s\t%s\n", mms_history_at(h, i), mms_history_actor(h, i),
		       mms_history_field(h, i) ? mms_history_field(h, i)
		       : mms_history_new(h, i) ? "(deleted)" : "(added)",
		       cell(mms_history_old(h, i)), cell(mms_history_new(h, i)));
	mms_history_free(h);
	mms_db_close(db);
	return code;
}
