/* The single allocator indirection of the library. */
#include <stdlib.h>
#include <string.h>

#include "core.h"

static void *std_malloc(size_t n, void *p) { MMS_UNUSED(p); return malloc(n); }
static void *std_realloc(void *q, size_t n, void *p) { MMS_UNUSED(p); return realloc(q, n); }
static void std_free(void *q, void *p) { MMS_UNUSED(p); free(q); }

static mms_allocator current = {MMS_ALLOCATOR_VERSION, std_malloc, std_realloc,
				std_free, NULL};

int mms_allocator_set(const mms_allocator *alloc)
{
	static const mms_allocator standard = {MMS_ALLOCATOR_VERSION, std_malloc,
					       std_realloc, std_free, NULL};
	if (!alloc) {
		current = standard;
		return MMS_OK;
	}
	if (alloc->version != MMS_ALLOCATOR_VERSION || !alloc->malloc_fn ||
	    !alloc->realloc_fn || !alloc->free_fn)
		return MMS_EINVAL;
	current = *alloc;
	return MMS_OK;
}

void *mms_malloc(size_t size)
{
	return current.malloc_fn(size ? size : 1, current.payload);
}

void *mms_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = mms_malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *mms_realloc(void *ptr, size_t size)
{
	return current.realloc_fn(ptr, size ? size : 1, current.payload);
}

void mms_free(void *ptr)
{
	if (ptr)
		current.free_fn(ptr, current.payload);
}

char *mms_strndup(const char *s, size_t n)
{
	char *d = mms_malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

char *mms_strdup(const char *s)
{
	return mms_strndup(s, strlen(s));
}

int mms_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return MMS_OK;
	size_t n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / elem)
		return MMS_ENOMEM;
	void *p = mms_realloc(*ptr, n * elem);
	if (!p)
		return MMS_ENOMEM;
	*ptr = p;
	*cap = n;
	return MMS_OK;
}
