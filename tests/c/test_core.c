/* White-box tests of the core layer: dates, UTF-8, the string map, buffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "domain/period.h"
#include "domain/subject.h"
#include "exchange/doc.h"
#include "helpers.h"
#include "kpi/expr.h"
#include "model/model.h"
#include "network/index.h"
#include "store/store.h"

static void dates_round_trip_across_leap_years(void **state)
{
	(void)state;
	static const char *const days[] = {"1900-03-01", "1970-01-01", "2000-02-29",
					   "2024-02-29", "2100-12-31", "2021-09-01"};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		int32_t d;
		char out[11];
		assert_int_equal(mms_date_parse(days[i], &d), MMS_OK);
		mms_date_format(d, out);
		assert_string_equal(out, days[i]);
	}
	int32_t d;
	assert_int_equal(mms_date_parse("1970-01-01", &d), MMS_OK);
	assert_int_equal(d, 0);
	assert_int_equal(mms_date_parse("2023-02-29", &d), MMS_ERANGE);
	assert_int_equal(mms_date_parse("2023-13-01", &d), MMS_ERANGE);
	assert_int_equal(mms_date_parse("2023-1-01", &d), MMS_ETYPE);
	assert_int_equal(mms_date_parse("2023-01-011", &d), MMS_ETYPE);
}

static void years_between_counts_birthdays(void **state)
{
	(void)state;
	int32_t a, b;
	mms_date_parse("1990-05-01", &a);
	mms_date_parse("2025-04-30", &b);
	assert_int_equal(mms_years_between(a, b), 34);
	mms_date_parse("2025-05-01", &b);
	assert_int_equal(mms_years_between(a, b), 35);
}

static void utf8_check_finds_the_first_bad_byte(void **state)
{
	(void)state;
	const char ok[] = "Школа № 1";
	assert_int_equal(mms_utf8_check(ok, strlen(ok)), -1);
	assert_int_equal(mms_utf8_check("ab\xff", 3), 2);
	assert_int_equal(mms_utf8_check("\xc0\xaf", 2), 0);         /* overlong '/' */
	assert_int_equal(mms_utf8_check("x\xed\xa0\x80", 4), 1);    /* surrogate */
	assert_int_equal(mms_utf8_check("\xd0", 1), 0);             /* cut short */
}

static const char *const keys[] = {"alpha", "beta", "gamma", "delta", "epsilon",
				   "zeta", "eta", "theta", "iota", "kappa",
				   "lambda", "mu", "nu", "xi", "omicron", "pi",
				   "rho", "sigma", "tau", "upsilon"};
static const char *key_of(const void *ctx, int32_t v)
{
	(void)ctx;
	return keys[v];
}

static void hash_finds_every_key_after_growth(void **state)
{
	(void)state;
	mms_hash h = {0};
	for (int32_t i = 0; i < 20; i++)
		assert_int_equal(mms_hash_put(&h, i, key_of, NULL), MMS_OK);
	for (int32_t i = 0; i < 20; i++)
		assert_int_equal(mms_hash_get(&h, keys[i], key_of, NULL), i);
	assert_int_equal(mms_hash_get(&h, "omega", key_of, NULL), -1);
	size_t cap = h.cap;
	mms_hash_clear(&h);
	assert_int_equal(mms_hash_get(&h, "alpha", key_of, NULL), -1);
	assert_int_equal(mms_hash_put(&h, 3, key_of, NULL), MMS_OK);
	assert_int_equal(h.cap, cap); /* clearing keeps the slots */
	mms_hash_free(&h);
}

static void buffer_formats_long_text(void **state)
{
	(void)state;
	mms_buf b = {0};
	char big[600];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	mms_buf_printf(&b, "%s-%d", big, 7);
	char *out;
	assert_int_equal(mms_buf_detach(&b, &out), MMS_OK);
	assert_int_equal(strlen(out), 601);
	assert_string_equal(out + 599, "-7");
	mms_free(out);
}

static void schema_indexes_match_field_names(void **state)
{
	(void)state;
	/* model.h names field positions the code relies on; they must match. */
	assert_int_equal(mms_field_find(MMS_UNIT, "parent"), U_PARENT);
	assert_int_equal(mms_field_find(MMS_UNIT, "directions"), U_DIRECTIONS);
	assert_int_equal(mms_entities[MMS_UNIT].nfields, U_NFIELDS);
	assert_int_equal(mms_field_find(MMS_LINK, "to"), L_TO);
	assert_int_equal(mms_entities[MMS_LINK].nfields, L_NFIELDS);
	assert_int_equal(mms_field_find(MMS_STAFF, "part_time"), S_PART_TIME);
	assert_int_equal(mms_field_find(MMS_STAFF, "work_end"), S_WORK_END);
	assert_int_equal(mms_entities[MMS_STAFF].nfields, S_NFIELDS);
	assert_int_equal(mms_field_find(MMS_STAFF_LINK, "target_staff"), SL_TARGET_STAFF);
	assert_int_equal(mms_entities[MMS_STAFF_LINK].nfields, SL_NFIELDS);
	assert_int_equal(mms_field_find(MMS_ACTIVITY, "end"), A_END);
	assert_int_equal(mms_entities[MMS_ACTIVITY].nfields, A_NFIELDS);
	assert_int_equal(mms_field_find(MMS_PARTICIPATION, "completed"), P_COMPLETED);
	assert_int_equal(mms_entities[MMS_PARTICIPATION].nfields, P_NFIELDS);
	assert_int_equal(mms_enum_find(E_UNIT_KIND, "mentoring_pair"), UK_MENTORING_PAIR);
	assert_int_equal(mms_enum_find(E_ACTIVITY_KIND, "survey"), AK_SURVEY);
	assert_int_equal(mms_enum_find(E_PART_ROLE, "respondent"), PR_RESPONDENT);
	assert_int_equal(mms_enum_find(E_LINK_KIND, "membership"), LK_MEMBERSHIP);
	struct { int e, f, n; const char *name; } pins[] = {
		{MMS_TARGET, T_VALUE, T_NFIELDS, "value"}, {MMS_FACT, FA_NOTE, FA_NFIELDS, "note"},
		{MMS_COMPETENCY, C_FUNCTION, C_NFIELDS, "labour_function"},
		{MMS_DIAGNOSTIC, D_NOTE, D_NFIELDS, "note"},
		{MMS_RESOURCE, R_PREREQUISITE, R_NFIELDS, "prerequisite"},
		{MMS_RESOURCE, R_MAX_EXPERIENCE, R_NFIELDS, "max_experience"},
		{MMS_DEVELOPS, DV_STRENGTH, DV_NFIELDS, "strength"},
		{MMS_ROUTE, RT_NOTE, RT_NFIELDS, "note"},
		{MMS_ROUTE, RT_MEDIUM_UP_TO, RT_NFIELDS, "medium_up_to"},
		{MMS_ROUTE_STEP, ST_REASON, ST_NFIELDS, "reason"},
		{MMS_ROUTE_EVENT, EV_NOTE, EV_NFIELDS, "note"},
		{MMS_ROUTE_STEP, ST_PAIR, ST_NFIELDS, "pair"},
		{MMS_MENTORING_PAIR, MP_MENTEE, MP_NFIELDS, "mentee"},
		{MMS_MENTORING_PAIR, MP_OUTCOME, MP_NFIELDS, "outcome"},
		{MMS_PROGRAMME, PG_TERRITORY, PG_NFIELDS, "territory"},
		{MMS_PROGRAMME, PG_NOTE, PG_NFIELDS, "note"},
		{MMS_TASK, TK_EXPECTED, TK_NFIELDS, "expected_result"},
		{MMS_TASK, TK_RECURRENCE, TK_NFIELDS, "recurrence"},
		{MMS_TASK_EVENT, TE_NOTE, TE_NFIELDS, "note"}};
	assert_int_equal(mms_enum_find(E_RECURRENCE, "yearly"), RC_YEARLY);
	assert_int_equal(mms_enum_find(E_TASK_STATUS, "cancelled"), TS_CANCELLED);
	for (size_t i = 0; i < sizeof pins / sizeof pins[0]; i++) {
		assert_int_equal(mms_field_find(pins[i].e, pins[i].name), pins[i].f);
		assert_int_equal(mms_entities[pins[i].e].nfields, pins[i].n);
	}
	assert_int_equal(mms_enum_find(E_RESOURCE_KIND, "self_education"), RK_SELF_EDUCATION);
	assert_int_equal(mms_enum_find(E_EDU_LEVEL, "pd"), EL_PD);
	assert_int_equal(mms_enum_find(E_POSITION, "methodist"), PO_METHODIST);
	assert_int_equal(mms_enum_find(E_MENTORING_FORM, "manager_teacher"), MF_MANAGER_TEACHER);
	assert_int_equal(mms_field_find(MMS_ROUTE_REVISION, "reason"), RV_REASON);
	assert_int_equal(mms_entities[MMS_ROUTE_REVISION].nfields, RV_NFIELDS);
	assert_int_equal(mms_enum_find(E_ROUTE_STATUS, "failed"), RS_FAILED);
	assert_int_equal(mms_enum_find(E_ROUTE_STATUS, "in_progress"), RS_IN_PROGRESS);
	assert_int_equal(mms_enum_find(E_DIAG_LEVEL, "high"), DL_HIGH);
	assert_int_equal(mms_enum_find(E_COMP_KIND, "indicator"), CK_INDICATOR);
	for (int k = 0; k < UK_COUNT; k++)
		assert_true(mms_kind_levels(k) != 0);
}

static void version_and_errstr_are_consistent(void **state)
{
	(void)state;
	assert_int_equal(mms_libversion_number(), MMS_VERSION_NUMBER);
	assert_string_equal(mms_libversion(), MMS_VERSION);
	for (int rc = 0; rc >= MMS_EVERSION; rc--)
		assert_string_not_equal(mms_errstr(rc), "unknown result code");
	assert_string_equal(mms_errstr(-999), "unknown result code");
}

/* A snapshot whose rows index outside what they index (a reference past
   the table, a string past the pool, an unknown enum value) is refused as
   a whole, whatever field it is in; a sound one reads back equal. */
static void snapshot_values_out_of_bounds_are_refused(void **state)
{
	(void)state;
	char *dir = t_tmpdir(), *file = t_path(dir, "s");
	static const struct { int e, f; int32_t v; } bad[] = {
		{MMS_STAFF, S_ORG, 2}, {MMS_STAFF, S_NAME, 1 << 30}, {MMS_STAFF, S_ROLE, 3},
		{MMS_UNIT, U_PARENT, -2}, {MMS_STAFF, S_SUBJECTS, 1 << 20}};
	for (size_t k = 0; k <= sizeof bad / sizeof *bad; k++) {
		mms_model m, back;
		int32_t unit, staff, name;
		assert_int_equal(mms_model_init(&m), MMS_OK);
		assert_int_equal(mms_model_add_row(&m, MMS_UNIT, &unit), MMS_OK);
		assert_int_equal(mms_model_add_str(&m, "U", 1, &name), MMS_OK);
		mms_row(&m, MMS_UNIT, unit)[U_CODE] = name;
		assert_int_equal(mms_model_index_code(&m, MMS_UNIT, unit), MMS_OK);
		assert_int_equal(mms_model_add_row(&m, MMS_STAFF, &staff), MMS_OK);
		mms_row(&m, MMS_STAFF, staff)[S_ORG] = unit;
		mms_row(&m, MMS_STAFF, staff)[S_ROLE] = 0;
		if (k < sizeof bad / sizeof *bad)
			mms_row(&m, bad[k].e, 0)[bad[k].f] = bad[k].v;
		char msg[MMS_ATOMIC_MSG];
		assert_int_equal(mms_snapshot_write(&m, 7, file, msg), MMS_OK);
		assert_int_equal(mms_model_init(&back), MMS_OK);
		uint64_t stamp = 0;
		int rc = mms_snapshot_read(&back, file, &stamp);
		if (k < sizeof bad / sizeof *bad) {
			assert_int_equal(rc, MMS_ECORRUPT);
		} else {
			assert_int_equal(rc, MMS_OK);
			assert_int_equal(stamp, 7);
			assert_int_equal(back.t[MMS_STAFF].count, 1);
			assert_int_equal(mms_model_find_code(&back, MMS_UNIT, "U"), unit);
		}
		mms_model_free(&back);
		mms_model_free(&m);
	}
	t_rmtree(dir);
	free(dir);
	free(file);
}

static int32_t add_unit(mms_model *m, const char *code, int level, int kind, int32_t parent)
{
	int32_t u, name;
	assert_int_equal(mms_model_add_row(m, MMS_UNIT, &u), MMS_OK);
	assert_int_equal(mms_model_add_str(m, code, strlen(code), &name), MMS_OK);
	int32_t *row = mms_row(m, MMS_UNIT, u);
	row[U_CODE] = name;
	row[U_LEVEL] = level;
	row[U_KIND] = kind;
	row[U_PARENT] = parent;
	assert_int_equal(mms_model_index_code(m, MMS_UNIT, u), MMS_OK);
	return u;
}

/* Every load checks the network's shape whatever it was read from: a
   parent chain that closes on itself, a parent below its child, a kind on
   the wrong level are refused naming the record, so no walk up the
   hierarchy can loop; a sound model passes. */
static void a_model_of_impossible_shape_is_refused_naming_the_record(void **state)
{
	(void)state;
	char err[256];
	for (int k = 0; k < 4; k++) {
		mms_model m;
		assert_int_equal(mms_model_init(&m), MMS_OK);
		int32_t reg = add_unit(&m, "REG", LV_REGIONAL, UK_CNPPM, -1);
		int32_t mun = add_unit(&m, "MUN", LV_MUNICIPAL, UK_MUNICIPAL_SERVICE, reg);
		int32_t sch = add_unit(&m, "SCH", LV_INSTITUTIONAL, UK_SCHOOL, mun);
		const char *want = NULL;
		if (k == 1) { /* MUN -> ASSOC -> MUN, on one level */
			int32_t assoc = add_unit(&m, "ASSOC", LV_MUNICIPAL, UK_MUNICIPAL_ASSOCIATION, mun);
			mms_row(&m, MMS_UNIT, mun)[U_PARENT] = assoc;
			want = "its own ancestor";
		} else if (k == 2) {
			mms_row(&m, MMS_UNIT, mun)[U_PARENT] = sch;
			want = "impossible level";
		} else if (k == 3) {
			mms_row(&m, MMS_UNIT, sch)[U_KIND] = UK_MINISTRY;
			want = "cannot stand on its level";
		}
		int rc = mms_model_check(&m, err, sizeof err);
		if (!want) {
			assert_int_equal(rc, MMS_OK);
		} else {
			assert_int_equal(rc, MMS_ECORRUPT);
			assert_non_null(strstr(err, want));
			assert_non_null(strstr(err, "unit \""));
		}
		mms_model_free(&m);
	}
}

static void add_staff(mms_model *m, int32_t org)
{
	int32_t s;
	assert_int_equal(mms_model_add_row(m, MMS_STAFF, &s), MMS_OK);
	mms_row(m, MMS_STAFF, s)[S_ORG] = org;
}

/* Staff added after the index was built join it, by the short path, with
   every organisation's run exactly as a fresh build makes it. */
static void staff_added_later_index_as_if_built_afresh(void **state)
{
	(void)state;
	mms_model m;
	mms_index ix = {0}, fresh = {0};
	assert_int_equal(mms_model_init(&m), MMS_OK);
	for (int32_t u = 0, id; u < 5; u++) {
		assert_int_equal(mms_model_add_row(&m, MMS_UNIT, &id), MMS_OK);
		mms_row(&m, MMS_UNIT, id)[U_PARENT] = u ? 0 : -1;
	}
	static const int32_t first[] = {1, 3, 3, 0, 4}, later[] = {4, 0, 2, 3, 2, 1, 0};
	for (size_t i = 0; i < sizeof first / sizeof *first; i++)
		add_staff(&m, first[i]);
	assert_int_equal(mms_index_ensure(&ix, &m), MMS_OK);
	const int32_t *children = ix.children;
	for (size_t i = 0; i < sizeof later / sizeof *later; i++)
		add_staff(&m, later[i]);
	assert_int_equal(mms_index_ensure(&ix, &m), MMS_OK);
	assert_ptr_equal(ix.children, children); /* not rebuilt */
	assert_int_equal(mms_index_ensure(&fresh, &m), MMS_OK);
	assert_memory_equal(ix.staff_start, fresh.staff_start, 7 * sizeof(int32_t));
	assert_int_equal(ix.staff_start[5], 12);
	assert_memory_equal(ix.staff_ids, fresh.staff_ids, 12 * sizeof(int32_t));
	/* only the last runs gain: the ones below are left where they are */
	static const int32_t last[] = {3, 4, 3};
	for (size_t i = 0; i < sizeof last / sizeof *last; i++)
		add_staff(&m, last[i]);
	mms_index_free(&fresh);
	assert_int_equal(mms_index_ensure(&ix, &m), MMS_OK);
	assert_int_equal(mms_index_ensure(&fresh, &m), MMS_OK);
	assert_memory_equal(ix.staff_start, fresh.staff_start, 7 * sizeof(int32_t));
	assert_memory_equal(ix.staff_ids, fresh.staff_ids, 15 * sizeof(int32_t));
	mms_index_free(&ix);
	mms_index_free(&fresh);
	mms_model_free(&m);
}

/* Ages read from the anniversary table equal the date arithmetic's, for
   every birth day over two centuries, at ends on and around 29 February and
   past the table's reach. */
static void ages_equal_whole_years_between(void **state)
{
	(void)state;
	mms_model m;
	int32_t s, u;
	assert_int_equal(mms_model_init(&m), MMS_OK);
	assert_int_equal(mms_model_add_row(&m, MMS_UNIT, &u), MMS_OK);
	assert_int_equal(mms_model_add_row(&m, MMS_STAFF, &s), MMS_OK);
	mms_row(&m, MMS_STAFF, s)[S_ORG] = u;
	static const int ages[] = {-1, 0, 1, 35, 64, 126, 127, 128, 150};
	expr x[sizeof ages / sizeof *ages];
	char err[256], text[64];
	for (size_t a = 0; a < sizeof ages / sizeof *ages; a++) {
		snprintf(text, sizeof text, "age >= %d", ages[a]);
		assert_int_equal(mms_expr_compile(&x[a], POP_STAFF, text, err, sizeof err), MMS_OK);
	}
	static const int ends[][3] = {{2023, 12, 31}, {2024, 2, 29}, {2024, 2, 28}, {2023, 3, 1},
				      {2024, 8, 31}};
	for (size_t e = 0; e < sizeof ends / sizeof *ends; e++) {
		expr_env v = {0};
		v.m = &m;
		v.end = mms_date_from_ymd(ends[e][0], ends[e][1], ends[e][2]);
		mms_expr_anniversaries(&v);
		for (int32_t day = mms_date_from_ymd(1860, 1, 1); day <= v.end + 400; day++) {
			mms_row(&m, MMS_STAFF, s)[S_BIRTH] = day;
			int want = mms_years_between(day, v.end);
			for (size_t a = 0; a < sizeof ages / sizeof *ages; a++)
				if (mms_expr_true(&x[a], &v, s) != (want >= ages[a]))
					fail_msg("born %d, end %d: age %d, >= %d wrong", day, v.end, want, ages[a]);
		}
	}
	for (size_t a = 0; a < sizeof ages / sizeof *ages; a++)
		mms_expr_free(&x[a]);
	mms_model_free(&m);
}

static void code_flaws_are_located_by_character(void **state)
{
	(void)state;
	size_t at = 0;
	unsigned ch = 0;
	assert_null(mms_code_flaw("MUR-CRPK", 8, &at, &ch));
	assert_null(mms_code_flaw("ИОМ 2024", strlen("ИОМ 2024"), &at, &ch)); /* a space inside reads */
	static const struct { const char *code; size_t at; unsigned ch; } bad[] = {
		{" A", 1, 0x20}, {"A ", 2, 0x20}, {"\xc2\xa0" "A", 1, 0xa0}, {"Ж\xc2\xa0", 2, 0xa0},
		{"A\xe2\x80\x8b" "B", 2, 0x200b}, {"A\xe2\x80\x8d", 2, 0x200d}, {"\xef\xbb\xbf" "A", 1, 0xfeff},
		{"A\tB", 2, 0x09}, {"A\x7f", 2, 0x7f}, {"A\xc2\x85", 2, 0x85}, {"A\xc2\xad" "B", 2, 0xad},
		{"ЖЖ\xe3\x80\x80", 3, 0x3000},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (!mms_code_flaw(bad[i].code, strlen(bad[i].code), &at, &ch))
			fail_msg("case %zu: no flaw found", i);
		assert_int_equal(at, bad[i].at);
		assert_int_equal(ch, bad[i].ch);
	}
}

static uint64_t skel(const char *code)
{
	uint64_t h;
	assert_int_equal(mms_code_skeleton(code, strlen(code), &h), MMS_OK);
	return h;
}

static void skeletons_fold_case_normalisation_and_look_alikes(void **state)
{
	(void)state;
	static const char *const same[][2] = {
		{"MUR-CRPK", "mur-crpk"}, {"MUR-CRPK", "\xd0\x9cUR-\xd0\xa1RPK"}, {"ABEKMHOPCTYX", "АВЕКМНОРСТУХ"},
		{"aeopcyx", "аеорсух"}, {"Школа", "ШКОЛА"}, {"\xd0\xb9", "\xd0\xb8\xcc\x86"},
		{"\xd1\x91", "\xd0\xb5\xcc\x88"}, {"\xd1\x91", "\xc3\xab"}, {"Ёж", "ёж"}, {"ＡＢ１", "ab1"},
		{"\xc3\xa9t\xc3\xa9", "E\xcc\x81T\xc3\x89"},
	};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		if (skel(same[i][0]) != skel(same[i][1]) || !mms_code_lookalike(same[i][0], same[i][1]))
			fail_msg("\"%s\" and \"%s\" should read the same", same[i][0], same[i][1]);
	}
	static const char *const differ[][2] = {
		{"T1", "T2"}, {"и", "й"}, {"е", "ё"}, {"Ш", "Щ"}, {"R1", "Я1"}, {"MUR", "MYR"}, {"ab", "a b"},
	};
	for (size_t i = 0; i < sizeof differ / sizeof *differ; i++) {
		if (skel(differ[i][0]) == skel(differ[i][1]) || mms_code_lookalike(differ[i][0], differ[i][1]))
			fail_msg("\"%s\" and \"%s\" should differ", differ[i][0], differ[i][1]);
	}
}

static void skeleton_sets_keep_every_id_of_a_key(void **state)
{
	(void)state;
	mms_skelset s = {0};
	for (int32_t id = 0; id < 1000; id++) /* ten ids a key, through several growths */
		assert_int_equal(mms_skelset_add(&s, (uint64_t)(id % 100) * 0x9e3779b97f4a7c15u, id), MMS_OK);
	for (int k = 0; k < 100; k++) {
		size_t pos = 0, found = 0;
		for (int32_t id; (id = mms_skelset_next(&s, (uint64_t)k * 0x9e3779b97f4a7c15u, &pos)) >= 0;) {
			assert_int_equal(id % 100, k);
			found++;
		}
		assert_int_equal(found, 10);
	}
	size_t pos = 0;
	assert_int_equal(mms_skelset_next(&s, 12345, &pos), -1);
	mms_skelset_clear(&s);
	pos = 0;
	assert_int_equal(mms_skelset_next(&s, 0, &pos), -1);
	mms_skelset_free(&s);
	pos = 0;
	assert_int_equal(mms_skelset_next(&s, 0, &pos), -1);
}

static int32_t day(const char *s)
{
	int32_t d;
	assert_int_equal(mms_date_parse(s, &d), MMS_OK);
	return d;
}

static void periods_of_a_year_end_on_31_december_or_31_august(void **state)
{
	(void)state;
	int32_t s, e;
	mms_period_of_year(0, 2023, &s, &e);
	assert_true(s == day("2023-01-01") && e == day("2023-12-31"));
	mms_period_of_year(1, 2023, &s, &e); /* the academic year from 1 September */
	assert_true(s == day("2023-09-01") && e == day("2024-08-31"));
	/* a record on 31 August belongs to the academic year before */
	assert_false(mms_period_meets(day("2023-08-31"), MMS_NONE, s, e));
	assert_true(mms_period_meets(MMS_NONE, day("2023-09-01"), s, e));
	assert_false(mms_period_meets(MMS_NONE, MMS_NONE, s, e)); /* undated: no period */
	/* a link ending in June was valid during the year but not at its end */
	mms_period_of_year(0, 2023, &s, &e);
	assert_true(mms_period_valid_during(MMS_NONE, day("2023-06-30"), s, e));
	assert_false(mms_period_valid_on(MMS_NONE, day("2023-06-30"), e));
	assert_true(mms_period_valid_on(MMS_NONE, MMS_NONE, e));
	assert_false(mms_period_valid_during(day("2024-01-01"), MMS_NONE, s, e));
	/* three whole years to 31 December 2023 start on 1 January 2021 */
	assert_int_equal(mms_period_window_start(e, 3), day("2021-01-01"));
}

static void subject_names_are_the_same_whatever_case_yo_and_spaces(void **state)
{
	(void)state;
	assert_true(mms_subject_same("одарённые дети", "одаренные дети"));
	assert_true(mms_subject_same("Одарённые  Дети ", " ОДАРЕННЫЕ дети"));
	assert_true(mms_subject_same("Дети с ОВЗ", "дети с овз"));
	assert_true(mms_subject_same("Math", "MATH"));
	assert_false(mms_subject_same("дети с ОВЗ", "дети с ОВЗ и ТНР"));
	assert_false(mms_subject_same("одарённые дети", "одарённыедети"));
	assert_false(mms_subject_same("", "дети"));
	assert_true(mms_subject_same("", "  "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_round_trip_across_leap_years),
		cmocka_unit_test(years_between_counts_birthdays),
		cmocka_unit_test(utf8_check_finds_the_first_bad_byte),
		cmocka_unit_test(code_flaws_are_located_by_character),
		cmocka_unit_test(skeletons_fold_case_normalisation_and_look_alikes),
		cmocka_unit_test(skeleton_sets_keep_every_id_of_a_key),
		cmocka_unit_test(hash_finds_every_key_after_growth),
		cmocka_unit_test(buffer_formats_long_text),
		cmocka_unit_test(schema_indexes_match_field_names),
		cmocka_unit_test(version_and_errstr_are_consistent),
		cmocka_unit_test(staff_added_later_index_as_if_built_afresh),
		cmocka_unit_test(ages_equal_whole_years_between),
		cmocka_unit_test(snapshot_values_out_of_bounds_are_refused),
		cmocka_unit_test(a_model_of_impossible_shape_is_refused_naming_the_record),
		cmocka_unit_test(periods_of_a_year_end_on_31_december_or_31_august),
		cmocka_unit_test(subject_names_are_the_same_whatever_case_yo_and_spaces),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
