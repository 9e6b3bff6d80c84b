/*
 * floor-spawn: the physical floor of a supervisor, for
 * tests/bench/compare.py.  The least a supervisor can do: fork/exec N
 * children and fork/exec a new one the moment waitpid() says one died,
 * with no restart policy, no logs, no socket, no sampling.
 *
 *	floor-spawn N PROG [ARGS...]
 *
 * Starts N copies of PROG (stdio on /dev/null), waits until every one
 * has exec'd (a close-on-exec pipe per child reports it), then prints
 * "ready NS\n" on stdout (NS: nanoseconds from the first fork to the
 * last exec) and respawns each child that exits, at once, forever.
 * SIGTERM or SIGINT make it SIGKILL its children, reap them and exit
 * 0 (the bench falls back to SIGKILL after a few seconds).  Children
 * also get PR_SET_PDEATHSIG SIGKILL, so a killed floor-spawn leaves
 * nothing behind.  With N = 0 it only waits for the signal (its idle
 * RSS).
 */
#define _GNU_SOURCE

#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FLOOR_MAX	4096

static pid_t			 kids[FLOOR_MAX];
static int			 nkids;
static volatile sig_atomic_t	 stopping;

static void
floor_on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Fork/exec one child; returns its pid and, if wantfd, the read end
 * of a pipe that reaches EOF when the child has exec'd. */
static pid_t
floor_spawn(char **argv, int *wantfd)
{
	sigset_t	 none;
	pid_t		 pid;
	int		 p[2] = { -1, -1 }, fd;

	if (wantfd != NULL && pipe2(p, O_CLOEXEC) == -1) {
		perror("pipe2");
		exit(1);
	}
	if ((pid = fork()) == -1) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wantfd != NULL) {
		close(p[1]);
		*wantfd = p[0];
	}
	return pid;
}

static long long
floor_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	struct sigaction	 sa;
	long long		 t0;
	sigset_t		 block, old;
	pid_t			 pid;
	char			 c;
	int			 i, status, *fds;

	if (argc < 3 || (nkids = atoi(argv[1])) < 0 || nkids > FLOOR_MAX) {
		fprintf(stderr, "usage: floor-spawn N PROG [ARGS...]\n");
		return 2;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = floor_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	/* Signals only get through while we sleep in waitpid/sigsuspend. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);

	fds = calloc((size_t)nkids + 1, sizeof *fds);
	t0 = floor_now_ns();
	for (i = 0; i < nkids; i++)
		kids[i] = floor_spawn(argv + 2, &fds[i]);
	for (i = 0; i < nkids; i++) {
		while (read(fds[i], &c, 1) == -1 && errno == EINTR)
			;
		close(fds[i]);
	}
	printf("ready %lld\n", floor_now_ns() - t0);
	fflush(stdout);
	free(fds);

	sigprocmask(SIG_SETMASK, &old, NULL);
	while (!stopping) {
		if (nkids == 0) {
			pause();
			continue;
		}
		pid = waitpid(-1, &status, 0);
		if (pid == -1)
			continue;	/* EINTR: look at stopping */
		for (i = 0; i < nkids; i++)
			if (kids[i] == pid) {
				kids[i] = floor_spawn(argv + 2, NULL);
				break;
			}
	}
	for (i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
		;
	return 0;
}
