/*
 * The one check every writer that takes a path makes before it opens
 * anything: the output must not be the open database or one of its files.
 * Writing an export over the database (`mms export DB DB`) would replace
 * it with its own export, so it is refused whatever the path looks like:
 * names are compared after resolving links and ".." (realpath of the
 * directory, plus the name), and files that exist by device and inode.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db.h"

/* The files of a database beside its own name. */
static const char *const sidecars[] = {"", "-wal", "-shm", "-journal", "-snapshot"};

/* realpath of path's directory, "/", and its last name; NULL if the
 * directory does not exist (then nothing in it can be the database). */
static char *canonical(const char *path, mms_buf *b)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	mms_buf dir = {0};
	if (!slash)
		mms_buf_puts(&dir, ".");
	else
		mms_buf_append(&dir, path, slash == path ? 1 : (size_t)(slash - path));
	char *real = dir.failed ? NULL : realpath(dir.data, NULL);
	mms_buf_free(&dir);
	b->len = 0;
	if (!real)
		return NULL;
	mms_buf_printf(b, "%s/%s", strcmp(real, "/") ? real : "", name);
	free(real);
	return b->failed ? NULL : b->data;
}

/* Whether out names the same file as one, by name or by inode. */
static int same(const char *out_canon, const struct stat *out_st, const char *one, mms_buf *tmp)
{
	const char *canon = canonical(one, tmp);
	if (canon && out_canon && !strcmp(canon, out_canon))
		return 1;
	struct stat st;
	return out_st && stat(one, &st) == 0 && st.st_dev == out_st->st_dev &&
	       st.st_ino == out_st->st_ino;
}

int mms_db_check_output(mms_db *db, const char *path)
{
	const char *file = db && db->sql ? sqlite3_db_filename(db->sql, "main") : NULL;
	if (!path)
		return MMS_EINVAL;
	if (!file || !*file)
		return MMS_OK; /* in memory: no file to overwrite */
	mms_buf out = {0}, name = {0}, tmp = {0};
	struct stat st;
	int exists = stat(path, &st) == 0;
	const char *out_canon = canonical(path, &out);
	/* a link to the database resolves to it; a trailing ".." or "." too */
	char *resolved = exists ? realpath(path, NULL) : NULL;
	int rc = MMS_OK;
	for (size_t i = 0; rc == MMS_OK && i < sizeof sidecars / sizeof *sidecars; i++) {
		name.len = 0;
		mms_buf_printf(&name, "%s%s", file, sidecars[i]);
		if (name.failed) {
			rc = MMS_ENOMEM;
			break;
		}
		if (same(out_canon, exists ? &st : NULL, name.data, &tmp) ||
		    (resolved && same(resolved, NULL, name.data, &tmp)))
			rc = mms_db_fail(db, MMS_EOUTPUT,
					 "output %s is the database%s %s: nothing written, give "
					 "another path", path, i ? "'s file" : "", name.data);
	}
	if (rc == MMS_OK && (out.failed || tmp.failed))
		rc = MMS_ENOMEM;
	if (rc == MMS_ENOMEM)
		mms_db_fail(db, rc, "out of memory");
	free(resolved);
	mms_buf_free(&out);
	mms_buf_free(&name);
	mms_buf_free(&tmp);
	return rc;
}
