/*
 * commit.h — which build a benchmark measured: the git commit of the tree
 * the motcua binary was built in, for the rows of bench/results.md.
 */
#ifndef MOTCUA_BENCH_COMMIT_H
#define MOTCUA_BENCH_COMMIT_H
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* HEAD of the binary's tree, "+changes" when that tree's sources differ
 * from it; "?" when git cannot tell. */
static inline void
bench_commit_of(const char *bin, char *out, size_t n)
{
	char *copy = strdup(bin), cmd[700];
	snprintf(out, n, "?");
	const char *d = dirname(copy);
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && git rev-parse --short=7 HEAD | tr -d '\\n' && "
	         "{ git diff --quiet HEAD -- ':/src' ':/sql' ':/data' || printf '+changes'; }", d);
	free(copy);
	FILE *p = popen(cmd, "r");
	if (p) {
		if (fgets(out, (int)n, p))
			out[strcspn(out, "\r\n")] = '\0';
		pclose(p);
	}
}

#endif
