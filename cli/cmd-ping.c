/*
 * ping: is procmand running?  Unlike every other daemon command it never
 * starts the daemon, so that scripts and health checks can ask without
 * side effects; the exit status is the answer.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "output.h"

static int	cmd_ping_exec(struct cmd_ctx *);

const struct cmd_entry cmd_ping_entry = {
	.name = "ping",
	.shortopts = "",
	.usage = "",
	.doc =
	    "Report whether procmand is running; exit 0 if it is, 1 if not.\n"
	    "Never starts the daemon.",
	.flags = 0,
	.exec = cmd_ping_exec,
};

static int
cmd_ping_exec(struct cmd_ctx *ctx)
{
	cJSON		*reply;
	const cJSON	*pid;
	char		*cause;
	int		 r;

	if (ctx->args->argc != 0)
		return (cmd_usage_error(ctx->entry, "unexpected argument \"%s\"",
		    ctx->args->argv[0]));
	if ((r = cmd_connect(ctx)) == -1)
		return (CMD_FAILED);
	if (r == 1) {
		printf("procmand is not running\n");
		return (CMD_FAILED);
	}
	if (client_simple(ctx->client, "ping", &reply, &cause) != 0) {
		output_error("%s", cause);
		free(cause);
		cJSON_Delete(reply);
		return (CMD_FAILED);
	}
	pid = cJSON_GetObjectItemCaseSensitive(reply, "pid");
	if (cJSON_IsNumber(pid))
		printf("procmand is running (pid %.0f)\n", pid->valuedouble);
	else
		printf("procmand is running\n");
	cJSON_Delete(reply);
	return (CMD_OK);
}
