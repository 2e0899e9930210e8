/*
 * Whole-database exports: JSON (one record per line, so diffs stay
 * readable; each record serialised by json-c) and CSV (one file per
 * entity, quoted only where needed). Both are deterministic.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "exchange.h"

int mms_view_shows(const mms_view *v, int e, int32_t id)
{
	return mms_model_live(v->m, e, id) && (!v->acc || (v->acc[e][id] & 1));
}

static int shown(const mms_view *v, int e, size_t id)
{
	return mms_view_shows(v, e, (int32_t)id);
}

int mms_view_init(mms_view *v, const mms_model *m, const mms_pseudo *ps, uint8_t *const *acc)
{
	*v = (mms_view){m, ps, acc, {0}};
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		/* records named by id are numbered again when some are not shown */
		if (mms_entities[e].code_field >= 0 || (!acc && !m->dead_len[e]))
			continue;
		if (!(v->rank[e] = mms_malloc((m->t[e].count + 1) * sizeof *v->rank[e]))) {
			mms_view_free(v);
			return MMS_ENOMEM;
		}
		int32_t next = 0;
		for (size_t id = 0; id < m->t[e].count; id++)
			v->rank[e][id] = shown(v, e, id) ? next++ : -1;
	}
	return MMS_OK;
}

void mms_view_free(mms_view *v)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		mms_free(v->rank[e]);
		v->rank[e] = NULL;
	}
}

/* A reference to a record without a code: its id, as the export numbers them. */
static int32_t id_ref(const mms_view *v, int e, int32_t id, int f, int *is_id_ref)
{
	const field_def *fd = &mms_entities[e].fields[f];
	int32_t ref = mms_row(v->m, e, id)[f];
	*is_id_ref = fd->type == F_REF && mms_entities[fd->aux].code_field < 0;
	return *is_id_ref && ref >= 0 && v->rank[fd->aux] ? v->rank[fd->aux][ref] : ref;
}

static json_object *field_json(const mms_view *vw, int e, int32_t id, int f)
{
	const mms_model *m = vw->m;
	const mms_pseudo *ps = vw->ps;
	const field_def *fd = &mms_entities[e].fields[f];
	int32_t v = mms_row(m, e, id)[f];
	int is_id_ref;
	int32_t ref = id_ref(vw, e, id, f, &is_id_ref);
	switch (fd->type) {
	case F_REF:
		if (is_id_ref) /* named by id: a number */
			return json_object_new_int64(ref);
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
		mms_out_text(m, ps, e, id, f, &b);
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

/* Appends o on one line and releases it. */
static int put_json(json_object *o, mms_buf *out)
{
	const char *s = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s)
		mms_buf_puts(out, s);
	json_object_put(o);
	return s ? MMS_OK : MMS_ENOMEM;
}

static int record_json(const mms_view *vw, int e, int32_t id, mms_buf *out)
{
	const mms_model *m = vw->m;
	const mms_pseudo *ps = vw->ps;
	const entity_def *d = &mms_entities[e];
	json_object *o = json_object_new_object();
	if (!o)
		return MMS_ENOMEM;
	for (int f = 0; f < d->nfields; f++) {
		if (!mms_out_present(m, ps, e, id, f))
			continue; /* absent fields and false booleans are left out */
		json_object *v = field_json(vw, e, id, f);
		if (!v || json_object_object_add(o, d->fields[f].name, v)) {
			json_object_put(v);
			json_object_put(o);
			return MMS_ENOMEM;
		}
	}
	return put_json(o, out);
}

/* One history row as a JSON object on one line; absent values left out. */
static int history_json(const mms_hist *h, size_t i, mms_buf *out)
{
	json_object *o = json_object_new_object();
	if (!o)
		return MMS_ENOMEM;
	for (int c = 0; c < HC_COUNT; c++) {
		const char *t = mms_hist_cell(h, i, c);
		json_object *s = t ? json_object_new_string(t) : NULL;
		if (t && (!s || json_object_object_add(o, mms_history_def.fields[c].name, s))) {
			json_object_put(s);
			json_object_put(o);
			return MMS_ENOMEM;
		}
	}
	return put_json(o, out);
}

/* The JSON export into b. */
static int json_into(const mms_view *v, mms_buf *b)
{
	mms_buf_puts(b, "{\n\"format\": \"libmms\",\n\"version\": 1");
	for (int e = 0; e < MMS_ENTITY_COUNT && !b->failed; e++) {
		size_t written = 0;
		mms_buf_printf(b, ",\n\"%s\": [", mms_entities[e].name);
		for (size_t id = 0; id < v->m->t[e].count; id++) {
			if (!shown(v, e, id))
				continue;
			mms_buf_puts(b, written++ ? ",\n  " : "\n  ");
			if (record_json(v, e, (int32_t)id, b) != MMS_OK)
				return MMS_ENOMEM;
		}
		mms_buf_puts(b, written ? "\n]" : "]");
	}
	/* a database without history exports as before it had any */
	if (v->hist && v->hist->count) {
		mms_buf_puts(b, ",\n\"history\": [");
		for (size_t i = 0; i < v->hist->count; i++) {
			mms_buf_puts(b, i ? ",\n  " : "\n  ");
			if (history_json(v->hist, i, b) != MMS_OK)
				return MMS_ENOMEM;
		}
		mms_buf_puts(b, "\n]");
	}
	mms_buf_puts(b, "\n}\n");
	return b->failed ? MMS_ENOMEM : MMS_OK;
}

int mms_export_json_text(const mms_view *v, char **out)
{
	mms_buf b = {0};
	if (json_into(v, &b) != MMS_OK) {
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

/* One file, whole or not at all; msg says why not. */
static int write_file(const char *path, const mms_buf *b, char *msg)
{
	mms_atomic a;
	int rc = mms_atomic_begin(&a, path, 0);
	if (rc == MMS_OK && (rc = mms_atomic_write(&a, b->data, b->len)) != MMS_OK)
		mms_atomic_abort(&a);
	else if (rc == MMS_OK)
		rc = mms_atomic_commit(&a);
	memcpy(msg, a.msg, sizeof a.msg);
	return rc;
}

int mms_export_json_file(const mms_view *v, const char *path, char *msg)
{
	mms_buf b = {0};
	*msg = '\0';
	int rc = json_into(v, &b);
	if (rc == MMS_OK)
		rc = write_file(path, &b, msg);
	mms_buf_free(&b);
	return rc;
}

/* The files of a CSV export: "<entity>.csv" of every entity, history.csv. */
static int csv_name(const char *name)
{
	size_t n = strlen(name);
	for (int e = 0; e <= MMS_HISTORY_TABLE; e++) {
		const char *t = mms_table_def(e)->name;
		size_t k = strlen(t);
		if (n == k + 4 && !strncmp(name, t, k) && !strcmp(name + k, ".csv"))
			return 1;
	}
	return 0;
}

/* One entity's file in the folder dir. */
static int csv_file(const mms_view *v, int e, const char *dir, char delim, char *msg)
{
	const entity_def *d = &mms_entities[e];
	mms_buf b = {0}, cell = {0}, path = {0};
	for (int f = 0; f < d->nfields; f++) {
		if (f)
			mms_buf_putc(&b, delim);
		mms_buf_puts(&b, d->fields[f].name);
	}
	mms_buf_putc(&b, '\n');
	for (size_t id = 0; id < v->m->t[e].count && !b.failed; id++) {
		if (!shown(v, e, id))
			continue;
		for (int f = 0; f < d->nfields; f++) {
			if (f)
				mms_buf_putc(&b, delim);
			cell.len = 0;
			int is_id_ref;
			int32_t ref = id_ref(v, e, (int32_t)id, f, &is_id_ref);
			if (mms_out_present(v->m, v->ps, e, (int32_t)id, f) && is_id_ref)
				mms_buf_printf(&cell, "%d", ref);
			else if (mms_out_present(v->m, v->ps, e, (int32_t)id, f))
				mms_out_text(v->m, v->ps, e, (int32_t)id, f, &cell);
			csv_cell(&b, cell.data ? cell.data : "", cell.len, delim);
		}
		mms_buf_putc(&b, '\n');
	}
	mms_buf_printf(&path, "%s/%s.csv", dir, d->name);
	int rc = b.failed || cell.failed || path.failed ? MMS_ENOMEM : write_file(path.data, &b, msg);
	mms_buf_free(&b);
	mms_buf_free(&cell);
	mms_buf_free(&path);
	return rc;
}

/* history.csv, when there are rows: an empty cell is an absent value. */
static int csv_history(const mms_hist *h, const char *dir, char delim, char *msg)
{
	mms_buf b = {0}, path = {0};
	for (int c = 0; c < HC_COUNT; c++) {
		if (c)
			mms_buf_putc(&b, delim);
		mms_buf_puts(&b, mms_history_def.fields[c].name);
	}
	mms_buf_putc(&b, '\n');
	for (size_t i = 0; i < h->count && !b.failed; i++) {
		for (int c = 0; c < HC_COUNT; c++) {
			const char *t = mms_hist_cell(h, i, c);
			if (c)
				mms_buf_putc(&b, delim);
			if (t)
				csv_cell(&b, t, strlen(t), delim);
		}
		mms_buf_putc(&b, '\n');
	}
	mms_buf_printf(&path, "%s/%s.csv", dir, mms_history_def.name);
	int rc = b.failed || path.failed ? MMS_ENOMEM : write_file(path.data, &b, msg);
	mms_buf_free(&b);
	mms_buf_free(&path);
	return rc;
}

/* The folder is written beside dir and swapped in whole (atomic.c). */
int mms_export_csv_dir(const mms_view *v, const char *dir, char delim, char *msg)
{
	mms_atomic a;
	*msg = '\0';
	int rc = mms_atomic_dir_begin(&a, dir, csv_name);
	if (rc != MMS_OK) {
		memcpy(msg, a.msg, sizeof a.msg);
		return rc;
	}
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++)
		rc = csv_file(v, e, a.tmp, delim, msg);
	if (rc == MMS_OK && v->hist && v->hist->count)
		rc = csv_history(v->hist, a.tmp, delim, msg);
	if (rc != MMS_OK) {
		mms_atomic_dir_abort(&a);
		return rc;
	}
	rc = mms_atomic_dir_commit(&a);
	memcpy(msg, a.msg, sizeof a.msg);
	return rc;
}
