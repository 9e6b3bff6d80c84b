/*
 * registry: every app and every proc the daemon knows, in the order they
 * were added.  The only mutable global of the daemon; reached only
 * through these functions.
 *
 * Lookups are linear.  With a thousand procs a scan is a few
 * microseconds, far below the cost of the fork or the syscall that made
 * us look, and it keeps a single owner for every record.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "util.h"
#include "xmalloc.h"

static struct {
	struct app	**apps;
	size_t		  napps;
	size_t		  cap;
	int		  next_id;
	bool		  changed;
} reg;

struct app *
registry_app_add(struct app_config *cfg)
{
	struct app	*app;

	app = xcalloc(1, sizeof *app);
	app->config = cfg;
	app->name = cfg->name;
	app->created_at = util_wall_ms();
	if (reg.napps == reg.cap) {
		reg.cap = reg.cap == 0 ? 16 : reg.cap * 2;
		reg.apps = xreallocarray(reg.apps, reg.cap, sizeof *reg.apps);
	}
	reg.apps[reg.napps++] = app;
	cronjob_arm(app);
	registry_changed();
	return app;
}

/* Forget an app whose procs are all gone already. */
void
registry_app_remove(struct app *app)
{
	size_t	 i;

	for (i = 0; i < reg.napps; i++)
		if (reg.apps[i] == app)
			break;
	if (i == reg.napps)
		return;
	memmove(&reg.apps[i], &reg.apps[i + 1],
	    (reg.napps - i - 1) * sizeof *reg.apps);
	reg.napps--;
	cronjob_disarm(app);
	free(app->procs);
	eco_config_free(app->config);
	free(app);
	registry_changed();
}

struct app *
registry_find_app(const char *name)
{
	size_t	 i;

	for (i = 0; i < reg.napps; i++)
		if (strcmp(reg.apps[i]->name, name) == 0)
			return reg.apps[i];
	return NULL;
}

struct proc *
registry_find_proc(int id)
{
	size_t	 i, j;

	for (i = 0; i < reg.napps; i++)
		for (j = 0; j < reg.apps[i]->nprocs; j++)
			if (reg.apps[i]->procs[j]->id == id)
				return reg.apps[i]->procs[j];
	return NULL;
}

struct proc *
registry_find_pid(pid_t pid)
{
	size_t	 i, j;

	if (pid <= 0)
		return NULL;
	for (i = 0; i < reg.napps; i++)
		for (j = 0; j < reg.apps[i]->nprocs; j++)
			if (reg.apps[i]->procs[j]->pid == pid)
				return reg.apps[i]->procs[j];
	return NULL;
}

/* A new, stopped proc for instance, appended to the app's procs. */
struct proc *
registry_proc_new(struct app *app, int instance)
{
	struct proc	*p;

	p = xcalloc(1, sizeof *p);
	p->id = reg.next_id++;
	p->app = app;
	p->instance = instance;
	p->status = PROC_STOPPED;
	p->after = AFTER_STOP;
	p->exit_code = -1;
	p->cpu = NAN;
	p->created_at = util_wall_ms();
	app->procs = xreallocarray(app->procs, app->nprocs + 1,
	    sizeof *app->procs);
	app->procs[app->nprocs++] = p;
	registry_changed();
	return p;
}

/* Remove a proc that is not running and free it. */
void
registry_proc_remove(struct proc *p)
{
	struct app	*app = p->app;
	size_t		 i;

	for (i = 0; i < app->nprocs; i++)
		if (app->procs[i] == p)
			break;
	if (i < app->nprocs) {
		memmove(&app->procs[i], &app->procs[i + 1],
		    (app->nprocs - i - 1) * sizeof *app->procs);
		app->nprocs--;
	}
	proc_free(p);
	registry_changed();
}

size_t
registry_napps(void)
{
	return reg.napps;
}

struct app *
registry_app_at(size_t i)
{
	return i < reg.napps ? reg.apps[i] : NULL;
}

size_t
registry_nprocs(void)
{
	size_t	 i, n = 0;

	for (i = 0; i < reg.napps; i++)
		n += reg.apps[i]->nprocs;
	return n;
}

/* Something changed state: waiting replies may be due, and state.json
   is to be written again (state.c has its own flag). */
void
registry_changed(void)
{
	reg.changed = true;
	state_changed();
}

bool
registry_take_changed(void)
{
	bool	 was = reg.changed;

	reg.changed = false;
	return was;
}

/* The id the next proc gets: state.json keeps it, so that ids are not
   reused after a restart of the daemon. */
int
registry_next_id(void)
{
	return reg.next_id;
}

/* A proc restored from state.json keeps its id: never hand it out. */
void
registry_reserve_id(int id)
{
	if (id >= reg.next_id && id < 0x7fffffff)
		reg.next_id = id + 1;
}

/* After a restore: the saved next id, or past the highest id in use. */
void
registry_set_next_id(int id)
{
	size_t	 i, j;

	for (i = 0; i < reg.napps; i++)
		for (j = 0; j < reg.apps[i]->nprocs; j++)
			if (reg.apps[i]->procs[j]->id >= id)
				id = reg.apps[i]->procs[j]->id + 1;
	if (id >= 0)
		reg.next_id = id;
}
