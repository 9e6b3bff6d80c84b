/*
 * cmd: the command table, command lookup and option parsing.
 *
 * Options are parsed with GNU getopt_long in its default permuting mode,
 * as PM2 users expect options after the operands; "--" ends option
 * parsing so that an app may get arguments that look like options.
 * Parsing checks only the shape of the line: a usage error exits 2
 * before the daemon is ever contacted.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "ecosystem.h"
#include "output.h"
#include "paths.h"
#include "xmalloc.h"

#define CMD_HELP_WIDTH	79	/* wrap help lines here */

extern const struct cmd_entry cmd_delete_entry;
extern const struct cmd_entry cmd_describe_entry;
extern const struct cmd_entry cmd_flush_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_jlist_entry;
extern const struct cmd_entry cmd_kill_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_logs_entry;
extern const struct cmd_entry cmd_monit_entry;
extern const struct cmd_entry cmd_optimize_entry;
extern const struct cmd_entry cmd_ping_entry;
extern const struct cmd_entry cmd_reload_logs_entry;
extern const struct cmd_entry cmd_restart_entry;
extern const struct cmd_entry cmd_resurrect_entry;
extern const struct cmd_entry cmd_save_entry;
extern const struct cmd_entry cmd_scale_entry;
extern const struct cmd_entry cmd_start_entry;
extern const struct cmd_entry cmd_startup_entry;
extern const struct cmd_entry cmd_stop_entry;
extern const struct cmd_entry cmd_unstartup_entry;
extern const struct cmd_entry cmd_update_entry;
extern const struct cmd_entry cmd_validate_entry;

/* Alphabetical: `procman help` and the man page list them in this order. */
const struct cmd_entry *const cmd_table[] = {
	&cmd_delete_entry,
	&cmd_describe_entry,
	&cmd_flush_entry,
	&cmd_help_entry,
	&cmd_jlist_entry,
	&cmd_kill_entry,
	&cmd_list_entry,
	&cmd_logs_entry,
	&cmd_monit_entry,
	&cmd_optimize_entry,
	&cmd_ping_entry,
	&cmd_reload_logs_entry,
	&cmd_restart_entry,
	&cmd_resurrect_entry,
	&cmd_save_entry,
	&cmd_scale_entry,
	&cmd_start_entry,
	&cmd_startup_entry,
	&cmd_stop_entry,
	&cmd_unstartup_entry,
	&cmd_update_entry,
	&cmd_validate_entry,
	NULL
};

/*
 * An exact name, then an exact alias, then a prefix of exactly one name.
 * Aliases take no part in prefix matching: "st" should not become
 * ambiguous because of "status".  Returns NULL and *cause when the name
 * is unknown or ambiguous (then the candidates are listed).
 */
const struct cmd_entry *
cmd_find(const char *name, char **cause)
{
	const struct cmd_entry *const *ep, *found = NULL;
	size_t	 len = strlen(name);
	int	 ambiguous = 0, i;
	char	*list = NULL, *tmp;

	for (ep = cmd_table; *ep != NULL; ep++) {
		if (strcmp((*ep)->name, name) == 0)
			return (*ep);
	}
	for (ep = cmd_table; *ep != NULL; ep++) {
		for (i = 0; i < CMD_MAXALIAS && (*ep)->alias[i] != NULL; i++) {
			if (strcmp((*ep)->alias[i], name) == 0)
				return (*ep);
		}
	}
	for (ep = cmd_table; len > 0 && *ep != NULL; ep++) {
		if (strncmp((*ep)->name, name, len) != 0)
			continue;
		if (found != NULL)
			ambiguous = 1;
		found = *ep;
		if (list == NULL)
			list = xstrdup((*ep)->name);
		else {
			xasprintf(&tmp, "%s, %s", list, (*ep)->name);
			free(list);
			list = tmp;
		}
	}
	if (found != NULL && !ambiguous) {
		free(list);
		return (found);
	}
	if (ambiguous)
		xasprintf(cause, "ambiguous command \"%s\", could be: %s", name,
		    list);
	else
		xasprintf(cause, "unknown command \"%s\"; see procman help",
		    name);
	free(list);
	return (NULL);
}

/* The long options of an entry plus --help, which every command takes. */
static struct option *
cmd_longopts(const struct cmd_entry *entry)
{
	struct option	*lo;
	size_t		 n = 0;

	while (entry->longopts != NULL && entry->longopts[n].name != NULL)
		n++;
	lo = xcalloc(n + 2, sizeof *lo);
	if (n > 0)
		memcpy(lo, entry->longopts, n * sizeof *lo);
	lo[n].name = "help";
	lo[n].has_arg = no_argument;
	lo[n].val = 'h';
	return (lo);
}

/* How the user may have written an option: -i if it is short, else its
   long name. */
static const char *
cmd_optname(const char *so, const struct option *lo, int val, char *buf,
    size_t len)
{
	if (val != ':' && strchr(so, val) != NULL) {
		snprintf(buf, len, "-%c", val);
		return (buf);
	}
	for (; lo->name != NULL; lo++) {
		if (lo->val == val && lo->flag == NULL) {
			snprintf(buf, len, "--%s", lo->name);
			return (buf);
		}
	}
	snprintf(buf, len, "-%c", val);
	return (buf);
}

/* Why getopt_long refused an option. */
static void
cmd_bad_option(const char *arg, int opt, char **cause)
{
	size_t	 len;

	if (strncmp(arg, "--", 2) != 0) {
		xasprintf(cause, "unknown option -%c", opt);
		return;
	}
	len = strcspn(arg, "=");
	if (opt != 0)	/* --json=3: a known flag given a value */
		xasprintf(cause, "option %.*s takes no value", (int)len, arg);
	else
		xasprintf(cause, "unknown or ambiguous option %.*s", (int)len,
		    arg);
}

static void
cmd_set(struct cmd_args *args, int val, const char *arg)
{
	int	 i;

	for (i = 0; i < args->nopts; i++) {
		if (args->opt_val[i] == val) {
			args->opt_arg[i] = arg;
			return;
		}
	}
	if (args->nopts < CMD_MAXOPTS) {
		args->opt_val[args->nopts] = val;
		args->opt_arg[args->nopts] = arg;
		args->nopts++;
	}
}

/*
 * Parse argv (argv[0] is the command name) against the entry's options.
 * Returns 0 with *args filled (and *help set when -h/--help was given),
 * or -1 and *cause for an unknown option or a missing argument.  argv is
 * permuted in place, as getopt_long does.
 */
int
cmd_parse(const struct cmd_entry *entry, int argc, char **argv,
    struct cmd_args *args, bool *help, char **cause)
{
	struct option	*lo;
	char		*so, name[64];
	int		 c, longidx;

	memset(args, 0, sizeof *args);
	*help = false;
	*cause = NULL;
	lo = cmd_longopts(entry);
	/* ':' first: report a missing argument as ':', not '?'. */
	xasprintf(&so, ":%sh", entry->shortopts != NULL ? entry->shortopts :
	    "");

	opterr = 0;
	optind = 0;	/* glibc: reinitialise fully */
	while ((c = getopt_long(argc, argv, so, lo, &longidx)) != -1) {
		if (c == 'h') {
			*help = true;
			continue;
		}
		if (c == '?') {
			cmd_bad_option(argv[optind - 1], optopt, cause);
			break;
		}
		if (c == ':') {
			if (optopt != 0)
				xasprintf(cause, "option %s needs a value",
				    cmd_optname(so, lo, optopt, name,
				    sizeof name));
			else
				xasprintf(cause, "option %s needs a value",
				    argv[optind - 1]);
			break;
		}
		cmd_set(args, c, optarg);
	}
	free(so);
	free(lo);
	if (*cause != NULL)
		return (-1);
	args->argc = argc - optind;
	args->argv = argv + optind;
	return (0);
}

bool
cmd_has(const struct cmd_args *args, int val)
{
	int	 i;

	for (i = 0; i < args->nopts; i++) {
		if (args->opt_val[i] == val)
			return (true);
	}
	return (false);
}

/* The argument of an option, NULL when absent or a flag. */
const char *
cmd_get(const struct cmd_args *args, int val)
{
	int	 i;

	for (i = 0; i < args->nopts; i++) {
		if (args->opt_val[i] == val)
			return (args->opt_arg[i]);
	}
	return (NULL);
}

/*
 * Print "<lead>procman name usage", wrapping long usage strings at blanks
 * with continuation lines indented under the command's first operand.
 */
static void
cmd_print_wrapped(const struct cmd_entry *entry, const char *lead, FILE *f)
{
	const char	*p = entry->usage, *end, *brk;
	size_t		 col, indent;
	int		 depth;

	col = fprintf(f, "%sprocman %s", lead, entry->name);
	indent = col + 1;
	while (*p != '\0') {
		/* The next word; "[--name name]" counts as one. */
		depth = 0;
		for (end = p; *end != '\0'; end++) {
			if (*end == '[')
				depth++;
			else if (*end == ']' && depth > 0)
				depth--;
			else if (*end == ' ' && depth == 0)
				break;
		}
		brk = end;
		if (col + 1 + (size_t)(brk - p) > CMD_HELP_WIDTH &&
		    col > indent) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, (size_t)(brk - p), f);
		col += (size_t)(brk - p);
		p = *brk == ' ' ? brk + 1 : brk;
	}
	fputc('\n', f);
}

void
cmd_print_usage(const struct cmd_entry *entry, FILE *f)
{
	cmd_print_wrapped(entry, "usage: ", f);
}

/* `procman help CMD` and `procman CMD --help`. */
void
cmd_print_help(const struct cmd_entry *entry, FILE *f)
{
	int	 i;

	cmd_print_usage(entry, f);
	if (entry->alias[0] != NULL) {
		fputs("alias:", f);
		for (i = 0; i < CMD_MAXALIAS && entry->alias[i] != NULL; i++)
			fprintf(f, "%s %s", i > 0 ? "," : "", entry->alias[i]);
		fputc('\n', f);
	}
	if (entry->doc != NULL)
		fprintf(f, "\n%s\n", entry->doc);
}

/* `procman help`: every command with its usage. */
void
cmd_print_list(FILE *f)
{
	const struct cmd_entry *const *ep;

	fputs("usage: procman [--version] [-h] command [arg ...]\n\n"
	    "commands:\n", f);
	for (ep = cmd_table; *ep != NULL; ep++)
		cmd_print_wrapped(*ep, "  ", f);
	fputs("\nlist is also ls and status.  Commands may be abbreviated;\n"
	    "procman help COMMAND shows one.\n", f);
}

/*
 * Connect the command to procmand; a command with CMD_NEEDS_DAEMON starts
 * it when it is not running.  Returns 0 when connected, 1 when procmand
 * is not running (only without CMD_NEEDS_DAEMON), or -1 after printing
 * why.
 */
int
cmd_connect(struct cmd_ctx *ctx)
{
	char	*cause = NULL;
	int	 r;

	if (paths_init(1, &cause) == -1) {
		output_error("%s", cause);
		free(cause);
		return (-1);
	}
	r = client_connect(ctx->client,
	    (ctx->entry->flags & CMD_NEEDS_DAEMON) != 0, &cause);
	if (r == -1) {
		output_error("%s", cause);
		free(cause);
	}
	return (r);
}

/* Report a usage error of a command; returns the exit status to use. */
int
cmd_usage_error(const struct cmd_entry *entry, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	output_verror(fmt, ap);
	va_end(ap);
	cmd_print_usage(entry, stderr);
	return (CMD_USAGE);
}

/*
 * Is this argument an ecosystem file?  By its extension, and, with
 * must_exist, only when it is an existing file: "web.json" is also a
 * valid app name for stop, restart and delete.
 */
bool
cmd_is_ecofile(const char *arg, bool must_exist)
{
	static const char *const exts[] = { ".yaml", ".yml", ".json", NULL };
	const char		*dot = strrchr(arg, '.');
	struct stat		 sb;
	int			 i;

	if (dot == NULL || dot == arg)
		return (false);
	for (i = 0; exts[i] != NULL; i++) {
		if (strcasecmp(dot, exts[i]) == 0)
			break;
	}
	if (exts[i] == NULL)
		return (false);
	if (must_exist && (stat(arg, &sb) == -1 || !S_ISREG(sb.st_mode)))
		return (false);
	return (true);
}

/*
 * Send a request and wait for its reply.  Returns 0 with the reply in
 * *reply (caller deletes; reply may be NULL to discard it), or
 * CMD_FAILED after printing why: the daemon's error or the lost
 * connection.  The caller keeps req.
 */
int
cmd_call(struct cmd_ctx *ctx, const cJSON *req, cJSON **reply)
{
	cJSON	*got = NULL;
	char	*cause;

	if (reply != NULL)
		*reply = NULL;
	if (client_call(ctx->client, req, &got, &cause) != 0) {
		output_error("%s", cause);
		free(cause);
		cJSON_Delete(got);
		return (CMD_FAILED);
	}
	if (reply != NULL)
		*reply = got;
	else
		cJSON_Delete(got);
	return (0);
}

/*
 * Send a request whose reply carries a procs array.  Returns 0 with the
 * reply (caller deletes) and the array in it, or CMD_FAILED after
 * printing why.
 */
int
cmd_call_procs(struct cmd_ctx *ctx, const cJSON *req, cJSON **reply,
    const cJSON **procs)
{
	if (cmd_call(ctx, req, reply) != 0)
		return (CMD_FAILED);
	*procs = cJSON_GetObjectItemCaseSensitive(*reply, "procs");
	if (!cJSON_IsArray(*procs)) {
		output_error("bad reply from procmand: no procs array");
		cJSON_Delete(*reply);
		*reply = NULL;
		return (CMD_FAILED);
	}
	return (0);
}

/*
 * jlist: the daemon's array as it sent it.  The daemon writes the list
 * reply as {"v":1,"id":N,"ok":true,"procs":[...]}, so the array is the
 * text from "procs": to the closing brace; printing it as is spares
 * parsing and re-printing a thousand objects (most of jlist's time).
 * Any other reply (an error) goes through the parser.
 */
static int
cmd_print_jlist(struct cmd_ctx *ctx)
{
	static const char	 key[] = "\"ok\":true,\"procs\":[";
	cJSON			*req, *reply;
	const cJSON		*procs;
	const char		*reason;
	char			*line, *cause = NULL, *start;
	size_t			 len;
	int			 r;

	req = client_request(ctx->client, "list");
	r = client_call_text(ctx->client, req, &line, &cause);
	cJSON_Delete(req);
	if (r == -1) {
		output_error("%s", cause);
		free(cause);
		return (CMD_FAILED);
	}
	len = strlen(line);
	start = strstr(line, key);
	if (start != NULL && len >= 2 && strcmp(line + len - 2, "]}") == 0) {
		start += sizeof key - 2;
		fwrite(start, 1, line + len - 1 - start, stdout);
		putchar('\n');
		free(line);
		return (CMD_OK);
	}
	reply = proto_parse(line, len, &reason);
	free(line);
	procs = reply != NULL ?
	    cJSON_GetObjectItemCaseSensitive(reply, "procs") : NULL;
	if (!cJSON_IsArray(procs)) {
		procs = reply != NULL ?
		    cJSON_GetObjectItemCaseSensitive(reply, "error") : NULL;
		output_error("%s", cJSON_IsString(procs) ?
		    procs->valuestring : "bad reply from procmand");
		cJSON_Delete(reply);
		return (CMD_FAILED);
	}
	output_json(stdout, procs);
	putchar('\n');
	cJSON_Delete(reply);
	return (CMD_OK);
}

/*
 * Ask for the list and print it: the table, or with json the daemon's
 * array as one line.  Also shown after start, stop and the rest, as PM2
 * does.
 */
int
cmd_show_list(struct cmd_ctx *ctx, bool json)
{
	cJSON		*req, *reply;
	const cJSON	*procs;
	int		 r;

	if (json)
		return (cmd_print_jlist(ctx));
	req = client_request(ctx->client, "list");
	r = cmd_call_procs(ctx, req, &reply, &procs);
	cJSON_Delete(req);
	if (r != 0)
		return (r);
	output_procs(procs);
	cJSON_Delete(reply);
	return (CMD_OK);
}

/* The names of an ecosystem file's apps, for a names: request field;
   -1 after printing why the file cannot be read. */
int
cmd_target_names(const char *path, cJSON *req)
{
	struct eco_file	*file;
	cJSON		*names;
	char		*cause;
	size_t		 i;

	if (eco_load(path, NULL, &file, &cause) == -1) {
		output_errors(cause);
		free(cause);
		return (-1);
	}
	names = cJSON_AddArrayToObject(req, "names");
	for (i = 0; i < file->napps; i++) {
		cJSON_AddItemToArray(names,
		    cJSON_CreateString(file->apps[i]->name));
	}
	eco_file_free(file);
	return (0);
}

/*
 * stop, restart and delete: one TARGET, an app name, a proc id, "all" or
 * an ecosystem file, then the table.
 */
int
cmd_target_exec(struct cmd_ctx *ctx, const char *type)
{
	struct cmd_args	*args = ctx->args;
	const char	*target;
	cJSON		*req;
	int		 r;

	if (args->argc == 0)
		return (cmd_usage_error(ctx->entry, "%s what? give an app "
		    "name, an id, all or an ecosystem file", type));
	if (args->argc > 1)
		return (cmd_usage_error(ctx->entry, "one target at a time, "
		    "got \"%s\" and \"%s\"", args->argv[0], args->argv[1]));
	target = args->argv[0];
	if (*target == '\0')
		return (cmd_usage_error(ctx->entry, "empty target"));

	req = client_request(ctx->client, type);
	if (cmd_is_ecofile(target, true)) {
		if (cmd_target_names(target, req) == -1) {
			cJSON_Delete(req);
			return (CMD_USAGE);
		}
	} else
		cJSON_AddStringToObject(req, "target", target);

	if (cmd_connect(ctx) != 0) {
		cJSON_Delete(req);
		return (CMD_FAILED);
	}
	r = cmd_call(ctx, req, NULL);
	cJSON_Delete(req);
	if (r != 0)
		return (CMD_FAILED);
	return (cmd_show_list(ctx, false));
}
