/* Fuzz target: any bytes as CSV files of a directory (the first byte picks
 * the entity, a NUL splits files), validated against a small network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mms/mms.h>

#include "seed.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static mms_db *db;
	static char dir[64];
	if (!db) {
		snprintf(dir, sizeof dir, "/tmp/mms-fuzz-csv-%d", (int)getpid());
		if (mms_db_open(&db, ":memory:", NULL) != MMS_OK ||
		    mms_db_import_json(db, FUZZ_BASE, NULL, NULL) != MMS_OK)
			abort();
	}
	char path[160];
	snprintf(path, sizeof path, "mkdir -p %s && rm -f %s/*.csv", dir, dir);
	if (system(path) != 0)
		return 0;
	size_t i = 0;
	while (i < size) {
		int e = data[i++] % MMS_ENTITY_COUNT;
		size_t end = i;
		while (end < size && data[end])
			end++;
		snprintf(path, sizeof path, "%s/%s.csv", dir, mms_entity_name(e));
		FILE *f = fopen(path, "ab");
		if (f) {
			fwrite(data + i, 1, end - i, f);
			fclose(f);
		}
		i = end + 1;
	}
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.dry_run = 1;
	o.format = MMS_FORMAT_CSV;
	mms_report *r = NULL;
	mms_db_import(db, dir, &o, &r);
	for (size_t k = 0; k < mms_report_count(r); k++)
		if (!mms_report_location(r, k) || !mms_report_message(r, k))
			abort();
	mms_report_free(r);
	return 0;
}
