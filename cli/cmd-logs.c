/*
 * logs: the last lines of the target's log files, then (with --follow,
 * and by default on a terminal, as `pm2 logs` does) the lines the
 * daemon pushes as its apps write them.
 *
 * The past is read from the files themselves: the daemon only says
 * which files (a `logs` request), since we run as its user.  Following
 * uses a `logs-follow` subscription on the same connection; nothing is
 * polled, so a quiet app costs nothing while we wait.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "output.h"
#include "paths.h"
#include "util.h"
#include "xmalloc.h"

#define LOGS_DEFAULT_LINES	15
#define LOGS_MAX_LINES		1000000
#define LOGS_BLOCK		65536
#define LOGS_DAEMON_POLL_MS	200

enum {
	LOGS_OPT_LINES = 'n',
	LOGS_OPT_FOLLOW = 'f',
	LOGS_OPT_NOSTREAM = 256,
	LOGS_OPT_OUT,
	LOGS_OPT_ERR,
	LOGS_OPT_JSON,
	LOGS_OPT_TIMESTAMP,
	LOGS_OPT_DAEMON,
};

static int	cmd_logs_exec(struct cmd_ctx *);

static const struct option cmd_logs_options[] = {
	{ "lines", required_argument, NULL, LOGS_OPT_LINES },
	{ "follow", no_argument, NULL, LOGS_OPT_FOLLOW },
	{ "nostream", no_argument, NULL, LOGS_OPT_NOSTREAM },
	{ "out", no_argument, NULL, LOGS_OPT_OUT },
	{ "err", no_argument, NULL, LOGS_OPT_ERR },
	{ "json", no_argument, NULL, LOGS_OPT_JSON },
	{ "timestamp", no_argument, NULL, LOGS_OPT_TIMESTAMP },
	{ "daemon", no_argument, NULL, LOGS_OPT_DAEMON },
	{ NULL, 0, NULL, 0 }
};

const struct cmd_entry cmd_logs_entry = {
	.name = "logs",
	.shortopts = "n:f",
	.longopts = cmd_logs_options,
	.usage = "[name|id|all|file] [--lines n] [--follow] [--nostream] "
	    "[--out|--err] [--json] [--timestamp] [--daemon]",
	.doc =
	    "Print the last lines (15, or --lines n) of the target's log\n"
	    "files (every app when no target is given), each line prefixed\n"
	    "with its app and instance (\"api-0 | \"), then, with --follow,\n"
	    "the lines the apps write from then on.  On a terminal, --follow\n"
	    "is the default; --nostream turns it off.\n"
	    "--out or --err shows only standard output or error.  --json\n"
	    "prints one object per line: app, instance, stream, time (unix\n"
	    "ms, null for past lines) and line.  --timestamp starts each\n"
	    "followed line with the time it was read.  --daemon shows\n"
	    "procmand.log instead.",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_logs_exec,
};

/* What to print and how, for every line of this run. */
struct logs_opts {
	long		 lines;
	bool		 follow;
	bool		 json;
	bool		 timestamp;
	bool		 colour;
	bool		 want[2];	/* out, err */
};

/* One file and who writes it. */
struct logs_src {
	const char	*name;		/* NULL: print lines as they are */
	int		 instance;	/* -1: merged */
	int		 stream;	/* 0 out, 1 err */
};

static const char *const logs_colours[] = {
	"\033[36m", "\033[32m", "\033[35m", "\033[34m", "\033[33m",
	"\033[96m",
};

static const char *
logs_app_colour(const char *name)
{
	unsigned	 h = 5381;

	while (*name != '\0')
		h = h * 33 + (unsigned char)*name++;
	return (logs_colours[h % (sizeof logs_colours /
	    sizeof logs_colours[0])]);
}

static void
logs_print(const struct logs_opts *o, const struct logs_src *src,
    double time_ms, const char *line, size_t len)
{
	cJSON		*obj;
	char		*text, when[32], who[160];
	time_t		 secs;
	struct tm	 tm;

	if (src->name == NULL) {
		fwrite(line, 1, len, stdout);
		putchar('\n');
		return;
	}
	if (o->json) {
		obj = cJSON_CreateObject();
		cJSON_AddStringToObject(obj, "app", src->name);
		if (src->instance >= 0)
			cJSON_AddNumberToObject(obj, "instance",
			    src->instance);
		else
			cJSON_AddNullToObject(obj, "instance");
		cJSON_AddStringToObject(obj, "stream",
		    src->stream == 0 ? "out" : "err");
		if (time_ms >= 0)
			cJSON_AddNumberToObject(obj, "time", time_ms);
		else
			cJSON_AddNullToObject(obj, "time");
		text = xstrndup(line, len);
		cJSON_AddStringToObject(obj, "line", text);
		free(text);
		text = cJSON_PrintUnformatted(obj);
		printf("%s\n", text);
		cJSON_free(text);
		cJSON_Delete(obj);
		return;
	}
	if (o->timestamp && time_ms >= 0) {
		secs = (time_t)(time_ms / 1000);
		localtime_r(&secs, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
		printf("%s.%03d ", when, (int)((long long)time_ms % 1000));
	}
	if (src->instance >= 0)
		snprintf(who, sizeof who, "%s-%d", src->name, src->instance);
	else
		snprintf(who, sizeof who, "%s", src->name);
	if (o->colour)
		printf("%s%s\033[0m | ", src->stream == 1 ? "\033[31m" :
		    logs_app_colour(src->name), who);
	else
		printf("%s | ", who);
	fwrite(line, 1, len, stdout);
	putchar('\n');
}

/* Where the last n lines of the file start. */
static off_t
logs_tail_offset(int fd, off_t size, long n)
{
	char	 buf[LOGS_BLOCK];
	off_t	 pos = size, start;
	ssize_t	 got, i;
	long	 seen = 0;
	bool	 last = true;	/* the file's final newline ends a line */

	if (n == 0)
		return (size);
	while (pos > 0) {
		start = pos > LOGS_BLOCK ? pos - LOGS_BLOCK : 0;
		if ((got = pread(fd, buf, pos - start, start)) <= 0)
			return (0);
		for (i = got - 1; i >= 0; i--) {
			if (buf[i] != '\n')
				continue;
			if (last && start + i == size - 1) {
				last = false;
				continue;
			}
			if (++seen == n)
				return (start + i + 1);
		}
		last = false;
		pos = start;
	}
	return (0);
}

/* Print the last o->lines lines of path; a missing file has none. */
static void
logs_tail(const struct logs_opts *o, const struct logs_src *src,
    const char *path)
{
	struct stat	 sb;
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 len;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT)
			output_error("cannot open %s: %s", path,
			    strerror(errno));
		return;
	}
	if (fstat(fd, &sb) == -1 || (f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return;
	}
	if (fseeko(f, logs_tail_offset(fd, sb.st_size, o->lines),
	    SEEK_SET) == 0) {
		if (o->colour && !o->json && o->lines > 0)
			printf("\033[90m%s last %ld lines:\033[0m\n", path,
			    o->lines);
		while ((len = getline(&line, &cap, f)) > 0) {
			if (line[len - 1] == '\n')
				len--;
			logs_print(o, src, -1, line, (size_t)len);
		}
	}
	free(line);
	fclose(f);
}

/* Past lines of every file the daemon names for the target. */
static int
logs_past(struct cmd_ctx *ctx, const struct logs_opts *o, cJSON *req)
{
	cJSON		*reply;
	const cJSON	*files, *f, *name, *inst, *stream, *path;
	struct logs_src	 src;
	char		*cause;

	if (client_call(ctx->client, req, &reply, &cause) != 0) {
		output_error("%s", cause);
		free(cause);
		cJSON_Delete(reply);
		return (CMD_FAILED);
	}
	files = cJSON_GetObjectItemCaseSensitive(reply, "files");
	cJSON_ArrayForEach(f, files) {
		name = cJSON_GetObjectItemCaseSensitive(f, "name");
		inst = cJSON_GetObjectItemCaseSensitive(f, "instance");
		stream = cJSON_GetObjectItemCaseSensitive(f, "stream");
		path = cJSON_GetObjectItemCaseSensitive(f, "path");
		if (!cJSON_IsString(name) || !cJSON_IsString(stream) ||
		    !cJSON_IsString(path))
			continue;
		src.name = name->valuestring;
		src.instance = cJSON_IsNumber(inst) ? inst->valueint : -1;
		src.stream = strcmp(stream->valuestring, "err") == 0;
		if (o->want[src.stream])
			logs_tail(o, &src, path->valuestring);
	}
	cJSON_Delete(reply);
	fflush(stdout);
	return (CMD_OK);
}

/* Print the events the daemon pushes until it goes away. */
static int
logs_stream(struct cmd_ctx *ctx, const struct logs_opts *o)
{
	cJSON		*ev;
	const cJSON	*type, *name, *inst, *stream, *line, *when, *count;
	struct logs_src	 src;
	char		*cause;

	for (;;) {
		if (client_next(ctx->client, &ev, -1, &cause) != 0) {
			output_error("%s", cause);
			free(cause);
			return (CMD_FAILED);
		}
		type = cJSON_GetObjectItemCaseSensitive(ev, "type");
		if (cJSON_IsString(type) &&
		    strcmp(type->valuestring, "dropped") == 0) {
			count = cJSON_GetObjectItemCaseSensitive(ev, "count");
			output_error("%.0f lines not shown: they came faster "
			    "than this output could take them",
			    cJSON_IsNumber(count) ? count->valuedouble : 0);
		}
		if (!cJSON_IsString(type) ||
		    strcmp(type->valuestring, "log") != 0) {
			cJSON_Delete(ev);
			continue;
		}
		name = cJSON_GetObjectItemCaseSensitive(ev, "name");
		inst = cJSON_GetObjectItemCaseSensitive(ev, "instance");
		stream = cJSON_GetObjectItemCaseSensitive(ev, "stream");
		line = cJSON_GetObjectItemCaseSensitive(ev, "line");
		when = cJSON_GetObjectItemCaseSensitive(ev, "time");
		if (cJSON_IsString(name) && cJSON_IsString(stream) &&
		    cJSON_IsString(line)) {
			src.name = name->valuestring;
			src.instance = cJSON_IsNumber(inst) ?
			    inst->valueint : -1;
			src.stream = strcmp(stream->valuestring, "err") == 0;
			if (o->want[src.stream]) {
				logs_print(o, &src, cJSON_IsNumber(when) ?
				    when->valuedouble : -1, line->valuestring,
				    strlen(line->valuestring));
				fflush(stdout);
			}
		}
		cJSON_Delete(ev);
	}
}

/* procman logs --daemon: procmand.log, then (following) what it grows. */
static int
logs_daemon(const struct logs_opts *o)
{
	struct logs_src		 src = { NULL, -1, 0 };
	struct stat		 sb;
	struct timespec		 ts = { 0, LOGS_DAEMON_POLL_MS * 1000000L };
	char			*cause, buf[LOGS_BLOCK];
	off_t			 off;
	ssize_t			 n;
	int			 fd;

	if (paths_init(1, &cause) == -1) {
		output_error("%s", cause);
		free(cause);
		return (CMD_FAILED);
	}
	if ((fd = open(paths_daemon_log(), O_RDONLY | O_CLOEXEC)) == -1) {
		output_error("cannot open %s: %s", paths_daemon_log(),
		    strerror(errno));
		return (CMD_FAILED);
	}
	off = fstat(fd, &sb) == 0 ? sb.st_size : 0;
	close(fd);
	/* Its lines carry their own time and level: no prefix. */
	logs_tail(o, &src, paths_daemon_log());
	fflush(stdout);
	while (o->follow) {
		nanosleep(&ts, NULL);
		if ((fd = open(paths_daemon_log(), O_RDONLY | O_CLOEXEC)) ==
		    -1)
			continue;
		if (fstat(fd, &sb) == 0 && sb.st_size < off)
			off = 0;	/* truncated or replaced */
		while ((n = pread(fd, buf, sizeof buf, off)) > 0) {
			fwrite(buf, 1, (size_t)n, stdout);
			off += n;
		}
		close(fd);
		fflush(stdout);
	}
	return (CMD_OK);
}

static int
logs_parse(struct cmd_ctx *ctx, struct logs_opts *o)
{
	struct cmd_args	*args = ctx->args;
	const char	*v;
	long long	 n = LOGS_DEFAULT_LINES;

	if ((v = cmd_get(args, LOGS_OPT_LINES)) != NULL &&
	    (!util_parse_ll(v, &n) || n > LOGS_MAX_LINES))
		return (cmd_usage_error(ctx->entry, "--lines wants a number "
		    "from 0 to %d, not \"%s\"", LOGS_MAX_LINES, v));
	if (args->argc > 1)
		return (cmd_usage_error(ctx->entry, "one target at a time, "
		    "got \"%s\" and \"%s\"", args->argv[0], args->argv[1]));
	if (args->argc == 1 && args->argv[0][0] == '\0')
		return (cmd_usage_error(ctx->entry, "empty target"));
	o->lines = (long)n;
	o->follow = cmd_has(args, LOGS_OPT_FOLLOW) ||
	    (isatty(STDOUT_FILENO) && !cmd_has(args, LOGS_OPT_NOSTREAM));
	o->json = cmd_has(args, LOGS_OPT_JSON);
	o->timestamp = cmd_has(args, LOGS_OPT_TIMESTAMP);
	o->colour = output_colour() && !o->json;
	o->want[0] = !cmd_has(args, LOGS_OPT_ERR) ||
	    cmd_has(args, LOGS_OPT_OUT);
	o->want[1] = !cmd_has(args, LOGS_OPT_OUT) ||
	    cmd_has(args, LOGS_OPT_ERR);
	return (CMD_OK);
}

/* A logs or logs-follow request for the target, or NULL after saying
   why an ecosystem file target cannot be read. */
static cJSON *
logs_request(struct cmd_ctx *ctx, const char *type, const char *target)
{
	cJSON	*req;

	req = client_request(ctx->client, type);
	if (!cmd_is_ecofile(target, true))
		cJSON_AddStringToObject(req, "target", target);
	else if (cmd_target_names(target, req) == -1) {
		cJSON_Delete(req);
		return (NULL);
	}
	return (req);
}

static int
cmd_logs_exec(struct cmd_ctx *ctx)
{
	struct logs_opts	 o;
	const char		*target;
	cJSON			*req;
	int			 r;

	if ((r = logs_parse(ctx, &o)) != CMD_OK)
		return (r);
	if (cmd_has(ctx->args, LOGS_OPT_DAEMON))
		return (logs_daemon(&o));
	target = ctx->args->argc == 1 ? ctx->args->argv[0] : "all";
	if ((req = logs_request(ctx, "logs", target)) == NULL)
		return (CMD_USAGE);
	if (cmd_connect(ctx) != 0) {
		cJSON_Delete(req);
		return (CMD_FAILED);
	}
	r = logs_past(ctx, &o, req);
	cJSON_Delete(req);
	if (r != CMD_OK || !o.follow)
		return (r);
	if ((req = logs_request(ctx, "logs-follow", target)) == NULL)
		return (CMD_USAGE);
	r = cmd_call(ctx, req, NULL);
	cJSON_Delete(req);
	if (r != 0)
		return (CMD_FAILED);
	return (logs_stream(ctx, &o));
}
