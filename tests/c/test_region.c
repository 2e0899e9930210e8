/*
 * Mentoring as a programme and the region's view of routes (docs/routes.md).
 * School S of municipality M has teachers T, T2, mentor H and deputy head
 * DH; the ЦНППМ C has methodist CM. T and T2 have a high deficit in C4,
 * which mentoring by H (R4, one mentee at a time) and an internship (R3,
 * 24 h, two places) develop.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static const char base[] =
	"{\"units\": ["
	"{\"code\": \"RG\", \"name\": \"Область\", \"level\": \"regional\", \"kind\": \"institute\"},"
	"{\"code\": \"C\", \"name\": \"ЦНППМ\", \"level\": \"regional\", \"kind\": \"cnppm\", \"parent\": \"RG\"},"
	"{\"code\": \"M\", \"name\": \"ММС\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"RG\"},"
	"{\"code\": \"S\", \"name\": \"Школа\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"},"
	"{\"code\": \"S2\", \"name\": \"Школа 2\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"}],"
	"\"staff\": ["
	"{\"code\": \"T\", \"name\": \"T\", \"org\": \"S\", \"role\": \"teacher\", \"subjects\": [\"математика\"]},"
	"{\"code\": \"T2\", \"name\": \"T2\", \"org\": \"S\", \"role\": \"teacher\", \"subjects\": [\"математика\"]},"
	"{\"code\": \"H\", \"name\": \"H\", \"org\": \"S\", \"role\": \"teacher\", \"subjects\": [\"математика\"]},"
	"{\"code\": \"DH\", \"name\": \"Завуч\", \"org\": \"S\", \"role\": \"manager\"},"
	"{\"code\": \"U\", \"name\": \"U\", \"org\": \"S2\", \"role\": \"teacher\"},"
	"{\"code\": \"CM\", \"name\": \"Методист ЦНППМ\", \"org\": \"C\", \"role\": \"methodist\"}],"
	"\"competencies\": ["
	"{\"code\": \"AR\", \"name\": \"Область\", \"framework\": \"t\", \"kind\": \"area\"},"
	"{\"code\": \"C4\", \"name\": \"C4\", \"framework\": \"t\", \"parent\": \"AR\", \"kind\": \"competency\"}],"
	"\"diagnostics\": ["
	"{\"staff\": \"T\", \"competency\": \"C4\", \"date\": \"2024-01-15\", \"score\": 40},"
	"{\"staff\": \"T2\", \"competency\": \"C4\", \"date\": \"2024-01-15\", \"score\": 45}],"
	"\"resources\": ["
	"{\"code\": \"R3\", \"name\": \"Стажировка\", \"kind\": \"internship\", \"hours\": 24, \"site\": \"S\", \"capacity\": 2},"
	"{\"code\": \"R4\", \"name\": \"Наставничество\", \"kind\": \"mentoring\", \"mentor\": \"H\", \"capacity\": 1}],"
	"\"develops\": ["
	"{\"resource\": \"R3\", \"competency\": \"C4\", \"strength\": 3},"
	"{\"resource\": \"R4\", \"competency\": \"C4\", \"strength\": 2}]}";

static mms_db *open_case(void)
{
	mms_db *db = t_open(":memory:");
	t_import(db, base);
	return db;
}

static mms_route_options options(void)
{
	mms_route_options o = MMS_ROUTE_OPTIONS_INIT;
	o.as_of = "2024-02-01";
	o.start = "2024-02-01";
	o.end = "2024-12-31";
	return o;
}

/* The resource of the first step of person `who`'s plan, or "-". */
static void first_step(mms_db *db, const char *who, char *out, size_t len)
{
	mms_route_options o = options();
	mms_route_plan *p;
	T_OK(db, mms_route_plan_person(db, t_find(db, MMS_STAFF, who), &o, &p));
	snprintf(out, len, "-");
	if (mms_route_plan_steps(p, 0)) {
		char *code = t_get(db, MMS_RESOURCE, mms_route_plan_step_resource(p, 0, 0), "code");
		snprintf(out, len, "%s", code);
		mms_free(code);
	}
	mms_route_plan_free(p);
}

static void refused(mms_db *db, const char *pair, int code, const char *where, const char *words)
{
	char json[1024];
	snprintf(json, sizeof json, "{\"mentoring_pairs\": [{\"code\": \"X\", %s}]}", pair);
	mms_report *rep = NULL;
	int rc = mms_db_import_json(db, json, NULL, &rep);
	const char *msg = mms_report_count(rep) ? mms_report_message(rep, 0) : "-";
	const char *loc = mms_report_count(rep) ? mms_report_location(rep, 0) : "-";
	if (rc != code || !strstr(msg, words) || strcmp(loc, where))
		fail_msg("%s: got %d \"%s\" at %s; want %d with \"%s\" at %s", pair, rc, msg, loc, code,
			 words, where);
	mms_report_free(rep);
}

static void a_mentoring_pair_is_a_record_checked_at_its_fields(void **state)
{
	(void)state;
	mms_db *db = open_case();
	refused(db, "\"form\": \"teacher_teacher\", \"mentor\": \"H\", \"mentee\": \"H\"", MMS_ERANGE,
		"/mentoring_pairs/0/mentee", "not their own mentee");
	refused(db, "\"form\": \"teacher_teacher\", \"mentor\": \"H\", \"mentee\": \"T\", \"curator\": \"H\"",
		MMS_ERANGE, "/mentoring_pairs/0/curator", "the curator is the mentor");
	refused(db, "\"form\": \"teacher_teacher\", \"mentor\": \"H\", \"mentee\": \"T\", \"start\": "
		"\"2024-09-01\", \"end\": \"2024-05-31\"", MMS_ERANGE, "/mentoring_pairs/0/end",
		"end 2024-05-31 is before start 2024-09-01");
	refused(db, "\"form\": \"buddy\", \"mentor\": \"H\", \"mentee\": \"T\"", MMS_ETYPE,
		"/mentoring_pairs/0/form", "buddy");
	refused(db, "\"form\": \"teacher_teacher\", \"mentee\": \"T\"", MMS_EMISSING,
		"/mentoring_pairs/0/mentor", "mentor");
	size_t n;
	T_OK(db, mms_db_count(db, MMS_MENTORING_PAIR, &n));
	assert_int_equal(n, 0);
	/* every form of the 2021 recommendations is accepted */
	const char *forms[] = {"teacher_teacher", "manager_teacher", "traditional", "group", "virtual",
			       "short_term", "reverse", "situational", "speed"};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		char json[512];
		snprintf(json, sizeof json, "{\"mentoring_pairs\": [{\"code\": \"P%zu\", \"form\": \"%s\", "
			 "\"mentor\": \"H\", \"mentee\": \"T\", \"curator\": \"DH\", \"programme\": "
			 "\"Адаптация\", \"start\": \"2023-09-01\", \"end\": \"2024-05-31\", "
			 "\"outcome\": \"программа выполнена\"}]}", i, forms[i]);
		t_import(db, json);
	}
	char *form = t_get(db, MMS_MENTORING_PAIR, t_find(db, MMS_MENTORING_PAIR, "P1"), "form");
	assert_string_equal(form, "manager_teacher");
	mms_free(form);
	mms_db_close(db);
}

static void a_mentors_pairs_in_the_period_are_her_load(void **state)
{
	(void)state;
	mms_db *db = open_case();
	char step[32];
	int32_t h = t_find(db, MMS_STAFF, "H");
	size_t load;
	T_OK(db, mms_mentor_load(db, h, "2024-01-01", "2024-12-31", &load));
	assert_int_equal(load, 0);
	first_step(db, "T", step, sizeof step);
	assert_string_equal(step, "R4"); /* mentoring beats 24 hours of internship */
	/* a pair that ended before the route's period leaves H's place free */
	t_import(db, "{\"mentoring_pairs\": [{\"code\": \"OLD\", \"form\": \"teacher_teacher\", "
		     "\"mentor\": \"H\", \"mentee\": \"U\", \"start\": \"2022-09-01\", \"end\": \"2023-05-31\"}]}");
	T_OK(db, mms_mentor_load(db, h, "2024-01-01", "2024-12-31", &load));
	assert_int_equal(load, 0);
	T_OK(db, mms_mentor_load(db, h, NULL, NULL, &load));
	assert_int_equal(load, 1);
	first_step(db, "T", step, sizeof step);
	assert_string_equal(step, "R4");
	/* one running through it takes H's only place: the builder turns to the internship */
	t_import(db, "{\"mentoring_pairs\": [{\"code\": \"NOW\", \"form\": \"teacher_teacher\", "
		     "\"mentor\": \"H\", \"mentee\": \"U\", \"start\": \"2023-09-01\"}]}");
	T_OK(db, mms_mentor_load(db, h, "2024-01-01", "2024-12-31", &load));
	assert_int_equal(load, 1);
	first_step(db, "T", step, sizeof step);
	assert_string_equal(step, "R3");
	assert_int_equal(mms_mentor_load(db, 999, NULL, NULL, &load), MMS_ENOTFOUND);
	assert_int_equal(mms_mentor_load(db, h, "2024-13-01", NULL, &load), MMS_EINVAL);
	assert_non_null(strstr(mms_db_errmsg(db), "2024-13-01"));
	assert_int_equal(mms_mentor_load(db, h, NULL, NULL, NULL), MMS_EINVAL);
	mms_db_close(db);
}

static void a_saved_mentoring_step_creates_or_joins_its_pair(void **state)
{
	(void)state;
	mms_db *db = open_case();
	/* the school's curator of mentoring is the one its pairs name */
	t_import(db, "{\"mentoring_pairs\": [{\"code\": \"CUR\", \"form\": \"manager_teacher\", "
		     "\"mentor\": \"DH\", \"mentee\": \"T2\", \"curator\": \"CM\", \"start\": \"2021-09-01\", "
		     "\"end\": \"2022-05-31\"}]}");
	mms_route_options o = options();
	mms_route_plan *p;
	T_OK(db, mms_route_plan_batch(db, -1, &o, &p));
	assert_int_equal(mms_route_plan_count(p), 2);
	T_OK(db, mms_route_plan_save(db, p, "ИОМ-", NULL));
	mms_route_plan_free(p);
	/* T (the weaker) took H's place; T2 went to the internship */
	int32_t pair = t_find(db, MMS_MENTORING_PAIR, "ИОМ-T/R4");
	const char *want[][2] = {{"form", "teacher_teacher"}, {"mentor", "H"}, {"mentee", "T"},
				 {"curator", "CM"}, {"start", "2024-02-01"}, {"end", "2024-12-31"},
				 {"programme", "Наставничество: C4"}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *v = t_get(db, MMS_MENTORING_PAIR, pair, want[i][0]);
		assert_string_equal(v, want[i][1]);
		mms_free(v);
	}
	size_t steps, n;
	T_OK(db, mms_db_count(db, MMS_ROUTE_STEP, &steps));
	assert_int_equal(steps, 2);
	char *of = t_get(db, MMS_ROUTE_STEP, 0, "pair");
	char *other = t_get(db, MMS_ROUTE_STEP, 1, "pair");
	assert_string_equal(of, "ИОМ-T/R4");
	assert_null(other); /* an internship has no pair */
	mms_free(of);
	/* the stored pair is H's load: nobody else gets H this year */
	size_t load;
	T_OK(db, mms_mentor_load(db, t_find(db, MMS_STAFF, "H"), "2024-03-01", "2024-03-31", &load));
	assert_int_equal(load, 1);
	/* with a second place, a new route of T with H joins their pair
	 * instead of making another */
	const char *two[] = {"capacity", "2", NULL};
	T_OK(db, mms_db_update(db, MMS_RESOURCE, "R4", two, NULL, NULL));
	T_OK(db, mms_route_plan_person(db, t_find(db, MMS_STAFF, "T"), &o, &p));
	T_OK(db, mms_route_plan_save(db, p, "B-", NULL));
	mms_route_plan_free(p);
	T_OK(db, mms_db_count(db, MMS_MENTORING_PAIR, &n));
	assert_int_equal(n, 2);
	of = t_get(db, MMS_ROUTE_STEP, 2, "pair");
	assert_string_equal(of, "ИОМ-T/R4");
	mms_free(of);
	/* a step naming a pair of another mentee is refused at its field */
	mms_report *rep = NULL;
	assert_int_equal(mms_db_import_json(db, "{\"route_steps\": [{\"route\": \"ИОМ-T2\", "
					    "\"resource\": \"R4\", \"pair\": \"ИОМ-T/R4\"}]}", NULL, &rep),
			 MMS_ETYPE);
	assert_string_equal(mms_report_location(rep, 0), "/route_steps/0/pair");
	assert_non_null(strstr(mms_report_message(rep, 0), "mentors someone else"));
	mms_report_free(rep);
	mms_db_close(db);
}

static void a_route_is_signed_once_per_revision(void **state)
{
	(void)state;
	mms_db *db = open_case();
	t_import(db, "{\"routes\": [{\"code\": \"RT\", \"staff\": \"T\", \"developer\": \"CM\", "
		     "\"developed_on\": \"2024-02-01\"}]}");
	int32_t rt = t_find(db, MMS_ROUTE, "RT"), dh = t_find(db, MMS_STAFF, "DH");
	int32_t cm = t_find(db, MMS_STAFF, "CM"), t = t_find(db, MMS_STAFF, "T");
	int n = -1;
	assert_int_equal(mms_route_sign(db, rt, MMS_ROUTE_ACKNOWLEDGE, -1, "2024-02-02"), MMS_ERANGE);
	assert_non_null(strstr(mms_db_errmsg(db), "is not approved"));
	assert_int_equal(mms_route_revise(db, rt, cm, "2024-02-02", NULL, &n), MMS_ERANGE);
	assert_non_null(strstr(mms_db_errmsg(db), "changes without a revision") ||
			strstr(mms_db_errmsg(db), "change without a revision"));
	T_OK(db, mms_route_sign(db, rt, MMS_ROUTE_AGREE, dh, "2024-02-03"));
	assert_int_equal(mms_route_sign(db, rt, MMS_ROUTE_AGREE, dh, "2024-02-04"), MMS_ERANGE);
	assert_non_null(strstr(mms_db_errmsg(db), "route \"RT\" is already agreed"));
	/* the record's own rules apply: a teacher does not approve her own route */
	assert_int_equal(mms_route_sign(db, rt, MMS_ROUTE_APPROVE, t, "2024-02-05"), MMS_ERANGE);
	assert_non_null(strstr(mms_db_errmsg(db), "own teacher"));
	assert_int_equal(mms_route_sign(db, rt, MMS_ROUTE_APPROVE, cm, "2024-13-05"), MMS_EINVAL);
	assert_int_equal(mms_route_sign(db, rt, MMS_ROUTE_APPROVE, 999, "2024-02-05"), MMS_ENOTFOUND);
	T_OK(db, mms_route_sign(db, rt, MMS_ROUTE_APPROVE, cm, "2024-02-05"));
	assert_int_equal(mms_route_sign(db, rt, MMS_ROUTE_APPROVE, cm, "2024-02-06"), MMS_ERANGE);
	assert_non_null(strstr(mms_db_errmsg(db), "already approved: revise it"));
	assert_int_equal(mms_route_sign(db, rt, MMS_ROUTE_AGREE, dh, "2024-02-06"), MMS_ERANGE);
	T_OK(db, mms_route_sign(db, rt, MMS_ROUTE_ACKNOWLEDGE, -1, "2024-02-06"));
	assert_int_equal(mms_route_sign(db, rt, 7, cm, NULL), MMS_EINVAL);
	/* a revision: not before the approval, numbered in turn */
	assert_int_equal(mms_route_revise(db, rt, cm, "2024-02-04", NULL, &n), MMS_ERANGE);
	assert_non_null(strstr(mms_db_errmsg(db), "before its approval on 2024-02-05"));
	T_OK(db, mms_route_revision(db, rt, &n));
	assert_int_equal(n, 0);
	T_OK(db, mms_route_revise(db, rt, cm, "2024-03-01", "стажировка вместо курса", &n));
	assert_int_equal(n, 1);
	n = -1;
	T_OK(db, mms_route_revision(db, rt, &n));
	assert_int_equal(n, 1);
	/* approved again; the acknowledgement of the first version goes */
	T_OK(db, mms_route_sign(db, rt, MMS_ROUTE_APPROVE, cm, "2024-03-02"));
	char *on = t_get(db, MMS_ROUTE, rt, "approved_on");
	assert_string_equal(on, "2024-03-02");
	mms_free(on);
	assert_null(t_get(db, MMS_ROUTE, rt, "acknowledged_on"));
	T_OK(db, mms_route_sign(db, rt, MMS_ROUTE_ACKNOWLEDGE, -1, "2024-03-03"));
	assert_int_equal(mms_route_revise(db, rt, -1, "2024-03-04", NULL, &n), MMS_OK);
	assert_int_equal(n, 2);
	/* after the second revision the route is agreed again: the approval of
	 * the first revision, dated before it, goes */
	T_OK(db, mms_route_sign(db, rt, MMS_ROUTE_AGREE, dh, "2024-03-05"));
	assert_null(t_get(db, MMS_ROUTE, rt, "approved_on"));
	size_t count;
	T_OK(db, mms_db_count(db, MMS_ROUTE_REVISION, &count));
	assert_int_equal(count, 2);
	char *reason = t_get(db, MMS_ROUTE_REVISION, 0, "reason");
	assert_string_equal(reason, "стажировка вместо курса");
	mms_free(reason);
	/* the same number twice, or a revision before the route was developed, is refused */
	mms_report *rep = NULL;
	assert_int_equal(mms_db_import_json(db, "{\"route_revisions\": [{\"route\": \"RT\", \"number\": 2, "
					    "\"date\": \"2024-04-01\"}]}", NULL, &rep), MMS_EDUP);
	assert_string_equal(mms_report_location(rep, 0), "/route_revisions/0/number");
	mms_report_free(rep);
	assert_int_equal(mms_db_import_json(db, "{\"route_revisions\": [{\"route\": \"RT\", \"number\": 3, "
					    "\"date\": \"2024-01-01\"}]}", NULL, &rep), MMS_ERANGE);
	assert_non_null(strstr(mms_report_message(rep, 0), "before the route's developed_on 2024-02-01"));
	mms_report_free(rep);
	mms_db_close(db);
}

static double kpi_at(mms_kpi *kpi, mms_db *db, const char *id, const char *unit, int year,
		     double *num, double *den)
{
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	T_OK(db, mms_kpi_value(kpi, id, t_find(db, MMS_UNIT, unit), year, &r));
	*num = r.numerator;
	*den = r.denominator;
	return r.value;
}

/* An import (add or upsert) of route_steps; the code, the report's first
 * location and message in *loc, *msg (caller's). */
static int write_steps(mms_db *db, const char *json, int upsert, char **loc, char **msg)
{
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	o.mode = upsert ? MMS_IMPORT_UPSERT : MMS_IMPORT_ADD;
	mms_report *rep = NULL;
	int rc = mms_db_import_json(db, json, &o, &rep);
	*loc = *msg = NULL;
	if (rc != MMS_OK && mms_report_count(rep)) {
		*loc = strdup(mms_report_location(rep, 0));
		*msg = strdup(mms_report_message(rep, 0));
	}
	mms_report_free(rep);
	return rc;
}

static void a_signed_routes_steps_change_only_after_a_revision(void **state)
{
	(void)state;
	mms_db *db = open_case();
	const char *places[] = {"capacity", "10", NULL};
	T_OK(db, mms_db_update(db, MMS_RESOURCE, "R3", places, NULL, NULL));
	/* a route written whole, steps and signature in one import, is new */
	t_import(db, "{\"routes\": [{\"code\": \"RT\", \"staff\": \"T\", \"developer\": \"CM\", "
		     "\"developed_on\": \"2024-02-01\"}, {\"code\": \"RD\", \"staff\": \"T2\"}, "
		     "{\"code\": \"RA\", \"staff\": \"T2\", \"developer\": \"CM\", \"developed_on\": "
		     "\"2024-02-01\", \"agreed_by\": \"DH\", \"agreed_on\": \"2024-02-02\"}],"
		     "\"route_steps\": [{\"route\": \"RT\", \"resource\": \"R3\", \"order\": 1, "
		     "\"hours\": 24}, {\"route\": \"RA\", \"resource\": \"R3\", \"order\": 1}]}");
	int32_t rt = t_find(db, MMS_ROUTE, "RT"), cm = t_find(db, MMS_STAFF, "CM");
	const char *add = "{\"route_steps\": [{\"route\": \"RT\", \"resource\": \"R4\", \"order\": 2}]}";
	const char *hours16 = "{\"route_steps\": [{\"route\": \"RT\", \"resource\": \"R3\", "
			      "\"order\": 1, \"hours\": 16}]}";
	char *loc, *msg;
	/* a draft takes steps freely; signing leaves its steps as they are */
	T_OK(db, write_steps(db, "{\"route_steps\": [{\"route\": \"RD\", \"resource\": \"R3\"}]}", 0,
			     &loc, &msg));
	T_OK(db, mms_route_sign(db, rt, MMS_ROUTE_APPROVE, cm, "2024-02-05"));
	/* added, changed (an upsert) or dropped (a cascade): refused, naming the route */
	assert_int_equal(write_steps(db, add, 0, &loc, &msg), MMS_ERANGE);
	assert_string_equal(loc, "/route_steps/0/route");
	assert_non_null(strstr(msg, "route \"RT\" was approved on 2024-02-05: revise it"));
	free(loc);
	free(msg);
	assert_int_equal(write_steps(db, hours16, 1, &loc, &msg), MMS_ERANGE);
	assert_non_null(strstr(msg, "route \"RT\" was approved on 2024-02-05"));
	free(loc);
	free(msg);
	/* the same step again changes nothing, and is no change */
	T_OK(db, write_steps(db, "{\"route_steps\": [{\"route\": \"RT\", \"resource\": \"R3\", "
				 "\"order\": 1, \"hours\": 24}]}", 1, &loc, &msg));
	/* an agreement alone locks them too */
	assert_int_equal(write_steps(db, "{\"route_steps\": [{\"route\": \"RA\", \"resource\": "
					 "\"R4\"}]}", 0, &loc, &msg), MMS_ERANGE);
	assert_non_null(strstr(msg, "route \"RA\" was agreed on 2024-02-02"));
	free(loc);
	free(msg);
	mms_delete_options del = MMS_DELETE_OPTIONS_INIT;
	del.cascade = 1;
	mms_report *rep = NULL;
	assert_int_equal(mms_db_delete(db, MMS_RESOURCE, "R3", &del, &rep), MMS_ERANGE);
	assert_non_null(strstr(mms_db_errmsg(db), "revise it"));
	mms_report_free(rep);
	size_t steps;
	T_OK(db, mms_db_count(db, MMS_ROUTE_STEP, &steps));
	assert_int_equal(steps, 3);
	char *h = t_get(db, MMS_ROUTE_STEP, 0, "hours");
	assert_string_equal(h, "24");
	mms_free(h);
	/* revised and not yet signed again: the steps change */
	T_OK(db, mms_route_revise(db, rt, cm, "2024-03-01", "наставничество", NULL));
	T_OK(db, write_steps(db, add, 0, &loc, &msg));
	T_OK(db, write_steps(db, hours16, 1, &loc, &msg));
	h = t_get(db, MMS_ROUTE_STEP, 0, "hours");
	assert_string_equal(h, "16");
	mms_free(h);
	/* approved again, the new version is locked in turn */
	T_OK(db, mms_route_sign(db, rt, MMS_ROUTE_APPROVE, cm, "2024-03-02"));
	assert_int_equal(write_steps(db, "{\"route_steps\": [{\"route\": \"RT\", \"resource\": "
					 "\"R3\", \"order\": 3}]}", 0, &loc, &msg), MMS_ERANGE);
	assert_non_null(strstr(msg, "approved on 2024-03-02"));
	free(loc);
	free(msg);
	/* deleting the route itself takes its steps with it */
	T_OK(db, mms_db_delete(db, MMS_ROUTE, "RT", &del, NULL));
	mms_db_close(db);
}

static void a_route_keeps_printing_the_deficits_it_was_built_on(void **state)
{
	(void)state;
	mms_db *db = open_case();
	mms_route_options o = options();
	mms_route_plan *p;
	T_OK(db, mms_route_plan_person(db, t_find(db, MMS_STAFF, "T"), &o, &p));
	T_OK(db, mms_route_plan_save(db, p, NULL, NULL));
	mms_route_plan_free(p);
	int32_t rt = t_find(db, MMS_ROUTE, "ИОМ-T");
	/* T is diagnosed again later: C4 is no deficit any more */
	t_import(db, "{\"diagnostics\": [{\"staff\": \"T\", \"competency\": \"C4\", \"date\": "
		     "\"2024-06-01\", \"score\": 92}]}");
	char *csv = NULL;
	int frozen = -1;
	T_OK(db, mms_route_basis(db, rt, &csv, &frozen));
	assert_int_equal(frozen, 1);
	assert_string_equal(csv, "competency,score,severity,consequence,session\n\"C4\",40,high,route,\n");
	mms_free(csv);
	/* a route saved before the frozen basis: recomputed at its start, and said so */
	t_import(db, "{\"routes\": [{\"code\": \"OLD\", \"staff\": \"T2\", \"start\": \"2024-02-01\"}]}");
	t_import(db, "{\"diagnostics\": [{\"staff\": \"T2\", \"competency\": \"C4\", \"date\": "
		     "\"2024-06-01\", \"score\": 92}]}");
	T_OK(db, mms_route_basis(db, t_find(db, MMS_ROUTE, "OLD"), &csv, &frozen));
	assert_int_equal(frozen, 0);
	assert_string_equal(csv, "competency,score,severity,consequence,session\n\"C4\",45,high,route,\n");
	mms_free(csv);
	assert_int_equal(mms_route_basis(db, 999, &csv, &frozen), MMS_ENOTFOUND);
	assert_null(csv);
	assert_int_equal(mms_route_basis(db, rt, NULL, &frozen), MMS_EINVAL);
	/* the document is written from the same rows */
	char path[] = "/tmp/mms-basis-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	T_OK(db, mms_route_report_xlsx(db, rt, path));
	unlink(path);
	mms_db_close(db);
}

static void a_school_counts_when_it_runs_pairs_of_its_own_staff(void **state)
{
	(void)state;
	mms_db *db = open_case();
	mms_kpi *kpi;
	T_OK(db, mms_kpi_open(&kpi, db));
	double num, den;
	kpi_at(kpi, db, "moscow.9", "M", 2024, &num, &den);
	assert_true(num == 0 && den == 2);
	/* U of S2 attends mentoring by H of S: neither school runs the model */
	t_import(db, "{\"mentoring_pairs\": [{\"code\": \"X\", \"form\": \"teacher_teacher\", "
		     "\"mentor\": \"H\", \"mentee\": \"U\", \"start\": \"2024-01-10\"}]}");
	kpi_at(kpi, db, "moscow.9", "M", 2024, &num, &den);
	assert_true(num == 0 && den == 2);
	/* a pair of S's own staff, in 2024 only (added after the value was
	 * computed: the value follows) */
	t_import(db, "{\"mentoring_pairs\": [{\"code\": \"OWN\", \"form\": \"manager_teacher\", "
		     "\"mentor\": \"DH\", \"mentee\": \"T\", \"start\": \"2024-01-10\", \"end\": \"2024-06-30\"}]}");
	assert_true(kpi_at(kpi, db, "moscow.9", "M", 2024, &num, &den) == 50 && num == 1);
	kpi_at(kpi, db, "moscow.9", "M", 2025, &num, &den);
	assert_true(num == 0);
	/* people: a mentee, a mentor, as the role says */
	T_OK(db, mms_kpi_load_json(kpi, "{\"indicators\": [{\"id\": \"x.mentees\", \"name_ru\": \"x\", "
				   "\"kind\": \"share\", \"population\": \"staff\", \"filter\": \"role = "
				   "\\\"teacher\\\"\", \"numerator\": \"mentoring_pair(role = \\\"mentee\\\")\"}, "
				   "{\"id\": \"x.mentors\", \"name_ru\": \"x\", \"kind\": \"count\", "
				   "\"population\": \"staff\", \"filter\": \"mentoring_pair(role = \\\"mentor\\\")\"}]}",
				   "x.json", NULL));
	kpi_at(kpi, db, "x.mentees", "M", 2024, &num, &den);
	assert_true(num == 2 && den == 4); /* T and U of T, T2, H, U */
	kpi_at(kpi, db, "x.mentors", "M", 2024, &num, &den);
	assert_true(num == 2); /* H and DH */
	assert_int_not_equal(mms_kpi_load_json(kpi, "{\"indicators\": [{\"id\": \"y\", \"name_ru\": \"y\", "
					       "\"kind\": \"share\", \"population\": \"units\", \"numerator\": "
					       "\"mentoring_pair(role = \\\"mentor\\\")\"}]}", "y.json", NULL),
			     MMS_OK);
	mms_kpi_close(kpi);
	mms_db_close(db);
}

static char *table_of(mms_db *db, int which, int format)
{
	char *out = NULL;
	T_OK(db, mms_route_map(db, t_find(db, MMS_UNIT, "RG"), 2024, which, format, &out));
	return out;
}

static void the_region_sees_its_deficits_tutors_and_federal_figures(void **state)
{
	(void)state;
	mms_db *db = open_case();
	/* CM supports T herself; U at S2 has nobody at her school or service */
	t_import(db, "{\"staff_links\": [{\"kind\": \"supports\", \"staff\": \"CM\", \"target_staff\": \"T\"}],"
		     "\"diagnostics\": [{\"staff\": \"U\", \"competency\": \"C4\", \"date\": \"2024-01-15\", "
		     "\"score\": 50}]}");
	mms_route_options o = options();
	o.developer = t_find(db, MMS_STAFF, "CM");
	mms_route_plan *p;
	T_OK(db, mms_route_plan_batch(db, -1, &o, &p));
	T_OK(db, mms_route_plan_save(db, p, "ИОМ-", NULL));
	mms_route_plan_free(p);
	const char *tutors[][2] = {{"ИОМ-T", "CM"}, {"ИОМ-T2", "DH"}, {"ИОМ-U", "CM"}};
	for (size_t i = 0; i < 3; i++) {
		char *tutor = t_get(db, MMS_ROUTE, t_find(db, MMS_ROUTE, tutors[i][0]), "tutor");
		assert_string_equal(tutor, tutors[i][1]);
		mms_free(tutor);
	}
	char *csv = table_of(db, MMS_ROUTE_MAP_DEFICITS, MMS_FORMAT_CSV);
	assert_string_equal(csv, "competency,competency_name,municipality,subject,edu_level,high,medium,minimal\n"
			    "\"C4\",\"C4\",\"M\",\"\",\"school\",1,0,0\n"
			    "\"C4\",\"C4\",\"M\",\"математика\",\"school\",2,0,0\n");
	mms_free(csv);
	csv = table_of(db, MMS_ROUTE_MAP_TUTORS, MMS_FORMAT_CSV);
	assert_string_equal(csv, "tutor,tutor_name,organisation,unit_kind,routes,municipalities,completed,load\n"
			    "\"DH\",\"Завуч\",\"S\",\"school\",1,1,0,1\n"
			    "\"CM\",\"Методист ЦНППМ\",\"C\",\"cnppm\",2,1,0,2\n");
	mms_free(csv);
	/* T's mentoring done, and the repeat diagnostic closes her deficit */
	T_OK(db, mms_route_step_set_status(db, 0, "in_progress", "2024-03-01", NULL));
	T_OK(db, mms_route_step_set_status(db, 0, "done", "2024-05-01", "дневник наставничества"));
	t_import(db, "{\"diagnostics\": [{\"staff\": \"T\", \"competency\": \"C4\", \"date\": \"2024-06-01\", "
		     "\"score\": 90}]}");
	csv = table_of(db, MMS_ROUTE_MAP_RESOURCES, MMS_FORMAT_CSV);
	assert_string_equal(csv, "resource,resource_name,kind,steps,done,failed,completion,covered,closed,effect\n"
			    "\"R3\",\"Стажировка\",\"internship\",2,0,0,0.0,0,0,\n"
			    "\"R4\",\"Наставничество\",\"mentoring\",1,1,0,100.0,1,1,100.0\n");
	mms_free(csv);
	char *json = table_of(db, MMS_ROUTE_MAP_ALL, MMS_FORMAT_JSON);
	assert_non_null(strstr(json, "\"deficits\""));
	assert_non_null(strstr(json, "\"resources\""));
	assert_non_null(strstr(json, "\"tutors\""));
	assert_non_null(strstr(json, "\"unit\":\"RG\""));
	mms_free(json);
	/* the federal figures: three of the region's five pedagogical workers
	 * (teachers and methodists; DH is a manager) have a route the centre developed */
	T_OK(db, mms_route_federal(db, t_find(db, MMS_UNIT, "RG"), 2024, MMS_FORMAT_CSV, &csv));
	assert_non_null(strstr(csv, "field,indicator,numerator,denominator,value,target,status\n"
				    "\"routes_developed_share\",\"cnppm.routes_developed\",3,5,60.0,10.0,\"achieved\"\n"));
	mms_free(csv);
	T_OK(db, mms_route_federal(db, t_find(db, MMS_UNIT, "RG"), 2024, MMS_FORMAT_JSON, &json));
	assert_non_null(strstr(json, "\"pedagogical_workers\":5"));
	mms_free(json);
	/* the schools' mentoring beside Moscow-region 9 */
	t_import(db, "{\"facts\": [{\"unit\": \"S\", \"key\": \"mentoring.local_act\", \"year\": 2024, "
		     "\"value\": 1, \"note\": \"приказ № 5\"}, {\"unit\": \"S\", \"key\": \"mentoring.curator\", "
		     "\"year\": 2024, \"value\": 1, \"note\": \"DH\"}]}");
	T_OK(db, mms_mentoring_schools(db, t_find(db, MMS_UNIT, "M"), 2024, MMS_FORMAT_CSV, &csv));
	assert_string_equal(csv, "school,school_name,runs_model,own_pairs,pairs_with_outside_mentor,local_act,curator\n"
			    "\"S\",\"Школа\",1,1,0,\"приказ № 5\",\"DH\"\n"
			    "\"S2\",\"Школа 2\",0,0,0,\"\",\"\"\n");
	mms_free(csv);
	/* the same tables as a workbook, written whole or not at all */
	char *dir = t_tmpdir(), *book = t_path(dir, "map.xlsx"), *missing = t_path(dir, "no/such/map.xlsx");
	T_OK(db, mms_route_map_xlsx(db, t_find(db, MMS_UNIT, "RG"), 2024, book));
	size_t len = 0;
	char *bytes = t_read(book, &len);
	assert_true(len > 1000 && !memcmp(bytes, "PK", 2)); /* a zip, as XLSX is */
	free(bytes);
	assert_int_not_equal(mms_route_map_xlsx(db, t_find(db, MMS_UNIT, "RG"), 2024, missing), MMS_OK);
	assert_int_equal(mms_route_map_xlsx(db, t_find(db, MMS_UNIT, "RG"), 2024, NULL), MMS_EINVAL);
	t_rmtree(dir);
	free(dir);
	free(book);
	free(missing);
	/* refused: a year that is none, CSV of all tables, an unknown table or format */
	int32_t rg = t_find(db, MMS_UNIT, "RG");
	assert_int_equal(mms_route_map(db, rg, 0, MMS_ROUTE_MAP_DEFICITS, MMS_FORMAT_CSV, &csv), MMS_EINVAL);
	assert_null(csv);
	assert_int_equal(mms_route_map(db, rg, 2024, MMS_ROUTE_MAP_ALL, MMS_FORMAT_CSV, &csv), MMS_EINVAL);
	assert_int_equal(mms_route_map(db, rg, 2024, 5, MMS_FORMAT_CSV, &csv), MMS_EINVAL);
	assert_int_equal(mms_route_map(db, rg, 2024, MMS_ROUTE_MAP_TUTORS, 9, &csv), MMS_EINVAL);
	assert_int_equal(mms_route_federal(db, 999, 2024, MMS_FORMAT_CSV, &csv), MMS_ENOTFOUND);
	assert_int_equal(mms_route_map(db, rg, 2024, MMS_ROUTE_MAP_TUTORS, MMS_FORMAT_CSV, NULL), MMS_EINVAL);
	mms_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_mentoring_pair_is_a_record_checked_at_its_fields),
		cmocka_unit_test(a_mentors_pairs_in_the_period_are_her_load),
		cmocka_unit_test(a_saved_mentoring_step_creates_or_joins_its_pair),
		cmocka_unit_test(a_route_is_signed_once_per_revision),
		cmocka_unit_test(a_signed_routes_steps_change_only_after_a_revision),
		cmocka_unit_test(a_route_keeps_printing_the_deficits_it_was_built_on),
		cmocka_unit_test(a_school_counts_when_it_runs_pairs_of_its_own_staff),
		cmocka_unit_test(the_region_sees_its_deficits_tutors_and_federal_figures),
	};
	return cmocka_run_group_tests_name("region", tests, NULL, NULL);
}
