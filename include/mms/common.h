/*
 * libmms — result codes, memory, id lists and problem reports.
 *
 * Everything here is shared by every module of the library.
 */
#ifndef MMS_COMMON_H
#define MMS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "version.h"

#if defined(MMS_STATIC)
#define MMS_EXTERN
#elif defined(_WIN32)
#ifdef MMS_BUILDING
#define MMS_EXTERN __declspec(dllexport)
#else
#define MMS_EXTERN __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define MMS_EXTERN __attribute__((visibility("default")))
#else
#define MMS_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Result codes. Every function that can fail returns one of these;
 * MMS_OK is zero, failures are negative. The message of the handle
 * (mms_db_errmsg()) names the record, field and value at fault.
 */
typedef enum mms_rc {
	MMS_OK = 0,
	MMS_ERROR = -1,     /**< unclassified failure */
	MMS_ENOMEM = -2,    /**< an allocation failed; nothing was changed */
	MMS_EINVAL = -3,    /**< a bad argument (NULL handle, unknown name) */
	MMS_ENOTFOUND = -4, /**< no record with that id or code */
	MMS_EIO = -5,       /**< the storage or a file could not be read/written */
	MMS_ECORRUPT = -6,  /**< the database is not a libmms database or is damaged */
	MMS_EBUSY = -7,     /**< the database stayed locked past the busy timeout */
	MMS_EPARSE = -8,    /**< input is not well-formed JSON or CSV */
	MMS_ETYPE = -9,     /**< a field has the wrong type or an unknown enum name */
	MMS_ERANGE = -10,   /**< a value or a date is out of range or out of order */
	MMS_EREF = -11,     /**< a reference names no known record */
	MMS_EDUP = -12,     /**< a code is used twice */
	MMS_ECYCLE = -13,   /**< the unit hierarchy would contain a cycle */
	MMS_ELEVEL = -14,   /**< a unit's kind, level and parent do not fit */
	MMS_EMISSING = -15, /**< a required field is absent */
	MMS_EVERSION = -16, /**< the database or file comes from a newer libmms */
	MMS_EACCES = -17,   /**< outside the scope the handle was opened with (0.2) */
	MMS_EREADONLY = -18, /**< the database can only be read (0.2) */
	MMS_EOUTPUT = -19    /**< an output path is the open database or one of its files, or a
			        folder holding files an export does not write (0.2) */
} mms_rc;

/** A short English description of a result code; never NULL. */
MMS_EXTERN const char *mms_errstr(int rc);

/** The version of the library at run time, as MMS_VERSION_NUMBER. */
MMS_EXTERN int mms_libversion_number(void);

/** The version of the library at run time, as "MAJOR.MINOR.PATCH". */
MMS_EXTERN const char *mms_libversion(void);

/**
 * Frees memory the library returned to the caller (strings such as
 * exports and DOT text). mms_free(NULL) is a no-op.
 */
MMS_EXTERN void mms_free(void *ptr);

/**
 * The allocator every allocation of libmms goes through (SQLite and json-c
 * keep their own). Install one before opening any handle; it is a process
 * global, so change it only while no handle is open. Passing NULL restores
 * the C library's allocator. Tests use it to fail the Nth allocation.
 */
typedef struct mms_allocator {
	unsigned version; /**< MMS_ALLOCATOR_VERSION */
	void *(*malloc_fn)(size_t size, void *payload);
	void *(*realloc_fn)(void *ptr, size_t size, void *payload);
	void (*free_fn)(void *ptr, void *payload);
	void *payload;
} mms_allocator;

#define MMS_ALLOCATOR_VERSION 1

/** Installs an allocator; MMS_EINVAL if its version is unknown. */
MMS_EXTERN int mms_allocator_set(const mms_allocator *alloc);

/**
 * A list of record ids returned by a query. The caller owns it and frees
 * it with mms_idlist_free(). Ids are 0-based indexes of the entity they
 * come from, valid for the lifetime of the database.
 */
typedef struct mms_idlist mms_idlist;

MMS_EXTERN size_t mms_idlist_count(const mms_idlist *list);

/** The id at position i, or -1 if i is out of range. */
MMS_EXTERN int32_t mms_idlist_get(const mms_idlist *list, size_t i);

/** The ids as a contiguous array of mms_idlist_count() items (borrowed). */
MMS_EXTERN const int32_t *mms_idlist_data(const mms_idlist *list);

MMS_EXTERN void mms_idlist_free(mms_idlist *list);

/**
 * The problems found in one import or validation, all of them, in input
 * order. Each has a result code, a location (a JSON pointer such as
 * "/staff/12/birth_date", or "staff.csv:13:5") and a message naming the
 * record, field and value. The caller owns the report.
 */
typedef struct mms_report mms_report;

MMS_EXTERN size_t mms_report_count(const mms_report *report);

/** Code of problem i (a negative mms_rc), or MMS_EINVAL if out of range. */
MMS_EXTERN int mms_report_code(const mms_report *report, size_t i);

/** Location of problem i (borrowed), or NULL if out of range. */
MMS_EXTERN const char *mms_report_location(const mms_report *report, size_t i);

/** Message of problem i (borrowed), or NULL if out of range. */
MMS_EXTERN const char *mms_report_message(const mms_report *report, size_t i);

MMS_EXTERN void mms_report_free(mms_report *report);

#ifdef __cplusplus
}
#endif

#endif
