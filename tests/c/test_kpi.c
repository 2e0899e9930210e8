/*
 * Indicators on a small hand-made network. Every expected value below was
 * counted by hand from the network drawn here; the comments show the count.
 *
 *  FED ministry
 *  └─ R  regional institute
 *     ├─ CN cnppm                   staff: CN1, CN2 (methodists)
 *     ├─ M2 municipal service (a second one, for facts)
 *     └─ M  municipal service       staff: M1, M2 (methodists)
 *     ├─ S1 school                  staff: T1 (young), T2 (highest), D1 (manager)
 *     ├─ S2 school                  staff: T3 (young)
 *     │  └─ IS internship site (a network role of S2)
 *     ├─ K1 preschool               staff: T4, T5 (young, part-time: left out)
 *     └─ C  community               members: T1, T2
 *  links: K1 -> IS internship_partnership from 2023; S2 is a member of C;
 *         M leads S1 (network leadership) until the end of 2023
 *  T4 teaches children with disabilities; S2 is a school with low results.
 *  T6, a young teacher at S1 since 2022-09, left on 2023-06-30: she is not
 *  counted in 2023's staff, except by the retention indicator П10.
 *  All values are for 2023 (period 2023-01-01 .. 2023-12-31).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static const char net[] =
	"{\"units\": ["
	"{\"code\": \"FED\", \"name\": \"Минпросвещения\", \"level\": \"federal\", \"kind\": \"ministry\"},"
	"{\"code\": \"R\", \"name\": \"ИРО\", \"level\": \"regional\", \"kind\": \"institute\", \"parent\": \"FED\"},"
	"{\"code\": \"CN\", \"name\": \"ЦНППМ\", \"level\": \"regional\", \"kind\": \"cnppm\", \"parent\": \"R\"},"
	"{\"code\": \"M2\", \"name\": \"ММС 2\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\"},"
	"{\"code\": \"M\", \"name\": \"ММС\", \"level\": \"municipal\", \"kind\": \"municipal_service\", \"parent\": \"R\"},"
	"{\"code\": \"S1\", \"name\": \"Школа 1\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"},"
	"{\"code\": \"S2\", \"name\": \"Школа 2\", \"level\": \"institutional\", \"kind\": \"school\", \"parent\": \"M\"},"
	"{\"code\": \"IS\", \"name\": \"Стажировочная площадка\", \"level\": \"institutional\", \"kind\": \"internship_site\", \"parent\": \"S2\"},"
	"{\"code\": \"K1\", \"name\": \"Детский сад\", \"level\": \"institutional\", \"kind\": \"preschool\", \"parent\": \"M\"},"
	"{\"code\": \"C\", \"name\": \"Сообщество\", \"level\": \"municipal\", \"kind\": \"community\", \"parent\": \"M\"}],"
	"\"links\": [{\"kind\": \"internship_partnership\", \"from\": \"K1\", \"to\": \"IS\", \"start\": \"2023-01-01\"},"
	"{\"kind\": \"membership\", \"from\": \"S2\", \"to\": \"C\"},"
	"{\"kind\": \"network_leadership\", \"from\": \"M\", \"to\": \"S1\", \"end\": \"2023-12-31\"}],"
	"\"staff\": ["
	"{\"code\": \"M1\", \"name\": \"M1\", \"org\": \"M\", \"role\": \"methodist\", \"birth_date\": \"1980-01-01\", \"work_start\": \"2005-09-01\"},"
	"{\"code\": \"M2\", \"name\": \"M2\", \"org\": \"M\", \"role\": \"methodist\", \"birth_date\": \"1975-01-01\", \"work_start\": \"2000-09-01\"},"
	"{\"code\": \"T1\", \"name\": \"T1\", \"org\": \"S1\", \"role\": \"teacher\", \"birth_date\": \"1995-01-01\", \"work_start\": \"2022-09-01\", \"category\": \"none\"},"
	"{\"code\": \"T2\", \"name\": \"T2\", \"org\": \"S1\", \"role\": \"teacher\", \"birth_date\": \"1970-01-01\", \"work_start\": \"1992-09-01\", \"category\": \"highest\"},"
	"{\"code\": \"T3\", \"name\": \"T3\", \"org\": \"S2\", \"role\": \"teacher\", \"birth_date\": \"1996-05-01\", \"work_start\": \"2021-09-01\", \"category\": \"none\"},"
	"{\"code\": \"T4\", \"name\": \"T4\", \"org\": \"K1\", \"role\": \"teacher\", \"birth_date\": \"1985-01-01\", \"work_start\": \"2008-09-01\", \"category\": \"first\", \"subjects\": [\"дети с ОВЗ\"]},"
	"{\"code\": \"CN1\", \"name\": \"CN1\", \"org\": \"CN\", \"role\": \"methodist\"},"
	"{\"code\": \"CN2\", \"name\": \"CN2\", \"org\": \"CN\", \"role\": \"methodist\"},"
	"{\"code\": \"T5\", \"name\": \"T5\", \"org\": \"K1\", \"role\": \"teacher\", \"birth_date\": \"1999-01-01\", \"work_start\": \"2022-09-01\", \"part_time\": true},"
	"{\"code\": \"D1\", \"name\": \"D1\", \"org\": \"S1\", \"role\": \"manager\"},"
	"{\"code\": \"T6\", \"name\": \"T6\", \"org\": \"S1\", \"role\": \"teacher\", \"birth_date\": \"1998-03-01\", \"work_start\": \"2022-09-01\", \"work_end\": \"2023-06-30\"}],"
	"\"staff_links\": ["
	"{\"kind\": \"member\", \"staff\": \"T1\", \"unit\": \"C\", \"start\": \"2022-09-01\"},"
	"{\"kind\": \"member\", \"staff\": \"T2\", \"unit\": \"C\"}],"
	"\"activities\": ["
	"{\"code\": \"MENT23\", \"name\": \"Наставничество\", \"kind\": \"mentoring\", \"start\": \"2023-09-01\", \"end\": \"2024-06-30\"},"
	"{\"code\": \"INN23\", \"name\": \"Проект\", \"kind\": \"innovation_project\", \"level\": \"regional\", \"organizer\": \"S1\", \"start\": \"2023-01-10\", \"end\": \"2023-12-20\"},"
	"{\"code\": \"EV21\", \"name\": \"Семинар\", \"kind\": \"event\", \"organizer\": \"M\", \"start\": \"2021-03-01\"},"
	"{\"code\": \"EV22\", \"name\": \"Семинар\", \"kind\": \"event\", \"organizer\": \"M\", \"start\": \"2022-03-01\"},"
	"{\"code\": \"EV23\", \"name\": \"Семинар\", \"kind\": \"event\", \"organizer\": \"M\", \"start\": \"2023-03-01\"},"
	"{\"code\": \"EV23B\", \"name\": \"Семинар\", \"kind\": \"event\", \"organizer\": \"S1\", \"start\": \"2023-10-01\"},"
	"{\"code\": \"BR23\", \"name\": \"Трансляция опыта\", \"kind\": \"broadcast\", \"organizer\": \"M\", \"start\": \"2023-05-15\"},"
	"{\"code\": \"COMP23\", \"name\": \"Конкурс\", \"kind\": \"competition\", \"level\": \"municipal\", \"organizer\": \"M\", \"start\": \"2023-02-01\", \"end\": \"2023-03-01\"},"
	"{\"code\": \"COMP23R\", \"name\": \"Конкурс\", \"kind\": \"competition\", \"level\": \"regional\", \"organizer\": \"R\", \"start\": \"2023-04-01\"},"
	"{\"code\": \"CRS21\", \"name\": \"Курс\", \"kind\": \"course\", \"hours\": 72, \"federal_register\": true, \"start\": \"2021-03-01\", \"end\": \"2021-05-01\"},"
	"{\"code\": \"CRS23\", \"name\": \"Курс\", \"kind\": \"course\", \"hours\": 36, \"start\": \"2023-02-01\", \"end\": \"2023-04-01\"},"
	"{\"code\": \"SRV23\", \"name\": \"Анкета\", \"kind\": \"survey\", \"purpose\": \"satisfaction\", \"start\": \"2023-12-01\", \"end\": \"2023-12-10\"},"
	"{\"code\": \"INT23\", \"name\": \"Стажировка\", \"kind\": \"internship\", \"start\": \"2023-06-01\", \"end\": \"2023-06-10\"},"
	"{\"code\": \"CRS23C\", \"name\": \"Курс ЦНППМ\", \"kind\": \"course\", \"hours\": 36, \"provider\": \"CN\", \"start\": \"2023-03-01\", \"end\": \"2023-04-01\"},"
	"{\"code\": \"FED23\", \"name\": \"Курс федерального оператора\", \"kind\": \"course\", \"hours\": 72, \"provider\": \"FED\", \"start\": \"2023-05-01\"},"
	"{\"code\": \"EVC23A\", \"name\": \"Региональный семинар\", \"kind\": \"event\", \"level\": \"regional\", \"organizer\": \"CN\", \"start\": \"2023-04-10\"},"
	"{\"code\": \"EVC23B\", \"name\": \"Региональный семинар\", \"kind\": \"event\", \"level\": \"regional\", \"organizer\": \"CN\", \"start\": \"2023-11-10\"}],"
	"\"participations\": ["
	"{\"activity\": \"MENT23\", \"staff\": \"T3\", \"role\": \"mentee\", \"peer\": \"T2\"},"
	"{\"activity\": \"MENT23\", \"staff\": \"T2\", \"role\": \"mentor\", \"peer\": \"T3\"},"
	"{\"activity\": \"INN23\", \"unit\": \"S1\", \"role\": \"organiser\"},"
	"{\"activity\": \"INN23\", \"staff\": \"M1\", \"role\": \"participant\"},"
	"{\"activity\": \"EV23\", \"staff\": \"T4\", \"role\": \"participant\"},"
	"{\"activity\": \"BR23\", \"unit\": \"S2\", \"role\": \"speaker\"},"
	"{\"activity\": \"CRS21\", \"staff\": \"T2\", \"role\": \"participant\", \"completed\": true},"
	"{\"activity\": \"CRS23\", \"staff\": \"T1\", \"role\": \"participant\", \"completed\": true},"
	"{\"activity\": \"CRS23\", \"staff\": \"T4\", \"role\": \"participant\"},"
	"{\"activity\": \"SRV23\", \"staff\": \"T1\", \"role\": \"respondent\", \"score\": 90},"
	"{\"activity\": \"SRV23\", \"staff\": \"T2\", \"role\": \"respondent\", \"score\": 60},"
	"{\"activity\": \"SRV23\", \"staff\": \"T4\", \"role\": \"respondent\", \"score\": 70},"
	"{\"activity\": \"SRV23\", \"staff\": \"D1\", \"role\": \"respondent\", \"score\": 85},"
	"{\"activity\": \"INT23\", \"staff\": \"T1\", \"role\": \"participant\"},"
	"{\"activity\": \"CRS23C\", \"staff\": \"T1\", \"role\": \"participant\", \"completed\": true},"
	"{\"activity\": \"FED23\", \"staff\": \"CN1\", \"role\": \"participant\", \"completed\": true},"
	"{\"activity\": \"FED23\", \"staff\": \"CN2\", \"role\": \"participant\"}],"
	"\"facts\": ["
	"{\"unit\": \"M\", \"key\": \"murom.roadmaps_done\", \"year\": 2023, \"value\": 90},"
	"{\"unit\": \"M2\", \"key\": \"murom.roadmaps_done\", \"year\": 2023, \"value\": 70},"
	"{\"unit\": \"M\", \"key\": \"murom.nsur_coverage\", \"year\": 2023, \"value\": 60},"
	"{\"unit\": \"M\", \"key\": \"murom.pd_plan_done\", \"year\": 2023, \"value\": 100},"
	"{\"unit\": \"M\", \"key\": \"moscow.measures\", \"year\": 2023, \"value\": 1},"
	"{\"unit\": \"M2\", \"key\": \"moscow.measures\", \"year\": 2023, \"value\": 1},"
	"{\"unit\": \"M\", \"key\": \"moscow.monitoring\", \"year\": 2023, \"value\": 0},"
	"{\"unit\": \"M\", \"key\": \"tyva.doc.1.1\", \"year\": 2023, \"value\": 1},"
	"{\"unit\": \"M\", \"key\": \"tyva.doc.1.2\", \"year\": 2023, \"value\": 0},"
	"{\"unit\": \"M\", \"key\": \"tyva.doc.2.1\", \"year\": 2023, \"value\": 1},"
	"{\"unit\": \"M\", \"key\": \"tyva.doc.3.1\", \"year\": 2023, \"value\": 1},"
	"{\"unit\": \"M\", \"key\": \"tyva.doc.6.1\", \"year\": 2023, \"value\": 1},"
	"{\"unit\": \"M\", \"key\": \"tyva.doc.6.1\", \"year\": 2022, \"value\": 0},"
	"{\"unit\": \"M\", \"key\": \"tyva.managers.basic_training\", \"year\": 2023, \"value\": 1},"
	"{\"unit\": \"M\", \"key\": \"tyva.managers.objectivity\", \"year\": 2023, \"value\": 1},"
	"{\"unit\": \"S2\", \"key\": \"salda.low_results\", \"year\": 2023, \"value\": 1}],"
	"\"mentoring_pairs\": ["
	"{\"code\": \"NP1\", \"form\": \"teacher_teacher\", \"mentor\": \"T2\", \"mentee\": \"T1\", \"start\": \"2023-09-01\", \"end\": \"2024-06-30\"},"
	"{\"code\": \"NP2\", \"form\": \"teacher_teacher\", \"mentor\": \"T2\", \"mentee\": \"T3\", \"start\": \"2023-09-01\"}]}";

typedef struct fixture {
	mms_db *db;
	mms_kpi *kpi;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->db = t_open(":memory:");
	t_import(f->db, net);
	T_OK(f->db, mms_kpi_open(&f->kpi, f->db));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	mms_kpi_close(f->kpi);
	mms_db_close(f->db);
	free(f);
	return 0;
}

static mms_kpi_result value(fixture *f, const char *id, const char *unit, int year)
{
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	int rc = mms_kpi_value(f->kpi, id, t_find(f->db, MMS_UNIT, unit), year, &r);
	if (rc != MMS_OK)
		fail_msg("%s: %s", id, mms_kpi_errmsg(f->kpi));
	return r;
}

static void expect(fixture *f, const char *id, const char *unit, double num, double den,
		   double want)
{
	mms_kpi_result r = value(f, id, unit, 2023);
	if (!r.defined || fabs(r.value - want) > 1e-9 || r.numerator != num || r.denominator != den)
		fail_msg("%s at %s: got %g (%g/%g), want %g (%g/%g)", id, unit, r.value,
			 r.numerator, r.denominator, want, num, den);
}

static void murom_indicators_match_hand_counts(void **state)
{
	fixture *f = *state;
	/* P4: of S1, S2, K1 only K1 took part in an event (T4 at EV23): 1/3 */
	expect(f, "murom.P4", "M", 1, 3, 100.0 / 3);
	/* P5: S1 organises INN23 (M1 takes part too, but M is not an organisation): 1/3 */
	expect(f, "murom.P5", "M", 1, 3, 100.0 / 3);
	/* P6: methodists M1, M2; M1 is in INN23: 1/2 */
	expect(f, "murom.P6", "M", 1, 2, 50);
	/* P7: four answers; 90, 70 and 85 are 70 or more, 60 is not: 3/4 */
	expect(f, "murom.P7", "M", 3, 4, 75);
	/* P8 counts entries, not competitions organised: M organises COMP23 and
	 * R COMP23R, but nobody entered either: 0 at M and at R */
	expect(f, "murom.P8", "M", 0, 0, 0);
	expect(f, "murom.P8", "R", 0, 0, 0);
	/* P10: teachers in their first three years at 2023-12-31: T1, T3 and T6
	 * (who left; T5 is part-time); T1 and T3 are still working: 2/3 */
	expect(f, "murom.P10", "M", 2, 3, 200.0 / 3);
	/* P9: S2 spoke at BR23: 1/3 */
	expect(f, "murom.P9", "M", 1, 3, 100.0 / 3);
	/* Full-time teachers T1..T4 and methodists M1, M2; T2 (CRS21, within
	 * three years) and T1 (CRS23) completed a course; T4 did not complete
	 * hers, M1 and M2 took none: 2/6 */
	expect(f, "murom.pd_every_3_years", "M", 2, 6, 100.0 / 3);
}

static void moscow_and_krasnodar_indicators_match_hand_counts(void **state)
{
	fixture *f = *state;
	/* 7: full-time teachers T1..T4 (T5 is part-time) per regional methodist
	 * CN1, CN2 of the centre (M1, M2 are municipal): 4/2 at R, none at M */
	expect(f, "moscow.7", "R", 4, 2, 2);
	assert_false(value(f, "moscow.7", "M", 2023).defined);
	/* 8: young at 2023-12-31: T1 (28, 1 year), T3 (27, 2 years); T5 part-time.
	 * T1 is in community C, T3 is a mentee: 2/2 */
	expect(f, "moscow.8", "M", 2, 2, 100);
	/* 9: S1 runs pair NP1 of its own T2 and T1; S2's T3 is mentored by T2 of
	 * S1 (NP2) and takes part in MENT23, which does not make S2 run the
	 * model: 1/2 */
	expect(f, "moscow.9", "M", 1, 2, 50);
	/* 10: S2 holds the internship site IS; T1's internship INT23 does not make
	 * S1's management team involved (T1 is a teacher): 1/2 */
	expect(f, "moscow.10", "M", 1, 2, 50);
	/* tms_pd: M1, M2 at the municipal service took no course in 2023: 0/2 */
	expect(f, "krasnodar.tms_pd", "M", 0, 2, 0);
	/* communities: teachers T1..T4 and manager D1; T1 and T2 are in C: 2/5 */
	expect(f, "krasnodar.communities", "M", 2, 5, 40);
	expect(f, "krasnodar.satisfaction", "M", 3, 4, 75);
	/* best practices: K1 partners IS, S1 through T1's internship: 2/3 */
	expect(f, "krasnodar.best_practices", "M", 2, 3, 200.0 / 3);
}

static void indicators_on_recorded_facts_match_hand_counts(void **state)
{
	fixture *f = *state;
	/* P1: M recorded 90% of its roadmaps done; with M2's 70% the mean at R is 80 */
	expect(f, "murom.P1", "M", 90, 1, 90);
	expect(f, "murom.P1", "R", 160, 2, 80);
	expect(f, "murom.P2", "M", 60, 1, 60);
	expect(f, "murom.P3", "M", 100, 1, 100);
	/* P11: M published no update in 2023, its longest run without one is
	 * the whole year: not every two weeks, 0/1 */
	expect(f, "murom.P11", "M", 0, 1, 0);
	/* moscow.1 at R: M and M2 say yes; R and CN recorded nothing and are
	 * left out rather than counted as "no": 2/2 */
	expect(f, "moscow.1", "R", 2, 2, 100);
	/* moscow.2: only M answered, and it said no: 0/1 */
	expect(f, "moscow.2", "R", 0, 1, 0);
	/* the 21 documents of seed 004: 1.1, 2.1, 3.1, 6.1 present (1.2 recorded
	 * absent; 6.1 absent in 2022 does not matter for 2023): 4/21 */
	expect(f, "tyva.documents", "M", 4, 21, 400.0 / 21);
	/* managers' effectiveness: basic training and objectivity of 5 areas */
	expect(f, "tyva.managers_monitoring", "M", 2, 5, 40);
	/* nothing recorded about diagnostics-based PD at M: no value, not "no" */
	mms_kpi_result r = value(f, "tyva.pd_quality", "M", 2023);
	assert_false(r.defined);
	/* M2 recorded no document at all: it was not audited, so no value */
	assert_false(value(f, "tyva.documents", "M2", 2023).defined);
	/* in 2022 M recorded only 6.1, absent: audited, 0/21 */
	r = value(f, "tyva.documents", "M", 2022);
	assert_true(r.defined && r.value == 0 && r.denominator == 21);
}

static void cnppm_and_salda_indicators_match_hand_counts(void **state)
{
	fixture *f = *state;
	/* teachers and methodists in R's subtree: T1..T4 (T5 part-time), M1, M2,
	 * CN1, CN2 = 8; T1 completed the centre's CRS23C: 1/8 */
	expect(f, "cnppm.trained", "R", 1, 8, 12.5);
	/* the centre's staff CN1, CN2; CN1 completed the federal FED23: 1/2 */
	expect(f, "cnppm.staff_federal", "CN", 1, 2, 50);
	/* two regional events organised by the centre */
	expect(f, "cnppm.events", "R", 2, 2, 2);
	/* Verkhnyaya Salda at M, teachers T1..T4: */
	/* informed: T4 was at EV23; nobody is in an association: 1/4 */
	expect(f, "salda.informed", "M", 1, 4, 25);
	/* monitoring: T1, T2, T4 answered SRV23, a satisfaction questionnaire,
	 * which is not the monitoring; nobody was diagnosed: 0/4 */
	expect(f, "salda.monitoring", "M", 0, 4, 0);
	/* support: T1 (course, internship), T4 (event, course), T3 (mentee);
	 * T2 mentors T3 but receives no support herself: 3/4 */
	expect(f, "salda.support", "M", 3, 4, 75);
	expect(f, "salda.support.young", "M", 2, 2, 100);         /* T1, T3 */
	expect(f, "salda.support.mentors", "M", 0, 1, 0);         /* T2 */
	expect(f, "salda.support.low_results", "M", 1, 1, 100);   /* T3 at S2 */
	expect(f, "salda.support.disabilities", "M", 1, 1, 100);  /* T4 */
	assert_false(value(f, "salda.support.gifted", "M", 2023).defined); /* nobody */
	expect(f, "salda.communities", "M", 2, 4, 50);            /* T1, T2 in C */
	expect(f, "salda.municipal_projects", "M", 0, 4, 0);
	expect(f, "salda.competitions", "M", 0, 4, 0);
}

static void network_groups_count_their_members(void **state)
{
	fixture *f = *state;
	int32_t c = t_find(f->db, MMS_UNIT, "C"), m = t_find(f->db, MMS_UNIT, "M");
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	/* members of community C: T1 and T2 through staff links, and S2 through
	 * its membership, so T3 too. Of T1, T2, T3, T1 (CRS23) and T2 (CRS21)
	 * completed a course in three years: 2/3 */
	T_OK(f->db, mms_kpi_group_value(f->kpi, "murom.pd_every_3_years", c, "members", 2023, &r));
	assert_true(r.numerator == 2 && r.denominator == 3);
	assert_true(fabs(r.value - 200.0 / 3) < 1e-9);
	assert_true(r.target == 100 && r.status == MMS_KPI_NOT_ACHIEVED);
	/* the organisations M leads: S1, which is in an innovation project: 1/1 */
	T_OK(f->db, mms_kpi_group_value(f->kpi, "murom.P5", m, "led", 2023, &r));
	assert_true(r.numerator == 1 && r.denominator == 1 && r.value == 100);
	/* its trend is the group's own: 0, 0, 100 in 2021-2023 (M led S1 since
	 * before 2021), a line reaching 33.3 + 50 x 3 = 183.3 in 2025: achieved
	 * against the programme's 80, at risk against 200 set by M */
	assert_int_equal(r.status, MMS_KPI_ACHIEVED);
	T_OK(f->db, mms_kpi_target_set(f->kpi, "murom.P5", m, 2025, 200));
	T_OK(f->db, mms_kpi_group_value(f->kpi, "murom.P5", m, "led", 2023, &r));
	assert_int_equal(r.status, MMS_KPI_AT_RISK);
	/* the leadership ended with 2023: in 2024 M leads nobody */
	T_OK(f->db, mms_kpi_group_value(f->kpi, "murom.P5", m, "led", 2024, &r));
	assert_false(r.defined);
	assert_int_equal(mms_kpi_group_value(f->kpi, "murom.P5", m, "friends", 2023, &r), MMS_EINVAL);
}

static void a_zero_denominator_is_undefined_not_zero(void **state)
{
	fixture *f = *state;
	/* K1 has no methodist, so teachers per methodist does not exist there */
	mms_kpi_result r = value(f, "moscow.7", "K1", 2023);
	assert_false(r.defined);
	assert_true(isnan(r.value));
	assert_int_equal(r.status, MMS_KPI_UNDEFINED);
	assert_string_equal(mms_kpi_status_name(r.status), "undefined");
	assert_null(r.band);
	/* and a share with no population: S1 has no methodists */
	r = value(f, "murom.P6", "S1", 2023);
	assert_false(r.defined);
	assert_true(r.denominator == 0);
}

static const char aggregations[] =
	"{\"indicators\": ["
	"{\"id\": \"t.highest\", \"name_ru\": \"Доля высшей категории\", \"kind\": \"share\","
	" \"population\": \"staff\", \"filter\": \"role = \\\"teacher\\\"\","
	" \"numerator\": \"category = \\\"highest\\\"\"},"
	"{\"id\": \"t.highest_mean\", \"name_ru\": \"То же, среднее по ОО\", \"kind\": \"share\","
	" \"population\": \"staff\", \"filter\": \"role = \\\"teacher\\\"\","
	" \"numerator\": \"category = \\\"highest\\\"\", \"aggregation\": \"mean\"},"
	"{\"id\": \"t.highest_min\", \"name_ru\": \"То же, минимум\", \"kind\": \"share\","
	" \"population\": \"staff\", \"filter\": \"role = \\\"teacher\\\"\","
	" \"numerator\": \"category = \\\"highest\\\"\", \"aggregation\": \"min\"},"
	"{\"id\": \"t.highest_max\", \"name_ru\": \"То же, максимум\", \"kind\": \"share\","
	" \"population\": \"staff\", \"filter\": \"role = \\\"teacher\\\"\","
	" \"numerator\": \"category = \\\"highest\\\"\", \"aggregation\": \"max\"}]}";

static void ratio_of_sums_and_mean_of_ratios_differ(void **state)
{
	fixture *f = *state;
	T_OK(f->db, mms_kpi_load_json(f->kpi, aggregations, "test", NULL));
	/* S1: T2 of T1, T2 = 50%; S2: 0 of T3 = 0%; K1: 0 of T4 = 0% (T5 part-time).
	 * Ratio of sums at M: 1/4 = 25%. Mean of the three: 50/3 = 16.67%. */
	expect(f, "t.highest", "M", 1, 4, 25);
	mms_kpi_result mean = value(f, "t.highest_mean", "M", 2023);
	assert_true(fabs(mean.value - 50.0 / 3) < 1e-9);
	assert_string_equal(mean.aggregation, "mean");
	assert_int_equal(mean.units, 3);
	assert_true(value(f, "t.highest_min", "M", 2023).value == 0);
	assert_true(value(f, "t.highest_max", "M", 2023).value == 50);
	assert_string_equal(value(f, "t.highest", "M", 2023).aggregation, "ratio_of_sums");
}

static void a_unit_overrides_an_inherited_target(void **state)
{
	fixture *f = *state;
	/* P5 is 33.3% at M in 2023 against the programme's 65%: not achieved */
	mms_kpi_result r = value(f, "murom.P5", "M", 2023);
	assert_true(r.has_target && r.target == 65);
	assert_int_equal(r.status, MMS_KPI_NOT_ACHIEVED);
	assert_true(fabs(r.gap - (100.0 / 3 - 65)) < 1e-9);
	/* M sets its own 30% for 2023, inherited by S1 below it, not by R. It is met,
	 * but the line through 0%, 0%, 33.3% (2021-2023; mean 11.1% at 2022, slope
	 * 16.7 a year) reaches 61.1% in 2025, short of the programme's 80%: at risk
	 * rather than achieved */
	T_OK(f->db, mms_kpi_target_set(f->kpi, "murom.P5", t_find(f->db, MMS_UNIT, "M"), 2023, 30));
	r = value(f, "murom.P5", "M", 2023);
	assert_true(r.target == 30);
	assert_int_equal(r.status, MMS_KPI_AT_RISK);
	assert_true(r.gap > 0);
	assert_true(value(f, "murom.P5", "S1", 2023).target == 30);
	assert_true(value(f, "murom.P5", "R", 2023).target == 65);
	/* S1 sets 100% for itself only */
	T_OK(f->db, mms_kpi_target_set(f->kpi, "murom.P5", t_find(f->db, MMS_UNIT, "S1"), 2023, 100));
	assert_true(value(f, "murom.P5", "S1", 2023).target == 100);
	assert_true(value(f, "murom.P5", "M", 2023).target == 30);
	/* withdrawing M's target brings back the programme's */
	T_OK(f->db, mms_kpi_target_set(f->kpi, "murom.P5", t_find(f->db, MMS_UNIT, "M"), 2023, NAN));
	assert_true(value(f, "murom.P5", "M", 2023).target == 65);
	/* 2020 has a value (0 of 3) but the programme sets no target for it */
	r = value(f, "murom.P5", "M", 2020);
	assert_true(r.defined && r.value == 0);
	assert_int_equal(r.status, MMS_KPI_NO_TARGET);
}

static void a_slow_trend_is_at_risk(void **state)
{
	fixture *f = *state;
	T_OK(f->db, mms_kpi_load_json(f->kpi,
		"{\"indicators\": [{\"id\": \"t.events\", \"name_ru\": \"Мероприятия\", \"kind\": \"count\","
		" \"population\": \"activities\", \"filter\": \"kind = \\\"event\\\"\", \"aggregation\": \"sum\","
		" \"targets\": {\"2022\": 1, \"2023\": 2, \"2025\": 10}}]}", "test", NULL));
	/* events at M: 1 in 2021, 1 in 2022, 2 in 2023 (EV23, and EV23B at S1) */
	mms_kpi_result r = value(f, "t.events", "M", 2023);
	assert_true(r.value == 2);
	/* 2 meets 2023's 2, but the line through the years with targets, 1 and 2
	 * in 2022 and 2023 (2021 has no target), climbs 1 a year and reaches 4 in
	 * 2025, short of 10 */
	assert_int_equal(r.status, MMS_KPI_AT_RISK);
	assert_string_equal(mms_kpi_status_name(r.status), "at_risk");
	/* 2022: 1 meets 1, and 2022 is the only year with a target so far: one
	 * point is no trend, achieved */
	assert_int_equal(value(f, "t.events", "M", 2022).status, MMS_KPI_ACHIEVED);
	/* at S1 in 2023 the single event does not meet 2 */
	assert_int_equal(value(f, "t.events", "S1", 2023).status, MMS_KPI_NOT_ACHIEVED);
}

static char *codes_of(fixture *f, int entity, mms_idlist *l)
{
	static char buf[256];
	buf[0] = '\0';
	for (size_t i = 0; i < mms_idlist_count(l); i++) {
		char *c = t_get(f->db, entity, mms_idlist_get(l, i), "code");
		strcat(buf, i ? " " : "");
		strcat(buf, c);
		mms_free(c);
	}
	mms_idlist_free(l);
	return buf;
}

static void drill_down_lists_the_records_behind_a_value(void **state)
{
	fixture *f = *state;
	int32_t m = t_find(f->db, MMS_UNIT, "M"), s1 = t_find(f->db, MMS_UNIT, "S1");
	mms_idlist *l;
	T_OK(f->db, mms_kpi_records(f->kpi, "murom.pd_every_3_years", m, 2023, 1, &l));
	assert_string_equal(codes_of(f, MMS_STAFF, l), "T1 T2");
	T_OK(f->db, mms_kpi_records(f->kpi, "murom.pd_every_3_years", m, 2023, 0, &l));
	assert_string_equal(codes_of(f, MMS_STAFF, l), "M1 M2 T1 T2 T3 T4");
	T_OK(f->db, mms_kpi_records(f->kpi, "murom.pd_every_3_years", s1, 2023, 0, &l));
	assert_string_equal(codes_of(f, MMS_STAFF, l), "T1 T2");
	T_OK(f->db, mms_kpi_records(f->kpi, "murom.P5", m, 2023, 1, &l));
	assert_string_equal(codes_of(f, MMS_UNIT, l), "S1");
	T_OK(f->db, mms_kpi_records(f->kpi, "moscow.7", t_find(f->db, MMS_UNIT, "R"), 2023, 0, &l));
	assert_string_equal(codes_of(f, MMS_STAFF, l), "CN1 CN2");
	assert_int_equal(mms_kpi_records(f->kpi, "nope", m, 2023, 1, &l), MMS_ENOTFOUND);
	assert_non_null(strstr(mms_kpi_errmsg(f->kpi), "nope"));
}

static void values_follow_changes_to_the_data(void **state)
{
	fixture *f = *state;
	expect(f, "murom.P6", "M", 1, 2, 50);
	/* M2 joins the innovation project: the cached value must not be reused */
	t_import(f->db, "{\"participations\": [{\"activity\": \"INN23\", \"staff\": \"M2\", "
			"\"role\": \"participant\"}]}");
	expect(f, "murom.P6", "M", 2, 2, 100);
}

static void added_records_update_values_incrementally(void **state)
{
	fixture *f = *state;
	static const char *const ids[] = {"murom.P4", "murom.P5", "murom.P6", "murom.P7", "murom.P1",
					  "moscow.8", "krasnodar.communities", "salda.support.low_results",
					  "tyva.documents", "cnppm.events", "krasnodar.satisfaction",
					  "murom.P11", "t.gap"};
	size_t nid = sizeof ids / sizeof *ids, nunits, full0, inc0, full1, inc1;
	T_OK(f->db, mms_db_count(f->db, MMS_UNIT, &nunits));
	/* a service whose site went less than 200 days without an update: a new
	 * publication of a service nothing else touches changes it */
	static const char gap[] = "{\"indicators\": [{\"id\": \"t.gap\", \"name_ru\": \"t\","
		" \"kind\": \"count\", \"population\": \"units\", \"aggregation\": \"sum\","
		" \"filter\": \"kind = \\\"municipal_service\\\"\","
		" \"numerator\": \"longest_gap(\\\"publication\\\") < 200\"}]}";
	T_OK(f->db, mms_kpi_load_json(f->kpi, gap, "t", NULL));
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	/* statuses look back two years for the trend: have those computed too */
	for (size_t i = 0; i < nid; i++)
		for (int y = 2021; y <= 2023; y++)
			T_OK(f->db, mms_kpi_value(f->kpi, ids[i], 0, y, &r));
	mms_kpi_counters(f->kpi, &full0, &inc0);
	/* a few records: participations (two competition entries), a
	 * membership, an event, facts */
	t_import(f->db, "{\"participations\": [{\"activity\": \"INN23\", \"staff\": \"M2\", \"role\": \"participant\"},"
			"{\"activity\": \"EV23\", \"unit\": \"S1\", \"role\": \"organiser\"},"
			"{\"activity\": \"COMP23R\", \"staff\": \"T1\", \"role\": \"participant\"},"
			"{\"activity\": \"COMP23B\", \"unit\": \"S2\", \"role\": \"author\"}],"
			"\"staff_links\": [{\"kind\": \"member\", \"staff\": \"T3\", \"unit\": \"C\"}],"
			"\"activities\": [{\"code\": \"COMP23B\", \"name\": \"Конкурс\", \"kind\": \"competition\","
			" \"level\": \"municipal\", \"organizer\": \"M\", \"start\": \"2023-09-01\"},"
			"{\"code\": \"PUB23\", \"name\": \"Сайт\", \"kind\": \"publication\", \"organizer\": \"M2\","
			" \"start\": \"2023-07-01\"}],"
			"\"facts\": [{\"unit\": \"M\", \"key\": \"murom.roadmaps_done\", \"year\": 2023, \"value\": 95},"
			"{\"unit\": \"M\", \"key\": \"tyva.doc.4.1\", \"year\": 2023, \"value\": 1},"
			"{\"unit\": \"S1\", \"key\": \"salda.low_results\", \"year\": 2023, \"value\": 1}]}");
	/* every value now equals what a fresh catalogue computes in full */
	mms_kpi *fresh;
	T_OK(f->db, mms_kpi_open(&fresh, f->db));
	T_OK(f->db, mms_kpi_load_json(fresh, gap, "t", NULL));
	for (size_t i = 0; i < nid; i++)
		for (int32_t u = 0; u < (int32_t)nunits; u++) {
			mms_kpi_result a = MMS_KPI_RESULT_INIT, b = MMS_KPI_RESULT_INIT;
			T_OK(f->db, mms_kpi_value(f->kpi, ids[i], u, 2023, &a));
			T_OK(f->db, mms_kpi_value(fresh, ids[i], u, 2023, &b));
			if (a.defined != b.defined || a.numerator != b.numerator ||
			    a.denominator != b.denominator || a.units != b.units ||
			    (a.defined && a.value != b.value))
				fail_msg("%s at unit %d: incremental %g/%g, full %g/%g", ids[i], u,
					 a.numerator, a.denominator, b.numerator, b.denominator);
		}
	mms_kpi_close(fresh);
	mms_kpi_counters(f->kpi, &full1, &inc1);
	assert_int_equal(full1, full0);        /* nothing was computed afresh */
	assert_true(inc1 - inc0 >= nid);       /* each indicator brought up to date, once a year */
	assert_true(inc1 - inc0 <= 3 * nid);
	/* the changes show: M2 joins the project (P6 2/2), T3 joins C (communities 3/5) */
	expect(f, "murom.P6", "M", 2, 2, 100);
	expect(f, "krasnodar.communities", "M", 3, 5, 60);
	expect(f, "murom.P1", "M", 95, 1, 95);
	expect(f, "t.gap", "M2", 1, 1, 1); /* M2's update on 1 July: runs of 181 and 183 days */
	/* a new unit changes the tree: that needs a full computation */
	t_import(f->db, "{\"units\": [{\"code\": \"S3\", \"name\": \"Школа 3\", \"level\": \"institutional\","
			" \"kind\": \"school\", \"parent\": \"M\"}]}");
	T_OK(f->db, mms_kpi_value(f->kpi, "murom.P5", 0, 2023, &r));
	mms_kpi_counters(f->kpi, &full1, NULL);
	assert_int_equal(full1, full0 + 1);
	expect(f, "murom.P5", "M", 1, 4, 25); /* S3 joins the denominator */
	/* distinct competitions are counted afresh: T1 entered COMP23R, S2 COMP23B */
	expect(f, "murom.P8", "M", 2, 2, 2);
}

static void a_misspelt_fact_key_is_refused_where_it_stands(void **state)
{
	fixture *f = *state;
	mms_report *rep = NULL;
	/* murom.roadmap_done is no key any indicator reads: a misspelling of
	 * murom.roadmaps_done that would silently leave P1 without its figure */
	int rc = mms_db_import_json(f->db, "{\"facts\": [{\"unit\": \"M\", \"key\": \"murom.roadmaps_done\","
				    " \"year\": 2024, \"value\": 1}, {\"unit\": \"M\", \"key\": \"murom.roadmap_done\","
				    " \"year\": 2024, \"value\": 1}]}", NULL, &rep);
	assert_int_equal(rc, MMS_EREF);
	assert_int_equal(mms_report_count(rep), 1);
	assert_string_equal(mms_report_location(rep, 0), "/facts/1/key");
	assert_non_null(strstr(mms_report_message(rep, 0), "murom.roadmaps_done"));
	mms_report_free(rep);
	assert_true(isnan(value(f, "murom.P1", "M", 2024).value)); /* nothing was imported */
	/* keys of a namespace no built-in indicator uses are the user's own, and
	 * a definition declares the keys it shows beside its value ("facts") */
	t_import(f->db, "{\"facts\": [{\"unit\": \"M\", \"key\": \"yar.own\", \"year\": 2024, \"value\": 1},"
			"{\"unit\": \"M\", \"key\": \"murom.vsoko\", \"year\": 2024, \"value\": 1}]}");
	T_OK(f->db, mms_kpi_load_json(f->kpi, "{\"indicators\": [{\"id\": \"x.f\", \"name_ru\": \"x\","
				     " \"kind\": \"yes_no\", \"population\": \"units\", \"fact\": \"yar.own\","
				     " \"facts\": [\"yar.act\", \"yar.curator\"]}]}", "x", NULL));
	rc = mms_kpi_load_json(f->kpi, "{\"indicators\": [{\"id\": \"x.g\", \"name_ru\": \"x\","
			       " \"kind\": \"yes_no\", \"population\": \"units\", \"fact\": \"yar.own\","
			       " \"facts\": []}]}", "x", NULL);
	assert_int_equal(rc, MMS_ETYPE);
}

/* A definition that must be refused, with the code and the place it names. */
static void refused(fixture *f, const char *def, int code, const char *loc, const char *words)
{
	char json[2048];
	snprintf(json, sizeof json, "{\"indicators\": [%s]}", def);
	mms_report *rep = NULL;
	size_t before = mms_kpi_count(f->kpi);
	int rc = mms_kpi_load_json(f->kpi, json, "defs.json", &rep);
	if (rc != code)
		fail_msg("%s: got %d, want %d (%s)", def, rc, code, mms_kpi_errmsg(f->kpi));
	int found = 0;
	for (size_t i = 0; i < mms_report_count(rep); i++)
		found |= mms_report_code(rep, i) == code &&
			 !strcmp(mms_report_location(rep, i), loc) &&
			 strstr(mms_report_message(rep, i), words) != NULL;
	if (!found)
		fail_msg("%s: no problem at %s with \"%s\"; first: %s", def, loc, words,
			 mms_report_message(rep, 0));
	assert_int_equal(mms_kpi_count(f->kpi), before);
	mms_report_free(rep);
}

#define DEF(num) "{\"id\": \"x\", \"name_ru\": \"x\", \"kind\": \"share\", \"population\": \"staff\", \"numerator\": \"" num "\"}"

static void malformed_definitions_are_refused_with_their_position(void **state)
{
	fixture *f = *state;
	const char *at = "defs.json:/indicators/0/numerator";
	refused(f, DEF("agee < 35"), MMS_ETYPE, at, "column 1: unknown name 'agee'");
	refused(f, DEF("age < 35 and rol = \\\"teacher\\\""), MMS_ETYPE, at, "column 14: unknown name 'rol'");
	refused(f, DEF("role < 3"), MMS_ETYPE, at, "column 6: cannot compare a name with a number");
	refused(f, DEF("age / \\\"x\\\" > 1"), MMS_ETYPE, at, "column 5: '/' needs numbers on both sides, not a text");
	refused(f, DEF("role = \\\"pupil\\\""), MMS_ETYPE, at, "column 8: \"pupil\" is not a staff role");
	refused(f, DEF("age + 1"), MMS_ETYPE, at, "must be true/false, not a number");
	refused(f, DEF("age < "), MMS_EPARSE, at, "column 7: unexpected end of expression");
	refused(f, DEF("(age < 35"), MMS_EPARSE, at, "column 10: expected ')'");
	char deep[800] = "";
	for (int i = 0; i < 60; i++)
		strcat(deep, "(");
	strcat(deep, "true");
	for (int i = 0; i < 60; i++)
		strcat(deep, ")");
	char def[1024];
	snprintf(def, sizeof def, DEF("%s"), deep);
	refused(f, def, MMS_ERANGE, at, "column 49: nested more than 48 deep");
	char nots[600] = "";
	for (int i = 0; i < 100; i++)
		strcat(nots, "not ");
	snprintf(def, sizeof def, DEF("%strue"), nots);
	refused(f, def, MMS_ERANGE, at, "nested more than 48 deep");
	refused(f, DEF("part_time and 1"), MMS_ETYPE, at, "'and' needs true/false on both sides");
	refused(f, DEF("has_child(\\\"school\\\")"), MMS_ETYPE, at, "has_child() does not apply to staff");
	refused(f, DEF("participated(\\\"course\\\", colour = 1)"), MMS_ETYPE, at, "no argument 'colour'");
	refused(f, DEF("participated(\\\"lecture\\\")"), MMS_ETYPE, at, "\"lecture\" is not a activity kind");
	refused(f, "{\"id\": \"x\", \"name_ru\": \"x\", \"kind\": \"average\", \"population\": \"staff\"}",
		MMS_ETYPE, "defs.json:/indicators/0/kind", "must be one of share, count");
	refused(f, "{\"id\": \"x\", \"name_ru\": \"x\", \"kind\": \"share\", \"population\": \"staff\"}",
		MMS_EMISSING, "defs.json:/indicators/0/numerator", "is required");
	refused(f, "{\"id\": \"x\", \"name_ru\": \"x\", \"kind\": \"share\", \"population\": \"staff\","
		   " \"numerator\": \"true\", \"denominator\": \"true\"}",
		MMS_ETYPE, "defs.json:/indicators/0/denominator", "only a ratio");
	refused(f, "{\"id\": \"x\", \"name_ru\": \"x\", \"kind\": \"share\", \"population\": \"staff\","
		   " \"numerator\": \"true\", \"aggregation\": \"sum\"}",
		MMS_ETYPE, "defs.json:/indicators/0/aggregation", "sum applies to counts");
	refused(f, "{\"id\": \"x\", \"name_ru\": \"x\", \"kind\": \"share\", \"population\": \"staff\","
		   " \"numerator\": \"true\", \"targets\": {\"soon\": 5}}",
		MMS_ERANGE, "defs.json:/indicators/0/targets", "not a year");
	refused(f, DEF("true") ", " DEF("age > 1"), MMS_EDUP, "defs.json:/indicators/1/id", "defined twice");
	/* one bad definition keeps the good one beside it out too (refused() checks the count) */
	refused(f, "{\"id\": \"good\", \"name_ru\": \"g\", \"kind\": \"count\", \"population\": \"units\"}, "
		DEF("agee > 1"), MMS_ETYPE, "defs.json:/indicators/1/numerator", "unknown name 'agee'");
}

/* years= of every function that takes it: a whole number from 1 to 200, or
 * refused at the value's column; never converted to a day out of range
 * (the suite runs under UBSan). A valid window still evaluates. */
static void years_out_of_range_are_refused_at_their_column(void **state)
{
	fixture *f = *state;
	const char *at = "defs.json:/indicators/0/numerator";
	static const char *const calls[] = {"participated(\\\"course\\\", ", "diagnosed(",
					    "route_completed(", "route_course_done("};
	static const struct { const char *value; int code; const char *words; } bad[] = {
		{"1e300", MMS_ERANGE, "not 1e300"},
		{"1e999", MMS_ERANGE, "not 1e999"},
		{"201", MMS_ERANGE, "not 201"},
		{"2.5", MMS_ERANGE, "not 2.5"},
		{"0", MMS_ERANGE, "not 0"},
		{"0.0001", MMS_ERANGE, "not 0.0001"},
		{"-5", MMS_ETYPE, "years must be a whole number from 1 to 200"},
		{"\\\"3\\\"", MMS_ETYPE, "years must be a whole number"},
		{"true", MMS_ETYPE, "years must be a whole number"},
	};
	for (size_t c = 0; c < sizeof calls / sizeof *calls; c++) {
		char num[128], def[512], words[128];
		snprintf(num, sizeof num, "%syears = ", calls[c]);
		/* the value's column: the length of num after the JSON escapes are undone */
		int col = 1;
		for (const char *q = num; *q; q++)
			col += *q != '\\';
		for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
			snprintf(def, sizeof def, DEF("%s%s)"), num, bad[b].value);
			snprintf(words, sizeof words, "column %d: years must be a whole number "
				 "from 1 to 200", col);
			refused(f, def, bad[b].code, at, words);
			refused(f, def, bad[b].code, at, bad[b].words); /* and the value */
		}
		snprintf(def, sizeof def, DEF("%s%s)"), num, "200");
		char json[1024];
		snprintf(json, sizeof json, "{\"indicators\": [%s]}", def);
		T_OK(f->db, mms_kpi_load_json(f->kpi, json, "defs.json", NULL));
		mms_kpi_result r = MMS_KPI_RESULT_INIT;
		T_OK(f->db, mms_kpi_value(f->kpi, "x", 0, 2023, &r));
	}
}

static void user_definitions_replace_built_in_ones(void **state)
{
	fixture *f = *state;
	size_t n = mms_kpi_count(f->kpi);
	assert_int_equal(n, 51); /* the files of data/indicators/ */
	assert_non_null(mms_kpi_attr(f->kpi, "murom.P5", "source"));
	assert_string_equal(mms_kpi_attr(f->kpi, "murom.P5", "kind"), "share");
	T_OK(f->db, mms_kpi_load_json(f->kpi,
		"{\"indicators\": [{\"id\": \"murom.P5\", \"name_ru\": \"П5 по-новому\", \"kind\": \"share\","
		" \"population\": \"units\", \"filter\": \"kind = \\\"school\\\"\","
		" \"numerator\": \"participated(\\\"innovation_project\\\")\", \"targets\": {\"2023\": 50}}]}",
		"mine", NULL));
	assert_int_equal(mms_kpi_count(f->kpi), n);
	assert_string_equal(mms_kpi_attr(f->kpi, "murom.P5", "name_ru"), "П5 по-новому");
	/* schools only now: S1 of S1, S2 */
	mms_kpi_result r = value(f, "murom.P5", "M", 2023);
	assert_true(r.value == 50 && r.target == 50 && r.status == MMS_KPI_ACHIEVED);
	/* ids are listed sorted */
	for (size_t i = 1; i < mms_kpi_count(f->kpi); i++)
		assert_true(strcmp(mms_kpi_id(f->kpi, i - 1), mms_kpi_id(f->kpi, i)) < 0);
}

static void academic_years_run_from_september(void **state)
{
	fixture *f = *state;
	T_OK(f->db, mms_kpi_load_json(f->kpi,
		"{\"indicators\": [{\"id\": \"t.mentees\", \"name_ru\": \"Наставляемые\", \"kind\": \"count\","
		" \"population\": \"participations\", \"filter\": \"role = \\\"mentee\\\"\", \"period\": \"academic\"}]}",
		"test", NULL));
	/* MENT23 runs 2023-09-01 .. 2024-06-30: in academic year 2023/24, not 2022/23 */
	assert_true(value(f, "t.mentees", "M", 2023).value == 1);
	assert_true(value(f, "t.mentees", "M", 2022).value == 0);
	assert_string_equal(mms_kpi_attr(f->kpi, "t.mentees", "period"), "academic");
}

/* A unit's participation has no staff, so staff.part_time is missing there:
   false under and, or and not alike, as every comparison with it is. */
static void a_missing_value_is_false_wherever_a_truth_is_asked(void **state)
{
	fixture *f = *state;
	T_OK(f->db, mms_kpi_load_json(f->kpi,
		"{\"indicators\": ["
		"{\"id\": \"t.or\", \"name_ru\": \"или\", \"kind\": \"count\", \"population\": \"participations\","
		" \"filter\": \"role = \\\"speaker\\\" and (staff.part_time or false)\"},"
		"{\"id\": \"t.not\", \"name_ru\": \"не\", \"kind\": \"count\", \"population\": \"participations\","
		" \"filter\": \"role = \\\"speaker\\\" and not staff.part_time\"}]}",
		"test", NULL));
	/* S2 spoke at BR23 as a unit: not part-time, so "or" is false, "not" true */
	assert_true(value(f, "t.or", "M", 2023).value == 0);
	assert_true(value(f, "t.not", "M", 2023).value == 1);
}

/* One call for every unit gives, for every built-in indicator, the numbers
   of a call per unit; ids past the last unit are NaN. */
static void values_at_every_unit_equal_the_values_one_by_one(void **state)
{
	fixture *f = *state;
	size_t units, checked = 0;
	T_OK(f->db, mms_db_count(f->db, MMS_UNIT, &units));
	double v[64], num[64], den[64];
	assert_true(units + 2 <= 64);
	for (size_t i = 0; i < mms_kpi_count(f->kpi); i++) {
		const char *id = mms_kpi_id(f->kpi, i);
		T_OK(f->db, mms_kpi_values(f->kpi, id, 2023, units + 2, v, num, den));
		for (size_t u = 0; u < units; u++) {
			mms_kpi_result r = MMS_KPI_RESULT_INIT;
			T_OK(f->db, mms_kpi_value(f->kpi, id, (int32_t)u, 2023, &r));
			assert_int_equal(r.defined, !isnan(v[u]));
			if (r.defined)
				assert_true(v[u] == r.value);
			assert_true(num[u] == r.numerator && den[u] == r.denominator);
			checked += r.defined;
		}
		assert_true(isnan(v[units]) && isnan(num[units + 1]) && isnan(den[units]));
	}
	assert_true(checked > 100);
	T_OK(f->db, mms_kpi_values(f->kpi, "murom.P5", 2023, units, NULL, NULL, den));
	assert_int_equal(mms_kpi_values(f->kpi, "no.such", 2023, units, v, NULL, NULL), MMS_ENOTFOUND);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(murom_indicators_match_hand_counts),
		T(moscow_and_krasnodar_indicators_match_hand_counts),
		T(indicators_on_recorded_facts_match_hand_counts),
		T(cnppm_and_salda_indicators_match_hand_counts),
		T(network_groups_count_their_members),
		T(added_records_update_values_incrementally),
		T(a_zero_denominator_is_undefined_not_zero),
		T(ratio_of_sums_and_mean_of_ratios_differ),
		T(a_unit_overrides_an_inherited_target),
		T(a_slow_trend_is_at_risk),
		T(drill_down_lists_the_records_behind_a_value),
		T(values_follow_changes_to_the_data),
		T(malformed_definitions_are_refused_with_their_position),
		T(years_out_of_range_are_refused_at_their_column),
		T(user_definitions_replace_built_in_ones),
		T(a_misspelt_fact_key_is_refused_where_it_stands),
		T(academic_years_run_from_september),
		T(a_missing_value_is_false_wherever_a_truth_is_asked),
		T(values_at_every_unit_equal_the_values_one_by_one),
	};
	return cmocka_run_group_tests_name("kpi", tests, NULL, NULL);
}
