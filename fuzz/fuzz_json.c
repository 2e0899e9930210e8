/* Fuzz target: any bytes as a JSON document, validated against a small
 * network (dry run, so the database stays the same between inputs). */
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
		abort(); /* the harness itself is broken */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.dry_run = 1;
	mms_report *r = NULL;
	mms_db_import_json(db, text, &o, &r);
	for (size_t i = 0; i < mms_report_count(r); i++)
		if (!mms_report_location(r, i) || !mms_report_message(r, i))
			abort(); /* every problem has a place and a message */
	mms_report_free(r);
	free(text);
	return 0;
}
