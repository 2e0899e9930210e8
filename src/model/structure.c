/*
 * The rules of the network's shape, written once: a unit's kind fits its
 * level, a parent stands on the same level or above (a subunit inside an
 * organisation), and no parent or prerequisite chain leads back to itself.
 * The import's validation reports each broken rule at its record; every
 * load checks the whole model with the same rules, so that a file changed
 * outside libmms can never send a walk up the hierarchy in circles.
 */
#include <stdio.h>

#include "model.h"

int mms_unit_parent_fits(int32_t level, int32_t parent_level)
{
	if (parent_level > level)
		return MMS_PARENT_BELOW;
	if (level == LV_SUBUNIT && parent_level < LV_INSTITUTIONAL)
		return MMS_PARENT_NOT_ORG;
	return 0;
}

int32_t mms_chain_cycle(const mms_model *m, int e, int field, int32_t start, uint8_t *state)
{
	int32_t u = start;
	while (u >= 0 && state[u] == 0) {
		state[u] = 1;
		u = mms_row(m, e, u)[field];
	}
	int32_t closes = u >= 0 && state[u] == 1 ? u : -1;
	for (u = start; u >= 0 && state[u] == 1; u = mms_row(m, e, u)[field])
		state[u] = 2;
	return closes;
}

static int fail(const mms_model *m, int e, int32_t id, char *err, size_t errlen,
		const char *what)
{
	mms_buf b = {0};
	mms_record_label(m, e, id, &b);
	snprintf(err, errlen, "the database is damaged: %s %s", b.data ? b.data : "a record",
		 what);
	mms_buf_free(&b);
	return MMS_ECORRUPT;
}

static int check_levels(const mms_model *m, char *err, size_t errlen)
{
	for (size_t id = 0; id < m->t[MMS_UNIT].count; id++) {
		const int32_t *row = mms_row(m, MMS_UNIT, (int32_t)id);
		if (row[U_LEVEL] < 0 || row[U_KIND] < 0) /* required: a damaged snapshot */
			return fail(m, MMS_UNIT, (int32_t)id, err, errlen, "has no level or kind");
		if (!(mms_kind_levels(row[U_KIND]) & (1u << row[U_LEVEL])))
			return fail(m, MMS_UNIT, (int32_t)id, err, errlen,
				    "is of a kind that cannot stand on its level");
		if (row[U_PARENT] >= 0 &&
		    mms_unit_parent_fits(row[U_LEVEL], mms_row(m, MMS_UNIT, row[U_PARENT])[U_LEVEL]))
			return fail(m, MMS_UNIT, (int32_t)id, err, errlen,
				    "stands under a parent on an impossible level");
	}
	return MMS_OK;
}

int mms_model_check(const mms_model *m, char *err, size_t errlen)
{
	static const struct { int e, field; const char *what; } chains[] = {
		{MMS_UNIT, U_PARENT, "is its own ancestor (its parents lead back to it)"},
		{MMS_COMPETENCY, C_PARENT, "is its own ancestor (its parents lead back to it)"},
		{MMS_RESOURCE, R_PREREQUISITE, "is its own prerequisite (a cycle)"},
	};
	int rc = check_levels(m, err, errlen);
	for (size_t k = 0; rc == MMS_OK && k < sizeof chains / sizeof *chains; k++) {
		size_t n = m->t[chains[k].e].count;
		uint8_t *state = mms_calloc(n ? n : 1, 1);
		if (!state)
			return MMS_ENOMEM;
		for (size_t id = 0; rc == MMS_OK && id < n; id++) {
			int32_t at = mms_chain_cycle(m, chains[k].e, chains[k].field, (int32_t)id, state);
			if (at >= 0)
				rc = fail(m, chains[k].e, at, err, errlen, chains[k].what);
		}
		mms_free(state);
	}
	return rc;
}
