/*
 * Pseudonymised exports, for reporting upward: what a region's indicators
 * need and nothing that names a person (docs/security.md).
 *  - The key must be strong: at least 32 bytes, not a repetition of a
 *    shorter run, and not made of a few bytes (about 128 bits by the
 *    frequencies of its bytes); a weak key would let anyone who guesses it
 *    recompute every pseudonym from a list of staff codes.
 *  - A staff member's code and name become one pseudonym, "P" and 16 hex
 *    digits of HMAC-SHA256(key, code) (nettle): stable across exports made
 *    with the same key, and not recoverable without it. Route codes (the
 *    route builder makes them from staff codes) become "R" and the HMAC of
 *    the route's code. References follow, since they are written as codes.
 *  - Other texts are kept only where the indicators or the document need
 *    them (names of units, activities, resources, competencies); one that
 *    holds a staff code, name or word of a name is replaced by its record's
 *    kind and code, and a code holding one gets a pseudonym of its own.
 *    Notes, evidence, step reasons and positions are left out.
 *  - What the built-in indicators read of a person is kept exactly, and
 *    nothing finer (mms_pseudo_needed): organisation, role, part-time work,
 *    the subjects they look for (others are left out, as are category and
 *    education level, which none reads), and dates generalised to classes.
 *    Indicators compare a birth date, a work start or a last day of work
 *    only with the ends of periods (31 December, 31 August) less whole
 *    years: "age < 35", "experience_years < 3", on staff by the end, gone
 *    before it. For the years the data is dated in, those days cut the
 *    time line into classes, and every date of a class is written as the
 *    same day of it, so every comparison, and so every indicator, comes
 *    out as before, while a date tells nothing finer: everyone born before
 *    the earliest cut has one birth date. Age is read only of teachers in
 *    their first years of service, so nobody else's birth date is written.
 */
#define _DEFAULT_SOURCE /* explicit_bzero */
#include <math.h>
#include <nettle/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/employment.h"
#include "exchange.h"

/* Why key is too weak to key pseudonyms, or NULL. */
static const char *weak_key(const char *key, char *why, size_t n)
{
	size_t len = strlen(key), count[256] = {0};
	if (len < MMS_PSEUDO_MIN_KEY) {
		snprintf(why, n, "has %zu bytes, fewer than %d", len, MMS_PSEUDO_MIN_KEY);
		return why;
	}
	for (size_t p = 1; p <= len / 2; p++) { /* "abcabcabc...": as weak as "abc" */
		size_t i = p;
		while (i < len && key[i] == key[i - p])
			i++;
		if (i == len) {
			snprintf(why, n, "repeats a run of %zu bytes", p);
			return why;
		}
	}
	double bits = 0;
	for (size_t i = 0; i < len; i++)
		count[(unsigned char)key[i]]++;
	for (int b = 0; b < 256; b++)
		if (count[b])
			bits -= (double)count[b] * log2((double)count[b] / (double)len);
	if (bits < MMS_PSEUDO_MIN_BITS) {
		snprintf(why, n, "is made of too few different bytes (about %.0f bits, fewer than %d)",
			 bits, MMS_PSEUDO_MIN_BITS);
		return why;
	}
	return NULL;
}

/* Sorts n elements and keeps one of each value; returns how many are left. */
static size_t sort_unique(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *a = base;
	size_t kept = 0;
	if (n)
		qsort(a, n, size, cmp);
	for (size_t i = 0; i < n; i++)
		if (!kept || cmp(a + (kept - 1) * size, a + i * size))
			memmove(a + kept++ * size, a + i * size, size);
	return kept;
}

/* ---- what the indicators need ------------------------------------------- */

/* data/indicators: 'role = "teacher" and age < 35 and experience_years < 3'
 * (the only use of age), "experience_years < 3", subject("...");
 * c_pseudonym checks every built-in definition against this table. */
const mms_pseudo_needs mms_pseudo_needed = {
	{35}, 1, 1u << ROLE_TEACHER, 3,
	{0, 3}, 2, /* 0: hired by the end of the period */
	{"дети с ОВЗ", "одарённые дети"}, 2,
	{0, 5}, 2, /* murom.P10's cohort: on staff at the start, under 5 years then */
};

/* The years any record other than a person is dated in (the periods the
 * indicators of this data are computed for), within 1900..2100. */
static void data_years(const mms_model *m, int *first, int *last)
{
	*first = 2101;
	*last = 1899;
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		for (int f = 0; e != MMS_STAFF && f < mms_entities[e].nfields; f++) {
			const field_def *fd = &mms_entities[e].fields[f];
			int is_year = (e == MMS_TARGET && f == T_YEAR) || (e == MMS_FACT && f == FA_YEAR);
			if (fd->type != F_DATE && !is_year)
				continue;
			for (size_t id = 0; id < m->t[e].count; id++) {
				int32_t v = mms_row(m, e, (int32_t)id)[f];
				int y = v, mo, d;
				if (v == MMS_NONE)
					continue;
				if (!is_year)
					mms_date_to_ymd(v, &y, &mo, &d);
				*first = y < *first ? y : *first;
				*last = y > *last ? y : *last;
			}
		}
	if (*first > *last) { /* nothing dated: every year */
		*first = 1900;
		*last = 2100;
	}
	*first = *first < 1900 ? 1900 : *first;
	*last = *last > 2100 ? 2100 : *last;
}

/* The cuts: for every end of a calendar (31 December) or academic year
 * (31 August) the data's periods can end on, the last day born at least
 * each age before it, started at least each length of service before it,
 * and gone before it. */
static int make_cuts(mms_pseudo *ps, const mms_model *m)
{
	const mms_pseudo_needs *n = &mms_pseudo_needed;
	data_years(m, &ps->first_year, &ps->last_year);
	/* ends and starts: a cohort (murom.P10) reads service and departures
	 * at the period's first day too */
	size_t ends = 2 * (size_t)(ps->last_year - ps->first_year + 2);
	const int per[CUT_COUNT] = {n->nages, n->nservices + n->nstart_services, 2};
	for (int c = 0; c < CUT_COUNT; c++)
		if (!(ps->cuts[c] = mms_malloc(ends * (size_t)per[c] * sizeof(int32_t))))
			return MMS_ENOMEM;
	for (int y = ps->first_year - 1; y <= ps->last_year; y++)
		for (int half = 0; half < 2; half++) {
			int ey = half ? y + 1 : y, em = half ? 8 : 12;
			for (int k = 0; k < n->nages; k++)
				ps->cuts[CUT_BIRTH][ps->ncuts[CUT_BIRTH]++] =
					mms_date_from_ymd(ey - n->ages[k], em, 31);
			for (int k = 0; k < n->nservices; k++)
				ps->cuts[CUT_START][ps->ncuts[CUT_START]++] =
					mms_date_from_ymd(ey - n->services[k], em, 31);
			ps->cuts[CUT_END][ps->ncuts[CUT_END]++] = mms_date_from_ymd(ey, em, 31) - 1;
			int sm = half ? 9 : 1; /* the period's first day, in year y */
			for (int k = 0; k < n->nstart_services; k++)
				ps->cuts[CUT_START][ps->ncuts[CUT_START]++] =
					mms_date_from_ymd(y - n->start_services[k], sm, 1);
			ps->cuts[CUT_END][ps->ncuts[CUT_END]++] = mms_date_from_ymd(y, sm, 1) - 1;
		}
	for (int c = 0; c < CUT_COUNT; c++)
		ps->ncuts[c] = sort_unique(ps->cuts[c], ps->ncuts[c], sizeof(int32_t), mms_id_cmp);
	return MMS_OK;
}

/* The day a date of class c is written as: the first day of its class, or
 * for the open class before the first cut, the cut itself. */
static int32_t generalised(const mms_pseudo *ps, int c, int32_t day)
{
	const int32_t *cut = ps->cuts[c];
	size_t lo = 0, hi = ps->ncuts[c]; /* the first cut >= day */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cut[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? cut[0] : cut[lo - 1] + 1;
}

/* Whether any indicator could read the person's age in the data's years:
 * only of a teacher with fewer than age_service_below years of service at
 * the end of some period. Otherwise the birth date is left out. */
static int age_read(const mms_model *m, const mms_pseudo *ps, int32_t id)
{
	const int32_t *row = mms_row(m, MMS_STAFF, id);
	int32_t earliest = mms_date_from_ymd(ps->first_year - 1 - mms_pseudo_needed.age_service_below,
					     12, 31); /* the first period's end, less those years */
	return (mms_pseudo_needed.age_roles >> row[S_ROLE] & 1) && row[S_WORK_START] != MMS_NONE &&
	       row[S_WORK_START] > earliest;
}

static int subject_needed(const char *s)
{
	for (int k = 0; k < mms_pseudo_needed.nsubjects; k++)
		if (!strcmp(s, mms_pseudo_needed.subjects[k]))
			return 1;
	return 0;
}

/* The subjects kept of a staff member's list, joined by "|". */
static void needed_subjects(const mms_model *m, int32_t list, mms_buf *out)
{
	for (int32_t k = 0; list && k < m->lists[list]; k++) {
		const char *s = mms_str(m, m->lists[list + 1 + k]);
		if (subject_needed(s))
			mms_buf_printf(out, "%s%s", out->len ? "|" : "", s);
	}
}

/* ---- what identifies a person ------------------------------------------ */

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Bytes that end a word: ASCII other than letters, digits, - _ . and the
 * quotes, dashes and spaces of Russian text; 0 for a byte inside one. */
static size_t separator(const unsigned char *p)
{
	if (*p < 0x80)
		return (*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z') ||
			       *p == '-' || *p == '_' || *p == '.' ? 0 : 1;
	if (p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB || p[1] == 0xA0)) /* « » nbsp */
		return 2;
	if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x93 && p[2] <= 0x9E) /* – — ‘ ’ “ ” „ */
		return 3;
	return 0;
}

static int inner_break(char c)
{
	return c == '-' || c == '_' || c == '.';
}

/* Whether text holds an identifier of the set: a word, or a run of a word
 * between its hyphens, underscores or dots ("ИОМ-2024-MUR-T0587"). */
static int identifies(const mms_pseudo *ps, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		size_t sep = separator(p);
		if (sep) {
			p += sep;
			continue;
		}
		const unsigned char *end = p;
		while (*end && !separator(end))
			end++;
		for (const unsigned char *a = p; a < end; a++) {
			if (a != p && !inner_break((char)a[-1]))
				continue;
			for (const unsigned char *b = a + 1; b <= end; b++) {
				if (b != end && !inner_break((char)*b))
					continue;
				uint64_t h = fnv((const char *)a, (size_t)(b - a));
				if (bsearch(&h, ps->ids, ps->nids, sizeof h, cmp_u64))
					return 1;
			}
		}
		p = end;
	}
	return 0;
}

/* Staff codes, names, and the words of names (of two letters or more);
 * counted first, then hashed. */
static size_t name_words(const char *name, uint64_t *out)
{
	size_t n = 0;
	for (const char *w = name; *w;) {
		size_t len = strcspn(w, " ");
		if (len >= 4) { /* bytes: two Cyrillic letters */
			if (out)
				out[n] = fnv(w, len);
			n++;
		}
		w += len + (w[len] == ' ');
	}
	return n;
}

static int collect_ids(mms_pseudo *ps, const mms_model *m)
{
	size_t n = m->t[MMS_STAFF].count, cap = 1;
	for (size_t id = 0; id < n; id++)
		cap += 2 + name_words(mms_str(m, mms_row(m, MMS_STAFF, (int32_t)id)[S_NAME]), NULL);
	if (!(ps->ids = mms_malloc(cap * sizeof *ps->ids)))
		return MMS_ENOMEM;
	for (size_t id = 0; id < n; id++) {
		const int32_t *row = mms_row(m, MMS_STAFF, (int32_t)id);
		const char *code = mms_str(m, row[S_CODE]), *name = mms_str(m, row[S_NAME]);
		ps->ids[ps->nids++] = fnv(code, strlen(code));
		ps->ids[ps->nids++] = fnv(name, strlen(name));
		ps->nids += name_words(name, ps->ids + ps->nids);
	}
	ps->nids = sort_unique(ps->ids, ps->nids, sizeof *ps->ids, cmp_u64); /* names repeat */
	return MMS_OK;
}

/* ---- pseudonyms ---------------------------------------------------------- */

/* The letter of each entity's pseudonyms; entities without one keep codes. */
static const char letters[MMS_ENTITY_COUNT] = {
	[MMS_STAFF] = 'P', [MMS_ROUTE] = 'R', [MMS_UNIT] = 'U', [MMS_ACTIVITY] = 'A',
	[MMS_RESOURCE] = 'S', [MMS_COMPETENCY] = 'C', [MMS_MENTORING_PAIR] = 'M',
};

static void pseudonym(struct hmac_sha256_ctx *ctx, int e, const char *code, char out[18])
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	if (e != MMS_STAFF) /* staff pseudonyms stay those of earlier exports */
		hmac_sha256_update(ctx, strlen(mms_entities[e].name) + 1,
				   (const uint8_t *)mms_entities[e].name);
	hmac_sha256_update(ctx, strlen(code), (const uint8_t *)code);
	hmac_sha256_digest(ctx, sizeof digest, digest); /* also resets for the next */
	out[0] = letters[e];
	for (int k = 0; k < 8; k++) {
		out[1 + 2 * k] = "0123456789abcdef"[digest[k] >> 4];
		out[2 + 2 * k] = "0123456789abcdef"[digest[k] & 15];
	}
	out[17] = '\0';
}

int mms_pseudo_init(mms_pseudo *ps, const mms_model *m, const char *key, char *why, size_t n)
{
	memset(ps, 0, sizeof *ps);
	if (!key || weak_key(key, why, n))
		return MMS_EINVAL;
	int rc = collect_ids(ps, m);
	if (rc == MMS_OK)
		rc = make_cuts(ps, m);
	for (int e = 0; e < MMS_ENTITY_COUNT && rc == MMS_OK; e++)
		if (letters[e] && !(ps->names[e] = mms_calloc(m->t[e].count + 1, sizeof *ps->names[e])))
			rc = MMS_ENOMEM;
	if (rc != MMS_OK) {
		mms_pseudo_free(ps);
		return rc;
	}
	struct hmac_sha256_ctx ctx;
	hmac_sha256_set_key(&ctx, strlen(key), (const uint8_t *)key);
	for (int e = 0; e < MMS_ENTITY_COUNT; e++)
		for (size_t id = 0; letters[e] && id < m->t[e].count; id++) {
			const char *code = mms_str(m, mms_row(m, e, (int32_t)id)[mms_entities[e].code_field]);
			if (e == MMS_STAFF || e == MMS_ROUTE || e == MMS_MENTORING_PAIR ||
			    identifies(ps, code))
				pseudonym(&ctx, e, code, ps->names[e][id]);
		}
	explicit_bzero(&ctx, sizeof ctx); /* the context holds the key */
	return MMS_OK;
}

void mms_pseudo_free(mms_pseudo *ps)
{
	for (int e = 0; e < MMS_ENTITY_COUNT; e++) {
		mms_free(ps->names[e]);
		ps->names[e] = NULL;
	}
	mms_free(ps->ids);
	ps->ids = NULL;
	ps->nids = 0;
	for (int c = 0; c < CUT_COUNT; c++) {
		mms_free(ps->cuts[c]);
		ps->cuts[c] = NULL;
		ps->ncuts[c] = 0;
	}
}

/* ---- what an export writes ----------------------------------------------- */

/* Free text about people, or that only people's records need. */
static int dropped(int e, int f)
{
	return (e == MMS_DIAGNOSTIC && f == D_NOTE) || (e == MMS_ROUTE && f == RT_NOTE) ||
	       (e == MMS_ROUTE_EVENT && (f == EV_EVIDENCE || f == EV_NOTE)) ||
	       (e == MMS_ROUTE_STEP && f == ST_REASON) || (e == MMS_LINK && f == L_NOTE) ||
	       (e == MMS_FACT && f == FA_NOTE) ||
	       (e == MMS_MENTORING_PAIR && (f == MP_PROGRAMME || f == MP_OUTCOME)) ||
	       (e == MMS_ROUTE_REVISION && f == RV_REASON) ||
	       (e == MMS_TASK_EVENT && (f == TE_EVIDENCE || f == TE_NOTE)) ||
	       (e == MMS_PROGRAMME && f == PG_NOTE) ||
	       (e == MMS_STAFF && (f == S_POSITION || f == S_CATEGORY || f == S_EDU_LEVEL));
}

/* The staff row whose pseudonym stands for a person's key: the row with
 * that code, else the first row of that person, so that every post of one
 * person carries the same key (a scan: persons are named only on the rows
 * of people with several posts). */
static int32_t person_row(const mms_model *m, const char *key)
{
	int32_t s = mms_model_find_code(m, MMS_STAFF, key);
	for (size_t k = 0; s < 0 && k < m->t[MMS_STAFF].count; k++)
		if (!strcmp(mms_str(m, mms_row(m, MMS_STAFF, (int32_t)k)[S_PERSON]), key))
			s = (int32_t)k;
	return s;
}

/* A past value of a staff field the export leaves out is written without
 * its value, as the field itself is. */
static int past_dropped(const mms_model *m, int32_t id)
{
	const int32_t *pv = mms_row(m, MMS_PAST_VALUE, id);
	int f = mms_field_find(MMS_STAFF, mms_str(m, pv[PV_FIELD]));
	return pv[PV_ENTITY] == DE_STAFF && (f < 0 || dropped(MMS_STAFF, f));
}

int mms_out_present(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, int f)
{
	if (ps && dropped(e, f))
		return 0;
	if (ps && e == MMS_PAST_VALUE && f == PV_VALUE && past_dropped(m, id))
		return 0;
	if (ps && e == MMS_STAFF && f == S_BIRTH && !age_read(m, ps, id))
		return 0;
	if (ps && e == MMS_STAFF && f == S_SUBJECTS) {
		mms_buf b = {0};
		needed_subjects(m, mms_row(m, e, id)[f], &b);
		int any = b.len > 0 || b.failed; /* a failed buffer reports itself when written */
		mms_buf_free(&b);
		return any;
	}
	return mms_field_present(m, e, id, f);
}

/* A date of a staff member, generalised; a last day of work is never
 * written before the start (the class of the end holds both then). */
static void staff_date(const mms_model *m, const mms_pseudo *ps, int32_t id, int f, mms_buf *out)
{
	const int32_t *row = mms_row(m, MMS_STAFF, id);
	int32_t day = generalised(ps, f == S_BIRTH ? CUT_BIRTH : f == S_WORK_START ? CUT_START
									   : CUT_END, row[f]);
	if (f == S_WORK_END && row[S_WORK_START] != MMS_NONE) {
		int32_t start = generalised(ps, CUT_START, row[S_WORK_START]);
		day = start > day ? start : day;
	}
	char text[11];
	mms_date_format(day, text);
	mms_buf_puts(out, text);
}

/* The code a record is written under: its pseudonym, if it has one. */
static const char *out_code(const mms_model *m, const mms_pseudo *ps, int e, int32_t id)
{
	if (ps->names[e] && ps->names[e][id][0])
		return ps->names[e][id];
	return mms_str(m, mms_row(m, e, id)[mms_entities[e].code_field]);
}

/* Whether a past value's value is a unit's code (a past org or parent). */
static int past_names_unit(const mms_model *m, const int32_t *pv)
{
	int de = mms_dated_entity(pv[PV_ENTITY]);
	int f = mms_field_find(de, mms_str(m, pv[PV_FIELD]));
	return f >= 0 && mms_entities[de].fields[f].type == F_REF &&
	       mms_entities[de].fields[f].aux == MMS_UNIT;
}

void mms_out_text(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, int f, mms_buf *out)
{
	const field_def *fd = &mms_entities[e].fields[f];
	const int32_t *row = mms_row(m, e, id);
	int32_t v = row[f];
	if (!ps || v == mms_field_absent(fd)) {
		mms_field_text(m, e, id, f, out);
	} else if (fd->type == F_CODE || (e == MMS_STAFF && f == S_NAME)) {
		mms_buf_puts(out, out_code(m, ps, e, id));
	} else if ((e == MMS_STAFF && f == S_PERSON) ||
		   (e == MMS_PAST_VALUE && f == PV_RECORD && row[PV_ENTITY] == DE_STAFF)) {
		int32_t s = e == MMS_STAFF ? person_row(m, mms_str(m, v))
					   : mms_model_find_code(m, MMS_STAFF, mms_str(m, v));
		mms_buf_puts(out, s >= 0 ? out_code(m, ps, MMS_STAFF, s) : "");
	} else if (e == MMS_PAST_VALUE && (f == PV_RECORD || (f == PV_VALUE && past_names_unit(m, row)))) {
		/* a unit's code, as the record or as a past org or parent: its pseudonym */
		int32_t u = mms_model_find_code(m, MMS_UNIT, mms_str(m, v));
		mms_buf_puts(out, u >= 0 ? out_code(m, ps, MMS_UNIT, u) : "");
	} else if (fd->type == F_REF && mms_entities[fd->aux].code_field >= 0) {
		mms_buf_puts(out, out_code(m, ps, fd->aux, v));
	} else if (e == MMS_RESOURCE && f == R_NAME && row[R_MENTOR] >= 0) {
		/* a mentor's offer is often named after the mentor */
		mms_buf_printf(out, "%s: %s", mms_enum_name(mms_entities[e].fields[R_KIND].aux, row[R_KIND]),
			       out_code(m, ps, MMS_STAFF, row[R_MENTOR]));
	} else if (e == MMS_STAFF && (f == S_BIRTH || f == S_WORK_START || f == S_WORK_END)) {
		staff_date(m, ps, id, f, out);
	} else if (e == MMS_STAFF && f == S_SUBJECTS) {
		needed_subjects(m, v, out);
	} else if (fd->type == F_STR && identifies(ps, mms_str(m, v))) {
		mms_buf_printf(out, "%s %s", mms_entities[e].record,
			       mms_entities[e].code_field >= 0 ? out_code(m, ps, e, id) : "");
	} else {
		mms_field_text(m, e, id, f, out);
	}
}

/* ---- the history, coarsened (docs/security.md) --------------------------- */

int mms_pseudo_history_key(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, mms_buf *out)
{
	if (mms_entities[e].code_field < 0)
		return 0; /* numbered by the caller, as the export numbers them */
	mms_buf_puts(out, out_code(m, ps, e, id));
	return 1;
}

int mms_pseudo_history_value(const mms_model *m, const mms_pseudo *ps, int e, int f,
			     const char *text, mms_buf *out)
{
	if (!text)
		return 0;
	if (f < 0) { /* the addition or deletion of the record: a marker, not a value */
		mms_buf_puts(out, text);
		return 1;
	}
	const field_def *fd = &mms_entities[e].fields[f];
	/* what the export leaves out or generalises is never shown as it was */
	if (dropped(e, f) || (e == MMS_STAFF && (f == S_NAME || f == S_BIRTH || f == S_WORK_START ||
						 f == S_WORK_END || f == S_SUBJECTS)))
		return 0;
	if (fd->type == F_REF) {
		int32_t id = mms_entities[fd->aux].code_field >= 0 ? mms_model_find_code(m, fd->aux, text)
								   : -1;
		if (id < 0)
			return 0;
		mms_buf_puts(out, out_code(m, ps, fd->aux, id));
		return 1;
	}
	if ((fd->type == F_STR || fd->type == F_LIST) && identifies(ps, text))
		return 0;
	mms_buf_puts(out, text);
	return 1;
}
