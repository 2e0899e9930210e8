/* Records built field by field through the API, read as a one-record
 * document with the CSV notation, or several of them as one document (a
 * route plan saved as typed records, written as one import). */
#include <string.h>

#include "exchange.h"

struct mms_record {
	mms_doc base;
	int entity;
	char *values[32]; /* by field index; NULL = unset */
};

static size_t rd_count(mms_doc *d, int e)
{
	return ((mms_record *)d)->entity == e ? 1 : 0;
}

static int rd_get(mms_doc *d, int e, size_t rec, int f, mms_value *v)
{
	MMS_UNUSED(e);
	MMS_UNUSED(rec);
	const char *s = ((mms_record *)d)->values[f];
	memset(v, 0, sizeof *v);
	v->kind = s ? V_TEXT : V_ABSENT;
	v->text = s;
	v->len = s ? strlen(s) : 0;
	return MMS_OK;
}

static void rd_where(mms_doc *d, int e, size_t rec, int f, mms_buf *out)
{
	MMS_UNUSED(d);
	MMS_UNUSED(rec);
	mms_buf_printf(out, "%s", mms_entities[e].name);
	if (f >= 0)
		mms_buf_printf(out, ".%s", mms_entities[e].fields[f].name);
}

int mms_record_new(mms_record **out, int entity)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	if (entity < 0 || entity >= MMS_ENTITY_COUNT)
		return MMS_EINVAL;
	mms_record *r = mms_calloc(1, sizeof *r);
	if (!r)
		return MMS_ENOMEM;
	r->base = (mms_doc){rd_count, rd_get, rd_where, 1, 0};
	r->entity = entity;
	*out = r;
	return MMS_OK;
}

int mms_record_set(mms_record *r, const char *field, const char *value)
{
	if (!r || !field)
		return MMS_EINVAL;
	int f = mms_field_find(r->entity, field);
	if (f < 0)
		return MMS_EINVAL;
	char *copy = NULL;
	if (value && !(copy = mms_strdup(value)))
		return MMS_ENOMEM;
	mms_free(r->values[f]);
	r->values[f] = copy;
	return MMS_OK;
}

void mms_record_clear(mms_record *r)
{
	if (!r)
		return;
	for (int f = 0; f < 32; f++) {
		mms_free(r->values[f]);
		r->values[f] = NULL;
	}
}

void mms_record_free(mms_record *r)
{
	mms_record_clear(r);
	mms_free(r);
}

mms_doc *mms_record_doc(const mms_record *r, int *entity)
{
	*entity = r->entity;
	return (mms_doc *)&r->base;
}

/* Several records, by entity in the order added. */
struct mms_records {
	mms_doc base;
	mms_record **by[MMS_ENTITY_COUNT];
	size_t n[MMS_ENTITY_COUNT], cap[MMS_ENTITY_COUNT];
};

static size_t rs_count(mms_doc *d, int e)
{
	return ((mms_records *)d)->n[e];
}

static int rs_get(mms_doc *d, int e, size_t rec, int f, mms_value *v)
{
	mms_record *r = ((mms_records *)d)->by[e][rec];
	return rd_get(&r->base, e, 0, f, v);
}

/* As an import locates a record of a file: entity/index/field. */
static void rs_where(mms_doc *d, int e, size_t rec, int f, mms_buf *out)
{
	MMS_UNUSED(d);
	mms_buf_printf(out, "%s/%zu", mms_entities[e].name, rec);
	if (f >= 0)
		mms_buf_printf(out, "/%s", mms_entities[e].fields[f].name);
}

int mms_records_new(mms_records **out)
{
	*out = mms_calloc(1, sizeof **out);
	if (!*out)
		return MMS_ENOMEM;
	(*out)->base = (mms_doc){rs_count, rs_get, rs_where, 1, 0};
	return MMS_OK;
}

int mms_records_add(mms_records *rs, mms_record *rec)
{
	int e = rec->entity;
	void *p = rs->by[e];
	if (mms_grow(&p, &rs->cap[e], rs->n[e] + 1, sizeof *rs->by[e])) {
		mms_record_free(rec);
		return MMS_ENOMEM;
	}
	rs->by[e] = p;
	rs->by[e][rs->n[e]++] = rec;
	return MMS_OK;
}

mms_doc *mms_records_doc(mms_records *rs)
{
	return &rs->base;
}

void mms_records_free(mms_records *rs)
{
	if (!rs)
		return;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		for (size_t i = 0; i < rs->n[e]; i++)
			mms_record_free(rs->by[e][i]);
		mms_free(rs->by[e]);
	}
	mms_free(rs);
}
