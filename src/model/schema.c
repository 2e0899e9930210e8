/*
 * The entities of the methodical network and their fields, described once.
 * Field order is the order of JSON keys, CSV columns and SQLite columns.
 * The glossary of shared/DOMAIN.md gives the names.
 */
#include <string.h>

#include "model.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const levels[] = {"federal", "regional", "municipal",
				     "institutional", "subunit"};
static const char *const unit_kinds[] = {
	"ministry", "cnppm", "institute", "regional_umo", "methodical_active",
	"municipal_service", "municipal_association", "innovation_site",
	"resource_centre", "base_school", "internship_site", "community",
	"school", "preschool", "college", "supplementary", "pd_provider",
	"methodical_council", "school_association", "creative_group",
	"project_team", "mentoring_pair"};
static const char *const directions[] = {"analytical", "informational",
					 "organisational", "consulting",
					 "scientific", "publishing"};
static const char *const link_kinds[] = {
	"agreement", "curatorship", "network_leadership",
	"resource_partnership", "internship_partnership", "membership"};
static const char *const roles[] = {"teacher", "manager", "methodist"};
static const char *const categories[] = {"none", "conformity", "first", "highest"};
static const char *const edu_levels[] = {"school", "preschool", "college",
					 "supplementary", "pd"};
/* Positions with professional standards of their own (a resource's fit);
 * a person's is derived from role and education level, staff.position being
 * free text. */
static const char *const positions[] = {"teacher", "preschool_educator",
					"supplementary_teacher", "manager", "methodist"};
/* A post's kind of employment; statistics count main and internal
 * part-time posts on staff (docs/format.md, People and employments). */
static const char *const employments[] = {"main", "internal_part_time", "external_part_time",
					  "civil_law"};
/* The entities whose fields have a valid-time history (past_values). */
static const char *const dated_entities[] = {"staff", "unit"};
static const char *const staff_link_kinds[] = {"member", "head", "supports"};
static const char *const activity_kinds[] = {
	"course", "internship", "competition", "innovation_project",
	"community", "municipal_project", "mentoring", "event", "publication",
	"broadcast", "survey"};
static const char *const formats[] = {"in_person", "distance", "blended"};
/* What a survey asks (seed 003 tells a satisfaction questionnaire from the
 * municipal monitoring of needs and deficits). */
static const char *const purposes[] = {"satisfaction", "needs", "monitoring"};
static const char *const part_roles[] = {"participant", "organiser", "speaker",
					 "mentor", "mentee", "author",
					 "respondent"};
static const char *const results[] = {"participant", "prize_winner", "winner"};
static const char *const comp_kinds[] = {"area", "competency", "indicator"};
static const char *const diag_levels[] = {"below_basic", "basic", "elevated", "high"};
static const char *const resource_kinds[] = {"course", "internship", "mentoring", "association",
					     "seminar", "competition", "self_education"};
/* Route statuses come first, then step statuses; events name one of them. */
/* The forms of mentoring of the 2021 recommendations on the system (target
 * model) of mentoring of pedagogical workers (Минпросвещения letter
 * АЗ-1128/08 of 21.12.2021; docs/routes.md, "Mentoring as a programme"). */
static const char *const mentoring_forms[] = {
	"teacher_teacher", "manager_teacher", "traditional", "group", "virtual",
	"short_term", "reverse", "situational", "speed"};
static const char *const route_statuses[] = {"approved", "active", "completed", "cancelled",
					     "in_progress", "done", "failed"};
static const char *const severities[] = {"minimal", "medium", "high"};
static const char *const consequences[] = {"route", "course", "informal"};
static const char *const session_kinds[] = {"entry", "repeat"};
static const char *const session_forms[] = {"test", "case", "self_assessment", "observation"};

static const char *const recurrences[] = {"once", "monthly", "quarterly", "yearly"};
static const char *const task_statuses[] = {"in_progress", "done", "cancelled"};

const enum_def mms_enums[E_ENUM_COUNT] = {
	[E_LEVEL] = {"level", levels, N(levels)},
	[E_UNIT_KIND] = {"unit kind", unit_kinds, N(unit_kinds)},
	[E_DIRECTION] = {"direction of work", directions, N(directions)},
	[E_LINK_KIND] = {"link kind", link_kinds, N(link_kinds)},
	[E_ROLE] = {"staff role", roles, N(roles)},
	[E_CATEGORY] = {"qualification category", categories, N(categories)},
	[E_EDU_LEVEL] = {"education level", edu_levels, N(edu_levels)},
	[E_STAFF_LINK_KIND] = {"staff link kind", staff_link_kinds, N(staff_link_kinds)},
	[E_ACTIVITY_KIND] = {"activity kind", activity_kinds, N(activity_kinds)},
	[E_FORMAT] = {"format", formats, N(formats)},
	[E_PART_ROLE] = {"participation role", part_roles, N(part_roles)},
	[E_RESULT] = {"result", results, N(results)},
	[E_COMP_KIND] = {"competency kind", comp_kinds, N(comp_kinds)},
	[E_DIAG_LEVEL] = {"diagnostic level", diag_levels, N(diag_levels)},
	[E_RESOURCE_KIND] = {"resource kind", resource_kinds, N(resource_kinds)},
	[E_ROUTE_STATUS] = {"route or step status", route_statuses, N(route_statuses)},
	[E_POSITION] = {"position", positions, N(positions)},
	[E_PURPOSE] = {"survey purpose", purposes, N(purposes)},
	[E_EMPLOYMENT] = {"employment", employments, N(employments)},
	[E_DATED_ENTITY] = {"dated entity", dated_entities, N(dated_entities)},
	[E_SEVERITY] = {"deficit severity", severities, N(severities)},
	[E_CONSEQUENCE] = {"deficit consequence", consequences, N(consequences)},
	[E_SESSION_KIND] = {"diagnostic session kind", session_kinds, N(session_kinds)},
	[E_SESSION_FORM] = {"diagnostic form", session_forms, N(session_forms)},
	[E_RECURRENCE] = {"recurrence", recurrences, N(recurrences)},
	[E_TASK_STATUS] = {"task status", task_statuses, N(task_statuses)},
	[E_MENTORING_FORM] = {"form of mentoring", mentoring_forms, N(mentoring_forms)},
};

#define REQ 1
#define OPT 0
static const field_def unit_fields[] = {
	{"code", F_CODE, REQ, 0, 0, 0},
	{"name", F_STR, REQ, 0, 0, 0},
	{"level", F_ENUM, REQ, E_LEVEL, 0, 0},
	{"kind", F_ENUM, REQ, E_UNIT_KIND, 0, 0},
	{"parent", F_REF, OPT, MMS_UNIT, 0, 0},
	{"territory", F_STR, OPT, 0, 0, 0},
	{"rural", F_BOOL, OPT, 0, 0, 0},
	{"directions", F_SET, OPT, E_DIRECTION, 0, 0},
	{"site_level", F_ENUM, OPT, E_LEVEL, 0, 0},
};
static const field_def link_fields[] = {
	{"kind", F_ENUM, REQ, E_LINK_KIND, 0, 0},
	{"from", F_REF, REQ, MMS_UNIT, 0, 0},
	{"to", F_REF, REQ, MMS_UNIT, 0, 0},
	{"start", F_DATE, OPT, 0, 0, 0},
	{"end", F_DATE, OPT, 0, 0, 0},
	{"note", F_STR, OPT, 0, 0, 0},
};
static const field_def staff_fields[] = {
	{"code", F_CODE, REQ, 0, 0, 0},
	{"name", F_STR, REQ, 0, 0, 0},
	{"org", F_REF, REQ, MMS_UNIT, 0, 0},
	{"role", F_ENUM, REQ, E_ROLE, 0, 0},
	{"position", F_STR, OPT, 0, 0, 0},
	{"birth_date", F_DATE, OPT, 0, 0, 0},
	{"work_start", F_DATE, OPT, 0, 0, 0},
	{"category", F_ENUM, OPT, E_CATEGORY, 0, 0},
	{"edu_level", F_ENUM, OPT, E_EDU_LEVEL, 0, 0},
	{"subjects", F_LIST, OPT, 0, 0, 0},
	{"part_time", F_BOOL, OPT, 0, 0, 0},
	{"work_end", F_DATE, OPT, 0, 0, 0}, /* 0.2: the last day of work, for retention */
	/* 0.2, schema 9: a row is one post; rows of one person share this key
	 * (absent = the code is the person's key) */
	{"person", F_STR, OPT, 0, 0, 0},
	{"employment", F_ENUM, OPT, E_EMPLOYMENT, 0, 0},
};
static const field_def staff_link_fields[] = {
	{"kind", F_ENUM, REQ, E_STAFF_LINK_KIND, 0, 0},
	{"staff", F_REF, REQ, MMS_STAFF, 0, 0},
	{"unit", F_REF, OPT, MMS_UNIT, 0, 0},
	{"target_staff", F_REF, OPT, MMS_STAFF, 0, 0},
	{"start", F_DATE, OPT, 0, 0, 0},
	{"end", F_DATE, OPT, 0, 0, 0},
};
static const field_def activity_fields[] = {
	{"code", F_CODE, REQ, 0, 0, 0},
	{"name", F_STR, REQ, 0, 0, 0},
	{"kind", F_ENUM, REQ, E_ACTIVITY_KIND, 0, 0},
	{"level", F_ENUM, OPT, E_LEVEL, 0, 0},
	{"organizer", F_REF, OPT, MMS_UNIT, 0, 0},
	{"provider", F_REF, OPT, MMS_UNIT, 0, 0},
	{"hours", F_INT, OPT, 0, 1, 5000},
	{"federal_register", F_BOOL, OPT, 0, 0, 0},
	{"format", F_ENUM, OPT, E_FORMAT, 0, 0},
	{"start", F_DATE, OPT, 0, 0, 0},
	{"end", F_DATE, OPT, 0, 0, 0},
	{"purpose", F_ENUM, OPT, E_PURPOSE, 0, 0}, /* 0.2, schema 8: what a survey asks */
};
static const field_def participation_fields[] = {
	{"activity", F_REF, REQ, MMS_ACTIVITY, 0, 0},
	{"staff", F_REF, OPT, MMS_STAFF, 0, 0},
	{"unit", F_REF, OPT, MMS_UNIT, 0, 0},
	{"role", F_ENUM, REQ, E_PART_ROLE, 0, 0},
	{"result", F_ENUM, OPT, E_RESULT, 0, 0},
	{"peer", F_REF, OPT, MMS_STAFF, 0, 0},
	{"hours", F_INT, OPT, 0, 0, 5000},
	{"score", F_INT, OPT, 0, 0, 100},
	{"start", F_DATE, OPT, 0, 0, 0},
	{"end", F_DATE, OPT, 0, 0, 0},
	{"completed", F_BOOL, OPT, 0, 0, 0},
};

static const field_def target_fields[] = {
	{"indicator", F_STR, REQ, 0, 0, 0},
	{"unit", F_REF, REQ, MMS_UNIT, 0, 0},
	{"year", F_INT, REQ, 0, 1900, 2100},
	{"value", F_DEC, OPT, 0, -MMS_DEC_MAX, MMS_DEC_MAX},
};

static const field_def fact_fields[] = {
	{"unit", F_REF, REQ, MMS_UNIT, 0, 0},
	{"key", F_STR, REQ, 0, 0, 0},
	{"year", F_INT, REQ, 0, 1900, 2100},
	{"value", F_DEC, OPT, 0, -MMS_DEC_MAX, MMS_DEC_MAX},
	{"note", F_STR, OPT, 0, 0, 0},
};

static const field_def competency_fields[] = {
	{"code", F_CODE, REQ, 0, 0, 0},
	{"name", F_STR, REQ, 0, 0, 0},
	{"framework", F_STR, REQ, 0, 0, 0},
	{"parent", F_REF, OPT, MMS_COMPETENCY, 0, 0},
	{"kind", F_ENUM, REQ, E_COMP_KIND, 0, 0},
	{"labour_function", F_STR, OPT, 0, 0, 0},
};
static const field_def diagnostic_fields[] = {
	{"staff", F_REF, REQ, MMS_STAFF, 0, 0},
	{"competency", F_REF, REQ, MMS_COMPETENCY, 0, 0},
	{"date", F_DATE, REQ, 0, 0, 0},
	{"score", F_DEC, OPT, 0, 0, 100 * MMS_DEC_SCALE},
	{"level", F_ENUM, OPT, E_DIAG_LEVEL, 0, 0},
	{"note", F_STR, OPT, 0, 0, 0},
	/* 0.2, schema 10: the session the result belongs to, and its task (a
	 * result per task: the competency's share is the mean of its tasks') */
	{"session", F_REF, OPT, MMS_DIAGNOSTIC_SESSION, 0, 0},
	{"task", F_STR, OPT, 0, 0, 0},
};
static const field_def resource_fields[] = {
	{"code", F_CODE, REQ, 0, 0, 0},
	{"name", F_STR, REQ, 0, 0, 0},
	{"kind", F_ENUM, REQ, E_RESOURCE_KIND, 0, 0},
	{"hours", F_INT, OPT, 0, 0, 5000},
	{"format", F_ENUM, OPT, E_FORMAT, 0, 0},
	{"provider", F_REF, OPT, MMS_UNIT, 0, 0},
	{"site", F_REF, OPT, MMS_UNIT, 0, 0},
	{"mentor", F_REF, OPT, MMS_STAFF, 0, 0},
	{"start", F_DATE, OPT, 0, 0, 0},
	{"end", F_DATE, OPT, 0, 0, 0},
	{"federal_register", F_BOOL, OPT, 0, 0, 0},
	{"in_region", F_BOOL, OPT, 0, 0, 0},
	{"capacity", F_INT, OPT, 0, 0, 1000000},
	{"prerequisite", F_REF, OPT, MMS_RESOURCE, 0, 0},
	/* 0.2, schema 5: whom the resource fits (docs/routes.md); absent = anyone */
	{"subjects", F_LIST, OPT, 0, 0, 0},
	{"edu_levels", F_SET, OPT, E_EDU_LEVEL, 0, 0},
	{"positions", F_SET, OPT, E_POSITION, 0, 0},
	{"categories", F_SET, OPT, E_CATEGORY, 0, 0},
	{"min_experience", F_INT, OPT, 0, 0, 70},
	{"max_experience", F_INT, OPT, 0, 0, 70},
};
static const field_def develops_fields[] = {
	{"resource", F_REF, REQ, MMS_RESOURCE, 0, 0},
	{"competency", F_REF, REQ, MMS_COMPETENCY, 0, 0},
	{"strength", F_INT, REQ, 0, 1, 3},
};
static const field_def route_fields[] = {
	{"code", F_CODE, REQ, 0, 0, 0},
	{"staff", F_REF, REQ, MMS_STAFF, 0, 0},
	{"tutor", F_REF, OPT, MMS_STAFF, 0, 0},
	{"start", F_DATE, OPT, 0, 0, 0},
	{"end", F_DATE, OPT, 0, 0, 0},
	{"budget_hours", F_INT, OPT, 0, 0, 5000},
	{"note", F_STR, OPT, 0, 0, 0},
	/* 0.2, schema 5: the deficit bands the route was built with (Р-201) */
	{"high_below", F_DEC, OPT, 0, 0, 100 * MMS_DEC_SCALE},
	{"medium_up_to", F_DEC, OPT, 0, 0, 100 * MMS_DEC_SCALE},
	/* 0.2, schema 7: who developed, agreed and approved the route, and when
	 * the teacher acknowledged it (docs/routes.md, "Who builds, agrees and
	 * approves") */
	{"developer", F_REF, OPT, MMS_STAFF, 0, 0},
	{"developer_unit", F_REF, OPT, MMS_UNIT, 0, 0},
	{"developed_on", F_DATE, OPT, 0, 0, 0},
	{"agreed_by", F_REF, OPT, MMS_STAFF, 0, 0},
	{"agreed_on", F_DATE, OPT, 0, 0, 0},
	{"approved_by", F_REF, OPT, MMS_STAFF, 0, 0},
	{"approved_on", F_DATE, OPT, 0, 0, 0},
	{"acknowledged_on", F_DATE, OPT, 0, 0, 0},
};
static const field_def route_step_fields[] = {
	{"route", F_REF, REQ, MMS_ROUTE, 0, 0},
	{"resource", F_REF, REQ, MMS_RESOURCE, 0, 0},
	{"covers", F_LIST, OPT, 0, 0, 0},
	{"order", F_INT, OPT, 0, 0, 1000},
	{"start", F_DATE, OPT, 0, 0, 0},
	{"end", F_DATE, OPT, 0, 0, 0},
	{"hours", F_INT, OPT, 0, 0, 5000},
	{"reason", F_STR, OPT, 0, 0, 0},
	/* 0.2, schema 8: the mentoring pair a mentoring step created or joined */
	{"pair", F_REF, OPT, MMS_MENTORING_PAIR, 0, 0},
};
static const field_def route_event_fields[] = {
	{"route", F_REF, REQ, MMS_ROUTE, 0, 0},
	{"step", F_REF, OPT, MMS_ROUTE_STEP, 0, 0},
	{"status", F_ENUM, REQ, E_ROUTE_STATUS, 0, 0},
	{"date", F_DATE, REQ, 0, 0, 0},
	{"evidence", F_STR, OPT, 0, 0, 0},
	{"note", F_STR, OPT, 0, 0, 0},
};
/* 0.2, schema 9: the valid-time history of dated fields (domain/employment.h):
 * the value a field of a staff member or unit held until a day; the row
 * holds the current value. */
static const field_def past_value_fields[] = {
	{"entity", F_ENUM, REQ, E_DATED_ENTITY, 0, 0},
	{"record", F_STR, REQ, 0, 0, 0},
	{"field", F_STR, REQ, 0, 0, 0},
	{"value", F_STR, OPT, 0, 0, 0},
	{"until", F_DATE, REQ, 0, 0, 0},
};
/* 0.2, schema 10: what a route was built on, frozen with it (docs/routes.md,
 * "What a route was built on"): each result, its severity under the
 * route's bands, what it leads to (Р-201) and the diagnostic it came from. */
static const field_def route_deficit_fields[] = {
	{"route", F_REF, REQ, MMS_ROUTE, 0, 0},
	{"competency", F_REF, REQ, MMS_COMPETENCY, 0, 0},
	{"score", F_DEC, OPT, 0, 0, 100 * MMS_DEC_SCALE},
	{"severity", F_ENUM, REQ, E_SEVERITY, 0, 0},
	{"consequence", F_ENUM, REQ, E_CONSEQUENCE, 0, 0},
	{"diagnostic", F_REF, OPT, MMS_DIAGNOSTIC, 0, 0},
	{"suggestions", F_LIST, OPT, 0, 0, 0},
	{"session", F_REF, OPT, MMS_DIAGNOSTIC_SESSION, 0, 0},
};
/* 0.2, schema 10: a diagnostic session (Р-201): entry or repeat, its form,
 * the instrument and its version, who ran it and when. */
static const field_def diagnostic_session_fields[] = {
	{"code", F_CODE, REQ, 0, 0, 0},
	{"kind", F_ENUM, REQ, E_SESSION_KIND, 0, 0},
	{"form", F_ENUM, REQ, E_SESSION_FORM, 0, 0},
	{"instrument", F_STR, REQ, 0, 0, 0},
	{"instrument_version", F_STR, OPT, 0, 0, 0},
	{"staff", F_REF, OPT, MMS_STAFF, 0, 0},
	{"unit", F_REF, OPT, MMS_UNIT, 0, 0},
	{"date", F_DATE, REQ, 0, 0, 0},
};

/* 0.2: a programme (its definition is data, src/kpi/programme.c) adopted
 * by a unit for the subtree of a territory unit (docs/indicators.md,
 * "Programmes"). */
static const field_def programme_fields[] = {
	{"code", F_CODE, REQ, 0, 0, 0},
	{"definition", F_STR, REQ, 0, 0, 0},
	{"owner", F_REF, REQ, MMS_UNIT, 0, 0},
	{"territory", F_REF, REQ, MMS_UNIT, 0, 0},
	{"first_year", F_INT, OPT, 0, 1900, 2100},
	{"last_year", F_INT, OPT, 0, 1900, 2100},
	{"note", F_STR, OPT, 0, 0, 0},
};

/* 0.2: a task of an adopted programme's roadmap or yearly plan, and its
 * status changes; "done on time" shares are computed from them
 * (src/kpi/tasks.c). */
static const field_def task_fields[] = {
	{"code", F_CODE, REQ, 0, 0, 0},
	{"programme", F_REF, REQ, MMS_PROGRAMME, 0, 0},
	{"plan", F_STR, REQ, 0, 0, 0},
	{"name", F_STR, REQ, 0, 0, 0},
	{"deadline", F_DATE, REQ, 0, 0, 0},
	{"recurrence", F_ENUM, OPT, E_RECURRENCE, 0, 0},
	{"unit", F_REF, OPT, MMS_UNIT, 0, 0},
	{"responsible", F_REF, OPT, MMS_STAFF, 0, 0},
	{"expected_result", F_STR, OPT, 0, 0, 0},
};
static const field_def task_event_fields[] = {
	{"task", F_REF, REQ, MMS_TASK, 0, 0},
	{"date", F_DATE, REQ, 0, 0, 0},
	{"status", F_ENUM, REQ, E_TASK_STATUS, 0, 0},
	{"evidence", F_STR, OPT, 0, 0, 0},
	{"note", F_STR, OPT, 0, 0, 0},
};

/* 0.2, schema 12: a mentoring pair of the target model (docs/routes.md) */
static const field_def mentoring_pair_fields[] = {
	{"code", F_CODE, REQ, 0, 0, 0},
	{"form", F_ENUM, REQ, E_MENTORING_FORM, 0, 0},
	{"mentor", F_REF, REQ, MMS_STAFF, 0, 0},
	{"mentee", F_REF, REQ, MMS_STAFF, 0, 0},
	{"curator", F_REF, OPT, MMS_STAFF, 0, 0},
	{"programme", F_STR, OPT, 0, 0, 0},
	{"start", F_DATE, OPT, 0, 0, 0},
	{"end", F_DATE, OPT, 0, 0, 0},
	{"outcome", F_STR, OPT, 0, 0, 0},
};

/* 0.2, schema 12: a revision of an approved route (docs/routes.md) */
static const field_def route_revision_fields[] = {
	{"route", F_REF, REQ, MMS_ROUTE, 0, 0},
	{"number", F_INT, REQ, 0, 1, 1000},
	{"date", F_DATE, REQ, 0, 0, 0},
	{"by", F_REF, OPT, MMS_STAFF, 0, 0},
	{"reason", F_STR, OPT, 0, 0, 0},
};

const entity_def mms_entities[MMS_ENTITY_COUNT] = {
	[MMS_UNIT] = {"units", "unit", unit_fields, N(unit_fields), 0},
	[MMS_LINK] = {"links", "link", link_fields, N(link_fields), -1},
	[MMS_STAFF] = {"staff", "staff member", staff_fields, N(staff_fields), 0},
	[MMS_STAFF_LINK] = {"staff_links", "staff link", staff_link_fields,
			    N(staff_link_fields), -1},
	[MMS_ACTIVITY] = {"activities", "activity", activity_fields,
			  N(activity_fields), 0},
	[MMS_PARTICIPATION] = {"participations", "participation",
			       participation_fields, N(participation_fields), -1},
	[MMS_TARGET] = {"targets", "target", target_fields, N(target_fields), -1},
	[MMS_FACT] = {"facts", "fact", fact_fields, N(fact_fields), -1},
	[MMS_COMPETENCY] = {"competencies", "competency", competency_fields,
			    N(competency_fields), 0},
	[MMS_DIAGNOSTIC] = {"diagnostics", "diagnostic", diagnostic_fields,
			    N(diagnostic_fields), -1},
	[MMS_RESOURCE] = {"resources", "resource", resource_fields, N(resource_fields), 0},
	[MMS_DEVELOPS] = {"develops", "develops record", develops_fields, N(develops_fields), -1},
	[MMS_ROUTE] = {"routes", "route", route_fields, N(route_fields), 0},
	[MMS_ROUTE_STEP] = {"route_steps", "route step", route_step_fields,
			    N(route_step_fields), -1},
	[MMS_ROUTE_EVENT] = {"route_events", "route event", route_event_fields,
			     N(route_event_fields), -1},
	[MMS_PAST_VALUE] = {"past_values", "past value", past_value_fields,
			    N(past_value_fields), -1},
	[MMS_ROUTE_DEFICIT] = {"route_deficits", "route deficit", route_deficit_fields,
			       N(route_deficit_fields), -1},
	[MMS_DIAGNOSTIC_SESSION] = {"diagnostic_sessions", "diagnostic session",
				    diagnostic_session_fields, N(diagnostic_session_fields), 0},
	[MMS_PROGRAMME] = {"programmes", "programme", programme_fields, N(programme_fields), 0},
	[MMS_TASK] = {"tasks", "task", task_fields, N(task_fields), 0},
	[MMS_TASK_EVENT] = {"task_events", "task event", task_event_fields, N(task_event_fields), -1},
	[MMS_MENTORING_PAIR] = {"mentoring_pairs", "mentoring pair", mentoring_pair_fields,
				N(mentoring_pair_fields), 0},
	[MMS_ROUTE_REVISION] = {"route_revisions", "route revision", route_revision_fields,
				N(route_revision_fields), -1},
};

#define LVL(x) (1u << LV_##x)
unsigned mms_kind_levels(int kind)
{
	static const unsigned allowed[UK_COUNT] = {
		[UK_MINISTRY] = LVL(FEDERAL),
		[UK_CNPPM] = LVL(REGIONAL),
		[UK_INSTITUTE] = LVL(REGIONAL) | LVL(FEDERAL),
		[UK_REGIONAL_UMO] = LVL(REGIONAL),
		[UK_METHODICAL_ACTIVE] = LVL(REGIONAL),
		[UK_MUNICIPAL_SERVICE] = LVL(MUNICIPAL),
		[UK_MUNICIPAL_ASSOCIATION] = LVL(MUNICIPAL),
		[UK_INNOVATION_SITE] = LVL(MUNICIPAL) | LVL(INSTITUTIONAL) | LVL(REGIONAL),
		[UK_RESOURCE_CENTRE] = LVL(REGIONAL) | LVL(MUNICIPAL) | LVL(INSTITUTIONAL),
		[UK_BASE_SCHOOL] = LVL(MUNICIPAL) | LVL(INSTITUTIONAL),
		[UK_INTERNSHIP_SITE] = LVL(REGIONAL) | LVL(MUNICIPAL) | LVL(INSTITUTIONAL),
		[UK_COMMUNITY] = LVL(FEDERAL) | LVL(REGIONAL) | LVL(MUNICIPAL),
		[UK_SCHOOL] = LVL(INSTITUTIONAL),
		[UK_PRESCHOOL] = LVL(INSTITUTIONAL),
		[UK_COLLEGE] = LVL(INSTITUTIONAL),
		[UK_SUPPLEMENTARY] = LVL(INSTITUTIONAL),
		[UK_PD_PROVIDER] = LVL(REGIONAL) | LVL(MUNICIPAL) | LVL(INSTITUTIONAL),
		[UK_METHODICAL_COUNCIL] = LVL(MUNICIPAL) | LVL(SUBUNIT),
		[UK_SCHOOL_ASSOCIATION] = LVL(SUBUNIT),
		[UK_CREATIVE_GROUP] = LVL(MUNICIPAL) | LVL(SUBUNIT),
		[UK_PROJECT_TEAM] = LVL(MUNICIPAL) | LVL(SUBUNIT),
		[UK_MENTORING_PAIR] = LVL(SUBUNIT),
	};
	return kind >= 0 && kind < UK_COUNT ? allowed[kind] : 0;
}

int mms_enum_find(int e, const char *name)
{
	for (int i = 0; i < mms_enums[e].count; i++)
		if (strcmp(mms_enums[e].values[i], name) == 0)
			return i;
	return -1;
}

const char *mms_enum_name(int e, int32_t v)
{
	return v >= 0 && v < mms_enums[e].count ? mms_enums[e].values[v] : NULL;
}

int mms_field_find(int entity, const char *name)
{
	const entity_def *d = &mms_entities[entity];
	for (int i = 0; i < d->nfields; i++)
		if (strcmp(d->fields[i].name, name) == 0)
			return i;
	return -1;
}

int32_t mms_field_absent(const field_def *f)
{
	switch (f->type) {
	case F_ENUM: case F_REF: return -1;
	case F_INT: case F_DATE: case F_DEC: return MMS_NONE;
	default: return 0; /* strings, lists, sets, bools */
	}
}

/* Public introspection of the schema, for bindings and tools. */
const char *mms_entity_name(int e)
{
	return e >= 0 && e < MMS_ENTITY_COUNT ? mms_entities[e].name : NULL;
}

int mms_entity_from_name(int *out, const char *name)
{
	for (int e = 0; name && e < MMS_ENTITY_COUNT; e++)
		if (strcmp(mms_entities[e].name, name) == 0) {
			*out = e;
			return MMS_OK;
		}
	return MMS_EINVAL;
}

int mms_entity_field_count(int e)
{
	return e >= 0 && e < MMS_ENTITY_COUNT ? mms_entities[e].nfields : 0;
}

const char *mms_entity_field_name(int e, int i)
{
	if (e < 0 || e >= MMS_ENTITY_COUNT || i < 0 || i >= mms_entities[e].nfields)
		return NULL;
	return mms_entities[e].fields[i].name;
}
