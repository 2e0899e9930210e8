/* Constructors of the documents of each input format, and the exporters. */
#ifndef MMS_EXCHANGE_H
#define MMS_EXCHANGE_H

#include "doc.h"

/*
 * Parses JSON text strictly: a syntax error, an unexpected end or text after
 * the document goes to the report at name:line:column (characters, not
 * bytes) and gives MMS_EPARSE. The one JSON reader of every import. What
 * the tree hides (a key given twice, a lone surrogate escape) is reported
 * at its JSON pointer with the code of the first one, *out still set (the
 * caller frees it) so that the rest can be checked too.
 */
struct json_object;
int mms_json_parse(struct json_object **out, const char *text, size_t len, const char *name,
		   mms_report *report);

/*
 * Parses JSON text (json-c) into a document. Structural problems (syntax,
 * unknown keys, wrong shapes) go to the report with their JSON pointer or
 * line:column, and make *out NULL with the code of the first one.
 */
int mms_json_doc_open(mms_doc **out, const char *text, size_t len,
		      const char *name, mms_report *report);
void mms_json_doc_free(mms_doc *d);
/* Reports what json-c's tree hides of a text it parsed (json_scan.c): keys
 * given twice in one object, lone UTF-16 surrogate escapes. */
int mms_json_scan(const char *text, size_t len, mms_report *report);

/* Reads the <entity>.csv files of a directory (libcsv), each of at most max
 * bytes. A folder holding no such file, or another *.csv file, is refused
 * with the names expected and found. */
int mms_csv_doc_open(mms_doc **out, const char *dir, size_t max, mms_report *report);
void mms_csv_doc_free(mms_doc *d);

/* The document of a single record built through the API. */
mms_doc *mms_record_doc(const mms_record *rec, int *entity);
/* Several records as one document, each located as entity/index/field. */
typedef struct mms_records mms_records;
int mms_records_new(mms_records **out);
/* Takes rec, freed here even when it fails. */
int mms_records_add(mms_records *rs, mms_record *rec);
mms_doc *mms_records_doc(mms_records *rs);
void mms_records_free(mms_records *rs);

/* The pseudonyms of one export (pseudonym.c); see mms_db_export_pseudonymised(). */
#define MMS_PSEUDO_MIN_KEY 32  /* bytes */
#define MMS_PSEUDO_MIN_BITS 128 /* by the frequencies of its bytes */
/* What the built-in indicators read of a person besides organisation, role
 * and part-time work: the ages and years of service they compare with
 * (0: on staff by the end of the period) and the subjects they look for. */
typedef struct mms_pseudo_needs {
	int ages[4], nages;
	unsigned age_roles;    /* ages are read only of these roles (bits)... */
	int age_service_below; /* ...in their first years of service */
	int services[4], nservices;
	const char *subjects[8];
	int nsubjects;
	/* the years of service read at a period's first day (a cohort's) */
	int start_services[4], nstart_services;
} mms_pseudo_needs;
extern const mms_pseudo_needs mms_pseudo_needed;

enum { CUT_BIRTH, CUT_START, CUT_END, CUT_COUNT };
typedef struct mms_pseudo {
	char (*names[MMS_ENTITY_COUNT])[18]; /* by id: the pseudonym of the code, "" = kept */
	uint64_t *ids; /* hashes of staff codes, names and words of names, sorted */
	size_t nids;
	/* the days that bound the classes of birth dates, work starts and
	 * ends: ascending, each the last day of its class */
	int32_t *cuts[CUT_COUNT];
	size_t ncuts[CUT_COUNT];
	int first_year, last_year; /* the years the data is dated in */
} mms_pseudo;

/* MMS_EINVAL for a weak key, with why (of n bytes) saying what is wrong:
 * "has 20 bytes, fewer than 32". */
int mms_pseudo_init(mms_pseudo *ps, const mms_model *m, const char *key, char *why, size_t n);
void mms_pseudo_free(mms_pseudo *ps);
/* mms_field_present() and mms_field_text() as an export writes them: with
   ps, pseudonymised; ps may be NULL. */
int mms_out_present(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, int f);
void mms_out_text(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, int f, mms_buf *out);

/* A history row in the pseudonymised export (docs/security.md): the key
 * of record id of e as written (0 for a record without a code, which the
 * caller numbers), and a value before or after a change of field f (-1:
 * the row of an addition or deletion); 0 when the value is left out. */
int mms_pseudo_history_key(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, mms_buf *out);
int mms_pseudo_history_value(const mms_model *m, const mms_pseudo *ps, int e, int f,
			     const char *text, mms_buf *out);

/* What an export writes: the model, pseudonymised with ps (may be NULL),
 * and with acc (NULL = everything) only the records whose access bits
 * have bit 0 (readable) set; records without a code, named by id, are
 * then renumbered in order (rank) so the references stay whole. */
typedef struct mms_view {
	const mms_model *m;
	const mms_pseudo *ps;
	uint8_t *const *acc;
	int32_t *rank[MMS_ENTITY_COUNT];
	const struct mms_hist *hist; /* the history rows to write, NULL = none */
} mms_view;

/* The history as the exchange formats carry it (docs/format.md, "History
 * in exchange"): the key "history" of a JSON document and the file
 * history.csv of a folder, seven text columns. A document that can hold it
 * (JSON, CSV) sets has_history and answers count/get/where for the table
 * index MMS_HISTORY_TABLE with the columns below. */
enum { HC_AT, HC_ACTOR, HC_ENTITY, HC_KEY, HC_FIELD, HC_OLD, HC_NEW, HC_COUNT };
#define MMS_HISTORY_TABLE MMS_ENTITY_COUNT
extern const entity_def mms_history_def;
/* The definition of table e of a document: an entity's, or the history's. */
const entity_def *mms_table_def(int e);
/* Index of column name of table e, or -1. */
int mms_table_column(int e, const char *name);

/* History rows to export, as text (offsets into text, -1 = NULL). */
typedef struct mms_hist {
	size_t count, cap;
	int64_t (*rows)[HC_COUNT];
	mms_buf text;
} mms_hist;
/* Appends a row; vals[c] NULL = absent. MMS_ENOMEM on failure. */
int mms_hist_add(mms_hist *h, const char *const vals[HC_COUNT]);
static inline const char *mms_hist_cell(const mms_hist *h, size_t i, int c)
{
	return h->rows[i][c] < 0 ? NULL : h->text.data + h->rows[i][c];
}
void mms_hist_free(mms_hist *h);

int mms_view_init(mms_view *v, const mms_model *m, const mms_pseudo *ps, uint8_t *const *acc);
/* Whether the view shows a record: live, and readable through a scope. */
int mms_view_shows(const mms_view *v, int e, int32_t id);
void mms_view_free(mms_view *v);

/* The exporters. */
int mms_export_json_text(const mms_view *v, char **out);
/* MMS_EIO when path cannot be written. */
/* msg (MMS_ATOMIC_MSG bytes) says why a file could not be written. */
int mms_export_json_file(const mms_view *v, const char *path, char *msg);
int mms_export_csv_dir(const mms_view *v, const char *dir, char delimiter, char *msg);

#endif
