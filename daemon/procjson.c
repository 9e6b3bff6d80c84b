/*
 * procjson: a proc as the JSON objects of `jlist` and `describe`.
 *
 * The list fields are the contract's; they may grow but never change
 * meaning.  Numbers are doubles in cJSON, exact up to 2^53: enough for
 * bytes and unix milliseconds.
 *
 * `list` is answered on every `procman list` and by scripts in loops, for
 * a thousand procs at a time; cJSON prints each number with snprintf and
 * reads it back with sscanf, which made that reply cost tens of
 * milliseconds.  So the list objects are also written directly as text
 * (procjson_list_append), with the same fields as procjson_list, which
 * stays the base of describe; regress test jlist-describe checks that
 * both agree.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "daemon.h"
#include "util.h"
#include "xmalloc.h"

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
	/* NaN (no sample yet) prints as null. */
	cJSON_AddNumberToObject(obj, "cpu", p->pid != 0 ?
	    round(p->cpu * 10) / 10 : 0);
	cJSON_AddNumberToObject(obj, "memory", (double)p->memory);
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
	cJSON_AddNumberToObject(obj, "processes", p->tree_size);
	cJSON_AddItemToObject(obj, "history", sample_history_json(p));
	return obj;
}

/* --- the list objects as text ------------------------------------------ */

void
jbuf_add(struct jbuf *b, const char *s, size_t n)
{
	if (b->cap - b->len < n + 1) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xreallocarray(b->s, 1, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
jbuf_addf(struct jbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	 small[128], *big;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		jbuf_add(b, small, n);
		return;
	}
	va_start(ap, fmt);
	n = vasprintf(&big, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	jbuf_add(b, big, n);
	free(big);
}

/* A JSON string: quotes, backslashes and control characters escaped,
   every other byte as it is (as cJSON does). */
void
jbuf_add_string(struct jbuf *b, const char *s)
{
	const char	*run = s;

	jbuf_add(b, "\"", 1);
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x20 && *s != '"' && *s != '\\')
			continue;
		jbuf_add(b, run, s - run);
		switch (*s) {
		case '"':
			jbuf_add(b, "\\\"", 2);
			break;
		case '\\':
			jbuf_add(b, "\\\\", 2);
			break;
		case '\n':
			jbuf_add(b, "\\n", 2);
			break;
		case '\t':
			jbuf_add(b, "\\t", 2);
			break;
		default:
			jbuf_addf(b, "\\u%04x", (unsigned char)*s);
			break;
		}
		run = s + 1;
	}
	jbuf_add(b, run, s - run);
	jbuf_add(b, "\"", 1);
}

static void
jbuf_add_key(struct jbuf *b, const char *key)
{
	jbuf_addf(b, ",\"%s\":", key);
}

/* The same object as procjson_list, appended to b as text. */
void
procjson_list_append(struct jbuf *b, const struct proc *p)
{
	const struct app_config	*cfg = p->app->config;
	uint64_t		 uptime = 0;
	size_t			 i;

	if (p->pid != 0)
		uptime = util_mono_ms() - p->started_mono;
	jbuf_addf(b, "{\"id\":%d,\"name\":", p->id);
	jbuf_add_string(b, p->app->name);
	jbuf_addf(b, ",\"instance\":%d,\"pid\":%ld,\"status\":\"%s\","
	    "\"restarts\":%d,\"uptime_ms\":%llu", p->instance, (long)p->pid,
	    proc_status_name(p->status), p->restarts,
	    (unsigned long long)uptime);
	if (p->pid == 0)
		jbuf_add(b, ",\"cpu\":0", 8);
	else if (isnan(p->cpu))
		jbuf_add(b, ",\"cpu\":null", 11);
	else
		jbuf_addf(b, ",\"cpu\":%g", round(p->cpu * 10) / 10);
	jbuf_addf(b, ",\"memory\":%llu", (unsigned long long)p->memory);
	jbuf_add_key(b, "exec");
	jbuf_add_string(b, cfg->script);
	jbuf_add(b, ",\"args\":[", 9);
	for (i = 0; i < cfg->nargs; i++) {
		if (i > 0)
			jbuf_add(b, ",", 1);
		jbuf_add_string(b, cfg->args[i]);
	}
	jbuf_add(b, "]", 1);
	jbuf_add_key(b, "cwd");
	jbuf_add_string(b, cfg->cwd);
	jbuf_addf(b, ",\"max_memory_restart\":%llu,\"unstable_restarts\":%d,"
	    "\"created_at\":%llu,\"interpreter\":",
	    (unsigned long long)cfg->max_memory_restart, p->unstable_restarts,
	    (unsigned long long)p->created_at);
	if (cfg->interpreter != NULL)
		jbuf_add_string(b, cfg->interpreter);
	else
		jbuf_add(b, "null", 4);
	jbuf_add(b, "}", 1);
}
