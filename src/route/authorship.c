/*
 * Who builds, agrees and approves a route (МР-4/02вн: routes developed by
 * the ЦНППМ, by municipal methodists or by a school's deputy head): the
 * developer a plan is saved with, and the table of routes per developer.
 * The order of signatures is a rule of the record (exchange/validate.c).
 */
#include <stdlib.h>
#include <string.h>

#include "route.h"

int mms_route_author_init(mms_db *db, const mms_route_options *o, int32_t as_of,
			  route_author *out)
{
	*out = (route_author){-1, -1, MMS_NONE};
	int rc = MMS_OK;
	if (o->developer != -1 && (rc = mms_db_check_id(db, MMS_STAFF, o->developer)) != MMS_OK)
		return mms_db_fail(db, rc, "developer: no staff member #%ld", (long)o->developer);
	if (o->developer_unit != -1 &&
	    (rc = mms_db_check_id(db, MMS_UNIT, o->developer_unit)) != MMS_OK)
		return mms_db_fail(db, rc, "developer_unit: no unit #%ld", (long)o->developer_unit);
	if (o->developer < 0 && o->developer_unit < 0) {
		if (o->developed_on)
			return mms_db_fail(db, MMS_EINVAL, "developed_on \"%.20s\" needs a developer or "
					   "a developer_unit", o->developed_on);
		return MMS_OK;
	}
	out->developer = o->developer;
	/* the unit is kept with the route: a developer who moves later does
	 * not move the routes she developed to her new unit */
	out->unit = o->developer_unit >= 0 ? o->developer_unit
					   : mms_row(&db->m, MMS_STAFF, o->developer)[S_ORG];
	out->on = as_of;
	if (o->developed_on && mms_date_parse(o->developed_on, &out->on) != MMS_OK)
		return mms_db_fail(db, MMS_EINVAL, "developed_on \"%.20s\" is not a date",
				   o->developed_on);
	return MMS_OK;
}

int mms_route_author_record(const mms_model *m, const route_author *a, mms_record *route)
{
	int rc = MMS_OK;
	char date[11];
	if (a->developer >= 0)
		rc = mms_record_set(route, "developer", mms_str(m, mms_row(m, MMS_STAFF, a->developer)[S_CODE]));
	if (rc == MMS_OK && a->unit >= 0)
		rc = mms_record_set(route, "developer_unit", mms_str(m, mms_row(m, MMS_UNIT, a->unit)[U_CODE]));
	if (rc == MMS_OK && a->on != MMS_NONE) {
		mms_date_format(a->on, date);
		rc = mms_record_set(route, "developed_on", date);
	}
	return rc;
}

/* ---- routes per developer -------------------------------------------- */

typedef struct dev_row {
	const char *developer, *route; /* codes; "" = no developer */
	int32_t id;
} dev_row;

/* By developer code (routes without a developer last), then route code. */
static int by_developer(const void *a, const void *b)
{
	const dev_row *x = a, *y = b;
	if (!*x->developer != !*y->developer)
		return *x->developer ? -1 : 1;
	int c = strcmp(x->developer, y->developer);
	return c ? c : strcmp(x->route, y->route);
}

static void date_cell(mms_buf *b, int32_t day)
{
	char d[11] = "";
	if (day != MMS_NONE)
		mms_date_format(day, d);
	mms_buf_printf(b, ",%s", d);
}

int mms_route_authorship_table(mms_db *db, int year, char **out)
{
	if (!out)
		return MMS_EINVAL;
	*out = NULL;
	int rc = mms_db_ready(db);
	if (rc != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	size_t n = 0, count = m->t[MMS_ROUTE].count;
	dev_row *rows = mms_malloc((count ? count : 1) * sizeof *rows);
	if (!rows)
		return mms_db_fail(db, MMS_ENOMEM, "out of memory listing routes");
	for (size_t id = 0; id < count; id++) {
		const int32_t *rt = mms_row(m, MMS_ROUTE, (int32_t)id);
		int y = 0, mo, d;
		if (rt[RT_DEVELOPED_ON] != MMS_NONE)
			mms_date_to_ymd(rt[RT_DEVELOPED_ON], &y, &mo, &d);
		if (year && y != year)
			continue;
		rows[n++] = (dev_row){mms_route_code(m, MMS_STAFF, rt[RT_DEVELOPER]),
				      mms_route_code(m, MMS_ROUTE, (int32_t)id), (int32_t)id};
	}
	if (n)
		qsort(rows, n, sizeof *rows, by_developer);
	mms_buf b = {0};
	mms_buf_puts(&b, "developer,developer_name,developer_unit,unit_kind,route,staff,"
		     "developed_on,agreed_by,agreed_on,approved_by,approved_on,acknowledged_on\n");
	for (size_t i = 0; i < n; i++) {
		const int32_t *rt = mms_row(m, MMS_ROUTE, rows[i].id);
		int32_t dev = rt[RT_DEVELOPER], unit = mms_route_developing_unit(m, rows[i].id);
		mms_route_csv_text(&b, rows[i].developer);
		mms_buf_puts(&b, ",");
		mms_route_csv_text(&b, dev >= 0 ? mms_str(m, mms_row(m, MMS_STAFF, dev)[S_NAME]) : "");
		mms_buf_puts(&b, ",");
		mms_route_csv_text(&b, mms_route_code(m, MMS_UNIT, unit));
		const char *kind = unit >= 0 ? mms_enum_name(E_UNIT_KIND, mms_row(m, MMS_UNIT, unit)[U_KIND])
					     : NULL;
		mms_buf_printf(&b, ",%s,", kind ? kind : "");
		mms_route_csv_text(&b, rows[i].route);
		mms_buf_puts(&b, ",");
		mms_route_csv_text(&b, mms_route_code(m, MMS_STAFF, rt[RT_STAFF]));
		date_cell(&b, rt[RT_DEVELOPED_ON]);
		mms_buf_puts(&b, ",");
		mms_route_csv_text(&b, mms_route_code(m, MMS_STAFF, rt[RT_AGREED_BY]));
		date_cell(&b, rt[RT_AGREED_ON]);
		mms_buf_puts(&b, ",");
		mms_route_csv_text(&b, mms_route_code(m, MMS_STAFF, rt[RT_APPROVED_BY]));
		date_cell(&b, rt[RT_APPROVED_ON]);
		date_cell(&b, rt[RT_ACKNOWLEDGED_ON]);
		mms_buf_puts(&b, "\n");
	}
	mms_free(rows);
	rc = mms_buf_detach(&b, out);
	return rc == MMS_OK ? rc : mms_db_fail(db, rc, "out of memory listing routes");
}
