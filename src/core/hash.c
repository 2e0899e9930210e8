/* Open-addressing map from a string key to an int32 value. */
#include <string.h>

#include "core.h"

uint32_t mms_hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a: short keys, no need for more */
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static void place(int32_t *slots, size_t cap, int32_t v, const char *k)
{
	size_t i = mms_hash_str(k) & (cap - 1);
	while (slots[i] >= 0)
		i = (i + 1) & (cap - 1);
	slots[i] = v;
}

int mms_hash_reserve(mms_hash *h, size_t n, mms_key_fn key, const void *ctx)
{
	size_t cap = h->cap ? h->cap : 16;
	while (cap < 2 * n) /* keep the load under one half */
		cap *= 2;
	if (cap == h->cap)
		return MMS_OK;
	int32_t *slots = mms_malloc(cap * sizeof *slots);
	if (!slots)
		return MMS_ENOMEM;
	memset(slots, 0xff, cap * sizeof *slots);
	for (size_t i = 0; i < h->cap; i++)
		if (h->slots[i] >= 0)
			place(slots, cap, h->slots[i], key(ctx, h->slots[i]));
	if (!h->borrowed)
		mms_free(h->slots);
	h->borrowed = 0;
	h->slots = slots;
	h->cap = cap;
	return MMS_OK;
}

int mms_hash_put(mms_hash *h, int32_t value, mms_key_fn key, const void *ctx)
{
	int rc = mms_hash_reserve(h, h->count + 1, key, ctx);
	if (rc != MMS_OK)
		return rc;
	place(h->slots, h->cap, value, key(ctx, value));
	h->count++;
	return MMS_OK;
}

int32_t mms_hash_get(const mms_hash *h, const char *k, mms_key_fn key,
		     const void *ctx)
{
	if (!h->cap)
		return -1;
	size_t i = mms_hash_str(k) & (h->cap - 1);
	for (; h->slots[i] >= 0; i = (i + 1) & (h->cap - 1))
		if (strcmp(key(ctx, h->slots[i]), k) == 0)
			return h->slots[i];
	return -1;
}

void mms_hash_clear(mms_hash *h)
{
	if (h->slots)
		memset(h->slots, 0xff, h->cap * sizeof *h->slots);
	h->count = 0;
}

void mms_hash_free(mms_hash *h)
{
	if (!h->borrowed)
		mms_free(h->slots);
	memset(h, 0, sizeof *h);
}

/* Four lanes of multiply-rotate over 8-byte words, folded at the end: a
 * few GB/s, so checking a snapshot costs little beside reading it. It
 * catches damage and accidental edits, not an adversary. */
static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t mix(uint64_t acc, uint64_t w)
{
	return rotl(acc + w * 0xC2B2AE3D27D4EB4Full, 31) * 0x9E3779B185EBCA87ull;
}

uint64_t mms_checksum(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t lane[4] = {1, 2, 3, 4}, w;
	size_t i = 0;
	for (; i + 32 <= n; i += 32)
		for (int k = 0; k < 4; k++) {
			memcpy(&w, p + i + 8 * k, 8);
			lane[k] = mix(lane[k], w);
		}
	uint64_t h = (uint64_t)n;
	for (int k = 0; k < 4; k++)
		h = mix(h, lane[k]);
	for (; i < n; i++)
		h = mix(h, p[i]);
	return h;
}
