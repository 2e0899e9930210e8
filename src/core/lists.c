/* Id lists and problem reports handed to callers. */
#include <stdio.h>
#include <string.h>

#include "core.h"

mms_idlist *mms_idlist_new(void)
{
	return mms_calloc(1, sizeof(mms_idlist));
}

int mms_idlist_push(mms_idlist *l, int32_t id)
{
	if (mms_grow((void **)&l->ids, &l->cap, l->count + 1, sizeof *l->ids))
		return MMS_ENOMEM;
	l->ids[l->count++] = id;
	return MMS_OK;
}

int mms_id_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

size_t mms_idlist_count(const mms_idlist *l) { return l ? l->count : 0; }

int32_t mms_idlist_get(const mms_idlist *l, size_t i)
{
	return l && i < l->count ? l->ids[i] : -1;
}

const int32_t *mms_idlist_data(const mms_idlist *l) { return l ? l->ids : NULL; }

void mms_idlist_free(mms_idlist *l)
{
	if (!l)
		return;
	mms_free(l->ids);
	mms_free(l);
}

mms_report *mms_report_new(void)
{
	return mms_calloc(1, sizeof(mms_report));
}

void mms_report_add(mms_report *r, int code, const char *location,
		    const char *fmt, ...)
{
	if (!r || r->failed)
		return;
	mms_buf msg = {0};
	va_list ap;
	va_start(ap, fmt);
	mms_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	struct mms_report_item it = {code, mms_strdup(location), NULL};
	if (mms_buf_detach(&msg, &it.message) != MMS_OK || !it.location ||
	    mms_grow((void **)&r->items, &r->cap, r->count + 1, sizeof *r->items)) {
		mms_free(it.location);
		mms_free(it.message);
		r->failed = 1;
		return;
	}
	r->items[r->count++] = it;
}

size_t mms_report_count(const mms_report *r) { return r ? r->count : 0; }

int mms_report_code(const mms_report *r, size_t i)
{
	return r && i < r->count ? r->items[i].code : MMS_EINVAL;
}

const char *mms_report_location(const mms_report *r, size_t i)
{
	return r && i < r->count ? r->items[i].location : NULL;
}

const char *mms_report_message(const mms_report *r, size_t i)
{
	return r && i < r->count ? r->items[i].message : NULL;
}

void mms_report_free(mms_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++) {
		mms_free(r->items[i].location);
		mms_free(r->items[i].message);
	}
	mms_free(r->items);
	mms_free(r);
}
