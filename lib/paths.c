/*
 * paths: $PROCMAN_HOME and the files in it.
 *
 * The home holds the control socket, so it must be ours and closed to
 * others, as tmux insists for its socket directory: a directory another
 * user can write to would let them replace the socket.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "paths.h"
#include "xmalloc.h"

static struct {
	char	*home;
	char	*socket;
	char	*pidfile;
	char	*daemon_log;
	char	*logdir;
	char	*lockfile;
} paths;

static char *
paths_default_home(char **cause)
{
	const char	*base;
	struct passwd	*pw;

	if ((base = getenv("HOME")) == NULL || *base == '\0') {
		if ((pw = getpwuid(getuid())) == NULL) {
			*cause = xstrdup("cannot find the home directory: "
			    "set PROCMAN_HOME");
			return NULL;
		}
		base = pw->pw_dir;
	}
	return xprintf("%s/.procman", base);
}

/* Create dir (0700) if needed; refuse one that is not ours or is open. */
static int
paths_check_dir(const char *dir, int create, char **cause)
{
	struct stat	 sb;

	if (create && mkdir(dir, 0700) == -1 && errno != EEXIST) {
		*cause = xprintf("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &sb) == -1) {
		*cause = xprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xprintf("%s is not a directory", dir);
		return -1;
	}
	if (sb.st_uid != getuid()) {
		*cause = xprintf("%s belongs to uid %u, not to us (uid %u)",
		    dir, (unsigned)sb.st_uid, (unsigned)getuid());
		return -1;
	}
	if ((sb.st_mode & 077) != 0) {
		*cause = xprintf("%s is open to other users (mode %03o); "
		    "run: chmod 700 %s", dir, sb.st_mode & 0777, dir);
		return -1;
	}
	return 0;
}

/* Forget an earlier paths_init(): a command may call it more than once. */
static void
paths_free(void)
{
	free(paths.home);
	free(paths.socket);
	free(paths.pidfile);
	free(paths.daemon_log);
	free(paths.logdir);
	free(paths.lockfile);
	memset(&paths, 0, sizeof paths);
}

int
paths_init(int create, char **cause)
{
	const char	*env;
	char		*home, *real;
	struct sockaddr_un sun;

	*cause = NULL;
	paths_free();
	if ((env = getenv("PROCMAN_HOME")) != NULL && *env != '\0')
		home = xstrdup(env);
	else if ((home = paths_default_home(cause)) == NULL)
		return -1;
	if (paths_check_dir(home, create, cause) == -1) {
		free(home);
		return -1;
	}
	/* An absolute home: children and the daemon chdir elsewhere. */
	if ((real = realpath(home, NULL)) != NULL) {
		free(home);
		home = real;
	}
	paths.home = home;
	paths.socket = xprintf("%s/procman.sock", home);
	paths.pidfile = xprintf("%s/procmand.pid", home);
	paths.daemon_log = xprintf("%s/procmand.log", home);
	paths.logdir = xprintf("%s/logs", home);
	paths.lockfile = xprintf("%s/procman.lock", home);
	if (strlen(paths.socket) >= sizeof sun.sun_path) {
		*cause = xprintf("socket path %s is too long (max %zu bytes); "
		    "use a shorter PROCMAN_HOME", paths.socket,
		    sizeof sun.sun_path - 1);
		return -1;
	}
	if (create && mkdir(paths.logdir, 0700) == -1 && errno != EEXIST) {
		*cause = xprintf("cannot create %s: %s", paths.logdir,
		    strerror(errno));
		return -1;
	}
	return 0;
}

const char *paths_home(void) { return paths.home; }
const char *paths_socket(void) { return paths.socket; }
const char *paths_pidfile(void) { return paths.pidfile; }
const char *paths_daemon_log(void) { return paths.daemon_log; }
const char *paths_logdir(void) { return paths.logdir; }
const char *paths_lockfile(void) { return paths.lockfile; }
