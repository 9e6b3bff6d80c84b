/*
 * save: write the apps procmand runs to $PROCMAN_HOME/dump.json, for
 * `procman resurrect` (at boot, through the unit of `procman startup`).
 *
 * Each app is saved with its config in the daemon's wire form and the
 * state it should come back in: "online" unless every instance of it is
 * stopped.  The file is replaced atomically, so a crash while saving
 * leaves the previous dump.  Saving nothing over a dump is almost always
 * a mistake (the daemon was just restarted empty), so it needs --force.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "output.h"
#include "paths.h"
#include "util.h"
#include "xmalloc.h"

#define DUMP_VERSION	1

static int	cmd_save_exec(struct cmd_ctx *);

static const struct option cmd_save_options[] = {
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 }
};

const struct cmd_entry cmd_save_entry = {
	.name = "save",
	.shortopts = "",
	.longopts = cmd_save_options,
	.usage = "[--force]",
	.doc =
	    "Write every app procmand runs, with its configuration and\n"
	    "whether it is stopped, to $PROCMAN_HOME/dump.json for procman\n"
	    "resurrect.\n"
	    "With no apps, the dump is only replaced with --force.",
	.flags = 0,
	.exec = cmd_save_exec,
};

/* The app entry of dump for name, added (from proc's config) if new. */
static cJSON *
cmd_save_app(cJSON *apps, const cJSON *proc)
{
	const cJSON	*name, *config, *have;
	cJSON		*app;

	name = cJSON_GetObjectItemCaseSensitive(proc, "name");
	config = cJSON_GetObjectItemCaseSensitive(proc, "config");
	if (!cJSON_IsString(name) || !cJSON_IsObject(config))
		return (NULL);
	cJSON_ArrayForEach(app, apps) {
		have = cJSON_GetObjectItemCaseSensitive(app, "config");
		have = cJSON_GetObjectItemCaseSensitive(have, "name");
		if (cJSON_IsString(have) &&
		    strcmp(have->valuestring, name->valuestring) == 0)
			return (app);
	}
	app = cJSON_CreateObject();
	cJSON_AddItemToObject(app, "config", cJSON_Duplicate(config, 1));
	cJSON_AddStringToObject(app, "state", "stopped");
	cJSON_AddItemToArray(apps, app);
	return (app);
}

/* Build the dump from the daemon's describe objects; a new tree. */
static cJSON *
cmd_save_dump(const cJSON *procs, int *napps)
{
	const cJSON	*p, *status;
	cJSON		*dump, *apps, *app;

	dump = cJSON_CreateObject();
	cJSON_AddNumberToObject(dump, "version", DUMP_VERSION);
	cJSON_AddNumberToObject(dump, "saved_at", (double)util_wall_ms());
	apps = cJSON_AddArrayToObject(dump, "apps");
	cJSON_ArrayForEach(p, procs) {
		if ((app = cmd_save_app(apps, p)) == NULL)
			continue;
		status = cJSON_GetObjectItemCaseSensitive(p, "status");
		if (!cJSON_IsString(status) ||
		    strcmp(status->valuestring, "stopped") != 0)
			cJSON_ReplaceItemInObjectCaseSensitive(app, "state",
			    cJSON_CreateString("online"));
	}
	*napps = cJSON_GetArraySize(apps);
	return (dump);
}

static int
cmd_save_exec(struct cmd_ctx *ctx)
{
	cJSON		*req, *reply, *dump;
	const cJSON	*procs;
	char		*path, *text;
	int		 r, napps;

	if (ctx->args->argc != 0)
		return (cmd_usage_error(ctx->entry,
		    "unexpected argument \"%s\"", ctx->args->argv[0]));
	if ((r = cmd_connect(ctx)) == -1)
		return (CMD_FAILED);
	if (r == 1) {
		output_error("procmand is not running: nothing to save");
		return (CMD_FAILED);
	}
	req = client_request(ctx->client, "describe");
	cJSON_AddStringToObject(req, "target", "all");
	r = cmd_call_procs(ctx, req, &reply, &procs);
	cJSON_Delete(req);
	if (r != 0)
		return (r);
	dump = cmd_save_dump(procs, &napps);
	cJSON_Delete(reply);
	path = xprintf("%s/dump.json", paths_home());
	if (napps == 0 && !cmd_has(ctx->args, 'f')) {
		output_error("no apps to save; procman save --force writes an "
		    "empty %s", path);
		r = CMD_FAILED;
		goto out;
	}
	text = cJSON_Print(dump);
	r = util_write_file_atomic(path, text, strlen(text), 0600);
	cJSON_free(text);
	if (r == -1) {
		output_error("cannot write %s: %s", path, strerror(errno));
		r = CMD_FAILED;
		goto out;
	}
	printf("saved %d app%s to %s\n", napps, napps == 1 ? "" : "s", path);
	r = CMD_OK;
out:
	free(path);
	cJSON_Delete(dump);
	return (r);
}
