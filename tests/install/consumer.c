/* A program using an installed libmms: builds, stores and queries a network. */
#include <mms/mms.h>
#include <stdio.h>

int main(void)
{
	mms_db *db = NULL;
	int rc = mms_db_open(&db, ":memory:", NULL);
	if (rc == MMS_OK)
		rc = mms_db_import_json(db, "{\"units\": [{\"code\": \"M\", \"name\": \"ММС\","
					    " \"level\": \"municipal\", \"kind\": \"municipal_service\"}]}",
					NULL, NULL);
	size_t n = 0;
	if (rc == MMS_OK)
		rc = mms_db_count(db, MMS_UNIT, &n);
	printf("libmms %s: %zu unit(s), rc %d\n", mms_libversion(), n, rc);
	mms_db_close(db);
	return rc == MMS_OK && n == 1 && mms_libversion_number() == MMS_VERSION_NUMBER ? 0 : 1;
}
