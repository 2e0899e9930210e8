/*
 * Declared fact keys (fact_keys.h). The built-in catalogue is read as any
 * catalogue is, and the keys gathered from each definition; nothing is
 * kept between calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr_vocab.h"
#include "fact_keys.h"
#include "kpi.h"

static int add(mms_fact_keys *k, size_t *cap, const char *key)
{
	if (!key)
		return MMS_OK;
	if (mms_grow((void **)&k->keys, cap, k->n + 1, sizeof *k->keys))
		return MMS_ENOMEM;
	if (!(k->keys[k->n] = mms_strdup(key)))
		return MMS_ENOMEM;
	k->n++;
	return MMS_OK;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int gather(mms_fact_keys *k, size_t *cap, const indicator *d)
{
	int rc = add(k, cap, d->fact);
	for (int i = 0; i < d->nitems && rc == MMS_OK; i++)
		rc = add(k, cap, d->items[i].key);
	for (int i = 0; i < d->nfacts && rc == MMS_OK; i++)
		rc = add(k, cap, d->facts[i]);
	const expr *xs[] = {&d->filter, &d->num, &d->den};
	for (size_t x = 0; x < 3; x++)
		for (size_t c = 0; c < xs[x]->ncalls && rc == MMS_OK; c++)
			rc = add(k, cap, mms_vocab_fact_key(&xs[x]->calls[c]));
	return rc;
}

int mms_fact_keys_builtin(mms_fact_keys *out)
{
	memset(out, 0, sizeof *out);
	mms_kpi *kpi;
	size_t cap = 0;
	int rc = mms_kpi_open_builtin(&kpi, NULL);
	for (size_t i = 0; rc == MMS_OK && i < kpi->n; i++)
		rc = gather(out, &cap, &kpi->ind[i]);
	mms_kpi_close(kpi);
	if (rc != MMS_OK) {
		mms_fact_keys_free(out);
		return rc;
	}
	if (out->n > 1)
		qsort(out->keys, out->n, sizeof *out->keys, by_text);
	size_t kept = 0;
	for (size_t i = 0; i < out->n; i++) {
		if (kept && !strcmp(out->keys[kept - 1], out->keys[i]))
			mms_free(out->keys[i]);
		else
			out->keys[kept++] = out->keys[i];
	}
	out->n = kept;
	return MMS_OK;
}

void mms_fact_keys_free(mms_fact_keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		mms_free(k->keys[i]);
	mms_free(k->keys);
	memset(k, 0, sizeof *k);
}

/* How many leading characters two keys share: the nearest are named. */
static size_t common(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

int mms_fact_keys_check(const mms_fact_keys *k, const char *key, char *why, size_t len)
{
	const char *dot = strchr(key, '.');
	size_t ns = dot ? (size_t)(dot - key) + 1 : 0, best = 0;
	int in_namespace = 0;
	if (!ns)
		return MMS_OK;
	for (size_t i = 0; i < k->n; i++) {
		if (!strcmp(k->keys[i], key))
			return MMS_OK;
		if (!strncmp(k->keys[i], key, ns)) {
			in_namespace = 1;
			if (common(k->keys[i], key) > best)
				best = common(k->keys[i], key);
		}
	}
	if (!in_namespace)
		return MMS_OK;
	/* the namespace's keys sharing the longest beginning with it */
	int n = snprintf(why, len, "\"%.100s\" is not a fact any built-in indicator reads; %.*s* "
			 "facts sharing most with it:", key, (int)ns, key);
	int listed = 0;
	for (size_t i = 0; i < k->n && n > 0 && (size_t)n < len && listed < 6; i++)
		if (!strncmp(k->keys[i], key, ns) && common(k->keys[i], key) == best) {
			n += snprintf(why + n, len - (size_t)n, "%s %s", listed ? "," : "", k->keys[i]);
			listed++;
		}
	return MMS_EREF;
}
