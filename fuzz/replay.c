/*
 * Replays a fuzz target over every file of its corpus directories, so the
 * corpora (seeds and every crash found, kept as regression inputs) run as
 * ordinary tests with any compiler. Prints "N passed, 0 failed".
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int replay_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: cannot be read\n", dir);
		return 1;
	}
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, 0, SEEK_SET);
		unsigned char *buf = malloc((size_t)n + 1);
		size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
		fclose(f);
		LLVMFuzzerTestOneInput(buf, got); /* a failure aborts, failing the test */
		free(buf);
		(*count)++;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	int count = 0, bad = 0;
	for (int i = 1; i < argc; i++)
		bad |= replay_dir(argv[i], &count);
	printf("%d passed, %d failed\n", count, bad);
	return bad || count == 0;
}
