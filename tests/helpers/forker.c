/*
 * forker: a supervised program that leaves a grandchild behind, to check
 * that stopping an app kills its whole tree.
 *
 *	forker [--setsid] [--double]
 *
 * Forks a child that sleeps forever.  With --setsid that child leaves
 * the process group (and session) first; with --double it is forked
 * from an intermediate process that exits at once, so it is orphaned
 * and reparented away from forker.  The sleeping process prints
 * "grandchild <pid>" and, when FORKER_PIDFILE is set, writes its pid to
 * that file (atomically: a temporary file renamed into place).  forker
 * itself then sleeps forever.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
sleep_forever(void)
{
	for (;;)
		pause();
}

static void
write_pidfile(const char *path)
{
	char	 tmp[4096];
	FILE	*f;

	if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >=
	    (int)sizeof tmp)
		return;
	if ((f = fopen(tmp, "w")) == NULL) {
		perror(tmp);
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		perror(path);
}

static void
grandchild(int do_setsid)
{
	const char	*pidfile;

	if (do_setsid && setsid() == -1)
		perror("setsid");
	printf("grandchild %ld\n", (long)getpid());
	fflush(stdout);
	if ((pidfile = getenv("FORKER_PIDFILE")) != NULL && *pidfile != '\0')
		write_pidfile(pidfile);
	sleep_forever();
}

int
main(int argc, char **argv)
{
	pid_t	 pid;
	int	 i, do_setsid = 0, do_double = 0, status;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--setsid") == 0)
			do_setsid = 1;
		else if (strcmp(argv[i], "--double") == 0)
			do_double = 1;
		else {
			fprintf(stderr, "usage: forker [--setsid] [--double]\n");
			return 2;
		}
	}
	printf("forker %ld\n", (long)getpid());
	fflush(stdout);

	if ((pid = fork()) == -1) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (!do_double)
			grandchild(do_setsid);
		if ((pid = fork()) == -1) {
			perror("fork");
			_exit(1);
		}
		if (pid == 0)
			grandchild(do_setsid);
		_exit(0);
	}
	if (do_double) {
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			continue;
	}
	sleep_forever();
}
