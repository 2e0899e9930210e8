/* Graphviz DOT export of a subtree with its network links. */
#include "db/db.h"

static void quoted(mms_buf *b, const char *s)
{
	mms_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			mms_buf_putc(b, '\\');
		if (*s == '\n') {
			mms_buf_puts(b, "\\n");
			continue;
		}
		mms_buf_putc(b, *s);
	}
	mms_buf_putc(b, '"');
}

static const char *shape(int32_t level)
{
	static const char *const shapes[LV_COUNT] = {"doubleoctagon", "octagon", "box",
						     "ellipse", "note"};
	return shapes[level];
}

int mms_network_dot(mms_db *db, int32_t root, const char *as_of, char **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = mms_db_ready_subtree(db, &root);
	if (rc != MMS_OK)
		return rc;
	int32_t day = MMS_NONE;
	if (as_of && mms_date_parse(as_of, &day) != MMS_OK)
		return mms_db_fail(db, MMS_EINVAL, "as_of \"%.40s\" is not a date", as_of);
	const mms_model *m = &db->m;
	const mms_index *ix = &db->idx;
	int32_t from, to;
	mms_db_subtree_range(db, root, &from, &to);
	mms_buf b = {0}, label = {0};
	mms_buf_puts(&b, "digraph network {\n  rankdir=TB;\n  node [fontsize=10];\n");
	for (int32_t k = from; k < to; k++) {
		int32_t u = ix->pre[k];
		const int32_t *row = mms_row(m, MMS_UNIT, u);
		if (!mms_model_live(m, MMS_UNIT, u))
			continue;
		label.len = 0;
		mms_buf_printf(&label, "%s\n%s\n(%s)", mms_str(m, row[U_CODE]),
			       mms_str(m, row[U_NAME]), mms_enum_name(E_UNIT_KIND, row[U_KIND]));
		mms_buf_printf(&b, "  u%d [shape=%s, label=", u, shape(row[U_LEVEL]));
		quoted(&b, label.failed ? "" : label.data);
		mms_buf_puts(&b, "];\n");
		if (row[U_PARENT] >= 0 && k != from)
			mms_buf_printf(&b, "  u%d -> u%d;\n", row[U_PARENT], u);
	}
	for (size_t l = 0; l < m->t[MMS_LINK].count; l++) {
		const int32_t *row = mms_row(m, MMS_LINK, (int32_t)l);
		if (!mms_model_live(m, MMS_LINK, (int32_t)l))
			continue;
		if (root >= 0 && (!mms_index_within(ix, root, row[L_FROM]) ||
				  !mms_index_within(ix, root, row[L_TO])))
			continue;
		if (day != MMS_NONE && ((row[L_START] != MMS_NONE && day < row[L_START]) ||
					(row[L_END] != MMS_NONE && day > row[L_END])))
			continue;
		mms_buf_printf(&b, "  u%d -> u%d [style=dashed, constraint=false, label=\"%s\"];\n",
			       row[L_FROM], row[L_TO], mms_enum_name(E_LINK_KIND, row[L_KIND]));
	}
	mms_buf_puts(&b, "}\n");
	rc = label.failed ? MMS_ENOMEM : MMS_OK;
	mms_buf_free(&label);
	if (rc == MMS_OK)
		rc = mms_buf_detach(&b, out);
	else
		mms_buf_free(&b);
	return rc == MMS_OK ? rc : mms_db_fail(db, rc, "out of memory");
}
