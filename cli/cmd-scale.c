/*
 * scale: change an app's instance count.  Scaling to 0 is refused: that
 * is `procman stop`, and an app with no instances would be a confusing
 * thing to leave in the list.
 */
#include <limits.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "ecosystem.h"
#include "output.h"
#include "util.h"

static int	cmd_scale_exec(struct cmd_ctx *);

const struct cmd_entry cmd_scale_entry = {
	.name = "scale",
	.shortopts = "",
	.usage = "name count",
	.doc =
	    "Run count instances of the app (at least 1): start the missing\n"
	    "ones or stop the highest-numbered extras.",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_scale_exec,
};

static int
cmd_scale_exec(struct cmd_ctx *ctx)
{
	struct cmd_args	*args = ctx->args;
	cJSON		*req;
	long long	 n;
	int		 r;

	if (args->argc != 2)
		return (cmd_usage_error(ctx->entry, "expected an app name and "
		    "an instance count"));
	if (!eco_name_valid(args->argv[0]))
		return (cmd_usage_error(ctx->entry, "invalid app name \"%s\"",
		    args->argv[0]));
	if (!util_parse_ll(args->argv[1], &n) || n > INT_MAX)
		return (cmd_usage_error(ctx->entry, "instance count \"%s\" is "
		    "not a number from 1 up", args->argv[1]));
	if (n == 0)
		return (cmd_usage_error(ctx->entry, "cannot scale \"%s\" to 0; "
		    "use procman stop %s", args->argv[0], args->argv[0]));

	if (cmd_connect(ctx) != 0)
		return (CMD_FAILED);
	req = client_request(ctx->client, "scale");
	cJSON_AddStringToObject(req, "name", args->argv[0]);
	cJSON_AddNumberToObject(req, "instances", (double)n);
	r = cmd_call(ctx, req, NULL);
	cJSON_Delete(req);
	if (r != 0)
		return (CMD_FAILED);
	return (cmd_show_list(ctx, false));
}
