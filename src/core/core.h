/*
 * Core layer: memory, buffers, hashing, dates, id lists and reports.
 * Nothing here knows about the network model.
 */
#ifndef MMS_CORE_H
#define MMS_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mms/common.h"

#define MMS_UNUSED(x) ((void)(x))

/* All memory of the library goes through these, so tests can fail the Nth. */
void *mms_malloc(size_t size);
void *mms_calloc(size_t n, size_t size);
void *mms_realloc(void *ptr, size_t size);
char *mms_strdup(const char *s);
char *mms_strndup(const char *s, size_t n);

/*
 * Grows *ptr (of *cap elements of elem bytes) to hold at least need
 * elements, doubling so appends are amortised O(1). Returns MMS_ENOMEM and
 * leaves *ptr untouched on failure.
 */
int mms_grow(void **ptr, size_t *cap, size_t need, size_t elem);

/* A growable byte buffer, always NUL-terminated once non-empty. */
typedef struct mms_buf {
	char *data;
	size_t len, cap;
	int failed; /* an append ran out of memory; later appends are no-ops */
} mms_buf;

void mms_buf_append(mms_buf *b, const char *s, size_t n);
void mms_buf_puts(mms_buf *b, const char *s);
void mms_buf_putc(mms_buf *b, char c);
void mms_buf_printf(mms_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mms_buf_vprintf(mms_buf *b, const char *fmt, va_list ap);
/* Hands the text to the caller (MMS_ENOMEM if any append failed). */
int mms_buf_detach(mms_buf *b, char **out);
void mms_buf_free(mms_buf *b);

/*
 * String → int32 map with open addressing. Keys are not copied: the
 * caller passes a lookup function from value back to its key, so the map
 * stores only values (4 bytes a slot) and keys live in the string pool.
 */
typedef const char *(*mms_key_fn)(const void *ctx, int32_t value);

typedef struct mms_hash {
	int32_t *slots; /* -1 = empty */
	size_t cap, count;
	int borrowed;   /* slots belong to someone else (a snapshot's mapping): never freed */
} mms_hash;

int mms_hash_reserve(mms_hash *h, size_t n, mms_key_fn key, const void *ctx);
/* Inserts value under key(value); the key must not be present yet. */
int mms_hash_put(mms_hash *h, int32_t value, mms_key_fn key, const void *ctx);
int32_t mms_hash_get(const mms_hash *h, const char *k, mms_key_fn key,
		     const void *ctx);
/* Empties the map without freeing its slots, so rebuilding cannot fail. */
void mms_hash_clear(mms_hash *h);
void mms_hash_free(mms_hash *h);
uint32_t mms_hash_str(const char *s);
/* A fast 64-bit checksum of n bytes (not cryptographic). */
uint64_t mms_checksum(const void *data, size_t n);

/* Reads a whole regular file of at most max bytes: MMS_ENOTFOUND if it
 * does not exist, MMS_EINVAL if it is not a regular file (a FIFO or a
 * device could block or never end), MMS_ERANGE if it holds more than max
 * bytes, MMS_EIO if it cannot be read, MMS_ENOMEM. The text is
 * NUL-terminated and the caller's. mms_read_file() reads up to the default
 * limit; mms_read_error() names a failure for a message ("<path>: ..."). */
#define MMS_READ_MAX_DEFAULT ((size_t)1 << 30)
int mms_read_file_max(const char *path, size_t max, char **out, size_t *len);
int mms_read_file(const char *path, char **out, size_t *len);
const char *mms_read_error(int rc);

/*
 * Codes as users read them (skeleton.c, docs/format.md "Codes").
 * mms_code_flaw() names what makes a code (valid UTF-8) unreadable: a
 * control or invisible character anywhere, white space at either end; NULL
 * if none, else *at is the character's position (from 1) and *ch it.
 * mms_code_skeleton() hashes the code's skeleton (letter case, Unicode
 * normalisation and Latin/Cyrillic look-alikes folded away); equal codes
 * for a reader have equal hashes, and mms_code_lookalike() confirms a match.
 */
const char *mms_code_flaw(const char *s, size_t n, size_t *at, unsigned *ch);
int mms_code_skeleton(const char *s, size_t n, uint64_t *hash);
int mms_code_lookalike(const char *a, const char *b);

/* A multiset of (skeleton hash, id), to find look-alike codes in O(1). */
typedef struct mms_skelset {
	uint64_t *keys;
	int32_t *ids; /* -1 = empty slot */
	size_t cap, count;
} mms_skelset;
int mms_skelset_add(mms_skelset *s, uint64_t key, int32_t id);
/* The ids under key one by one: *pos starts at 0; -1 when there are no more. */
int32_t mms_skelset_next(const mms_skelset *s, uint64_t key, size_t *pos);
/* Empties the set without freeing it, so it cannot fail. */
void mms_skelset_clear(mms_skelset *s);
void mms_skelset_free(mms_skelset *s);

/*
 * A file or folder written whole or not at all (atomic.c): to a temporary
 * beside the target, synced, renamed over it, the directory synced. On a
 * failure (MMS_EIO, MMS_ENOMEM, MMS_EOUTPUT) msg says what and where, the
 * target is as it was and the temporary is gone.
 */
#define MMS_ATOMIC_MSG 400
typedef struct mms_atomic {
	char *path;   /* the target (a symbolic link's file, so the link stays) */
	char *tmp;    /* the temporary beside it */
	FILE *f;      /* open on tmp, unless begun by name */
	int fd;
	int (*ours)(const char *name); /* folders: the names the writer writes */
	char msg[MMS_ATOMIC_MSG];
} mms_atomic;

/* Starts a file. by_name: tmp is created and closed, for a writer that opens
 * it by its name itself (libxlsxwriter); otherwise write to f. */
int mms_atomic_begin(mms_atomic *a, const char *path, int by_name);
/* fwrite of n bytes to a->f, the failure recorded in msg. */
int mms_atomic_write(mms_atomic *a, const void *p, size_t n);
/* Syncs, closes and renames tmp over the target. Ends a either way. */
int mms_atomic_commit(mms_atomic *a);
void mms_atomic_abort(mms_atomic *a);
/* Starts a folder: write its files into a->tmp (with mms_atomic_begin()).
 * An existing target must hold only files for which ours() is true
 * (MMS_EOUTPUT otherwise), since it is replaced whole. */
int mms_atomic_dir_begin(mms_atomic *a, const char *dir, int (*ours)(const char *name));
int mms_atomic_dir_commit(mms_atomic *a);
void mms_atomic_dir_abort(mms_atomic *a);

/* Dates are days since 1970-01-01; MMS_NO_DATE means absent. */
#define MMS_NO_DATE INT32_MIN
int mms_date_parse(const char *s, int32_t *out);
void mms_date_format(int32_t days, char out[11]);
int32_t mms_date_from_ymd(int y, int m, int d);
void mms_date_to_ymd(int32_t days, int *y, int *m, int *d);
/* Days in month m (1-12) of year y. */
int mms_days_in_month(int y, int m);
/* Whole years from `from` to `to` (birthday arithmetic). */
int mms_years_between(int32_t from, int32_t to);
int32_t mms_date_today(void);

/* Id lists. */
struct mms_idlist {
	int32_t *ids;
	size_t count, cap;
};
mms_idlist *mms_idlist_new(void);
int mms_idlist_push(mms_idlist *l, int32_t id);
/* Orders int32_t ids ascending (for qsort and bsearch). */
int mms_id_cmp(const void *a, const void *b);

/* Reports of problems found in input. */
struct mms_report_item {
	int code;
	char *location;
	char *message;
};
struct mms_report {
	struct mms_report_item *items;
	size_t count, cap;
	int failed; /* an item could not be recorded for lack of memory */
};
mms_report *mms_report_new(void);
void mms_report_add(mms_report *r, int code, const char *location,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
