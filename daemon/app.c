/*
 * app: the life of a proc, as a state machine driven by libev.
 *
 *   stopped --start--> online --exit--> (restart.c decides)
 *                                          -> online (at once)
 *                                          -> waiting-restart --timer--> online
 *                                          -> errored / stopped
 *   online --stop--> stopping --tree gone--> stopped | online | deleted
 *                       \--kill_timeout--> SIGKILL the tree
 *
 * A proc is not stopped until its whole tree is: the main pid's exit is
 * only the first sign, and what it leaves behind is hunted down by
 * proctree.c before the proc is reported stopped or started again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "paths.h"
#include "units.h"
#include "util.h"
#include "xmalloc.h"

#define PROC_LINGER_POLL	0.05	/* s between scans for leftovers */

extern char **environ;

static void	proc_on_exit(struct ev_loop *, ev_child *, int);
static void	proc_on_restart_timer(struct ev_loop *, ev_timer *, int);
static void	proc_on_kill_timer(struct ev_loop *, ev_timer *, int);
static void	proc_on_linger_timer(struct ev_loop *, ev_timer *, int);
static void	proc_finish_stop(struct proc *);

static const char *proc_status_names[] = {
	[PROC_LAUNCHING] = "launching",
	[PROC_ONLINE] = "online",
	[PROC_STOPPING] = "stopping",
	[PROC_STOPPED] = "stopped",
	[PROC_WAITING_RESTART] = "waiting-restart",
	[PROC_ERRORED] = "errored",
};

const char *
proc_status_name(enum proc_status s)
{
	return proc_status_names[s];
}

bool
proc_running(const struct proc *p)
{
	return p->pid != 0;
}

static void
proc_set_reason(struct proc *p, const char *reason)
{
	free(p->last_reason);
	p->last_reason = reason != NULL ? xstrdup(reason) : NULL;
	p->last_reason_at = util_wall_ms();
}

static void
proc_set_status(struct proc *p, enum proc_status s)
{
	p->status = s;
	registry_changed();
}

/* The child's environment: ours, then the app's env, then our markers. */
static char **
proc_build_env(const struct proc *p)
{
	const struct app_config	*cfg = p->app->config;
	char			**envp;
	size_t			  n = 0, i, j, k, keylen;
	bool			  overridden;

	while (environ[n] != NULL)
		n++;
	envp = xcalloc(n + cfg->nenv + 5, sizeof *envp);
	k = 0;
	for (i = 0; i < n; i++) {
		keylen = strcspn(environ[i], "=");
		overridden = (keylen == 10 &&
		    strncmp(environ[i], "PROCMAN_ID", 10) == 0) ||
		    (keylen == 11 &&
		    strncmp(environ[i], "PROCMAN_APP", 11) == 0) ||
		    (strlen(cfg->instance_var) == keylen &&
		    strncmp(environ[i], cfg->instance_var, keylen) == 0);
		for (j = 0; !overridden && j < cfg->nenv; j++)
			overridden = strlen(cfg->env[j].key) == keylen &&
			    strncmp(environ[i], cfg->env[j].key, keylen) == 0;
		if (!overridden)
			envp[k++] = xstrdup(environ[i]);
	}
	for (j = 0; j < cfg->nenv; j++)
		envp[k++] = xprintf("%s=%s", cfg->env[j].key,
		    cfg->env[j].value);
	envp[k++] = xprintf("%s=%d", cfg->instance_var, p->instance);
	envp[k++] = xprintf("PROCMAN_ID=%d", p->id);
	envp[k++] = xprintf("PROCMAN_APP=%s", p->app->name);
	envp[k] = NULL;
	return envp;
}

/* interpreter? [interpreter, script, args...] : [script, args...] */
static char **
proc_build_argv(const struct app_config *cfg)
{
	char	**argv;
	size_t	  i, k = 0;

	argv = xcalloc(cfg->nargs + 3, sizeof *argv);
	if (cfg->interpreter != NULL)
		argv[k++] = cfg->interpreter;
	argv[k++] = cfg->script;
	for (i = 0; i < cfg->nargs; i++)
		argv[k++] = cfg->args[i];
	argv[k] = NULL;
	return argv;
}

/* The log file of a stream ("out" or "err"); allocated. */
char *
proc_log_path(const struct proc *p, const char *stream)
{
	const struct app_config	*cfg = p->app->config;
	const char		*set;

	set = strcmp(stream, "out") == 0 ? cfg->out_file : cfg->error_file;
	if (set != NULL && set[0] == '/')
		return xstrdup(set);
	if (set != NULL)
		return xprintf("%s/%s", cfg->cwd, set);
	if (cfg->merge_logs)
		return xprintf("%s/%s-%s.log", paths_logdir(), cfg->name,
		    stream);
	return xprintf("%s/%s-%d-%s.log", paths_logdir(), cfg->name,
	    p->instance, stream);
}

/*
 * Start a proc that is not running.  Returns 0, or -1 and *cause; the
 * proc is then errored with that reason.
 */
int
proc_start(struct proc *p, char **cause)
{
	const struct app_config	*cfg = p->app->config;
	struct spawn_req	 req;
	char			**argv, **envp, **e;
	int			 out = -1, err = -1;
	pid_t			 pid = -1;

	*cause = NULL;
	free(p->spawn_error);
	p->spawn_error = NULL;
	/* The pipes are logs.c's and outlive the run: never close them. */
	if (logs_attach(p, &out, &err, cause) == 0) {
		argv = proc_build_argv(cfg);
		envp = proc_build_env(p);
		req.path = cfg->interpreter != NULL ? cfg->interpreter :
		    cfg->script;
		req.argv = argv;
		req.envp = envp;
		req.cwd = cfg->cwd;
		req.out_fd = out;
		req.err_fd = err;
		pid = spawn_child(&req, cause);
		free(argv);
		for (e = envp; *e != NULL; e++)
			free(*e);
		free(envp);
	}
	if (pid == -1) {
		log_warnx("%s-%d: cannot start: %s", cfg->name, p->instance,
		    *cause);
		p->spawn_error = xstrdup(*cause);
		proc_set_reason(p, *cause);
		p->pid = 0;
		proc_set_status(p, PROC_ERRORED);
		return -1;
	}

	p->pid = pid;
	p->started_mono = util_mono_ms();
	p->started_wall = util_wall_ms();
	ev_child_init(&p->child_w, proc_on_exit, pid, 0);
	p->child_w.data = p;
	ev_child_start(loop, &p->child_w);
	proc_set_status(p, PROC_ONLINE);
	log_info("%s-%d: started pid %ld (id %d)", cfg->name, p->instance,
	    (long)pid, p->id);
	return 0;
}

/* Describe how a run ended, for the log and for describe. */
static char *
proc_exit_text(int status)
{
	if (WIFSIGNALED(status))
		return xprintf("killed by %s",
		    eco_signal_name(WTERMSIG(status)));
	return xprintf("exited with code %d", WEXITSTATUS(status));
}

/* Send sig to the proc's process group and to every process of its tree. */
static void
proc_signal_tree(struct proc *p, int sig)
{
	if (p->pid != 0)
		kill(-p->pid, sig);
	ptree_signal_proc(ptree_current(), p->id, sig);
}

static size_t
proc_count_tree(const struct proc *p)
{
	return ptree_count_proc(ptree_current(), p->id);
}

static void
proc_restart_now(struct proc *p)
{
	char	*cause;

	p->restarts++;
	if (proc_start(p, &cause) == -1)
		free(cause);
}

/*
 * A run ended without being asked to (it exited, or it was stopped for
 * going over its memory limit): restart it, or not, as restart.c says.
 */
static void
proc_apply_policy(struct proc *p, uint64_t uptime, const char *how)
{
	const struct app_config	*cfg = p->app->config;
	struct restart_decision	 d;
	char			*why;

	d = restart_decide(cfg, uptime, &p->unstable_restarts,
	    &p->backoff_step);
	switch (d.action) {
	case RESTART_NONE:
		proc_set_reason(p, how);
		proc_set_status(p, PROC_STOPPED);
		log_info("%s-%d: %s; autorestart is off, stopped", cfg->name,
		    p->instance, how);
		break;
	case RESTART_GIVE_UP:
		why = xprintf("%s; %d unstable runs (shorter than %llums), "
		    "giving up", how, p->unstable_restarts,
		    (unsigned long long)cfg->min_uptime_ms);
		proc_set_reason(p, why);
		proc_set_status(p, PROC_ERRORED);
		log_warnx("%s-%d: %s", cfg->name, p->instance, why);
		free(why);
		break;
	case RESTART_AFTER:
		proc_set_reason(p, how);
		log_info("%s-%d: %s after %llums; restarting in %llums",
		    cfg->name, p->instance, how, (unsigned long long)uptime,
		    (unsigned long long)d.delay_ms);
		if (d.delay_ms == 0) {
			proc_restart_now(p);
			break;
		}
		proc_set_status(p, PROC_WAITING_RESTART);
		ev_timer_init(&p->restart_w, proc_on_restart_timer,
		    d.delay_ms / 1000.0, 0.);
		p->restart_w.data = p;
		ev_timer_start(loop, &p->restart_w);
		break;
	}
}

static void
proc_on_exit(struct ev_loop *l, ev_child *w, int revents)
{
	struct proc	*p = w->data;
	uint64_t	 uptime;
	char		*how;

	(void)revents;
	ev_child_stop(l, w);
	uptime = util_mono_ms() - p->started_mono;
	if (WIFSIGNALED(w->rstatus)) {
		p->exit_code = -1;
		p->exit_signal = WTERMSIG(w->rstatus);
	} else {
		p->exit_code = WEXITSTATUS(w->rstatus);
		p->exit_signal = 0;
	}
	how = proc_exit_text(w->rstatus);
	/* All it wrote goes to its files before its exit is acted upon. */
	logs_drain(p);
	log_info("%s-%d: pid %ld %s", p->app->name, p->instance,
	    (long)p->pid, how);
	p->pid = 0;
	sample_forget(p);
	registry_changed();

	if (p->status == PROC_STOPPING) {
		if (!ptree_has_orphans() || proc_count_tree(p) == 0)
			proc_finish_stop(p);
		else {
			ev_timer_init(&p->linger_w, proc_on_linger_timer,
			    PROC_LINGER_POLL, PROC_LINGER_POLL);
			p->linger_w.data = p;
			ev_timer_start(l, &p->linger_w);
		}
	} else {
		/* Whatever it left behind would run unsupervised: end it. */
		if (ptree_has_orphans())
			proc_signal_tree(p, SIGKILL);
		proc_apply_policy(p, uptime, how);
	}
	free(how);
}

static void
proc_on_restart_timer(struct ev_loop *l, ev_timer *w, int revents)
{
	struct proc	*p = w->data;

	(void)l;
	(void)revents;
	if (p->status == PROC_WAITING_RESTART)
		proc_restart_now(p);
}

/* kill_timeout is up: SIGKILL everything the proc still has. */
static void
proc_on_kill_timer(struct ev_loop *l, ev_timer *w, int revents)
{
	struct proc	*p = w->data;

	(void)l;
	(void)revents;
	log_warnx("%s-%d: still running %llums after %s; sending SIGKILL",
	    p->app->name, p->instance,
	    (unsigned long long)p->app->config->kill_timeout_ms,
	    eco_signal_name(p->app->config->stop_signal));
	proc_signal_tree(p, SIGKILL);
	/* With the main pid gone, nothing else will tell us: finish now. */
	if (p->pid == 0)
		proc_finish_stop(p);
}

static void
proc_on_linger_timer(struct ev_loop *l, ev_timer *w, int revents)
{
	struct proc	*p = w->data;

	(void)l;
	(void)revents;
	if (proc_count_tree(p) == 0)
		proc_finish_stop(p);
}

/* The tree is gone: stopped, then whatever was asked for next. */
static void
proc_finish_stop(struct proc *p)
{
	struct app	*app = p->app;
	char		*cause, *why;

	ev_timer_stop(loop, &p->kill_w);
	ev_timer_stop(loop, &p->linger_w);
	ev_timer_stop(loop, &p->restart_w);
	proc_set_status(p, PROC_STOPPED);
	switch (p->after) {
	case AFTER_RESTART:
		p->after = AFTER_STOP;
		p->unstable_restarts = 0;
		p->backoff_step = 0;
		p->restarts++;
		if (proc_start(p, &cause) == -1)
			free(cause);
		break;
	case AFTER_POLICY:
		p->after = AFTER_STOP;
		why = xstrdup(p->last_reason != NULL ? p->last_reason :
		    "stopped");
		proc_apply_policy(p, p->policy_uptime, why);
		free(why);
		break;
	case AFTER_DELETE:
		log_info("%s-%d: deleted (id %d)", app->name, p->instance,
		    p->id);
		registry_proc_remove(p);
		if (app->nprocs == 0)
			registry_app_remove(app);
		break;
	default:
		p->after = AFTER_STOP;
		break;
	}
}

/*
 * Stop a proc, then do `after`.  A proc that is not running goes straight
 * to `after`; one already stopping only has its `after` updated (a delete
 * is never downgraded).
 */
void
proc_stop(struct proc *p, enum proc_after after, const char *reason)
{
	const struct app_config	*cfg = p->app->config;

	if (reason != NULL)
		proc_set_reason(p, reason);
	switch (p->status) {
	case PROC_STOPPING:
		if (p->after != AFTER_DELETE)
			p->after = after;
		return;
	case PROC_STOPPED:
	case PROC_ERRORED:
	case PROC_WAITING_RESTART:
		p->after = after;
		proc_finish_stop(p);
		return;
	case PROC_LAUNCHING:
	case PROC_ONLINE:
		break;
	}
	p->after = after;
	p->stop_mono = util_mono_ms();
	proc_set_status(p, PROC_STOPPING);
	log_info("%s-%d: stopping pid %ld with %s (%s)", cfg->name,
	    p->instance, (long)p->pid, eco_signal_name(cfg->stop_signal),
	    reason != NULL ? reason : "requested");
	proc_signal_tree(p, cfg->stop_signal);
	ev_timer_init(&p->kill_w, proc_on_kill_timer,
	    cfg->kill_timeout_ms / 1000.0, 0.);
	p->kill_w.data = p;
	ev_timer_start(loop, &p->kill_w);
}

/* Restart: stop gracefully if running, then start; a manual restart
   forgives earlier unstable runs. */
void
proc_restart(struct proc *p, const char *reason)
{
	proc_stop(p, AFTER_RESTART, reason);
}

/*
 * After procman update (upgrade.c): a proc carried over from the previous
 * image of procmand, whose pid is still our child, is watched again, and
 * its timers resume with the seconds they had left (negative: were not
 * running).
 */
void
proc_resume(struct proc *p, double restart_in, double kill_in, bool linger)
{
	if (p->pid != 0) {
		ev_child_init(&p->child_w, proc_on_exit, p->pid, 0);
		p->child_w.data = p;
		ev_child_start(loop, &p->child_w);
	}
	if (p->status == PROC_WAITING_RESTART) {
		ev_timer_init(&p->restart_w, proc_on_restart_timer,
		    restart_in > 0 ? restart_in : 0., 0.);
		p->restart_w.data = p;
		ev_timer_start(loop, &p->restart_w);
	}
	if (p->status == PROC_STOPPING && kill_in >= 0) {
		ev_timer_init(&p->kill_w, proc_on_kill_timer, kill_in, 0.);
		p->kill_w.data = p;
		ev_timer_start(loop, &p->kill_w);
	}
	if (p->status == PROC_STOPPING && linger) {
		ev_timer_init(&p->linger_w, proc_on_linger_timer,
		    PROC_LINGER_POLL, PROC_LINGER_POLL);
		p->linger_w.data = p;
		ev_timer_start(loop, &p->linger_w);
	}
}

/* Free a proc that is not running: every watcher stopped first. */
void
proc_free(struct proc *p)
{
	logs_detach(p);
	ev_child_stop(loop, &p->child_w);
	ev_timer_stop(loop, &p->restart_w);
	ev_timer_stop(loop, &p->kill_w);
	ev_timer_stop(loop, &p->linger_w);
	free(p->last_reason);
	free(p->spawn_error);
	free(p->history);
	free(p);
}
