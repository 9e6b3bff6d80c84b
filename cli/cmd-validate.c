/*
 * validate: check an ecosystem file without a daemon, for editors, CI
 * and the moment before `procman start`.  It reports every error at
 * once, as start would, and the names of the apps it found.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "ecosystem.h"
#include "output.h"

static int	cmd_validate_exec(struct cmd_ctx *);

const struct cmd_entry cmd_validate_entry = {
	.name = "validate",
	.shortopts = "",
	.usage = "file",
	.doc =
	    "Check an ecosystem file (YAML or JSON) without starting anything.\n"
	    "Prints \"file: ok\" and its apps, or every error as\n"
	    "file:line:column: message and exits 2.",
	.flags = 0,
	.exec = cmd_validate_exec,
};

static int
cmd_validate_exec(struct cmd_ctx *ctx)
{
	struct cmd_args	*args = ctx->args;
	struct eco_file	*file;
	char		*cause;
	size_t		 i;

	if (args->argc != 1)
		return (cmd_usage_error(ctx->entry, "expected one file"));
	if (eco_load(args->argv[0], NULL, &file, &cause) == -1) {
		output_errors(cause);
		free(cause);
		return (CMD_USAGE);
	}
	printf("%s: ok (%zu app%s", args->argv[0], file->napps,
	    file->napps == 1 ? "" : "s");
	for (i = 0; i < file->napps; i++)
		printf("%s%s", i == 0 ? ": " : ", ", file->apps[i]->name);
	printf(")\n");
	eco_file_free(file);
	return (CMD_OK);
}
