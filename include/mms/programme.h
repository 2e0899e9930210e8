/*
 * libmms — programmes that own indicators (since 0.2).
 *
 * A programme (a municipal development programme, a regional project, the
 * ЦНППМ recommendations) is data: criteria grouping its indicators in
 * order, the target trajectory it sets for each, its stages and the values
 * of the parameters its indicators declare (docs/indicators.md,
 * "Programmes"). The built-in ones (data/programmes/, compiled in) are in
 * every catalogue; users load their own. A unit adopts a programme for the
 * subtree of a territory unit through a record of the entity "programmes"
 * (docs/format.md); a unit is judged against the programmes adopted over
 * it (units of the territory on the level of the programme's owner or
 * above), and with no adoption in the database, against every programme.
 * Texts returned are borrowed from the catalogue.
 */
#ifndef MMS_PROGRAMME_H
#define MMS_PROGRAMME_H

#include "kpi.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Adds the programme definitions of a JSON file ({"programmes": [...]}),
 * replacing any with the same id. Every indicator a programme names must
 * be in the catalogue (load indicator definitions first). All or nothing:
 * problems are reported in *report (may be NULL) at their JSON pointer.
 */
MMS_EXTERN int mms_programme_load(mms_kpi *kpi, const char *path, mms_report **report);

/** As mms_programme_load(), from JSON text; name is used in locations. */
MMS_EXTERN int mms_programme_load_json(mms_kpi *kpi, const char *json, const char *name,
				       mms_report **report);

/** Number of programme definitions, and the id of definition i (load order) or NULL. */
MMS_EXTERN size_t mms_programme_count(const mms_kpi *kpi);
MMS_EXTERN const char *mms_programme_id(const mms_kpi *kpi, size_t i);

/**
 * A text attribute of a programme: "name_ru", "name_en", "source",
 * "owner_level", "owner_kind", "first_year", "last_year", "parameters"
 * (a JSON object). NULL if the programme or attribute is unknown.
 */
MMS_EXTERN const char *mms_programme_attr(const mms_kpi *kpi, const char *id, const char *attr);

/** Stages: their number, and stage i's "name_ru", "from" or "to" (dates). */
MMS_EXTERN size_t mms_programme_stage_count(const mms_kpi *kpi, const char *id);
MMS_EXTERN const char *mms_programme_stage_attr(const mms_kpi *kpi, const char *id, size_t i,
						const char *attr);

/** Criteria in order: their number, and criterion i's "id" or "name_ru". */
MMS_EXTERN size_t mms_programme_criterion_count(const mms_kpi *kpi, const char *id);
MMS_EXTERN const char *mms_programme_criterion_attr(const mms_kpi *kpi, const char *id,
						    size_t i, const char *attr);

/** The indicators of criterion i: their number, and the id of the j-th. */
MMS_EXTERN size_t mms_programme_criterion_size(const mms_kpi *kpi, const char *id, size_t i);
MMS_EXTERN const char *mms_programme_criterion_indicator(const mms_kpi *kpi, const char *id,
							 size_t i, size_t j);

/** The target programme sets for indicator in year, or NaN if it sets none. */
MMS_EXTERN double mms_programme_target(const mms_kpi *kpi, const char *programme,
				       const char *indicator, int year);

/**
 * The i-th programme (its definition id, in *out) adopted over unit for
 * year: an adoption record whose territory's subtree holds unit, within
 * its years (the definition's when the record gives none). *out is NULL
 * past the last. MMS_EREF when an adoption names a definition that is not
 * loaded.
 */
MMS_EXTERN int mms_programme_applying(mms_kpi *kpi, int32_t unit, int year, size_t i,
				      const char **out);

/**
 * An indicator of a programme at a unit for a year, as mms_kpi_value(),
 * judged against the programme's trajectory (a unit's own targets still
 * override it, down the hierarchy). MMS_ENOTFOUND if the programme is
 * unknown or does not list the indicator.
 */
MMS_EXTERN int mms_programme_value(mms_kpi *kpi, const char *programme, const char *indicator,
				   int32_t unit, int year, mms_kpi_result *out);

#ifdef __cplusplus
}
#endif

#endif
