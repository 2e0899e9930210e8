/* Run-time version and result-code descriptions. */
#include "core.h"

int mms_libversion_number(void) { return MMS_VERSION_NUMBER; }

const char *mms_libversion(void) { return MMS_VERSION; }

const char *mms_errstr(int rc)
{
	switch (rc) {
	case MMS_OK: return "success";
	case MMS_ERROR: return "unclassified error";
	case MMS_ENOMEM: return "out of memory";
	case MMS_EINVAL: return "invalid argument";
	case MMS_ENOTFOUND: return "no such record";
	case MMS_EIO: return "input/output error";
	case MMS_ECORRUPT: return "database is damaged or not a libmms database";
	case MMS_EBUSY: return "database is locked";
	case MMS_EPARSE: return "malformed input";
	case MMS_ETYPE: return "value of the wrong type";
	case MMS_ERANGE: return "value out of range";
	case MMS_EREF: return "reference to an unknown record";
	case MMS_EDUP: return "duplicate code";
	case MMS_ECYCLE: return "cycle in the unit hierarchy";
	case MMS_ELEVEL: return "kind, level and parent do not fit";
	case MMS_EMISSING: return "required field missing";
	case MMS_EVERSION: return "made by a newer libmms";
	case MMS_EACCES: return "outside the handle's scope";
	case MMS_EREADONLY: return "the database is read-only";
	case MMS_EOUTPUT: return "output path refused: it would overwrite the database or other files";
	default: return "unknown result code";
	}
}
