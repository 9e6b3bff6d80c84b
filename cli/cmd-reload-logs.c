/*
 * reload-logs: make procmand reopen every log file, after an external
 * logrotate has renamed them (the same as SIGUSR2 to procmand).
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "output.h"

static int	cmd_reload_logs_exec(struct cmd_ctx *);

const struct cmd_entry cmd_reload_logs_entry = {
	.name = "reload-logs",
	.shortopts = "",
	.usage = "",
	.doc =
	    "Reopen every log file by its name, for an external logrotate\n"
	    "(\"copytruncate\" is not needed).  SIGUSR2 to procmand does the\n"
	    "same.",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_reload_logs_exec,
};

static int
cmd_reload_logs_exec(struct cmd_ctx *ctx)
{
	char	*cause;

	if (ctx->args->argc != 0)
		return (cmd_usage_error(ctx->entry, "unexpected argument \"%s\"",
		    ctx->args->argv[0]));
	if (cmd_connect(ctx) != 0)
		return (CMD_FAILED);
	if (client_simple(ctx->client, "reload-logs", NULL, &cause) != 0) {
		output_error("%s", cause);
		free(cause);
		return (CMD_FAILED);
	}
	printf("log files reopened\n");
	return (CMD_OK);
}
