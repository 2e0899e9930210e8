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

/* Reads the <entity>.csv files of a directory (libcsv). */
int mms_csv_doc_open(mms_doc **out, const char *dir, mms_report *report);
void mms_csv_doc_free(mms_doc *d);

/* The document of a single record built through the API. */
mms_doc *mms_record_doc(const mms_record *rec, int *entity);

int mms_export_json_text(const mms_model *m, char **out);
int mms_export_csv_dir(const mms_model *m, const char *dir, char delimiter);

#endif
