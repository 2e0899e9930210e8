/* A plan of routes: its accessors, and saving it as draft routes. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "build.h"

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

/* ---- storing a plan ---------------------------------------------------- */

static int add_text(json_object *o, const char *key, const char *value)
{
	json_object *v = json_object_new_string(value);
	return v && !json_object_object_add(o, key, v) ? MMS_OK : MMS_ENOMEM;
}

int mms_route_plan_save(mms_db *db, const mms_route_plan *p, const char *prefix, int32_t *first_id)
{
	if (!db || !p)
		return MMS_EINVAL;
	int rc = mms_db_ready(db);
	if (rc != MMS_OK)
		return rc;
	const mms_model *m = &db->m;
	int32_t first = (int32_t)m->t[MMS_ROUTE].count;
	json_object *doc = json_object_new_object(), *routes = json_object_new_array(),
		    *steps = json_object_new_array();
	rc = doc && routes && steps ? MMS_OK : MMS_ENOMEM;
	for (size_t r = 0; rc == MMS_OK && r < p->n; r++) {
		const plan_route *pr = &p->r[r];
		char rcode[300], date[11];
		snprintf(rcode, sizeof rcode, "%s%s", prefix ? prefix : "ИОМ-",
			 mms_build_code(m, MMS_STAFF, pr->staff));
		json_object *o = json_object_new_object();
		rc = o && !json_object_array_add(routes, o) ? MMS_OK : MMS_ENOMEM;
		if (rc == MMS_OK)
			rc = add_text(o, "code", rcode);
		if (rc == MMS_OK)
			rc = add_text(o, "staff", mms_build_code(m, MMS_STAFF, pr->staff));
		if (rc == MMS_OK && pr->tutor >= 0)
			rc = add_text(o, "tutor", mms_build_code(m, MMS_STAFF, pr->tutor));
		if (rc == MMS_OK && p->start != MMS_NONE) {
			mms_date_format(p->start, date);
			rc = add_text(o, "start", date);
		}
		if (rc == MMS_OK && p->end != MMS_NONE) {
			mms_date_format(p->end, date);
			rc = add_text(o, "end", date);
		}
		if (rc == MMS_OK)
			json_object_object_add(o, "budget_hours", json_object_new_int(p->budget));
		if (rc == MMS_OK)
			json_object_object_add(o, "high_below", json_object_new_double(p->high_below));
		if (rc == MMS_OK)
			json_object_object_add(o, "medium_up_to",
					       json_object_new_double(p->medium_up_to));
		if (rc == MMS_OK)
			rc = mms_route_author_json(m, &p->author, o);
		for (size_t s = 0; rc == MMS_OK && s < pr->nsteps; s++) {
			const plan_step *st = &pr->steps[s];
			json_object *so = json_object_new_object(), *cov = json_object_new_array();
			rc = so && cov && !json_object_array_add(steps, so) ? MMS_OK : MMS_ENOMEM;
			if (rc == MMS_OK)
				rc = add_text(so, "route", rcode);
			if (rc == MMS_OK)
				rc = add_text(so, "resource", mms_build_code(m, MMS_RESOURCE, st->resource));
			for (char *c = st->covers; rc == MMS_OK && c && *c;) {
				size_t len = strcspn(c, "|");
				json_object_array_add(cov, json_object_new_string_len(c, (int)len));
				c += len + (c[len] == '|');
			}
			if (rc == MMS_OK && !json_object_object_add(so, "covers", cov))
				cov = NULL;
			json_object_put(cov);
			if (rc == MMS_OK)
				json_object_object_add(so, "order", json_object_new_int((int)s + 1));
			if (rc == MMS_OK)
				json_object_object_add(so, "hours", json_object_new_int(st->hours));
			if (rc == MMS_OK)
				rc = add_text(so, "reason", st->reason);
		}
	}
	if (rc == MMS_OK && (json_object_object_add(doc, "routes", routes) ||
			     json_object_object_add(doc, "route_steps", steps)))
		rc = MMS_ENOMEM;
	else if (rc == MMS_OK)
		routes = steps = NULL;
	const char *text = rc == MMS_OK ? json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN)
				       : NULL;
	if (rc == MMS_OK)
		rc = text ? mms_db_import_json(db, text, NULL, NULL) : MMS_ENOMEM;
	json_object_put(doc);
	json_object_put(routes);
	json_object_put(steps);
	if (rc == MMS_OK && first_id)
		*first_id = first;
	else if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory storing routes");
	return rc;
}
