/*
 * Careers and units over time (docs/format.md, "People, posts and past
 * values"): a staff row is one post of a person; a dated field of a staff
 * member or unit holds its current value, and past_values hold what it
 * held before. Every reading of a dated field "as at a day" comes here.
 */
#ifndef MMS_DOMAIN_EMPLOYMENT_H
#define MMS_DOMAIN_EMPLOYMENT_H

#include "model/model.h"

/* Whether field f of entity e (MMS_STAFF or MMS_UNIT) has a history. */
int mms_dated_field(int e, int f);
/* The entity a past value's "entity" names (DE_STAFF → MMS_STAFF...). */
int mms_dated_entity(int32_t dated);

/*
 * What past value pv (a row of MMS_PAST_VALUE) says, resolved: its
 * record's id, the field's index and the value in the row's own form (an
 * enum index, a unit id, 0/1, a pool offset). MMS_EREF: no such record;
 * MMS_EINVAL: the field is not dated; MMS_ETYPE: the value does not fit
 * the field (an unknown name, a unit that does not exist); MMS_EMISSING:
 * absent for a required field.
 */
int mms_past_value_resolve(const mms_model *m, int32_t pv, int32_t *record, int *field,
			   int32_t *value);

/* The past values of a model in lookup order, built once per change. */
typedef struct mms_timeline_entry {
	int32_t record, until, value;
	int8_t entity, field;
} mms_timeline_entry;

typedef struct mms_timeline {
	mms_timeline_entry *e;
	size_t n;
	size_t staff_orgs, unit_parents; /* entries of the two fields that move records */
	/* staff by the units their past orgs name (CSR over units units, each
	 * staff row once): with the current staff of a unit, everyone who may
	 * have been there on some day */
	int32_t *org_start, *org_staff;
	size_t units;
} mms_timeline;

/* Builds t from the live past values of m that resolve (the others were
 * refused on their way in, or name a record deleted since). */
int mms_timeline_build(mms_timeline *t, const mms_model *m);
void mms_timeline_free(mms_timeline *t);

/* The value field f of record id held on day: that of the earliest past
 * value of (record, field) whose until is on or after day, else the row's.
 * t may be NULL (no history). */
int32_t mms_value_at(const mms_timeline *t, const mms_model *m, int e, int32_t id, int f,
		     int32_t day);

/*
 * The staff of unit on day, one per call (start with *k = 0; -1 at the
 * end): the staff rows whose org on that day (mms_value_at) is unit, each
 * once. cur_start/cur_ids list staff by current org (the network index's
 * staff_start/staff_ids); t adds those who were there before.
 */
int32_t mms_unit_staff_next(const mms_timeline *t, const mms_model *m, const int32_t *cur_start,
			    const int32_t *cur_ids, int32_t unit, int32_t day, int32_t *k);

/* Whether unit u is root or below it in the hierarchy of day. */
int mms_within_at(const mms_timeline *t, const mms_model *m, int32_t root, int32_t u,
		  int32_t day);

/* The same rule without an index, for one lookup: the past value of
 * record id's field f in force on day, or -1 (the row's value is). */
int32_t mms_past_value_find(const mms_model *m, int e, int32_t id, int f, int32_t day);
/* The past value of record id's field f with the latest until, or -1: a
 * new one must end after it. */
int32_t mms_past_value_last(const mms_model *m, int e, int32_t id, int f);

/* Whether staff row s was employed on day (work_start .. work_end). */
int mms_employed_at(const mms_model *m, int32_t s, int32_t day);
/* The person's key of staff row s: its person, else its code. */
const char *mms_staff_person(const mms_model *m, int32_t s);
/* Whether staff row s counts in staff denominators on day: external
 * part-timers and civil-law contracts do not, as in official statistics. */
int mms_on_staff_at(const mms_timeline *t, const mms_model *m, int32_t s, int32_t day);
/* Whether staff row s is a post its person is counted at when people, not
 * posts, are counted: the main employment (absent = main). */
int mms_main_post_at(const mms_timeline *t, const mms_model *m, int32_t s, int32_t day);

/*
 * Cohorts of a period (docs/indicators.md, "Cohorts"): the day staff row s
 * entered the cohort of the period start..end — start if employed then,
 * its work_start if hired during the period — or MMS_NONE.
 */
int32_t mms_cohort_entry(const mms_model *m, int32_t s, int32_t start, int32_t end);
/* Where a member of a cohort who was at unit from and is at unit to on day
 * counts as retained: from itself if it stayed, else the lowest unit above
 * both in the hierarchy of that day (a move within a municipality is kept
 * by the municipality and lost by the school left), or -1 (none). */
int32_t mms_retained_at(const mms_timeline *t, const mms_model *m, int32_t from, int32_t to,
			int32_t day);

#endif
