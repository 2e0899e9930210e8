/*
 * Whole-database exports: JSON (one record per line, so diffs stay
 * readable; each record serialised by json-c) and CSV (one file per
 * entity, quoted only where needed). Both are deterministic.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "exchange.h"

static json_object *field_json(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, int f)
{
	const field_def *fd = &mms_entities[e].fields[f];
	int32_t v = mms_row(m, e, id)[f];
	switch (fd->type) {
	case F_REF:
		if (mms_entities[fd->aux].code_field < 0) /* named by id: a number */
			return json_object_new_int64(v);
		break;
	case F_INT:
		return json_object_new_int64(v);
	case F_BOOL:
		return json_object_new_boolean(v);
	case F_DEC: {
		mms_buf b = {0};
		mms_field_text(m, e, id, f, &b);
		json_object *d = b.failed ? NULL
					  : json_object_new_double_s((double)v / MMS_DEC_SCALE, b.data);
		mms_buf_free(&b);
		return d;
	}
	case F_SET:
	case F_LIST: {
		json_object *a = json_object_new_array();
		mms_buf b = {0};
		mms_field_text(m, e, id, f, &b);
		for (char *p = b.data; a && p;) {
			char *bar = strchr(p, '|');
			if (bar)
				*bar = '\0';
			json_object_array_add(a, json_object_new_string(p));
			p = bar ? bar + 1 : NULL;
		}
		int bad = b.failed;
		mms_buf_free(&b);
		if (bad) {
			json_object_put(a);
			return NULL;
		}
		return a;
	}
	default:
		break;
	}
	/* everything else is its text: names, dates, codes */
	mms_buf b = {0};
	mms_out_text(m, ps, e, id, f, &b);
	json_object *s = b.failed ? NULL
				  : json_object_new_string_len(b.data ? b.data : "", (int)b.len);
	mms_buf_free(&b);
	return s;
}

static int record_json(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, mms_buf *out)
{
	const entity_def *d = &mms_entities[e];
	json_object *o = json_object_new_object();
	if (!o)
		return MMS_ENOMEM;
	for (int f = 0; f < d->nfields; f++) {
		if (!mms_out_present(m, ps, e, id, f))
			continue; /* absent fields and false booleans are left out */
		json_object *v = field_json(m, ps, e, id, f);
		if (!v || json_object_object_add(o, d->fields[f].name, v)) {
			json_object_put(v);
			json_object_put(o);
			return MMS_ENOMEM;
		}
	}
	const char *s = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s)
		mms_buf_puts(out, s);
	json_object_put(o);
	return s ? MMS_OK : MMS_ENOMEM;
}

/* The JSON export into b. */
static int json_into(const mms_model *m, const mms_pseudo *ps, mms_buf *b)
{
	mms_buf_puts(b, "{\n\"format\": \"libmms\",\n\"version\": 1");
	for (int e = 0; e < MMS_ENTITY_COUNT && !b->failed; e++) {
		size_t n = m->t[e].count;
		mms_buf_printf(b, ",\n\"%s\": [", mms_entities[e].name);
		for (size_t id = 0; id < n; id++) {
			mms_buf_puts(b, id ? ",\n  " : "\n  ");
			if (record_json(m, ps, e, (int32_t)id, b) != MMS_OK)
				return MMS_ENOMEM;
		}
		mms_buf_puts(b, n ? "\n]" : "]");
	}
	mms_buf_puts(b, "\n}\n");
	return b->failed ? MMS_ENOMEM : MMS_OK;
}

int mms_export_json_text(const mms_model *m, const mms_pseudo *ps, char **out)
{
	mms_buf b = {0};
	if (json_into(m, ps, &b) != MMS_OK) {
		mms_buf_free(&b);
		return MMS_ENOMEM;
	}
	return mms_buf_detach(&b, out);
}

static void csv_cell(mms_buf *b, const char *s, size_t n, char delim)
{
	int quote = n && (s[0] == ' ' || s[n - 1] == ' ');
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		mms_buf_append(b, s, n);
		return;
	}
	mms_buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			mms_buf_putc(b, '"');
		mms_buf_putc(b, s[i]);
	}
	mms_buf_putc(b, '"');
}

static int write_file(const char *path, const mms_buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return MMS_EIO;
	size_t n = b->len ? fwrite(b->data, 1, b->len, f) : 0;
	int bad = n != b->len;
	bad |= fclose(f) != 0;
	return bad ? MMS_EIO : MMS_OK;
}

int mms_export_json_file(const mms_model *m, const mms_pseudo *ps, const char *path)
{
	mms_buf b = {0};
	int rc = json_into(m, ps, &b);
	if (rc == MMS_OK)
		rc = write_file(path, &b);
	mms_buf_free(&b);
	return rc;
}

int mms_export_csv_dir(const mms_model *m, const mms_pseudo *ps, const char *dir, char delim)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return MMS_EIO;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		const entity_def *d = &mms_entities[e];
		mms_buf b = {0}, cell = {0}, path = {0};
		for (int f = 0; f < d->nfields; f++) {
			if (f)
				mms_buf_putc(&b, delim);
			mms_buf_puts(&b, d->fields[f].name);
		}
		mms_buf_putc(&b, '\n');
		for (size_t id = 0; id < m->t[e].count && !b.failed; id++) {
			for (int f = 0; f < d->nfields; f++) {
				if (f)
					mms_buf_putc(&b, delim);
				cell.len = 0;
				if (mms_out_present(m, ps, e, (int32_t)id, f))
					mms_out_text(m, ps, e, (int32_t)id, f, &cell);
				csv_cell(&b, cell.data ? cell.data : "", cell.len, delim);
			}
			mms_buf_putc(&b, '\n');
		}
		mms_buf_printf(&path, "%s/%s.csv", dir, d->name);
		int rc = b.failed || cell.failed || path.failed ? MMS_ENOMEM
								: write_file(path.data, &b);
		mms_buf_free(&b);
		mms_buf_free(&cell);
		mms_buf_free(&path);
		if (rc != MMS_OK)
			return rc;
	}
	return MMS_OK;
}
