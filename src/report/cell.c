/* Text cells of the XLSX reports: see cell.h. */
#include <string.h>

#include "cell.h"

/* Characters (not bytes) of UTF-8 text: bytes that do not continue one. */
static size_t chars(const char *s, size_t limit, size_t *cut)
{
	size_t n = 0;
	const char *p = s;
	for (; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80) {
			if (n == limit)
				*cut = (size_t)(p - s); /* where character limit+1 begins */
			n++;
		}
	return n;
}

const char *mms_xlsx_fit(const char *s, mms_buf *b)
{
	size_t keep = MMS_XLSX_CELL_MAX - (sizeof "…[truncated]" - 1 - 2); /* "…" is 3 bytes, 1 char */
	size_t cut = 0;
	if (chars(s, keep, &cut) <= MMS_XLSX_CELL_MAX)
		return s;
	b->len = 0;
	mms_buf_append(b, s, cut);
	mms_buf_puts(b, MMS_XLSX_TRUNCATED);
	return b->failed ? NULL : b->data;
}

void mms_xlsx_string(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
		     lxw_format *fmt, int *failed)
{
	mms_buf b = {0};
	const char *t = mms_xlsx_fit(s ? s : "", &b);
	*failed |= !t;
	worksheet_write_string(ws, row, col, t ? t : "", fmt);
	mms_buf_free(&b);
}

void mms_xlsx_merge(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2,
		    const char *s, lxw_format *fmt, int *failed)
{
	mms_buf b = {0};
	const char *t = mms_xlsx_fit(s ? s : "", &b);
	*failed |= !t;
	worksheet_merge_range(ws, r1, c1, r2, c2, t ? t : "", fmt);
	mms_buf_free(&b);
}
