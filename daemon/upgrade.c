/*
 * upgrade: `procman update`, procmand re-executing its installed binary
 * without stopping any app.
 *
 * The pid does not change across execve(2), so the apps stay our
 * children: the new image re-arms an ev_child for each, and their log
 * pipes, the listening socket and the connection of the client that
 * asked are carried over as open file descriptors (close-on-exec cleared
 * just before the exec).  Everything else goes through a state file,
 * upgrade.json (state_to_json with the timers' remaining times), named
 * on the new image's command line: procmand --upgrade FILE.  The new
 * image answers the waiting client itself, so `procman update` only
 * succeeds once the new binary runs.
 *
 * Other clients' connections are closed by the exec; a request of theirs
 * still waiting (a stop, a restart) gets no reply.  A child that exits
 * during the exec is reaped by the new image, which asks libev to look
 * for dead children once it has re-armed the watchers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "daemon.h"
#include "log.h"
#include "paths.h"
#include "proto.h"
#include "util.h"
#include "version.h"
#include "xmalloc.h"

#define UPGRADE_DELETED	" (deleted)"

static unsigned long	 upgrade_gen;	/* execs since the first start */
static cJSON		*upgrade_st;	/* between begin and resume */

unsigned long
upgrade_generation(void)
{
	return upgrade_gen;
}

/*
 * The installed binary: what /proc/self/exe names.  When `make install`
 * replaced the file, the link reads "<path> (deleted)" and the new file
 * is at <path>: that is the one to run.  Returns a new string or NULL.
 */
static char *
upgrade_binary(void)
{
	char	 buf[PATH_MAX];
	ssize_t	 n;
	size_t	 len, dlen = sizeof UPGRADE_DELETED - 1;

	if ((n = readlink("/proc/self/exe", buf, sizeof buf - 1)) <= 0)
		return NULL;
	buf[n] = '\0';
	len = (size_t)n;
	if (len > dlen && strcmp(buf + len - dlen, UPGRADE_DELETED) == 0)
		buf[len - dlen] = '\0';
	return xstrdup(buf);
}

static char *
upgrade_path(void)
{
	return xprintf("%s/upgrade.json", paths_home());
}

/* Set or clear close-on-exec on every fd we carry. */
static void
upgrade_cloexec(int listen_fd, int conn_fd, bool on)
{
	struct app	*app;
	size_t		 i, j;
	int		 fl;

	if (on) {
		util_set_cloexec(listen_fd);
		util_set_cloexec(conn_fd);
	} else {
		if ((fl = fcntl(listen_fd, F_GETFD)) != -1)
			fcntl(listen_fd, F_SETFD, fl & ~FD_CLOEXEC);
		if ((fl = fcntl(conn_fd, F_GETFD)) != -1)
			fcntl(conn_fd, F_SETFD, fl & ~FD_CLOEXEC);
	}
	for (i = 0; i < registry_napps(); i++) {
		app = registry_app_at(i);
		for (j = 0; j < app->nprocs; j++)
			logs_upgrade_cloexec(app->procs[j], on);
	}
}

/* The state of every proc with the fds of its log pipes. */
static cJSON *
upgrade_state(struct conn *c, long id)
{
	cJSON		*root, *a, *o, *fds;
	struct app	*app;
	size_t		 i, j;

	root = state_to_json(true);
	cJSON_AddNumberToObject(root, "listen_fd", control_listen_fd());
	cJSON_AddNumberToObject(root, "reply_fd", control_conn_fd(c));
	cJSON_AddNumberToObject(root, "reply_id", (double)id);
	cJSON_AddNumberToObject(root, "generation", (double)upgrade_gen + 1);
	a = cJSON_GetObjectItemCaseSensitive(root, "apps")->child;
	for (i = 0; i < registry_napps() && a != NULL; i++, a = a->next) {
		app = registry_app_at(i);
		o = cJSON_GetObjectItemCaseSensitive(a, "procs")->child;
		for (j = 0; j < app->nprocs && o != NULL; j++, o = o->next)
			if ((fds = logs_upgrade_save(app->procs[j])) != NULL)
				cJSON_AddItemToObject(o, "log_fds", fds);
	}
	return root;
}

/* The "update" request: re-exec now; the new image replies. */
void
upgrade_request(struct conn *c, const cJSON *req, long id)
{
	cJSON	*root;
	char	*bin, *path, *text, *argv[4];
	int	 e;

	(void)req;
	if (daemon_shutting_down()) {
		control_reply(c, proto_reply_error(id, "daemon is shutting "
		    "down"));
		return;
	}
	if ((bin = upgrade_binary()) == NULL || access(bin, X_OK) == -1) {
		control_reply(c, proto_reply_error(id, "cannot run %s: %s",
		    bin != NULL ? bin : "/proc/self/exe", strerror(errno)));
		free(bin);
		return;
	}
	path = upgrade_path();
	root = upgrade_state(c, id);
	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (util_write_file_atomic(path, text, strlen(text), 0600) == -1) {
		e = errno;
		control_reply(c, proto_reply_error(id, "cannot write %s: %s",
		    path, strerror(e)));
		goto out;
	}
	/* The state as it is now, should the new image fail to start. */
	state_write();
	log_info("update: re-executing %s (generation %lu)", bin,
	    upgrade_gen + 1);
	upgrade_cloexec(control_listen_fd(), control_conn_fd(c), false);
	argv[0] = bin;
	argv[1] = (char *)"--upgrade";
	argv[2] = path;
	argv[3] = NULL;
	execv(bin, argv);
	e = errno;
	upgrade_cloexec(control_listen_fd(), control_conn_fd(c), true);
	unlink(path);
	log_warnx("update: cannot execute %s: %s", bin, strerror(e));
	control_reply(c, proto_reply_error(id, "cannot execute %s: %s", bin,
	    strerror(e)));
out:
	cJSON_free(text);
	free(path);
	free(bin);
}

/*
 * In the new image, before anything else: read the state file and return
 * the listening socket we inherited, or -1 and *cause.
 */
int
upgrade_begin(const char *path, char **cause)
{
	const cJSON	*v;
	int		 fd;

	if (state_load(path, &upgrade_st, cause) != 0) {
		if (*cause == NULL)
			*cause = xprintf("%s: no such file", path);
		return -1;
	}
	unlink(path);
	v = cJSON_GetObjectItemCaseSensitive(upgrade_st, "listen_fd");
	if (!cJSON_IsNumber(v) || (fd = (int)v->valuedouble) < 0 ||
	    fcntl(fd, F_GETFD) == -1) {
		*cause = xprintf("%s: no listening socket", path);
		cJSON_Delete(upgrade_st);
		upgrade_st = NULL;
		return -1;
	}
	util_set_cloexec(fd);
	upgrade_gen = (unsigned long)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(upgrade_st, "generation"));
	return fd;
}

/* state_restore, for each proc: the rest of what it was. */
void
upgrade_resume_proc(struct proc *p, const cJSON *o, int status, int after)
{
	const cJSON	*v;
	double		 restart_in, kill_in;

	p->status = status;
	p->after = after;
	p->pid = (pid_t)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(o, "pid"));
	if (p->pid < 0)
		p->pid = 0;
	p->started_wall = (uint64_t)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(o, "started_wall"));
	p->started_mono = (uint64_t)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(o, "started_mono"));
	p->stop_mono = (uint64_t)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(o, "stop_mono"));
	p->policy_uptime = (uint64_t)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(o, "policy_uptime"));
	restart_in = cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(o, "restart_in"));
	kill_in = cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(o, "kill_in"));
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "log_fds")) != NULL)
		logs_upgrade_restore(p, v);
	proc_resume(p, restart_in, kill_in, cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(o, "linger")));
}

/* Tell the client that asked: the new image runs. */
static void
upgrade_reply(void)
{
	cJSON	*reply;
	char	*line;
	size_t	 len;
	int	 fd;

	fd = (int)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(upgrade_st, "reply_fd"));
	if (fd < 0 || fcntl(fd, F_GETFD) == -1)
		return;
	reply = proto_reply_ok((long)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(upgrade_st, "reply_id")));
	cJSON_AddNumberToObject(reply, "pid", getpid());
	cJSON_AddStringToObject(reply, "version", PROCMAN_VERSION);
	cJSON_AddNumberToObject(reply, "generation", (double)upgrade_gen);
	line = proto_encode(reply, &len);
	cJSON_Delete(reply);
	/* A few bytes to a socket the client reads: this does not block
	   for long, and the client gives up after its own timeout. */
	(void)util_write_all(fd, line, len);
	free(line);
	close(fd);
}

/* Once the loop exists: the registry as it was, watched again. */
void
upgrade_resume(void)
{
	size_t	 n;

	if (upgrade_st == NULL)
		return;
	n = state_restore(upgrade_st, true, NULL, NULL);
	log_info("update: now running %s, %zu processes carried over",
	    PROCMAN_VERSION, n);
	/* A child that died while we exec'd is a zombie nobody told us of. */
	ev_feed_signal(SIGCHLD);
	upgrade_reply();
	cJSON_Delete(upgrade_st);
	upgrade_st = NULL;
	state_changed();
}
