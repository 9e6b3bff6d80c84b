/*
 * logs-dispatch: the requests about log files.  `logs` names the files
 * (the CLI reads their past lines itself: it runs as our uid), and
 * `logs-follow` subscribes the connection to the lines that arrive from
 * then on; `flush` empties files and `reload-logs` reopens them, here
 * because only the daemon holds their descriptors.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "daemon.h"
#include "log.h"
#include "proto.h"
#include "xmalloc.h"

/* Resolve the targets or reply with the error; 0 or -1. */
static int
logs_targets(struct conn *c, const cJSON *req, long id, struct targets *t)
{
	char	*cause = NULL;

	if (targets_resolve(req, t, &cause) == 0)
		return 0;
	control_reply(c, proto_reply_error(id, "%s", cause));
	free(cause);
	free(t->ids);
	return -1;
}

static cJSON *
logs_find_file(cJSON *files, const char *path)
{
	cJSON		*f;
	const cJSON	*fp;

	cJSON_ArrayForEach(f, files) {
		fp = cJSON_GetObjectItemCaseSensitive(f, "path");
		if (cJSON_IsString(fp) && strcmp(fp->valuestring, path) == 0)
			return f;
	}
	return NULL;
}

/* One entry per file: a merged file is listed once, for its first proc. */
static void
logs_add_files(cJSON *files, const struct proc *p)
{
	cJSON		*f;
	const char	*inuse;
	char		*path;
	int		 i;

	for (i = 0; i < 2; i++) {
		inuse = logs_path(p, i);
		path = inuse != NULL ? xstrdup(inuse) :
		    proc_log_path(p, logs_stream_name(i));
		if ((f = logs_find_file(files, path)) == NULL) {
			f = cJSON_CreateObject();
			cJSON_AddStringToObject(f, "name", p->app->name);
			if (p->app->config->merge_logs)
				cJSON_AddNullToObject(f, "instance");
			else
				cJSON_AddNumberToObject(f, "instance",
				    p->instance);
			cJSON_AddStringToObject(f, "stream",
			    logs_stream_name(i));
			cJSON_AddStringToObject(f, "path", path);
			cJSON_AddArrayToObject(f, "procs");
			cJSON_AddItemToArray(files, f);
		}
		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(f,
		    "procs"), cJSON_CreateNumber(p->id));
		free(path);
	}
}

void
dispatch_logs(struct conn *c, const cJSON *req, long id)
{
	struct targets	 t;
	struct proc	*p;
	cJSON		*reply, *files;
	size_t		 i;

	if (logs_targets(c, req, id, &t) == -1)
		return;
	reply = proto_reply_ok(id);
	files = cJSON_AddArrayToObject(reply, "files");
	for (i = 0; i < t.n; i++)
		if ((p = registry_find_proc(t.ids[i])) != NULL)
			logs_add_files(files, p);
	free(t.ids);
	control_reply(c, reply);
}

/*
 * Subscribe by what the target names, not by the procs it resolves to
 * now: following an app (or all) should also show instances started
 * later.
 */
void
dispatch_logs_follow(struct conn *c, const cJSON *req, long id)
{
	struct targets	 t;
	const cJSON	*target, *names, *name;
	cJSON		*reply, *ids;
	const char	*s;
	size_t		 i;

	if (logs_targets(c, req, id, &t) == -1)
		return;
	target = cJSON_GetObjectItemCaseSensitive(req, "target");
	names = cJSON_GetObjectItemCaseSensitive(req, "names");
	if (cJSON_IsString(target)) {
		s = target->valuestring;
		if (strcmp(s, "all") == 0)
			control_subscribe(c, "logs", NULL, -1);
		else if (isdigit((unsigned char)s[0]))
			control_subscribe(c, "logs", NULL, t.ids[0]);
		else
			control_subscribe(c, "logs", s, -1);
	} else
		cJSON_ArrayForEach(name, names)
			if (registry_find_app(name->valuestring) != NULL)
				control_subscribe(c, "logs",
				    name->valuestring, -1);
	reply = proto_reply_ok(id);
	ids = cJSON_AddArrayToObject(reply, "procs");
	for (i = 0; i < t.n; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateNumber(t.ids[i]));
	free(t.ids);
	control_reply(c, reply);
}

void
dispatch_flush(struct conn *c, const cJSON *req, long id)
{
	struct targets	 t;
	struct proc	*p;
	cJSON		*reply = NULL, *ids;
	char		*cause;
	size_t		 i;

	if (logs_targets(c, req, id, &t) == -1)
		return;
	for (i = 0; i < t.n && reply == NULL; i++)
		if ((p = registry_find_proc(t.ids[i])) != NULL &&
		    logs_flush(p, &cause) == -1) {
			reply = proto_reply_error(id, "%s", cause);
			free(cause);
		}
	if (reply == NULL)
		reply = proto_reply_ok(id);
	ids = cJSON_AddArrayToObject(reply, "procs");
	for (i = 0; i < t.n; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateNumber(t.ids[i]));
	free(t.ids);
	control_reply(c, reply);
}

void
dispatch_reload_logs(struct conn *c, const cJSON *req, long id)
{
	int	 failed;

	(void)req;
	if ((failed = logs_reopen_all()) > 0)
		control_reply(c, proto_reply_error(id, "cannot reopen %d log "
		    "file%s; see procmand.log", failed, failed > 1 ? "s" : ""));
	else
		control_reply(c, proto_reply_ok(id));
}
