/* Fuzz target: the bytes are a program of writes (import, upsert, update,
 * delete, sync) on a small database in a file. Whatever they do, the
 * library must never crash, leak or fail but with a message; a sync done
 * is done (the same file synced again changes nothing); and at the end the
 * file opens again to the same export, which imports into a new database
 * and exports back byte for byte, history included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mms/mms.h>

#include "seed.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

typedef struct program {
	const unsigned char *p;
	size_t n;
} program;

static unsigned next(program *pg)
{
	if (!pg->n)
		return 0;
	pg->n--;
	return *pg->p++;
}

static const char *pick(program *pg, const char *const *from, size_t n)
{
	return from[next(pg) % n];
}
#define PICK(pg, a) pick(pg, a, sizeof a / sizeof *a)

static const char *const units[] = {"R", "M", "S", "C"};
static const char *const people[] = {"T", "X", "F0", "F1", "F2"};
static const char *const categories[] = {"", "none", "first", "highest", "bogus"};
static const char *const roles[] = {"teacher", "methodist", "manager"};
static const char *const dates[] = {"", "2022-06-30", "2023-09-01", "2024-12-31", "31.12.2024"};
static const int years[] = {0, 2023, 2024};

/* A staff record as JSON into buf (len bytes). */
static void person(program *pg, char *buf, size_t len, const char *code)
{
	const char *cat = PICK(pg, categories), *end = PICK(pg, dates);
	snprintf(buf, len, "{\"code\": \"%s\", \"name\": \"%s\", \"org\": \"%s\", \"role\": \"%s\"%s%s%s%s%s%s}",
		 code, code, PICK(pg, units), PICK(pg, roles), *cat ? ", \"category\": \"" : "", cat,
		 *cat ? "\"" : "", *end ? ", \"work_end\": \"" : "", end, *end ? "\"" : "");
}

/* A document of some people and participations. */
static void document(program *pg, char *buf, size_t len)
{
	unsigned people_mask = next(pg), part_mask = next(pg);
	size_t at = (size_t)snprintf(buf, len, "{\"staff\": [");
	int first = 1;
	for (size_t i = 0; i < sizeof people / sizeof *people; i++)
		if (people_mask & (1u << i)) {
			char one[512];
			person(pg, one, sizeof one, people[i]);
			at += (size_t)snprintf(buf + at, len - at, "%s%s", first ? "" : ",", one);
			first = 0;
		}
	at += (size_t)snprintf(buf + at, len - at, "], \"participations\": [");
	first = 1;
	for (size_t i = 0; i < sizeof people / sizeof *people; i++)
		if (part_mask & (1u << i)) {
			at += (size_t)snprintf(buf + at, len - at, "%s{\"activity\": \"A\", \"staff\": \"%s\","
					       " \"role\": \"participant\", \"score\": %u}", first ? "" : ",",
					       people[i], next(pg) % 120);
			first = 0;
		}
	snprintf(buf + at, len - at, "]}");
}

static void check_failure(mms_db *db, int rc)
{
	if (rc != MMS_OK && (!mms_db_errmsg(db)[0] || rc == MMS_ERROR || rc == MMS_ENOMEM))
		abort(); /* a refusal always says why, and is never an internal error */
}

static void step(mms_db *db, program *pg)
{
	char doc[4096];
	mms_import_options o = MMS_IMPORT_OPTIONS_INIT;
	mms_report *r = NULL;
	int rc;
	switch (next(pg) % 6) {
	case 0: /* add */
	case 1: /* upsert */
		o.mode = pg->p[-1] % 6 ? MMS_IMPORT_UPSERT : MMS_IMPORT_ADD;
		document(pg, doc, sizeof doc);
		rc = mms_db_import_json(db, doc, &o, NULL);
		break;
	case 2: { /* update */
		static const char *const fields[] = {"category", "org", "role", "work_end", "name"};
		const char *field = PICK(pg, fields), *value;
		value = !strcmp(field, "org") ? PICK(pg, units)
			: !strcmp(field, "role") ? PICK(pg, roles)
			: !strcmp(field, "work_end") ? PICK(pg, dates)
			: !strcmp(field, "name") ? "Н" : PICK(pg, categories);
		const char *pairs[] = {field, value, NULL};
		mms_update_options u = MMS_UPDATE_OPTIONS_INIT;
		u.actor = "fuzz";
		rc = mms_db_update(db, MMS_STAFF, PICK(pg, people), pairs, &u, &r);
		break;
	}
	case 3: { /* delete */
		mms_delete_options d = MMS_DELETE_OPTIONS_INIT;
		d.cascade = next(pg) & 1;
		int unit = next(pg) & 1;
		rc = mms_db_delete(db, unit ? MMS_UNIT : MMS_STAFF,
				   unit ? PICK(pg, units) : PICK(pg, people), &d, &r);
		break;
	}
	default: { /* sync, dry or not; a sync done, done again, changes nothing */
		o.mode = MMS_IMPORT_SYNC;
		o.scope = PICK(pg, units);
		o.year = years[next(pg) % 3];
		o.dry_run = next(pg) % 4 == 0;
		document(pg, doc, sizeof doc);
		rc = mms_db_import_json(db, doc, &o, &r);
		if (rc == MMS_OK && !o.dry_run) {
			mms_report_free(r);
			r = NULL;
			if (mms_db_import_json(db, doc, &o, &r) != MMS_OK || mms_report_count(r))
				abort();
		}
		break;
	}
	}
	for (size_t i = 0; i < mms_report_count(r); i++)
		if (!mms_report_location(r, i) || !mms_report_message(r, i))
			abort();
	mms_report_free(r);
	check_failure(db, rc);
}

static char *export_of(mms_db *db)
{
	char *s = NULL;
	if (mms_db_export_json(db, &s) != MMS_OK)
		abort();
	return s;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char path[64];
	/* in memory where there is a tmpfs: every write of a step is synced */
	snprintf(path, sizeof path, "%s/mms-fuzz-ops-%d.sqlite", access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm",
		 (int)getpid());
	static const char *const sides[] = {"", "-wal", "-shm", "-journal", "-snapshot"};
	char side[96];
	for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
		snprintf(side, sizeof side, "%s%s", path, sides[i]);
		unlink(side);
	}
	mms_db *db = NULL;
	if (mms_db_open(&db, path, NULL) != MMS_OK || mms_db_import_json(db, FUZZ_BASE, NULL, NULL) != MMS_OK)
		abort(); /* the harness itself is broken */
	program pg = {data, size > 64 ? 64 : size};
	for (int i = 0; i < 12 && pg.n; i++)
		step(db, &pg);
	char *before = export_of(db);
	mms_db_close(db);
	db = NULL;
	if (mms_db_open(&db, path, NULL) != MMS_OK)
		abort(); /* the file opens again */
	char *reopened = export_of(db), *again;
	mms_db *copy = NULL;
	if (strcmp(before, reopened) || mms_db_open(&copy, ":memory:", NULL) != MMS_OK ||
	    mms_db_import_json(copy, reopened, NULL, NULL) != MMS_OK)
		abort(); /* the same, and valid */
	again = export_of(copy);
	if (strcmp(before, again))
		abort(); /* the export round-trips, history included */
	mms_free(before);
	mms_free(reopened);
	mms_free(again);
	mms_db_close(copy);
	mms_db_close(db);
	for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
		snprintf(side, sizeof side, "%s%s", path, sides[i]);
		unlink(side);
	}
	return 0;
}
