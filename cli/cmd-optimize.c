/*
 * optimize: find apps that run the same command, dead leftovers and idle
 * extra instances, and (with --apply) collapse them; then a before/after
 * table of processes and memory, like the note the feature came from.
 *
 * The daemon makes the plan and carries it out (daemon/optimize.c): it
 * alone has every config, pid and the CPU history, and doing both in
 * one step is what makes two cron jobs at once safe.  This file only
 * checks the options and prints the reply.  Meant for cron: a dry run by
 * default, no colour off a terminal, and --quiet prints nothing at all
 * when there is nothing to do.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "output.h"
#include "units.h"
#include "util.h"
#include "xmalloc.h"

#define OPTIMIZE_WINDOW_MAX_MS	(24ULL * 3600 * 1000)
#define OPTIMIZE_CPU_MAX	100000.0
/* How long to wait for the removed processes to be gone. */
#define OPTIMIZE_SETTLE_MS	(300 * 1000)

enum {
	OPTIMIZE_OPT_APPLY = 256,
	OPTIMIZE_OPT_JSON,
	OPTIMIZE_OPT_QUIET,
	OPTIMIZE_OPT_WINDOW,
	OPTIMIZE_OPT_CPU,
};

static int	cmd_optimize_exec(struct cmd_ctx *);

static const struct option cmd_optimize_options[] = {
	{ "apply", no_argument, NULL, OPTIMIZE_OPT_APPLY },
	{ "json", no_argument, NULL, OPTIMIZE_OPT_JSON },
	{ "quiet", no_argument, NULL, OPTIMIZE_OPT_QUIET },
	{ "window", required_argument, NULL, OPTIMIZE_OPT_WINDOW },
	{ "cpu-threshold", required_argument, NULL, OPTIMIZE_OPT_CPU },
	{ NULL, 0, NULL, 0 }
};

const struct cmd_entry cmd_optimize_entry = {
	.name = "optimize",
	.shortopts = "",
	.longopts = cmd_optimize_options,
	.usage = "[--apply] [--json] [--quiet] [--window duration] "
	    "[--cpu-threshold pct]",
	.doc =
	    "Find what runs twice and show how to collapse it; with --apply,\n"
	    "do it.  Apps that run the same command (executable, args, cwd)\n"
	    "are reduced to the longest-running one; stopped or errored\n"
	    "copies and extra instances are deleted; an app whose instances\n"
	    "together use less CPU than --cpu-threshold (percent of one\n"
	    "core, default 50) over the last --window (default 60s) keeps\n"
	    "only instance 0.  The process kept is never restarted; the\n"
	    "others are stopped gracefully.  Apps with optimize: false are\n"
	    "left alone.  Prints each action, suggestions and a before/after\n"
	    "table; --json prints it all as one JSON document, and --quiet\n"
	    "prints nothing when there is nothing to do.",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_optimize_exec,
};

/* "12.5", "12.5%": a percentage above 0; -1 when it is not one. */
static double
optimize_parse_pct(const char *s)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0)
		return (-1);
	if (*end == '%')
		end++;
	if (*end != '\0' || !(v > 0) || v > OPTIMIZE_CPU_MAX)
		return (-1);
	return (v);
}

static const char *
optimize_str(const cJSON *obj, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return (cJSON_IsString(v) ? v->valuestring : "?");
}

static double
optimize_num(const cJSON *obj, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return (cJSON_IsNumber(v) ? v->valuedouble : 0);
}

/* "1, 2" from an array of numbers; new string. */
static char *
optimize_list(const cJSON *arr)
{
	const cJSON	*v;
	char		*s = xstrdup(""), *tmp;

	cJSON_ArrayForEach(v, arr) {
		xasprintf(&tmp, "%s%s%.0f", s, *s != '\0' ? ", " : "",
		    cJSON_IsNumber(v) ? v->valuedouble : -1);
		free(s);
		s = tmp;
	}
	return (s);
}

/* What an action does, in a few words; new string. */
static char *
optimize_what(const cJSON *act)
{
	const cJSON	*whole, *insts;
	const char	*kind = optimize_str(act, "kind");
	char		*list, *s;

	whole = cJSON_GetObjectItemCaseSensitive(act, "whole_app");
	insts = cJSON_GetObjectItemCaseSensitive(act, "instances");
	if (cJSON_IsTrue(whole)) {
		xasprintf(&s, "delete app %s", optimize_str(act, "app"));
		return (s);
	}
	list = optimize_list(insts);
	if (strcmp(kind, "collapse-instances") == 0)
		xasprintf(&s, "collapse %s to instance 0 (stop instance%s %s)",
		    optimize_str(act, "app"),
		    cJSON_GetArraySize(insts) > 1 ? "s" : "", list);
	else
		xasprintf(&s, "delete %s instance%s %s",
		    optimize_str(act, "app"),
		    cJSON_GetArraySize(insts) > 1 ? "s" : "", list);
	free(list);
	return (s);
}

/* The actions; returns how many failed. */
static int
optimize_print_actions(const cJSON *reply, bool apply)
{
	const cJSON	*acts, *act;
	const char	*status;
	char		*what, mem[32];
	bool		 colour = output_colour(), failed;
	int		 nfailed = 0;

	acts = cJSON_GetObjectItemCaseSensitive(reply, "actions");
	if (cJSON_GetArraySize(acts) == 0) {
		puts("Nothing to optimize: no duplicates, no dead leftovers, "
		    "no idle instances.");
		return (0);
	}
	if (apply)
		puts("Applied:");
	else
		puts("Plan (dry run: nothing was changed; --apply does it):");
	cJSON_ArrayForEach(act, acts) {
		status = optimize_str(act, "status");
		failed = strcmp(status, "failed") == 0;
		nfailed += failed;
		what = optimize_what(act);
		units_format_size((uint64_t)optimize_num(act, "memory"), mem,
		    sizeof mem);
		printf("  %s%s%s%s: %s; frees %s\n",
		    failed && colour ? "\033[31m" : "",
		    failed ? "FAILED " : "",
		    failed && colour ? "\033[0m" : "", what,
		    optimize_str(act, "reason"), mem);
		free(what);
	}
	return (nfailed);
}

static int
optimize_count_failed(const cJSON *reply)
{
	const cJSON	*act;
	int		 n = 0;

	cJSON_ArrayForEach(act, cJSON_GetObjectItemCaseSensitive(reply,
	    "actions"))
		n += strcmp(optimize_str(act, "status"), "failed") == 0;
	return (n);
}

/* Skipped apps or suggestions: "  app: text" under a heading. */
static void
optimize_print_notes(const cJSON *reply, const char *key, const char *field,
    const char *heading)
{
	const cJSON	*arr, *item;

	arr = cJSON_GetObjectItemCaseSensitive(reply, key);
	if (cJSON_GetArraySize(arr) == 0)
		return;
	printf("\n%s\n", heading);
	cJSON_ArrayForEach(item, arr)
		printf("  %s: %s\n", optimize_str(item, "app"),
		    optimize_str(item, field));
}

/* The before/after table, as in the note: processes and total RSS. */
static void
optimize_print_table(const cJSON *reply)
{
	static const char *const headers[4] = { "", "before", "after",
	    "saved" };
	static const int align[4] = { OUTPUT_LEFT, OUTPUT_RIGHT,
	    OUTPUT_RIGHT, OUTPUT_RIGHT };
	struct output_table	*t;
	const cJSON		*table, *b, *a, *s;
	const char		*cells[4];
	char			 c1[32], c2[32], c3[32], c4[48];
	double			 pb, pa;

	table = cJSON_GetObjectItemCaseSensitive(reply, "table");
	b = cJSON_GetObjectItemCaseSensitive(table, "before");
	a = cJSON_GetObjectItemCaseSensitive(table, "after");
	s = cJSON_GetObjectItemCaseSensitive(table, "saved");
	if (!cJSON_IsObject(b) || !cJSON_IsObject(a) || !cJSON_IsObject(s))
		return;
	t = output_table_new(4, headers, align);
	pb = optimize_num(b, "processes");
	pa = optimize_num(a, "processes");
	snprintf(c1, sizeof c1, "%.0f", pb);
	snprintf(c2, sizeof c2, "%.0f", pa);
	snprintf(c4, sizeof c4, "%.0f (%.0f%%)", pb - pa,
	    pb > 0 ? round(100 * (pb - pa) / pb) : 0);
	cells[0] = "processes";
	cells[1] = c1;
	cells[2] = c2;
	cells[3] = c4;
	output_table_add(t, cells, NULL);
	units_format_size((uint64_t)optimize_num(b, "memory"), c1, sizeof c1);
	units_format_size((uint64_t)optimize_num(a, "memory"), c2, sizeof c2);
	units_format_size((uint64_t)optimize_num(s, "memory"), c3, sizeof c3);
	snprintf(c4, sizeof c4, "%s (%.1f%%)", c3, optimize_num(s, "percent"));
	cells[0] = "total RSS";
	cells[1] = c1;
	cells[2] = c2;
	cells[3] = c4;
	output_table_add(t, cells, NULL);
	putchar('\n');
	output_table_print(t);
	output_table_free(t);
}

/*
 * After an apply: the daemon answers a second time, with the same id,
 * once every process it removed is gone.  Returns 0, or -1 after
 * printing why.
 */
static int
optimize_settle(struct client *c, long id)
{
	cJSON		*obj;
	const cJSON	*rid, *ok, *err;
	uint64_t	 deadline = util_mono_ms() + OPTIMIZE_SETTLE_MS, now;
	char		*cause = NULL;
	int		 r;

	for (;;) {
		now = util_mono_ms();
		if (now >= deadline) {
			output_error("the removed processes were not gone "
			    "after %ds", OPTIMIZE_SETTLE_MS / 1000);
			return (-1);
		}
		r = client_next(c, &obj, (int)(deadline - now), &cause);
		if (r == -1) {
			output_error("%s", cause);
			free(cause);
			return (-1);
		}
		if (r == 1)
			continue;
		rid = cJSON_GetObjectItemCaseSensitive(obj, "id");
		ok = cJSON_GetObjectItemCaseSensitive(obj, "ok");
		if (!cJSON_IsNumber(rid) || (long)rid->valuedouble != id) {
			cJSON_Delete(obj);
			continue;
		}
		r = cJSON_IsTrue(ok) ? 0 : -1;
		if (r == -1) {
			err = cJSON_GetObjectItemCaseSensitive(obj, "error");
			output_error("%s", cJSON_IsString(err) ?
			    err->valuestring : "procmand reported an error");
		}
		cJSON_Delete(obj);
		return (r);
	}
}

/* Build the request from the options; CMD_USAGE after a usage error. */
static int
optimize_request(struct cmd_ctx *ctx, cJSON **req)
{
	struct cmd_args	*args = ctx->args;
	const char	*v, *reason;
	uint64_t	 ms;
	double		 pct;

	*req = NULL;
	if (args->argc != 0)
		return (cmd_usage_error(ctx->entry, "optimize takes no "
		    "operands, got \"%s\"", args->argv[0]));
	*req = client_request(ctx->client, "optimize");
	cJSON_AddBoolToObject(*req, "apply",
	    cmd_has(args, OPTIMIZE_OPT_APPLY));
	if ((v = cmd_get(args, OPTIMIZE_OPT_WINDOW)) != NULL) {
		if (units_parse_duration(v, &ms, &reason) == -1 || ms == 0 ||
		    ms > OPTIMIZE_WINDOW_MAX_MS) {
			cJSON_Delete(*req);
			*req = NULL;
			return (cmd_usage_error(ctx->entry, "--window \"%s\": "
			    "expected a duration from 1ms to 24h (60s, 5m)",
			    v));
		}
		cJSON_AddNumberToObject(*req, "window_ms", (double)ms);
	}
	if ((v = cmd_get(args, OPTIMIZE_OPT_CPU)) != NULL) {
		if ((pct = optimize_parse_pct(v)) < 0) {
			cJSON_Delete(*req);
			*req = NULL;
			return (cmd_usage_error(ctx->entry, "--cpu-threshold "
			    "\"%s\": expected a percentage of one core above "
			    "0 (50, 12.5%%)", v));
		}
		cJSON_AddNumberToObject(*req, "cpu_threshold", pct);
	}
	return (CMD_OK);
}

static int
cmd_optimize_exec(struct cmd_ctx *ctx)
{
	struct cmd_args	*args = ctx->args;
	const cJSON	*settling;
	cJSON		*req, *reply = NULL;
	char		*text;
	bool		 apply, quiet, json;
	long		 id;
	int		 r, failed;

	if ((r = optimize_request(ctx, &req)) != CMD_OK)
		return (r);
	apply = cmd_has(args, OPTIMIZE_OPT_APPLY);
	quiet = cmd_has(args, OPTIMIZE_OPT_QUIET);
	json = cmd_has(args, OPTIMIZE_OPT_JSON);
	id = (long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(req,
	    "id"));
	if (cmd_connect(ctx) != 0) {
		cJSON_Delete(req);
		return (CMD_FAILED);
	}
	r = cmd_call(ctx, req, &reply);
	cJSON_Delete(req);
	if (r != 0)
		return (CMD_FAILED);
	failed = 0;
	settling = cJSON_GetObjectItemCaseSensitive(reply, "settling");
	if (cJSON_IsTrue(settling) && optimize_settle(ctx->client, id) == -1)
		failed = 1;
	if (quiet && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
	    reply, "actions")) == 0) {
		cJSON_Delete(reply);
		return (CMD_OK);
	}
	if (json) {
		cJSON_DeleteItemFromObjectCaseSensitive(reply, "v");
		cJSON_DeleteItemFromObjectCaseSensitive(reply, "id");
		cJSON_DeleteItemFromObjectCaseSensitive(reply, "settling");
		text = cJSON_PrintUnformatted(reply);
		puts(text);
		cJSON_free(text);
		failed += optimize_count_failed(reply);
	} else {
		failed += optimize_print_actions(reply, apply);
		optimize_print_notes(reply, "skipped", "reason", "Skipped:");
		optimize_print_notes(reply, "suggestions", "text",
		    "Suggestions:");
		optimize_print_table(reply);
	}
	cJSON_Delete(reply);
	fflush(stdout);
	return (failed > 0 ? CMD_FAILED : CMD_OK);
}
