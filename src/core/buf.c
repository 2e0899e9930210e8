/* Growable text buffers: a failed append poisons the buffer and releases
 * its memory at once, so callers check once at mms_buf_detach() (or not at
 * all on paths that only free) and can never leak a failed buffer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

static void poison(mms_buf *b)
{
	mms_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 1;
}

void mms_buf_append(mms_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (mms_grow((void **)&b->data, &b->cap, b->len + n + 1, 1) != MMS_OK) {
		poison(b);
		return;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void mms_buf_puts(mms_buf *b, const char *s)
{
	mms_buf_append(b, s, strlen(s));
}

void mms_buf_putc(mms_buf *b, char c)
{
	mms_buf_append(b, &c, 1);
}

void mms_buf_vprintf(mms_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof small, fmt, cp);
	va_end(cp);
	if (n < 0) {
		poison(b);
		return;
	}
	if ((size_t)n < sizeof small) {
		mms_buf_append(b, small, (size_t)n);
		return;
	}
	if (b->failed)
		return;
	if (mms_grow((void **)&b->data, &b->cap, b->len + (size_t)n + 1, 1) != MMS_OK) {
		poison(b);
		return;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void mms_buf_printf(mms_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mms_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

int mms_read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? MMS_ENOTFOUND : MMS_EIO;
	mms_buf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		mms_buf_append(&b, chunk, n);
	int err = ferror(f);
	fclose(f);
	if (err) {
		mms_buf_free(&b);
		return MMS_EIO;
	}
	*len = b.len;
	return mms_buf_detach(&b, out);
}

int mms_buf_detach(mms_buf *b, char **out)
{
	*out = NULL;
	if (!b->failed && !b->data)
		mms_buf_append(b, "", 0);
	if (b->failed) {
		mms_buf_free(b);
		return MMS_ENOMEM;
	}
	*out = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return MMS_OK;
}

void mms_buf_free(mms_buf *b)
{
	mms_free(b->data);
	memset(b, 0, sizeof *b);
}
