/*
 * delete: stop apps and forget them.  PM2 users type "del", which the
 * unambiguous-prefix lookup already accepts, so no alias.
 */
#include <stddef.h>

#include "cmd.h"

static int	cmd_delete_exec(struct cmd_ctx *);

const struct cmd_entry cmd_delete_entry = {
	.name = "delete",
	.shortopts = "",
	.usage = "name|id|all|file",
	.doc =
	    "Stop the target's processes and remove them from the list.\n"
	    "The target is an app name, a process id, all, or an ecosystem\n"
	    "file (meaning its apps).",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_delete_exec,
};

static int
cmd_delete_exec(struct cmd_ctx *ctx)
{
	return (cmd_target_exec(ctx, "delete"));
}
