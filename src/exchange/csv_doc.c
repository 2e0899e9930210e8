/*
 * CSV documents: one <entity>.csv per entity in a directory, a header row
 * of field names, UTF-8 with or without a BOM, ';' or ',' separated as
 * Russian spreadsheets export them. Parsed with libcsv; positions are
 * reported as file:line:column, the column being the field's position.
 */
#include <csv.h>
#include <dirent.h>
#include <stdlib.h>
#include <strings.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "exchange.h"

typedef struct csv_table {
	char *file;      /* path for messages: units.csv */
	int col_of[32];  /* field index → column, -1 if the header lacks it */
	int ncols;
	char **cells;    /* rows × ncols */
	uint32_t *below; /* rows × ncols: lines from the row's first to the cell's */
	size_t *lines;   /* line where each row begins */
	size_t rows, cap, cells_cap, below_cap;
} csv_table;

typedef struct csv_doc {
	mms_doc base;
	csv_table t[MMS_HISTORY_TABLE + 1]; /* the entities, then history.csv */
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
	v->len = strlen(v->text); /* a cell holding a NUL was refused while parsing */
	return MMS_OK;
}

/* A record is located at the line where it begins, a field at its own
 * line, which differs when a quoted field before it spans lines. */
static void cd_where(mms_doc *d, int e, size_t rec, int f, mms_buf *out)
{
	csv_table *t = &((csv_doc *)d)->t[e];
	if (f < 0 || t->col_of[f] < 0) {
		mms_buf_printf(out, "%s:%zu", t->file, t->lines[rec]);
		return;
	}
	size_t cell = rec * (size_t)t->ncols + (size_t)t->col_of[f];
	mms_buf_printf(out, "%s:%zu:%d", t->file, t->lines[rec] + t->below[cell],
		       t->col_of[f] + 1);
}

/* State of the libcsv callbacks while one file is parsed. The text is fed
 * one physical line at a time (ended by LF, CR LF or a lone CR), so a
 * field that ends in the piece being fed began on this line, unless a
 * quoted field was open when the piece began: then it began on `open`. */
typedef struct parse_state {
	csv_table *t;
	mms_report *report;
	int first_rc;
	int header_done;
	int e;
	char **row;        /* fields of the row being read */
	size_t *row_lines; /* and the line each began on */
	size_t nrow, row_cap, lines_cap;
	size_t line;       /* physical line being fed */
	size_t open;       /* line where the quoted field still open began, or 0 */
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
	size_t line = ps->open ? ps->open : ps->line;
	ps->open = 0;
	if (s && memchr(s, '\0', len)) /* C strings would cut the cell short */
		fail(ps, MMS_ETYPE, line, (int)ps->nrow + 1, "a NUL byte inside the cell");
	char *cell = mms_strndup(s ? s : "", s ? len : 0);
	if (!cell || mms_grow((void **)&ps->row, &ps->row_cap, ps->nrow + 1,
			      sizeof *ps->row) ||
	    mms_grow((void **)&ps->row_lines, &ps->lines_cap, ps->nrow + 1,
		     sizeof *ps->row_lines)) {
		mms_free(cell);
		ps->nomem = 1;
		return;
	}
	ps->row_lines[ps->nrow] = line;
	ps->row[ps->nrow++] = cell;
}

static void take_header(parse_state *ps)
{
	csv_table *t = ps->t;
	t->ncols = (int)ps->nrow;
	for (int c = 0; c < t->ncols; c++) {
		const char *name = ps->row[c];
		int f = mms_table_column(ps->e, name);
		if (f < 0)
			fail(ps, MMS_ETYPE, ps->row_lines[c], c + 1,
			     "unknown column \"%.80s\" for %s", name, mms_table_def(ps->e)->name);
		else if (t->col_of[f] >= 0)
			fail(ps, MMS_EDUP, ps->row_lines[c], c + 1, "column \"%s\" appears twice",
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
	if (ps->nomem)
		return;
	size_t cells = (t->rows + 1) * (size_t)t->ncols;
	if (!ps->header_done) {
		take_header(ps);
		ps->header_done = 1;
	} else if ((int)ps->nrow != t->ncols) {
		fail(ps, MMS_EPARSE, ps->row_lines[0], 0, "row has %zu fields, the header has %d",
		     ps->nrow, t->ncols);
	} else if (mms_grow((void **)&t->cells, &t->cells_cap, cells, sizeof *t->cells) ||
		   mms_grow((void **)&t->below, &t->below_cap, cells, sizeof *t->below) ||
		   mms_grow((void **)&t->lines, &t->cap, t->rows + 1, sizeof *t->lines)) {
		ps->nomem = 1;
		return;
	} else {
		size_t at = t->rows * (size_t)t->ncols;
		memcpy(t->cells + at, ps->row, ps->nrow * sizeof *ps->row);
		for (size_t i = 0; i < ps->nrow; i++) /* a cell 4 billion lines on is refused by size first */
			t->below[at + i] = (uint32_t)(ps->row_lines[i] - ps->row_lines[0]);
		t->lines[t->rows++] = ps->row_lines[0];
		ps->nrow = 0;
		return;
	}
	for (size_t i = 0; i < ps->nrow; i++)
		mms_free(ps->row[i]);
	ps->nrow = 0;
}

/* Where the field being read began: libcsv finds a malformed field only
 * where it stops making sense, often lines later. */
static size_t error_line(const parse_state *ps)
{
	return ps->open ? ps->open : ps->line;
}

/* Length of the physical line at text, its end (LF, CR LF or CR) included. */
static size_t line_length(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			return i + 1;
		if (text[i] == '\r')
			return i + 1 < len && text[i + 1] == '\n' ? i + 2 : i + 1;
	}
	return len;
}

/* The separator is whichever of ';' and ',' the header line uses more. */
static unsigned char sniff_delimiter(const char *text, size_t len)
{
	size_t semi = 0, comma = 0;
	for (size_t i = 0; i < line_length(text, len); i++) {
		semi += text[i] == ';';
		comma += text[i] == ',';
	}
	return semi > comma ? ';' : ',';
}

static void *csv_realloc(void *p, size_t n) { return mms_realloc(p, n); }

/* libcsv trims spaces and tabs around unquoted fields unless told that no
 * character is a space: " Иванова" would be stored as "Иванова". */
static int no_space(unsigned char c)
{
	MMS_UNUSED(c);
	return 0;
}

/* Parses the text of one file into its table. */
static int parse_text(csv_table *t, int e, const char *p, size_t len, mms_report *report,
		      int *first_rc)
{
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
		p += 3;
		len -= 3;
	}
	struct csv_parser parser;
	parse_state ps = {t, report, MMS_OK, 0, e, NULL, NULL, 0, 0, 0, 1, 0, 0};
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return MMS_ENOMEM;
	csv_set_realloc_func(&parser, csv_realloc);
	csv_set_free_func(&parser, mms_free);
	csv_set_space_func(&parser, no_space);
	csv_set_delim(&parser, sniff_delimiter(p, len));
	for (size_t i = 0; i < len && !ps.nomem;) {
		size_t n = line_length(p + i, len - i);
		if (csv_parse(&parser, p + i, n, on_field, on_row, &ps) != n) {
			if (csv_error(&parser) == CSV_ENOMEM)
				ps.nomem = 1;
			else
				fail(&ps, MMS_EPARSE, error_line(&ps), 0, "%s",
				     csv_strerror(csv_error(&parser)));
			break;
		}
		/* only a quoted field runs on past a line end */
		ps.open = parser.quoted ? (ps.open ? ps.open : ps.line) : 0;
		i += n;
		if (p[i - 1] == '\n' || p[i - 1] == '\r')
			ps.line++;
	}
	if (!ps.nomem && ps.first_rc != MMS_EPARSE &&
	    csv_fini(&parser, on_field, on_row, &ps) != 0)
		fail(&ps, MMS_EPARSE, error_line(&ps), 0, "%s (a quote left open?)",
		     csv_strerror(csv_error(&parser)));
	csv_free(&parser);
	for (size_t i = 0; i < ps.nrow; i++)
		mms_free(ps.row[i]);
	mms_free(ps.row);
	mms_free(ps.row_lines);
	if (!ps.header_done && !ps.nomem)
		fail(&ps, MMS_EPARSE, 1, 0, "empty file: a header row is required");
	if (*first_rc == MMS_OK)
		*first_rc = ps.first_rc;
	return ps.nomem ? MMS_ENOMEM : MMS_OK;
}

static int parse_table(csv_doc *cd, int e, const char *dir, size_t max, mms_report *report,
		       int *first_rc)
{
	csv_table *t = &cd->t[e];
	for (int f = 0; f < 32; f++)
		t->col_of[f] = -1;
	mms_buf path = {0};
	mms_buf_printf(&path, "%s/%s.csv", dir, mms_table_def(e)->name);
	if (path.failed)
		return MMS_ENOMEM;
	char *text = NULL;
	size_t len = 0;
	int rc = mms_read_file_max(path.data, max, &text, &len);
	mms_buf_free(&path);
	if (rc == MMS_ENOTFOUND)
		return MMS_OK; /* an entity without a file has no records */
	mms_buf_printf(&path, "%s.csv", mms_table_def(e)->name);
	if (mms_buf_detach(&path, &t->file) != MMS_OK) {
		mms_free(text);
		return MMS_ENOMEM;
	}
	if (rc == MMS_OK)
		rc = parse_text(t, e, text, len, report, first_rc);
	mms_free(text);
	if (rc == MMS_ERANGE)
		mms_report_add(report, rc, t->file, "%s: %s of %zu bytes (mms_import_options.max_bytes)",
			       t->file, mms_read_error(rc), max);
	else if (rc == MMS_EIO || rc == MMS_EINVAL)
		mms_report_add(report, rc, t->file, "%s: %s", t->file, mms_read_error(rc));
	return rc == MMS_EINVAL ? MMS_EIO : rc; /* not a regular file: a file error, as for JSON */
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether name ends in ".csv" in any letter case. */
static int looks_csv(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && !strcasecmp(name + n - 4, ".csv");
}

/* The names of the folder, sorted (hidden ones left out); NULL-terminated. */
static int list_dir(const char *dir, char ***out, size_t *count)
{
	*out = NULL;
	*count = 0;
	DIR *d = opendir(dir);
	if (!d)
		return MMS_EIO;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = MMS_OK;
	for (struct dirent *de; rc == MMS_OK && (de = readdir(d));) {
		if (de->d_name[0] == '.')
			continue;
		if (mms_grow((void **)&names, &cap, n + 2, sizeof *names) ||
		    !(names[n] = mms_strdup(de->d_name)))
			rc = MMS_ENOMEM;
		else
			names[++n] = NULL;
	}
	closedir(d);
	if (rc != MMS_OK) {
		for (size_t i = 0; i < n; i++)
			mms_free(names[i]);
		mms_free(names);
		return rc;
	}
	if (n)
		qsort(names, n, sizeof *names, by_name);
	*out = names;
	*count = n;
	return MMS_OK;
}

/* A misspelt or wrongly cased file would otherwise be skipped as an entity
 * without records and its rows lost without a word, so every *.csv file
 * must be one of ours, and at least one must be there. */
static int check_names(const char *dir, mms_report *report)
{
	char **names;
	size_t n;
	int rc = list_dir(dir, &names, &n);
	if (rc == MMS_EIO)
		mms_report_add(report, rc, dir, "%s: the folder cannot be read", dir);
	if (rc != MMS_OK)
		return rc;
	mms_buf expected = {0}, found = {0};
	for (int e = 0; e <= MMS_HISTORY_TABLE; e++)
		mms_buf_printf(&expected, "%s%s.csv", e ? ", " : "", mms_table_def(e)->name);
	for (size_t i = 0; i < n; i++)
		mms_buf_printf(&found, "%s%s", i ? ", " : "", names[i]);
	int known = 0, first = MMS_OK;
	for (size_t i = 0; i < n; i++) {
		int e;
		size_t len = strlen(names[i]);
		char stem[64];
		int ours = looks_csv(names[i]) && len - 4 < sizeof stem;
		if (ours) {
			memcpy(stem, names[i], len - 4);
			stem[len - 4] = '\0';
			ours = !strcmp(names[i] + len - 4, ".csv") &&
			       (mms_entity_from_name(&e, stem) == MMS_OK ||
				!strcmp(stem, mms_history_def.name));
		}
		known += ours;
		if (ours || !looks_csv(names[i]))
			continue;
		if (first == MMS_OK)
			first = MMS_ETYPE;
		mms_report_add(report, MMS_ETYPE, names[i], "%s: not a file name libmms reads "
			       "(names are lower case, one per entity): expected %s; found %s",
			       names[i], expected.data ? expected.data : "",
			       found.data ? found.data : "");
	}
	if (!known && first == MMS_OK) {
		first = MMS_EMISSING;
		mms_report_add(report, MMS_EMISSING, dir, "%s: the folder holds no file libmms "
			       "reads: expected one or more of %s; found %s", dir,
			       expected.data ? expected.data : "",
			       n && found.data ? found.data : "nothing");
	}
	if (expected.failed || found.failed)
		first = MMS_ENOMEM;
	mms_buf_free(&expected);
	mms_buf_free(&found);
	for (size_t i = 0; i < n; i++)
		mms_free(names[i]);
	mms_free(names);
	return first;
}

int mms_csv_doc_open(mms_doc **out, const char *dir, size_t max, mms_report *report)
{
	*out = NULL;
	csv_doc *cd = mms_calloc(1, sizeof *cd);
	if (!cd)
		return MMS_ENOMEM;
	cd->base = (mms_doc){cd_count, cd_get, cd_where, 1, 0, 1};
	int first = check_names(dir, report);
	for (int e = 0; e <= MMS_HISTORY_TABLE && first != MMS_ENOMEM; e++) {
		int rc = parse_table(cd, e, dir, max, report, &first);
		if (rc != MMS_OK) {
			mms_csv_doc_free(&cd->base);
			return rc;
		}
	}
	if (first != MMS_OK || report->failed) {
		mms_csv_doc_free(&cd->base);
		return first != MMS_OK ? first : MMS_ENOMEM;
	}
	*out = &cd->base;
	return MMS_OK;
}

void mms_csv_doc_free(mms_doc *d)
{
	csv_doc *cd = (csv_doc *)d;
	if (!cd)
		return;
	for (int e = 0; e <= MMS_HISTORY_TABLE; e++) {
		csv_table *t = &cd->t[e];
		for (size_t i = 0; i < t->rows * (size_t)t->ncols; i++)
			mms_free(t->cells[i]);
		mms_free(t->cells);
		mms_free(t->below);
		mms_free(t->lines);
		mms_free(t->file);
	}
	mms_free(cd);
}
