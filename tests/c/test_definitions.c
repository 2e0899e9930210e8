/*
 * The built-in definitions read as the documents say (issue 13, "Definitions
 * that contradict the documents"). Each test draws a small network of its
 * own, quotes the seed's words it checks, and counts the expected value by
 * hand in the comments. Every network starts from the same units:
 *
 *  R   institute (regional)
 *  ├─ CN  cnppm (regional)
 *  │  └─ MA  methodical active (regional)
 *  └─ M   municipal service (municipal)
 *     ├─ G   municipal association (municipal): one of the service's structures
 *     ├─ S1  school
 *     ├─ S2  school
 *     │  └─ RC  resource centre (a network role of S2)
 *     └─ K   preschool
 *
 * JSON is written with ' for " to stay readable; q() turns it back.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static const char units[] =
	"{'units': ["
	"{'code': 'R', 'name': 'ИРО', 'level': 'regional', 'kind': 'institute'},"
	"{'code': 'CN', 'name': 'ЦНППМ', 'level': 'regional', 'kind': 'cnppm', 'parent': 'R'},"
	"{'code': 'MA', 'name': 'Методический актив', 'level': 'regional', 'kind': 'methodical_active', 'parent': 'CN'},"
	"{'code': 'M', 'name': 'ИМЦ', 'level': 'municipal', 'kind': 'municipal_service', 'parent': 'R'},"
	"{'code': 'G', 'name': 'ГМО', 'level': 'municipal', 'kind': 'municipal_association', 'parent': 'M'},"
	"{'code': 'S1', 'name': 'Школа 1', 'level': 'institutional', 'kind': 'school', 'parent': 'M'},"
	"{'code': 'S2', 'name': 'Школа 2', 'level': 'institutional', 'kind': 'school', 'parent': 'M'},"
	"{'code': 'RC', 'name': 'Ресурсный центр', 'level': 'institutional', 'kind': 'resource_centre', 'parent': 'S2'},"
	"{'code': 'K', 'name': 'Детский сад', 'level': 'institutional', 'kind': 'preschool', 'parent': 'M'}]}";

/* Imports a document written with ' for ". */
static void q_import(mms_db *db, const char *text)
{
	char *json = strdup(text);
	assert_non_null(json);
	for (char *p = json; *p; p++)
		if (*p == '\'')
			*p = '"';
	t_import(db, json);
	free(json);
}

static int setup(void **state)
{
	mms_db *db = t_open(":memory:");
	q_import(db, units);
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	mms_db_close(*state);
	return 0;
}

/* The value of a built-in indicator, from a catalogue opened for the call. */
static mms_kpi_result value(mms_db *db, const char *id, const char *unit, int year)
{
	mms_kpi *kpi;
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	T_OK(db, mms_kpi_open(&kpi, db));
	if (mms_kpi_value(kpi, id, t_find(db, MMS_UNIT, unit), year, &r) != MMS_OK)
		fail_msg("%s: %s", id, mms_kpi_errmsg(kpi));
	mms_kpi_close(kpi);
	return r;
}

/* num/den, and the value: a share in percent, a ratio, or a count (num). */
static void expect(mms_db *db, const char *id, const char *unit, int year, double num,
		   double den, double want)
{
	mms_kpi_result r = value(db, id, unit, year);
	if (!r.defined || r.numerator != num || r.denominator != den || fabs(r.value - want) > 1e-9)
		fail_msg("%s at %s in %d: got %g (%g/%g), want %g (%g/%g)", id, unit, year, r.value,
			 r.numerator, r.denominator, want, num, den);
}

/* Seed 000: «всем педагогическим работникам необходимо повышать уровень
 * квалификации посредством прохождения курсовой подготовки не реже 1 раза
 * в 3 года» — every pedagogical worker, methodists included; managers are
 * not pedagogical workers. */
static void pd_every_three_years_counts_every_pedagogical_worker(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'staff': ["
		"{'code': 'TA', 'name': 'TA', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'TB', 'name': 'TB', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'MA1', 'name': 'MA1', 'org': 'M', 'role': 'methodist'},"
		"{'code': 'MB1', 'name': 'MB1', 'org': 'M', 'role': 'methodist'},"
		"{'code': 'DA', 'name': 'DA', 'org': 'S1', 'role': 'manager'}],"
		"'activities': ["
		"{'code': 'C19', 'name': 'Курс', 'kind': 'course', 'hours': 36, 'start': '2019-03-01', 'end': '2019-04-01'},"
		"{'code': 'C21', 'name': 'Курс', 'kind': 'course', 'hours': 36, 'start': '2021-03-01', 'end': '2021-04-01'},"
		"{'code': 'C22', 'name': 'Курс', 'kind': 'course', 'hours': 36, 'start': '2022-03-01', 'end': '2022-04-01'},"
		"{'code': 'C23', 'name': 'Курс', 'kind': 'course', 'hours': 36, 'start': '2023-03-01', 'end': '2023-04-01'}],"
		"'participations': ["
		"{'activity': 'C22', 'staff': 'TA', 'role': 'participant', 'completed': true},"
		"{'activity': 'C21', 'staff': 'MA1', 'role': 'participant', 'completed': true},"
		"{'activity': 'C19', 'staff': 'MB1', 'role': 'participant', 'completed': true},"
		"{'activity': 'C23', 'staff': 'DA', 'role': 'participant', 'completed': true}]}");
	/* 2023, three years back to 2021-01-01: TA (2022) and MA1 (2021) of
	 * TA, TB, MA1, MB1 (MB1's course of 2019 is too old); DA is a manager,
	 * outside the population: 2/4 (teachers only, it would be 1/2) */
	expect(db, "murom.pd_every_3_years", "M", 2023, 2, 4, 100.0 * 2 / 4);
	expect(db, "murom.pd_every_3_years", "S1", 2023, 1, 2, 100.0 * 1 / 2);
}

/* Seed 000, К1 П4: «Доля ОО, участвующих в проектах, мероприятиях ИМЦ» — the
 * centre's own events and projects: organised by the service or by one of
 * its structures (G), not by a school or by the regional centre. */
static void murom_p4_counts_only_the_centres_own_events(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'staff': ["
		"{'code': 'T1', 'name': 'T1', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'TK', 'name': 'TK', 'org': 'K', 'role': 'teacher'}],"
		"'activities': ["
		"{'code': 'EVS', 'name': 'Семинар школы', 'kind': 'event', 'organizer': 'S1', 'start': '2023-03-01'},"
		"{'code': 'EVC', 'name': 'Семинар ЦНППМ', 'kind': 'event', 'organizer': 'CN', 'start': '2023-04-01'},"
		"{'code': 'EVG', 'name': 'Заседание ГМО', 'kind': 'event', 'organizer': 'G', 'start': '2023-05-01'},"
		"{'code': 'PRJ', 'name': 'Проект ИМЦ', 'kind': 'municipal_project', 'organizer': 'M', 'start': '2023-02-01', 'end': '2023-11-30'}],"
		"'participations': ["
		"{'activity': 'EVS', 'staff': 'T1', 'role': 'participant'},"
		"{'activity': 'EVC', 'staff': 'T1', 'role': 'participant'},"
		"{'activity': 'EVG', 'unit': 'S2', 'role': 'participant'},"
		"{'activity': 'PRJ', 'staff': 'TK', 'role': 'participant'}]}");
	/* S1 only at its own seminar and the regional centre's; S2 at the
	 * association's meeting; K in the centre's project: 2/3 (S1 counted by
	 * any event, it would be 3/3) */
	expect(db, "murom.P4", "M", 2023, 2, 3, 100.0 * 2 / 3);
}

/* Seed 000, К4 П8: «Подготовлены материалы для участия в конкурсах разного
 * уровня (ежегодно не менее 4 конкурсов)» — entries of the territory's staff
 * and organisations in competitions of any level, not competitions
 * organised in the territory. */
static void murom_p8_counts_entries_in_competitions_of_any_level(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'staff': ["
		"{'code': 'T1', 'name': 'T1', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'T2', 'name': 'T2', 'org': 'S1', 'role': 'teacher'}],"
		"'activities': ["
		"{'code': 'CM', 'name': 'Муниципальный конкурс', 'kind': 'competition', 'level': 'municipal', 'organizer': 'M', 'start': '2023-02-01'},"
		"{'code': 'CX', 'name': 'Конкурс без участников', 'kind': 'competition', 'level': 'municipal', 'organizer': 'M', 'start': '2023-03-01'},"
		"{'code': 'CR', 'name': 'Региональный конкурс', 'kind': 'competition', 'level': 'regional', 'organizer': 'CN', 'start': '2023-04-01'},"
		"{'code': 'CF', 'name': 'Федеральный конкурс', 'kind': 'competition', 'level': 'federal', 'start': '2023-05-01'},"
		"{'code': 'CR22', 'name': 'Региональный конкурс', 'kind': 'competition', 'level': 'regional', 'organizer': 'CN', 'start': '2022-04-01'}],"
		"'participations': ["
		"{'activity': 'CM', 'unit': 'M', 'role': 'organiser'},"
		"{'activity': 'CM', 'staff': 'T2', 'role': 'participant'},"
		"{'activity': 'CR', 'staff': 'T1', 'role': 'participant', 'result': 'winner'},"
		"{'activity': 'CF', 'unit': 'S2', 'role': 'author'},"
		"{'activity': 'CR22', 'staff': 'T1', 'role': 'participant'}]}");
	/* 2023: T2 in CM, T1 in CR, S2 in CF = 3 entries (organising CM is not
	 * an entry, CX had none, CR22 was in 2022); organised in M's subtree
	 * there were 2 (CM, CX), the old count */
	expect(db, "murom.P8", "M", 2023, 3, 3, 3);
	expect(db, "murom.P8", "S1", 2023, 2, 2, 2);
	/* 3 is short of «не менее 4» */
	assert_int_equal(value(db, "murom.P8", "M", 2023).status, MMS_KPI_NOT_ACHIEVED);
}

/* Seed 001, показатель 7: «Количество педагогических работников,
 * закрепленных за 1 региональным методистом» — regional methodists: the
 * centre's and the methodical active's methodists and the active's
 * members; a municipal methodist is not one. */
static void moscow_7_counts_teachers_per_regional_methodist(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'staff': ["
		"{'code': 'T1', 'name': 'T1', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'T2', 'name': 'T2', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'T3', 'name': 'T3', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'T4', 'name': 'T4', 'org': 'S2', 'role': 'teacher'},"
		"{'code': 'T5', 'name': 'T5', 'org': 'S2', 'role': 'teacher'},"
		"{'code': 'T6', 'name': 'T6', 'org': 'K', 'role': 'teacher'},"
		"{'code': 'CN1', 'name': 'CN1', 'org': 'CN', 'role': 'methodist'},"
		"{'code': 'AM1', 'name': 'AM1', 'org': 'MA', 'role': 'methodist'},"
		"{'code': 'MM1', 'name': 'MM1', 'org': 'M', 'role': 'methodist'},"
		"{'code': 'MM2', 'name': 'MM2', 'org': 'M', 'role': 'methodist'}],"
		"'staff_links': [{'kind': 'member', 'staff': 'T6', 'unit': 'MA', 'start': '2022-09-01'}]}");
	/* teachers T1..T6 = 6 per regional methodists CN1, AM1 and T6 (a
	 * teacher in the methodical active) = 3: 2 at R (per methodist of any
	 * level, CN1, AM1, MM1, MM2: 6 / 4) */
	expect(db, "moscow.7", "R", 2023, 6, 3, 2);
	/* the indicator is the region's: below it the ratio counts the regional
	 * methodists working there (T6 at K for M's six teachers), and where
	 * none works (S1) there is no value */
	expect(db, "moscow.7", "M", 2023, 6, 1, 6);
	assert_false(value(db, "moscow.7", "S1", 2023).defined);
}

/* Seed 001, показатель 8: «Доля педагогических работников в возрасте до 35
 * лет, участвующих в различных формах поддержки и сопровождения в первые
 * три года работы» — mentoring, an association or community, or a
 * methodist's individual support (supports), at any time in the year. */
static void moscow_8_counts_every_form_of_support_during_the_year(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'staff': ["
		"{'code': 'Y1', 'name': 'Y1', 'org': 'S1', 'role': 'teacher', 'birth_date': '1998-01-01', 'work_start': '2022-09-01'},"
		"{'code': 'Y2', 'name': 'Y2', 'org': 'S1', 'role': 'teacher', 'birth_date': '1998-01-01', 'work_start': '2022-09-01'},"
		"{'code': 'Y3', 'name': 'Y3', 'org': 'S2', 'role': 'teacher', 'birth_date': '1998-01-01', 'work_start': '2022-09-01'},"
		"{'code': 'Y4', 'name': 'Y4', 'org': 'S2', 'role': 'teacher', 'birth_date': '1998-01-01', 'work_start': '2022-09-01'},"
		"{'code': 'Y5', 'name': 'Y5', 'org': 'K', 'role': 'teacher', 'birth_date': '1998-01-01', 'work_start': '2021-09-01'},"
		"{'code': 'Y6', 'name': 'Y6', 'org': 'K', 'role': 'teacher', 'birth_date': '1999-01-01', 'work_start': '2024-02-01'},"
		"{'code': 'OLD', 'name': 'OLD', 'org': 'K', 'role': 'teacher', 'birth_date': '1980-01-01', 'work_start': '2003-09-01'},"
		"{'code': 'MM1', 'name': 'MM1', 'org': 'M', 'role': 'methodist'}],"
		"'staff_links': ["
		"{'kind': 'member', 'staff': 'Y2', 'unit': 'G', 'start': '2023-01-01', 'end': '2023-05-31'},"
		"{'kind': 'supports', 'staff': 'MM1', 'target_staff': 'Y3', 'start': '2023-02-01', 'end': '2023-04-30'},"
		"{'kind': 'supports', 'staff': 'MM1', 'target_staff': 'Y5', 'start': '2022-02-01', 'end': '2022-12-31'},"
		"{'kind': 'supports', 'staff': 'MM1', 'target_staff': 'Y6'},"
		"{'kind': 'supports', 'staff': 'MM1', 'target_staff': 'OLD'}],"
		"'activities': [{'code': 'MEN', 'name': 'Наставничество', 'kind': 'mentoring', 'start': '2023-09-01', 'end': '2024-06-30'}],"
		"'participations': [{'activity': 'MEN', 'staff': 'Y1', 'role': 'mentee'}]}");
	/* young at 2023-12-31: Y1..Y5 (Y6 starts in 2024, OLD has 20 years);
	 * Y1 a mentee, Y2 in G until May, Y3 supported by MM1 in spring; Y4
	 * nothing, Y5 supported only in 2022: 3/5 (at the end only, 1/5) */
	expect(db, "moscow.8", "M", 2023, 3, 5, 100.0 * 3 / 5);
	/* a methodist takes Y4 on: the catalogue brings the value up to date */
	mms_kpi *kpi;
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	T_OK(db, mms_kpi_open(&kpi, db));
	T_OK(db, mms_kpi_value(kpi, "moscow.8", t_find(db, MMS_UNIT, "M"), 2023, &r));
	q_import(db, "{'staff_links': [{'kind': 'supports', 'staff': 'MM1', 'target_staff': 'Y4', 'start': '2023-10-01'}]}");
	T_OK(db, mms_kpi_value(kpi, "moscow.8", t_find(db, MMS_UNIT, "M"), 2023, &r));
	assert_true(r.numerator == 4 && r.denominator == 5);
	size_t full, inc;
	mms_kpi_counters(kpi, &full, &inc);
	assert_int_equal(full, 1);
	assert_int_equal(inc, 1);
	mms_kpi_close(kpi);
}

/* Seed 001, показатель 10: «Доля школ, управленческие команды которых
 * вовлечены в систему менторства (стажировочных и др. площадок)» — a site
 * itself, a partnership with one during the year, or its managers in
 * internships or mentoring; a subject teacher's internship is not enough. */
static void moscow_10_counts_management_teams_not_teachers(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'units': ["
		"{'code': 'S3', 'name': 'Школа 3', 'level': 'institutional', 'kind': 'school', 'parent': 'M'},"
		"{'code': 'S4', 'name': 'Школа 4', 'level': 'institutional', 'kind': 'school', 'parent': 'M'},"
		"{'code': 'S5', 'name': 'Школа 5', 'level': 'institutional', 'kind': 'school', 'parent': 'M'},"
		"{'code': 'IS', 'name': 'Стажировочная площадка', 'level': 'institutional', 'kind': 'internship_site', 'parent': 'K'}],"
		"'links': [{'kind': 'internship_partnership', 'from': 'S3', 'to': 'IS', 'start': '2023-02-01', 'end': '2023-06-30'}],"
		"'staff': ["
		"{'code': 'T1', 'name': 'T1', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'D4', 'name': 'D4', 'org': 'S4', 'role': 'manager'},"
		"{'code': 'D5', 'name': 'D5', 'org': 'S5', 'role': 'manager'}],"
		"'activities': ["
		"{'code': 'INT', 'name': 'Стажировка', 'kind': 'internship', 'start': '2023-06-01', 'end': '2023-06-10'},"
		"{'code': 'INT22', 'name': 'Стажировка', 'kind': 'internship', 'start': '2022-06-01', 'end': '2022-06-10'},"
		"{'code': 'MEN', 'name': 'Наставничество руководителей', 'kind': 'mentoring', 'start': '2023-09-01'}],"
		"'participations': ["
		"{'activity': 'INT', 'staff': 'T1', 'role': 'participant'},"
		"{'activity': 'MEN', 'staff': 'D4', 'role': 'mentee'},"
		"{'activity': 'INT22', 'staff': 'D5', 'role': 'participant'}]}");
	/* S1: only its teacher T1's internship; S2: holds the resource centre
	 * RC; S3: partnership with IS in spring; S4: manager D4 is mentored;
	 * S5: manager D5's internship was in 2022: 3/5 (S1 would have counted) */
	expect(db, "moscow.10", "M", 2023, 3, 5, 100.0 * 3 / 5);
}

/* Seed 001, показатель 1: «Разработка нормативных и распорядительных
 * документов - ежегодно, начиная с 2021 года». */
static void moscow_1_has_a_target_every_year_from_2021(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'facts': [{'unit': 'M', 'key': 'moscow.measures', 'year': 2021, 'value': 1}]}");
	mms_kpi_result r = value(db, "moscow.1", "M", 2021);
	assert_true(r.defined && r.value == 100);
	assert_true(r.has_target && r.target == 100);
	assert_int_equal(r.status, MMS_KPI_ACHIEVED);
	/* and moscow.2, «ежегодно, начиная с 2022 года», has none in 2021 */
	q_import(db, "{'facts': [{'unit': 'M', 'key': 'moscow.monitoring', 'year': 2021, 'value': 1}]}");
	assert_int_equal(value(db, "moscow.2", "M", 2021).status, MMS_KPI_NO_TARGET);
}

/* Seed 002: «создать условия для непрерывного повышения квалификации
 * специалистов, методистов и руководителей территориальных методических
 * служб, внедрены формы неформального и информального образования» —
 * courses, internships, methodical days and seminars, network communities. */
static void krasnodar_continuous_pd_includes_non_formal_forms(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'staff': ["
		"{'code': 'MA1', 'name': 'MA1', 'org': 'M', 'role': 'methodist'},"
		"{'code': 'MB1', 'name': 'MB1', 'org': 'M', 'role': 'methodist'},"
		"{'code': 'MC1', 'name': 'MC1', 'org': 'M', 'role': 'methodist'},"
		"{'code': 'MD1', 'name': 'MD1', 'org': 'M', 'role': 'manager'},"
		"{'code': 'ME1', 'name': 'ME1', 'org': 'M', 'role': 'methodist'}],"
		"'activities': ["
		"{'code': 'INT', 'name': 'Стажировка в ИРО', 'kind': 'internship', 'provider': 'R', 'start': '2021-03-01', 'end': '2021-03-05'},"
		"{'code': 'CRS', 'name': 'Курсы', 'kind': 'course', 'hours': 36, 'provider': 'R', 'start': '2021-04-01', 'end': '2021-04-20'},"
		"{'code': 'DAY', 'name': 'Методический день ТМС', 'kind': 'event', 'start': '2021-10-01'},"
		"{'code': 'NET', 'name': 'Сетевое сообщество ТМС', 'kind': 'community', 'start': '2021-01-01', 'end': '2021-12-31'},"
		"{'code': 'CRS20', 'name': 'Курсы', 'kind': 'course', 'hours': 36, 'start': '2020-04-01'}],"
		"'participations': ["
		"{'activity': 'INT', 'staff': 'MA1', 'role': 'participant'},"
		"{'activity': 'CRS', 'staff': 'MB1', 'role': 'participant'},"
		"{'activity': 'DAY', 'staff': 'MC1', 'role': 'speaker'},"
		"{'activity': 'NET', 'staff': 'MD1', 'role': 'participant'},"
		"{'activity': 'CRS20', 'staff': 'ME1', 'role': 'participant'}]}");
	/* the service's five: internship, course, methodical day, community;
	 * ME1's course was in 2020: 4/5 (courses only, 1/5) */
	expect(db, "krasnodar.tms_pd", "M", 2021, 4, 5, 100.0 * 4 / 5);
}

/* Seed 002: «доля руководящих и педагогических работников ..., участвующих
 * в деятельности профессиональных сетевых сообществ и ресурсных центров» —
 * communities and associations during the year, and the resource centres'
 * events and projects. */
static void krasnodar_communities_include_resource_centres(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'staff': ["
		"{'code': 'TA', 'name': 'TA', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'TB', 'name': 'TB', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'TC', 'name': 'TC', 'org': 'S2', 'role': 'teacher'},"
		"{'code': 'DA', 'name': 'DA', 'org': 'S2', 'role': 'manager'},"
		"{'code': 'TD', 'name': 'TD', 'org': 'K', 'role': 'teacher'}],"
		"'staff_links': [{'kind': 'member', 'staff': 'TA', 'unit': 'G', 'end': '2021-03-31'}],"
		"'activities': ["
		"{'code': 'RCE', 'name': 'Открытое мероприятие ресурсного центра', 'kind': 'event', 'organizer': 'RC', 'start': '2021-11-01'},"
		"{'code': 'S2E', 'name': 'Семинар школы', 'kind': 'event', 'organizer': 'S2', 'start': '2021-11-02'},"
		"{'code': 'RCP', 'name': 'Проект ресурсного центра', 'kind': 'innovation_project', 'level': 'regional', 'organizer': 'RC', 'start': '2021-02-01', 'end': '2021-12-31'}],"
		"'participations': ["
		"{'activity': 'RCE', 'staff': 'TB', 'role': 'participant'},"
		"{'activity': 'S2E', 'staff': 'TC', 'role': 'participant'},"
		"{'activity': 'RCP', 'staff': 'DA', 'role': 'participant'}]}");
	/* TA in G until March, TB at the resource centre's event, DA in its
	 * project; TC only at the school's own seminar, TD nothing: 3/5
	 * (memberships at the end only, 0/5) */
	expect(db, "krasnodar.communities", "M", 2021, 3, 5, 100.0 * 3 / 5);
}

/* Seed 001, показатель 3: «Не менее 60% участников оценки показали высокий,
 * повышенный, базовый уровень» — of that year's participants, by that
 * year's results. */
static void moscow_3_level_judges_the_years_participants_by_the_years_results(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'competencies': ["
		"{'code': 'C1', 'name': 'Предметная', 'framework': 'f', 'kind': 'competency'},"
		"{'code': 'C2', 'name': 'Методическая', 'framework': 'f', 'kind': 'competency'}],"
		"'staff': ["
		"{'code': 'A', 'name': 'A', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'B', 'name': 'B', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'C', 'name': 'C', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'D', 'name': 'D', 'org': 'S1', 'role': 'manager'}],"
		"'diagnostics': ["
		"{'staff': 'A', 'competency': 'C1', 'date': '2024-03-01', 'score': 80},"
		"{'staff': 'A', 'competency': 'C2', 'date': '2024-03-01', 'score': 70},"
		"{'staff': 'B', 'competency': 'C1', 'date': '2024-03-01', 'score': 50},"
		"{'staff': 'B', 'competency': 'C2', 'date': '2022-03-01', 'score': 90},"
		"{'staff': 'C', 'competency': 'C1', 'date': '2022-03-01', 'score': 90},"
		"{'staff': 'D', 'competency': 'C1', 'date': '2024-04-01', 'level': 'basic'}]}");
	/* 2024's participants A, B, D (C was assessed in 2022 only); A's mean
	 * 75, B's 50 this year (with 2022's 90 it would be 70), D basic (70):
	 * 2/3 (over three years with the latest results, 4/4) */
	expect(db, "moscow.3_level", "S1", 2024, 2, 3, 100.0 * 2 / 3);
}

/* Issue 13, period rules: «staff hired after 31 December are not on staff
 * for Y» — the boundary is the period's last day. */
static void staff_starting_after_the_period_are_not_on_its_staff(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'staff': ["
		"{'code': 'H1', 'name': 'H1', 'org': 'S1', 'role': 'teacher', 'work_start': '2023-12-31'},"
		"{'code': 'H2', 'name': 'H2', 'org': 'S1', 'role': 'teacher', 'work_start': '2024-01-01'},"
		"{'code': 'H3', 'name': 'H3', 'org': 'S1', 'role': 'teacher', 'work_start': '2010-09-01'}]}");
	/* 2023: H1 (started on its last day) and H3; H2 starts the next day */
	expect(db, "murom.pd_every_3_years", "S1", 2023, 0, 2, 100.0 * 0 / 2);
	expect(db, "murom.pd_every_3_years", "S1", 2024, 0, 3, 100.0 * 0 / 3);
	mms_kpi *kpi;
	mms_idlist *l;
	T_OK(db, mms_kpi_open(&kpi, db));
	T_OK(db, mms_kpi_records(kpi, "murom.pd_every_3_years", t_find(db, MMS_UNIT, "S1"), 2023, 0, &l));
	assert_int_equal(mms_idlist_count(l), 2);
	assert_int_equal(mms_idlist_get(l, 0), t_find(db, MMS_STAFF, "H1"));
	assert_int_equal(mms_idlist_get(l, 1), t_find(db, MMS_STAFF, "H3"));
	mms_idlist_free(l);
	/* an academic year ends on 31 August: H1 and H2 (from January) are on
	 * the staff of 2023/24 */
	T_OK(db, mms_kpi_load_json(kpi, "{\"indicators\": [{\"id\": \"t.staff\", \"name_ru\": \"Штат\","
		" \"kind\": \"count\", \"population\": \"staff\", \"period\": \"academic\"}]}", "t", NULL));
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	T_OK(db, mms_kpi_value(kpi, "t.staff", t_find(db, MMS_UNIT, "S1"), 2022, &r));
	assert_true(r.value == 1); /* 2022/23 ends 2023-08-31: H3 only */
	T_OK(db, mms_kpi_value(kpi, "t.staff", t_find(db, MMS_UNIT, "S1"), 2023, &r));
	assert_true(r.value == 3);
	mms_kpi_close(kpi);
}

/* Issue 13, period rules: «share of teachers for whom an individual route
 * was developed counts routes developed in the year, not every route ever
 * built» (МР-4/02вн: «доля педагогических работников, для которых
 * разработаны индивидуальные образовательные маршруты», a yearly minimum).
 * A route is developed on its start, else on its first status. */
static void cnppm_routes_count_routes_developed_in_the_year(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'staff': ["
		"{'code': 'MC', 'name': 'MC', 'org': 'CN', 'role': 'methodist'},"
		"{'code': 'A', 'name': 'A', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'B', 'name': 'B', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'C', 'name': 'C', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'D', 'name': 'D', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'E', 'name': 'E', 'org': 'S1', 'role': 'teacher'}],"
		"'routes': ["
		"{'code': 'RA', 'staff': 'A', 'tutor': 'MC', 'start': '2022-05-01'},"
		"{'code': 'RB', 'staff': 'B', 'tutor': 'MC', 'start': '2023-01-01'},"
		"{'code': 'RC', 'staff': 'C', 'tutor': 'MC'},"
		"{'code': 'RD', 'staff': 'D', 'tutor': 'MC'},"
		"{'code': 'RE', 'staff': 'E', 'tutor': 'MC'}],"
		"'route_events': ["
		"{'route': 'RC', 'status': 'approved', 'date': '2023-12-31'},"
		"{'route': 'RD', 'status': 'approved', 'date': '2024-01-01'}]}");
	/* 2023 at S1: B (started on 1 January) and C (approved on 31 December)
	 * of A..E; A's route is of 2022, D's of 2024, E's is undated: 2/5 (every
	 * route by the end, A, B, C and E, it would be 4/5) */
	expect(db, "cnppm.routes", "S1", 2023, 2, 5, 100.0 * 2 / 5);
	/* 2022: A only; 2024: D only */
	expect(db, "cnppm.routes", "S1", 2022, 1, 5, 100.0 * 1 / 5);
	expect(db, "cnppm.routes", "S1", 2024, 1, 5, 100.0 * 1 / 5);
}

/* Issue 13, period rules: «where a document counts workers ("доля
 * работников, удовлетворённых…"), a person who answered twice counts once
 * (the latest answer); answers of external part-timers count». Seed 000 К3
 * П7: «Степень удовлетворённости педагогических работников…» (70 of 100). */
static void satisfaction_counts_people_by_their_latest_answer(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'staff': ["
		"{'code': 'A', 'name': 'A', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'B', 'name': 'B', 'org': 'S1', 'role': 'teacher', 'part_time': true},"
		"{'code': 'C', 'name': 'C', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'D', 'name': 'D', 'org': 'S1', 'role': 'teacher'}],"
		"'activities': ["
		"{'code': 'SV1', 'name': 'Анкета', 'kind': 'survey', 'organizer': 'M', 'start': '2023-03-01'},"
		"{'code': 'SV2', 'name': 'Анкета', 'kind': 'survey', 'organizer': 'M', 'start': '2023-11-01'},"
		"{'code': 'SV3', 'name': 'Анкета', 'kind': 'survey', 'organizer': 'M', 'start': '2024-02-01'}],"
		"'participations': ["
		"{'activity': 'SV1', 'staff': 'A', 'role': 'respondent', 'score': 90},"
		"{'activity': 'SV2', 'staff': 'A', 'role': 'respondent', 'score': 50},"
		"{'activity': 'SV1', 'staff': 'B', 'role': 'respondent', 'score': 80},"
		"{'activity': 'SV2', 'staff': 'C', 'role': 'respondent', 'score': 40},"
		"{'activity': 'SV2', 'staff': 'C', 'role': 'respondent', 'score': 75},"
		"{'activity': 'SV1', 'staff': 'D', 'role': 'respondent', 'score': 30},"
		"{'activity': 'SV3', 'staff': 'D', 'role': 'respondent', 'score': 95}]}");
	/* 2023: A's latest is 50 (November), B the part-timer 80, C's two
	 * answers of the same day the later recorded 75, D's of the year 30
	 * (the 95 is of 2024): B and C of A, B, C, D, 2/4 (counting answers
	 * without part-timers, 90, 75 of 90, 50, 40, 75, 30: 2/5) */
	expect(db, "murom.P7", "S1", 2023, 2, 4, 100.0 * 2 / 4);
	expect(db, "murom.P7", "S1", 2024, 1, 1, 100.0);
	/* an answer added later supersedes B's on a computed value (the
	 * incremental update classifies B's earlier answer again) */
	mms_kpi *kpi;
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	T_OK(db, mms_kpi_open(&kpi, db));
	T_OK(db, mms_kpi_value(kpi, "murom.P7", t_find(db, MMS_UNIT, "S1"), 2023, &r));
	q_import(db, "{'participations': ["
		"{'activity': 'SV2', 'staff': 'B', 'role': 'respondent', 'score': 10}]}");
	T_OK(db, mms_kpi_value(kpi, "murom.P7", t_find(db, MMS_UNIT, "S1"), 2023, &r));
	size_t full, incremental;
	mms_kpi_counters(kpi, &full, &incremental);
	assert_int_equal(incremental, 1);
	assert_true(r.numerator == 1 && r.denominator == 4);
	/* the threshold is the definition's parameter, not the engine's: at 50,
	 * the latest answers 50 (A), 10 (B), 75 (C), 30 (D) make 2/4 */
	T_OK(db, mms_kpi_load_json(kpi, "{\"indicators\": [{\"id\": \"t.satisfied\", \"name_ru\": \"У\","
		" \"kind\": \"survey_share\", \"population\": \"participations\","
		" \"filter\": \"activity.kind = \\\"survey\\\" and role = \\\"respondent\\\"\","
		" \"parameters\": {\"satisfied\": 50}, \"numerator\": \"score >= satisfied\"}]}",
		"t", NULL));
	T_OK(db, mms_kpi_value(kpi, "t.satisfied", t_find(db, MMS_UNIT, "S1"), 2023, &r));
	assert_true(r.numerator == 2 && r.denominator == 4);
	/* a parameter may not take a name of the language, and is a number */
	static const char *const bad[][2] = {
		{"{\"score\": 50}", "\"score\" cannot name a parameter"},
		{"{\"participated\": 50}", "\"participated\" cannot name a parameter"},
		{"{\"Satisfied\": 50}", "\"Satisfied\" cannot name a parameter"},
		{"{\"satisfied\": \"70\"}", "satisfied must be a number"},
		{"[70]", "must be an object of name: number"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char json[512];
		snprintf(json, sizeof json, "{\"indicators\": [{\"id\": \"t.bad\", \"name_ru\": \"x\","
			 " \"kind\": \"survey_share\", \"population\": \"participations\","
			 " \"parameters\": %s, \"numerator\": \"score >= 1\"}]}", bad[i][0]);
		int rc = mms_kpi_load_json(kpi, json, "defs.json", NULL);
		if (rc == MMS_OK || !strstr(mms_kpi_errmsg(kpi), bad[i][1]) ||
		    !strstr(mms_kpi_errmsg(kpi), "/indicators/0/parameters"))
			fail_msg("%s: got %d (%s)", bad[i][0], rc, mms_kpi_errmsg(kpi));
	}
	mms_kpi_close(kpi);
	expect(db, "murom.P7", "S1", 2023, 1, 4, 100.0 * 1 / 4);
}

/* Issue 13, period rules: «a course or internship counts as completed in Y
 * only if completed by the period's end (participations need a completion
 * date; `completed` alone cannot say when)» — the participation's end, else
 * its activity's, on or before 31 December. */
static void a_course_completes_in_the_year_it_ends(void **state)
{
	mms_db *db = *state;
	q_import(db, "{'staff': ["
		"{'code': 'TA', 'name': 'TA', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'TB', 'name': 'TB', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'TC', 'name': 'TC', 'org': 'S1', 'role': 'teacher'},"
		"{'code': 'TD', 'name': 'TD', 'org': 'S1', 'role': 'teacher'}],"
		"'activities': ["
		"{'code': 'C31', 'name': 'Курс', 'kind': 'course', 'hours': 36, 'start': '2023-10-01', 'end': '2023-12-31'},"
		"{'code': 'C01', 'name': 'Курс', 'kind': 'course', 'hours': 36, 'start': '2023-10-01', 'end': '2024-01-01'},"
		"{'code': 'CF', 'name': 'Курс', 'kind': 'course', 'hours': 36, 'start': '2023-10-01', 'end': '2024-02-01'}],"
		"'participations': ["
		"{'activity': 'C31', 'staff': 'TA', 'role': 'participant', 'completed': true},"
		"{'activity': 'C01', 'staff': 'TB', 'role': 'participant', 'completed': true},"
		"{'activity': 'CF', 'staff': 'TC', 'role': 'participant', 'completed': true, 'end': '2023-12-20'},"
		"{'activity': 'C31', 'staff': 'TD', 'role': 'participant'}]}");
	/* 2023: TA (ends 31 December) and TC (her own end, 20 December, before
	 * the course's); TB's course ends on 1 January, TD did not complete:
	 * 2/4 (by `completed` alone, 3/4) */
	expect(db, "murom.pd_every_3_years", "S1", 2023, 2, 4, 100.0 * 2 / 4);
	/* 2024, three years back: TA, TB and TC */
	expect(db, "murom.pd_every_3_years", "S1", 2024, 3, 4, 100.0 * 3 / 4);
	/* the attribute says the same of each participation */
	mms_kpi *kpi;
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	T_OK(db, mms_kpi_open(&kpi, db));
	T_OK(db, mms_kpi_load_json(kpi, "{\"indicators\": [{\"id\": \"t.done\", \"name_ru\": \"Завершено\","
		" \"kind\": \"count\", \"population\": \"participations\", \"numerator\": \"completed\"}]}",
		"t", NULL));
	T_OK(db, mms_kpi_value(kpi, "t.done", t_find(db, MMS_UNIT, "S1"), 2023, &r));
	assert_true(r.value == 2); /* TA's and TC's of the four in 2023 */
	T_OK(db, mms_kpi_value(kpi, "t.done", t_find(db, MMS_UNIT, "S1"), 2024, &r));
	assert_true(r.value == 1); /* TB's; TC's own dates end in 2023, so it is 2023's only */
	mms_kpi_close(kpi);
}

/* Events organised by M: counts[i] of them in 2021 + i. */
static void events_by_year(mms_db *db, const int *counts, int years)
{
	char json[4096];
	size_t n = (size_t)snprintf(json, sizeof json, "{'activities': [");
	for (int i = 0, k = 0; i < years; i++)
		for (int j = 0; j < counts[i]; j++, k++)
			n += (size_t)snprintf(json + n, sizeof json - n,
					      "%s{'code': 'E%d', 'name': 'E', 'kind': 'event',"
					      " 'organizer': 'M', 'start': '%d-03-01'}",
					      k ? "," : "", k, 2021 + i);
	snprintf(json + n, sizeof json - n, "]}");
	q_import(db, json);
}

/* The status of a count of events at M under a trajectory. */
static int status_under(mms_db *db, const char *targets, int year)
{
	char json[1024];
	snprintf(json, sizeof json, "{\"indicators\": [{\"id\": \"t.events\", \"name_ru\": \"E\","
		 " \"kind\": \"count\", \"population\": \"activities\", \"aggregation\": \"sum\","
		 " \"targets\": {%s}}]}", targets);
	mms_kpi *kpi;
	mms_kpi_result r = MMS_KPI_RESULT_INIT;
	T_OK(db, mms_kpi_open(&kpi, db));
	T_OK(db, mms_kpi_load_json(kpi, json, "t", NULL));
	T_OK(db, mms_kpi_value(kpi, "t.events", t_find(db, MMS_UNIT, "M"), year, &r));
	mms_kpi_close(kpi);
	return r.status;
}

/* Issue 13, period rules: «a least-squares line through the defined values
 * of the last three years, projected to the final year of the trajectory».
 * Events 5, 1, 5 in 2021-2023: the last meets 2023's 5, but the line is flat
 * at their mean 11/3 and reaches 3.67 in 2025, short of 5 (from the last
 * value, 5 + 0 × 2 = 5 would say achieved). */
static void at_risk_reads_the_trend_line_not_the_last_value(void **state)
{
	mms_db *db = *state;
	events_by_year(db, (const int[]){5, 1, 5}, 3);
	const char *five = "\"2021\": 5, \"2022\": 1, \"2023\": 5, \"2024\": 5, \"2025\": 5";
	assert_int_equal(status_under(db, five, 2023), MMS_KPI_AT_RISK);
	/* 2022: 1 meets 1, the line through 5, 1 falls by 4 a year: -11 in 2025 */
	assert_int_equal(status_under(db, five, 2022), MMS_KPI_AT_RISK);
	/* 2021: one point is no trend */
	assert_int_equal(status_under(db, five, 2021), MMS_KPI_ACHIEVED);
}

/* And the other way: events 1, 5, 3 in 2021-2023. The line has slope
 * (3 - 1) / 2 = 1 through the mean 3 at 2022, so it reaches 6 in 2025 and
 * meets 6: achieved (from the last value, 3 + 1 × 2 = 5 would say at risk).
 * Only years with a target are on the line: without 2021's, the line
 * through 5, 3 falls by 2 a year to -1 in 2025, and 2023 is at risk. */
static void at_risk_fits_only_years_with_targets(void **state)
{
	mms_db *db = *state;
	events_by_year(db, (const int[]){1, 5, 3}, 3);
	assert_int_equal(status_under(db, "\"2021\": 1, \"2022\": 5, \"2023\": 3, \"2025\": 6", 2023),
			 MMS_KPI_ACHIEVED);
	assert_int_equal(status_under(db, "\"2022\": 5, \"2023\": 3, \"2025\": 6", 2023),
			 MMS_KPI_AT_RISK);
	/* 7 in 2025 is beyond the line's 6 */
	assert_int_equal(status_under(db, "\"2021\": 1, \"2022\": 5, \"2023\": 3, \"2025\": 7", 2023),
			 MMS_KPI_AT_RISK);
}

/* A staff or units definition whose numerator must be refused. */
static void refused(mms_db *db, const char *pop, const char *numerator, const char *words)
{
	char json[1024];
	snprintf(json, sizeof json, "{\"indicators\": [{\"id\": \"x\", \"name_ru\": \"x\","
		 " \"kind\": \"share\", \"population\": \"%s\", \"numerator\": \"%s\"}]}",
		 pop, numerator);
	mms_kpi *kpi;
	T_OK(db, mms_kpi_open(&kpi, db));
	int rc = mms_kpi_load_json(kpi, json, "defs.json", NULL);
	if (rc != MMS_ETYPE || !strstr(mms_kpi_errmsg(kpi), words))
		fail_msg("%s: got %d (%s), want \"%s\"", numerator, rc, mms_kpi_errmsg(kpi), words);
	mms_kpi_close(kpi);
}

/* The language's new arguments say where they apply and what they take. */
static void new_arguments_are_checked_when_loading(void **state)
{
	mms_db *db = *state;
	refused(db, "staff", "participated(\\\"event\\\", staff_role = \\\"manager\\\")",
		"no argument 'staff_role'");
	refused(db, "units", "participated(\\\"event\\\", staff_role = \\\"pupil\\\")",
		"\"pupil\" is not a staff role");
	refused(db, "units", "participated(\\\"event\\\", organizer_kind = \\\"club\\\")",
		"\"club\" is not a unit kind");
	refused(db, "staff", "participated(\\\"event\\\", during = true)", "no argument 'during'");
	refused(db, "staff", "member(\\\"community\\\", during = 1)", "during must be true or false");
	refused(db, "staff", "supported(role = \\\"member\\\")", "no argument 'role'");
	refused(db, "units", "supported()", "supported() does not apply to units");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(pd_every_three_years_counts_every_pedagogical_worker),
		T(murom_p4_counts_only_the_centres_own_events),
		T(murom_p8_counts_entries_in_competitions_of_any_level),
		T(moscow_7_counts_teachers_per_regional_methodist),
		T(moscow_8_counts_every_form_of_support_during_the_year),
		T(moscow_10_counts_management_teams_not_teachers),
		T(moscow_1_has_a_target_every_year_from_2021),
		T(krasnodar_continuous_pd_includes_non_formal_forms),
		T(krasnodar_communities_include_resource_centres),
		T(moscow_3_level_judges_the_years_participants_by_the_years_results),
		T(staff_starting_after_the_period_are_not_on_its_staff),
		T(new_arguments_are_checked_when_loading),
		T(at_risk_reads_the_trend_line_not_the_last_value),
		T(at_risk_fits_only_years_with_targets),
		T(cnppm_routes_count_routes_developed_in_the_year),
		T(satisfaction_counts_people_by_their_latest_answer),
		T(a_course_completes_in_the_year_it_ends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
