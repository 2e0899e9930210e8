/* Records built field by field through the API, read as a one-record
 * document with the CSV notation. */
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
