/*
 * procmand: the supervisor daemon.  Startup, daemonising, signals and the
 * orderly exit; everything else hangs off the libev loop it runs.
 *
 * The loop is created after the fork that daemonises us, because the
 * epoll backend does not survive fork.  The first process waits on a pipe
 * until the daemon listens, so the `procman` that started us can connect
 * at once, or print why we could not start.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "paths.h"
#include "util.h"
#include "version.h"
#include "xmalloc.h"

struct ev_loop	*loop;

static bool	 shutting_down;
static int	 ready_fd = -1;	/* write end of the readiness pipe */
static ev_signal sigterm_w, sigint_w, sighup_w;
static ev_prepare prepare_w;

static void __attribute__((noreturn, format(printf, 1, 2)))
startup_fail(const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvprintf(fmt, ap);
	va_end(ap);
	if (ready_fd != -1) {
		util_write_all(ready_fd, msg, strlen(msg));
		close(ready_fd);
	} else
		fprintf(stderr, "procmand: %s\n", msg);
	log_warnx("cannot start: %s", msg);
	free(msg);
	exit(1);
}

/* The control socket's address (paths_init checked that it fits). */
static void
socket_address(struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	strncpy(sun->sun_path, paths_socket(), sizeof sun->sun_path - 1);
}

/* Does a daemon answer on our socket already? */
static bool
daemon_answers(void)
{
	struct sockaddr_un	 sun;
	int			 fd;
	bool			 up;

	socket_address(&sun);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return false;
	up = connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0;
	close(fd);
	return up;
}

/*
 * Fork into the background.  The parent waits for the child to say it is
 * listening (EOF on the pipe) or why it failed (text on the pipe).
 */
static void
daemonise(void)
{
	int	 fds[2], null;
	pid_t	 pid;
	char	 buf[1024];
	ssize_t	 n, len = 0;

	if (pipe2(fds, O_CLOEXEC) == -1)
		startup_fail("pipe: %s", strerror(errno));
	if ((pid = fork()) == -1)
		startup_fail("fork: %s", strerror(errno));
	if (pid != 0) {
		close(fds[1]);
		while ((n = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0
		    || (n == -1 && errno == EINTR))
			if (n > 0)
				len += n;
		if (len == 0)
			_exit(0);
		buf[len] = '\0';
		fprintf(stderr, "procmand: %s\n", buf);
		_exit(1);
	}
	close(fds[0]);
	ready_fd = fds[1];
	setsid();
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
}

static int
listen_socket(void)
{
	struct sockaddr_un	 sun;
	mode_t			 mask;
	int			 fd;

	socket_address(&sun);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		startup_fail("socket: %s", strerror(errno));
	/* Nobody answered on it: whatever is there is stale. */
	if (unlink(paths_socket()) == -1 && errno != ENOENT)
		startup_fail("cannot remove stale %s: %s", paths_socket(),
		    strerror(errno));
	mask = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		umask(mask);
		startup_fail("cannot bind %s: %s", paths_socket(),
		    strerror(errno));
	}
	umask(mask);
	if (chmod(paths_socket(), 0600) == -1 || listen(fd, 128) == -1)
		startup_fail("cannot listen on %s: %s", paths_socket(),
		    strerror(errno));
	return fd;
}

static void
write_pidfile(void)
{
	char	*tmp, buf[32];
	int	 fd, n;

	tmp = xprintf("%s.tmp", paths_pidfile());
	n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1 || util_write_all(fd, buf, n) == -1 ||
	    rename(tmp, paths_pidfile()) == -1)
		log_warn("cannot write %s", paths_pidfile());
	if (fd != -1)
		close(fd);
	free(tmp);
}

bool
daemon_shutting_down(void)
{
	return shutting_down;
}

/* Stop every app (in parallel, each with its own signal and timeout). */
void
daemon_shutdown(const char *why)
{
	struct app	*app;
	size_t		 i, j;
	int		*ids = NULL;
	size_t		 n = 0;
	struct proc	*p;

	if (shutting_down)
		return;
	shutting_down = true;
	log_info("shutting down (%s): stopping %zu processes", why,
	    registry_nprocs());
	for (i = 0; i < registry_napps(); i++) {
		app = registry_app_at(i);
		ids = xreallocarray(ids, n + app->nprocs + 1, sizeof *ids);
		for (j = 0; j < app->nprocs; j++)
			ids[n++] = app->procs[j]->id;
	}
	for (i = 0; i < n; i++)
		if ((p = registry_find_proc(ids[i])) != NULL)
			proc_stop(p, AFTER_DELETE, "daemon shutting down");
	free(ids);
	registry_changed();
}

static void
on_signal(struct ev_loop *l, ev_signal *w, int revents)
{
	(void)l;
	(void)revents;
	if (w->signum == SIGHUP) {
		log_info("SIGHUP ignored");
		return;
	}
	daemon_shutdown(w->signum == SIGINT ? "SIGINT" : "SIGTERM");
}

/* Before the loop blocks: answer settled requests; exit when done. */
static void
on_prepare(struct ev_loop *l, ev_prepare *w, int revents)
{
	struct ptree	 t;

	(void)w;
	(void)revents;
	control_check_waits();
	if (shutting_down && registry_nprocs() == 0) {
		/* Nothing we know of is left; end what we do not know. */
		ptree_scan(&t);
		ptree_signal_all(&t, SIGKILL);
		ptree_free(&t);
		ev_break(l, EVBREAK_ALL);
	}
}

/* The sampling interval: 100 ms to 1 min. */
static int
parse_interval(const char *s, uint64_t *ms)
{
	long long	 v;

	if (!util_parse_ll(s, &v) || v < 100 || v > 60000)
		return -1;
	*ms = (uint64_t)v;
	return 0;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: procmand [-f] [-s interval-ms] "
	    "[--upgrade file]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	char		*cause;
	const char	*env;
	int		 ch, fd;
	bool		 foreground = false;
	uint64_t	 sample_ms = SAMPLE_DEFAULT_MS;
	const char	*upgrade = NULL;	/* procman update: upgrade.c */
	static const struct option longopts[] = {
		{ "upgrade", required_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 }
	};

	if ((env = getenv("PROCMAN_SAMPLE_INTERVAL")) != NULL &&
	    parse_interval(env, &sample_ms) == -1)
		startup_fail("PROCMAN_SAMPLE_INTERVAL: expected milliseconds "
		    "from 100 to 60000, got \"%s\"", env);
	while ((ch = getopt_long(argc, argv, "fs:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			foreground = true;
			break;
		case 'U':
			/* Our own exec: already a daemon, socket in hand. */
			upgrade = optarg;
			foreground = true;
			break;
		case 's':
			if (parse_interval(optarg, &sample_ms) == -1)
				startup_fail("-s: expected milliseconds from "
				    "100 to 60000, got \"%s\"", optarg);
			break;
		case 'V':
			printf("procmand %s\n", PROCMAN_VERSION);
			return 0;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (paths_init(1, &cause) == -1)
		startup_fail("%s", cause);
	if (upgrade == NULL && daemon_answers())
		startup_fail("already running: %s answers", paths_socket());
	if (!foreground)
		daemonise();
	if (log_open(paths_daemon_log()) == -1)
		startup_fail("cannot open %s: %s", paths_daemon_log(),
		    strerror(errno));
	/* What libc, libev or a sanitizer prints must not be lost. */
	if (!foreground)
		dup2(log_fd(), STDERR_FILENO);
	if (chdir("/") == -1)
		startup_fail("chdir /: %s", strerror(errno));
	/* Orphans of our apps come back to us, to be found and ended. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		log_warn("cannot become a child subreaper");
	signal(SIGPIPE, SIG_IGN);
	setenv("PROCMAN_HOME", paths_home(), 1);
	spawn_init();

	if ((loop = ev_default_loop(EVFLAG_AUTO)) == NULL)
		startup_fail("cannot initialise libev");
	if (upgrade != NULL && (fd = upgrade_begin(upgrade, &cause)) == -1) {
		log_warnx("update: %s; recovering as after a crash", cause);
		free(cause);
		upgrade = NULL;
	}
	if (upgrade == NULL)
		fd = listen_socket();
	write_pidfile();
	control_init(fd);
	logs_init();
	sample_init(sample_ms);
	ev_signal_init(&sigterm_w, on_signal, SIGTERM);
	ev_signal_init(&sigint_w, on_signal, SIGINT);
	ev_signal_init(&sighup_w, on_signal, SIGHUP);
	ev_signal_start(loop, &sigterm_w);
	ev_signal_start(loop, &sigint_w);
	ev_signal_start(loop, &sighup_w);
	ev_prepare_init(&prepare_w, on_prepare);
	ev_prepare_start(loop, &prepare_w);
	state_init();
	if (upgrade != NULL)
		upgrade_resume();
	else
		recover_run();
	log_info("procmand %s started (pid %ld, home %s)", PROCMAN_VERSION,
	    (long)getpid(), paths_home());
	if (ready_fd != -1) {
		close(ready_fd);
		ready_fd = -1;
	}
	sdnotify_ready();

	ev_run(loop, 0);

	control_close();
	/* After an orderly shutdown: no apps, so the next start has none. */
	state_flush();
	unlink(paths_socket());
	unlink(paths_pidfile());
	log_info("procmand exiting");
	return 0;
}
