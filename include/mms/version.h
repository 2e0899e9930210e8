/*
 * libmms — version macros.
 *
 * The macros describe the headers a program was compiled against;
 * mms_libversion_number() describes the library it runs with. CMake reads
 * the three numbers from this file, so it is the single source of truth.
 */
#ifndef MMS_VERSION_H
#define MMS_VERSION_H

#define MMS_VERSION_MAJOR 0
#define MMS_VERSION_MINOR 2
#define MMS_VERSION_PATCH 0
#define MMS_VERSION "0.2.0"

/** MAJOR * 1000000 + MINOR * 1000 + PATCH, comparable with `>=`. */
#define MMS_VERSION_NUMBER \
	(MMS_VERSION_MAJOR * 1000000 + MMS_VERSION_MINOR * 1000 + MMS_VERSION_PATCH)

#endif
