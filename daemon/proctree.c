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

/* Read "pid (comm) S ppid ..." and return ppid, or -1. */
static pid_t
ptree_read_ppid(int dirfd, const char *name, char *state)
{
	char	 path[64], buf[512], *p;
	int	 fd;
	ssize_t	 n;
	long	 ppid;

	snprintf(path, sizeof path, "%s/stat", name);
	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;	/* it just exited: normal */
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* comm may hold spaces and ')': parse from the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	if (sscanf(p + 1, " %c %ld", state, &ppid) != 2)
		return -1;
	return (pid_t)ppid;
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

/* Find whose tree e is in, walking up; memoised in proc_id. */
static int
ptree_attribute(struct ptree *t, struct ptree_entry *e, pid_t self,
    int depth)
{
	struct ptree_entry	*parent;
	struct proc		*p;

	if (e->proc_id != PTREE_UNSEEN)
		return e->proc_id;
	if (depth > 256) {
		e->proc_id = PTREE_FOREIGN;
	} else if (e->ppid == self) {
		if ((p = registry_find_pid(e->pid)) != NULL)
			e->proc_id = p->id;
		else
			e->proc_id = ptree_read_marker(e->pid);
	} else if ((parent = ptree_lookup(t, e->ppid)) == NULL)
		e->proc_id = PTREE_FOREIGN;
	else
		e->proc_id = ptree_attribute(t, parent, self, depth + 1);
	return e->proc_id;
}

/* Scan /proc once; t holds only our descendants afterwards. */
void
ptree_scan(struct ptree *t)
{
	DIR		*dir;
	struct dirent	*de;
	size_t		 cap = 256, i, kept;
	pid_t		 self = getpid(), ppid;
	char		 state;

	t->v = xreallocarray(NULL, cap, sizeof *t->v);
	t->n = 0;
	if ((dir = opendir("/proc")) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		ppid = ptree_read_ppid(dirfd(dir), de->d_name, &state);
		if (ppid <= 0 || state == 'Z')
			continue;
		if (t->n == cap) {
			cap *= 2;
			t->v = xreallocarray(t->v, cap, sizeof *t->v);
		}
		t->v[t->n].pid = (pid_t)strtol(de->d_name, NULL, 10);
		t->v[t->n].ppid = ppid;
		t->v[t->n].proc_id = PTREE_UNSEEN;
		t->n++;
	}
	closedir(dir);
	qsort(t->v, t->n, sizeof *t->v, ptree_cmp);
	for (i = 0; i < t->n; i++)
		ptree_attribute(t, &t->v[i], self, 0);
	for (i = kept = 0; i < t->n; i++)
		if (t->v[i].proc_id != PTREE_FOREIGN)
			t->v[kept++] = t->v[i];
	t->n = kept;
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
	char	 path[64], buf[8192], *p, *end;
	int	 fd;
	ssize_t	 n;
	long	 pid;
	bool	 found = false;

	snprintf(path, sizeof path, "/proc/self/task/%ld/children",
	    (long)getpid());
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return true;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0 || n == (ssize_t)sizeof buf - 1)
		return true;
	buf[n] = '\0';
	for (p = buf; !found; p = end) {
		pid = strtol(p, &end, 10);
		if (end == p)
			break;
		found = registry_find_pid((pid_t)pid) == NULL;
	}
	return found;
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
