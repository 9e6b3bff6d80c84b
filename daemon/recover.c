/*
 * recover: put things right when procmand starts after a crash of the
 * previous one (even SIGKILL), so that every app runs exactly once.
 *
 * The apps of a dead procmand keep running, reparented to init: they are
 * no longer our children, and the pipes their output went to died with
 * the old daemon.  Re-adopting them would leave apps we cannot reap and
 * whose output has nowhere to go, so recovery stops them and starts them
 * again, with their ids, instance numbers and restart counts:
 *
 *  1. state.json gives each proc's pid and that pid's start time; only a
 *     pid alive with the same start time is ours (a pid recycled by
 *     another program is never signalled), and then its whole process
 *     group is.
 *  2. Every process whose environment holds PROCMAN_HOME=<this home>
 *     and a PROCMAN_ID is a descendant of one of our apps (the daemon
 *     sets both for every child): that finds grandchildren that left the
 *     group, and children started after the last write of state.json.
 *  3. Each gets its app's stop_signal, then SIGKILL after its
 *     kill_timeout; the wait is bounded by RECOVER_MAX_WAIT_MS, and it
 *     runs before the daemon serves anyone, so nothing can race it.
 *     A zombie counts as gone: it is init's to reap, and it runs nothing.
 *  4. The procs that were running start again; stopped stay stopped,
 *     errored stay errored.
 *
 * A state file we cannot read is logged and set aside as
 * state.json.corrupt; the daemon then starts empty, but step 2 still
 * ends every orphan, so nothing runs unsupervised.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "daemon.h"
#include "log.h"
#include "paths.h"
#include "util.h"
#include "xmalloc.h"

#define RECOVER_MAX_WAIT_MS	5000	/* longest stop_signal grace */
#define RECOVER_KILL_WAIT_MS	2000	/* after SIGKILL */
#define RECOVER_POLL_MS		20
#define RECOVER_COUNT		-1	/* recover_pass: signal nothing */
#define RECOVER_STOP		0	/* recover_pass: the stop signal */

/* A group leader from state.json, checked alive by its start time. */
struct leader {
	pid_t			 pid;
	unsigned long long	 start;
	int			 sig;
};

/* What we know of the dead daemon's procs: id -> stop signal. */
struct recover {
	struct leader	*leaders;
	size_t		 nleaders;
	int		*ids;
	int		*sigs;
	uint64_t	*timeouts;
	size_t		 nids;
	pid_t		*skip;		/* ourselves and our ancestors */
	size_t		 nskip;
	char		*home_marker;	/* "PROCMAN_HOME=<home>" */
};

static void
recover_sleep_ms(int ms)
{
	struct timespec	 ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * Ourselves and every ancestor: when a procman run from inside an app
 * started us, those carry the app's markers too, and are not orphans.
 */
static void
recover_skip_ancestors(struct recover *r)
{
	char	 path[64], buf[512], *p;
	pid_t	 pid = getpid();
	long	 ppid;
	int	 fd;
	ssize_t	 n;

	while (pid > 1 && r->nskip < 256) {
		r->skip = xreallocarray(r->skip, r->nskip + 1,
		    sizeof *r->skip);
		r->skip[r->nskip++] = pid;
		snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			break;
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			break;
		buf[n] = '\0';
		if ((p = strrchr(buf, ')')) == NULL ||
		    sscanf(p + 1, " %*c %ld", &ppid) != 1)
			break;
		pid = (pid_t)ppid;
	}
}

static bool
recover_skipped(const struct recover *r, pid_t pid)
{
	size_t	 i;

	for (i = 0; i < r->nskip; i++)
		if (r->skip[i] == pid)
			return true;
	return false;
}

/* The stop signal for a proc id of the dead daemon (SIGTERM if unknown). */
static int
recover_sig(const struct recover *r, int id, uint64_t *timeout)
{
	size_t	 i;

	for (i = 0; i < r->nids; i++)
		if (r->ids[i] == id) {
			if (timeout != NULL)
				*timeout = r->timeouts[i];
			return r->sigs[i];
		}
	if (timeout != NULL)
		*timeout = 1600;
	return SIGTERM;
}

/*
 * The PROCMAN_ID of pid when its environment also holds our home, or -1.
 * An unreadable environment (another user's process, one that just
 * exited) is not ours.
 */
static int
recover_marker(const struct recover *r, pid_t pid)
{
	static const char	 key[] = "PROCMAN_ID=";
	char			 path[64], *buf, *p, *end;
	size_t			 len = 0, cap = 65536;
	ssize_t			 n;
	long			 v;
	int			 fd, id = -1;
	bool			 home = false;

	snprintf(path, sizeof path, "/proc/%ld/environ", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	buf = xmalloc(cap + 1);
	while ((n = read(fd, buf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap) {
			cap *= 2;
			buf = xreallocarray(buf, 1, cap + 1);
		}
	}
	close(fd);
	buf[len] = '\0';
	for (p = buf; p < buf + len; p += strlen(p) + 1) {
		if (strcmp(p, r->home_marker) == 0)
			home = true;
		else if (strncmp(p, key, sizeof key - 1) == 0) {
			v = strtol(p + sizeof key - 1, &end, 10);
			if (*end == '\0' && v >= 0 && v <= 0x7fffffff)
				id = (int)v;
		}
	}
	free(buf);
	return home ? id : -1;
}

/* Is pid in the process group of a live leader of ours? */
static const struct leader *
recover_group(const struct recover *r, pid_t pgrp)
{
	size_t	 i;

	for (i = 0; i < r->nleaders; i++)
		if (r->leaders[i].pid == pgrp && r->leaders[i].start != 0)
			return &r->leaders[i];
	return NULL;
}

/*
 * One pass over /proc: signal every live process that is ours with sig
 * (RECOVER_STOP: its app's stop signal; RECOVER_COUNT: none), and
 * return how many there were.
 * *grace is raised to the longest kill_timeout among them.
 */
static size_t
recover_pass(struct recover *r, int sig, uint64_t *grace)
{
	const struct leader	*l;
	DIR			*dir;
	struct dirent		*de;
	char			 path[64], buf[1024], *p, st;
	long			 pgrp;
	pid_t			 pid;
	uint64_t		 timeout;
	size_t			 n = 0, i;
	ssize_t			 len;
	int			 fd, id, s;

	/* Leaders first: their groups may hold processes without markers. */
	for (i = 0; i < r->nleaders; i++) {
		l = &r->leaders[i];
		if (sig == RECOVER_COUNT || l->start == 0 ||
		    state_pid_start(l->pid, NULL) != l->start)
			continue;
		kill(-l->pid, sig != RECOVER_STOP ? sig : l->sig);
	}
	if ((dir = opendir("/proc")) == NULL)
		return 0;
	while ((de = readdir(dir)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = (pid_t)strtol(de->d_name, NULL, 10);
		if (recover_skipped(r, pid))
			continue;
		snprintf(path, sizeof path, "%ld/stat", (long)pid);
		if ((fd = openat(dirfd(dir), path, O_RDONLY | O_CLOEXEC)) ==
		    -1)
			continue;
		len = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		if ((p = strrchr(buf, ')')) == NULL ||
		    sscanf(p + 1, " %c %*d %ld", &st, &pgrp) != 2 ||
		    st == 'Z' || st == 'X' || st == 'x')
			continue;
		l = recover_group(r, (pid_t)pgrp);
		id = recover_marker(r, pid);
		if (l == NULL && id == -1)
			continue;
		s = id != -1 ? recover_sig(r, id, &timeout) : l->sig;
		if (id == -1)
			timeout = 1600;
		if (timeout > *grace)
			*grace = timeout;
		if (sig != RECOVER_COUNT)
			kill(pid, sig != RECOVER_STOP ? sig : s);
		n++;
	}
	closedir(dir);
	return n;
}

/* What the state says about the dead daemon's procs. */
static void
recover_learn(struct recover *r, const cJSON *root)
{
	const cJSON		*a, *o, *v;
	struct app_config	*cfg;
	struct leader		*l;
	char			*cause;
	int			 sig;
	uint64_t		 timeout;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(root, "apps")) {
		cfg = eco_config_from_json(cJSON_GetObjectItemCaseSensitive(a,
		    "config"), &cause);
		sig = SIGTERM;
		timeout = 1600;
		if (cfg != NULL) {
			sig = cfg->stop_signal;
			timeout = cfg->kill_timeout_ms;
			eco_config_free(cfg);
		} else
			free(cause);
		cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(a,
		    "procs")) {
			if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(
			    o, "id"))) {
				r->ids = xreallocarray(r->ids, r->nids + 1,
				    sizeof *r->ids);
				r->sigs = xreallocarray(r->sigs, r->nids + 1,
				    sizeof *r->sigs);
				r->timeouts = xreallocarray(r->timeouts,
				    r->nids + 1, sizeof *r->timeouts);
				r->ids[r->nids] = (int)v->valuedouble;
				r->sigs[r->nids] = sig;
				r->timeouts[r->nids++] = timeout;
			}
			v = cJSON_GetObjectItemCaseSensitive(o, "pid");
			if (!cJSON_IsNumber(v) || v->valuedouble <= 1 ||
			    v->valuedouble > 0x7fffffff)
				continue;
			r->leaders = xreallocarray(r->leaders, r->nleaders + 1,
			    sizeof *r->leaders);
			l = &r->leaders[r->nleaders++];
			l->pid = (pid_t)v->valuedouble;
			l->sig = sig;
			l->start = (unsigned long long)cJSON_GetNumberValue(
			    cJSON_GetObjectItemCaseSensitive(o, "start_time"));
			/* A recycled pid, or gone: never signal it. */
			if (l->start == 0 ||
			    state_pid_start(l->pid, NULL) != l->start)
				l->start = 0;
		}
	}
}

/*
 * End every leftover of a dead daemon: stop signals, a bounded wait,
 * SIGKILL, a bounded wait.  Blocks (at most about 7 s): it runs before
 * we serve anything.
 */
static void
recover_kill(struct recover *r)
{
	uint64_t	 grace = 0, start, waited;
	size_t		 n, first;
	bool		 killed = false;

	start = util_mono_ms();
	if ((first = recover_pass(r, RECOVER_STOP, &grace)) == 0)
		return;
	if (grace > RECOVER_MAX_WAIT_MS)
		grace = RECOVER_MAX_WAIT_MS;
	log_info("recovery: stopping %zu processes left by the previous "
	    "procmand", first);
	for (;;) {
		recover_sleep_ms(RECOVER_POLL_MS);
		waited = util_mono_ms() - start;
		if (!killed && waited >= grace) {
			n = recover_pass(r, SIGKILL, &grace);
			if (n > 0)
				log_warnx("recovery: %zu still running after "
				    "%llums; sent SIGKILL", n,
				    (unsigned long long)waited);
			killed = true;
			start = util_mono_ms();
			grace = 0;
			continue;
		}
		n = recover_pass(r, killed ? SIGKILL : RECOVER_COUNT,
		    &grace);
		if (n == 0)
			break;
		if (killed && waited >= RECOVER_KILL_WAIT_MS) {
			log_warnx("recovery: %zu processes survive SIGKILL", n);
			break;
		}
	}
}

/*
 * At startup, before the socket is served: end what a crashed procmand
 * left and start its apps again.  Without a state file this only looks
 * for orphans carrying our home's markers (normally none).
 */
void
recover_run(void)
{
	struct recover	 r;
	struct proc	**start;
	cJSON		*root = NULL;
	char		*cause, *bad;
	size_t		 nstart, i, n;
	int		 loaded;

	memset(&r, 0, sizeof r);
	r.home_marker = xprintf("PROCMAN_HOME=%s", paths_home());
	recover_skip_ancestors(&r);
	loaded = state_load(state_path(), &root, &cause);
	if (loaded == -1) {
		bad = xprintf("%s.corrupt", state_path());
		log_warnx("%s: %s; starting with no apps (the file is kept "
		    "as %s)", state_path(), cause, bad);
		if (rename(state_path(), bad) == -1)
			log_warn("cannot rename it");
		free(bad);
		free(cause);
	}
	if (root != NULL)
		recover_learn(&r, root);
	recover_kill(&r);

	if (root != NULL) {
		n = state_restore(root, false, &start, &nstart);
		if (n > 0)
			log_info("recovery: %zu processes restored from %s, "
			    "%zu to start", n, state_path(), nstart);
		for (i = 0; i < nstart; i++) {
			free(start[i]->last_reason);
			start[i]->last_reason = xstrdup("started again after "
			    "procmand crashed");
			start[i]->last_reason_at = util_wall_ms();
			if (proc_start(start[i], &cause) == -1)
				free(cause);
		}
		free(start);
	}
	state_changed();
	cJSON_Delete(root);
	free(r.leaders);
	free(r.ids);
	free(r.sigs);
	free(r.timeouts);
	free(r.skip);
	free(r.home_marker);
}
