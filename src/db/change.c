/*
 * A change of one record in place, staged in the model before anything is
 * written, through the import's own decoder and rules: the record is
 * decoded again from its present values with the new ones laid over them,
 * then it and every record that refers to it are checked as an import
 * checks its records. mms_db_update() (update.c) and an import in upsert
 * mode (upsert.c) both stage their changes here.
 */
#include <string.h>

#include "db.h"
#include "exchange/exchange.h"
#include "store/store.h"

/* The record being changed and the records to check again with it, seen
 * as a document. In the decode phase it holds only the record: the fields
 * the input gives, and its present values elsewhere, typed as the input's
 * own format would give them (so a strict JSON import stays strict). In
 * the check phase it holds the record and every record that refers to it. */
typedef struct update_doc {
	mms_doc base;
	mms_doc *given; /* the input: the fields it sets */
	size_t grec;    /* the record's index in it */
	int located;    /* the record's problems are located in the input */
	mms_change *ch;
	const mms_model *m;
	int checking;
	int32_t *deps[MMS_ENTITY_COUNT]; /* check phase: ids by entity */
	size_t ndeps[MMS_ENTITY_COUNT];
} update_doc;

static size_t ud_count(mms_doc *d, int e)
{
	update_doc *u = (update_doc *)d;
	return u->checking ? u->ndeps[e] : e == u->ch->e;
}

/* A present value as the decoder takes it from a typed document. */
static void typed(const mms_change *ch, int f, const int32_t *row, mms_value *v)
{
	const field_def *fd = &mms_entities[ch->e].fields[f];
	v->kind = V_TEXT;
	v->text = ch->old[f];
	v->len = strlen(ch->old[f]);
	switch (fd->type) {
	case F_INT: v->kind = V_INT; v->i = row[f]; break;
	case F_BOOL: v->kind = V_BOOL; v->i = row[f] != 0; break;
	case F_DEC: v->kind = V_NUM; v->d = (double)row[f] / MMS_DEC_SCALE; break;
	case F_LIST:
	case F_SET: v->kind = V_LIST; v->items = ch->items[f]; v->n = ch->nitems[f]; break;
	case F_REF:
		if (mms_entities[fd->aux].code_field < 0) {
			v->kind = V_INT;
			v->i = row[f];
		}
		break;
	default: break;
	}
}

static int ud_get(mms_doc *d, int e, size_t rec, int f, mms_value *v)
{
	update_doc *u = (update_doc *)d;
	(void)rec;
	int rc = u->given->get(u->given, e, u->grec, f, v);
	if (rc != MMS_OK || v->kind != V_ABSENT || !u->ch->old[f])
		return rc;
	typed(u->ch, f, u->ch->saved, v);
	return MMS_OK;
}

static int32_t ud_id(const update_doc *u, int e, size_t rec)
{
	return u->checking ? u->deps[e][rec] : u->ch->id;
}

/* The record itself where the input says (a file's pointer or line), or
 * "staff/T-01/category": a record by its key, as mms_db_history() names it. */
static void ud_where(mms_doc *d, int e, size_t rec, int f, mms_buf *out)
{
	update_doc *u = (update_doc *)d;
	int32_t id = ud_id(u, e, rec);
	if (u->located && e == u->ch->e && id == u->ch->id) {
		u->given->where(u->given, e, u->grec, f, out);
		return;
	}
	mms_buf_printf(out, "%s/", mms_entities[e].name);
	mms_record_key(u->m, e, id, out);
	if (f >= 0)
		mms_buf_printf(out, "/%s", mms_entities[e].fields[f].name);
}

/* Whether a field has a text: booleans always have, "false" when unset. */
static int has_text(const mms_model *m, int e, int32_t id, int f)
{
	return mms_entities[e].fields[f].type == F_BOOL || mms_field_present(m, e, id, f);
}

/* Splits a list's text into items for the decoder. */
static int split_items(mms_change *ch, int f)
{
	size_t n = 1;
	for (const char *p = ch->old[f]; *p; p++)
		n += *p == '|';
	char *copy = mms_strdup(ch->old[f]);
	const char **items = mms_malloc(n * sizeof *items);
	if (!copy || !items) {
		mms_free(copy);
		mms_free(items);
		return MMS_ENOMEM;
	}
	ch->split[f] = copy;
	ch->items[f] = items;
	ch->nitems[f] = 0;
	for (char *p = copy; p;) {
		char *bar = strchr(p, '|');
		items[ch->nitems[f]++] = p;
		if (bar)
			*bar++ = '\0';
		p = bar;
	}
	return MMS_OK;
}

/* Keeps the row and its values as text, to lay the input over, to put
 * back on refusal and to compare with afterwards. */
static int keep_old(const mms_model *m, mms_change *ch)
{
	const entity_def *d = &mms_entities[ch->e];
	mms_buf b = {0};
	int rc = MMS_OK;
	memcpy(ch->saved, mms_row(m, ch->e, ch->id), sizeof(int32_t) * (size_t)d->nfields);
	for (int f = 0; f < d->nfields && rc == MMS_OK; f++) {
		if (!has_text(m, ch->e, ch->id, f))
			continue;
		b.len = 0;
		mms_field_text(m, ch->e, ch->id, f, &b);
		if (b.failed || !(ch->old[f] = mms_strndup(b.data ? b.data : "", b.len)))
			rc = MMS_ENOMEM;
		else if (d->fields[f].type == F_LIST || d->fields[f].type == F_SET)
			rc = split_items(ch, f);
	}
	mms_buf_free(&b);
	return rc;
}

void mms_change_free(mms_change *ch)
{
	for (int f = 0; f < 32; f++) {
		mms_free(ch->old[f]);
		mms_free(ch->split[f]);
		mms_free(ch->items[f]);
	}
	memset(ch, 0, sizeof *ch);
}

static void ud_free(update_doc *u)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		mms_free(u->deps[e]);
}

static int add_dep(update_doc *u, size_t *cap, int e, int32_t id)
{
	void *p = u->deps[e];
	if (mms_grow(&p, &cap[e], u->ndeps[e] + 1, sizeof(int32_t)))
		return MMS_ENOMEM;
	u->deps[e] = p;
	u->deps[e][u->ndeps[e]++] = id;
	return MMS_OK;
}

/* The record and every record whose references name it: the rules of
 * those (a child's level under its parent, a link's ends, a staff member's
 * organisation...) read the record's fields. Route events are replayed in
 * order from the first one concerned, as the import's rule expects. */
static int find_deps(update_doc *u)
{
	const mms_model *m = u->m;
	int ce = u->ch->e;
	int32_t cid = u->ch->id;
	size_t cap[MMS_ENTITY_COUNT] = {0};
	int rc = add_dep(u, cap, ce, cid);
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++) {
		const entity_def *d = &mms_entities[e];
		for (int f = 0; f < d->nfields && rc == MMS_OK; f++) {
			if (d->fields[f].type != F_REF || d->fields[f].aux != ce)
				continue;
			for (size_t id = 0; id < m->t[e].count && rc == MMS_OK; id++)
				if (mms_row(m, e, (int32_t)id)[f] == cid && !(e == ce && (int32_t)id == cid))
					rc = add_dep(u, cap, e, (int32_t)id);
		}
	}
	size_t nev = u->ndeps[MMS_ROUTE_EVENT];
	if (rc != MMS_OK || nev == 0)
		return rc;
	int32_t first = u->deps[MMS_ROUTE_EVENT][0];
	for (size_t k = 1; k < nev; k++)
		if (u->deps[MMS_ROUTE_EVENT][k] < first)
			first = u->deps[MMS_ROUTE_EVENT][k];
	u->ndeps[MMS_ROUTE_EVENT] = 0;
	for (size_t id = (size_t)first; id < m->t[MMS_ROUTE_EVENT].count && rc == MMS_OK; id++)
		rc = add_dep(u, cap, MMS_ROUTE_EVENT, (int32_t)id);
	return rc;
}

/* Gives the ingest one id and one problem flag per record of the doc. */
static int ingest_prepare(mms_ingest *in, update_doc *u)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		size_t n = u->base.count(&u->base, e);
		if (!n)
			continue;
		if (!(in->ids[e] = mms_malloc(n * sizeof(int32_t))) || !(in->bad[e] = mms_calloc(n, 1)))
			return MMS_ENOMEM;
		for (size_t rec = 0; rec < n; rec++)
			in->ids[e][rec] = ud_id(u, e, rec);
	}
	return MMS_OK;
}

enum { DECODE, CHECK, SCOPE };

/* Runs one phase over the update's doc: decoding the record, checking it
 * and its dependents, or (with a scope) checking that the record is still
 * the scope's own. The code of its first problem, or of a failure. */
static int run_phase(mms_db *db, update_doc *u, mms_report *rep, int phase)
{
	mms_ingest in = {&db->m, &u->base, rep, MMS_OK, {0}, {0}};
	in.routes_before = db->m.t[MMS_ROUTE].count;
	in.dependents = 1;
	in.written_e = u->ch->e;
	in.written_id = u->ch->id;
	u->checking = phase == CHECK;
	int rc = phase == CHECK ? find_deps(u) : MMS_OK;
	if (rc == MMS_OK)
		rc = ingest_prepare(&in, u);
	if (rc == MMS_OK && phase == DECODE)
		rc = mms_ingest_fields(&in, u->ch->e);
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK && phase == CHECK; e++)
		if (u->ndeps[e])
			rc = mms_ingest_check(&in, e);
	if (rc == MMS_OK && phase == SCOPE) {
		mms_access staged = {0}; /* the model may change again before it is used */
		mms_access_check_import(&in, db->scope, &staged);
		mms_access_free(&staged);
	}
	int first = in.first_rc;
	mms_ingest_free(&in);
	return rc != MMS_OK ? rc : first;
}

/* Whether the row now holds other values than it did. */
static int row_changed(const mms_model *m, const mms_change *ch, int *changed)
{
	mms_buf now = {0};
	*changed = 0;
	for (int f = 0; f < mms_entities[ch->e].nfields && !*changed; f++) {
		now.len = 0;
		int present = has_text(m, ch->e, ch->id, f);
		if (present)
			mms_field_text(m, ch->e, ch->id, f, &now);
		if (present != (ch->old[f] != NULL))
			*changed = 1;
		else if (present && !now.failed)
			*changed = now.len != strlen(ch->old[f]) || memcmp(now.data, ch->old[f], now.len);
	}
	int rc = now.failed ? MMS_ENOMEM : MMS_OK;
	mms_buf_free(&now);
	return rc;
}

int mms_change_stage(mms_db *db, mms_change *ch, mms_doc *given, size_t rec, int located,
		     mms_report *rep)
{
	update_doc u = {{ud_count, ud_get, ud_where, given->lenient, given->refs_are_ids},
			given, rec, located, ch, &db->m, 0, {0}, {0}};
	const entity_def *d = &mms_entities[ch->e];
	ch->changed = 0;
	int rc = keep_old(&db->m, ch);
	if (rc != MMS_OK)
		return rc;
	mms_mark mark;
	mms_model_mark(&db->m, &mark);
	uint64_t gen = db->m.generation, epoch = db->m.epoch;
	int32_t *row = mms_row(&db->m, ch->e, ch->id);
	for (int f = 0; f < d->nfields; f++) /* the decoder sets what is present */
		if (f != d->code_field)
			row[f] = mms_field_absent(&d->fields[f]);
	rc = run_phase(db, &u, rep, DECODE);
	if (rc == MMS_OK)
		rc = row_changed(&db->m, ch, &ch->changed);
	if (rc == MMS_OK && ch->changed)
		rc = run_phase(db, &u, rep, CHECK);
	if (rc == MMS_OK && ch->changed && db->scope >= 0)
		rc = run_phase(db, &u, rep, SCOPE);
	if (rc != MMS_OK || !ch->changed) {
		/* as it was, strings and lists too: a file imported again leaves
		 * nothing behind for each record it finds unchanged */
		memcpy(row, ch->saved, sizeof(int32_t) * (size_t)d->nfields);
		mms_model_rollback(&db->m, &mark);
		db->m.generation = gen;
		db->m.epoch = epoch;
	}
	ud_free(&u);
	return rc;
}

void mms_change_undo(mms_db *db, const mms_change *ch)
{
	memcpy(mms_row(&db->m, ch->e, ch->id), ch->saved,
	       sizeof(int32_t) * (size_t)mms_entities[ch->e].nfields);
}

int mms_change_write(mms_db *db, const mms_change *ch, mms_log *log)
{
	const entity_def *d = &mms_entities[ch->e];
	mms_buf now = {0}, key = {0};
	int rc = mms_store_update(db->sql, &db->m, ch->e, ch->id, db->errmsg, sizeof db->errmsg);
	mms_record_key(&db->m, ch->e, ch->id, &key);
	for (int f = 0; f < d->nfields && rc == MMS_OK; f++) {
		now.len = 0;
		int present = has_text(&db->m, ch->e, ch->id, f);
		if (present)
			mms_field_text(&db->m, ch->e, ch->id, f, &now);
		if (now.failed || key.failed) {
			rc = mms_db_fail(db, MMS_ENOMEM, "out of memory");
			break;
		}
		const char *text = present ? (now.data ? now.data : "") : NULL;
		if (text == ch->old[f] || (text && ch->old[f] && !strcmp(text, ch->old[f])))
			continue;
		rc = mms_log_add(log, ch->e, key.data, d->fields[f].name, ch->old[f], text);
	}
	mms_buf_free(&now);
	mms_buf_free(&key);
	return rc;
}
