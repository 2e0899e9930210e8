/*
 * Model layer: the entities of the network described once as data
 * (schema.c), and their records kept in flat int32 arrays (model.c).
 *
 * Every field of a record is one int32: strings are offsets into a shared
 * string pool, lists are offsets into a shared int32 pool, references are
 * ids, enums are indexes into their name table, dates are day numbers.
 * JSON, CSV, SQLite and the record builder all go through this schema.
 */
#ifndef MMS_MODEL_H
#define MMS_MODEL_H

#include "core/core.h"
#include "mms/db.h"

/* Sentinels for absent values: -1 for enums and references (so C users
 * see parent == -1 for a root), INT32_MIN for numbers and dates. */
#define MMS_NONE INT32_MIN

typedef enum field_type {
	F_CODE, /* unique text key of the entity, required */
	F_STR,  /* text */
	F_INT,  /* integer within [min, max] */
	F_BOOL, /* 0 or 1; absent reads as false */
	F_DATE, /* day number */
	F_ENUM, /* index into an enum table */
	F_SET,  /* bitmask over an enum table */
	F_REF,  /* id of a record of another (or the same) entity */
	F_LIST, /* list of texts */
	F_DEC   /* decimal with three places, stored as thousandths */
} field_type;

typedef enum enum_id {
	E_LEVEL, E_UNIT_KIND, E_DIRECTION, E_LINK_KIND, E_ROLE, E_CATEGORY,
	E_EDU_LEVEL, E_STAFF_LINK_KIND, E_ACTIVITY_KIND, E_FORMAT,
	E_PART_ROLE, E_RESULT, E_COMP_KIND, E_DIAG_LEVEL, E_RESOURCE_KIND, E_ROUTE_STATUS,
	E_POSITION, E_PURPOSE, E_EMPLOYMENT, E_DATED_ENTITY, E_SEVERITY, E_CONSEQUENCE, E_SESSION_KIND,
	E_SESSION_FORM, E_RECURRENCE, E_TASK_STATUS, E_MENTORING_FORM, E_ENUM_COUNT
} enum_id;

typedef struct field_def {
	const char *name;
	uint8_t type;     /* field_type */
	uint8_t required;
	uint8_t aux;      /* enum_id for F_ENUM/F_SET, mms_entity for F_REF */
	int32_t min, max; /* for F_INT */
} field_def;

typedef struct entity_def {
	const char *name;   /* plural, as in JSON keys and CSV file names */
	const char *record; /* singular, for messages */
	const field_def *fields;
	int nfields;
	int code_field;     /* index of the F_CODE field, or -1 */
} entity_def;

extern const entity_def mms_entities[MMS_ENTITY_COUNT];

typedef struct enum_def {
	const char *name; /* what the enum is, for messages */
	const char *const *values;
	int count;
} enum_def;

extern const enum_def mms_enums[E_ENUM_COUNT];

/* Index of a name in an enum table, or -1. */
int mms_enum_find(int e, const char *name);
const char *mms_enum_name(int e, int32_t v);
int mms_field_find(int entity, const char *name);

/* Enum values the code relies on; they must match the tables in schema.c. */
enum { LV_FEDERAL, LV_REGIONAL, LV_MUNICIPAL, LV_INSTITUTIONAL, LV_SUBUNIT, LV_COUNT };
enum {
	UK_MINISTRY, UK_CNPPM, UK_INSTITUTE, UK_REGIONAL_UMO, UK_METHODICAL_ACTIVE,
	UK_MUNICIPAL_SERVICE, UK_MUNICIPAL_ASSOCIATION, UK_INNOVATION_SITE,
	UK_RESOURCE_CENTRE, UK_BASE_SCHOOL, UK_INTERNSHIP_SITE, UK_COMMUNITY,
	UK_SCHOOL, UK_PRESCHOOL, UK_COLLEGE, UK_SUPPLEMENTARY, UK_PD_PROVIDER,
	UK_METHODICAL_COUNCIL, UK_SCHOOL_ASSOCIATION, UK_CREATIVE_GROUP,
	UK_PROJECT_TEAM, UK_MENTORING_PAIR, UK_COUNT
};
enum { DIR_COUNT = 6 };
enum { LK_AGREEMENT, LK_CURATORSHIP, LK_NETWORK_LEADERSHIP,
       LK_RESOURCE_PARTNERSHIP, LK_INTERNSHIP_PARTNERSHIP, LK_MEMBERSHIP };
enum { ROLE_TEACHER, ROLE_MANAGER, ROLE_METHODIST };
enum { CAT_NONE, CAT_CONFORMITY, CAT_FIRST, CAT_HIGHEST };
enum { EL_SCHOOL, EL_PRESCHOOL, EL_COLLEGE, EL_SUPPLEMENTARY, EL_PD };
enum { PO_TEACHER, PO_PRESCHOOL_EDUCATOR, PO_SUPPLEMENTARY_TEACHER, PO_MANAGER, PO_METHODIST };
enum { SL_MEMBER, SL_HEAD, SL_SUPPORTS };
enum { AK_COURSE, AK_INTERNSHIP, AK_COMPETITION, AK_INNOVATION_PROJECT,
       AK_COMMUNITY, AK_MUNICIPAL_PROJECT, AK_MENTORING, AK_EVENT,
       AK_PUBLICATION, AK_BROADCAST, AK_SURVEY };
enum { PR_PARTICIPANT, PR_ORGANISER, PR_SPEAKER, PR_MENTOR, PR_MENTEE,
       PR_AUTHOR, PR_RESPONDENT };

/* Bitmask of the levels a unit kind may stand on. */
unsigned mms_kind_levels(int kind);

/* Field indexes the code relies on, checked against schema.c by a test. */
enum { U_CODE, U_NAME, U_LEVEL, U_KIND, U_PARENT, U_TERRITORY, U_RURAL,
       U_DIRECTIONS, U_SITE_LEVEL, U_NFIELDS };
enum { L_KIND, L_FROM, L_TO, L_START, L_END, L_NOTE, L_NFIELDS };
enum { S_CODE, S_NAME, S_ORG, S_ROLE, S_POSITION, S_BIRTH, S_WORK_START,
       S_CATEGORY, S_EDU_LEVEL, S_SUBJECTS, S_PART_TIME, S_WORK_END, S_PERSON, S_EMPLOYMENT,
       S_NFIELDS };
enum { SL_KIND, SL_STAFF, SL_UNIT, SL_TARGET_STAFF, SL_START, SL_END, SL_NFIELDS };
enum { A_CODE, A_NAME, A_KIND, A_LEVEL, A_ORGANIZER, A_PROVIDER, A_HOURS,
       A_FEDERAL_REGISTER, A_FORMAT, A_START, A_END, A_PURPOSE, A_NFIELDS };
enum { P_ACTIVITY, P_STAFF, P_UNIT, P_ROLE, P_RESULT, P_PEER, P_HOURS,
       P_SCORE, P_START, P_END, P_COMPLETED, P_NFIELDS };
enum { T_INDICATOR, T_UNIT, T_YEAR, T_VALUE, T_NFIELDS };
enum { FA_UNIT, FA_KEY, FA_YEAR, FA_VALUE, FA_NOTE, FA_NFIELDS };
enum { C_CODE, C_NAME, C_FRAMEWORK, C_PARENT, C_KIND, C_FUNCTION, C_NFIELDS };
enum { D_STAFF, D_COMPETENCY, D_DATE, D_SCORE, D_LEVEL, D_NOTE, D_SESSION, D_TASK, D_NFIELDS };
enum { R_CODE, R_NAME, R_KIND, R_HOURS, R_FORMAT, R_PROVIDER, R_SITE, R_MENTOR, R_START, R_END,
       R_FEDERAL_REGISTER, R_IN_REGION, R_CAPACITY, R_PREREQUISITE, R_SUBJECTS, R_EDU_LEVELS,
       R_POSITIONS, R_CATEGORIES, R_MIN_EXPERIENCE, R_MAX_EXPERIENCE, R_NFIELDS };
enum { DV_RESOURCE, DV_COMPETENCY, DV_STRENGTH, DV_NFIELDS };
enum { RT_CODE, RT_STAFF, RT_TUTOR, RT_START, RT_END, RT_BUDGET, RT_NOTE, RT_HIGH_BELOW,
       RT_MEDIUM_UP_TO, RT_DEVELOPER, RT_DEVELOPER_UNIT, RT_DEVELOPED_ON, RT_AGREED_BY,
       RT_AGREED_ON, RT_APPROVED_BY, RT_APPROVED_ON, RT_ACKNOWLEDGED_ON, RT_NFIELDS };
enum { ST_ROUTE, ST_RESOURCE, ST_COVERS, ST_ORDER, ST_START, ST_END, ST_HOURS, ST_REASON,
       ST_PAIR, ST_NFIELDS };
enum { EV_ROUTE, EV_STEP, EV_STATUS, EV_DATE, EV_EVIDENCE, EV_NOTE, EV_NFIELDS };
enum { PV_ENTITY, PV_RECORD, PV_FIELD, PV_VALUE, PV_UNTIL, PV_NFIELDS };
enum { EM_MAIN, EM_INTERNAL_PART_TIME, EM_EXTERNAL_PART_TIME, EM_CIVIL_LAW };
enum { DE_STAFF, DE_UNIT };
enum { RD_ROUTE, RD_COMPETENCY, RD_SCORE, RD_SEVERITY, RD_CONSEQUENCE, RD_DIAGNOSTIC,
       RD_SUGGESTIONS, RD_SESSION, RD_NFIELDS };
enum { DS_CODE, DS_KIND, DS_FORM, DS_INSTRUMENT, DS_VERSION, DS_STAFF, DS_UNIT, DS_DATE,
       DS_NFIELDS };
/* What a deficit leads to (Р-201): the route, a subject PD course, informal learning. */
enum { CQ_ROUTE, CQ_COURSE, CQ_INFORMAL };
enum { PG_CODE, PG_DEFINITION, PG_OWNER, PG_TERRITORY, PG_FIRST_YEAR, PG_LAST_YEAR, PG_NOTE,
       PG_NFIELDS };
enum { TK_CODE, TK_PROGRAMME, TK_PLAN, TK_NAME, TK_DEADLINE, TK_RECURRENCE, TK_UNIT,
       TK_RESPONSIBLE, TK_EXPECTED, TK_NFIELDS };
enum { TE_TASK, TE_DATE, TE_STATUS, TE_EVIDENCE, TE_NOTE, TE_NFIELDS };
enum { RC_ONCE, RC_MONTHLY, RC_QUARTERLY, RC_YEARLY };
enum { TS_IN_PROGRESS, TS_DONE, TS_CANCELLED };
enum { MP_CODE, MP_FORM, MP_MENTOR, MP_MENTEE, MP_CURATOR, MP_PROGRAMME, MP_START, MP_END,
       MP_OUTCOME, MP_NFIELDS };
enum { MF_TEACHER_TEACHER, MF_MANAGER_TEACHER };
enum { RV_ROUTE, RV_NUMBER, RV_DATE, RV_BY, RV_REASON, RV_NFIELDS };
enum { CK_AREA, CK_COMPETENCY, CK_INDICATOR };
enum { DL_BELOW_BASIC, DL_BASIC, DL_ELEVATED, DL_HIGH };
enum { RK_COURSE, RK_INTERNSHIP, RK_MENTORING, RK_ASSOCIATION, RK_SEMINAR, RK_COMPETITION,
       RK_SELF_EDUCATION };
enum { RS_APPROVED, RS_ACTIVE, RS_COMPLETED, RS_CANCELLED, RS_IN_PROGRESS, RS_DONE, RS_FAILED };

/* Decimal fields keep thousandths: 72.5 is stored as 72500. */
#define MMS_DEC_SCALE 1000
#define MMS_DEC_MAX 2000000

/* The absent value of a field of this type. */
int32_t mms_field_absent(const field_def *f);

typedef struct mms_table {
	int32_t *rows; /* count * nfields values */
	size_t count, cap;
	mms_hash codes; /* code → id, for entities with a code */
	/* skeletons of the codes of rows 0..skel_rows-1 (core/skeleton.c), built
	 * when an import first needs them (exchange/decode.c) */
	mms_skelset skel;
	size_t skel_rows;
} mms_table;

typedef struct mms_model {
	mms_table t[MMS_ENTITY_COUNT];
	char *pool; /* strings; offset 0 is the empty string = absent */
	size_t pool_len, pool_cap;
	int32_t *lists; /* [n, s1, ..., sn] runs of string offsets; 0 = empty */
	size_t lists_len, lists_cap;
	uint64_t generation; /* bumped on every change, to invalidate indexes */
	uint64_t epoch;      /* bumped when rows go (rollback, reload): appends keep it */
	/* Tombstones (schema 6): one byte per record, 1 = deleted. The row stays
	 * so ids stay dense and never change meaning; records past dead_len[e]
	 * are live. Loaded from the file on every load, never from a snapshot. */
	uint8_t *dead[MMS_ENTITY_COUNT];
	size_t dead_len[MMS_ENTITY_COUNT];
	/* Records changed in place or deleted since the model was loaded, so
	 * that caches follow them record by record instead of starting over
	 * (mms_model_log_change()): entries [entity, id, n, the n fields of the
	 * row before], n = 0 when only the record's liveness changed. */
	int32_t *log;
	size_t log_len, log_cap;
	/* A snapshot read into one block (store/snapshot.c): arrays that point
	 * into it are copied out before they first grow, and never freed alone. */
	void *block;
	size_t block_len;
} mms_model;

/* A point the model can be rolled back to. */
typedef struct mms_mark {
	size_t rows[MMS_ENTITY_COUNT];
	size_t pool_len, lists_len;
} mms_mark;

int mms_model_init(mms_model *m);
void mms_model_free(mms_model *m);
void mms_model_mark(const mms_model *m, mms_mark *mark);
/* Drops everything added since mark; never allocates, so it cannot fail. */
void mms_model_rollback(mms_model *m, const mms_mark *mark);

static inline int32_t *mms_row(const mms_model *m, int e, int32_t id)
{
	return m->t[e].rows + (size_t)id * (size_t)mms_entities[e].nfields;
}

/* Whether record id of entity e is not deleted: every loop over a whole
 * table skips the records for which this is false. */
static inline int mms_model_live(const mms_model *m, int e, int32_t id)
{
	return id < 0 || (size_t)id >= m->dead_len[e] || !m->dead[e][id];
}
/* The number of live records of entity e. */
size_t mms_model_live_count(const mms_model *m, int e);
/* Marks record id deleted (on = 1) or live again (on = 0, an undo). */
int mms_model_set_dead(mms_model *m, int e, int32_t id, int on);
/* Forgets every tombstone (before they are loaded again). */
void mms_model_clear_dead(mms_model *m);

/* Records that record id of entity e changed in place (old: its row
 * before) or went or came back (old NULL), and bumps the generation. Never
 * fails: without memory for the entry, or once the log is long, it bumps
 * the epoch instead, so every cache starts over as after a reload. */
void mms_model_log_change(mms_model *m, int e, int32_t id, const int32_t *old);

/* An entry of the change log: the row before is NULL for a delete or undelete. */
typedef struct mms_logged {
	int e;
	int32_t id;
	const int32_t *old;
} mms_logged;

/* Reads the entry at *pos and moves *pos past it; 0 at the end of the log. */
static inline int mms_model_logged(const mms_model *m, size_t *pos, mms_logged *out)
{
	if (*pos >= m->log_len)
		return 0;
	const int32_t *p = m->log + *pos;
	out->e = p[0];
	out->id = p[1];
	out->old = p[2] ? p + 3 : NULL;
	*pos += 3 + (size_t)p[2];
	return 1;
}

/* The entities with entries in the log from pos on, as a bitmask. */
unsigned mms_model_log_entities(const mms_model *m, size_t pos);

static inline const char *mms_str(const mms_model *m, int32_t off)
{
	return m->pool + off;
}

/* Appends a row with every field absent; *out_id is its id. */
int mms_model_add_row(mms_model *m, int e, int32_t *out_id);
/* Registers the code of row id in the entity's code index. */
int mms_model_index_code(mms_model *m, int e, int32_t id);
int32_t mms_model_find_code(const mms_model *m, int e, const char *code);
/* Copies a string into the pool; "" gives offset 0. */
int mms_model_add_str(mms_model *m, const char *s, size_t n, int32_t *out);
/* Copies a list of pool offsets into the list pool. */
int mms_model_add_list(mms_model *m, const int32_t *offs, int32_t n,
		       int32_t *out);

/* A field's value as text (the CSV notation); appends nothing if absent. */
void mms_field_text(const mms_model *m, int e, int32_t id, int field,
		    mms_buf *out);
/* Whether a field holds a value (bools: whether true). */
int mms_field_present(const mms_model *m, int e, int32_t id, int field);

/* Which field of a record names what it belongs to (owner.c): the first
 * present of fields[0..n). Every field names an entity earlier in the chain
 * unit <- staff <- route <- step, so following them always ends. */
typedef struct mms_owner_def {
	int8_t n;
	int8_t fields[3];
} mms_owner_def;
extern const mms_owner_def mms_owners[MMS_ENTITY_COUNT];

/* The field of record id that names its owner, or -1 (a unit, a
 * competency, or a record whose owning fields are all absent). */
static inline int mms_record_owner_field(const mms_model *m, int e, int32_t id)
{
	const int32_t *row = mms_row(m, e, id);
	for (int i = 0; i < mms_owners[e].n; i++)
		if (row[mms_owners[e].fields[i]] >= 0)
			return mms_owners[e].fields[i];
	return -1;
}

/* The unit record id belongs to, or -1 if it names none. */
static inline int32_t mms_record_unit(const mms_model *m, int e, int32_t id)
{
	for (int steps = 0; e != MMS_UNIT && steps < MMS_ENTITY_COUNT; steps++) {
		int f = mms_record_owner_field(m, e, id);
		if (f < 0)
			return -1;
		id = mms_row(m, e, id)[f];
		e = mms_entities[e].fields[f].aux;
	}
	return e == MMS_UNIT ? id : -1;
}

/* The unit that developed route id: its developer_unit, else its
 * developer's organisation; -1 when neither is recorded (docs/routes.md). */
static inline int32_t mms_route_developing_unit(const mms_model *m, int32_t id)
{
	const int32_t *rt = mms_row(m, MMS_ROUTE, id);
	if (rt[RT_DEVELOPER_UNIT] >= 0 || rt[RT_DEVELOPER] < 0)
		return rt[RT_DEVELOPER_UNIT];
	return mms_row(m, MMS_STAFF, rt[RT_DEVELOPER])[S_ORG];
}

/* A one-line description of a record for messages: unit "MUR-01". */
void mms_record_label(const mms_model *m, int e, int32_t id, mms_buf *out);

/* The network's shape (structure.c). Whether a unit on `level` may stand
 * under one on `parent_level`: 0, or which rule it breaks. */
enum { MMS_PARENT_BELOW = 1, MMS_PARENT_NOT_ORG = 2 };
int mms_unit_parent_fits(int32_t level, int32_t parent_level);
/* Follows field (a parent, a prerequisite) from start, marking records in
 * state (zeroed, one byte per record, shared across calls: 1 on this walk,
 * 2 done); the record where the chain closes on itself, or -1. Each record
 * is walked once over all calls, so checking a table is linear. */
int32_t mms_chain_cycle(const mms_model *m, int e, int field, int32_t start, uint8_t *state);
/* Checks the shape of the whole model (kinds, levels, no cycles):
 * MMS_ECORRUPT and a message naming the record, MMS_ENOMEM, or MMS_OK. */
int mms_model_check(const mms_model *m, char *err, size_t errlen);

#endif
