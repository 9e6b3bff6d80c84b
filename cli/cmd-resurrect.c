/*
 * resurrect: start the apps of $PROCMAN_HOME/dump.json (procman save)
 * that are not running.  Apps already running are left alone, so it is
 * safe to run again, and at boot after a daemon that restored its own
 * state.  Apps saved as stopped are not started.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "output.h"
#include "paths.h"
#include "xmalloc.h"

#define DUMP_MAX_SIZE	(64 * 1024 * 1024)

static int	cmd_resurrect_exec(struct cmd_ctx *);

const struct cmd_entry cmd_resurrect_entry = {
	.name = "resurrect",
	.shortopts = "",
	.usage = "",
	.doc =
	    "Start the apps saved in $PROCMAN_HOME/dump.json by procman save\n"
	    "that are not running; apps saved as stopped stay stopped.",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_resurrect_exec,
};

/* Read and parse the dump; NULL after printing why. */
static cJSON *
cmd_resurrect_load(const char *path)
{
	FILE		*f;
	char		*buf;
	size_t		 len;
	cJSON		*dump;
	const cJSON	*apps;

	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			output_error("no %s: run procman save first", path);
		else
			output_error("cannot open %s: %s", path,
			    strerror(errno));
		return (NULL);
	}
	buf = xmalloc(DUMP_MAX_SIZE + 1);
	len = fread(buf, 1, DUMP_MAX_SIZE + 1, f);
	fclose(f);
	if (len > DUMP_MAX_SIZE) {
		output_error("%s: larger than %d bytes", path, DUMP_MAX_SIZE);
		free(buf);
		return (NULL);
	}
	dump = cJSON_ParseWithLength(buf, len);
	free(buf);
	apps = cJSON_GetObjectItemCaseSensitive(dump, "apps");
	if (dump == NULL || !cJSON_IsArray(apps)) {
		output_error("%s: not a procman dump (truncated or corrupt?)",
		    path);
		cJSON_Delete(dump);
		return (NULL);
	}
	return (dump);
}

/* The configs of the dump's apps to start, into the request's apps. */
static int
cmd_resurrect_apps(const cJSON *dump, cJSON *apps)
{
	const cJSON	*app, *config, *state, *name;
	int		 n = 0;

	cJSON_ArrayForEach(app, cJSON_GetObjectItemCaseSensitive(dump,
	    "apps")) {
		config = cJSON_GetObjectItemCaseSensitive(app, "config");
		state = cJSON_GetObjectItemCaseSensitive(app, "state");
		name = cJSON_GetObjectItemCaseSensitive(config, "name");
		if (!cJSON_IsObject(config) || !cJSON_IsString(name))
			continue;
		if (cJSON_IsString(state) &&
		    strcmp(state->valuestring, "stopped") == 0) {
			printf("app \"%s\" was saved stopped; left alone\n",
			    name->valuestring);
			continue;
		}
		cJSON_AddItemToArray(apps, cJSON_Duplicate(config, 1));
		n++;
	}
	return (n);
}

static int
cmd_resurrect_exec(struct cmd_ctx *ctx)
{
	cJSON		*dump, *req, *reply = NULL, *apps;
	const cJSON	*name;
	char		*path, *cause;
	int		 r, status;

	if (ctx->args->argc != 0)
		return (cmd_usage_error(ctx->entry,
		    "unexpected argument \"%s\"", ctx->args->argv[0]));
	/* The dump first: without one, do not start a daemon for nothing. */
	if (paths_init(1, &cause) == -1) {
		output_error("%s", cause);
		free(cause);
		return (CMD_FAILED);
	}
	path = xprintf("%s/dump.json", paths_home());
	dump = cmd_resurrect_load(path);
	free(path);
	if (dump == NULL)
		return (CMD_FAILED);
	if (cmd_connect(ctx) != 0) {
		cJSON_Delete(dump);
		return (CMD_FAILED);
	}
	req = client_request(ctx->client, "start");
	apps = cJSON_AddArrayToObject(req, "apps");
	if (cmd_resurrect_apps(dump, apps) == 0) {
		cJSON_Delete(req);
		cJSON_Delete(dump);
		printf("nothing to resurrect\n");
		return (cmd_show_list(ctx, false));
	}
	cJSON_Delete(dump);
	r = client_call(ctx->client, req, &reply, &cause);
	cJSON_Delete(req);
	if (r == -1) {
		output_error("%s", cause);
		free(cause);
		return (CMD_FAILED);
	}
	if (r == 0)
		cJSON_ArrayForEach(name, cJSON_GetObjectItemCaseSensitive(
		    reply, "already"))
			if (cJSON_IsString(name))
				printf("app \"%s\" is already running; left "
				    "alone\n", name->valuestring);
	cJSON_Delete(reply);
	status = cmd_show_list(ctx, false);
	if (r == 1) {
		output_error("%s", cause);
		free(cause);
		return (CMD_FAILED);
	}
	return (status);
}
