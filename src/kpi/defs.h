/*
 * Reading definition files (indicators, programmes): every problem is
 * reported at its place, "file:/list/N/key", and the read goes on so that
 * one pass lists them all.
 */
#ifndef MMS_KPI_DEFS_H
#define MMS_KPI_DEFS_H

#include <json-c/json.h>
#include <stdarg.h>

#include "kpi.h"

typedef struct defs_reader {
	mms_report *report;
	const char *name; /* the file, in locations */
	size_t index;     /* of the definition read */
	int rc;           /* the first problem's code, or MMS_ENOMEM */
	const char *list; /* the array read: "programmes"; NULL = "indicators" */
} defs_reader;

/* Reports a problem at key (a path below the definition; NULL = itself). */
void mms_defs_vproblem(defs_reader *r, int rc, const char *key, const char *fmt, va_list ap);
/* Whether o is an object (a problem naming what if not) whose keys are all
 * among the n known ones (each other one a problem). */
int mms_defs_object(defs_reader *r, json_object *o, const char *what, const char *const *known,
		    size_t n);
/* The string under key (a copy), or NULL: absent (a problem if required)
 * or not a string. at, if not NULL, is the path of o below the definition. */
char *mms_defs_text(defs_reader *r, json_object *o, const char *key, const char *at,
		    int required);
/* Why name cannot be a parameter (a problem code, the message in why), or
 * MMS_OK; ctx is the caller's. */
typedef int (*defs_param_check)(const void *ctx, const char *name, char *why, size_t len);
/* "parameters": {"name": number} of o, into *params (allocated) and *n;
 * names that fail check and values that are not finite numbers are
 * problems at "parameters". Returns the object read, or NULL. */
json_object *mms_defs_parameters(defs_reader *r, json_object *o, defs_param_check check,
				 const void *ctx, expr_param **params, int *n);
/* Parses a file's text and finds its array list; on failure reports it at
 * name and returns the code (the catalogue's message says it too). */
int mms_defs_root(mms_kpi *kpi, mms_report *rep, const char *json, const char *name,
		  const char *list, json_object **root, json_object **array);

#endif
