/*
 * paths: where procman keeps its files.
 *
 * $PROCMAN_HOME, or ~/.procman, created mode 0700.  Like tmux's socket
 * directory it must belong to us and not be group or world writable,
 * or we refuse to use it: someone else could swap the socket.
 */
#ifndef PROCMAN_PATHS_H
#define PROCMAN_PATHS_H

/*
 * Find (and create, when create is nonzero) the home directory.  Returns
 * 0 and sets the paths below, or -1 and *cause (allocated, one line).
 */
int	 paths_init(int create, char **cause);

/* Borrowed strings, valid after paths_init(); do not free. */
const char *paths_home(void);
const char *paths_socket(void);		/* procman.sock */
const char *paths_pidfile(void);	/* procmand.pid */
const char *paths_daemon_log(void);	/* procmand.log */
const char *paths_logdir(void);		/* logs/ */
const char *paths_lockfile(void);	/* procman.lock: daemon start lock */

#endif
