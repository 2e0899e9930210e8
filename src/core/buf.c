/* Growable text buffers: a failed append poisons the buffer and releases
 * its memory at once, so callers check once at mms_buf_detach() (or not at
 * all on paths that only free) and can never leak a failed buffer. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Reads at most max + 1 bytes whatever the file claims, so a file that
 * grows while being read, or a device that never ends, stops at the limit;
 * O_NONBLOCK keeps the open itself from waiting for a FIFO's writer. */
int mms_read_file_max(const char *path, size_t max, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? MMS_ENOTFOUND : MMS_EIO;
	struct stat st;
	int rc = MMS_OK;
	if (fstat(fd, &st) != 0)
		rc = MMS_EIO;
	else if (!S_ISREG(st.st_mode))
		rc = MMS_EINVAL;
	else if ((uintmax_t)st.st_size > max)
		rc = MMS_ERANGE;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (rc == MMS_OK && mms_grow((void **)&buf, &cap, (size_t)st.st_size + 1, 1))
		rc = MMS_ENOMEM;
	while (rc == MMS_OK) {
		if (n > max) {
			rc = MMS_ERANGE;
			break;
		}
		if (n + 1 == cap && mms_grow((void **)&buf, &cap, n + 65537, 1)) {
			rc = MMS_ENOMEM;
			break;
		}
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			rc = MMS_EIO;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (rc != MMS_OK) {
		mms_free(buf);
		return rc;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return MMS_OK;
}

int mms_read_file(const char *path, char **out, size_t *len)
{
	return mms_read_file_max(path, MMS_READ_MAX_DEFAULT, out, len);
}

const char *mms_read_error(int rc)
{
	switch (rc) {
	case MMS_ENOTFOUND: return "does not exist";
	case MMS_EINVAL: return "is not a regular file (a FIFO, a device or a directory is never read)";
	case MMS_ERANGE: return "is larger than the limit";
	case MMS_ENOMEM: return "out of memory";
	default: return "cannot be read";
	}
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
