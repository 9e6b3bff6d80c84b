/*
 * list: the process table, one row per proc.  "ls" and "status" are the
 * names PM2 and supervisorctl users reach for, so both are aliases.
 */
#include <stddef.h>

#include "cmd.h"

static int	cmd_list_exec(struct cmd_ctx *);

static const struct option cmd_list_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 }
};

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.alias = { "ls", "status", NULL },
	.shortopts = "",
	.longopts = cmd_list_options,
	.usage = "[--json]",
	.doc =
	    "Show every process: id, name, instance, pid, status, restarts,\n"
	    "uptime, cpu and memory.  With --json, print the same JSON array\n"
	    "as procman jlist.",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_list_exec,
};

static int
cmd_list_exec(struct cmd_ctx *ctx)
{
	if (ctx->args->argc != 0)
		return (cmd_usage_error(ctx->entry, "unexpected argument \"%s\"",
		    ctx->args->argv[0]));
	if (cmd_connect(ctx) != 0)
		return (CMD_FAILED);
	return (cmd_show_list(ctx, cmd_has(ctx->args, 'j')));
}
