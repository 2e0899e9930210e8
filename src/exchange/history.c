/*
 * The history of changes in the exchange formats (docs/format.md,
 * "History in exchange"): one more table of the documents, of text
 * columns, beside the entities; and the rows an export writes.
 */
#include <string.h>

#include "exchange.h"

static const field_def history_fields[HC_COUNT] = {
	[HC_AT] = {"at", F_STR, 1, 0, 0, 0},
	[HC_ACTOR] = {"actor", F_STR, 0, 0, 0, 0},
	[HC_ENTITY] = {"entity", F_STR, 1, 0, 0, 0},
	[HC_KEY] = {"key", F_STR, 1, 0, 0, 0},
	[HC_FIELD] = {"field", F_STR, 0, 0, 0, 0},
	[HC_OLD] = {"old", F_STR, 0, 0, 0, 0},
	[HC_NEW] = {"new", F_STR, 0, 0, 0, 0},
};

const entity_def mms_history_def = {"history", "history row", history_fields, HC_COUNT, -1};

const entity_def *mms_table_def(int e)
{
	return e == MMS_HISTORY_TABLE ? &mms_history_def : &mms_entities[e];
}

int mms_table_column(int e, const char *name)
{
	if (e != MMS_HISTORY_TABLE)
		return mms_field_find(e, name);
	for (int c = 0; c < HC_COUNT; c++)
		if (!strcmp(history_fields[c].name, name))
			return c;
	return -1;
}

int mms_hist_add(mms_hist *h, const char *const vals[HC_COUNT])
{
	void *rows = h->rows;
	if (mms_grow(&rows, &h->cap, h->count + 1, sizeof *h->rows))
		return MMS_ENOMEM;
	h->rows = rows;
	for (int c = 0; c < HC_COUNT; c++) {
		h->rows[h->count][c] = vals[c] ? (int64_t)h->text.len : -1;
		if (vals[c])
			mms_buf_append(&h->text, vals[c], strlen(vals[c]) + 1);
	}
	h->count++;
	return h->text.failed ? MMS_ENOMEM : MMS_OK;
}

void mms_hist_free(mms_hist *h)
{
	mms_free(h->rows);
	mms_buf_free(&h->text);
	memset(h, 0, sizeof *h);
}
