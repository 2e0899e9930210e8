/*
 * Competency frameworks in 1EdTech CASE JSON, so frameworks of other
 * systems can be used: CFDocument, CFItems, and CFAssociations of type
 * isChildOf (origin = the child, destination = the parent item or the
 * document). Read with json-c; converted to the libmms format and
 * imported through the ordinary, atomic path.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "route.h"

static const char *str_of(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v) : NULL;
}

/* The identifier of a node reference: {"identifier": ...} or a bare string. */
static const char *node_id(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v)
							 : str_of(v, "identifier");
}

typedef struct item {
	const char *id, *code, *name;
	int parent;  /* index of the parent item, -1 for the document, -2 unknown */
	int depth;
} item;

static int problem(mms_report *rep, int rc, const char *loc, const char *msg, int *first)
{
	mms_report_add(rep, rc, loc, "%s: %s", loc, msg);
	if (*first == MMS_OK)
		*first = rc;
	return rc;
}

/* Depth of an item (1 under the document); 0 on a cycle. */
static int depth_of(item *it, int n, int i)
{
	int d = 1;
	for (int p = it[i].parent; p >= 0; p = it[p].parent)
		if (++d > n)
			return 0;
	return d;
}

static int convert(json_object *root, const char *framework, mms_report *rep, json_object **out)
{
	int first = MMS_OK;
	json_object *doc, *items, *assocs;
	if (!json_object_object_get_ex(root, "CFDocument", &doc) ||
	    !json_object_object_get_ex(root, "CFItems", &items) ||
	    !json_object_is_type(items, json_type_array))
		return problem(rep, MMS_ETYPE, "", "a CASE package needs CFDocument and a CFItems array",
			       &first);
	const char *docid = str_of(doc, "identifier");
	const char *name = framework ? framework : str_of(doc, "title");
	if (!docid || !name)
		return problem(rep, MMS_EMISSING, "/CFDocument", "needs an identifier and a title",
			       &first);
	int n = (int)json_object_array_length(items);
	item *it = mms_calloc((size_t)n + 1, sizeof *it);
	if (!it)
		return MMS_ENOMEM;
	char loc[200];
	for (int i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(items, (size_t)i);
		it[i].id = str_of(o, "identifier");
		it[i].name = str_of(o, "fullStatement");
		it[i].code = str_of(o, "humanCodingScheme") ? str_of(o, "humanCodingScheme") : it[i].id;
		it[i].parent = -2;
		snprintf(loc, sizeof loc, "/CFItems/%d", i);
		if (!it[i].id || !it[i].name)
			problem(rep, MMS_EMISSING, loc, "an item needs an identifier and a fullStatement",
				&first);
	}
	size_t na = json_object_object_get_ex(root, "CFAssociations", &assocs) &&
			    json_object_is_type(assocs, json_type_array)
		    ? json_object_array_length(assocs) : 0;
	for (size_t a = 0; a < na; a++) {
		json_object *o = json_object_array_get_idx(assocs, a);
		const char *type = str_of(o, "associationType");
		if (!type || strcmp(type, "isChildOf"))
			continue; /* other associations say nothing of the tree */
		const char *child = node_id(o, "originNodeURI"), *parent = node_id(o, "destinationNodeURI");
		int c = -1, p = -3;
		for (int i = 0; i < n; i++) {
			if (child && it[i].id && !strcmp(it[i].id, child))
				c = i;
			if (parent && it[i].id && !strcmp(it[i].id, parent))
				p = i;
		}
		if (parent && !strcmp(parent, docid))
			p = -1;
		snprintf(loc, sizeof loc, "/CFAssociations/%zu/%s", a,
			 c < 0 ? "originNodeURI/identifier" : "destinationNodeURI/identifier");
		if (c < 0 || p == -3)
			problem(rep, MMS_EREF, loc, "names no item of the package (a dangling link)", &first);
		else
			it[c].parent = p;
	}
	for (int i = 0; i < n && first == MMS_OK; i++) {
		snprintf(loc, sizeof loc, "/CFItems/%d", i);
		if (it[i].parent == -2)
			problem(rep, MMS_EREF, loc, "has no isChildOf association", &first);
		else if (!(it[i].depth = depth_of(it, n, i)))
			problem(rep, MMS_ECYCLE, loc, "its isChildOf associations lead back to itself",
				&first);
	}
	json_object *comps = first == MMS_OK ? json_object_new_array() : NULL;
	for (int i = 0; comps && i < n; i++) {
		static const char *const kinds[] = {"area", "competency", "indicator"};
		json_object *c = json_object_new_object();
		json_object_object_add(c, "code", json_object_new_string(it[i].code));
		json_object_object_add(c, "name", json_object_new_string(it[i].name));
		json_object_object_add(c, "framework", json_object_new_string(name));
		if (it[i].parent >= 0)
			json_object_object_add(c, "parent", json_object_new_string(it[it[i].parent].code));
		json_object_object_add(c, "kind", json_object_new_string(kinds[it[i].depth > 3 ? 2
										    : it[i].depth - 1]));
		json_object_array_add(comps, c);
	}
	mms_free(it);
	if (first != MMS_OK)
		return first;
	if (!comps || !(*out = json_object_new_object())) {
		json_object_put(comps);
		return MMS_ENOMEM;
	}
	json_object_object_add(*out, "competencies", comps);
	return MMS_OK;
}

int mms_framework_import_case(mms_db *db, const char *json, const char *framework,
			      mms_report **report)
{
	if (report)
		*report = NULL;
	if (!db || !json)
		return MMS_EINVAL;
	if (db->scope >= 0) /* competencies are reference data for every scope */
		return mms_db_fail(db, MMS_EACCES, "frameworks are written only through a handle "
				   "without a scope; this one is limited to unit \"%s\"",
				   mms_str(&db->m, mms_row(&db->m, MMS_UNIT, db->scope)[U_CODE]));
	mms_report *rep = mms_report_new();
	if (!rep)
		return mms_db_fail(db, MMS_ENOMEM, "out of memory");
	json_tokener *tok = json_tokener_new();
	json_object *root = tok ? json_tokener_parse_ex(tok, json, (int)strlen(json)) : NULL, *doc = NULL;
	int rc = !tok ? MMS_ENOMEM : json_tokener_get_error(tok) != json_tokener_success ? MMS_EPARSE
										  : MMS_OK;
	if (rc == MMS_EPARSE)
		mms_report_add(rep, rc, "case", "case: JSON syntax error: %s",
			       json_tokener_error_desc(json_tokener_get_error(tok)));
	if (tok)
		json_tokener_free(tok);
	if (rc == MMS_OK)
		rc = convert(root, framework, rep, &doc);
	if (rc == MMS_OK) {
		const char *text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
		mms_report *inner = NULL;
		rc = text ? mms_db_import_json(db, text, NULL, &inner) : MMS_ENOMEM;
		for (size_t i = 0; i < mms_report_count(inner); i++) /* in libmms terms */
			mms_report_add(rep, mms_report_code(inner, i), mms_report_location(inner, i),
				       "%s", mms_report_message(inner, i));
		mms_report_free(inner);
	} else if (rc != MMS_ENOMEM) {
		mms_db_fail(db, rc, "%s%s", mms_report_message(rep, 0),
			    mms_report_count(rep) > 1 ? " (and more problems)" : "");
	}
	json_object_put(root);
	json_object_put(doc);
	if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory");
	if (report)
		*report = rep;
	else
		mms_report_free(rep);
	return rc;
}

/* A stable identifier in the form of a UUID, from FNV-1a hashes of a text. */
static void stable_id(char out[37], const char *a, const char *b)
{
	uint64_t h1 = 1469598103934665603ull, h2 = 1099511628211ull * 7;
	for (const char *p = a; *p; p++)
		h1 = (h1 ^ (uint8_t)*p) * 1099511628211ull;
	h1 = (h1 ^ '/') * 1099511628211ull;
	for (const char *p = b; *p; p++) {
		h1 = (h1 ^ (uint8_t)*p) * 1099511628211ull;
		h2 = (h2 ^ (uint8_t)*p) * 1099511628211ull + h1;
	}
	snprintf(out, 37, "%08x-%04x-5%03x-8%03x-%012llx", (unsigned)(h1 >> 32),
		 (unsigned)(h1 >> 16) & 0xffff, (unsigned)h1 & 0xfff, (unsigned)(h2 >> 52) & 0xfff,
		 (unsigned long long)(h2 & 0xffffffffffffull));
}

static json_object *node(const char *id, const char *title)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "identifier", json_object_new_string(id));
	json_object_object_add(o, "title", json_object_new_string(title));
	json_object_object_add(o, "uri", json_object_new_string(id));
	return o;
}

int mms_framework_export_case(mms_db *db, const char *framework, char **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = framework ? mms_db_ready(db) : MMS_EINVAL;
	if (rc != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	static const char *const types[] = {"Area", "Competency", "Indicator"};
	char docid[37], id[37], pid[37];
	stable_id(docid, framework, "");
	json_object *root = json_object_new_object(), *doc = node(docid, framework);
	json_object *items = json_object_new_array(), *assocs = json_object_new_array();
	json_object_object_add(doc, "creator", json_object_new_string("libmms"));
	json_object_object_add(root, "CFDocument", doc);
	size_t found = 0;
	for (size_t i = 0; i < m->t[MMS_COMPETENCY].count; i++) {
		const int32_t *c = mms_row(m, MMS_COMPETENCY, (int32_t)i);
		if (strcmp(mms_str(m, c[C_FRAMEWORK]), framework))
			continue;
		found++;
		const char *code = mms_str(m, c[C_CODE]);
		stable_id(id, framework, code);
		json_object *o = json_object_new_object();
		json_object_object_add(o, "identifier", json_object_new_string(id));
		json_object_object_add(o, "uri", json_object_new_string(id));
		json_object_object_add(o, "humanCodingScheme", json_object_new_string(code));
		json_object_object_add(o, "fullStatement", json_object_new_string(mms_str(m, c[C_NAME])));
		json_object_object_add(o, "CFItemType", json_object_new_string(types[c[C_KIND]]));
		if (c[C_FUNCTION])
			json_object_object_add(o, "notes", json_object_new_string(mms_str(m, c[C_FUNCTION])));
		json_object_array_add(items, o);
		const char *pcode = c[C_PARENT] >= 0 ? mms_str(m, mms_row(m, MMS_COMPETENCY, c[C_PARENT])[C_CODE])
						     : NULL;
		if (pcode)
			stable_id(pid, framework, pcode);
		json_object *a = json_object_new_object();
		char aid[37];
		stable_id(aid, id, "isChildOf");
		json_object_object_add(a, "identifier", json_object_new_string(aid));
		json_object_object_add(a, "associationType", json_object_new_string("isChildOf"));
		json_object_object_add(a, "originNodeURI", node(id, code));
		json_object_object_add(a, "destinationNodeURI",
				       pcode ? node(pid, pcode) : node(docid, framework));
		json_object_array_add(assocs, a);
	}
	json_object_object_add(root, "CFItems", items);
	json_object_object_add(root, "CFAssociations", assocs);
	const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
							  JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!found)
		rc = mms_db_fail(db, MMS_ENOTFOUND, "no framework \"%.100s\"", framework);
	else if (!text || !(*out = mms_strdup(text)))
		rc = mms_db_fail(db, MMS_ENOMEM, "out of memory");
	json_object_put(root);
	return rc;
}
