/*
 * Files and folders written whole or not at all. Every file the library
 * writes goes to a temporary beside its target (same directory, so the
 * rename cannot cross file systems), is synced, and is then renamed over
 * the target, whose directory is synced last. A failure at any point, a
 * full disk or a kill leaves the previous file exactly as it was; a
 * failure removes the temporary (a kill cannot, and leaves it behind under
 * its ".tmp" name, never under the target's).
 *
 * A folder of files (the CSV export) is written as a sibling folder and
 * swapped in with one renameat2(RENAME_EXCHANGE) where the file system has
 * it, else with two renames (see mms_atomic_dir_commit()).
 */
#define _GNU_SOURCE /* renameat2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

static int fail(mms_atomic *a, const char *step, const char *name, int err)
{
	if (!a->msg[0])
		snprintf(a->msg, sizeof a->msg, "cannot %s %s: %s", step, name, strerror(err));
	return MMS_EIO;
}

/* The directory part of path ("." for a bare name), into out. */
static void dir_of(const char *path, mms_buf *out)
{
	const char *slash = strrchr(path, '/');
	out->len = 0;
	if (!slash)
		mms_buf_puts(out, ".");
	else
		mms_buf_append(out, path, slash == path ? 1 : (size_t)(slash - path));
}

/* Makes the rename of a name in dir durable. */
static int sync_dir(mms_atomic *a, const char *path)
{
	mms_buf d = {0};
	dir_of(path, &d);
	if (d.failed)
		return MMS_ENOMEM;
	int fd = open(d.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = MMS_OK;
	/* some file systems cannot sync a directory (EINVAL): nothing to wait for */
	if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL))
		rc = fail(a, "sync the directory", d.data, errno);
	if (fd >= 0)
		close(fd);
	mms_buf_free(&d);
	return rc;
}

/*
 * The real file behind a symbolic link, so writing through a link replaces
 * the file it names and keeps the link; path itself otherwise.
 */
static int resolve(mms_atomic *a, const char *path)
{
	struct stat st;
	char *real = NULL;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		real = realpath(path, NULL); /* NULL for a dangling link: replace the link */
	a->path = mms_strdup(real ? real : path);
	free(real);
	return a->path ? MMS_OK : MMS_ENOMEM;
}

/* A fresh name "<path>.<pid>-<n>.tmp" made by make(); EEXIST tries the next. */
static int fresh_name(mms_atomic *a, int (*make)(const char *name, mms_atomic *a))
{
	for (unsigned n = 0; n < 1000; n++) {
		mms_buf t = {0};
		/* the address of a keeps two threads of one process apart */
		mms_buf_printf(&t, "%s.%ld-%lx%u.tmp", a->path, (long)getpid(),
			       (unsigned long)(uintptr_t)a & 0xffffffu, n);
		if (t.failed)
			return MMS_ENOMEM;
		if (make(t.data, a) == 0) {
			a->tmp = t.data;
			return MMS_OK;
		}
		int err = errno;
		if (err != EEXIST) {
			fail(a, "create", t.data, err);
			mms_buf_free(&t);
			return MMS_EIO;
		}
		mms_buf_free(&t);
	}
	return fail(a, "find a free temporary name beside", a->path, EEXIST);
}

static int make_file(const char *name, mms_atomic *a)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	/* an existing target keeps its permissions (an export of personal data
	 * made private stays private) */
	struct stat st;
	if (stat(a->path, &st) == 0)
		fchmod(fd, st.st_mode & 07777);
	a->fd = fd;
	return 0;
}

static int make_dir(const char *name, mms_atomic *a)
{
	(void)a;
	return mkdir(name, 0777);
}

static void clear(mms_atomic *a)
{
	mms_free(a->path);
	mms_free(a->tmp);
	a->path = a->tmp = NULL;
	a->f = NULL;
	a->fd = -1;
}

int mms_atomic_begin(mms_atomic *a, const char *path, int by_name)
{
	memset(a, 0, sizeof *a);
	a->fd = -1;
	int rc = resolve(a, path);
	struct stat st;
	if (rc == MMS_OK && stat(a->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* renaming over a device or a folder would replace it, not write it */
		snprintf(a->msg, sizeof a->msg, "%s exists and is not a regular file", a->path);
		rc = MMS_EIO;
	} else if (rc == MMS_OK && stat(a->path, &st) == 0 && !(st.st_mode & 0222)) {
		/* a rename needs only the directory's permission: a file made
		 * read-only would be replaced where writing into it was refused */
		snprintf(a->msg, sizeof a->msg, "%s is read-only: not replaced", a->path);
		rc = MMS_EIO;
	}
	if (rc == MMS_OK)
		rc = fresh_name(a, make_file);
	if (rc == MMS_OK && by_name) {
		close(a->fd); /* the name is reserved; the writer opens it itself */
		a->fd = -1;
	} else if (rc == MMS_OK && !(a->f = fdopen(a->fd, "wb"))) {
		rc = fail(a, "open", a->tmp, errno);
		close(a->fd);
		unlink(a->tmp);
	}
	if (rc != MMS_OK)
		clear(a);
	else
		a->fd = -1; /* owned by a->f from here */
	return rc;
}

int mms_atomic_write(mms_atomic *a, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, a->f) != n)
		return fail(a, "write", a->tmp, errno ? errno : EIO);
	return MMS_OK;
}

/* fsync of a file written by name (the stream is someone else's). */
static int sync_by_name(mms_atomic *a)
{
	int fd = open(a->tmp, O_RDONLY | O_CLOEXEC);
	int ok = fd >= 0 && fsync(fd) == 0;
	int err = errno;
	if (fd >= 0)
		close(fd);
	return ok ? MMS_OK : fail(a, "sync", a->tmp, err);
}

int mms_atomic_commit(mms_atomic *a)
{
	int rc = MMS_OK;
	if (a->f) {
		errno = 0;
		if (fflush(a->f) != 0 || fsync(fileno(a->f)) != 0)
			rc = fail(a, "write", a->tmp, errno ? errno : EIO);
		if (fclose(a->f) != 0 && rc == MMS_OK)
			rc = fail(a, "write", a->tmp, errno ? errno : EIO);
		a->f = NULL;
	} else {
		rc = sync_by_name(a);
	}
	if (rc == MMS_OK && rename(a->tmp, a->path) != 0)
		rc = fail(a, "rename the temporary over", a->path, errno);
	if (rc != MMS_OK)
		unlink(a->tmp);
	else
		rc = sync_dir(a, a->path);
	clear(a);
	return rc;
}

void mms_atomic_abort(mms_atomic *a)
{
	if (a->f)
		fclose(a->f);
	if (a->tmp)
		unlink(a->tmp);
	clear(a);
}

/* Removes a folder this module made, with the plain files in it. */
static void remove_flat(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

/*
 * Whether an existing target folder may be replaced: only if it holds
 * nothing but files the writer would write itself (an earlier export).
 * Anything else (the database, other documents) would be deleted with it.
 */
static int replaceable(mms_atomic *a, int (*ours)(const char *name))
{
	DIR *d = opendir(a->path);
	if (!d)
		return fail(a, "read the folder", a->path, errno);
	struct dirent *e;
	int rc = MMS_OK;
	while (rc == MMS_OK && (e = readdir(d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!ours(e->d_name) || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode)) {
			snprintf(a->msg, sizeof a->msg,
				 "%s holds \"%.100s\", which an export does not write: give a new "
				 "folder or an earlier export's", a->path, e->d_name);
			rc = MMS_EOUTPUT;
		}
	}
	closedir(d);
	return rc;
}

int mms_atomic_dir_begin(mms_atomic *a, const char *dir, int (*ours)(const char *name))
{
	memset(a, 0, sizeof *a);
	a->fd = -1;
	a->ours = ours;
	if (!(a->path = mms_strdup(dir)))
		return MMS_ENOMEM;
	size_t n = strlen(a->path);
	while (n > 1 && a->path[n - 1] == '/') /* "out/" names the folder "out" */
		a->path[--n] = '\0';
	struct stat st;
	int rc = MMS_OK;
	if (lstat(a->path, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			snprintf(a->msg, sizeof a->msg, "%s exists and is not a folder", a->path);
			rc = MMS_EOUTPUT;
		} else {
			rc = replaceable(a, ours);
		}
	}
	if (rc == MMS_OK)
		rc = fresh_name(a, make_dir);
	if (rc != MMS_OK)
		clear(a);
	return rc;
}

/* Syncs the new folder itself, so its entries are durable before the swap. */
static int sync_tmp_dir(mms_atomic *a)
{
	int fd = open(a->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ok = fd >= 0 && (fsync(fd) == 0 || errno == EINVAL);
	int err = errno;
	if (fd >= 0)
		close(fd);
	return ok ? MMS_OK : fail(a, "sync", a->tmp, err);
}

/*
 * Puts the new folder in place of an existing one. With RENAME_EXCHANGE the
 * two folders trade names in one step: the target is always the old folder
 * or the new one, and the old one is then removed under the temporary
 * name. Without it (a file system that lacks it) the old folder is renamed
 * aside, then the new one in: a crash between the two renames leaves no
 * folder under the target's name, the old one whole under
 * "<dir>.<pid>-<n>.old" and the new one whole under its ".tmp" name.
 */
static int swap(mms_atomic *a)
{
	if (renameat2(AT_FDCWD, a->tmp, AT_FDCWD, a->path, RENAME_EXCHANGE) == 0)
		return MMS_OK;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return fail(a, "swap the new folder with", a->path, errno);
	mms_buf old = {0};
	mms_buf_printf(&old, "%.*s.old", (int)(strlen(a->tmp) - 4), a->tmp);
	int rc = MMS_OK;
	if (old.failed)
		rc = MMS_ENOMEM;
	else if (rename(a->path, old.data) != 0)
		rc = fail(a, "move aside", a->path, errno);
	else if (rename(a->tmp, a->path) != 0) {
		rc = fail(a, "rename the new folder to", a->path, errno);
		rename(old.data, a->path); /* the old one back */
	} else {
		remove_flat(old.data);
	}
	mms_buf_free(&old);
	return rc;
}

int mms_atomic_dir_commit(mms_atomic *a)
{
	int rc = sync_tmp_dir(a);
	struct stat st;
	int exists = lstat(a->path, &st) == 0;
	/* the target may have changed since the folder was begun */
	if (rc == MMS_OK && exists)
		rc = S_ISDIR(st.st_mode) ? replaceable(a, a->ours) : fail(a, "replace", a->path, ENOTDIR);
	if (rc == MMS_OK && !exists && rename(a->tmp, a->path) != 0)
		rc = fail(a, "rename the new folder to", a->path, errno);
	else if (rc == MMS_OK && exists)
		rc = swap(a);
	/* the old folder after an exchange, the new one after a failure */
	remove_flat(a->tmp);
	if (rc == MMS_OK)
		rc = sync_dir(a, a->path);
	clear(a);
	return rc;
}

void mms_atomic_dir_abort(mms_atomic *a)
{
	if (a->tmp)
		remove_flat(a->tmp);
	clear(a);
}
