/*
 * client: connect to procmand, starting it when needed, and exchange
 * request/reply lines with it.
 *
 * Blocking is fine in the CLI, but the socket is non-blocking and every
 * wait goes through poll() with a deadline, so that a wedged daemon
 * gives an error instead of a hung shell script.
 */
#define _GNU_SOURCE	/* pipe2 */

#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "paths.h"
#include "proto.h"
#include "util.h"
#include "xmalloc.h"

/*
 * A stop or restart replies only once every proc has stopped, which may
 * take each app's kill_timeout; wait far longer than any sane one.
 */
#define CLIENT_REPLY_MS		(300 * 1000)
/* How long a starting daemon may take to listen. */
#define CLIENT_START_MS		(10 * 1000)
#define CLIENT_CONNECT_MS	(5 * 1000)
#define CLIENT_STEP_MS		20
#define CLIENT_GONE_MS		(30 * 1000)
#define CLIENT_GONE_STEP_MS	50

void
client_init(struct client *c)
{
	c->fd = -1;
	c->next_id = 1;
	proto_buf_init(&c->in);
}

void
client_close(struct client *c)
{
	if (c->fd != -1) {
		close(c->fd);
		c->fd = -1;
	}
	proto_buf_free(&c->in);
	proto_buf_init(&c->in);
}

static void
client_sleep_ms(int ms)
{
	struct timespec	 ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * One connection attempt.  Returns 0 and *fdp, 1 when nothing listens
 * (no socket, or a stale one), or -1 and *cause.
 */
static int
client_try(int *fdp, char **cause)
{
	struct sockaddr_un	 sun;
	const char		*path = paths_socket();
	int			 fd, saved;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		xasprintf(cause, "socket path too long: %s", path);
		return (-1);
	}
	strncpy(sun.sun_path, path, sizeof sun.sun_path - 1);

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return (-1);
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		saved = errno;
		close(fd);
		if (saved == ENOENT || saved == ECONNREFUSED)
			return (1);
		xasprintf(cause, "cannot connect to %s: %s", path,
		    strerror(saved));
		return (-1);
	}
	if (util_set_nonblock(fd) == -1) {
		xasprintf(cause, "cannot connect to %s: %s", path,
		    strerror(errno));
		close(fd);
		return (-1);
	}
	*fdp = fd;
	return (0);
}

/* Which procmand to run: see HACKING.md.  Returns a new string. */
static char *
client_daemon_path(void)
{
	const char	*env = getenv("PROCMAN_DAEMON");
	char		 self[PATH_MAX], *slash, *path;
	ssize_t		 n;

	if (env != NULL && *env != '\0')
		return (xstrdup(env));
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			xasprintf(&path, "%s/procmand", self);
			if (access(path, X_OK) == 0)
				return (path);
			free(path);
		}
	}
	return (xstrdup("procmand"));
}

/* The child side of client_spawn: never returns. */
static void
client_exec_daemon(const char *path, int errfd)
{
	sigset_t	 none;
	int		 null, e;

	/*
	 * Our stdout may be a pipe someone reads to EOF ($(procman start
	 * ...)): the daemon must not hold it.  stderr stays, so that a
	 * daemon that cannot start tells the user why.
	 */
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (strchr(path, '/') != NULL)
		execl(path, "procmand", (char *)NULL);
	else
		execlp(path, "procmand", (char *)NULL);
	e = errno;
	(void)!write(errfd, &e, sizeof e);
	_exit(127);
}

/*
 * Has the daemon's first process finished?  Returns 0 while it runs, 1
 * when it exited 0, or -1 and *cause when it failed.
 */
static int
client_check_child(pid_t pid, const char *path, char **cause)
{
	int	 status;
	pid_t	 r;

	while ((r = waitpid(pid, &status, WNOHANG)) == -1 && errno == EINTR)
		;
	if (r == 0)
		return (0);
	if (r == -1) {
		xasprintf(cause, "waitpid: %s", strerror(errno));
		return (-1);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return (1);
	if (WIFEXITED(status))
		xasprintf(cause, "%s could not start (exit status %d)", path,
		    WEXITSTATUS(status));
	else
		xasprintf(cause, "%s could not start (killed by signal %d)",
		    path, WTERMSIG(status));
	return (-1);
}

/*
 * Start procmand and connect to it.  Its first process exits 0 once the
 * socket listens, so normally the first connect after waitpid succeeds;
 * we also accept a daemon that listens before its parent has exited.
 */
static int
client_spawn(struct client *c, char **cause)
{
	char		*path;
	int		 errpipe[2], e, r, done = 0;
	pid_t		 pid;
	ssize_t		 n;
	uint64_t	 start;

	path = client_daemon_path();
	if (pipe2(errpipe, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		goto fail;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		close(errpipe[0]);
		close(errpipe[1]);
		goto fail;
	}
	if (pid == 0) {
		close(errpipe[0]);
		client_exec_daemon(path, errpipe[1]);
	}
	close(errpipe[1]);
	/* EOF means exec succeeded: the pipe was close-on-exec. */
	while ((n = read(errpipe[0], &e, sizeof e)) == -1 && errno == EINTR)
		;
	close(errpipe[0]);
	if (n == (ssize_t)sizeof e) {
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		xasprintf(cause, "cannot run %s: %s", path, strerror(e));
		goto fail;
	}

	start = util_mono_ms();
	for (;;) {
		if (!done) {
			if ((r = client_check_child(pid, path, cause)) == -1)
				goto fail;
			done = r;
		}
		if ((r = client_try(&c->fd, cause)) == -1)
			goto fail;
		if (r == 0)
			break;
		if (util_mono_ms() - start > (done ? CLIENT_CONNECT_MS :
		    CLIENT_START_MS)) {
			xasprintf(cause, "%s started but %s does not answer",
			    path, paths_socket());
			goto fail;
		}
		client_sleep_ms(CLIENT_STEP_MS);
	}
	free(path);
	return (0);

fail:
	free(path);
	return (-1);
}

int
client_connect(struct client *c, bool start, char **cause)
{
	int	 r, lockfd;

	if ((r = client_try(&c->fd, cause)) != 1)
		return (r);
	if (!start)
		return (1);

	lockfd = open(paths_lockfile(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lockfd == -1) {
		xasprintf(cause, "cannot open %s: %s", paths_lockfile(),
		    strerror(errno));
		return (-1);
	}
	while ((r = flock(lockfd, LOCK_EX)) == -1 && errno == EINTR)
		;
	if (r == -1) {
		xasprintf(cause, "cannot lock %s: %s", paths_lockfile(),
		    strerror(errno));
		close(lockfd);
		return (-1);
	}
	/*
	 * Try again under the lock: another procman may have started the
	 * daemon while we waited for it.
	 */
	if ((r = client_try(&c->fd, cause)) == 1)
		r = client_spawn(c, cause);
	close(lockfd);
	return (r);
}

struct cJSON *
client_request(struct client *c, const char *type)
{
	return (proto_request(type, c->next_id++));
}

/* Wait for fd to be ready for events until the deadline (mono ms). */
static int
client_poll(int fd, short events, uint64_t deadline, char **cause)
{
	struct pollfd	 pfd;
	uint64_t	 now;
	int		 r;

	for (;;) {
		now = util_mono_ms();
		if (now >= deadline) {
			xasprintf(cause, "no reply from procmand after %d s",
			    CLIENT_REPLY_MS / 1000);
			return (-1);
		}
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, (int)(deadline - now));
		if (r > 0)
			return (0);
		if (r == -1 && errno != EINTR) {
			xasprintf(cause, "poll: %s", strerror(errno));
			return (-1);
		}
	}
}

static int
client_send(struct client *c, const struct cJSON *req, uint64_t deadline,
    char **cause)
{
	char	*line;
	size_t	 len, off = 0;
	ssize_t	 n;
	int	 r = 0;

	line = proto_encode(req, &len);
	while (off < len) {
		n = send(c->fd, line + off, len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			if ((r = client_poll(c->fd, POLLOUT, deadline,
			    cause)) == -1)
				break;
			continue;
		}
		if (errno == EPIPE || errno == ECONNRESET)
			xasprintf(cause, "daemon closed the connection");
		else
			xasprintf(cause, "write to procmand: %s",
			    strerror(errno));
		r = -1;
		break;
	}
	free(line);
	return (r);
}

/* The next line from the daemon.  Returns 0 and *line, or -1. */
static int
client_readline(struct client *c, char **line, uint64_t deadline,
    char **cause)
{
	ssize_t	 n;
	int	 r;

	for (;;) {
		if ((r = proto_buf_line(&c->in, line)) == 1)
			return (0);
		if (r == -1) {
			xasprintf(cause, "reply from procmand is too long");
			return (-1);
		}
		if (client_poll(c->fd, POLLIN, deadline, cause) == -1)
			return (-1);
		n = proto_buf_fill(&c->in, c->fd);
		if (n > 0)
			continue;
		if (n == 0 || errno == ECONNRESET) {
			xasprintf(cause, "daemon closed the connection");
			return (-1);
		}
		if (errno != EAGAIN && errno != EINTR) {
			xasprintf(cause, "read from procmand: %s",
			    strerror(errno));
			return (-1);
		}
	}
}

static long
client_id(const cJSON *obj)
{
	const cJSON	*id = cJSON_GetObjectItemCaseSensitive(obj, "id");

	return (cJSON_IsNumber(id) ? (long)id->valuedouble : -1);
}

int
client_call(struct client *c, const struct cJSON *req, struct cJSON **reply,
    char **cause)
{
	cJSON		*obj = NULL;
	const cJSON	*ok, *err;
	const char	*reason;
	char		*line;
	long		 id = client_id(req), got;
	uint64_t	 deadline = util_mono_ms() + CLIENT_REPLY_MS;

	if (reply != NULL)
		*reply = NULL;
	if (c->fd == -1) {
		xasprintf(cause, "not connected to procmand");
		return (-1);
	}
	if (client_send(c, req, deadline, cause) == -1)
		return (-1);
	for (;;) {
		if (client_readline(c, &line, deadline, cause) == -1)
			return (-1);
		obj = proto_parse(line, strlen(line), &reason);
		free(line);
		if (obj == NULL) {
			xasprintf(cause, "bad reply from procmand: %s", reason);
			return (-1);
		}
		got = client_id(obj);
		ok = cJSON_GetObjectItemCaseSensitive(obj, "ok");
		/* id 0: the daemon could not read our request at all. */
		if (got == id || (got == 0 && !cJSON_IsTrue(ok)))
			break;
		cJSON_Delete(obj);	/* not ours: an event, say */
	}
	if (!cJSON_IsTrue(ok)) {
		err = cJSON_GetObjectItemCaseSensitive(obj, "error");
		if (cJSON_IsString(err))
			*cause = xstrdup(err->valuestring);
		else
			*cause = xstrdup("procmand reported an error");
		if (reply != NULL)
			*reply = obj;
		else
			cJSON_Delete(obj);
		return (1);
	}
	if (reply != NULL)
		*reply = obj;
	else
		cJSON_Delete(obj);
	return (0);
}

/*
 * Send a request and return its reply line as text, unparsed, in *line
 * (caller frees): for `jlist`, whose reply can be a megabyte that the
 * caller only prints.  Returns 0, or -1 and *cause when the connection
 * failed.  The reply is the first line that starts with our id's prefix
 * (the daemon writes "v" then "id" first); anything else is an event.
 */
int
client_call_text(struct client *c, const struct cJSON *req, char **line,
    char **cause)
{
	char		 prefix[64];
	long		 id = client_id(req);
	uint64_t	 deadline = util_mono_ms() + CLIENT_REPLY_MS;
	int		 n;

	*line = NULL;
	if (c->fd == -1) {
		xasprintf(cause, "not connected to procmand");
		return (-1);
	}
	n = snprintf(prefix, sizeof prefix, "{\"v\":%d,\"id\":%ld,",
	    PROTO_VERSION, id);
	if (client_send(c, req, deadline, cause) == -1)
		return (-1);
	for (;;) {
		if (client_readline(c, line, deadline, cause) == -1)
			return (-1);
		if (strncmp(*line, prefix, n) == 0 ||
		    strncmp(*line, "{\"v\":1,\"id\":0,", 15) == 0)
			return (0);
		free(*line);
		*line = NULL;
	}
}

int
client_simple(struct client *c, const char *type, struct cJSON **reply,
    char **cause)
{
	cJSON	*req;
	int	 r;

	req = client_request(c, type);
	r = client_call(c, req, reply, cause);
	cJSON_Delete(req);
	return (r);
}

/* Is the process still there?  A zombie counts as gone. */
static int
client_alive(long pid)
{
	char	 path[64], buf[512], *p;
	FILE	*f;
	size_t	 n;

	if (pid <= 0 || (kill((pid_t)pid, 0) == -1 && errno == ESRCH))
		return (0);
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "re")) == NULL)
		return (1);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The state follows the last ')': the name may hold one. */
	if ((p = strrchr(buf, ')')) != NULL && p[1] == ' ' && p[2] == 'Z')
		return (0);
	return (1);
}

int
client_wait_gone(long pid)
{
	uint64_t	 start = util_mono_ms();
	char		*cause = NULL;
	int		 fd, r;

	for (;;) {
		r = client_try(&fd, &cause);
		if (r == 0)
			close(fd);
		free(cause);
		cause = NULL;
		if (r != 0 && !client_alive(pid))
			return (0);
		if (util_mono_ms() - start > CLIENT_GONE_MS)
			return (-1);
		client_sleep_ms(CLIENT_GONE_STEP_MS);
	}
}

/*
 * The next line the daemon pushes (an event, after a subscribe request),
 * waiting up to timeout_ms (-1: for ever).  Returns 0 and *obj (caller
 * deletes), 1 on timeout, or -1 and *cause when the daemon went away or
 * sent something unreadable.
 */
int
client_next(struct client *c, struct cJSON **obj, int timeout_ms,
    char **cause)
{
	struct pollfd	 pfd;
	const char	*reason;
	char		*line;
	ssize_t		 n;
	int		 r;

	*obj = NULL;
	for (;;) {
		if ((r = proto_buf_line(&c->in, &line)) == 1) {
			*obj = proto_parse(line, strlen(line), &reason);
			free(line);
			if (*obj == NULL) {
				xasprintf(cause, "bad event from procmand: %s",
				    reason);
				return (-1);
			}
			return (0);
		}
		if (r == -1) {
			xasprintf(cause, "event from procmand is too long");
			return (-1);
		}
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if ((r = poll(&pfd, 1, timeout_ms)) == 0)
			return (1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			xasprintf(cause, "poll: %s", strerror(errno));
			return (-1);
		}
		n = proto_buf_fill(&c->in, c->fd);
		if (n > 0 || (n == -1 && (errno == EAGAIN || errno == EINTR)))
			continue;
		if (n == 0 || errno == ECONNRESET)
			xasprintf(cause, "daemon closed the connection");
		else
			xasprintf(cause, "read from procmand: %s",
			    strerror(errno));
		return (-1);
	}
}
