/*
 * jlist: the process list as one line of JSON, for scripts; the objects
 * are exactly the daemon's (see the contract's jlist fields).
 */
#include <stddef.h>

#include "cmd.h"

static int	cmd_jlist_exec(struct cmd_ctx *);

const struct cmd_entry cmd_jlist_entry = {
	.name = "jlist",
	.shortopts = "",
	.usage = "",
	.doc =
	    "Print the process list as a JSON array on one line, one object\n"
	    "per process (the fields are listed in procman(1)).",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_jlist_exec,
};

static int
cmd_jlist_exec(struct cmd_ctx *ctx)
{
	if (ctx->args->argc != 0)
		return (cmd_usage_error(ctx->entry, "unexpected argument \"%s\"",
		    ctx->args->argv[0]));
	if (cmd_connect(ctx) != 0)
		return (CMD_FAILED);
	return (cmd_show_list(ctx, true));
}
