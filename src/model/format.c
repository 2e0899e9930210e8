/* Model values back to text: for mms_db_get(), CSV, messages and the store. */
#include <stdio.h>

#include "model.h"

int mms_field_present(const mms_model *m, int e, int32_t id, int f)
{
	const field_def *fd = &mms_entities[e].fields[f];
	int32_t v = mms_row(m, e, id)[f];
	return v != mms_field_absent(fd);
}

static void ref_text(const mms_model *m, int target, int32_t id, mms_buf *out)
{
	int cf = mms_entities[target].code_field;
	if (cf >= 0)
		mms_buf_puts(out, mms_str(m, mms_row(m, target, id)[cf]));
	else
		mms_buf_printf(out, "%d", id);
}

void mms_field_text(const mms_model *m, int e, int32_t id, int f, mms_buf *out)
{
	const field_def *fd = &mms_entities[e].fields[f];
	int32_t v = mms_row(m, e, id)[f];
	if (fd->type != F_BOOL && v == mms_field_absent(fd))
		return;
	switch (fd->type) {
	case F_CODE:
	case F_STR:
		mms_buf_puts(out, mms_str(m, v));
		break;
	case F_INT:
		mms_buf_printf(out, "%d", v);
		break;
	case F_BOOL:
		mms_buf_puts(out, v ? "true" : "false");
		break;
	case F_DATE: {
		char d[11];
		mms_date_format(v, d);
		mms_buf_puts(out, d);
		break;
	}
	case F_ENUM:
		mms_buf_puts(out, mms_enum_name(fd->aux, v));
		break;
	case F_SET: {
		const char *sep = "";
		for (int k = 0; k < mms_enums[fd->aux].count; k++)
			if (v & (1 << k)) {
				mms_buf_printf(out, "%s%s", sep, mms_enums[fd->aux].values[k]);
				sep = "|";
			}
		break;
	}
	case F_REF:
		ref_text(m, fd->aux, v, out);
		break;
	case F_DEC: {
		/* shortest form: 72.5, not 72.500 */
		char d[32];
		int n = snprintf(d, sizeof d, "%s%d.%03d", v < 0 ? "-" : "",
				 (v < 0 ? -v : v) / MMS_DEC_SCALE, (v < 0 ? -v : v) % MMS_DEC_SCALE);
		while (n > 0 && d[n - 1] == '0')
			d[--n] = '\0';
		if (n > 0 && d[n - 1] == '.')
			d[--n] = '\0';
		mms_buf_puts(out, d);
		break;
	}
	case F_LIST:
		for (int32_t k = 0; k < m->lists[v]; k++)
			mms_buf_printf(out, "%s%s", k ? "|" : "",
				       mms_str(m, m->lists[v + 1 + k]));
		break;
	}
}

void mms_record_label(const mms_model *m, int e, int32_t id, mms_buf *out)
{
	const entity_def *d = &mms_entities[e];
	int32_t code = d->code_field >= 0 ? mms_row(m, e, id)[d->code_field] : 0;
	if (code)
		mms_buf_printf(out, "%s \"%s\"", d->record, mms_str(m, code));
	else
		mms_buf_printf(out, "%s #%d", d->record, id);
}
