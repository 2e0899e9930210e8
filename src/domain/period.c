/*
 * Periods and windows of records (period.h).
 */
#include "period.h"

void mms_period_of_year(int academic, int year, int32_t *start, int32_t *end)
{
	if (academic) { /* 1 September to 31 August */
		*start = mms_date_from_ymd(year, 9, 1);
		*end = mms_date_from_ymd(year + 1, 8, 31);
	} else {
		*start = mms_date_from_ymd(year, 1, 1);
		*end = mms_date_from_ymd(year, 12, 31);
	}
}

int mms_period_span(int32_t start, int32_t end, int32_t *from, int32_t *to)
{
	*from = start != MMS_NONE ? start : end;
	*to = end != MMS_NONE ? end : start;
	return *from != MMS_NONE;
}

int mms_period_meets(int32_t start, int32_t end, int32_t from, int32_t to)
{
	int32_t s, e;
	return mms_period_span(start, end, &s, &e) && s <= to && e >= from;
}

int mms_period_valid_on(int32_t start, int32_t end, int32_t day)
{
	return (start == MMS_NONE || start <= day) && (end == MMS_NONE || end >= day);
}

int mms_period_valid_during(int32_t start, int32_t end, int32_t from, int32_t to)
{
	return (start == MMS_NONE || start <= to) && (end == MMS_NONE || end >= from);
}

int32_t mms_period_window_start(int32_t end, int years)
{
	return end - (int32_t)(years * 365.2425) + 1;
}

int mms_participation_dates(const mms_model *m, int32_t p, int32_t *start, int32_t *end)
{
	const int32_t *r = mms_row(m, MMS_PARTICIPATION, p);
	const int32_t *a = mms_row(m, MMS_ACTIVITY, r[P_ACTIVITY]);
	return mms_period_span(r[P_START] != MMS_NONE ? r[P_START] : a[A_START],
			       r[P_END] != MMS_NONE ? r[P_END] : a[A_END], start, end);
}

int mms_participation_completed_by(const mms_model *m, int32_t p, int32_t day)
{
	int32_t s, e;
	return mms_row(m, MMS_PARTICIPATION, p)[P_COMPLETED] &&
	       mms_participation_dates(m, p, &s, &e) && e <= day;
}
