/*
 * update: make procmand re-execute its installed binary (after an
 * upgrade of procman) without stopping any app: same daemon pid, same
 * app pids, same log pipes.  The reply comes from the new image, so
 * success means the new binary runs.  With no daemon running there is
 * nothing to update, which is success.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "output.h"

static int	cmd_update_exec(struct cmd_ctx *);

const struct cmd_entry cmd_update_entry = {
	.name = "update",
	.shortopts = "",
	.usage = "",
	.doc =
	    "Make procmand re-execute its installed binary, keeping every app\n"
	    "running with the same pid and log pipes (after installing a new\n"
	    "procman).  Without a running daemon there is nothing to do.",
	.flags = 0,
	.exec = cmd_update_exec,
};

static const char *
cmd_update_version(const cJSON *reply)
{
	const char	*v;

	v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(reply,
	    "version"));
	return (v != NULL ? v : "?");
}

static int
cmd_update_exec(struct cmd_ctx *ctx)
{
	cJSON	*before = NULL, *after = NULL;
	char	*cause;
	int	 r;

	if (ctx->args->argc != 0)
		return (cmd_usage_error(ctx->entry,
		    "unexpected argument \"%s\"", ctx->args->argv[0]));
	if ((r = cmd_connect(ctx)) == -1)
		return (CMD_FAILED);
	if (r == 1) {
		printf("procmand is not running; nothing to update\n");
		return (CMD_OK);
	}
	if (client_simple(ctx->client, "ping", &before, &cause) != 0) {
		output_error("%s", cause);
		free(cause);
		cJSON_Delete(before);
		return (CMD_FAILED);
	}
	if (client_simple(ctx->client, "update", &after, &cause) != 0) {
		output_error("update failed: %s", cause);
		free(cause);
		cJSON_Delete(before);
		cJSON_Delete(after);
		return (CMD_FAILED);
	}
	printf("procmand updated (pid %.0f): version %s, was %s\n",
	    cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(after,
	    "pid")), cmd_update_version(after), cmd_update_version(before));
	cJSON_Delete(before);
	cJSON_Delete(after);
	/* The new image closed our connection after its reply. */
	client_close(ctx->client);
	if (cmd_connect(ctx) != 0)
		return (CMD_FAILED);
	return (cmd_show_list(ctx, false));
}
