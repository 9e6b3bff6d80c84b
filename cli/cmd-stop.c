/*
 * stop: stop apps (SIGTERM or their stop_signal to the whole process
 * group, SIGKILL after kill_timeout) and keep them in the list.
 *
 * No alias: "procman st" is ambiguous with start on purpose, so that a
 * slip of the finger never stops production.
 */
#include <stddef.h>

#include "cmd.h"

static int	cmd_stop_exec(struct cmd_ctx *);

const struct cmd_entry cmd_stop_entry = {
	.name = "stop",
	.shortopts = "",
	.usage = "name|id|all|file",
	.doc =
	    "Stop the target's processes gracefully: stop_signal to each\n"
	    "process group, SIGKILL after kill_timeout.  They stay in the\n"
	    "list as stopped.\n"
	    "The target is an app name, a process id, all, or an ecosystem\n"
	    "file (meaning its apps).",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_stop_exec,
};

static int
cmd_stop_exec(struct cmd_ctx *ctx)
{
	return (cmd_target_exec(ctx, "stop"));
}
