/*
 * Text into XLSX cells, for both reports. Excel holds at most 32,767
 * characters in a cell, and libxlsxwriter leaves a longer one empty; a text
 * cut by bytes could end inside a UTF-8 character, which makes the sheet's
 * XML invalid. Every text cell goes through here: it is written whole when
 * it fits, else cut at a character boundary and marked.
 */
#ifndef MMS_REPORT_CELL_H
#define MMS_REPORT_CELL_H

#include <xlsxwriter.h>

#include "core/core.h"

#define MMS_XLSX_CELL_MAX 32767
#define MMS_XLSX_TRUNCATED "…[truncated]"

/* s as a cell holds it: s itself, or a copy cut and marked in *b (b->failed
 * if out of memory). */
const char *mms_xlsx_fit(const char *s, mms_buf *b);
/* worksheet_write_string() and worksheet_merge_range() with the text fitted;
 * *failed is set when memory ran out (the cell is then left empty). */
void mms_xlsx_string(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
		     lxw_format *fmt, int *failed);
void mms_xlsx_merge(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2,
		    const char *s, lxw_format *fmt, int *failed);

#endif
