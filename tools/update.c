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

/* mms update DB ENTITY CODE FIELD=VALUE... [--actor NAME] */
int cmd_update(int argc, char **argv)
{
	const char *actor = NULL, *pos[3] = {NULL};
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
	if (code == EXIT_OK && (npos < 3 || nfields == 0))
		code = EXIT_USAGE;
	if (code == EXIT_OK)
		code = entity_arg(pos[1], &e);
	mms_db *db = NULL;
	if (code == EXIT_OK)
		code = tool_open(&db, pos[0], TOOL_WRITE);
	if (code == EXIT_OK) {
		mms_update_options o = MMS_UPDATE_OPTIONS_INIT;
		mms_report *rep = NULL;
		o.actor = actor;
		int rc = mms_db_update(db, e, pos[2], pairs, &o, &rep);
		if (rc != MMS_OK && mms_report_count(rep) > 0) {
			tool_print_report(rep);
			fprintf(stderr, "mms: %s \"%s\": %zu problem(s); nothing was changed\n", pos[1],
				pos[2], mms_report_count(rep));
			code = tool_exit_code(rc);
		} else if (rc != MMS_OK) {
			code = tool_fail(db, rc, "update");
		} else {
			printf("%s \"%s\": updated\n", pos[1], pos[2]);
		}
		mms_report_free(rep);
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
	if (code == EXIT_OK && npos < 3)
		code = EXIT_USAGE;
	if (code == EXIT_OK)
		code = entity_arg(pos[1], &e);
	mms_db *db = NULL;
	if (code == EXIT_OK)
		code = tool_open(&db, pos[0], TOOL_WRITE);
	if (code == EXIT_OK) {
		mms_delete_options o = MMS_DELETE_OPTIONS_INIT;
		mms_report *rep = NULL;
		o.actor = actor;
		o.cascade = cascade;
		int rc = mms_db_delete(db, e, pos[2], &o, &rep);
		if (rc == MMS_EREF && mms_report_count(rep) > 0) {
			tool_print_report(rep);
			fprintf(stderr, "mms: %s \"%s\": %zu record(s) refer to it; nothing was deleted "
				"(--cascade deletes them too)\n", pos[1], pos[2], mms_report_count(rep));
			code = tool_exit_code(rc);
		} else if (rc != MMS_OK) {
			code = tool_fail(db, rc, "delete");
		} else {
			printf("%s \"%s\": deleted\n", pos[1], pos[2]);
		}
		mms_report_free(rep);
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
