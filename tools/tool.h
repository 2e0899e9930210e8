/* The mms program: shared helpers of its subcommands. */
#ifndef MMS_TOOL_H
#define MMS_TOOL_H

#include <mms/mms.h>

/* Exit codes scripts can rely on. */
enum {
	EXIT_OK = 0,
	EXIT_INVALID = 1, /* the input or a lookup was refused: see stderr */
	EXIT_USAGE = 2,   /* bad command line */
	EXIT_FAILURE_IO = 3, /* the database or a file could not be used */
	EXIT_REFUSED = 4     /* outside the scope given with --scope */
};

int tool_exit_code(int rc);
/* Prints "mms: <what>: <message>" for a failure on db and returns the exit code. */
int tool_fail(mms_db *db, int rc, const char *what);
/* Opens path (with the --scope of the command line, if given); EXIT_OK, or
 * the exit code after printing why. */
/* How a command uses its database: TOOL_CREATE may create it, TOOL_WRITE
 * needs it to exist, TOOL_READ opens it read-only (a reading command never
 * creates, migrates or converts a file, and works on a read-only one). */
enum { TOOL_CREATE, TOOL_WRITE, TOOL_READ };
int tool_open(mms_db **db, const char *path, int mode);
/* Removes a database file with the files SQLite keeps beside it, and its
 * snapshot when asked. */
void tool_remove_db(const char *path, int with_snapshot);
/* Resolves a unit code, or -1 for NULL. Returns an mms_rc. */
int tool_unit(mms_db *db, const char *code, int32_t *out);
int tool_print_summary(mms_db *db, int32_t root);
int tool_print_fit_table(mms_db *db, const mms_route_plan *p);
int cmd_demo(int argc, char **argv);
/* Prints s padded with spaces to width characters (printf pads by bytes:
 * К1 is two letters in four). */
void tool_print_padded(const char *s, int width);
int cmd_kpi(int argc, char **argv);
int cmd_programme(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_clusters(int argc, char **argv);
int cmd_route(int argc, char **argv);
int cmd_framework(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_history(int argc, char **argv);
/* Prints each problem of a report on stderr with its code. */
void tool_print_report(const mms_report *r);

#endif
