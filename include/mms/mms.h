/*
 * libmms — the methodical support network of teachers, as a C library.
 *
 * This umbrella header includes every public module:
 *   mms/common.h   result codes, memory, id lists, problem reports
 *   mms/db.h       the database handle, records, import and export
 *   mms/network.h  hierarchy and network queries, typology, coverage, DOT
 *   mms/kpi.h      indicators: the catalogue, values, targets, drill-down
 *   mms/route.h    individual educational routes: deficits, building, lifecycle
 *   mms/programme.h programmes that own indicators: criteria, targets, adoptions
 *
 * Conventions, followed by every function:
 *
 * Names     mms_<noun>_<verb>; out-parameters come first.
 * Results   int: MMS_OK (0) or a negative mms_rc. After a failure on a
 *           handle, mms_db_errmsg() names the record, field and value at
 *           fault. The library never aborts and never prints.
 * Ownership Whatever comes back through an out-parameter (handles, id
 *           lists, reports, char * strings) belongs to the caller and is
 *           freed with its *_free() function or mms_free(). A returned
 *           `const char *` is borrowed from the object it came from and
 *           lives as long as that object. Every *_free(NULL) is a no-op.
 * Options   Structs passed in start with `unsigned version`; initialise
 *           them with their MMS_*_INIT macro. NULL means defaults.
 * Dates     Text "YYYY-MM-DD" (proleptic Gregorian, no time zone).
 *
 * Threads   An mms_db handle may be used by one thread at a time; distinct
 *           handles, even on the same file, may be used concurrently from
 *           different threads or processes, and a reader sees only whole
 *           imports. An mms_kpi (and what it makes) goes with the handle it
 *           was opened on: one thread at a time uses the two. Id lists,
 *           reports, typologies and coverage reports are independent of
 *           their handle once returned and may be read from any thread.
 *           mms_allocator_set() is process-wide and must not be called
 *           while any handle is open.
 */
#ifndef MMS_MMS_H
#define MMS_MMS_H

#include "common.h"
#include "db.h"
#include "network.h"
#include "kpi.h"
#include "route.h"
#include "programme.h"

#endif
