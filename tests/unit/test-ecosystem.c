/*
 * test-ecosystem: the ecosystem loaders (YAML and JSON), the key table,
 * the wire form and eco_resolve.
 *
 * Usage: test-ecosystem [DIR]
 *
 * DIR is the directory holding the bad-*.yaml|json / bad-*.err pairs
 * (default $PROCMAN_SRC/tests/ecosystem, else tests/ecosystem relative
 * to the working directory).  How paths appear: eco_load names the file
 * exactly as its caller passed it, so this test chdir()s into DIR and
 * loads each file by its base name; bad-x.err therefore holds
 * "bad-x.yaml:3:5: ..." - the cause eco_load returns, plus one newline.
 * The same holds for `cd DIR && procman validate bad-x.yaml`.
 *
 * Inline cases write their YAML to "t.yaml" (or t.json) in a scratch
 * directory that is the working directory while they run.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ecosystem.h"

static char	 bad_dir[PATH_MAX];	/* absolute: tests chdir around */
static char	 scratch[PATH_MAX];

/* ---- helpers --------------------------------------------------------- */

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 len;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static void
spit(const char *path, const char *text, size_t len)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* Load text as the file name (relative to the scratch directory). */
static int
load_as(const char *name, const char *text, const char *env,
    struct eco_file **ef, char **cause)
{
	assert_int_equal(chdir(scratch), 0);
	spit(name, text, strlen(text));
	return eco_load(name, env, ef, cause);
}

static struct eco_file *
load_ok(const char *text, const char *env)
{
	struct eco_file	*ef = NULL;
	char		*cause = NULL;

	if (load_as("t.yaml", text, env, &ef, &cause) != 0)
		fail_msg("unexpected error: %s", cause);
	assert_null(cause);
	return ef;
}

/* The load must fail with exactly this cause. */
static void
load_err_as(const char *name, const char *text, const char *want)
{
	struct eco_file	*ef = NULL;
	char		*cause = NULL;

	assert_int_equal(load_as(name, text, NULL, &ef, &cause), -1);
	assert_null(ef);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

static void
load_err(const char *text, const char *want)
{
	load_err_as("t.yaml", text, want);
}

/* One app with script x and the given extra lines. */
static void
app_err(const char *extra, const char *want)
{
	char	*text;

	assert_true(asprintf(&text, "apps:\n  - name: a\n    script: x\n%s",
	    extra) > 0);
	load_err(text, want);
	free(text);
}

static const char *
env_get(const struct app_config *c, const char *key)
{
	size_t	 i;

	for (i = 0; i < c->nenv; i++)
		if (strcmp(c->env[i].key, key) == 0)
			return c->env[i].value;
	return NULL;
}

static int
setup(void **state)
{
	char	 tmpl[] = "/tmp/test-ecosystem.XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, scratch));
	return 0;
}

static int
teardown(void **state)
{
	char	*cmd;

	(void)state;
	assert_int_equal(chdir("/"), 0);
	assert_true(asprintf(&cmd, "rm -rf '%s'", scratch) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

/* ---- the bad-*.err files --------------------------------------------- */

static bool
is_bad_file(const char *name)
{
	size_t	 len = strlen(name);

	if (strncmp(name, "bad-", 4) != 0)
		return false;
	return (len > 5 && strcmp(name + len - 5, ".yaml") == 0) ||
	    (len > 5 && strcmp(name + len - 5, ".json") == 0);
}

static void
test_bad_files(void **state)
{
	struct dirent	*de;
	struct eco_file	*ef;
	DIR		*d;
	char		*cause, *want, *got, errname[PATH_MAX];
	int		 n = 0, failed = 0;

	(void)state;
	assert_int_equal(chdir(bad_dir), 0);
	assert_non_null(d = opendir("."));
	while ((de = readdir(d)) != NULL) {
		if (!is_bad_file(de->d_name))
			continue;
		n++;
		snprintf(errname, sizeof errname, "%.*s.err",
		    (int)(strlen(de->d_name) - 5), de->d_name);
		if ((want = slurp(errname)) == NULL) {
			print_error("%s: no %s\n", de->d_name, errname);
			failed++;
			continue;
		}
		ef = NULL;
		cause = NULL;
		if (eco_load(de->d_name, NULL, &ef, &cause) == 0) {
			print_error("%s: loaded without error\n", de->d_name);
			eco_file_free(ef);
			failed++;
		} else {
			assert_true(asprintf(&got, "%s\n", cause) > 0);
			if (strcmp(got, want) != 0) {
				print_error("%s: expected:\n%sgot:\n%s",
				    de->d_name, want, got);
				failed++;
			}
			free(got);
		}
		free(cause);
		free(want);
	}
	closedir(d);
	assert_true(n >= 20);
	assert_int_equal(failed, 0);
}

static void
test_good_files(void **state)
{
	static const char *const names[] = { "good-minimal.yaml",
	    "good-full.yaml", "good-pm2.json", "good-bare-array.json", NULL };
	struct eco_file	*ef;
	char		*cause;
	size_t		 i;

	(void)state;
	assert_int_equal(chdir(bad_dir), 0);
	for (i = 0; names[i] != NULL; i++) {
		if (eco_load(names[i], NULL, &ef, &cause) != 0)
			fail_msg("%s: %s", names[i], cause);
		assert_true(ef->napps >= 1);
		assert_true(ef->path[0] == '/');
		eco_file_free(ef);
	}
}

/* ---- every key ------------------------------------------------------- */

static const char full_yaml[] =
    "apps:\n"
    "  - name: api.v2_x-1\n"
    "    script: ./server\n"
    "    args: \"--port 8080 --title 'my api'\"\n"
    "    interpreter: python3\n"
    "    cwd: srv/./x/\n"
    "    instances: 3\n"
    "    instance_var: APP_INDEX\n"
    "    env: {PORT: 8080, EMPTY: \"\", DEBUG: false}\n"
    "    env_production: {PORT: 80, LOG_LEVEL: warn}\n"
    "    max_memory_restart: 1.5G\n"
    "    autorestart: false\n"
    "    max_restarts: 3\n"
    "    min_uptime: 2s\n"
    "    restart_delay: 250ms\n"
    "    exp_backoff_restart_delay: 100\n"
    "    kill_timeout: 1m\n"
    "    stop_signal: INT\n"
    "    cron_restart: \"*/15 0-6,22 * 1-12/2 1-5\"\n"
    "    out_file: logs/out.log\n"
    "    error_file: /var/log/api.err\n"
    "    merge_logs: true\n"
    "    log_date_format: \"%Y-%m-%d %H:%M:%S\"\n"
    "    log_max_size: 512K\n"
    "    log_retain: 0\n"
    "    optimize: false\n";

static void
test_every_key(void **state)
{
	struct eco_file		*ef;
	struct app_config	*c;
	char			 want[PATH_MAX * 2];

	(void)state;
	ef = load_ok(full_yaml, NULL);
	assert_int_equal(ef->napps, 1);
	c = ef->apps[0];
	assert_string_equal(c->name, "api.v2_x-1");
	assert_string_equal(c->script, "./server");
	assert_int_equal(c->nargs, 4);
	assert_string_equal(c->args[3], "my api");
	assert_null(c->args[4]);
	assert_string_equal(c->interpreter, "python3");
	snprintf(want, sizeof want, "%s/srv/x", scratch);
	assert_string_equal(c->cwd, want);
	assert_int_equal(c->instances, 3);
	assert_string_equal(c->instance_var, "APP_INDEX");
	assert_int_equal(c->nenv, 3);
	assert_string_equal(env_get(c, "PORT"), "8080");
	assert_string_equal(env_get(c, "EMPTY"), "");
	assert_string_equal(env_get(c, "DEBUG"), "false");
	assert_null(env_get(c, "LOG_LEVEL"));
	assert_true(c->max_memory_restart == 3ULL << 29);
	assert_false(c->autorestart);
	assert_int_equal(c->max_restarts, 3);
	assert_true(c->min_uptime_ms == 2000);
	assert_true(c->restart_delay_ms == 250);
	assert_true(c->exp_backoff_ms == 100);
	assert_true(c->kill_timeout_ms == 60000);
	assert_int_equal(c->stop_signal, SIGINT);
	assert_string_equal(c->cron_restart, "*/15 0-6,22 * 1-12/2 1-5");
	snprintf(want, sizeof want, "%s/srv/x/logs/out.log", scratch);
	assert_string_equal(c->out_file, want);
	assert_string_equal(c->error_file, "/var/log/api.err");
	assert_true(c->merge_logs);
	assert_string_equal(c->log_date_format, "%Y-%m-%d %H:%M:%S");
	assert_true(c->log_max_size == 512 * 1024);
	assert_int_equal(c->log_retain, 0);
	assert_false(c->optimize);
	snprintf(want, sizeof want, "%s/t.yaml", scratch);
	assert_string_equal(c->source, want);
	assert_string_equal(ef->path, want);
	eco_file_free(ef);
}

static void
test_defaults(void **state)
{
	struct eco_file		*ef;
	struct app_config	*c;

	(void)state;
	ef = load_ok("apps:\n  - name: a\n    script: x\n", NULL);
	c = ef->apps[0];
	assert_string_equal(c->cwd, scratch);
	assert_int_equal(c->nargs, 0);
	assert_non_null(c->args);
	assert_null(c->args[0]);
	assert_null(c->interpreter);
	assert_int_equal(c->instances, 1);
	assert_string_equal(c->instance_var, "PROCMAN_INSTANCE");
	assert_int_equal(c->nenv, 0);
	assert_true(c->max_memory_restart == 0);
	assert_true(c->autorestart);
	assert_int_equal(c->max_restarts, 16);
	assert_true(c->min_uptime_ms == 1000);
	assert_true(c->restart_delay_ms == 0);
	assert_true(c->exp_backoff_ms == 0);
	assert_true(c->kill_timeout_ms == 1600);
	assert_int_equal(c->stop_signal, SIGTERM);
	assert_null(c->cron_restart);
	assert_null(c->out_file);
	assert_null(c->error_file);
	assert_false(c->merge_logs);
	assert_null(c->log_date_format);
	assert_true(c->log_max_size == 10 * 1024 * 1024);
	assert_int_equal(c->log_retain, 5);
	assert_true(c->optimize);
	eco_file_free(ef);
}

static void
test_env_merge(void **state)
{
	static const char yaml[] =
	    "apps:\n  - name: a\n    script: x\n"
	    "    env: {PORT: 8080, MODE: dev}\n"
	    "    env_production: {MODE: prod, EXTRA: 1}\n"
	    "    env_staging: {MODE: staging}\n";
	struct eco_file		*ef;
	struct app_config	*c;

	(void)state;
	ef = load_ok(yaml, "production");
	c = ef->apps[0];
	assert_int_equal(c->nenv, 3);
	assert_string_equal(c->env[0].key, "PORT");
	assert_string_equal(c->env[1].key, "MODE");
	assert_string_equal(c->env[1].value, "prod");
	assert_string_equal(c->env[2].key, "EXTRA");
	eco_file_free(ef);
	ef = load_ok(yaml, NULL);
	assert_int_equal(ef->apps[0]->nenv, 2);
	assert_string_equal(env_get(ef->apps[0], "MODE"), "dev");
	eco_file_free(ef);
	/* An env nobody declares changes nothing, as with PM2. */
	ef = load_ok(yaml, "nope");
	assert_string_equal(env_get(ef->apps[0], "MODE"), "dev");
	eco_file_free(ef);
	/* env_<name> alone, without env. */
	ef = load_ok("apps:\n  - name: a\n    script: x\n"
	    "    env_production: {A: b}\n", "production");
	assert_string_equal(env_get(ef->apps[0], "A"), "b");
	eco_file_free(ef);
}

static void
test_instances_max(void **state)
{
	struct eco_file	*ef;
	long		 cpus = sysconf(_SC_NPROCESSORS_ONLN);

	(void)state;
	ef = load_ok("apps:\n  - name: a\n    script: x\n    instances: max\n",
	    NULL);
	assert_int_equal(ef->apps[0]->instances, cpus < 1 ? 1 : cpus);
	eco_file_free(ef);
	ef = load_ok("apps:\n  - name: a\n    script: x\n"
	    "    instances: \"4\"\n", NULL);
	assert_int_equal(ef->apps[0]->instances, 4);
	eco_file_free(ef);
}

static void
test_args(void **state)
{
	struct eco_file		*ef;
	struct app_config	*c;

	(void)state;
	ef = load_ok("apps:\n  - name: a\n    script: x\n"
	    "    args: [--port, 8080, \"a b\", '']\n", NULL);
	c = ef->apps[0];
	assert_int_equal(c->nargs, 4);
	assert_string_equal(c->args[1], "8080");
	assert_string_equal(c->args[2], "a b");
	assert_string_equal(c->args[3], "");
	eco_file_free(ef);
	ef = load_ok("apps:\n  - name: a\n    script: x\n"
	    "    args: -c 'echo \"hi there\"' x\\ y\n", NULL);
	c = ef->apps[0];
	assert_int_equal(c->nargs, 3);
	assert_string_equal(c->args[0], "-c");
	assert_string_equal(c->args[1], "echo \"hi there\"");
	assert_string_equal(c->args[2], "x y");
	eco_file_free(ef);
	app_err("    args: \"'oops\"\n", "t.yaml:4:11: apps[0].args: cannot "
	    "split \"'oops\": unterminated quote");
}

static void
test_cwd(void **state)
{
	struct eco_file	*ef;
	char		 want[PATH_MAX * 2];

	(void)state;
	ef = load_ok("apps:\n  - name: a\n    script: x\n    cwd: /srv//api/\n"
	    "  - name: b\n    script: x\n    cwd: ./sub\n"
	    "  - name: c\n    script: x\n    cwd: .\n", NULL);
	assert_string_equal(ef->apps[0]->cwd, "/srv/api");
	snprintf(want, sizeof want, "%s/sub", scratch);
	assert_string_equal(ef->apps[1]->cwd, want);
	assert_string_equal(ef->apps[2]->cwd, scratch);
	eco_file_free(ef);
	/* Loaded from elsewhere, the file's directory still counts. */
	assert_int_equal(mkdir("d", 0700), 0);
	spit("d/e.yaml", "apps:\n  - name: a\n    script: x\n", 32);
	assert_int_equal(chdir("/"), 0);
	snprintf(want, sizeof want, "%s/d/e.yaml", scratch);
	{
		struct eco_file	*ef2;
		char		*cause;

		assert_int_equal(eco_load(want, NULL, &ef2, &cause), 0);
		snprintf(want, sizeof want, "%s/d", scratch);
		assert_string_equal(ef2->apps[0]->cwd, want);
		eco_file_free(ef2);
	}
}

/* ---- error classes ---------------------------------------------------- */

static void
test_errors_keys(void **state)
{
	(void)state;
	app_err("    scirpt: y\n",
	    "t.yaml:4:5: apps[0]: unknown key \"scirpt\"");
	app_err("    env_: {}\n", "t.yaml:4:5: apps[0]: unknown key \"env_\"");
	app_err("    source: /x\n",
	    "t.yaml:4:5: apps[0]: unknown key \"source\"");
	app_err("    script: y\n",
	    "t.yaml:4:5: apps[0]: duplicate key \"script\" (first at 3:5)");
	app_err("    env: {A: 1, A: 2}\n", "t.yaml:4:17: apps[0].env: "
	    "duplicate key \"A\" (first at 4:11)");
	load_err("apps:\n  - name: a\n", "t.yaml:2:5: apps[0]: missing "
	    "required key \"script\"");
	load_err("apps:\n  - script: a\n", "t.yaml:2:5: apps[0]: missing "
	    "required key \"name\"");
	load_err("apps:\n  - name: a\n    script: x\n  - name: a\n"
	    "    script: y\n", "t.yaml:4:11: apps[1].name: duplicate app "
	    "name \"a\" (first at 2:11)");
	load_err("apps:\n  - name: a/b\n    script: x\n", "t.yaml:2:11: "
	    "apps[0].name: invalid name \"a/b\": use letters, digits, '.', "
	    "'_' and '-'");
	load_err("apps:\n  - name: ..\n    script: x\n", "t.yaml:2:11: "
	    "apps[0].name: invalid name \"..\": use letters, digits, '.', "
	    "'_' and '-'");
}

static void
test_errors_values(void **state)
{
	(void)state;
	app_err("    args: {a: 1}\n", "t.yaml:4:11: apps[0].args: expected "
	    "a list or a string, got a mapping");
	app_err("    cwd: [a]\n", "t.yaml:4:10: apps[0].cwd: expected a "
	    "string, got a sequence");
	app_err("    interpreter: \"\"\n", "t.yaml:4:18: apps[0].interpreter: "
	    "must not be empty");
	app_err("    max_memory_restart: 2X\n", "t.yaml:4:25: "
	    "apps[0].max_memory_restart: expected a size like 200M or 1.5G, "
	    "got \"2X\" (unknown unit)");
	app_err("    min_uptime: 1x\n", "t.yaml:4:17: apps[0].min_uptime: "
	    "expected a duration like 250ms, 2s or 1m, got \"1x\" (unknown "
	    "unit)");
	app_err("    kill_timeout: -5\n", "t.yaml:4:19: apps[0].kill_timeout: "
	    "expected a duration like 250ms, 2s or 1m, got \"-5\" (must not "
	    "be negative)");
	app_err("    instances: two\n", "t.yaml:4:16: apps[0].instances: "
	    "expected a positive integer or \"max\", got \"two\"");
	app_err("    instances: -1\n", "t.yaml:4:16: apps[0].instances: "
	    "expected a positive integer or \"max\", got \"-1\"");
	app_err("    autorestart: no\n", "t.yaml:4:18: apps[0].autorestart: "
	    "expected true or false, got \"no\" (YAML 1.1 booleans like yes, "
	    "no, on and off are not accepted)");
	app_err("    optimize: True\n", "t.yaml:4:15: apps[0].optimize: "
	    "expected true or false, got \"True\"");
	app_err("    max_restarts: 1.5\n", "t.yaml:4:19: apps[0].max_restarts: "
	    "expected an integer from 0 to 1000000, got \"1.5\"");
	app_err("    stop_signal: SIGSEGV\n", "t.yaml:4:18: "
	    "apps[0].stop_signal: expected one of SIGHUP, SIGINT, SIGQUIT, "
	    "SIGABRT, SIGKILL, SIGUSR1, SIGUSR2, SIGALRM or SIGTERM, got "
	    "\"SIGSEGV\"");
	app_err("    instance_var: A-B\n", "t.yaml:4:19: apps[0].instance_var: "
	    "invalid variable name \"A-B\": use letters, digits and '_'");
	app_err("    env: {A: {b: 1}}\n", "t.yaml:4:14: apps[0].env.A: "
	    "expected a scalar, got a mapping");
	app_err("    name2: x\n    log_retain: 1001\n", "t.yaml:4:5: apps[0]: "
	    "unknown key \"name2\"\nt.yaml:5:17: apps[0].log_retain: expected "
	    "an integer from 0 to 1000, got \"1001\"");
}

static void
test_signals(void **state)
{
	struct eco_file	*ef;

	(void)state;
	ef = load_ok("apps:\n"
	    "  - {name: a, script: x, stop_signal: SIGTERM}\n"
	    "  - {name: b, script: x, stop_signal: TERM}\n"
	    "  - {name: c, script: x, stop_signal: 15}\n"
	    "  - {name: d, script: x, stop_signal: sigkill}\n"
	    "  - {name: e, script: x, stop_signal: USR2}\n", NULL);
	assert_int_equal(ef->apps[0]->stop_signal, SIGTERM);
	assert_int_equal(ef->apps[1]->stop_signal, SIGTERM);
	assert_int_equal(ef->apps[2]->stop_signal, SIGTERM);
	assert_int_equal(ef->apps[3]->stop_signal, SIGKILL);
	assert_int_equal(ef->apps[4]->stop_signal, SIGUSR2);
	eco_file_free(ef);
	assert_int_equal(eco_signal_parse("SIGHUP"), SIGHUP);
	assert_int_equal(eco_signal_parse("9"), SIGKILL);
	assert_int_equal(eco_signal_parse("SIGFOO"), -1);
	assert_int_equal(eco_signal_parse("99"), -1);
	assert_int_equal(eco_signal_parse(""), -1);
	assert_int_equal(eco_signal_parse("15x"), -1);
	assert_string_equal(eco_signal_name(SIGTERM), "SIGTERM");
	assert_string_equal(eco_signal_name(SIGSEGV), "SIGSEGV");
	assert_null(eco_signal_name(0));
}

static void
test_cron(void **state)
{
	static const char *const good[] = { "0 3 * * *", "*/5 * * * *",
	    "0,30 8-18 * * 1-5", "0 0 1 1 0", "0 0 31 12 7", "0 0-23/2 * * *",
	    "  5   4 * * *  ", "5/10 * * * *", NULL };
	static const char *const bad[][2] = {
		{ "* * * *", "expected 5 fields (minute hour day-of-month "
		  "month day-of-week), got 4" },
		{ "* * * * * *", "expected 5 fields (minute hour day-of-month "
		  "month day-of-week), got more" },
		{ "60 * * * *", "minute 60 is out of range 0-59" },
		{ "* 24 * * *", "hour 24 is out of range 0-23" },
		{ "* * 32 * *", "day of month 32 is out of range 1-31" },
		{ "* * * 13 *", "month 13 is out of range 1-12" },
		{ "* * * * 8", "day of week 8 is out of range 0-7" },
		{ "5-1 * * * *", "minute range 5-1 is backwards" },
		{ "*/0 * * * *", "minute step 0 is out of range 1-59" },
		{ "1,,2 * * * *", "bad minute field" },
		{ "x * * * *", "bad minute \"x\"" },
		{ "1- * * * *", "bad minute \"1-\"" },
		{ "* * * * MON", "bad day of week \"MON\"" },
		{ NULL, NULL }
	};
	struct eco_file	*ef;
	char		*yaml, *want;
	size_t		 i;

	(void)state;
	for (i = 0; good[i] != NULL; i++) {
		assert_true(asprintf(&yaml, "apps:\n  - name: a\n    script: "
		    "x\n    cron_restart: \"%s\"\n", good[i]) > 0);
		ef = load_ok(yaml, NULL);
		assert_string_equal(ef->apps[0]->cron_restart, good[i]);
		eco_file_free(ef);
		free(yaml);
	}
	for (i = 0; bad[i][0] != NULL; i++) {
		assert_true(asprintf(&yaml, "    cron_restart: \"%s\"\n",
		    bad[i][0]) > 0);
		assert_true(asprintf(&want, "t.yaml:4:19: "
		    "apps[0].cron_restart: "
		    "invalid cron expression \"%s\": %s", bad[i][0],
		    bad[i][1]) > 0);
		app_err(yaml, want);
		free(yaml);
		free(want);
	}
}

static void
test_errors_structure(void **state)
{
	char	*big, *cause;
	size_t	 n = 1024 * 1024 + 1;
	struct eco_file	*ef;

	(void)state;
	load_err("", "t.yaml: no apps (the file is empty)");
	load_err("# only a comment\n", "t.yaml: no apps (the file is empty)");
	load_err("apps: []\n", "t.yaml:1:7: apps: no apps");
	load_err("- a\n", "t.yaml:1:1: expected a mapping with the key "
	    "\"apps\", got a sequence");
	load_err("hello\n", "t.yaml:1:1: expected a mapping with the key "
	    "\"apps\", got \"hello\"");
	load_err("apps:\n  - name: a\n    script: x\nx: 1\n", "t.yaml:4:1: "
	    "unknown top-level key \"x\" (only \"apps\" is allowed)");
	load_err("apps: {}\n", "t.yaml:1:7: apps: expected a sequence of "
	    "apps, got a mapping");
	load_err("apps:\n  - name: a\n    script: &s x\n", "t.yaml:3:13: "
	    "anchors (&s) are not supported: write the value out");
	load_err("apps:\n  - name: a\n    script: *s\n", "t.yaml:3:13: "
	    "aliases (*s) are not supported: write the value out");
	load_err("apps:\n  - name: a\n    <<: {script: x}\n", "t.yaml:3:5: "
	    "apps[0]: merge keys (\"<<\") are not supported: write the keys "
	    "out\nt.yaml:2:5: apps[0]: missing required key \"script\"");
	load_err("apps:\n  - name: a\n   script: x\n", "t.yaml:3:4: did not "
	    "find expected '-' indicator (while parsing a block collection at "
	    "2:3)");
	load_err("apps: [\n", "t.yaml:2:1: did not find expected node "
	    "content (while parsing a flow node at 2:1)");
	load_err("apps:\n  - name: \xff\n", "t.yaml: byte 16: invalid UTF-8 "
	    "(invalid leading UTF-8 octet)");
	load_err("apps:\n  - {name: a, script: x}\n---\napps: []\n",
	    "t.yaml:3:1: more than one YAML document: put every app under "
	    "one \"apps\"");
	load_err("apps:\n  - {name: \"a\\nb\", script: x}\n", "t.yaml:2:12: "
	    "apps[0].name: invalid name \"a\\nb\": use letters, digits, '.', "
	    "'_' and '-'");
	/* Too big to read at all. */
	assert_int_equal(chdir(scratch), 0);
	big = malloc(n);
	assert_non_null(big);
	memset(big, '#', n);
	spit("big.yaml", big, n);
	free(big);
	assert_int_equal(eco_load("big.yaml", NULL, &ef, &cause), -1);
	assert_string_equal(cause, "big.yaml: file is larger than 1 MiB");
	free(cause);
	assert_int_equal(eco_load("nope.yaml", NULL, &ef, &cause), -1);
	assert_string_equal(cause, "nope.yaml: No such file or directory");
	free(cause);
	assert_int_equal(eco_load(".", NULL, &ef, &cause), -1);
	assert_string_equal(cause, ".: Is a directory");
	free(cause);
}

static void
test_errors_capped(void **state)
{
	char	 yaml[4096], *cause, *p;
	struct eco_file	*ef;
	size_t	 i, lines = 0;

	(void)state;
	p = yaml + sprintf(yaml, "apps:\n");
	for (i = 0; i < 30; i++)
		p += sprintf(p, "  - {name: a%zu, script: x, instances: 0}\n",
		    i);
	assert_int_equal(load_as("t.yaml", yaml, NULL, &ef, &cause), -1);
	for (p = cause; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_int_equal(lines, 20);
	assert_non_null(strstr(cause, "\n... and 10 more errors"));
	assert_true(cause[strlen(cause) - 1] != '\n');
	free(cause);
}

/* ---- JSON ------------------------------------------------------------- */

static void
test_json_files(void **state)
{
	struct eco_file	*ef = NULL;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(load_as("t.json", "{\"apps\": [{\"name\": \"a\", "
	    "\"script\": \"x\", \"instances\": 2, \"max_memory_restart\": "
	    "\"1K\", \"kill_timeout\": 500, \"env\": {\"N\": 1.5}, "
	    "\"autorestart\": false}]}", "x", &ef, &cause), 0);
	assert_int_equal(ef->apps[0]->instances, 2);
	assert_true(ef->apps[0]->max_memory_restart == 1024);
	assert_true(ef->apps[0]->kill_timeout_ms == 500);
	assert_string_equal(env_get(ef->apps[0], "N"), "1.5");
	assert_false(ef->apps[0]->autorestart);
	eco_file_free(ef);
	assert_int_equal(load_as("t.json", "[{\"name\": \"a\", \"script\": "
	    "\"x\"}, {\"name\": \"b\", \"script\": \"y\", \"env_prod\": "
	    "{\"A\": \"1\"}}]", "prod", &ef, &cause), 0);
	assert_int_equal(ef->napps, 2);
	assert_string_equal(env_get(ef->apps[1], "A"), "1");
	eco_file_free(ef);
	load_err_as("t.json", "{\"apps\": [\n  {\"name\": 1,,}\n]}",
	    "t.json:2:15: JSON syntax error");
	load_err_as("t.json", "{\"apps\": [{\"name\": \"a\", \"script\": "
	    "\"x\", \"instances\": 1.5, \"name\": \"b\"}]}",
	    "t.json: apps[0].instances: expected a positive integer or "
	    "\"max\", got \"1.5\"\nt.json: apps[0]: duplicate key \"name\"");
	load_err_as("t.json", "{\"apps\": [], \"deploy\": {}}",
	    "t.json: unknown top-level key \"deploy\" (only \"apps\" is "
	    "allowed)\nt.json: apps: no apps");
	load_err_as("t.json", "{\"apps\": [{\"name\": \"a\", \"script\": "
	    "\"\xc3\"}]}", "t.json: byte 35: invalid UTF-8");
	load_err_as("t.json", "", "t.json:1:1: JSON syntax error");
	load_err_as("t.json", "{\"apps\": [{\"name\": \"a\", \"script\": "
	    "\"x\", \"kill_timeout\": 1e400}]}",
	    "t.json: apps[0].kill_timeout: expected a duration like 250ms, "
	    "2s or 1m, got \"inf\" (not a number)");
}

static void
assert_config_equal(const struct app_config *a, const struct app_config *b)
{
	size_t	 i;

#define SEQ(f) do {							\
	if (a->f == NULL || b->f == NULL)				\
		assert_ptr_equal(a->f, b->f);				\
	else								\
		assert_string_equal(a->f, b->f);			\
} while (0)
	SEQ(name);
	SEQ(script);
	SEQ(interpreter);
	SEQ(cwd);
	SEQ(instance_var);
	SEQ(cron_restart);
	SEQ(out_file);
	SEQ(error_file);
	SEQ(log_date_format);
	SEQ(source);
#undef SEQ
	assert_int_equal(a->nargs, b->nargs);
	for (i = 0; i < a->nargs; i++)
		assert_string_equal(a->args[i], b->args[i]);
	assert_null(b->args[b->nargs]);
	assert_int_equal(a->nenv, b->nenv);
	for (i = 0; i < a->nenv; i++) {
		assert_string_equal(a->env[i].key, b->env[i].key);
		assert_string_equal(a->env[i].value, b->env[i].value);
	}
	assert_int_equal(a->instances, b->instances);
	assert_true(a->max_memory_restart == b->max_memory_restart);
	assert_int_equal(a->autorestart, b->autorestart);
	assert_int_equal(a->max_restarts, b->max_restarts);
	assert_true(a->min_uptime_ms == b->min_uptime_ms);
	assert_true(a->restart_delay_ms == b->restart_delay_ms);
	assert_true(a->exp_backoff_ms == b->exp_backoff_ms);
	assert_true(a->kill_timeout_ms == b->kill_timeout_ms);
	assert_int_equal(a->stop_signal, b->stop_signal);
	assert_int_equal(a->merge_logs, b->merge_logs);
	assert_true(a->log_max_size == b->log_max_size);
	assert_int_equal(a->log_retain, b->log_retain);
	assert_int_equal(a->optimize, b->optimize);
}

static void
test_json_round_trip(void **state)
{
	struct eco_file		*ef;
	struct app_config	*back, *dup, *adhoc;
	cJSON			*j, *j2;
	char			*cause = NULL, *s1, *s2;

	(void)state;
	ef = load_ok(full_yaml, "production");
	j = eco_config_to_json(ef->apps[0]);
	assert_non_null(j);
	assert_null(cJSON_GetObjectItemCaseSensitive(j, "env_production"));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(j,
	    "stop_signal")->valuestring, "SIGINT");
	assert_true(cJSON_GetObjectItemCaseSensitive(j,
	    "max_memory_restart")->valuedouble == 1610612736.0);
	back = eco_config_from_json(j, &cause);
	if (back == NULL)
		fail_msg("from_json: %s", cause);
	assert_config_equal(ef->apps[0], back);
	j2 = eco_config_to_json(back);
	s1 = cJSON_PrintUnformatted(j);
	s2 = cJSON_PrintUnformatted(j2);
	assert_string_equal(s1, s2);
	cJSON_free(s1);
	cJSON_free(s2);
	cJSON_Delete(j2);
	dup = eco_config_dup(back);
	assert_config_equal(back, dup);
	eco_config_free(dup);
	eco_config_free(back);
	cJSON_Delete(j);
	/* An ad-hoc config has no source and survives too. */
	adhoc = eco_config_new("adhoc");
	free(adhoc->script);
	adhoc->script = strdup("/bin/sleep");
	j = eco_config_to_json(adhoc);
	assert_null(cJSON_GetObjectItemCaseSensitive(j, "source"));
	back = eco_config_from_json(j, &cause);
	assert_non_null(back);
	assert_config_equal(adhoc, back);
	eco_config_free(back);
	eco_config_free(adhoc);
	cJSON_Delete(j);
	eco_file_free(ef);
}

static void
from_json_err(const char *text, const char *want)
{
	cJSON			*j;
	struct app_config	*c;
	char			*cause = NULL;

	assert_non_null(j = cJSON_Parse(text));
	c = eco_config_from_json(j, &cause);
	assert_null(c);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
	cJSON_Delete(j);
}

static void
test_json_wire_errors(void **state)
{
	(void)state;
	from_json_err("[]", "app config: expected a JSON object");
	from_json_err("{\"name\": \"a\", \"script\": \"/x\", \"cwd\": \"/\", "
	    "\"bogus\": 1}", "unknown key \"bogus\"");
	from_json_err("{\"name\": \"a\", \"script\": \"/x\", \"cwd\": \"/\", "
	    "\"env_production\": {}}", "unknown key \"env_production\"");
	from_json_err("{\"name\": \"../etc\", \"script\": \"/x\", \"cwd\": "
	    "\"/\"}", "name: invalid name \"../etc\": use letters, digits, "
	    "'.', '_' and '-'");
	from_json_err("{\"name\": \"a\", \"script\": \"/x\", \"cwd\": \"rel\"}",
	    "cwd: must be an absolute path, got \"rel\"");
	from_json_err("{\"name\": \"a\", \"script\": \"/x\"}",
	    "missing required key \"cwd\"");
	from_json_err("{\"name\": \"a\", \"script\": \"/x\", \"cwd\": \"/\", "
	    "\"instances\": 1e12}", "instances: at most 1024 instances, got "
	    "\"1000000000000\"");
	from_json_err("{\"name\": \"a\", \"script\": \"/x\", \"cwd\": \"/\", "
	    "\"max_memory_restart\": 1e300}", "max_memory_restart: expected a "
	    "size like 200M or 1.5G, got \"1.0000000000000001e+300\" (unknown "
	    "unit)");
	from_json_err("{\"name\": \"a\", \"script\": \"/x\", \"cwd\": \"/\", "
	    "\"args\": [1, null]}", "args[1]: expected a string, got nothing "
	    "(null)");
	from_json_err("{\"name\": \"a\", \"name\": \"b\", \"script\": \"/x\", "
	    "\"cwd\": \"/\", \"source\": \"x\"}", "duplicate key \"name\" (and "
	    "1 more errors)");
	from_json_err("{\"Name\": \"a\", \"script\": \"/x\", \"cwd\": \"/\"}",
	    "unknown key \"Name\" (and 1 more errors)");
}

/* ---- names, new, resolve --------------------------------------------- */

static void
test_names(void **state)
{
	char	 long_name[ECO_NAME_MAX + 2];

	(void)state;
	assert_true(eco_name_valid("api"));
	assert_true(eco_name_valid("a.b_c-D9"));
	assert_true(eco_name_valid("..."));
	assert_false(eco_name_valid(""));
	assert_false(eco_name_valid("."));
	assert_false(eco_name_valid(".."));
	assert_false(eco_name_valid("a/b"));
	assert_false(eco_name_valid("a b"));
	assert_false(eco_name_valid("é"));
	assert_false(eco_name_valid(NULL));
	memset(long_name, 'a', sizeof long_name);
	long_name[ECO_NAME_MAX] = '\0';
	assert_true(eco_name_valid(long_name));
	long_name[ECO_NAME_MAX] = 'a';
	long_name[ECO_NAME_MAX + 1] = '\0';
	assert_false(eco_name_valid(long_name));
}

static void
test_key_table(void **state)
{
	size_t	 i, n = 0;

	(void)state;
	for (i = 0; eco_keys[i].name != NULL; i++) {
		assert_non_null(eco_keys[i].doc);
		n++;
	}
	assert_int_equal(n, 25);
	assert_string_equal(eco_keys[0].name, "name");
	assert_true(eco_keys[0].required);
	assert_true(eco_keys[1].required);
}

/* A fresh config to resolve, in the scratch directory. */
static struct app_config *
rconf(const char *script, const char *interpreter)
{
	struct app_config	*c;

	c = eco_config_new("r");
	free(c->cwd);
	c->cwd = strdup(scratch);
	c->script = strdup(script);
	c->interpreter = interpreter != NULL ? strdup(interpreter) : NULL;
	return c;
}

static void resolve_err(const char *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Resolving must fail with the cause fmt (printf-style) describes. */
static void
resolve_err(const char *script, const char *interpreter, const char *fmt,
    ...)
{
	struct app_config	*c = rconf(script, interpreter);
	char			*cause = NULL, *want;
	va_list			 ap;

	assert_int_equal(eco_resolve(c, &cause), -1);
	va_start(ap, fmt);
	assert_true(vasprintf(&want, fmt, ap) > 0);
	va_end(ap);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	eco_config_free(c);
}

static void
test_resolve(void **state)
{
	struct app_config	*c;
	char			*cause = NULL, want[PATH_MAX * 2];

	(void)state;
	assert_int_equal(chdir(scratch), 0);
	spit("run", "#!/bin/sh\n", 10);
	assert_int_equal(chmod("run", 0755), 0);
	spit("x.txt", "hi\n", 3);
	spit("app.py", "print(1)\n", 9);
	assert_int_equal(mkdir("dir", 0700), 0);

	c = rconf("./run", NULL);
	assert_int_equal(eco_resolve(c, &cause), 0);
	snprintf(want, sizeof want, "%s/run", scratch);
	assert_string_equal(c->script, want);
	assert_null(c->interpreter);
	eco_config_free(c);

	/* A bare name: PATH first, then cwd. */
	c = rconf("sh", NULL);
	assert_int_equal(eco_resolve(c, &cause), 0);
	assert_true(c->script[0] == '/');
	assert_int_equal(access(c->script, X_OK), 0);
	eco_config_free(c);
	c = rconf("run", NULL);
	assert_int_equal(eco_resolve(c, &cause), 0);
	assert_string_equal(c->script, want);
	eco_config_free(c);

	c = rconf("app.py", NULL);
	assert_int_equal(eco_resolve(c, &cause), 0);
	assert_non_null(c->interpreter);
	assert_non_null(strstr(c->interpreter, "/python3"));
	eco_config_free(c);

	c = rconf("x.txt", "sh");
	assert_int_equal(eco_resolve(c, &cause), 0);
	assert_true(c->interpreter[0] == '/');
	eco_config_free(c);

	c = rconf("./run", "none");
	assert_int_equal(eco_resolve(c, &cause), 0);
	assert_null(c->interpreter);
	eco_config_free(c);

	resolve_err("./nope", NULL, "script \"./nope\" not found in %s: No "
	    "such file or directory", scratch);
	resolve_err("/nonexistent/x", NULL, "script \"/nonexistent/x\" not "
	    "found: No such file or directory");
	resolve_err("no-such-program-xyz", NULL, "script "
	    "\"no-such-program-xyz\" not found in PATH or in %s", scratch);
	resolve_err("x.txt", NULL, "script \"x.txt\" is not executable and "
	    "has no interpreter");
	resolve_err("./dir", NULL, "script \"./dir\" is a directory");
	resolve_err("./run", "no-such-interp-xyz", "interpreter "
	    "\"no-such-interp-xyz\" not found in PATH or in %s", scratch);
	resolve_err("./run", "./x.txt", "interpreter \"./x.txt\" is not "
	    "executable");

	c = rconf("./run", NULL);
	free(c->cwd);
	c->cwd = strdup("/nonexistent-dir");
	assert_int_equal(eco_resolve(c, &cause), -1);
	assert_string_equal(cause, "cwd \"/nonexistent-dir\": No such file or "
	    "directory");
	free(cause);
	eco_config_free(c);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_good_files),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_env_merge),
		cmocka_unit_test(test_instances_max),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_cwd),
		cmocka_unit_test(test_errors_keys),
		cmocka_unit_test(test_errors_values),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_cron),
		cmocka_unit_test(test_errors_structure),
		cmocka_unit_test(test_errors_capped),
		cmocka_unit_test(test_json_files),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_wire_errors),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_key_table),
		cmocka_unit_test(test_resolve),
	};
	const char	*src;
	char		 dir[PATH_MAX];

	if (argc > 1)
		snprintf(dir, sizeof dir, "%s", argv[1]);
	else if ((src = getenv("PROCMAN_SRC")) != NULL && *src != '\0')
		snprintf(dir, sizeof dir, "%s/tests/ecosystem", src);
	else
		snprintf(dir, sizeof dir, "tests/ecosystem");
	if (realpath(dir, bad_dir) == NULL) {
		fprintf(stderr, "test-ecosystem: %s: cannot find the test "
		    "files\n", dir);
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
