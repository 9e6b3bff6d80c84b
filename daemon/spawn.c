/*
 * spawn: the fork/exec sequence, and nothing else (after tmux's job.c).
 *
 * The child becomes a session and process-group leader, so a stop can
 * signal the whole group at once; gets default signal dispositions and an
 * empty mask (SIG_IGN and the mask survive execve, and libev has been
 * playing with both); and reports a failed chdir or exec over a
 * close-on-exec pipe, so `procman start` can say "exec failed: ..."
 * instead of leaving a silent crash loop behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "daemon.h"
#include "xmalloc.h"

/*
 * The daemon raises its own open-file limit (it holds pipes and /proc
 * files for every proc); children get the limit we were started with,
 * since programs that loop over every possible fd, or use select(),
 * misbehave with a huge one.
 */
static struct rlimit	spawn_nofile;
static bool		spawn_nofile_set;

void
spawn_init(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	spawn_nofile = rl;
	spawn_nofile_set = true;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* What the child writes back when it cannot exec. */
struct spawn_failure {
	int	 stage;		/* SPAWN_STAGE_* */
	int	 error;		/* errno */
};

enum {
	SPAWN_STAGE_SETUP,
	SPAWN_STAGE_CHDIR,
	SPAWN_STAGE_EXEC,
};

static void __attribute__((noreturn))
spawn_fail_child(int fd, int stage)
{
	struct spawn_failure	 f = { stage, errno };
	ssize_t			 unused;

	unused = write(fd, &f, sizeof f);
	(void)unused;
	_exit(127);
}

/* Close every fd from 3 up except keep. */
static void
spawn_close_fds(int keep)
{
	if (keep > 3)
		close_range(3, keep - 1, 0);
	close_range(keep + 1, ~0U, 0);
}

static void __attribute__((noreturn))
spawn_exec_child(const struct spawn_req *req, int report,
    const sigset_t *empty)
{
	struct sigaction	 sa;
	int			 sig, null;

	setsid();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigprocmask(SIG_SETMASK, empty, NULL);
	if (spawn_nofile_set)
		setrlimit(RLIMIT_NOFILE, &spawn_nofile);

	if (chdir(req->cwd) == -1)
		spawn_fail_child(report, SPAWN_STAGE_CHDIR);
	if ((null = open("/dev/null", O_RDONLY)) == -1 ||
	    dup2(null, STDIN_FILENO) == -1 ||
	    dup2(req->out_fd, STDOUT_FILENO) == -1 ||
	    dup2(req->err_fd, STDERR_FILENO) == -1)
		spawn_fail_child(report, SPAWN_STAGE_SETUP);
	spawn_close_fds(report);
	execve(req->path, req->argv, req->envp);
	spawn_fail_child(report, SPAWN_STAGE_EXEC);
}

/*
 * Fork and exec.  Returns the child's pid once it has exec'd, or -1 and
 * *cause (allocated) when it could not start; such a child has already
 * exited and libev reaps it.
 */
pid_t
spawn_child(const struct spawn_req *req, char **cause)
{
	sigset_t		 all, saved, empty;
	int			 report[2];
	pid_t			 pid;
	struct spawn_failure	 f;
	ssize_t			 n;

	*cause = NULL;
	if (pipe2(report, O_CLOEXEC) == -1) {
		*cause = xprintf("pipe: %s", strerror(errno));
		return -1;
	}
	sigfillset(&all);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &all, &saved);
	pid = fork();
	if (pid == 0) {
		close(report[0]);
		spawn_exec_child(req, report[1], &empty);
	}
	sigprocmask(SIG_SETMASK, &saved, NULL);
	close(report[1]);
	if (pid == -1) {
		*cause = xprintf("fork: %s", strerror(errno));
		close(report[0]);
		return -1;
	}

	/* EOF means exec succeeded: the pipe closed on exec. */
	do
		n = read(report[0], &f, sizeof f);
	while (n == -1 && errno == EINTR);
	close(report[0]);
	if (n != (ssize_t)sizeof f)
		return pid;
	switch (f.stage) {
	case SPAWN_STAGE_CHDIR:
		*cause = xprintf("cannot chdir to %s: %s", req->cwd,
		    strerror(f.error));
		break;
	case SPAWN_STAGE_EXEC:
		*cause = xprintf("exec %s failed: %s", req->path,
		    strerror(f.error));
		break;
	default:
		*cause = xprintf("cannot set up the child: %s",
		    strerror(f.error));
		break;
	}
	return -1;
}
