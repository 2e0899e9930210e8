/* Records in flat arrays, with a string pool, a list pool and code indexes. */
#include <string.h>

#include "model.h"

typedef struct code_ctx {
	const mms_model *m;
	int e;
} code_ctx;

static const char *code_of(const void *ctx, int32_t id)
{
	const code_ctx *c = ctx;
	int f = mms_entities[c->e].code_field;
	return mms_str(c->m, mms_row(c->m, c->e, id)[f]);
}

int mms_model_init(mms_model *m)
{
	memset(m, 0, sizeof *m);
	/* offset 0 of both pools means "absent" */
	if (mms_grow((void **)&m->pool, &m->pool_cap, 1, 1) ||
	    mms_grow((void **)&m->lists, &m->lists_cap, 1, sizeof(int32_t))) {
		mms_model_free(m);
		return MMS_ENOMEM;
	}
	m->pool[0] = '\0';
	m->pool_len = 1;
	m->lists[0] = 0;
	m->lists_len = 1;
	return MMS_OK;
}

/* Whether p points into the snapshot's block. */
static int in_block(const mms_model *m, const void *p)
{
	return m->block && (const char *)p >= (const char *)m->block &&
	       (const char *)p < (const char *)m->block + m->block_len;
}

/* Copies an array of the snapshot's block of n elements into memory of its own, so that it
 * can grow; arrays already owned are left as they are. */
static int own(const mms_model *m, void **p, size_t n, size_t elem)
{
	if (!in_block(m, *p))
		return MMS_OK;
	void *copy = mms_malloc(n * elem + 1);
	if (!copy)
		return MMS_ENOMEM;
	memcpy(copy, *p, n * elem);
	*p = copy;
	return MMS_OK;
}

void mms_model_free(mms_model *m)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		if (!in_block(m, m->t[e].rows))
			mms_free(m->t[e].rows);
		mms_hash_free(&m->t[e].codes);
		mms_skelset_free(&m->t[e].skel);
	}
	mms_model_clear_dead(m);
	if (!in_block(m, m->pool))
		mms_free(m->pool);
	if (!in_block(m, m->lists))
		mms_free(m->lists);
	mms_free(m->block);
	memset(m, 0, sizeof *m);
}

void mms_model_mark(const mms_model *m, mms_mark *mark)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		mark->rows[e] = m->t[e].count;
	mark->pool_len = m->pool_len;
	mark->lists_len = m->lists_len;
}

void mms_model_rollback(mms_model *m, const mms_mark *mark)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		mms_table *t = &m->t[e];
		if (t->count == mark->rows[e])
			continue;
		t->count = mark->rows[e];
		if (t->count == 0 && !in_block(m, t->rows)) {
			/* a table the failed change began gives its rows back, so a
			 * refused import leaves the memory as it found it */
			mms_free(t->rows);
			t->rows = NULL;
			t->cap = 0;
		}
		if (t->skel_rows > t->count) { /* rebuilt from the rows when next needed */
			mms_skelset_clear(&t->skel);
			t->skel_rows = 0;
		}
		if (mms_entities[e].code_field < 0)
			continue;
		/* The map keeps its slots, so re-inserting fewer keys never grows it. */
		code_ctx ctx = {m, e};
		mms_hash_clear(&t->codes);
		for (size_t id = 0; id < t->count; id++)
			mms_hash_put(&t->codes, (int32_t)id, code_of, &ctx);
	}
	m->pool_len = mark->pool_len;
	m->lists_len = mark->lists_len;
	m->generation++;
	m->epoch++;
}

int mms_model_add_row(mms_model *m, int e, int32_t *out_id)
{
	mms_table *t = &m->t[e];
	const entity_def *d = &mms_entities[e];
	if (t->count >= INT32_MAX)
		return MMS_ENOMEM;
	if (t->count + 1 > t->cap) {
		if (own(m, (void **)&t->rows, t->count, sizeof(int32_t) * (size_t)d->nfields))
			return MMS_ENOMEM;
		size_t cap = t->cap;
		void *rows = t->rows;
		if (mms_grow(&rows, &cap, t->count + 1, sizeof(int32_t) * (size_t)d->nfields))
			return MMS_ENOMEM;
		t->rows = rows;
		t->cap = cap;
	}
	int32_t id = (int32_t)t->count++;
	int32_t *row = mms_row(m, e, id);
	for (int f = 0; f < d->nfields; f++)
		row[f] = mms_field_absent(&d->fields[f]);
	m->generation++;
	*out_id = id;
	return MMS_OK;
}

int mms_model_index_code(mms_model *m, int e, int32_t id)
{
	code_ctx ctx = {m, e};
	return mms_hash_put(&m->t[e].codes, id, code_of, &ctx);
}

int32_t mms_model_find_code(const mms_model *m, int e, const char *code)
{
	code_ctx ctx = {m, e};
	if (mms_entities[e].code_field < 0)
		return -1;
	return mms_hash_get(&m->t[e].codes, code, code_of, &ctx);
}

int mms_model_add_str(mms_model *m, const char *s, size_t n, int32_t *out)
{
	if (n == 0) {
		*out = 0;
		return MMS_OK;
	}
	if (m->pool_len + n + 1 > INT32_MAX || own(m, (void **)&m->pool, m->pool_len, 1) ||
	    mms_grow((void **)&m->pool, &m->pool_cap, m->pool_len + n + 1, 1))
		return MMS_ENOMEM;
	memcpy(m->pool + m->pool_len, s, n);
	m->pool[m->pool_len + n] = '\0';
	*out = (int32_t)m->pool_len;
	m->pool_len += n + 1;
	return MMS_OK;
}

int mms_model_add_list(mms_model *m, const int32_t *offs, int32_t n, int32_t *out)
{
	if (n == 0) {
		*out = 0;
		return MMS_OK;
	}
	size_t need = m->lists_len + (size_t)n + 1;
	if (need > INT32_MAX || own(m, (void **)&m->lists, m->lists_len, sizeof(int32_t)) ||
	    mms_grow((void **)&m->lists, &m->lists_cap, need, sizeof(int32_t)))
		return MMS_ENOMEM;
	*out = (int32_t)m->lists_len;
	m->lists[m->lists_len] = n;
	memcpy(m->lists + m->lists_len + 1, offs, (size_t)n * sizeof(int32_t));
	m->lists_len = need;
	return MMS_OK;
}

void mms_model_clear_dead(mms_model *m)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		mms_free(m->dead[e]);
		m->dead[e] = NULL;
		m->dead_len[e] = 0;
	}
}

int mms_model_set_dead(mms_model *m, int e, int32_t id, int on)
{
	if (id < 0 || (size_t)id >= m->t[e].count)
		return MMS_EINVAL;
	if ((size_t)id >= m->dead_len[e]) {
		if (!on)
			return MMS_OK;
		/* sized to the table, so that the records of a load all fit at once */
		size_t n = m->t[e].count;
		uint8_t *d = mms_calloc(n, 1);
		if (!d)
			return MMS_ENOMEM;
		if (m->dead_len[e])
			memcpy(d, m->dead[e], m->dead_len[e]);
		mms_free(m->dead[e]);
		m->dead[e] = d;
		m->dead_len[e] = n;
	}
	m->dead[e][id] = (uint8_t)(on != 0);
	m->generation++;
	m->epoch++; /* a record went: nothing computed before extends to this */
	return MMS_OK;
}

size_t mms_model_live_count(const mms_model *m, int e)
{
	size_t n = m->t[e].count;
	for (size_t id = 0; id < m->dead_len[e]; id++)
		n -= m->dead[e][id] != 0;
	return n;
}
