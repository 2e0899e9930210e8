/*
 * Imports in upsert mode: each record of the input is matched to a record
 * of the database by its key (its code, or for entities without a code
 * the natural key below); a matched record is staged as a change of the
 * fields the input gives (mms_change_stage()), the rest are added as an
 * import adds them. Importing the same file twice thus changes nothing, and
 * a corrected file corrects the records it names instead of doubling them.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "exchange/exchange.h"

/* The natural key of each entity without a code, -1 ended (docs/format.md). */
static const int8_t natural_key[MMS_ENTITY_COUNT][6] = {
	[MMS_UNIT] = {-1},
	[MMS_LINK] = {L_KIND, L_FROM, L_TO, L_START, -1},
	[MMS_STAFF] = {-1},
	[MMS_STAFF_LINK] = {SL_KIND, SL_STAFF, SL_UNIT, SL_TARGET_STAFF, SL_START, -1},
	[MMS_ACTIVITY] = {-1},
	[MMS_PARTICIPATION] = {P_ACTIVITY, P_STAFF, P_UNIT, P_ROLE, P_PEER, -1},
	[MMS_TARGET] = {T_INDICATOR, T_UNIT, T_YEAR, -1},
	[MMS_FACT] = {FA_UNIT, FA_KEY, FA_YEAR, -1},
	[MMS_COMPETENCY] = {-1},
	[MMS_DIAGNOSTIC] = {D_STAFF, D_COMPETENCY, D_DATE, D_SESSION, D_TASK, -1},
	[MMS_RESOURCE] = {-1},
	[MMS_DEVELOPS] = {DV_RESOURCE, DV_COMPETENCY, -1},
	[MMS_ROUTE] = {-1},
	[MMS_ROUTE_STEP] = {ST_ROUTE, ST_RESOURCE, ST_ORDER, -1},
	[MMS_ROUTE_EVENT] = {EV_ROUTE, EV_STEP, EV_STATUS, EV_DATE, -1},
	[MMS_PAST_VALUE] = {PV_ENTITY, PV_RECORD, PV_FIELD, PV_UNTIL, -1},
	[MMS_ROUTE_DEFICIT] = {RD_ROUTE, RD_COMPETENCY, -1},
	[MMS_DIAGNOSTIC_SESSION] = {-1},
	[MMS_PROGRAMME] = {-1},
	[MMS_TASK] = {-1},
	[MMS_TASK_EVENT] = {TE_TASK, TE_DATE, TE_STATUS, -1},
	[MMS_MENTORING_PAIR] = {-1},
	[MMS_ROUTE_REVISION] = {RV_ROUTE, RV_NUMBER, -1},
};

static uint64_t key_hash(const mms_model *m, int e, int32_t id)
{
	const int32_t *row = mms_row(m, e, id);
	uint64_t h = 1469598103934665603u;
	for (const int8_t *f = natural_key[e]; *f >= 0; f++) {
		uint32_t v = mms_entities[e].fields[*f].type == F_STR ? mms_hash_str(mms_str(m, row[*f]))
								       : (uint32_t)row[*f];
		h = (h ^ v) * 1099511628211u;
	}
	return h;
}

static int key_equal(const mms_model *m, int e, int32_t a, int32_t b)
{
	const int32_t *x = mms_row(m, e, a), *y = mms_row(m, e, b);
	for (const int8_t *f = natural_key[e]; *f >= 0; f++)
		if (mms_entities[e].fields[*f].type == F_STR ? strcmp(mms_str(m, x[*f]), mms_str(m, y[*f]))
							       : x[*f] != y[*f])
			return 0;
	return 1;
}

typedef struct keyed {
	uint64_t hash;
	int32_t id;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* The input with only the key fields of its records, for decoding keys. */
typedef struct key_doc {
	mms_doc base;
	mms_doc *inner;
} key_doc;

static int is_key(int e, int f)
{
	for (const int8_t *k = natural_key[e]; *k >= 0; k++)
		if (*k == f)
			return 1;
	return 0;
}

static size_t kd_count(mms_doc *d, int e)
{
	return ((key_doc *)d)->inner->count(((key_doc *)d)->inner, e);
}

static int kd_get(mms_doc *d, int e, size_t rec, int f, mms_value *v)
{
	mms_doc *in = ((key_doc *)d)->inner;
	if (is_key(e, f))
		return in->get(in, e, rec, f, v);
	memset(v, 0, sizeof *v);
	return MMS_OK;
}

static void kd_where(mms_doc *d, int e, size_t rec, int f, mms_buf *out)
{
	mms_doc *in = ((key_doc *)d)->inner;
	in->where(in, e, rec, f, out);
}

/* Whether the input gives field f of record rec a value. */
static int given(mms_doc *doc, int e, size_t rec, int f, int *out)
{
	mms_value v;
	int rc = doc->get(doc, e, rec, f, &v);
	*out = v.kind != V_ABSENT && v.kind != V_NULL && !(v.kind == V_TEXT && v.len == 0);
	return rc;
}

/* Matches the records of entity e without a code: their keys are decoded
 * into rows appended for the purpose (and dropped after), then looked up
 * among the database's rows. A key naming something not in the database
 * yet (a unit new in this very input) matches nothing. */
static int match_natural(mms_db *db, mms_doc *doc, int e, size_t n, int32_t *match)
{
	mms_model *m = &db->m;
	size_t have = m->t[e].count;
	keyed *index = mms_malloc((have ? have : 1) * sizeof *index);
	uint8_t *taken = mms_calloc(have ? have : 1, 1); /* by index position */
	mms_report *scratch = mms_report_new();
	key_doc kd = {{kd_count, kd_get, kd_where, doc->lenient, doc->refs_are_ids}, doc};
	mms_ingest in = {m, &kd.base, scratch, MMS_OK, {0}, {0}};
	mms_mark mark;
	mms_model_mark(m, &mark);
	uint64_t gen = m->generation, epoch = m->epoch;
	int rc = index && scratch && taken ? MMS_OK : MMS_ENOMEM;
	for (size_t id = 0; id < have && rc == MMS_OK; id++)
		index[id] = (keyed){key_hash(m, e, (int32_t)id), (int32_t)id};
	if (rc == MMS_OK)
		qsort(index, have, sizeof *index, keyed_cmp);
	if (rc == MMS_OK && (!(in.ids[e] = mms_malloc(n * sizeof(int32_t))) || !(in.bad[e] = mms_calloc(n, 1))))
		rc = MMS_ENOMEM;
	for (size_t rec = 0; rec < n && rc == MMS_OK; rec++)
		rc = mms_model_add_row(m, e, &in.ids[e][rec]);
	if (rc == MMS_OK)
		rc = mms_ingest_fields(&in, e);
	for (size_t rec = 0; rec < n && rc == MMS_OK; rec++) {
		int32_t id = in.ids[e][rec];
		int whole = 1, has;
		for (const int8_t *f = natural_key[e]; *f >= 0 && whole && rc == MMS_OK; f++) {
			rc = given(doc, e, rec, *f, &has);
			whole = !has || mms_field_present(m, e, id, *f);
		}
		if (!whole)
			continue;
		keyed probe = {key_hash(m, e, id), -1};
		size_t lo = 0, hi = have;
		while (lo < hi) { /* the first row of that hash */
			size_t mid = lo + (hi - lo) / 2;
			if (keyed_cmp(&index[mid], &probe) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* the k-th record of a key in the input is the k-th in the database:
		 * a key the database holds twice is matched twice, not once */
		for (; lo < have && index[lo].hash == probe.hash && match[rec] < 0; lo++)
			if (!taken[lo] && key_equal(m, e, index[lo].id, id)) {
				match[rec] = index[lo].id;
				taken[lo] = 1;
			}
	}
	mms_ingest_free(&in);
	mms_model_rollback(m, &mark);
	m->generation = gen; /* the model is as it was */
	m->epoch = epoch;
	mms_report_free(scratch);
	mms_free(index);
	mms_free(taken);
	return rc;
}

/* The records of the input to add: those that matched nothing. */
static size_t sd_count(mms_doc *d, int e)
{
	return ((mms_upsert *)d)->nadd[e];
}

static int sd_get(mms_doc *d, int e, size_t rec, int f, mms_value *v)
{
	mms_upsert *u = (mms_upsert *)d;
	return u->doc->get(u->doc, e, u->add[e][rec], f, v);
}

static void sd_where(mms_doc *d, int e, size_t rec, int f, mms_buf *out)
{
	mms_upsert *u = (mms_upsert *)d;
	u->doc->where(u->doc, e, u->add[e][rec], f, out);
}

static int match_code(mms_db *db, mms_doc *doc, int e, size_t n, int32_t *match)
{
	for (size_t rec = 0; rec < n; rec++) {
		mms_value v;
		int rc = doc->get(doc, e, rec, mms_entities[e].code_field, &v);
		if (rc != MMS_OK)
			return rc;
		if (v.kind == V_TEXT && v.len && strlen(v.text) == v.len)
			match[rec] = mms_model_find_code(&db->m, e, v.text);
		/* a deleted record is not changed back to life: as an addition
		 * its code is refused as already used, since codes are never reused */
		if (match[rec] >= 0 && !mms_model_live(&db->m, e, match[rec]))
			match[rec] = -1;
	}
	return MMS_OK;
}

/* Refuses a matched record a scoped handle may not change, at its place. */
static void check_own(mms_db *db, mms_upsert *u, int e, size_t rec, int32_t id, mms_report *rep)
{
	if (mms_db_owns(db, e, id))
		return;
	mms_ingest in = {&db->m, u->doc, rep, MMS_OK, {0}, {0}};
	mms_buf b = {0};
	mms_record_label(&db->m, e, id, &b);
	mms_ingest_fail(&in, MMS_EACCES, e, rec, -1, "%s is outside the scope of unit \"%s\"",
			b.data ? b.data : "", mms_str(&db->m, mms_row(&db->m, MMS_UNIT, db->scope)[U_CODE]));
	mms_buf_free(&b);
	u->first_rc = u->first_rc ? u->first_rc : MMS_EACCES;
}

int mms_upsert_begin(mms_upsert *u, mms_db *db, mms_doc *doc, mms_report *rep)
{
	memset(u, 0, sizeof *u);
	u->base = (mms_doc){sd_count, sd_get, sd_where, doc->lenient, doc->refs_are_ids};
	u->doc = doc;
	int rc = mms_db_scope_ready(db);
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++) {
		size_t n = doc->count(doc, e);
		if (!n)
			continue;
		if (!(u->match[e] = mms_malloc(n * sizeof(int32_t))) ||
		    !(u->add[e] = mms_malloc(n * sizeof(size_t))))
			return MMS_ENOMEM;
		for (size_t rec = 0; rec < n; rec++)
			u->match[e][rec] = -1;
		rc = mms_entities[e].code_field >= 0 ? match_code(db, doc, e, n, u->match[e])
						     : match_natural(db, doc, e, n, u->match[e]);
		for (size_t rec = 0; rec < n && rc == MMS_OK; rec++) {
			if (u->match[e][rec] < 0)
				u->add[e][u->nadd[e]++] = rec;
			else if (db->scope >= 0)
				check_own(db, u, e, rec, u->match[e][rec], rep);
		}
		u->nchanges += n - u->nadd[e];
	}
	return rc;
}

int mms_upsert_stage(mms_upsert *u, mms_db *db, mms_report *rep)
{
	if (!u->nchanges)
		return MMS_OK;
	if (!(u->changes = mms_calloc(u->nchanges, sizeof *u->changes)))
		return MMS_ENOMEM;
	int first = MMS_OK;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		for (size_t rec = 0; u->match[e] && rec < u->doc->count(u->doc, e); rec++) {
			if (u->match[e][rec] < 0)
				continue;
			mms_change *ch = &u->changes[u->staged++];
			ch->e = e;
			ch->id = u->match[e][rec];
			int rc = mms_change_stage(db, ch, u->doc, rec, 1, rep);
			if (rc == MMS_ENOMEM)
				return rc;
			first = first ? first : rc;
			u->changed += ch->changed && rc == MMS_OK;
		}
	return first;
}

int mms_upsert_write(mms_upsert *u, mms_db *db, const char *actor)
{
	mms_log log = {0};
	int rc = u->changed ? mms_log_open(&log, db, actor) : MMS_OK;
	for (size_t k = 0; k < u->staged && rc == MMS_OK; k++)
		if (u->changes[k].changed)
			rc = mms_change_write(db, &u->changes[k], &log);
	mms_log_close(&log);
	return rc;
}

void mms_upsert_undo(mms_upsert *u, mms_db *db)
{
	for (size_t k = u->staged; k-- > 0;) /* a record given twice goes back to the first state */
		if (u->changes[k].changed)
			mms_change_undo(db, &u->changes[k]);
}

void mms_upsert_free(mms_upsert *u)
{
	for (size_t k = 0; k < u->staged; k++)
		mms_change_free(&u->changes[k]);
	mms_free(u->changes);
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		mms_free(u->match[e]);
		mms_free(u->add[e]);
	}
}
