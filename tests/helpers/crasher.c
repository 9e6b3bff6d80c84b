/*
 * crasher: a supervised program that exits on purpose.
 *
 *	crasher [exit-code] [after-ms]
 *
 * Prints one line, waits after-ms milliseconds (default 0), then exits
 * with exit-code (default 1).  The regress tests use it for crash loops
 * and for apps that end by themselves.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec	 ts;
	long		 code = 1, ms = 0;

	if (argc > 1)
		code = strtol(argv[1], NULL, 10);
	if (argc > 2)
		ms = strtol(argv[2], NULL, 10);
	if (ms < 0)
		ms = 0;

	printf("crasher %ld: exit %ld after %ld ms\n", (long)getpid(), code,
	    ms);
	fflush(stdout);

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
	return (int)code;
}
