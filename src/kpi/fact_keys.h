/*
 * The fact keys the built-in definitions declare (the keys their "fact",
 * "items", "facts" and expressions name), so that an import can refuse a
 * misspelt key where it stands instead of keeping a fact nothing reads.
 * A key is checked when its namespace (the text before its first '.') is
 * one the built-in definitions use; other namespaces are the user's own.
 */
#ifndef MMS_KPI_FACT_KEYS_H
#define MMS_KPI_FACT_KEYS_H

#include <stddef.h>

typedef struct mms_fact_keys {
	char **keys; /* sorted, each once */
	size_t n;
} mms_fact_keys;

/* Reads the built-in catalogue's declared keys. MMS_OK or MMS_ENOMEM. */
int mms_fact_keys_builtin(mms_fact_keys *out);
void mms_fact_keys_free(mms_fact_keys *k);

/* MMS_OK when key is declared or outside every declared namespace; else
 * MMS_EREF, with why saying so and naming the namespace's keys nearest. */
int mms_fact_keys_check(const mms_fact_keys *k, const char *key, char *why, size_t len);

#endif
