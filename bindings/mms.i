/*
 * libmms for Python and Lua: one SWIG interface for both.
 *
 * Handles become classes (Db, Record, IdList, Report, Typology, Coverage);
 * entities are named by their plural ("units", "staff", ...). Every failing
 * call raises: in Python an mms.Error subclass per result code carrying the
 * handle's message (and .code), in Lua error("MMS_E...: message"). Results
 * (id lists, reports, typologies, coverage) copy what they hold, so they
 * stay valid after the Db that made them is closed. Db.close() may be
 * called any number of times. mms_allocator_set() is a C-level testing
 * hook and is not bound.
 */
%module mms

%{
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <mms/mms.h>

/* The error of the call in progress, raised by the %exception below (and
 * by the hand-written Lua functions). Every wrapped call starts with
 * mms_swig_begin() and raising takes the error, so a failure is reported
 * by the call that made it and by no later one. */
static __thread int mms_swig_rc;
static __thread char mms_swig_msg[2200];

static void mms_swig_begin(void)
{
	mms_swig_rc = 0;
	mms_swig_msg[0] = '\0';
}

/* The pending error code, cleared: it is raised exactly once. */
static int mms_swig_take(void)
{
	int rc = mms_swig_rc;
	mms_swig_rc = 0;
	return rc;
}

static const char *const mms_swig_names[] = {
	"Ok", "Error", "NoMemory", "InvalidArgument", "NotFound", "StorageError",
	"Corrupt", "Busy", "ParseError", "TypeMismatch", "RangeError",
	"UnknownReference", "DuplicateCode", "CycleError", "LevelError",
	"MissingField", "VersionError", "AccessDenied", "ReadOnly", "OutputRefused"};
static const char *const mms_swig_codes[] = {
	"MMS_OK", "MMS_ERROR", "MMS_ENOMEM", "MMS_EINVAL", "MMS_ENOTFOUND", "MMS_EIO",
	"MMS_ECORRUPT", "MMS_EBUSY", "MMS_EPARSE", "MMS_ETYPE", "MMS_ERANGE", "MMS_EREF",
	"MMS_EDUP", "MMS_ECYCLE", "MMS_ELEVEL", "MMS_EMISSING", "MMS_EVERSION", "MMS_EACCES",
	"MMS_EREADONLY", "MMS_EOUTPUT"};

static int mms_swig_index(int rc)
{
	return rc < 0 && -rc < (int)(sizeof mms_swig_names / sizeof *mms_swig_names) ? -rc : 1;
}

/* Records a failure; the message of the handle if there is one. */
static int mms_swig_fail(int rc, const char *msg)
{
	mms_swig_rc = rc;
	snprintf(mms_swig_msg, sizeof mms_swig_msg, "%s",
		 msg && *msg ? msg : mms_errstr(rc));
	return rc;
}

/* The classes: Db holds its handle so close() can be idempotent, and the
 * catalogues opened on it, which it closes first; the others are the
 * library's own objects under an opaque class name. */
typedef struct Kpi Kpi;
typedef struct Db { mms_db *db; Kpi *kpis; } Db;
struct Kpi { mms_kpi *kpi; Db *owner; Kpi *next; };

/* A value of an indicator, with its texts copied so it outlives everything. */
typedef struct KpiValue {
	int defined, has_target, status, units;
	double value, numerator, denominator, target, gap;
	char status_name[16], aggregation[16], band[32];
	char as_of[11]; /* the day whose state was read: the period's end */
} KpiValue;

/* An indicator at every unit (mms_kpi_values): the values of the n units,
 * then their numerators, then their denominators, in v. */
typedef struct KpiValues {
	size_t n;
	double *v;
} KpiValues;

/* A result copied into a KpiValue, or NULL and a pending error. */
static KpiValue *mms_swig_kpi_value(Kpi *k, int rc, const mms_kpi_result *r)
{
	KpiValue *v = NULL;
	if (rc != MMS_OK) {
		mms_swig_fail(rc, k->kpi ? mms_kpi_errmsg(k->kpi) : "the database is closed");
	} else if (!(v = calloc(1, sizeof *v))) {
		mms_swig_fail(MMS_ENOMEM, NULL);
	} else {
		v->defined = r->defined;
		v->has_target = r->has_target;
		v->status = r->status;
		v->units = r->units;
		v->value = r->value;
		v->numerator = r->numerator;
		v->denominator = r->denominator;
		v->target = r->target;
		v->gap = r->gap;
		snprintf(v->status_name, sizeof v->status_name, "%s", mms_kpi_status_name(r->status));
		snprintf(v->aggregation, sizeof v->aggregation, "%s", r->aggregation);
		snprintf(v->band, sizeof v->band, "%s", r->band ? r->band : "");
		snprintf(v->as_of, sizeof v->as_of, "%s", r->as_of);
	}
	return v;
}

static void mms_swig_kpi_detach(Kpi *k)
{
	if (k->owner) {
		Kpi **p = &k->owner->kpis;
		while (*p && *p != k)
			p = &(*p)->next;
		if (*p)
			*p = k->next;
	}
	mms_kpi_close(k->kpi);
	k->kpi = NULL;
	k->owner = NULL;
}

static void mms_swig_db_close(Db *self)
{
	while (self->kpis)
		mms_swig_kpi_detach(self->kpis);
	mms_db_close(self->db);
	self->db = NULL;
}
typedef struct Record Record;
typedef struct IdList IdList;
typedef struct Report Report;
typedef struct History History;
#define HIS(x) ((mms_history *)(x))
typedef struct Typology Typology;
typedef struct Coverage Coverage;
typedef struct Sample Sample;
typedef struct Clusters Clusters;
typedef struct Deficits Deficits;
typedef struct RoutePlan RoutePlan;
typedef struct Effect { double share; size_t covered; } Effect;
#define DEF(x) ((mms_deficits *)(x))
#define PLAN(x) ((mms_route_plan *)(x))
#define SMP(x) ((mms_sample *)(x))
#define CLU(x) ((mms_clusters *)(x))
typedef mms_estimate Estimate;
#define REC(x) ((mms_record *)(x))
#define IDS(x) ((mms_idlist *)(x))
#define REP(x) ((mms_report *)(x))
#define TYP(x) ((mms_typology *)(x))
#define COV(x) ((mms_coverage *)(x))

/* The open handle of a Db, or NULL (and a pending error) if it is closed. */
static mms_db *mms_swig_db(Db *self)
{
	if (!self->db)
		mms_swig_fail(MMS_EINVAL, "the database is closed");
	return self->db;
}

static int mms_swig_entity(const char *name)
{
	int e = -1;
	if (mms_entity_from_name(&e, name) != MMS_OK) {
		char msg[200];
		snprintf(msg, sizeof msg, "unknown entity \"%.100s\" (units, links, staff, "
			 "staff_links, activities, participations)", name ? name : "");
		mms_swig_fail(MMS_EINVAL, msg);
	}
	return e;
}

/* An import mode by name: "add", "upsert" or "sync" (anything else: -1,
 * which the import refuses with MMS_EINVAL and a message). */
static int mms_swig_import_mode(const char *mode)
{
	return !mode || !strcmp(mode, "add") ? MMS_IMPORT_ADD
	       : !strcmp(mode, "upsert") ? MMS_IMPORT_UPSERT
	       : !strcmp(mode, "sync") ? MMS_IMPORT_SYNC : -1;
}

/* A table's format by name: "csv" or "json" (anything else: -1, which the
 * call refuses with MMS_EINVAL and a message). */
static int mms_swig_format(const char *format)
{
	return !format || !strcmp(format, "csv") ? MMS_FORMAT_CSV
	       : !strcmp(format, "json") ? MMS_FORMAT_JSON : -1;
}

/* Checks a call on a Db: records its failure with the handle's message. */
static int mms_swig_check(Db *self, int rc)
{
	if (rc != MMS_OK)
		mms_swig_fail(rc, self->db ? mms_db_errmsg(self->db) : NULL);
	return rc;
}
%}

%exception {
	mms_swig_begin();
	$action
	if (mms_swig_rc) {
		int mms_code = mms_swig_take();
#ifdef SWIGPYTHON
		PyObject *mod = PyImport_ImportModule("mms");
		PyObject *cls = mod ? PyObject_GetAttrString(mod, mms_swig_names[mms_swig_index(mms_code)]) : NULL;
		Py_XDECREF(mod);
		if (!cls) {
			PyErr_Clear();
			cls = PyExc_RuntimeError;
			Py_INCREF(cls);
		}
		PyErr_SetString(cls, mms_swig_msg);
		Py_DECREF(cls);
#endif
#ifdef SWIGLUA
		lua_pushfstring(L, "%s: %s", mms_swig_codes[mms_swig_index(mms_code)], mms_swig_msg);
#endif
		SWIG_fail;
	}
}

%typemap(newfree) char * "mms_free($1);";

#ifdef SWIGLUA
/* Ids and counts are integers, not floats, in Lua 5.4. */
%typemap(out) int "lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++;";
%typemap(out) size_t "lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++;";
#endif

%nodefaultctor;
typedef struct Db {} Db;
typedef struct Kpi {} Kpi;
typedef struct Sample {} Sample;
typedef struct Clusters {} Clusters;
typedef struct Deficits {} Deficits;
typedef struct RoutePlan {} RoutePlan;
%immutable;
typedef struct Effect { double share; size_t covered; } Effect;
typedef struct mms_estimate {
	int defined;
	double value, low, high, sampled;
} Estimate;
typedef struct KpiValue {
	int defined, has_target, status, units;
	double value, numerator, denominator, target, gap;
	char status_name[16], aggregation[16], band[32];
	char as_of[11]; /* the day whose state was read: the period's end */
} KpiValue;
%mutable;
typedef struct Record {} Record;
typedef struct IdList {} IdList;
typedef struct Report {} Report;
typedef struct History {} History;
typedef struct Typology {} Typology;
typedef struct Coverage {} Coverage;
typedef struct KpiValues {} KpiValues;

%rename("%s") mms_errstr;
const char *mms_errstr(int rc);
int mms_libversion_number(void);
const char *mms_libversion(void);
const char *mms_entity_name(int entity);
int mms_entity_field_count(int entity);
const char *mms_entity_field_name(int entity, int i);
const char *mms_kpi_status_name(int status);
const char *mms_severity_name(int severity);

%inline %{
/* Number of an entity by plural name, raising for an unknown one. */
int entity_id(const char *name) { return mms_swig_entity(name); }
%}

%extend IdList {
	~IdList() { mms_idlist_free(IDS($self)); }
	size_t count() { return mms_idlist_count(IDS($self)); }
	int get(size_t i) {
		if (i >= mms_idlist_count(IDS($self)))
			mms_swig_fail(MMS_EINVAL, "index out of range");
		return mms_idlist_get(IDS($self), i);
	}
};

%extend Report {
	~Report() { mms_report_free(REP($self)); }
	size_t count() { return mms_report_count(REP($self)); }
	int code(size_t i) { return mms_report_code(REP($self), i); }
	const char *location(size_t i) { return mms_report_location(REP($self), i); }
	const char *message(size_t i) { return mms_report_message(REP($self), i); }
};

/* The recorded changes of one record (Db.history). */
%extend History {
	~History() { mms_history_free(HIS($self)); }
	size_t count() { return mms_history_count(HIS($self)); }
	const char *at(size_t i) { return mms_history_at(HIS($self), i); }
	const char *actor(size_t i) { return mms_history_actor(HIS($self), i); }
	/* None/nil for the addition of the record */
	const char *field(size_t i) { return mms_history_field(HIS($self), i); }
	const char *old_value(size_t i) { return mms_history_old(HIS($self), i); }
	const char *new_value(size_t i) { return mms_history_new(HIS($self), i); }
};

%extend Typology {
	~Typology() { mms_typology_free(TYP($self)); }
	const char *classification(const char *axis) { return mms_typology_class(TYP($self), axis); }
	const char *reason(const char *axis) { return mms_typology_reason(TYP($self), axis); }
};

%extend Coverage {
	~Coverage() { mms_coverage_free(COV($self)); }
	size_t count() { return mms_coverage_count(COV($self)); }
	const char *territory(size_t i) { return mms_coverage_territory(COV($self), i); }
	const char *performed(size_t i) { return mms_coverage_performed(COV($self), i); }
	const char *missing(size_t i) { return mms_coverage_missing(COV($self), i); }
};

%extend Record {
	Record(const char *entity) {
		mms_record *r = NULL;
		int e = mms_swig_entity(entity);
		if (e >= 0 && mms_record_new(&r, e) != MMS_OK)
			mms_swig_fail(MMS_ENOMEM, NULL);
		return (Record *)r;
	}
	~Record() { mms_record_free(REC($self)); }
	void set(const char *field, const char *value = NULL) {
		int rc = mms_record_set(REC($self), field, value);
		if (rc != MMS_OK)
			mms_swig_fail(rc, rc == MMS_EINVAL ? "unknown field for this entity" : NULL);
	}
	void clear() { mms_record_clear(REC($self)); }
};

%newobject Db::get;
%newobject Db::get_at;
%newobject Db::export_json;
%newobject Db::export_json_pseudonymised;
%newobject Db::stats;
%newobject Db::dot;
%newobject Db::fit_table;
%newobject Db::route_authorship;
%newobject Db::route_change;
%newobject Db::route_change_by_resource;
%newobject Db::route_basis;
%newobject Db::route_map;
%newobject Db::route_federal;
%newobject Db::mentoring_schools;
%newobject Db::children;
%newobject Db::subtree;
%newobject Db::path;
%newobject Db::links;
%newobject Db::find_units;
%newobject Db::find_staff;
%newobject Db::import_file;
%newobject Db::import_json;
%newobject Db::typology;
%newobject Db::history;
%newobject Db::coverage;
/* %newobject applies only to what is declared after it: these were once
 * listed after their %extend blocks, and the results leaked. */
%newobject Db::deficits;
%newobject Db::import_case;
%newobject Db::export_case;
%newobject Db::plan_route;
%newobject Db::plan_routes;
%newobject Db::effectiveness;
%newobject Kpi::clusters;
%newobject Kpi::sample;
%newobject Kpi::estimate;
%newobject Sample::ids;

%extend Db {
	/* With scope (a unit code), the handle is limited to its subtree. */
	Db(const char *path, int read_only = 0, int busy_timeout_ms = 0, int no_create = 0,
	   const char *scope = NULL) {
		Db *self = calloc(1, sizeof *self);
		mms_open_options o = MMS_OPEN_OPTIONS_INIT;
		o.read_only = read_only;
		o.busy_timeout_ms = busy_timeout_ms;
		o.no_create = no_create;
		if (!self) {
			mms_swig_fail(MMS_ENOMEM, NULL);
			return NULL;
		}
		int rc = scope ? mms_db_open_scoped(&self->db, path, &o, scope)
			       : mms_db_open(&self->db, path, &o);
		if (rc != MMS_OK) {
			mms_swig_fail(rc, mms_db_errmsg(self->db));
			mms_db_close(self->db);
			free(self);
			return NULL;
		}
		return self;
	}
	~Db() {
		mms_swig_db_close($self);
		free($self);
	}
	/* Closes the database and its catalogues; later calls raise, closing
	 * again does nothing. */
	void close() { mms_swig_db_close($self); }
	int closed() { return $self->db == NULL; }
	/* The unit id the handle is limited to, or -1. */
	int scope() { return $self->db ? mms_db_scope($self->db) : -1; }
	const char *errmsg() { return $self->db ? mms_db_errmsg($self->db) : ""; }
	void refresh() {
		mms_db *db = mms_swig_db($self);
		if (db)
			mms_swig_check($self, mms_db_refresh(db));
	}
	/* Writes the columnar snapshot beside the file (mms_db_snapshot). */
	void snapshot() {
		mms_db *db = mms_swig_db($self);
		if (db)
			mms_swig_check($self, mms_db_snapshot(db));
	}
	size_t count(const char *entity) {
		mms_db *db = mms_swig_db($self);
		int e = db ? mms_swig_entity(entity) : -1;
		size_t n = 0;
		if (e >= 0)
			mms_swig_check($self, mms_db_count(db, e, &n));
		return n;
	}
	int find(const char *entity, const char *code) {
		mms_db *db = mms_swig_db($self);
		int e = db ? mms_swig_entity(entity) : -1;
		int32_t id = -1;
		if (e >= 0)
			mms_swig_check($self, mms_db_find(db, e, code, &id));
		return id;
	}
	/* A field as text, or None/nil when absent. */
	char *get(const char *entity, int id, const char *field) {
		mms_db *db = mms_swig_db($self);
		int e = db ? mms_swig_entity(entity) : -1;
		char *v = NULL;
		if (e >= 0)
			mms_swig_check($self, mms_db_get(db, e, id, field, &v));
		return v;
	}
	/* A field as it was on day (YYYY-MM-DD): a dated field's past value then. */
	char *get_at(const char *entity, int id, const char *field, const char *day) {
		mms_db *db = mms_swig_db($self);
		int e = db ? mms_swig_entity(entity) : -1;
		char *v = NULL;
		if (e >= 0)
			mms_swig_check($self, mms_db_get_at(db, e, id, field, day, &v));
		return v;
	}
	int insert_record(Record *rec) {
		mms_db *db = mms_swig_db($self);
		int32_t id = -1;
		if (db)
			mms_swig_check($self, mms_db_insert(db, REC(rec), &id));
		return id;
	}
	/* Changes the fields set in rec of the record with this code, checked
	 * as an import; raises with the first problem (the database is then
	 * unchanged). A field set to "" is cleared. */
	void update_record(const char *code, Record *rec, const char *actor = NULL,
			   const char *from_date = NULL) {
		mms_db *db = mms_swig_db($self);
		mms_update_options o = MMS_UPDATE_OPTIONS_INIT;
		o.actor = actor;
		o.from = from_date;
		if (db)
			mms_swig_check($self, mms_db_update_record(db, code, REC(rec), &o, NULL));
	}
	/* Deletes the record with this code; raises (MMS_EREF, naming them)
	 * while live records refer to it, unless cascade deletes them too. */
	void delete(const char *entity, const char *code, int cascade = 0,
		    const char *actor = NULL) {
		mms_db *db = mms_swig_db($self);
		int e = db ? mms_swig_entity(entity) : -1;
		mms_delete_options o = MMS_DELETE_OPTIONS_INIT;
		o.cascade = cascade;
		o.actor = actor;
		if (e >= 0)
			mms_swig_check($self, mms_db_delete(db, e, code, &o, NULL));
	}
	/* The changes recorded of a record: key is its code, or its id as text. */
	History *history(const char *entity, const char *key) {
		mms_db *db = mms_swig_db($self);
		int e = db ? mms_swig_entity(entity) : -1;
		mms_history *h = NULL;
		if (e >= 0)
			mms_swig_check($self, mms_db_history(db, e, key, &h));
		return (History *)h;
	}
	/* Imports a JSON file or a CSV directory; returns the report on
	 * success (empty, or in mode "sync" each record added, updated or
	 * deleted as location "entity/key" and message) and raises with the
	 * first problem on failure. format is "auto", "json" or "csv". With
	 * dry_run nothing is written. A file larger than max_bytes (0: the
	 * library's default, 1 GiB) is refused. A sync makes the subtree of
	 * unit `scope` in `year` (0: every year) equal to the file. */
	Report *import_file(const char *path, const char *format = "auto", int dry_run = 0,
			    const char *mode = "add", const char *actor = NULL,
			    size_t max_bytes = 0, const char *scope = NULL, int year = 0) {
		mms_db *db = mms_swig_db($self);
		mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
		mms_report *r = NULL;
		o.dry_run = dry_run;
		o.mode = mms_swig_import_mode(mode);
		o.actor = actor;
		o.max_bytes = max_bytes;
		o.scope = scope;
		o.year = year;
		o.format = !strcmp(format, "json") ? MMS_FORMAT_JSON
			   : !strcmp(format, "csv") ? MMS_FORMAT_CSV : MMS_FORMAT_AUTO;
		if (db && mms_swig_check($self, mms_db_import(db, path, &o, &r)) != MMS_OK) {
			mms_report_free(r);
			r = NULL;
		}
		return (Report *)r;
	}
	Report *import_json(const char *json, int dry_run = 0, const char *mode = "add",
			    const char *actor = NULL, const char *scope = NULL, int year = 0) {
		mms_db *db = mms_swig_db($self);
		mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
		mms_report *r = NULL;
		o.dry_run = dry_run;
		o.mode = mms_swig_import_mode(mode);
		o.actor = actor;
		o.scope = scope;
		o.year = year;
		if (db && mms_swig_check($self, mms_db_import_json(db, json, &o, &r)) != MMS_OK) {
			mms_report_free(r);
			r = NULL;
		}
		return (Report *)r;
	}
	/* Every problem of an import, without writing and without raising for
	 * problems in the data (only for I/O and memory failures). */
	%newobject check_file;
	Report *check_file(const char *path, const char *format = "auto") {
		mms_db *db = mms_swig_db($self);
		mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
		mms_report *r = NULL;
		o.dry_run = 1;
		o.format = !strcmp(format, "json") ? MMS_FORMAT_JSON
			   : !strcmp(format, "csv") ? MMS_FORMAT_CSV : MMS_FORMAT_AUTO;
		int rc = db ? mms_db_import(db, path, &o, &r) : MMS_EINVAL;
		if (db && rc != MMS_OK && mms_report_count(r) == 0) {
			mms_swig_check($self, rc);
			mms_report_free(r);
			r = NULL;
		}
		return (Report *)r;
	}
	void export_file(const char *path, const char *format = "json", const char *delimiter = ",") {
		mms_db *db = mms_swig_db($self);
		mms_export_options o = MMS_EXPORT_OPTIONS_INIT;
		o.format = !strcmp(format, "csv") ? MMS_FORMAT_CSV : MMS_FORMAT_JSON;
		o.delimiter = delimiter[0];
		if (db)
			mms_swig_check($self, mms_db_export(db, path, &o));
	}
	char *export_json() {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_db_export_json(db, &s));
		return s;
	}
	/* Exports with personal data replaced by pseudonyms keyed by key. */
	void export_file_pseudonymised(const char *path, const char *key, const char *format = "json",
				       const char *delimiter = ",") {
		mms_db *db = mms_swig_db($self);
		mms_export_options o = MMS_EXPORT_OPTIONS_INIT;
		o.format = !strcmp(format, "csv") ? MMS_FORMAT_CSV : MMS_FORMAT_JSON;
		o.delimiter = delimiter[0];
		if (db)
			mms_swig_check($self, mms_db_export_pseudonymised(db, path, key, &o));
	}
	char *export_json_pseudonymised(const char *key) {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_db_export_json_pseudonymised(db, key, &s));
		return s;
	}
	IdList *children(int unit) {
		mms_db *db = mms_swig_db($self);
		mms_idlist *l = NULL;
		if (db)
			mms_swig_check($self, mms_unit_children(db, unit, &l));
		return (IdList *)l;
	}
	IdList *subtree(int unit) {
		mms_db *db = mms_swig_db($self);
		mms_idlist *l = NULL;
		if (db)
			mms_swig_check($self, mms_unit_subtree(db, unit, &l));
		return (IdList *)l;
	}
	IdList *path(int unit) {
		mms_db *db = mms_swig_db($self);
		mms_idlist *l = NULL;
		if (db)
			mms_swig_check($self, mms_unit_path(db, unit, &l));
		return (IdList *)l;
	}
	IdList *links(int unit) {
		mms_db *db = mms_swig_db($self);
		mms_idlist *l = NULL;
		if (db)
			mms_swig_check($self, mms_unit_links(db, unit, &l));
		return (IdList *)l;
	}
	IdList *find_units(const char *kind = NULL, const char *level = NULL,
			   const char *territory = NULL, int within = -1) {
		mms_db *db = mms_swig_db($self);
		mms_unit_filter f = MMS_UNIT_FILTER_INIT;
		mms_idlist *l = NULL;
		f.kind = kind;
		f.level = level;
		f.territory = territory;
		f.within = within;
		if (db)
			mms_swig_check($self, mms_unit_find(db, &f, &l));
		return (IdList *)l;
	}
	IdList *find_staff(int within = -1, const char *role = NULL, const char *category = NULL,
			   const char *edu_level = NULL, const char *subject = NULL,
			   int part_time = -1, const char *as_of = NULL, int min_age = -1,
			   int max_age = -1, int min_experience = -1, int max_experience = -1) {
		mms_db *db = mms_swig_db($self);
		mms_staff_filter f = MMS_STAFF_FILTER_INIT;
		mms_idlist *l = NULL;
		f.within = within;
		f.role = role;
		f.category = category;
		f.edu_level = edu_level;
		f.subject = subject;
		f.part_time = part_time;
		f.as_of = as_of;
		f.min_age = min_age;
		f.max_age = max_age;
		f.min_experience = min_experience;
		f.max_experience = max_experience;
		if (db)
			mms_swig_check($self, mms_staff_find(db, &f, &l));
		return (IdList *)l;
	}
	char *stats(int within = -1) {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_network_stats(db, within, &s));
		return s;
	}
	Typology *typology(int root = -1) {
		mms_db *db = mms_swig_db($self);
		mms_typology *t = NULL;
		if (db)
			mms_swig_check($self, mms_typology_compute(db, root, &t));
		return (Typology *)t;
	}
	Coverage *coverage(int root = -1) {
		mms_db *db = mms_swig_db($self);
		mms_coverage *c = NULL;
		if (db)
			mms_swig_check($self, mms_coverage_compute(db, root, &c));
		return (Coverage *)c;
	}
	/* A framework in 1EdTech CASE JSON; raises with the place of the first problem. */
	Report *import_case(const char *json, const char *framework = NULL) {
		mms_db *db = mms_swig_db($self);
		mms_report *r = NULL;
		if (db && mms_swig_check($self, mms_framework_import_case(db, json, framework, &r)) != MMS_OK) {
			mms_report_free(r);
			r = NULL;
		}
		return (Report *)r;
	}
	char *export_case(const char *framework) {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_framework_export_case(db, framework, &s));
		return s;
	}
	Deficits *deficits(int staff, const char *as_of = NULL, double high_below = 60,
			   double medium_up_to = 80) {
		mms_db *db = mms_swig_db($self);
		mms_deficit_options o = MMS_DEFICIT_OPTIONS_INIT;
		mms_deficits *d = NULL;
		o.as_of = as_of;
		o.high_below = high_below;
		o.medium_up_to = medium_up_to;
		if (db)
			mms_swig_check($self, mms_deficits_compute(db, staff, &o, &d));
		return (Deficits *)d;
	}
	/* The routes of everyone with a deficit in the subtree of within (-1 = all). */
	RoutePlan *plan_routes(int within, const char *as_of = NULL, const char *start = NULL,
			       const char *end = NULL, int budget_hours = 0, const char *format = NULL,
			       int prefer_in_region = 0, int max_tutor_load = 0,
			       double high_below = 0, double medium_up_to = 0, int developer = -1,
			       int developer_unit = -1, const char *developed_on = NULL,
			       int medium_to_course = 0) {
		mms_db *db = mms_swig_db($self);
		mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
		mms_route_plan *p = NULL;
		o.developer = developer; /* -1: not recorded */
		o.developer_unit = developer_unit;
		o.developed_on = developed_on;
		o.medium_to_course = medium_to_course; /* the region's choice (Р-201) */
		o.high_below = high_below; /* 0: Р-201's 60 and 80 */
		o.medium_up_to = medium_up_to;
		o.as_of = as_of;
		o.start = start;
		o.end = end;
		o.budget_hours = budget_hours;
		o.format = format;
		o.prefer_in_region = prefer_in_region;
		o.max_tutor_load = max_tutor_load;
		if (db)
			mms_swig_check($self, mms_route_plan_batch(db, within, &o, &p));
		return (RoutePlan *)p;
	}
	RoutePlan *plan_route(int staff, const char *as_of = NULL, const char *start = NULL,
			      const char *end = NULL, int budget_hours = 0, const char *format = NULL,
			      double high_below = 0, double medium_up_to = 0, int developer = -1,
			      int developer_unit = -1, const char *developed_on = NULL,
			      int medium_to_course = 0) {
		mms_db *db = mms_swig_db($self);
		mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
		mms_route_plan *p = NULL;
		o.developer = developer; /* -1: not recorded */
		o.developer_unit = developer_unit;
		o.developed_on = developed_on;
		o.medium_to_course = medium_to_course; /* the region's choice (Р-201) */
		o.high_below = high_below; /* 0: Р-201's 60 and 80 */
		o.medium_up_to = medium_up_to;
		o.as_of = as_of;
		o.start = start;
		o.end = end;
		o.budget_hours = budget_hours;
		o.format = format;
		if (db)
			mms_swig_check($self, mms_route_plan_person(db, staff, &o, &p));
		return (RoutePlan *)p;
	}
	/* How closely a resource fits a person: -1 never offered, 0 open to anyone,
	 * else the number of its restrictions the person meets. */
	int route_fit(int staff, int resource, const char *as_of = NULL) {
		mms_db *db = mms_swig_db($self);
		int closeness = -1;
		if (db)
			mms_swig_check($self, mms_route_fit(db, staff, resource, as_of, &closeness));
		return closeness;
	}
	/* The plan's steps by education level and main subject, as CSV. */
	char *fit_table(RoutePlan *plan) {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_route_plan_fit_table(db, PLAN(plan), &s));
		return s;
	}
	/* The routes per developer as CSV; year 0 = all (mms_route_authorship_table). */
	char *route_authorship(int year = 0) {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_route_authorship_table(db, year, &s));
		return s;
	}
	/* The change since a route was built, per competency, as CSV (mms_route_change). */
	char *route_change(int route, const char *as_of = NULL) {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_route_change(db, route, as_of, &s));
		return s;
	}
	/* What a route was built on, as CSV (mms_route_basis): its frozen
	 * deficits, else (a route saved before schema 10) recomputed at its start. */
	char *route_basis(int route) {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_route_basis(db, route, &s, NULL));
		return s;
	}
	/* Whether route_basis() reads the frozen basis (1) or recomputes it (0). */
	int route_basis_frozen(int route) {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		int frozen = 0;
		if (db)
			mms_swig_check($self, mms_route_basis(db, route, &s, &frozen));
		mms_free(s);
		return frozen;
	}
	/* The same per resource, over every route (mms_route_change_by_resource). */
	char *route_change_by_resource(const char *as_of = NULL) {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_route_change_by_resource(db, as_of, &s));
		return s;
	}
	/* The pairs a mentor holds between two dates (None: open), mms_mentor_load. */
	int mentor_load(int mentor, const char *from = NULL, const char *to = NULL) {
		mms_db *db = mms_swig_db($self);
		size_t n = 0;
		if (db)
			mms_swig_check($self, mms_mentor_load(db, mentor, from, to, &n));
		return (int)n;
	}
	/* Signs a route: "agree", "approve" or "acknowledge" (mms_route_sign). */
	void route_sign(int route, const char *signature, int person = -1, const char *on = NULL) {
		mms_db *db = mms_swig_db($self);
		static const char *const names[] = {"agree", "approve", "acknowledge"};
		int which = -1;
		for (int i = 0; signature && i < 3; i++)
			which = !strcmp(signature, names[i]) ? i : which;
		if (which < 0)
			mms_swig_fail(MMS_EINVAL, "signature must be agree, approve or acknowledge");
		else if (db)
			mms_swig_check($self, mms_route_sign(db, route, which, person, on));
	}
	/* Records a revision of an approved route; returns its number. */
	int route_revise(int route, int by = -1, const char *on = NULL, const char *reason = NULL) {
		mms_db *db = mms_swig_db($self);
		int n = 0;
		if (db)
			mms_swig_check($self, mms_route_revise(db, route, by, on, reason, &n));
		return n;
	}
	int route_revision(int route) {
		mms_db *db = mms_swig_db($self);
		int n = 0;
		if (db)
			mms_swig_check($self, mms_route_revision(db, route, &n));
		return n;
	}
	/* The region's deficit map: table "deficits", "resources", "tutors" or
	 * (JSON only) "all"; format "csv" or "json" (mms_route_map). */
	char *route_map(int unit, int year, const char *table = "deficits", const char *format = "csv") {
		mms_db *db = mms_swig_db($self);
		static const char *const names[] = {"deficits", "resources", "tutors"};
		int which = table && !strcmp(table, "all") ? MMS_ROUTE_MAP_ALL : 3;
		for (int i = 0; table && i < 3; i++)
			which = !strcmp(table, names[i]) ? i : which;
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_route_map(db, unit, year, which, mms_swig_format(format), &s));
		return s;
	}
	/* The deficit map as a workbook of three sheets (mms_route_map_xlsx). */
	void route_map_xlsx(int unit, int year, const char *path) {
		mms_db *db = mms_swig_db($self);
		if (db)
			mms_swig_check($self, mms_route_map_xlsx(db, unit, year, path));
	}
	/* The МР-4/02вн figures of a region (mms_route_federal). */
	char *route_federal(int region, int year, const char *format = "json") {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_route_federal(db, region, year, mms_swig_format(format), &s));
		return s;
	}
	/* The schools' mentoring beside Moscow-region 9 (mms_mentoring_schools). */
	char *mentoring_schools(int unit, int year, const char *format = "csv") {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_mentoring_schools(db, unit, year, mms_swig_format(format), &s));
		return s;
	}
	/* Stores a plan as draft routes; returns the id of the first. */
	int save_plan(RoutePlan *plan, const char *prefix = "ИОМ-") {
		mms_db *db = mms_swig_db($self);
		int32_t first = -1;
		if (db)
			mms_swig_check($self, mms_route_plan_save(db, PLAN(plan), prefix, &first));
		return first;
	}
	void route_set_status(int route, const char *status, const char *date,
			      const char *evidence = NULL) {
		mms_db *db = mms_swig_db($self);
		if (db)
			mms_swig_check($self, mms_route_set_status(db, route, status, date, evidence));
	}
	void step_set_status(int step, const char *status, const char *date,
			     const char *evidence = NULL) {
		mms_db *db = mms_swig_db($self);
		if (db)
			mms_swig_check($self, mms_route_step_set_status(db, step, status, date, evidence));
	}
	void route_report_xlsx(int route, const char *path) {
		mms_db *db = mms_swig_db($self);
		if (db)
			mms_swig_check($self, mms_route_report_xlsx(db, route, path));
	}
	const char *route_status(int route) {
		mms_db *db = mms_swig_db($self);
		const char *s = NULL;
		if (db)
			mms_swig_check($self, mms_route_status(db, route, &s));
		return s;
	}
	const char *step_status(int step) {
		mms_db *db = mms_swig_db($self);
		const char *s = NULL;
		if (db)
			mms_swig_check($self, mms_route_step_status(db, step, &s));
		return s;
	}
	Effect *effectiveness(int resource = -1, const char *as_of = NULL) {
		mms_db *db = mms_swig_db($self);
		Effect *e = calloc(1, sizeof *e);
		if (!e)
			mms_swig_fail(MMS_ENOMEM, NULL);
		else if (db && mms_swig_check($self, mms_route_effectiveness(db, resource, as_of,
									     &e->share, &e->covered)) != MMS_OK) {
			free(e);
			e = NULL;
		}
		return e;
	}
	char *dot(int root = -1, const char *as_of = NULL) {
		mms_db *db = mms_swig_db($self);
		char *s = NULL;
		if (db)
			mms_swig_check($self, mms_network_dot(db, root, as_of, &s));
		return s;
	}
};

%newobject Kpi::load;
%newobject Kpi::load_json;
%newobject Kpi::value;
%newobject Kpi::values;
%newobject Kpi::group_value;
%newobject Kpi::records;
%newobject Kpi::load_programmes;
%newobject Kpi::load_programmes_json;
%newobject Kpi::programme_value;

%extend Sample {
	~Sample() { mms_sample_free(SMP($self)); }
	IdList *ids() {
		mms_idlist *l = NULL;
		if (mms_sample_ids(SMP($self), &l) != MMS_OK)
			mms_swig_fail(MMS_ENOMEM, NULL);
		return (IdList *)l;
	}
	size_t strata() { return mms_sample_strata(SMP($self)); }
	const char *stratum_name(size_t i) {
		const char *n = NULL;
		if (mms_sample_stratum(SMP($self), i, &n, NULL, NULL, NULL, NULL) != MMS_OK)
			mms_swig_fail(MMS_EINVAL, "no such stratum");
		return n;
	}
	size_t stratum_population(size_t i) {
		size_t v = 0;
		mms_sample_stratum(SMP($self), i, NULL, &v, NULL, NULL, NULL);
		return v;
	}
	size_t stratum_quota(size_t i) {
		size_t v = 0;
		mms_sample_stratum(SMP($self), i, NULL, NULL, &v, NULL, NULL);
		return v;
	}
	size_t stratum_drawn(size_t i) {
		size_t v = 0;
		mms_sample_stratum(SMP($self), i, NULL, NULL, NULL, &v, NULL);
		return v;
	}
	double stratum_deviation(size_t i) {
		double v = 0;
		mms_sample_stratum(SMP($self), i, NULL, NULL, NULL, NULL, &v);
		return v;
	}
};
%extend Clusters {
	~Clusters() { mms_clusters_free(CLU($self)); }
	size_t count() { return mms_clusters_count(CLU($self)); }
	int unit(size_t i) { return mms_clusters_unit(CLU($self), i); }
	double score(size_t i) { return mms_clusters_score(CLU($self), i); }
	int level(size_t i) { return mms_clusters_level(CLU($self), i); }
	int leader(size_t i) { return mms_clusters_leader(CLU($self), i); }
	int curator(size_t i) { return mms_clusters_curator(CLU($self), i); }
	const char *explain(size_t i) { return mms_clusters_explain(CLU($self), i); }
};
%extend Effect {
	~Effect() { free($self); }
};
%extend Deficits {
	~Deficits() { mms_deficits_free(DEF($self)); }
	size_t count() { return mms_deficits_count(DEF($self)); }
	int competency(size_t i) { return mms_deficits_competency(DEF($self), i); }
	double score(size_t i) { return mms_deficits_score(DEF($self), i); }
	int severity(size_t i) { return mms_deficits_severity(DEF($self), i); }
	int previous(size_t i) { return mms_deficits_previous(DEF($self), i); }
};
%extend RoutePlan {
	~RoutePlan() { mms_route_plan_free(PLAN($self)); }
	size_t count() { return mms_route_plan_count(PLAN($self)); }
	int staff(size_t r) { return mms_route_plan_staff(PLAN($self), r); }
	int tutor(size_t r) { return mms_route_plan_tutor(PLAN($self), r); }
	int hours(size_t r) { return mms_route_plan_hours(PLAN($self), r, NULL); }
	int course_hours(size_t r) {
		int h = 0;
		mms_route_plan_hours(PLAN($self), r, &h);
		return h;
	}
	size_t steps(size_t r) { return mms_route_plan_steps(PLAN($self), r); }
	int step_resource(size_t r, size_t s) { return mms_route_plan_step_resource(PLAN($self), r, s); }
	const char *step_covers(size_t r, size_t s) { return mms_route_plan_step_covers(PLAN($self), r, s); }
	const char *step_reason(size_t r, size_t s) { return mms_route_plan_step_reason(PLAN($self), r, s); }
	size_t uncovered(size_t r) { return mms_route_plan_uncovered(PLAN($self), r); }
	int uncovered_competency(size_t r, size_t u) {
		return mms_route_plan_uncovered_competency(PLAN($self), r, u);
	}
	const char *uncovered_reason(size_t r, size_t u) {
		return mms_route_plan_uncovered_reason(PLAN($self), r, u);
	}
	/* What route r is built on: every result, with what it leads to (Р-201). */
	size_t deficits(size_t r) { return mms_route_plan_deficits(PLAN($self), r); }
	int deficit_competency(size_t r, size_t i) {
		return mms_route_plan_deficit_competency(PLAN($self), r, i);
	}
	double deficit_score(size_t r, size_t i) { return mms_route_plan_deficit_score(PLAN($self), r, i); }
	int deficit_severity(size_t r, size_t i) {
		return mms_route_plan_deficit_severity(PLAN($self), r, i);
	}
	const char *deficit_consequence(size_t r, size_t i) {
		return mms_route_plan_deficit_consequence(PLAN($self), r, i);
	}
	const char *deficit_suggestions(size_t r, size_t i) {
		return mms_route_plan_deficit_suggestions(PLAN($self), r, i);
	}
};

%extend KpiValue {
	~KpiValue() { free($self); }
};
/* An indicator at every unit: by unit id, NaN where undefined or outside a scope. */
%extend KpiValues {
	~KpiValues() {
		free($self->v);
		free($self);
	}
	size_t count() { return $self->n; }
	double value(size_t unit) { return unit < $self->n ? $self->v[unit] : NAN; }
	double numerator(size_t unit) { return unit < $self->n ? $self->v[$self->n + unit] : NAN; }
	double denominator(size_t unit) {
		return unit < $self->n ? $self->v[2 * $self->n + unit] : NAN;
	}
};
%extend mms_estimate {
	~mms_estimate() { free($self); }
};

%extend Kpi {
	/* The indicator catalogue of a database, with the built-in indicators. */
	Kpi(Db *db) {
		Kpi *k = calloc(1, sizeof *k);
		mms_db *h = mms_swig_db(db);
		if (!k || !h) {
			if (!k)
				mms_swig_fail(MMS_ENOMEM, NULL);
			free(k);
			return NULL;
		}
		int rc = mms_kpi_open(&k->kpi, h);
		if (rc != MMS_OK) {
			mms_swig_fail(rc, mms_kpi_errmsg(k->kpi));
			mms_kpi_close(k->kpi);
			free(k);
			return NULL;
		}
		k->owner = db;
		k->next = db->kpis;
		db->kpis = k;
		return k;
	}
	~Kpi() {
		mms_swig_kpi_detach($self);
		free($self);
	}
	size_t count() { return $self->kpi ? mms_kpi_count($self->kpi) : 0; }
	/* computations in full, and incremental updates, so far */
	size_t full_computations() {
		size_t n = 0;
		mms_kpi_counters($self->kpi, &n, NULL);
		return n;
	}
	size_t incremental_updates() {
		size_t n = 0;
		mms_kpi_counters($self->kpi, NULL, &n);
		return n;
	}
	const char *id(size_t i) { return $self->kpi ? mms_kpi_id($self->kpi, i) : NULL; }
	const char *attr(const char *id, const char *name) {
		return $self->kpi ? mms_kpi_attr($self->kpi, id, name) : NULL;
	}
	Report *load(const char *path) {
		mms_report *r = NULL;
		int rc = $self->kpi ? mms_kpi_load($self->kpi, path, &r) : MMS_EINVAL;
		if (rc != MMS_OK) {
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : "the database is closed");
			mms_report_free(r);
			r = NULL;
		}
		return (Report *)r;
	}
	Report *load_json(const char *json, const char *name = "json") {
		mms_report *r = NULL;
		int rc = $self->kpi ? mms_kpi_load_json($self->kpi, json, name, &r) : MMS_EINVAL;
		if (rc != MMS_OK) {
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : "the database is closed");
			mms_report_free(r);
			r = NULL;
		}
		return (Report *)r;
	}
	KpiValue *value(const char *id, int unit, int year) {
		mms_kpi_result r = MMS_KPI_RESULT_INIT;
		int rc = $self->kpi ? mms_kpi_value($self->kpi, id, unit, year, &r) : MMS_EINVAL;
		return mms_swig_kpi_value($self, rc, &r);
	}
	/* The indicator at every unit in one call (mms_kpi_values). */
	KpiValues *values(const char *id, int year) {
		size_t n = 0;
		KpiValues *out = NULL;
		mms_idlist *units = NULL; /* the units the handle sees: ids up to the last */
		int rc = $self->kpi ? mms_unit_find($self->owner->db, NULL, &units) : MMS_EINVAL;
		for (size_t i = 0; rc == MMS_OK && i < mms_idlist_count(units); i++)
			if ((size_t)mms_idlist_get(units, i) + 1 > n)
				n = (size_t)mms_idlist_get(units, i) + 1;
		mms_idlist_free(units);
		double *a = rc == MMS_OK ? malloc(3 * (n + 1) * sizeof *a) : NULL;
		if (rc == MMS_OK && (!a || !(out = malloc(sizeof *out))))
			rc = MMS_ENOMEM;
		if (rc == MMS_OK)
			rc = mms_kpi_values($self->kpi, id, year, n, a, a + n, a + 2 * n);
		if (rc != MMS_OK) {
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : "the database is closed");
			free(a);
			free(out);
			return NULL;
		}
		out->n = n;
		out->v = a;
		return out;
	}
	/* The value for the group "members" of unit, or the units it has "led". */
	KpiValue *group_value(const char *id, int unit, const char *group, int year) {
		mms_kpi_result r = MMS_KPI_RESULT_INIT;
		int rc = $self->kpi ? mms_kpi_group_value($self->kpi, id, unit, group, year, &r)
				    : MMS_EINVAL;
		return mms_swig_kpi_value($self, rc, &r);
	}
	IdList *records(const char *id, int unit, int year, int numerator = 1) {
		mms_idlist *l = NULL;
		int rc = $self->kpi ? mms_kpi_records($self->kpi, id, unit, year, numerator, &l)
				    : MMS_EINVAL;
		if (rc != MMS_OK)
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : "the database is closed");
		return (IdList *)l;
	}
	/* The XLSX report of a unit for years from..to (indicators: ids, comma-separated;
	 * or a programme's, criterion by criterion). */
	void report_xlsx(const char *path, int unit, int from, int to,
			 const char *indicators = NULL, const char *title = NULL,
			 const char *programme = NULL) {
		mms_kpi_report_options o = MMS_KPI_REPORT_OPTIONS_INIT;
		o.unit = unit;
		o.from = from;
		o.to = to;
		o.indicators = indicators;
		o.title = title;
		o.programme = programme;
		int rc = $self->kpi ? mms_kpi_report_xlsx($self->kpi, path, &o) : MMS_EINVAL;
		if (rc != MMS_OK)
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : "the database is closed");
	}
	/* Level clusters of the municipal services of a region (seed 002). */
	Clusters *clusters(int year, const char *indicators, int levels = 0, int max_per_leader = 0,
			   int max_per_curator = 0, int within = -1) {
		mms_cluster_options o = MMS_CLUSTER_OPTIONS_INIT;
		mms_clusters *c = NULL;
		o.year = year;
		o.indicators = indicators;
		o.levels = levels;
		o.max_per_leader = max_per_leader;
		o.max_per_curator = max_per_curator;
		o.within = within;
		int rc = $self->kpi ? mms_clusters_compute($self->kpi, &o, &c) : MMS_EINVAL;
		if (rc != MMS_OK)
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : "the database is closed");
		return (Clusters *)c;
	}
	/* A stratified sample of staff; strata like "school=65,preschool=35" or None. */
	Sample *sample(double share, unsigned long long seed, const char *strata = NULL,
		       const char *filter = NULL, int year = 0, int within = -1) {
		mms_sample_options o = MMS_SAMPLE_OPTIONS_INIT;
		mms_sample *s = NULL;
		o.share = share;
		o.seed = seed;
		o.strata = strata;
		o.filter = filter;
		o.year = year;
		o.within = within;
		int rc = $self->kpi ? mms_sample_draw($self->kpi, &o, &s) : MMS_EINVAL;
		if (rc != MMS_OK)
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : "the database is closed");
		return (Sample *)s;
	}
	Estimate *estimate(Sample *sample, const char *id, int year) {
		mms_estimate *e = calloc(1, sizeof *e);
		int rc = !e ? MMS_ENOMEM : !$self->kpi ? MMS_EINVAL : MMS_OK;
		if (e)
			e->version = MMS_ESTIMATE_VERSION;
		if (rc == MMS_OK)
			rc = mms_sample_estimate($self->kpi, SMP(sample), id, year, e);
		if (rc != MMS_OK) {
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : NULL);
			free(e);
			e = NULL;
		}
		return (Estimate *)e;
	}
	/* Programmes (mms/programme.h): definitions, criteria, targets, adoptions. */
	Report *load_programmes(const char *path) {
		mms_report *r = NULL;
		int rc = $self->kpi ? mms_programme_load($self->kpi, path, &r) : MMS_EINVAL;
		if (rc != MMS_OK) {
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : "the database is closed");
			mms_report_free(r);
			r = NULL;
		}
		return (Report *)r;
	}
	Report *load_programmes_json(const char *json, const char *name = "json") {
		mms_report *r = NULL;
		int rc = $self->kpi ? mms_programme_load_json($self->kpi, json, name, &r) : MMS_EINVAL;
		if (rc != MMS_OK) {
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : "the database is closed");
			mms_report_free(r);
			r = NULL;
		}
		return (Report *)r;
	}
	size_t programme_count() { return mms_programme_count($self->kpi); }
	const char *programme_id(size_t i) { return mms_programme_id($self->kpi, i); }
	const char *programme_attr(const char *id, const char *name) {
		return mms_programme_attr($self->kpi, id, name);
	}
	size_t programme_stage_count(const char *id) { return mms_programme_stage_count($self->kpi, id); }
	const char *programme_stage_attr(const char *id, size_t i, const char *name) {
		return mms_programme_stage_attr($self->kpi, id, i, name);
	}
	size_t programme_criterion_count(const char *id) {
		return mms_programme_criterion_count($self->kpi, id);
	}
	const char *programme_criterion_attr(const char *id, size_t i, const char *name) {
		return mms_programme_criterion_attr($self->kpi, id, i, name);
	}
	size_t programme_criterion_size(const char *id, size_t i) {
		return mms_programme_criterion_size($self->kpi, id, i);
	}
	const char *programme_criterion_indicator(const char *id, size_t i, size_t j) {
		return mms_programme_criterion_indicator($self->kpi, id, i, j);
	}
	/* NaN when the programme sets no target for that year */
	double programme_target(const char *programme, const char *id, int year) {
		return mms_programme_target($self->kpi, programme, id, year);
	}
	/* The i-th programme adopted over unit for year, or None/nil past the last. */
	const char *programme_applying(int unit, int year, size_t i) {
		const char *p = NULL;
		int rc = $self->kpi ? mms_programme_applying($self->kpi, unit, year, i, &p) : MMS_EINVAL;
		if (rc != MMS_OK)
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : "the database is closed");
		return p;
	}
	KpiValue *programme_value(const char *programme, const char *id, int unit, int year) {
		mms_kpi_result r = MMS_KPI_RESULT_INIT;
		int rc = $self->kpi ? mms_programme_value($self->kpi, programme, id, unit, year, &r)
				    : MMS_EINVAL;
		return mms_swig_kpi_value($self, rc, &r);
	}
	/* A unit's own target for a year; None/nil withdraws it. */
	void target_set(const char *id, int unit, int year, double value) {
		int rc = $self->kpi ? mms_kpi_target_set($self->kpi, id, unit, year, value)
				    : MMS_EINVAL;
		if (rc != MMS_OK)
			mms_swig_fail(rc, $self->kpi ? mms_kpi_errmsg($self->kpi) : "the database is closed");
	}
};

#ifdef SWIGPYTHON
%include "python/extras.i"
#endif
#ifdef SWIGLUA
%include "lua/extras.i"
#endif
