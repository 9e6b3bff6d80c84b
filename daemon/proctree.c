/*
 * proctree: which processes on the host belong to which proc.
 *
 * procmand is a child subreaper, so everything an app forks stays below
 * us: a grandchild that calls setsid is still a descendant by its ppid
 * chain, and one orphaned by a double fork is reparented to us.  One pass
 * over /proc gives every process's parent; a process belongs to the proc
 * whose main pid is the top of its chain below us.  A top that is no
 * proc's main pid is an orphan: its environment (which we gave its
 * ancestor) says which proc it came from, in PROCMAN_ID.
 *
 * One scan serves every proc at once, so stopping a thousand apps costs
 * one pass, not a thousand.
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
#include <unistd.h>

#include "daemon.h"
#include "xmalloc.h"

#define PTREE_UNSEEN	-2	/* attribution not computed yet */
#define PTREE_FOREIGN	-3	/* not below us at all */

/* Skip n space-separated fields; NULL if the line ends first. */
static const char *
ptree_skip(const char *p, int n)
{
	while (n-- > 0) {
		while (*p == ' ')
			p++;
		while (*p != ' ' && *p != '\0')
			p++;
		if (*p == '\0')
			return NULL;
	}
	while (*p == ' ')
		p++;
	return p;
}

/*
 * Parse a /proc/<pid>/stat line into e: ppid, CPU ticks, start time and
 * RSS, all from the one file (fields 4, 14-15, 22 and 24), so the
 * sampler pays one read per process.  Returns -1 on a malformed line.
 */
static int
ptree_parse_stat(char *buf, char *state, struct ptree_entry *e)
{
	char		*end;
	const char	*p;
	uint64_t	 utime, stime;

	/* comm may hold spaces and ')': parse from the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return -1;
	p += 2;
	*state = *p;					/* field 3 */
	if ((p = ptree_skip(p, 1)) == NULL)
		return -1;
	e->ppid = (pid_t)strtol(p, &end, 10);		/* 4 */
	if ((p = ptree_skip(p, 10)) == NULL)
		return -1;
	utime = strtoull(p, &end, 10);			/* 14 */
	stime = strtoull(end, &end, 10);		/* 15 */
	e->ticks = utime + stime;
	if ((p = ptree_skip(end, 6)) == NULL)
		return -1;
	e->starttime = strtoull(p, &end, 10);		/* 22 */
	if ((p = ptree_skip(end, 1)) == NULL)
		return -1;
	e->rss_pages = strtoull(p, &end, 10);		/* 24 */
	return 0;
}

/* pread the whole stat file from an open fd; -1 once the process is gone. */
static int
ptree_pread_stat(int fd, char *state, struct ptree_entry *e)
{
	char	 buf[1024];
	ssize_t	 n;

	n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return ptree_parse_stat(buf, state, e);
}

/* Open /proc/<name>/stat; -1 when it just exited (normal). */
static int
ptree_open_stat(int dirfd, const char *name)
{
	char	 path[288];	/* a d_name is at most 255 bytes */

	snprintf(path, sizeof path, "%s/stat", name);
	return openat(dirfd, path, O_RDONLY | O_CLOEXEC);
}

/*
 * The stat files of our own processes stay open from one pass to the
 * next: a pread on an open file costs a third of open, read and close,
 * and the sampler reads every one of them every tick.  An open stat file
 * belongs to one process, so a recycled pid can never be mistaken for
 * it: once the process is gone, pread fails.  Sorted by pid.
 */
struct ptree_fd {
	pid_t	 pid;
	int	 fd;
};
static struct ptree_fd	*ptree_fds;
static size_t		 ptree_nfds;

static int
ptree_fd_cmp(const void *a, const void *b)
{
	const struct ptree_fd *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static struct ptree_fd *
ptree_fd_find(pid_t pid)
{
	struct ptree_fd	 key = { pid, -1 };

	if (ptree_nfds == 0)
		return NULL;
	return bsearch(&key, ptree_fds, ptree_nfds, sizeof *ptree_fds,
	    ptree_fd_cmp);
}

/* Read one process of the pass, through its kept fd when we have one. */
static int
ptree_read_one(int dirfd, const char *name, pid_t pid, char *state,
    struct ptree_entry *e)
{
	struct ptree_fd	*kept;
	int		 fd, r;

	if ((kept = ptree_fd_find(pid)) != NULL && kept->fd != -1) {
		if (ptree_pread_stat(kept->fd, state, e) == 0)
			return 0;
		close(kept->fd);	/* gone; the pid may be someone new */
		kept->fd = -1;
	}
	if ((fd = ptree_open_stat(dirfd, name)) == -1)
		return -1;
	r = ptree_pread_stat(fd, state, e);
	close(fd);
	return r;
}

/* After a pass: keep fds for exactly the processes that are ours. */
static void
ptree_keep_fds(const struct ptree *t, int dirfd)
{
	struct ptree_fd	*next, *old;
	char		 name[32];
	size_t		 i, n = 0;

	next = xreallocarray(NULL, t->n + 1, sizeof *next);
	for (i = 0; i < t->n; i++) {
		next[n].pid = t->v[i].pid;
		if ((old = ptree_fd_find(t->v[i].pid)) != NULL &&
		    old->fd != -1) {
			next[n].fd = old->fd;
			old->fd = -1;	/* moved */
		} else {
			snprintf(name, sizeof name, "%ld",
			    (long)t->v[i].pid);
			next[n].fd = ptree_open_stat(dirfd, name);
		}
		n++;
	}
	for (i = 0; i < ptree_nfds; i++)
		if (ptree_fds[i].fd != -1)
			close(ptree_fds[i].fd);
	free(ptree_fds);
	ptree_fds = next;
	ptree_nfds = n;	/* t is sorted by pid, so next is too */
}

/* The PROCMAN_ID an orphan inherited, or -1. */
static int
ptree_read_marker(pid_t pid)
{
	static const char	 key[] = "PROCMAN_ID=";
	char			 path[64], *buf, *p, *end;
	int			 fd, id = -1;
	ssize_t			 n;
	size_t			 len = 0, cap = 65536;

	snprintf(path, sizeof path, "/proc/%ld/environ", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	buf = xmalloc(cap + 1);
	while ((n = read(fd, buf + len, cap - len)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			buf = xreallocarray(buf, 1, cap + 1);
		}
	}
	close(fd);
	buf[len] = '\0';
	for (p = buf; p < buf + len; p += strlen(p) + 1) {
		if (strncmp(p, key, sizeof key - 1) == 0) {
			id = (int)strtol(p + sizeof key - 1, &end, 10);
			if (*end != '\0' || id < 0)
				id = -1;
			break;
		}
	}
	free(buf);
	return id;
}

static int
ptree_cmp(const void *a, const void *b)
{
	const struct ptree_entry *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static struct ptree_entry *
ptree_lookup(const struct ptree *t, pid_t pid)
{
	struct ptree_entry	 key = { .pid = pid };

	return bsearch(&key, t->v, t->n, sizeof *t->v, ptree_cmp);
}

/* Main pids of running procs, sorted, to attribute tops of trees. */
struct ptree_mains {
	struct ptree_entry	*v;	/* pid and proc_id used */
	size_t			 n;
};

static void
ptree_mains_build(struct ptree_mains *m)
{
	struct app	*app;
	size_t		 i, j;

	m->v = xreallocarray(NULL, registry_nprocs() + 1, sizeof *m->v);
	m->n = 0;
	for (i = 0; i < registry_napps(); i++) {
		app = registry_app_at(i);
		for (j = 0; j < app->nprocs; j++) {
			if (app->procs[j]->pid == 0)
				continue;
			m->v[m->n].pid = app->procs[j]->pid;
			m->v[m->n].proc_id = app->procs[j]->id;
			m->n++;
		}
	}
	qsort(m->v, m->n, sizeof *m->v, ptree_cmp);
}

/* Find whose tree e is in, walking up; memoised in proc_id. */
static int
ptree_attribute(struct ptree *t, const struct ptree_mains *m,
    struct ptree_entry *e, pid_t self, int depth)
{
	struct ptree_entry	*parent, *main, key;

	if (e->proc_id != PTREE_UNSEEN)
		return e->proc_id;
	if (depth > 256) {
		e->proc_id = PTREE_FOREIGN;
	} else if (e->ppid == self) {
		key.pid = e->pid;
		main = bsearch(&key, m->v, m->n, sizeof *m->v, ptree_cmp);
		if (main != NULL)
			e->proc_id = main->proc_id;
		else
			e->proc_id = ptree_read_marker(e->pid);
	} else if ((parent = ptree_lookup(t, e->ppid)) == NULL)
		e->proc_id = PTREE_FOREIGN;
	else
		e->proc_id = ptree_attribute(t, m, parent, self, depth + 1);
	return e->proc_id;
}

/* Scan /proc once; t holds only our descendants afterwards. */
void
ptree_scan(struct ptree *t)
{
	DIR		*dir;
	struct dirent	*de;
	struct ptree_entry *e;
	struct ptree_mains mains;
	size_t		 cap = 256, i, kept;
	pid_t		 self = getpid();
	char		 state;

	t->v = xreallocarray(NULL, cap, sizeof *t->v);
	t->n = 0;
	if ((dir = opendir("/proc")) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (t->n == cap) {
			cap *= 2;
			t->v = xreallocarray(t->v, cap, sizeof *t->v);
		}
		e = &t->v[t->n];
		e->pid = (pid_t)strtol(de->d_name, NULL, 10);
		if (ptree_read_one(dirfd(dir), de->d_name, e->pid, &state,
		    e) == -1 || e->ppid <= 0 || state == 'Z')
			continue;
		e->proc_id = PTREE_UNSEEN;
		t->n++;
	}
	qsort(t->v, t->n, sizeof *t->v, ptree_cmp);
	ptree_mains_build(&mains);
	for (i = 0; i < t->n; i++)
		ptree_attribute(t, &mains, &t->v[i], self, 0);
	free(mains.v);
	for (i = kept = 0; i < t->n; i++)
		if (t->v[i].proc_id != PTREE_FOREIGN)
			t->v[kept++] = t->v[i];
	t->n = kept;
	ptree_keep_fds(t, dirfd(dir));
	closedir(dir);
}

void
ptree_free(struct ptree *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

/*
 * Does procmand have a child that is no proc's main pid?  That is the only
 * way a dead main pid can have left something behind (its children were
 * reparented to us), and /proc/self/task/<tid>/children answers it with
 * one read instead of a scan of the host: it keeps a crashed app's
 * respawn fast.  Without that file (an old kernel) assume there may be.
 */
bool
ptree_has_orphans(void)
{
	static char		 buf[65536];
	char			 path[64], *p, *end;
	struct ptree_mains	 mains;
	struct ptree_entry	 key;
	int			 fd;
	ssize_t			 n;
	bool			 found = false;

	snprintf(path, sizeof path, "/proc/self/task/%ld/children",
	    (long)getpid());
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return true;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0 || n == (ssize_t)sizeof buf - 1)
		return true;
	buf[n] = '\0';
	ptree_mains_build(&mains);
	for (p = buf; !found; p = end) {
		key.pid = (pid_t)strtol(p, &end, 10);
		if (end == p)
			break;
		found = bsearch(&key, mains.v, mains.n, sizeof *mains.v,
		    ptree_cmp) == NULL;
	}
	free(mains.v);
	return found;
}

/*
 * The scan of this loop iteration, shared.  Stopping a thousand procs at
 * once (stop all, shutdown) or reaping a thousand exits in one iteration
 * then costs one pass over /proc, not a thousand.  A scan is never
 * older than the events being handled: the next iteration makes a new
 * one.  Borrowed; do not free.
 */
const struct ptree *
ptree_current(void)
{
	static struct ptree	 cached;
	static unsigned int	 iteration;
	static bool		 valid;

	if (valid && iteration == ev_iteration(loop))
		return &cached;
	ptree_free(&cached);
	ptree_scan(&cached);
	iteration = ev_iteration(loop);
	valid = true;
	return &cached;
}

/* Signal every process of the proc's tree; returns how many. */
int
ptree_signal_proc(const struct ptree *t, int proc_id, int sig)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < t->n; i++)
		if (t->v[i].proc_id == proc_id && kill(t->v[i].pid, sig) == 0)
			n++;
	return n;
}

/* Signal every descendant of ours, attributed or not. */
int
ptree_signal_all(const struct ptree *t, int sig)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < t->n; i++)
		if (kill(t->v[i].pid, sig) == 0)
			n++;
	return n;
}

size_t
ptree_count_proc(const struct ptree *t, int proc_id)
{
	size_t	 i, n = 0;

	for (i = 0; i < t->n; i++)
		if (t->v[i].proc_id == proc_id)
			n++;
	return n;
}
