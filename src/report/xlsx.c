/*
 * The indicator report for people, as an XLSX workbook written with
 * libxlsxwriter: a summary of the unit, native line charts of values
 * against targets, and a sheet per level of the subtree.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "cell.h"
#include "kpi/kpi.h"

enum { F_HEAD, F_TEXT, F_YEAR, F_PLAIN, F_ACHIEVED, F_RISK, F_MISSED, F_NODATA, F_COUNT };

typedef struct report {
	mms_kpi *kpi;
	lxw_workbook *wb;
	lxw_format *fmt[F_COUNT];
	mms_kpi_report_options o;
	indicator **ind; /* the indicators reported, in catalogue order */
	size_t n;
	const programme *prog;  /* with a programme: its order and targets */
	const prog_criterion **crit; /* by indicator: its criterion */
	int32_t unit;
	int failed; /* a cell's text could not be made for lack of memory */
} report;

static int included(const char *list, const char *id)
{
	if (!list)
		return 1;
	size_t n = strlen(id);
	for (const char *p = list; (p = strstr(p, id)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

static void formats(report *r)
{
	static const lxw_color_t fills[F_COUNT] = {
		[F_HEAD] = 0xDDEBF7, [F_ACHIEVED] = 0xC6EFCE, [F_RISK] = 0xFFEB9C,
		[F_MISSED] = 0xFFC7CE, [F_NODATA] = 0xD9D9D9};
	for (int i = 0; i < F_COUNT; i++) {
		lxw_format *f = r->fmt[i] = workbook_add_format(r->wb);
		format_set_border(f, LXW_BORDER_THIN);
		if (fills[i])
			format_set_bg_color(f, fills[i]);
		if (i == F_HEAD || i == F_YEAR)
			format_set_bold(f);
		if (i == F_HEAD || i == F_TEXT)
			format_set_text_wrap(f);
		if (i >= F_PLAIN)
			format_set_num_format(f, "0.0");
	}
}

static lxw_format *status_format(const report *r, const mms_kpi_result *v)
{
	switch (v->status) {
	case MMS_KPI_ACHIEVED: return r->fmt[F_ACHIEVED];
	case MMS_KPI_AT_RISK: return r->fmt[F_RISK];
	case MMS_KPI_NOT_ACHIEVED: return r->fmt[F_MISSED];
	case MMS_KPI_UNDEFINED: return r->fmt[F_NODATA];
	default: return r->fmt[F_PLAIN];
	}
}

/* A value as the report judges it: by the programme's targets, if it has one. */
static int value_of(report *r, indicator *d, int32_t u, int year, mms_kpi_result *v)
{
	return r->prog ? mms_kpi_value_in(r->kpi, r->prog, d, u, year, v)
		       : mms_kpi_value(r->kpi, d->id, u, year, v);
}

/* A value cell: the number, or "н/д" (no data) when it is undefined. */
static void value_cell(report *r, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		       const mms_kpi_result *v)
{
	if (v->defined)
		worksheet_write_number(ws, row, col, v->value, status_format(r, v));
	else
		mms_xlsx_string(ws, row, col, "н/д", r->fmt[F_NODATA], &r->failed);
}

static const char *unit_text(const report *r, int32_t u, int field)
{
	const mms_model *m = &r->kpi->db->m;
	return mms_str(m, mms_row(m, MMS_UNIT, u)[field]);
}

/* Summary rows: per indicator, its values and then its targets by year. */
static int summary(report *r, lxw_worksheet *ws, const char *sheet, lxw_worksheet *charts)
{
	int years = r->o.to - r->o.from + 1;
	/* texts of any length (names are up to 65,535 bytes): never cut by bytes */
	mms_buf text = {0};
	mms_buf_printf(&text, "%s — показатели %d–%d%s%s",
		       r->o.title ? r->o.title : unit_text(r, r->unit, U_NAME), r->o.from, r->o.to,
		       r->prog ? ": " : "", r->prog ? r->prog->name_ru : "");
	mms_xlsx_string(ws, 0, 0, text.data, NULL, &r->failed);
	mms_xlsx_string(ws, 2, 0, "Показатель", r->fmt[F_HEAD], &r->failed);
	mms_xlsx_string(ws, 2, 1, "Ед.", r->fmt[F_HEAD], &r->failed);
	mms_xlsx_string(ws, 2, 2, "", r->fmt[F_HEAD], &r->failed);
	for (int y = 0; y < years; y++)
		worksheet_write_number(ws, 2, (lxw_col_t)(3 + y), r->o.from + y, r->fmt[F_YEAR]);
	worksheet_set_column(ws, 0, 0, 60, NULL);
	worksheet_set_column(ws, 1, 2, 9, NULL);
	worksheet_freeze_panes(ws, 3, 3);
	for (size_t i = 0; i < r->n; i++) {
		indicator *d = r->ind[i];
		lxw_row_t row = (lxw_row_t)(3 + 2 * i);
		text.len = 0;
		if (r->prog) /* the criterion first: the sheet reads as the programme's table */
			mms_buf_printf(&text, "%s. %s\n", r->crit[i]->id, r->crit[i]->name_ru);
		mms_buf_printf(&text, "%s (%s)", d->name_ru, d->id);
		mms_xlsx_merge(ws, row, 0, row + 1, 0, text.data, r->fmt[F_TEXT], &r->failed);
		mms_xlsx_merge(ws, row, 1, row + 1, 1, d->unit ? d->unit : "", r->fmt[F_TEXT], &r->failed);
		mms_xlsx_string(ws, row, 2, "значение", r->fmt[F_TEXT], &r->failed);
		mms_xlsx_string(ws, row + 1, 2, "цель", r->fmt[F_TEXT], &r->failed);
		for (int y = 0; y < years; y++) {
			mms_kpi_result v = MMS_KPI_RESULT_INIT;
			int rc = value_of(r, d, r->unit, r->o.from + y, &v);
			if (rc != MMS_OK) {
				mms_buf_free(&text);
				return rc;
			}
			value_cell(r, ws, row, (lxw_col_t)(3 + y), &v);
			if (v.has_target)
				worksheet_write_number(ws, row + 1, (lxw_col_t)(3 + y), v.target, r->fmt[F_PLAIN]);
			else
				worksheet_write_blank(ws, row + 1, (lxw_col_t)(3 + y), r->fmt[F_PLAIN]);
		}
		/* A native line chart of this indicator: value and target by year. */
		lxw_chart *chart = workbook_add_chart(r->wb, LXW_CHART_LINE);
		lxw_col_t last = (lxw_col_t)(3 + years - 1);
		lxw_chart_series *value = chart_add_series(chart, NULL, NULL);
		lxw_chart_series *target = chart_add_series(chart, NULL, NULL);
		chart_series_set_categories(value, sheet, 2, 3, 2, last);
		chart_series_set_values(value, sheet, row, 3, row, last);
		chart_series_set_name(value, "значение");
		chart_series_set_marker_type(value, LXW_CHART_MARKER_CIRCLE);
		chart_series_set_categories(target, sheet, 2, 3, 2, last);
		chart_series_set_values(target, sheet, row + 1, 3, row + 1, last);
		chart_series_set_name(target, "цель");
		lxw_chart_line dash = {.dash_type = LXW_CHART_LINE_DASH_DASH};
		chart_series_set_line(target, &dash);
		chart_title_set_name(chart, d->name_ru);
		chart_axis_set_name(chart->y_axis, d->unit ? d->unit : "");
		lxw_chart_font small = {.size = 9};
		chart_title_set_name_font(chart, &small);
		worksheet_insert_chart(charts, (lxw_row_t)(1 + 16 * (i / 2)), (lxw_col_t)(1 + 8 * (i % 2)),
				       chart);
	}
	lxw_row_t legend = (lxw_row_t)(4 + 2 * r->n);
	mms_xlsx_string(ws, legend, 0, "достигнуто", r->fmt[F_ACHIEVED], &r->failed);
	mms_xlsx_string(ws, legend + 1, 0, "под угрозой (тренд не выходит на итоговую цель)",
			       r->fmt[F_RISK], &r->failed);
	mms_xlsx_string(ws, legend + 2, 0, "не достигнуто", r->fmt[F_MISSED], &r->failed);
	mms_xlsx_string(ws, legend + 3, 0, "н/д — нет данных (знаменатель равен нулю)",
			       r->fmt[F_NODATA], &r->failed);
	r->failed |= text.failed;
	mms_buf_free(&text);
	return MMS_OK;
}

/* Whether a unit has a value resting on at least one record (a count of
 * nothing is defined, but says nothing); values are cached for the sheet. */
static int has_values(report *r, int32_t u, int *any)
{
	*any = 0;
	for (size_t i = 0; i < r->n && !*any; i++)
		for (int y = r->o.from; y <= r->o.to && !*any; y++) {
			mms_kpi_result v = MMS_KPI_RESULT_INIT;
			int rc = value_of(r, r->ind[i], u, y, &v);
			if (rc != MMS_OK)
				return rc;
			*any = v.defined && (v.denominator > 0 || v.numerator > 0);
		}
	return MMS_OK;
}

static lxw_worksheet *level_header(report *r, const char *name, int years)
{
	lxw_worksheet *ws = workbook_add_worksheet(r->wb, name);
	mms_xlsx_string(ws, 0, 0, "Код", r->fmt[F_HEAD], &r->failed);
	mms_xlsx_string(ws, 0, 1, "Наименование", r->fmt[F_HEAD], &r->failed);
	mms_xlsx_string(ws, 1, 0, "", r->fmt[F_HEAD], &r->failed);
	mms_xlsx_string(ws, 1, 1, "", r->fmt[F_HEAD], &r->failed);
	for (size_t i = 0; i < r->n; i++) {
		lxw_col_t c = (lxw_col_t)(2 + i * (size_t)years);
		if (years > 1)
			mms_xlsx_merge(ws, 0, c, 0, (lxw_col_t)(c + years - 1), r->ind[i]->id,
					      r->fmt[F_HEAD], &r->failed);
		else
			mms_xlsx_string(ws, 0, c, r->ind[i]->id, r->fmt[F_HEAD], &r->failed);
		for (int y = 0; y < years; y++)
			worksheet_write_number(ws, 1, (lxw_col_t)(c + y), r->o.from + y, r->fmt[F_YEAR]);
	}
	worksheet_set_column(ws, 0, 0, 16, NULL);
	worksheet_set_column(ws, 1, 1, 50, NULL);
	worksheet_freeze_panes(ws, 2, 2);
	return ws;
}

/* One sheet per level: every unit of that level in the subtree that has a
 * value (groups inside organisations rarely do: their staff count at the
 * organisation). A level without such units gets no sheet. */
static int level_sheet(report *r, int level, const char *name)
{
	const mms_index *ix = &r->kpi->db->idx;
	const mms_model *m = &r->kpi->db->m;
	int years = r->o.to - r->o.from + 1;
	lxw_worksheet *ws = NULL;
	lxw_row_t row = 2;
	for (int32_t k = ix->tin[r->unit]; k < ix->tout[r->unit]; k++) {
		int32_t u = ix->pre[k];
		int any, rc;
		if (mms_row(m, MMS_UNIT, u)[U_LEVEL] != level)
			continue;
		if ((rc = has_values(r, u, &any)) != MMS_OK)
			return rc;
		if (!any)
			continue;
		if (!ws)
			ws = level_header(r, name, years);
		mms_xlsx_string(ws, row, 0, unit_text(r, u, U_CODE), r->fmt[F_TEXT], &r->failed);
		mms_xlsx_string(ws, row, 1, unit_text(r, u, U_NAME), r->fmt[F_TEXT], &r->failed);
		for (size_t i = 0; i < r->n; i++)
			for (int y = 0; y < years; y++) {
				mms_kpi_result v = MMS_KPI_RESULT_INIT;
				if ((rc = value_of(r, r->ind[i], u, r->o.from + y, &v)))
					return rc;
				value_cell(r, ws, row, (lxw_col_t)(2 + i * (size_t)years + (size_t)y), &v);
			}
		row++;
	}
	return MMS_OK;
}

static int write_book(report *r, const char *path)
{
	static const char *const level_names[LV_COUNT] = {
		"Федеральный уровень", "Региональный уровень", "Муниципальный уровень",
		"Организации", "Подразделения"};
	lxw_workbook_options wo = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
	mms_atomic a;
	int rc = mms_atomic_begin(&a, path, 1);
	if (rc != MMS_OK)
		return mms_kpi_fail(r->kpi, rc, "%s: %s", path, a.msg);
	/* libxlsxwriter writes the temporary; it is renamed over path once whole */
	r->wb = workbook_new_opt(a.tmp, &wo);
	if (!r->wb) {
		mms_atomic_abort(&a);
		return mms_kpi_fail(r->kpi, MMS_EIO, "%s: cannot be created", path);
	}
	formats(r);
	lxw_worksheet *ws = workbook_add_worksheet(r->wb, "Сводка");
	lxw_worksheet *charts = workbook_add_worksheet(r->wb, "Графики");
	rc = summary(r, ws, "Сводка", charts);
	for (int level = 0; rc == MMS_OK && level < LV_COUNT; level++)
		rc = level_sheet(r, level, level_names[level]);
	if (rc == MMS_OK && r->failed)
		rc = mms_kpi_fail(r->kpi, MMS_ENOMEM, "out of memory");
	lxw_error err = workbook_close(r->wb);
	if (rc == MMS_OK && err != LXW_NO_ERROR)
		rc = mms_kpi_fail(r->kpi, MMS_EIO, "%s: %s", path, lxw_strerror(err));
	if (rc != MMS_OK)
		mms_atomic_abort(&a);
	else if ((rc = mms_atomic_commit(&a)) != MMS_OK)
		mms_kpi_fail(r->kpi, rc, "%s: %s", path, a.msg);
	return rc;
}

int mms_kpi_report_xlsx(mms_kpi *kpi, const char *path, const mms_kpi_report_options *opts)
{
	if (!kpi || !path || !opts || opts->version < 1 ||
	    opts->version > MMS_KPI_REPORT_OPTIONS_VERSION)
		return MMS_EINVAL;
	report r = {kpi, NULL, {0}, MMS_KPI_REPORT_OPTIONS_INIT, NULL, 0, NULL, NULL, opts->unit, 0};
	/* only the fields the caller's version has */
	memcpy(&r.o, opts, opts->version >= 2 ? sizeof r.o
					       : offsetof(mms_kpi_report_options, programme));
	if (r.o.from < 1900 || r.o.to < r.o.from || r.o.to - r.o.from > 50)
		return mms_kpi_fail(kpi, MMS_EINVAL, "years %d..%d: give 1900 <= from <= to, "
				    "at most 50 years", r.o.from, r.o.to);
	if (r.o.programme && r.o.indicators)
		return mms_kpi_fail(kpi, MMS_EINVAL, "give a programme or indicators, not both");
	if (r.o.programme && !(r.prog = mms_programme_find(kpi, r.o.programme)))
		return mms_kpi_fail(kpi, MMS_ENOTFOUND, "no programme \"%.200s\"", r.o.programme);
	int rc = mms_db_check_output(kpi->db, path);
	if (rc != MMS_OK)
		return mms_kpi_fail(kpi, rc, "%s", mms_db_errmsg(kpi->db));
	rc = mms_db_ready_subtree(kpi->db, &r.unit);
	if (rc == MMS_OK && r.unit < 0)
		rc = MMS_EINVAL;
	if (rc != MMS_OK)
		return mms_kpi_fail(kpi, rc, "%s", r.unit < 0 ? "no unit given"
							   : mms_db_errmsg(kpi->db));
	r.ind = mms_calloc(kpi->n ? kpi->n : 1, sizeof *r.ind);
	r.crit = mms_calloc(kpi->n ? kpi->n : 1, sizeof *r.crit);
	if (!r.ind || !r.crit) {
		mms_free(r.ind);
		mms_free(r.crit);
		return mms_kpi_fail(kpi, MMS_ENOMEM, "out of memory");
	}
	for (int c = 0; r.prog && c < r.prog->ncrit; c++)
		for (int j = 0; j < r.prog->crit[c].nind && r.n < kpi->n; j++) {
			r.crit[r.n] = &r.prog->crit[c];
			r.ind[r.n++] = mms_kpi_find(kpi, r.prog->crit[c].ind[j]);
		}
	for (size_t i = 0; !r.prog && i < kpi->n; i++)
		if (included(r.o.indicators, kpi->ind[i].id))
			r.ind[r.n++] = &kpi->ind[i];
	rc = r.n ? write_book(&r, path)
		 : mms_kpi_fail(kpi, MMS_ENOTFOUND, "no indicator matches \"%.200s\"",
				r.o.indicators);
	mms_free(r.ind);
	mms_free(r.crit);
	return rc;
}
