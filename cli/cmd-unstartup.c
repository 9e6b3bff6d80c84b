/*
 * unstartup: print the commands that remove the unit of `procman
 * startup`.  Like startup it changes nothing itself: removing a boot
 * service is for the user (or root) to do knowingly.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "output.h"
#include "xmalloc.h"

static int	cmd_unstartup_exec(struct cmd_ctx *);

static const struct option cmd_unstartup_options[] = {
	{ "user", no_argument, NULL, 'u' },
	{ NULL, 0, NULL, 0 }
};

const struct cmd_entry cmd_unstartup_entry = {
	.name = "unstartup",
	.shortopts = "",
	.longopts = cmd_unstartup_options,
	.usage = "[systemd] [--user]",
	.doc =
	    "Print the commands that remove the systemd unit of procman\n"
	    "startup (with --user, of procman startup --user).",
	.flags = 0,
	.exec = cmd_unstartup_exec,
};

static int
cmd_unstartup_exec(struct cmd_ctx *ctx)
{
	struct passwd	*pw;
	bool		 user = cmd_has(ctx->args, 'u');

	if (ctx->args->argc > 1)
		return (cmd_usage_error(ctx->entry,
		    "unexpected argument \"%s\"", ctx->args->argv[1]));
	if (ctx->args->argc == 1 && strcmp(ctx->args->argv[0], "systemd") != 0)
		return (cmd_usage_error(ctx->entry,
		    "only systemd is supported, not \"%s\"",
		    ctx->args->argv[0]));
	if ((pw = getpwuid(getuid())) == NULL) {
		output_error("who am I? uid %ld has no passwd entry",
		    (long)getuid());
		return (CMD_FAILED);
	}
	printf("# Stopping the unit stops procmand and every app; run\n"
	    "# `procman save` first to bring them back later.\n");
	if (user)
		printf("systemctl --user disable --now procman.service\n"
		    "rm ~/.config/systemd/user/procman.service\n"
		    "systemctl --user daemon-reload\n");
	else
		printf("sudo systemctl disable --now procman-%s.service\n"
		    "sudo rm /etc/systemd/system/procman-%s.service\n"
		    "sudo systemctl daemon-reload\n", pw->pw_name,
		    pw->pw_name);
	return (CMD_OK);
}
