/* Constructors of the documents of each input format, and the exporters. */
#ifndef MMS_EXCHANGE_H
#define MMS_EXCHANGE_H

#include "doc.h"

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

/* The pseudonyms of one export (pseudonym.c); see mms_db_export_pseudonymised(). */
#define MMS_PSEUDO_MIN_KEY 16
typedef struct mms_pseudo {
	char (*names)[18]; /* by staff id: "P" and 16 hex digits */
	size_t count;
} mms_pseudo;

/* MMS_EINVAL for a key shorter than MMS_PSEUDO_MIN_KEY bytes. */
int mms_pseudo_init(mms_pseudo *ps, const mms_model *m, const char *key);
void mms_pseudo_free(mms_pseudo *ps);
/* mms_field_present() and mms_field_text() as an export writes them: with
   ps, pseudonymised; ps may be NULL. */
int mms_out_present(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, int f);
void mms_out_text(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, int f, mms_buf *out);

/* What an export writes: the model, pseudonymised with ps (may be NULL),
 * and with acc (NULL = everything) only the records whose access bits
 * have bit 0 (readable) set; records without a code, named by id, are
 * then renumbered in order (rank) so the references stay whole. */
typedef struct mms_view {
	const mms_model *m;
	const mms_pseudo *ps;
	uint8_t *const *acc;
	int32_t *rank[MMS_ENTITY_COUNT];
} mms_view;

int mms_view_init(mms_view *v, const mms_model *m, const mms_pseudo *ps, uint8_t *const *acc);
void mms_view_free(mms_view *v);

/* The exporters. */
int mms_export_json_text(const mms_view *v, char **out);
/* MMS_EIO when path cannot be written. */
int mms_export_json_file(const mms_view *v, const char *path);
int mms_export_csv_dir(const mms_view *v, const char *dir, char delimiter);

#endif
