/*
 * optimize: find what runs twice and, when asked, collapse it (issue #6,
 * the "optimize" request; `procman optimize`).
 *
 * The plan is made here, not in the CLI, because only the daemon has
 * every config, pid, uptime and the sample history at one instant.  It
 * finds, in this order:
 *
 *  1. duplicate apps: entries that run the same command (same resolved
 *     executable and interpreter, args and cwd; env never counts).  The
 *     longest-running online one is kept, the others deleted; an entry
 *     with nothing running is a "dead leftover" of the one kept;
 *  2. dead instances: stopped or errored instances > 0 of an app whose
 *     instance 0 runs;
 *  3. idle instances: an app whose online instances together use less
 *     CPU, averaged over the window, than the threshold is collapsed to
 *     instance 0, as `procman scale NAME 1` would.
 *
 * Apps with `optimize: false` take no part at all, not even as the copy
 * that is kept: the user asked us to leave them alone.
 *
 * Applying happens in the same callback as planning.  The daemon is
 * single-threaded, so a second request (two cron jobs at once) is
 * planned only after the first has marked its extras stopping-to-delete
 * and changed its instance counts; procs on their way out are invisible
 * to the planner, so the second run sees the first one's result and has
 * nothing left to do.  An apply is answered twice: the plan at once,
 * then, once every removed proc is gone, control_wait's reply (WAIT_GONE)
 * with the same id, so that when the CLI prints "after", it is true.
 *
 * The kept process is never touched: no restart, same pid.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "daemon.h"
#include "log.h"
#include "proto.h"
#include "units.h"
#include "util.h"
#include "xmalloc.h"

#define OPT_WINDOW_DEFAULT_MS	60000
#define OPT_WINDOW_MAX_MS	(24ULL * 3600 * 1000)
#define OPT_CPU_DEFAULT		50.0	/* % of one core */
#define OPT_CPU_MAX		100000.0
#define OPT_MIN_SAMPLES		3
/* Uptimes closer than this are a tie: users see seconds, not ms. */
#define OPT_TIE_MS		1000

/* What the planner knows about one app. */
struct opt_app {
	struct app	*app;
	char		*script;	/* realpath, or as configured */
	char		*interp;	/* likewise; NULL: none */
	char		*cwd;
	size_t		 live;		/* procs not already leaving */
	bool		 online;	/* one of them is online */
	uint64_t	 uptime;	/* the longest online one's, ms */
	bool		 seen;		/* grouped already */
	bool		 deleted;	/* the plan removes the whole app */
};

/* One action, for applying it; its JSON twin is in the reply. */
struct opt_action {
	struct app	*app;
	struct targets	 procs;		/* ids to stop and delete */
	int		 instances;	/* the app's count after; 0: gone */
	char		*why;		/* short, for the log and describe */
};

struct opt_plan {
	uint64_t	 window_ms;
	double		 threshold;
	struct opt_app	*apps;
	size_t		 napps;
	struct opt_action *acts;
	size_t		 nacts;
	cJSON		*actions;	/* borrowed from the reply */
	cJSON		*skipped;
	cJSON		*suggestions;
};

/* CPU and memory of one proc's current run over the window. */
struct opt_load {
	int		 samples;	/* non-null CPU samples */
	double		 cpu;		/* their mean, % of one core */
	uint64_t	 peak;		/* highest RSS seen, bytes */
};

/* On its way out already (an earlier optimize, a delete, a scale). */
static bool
optimize_leaving(const struct proc *p)
{
	return p->status == PROC_STOPPING && p->after == AFTER_DELETE;
}

static bool
optimize_dead(const struct proc *p)
{
	return p->status == PROC_STOPPED || p->status == PROC_ERRORED;
}

static bool
optimize_planned(const struct opt_plan *pl, int id)
{
	size_t	 i, j;

	for (i = 0; i < pl->nacts; i++)
		for (j = 0; j < pl->acts[i].procs.n; j++)
			if (pl->acts[i].procs.ids[j] == id)
				return true;
	return false;
}

/* Still there once the plan has run: neither leaving nor removed. */
static bool
optimize_stays(const struct opt_plan *pl, const struct proc *p)
{
	return !optimize_leaving(p) && !optimize_planned(pl, p->id);
}

static void
optimize_add_id(struct targets *t, int id)
{
	t->ids = xreallocarray(t->ids, t->n + 1, sizeof *t->ids);
	t->ids[t->n++] = id;
}

static cJSON *
optimize_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A new JSON string from a format. */
static cJSON *
optimize_text(const char *fmt, ...)
{
	cJSON	*s;
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	text = xvprintf(fmt, ap);
	va_end(ap);
	s = cJSON_CreateString(text);
	free(text);
	return s;
}

/* The newest samples of the current run that fall in the window. */
static void
optimize_load(const struct proc *p, uint64_t window_ms, struct opt_load *l)
{
	const struct sample_ring *r = p->history;
	const struct sample	*s;
	uint64_t		 interval = sample_interval_ms(), n, alive;
	double			 sum = 0;
	unsigned		 i;

	memset(l, 0, sizeof *l);
	if (r == NULL || p->pid == 0 || interval == 0)
		return;
	/* The ring outlives restarts: older slots may be an earlier run. */
	n = window_ms / interval;
	alive = (util_mono_ms() - p->started_mono) / interval + 1;
	if (n > alive)
		n = alive;
	if (n > r->len)
		n = r->len;
	for (i = 0; i < n; i++) {
		s = &r->v[(r->head + SAMPLE_HISTORY - 1 - i) % SAMPLE_HISTORY];
		if ((uint64_t)s->rss_kib * 1024 > l->peak)
			l->peak = (uint64_t)s->rss_kib * 1024;
		if (s->cpu_milli == UINT32_MAX)
			continue;
		sum += s->cpu_milli / 1000.0;
		l->samples++;
	}
	if (l->samples > 0)
		l->cpu = sum / l->samples;
}

/* realpath, or the string itself when the file is gone. */
static char *
optimize_realpath(const char *path)
{
	char	*r;

	if (path == NULL)
		return NULL;
	if ((r = realpath(path, NULL)) == NULL)
		r = xstrdup(path);
	return r;
}

static void
optimize_collect(struct opt_plan *pl)
{
	struct opt_app	*oa;
	struct proc	*p;
	uint64_t	 up, now = util_mono_ms();
	size_t		 i, j;

	pl->napps = registry_napps();
	pl->apps = xcalloc(pl->napps + 1, sizeof *pl->apps);
	for (i = 0; i < pl->napps; i++) {
		oa = &pl->apps[i];
		oa->app = registry_app_at(i);
		oa->script = optimize_realpath(oa->app->config->script);
		oa->interp = optimize_realpath(oa->app->config->interpreter);
		oa->cwd = optimize_realpath(oa->app->config->cwd);
		for (j = 0; j < oa->app->nprocs; j++) {
			p = oa->app->procs[j];
			if (optimize_leaving(p))
				continue;
			oa->live++;
			if (p->status != PROC_ONLINE)
				continue;
			up = now - p->started_mono;
			if (!oa->online || up > oa->uptime)
				oa->uptime = up;
			oa->online = true;
		}
	}
}

static bool
optimize_same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The same command: executable, interpreter, args and cwd. */
static bool
optimize_same(const struct opt_app *a, const struct opt_app *b)
{
	const struct app_config	*x = a->app->config, *y = b->app->config;
	size_t			 i;

	if (!optimize_same_str(a->script, b->script) ||
	    !optimize_same_str(a->interp, b->interp) ||
	    !optimize_same_str(a->cwd, b->cwd) || x->nargs != y->nargs)
		return false;
	for (i = 0; i < x->nargs; i++)
		if (strcmp(x->args[i], y->args[i]) != 0)
			return false;
	return true;
}

/* Can this app be planned for at all? */
static bool
optimize_eligible(const struct opt_app *oa)
{
	return oa->app->config->optimize && oa->live > 0 && !oa->deleted;
}

/*
 * Which of two copies to keep: the one online, then the longer-running
 * one, then the one from an ecosystem file (it comes back from the file
 * on the next deploy anyway), then the older entry.  Returns true when b
 * is better than a.
 */
static bool
optimize_better(const struct opt_app *a, const struct opt_app *b,
    const char **why)
{
	bool	 sa = a->app->config->source != NULL;
	bool	 sb = b->app->config->source != NULL;

	if (a->online != b->online) {
		*why = "the one running";
		return b->online;
	}
	if (a->online && (a->uptime > b->uptime + OPT_TIE_MS ||
	    b->uptime > a->uptime + OPT_TIE_MS)) {
		*why = "online the longest";
		return b->uptime > a->uptime;
	}
	if (sa != sb) {
		*why = "from an ecosystem file";
		return sb;
	}
	*why = "the oldest entry";
	return false;
}

static struct opt_action *
optimize_add_action(struct opt_plan *pl, struct app *app, int instances,
    const char *why)
{
	struct opt_action	*a;

	pl->acts = xreallocarray(pl->acts, pl->nacts + 1, sizeof *pl->acts);
	a = &pl->acts[pl->nacts++];
	memset(a, 0, sizeof *a);
	a->app = app;
	a->instances = instances;
	a->why = xprintf("optimize: %s", why);
	return a;
}

/* The JSON of an action whose procs are chosen. */
static void
optimize_action_json(struct opt_plan *pl, const struct opt_action *a,
    const char *kind, const char *keep, const char *reason)
{
	cJSON		*obj, *ids, *pids, *insts;
	struct proc	*p;
	uint64_t	 memory = 0;
	size_t		 i;
	int		 running = 0;

	obj = cJSON_CreateObject();
	cJSON_AddStringToObject(obj, "kind", kind);
	cJSON_AddStringToObject(obj, "app", a->app->name);
	if (keep != NULL)
		cJSON_AddStringToObject(obj, "keep", keep);
	cJSON_AddBoolToObject(obj, "whole_app", a->instances == 0);
	ids = cJSON_AddArrayToObject(obj, "ids");
	pids = cJSON_AddArrayToObject(obj, "pids");
	insts = cJSON_AddArrayToObject(obj, "instances");
	for (i = 0; i < a->procs.n; i++) {
		if ((p = registry_find_proc(a->procs.ids[i])) == NULL)
			continue;
		cJSON_AddItemToArray(ids, cJSON_CreateNumber(p->id));
		cJSON_AddItemToArray(insts, cJSON_CreateNumber(p->instance));
		if (p->pid != 0) {
			cJSON_AddItemToArray(pids, cJSON_CreateNumber(p->pid));
			running++;
			memory += p->memory;
		}
	}
	if (a->instances > 0)
		cJSON_AddNumberToObject(obj, "instances_after", a->instances);
	cJSON_AddNumberToObject(obj, "processes", running);
	cJSON_AddNumberToObject(obj, "memory", (double)memory);
	cJSON_AddStringToObject(obj, "reason", reason);
	cJSON_AddStringToObject(obj, "status", "planned");
	cJSON_AddItemToArray(pl->actions, obj);
}

static void
optimize_skip(struct opt_plan *pl, const char *app, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
optimize_skip(struct opt_plan *pl, const char *app, const char *fmt, ...)
{
	cJSON	*obj;
	va_list	 ap;
	char	*why;

	va_start(ap, fmt);
	why = xvprintf(fmt, ap);
	va_end(ap);
	obj = cJSON_CreateObject();
	cJSON_AddStringToObject(obj, "app", app);
	cJSON_AddStringToObject(obj, "reason", why);
	cJSON_AddItemToArray(pl->skipped, obj);
	free(why);
}

/* Plan the deletion of a whole app that duplicates keep. */
static void
optimize_delete_copy(struct opt_plan *pl, struct opt_app *oa,
    const struct opt_app *keep, const char *keep_why)
{
	struct opt_action	*a;
	struct proc		*p;
	cJSON			*obj;
	size_t			 i;
	bool			 dead = true, errored = true;
	char			*reason, *why;

	for (i = 0; i < oa->app->nprocs; i++) {
		p = oa->app->procs[i];
		if (optimize_leaving(p))
			continue;
		dead &= optimize_dead(p);
		errored &= p->status == PROC_ERRORED;
	}
	if (dead) {
		reason = xprintf("%s leftover: runs the same command as "
		    "\"%s\" (executable, args, cwd), which is kept",
		    errored ? "errored" : "stopped", keep->app->name);
		why = xprintf("dead leftover of %s", keep->app->name);
	} else {
		reason = xprintf("duplicate: runs the same command as \"%s\" "
		    "(executable, args, cwd), which is kept as %s",
		    keep->app->name, keep_why);
		why = xprintf("duplicate of %s", keep->app->name);
	}
	a = optimize_add_action(pl, oa->app, 0, why);
	for (i = 0; i < oa->app->nprocs; i++)
		if (!optimize_leaving(oa->app->procs[i]))
			optimize_add_id(&a->procs, oa->app->procs[i]->id);
	optimize_action_json(pl, a, dead ? "dead-leftover" : "duplicate-app",
	    keep->app->name, reason);
	oa->deleted = true;
	/* Otherwise the next deploy brings the copy back. */
	if (oa->app->config->source != NULL) {
		obj = cJSON_CreateObject();
		cJSON_AddStringToObject(obj, "app", oa->app->name);
		cJSON_AddStringToObject(obj, "kind", "ecosystem");
		cJSON_AddStringToObject(obj, "value",
		    oa->app->config->source);
		cJSON_AddItemToObject(obj, "text", optimize_text("remove it "
		    "from %s, or the next procman start of that file brings "
		    "it back", oa->app->config->source));
		cJSON_AddItemToArray(pl->suggestions, obj);
	}
	free(reason);
	free(why);
}

/* Rule 1: among apps running the same command, keep one. */
static void
optimize_duplicates(struct opt_plan *pl)
{
	struct opt_app	*keep, *oa;
	const char	*why;
	size_t		 i, j, n;

	for (i = 0; i < pl->napps; i++) {
		if (pl->apps[i].seen || !optimize_eligible(&pl->apps[i]))
			continue;
		keep = &pl->apps[i];
		keep->seen = true;
		n = 1;
		for (j = i + 1; j < pl->napps; j++) {
			oa = &pl->apps[j];
			if (oa->seen || !optimize_eligible(oa) ||
			    !optimize_same(keep, oa))
				continue;
			oa->seen = true;
			n++;
			if (optimize_better(keep, oa, &why))
				keep = oa;
		}
		if (n < 2)
			continue;
		for (j = i; j < pl->napps; j++) {
			oa = &pl->apps[j];
			if (oa == keep || !oa->seen || oa->deleted ||
			    !optimize_eligible(oa) || !optimize_same(keep, oa))
				continue;
			/* Why keep wins against this one in particular. */
			optimize_better(oa, keep, &why);
			optimize_delete_copy(pl, oa, keep, why);
		}
	}
}

/* The instance-0 proc of an app that stays, or NULL. */
static struct proc *
optimize_instance0(const struct opt_plan *pl, const struct app *app)
{
	size_t	 i;

	for (i = 0; i < app->nprocs; i++)
		if (app->procs[i]->instance == 0 &&
		    optimize_stays(pl, app->procs[i]))
			return app->procs[i];
	return NULL;
}

/* How many procs of the app stay once the plan has run. */
static int
optimize_staying(const struct opt_plan *pl, const struct app *app,
    bool running_only)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < app->nprocs; i++)
		if (optimize_stays(pl, app->procs[i]) &&
		    (!running_only || app->procs[i]->pid != 0))
			n++;
	return n;
}

/* Rule 2: stopped or errored extra instances of a running app. */
static void
optimize_dead_instances(struct opt_plan *pl, struct opt_app *oa)
{
	struct opt_action	*a;
	struct proc		*p, *p0;
	struct targets		 t = { NULL, 0 };
	char			*reason, *list = NULL, *tmp;
	size_t			 i;

	if ((p0 = optimize_instance0(pl, oa->app)) == NULL || p0->pid == 0)
		return;
	for (i = 0; i < oa->app->nprocs; i++) {
		p = oa->app->procs[i];
		if (p->instance == 0 || !optimize_stays(pl, p) ||
		    !optimize_dead(p))
			continue;
		optimize_add_id(&t, p->id);
		tmp = xprintf("%s%s%d", list != NULL ? list : "",
		    list != NULL ? ", " : "", p->instance);
		free(list);
		list = tmp;
	}
	if (t.n == 0)
		return;
	a = optimize_add_action(pl, oa->app, 0, "dead extra instance");
	a->procs = t;
	a->instances = optimize_staying(pl, oa->app, false);
	reason = xprintf("dead extra instance%s %s (stopped or errored) "
	    "while instance 0 runs; the app goes down to %d instance%s",
	    t.n > 1 ? "s" : "", list, a->instances,
	    a->instances > 1 ? "s" : "");
	optimize_action_json(pl, a, "dead-leftover", NULL, reason);
	free(reason);
	free(list);
}

/*
 * The summed mean CPU of the app's online instances, or -1 when one of
 * them has too few samples (then *short_inst says which).
 */
static double
optimize_app_cpu(const struct opt_plan *pl, const struct app *app,
    int *online, int *short_inst, int *short_samples)
{
	struct opt_load	 l;
	struct proc	*p;
	double		 sum = 0;
	size_t		 i;

	*online = 0;
	*short_inst = -1;
	for (i = 0; i < app->nprocs; i++) {
		p = app->procs[i];
		if (!optimize_stays(pl, p) || p->status != PROC_ONLINE)
			continue;
		(*online)++;
		optimize_load(p, pl->window_ms, &l);
		if (l.samples < OPT_MIN_SAMPLES && *short_inst == -1) {
			*short_inst = p->instance;
			*short_samples = l.samples;
		}
		sum += l.cpu;
	}
	return *short_inst != -1 ? -1 : sum;
}

/* Rule 3: idle instances collapse into instance 0. */
static void
optimize_collapse(struct opt_plan *pl, struct opt_app *oa)
{
	struct app		*app = oa->app;
	struct opt_action	*a;
	struct proc		*p0, *p;
	double			 cpu;
	size_t			 i;
	int			 online, inst, samples = 0;
	char			*reason;

	cpu = optimize_app_cpu(pl, app, &online, &inst, &samples);
	if (online < 2)
		return;
	if ((p0 = optimize_instance0(pl, app)) == NULL ||
	    p0->status != PROC_ONLINE) {
		optimize_skip(pl, app->name, "%d instances online, but "
		    "instance 0 is not: not collapsed", online);
		return;
	}
	if (cpu < 0) {
		optimize_skip(pl, app->name, "not enough data: instance %d "
		    "has %d CPU sample%s in the last %gs, %d needed", inst,
		    samples, samples == 1 ? "" : "s", pl->window_ms / 1000.0,
		    OPT_MIN_SAMPLES);
		return;
	}
	if (cpu >= pl->threshold) {
		optimize_skip(pl, app->name, "busy: %d instances use %.1f%% "
		    "CPU together over the last %gs (threshold %g%%)", online,
		    cpu, pl->window_ms / 1000.0, pl->threshold);
		return;
	}
	a = optimize_add_action(pl, app, 1, "collapsed to 1 instance");
	for (i = 0; i < app->nprocs; i++) {
		p = app->procs[i];
		if (p != p0 && optimize_stays(pl, p))
			optimize_add_id(&a->procs, p->id);
	}
	reason = xprintf("idle: %d instances use %.1f%% CPU together over "
	    "the last %gs, under %g%% of one core: instance 0 (pid %ld) "
	    "carries the load alone", online, cpu, pl->window_ms / 1000.0,
	    pl->threshold, (long)p0->pid);
	optimize_action_json(pl, a, "collapse-instances", NULL, reason);
	free(reason);
}

/* Advice, never acted on: a memory limit, and instances beyond CPUs. */
static void
optimize_suggest(struct opt_plan *pl, const struct app *app, long ncpu,
    uint64_t ram)
{
	struct opt_load	 l;
	cJSON		*obj;
	uint64_t	 peak = 0, value;
	size_t		 i;
	int		 running;
	char		 buf[32];
	bool		 capped = false;

	for (i = 0; i < app->nprocs; i++) {
		if (!optimize_stays(pl, app->procs[i]))
			continue;
		optimize_load(app->procs[i], pl->window_ms, &l);
		if (l.peak > peak)
			peak = l.peak;
	}
	if (app->config->max_memory_restart == 0 && peak > 0) {
		value = 2 * peak;
		if (ram > 0 && value > ram / 2) {
			value = ram / 2;
			capped = true;
		}
		/* Whole MiB, as people write it in an ecosystem file. */
		value = (value + (1 << 20) - 1) >> 20;
		units_format_size(peak, buf, sizeof buf);
		obj = cJSON_CreateObject();
		cJSON_AddStringToObject(obj, "app", app->name);
		cJSON_AddStringToObject(obj, "kind", "max_memory_restart");
		cJSON_AddNumberToObject(obj, "value", (double)(value << 20));
		cJSON_AddItemToObject(obj, "text", capped ?
		    optimize_text("set max_memory_restart: %lluM (half of "
		    "RAM; its peak RSS in the window was %s)",
		    (unsigned long long)value, buf) :
		    optimize_text("set max_memory_restart: %lluM (twice its "
		    "peak RSS of %s in the window)",
		    (unsigned long long)value, buf));
		cJSON_AddItemToArray(pl->suggestions, obj);
	}
	running = optimize_staying(pl, app, true);
	if (ncpu > 0 && running > ncpu) {
		obj = cJSON_CreateObject();
		cJSON_AddStringToObject(obj, "app", app->name);
		cJSON_AddStringToObject(obj, "kind", "instances");
		cJSON_AddNumberToObject(obj, "value", (double)ncpu);
		cJSON_AddItemToObject(obj, "text", optimize_text("%d instances "
		    "run on %ld CPUs: more instances than CPUs only add memory "
		    "and context switches; consider instances: %ld", running,
		    ncpu, ncpu));
		cJSON_AddItemToArray(pl->suggestions, obj);
	}
}

/* Processes, entries and RSS, now or once the plan has run. */
static cJSON *
optimize_totals(const struct opt_plan *pl, bool after, uint64_t *memory,
    int *processes)
{
	const struct app	*app;
	const struct proc	*p;
	cJSON			*obj;
	size_t			 i, j;
	int			 entries = 0;

	*memory = 0;
	*processes = 0;
	for (i = 0; i < pl->napps; i++) {
		app = pl->apps[i].app;
		for (j = 0; j < app->nprocs; j++) {
			p = app->procs[j];
			if (optimize_leaving(p) ||
			    (after && optimize_planned(pl, p->id)))
				continue;
			entries++;
			if (p->pid == 0)
				continue;
			(*processes)++;
			*memory += p->memory;
		}
	}
	obj = cJSON_CreateObject();
	cJSON_AddNumberToObject(obj, "processes", *processes);
	cJSON_AddNumberToObject(obj, "entries", entries);
	cJSON_AddNumberToObject(obj, "memory", (double)*memory);
	return obj;
}

/* The before/after table of the reply. */
static void
optimize_table(const struct opt_plan *pl, cJSON *reply)
{
	cJSON		*table, *saved;
	uint64_t	 mb, ma;
	int		 pb, pa;

	table = cJSON_AddObjectToObject(reply, "table");
	cJSON_AddItemToObject(table, "before",
	    optimize_totals(pl, false, &mb, &pb));
	cJSON_AddItemToObject(table, "after",
	    optimize_totals(pl, true, &ma, &pa));
	saved = cJSON_AddObjectToObject(table, "saved");
	cJSON_AddNumberToObject(saved, "processes", pb - pa);
	cJSON_AddNumberToObject(saved, "memory", (double)(mb - ma));
	cJSON_AddNumberToObject(saved, "percent", mb == 0 ? 0 :
	    round(1000.0 * (mb - ma) / mb) / 10);
}

static void
optimize_plan(struct opt_plan *pl, cJSON *reply)
{
	struct opt_app	*oa;
	uint64_t	 ram;
	long		 ncpu, pages, psize;
	size_t		 i;

	pl->actions = cJSON_AddArrayToObject(reply, "actions");
	pl->skipped = cJSON_AddArrayToObject(reply, "skipped");
	pl->suggestions = cJSON_AddArrayToObject(reply, "suggestions");
	optimize_collect(pl);
	for (i = 0; i < pl->napps; i++) {
		oa = &pl->apps[i];
		if (!oa->app->config->optimize && oa->live > 0)
			optimize_skip(pl, oa->app->name, "optimize: false");
	}
	optimize_duplicates(pl);
	for (i = 0; i < pl->napps; i++) {
		if (!optimize_eligible(&pl->apps[i]))
			continue;
		optimize_dead_instances(pl, &pl->apps[i]);
		optimize_collapse(pl, &pl->apps[i]);
	}
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	pages = sysconf(_SC_PHYS_PAGES);
	psize = sysconf(_SC_PAGESIZE);
	ram = pages > 0 && psize > 0 ? (uint64_t)pages * psize : 0;
	for (i = 0; i < pl->napps; i++)
		if (optimize_eligible(&pl->apps[i]))
			optimize_suggest(pl, pl->apps[i].app, ncpu, ram);
	optimize_table(pl, reply);
}

/*
 * Carry the plan out: instance counts first (so that nothing, such as a
 * crash of the extra being stopped, brings an instance back), then every
 * stop.  A stopped proc is deleted at once; a running one is stopped
 * with its stop_signal and kill_timeout and deleted once its tree is
 * gone.
 */
static void
optimize_apply(struct opt_plan *pl)
{
	struct opt_action	*a;
	struct proc		*p;
	size_t			 i, j;

	for (i = 0; i < pl->nacts; i++) {
		a = &pl->acts[i];
		log_info("%s: %s: removing %zu process entr%s%s", a->app->name,
		    a->why, a->procs.n, a->procs.n == 1 ? "y" : "ies",
		    a->instances == 0 ? " and the app" : "");
		if (a->instances > 0 &&
		    a->app->config->instances != a->instances) {
			log_info("%s: optimize: instances %d -> %d",
			    a->app->name, a->app->config->instances,
			    a->instances);
			a->app->config->instances = a->instances;
			registry_changed();
		}
	}
	/* By id: a stopped proc, and its app, are freed as we go. */
	for (i = 0; i < pl->nacts; i++) {
		a = &pl->acts[i];
		for (j = 0; j < a->procs.n; j++)
			if ((p = registry_find_proc(a->procs.ids[j])) != NULL)
				proc_stop(p, AFTER_DELETE, a->why);
	}
}

static void
optimize_free(struct opt_plan *pl)
{
	size_t	 i;

	for (i = 0; i < pl->napps; i++) {
		free(pl->apps[i].script);
		free(pl->apps[i].interp);
		free(pl->apps[i].cwd);
	}
	free(pl->apps);
	for (i = 0; i < pl->nacts; i++) {
		free(pl->acts[i].procs.ids);
		free(pl->acts[i].why);
	}
	free(pl->acts);
}

/* Read the request's options; -1 and *cause when one is bad. */
static int
optimize_options(const cJSON *req, struct opt_plan *pl, bool *apply,
    char **cause)
{
	const cJSON	*v;

	*apply = false;
	pl->window_ms = OPT_WINDOW_DEFAULT_MS;
	pl->threshold = OPT_CPU_DEFAULT;
	v = cJSON_GetObjectItemCaseSensitive(req, "apply");
	if (v != NULL && !cJSON_IsBool(v)) {
		*cause = xstrdup("\"apply\" must be true or false");
		return -1;
	}
	*apply = cJSON_IsTrue(v);
	v = cJSON_GetObjectItemCaseSensitive(req, "window_ms");
	if (v != NULL) {
		if (!cJSON_IsNumber(v) || v->valuedouble < 1 ||
		    v->valuedouble > (double)OPT_WINDOW_MAX_MS ||
		    v->valuedouble != floor(v->valuedouble)) {
			*cause = xprintf("\"window_ms\" must be an integer "
			    "from 1 to %llu", OPT_WINDOW_MAX_MS);
			return -1;
		}
		pl->window_ms = (uint64_t)v->valuedouble;
	}
	v = cJSON_GetObjectItemCaseSensitive(req, "cpu_threshold");
	if (v != NULL) {
		if (!cJSON_IsNumber(v) || !(v->valuedouble > 0) ||
		    v->valuedouble > OPT_CPU_MAX) {
			*cause = xprintf("\"cpu_threshold\" must be a "
			    "percentage above 0, at most %g", OPT_CPU_MAX);
			return -1;
		}
		pl->threshold = v->valuedouble;
	}
	return 0;
}

/* The "optimize" request: see lib/proto.h. */
void
optimize_request(struct conn *c, const cJSON *req, long id)
{
	struct opt_plan	 pl;
	struct targets	 all = { NULL, 0 };
	cJSON		*reply, *act;
	char		*cause = NULL;
	size_t		 i, j;
	bool		 apply;

	memset(&pl, 0, sizeof pl);
	if (optimize_options(req, &pl, &apply, &cause) == -1) {
		control_reply(c, proto_reply_error(id, "%s", cause));
		free(cause);
		return;
	}
	if (apply && daemon_shutting_down()) {
		control_reply(c, proto_reply_error(id, "daemon is shutting "
		    "down"));
		return;
	}
	reply = proto_reply_ok(id);
	cJSON_AddBoolToObject(reply, "apply", apply);
	cJSON_AddNumberToObject(reply, "window_ms", (double)pl.window_ms);
	cJSON_AddNumberToObject(reply, "cpu_threshold", pl.threshold);
	cJSON_AddNumberToObject(reply, "interval_ms",
	    (double)sample_interval_ms());
	optimize_plan(&pl, reply);
	if (!apply || pl.nacts == 0) {
		control_reply(c, reply);
		optimize_free(&pl);
		return;
	}
	/*
	 * Nothing below can fail: every action is applied.  The plan goes
	 * out now, and control_wait's reply with the same id follows once
	 * every removed proc is gone (see proto.h).
	 */
	cJSON_ArrayForEach(act, pl.actions)
		cJSON_ReplaceItemInObjectCaseSensitive(act, "status",
		    cJSON_CreateString("applied"));
	cJSON_AddBoolToObject(reply, "settling", true);
	for (i = 0; i < pl.nacts; i++)
		for (j = 0; j < pl.acts[i].procs.n; j++)
			optimize_add_id(&all, pl.acts[i].procs.ids[j]);
	control_reply(c, reply);
	control_wait(c, id, WAIT_GONE, all.ids, all.n);
	optimize_apply(&pl);
	free(all.ids);
	optimize_free(&pl);
}
