/*
 * Derived structures for queries, rebuilt lazily when the model changes:
 * children of each unit, a pre-order of the forest with subtree intervals
 * (so "is u inside the subtree of r" is two comparisons), staff by
 * organisation and links by unit, all in CSR form (start offsets + ids).
 */
#ifndef MMS_INDEX_H
#define MMS_INDEX_H

#include "model/model.h"

typedef struct mms_index {
	uint64_t generation, epoch;
	size_t log_pos; /* the model's change log it has followed (mms_model_log_change()) */
	int valid;
	size_t nunits, nstaff, nlinks; /* the table sizes it indexes */
	int32_t *child_start, *children; /* children of u: [child_start[u], child_start[u+1]) */
	int32_t *pre;                    /* units in depth-first pre-order */
	int32_t *tin, *tout;             /* subtree of u is pre[tin[u] .. tout[u]) */
	int32_t *staff_start, *staff_ids;
	size_t staff_room;               /* staff_ids allocated (mms_grow) */
	int32_t *link_start, *link_ids;
} mms_index;

/*
 * Groups items by bucket (bucket_a, and bucket_b when not NULL, read with
 * a stride of int32s; -1 is no bucket): items of bucket b are
 * ids[start[b] .. start[b + 1]), in item order.
 */
int mms_index_csr(size_t nbuckets, size_t nitems, const int32_t *bucket_a,
		  const int32_t *bucket_b, size_t stride, int32_t **start_out,
		  int32_t **ids_out);

/* As mms_index_csr() over the live records of entity e (mms_model_live()),
 * by fields fa and fb (-1: none): how every index leaves deleted records out. */
int mms_index_csr_live(const mms_model *m, size_t nbuckets, int e, int fa, int fb,
		       int32_t **start_out, int32_t **ids_out);

/* Moves item id from bucket a to bucket b (both >= 0; id is in a): the
 * items between shift by one place and stay in id order, so the cost is
 * the distance between the buckets, not the size of the index. */
void mms_index_csr_move(int32_t *start, int32_t *ids, int32_t id, int32_t a, int32_t b);

/* The first value of a field's column, or NULL for an empty table. */
static inline const int32_t *mms_column(const mms_model *m, int e, int f)
{
	return m->t[e].count ? m->t[e].rows + f : NULL;
}

/* Rebuilds the index if the model changed since it was built. */
int mms_index_ensure(mms_index *ix, const mms_model *m);
void mms_index_free(mms_index *ix);

static inline int mms_index_within(const mms_index *ix, int32_t root, int32_t u)
{
	return ix->tin[u] >= ix->tin[root] && ix->tin[u] < ix->tout[root];
}

#endif
