/*
 * Periods and windows of records, the one home of these rules
 * (docs/indicators.md, "Periods and attribution"): the reporting period of
 * a year (calendar, or academic from 1 September), the span of a dated
 * record (one date standing for the other, undated in no period), "during
 * the period" against "at its end", whole-year windows ending at a day,
 * and when a participation counts as completed. The indicator engine and
 * the expression vocabulary call these; neither keeps a rule of its own.
 */
#ifndef MMS_DOMAIN_PERIOD_H
#define MMS_DOMAIN_PERIOD_H

#include "model/model.h"

/* Year Y as a reporting period, inclusive day numbers: 1 January to 31
 * December, or (academic) 1 September Y to 31 August Y+1. */
void mms_period_of_year(int academic, int year, int32_t *start, int32_t *end);

/* A record's first and last day from its own two dates, one missing
 * standing for the other. 0 when it has neither: it belongs to no period. */
int mms_period_span(int32_t start, int32_t end, int32_t *from, int32_t *to);

/* Whether a record dated start..end (either may be MMS_NONE) falls at any
 * time in [from, to]; an undated record falls in none. */
int mms_period_meets(int32_t start, int32_t end, int32_t from, int32_t to);

/* Whether something valid from start to end (open where MMS_NONE: a link
 * or membership without dates is always valid) is valid on day... */
int mms_period_valid_on(int32_t start, int32_t end, int32_t day);
/* ...or at any time in [from, to]. */
int mms_period_valid_during(int32_t start, int32_t end, int32_t from, int32_t to);

/* The first day of a window of whole years ending on day end (a year of
 * 365.2425 days); years >= 1. */
int32_t mms_period_window_start(int32_t end, int years);

/* A participation's first and last day: its own dates, else its
 * activity's, one missing standing for the other. 0 when it has none. */
int mms_participation_dates(const mms_model *m, int32_t p, int32_t *start, int32_t *end);

/* Completed by day as the documents count it: marked completed, and its
 * last day (mms_participation_dates) on or before day. `completed` alone
 * cannot say when: a course ending on 1 January completes the next year. */
int mms_participation_completed_by(const mms_model *m, int32_t p, int32_t day);

#endif
