/*
 * startup: print a systemd unit that starts procmand at boot and brings
 * back the apps of `procman save`.  It prints and installs nothing, so
 * that the user sees (and root approves) what goes into /etc.
 *
 * The unit is Type=notify: procmand -f tells systemd it is ready once
 * its socket listens (sdnotify.c), and only then does ExecStartPost run
 * `procman resurrect`; with Type=simple, resurrect could find no daemon
 * yet and start a second one.  KillMode=mixed lets procmand stop its
 * apps itself, each with its own stop_signal and kill_timeout, before
 * systemd kills whatever is left.
 */
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "output.h"
#include "paths.h"
#include "xmalloc.h"

static int	cmd_startup_exec(struct cmd_ctx *);

static const struct option cmd_startup_options[] = {
	{ "user", no_argument, NULL, 'u' },
	{ NULL, 0, NULL, 0 }
};

const struct cmd_entry cmd_startup_entry = {
	.name = "startup",
	.shortopts = "",
	.longopts = cmd_startup_options,
	.usage = "[systemd] [--user]",
	.doc =
	    "Print a systemd unit that starts procmand at boot for this\n"
	    "user and home, then runs procman resurrect; its comments say\n"
	    "how to install it.  With --user, a unit for the user's own\n"
	    "systemd.",
	.flags = 0,
	.exec = cmd_startup_exec,
};

/* Our directory's name for a program, else the bare name (PATH). */
static char *
cmd_startup_prog(const char *name)
{
	char	 self[PATH_MAX], *slash, *path;
	ssize_t	 n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			path = xprintf("%s/%s", self, name);
			if (access(path, X_OK) == 0)
				return (path);
			free(path);
		}
	}
	return (xstrdup(name));
}

/* A word for a systemd command line or assignment: the specifier
   character % doubled, and quoted only when it must be (a quoted
   program after the "-" prefix is not understood by every systemd). */
static void
cmd_startup_quoted(const char *s)
{
	bool	 quote = strpbrk(s, " \t\"'\\;$") != NULL;

	if (quote)
		putchar('"');
	for (; *s != '\0'; s++) {
		if (quote && (*s == '"' || *s == '\\'))
			putchar('\\');
		if (*s == '%')
			putchar('%');
		putchar(*s);
	}
	if (quote)
		putchar('"');
}

static void
cmd_startup_print(bool user, const char *name, const char *unit)
{
	char	*procmand, *procman, *env;

	procmand = cmd_startup_prog("procmand");
	procman = cmd_startup_prog("procman");
	printf("# procman: start procmand at boot and bring back the apps of\n"
	    "# `procman save`.  Install it with:\n#\n");
	if (user)
		printf("#   procman startup --user > "
		    "~/.config/systemd/user/%s\n"
		    "#   systemctl --user daemon-reload\n"
		    "#   systemctl --user enable --now %s\n"
		    "#   loginctl enable-linger %s   # start at boot, not at "
		    "login\n", unit, unit, name);
	else
		printf("#   procman startup > /tmp/%s\n"
		    "#   sudo install -m 644 /tmp/%s /etc/systemd/system/%s\n"
		    "#   sudo systemctl daemon-reload\n"
		    "#   sudo systemctl enable --now %s\n", unit, unit, unit,
		    unit);
	printf("#\n# and run `procman save` whenever the apps to bring back "
	    "change.\n# procman unstartup%s says how to remove it.\n\n",
	    user ? " --user" : "");
	printf("[Unit]\nDescription=procman process supervisor (%s)\n"
	    "Documentation=man:procmand(8) man:procman(1)\n"
	    "After=network.target\n\n[Service]\nType=notify\n", name);
	if (!user)
		printf("User=%s\n", name);
	env = xprintf("PROCMAN_HOME=%s", paths_home());
	printf("Environment=");
	cmd_startup_quoted(env);
	free(env);
	printf("\nExecStart=");
	cmd_startup_quoted(procmand);
	printf(" -f\n# \"-\": no dump yet is not a failure of the unit.\n"
	    "ExecStartPost=-");
	cmd_startup_quoted(procman);
	printf(" resurrect\nKillMode=mixed\nRestart=on-failure\n\n"
	    "[Install]\nWantedBy=%s\n",
	    user ? "default.target" : "multi-user.target");
	free(procmand);
	free(procman);
}

static int
cmd_startup_exec(struct cmd_ctx *ctx)
{
	struct passwd	*pw;
	char		*cause, *unit;
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
	if (paths_init(1, &cause) == -1) {
		output_error("%s", cause);
		free(cause);
		return (CMD_FAILED);
	}
	unit = user ? xstrdup("procman.service") :
	    xprintf("procman-%s.service", pw->pw_name);
	cmd_startup_print(user, pw->pw_name, unit);
	free(unit);
	return (CMD_OK);
}
