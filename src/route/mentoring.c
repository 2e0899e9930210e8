/*
 * Mentoring as a programme (Минпросвещения's 2021 recommendations on the
 * system (target model) of mentoring of pedagogical workers, letter
 * АЗ-1128/08 of 21.12.2021): a pair is a record with its form, mentor,
 * mentee, curator, personal programme, period and outcome. A mentor's load
 * is the pairs she holds during a period — the one count the route builder
 * and the tool use — and a route's mentoring step creates its pair, or joins
 * the one the mentor and the teacher already have.
 */
#include <string.h>

#include "route.h"

int mms_pair_overlaps(const mms_model *m, int32_t pair, int32_t from, int32_t to)
{
	const int32_t *p = mms_row(m, MMS_MENTORING_PAIR, pair);
	return mms_model_live(m, MMS_MENTORING_PAIR, pair) &&
	       (to == MMS_NONE || p[MP_START] == MMS_NONE || p[MP_START] <= to) &&
	       (from == MMS_NONE || p[MP_END] == MMS_NONE || p[MP_END] >= from);
}

void mms_mentor_loads(const mms_model *m, int32_t from, int32_t to, int32_t *load)
{
	for (size_t i = 0; i < m->t[MMS_MENTORING_PAIR].count; i++)
		if (mms_pair_overlaps(m, (int32_t)i, from, to))
			load[mms_row(m, MMS_MENTORING_PAIR, (int32_t)i)[MP_MENTOR]]++;
}

int mms_mentor_load(mms_db *db, int32_t mentor, const char *from, const char *to, size_t *pairs)
{
	if (!pairs)
		return MMS_EINVAL;
	*pairs = 0;
	int rc = mms_db_ready(db);
	if (rc != MMS_OK)
		return rc;
	if ((rc = mms_db_check_id(db, MMS_STAFF, mentor)) != MMS_OK)
		return mms_db_fail(db, rc, "mentor: no staff member #%ld", (long)mentor);
	int32_t f = MMS_NONE, t = MMS_NONE;
	if ((from && mms_date_parse(from, &f) != MMS_OK) || (to && mms_date_parse(to, &t) != MMS_OK))
		return mms_db_fail(db, MMS_EINVAL, "the period \"%.20s\"..\"%.20s\" is not two dates",
				   from ? from : "", to ? to : "");
	const mms_model *m = &db->m;
	for (size_t i = 0; i < m->t[MMS_MENTORING_PAIR].count; i++)
		*pairs += mms_row(m, MMS_MENTORING_PAIR, (int32_t)i)[MP_MENTOR] == mentor &&
			  mms_pair_overlaps(m, (int32_t)i, f, t);
	return MMS_OK;
}

int mms_route_set_day(mms_record *rec, const char *field, int32_t day)
{
	char d[11];
	if (day == MMS_NONE)
		return MMS_OK;
	mms_date_format(day, d);
	return mms_record_set(rec, field, d);
}

int mms_step_pairs_init(const mms_model *m, step_pairs *sp)
{
	size_t nu = m->t[MMS_UNIT].count;
	sp->curator = mms_malloc((nu + 1) * sizeof *sp->curator);
	int32_t *since = mms_malloc((nu + 1) * sizeof *since);
	int rc = sp->curator && since ? mms_index_csr_live(m, m->t[MMS_STAFF].count, MMS_MENTORING_PAIR,
							    MP_MENTOR, -1, &sp->start, &sp->ids)
				      : MMS_ENOMEM;
	/* a school's curator of mentoring: the one its latest pair with a
	 * curator names (the recommendations give a school one curator) */
	for (size_t u = 0; rc == MMS_OK && u < nu; u++) {
		sp->curator[u] = -1;
		since[u] = INT32_MIN;
	}
	for (size_t i = 0; rc == MMS_OK && i < m->t[MMS_MENTORING_PAIR].count; i++) {
		const int32_t *p = mms_row(m, MMS_MENTORING_PAIR, (int32_t)i);
		int32_t org = mms_row(m, MMS_STAFF, p[MP_MENTEE])[S_ORG];
		if (p[MP_CURATOR] < 0 || !mms_model_live(m, MMS_MENTORING_PAIR, (int32_t)i) ||
		    p[MP_START] < since[org])
			continue;
		sp->curator[org] = p[MP_CURATOR];
		since[org] = p[MP_START];
	}
	mms_free(since);
	return rc;
}

void mms_step_pairs_free(step_pairs *sp)
{
	mms_free(sp->start);
	mms_free(sp->ids);
	mms_free(sp->curator);
	*sp = (step_pairs){NULL, NULL, NULL};
}

int mms_route_step_pair_record(const mms_model *m, const step_pairs *sp, int32_t staff,
				int32_t resource, int32_t start, int32_t end, const char *route_code,
				const char *covers, mms_record *step, mms_records *out)
{
	const int32_t *r = mms_row(m, MMS_RESOURCE, resource);
	int32_t mentor = r[R_MENTOR];
	if (r[R_KIND] != RK_MENTORING || mentor < 0 || mentor == staff)
		return MMS_OK;
	for (int32_t k = sp->start[mentor]; k < sp->start[mentor + 1]; k++) {
		const int32_t *p = mms_row(m, MMS_MENTORING_PAIR, sp->ids[k]);
		if (p[MP_MENTEE] == staff && mms_pair_overlaps(m, sp->ids[k], start, end))
			return mms_record_set(step, "pair", mms_str(m, p[MP_CODE]));
	}
	mms_buf code = {0}, programme = {0};
	mms_buf_printf(&code, "%s/%s", route_code, mms_str(m, r[R_CODE]));
	mms_buf_printf(&programme, "%s: %s", mms_str(m, r[R_NAME]), covers ? covers : "");
	int32_t curator = sp->curator[mms_row(m, MMS_STAFF, staff)[S_ORG]];
	mms_record *o = NULL;
	int rc = code.failed || programme.failed ? MMS_ENOMEM : mms_record_new(&o, MMS_MENTORING_PAIR);
	if (rc == MMS_OK)
		rc = mms_record_set(o, "code", code.data);
	if (rc == MMS_OK) /* the recommendations' two forms by who mentors whom */
		rc = mms_record_set(o, "form", mms_row(m, MMS_STAFF, mentor)[S_ROLE] == ROLE_MANAGER
						       ? "manager_teacher" : "teacher_teacher");
	if (rc == MMS_OK)
		rc = mms_record_set(o, "mentor", mms_route_code(m, MMS_STAFF, mentor));
	if (rc == MMS_OK)
		rc = mms_record_set(o, "mentee", mms_route_code(m, MMS_STAFF, staff));
	if (rc == MMS_OK && curator >= 0 && curator != mentor && curator != staff)
		rc = mms_record_set(o, "curator", mms_route_code(m, MMS_STAFF, curator));
	if (rc == MMS_OK)
		rc = mms_record_set(o, "programme", programme.data);
	if (rc == MMS_OK)
		rc = mms_route_set_day(o, "start", start);
	if (rc == MMS_OK)
		rc = mms_route_set_day(o, "end", end);
	if (rc == MMS_OK)
		rc = mms_record_set(step, "pair", code.data);
	if (rc == MMS_OK)
		rc = mms_records_add(out, o); /* takes o */
	else
		mms_record_free(o);
	mms_buf_free(&code);
	mms_buf_free(&programme);
	return rc;
}
