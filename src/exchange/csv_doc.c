/*
 * CSV documents: one <entity>.csv per entity in a directory, a header row
 * of field names, UTF-8 with or without a BOM, ';' or ',' separated as
 * Russian spreadsheets export them. Parsed with libcsv; positions are
 * reported as file:line:column, the column being the field's position.
 */
#include <csv.h>
#include <stdio.h>
#include <string.h>

#include "exchange.h"

typedef struct csv_table {
	char *file;      /* path for messages: units.csv */
	int col_of[32];  /* field index → column, -1 if the header lacks it */
	int ncols;
	char **cells;    /* rows × ncols */
	size_t *lines;   /* line of each row */
	size_t rows, cap, cells_cap;
} csv_table;

typedef struct csv_doc {
	mms_doc base;
	csv_table t[MMS_ENTITY_COUNT];
} csv_doc;

static size_t cd_count(mms_doc *d, int e)
{
	return ((csv_doc *)d)->t[e].rows;
}

static int cd_get(mms_doc *d, int e, size_t rec, int f, mms_value *v)
{
	csv_table *t = &((csv_doc *)d)->t[e];
	memset(v, 0, sizeof *v);
	int col = t->col_of[f];
	if (col < 0) {
		v->kind = V_ABSENT;
		return MMS_OK;
	}
	v->kind = V_TEXT;
	v->text = t->cells[rec * (size_t)t->ncols + (size_t)col];
	v->len = strlen(v->text);
	return MMS_OK;
}

static void cd_where(mms_doc *d, int e, size_t rec, int f, mms_buf *out)
{
	csv_table *t = &((csv_doc *)d)->t[e];
	mms_buf_printf(out, "%s:%zu", t->file, t->lines[rec]);
	if (f >= 0 && t->col_of[f] >= 0)
		mms_buf_printf(out, ":%d", t->col_of[f] + 1);
}

/* State of the libcsv callbacks while one file is parsed. */
typedef struct parse_state {
	csv_table *t;
	mms_report *report;
	int first_rc;
	int header_done;
	int e;
	char **row;        /* fields of the row being read */
	size_t nrow, row_cap;
	size_t line;       /* physical line being fed */
	size_t row_line;   /* line where the current row's first field ended */
	size_t row_start;  /* line after the last complete row */
	int nomem;
} parse_state;

static void fail(parse_state *ps, int rc, size_t line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void fail(parse_state *ps, int rc, size_t line, int col, const char *fmt, ...)
{
	mms_buf loc = {0}, msg = {0};
	mms_buf_printf(&loc, "%s:%zu", ps->t->file, line);
	if (col > 0)
		mms_buf_printf(&loc, ":%d", col);
	va_list ap;
	va_start(ap, fmt);
	mms_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	mms_report_add(ps->report, rc, loc.data ? loc.data : "", "%s: %s",
		       loc.data ? loc.data : "", msg.data ? msg.data : "");
	mms_buf_free(&loc);
	mms_buf_free(&msg);
	if (ps->first_rc == MMS_OK)
		ps->first_rc = rc;
}

static void on_field(void *s, size_t len, void *data)
{
	parse_state *ps = data;
	if (ps->nomem)
		return;
	if (ps->nrow == 0)
		ps->row_line = ps->line;
	char *cell = mms_strndup(s ? s : "", s ? len : 0);
	if (!cell || mms_grow((void **)&ps->row, &ps->row_cap, ps->nrow + 1,
			      sizeof *ps->row)) {
		mms_free(cell);
		ps->nomem = 1;
		return;
	}
	ps->row[ps->nrow++] = cell;
}

static void take_header(parse_state *ps)
{
	csv_table *t = ps->t;
	t->ncols = (int)ps->nrow;
	for (int c = 0; c < t->ncols; c++) {
		const char *name = ps->row[c];
		int f = mms_field_find(ps->e, name);
		if (f < 0)
			fail(ps, MMS_ETYPE, ps->row_line, c + 1,
			     "unknown column \"%.80s\" for %s", name, mms_entities[ps->e].name);
		else if (t->col_of[f] >= 0)
			fail(ps, MMS_EDUP, ps->row_line, c + 1, "column \"%s\" appears twice",
			     name);
		else
			t->col_of[f] = c;
	}
}

static void on_row(int c, void *data)
{
	parse_state *ps = data;
	csv_table *t = ps->t;
	MMS_UNUSED(c);
	ps->row_start = ps->line + 1;
	if (ps->nomem)
		return;
	if (!ps->header_done) {
		take_header(ps);
		ps->header_done = 1;
	} else if ((int)ps->nrow != t->ncols) {
		fail(ps, MMS_EPARSE, ps->row_line, 0, "row has %zu fields, the header has %d",
		     ps->nrow, t->ncols);
	} else if (mms_grow((void **)&t->cells, &t->cells_cap,
			    (t->rows + 1) * (size_t)t->ncols, sizeof *t->cells) ||
		   mms_grow((void **)&t->lines, &t->cap, t->rows + 1, sizeof *t->lines)) {
		ps->nomem = 1;
		return;
	} else {
		memcpy(t->cells + t->rows * (size_t)t->ncols, ps->row,
		       ps->nrow * sizeof *ps->row);
		t->lines[t->rows++] = ps->row_line;
		ps->nrow = 0;
		return;
	}
	for (size_t i = 0; i < ps->nrow; i++)
		mms_free(ps->row[i]);
	ps->nrow = 0;
}

/* Where the row being read began: libcsv finds a malformed row only
 * where it stops making sense, often lines later. */
static size_t error_line(const parse_state *ps)
{
	return ps->nrow ? ps->row_line : ps->row_start;
}

/* The separator is whichever of ';' and ',' the header line uses more. */
static unsigned char sniff_delimiter(const char *text, size_t len)
{
	size_t semi = 0, comma = 0;
	for (size_t i = 0; i < len && text[i] != '\n'; i++) {
		semi += text[i] == ';';
		comma += text[i] == ',';
	}
	return semi > comma ? ';' : ',';
}

static void *csv_realloc(void *p, size_t n) { return mms_realloc(p, n); }

static int parse_table(csv_doc *cd, int e, const char *dir, mms_report *report,
		       int *first_rc)
{
	csv_table *t = &cd->t[e];
	for (int f = 0; f < 32; f++)
		t->col_of[f] = -1;
	mms_buf path = {0};
	mms_buf_printf(&path, "%s/%s.csv", dir, mms_entities[e].name);
	if (path.failed)
		return MMS_ENOMEM;
	t->file = mms_strdup(mms_entities[e].name);
	char *text = NULL;
	size_t len = 0;
	int rc = t->file ? mms_read_file(path.data, &text, &len) : MMS_ENOMEM;
	mms_free(t->file);
	t->file = NULL;
	if (rc == MMS_OK) {
		mms_buf_free(&path);
		mms_buf_printf(&path, "%s.csv", mms_entities[e].name);
		if (mms_buf_detach(&path, &t->file) != MMS_OK)
			rc = MMS_ENOMEM;
	}
	mms_buf_free(&path);
	if (rc == MMS_ENOTFOUND)
		return MMS_OK; /* an entity without a file has no records */
	if (rc != MMS_OK) {
		mms_free(text);
		if (rc == MMS_EIO)
			mms_report_add(report, rc, mms_entities[e].name,
				       "%s.csv: cannot be read", mms_entities[e].name);
		return rc;
	}
	const char *p = text;
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
		p += 3;
		len -= 3;
	}
	struct csv_parser parser;
	parse_state ps = {t, report, MMS_OK, 0, e, NULL, 0, 0, 1, 1, 1, 0};
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		mms_free(text);
		return MMS_ENOMEM;
	}
	csv_set_realloc_func(&parser, csv_realloc);
	csv_set_free_func(&parser, mms_free);
	csv_set_delim(&parser, sniff_delimiter(p, len));
	/* Feed line by line so callbacks know the physical line number. */
	for (size_t i = 0; i < len && !ps.nomem;) {
		const char *nl = memchr(p + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (p + i)) + 1 : len - i;
		if (csv_parse(&parser, p + i, n, on_field, on_row, &ps) != n) {
			if (csv_error(&parser) == CSV_ENOMEM) {
				ps.nomem = 1;
			} else {
				fail(&ps, MMS_EPARSE, error_line(&ps), 0, "%s",
				     csv_strerror(csv_error(&parser)));
			}
			break;
		}
		ps.line++;
		i += n;
	}
	if (!ps.nomem && ps.first_rc != MMS_EPARSE &&
	    csv_fini(&parser, on_field, on_row, &ps) != 0)
		fail(&ps, MMS_EPARSE, error_line(&ps), 0, "%s (a quote left open?)",
		     csv_strerror(csv_error(&parser)));
	csv_free(&parser);
	for (size_t i = 0; i < ps.nrow; i++)
		mms_free(ps.row[i]);
	mms_free(ps.row);
	mms_free(text);
	if (!ps.header_done && !ps.nomem)
		fail(&ps, MMS_EPARSE, 1, 0, "empty file: a header row is required");
	if (*first_rc == MMS_OK)
		*first_rc = ps.first_rc;
	return ps.nomem ? MMS_ENOMEM : MMS_OK;
}

int mms_csv_doc_open(mms_doc **out, const char *dir, mms_report *report)
{
	*out = NULL;
	csv_doc *cd = mms_calloc(1, sizeof *cd);
	if (!cd)
		return MMS_ENOMEM;
	cd->base = (mms_doc){cd_count, cd_get, cd_where, 1, 0};
	int first = MMS_OK;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		int rc = parse_table(cd, e, dir, report, &first);
		if (rc != MMS_OK) {
			mms_csv_doc_free(&cd->base);
			return rc;
		}
	}
	if (first != MMS_OK) {
		mms_csv_doc_free(&cd->base);
		return first;
	}
	*out = &cd->base;
	return MMS_OK;
}

void mms_csv_doc_free(mms_doc *d)
{
	csv_doc *cd = (csv_doc *)d;
	if (!cd)
		return;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		csv_table *t = &cd->t[e];
		for (size_t i = 0; i < t->rows * (size_t)t->ncols; i++)
			mms_free(t->cells[i]);
		mms_free(t->cells);
		mms_free(t->lines);
		mms_free(t->file);
	}
	mms_free(cd);
}
