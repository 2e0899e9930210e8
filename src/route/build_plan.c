/* A plan of routes: its accessors, and saving it as draft routes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "exchange/exchange.h"

void mms_route_plan_free(mms_route_plan *p)
{
	if (!p)
		return;
	for (size_t r = 0; r < p->n; r++) {
		for (size_t s = 0; s < p->r[r].nsteps; s++) {
			mms_free(p->r[r].steps[s].covers);
			mms_free(p->r[r].steps[s].reason);
		}
		for (size_t g = 0; g < p->r[r].ngaps; g++)
			mms_free(p->r[r].gaps[g].reason);
		for (size_t d = 0; d < p->r[r].ndefs; d++)
			mms_free(p->r[r].defs[d].suggestions);
		mms_free(p->r[r].defs);
		mms_free(p->r[r].steps);
		mms_free(p->r[r].gaps);
	}
	mms_free(p->r);
	mms_free(p);
}

size_t mms_route_plan_count(const mms_route_plan *p) { return p ? p->n : 0; }

int32_t mms_route_plan_as_of(const mms_route_plan *p) { return p->as_of; }

static const plan_route *route_at(const mms_route_plan *p, size_t r)
{
	return p && r < p->n ? &p->r[r] : NULL;
}

static const plan_step *step_at(const mms_route_plan *p, size_t r, size_t s)
{
	const plan_route *pr = route_at(p, r);
	return pr && s < pr->nsteps ? &pr->steps[s] : NULL;
}

static const plan_gap *gap_at(const mms_route_plan *p, size_t r, size_t u)
{
	const plan_route *pr = route_at(p, r);
	return pr && u < pr->ngaps ? &pr->gaps[u] : NULL;
}

int32_t mms_route_plan_staff(const mms_route_plan *p, size_t r)
{
	return route_at(p, r) ? route_at(p, r)->staff : -1;
}

int32_t mms_route_plan_tutor(const mms_route_plan *p, size_t r)
{
	return route_at(p, r) ? route_at(p, r)->tutor : -1;
}

int mms_route_plan_hours(const mms_route_plan *p, size_t r, int *course_hours)
{
	const plan_route *pr = route_at(p, r);
	if (course_hours)
		*course_hours = pr ? pr->course_hours : 0;
	return pr ? pr->hours : 0;
}

size_t mms_route_plan_steps(const mms_route_plan *p, size_t r)
{
	return route_at(p, r) ? route_at(p, r)->nsteps : 0;
}

int32_t mms_route_plan_step_resource(const mms_route_plan *p, size_t r, size_t s)
{
	return step_at(p, r, s) ? step_at(p, r, s)->resource : -1;
}

const char *mms_route_plan_step_covers(const mms_route_plan *p, size_t r, size_t s)
{
	return step_at(p, r, s) ? step_at(p, r, s)->covers : NULL;
}

const char *mms_route_plan_step_reason(const mms_route_plan *p, size_t r, size_t s)
{
	return step_at(p, r, s) ? step_at(p, r, s)->reason : NULL;
}

size_t mms_route_plan_uncovered(const mms_route_plan *p, size_t r)
{
	return route_at(p, r) ? route_at(p, r)->ngaps : 0;
}

int32_t mms_route_plan_uncovered_competency(const mms_route_plan *p, size_t r, size_t u)
{
	return gap_at(p, r, u) ? gap_at(p, r, u)->comp : -1;
}

const char *mms_route_plan_uncovered_reason(const mms_route_plan *p, size_t r, size_t u)
{
	return gap_at(p, r, u) ? gap_at(p, r, u)->reason : NULL;
}

static const plan_deficit *deficit_at(const mms_route_plan *p, size_t r, size_t i)
{
	const plan_route *pr = route_at(p, r);
	return pr && i < pr->ndefs ? &pr->defs[i] : NULL;
}

size_t mms_route_plan_deficits(const mms_route_plan *p, size_t r)
{
	return route_at(p, r) ? route_at(p, r)->ndefs : 0;
}

int32_t mms_route_plan_deficit_competency(const mms_route_plan *p, size_t r, size_t i)
{
	return deficit_at(p, r, i) ? deficit_at(p, r, i)->r.comp : -1;
}

double mms_route_plan_deficit_score(const mms_route_plan *p, size_t r, size_t i)
{
	return deficit_at(p, r, i) ? deficit_at(p, r, i)->r.score : NAN;
}

int mms_route_plan_deficit_severity(const mms_route_plan *p, size_t r, size_t i)
{
	return deficit_at(p, r, i) ? deficit_at(p, r, i)->r.severity : -1;
}

const char *mms_route_plan_deficit_consequence(const mms_route_plan *p, size_t r, size_t i)
{
	return deficit_at(p, r, i) ? mms_enum_name(E_CONSEQUENCE, deficit_at(p, r, i)->consequence)
				   : NULL;
}

const char *mms_route_plan_deficit_suggestions(const mms_route_plan *p, size_t r, size_t i)
{
	const plan_deficit *d = deficit_at(p, r, i);
	return d ? (d->suggestions ? d->suggestions : "") : NULL;
}

/* ---- storing a plan ---------------------------------------------------- */

/* A field of a record in the notation of the CSV files. */
static int set_int(mms_record *rec, const char *field, long v)
{
	char text[24];
	snprintf(text, sizeof text, "%ld", v);
	return mms_record_set(rec, field, text);
}

static int set_num(mms_record *rec, const char *field, double v)
{
	char text[32];
	snprintf(text, sizeof text, "%.17g", v);
	return mms_record_set(rec, field, text);
}

/* What the route is built on, frozen with it (a route_deficits record). */
static int deficit_record(const mms_model *m, const char *rcode, const plan_deficit *d,
			  mms_records *out)
{
	mms_record *rec;
	int rc = mms_record_new(&rec, MMS_ROUTE_DEFICIT);
	if (rc != MMS_OK)
		return rc;
	rc = mms_record_set(rec, "route", rcode);
	if (rc == MMS_OK)
		rc = mms_record_set(rec, "competency", mms_build_code(m, MMS_COMPETENCY, d->r.comp));
	if (rc == MMS_OK) /* in thousandths already (deficits.c) */
		rc = set_num(rec, "score", d->r.score);
	if (rc == MMS_OK)
		rc = mms_record_set(rec, "severity", mms_severity_name(d->r.severity));
	if (rc == MMS_OK)
		rc = mms_record_set(rec, "consequence", mms_enum_name(E_CONSEQUENCE, d->consequence));
	if (rc == MMS_OK && d->r.diag >= 0)
		rc = set_int(rec, "diagnostic", d->r.diag);
	int32_t session = d->r.diag >= 0 ? mms_row(m, MMS_DIAGNOSTIC, d->r.diag)[D_SESSION] : -1;
	if (rc == MMS_OK && session >= 0)
		rc = mms_record_set(rec, "session", mms_build_code(m, MMS_DIAGNOSTIC_SESSION, session));
	if (rc == MMS_OK && d->suggestions)
		rc = mms_record_set(rec, "suggestions", d->suggestions);
	if (rc == MMS_OK)
		return mms_records_add(out, rec); /* takes rec */
	mms_record_free(rec);
	return rc;
}

/* The records of one planned route: the route, then its steps. */
static int route_records(const mms_model *m, const mms_route_plan *p, const plan_route *pr,
			 const char *prefix, const step_pairs *sp, mms_records *out)
{
	char rcode[300];
	snprintf(rcode, sizeof rcode, "%s%s", prefix ? prefix : "ИОМ-", mms_build_code(m, MMS_STAFF, pr->staff));
	mms_record *rt;
	int rc = mms_record_new(&rt, MMS_ROUTE);
	if (rc != MMS_OK)
		return rc;
	rc = mms_record_set(rt, "code", rcode);
	if (rc == MMS_OK)
		rc = mms_record_set(rt, "staff", mms_build_code(m, MMS_STAFF, pr->staff));
	if (rc == MMS_OK && pr->tutor >= 0)
		rc = mms_record_set(rt, "tutor", mms_build_code(m, MMS_STAFF, pr->tutor));
	if (rc == MMS_OK)
		rc = mms_route_set_day(rt, "start", p->start);
	if (rc == MMS_OK)
		rc = mms_route_set_day(rt, "end", p->end);
	if (rc == MMS_OK)
		rc = set_int(rt, "budget_hours", p->budget);
	if (rc == MMS_OK)
		rc = set_num(rt, "high_below", p->high_below);
	if (rc == MMS_OK)
		rc = set_num(rt, "medium_up_to", p->medium_up_to);
	if (rc == MMS_OK)
		rc = mms_route_author_record(m, &p->author, rt);
	if (rc != MMS_OK) {
		mms_record_free(rt);
		return rc;
	}
	rc = mms_records_add(out, rt);
	for (size_t s = 0; rc == MMS_OK && s < pr->nsteps; s++) {
		const plan_step *st = &pr->steps[s];
		mms_record *sr;
		if ((rc = mms_record_new(&sr, MMS_ROUTE_STEP)) != MMS_OK)
			break;
		rc = mms_record_set(sr, "route", rcode);
		if (rc == MMS_OK)
			rc = mms_record_set(sr, "resource", mms_build_code(m, MMS_RESOURCE, st->resource));
		if (rc == MMS_OK && st->covers && *st->covers) /* the list notation: a|b */
			rc = mms_record_set(sr, "covers", st->covers);
		if (rc == MMS_OK)
			rc = set_int(sr, "order", (long)s + 1);
		if (rc == MMS_OK)
			rc = set_int(sr, "hours", st->hours);
		if (rc == MMS_OK)
			rc = mms_record_set(sr, "reason", st->reason);
		if (rc == MMS_OK) /* a mentoring step joins or makes its pair */
			rc = mms_route_step_pair_record(m, sp, pr->staff, st->resource,
							p->start != MMS_NONE ? p->start : p->as_of,
							p->end, rcode, st->covers, sr, out);
		if (rc == MMS_OK)
			rc = mms_records_add(out, sr); /* takes sr */
		else
			mms_record_free(sr);
	}
	for (size_t i = 0; rc == MMS_OK && i < pr->ndefs; i++)
		rc = deficit_record(m, rcode, &pr->defs[i], out);
	return rc;
}

/* Typed records through the write path every writer takes (the rules of
 * an import, capacities included), not JSON text printed and parsed. */
int mms_route_plan_save(mms_db *db, const mms_route_plan *p, const char *prefix, int32_t *first_id)
{
	if (!db || !p)
		return MMS_EINVAL;
	int rc = mms_db_ready(db);
	if (rc != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	int32_t first = (int32_t)m->t[MMS_ROUTE].count;
	mms_records *recs = NULL;
	step_pairs sp = {NULL, NULL, NULL};
	rc = mms_records_new(&recs);
	if (rc == MMS_OK)
		rc = mms_step_pairs_init(m, &sp);
	for (size_t r = 0; rc == MMS_OK && r < p->n; r++)
		rc = route_records(m, p, &p->r[r], prefix, &sp, recs);
	if (rc == MMS_OK)
		rc = mms_db_write_doc(db, mms_records_doc(recs));
	else
		mms_db_fail(db, rc, "out of memory storing routes");
	mms_records_free(recs);
	mms_step_pairs_free(&sp);
	if (rc == MMS_OK && first_id)
		*first_id = first;
	return rc;
}
