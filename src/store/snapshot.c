/*
 * The columnar snapshot: the model's flat arrays (rows of every entity,
 * the string and list pools, the code indexes) written as they are to a
 * file beside the database, so an open reads them in a few large reads
 * instead of decoding millions of SQLite rows one by one.
 *
 * It is a cache of this machine, not an exchange format: native byte
 * order and sizes, checked by the header. libmms only appends rows, so a
 * snapshot is a prefix of the file; the rows added since are read from
 * SQLite (mms_store_load() starts after the rows the model has), and
 * mms_store_matches() checks the prefix against the file before use.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"

#define MAGIC "MMSSNAP1"
#define BYTE_ORDER_MARK 0x01020304u

typedef struct header {
	char magic[8];
	uint32_t byte_order, schema, entities, fields[MMS_ENTITY_COUNT];
	uint64_t rows[MMS_ENTITY_COUNT], slots[MMS_ENTITY_COUNT], codes[MMS_ENTITY_COUNT];
	uint64_t pool_len, lists_len;
} header;

/* Writes n bytes; 0 if they could not be. */
static int put(FILE *f, const void *p, size_t n)
{
	return n == 0 || fwrite(p, 1, n, f) == n;
}

/* Reads n bytes into a new block: MMS_ENOMEM, MMS_ECORRUPT if the file ends first. */
static int get(FILE *f, void **p, size_t n)
{
	if (!(*p = mms_malloc(n ? n : 1)))
		return MMS_ENOMEM;
	return n == 0 || fread(*p, 1, n, f) == n ? MMS_OK : MMS_ECORRUPT;
}

static size_t row_bytes(int e, uint64_t rows)
{
	return (size_t)rows * (size_t)mms_entities[e].nfields * sizeof(int32_t);
}

/* Whether a list offset names a whole run of string offsets inside the pools. */
static int list_ok(const mms_model *m, int32_t off)
{
	if (off == 0)
		return 1;
	if (off < 0 || (size_t)off >= m->lists_len || m->lists[off] < 0 ||
	    (size_t)off + 1 + (size_t)m->lists[off] > m->lists_len)
		return 0;
	for (int32_t k = 0; k < m->lists[off]; k++)
		if (m->lists[off + 1 + k] < 0 || (size_t)m->lists[off + 1 + k] >= m->pool_len)
			return 0;
	return 1;
}

/* Whether every value that indexes something (a string, a list, a record,
 * an enum's names) stays inside it, so that a damaged snapshot cannot make
 * the library read or write out of bounds; and the code indexes too. Each
 * check is one unsigned comparison, (uint32_t)(v + shift) <= limit, so the
 * pass over tens of millions of rows costs a fraction of reading them. */
static int in_bounds(const mms_model *m)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		const entity_def *d = &mms_entities[e];
		const mms_table *t = &m->t[e];
		for (size_t i = 0; i < t->codes.cap; i++)
			if ((uint32_t)(t->codes.slots[i] + 1) > t->count)
				return 0;
		int field[32], nchecks = 0, lists[32], nlists = 0;
		uint32_t shift[32], limit[32];
		for (int f = 0; f < d->nfields; f++) {
			const field_def *fd = &d->fields[f];
			size_t lim;
			uint32_t sh = 1; /* -1 (absent) is allowed: it becomes 0 */
			switch (fd->type) {
			case F_CODE:
			case F_STR: /* an offset inside the pool, which ends with a NUL */
				sh = 0;
				lim = m->pool_len - 1;
				break;
			case F_REF:
				lim = m->t[fd->aux].count;
				break;
			case F_ENUM:
				lim = (size_t)mms_enums[fd->aux].count;
				break;
			case F_SET:
				sh = 0;
				lim = ((size_t)1 << mms_enums[fd->aux].count) - 1;
				break;
			case F_LIST:
				lists[nlists++] = f;
				continue;
			default: /* numbers and dates: any value is safe */
				continue;
			}
			field[nchecks] = f;
			shift[nchecks] = sh;
			limit[nchecks++] = (uint32_t)lim;
		}
		const int nf = d->nfields;
		uint32_t bad = 0;
		for (size_t id = 0; id < t->count; id++) {
			const int32_t *row = t->rows + id * (size_t)nf;
			for (int k = 0; k < nchecks; k++)
				bad |= (uint32_t)row[field[k]] + shift[k] > limit[k];
			for (int k = 0; k < nlists && !bad; k++)
				bad |= !list_ok(m, row[lists[k]]);
		}
		if (bad)
			return 0;
	}
	return 1;
}

int mms_snapshot_write(const mms_model *m, const char *file)
{
	header h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, MAGIC, sizeof h.magic);
	h.byte_order = BYTE_ORDER_MARK;
	h.schema = MMS_SCHEMA_VERSION;
	h.entities = MMS_ENTITY_COUNT;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		h.fields[e] = (uint32_t)mms_entities[e].nfields;
		h.rows[e] = m->t[e].count;
		h.slots[e] = m->t[e].codes.cap;
		h.codes[e] = m->t[e].codes.count;
	}
	h.pool_len = m->pool_len;
	h.lists_len = m->lists_len;
	size_t n = strlen(file);
	char *tmp = mms_malloc(n + 5);
	if (!tmp)
		return MMS_ENOMEM;
	memcpy(tmp, file, n);
	memcpy(tmp + n, ".tmp", 5);
	FILE *f = fopen(tmp, "wb");
	int ok = f && put(f, &h, sizeof h);
	for (int e = 0; ok && e < MMS_ENTITY_COUNT; e++)
		ok = put(f, m->t[e].rows, row_bytes(e, h.rows[e])) &&
		     put(f, m->t[e].codes.slots, (size_t)h.slots[e] * sizeof(int32_t));
	ok = ok && put(f, m->pool, m->pool_len) && put(f, m->lists, m->lists_len * sizeof(int32_t));
	if (f)
		ok = (fclose(f) == 0) && ok;
	/* written whole, then put in place: a reader sees the old file or the new */
	ok = ok && rename(tmp, file) == 0;
	if (!ok)
		remove(tmp);
	mms_free(tmp);
	return ok ? MMS_OK : MMS_EIO;
}

int mms_snapshot_read(mms_model *m, const char *file)
{
	FILE *f = fopen(file, "rb");
	if (!f)
		return MMS_ENOTFOUND; /* the model untouched */
	header h;
	int ok = fread(&h, sizeof h, 1, f) == 1 && !memcmp(h.magic, MAGIC, sizeof h.magic) &&
		 h.byte_order == BYTE_ORDER_MARK && h.schema == MMS_SCHEMA_VERSION &&
		 h.entities == MMS_ENTITY_COUNT && h.pool_len >= 1 && h.lists_len >= 1;
	for (int e = 0; ok && e < MMS_ENTITY_COUNT; e++)
		ok = h.fields[e] == (uint32_t)mms_entities[e].nfields && h.rows[e] < INT32_MAX &&
		     (h.slots[e] & (h.slots[e] - 1)) == 0 && h.codes[e] <= h.slots[e];
	int rc = ok ? MMS_OK : MMS_ECORRUPT;
	mms_model_free(m); /* the arrays below replace the empty ones */
	for (int e = 0; rc == MMS_OK && e < MMS_ENTITY_COUNT; e++) {
		mms_table *t = &m->t[e];
		t->count = t->cap = h.rows[e];
		t->codes.cap = h.slots[e];
		t->codes.count = h.codes[e];
		rc = get(f, (void **)&t->rows, row_bytes(e, h.rows[e]));
		if (rc == MMS_OK)
			rc = get(f, (void **)&t->codes.slots, (size_t)h.slots[e] * sizeof(int32_t));
		if (!h.slots[e]) { /* an empty index has no slots, as mms_hash starts */
			mms_free(t->codes.slots);
			t->codes.slots = NULL;
		}
	}
	if (rc == MMS_OK) {
		m->pool_len = m->pool_cap = h.pool_len;
		m->lists_len = m->lists_cap = h.lists_len;
		rc = get(f, (void **)&m->pool, h.pool_len);
		if (rc == MMS_OK)
			rc = get(f, (void **)&m->lists, h.lists_len * sizeof(int32_t));
	}
	/* nothing may follow, and the pools must end where they say */
	if (rc == MMS_OK && (fgetc(f) != EOF || m->pool[m->pool_len - 1] != '\0' || !in_bounds(m)))
		rc = MMS_ECORRUPT;
	fclose(f);
	if (rc != MMS_OK)
		mms_model_free(m);
	return rc;
}
