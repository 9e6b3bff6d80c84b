/*
 * ecosystem-keys: the key table, and the one validator that turns a
 * mapping node (from YAML, from an ecosystem.json, or from the wire) into
 * a struct app_config.
 *
 * Keeping a single validator means a value is accepted or refused, with
 * the same message, whichever way it arrives: the daemon re-validates
 * what the CLI sends with exactly the rules the CLI used.  Scalars are
 * taken by their text (YAML scalars are untyped; a JSON number 5 reads
 * as "5"), so "instances: 2" and {"instances": 2} are the same thing.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cron.h"
#include "ecosystem.h"
#include "units.h"
#include "util.h"
#include "xmalloc.h"

#define ECO_OFF(f)	offsetof(struct app_config, f)
#define ECO_INT_MAX	1000000

const struct eco_key eco_keys[] = {
	{ "name", ECO_T_STRING, true, NULL, 0, 0,
	  "the app's name: letters, digits, '.', '_' and '-', unique in "
	  "the file", ECO_OFF(name) },
	{ "script", ECO_T_STRING, true, NULL, 0, 0,
	  "the program to run: with a '/' relative to cwd, else looked up "
	  "in PATH", ECO_OFF(script) },
	{ "args", ECO_T_STRLIST, false, "none", 0, 0,
	  "arguments: a list, or one string split like sh does",
	  ECO_OFF(args) },
	{ "interpreter", ECO_T_STRING, false, "none", 0, 0,
	  "run `interpreter script args...`; \"none\" for no interpreter",
	  ECO_OFF(interpreter) },
	{ "cwd", ECO_T_STRING, false, "the ecosystem file's directory", 0, 0,
	  "working directory; relative to the file's directory",
	  ECO_OFF(cwd) },
	{ "instances", ECO_T_INSTANCES, false, "1", 1, 1024,
	  "how many copies to run, or \"max\" for one per online CPU",
	  ECO_OFF(instances) },
	{ "instance_var", ECO_T_STRING, false, "PROCMAN_INSTANCE", 0, 0,
	  "environment variable holding the instance number 0..N-1",
	  ECO_OFF(instance_var) },
	{ "env", ECO_T_ENV, false, "none", 0, 0,
	  "environment variables added to the daemon's environment",
	  ECO_OFF(env) },
	{ "env_*", ECO_T_ENV, false, "none", 0, 0,
	  "env_NAME: variables merged over env when started with --env NAME",
	  ECO_OFF(env) },
	{ "max_memory_restart", ECO_T_SIZE, false, "0 (no limit)", 0, 0,
	  "restart when the app's process tree uses more memory than this",
	  ECO_OFF(max_memory_restart) },
	{ "autorestart", ECO_T_BOOL, false, "true", 0, 0,
	  "restart the app when it exits", ECO_OFF(autorestart) },
	{ "max_restarts", ECO_T_INT, false, "16", 0, ECO_INT_MAX,
	  "unstable restarts in a row before the app is errored",
	  ECO_OFF(max_restarts) },
	{ "min_uptime", ECO_T_DURATION, false, "1s", 0, 0,
	  "a run shorter than this counts as an unstable restart",
	  ECO_OFF(min_uptime_ms) },
	{ "restart_delay", ECO_T_DURATION, false, "0", 0, 0,
	  "wait this long before restarting a crashed app",
	  ECO_OFF(restart_delay_ms) },
	{ "exp_backoff_restart_delay", ECO_T_DURATION, false, "0 (off)", 0, 0,
	  "first delay of an exponential backoff (x1.5, capped at 15s)",
	  ECO_OFF(exp_backoff_ms) },
	{ "kill_timeout", ECO_T_DURATION, false, "1600ms", 0, 0,
	  "how long stop_signal may take before SIGKILL",
	  ECO_OFF(kill_timeout_ms) },
	{ "stop_signal", ECO_T_SIGNAL, false, "SIGTERM", 0, 0,
	  "the signal that asks the app to stop", ECO_OFF(stop_signal) },
	{ "cron_restart", ECO_T_CRON, false, "none", 0, 0,
	  "restart on this 5-field cron schedule", ECO_OFF(cron_restart) },
	{ "out_file", ECO_T_STRING, false, "logs/NAME-I-out.log", 0, 0,
	  "stdout log file; relative to cwd", ECO_OFF(out_file) },
	{ "error_file", ECO_T_STRING, false, "logs/NAME-I-err.log", 0, 0,
	  "stderr log file; relative to cwd", ECO_OFF(error_file) },
	{ "merge_logs", ECO_T_BOOL, false, "false", 0, 0,
	  "one pair of log files for all instances", ECO_OFF(merge_logs) },
	{ "log_date_format", ECO_T_STRING, false, "none", 0, 0,
	  "strftime(3) format of a timestamp put before each log line",
	  ECO_OFF(log_date_format) },
	{ "log_max_size", ECO_T_SIZE, false, "10M", 0, 0,
	  "rotate a log file when it grows past this size",
	  ECO_OFF(log_max_size) },
	{ "log_retain", ECO_T_INT, false, "5", 0, 1000,
	  "rotated log files kept per log", ECO_OFF(log_retain) },
	{ "optimize", ECO_T_BOOL, false, "true", 0, 0,
	  "false: procman optimize never touches this app",
	  ECO_OFF(optimize) },
	{ NULL, ECO_T_STRING, false, NULL, 0, 0, NULL, 0 }
};

#define ECO_NKEYS	(sizeof eco_keys / sizeof eco_keys[0] - 1)

/* The signals a user may choose to stop an app with. */
static const char *const eco_stop_signals[] = {
	"SIGHUP", "SIGINT", "SIGQUIT", "SIGABRT", "SIGKILL", "SIGUSR1",
	"SIGUSR2", "SIGALRM", "SIGTERM", NULL
};

/* The state of one app being built. */
struct eco_app_ctx {
	struct eco_errors	*errs;
	const char		*prefix;	/* "apps[N]" or "" */
	const char		*dir;		/* NULL: the wire form */
	const char		*env_name;
	struct app_config	*c;
	struct eco_env		*over;		/* env_<env_name> */
	size_t			 nover;
	bool			 seen[ECO_NKEYS];
};

static void
eco_key_error(struct eco_app_ctx *ctx, const struct eco_node *at,
    const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Report "<prefix>.<key>: <message>" at the value. */
static void
eco_key_error(struct eco_app_ctx *ctx, const struct eco_node *at,
    const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvprintf(fmt, ap);
	va_end(ap);
	eco_error(ctx->errs, at->line, at->col, "%s%s%s: %s", ctx->prefix,
	    *ctx->prefix != '\0' ? "." : "", key, msg);
	free(msg);
}

/* dir/path, or path when absolute, without "." or empty components. */
char *
eco_path_join(const char *dir, const char *path)
{
	char		*in, *out;
	const char	*r, *seg;
	size_t		 o = 0, len;

	in = *path == '/' ? xstrdup(path) : xprintf("%s/%s", dir, path);
	out = xmalloc(strlen(in) + 2);
	if (*in == '/')
		out[o++] = '/';
	for (r = in; *r != '\0';) {
		while (*r == '/')
			r++;
		for (seg = r; *r != '\0' && *r != '/'; r++)
			;
		len = (size_t)(r - seg);
		if (len == 0 || (len == 1 && *seg == '.'))
			continue;
		if (o > 0 && out[o - 1] != '/')
			out[o++] = '/';
		memcpy(out + o, seg, len);
		o += len;
	}
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	free(in);
	return out;
}

/* The text of a scalar, or NULL after reporting what the value was. */
static const char *
eco_scalar(struct eco_app_ctx *ctx, const char *key,
    const struct eco_node *v, const char *expected)
{
	char	 what[64];

	if (v->kind == ECO_N_BAD)
		return NULL;
	if (v->kind != ECO_N_SCALAR) {
		eco_key_error(ctx, v, key, "expected %s, got %s", expected,
		    eco_node_what(v, what, sizeof what));
		return NULL;
	}
	/* execve(2) and the log paths cannot carry a NUL. */
	if (strlen(v->text) != v->len) {
		eco_key_error(ctx, v, key, "must not contain a NUL byte");
		return NULL;
	}
	return v->text;
}

static bool
eco_env_name_valid(const char *s)
{
	size_t	 i;

	if (*s == '\0' || (*s >= '0' && *s <= '9'))
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", s[i]) == NULL)
			return false;
	return true;
}

/* Checks that only some string keys need; 0 if s is fine for key. */
static int
eco_check_string(struct eco_app_ctx *ctx, const char *key,
    const struct eco_node *v, const char *s)
{
	if (strcmp(key, "name") == 0 && strlen(s) > ECO_NAME_MAX) {
		eco_key_error(ctx, v, key, "name is longer than %d "
		    "characters", ECO_NAME_MAX);
		return -1;
	}
	if (strcmp(key, "name") == 0 && !eco_name_valid(s)) {
		eco_key_error(ctx, v, key, "invalid name \"%s\": use "
		    "letters, digits, '.', '_' and '-'", s);
		return -1;
	}
	if (strcmp(key, "instance_var") == 0 && !eco_env_name_valid(s)) {
		eco_key_error(ctx, v, key, "invalid variable name \"%s\": use "
		    "letters, digits and '_'", s);
		return -1;
	}
	if (*s == '\0') {
		eco_key_error(ctx, v, key, "must not be empty");
		return -1;
	}
	/* In the wire form there is no file to be relative to. */
	if (ctx->dir == NULL && *s != '/' && (strcmp(key, "cwd") == 0 ||
	    strcmp(key, "out_file") == 0 || strcmp(key, "error_file") == 0)) {
		eco_key_error(ctx, v, key, "must be an absolute path, got "
		    "\"%s\"", s);
		return -1;
	}
	return 0;
}

static void
eco_set_string(struct eco_app_ctx *ctx, const struct eco_key *k,
    const struct eco_node *v)
{
	char		**field = (char **)((char *)ctx->c + k->offset);
	const char	 *s;

	if ((s = eco_scalar(ctx, k->name, v, "a string")) == NULL)
		return;
	if (eco_check_string(ctx, k->name, v, s) != 0)
		return;
	free(*field);
	if (strcmp(k->name, "cwd") == 0 && ctx->dir != NULL)
		*field = eco_path_join(ctx->dir, s);
	else
		*field = xstrdup(s);
}

static void
eco_args_set(struct app_config *c, char **argv, size_t n)
{
	size_t	 i;

	for (i = 0; i < c->nargs; i++)
		free(c->args[i]);
	free(c->args);
	c->args = argv;
	c->nargs = n;
}

static void
eco_set_strlist(struct eco_app_ctx *ctx, const struct eco_key *k,
    const struct eco_node *v)
{
	char		**argv, item[64];
	const char	 *s, *reason;
	size_t		  i, n;

	if (v->kind == ECO_N_SCALAR) {
		if ((s = eco_scalar(ctx, k->name, v, "a list")) == NULL)
			return;
		if ((argv = util_split_words(s, &n, &reason)) == NULL) {
			eco_key_error(ctx, v, k->name, "cannot split \"%s\": "
			    "%s", s, reason);
			return;
		}
		eco_args_set(ctx->c, argv, n);
		return;
	}
	if (v->kind != ECO_N_SEQ) {
		if (v->kind != ECO_N_BAD)
			eco_key_error(ctx, v, k->name, "expected a list or a "
			    "string, got %s", eco_node_what(v, item,
			    sizeof item));
		return;
	}
	argv = xcalloc(v->nkids + 1, sizeof *argv);
	for (i = n = 0; i < v->nkids; i++) {
		snprintf(item, sizeof item, "%s[%zu]", k->name, i);
		if ((s = eco_scalar(ctx, item, v->kids[i], "a string")) != NULL)
			argv[n++] = xstrdup(s);
	}
	eco_args_set(ctx->c, argv, n);
}

static void
eco_set_int(struct eco_app_ctx *ctx, const struct eco_key *k,
    const struct eco_node *v)
{
	int		*field = (int *)((char *)ctx->c + k->offset);
	const char	*s;
	long long	 n;

	if ((s = eco_scalar(ctx, k->name, v, "an integer")) == NULL)
		return;
	if (!util_parse_ll(s, &n) || n < k->min || n > k->max) {
		eco_key_error(ctx, v, k->name, "expected an integer from %lld "
		    "to %lld, got \"%s\"", k->min, k->max, s);
		return;
	}
	*field = (int)n;
}

static void
eco_set_instances(struct eco_app_ctx *ctx, const struct eco_key *k,
    const struct eco_node *v)
{
	const char	*s;
	long long	 n;
	long		 cpus;

	if ((s = eco_scalar(ctx, k->name, v, "a positive integer or "
	    "\"max\"")) == NULL)
		return;
	if (strcmp(s, "max") == 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		ctx->c->instances = cpus < 1 ? 1 : cpus > k->max ?
		    (int)k->max : (int)cpus;
		return;
	}
	if (!util_parse_ll(s, &n) || n < 1) {
		eco_key_error(ctx, v, k->name, "expected a positive integer "
		    "or \"max\", got \"%s\"", s);
		return;
	}
	if (n > k->max) {
		eco_key_error(ctx, v, k->name, "at most %lld instances, got "
		    "\"%s\"", k->max, s);
		return;
	}
	ctx->c->instances = (int)n;
}

static void
eco_set_bool(struct eco_app_ctx *ctx, const struct eco_key *k,
    const struct eco_node *v)
{
	static const char *const yaml11[] = { "yes", "no", "on", "off", "y",
	    "n", NULL };
	bool		*field = (bool *)((char *)ctx->c + k->offset);
	const char	*s;
	size_t		 i;

	if ((s = eco_scalar(ctx, k->name, v, "true or false")) == NULL)
		return;
	if (strcmp(s, "true") == 0) {
		*field = true;
		return;
	}
	if (strcmp(s, "false") == 0) {
		*field = false;
		return;
	}
	for (i = 0; yaml11[i] != NULL; i++) {
		if (strcasecmp(s, yaml11[i]) == 0) {
			eco_key_error(ctx, v, k->name, "expected true or "
			    "false, got \"%s\" (YAML 1.1 booleans like yes, "
			    "no, on and off are not accepted)", s);
			return;
		}
	}
	eco_key_error(ctx, v, k->name, "expected true or false, got \"%s\"",
	    s);
}

static void
eco_set_size(struct eco_app_ctx *ctx, const struct eco_key *k,
    const struct eco_node *v)
{
	uint64_t	*field = (uint64_t *)((char *)ctx->c + k->offset);
	const char	*s, *reason;

	if ((s = eco_scalar(ctx, k->name, v, "a size")) == NULL)
		return;
	if (units_parse_size(s, field, &reason) != 0)
		eco_key_error(ctx, v, k->name, "expected a size like 200M or "
		    "1.5G, got \"%s\" (%s)", s, reason);
}

static void
eco_set_duration(struct eco_app_ctx *ctx, const struct eco_key *k,
    const struct eco_node *v)
{
	uint64_t	*field = (uint64_t *)((char *)ctx->c + k->offset);
	const char	*s, *reason;

	if ((s = eco_scalar(ctx, k->name, v, "a duration")) == NULL)
		return;
	if (units_parse_duration(s, field, &reason) != 0)
		eco_key_error(ctx, v, k->name, "expected a duration like "
		    "250ms, 2s or 1m, got \"%s\" (%s)", s, reason);
}

static void
eco_set_signal(struct eco_app_ctx *ctx, const struct eco_key *k,
    const struct eco_node *v)
{
	const char	*s, *name;
	size_t		 i;
	int		 sig;

	if ((s = eco_scalar(ctx, k->name, v, "a signal name")) == NULL)
		return;
	if ((sig = eco_signal_parse(s)) != -1) {
		name = eco_signal_name(sig);
		for (i = 0; eco_stop_signals[i] != NULL; i++) {
			if (strcmp(name, eco_stop_signals[i]) == 0) {
				ctx->c->stop_signal = sig;
				return;
			}
		}
	}
	eco_key_error(ctx, v, k->name, "expected one of SIGHUP, SIGINT, "
	    "SIGQUIT, SIGABRT, SIGKILL, SIGUSR1, SIGUSR2, SIGALRM or SIGTERM, "
	    "got \"%s\"", s);
}

/*
 * Parse a mapping of variables into a new array.  Returns 0, or -1 after
 * reporting (nothing is returned then).
 */
static int
eco_parse_env(struct eco_app_ctx *ctx, const char *key,
    const struct eco_node *v, struct eco_env **envp, size_t *np)
{
	struct eco_env	*env;
	char		 mpath[160], vkey[160];
	const char	*name, *val;
	size_t		 i, n = 0, before = ctx->errs->total;

	if (v->kind != ECO_N_MAP) {
		if (v->kind != ECO_N_BAD)
			eco_key_error(ctx, v, key, "expected a mapping of "
			    "variables, got %s", eco_node_what(v, vkey,
			    sizeof vkey));
		return -1;
	}
	snprintf(mpath, sizeof mpath, "%s%s%s", ctx->prefix,
	    *ctx->prefix != '\0' ? "." : "", key);
	env = xcalloc(v->nkids / 2 + 1, sizeof *env);
	for (i = 0; i + 1 < v->nkids; i += 2) {
		if ((name = eco_map_key(ctx->errs, mpath, v, i)) == NULL)
			continue;
		if (*name == '\0' || strchr(name, '=') != NULL) {
			eco_key_error(ctx, v->kids[i], key, "invalid variable "
			    "name \"%s\"", name);
			continue;
		}
		snprintf(vkey, sizeof vkey, "%s.%s", key, name);
		val = eco_scalar(ctx, vkey, v->kids[i + 1], "a scalar");
		if (val == NULL)
			continue;
		env[n].key = xstrdup(name);
		env[n++].value = xstrdup(val);
	}
	if (ctx->errs->total != before) {
		for (i = 0; i < n; i++) {
			free(env[i].key);
			free(env[i].value);
		}
		free(env);
		return -1;
	}
	*envp = env;
	*np = n;
	return 0;
}

static void
eco_set_env(struct eco_app_ctx *ctx, const struct eco_key *k,
    const struct eco_node *v)
{
	struct eco_env	*env;
	size_t		 n;

	/* env is seen once (duplicate keys are refused), so c->env is
	   still empty here. */
	if (eco_parse_env(ctx, k->name, v, &env, &n) != 0)
		return;
	ctx->c->env = env;
	ctx->c->nenv = n;
}

/* env_<name>: validated always, kept only when <name> was asked for. */
static void
eco_set_env_named(struct eco_app_ctx *ctx, const char *key,
    const struct eco_node *v)
{
	struct eco_env	*env;
	size_t		 n;

	if (eco_parse_env(ctx, key, v, &env, &n) != 0)
		return;
	if (ctx->env_name != NULL && strcmp(key + 4, ctx->env_name) == 0) {
		ctx->over = env;
		ctx->nover = n;
		return;
	}
	while (n-- > 0) {
		free(env[n].key);
		free(env[n].value);
	}
	free(env);
}

/* NULL if expr is a valid 5-field cron expression, else a new reason. */
static char *
eco_cron_check(const char *expr)
{
	struct cron	 c;
	char		*why;

	if (cron_parse(expr, &c, &why) == -1)
		return why;
	return NULL;
}

static void
eco_set_cron(struct eco_app_ctx *ctx, const struct eco_key *k,
    const struct eco_node *v)
{
	const char	*s;
	char		*why;

	if ((s = eco_scalar(ctx, k->name, v, "a cron expression")) == NULL)
		return;
	if ((why = eco_cron_check(s)) != NULL) {
		eco_key_error(ctx, v, k->name, "invalid cron expression "
		    "\"%s\": %s", s, why);
		free(why);
		return;
	}
	free(ctx->c->cron_restart);
	ctx->c->cron_restart = xstrdup(s);
}

typedef void (*eco_setter)(struct eco_app_ctx *, const struct eco_key *,
    const struct eco_node *);

static const eco_setter eco_setters[] = {
	[ECO_T_STRING] = eco_set_string,
	[ECO_T_STRLIST] = eco_set_strlist,
	[ECO_T_INT] = eco_set_int,
	[ECO_T_INSTANCES] = eco_set_instances,
	[ECO_T_BOOL] = eco_set_bool,
	[ECO_T_SIZE] = eco_set_size,
	[ECO_T_DURATION] = eco_set_duration,
	[ECO_T_SIGNAL] = eco_set_signal,
	[ECO_T_ENV] = eco_set_env,
	[ECO_T_CRON] = eco_set_cron,
};

/* "source" exists only in the wire form: the daemon's record of where
   an app came from. */
static void
eco_set_source(struct eco_app_ctx *ctx, const struct eco_node *v)
{
	const char	*s;

	if ((s = eco_scalar(ctx, "source", v, "a string")) == NULL)
		return;
	if (*s != '/') {
		eco_key_error(ctx, v, "source", "must be an absolute path, "
		    "got \"%s\"", s);
		return;
	}
	free(ctx->c->source);
	ctx->c->source = xstrdup(s);
}

/* Route one key to its setter; report keys that are not ours. */
static void
eco_app_key(struct eco_app_ctx *ctx, const struct eco_node *kn,
    const char *key, const struct eco_node *v)
{
	size_t	 i;

	if (ctx->dir == NULL && strcmp(key, "source") == 0) {
		eco_set_source(ctx, v);
		return;
	}
	for (i = 0; i < ECO_NKEYS; i++)
		if (strcmp(eco_keys[i].name, key) == 0)
			break;
	if (i < ECO_NKEYS) {
		ctx->seen[i] = true;
		eco_setters[eco_keys[i].type](ctx, &eco_keys[i], v);
		return;
	}
	/* The wire form carries env already merged: no env_* there. */
	if (ctx->dir != NULL && strncmp(key, "env_", 4) == 0 &&
	    key[4] != '\0') {
		eco_set_env_named(ctx, key, v);
		return;
	}
	eco_error(ctx->errs, kn->line, kn->col, "%s%sunknown key \"%s\"",
	    ctx->prefix, *ctx->prefix != '\0' ? ": " : "", key);
}

/* Defaults that depend on other keys, and the env merge. */
static void
eco_app_finish(struct eco_app_ctx *ctx, const struct eco_node *map)
{
	struct app_config	*c = ctx->c;
	char			*p;
	size_t			 i;

	for (i = 0; i < ECO_NKEYS; i++) {
		if (eco_keys[i].required && !ctx->seen[i])
			eco_error(ctx->errs, map->line, map->col, "%s%smissing "
			    "required key \"%s\"", ctx->prefix,
			    *ctx->prefix != '\0' ? ": " : "", eco_keys[i].name);
	}
	for (i = 0; i < ECO_NKEYS; i++) {
		if (strcmp(eco_keys[i].name, "cwd") != 0 || ctx->seen[i])
			continue;
		free(c->cwd);
		if (ctx->dir != NULL)
			c->cwd = xstrdup(ctx->dir);
		else {
			c->cwd = NULL;
			eco_error(ctx->errs, map->line, map->col, "missing "
			    "required key \"cwd\"");
		}
	}
	if (c->cwd != NULL && c->out_file != NULL && *c->out_file != '/') {
		p = eco_path_join(c->cwd, c->out_file);
		free(c->out_file);
		c->out_file = p;
	}
	if (c->cwd != NULL && c->error_file != NULL &&
	    *c->error_file != '/') {
		p = eco_path_join(c->cwd, c->error_file);
		free(c->error_file);
		c->error_file = p;
	}
	eco_env_merge(c, ctx->over, ctx->nover);
}

struct app_config *
eco_app_build(struct eco_errors *errs, const struct eco_node *map,
    const char *prefix, const char *dir, const char *env_name)
{
	struct eco_app_ctx	 ctx;
	const char		*key;
	size_t			 i, before = errs->total;

	memset(&ctx, 0, sizeof ctx);
	ctx.errs = errs;
	ctx.prefix = prefix;
	ctx.dir = dir;
	ctx.env_name = env_name;
	ctx.c = eco_config_new(NULL);
	for (i = 0; i + 1 < map->nkids; i += 2) {
		if ((key = eco_map_key(errs, prefix, map, i)) != NULL)
			eco_app_key(&ctx, map->kids[i], key, map->kids[i + 1]);
	}
	eco_app_finish(&ctx, map);
	for (i = 0; i < ctx.nover; i++) {
		free(ctx.over[i].key);
		free(ctx.over[i].value);
	}
	free(ctx.over);
	if (errs->total != before) {
		eco_config_free(ctx.c);
		return NULL;
	}
	return ctx.c;
}
