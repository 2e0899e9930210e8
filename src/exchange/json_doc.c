/* JSON documents (docs/format.md), parsed by json-c. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "exchange.h"

typedef struct json_doc {
	mms_doc base;
	json_object *root;
	json_object *arrays[MMS_HISTORY_TABLE + 1]; /* the entities, then "history" */
	const char **scratch; /* items of the list being read */
	size_t scratch_cap;
} json_doc;

static size_t jd_count(mms_doc *d, int e)
{
	json_object *a = ((json_doc *)d)->arrays[e];
	return a ? json_object_array_length(a) : 0;
}

static json_object *record(json_doc *jd, int e, size_t rec)
{
	return json_object_array_get_idx(jd->arrays[e], rec);
}

static int jd_get(mms_doc *d, int e, size_t rec, int f, mms_value *v)
{
	json_doc *jd = (json_doc *)d;
	json_object *val;
	memset(v, 0, sizeof *v);
	if (!json_object_object_get_ex(record(jd, e, rec),
				       mms_table_def(e)->fields[f].name, &val)) {
		v->kind = V_ABSENT;
		return MMS_OK;
	}
	switch (json_object_get_type(val)) {
	case json_type_null:
		v->kind = V_NULL;
		break;
	case json_type_string:
		v->kind = V_TEXT;
		v->text = json_object_get_string(val);
		v->len = (size_t)json_object_get_string_len(val);
		break;
	case json_type_int:
		v->kind = V_INT;
		v->i = json_object_get_int64(val);
		break;
	case json_type_boolean:
		v->kind = V_BOOL;
		v->i = json_object_get_boolean(val);
		break;
	case json_type_double:
		v->kind = V_NUM;
		v->d = json_object_get_double(val);
		break;
	case json_type_object:
		v->kind = V_OTHER;
		v->text = "an object";
		break;
	case json_type_array: {
		size_t n = json_object_array_length(val);
		if (mms_grow((void **)&jd->scratch, &jd->scratch_cap, n + 1,
			     sizeof *jd->scratch))
			return MMS_ENOMEM;
		v->kind = V_LIST;
		v->items = jd->scratch;
		v->n = n;
		for (size_t i = 0; i < n; i++) {
			json_object *it = json_object_array_get_idx(val, i);
			if (!json_object_is_type(it, json_type_string)) {
				v->kind = V_OTHER;
				v->text = "an array with a non-string item";
				break;
			}
			jd->scratch[i] = json_object_get_string(it);
		}
		break;
	}
	}
	return MMS_OK;
}

static void jd_where(mms_doc *d, int e, size_t rec, int f, mms_buf *out)
{
	MMS_UNUSED(d);
	mms_buf_printf(out, "/%s/%zu", mms_table_def(e)->name, rec);
	if (f >= 0)
		mms_buf_printf(out, "/%s", mms_table_def(e)->fields[f].name);
}

static void syntax_error(mms_report *r, const char *name, const char *text,
			 size_t off, const char *why)
{
	size_t line = 1, col = 1;
	for (size_t i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			col++; /* count characters, not bytes */
		}
	}
	mms_buf loc = {0};
	mms_buf_printf(&loc, "%s:%zu:%zu", name, line, col);
	mms_report_add(r, MMS_EPARSE, loc.data ? loc.data : name,
		       "%s: JSON syntax error: %s", loc.data ? loc.data : name, why);
	mms_buf_free(&loc);
}

/* Checks the shape: an object of known arrays of objects with known keys. */
static int check_shape(json_doc *jd, mms_report *r)
{
	int first = MMS_OK;
#define SHAPE(rc, loc, ...)                              \
	do {                                             \
		if (first == MMS_OK)                     \
			first = rc;                      \
		mms_report_add(r, rc, loc, __VA_ARGS__); \
	} while (0)
	if (!json_object_is_type(jd->root, json_type_object)) {
		SHAPE(MMS_ETYPE, "", ": the document must be a JSON object");
		return first;
	}
	json_object_object_foreach(jd->root, key, val) {
		char loc[128];
		snprintf(loc, sizeof loc, "/%.100s", key);
		int e;
		if (!strcmp(key, "format")) {
			if (!json_object_is_type(val, json_type_string) ||
			    strcmp(json_object_get_string(val), "libmms"))
				SHAPE(MMS_ETYPE, loc, "%s: format must be \"libmms\"", loc);
		} else if (!strcmp(key, "version")) {
			if (!json_object_is_type(val, json_type_int) ||
			    json_object_get_int64(val) < 1)
				SHAPE(MMS_ETYPE, loc, "%s: version must be a positive integer", loc);
			else if (json_object_get_int64(val) > 1)
				SHAPE(MMS_EVERSION, loc, "%s: format version %lld is newer "
				      "than this libmms reads (1)", loc,
				      (long long)json_object_get_int64(val));
		} else if (mms_entity_from_name(&e, key) != MMS_OK &&
			   strcmp(key, mms_history_def.name)) {
			SHAPE(MMS_ETYPE, loc, "%s: unknown key \"%s\"", loc, key);
		} else if (!json_object_is_type(val, json_type_array)) {
			SHAPE(MMS_ETYPE, loc, "%s: %s must be an array", loc, key);
		} else {
			jd->arrays[strcmp(key, mms_history_def.name) ? e : MMS_HISTORY_TABLE] = val;
		}
	}
	for (int e = 0; e <= MMS_HISTORY_TABLE; e++) {
		size_t n = jd_count(&jd->base, e);
		for (size_t i = 0; i < n; i++) {
			json_object *o = record(jd, e, i);
			mms_buf loc = {0};
			jd_where(&jd->base, e, i, -1, &loc);
			const char *l = loc.data ? loc.data : "";
			if (!json_object_is_type(o, json_type_object)) {
				SHAPE(MMS_ETYPE, l, "%s: a %s must be a JSON object", l,
				      mms_table_def(e)->record);
			} else {
				json_object_object_foreach(o, field, fval) {
					MMS_UNUSED(fval);
					if (mms_table_column(e, field) >= 0)
						continue;
					char fl[160];
					snprintf(fl, sizeof fl, "%s/%.100s", l, field);
					SHAPE(MMS_ETYPE, fl, "%s: unknown field of a %s", fl,
					      mms_table_def(e)->record);
				}
			}
			mms_buf_free(&loc);
		}
	}
#undef SHAPE
	return first;
}

int mms_json_parse(json_object **out, const char *text, size_t len, const char *name,
		   mms_report *report)
{
	*out = NULL;
	if (len > INT32_MAX) {
		mms_report_add(report, MMS_ERANGE, name, "%s: larger than 2 GiB", name);
		return MMS_ERANGE;
	}
	json_tokener *tok = json_tokener_new();
	if (!tok)
		return MMS_ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	json_object *root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_success && end < len) {
		size_t k = end;
		while (k < len && strchr(" \t\r\n", text[k]))
			k++;
		if (k < len) {
			syntax_error(report, name, text, k, "text after the document");
			jerr = json_tokener_error_parse_unexpected;
		}
	} else if (jerr == json_tokener_continue) {
		syntax_error(report, name, text, len, "unexpected end of input");
	} else if (jerr != json_tokener_success) {
		syntax_error(report, name, text, end, json_tokener_error_desc(jerr));
	}
	json_tokener_free(tok);
	if (jerr != json_tokener_success) {
		json_object_put(root);
		return MMS_EPARSE;
	}
	/* what json-c's tree hides: a key given twice, a lone surrogate; the
	 * tree is still given, so that its shape can be checked too */
	int rc = mms_json_scan(text, len, report);
	if (rc == MMS_ENOMEM) {
		json_object_put(root);
		return rc;
	}
	*out = root;
	return rc;
}

int mms_json_doc_open(mms_doc **out, const char *text, size_t len,
		      const char *name, mms_report *report)
{
	*out = NULL;
	json_doc *jd = mms_calloc(1, sizeof *jd);
	if (!jd)
		return MMS_ENOMEM;
	jd->base = (mms_doc){jd_count, jd_get, jd_where, 0, 0, 1};
	int rc = mms_json_parse(&jd->root, text, len, name, report), shape = MMS_OK;
	if (jd->root)
		shape = check_shape(jd, report);
	if (rc == MMS_OK)
		rc = shape;
	if (rc != MMS_OK) {
		mms_json_doc_free(&jd->base);
		return rc;
	}
	*out = &jd->base;
	return MMS_OK;
}

void mms_json_doc_free(mms_doc *d)
{
	json_doc *jd = (json_doc *)d;
	if (!jd)
		return;
	json_object_put(jd->root);
	mms_free(jd->scratch);
	mms_free(jd);
}
