/*
 * start: start the apps of an ecosystem file, or one ad-hoc app from a
 * command line, then show the table as PM2 does.
 *
 * Everything the CLI can check is checked before the daemon is touched:
 * the file is loaded and every script resolved here, so a typo never
 * starts half an ecosystem.  The daemon re-validates the configs anyway.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "ecosystem.h"
#include "output.h"
#include "units.h"
#include "util.h"
#include "xmalloc.h"

static int	cmd_start_exec(struct cmd_ctx *);

static const struct option cmd_start_options[] = {
	{ "only", required_argument, NULL, 'o' },
	{ "env", required_argument, NULL, 'e' },
	{ "name", required_argument, NULL, 'n' },
	{ "instances", required_argument, NULL, 'i' },
	{ "max-memory-restart", required_argument, NULL, 'm' },
	{ "interpreter", required_argument, NULL, 'I' },
	{ "cwd", required_argument, NULL, 'c' },
	{ "no-autorestart", no_argument, NULL, 'A' },
	{ NULL, 0, NULL, 0 }
};

/* The options that only make sense for an ad-hoc command. */
static const struct {
	int		 val;
	const char	*name;
} cmd_start_adhoc[] = {
	{ 'n', "--name" },
	{ 'i', "-i" },
	{ 'm', "--max-memory-restart" },
	{ 'I', "--interpreter" },
	{ 'c', "--cwd" },
	{ 'A', "--no-autorestart" },
};

const struct cmd_entry cmd_start_entry = {
	.name = "start",
	.shortopts = "i:",
	.longopts = cmd_start_options,
	.usage = "file.yaml [--only names] [--env name] | "
	    "command [arg ...] [--name name] [-i count] "
	    "[--max-memory-restart size] [--interpreter prog] [--cwd dir] "
	    "[--no-autorestart]",
	.doc =
	    "Start the apps of an ecosystem file (.yaml, .yml or .json), or\n"
	    "one app running command.  Apps already running are left alone.\n"
	    "--only a,b starts only those apps of the file; --env production\n"
	    "merges env_production over env.  An ad-hoc app is named after\n"
	    "its command unless --name is given; -i runs several instances\n"
	    "(a number, or max for one per CPU).  Put arguments for the app\n"
	    "that look like options after --:\n"
	    "    procman start ./server --name api -- --port 8080",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_start_exec,
};

/* An app name from a command: its base name without extension, with
   every character outside the valid set replaced. */
static char *
cmd_start_name(const char *cmd)
{
	const char	*base = strrchr(cmd, '/');
	char		*name, *dot, *p;

	base = base != NULL ? base + 1 : cmd;
	name = xstrndup(base, ECO_NAME_MAX);
	if ((dot = strrchr(name, '.')) != NULL && dot != name)
		*dot = '\0';
	for (p = name; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' &&
		    *p != '-')
			*p = '_';
	}
	if (!eco_name_valid(name)) {
		free(name);
		name = xstrdup("app");
	}
	return (name);
}

static int
cmd_start_instances(const char *arg, int *out)
{
	long long	 n;
	long		 cpus;

	if (strcmp(arg, "max") == 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		*out = cpus > 0 ? (int)cpus : 1;
		return (0);
	}
	if (!util_parse_ll(arg, &n) || n < 1 || n > INT_MAX)
		return (-1);
	*out = (int)n;
	return (0);
}

/* Fill in an ad-hoc config from the command line; exit status or 0. */
static int
cmd_start_fill(struct cmd_ctx *ctx, struct app_config *cfg)
{
	struct cmd_args	*args = ctx->args;
	const char	*v, *reason;
	char		 dir[PATH_MAX];
	struct stat	 sb;
	int		 i;

	free(cfg->script);
	cfg->script = xstrdup(args->argv[0]);
	for (i = 0; cfg->args != NULL && cfg->args[i] != NULL; i++)
		free(cfg->args[i]);
	free(cfg->args);
	cfg->args = xcalloc((size_t)args->argc, sizeof *cfg->args);
	for (i = 1; i < args->argc; i++)
		cfg->args[i - 1] = xstrdup(args->argv[i]);
	cfg->nargs = (size_t)args->argc - 1;

	if ((v = cmd_get(args, 'i')) != NULL &&
	    cmd_start_instances(v, &cfg->instances) == -1)
		return (cmd_usage_error(ctx->entry, "-i: expected a number "
		    "from 1 up or max, got \"%s\"", v));
	if ((v = cmd_get(args, 'm')) != NULL &&
	    units_parse_size(v, &cfg->max_memory_restart, &reason) == -1)
		return (cmd_usage_error(ctx->entry, "--max-memory-restart "
		    "\"%s\": %s", v, reason));
	if ((v = cmd_get(args, 'I')) != NULL) {
		free(cfg->interpreter);
		cfg->interpreter = xstrdup(v);
	}
	if (cmd_has(args, 'A'))
		cfg->autorestart = false;

	v = cmd_get(args, 'c');
	if (v != NULL ? realpath(v, dir) == NULL :
	    getcwd(dir, sizeof dir) == NULL) {
		output_error("%s%s%s: %s", v != NULL ? "--cwd \"" : "",
		    v != NULL ? v : "current directory", v != NULL ? "\"" : "",
		    strerror(errno));
		return (CMD_FAILED);
	}
	if (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		output_error("--cwd \"%s\": not a directory",
		    v != NULL ? v : dir);
		return (CMD_FAILED);
	}
	free(cfg->cwd);
	cfg->cwd = xstrdup(dir);
	return (0);
}

/* `procman start CMD ...`: one app; adds it to apps. */
static int
cmd_start_adhoc_app(struct cmd_ctx *ctx, cJSON *apps)
{
	struct cmd_args		*args = ctx->args;
	struct app_config	*cfg;
	const char		*given = cmd_get(args, 'n');
	char			*name, *cause;
	int			 r;

	if (cmd_has(args, 'o') || cmd_has(args, 'e'))
		return (cmd_usage_error(ctx->entry, "%s applies to an "
		    "ecosystem file, not to a command",
		    cmd_has(args, 'o') ? "--only" : "--env"));
	if (given != NULL && !eco_name_valid(given)) {
		output_error("invalid app name \"%s\": use 1 to %d letters, "
		    "digits, '.', '_' or '-'", given, ECO_NAME_MAX);
		return (CMD_USAGE);
	}
	name = given != NULL ? xstrdup(given) : cmd_start_name(args->argv[0]);
	cfg = eco_config_new(name);
	free(name);
	if ((r = cmd_start_fill(ctx, cfg)) != 0)
		goto out;
	if (eco_resolve(cfg, &cause) == -1) {
		output_error("app \"%s\": %s", cfg->name, cause);
		free(cause);
		r = CMD_FAILED;
		goto out;
	}
	cJSON_AddItemToArray(apps, eco_config_to_json(cfg));
out:
	eco_config_free(cfg);
	return (r);
}

/* Is name in the comma-separated list? */
static bool
cmd_start_listed(const char *list, const char *name)
{
	const char	*p = list, *end;
	size_t		 len = strlen(name);

	for (;;) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) == len && strncmp(p, name, len) == 0)
			return (true);
		if (*end == '\0')
			return (false);
		p = end + 1;
	}
}

/* Every name in --only must be in the file: a typo must not pass as
   "nothing to start". */
static int
cmd_start_check_only(struct cmd_ctx *ctx, const struct eco_file *file,
    const char *only)
{
	char	*copy, *p, *word;
	size_t	 i, n = 0;
	int	 r = 0;

	copy = p = xstrdup(only);
	while (r == 0 && (word = strsep(&p, ",")) != NULL) {
		if (*word == '\0')
			continue;
		n++;
		for (i = 0; i < file->napps; i++) {
			if (strcmp(file->apps[i]->name, word) == 0)
				break;
		}
		if (i == file->napps) {
			output_error("--only: no app \"%s\" in %s", word,
			    ctx->args->argv[0]);
			r = CMD_USAGE;
		}
	}
	free(copy);
	if (r == 0 && n == 0)
		r = cmd_usage_error(ctx->entry, "--only: no app names given");
	return (r);
}

/* `procman start FILE`: its apps (or those in --only); adds to apps. */
static int
cmd_start_file_apps(struct cmd_ctx *ctx, cJSON *apps)
{
	struct cmd_args		*args = ctx->args;
	struct eco_file		*file;
	struct app_config	*cfg;
	const char		*only = cmd_get(args, 'o');
	char			*cause;
	size_t			 i, k;
	int			 r = 0;

	for (k = 0; k < sizeof cmd_start_adhoc / sizeof *cmd_start_adhoc;
	    k++) {
		if (cmd_has(args, cmd_start_adhoc[k].val))
			return (cmd_usage_error(ctx->entry, "%s applies to a "
			    "command; set it in the ecosystem file",
			    cmd_start_adhoc[k].name));
	}
	if (args->argc > 1)
		return (cmd_usage_error(ctx->entry, "an ecosystem file takes "
		    "no arguments, got \"%s\"", args->argv[1]));

	if (eco_load(args->argv[0], cmd_get(args, 'e'), &file, &cause) == -1) {
		output_errors(cause);
		free(cause);
		return (CMD_USAGE);
	}
	if (only != NULL && (r = cmd_start_check_only(ctx, file, only)) != 0)
		goto out;
	/* Resolve them all, so that every bad script is reported at once. */
	for (i = 0; i < file->napps; i++) {
		cfg = file->apps[i];
		if (only != NULL && !cmd_start_listed(only, cfg->name))
			continue;
		if (eco_resolve(cfg, &cause) == -1) {
			output_error("app \"%s\": %s", cfg->name, cause);
			free(cause);
			r = CMD_FAILED;
			continue;
		}
		cJSON_AddItemToArray(apps, eco_config_to_json(cfg));
	}
out:
	eco_file_free(file);
	return (r);
}

/* Tell which apps were left alone: the table alone would not say. */
static void
cmd_start_already(const cJSON *reply)
{
	const cJSON	*already, *name;

	already = cJSON_GetObjectItemCaseSensitive(reply, "already");
	cJSON_ArrayForEach(name, already) {
		if (cJSON_IsString(name))
			printf("app \"%s\" is already running; left alone\n",
			    name->valuestring);
	}
}

static int
cmd_start_exec(struct cmd_ctx *ctx)
{
	struct cmd_args	*args = ctx->args;
	cJSON		*req, *reply = NULL, *apps;
	char		*cause = NULL;
	int		 r, status;

	if (args->argc == 0 || *args->argv[0] == '\0')
		return (cmd_usage_error(ctx->entry, "start what? give an "
		    "ecosystem file or a command"));

	req = client_request(ctx->client, "start");
	apps = cJSON_AddArrayToObject(req, "apps");
	if (cmd_is_ecofile(args->argv[0], false))
		r = cmd_start_file_apps(ctx, apps);
	else
		r = cmd_start_adhoc_app(ctx, apps);
	if (r != 0 || cmd_connect(ctx) != 0) {
		cJSON_Delete(req);
		return (r != 0 ? r : CMD_FAILED);
	}

	r = client_call(ctx->client, req, &reply, &cause);
	cJSON_Delete(req);
	if (r == -1) {
		output_error("%s", cause);
		free(cause);
		return (CMD_FAILED);
	}
	if (r == 0)
		cmd_start_already(reply);
	cJSON_Delete(reply);
	/* Show what did start even when some app failed. */
	status = cmd_show_list(ctx, false);
	if (r == 1) {
		output_error("%s", cause);
		free(cause);
		return (CMD_FAILED);
	}
	return (status);
}
