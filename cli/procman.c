/*
 * procman: the command-line client of procmand.
 *
 * main() reads the global options (--version, -h/--help), finds the
 * command, parses its options and runs it.  The daemon is contacted only
 * by the command itself, once its arguments have been checked: a usage
 * error never starts or touches procmand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "cmd.h"
#include "output.h"

static int
procman_usage(void)
{
	fputs("usage: procman [--version] [-h] command [arg ...]\n"
	    "run procman help for the commands\n", stderr);
	return (CMD_USAGE);
}

int
main(int argc, char **argv)
{
	const struct cmd_entry	*entry;
	struct cmd_args		 args;
	struct cmd_ctx		 ctx;
	struct client		 client;
	char			*cause = NULL;
	bool			 help;
	int			 i, status;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("procman %s\n", PROCMAN_VERSION);
			return (CMD_OK);
		}
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			cmd_print_list(stdout);
			return (CMD_OK);
		}
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		output_error("unknown option %s", argv[i]);
		return (procman_usage());
	}
	if (i == argc) {
		cmd_print_list(stderr);
		return (CMD_USAGE);
	}

	if ((entry = cmd_find(argv[i], &cause)) == NULL) {
		output_error("%s", cause);
		free(cause);
		return (CMD_USAGE);
	}
	if (cmd_parse(entry, argc - i, argv + i, &args, &help, &cause) == -1) {
		status = cmd_usage_error(entry, "%s", cause);
		free(cause);
		return (status);
	}
	if (help) {
		cmd_print_help(entry, stdout);
		return (CMD_OK);
	}

	client_init(&client);
	ctx.entry = entry;
	ctx.args = &args;
	ctx.client = &client;
	status = entry->exec(&ctx);
	client_close(&client);
	fflush(stdout);
	return (status);
}
