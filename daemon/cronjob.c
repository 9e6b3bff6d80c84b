/*
 * cronjob: cron_restart.  Each app with a schedule has one ev_periodic
 * whose reschedule callback asks lib/cron.c for the next matching minute,
 * so the schedule follows the wall clock (and its jumps), not a timer.
 */
#include <stdlib.h>
#include <time.h>

#include "cron.h"
#include "daemon.h"
#include "log.h"

static ev_tstamp
cronjob_next(ev_periodic *w, ev_tstamp now)
{
	struct app	*app = w->data;
	struct cron	 c;
	char		*why;
	time_t		 next;

	/* Validated when the config was read; a failure here is a bug. */
	if (cron_parse(app->config->cron_restart, &c, &why) == -1) {
		log_warnx("%s: cron_restart: %s", app->name, why);
		free(why);
		return now + 1e9;
	}
	next = cron_next(&c, (time_t)now);
	return next == (time_t)-1 ? now + 1e9 : (ev_tstamp)next;
}

static void
cronjob_fire(struct ev_loop *l, ev_periodic *w, int revents)
{
	struct app	*app = w->data;
	struct proc	*p;
	size_t		 i;
	int		*ids, n = 0;

	(void)l;
	(void)revents;
	log_info("%s: cron_restart \"%s\": restarting", app->name,
	    app->config->cron_restart);
	/* Collect first: a restart may change the app's proc list. */
	ids = calloc(app->nprocs + 1, sizeof *ids);
	if (ids == NULL)
		return;
	for (i = 0; i < app->nprocs; i++)
		if (app->procs[i]->status == PROC_ONLINE)
			ids[n++] = app->procs[i]->id;
	for (i = 0; i < (size_t)n; i++)
		if ((p = registry_find_proc(ids[i])) != NULL)
			proc_restart(p, "cron_restart");
	free(ids);
}

void
cronjob_arm(struct app *app)
{
	if (app->config->cron_restart == NULL)
		return;
	ev_periodic_init(&app->cron_w, cronjob_fire, 0., 0., cronjob_next);
	app->cron_w.data = app;
	ev_periodic_start(loop, &app->cron_w);
}

void
cronjob_disarm(struct app *app)
{
	ev_periodic_stop(loop, &app->cron_w);
}
