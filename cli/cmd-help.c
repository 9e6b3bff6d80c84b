/*
 * help: the commands and their usage, from the same table and usage
 * strings as procman(1), so the two cannot drift apart.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "output.h"

static int	cmd_help_exec(struct cmd_ctx *);

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.shortopts = "",
	.usage = "[command]",
	.doc = "List the commands, or show how to use one.",
	.flags = 0,
	.exec = cmd_help_exec,
};

static int
cmd_help_exec(struct cmd_ctx *ctx)
{
	const struct cmd_entry	*entry;
	char			*cause;

	if (ctx->args->argc == 0) {
		cmd_print_list(stdout);
		return (CMD_OK);
	}
	if (ctx->args->argc > 1)
		return (cmd_usage_error(ctx->entry, "one command at a time"));
	if ((entry = cmd_find(ctx->args->argv[0], &cause)) == NULL) {
		output_error("%s", cause);
		free(cause);
		return (CMD_USAGE);
	}
	cmd_print_help(entry, stdout);
	return (CMD_OK);
}
