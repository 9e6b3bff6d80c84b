/*
 * leaker: a test app whose memory grows, to exercise max_memory_restart.
 *
 *	leaker [-s start-mib] [-g grow-mib] [-i interval-ms] [-f]
 *
 * Touches start-mib at once, then grow-mib more every interval-ms
 * (default 10 MiB every 100 ms) and never frees it.  With -f the
 * allocation happens in a forked child while the parent only waits, so
 * the memory belongs to the tree, not to the main pid.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Where the memory goes: escaping through a volatile keeps the
   compiler from deleting the malloc and memset as dead stores. */
static void *volatile leaked;

static void
touch_mib(long mib)
{
	char	*p;

	if (mib <= 0)
		return;
	if ((p = malloc((size_t)mib << 20)) == NULL) {
		perror("malloc");
		exit(1);
	}
	memset(p, 0xa5, (size_t)mib << 20);
	leaked = p;
}

static void
grow(long start, long step, long interval_ms)
{
	struct timespec	 ts;

	ts.tv_sec = interval_ms / 1000;
	ts.tv_nsec = (interval_ms % 1000) * 1000000L;
	touch_mib(start);
	printf("leaker %ld: %ld MiB\n", (long)getpid(), start);
	fflush(stdout);
	for (;;) {
		nanosleep(&ts, NULL);
		touch_mib(step);
	}
}

int
main(int argc, char **argv)
{
	long	 start = 0, step = 10, interval = 100;
	int	 ch, forked = 0;
	pid_t	 pid;

	while ((ch = getopt(argc, argv, "s:g:i:f")) != -1) {
		switch (ch) {
		case 's':
			start = atol(optarg);
			break;
		case 'g':
			step = atol(optarg);
			break;
		case 'i':
			interval = atol(optarg);
			break;
		case 'f':
			forked = 1;
			break;
		default:
			fprintf(stderr, "usage: leaker [-s mib] [-g mib] "
			    "[-i ms] [-f]\n");
			return 2;
		}
	}
	if (interval < 1)
		interval = 1;
	if (!forked)
		grow(start, step, interval);
	if ((pid = fork()) == -1) {
		perror("fork");
		return 1;
	}
	if (pid == 0)
		grow(start, step, interval);
	printf("leaker parent %ld, child %ld\n", (long)getpid(), (long)pid);
	fflush(stdout);
	while (waitpid(pid, NULL, 0) == -1)
		;
	return 0;
}
