/*
 * flooder: writes numbered lines to stdout as fast as it can.
 *
 *	flooder lines size [tag [pause]]
 *
 * Writes `lines` lines of exactly `size` bytes (newline included), each
 * "<tag> <10-digit number> xxx...x\n", numbered from 0, in 64 KiB writes
 * that cut lines anywhere (the reader must reassemble them).  The tag
 * defaults to "i" and the instance number ($PROCMAN_INSTANCE), so the
 * instances of a merged log can be told apart.  With pause, it sleeps
 * until killed once done, instead of exiting 0 (an app that must stay
 * online).  The log tests check such files for lost, torn or
 * interleaved lines; the benchmark times them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLOODER_CHUNK	65536

static void
flooder_write(const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(STDOUT_FILENO, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			exit(1);
		buf += n;
		len -= (size_t)n;
	}
}

int
main(int argc, char **argv)
{
	static char	 buf[FLOODER_CHUNK * 2];
	char		 tag[64], head[96];
	const char	*inst;
	long long	 lines, i;
	long		 size;
	size_t		 len = 0;
	int		 hl;

	if (argc < 3) {
		fprintf(stderr, "usage: flooder lines size [tag [pause]]\n");
		return 2;
	}
	lines = strtoll(argv[1], NULL, 10);
	size = strtol(argv[2], NULL, 10);
	if (argc > 3)
		snprintf(tag, sizeof tag, "%s", argv[3]);
	else {
		inst = getenv("PROCMAN_INSTANCE");
		snprintf(tag, sizeof tag, "i%s", inst != NULL ? inst : "");
	}
	if (size < (long)strlen(tag) + 13 || size > FLOODER_CHUNK) {
		fprintf(stderr, "flooder: size must be %zu to %d\n",
		    strlen(tag) + 13, FLOODER_CHUNK);
		return 2;
	}
	for (i = 0; i < lines; i++) {
		hl = snprintf(head, sizeof head, "%s %010lld ", tag, i);
		memcpy(buf + len, head, hl);
		memset(buf + len + hl, 'x', size - hl - 1);
		buf[len + size - 1] = '\n';
		len += size;
		if (len >= FLOODER_CHUNK) {
			flooder_write(buf, FLOODER_CHUNK);
			len -= FLOODER_CHUNK;
			memmove(buf, buf + FLOODER_CHUNK, len);
		}
	}
	flooder_write(buf, len);
	if (argc > 4)
		for (;;)
			pause();
	return 0;
}
