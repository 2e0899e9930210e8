/* Fuzz target: any bytes as the snapshot beside a small database; the open
 * must use it or ignore it, never crash, and what it reads must export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mms/mms.h>

#include "seed.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char path[64], snap[80];
	if (!path[0]) { /* the database the snapshots are put beside, made once */
		mms_db *db;
		snprintf(path, sizeof path, "/tmp/mms-fuzz-snapshot-%d.db", (int)getpid());
		snprintf(snap, sizeof snap, "%s-snapshot", path);
		remove(path);
		if (mms_db_open(&db, path, NULL) != MMS_OK ||
		    mms_db_import_json(db, FUZZ_BASE, NULL, NULL) != MMS_OK)
			abort();
		mms_db_close(db);
	}
	FILE *f = fopen(snap, "wb");
	if (!f)
		abort();
	if (size)
		fwrite(data, 1, size, f);
	fclose(f);
	mms_db *db = NULL;
	char *text = NULL;
	mms_open_options o = MMS_OPEN_OPTIONS_INIT;
	o.read_only = 1;
	if (mms_db_open(&db, path, &o) == MMS_OK)
		mms_db_export_json(db, &text);
	mms_free(text);
	mms_db_close(db);
	return 0;
}
