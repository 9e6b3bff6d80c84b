/*
 * restart: stop then start apps again, counting a restart.  The daemon
 * replies once each is online again, so `procman restart api && curl ...`
 * works.
 */
#include <stddef.h>

#include "cmd.h"

static int	cmd_restart_exec(struct cmd_ctx *);

const struct cmd_entry cmd_restart_entry = {
	.name = "restart",
	.shortopts = "",
	.usage = "name|id|all|file",
	.doc =
	    "Restart the target's processes (a stopped one is started again).\n"
	    "The target is an app name, a process id, all, or an ecosystem\n"
	    "file (meaning its apps).",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_restart_exec,
};

static int
cmd_restart_exec(struct cmd_ctx *ctx)
{
	return (cmd_target_exec(ctx, "restart"));
}
