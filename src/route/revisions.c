/*
 * Signing a route and revising it (docs/routes.md, "Who builds, agrees and
 * approves"): agreement, approval and the teacher's acknowledgement are
 * given once for each revision of the route. A route approved and then
 * changed is revised first — a route_revisions record, numbered in turn —
 * and the signatures dated before that revision may then be given again.
 * Each call is one update or one insert, so all or nothing, and every rule
 * of the route's record (the order of the dates, not its own teacher)
 * applies through the import checks.
 */
#include <stdio.h>
#include <string.h>

#include "route.h"
#include "domain/route_status.h"

/* The date of the route's latest revision, or MMS_NONE; *number its number
 * (0 for a route never revised). */
static int32_t latest_revision(const mms_model *m, int32_t route, int *number)
{
	int32_t id = mms_route_latest_revision(m, route);
	*number = id >= 0 ? mms_row(m, MMS_ROUTE_REVISION, id)[RV_NUMBER] : 0;
	return id >= 0 ? mms_row(m, MMS_ROUTE_REVISION, id)[RV_DATE] : MMS_NONE;
}

static int date_arg(mms_db *db, const char *text, int32_t *out)
{
	*out = mms_date_today();
	if (text && mms_date_parse(text, out) != MMS_OK)
		return mms_db_fail(db, MMS_EINVAL, "\"%.20s\" is not a date", text);
	return MMS_OK;
}

int mms_route_revision(mms_db *db, int32_t route, int *number)
{
	if (!number)
		return MMS_EINVAL;
	*number = 0;
	int rc = mms_db_ready(db);
	if (rc == MMS_OK)
		rc = mms_db_check_id(db, MMS_ROUTE, route);
	if (rc == MMS_OK)
		latest_revision(&db->m, route, number);
	return rc;
}

int mms_route_sign(mms_db *db, int32_t route, int signature, int32_t person, const char *on)
{
	int rc = mms_db_ready(db);
	if (rc == MMS_OK)
		rc = mms_db_check_id(db, MMS_ROUTE, route);
	if (rc != MMS_OK)
		return rc;
	if (signature < MMS_ROUTE_AGREE || signature > MMS_ROUTE_ACKNOWLEDGE)
		return mms_db_fail(db, MMS_EINVAL, "signature %d is not agree, approve or acknowledge",
				   signature);
	if (signature != MMS_ROUTE_ACKNOWLEDGE && (rc = mms_db_check_id(db, MMS_STAFF, person)) != MMS_OK)
		return mms_db_fail(db, rc, "no staff member #%ld to sign the route", (long)person);
	int32_t day;
	if ((rc = date_arg(db, on, &day)) != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	const int32_t *rt = mms_row(m, MMS_ROUTE, route);
	int number;
	int32_t revised = latest_revision(m, route, &number);
	int agreed = mms_route_signature_holds(rt[RT_AGREED_ON], revised);
	int approved = mms_route_signature_holds(rt[RT_APPROVED_ON], revised);
	int acknowledged = mms_route_signature_holds(rt[RT_ACKNOWLEDGED_ON], revised);
	const char *code = mms_route_code(m, MMS_ROUTE, route);
	char date[11], rev[32] = "";
	mms_date_format(day, date);
	if (number)
		snprintf(rev, sizeof rev, " (revision %d)", number);
	if ((signature == MMS_ROUTE_AGREE && (agreed || approved)) ||
	    (signature == MMS_ROUTE_APPROVE && approved) ||
	    (signature == MMS_ROUTE_ACKNOWLEDGE && acknowledged))
		return mms_db_fail(db, MMS_ERANGE, "route \"%s\"%s is already %s: revise it "
				   "(mms_route_revise) before it is signed again", code, rev,
				   signature == MMS_ROUTE_ACKNOWLEDGE ? "acknowledged"
				   : approved ? "approved" : "agreed");
	if (signature == MMS_ROUTE_ACKNOWLEDGE && !approved)
		return mms_db_fail(db, MMS_ERANGE, "route \"%s\"%s is not approved: the teacher "
				   "acknowledges an approved route", code, rev);
	/* the signatures of later stages dated before the revision go, so the
	 * new ones can follow the dates' order */
	const char *pairs[16];
	int n = 0;
	if (signature == MMS_ROUTE_AGREE) {
		pairs[n++] = "agreed_by";
		pairs[n++] = mms_route_code(m, MMS_STAFF, person);
		pairs[n++] = "agreed_on";
		pairs[n++] = date;
		if (rt[RT_APPROVED_ON] != MMS_NONE) {
			pairs[n++] = "approved_by";
			pairs[n++] = "";
			pairs[n++] = "approved_on";
			pairs[n++] = "";
		}
	} else if (signature == MMS_ROUTE_APPROVE) {
		pairs[n++] = "approved_by";
		pairs[n++] = mms_route_code(m, MMS_STAFF, person);
		pairs[n++] = "approved_on";
		pairs[n++] = date;
	} else {
		pairs[n++] = "acknowledged_on";
		pairs[n++] = date;
	}
	if (signature != MMS_ROUTE_ACKNOWLEDGE && rt[RT_ACKNOWLEDGED_ON] != MMS_NONE) {
		pairs[n++] = "acknowledged_on";
		pairs[n++] = "";
	}
	pairs[n] = NULL;
	return mms_db_update(db, MMS_ROUTE, code, pairs, NULL, NULL);
}

int mms_route_revise(mms_db *db, int32_t route, int32_t by, const char *on, const char *reason,
		     int *number)
{
	int rc = mms_db_ready(db);
	if (rc == MMS_OK)
		rc = mms_db_check_id(db, MMS_ROUTE, route);
	if (rc == MMS_OK && by != -1 && (rc = mms_db_check_id(db, MMS_STAFF, by)) != MMS_OK)
		mms_db_fail(db, rc, "no staff member #%ld to revise the route", (long)by);
	int32_t day;
	if (rc != MMS_OK || (rc = date_arg(db, on, &day)) != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	const int32_t *rt = mms_row(m, MMS_ROUTE, route);
	int last;
	int32_t revised = latest_revision(m, route, &last);
	const char *code = mms_route_code(m, MMS_ROUTE, route);
	char date[11], num[16];
	mms_date_format(day, date);
	if (!mms_route_signature_holds(rt[RT_APPROVED_ON], revised))
		return mms_db_fail(db, MMS_ERANGE, "route \"%s\" is not approved%s: its steps change "
				   "without a revision", code, last ? " since its last revision" : "");
	if (day < rt[RT_APPROVED_ON]) {
		char a[11];
		mms_date_format(rt[RT_APPROVED_ON], a);
		return mms_db_fail(db, MMS_ERANGE, "route \"%s\": a revision on %s is before its "
				   "approval on %s", code, date, a);
	}
	snprintf(num, sizeof num, "%d", last + 1);
	rc = mms_route_insert(db, MMS_ROUTE_REVISION, NULL, "route", code, "number", num, "date", date,
			      "by", by >= 0 ? mms_route_code(m, MMS_STAFF, by) : NULL, "reason", reason,
			      NULL);
	if (rc == MMS_OK && number)
		*number = last + 1;
	return rc;
}
