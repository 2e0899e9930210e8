/*
 * Competency frameworks in 1EdTech CASE JSON, so frameworks of other
 * systems can be used: CFDocument, CFItems, and CFAssociations of type
 * isChildOf (origin = the child, destination = the parent item or the
 * document). Read with json-c; converted to the libmms format and
 * imported through the ordinary, atomic path.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchange/exchange.h"
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
	int parent;  /* index of the parent item, -1 for the document, -2 none yet */
	int link;    /* the isChildOf association that gave the parent, or -1 */
	int depth;   /* 1 under the document; 0 not known yet, -1 on the walk */
	int coded;   /* the code is the humanCodingScheme (else the identifier) */
} item;

static const char *item_id(const void *ctx, int32_t i) { return ((const item *)ctx)[i].id; }

static int problem(mms_report *rep, int rc, const char *loc, const char *msg, int *first)
{
	/* the whole document's pointer is "": say so rather than print nothing */
	mms_report_add(rep, rc, loc, "%s: %s", *loc ? loc : "the CASE document", msg);
	if (*first == MMS_OK)
		*first = rc;
	return rc;
}

/* Depths of every item, each link walked once (linear time however deep the
 * tree): a walk goes up to an item whose depth is known, then numbers the
 * way back down. A walk that meets itself is a cycle: returns the item the
 * walk began at (on the cycle or leading into it), or -1. */
static int depths(item *it, int n, int *walk)
{
	for (int i = 0; i < n; i++) {
		int top = 0, p = i;
		while (p >= 0 && it[p].depth == 0) {
			it[p].depth = -1;
			walk[top++] = p;
			p = it[p].parent;
		}
		if (p >= 0 && it[p].depth < 0)
			return i;
		int d = p >= 0 ? it[p].depth : 0;
		while (top > 0)
			it[walk[--top]].depth = ++d;
	}
	return -1;
}

/* Reads the items, each identifier once, into it[] and ids. */
static void read_items(json_object *items, item *it, int n, mms_hash *ids, mms_report *rep,
		       int *first)
{
	char loc[200], msg[300];
	for (int i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(items, (size_t)i);
		const char *hcs = str_of(o, "humanCodingScheme");
		it[i] = (item){str_of(o, "identifier"), NULL, str_of(o, "fullStatement"), -2, -1, 0, !!hcs};
		it[i].code = hcs ? hcs : it[i].id;
		snprintf(loc, sizeof loc, "/CFItems/%d", i);
		if (!it[i].id || !it[i].name) {
			problem(rep, MMS_EMISSING, loc, "an item needs an identifier and a fullStatement",
				first);
			continue;
		}
		int32_t twin = mms_hash_get(ids, it[i].id, item_id, it);
		if (twin >= 0) {
			snprintf(loc, sizeof loc, "/CFItems/%d/identifier", i);
			snprintf(msg, sizeof msg, "identifier \"%.100s\" is already the identifier of "
				 "/CFItems/%d", it[i].id, (int)twin);
			problem(rep, MMS_EDUP, loc, msg, first);
		} else if (mms_hash_put(ids, i, item_id, it) != MMS_OK) {
			*first = MMS_ENOMEM;
			return;
		}
	}
}

/* Sets each item's parent from the isChildOf associations: one parent an
 * item, and every end naming an item of the package (or the document). */
static void read_parents(json_object *assocs, const char *docid, item *it, const mms_hash *ids,
			 mms_report *rep, int *first)
{
	char loc[200], msg[300];
	size_t na = json_object_is_type(assocs, json_type_array) ? json_object_array_length(assocs) : 0;
	for (size_t a = 0; a < na && a < INT32_MAX; a++) {
		json_object *o = json_object_array_get_idx(assocs, a);
		const char *type = str_of(o, "associationType");
		if (!type || strcmp(type, "isChildOf"))
			continue; /* other associations say nothing of the tree */
		const char *child = node_id(o, "originNodeURI"), *parent = node_id(o, "destinationNodeURI");
		int c = child ? mms_hash_get(ids, child, item_id, it) : -1;
		int p = parent ? mms_hash_get(ids, parent, item_id, it) : -1;
		if (parent && !strcmp(parent, docid))
			p = -1; /* the document */
		else if (p < 0)
			p = -3; /* nothing */
		snprintf(loc, sizeof loc, "/CFAssociations/%zu/%s", a,
			 c < 0 ? "originNodeURI/identifier" : "destinationNodeURI/identifier");
		if (c < 0 || p == -3) {
			problem(rep, MMS_EREF, loc, "names no item of the package (a dangling link)", first);
		} else if (it[c].parent != -2 && it[c].parent != p) {
			snprintf(loc, sizeof loc, "/CFAssociations/%zu", a);
			snprintf(msg, sizeof msg, "a second parent for item \"%.100s\" (/CFItems/%d), "
				 "whose parent is already given by /CFAssociations/%d: an item has one "
				 "parent", it[c].id, c, it[c].link);
			problem(rep, MMS_EDUP, loc, msg, first); /* the parent given twice */
		} else {
			it[c].parent = p;
			it[c].link = (int)a;
		}
	}
}

/* The CASE package as a libmms document of competencies, competency i
 * being item i; *items_out (n of them) says where each came from. */
static int convert(json_object *root, const char *framework, mms_report *rep, item **items_out,
		   int *n_out, json_object **out)
{
	int first = MMS_OK;
	json_object *doc, *items, *assocs = NULL;
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
	size_t count = json_object_array_length(items);
	if (count >= INT32_MAX / 2)
		return problem(rep, MMS_ERANGE, "/CFItems", "too many items", &first);
	int n = (int)count;
	item *it = mms_calloc((size_t)n + 1, sizeof *it);
	int *walk = mms_calloc((size_t)n + 1, sizeof *walk);
	mms_hash ids = {0};
	if (!it || !walk || mms_hash_reserve(&ids, (size_t)n, item_id, it) != MMS_OK) {
		mms_free(it);
		mms_free(walk);
		mms_hash_free(&ids);
		return MMS_ENOMEM;
	}
	read_items(items, it, n, &ids, rep, &first);
	json_object_object_get_ex(root, "CFAssociations", &assocs);
	if (first != MMS_ENOMEM)
		read_parents(assocs, docid, it, &ids, rep, &first);
	mms_hash_free(&ids);
	char loc[200];
	for (int i = 0; i < n && first == MMS_OK; i++) {
		snprintf(loc, sizeof loc, "/CFItems/%d", i);
		if (it[i].parent == -2)
			problem(rep, MMS_EREF, loc, "has no isChildOf association", &first);
	}
	int cyclic = first == MMS_OK ? depths(it, n, walk) : -1;
	mms_free(walk);
	if (cyclic >= 0) {
		snprintf(loc, sizeof loc, "/CFItems/%d", cyclic);
		problem(rep, MMS_ECYCLE, loc, "its isChildOf associations lead back to itself", &first);
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
	if (first != MMS_OK) {
		mms_free(it);
		return first;
	}
	if (!comps || !(*out = json_object_new_object())) {
		json_object_put(comps);
		mms_free(it);
		return MMS_ENOMEM;
	}
	json_object_object_add(*out, "competencies", comps);
	*items_out = it;
	*n_out = n;
	return MMS_OK;
}

/* The place in the CASE document of what the import found at
 * /competencies/<i>/<field> of the converted one: competency i is item i,
 * its parent comes from the item's isChildOf association. */
static void case_place(char *out, size_t size, const char *loc, const item *it, int n,
		       const char *framework)
{
	static const char pre[] = "/competencies/";
	char *end = NULL;
	long i = strncmp(loc, pre, sizeof pre - 1) ? -1 : strtol(loc + sizeof pre - 1, &end, 10);
	if (i < 0 || i >= n || end == loc + sizeof pre - 1) {
		snprintf(out, size, "%s", loc);
		return;
	}
	if (!strcmp(end, "/code"))
		snprintf(out, size, "/CFItems/%ld/%s", i, it[i].coded ? "humanCodingScheme" : "identifier");
	else if (!strcmp(end, "/name"))
		snprintf(out, size, "/CFItems/%ld/fullStatement", i);
	else if (!strcmp(end, "/parent") && it[i].link >= 0)
		snprintf(out, size, "/CFAssociations/%d/destinationNodeURI", it[i].link);
	else if (!strcmp(end, "/framework"))
		snprintf(out, size, "%s", framework ? "framework" : "/CFDocument/title");
	else
		snprintf(out, size, "/CFItems/%ld", i);
}

/* Imports the converted document, reporting its problems at their place in
 * the CASE document. */
static int import_converted(mms_db *db, json_object *doc, const item *it, int n,
			    const char *framework, mms_report *rep)
{
	const char *text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	mms_report *inner = NULL;
	int rc = text ? mms_db_import_json(db, text, NULL, &inner) : MMS_ENOMEM;
	for (size_t i = 0; i < mms_report_count(inner); i++) {
		const char *loc = mms_report_location(inner, i), *msg = mms_report_message(inner, i);
		size_t len = strlen(loc);
		char place[200];
		case_place(place, sizeof place, loc, it, n, framework);
		if (!strncmp(msg, loc, len) && msg[len] == ':')
			msg += len + 1; /* the message without its old location */
		else
			msg = *msg == ' ' ? msg + 1 : msg;
		mms_report_add(rep, mms_report_code(inner, i), place, "%s:%s%s", place,
			       *msg == ' ' ? "" : " ", msg);
	}
	mms_report_free(inner);
	return rc;
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
	json_object *root = NULL, *doc = NULL;
	item *it = NULL;
	int n = 0;
	int rc = mms_json_parse(&root, json, strlen(json), "case", rep);
	if (rc == MMS_OK)
		rc = convert(root, framework, rep, &it, &n, &doc);
	if (rc == MMS_OK)
		rc = import_converted(db, doc, it, n, framework, rep);
	if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory");
	else if (rc != MMS_OK)
		mms_db_fail(db, rc, "%s%s", mms_report_count(rep) ? mms_report_message(rep, 0)
								 : mms_errstr(rc),
			    mms_report_count(rep) > 1 ? " (and more problems)" : "");
	json_object_put(root);
	json_object_put(doc);
	mms_free(it);
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
		if (strcmp(mms_str(m, c[C_FRAMEWORK]), framework) ||
		    !mms_model_live(m, MMS_COMPETENCY, (int32_t)i))
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
