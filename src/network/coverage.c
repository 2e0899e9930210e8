/*
 * Which directions of work each territory has someone performing. A unit
 * without a territory belongs to its nearest ancestor's.
 */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"

typedef struct territory {
	const char *name; /* borrowed from the model until copied below */
	unsigned dirs;
	char *performed, *missing;
} territory;

struct mms_coverage {
	territory *t;
	size_t count;
	char *names; /* copies of the names, so the report outlives the handle */
};

static const char *territory_of(const mms_model *m, int32_t u)
{
	for (; u >= 0; u = mms_row(m, MMS_UNIT, u)[U_PARENT]) {
		int32_t off = mms_row(m, MMS_UNIT, u)[U_TERRITORY];
		if (off)
			return mms_str(m, off);
	}
	return "";
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const territory *)a)->name, ((const territory *)b)->name);
}

static int join(unsigned dirs, char **out)
{
	mms_buf b = {0};
	for (int k = 0; k < DIR_COUNT; k++)
		if (dirs & (1u << k))
			mms_buf_printf(&b, "%s%s", b.len ? "|" : "", mms_enum_name(E_DIRECTION, k));
	return mms_buf_detach(&b, out);
}

static int finish(mms_coverage *c)
{
	size_t total = 0;
	for (size_t i = 0; i < c->count; i++)
		total += strlen(c->t[i].name) + 1;
	c->names = mms_malloc(total + 1);
	if (!c->names)
		return MMS_ENOMEM;
	char *p = c->names;
	for (size_t i = 0; i < c->count; i++) {
		size_t n = strlen(c->t[i].name) + 1;
		memcpy(p, c->t[i].name, n);
		c->t[i].name = p;
		p += n;
		unsigned all = (1u << DIR_COUNT) - 1;
		if (join(c->t[i].dirs, &c->t[i].performed) != MMS_OK ||
		    join(all & ~c->t[i].dirs, &c->t[i].missing) != MMS_OK)
			return MMS_ENOMEM;
	}
	return MMS_OK;
}

int mms_coverage_compute(mms_db *db, int32_t root, mms_coverage **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = mms_db_ready_subtree(db, &root);
	if (rc != MMS_OK)
		return rc;
	mms_coverage *c = mms_calloc(1, sizeof *c);
	size_t cap = 0;
	const mms_index *ix = &db->idx;
	int32_t from, to;
	mms_db_subtree_range(db, root, &from, &to);
	rc = c ? MMS_OK : MMS_ENOMEM;
	for (int32_t k = from; rc == MMS_OK && k < to; k++) {
		int32_t u = ix->pre[k];
		if (!mms_model_live(&db->m, MMS_UNIT, u))
			continue;
		const char *name = territory_of(&db->m, u);
		size_t i = 0;
		while (i < c->count && strcmp(c->t[i].name, name))
			i++; /* territories are few, so a scan beats a map */
		if (i == c->count) {
			if (mms_grow((void **)&c->t, &cap, c->count + 1, sizeof *c->t)) {
				rc = MMS_ENOMEM;
				break;
			}
			c->t[c->count++] = (territory){name, 0, NULL, NULL};
		}
		c->t[i].dirs |= (unsigned)mms_row(&db->m, MMS_UNIT, u)[U_DIRECTIONS];
	}
	if (rc == MMS_OK) {
		if (c->count)
			qsort(c->t, c->count, sizeof *c->t, by_name);
		rc = finish(c);
	}
	if (rc != MMS_OK) {
		mms_coverage_free(c);
		return mms_db_fail(db, rc, "out of memory");
	}
	*out = c;
	return MMS_OK;
}

size_t mms_coverage_count(const mms_coverage *c) { return c ? c->count : 0; }

const char *mms_coverage_territory(const mms_coverage *c, size_t i)
{
	return c && i < c->count ? c->t[i].name : NULL;
}

const char *mms_coverage_performed(const mms_coverage *c, size_t i)
{
	return c && i < c->count ? c->t[i].performed : NULL;
}

const char *mms_coverage_missing(const mms_coverage *c, size_t i)
{
	return c && i < c->count ? c->t[i].missing : NULL;
}

void mms_coverage_free(mms_coverage *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->count; i++) {
		mms_free(c->t[i].performed);
		mms_free(c->t[i].missing);
	}
	mms_free(c->t);
	mms_free(c->names);
	mms_free(c);
}
