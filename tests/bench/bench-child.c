/*
 * bench-child: the supervised program of tests/bench/compare.py, the
 * same binary under procman, PM2, supervisord and the fork/exec floor.
 *
 *	bench-child idle                 sleep until killed
 *	bench-child stamp FILE           record the start, then sleep
 *	bench-child mem FILE LIMIT_MIB   record the start, grow past
 *	                                 LIMIT_MIB of RSS, record when it
 *	                                 crossed, then sleep holding it
 *	bench-child exec FILE PROG ARGS  record the start, then exec PROG
 *	                                 (when the log flood began)
 *
 * Records are lines appended to FILE with one write(2) each (O_APPEND,
 * so concurrent incarnations never tear each other's lines):
 *
 *	start PID NS        first thing in main()
 *	crossed PID NS      VmRSS just went above LIMIT_MIB MiB
 *	signal PID SIG NS   SIGTERM, SIGINT or SIGQUIT arrived (then exit)
 *
 * NS is CLOCK_REALTIME in nanoseconds, the clock the bench reads with
 * time.time_ns() just before it sends a SIGKILL, so "kill -> new start"
 * is one subtraction.  A crash -> respawn latency measured this way
 * counts everything up to the new incarnation's main(): the
 * supervisor's reaction, its fork, exec and the dynamic loader.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int	stamp_fd = -1;

/* Async-signal-safe: no stdio, the digits are formatted by hand. */
static size_t
child_fmt_u(char *p, unsigned long long v)
{
	char	 tmp[24];
	size_t	 n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

static void
child_record(const char *what, int sig)
{
	struct timespec	 ts;
	char		 line[128];
	size_t		 n, len;
	int		 saved = errno;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (stamp_fd == -1)
		return;
	len = strlen(what);
	memcpy(line, what, len);
	n = len;
	line[n++] = ' ';
	n += child_fmt_u(line + n, (unsigned long long)getpid());
	line[n++] = ' ';
	if (sig != 0) {
		n += child_fmt_u(line + n, (unsigned long long)sig);
		line[n++] = ' ';
	}
	n += child_fmt_u(line + n, (unsigned long long)ts.tv_sec *
	    1000000000ULL + (unsigned long long)ts.tv_nsec);
	line[n++] = '\n';
	if (write(stamp_fd, line, n) == -1) {
		/* nothing to do: the bench sees the record missing */
	}
	errno = saved;
}

static void
child_on_signal(int sig)
{
	child_record("signal", sig);
	_exit(0);
}

static long
child_rss_kib(void)
{
	char	 buf[256];
	long	 pages = 0, resident = 0;
	ssize_t	 n;
	int	 fd;

	if ((fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%ld %ld", &pages, &resident) != 2)
		return 0;
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Touch 1 MiB at a time until RSS is above limit_mib, then 16 more. */
static void
child_grow(long limit_mib)
{
	static char *volatile	 keep[4096];
	long			 i, after = -1;
	char			*p;

	for (i = 0; i < (long)(sizeof keep / sizeof keep[0]); i++) {
		if ((p = malloc(1 << 20)) == NULL)
			break;
		memset(p, 0xa5, 1 << 20);
		keep[i] = p;
		if (after < 0 && child_rss_kib() > limit_mib * 1024) {
			child_record("crossed", 0);
			after = i + 16;
		}
		if (after >= 0 && i >= after)
			break;
	}
}

int
main(int argc, char **argv)
{
	struct sigaction	 sa;

	if (argc >= 3) {
		stamp_fd = open(argv[2], O_WRONLY | O_APPEND | O_CREAT |
		    O_CLOEXEC, 0644);
		child_record("start", 0);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = child_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);

	if (argc >= 2 && strcmp(argv[1], "idle") == 0)
		;
	else if (argc == 3 && strcmp(argv[1], "stamp") == 0)
		;
	else if (argc == 4 && strcmp(argv[1], "mem") == 0)
		child_grow(strtol(argv[3], NULL, 10));
	else if (argc >= 4 && strcmp(argv[1], "exec") == 0) {
		execvp(argv[3], argv + 3);
		perror(argv[3]);
		return 127;
	}
	else {
		fprintf(stderr, "usage: bench-child idle | stamp FILE | "
		    "mem FILE LIMIT_MIB | exec FILE PROG [ARGS...]\n");
		return 2;
	}
	for (;;)
		pause();
}
