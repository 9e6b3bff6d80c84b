/*
 * procjson: a proc as the JSON objects of `jlist` and `describe`.
 *
 * The list fields are the contract's; they may grow but never change
 * meaning.  Numbers are doubles in cJSON, exact up to 2^53: enough for
 * bytes and unix milliseconds.
 */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "daemon.h"
#include "util.h"

static void
procjson_add_args(cJSON *obj, const struct app_config *cfg)
{
	cJSON	*args;
	size_t	 i;

	args = cJSON_AddArrayToObject(obj, "args");
	for (i = 0; i < cfg->nargs; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(cfg->args[i]));
}

static void
procjson_add_string_or_null(cJSON *obj, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(obj, key, s);
	else
		cJSON_AddNullToObject(obj, key);
}

/* Returns a new object; the caller owns it. */
struct cJSON *
procjson_list(const struct proc *p)
{
	const struct app_config	*cfg = p->app->config;
	cJSON			*obj;
	uint64_t		 uptime = 0;

	if (p->pid != 0)
		uptime = util_mono_ms() - p->started_mono;
	obj = cJSON_CreateObject();
	cJSON_AddNumberToObject(obj, "id", p->id);
	cJSON_AddStringToObject(obj, "name", p->app->name);
	cJSON_AddNumberToObject(obj, "instance", p->instance);
	cJSON_AddNumberToObject(obj, "pid", p->pid);
	cJSON_AddStringToObject(obj, "status", proc_status_name(p->status));
	cJSON_AddNumberToObject(obj, "restarts", p->restarts);
	cJSON_AddNumberToObject(obj, "uptime_ms", (double)uptime);
	cJSON_AddNumberToObject(obj, "cpu", 0);
	cJSON_AddNumberToObject(obj, "memory", 0);
	cJSON_AddStringToObject(obj, "exec", cfg->script);
	procjson_add_args(obj, cfg);
	cJSON_AddStringToObject(obj, "cwd", cfg->cwd);
	cJSON_AddNumberToObject(obj, "max_memory_restart",
	    (double)cfg->max_memory_restart);
	cJSON_AddNumberToObject(obj, "unstable_restarts",
	    p->unstable_restarts);
	cJSON_AddNumberToObject(obj, "created_at", (double)p->created_at);
	procjson_add_string_or_null(obj, "interpreter", cfg->interpreter);
	return obj;
}

/* Everything known about the proc; a new object the caller owns. */
struct cJSON *
procjson_describe(const struct proc *p)
{
	cJSON	*obj;
	char	*path;

	obj = procjson_list(p);
	cJSON_AddItemToObject(obj, "config",
	    eco_config_to_json(p->app->config));
	if (p->exit_code >= 0 && p->exit_signal == 0)
		cJSON_AddNumberToObject(obj, "exit_code", p->exit_code);
	else
		cJSON_AddNullToObject(obj, "exit_code");
	procjson_add_string_or_null(obj, "exit_signal", p->exit_signal != 0 ?
	    eco_signal_name(p->exit_signal) : NULL);
	procjson_add_string_or_null(obj, "last_restart_reason",
	    p->last_reason);
	cJSON_AddNumberToObject(obj, "last_restart_at",
	    (double)(p->last_reason != NULL ? p->last_reason_at : 0));
	procjson_add_string_or_null(obj, "spawn_error", p->spawn_error);
	path = proc_log_path(p, "out");
	cJSON_AddStringToObject(obj, "out_file", path);
	free(path);
	path = proc_log_path(p, "err");
	cJSON_AddStringToObject(obj, "err_file", path);
	free(path);
	cJSON_AddNumberToObject(obj, "started_at",
	    (double)(p->pid != 0 ? p->started_wall : 0));
	return obj;
}
