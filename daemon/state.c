/*
 * state: what procmand knows, kept in $PROCMAN_HOME/state.json so that
 * the next procmand can put things right after a crash (recover.c), and
 * carried across the exec of `procman update` (upgrade.c).
 *
 * The file holds every app (its config in the wire form of
 * eco_config_to_json) and every proc: id, instance, status, counters,
 * and for a running one its pid with the pid's start time (field 22 of
 * /proc/<pid>/stat), so that a pid recycled by another program is never
 * taken for ours.
 *
 * Writes are debounced: a change only marks the state dirty, and an
 * ev_prepare writes it at most once per loop iteration and at most every
 * STATE_MIN_INTERVAL_MS, so a crash loop or a thousand apps starting at
 * once cost a few writes a second, not one per event.  Each write is a
 * temporary file, fsync, rename: a crash leaves the old or the new file,
 * never half of one.  What a crash can lose is the last interval; the
 * PROCMAN_ID marker every child carries lets recover.c find processes
 * started in that window anyway.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "daemon.h"
#include "log.h"
#include "paths.h"
#include "util.h"
#include "xmalloc.h"

#define STATE_VERSION		1
#define STATE_MIN_INTERVAL_MS	100
#define STATE_MAX_SIZE		(64 * 1024 * 1024)

static struct {
	bool		 dirty;
	bool		 failing;	/* the last write failed (logged) */
	uint64_t	 last_write;	/* monotonic ms */
	char		*path;
	ev_prepare	 prepare_w;
	ev_timer	 timer_w;
} state;

static const char *state_after_names[] = {
	[AFTER_STOP] = "stop",
	[AFTER_RESTART] = "restart",
	[AFTER_DELETE] = "delete",
	[AFTER_POLICY] = "policy",
};

const char *
state_path(void)
{
	if (state.path == NULL)
		state.path = xprintf("%s/state.json", paths_home());
	return state.path;
}

/*
 * The start time of pid in clock ticks after boot (field 22 of
 * /proc/<pid>/stat), and its state letter in *st when st is not NULL.
 * Returns 0 when there is no such process.  A zombie still has both.
 */
unsigned long long
state_pid_start(pid_t pid, char *st)
{
	char			 path[64], buf[1024], *p, *tok, *save;
	unsigned long long	 start = 0;
	ssize_t			 n;
	int			 fd, field;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* comm may hold spaces and ')': count fields from the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	field = 3;
	for (tok = strtok_r(p + 1, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save), field++) {
		if (field == 3 && st != NULL)
			*st = tok[0];
		if (field == 22) {
			start = strtoull(tok, NULL, 10);
			break;
		}
	}
	return start;
}

static cJSON *
state_proc_json(const struct proc *p, bool upgrade)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", p->id);
	cJSON_AddNumberToObject(o, "instance", p->instance);
	cJSON_AddStringToObject(o, "status", proc_status_name(p->status));
	cJSON_AddStringToObject(o, "after", state_after_names[p->after]);
	cJSON_AddNumberToObject(o, "pid", p->pid);
	cJSON_AddNumberToObject(o, "start_time",
	    (double)state_pid_start(p->pid, NULL));
	cJSON_AddNumberToObject(o, "restarts", p->restarts);
	cJSON_AddNumberToObject(o, "unstable_restarts", p->unstable_restarts);
	cJSON_AddNumberToObject(o, "backoff_step", p->backoff_step);
	cJSON_AddNumberToObject(o, "created_at", (double)p->created_at);
	cJSON_AddNumberToObject(o, "started_wall", (double)p->started_wall);
	cJSON_AddNumberToObject(o, "exit_code", p->exit_code);
	cJSON_AddNumberToObject(o, "exit_signal", p->exit_signal);
	if (p->last_reason != NULL) {
		cJSON_AddStringToObject(o, "last_reason", p->last_reason);
		cJSON_AddNumberToObject(o, "last_reason_at",
		    (double)p->last_reason_at);
	}
	if (p->spawn_error != NULL)
		cJSON_AddStringToObject(o, "spawn_error", p->spawn_error);
	if (!upgrade)
		return o;
	/* Only meaningful within this boot and this process's life. */
	cJSON_AddNumberToObject(o, "started_mono", (double)p->started_mono);
	cJSON_AddNumberToObject(o, "stop_mono", (double)p->stop_mono);
	cJSON_AddNumberToObject(o, "policy_uptime", (double)p->policy_uptime);
	cJSON_AddNumberToObject(o, "restart_in", ev_is_active(&p->restart_w) ?
	    ev_timer_remaining(loop, (ev_timer *)&p->restart_w) : -1.);
	cJSON_AddNumberToObject(o, "kill_in", ev_is_active(&p->kill_w) ?
	    ev_timer_remaining(loop, (ev_timer *)&p->kill_w) : -1.);
	cJSON_AddBoolToObject(o, "linger", ev_is_active(&p->linger_w));
	return o;
}

/* The whole state; a new tree the caller deletes. */
cJSON *
state_to_json(bool upgrade)
{
	cJSON		*root, *apps, *a, *procs;
	struct app	*app;
	size_t		 i, j;

	root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "version", STATE_VERSION);
	cJSON_AddNumberToObject(root, "pid", getpid());
	cJSON_AddNumberToObject(root, "pid_start",
	    (double)state_pid_start(getpid(), NULL));
	cJSON_AddNumberToObject(root, "written_at", (double)util_wall_ms());
	cJSON_AddBoolToObject(root, "shutting_down", daemon_shutting_down());
	cJSON_AddNumberToObject(root, "next_id", registry_next_id());
	apps = cJSON_AddArrayToObject(root, "apps");
	for (i = 0; i < registry_napps(); i++) {
		app = registry_app_at(i);
		a = cJSON_CreateObject();
		cJSON_AddItemToObject(a, "config",
		    eco_config_to_json(app->config));
		cJSON_AddNumberToObject(a, "created_at",
		    (double)app->created_at);
		procs = cJSON_AddArrayToObject(a, "procs");
		for (j = 0; j < app->nprocs; j++)
			cJSON_AddItemToArray(procs,
			    state_proc_json(app->procs[j], upgrade));
		cJSON_AddItemToArray(apps, a);
	}
	return root;
}

/* Write the state now.  Returns 0 or -1 (logged once per failure run). */
int
state_write(void)
{
	cJSON	*root;
	char	*text;
	size_t	 len;
	int	 r;

	state.dirty = false;
	state.last_write = util_mono_ms();
	root = state_to_json(false);
	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	len = strlen(text);
	text[len] = '\n';	/* over the NUL: we know the length */
	r = util_write_file_atomic(state_path(), text, len + 1, 0600);
	cJSON_free(text);
	if (r == -1 && !state.failing)
		log_warn("cannot write %s", state_path());
	else if (r == 0 && state.failing)
		log_info("%s written again", state_path());
	state.failing = r == -1;
	return r;
}

void
state_changed(void)
{
	state.dirty = true;
}

/* Write now if anything changed (at exit: no debounce). */
void
state_flush(void)
{
	if (state.dirty)
		state_write();
}

static void
state_on_timer(struct ev_loop *l, ev_timer *w, int revents)
{
	(void)l;
	(void)w;
	(void)revents;
	state_flush();
}

/* Before the loop sleeps: write, unless we wrote very recently. */
static void
state_on_prepare(struct ev_loop *l, ev_prepare *w, int revents)
{
	uint64_t	 since;

	(void)w;
	(void)revents;
	if (!state.dirty || ev_is_active(&state.timer_w))
		return;
	since = util_mono_ms() - state.last_write;
	if (since >= STATE_MIN_INTERVAL_MS) {
		state_write();
		return;
	}
	ev_timer_set(&state.timer_w,
	    (STATE_MIN_INTERVAL_MS - since) / 1000.0, 0.);
	ev_timer_start(l, &state.timer_w);
}

void
state_init(void)
{
	ev_prepare_init(&state.prepare_w, state_on_prepare);
	ev_prepare_start(loop, &state.prepare_w);
	ev_timer_init(&state.timer_w, state_on_timer, 0., 0.);
}

/*
 * Read a state file.  Returns 0 and a new tree (caller deletes), 1 when
 * there is no file, or -1 and *cause (allocated) when it cannot be read
 * or is not a state we understand: truncated, corrupt, another version.
 */
int
state_load(const char *path, cJSON **out, char **cause)
{
	struct stat	 sb;
	const cJSON	*v, *apps;
	cJSON		*root;
	char		*buf;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd;

	*out = NULL;
	*cause = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 1;
		*cause = xprintf("cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1 || sb.st_size > STATE_MAX_SIZE) {
		*cause = xprintf("larger than %d bytes", STATE_MAX_SIZE);
		close(fd);
		return -1;
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	while (len < (size_t)sb.st_size &&
	    ((n = read(fd, buf + len, (size_t)sb.st_size - len)) > 0 ||
	    (n == -1 && errno == EINTR)))
		if (n > 0)
			len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	root = cJSON_ParseWithLength(buf, len);
	free(buf);
	if (root == NULL) {
		*cause = xprintf("not valid JSON (truncated or corrupt, %zu "
		    "bytes)", len);
		return -1;
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "version");
	apps = cJSON_GetObjectItemCaseSensitive(root, "apps");
	if (!cJSON_IsNumber(v) || v->valuedouble != STATE_VERSION ||
	    !cJSON_IsArray(apps)) {
		*cause = xprintf("not a version %d state", STATE_VERSION);
		cJSON_Delete(root);
		return -1;
	}
	*out = root;
	return 0;
}

static double
state_num(const cJSON *o, const char *key, double dflt)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static const char *
state_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
state_status_parse(const char *s)
{
	int	 i;

	for (i = PROC_LAUNCHING; s != NULL && i <= PROC_ERRORED; i++)
		if (strcmp(proc_status_name(i), s) == 0)
			return i;
	return -1;
}

static int
state_after_parse(const char *s)
{
	int	 i;

	for (i = AFTER_STOP; s != NULL && i <= AFTER_POLICY; i++)
		if (strcmp(state_after_names[i], s) == 0)
			return i;
	return -1;
}

/* The counters and reasons of a saved proc, onto a new one. */
static void
state_proc_fill(struct proc *p, const cJSON *o)
{
	const char	*s;

	p->restarts = (int)state_num(o, "restarts", 0);
	p->unstable_restarts = (int)state_num(o, "unstable_restarts", 0);
	p->backoff_step = (int)state_num(o, "backoff_step", 0);
	p->created_at = (uint64_t)state_num(o, "created_at",
	    (double)p->created_at);
	p->exit_code = (int)state_num(o, "exit_code", -1);
	p->exit_signal = (int)state_num(o, "exit_signal", 0);
	if ((s = state_str(o, "last_reason")) != NULL) {
		free(p->last_reason);
		p->last_reason = xstrdup(s);
		p->last_reason_at = (uint64_t)state_num(o, "last_reason_at",
		    0);
	}
	if ((s = state_str(o, "spawn_error")) != NULL) {
		free(p->spawn_error);
		p->spawn_error = xstrdup(s);
	}
}

/*
 * One saved proc into app.  Returns the new proc, or NULL when it is not
 * to be kept (it was being deleted, or the entry makes no sense).
 */
static struct proc *
state_restore_proc(struct app *app, const cJSON *o, int *status,
    int *after)
{
	struct proc	*p;
	double		 id, inst;
	size_t		 i;

	id = state_num(o, "id", -1);
	inst = state_num(o, "instance", -1);
	*status = state_status_parse(state_str(o, "status"));
	*after = state_after_parse(state_str(o, "after"));
	if (id < 0 || id > 0x7fffffff || id != (int)id || inst < 0 ||
	    inst > 0x7fffffff || *status == -1 || *after == -1)
		return NULL;
	if (*status == PROC_STOPPING && *after == AFTER_DELETE)
		return NULL;
	for (i = 0; i < app->nprocs; i++)
		if (app->procs[i]->instance == (int)inst)
			return NULL;
	p = registry_proc_new(app, (int)inst);
	/* Keep the id users and scripts know, unless another proc has it. */
	if (registry_find_proc((int)id) == NULL) {
		p->id = (int)id;
		registry_reserve_id((int)id);
	}
	state_proc_fill(p, o);
	return p;
}

/*
 * Rebuild the registry from a saved state.  With keep (an update), each
 * proc keeps its pid, status and timers and is watched again
 * (proc_resume); without (after a crash), the procs that should run are
 * returned in *start for the caller to start once their leftovers are
 * gone, and the others are stopped or errored as they were.  Returns the
 * number of procs restored.
 */
size_t
state_restore(const cJSON *root, bool keep, struct proc ***start,
    size_t *nstart)
{
	const cJSON		*apps, *a, *procs, *o;
	struct app_config	*cfg;
	struct app		*app;
	struct proc		*p;
	char			*cause;
	size_t			 n = 0;
	int			 status, after;

	if (start != NULL) {
		*start = NULL;
		*nstart = 0;
	}
	registry_reserve_id((int)state_num(root, "next_id", 0) - 1);
	apps = cJSON_GetObjectItemCaseSensitive(root, "apps");
	cJSON_ArrayForEach(a, apps) {
		cfg = eco_config_from_json(
		    cJSON_GetObjectItemCaseSensitive(a, "config"), &cause);
		if (cfg == NULL) {
			log_warnx("%s: an app cannot be restored: %s",
			    state_path(), cause);
			free(cause);
			continue;
		}
		if (registry_find_app(cfg->name) != NULL) {
			log_warnx("%s: app \"%s\" is there twice", state_path(),
			    cfg->name);
			eco_config_free(cfg);
			continue;
		}
		app = registry_app_add(cfg);
		app->created_at = (uint64_t)state_num(a, "created_at",
		    (double)app->created_at);
		procs = cJSON_GetObjectItemCaseSensitive(a, "procs");
		cJSON_ArrayForEach(o, procs) {
			if ((p = state_restore_proc(app, o, &status,
			    &after)) == NULL)
				continue;
			n++;
			if (keep) {
				upgrade_resume_proc(p, o, status, after);
				continue;
			}
			if (status == PROC_STOPPED || status == PROC_ERRORED ||
			    (status == PROC_STOPPING && after != AFTER_RESTART))
				p->status = status == PROC_ERRORED ?
				    PROC_ERRORED : PROC_STOPPED;
			else {
				*start = xreallocarray(*start, *nstart + 1,
				    sizeof **start);
				(*start)[(*nstart)++] = p;
			}
		}
		if (app->nprocs == 0)
			registry_app_remove(app);
	}
	registry_set_next_id((int)state_num(root, "next_id", 0));
	return n;
}
