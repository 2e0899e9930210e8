/*
 * Codes as users read them (docs/format.md, "Codes"). A code must not hide
 * characters a reader cannot see, and two codes a reader cannot tell apart
 * must not name two records. The second rule compares skeletons: the code
 * case-folded and compatibility-normalised (ICU's NFKC_Casefold, which also
 * drops default-ignorable characters such as the soft hyphen), decomposed
 * (NFD), with each Cyrillic letter that looks like a Latin one replaced by
 * it. Codes that differ only in letter case, in NFC against NFD, or in
 * Latin against Cyrillic look-alikes have one skeleton.
 */
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "core.h"

/* Decodes the UTF-8 character at s (valid UTF-8: checked before). */
static unsigned next_char(const unsigned char *s, size_t *len)
{
	unsigned c = s[0];
	if (c < 0x80) {
		*len = 1;
		return c;
	}
	size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	c &= 0x3f >> (n - 1);
	for (size_t k = 1; k < n; k++)
		c = (c << 6) | (s[k] & 0x3f);
	*len = n;
	return c;
}

static int is_control(unsigned c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
}

/* Zero-width and format characters: nothing on screen, different bytes. */
static int is_invisible(unsigned c)
{
	return c == 0x00ad || c == 0x034f || c == 0x061c || c == 0x180e ||
	       (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x206f) ||
	       c == 0xfeff || (c >= 0xfe00 && c <= 0xfe0f);
}

/* Unicode's White_Space characters that are not control characters. */
static int is_space(unsigned c)
{
	return c == 0x20 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	       c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

const char *mms_code_flaw(const char *s, size_t n, size_t *at, unsigned *ch)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, chars = 0;
	for (size_t i = 0; i < n; i += len, chars++) {
		unsigned c = next_char(p + i, &len);
		const char *why = is_control(c) ? "a control character"
				  : is_invisible(c) ? "an invisible (zero-width or format) character"
				  : is_space(c) && (i == 0 || i + len == n)
					  ? (i == 0 ? "white space at its start" : "white space at its end")
					  : NULL;
		if (why) {
			*at = chars + 1;
			*ch = c;
			return why;
		}
	}
	return NULL;
}

/* Cyrillic letters (after case folding) that look like Latin ones. */
static UChar latin_twin(UChar c)
{
	static const UChar map[][2] = {
		{0x0430, 'a'}, {0x0432, 'b'}, {0x0435, 'e'}, {0x043a, 'k'}, {0x043c, 'm'},
		{0x043d, 'h'}, {0x043e, 'o'}, {0x0440, 'p'}, {0x0441, 'c'}, {0x0442, 't'},
		{0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'},
	};
	if (c < 0x0430 || c > 0x0458)
		return c;
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (map[i][0] == c)
			return map[i][1];
	return c;
}

/* Room for the longest code (200 bytes) however far normalisation grows it;
 * on the stack, so a skeleton never allocates. */
#define SKEL_CAP 4096

static int skeleton(const char *s, size_t n, UChar *out, int32_t *len)
{
	UChar in[256], folded[SKEL_CAP / 2];
	UErrorCode err = U_ZERO_ERROR;
	int32_t k = 0;
	if (n > 200)
		return MMS_ERANGE;
	u_strFromUTF8(in, 256, &k, s, (int32_t)n, &err);
	const UNormalizer2 *fold = unorm2_getNFKCCasefoldInstance(&err);
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	if (U_SUCCESS(err))
		k = unorm2_normalize(fold, in, k, folded, SKEL_CAP / 2, &err);
	if (U_SUCCESS(err))
		*len = unorm2_normalize(nfd, folded, k, out, SKEL_CAP, &err);
	if (U_FAILURE(err))
		return err == U_BUFFER_OVERFLOW_ERROR ? MMS_ERANGE : MMS_ERROR;
	for (int32_t i = 0; i < *len; i++) /* base letters are not decomposed further */
		out[i] = latin_twin(out[i]);
	return MMS_OK;
}

static uint64_t fnv(uint64_t h, unsigned unit)
{
	return (h ^ unit) * 1099511628211u;
}

int mms_code_skeleton(const char *s, size_t n, uint64_t *hash)
{
	uint64_t h = 14695981039346656037u;
	size_t i = 0;
	while (i < n && !((unsigned char)s[i] & 0x80)) /* ASCII: folding is lower case */
		i++;
	if (i == n) {
		for (i = 0; i < n; i++)
			h = fnv(h, (unsigned)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]));
		*hash = h;
		return MMS_OK;
	}
	UChar sk[SKEL_CAP];
	int32_t len = 0;
	int rc = skeleton(s, n, sk, &len);
	for (int32_t k = 0; k < len; k++)
		h = fnv(h, sk[k]);
	*hash = h;
	return rc;
}

int mms_code_lookalike(const char *a, const char *b)
{
	UChar x[SKEL_CAP], y[SKEL_CAP];
	int32_t nx = 0, ny = 0;
	if (skeleton(a, strlen(a), x, &nx) != MMS_OK || skeleton(b, strlen(b), y, &ny) != MMS_OK)
		return 0;
	return nx == ny && !memcmp(x, y, (size_t)nx * sizeof *x);
}

/* The set: open addressing over (skeleton hash, id) pairs; several ids may
 * share a hash (an older database may hold look-alike codes already). */
static void place(mms_skelset *s, uint64_t key, int32_t id)
{
	size_t i = (size_t)(key ^ key >> 32) & (s->cap - 1);
	while (s->ids[i] >= 0)
		i = (i + 1) & (s->cap - 1);
	s->keys[i] = key;
	s->ids[i] = id;
}

int mms_skelset_add(mms_skelset *s, uint64_t key, int32_t id)
{
	if (2 * (s->count + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		mms_skelset grown = {mms_malloc(cap * sizeof(uint64_t)),
				     mms_malloc(cap * sizeof(int32_t)), cap, s->count};
		if (!grown.keys || !grown.ids) {
			mms_free(grown.keys);
			mms_free(grown.ids);
			return MMS_ENOMEM;
		}
		memset(grown.ids, 0xff, cap * sizeof(int32_t));
		for (size_t i = 0; i < s->cap; i++)
			if (s->ids[i] >= 0)
				place(&grown, s->keys[i], s->ids[i]);
		mms_skelset_free(s);
		*s = grown;
	}
	place(s, key, id);
	s->count++;
	return MMS_OK;
}

int32_t mms_skelset_next(const mms_skelset *s, uint64_t key, size_t *pos)
{
	if (!s->cap)
		return -1;
	size_t i = *pos ? *pos : ((size_t)(key ^ key >> 32) & (s->cap - 1)) + 1;
	for (i--; s->ids[i] >= 0; i = (i + 1) & (s->cap - 1))
		if (s->keys[i] == key) {
			*pos = ((i + 1) & (s->cap - 1)) + 1;
			return s->ids[i];
		}
	return -1;
}

void mms_skelset_clear(mms_skelset *s)
{
	if (s->ids)
		memset(s->ids, 0xff, s->cap * sizeof(int32_t));
	s->count = 0;
}

void mms_skelset_free(mms_skelset *s)
{
	mms_free(s->keys);
	mms_free(s->ids);
	memset(s, 0, sizeof *s);
}
