/* Fuzz target: any bytes as an indicator's numerator, compiled and, when
 * it compiles, evaluated over a small network. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include <mms/mms.h>

#include "seed.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static mms_db *db;
	if (!db && (mms_db_open(&db, ":memory:", NULL) != MMS_OK ||
		    mms_db_import_json(db, FUZZ_BASE, NULL, NULL) != MMS_OK))
		abort();
	static const char *const pops[] = {"staff", "units", "activities", "participations"};
	const char *pop = size ? pops[data[0] % 4] : "staff";
	json_object *root = json_object_new_object(), *list = json_object_new_array(),
		    *def = json_object_new_object();
	json_object_object_add(def, "id", json_object_new_string("f"));
	json_object_object_add(def, "name_ru", json_object_new_string("f"));
	json_object_object_add(def, "kind", json_object_new_string("share"));
	json_object_object_add(def, "population", json_object_new_string(pop));
	json_object_object_add(def, "numerator",
			       json_object_new_string_len(size ? (const char *)data + 1 : "",
							  size ? (int)size - 1 : 0));
	json_object_array_add(list, def);
	json_object_object_add(root, "indicators", list);
	mms_kpi *kpi = NULL;
	if (mms_kpi_open(&kpi, db) == MMS_OK &&
	    mms_kpi_load_json(kpi, json_object_to_json_string(root), "fuzz", NULL) == MMS_OK) {
		mms_kpi_result r = MMS_KPI_RESULT_INIT;
		if (mms_kpi_value(kpi, "f", 0, 2023, &r) != MMS_OK)
			abort(); /* what compiles must evaluate */
	}
	mms_kpi_close(kpi);
	json_object_put(root);
	return 0;
}
