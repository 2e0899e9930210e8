/*
 * Subject names compared as a methodist reads them (subject.h). Russian
 * texts write «ё» as «е» as often as not, and a list typed by hand has
 * stray capitals and spaces; none of that makes another subject.
 */
#include "subject.h"

/* The next character of s folded (a code point), advancing *s; spaces,
 * tabs and line breaks come as one ' ', 0 at the end. Bytes that are not
 * a two-byte Cyrillic letter or ASCII pass through one by one. */
static unsigned next_folded(const unsigned char **s)
{
	const unsigned char *p = *s;
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		*s = p;
		return *p ? ' ' : 0; /* trailing space: none */
	}
	if (!*p)
		return 0;
	if ((p[0] == 0xd0 || p[0] == 0xd1) && (p[1] & 0xc0) == 0x80) {
		unsigned c = (unsigned)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
		*s = p + 2;
		if (c >= 0x410 && c <= 0x42f) /* А..Я */
			c += 0x20;
		if (c == 0x401 || c == 0x451) /* Ё, ё */
			c = 0x435;
		return c;
	}
	*s = p + 1;
	return *p >= 'A' && *p <= 'Z' ? *p + 0x20u : *p;
}

int mms_subject_same(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	while (*x == ' ' || *x == '\t' || *x == '\n' || *x == '\r')
		x++;
	while (*y == ' ' || *y == '\t' || *y == '\n' || *y == '\r')
		y++;
	for (;;) {
		unsigned p = next_folded(&x), q = next_folded(&y);
		if (p != q)
			return 0;
		if (!p)
			return 1;
	}
}
