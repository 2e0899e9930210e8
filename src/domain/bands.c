/* Deficit bands (bands.h). */
#include "domain/bands.h"

#include "mms/route.h"

mms_bands mms_bands_or_r201(double high_below, double medium_up_to)
{
	mms_bands r = MMS_BANDS_R201;
	if (high_below > 0)
		r.high_below = high_below;
	if (medium_up_to > 0)
		r.medium_up_to = medium_up_to;
	return r;
}

int mms_bands_valid(mms_bands b)
{
	return b.high_below > 0 && b.high_below <= b.medium_up_to && b.medium_up_to <= 100;
}

int mms_bands_severity(mms_bands b, double score)
{
	return score < b.high_below ? MMS_SEVERITY_HIGH
	       : score <= b.medium_up_to ? MMS_SEVERITY_MEDIUM : MMS_SEVERITY_MINIMAL;
}

int mms_deficit_consequence(int severity, int medium_to_course)
{
	return severity == MMS_SEVERITY_HIGH     ? CQ_ROUTE
	       : severity == MMS_SEVERITY_MEDIUM ? (medium_to_course ? CQ_COURSE : CQ_ROUTE)
						 : CQ_INFORMAL;
}

mms_bands mms_bands_of_route(const mms_model *m, int32_t route)
{
	const int32_t *rt = mms_row(m, MMS_ROUTE, route);
	mms_bands b = MMS_BANDS_R201;
	if (rt[RT_HIGH_BELOW] != MMS_NONE)
		b.high_below = (double)rt[RT_HIGH_BELOW] / MMS_DEC_SCALE;
	if (rt[RT_MEDIUM_UP_TO] != MMS_NONE)
		b.medium_up_to = (double)rt[RT_MEDIUM_UP_TO] / MMS_DEC_SCALE;
	return b;
}

double mms_diagnostic_score(const int32_t *d)
{
	static const double levels[] = {40, 70, 85, 95};
	return d[D_SCORE] != MMS_NONE ? (double)d[D_SCORE] / MMS_DEC_SCALE : levels[d[D_LEVEL]];
}
