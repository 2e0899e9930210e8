/* Counts of a subtree by level and kind, as JSON for tools and reports. */
#include <json-c/json.h>

#include "db/db.h"

static int add_count(json_object *o, const char *key, int64_t n)
{
	json_object *v = json_object_new_int64(n);
	if (!v || json_object_object_add(o, key, v)) {
		json_object_put(v);
		return MMS_ENOMEM;
	}
	return MMS_OK;
}

static int count_rows(const mms_db *db, int e, int field, int32_t within)
{
	if (within < 0)
		return (int)mms_model_live_count(&db->m, e);
	int n = 0;
	for (size_t i = 0; i < db->m.t[e].count; i++) {
		int32_t u = mms_row(&db->m, e, (int32_t)i)[field];
		n += u >= 0 && mms_index_within(&db->idx, within, u) &&
		     mms_model_live(&db->m, e, (int32_t)i);
	}
	return n;
}

int mms_network_stats(mms_db *db, int32_t within, char **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = mms_db_ready_subtree(db, &within);
	if (rc != MMS_OK)
		return rc;
	int levels[LV_COUNT] = {0}, kinds[UK_COUNT] = {0};
	for (size_t u = 0; u < db->m.t[MMS_UNIT].count; u++) {
		if ((within >= 0 && !mms_index_within(&db->idx, within, (int32_t)u)) ||
		    !mms_model_live(&db->m, MMS_UNIT, (int32_t)u))
			continue;
		const int32_t *row = mms_row(&db->m, MMS_UNIT, (int32_t)u);
		levels[row[U_LEVEL]]++;
		kinds[row[U_KIND]]++;
	}
	json_object *root = json_object_new_object(), *lv = json_object_new_object(),
		    *kd = json_object_new_object();
	rc = root && lv && kd ? MMS_OK : MMS_ENOMEM;
	for (int i = 0; rc == MMS_OK && i < LV_COUNT; i++)
		rc = add_count(lv, mms_enum_name(E_LEVEL, i), levels[i]);
	for (int i = 0; rc == MMS_OK && i < UK_COUNT; i++)
		if (kinds[i])
			rc = add_count(kd, mms_enum_name(E_UNIT_KIND, i), kinds[i]);
	if (rc == MMS_OK && !json_object_object_add(root, "levels", lv)) {
		lv = NULL;
		if (!json_object_object_add(root, "kinds", kd))
			kd = NULL;
		else
			rc = MMS_ENOMEM;
	} else {
		rc = MMS_ENOMEM;
	}
	if (rc == MMS_OK)
		rc = add_count(root, "staff", count_rows(db, MMS_STAFF, S_ORG, within));
	if (rc == MMS_OK)
		rc = add_count(root, "links", count_rows(db, MMS_LINK, L_FROM, within));
	if (rc == MMS_OK)
		rc = add_count(root, "activities", (int64_t)mms_model_live_count(&db->m, MMS_ACTIVITY));
	if (rc == MMS_OK)
		rc = add_count(root, "participations", (int64_t)mms_model_live_count(&db->m, MMS_PARTICIPATION));
	if (rc == MMS_OK) {
		const char *s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
		*out = s ? mms_strdup(s) : NULL;
		rc = *out ? MMS_OK : MMS_ENOMEM;
	}
	json_object_put(root);
	json_object_put(lv);
	json_object_put(kd);
	return rc == MMS_OK ? rc : mms_db_fail(db, rc, "out of memory");
}
