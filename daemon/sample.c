/*
 * sample: what each proc costs, measured on one timer for all of them.
 *
 * Each tick makes a single pass over /proc (proctree.c) and adds every
 * process to the proc whose tree it is in, so the cost of a tick grows
 * with the processes on the host, not with apps x processes.  CPU% is
 * the tree's utime+stime delta over the monotonic time between passes
 * (htop's method), per process, so a child that exits or appears between
 * two ticks does not make the sum jump.  RSS is the sum of the tree's
 * resident pages.
 *
 * Then the limits: a tree over max_memory_restart is restarted
 * gracefully, through the same policy as a crash.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "daemon.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"

/* A process as seen by the previous pass, to take CPU deltas from. */
struct sample_prev {
	pid_t			 pid;
	unsigned long long	 starttime;
	uint64_t		 ticks;
};

static struct {
	ev_timer		 timer;
	uint64_t		 interval_ms;
	uint64_t		 last_mono;	/* ms; 0 before the first pass */
	struct sample_prev	*prev;
	size_t			 nprev;
	long			 clk_tck;
	long			 page_size;
} smp;

static int
sample_prev_cmp(const void *a, const void *b)
{
	const struct sample_prev *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Ticks this process used since the last pass, or all if it is new. */
static uint64_t
sample_delta(const struct ptree_entry *e, bool *known)
{
	struct sample_prev	 key = { .pid = e->pid }, *prev;

	prev = smp.nprev == 0 ? NULL : bsearch(&key, smp.prev, smp.nprev,
	    sizeof *smp.prev, sample_prev_cmp);
	*known = prev != NULL && prev->starttime == e->starttime;
	if (!*known)
		return e->ticks;
	return e->ticks >= prev->ticks ? e->ticks - prev->ticks : 0;
}

static void
sample_record(struct proc *p)
{
	struct sample_ring	*r;
	struct sample		*s;

	if ((r = p->history) == NULL)
		r = p->history = xcalloc(1, sizeof *r);
	s = &r->v[r->head];
	s->cpu_milli = isnan(p->cpu) ? UINT32_MAX :
	    (uint32_t)(p->cpu * 1000.0);
	s->rss_kib = (uint32_t)(p->memory / 1024);
	r->head = (r->head + 1) % SAMPLE_HISTORY;
	if (r->len < SAMPLE_HISTORY)
		r->len++;
}

/* "210.3M" or "200M": short, and exact when the value is round. */
static void
sample_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char	 units[] = "KMG";
	double			 v = (double)bytes;
	int			 u = -1;

	while (v >= 1024 && u < 2) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else if (v == (double)(uint64_t)v)
		snprintf(buf, len, "%llu%c", (unsigned long long)v, units[u]);
	else
		snprintf(buf, len, "%.1f%c", v, units[u]);
}

/* Over the limit: restart gracefully, throttled like a crash. */
static void
sample_check_memory(struct proc *p, bool first_sample)
{
	const struct app_config	*cfg = p->app->config;
	char			 now[32], limit[32], *why;

	if (cfg->max_memory_restart == 0 || p->status != PROC_ONLINE ||
	    p->memory <= cfg->max_memory_restart)
		return;
	sample_format_size(p->memory, now, sizeof now);
	sample_format_size(cfg->max_memory_restart, limit, sizeof limit);
	why = xprintf("memory %s > %s", now, limit);
	log_info("%s-%d: %s: restarting", p->app->name, p->instance, why);
	/*
	 * Over the limit at its first sample: it was born too big, and
	 * restarting it is a crash loop even if the sample came after
	 * min_uptime.  Count it as an unstable run.
	 */
	p->policy_uptime = first_sample ? 0 :
	    util_mono_ms() - p->started_mono;
	proc_stop(p, AFTER_POLICY, why);
	free(why);
}

/* Fold one pass into the procs. */
static void
sample_apply(const struct ptree *t, double elapsed_s)
{
	struct app	*app;
	struct proc	*p, **byid;
	uint64_t	*ticks;
	bool		*fresh, known;
	size_t		 i, j, k, n;
	int		 id, maxid = -1;

	for (i = 0; i < registry_napps(); i++) {
		app = registry_app_at(i);
		for (j = 0; j < app->nprocs; j++)
			if (app->procs[j]->id > maxid)
				maxid = app->procs[j]->id;
	}
	/* Index by id: a pass may hold thousands of processes. */
	n = (size_t)(maxid + 1);
	byid = xcalloc(n, sizeof *byid);
	ticks = xcalloc(n, sizeof *ticks);
	fresh = xcalloc(n, sizeof *fresh);
	for (i = 0; i < registry_napps(); i++) {
		app = registry_app_at(i);
		for (j = 0; j < app->nprocs; j++) {
			p = app->procs[j];
			byid[p->id] = p;
			p->memory = 0;
			p->tree_size = 0;
		}
	}
	for (k = 0; k < t->n; k++) {
		id = t->v[k].proc_id;
		if (id < 0 || id > maxid || (p = byid[id]) == NULL ||
		    p->pid == 0)
			continue;
		ticks[id] += sample_delta(&t->v[k], &known);
		if (t->v[k].pid == p->pid && !known)
			fresh[id] = true;	/* a new run: no delta yet */
		p->memory += t->v[k].rss_pages * (uint64_t)smp.page_size;
		p->tree_size++;
	}
	for (i = 0; i < registry_napps(); i++) {
		app = registry_app_at(i);
		for (j = 0; j < app->nprocs; j++) {
			p = app->procs[j];
			if (p->pid == 0) {
				p->cpu = NAN;
				continue;
			}
			p->cpu = fresh[p->id] || elapsed_s <= 0 ? NAN :
			    100.0 * ticks[p->id] / smp.clk_tck / elapsed_s;
			sample_record(p);
			sample_check_memory(p, fresh[p->id]);
		}
	}
	free(byid);
	free(ticks);
	free(fresh);
}

/* Keep this pass's ticks for the next one's deltas. */
static void
sample_remember(const struct ptree *t)
{
	size_t	 i, n = 0;

	smp.prev = xreallocarray(smp.prev, t->n + 1, sizeof *smp.prev);
	for (i = 0; i < t->n; i++) {
		if (t->v[i].proc_id < 0)
			continue;
		smp.prev[n].pid = t->v[i].pid;
		smp.prev[n].starttime = t->v[i].starttime;
		smp.prev[n].ticks = t->v[i].ticks;
		n++;
	}
	smp.nprev = n;	/* t is sorted by pid, so prev is too */
}

static void
sample_tick(struct ev_loop *l, ev_timer *w, int revents)
{
	struct ptree	 t;
	uint64_t	 now;
	double		 elapsed;

	(void)l;
	(void)w;
	(void)revents;
	if (registry_nprocs() == 0) {
		smp.last_mono = 0;
		monit_publish();
		return;
	}
	ptree_scan(&t);
	now = util_mono_ms();
	elapsed = smp.last_mono == 0 ? 0 : (now - smp.last_mono) / 1000.0;
	sample_apply(&t, elapsed);
	sample_remember(&t);
	smp.last_mono = now;
	ptree_free(&t);
	monit_publish();
}

void
sample_init(uint64_t interval_ms)
{
	smp.interval_ms = interval_ms;
	smp.clk_tck = sysconf(_SC_CLK_TCK);
	smp.page_size = sysconf(_SC_PAGESIZE);
	ev_timer_init(&smp.timer, sample_tick, interval_ms / 1000.0,
	    interval_ms / 1000.0);
	ev_timer_start(loop, &smp.timer);
}

uint64_t
sample_interval_ms(void)
{
	return smp.interval_ms;
}

/* The proc stopped running: its figures no longer mean anything. */
void
sample_forget(struct proc *p)
{
	p->cpu = NAN;
	p->memory = 0;
	p->tree_size = 0;
}

/* {"interval_ms":N,"cpu":[...],"memory":[...]}, oldest first; new. */
struct cJSON *
sample_history_json(const struct proc *p)
{
	const struct sample_ring *r = p->history;
	cJSON			*obj, *cpu, *mem;
	const struct sample	*s;
	unsigned		 i;

	obj = cJSON_CreateObject();
	cJSON_AddNumberToObject(obj, "interval_ms", (double)smp.interval_ms);
	cpu = cJSON_AddArrayToObject(obj, "cpu");
	mem = cJSON_AddArrayToObject(obj, "memory");
	for (i = 0; r != NULL && i < r->len; i++) {
		s = &r->v[(r->head + SAMPLE_HISTORY - r->len + i) %
		    SAMPLE_HISTORY];
		cJSON_AddItemToArray(cpu, s->cpu_milli == UINT32_MAX ?
		    cJSON_CreateNull() :
		    cJSON_CreateNumber(s->cpu_milli / 1000.0));
		cJSON_AddItemToArray(mem,
		    cJSON_CreateNumber((double)s->rss_kib * 1024));
	}
	return obj;
}
