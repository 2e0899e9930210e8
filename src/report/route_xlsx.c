/*
 * A route as the document a methodist prints (libxlsxwriter): who and
 * with whom, who developed, agreed and approved it, the deficits, goals, steps with forms, dates and statuses,
 * expected results and the form of reporting.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include <xlsxwriter.h>

#include "cell.h"
#include "db/db.h"
#include "route/route.h"
#include "domain/route_status.h"

/* What each kind of step is called, leads to and is reported by. */
static const struct {
	const char *form, *result, *report;
} kinds[] = {
	[RK_COURSE] = {"Курсы повышения квалификации (ДПО)", "Освоенная программа ДПО",
		       "Удостоверение о повышении квалификации"},
	[RK_INTERNSHIP] = {"Стажировка", "Освоенная практика стажировочной площадки",
			   "Отчёт о стажировке"},
	[RK_MENTORING] = {"Наставничество", "Результаты работы в паре с наставником",
			  "Отчёт наставляемого, отзыв наставника"},
	[RK_ASSOCIATION] = {"Работа в методическом объединении", "Выступление, методическая разработка",
			    "Материалы выступления"},
	[RK_SEMINAR] = {"Семинар, вебинар", "Применение в практике", "Сертификат участника"},
	[RK_COMPETITION] = {"Профессиональный конкурс", "Участие в конкурсе", "Диплом, сертификат"},
	[RK_SELF_EDUCATION] = {"Самообразование", "Методическая разработка",
			       "Отчёт по самообразованию"},
};

typedef struct doc {
	lxw_worksheet *ws;
	lxw_format *title, *head, *cell;
	lxw_row_t row;
	const mms_model *m;
	int failed; /* a cell's text could not be made for lack of memory */
} doc;

static void line(doc *d, const char *label, const char *value)
{
	mms_xlsx_string(d->ws, d->row, 0, label, d->head, &d->failed);
	mms_xlsx_merge(d->ws, d->row, 1, d->row, 6, value ? value : "", d->cell, &d->failed);
	d->row++;
}

static void section(doc *d, const char *title, const char *const *cols, int n)
{
	d->row++;
	mms_xlsx_merge(d->ws, d->row, 0, d->row, 6, title, d->title, &d->failed);
	d->row++;
	for (int c = 0; c < n; c++)
		mms_xlsx_string(d->ws, d->row, (lxw_col_t)c, cols[c], d->head, &d->failed);
	d->row++;
}

static const char *field(const mms_model *m, int e, int32_t id, int f)
{
	return id < 0 ? "" : mms_str(m, mms_row(m, e, id)[f]);
}

static void date_text(int32_t a, int32_t b, char *out, size_t n)
{
	char x[11] = "", y[11] = "";
	if (a != MMS_NONE)
		mms_date_format(a, x);
	if (b != MMS_NONE)
		mms_date_format(b, y);
	snprintf(out, n, "%s%s%s", x, *x && *y ? " – " : "", y);
}

/* A signature line: who (and from which unit) and when; "—" for none. */
static void signed_line(doc *d, mms_buf *b, const char *label, int32_t staff, int32_t unit,
			int32_t on)
{
	char date[11] = "";
	if (on != MMS_NONE)
		mms_date_format(on, date);
	b->len = 0;
	mms_buf_printf(b, "%s", field(d->m, MMS_STAFF, staff, S_NAME));
	if (unit >= 0)
		mms_buf_printf(b, "%s%s", staff >= 0 ? ", " : "", field(d->m, MMS_UNIT, unit, U_NAME));
	if (*date)
		mms_buf_printf(b, "%s%s", staff >= 0 || unit >= 0 ? ", " : "", date);
	line(d, label, b->len ? b->data : "—");
}

/* The informal suggestions of a minimal deficit (deficits.c), by name;
 * ": " before the first. */
static void informal_suggestions(const route_ctx *c, const person_profile *who, int32_t comp,
				 mms_buf *b)
{
	int32_t res[3];
	size_t n = mms_route_informal(c, who, comp, res);
	for (size_t i = 0; i < n; i++)
		mms_buf_printf(b, "%s«%s»", i ? ", " : ": ",
			       mms_str(c->m, mms_row(c->m, MMS_RESOURCE, res[i])[R_NAME]));
}

/* The suggestions frozen with a minimal deficit: resource codes as they
 * were when the route was built, by name when the resource is still there. */
static void frozen_suggestions(const mms_model *m, int32_t list, mms_buf *b)
{
	for (int32_t k = 0; list && k < m->lists[list]; k++) {
		const char *code = mms_str(m, m->lists[list + 1 + k]);
		int32_t res = mms_model_find_code(m, MMS_RESOURCE, code);
		mms_buf_printf(b, "%s«%s»", k ? ", " : ": ",
			       res >= 0 ? mms_str(m, mms_row(m, MMS_RESOURCE, res)[R_NAME]) : code);
	}
}

static int write_route(mms_db *db, int32_t route, lxw_workbook *wb, route_ctx *c)
{
	const mms_model *m = &db->m;
	const int32_t *rt = mms_row(m, MMS_ROUTE, route);
	doc d = {workbook_add_worksheet(wb, "ИОМ"), workbook_add_format(wb), workbook_add_format(wb),
		 workbook_add_format(wb), 0, m, 0};
	format_set_bold(d.title);
	format_set_font_size(d.title, 12);
	format_set_bold(d.head);
	format_set_bg_color(d.head, 0xDDEBF7);
	format_set_border(d.head, LXW_BORDER_THIN);
	format_set_text_wrap(d.head);
	format_set_border(d.cell, LXW_BORDER_THIN);
	format_set_text_wrap(d.cell);
	worksheet_set_column(d.ws, 0, 0, 28, NULL);
	worksheet_set_column(d.ws, 1, 1, 40, NULL);
	worksheet_set_column(d.ws, 2, 6, 18, NULL);
	mms_xlsx_merge(d.ws, 0, 0, 0, 6, "Индивидуальный образовательный маршрут", d.title, &d.failed);
	d.row = 2;
	int32_t staff = rt[RT_STAFF], org = mms_row(m, MMS_STAFF, staff)[S_ORG];
	char period[40];
	/* texts of any length (names are up to 65,535 bytes): never cut by bytes */
	mms_buf buf = {0};
	line(&d, "Код маршрута", field(m, MMS_ROUTE, route, RT_CODE));
	const char *position = field(m, MMS_STAFF, staff, S_POSITION);
	mms_buf_printf(&buf, "%s%s%s%s", field(m, MMS_STAFF, staff, S_NAME), *position ? " (" : "",
		       position, *position ? ")" : "");
	line(&d, "Педагог", buf.data);
	line(&d, "Организация", field(m, MMS_UNIT, org, U_NAME));
	date_text(rt[RT_START], rt[RT_END], period, sizeof period);
	line(&d, "Срок реализации", period);
	line(&d, "Тьютор (сопровождающий)",
	     rt[RT_TUTOR] >= 0 ? field(m, MMS_STAFF, rt[RT_TUTOR], S_NAME) : "не назначен");
	/* who developed, agreed and approved it, and the teacher's signature */
	signed_line(&d, &buf, "Разработчик", rt[RT_DEVELOPER], mms_route_developing_unit(m, route),
		    rt[RT_DEVELOPED_ON]);
	signed_line(&d, &buf, "Согласовано", rt[RT_AGREED_BY], -1, rt[RT_AGREED_ON]);
	signed_line(&d, &buf, "Утверждено", rt[RT_APPROVED_BY], -1, rt[RT_APPROVED_ON]);
	signed_line(&d, &buf, "С маршрутом ознакомлен(а)", -1, -1, rt[RT_ACKNOWLEDGED_ON]);
	/* the version signed: a route revised after approval is signed again */
	int32_t rev = mms_route_latest_revision(m, route);
	if (rev >= 0) {
		const int32_t *rv = mms_row(m, MMS_ROUTE_REVISION, rev);
		char on[11];
		mms_date_format(rv[RV_DATE], on);
		buf.len = 0;
		mms_buf_printf(&buf, "№ %d от %s%s%s", rv[RV_NUMBER], on, rv[RV_REASON] ? ": " : "",
			       mms_str(m, rv[RV_REASON]));
		line(&d, "Редакция маршрута", buf.data);
	}
	/* the bands the route was built with, as Р-201 words them */
	char bands[256];
	snprintf(bands, sizeof bands, "высокий дефицит — ниже %g %%, средний — от %g до %g %%, "
		 "минимальный — выше %g %% решённых заданий", c->high_below, c->high_below,
		 c->medium_up_to, c->medium_up_to);
	line(&d, "Уровни дефицитов (Р-201)", bands);
	/* what the route was built on: frozen with it, else recomputed at its start */
	basis_row *def = NULL;
	size_t n = 0;
	int frozen = 0;
	int rc = mms_route_basis_rows(c, route, &def, &n, &frozen);
	if (rc != MMS_OK) {
		mms_buf_free(&buf);
		return rc;
	}
	buf.len = 0;
	if (frozen) {
		mms_buf_puts(&buf, "результаты диагностики, зафиксированные при сохранении маршрута");
	} else {
		char day[11];
		mms_date_format(c->as_of, day);
		mms_buf_printf(&buf, "маршрут сохранён без зафиксированных дефицитов: пересчитано по "
			       "диагностике на %s", day);
	}
	line(&d, "Основание маршрута", buf.data);
	static const char *const dcols[] = {"Компетенция", "Наименование", "Результат, %",
					    "Дефицит", "Что предусмотрено (Р-201)"};
	static const char *const sev[] = {"минимальный", "средний", "высокий"};
	/* what each severity leads to, as Р-201 says; a minimal deficit is
	 * kept in the document with its informal suggestions, not dropped */
	static const char *const leads[] = {
		"Неформальное и информальное обучение", "Маршрут или предметные курсы повышения "
		"квалификации", "Индивидуальный образовательный маршрут"};
	section(&d, "1. Выявленные профессиональные дефициты", dcols, 5);
	person_profile who;
	mms_route_profile(m, staff, c->as_of, &who);
	for (size_t i = 0; i < n; i++) {
		mms_xlsx_string(d.ws, d.row, 0, field(m, MMS_COMPETENCY, def[i].comp, C_CODE), d.cell, &d.failed);
		mms_xlsx_string(d.ws, d.row, 1, field(m, MMS_COMPETENCY, def[i].comp, C_NAME), d.cell, &d.failed);
		if (!isnan(def[i].score))
			worksheet_write_number(d.ws, d.row, 2, def[i].score, d.cell);
		mms_xlsx_string(d.ws, d.row, 3, sev[def[i].severity], d.cell, &d.failed);
		buf.len = 0;
		mms_buf_puts(&buf, leads[def[i].severity]);
		if (def[i].severity == MMS_SEVERITY_MINIMAL && frozen)
			frozen_suggestions(m, def[i].suggestions, &buf);
		else if (def[i].severity == MMS_SEVERITY_MINIMAL)
			informal_suggestions(c, &who, def[i].comp, &buf);
		mms_xlsx_merge(d.ws, d.row, 4, d.row, 6, buf.data, d.cell, &d.failed);
		d.row++;
	}
	static const char *const gcols[] = {"Цель"};
	section(&d, "2. Цели", gcols, 1);
	for (size_t i = 0; i < n; i++)
		if (def[i].severity > 0) {
			buf.len = 0;
			mms_buf_printf(&buf, "Устранить дефицит «%s»: результат выше %.0f%%",
				       field(m, MMS_COMPETENCY, def[i].comp, C_NAME), c->medium_up_to);
			mms_xlsx_merge(d.ws, d.row, 0, d.row, 6, buf.data, d.cell, &d.failed);
			d.row++;
		}
	mms_free(def);
	static const char *const scols[] = {"Форма", "Мероприятие", "Сроки", "Часы", "Дефициты",
					    "Статус", "Обоснование"};
	section(&d, "3. Мероприятия маршрута", scols, 7);
	for (size_t s = 0; s < m->t[MMS_ROUTE_STEP].count; s++) {
		const int32_t *st = mms_row(m, MMS_ROUTE_STEP, (int32_t)s);
		if (st[ST_ROUTE] != route || !mms_model_live(m, MMS_ROUTE_STEP, (int32_t)s))
			continue;
		const int32_t *res = mms_row(m, MMS_RESOURCE, st[ST_RESOURCE]);
		mms_buf covers = {0};
		mms_field_text(m, MMS_ROUTE_STEP, (int32_t)s, ST_COVERS, &covers);
		date_text(st[ST_START] != MMS_NONE ? st[ST_START] : res[R_START],
			  st[ST_END] != MMS_NONE ? st[ST_END] : res[R_END], period, sizeof period);
		int32_t status = c->step_status[s];
		mms_xlsx_string(d.ws, d.row, 0, kinds[res[R_KIND]].form, d.cell, &d.failed);
		mms_xlsx_string(d.ws, d.row, 1, mms_str(m, res[R_NAME]), d.cell, &d.failed);
		mms_xlsx_string(d.ws, d.row, 2, period, d.cell, &d.failed);
		worksheet_write_number(d.ws, d.row, 3, st[ST_HOURS] != MMS_NONE ? st[ST_HOURS] : 0, d.cell);
		mms_xlsx_string(d.ws, d.row, 4, covers.data ? covers.data : "", d.cell, &d.failed);
		mms_xlsx_string(d.ws, d.row, 5, status < 0 ? "planned" : mms_enum_name(E_ROUTE_STATUS, status),
				       d.cell, &d.failed);
		mms_xlsx_string(d.ws, d.row, 6, mms_str(m, st[ST_REASON]), d.cell, &d.failed);
		d.row++;
		d.failed |= covers.failed;
		mms_buf_free(&covers);
	}
	static const char *const rcols[] = {"Мероприятие", "Ожидаемый результат (продукт)",
					    "Форма отчётности"};
	section(&d, "4. Ожидаемые результаты и формы отчётности", rcols, 3);
	for (size_t s = 0; s < m->t[MMS_ROUTE_STEP].count; s++) {
		const int32_t *st = mms_row(m, MMS_ROUTE_STEP, (int32_t)s);
		if (st[ST_ROUTE] != route || !mms_model_live(m, MMS_ROUTE_STEP, (int32_t)s))
			continue;
		const int32_t *res = mms_row(m, MMS_RESOURCE, st[ST_RESOURCE]);
		mms_xlsx_string(d.ws, d.row, 0, mms_str(m, res[R_NAME]), d.cell, &d.failed);
		mms_xlsx_string(d.ws, d.row, 1, kinds[res[R_KIND]].result, d.cell, &d.failed);
		mms_xlsx_string(d.ws, d.row, 2, kinds[res[R_KIND]].report, d.cell, &d.failed);
		d.row++;
	}
	d.failed |= buf.failed;
	mms_buf_free(&buf);
	return d.failed ? MMS_ENOMEM : MMS_OK;
}

/* Writes a workbook by `write` into a temporary beside path, renamed over
 * path once whole: a failure leaves path as it was. */
static int write_book(mms_db *db, const char *path, int (*write)(lxw_workbook *, void *),
		      void *payload)
{
	mms_atomic a;
	int rc = mms_atomic_begin(&a, path, 1);
	if (rc != MMS_OK)
		return mms_db_fail(db, rc, "%s: %s", path, a.msg);
	/* libxlsxwriter writes the temporary; it is renamed over path once whole */
	lxw_workbook *wb = workbook_new(a.tmp);
	if (!wb) {
		mms_atomic_abort(&a);
		return mms_db_fail(db, MMS_EIO, "%s: cannot be created", path);
	}
	rc = write(wb, payload);
	lxw_error err = workbook_close(wb);
	if (rc == MMS_OK && err != LXW_NO_ERROR)
		rc = mms_db_fail(db, MMS_EIO, "%s: %s", path, lxw_strerror(err));
	else if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory");
	if (rc != MMS_OK)
		mms_atomic_abort(&a);
	else if ((rc = mms_atomic_commit(&a)) != MMS_OK)
		mms_db_fail(db, rc, "%s: %s", path, a.msg);
	return rc;
}

typedef struct route_book {
	mms_db *db;
	int32_t route;
	route_ctx *c;
} route_book;

static int write_route_book(lxw_workbook *wb, void *payload)
{
	route_book *b = payload;
	return write_route(b->db, b->route, wb, b->c);
}

int mms_route_report_xlsx(mms_db *db, int32_t route, const char *path)
{
	if (!path)
		return MMS_EINVAL;
	int rc = mms_db_ready(db);
	if (rc == MMS_OK)
		rc = mms_db_check_id(db, MMS_ROUTE, route);
	if (rc == MMS_OK)
		rc = mms_db_check_output(db, path);
	if (rc != MMS_OK)
		return rc;
	/* deficits as the route found them, when it has no frozen basis: at
	 * its start, else at its first change */
	int32_t when = mms_route_basis_day(&db->m, route);
	char as_of[11];
	if (when != MMS_NONE)
		mms_date_format(when, as_of);
	route_ctx c;
	if ((rc = mms_route_ctx_init(&c, db, when != MMS_NONE ? as_of : NULL, 60, 80)) != MMS_OK)
		return rc;
	mms_route_ctx_bands(&c, route);
	route_book b = {db, route, &c};
	rc = write_book(db, path, write_route_book, &b);
	mms_route_ctx_free(&c);
	return rc;
}

/* ---- the region's deficit map as a workbook ----------------------------- */

/* The sheets, in the order of the map's tables (mms_route_map_table). */
static const char *const map_sheets[] = {"Дефициты", "Ресурсы", "Тьюторы"};
static const char *const map_keys[] = {"deficits", "resources", "tutors"};

static int write_map_book(lxw_workbook *wb, void *payload)
{
	json_object *map = payload;
	lxw_format *head = workbook_add_format(wb);
	if (!head)
		return MMS_ENOMEM;
	format_set_bold(head);
	int failed = 0;
	for (int t = 0; t < 3 && !failed; t++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb, map_sheets[t]);
		json_object *rows = NULL;
		int ncols;
		const char *const *cols = mms_route_map_columns(t, &ncols);
		if (!ws || !json_object_object_get_ex(map, map_keys[t], &rows))
			return MMS_ENOMEM;
		for (int c = 0; c < ncols; c++)
			mms_xlsx_string(ws, 0, (lxw_col_t)c, cols[c], head, &failed);
		for (size_t r = 0; r < json_object_array_length(rows); r++) {
			json_object *row = json_object_array_get_idx(rows, r);
			for (int c = 0; c < ncols; c++) {
				json_object *v = NULL;
				json_object_object_get_ex(row, cols[c], &v);
				if (json_object_is_type(v, json_type_string))
					mms_xlsx_string(ws, (lxw_row_t)r + 1, (lxw_col_t)c,
							json_object_get_string(v), NULL, &failed);
				else if (v) /* numbers; null stays blank */
					worksheet_write_number(ws, (lxw_row_t)r + 1, (lxw_col_t)c,
							       json_object_get_double(v), NULL);
			}
		}
	}
	return failed ? MMS_ENOMEM : MMS_OK;
}

int mms_route_map_xlsx(mms_db *db, int32_t unit, int year, const char *path)
{
	if (!path)
		return MMS_EINVAL;
	int rc = mms_db_check_output(db, path);
	char *text = NULL;
	if (rc == MMS_OK)
		rc = mms_route_map(db, unit, year, MMS_ROUTE_MAP_ALL, MMS_FORMAT_JSON, &text);
	if (rc != MMS_OK)
		return rc;
	/* the same rows the JSON and CSV tables hold: one build of the map */
	json_object *map = json_tokener_parse(text);
	mms_free(text);
	if (!map)
		return mms_db_fail(db, MMS_ENOMEM, "out of memory");
	rc = write_book(db, path, write_map_book, map);
	json_object_put(map);
	return rc;
}
