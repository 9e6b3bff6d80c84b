/*
 * describe: everything the daemon knows about the target's procs, as
 * key/value blocks for people or, with --json, the daemon's objects.
 *
 * The human form walks whatever fields the daemon sends, so a field
 * added later shows up without a CLI change; only the way a value is
 * printed (sizes, durations, times) depends on the key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "ecosystem.h"
#include "output.h"
#include "units.h"

static int	cmd_describe_exec(struct cmd_ctx *);

static const struct option cmd_describe_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 }
};

const struct cmd_entry cmd_describe_entry = {
	.name = "describe",
	.shortopts = "",
	.longopts = cmd_describe_options,
	.usage = "name|id|all [--json]",
	.doc =
	    "Show everything known about the target's processes: state, last\n"
	    "exit, restart reasons, log files and the app's configuration.\n"
	    "With --json, print the daemon's objects as a JSON array.",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_describe_exec,
};

/* How a value of this key is printed. */
enum describe_kind {
	DESCRIBE_PLAIN,
	DESCRIBE_SIZE,		/* bytes */
	DESCRIBE_DURATION,	/* milliseconds, of a config key */
	DESCRIBE_UPTIME,	/* milliseconds, of a measured span */
	DESCRIBE_TIME,		/* unix milliseconds */
	DESCRIBE_PERCENT,
};

static enum describe_kind
describe_kind(const char *key)
{
	const struct eco_key	*k;
	size_t			 len = strlen(key);

	if (strcmp(key, "memory") == 0)
		return (DESCRIBE_SIZE);
	if (strcmp(key, "cpu") == 0)
		return (DESCRIBE_PERCENT);
	if (len > 3 && strcmp(key + len - 3, "_ms") == 0)
		return (DESCRIBE_UPTIME);
	if (len > 3 && strcmp(key + len - 3, "_at") == 0)
		return (DESCRIBE_TIME);
	/* Config keys in wire form: the key table knows their units. */
	for (k = eco_keys; k->name != NULL; k++) {
		if (strcmp(k->name, key) != 0)
			continue;
		if (k->type == ECO_T_SIZE)
			return (DESCRIBE_SIZE);
		if (k->type == ECO_T_DURATION)
			return (DESCRIBE_DURATION);
	}
	return (DESCRIBE_PLAIN);
}

/* Durations as a user would write them: 1600ms, 2s, 5m, 1h. */
static void
describe_duration(unsigned long long ms, char *buf, size_t len)
{
	if (ms != 0 && ms % 3600000 == 0)
		snprintf(buf, len, "%lluh", ms / 3600000);
	else if (ms != 0 && ms % 60000 == 0)
		snprintf(buf, len, "%llum", ms / 60000);
	else if (ms != 0 && ms % 1000 == 0)
		snprintf(buf, len, "%llus", ms / 1000);
	else
		snprintf(buf, len, "%llums", ms);
}

static void
describe_number(const char *key, double v, char *buf, size_t len)
{
	time_t		 t;
	struct tm	 tm;

	switch (describe_kind(key)) {
	case DESCRIBE_SIZE:
		if (v <= 0)
			snprintf(buf, len, "%s", v == 0 &&
			    strcmp(key, "memory") != 0 ? "none" : "0b");
		else
			units_format_size((uint64_t)v, buf, len);
		break;
	case DESCRIBE_DURATION:
		describe_duration(v > 0 ? (unsigned long long)v : 0, buf, len);
		break;
	case DESCRIBE_UPTIME:
		units_format_uptime(v > 0 ? (uint64_t)v : 0, buf, len);
		break;
	case DESCRIBE_TIME:
		t = (time_t)(v / 1000);
		if (v <= 0 || localtime_r(&t, &tm) == NULL)
			snprintf(buf, len, "-");
		else
			strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
		break;
	case DESCRIBE_PERCENT:
		snprintf(buf, len, "%.1f%%", v);
		break;
	case DESCRIBE_PLAIN:
		if (v == (double)(long long)v)
			snprintf(buf, len, "%lld", (long long)v);
		else
			snprintf(buf, len, "%g", v);
		break;
	}
}

/* A word as sh would need it: quoted only when it has to be. */
static void
describe_word(const char *s)
{
	const char	*p;

	if (*s != '\0' && strpbrk(s, " \t\n'\"\\$`*?[]{}()<>|&;#~!") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*p);
	}
	putchar('\'');
}

static void	describe_object(const cJSON *, int indent);

static void
describe_value(const cJSON *item, int indent)
{
	const cJSON	*v;
	char		 buf[64];
	int		 first = 1;

	if (cJSON_IsNull(item))
		fputs("-", stdout);
	else if (cJSON_IsBool(item))
		fputs(cJSON_IsTrue(item) ? "true" : "false", stdout);
	else if (cJSON_IsString(item))
		fputs(item->valuestring, stdout);
	else if (cJSON_IsNumber(item)) {
		describe_number(item->string != NULL ? item->string : "",
		    item->valuedouble, buf, sizeof buf);
		fputs(buf, stdout);
	} else if (cJSON_IsArray(item)) {
		cJSON_ArrayForEach(v, item) {
			if (!first)
				putchar(' ');
			first = 0;
			if (cJSON_IsString(v))
				describe_word(v->valuestring);
			else
				describe_value(v, indent);
		}
	} else if (cJSON_IsObject(item)) {
		if (item->child == NULL)
			fputs("-", stdout);
		else {
			putchar('\n');
			describe_object(item, indent + 2);
			return;
		}
	}
	putchar('\n');
}

/*
 * The sample history is for monit's sparklines; here it is summed up:
 * "62 samples every 1s: cpu avg 0.3% peak 1.0%, memory peak 55.8mb".
 */
static void
describe_history(const cJSON *h)
{
	const cJSON	*interval, *cpu, *mem, *v;
	double		 sum = 0, peak = 0, mpeak = 0;
	int		 n = 0, nmem = 0;
	char		 every[32], size[32];

	interval = cJSON_GetObjectItemCaseSensitive(h, "interval_ms");
	cpu = cJSON_GetObjectItemCaseSensitive(h, "cpu");
	mem = cJSON_GetObjectItemCaseSensitive(h, "memory");
	cJSON_ArrayForEach(v, cpu) {
		if (!cJSON_IsNumber(v))
			continue;	/* null: the first sample of a run */
		sum += v->valuedouble;
		if (v->valuedouble > peak)
			peak = v->valuedouble;
		n++;
	}
	cJSON_ArrayForEach(v, mem) {
		if (cJSON_IsNumber(v) && v->valuedouble > mpeak)
			mpeak = v->valuedouble;
		nmem++;
	}
	if (nmem == 0) {
		puts("-");
		return;
	}
	describe_duration(cJSON_IsNumber(interval) ?
	    (unsigned long long)interval->valuedouble : 0, every,
	    sizeof every);
	units_format_size((uint64_t)mpeak, size, sizeof size);
	if (n > 0)
		printf("%d samples every %s: cpu avg %.1f%% peak %.1f%%, "
		    "memory peak %s\n", nmem, every, sum / n, peak, size);
	else
		printf("%d samples every %s: memory peak %s\n", nmem, every,
		    size);
}

static void
describe_object(const cJSON *obj, int indent)
{
	const cJSON	*item;
	int		 keyw = 0, len;

	/* One key column per block, as wide as its longest key. */
	cJSON_ArrayForEach(item, obj) {
		len = (int)strlen(item->string);
		if ((!cJSON_IsObject(item) ||
		    strcmp(item->string, "history") == 0) && len > keyw)
			keyw = len;
	}
	cJSON_ArrayForEach(item, obj) {
		if (strcmp(item->string, "history") == 0) {
			printf("%*s%-*s  ", indent, "", keyw, item->string);
			describe_history(item);
			continue;
		}
		if (cJSON_IsObject(item) && item->child != NULL)
			printf("%*s%s:", indent, "", item->string);
		else
			printf("%*s%-*s  ", indent, "", keyw, item->string);
		describe_value(item, indent);
	}
}

static void
describe_proc(const cJSON *proc, int first)
{
	const cJSON	*name, *id, *inst;

	name = cJSON_GetObjectItemCaseSensitive(proc, "name");
	id = cJSON_GetObjectItemCaseSensitive(proc, "id");
	inst = cJSON_GetObjectItemCaseSensitive(proc, "instance");
	if (!first)
		putchar('\n');
	printf("%s (id %.0f, instance %.0f)\n",
	    cJSON_IsString(name) ? name->valuestring : "?",
	    cJSON_IsNumber(id) ? id->valuedouble : -1,
	    cJSON_IsNumber(inst) ? inst->valuedouble : -1);
	describe_object(proc, 2);
}

static int
cmd_describe_exec(struct cmd_ctx *ctx)
{
	struct cmd_args	*args = ctx->args;
	cJSON		*req, *reply;
	const cJSON	*procs, *proc;
	char		*text;
	int		 r, first = 1;

	if (args->argc != 1)
		return (cmd_usage_error(ctx->entry, "expected one target: an "
		    "app name, an id or all"));
	if (cmd_connect(ctx) != 0)
		return (CMD_FAILED);
	req = client_request(ctx->client, "describe");
	cJSON_AddStringToObject(req, "target", args->argv[0]);
	r = cmd_call_procs(ctx, req, &reply, &procs);
	cJSON_Delete(req);
	if (r != 0)
		return (r);
	if (cmd_has(args, 'j')) {
		text = cJSON_PrintUnformatted(procs);
		printf("%s\n", text);
		cJSON_free(text);
	} else {
		cJSON_ArrayForEach(proc, procs) {
			describe_proc(proc, first);
			first = 0;
		}
	}
	cJSON_Delete(reply);
	return (CMD_OK);
}
