/*
 * Deficit bands (recommendations Р-201 of 27.08.2021, table 1): the share
 * of tasks solved below high_below is a high deficit, up to medium_up_to a
 * medium one, above it minimal or none. Configurable per region and stored
 * with each route and each result, so what was judged by one set of bands
 * is never re-judged by another. The one home of these rules.
 */
#ifndef MMS_DOMAIN_BANDS_H
#define MMS_DOMAIN_BANDS_H

#include "model/model.h"

typedef struct mms_bands {
	double high_below, medium_up_to;
} mms_bands;

/* Р-201's bands: below 60 high, 61-80 medium, 81-100 minimal. */
#define MMS_BANDS_R201 ((mms_bands){60, 80})

/* The bands asked for, a value <= 0 standing for Р-201's. */
mms_bands mms_bands_or_r201(double high_below, double medium_up_to);
/* Whether they make sense: 0 < high <= medium <= 100. */
int mms_bands_valid(mms_bands b);
/* MMS_SEVERITY_* of a share of tasks solved. */
int mms_bands_severity(mms_bands b, double score);
/* What a deficit of this MMS_SEVERITY_* leads to (Р-201), CQ_*: a high
 * one the individual route; a medium one the route, or a subject PD course
 * where the region chooses courses; a minimal one informal and non-formal
 * learning. */
int mms_deficit_consequence(int severity, int medium_to_course);
/* The bands a stored route was built with; Р-201's for one without. */
mms_bands mms_bands_of_route(const mms_model *m, int32_t route);
/* The score a diagnostic stands for: its own, else the middle of its
 * level's band (below_basic 40, basic 70, elevated 85, high 95). */
double mms_diagnostic_score(const int32_t *diagnostic_row);

#endif
