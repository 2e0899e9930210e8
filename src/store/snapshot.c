/*
 * The columnar snapshot: the model's flat arrays (rows of every entity,
 * the string and list pools, the code indexes) written as they are to a
 * file beside the database, so an open reads them in a few large reads
 * instead of decoding millions of SQLite rows one by one.
 *
 * It is a cache of this machine, not an exchange format: native byte
 * order and sizes, checked by the header. It is read whole into one block
 * of memory that the model's arrays point into (copied out when they first
 * grow). It is read, not mapped: a mapped file truncated or rewritten by
 * someone else while a handle is open would kill the process (SIGBUS) or
 * change the model under it. A checksum of everything after the header
 * catches a file changed in place.
 *
 * A snapshot is a prefix of the database as it was at a stamp (the count
 * of rows changed in place, mms_store_stamp()): while the stamp is the
 * same, rows were only appended since, and those are read from SQLite
 * (mms_store_load() starts after the rows the model has); a snapshot of
 * another stamp is not used.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "store.h"

#define MAGIC "MMSSNAP3"
#define BYTE_ORDER_MARK 0x01020304u

typedef struct header {
	char magic[8];
	uint32_t byte_order, schema, entities, fields[MMS_ENTITY_COUNT];
	uint64_t rows[MMS_ENTITY_COUNT], slots[MMS_ENTITY_COUNT], codes[MMS_ENTITY_COUNT];
	uint64_t pool_len, lists_len;
	uint64_t stamp; /* of the database when the model was loaded */
	uint64_t sum;   /* mms_checksum() of everything after the header */
} header;

/* Writes n bytes; 0 if they could not be. */
static int put(FILE *f, const void *p, size_t n)
{
	return n == 0 || fwrite(p, 1, n, f) == n;
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
			if ((uint32_t)t->codes.slots[i] + 1u > t->count) /* -1 (empty) wraps to 0 */
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

/* Bytes of padding after the pool, so the lists after it stay aligned. */
static size_t pool_pad(uint64_t pool_len)
{
	return (size_t)(-pool_len & 7u);
}

/* The checksum of the model's arrays in the order they are written: the
 * same whether they are about to be written or were just read. */
static uint64_t model_sum(const mms_model *m)
{
	uint64_t sum = 0;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		sum = sum * 31 + mms_checksum(m->t[e].rows, row_bytes(e, m->t[e].count)) * 7 +
		      mms_checksum(m->t[e].codes.slots, m->t[e].codes.cap * sizeof(int32_t));
	sum = sum * 31 + mms_checksum(m->pool, m->pool_len);
	return sum * 31 + mms_checksum(m->lists, m->lists_len * sizeof(int32_t));
}

int mms_snapshot_write(const mms_model *m, uint64_t stamp, const char *file, char *msg)
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
	h.stamp = stamp;
	h.sum = model_sum(m);
	static const char zeros[8];
	/* written whole to a temporary of this writer's own, then put in place
	 * (atomic.c): a reader sees the old file or the new */
	mms_atomic a;
	int rc = mms_atomic_begin(&a, file, 0);
	if (rc != MMS_OK) {
		memcpy(msg, a.msg, sizeof a.msg);
		return rc;
	}
	int ok = put(a.f, &h, sizeof h);
	for (int e = 0; ok && e < MMS_ENTITY_COUNT; e++)
		ok = put(a.f, m->t[e].rows, row_bytes(e, h.rows[e])) &&
		     put(a.f, m->t[e].codes.slots, (size_t)h.slots[e] * sizeof(int32_t));
	ok = ok && put(a.f, m->pool, m->pool_len) && put(a.f, zeros, pool_pad(h.pool_len)) &&
	     put(a.f, m->lists, m->lists_len * sizeof(int32_t));
	if (!ok) {
		snprintf(msg, MMS_ATOMIC_MSG, "cannot write %s: %s", a.tmp, strerror(errno));
		mms_atomic_abort(&a);
		return MMS_EIO;
	}
	rc = mms_atomic_commit(&a);
	memcpy(msg, a.msg, sizeof a.msg);
	return rc;
}

/* Whether a header is of this build, and the size of the file it describes. */
static int header_ok(const header *h, size_t *size)
{
	int ok = !memcmp(h->magic, MAGIC, sizeof h->magic) && h->byte_order == BYTE_ORDER_MARK &&
		 h->schema == MMS_SCHEMA_VERSION && h->entities == MMS_ENTITY_COUNT &&
		 h->pool_len >= 1 && h->pool_len < INT32_MAX && h->lists_len >= 1 &&
		 h->lists_len < INT32_MAX;
	uint64_t total = sizeof *h + h->pool_len + pool_pad(h->pool_len) + h->lists_len * 4;
	for (int e = 0; ok && e < MMS_ENTITY_COUNT; e++) {
		ok = h->fields[e] == (uint32_t)mms_entities[e].nfields && h->rows[e] < INT32_MAX &&
		     h->slots[e] < INT32_MAX && (h->slots[e] & (h->slots[e] - 1)) == 0 &&
		     h->codes[e] <= h->slots[e];
		total += h->rows[e] * h->fields[e] * 4 + h->slots[e] * 4;
	}
	*size = (size_t)total;
	return ok;
}

int mms_snapshot_read(mms_model *m, const char *file, uint64_t *stamp)
{
	char *block = NULL;
	size_t len = 0, size = 0;
	/* the one bounded reader of the library: a regular file only, read to
	 * its end, so a file that grew or shrank meanwhile fails the size check */
	int rc = mms_read_file_max(file, SIZE_MAX / 2, &block, &len);
	if (rc == MMS_ENOTFOUND)
		return rc; /* none: the model untouched */
	if (rc == MMS_OK && (len < sizeof(header) || !header_ok((const header *)block, &size) ||
			     size != len))
		rc = MMS_ECORRUPT;
	mms_model_free(m); /* from here on, the arrays of the snapshot or none */
	if (rc != MMS_OK) {
		mms_free(block);
		return rc == MMS_ENOMEM ? rc : MMS_ECORRUPT; /* read row by row instead */
	}
	const header *h = (const header *)block; /* malloc's alignment suits it */
	m->block = block;
	m->block_len = size;
	char *p = block + sizeof *h;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		mms_table *t = &m->t[e];
		t->count = t->cap = h->rows[e];
		t->rows = h->rows[e] ? (int32_t *)p : NULL;
		p += row_bytes(e, h->rows[e]);
		t->codes.cap = h->slots[e];
		t->codes.count = h->codes[e];
		t->codes.slots = h->slots[e] ? (int32_t *)p : NULL;
		t->codes.borrowed = 1;
		p += h->slots[e] * 4;
	}
	m->pool = p;
	m->pool_len = m->pool_cap = h->pool_len;
	p += h->pool_len + pool_pad(h->pool_len);
	m->lists = (int32_t *)p;
	m->lists_len = m->lists_cap = h->lists_len;
	if (model_sum(m) != h->sum || m->pool[m->pool_len - 1] != '\0' || m->lists[0] != 0 ||
	    !in_bounds(m)) {
		mms_model_free(m);
		return MMS_ECORRUPT;
	}
	*stamp = h->stamp;
	return MMS_OK;
}
