/* The one home of located problems in definition files (defs.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "defs.h"

void mms_defs_vproblem(defs_reader *r, int rc, const char *key, const char *fmt, va_list ap)
{
	char loc[300], msg[900];
	snprintf(loc, sizeof loc, "%s:/%s/%zu%s%s", r->name, r->list ? r->list : "indicators",
		 r->index, key ? "/" : "", key ? key : "");
	vsnprintf(msg, sizeof msg, fmt, ap);
	mms_report_add(r->report, rc, loc, "%s: %s", loc, msg);
	if (r->rc == MMS_OK)
		r->rc = rc;
}

static void problem(defs_reader *r, int rc, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(defs_reader *r, int rc, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mms_defs_vproblem(r, rc, key, fmt, ap);
	va_end(ap);
}

int mms_defs_object(defs_reader *r, json_object *o, const char *what, const char *const *known,
		    size_t n)
{
	if (!json_object_is_type(o, json_type_object)) {
		problem(r, MMS_ETYPE, NULL, "%s must be a JSON object", what);
		return 0;
	}
	json_object_object_foreach(o, key, val) {
		size_t i = 0;
		MMS_UNUSED(val);
		while (i < n && strcmp(known[i], key))
			i++;
		if (i == n)
			problem(r, MMS_ETYPE, key, "unknown key");
	}
	return 1;
}

char *mms_defs_text(defs_reader *r, json_object *o, const char *key, const char *at,
		    int required)
{
	json_object *v;
	char where[200];
	snprintf(where, sizeof where, "%s%s%s", at ? at : "", at ? "/" : "", key);
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
		if (required)
			problem(r, MMS_EMISSING, where, "is required");
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string)) {
		problem(r, MMS_ETYPE, where, "must be a string");
		return NULL;
	}
	char *s = mms_strdup(json_object_get_string(v));
	if (!s)
		r->rc = MMS_ENOMEM;
	return s;
}

json_object *mms_defs_parameters(defs_reader *r, json_object *o, defs_param_check check,
				 const void *ctx, expr_param **params, int *n)
{
	json_object *ps;
	if (!json_object_object_get_ex(o, "parameters", &ps))
		return NULL;
	if (!json_object_is_type(ps, json_type_object)) {
		problem(r, MMS_ETYPE, "parameters", "must be an object of name: number");
		return NULL;
	}
	size_t count = (size_t)json_object_object_length(ps);
	if (count && !(*params = mms_calloc(count, sizeof **params))) {
		r->rc = MMS_ENOMEM;
		return NULL;
	}
	json_object_object_foreach(ps, key, val) {
		char why[300];
		double v = json_object_get_double(val);
		int rc = check(ctx, key, why, sizeof why);
		if (rc != MMS_OK)
			problem(r, rc, "parameters", "%s", why);
		else if (!(json_object_is_type(val, json_type_int) ||
			   json_object_is_type(val, json_type_double)) || !isfinite(v))
			problem(r, MMS_ETYPE, "parameters", "%.60s must be a number, not %.60s", key,
				json_object_to_json_string(val));
		else if (!((*params)[*n].name = mms_strdup(key)))
			r->rc = MMS_ENOMEM;
		else
			(*params)[(*n)++].value = v;
	}
	return ps;
}

int mms_defs_root(mms_kpi *kpi, mms_report *rep, const char *json, const char *name,
		  const char *list, json_object **root, json_object **array)
{
	json_tokener *tok = json_tokener_new();
	if (!tok)
		return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory");
	*root = json_tokener_parse_ex(tok, json, (int)strlen(json));
	int jerr = json_tokener_get_error(tok);
	json_tokener_free(tok);
	int rc = jerr != json_tokener_success ? MMS_EPARSE
		 : !json_object_object_get_ex(*root, list, array) ||
				   !json_object_is_type(*array, json_type_array)
			 ? MMS_ETYPE
			 : MMS_OK;
	if (rc == MMS_OK)
		return MMS_OK;
	json_object_put(*root);
	*root = NULL;
	if (rc == MMS_EPARSE) {
		mms_report_add(rep, rc, name, "%s: JSON syntax error: %s", name,
			       json_tokener_error_desc(jerr));
		return mms_kpi_fail(kpi, rc, "%s: JSON syntax error: %s", name,
				    json_tokener_error_desc(jerr));
	}
	mms_report_add(rep, rc, name, "%s: needs an \"%s\" array", name, list);
	return mms_kpi_fail(kpi, rc, "%s: needs an \"%s\" array", name, list);
}
