/*
 * Turns fields of any document into model values, checking types, enum
 * names, ranges and references, and reporting every problem with its
 * location. Rules across fields and records live in validate.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

#define MAX_TEXT 65535
#define MAX_CODE 200

void mms_ingest_fail(mms_ingest *in, int rc, int e, size_t rec, int field,
		     const char *fmt, ...)
{
	if (in->first_rc == MMS_OK)
		in->first_rc = rc;
	if (in->bad[e])
		in->bad[e][rec] = 1;
	mms_buf loc = {0}, msg = {0};
	in->doc->where(in->doc, e, rec, field, &loc);
	va_list ap;
	va_start(ap, fmt);
	mms_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	mms_report_add(in->report, rc, loc.data ? loc.data : "", "%s: %s",
		       loc.data ? loc.data : "", msg.data ? msg.data : "");
	mms_buf_free(&loc);
	mms_buf_free(&msg);
}

long mms_utf8_check(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		size_t len;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2, min = 0x80, c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3, min = 0x800, c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4, min = 0x10000, c &= 0x07;
		} else {
			return (long)i;
		}
		if (i + len > n)
			return (long)i;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return (long)i;
			c = (c << 6) | (p[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return (long)i;
		i += len;
	}
	return -1;
}

/* Quotes a value for a message, cut short so a huge value stays readable. */
static void quote(mms_buf *b, const char *s, size_t n)
{
	mms_buf_putc(b, '"');
	mms_buf_append(b, s, n > 60 ? 60 : n);
	if (n > 60)
		mms_buf_puts(b, "...");
	mms_buf_putc(b, '"');
}

static const char *label(mms_ingest *in, int e, int32_t id, mms_buf *b)
{
	mms_record_label(in->m, e, id, b);
	return b->data ? b->data : "";
}

/* Checks a text value and stores it in the pool. */
static int take_text(mms_ingest *in, int e, size_t rec, int32_t id, int f,
		     const mms_value *v, int32_t *out)
{
	const field_def *fd = &mms_entities[e].fields[f];
	mms_buf lb = {0}, vb = {0};
	int rc = MMS_OK;
	size_t max = fd->type == F_CODE ? MAX_CODE : MAX_TEXT, at;
	long bad;
	const char *flaw;
	unsigned ch;
	if (strlen(v->text) != v->len) {
		mms_ingest_fail(in, rc = MMS_ETYPE, e, rec, f,
				"%s: %s contains a NUL character",
				label(in, e, id, &lb), fd->name);
	} else if ((bad = mms_utf8_check(v->text, v->len)) >= 0) {
		mms_ingest_fail(in, rc = MMS_ETYPE, e, rec, f,
				"%s: %s is not valid UTF-8 (byte %ld)",
				label(in, e, id, &lb), fd->name, bad + 1);
	} else if (v->len > max) {
		mms_ingest_fail(in, rc = MMS_ERANGE, e, rec, f,
				"%s: %s is %zu bytes long, more than %zu",
				label(in, e, id, &lb), fd->name, v->len, max);
	} else if (fd->type == F_CODE && memchr(v->text, '|', v->len)) {
		quote(&vb, v->text, v->len);
		mms_ingest_fail(in, rc = MMS_ETYPE, e, rec, f,
				"%s: code %s may not contain '|' (it separates the items of lists)",
				mms_entities[e].record, vb.data ? vb.data : "");
	} else if (fd->type == F_CODE && (flaw = mms_code_flaw(v->text, v->len, &at, &ch))) {
		quote(&vb, v->text, v->len);
		mms_ingest_fail(in, rc = MMS_ETYPE, e, rec, f,
				"%s: code %s has %s, U+%04X at character %zu; a code must read "
				"as it is stored (docs/format.md, \"Codes\")",
				mms_entities[e].record, vb.data ? vb.data : "", flaw, ch, at);
	} else {
		rc = mms_model_add_str(in->m, v->text, v->len, out);
	}
	mms_buf_free(&lb);
	mms_buf_free(&vb);
	return rc == MMS_ENOMEM ? rc : MMS_OK;
}

static int rows(mms_ingest *in, int e, size_t n, mms_skelset *staged);

/* Brings the skeletons of the rows the import found in the table up to
 * date: all of them the first time a handle needs them, then only the rows
 * added since. Staged rows never go in, so a rollback cannot stale it. */
static int skeletons_catch_up(mms_model *m, int e)
{
	mms_table *t = &m->t[e];
	int f = mms_entities[e].code_field;
	for (; t->skel_rows < t->count; t->skel_rows++) {
		int32_t off = mms_row(m, e, (int32_t)t->skel_rows)[f];
		uint64_t h;
		if (!off || mms_code_skeleton(mms_str(m, off), strlen(mms_str(m, off)), &h) != MMS_OK)
			continue; /* no code, or one no reader could mistake */
		if (mms_skelset_add(&t->skel, h, (int32_t)t->skel_rows) != MMS_OK)
			return MMS_ENOMEM;
	}
	return MMS_OK;
}

/* The record of the table or of this import whose code reads the same as
 * code, or -1. */
static int32_t lookalike(const mms_model *m, int e, const mms_skelset *staged, uint64_t h,
			 const char *code)
{
	const mms_skelset *sets[2] = {&m->t[e].skel, staged};
	int f = mms_entities[e].code_field;
	for (int k = 0; k < 2; k++) {
		size_t pos = 0;
		for (int32_t id; (id = mms_skelset_next(sets[k], h, &pos)) >= 0;)
			if (mms_code_lookalike(code, mms_str(m, mms_row(m, e, id)[f])))
				return id;
	}
	return -1;
}

/* Refuses a code a reader cannot tell from one already used, naming both. */
static int check_lookalike(mms_ingest *in, int e, size_t rec, int32_t id, mms_skelset *staged,
			   int *clash)
{
	const char *code = mms_str(in->m, mms_row(in->m, e, id)[mms_entities[e].code_field]);
	uint64_t h;
	*clash = 0;
	if (mms_code_skeleton(code, strlen(code), &h) != MMS_OK)
		return MMS_OK; /* too long to fold: compared exactly, as before */
	int32_t other = lookalike(in->m, e, staged, h, code);
	if (other < 0)
		return mms_skelset_add(staged, h, id);
	const entity_def *d = &mms_entities[e];
	mms_buf a = {0}, b = {0};
	quote(&a, code, strlen(code));
	const char *theirs = mms_str(in->m, mms_row(in->m, e, other)[d->code_field]);
	quote(&b, theirs, strlen(theirs));
	if (mms_ingest_hidden(in, e, other)) /* outside the scope: not even which */
		mms_ingest_fail(in, MMS_EDUP, e, rec, d->code_field,
				"%s code %s is already used (as written, or by a look-alike)",
				d->record, a.data ? a.data : "");
	else
		mms_ingest_fail(in, MMS_EDUP, e, rec, d->code_field,
				"%s code %s conflicts with %s %s (#%d): the two differ only in letter "
				"case, Unicode normalisation or Latin/Cyrillic look-alike letters",
				d->record, a.data ? a.data : "", d->record, b.data ? b.data : "", other);
	mms_buf_free(&a);
	mms_buf_free(&b);
	*clash = 1;
	return MMS_OK;
}

int mms_ingest_rows(mms_ingest *in, int e)
{
	const entity_def *d = &mms_entities[e];
	size_t n = in->doc->count(in->doc, e);
	if (n == 0) /* no records of e: no arrays (every reader stops at n) */
		return MMS_OK;
	in->ids[e] = mms_calloc(n, sizeof(int32_t));
	in->bad[e] = mms_calloc(n, 1);
	if (!in->ids[e] || !in->bad[e])
		return MMS_ENOMEM;
	if (d->code_field >= 0) {
		int rc = skeletons_catch_up(in->m, e);
		if (rc != MMS_OK)
			return rc;
	}
	mms_skelset staged = {0};
	int rc = rows(in, e, n, &staged);
	mms_skelset_free(&staged);
	return rc;
}

static int rows(mms_ingest *in, int e, size_t n, mms_skelset *staged)
{
	const entity_def *d = &mms_entities[e];
	for (size_t rec = 0; rec < n; rec++) {
		int32_t id;
		int rc = mms_model_add_row(in->m, e, &id);
		if (rc != MMS_OK)
			return rc;
		in->ids[e][rec] = id;
		if (d->code_field < 0)
			continue;
		mms_value v;
		int f = d->code_field;
		if ((rc = in->doc->get(in->doc, e, rec, f, &v)) != MMS_OK)
			return rc;
		if (v.kind != V_TEXT || v.len == 0) {
			mms_ingest_fail(in, v.kind == V_ABSENT || v.kind == V_NULL ||
						    v.kind == V_TEXT ? MMS_EMISSING : MMS_ETYPE,
					e, rec, f, "%s without a code (a non-empty string)",
					d->record);
			continue;
		}
		int32_t off = 0;
		if ((rc = take_text(in, e, rec, id, f, &v, &off)) != MMS_OK)
			return rc;
		if (!off)
			continue;
		int32_t other = mms_model_find_code(in->m, e, mms_str(in->m, off));
		if (other >= 0) {
			mms_buf vb = {0};
			quote(&vb, v.text, v.len);
			if (mms_ingest_hidden(in, e, other)) /* outside the scope: not even which */
				mms_ingest_fail(in, MMS_EDUP, e, rec, f, "%s code %s is already used",
						d->record, vb.data ? vb.data : "");
			else
				mms_ingest_fail(in, MMS_EDUP, e, rec, f,
						"%s code %s is already used by %s #%d%s",
						d->record, vb.data ? vb.data : "", d->record, other,
						mms_model_live(in->m, e, other) ? "" :
						" (deleted: codes are never reused)");
			mms_buf_free(&vb);
			continue;
		}
		mms_row(in->m, e, id)[f] = off;
		int clash;
		if ((rc = check_lookalike(in, e, rec, id, staged, &clash)) != MMS_OK)
			return rc;
		if (clash) {
			mms_row(in->m, e, id)[f] = 0;
			continue;
		}
		if ((rc = mms_model_index_code(in->m, e, id)) != MMS_OK)
			return rc;
	}
	return MMS_OK;
}

static int parse_int(const char *s, long long *out)
{
	char *end;
	if (!(*s == '-' || *s == '+' || (*s >= '0' && *s <= '9')))
		return MMS_ETYPE; /* strtoll would skip white space: " 7" is not 7 */
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return MMS_ETYPE;
	*out = v;
	return MMS_OK;
}

/* Dates come as YYYY-MM-DD; spreadsheets in Russia also write DD.MM.YYYY. */
static int parse_date(const char *s, int lenient, int32_t *out)
{
	char iso[11];
	if (lenient && strlen(s) == 10 && s[2] == '.' && s[5] == '.') {
		snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", s + 6, s + 3, s);
		s = iso;
	}
	return mms_date_parse(s, out);
}

/* Splits "a|b|c" in place into items; returns the count. */
static size_t split_list(char *s, const char **items, size_t max)
{
	size_t n = 0;
	for (char *p = s; n < max;) {
		char *bar = strchr(p, '|');
		items[n++] = p;
		if (!bar)
			break;
		*bar = '\0';
		p = bar + 1;
	}
	return n;
}

static const char *value_type_name(const mms_value *v)
{
	switch (v->kind) {
	case V_TEXT: return "a string";
	case V_INT: return "a number";
	case V_BOOL: return "a boolean";
	case V_LIST: return "an array";
	case V_NUM: return "a fractional number";
	case V_OTHER: return v->text;
	default: return "nothing";
	}
}

/* Decodes list items (set names or list texts) into the field. */
static int take_items(mms_ingest *in, int e, size_t rec, int32_t id, int f,
		      const char *const *items, size_t n)
{
	const field_def *fd = &mms_entities[e].fields[f];
	int32_t *row = mms_row(in->m, e, id);
	int32_t offs[64];
	mms_buf lb = {0};
	int rc = MMS_OK;
	if (n > 64) {
		mms_ingest_fail(in, MMS_ERANGE, e, rec, f, "%s: %s has %zu items, more than 64",
				label(in, e, id, &lb), fd->name, n);
		goto done;
	}
	int32_t set = 0;
	for (size_t i = 0; i < n; i++) {
		if (fd->type == F_SET) {
			int k = mms_enum_find(fd->aux, items[i]);
			if (k < 0) {
				mms_ingest_fail(in, MMS_ETYPE, e, rec, f,
						"%s: %s item \"%s\" is not a %s",
						label(in, e, id, &lb), fd->name, items[i],
						mms_enums[fd->aux].name);
				goto done;
			}
			set |= 1 << k;
			continue;
		}
		mms_value item = {.kind = V_TEXT, .text = items[i], .len = strlen(items[i])};
		if (item.len == 0 || strchr(items[i], '|')) {
			mms_ingest_fail(in, MMS_ETYPE, e, rec, f,
					"%s: %s item %zu is empty or contains '|'",
					label(in, e, id, &lb), fd->name, i + 1);
			goto done;
		}
		offs[i] = 0;
		if ((rc = take_text(in, e, rec, id, f, &item, &offs[i])) != MMS_OK)
			goto done;
		if (!offs[i])
			goto done; /* take_text reported it */
	}
	if (fd->type == F_SET)
		row[f] = set;
	else
		rc = mms_model_add_list(in->m, offs, (int32_t)n, &row[f]);
done:
	mms_buf_free(&lb);
	return rc;
}

static int decode_field(mms_ingest *in, int e, size_t rec, int32_t id, int f)
{
	const field_def *fd = &mms_entities[e].fields[f];
	int32_t *row = mms_row(in->m, e, id);
	mms_value v;
	int rc = in->doc->get(in->doc, e, rec, f, &v);
	if (rc != MMS_OK)
		return rc;
	int lenient = in->doc->lenient && v.kind == V_TEXT;
	if (v.kind == V_NULL || (v.kind == V_TEXT && v.len == 0))
		v.kind = V_ABSENT; /* an empty cell or string is no value */
	mms_buf lb = {0}, vb = {0};
	const char *what = NULL; /* set when the value has the wrong type */
	if (v.kind == V_ABSENT) {
		if (fd->required)
			mms_ingest_fail(in, MMS_EMISSING, e, rec, f, "%s: %s is required",
					label(in, e, id, &lb), fd->name);
		goto done;
	}
	if (v.kind == V_TEXT)
		quote(&vb, v.text, v.len);
	switch (fd->type) {
	case F_STR:
		if (v.kind != V_TEXT)
			what = "a string";
		else
			rc = take_text(in, e, rec, id, f, &v, &row[f]);
		break;
	case F_INT:
	case F_BOOL: {
		long long x = v.i;
		int ok = v.kind == (fd->type == F_INT ? V_INT : V_BOOL);
		if (!ok && lenient && fd->type == F_INT)
			ok = parse_int(v.text, &x) == MMS_OK;
		if (!ok && lenient && fd->type == F_BOOL) {
			ok = 1;
			if (!strcmp(v.text, "true") || !strcmp(v.text, "1"))
				x = 1;
			else if (!strcmp(v.text, "false") || !strcmp(v.text, "0"))
				x = 0;
			else
				ok = 0;
		}
		if (!ok) {
			what = fd->type == F_INT ? "an integer" : "true or false";
		} else if (fd->type == F_INT && (x < fd->min || x > fd->max)) {
			mms_ingest_fail(in, MMS_ERANGE, e, rec, f,
					"%s: %s %lld is outside %d..%d",
					label(in, e, id, &lb), fd->name, x, fd->min, fd->max);
		} else {
			row[f] = (int32_t)x;
		}
		break;
	}
	case F_DEC: {
		double x = v.kind == V_INT ? (double)v.i : v.d;
		int ok = v.kind == V_INT || v.kind == V_NUM;
		if (!ok && lenient) { /* spreadsheets in Russia write 72,5 */
			char *copy = mms_strndup(v.text, v.len), *end;
			if (!copy) {
				rc = MMS_ENOMEM;
				break;
			}
			for (char *q = copy; *q; q++)
				if (*q == ',')
					*q = '.';
			x = strtod(copy, &end);
			ok = end != copy && !*end && !strchr(" \t\n\v\f\r", *copy);
			mms_free(copy);
		}
		if (!ok)
			what = "a number";
		else if (fabs(x * MMS_DEC_SCALE - nearbyint(x * MMS_DEC_SCALE)) > 1e-6 * fmax(1, fabs(x)))
			mms_ingest_fail(in, MMS_ERANGE, e, rec, f, "%s: %s %.15g has more than 3 "
					"decimal places and cannot be stored exactly",
					label(in, e, id, &lb), fd->name, x);
		else if (!(x * MMS_DEC_SCALE >= fd->min && x * MMS_DEC_SCALE <= fd->max))
			mms_ingest_fail(in, MMS_ERANGE, e, rec, f, "%s: %s %g is outside %g..%g",
					label(in, e, id, &lb), fd->name, x,
					(double)fd->min / MMS_DEC_SCALE, (double)fd->max / MMS_DEC_SCALE);
		else
			row[f] = (int32_t)llround(x * MMS_DEC_SCALE);
		break;
	}
	case F_DATE: {
		int drc = v.kind == V_TEXT ? parse_date(v.text, in->doc->lenient, &row[f])
					   : MMS_ETYPE;
		if (drc == MMS_ETYPE && v.kind != V_TEXT)
			what = "a date string YYYY-MM-DD";
		else if (drc != MMS_OK)
			mms_ingest_fail(in, drc, e, rec, f, "%s: %s %s is not a date (YYYY-MM-DD)",
					label(in, e, id, &lb), fd->name, vb.data);
		else if (row[f] < mms_date_from_ymd(1900, 1, 1) ||
			 row[f] > mms_date_from_ymd(2100, 12, 31)) {
			mms_ingest_fail(in, MMS_ERANGE, e, rec, f,
					"%s: %s %s is outside 1900..2100",
					label(in, e, id, &lb), fd->name, vb.data);
			row[f] = MMS_NONE;
		}
		break;
	}
	case F_ENUM: {
		int k = v.kind == V_TEXT ? mms_enum_find(fd->aux, v.text) : -2;
		if (k == -2)
			what = "a string";
		else if (k < 0)
			mms_ingest_fail(in, MMS_ETYPE, e, rec, f, "%s: %s %s is not a known %s",
					label(in, e, id, &lb), fd->name, vb.data,
					mms_enums[fd->aux].name);
		else
			row[f] = k;
		break;
	}
	case F_SET:
	case F_LIST:
		if (v.kind == V_LIST) {
			rc = take_items(in, e, rec, id, f, v.items, v.n);
		} else if (lenient) {
			const char *items[65];
			char *copy = mms_strndup(v.text, v.len);
			if (!copy) {
				rc = MMS_ENOMEM;
				break;
			}
			size_t n = split_list(copy, items, 65);
			rc = take_items(in, e, rec, id, f, items, n);
			mms_free(copy);
		} else {
			what = "an array of strings";
		}
		break;
	case F_REF: {
		int target = fd->aux;
		size_t count = in->m->t[target].count;
		long long ref;
		/* Records without a code (a route's steps) are named by their id in
		 * this database; a text of digits stands for one in CSV. */
		if (mms_entities[target].code_field < 0 && v.kind == V_TEXT && lenient &&
		    parse_int(v.text, &ref) == MMS_OK) {
			v.kind = V_INT;
			v.i = ref;
		}
		if ((in->doc->refs_are_ids || mms_entities[target].code_field < 0) && v.kind == V_INT) {
			if (v.i < 0 || (size_t)v.i >= count ||
			    !mms_model_live(in->m, target, (int32_t)v.i))
				mms_ingest_fail(in, MMS_EREF, e, rec, f, "%s: %s id %lld does not exist",
						label(in, e, id, &lb), fd->name, v.i);
			else
				row[f] = (int32_t)v.i;
		} else if (mms_entities[target].code_field < 0) {
			what = "an id";
		} else if (v.kind != V_TEXT) {
			what = "a code string";
		} else {
			int32_t to = mms_model_find_code(in->m, target, v.text);
			if (to >= 0 && !mms_model_live(in->m, target, to))
				mms_ingest_fail(in, MMS_EREF, e, rec, f,
						"%s: %s %s names a deleted %s",
						label(in, e, id, &lb), fd->name, vb.data,
						mms_entities[target].record);
			else if (to < 0)
				mms_ingest_fail(in, MMS_EREF, e, rec, f,
						"%s: %s %s names no known %s",
						label(in, e, id, &lb), fd->name, vb.data,
						mms_entities[target].record);
			else
				row[f] = to;
		}
		break;
	}
	default:
		break;
	}
	if (what)
		mms_ingest_fail(in, MMS_ETYPE, e, rec, f, "%s: %s must be %s, not %s",
				label(in, e, id, &lb), fd->name, what, value_type_name(&v));
done:
	mms_buf_free(&lb);
	mms_buf_free(&vb);
	return rc == MMS_ENOMEM ? rc : MMS_OK;
}

int mms_ingest_fields(mms_ingest *in, int e)
{
	const entity_def *d = &mms_entities[e];
	size_t n = in->doc->count(in->doc, e);
	for (size_t rec = 0; rec < n; rec++)
		for (int f = 0; f < d->nfields; f++) {
			if (f == d->code_field)
				continue;
			int rc = decode_field(in, e, rec, in->ids[e][rec], f);
			if (rc != MMS_OK)
				return rc;
		}
	return MMS_OK;
}

void mms_ingest_free(mms_ingest *in)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		mms_free(in->ids[e]);
		mms_free(in->bad[e]);
	}
}
