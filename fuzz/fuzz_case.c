/* Fuzz target: any bytes as a 1EdTech CASE package. */
#include <stdlib.h>
#include <string.h>

#include <mms/mms.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static mms_db *db;
	if (!db && mms_db_open(&db, ":memory:", NULL) != MMS_OK)
		abort();
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	mms_report *r = NULL;
	/* a package that imports is kept: a later one with its codes is a duplicate, fine */
	mms_framework_import_case(db, text, "fuzz", &r);
	mms_report_free(r);
	free(text);
	return 0;
}
