/*
 * Exchange layer: every input (a JSON document, a folder of CSV files, a
 * record built through the API, rows of the SQLite store) is seen as a
 * document of records per entity, so that one decoder turns fields into
 * model values and one validator checks them, whatever the format.
 */
#ifndef MMS_DOC_H
#define MMS_DOC_H

#include "model/model.h"

typedef enum value_kind {
	V_ABSENT, /* the field is not there */
	V_NULL,   /* JSON null */
	V_TEXT,
	V_INT,
	V_BOOL,
	V_LIST,
	V_NUM,    /* a JSON number with a fraction, in .d */
	V_OTHER   /* a JSON value of a type no field takes; .text names it */
} value_kind;

typedef struct mms_value {
	int kind;
	const char *text;
	size_t len;                /* of text, which may hold a NUL from JSON */
	long long i;
	double d;
	const char *const *items;  /* V_LIST */
	size_t n;
} mms_value;

typedef struct mms_doc mms_doc;
struct mms_doc {
	size_t (*count)(mms_doc *d, int e);
	/* Reads a field of record rec; only fails for lack of memory. */
	int (*get)(mms_doc *d, int e, size_t rec, int field, mms_value *out);
	/* Appends the location of a field (or of the record if field < 0). */
	void (*where)(mms_doc *d, int e, size_t rec, int field, mms_buf *out);
	int lenient;     /* text may stand for numbers, booleans and lists */
	int refs_are_ids; /* references are ids (the store), not codes */
	int has_history; /* table MMS_HISTORY_TABLE can be asked for (exchange.h) */
};

/* The state of one import: the model being added to and what went wrong. */
typedef struct mms_ingest {
	mms_model *m;
	mms_doc *doc;
	mms_report *report;
	int first_rc;  /* code of the first problem, MMS_OK if none */
	int32_t *ids[MMS_ENTITY_COUNT]; /* record index → model id */
	uint8_t *bad[MMS_ENTITY_COUNT]; /* records with a problem already */
	/* With an access scope: the handle's access bits (bit 0: readable) of
	 * the records there before the import, the first existing[e] of each
	 * entity; NULL without a scope. Messages never name a record the
	 * handle may not read (src/db/scope.c). */
	uint8_t *const *visible;
	size_t existing[MMS_ENTITY_COUNT];
	/* The routes there before this write (0: treat every route as new):
	 * the steps of those that are signed are locked (docs/routes.md). An
	 * update checks its record's dependents again (dependents set): only
	 * written_e/written_id is then what the write changes. */
	size_t routes_before;
	int dependents, written_e;
	int32_t written_id;
} mms_ingest;

/* Whether record id is one a message of this import must not name. */
static inline int mms_ingest_hidden(const mms_ingest *in, int e, int32_t id)
{
	return in->visible && id >= 0 && (size_t)id < in->existing[e] && !(in->visible[e][id] & 1);
}

/* Reports a problem at a field of a record; keeps the first code. */
void mms_ingest_fail(mms_ingest *in, int rc, int e, size_t rec, int field,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Pass 1: appends a row for every record of entity e and registers its code.
 * Pass 2: decodes every field. Pass 3: checks rules across records, on the
 * records that decoded cleanly (so one mistake is reported once). */
int mms_ingest_rows(mms_ingest *in, int e);
int mms_ingest_fields(mms_ingest *in, int e);
int mms_ingest_check(mms_ingest *in, int e);
void mms_ingest_free(mms_ingest *in);

/* Checks UTF-8; returns the byte offset of the first bad byte or -1. */
long mms_utf8_check(const char *s, size_t n);

#endif
