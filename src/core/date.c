/* Civil dates as day numbers (H. Hinnant's days_from_civil algorithm). */
#include <stdio.h>
#include <time.h>

#include "core.h"

int32_t mms_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void mms_date_to_ymd(int32_t days, int *y, int *m, int *d)
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

int mms_days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

int mms_date_parse(const char *s, int32_t *out)
{
	int y = 0, m = 0, d = 0;
	for (int i = 0; i < 10; i++) {
		char c = s[i];
		if (i == 4 || i == 7) {
			if (c != '-')
				return MMS_ETYPE;
			continue;
		}
		if (c < '0' || c > '9')
			return MMS_ETYPE;
		int v = c - '0';
		if (i < 4)
			y = y * 10 + v;
		else if (i < 7)
			m = m * 10 + v;
		else
			d = d * 10 + v;
	}
	if (s[10] != '\0')
		return MMS_ETYPE;
	if (m < 1 || m > 12 || d < 1 || d > mms_days_in_month(y, m))
		return MMS_ERANGE;
	*out = mms_date_from_ymd(y, m, d);
	return MMS_OK;
}

void mms_date_format(int32_t days, char out[11])
{
	int y, m, d;
	mms_date_to_ymd(days, &y, &m, &d);
	/* Parsed dates have four-digit years; the mask only tells the compiler. */
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
}

int mms_years_between(int32_t from, int32_t to)
{
	int y1, m1, d1, y2, m2, d2;
	mms_date_to_ymd(from, &y1, &m1, &d1);
	mms_date_to_ymd(to, &y2, &m2, &d2);
	int years = y2 - y1;
	if (m2 < m1 || (m2 == m1 && d2 < d1))
		years--;
	return years;
}

int32_t mms_date_today(void)
{
	return (int32_t)(time(NULL) / 86400);
}
