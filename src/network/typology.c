/*
 * The typology of a methodical system after the Moscow-region model
 * (seed 001): structure, functioning, load and management. The rules are
 * documented in docs/typology.md; each axis keeps the facts that decided it.
 */
#include <string.h>

#include "db/db.h"

enum { AX_STRUCTURE, AX_FUNCTIONING, AX_LOAD, AX_MANAGEMENT, AX_COUNT };
static const char *const axes[AX_COUNT] = {"structure", "functioning", "load",
					   "management"};

struct mms_typology {
	const char *cls[AX_COUNT];
	char *reason[AX_COUNT];
};

/* Units whose business is methodical support, as opposed to organisations
 * that teach children and the network roles those take on. */
static int methodical_kind(int32_t kind)
{
	switch (kind) {
	case UK_CNPPM: case UK_INSTITUTE: case UK_REGIONAL_UMO:
	case UK_METHODICAL_ACTIVE: case UK_MUNICIPAL_SERVICE:
	case UK_MUNICIPAL_ASSOCIATION: case UK_METHODICAL_COUNCIL:
	case UK_SCHOOL_ASSOCIATION: case UK_CREATIVE_GROUP: case UK_PROJECT_TEAM:
		return 1;
	default:
		return 0;
	}
}

static int popcount(unsigned v)
{
	int n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

typedef struct facts {
	int per_level[LV_COUNT];  /* methodical units by level (subunits count as institutional) */
	int with_dirs, multi;     /* units declaring directions; of them with 2 or more */
	unsigned all_dirs;        /* union of declared directions */
	int coverers;             /* units that alone perform all of them */
	int cnppm, institute;
	int32_t centre;           /* regional unit that is the source of most coordination links */
	int centre_links, other_sources;
} facts;

static void gather(mms_db *db, int32_t root, facts *f)
{
	const mms_model *m = &db->m;
	const mms_index *ix = &db->idx;
	int32_t from, to;
	mms_db_subtree_range(db, root, &from, &to);
	memset(f, 0, sizeof *f);
	f->centre = -1;
	for (int32_t k = from; k < to; k++) {
		const int32_t *row = mms_row(m, MMS_UNIT, ix->pre[k]);
		if (!methodical_kind(row[U_KIND]) || !mms_model_live(m, MMS_UNIT, ix->pre[k]))
			continue;
		int lv = row[U_LEVEL] == LV_SUBUNIT ? LV_INSTITUTIONAL : row[U_LEVEL];
		f->per_level[lv]++;
		f->cnppm += row[U_KIND] == UK_CNPPM;
		f->institute += row[U_KIND] == UK_INSTITUTE;
		if (row[U_DIRECTIONS]) {
			f->with_dirs++;
			f->multi += popcount((unsigned)row[U_DIRECTIONS]) >= 2;
			f->all_dirs |= (unsigned)row[U_DIRECTIONS];
		}
	}
	for (int32_t k = from; k < to; k++) {
		const int32_t *row = mms_row(m, MMS_UNIT, ix->pre[k]);
		if (methodical_kind(row[U_KIND]) && row[U_DIRECTIONS] &&
		    mms_model_live(m, MMS_UNIT, ix->pre[k]) &&
		    ((unsigned)row[U_DIRECTIONS] & f->all_dirs) == f->all_dirs)
			f->coverers++;
	}
	/* Coordination: curatorship, agreements and network leadership that
	 * start inside the subtree. The busiest regional source is the centre. */
	int best = 0;
	for (int32_t k = from; k < to; k++) {
		int32_t u = ix->pre[k];
		int out = 0;
		for (int32_t j = ix->link_start[u]; j < ix->link_start[u + 1]; j++) {
			const int32_t *l = mms_row(m, MMS_LINK, ix->link_ids[j]);
			out += l[L_FROM] == u && l[L_KIND] <= LK_NETWORK_LEADERSHIP;
		}
		if (!out)
			continue;
		f->other_sources++;
		if (mms_row(m, MMS_UNIT, u)[U_LEVEL] <= LV_REGIONAL && out > best) {
			best = out;
			f->centre = u;
		}
	}
	if (f->centre >= 0)
		f->other_sources--;
	f->centre_links = best;
}

static int set(mms_typology *t, int axis, const char *cls, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int set(mms_typology *t, int axis, const char *cls, const char *fmt, ...)
{
	mms_buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	mms_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	t->cls[axis] = cls;
	return mms_buf_detach(&b, &t->reason[axis]);
}

static int classify(mms_db *db, const facts *f, mms_typology *t)
{
	int levels = (f->per_level[LV_REGIONAL] > 0) + (f->per_level[LV_MUNICIPAL] > 0) +
		     (f->per_level[LV_INSTITUTIONAL] > 0);
	int rc = set(t, AX_STRUCTURE,
		     levels == 3 ? "three_level" : levels == 2 ? "two_level" : "one_level",
		     "methodical units: %d regional, %d municipal, %d inside organisations",
		     f->per_level[LV_REGIONAL], f->per_level[LV_MUNICIPAL],
		     f->per_level[LV_INSTITUTIONAL]);
	if (rc == MMS_OK)
		rc = set(t, AX_FUNCTIONING,
			 f->with_dirs && 2 * f->multi > f->with_dirs ? "poly_functional"
								    : "mono_functional",
			 "%d of %d methodical units declaring directions perform two or more",
			 f->multi, f->with_dirs);
	const char *load = f->with_dirs <= 1 ? "mono_subject"
			   : f->coverers == 0 ? "poly_subject" : "mixed";
	if (rc == MMS_OK)
		rc = set(t, AX_LOAD, load,
			 "%d units declare directions (%d in all); %d of them alone perform all",
			 f->with_dirs, popcount(f->all_dirs), f->coverers);
	const char *mgmt, *centre = "none";
	int32_t ck = -1;
	if (f->centre >= 0) {
		ck = mms_row(&db->m, MMS_UNIT, f->centre)[U_KIND];
		centre = mms_str(&db->m, mms_row(&db->m, MMS_UNIT, f->centre)[U_CODE]);
	}
	if (ck == UK_CNPPM || (ck < 0 && f->cnppm > 0))
		mgmt = f->other_sources > 0 ? "cnppm_centred_distributed" : "cnppm_centred";
	else if (ck >= 0 || f->institute > 0)
		mgmt = "cro_centred_distributed";
	else
		mgmt = "undetermined";
	if (rc == MMS_OK)
		rc = set(t, AX_MANAGEMENT, mgmt,
			 "coordinating centre \"%s\" (%d coordination links), %d other "
			 "units coordinate; %d cnppm, %d institutes",
			 centre, f->centre_links, f->other_sources, f->cnppm, f->institute);
	return rc;
}

int mms_typology_compute(mms_db *db, int32_t root, mms_typology **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = mms_db_ready_subtree(db, &root);
	if (rc != MMS_OK)
		return rc;
	mms_typology *t = mms_calloc(1, sizeof *t);
	if (!t)
		return mms_db_fail(db, MMS_ENOMEM, "out of memory");
	facts f;
	gather(db, root, &f);
	if ((rc = classify(db, &f, t)) != MMS_OK) {
		mms_typology_free(t);
		return mms_db_fail(db, rc, "out of memory");
	}
	*out = t;
	return MMS_OK;
}

static int axis_index(const char *axis)
{
	for (int i = 0; axis && i < AX_COUNT; i++)
		if (!strcmp(axes[i], axis))
			return i;
	return -1;
}

const char *mms_typology_class(const mms_typology *t, const char *axis)
{
	int i = axis_index(axis);
	return t && i >= 0 ? t->cls[i] : NULL;
}

const char *mms_typology_reason(const mms_typology *t, const char *axis)
{
	int i = axis_index(axis);
	return t && i >= 0 ? t->reason[i] : NULL;
}

void mms_typology_free(mms_typology *t)
{
	if (!t)
		return;
	for (int i = 0; i < AX_COUNT; i++)
		mms_free(t->reason[i]);
	mms_free(t);
}
