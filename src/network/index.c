/* Building the query index in a few linear passes over the flat arrays. */
#include <string.h>

#include "index.h"

void mms_index_free(mms_index *ix)
{
	mms_free(ix->child_start);
	mms_free(ix->children);
	mms_free(ix->pre);
	mms_free(ix->tin);
	mms_free(ix->tout);
	mms_free(ix->staff_start);
	mms_free(ix->staff_ids);
	mms_free(ix->link_start);
	mms_free(ix->link_ids);
	memset(ix, 0, sizeof *ix);
}

/* Counting sort of items into buckets: start has nbuckets + 1 entries. */
int mms_index_csr(size_t nbuckets, size_t nitems, const int32_t *bucket_a,
	       const int32_t *bucket_b, size_t stride, int32_t **start_out,
	       int32_t **ids_out)
{
	size_t per = bucket_b ? 2 : 1;
	int32_t *start = mms_calloc(nbuckets + 2, sizeof *start);
	int32_t *ids = mms_malloc((nitems * per + 1) * sizeof *ids);
	if (!start || !ids) {
		mms_free(start);
		mms_free(ids);
		return MMS_ENOMEM;
	}
	for (size_t i = 0; i < nitems; i++) {
		int32_t a = bucket_a[i * stride];
		if (a >= 0)
			start[a + 2]++;
		if (bucket_b && bucket_b[i * stride] >= 0 && bucket_b[i * stride] != a)
			start[bucket_b[i * stride] + 2]++;
	}
	for (size_t k = 2; k < nbuckets + 2; k++)
		start[k] += start[k - 1];
	/* start[b + 1] is now the write cursor of bucket b; items stay in id order */
	for (size_t i = 0; i < nitems; i++) {
		int32_t a = bucket_a[i * stride];
		if (a >= 0)
			ids[start[a + 1]++] = (int32_t)i;
		if (bucket_b && bucket_b[i * stride] >= 0 && bucket_b[i * stride] != a)
			ids[start[bucket_b[i * stride] + 1]++] = (int32_t)i;
	}
	*start_out = start;
	*ids_out = ids;
	return MMS_OK;
}

static int preorder(mms_index *ix)
{
	size_t n = ix->nunits;
	int32_t *stack = mms_malloc((n + 1) * sizeof *stack);
	ix->pre = mms_malloc((n + 1) * sizeof *ix->pre);
	ix->tin = mms_malloc((n + 1) * sizeof *ix->tin);
	ix->tout = mms_malloc((n + 1) * sizeof *ix->tout);
	if (!stack || !ix->pre || !ix->tin || !ix->tout) {
		mms_free(stack);
		return MMS_ENOMEM;
	}
	/* Roots are the units whose parent bucket is the virtual unit n. */
	int32_t t = 0;
	size_t sp = 0;
	for (int32_t r = ix->child_start[n + 1] - 1; r >= ix->child_start[n]; r--)
		stack[sp++] = ix->children[r];
	/* A unit is pushed once; its tout is fixed when its subtree is done,
	 * which we detect by pushing ~u as a closing marker. */
	int32_t *closing = mms_malloc((2 * n + 1) * sizeof *closing);
	if (!closing) {
		mms_free(stack);
		return MMS_ENOMEM;
	}
	memcpy(closing, stack, sp * sizeof *stack);
	mms_free(stack);
	while (sp > 0) {
		int32_t u = closing[--sp];
		if (u < 0) {
			ix->tout[~u] = t;
			continue;
		}
		ix->tin[u] = t;
		ix->pre[t++] = u;
		closing[sp++] = ~u;
		for (int32_t k = ix->child_start[u + 1] - 1; k >= ix->child_start[u]; k--)
			closing[sp++] = ix->children[k];
	}
	mms_free(closing);
	return MMS_OK;
}

/* Staff added since the index was built (higher ids than all it holds) go
 * at the end of their organisations' runs: the runs move up by the number
 * added before them (from the last run down to the first one that gains
 * someone), one sequential move instead of a counting sort over everyone,
 * so that adding a teacher costs little at the national scale. */
static int staff_append(mms_index *ix, const mms_model *m)
{
	size_t n = ix->nunits, from = ix->nstaff, to = m->t[MMS_STAFF].count, add = 0;
	int32_t *count = mms_calloc(n + 1, sizeof *count);
	if (!count)
		return MMS_ENOMEM;
	for (size_t s = from; s < to; s++) {
		int32_t org = mms_row(m, MMS_STAFF, (int32_t)s)[S_ORG];
		if (org >= 0 && (size_t)org < n) {
			count[org]++;
			add++;
		}
	}
	int32_t *start = ix->staff_start, total = start[n];
	if (mms_grow((void **)&ix->staff_ids, &ix->staff_room, (size_t)total + add + 1,
		     sizeof *ix->staff_ids)) {
		mms_free(count);
		return MMS_ENOMEM;
	}
	int32_t *ids = ix->staff_ids;
	size_t before = add; /* staff added to the organisations before u */
	int32_t end = total; /* where u's run ended before the move */
	start[n] = start[n + 1] = total + (int32_t)add;
	for (size_t u = n; u-- > 0;) {
		before -= (size_t)count[u];
		int32_t begin = start[u];
		memmove(ids + begin + before, ids + begin, (size_t)(end - begin) * sizeof *ids);
		end = begin;
		start[u] = begin + (int32_t)before;
		count[u] = start[u + 1] - count[u]; /* now the cursor of u's free places */
		if (before == 0)
			break; /* the runs below stay where they are */
	}
	for (size_t s = from; s < to; s++) {
		int32_t org = mms_row(m, MMS_STAFF, (int32_t)s)[S_ORG];
		if (org >= 0 && (size_t)org < n)
			ids[count[org]++] = (int32_t)s;
	}
	mms_free(count);
	ix->nstaff = to;
	return MMS_OK;
}

/* The first place in ids[lo, hi) (in id order) holding id or a greater one. */
static int32_t lower_bound(const int32_t *ids, int32_t lo, int32_t hi, int32_t id)
{
	while (lo < hi) {
		int32_t mid = lo + (hi - lo) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void mms_index_csr_move(int32_t *start, int32_t *ids, int32_t id, int32_t a, int32_t b)
{
	int32_t i = lower_bound(ids, start[a], start[a + 1], id);
	if (a < b) { /* the items after it, up to its place in b, move down */
		int32_t j = lower_bound(ids, start[b], start[b + 1], id) - 1;
		memmove(ids + i, ids + i + 1, (size_t)(j - i) * sizeof *ids);
		ids[j] = id;
		for (int32_t k = a + 1; k <= b; k++)
			start[k]--;
	} else if (b < a) { /* the items from its place in b up to it move up */
		int32_t j = lower_bound(ids, start[b], start[b + 1], id);
		memmove(ids + j + 1, ids + j, (size_t)(i - j) * sizeof *ids);
		ids[j] = id;
		for (int32_t k = b + 1; k <= a; k++)
			start[k]++;
	}
}

/* Whether the log has an entry of record id of e in [from, to). */
static int logged_between(const mms_model *m, size_t from, size_t to, int e, int32_t id)
{
	mms_logged l;
	while (from < to && mms_model_logged(m, &from, &l))
		if (l.e == e && l.id == id)
			return 1;
	return 0;
}

/* Follows staff who changed organisation since the index was built, from
 * their row as indexed (the one before their first change) to their row
 * now; 0 when that is not worth it or cannot be done in place (many
 * changes, someone deleted or restored, an organisation not indexed): the
 * index is then rebuilt. */
static int staff_moves(mms_index *ix, const mms_model *m)
{
	size_t pos = ix->log_pos, at, n = ix->nunits;
	int budget = 64; /* entries compared pairwise: past that, a rebuild costs less */
	mms_logged l;
	while (at = pos, mms_model_logged(m, &pos, &l)) {
		if (l.e != MMS_STAFF || (size_t)l.id >= ix->nstaff)
			continue; /* staff added since are not indexed yet */
		if (!l.old || --budget < 0)
			return 0;
		if (logged_between(m, ix->log_pos, at, MMS_STAFF, l.id))
			continue; /* moved on its first entry already */
		int32_t from = l.old[S_ORG], to = mms_row(m, MMS_STAFF, l.id)[S_ORG];
		if (from == to)
			continue;
		if (from < 0 || to < 0 || (size_t)from >= n || (size_t)to >= n)
			return 0;
		mms_index_csr_move(ix->staff_start, ix->staff_ids, l.id, from, to);
	}
	return 1;
}

/* Column f of entity e with deleted records in no bucket (-1): the model's
 * own column when nothing of e was deleted, else a copy in *tmp. */
static const int32_t *live_column(const mms_model *m, int e, int f, int32_t **tmp,
				  size_t *stride)
{
	size_t n = m->t[e].count;
	*stride = (size_t)mms_entities[e].nfields;
	*tmp = NULL;
	if (f < 0 || !m->dead_len[e])
		return f < 0 ? NULL : mms_column(m, e, f);
	if (!(*tmp = mms_malloc((n + 1) * sizeof **tmp)))
		return NULL;
	for (size_t i = 0; i < n; i++)
		(*tmp)[i] = mms_model_live(m, e, (int32_t)i) ? mms_row(m, e, (int32_t)i)[f] : -1;
	*stride = 1;
	return *tmp;
}

int mms_index_csr_live(const mms_model *m, size_t nbuckets, int e, int fa, int fb,
		       int32_t **start_out, int32_t **ids_out)
{
	int32_t *ta, *tb;
	size_t stride, same; /* both columns are copies, or neither */
	const int32_t *a = live_column(m, e, fa, &ta, &stride);
	const int32_t *b = live_column(m, e, fb, &tb, &same);
	int rc = MMS_ENOMEM;
	if ((a || !m->t[e].count) && (b || fb < 0 || !m->t[e].count))
		rc = mms_index_csr(nbuckets, m->t[e].count, a, b, stride, start_out, ids_out);
	mms_free(ta);
	mms_free(tb);
	return rc;
}

int mms_index_ensure(mms_index *ix, const mms_model *m)
{
	if (ix->valid && ix->generation == m->generation)
		return MMS_OK;
	/* rows only added since (same epoch), none of them units or links, and
	 * of the rows changed in place only staff, who may have moved */
	unsigned changed = ix->valid ? mms_model_log_entities(m, ix->log_pos) : 0;
	if (ix->valid && ix->epoch == m->epoch && ix->nunits == m->t[MMS_UNIT].count &&
	    ix->nlinks == m->t[MMS_LINK].count &&
	    !(changed & (1u << MMS_UNIT | 1u << MMS_LINK)) && staff_moves(ix, m)) {
		int rc = staff_append(ix, m);
		if (rc != MMS_OK) {
			mms_index_free(ix);
			return rc;
		}
		ix->generation = m->generation;
		ix->log_pos = m->log_len;
		return MMS_OK;
	}
	mms_index_free(ix);
	size_t n = m->t[MMS_UNIT].count;
	ix->nunits = n;
	/* Parents of roots (-1) go to a virtual bucket n so roots are listed too. */
	int32_t *parents = mms_malloc((n + 1) * sizeof *parents);
	if (!parents)
		return MMS_ENOMEM;
	for (size_t u = 0; u < n; u++) {
		int32_t p = mms_row(m, MMS_UNIT, (int32_t)u)[U_PARENT];
		parents[u] = p >= 0 ? p : (int32_t)n;
	}
	int rc = mms_index_csr(n + 1, n, parents, NULL, 1, &ix->child_start, &ix->children);
	mms_free(parents);
	if (rc == MMS_OK)
		rc = preorder(ix);
	if (rc == MMS_OK)
		rc = mms_index_csr_live(m, n, MMS_STAFF, S_ORG, -1, &ix->staff_start, &ix->staff_ids);
	if (rc == MMS_OK)
		rc = mms_index_csr_live(m, n, MMS_LINK, L_FROM, L_TO, &ix->link_start, &ix->link_ids);
	if (rc != MMS_OK) {
		mms_index_free(ix);
		return rc;
	}
	ix->valid = 1;
	ix->generation = m->generation;
	ix->epoch = m->epoch;
	ix->log_pos = m->log_len;
	ix->nstaff = m->t[MMS_STAFF].count;
	ix->staff_room = ix->nstaff + 1; /* what mms_index_csr allocated */
	ix->nlinks = m->t[MMS_LINK].count;
	return MMS_OK;
}
