/*
 * dispatch: from a request's type to its handler.  Every handler
 * re-validates what the client sent: the CLI's checks are for the user's
 * convenience, these are for the daemon's safety.
 */
#define _GNU_SOURCE
#include <ctype.h>
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

#define DISPATCH_MAX_INSTANCES	4096

typedef void (*dispatch_fn)(struct conn *, const cJSON *, long);

static void
targets_add(struct targets *t, const struct proc *p)
{
	t->ids = xreallocarray(t->ids, t->n + 1, sizeof *t->ids);
	t->ids[t->n++] = p->id;
}

static void
targets_add_app(struct targets *t, const struct app *app)
{
	size_t	 i;

	for (i = 0; i < app->nprocs; i++)
		targets_add(t, app->procs[i]);
}

static int
targets_add_one(struct targets *t, const char *target, char **cause)
{
	struct app	*app;
	struct proc	*p;
	long long	 id;
	size_t		 i;

	if (strcmp(target, "all") == 0) {
		for (i = 0; i < registry_napps(); i++)
			targets_add_app(t, registry_app_at(i));
		return 0;
	}
	if (isdigit((unsigned char)target[0]) && util_parse_ll(target, &id)) {
		if (id > 0x7fffffff || (p = registry_find_proc((int)id)) ==
		    NULL) {
			*cause = xprintf("no process with id %s", target);
			return -1;
		}
		targets_add(t, p);
		return 0;
	}
	if (!eco_name_valid(target)) {
		*cause = xprintf("invalid app name \"%.*s\"", ECO_NAME_MAX,
		    target);
		return -1;
	}
	if ((app = registry_find_app(target)) == NULL) {
		*cause = xprintf("app \"%s\" not found", target);
		return -1;
	}
	targets_add_app(t, app);
	return 0;
}

/* Fill t from "target" or "names"; -1 and *cause when one is unknown.
   By id: procs may be freed as we act. */
int
targets_resolve(const cJSON *req, struct targets *t, char **cause)
{
	const cJSON	*target, *names, *name;
	struct app	*app;
	size_t		 known = 0;

	t->ids = NULL;
	t->n = 0;
	target = cJSON_GetObjectItemCaseSensitive(req, "target");
	names = cJSON_GetObjectItemCaseSensitive(req, "names");
	if (cJSON_IsString(target))
		return targets_add_one(t, target->valuestring, cause);
	if (!cJSON_IsArray(names)) {
		*cause = xstrdup("request needs a \"target\" string or a "
		    "\"names\" array");
		return -1;
	}
	/*
	 * The apps of an ecosystem file: act on those we know.  A file
	 * started with --only names apps that were never started, and
	 * `procman stop FILE` should still stop the others.
	 */
	cJSON_ArrayForEach(name, names) {
		if (!cJSON_IsString(name) ||
		    strcmp(name->valuestring, "all") == 0 ||
		    !eco_name_valid(name->valuestring)) {
			*cause = xstrdup("\"names\" must hold app names");
			return -1;
		}
		if ((app = registry_find_app(name->valuestring)) != NULL) {
			targets_add_app(t, app);
			known++;
		}
	}
	if (known == 0) {
		*cause = xstrdup("none of these apps is known to the daemon");
		return -1;
	}
	return 0;
}

static void
dispatch_ping(struct conn *c, const cJSON *req, long id)
{
	cJSON	*reply;

	(void)req;
	reply = proto_reply_ok(id);
	cJSON_AddNumberToObject(reply, "pid", getpid());
	cJSON_AddStringToObject(reply, "version", PROCMAN_VERSION);
	cJSON_AddStringToObject(reply, "home", paths_home());
	control_reply(c, reply);
}

/* Read and check every app of a start request; all or nothing. */
static struct app_config **
dispatch_start_configs(const cJSON *apps, size_t *n, char **cause)
{
	struct app_config	**cfgs;
	const cJSON		 *item;
	size_t			  i, j;
	char			 *why;

	*n = cJSON_GetArraySize(apps);
	cfgs = xcalloc(*n, sizeof *cfgs);
	i = 0;
	cJSON_ArrayForEach(item, apps) {
		if ((cfgs[i] = eco_config_from_json(item, &why)) == NULL) {
			*cause = xprintf("apps[%zu]: %s", i, why);
			goto fail;
		}
		for (j = 0; j < i; j++)
			if (strcmp(cfgs[j]->name, cfgs[i]->name) == 0) {
				why = NULL;
				*cause = xprintf("app \"%s\" is given twice",
				    cfgs[i]->name);
				i++;
				goto fail;
			}
		if (eco_resolve(cfgs[i], &why) == -1) {
			*cause = xprintf("app \"%s\": %s", cfgs[i]->name, why);
			i++;
			goto fail;
		}
		i++;
	}
	return cfgs;
fail:
	free(why);
	for (j = 0; j < i; j++)
		eco_config_free(cfgs[j]);
	free(cfgs);
	return NULL;
}

/* Give a stopped app a new config and exactly cfg->instances procs. */
static void
dispatch_reconfigure(struct app *app, struct app_config *cfg)
{
	size_t	 i;

	cronjob_disarm(app);
	eco_config_free(app->config);
	app->config = cfg;
	app->name = cfg->name;
	cronjob_arm(app);
	for (i = app->nprocs; i > 0; i--)
		if (app->procs[i - 1]->instance >= cfg->instances)
			registry_proc_remove(app->procs[i - 1]);
}

/* Add procs for the lowest free instance numbers until there are n. */
static void
dispatch_fill_instances(struct app *app, int n, struct targets *added)
{
	int	 k;
	size_t	 i;
	bool	 used;

	for (k = 0; (int)app->nprocs < n; k++) {
		used = false;
		for (i = 0; i < app->nprocs && !used; i++)
			used = app->procs[i]->instance == k;
		if (!used)
			targets_add(added, registry_proc_new(app, k));
	}
}

/* Start every proc of app that is stopped or errored; returns how many. */
static int
dispatch_start_app(struct app *app, char **first_error)
{
	struct proc	*p;
	size_t		 i;
	int		 n = 0;
	char		*cause;

	for (i = 0; i < app->nprocs; i++) {
		p = app->procs[i];
		if (p->status != PROC_STOPPED && p->status != PROC_ERRORED)
			continue;
		p->unstable_restarts = 0;
		p->backoff_step = 0;
		n++;
		if (proc_start(p, &cause) == -1) {
			if (*first_error == NULL)
				*first_error = xprintf("app \"%s\": %s",
				    app->name, cause);
			free(cause);
		}
	}
	return n;
}

static void
dispatch_start(struct conn *c, const cJSON *req, long id)
{
	struct app_config	**cfgs;
	struct app		 *app;
	struct targets		  added = { NULL, 0 };
	const cJSON		 *apps;
	cJSON			 *reply, *started, *already;
	char			 *cause = NULL, *error = NULL;
	size_t			  n, i, j;
	bool			  running;

	apps = cJSON_GetObjectItemCaseSensitive(req, "apps");
	if (daemon_shutting_down()) {
		control_reply(c, proto_reply_error(id, "daemon is shutting "
		    "down"));
		return;
	}
	if (!cJSON_IsArray(apps) || cJSON_GetArraySize(apps) == 0) {
		control_reply(c, proto_reply_error(id, "start needs a "
		    "non-empty \"apps\" array"));
		return;
	}
	if ((cfgs = dispatch_start_configs(apps, &n, &cause)) == NULL) {
		control_reply(c, proto_reply_error(id, "%s", cause));
		free(cause);
		return;
	}
	started = cJSON_CreateArray();
	already = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		if ((app = registry_find_app(cfgs[i]->name)) == NULL) {
			app = registry_app_add(cfgs[i]);
			log_info("%s: added from %s", app->name,
			    app->config->source != NULL ?
			    app->config->source : "the command line");
		} else {
			running = false;
			for (j = 0; j < app->nprocs; j++)
				running |= app->procs[j]->status !=
				    PROC_STOPPED && app->procs[j]->status !=
				    PROC_ERRORED;
			if (!running)
				dispatch_reconfigure(app, cfgs[i]);
			else
				eco_config_free(cfgs[i]);
		}
		dispatch_fill_instances(app, app->config->instances, &added);
		cJSON_AddItemToArray(dispatch_start_app(app, &error) > 0 ?
		    started : already, cJSON_CreateString(app->name));
	}
	free(cfgs);
	free(added.ids);
	reply = error != NULL ? proto_reply_error(id, "%s", error) :
	    proto_reply_ok(id);
	cJSON_AddItemToObject(reply, "started", started);
	cJSON_AddItemToObject(reply, "already", already);
	control_reply(c, reply);
	free(error);
}

/* stop, restart and delete: act on each target, reply once settled. */
static void
dispatch_act(struct conn *c, const cJSON *req, long id,
    enum proc_after after, enum wait_kind kind)
{
	struct targets	 t;
	struct proc	*p;
	char		*cause = NULL;
	size_t		 i;
	static const char *reasons[] = {
		[AFTER_STOP] = "stopped by request",
		[AFTER_RESTART] = "restarted by request",
		[AFTER_DELETE] = "deleted by request",
		[AFTER_POLICY] = NULL,
	};

	if (targets_resolve(req, &t, &cause) == -1) {
		control_reply(c, proto_reply_error(id, "%s", cause));
		free(cause);
		free(t.ids);
		return;
	}
	/* Wait first: a proc that is already stopped settles at once. */
	control_wait(c, id, kind, t.ids, t.n);
	for (i = 0; i < t.n; i++)
		if ((p = registry_find_proc(t.ids[i])) != NULL)
			proc_stop(p, after, reasons[after]);
	free(t.ids);
}

static void
dispatch_stop(struct conn *c, const cJSON *req, long id)
{
	dispatch_act(c, req, id, AFTER_STOP, WAIT_STOPPED);
}

static void
dispatch_restart(struct conn *c, const cJSON *req, long id)
{
	dispatch_act(c, req, id, AFTER_RESTART, WAIT_STARTED);
}

static void
dispatch_delete(struct conn *c, const cJSON *req, long id)
{
	dispatch_act(c, req, id, AFTER_DELETE, WAIT_GONE);
}

/* The whole table, written as text: see procjson.c for why. */
static void
dispatch_list(struct conn *c, const cJSON *req, long id)
{
	struct jbuf	 b = { NULL, 0, 0 };
	struct app	*app;
	size_t		 i, j;
	bool		 first = true;

	(void)req;
	jbuf_addf(&b, "{\"v\":%d,\"id\":%ld,\"ok\":true,\"procs\":[",
	    PROTO_VERSION, id);
	for (i = 0; i < registry_napps(); i++) {
		app = registry_app_at(i);
		for (j = 0; j < app->nprocs; j++) {
			if (!first)
				jbuf_add(&b, ",", 1);
			first = false;
			procjson_list_append(&b, app->procs[j]);
		}
	}
	jbuf_add(&b, "]}\n", 3);
	control_reply_line(c, b.s, b.len);
}

static void
dispatch_describe(struct conn *c, const cJSON *req, long id)
{
	struct targets	 t;
	struct proc	*p;
	cJSON		*reply, *procs;
	char		*cause = NULL;
	size_t		 i;

	if (targets_resolve(req, &t, &cause) == -1) {
		control_reply(c, proto_reply_error(id, "%s", cause));
		free(cause);
		free(t.ids);
		return;
	}
	reply = proto_reply_ok(id);
	procs = cJSON_AddArrayToObject(reply, "procs");
	for (i = 0; i < t.n; i++)
		if ((p = registry_find_proc(t.ids[i])) != NULL)
			cJSON_AddItemToArray(procs, procjson_describe(p));
	free(t.ids);
	control_reply(c, reply);
}

/* Scale down: the highest instance numbers go first. */
static void
dispatch_scale_down(struct app *app, int n, struct targets *gone)
{
	struct proc	*p;
	size_t		 i;
	int		 k, top;

	while ((int)(app->nprocs - gone->n) > n) {
		top = -1;
		p = NULL;
		for (i = 0; i < app->nprocs; i++) {
			for (k = 0; k < (int)gone->n; k++)
				if (gone->ids[k] == app->procs[i]->id)
					break;
			if (k == (int)gone->n &&
			    app->procs[i]->instance > top) {
				top = app->procs[i]->instance;
				p = app->procs[i];
			}
		}
		targets_add(gone, p);
	}
}

static void
dispatch_scale(struct conn *c, const cJSON *req, long id)
{
	const cJSON	*name, *count;
	struct app	*app;
	struct targets	 t = { NULL, 0 };
	struct proc	*p;
	char		*cause;
	size_t		 i;
	int		 n;

	name = cJSON_GetObjectItemCaseSensitive(req, "name");
	count = cJSON_GetObjectItemCaseSensitive(req, "instances");
	if (!cJSON_IsString(name) || !cJSON_IsNumber(count) ||
	    count->valuedouble < 1 ||
	    count->valuedouble > DISPATCH_MAX_INSTANCES ||
	    count->valuedouble != (int)count->valuedouble) {
		control_reply(c, proto_reply_error(id, "scale needs \"name\" "
		    "and \"instances\" from 1 to %d", DISPATCH_MAX_INSTANCES));
		return;
	}
	if ((app = registry_find_app(name->valuestring)) == NULL) {
		control_reply(c, proto_reply_error(id, "app \"%.*s\" not "
		    "found", ECO_NAME_MAX, name->valuestring));
		return;
	}
	n = (int)count->valuedouble;
	log_info("%s: scaling from %zu to %d instances", app->name,
	    app->nprocs, n);
	app->config->instances = n;
	if ((int)app->nprocs > n) {
		dispatch_scale_down(app, n, &t);
		control_wait(c, id, WAIT_GONE, t.ids, t.n);
		for (i = 0; i < t.n; i++)
			if ((p = registry_find_proc(t.ids[i])) != NULL)
				proc_stop(p, AFTER_DELETE, "scaled down");
	} else {
		dispatch_fill_instances(app, n, &t);
		for (i = 0; i < t.n; i++)
			if ((p = registry_find_proc(t.ids[i])) != NULL &&
			    proc_start(p, &cause) == -1)
				free(cause);
		control_wait(c, id, WAIT_STARTED, t.ids, t.n);
	}
	free(t.ids);
}

static void
dispatch_kill(struct conn *c, const cJSON *req, long id)
{
	(void)req;
	control_reply(c, proto_reply_ok(id));
	daemon_shutdown("procman kill");
}

static const struct {
	const char	*type;
	dispatch_fn	 fn;
} dispatch_table[] = {
	{ "delete", dispatch_delete },
	{ "describe", dispatch_describe },
	{ "flush", dispatch_flush },
	{ "kill", dispatch_kill },
	{ "list", dispatch_list },
	{ "logs", dispatch_logs },
	{ "logs-follow", dispatch_logs_follow },
	{ "monit", dispatch_monit },
	{ "optimize", optimize_request },
	{ "ping", dispatch_ping },
	{ "reload-logs", dispatch_reload_logs },
	{ "restart", dispatch_restart },
	{ "scale", dispatch_scale },
	{ "start", dispatch_start },
	{ "stop", dispatch_stop },
	{ "update", upgrade_request },
};

void
dispatch(struct conn *c, struct cJSON *req)
{
	const cJSON	*type, *rid;
	long		 id = 0;
	size_t		 i;

	type = cJSON_GetObjectItemCaseSensitive(req, "type");
	rid = cJSON_GetObjectItemCaseSensitive(req, "id");
	if (cJSON_IsNumber(rid))
		id = (long)rid->valuedouble;
	for (i = 0; i < sizeof dispatch_table / sizeof dispatch_table[0];
	    i++) {
		if (strcmp(dispatch_table[i].type, type->valuestring) == 0) {
			dispatch_table[i].fn(c, req, id);
			return;
		}
	}
	control_reply(c, proto_reply_error(id, "unknown request type "
	    "\"%.64s\"", type->valuestring));
}
