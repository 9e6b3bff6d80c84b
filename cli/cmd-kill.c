/*
 * kill: stop every app and the daemon.  It returns only once the daemon
 * has gone, so that `procman kill; procman start ...` never talks to a
 * dying daemon.  With no daemon running there is nothing to do, which is
 * success: kill is what cleanup scripts and traps call.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "output.h"

static int	cmd_kill_exec(struct cmd_ctx *);

const struct cmd_entry cmd_kill_entry = {
	.name = "kill",
	.shortopts = "",
	.usage = "",
	.doc =
	    "Stop every app, then procmand itself; return once it has exited.\n"
	    "Without a running daemon, say so and succeed.",
	.flags = 0,
	.exec = cmd_kill_exec,
};

static int
cmd_kill_exec(struct cmd_ctx *ctx)
{
	cJSON		*reply = NULL;
	const cJSON	*v;
	char		*cause;
	long		 pid = 0;
	int		 r;

	if (ctx->args->argc != 0)
		return (cmd_usage_error(ctx->entry, "unexpected argument \"%s\"",
		    ctx->args->argv[0]));
	if ((r = cmd_connect(ctx)) == -1)
		return (CMD_FAILED);
	if (r == 1) {
		printf("procmand is not running\n");
		return (CMD_OK);
	}

	/* Its pid, to wait for the process and not only for the socket. */
	if (client_simple(ctx->client, "ping", &reply, &cause) == 0) {
		v = cJSON_GetObjectItemCaseSensitive(reply, "pid");
		if (cJSON_IsNumber(v))
			pid = (long)v->valuedouble;
	} else
		free(cause);
	cJSON_Delete(reply);

	if (client_simple(ctx->client, "kill", NULL, &cause) != 0) {
		output_error("%s", cause);
		free(cause);
		return (CMD_FAILED);
	}
	client_close(ctx->client);
	if (client_wait_gone(pid) == -1) {
		output_error("procmand (pid %ld) is still running after 30 s",
		    pid);
		return (CMD_FAILED);
	}
	printf("procmand stopped\n");
	return (CMD_OK);
}
