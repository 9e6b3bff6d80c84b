/*
 * flush: empty the target's log files.  The daemon truncates them,
 * because it holds them open: a file removed or truncated behind its
 * back would keep growing from the old offset (O_APPEND aside) or live
 * on unlinked.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "output.h"

static int	cmd_flush_exec(struct cmd_ctx *);

const struct cmd_entry cmd_flush_entry = {
	.name = "flush",
	.shortopts = "",
	.usage = "[name|id|all|file]",
	.doc =
	    "Empty the log files of the target's processes (of every app\n"
	    "when no target is given).  Rotated files are left alone.",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_flush_exec,
};

static int
cmd_flush_exec(struct cmd_ctx *ctx)
{
	struct cmd_args	*args = ctx->args;
	const char	*target = "all";
	cJSON		*req, *reply;
	const cJSON	*procs;
	int		 r;

	if (args->argc > 1)
		return (cmd_usage_error(ctx->entry, "one target at a time, "
		    "got \"%s\" and \"%s\"", args->argv[0], args->argv[1]));
	if (args->argc == 1)
		target = args->argv[0];
	if (*target == '\0')
		return (cmd_usage_error(ctx->entry, "empty target"));
	req = client_request(ctx->client, "flush");
	if (!cmd_is_ecofile(target, true))
		cJSON_AddStringToObject(req, "target", target);
	else if (cmd_target_names(target, req) == -1) {
		cJSON_Delete(req);
		return (CMD_USAGE);
	}
	if (cmd_connect(ctx) != 0) {
		cJSON_Delete(req);
		return (CMD_FAILED);
	}
	r = cmd_call(ctx, req, &reply);
	cJSON_Delete(req);
	if (r != 0)
		return (CMD_FAILED);
	procs = cJSON_GetObjectItemCaseSensitive(reply, "procs");
	printf("flushed the logs of %d process%s\n", cJSON_GetArraySize(procs),
	    cJSON_GetArraySize(procs) == 1 ? "" : "es");
	cJSON_Delete(reply);
	return (CMD_OK);
}
